"""Column types and helpers shared by every model."""

import enum
import math
import secrets
import sqlite3
from datetime import UTC, date, datetime

from sqlalchemy import DateTime, Enum, Index, Insert, String, event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.types import TypeDecorator

# PostgreSQL's counterpart of the SQLite settings below: time limits, set as connections open.
from directory.core import database_timeouts  # noqa: F401

ID_LENGTH = 22


def commit_as_flushed(session: Session, *served: object) -> None:
    """Commit, keeping the objects a response is about to serve as flushed instead of expiring
    them: serving them then opens no new transaction to read them back. Only for objects that
    hold what the database does: every value the response shows set in Python (in the form the
    column type reads back), none left to the server or a trigger. Everything else the session
    holds is expired, as a plain commit does."""
    keeping = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keeping
    kept = {instance_state(instance) for instance in served}  # (current_user is a proxy)
    for instance in list(session.identity_map.values()):
        if instance_state(instance) not in kept:
            session.expire(instance)


def string_enum(cls: type[enum.Enum], length: int = 20) -> Enum:
    """A column of an enum's values as plain strings (no database enum type to migrate)."""
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def new_id() -> str:
    """An opaque, unguessable identifier (128 random bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return utcnow().date()


def insert_ignoring_duplicates(model, dialect: str) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING on either database: a concurrent duplicate inserts
    nothing (its rowcount is 0) rather than failing."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(model).on_conflict_do_nothing()


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value


def trigram_index(name: str, column: str, **options) -> Index:
    """An index of a text column's trigrams, for substrings (LIKE '%term%') and typos
    (similarity), on PostgreSQL through pg_trgm; SQLite has none."""
    return Index(
        name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"}, **options
    ).ddl_if(dialect="postgresql")


def id_column(**kwargs) -> Mapped[str]:
    return mapped_column(String(ID_LENGTH), primary_key=True, default=new_id, **kwargs)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, wait for the writer lock instead of failing at once."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
        _ensure_sqlite_math(dbapi_connection)


_SQLITE_MATH = {
    "sin": math.sin,
    "cos": math.cos,
    "asin": math.asin,
    "sqrt": math.sqrt,
    "radians": math.radians,
}


def _ensure_sqlite_math(dbapi_connection) -> None:
    """Distance searches use SQL math functions that some SQLite builds leave out."""
    try:
        dbapi_connection.execute("SELECT sin(0), asin(0), sqrt(1), radians(0)")
    except sqlite3.OperationalError:
        for name, function in _SQLITE_MATH.items():
            dbapi_connection.create_function(name, 1, function, deterministic=True)
