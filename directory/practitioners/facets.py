"""Facet counts for a search: how many of its matches fall under each value of a filter, for a
frontend to show next to that filter.

`treatment` counts, among the current matches, those that also offer each treatment (they
combine with AND). Every other facet counts the matches of every filter but its own, so that
it shows the alternatives to the value chosen. All facets asked for come in one statement,
a UNION ALL of one grouped query per facet; each facet keeps its MAX_FACET_VALUES most
frequent values (ties in the order of the values), and values that occur only.
"""

from collections.abc import Callable

from sqlalchemy import ColumnElement, Select, String, case, cast, func, literal, select, union_all

from directory.extensions import db
from directory.places.models import Place
from directory.practitioners.models import (
    Practitioner,
    PractitionerLanguage,
    PractitionerTreatment,
)
from directory.practitioners.search import (
    CURRENCY,
    PRICE_BUCKETS,
    RATING_BUCKETS,
    Criteria,
    SearchFacet,
    is_verified,
)

MAX_FACET_VALUES = 20

# The filter (a name of search.FILTERS) each facet leaves out; None: every filter applies.
OWN_FILTER: dict[SearchFacet, str | None] = {
    SearchFacet.TREATMENT: None,
    SearchFacet.LANGUAGE: "language",
    SearchFacet.CITY: "city",
    SearchFacet.COUNTRY: "country",
    SearchFacet.VERIFIED: "verified",
    SearchFacet.RATING: "min_rating",
    SearchFacet.PRICE: "max_price",
}


def count_facets(criteria: Criteria, facets: list[SearchFacet]) -> dict[str, list[dict]]:
    branches = []
    for facet in facets:
        matches = criteria.shape.matches(leaving_out=OWN_FILTER[facet])
        value, count, grouped = GROUPINGS[facet](criteria, matches)
        branch = (
            grouped.add_columns(literal(facet.value).label("facet"))
            .order_by(count.desc(), value)
            .limit(MAX_FACET_VALUES)
            .subquery()
        )
        branches.append(select(branch.c.facet, branch.c.value, branch.c.count))
    counted: dict[str, list[tuple[str, int]]] = {facet.value: [] for facet in facets}
    for row in db.session.execute(union_all(*branches), criteria.parameters):
        counted[row.facet].append((row.value, row.count))
    return {facet.value: PRESENTED[facet](counted[facet.value]) for facet in facets}


Grouping = tuple[ColumnElement, ColumnElement, Select]  # value, count, the grouped query


def _per_association(column) -> Callable[[Criteria, Select], Grouping]:
    """Counts of the matches per code of an association table (treatments, languages)."""

    def grouping(criteria: Criteria, matches: Select) -> Grouping:
        value, count = column.label("value"), func.count().label("count")
        parent = column.table.c.practitioner_id
        grouped = select(value, count).where(parent.in_(matches)).group_by(column)
        return value, count, grouped

    return grouping


def _per_column(expression: ColumnElement, *where: ColumnElement) -> Callable:
    """Counts of the matches per value of an expression over the practitioner's row."""

    def grouping(criteria: Criteria, matches: Select) -> Grouping:
        value, count = cast(expression, String).label("value"), func.count().label("count")
        grouped = matches.with_only_columns(value, count).where(*where).group_by(value)
        return value, count, grouped

    return grouping


def _per_place(criteria: Criteria, matches: Select) -> Grouping:
    """Counts per gazetteer place, named by the place; a profile of no known place counts
    under its own spelling (grouped by its folded city)."""
    unplaced = case((Practitioner.place_id.is_(None), Practitioner.city_key))
    per_place = (
        matches.with_only_columns(
            Practitioner.place_id.label("place_id"),
            func.min(Practitioner.city).label("spelling"),
            func.count().label("count"),
        )
        .group_by(Practitioner.place_id, unplaced)
        .subquery()
    )
    value = func.coalesce(Place.name, per_place.c.spelling).label("value")
    count = per_place.c["count"].label("count")
    grouped = select(value, count).select_from(
        per_place.outerjoin(Place, Place.id == per_place.c.place_id)
    )
    return value, count, grouped


def _per_price_bucket(criteria: Criteria, matches: Select) -> Grouping:
    price = criteria.shape.price
    bucket = case(
        *(
            (price < upper, label)
            for label, (lower, upper) in PRICE_BUCKETS.items()
            if upper is not None
        ),
        else_=next(label for label, (lower, upper) in PRICE_BUCKETS.items() if upper is None),
    )
    in_currency = [Practitioner.currency == CURRENCY, price.is_not(None)]
    return _per_column(bucket, *in_currency)(criteria, matches)


# Built once: the day a profile is verified on is bound when the statement runs (search.TODAY).
_VERIFICATION = _per_column(case((is_verified(), "true"), else_="false"))

# The average rating, rounded down (integers divide exactly on both databases); the
# cumulative buckets are summed from it (see _cumulative_ratings).
_RATING_FLOOR = _per_column(
    Practitioner.rating_sum // Practitioner.rating_count, Practitioner.rating_count > 0
)

# Each facet's value, count and grouped query, from the search and its matches.
GROUPINGS: dict[SearchFacet, Callable[[Criteria, Select], Grouping]] = {
    SearchFacet.TREATMENT: _per_association(PractitionerTreatment.treatment_slug),
    SearchFacet.LANGUAGE: _per_association(PractitionerLanguage.code),
    SearchFacet.CITY: _per_place,
    SearchFacet.COUNTRY: _per_column(Practitioner.country),
    SearchFacet.VERIFIED: _VERIFICATION,
    SearchFacet.RATING: _RATING_FLOOR,
    SearchFacet.PRICE: _per_price_bucket,
}


def _most_frequent(counted: list[tuple[str, int]], order: list[str] | None = None) -> list[dict]:
    """Most frequent first; ties in `order` (the buckets' own) or alphabetical."""
    rank = {value: position for position, value in enumerate(order or [])}

    def key(item: tuple[str, int]) -> tuple:
        value, count = item
        return (-count, rank.get(value, 0), value)

    present = sorted((item for item in counted if item[1] > 0), key=key)
    return [{"value": value, "count": count} for value, count in present[:MAX_FACET_VALUES]]


def _cumulative_ratings(counted: list[tuple[str, int]]) -> list[dict]:
    per_floor = {int(value): count for value, count in counted}
    buckets = [
        (label, sum(n for floor, n in per_floor.items() if floor >= lowest))
        for label, lowest in RATING_BUCKETS.items()
    ]
    return _most_frequent(buckets, list(RATING_BUCKETS))


# How each facet's counted rows become its answer.
PRESENTED: dict[SearchFacet, Callable[[list[tuple[str, int]]], list[dict]]] = {
    **{facet: _most_frequent for facet in SearchFacet},
    SearchFacet.RATING: _cumulative_ratings,
    SearchFacet.PRICE: lambda counted: _most_frequent(counted, list(PRICE_BUCKETS)),
}
