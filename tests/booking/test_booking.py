"""Availability, free slots and bookings through HTTP, with the clock held by time-machine."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from directory.extensions import db
from directory.mail.worker import run_periodic_jobs
from tests.helpers import (
    availability_body,
    book,
    free_slots,
    link_query,
    mails,
    move_consultation,
    publish_availability,
)

# A Monday, 07:00 in Paris: with 12 hours' notice the first slot is Tuesday 09:00.
NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
TUESDAY_9 = "2026-12-08T09:00:00+01:00"
TUESDAY_930 = "2026-12-08T09:30:00+01:00"
WEDNESDAY_9 = "2026-12-09T09:00:00+01:00"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def schedule(client, owner) -> dict:
    return publish_availability(client, owner)


def signed_in_again(actors, actor):
    """The actor with a fresh access token, for a clock moved past the old one's expiry."""
    return replace(actor, access_token=actors.login(actor.email)["access_token"])


def profile(client, practitioner) -> dict:
    return client.get(f"/api/v1/practitioners/{practitioner.practitioner_id}").json


def consultation(client, actor, consultation_id) -> dict:
    return client.get(f"/api/v1/consultations/{consultation_id}", headers=actor.headers).json


# Availability


def test_a_published_schedule_is_public_and_sorted(client, owner):
    body = availability_body(
        weekly=[
            {"day": "thu", "start": "14:00", "end": "18:00"},
            {"day": "mon", "start": "09:00", "end": "12:30"},
        ],
        exceptions=[
            {"date": "2026-12-31", "start": "09:00", "end": "12:00"},
            {"date": "2026-12-24", "closed": True},
        ],
    )
    url = f"/api/v1/practitioners/{owner.practitioner_id}/availability"

    written = client.put(url, json=body, headers=owner.headers)

    assert written.status_code == 200, written.json
    read = client.get(url)
    assert read.status_code == 200 and read.json == written.json
    assert read.headers["Cache-Control"].startswith("public")
    assert [item["day"] for item in read.json["weekly"]] == ["mon", "thu"]
    assert read.json["exceptions"] == [
        {"date": "2026-12-24", "closed": True, "start": None, "end": None},
        {"date": "2026-12-31", "closed": False, "start": "09:00", "end": "12:00"},
    ]


def test_defaults_apply_to_horizon_and_notice(client, owner):
    body = availability_body()
    del body["horizon_days"], body["min_notice_hours"], body["exceptions"]
    url = f"/api/v1/practitioners/{owner.practitioner_id}/availability"

    written = client.put(url, json=body, headers=owner.headers).json

    assert (written["horizon_days"], written["min_notice_hours"], written["exceptions"]) == (
        60,
        12,
        [],
    )


def test_without_a_schedule_availability_and_slots_are_404(client, owner):
    base = f"/api/v1/practitioners/{owner.practitioner_id}"

    assert client.get(f"{base}/availability").status_code == 404
    slots = client.get(f"{base}/slots", query_string={"from": "2026-12-08", "to": "2026-12-09"})
    assert slots.status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Europe/Lutetia"}, "timezone"),
        ({"timezone": "Paris"}, "timezone"),
        ({"slot_minutes": 5}, "slot_minutes"),
        ({"slot_minutes": 241}, "slot_minutes"),
        ({"horizon_days": 181}, "horizon_days"),
        ({"min_notice_hours": 169}, "min_notice_hours"),
        ({"min_notice_hours": 2.5}, "min_notice_hours"),
        ({"weekly": [{"day": "mon", "start": "12:00", "end": "09:00"}]}, "weekly"),
        ({"weekly": [{"day": "mon", "start": "09:00", "end": "09:00"}]}, "weekly"),
        ({"weekly": [{"day": "mon", "start": "9:00", "end": "12:00"}]}, "weekly"),
        ({"weekly": [{"day": "mon", "start": "٠٩:٠٠", "end": "12:00"}]}, "weekly"),
        ({"weekly": [{"day": "mon", "start": "09:00\n", "end": "12:00"}]}, "weekly"),
        ({"weekly": [{"day": "monday", "start": "09:00", "end": "12:00"}]}, "weekly"),
        (
            {
                "weekly": [
                    {"day": "mon", "start": "09:00", "end": "12:00"},
                    {"day": "mon", "start": "11:30", "end": "13:00"},
                ]
            },
            "weekly",
        ),
        ({"exceptions": [{"date": "2026-12-24"}]}, "exceptions"),
        (
            {"exceptions": [{"date": "2026-12-24", "closed": True, "start": "09:00"}]},
            "exceptions",
        ),
        (
            {
                "exceptions": [
                    {"date": "2026-12-24", "start": "09:00", "end": "11:00"},
                    {"date": "2026-12-24", "start": "10:00", "end": "12:00"},
                ]
            },
            "exceptions",
        ),
        ({"weekly": None}, "weekly"),
        ({"next_available": "2026-12-08T09:00:00+01:00"}, "next_available"),
    ],
)
def test_a_bad_schedule_is_a_422_naming_the_field(client, owner, overrides, field):
    response = client.put(
        f"/api/v1/practitioners/{owner.practitioner_id}/availability",
        json=availability_body(**overrides),
        headers=owner.headers,
    )

    assert response.status_code == 422, response.json
    assert response.headers["Content-Type"] == "application/problem+json"
    assert field in response.json["errors"]


