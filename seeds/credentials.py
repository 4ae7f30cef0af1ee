"""Demo credentials in every state: verified, expired, pending (with a document), rejected;
certifications that cover some of the practitioner's treatments, and licenses."""

import random
from datetime import date

from directory.accounts.models import User
from directory.credentials import claims, services
from directory.credentials.models import Certification, CredentialKind
from directory.practitioners.models import Practitioner

ISSUERS = [
    ("Diplôme universitaire de mésothérapie", "Université Paris Cité"),
    ("Certificate in Aesthetic Medicine", "European College of Aesthetic Medicine"),
    ("Master in Aesthetic Medicine", "Universitat de Barcelona"),
    ("Mesotherapy practitioner certificate", "Société Française de Mésothérapie"),
]
# The regulator that licenses doctors, by country.
REGULATORS = {
    "FR": "Ordre des médecins",
    "BE": "Ordre des médecins de Belgique",
    "CH": "Fédération des médecins suisses",
    "ES": "Consejo General de Colegios Oficiales de Médicos",
    "IT": "Ordine dei Medici",
    "DE": "Ärztekammer",
    "PT": "Ordem dos Médicos",
    "GB": "General Medical Council",
}
DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def add_demo_certifications(practitioner: Practitioner, admin: User, rng: random.Random) -> None:
    name, issuer = rng.choice(ISSUERS)
    issued = date(rng.randint(2008, 2022), rng.randint(1, 12), 1)
    state = rng.choices(["verified", "expired", "pending", "rejected"], [6, 1, 2, 1])[0]
    expires = date(issued.year + 3, issued.month, 1) if state == "expired" else None
    covered = rng.sample(practitioner.treatments, rng.randint(1, len(practitioner.treatments)))
    certification = services.add_certification(
        practitioner,
        {
            "name": name,
            "issuing_body": issuer,
            "credential_number": f"{issuer[:3].upper()}-{rng.randint(1000, 9999)}",
            "issued_on": issued,
            "expires_on": expires,
            "treatments": sorted(covered),
        },
    )
    if state == "pending":
        services.attach_document(certification, DEMO_PDF)
    elif state == "rejected":
        services.reject(certification, admin, "The scan is unreadable; please upload it again.")
    elif claims.holder_of(certification) is None:  # a number drawn twice stays pending
        services.verify(certification, admin)
    if rng.random() < 0.5:
        license = add_demo_license(practitioner, f"{rng.randint(10_000_000, 99_999_999)}")
        services.verify(license, admin)


def add_demo_license(practitioner: Practitioner, number: str) -> Certification:
    """A license to practise in the practitioner's country (pending until an admin acts)."""
    return services.add_certification(
        practitioner,
        {
            "kind": CredentialKind.LICENSE,
            "name": "Licence to practise medicine",
            "issuing_body": REGULATORS[practitioner.country],
            "credential_number": number,
            "issued_on": date(2012, 9, 1),
            "expires_on": None,
        },
    )
