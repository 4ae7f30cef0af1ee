"""The fixed request mix: each shape is a list of paths replayed in turn.

Several variants per shape (cities, words, treatments) so that no single query is all the
database ever sees. Profile and testimonial reads take their ids from the data set: the
testimonial lists are those of the most-reviewed profiles, the worst case.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from bench.vocabulary import CITIES

SEARCH = "/api/v1/practitioners"


@dataclass(frozen=True)
class Shape:
    name: str
    description: str
    paths: list[str]
    # "search": held to the search bars; "read": a profile page; "floor": no database at all,
    # the cost of HTTP, WSGI and Flask that every request pays.
    kind: str = "search"

    @property
    def search(self) -> bool:
        return self.kind == "search"


def _search(**params) -> str:
    return f"{SEARCH}?{urlencode(params, doseq=True)}"


def _city(name: str) -> tuple:
    return next(city for city in CITIES if city[0] == name)


def search_shapes() -> list[Shape]:
    radius = [
        ("Paris", "anti-aging"),
        ("London", "hair-restoration"),
        ("Madrid", "skin-rejuvenation"),
        ("Berlin", "cellulite"),
        ("Milano", "pigmentation"),
        ("New York", "acne-scars"),
    ]
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
