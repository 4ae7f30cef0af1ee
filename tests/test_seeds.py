def test_seed_loads_a_searchable_demo_directory_and_is_idempotent(runner, client):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    total = client.get("/api/v1/practitioners").json["total"]

    second = runner.invoke(args=["seed"])

    assert second.exit_code == 0, second.output
    assert total >= 30
    assert client.get("/api/v1/practitioners").json["total"] == total
    paris = client.get("/api/v1/practitioners", query_string={"city": "paris"}).json
    assert paris["total"] >= 1
    verified = client.get("/api/v1/practitioners", query_string={"verified": "true"}).json
    assert 0 < verified["total"] < total
    best = client.get("/api/v1/practitioners", query_string={"sort": "rating"}).json["items"][0]
    assert best["rating"]["count"] > 0
    reviews = client.get(f"/api/v1/practitioners/{best['id']}/testimonials").json
    assert reviews["total"] == best["rating"]["count"]
    galleries = [
        client.get(f"/api/v1/practitioners/{p['id']}/gallery").json["total"]
        for p in client.get("/api/v1/practitioners", query_string={"per_page": 100}).json["items"]
    ]
    assert sum(galleries) > 0


def test_seeded_certifications_cover_every_state(runner, client, actors):
    runner.invoke(args=["seed"])
    admin = actors.login("admin@demo.example.com", "demo-password-2026")
    headers = {"Authorization": f"Bearer {admin['access_token']}"}

    for status in ("pending", "verified", "rejected"):
        queue = client.get(
            "/api/v1/admin/certifications", query_string={"status": status}, headers=headers
        ).json
        assert queue["total"] > 0, status


def test_seeded_galleries_hold_granted_pending_and_declined_consents(runner, app):
    from sqlalchemy import select

    from directory.extensions import db
    from directory.gallery.models import GalleryItem
    from directory.mail.models import OutboxMail

    runner.invoke(args=["seed"])

    with app.app_context():
        statuses = set(db.session.scalars(select(GalleryItem.consent_status)))
        declined = db.session.scalars(
            select(OutboxMail).where(OutboxMail.event == "gallery-consent-declined")
        ).all()
    assert statuses == {"granted", "requested"}
    assert declined  # a declined item is deleted: its practitioner's mail remains
