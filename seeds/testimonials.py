"""Demo consultations, invitations and testimonials (some answered) for a practitioner."""

import random

from directory.accounts.models import Role, User
from directory.consultations import services as consultations
from directory.consultations.models import ConsultationStatus
from directory.practitioners.models import Practitioner
from directory.testimonials import services as testimonials

REVIEWS = {
    5: [
        (
            "Natural, visible results",
            "After three sessions my skin looks rested and even. "
            "The doctor explained every step and never pushed for more sessions.",
        ),
        (
            "Excellent follow-up",
            "Very careful practitioner, clean clinic, and a follow-up call "
            "after the first session. My hair is visibly denser after four months.",
        ),
    ],
    4: [
        (
            "Good experience overall",
            "Professional and honest about what to expect. Results are "
            "subtle but real; the waiting time at the clinic was a bit long.",
        ),
    ],
    3: [
        (
            "Fine, but pricey",
            "The treatment itself went well and the team is friendly, but the "
            "price of the sessions adds up quickly for a modest improvement.",
        ),
    ],
    2: [
        (
            "Not for me",
            "Little visible change after the recommended sessions. The practitioner "
            "was kind, but I expected a clearer plan before starting.",
        ),
    ],
}
RESPONSE = "Thank you for taking the time to share your experience; see you at your next check-up."


def add_demo_reviews(practitioner: Practitioner, patients: list[User], rng: random.Random) -> None:
    for patient in rng.sample(patients, rng.randint(0, min(6, len(patients)))):
        stars = rng.choices([5, 4, 3, 2], [6, 3, 1, 1])[0]
        title, body = rng.choice(REVIEWS[stars])
        data = {"rating": stars, "title": title, "body": body}
        if rng.random() < 0.7:
            consultation = _completed(practitioner, patient, rng)
            data["consultation_id"] = consultation.id
        else:
            data["invitation_code"] = testimonials.invite(practitioner, patient.email).code
            data["treatment"] = rng.choice(practitioner.treatments)
        testimonial = testimonials.write_testimonial(practitioner, patient, **data)
        if rng.random() < 0.4:
            testimonials.respond(testimonial, RESPONSE)
    if patients and rng.random() < 0.5:
        consultations.request_consultation(
            practitioner,
            rng.choice(patients),
            treatment=rng.choice(practitioner.treatments),
            message="Is a first visit free?",
        )


def _completed(practitioner: Practitioner, patient: User, rng: random.Random):
    consultation = consultations.request_consultation(
        practitioner,
        patient,
        treatment=rng.choice(practitioner.treatments),
        message="I would like a first consultation.",
    )
    for status in (ConsultationStatus.CONFIRMED, ConsultationStatus.COMPLETED):
        consultations.change_status(consultation, Role.PRACTITIONER, status)
    return consultation
