"""`flask --app wsgi worker`: delivers the outbox and runs the periodic jobs (directory/jobs.py)
until SIGTERM or SIGINT, which stop it after the current batch. `--once` delivers what is due,
runs the periodic jobs once, and exits."""

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import click
from flask import Flask, current_app

from directory.core.db import utcnow
from directory.extensions import db
from directory.mail.delivery import (
    BATCH_SIZE,
    DeliveryReport,
    deliver_all_due,
    deliver_due,
    parse_smtp_url,
)

log = logging.getLogger(__name__)

JOBS_INTERVAL_SECONDS = 60
# After an unexpected error (the database is down...): wait, then try again.
ERROR_PAUSE_SECONDS = 5


def run_periodic_jobs(now: datetime | None = None) -> dict[str, object]:
    """Run every job of directory/jobs.py once; a failing job does not stop the others."""
    from directory.jobs import PERIODIC_JOBS  # it imports every package: not at import time

    now = now or utcnow()
    results: dict[str, object] = {}
    for job in PERIODIC_JOBS:
        name = job.__name__
        try:
            results[name] = job(now=now)
        except Exception:
            db.session.rollback()
            log.exception("periodic job %s failed", name)
            results[name] = "failed"
    return results


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    def request_stop(signum, frame):
        log.info("%s received: stopping after the current batch", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_worker(stop: threading.Event, batch_size: int, poll_seconds: float) -> DeliveryReport:
    """Deliver and run the jobs until `stop` is set; returns what was delivered."""
    total = DeliveryReport()
    jobs_due_at = 0.0
    while not stop.is_set():
        try:
            report = deliver_due(limit=batch_size)
            total.add(report)
            if time.monotonic() >= jobs_due_at:
                log.info("periodic jobs: %s", run_periodic_jobs())
                jobs_due_at = time.monotonic() + JOBS_INTERVAL_SECONDS
        except Exception:
            db.session.rollback()
            log.exception("worker round failed; trying again in %s s", ERROR_PAUSE_SECONDS)
            stop.wait(ERROR_PAUSE_SECONDS)
            continue
        finally:
            db.session.remove()
        if report.claimed < batch_size:  # a full batch: there may be more at once
            stop.wait(poll_seconds)
    return total


def register_cli(app: Flask) -> None:
    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="Deliver what is due, run the jobs once, exit.")
    @click.option(
        "--batch-size",
        type=click.IntRange(1, 1000),
        default=BATCH_SIZE,
        show_default=True,
        help="Mails claimed and sent over one SMTP connection at a time.",
    )
    @click.option(
        "--poll-seconds",
        type=click.FloatRange(0.05, 60),
        default=1.0,
        show_default=True,
        help="Pause between looks at the outbox when it is empty.",
    )
    def worker_command(once: bool, batch_size: int, poll_seconds: float) -> None:
        """Deliver the mail outbox and run the periodic jobs."""
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        smtp_url = current_app.config.get("SMTP_URL")
        if smtp_url:
            try:
                parse_smtp_url(smtp_url)
            except ValueError as error:
                raise click.UsageError(str(error)) from error
        else:
            log.warning("SMTP_URL is not set: mails go to %s", current_app.config["MAIL_DIR"])
        if once:
            report = deliver_all_due(limit=batch_size)
            jobs = run_periodic_jobs()
            click.echo(f"Delivered: {report}. Periodic jobs: {jobs}")
            return
        stop = threading.Event()
        with _stop_on_signals(stop):
            log.info("worker started")
            report = run_worker(stop, batch_size, poll_seconds)
        click.echo(f"Worker stopped: {report}")
