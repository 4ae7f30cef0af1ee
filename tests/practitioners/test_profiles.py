import pytest
from sqlalchemy import select

from directory.accounts.models import User
from directory.extensions import db
from directory.practitioners import services
from directory.practitioners.models import LiveProfileCount, Practitioner
from tests.helpers import profile_body

PRACTITIONERS = "/api/v1/practitioners"


def profile_url(practitioner_id: str) -> str:
    return f"{PRACTITIONERS}/{practitioner_id}"


def test_a_practitioner_creates_a_profile_and_gets_its_location(client, actors):
    owner = actors.practitioner()

    response = client.post(PRACTITIONERS, json=profile_body(), headers=owner.headers)

    assert response.status_code == 201
    profile = response.json
    assert response.headers["Location"].endswith(profile_url(profile["id"]))
    assert profile["treatments"] == ["anti-aging", "hair-restoration"]
    assert profile["languages"] == ["en", "fr"]
    assert profile["verified"] is False
    assert profile["rating"] == {
        "average": None,
        "count": 0,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
        "aspects": {"results": None, "communication": None, "value": None},
        "worth_it": {"yes": 0, "no": 0, "not_sure": 0},
    }
    assert client.get(response.headers["Location"]).json == profile


def test_me_links_to_the_profile(client, actors):
    owner = actors.practitioner_with_profile()

    assert client.get("/api/v1/auth/me", headers=owner.headers).json["practitioner_id"] == (
        owner.practitioner_id
    )


def test_a_second_profile_is_a_409(client, actors):
    owner = actors.practitioner_with_profile()

    response = client.post(PRACTITIONERS, json=profile_body(), headers=owner.headers)

    assert response.status_code == 409


def test_a_patient_cannot_create_a_profile(client, actors):
    patient = actors.patient()

    assert (
        client.post(PRACTITIONERS, json=profile_body(), headers=patient.headers).status_code == 403
    )


def test_anonymous_writes_are_401(client, actors):
    owner = actors.practitioner_with_profile()

    assert client.post(PRACTITIONERS, json=profile_body()).status_code == 401
    assert client.patch(profile_url(owner.practitioner_id), json={"bio": "x"}).status_code == 401
    assert client.delete(profile_url(owner.practitioner_id)).status_code == 401


def test_the_full_name_defaults_to_the_account_name(client, actors):
    owner = actors.practitioner(full_name="Dr Ana Pereira")
    body = profile_body()
    del body["full_name"]

    response = client.post(PRACTITIONERS, json=body, headers=owner.headers)

    assert response.json["full_name"] == "Dr Ana Pereira"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("country", "XX"),
        ("country", "FRA"),
        ("languages", ["xx"]),
        ("languages", ["fra"]),
        ("currency", "EUX"),
        ("treatments", ["botox-party"]),
        ("email", "not-an-email"),
        ("phone", "12345"),
        ("website", "javascript:alert(1)"),
        ("latitude", 91),
        ("longitude", -181),
        ("price_from", -1),
        ("years_experience", -2),
        ("city", ""),
    ],
)
def test_invalid_values_are_422_naming_the_field(client, actors, field, value):
    owner = actors.practitioner()

    response = client.post(
        PRACTITIONERS, json=profile_body(**{field: value}), headers=owner.headers
    )

    assert response.status_code == 422
    assert field in response.json["errors"]


def test_latitude_without_longitude_is_a_422(client, actors):
    owner = actors.practitioner()
    body = profile_body()
    del body["longitude"]

    assert client.post(PRACTITIONERS, json=body, headers=owner.headers).status_code == 422


@pytest.mark.parametrize(
    "field", ["id", "verified", "rating", "created_at", "updated_at", "user_id", "deleted_at"]
)
def test_server_fields_are_read_only(client, actors, field):
    owner = actors.practitioner_with_profile()

    response = client.patch(
        profile_url(owner.practitioner_id), json={field: "x"}, headers=owner.headers
    )

    assert response.status_code == 422
    assert field in response.json["errors"]


def test_codes_and_phone_are_normalised(client, actors):
    owner = actors.practitioner()

    response = client.post(
        PRACTITIONERS,
        json=profile_body(
            country="fr", languages=["FR"], currency="eur", phone="+33 1 42 68 53 00"
        ),
        headers=owner.headers,
    )

    assert response.status_code == 201
    assert (response.json["country"], response.json["languages"]) == ("FR", ["fr"])
    assert (response.json["currency"], response.json["phone"]) == ("EUR", "+33142685300")


def test_the_owner_updates_part_of_the_profile(client, actors):
    owner = actors.practitioner_with_profile()

    response = client.patch(
        profile_url(owner.practitioner_id),
        json={"bio": "New bio", "treatments": ["cellulite"], "price_from": None},
        headers=owner.headers,
    )

    assert response.status_code == 200
    assert response.json["bio"] == "New bio"
    assert response.json["treatments"] == ["cellulite"]
    assert response.json["price_from"] is None
    assert response.json["city"] == "Paris"


def test_an_update_cannot_leave_half_a_coordinate(client, actors):
    owner = actors.practitioner_with_profile()

    response = client.patch(
        profile_url(owner.practitioner_id), json={"longitude": None}, headers=owner.headers
    )

    assert response.status_code == 422
    assert client.get(profile_url(owner.practitioner_id)).json["longitude"] == 2.3522


