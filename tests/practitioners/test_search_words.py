"""The words of the directory (models.SearchWord): PostgreSQL counts, in the transaction of every
change to a profile, how many listed profiles have each word of the search text, and a search
for one word learns from them, without counting its matches, that it is past the cap of exact
totals, or exactly how many match where only one word of the directory holds it
(search._walked_total_told_by_the_words)."""

import os
from urllib.parse import urlencode

import pytest

from tests.helpers import (
    LONGEST_WORD_COUNTED,
    OVER_LONG_WORDS,
    PASSWORD,
    all_at_once,
    name_words_counted,
    planned,
    profile_body,
    rated,
    search_words_counted,
    words_counted,
    words_recounted,
)

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL keeps the counts; SQLite counts"
)

SEARCH = "/api/v1/practitioners"
SUSPENSION = {"reason": "Board letter.", "notice": "Suspended."}


def test_the_words_are_counted_through_every_change_of_a_profile(app, client, actors):
    admin = actors.admin()
    actors.practitioner_with_profile(full_name="Dr Ana Lyonnet", bio="Skin care.")
    edited = actors.practitioner_with_profile(full_name="Dr Bea Roux", bio="Hair, skin.")
    suspended = actors.practitioner_with_profile(full_name="Dr Cyr Zweistein")
    deleted = actors.practitioner_with_profile(full_name="Dr Dan Quillard")
    erased = actors.practitioner_with_profile(full_name="Dr Eva Xanthopoulou")
    assert words_counted(app) == words_recounted(app)
    assert search_words_counted(app)["dr"] == 5

    steps = [
        lambda: client.patch(
            f"{SEARCH}/{edited.practitioner_id}",
            json={"bio": "Mesotherapy of the scalp.", "full_name": "Dr Bea Roux-Lyonnet"},
            headers=edited.headers,
        ),
        lambda: client.post(
            f"/api/v1/admin/practitioners/{suspended.practitioner_id}/suspend",
            json=SUSPENSION,
            headers=admin.headers,
        ),
        lambda: client.delete(f"{SEARCH}/{deleted.practitioner_id}", headers=deleted.headers),
        lambda: client.delete(
            "/api/v1/auth/me", json={"password": PASSWORD}, headers=erased.headers
        ),
    ]
    for step in steps:
        assert step().status_code in (200, 204)
        assert words_counted(app) == words_recounted(app)
    words = search_words_counted(app)
    assert {"zweistein", "quillard", "xanthopoulou", "hair,"}.isdisjoint(words)
    assert (words["dr"], words["lyonnet"], words["roux-lyonnet"]) == (2, 1, 1)
    names = name_words_counted(app)
    assert (names["dr"], names["ana"], names["roux-lyonnet"]) == (2, 1, 1)
    assert {"roux", "scalp."}.isdisjoint(names)  # in a name no more, or never

    steps = [
        lambda: client.post(
            f"/api/v1/admin/practitioners/{suspended.practitioner_id}/reinstate",
            headers=admin.headers,
        ),
        lambda: client.post(  # the deleted profile back
            SEARCH, json=profile_body(full_name="Dr Dan Quillard"), headers=deleted.headers
        ),
    ]
    for step in steps:
        assert step().status_code in (200, 201)
        assert words_counted(app) == words_recounted(app)
    words = search_words_counted(app)
    assert (words["zweistein"], words["quillard"]) == (1, 1)


def test_a_word_that_leaves_the_name_for_the_clinic_is_counted_in_no_name(app, client, actors):
    # The text stays the same, word for word: the name alone changed (the trigger's WHEN).
    owner = actors.practitioner_with_profile(full_name="Dr Ana Roux", clinic_name="Lyonnet")

    response = client.patch(
        f"{SEARCH}/{owner.practitioner_id}",
        json={"full_name": "Dr Ana", "clinic_name": "Roux Lyonnet"},
        headers=owner.headers,
    )

    assert response.status_code == 200, response.json
    assert words_counted(app) == words_recounted(app)
    assert search_words_counted(app)["roux"] == 1
    assert "roux" not in name_words_counted(app)


