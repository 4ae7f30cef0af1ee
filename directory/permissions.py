"""Who may do what: the one module that decides. Routes load records through it.

Each resource has one loader, `<thing>_for(user, ..., access)`, that fetches the record and
checks the caller in one step (flaskr's `get_post(id, check_author=True)`):

- a record that does not exist, or that the caller may not know exists (another user's private
  record), is a 404;
- a record the caller may see but not change in this way is a 403.

It sits above the feature packages so that it can import their models without a cycle.
"""

import enum
from collections.abc import Callable
from functools import wraps

from flask import request
from flask_jwt_extended import current_user, get_current_user, verify_jwt_in_request
from flask_smorest import Blueprint

from directory.accounts.models import Role, User
from directory.booking.models import Availability
from directory.consultations.models import Consultation
from directory.core.errors import EmailUnverified, NotFoundError, PermissionDenied
from directory.core.openapi import ACCESS_TOKEN, REFRESH_TOKEN
from directory.credentials.models import Certification, CertificationStatus
from directory.extensions import db
from directory.gallery.models import ConsentStatus, GalleryItem
from directory.practitioners.models import Practitioner
from directory.testimonials.models import Testimonial, TestimonialStatus

READS = {"GET", "HEAD", "OPTIONS"}
ACCOUNT_PATHS = "/api/v1/auth/"  # where an unverified account may still write (to verify it)


class Access(enum.Enum):
    """What the caller wants to do with a record."""

    READ = "read"  # see it
    OWN = "own"  # act as its owner: the practitioner, the author, a party (not even an admin)
    MANAGE = "manage"  # change or delete it: its owner or an admin
    REVIEW = "review"  # an admin's decision on it: verify, reject, hide, restore
    RESPOND = "respond"  # answer it publicly: the reviewed practitioner (testimonials)
    VOTE = "vote"  # find it helpful: anyone who may read it but its author (testimonials)


def login_required(*roles: Role, refresh: bool = False) -> Callable:
    """Require a valid (access, or with refresh=True refresh) token, and one of `roles` if given.
    Outside the account routes, writing needs a verified email: acting for others (reviews,
    requests, uploads...) starts with a real address.

    Put it above the argument decorators so that authentication is checked first. The document
    names the token's scheme and, as OpenAPI 3.1 allows, the roles.
    """
    scheme = REFRESH_TOKEN if refresh else ACCESS_TOKEN
    security = [{scheme: [role.value for role in roles]}]

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request(refresh=refresh)
            if roles and current_user.role not in roles:
                allowed = " or ".join(role.value for role in roles)
                raise PermissionDenied(f"This is for the {allowed} role only.")
            writes = request.method not in READS
            if (
                writes
                and not request.path.startswith(ACCOUNT_PATHS)
                and not current_user.email_verified
            ):
                raise EmailUnverified("Verify your email address first (see your inbox).")
            return view(*args, **kwargs)

        return Blueprint.doc(security=security)(wrapper)

    return decorator


def login_optional(view: Callable) -> Callable:
    """A public route where a caller with an access token may see more (see optional_user):
    the document says the token is optional, so that clients send it. A bad token is a 401."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        verify_jwt_in_request(optional=True)
        return view(*args, **kwargs)

    return Blueprint.doc(security=[{}, {ACCESS_TOKEN: []}])(wrapper)


def optional_user() -> User | None:
    """The caller if a valid access token was sent, else None (for public routes)."""
    verify_jwt_in_request(optional=True)
    return get_current_user()


def is_admin(user: User | None) -> bool:
    return user is not None and user.role == Role.ADMIN


def is_owner(user: User | None, practitioner: Practitioner) -> bool:
    return user is not None and practitioner.user_id == user.id


def sees_private_records_of(user: User | None, practitioner: Practitioner) -> bool:
    """The owner and admins see a practitioner's private records (pending certifications...)."""
    return is_owner(user, practitioner) or is_admin(user)


def _check_review(user: User | None, practitioner: Practitioner) -> None:
    """Separation of duties: an admin never decides on records of a profile they own."""
    if not is_admin(user):
        raise PermissionDenied("Only an admin may do this.")
    if is_owner(user, practitioner):
        raise PermissionDenied("Nobody reviews or moderates their own records.")


def _check_profile(user: User | None, practitioner: Practitioner, access: Access) -> None:
    if access == Access.OWN and not is_owner(user, practitioner):
        raise PermissionDenied("Only the practitioner may do this.")
    if access == Access.MANAGE and not sees_private_records_of(user, practitioner):
        raise PermissionDenied("Only the practitioner or an admin may change this profile.")
    if access == Access.REVIEW:
        _check_review(user, practitioner)


def practitioner_for(
    user: User | None, practitioner_id: str, access: Access = Access.READ
) -> Practitioner:
    """A live (not deleted) profile: anyone reads it, its owner (and for MANAGE an admin)
    acts on it."""
    practitioner = db.session.get(Practitioner, practitioner_id)
    if practitioner is None or practitioner.deleted_at is not None:
        raise NotFoundError("No such practitioner.")
    _check_profile(user, practitioner, access)
    return practitioner


