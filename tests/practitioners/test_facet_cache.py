"""Facet counts kept in a real Redis (practitioners.facet_cache): read from it when repeated,
never older than the last commit, and counted anyway when Redis is away."""

import os
import uuid
from datetime import date, timedelta

import pytest
import redis
import time_machine
from flask import g

from directory.practitioners.facet_cache import FacetCache, cached_facets
from tests.helpers import book, free_slots, publish_availability, reviewed

SEARCH = "/api/v1/practitioners"
ALL_FACETS = "treatment,language,city,country,verified,rating,price"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def facet_cache(app):
    """A cache of its own in the Redis every CI run has (the suite fails without it)."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    client.ping()
    namespace = f"test-facets:{uuid.uuid4().hex}"
    app.extensions["facet_cache"] = cache = FacetCache(client, namespace)
    yield cache
    app.extensions.pop("facet_cache")
    client.delete(*client.keys(f"{namespace}:*") or [f"{namespace}:none"])
    client.close()


def facets(client, query: str = "") -> dict:
    answer = client.get(f"{SEARCH}?facets={ALL_FACETS}{query}")
    assert answer.status_code == 200, answer.json
    return answer.json["facets"]


def counted_afresh(app, client, query: str = "") -> dict:
    """The same facets counted without the cache."""
    cache = app.extensions.pop("facet_cache")
    try:
        return facets(client, query)
    finally:
        app.extensions["facet_cache"] = cache


def test_a_repeated_search_takes_its_facets_from_the_cache(
    app, client, actors, facet_cache, count_statements
):
    actors.practitioner_with_profile(full_name="Dr Anna Huber", city="München", country="DE")
    actors.practitioner_with_profile(full_name="Dr Dora Petit")
    first = count_statements(lambda: facets(client, "&country=DE"))
    again = count_statements(lambda: facets(client, "&country=DE&sort=name&per_page=1"))

    assert again == first - 1  # the page's own statements only
    assert facets(client, "&country=DE") == counted_afresh(app, client, "&country=DE")
    assert facets(client, "&country=FR") == counted_afresh(app, client, "&country=FR")
    assert facets(client, "&country=FR") != facets(client, "&country=DE")


def test_every_change_to_what_facets_count_shows_at_once(app, client, actors, admin, facet_cache):
    owner = actors.practitioner_with_profile(full_name="Dr Anna Huber", city="München")
    facets(client)  # cached from here on

    def assert_current() -> None:
        for query in ("", "&language=de", "&treatment=anti-aging"):
            assert facets(client, query) == counted_afresh(app, client, query)

    changes = [
        lambda: actors.practitioner_with_profile(full_name="Dr Ben Maier", languages=["de"]),
        lambda: reviewed(client, actors.patient(), owner, rating=2),
        lambda: client.patch(
            f"{SEARCH}/{owner.practitioner_id}",
            json={"treatments": ["cellulite"], "languages": ["de", "it"], "city": "Köln"},
            headers=owner.headers,
        ),
        lambda: verify(client, owner, admin),
        lambda: client.delete(f"{SEARCH}/{owner.practitioner_id}", headers=owner.headers),
    ]
    for change in changes:
        before = facets(client)
        change()
        assert_current()
        assert facets(client) != before


@pytest.mark.parametrize("cached", [True, False], ids=["cached", "uncached"])
def test_a_new_day_is_counted_anew(request, client, actors, admin, cached):
    """`verified` depends on the date: a certification that lapses overnight shows the next
    morning, whatever the cache holds and however long the process has run."""
    if cached:
        request.getfixturevalue("facet_cache")
    owner = actors.practitioner_with_profile()
    verify(client, owner, admin, expires_on=date.today() + timedelta(days=1))
    assert facets(client)["verified"] == [{"value": "true", "count": 1}]

    with time_machine.travel(date.today() + timedelta(days=2), tick=False):
        assert facets(client)["verified"] == [{"value": "false", "count": 1}]


def test_facets_are_counted_when_redis_cannot_be_reached(app, client, actors, caplog):
    actors.practitioner_with_profile()
    expected = facets(client)
    nowhere = redis.Redis(host="127.0.0.1", port=closed_port(), socket_connect_timeout=0.5)
    app.extensions["facet_cache"] = FacetCache(nowhere, "unreachable")
    try:
        assert facets(client) == expected
    finally:
        app.extensions.pop("facet_cache")
    assert "facet cache unavailable" in caplog.text


def test_bookings_leave_cached_facets_alone_and_availability_is_counted_each_time(
    client, actors, owner, patient, facet_cache, count_statements
):
    """Every booking moves `next_available`, and time moves it too: facets of searches by
    availability are counted afresh, and the others stay cached through bookings."""
    publish_availability(client, owner)
    first, last = (date.today() + timedelta(days=days) for days in (2, 9))
    facets(client)
    generation = facet_cache.client.get(facet_cache.generation_key)

    start = free_slots(client, owner, first.isoformat(), last.isoformat())[0]
    assert book(client, patient, owner, start).status_code == 201
    assert facet_cache.client.get(facet_cache.generation_key) == generation

    available = "&available_within_days=14"
    assert count_statements(lambda: facets(client, available)) == count_statements(
        lambda: facets(client, available)
    )


def verify(client, owner, admin, expires_on: date | None = None) -> None:
    body = {"name": "DU", "issuing_body": "Université", "issued_on": "2020-01-01"}
    if expires_on:
        body["expires_on"] = expires_on.isoformat()
    certification = client.post(
        f"{SEARCH}/{owner.practitioner_id}/certifications", json=body, headers=owner.headers
    ).json
    verified = client.post(
        f"/api/v1/admin/certifications/{certification['id']}/verify", headers=admin.headers
    )
    assert verified.status_code == 200


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_counts_made_on_a_read_replica_are_kept_no_longer_than_its_allowed_lag(app, facet_cache):
    """A replica may not have replayed the last commit yet, though the generation says it: what
    it counted must not outlive the lag a replica is allowed (core.replicas)."""
    with app.test_request_context():
        g.database_replica = object()  # what core.replicas sets for an anonymous read
        cached_facets({"country": "FR"}, ["city"], lambda: {"city": []})
    with app.test_request_context():
        cached_facets({"country": "DE"}, ["city"], lambda: {"city": []})

    lifetimes = sorted(
        facet_cache.client.pttl(key)
        for key in facet_cache.client.keys(f"{facet_cache.namespace}:*")
        if not key.endswith(b":generation")
    )
    assert 0 < lifetimes[0] <= app.config["DATABASE_REPLICA_MAX_LAG"] * 1000
    assert lifetimes[1] > app.config["DATABASE_REPLICA_MAX_LAG"] * 1000
