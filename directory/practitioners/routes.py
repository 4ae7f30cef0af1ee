from flask import url_for
from flask.views import MethodView
from flask_jwt_extended import current_user

from directory.accounts.models import Role
from directory.core.api import DirectoryBlueprint
from directory.core.pagination import page_schema
from directory.core.permissions import ensure_can_manage_profile, login_required
from directory.practitioners import services
from directory.practitioners.schemas import (
    PractitionerSchema,
    PractitionerSummarySchema,
    ProfileUpdateSchema,
    ProfileWriteSchema,
    SearchArgs,
)
from directory.practitioners.search import search

blp = DirectoryBlueprint(
    "practitioners",
    __name__,
    url_prefix="/api/v1/practitioners",
    description="Practitioner profiles and search",
)


@blp.route("")
class Practitioners(MethodView):
    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, page_schema(PractitionerSummarySchema))
    def get(self, args):
        """Search practitioners"""
        return search(args)

    @login_required(Role.PRACTITIONER)
    @blp.arguments(ProfileWriteSchema)
    @blp.response(201, PractitionerSchema)
    def post(self, data):
        """Create the caller's practitioner profile"""
        practitioner = services.create_profile(current_user, data)
        location = url_for("practitioners.PractitionerItem", practitioner_id=practitioner.id)
        return practitioner, 201, {"Location": location}


@blp.route("/<practitioner_id>")
class PractitionerItem(MethodView):
    @blp.response(200, PractitionerSchema)
    def get(self, practitioner_id):
        """Read a profile, with its verified certifications and rating"""
        return services.live_practitioner(practitioner_id)

    @login_required()
    @blp.arguments(ProfileUpdateSchema(partial=True), required=False)
    @blp.response(200, PractitionerSchema)
    def patch(self, data, practitioner_id):
        """Update a profile (owner or admin)"""
        practitioner = services.live_practitioner(practitioner_id)
        ensure_can_manage_profile(current_user, practitioner)
        return services.update_profile(practitioner, data)

    @login_required()
    @blp.response(204)
    def delete(self, practitioner_id):
        """Delete a profile (owner or admin); it leaves search, its data stays for the audit"""
        practitioner = services.live_practitioner(practitioner_id)
        ensure_can_manage_profile(current_user, practitioner)
        services.delete_profile(practitioner, current_user)
