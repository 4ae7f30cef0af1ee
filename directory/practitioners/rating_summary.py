"""A profile's rating summary, and how it ranks: a Bayesian average, so that a few reviews do
not beat many."""

import enum

# The score of a practitioner is their average pulled towards PRIOR_MEAN as if they had
# PRIOR_WEIGHT extra reviews of that value: one 5-star review scores (5*3.5 + 5) / 6 = 3.75,
# forty reviews averaging 4.8 score (5*3.5 + 192) / 45 = 4.66.
STAR_VALUES = (1, 2, 3, 4, 5)
# What a testimonial may rate besides the whole (1..5 each, all optional).
ASPECTS = ("results", "communication", "value")


class WorthIt(enum.StrEnum):
    """A testimonial's answer to "was it worth it?"."""

    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


PRIOR_MEAN = 3.5
PRIOR_WEIGHT = 5


def bayesian_score(count: int, total: int) -> float | None:
    """None for no reviews: unrated practitioners sort last."""
    if count == 0:
        return None
    return (PRIOR_WEIGHT * PRIOR_MEAN + total) / (PRIOR_WEIGHT + count)


def average(total: int, count: int) -> float | None:
    """What a profile shows as its average: one decimal, None for no reviews."""
    return round(total / count, 1) if count else None


def rating_summary(stars_counts: dict[int, int]) -> dict:
    """The rating columns of a profile, from {stars: number of published testimonials}."""
    count = sum(stars_counts.values())
    total = sum(stars * n for stars, n in stars_counts.items())
    return {
        **{f"stars_{stars}": stars_counts.get(stars, 0) for stars in STAR_VALUES},
        "rating_count": count,
        "rating_sum": total,
        "rating_score": bayesian_score(count, total),
    }
