import re
from datetime import date, time, timedelta

import marshmallow as ma

from directory.booking.models import DEFAULT_HORIZON_DAYS, DEFAULT_MIN_NOTICE_HOURS
from directory.booking.slots import OpeningRange, Weekday, first_overlap, time_zone_names
from directory.core.api import ResponseSchema
from directory.treatments.schemas import TreatmentSlug

MAX_SLOT_DAYS = 31  # per call of GET .../slots, both dates included
CLOCK_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"  # ASCII digits only (\d is Unicode)


def _time_zone(name: str) -> None:
    if name not in time_zone_names():
        raise ma.ValidationError("Not an IANA time zone name (for example Europe/Paris).")


def _clock_time(value: str) -> None:
    # fullmatch: a `$` would let a trailing newline through.
    if not re.fullmatch(CLOCK_TIME.strip("^$"), value):
        raise ma.ValidationError("Give a local time as HH:MM.")


class ClockTime(ma.fields.String):
    """Local wall-clock time, HH:MM (00:00 to 23:59)."""

    def __init__(self, **kwargs):
        metadata = {"pattern": CLOCK_TIME, "example": "09:00"} | kwargs.pop("metadata", {})
        super().__init__(
            validate=_clock_time,
            metadata=metadata,
            **kwargs,
        )


def _check_order(data: dict) -> None:
    if "start" in data and "end" in data and data["start"] >= data["end"]:
        raise ma.ValidationError("The end must come after the start.", "end")


class OpeningHoursSchema(ma.Schema):
    day = ma.fields.Enum(Weekday, by_value=True, required=True)
    start = ClockTime(required=True)
    end = ClockTime(required=True)

    @ma.validates_schema
    def _ordered(self, data: dict, **kwargs) -> None:
        _check_order(data)


class ScheduleExceptionSchema(ma.Schema):
    date = ma.fields.Date(required=True)
    closed = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "true: closed all day (then no start or end)"},
    )
    start = ClockTime(metadata={"description": "With `end`: the hours that replace the day's"})
    end = ClockTime()

    @ma.validates_schema
    def _closed_or_open(self, data: dict, **kwargs) -> None:
        hours = [name for name in ("start", "end") if data.get(name) is not None]
        if data["closed"] and hours:
            raise ma.ValidationError("A closed day has no hours.", hours[0])
        if not data["closed"] and len(hours) != 2:
            raise ma.ValidationError("Give start and end, or closed: true.", "start")
        _check_order(data)


def _overlaps(items: list[dict], key: str) -> str | None:
    """A message naming two ranges of one day (or date) that overlap, if any."""
    by_day: dict = {}
    for item in items:
        if item.get("start") is not None:
            hours = OpeningRange(time.fromisoformat(item["start"]), time.fromisoformat(item["end"]))
            by_day.setdefault(item[key], []).append(hours)
    for day, ranges in by_day.items():
        if overlap := first_overlap(ranges):
            first, second = (f"{r.start:%H:%M}-{r.end:%H:%M}" for r in overlap)
            return f"Ranges overlap on {day}: {first} and {second}."
    return None


class AvailabilityWriteSchema(ma.Schema):
    """A whole schedule: writing it replaces the previous one. Its numbers are strict: 12.5
    hours of notice is refused, never cut to 12."""

    timezone = ma.fields.String(
        required=True,
        validate=[ma.validate.Length(max=64), _time_zone],
        metadata={"description": "IANA time zone name of the practice", "example": "Europe/Paris"},
    )
    slot_minutes = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(10, 240)
    )
    weekly = ma.fields.List(
        ma.fields.Nested(OpeningHoursSchema),
        required=True,
        validate=ma.validate.Length(max=70),
        metadata={"description": "Opening hours in local time; a day may have several ranges"},
    )
    exceptions = ma.fields.List(
        ma.fields.Nested(ScheduleExceptionSchema),
        load_default=list,
        validate=ma.validate.Length(max=400),
        metadata={
            "description": "Dates whose hours replace the weekly ones: closed, or open in the "
            "ranges given for that date"
        },
    )
    horizon_days = ma.fields.Integer(
        load_default=DEFAULT_HORIZON_DAYS,
        strict=True,
        validate=ma.validate.Range(1, 180),
        metadata={"description": "How far ahead patients may book (default 60)"},
    )
    min_notice_hours = ma.fields.Integer(
        load_default=DEFAULT_MIN_NOTICE_HOURS,
        strict=True,
        validate=ma.validate.Range(0, 168),
        metadata={"description": "How soon before a slot's start it may be booked (default 12)"},
    )

    @ma.validates_schema
    def _no_overlaps(self, data: dict, **kwargs) -> None:
        if overlap := _overlaps(data.get("weekly", []), "day"):
            raise ma.ValidationError(overlap, "weekly")
        exceptions = data.get("exceptions", [])
        if overlap := _overlaps(exceptions, "date"):
            raise ma.ValidationError(overlap, "exceptions")
        closed = {item["date"] for item in exceptions if item["closed"]}
        if len(closed) != sum(item["closed"] for item in exceptions) or any(
            item["date"] in closed for item in exceptions if not item["closed"]
        ):
            raise ma.ValidationError("A closed date appears more than once.", "exceptions")

    @ma.post_load
    def _as_stored(self, data: dict, **kwargs) -> dict:
        """Sorted, in the JSON form the model keeps."""
        data["weekly"] = sorted(
            (
                {"day": item["day"].value, "start": item["start"], "end": item["end"]}
                for item in data["weekly"]
            ),
            key=lambda item: (list(Weekday).index(Weekday(item["day"])), item["start"]),
        )
        data["exceptions"] = sorted(
            (
                {
                    "date": item["date"].isoformat(),
                    "closed": item["closed"],
                    "start": item.get("start"),
                    "end": item.get("end"),
                }
                for item in data["exceptions"]
            ),
            key=lambda item: (item["date"], item["start"] or ""),
        )
        return data


