import math

import pytest

from directory.core.text import fold
from directory.practitioners.search import _page_statement

SEARCH = "/api/v1/practitioners"

# name, city, country, lat, lng, treatments, languages, price, accepts new patients
DIRECTORY = [
    (
        "Dr Élodie Séance",
        "Paris",
        "FR",
        48.8566,
        2.3522,
        ["anti-aging", "hair-restoration"],
        ["fr", "en"],
        150,
        True,
    ),
    ("Dr Marc Petit", "Versailles", "FR", 48.8049, 2.1204, ["anti-aging"], ["fr"], 90, True),
    (
        "Dr Sofia Rossi",
        "Milano",
        "IT",
        45.4642,
        9.1900,
        ["skin-rejuvenation", "anti-aging"],
        ["it", "en"],
        200,
        False,
    ),
    ("Dr Jan Kowalski", "Lyon", "FR", 45.7640, 4.8357, ["cellulite"], ["fr", "pl"], 70, True),
    (
        "Dr Ana Pereira",
        "Lisboa",
        "PT",
        38.7223,
        -9.1393,
        ["hair-restoration"],
        ["pt", "es"],
        None,
        True,
    ),
]


@pytest.fixture
def directory(actors):
    ids = {}
    for name, city, country, lat, lng, treatments, languages, price, accepts in DIRECTORY:
        actor = actors.practitioner_with_profile(
            full_name=name,
            clinic_name=f"Clinique {city}",
            bio="Mesotherapy practice.",
            city=city,
            country=country,
            latitude=lat,
            longitude=lng,
            treatments=treatments,
            languages=languages,
            price_from=price,
            accepts_new_patients=accepts,
        )
        ids[name] = actor.practitioner_id
    return ids


