import pytest

from directory.practitioners import search as search_module


@pytest.fixture
def cap_of_two(monkeypatch):
    """Totals exact up to 2 matches only, so that a few profiles are a broad search."""
    # The cap is built into the statements a process keeps: forget them on both sides.
    built_with_the_cap = (search_module._page_statement, search_module._told_by_the_words)
    for built in built_with_the_cap:
        built.cache_clear()
    monkeypatch.setattr(search_module, "EXACT_TOTAL_UP_TO", 2)
    yield
    for built in built_with_the_cap:
        built.cache_clear()
