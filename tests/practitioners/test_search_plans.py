"""Search statements that PostgreSQL must be able to answer from a given index: a planner can
only use a partial index whose predicate the query implies, and a change in how a filter is
written silently loses it (the search stays right, and gets slower at scale)."""

import os

import pytest
import sqlalchemy as sa

from directory.extensions import db
from directory.practitioners import search as search_module
from directory.practitioners.models import treatment_location_index
from directory.treatments.reference import REFERENCE_TREATMENT_SLUGS
from tests.helpers import planned, rated

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="the partial search indexes exist on PostgreSQL only",
)


def search_plan(app, client, query: str) -> str:
    """The plan of the statement that answers GET /practitioners?query, as PostgreSQL would
    run it were the other ways closed: no sequential or bitmap scan, and no general location
    index (dropped in this test's own database), so that only an index whose predicate the
    statement implies is left."""
    return planned(
        app,
        client,
        query,
        "practitioners.latitude BETWEEN",
        ["DROP INDEX ix_practitioners_live_location", *NO_SCANS_BUT_INDEXES],
    )


NO_SCANS_BUT_INDEXES = ["SET LOCAL enable_seqscan = off", "SET LOCAL enable_bitmapscan = off"]


@pytest.mark.parametrize("slug", REFERENCE_TREATMENT_SLUGS)
def test_a_radius_search_with_a_treatment_reads_that_treatments_location_index(
    app, client, actors, slug
):
    actors.practitioner_with_profile(latitude=48.8566, longitude=2.3522, treatments=[slug])

    plan = search_plan(
        app, client, f"lat=48.85&lng=2.35&radius_km=25&treatment={slug}&verified=true"
    )

    assert treatment_location_index(slug).name in plan, plan


def test_a_city_search_by_rating_walks_each_places_profiles_in_rating_order(app, client, actors):
    # Springfield answers to several places: one walk each, merged, and no sort of the city.
    for city in ("Springfield", "Paris"):
        actors.practitioner_with_profile(city=city, country="US", languages=["en"])

    plan = planned(
        app,
        client,
        "city=Springfield&language=en&max_price=500",
        "practitioners.city_match =",
        [*NO_SCANS_BUT_INDEXES, "SET LOCAL enable_sort = off"],
    )

    assert plan.count("ix_practitioners_live_city_by_rating") >= 2, plan
    assert "Merge Append" in plan, plan


def test_past_the_cap_a_word_walks_the_rating_order_instead_of_reading_every_match(
    app, client, actors, cap_of_two
):
    for name in ("Dr Ana Lyonnet", "Dr Bea Lyonnet", "Dr Cyr Lyonnet"):
        actors.practitioner_with_profile(full_name=name, city="Lyon")

    walked = planned(
        app,
        client,
        "q=lyonnet",
        "UNION ALL",
        [*NO_SCANS_BUT_INDEXES, "SET LOCAL enable_sort = off"],
    )
    assert "ix_practitioners_live_by_rating" in walked, walked  # the text, in rating order
    assert "ix_practitioners_live_city_key_by_rating" in walked, walked


@pytest.mark.parametrize(("per_page", "text_walked"), [(2, False), (4, True)])
def test_past_the_cap_the_text_is_walked_only_where_names_and_cities_leave_room(
    app, client, actors, cap_of_two, per_page, text_walked
):
    for name in ("Dr Ana Lyonnet", "Dr Bea Lyonnet", "Dr Cyr Lyonnet"):
        actors.practitioner_with_profile(full_name=name, city="Lyon")
    analysed = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)"

    plan = planned(app, client, f"q=lyonnet&per_page={per_page}", "UNION ALL", [], analysed)

    (text_walk,) = [line for line in plan.splitlines() if "Subquery Scan on text_window" in line]
    assert ("never executed" not in text_walk) == text_walked, plan