def test_required_fields_cannot_be_nulled(client, actors):
    owner = actors.practitioner_with_profile()

    response = client.patch(
        profile_url(owner.practitioner_id), json={"city": None}, headers=owner.headers
    )

    assert response.status_code == 422


@pytest.mark.parametrize("who", ["patient", "other practitioner"])
def test_others_cannot_update_or_delete(client, actors, who):
    owner = actors.practitioner_with_profile()
    other = actors.patient() if who == "patient" else actors.practitioner_with_profile()
    url = profile_url(owner.practitioner_id)

    assert client.patch(url, json={"bio": "hacked"}, headers=other.headers).status_code == 403
    assert client.delete(url, headers=other.headers).status_code == 403
    assert client.get(url).json["bio"] != "hacked"


def test_an_admin_can_update_and_delete(client, actors):
    owner = actors.practitioner_with_profile()
    admin = actors.admin()
    url = profile_url(owner.practitioner_id)

    assert client.patch(url, json={"title": "Dr"}, headers=admin.headers).json["title"] == "Dr"
    assert client.delete(url, headers=admin.headers).status_code == 204

    log = client.get("/api/v1/admin/audit-log", headers=admin.headers).json["items"]
    assert [(e["action"], e["target_id"], e["actor_id"]) for e in log] == [
        ("practitioner.delete", owner.practitioner_id, admin.id)
    ]


def test_a_deleted_profile_leaves_reads_and_search_and_can_be_recreated(client, actors):
    owner = actors.practitioner_with_profile(full_name="Dr Unique Zebulon")
    url = profile_url(owner.practitioner_id)

    assert client.delete(url, headers=owner.headers).status_code == 204

    assert client.get(url).status_code == 404
    assert client.patch(url, json={"bio": "x"}, headers=owner.headers).status_code == 404
    assert client.get(PRACTITIONERS, query_string={"q": "zebulon"}).json["total"] == 0
    assert client.get("/api/v1/auth/me", headers=owner.headers).json["practitioner_id"] is None
    again = client.post(PRACTITIONERS, json=profile_body(), headers=owner.headers)
    assert again.status_code == 201


def test_an_unknown_profile_is_a_404(client):
    assert client.get(profile_url("does-not-exist")).status_code == 404


def test_a_patch_without_body_changes_nothing(client, actors):
    owner = actors.practitioner_with_profile()
    url = profile_url(owner.practitioner_id)
    before = client.get(url).json

    response = client.patch(url, headers=owner.headers)

    assert response.status_code == 200
    assert response.json["bio"] == before["bio"]


def test_a_delete_that_lost_a_race_does_not_count_the_profile_out_again(app, client, actors):
    kept = actors.practitioner_with_profile()
    doomed = actors.practitioner_with_profile()
    with app.app_context():
        profile = db.session.get(Practitioner, doomed.practitioner_id)
        owner = db.session.get(User, profile.user_id)
        services.delete_profile(profile, owner)
        services.delete_profile(profile, owner)  # as a second request that loaded it live
        remaining = db.session.scalar(select(LiveProfileCount.value))

    assert remaining == 1
    listed = client.get("/api/v1/practitioners").json
    assert listed["total"] == 1 and [p["id"] for p in listed["items"]] == [kept.practitioner_id]


def test_a_recreated_profile_is_the_old_one_with_its_reviews(client, owner, actors):
    from tests.helpers import reviewed

    for stars in (1, 1, 1):
        reviewed(client, actors.patient(), owner, rating=stars)
    url = profile_url(owner.practitioner_id)
    assert client.delete(url, headers=owner.headers).status_code == 204

    again = client.post(PRACTITIONERS, json=profile_body(city="Lyon"), headers=owner.headers)

    assert again.status_code == 201
    assert again.json["id"] == owner.practitioner_id
    assert again.json["city"] == "Lyon"
    assert again.json["rating"]["count"] == 3 and again.json["rating"]["average"] == 1.0
    listed = client.get(f"{url}/testimonials").json
    assert listed["total"] == 3
    assert client.get(PRACTITIONERS).json["total"] == 1  # counted live once again


def test_every_201_carries_an_absolute_location_on_the_configured_base(client, owner, patient):
    from tests.helpers import gallery_form, send_multipart

    base = f"/api/v1/practitioners/{owner.practitioner_id}"
    certification = client.post(
        f"{base}/certifications",
        json={"name": "DU", "issuing_body": "Université", "issued_on": "2020-01-01"},
        headers=owner.headers | {"Host": "evil.example"},
    )
    gallery = send_multipart(client, "POST", f"{base}/gallery", gallery_form(), owner.headers)
    consultation = client.post(
        f"{base}/consultations",
        json={"treatment": "anti-aging", "message": "Hello"},
        headers=patient.headers,
    )
    origin = "http://127.0.0.1:8000"
    assert certification.headers["Location"] == (
        f"{origin}{base}/certifications/{certification.json['id']}"
    )
    assert gallery.headers["Location"] == f"{origin}{base}/gallery/{gallery.json['id']}"
    assert consultation.headers["Location"] == (
        f"{origin}/api/v1/consultations/{consultation.json['id']}"
    )
