"""Small factories that go through the HTTP API, as a client would."""

import uuid
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient

from directory.accounts.services import create_admin

PASSWORD = "correct horse battery"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


@dataclass
class Actor:
    id: str
    email: str
    role: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.access_token}"}


class ActorFactory:
    def __init__(self, app: Flask, client: FlaskClient):
        self.app = app
        self.client = client

    def login(self, email: str, password: str = PASSWORD) -> dict:
        body = {"email": email, "password": password}
        response = self.client.post("/api/v1/auth/login", json=body)
        assert response.status_code == 200, response.json
        return response.json

    def _signed_in(self, user: dict) -> Actor:
        tokens = self.login(user["email"])
        return Actor(
            user["id"], user["email"], user["role"], tokens["access_token"], tokens["refresh_token"]
        )

    def register(self, role: str, **overrides) -> Actor:
        body = {
            "email": unique_email(role),
            "password": PASSWORD,
            "full_name": "Camille Durand",
            "role": role,
        } | overrides
        response = self.client.post("/api/v1/auth/register", json=body)
        assert response.status_code == 201, response.json
        return self._signed_in(response.json)

    def patient(self, **overrides) -> Actor:
        return self.register("patient", **overrides)

    def practitioner(self, **overrides) -> Actor:
        return self.register("practitioner", **overrides)

    def admin(self) -> Actor:
        with self.app.app_context():
            user = create_admin(unique_email("admin"), PASSWORD)
            user = {"id": user.id, "email": user.email, "role": "admin"}
        return self._signed_in(user)