class OpeningHoursOutSchema(ResponseSchema):
    day = ma.fields.Enum(Weekday, by_value=True)
    start = ma.fields.String(metadata={"description": "HH:MM, local time"})
    end = ma.fields.String(metadata={"description": "HH:MM, local time"})

    @ma.pre_dump
    def _stored_day(self, item: dict, **kwargs) -> dict:
        return item | {"day": Weekday(item["day"])}  # stored as its JSON string


class ScheduleExceptionOutSchema(ResponseSchema):
    date = ma.fields.Date()
    closed = ma.fields.Boolean()
    start = ma.fields.String(allow_none=True, metadata={"description": "Null on a closed day"})
    end = ma.fields.String(allow_none=True, metadata={"description": "Null on a closed day"})

    @ma.pre_dump
    def _stored_date(self, item: dict, **kwargs) -> dict:
        return item | {"date": date.fromisoformat(item["date"])}  # stored as its JSON string


class AvailabilitySchema(ResponseSchema):
    timezone = ma.fields.String(dump_only=True)
    slot_minutes = ma.fields.Integer(dump_only=True)
    weekly = ma.fields.List(ma.fields.Nested(OpeningHoursOutSchema), dump_only=True)
    exceptions = ma.fields.List(ma.fields.Nested(ScheduleExceptionOutSchema), dump_only=True)
    horizon_days = ma.fields.Integer(dump_only=True)
    min_notice_hours = ma.fields.Integer(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class SlotArgs(ma.Schema):
    first = ma.fields.Date(
        required=True,
        data_key="from",
        metadata={"description": "First local day (YYYY-MM-DD), in the practitioner's zone"},
    )
    last = ma.fields.Date(
        required=True,
        data_key="to",
        metadata={
            "description": f"Last local day, included: at most {MAX_SLOT_DAYS} days from "
            "`from` counted both, and not before it"
        },
    )

    @ma.validates_schema
    def _range(self, data: dict, **kwargs) -> None:
        if "first" not in data or "last" not in data:
            return
        if data["last"] < data["first"]:
            raise ma.ValidationError("`to` comes before `from`.", "to")
        if data["last"] - data["first"] >= timedelta(days=MAX_SLOT_DAYS):
            raise ma.ValidationError(f"At most {MAX_SLOT_DAYS} days per call.", "to")


class SlotSchema(ResponseSchema):
    start = ma.fields.AwareDateTime(metadata={"description": "Local time, with its UTC offset"})
    end = ma.fields.AwareDateTime(metadata={"description": "Local time, with its UTC offset"})


class SlotsSchema(ResponseSchema):
    timezone = ma.fields.String(metadata={"description": "The practitioner's IANA zone"})
    slots = ma.fields.List(
        ma.fields.Nested(SlotSchema), metadata={"description": "Free slots only, in order"}
    )


class BookingRequestSchema(ma.Schema):
    start = ma.fields.AwareDateTime(
        required=True,
        metadata={
            "description": "The start of a free slot, as GET .../slots gives it (any UTC "
            "offset naming the same instant is accepted)"
        },
    )
    treatment = TreatmentSlug(required=True)
    message = ma.fields.String(validate=ma.validate.Length(1, 2000), allow_none=True)
