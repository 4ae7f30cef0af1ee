"""The session helpers of core.db, on the test database."""

from sqlalchemy import inspect, select

from directory.accounts.models import User
from directory.core.db import commit_as_flushed
from directory.extensions import db


def test_a_commit_as_flushed_keeps_only_what_is_served(app, actors, count_statements):
    first, second = actors.patient(), actors.patient()
    with app.app_context():
        served, other = (db.session.get(User, actor.id) for actor in (first, second))
        served.full_name = other.full_name = "Renamed"

        commit_as_flushed(db.session(), served)

        assert count_statements(lambda: served.full_name) == 0  # kept as flushed
        assert inspect(other).expired  # as a plain commit leaves it
        assert db.session().expire_on_commit  # the session's own setting is back
        stored = db.session.scalars(select(User.full_name).where(User.id == served.id)).one()
        assert stored == "Renamed"
