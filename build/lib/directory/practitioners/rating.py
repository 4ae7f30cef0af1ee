"""How a rating summary ranks: a Bayesian average, so that a few reviews do not beat many."""

# The score of a practitioner is their average pulled towards PRIOR_MEAN as if they had
# PRIOR_WEIGHT extra reviews of that value: one 5-star review scores (5*3.5 + 5) / 6 = 3.75,
# forty reviews averaging 4.8 score (5*3.5 + 192) / 45 = 4.66.
PRIOR_MEAN = 3.5
PRIOR_WEIGHT = 5


def bayesian_score(count: int, total: int) -> float | None:
    """None for no reviews: unrated practitioners sort last."""
    if count == 0:
        return None
    return (PRIOR_WEIGHT * PRIOR_MEAN + total) / (PRIOR_WEIGHT + count)
