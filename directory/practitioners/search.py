"""The practitioner search: filters, geography and ordering, in one SQL statement per page.

Text matching runs on keys folded on write (core.text.fold), so SQLite and PostgreSQL give the
same answers; on PostgreSQL a pg_trgm index serves the substring match. A page costs one
statement whatever its size: it counts the matches on the way and brings each profile's
treatments (with their prices) and languages along; a search for one or two words may take
more (_page_rows). An unfiltered search reads its total from LiveProfileCount (in the same
statement) rather than count every profile; a page past the end counts on its own. Resolving
`near` to a point, or `city` to its places, is one indexed look-up before the page the first
time a name is asked for (places.gazetteer), and facets (practitioners.facets) one more
statement, unless practitioners.facet_cache holds them.

The page's statement is built once per search shape and sort (Shape: which filters, and how
many words, places or treatments) and runs with each search's values as parameters: building
it took more Python than the rest of the request.
"""

import enum
import math
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from itertools import combinations

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Float,
    Integer,
    Select,
    String,
    Subquery,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)

from directory.core.db import today, utcnow
from directory.core.errors import InvalidInput
from directory.core.pagination import envelope
from directory.core.text import escape_like, fold
from directory.extensions import db
from directory.places.gazetteer import close_names, place_named, places_answering
from directory.practitioners.models import (
    OVER_LONG_WORDS,
    LiveProfileCount,
    Practitioner,
    PractitionerTreatment,
    SearchWord,
    VerifiedTreatment,
    city_match_key,
    verified_on,
)
from directory.practitioners.rating_summary import average

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.195  # of latitude, on a sphere of that radius
NEAR_RADIUS_KM = 25.0
DEFAULT_CURRENCY = "EUR"
# The date a statement compares with, read when it runs: so that the parts of a statement that
# depend on nothing else are built once (functools.cache) and a worker never keeps the day it
# started.
TODAY = bindparam("today", callable_=today, type_=Date)
# `total` is exact up to this many matches. Beyond, a search whose order an index gives stops
# counting there (see _counted_up_to_the_cap), as does a search for one word (_page_rows), and
# answers this number with total_exact false.
EXACT_TOTAL_UP_TO = 10_000


