"""Swagger UI for /docs, served by the API itself from a pinned package: no CDN, works offline.

flask-smorest renders the /docs page from its own template and loads the assets from
OPENAPI_SWAGGER_UI_URL, which config.py points at the route below.
"""

import base64
import hashlib
import re

from flask import Blueprint, Response, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from directory.core.errors import NotFoundError

blp = Blueprint("docs_assets", __name__)

DOCS_ENDPOINT = "api-docs.openapi_swagger_ui"  # flask-smorest's name for the /docs page
# What flask-smorest's page loads, and the source maps a browser's developer tools ask for.
SERVED_ASSETS = {
    name
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js")
    for name in (asset, f"{asset}.map")
}
ONE_DAY = 24 * 3600
# The page's inline scripts: <script> without attributes (the assets carry src=).
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


@blp.get("/docs/assets/<name>")
def docs_asset(name: str) -> Response:
    if name not in SERVED_ASSETS:
        raise NotFoundError("No such file.")
    return send_from_directory(str(swagger_ui_path), name, max_age=ONE_DAY)


def docs_page_policy(page: bytes) -> str:
    """The Content-Security-Policy the /docs page needs, and no more.

    Scripts and styles from this origin; the template's inline script (it configures Swagger
    UI) allowed by its hash rather than by 'unsafe-inline'; the icons that swagger-ui.css embeds
    as data: URIs; fetches of the OpenAPI document and "Try it out" calls to this origin only.
    """
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in INLINE_SCRIPT.findall(page)
    )
    return (
        f"default-src 'none'; script-src 'self'{hashes}; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
