"""Erasure: DELETE /api/v1/auth/me leaves no row and no file that names the person.

The check reads the models: every column that can name a person (a foreign key to users.id, a
column named like an email, a user, author, patient or reporter id) is searched for the erased
person's id and address. A new table with such a column must be handled in
directory/privacy/erasure.py (and export.py) and listed in PERSON_COLUMNS below.
"""

import re
from pathlib import Path

from sqlalchemy import String, func, or_, select

from directory.extensions import db
from tests.helpers import (
    PASSWORD,
    document_form,
    gallery_form,
    mails,
    published_gallery_item,
    request_consultation,
    reviewed,
    send_multipart,
)

PERSON_NAMED = re.compile(
    r"(^|_)email$|(^|_)(user|author|patient|reporter|actor)_id$|^reviewed_by$"
)
# Every column that names a person, and what erasure does to it (directory/privacy/erasure.py).
PERSON_COLUMNS = {
    ("users", "id"): "the account row is deleted",
    ("users", "email"): "the account row is deleted",
    ("practitioners", "user_id"): "profiles deleted for real",
    ("practitioners", "email"): "profiles deleted for real",
    ("account_tokens", "user_id"): "deleted",
    ("account_tokens", "new_email"): "deleted with the account's tokens",
    ("token_sessions", "user_id"): "deleted",
    ("notification_preferences", "user_id"): "deleted",
    ("mail_outbox", "user_id"): "mails to the person deleted",
    ("consultations", "patient_id"): "cancelled if open, nulled",
    ("testimonials", "author_id"): "deleted, ratings recomputed",
    ("testimonial_reports", "reporter_id"): "deleted",
    ("testimonial_helpful_votes", "user_id"): "deleted, helpful counts one less",
    ("invitations", "email"): "received ones deleted",
    ("gallery_items", "patient_email"): "photos of the person deleted (consent revoked)",
    ("certifications", "reviewed_by"): "nulled (the audit log keeps the admin's id)",
    ("audit_log", "actor_id"): "kept: ids only",
}
# Every table that hangs on a practitioner profile: erased with it (erasure._profiles), or, for
# the records of the other party, kept without the link.
PROFILE_COLUMNS = {
    ("practitioner_treatments", "practitioner_id"): "deleted with the profile",
    ("practitioner_languages", "practitioner_id"): "deleted with the profile",
    ("certifications", "practitioner_id"): "deleted, documents removed",
    ("gallery_items", "practitioner_id"): "deleted, files removed",
    ("invitations", "practitioner_id"): "deleted",
    ("testimonials", "practitioner_id"): "deleted",
    ("consultations", "practitioner_id"): "cancelled if open, nulled",
    ("availabilities", "practitioner_id"): "deleted with the profile (ON DELETE CASCADE)",
    ("verified_treatments", "practitioner_id"): "deleted with the profile",
    ("verified_credentials", "practitioner_id"): "released; numbers kept as keyed hashes only",
}
# Columns that hold a person's id or address without saying so in their name.
UNNAMED = {("mail_outbox", "recipient"), ("idempotency_keys", "caller")}


def person_columns() -> set[tuple[str, str]]:
    found = set()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            refers_to_users = any(fk.column.table.name == "users" for fk in column.foreign_keys)
            if refers_to_users or PERSON_NAMED.search(column.name):
                found.add((table.name, column.name))
    return found | {("users", "id")}


def test_every_column_that_names_a_person_is_handled(app):
    with app.app_context():
        unhandled = person_columns() - PERSON_COLUMNS.keys()
    assert not unhandled, (
        f"{sorted(unhandled)} can name a person: erase it in directory/privacy/erasure.py, "
        "export it in directory/privacy/export.py, and list it in PERSON_COLUMNS"
    )


def test_every_table_that_hangs_on_a_profile_is_handled(app):
    with app.app_context():
        found = {
            (table.name, column.name)
            for table in db.metadata.sorted_tables
            for column in table.columns
            if any(fk.column.table.name == "practitioners" for fk in column.foreign_keys)
        }
    unhandled = found - PROFILE_COLUMNS.keys()
    assert not unhandled, (
        f"{sorted(unhandled)} hang on a profile: erase them with it in "
        "directory/privacy/erasure.py (_profiles), and list them in PROFILE_COLUMNS"
    )