def test_simultaneous_writers_of_shared_words_keep_every_count(app, client, actors):
    # Every write locks the rows of the words it changes, in word order, and those of the
    # profile before the live count: none waits for another in a circle, none is lost.
    admin = actors.admin()
    name = "Dr Ana Lyonnet {}".format
    edited, deleted, suspended, erased = (
        [actors.practitioner_with_profile(full_name=name(f"{kind}{n}")) for n in range(3)]
        for kind in ("e", "d", "s", "x")
    )
    creating = [actors.practitioner() for _ in range(3)]
    requests = [
        *(
            (
                "patch",
                f"{SEARCH}/{a.practitioner_id}",
                {"json": {"bio": "Lyon, hair."}, "headers": a.headers},
            )
            for a in edited
        ),
        *(("delete", f"{SEARCH}/{a.practitioner_id}", {"headers": a.headers}) for a in deleted),
        *(
            (
                "post",
                f"/api/v1/admin/practitioners/{a.practitioner_id}/suspend",
                {"json": SUSPENSION, "headers": admin.headers},
            )
            for a in suspended
        ),
        *(
            ("delete", "/api/v1/auth/me", {"json": {"password": PASSWORD}, "headers": a.headers})
            for a in erased
        ),
        *(
            ("post", SEARCH, {"json": profile_body(full_name=name(f"c{n}")), "headers": a.headers})
            for n, a in enumerate(creating)
        ),
    ]

    responses = all_at_once(app, requests)

    assert sorted(r.status_code for r in responses) == [200] * 6 + [201] * 3 + [204] * 6
    assert words_counted(app) == words_recounted(app)
    assert search_words_counted(app)["lyonnet"] == 6  # edited and created
    assert client.get(SEARCH).json["total"] == 6


def test_a_rated_profile_keeps_its_words_counted_once(app, client, actors):
    # A rating rewrites the row: only a change of its text or listing counts (the trigger's WHEN).
    profile = rated(client, actors, [5, 4], full_name="Dr Ana Lyonnet")

    assert words_counted(app) == words_recounted(app)
    assert search_words_counted(app)["lyonnet"] == 1
    assert client.get(f"{SEARCH}/{profile.practitioner_id}").json["rating"]["count"] == 2


def test_a_word_too_long_to_count_is_counted_as_one_of_its_kind_and_the_profile_saved(
    app, client, actors
):
    word = "x" * (LONGEST_WORD_COUNTED + 1)
    owner = actors.practitioner_with_profile(
        full_name="Dr Ana Lyonnet", bio=f"See {word} and {word}y"
    )

    assert word not in search_words_counted(app)
    assert search_words_counted(app)[OVER_LONG_WORDS] == 1  # once for the profile
    assert words_counted(app) == words_recounted(app)
    response = client.get(SEARCH, query_string={"q": word[:50]})
    assert [item["id"] for item in response.json["items"]] == [owner.practitioner_id]

    deleted = client.delete(f"{SEARCH}/{owner.practitioner_id}", headers=owner.headers)
    assert deleted.status_code == 204
    assert OVER_LONG_WORDS not in search_words_counted(app)


def test_past_the_cap_a_word_that_only_over_long_words_of_names_hold_ranks_those_names_first(
    app, client, actors, cap_of_two, record_statements
):
    # Three bytes a letter: 70 letters are a word too long to count, in a name of 120 at most.
    word = "語" * 70
    names = [rated(client, actors, [], full_name=f"Dr {word}{n}").practitioner_id for n in range(3)]
    rated(client, actors, [5, 5], full_name="Dr Ana Roux", bio=f"Trained with {word}.")
    assert name_words_counted(app)[OVER_LONG_WORDS] == 3

    answer, statements = statements_of(record_statements, client, q=word[:5], per_page=1)

    assert [item["id"] for item in answer["items"]] == [min(names)]  # not the bio, better rated
    assert [s for s in statements if "UNION ALL" in s], statements  # the walks


def statements_of(record_statements, client, **query) -> tuple[dict, list[str]]:
    answers = []
    statements = record_statements(lambda: answers.append(client.get(SEARCH, query_string=query)))
    (response,) = answers
    assert response.status_code == 200, response.json
    return response.json, statements


