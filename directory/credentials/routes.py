import io

from flask import send_file
from flask.views import MethodView
from flask_jwt_extended import current_user
from sqlalchemy import select

from directory.accounts.models import Role
from directory.core.api import DirectoryBlueprint, dumped
from directory.core.pagination import PageArgs, page_schema, paginate
from directory.core.permissions import (
    ensure_can_manage_profile,
    ensure_can_see_certification,
    ensure_can_see_document,
    ensure_owner,
    login_required,
    optional_user,
    sees_private_records_of,
)
from directory.credentials import services
from directory.credentials.models import Certification, CertificationStatus
from directory.credentials.schemas import (
    CertificationSchema,
    CertificationUpdateSchema,
    CertificationWriteSchema,
    DocumentUploadSchema,
    PublicCertificationSchema,
    QueueArgs,
    RejectSchema,
)
from directory.practitioners.services import live_practitioner

blp = DirectoryBlueprint(
    "certifications", __name__, url_prefix="/api/v1", description="Certifications and verification"
)


def _certification(practitioner_id: str, certification_id: str) -> Certification:
    return services.certification_of(live_practitioner(practitioner_id), certification_id)


@blp.route("/practitioners/<practitioner_id>/certifications")
class Certifications(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(CertificationSchema))
    def get(self, args, practitioner_id):
        """List certifications: verified ones, without private fields, for the public; all for
        the owner and admins"""
        practitioner = live_practitioner(practitioner_id)
        statement = (
            select(Certification)
            .where(Certification.practitioner_id == practitioner.id)
            .order_by(Certification.issued_on.desc(), Certification.id)
        )
        if sees_private_records_of(optional_user(), practitioner):
            return paginate(statement, **args)
        verified = statement.where(Certification.status == CertificationStatus.VERIFIED)
        return dumped(page_schema(PublicCertificationSchema), paginate(verified, **args))

    @login_required()
    @blp.arguments(CertificationWriteSchema)
    @blp.response(201, CertificationSchema)
    def post(self, data, practitioner_id):
        """Add a certification (owner); it waits, pending, for an admin"""
        practitioner = live_practitioner(practitioner_id)
        ensure_owner(current_user, practitioner)
        return services.add_certification(practitioner, data)


@blp.route("/practitioners/<practitioner_id>/certifications/<certification_id>")
class CertificationItem(MethodView):
    @login_required()
    @blp.arguments(CertificationUpdateSchema(partial=True), required=False)
    @blp.response(200, CertificationSchema)
    def patch(self, data, practitioner_id, certification_id):
        """Edit a certification (owner); it goes back to pending"""
        certification = _certification(practitioner_id, certification_id)
        ensure_can_see_certification(current_user, certification)
        ensure_owner(current_user, certification.practitioner)
        return services.update_certification(certification, data)

    @login_required()
    @blp.response(204)
    def delete(self, practitioner_id, certification_id):
        """Delete a certification (owner or admin)"""
        certification = _certification(practitioner_id, certification_id)
        ensure_can_see_certification(current_user, certification)
        ensure_can_manage_profile(current_user, certification.practitioner)
        services.delete_certification(certification, current_user)


@blp.route("/practitioners/<practitioner_id>/certifications/<certification_id>/document")
class CertificationDocument(MethodView):
    @login_required()
    @blp.arguments(DocumentUploadSchema, location="form_and_files")
    @blp.response(200, CertificationSchema)
    def put(self, files, practitioner_id, certification_id):
        """Upload the document proving a certification (owner); it goes back to pending"""
        certification = _certification(practitioner_id, certification_id)
        ensure_can_see_certification(current_user, certification)
        ensure_owner(current_user, certification.practitioner)
        return services.attach_document(certification, files["file"])

    @login_required()
    @blp.response(200, content_type="application/octet-stream", description="The document")
    def get(self, practitioner_id, certification_id):
        """Download a certification's document (owner or admin)"""
        certification = _certification(practitioner_id, certification_id)
        ensure_can_see_document(current_user, certification)
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
@blp.response(200, page_schema(CertificationSchema))
def review_queue(args):
    """The verification queue, oldest first (admin)"""
    status = args.pop("status")
    return paginate(services.review_queue(status), **args)


@blp.post("/admin/certifications/<certification_id>/verify")
@login_required(Role.ADMIN)
@blp.response(200, CertificationSchema)
def verify(certification_id):
    """Verify a pending certification (admin)"""
    return services.verify(services.live_certification(certification_id), current_user)


@blp.post("/admin/certifications/<certification_id>/reject")
@login_required(Role.ADMIN)
@blp.arguments(RejectSchema)
@blp.response(200, CertificationSchema)
def reject(data, certification_id):
    """Reject a pending certification with a reason (admin)"""
    certification = services.live_certification(certification_id)
    return services.reject(certification, current_user, data["reason"])
