"""The report's bars over two scales: per shape at the reference scale, the search median at the
largest one and its growth (what `make bench --scales 100000 1000000` writes)."""

from bench.load import Timings
from bench.report import TABLES, ScaleResult, markdown
from bench.shapes import Shape

SHAPES = [
    Shape("rating", "no filter", ["/a"]),
    Shape("suggest", "suggestions", ["/b"], kind="hot", median_ms=10),
    Shape("profile", "a profile", ["/c"], kind="read"),
    Shape("floor", "GET /healthz", ["/healthz"], kind="floor"),
]


def measured(scale: int, medians: dict[str, float], sql: dict[str, float]) -> ScaleResult:
    counts = dict.fromkeys(TABLES, scale)
    result = ScaleResult(scale, counts, 1.0, "PostgreSQL 15", workers=3, shapes=SHAPES)
    for name, median in medians.items():
        for concurrency in (1, 8):
            result.http[name, concurrency] = Timings([median] * 10, seconds=1.0)
    result.sql = sql
    result.plans = {name: ["Index Scan"] for name in sql}
    return result


def test_bars_hold_each_scale_to_its_own_limits():
    reference = measured(
        100_000,
        {"rating": 4.0, "suggest": 12.0, "profile": 5.0, "floor": 1.0},
        {"rating": 1.0, "suggest": 3.0, "profile": 1.0},
    )
    largest = measured(
        1_000_000,
        {"rating": 7.0, "suggest": 30.0, "profile": 5.0, "floor": 1.0},
        {"rating": 3.0, "suggest": 9.0, "profile": 1.0},
    )

    report = markdown([reference, largest])

    bars = [line for line in report.splitlines() if line.startswith("| 1")]
    assert "| 100,000 | search `rating` / floor | 2.00 x | < 2.0 x | **no** |" in bars
    assert "| 100,000 | `suggest` median | 12.00 ms | < 10 ms | **no** |" in bars
    assert "| 1,000,000 | search `rating` median | 7.00 ms | < 15 ms | yes |" in bars
    assert (
        "| 1,000,000 | search `rating` median growth from 100,000 | 1.75 x | < 1.5 x | **no** |"
        in bars
    )
    assert not any("1,000,000 | `suggest`" in line for line in bars)  # hot paths: at 100k only
    assert "| rating | no filter | 1 | 10 | 7.0 |" in report  # both scales have their tables
    assert "100,000 → 1,000,000 practitioners" in report