def test_a_word_in_more_profiles_than_the_cap_spares_the_count(
    client, actors, cap_of_two, record_statements
):
    names = ("Dr Ana Lyonnet", "Dr Bea Lyonnet", "Dr Cyr Lyonnet")
    ids = [actors.practitioner_with_profile(full_name=name).practitioner_id for name in names]

    answer, statements = statements_of(record_statements, client, q="lyon", per_page=2)
    rest = client.get(SEARCH, query_string={"q": "lyon", "per_page": 2, "page": 2}).json

    paged = [item["id"] for item in answer["items"] + rest["items"]]
    assert len(answer["items"]) == 2 and sorted(paged) == sorted(ids)  # none repeated or skipped
    assert (answer["total"], answer["total_exact"]) == (2, False)
    assert not [s for s in statements if "count(*) OVER ()" in s], statements  # no count
    assert [s for s in statements if "UNION ALL" in s], statements  # the walks


def test_words_each_under_the_cap_leave_the_count_to_the_search(
    client, actors, cap_of_two, record_statements
):
    # Three profiles match `lyon`, each through a word of its own: no word says it.
    for name in ("Dr Ana Lyonnet", "Dr Bea Lyonnais", "Dr Cyr Lyon"):
        actors.practitioner_with_profile(full_name=name, city="Paris")

    answer, statements = statements_of(record_statements, client, q="lyon")

    assert len(answer["items"]) == 3
    assert (answer["total"], answer["total_exact"]) == (2, False)
    assert [s for s in statements if "count(*) OVER ()" in s], statements


def test_the_only_word_that_holds_the_search_s_gives_its_exact_total_and_pages_from_walks(
    client, actors, record_statements
):
    for name in ("Dr Ana Lyonnet", "Dr Bea Lyonnet", "Dr Cyr Lyonnet", "Dr Dan Quillard"):
        actors.practitioner_with_profile(full_name=name, city="Paris")
    expected = [
        item["id"] for item in client.get(SEARCH, query_string={"q": "lyonnet"}).json["items"]
    ]
    assert len(expected) == 3

    # 3 matches of 4 profiles: walks to the end of a page of one read about 4/3 rows per
    # match, fewer than the 3 matches up to the 2nd page, more from the 3rd.
    for page, walked in ((1, True), (2, True), (3, False)):
        answer, statements = statements_of(
            record_statements, client, q="lyonnet", per_page=1, page=page
        )
        assert [item["id"] for item in answer["items"]] == expected[page - 1 : page]
        assert (answer["total"], answer["total_exact"]) == (3, True)
        counted = [s for s in statements if "count(*) OVER ()" in s]
        assert bool(counted) is not walked, statements
        assert bool([s for s in statements if "UNION ALL" in s]) is walked, statements


@pytest.mark.parametrize("q", ["zq", "zq lyon", "lyon zq"])
def test_a_word_that_no_word_of_the_directory_holds_reads_no_profile(app, client, actors, q):
    # Two letters give the trigram index nothing to look up: the scan would read every
    # profile, where the words of the directory say at once that nothing matches.
    actors.practitioner_with_profile(full_name="Dr Ana Lyonnet", bio="Trained in Lyon.")
    analysed = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)"

    answer = client.get(SEARCH, query_string={"q": q}).json
    plan = planned(app, client, urlencode({"q": q}), "FROM practitioners", [], analysed)

    assert (answer["items"], answer["total"], answer["total_exact"]) == ([], 0, True)
    lines = plan.splitlines()
    of_the_text = [  # the scans that look for the word (not the join of the empty page's rows)
        line
        for i, line in enumerate(lines)
        if " on practitioners" in line and any("'%zq%'" in each for each in lines[i + 1 : i + 4])
    ]
    assert of_the_text and all("never executed" in line for line in of_the_text), plan


