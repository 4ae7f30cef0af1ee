"""Demo schedules and bookings: most demo practitioners take bookings, in their country's
time zone, and the demo patients hold a few upcoming appointments."""

import random
from datetime import timedelta

from directory.accounts.models import User
from directory.booking import services as booking
from directory.booking.schemas import AvailabilityWriteSchema
from directory.core.db import today
from directory.practitioners.models import Practitioner

TIME_ZONES = {
    "FR": "Europe/Paris",
    "BE": "Europe/Brussels",
    "CH": "Europe/Zurich",
    "ES": "Europe/Madrid",
    "IT": "Europe/Rome",
    "DE": "Europe/Berlin",
    "PT": "Europe/Lisbon",
    "GB": "Europe/London",
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat")
WITHOUT_SCHEDULE = 0.15  # the share of demo practitioners who take no bookings


def add_demo_availability(practitioner: Practitioner, patients: list[User], rng: random.Random):
    if rng.random() < WITHOUT_SCHEDULE:
        return
    days = sorted(rng.sample(WEEKDAYS, rng.randint(2, 5)), key=WEEKDAYS.index)
    weekly = []
    for day in days:
        weekly.append({"day": day, "start": "09:00", "end": rng.choice(["12:00", "12:30"])})
        if rng.random() < 0.6:
            weekly.append({"day": day, "start": "14:00", "end": rng.choice(["17:00", "18:30"])})
    closed = today() + timedelta(days=rng.randint(3, 20))
    schedule = AvailabilityWriteSchema().load(
        {
            "timezone": TIME_ZONES.get(practitioner.country, "Europe/Paris"),
            "slot_minutes": rng.choice([30, 30, 45, 60]),
            "weekly": weekly,
            "exceptions": [{"date": closed.isoformat(), "closed": True}],
            "horizon_days": rng.choice([30, 60, 90]),
            "min_notice_hours": rng.choice([2, 12, 24]),
        }
    )
    availability = booking.set_availability(practitioner, schedule)
    _book_a_few(practitioner, availability, patients, rng)


def _book_a_few(practitioner, availability, patients: list[User], rng: random.Random) -> None:
    """Some of the next two weeks' slots, by demo patients (at most one each)."""
    free = booking.free_slots(availability, today(), today() + timedelta(days=14))
    for patient in rng.sample(patients, min(len(patients), rng.randint(0, 3))):
        if not free:
            return
        slot = free.pop(rng.randrange(len(free)))
        booking.book(practitioner, patient, slot.start, rng.choice(practitioner.treatments))
