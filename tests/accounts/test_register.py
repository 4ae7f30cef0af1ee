import pytest

from tests.helpers import PASSWORD, unique_email

REGISTER = "/api/v1/auth/register"


def body(**overrides):
    return {
        "email": unique_email(),
        "password": PASSWORD,
        "full_name": "Léa Martin",
        "role": "patient",
    } | overrides


@pytest.mark.parametrize("role", ["patient", "practitioner"])
def test_register_returns_the_user_without_any_password(client, role):
    response = client.post(REGISTER, json=body(role=role))

    assert response.status_code == 201
    user = response.json
    assert set(user) == {"id", "email", "full_name", "role", "created_at"}
    assert user["role"] == role
    assert "password" not in response.text and "argon2" not in response.text


def test_registering_as_admin_is_rejected(client):
    response = client.post(REGISTER, json=body(role="admin"))

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "role" in response.json["errors"]


def test_email_is_unique_regardless_of_case(client):
    email = unique_email()
    assert client.post(REGISTER, json=body(email=email)).status_code == 201

    response = client.post(REGISTER, json=body(email=email.upper()))

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"


def test_email_is_stored_lower_case(client):
    response = client.post(REGISTER, json=body(email="Mixed.Case@Example.COM"))

    assert response.json["email"] == "mixed.case@example.com"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("password", "short"),
        ("password", "x" * 129),
        ("email", "not-an-email"),
        ("full_name", ""),
        ("role", "doctor"),
    ],
)
def test_invalid_fields_are_422_with_the_field_named(client, field, value):
    response = client.post(REGISTER, json=body(**{field: value}))

    assert response.status_code == 422
    assert field in response.json["errors"]


@pytest.mark.parametrize("field", ["id", "created_at", "is_admin"])
def test_read_only_and_unknown_fields_are_rejected(client, field):
    response = client.post(REGISTER, json=body(**{field: "x"}))

    assert response.status_code == 422
    assert field in response.json["errors"]


def test_missing_fields_are_listed(client):
    response = client.post(REGISTER, json={})

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"email", "password", "full_name", "role"}
