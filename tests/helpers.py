"""Small factories that go through the HTTP API, as a client would."""

import threading
import uuid
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.accounts.services import create_admin
from directory.extensions import db
from directory.practitioners.models import OVER_LONG_WORDS, Practitioner, SearchWord
from directory.practitioners.search import listed

PASSWORD = "correct horse battery"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def profile_body(**overrides) -> dict:
    return {
        "full_name": "Dr Camille Durand",
        "title": "Aesthetic physician",
        "clinic_name": "Clinique Lumière",
        "bio": "Mesotherapy for skin and hair since 2010.",
        "city": "Paris",
        "country": "FR",
        "latitude": 48.8566,
        "longitude": 2.3522,
        "treatments": ["anti-aging", "hair-restoration"],
        "languages": ["fr", "en"],
        "price_from": 120,
        "currency": "EUR",
        "years_experience": 12,
        "accepts_new_patients": True,
    } | overrides


@dataclass
class Actor:
    id: str
    email: str
    role: str
    access_token: str
    refresh_token: str
    practitioner_id: str | None = None

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

    def _signed_in(self, email: str) -> Actor:
        tokens = self.login(email)
        bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
        me = self.client.get("/api/v1/auth/me", headers=bearer).json
        return Actor(me["id"], email, me["role"], tokens["access_token"], tokens["refresh_token"])

    def register(self, role: str, verified: bool = True, **overrides) -> Actor:
        """An account made as a person makes it: registered, and (unless verified=False) its
        email verified through the mailed link."""
        body = {
            "email": unique_email(role),
            "password": PASSWORD,
            "full_name": "Camille Durand",
            "role": role,
        } | overrides
        response = self.client.post("/api/v1/auth/register", json=body)
        assert response.status_code == 202, response.json
        if verified:
            token = link_query(self.app, body["email"], "email-verification")["token"]
            verify = self.client.post("/api/v1/auth/verify-email", json={"token": token})
            assert verify.status_code == 200, verify.json
        return self._signed_in(body["email"].lower())

    def patient(self, **overrides) -> Actor:
        return self.register("patient", **overrides)

    def practitioner(self, **overrides) -> Actor:
        return self.register("practitioner", **overrides)

    def practitioner_with_profile(self, **profile) -> Actor:
        actor = self.practitioner()
        response = self.client.post(
            "/api/v1/practitioners", json=profile_body(**profile), headers=actor.headers
        )
        assert response.status_code == 201, response.json
        actor.practitioner_id = response.json["id"]
        return actor

    def admin(self) -> Actor:
        with self.app.app_context():
            email = create_admin(unique_email("admin"), PASSWORD).email
        return self._signed_in(email)


def mails(app: Flask, to: str | None = None, event: str | None = None) -> list:
    """The mails queued in the outbox, oldest first (optionally to one address, of one event)."""
    from sqlalchemy import select

    from directory.extensions import db
    from directory.mail.models import OutboxMail

    with app.app_context():
        statement = select(OutboxMail).order_by(OutboxMail.created_at, OutboxMail.id)
        if to is not None:
            statement = statement.where(OutboxMail.recipient == to.lower())
        if event is not None:
            statement = statement.where(OutboxMail.event == event)
        found = db.session.scalars(statement).all()
        db.session.expunge_all()
        return found


def mailed_link(app: Flask, to: str, event: str) -> str:
    """The frontend link in the latest `event` mail to `to`: what the person would click."""
    import re
    from email import message_from_string, policy

    sent = mails(app, to, event)
    assert sent, f"no {event} mail to {to}"
    text = message_from_string(sent[-1].message, policy=policy.default).get_body(("plain",))
    frontend = re.escape(app.config["FRONTEND_URL"])
    found = re.search(frontend + r"/[^\s<>\"']+", text.get_content())
    assert found, f"no link in the {event} mail"
    return found.group(0)


