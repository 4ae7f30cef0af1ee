"""Facets: counts for a frontend's filters, checked against brute-force counts over the same
profiles."""

import pytest

from tests.helpers import reviewed

SEARCH = "/api/v1/practitioners"
ALL_FACETS = "treatment,language,city,country,verified,rating,price"
RATING_BUCKETS = {"4+": 4, "3+": 3, "2+": 2, "1+": 1}
PRICE_BUCKETS = {
    "<50": (0, 50),
    "50-100": (50, 100),
    "100-200": (100, 200),
    "200-500": (200, 500),
    "500+": (500, float("inf")),
}

# name: profile body, the gazetteer place its city means, reviews' stars, verified
PROFILES = {
    "Dr Anna Huber": (
        {
            "city": "München",
            "country": "DE",
            "treatments": ["anti-aging", "cellulite"],
            "languages": ["de", "en"],
            "price_from": 120,
            "treatment_prices": {"anti-aging": 45},
        },
        "Munich",
        [5, 4],
        True,
    ),
    "Dr Ben Maier": (
        {
            "city": "Munich",
            "country": "DE",
            "treatments": ["anti-aging"],
            "languages": ["de"],
            "price_from": 600,
        },
        "Munich",
        [2],
        False,
    ),
    "Dr Carla Wolf": (
        {
            "city": "Köln",
            "country": "DE",
            "treatments": ["cellulite", "pigmentation"],
            "languages": ["de", "fr"],
            "price_from": 99.99,
        },
        "Köln",
        [],
        True,
    ),
    "Dr Dora Petit": (
        {
            "city": "Paris",
            "country": "FR",
            "treatments": ["anti-aging", "pigmentation"],
            "languages": ["fr", "en"],
            "price_from": 200,
            "treatment_prices": {"anti-aging": 250, "pigmentation": 150},
        },
        "Paris",
        [3, 3, 4],
        False,
    ),
    "Dr Emil Favre": (
        {
            "city": "Genève",
            "country": "CH",
            "treatments": ["anti-aging"],
            "languages": ["fr", "de", "it"],
            "price_from": 150,
            "currency": "CHF",
        },
        "Geneva",
        [1],
        True,
    ),
    "Dr Fay Roux": (
        {
            "city": "Saint-Rémy-de-Provence",  # no place of the gazetteer
            "country": "FR",
            "treatments": ["hair-restoration"],
            "languages": ["fr"],
            "price_from": None,
        },
        "Saint-Rémy-de-Provence",
        [],
        False,
    ),
    "Dr Gil Costa": (
        {
            "city": "Paris",
            "country": "FR",
            "treatments": ["anti-aging", "cellulite", "hair-restoration"],
            "languages": ["pt", "fr"],
            "price_from": 50,
        },
        "Paris",
        [5],
        False,
    ),
}

# Each combination of filters checked, as query strings and as a brute-force predicate.
FILTER_SETS = [
    [],
    [("country", "DE")],
    [("country", "DE"), ("language", "de")],
    [("treatment", "anti-aging")],
    [("treatment", "anti-aging"), ("treatment", "cellulite")],
    [("treatment", "anti-aging"), ("max_price", "100")],
    [("max_price", "160"), ("currency", "CHF")],
    [("verified", "true"), ("min_rating", "3")],
    [("city", "munich"), ("verified", "false")],
    [("language", "fr"), ("min_rating", "1"), ("max_price", "300")],
    [("q", "dr"), ("city", "paris")],
]

OWN_FILTER = {
    "treatment": None,
    "language": "language",
    "city": "city",
    "country": "country",
    "verified": "verified",
    "rating": "min_rating",
    "price": "max_price",
}


@pytest.fixture
def directory(client, actors, admin) -> list[dict]:
    """The profiles, and what brute force needs to know of each."""
    profiles = []
    for name, (body, place, stars, verified) in PROFILES.items():
        owner = actors.practitioner_with_profile(
            full_name=name, latitude=None, longitude=None, **body
        )
        for rating in stars:
            reviewed(client, actors.patient(), owner, rating=rating)
        if verified:
            _verify(client, owner, admin)
        profiles.append(
            {
                "currency": "EUR",
                "treatment_prices": {},
                **body,
                "name": name,
                "place": place,
                "stars": stars,
                "verified": verified,
            }
        )
    return profiles


def _verify(client, owner, admin) -> None:
    certification = client.post(
        f"{SEARCH}/{owner.practitioner_id}/certifications",
        json={"name": "DU", "issuing_body": "Université", "issued_on": "2020-01-01"},
        headers=owner.headers,
    ).json
    verified = client.post(
        f"/api/v1/admin/certifications/{certification['id']}/verify", headers=admin.headers
    )
    assert verified.status_code == 200


def _price(profile: dict, filters: dict) -> float | None:
    treatments = filters.get("treatment", [])
    if len(treatments) == 1 and treatments[0] in profile["treatment_prices"]:
        return profile["treatment_prices"][treatments[0]]
    return profile["price_from"]


def _average(profile: dict) -> float | None:
    stars = profile["stars"]
    return sum(stars) / len(stars) if stars else None


