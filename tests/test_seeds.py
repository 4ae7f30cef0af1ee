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
