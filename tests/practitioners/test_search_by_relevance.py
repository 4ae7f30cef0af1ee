"""Relevance: the word in the name first, then the word being the city, each best rated first;
the same order whether a search reads every match or, past the cap of exact totals, merges
the page from walks in rating order (search._walked)."""

import pytest

from directory.practitioners import search as search_module
from tests.helpers import rated

SEARCH = "/api/v1/practitioners"
LYON = {"city": "Lyon", "country": "FR", "latitude": 45.764, "longitude": 4.8357}


@pytest.fixture
def lyon(client, actors) -> list[str]:
    """Profiles that `q=lyon` matches, in relevance order, and one it does not."""
    in_order = [
        ([3], {"full_name": "Dr Ana Lyonnet", **LYON}),  # name and city
        ([5, 5], {"full_name": "Dr Bea Lyonnet"}),  # name
        ([], {"full_name": "Dr Cyr Lyonnet"}),
        ([5], {"full_name": "Dr Dan Petit", **LYON}),  # city
        ([], {"full_name": "Dr Eva Roux", **LYON}),
        ([5, 5, 5], {"full_name": "Dr Fay Blanc", "bio": "Trained in Lyon."}),
        ([4], {"full_name": "Dr Gil Noir", "clinic_name": "Clinique de Lyon"}),
    ]
    expected = [
        rated(client, actors, ratings, **profile).practitioner_id for ratings, profile in in_order
    ]
    rated(client, actors, [5, 5, 5, 5], full_name="Dr Hal Vert")
    return expected


def pages(client, per_page: int, **query) -> list[dict]:
    answers = []
    for page in range(1, 8 // per_page + 2):
        response = client.get(SEARCH, query_string={**query, "page": page, "per_page": per_page})
        assert response.status_code == 200, response.json
        answers.append(response.json)
    return answers


# The profiles that a search matches, in relevance order (a fixture), and the search.
SEARCHES = {
    "one word": ("lyon", "Lyon"),
    "two words": ("lyon_and_ana", "Lyon Ana"),
    "the city as the second word": ("lyon_and_ana", "ana LYON"),
    "a word said twice": ("lyon_and_ana", "lyon ana lyon"),
}
searches = pytest.mark.parametrize(
    ("in_order", "q"), list(SEARCHES.values()), ids=list(SEARCHES), indirect=["in_order"]
)


@pytest.fixture
def in_order(request) -> list[str]:
    return request.getfixturevalue(request.param)


@searches
def test_words_rank_in_the_name_then_as_the_city_each_best_rated_first(client, in_order, q):
    (answer,) = pages(client, per_page=20, q=q)

    assert [item["id"] for item in answer["items"]] == in_order
    assert (answer["total"], answer["total_exact"]) == (len(in_order), True)


@pytest.mark.parametrize("per_page", [1, 3])
@pytest.mark.parametrize("walked_up_to", [4, 8], ids=["walked to the 4th", "walked to the 8th"])
@pytest.mark.parametrize(
    "text_window", [None, 3, 0], ids=["text walked as built", "three read", "none read"]
)
@searches
def test_past_the_cap_the_pages_keep_the_order_of_every_match(
    client, in_order, q, cap_of_two, monkeypatch, per_page, walked_up_to, text_window
):
    # Pages up to that match come from walks, deeper ones from every match sorted. Walked to
    # the 8th, the last pages need the walk through the text (one word: the bio and the
    # clinic; two words: both in the bio): the profiles with words in the name or as the city
    # no longer fill them. Where its window ends before them, those pages are sorted from
    # every match instead.
    monkeypatch.setattr(search_module, "WALKED_UP_TO", walked_up_to)
    if text_window is not None:
        monkeypatch.setattr(search_module, "TEXT_WALK_MARGIN", 0)
        monkeypatch.setattr(search_module, "TEXT_WALK_FLOOR", text_window)

    answers = pages(client, per_page, q=q)

    assert [item["id"] for answer in answers for item in answer["items"]] == in_order
    assert {(answer["total"], answer["total_exact"]) for answer in answers} == {(2, False)}


@pytest.fixture
def lyon_and_ana(client, actors) -> list[str]:
    """Profiles that `q=lyon ana` matches, in relevance order, and one it does not: two points
    for each word in the name, one for the word that is the city, then the best rated."""
    in_order = [
        ([3], {"full_name": "Dr Ana Lyonnet", **LYON}),  # both in the name, and the city
        ([5, 5], {"full_name": "Dr Anabel Lyonnet"}),  # both in the name
        ([5], {"full_name": "Dr Ana Petit", **LYON}),  # one in the name, the other the city
        ([], {"full_name": "Dr Bea Lyonnet", "bio": "Trained by Ana.", **LYON}),
        ([5, 5, 5], {"full_name": "Dr Cyr Lyonnet", "bio": "Works with Ana."}),  # one in the name
        ([4], {"full_name": "Dr Ana Roux", "bio": "Trained in Lyon."}),
        ([5], {"full_name": "Dr Dan Blanc", "bio": "Ana's colleague.", **LYON}),  # the city
        ([5, 5, 5, 5], {"full_name": "Dr Eva Noir", "bio": "Lyon, with Ana."}),  # the text
    ]
    expected = [
        rated(client, actors, ratings, **profile).practitioner_id for ratings, profile in in_order
    ]
    rated(client, actors, [5, 5, 5, 5, 5], full_name="Dr Fay Vert", bio="Lyon.")
    return expected


def test_three_words_sort_and_count_every_match(client, lyon_and_ana, cap_of_two):
    answer = client.get(SEARCH, query_string={"q": "lyon ana dr"}).json

    assert [item["id"] for item in answer["items"]] == lyon_and_ana
    assert (answer["total"], answer["total_exact"]) == (8, True)


@pytest.mark.parametrize(
    ("q", "walked"),
    [("ly", True), ("lyo", False), ("ly on", False)],
    ids=["one word with no trigram", "one word with a trigram", "two words with none"],
)
def test_past_the_cap_one_word_with_no_trigram_is_walked_to_the_cap(
    client, lyon, cap_of_two, monkeypatch, record_statements, q, walked
):
    # No index finds such a word: sorting every match reads every profile, walks fewer.
    every_match = client.get(SEARCH, query_string={"q": q}).json["items"]  # deeper than the cap
    monkeypatch.setattr(search_module, "WALKED_UP_TO", 1)
    answers = []

    statements = record_statements(
        lambda: answers.append(client.get(SEARCH, query_string={"q": q, "page": 2, "per_page": 1}))
    )

    assert [item["id"] for item in answers[0].json["items"]] == [every_match[1]["id"]]
    assert any("UNION ALL" in statement for statement in statements) == walked, statements
