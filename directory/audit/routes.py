from directory.accounts.models import Role
from directory.audit import services
from directory.audit.schemas import AuditEntrySchema
from directory.core.api import DirectoryBlueprint
from directory.core.pagination import PageArgs
from directory.permissions import login_required

blp = DirectoryBlueprint("audit", __name__, url_prefix="/api/v1", description="Admin audit trail")


@blp.get("/admin/audit-log")
@login_required(Role.ADMIN)
@blp.arguments(PageArgs, location="query")
@blp.paginated(AuditEntrySchema)
def list_audit_entries(args):
    """The admin audit trail, newest first (read-only)"""
    return services.newest_first()
