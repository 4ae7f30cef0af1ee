"""Absolute URLs, built from PUBLIC_BASE_URL.

Never from the request's Host header: a client chooses that header, and a URL built from it
would send the next reader (or a shared cache) to the client's host.
"""

from urllib.parse import urlsplit

from flask import Flask, current_app


def checked_base_url(name: str, value: str) -> str:
    """`value` without its trailing slash, or a clear error if it is not an absolute http(s) URL."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            f"{name} must be an absolute http(s) URL without query or fragment, "
            f"for example https://api.example.org (got {value!r})"
        )
    return value.rstrip("/")


def init_public_urls(app: Flask) -> None:
    """Check the configured bases once, at start-up, rather than on every URL built."""
    config = app.config
    config["PUBLIC_BASE_URL"] = checked_base_url("PUBLIC_BASE_URL", config["PUBLIC_BASE_URL"])
    if config["MEDIA_BASE_URL"]:
        config["MEDIA_BASE_URL"] = checked_base_url("MEDIA_BASE_URL", config["MEDIA_BASE_URL"])


def absolute_url(endpoint: str, **values) -> str:
    """The public, absolute URL of an endpoint, for `Location` headers and links.

    Works outside a request too (mail, CLI): the URL map is bound to the configured base, path
    prefix included, instead of to the current request.
    """
    app = current_app
    base = urlsplit(app.config["PUBLIC_BASE_URL"])
    app.inject_url_defaults(endpoint, values)
    adapter = app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def absolute_path_url(path: str) -> str:
    """The public, absolute URL of a path of this API (`/problems/not-found`...)."""
    return current_app.config["PUBLIC_BASE_URL"] + path
