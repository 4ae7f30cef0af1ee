"""One worker delivering the outbox to a local SMTP server: mails per second.

    python -m bench mail [--mails 2000] [--batch-size 100] [--database postgresql sqlite]

For each database it makes a fresh one (PostgreSQL: `directory_bench_mail` on --postgres-url;
SQLite: a temporary file), migrates it, commits --mails mails to the outbox, and times the
worker's own delivery loop (what `flask --app wsgi worker --once` runs) against an aiosmtpd
server in a process of its own, which counts what it receives.
"""

import argparse
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.smtp_sink import SMTPSink
from bench.sql import application
from directory.extensions import db
from directory.mail.delivery import BATCH_SIZE, deliver_all_due
from directory.mail.models import OutboxMail, OutboxStatus
from directory.mail.outbox import MailEvent, enqueue

DATABASE_NAME = "directory_bench_mail"


@dataclass
class MailResult:
    database: str
    mails: int
    batch_size: int
    enqueue_seconds: float
    deliver_seconds: float
    received: int

    @property
    def per_second(self) -> float:
        return self.mails / self.deliver_seconds


def fresh_postgres_database(server_url: str) -> str:
    server = psycopg2.connect(server_url)
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    server.close()
    return make_url(server_url).set(database=DATABASE_NAME).render_as_string(hide_password=False)


def drop_postgres_database(server_url: str) -> None:
    server = psycopg2.connect(server_url)
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
    server.close()


def measure(database_url: str, label: str, mails: int, batch_size: int) -> MailResult:
    with SMTPSink() as smtp, tempfile.TemporaryDirectory() as media:
        app = application(
            database_url,
            SMTP_URL=f"smtp://127.0.0.1:{smtp.port}",
            MEDIA_ROOT=media,
            PUBLIC_BASE_URL="http://127.0.0.1:8000",
        )
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            for number in range(mails):
                enqueue(
                    MailEvent.BOOKING_CONFIRMED,
                    f"patient-{number}@example.org",
                    {
                        "name": f"Patient {number}",
                        "link": f"http://127.0.0.1:3000/bookings/{number}",
                        "other_party": "Dr Camille Durand",
                        "treatment": "Anti-aging",
                        "starts_at": "2026-03-03T14:30:00+01:00",
                    },
                )
            db.session.commit()
            enqueued = time.perf_counter() - started

            started = time.perf_counter()
            report = deliver_all_due(limit=batch_size)
            delivered = time.perf_counter() - started

            sent = db.session.scalar(
                select(func.count()).where(OutboxMail.status == OutboxStatus.SENT)
            )
            db.engine.dispose()
        if report.sent != mails or sent != mails:
            raise RuntimeError(f"{label}: {report}, {sent} rows sent of {mails}")
        deadline = time.monotonic() + 10
        while smtp.count.value < mails and time.monotonic() < deadline:
            time.sleep(0.05)
        return MailResult(label, mails, batch_size, enqueued, delivered, smtp.count.value)


def table(results: list[MailResult]) -> str:
    lines = [
        "| database | mails | batch | enqueue ms per mail | deliver s | mails/s | received |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.database} | {r.mails} | {r.batch_size} | "
            f"{r.enqueue_seconds / r.mails * 1000:.1f} | {r.deliver_seconds:.2f} | "
            f"{r.per_second:.0f} | {r.received} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench mail", description=__doc__)
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument(
        "--database", nargs="+", choices=["postgresql", "sqlite"], default=["postgresql", "sqlite"]
    )
    args = parser.parse_args(argv)

    results = []
    for database in args.database:
        print(f"delivering {args.mails} mails on {database}", flush=True)
        if database == "postgresql":
            url = fresh_postgres_database(args.postgres_url)
            try:
                results.append(measure(url, database, args.mails, args.batch_size))
            finally:
                drop_postgres_database(args.postgres_url)
        else:
            with tempfile.TemporaryDirectory() as directory:
                url = f"sqlite:///{Path(directory) / 'bench-mail.db'}"
                results.append(measure(url, database, args.mails, args.batch_size))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\nOne worker, in process; aiosmtpd on 127.0.0.1 in a process of its own; "
        f"{os.cpu_count()} cores, load average {load}"
    )
    print(table(results))


if __name__ == "__main__":
    main()
