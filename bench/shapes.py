"""The fixed request mix: each shape is a list of paths replayed in turn.

Several variants per shape (cities, words, treatments) so that no single query is all the
database ever sees. Profile and testimonial reads take their ids from the data set: the
testimonial lists are those of the most-reviewed profiles, the worst case. `near=` is
measured against the same search at the gazetteer's point given as coordinates.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from bench.vocabulary import CITIES

SEARCH = "/api/v1/practitioners"
SUGGEST = "/api/v1/suggest"
ALL_FACETS = "treatment,language,city,country,verified,rating,price"
# The new hot paths of QUALITY.md, with their median bars in milliseconds.
SUGGEST_MEDIAN_MS, FACETS_MEDIAN_MS = 10, 40
SLOTS_MEDIAN_MS, AVAILABLE_MEDIAN_MS = 10, 15
SLOT_DAYS = 14


@dataclass(frozen=True)
class Shape:
    name: str
    description: str
    paths: list[str]
    # "search": held to the search bars; "hot": a new hot path, held to its own median bar
    # (`median_ms`); "read": a profile page; "floor": no database at all, the cost of HTTP,
    # WSGI and Flask that every request pays.
    kind: str = "search"
    median_ms: float | None = None

    @property
    def search(self) -> bool:
        return self.kind == "search"

    @property
    def explained(self) -> bool:
        """Its plans go into the report."""
        return self.kind in ("search", "hot")


def _search(**params) -> str:
    return f"{SEARCH}?{urlencode(params, doseq=True)}"


def _city(name: str) -> tuple:
    return next(city for city in CITIES if city[0] == name)


RADIUS = [
    ("Paris", "anti-aging"),
    ("London", "hair-restoration"),
    ("Madrid", "skin-rejuvenation"),
    ("Berlin", "cellulite"),
    ("Milano", "pigmentation"),
    ("New York", "acne-scars"),
]


def search_shapes() -> list[Shape]:
    radius = RADIUS
    return [
        Shape("rating", "no filter, best rated first", [_search(sort="rating")]),
        Shape(
            "text",
            "text `q` (name, clinic, city or bio words)",
            [_search(q=term) for term in ("martin", "lumiere", "rossi", "eclat derma", "weber")],
        ),
        Shape(
            "radius",
            "25 km around a city centre + treatment + verified",
            [
                _search(
                    lat=_city(c)[3], lng=_city(c)[4], radius_km=25, treatment=t, verified="true"
                )
                for c, t in radius
            ],
        ),
        Shape(
            "city",
            "city + language + max_price",
            [
                _search(city=city, language=language, max_price=price)
                for city, language, price in (
                    ("Paris", "fr", 200),
                    ("London", "en", 250),
                    ("Madrid", "es", 150),
                    ("Berlin", "de", 200),
                    ("Milano", "it", 180),
                )
            ],
        ),
        Shape("deep", "page 50 of the default listing", [_search(page=50)]),
    ]


def hot_shapes() -> list[Shape]:
    """Suggestions and facets (QUALITY.md, "New hot paths at 100k")."""
    return [
        Shape(
            "suggest",
            "suggestions for the first letters of a name, a place or a treatment",
            [
                f"{SUGGEST}?{urlencode({'q': q})}"
                for q in ("mar", "lum", "pari", "anti", "ber", "rossi", "mün", "hair", "derm")
            ],
            kind="hot",
            median_ms=SUGGEST_MEDIAN_MS,
        ),
        Shape(
            "suggest-typo",
            "suggestions for a word with a typo (forgiven on PostgreSQL)",
            [
                f"{SUGGEST}?{urlencode({'q': q})}"
                for q in ("clinque", "munchn", "barcelna", "lumeire", "weebr")
            ],
            kind="hot",
            median_ms=SUGGEST_MEDIAN_MS,
        ),
        Shape(
            "facets",
            "all seven facets, no filter",
            [_search(facets=ALL_FACETS)],
            kind="hot",
            median_ms=FACETS_MEDIAN_MS,
        ),
        Shape(
            "facets-filtered",
            "all seven facets with two or three filters",
            [
                _search(facets=ALL_FACETS, **filters)
                for filters in (
                    {"country": "FR", "verified": "true"},
                    {"treatment": "anti-aging", "language": "en"},
                    {"city": "Madrid", "max_price": 200},
                    {"country": "DE", "min_rating": 4, "accepts_new_patients": "true"},
                )
            ],
            kind="hot",
            median_ms=FACETS_MEDIAN_MS,
        ),
    ]


def booking_shapes(cursor) -> list[Shape]:
    """Free slots for two weeks, and search by availability (QUALITY.md, "New hot paths")."""
    cursor.execute(
        "SELECT a.practitioner_id FROM availabilities a JOIN practitioners p "
        "ON p.id = a.practitioner_id WHERE p.deleted_at IS NULL ORDER BY md5(p.id) LIMIT 50"
    )
    first = datetime.now(UTC).date()
    days = {"from": first.isoformat(), "to": (first + timedelta(days=SLOT_DAYS - 1)).isoformat()}
    return [
        Shape(
            "slots",
            f"free slots of {SLOT_DAYS} days, 50 practitioners",
            [f"{SEARCH}/{id_}/slots?{urlencode(days)}" for (id_,) in cursor.fetchall()],
            kind="hot",
            median_ms=SLOTS_MEDIAN_MS,
        ),
        Shape(
            "available",
            "available_within_days, sort=soonest (alone, with a city, with a treatment)",
            [
                _search(available_within_days=7, sort="soonest"),
                _search(available_within_days=3, sort="soonest", city="Paris"),
                _search(available_within_days=14, sort="soonest", treatment="anti-aging"),
                _search(available_within_days=2, city="London", language="en"),
            ],
            kind="hot",
            median_ms=AVAILABLE_MEDIAN_MS,
        ),
    ]


def near_shapes(points: dict[str, tuple[float, float]]) -> list[Shape]:
    """`near=` and the same radius search at the place's point (`points`: city name -> the
    gazetteer's latitude and longitude), to measure what resolving the name costs."""
    return [
        Shape(
            "near",
            "near=<city> (25 km) + treatment + verified",
            [_search(near=c, treatment=t, verified="true") for c, t in RADIUS],
            kind="hot",
        ),
        Shape(
            "near-radius",
            "the same as coordinates: lat/lng of the place + radius_km=25",
            [
                _search(
                    lat=points[c][0], lng=points[c][1], radius_km=25, treatment=t, verified="true"
                )
                for c, t in RADIUS
            ],
            kind="hot",
        ),
    ]


def read_shapes(cursor) -> list[Shape]:
    cursor.execute(
        "SELECT id FROM practitioners WHERE deleted_at IS NULL ORDER BY md5(id) LIMIT 50"
    )
    profiles = [f"{SEARCH}/{id_}" for (id_,) in cursor.fetchall()]
    cursor.execute(
        "SELECT id FROM practitioners WHERE deleted_at IS NULL "
        "ORDER BY rating_count DESC, id LIMIT 10"
    )
    lists = [f"{SEARCH}/{id_}/testimonials" for (id_,) in cursor.fetchall()]
    return [
        Shape("floor", "GET /healthz: HTTP and Flask, no database", ["/healthz"], kind="floor"),
        Shape("profile", "one profile, with certifications and rating", profiles, kind="read"),
        Shape("testimonials", "first page of the most-reviewed profiles", lists, kind="read"),
    ]
