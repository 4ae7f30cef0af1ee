"""The bench's data sets: QUALITY.md's reference set (10 testimonials a practitioner at
100,000) and its third one (3,000,000 testimonials for 1,000,000 practitioners)."""

from bench.generate import per_practitioner


def test_a_million_practitioners_have_three_million_testimonials():
    assert per_practitioner(100_000)["testimonials"] * 100_000 == 1_000_000
    assert per_practitioner(1_000_000)["testimonials"] * 1_000_000 == 3_000_000
    assert per_practitioner(1_000_000)["gallery"] == per_practitioner(10_000)["gallery"]
