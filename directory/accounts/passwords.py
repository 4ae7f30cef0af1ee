"""Argon2id password hashing (argon2-cffi), and the rules a new password must meet."""

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from directory.core.errors import InvalidInput


def _hasher() -> PasswordHasher:
    profile = getattr(profiles, current_app.config["PASSWORD_HASH_PROFILE"])
    return PasswordHasher.from_parameters(profile)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists: unknown emails verify a dummy hash."""
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or _dummy_hash(hasher), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


_dummy_hashes: dict[str, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = current_app.config["PASSWORD_HASH_PROFILE"]
    if key not in _dummy_hashes:
        _dummy_hashes[key] = hasher.hash("not-a-real-password")
    return _dummy_hashes[key]


MIN_LENGTH, MAX_LENGTH = 10, 128
COMMON_PASSWORDS_CHECKED = 10_000
# The shortest local part worth refusing in a password ("jo" in "johnny-be-good" is no leak).
MIN_LOCAL_PART = 3


@cache
def _common_passwords() -> frozenset[str]:
    """The most common passwords, from zxcvbn's frequency list (ranked, lower case)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_PASSWORDS_CHECKED])


def password_problems(password: str, email: str) -> list[str]:
    """What is wrong with a new password (NIST SP 800-63B: length, a blocklist, no context)."""
    problems = []
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        problems.append(f"Use {MIN_LENGTH} to {MAX_LENGTH} characters.")
    if password.lower() in _common_passwords():
        problems.append("This is one of the most common passwords; choose another.")
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= MIN_LOCAL_PART and local_part in password.lower():
        problems.append("The password must not contain your email address.")
    return problems


def check_new_password(password: str, email: str, field: str = "password") -> None:
    if problems := password_problems(password, email):
        raise InvalidInput(field, " ".join(problems))
