import marshmallow as ma
from sqlalchemy import select

from directory.accounts.models import Role
from directory.audit.models import AuditEntry
from directory.core.api import DirectoryBlueprint
from directory.core.pagination import PageArgs, page_schema, paginate
from directory.core.permissions import login_required

blp = DirectoryBlueprint(
    "audit", __name__, url_prefix="/api/v1/admin/audit-log", description="Admin audit trail"
)


class AuditEntrySchema(ma.Schema):
    id = ma.fields.String()
    actor_id = ma.fields.String()
    action = ma.fields.String(metadata={"example": "certification.verify"})
    target_type = ma.fields.String(metadata={"example": "certification"})
    target_id = ma.fields.String()
    detail = ma.fields.Dict()
    created_at = ma.fields.AwareDateTime()


@blp.get("")
@login_required(Role.ADMIN)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(AuditEntrySchema))
def audit_log(args):
    """The admin audit trail, newest first (read-only)"""
    newest_first = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    return paginate(newest_first, **args)
