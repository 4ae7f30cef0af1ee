"""Profile use cases, free of HTTP."""

from sqlalchemy import ColumnElement, select, update

from directory.accounts.models import User
from directory.audit.services import record
from directory.core.db import utcnow
from directory.core.errors import (
    ConflictError,
    IllegalTransition,
    InvalidInput,
    PractitionerSuspended,
)
from directory.extensions import db
from directory.permissions import is_admin
from directory.places.gazetteer import place_named
from directory.practitioners.models import LiveProfileCount, Practitioner


def profile_of(user: User) -> Practitioner | None:
    """The user's live profile, if any."""
    return db.session.scalar(
        select(Practitioner).where(
            Practitioner.user_id == user.id, Practitioner.deleted_at.is_(None)
        )
    )


def _deleted_profile_of(user: User) -> Practitioner | None:
    return db.session.scalar(
        select(Practitioner)
        .where(Practitioner.user_id == user.id, Practitioner.deleted_at.is_not(None))
        .order_by(Practitioner.deleted_at.desc())
        .limit(1)
    )


def create_profile(user: User, data: dict) -> Practitioner:
    """A new profile; an account that deleted its profile gets that one back (same id,
    testimonials and rating), updated with `data`: deleting a profile never wipes its reviews."""
    if profile_of(user) is not None:
        raise ConflictError("This account already has a practitioner profile.")
    practitioner = _deleted_profile_of(user)
    if practitioner is None:
        practitioner = Practitioner(user_id=user.id, full_name=user.full_name)
        db.session.add(practitioner)
    practitioner.deleted_at = None
    _apply(practitioner, data)
    if practitioner.suspended_at is None:  # a suspension outlives deleting the profile
        _count_live_profiles(+1)
    db.session.commit()  # the partial unique index settles a race: the loser gets a 409
    return practitioner


def update_profile(practitioner: Practitioner, data: dict) -> Practitioner:
    _apply(practitioner, data)
    db.session.commit()
    return practitioner


def delete_profile(practitioner: Practitioner, actor: User) -> None:
    """Soft delete: the profile leaves reads and search; its rows stay for the audit trail."""
    deleted = db.session.execute(
        update(Practitioner)
        .where(Practitioner.id == practitioner.id, Practitioner.deleted_at.is_(None))
        .values(deleted_at=utcnow())
        # As the row is now, after any concurrent suspension: it was counted unless suspended.
        .returning(Practitioner.suspended_at)
    ).first()
    if deleted is not None:  # else a concurrent request deleted it first
        if deleted.suspended_at is None:
            _count_live_profiles(-1)
        if is_admin(actor):
            record(actor, "practitioner.delete", "practitioner", practitioner.id)
    db.session.commit()


def ensure_accepting_clients(practitioner: Practitioner) -> None:
    """New consultations, bookings and invitations go to practitioners who may practise: a
    suspended one takes none (409)."""
    if practitioner.suspended_at is not None:
        raise PractitionerSuspended("This practitioner is suspended and takes no new clients.")


def suspend(practitioner: Practitioner, admin: User, reason: str, notice: str) -> Practitioner:
    """The profile stays readable with the public `notice`; the private `reason` goes to the
    audit log only."""
    return _transition(
        practitioner,
        admin,
        Practitioner.suspended_at.is_(None),
        {"suspended_at": utcnow(), "suspension_notice": notice},
        "This practitioner is suspended already (or was deleted).",
        "practitioner.suspend",
        reason=reason,
    )


def reinstate(practitioner: Practitioner, admin: User) -> Practitioner:
    return _transition(
        practitioner,
        admin,
        Practitioner.suspended_at.is_not(None),
        {"suspended_at": None, "suspension_notice": None},
        "This practitioner is not suspended (or was deleted).",
        "practitioner.reinstate",
    )


def _transition(
    practitioner: Practitioner,
    admin: User,
    from_state: ColumnElement,
    values: dict,
    refused: str,
    action: str,
    **details,
) -> Practitioner:
    """An admin's change of a live profile's suspension, audited. Conditional on the state it
    leaves: of two admins one wins, and a profile deleted meanwhile is not counted twice."""
    changed = db.session.execute(
        update(Practitioner)
        .where(Practitioner.id == practitioner.id, Practitioner.deleted_at.is_(None), from_state)
        .values(**values)
    ).rowcount
    if not changed:
        db.session.rollback()
        raise IllegalTransition(refused)
    # A suspended profile leaves search; a reinstated one comes back.
    _count_live_profiles(-1 if values["suspended_at"] else +1)
    record(admin, action, "practitioner", practitioner.id, **details)
    db.session.commit()
    db.session.refresh(practitioner)
    return practitioner


def _count_live_profiles(change: int) -> None:
    db.session.execute(update(LiveProfileCount).values(value=LiveProfileCount.value + change))


def _apply(practitioner: Practitioner, data: dict) -> None:
    """Write `data` on the profile; a partial update is checked against the stored values."""
    latitude = data.get("latitude", practitioner.latitude)
    longitude = data.get("longitude", practitioner.longitude)
    if (latitude is None) != (longitude is None):  # also a CHECK constraint
        raise InvalidInput("latitude", "Give latitude and longitude together.")
    prices = data.get("treatment_prices")
    treatments = data.get("treatments", practitioner.treatments)
    if prices is not None and (unoffered := sorted(set(prices) - set(treatments))):
        # Structural too: a price lives on the link between the profile and the treatment.
        raise InvalidInput(
            "treatment_prices", f"Not among the profile's treatments: {', '.join(unoffered)}."
        )
    city_moved = {"city", "country"} & data.keys()
    for field, value in data.items():
        if field != "treatment_prices":
            setattr(practitioner, field, value)
    if prices is not None:  # after the treatments they price
        practitioner.treatment_prices = prices
    if city_moved:
        place = place_named(practitioner.city, practitioner.country)
        practitioner.place_id = None if place is None else place.id
    practitioner.refresh_search_keys()