def rows_naming(app, user_id: str, email: str) -> dict[str, int]:
    """How many rows of each table name the person, over every person column."""
    ids = {user_id, f"account:{user_id}"}
    found = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [
                column
                for column in table.columns
                if (table.name, column.name) in PERSON_COLUMNS.keys() | UNNAMED
                and isinstance(column.type, String)
            ]
            if not columns:
                continue
            condition = or_(
                *(column.in_(ids) | (func.lower(column) == email) for column in columns)
            )
            count = db.session.scalar(select(func.count()).select_from(table).where(condition))
            if count:
                found[table.name] = count
    return found


def stored_files(app) -> set[str]:
    root = Path(app.config["MEDIA_ROOT"])
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def erase(client, actor, password=PASSWORD):
    return client.delete("/api/v1/auth/me", json={"password": password}, headers=actor.headers)


def rating(client, practitioner) -> dict:
    return client.get(f"/api/v1/practitioners/{practitioner.practitioner_id}").json["rating"]


def test_a_patient_is_erased_everywhere_and_ratings_stay_exact(client, app, actors):
    patient, other_patient = actors.patient(), actors.patient()
    practitioner = actors.practitioner_with_profile()
    reviewed(client, patient, practitioner, rating=1)
    reviewed(client, other_patient, practitioner, rating=5)
    kept = reviewed(client, other_patient, practitioner, rating=4)
    client.post(
        f"/api/v1/testimonials/{kept['id']}/reports",
        json={"reason": "Spam"},
        headers=patient.headers,
    )
    helpful = f"/api/v1/testimonials/{kept['id']}/helpful"
    assert client.put(helpful, headers=patient.headers).json["helpful_count"] == 1
    open_consultation = request_consultation(client, patient, practitioner)
    client.post(
        f"/api/v1/practitioners/{practitioner.practitioner_id}/invitations",
        json={"email": patient.email},
        headers=practitioner.headers,
    )
    files = stored_files(app)
    photo = published_gallery_item(app, client, practitioner, patient_email=patient.email)
    client.put(
        "/api/v1/auth/me/notifications",
        json=dict.fromkeys(("consultations", "bookings", "testimonials", "certifications"), False),
        headers=patient.headers,
    )
    assert rating(client, practitioner)["count"] == 3

    assert erase(client, patient, "wrong password").status_code == 401
    assert erase(client, patient).status_code == 204

    assert rows_naming(app, patient.id, patient.email) == {"mail_outbox": 1}  # the confirmation
    assert [m.event for m in mails(app, patient.email)] == ["account-deleted"]
    assert rating(client, practitioner)["average"] == 4.5
    assert rating(client, practitioner)["count"] == 2
    reviews = client.get(f"/api/v1/practitioners/{practitioner.practitioner_id}/testimonials")
    assert {r["id"]: r["helpful_count"] for r in reviews.json["items"]}[kept["id"]] == 0
    assert stored_files(app) == files  # the photos of the person are gone
    assert client.get(photo["before"]["url"].removeprefix("http://localhost")).status_code == 404
    assert mails(app, practitioner.email, "gallery-consent-declined")
    consultation = client.get(
        f"/api/v1/consultations/{open_consultation['id']}", headers=practitioner.headers
    ).json
    assert (consultation["status"], consultation["patient"], consultation["patient_id"]) == (
        "cancelled",
        None,
        None,
    )
    assert client.get("/api/v1/auth/me", headers=patient.headers).status_code == 401


