"""The audit trail: written in the caller's transaction, read newest first."""

from sqlalchemy import Select, select

from directory.accounts.models import User
from directory.audit.models import AuditEntry
from directory.extensions import db


def record(actor: User, action: str, target_type: str, target_id: str, **detail) -> None:
    """Add an entry to the caller's transaction: it commits, or rolls back, with the action."""
    db.session.add(
        AuditEntry(
            actor_id=actor.id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            detail=detail,
        )
    )


def newest_first() -> Select:
    return select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
