"""Search by rating, with ratings written the only way they can be: verified testimonials."""

from tests.helpers import rated

SEARCH = "/api/v1/practitioners"


def ids(client, **query) -> list[str]:
    response = client.get(SEARCH, query_string=query)
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def test_one_five_star_review_ranks_below_many_near_perfect_ones(client, actors):
    lucky = rated(client, actors, [5])
    steady = rated(client, actors, [5, 5, 5, 5, 4] * 4)  # 20 reviews averaging 4.8
    unrated = actors.practitioner_with_profile()

    assert ids(client) == [steady.practitioner_id, lucky.practitioner_id, unrated.practitioner_id]
    assert ids(client, sort="rating") == ids(client)


def test_sort_by_review_count(client, actors):
    few = rated(client, actors, [5])
    many = rated(client, actors, [3, 3])
    none = actors.practitioner_with_profile()

    assert ids(client, sort="reviews") == [
        many.practitioner_id,
        few.practitioner_id,
        none.practitioner_id,
    ]


def test_min_rating_uses_the_average_and_never_matches_the_unrated(client, actors):
    good = rated(client, actors, [5, 4])  # 4.5
    fair = rated(client, actors, [4, 3])  # 3.5
    actors.practitioner_with_profile()

    assert ids(client, min_rating=4.5) == [good.practitioner_id]
    assert set(ids(client, min_rating=3.5)) == {good.practitioner_id, fair.practitioner_id}
    assert set(ids(client, min_rating=1)) == {good.practitioner_id, fair.practitioner_id}


def test_results_carry_the_rating_summary(client, actors):
    rated(client, actors, [5, 4, 4])

    item = client.get(SEARCH).json["items"][0]

    assert item["rating"] == {"average": 4.3, "count": 3}


def test_a_city_of_several_places_pages_in_the_rating_order_of_the_whole_directory(client, actors):
    # Springfield answers to the places in Missouri and in Illinois, each walked on its own
    # (search._walked_place_by_place); their pages must merge into the directory's own order.
    missouri = {"city": "Springfield", "country": "US", "latitude": 37.2153, "longitude": -93.2982}
    illinois = {"city": "Springfield", "country": "US", "latitude": 39.8017, "longitude": -89.6436}
    for ratings, place in [
        ([5], missouri),
        ([4, 4], missouri),
        ([4], missouri),
        ([], missouri),
        ([5, 5], illinois),
        ([4], illinois),  # the same score as Missouri's single 4: ordered by id
        ([3], illinois),
        ([], illinois),
    ]:
        rated(client, actors, ratings, **place)
    elsewhere = rated(client, actors, [5, 5, 5], city="Paris", country="FR")

    directory_order = ids(client, per_page=100)
    expected = [id_ for id_ in directory_order if id_ != elsewhere.practitioner_id]
    pages = [
        client.get(SEARCH, query_string={"city": "springfield", "page": n, "per_page": 3})
        for n in (1, 2, 3)
    ]

    assert [page.json["total"] for page in pages] == [8, 8, 8]
    assert [item["id"] for page in pages for item in page.json["items"]] == expected
    assert ids(client, city="Springfield", per_page=100) == expected
