"""Security headers on every response (API JSON, media, documents and the docs page alike).
Cache-Control is decided in core.caching."""

from flask import Flask, Response, request

from directory.core.docs_assets import DOCS_ENDPOINT, docs_page_policy

# JSON, images and problem pages load nothing and are never framed.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": API_POLICY,
}
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

RETRY_AFTER_STATUSES = {429, 503}
PUBLIC_MEDIA_PREFIX = "/media/"


def register_security_headers(app: Flask) -> None:
    """Add the headers in an after_request hook that sees what the other hooks added.

    Flask runs after_request hooks in the reverse order of their registration: register this
    one before the extensions (Flask-Limiter, flask-cors) so that it runs after theirs.
    """
    headers = dict(SECURITY_HEADERS)
    # Over plain http a browser ignores HSTS, and a development server must stay reachable.
    if app.config["PUBLIC_BASE_URL"].startswith("https://"):
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY

    @app.after_request
    def _add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if request.endpoint == DOCS_ENDPOINT and response.status_code == 200:
            response.headers["Content-Security-Policy"] = docs_page_policy(response.get_data())
        # Flask-Limiter adds Retry-After to every limited response; it means "come back later"
        # and belongs to 429 and 503 only.
        if response.status_code not in RETRY_AFTER_STATUSES:
            response.headers.pop("Retry-After", None)
        if response.status_code == 204:
            # werkzeug already sends no body and no Content-Length; nor is there a content type.
            response.headers.pop("Content-Type", None)
        if request.path.startswith(PUBLIC_MEDIA_PREFIX):
            # Public images may be embedded and read (canvas) by any site; CORS is in create_app.
            response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response
