"""How typed text matches folded keys (core.text.fold), in SQL both databases answer alike where
they can: prefixes everywhere, typos on PostgreSQL only (pg_trgm), so that SQLite stays exact
and deterministic."""

from sqlalchemy import ColumnElement, and_, event, false, func, literal, or_
from sqlalchemy.engine import Engine

from directory.core.text import escape_like
from directory.extensions import db

# Above every character: `key < prefix + LAST_CHARACTER` ends a prefix range (SQLite compares
# text byte by byte, and U+10FFFF has the highest UTF-8 encoding).
LAST_CHARACTER = "\U0010ffff"
# Shorter text forgives no typo: two or three letters resemble too much of everything.
MIN_TYPO_LENGTH = 4
# pg_trgm word similarity from which a word counts as typed with a typo. Its default (0.6)
# misses a letter left out of an eight-letter word ('clinque': 0.55).
TYPO_SIMILARITY = 0.5
# How a PostgreSQL connection is told so as it opens (libpq's startup `options`).
TYPO_SETTING = f"-c pg_trgm.word_similarity_threshold={TYPO_SIMILARITY}"


def typos_forgiven() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def typos_forgiven_in(typed: str) -> bool:
    return typos_forgiven() and len(typed) >= MIN_TYPO_LENGTH


@event.listens_for(Engine, "do_connect")
def _forgive_typos(dialect, connection_record, cargs, cparams) -> None:
    """Every PostgreSQL connection (through libpq: psycopg2, psycopg) compares words at
    TYPO_SIMILARITY: set as it opens (a startup option, no round trip), not by a statement in
    every request that suggests."""
    if dialect.driver in ("psycopg2", "psycopg"):  # libpq drivers: they take `options`
        cparams["options"] = " ".join(filter(None, [cparams.get("options"), TYPO_SETTING]))


def starts_with(key: ColumnElement, prefix: str) -> ColumnElement:
    """`key` begins with `prefix`, answerable from a btree index on `key`."""
    if typos_forgiven():  # PostgreSQL: LIKE uses the text_pattern_ops index
        return key.like(escape_like(prefix) + "%", escape="\\")
    return and_(key >= prefix, key < prefix + LAST_CHARACTER)


def a_word_starts_with(text: ColumnElement, prefix: str) -> ColumnElement:
    """A word of `text` (space- or hyphen-separated) begins with `prefix` (a pg_trgm index
    serves it on PostgreSQL; SQLite scans)."""
    escaped = escape_like(prefix)
    patterns = (f"{escaped}%", f"% {escaped}%", f"%-{escaped}%")
    return or_(*(text.like(pattern, escape="\\") for pattern in patterns))


def resembles(text: ColumnElement, typed: str) -> ColumnElement:
    """A word of `text` is close to `typed` (pg_trgm word similarity, at its threshold: see
    _forgive_typos); never on SQLite, nor for text shorter than MIN_TYPO_LENGTH."""
    if not typos_forgiven_in(typed):
        return false()
    return text.op("%>")(typed)


def similarity(text: ColumnElement, typed: str) -> ColumnElement:
    return func.similarity(text, typed)


def closeness(text: ColumnElement, typed: str, whole: bool = False) -> ColumnElement:
    """How close the closest word of `text` (or all of it, when `whole`: a place's name) is to
    `typed`, 0 to 1 (1 where typos are not forgiven): what orders typo matches, the closest
    first."""
    if not typos_forgiven():
        return literal(1)
    return func.similarity(text, typed) if whole else func.word_similarity(typed, text)
