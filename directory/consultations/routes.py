from flask_jwt_extended import current_user

from directory.accounts.models import Role
from directory.booking import services as booking
from directory.consultations import services
from directory.consultations.schemas import (
    ConsultationChangeSchema,
    ConsultationListArgs,
    ConsultationRequestSchema,
    ConsultationSchema,
)
from directory.core.api import DirectoryBlueprint
from directory.permissions import (
    Access,
    consultation_for,
    login_required,
    party_to,
    practitioner_for,
)

blp = DirectoryBlueprint(
    "consultations", __name__, url_prefix="/api/v1", description="Consultation requests"
)


@blp.post("/practitioners/<practitioner_id>/consultations")
@login_required(Role.PATIENT)
@blp.arguments(ConsultationRequestSchema)
@blp.response(201, ConsultationSchema)
def request_consultation(data, practitioner_id):
    """Request a consultation with a practitioner (patient)"""
    practitioner = practitioner_for(current_user, practitioner_id)
    return services.request_consultation(practitioner, current_user, **data)


@blp.get("/consultations")
@login_required()
@blp.arguments(ConsultationListArgs, location="query")
@blp.paginated(ConsultationSchema)
def list_consultations(args):
    """The caller's consultations, newest first (admins: all)"""
    return services.consultations_of(current_user, args.get("status"), args["upcoming"])


@blp.get("/consultations/<consultation_id>")
@login_required()
@blp.response(200, ConsultationSchema)
def get_consultation(consultation_id):
    """Read a consultation (its two parties and admins)"""
    return consultation_for(current_user, consultation_id)


@blp.patch("/consultations/<consultation_id>")
@login_required()
@blp.arguments(ConsultationChangeSchema)
@blp.response(200, ConsultationSchema)
@blp.alt_response(409, response="CONFLICT")
def update_consultation(data, consultation_id):
    """Move a consultation along: confirm, complete, decline, no_show (practitioner), cancel
    or move a booking to another slot (patient)"""
    consultation = consultation_for(current_user, consultation_id, Access.OWN)
    party = party_to(current_user, consultation)
    if "starts_at" in data:
        return booking.move(consultation, party, data["starts_at"])
    return services.change_status(consultation, party, data["status"])
