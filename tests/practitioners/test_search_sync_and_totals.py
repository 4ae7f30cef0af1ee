"""`updated_since` for clients that sync, and `total`, exact up to a cap."""

from datetime import datetime, timedelta, timezone

import pytest

SEARCH = "/api/v1/practitioners"


def names(client, **query) -> list[str]:
    response = client.get(SEARCH, query_string={"sort": "name", **query})
    assert response.status_code == 200, response.json
    return [item["full_name"] for item in response.json["items"]]


def test_updated_since_finds_the_profiles_changed_at_or_after_it(client, actors):
    actors.practitioner_with_profile(full_name="Dr A Untouched")
    edited = actors.practitioner_with_profile(full_name="Dr B Edited")
    changed = client.patch(
        f"{SEARCH}/{edited.practitioner_id}", json={"bio": "New"}, headers=edited.headers
    ).json
    actors.practitioner_with_profile(full_name="Dr C Newer")
    since = changed["updated_at"]

    assert names(client, updated_since=since) == ["Dr B Edited", "Dr C Newer"]
    naive_utc = datetime.fromisoformat(since).replace(tzinfo=None).isoformat()
    assert names(client, updated_since=naive_utc) == ["Dr B Edited", "Dr C Newer"]
    assert names(client, updated_since="2999-01-01T00:00:00+00:00") == []
    assert len(names(client, updated_since="2000-01-01T00:00:00Z")) == 3


def test_updated_since_compares_instants_whatever_the_offset(client, actors):
    owner = actors.practitioner_with_profile(full_name="Dr D Now")
    updated_at = client.get(f"{SEARCH}/{owner.practitioner_id}").json["updated_at"]
    in_paris = datetime.fromisoformat(updated_at).astimezone(timezone(timedelta(hours=1)))

    assert names(client, updated_since=in_paris.isoformat()) == ["Dr D Now"]
    later = (in_paris + timedelta(microseconds=1)).isoformat()
    assert names(client, updated_since=later) == []


@pytest.fixture
def four_in_france(actors):
    for name in ("Dr W", "Dr X", "Dr Y", "Dr Z"):
        actors.practitioner_with_profile(full_name=name, country="FR")


def page(client, **query) -> dict:
    response = client.get(SEARCH, query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_a_broad_search_counts_up_to_the_cap_only(client, four_in_france, cap_of_two):
    body = page(client, country="FR")

    assert (body["total"], body["total_exact"]) == (2, False)
    assert len(body["items"]) == 4  # the page itself is whole
    past_the_end = page(client, country="FR", page=9)
    assert (past_the_end["total"], past_the_end["total_exact"]) == (2, False)


def test_totals_counted_anyway_or_kept_are_exact_above_the_cap(client, four_in_france, cap_of_two):
    # Sorting by review count sorts every match, and counts them on the way.
    by_reviews = page(client, country="FR", sort="reviews")
    unfiltered = page(client)

    assert (by_reviews["total"], by_reviews["total_exact"]) == (4, True)
    assert (unfiltered["total"], unfiltered["total_exact"]) == (4, True)


def test_a_total_under_the_cap_is_exact(client, four_in_france):
    body = page(client, country="FR", per_page=1)

    assert (body["total"], body["pages"], body["total_exact"]) == (4, 4, True)


@pytest.mark.parametrize("sort", ["rating", "reviews"])  # a count capped; a count in the scan
def test_a_search_without_a_match_is_one_statement(client, four_in_france, count_statements, sort):
    answers = []
    query = {"country": "FR", "q": "nobody here", "sort": sort}

    statements = count_statements(lambda: answers.append(page(client, **query)))

    body = answers[0]
    assert statements == 1
    assert (body["items"], body["total"], body["pages"]) == ([], 0, 0)
    assert body["total_exact"]