def link_query(app: Flask, to: str, event: str) -> dict:
    """The query parameters of that link (its token, code...)."""
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(mailed_link(app, to, event)).query)
    return {name: values[0] for name, values in query.items()}


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), **save) -> bytes:
    """A real image of the given format, made with Pillow."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 90)).save(buffer, fmt, **save)
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def send_multipart(client: FlaskClient, method: str, url: str, fields: dict, headers: dict):
    """A multipart request encoded in memory (werkzeug's test client would spool a large body
    to a temporary file it never closes)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    encoded = {
        name: FileStorage(value[0], value[1], content_type=value[2])
        if isinstance(value, tuple)
        else value
        for name, value in fields.items()
    }
    boundary, body = encode_multipart(encoded)
    return client.open(
        url,
        method=method,
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def request_consultation(client: FlaskClient, patient: Actor, practitioner: Actor, **body) -> dict:
    response = client.post(
        f"/api/v1/practitioners/{practitioner.practitioner_id}/consultations",
        json={"treatment": "anti-aging", "message": "Hello"} | body,
        headers=patient.headers,
    )
    assert response.status_code == 201, response.json
    return response.json


def move_consultation(client: FlaskClient, actor: Actor, consultation_id: str, status: str):
    return client.patch(
        f"/api/v1/consultations/{consultation_id}", json={"status": status}, headers=actor.headers
    )


def completed_consultation(client: FlaskClient, patient: Actor, practitioner: Actor) -> dict:
    consultation = request_consultation(client, patient, practitioner)
    for status in ("confirmed", "completed"):
        assert (
            move_consultation(client, practitioner, consultation["id"], status).status_code == 200
        )
    return consultation


def review_body(**overrides) -> dict:
    return {
        "rating": 5,
        "title": "Visible results after three sessions",
        "body": "Professional, careful and honest about what to expect. My skin looks rested.",
    } | overrides


def post_testimonial(client: FlaskClient, patient: Actor, practitioner: Actor, **body):
    return client.post(
        f"/api/v1/practitioners/{practitioner.practitioner_id}/testimonials",
        json=review_body(**body),
        headers=patient.headers,
    )


def reviewed(client: FlaskClient, patient: Actor, practitioner: Actor, **body) -> dict:
    """A published testimonial by `patient`, through a completed consultation."""
    consultation = completed_consultation(client, patient, practitioner)
    response = post_testimonial(
        client, patient, practitioner, consultation_id=consultation["id"], **body
    )
    assert response.status_code == 201, response.json
    return response.json


def rated(client: FlaskClient, actors, ratings: list[int], **profile) -> Actor:
    """A practitioner with a profile and one published testimonial per rating given."""
    practitioner = actors.practitioner_with_profile(**profile)
    for stars in ratings:
        reviewed(client, actors.patient(), practitioner, rating=stars)
    return practitioner


def gallery_form(before: bytes | None = None, after: bytes | None = None, **overrides) -> dict:
    """A valid before/after upload as multipart fields (real JPEGs unless images are given)."""
    import io

    return {
        "before": (io.BytesIO(before or image_bytes("JPEG")), "before.jpg", "image/jpeg"),
        "after": (io.BytesIO(after or image_bytes("JPEG")), "after.jpg", "image/jpeg"),
        "treatment": "anti-aging",
        "sessions": "1",
        "weeks_elapsed": "2",
        "patient_email": unique_email("photo-patient"),
        **overrides,
    }


def consent_token(app: Flask, patient_email: str) -> str:
    """The token of the latest photo-consent link mailed to that patient."""
    return link_query(app, patient_email, "gallery-consent-request")["token"]


def published_gallery_item(app: Flask, client: FlaskClient, owner: Actor, **fields) -> dict:
    """A gallery item uploaded by `owner` whose patient granted consent through the mailed
    link: public, as the gallery lists it."""
    form = gallery_form(**fields)
    url = f"/api/v1/practitioners/{owner.practitioner_id}/gallery"
    response = send_multipart(client, "POST", url, form, owner.headers)
    assert response.status_code == 201, response.json
    token = consent_token(app, form["patient_email"])
    decided = client.post(f"/api/v1/consents/{token}", json={"decision": "granted"})
    assert decided.status_code == 200, decided.json
    listed = client.get(url, headers=owner.headers).json["items"]
    return next(item for item in listed if item["id"] == response.json["id"])


def document_form() -> dict:
    import io

    return {"file": (io.BytesIO(PDF_BYTES), "d.pdf", "application/pdf")}


# Open every day, without notice: some slot is free whenever the test runs.
EVERY_DAY = {
    "weekly": [
        {"day": day, "start": "08:00", "end": "20:00"}
        for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    ],
    "min_notice_hours": 0,
}


def next_free_slot(client: FlaskClient, practitioner: Actor) -> str:
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC).date()
    week = (today.isoformat(), (today + timedelta(days=7)).isoformat())
    return free_slots(client, practitioner, *week)[0]


def _latest_item_id(client: FlaskClient, owner: Actor) -> str:
    url = f"/api/v1/practitioners/{owner.practitioner_id}/gallery"
    return client.get(url, headers=owner.headers).json["items"][0]["id"]


def build_world(client: FlaskClient, actors: ActorFactory) -> dict:
    """A record of every kind around one profile, and an actor for every relation to them.

    ids: path parameters (the consultation is still requested); free_slot: a slot of the
    profile's schedule free to book; actors: anonymous (None), the
    client (patient of the consultations, author of the testimonial), another patient, another
    practitioner, the owner of the profile, an admin.
    """
    owner = actors.practitioner_with_profile()
    patient = actors.patient()
    base = f"/api/v1/practitioners/{owner.practitioner_id}"
    certification = client.post(
        f"{base}/certifications",
        json={"name": "DU", "issuing_body": "Université", "issued_on": "2020-01-01"},
        headers=owner.headers,
    ).json
    document = f"{base}/certifications/{certification['id']}/document"
    send_multipart(client, "PUT", document, document_form(), owner.headers)
    item = published_gallery_item(actors.app, client, owner)
    asked_of_patient = gallery_form(patient_email=patient.email)
    send_multipart(client, "POST", f"{base}/gallery", asked_of_patient, owner.headers)
    publish_availability(client, owner, **EVERY_DAY)
    return {
        "ids": {
            "practitioner_id": owner.practitioner_id,
            "certification_id": certification["id"],
            "consultation_id": request_consultation(client, patient, owner)["id"],
            "testimonial_id": reviewed(client, patient, owner)["id"],
            "item_id": item["id"],
            # a photo consent asked of the client (pending), and its mailed token
            "consent_id": _latest_item_id(client, owner),
            "token": consent_token(actors.app, patient.email),
            "side": "before",
            "rendition": "thumbnail",
        },
        "reviewable_consultation_id": completed_consultation(client, patient, owner)["id"],
        "free_slot": next_free_slot(client, owner),
        "actors": {
            "anonymous": None,
            "client": patient,
            "other_patient": actors.patient(),
            "other_practitioner": actors.practitioner_with_profile(),
            "owner": owner,
            "admin": actors.admin(),
        },
    }