class SearchSort(enum.StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    SOONEST = "soonest"
    RATING = "rating"
    REVIEWS = "reviews"
    PRICE = "price"
    NEWEST = "newest"
    NAME = "name"


class SearchFacet(enum.StrEnum):
    TREATMENT = "treatment"
    LANGUAGE = "language"
    CITY = "city"
    COUNTRY = "country"
    VERIFIED = "verified"
    RATING = "rating"
    PRICE = "price"


# Bucket label: lowest average it holds (cumulative: "3+" holds the "4+" too).
RATING_BUCKETS = {"4+": 4, "3+": 3, "2+": 2, "1+": 1}
# Bucket label: (lower bound included, upper bound excluded); None: unbounded.
PRICE_BUCKETS = {
    "<50": (None, 50),
    "50-100": (50, 100),
    "100-200": (100, 200),
    "200-500": (200, 500),
    "500+": (500, None),
}


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    radius_km: float | None  # None: no limit, only an order and distances


@dataclass(frozen=True)
class Shape:
    """What a search's SQL depends on besides its values: the filters asked for, each with its
    structure (how many words, places, treatments...), whether there is a point to measure
    from, and whether prices are one treatment's. Every search of a shape and sort runs the same
    statement, built once (_page_statement), with its values as parameters (Criteria)."""

    filters: tuple[tuple[str, Hashable], ...]  # (name in FILTERS, structure), in FILTERS' order
    has_point: bool
    priced_by_treatment: bool

    @property
    def conditions(self) -> dict[str, ColumnElement]:
        """The filters as named SQL conditions, so that a facet can leave its own out
        (practitioners.facets)."""
        return {name: _condition(name, structure) for name, structure in self.filters}

    @property
    def words(self) -> tuple[bool, ...]:
        """Whether each word of `q` has a trigram to look up in an index (_words)."""
        return dict(self.filters).get("q", ())

    @property
    def terms(self) -> int:
        """How many words `q` has (the relevance order weighs each)."""
        return len(self.words)

    @property
    def distance(self) -> ColumnElement | None:
        """The distance shown (distance_km), computed for the page's rows only."""
        return _distance_km() if self.has_point else None

    @property
    def remoteness(self) -> ColumnElement | None:
        """What the distance order compares for every match (_haversine)."""
        return _haversine() if self.has_point else None

    @property
    def price(self) -> ColumnElement:
        """What max_price and the price facet compare (_price_compared)."""
        return _price_compared(self.priced_by_treatment)

    def matches(self, leaving_out: str | None = None) -> Select:
        """Ids of the listed profiles that pass every condition (but one, if named)."""
        kept = [c for name, c in self.conditions.items() if name != leaving_out]
        return select(Practitioner.id).where(listed(), *kept)


@dataclass(frozen=True)
class Criteria:
    """A search as asked: its shape, and the values of the parameters its SQL names."""

    shape: Shape
    parameters: dict[str, object]


@cache
def listed() -> ColumnElement:
    """Profiles that search and suggestions show: live, and not suspended."""
    return and_(Practitioner.deleted_at.is_(None), Practitioner.suspended_at.is_(None))


@dataclass(frozen=True)
class PractitionerSearch:
    """A search, paged by core.pagination (it builds its own page, in one statement)."""

    args: dict

    def page(self, page: int, per_page: int) -> dict:
        return search(self.args, page, per_page)


def search(args: dict, page: int, per_page: int) -> dict:
    from directory.practitioners.facet_cache import cached_facets
    from directory.practitioners.facets import count_facets  # they build on Criteria

    criteria = search_criteria(args)
    answer = _page(criteria, args["sort"], page, per_page)
    if args.get("facets"):
        facets = list(dict.fromkeys(args["facets"]))
        answer["facets"] = cached_facets(args, facets, lambda: count_facets(criteria, facets))
    return answer


def search_criteria(args: dict) -> Criteria:
    point = _point(args)
    parameters: dict[str, object] = {CURRENCY.key: args.get("currency", DEFAULT_CURRENCY)}
    if priced_by_treatment := _priced_by_treatment(args):
        parameters[PRICE_TREATMENT.key] = args["treatment"][0]
    if point is not None:
        parameters.update(_origin(point))
    filters = []
    for name, each in FILTERS.items():
        if (bound := each.bind(args, point)) is not None:
            filters.append((name, bound.structure))
            parameters.update(bound.values)
    return Criteria(Shape(tuple(filters), point is not None, priced_by_treatment), parameters)


def _point(args: dict) -> Point | None:
    """The point searched around: coordinates as given, or the place `near` names."""
    if "near" in args:
        place = place_named(args["near"], args.get("country"))
        if place is None:
            raise InvalidInput("near", _unknown_place(args["near"], args.get("country")))
        return Point(place.latitude, place.longitude, args.get("radius_km", NEAR_RADIUS_KM))
    if "lat" in args:
        return Point(args["lat"], args["lng"], args.get("radius_km"))
    return None


def _unknown_place(name: str, country: str | None) -> str:
    where = f" in {country}" if country else ""
    suggestions = close_names(name, country)
    if not suggestions:
        return f"No place{where} is known by this name."
    return f"No place{where} is known by this name. Did you mean: {', '.join(suggestions)}?"


def _page(criteria: Criteria, sort: SearchSort, page: int, per_page: int) -> dict:
    shape = criteria.shape
    page_values = {PAGE_SIZE.key: per_page, PAGE_OFFSET.key: (page - 1) * per_page}
    rows = _page_rows(shape, sort, {**criteria.parameters, **page_values})
    on_this_day = today()
    items = [_summary(row, on_this_day, shape.has_point) for row in rows]
    total, exact = _total(criteria, rows, _exact_past_the_cap(shape, sort), first_page=page == 1)
    answer = envelope(items, page, per_page, total if exact else EXACT_TOTAL_UP_TO)
    answer["total_exact"] = exact
    return answer


def _page_rows(shape: Shape, sort: SearchSort, values: dict) -> list:
    """The page's rows. A search for one word comes from walks (_walked) where the words of
    the directory say they are shorter than sorting every match
    (_walked_total_told_by_the_words); else, as a search for two words, it reads one match
    past the cap at most, and where it has more, comes from walks too. A page deeper than
    the walks serve (_walked_up_to) sorts every match, as any other search, and so does a page
    that the walk through the text left short (_text_walk_window)."""
    offset, page_size = values[PAGE_OFFSET.key], values[PAGE_SIZE.key]
    if not _ranked_by_walks(shape, sort) or offset + page_size > _walked_up_to(shape):
        return db.session.execute(_page_statement(shape, sort), values).all()
    total, listed = _walked_total_told_by_the_words(values) if shape.terms == 1 else (None, None)
    if total is None:
        if offset <= EXACT_TOTAL_UP_TO:  # else past what the capped read holds
            statement = _page_statement(shape, sort, Reading.UP_TO_THE_CAP)
            rows = db.session.execute(statement, values).all()
            if not rows or rows[0].total <= EXACT_TOTAL_UP_TO:
                return rows  # every match: none is left past this page
        total = EXACT_TOTAL_UP_TO + 1  # as a capped count says
    window = _text_walk_window(offset + page_size, total, listed)
    walked = {**values, WALKED_TOTAL.key: total, TEXT_WALK_WINDOW.key: window}
    rows = db.session.execute(_page_statement(shape, sort, Reading.WALKS), walked).all()
    total = rows[0].total if rows else total  # as the walks' own snapshot counts
    # Past the cap, more profiles match than the total says: enough to fill every page that
    # the walks serve, which end at the cap at most.
    past_the_cap = total > EXACT_TOTAL_UP_TO
    if len(rows) >= (page_size if past_the_cap else min(page_size, total - offset)):
        return rows
    return db.session.execute(_page_statement(shape, sort), values).all()


class Reading(enum.Enum):
    """How a page's statement reads the matches of a search whose order needs them sorted."""

    EVERY_MATCH = enum.auto()
    UP_TO_THE_CAP = enum.auto()  # one match more than the cap at most (_page_rows)
    WALKS = enum.auto()  # a search for one or two words with many matches (_walked)


# A walk reads about (the page's end) / (the share of profiles that match) rows: past the cap,
# at most 20,000 at 1,000,000 practitioners for a page that ends at the 200th match. Deeper,
# sorting every match costs less: at 1,000,000, `martin` in 175 ms against 259 for walks to
# its 1,000th match (bench/README.md).
WALKED_UP_TO = 200
assert WALKED_UP_TO < EXACT_TOTAL_UP_TO  # a page of walks past the cap is full (_page_rows)


def _walked_up_to(shape: Shape) -> int:
    """How deep the walks serve a search's pages: to WALKED_UP_TO, or to the cap for one word
    with no trigram to look up. Sorting every match then reads every profile (`ab` page 11
    took 1.2 s at 1,000,000 practitioners, bench/README.md), where the walks read about
    (the page's end) x (listed) / (matches) rows. Two such words are not walked deeper: the
    walk through the names that have both reads as many rows for each of them, and few names
    may (`de la` page 50: 3.0 s walked, 1.6 s sorted)."""
    return max(WALKED_UP_TO, EXACT_TOTAL_UP_TO) if shape.words == (False,) else WALKED_UP_TO


# The walk through the text reads the listed profiles in rating order, checking each: about
# (the page's end) x (listed profiles) / (matches) of them, where the matches are spread
# through that order as the ratings of all profiles are. It reads TEXT_WALK_MARGIN times that
# at most (and TEXT_WALK_FLOOR at least, a few milliseconds): a word that only profiles at the
# end of the order have, such as a new chain's unrated clinics, would otherwise be walked past
# every rated profile, for seconds at 1,000,000 practitioners. Its matches past the window
# come after every match the page holds, so a full page is right; a page left short sorts
# every match instead (_page_rows).
TEXT_WALK_MARGIN = 4
TEXT_WALK_FLOOR = 1_000
TEXT_WALK_WINDOW = bindparam("text_walk_window", type_=Integer)


# Enough for every shape real traffic asks for; an odd one is built again when it comes back.
STATEMENTS_KEPT = 256
PAGE_SIZE, PAGE_OFFSET = bindparam("page_size"), bindparam("page_offset")
WALKED_TOTAL = bindparam("walked_total", type_=Integer)  # walks count nothing (_page_rows)


@lru_cache(maxsize=STATEMENTS_KEPT)
def _page_statement(
    shape: Shape, sort: SearchSort, reading: Reading = Reading.EVERY_MATCH
) -> Select:
    """The statement of a page of every search of this shape and sort, reading its matches
    as `reading` says where they must be sorted (a search for words: _page_rows). Building
    it costs more Python than the rest of a search request (bench/README.md), so it is built
    once and run with each search's parameters.

    The page's ids first, from the indexes alone where they cover the filters and the order;
    then only the rows of the page are read."""
    keys = _sort_keys(sort, shape.terms, shape.remoteness)
    ordering = [key.ordered() for key in keys]
    matches = shape.matches()
    if not shape.filters:
        ids = matches.order_by(*ordering)
    elif sort in INDEX_ORDERED_SORTS:
        if sort is SearchSort.RATING and "city" in dict(shape.filters):
            ids = _walked_place_by_place(shape, keys)
        else:
            ids = matches.order_by(*ordering)
        ids = ids.add_columns(_counted_up_to_the_cap(shape).label("total"))
    elif reading is Reading.WALKS:
        ids = _walked(shape.words, keys)
    else:
        # The order needs every match sorted anyway: count them in the same scan, in a
        # subquery of its own that computes the sort keys. Ordered and limited, the window
        # would tempt the planner into walking an index in page order for rows that it must
        # all count anyway.
        carried = _carried(keys)
        if reading is Reading.UP_TO_THE_CAP:
            matches = select(matches.add_columns(*carried).limit(EXACT_TOTAL_UP_TO + 1).subquery())
            carried = []
        counted = matches.add_columns(*carried, func.count().over().label("total")).subquery()
        ids = select(counted.c.id, counted.c.total).order_by(*_ordered(counted, keys))
    page_ids = ids.limit(PAGE_SIZE).offset(PAGE_OFFSET).subquery("page_ids")
    # An unfiltered search reads its total from LiveProfileCount, in the same statement.
    total = page_ids.c.total if shape.filters else _live_profile_count()
    extra = [] if shape.distance is None else [shape.distance.label("distance_km")]
    return (
        select(
            *SUMMARY_COLUMNS,
            _treatments_and_prices().label("treatment_codes"),
            _verified_treatment_codes().label("verified_codes"),
            total.label("total"),
            *extra,
        )
        .join(page_ids, page_ids.c.id == Practitioner.id)
        .order_by(*ordering)
    )


# Sort keys that an index gives in order (migration 0005 and models): a page of such a search
# walks the index and stops, so its count must stop too, at the cap, to stay cheap when a
# search matches most profiles.
INDEX_ORDERED_SORTS: set[SearchSort] = {
    SearchSort.SOONEST,
    SearchSort.RATING,
    SearchSort.NEWEST,
    SearchSort.NAME,
    SearchSort.PRICE,
}


def _walked_place_by_place(shape: Shape, keys: "list[SortKey]") -> Select:
    """A city search's matches in rating order, merged from one walk per place the city answers
    to (_in_city), each in the city's rating index (models: ix_practitioners_live_city_by_rating)
    and stopping at the end of the page. One scan of `city_match IN (places)` cannot give the
    order: it read and sorted every match, 12,155 for Paris at 1,000,000 practitioners
    (bench/README.md), where each walk now reads about a page."""
    places = _parameters("place", dict(shape.filters)["city"])
    others = [condition for name, condition in shape.conditions.items() if name != "city"]
    walks = _walks([and_(Practitioner.city_match == place, *others) for place in places], keys)
    return select(walks.c.id).order_by(*_ordered(walks, keys))


def _walks(conditions: list[ColumnElement], keys: "list[SortKey]", step: int = 0) -> Subquery:
    """One walk per condition among the listed profiles, each in the order of keys[step:] (an
    index's) and stopping at the end of the page, under one: each row carries every key
    (_carried), for the merge."""
    return union_all(*(_walk(condition, keys, step) for condition in conditions)).subquery("walks")


def _walk(condition: ColumnElement, keys: "list[SortKey]", step: int = 0) -> Select:
    return select(
        select(Practitioner.id, *_carried(keys))
        .where(listed(), condition)
        .order_by(*(key.ordered() for key in keys[step:]))
        .limit(PAGE_OFFSET + PAGE_SIZE)
        .subquery()
    )


def _walk_within_the_window(condition: ColumnElement, keys: "list[SortKey]", step: int) -> Select:
    """A walk (_walk) that reads TEXT_WALK_WINDOW listed profiles at most, checking the
    condition on each as it goes: no index is asked for it."""
    window = (
        select(Practitioner.id, *_carried(keys), condition.label("met"))
        .where(listed())
        .order_by(*(key.ordered() for key in keys[step:]))
        .limit(TEXT_WALK_WINDOW)
        .subquery("text_window")
    )
    met = select(window.c.id, *_copies(window, keys))
    return select(
        met.where(window.c.met)
        .order_by(*_ordered(window, keys)[step:])
        .limit(PAGE_OFFSET + PAGE_SIZE)
        .subquery()
    )


def _carried(keys: "list[SortKey]") -> list[ColumnElement]:
    """The sort keys as columns of a subquery (sort_0, sort_1...), for an order outside it."""
    return [key.expression.label(f"sort_{i}") for i, key in enumerate(keys)]


def _copies(subquery: Subquery, keys: "list[SortKey]") -> list[ColumnElement]:
    """A subquery's copies of the sort keys (_carried)."""
    return [subquery.c[f"sort_{i}"] for i in range(len(keys))]


def _ordered(subquery: Subquery, keys: "list[SortKey]") -> list[ColumnElement]:
    """The order of `keys` on a subquery's copies of them (_carried)."""
    return [key.ordered(copy) for key, copy in zip(keys, _copies(subquery, keys), strict=True)]


def _exact_past_the_cap(shape: Shape, sort: SearchSort) -> bool:
    """Whether a filtered search's total is exact above the cap: where its page's statement
    counts every match, because the order needs every match sorted anyway. A search for one
    or two words stops at the cap instead, whichever page (_page_rows), so its pages agree."""
    return (
        bool(shape.filters)
        and sort not in INDEX_ORDERED_SORTS
        and not _ranked_by_walks(shape, sort)
    )


# A search for this many words at most, and nothing else, may rank its page from walks
# (_walked): one per kind of match that relevance ranks, 2^words x (words + 1) - 1 of them.
# With more words the matches are fewer and the walks more, and every match is sorted.
WALKED_WORDS = 2


def _ranked_by_walks(shape: Shape, sort: SearchSort) -> bool:
    return (
        sort is SearchSort.RELEVANCE
        and len(shape.filters) == 1
        and 1 <= shape.terms <= WALKED_WORDS
    )


def _walked(looked_up: tuple[bool, ...], keys: "list[SortKey]") -> Select:
    """The relevance order of a search for one or two words and nothing else, where they match
    more profiles than the cap of exact totals, or (one word) so many that walking to the
    page's end reads fewer rows than sorting every match (_page_rows). Its total is the count
    of the one word of the directory that holds `q`'s, read in the walks' own snapshot, else
    the one _page_rows binds (WALKED_TOTAL).

    Reading and sorting every match took 150 ms at 1,000,000 practitioners for a word past the
    cap, 10.9 ms at 100,000 for `lumiere` (4,340 matches; 3.1 ms in walks), and 1.1 s for
    `de la` (164,513 matches) at 1,000,000 (bench/README.md). The page is merged from walks in
    rating order instead, one per kind of match that relevance ranks (_ranked_kinds), and one
    through the text. A profile of the page comes early in the walk of its own kind, since
    every profile of that kind rated above it ranks above it too; so each walk stops at the
    end of the page. The walk through the text does not ask the trigram index, which would
    find every match first: the walk is short where many profiles match and are rated as often
    as the others, and stops at the end of its window where they are not (_text_walk_window).
    The other kinds read their own index where few profiles have them (models:
    ix_practitioners_live_name_key_trgm, ..._city_key_by_rating), as the planner judges from
    its statistics (a common surname: migration 0026).

    Where the kinds that rank fill the page by themselves, every profile of the page is of
    those kinds, and the walk through the text is not run: for a common surname it read as
    many rows as the name's walk, each with a longer text to check (bench/README.md, eleventh
    pass)."""
    ranking = [_walk(kind, keys, step=1) for kind in _ranked_kinds(looked_up)]
    ranked = union_all(*ranking).cte("ranked")
    page_filled = select(func.count(ranked.c.id.distinct())).scalar_subquery() >= (
        PAGE_OFFSET + PAGE_SIZE
    )
    anywhere = _walk_within_the_window(_text(looked_up), keys, step=1).subquery()
    walks = union_all(select(ranked), select(anywhere).where(~page_filled)).subquery("walks")
    one_word = len(looked_up) == 1
    total = func.coalesce(_only_word_count(), WALKED_TOTAL) if one_word else WALKED_TOTAL
    return (
        select(walks, total.label("total"))
        .distinct()  # a profile of two kinds comes from both walks
        .order_by(*_ordered(walks, keys))
    )


def _ranked_kinds(looked_up: tuple[bool, ...]) -> list[ColumnElement]:
    """Each kind of match that relevance ranks above a match anywhere in the text (_relevance),
    as the condition of its walk: some words in the name, or one of them as the city, or both
    (one word: in the name, the city, both). A profile of a kind ranks at least as high as any
    of a kind it has; every profile of a kind has each of its words in the name and its city,
    and ranks at least as high (the city is one place, so one of the words at most: they
    differ, _words). The name and the city are part of the text (models.search_keys): a walk
    checks the text only for the words its kind does not place."""
    words = len(looked_up)
    terms, cities = _parameters("term", words), _parameters("word", words)
    in_some_name = _in_some_name(words)
    kinds = []
    for named in _subsets(range(words)):
        for city in [None, *range(words)]:
            if not named and city is None:
                continue  # anywhere in the text: the walk within the window
            placed = {*named, city}
            kinds.append(
                and_(
                    *(_in_a_name(terms[i], looked_up[i], in_some_name[i]) for i in named),
                    *([] if city is None else [_is_city(cities[city])]),
                    *(_in_text(terms[i], looked_up[i]) for i in range(words) if i not in placed),
                )
            )
    return kinds


def _subsets(items: range) -> list[tuple[int, ...]]:
    return [subset for size in range(len(items) + 1) for subset in combinations(items, size)]


def _counted_up_to_the_cap(shape: Shape) -> ColumnElement:
    """How many profiles match, counted up to one past the cap: a scalar subquery that the page
    statement carries, so that the page stays one statement. A search for one word and nothing
    else is past the cap without a count where a word of the directory says so (PostgreSQL
    runs the count only when the CASE needs it)."""
    some = shape.matches().limit(EXACT_TOTAL_UP_TO + 1).subquery("capped")
    count = select(func.count()).select_from(some).scalar_subquery()
    # (Built into statements that a process keeps: a process serves one database.)
    if len(shape.filters) == 1 and shape.terms == 1 and _words_counted():
        return case((_past_the_cap_by_a_word(), literal(EXACT_TOTAL_UP_TO + 1)), else_=count)
    return count


def _walked_total_told_by_the_words(values: dict) -> tuple[int | None, int | None]:
    """The total of a search for one word whose page the walks should give, as the words of
    the directory tell without a count (models.SearchWord), or None where they do not; and
    how many profiles are listed, where the words were asked.

    Past the cap (_past_the_cap_by_a_word), the walks are short, and the total the cap's: at
    1,000,000 practitioners, counting 10,001 matches of a common word took 23-32 ms
    (bench/README.md). Under it, where only one word of the directory holds `q`'s, its
    profiles are the matches; the walk through the text reads about (the page's end) /
    (the share of profiles that match) rows, where sorting reads every match, so the walks
    serve the page where that is fewer."""
    if not _words_counted():
        return None, None
    past_the_cap, matches, listed = db.session.execute(_told_by_the_words(), values).one()
    if past_the_cap:
        return EXACT_TOTAL_UP_TO + 1, listed
    page_end = values[PAGE_OFFSET.key] + values[PAGE_SIZE.key]
    if matches is not None and matches * matches >= page_end * listed:
        return matches, listed
    return None, listed


def _text_walk_window(page_end: int, matches: int, listed: int | None) -> int:
    """How many listed profiles the walk through the text reads at most (TEXT_WALK_WINDOW):
    TEXT_WALK_MARGIN times the rows it reads where the matches are spread through the rating
    order as the ratings of every profile are. `matches` is how many profiles match, or fewer
    (the cap's total); `listed`, how many are listed, is read here where the words of the
    directory were not asked for it."""
    if listed is None:
        listed = db.session.scalar(select(_live_profile_count()))
    expected = -(-page_end * listed // max(matches, 1))  # rounded up
    return max(TEXT_WALK_MARGIN * expected, TEXT_WALK_FLOOR)


@cache
def _told_by_the_words() -> Select:
    """Whether a word of the directory puts `q`'s one word past the cap; how many profiles
    match it, where the words say exactly (_only_word_count); how many profiles are listed.
    (Built once, with the cap in it.)"""
    return select(_past_the_cap_by_a_word(), _only_word_count(), _live_profile_count())


def _only_word_count() -> ColumnElement:
    """How many profiles match `q`'s one word, where one word of the directory only holds it
    and no word was too long to count (OVER_LONG_WORDS, the least of words); else null."""
    holding = (
        select(SearchWord.word, SearchWord.profiles)
        .where(_may_hold(_parameters("term", 1)[0]))
        .limit(2)
        .subquery()
    )
    only_one = and_(func.count() == 1, func.min(holding.c.word) != OVER_LONG_WORDS)
    return select(case((only_one, func.min(holding.c.profiles)))).scalar_subquery()


def _past_the_cap_by_a_word() -> ColumnElement:
    """A word of the directory holds `q`'s one word (term_0) and more listed profiles than the
    cap have it: as many match it (models.SearchWord), a lower bound that needs no count."""
    return exists().where(
        SearchWord.profiles > EXACT_TOTAL_UP_TO, _holds(_parameters("term", 1)[0])
    )


def _holds(term: BindParameter) -> ColumnElement:
    """A word of the directory holds a word of `q` (`term`, its LIKE pattern: _text)."""
    return SearchWord.word.like(term, escape="\\")


def _may_hold(term: BindParameter) -> ColumnElement:
    """A word of the directory holds `term`, or is the over-long words', which may. (The
    empty word as a literal: a bound value would be named `word_1` after the column, as a
    search's second word is.)"""
    return or_(_holds(term), SearchWord.word == literal(OVER_LONG_WORDS))


def _words_counted() -> bool:
    """Whether the database keeps SearchWord's counts: PostgreSQL does (migration 0025)."""
    return db.session.get_bind().dialect.name == "postgresql"


# What a search result shows (PractitionerSummarySchema), read as plain columns: a page is
# turned into its wire form straight from its rows, without ORM objects or a field-by-field
# marshmallow dump (about half the Python of a search request; bench/README.md). The schema
# still documents it, and tests/practitioners/test_search_summaries.py holds the two equal.
SUMMARY_COLUMNS = (
    Practitioner.id,
    Practitioner.full_name,
    Practitioner.title,
    Practitioner.clinic_name,
    Practitioner.city,
    Practitioner.country,
    Practitioner.latitude,
    Practitioner.longitude,
    Practitioner.price_from,
    Practitioner.currency,
    Practitioner.accepts_new_patients,
    Practitioner.verified_until,
    Practitioner.rating_sum,
    Practitioner.rating_count,
    Practitioner.next_available,
    Practitioner.language_keys,
)


def _summary(row, on_this_day: date, with_distance: bool) -> dict:
    """A page row as the JSON of PractitionerSummarySchema, in its field order."""
    treatments, prices = {}, {}
    for token in (row.treatment_codes or "").split():
        slug, _, price = token.partition("=")
        treatments[slug] = None
        if price:
            prices[slug] = float(price)
    next_available = row.next_available
    summary = {
        "id": row.id,
        "full_name": row.full_name,
        "title": row.title,
        "clinic_name": row.clinic_name,
        "city": row.city,
        "country": row.country,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "treatments": sorted(treatments),
        "languages": row.language_keys.split(),  # sorted: codes_key
        "price_from": None if row.price_from is None else float(row.price_from),
        "treatment_prices": prices,
        "currency": row.currency,
        "accepts_new_patients": row.accepts_new_patients,
        "verified": verified_on(row.verified_until, on_this_day),
        "verified_treatments": sorted((row.verified_codes or "").split()),
        "rating": {"average": average(row.rating_sum, row.rating_count), "count": row.rating_count},
        "next_available": None if next_available is None else next_available.isoformat(),
    }
    if with_distance:  # null for a profile without coordinates (a search with no radius)
        distance = row.distance_km
        summary["distance_km"] = None if distance is None else round(distance, 2)
    return summary


@cache
def _verified_treatment_codes() -> ColumnElement:
    """Each row's verified treatments (unexpired), space-separated."""
    return (
        select(func.aggregate_strings(VerifiedTreatment.treatment_slug, " "))
        .where(
            VerifiedTreatment.practitioner_id == Practitioner.id,
            VerifiedTreatment.verified_until >= TODAY,
        )
        .scalar_subquery()
    )


@cache
def _treatments_and_prices() -> ColumnElement:
    """Each row's treatments, space-separated, a priced one as `slug=price`."""
    slug, price = PractitionerTreatment.treatment_slug, PractitionerTreatment.price
    token = case((price.is_(None), slug), else_=slug + "=" + cast(price, String))
    return (
        select(func.aggregate_strings(token, " "))
        .where(PractitionerTreatment.practitioner_id == Practitioner.id)
        .scalar_subquery()
    )


def _total(
    criteria: Criteria, rows: list, counted_in_scan: bool, first_page: bool
) -> tuple[int, bool]:
    """The total, and whether it is exact: it is for an unfiltered search (LiveProfileCount)
    and when the page's scan counted every match; a capped count is up to the cap."""
    unfiltered = not criteria.shape.filters
    if rows:
        total = rows[0].total
        return total, unfiltered or counted_in_scan or total <= EXACT_TOTAL_UP_TO
    if unfiltered:
        return db.session.scalar(select(LiveProfileCount.value)), True
    if first_page:
        return 0, True  # no match at all: nothing to count again
    # Past the last page: count on its own (up to the cap).
    total = db.session.scalar(select(_counted_up_to_the_cap(criteria.shape)), criteria.parameters)
    return total, total <= EXACT_TOTAL_UP_TO


def _live_profile_count() -> ColumnElement:
    return select(LiveProfileCount.value).scalar_subquery()


# Parameters that more than one filter, facet or order names.
CURRENCY = bindparam("currency")  # what max_price and the price facet are in
PRICE_TREATMENT = bindparam("price_treatment")  # the one treatment asked for, if only one


def _priced_by_treatment(args: dict) -> bool:
    """Whether prices compare one treatment's price (_price_compared): exactly one is asked for."""
    return len(args.get("treatment", [])) == 1


@cache
def _price_compared(by_treatment: bool) -> ColumnElement:
    """What max_price and the price facet compare: with exactly one treatment asked for, its
    price where the profile gives one; else the profile's price_from."""
    if not by_treatment:
        return Practitioner.price_from
    own_price = (
        select(PractitionerTreatment.price)
        .where(
            PractitionerTreatment.practitioner_id == Practitioner.id,
            PractitionerTreatment.treatment_slug == PRICE_TREATMENT,
        )
        .scalar_subquery()
    )
    return func.coalesce(own_price, Practitioner.price_from)


@dataclass(frozen=True)
class Bound:
    """A filter as asked for: the structure of its SQL and the values of its parameters."""

    structure: Hashable  # equal structures, equal SQL
    values: dict[str, object]


@dataclass(frozen=True)
class Filter:
    """A search filter: `bind` reads it from the arguments and the point searched around
    (None: not asked for); `condition` writes its SQL for a structure, naming the parameters
    that `bind` gives values to."""

    bind: Callable[[dict, Point | None], Bound | None]
    condition: Callable[[Hashable], ColumnElement]


@cache
def _condition(name: str, structure: Hashable) -> ColumnElement:
    return FILTERS[name].condition(structure)


def _valued(name: str, condition: Callable[[BindParameter], ColumnElement], type_=None) -> Filter:
    """A filter on one argument, whose value is the parameter of the same name."""
    return Filter(
        lambda args, point: Bound(None, {name: args[name]}) if name in args else None,
        lambda structure: condition(bindparam(name, type_=type_)),
    )


def _yes_or_no(name: str, condition: Callable[[bool], ColumnElement]) -> Filter:
    """A filter on a yes-or-no argument: an SQL condition for each answer."""
    return Filter(lambda args, point: Bound(args[name], {}) if name in args else None, condition)


def _numbered(prefix: str, values: list) -> Bound | None:
    """Values as parameters prefix_0, prefix_1, ...; the structure is how many there are."""
    if not values:
        return None
    return Bound(len(values), {f"{prefix}_{i}": value for i, value in enumerate(values)})


def _parameters(prefix: str, count: int) -> list[BindParameter]:
    return [bindparam(f"{prefix}_{i}") for i in range(count)]


def _in_city(args: dict, point: Point | None) -> Bound | None:
    """Profiles of every place that answers to `city`, and those whose city is spelt so (a
    city the gazetteer does not know): one condition on city_match (city_match_key)."""
    if "city" not in args:
        return None
    key = fold(args["city"])
    # Looked up first (as for `near`; once per name: places_answering), so that the planner
    # sees the keys and estimates the city's size from its statistics: as a subquery, it
    # guessed, and probed every profile that speaks a language asked for instead.
    places = places_answering(key)
    keys = [city_match_key(place, key) for place in places]
    return _numbered("place", [*keys, city_match_key(None, key)])


def _words(args: dict, point: Point | None) -> Bound | None:
    """Every word of `q` must occur in the profile's text (term_i, a LIKE pattern); the
    relevance order also compares each word with the city (word_i). A word said twice is one:
    it would double every score, the same order."""
    words = list(dict.fromkeys(fold(args.get("q")).split()))
    if not words:
        return None
    patterns = _numbered("term", [f"%{escape_like(word)}%" for word in words])
    looked_up = tuple(bool(TRIGRAM.search(word)) for word in words)
    return Bound(looked_up, {**patterns.values, **_numbered("word", words).values})


# Three letters or digits in a row: what pg_trgm's index looks a word up by (it splits words
# on any other character).
TRIGRAM = re.compile(r"[^\W_]{3}")


def _text(looked_up: tuple[bool, ...]) -> ColumnElement:
    """Every word of `q` is in the profile's text. Where the database keeps the words of the
    directory, a word that none of them holds (nor an over-long one) matches no profile: each
    word is checked there too, once, before any scan (PostgreSQL's one-time filter). A word
    of fewer than three letters gives the trigram index nothing to look up, so its scan reads
    every profile: `zq` took 2.4 s at 1,000,000 practitioners (bench/README.md, sixteenth
    pass)."""
    terms = _parameters("term", len(looked_up))
    in_the_text = [_in_text(term, each) for term, each in zip(terms, looked_up, strict=True)]
    if not _words_counted():
        return and_(*in_the_text)
    return and_(*(_held_by_a_word(term) for term in terms), *in_the_text)


def _in_text(term: BindParameter, looked_up: bool) -> ColumnElement:
    return _searched(Practitioner.search_text, looked_up).like(term, escape="\\")


def _searched(column: ColumnElement, looked_up: bool) -> ColumnElement:
    """A column as a LIKE compares it with a word of `q`: itself, where the word has a trigram
    for the column's trigram index to look up (_words); else a copy that no index serves, read
    by a scan or a walk. For such a word the index returns every row to check again, and the
    planner, which expects far fewer, took it: the names with `de` and `la`, for a page of
    `q=de la` past the 200th match, in 1.25 s at 1,000,000 practitioners (bench/README.md)."""
    return column if looked_up else column.concat(literal_column("''"))


def _held_by_a_word(term: BindParameter) -> ColumnElement:
    """A word of the directory, or the over-long ones counted together, may hold `term`."""
    return exists().where(_may_hold(term))


def _offered(args: dict, point: Point | None) -> Bound | None:
    slugs = dict.fromkeys(args.get("treatment", []))
    return _numbered("treatment", [_code_pattern(slug) for slug in slugs])


def _offers_every(count: int) -> ColumnElement:
    return and_(
        *(_has_code(Practitioner.treatment_keys, p) for p in _parameters("treatment", count))
    )


def _code_pattern(code: str) -> str:
    """The pattern of a codes_key column that holds `code`. It is the predicate of the
    per-treatment location indexes (models.treatment_location_index), which PostgreSQL
    matches word for word: the driver sends parameters as literals, so the server sees it."""
    return f"% {escape_like(code)} %"


def _has_code(keys: ColumnElement, pattern: ColumnElement) -> ColumnElement:
    return keys.like(pattern, escape="\\")


def is_verified() -> ColumnElement:
    return Practitioner.verified_until >= TODAY


def _verified(wanted: bool) -> ColumnElement:
    verified = is_verified()
    return verified if wanted else or_(Practitioner.verified_until.is_(None), ~verified)


def _verified_for(slug: ColumnElement) -> ColumnElement:
    return exists().where(
        VerifiedTreatment.practitioner_id == Practitioner.id,
        VerifiedTreatment.treatment_slug == slug,
        VerifiedTreatment.verified_until >= TODAY,
    )


def rated_at_least(stars: ColumnElement) -> ColumnElement:
    """Average >= stars, without division: exact, and unrated practitioners never match."""
    return and_(
        Practitioner.rating_count > 0,
        Practitioner.rating_sum >= stars * Practitioner.rating_count,
    )


def _under_max_price(args: dict, point: Point | None) -> Bound | None:
    if "max_price" not in args:
        return None
    return Bound(_priced_by_treatment(args), {"max_price": args["max_price"]})


def _priced_under(by_treatment: bool) -> ColumnElement:
    price = _price_compared(by_treatment)
    return and_(Practitioner.currency == CURRENCY, price <= bindparam("max_price"))


def _available_soon(args: dict, point: Point | None) -> Bound | None:
    """A free slot starts within `available_within_days` days: the precomputed first one does
    (it is null when none is free within the horizon). The bound moves with the clock."""
    if "available_within_days" not in args:
        return None
    days = timedelta(days=args["available_within_days"])
    return Bound(None, {"available_before": utcnow() + days})


def _around(args: dict, point: Point | None) -> Bound | None:
    """Within radius_km of the point: a bounding box (a cheap, indexable pre-filter) and the
    distance itself."""
    if point is None or point.radius_km is None:
        return None
    box = bounding_box(point.latitude, point.longitude, point.radius_km)
    south, north = box.latitudes
    values = {"south": south, "north": north, "haversine": _haversine_of(point.radius_km)}
    if box.longitudes is not None:
        values.update(west=box.longitudes[0], east=box.longitudes[1])
    return Bound(box.longitudes is not None, values)


def _within(bounded_in_longitude: bool) -> ColumnElement:
    conditions = [Practitioner.latitude.between(bindparam("south"), bindparam("north"))]
    if bounded_in_longitude:
        conditions.append(Practitioner.longitude.between(bindparam("west"), bindparam("east")))
    return and_(*conditions, _haversine() <= bindparam("haversine", type_=Float))


# Each filter, by the name the facets leave out (practitioners.facets.OWN_FILTER).
#
# In this order: PostgreSQL checks a scan's filters of equal cost in the order they are
# written, so plain comparisons come first and patterns (codes, then text) after them, and
# most rows are turned away before a LIKE runs (25 km around Paris at 1,000,000 practitioners,
# verified before the treatment: 9.5 -> 8.0 ms). Subqueries and the distance cost more and
# are checked last whatever their place.
FILTERS: dict[str, Filter] = {
    "country": _valued("country", lambda code: Practitioner.country == code),
    "accepts_new_patients": _yes_or_no(
        "accepts_new_patients", lambda wanted: Practitioner.accepts_new_patients.is_(wanted)
    ),
    "verified": _yes_or_no("verified", _verified),
    "min_rating": _valued("min_rating", rated_at_least, Float),
    "updated_since": _valued("updated_since", lambda since: Practitioner.updated_at >= since),
    "available_within_days": Filter(
        _available_soon, lambda _: Practitioner.next_available <= bindparam("available_before")
    ),
    "max_price": Filter(_under_max_price, _priced_under),
    "city": Filter(
        _in_city, lambda count: Practitioner.city_match.in_(_parameters("place", count))
    ),
    "treatment": Filter(_offered, _offers_every),
    "language": Filter(
        lambda args, point: (
            Bound(None, {"language": _code_pattern(args["language"])})
            if "language" in args
            else None
        ),
        lambda _: _has_code(Practitioner.language_keys, bindparam("language")),
    ),
    "q": Filter(_words, _text),
    "verified_for": _valued("verified_for", _verified_for),
    "radius": Filter(_around, _within),
}


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


def _origin(point: Point) -> dict[str, float]:
    """The values of the parameters _distance_km names."""
    return {
        ORIGIN_LATITUDE.key: point.latitude,
        ORIGIN_LONGITUDE.key: point.longitude,
        ORIGIN_COSINE.key: math.cos(math.radians(point.latitude)),
    }


ORIGIN_LATITUDE = bindparam("origin_latitude", type_=Float)
ORIGIN_LONGITUDE = bindparam("origin_longitude", type_=Float)
ORIGIN_COSINE = bindparam("origin_cosine", type_=Float)  # of its latitude


@cache
def _haversine() -> ColumnElement:
    """The haversine of the angle between the point searched around (_origin) and each
    practitioner. It grows with the distance, so the radius and the distance order compare it
    as it is, and only the page's rows take the arcsine of a distance (_distance_km): the
    trigonometry of every match was most of a radius search's SQL."""
    half_dlat = func.radians(Practitioner.latitude - ORIGIN_LATITUDE) / 2
    half_dlng = func.radians(Practitioner.longitude - ORIGIN_LONGITUDE) / 2
    sin_dlat, sin_dlng = func.sin(half_dlat), func.sin(half_dlng)
    return (
        sin_dlat * sin_dlat
        + ORIGIN_COSINE * func.cos(func.radians(Practitioner.latitude)) * sin_dlng * sin_dlng
    )


def _haversine_of(distance_km: float) -> float:
    """The haversine of a distance: what _haversine is at most within it."""
    return math.sin(distance_km / (2 * EARTH_RADIUS_KM)) ** 2


@cache
def _distance_km() -> ColumnElement:
    """Great-circle (haversine) distance from the point searched around to each practitioner,
    in km."""
    return 2 * EARTH_RADIUS_KM * func.asin(func.sqrt(_at_most_one(_haversine())))


def _at_most_one(value: ColumnElement) -> ColumnElement:
    """Clamp rounding noise above 1 (antipodes), which asin would refuse."""
    return case((value > 1, literal(1.0)), else_=value)


@dataclass(frozen=True)
class SortKey:
    """One key of a search's order: an expression and its direction."""

    expression: ColumnElement
    descending: bool = False
    nulls_last: bool = False

    def ordered(self, carried: ColumnElement | None = None) -> ColumnElement:
        """The ORDER BY element, on the expression or on a subquery's copy of it."""
        expression = self.expression if carried is None else carried
        ordered = expression.desc() if self.descending else expression.asc()
        return ordered.nulls_last() if self.nulls_last else ordered


def _relevance(words: int) -> list[SortKey]:
    """Two points per word of `q` in the name, one per word that is the city (the parameters
    of _words), then the best rated."""
    if not words:
        return _best_rated()
    name_hits = sum(
        (case((_in_name(term), 2), else_=0) for term in _parameters("term", words)),
        start=literal(0),
    )
    city_hits = sum(
        (case((_is_city(word), 1), else_=0) for word in _parameters("word", words)),
        start=literal(0),
    )
    return [SortKey(name_hits + city_hits, descending=True), *_best_rated()]


def _in_name(term: BindParameter, looked_up: bool = True) -> ColumnElement:
    return _searched(Practitioner.name_key, looked_up).like(term, escape="\\")


def _in_a_name(
    term: BindParameter, looked_up: bool, in_some_name: ColumnElement | None
) -> ColumnElement:
    """`term` is in the profile's name, as a walk through the names asks it: only if it may be
    in some name (_in_some_name), checked before any scan."""
    in_the_name = _in_name(term, looked_up)
    return in_the_name if in_some_name is None else and_(in_some_name, in_the_name)


def _in_some_name(words: int) -> list[ColumnElement | None]:
    """For each word of `q`, whether a word of some name may hold it (models.SearchWord.names),
    where the database keeps the words of the directory; else None. Without it, a walk through
    the names reads the whole rating order, or every name from the trigram index for a word
    of two letters, to find none: `ab` (in `cabinet`, in no name) took 1.1 s at 1,000,000
    practitioners (bench/README.md, seventeenth pass). Checked once, in a CTE that each walk
    reads before its scan (PostgreSQL's one-time filter): a check per walk would read the
    words six times for each of two words."""
    if not _words_counted():
        return [None] * words
    terms = _parameters("term", words)
    checks = select(
        *(
            exists().where(SearchWord.names > 0, _may_hold(term)).label(f"in_a_name_{i}")
            for i, term in enumerate(terms)
        )
    ).cte("in_some_name")
    return [select(checks.c[f"in_a_name_{i}"]).scalar_subquery() for i in range(words)]


def _is_city(word: BindParameter) -> ColumnElement:
    return Practitioner.city_key == word


def _best_rated() -> list[SortKey]:
    return [SortKey(Practitioner.rating_score, descending=True, nulls_last=True)]


# Each sort's keys, from the number of words of `q` and the remoteness, what grows with the
# distance (Shape.remoteness; None without a point).
ORDERINGS: dict[SearchSort, Callable[[int, ColumnElement | None], list[SortKey]]] = {
    SearchSort.RELEVANCE: lambda terms, remoteness: _relevance(terms),
    SearchSort.DISTANCE: lambda terms, remoteness: [SortKey(remoteness, nulls_last=True)],
    SearchSort.SOONEST: lambda terms, remoteness: [
        SortKey(Practitioner.next_available, nulls_last=True)
    ],
    SearchSort.RATING: lambda terms, remoteness: _best_rated(),
    SearchSort.REVIEWS: lambda terms, remoteness: [
        SortKey(Practitioner.rating_count, descending=True)
    ],
    SearchSort.PRICE: lambda terms, remoteness: [SortKey(Practitioner.price_from, nulls_last=True)],
    SearchSort.NEWEST: lambda terms, remoteness: [
        SortKey(Practitioner.created_at, descending=True)
    ],
    SearchSort.NAME: lambda terms, remoteness: [SortKey(Practitioner.name_key)],
}


def _sort_keys(sort: SearchSort, terms: int, remoteness: ColumnElement | None) -> list[SortKey]:
    keys = ORDERINGS[sort](terms, remoteness)
    return [*keys, SortKey(Practitioner.id)]  # ties broken by id: pages never repeat or skip
