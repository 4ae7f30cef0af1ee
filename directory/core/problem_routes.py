"""`GET /problems/<slug>`: the page behind every problem's `type` URI."""

from http import HTTPStatus

from flask import Blueprint

from directory.core.errors import NotFoundError
from directory.core.problems import PROBLEM_TYPES, type_uri

blp = Blueprint("problems", __name__)


@blp.get("/problems/<slug>")
def problem_type(slug: str):
    """What a problem type means, for a person reading an error."""
    problem = PROBLEM_TYPES.get(slug)
    if problem is None:
        raise NotFoundError("No such problem type.")
    return {
        "type": type_uri(slug),
        "title": problem.title,
        "status": problem.status,
        "status_phrase": HTTPStatus(problem.status).phrase,
        "description": problem.description,
    }
