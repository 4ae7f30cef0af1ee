"""Slot arithmetic with zoneinfo: opening hours, exceptions, daylight saving, the bookable
window and taken time, without an app or a database."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from directory.booking.slots import (
    NotBookableSlot,
    OpeningRange,
    Schedule,
    bookable_slot,
    exists_locally,
    first_free_slot,
    first_overlap,
    free_slots,
    next_slot_after,
    outlook,
    slots_on,
)

PARIS = ZoneInfo("Europe/Paris")
MORNING = OpeningRange(time(9), time(12))
# Sundays of the changes in Paris: clocks go forward at 02:00 and back at 03:00.
SPRING_FORWARD = date(2027, 3, 28)
FALL_BACK = date(2026, 10, 25)


def schedule(**overrides) -> Schedule:
    every_day = {day: (MORNING,) for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    return Schedule(
        **{
            "timezone": "Europe/Paris",
            "slot_minutes": 30,
            "weekly": every_day,
            "horizon_days": 60,
            "min_notice_hours": 12,
        }
        | overrides
    )


def local_starts(slots) -> list[str]:
    return [f"{slot.start:%H:%M%z}" for slot in slots]


def test_slots_are_cut_from_the_start_of_each_range_and_never_run_past_it():
    odd = schedule(slot_minutes=45, weekly={"mon": (OpeningRange(time(9), time(12, 30)),)})

    assert local_starts(slots_on(odd, date(2026, 12, 7))) == [
        "09:00+0100",
        "09:45+0100",
        "10:30+0100",
        "11:15+0100",
    ]


@pytest.mark.parametrize(
    ("day", "offset"),
    [
        (SPRING_FORWARD - timedelta(days=1), "+0100"),
        (SPRING_FORWARD, "+0200"),
        (FALL_BACK - timedelta(days=1), "+0200"),
        (FALL_BACK, "+0100"),
    ],
)
def test_a_nine_oclock_opening_stays_nine_oclock_across_daylight_saving(day, offset):
    slots = list(slots_on(schedule(), day))

    assert local_starts(slots)[0] == f"09:00{offset}"
    assert len(slots) == 6
    assert all(slot.end - slot.start == timedelta(minutes=30) for slot in slots)


def test_a_local_time_that_does_not_exist_is_skipped():
    night = schedule(weekly={"sun": (OpeningRange(time(1), time(4)),)})

    starts = local_starts(slots_on(night, SPRING_FORWARD))

    assert starts == ["01:00+0100", "01:30+0100", "03:00+0200", "03:30+0200"]
    assert not exists_locally(datetime(2027, 3, 28, 2, 30, tzinfo=PARIS))


def test_a_repeated_local_time_gives_one_slot_at_its_first_occurrence():
    night = schedule(weekly={"sun": (OpeningRange(time(2), time(3)),)})

    slots = list(slots_on(night, FALL_BACK))

    assert local_starts(slots) == ["02:00+0200", "02:30+0200"]


def test_an_exception_replaces_or_closes_the_day():
    with_exceptions = schedule(
        exceptions={
            date(2026, 12, 24): (),
            date(2026, 12, 31): (OpeningRange(time(14), time(15)),),
        }
    )

    assert list(slots_on(with_exceptions, date(2026, 12, 24))) == []
    assert local_starts(slots_on(with_exceptions, date(2026, 12, 31))) == [
        "14:00+0100",
        "14:30+0100",
    ]
    assert len(list(slots_on(with_exceptions, date(2026, 12, 30)))) == 6


def test_free_slots_leave_out_the_notice_the_horizon_and_taken_time():
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 09:00 in Paris
    short = schedule(horizon_days=2)
    taken = [
        (
            datetime(2026, 12, 8, 9, 30, tzinfo=PARIS),
            datetime(2026, 12, 8, 10, 15, tzinfo=PARIS),
        )
    ]

    free = list(free_slots(short, date(2026, 12, 7), date(2026, 12, 20), now, taken))

    # Today is within the 12 hours' notice; 09:30 and 10:00 overlap the booking; the horizon
    # ends on the 9th at 09:00 local, its first slot included.
    assert [f"{s.start:%d %H:%M}" for s in free] == [
        "08 09:00",
        "08 10:30",
        "08 11:00",
        "08 11:30",
        "09 09:00",
    ]


def test_the_first_free_slot_and_the_next_slot_beyond_the_horizon():
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

    assert f"{first_free_slot(schedule(), now, []).start:%d %H:%M}" == "08 09:00"
    mondays = schedule(weekly={"mon": (MORNING,)})
    after = next_slot_after(mondays, datetime(2026, 12, 8, tzinfo=UTC))
    assert f"{after.start:%a %d %H:%M}" == "Mon 14 09:00"
    assert next_slot_after(schedule(weekly={}), now) is None


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        (datetime(2026, 12, 7, 7, tzinfo=UTC), "past"),
        (datetime(2026, 12, 7, 10, tzinfo=PARIS), "notice"),
        (datetime(2027, 3, 1, 9, tzinfo=PARIS), "horizon"),
        (datetime(2026, 12, 9, 9, 10, tzinfo=PARIS), "grid"),
        (datetime(2026, 12, 9, 13, tzinfo=PARIS), "grid"),
    ],
)
def test_a_start_that_is_not_a_bookable_slot_says_why(start, reason):
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

    with pytest.raises(NotBookableSlot) as refusal:
        bookable_slot(schedule(), start, now)

    assert refusal.value.reason == reason


def test_a_slot_start_in_any_offset_is_the_same_slot():
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

    slot = bookable_slot(schedule(), datetime(2026, 12, 9, 8, 30, tzinfo=UTC), now)

    assert f"{slot.start:%H:%M%z}" == "09:30+0100"


def test_overlapping_ranges_are_found():
    assert first_overlap([MORNING, OpeningRange(time(14), time(18))]) is None
    assert first_overlap([OpeningRange(time(11), time(13)), MORNING]) == (
        MORNING,
        OpeningRange(time(11), time(13)),
    )


def test_the_outlook_says_when_the_clock_alone_changes_next_available():
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    tuesdays = schedule(weekly={"tue": (OpeningRange(time(9), time(10)),)}, horizon_days=2)

    start, recheck = outlook(tuesdays, now, [])
    assert f"{start:%d %H:%M}" == "08 09:00"
    assert recheck == start - timedelta(hours=12)  # when it enters the notice period

    full = [(start, start + timedelta(hours=1))]
    start, recheck = outlook(tuesdays, now, full)
    assert start is None
    assert recheck == datetime(2026, 12, 13, 8, tzinfo=UTC)  # next Tuesday 09:00 minus 2 days

    assert outlook(schedule(weekly={}), now, []) == (None, now + timedelta(days=1))
