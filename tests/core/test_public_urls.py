"""Absolute URLs come from PUBLIC_BASE_URL and MEDIA_BASE_URL, never from the Host header."""

import pytest

from directory import create_app
from directory.config import InsecureConfigurationError, ProductionConfig
from directory.core.media import public_url
from directory.core.urls import absolute_url
from tests.helpers import consent_token, gallery_form, send_multipart

EVIL_HOST = {"Host": "evil.example"}


def upload(client, owner, headers=None) -> dict:
    """An item published with its patient's consent, as its owner sees it (with `headers`)."""
    url = f"/api/v1/practitioners/{owner.practitioner_id}/gallery"
    form = gallery_form()
    response = send_multipart(client, "POST", url, form, owner.headers | (headers or {}))
    assert response.status_code == 201, response.json
    token = consent_token(client.application, form["patient_email"])
    client.post(f"/api/v1/consents/{token}", json={"decision": "granted"}, headers=headers)
    return client.get(url, headers=owner.headers | (headers or {})).json["items"][0]


def image_urls(item: dict) -> list[str]:
    return [item[side][url] for side in ("before", "after") for url in ("url", "thumbnail_url")]


def test_media_urls_are_on_the_configured_base_whatever_the_host_header(client, actors):
    owner = actors.practitioner_with_profile()

    item = upload(client, owner, EVIL_HOST)
    listed = client.get(
        f"/api/v1/practitioners/{owner.practitioner_id}/gallery", headers=EVIL_HOST
    ).json["items"][0]

    for url in image_urls(item) + image_urls(listed):
        assert url.startswith("http://127.0.0.1:8000/media/gallery/"), url
        assert "evil.example" not in url
        assert client.get(url.removeprefix("http://127.0.0.1:8000")).status_code == 200


@pytest.fixture
def cdn_app(config_class):
    class WithCdn(config_class):
        PUBLIC_BASE_URL = "https://api.example.org/"
        MEDIA_BASE_URL = "https://cdn.example.net/directory-media/"

    return create_app(WithCdn)


def test_media_urls_use_media_base_url_when_a_cdn_serves_them(cdn_app):
    from tests.helpers import ActorFactory

    client = cdn_app.test_client()
    owner = ActorFactory(cdn_app, client).practitioner_with_profile()

    item = upload(client, owner, EVIL_HOST)

    for url in image_urls(item):
        assert url.startswith("https://cdn.example.net/directory-media/gallery/"), url


def test_a_private_key_has_no_public_url(app):
    with app.app_context():
        assert public_url("public/gallery/a.jpg") == "http://127.0.0.1:8000/media/gallery/a.jpg"
        with pytest.raises(ValueError):
            public_url("private/documents/a.pdf")


def test_absolute_urls_are_built_on_the_public_base_in_and_out_of_requests(cdn_app):
    expected = "https://api.example.org/api/v1/practitioners/p-1"

    with cdn_app.test_request_context("/", headers=EVIL_HOST):
        assert absolute_url("practitioners.get_profile", practitioner_id="p-1") == expected
    with cdn_app.app_context():
        assert absolute_url("practitioners.get_profile", practitioner_id="p-1") == expected


def test_a_path_prefix_of_the_public_base_is_kept(config_class):
    class Prefixed(config_class):
        PUBLIC_BASE_URL = "https://example.org/directory"

    app = create_app(Prefixed)

    with app.app_context():
        assert absolute_url("health.check_liveness") == "https://example.org/directory/healthz"
        assert (
            public_url("public/gallery/a.jpg")
            == "https://example.org/directory/media/gallery/a.jpg"
        )


@pytest.mark.parametrize(
    "url", ["api.example.org", "ftp://example.org", "https://", "https://x?a=1"]
)
def test_a_malformed_base_url_stops_the_start(config_class, url):
    config = type("Malformed", (config_class,), {"PUBLIC_BASE_URL": url})

    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        create_app(config)


def production_config(config_class, **settings) -> type:
    return type(
        "Production",
        (ProductionConfig,),
        {
            "SECRET_KEY": "s" * 64,
            "JWT_SECRET_KEY": "j" * 64,
            "SQLALCHEMY_DATABASE_URI": config_class.SQLALCHEMY_DATABASE_URI,
            **settings,
        },
    )


def test_production_refuses_to_start_without_a_public_base_url(config_class):
    with pytest.raises(InsecureConfigurationError, match="PUBLIC_BASE_URL"):
        create_app(production_config(config_class, PUBLIC_BASE_URL=""))


def test_production_starts_with_a_public_base_url(config_class):
    app = create_app(production_config(config_class, PUBLIC_BASE_URL="https://api.example.org"))

    assert app.config["PUBLIC_BASE_URL"] == "https://api.example.org"
