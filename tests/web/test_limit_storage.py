"""The default rate-limit storage: counts in a SQLite file that every process opening it shares.

``tests/serving/test_shared_limits.py`` checks it across the workers of a real server; these
check the counting itself, quickly.
"""

from __future__ import annotations

import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from consult.web.limits import SQLiteStorage


def storage(tmp_path, name: str = "ratelimits.db"):
    return storage_from_string(f"consult+sqlite://{tmp_path / name}")


def test_the_url_scheme_finds_the_storage(tmp_path):
    found = storage(tmp_path)
    assert isinstance(found, SQLiteStorage)
    assert found.check()


def test_two_openers_of_one_file_count_together(tmp_path):
    """As two worker processes do: each has its own connection to the same file."""
    first, second = storage(tmp_path), storage(tmp_path)
    limit = parse("3 per minute")
    hits = [FixedWindowRateLimiter(s).hit(limit, "192.0.2.1") for s in (first, second) * 2]
    assert hits == [True, True, True, False]
    assert first.get(limit.key_for("192.0.2.1")) == 4
    assert FixedWindowRateLimiter(first).hit(limit, "192.0.2.2")  # another address


def test_a_window_ends_and_the_next_one_starts_from_zero(tmp_path):
    counts = storage(tmp_path)
    assert [counts.incr("k", 1) for _ in range(3)] == [1, 2, 3]
    assert time.time() < counts.get_expiry("k") <= time.time() + 1
    time.sleep(1.05)
    assert counts.get("k") == 0
    assert counts.incr("k", 1) == 1


def test_clear_and_reset(tmp_path):
    counts = storage(tmp_path)
    counts.incr("a", 60)
    counts.incr("b", 60)
    counts.clear("a")
    assert (counts.get("a"), counts.get("b")) == (0, 1)
    assert counts.reset() == 1
    assert counts.get("b") == 0
