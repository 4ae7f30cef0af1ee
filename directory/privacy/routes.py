from flask_jwt_extended import current_user

from directory.core.api import DirectoryBlueprint
from directory.core.rate_limits import auth_limit
from directory.permissions import login_required
from directory.privacy.erasure import erase_account
from directory.privacy.export import export_of
from directory.privacy.schemas import ErasureSchema, ExportSchema

blp = DirectoryBlueprint(
    "privacy", __name__, url_prefix="/api/v1", description="Privacy rights: export and erasure"
)

ATTACHMENT = {
    "Content-Disposition": {
        "description": "attachment: a file to keep",
        "schema": {"type": "string"},
    }
}


@blp.get("/auth/me/export")
@login_required()
@blp.response(200, ExportSchema, headers=ATTACHMENT)
def export_my_data():
    """Everything the service holds about the caller, as one JSON document"""
    headers = {"Content-Disposition": 'attachment; filename="my-data.json"'}
    return export_of(current_user), 200, headers


@blp.delete("/auth/me")
@login_required()
@auth_limit  # a password check, throttled like the others
@blp.arguments(ErasureSchema)
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
def erase_me(data):
    """Delete the caller's account and personal data for good (with the password)"""
    erase_account(current_user, data["password"])