CHECKS = {
    "q": lambda p, value, filters: True,  # "dr": every name
    "treatment": lambda p, value, filters: set(value) <= set(p["treatments"]),
    "language": lambda p, value, filters: value[0] in p["languages"],
    "city": lambda p, value, filters: p["place"].casefold() == value[0],
    "country": lambda p, value, filters: p["country"] == value[0],
    "verified": lambda p, value, filters: p["verified"] == (value[0] == "true"),
    "min_rating": lambda p, value, filters: (
        _average(p) is not None and _average(p) >= float(value[0])
    ),
    "max_price": lambda p, value, filters: (
        p["currency"] == filters.get("currency", ["EUR"])[0]
        and _price(p, filters) is not None
        and _price(p, filters) <= float(value[0])
    ),
    "currency": lambda p, value, filters: True,
}


def _brute_force(profiles: list[dict], query: list[tuple]) -> dict[str, list[dict]]:
    filters: dict[str, list] = {}
    for name, value in query:
        filters.setdefault(name, []).append(value)

    def matches(leaving_out: str | None) -> list[dict]:
        return [
            p
            for p in profiles
            if all(CHECKS[f](p, v, filters) for f, v in filters.items() if f != leaving_out)
        ]

    facets = {}
    for facet, own in OWN_FILTER.items():
        counts: dict[str, int] = {}
        for p in matches(own):
            for value in _values(facet, p, filters):
                counts[value] = counts.get(value, 0) + 1
        order = list({"rating": RATING_BUCKETS, "price": PRICE_BUCKETS}.get(facet, []))
        ranked = sorted(
            counts.items(),
            key=lambda item: (-item[1], order.index(item[0]) if order else 0, item[0]),
        )
        facets[facet] = [{"value": v, "count": n} for v, n in ranked[:20]]
    return facets


def _values(facet: str, p: dict, filters: dict) -> list[str]:
    if facet == "treatment":
        return p["treatments"]
    if facet == "language":
        return p["languages"]
    if facet == "city":
        return [p["place"]]
    if facet == "country":
        return [p["country"]]
    if facet == "verified":
        return ["true" if p["verified"] else "false"]
    if facet == "rating":
        average = _average(p)
        return [b for b, least in RATING_BUCKETS.items() if average and average >= least]
    price = _price(p, filters)
    if price is None or p["currency"] != filters.get("currency", ["EUR"])[0]:
        return []
    return [b for b, (low, high) in PRICE_BUCKETS.items() if low <= price < high]


def test_every_facet_counts_what_brute_force_counts(client, directory):
    for query in FILTER_SETS:
        response = client.get(SEARCH, query_string=[*query, ("facets", ALL_FACETS)])
        assert response.status_code == 200, response.json

        assert response.json["facets"] == _brute_force(directory, query), query


def test_the_brute_force_is_not_trivial(directory):
    facets = _brute_force(directory, [("country", "DE"), ("language", "de")])

    assert facets["country"] == [
        {"value": "DE", "count": 3},
        {"value": "CH", "count": 1},
    ]  # the alternatives to DE, among the German speakers
    assert {"value": "Munich", "count": 2} in facets["city"]
    assert facets["rating"] == [  # ties in the order of the buckets
        {"value": "2+", "count": 2},
        {"value": "1+", "count": 2},
        {"value": "4+", "count": 1},
        {"value": "3+", "count": 1},
    ]


def test_only_the_facets_asked_for_come_back(client, directory):
    body = client.get(SEARCH, query_string={"facets": "price,city,price"}).json

    assert set(body["facets"]) == {"price", "city"}
    assert "facets" not in client.get(SEARCH).json


def test_a_facet_shows_at_most_20_values_most_frequent_first(client, actors):
    codes = "ar bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv".split()
    actors.practitioner_with_profile(languages=codes[:20])
    actors.practitioner_with_profile(languages=codes[5:])

    languages = client.get(SEARCH, query_string={"facets": "language"}).json["facets"]["language"]

    assert len(languages) == 20
    assert [item["value"] for item in languages[:15]] == sorted(codes[5:20])
    assert {item["count"] for item in languages[:15]} == {2}
    assert {item["count"] for item in languages[15:]} == {1}


@pytest.mark.parametrize("facets", ["", "city,", "city,nope", "Treatment"])
def test_an_unknown_facet_is_a_422(client, facets):
    response = client.get(SEARCH, query_string={"facets": facets})

    assert response.status_code == 422
    assert "facets" in response.json["errors"]


def test_facets_cost_one_statement_however_many_and_whatever_the_page(
    client, actors, count_statements
):
    for city in ("Paris", "München", "Köln"):
        actors.practitioner_with_profile(city=city, languages=["fr", "de"])

    def search(facets: str, per_page: int, **filters) -> None:
        query = {"facets": facets, "per_page": per_page, **filters}
        response = client.get(SEARCH, query_string=query)
        assert response.status_code == 200, response.json

    plain = count_statements(lambda: search("country", 1, language="fr"))
    one = count_statements(lambda: search("treatment", 1, language="fr"))
    seven = count_statements(lambda: search(ALL_FACETS, 100, language="fr"))
    without = count_statements(lambda: client.get(SEARCH, query_string={"language": "fr"}))

    assert plain == one == seven == without + 1 == 2
