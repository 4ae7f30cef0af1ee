"""Rows in the text format of PostgreSQL's COPY, for the bench's bulk loads."""

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

NULL = r"\N"

ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _escaped(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(ESCAPES)
    return text


# Each type's text in COPY's format; str() for numbers. A look-up by type, not a chain of
# isinstance: serialising took a third of the generator's time.
COPY_TEXT: dict[type, Callable[[Any], str]] = {
    type(None): lambda value: NULL,
    bool: lambda value: "t" if value else "f",
    datetime: datetime.isoformat,
    date: date.isoformat,
    str: _escaped,
    list: lambda value: _escaped(json.dumps(value)),  # a json column's value
}


_TEXT_OF = COPY_TEXT.get


def copy_line(values: Iterable) -> str:
    """One row of COPY's text format, without its newline."""
    return "\t".join([_TEXT_OF(type(value), str)(value) for value in values])
