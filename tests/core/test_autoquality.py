"""Auto quality steps down after repeated bad reports and back up after calm."""

from __future__ import annotations

import pytest

from plextui.core.autoquality import AutoQuality
from plextui.core.quality import PROFILES, QualityLimits, auto_ladder

LADDER = auto_ladder(QualityLimits())


def test_steps_down_after_three_bad_reports_and_announces_it():
    auto = AutoQuality(LADDER)
    assert auto.report(1, speed=0.8) is None
    assert auto.report(2, speed=0.7) is None
    change = auto.report(3, speed=0.6)
    assert change is not None
    assert (change.previous, change.current) == (PROFILES["1080p"], PROFILES["1080p-10"])
    assert change.message == "Auto quality: 1080p 10 Mbps (transcoder is behind, 0.6×)"
    assert auto.current == PROFILES["1080p-10"]


def test_a_good_report_resets_the_count():
    auto = AutoQuality(LADDER)
    for t, speed in enumerate([0.5, 0.5, 1.5, 0.5, 0.5]):
        assert auto.report(t, speed=speed) is None
    assert auto.current == PROFILES["1080p"]


def test_buffering_counts_and_throttled_does_not():
    auto = AutoQuality(LADDER, bad_reports=2)
    assert auto.report(1, speed=0.2, throttled=True) is None
    assert auto.report(2, speed=0.2, throttled=True) is None
    assert auto.report(3, buffering=True) is None
    change = auto.report(4, buffering=True)
    assert change is not None and change.reason == "buffering"


def test_steps_back_up_after_a_stable_period():
    auto = AutoQuality(LADDER, bad_reports=1, stable_seconds=60)
    auto.report(10, speed=0.5)
    auto.report(20, speed=0.5)
    assert auto.current == PROFILES["720p"]
    assert auto.report(79, speed=1.2) is None
    change = auto.report(80, speed=1.2)
    assert change is not None and change.current == PROFILES["1080p-10"]
    assert change.reason == "stable for 60 s"
    assert auto.report(139, speed=1.2) is None
    assert auto.report(140, speed=1.2).current == PROFILES["1080p"]
    assert auto.report(1000, speed=1.2) is None  # already at the top


def test_stays_at_the_bottom():
    auto = AutoQuality(LADDER, bad_reports=1)
    changes = [auto.report(t, speed=0.1) for t in range(10)]
    assert sum(c is not None for c in changes) == len(LADDER) - 1
    assert auto.current == PROFILES["360p"]


def test_needs_a_rung():
    with pytest.raises(ValueError):
        AutoQuality(())
