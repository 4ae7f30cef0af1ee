"""HTTP caching, decided in one place for every response.

- An anonymous GET that succeeds is public: it carries an `ETag` and
  `Cache-Control: public, max-age=N`, and a matching `If-None-Match` gets a 304 with no body.
- An answer to an authenticated caller depends on who asks: `private`.
- Tokens and private records (accounts, consultations, documents...) are never stored: `no-store`.
A view that sets its own Cache-Control (media files, documents) keeps it.
"""

from flask import Flask, Request, Response, request

PUBLIC_MAX_AGE = 60
# Reference data changes with a deployment, not with user activity.
LONG_LIVED = {"/api/v1/treatments": 3600}
# Never stored anywhere, whoever asks: tokens, the caller's own account and private records
# (exports and photo consents live under /auth/ and /consents).
NO_STORE_PREFIXES = ("/api/v1/auth/", "/api/v1/consultations", "/api/v1/consents")
TOKEN_FIELDS = (b'"access_token"', b'"refresh_token"')


def _is_authenticated(req: Request) -> bool:
    return "Authorization" in req.headers


def _carries_tokens(response: Response) -> bool:
    if response.mimetype != "application/json" or response.is_streamed:
        return False
    return any(field in response.get_data() for field in TOKEN_FIELDS)


def cache_policy(req: Request, response: Response) -> None:
    if "Cache-Control" in response.headers:
        return
    if req.path.startswith(NO_STORE_PREFIXES) or _carries_tokens(response):
        response.headers["Cache-Control"] = "no-store"
    elif req.method not in ("GET", "HEAD") or response.status_code != 200:
        return
    elif _is_authenticated(req):
        response.headers["Cache-Control"] = "private, no-cache"
        response.vary.add("Authorization")
    else:
        max_age = LONG_LIVED.get(req.path, PUBLIC_MAX_AGE)
        response.headers["Cache-Control"] = f"public, max-age={max_age}"
        response.vary.add("Authorization")
        response.add_etag()
        response.make_conditional(req)


def register_caching(app: Flask) -> None:
    @app.after_request
    def _cache_headers(response: Response) -> Response:
        cache_policy(request, response)
        return response
