"""Facet counts shared by every worker process through Redis, exact to the last commit.

Counting seven facets reads every match of a broad search (all 100,000 live profiles of an
unfiltered one: about a quarter of a second), yet a few searches (the landing page, a country,
a treatment) ask for the same counts again and again. Answers are kept in Redis under the
search's criteria together with the *search generation*: a counter that every commit changing a
profile, its treatments or its languages increments, so an answer never outlives the data it
was counted from. What moves with the clock instead (today's date decides `verified`) is part of
the key, and an entry expires after ENTRY_SECONDS whatever happens (sooner when it was counted
on a read replica, which may lag behind the generation). Without Redis, or while it
fails, facets are counted in the request as before: the cache only ever saves time.
"""

import hashlib
import json
import logging
from collections.abc import Callable

import redis
from flask import Flask, current_app, g, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from directory.core.db import today
from directory.practitioners.models import (
    Practitioner,
    PractitionerLanguage,
    PractitionerTreatment,
)

ENTRY_SECONDS = 60
# What facets count: a commit that changes one of these starts a new generation.
COUNTED_MODELS = (Practitioner, PractitionerTreatment, PractitionerLanguage)
# Columns that change with every booking and as time passes: no new generation for them.
# Searches that filter on them (`available_within_days`) are counted every time instead.
UNCOUNTED_COLUMNS = {"next_available", "updated_at"}
UNCACHED_ARGUMENTS = {"available_within_days"}
# Arguments that change the page but not the matches.
PAGE_ARGUMENTS = {"page", "per_page", "sort"}

log = logging.getLogger(__name__)


def init_facet_cache(app: Flask) -> None:
    # Sessions note their changes whether or not this app keeps a cache (cheap), so that a
    # cache is right from its first entry.
    if not event.contains(Session, "after_flush", _note_counted_changes):
        event.listen(Session, "after_flush", _note_counted_changes)
        event.listen(Session, "do_orm_execute", _note_bulk_changes)
        event.listen(Session, "after_commit", _start_new_generation)
        event.listen(Session, "after_rollback", _forget_changes)
    url = app.config["FACET_CACHE_URL"]
    if not url:
        return
    timeout, database = app.config["REDIS_TIMEOUT"], app.config["SQLALCHEMY_DATABASE_URI"]
    app.extensions["facet_cache"] = FacetCache(
        redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout),
        # One namespace per database, so that two data sets never share counts.
        f"{app.config['RATELIMIT_KEY_PREFIX']}:facets:{make_url(database).database}",
    )


def cached_facets(args: dict, facets: list[str], count: Callable[[], dict]) -> dict:
    """The facet counts of a search: from the cache when it holds them for the current
    generation, else `count()`ed (and kept)."""
    cache: FacetCache | None = current_app.extensions.get("facet_cache")
    if cache is None or UNCACHED_ARGUMENTS & args.keys():
        return count()
    # Counted on a read replica (core.replicas), an answer may lack the last commits of the
    # primary, up to the lag a replica is allowed: it is kept no longer than that.
    on_a_replica = g.get("database_replica") is not None
    keep = current_app.config["DATABASE_REPLICA_MAX_LAG"] if on_a_replica else ENTRY_SECONDS
    return cache.get_or_count(_criteria_key(args, facets), count, keep)


class FacetCache:
    def __init__(self, client: redis.Redis, namespace: str):
        self.client = client
        self.generation_key = f"{namespace}:generation"
        self.namespace = namespace

    def get_or_count(self, criteria_key: str, count: Callable[[], dict], keep: float) -> dict:
        entry_key = f"{self.namespace}:{criteria_key}"
        try:
            generation, entry = self.client.mget(self.generation_key, entry_key)
        except redis.RedisError as error:
            log.warning("facet cache unavailable, counting: %s", error)
            return count()
        if entry is not None:
            kept = json.loads(entry)
            if kept["generation"] == generation_number(generation):
                return kept["facets"]
        facets = count()
        kept = {"generation": generation_number(generation), "facets": facets}
        try:
            self.client.set(entry_key, json.dumps(kept), px=max(1, round(keep * 1000)))
        except redis.RedisError as error:
            log.warning("facet cache unavailable, not kept: %s", error)
        return facets

    def start_new_generation(self) -> None:
        try:
            self.client.incr(self.generation_key)
        except redis.RedisError as error:
            # Entries of the old generation then live out their ENTRY_SECONDS.
            log.warning("facet cache generation not advanced: %s", error)


def generation_number(stored: bytes | None) -> int:
    return int(stored or 0)


def _criteria_key(args: dict, facets: list[str]) -> str:
    criteria = {name: value for name, value in args.items() if name not in PAGE_ARGUMENTS}
    described = json.dumps(
        {"criteria": criteria, "facets": facets, "today": today()}, sort_keys=True, default=str
    )
    return hashlib.sha256(described.encode()).hexdigest()


def _note_counted_changes(session: Session, flush_context) -> None:
    added_or_deleted = (*session.new, *session.deleted)
    if any(isinstance(instance, COUNTED_MODELS) for instance in added_or_deleted) or any(
        isinstance(instance, COUNTED_MODELS) and _counted_columns_changed(instance)
        for instance in session.dirty
    ):
        session.info["facets_changed"] = True


def _counted_columns_changed(instance) -> bool:
    state = inspect(instance)
    return any(
        state.attrs[name].history.has_changes()
        for name in state.mapper.column_attrs.keys()
        if name not in UNCOUNTED_COLUMNS
    ) or any(state.attrs[r.key].history.has_changes() for r in state.mapper.relationships)


def _note_bulk_changes(state) -> None:
    """UPDATE and DELETE statements run through the session (not the unit of work)."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    if not issubclass(state.bind_mapper.class_, COUNTED_MODELS):
        return
    # The columns an UPDATE sets (SQLAlchemy keeps them in `_values`; None for other forms,
    # which then count as changing everything).
    values = getattr(state.statement, "_values", None) or {}
    written = {getattr(column, "key", column) for column in values}
    if state.is_delete or not written or written - UNCOUNTED_COLUMNS:
        state.session.info["facets_changed"] = True


def _start_new_generation(session: Session) -> None:
    if session.info.pop("facets_changed", False) and has_app_context():
        cache: FacetCache | None = current_app.extensions.get("facet_cache")
        if cache is not None:
            cache.start_new_generation()


def _forget_changes(session: Session) -> None:
    session.info.pop("facets_changed", None)
