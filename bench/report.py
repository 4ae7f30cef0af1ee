"""The Markdown report: machine, versions, data set, latency tables, bars, plans."""

import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version

from bench.load import Timings
from bench.shapes import Shape

TABLES = [
    "practitioners",
    "users",
    "certifications",
    "testimonials",
    "consultations",
    "invitations",
    "gallery_items",
]
PACKAGES = ["flask", "flask-smorest", "marshmallow", "sqlalchemy", "psycopg2-binary", "gunicorn"]

# The bars of QUALITY.md, in milliseconds and ratios.
SEARCH_MEDIAN_MS, SEARCH_P99_MS, PAGE_MEDIAN_MS = 15, 60, 10
MAX_GROWTH = 1.5
# v2: a search's median at most this many times its floor: its SQL on a bare connection plus
# the HTTP floor (`/healthz`) of the same run.
MAX_FLOOR_RATIO = 2.0
NEAR_ADDS_MS = 1.0  # what resolving near= may add to the same radius search
# The scale of the reference data set, at which the per-shape bars apply; the largest scale is
# held to the search median and to the growth from the scale before it.
REFERENCE_SCALE = 100_000


@dataclass
class ScaleResult:
    scale: int
    counts: dict[str, int]  # rows per table
    generated_in: float
    postgres: str  # the server's version()
    workers: int = 0
    shapes: list[Shape] = field(default_factory=list)
    http: dict[tuple[str, int], Timings] = field(default_factory=dict)
    sql: dict[str, float] = field(default_factory=dict)
    plans: dict[str, list[str]] = field(default_factory=dict)
    matches: dict[str, float] = field(default_factory=dict)  # mean `total` of a list shape


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant names)
        counts[table] = cursor.fetchone()[0]
    return counts


def server_version(cursor) -> str:
    cursor.execute("SELECT version()")
    return cursor.fetchone()[0]


NOTES_START, NOTES_END = "<!-- notes -->", "<!-- /notes -->"


def markdown(results: list[ScaleResult], previous: str = "", bookings: str = "") -> str:
    """The report; the hand-written notes of the `previous` report are kept. `bookings`: the
    table of bench.booking at the largest scale (a write, measured apart)."""
    largest = results[-1]
    lines = [
        "# Benchmarks",
        "",
        "`make bench` (`python -m bench --help` for options) writes this file. It builds the "
        "reference data set in PostgreSQL once per scale (bench/generate.py), serves the API "
        "under gunicorn on 127.0.0.1 (bench/server.py), replays a fixed request mix "
        "(bench/shapes.py) from client processes of their own (bench/load.py), replays the "
        "API's own SQL on a bare connection and explains it (bench/sql.py). Absolute times are "
        "indicative (a shared, noisy machine); the ratios are the real comparison.",
        "",
        _notes(previous),
        "",
        *_machine(largest),
        "",
        "## Bars (QUALITY.md)",
        "",
        *_bars(results),
    ]
    for result in results:
        lines += ["", f"## {result.scale:,} practitioners", "", *_data_set(result)]
        lines += ["", *_latency_table(result)]
    if len(results) > 1:
        lines += ["", "## Growth with size", "", *_growth(results[-2], results[-1])]
    if bookings:
        lines += ["", f"## Bookings at {largest.scale:,} practitioners", "", bookings]
    lines += ["", f"## Query plans at {largest.scale:,} practitioners", "", *_plans(largest)]
    return "\n".join(lines) + "\n"


def _notes(previous: str) -> str:
    if NOTES_START in previous and NOTES_END in previous:
        kept = previous.split(NOTES_START, 1)[1].split(NOTES_END, 1)[0]
    else:
        kept = "\n## Notes\n\n(Written by hand; kept when the report is regenerated.)\n"
    return f"{NOTES_START}{kept}{NOTES_END}"


def _machine(result: ScaleResult) -> list[str]:
    return [
        "## Machine",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {_cpu_model()}, {os.cpu_count()} logical cores; memory {_memory_gib():.0f} GiB",
        f"- OS: {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; "
        + ", ".join(f"{name} {version(name)}" for name in PACKAGES),
        f"- {result.postgres.split(',')[0]} on the same machine, default settings but "
        "`random_page_cost = 1.1`, as docker-compose.yml sets it",
        f"- gunicorn: {result.workers} sync workers; load: a new connection per request, "
        "one client process per concurrent user",
    ]


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    try:
        with open("/proc/meminfo") as meminfo:
            return int(meminfo.readline().split()[1]) / 1024**2
    except (OSError, ValueError, IndexError):
        return 0.0


def _data_set(result: ScaleResult) -> list[str]:
    rows = ", ".join(f"{result.counts[t]:,} {t}" for t in TABLES)
    return [f"Data set: {rows}; generated and loaded in {result.generated_in:.0f} s."]


