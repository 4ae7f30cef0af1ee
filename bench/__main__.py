"""One command for the whole benchmark: data sets, server, load, raw SQL, plans, report.

    python -m bench [--scales 10000 100000] [--requests 500] [--output bench/README.md]
    python -m bench images [--only NAME ...]
    python -m bench mail [--mails 2000]
    python -m bench booking [--scale 100000]

`images` measures what crafted uploads cost the image pipeline (bench/images.py), `mail` the
mail worker's throughput (bench/mail.py); neither needs the data sets, and each prints its
table. `booking` times bookings (a write: each takes a slot) on a data set (bench/booking.py).

For each scale it makes (once) a database `directory_bench_<scale>` on the PostgreSQL server,
migrated and filled by bench.generate; later runs reuse it, after upgrading its schema, so
that an index added in a migration is measured on the same rows.
"""

import argparse
import sys
from pathlib import Path
from statistics import mean

import psycopg2
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from bench import availability, booking, images, load, report, sql
from bench.generate import GENERATION, autocommitted, generate
from bench.server import gunicorn
from bench.shapes import (
    RADIUS,
    booking_shapes,
    hot_shapes,
    near_shapes,
    read_shapes,
    search_shapes,
)

SEED = 2026
# A data set made by another generation of the generator (or another seed) is made again.
COMPLETE = f"complete generation={GENERATION}"
CONCURRENCY = (1, 8)


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["images"]:
        images.main(arguments[1:])
        return
    if arguments[:1] == ["mail"]:
        from bench import mail

        mail.main(arguments[1:])
        return
    if arguments[:1] == ["booking"]:
        booking.main(arguments[1:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="python -m bench images|mail|booking --help: the image pipeline, the mail "
        "worker, bookings",
    )
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=500, help="per shape and concurrency")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the data sets")
    parser.add_argument("--database-prefix", default="directory_bench_")
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("README.md"))
    args = parser.parse_args(arguments)

    results = [measure(args, scale) for scale in args.scales]
    largest = _database_url(args.postgres_url, f"{args.database_prefix}{args.scales[-1]}")
    bookings = booking.report(booking.measure(largest, args.requests, args.workers))
    previous = args.output.read_text() if args.output.exists() else ""
    args.output.write_text(report.markdown(results, previous, bookings))
    print(f"report written to {args.output}")


def measure(args, scale: int) -> report.ScaleResult:
    name = f"{args.database_prefix}{scale}"
    url = prepare_database(args.postgres_url, name, scale, args.regenerate)
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        shapes = [
            *search_shapes(),
            *hot_shapes(),
            *booking_shapes(cursor),
            *near_shapes(_points(url)),
            *read_shapes(cursor),
        ]
        counts, version = report.row_counts(cursor), report.server_version(cursor)
    result = report.ScaleResult(scale, counts, _generation_seconds(url), version)

    all_paths = [path for shape in shapes for path in shape.paths]
    captured, totals = sql.capture(url, all_paths)
    with gunicorn(url, args.workers) as (host, port, workers):
        result.workers = workers
        for shape in shapes:  # warm every worker's connection and caches
            load.run(host, port, shape.paths, max(40, len(shape.paths)), CONCURRENCY[-1])
        for concurrency in CONCURRENCY:
            for shape in shapes:
                print(f"scale {scale:,}: {shape.name} at concurrency {concurrency}", flush=True)
                timings = load.run(host, port, shape.paths, args.requests, concurrency)
                result.http[shape.name, concurrency] = timings
    for shape in shapes:
        result.sql[shape.name] = sql.replay(url, captured, shape.paths, args.requests)
        result.plans[shape.name] = sql.explain(url, captured[shape.paths[0]])
        if shape.paths[0] in totals:
            result.matches[shape.name] = mean(totals[path] for path in shape.paths)
    result.shapes = shapes
    return result


def _points(url: str) -> dict[str, tuple[float, float]]:
    """The gazetteer's point for each city of the near shapes, as `near=` resolves it."""
    from directory.extensions import db
    from directory.places.gazetteer import place_named

    app = sql.application(url)
    with app.app_context():
        points = {}
        for city, _ in RADIUS:
            place = place_named(city)
            points[city] = (place.latitude, place.longitude)
        db.engine.dispose()
    return points


def prepare_database(server_url: str, name: str, scale: int, regenerate: bool) -> str:
    """The URL of database `name`, migrated and filled at `scale`; made if missing."""
    url = _database_url(server_url, name)
    server = psycopg2.connect(server_url)
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        exists = cursor.fetchone() is not None
        complete = exists and _comment(cursor, name).startswith(f"{COMPLETE} seed={SEED} ")
        fresh = regenerate or not complete
        if exists and fresh:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if fresh:
            cursor.execute(f'CREATE DATABASE "{name}"')
        # As docker-compose.yml configures the production server (see the comment there).
        cursor.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')
    _migrate(url)
    if fresh:
        print(f"generating {scale:,} practitioners into {name}", flush=True)
        dataset = generate(url, scale, SEED)  # schedules, next_available and VACUUM included
        with server.cursor() as cursor:
            cursor.execute(
                f'COMMENT ON DATABASE "{name}" IS '
                f"'{COMPLETE} seed={SEED} seconds={dataset.seconds:.1f}'"
            )
    server.close()
    if not fresh:
        if added := availability.add_schedules(url, SEED):
            print(f"{added:,} schedules added to {name}", flush=True)
        availability.refresh_next_available(url)  # as of now: a reused data set's went stale
        with autocommitted(url) as cursor:  # after new migrations, and what a run left
            cursor.execute("VACUUM (ANALYZE)")
    return url


def _database_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _comment(cursor, name: str) -> str:
    """The database's comment: where a finished generation leaves its seed and duration."""
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        (name,),
    )
    return cursor.fetchone()[0] or ""


def _generation_seconds(url: str) -> float:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        comment = _comment(cursor, connection.info.dbname)
    return float(comment.rsplit("seconds=", 1)[1])


def _migrate(url: str) -> None:
    with sql.application(url).app_context():
        upgrade()


if __name__ == "__main__":
    main()
