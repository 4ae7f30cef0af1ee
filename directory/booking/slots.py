"""Slot arithmetic: pure functions over a weekly schedule, its exceptions and a time zone.

Nothing here reads the database or the clock: callers pass `now` and the bookings that hold
time, so that every rule is unit-tested with `zoneinfo` alone (tests/unit/test_slots.py).

Opening hours are local wall-clock times. Slots are cut from the start of each range in steps
of the slot length, on the wall clock, so that a 09:00 opening is 09:00 local on both sides of
a daylight-saving change; a local time the change skips does not exist and gives no slot; a
local time it repeats is its first occurrence. A slot lasts its length in real time.
"""

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones


class Weekday(enum.StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


WEEKDAYS = tuple(Weekday)  # in date.weekday() order


@cache
def time_zone_names() -> frozenset[str]:
    """The IANA names zoneinfo knows (from the system, or the tzdata package)."""
    return frozenset(available_timezones())


@cache
def zone_named(name: str) -> ZoneInfo:
    """ZoneInfo keeps only its last 8 zones: a run over schedules of many zones (the worker,
    the bench) would read each zone's file again and again. One per IANA name, at most."""
    return ZoneInfo(name)


@dataclass(frozen=True, order=True)
class OpeningRange:
    """Local opening hours of one day: [start, end)."""

    start: time
    end: time

    def overlaps(self, other: "OpeningRange") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Schedule:
    timezone: str
    slot_minutes: int
    weekly: dict[str, tuple[OpeningRange, ...]]  # "mon".."sun" -> ranges
    # Dates whose ranges replace the weekly ones (none: closed that day).
    exceptions: dict[date, tuple[OpeningRange, ...]] = field(default_factory=dict)
    horizon_days: int = 60
    min_notice_hours: int = 12

    @property
    def zone(self) -> ZoneInfo:
        return zone_named(self.timezone)

    @property
    def step(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    def ranges_on(self, day: date) -> tuple[OpeningRange, ...]:
        if day in self.exceptions:
            return self.exceptions[day]
        return self.weekly.get(WEEKDAYS[day.weekday()], ())

    def bookable_window(self, now: datetime) -> tuple[datetime, datetime]:
        """[earliest, latest] start a patient may book at `now`."""
        return now + timedelta(hours=self.min_notice_hours), now + timedelta(days=self.horizon_days)


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, in the schedule's zone
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


def first_overlap(ranges: Iterable[OpeningRange]) -> tuple[OpeningRange, OpeningRange] | None:
    """Two ranges of one day that overlap, if any."""
    ordered = sorted(ranges)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.overlaps(later):
            return earlier, later
    return None


def exists_locally(moment: datetime) -> bool:
    """Whether an aware local time is on the wall clock (not skipped by a change to summer
    time): a skipped time does not survive the round trip through UTC."""
    round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)


def slots_on(schedule: Schedule, day: date) -> Iterator[Slot]:
    """Every slot of a local day, in order, whether taken or not."""
    zone, step = schedule.zone, schedule.step
    for opening in sorted(schedule.ranges_on(day)):
        start = datetime.combine(day, opening.start)
        end = datetime.combine(day, opening.end)
        while start + step <= end:
            local = start.replace(tzinfo=zone)  # fold=0: a repeated time's first occurrence
            if exists_locally(local):
                yield Slot(local, (local.astimezone(UTC) + step).astimezone(zone))
            start += step


def slots_between(schedule: Schedule, first: date, last: date) -> Iterator[Slot]:
    """Every slot of the local days first..last (inclusive)."""
    day = first
    while day <= last:
        yield from slots_on(schedule, day)
        day += timedelta(days=1)


def free_slots(
    schedule: Schedule,
    first: date,
    last: date,
    now: datetime,
    taken: Iterable[tuple[datetime, datetime]],
) -> Iterator[Slot]:
    """The slots of first..last a patient may book at `now`: inside the notice and the
    horizon, overlapping none of the `taken` (start, end) intervals."""
    earliest, latest = schedule.bookable_window(now)
    # Only the days of the window can hold such slots (and year 1 or 9999, asked for, would
    # overflow the arithmetic).
    first = max(first, local_date(schedule, earliest))
    last = min(last, local_date(schedule, latest))
    busy = sorted(taken)
    for slot in slots_between(schedule, first, last):
        if slot.start < earliest:
            continue
        if slot.start > latest:
            return
        if not any(slot.overlaps(start, end) for start, end in busy):
            yield slot


def local_date(schedule: Schedule, moment: datetime) -> date:
    return moment.astimezone(schedule.zone).date()


def first_free_slot(
    schedule: Schedule, now: datetime, taken: Iterable[tuple[datetime, datetime]]
) -> Slot | None:
    """The earliest slot a patient may book at `now` (next_available), or None."""
    earliest, latest = schedule.bookable_window(now)
    first, last = local_date(schedule, earliest), local_date(schedule, latest)
    return next(free_slots(schedule, first, last, now, taken), None)


def next_slot_after(schedule: Schedule, moment: datetime, within_days: int = 14) -> Slot | None:
    """The first slot (taken or not) starting after `moment`, looking `within_days` ahead:
    when the horizon reaches it, a fully booked practitioner is available again."""
    first = local_date(schedule, moment)
    last = first + timedelta(days=within_days)
    return next((s for s in slots_between(schedule, first, last) if s.start > moment), None)


# When no slot is free within the horizon: how far past it to look for the next slot that will
# enter it, and how soon to look again when there is none (no weekly hours at all).
LOOK_PAST_HORIZON_DAYS = 14
RECHECK_WITHOUT_SLOTS = timedelta(days=1)


def outlook(
    schedule: Schedule, now: datetime, taken: Iterable[tuple[datetime, datetime]]
) -> tuple[datetime | None, datetime]:
    """The first free slot's start at `now` (None: nothing free within the horizon), and when
    that answer changes by the clock alone: as the slot enters the notice period, or (none
    free) as the next slot enters the horizon."""
    slot = first_free_slot(schedule, now, taken)
    if slot is not None:
        return slot.start, slot.start - timedelta(hours=schedule.min_notice_hours)
    _, latest = schedule.bookable_window(now)
    coming = next_slot_after(schedule, latest, LOOK_PAST_HORIZON_DAYS)
    if coming is None:
        return None, now + RECHECK_WITHOUT_SLOTS
    return None, coming.start - timedelta(days=schedule.horizon_days)


class NotBookableSlot(ValueError):
    """Why a start is not a slot a patient may book; `reason` names the rule."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def bookable_slot(schedule: Schedule, start: datetime, now: datetime) -> Slot:
    """The slot that begins at `start`, if a patient may book it at `now` (taken or not:
    the database decides that); else NotBookableSlot says why."""
    earliest, latest = schedule.bookable_window(now)
    if start <= now:
        raise NotBookableSlot("past", "This start is in the past.")
    if start < earliest:
        raise NotBookableSlot(
            "notice", f"Book at least {schedule.min_notice_hours} hours ahead of the start."
        )
    if start > latest:
        raise NotBookableSlot(
            "horizon", f"Book at most {schedule.horizon_days} days ahead of the start."
        )
    for slot in slots_on(schedule, local_date(schedule, start)):
        if slot.start == start:
            return slot
    raise NotBookableSlot(
        "grid", "Not the start of a slot: choose one of the practitioner's free slots."
    )
