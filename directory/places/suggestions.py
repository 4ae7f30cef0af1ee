"""Suggestions while a patient types: treatments, places and practitioners whose names start
with what was typed (a word of the name: `bot` finds Dr Anna Botha), and on PostgreSQL also
those with a word close to it (`clinque`, `munchn`). Prefix matches come first, then typos;
treatments and places go the closest first, then places by population and treatments by name;
practitioners go by the rating sort (prefix matches, then typos). One small statement for
each kind (two for practitioners when typos fill the list); treatments and places are
reference data, so what was typed before is answered from the process (core.reference_data),
and typing ahead costs one statement.
"""

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from directory.core.reference_data import kept_per_database
from directory.core.text import fold
from directory.extensions import db
from directory.places.matching import (
    a_word_starts_with,
    closeness,
    resembles,
    starts_with,
    typos_forgiven_in,
)
from directory.places.models import Place, PlaceName
from directory.practitioners.models import Practitioner, SearchWord
from directory.practitioners.search import listed
from directory.treatments.models import Treatment


def suggest(typed: str, limit: int) -> dict[str, list]:
    text = fold(typed)
    return {  # copies: the kept answers are shared by every request
        "treatments": [dict(treatment) for treatment in _treatments(text, limit)],
        "places": [dict(place) for place in _places(text, limit)],
        "practitioners": _practitioners(text, limit),
    }


# Beginnings of words typed, with their answers, kept for the treatments and for the places.
TYPED_KEPT = 4096


def _matching(prefix: ColumnElement, text: ColumnElement, typed: str, whole: bool = False):
    """The condition of a match; whether it is a typo (1) or a prefix (0); how close it is
    (1 for a prefix). Matches go prefixes first, then typos, the closest first."""
    typo = case((prefix, 0), else_=1)
    close = case((prefix, 1), else_=closeness(text, typed, whole))
    return or_(prefix, resembles(text, typed)), typo, close


@kept_per_database(TYPED_KEPT)
def _treatments(text: str, limit: int) -> tuple[dict, ...]:
    name = func.lower(Treatment.name)  # reference names: plain words, lower() folds them
    prefix = or_(a_word_starts_with(name, text), a_word_starts_with(Treatment.slug, text))
    matched, typo, close = _matching(prefix, name, text)
    statement = (
        select(Treatment.slug, Treatment.name)
        .where(matched)
        .order_by(typo, close.desc(), Treatment.name, Treatment.slug)
        .limit(limit)
    )
    return tuple(row._asdict() for row in db.session.execute(statement))


@kept_per_database(TYPED_KEPT)
def _places(text: str, limit: int) -> tuple[dict, ...]:
    """Each place once, under the name that matched best (its own name before an alternate):
    typing `munchen` suggests München, typing `mun` Munich. By population, a name that is
    only an alternate counting for a hundredth, as when `near` resolves a name
    (places.gazetteer): Munich and Münster before Montevideo's rare `Muntivideu`."""
    prefix = starts_with(PlaceName.key, text)
    matched, typo, close = _matching(prefix, PlaceName.key, text, whole=True)
    best_name_first = func.row_number().over(
        partition_by=PlaceName.place_id,
        order_by=(typo, close.desc(), PlaceName.rank.desc(), PlaceName.name),
    )
    names = (
        select(
            PlaceName.place_id,
            PlaceName.name,
            PlaceName.rank,
            typo.label("typo"),
            close.label("closeness"),
            best_name_first.label("preference"),
        )
        .where(matched)
        .subquery()
    )
    statement: Select = (
        select(names.c.name, Place.country, Place.latitude, Place.longitude)
        .join(Place, Place.id == names.c.place_id)
        .where(names.c.preference == 1)
        .order_by(names.c.typo, names.c.closeness.desc(), names.c.rank.desc(), Place.id)
        .limit(limit)
    )
    return tuple(row._asdict() for row in db.session.execute(statement))


def _practitioners(text: str, limit: int) -> list[dict]:
    """Prefix matches in the rating sort, in a statement of their own so that PostgreSQL may
    walk the rating index when they are many; typo matches only to fill the list, in the
    rating sort too. Ordered the closest first, a common word with a typo had every profile
    that resembles it read and sorted (`clinque`: 130,000 of a million, 1.4 s); in the rating
    sort PostgreSQL walks the rating index and stops at the list's end (1 ms), or, for a rare
    word, reads its few matches (bench/README.md, fourth pass)."""
    key = Practitioner.suggest_key
    live = listed()  # never a suspended or deleted practitioner
    profile = select(Practitioner.id, Practitioner.full_name, Practitioner.city)
    best_rated = (Practitioner.rating_score.desc().nulls_last(), Practitioner.id)
    prefix = a_word_starts_with(key, text)
    found = db.session.execute(profile.where(live, prefix).order_by(*best_rated).limit(limit))
    found = found.all()
    if len(found) < limit and typos_forgiven_in(text):
        resembling = _a_word_resembles(key, text)
        if resembling is not None:
            typo = and_(live, resembling, ~prefix)
            found += db.session.execute(
                profile.where(typo).order_by(*best_rated).limit(limit - len(found))
            ).all()
    return [row._asdict() for row in found]


# The words of the directory a word typed with a typo may have meant, the closest first; read
# before those that a closer one begins are dropped.
CLOSE_WORDS, CLOSE_WORDS_READ = 5, 20
# Where pg_trgm, and so a typo, splits words: `clinique,` is `clinique`, `jean-pierre` two words.
NOT_ALPHANUMERIC = "[^[:alnum:]]+"


def _a_word_resembles(key: ColumnElement, typed: str) -> ColumnElement | None:
    """A word of `key` is close to `typed`; None where no word of the directory is.

    One word typed is corrected against the words of the directory (_close_words), and the
    profiles are those with a word that begins with one of them, from the key's own index:
    `clinque` finds `clinique` and `cliniques`. Compared with every key instead, a word that
    resembles many keys, or an extent across two of their words (`lumeire`, `lefevre lumiere`),
    had PostgreSQL expect a hundred matches and read 44,000 at 1,000,000 practitioners: 290 ms
    (bench/README.md, fifteenth pass). Several words typed are compared with every key, as a
    whole."""
    if " " in typed or "-" in typed:
        return resembles(key, typed)
    conditions = [a_word_starts_with(key, word) for word in _close_words(typed)]
    return or_(*conditions) if conditions else None


def _close_words(typed: str) -> list[str]:
    """The words of the directory (models.SearchWord, kept where typos are forgiven) closest to
    `typed`, the most common first among equals: split as pg_trgm splits them, none that
    `typed` begins (the prefix statement found their profiles), and none that another begins."""
    candidates = (
        select(
            func.regexp_split_to_table(SearchWord.word, NOT_ALPHANUMERIC).label("word"),
            SearchWord.profiles,
        )
        .where(SearchWord.profiles > 0, resembles(SearchWord.word, typed))
        .subquery()
    )
    word = candidates.c.word
    closest = db.session.scalars(
        select(word)
        .where(resembles(word, typed), ~starts_with(word, typed))
        .group_by(word)
        .order_by(closeness(word, typed).desc(), func.sum(candidates.c.profiles).desc(), word)
        .limit(CLOSE_WORDS_READ)
    ).all()
    begun_by_another = {
        each for each in closest for other in closest if each != other and each.startswith(other)
    }
    return [each for each in closest if each not in begun_by_another][:CLOSE_WORDS]
