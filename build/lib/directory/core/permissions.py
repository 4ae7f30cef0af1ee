"""Who may do what: the one module that decides. Routes and services ask it.

Rules of thumb from the contract: another user's private record is a 404 (its existence is
not disclosed), a public record the caller may not change is a 403.
"""

from collections.abc import Callable
from functools import wraps

from flask_jwt_extended import current_user, get_current_user, verify_jwt_in_request
from flask_smorest.utils import deepupdate

from directory.accounts.models import Role, User
from directory.core.errors import NotFoundError, PermissionDenied

BEARER_SECURITY = [{"bearerAuth": []}]


def login_required(*roles: Role, refresh: bool = False) -> Callable:
    """Require a valid (access, or with refresh=True refresh) token, and one of `roles` if given.

    Put it above the argument decorators so that authentication is checked first.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request(refresh=refresh)
            if roles and current_user.role not in roles:
                allowed = " or ".join(role.value for role in roles)
                raise PermissionDenied(f"Only a {allowed} may do this.")
            return view(*args, **kwargs)

        wrapper._apidoc = deepupdate(
            getattr(wrapper, "_apidoc", {}), {"manual_doc": {"security": BEARER_SECURITY}}
        )
        return wrapper

    return decorator


def optional_user() -> User | None:
    """The caller if a valid access token was sent, else None (for public routes)."""
    verify_jwt_in_request(optional=True)
    return get_current_user()


def is_admin(user: User | None) -> bool:
    return user is not None and user.role == Role.ADMIN


def is_owner(user: User | None, practitioner) -> bool:
    return user is not None and practitioner.user_id == user.id


def sees_private_records_of(user: User | None, practitioner) -> bool:
    """The owner and admins see a practitioner's private records (pending certifications...)."""
    return is_owner(user, practitioner) or is_admin(user)


def ensure_can_manage_profile(user: User, practitioner) -> None:
    """The owner and admins manage a profile; anyone else may only read it."""
    if not sees_private_records_of(user, practitioner):
        raise PermissionDenied("Only the practitioner or an admin may change this profile.")


def ensure_owner(user: User, practitioner) -> None:
    """Only the practitioner themself may do this (not even an admin)."""
    if not is_owner(user, practitioner):
        raise PermissionDenied("Only the practitioner may do this.")


def ensure_can_see_certification(user: User | None, certification) -> None:
    """Verified certifications are public; the others exist only for the owner and admins."""
    if certification.status != "verified" and not sees_private_records_of(
        user, certification.practitioner
    ):
        raise NotFoundError("No such certification.")


def ensure_can_see_document(user: User | None, certification) -> None:
    """Credential documents are private, even for verified certifications."""
    if not sees_private_records_of(user, certification.practitioner):
        raise NotFoundError("No such document.")


def ensure_party_to(user: User, consultation) -> None:
    """A consultation exists only for its patient, its practitioner and admins."""
    if not (
        is_admin(user)
        or consultation.patient_id == user.id
        or is_owner(user, consultation.practitioner)
    ):
        raise NotFoundError("No such consultation.")


def ensure_can_see_testimonial(user: User | None, testimonial) -> None:
    """Published testimonials are public; a hidden one exists for its author and admins."""
    if testimonial.status != "published" and not (
        is_admin(user) or (user is not None and testimonial.author_id == user.id)
    ):
        raise NotFoundError("No such testimonial.")


def ensure_author(user: User, testimonial) -> None:
    if testimonial.author_id != user.id:
        raise PermissionDenied("Only the author may do this.")


def ensure_author_or_admin(user: User, testimonial) -> None:
    if not (is_admin(user) or testimonial.author_id == user.id):
        raise PermissionDenied("Only the author or an admin may do this.")
