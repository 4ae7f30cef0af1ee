"""Demo before/after pairs, drawn with Pillow (no photos of real people in the repository)."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

from directory.gallery import consents, services
from directory.gallery.models import ConsentDecision
from directory.practitioners.models import Practitioner
from seeds.stories import caption

# What the demo patients answered, in turn: most grant, some have not answered yet, and a
# decline leaves only the practitioner's `gallery-consent-declined` mail behind.
ANSWERS = (ConsentDecision.GRANTED, ConsentDecision.GRANTED, None, ConsentDecision.DECLINED)


def _skin_tile(rng: random.Random, spots: int) -> bytes:
    image = Image.new("RGB", (640, 480), (224, 182, 160))
    draw = ImageDraw.Draw(image)
    for _ in range(spots):
        x, y, r = rng.randint(0, 640), rng.randint(0, 480), rng.randint(6, 22)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(186, 130, 112))
    buffer = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(3)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def add_demo_gallery(
    practitioner: Practitioner, patient_emails: list[str], rng: random.Random
) -> None:
    for _ in range(rng.randint(0, 2)):
        treatment = rng.choice(practitioner.treatments)
        item = services.upload(
            practitioner,
            {"before": _skin_tile(rng, spots=40), "after": _skin_tile(rng, spots=8)},
            rng.choice(patient_emails),
            {
                "treatment": treatment,
                "caption": caption(treatment),
                "sessions": rng.randint(2, 6),
                "weeks_elapsed": rng.randint(4, 16),
            },
        )
        answer = rng.choice(ANSWERS)
        if answer is not None:
            consents.decide(item, answer)
