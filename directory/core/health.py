"""Liveness and readiness probes (outside the API prefix, as load balancers expect)."""

import marshmallow as ma
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from directory.core.api import DirectoryBlueprint, ResponseSchema
from directory.core.errors import problem
from directory.extensions import db

blp = DirectoryBlueprint("health", __name__, description="Liveness and readiness probes")


class ProbeSchema(ResponseSchema):
    status = ma.fields.String(metadata={"example": "ok"})


@blp.get("/healthz")
@blp.response(200, ProbeSchema)
def check_liveness():
    """Liveness: the process answers"""
    return {"status": "ok"}


@blp.get("/readyz")
@blp.response(200, ProbeSchema)
def check_readiness():
    """Readiness: the database answers (a 503 while it does not)"""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return problem(503, "The database is not reachable.")
    return {"status": "ready"}
