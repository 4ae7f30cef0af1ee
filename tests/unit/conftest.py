"""Unit tests need no app and no database: they run in well under a second."""

import pytest


@pytest.fixture(autouse=True)
def _clean_database():
    """Overrides the suite's per-test database cleanup: there is no database here."""
    yield
