"""The contract's list envelope: {items, page, per_page, total, pages}.

List routes use `@blp.paginated(ItemSchema)` (core.api): the view returns a `Select`, or any
`Pageable` that builds its own page (search does, in one statement), and the decorator turns it
into the documented envelope.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import marshmallow as ma
from sqlalchemy import Select, func, select

from directory.core.api import ResponseSchema
from directory.extensions import db

MAX_PER_PAGE = 100
# Far beyond any real listing, small enough that OFFSET never overflows.
MAX_PAGE = 1_000_000


class PageArgs(ma.Schema):
    """The query arguments of every list; a list with filters extends it."""

    page = ma.fields.Integer(
        load_default=1,
        validate=ma.validate.Range(1, MAX_PAGE),
        metadata={"description": "Page number, from 1 (default 1)."},
    )
    per_page = ma.fields.Integer(
        load_default=20,
        validate=ma.validate.Range(1, MAX_PER_PAGE),
        metadata={"description": f"Items per page, 1 to {MAX_PER_PAGE} (default 20)."},
    )


class Pageable(Protocol):
    def page(self, page: int, per_page: int) -> dict: ...


@cache
def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The envelope schema for a list of `item_schema` (one class per item schema)."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return ResponseSchema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
            "total": ma.fields.Integer(),
            "pages": ma.fields.Integer(),
        },
        name=name,
    )


def envelope(items: list, page: int, per_page: int, total: int) -> dict:
    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": math.ceil(total / per_page),
    }


def _as_is(row: Any) -> Any:
    return row


@dataclass(frozen=True)
class Listing:
    """A list query, and how each of its rows is shown (as it is, by default)."""

    statement: Select
    present: Callable[[Any], Any] = field(default=_as_is)

    def page(self, page: int, per_page: int) -> dict:
        """One page in one SQL statement whatever its size: the rows carry the total, counted
        once by a subquery of their own (a round trip less per list). Only a page past the
        end, which has no row to carry it, counts on its own; an empty first page is an empty
        list."""
        total = select(func.count()).select_from(self.statement.order_by(None).subquery())
        rows = db.session.execute(
            self.statement.add_columns(total.scalar_subquery().label("total"))
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        if rows:
            counted = rows[0].total
        else:
            counted = 0 if page == 1 else db.session.scalar(total)
        return envelope([self.present(row[0]) for row in rows], page, per_page, counted)


def page_of(result: Select | Pageable, page: int, per_page: int) -> dict:
    pageable = Listing(result) if isinstance(result, Select) else result
    return pageable.page(page, per_page)
