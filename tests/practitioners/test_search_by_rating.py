"""Search by rating, with ratings written the only way they can be: verified testimonials."""

from tests.helpers import reviewed

SEARCH = "/api/v1/practitioners"


def ids(client, **query) -> list[str]:
    response = client.get(SEARCH, query_string=query)
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def rated(client, actors, ratings: list[int], **profile):
    practitioner = actors.practitioner_with_profile(**profile)
    for stars in ratings:
        reviewed(client, actors.patient(), practitioner, rating=stars)
    return practitioner


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
