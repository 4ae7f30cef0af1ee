"""The interactive docs at /docs work offline: every asset comes from the API itself."""

import base64
import hashlib
import re

import pytest

REFERENCES = re.compile(r'(?:src|href)="([^"]*)"')
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def docs(client):
    response = client.get("/docs")
    assert response.status_code == 200
    return response


def test_the_docs_page_references_no_external_host(docs):
    page = docs.get_data(as_text=True)

    assert "://" not in page
    assert "//" not in "".join(REFERENCES.findall(page))
    assert "validator.swagger.io" not in page


def test_every_asset_the_page_references_is_served_from_the_api(client, docs):
    assets = REFERENCES.findall(docs.get_data(as_text=True))
    scripts = [url for url in assets if url.endswith(".js")]

    assert scripts and any(url.endswith(".css") for url in assets)
    for url in assets:
        assert url.startswith("/docs/assets/")
        response = client.get(url)
        response.close()  # a file sent by send_from_directory stays open until then
        assert response.status_code == 200, url
        if url in scripts:
            assert response.mimetype in ("text/javascript", "application/javascript")


def test_the_swagger_ui_can_read_the_openapi_3_1_document(client):
    from swagger_ui_bundle import swagger_ui_path

    # Swagger UI renders OpenAPI 3.1 from version 5 on; version 4 shows "Unable to render".
    major = int(swagger_ui_path.name.removeprefix("swagger-ui-").split(".")[0])

    assert client.get("/api/v1/openapi.json").json["openapi"].startswith("3.1")
    assert major >= 5


def test_only_the_page_s_own_assets_are_served(client):
    for name in ("index.html", "swagger-initializer.js", "..%2F__init__.py", "nothing.js"):
        assert client.get(f"/docs/assets/{name}").status_code == 404


def test_the_docs_policy_allows_the_assets_and_the_inline_script_only(docs):
    policy = directives(docs.headers["Content-Security-Policy"])
    (inline,) = INLINE_SCRIPT.findall(docs.get_data(as_text=True))
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()

    assert policy["default-src"] == ["'none'"]
    assert sorted(policy["script-src"]) == sorted(["'self'", f"'sha256-{digest}'"])
    assert policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in docs.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in docs.headers["Content-Security-Policy"]


def test_the_api_keeps_its_restrictive_policy(client):
    policy = directives(client.get("/api/v1/openapi.json").headers["Content-Security-Policy"])

    assert policy["default-src"] == ["'none'"]
    assert "script-src" not in policy
