import re


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


# What a text about each treatment talks about; a text must name its own subject and no other.
SUBJECTS = {
    "anti-aging": r"\blines\b",
    "skin-rejuvenation": r"\bcomplexion\b",
    "hair-restoration": r"\bhair\b",
    "fat-reduction": r"\bfat\b",
    "cellulite": r"\bcellulite\b",
    "pigmentation": r"\bspots\b|\bpigmentation\b",
    "acne-scars": r"\bacne\b",
    "under-eye": r"\bcircles\b",
    "stretch-marks": r"\bstretch marks\b",
}


def talks_only_about(text: str, treatment: str) -> bool:
    mentioned = {slug for slug, words in SUBJECTS.items() if re.search(words, text, re.I)}
    return mentioned == {treatment}


def test_every_demo_review_and_caption_matches_its_treatment(runner, client):
    runner.invoke(args=["seed"])
    listed = client.get("/api/v1/practitioners", query_string={"per_page": 100}).json["items"]
    reviews, captions = [], []
    for practitioner in listed:
        base = f"/api/v1/practitioners/{practitioner['id']}"
        reviews += client.get(f"{base}/testimonials?per_page=100").json["items"]
        captions += client.get(f"{base}/gallery?per_page=100").json["items"]

    assert reviews and captions
    for review in reviews:
        assert talks_only_about(review["body"], review["treatment"]), review
    for item in captions:
        assert talks_only_about(item["caption"], item["treatment"]), item


def test_demo_data_shows_the_trust_features(runner, client, actors):
    runner.invoke(args=["seed"])
    admin = actors.login("admin@demo.example.com", "demo-password-2026")
    headers = {"Authorization": f"Bearer {admin['access_token']}"}
    hits = client.get("/api/v1/practitioners", query_string={"per_page": 100}).json["items"]
    profiles = [client.get(f"/api/v1/practitioners/{hit['id']}").json for hit in hits]
    reviews = [
        review
        for hit in hits
        for review in client.get(f"/api/v1/practitioners/{hit['id']}/testimonials").json["items"]
    ]

    assert any(hit["verified_treatments"] for hit in hits)
    assert any(p["rating"]["aspects"]["results"] is not None for p in profiles)
    assert any(p["review_integrity"]["testimonials_from_invitations"] for p in profiles)
    assert any(review["helpful_count"] > 0 for review in reviews)
    assert any(review["cost"] and review["worth_it"] for review in reviews)
    pending = client.get("/api/v1/admin/certifications?per_page=100", headers=headers).json
    assert any(item["conflicts"]["profiles"] for item in pending["items"])
    log = client.get("/api/v1/admin/audit-log?per_page=100", headers=headers).json["items"]
    suspended = next(e["target_id"] for e in log if e["action"] == "practitioner.suspend")
    assert client.get(f"/api/v1/practitioners/{suspended}").json["suspension"]["notice"]


def test_most_demo_practitioners_take_bookings(runner, client):
    runner.invoke(args=["seed"])

    listed = client.get("/api/v1/practitioners", query_string={"per_page": 100}).json
    available = client.get(
        "/api/v1/practitioners", query_string={"per_page": 100, "available_within_days": 14}
    ).json
    assert available["total"] > listed["total"] / 2
    first = client.get("/api/v1/practitioners", query_string={"sort": "soonest"}).json["items"][0]
    assert first["next_available"] is not None
    slots = client.get(
        f"/api/v1/practitioners/{first['id']}/slots",
        query_string={"from": first["next_available"][:10], "to": first["next_available"][:10]},
    ).json
    assert slots["slots"]


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
