"""The practitioner directory and review API."""

import os
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import make_url
from werkzeug.middleware.proxy_fix import ProxyFix

from directory.config import CONFIGS, check_production_secrets
from directory.core.json_provider import FastJSONProvider

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: str | type | None = None) -> Flask:
    """Build the app. `config` is a name in config.CONFIGS, a config class, or None (APP_ENV)."""
    app = Flask(__name__, instance_relative_config=False)
    if config is None or isinstance(config, str):
        config = CONFIGS[config or os.environ.get("APP_ENV", "development")]
    app.config.from_object(config)
    app.json = FastJSONProvider(app)
    if app.config["ENV_NAME"] == "production":
        check_production_secrets(app.config)

    if app.config["PROXY_COUNT"]:
        # Trust X-Forwarded-For only from the configured number of proxies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=1)

    from directory.core.headers import register_security_headers

    # Before the extensions: its hook then runs after theirs and sees what they add.
    register_security_headers(app)
    _init_extensions(app)
    _register_blueprints(app)

    from directory import cli
    from directory.core.api import refuse_nul_in_path
    from directory.core.caching import register_caching
    from directory.core.errors import register_error_handlers
    from directory.core.idempotency import register_idempotency
    from directory.core.locations import register_locations

    register_error_handlers(app)
    # after_request hooks run last-registered first: Location is set before idempotency
    # stores the answer, and caching sees the final body.
    register_caching(app)
    register_idempotency(app)
    register_locations(app)
    app.url_value_preprocessor(refuse_nul_in_path)
    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from directory import models  # noqa: F401  (every model, before migrate and create_all)
    from directory.accounts.tokens import init_tokens
    from directory.core.docs_assets import blp as docs_assets
    from directory.core.media import init_media
    from directory.core.replicas import init_read_routing
    from directory.core.urls import init_public_urls
    from directory.extensions import api, cors, db, jwt, limiter, migrate
    from directory.practitioners.facet_cache import init_facet_cache

    _ensure_sqlite_directory(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    init_read_routing(app)
    migrate.init_app(
        app, db, directory=str(MIGRATIONS_DIR), compare_type=True, render_as_batch=True
    )
    jwt.init_app(app)
    init_tokens(app)
    init_public_urls(app)
    init_media(app)
    limiter.init_app(app)
    init_facet_cache(app)
    cors.init_app(
        app,
        resources={
            r"/api/*": {
                "origins": app.config["CORS_ORIGINS"],
                "allow_headers": [
                    "Authorization",
                    "Content-Type",
                    "Idempotency-Key",
                    "If-None-Match",
                ],
                "expose_headers": [
                    "Location",
                    "ETag",
                    "Retry-After",
                    "X-RateLimit-Limit",
                    "X-RateLimit-Remaining",
                    "X-RateLimit-Reset",
                    "Idempotent-Replayed",
                ],
                "max_age": app.config["CORS_MAX_AGE"],
            },
            # Public images, readable by any page (canvas included): always "*", never
            # credentials, so that a cached copy serves every origin alike.
            r"/media/*": {"origins": "*", "send_wildcard": True},
        },
    )
    # The assets of the /docs page that api.init_app registers.
    app.register_blueprint(docs_assets)
    api.init_app(app)


def _ensure_sqlite_directory(uri: str) -> None:
    url = make_url(uri)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _register_blueprints(app: Flask) -> None:
    from directory.accounts.routes import blp as accounts
    from directory.audit.routes import blp as audit
    from directory.booking.routes import blp as booking
    from directory.consultations.routes import blp as consultations
    from directory.core.health import blp as health
    from directory.core.media_routes import blp as media
    from directory.core.problem_routes import blp as problems
    from directory.credentials.routes import blp as certifications
    from directory.extensions import api
    from directory.gallery.routes import blp as gallery
    from directory.mail.routes import blp as mail
    from directory.places.routes import blp as places
    from directory.practitioners.routes import blp as practitioners
    from directory.privacy.routes import blp as privacy
    from directory.testimonials.routes import blp as testimonials
    from directory.treatments.routes import blp as treatments

    app.register_blueprint(media)
    app.register_blueprint(problems)
    for blueprint in (
        health,
        accounts,
        treatments,
        practitioners,
        certifications,
        consultations,
        booking,
        testimonials,
        gallery,
        audit,
        mail,
        places,
        privacy,
    ):
        api.register_blueprint(blueprint)
