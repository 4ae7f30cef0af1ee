from flask.views import MethodView
from flask_jwt_extended import current_user

from directory.accounts.models import Role
from directory.consultations import services
from directory.consultations.schemas import (
    ConsultationListArgs,
    ConsultationRequestSchema,
    ConsultationSchema,
    ConsultationStatusSchema,
)
from directory.core.api import DirectoryBlueprint
from directory.core.pagination import page_schema, paginate
from directory.core.permissions import login_required
from directory.practitioners.services import live_practitioner

blp = DirectoryBlueprint(
    "consultations", __name__, url_prefix="/api/v1", description="Consultation requests"
)


@blp.post("/practitioners/<practitioner_id>/consultations")
@login_required(Role.PATIENT)
@blp.arguments(ConsultationRequestSchema, required=False)
@blp.response(201, ConsultationSchema)
def request_consultation(data, practitioner_id):
    """Request a consultation with a practitioner (patient)"""
    practitioner = live_practitioner(practitioner_id)
    return services.request_consultation(practitioner, current_user, data)


@blp.get("/consultations")
@login_required()
@blp.arguments(ConsultationListArgs, location="query")
@blp.response(200, page_schema(ConsultationSchema))
def list_consultations(args):
    """The caller's consultations, newest first (admins: all)"""
    statement = services.consultations_of(current_user, args.pop("status", None))
    return paginate(statement, **args)


@blp.route("/consultations/<consultation_id>")
class ConsultationItem(MethodView):
    @login_required()
    @blp.response(200, ConsultationSchema)
    def get(self, consultation_id):
        """Read a consultation (its two parties and admins)"""
        return services.visible_consultation(consultation_id, current_user)

    @login_required()
    @blp.arguments(ConsultationStatusSchema)
    @blp.response(200, ConsultationSchema)
    def patch(self, data, consultation_id):
        """Move a consultation along: confirm, complete, decline (practitioner) or cancel
        (patient)"""
        consultation = services.visible_consultation(consultation_id, current_user)
        return services.change_status(consultation, current_user, data["status"])
