"""A practitioner's published availability. Bookings themselves are consultations with a
`starts_at` (consultations.models), so that everything that covers consultations (lists,
reviews, the privacy export and erasure) covers them too."""

from datetime import date, datetime, time

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from directory.booking.slots import OpeningRange, Schedule
from directory.core.db import ID_LENGTH, Timestamps, UTCDateTime
from directory.extensions import db

DEFAULT_HORIZON_DAYS = 60
DEFAULT_MIN_NOTICE_HOURS = 12


class Availability(Timestamps, db.Model):
    """One per practitioner who takes bookings. The weekly hours and the exceptions are read
    and written whole, so they are stored as JSON, as the API shows them."""

    __tablename__ = "availabilities"

    practitioner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("practitioners.id", ondelete="CASCADE"), primary_key=True
    )
    timezone: Mapped[str] = mapped_column(String(64))
    slot_minutes: Mapped[int] = mapped_column(Integer)
    horizon_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_HORIZON_DAYS)
    min_notice_hours: Mapped[int] = mapped_column(Integer, default=DEFAULT_MIN_NOTICE_HOURS)
    # [{"day": "mon", "start": "09:00", "end": "12:00"}, ...]
    weekly: Mapped[list] = mapped_column(JSON, default=list)
    # [{"date": "2026-12-24", "closed": true}, {"date": ..., "start": ..., "end": ...}, ...]
    exceptions: Mapped[list] = mapped_column(JSON, default=list)
    # When the profile's next_available must be computed again although nothing was booked:
    # its slot enters the notice period, or (none free) the next slot enters the horizon. The
    # worker's job reads this index (booking.availability.refresh_due).
    refresh_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_availabilities_refresh_due_at", "refresh_due_at"),
        CheckConstraint("slot_minutes BETWEEN 10 AND 240", name="slot_minutes_range"),
        CheckConstraint("horizon_days BETWEEN 1 AND 180", name="horizon_days_range"),
        CheckConstraint("min_notice_hours BETWEEN 0 AND 168", name="min_notice_hours_range"),
    )

    @property
    def schedule(self) -> Schedule:
        """The stored hours as the slot arithmetic reads them."""
        weekly: dict[str, list[OpeningRange]] = {}
        for item in self.weekly:
            weekly.setdefault(item["day"], []).append(_range(item))
        exceptions: dict[date, list[OpeningRange]] = {}
        for item in self.exceptions:
            hours = exceptions.setdefault(date.fromisoformat(item["date"]), [])
            if not item.get("closed"):
                hours.append(_range(item))
        return Schedule(
            timezone=self.timezone,
            slot_minutes=self.slot_minutes,
            weekly={day: tuple(ranges) for day, ranges in weekly.items()},
            exceptions={day: tuple(ranges) for day, ranges in exceptions.items()},
            horizon_days=self.horizon_days,
            min_notice_hours=self.min_notice_hours,
        )


def _range(item: dict) -> OpeningRange:
    return OpeningRange(time.fromisoformat(item["start"]), time.fromisoformat(item["end"]))
