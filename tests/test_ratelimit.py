"""The rate limiter (GCRA): a burst up to the limit, then one request per interval."""

from __future__ import annotations

import pytest

from api.ratelimit import Limit, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_up_to_the_limit_then_waiting() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    limit = Limit(5, 60)
    assert [limiter.check("a", limit) for _ in range(5)] == [0.0] * 5
    wait = limiter.check("a", limit)
    assert wait == pytest.approx(12.0)  # one request per 60/5 s
    clock.now += 11.9
    assert limiter.check("a", limit) > 0
    clock.now += 0.2
    assert limiter.check("a", limit) == 0.0
    assert limiter.check("a", limit) > 0  # and only one


def test_keys_are_independent_and_refusals_do_not_count() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    limit = Limit(2, 10)
    assert limiter.check("a", limit) == limiter.check("a", limit) == 0.0
    for _ in range(50):  # hammering while refused does not push the wait further
        assert limiter.check("a", limit) == pytest.approx(5.0)
    assert limiter.check("b", limit) == 0.0
    clock.now += 10
    assert limiter.check("a", limit) == limiter.check("a", limit) == 0.0


def test_memory_stays_bounded() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock, max_keys=100)
    for i in range(1000):
        limiter.check(f"k{i}", Limit(1, 60))
        clock.now += 0.001
    assert len(limiter._tat) <= 100
    clock.now += 120  # all expired: pruned at the next insert
    limiter.check("nieuw", Limit(1, 60))
    assert len(limiter._tat) <= 100