def test_a_schedule_change_keeps_bookings_and_their_time(client, owner, patient, schedule):
    booking = book(client, patient, owner, TUESDAY_9).json

    publish_availability(client, owner, slot_minutes=45)

    kept = consultation(client, patient, booking["id"])
    assert kept["status"] == "confirmed" and kept["starts_at"] == booking["starts_at"]
    # 09:00-09:45 would overlap the booking: the new grid offers 09:45 first.
    tuesday = free_slots(client, owner, "2026-12-08", "2026-12-08")
    assert tuesday[0] == "2026-12-08T09:45:00+01:00"
    assert book(client, patient, owner, TUESDAY_9).status_code == 409


# Slots


def test_free_slots_are_local_times_with_their_offset(client, owner, schedule):
    response = client.get(
        f"/api/v1/practitioners/{owner.practitioner_id}/slots",
        query_string={"from": "2026-12-07", "to": "2026-12-13"},
    )

    assert response.status_code == 200
    assert response.json["timezone"] == "Europe/Paris"
    slots = response.json["slots"]
    # Monday is inside the notice; Tuesday to Friday, six slots each.
    assert len(slots) == 4 * 6
    assert slots[0] == {"start": TUESDAY_9, "end": "2026-12-08T09:30:00+01:00"}
    assert slots[-1]["start"] == "2026-12-11T11:30:00+01:00"


def test_slots_keep_nine_oclock_across_the_spring_change(client, owner, schedule):
    with time_machine.travel(datetime(2027, 3, 22, 6, tzinfo=UTC), tick=True):
        starts = free_slots(client, owner, "2027-03-26", "2027-03-29")

    assert [s for s in starts if s.endswith("T09:00:00+01:00") or "T09:00:00+02:00" in s] == [
        "2027-03-26T09:00:00+01:00",
        "2027-03-29T09:00:00+02:00",
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-12-08", "to": "2027-01-08"},  # 32 days
        {"from": "2026-12-09", "to": "2026-12-08"},
        {"from": "2026-12-08", "to": "tomorrow"},
        {"from": "2026-12-08"},
    ],
)
def test_a_bad_slot_range_is_a_422_naming_to(client, owner, schedule, query):
    url = f"/api/v1/practitioners/{owner.practitioner_id}/slots"

    response = client.get(url, query_string=query)

    assert response.status_code == 422
    assert "to" in response.json["errors"]


@pytest.mark.parametrize(
    ("first", "last"), [("0001-01-01", "0001-01-31"), ("9999-12-01", "9999-12-31")]
)
def test_slots_of_days_out_of_reach_are_none(client, owner, first, last):
    publish_availability(client, owner, timezone="Pacific/Kiritimati")

    assert free_slots(client, owner, first, last) == []


def test_thirty_one_days_are_allowed(client, owner, schedule):
    assert len(free_slots(client, owner, "2026-12-08", "2027-01-07")) > 0


# Booking


