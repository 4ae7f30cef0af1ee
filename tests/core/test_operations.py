import pytest

from directory import create_app
from directory.config import DEV_SECRET, InsecureConfigurationError, ProductionConfig


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")

    assert response.status_code == 200


def test_readyz_answers_when_the_database_does(client):
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize(
    "secrets",
    [
        {"SECRET_KEY": DEV_SECRET, "JWT_SECRET_KEY": "k" * 64},
        {"SECRET_KEY": "k" * 64, "JWT_SECRET_KEY": DEV_SECRET},
        {"SECRET_KEY": "k" * 64, "JWT_SECRET_KEY": "too-short"},
        {"SECRET_KEY": "", "JWT_SECRET_KEY": "k" * 64},
    ],
)
def test_production_refuses_to_start_with_missing_default_or_weak_secrets(secrets):
    config = type("Unsafe", (ProductionConfig,), secrets)

    with pytest.raises(InsecureConfigurationError):
        create_app(config)


def test_production_starts_with_strong_secrets(config_class):
    config = type(
        "Safe",
        (ProductionConfig,),
        {
            "SECRET_KEY": "s" * 64,
            "JWT_SECRET_KEY": "j" * 64,
            "PUBLIC_BASE_URL": "https://api.example.org",
            "SQLALCHEMY_DATABASE_URI": config_class.SQLALCHEMY_DATABASE_URI,
        },
    )

    assert create_app(config).config["ENV_NAME"] == "production"


def test_openapi_document_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    for path in ["/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/me"]:
        assert path in spec["paths"]
    assert "bearerAuth" in spec["components"]["securitySchemes"]


def test_interactive_docs_are_served(client):
    response = client.get("/docs")

    assert response.status_code == 200
    assert b"swagger" in response.data.lower()


def test_cors_allows_configured_origins_only(client, app):
    allowed = app.config["CORS_ORIGINS"][0]

    ok = client.get("/api/v1/treatments", headers={"Origin": allowed})
    other = client.get("/api/v1/treatments", headers={"Origin": "https://evil.example"})

    assert ok.headers["Access-Control-Allow-Origin"] == allowed
    assert "Access-Control-Allow-Origin" not in other.headers
    # Tokens travel in a header, never in cookies: no origin is ever granted credentials.
    assert "Access-Control-Allow-Credentials" not in ok.headers


def test_cors_preflight_for_a_configured_origin(client, app):
    response = client.options(
        "/api/v1/practitioners",
        headers={
            "Origin": app.config["CORS_ORIGINS"][0],
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )

    assert response.status_code == 200
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()


def test_security_headers_are_on_every_response(client):
    for response in (client.get("/api/v1/treatments"), client.get("/api/v1/nothing")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_cli_create_admin_makes_an_admin_who_can_log_in(runner, client):
    result = runner.invoke(
        args=["create-admin", "Boss@Example.com", "--password", "a-long-admin-password"]
    )

    assert result.exit_code == 0, result.output
    login = client.post(
        "/api/v1/auth/login",
        json={"email": "boss@example.com", "password": "a-long-admin-password"},
    )
    me = client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {login.json['access_token']}"}
    )
    assert me.json["role"] == "admin"


def test_cli_create_admin_prompts_for_the_password(runner):
    result = runner.invoke(
        args=["create-admin", "prompted@example.com"],
        input="a-long-admin-password\na-long-admin-password\n",
    )

    assert result.exit_code == 0, result.output


def test_cli_create_admin_rejects_a_short_password(runner):
    result = runner.invoke(args=["create-admin", "weak@example.com", "--password", "short"])

    assert result.exit_code != 0


def test_cli_create_admin_refuses_a_patient_or_practitioner_address(runner, client, actors):
    for actor in (actors.patient(), actors.practitioner_with_profile()):
        result = runner.invoke(
            args=["create-admin", actor.email, "--password", "a-long-admin-password"]
        )

        assert result.exit_code != 0
        assert "belongs to a" in result.output and "Traceback" not in result.output
        me = client.get("/api/v1/auth/me", headers=actor.headers).json
        assert me["role"] == actor.role  # unchanged


def test_cli_create_admin_explains_a_bad_email_without_a_traceback(runner):
    result = runner.invoke(args=["create-admin", "not-an-email", "--password", "long-password-1"])

    assert result.exit_code != 0
    assert "email" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_create_admin_on_an_existing_admin_ends_their_sessions(runner, client, admin):
    assert client.get("/api/v1/auth/me", headers=admin.headers).status_code == 200

    result = runner.invoke(args=["create-admin", admin.email, "--password", "a-new-password-9"])

    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/auth/me", headers=admin.headers).status_code == 401
    refresh = {"Authorization": f"Bearer {admin.refresh_token}"}
    assert client.post("/api/v1/auth/refresh", headers=refresh).status_code == 401
    login = {"email": admin.email, "password": "a-new-password-9"}
    assert client.post("/api/v1/auth/login", json=login).status_code == 200
