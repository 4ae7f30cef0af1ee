"""Settings, read from the environment (and an optional .env file)."""

import os
from datetime import timedelta
from pathlib import Path

# Development-only fallbacks. Production refuses to start with these (see check_production_secrets).
DEV_SECRET = "dev-only-secret-do-not-use-in-production-0123456789"
MIN_SECRET_BYTES = 32  # 256 bits

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the pinned driver (SQLAlchemy 2.1 defaults to psycopg 3)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url.removeprefix(prefix)
    return url


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


class Config:
    ENV_NAME = "development"
    TESTING = False

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY", DEV_SECRET)

    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'directory.db'}")
    )
    # pool_pre_ping: every worker recovers by itself after a database restart.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL time limits in seconds (core.database_timeouts): a database that hangs costs a
    # request a few seconds and a 503, far from gunicorn's 30 s timeout. The statement limit
    # applies to requests only; commands such as migrations may run long statements.
    DATABASE_CONNECT_TIMEOUT = float(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
    DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "5"))

    # Streaming standbys that serve anonymous reads (core.replicas); comma-separated URLs.
    DATABASE_REPLICA_URLS = _env_list("DATABASE_REPLICA_URLS")
    DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "5"))
    DATABASE_REPLICA_CHECK_SECONDS = float(os.environ.get("DATABASE_REPLICA_CHECK_SECONDS", "2"))

    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=30)
    JWT_TOKEN_LOCATION = ["headers"]
    # Argon2id cost profile name from argon2.profiles.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"

    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_AUTH = os.environ.get("RATELIMIT_AUTH", "10 per minute")
    RATELIMIT_LOGIN_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "10 per 15 minutes")
    RATELIMIT_MAIL = os.environ.get("RATELIMIT_MAIL", "5 per hour")
    RATELIMIT_PUBLIC = os.environ.get("RATELIMIT_PUBLIC", "600 per minute")
    RATELIMIT_WRITE = os.environ.get("RATELIMIT_WRITE", "120 per minute")
    RATELIMIT_UPLOAD = os.environ.get("RATELIMIT_UPLOAD", "30 per hour")
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    # Redis unreachable: count in this process's memory rather than fail the request (a 500).
    # flask-limiter logs the switch, and goes back to the shared counters once Redis answers
    # (it probes Redis again at growing intervals, at most 32 seconds apart).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # A Redis that hangs (no answer at all) must cost a request a second, not a worker.
    REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "1"))
    RATELIMIT_STORAGE_OPTIONS = {
        "socket_connect_timeout": REDIS_TIMEOUT,
        "socket_timeout": REDIS_TIMEOUT,
    }
    RATELIMIT_HEADERS_ENABLED = True
    # Facet counts shared by the workers (practitioners.facet_cache); none: counted per request.
    FACET_CACHE_URL = os.environ.get("FACET_CACHE_URL", REDIS_URL)
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "directory")
    # Number of trusted reverse proxies in front of the app; 0 ignores X-Forwarded-For.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    # Where clients reach the API. Absolute URLs in responses (media, Location) are built from
    # it, never from the request's Host header, which the client chooses. Production has no
    # default (check_production_secrets).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
    # Base URL of public media when a CDN or bucket serves it; empty: PUBLIC_BASE_URL + "/media".
    MEDIA_BASE_URL = os.environ.get("MEDIA_BASE_URL", "")

    CORS_ORIGINS = _env_list("CORS_ORIGINS")
    # Browsers may reuse a preflight answer this many seconds.
    CORS_MAX_AGE = int(os.environ.get("CORS_MAX_AGE", "600"))
    # Media store backend: "local" (files under MEDIA_ROOT) or "s3" (an S3-compatible bucket;
    # credentials come from boto3's usual sources, e.g. AWS_ACCESS_KEY_ID).
    MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
    MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(INSTANCE_DIR / "media"))
    S3_BUCKET = os.environ.get("S3_BUCKET", "")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")
    S3_REGION = os.environ.get("S3_REGION", "us-east-1")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")
    # Uploads carry up to two 10 MB images plus form fields.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(25 * 1024 * 1024)))

    # Mail (directory/mail). SMTP_URL: smtp://host:port, smtp+starttls://user:password@host:587
    # or smtps://user:password@host:465; unset, the worker writes .eml files under MAIL_DIR.
    SMTP_URL = os.environ.get("SMTP_URL") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "Practitioner directory <no-reply@localhost>")
    MAIL_DIR = os.environ.get("MAIL_DIR", str(INSTANCE_DIR / "mail"))
    # Days a soft-deleted profile is kept (for the audit trail, and to be restored) before the
    # worker erases it for good (directory/privacy/retention.py).
    RETENTION_DAYS = int(os.environ.get("RETENTION_DAYS", "30"))
    # The base of every link in a mail (the patient-facing frontend).
    FRONTEND_URL = os.environ.get("FRONTEND_URL", "http://127.0.0.1:3000")

    API_TITLE = "Practitioner directory API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "api/v1/openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    # Swagger UI's assets come from a pinned package, served by the app (core/docs_assets.py):
    # the docs work offline and load nothing from a CDN.
    OPENAPI_SWAGGER_UI_URL = "/docs/assets/"
    # Swagger UI would otherwise send the document to validator.swagger.io for a badge.
    OPENAPI_SWAGGER_UI_CONFIG = {"validatorUrl": None}


class ProductionConfig(Config):
    ENV_NAME = "production"
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = JWT_SECRET_KEY = "testing-secret-" + "x" * 40
    # The test suite (tests/conftest.py) sets the URI of the database it creates.
    PASSWORD_HASH_PROFILE = "CHEAPEST"  # same algorithm (Argon2id), fast enough for a suite
    RATELIMIT_STORAGE_URI = "memory://"
    FACET_CACHE_URL = None
    DATABASE_REPLICA_URLS: list[str] = []
    RATELIMIT_AUTH = "1000 per minute"
    RATELIMIT_LOGIN_ACCOUNT = RATELIMIT_MAIL = "1000 per minute"
    RATELIMIT_PUBLIC = RATELIMIT_WRITE = RATELIMIT_UPLOAD = "100000 per minute"
    PROXY_COUNT = 0
    CORS_ORIGINS = ["https://app.example.test"]
    # Pinned, so that a PUBLIC_BASE_URL in the developer's environment changes no test.
    PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    MEDIA_BASE_URL = ""
    # Pinned too; tests that deliver mail point these at their own server and folder.
    SMTP_URL = None
    FRONTEND_URL = "http://127.0.0.1:3000"


CONFIGS = {"development": Config, "production": ProductionConfig, "testing": TestingConfig}


class InsecureConfigurationError(RuntimeError):
    """Raised at start-up when production would run with unsafe settings."""


def check_production_secrets(config: dict) -> None:
    """Refuse missing or default secrets, and a missing public URL."""
    for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
        value = config.get(name) or ""
        if value == DEV_SECRET or len(value.encode()) < MIN_SECRET_BYTES:
            raise InsecureConfigurationError(
                f"{name} must be set to a random value of at least {MIN_SECRET_BYTES} bytes "
                "in production"
            )
    if not config.get("PUBLIC_BASE_URL"):
        raise InsecureConfigurationError(
            "PUBLIC_BASE_URL must be set in production (for example https://api.example.org): "
            "absolute URLs are built from it, never from the request's Host header"
        )
