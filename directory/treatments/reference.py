"""The reference treatments every database has: migration 0001 writes them (frozen there, as
migrations must be); seeds and tests read the slugs from here, and a test checks both agree."""

REFERENCE_TREATMENT_SLUGS = (
    "anti-aging",
    "skin-rejuvenation",
    "hair-restoration",
    "fat-reduction",
    "cellulite",
    "pigmentation",
    "acne-scars",
    "under-eye",
    "stretch-marks",
)
