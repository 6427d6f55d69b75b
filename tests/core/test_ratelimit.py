"""Flow control with an injected clock: buckets, coalescing, min interval, backoff."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plextui.core.commands import VolumeChange
from plextui.core.ratelimit import Backoff, Coalescer, MinInterval, RateLimiter, TokenBucket
from plextui.core.timecode import SeekTarget


def test_token_bucket_allows_a_burst_then_refills():
    bucket = TokenBucket(rate=1.0, burst=3)
    assert [bucket.allow(0) for _ in range(4)] == [True, True, True, False]
    assert bucket.retry_after(0) == pytest.approx(1.0)
    assert not bucket.allow(0.5)
    assert bucket.allow(1.0)
    assert bucket.allow(100) and bucket.allow(100) and bucket.allow(100)
    assert not bucket.allow(100)


def test_token_bucket_rejects_bad_settings():
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1)


def test_rate_limiter_is_per_key_and_bounded():
    limiter = RateLimiter(rate=0.5, burst=2, max_keys=2)
    assert limiter.allow("ann", 0) and limiter.allow("ann", 0)
    assert not limiter.allow("ann", 0)
    assert limiter.retry_after("ann", 0) == pytest.approx(2.0)
    assert limiter.allow("bob", 0)
    assert limiter.allow("cid", 100)  # prunes the full buckets
    assert limiter.retry_after("nobody", 0) == 0.0


def test_coalescer_latest_wins_within_the_window():
    seeks = Coalescer[SeekTarget](window=1.0)
    for t, ms in [(0.0, 10_000), (0.3, 20_000), (0.9, 30_000)]:
        seeks.push(SeekTarget(ms), t)
    assert seeks.next_due == 1.0
    assert seeks.pop_due(0.99) is None
    assert seeks.pop_due(1.0) == SeekTarget(30_000)
    assert seeks.pop_due(5.0) is None and seeks.next_due is None


def test_coalescer_accumulates_relative_steps():
    seeks = Coalescer(0.5, SeekTarget.then)
    for i in range(5):
        seeks.push(SeekTarget(10_000, relative=True), i * 0.05)
    assert seeks.pop_due(0.5) == SeekTarget(50_000, relative=True)
    volume = Coalescer(0.5, VolumeChange.then)
    for _ in range(10):
        volume.push(VolumeChange(5, relative=True), 0)
    assert volume.flush() == VolumeChange(50, relative=True)
    for _ in range(30):
        volume.push(VolumeChange(5, relative=True), 0)
    assert volume.flush() == VolumeChange(100, relative=True)


def test_min_interval_sends_at_most_one_per_interval_latest_wins():
    gate = MinInterval[str](15.0)
    assert gate.offer("a", 0) == "a"
    assert gate.offer("b", 1) is None
    assert gate.offer("c", 2) is None
    assert gate.next_due == 15.0
    assert gate.pop_due(14.9) is None
    assert gate.pop_due(15.0) == "c"
    assert gate.next_due is None and gate.pop_due(99) is None
    assert gate.offer("d", 29) is None
    assert gate.offer("e", 31) == "e"
    assert gate.next_due is None


def test_backoff_grows_caps_and_resets():
    backoff = Backoff(base=1, factor=2, cap=10, jitter=0.5, rng=lambda: 0.0)
    assert [backoff.next() for _ in range(6)] == [1, 2, 4, 8, 10, 10]
    backoff.reset()
    assert backoff.next() == 1
    assert Backoff(base=1, jitter=0.5, rng=lambda: 1.0).delay(2) == 2.0


@given(st.lists(st.integers(-100, 100), min_size=1, max_size=50), st.integers(0, 100))
def test_coalesced_volume_is_one_step_equal_to_the_clamped_running_sum(steps, start):
    merged = Coalescer(1.0, VolumeChange.then)
    expected = 0
    for step in steps:
        merged.push(VolumeChange(step, relative=True), 0)
        expected = max(-100, min(100, expected + step))
    result = merged.flush()
    assert result == VolumeChange(expected, relative=True)
    assert 0 <= result.apply(start) <= 100


@given(st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=30))
def test_coalesced_relative_seeks_sum(offsets):
    merged = Coalescer(1.0, SeekTarget.then)
    for ms in offsets:
        merged.push(SeekTarget(ms, relative=True), 0)
    assert merged.flush() == SeekTarget(sum(offsets), relative=True)


@given(
    st.floats(0.01, 10),
    st.floats(1.0, 4.0),
    st.floats(0.01, 600),
    st.floats(0, 1),
    st.lists(st.floats(0, 1), min_size=1, max_size=30),
)
def test_backoff_delays_stay_within_bounds(base, factor, cap, jitter, draws):
    rolls = iter(draws * 2)
    backoff = Backoff(base, factor, cap, jitter, rng=lambda: next(rolls))
    for attempt in range(len(draws)):
        delay = backoff.next()
        raw = min(cap, base * factor**attempt)
        assert raw * (1 - jitter) - 1e-9 <= delay <= min(cap, raw) + 1e-9