def test_a_patient_books_a_free_slot(app, client, owner, patient, schedule):
    response = book(client, patient, owner, TUESDAY_9, message="First session.")

    assert response.status_code == 201, response.json
    booking = response.json
    assert booking["status"] == "confirmed"
    assert datetime.fromisoformat(booking["starts_at"]) == datetime.fromisoformat(TUESDAY_9)
    assert datetime.fromisoformat(booking["ends_at"]) == datetime.fromisoformat(TUESDAY_930)
    assert booking["treatment"] == "anti-aging" and booking["reviewable"] is False
    assert response.headers["Location"].endswith(f"/api/v1/consultations/{booking['id']}")
    assert TUESDAY_9 not in free_slots(client, owner, "2026-12-08", "2026-12-08")
    assert len(mails(app, patient.email, "booking-confirmed")) == 1
    confirmation = mails(app, owner.email, "booking-confirmed")
    assert len(confirmation) == 1 and "09:00" in confirmation[0].subject
    assert link_query(app, patient.email, "booking-confirmed") == {}


def test_a_booking_checks_treatment_limit_and_slot_without_a_round_trip_each(
    client, owner, patient, schedule, record_statements
):
    answers = []
    statements = record_statements(lambda: answers.append(book(client, patient, owner, TUESDAY_9)))

    assert answers[0].status_code == 201, answers[0].json
    # The treatment from the profile's row (treatment_keys), not its links.
    assert not [s for s in statements if "FROM practitioner_treatments" in s], statements
    # The patient's upcoming bookings and the slot's overlaps, in one statement.
    checks = [s for s in statements if "count(*)" in s and "EXISTS" in s]
    assert len(checks) == 1, statements


def test_a_booking_reads_both_recipients_preferences_in_one_statement(
    app, client, owner, patient, schedule, record_statements
):
    off = {"consultations": True, "bookings": False, "testimonials": True, "certifications": True}
    chosen = client.put("/api/v1/auth/me/notifications", json=off, headers=owner.headers)
    assert chosen.status_code == 200
    answers = []

    statements = record_statements(lambda: answers.append(book(client, patient, owner, TUESDAY_9)))

    assert answers[0].status_code == 201, answers[0].json
    reads = [s for s in statements if "notification_preferences" in s]
    assert len(reads) == 1 and "FROM users LEFT OUTER JOIN notification_preferences" in reads[0]
    # The token's account, then both recipients': the owner's is not looked up again.
    assert len([s for s in statements if "FROM users" in s]) == 2, statements
    # The owner turned booking mails off; the patient did not.
    assert len(mails(app, patient.email, "booking-confirmed")) == 1
    assert mails(app, owner.email, "booking-confirmed") == []


def test_a_booking_is_served_as_stored_without_reading_it_back(
    app, client, owner, patient, schedule
):
    with app.app_context():
        engine = db.engine
    transactions = []

    def record(connection):
        transactions.append(connection)

    sa.event.listen(engine, "begin", record)
    try:
        response = book(client, patient, owner, TUESDAY_9)
    finally:
        sa.event.remove(engine, "begin", record)

    assert response.status_code == 201, response.json
    assert len(transactions) == 1  # none after the commit to read the booking again
    # Served as the database holds it: times in UTC, reviewable, timestamps, both parties.
    assert response.json == consultation(client, patient, response.json["id"])
    assert response.json["starts_at"].endswith("+00:00")


def test_a_booking_writes_its_two_mails_in_one_statement(app, client, owner, patient, schedule):
    with app.app_context():
        engine = db.engine
    outbox_inserts = []

    def record(conn, cursor, statement, *rest):
        if statement.startswith("INSERT INTO mail_outbox"):
            outbox_inserts.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert book(client, patient, owner, TUESDAY_9).status_code == 201
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)

    assert len(outbox_inserts) == 1
    assert len(mails(app, patient.email, "booking-confirmed")) == 1
    assert len(mails(app, owner.email, "booking-confirmed")) == 1


def test_a_start_in_another_offset_books_the_same_slot(client, owner, patient, schedule):
    response = book(client, patient, owner, "2026-12-08T08:00:00Z")

    assert response.status_code == 201, response.json
    assert book(client, patient, owner, TUESDAY_9).json["type"].endswith("/slot-unavailable")


def test_a_taken_slot_is_a_409_slot_unavailable(client, owner, patient, actors, schedule):
    assert book(client, patient, owner, TUESDAY_9).status_code == 201

    second = book(client, actors.patient(), owner, TUESDAY_9)

    assert second.status_code == 409
    assert second.json["type"].endswith("/problems/slot-unavailable")


