"""Rate limits, all in one place: every route is limited and says so in `X-RateLimit-*` headers.

- public reads (GET, HEAD): per client address, RATELIMIT_PUBLIC;
- writes (POST, PUT, PATCH, DELETE): per account (per address when anonymous), RATELIMIT_WRITE;
- uploads (multipart bodies): per account as well, RATELIMIT_UPLOAD;
- login, registration and recovery (accounts.routes): per address, RATELIMIT_AUTH; failed
  logins per target account, RATELIMIT_LOGIN_ACCOUNT; mails a caller can trigger (recovery,
  verification, email change) per target address or account, RATELIMIT_MAIL.
Every limit is shared by all routes of its kind (one budget per client, not one per route).
"""

import time

from flask import current_app, g, request
from flask_jwt_extended import decode_token
from flask_limiter import Limit, Limiter
from flask_limiter.util import get_remote_address
from jwt import PyJWTError
from limits import RateLimitItem
from limits.storage import RedisStorage
from limits.strategies import STRATEGIES, FixedWindowRateLimiter, WindowStats

from directory.core.text import fold


def client_address() -> str:
    return f"address:{get_remote_address()}"


def account_or_address() -> str:
    """The account of a validly signed token (revoked or not: the route refuses those), else
    the client address. Keys by account so that a client behind a shared address is not
    throttled by its neighbours, and one account cannot spread over many addresses."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        try:
            return f"account:{decode_token(token)['sub']}"
        except (PyJWTError, KeyError):
            pass
    return client_address()


def target_account() -> str:
    """The account a login or a recovery names: attempts against one account count wherever
    they come from (an attacker spreading over many addresses)."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # malformed: the view answers 400
        body = None
    email = body.get("email") if isinstance(body, dict) else None
    return f"email:{fold(email) if isinstance(email, str) else ''}"


def _config(name: str):
    return lambda: current_app.config[name]


def _not_an_upload() -> bool:
    return request.mimetype != "multipart/form-data"


DEFAULT_LIMITS = [
    Limit(
        _config("RATELIMIT_PUBLIC"),
        key_function=client_address,
        scope="public",
        shared=True,
        methods=["GET", "HEAD"],
    ),
    Limit(
        _config("RATELIMIT_WRITE"),
        key_function=account_or_address,
        scope="write",
        shared=True,
        methods=["POST", "PUT", "PATCH", "DELETE"],
    ),
    Limit(
        _config("RATELIMIT_UPLOAD"),
        key_function=account_or_address,
        scope="upload",
        shared=True,
        methods=["POST", "PUT"],
        exempt_when=_not_an_upload,
    ),
]


def _failed_login(response) -> bool:
    return response.status_code == 401


class FixedWindowInOneTrip(FixedWindowRateLimiter):
    """limits' fixed window, whose hit in Redis also answers the request's X-RateLimit headers:
    one round trip per request instead of three (the count, then the count and its expiry
    again). Other storages (the in-memory fallback) work as the fixed window does."""

    # limits' incr_expire.lua, which also returns how long the window has left.
    HIT = """
        local current = redis.call("incrby", KEYS[1], tonumber(ARGV[2]))
        if tonumber(current) == tonumber(ARGV[2]) then
            redis.call("expire", KEYS[1], ARGV[1])
        end
        return {current, redis.call("ttl", KEYS[1])}
    """

    def __init__(self, storage):
        super().__init__(storage)
        self._hit_in_redis = None

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        if not isinstance(self.storage, RedisStorage):
            return super().hit(item, *identifiers, cost=cost)
        if self._hit_in_redis is None:
            self._hit_in_redis = self.storage.get_connection().register_script(self.HIT)
        key = self.storage.prefixed_key(item.key_for(*identifiers))
        count, seconds_left = self._hit_in_redis([key], [item.get_expiry(), cost])
        # Kept for this request only (g): a later request must ask Redis again.
        g.setdefault("rate_limit_windows", {})[key] = WindowStats(
            time.time() + max(seconds_left, 0), max(0, item.amount - count)
        )
        return count <= item.amount

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        if isinstance(self.storage, RedisStorage):
            key = self.storage.prefixed_key(item.key_for(*identifiers))
            if (window := g.get("rate_limit_windows", {}).get(key)) is not None:
                return window
        return super().get_window_stats(item, *identifiers)


# flask-limiter builds its strategy, and its in-memory fallback's, by name from this registry.
STRATEGIES["fixed-window-in-one-trip"] = FixedWindowInOneTrip

limiter = Limiter(
    key_func=client_address, default_limits=DEFAULT_LIMITS, strategy="fixed-window-in-one-trip"
)

# Decorators for the account routes: they replace the write limit there.
auth_limit = limiter.shared_limit(_config("RATELIMIT_AUTH"), scope="auth")
login_account_limit = limiter.shared_limit(
    _config("RATELIMIT_LOGIN_ACCOUNT"),
    scope="login-account",
    key_func=target_account,
    deduct_when=_failed_login,
)
mail_per_target = limiter.shared_limit(
    _config("RATELIMIT_MAIL"), scope="mail-target", key_func=target_account
)
mail_per_account = limiter.shared_limit(
    _config("RATELIMIT_MAIL"), scope="mail-account", key_func=account_or_address
)
