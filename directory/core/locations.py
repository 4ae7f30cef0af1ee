"""`Location` on every 201, absolute, built from PUBLIC_BASE_URL (never from the Host header).

A created resource lives at its collection's path plus its id, unless it has a canonical path
of its own (below).
"""

from flask import Flask, Response, request

from directory.core.urls import absolute_path_url

CANONICAL_ITEM_PATHS = {
    "/api/v1/practitioners/<practitioner_id>/consultations": "/api/v1/consultations/{id}",
    "/api/v1/practitioners/<practitioner_id>/bookings": "/api/v1/consultations/{id}",
    "/api/v1/practitioners/<practitioner_id>/testimonials": "/api/v1/testimonials/{id}",
    "/api/v1/auth/register": "/api/v1/auth/me",
}


def _location(response: Response) -> Response:
    if response.status_code != 201 or "Location" in response.headers or not response.is_json:
        return response
    created = response.get_json(silent=True)
    if not isinstance(created, dict) or "id" not in created or request.url_rule is None:
        return response
    template = CANONICAL_ITEM_PATHS.get(request.url_rule.rule, request.path + "/{id}")
    response.headers["Location"] = absolute_path_url(template.format(id=created["id"]))
    return response


def register_locations(app: Flask) -> None:
    app.after_request(_location)