def test_a_word_that_only_the_least_rated_profiles_have_is_walked_no_further_than_its_window(
    app, client, actors, cap_of_two, monkeypatch
):
    # A chain's new clinics, unrated, below every rated profile: the walk through the text
    # reads its window (1 x 9 listed / 3 matches) and stops; the page is sorted from every match.
    monkeypatch.setattr(search_module, "TEXT_WALK_MARGIN", 1)
    monkeypatch.setattr(search_module, "TEXT_WALK_FLOOR", 0)
    for name in ("Dr Ana Roux", "Dr Bea Roux", "Dr Cyr Roux", "Dr Dan Roux", "Dr Eva Roux"):
        rated(client, actors, [5], full_name=name)
    rated(client, actors, [4], full_name="Dr Fay Roux")
    chain = sorted(
        actors.practitioner_with_profile(
            full_name=name, clinic_name="Zenora Clinics"
        ).practitioner_id
        for name in ("Dr Gil Noir", "Dr Hal Noir", "Dr Ivo Noir")
    )
    analysed = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)"

    plan = planned(
        app,
        client,
        "q=zenora&per_page=1",
        "UNION ALL",
        [*NO_SCANS_BUT_INDEXES, "SET LOCAL enable_sort = off"],
        analysed,
    )
    answer = client.get("/api/v1/practitioners?q=zenora&per_page=1").json

    lines = plan.splitlines()
    (text_walk,) = [line for line in lines if "Subquery Scan on text_window" in line]
    window_read = next(line for line in lines[lines.index(text_walk) :] if "Index Scan" in line)
    assert "ix_practitioners_live_by_rating" in window_read, plan
    assert "actual rows=3 " in window_read, plan
    assert "actual rows=0 " in text_walk, plan
    assert [item["id"] for item in answer["items"]] == chain[:1]
    assert (answer["total"], answer["total_exact"]) == (2, False)


def test_past_the_cap_a_word_in_no_name_never_walks_the_names(app, client, actors, cap_of_two):
    # `ab` is in `cabinet`, in no name: the walks through the names would read every profile
    # (two letters give the names' trigram index nothing to look up) to find none.
    clinics = sorted(
        actors.practitioner_with_profile(full_name=name, clinic_name="Cabinet Roux").practitioner_id
        for name in ("Dr Ana Petit", "Dr Bea Petit", "Dr Cyr Petit")
    )
    analysed = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)"

    plan = planned(app, client, "q=ab", "UNION ALL", [], analysed)
    answer = client.get("/api/v1/practitioners?q=ab").json

    lines = plan.splitlines()
    scans = [i for i, line in enumerate(lines) if "Scan" in line and " on practitioners" in line]
    of_names = [i for i in scans if any("name_key" in line for line in lines[i + 1 : i + 4])]
    assert len(of_names) == 2, plan  # the name, the name and the city
    assert all("never executed" in lines[i] for i in of_names), plan
    assert sorted(item["id"] for item in answer["items"]) == clinics


@pytest.mark.parametrize(("q", "looked_up"), [("lyo", True), ("ly", False)])
def test_a_word_with_no_trigram_is_never_looked_up_in_a_trigram_index(
    app, client, actors, cap_of_two, q, looked_up
):
    # For such a word the index returns every row to check again; the planner expects far
    # fewer and took it (bench/README.md, seventeenth pass). Here the names' trigram index is
    # the only index of listed profiles left, and scans cost the most, so that the planner
    # looks the word up in it wherever it can.
    for name in ("Dr Ana Lyonnet", "Dr Bea Lyonnet", "Dr Cyr Lyonnet"):
        actors.practitioner_with_profile(full_name=name, city="Lyon")
    with app.app_context():
        others = db.session.scalars(
            sa.text(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'practitioners'"
                " AND indexdef LIKE '%deleted_at IS NULL%'"
                " AND indexname <> 'ix_practitioners_live_name_key_trgm'"
            )
        ).all()
    settings = [*(f"DROP INDEX {index}" for index in others), "SET LOCAL enable_seqscan = off"]

    walked = planned(app, client, f"q={q}&per_page=1", "UNION ALL", settings)

    looked_up_by = [line for line in walked.splitlines() if "Index Cond" in line]
    assert any(f"(name_key)::text ~~ '%{q}%'" in line for line in looked_up_by) == looked_up, walked