def availability_for(practitioner_id: str) -> Availability:
    """A live profile's published schedule: public; its owner replaces it through
    practitioner_for(..., Access.OWN)."""
    practitioner = practitioner_for(None, practitioner_id)
    availability = db.session.get(Availability, practitioner.id)
    if availability is None:
        raise NotFoundError("This practitioner publishes no availability.")
    return availability


def certification_for(
    user: User | None,
    certification_id: str,
    access: Access = Access.READ,
    practitioner_id: str | None = None,
) -> Certification:
    """A certification of a live profile (of `practitioner_id` when given). Verified ones are
    public; the others exist only for the owner and admins. OWN: the owner edits it; MANAGE:
    the owner or an admin deletes it; REVIEW: an admin decides on it."""
    certification = db.session.get(Certification, certification_id)
    if (
        certification is None
        or certification.practitioner.deleted_at is not None
        or (practitioner_id is not None and certification.practitioner_id != practitioner_id)
    ):
        raise NotFoundError("No such certification.")
    practitioner = certification.practitioner
    if certification.status != CertificationStatus.VERIFIED and not sees_private_records_of(
        user, practitioner
    ):
        raise NotFoundError("No such certification.")
    _check_profile(user, practitioner, access)
    return certification


def document_for(user: User | None, practitioner_id: str, certification_id: str) -> Certification:
    """Credential documents are private, even for verified certifications: the owner and admins
    read them, anyone else is told nothing."""
    certification = certification_for(user, certification_id, practitioner_id=practitioner_id)
    if not sees_private_records_of(user, certification.practitioner):
        raise NotFoundError("No such document.")
    return certification


def consultation_for(
    user: User, consultation_id: str, access: Access = Access.READ
) -> Consultation:
    """A consultation exists only for its patient, its practitioner and admins; only its two
    parties act on it (OWN)."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not (is_admin(user) or party_to(user, consultation) is not None):
        raise NotFoundError("No such consultation.")
    if access == Access.OWN and party_to(user, consultation) is None:
        raise PermissionDenied("Only the patient or the practitioner may change a consultation.")
    return consultation


def party_to(user: User, consultation: Consultation) -> Role | None:
    """As which party the user takes part in a consultation, if any."""
    # An erased party's side is null (privacy.erasure): nobody is that party any more.
    if consultation.practitioner is not None and is_owner(user, consultation.practitioner):
        return Role.PRACTITIONER
    if consultation.patient_id == user.id:
        return Role.PATIENT
    return None


def testimonial_for(
    user: User | None, testimonial_id: str, access: Access = Access.READ
) -> Testimonial:
    """A testimonial of a live profile. Published ones are public; a hidden one exists for its
    author and admins. OWN: its author edits it; MANAGE: its author or an admin deletes it;
    REVIEW: an admin moderates it; RESPOND: the reviewed practitioner answers it; VOTE: anyone
    but its author finds it helpful."""
    testimonial = db.session.get(Testimonial, testimonial_id)
    if testimonial is None or testimonial.practitioner.deleted_at is not None:
        raise NotFoundError("No such testimonial.")
    is_author = user is not None and testimonial.author_id == user.id
    if testimonial.status != TestimonialStatus.PUBLISHED and not (is_admin(user) or is_author):
        raise NotFoundError("No such testimonial.")
    if access == Access.OWN and not is_author:
        raise PermissionDenied("Only the author may do this.")
    if access == Access.MANAGE and not (is_author or is_admin(user)):
        raise PermissionDenied("Only the author or an admin may do this.")
    if access == Access.REVIEW:
        _check_review(user, testimonial.practitioner)
    if access == Access.RESPOND and not is_owner(user, testimonial.practitioner):
        raise PermissionDenied("Only the reviewed practitioner may respond.")
    if access == Access.VOTE and is_author:
        raise PermissionDenied("Authors cannot vote for their own testimonial.")
    return testimonial


def gallery_item_for(
    user: User | None, practitioner_id: str, item_id: str, access: Access = Access.READ
) -> GalleryItem:
    """An item of a live profile's gallery: granted ones are public, the others exist for the
    owner and admins only; MANAGE: its owner or an admin removes it."""
    practitioner = practitioner_for(user, practitioner_id)
    item = db.session.get(GalleryItem, item_id)
    if item is None or item.practitioner_id != practitioner.id:
        raise NotFoundError("No such gallery item.")
    if item.consent_status != ConsentStatus.GRANTED and not sees_private_records_of(
        user, practitioner
    ):
        raise NotFoundError("No such gallery item.")  # unpublished: nobody else knows of it
    _check_profile(user, practitioner, access)
    return item


def consent_for(user: User, consent_id: str) -> GalleryItem:
    """A photo consent (its id is the gallery item's) exists only for the patient it was asked
    of: the holder of that verified address."""
    item = db.session.get(GalleryItem, consent_id)
    if item is None or not (user.email_verified and item.patient_email == user.email):
        raise NotFoundError("No such photo consent.")
    return item
