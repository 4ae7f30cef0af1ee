"""The contract's list envelope: {items, page, per_page, total, pages}."""

import math
from functools import cache

import marshmallow as ma
from sqlalchemy import Select, func, select

from directory.extensions import db

MAX_PER_PAGE = 100
# Far beyond any real listing, small enough that OFFSET never overflows.
MAX_PAGE = 1_000_000


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(1, MAX_PAGE))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(1, MAX_PER_PAGE))


@cache
def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The envelope schema for a list of `item_schema` (one class per item schema)."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return ma.Schema.from_dict(
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


def paginate(statement: Select, page: int, per_page: int) -> dict:
    """Run `statement` for one page: two SQL statements whatever the page size."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return envelope(list(items), page, per_page, total)
