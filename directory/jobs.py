"""The worker's periodic jobs: `flask --app wsgi worker` runs each of them about once a minute,
and `flask --app wsgi worker --once` once.

A job is a function `job(now: datetime) -> dict | None` (the dict, if any, counts what it did,
for the log). It commits its own work; it is quick when there is nothing to do; and it is safe
when several workers run it at once (conditional updates, `FOR UPDATE SKIP LOCKED`). A job that
fails is logged and retried on the next round; the others still run.

To add one, write it in the package it serves and list it here, like every model is listed in
models.py: an explicit list, so that no job is lost to a module nobody imported.
"""

from collections.abc import Callable
from datetime import datetime

from directory.booking.jobs import complete_past_bookings, remind_upcoming_bookings
from directory.booking.services import refresh_due_availability
from directory.credentials.notices import mail_expiring_and_expired
from directory.gallery.consents import lapse_unanswered_requests
from directory.housekeeping import run_housekeeping
from directory.mail.services import purge_old_mail
from directory.privacy.retention import apply_retention

PeriodicJob = Callable[[datetime], dict | None]

PERIODIC_JOBS: list[PeriodicJob] = [
    run_housekeeping,
    purge_old_mail,
    mail_expiring_and_expired,
    remind_upcoming_bookings,
    complete_past_bookings,
    refresh_due_availability,
    lapse_unanswered_requests,
    apply_retention,
]
