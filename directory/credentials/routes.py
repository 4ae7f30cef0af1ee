import io

from flask import send_file
from flask_jwt_extended import current_user

from directory.accounts.models import Role
from directory.core.api import DirectoryBlueprint
from directory.core.pagination import PageArgs
from directory.core.uploads import IMAGE_FORMATS, PDF
from directory.credentials import services
from directory.credentials.schemas import (
    CertificationSchema,
    CertificationUpdateSchema,
    CertificationWriteSchema,
    DocumentUploadSchema,
    QueueArgs,
    QueuedCertificationSchema,
    RejectSchema,
)
from directory.permissions import (
    Access,
    certification_for,
    document_for,
    login_optional,
    login_required,
    optional_user,
    practitioner_for,
)

blp = DirectoryBlueprint(
    "credentials", __name__, url_prefix="/api/v1", description="Certifications and verification"
)


CERTIFICATION = "/practitioners/<practitioner_id>/certifications/<certification_id>"
# What a stored document can be (core.uploads.check_document).
DOCUMENT_CONTENT = {
    content_type: {"schema": {"type": "string", "format": "binary"}}
    for content_type, _ in (PDF, IMAGE_FORMATS["JPEG"], IMAGE_FORMATS["PNG"])
}


@blp.get("/practitioners/<practitioner_id>/certifications")
@login_optional
@blp.arguments(PageArgs, location="query")
@blp.paginated(CertificationSchema)
def list_certifications(args, practitioner_id):
    """List certifications: verified ones, without private fields, for the public; all for
    the owner and admins"""
    practitioner = practitioner_for(None, practitioner_id)
    return services.certifications_of(practitioner, optional_user())


@blp.post("/practitioners/<practitioner_id>/certifications")
@login_required()
@blp.arguments(CertificationWriteSchema)
@blp.response(201, CertificationSchema)
def create_certification(data, practitioner_id):
    """Add a certification (owner); it waits, pending, for an admin"""
    practitioner = practitioner_for(current_user, practitioner_id, Access.OWN)
    return services.add_certification(practitioner, data)


@blp.patch(CERTIFICATION)
@login_required()
@blp.arguments(CertificationUpdateSchema(partial=True), required=False)
@blp.response(200, CertificationSchema)
def update_certification(data, practitioner_id, certification_id):
    """Edit a certification (owner); it goes back to pending"""
    certification = certification_for(current_user, certification_id, Access.OWN, practitioner_id)
    return services.update_certification(certification, data)


@blp.delete(CERTIFICATION)
@login_required()
@blp.response(204)
def delete_certification(practitioner_id, certification_id):
    """Delete a certification (owner or admin)"""
    certification = certification_for(
        current_user, certification_id, Access.MANAGE, practitioner_id
    )
    services.delete_certification(certification, current_user)


@blp.put(f"{CERTIFICATION}/document")
@login_required()
@blp.arguments(DocumentUploadSchema, location="form_and_files")
@blp.response(200, CertificationSchema)
def upload_certification_document(files, practitioner_id, certification_id):
    """Upload the document proving a certification (owner); it goes back to pending"""
    certification = certification_for(current_user, certification_id, Access.OWN, practitioner_id)
    return services.attach_document(certification, files["file"])


@blp.get(f"{CERTIFICATION}/document")
@login_required()
@blp.response(200, description="The document, as it was uploaded")
@blp.doc(responses={200: {"content": DOCUMENT_CONTENT}})
def download_certification_document(practitioner_id, certification_id):
    """Download a certification's document (owner or admin)"""
    certification = document_for(current_user, practitioner_id, certification_id)
    data, content_type = services.document_of(certification)
    response = send_file(
        io.BytesIO(data),
        mimetype=content_type,
        as_attachment=True,
        download_name=f"certification-{certification.id}.{content_type.split('/')[1]}",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.get("/admin/certifications")
@login_required(Role.ADMIN)
@blp.arguments(QueueArgs, location="query")
@blp.paginated(QueuedCertificationSchema)
def list_certification_queue(args):
    """The verification queue, oldest first, with each one's conflicts (admin)"""
    return services.ReviewQueue(args["status"])


@blp.post("/admin/certifications/<certification_id>/verify")
@login_required(Role.ADMIN)
@blp.response(200, CertificationSchema)
@blp.alt_response(409, response="CONFLICT")
def verify_certification(certification_id):
    """Verify a pending certification (admin); 409 when its number is verified on another
    profile"""
    certification = certification_for(current_user, certification_id, Access.REVIEW)
    return services.verify(certification, current_user)


@blp.post("/admin/certifications/<certification_id>/reject")
@login_required(Role.ADMIN)
@blp.arguments(RejectSchema)
@blp.response(200, CertificationSchema)
@blp.alt_response(409, response="CONFLICT")
def reject_certification(data, certification_id):
    """Reject a pending certification with a reason (admin)"""
    certification = certification_for(current_user, certification_id, Access.REVIEW)
    return services.reject(certification, current_user, data["reason"])


@blp.post("/admin/certifications/<certification_id>/recheck")
@login_required(Role.ADMIN)
@blp.response(200, CertificationSchema)
@blp.alt_response(409, response="CONFLICT")
def recheck_certification(certification_id):
    """Confirm a verified certification again: last_checked_on is today (admin)"""
    certification = certification_for(current_user, certification_id, Access.REVIEW)
    return services.recheck(certification, current_user)