@pytest.mark.parametrize(
    ("bio", "q"),
    [
        ("Zq" + "x" * LONGEST_WORD_COUNTED, "zq"),  # over the limit in characters
        ("Zq" + "ж" * (LONGEST_WORD_COUNTED // 2), "zq"),  # in bytes only
        ("Trained\tin\nLyon\u00a0since 2010.", "lyon"),  # any space between words
        ("Fees 100%_off\\now.", "0%_off\\n"),  # wildcards and the escape, as typed
    ],
    ids=["over-long", "over-long in bytes", "spaces", "wildcards"],
)
def test_a_word_any_word_of_a_profile_holds_is_found(client, actors, bio, q):
    held = actors.practitioner_with_profile(full_name="Dr Ana Roux", city="Nice", bio=bio)

    answer = client.get(SEARCH, query_string={"q": q}).json

    assert [item["id"] for item in answer["items"]] == [held.practitioner_id]


@pytest.mark.parametrize(
    "other",
    [
        {"full_name": "Dr Cyr Lyonnais"},  # a second word holds `lyonn`
        {"full_name": "Dr Cyr Roux", "bio": "Lyonn" + "x" * LONGEST_WORD_COUNTED},  # uncounted
    ],
    ids=["two words hold it", "an over-long word may hold it"],
)
def test_where_the_words_cannot_say_exactly_the_search_counts(
    client, actors, record_statements, other
):
    for name in ("Dr Ana Lyonnet", "Dr Bea Lyonnet"):
        actors.practitioner_with_profile(full_name=name)
    third = actors.practitioner_with_profile(**other).practitioner_id

    answer, statements = statements_of(record_statements, client, q="lyonn", per_page=1)

    assert (answer["total"], answer["total_exact"]) == (3, True)
    assert [s for s in statements if "count(*) OVER ()" in s], statements
    pages = [
        client.get(SEARCH, query_string={"q": "lyonn", "per_page": 1, "page": page}).json
        for page in (1, 2, 3)
    ]
    assert third in {item["id"] for page in pages for item in page["items"]}


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Dr Ana Lyonnet", "Dr Bea Lyonnet", "Dr Cyr Lyonnet"), (2, False)),  # a word says it
        (("Dr Ana Lyonnet", "Dr Bea Lyonnais", "Dr Cyr Lyon"), (2, False)),  # counted
        (("Dr Ana Lyonnet", "Dr Bea Lyonnet"), (2, True)),  # counted: exact
    ],
)
def test_a_search_by_rating_for_a_word_totals_alike_either_way(
    client, actors, cap_of_two, names, expected
):
    for name in names:
        actors.practitioner_with_profile(full_name=name, city="Paris")

    for page in (1, 9):  # the page's own count, and the count of a page past the end
        answer = client.get(SEARCH, query_string={"q": "lyon", "sort": "rating", "page": page})
        assert (answer.json["total"], answer.json["total_exact"]) == expected


@pytest.mark.parametrize("sort", ["relevance", "rating"])
@pytest.mark.parametrize("typed", ["_", "%"])
def test_a_wildcard_typed_is_a_character_to_the_words_too(client, actors, cap_of_two, sort, typed):
    # As a pattern, `_` or `%` would be in every word, and past the cap; typed, it is in one.
    for name in ("Dr Ana Lyonnet", "Dr Bea Lyonnet", "Dr Cyr Lyonnet"):
        actors.practitioner_with_profile(full_name=name)
    typing = actors.practitioner_with_profile(full_name="Dr Dan Roux_50%")

    answer = client.get(SEARCH, query_string={"q": typed, "sort": sort}).json

    assert [item["id"] for item in answer["items"]] == [typing.practitioner_id]
    assert (answer["total"], answer["total_exact"]) == (1, True)


def test_past_the_cap_by_a_word_a_search_by_rating_never_runs_its_count(
    app, client, actors, cap_of_two
):
    names = ("Dr Ana Lyonnet", "Dr Bea Lyonnet", "Dr Cyr Lyonnet")
    for name in names:
        actors.practitioner_with_profile(full_name=name)
    answer = client.get(SEARCH, query_string={"q": "lyon", "sort": "rating"}).json
    assert (answer["total"], answer["total_exact"]) == (2, False)

    analysed = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)"
    plan = planned(app, client, "q=lyon&sort=rating", "search_words", [], explain=analysed)

    lines = plan.splitlines()
    initial = [lines[i + 1].strip() for i, line in enumerate(lines) if "InitPlan" in line]
    assert "->  Aggregate (never executed)" in initial, plan  # the capped count, under the CASE
