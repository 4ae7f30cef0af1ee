"""What demo reviews and captions say about each treatment: a cellulite review talks about
cellulite, never about hair (tests/test_seeds.py checks the words against the treatment)."""

# Per treatment: what a patient saw when it worked, and when it barely did.
OUTCOMES = {
    "anti-aging": (
        "the fine lines around my eyes have softened",
        "the lines around my mouth barely changed",
    ),
    "skin-rejuvenation": (
        "my complexion looks fresher and more even",
        "my complexion is only a little brighter",
    ),
    "hair-restoration": (
        "my hair is visibly denser after four months",
        "my hair is a little thicker at the temples, no more",
    ),
    "fat-reduction": (
        "the fat pocket under my chin has clearly shrunk",
        "the fat on my abdomen hardly moved",
    ),
    "cellulite": (
        "the cellulite on my thighs is much smoother",
        "the cellulite on my thighs looks only slightly smoother",
    ),
    "pigmentation": (
        "the dark spots on my cheeks have faded",
        "the dark spots faded only a little",
    ),
    "acne-scars": (
        "my acne scars are far less deep",
        "my acne scars look about the same",
    ),
    "under-eye": (
        "the dark circles under my eyes have lightened",
        "the circles under my eyes are hardly lighter",
    ),
    "stretch-marks": (
        "my stretch marks are paler and flatter",
        "my stretch marks are only slightly paler",
    ),
}

# What a before/after pair of each treatment shows.
SUBJECTS = {
    "anti-aging": "fine lines",
    "skin-rejuvenation": "a dull complexion",
    "hair-restoration": "thinning hair",
    "fat-reduction": "a fat pocket",
    "cellulite": "cellulite",
    "pigmentation": "dark spots",
    "acne-scars": "acne scars",
    "under-eye": "under-eye circles",
    "stretch-marks": "stretch marks",
}


def outcome(treatment: str, worked: bool) -> str:
    good, modest = OUTCOMES[treatment]
    return good if worked else modest


def caption(treatment: str) -> str:
    return f"Illustration: {SUBJECTS[treatment]} after a course of sessions."
