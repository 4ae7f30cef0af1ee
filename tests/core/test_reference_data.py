"""Answers computed from reference data are kept by the process (core.reference_data)."""

from flask import g
from sqlalchemy import create_engine

from directory.extensions import db
from directory.places.gazetteer import places_answering


def test_what_is_kept_is_read_from_the_primary(app):
    """A new process may start while a read replica has not replayed the migration that loaded
    the reference data: what it keeps must not come from there. Here the request's replica is
    an empty database, which has no places at all."""
    with app.app_context():
        places_answering.forget()
        g.database_replica = create_engine("sqlite://")

        kept = places_answering("lyon")

        assert kept and g.database_replica is not None
        db.session.rollback()


def test_each_answer_is_asked_once_per_database(app, count_statements):
    with app.app_context():
        places_answering.forget()

        first = count_statements(lambda: places_answering("lyon"))
        again = count_statements(lambda: places_answering("lyon"))

    assert (first, again) == (1, 0)
