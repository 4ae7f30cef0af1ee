"""Public media under /media/...: only server-generated names under public/ can be reached."""

import re

from flask import Blueprint, Response

from directory.core.errors import NotFoundError
from directory.core.media import PUBLIC_PREFIX, media_store
from directory.core.uploads import IMAGE_CONTENT_TYPES as CONTENT_TYPES

blp = Blueprint("media", __name__)

# folder/name.ext, as media.new_key makes them: no dots, slashes or encodings to play with.
PUBLIC_NAME = re.compile(r"[A-Za-z0-9_-]+/[A-Za-z0-9_-]+\.(?P<extension>[a-z]+)")


@blp.get("/media/<path:name>")
def serve_media(name: str) -> Response:
    match = PUBLIC_NAME.fullmatch(name)
    extension = match and match["extension"]
    data = media_store().load(PUBLIC_PREFIX + name) if extension in CONTENT_TYPES else None
    if data is None:
        raise NotFoundError("No such file.")
    response = Response(data, mimetype=CONTENT_TYPES[extension])
    # Names are never reused, so a file never changes.
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
