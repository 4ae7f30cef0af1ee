"""Answers computed from reference data alone, kept by the process.

Treatments and the gazetteer's places are loaded by migrations and never change while the
service runs: a new set comes with a deployment, which restarts it. What is computed from them
alone can be kept instead of asked again: per database (the engine's URL, as tests and the bench
use several), in a bounded LRU, since clients choose the arguments. What is kept is read from the
primary: a read replica may not have replayed the migration yet when a new process starts.
"""

from collections.abc import Callable, Hashable
from functools import lru_cache, wraps
from typing import TypeVar

from directory.core.replicas import on_the_primary
from directory.extensions import db

Answer = TypeVar("Answer")


def kept_per_database(maxsize: int) -> Callable[[Callable[..., Answer]], Callable[..., Answer]]:
    """Decorate a function of reference data (positional, hashable arguments) to compute each
    answer once per database and process, keeping the `maxsize` most recently used."""

    def decorate(compute: Callable[..., Answer]) -> Callable[..., Answer]:
        @lru_cache(maxsize=maxsize)
        def kept(database: Hashable, *args: Hashable) -> Answer:
            with on_the_primary():
                return compute(*args)

        @wraps(compute)
        def answer(*args: Hashable) -> Answer:
            return kept(db.engine.url, *args)

        answer.forget = kept.cache_clear  # type: ignore[attr-defined]  # for tests of a first time
        return answer

    return decorate