def test_a_practitioner_is_erased_with_profile_documents_and_photos(client, app, actors):
    practitioner = actors.practitioner_with_profile()
    patient = actors.patient()
    files = stored_files(app)
    base = f"/api/v1/practitioners/{practitioner.practitioner_id}"
    certification = client.post(
        f"{base}/certifications",
        json={"name": "DU", "issuing_body": "Université", "issued_on": "2020-01-01"},
        headers=practitioner.headers,
    ).json
    send_multipart(
        client,
        "PUT",
        f"{base}/certifications/{certification['id']}/document",
        document_form(),
        practitioner.headers,
    )
    published_gallery_item(app, client, practitioner)
    send_multipart(client, "POST", f"{base}/gallery", gallery_form(), practitioner.headers)
    review = reviewed(client, patient, practitioner)
    booked = request_consultation(client, patient, practitioner)
    admin = actors.admin()
    client.post(
        f"/api/v1/admin/certifications/{certification['id']}/reject",
        json={"reason": "Not the license of Dr Durand"},
        headers=admin.headers,
    )

    assert erase(client, practitioner).status_code == 204

    assert rows_naming(app, practitioner.id, practitioner.email) == {"mail_outbox": 1}
    assert stored_files(app) == files
    assert client.get(base).status_code == 404
    assert client.get(f"/api/v1/testimonials/{review['id']}").status_code in (404, 405)
    seen = client.get(f"/api/v1/consultations/{booked['id']}", headers=patient.headers).json
    assert (seen["status"], seen["practitioner"], seen["practitioner_id"]) == (
        "cancelled",
        None,
        None,
    )
    listed = client.get("/api/v1/consultations", headers=patient.headers)
    assert listed.status_code == 200 and listed.json["total"] == 2
    log = client.get("/api/v1/admin/audit-log", headers=admin.headers).json["items"]
    assert [(e["action"], e["target_id"], e["detail"]) for e in log] == [
        ("certification.reject", certification["id"], {})  # ids only
    ]


def test_a_suspended_practitioner_erased_leaves_the_directory_total_as_it_was(client, actors):
    # A suspended profile is not among the listed ones that an unfiltered search counts.
    actors.practitioner_with_profile(full_name="Dr Ana Listed")
    suspended = actors.practitioner_with_profile(full_name="Dr Bea Suspended")
    response = client.post(
        f"/api/v1/admin/practitioners/{suspended.practitioner_id}/suspend",
        json={"reason": "Board letter.", "notice": "Suspended."},
        headers=actors.admin().headers,
    )
    assert response.status_code == 200

    assert erase(client, suspended).status_code == 204

    listing = client.get("/api/v1/practitioners").json
    assert (listing["total"], len(listing["items"])) == (1, 1)


def test_the_freed_address_registers_again(client, app, actors):
    patient = actors.patient()
    moving_to = "new-address-of-the-patient@example.com"
    client.post(
        "/api/v1/auth/email/change",
        json={"new_email": moving_to, "password": PASSWORD},
        headers=patient.headers,
    )
    assert erase(client, patient).status_code == 204
    assert mails(app, moving_to) == []  # nor a mail to an address they asked to move to

    again = actors.register("patient", email=patient.email)

    assert again.id != patient.id
    me = client.get("/api/v1/auth/me", headers=again.headers).json
    assert (me["email"], me["email_verified"]) == (patient.email, True)


def test_an_admin_is_erased_and_the_audit_log_keeps_their_id(client, app, actors):
    admin, owner = actors.admin(), actors.practitioner_with_profile()
    other_admin = actors.admin()
    item = published_gallery_item(app, client, owner)
    client.delete(
        f"/api/v1/practitioners/{owner.practitioner_id}/gallery/{item['id']}", headers=admin.headers
    )

    assert erase(client, admin).status_code == 204

    log = client.get("/api/v1/admin/audit-log", headers=other_admin.headers).json["items"]
    assert [(e["actor_id"], e["action"]) for e in log] == [(admin.id, "gallery_item.delete")]
    assert rows_naming(app, admin.id, admin.email) == {"mail_outbox": 1, "audit_log": 1}


def test_erasure_needs_the_password_field(client, actors):
    patient = actors.patient()

    response = client.delete("/api/v1/auth/me", json={}, headers=patient.headers)

    assert response.status_code == 422 and "password" in response.json["errors"]


def test_files_that_could_not_be_removed_are_never_served_and_reaped_within_the_hour(
    client, app, actors, monkeypatch
):
    from datetime import timedelta

    from directory.core import media
    from directory.core.db import utcnow
    from directory.housekeeping import run_housekeeping

    practitioner = actors.practitioner_with_profile()
    files = stored_files(app)
    item = published_gallery_item(app, client, practitioner)
    monkeypatch.setattr(media, "discard", lambda *keys: None)  # the store fails after commit

    assert erase(client, practitioner).status_code == 204

    left = stored_files(app) - files
    assert len(left) == 4 and all(name.startswith("pending/") for name in left)
    assert client.get(item["before"]["url"].removeprefix("http://localhost")).status_code == 404
    monkeypatch.undo()
    with app.app_context():
        assert run_housekeeping(utcnow() + timedelta(hours=2))["pending_media_removed"] == 4
    assert stored_files(app) == files