@pytest.mark.parametrize(
    ("start", "why"),
    [
        ("2026-12-08T09:10:00+01:00", "off the grid"),
        ("2026-12-08T13:00:00+01:00", "outside hours"),
        ("2026-12-12T09:00:00+01:00", "a closed Saturday"),
        ("2026-12-01T09:00:00+01:00", "in the past"),
        ("2026-12-07T11:30:00+01:00", "within the notice"),
        ("2027-03-01T09:00:00+01:00", "past the horizon"),
        ("2026-12-08T09:00:00", "without an offset"),
        ("next tuesday", "not a time"),
    ],
)
def test_a_start_that_is_no_bookable_slot_is_a_422_on_start(
    client, owner, patient, schedule, start, why
):
    response = book(client, patient, owner, start)

    assert response.status_code == 422, why
    assert "start" in response.json["errors"], why


def test_booking_needs_a_schedule_and_an_offered_treatment(client, owner, patient):
    no_schedule = book(client, patient, owner, TUESDAY_9)
    assert no_schedule.status_code == 409
    assert no_schedule.json["type"].endswith("/problems/not-bookable")

    publish_availability(client, owner)
    unoffered = book(client, patient, owner, TUESDAY_9, treatment="cellulite")
    assert unoffered.status_code == 422 and "treatment" in unoffered.json["errors"]


def test_only_verified_patients_book(client, owner, actors, schedule):
    assert book(client, actors.practitioner_with_profile(), owner, TUESDAY_9).status_code == 403
    unverified = book(client, actors.patient(verified=False), owner, TUESDAY_9)
    assert unverified.status_code == 403
    assert unverified.json["type"].endswith("/problems/email-unverified")


def test_a_patient_holds_at_most_three_upcoming_bookings_per_practitioner(
    client, owner, patient, actors, schedule
):
    starts = free_slots(client, owner, "2026-12-08", "2026-12-08")
    for start in starts[:3]:
        assert book(client, patient, owner, start).status_code == 201

    fourth = book(client, patient, owner, starts[3])

    assert fourth.status_code == 409
    assert fourth.json["type"].endswith("/problems/booking-limit")
    taken_too = book(client, patient, owner, starts[0])  # over the limit, and a taken slot
    assert taken_too.json["type"].endswith("/problems/booking-limit")
    other = actors.practitioner_with_profile()
    publish_availability(client, other)
    assert book(client, patient, other, starts[3]).status_code == 201


def test_a_replayed_idempotency_key_books_once(client, owner, patient, schedule):
    headers = patient.headers | {"Idempotency-Key": "tuesday-nine"}
    url = f"/api/v1/practitioners/{owner.practitioner_id}/bookings"
    body = {"start": TUESDAY_9, "treatment": "anti-aging"}

    first = client.post(url, json=body, headers=headers)
    again = client.post(url, json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and again.json == first.json


# Cancel, move, no-show


def test_a_cancelled_booking_frees_its_slot_and_tells_the_practitioner(
    app, client, owner, patient, schedule
):
    booking = book(client, patient, owner, TUESDAY_9).json

    cancelled = move_consultation(client, patient, booking["id"], "cancelled")

    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert TUESDAY_9 in free_slots(client, owner, "2026-12-08", "2026-12-08")
    assert len(mails(app, owner.email, "booking-cancelled")) == 1
    assert mails(app, owner.email, "consultation-cancelled") == []


def test_a_booking_declined_by_the_practitioner_tells_the_patient(
    app, client, owner, patient, schedule
):
    booking = book(client, patient, owner, TUESDAY_9).json

    assert move_consultation(client, owner, booking["id"], "declined").status_code == 200

    assert len(mails(app, patient.email, "booking-cancelled")) == 1
    assert book(client, patient, owner, TUESDAY_9).status_code == 201


def test_a_patient_moves_a_booking_to_another_free_slot(app, client, owner, patient, schedule):
    booking = book(client, patient, owner, TUESDAY_9).json
    url = f"/api/v1/consultations/{booking['id']}"

    moved = client.patch(url, json={"starts_at": WEDNESDAY_9}, headers=patient.headers)

    assert moved.status_code == 200, moved.json
    assert datetime.fromisoformat(moved.json["starts_at"]) == datetime.fromisoformat(WEDNESDAY_9)
    assert moved.json["id"] == booking["id"] and moved.json["status"] == "confirmed"
    assert TUESDAY_9 in free_slots(client, owner, "2026-12-08", "2026-12-08")
    assert WEDNESDAY_9 not in free_slots(client, owner, "2026-12-09", "2026-12-09")
    notice = mails(app, owner.email, "booking-moved")
    assert len(notice) == 1 and "Wednesday 9 December" in notice[0].message


def test_a_move_to_a_taken_slot_is_a_409_and_keeps_the_booking(
    client, owner, patient, actors, schedule
):
    booking = book(client, patient, owner, TUESDAY_9).json
    assert book(client, actors.patient(), owner, WEDNESDAY_9).status_code == 201

    refused = client.patch(
        f"/api/v1/consultations/{booking['id']}",
        json={"starts_at": WEDNESDAY_9},
        headers=patient.headers,
    )

    assert refused.status_code == 409
    assert refused.json["type"].endswith("/problems/slot-unavailable")
    kept = consultation(client, patient, booking["id"])
    assert kept["starts_at"] == booking["starts_at"] and kept["status"] == "confirmed"
    assert TUESDAY_9 not in free_slots(client, owner, "2026-12-08", "2026-12-08")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"starts_at": "2026-12-08T09:10:00+01:00"}, 422, "starts_at"),
        ({"starts_at": "2026-12-01T09:00:00+01:00"}, 422, "starts_at"),
        ({"starts_at": WEDNESDAY_9, "status": "cancelled"}, 422, "status"),
        ({}, 422, "status"),
    ],
)
def test_a_bad_move_is_a_422(client, owner, patient, schedule, body, status, field):
    booking = book(client, patient, owner, TUESDAY_9).json

    response = client.patch(
        f"/api/v1/consultations/{booking['id']}", json=body, headers=patient.headers
    )

    assert response.status_code == status and field in response.json["errors"]


