from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from directory.core.db import ID_LENGTH, UTCDateTime, id_column, utcnow
from directory.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[str] = id_column()
    # An id, not a foreign key: the trail outlives the admin's account (erasure keeps ids only).
    actor_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_audit_log_created_at", "created_at", "id"),)
