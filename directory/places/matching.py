"""How typed text matches folded keys (core.text.fold), in SQL both databases answer alike where
they can: prefixes everywhere, typos on PostgreSQL only (pg_trgm), so that SQLite stays exact
and deterministic."""

from sqlalchemy import ColumnElement, and_, false, func, or_

from directory.core.text import escape_like
from directory.extensions import db

# Above every character: `key < prefix + LAST_CHARACTER` ends a prefix range (SQLite compares
# text byte by byte, and U+10FFFF has the highest UTF-8 encoding).
LAST_CHARACTER = "\U0010ffff"
# Shorter text forgives no typo: two or three letters resemble too much of everything.
MIN_TYPO_LENGTH = 4


def typos_forgiven() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def starts_with(key: ColumnElement, prefix: str) -> ColumnElement:
    """`key` begins with `prefix`, answerable from a btree index on `key`."""
    if typos_forgiven():  # PostgreSQL: LIKE uses the text_pattern_ops index
        return key.like(escape_like(prefix) + "%", escape="\\")
    return and_(key >= prefix, key < prefix + LAST_CHARACTER)


def a_word_starts_with(text: ColumnElement, prefix: str) -> ColumnElement:
    """A word of `text` (space- or hyphen-separated) begins with `prefix` (a pg_trgm index
    serves it on PostgreSQL; SQLite scans)."""
    escaped = escape_like(prefix)
    return or_(*(text.like(pattern, escape="\\") for pattern in (f"{escaped}%", f"% {escaped}%")))


def resembles(text: ColumnElement, typed: str) -> ColumnElement:
    """A word of `text` is close to `typed` (pg_trgm word similarity, at its threshold, 0.6 by
    default); never on SQLite, nor for text shorter than MIN_TYPO_LENGTH."""
    if not typos_forgiven() or len(typed) < MIN_TYPO_LENGTH:
        return false()
    return text.op("%>")(typed)


def similarity(text: ColumnElement, typed: str) -> ColumnElement:
    return func.similarity(text, typed)
