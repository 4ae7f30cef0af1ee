"""Idempotent creation: a POST repeated with the same `Idempotency-Key` creates nothing new.

The first request with a key (for one caller, method and path) reserves it in the database
before the view runs: a unique key makes every concurrent twin see the reservation, so exactly
one of them runs. Its answer is stored and replayed, with `Idempotent-Replayed: true`, for 24
hours; the same key with another body is a 422 (`idempotency-key-reused`), and a twin that
arrives while the first still runs gets a 409 (`request-in-progress`). A 5xx answer releases
the key, so that the client can retry. Token routes (/auth) are left out: their answers are
secrets that must not be stored.
"""

import hashlib
from datetime import datetime, timedelta

from flask import Flask, Response, g, request
from sqlalchemy import JSON, Index, Integer, LargeBinary, String, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from directory.core.db import UTCDateTime, id_column, new_id, utcnow
from directory.core.errors import problem
from directory.core.rate_limits import account_or_address
from directory.extensions import db

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEPT_FOR = timedelta(hours=24)
# A reservation still open after this long belongs to a request whose process died (gunicorn
# kills a request after 30 s): the key may be used again.
ABANDONED_AFTER = timedelta(minutes=2)
REPLAYED_HEADERS = ("Location", "Content-Type")


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"

    id: Mapped[str] = id_column()
    caller: Mapped[str] = mapped_column(String(120))
    key: Mapped[str] = mapped_column(String(255))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    fingerprint: Mapped[str] = mapped_column(String(64))
    # Null while the first request runs.
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    headers: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("uq_idempotency_keys_request", "caller", "key", "method", "path", unique=True),
        Index("ix_idempotency_keys_created_at", "created_at"),
    )


def _applies(req) -> bool:
    return (
        req.method == "POST"
        and HEADER in req.headers
        and req.path.startswith("/api/v1/")
        and not req.path.startswith("/api/v1/auth/")
    )


def _valid_key(key: str) -> bool:
    return 1 <= len(key) <= 255 and all(" " <= char <= "~" for char in key)


def _fingerprint(req) -> str:
    """What makes two requests the same: the JSON body, or a multipart body's fields and file
    contents (a retry may draw another multipart boundary)."""
    digest = hashlib.sha256()
    if req.mimetype == "multipart/form-data":
        for name, value in sorted(req.form.items(multi=True)):
            digest.update(f"{name}={value}\0".encode())
        for name, storage in sorted(req.files.items(multi=True), key=lambda item: item[0]):
            digest.update(f"{name}:".encode() + hashlib.sha256(storage.read()).digest())
            storage.seek(0)
    else:
        digest.update(req.get_data(cache=True))
    return digest.hexdigest()


def _reserve(identity: dict, fingerprint: str) -> IdempotencyKey | str | None:
    """Reserve the key, or return the earlier request's record (or why it cannot be used)."""
    table = IdempotencyKey.__table__
    now = utcnow()
    with db.engine.connect() as connection:
        for _ in range(2):  # a second try after clearing an expired or abandoned reservation
            try:
                with connection.begin():
                    connection.execute(
                        table.insert().values(
                            id=new_id(),
                            fingerprint=fingerprint,
                            created_at=now,
                            **identity,
                        )
                    )
                return None
            except IntegrityError:
                pass
            earlier = connection.execute(select(table).filter_by(**identity)).one_or_none()
            if earlier is None:
                continue
            stale = earlier.created_at < now - (
                KEPT_FOR if earlier.status_code is not None else ABANDONED_AFTER
            )
            if stale:
                with connection.begin():
                    connection.execute(delete(table).where(table.c.id == earlier.id))
                continue
            if earlier.fingerprint != fingerprint:
                return "reused"
            return earlier if earlier.status_code is not None else "running"
    return "running"


def _before_request() -> Response | None:
    if not _applies(request):
        return None
    key = request.headers[HEADER]
    if not _valid_key(key):
        return problem(
            422,
            "The request did not validate.",
            {HEADER: ["Give 1 to 255 printable ASCII characters."]},
        )
    identity = {
        "caller": account_or_address(),
        "key": key,
        "method": request.method,
        "path": request.path,
    }
    outcome = _reserve(identity, _fingerprint(request))
    if outcome is None:
        g.idempotency = identity
        return None
    if outcome == "reused":
        return problem(
            422,
            f"This {HEADER} was used for a different request.",
            slug="idempotency-key-reused",
        )
    if outcome == "running":
        return problem(
            409,
            f"A request with this {HEADER} is still running; retry when it has finished.",
            slug="request-in-progress",
        )
    replay = Response(outcome.body, status=outcome.status_code, headers=outcome.headers)
    replay.headers[REPLAYED] = "true"
    return replay


def _after_request(response: Response) -> Response:
    identity = g.pop("idempotency", None)
    if identity is None:
        return response
    table = IdempotencyKey.__table__
    match = [table.c[name] == value for name, value in identity.items()]
    with db.engine.begin() as connection:
        if response.status_code >= 500:
            connection.execute(delete(table).where(*match))
        else:
            headers = {k: v for k, v in response.headers.items() if k in REPLAYED_HEADERS}
            connection.execute(
                update(table)
                .where(*match)
                .values(status_code=response.status_code, body=response.get_data(), headers=headers)
            )
    return response


def register_idempotency(app: Flask) -> None:
    app.before_request(_before_request)
    app.after_request(_after_request)