def haversine_km(lat1, lng1, lat2, lng2) -> float:
    """Reference great-circle distance, computed independently of the app."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def names(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["full_name"] for item in response.json["items"]]


def search(client, **query):
    return client.get(SEARCH, query_string=query)


def test_results_carry_the_summary_fields(client, directory):
    item = search(client, q="marc").json["items"][0]

    assert {
        "id",
        "full_name",
        "title",
        "clinic_name",
        "city",
        "country",
        "treatments",
        "languages",
        "price_from",
        "currency",
        "verified",
        "rating",
    } <= set(item)
    assert item["rating"] == {"average": None, "count": 0}
    assert "distance_km" not in item


@pytest.mark.parametrize("q", ["seance", "SÉANCE", "élodie", "elodie seance", "clinique paris"])
def test_text_is_case_and_accent_insensitive(client, directory, q):
    assert names(search(client, q=q)) == ["Dr Élodie Séance"]


def test_text_matches_the_bio_and_every_word_must_match(client, directory):
    assert len(names(search(client, q="mesotherapy"))) == 5
    assert names(search(client, q="mesotherapy lisboa")) == ["Dr Ana Pereira"]


def test_like_wildcards_in_text_are_literal(client, directory):
    assert names(search(client, q="%")) == []
    assert names(search(client, q="_")) == []


def test_every_treatment_given_must_be_offered(client, directory):
    both = client.get(
        SEARCH, query_string=[("treatment", "anti-aging"), ("treatment", "hair-restoration")]
    )

    assert names(both) == ["Dr Élodie Séance"]
    assert len(names(search(client, treatment="anti-aging"))) == 3


def test_an_unknown_treatment_is_a_422(client):
    response = search(client, treatment="botox-party")

    assert response.status_code == 422
    assert "treatment" in response.json["errors"]


def test_city_is_case_and_accent_insensitive_and_country_exact(client, directory):
    assert names(search(client, city="MILANO")) == ["Dr Sofia Rossi"]
    assert sorted(names(search(client, country="fr", sort="name"))) == [
        "Dr Jan Kowalski",
        "Dr Marc Petit",
        "Dr Élodie Séance",
    ]
    assert search(client, country="XX").status_code == 422


def test_language_price_and_new_patient_filters(client, directory):
    assert names(search(client, language="pl")) == ["Dr Jan Kowalski"]
    assert search(client, language="xx").status_code == 422
    assert sorted(names(search(client, max_price=100))) == ["Dr Jan Kowalski", "Dr Marc Petit"]
    assert names(search(client, accepts_new_patients="false")) == ["Dr Sofia Rossi"]


def test_radius_search_returns_distances_nearest_first(client, directory):
    response = search(client, lat=48.8566, lng=2.3522, radius_km=25)

    items = response.json["items"]
    assert [i["full_name"] for i in items] == ["Dr Élodie Séance", "Dr Marc Petit"]
    assert items[0]["distance_km"] == 0
    assert items[1]["distance_km"] == pytest.approx(
        haversine_km(48.8566, 2.3522, 48.8049, 2.1204), abs=0.01
    )


def test_radius_excludes_what_is_outside_the_circle(client, directory):
    # Lyon is ~392 km from Paris
    assert "Dr Jan Kowalski" not in names(search(client, lat=48.8566, lng=2.3522, radius_km=380))
    assert "Dr Jan Kowalski" in names(search(client, lat=48.8566, lng=2.3522, radius_km=400))


@pytest.mark.parametrize("radius_km", [1.0, 25.0, 392.0])
def test_the_radius_holds_to_the_hundredth_of_a_kilometre(client, directory, radius_km):
    """The radius compares a haversine (search._haversine_of), not a distance: a profile just
    inside the circle is found, one just outside is not."""
    lyon = (45.7640, 4.8357)  # Dr Jan Kowalski
    centre_lat = lyon[0]
    for side, wanted in ((-0.01, True), (0.01, False)):
        # A centre due north of Lyon, radius_km + side away from it.
        centre = (centre_lat + math.degrees((radius_km + side) / 6371.0088), lyon[1])
        found = names(search(client, lat=centre[0], lng=centre[1], radius_km=radius_km))
        assert ("Dr Jan Kowalski" in found) is wanted, (radius_km, side)


@pytest.mark.parametrize(
    "query",
    [
        {"lat": 48.8},
        {"lng": 2.3},
        {"lat": 48.8, "radius_km": 10},
        {"radius_km": 10},
        {"near": "Paris", "lat": 48.8, "lng": 2.3},
        {"near": ""},
        {"currency": "XYZ"},
        {"updated_since": "yesterday"},
        {"facets": "bogus"},
        {"facets": "city,bogus"},
        {"lat": 48.8, "lng": 2.3, "radius_km": 0},
        {"lat": 48.8, "lng": 2.3, "radius_km": 501},
        {"lat": 91, "lng": 2.3, "radius_km": 10},
        {"sort": "distance"},
        {"sort": "sideways"},
        {"min_rating": 0},
        {"min_rating": 6},
        {"verified": "maybe"},
        {"max_price": -5},
        {"page": 0},
        {"per_page": 101},
        {"page": 10**15},
    ],
)
def test_invalid_parameters_are_422_problems(client, query):
    response = search(client, **query)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_sorting_by_price_name_and_newest(client, directory):
    assert names(search(client, sort="price")) == [
        "Dr Jan Kowalski",
        "Dr Marc Petit",
        "Dr Élodie Séance",
        "Dr Sofia Rossi",
        "Dr Ana Pereira",
    ]
    assert names(search(client, sort="name")) == [
        "Dr Ana Pereira",
        "Dr Élodie Séance",
        "Dr Jan Kowalski",
        "Dr Marc Petit",
        "Dr Sofia Rossi",
    ]
    assert names(search(client, sort="newest"))[0] == "Dr Ana Pereira"


def test_relevance_puts_name_matches_first(client, actors, directory):
    actors.practitioner_with_profile(full_name="Dr Paul Martin", bio="Trained in Lyon")

    assert names(search(client, q="lyon"))[-1] == "Dr Paul Martin"


def test_unverified_and_unrated_filters(client, directory):
    assert len(names(search(client, verified="false"))) == 5
    assert names(search(client, verified="true")) == []
    assert names(search(client, min_rating=1)) == []


def test_pages_never_repeat_or_skip(client, directory):
    seen = []
    for page in (1, 2, 3):
        body = search(client, per_page=2, page=page, sort="reviews").json
        assert body["total"] == 5 and body["pages"] == 3
        seen += [item["id"] for item in body["items"]]

    assert sorted(seen) == sorted(directory.values())


def test_a_page_past_the_end_is_empty(client, directory):
    body = search(client, page=99).json

    assert body["items"] == [] and body["total"] == 5


@pytest.mark.parametrize("query", [{}, {"q": "dr"}, {"lat": 48.85, "lng": 2.35, "radius_km": 500}])
def test_statements_per_search_do_not_grow_with_the_page_size(
    client, directory, count_statements, query
):
    one = count_statements(lambda: search(client, per_page=1, **query))
    many = count_statements(lambda: search(client, per_page=100, **query))

    assert one == many


def test_a_misspelt_filter_is_a_422_not_a_silent_match_all(client, directory):
    response = search(client, treatments="anti-aging")

    assert response.status_code == 422
    assert "treatments" in response.json["errors"]


def test_the_unfiltered_total_follows_profiles_created_and_deleted(client, actors, directory):
    doomed = actors.practitioner_with_profile(full_name="Dr Short Lived")
    assert search(client).json["total"] == 6

    deleted = client.delete(f"{SEARCH}/{doomed.practitioner_id}", headers=doomed.headers)
    again = client.delete(f"{SEARCH}/{doomed.practitioner_id}", headers=doomed.headers)

    assert (deleted.status_code, again.status_code) == (204, 404)
    unfiltered = search(client, per_page=100).json
    filtered = search(client, per_page=100, min_rating=1).json  # counted row by row
    everyone = search(client, per_page=100, q="dr").json
    assert unfiltered["total"] == len(unfiltered["items"]) == everyone["total"] == 5
    assert filtered["total"] == 0


def test_pages_of_the_same_search_partition_the_results(client, directory):
    pages = [names(search(client, sort="name", per_page=2, page=n)) for n in (1, 2, 3)]

    assert [len(page) for page in pages] == [2, 2, 1]
    assert sum(pages, []) == sorted((row[0] for row in DIRECTORY), key=fold)


def test_treatment_and_language_filters_follow_every_change_of_the_lists(client, actors):
    """The filters read the codes kept on the profile (codes_key), which every write of the
    lists rewrites."""
    owner = actors.practitioner_with_profile(treatments=["anti-aging"], languages=["fr"])

    def found(**query) -> bool:
        items = client.get(SEARCH, query_string=query).json["items"]
        return owner.practitioner_id in [item["id"] for item in items]

    assert found(treatment="anti-aging") and found(language="fr")
    changed = {"treatments": ["hair-restoration", "skin-rejuvenation"], "languages": ["en"]}
    response = client.patch(
        f"{SEARCH}/{owner.practitioner_id}", json=changed, headers=owner.headers
    )
    assert response.status_code == 200, response.json

    assert not found(treatment="anti-aging") and not found(language="fr")
    assert found(treatment=["hair-restoration", "skin-rejuvenation"]) and found(language="en")
    cleared = {"treatments": [], "languages": []}
    client.patch(f"{SEARCH}/{owner.practitioner_id}", json=cleared, headers=owner.headers)
    assert not found(treatment="hair-restoration") and not found(language="en")


# Pairs of searches of one shape (same filters, sort and structure), with other values.
SAME_SHAPE = [
    ({"city": "Paris"}, ["Dr Élodie Séance"], {"city": "Lyon"}, ["Dr Jan Kowalski"]),
    ({"q": "petit"}, ["Dr Marc Petit"], {"q": "rossi"}, ["Dr Sofia Rossi"]),
    (
        {"treatment": "cellulite"},
        ["Dr Jan Kowalski"],
        {"treatment": "skin-rejuvenation"},
        ["Dr Sofia Rossi"],
    ),
    ({"language": "pl"}, ["Dr Jan Kowalski"], {"language": "pt"}, ["Dr Ana Pereira"]),
    ({"country": "IT"}, ["Dr Sofia Rossi"], {"country": "PT"}, ["Dr Ana Pereira"]),
    (
        {"max_price": 80, "sort": "name"},
        ["Dr Jan Kowalski"],
        {"max_price": 100, "sort": "name"},
        ["Dr Jan Kowalski", "Dr Marc Petit"],
    ),
    (
        {"treatment": "anti-aging", "max_price": 100},
        ["Dr Marc Petit"],
        {"treatment": "hair-restoration", "max_price": 200},
        ["Dr Élodie Séance"],
    ),
    (
        {"lat": 45.4642, "lng": 9.19, "radius_km": 50},
        ["Dr Sofia Rossi"],
        {"lat": 38.7223, "lng": -9.1393, "radius_km": 50},
        ["Dr Ana Pereira"],
    ),
    (
        {"lat": 48.85, "lng": 2.35, "sort": "distance"},
        ["Dr Élodie Séance", "Dr Marc Petit"],
        {"lat": 45.46, "lng": 9.19, "sort": "distance"},
        ["Dr Sofia Rossi", "Dr Jan Kowalski"],
    ),
]


@pytest.mark.parametrize("first, first_names, second, second_names", SAME_SHAPE)
def test_a_search_of_the_same_shape_answers_for_its_own_values(
    client, directory, first, first_names, second, second_names
):
    """A page's statement is built once per shape and run with each search's values: the second
    search reuses the first one's statement, and neither answers with the other's values."""

    def first_two(query) -> list[str]:
        return names(search(client, **query))[:2]

    built = _page_statement.cache_info().misses
    assert first_two(first) == first_names[:2]
    assert first_two(second) == second_names[:2]
    assert first_two(first) == first_names[:2]
    assert _page_statement.cache_info().misses <= built + 1  # one statement for both