def availability_body(**overrides) -> dict:
    """Weekday mornings in Paris, in 30-minute slots."""
    weekdays = ("mon", "tue", "wed", "thu", "fri")
    return {
        "timezone": "Europe/Paris",
        "slot_minutes": 30,
        "weekly": [{"day": day, "start": "09:00", "end": "12:00"} for day in weekdays],
        "exceptions": [],
        "horizon_days": 60,
        "min_notice_hours": 12,
    } | overrides


def publish_availability(client: FlaskClient, practitioner: Actor, **overrides) -> dict:
    response = client.put(
        f"/api/v1/practitioners/{practitioner.practitioner_id}/availability",
        json=availability_body(**overrides),
        headers=practitioner.headers,
    )
    assert response.status_code == 200, response.json
    return response.json


def free_slots(client: FlaskClient, practitioner: Actor, first: str, last: str) -> list[str]:
    """The free slots' starts, as the API gives them (local time with its offset)."""
    response = client.get(
        f"/api/v1/practitioners/{practitioner.practitioner_id}/slots",
        query_string={"from": first, "to": last},
    )
    assert response.status_code == 200, response.json
    return [slot["start"] for slot in response.json["slots"]]


def book(client: FlaskClient, patient: Actor, practitioner: Actor, start: str, **body):
    return client.post(
        f"/api/v1/practitioners/{practitioner.practitioner_id}/bookings",
        json={"start": start, "treatment": "anti-aging"} | body,
        headers=patient.headers,
    )


LONGEST_WORD_COUNTED = 200  # bytes (migrations 0025, 0027)


def search_words_counted(app: Flask) -> dict[str, int]:
    """How many listed profiles have each word, as PostgreSQL keeps it (models.SearchWord)."""
    return {word: profiles for word, (profiles, names) in words_counted(app).items()}


def name_words_counted(app: Flask) -> dict[str, int]:
    """Of them, how many have it in their name, for the words of some name."""
    return {word: names for word, (profiles, names) in words_counted(app).items() if names}


def words_counted(app: Flask) -> dict[str, tuple[int, int]]:
    """Each word of the directory, with its profiles and names, as PostgreSQL keeps them."""
    with app.app_context():
        counts = select(SearchWord.word, SearchWord.profiles, SearchWord.names)
        return {word: (profiles, names) for word, profiles, names in db.session.execute(counts)}


def words_recounted(app: Flask) -> dict[str, tuple[int, int]]:
    """The counts as they should be: each word of a listed profile's text, once per profile,
    and of its name; the words too long to count as one (OVER_LONG_WORDS)."""
    with app.app_context():
        profiles = db.session.execute(
            select(Practitioner.search_text, Practitioner.name_key).where(listed())
        ).all()
    in_texts = Counter(word for text, name in profiles for word in _words_counted_of(text))
    in_names = Counter(word for text, name in profiles for word in _words_counted_of(name))
    return {word: (count, in_names[word]) for word, count in in_texts.items()}


def _words_counted_of(text: str) -> set[str]:
    return {
        each if len(each.encode()) <= LONGEST_WORD_COUNTED else OVER_LONG_WORDS
        for each in text.split(" ")
        if each
    }


def all_at_once(app, requests) -> list:
    """Send each (method, url, kwargs) from its own client and thread, released together."""
    start = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def send(index: int, method: str, url: str, kwargs: dict) -> None:
        client = app.test_client()
        start.wait()
        responses[index] = getattr(client, method)(url, **kwargs)

    threads = [
        threading.Thread(target=send, args=(index, *request))
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def planned(
    app: Flask,
    client: FlaskClient,
    query: str,
    marker: str,
    settings: list[str],
    explain: str = "EXPLAIN",
) -> str:
    """The plan of the first statement holding `marker` that answers GET
    /practitioners?query, explained (`explain`: EXPLAIN and its options) after `settings` in a
    transaction rolled back."""
    captured = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if marker in statement:
            captured.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(f"/api/v1/practitioners?{query}").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    (statement, parameters), *_ = captured
    with app.app_context(), db.engine.begin() as connection:
        cursor = connection.connection.cursor()
        for setting in settings:
            cursor.execute(setting)
        cursor.execute(f"{explain} {statement}", parameters)
        plan = "\n".join(line for (line,) in cursor.fetchall())
        connection.rollback()
    return plan