def _latency_table(result: ScaleResult) -> list[str]:
    lines = [
        "`/ floor`: the median over the shape's floor, its SQL median plus the `floor` "
        "median at the same concurrency.",
        "",
        "| shape | what | c | requests | median ms | p95 ms | p99 ms | req/s | SQL median ms "
        "| API / SQL | / floor |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for concurrency in sorted({c for _, c in result.http}):
        for shape in result.shapes:
            t = result.http[shape.name, concurrency]
            sql_ms, ratio, over_floor = "–", "–", "–"
            if shape.kind != "floor":
                sql_ms = f"{result.sql[shape.name]:.2f}"
                ratio = f"{t.median / result.sql[shape.name]:.1f}x"
                over_floor = f"{_over_floor(result, shape.name, concurrency):.1f}x"
            lines.append(
                f"| {shape.name} | {shape.description} | {concurrency} | {t.requests_column} "
                f"| {t.median:.1f} | {t.percentile(95):.1f} | {t.percentile(99):.1f} "
                f"| {t.throughput:.0f} | {sql_ms} | {ratio} | {over_floor} |"
            )
    return lines


def _over_floor(result: ScaleResult, shape: str, concurrency: int = 1) -> float:
    floor = result.sql[shape] + result.http["floor", concurrency].median
    return result.http[shape, concurrency].median / floor


def _growth(small: ScaleResult, large: ScaleResult) -> list[str]:
    lines = [
        f"Median at concurrency 1, {small.scale:,} → {large.scale:,} practitioners; matches is "
        "the mean `total` of the shape's searches.",
        "",
        "| shape | matches | median ms | growth | SQL median ms | SQL growth |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for shape in large.shapes:
        if shape.kind == "floor":
            continue
        a, b = small.http[shape.name, 1].median, large.http[shape.name, 1].median
        sql_a, sql_b = small.sql[shape.name], large.sql[shape.name]
        matches = "–"
        if shape.name in large.matches:
            matches = f"{small.matches[shape.name]:,.0f} → {large.matches[shape.name]:,.0f}"
        lines.append(
            f"| {shape.name} | {matches} | {a:.1f} → {b:.1f} | {b / a:.2f}x "
            f"| {sql_a:.2f} → {sql_b:.2f} | {sql_b / sql_a:.2f}x |"
        )
    return lines


def _bars(results: list[ScaleResult]) -> list[str]:
    """v1 and v2 bars: per shape at the reference scale; the search median at the largest
    scale and its growth from the scale before."""
    reference = next((r for r in results if r.scale == REFERENCE_SCALE), results[-1])
    rows = []
    for shape in reference.shapes:
        t = reference.http[shape.name, 1]
        if shape.search:
            rows.append(
                (reference, f"search `{shape.name}` median", t.median, SEARCH_MEDIAN_MS, "ms")
            )
            rows.append(
                (reference, f"search `{shape.name}` p99", t.percentile(99), SEARCH_P99_MS, "ms")
            )
            ratio = _over_floor(reference, shape.name)
            rows.append((reference, f"search `{shape.name}` / floor", ratio, MAX_FLOOR_RATIO, "x"))
        elif shape.kind == "hot" and shape.median_ms is not None:
            rows.append((reference, f"`{shape.name}` median", t.median, shape.median_ms, "ms"))
        elif shape.kind == "read":
            rows.append((reference, f"`{shape.name}` median", t.median, PAGE_MEDIAN_MS, "ms"))
    names = {shape.name for shape in reference.shapes}
    if {"near", "near-radius"} <= names:
        added = reference.http["near", 1].median - reference.http["near-radius", 1].median
        rows.append((reference, "`near` minus `near-radius` median", added, NEAR_ADDS_MS, "ms"))
    large = results[-1]
    if large is not reference:
        for shape in large.shapes:
            if shape.search:
                median = large.http[shape.name, 1].median
                rows.append(
                    (large, f"search `{shape.name}` median", median, SEARCH_MEDIAN_MS, "ms")
                )
    if len(results) > 1:
        small = results[-2]
        for shape in large.shapes:
            if shape.search:
                growth = large.http[shape.name, 1].median / small.http[shape.name, 1].median
                name = f"search `{shape.name}` median growth from {small.scale:,}"
                rows.append((large, name, growth, MAX_GROWTH, "x"))
    lines = [
        "Concurrency 1 (throughput at 8 is in the tables).",
        "",
        "| practitioners | bar | measured | limit | met |",
        "|---:|---|---:|---:|:---:|",
    ]
    for result, name, measured, limit, unit in rows:
        met = "yes" if measured < limit else "**no**"
        lines.append(
            f"| {result.scale:,} | {name} | {measured:.2f} {unit} | < {limit} {unit} | {met} |"
        )
    return lines


def _plans(result: ScaleResult) -> list[str]:
    lines = []
    for shape in result.shapes:
        if not shape.explained:
            continue
        lines += [f"### `{shape.name}`: {shape.description}", ""]
        for plan in result.plans[shape.name]:
            lines += ["```", plan, "```", ""]
    return lines
