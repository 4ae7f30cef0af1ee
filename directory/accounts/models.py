import enum
from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from directory.core.db import Timestamps, UTCDateTime, id_column, string_enum
from directory.extensions import db


class Role(enum.StrEnum):
    PATIENT = "patient"
    PRACTITIONER = "practitioner"
    ADMIN = "admin"


class User(Timestamps, db.Model):
    __tablename__ = "users"

    id: Mapped[str] = id_column()
    # Stored lower-cased, so the unique constraint makes emails case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(string_enum(Role))
    # Written into every token issued; raising it revokes every token issued before, on every
    # worker at once (a password reset, "log out everywhere").
    token_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RevokedToken(db.Model):
    """Tokens revoked by logout, shared by every worker through the database."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
