"""Search by availability: `available_within_days` and `sort=soonest` read the precomputed
next_available, kept current as bookings fill a practitioner's week."""

import os
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import time_machine

from directory.extensions import db
from tests.helpers import book, free_slots, publish_availability

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # a Monday, 07:00 in Paris


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


def search(client, **query) -> list[str]:
    response = client.get("/api/v1/practitioners", query_string=query)
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


@pytest.fixture
def three(client, actors):
    """Tuesday mornings only; Thursday afternoons only; no schedule."""
    tuesday = actors.practitioner_with_profile(full_name="Dr Tuesday")
    publish_availability(
        client,
        tuesday,
        weekly=[{"day": "tue", "start": "09:00", "end": "10:00"}],
        horizon_days=14,
    )
    thursday = actors.practitioner_with_profile(full_name="Dr Thursday")
    publish_availability(
        client, thursday, weekly=[{"day": "thu", "start": "14:00", "end": "16:00"}]
    )
    unscheduled = actors.practitioner_with_profile(full_name="Dr Unscheduled")
    return tuesday, thursday, unscheduled


def test_soonest_sorts_by_the_first_free_slot_and_puts_the_unavailable_last(client, three):
    tuesday, thursday, unscheduled = three

    ids = search(client, sort="soonest")

    assert ids == [tuesday.practitioner_id, thursday.practitioner_id, unscheduled.practitioner_id]
    hit = client.get("/api/v1/practitioners", query_string={"sort": "soonest"}).json["items"][0]
    assert datetime.fromisoformat(hit["next_available"]) == datetime(2026, 12, 8, 8, tzinfo=UTC)


def test_available_within_days_keeps_those_with_a_free_slot_that_soon(client, three):
    tuesday, thursday, _ = three

    assert search(client, available_within_days=2, sort="soonest") == [tuesday.practitioner_id]
    assert search(client, available_within_days=4, sort="soonest") == [
        tuesday.practitioner_id,
        thursday.practitioner_id,
    ]


def test_filling_a_week_moves_a_practitioner_back(client, actors, three):
    tuesday, thursday, unscheduled = three

    for start in free_slots(client, tuesday, "2026-12-07", "2026-12-13"):
        assert book(client, actors.patient(), tuesday, start).status_code == 201

    assert search(client, available_within_days=7, sort="soonest") == [thursday.practitioner_id]
    # Next Tuesday is still within the horizon: after Thursday, before the unscheduled one.
    assert search(client, sort="soonest") == [
        thursday.practitioner_id,
        tuesday.practitioner_id,
        unscheduled.practitioner_id,
    ]
    profile = client.get(f"/api/v1/practitioners/{tuesday.practitioner_id}").json
    assert datetime.fromisoformat(profile["next_available"]) == datetime(
        2026, 12, 15, 8, tzinfo=UTC
    )


@pytest.mark.parametrize("days", ["0", "61", "soon"])
def test_available_within_days_is_1_to_60(client, days):
    response = client.get("/api/v1/practitioners", query_string={"available_within_days": days})

    assert response.status_code == 422
    assert "available_within_days" in response.json["errors"]


def test_soonest_pages_never_repeat_or_skip(client, actors):
    for _ in range(5):
        publish_availability(client, actors.practitioner_with_profile())

    pages = [
        search(client, sort="soonest", per_page=2, page=page, available_within_days=3)
        for page in (1, 2, 3)
    ]

    seen = [pid for page in pages for pid in page]
    assert len(seen) == len(set(seen)) == 5


def test_statements_per_availability_search_do_not_grow_with_the_page_size(
    client, actors, count_statements
):
    for _ in range(3):
        publish_availability(client, actors.practitioner_with_profile())
    query = {"available_within_days": 7, "sort": "soonest"}

    whole_page = count_statements(lambda: client.get("/api/v1/practitioners", query_string=query))
    one_per_page = count_statements(
        lambda: client.get("/api/v1/practitioners", query_string=query | {"per_page": 1})
    )

    assert whole_page == one_per_page


def test_available_within_days_counts_from_the_time_of_each_search(client, three):
    """The same search, later: its bound moves with the clock (a page's statement is built once
    and kept, the time it compares with is not)."""
    tuesday, _, _ = three  # first free slot: Tuesday 08:00 UTC, 26 hours from now

    assert search(client, available_within_days=1) == []
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), tick=True):
        assert search(client, available_within_days=1) == [tuesday.practitioner_id]


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="a row version (xmin) is PostgreSQL's"
)
def test_a_booking_that_leaves_next_available_does_not_rewrite_the_profile(
    app, client, actors, three
):
    """next_available is indexed: a write of the profile row adds an entry to every index of
    practitioners, so a booking of a later slot leaves the row as it is."""
    tuesday, _, _ = three
    first, later = free_slots(client, tuesday, "2026-12-07", "2026-12-20")[:2]

    def row_version() -> str:
        statement = sa.text("SELECT xmin::text FROM practitioners WHERE id = :id")
        with app.app_context():
            return db.session.scalar(statement, {"id": tuesday.practitioner_id})

    before = row_version()
    assert book(client, actors.patient(), tuesday, later).status_code == 201
    assert row_version() == before
    assert book(client, actors.patient(), tuesday, first).status_code == 201
    assert row_version() != before  # the first free slot moved
