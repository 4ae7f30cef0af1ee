from flask_jwt_extended import current_user

from directory.accounts.models import Role
from directory.core.api import DirectoryBlueprint
from directory.permissions import Access, login_required, practitioner_for
from directory.practitioners import services
from directory.practitioners.schemas import (
    PractitionerSchema,
    ProfileUpdateSchema,
    ProfileWriteSchema,
    SearchArgs,
    SearchPageSchema,
    SuspendSchema,
)
from directory.practitioners.search import PractitionerSearch

blp = DirectoryBlueprint(
    "practitioners", __name__, url_prefix="/api/v1", description="Practitioner profiles and search"
)


@blp.get("/practitioners")
@blp.arguments(SearchArgs, location="query")
@blp.response(200, SearchPageSchema)
def search_practitioners(args):
    """Search practitioners"""
    # Not @blp.paginated: the search's envelope has total_exact and facets besides.
    page, per_page = args.pop("page"), args.pop("per_page")
    return PractitionerSearch(args).page(page, per_page)


@blp.post("/practitioners")
@login_required(Role.PRACTITIONER)
@blp.arguments(ProfileWriteSchema)
@blp.response(201, PractitionerSchema)
def create_profile(data):
    """Create the caller's practitioner profile (or get a deleted one back)"""
    return services.create_profile(current_user, data)


@blp.get("/practitioners/<practitioner_id>")
@blp.response(200, PractitionerSchema)
def get_profile(practitioner_id):
    """Read a profile, with its verified certifications and rating"""
    return practitioner_for(None, practitioner_id)


@blp.patch("/practitioners/<practitioner_id>")
@login_required()
@blp.arguments(ProfileUpdateSchema(partial=True), required=False)
@blp.response(200, PractitionerSchema)
def update_profile(data, practitioner_id):
    """Update a profile (owner or admin)"""
    practitioner = practitioner_for(current_user, practitioner_id, Access.MANAGE)
    return services.update_profile(practitioner, data)


@blp.delete("/practitioners/<practitioner_id>")
@login_required()
@blp.response(204)
def delete_profile(practitioner_id):
    """Delete a profile (owner or admin); it leaves search, its data stays for the audit"""
    practitioner = practitioner_for(current_user, practitioner_id, Access.MANAGE)
    services.delete_profile(practitioner, current_user)


@blp.post("/admin/practitioners/<practitioner_id>/suspend")
@login_required(Role.ADMIN)
@blp.arguments(SuspendSchema)
@blp.response(200, PractitionerSchema)
@blp.alt_response(409, response="CONFLICT")
def suspend_practitioner(data, practitioner_id):
    """Suspend a practitioner: a public notice on the profile, out of search, no new clients
    (admin)"""
    practitioner = practitioner_for(current_user, practitioner_id, Access.REVIEW)
    return services.suspend(practitioner, current_user, data["reason"], data["notice"])


@blp.post("/admin/practitioners/<practitioner_id>/reinstate")
@login_required(Role.ADMIN)
@blp.response(200, PractitionerSchema)
@blp.alt_response(409, response="CONFLICT")
def reinstate_practitioner(practitioner_id):
    """Lift a practitioner's suspension (admin)"""
    practitioner = practitioner_for(current_user, practitioner_id, Access.REVIEW)
    return services.reinstate(practitioner, current_user)
