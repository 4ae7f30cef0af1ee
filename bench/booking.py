"""A booking through the API, against the SQL it runs: POST .../bookings at concurrency 1 and 8.

    python -m bench booking [--scale 100000] [--requests 200] [--postgres-url URL]

It runs on `make bench`'s data set of that scale (made if missing). Every request books a
different free slot, for one of PATIENTS patients whose tokens are issued in-process with the
server's key (no login, no password hashing in the measure). The raw SQL is the statements
one booking sent, captured in-process and replayed in a transaction that is rolled back.
Afterwards the bookings and their mails are deleted and next_available recomputed: the data
set is left as it was.
"""

import argparse
import json
from datetime import UTC, datetime, timedelta
from secrets import token_urlsafe

import psycopg2
from sqlalchemy import event, select, text, update

from bench import availability, load, sql
from bench.load import Post
from bench.server import gunicorn
from directory.accounts.models import User
from directory.accounts.tokens import issue_tokens
from directory.booking import services as booking
from directory.booking.models import Availability
from directory.extensions import db
from directory.practitioners.models import Practitioner

PATIENTS = 50
SLOTS_PER_PRACTITIONER = 4
WARM_UP = 20
CONCURRENCY = (1, 8)
MEDIAN_BAR_MS = 20  # QUALITY.md: a booking under 20 ms at 100,000 practitioners
BOOKING_EVENTS = ("booking-confirmed",)


def main(argv: list[str]) -> None:
    from bench.__main__ import prepare_database  # the data sets of `make bench`

    parser = argparse.ArgumentParser(prog="python -m bench booking", description=__doc__)
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per concurrency")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--database-prefix", default="directory_bench_")
    args = parser.parse_args(argv)
    name = f"{args.database_prefix}{args.scale}"
    url = prepare_database(args.postgres_url, name, args.scale, regenerate=False)
    print(report(measure(url, args.requests, args.workers)))


def measure(url: str, requests: int, workers: int | None = None) -> dict:
    secret = token_urlsafe(32)
    started = datetime.now(UTC)
    app = sql.application(url, JWT_SECRET_KEY=secret, SQLALCHEMY_ENGINE_OPTIONS={})
    needed = 1 + WARM_UP + requests * len(CONCURRENCY)
    patients: list[str] = []
    try:
        with app.app_context():
            bookings, patients = _bookings(needed)
            captured, status = _capture(app, bookings.pop())
            db.engine.dispose()
        if status != 201:
            raise RuntimeError(f"the captured booking answered {status}")
        _delete_bookings(url, started, patients)  # the captured one: its slot is replayed
        result = {
            "sql_ms": sql.replay(url, {"booking": captured}, ["booking"], requests),
            "plans": sql.explain(url, captured),
            "http": {},
        }
        settings = {"JWT_SECRET_KEY": secret, "RATELIMIT_WRITE": "10000000 per minute"}
        with gunicorn(url, workers, **settings) as (host, port, result["workers"]):
            load.run(host, port, bookings[:WARM_UP], WARM_UP, CONCURRENCY[-1])
            rest = bookings[WARM_UP:]
            for concurrency in CONCURRENCY:
                batch, rest = rest[:requests], rest[requests:]
                result["http"][concurrency] = load.run(host, port, batch, requests, concurrency)
        return result
    finally:
        _delete_bookings(url, started, patients)
        availability.refresh_next_available(url)


def _bookings(count: int) -> tuple[list[Post], list[str]]:
    """`count` bookings of distinct free slots, and the patients who make them (verified,
    with tokens)."""
    patients = db.session.scalars(
        select(User).where(User.role == "patient").order_by(User.id).limit(PATIENTS)
    ).all()
    ids = [patient.id for patient in patients]
    db.session.execute(
        update(User).where(User.id.in_(ids)).values(email_verified_at=datetime.now(UTC))
    )
    tokens = [issue_tokens(patient)["access_token"] for patient in patients]
    db.session.commit()
    schedules = db.session.scalars(
        select(Availability)
        .join(Practitioner, Practitioner.id == Availability.practitioner_id)
        .where(Practitioner.deleted_at.is_(None), Practitioner.next_available.is_not(None))
        .order_by(text("md5(availabilities.practitioner_id)"))
    )
    bookings: list[Post] = []
    today = datetime.now(UTC).date()
    for schedule in schedules:
        practitioner = db.session.get(Practitioner, schedule.practitioner_id)
        free = booking.free_slots(schedule, today, today + timedelta(days=13))
        for slot in free[:SLOTS_PER_PRACTITIONER]:
            token = tokens[len(bookings) % len(tokens)]  # never 3 of one patient here
            body = {"start": slot.start.isoformat(), "treatment": practitioner.treatments[0]}
            bookings.append(
                Post(
                    f"/api/v1/practitioners/{practitioner.id}/bookings",
                    json.dumps(body).encode(),
                    {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                )
            )
            if len(bookings) == count:
                return bookings, ids
    raise RuntimeError(f"fewer than {count} free slots in the data set's next two weeks")


def _capture(app, request: Post) -> tuple[list, int]:
    """The statements one booking runs, and its status."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    with db.engine.connect():  # the dialect's first-connect queries, before capturing
        pass
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = app.test_client().post(request.path, data=request.body, headers=request.headers)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return statements, response.status_code


def _delete_bookings(url: str, since: datetime, patients: list[str]) -> None:
    if not patients:
        return
    connection = psycopg2.connect(url)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM mail_outbox WHERE created_at >= %s AND event = ANY(%s)",
                (since, list(BOOKING_EVENTS)),
            )
            cursor.execute(
                "DELETE FROM consultations WHERE created_at >= %s AND starts_at IS NOT NULL "
                "AND patient_id = ANY(%s)",
                (since, patients),
            )
    finally:
        connection.close()


def report(result: dict) -> str:
    lines = [
        f"gunicorn: {result['workers']} sync workers; SQL median {result['sql_ms']:.2f} ms",
        "",
        "| c | bookings | median ms | p95 ms | p99 ms | req/s | API / SQL | bar |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for concurrency, timings in result["http"].items():
        ratio = timings.median / result["sql_ms"]
        bar = f"median < {MEDIAN_BAR_MS} ms: {'yes' if timings.median < MEDIAN_BAR_MS else 'no'}"
        lines.append(
            f"| {concurrency} | {timings.requests_column} | {timings.median:.1f} "
            f"| {timings.percentile(95):.1f} | {timings.percentile(99):.1f} "
            f"| {timings.throughput:.0f} | {ratio:.1f}x | {bar if concurrency == 1 else ''} |"
        )
    lines += ["", "Plans of one booking's statements:", ""]
    for plan in result["plans"]:
        lines += ["```", plan, "```", ""]
    return "\n".join(lines)
