"""Demo consultations, invitations, testimonials (some answered, some found helpful) for a
practitioner. Each review talks about its own treatment (seeds.stories)."""

import random
from datetime import timedelta

from directory.accounts.models import Role, User
from directory.consultations import services as consultations
from directory.consultations.models import ConsultationStatus
from directory.core.db import today
from directory.practitioners.models import Practitioner
from directory.testimonials import services as testimonials
from seeds.stories import outcome

# By stars: title, body around what the patient saw ({outcome}), whether it worked, worth it.
REVIEWS = {
    5: [
        (
            "Natural, visible results",
            "After three sessions {outcome}. The doctor explained every step and never "
            "pushed for more sessions.",
            True,
            "yes",
        ),
        (
            "Excellent follow-up",
            "Very careful practitioner, clean clinic, and a follow-up call after the first "
            "session. Honestly, {outcome}.",
            True,
            "yes",
        ),
    ],
    4: [
        (
            "Good experience overall",
            "Professional and honest about what to expect: {outcome}. The waiting time at the "
            "clinic was a bit long.",
            True,
            "yes",
        ),
    ],
    3: [
        (
            "Fine, but pricey",
            "The treatment itself went well and the team is friendly, but {outcome}, and the "
            "price of the sessions adds up quickly.",
            False,
            "not_sure",
        ),
    ],
    2: [
        (
            "Not for me",
            "After the recommended sessions {outcome}. The practitioner was kind, but I "
            "expected a clearer plan before starting.",
            False,
            "no",
        ),
    ],
}
RESPONSE = "Thank you for taking the time to share your experience; see you at your next check-up."


def add_demo_reviews(practitioner: Practitioner, patients: list[User], rng: random.Random) -> None:
    reviewers = rng.sample(patients, rng.randint(0, min(6, len(patients))))
    for patient in reviewers:
        stars = rng.choices([5, 4, 3, 2], [6, 3, 1, 1])[0]
        treatment = rng.choice(practitioner.treatments)
        title, body, worked, worth_it = rng.choice(REVIEWS[stars])
        data = {
            "rating": stars,
            "title": title,
            "body": body.format(outcome=outcome(treatment, worked)),
            "treatment": treatment,
            **_details(practitioner, treatment, stars, worth_it, rng),
        }
        if rng.random() < 0.7:
            data["consultation_id"] = _completed(practitioner, patient, treatment).id
        else:
            data["invitation_code"] = testimonials.invite(practitioner, patient.email).code
        testimonial = testimonials.write_testimonial(practitioner, patient, **data)
        if rng.random() < 0.4:
            testimonials.respond(testimonial, RESPONSE)
        for reader in rng.sample(patients, rng.randint(0, 3)):
            if reader is not patient:
                testimonials.vote_helpful(testimonial, reader)
    if patients and rng.random() < 0.5:
        consultations.request_consultation(
            practitioner,
            rng.choice(patients),
            treatment=rng.choice(practitioner.treatments),
            message="Is a first visit free?",
        )


def _details(
    practitioner: Practitioner, treatment: str, stars: int, worth_it: str, rng: random.Random
) -> dict:
    """Aspects near the stars, the answer the review gives, and for most a cost and a date."""
    details = {
        "aspects": {
            "results": max(1, stars - rng.randint(0, 1)),
            "communication": min(5, stars + rng.randint(0, 1)),
            "value": max(1, stars - rng.randint(0, 2)),
        },
        "worth_it": worth_it,
    }
    if rng.random() < 0.7:
        price = practitioner.treatment_prices.get(treatment) or practitioner.price_from or 150
        sessions = rng.randint(1, 4)
        details["cost"] = {"amount": round(price * sessions), "currency": practitioner.currency}
        details["treated_on"] = today() - timedelta(days=rng.randint(20, 300))
    return details


def _completed(practitioner: Practitioner, patient: User, treatment: str):
    consultation = consultations.request_consultation(
        practitioner, patient, treatment=treatment, message="I would like a first consultation."
    )
    for status in (ConsultationStatus.CONFIRMED, ConsultationStatus.COMPLETED):
        consultations.change_status(consultation, Role.PRACTITIONER, status)
    return consultation
