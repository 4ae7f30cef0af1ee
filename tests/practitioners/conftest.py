import pytest

from directory.practitioners import search as search_module


@pytest.fixture
def cap_of_two(monkeypatch):
    """Totals exact up to 2 matches only, so that a few profiles are a broad search."""
    # The cap is built into the statements a process keeps: forget them on both sides.
    search_module._page_statement.cache_clear()
    monkeypatch.setattr(search_module, "EXACT_TOTAL_UP_TO", 2)
    yield
    search_module._page_statement.cache_clear()
