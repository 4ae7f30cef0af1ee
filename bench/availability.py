"""Schedules for the data set, and every profile's next_available brought to the present.

The generator (bench.generate) writes a weekly schedule for most practitioners with
`schedule_row`, deterministic from the seed, and the first free slot of each with
`outlook_of`. A data set generated before booking existed gets them from `add_schedules`,
once. next_available depends on the clock, and a data set is reused for weeks: before each
later run, `refresh_next_available` computes it for every schedule at once and writes it back
in bulk. Both use the application's own slot arithmetic (booking.slots.outlook); the worker's
job does the same one practitioner at a time, as their answers expire."""

import io
import random
from datetime import UTC, datetime

import psycopg2

from bench.copy_text import copy_line
from directory.booking.models import Availability
from directory.booking.slots import outlook

WITH_SCHEDULE = 0.85
TIME_ZONES = {
    "FR": "Europe/Paris", "BE": "Europe/Brussels", "CH": "Europe/Zurich", "ES": "Europe/Madrid",
    "IT": "Europe/Rome", "DE": "Europe/Berlin", "AT": "Europe/Vienna", "NL": "Europe/Amsterdam",
    "PT": "Europe/Lisbon", "GB": "Europe/London", "IE": "Europe/Dublin", "DK": "Europe/Copenhagen",
    "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "FI": "Europe/Helsinki", "PL": "Europe/Warsaw",
    "CZ": "Europe/Prague", "HU": "Europe/Budapest", "RO": "Europe/Bucharest",
    "GR": "Europe/Athens", "TR": "Europe/Istanbul", "AE": "Asia/Dubai", "LB": "Asia/Beirut",
    "MA": "Africa/Casablanca", "TN": "Africa/Tunis", "CA": "America/Toronto",
    "US": "America/New_York", "BR": "America/Sao_Paulo", "AR": "America/Argentina/Buenos_Aires",
    "MX": "America/Mexico_City", "CO": "America/Bogota", "KR": "Asia/Seoul",
    "SG": "Asia/Singapore", "AU": "Australia/Sydney",
}  # fmt: skip
# Cities of a country with several zones, outside the country's zone above.
CITY_TIME_ZONES = {"Los Angeles": "America/Los_Angeles"}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")
# What the slot arithmetic reads of an availabilities row (Availability.schedule).
SCHEDULE_COLUMNS = (
    "timezone", "slot_minutes", "horizon_days", "min_notice_hours", "weekly", "exceptions"
)  # fmt: skip


def add_schedules(database_url: str, seed: int) -> int:
    """Schedules for most practitioners, unless the data set has some already."""
    connection = psycopg2.connect(database_url)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM availabilities)")
            if cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT id, city, country, created_at FROM practitioners ORDER BY id")
            rng = random.Random(f"{seed}-schedules")
            rows = [row for found in cursor.fetchall() if (row := schedule_row(rng, *found))]
            columns = list(rows[0]) if rows else []
            lines = [copy_line(row.values()) for row in rows]
            cursor.copy_expert(
                f"COPY availabilities ({', '.join(columns)}) FROM STDIN",
                io.StringIO("\n".join(lines) + "\n"),
            )
        return len(rows)
    finally:
        connection.close()


def schedule_row(rng: random.Random, practitioner_id: str, city: str, country: str, created):
    """An availabilities row (most practitioners), or None."""
    if rng.random() >= WITH_SCHEDULE:
        return None
    weekly = []
    for day in sorted(rng.sample(DAYS, rng.randint(2, 5)), key=DAYS.index):
        weekly.append({"day": day, "start": "09:00", "end": rng.choice(["12:00", "12:30"])})
        if rng.random() < 0.6:
            weekly.append({"day": day, "start": "14:00", "end": rng.choice(["17:00", "18:30"])})
    return {
        "practitioner_id": practitioner_id,
        "timezone": CITY_TIME_ZONES.get(city, TIME_ZONES[country]),
        "slot_minutes": rng.choice([30, 30, 45, 60]),
        "horizon_days": rng.choice([30, 60, 90]),
        "min_notice_hours": rng.choice([2, 12, 24]),
        "weekly": weekly,  # JSON in COPY's text (copy_text)
        "exceptions": [],
        "refresh_due_at": None,
        "created_at": created,
        "updated_at": created,
    }


def outlook_of(row: dict, now: datetime, taken=()) -> tuple[datetime | None, datetime]:
    """next_available and refresh_due_at of an availabilities row, as of `now`, with the
    (start, end) of its bookings `taken`."""
    columns = {column: row[column] for column in SCHEDULE_COLUMNS}
    return outlook(Availability(**columns).schedule, now, taken)


def refresh_next_available(database_url: str, now: datetime | None = None) -> int:
    """next_available (and when to compute it again) of every schedule, as of `now`."""
    now = now or datetime.now(UTC)
    connection = psycopg2.connect(database_url)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT practitioner_id, starts_at, ends_at FROM consultations "
                "WHERE starts_at > %s AND status NOT IN ('declined', 'cancelled')",
                (now,),
            )
            taken: dict[str, list] = {}
            for practitioner_id, starts_at, ends_at in cursor.fetchall():
                taken.setdefault(practitioner_id, []).append((starts_at, ends_at))
            cursor.execute(
                f"SELECT practitioner_id, {', '.join(SCHEDULE_COLUMNS)} FROM availabilities"
            )
            lines = []
            for practitioner_id, *values in cursor.fetchall():
                row = dict(zip(SCHEDULE_COLUMNS, values, strict=True))
                start, due = outlook_of(row, now, taken.get(practitioner_id, []))
                lines.append(copy_line((practitioner_id, start, due)))
            cursor.execute(
                "CREATE TEMPORARY TABLE outlooks (id text, next_available timestamptz, "
                "due timestamptz) ON COMMIT DROP"
            )
            cursor.copy_expert("COPY outlooks FROM STDIN", io.StringIO("\n".join(lines) + "\n"))
            cursor.execute(
                "UPDATE practitioners SET next_available = o.next_available FROM outlooks o "
                "WHERE practitioners.id = o.id "
                "AND practitioners.next_available IS DISTINCT FROM o.next_available"
            )
            cursor.execute(
                "UPDATE availabilities SET refresh_due_at = o.due FROM outlooks o "
                "WHERE availabilities.practitioner_id = o.id"
            )
        return len(lines)
    finally:
        connection.close()
