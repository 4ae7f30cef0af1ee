"""The benchmark data set holds what the API itself would have computed."""

import hashlib
import os

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from bench import generate as generator
from bench.generate import PASSWORD, REFERENCE_TIME, Generator, generate
from directory.booking.models import Availability
from directory.booking.services import refresh_next_available
from directory.credentials.services import refresh_verified_until
from directory.extensions import db
from directory.practitioners.models import Practitioner, codes_key
from directory.testimonials.rating_refresh import refresh_rating
from tests.helpers import words_counted, words_recounted

SCALE = 150

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="the generator loads PostgreSQL with COPY: it runs in the PostgreSQL pass",
)

DERIVED = [
    "rating_count",
    "rating_sum",
    "rating_score",
    *(f"stars_{stars}" for stars in range(1, 6)),
    "verified_until",
    "name_key",
    "city_key",
    "city_match",
    "treatment_keys",
    "language_keys",
    "search_text",
    "next_available",
]


def _generate(app, seed: int = 1) -> None:
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    # next_available as of a fixed moment: the same seed then gives the same rows.
    generate(url.render_as_string(hide_password=False), SCALE, seed, now=REFERENCE_TIME)


def _refresh_due() -> dict[str, object]:
    return dict(
        db.session.execute(select(Availability.practitioner_id, Availability.refresh_due_at)).all()
    )


def _derived_columns() -> dict[str, tuple]:
    practitioners = db.session.scalars(select(Practitioner).order_by(Practitioner.id)).all()
    return {p.id: tuple(getattr(p, column) for column in DERIVED) for p in practitioners}


def test_summaries_keys_and_verified_dates_match_the_api(app):
    _generate(app)
    with app.app_context():
        generated = _derived_columns()
        for practitioner in db.session.scalars(select(Practitioner)):
            refresh_rating(practitioner.id)
            refresh_verified_until(practitioner)
            practitioner.refresh_search_keys()
            practitioner.treatment_keys = codes_key(practitioner.treatments)
            practitioner.language_keys = codes_key(practitioner.languages)
        db.session.flush()
        due = _refresh_due()
        for availability in db.session.scalars(select(Availability)):
            refresh_next_available(availability, REFERENCE_TIME)
        db.session.flush()
        recomputed = _derived_columns()
        assert _refresh_due() == due
        db.session.rollback()
    assert len(generated) == SCALE
    assert generated == recomputed
    # The data set is not trivial: reviews, unrated profiles, verified and unverified ones.
    counts = [row[0] for row in generated.values()]
    assert max(counts) > 20 and min(counts) == 0
    for derived in ("verified_until", "next_available"):
        values = [row[DERIVED.index(derived)] for row in generated.values()]
        assert any(v is None for v in values) and any(v is not None for v in values), derived
    # The words of the search text, counted once after the load (its triggers were off).
    assert words_counted(app) == words_recounted(app)


GENERATED = [
    "users",
    "practitioners",
    "certifications",
    "testimonials",
    "gallery_items",
    "availabilities",
]


def _digest() -> str:
    digest = hashlib.sha256()
    for table in GENERATED:
        rows = db.session.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1")).all()
        digest.update(repr(rows).encode())
    return digest.hexdigest()


def test_the_same_seed_gives_the_same_rows_whatever_the_processes(app, monkeypatch):
    monkeypatch.setattr(generator, "CHUNK", 40)  # four chunks
    _generate(app, seed=7)
    with app.app_context():
        first = _digest()
        db.session.execute(sa.text("TRUNCATE practitioners, users CASCADE"))
        db.session.commit()
    monkeypatch.setattr(generator, "processes", lambda: 3)
    _generate(app, seed=7)
    with app.app_context():
        assert _digest() == first


def test_generated_accounts_can_sign_in_and_their_profiles_are_served(app, client):
    _generate(app)
    response = client.post(
        "/api/v1/auth/login",
        json={"email": "practitioner0@bench.example.com", "password": PASSWORD},
    )
    assert response.status_code == 200
    with app.app_context():
        busiest = db.session.scalar(
            select(Practitioner)
            .where(Practitioner.deleted_at.is_(None))
            .order_by(Practitioner.rating_count.desc())
        )
        expected = busiest.rating
    profile = client.get(f"/api/v1/practitioners/{busiest.id}").get_json()
    listed = client.get(f"/api/v1/practitioners/{busiest.id}/testimonials").get_json()
    assert profile["rating"] == expected
    assert listed["total"] == expected["count"] > 0


# Each index of the public schema: name, validity, kind, columns, operator classes, orders
# and collations, and whether it has expressions or a predicate (their text is printed
# differently once rebuilt from the catalog's definition).
INDEXES = sa.text(
    "SELECT i.indexrelid::regclass::text, i.indisvalid, i.indisunique, am.amname, "
    "i.indkey::text, i.indclass::text, i.indoption::text, i.indcollation::text, "
    "i.indexprs IS NOT NULL, i.indpred IS NOT NULL "
    "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
    "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relnamespace = 'public'::regnamespace "
    "ORDER BY 1"
)


def test_the_indexes_set_aside_for_the_load_are_built_again(app):
    with app.app_context():
        migrated = db.session.execute(INDEXES).all()
        db.session.commit()
    _generate(app)
    with app.app_context():
        assert db.session.execute(INDEXES).all() == migrated
        assert db.session.scalar(sa.text("SELECT count(*) FROM availabilities")) > 0


def _broken(*args, **kwargs):
    raise RuntimeError("broken on purpose")


@pytest.mark.parametrize(
    ("owner", "step"),
    [(Generator, "gallery"), (generator, "_draw_directory"), (generator.Sender, "send")],
    ids=["in a worker process", "in the loading process", "sending the rows"],
)
def test_a_generation_that_fails_leaves_every_index(app, monkeypatch, owner, step):
    with app.app_context():
        migrated = db.session.execute(INDEXES).all()
        db.session.commit()
    monkeypatch.setattr(owner, step, _broken)
    with pytest.raises(RuntimeError, match="broken on purpose"):
        _generate(app)
    with app.app_context():
        assert db.session.execute(INDEXES).all() == migrated
