"""Every model, imported in one place so that Alembic and create_all see them all."""

from directory.accounts.models import RevokedToken, User
from directory.practitioners.models import Practitioner, PractitionerLanguage, PractitionerTreatment
from directory.treatments.models import Treatment

__all__ = [
    "Practitioner",
    "PractitionerLanguage",
    "PractitionerTreatment",
    "RevokedToken",
    "Treatment",
    "User",
]
