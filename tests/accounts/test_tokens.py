import time
from datetime import timedelta

import jwt as pyjwt
import pytest
from flask_jwt_extended import create_access_token

from tests.helpers import PASSWORD, unique_email

LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"
REFRESH = "/api/v1/auth/refresh"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_login_returns_bearer_tokens_with_a_15_minute_access_token(client, actors):
    user = actors.patient()

    tokens = actors.login(user.email)

    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 15 * 60
    claims = pyjwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 15 * 60
    refresh = pyjwt.decode(tokens["refresh_token"], options={"verify_signature": False})
    assert refresh["exp"] - refresh["iat"] == 30 * 24 * 3600


def test_login_email_is_case_insensitive(client, actors):
    user = actors.patient()

    response = client.post(LOGIN, json={"email": user.email.upper(), "password": PASSWORD})

    assert response.status_code == 200


def test_unknown_email_and_wrong_password_get_the_same_401(client, actors):
    user = actors.patient()

    wrong_password = client.post(LOGIN, json={"email": user.email, "password": "wrong" * 3})
    unknown_email = client.post(LOGIN, json={"email": unique_email(), "password": PASSWORD})

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json == unknown_email.json
    assert wrong_password.mimetype == "application/problem+json"


def test_me_describes_the_caller(client, actors):
    user = actors.practitioner(full_name="Dr Inès Roux")

    response = client.get(ME, headers=user.headers)

    assert response.status_code == 200
    assert response.json == {
        "id": user.id,
        "email": user.email,
        "email_verified": True,
        "full_name": "Dr Inès Roux",
        "role": "practitioner",
        "practitioner_id": None,
        "created_at": response.json["created_at"],
    }


def test_refresh_gives_a_new_pair_and_spends_the_refresh_token(client, actors):
    user = actors.patient()

    response = client.post(REFRESH, headers=bearer(user.refresh_token))

    assert response.status_code == 200
    assert response.json["refresh_token"] != user.refresh_token
    assert client.get(ME, headers=bearer(response.json["access_token"])).status_code == 200
    following = client.post(REFRESH, headers=bearer(response.json["refresh_token"]))
    assert following.status_code == 200


def test_a_spent_refresh_token_presented_again_revokes_the_whole_login(app, client, actors):
    from datetime import timedelta

    import time_machine

    user = actors.patient()
    other_login = actors.login(user.email)
    first = client.post(REFRESH, headers=bearer(user.refresh_token)).json
    second = client.post(REFRESH, headers=bearer(first["refresh_token"])).json

    with time_machine.travel(timedelta(seconds=30)):  # past the grace of concurrent refreshes
        replay = client.post(REFRESH, headers=bearer(user.refresh_token))

        assert replay.status_code == 401
        assert replay.json["type"].endswith("/problems/token-revoked")
        for token in (second["access_token"], user.access_token, first["access_token"]):
            assert client.get(ME, headers=bearer(token)).status_code == 401
        assert client.post(REFRESH, headers=bearer(second["refresh_token"])).status_code == 401
        # another login of the same account is another chain
        assert client.get(ME, headers=bearer(other_login["access_token"])).status_code == 200


def test_a_concurrent_refresh_within_the_grace_does_not_revoke_the_login(client, actors):
    user = actors.patient()
    winner = client.post(REFRESH, headers=bearer(user.refresh_token)).json

    loser = client.post(REFRESH, headers=bearer(user.refresh_token))

    assert loser.status_code == 401
    assert client.get(ME, headers=bearer(winner["access_token"])).status_code == 200
    assert client.post(REFRESH, headers=bearer(winner["refresh_token"])).status_code == 200


def test_logout_all_revokes_every_token_of_the_caller(client, actors):
    user = actors.patient()
    elsewhere = actors.login(user.email)
    bystander = actors.patient()

    assert client.post("/api/v1/auth/logout-all", headers=user.headers).status_code == 204

    for token in (user.access_token, elsewhere["access_token"]):
        assert client.get(ME, headers=bearer(token)).status_code == 401
    for token in (user.refresh_token, elsewhere["refresh_token"]):
        assert client.post(REFRESH, headers=bearer(token)).status_code == 401
    assert client.get(ME, headers=bystander.headers).status_code == 200
    assert (
        client.post(
            "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
        ).status_code
        == 200
    )


def test_the_caller_changes_their_name(client, actors):
    user = actors.patient()

    response = client.patch(ME, json={"full_name": "Claire Fontaine"}, headers=user.headers)

    assert response.status_code == 200 and response.json["full_name"] == "Claire Fontaine"
    assert client.patch(ME, json={"email": "x@y.z"}, headers=user.headers).status_code == 422


def test_an_access_token_is_refused_for_refresh(client, actors):
    user = actors.patient()

    response = client.post("/api/v1/auth/refresh", headers=user.headers)

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_a_refresh_token_is_refused_everywhere_else(client, actors):
    user = actors.patient()

    assert client.get(ME, headers=bearer(user.refresh_token)).status_code == 401


def test_logout_revokes_the_access_and_the_refresh_token(client, actors):
    user = actors.patient()

    response = client.post(
        "/api/v1/auth/logout", headers=user.headers, json={"refresh_token": user.refresh_token}
    )

    assert response.status_code == 204
    assert client.get(ME, headers=user.headers).status_code == 401
    assert client.post(REFRESH, headers=bearer(user.refresh_token)).status_code == 401


def test_logout_without_body_revokes_only_the_presented_token(client, actors):
    user = actors.patient()

    assert client.post("/api/v1/auth/logout", headers=user.headers).status_code == 204

    assert client.get(ME, headers=user.headers).status_code == 401
    assert client.post(REFRESH, headers=bearer(user.refresh_token)).status_code == 200


def test_revocation_is_shared_by_separate_app_instances(app, config_class, actors, client):
    """Workers share nothing but the database: a second app must see the revocation."""
    from directory import create_app

    user = actors.patient()
    client.post("/api/v1/auth/logout", headers=user.headers)

    other_worker = create_app(config_class).test_client()

    assert other_worker.get(ME, headers=user.headers).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer not.a.token",
        "Basic dXNlcjpwYXNz",
        "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIn0.",
    ],
)
def test_missing_or_malformed_tokens_are_401_problems(client, header):
    headers = {"Authorization": header} if header else {}

    response = client.get(ME, headers=headers)

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 401


def test_a_token_signed_with_another_key_is_401(client, actors):
    user = actors.patient()
    claims = pyjwt.decode(user.access_token, options={"verify_signature": False})
    forged = pyjwt.encode(claims, "another-secret-of-sufficient-length-000000", algorithm="HS256")

    assert client.get(ME, headers=bearer(forged)).status_code == 401


def test_an_expired_token_is_401(app, client, actors):
    user = actors.patient()
    with app.app_context():
        token = create_access_token(user.id, expires_delta=timedelta(seconds=-1))
    time.sleep(0.01)

    response = client.get(ME, headers=bearer(token))

    assert response.status_code == 401
    assert response.json["type"].endswith("/problems/token-expired")


def test_a_token_of_a_deleted_account_is_401(app, client):
    with app.app_context():
        token = create_access_token("no-such-user")

    assert client.get(ME, headers=bearer(token)).status_code == 401
