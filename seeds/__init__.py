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
from directory.extensions import db
from directory.practitioners.services import create_profile, profile_of
from seeds.credentials import add_demo_certifications
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
    practitioners = 0
    for body in demo_profiles():
        email = body.pop("account_email")
        user = _account(email, body["full_name"], Role.PRACTITIONER)
        if profile_of(user) is None:
            practitioner = create_profile(user, body)
            add_demo_certifications(practitioner, admin, rng)
            add_demo_reviews(practitioner, patients, rng)
            add_demo_gallery(practitioner, [patient.email for patient in patients], rng)
            practitioners += 1
    return f"{practitioners} new practitioners"
