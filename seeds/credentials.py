"""Demo certifications in every state: verified, expired, pending (with a document), rejected."""

import random
from datetime import date

from directory.accounts.models import User
from directory.credentials import services
from directory.practitioners.models import Practitioner

ISSUERS = [
    ("Diplôme universitaire de mésothérapie", "Université Paris Cité"),
    ("Certificate in Aesthetic Medicine", "European College of Aesthetic Medicine"),
    ("Master in Aesthetic Medicine", "Universitat de Barcelona"),
    ("Mesotherapy practitioner certificate", "Société Française de Mésothérapie"),
]
DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def add_demo_certifications(practitioner: Practitioner, admin: User, rng: random.Random) -> None:
    name, issuer = rng.choice(ISSUERS)
    issued = date(rng.randint(2008, 2022), rng.randint(1, 12), 1)
    state = rng.choices(["verified", "expired", "pending", "rejected"], [6, 1, 2, 1])[0]
    expires = date(issued.year + 3, issued.month, 1) if state == "expired" else None
    certification = services.add_certification(
        practitioner,
        {
            "name": name,
            "issuing_body": issuer,
            "credential_number": f"{issuer[:3].upper()}-{rng.randint(1000, 9999)}",
            "issued_on": issued,
            "expires_on": expires,
        },
    )
    if state == "pending":
        services.attach_document(certification, DEMO_PDF)
    elif state == "rejected":
        services.reject(certification, admin, "The scan is unreadable; please upload it again.")
    else:
        services.verify(certification, admin)