def test_only_the_patient_moves_and_only_a_booking(client, owner, patient, schedule):
    booking = book(client, patient, owner, TUESDAY_9).json
    request = client.post(
        f"/api/v1/practitioners/{owner.practitioner_id}/consultations",
        json={"treatment": "anti-aging", "message": "Hello"},
        headers=patient.headers,
    ).json
    move = {"starts_at": WEDNESDAY_9}

    by_practitioner = client.patch(
        f"/api/v1/consultations/{booking['id']}", json=move, headers=owner.headers
    )
    a_request = client.patch(
        f"/api/v1/consultations/{request['id']}", json=move, headers=patient.headers
    )

    assert by_practitioner.status_code == 409 and a_request.status_code == 409


def test_no_show_only_after_the_start(client, actors, owner, patient, schedule):
    booking = book(client, patient, owner, TUESDAY_9).json

    assert move_consultation(client, owner, booking["id"], "no_show").status_code == 409
    with time_machine.travel(datetime(2026, 12, 8, 8, 5, tzinfo=UTC), tick=True):
        owner, patient = signed_in_again(actors, owner), signed_in_again(actors, patient)
        marked = move_consultation(client, owner, booking["id"], "no_show")
        cancelled = move_consultation(client, patient, booking["id"], "cancelled")

    assert marked.status_code == 200 and marked.json["status"] == "no_show"
    assert cancelled.status_code == 409


def test_upcoming_lists_confirmed_bookings_soonest_first(client, owner, patient, schedule):
    later = book(client, patient, owner, WEDNESDAY_9).json
    sooner = book(client, patient, owner, TUESDAY_9).json
    cancelled = book(client, patient, owner, TUESDAY_930).json
    move_consultation(client, patient, cancelled["id"], "cancelled")
    client.post(
        f"/api/v1/practitioners/{owner.practitioner_id}/consultations",
        json={"treatment": "anti-aging", "message": "A plain request"},
        headers=patient.headers,
    )

    for actor in (patient, owner):
        listed = client.get(
            "/api/v1/consultations", query_string={"upcoming": "true"}, headers=actor.headers
        ).json
        assert [item["id"] for item in listed["items"]] == [sooner["id"], later["id"]]


# The worker: reminders and completion


def test_the_worker_reminds_once_about_a_day_before(app, client, owner, patient, schedule):
    booking = book(client, patient, owner, WEDNESDAY_9).json
    starts = datetime.fromisoformat(booking["starts_at"])

    with app.app_context():
        run_periodic_jobs(starts - timedelta(hours=30))
        assert mails(app, patient.email, "booking-reminder") == []
        run_periodic_jobs(starts - timedelta(hours=23, minutes=59))
        run_periodic_jobs(starts - timedelta(hours=23))

    assert len(mails(app, patient.email, "booking-reminder")) == 1


