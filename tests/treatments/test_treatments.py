from directory.treatments.reference import REFERENCE_TREATMENT_SLUGS


def test_the_migrations_write_exactly_the_reference_treatments(client):
    response = client.get("/api/v1/treatments", query_string={"per_page": 100})

    assert response.status_code == 200
    slugs = {item["slug"] for item in response.json["items"]}
    assert slugs == set(REFERENCE_TREATMENT_SLUGS)
    assert {"anti-aging", "skin-rejuvenation", "hair-restoration", "acne-scars"} <= slugs
    assert set(response.json["items"][0]) == {"slug", "name", "description"}


def test_treatments_are_paginated(client):
    response = client.get("/api/v1/treatments", query_string={"per_page": 2, "page": 2})

    body = response.json
    assert len(body["items"]) == 2
    assert body["page"] == 2 and body["per_page"] == 2
    assert body["pages"] == -(-body["total"] // 2)


def test_out_of_range_pagination_is_a_422(client):
    for query in ({"per_page": 0}, {"per_page": 101}, {"page": 0}, {"page": 10**12}):
        response = client.get("/api/v1/treatments", query_string=query)
        assert response.status_code == 422, query
        assert response.mimetype == "application/problem+json"


def test_a_treatment_once_found_is_not_looked_up_again_and_an_unknown_one_always(
    app, client, count_statements
):
    from uuid import uuid4

    from directory.extensions import db
    from directory.treatments.models import Treatment

    # Of this test alone: the process remembers them.
    slugs = [f"test-{uuid4().hex[:12]}", f"test-{uuid4().hex[:12]}"]
    statuses = []

    def search():
        def run():
            query = [("treatment", slug) for slug in slugs]
            statuses.append(client.get("/api/v1/practitioners", query_string=query).status_code)

        return count_statements(run)

    unknown_first, unknown_again = search(), search()
    with app.app_context():
        db.session.add_all(Treatment(slug=slug, name=f"Added later {slug}") for slug in slugs)
        db.session.commit()
    try:
        found_first, found_again = search(), search()
    finally:
        with app.app_context():
            for slug in slugs:
                db.session.delete(db.session.get(Treatment, slug))
            db.session.commit()

    assert statuses == [422, 422, 200, 200]
    assert unknown_again == unknown_first  # looked up every time: they may be added later
    assert found_again == found_first - 1  # one lookup found both
