"""Files leave with their rows: races between a removal and a write still leaving pending/.

The simultaneous consent decisions of tests/privacy/test_consent.py meet these races by chance;
here the store makes a staged file arrive at the one moment that matters, every time.
"""

import pytest

from directory.core.media import PENDING_PREFIX, LocalMediaStore, removed_on_commit

KEY = "public/gallery/late.jpg"


class ArrivingLate(LocalMediaStore):
    """A store where a staged file reaches `key` just after a move looked for it there."""

    def __init__(self, root: str, key: str):
        super().__init__(root)
        self.late: str | None = key

    def move(self, key: str, new_key: str) -> None:
        if key == self.late:
            self.late = None
            self.save(key, b"photo", "image/jpeg")  # the write's own move, a moment late
            raise FileNotFoundError(key)
        super().move(key, new_key)


@pytest.fixture
def store(app, monkeypatch) -> ArrivingLate:
    store = ArrivingLate(app.config["MEDIA_ROOT"], KEY)
    monkeypatch.setitem(app.extensions, "media_store", store)
    return store


def test_a_file_arriving_while_its_removal_looks_for_it_is_removed(app, store):
    with app.app_context(), removed_on_commit(KEY):
        pass

    assert store.load(KEY) is None and store.load(PENDING_PREFIX + KEY) is None


def test_a_file_arriving_while_its_removal_looks_for_it_is_back_if_the_removal_fails(app, store):
    with pytest.raises(RuntimeError), app.app_context(), removed_on_commit(KEY):
        raise RuntimeError("the commit failed")

    assert store.load(KEY) == b"photo" and store.load(PENDING_PREFIX + KEY) is None
