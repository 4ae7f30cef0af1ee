"""The practitioner search: filters, geography and ordering, in one SQL statement.

Text matching runs on keys folded on write (core.text.fold), so SQLite and PostgreSQL give the
same answers; on PostgreSQL a pg_trgm index serves the substring match. A page costs one
statement whatever its size: it counts the matches on the way and brings each profile's
treatments and languages along. An unfiltered search reads its total from LiveProfileCount
(one more statement) rather than count every profile; a page past the end counts on its own.
"""

import math

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

P = Practitioner
UNFILTERED = {"page", "per_page", "sort"}  # a search with only these lists every live profile


def search(args: dict) -> dict:
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
    else:
        read = _columns_read_by(ordering)
        counted = matches.add_columns(*read, func.count().over().label("total")).subquery()
        within = ClauseAdapter(counted).traverse
        ids = select(counted.c.id, counted.c.total).order_by(*map(within, ordering))
    offset = (args["page"] - 1) * args["per_page"]
    page = ids.limit(args["per_page"]).offset(offset).subquery("page")
    extra = [] if distance is None else [distance.label("distance_km")]
    page_statement = (  # page.c[1:]: the window's total, when counted
        select(P, _codes(PractitionerTreatment.treatment_slug), _codes(PractitionerLanguage.code))
        .add_columns(*page.c[1:], *extra)
        .join(page, page.c.id == P.id)
        .order_by(*ordering)
    )
    rows = db.session.execute(page_statement).all()
    items = [
        SearchHit(
            row[0],
            treatments=sorted(row[1].split()) if row[1] else [],
            languages=sorted(row[2].split()) if row[2] else [],
            **({} if distance is None else {"distance_km": round(row.distance_km, 2)}),
        )
        for row in rows
    ]
    return envelope(items, args["page"], args["per_page"], _total(matches, rows, unfiltered))


def _columns_read_by(ordering: list) -> list[ColumnElement]:
    """The practitioner columns the sort keys read, for the counting subquery to carry (its id
    is there already)."""
    table = P.__table__
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
    return select(func.aggregate_strings(column, " ")).where(parent == P.id).scalar_subquery()


def _total(matches: Select, rows: list, unfiltered: bool) -> int:
    if unfiltered:
        return db.session.scalar(select(LiveProfileCount.value))
    if rows:
        return rows[0].total
    # Past the last page, or no match at all: count on its own.
    return db.session.scalar(select(func.count()).select_from(matches.subquery()))


def _filtered(args: dict, terms: list[str], distance: ColumnElement | None) -> Select:
    conditions: list[ColumnElement] = [P.deleted_at.is_(None)]
    conditions += [P.search_text.like(f"%{escape_like(t)}%", escape="\\") for t in terms]
    conditions += [
        exists().where(
            PractitionerTreatment.practitioner_id == P.id,
            PractitionerTreatment.treatment_slug == slug,
        )
        for slug in dict.fromkeys(args.get("treatment", []))
    ]
    if "language" in args:
        conditions.append(
            exists().where(
                PractitionerLanguage.practitioner_id == P.id,
                PractitionerLanguage.code == args["language"],
            )
        )
    if "city" in args:
        conditions.append(P.city_key == fold(args["city"]))
    if "country" in args:
        conditions.append(P.country == args["country"])
    if "max_price" in args:
        conditions.append(P.price_from <= args["max_price"])
    if "accepts_new_patients" in args:
        conditions.append(P.accepts_new_patients.is_(args["accepts_new_patients"]))
    if "verified" in args:
        verified = P.verified_until >= today()
        conditions.append(
            verified if args["verified"] else or_(P.verified_until.is_(None), ~verified)
        )
    if "min_rating" in args:
        # average >= min, without division: exact, and unrated practitioners never match
        conditions.append(
            and_(P.rating_count > 0, P.rating_sum >= args["min_rating"] * P.rating_count)
        )
    if distance is not None:
        conditions += _bounding_box(args["lat"], args["lng"], args["radius_km"])
        conditions.append(distance <= args["radius_km"])
    return select(P.id).where(*conditions)


def _bounding_box(lat: float, lng: float, radius_km: float) -> list[ColumnElement]:
    """A cheap, indexable pre-filter that contains the whole circle."""
    dlat = radius_km / KM_PER_DEGREE
    box = [P.latitude.between(lat - dlat, lat + dlat)]
    cos_lat = math.cos(math.radians(min(abs(lat) + dlat, 90.0)))
    if cos_lat > 0.01:
        dlng = radius_km / (KM_PER_DEGREE * cos_lat)
        if lng - dlng >= -180 and lng + dlng <= 180:  # no antimeridian wrap
            box.append(P.longitude.between(lng - dlng, lng + dlng))
    return box


def _distance_km(lat: float, lng: float) -> ColumnElement:
    """Great-circle (haversine) distance from (lat, lng) to each practitioner, in km."""
    half_dlat = func.radians(P.latitude - lat) / 2
    half_dlng = func.radians(P.longitude - lng) / 2
    sin_dlat, sin_dlng = func.sin(half_dlat), func.sin(half_dlng)
    a = (
        sin_dlat * sin_dlat
        + math.cos(math.radians(lat)) * func.cos(func.radians(P.latitude)) * sin_dlng * sin_dlng
    )
    return 2 * EARTH_RADIUS_KM * func.asin(func.sqrt(_at_most_one(a)))


def _at_most_one(value: ColumnElement) -> ColumnElement:
    """Clamp rounding noise above 1 (antipodes), which asin would refuse."""
    return case((value > 1, literal(1.0)), else_=value)


def _ordering(sort: str, terms: list[str], distance: ColumnElement | None) -> list:
    best_rated = [P.rating_score.desc().nulls_last()]
    if sort == "relevance" and terms:
        name_hits = sum(
            (
                case((P.name_key.like(f"%{escape_like(t)}%", escape="\\"), 2), else_=0)
                for t in terms
            ),
            start=literal(0),
        )
        city_hits = sum((case((P.city_key == t, 1), else_=0) for t in terms), start=literal(0))
        keys = [(name_hits + city_hits).desc(), *best_rated]
    elif sort == "distance" and distance is not None:
        keys = [distance.asc()]
    elif sort == "reviews":
        keys = [P.rating_count.desc()]
    elif sort == "price":
        keys = [P.price_from.asc().nulls_last()]
    elif sort == "newest":
        keys = [P.created_at.desc()]
    elif sort == "name":
        keys = [P.name_key.asc()]
    else:  # rating, and relevance without text
        keys = best_rated
    return [*keys, P.id.asc()]  # ties broken by id: pages never repeat or skip
