"""The practitioner search: filters, geography and ordering, in one SQL statement.

Text matching runs on keys folded on write (core.text.fold), so SQLite and PostgreSQL give the
same answers; on PostgreSQL a pg_trgm index serves the substring match. A page costs one
statement whatever its size: it counts the matches on the way and brings each profile's
treatments and languages along. An unfiltered search reads its total from LiveProfileCount
(one more statement) rather than count every profile; a page past the end counts on its own.
"""

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Column, ColumnElement, Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.sql.util import ClauseAdapter
from sqlalchemy.sql.visitors import iterate

from directory.core.db import today
from directory.core.pagination import envelope
from directory.core.text import escape_like, fold
from directory.extensions import db
from directory.practitioners.models import (
    LiveProfileCount,
    Practitioner,
    PractitionerLanguage,
    PractitionerTreatment,
)

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.195  # of latitude, on a sphere of that radius


class SearchSort(enum.StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    RATING = "rating"
    REVIEWS = "reviews"
    PRICE = "price"
    NEWEST = "newest"
    NAME = "name"


UNFILTERED = {"sort"}  # a search with only these lists every live profile


@dataclass(frozen=True)
class PractitionerSearch:
    """A search, paged by core.pagination (it builds its own page, in one statement)."""

    args: dict

    def page(self, page: int, per_page: int) -> dict:
        return search(self.args, page, per_page)


def search(args: dict, page: int, per_page: int) -> dict:
    terms = fold(args.get("q")).split()
    distance = _distance_km(args["lat"], args["lng"]) if "lat" in args else None
    matches = _filtered(args, terms, distance)
    unfiltered = args.keys() <= UNFILTERED

    # The page's ids first, from the indexes alone where they cover the filters and the order;
    # then only the rows of the page are read. A filtered search counts its matches in the same
    # scan, in a subquery of its own: ordered and limited, the window would tempt the planner
    # into walking an index in page order for rows that it must all count anyway.
    ordering = _ordering(args["sort"], terms, distance)
    if unfiltered:
        ids = matches.order_by(*ordering)
        counted_total = []
    else:
        read = _columns_read_by(ordering)
        counted = matches.add_columns(*read, func.count().over().label("total")).subquery()
        within = ClauseAdapter(counted).traverse
        ids = select(counted.c.id, counted.c.total).order_by(*map(within, ordering))
    page_ids = ids.limit(per_page).offset((page - 1) * per_page).subquery("page_ids")
    if not unfiltered:
        counted_total = [page_ids.c.total]
    extra = [] if distance is None else [distance.label("distance_km")]
    page_statement = (
        select(
            Practitioner,
            _codes(PractitionerTreatment.treatment_slug).label("treatment_codes"),
            _codes(PractitionerLanguage.code).label("language_codes"),
            *counted_total,
            *extra,
        )
        .join(page_ids, page_ids.c.id == Practitioner.id)
        .order_by(*ordering)
    )
    rows = db.session.execute(page_statement).all()
    items = [
        SearchHit(
            row.Practitioner,
            treatments=sorted(row.treatment_codes.split()) if row.treatment_codes else [],
            languages=sorted(row.language_codes.split()) if row.language_codes else [],
            **({} if distance is None else {"distance_km": round(row.distance_km, 2)}),
        )
        for row in rows
    ]
    return envelope(items, page, per_page, _total(matches, rows, unfiltered))


def _columns_read_by(ordering: list) -> list[ColumnElement]:
    """The practitioner columns the sort keys read, for the counting subquery to carry (its id
    is there already)."""
    table = Practitioner.__table__
    names = {
        element.name
        for key in ordering
        for element in iterate(key)
        if isinstance(element, Column) and element.table is table
    }
    return [table.c[name] for name in sorted(names - {"id"})]


class SearchHit:
    """A profile as search shows it: its lists come with the page's own statement, and its
    distance only when searching around a point."""

    def __init__(self, practitioner: Practitioner, treatments: list, languages: list, **distance):
        self.practitioner = practitioner
        self.treatments, self.languages = treatments, languages
        self.__dict__.update(distance)

    def __getattr__(self, name):
        return getattr(self.practitioner, name)


def _codes(column) -> ColumnElement:
    """The codes of one association table for each row, space-separated."""
    parent = column.table.c.practitioner_id
    return (
        select(func.aggregate_strings(column, " "))
        .where(parent == Practitioner.id)
        .scalar_subquery()
    )


def _total(matches: Select, rows: list, unfiltered: bool) -> int:
    if unfiltered:
        return db.session.scalar(select(LiveProfileCount.value))
    if rows:
        return rows[0].total
    # Past the last page, or no match at all: count on its own.
    return db.session.scalar(select(func.count()).select_from(matches.subquery()))


def _filtered(args: dict, terms: list[str], distance: ColumnElement | None) -> Select:
    conditions: list[ColumnElement] = [Practitioner.deleted_at.is_(None)]
    conditions += [Practitioner.search_text.like(f"%{escape_like(t)}%", escape="\\") for t in terms]
    conditions += [
        exists().where(
            PractitionerTreatment.practitioner_id == Practitioner.id,
            PractitionerTreatment.treatment_slug == slug,
        )
        for slug in dict.fromkeys(args.get("treatment", []))
    ]
    if "language" in args:
        conditions.append(
            exists().where(
                PractitionerLanguage.practitioner_id == Practitioner.id,
                PractitionerLanguage.code == args["language"],
            )
        )
    if "city" in args:
        conditions.append(Practitioner.city_key == fold(args["city"]))
    if "country" in args:
        conditions.append(Practitioner.country == args["country"])
    if "max_price" in args:
        conditions.append(Practitioner.price_from <= args["max_price"])
    if "accepts_new_patients" in args:
        conditions.append(Practitioner.accepts_new_patients.is_(args["accepts_new_patients"]))
    if "verified" in args:
        verified = Practitioner.verified_until >= today()
        conditions.append(
            verified if args["verified"] else or_(Practitioner.verified_until.is_(None), ~verified)
        )
    if "min_rating" in args:
        # average >= min, without division: exact, and unrated practitioners never match
        conditions.append(
            and_(
                Practitioner.rating_count > 0,
                Practitioner.rating_sum >= args["min_rating"] * Practitioner.rating_count,
            )
        )
    if distance is not None:
        box = bounding_box(args["lat"], args["lng"], args["radius_km"])
        conditions.append(Practitioner.latitude.between(*box.latitudes))
        if box.longitudes is not None:
            conditions.append(Practitioner.longitude.between(*box.longitudes))
        conditions.append(distance <= args["radius_km"])
    return select(Practitioner.id).where(*conditions)


@dataclass(frozen=True)
class BoundingBox:
    latitudes: tuple[float, float]
    longitudes: tuple[float, float] | None  # None: every longitude (a pole, the antimeridian)


def bounding_box(lat: float, lng: float, radius_km: float) -> BoundingBox:
    """A box that contains the whole circle: a cheap, indexable pre-filter."""
    dlat = radius_km / KM_PER_DEGREE
    latitudes = (lat - dlat, lat + dlat)
    cos_lat = math.cos(math.radians(min(abs(lat) + dlat, 90.0)))
    if cos_lat > 0.01:
        dlng = radius_km / (KM_PER_DEGREE * cos_lat)
        if lng - dlng >= -180 and lng + dlng <= 180:  # no antimeridian wrap
            return BoundingBox(latitudes, (lng - dlng, lng + dlng))
    return BoundingBox(latitudes, None)


def _distance_km(lat: float, lng: float) -> ColumnElement:
    """Great-circle (haversine) distance from (lat, lng) to each practitioner, in km."""
    half_dlat = func.radians(Practitioner.latitude - lat) / 2
    half_dlng = func.radians(Practitioner.longitude - lng) / 2
    sin_dlat, sin_dlng = func.sin(half_dlat), func.sin(half_dlng)
    a = (
        sin_dlat * sin_dlat
        + math.cos(math.radians(lat))
        * func.cos(func.radians(Practitioner.latitude))
        * sin_dlng
        * sin_dlng
    )
    return 2 * EARTH_RADIUS_KM * func.asin(func.sqrt(_at_most_one(a)))


def _at_most_one(value: ColumnElement) -> ColumnElement:
    """Clamp rounding noise above 1 (antipodes), which asin would refuse."""
    return case((value > 1, literal(1.0)), else_=value)


def _relevance(terms: list[str]) -> list:
    if not terms:
        return _best_rated()
    name_hits = sum(
        (
            case((Practitioner.name_key.like(f"%{escape_like(t)}%", escape="\\"), 2), else_=0)
            for t in terms
        ),
        start=literal(0),
    )
    city_hits = sum(
        (case((Practitioner.city_key == t, 1), else_=0) for t in terms), start=literal(0)
    )
    return [(name_hits + city_hits).desc(), *_best_rated()]


def _best_rated() -> list:
    return [Practitioner.rating_score.desc().nulls_last()]


# Each sort's keys, from the search terms and the distance expression (None without a point).
ORDERINGS: dict[SearchSort, Callable[[list[str], ColumnElement | None], list]] = {
    SearchSort.RELEVANCE: lambda terms, distance: _relevance(terms),
    SearchSort.DISTANCE: lambda terms, distance: [distance.asc()],
    SearchSort.RATING: lambda terms, distance: _best_rated(),
    SearchSort.REVIEWS: lambda terms, distance: [Practitioner.rating_count.desc()],
    SearchSort.PRICE: lambda terms, distance: [Practitioner.price_from.asc().nulls_last()],
    SearchSort.NEWEST: lambda terms, distance: [Practitioner.created_at.desc()],
    SearchSort.NAME: lambda terms, distance: [Practitioner.name_key.asc()],
}


def _ordering(sort: SearchSort, terms: list[str], distance: ColumnElement | None) -> list:
    keys = ORDERINGS[sort](terms, distance)
    return [*keys, Practitioner.id.asc()]  # ties broken by id: pages never repeat or skip