def test_a_booking_made_within_a_day_gets_no_reminder(app, client, owner, patient):
    publish_availability(client, owner, min_notice_hours=0)
    booking = book(client, patient, owner, "2026-12-07T09:30:00+01:00")
    assert booking.status_code == 201, booking.json

    with app.app_context():
        run_periodic_jobs(NOW + timedelta(minutes=5))

    assert mails(app, patient.email, "booking-reminder") == []


def test_the_worker_completes_a_booking_an_hour_after_its_end(
    app, client, owner, patient, schedule
):
    booking = book(client, patient, owner, TUESDAY_9).json
    ends = datetime.fromisoformat(booking["ends_at"])

    with app.app_context():
        run_periodic_jobs(ends + timedelta(minutes=59))
    assert consultation(client, patient, booking["id"])["status"] == "confirmed"
    with app.app_context():
        run_periodic_jobs(ends + timedelta(hours=1))
        run_periodic_jobs(ends + timedelta(hours=2))

    completed = consultation(client, patient, booking["id"])
    assert completed["status"] == "completed" and completed["reviewable"] is True
    assert link_query(app, patient.email, "review-request") == {"consultation": booking["id"]}
    assert len(mails(app, patient.email, "review-request")) == 1


def test_the_worker_leaves_no_shows_and_cancellations_alone(
    app, client, actors, owner, patient, schedule
):
    no_show = book(client, patient, owner, TUESDAY_9).json
    cancelled = book(client, patient, owner, TUESDAY_930).json
    move_consultation(client, patient, cancelled["id"], "cancelled")
    with time_machine.travel(datetime(2026, 12, 8, 8, 5, tzinfo=UTC), tick=True):
        owner = signed_in_again(actors, owner)
        assert move_consultation(client, owner, no_show["id"], "no_show").status_code == 200

    with app.app_context():
        run_periodic_jobs(datetime(2026, 12, 9, tzinfo=UTC))

    assert consultation(client, patient, no_show["id"])["status"] == "no_show"
    assert consultation(client, patient, cancelled["id"])["status"] == "cancelled"
    assert mails(app, patient.email, "review-request") == []


# next_available


def test_next_available_follows_bookings_cancellations_and_schedule_changes(
    client, owner, patient, actors
):
    assert profile(client, owner)["next_available"] is None

    publish_availability(client, owner)
    assert _at(profile(client, owner)["next_available"]) == _at(TUESDAY_9)

    booking = book(client, patient, owner, TUESDAY_9).json
    assert _at(profile(client, owner)["next_available"]) == _at(TUESDAY_930)

    move_consultation(client, patient, booking["id"], "cancelled")
    assert _at(profile(client, owner)["next_available"]) == _at(TUESDAY_9)

    publish_availability(client, owner, weekly=[{"day": "thu", "start": "14:00", "end": "15:00"}])
    assert _at(profile(client, owner)["next_available"]) == _at("2026-12-10T14:00:00+01:00")


def test_next_available_moves_on_as_time_passes(app, client, owner, schedule):
    assert _at(profile(client, owner)["next_available"]) == _at(TUESDAY_9)
    later = datetime(2026, 12, 7, 20, 5, tzinfo=UTC)  # 09:00 is now inside the notice

    with time_machine.travel(later, tick=True), app.app_context():
        run_periodic_jobs(later)

    assert _at(profile(client, owner)["next_available"]) == _at(TUESDAY_930)


def test_a_fully_booked_horizon_frees_up_as_it_moves(app, client, owner, actors):
    publish_availability(
        client,
        owner,
        horizon_days=2,
        min_notice_hours=0,
        weekly=[{"day": "tue", "start": "09:00", "end": "10:00"}],
    )
    for start in (TUESDAY_9, TUESDAY_930):
        assert book(client, actors.patient(), owner, start).status_code == 201
    assert profile(client, owner)["next_available"] is None

    # The next Tuesday's 09:00 enters the two-day horizon on Sunday 09:00.
    sunday = datetime(2026, 12, 13, 8, 1, tzinfo=UTC)
    with time_machine.travel(sunday, tick=True), app.app_context():
        run_periodic_jobs(sunday)

    assert _at(profile(client, owner)["next_available"]) == _at("2026-12-15T09:00:00+01:00")


def _at(moment: str) -> datetime:
    return datetime.fromisoformat(moment)
