"""Demo data for `flask --app wsgi seed`: safe to run again, never in production.

Every demo account uses DEMO_PASSWORD. Accounts are recognised by email, so a second run
adds nothing that is already there.
"""

import random

from sqlalchemy import select

from directory.accounts.models import Role, User
from directory.accounts.passwords import hash_password
from directory.accounts.services import create_admin
from directory.core.db import utcnow
from directory.credentials.models import Certification, CertificationStatus, CredentialKind
from directory.extensions import db
from directory.practitioners.services import create_profile, profile_of, suspend
from seeds.booking import add_demo_availability
from seeds.credentials import add_demo_certifications, add_demo_license
from seeds.gallery import add_demo_gallery
from seeds.practitioners import demo_profiles
from seeds.testimonials import add_demo_reviews

DEMO_PASSWORD = "demo-password-2026"
DEMO_ADMIN = "admin@demo.example.com"
DEMO_PATIENTS = [
    ("Claire Fontaine", "patient-claire@demo.example.com"),
    ("Lucas Moreau", "patient-lucas@demo.example.com"),
    ("Giulia Bianchi", "patient-giulia@demo.example.com"),
    ("Sophie Weber", "patient-sophie@demo.example.com"),
    ("Mateo Fernández", "patient-mateo@demo.example.com"),
    ("Ana Costa", "patient-ana@demo.example.com"),
    ("Emma Schneider", "patient-emma@demo.example.com"),
    ("Hugo Lambert", "patient-hugo@demo.example.com"),
]

# A practitioner the demo shows suspended: the notice on the page, absent from search.
SUSPENDED_DEMO = "practitioner-lisboa-3@demo.example.com"
SUSPENSION_NOTICE = (
    "This practitioner is suspended while the medical board reviews their licence. "
    "Consultations and bookings are closed."
)
SUSPENSION_REASON = "Demo: the regulator's letter of suspension (kept in the audit log only)."


def _account(email: str, full_name: str, role: Role) -> User:
    """A demo account, its email verified (demo addresses receive no mail)."""
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            password_hash=hash_password(DEMO_PASSWORD),
            full_name=full_name,
            role=role,
            email_verified_at=utcnow(),
        )
        db.session.add(user)
        db.session.commit()
    return user


def load_demo_data() -> str:
    rng = random.Random(2026)
    admin = db.session.scalar(select(User).where(User.email == DEMO_ADMIN))
    admin = admin or create_admin(DEMO_ADMIN, DEMO_PASSWORD, "Demo Admin")
    patients = [_account(email, name, Role.PATIENT) for name, email in DEMO_PATIENTS]
    created = []
    for body in demo_profiles():
        email = body.pop("account_email")
        user = _account(email, body["full_name"], Role.PRACTITIONER)
        if profile_of(user) is None:
            practitioner = create_profile(user, body)
            add_demo_certifications(practitioner, admin, rng)
            add_demo_reviews(practitioner, patients, rng)
            add_demo_gallery(practitioner, [patient.email for patient in patients], rng)
            add_demo_availability(practitioner, patients, rng)
            if email == SUSPENDED_DEMO:
                suspend(practitioner, admin, reason=SUSPENSION_REASON, notice=SUSPENSION_NOTICE)
            created.append(practitioner)
    if created:
        _claim_a_verified_license(created[-1])
    return f"{len(created)} new practitioners"


def _claim_a_verified_license(practitioner) -> None:
    """A pending license whose number is verified on another profile: the admin queue shows
    the conflict, and verifying it is a 409."""
    verified_license = db.session.scalar(
        select(Certification)
        .where(
            Certification.kind == CredentialKind.LICENSE,
            Certification.status == CertificationStatus.VERIFIED,
            Certification.country == practitioner.country,
            Certification.practitioner_id != practitioner.id,
        )
        .order_by(Certification.created_at, Certification.id)
        .limit(1)
    )
    if verified_license is not None:
        add_demo_license(practitioner, verified_license.credential_number)
