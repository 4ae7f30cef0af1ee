"""Simultaneous bookings through the real stack, on PostgreSQL (SQLite has one writer at a
time): the database lets exactly one booking of a slot in."""

import os

import pytest

from directory.consultations.models import Consultation
from directory.extensions import db
from tests.helpers import all_at_once, book, next_free_slot, publish_availability
from tests.helpers import free_slots as free_starts

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="concurrent writers need PostgreSQL (SQLite has one writer at a time)",
)

BOOKERS = 50
RIVALS = 9


def booked_at(app, practitioner_id: str) -> list:
    with app.app_context():
        return db.session.scalars(
            db.select(Consultation.starts_at).where(
                Consultation.practitioner_id == practitioner_id,
                Consultation.status == "confirmed",
            )
        ).all()


def test_fifty_simultaneous_bookings_of_one_slot_give_exactly_one(app, client, actors, owner):
    publish_availability(client, owner, min_notice_hours=0, weekly=EVERY_DAY)
    slot = next_free_slot(client, owner)
    url = f"/api/v1/practitioners/{owner.practitioner_id}/bookings"
    body = {"start": slot, "treatment": "anti-aging"}
    patients = [actors.patient() for _ in range(BOOKERS)]

    responses = all_at_once(
        app, [("post", url, {"json": body, "headers": p.headers}) for p in patients]
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * (BOOKERS - 1)
    losers = [r.json["type"] for r in responses if r.status_code == 409]
    assert all(kind.endswith("/problems/slot-unavailable") for kind in losers)
    assert len(booked_at(app, owner.practitioner_id)) == 1


def test_a_move_that_loses_its_race_leaves_the_booking_intact(app, client, actors, owner):
    publish_availability(client, owner, min_notice_hours=0, weekly=EVERY_DAY)
    mover = actors.patient()
    original = next_free_slot(client, owner)
    booking = book(client, mover, owner, original).json
    target = next_free_slot(client, owner)
    rivals = [actors.patient() for _ in range(RIVALS)]

    move, *bookings = all_at_once(
        app,
        [
            (
                "patch",
                f"/api/v1/consultations/{booking['id']}",
                {"json": {"starts_at": target}, "headers": mover.headers},
            )
        ]
        + [
            (
                "post",
                f"/api/v1/practitioners/{owner.practitioner_id}/bookings",
                {"json": {"start": target, "treatment": "anti-aging"}, "headers": rival.headers},
            )
            for rival in rivals
        ],
    )

    winners = [r for r in (move, *bookings) if r.status_code in (200, 201)]
    assert len(winners) == 1
    assert all(r.status_code == 409 for r in (move, *bookings) if r not in winners)
    kept = client.get(f"/api/v1/consultations/{booking['id']}", headers=mover.headers).json
    assert kept["status"] == "confirmed"
    if move.status_code == 409:  # lost: still in its own slot, which stays taken
        assert move.json["type"].endswith("/problems/slot-unavailable")
        assert kept["starts_at"] == booking["starts_at"]
        assert original not in free_starts(client, owner, original[:10], original[:10])
        assert len(booked_at(app, owner.practitioner_id)) == 2
    else:  # won: the old slot is free again
        assert original in free_starts(client, owner, original[:10], original[:10])
        assert len(booked_at(app, owner.practitioner_id)) == 1


def test_many_moves_to_one_slot_give_it_to_one(app, client, actors, owner):
    publish_availability(client, owner, min_notice_hours=0, weekly=EVERY_DAY)
    movers = [actors.patient() for _ in range(10)]
    bookings = []
    for mover in movers:
        response = book(client, mover, owner, next_free_slot(client, owner))
        assert response.status_code == 201, response.json
        bookings.append(response.json)
    target = next_free_slot(client, owner)

    responses = all_at_once(
        app,
        [
            (
                "patch",
                f"/api/v1/consultations/{b['id']}",
                {"json": {"starts_at": target}, "headers": m.headers},
            )
            for b, m in zip(bookings, movers, strict=True)
        ],
    )

    assert sorted(r.status_code for r in responses) == [200] + [409] * 9
    starts = booked_at(app, owner.practitioner_id)
    assert len(starts) == len(set(starts)) == 10  # nine kept their slot, one moved


EVERY_DAY = [
    {"day": day, "start": "08:00", "end": "20:00"}
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
]
