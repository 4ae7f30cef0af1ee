"""Profile use cases, free of HTTP."""

from sqlalchemy import select, update

from directory.accounts.models import User
from directory.audit.service import record
from directory.core.db import utcnow
from directory.core.errors import ConflictError, InvalidInput, NotFoundError
from directory.core.permissions import is_admin
from directory.extensions import db
from directory.practitioners.models import LiveProfileCount, Practitioner


def live_practitioner(practitioner_id: str) -> Practitioner:
    """A profile that has not been deleted, or 404."""
    practitioner = db.session.get(Practitioner, practitioner_id)
    if practitioner is None or practitioner.deleted_at is not None:
        raise NotFoundError("No such practitioner.")
    return practitioner


def profile_of(user: User) -> Practitioner | None:
    return db.session.scalar(
        select(Practitioner).where(
            Practitioner.user_id == user.id, Practitioner.deleted_at.is_(None)
        )
    )


def create_profile(user: User, data: dict) -> Practitioner:
    if profile_of(user) is not None:
        raise ConflictError("This account already has a practitioner profile.")
    practitioner = Practitioner(user_id=user.id, full_name=user.full_name)
    _apply(practitioner, data)
    db.session.add(practitioner)
    _count_live_profiles(+1)
    db.session.commit()  # the partial unique index settles a race: the loser gets a 409
    return practitioner


def update_profile(practitioner: Practitioner, data: dict) -> Practitioner:
    latitude = data.get("latitude", practitioner.latitude)
    longitude = data.get("longitude", practitioner.longitude)
    if (latitude is None) != (longitude is None):
        raise InvalidInput("latitude", "Give latitude and longitude together.")
    _apply(practitioner, data)
    db.session.commit()
    return practitioner


def delete_profile(practitioner: Practitioner, actor: User) -> None:
    """Soft delete: the profile leaves reads and search; its rows stay for the audit trail."""
    deleted = db.session.execute(
        update(Practitioner)
        .where(Practitioner.id == practitioner.id, Practitioner.deleted_at.is_(None))
        .values(deleted_at=utcnow())
    )
    if deleted.rowcount:  # else a concurrent request deleted it first
        _count_live_profiles(-1)
        if is_admin(actor):
            record(actor, "practitioner.delete", "practitioner", practitioner.id)
    db.session.commit()


def _count_live_profiles(change: int) -> None:
    db.session.execute(update(LiveProfileCount).values(value=LiveProfileCount.value + change))


def _apply(practitioner: Practitioner, data: dict) -> None:
    for field, value in data.items():
        setattr(practitioner, field, value)
    practitioner.refresh_search_keys()
