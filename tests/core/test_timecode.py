"""Time codes: every accepted form, exact errors, and format/parse round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plextui.core.timecode import (
    MAX_MS,
    SeekTarget,
    format_clock,
    format_compact,
    format_offset,
    parse_timecode,
)
from plextui.errors import CommandError

HINT = "use 1:15:30, 75:30, 90, +30s or -1m"


@pytest.mark.parametrize(
    ("text", "ms", "relative"),
    [
        ("1:15:30", 4_530_000, False),
        ("75:30", 4_530_000, False),
        ("90", 90_000, False),
        ("0", 0, False),
        ("0:09", 9_000, False),
        ("90.5", 90_500, False),
        ("1:02:03.25", 3_723_250, False),
        ("1h30m", 5_400_000, False),
        ("30s", 30_000, False),
        ("2M15.5S", 135_500, False),
        ("+30s", 30_000, True),
        ("-1m", -60_000, True),
        ("+1h", 3_600_000, True),
        ("-90", -90_000, True),
        ("+1:30", 90_000, True),
        ("  +1h2m3s ", 3_723_000, True),
    ],
)
def test_parse_accepted_forms(text, ms, relative):
    assert parse_timecode(text) == SeekTarget(ms, relative)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1:7x", "1:7x"),
        ("1:60", "1:60"),
        ("1:00:60", "1:00:60"),
        ("1:2:3:4", "1:2:3:4"),
        ("", ""),
        ("+", "+"),
        ("--5", "--5"),
        ("1.2.3", "1.2.3"),
        ("1.2345", "1.2345"),
        ("1m1h", "1m1h"),
        ("1.5m", "1.5m"),
        ("h", "h"),
        ("1 30", "1 30"),
        ("٣٠", "٣٠"),
        ("9" * 50, "9" * 39 + "…"),
    ],
)
def test_parse_errors_name_the_input_and_the_forms(text, shown):
    with pytest.raises(CommandError) as caught:
        parse_timecode(text)
    assert str(caught.value) == f"seek: cannot read '{shown}'; {HINT}"


def test_error_names_the_verb_and_caps_far_positions():
    with pytest.raises(CommandError, match="^jump: cannot read 'x'"):
        parse_timecode("x", verb="jump")
    with pytest.raises(CommandError) as caught:
        parse_timecode("1000:00:00")
    assert str(caught.value) == "seek: '1000:00:00' is too far; the most is 999:59:59"


@pytest.mark.parametrize(
    ("ms", "clock", "compact"),
    [
        (0, "00:00:00", "0:00"),
        (9_999, "00:00:09", "0:09"),
        (245_000, "00:04:05", "4:05"),
        (4_530_000, "01:15:30", "1:15:30"),
        (8_160_000, "02:16:00", "2:16:00"),
        (-5_000, "00:00:00", "0:00"),
        (None, "00:00:00", "0:00"),
        (360_000_000, "100:00:00", "100:00:00"),
    ],
)
def test_formats(ms, clock, compact):
    assert format_clock(ms) == clock
    assert format_compact(ms) == compact


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "+0s"), (30_000, "+30s"), (-60_000, "-1m"), (3_723_500, "+1h2m3.5s"), (-250, "-0.25s")],
)
def test_format_offset(ms, text):
    assert format_offset(ms) == text


@pytest.mark.parametrize(
    ("target", "position", "duration", "expected"),
    [
        (SeekTarget(60_000), 5_000, None, 60_000),
        (SeekTarget(30_000, True), 5_000, None, 35_000),
        (SeekTarget(-60_000, True), 5_000, None, 0),
        (SeekTarget(90_000, True), 5_000, 60_000, 60_000),
    ],
)
def test_resolve_clamps_to_the_media(target, position, duration, expected):
    assert target.resolve(position, duration) == expected


def test_then_combines_seeks():
    assert SeekTarget(10_000, True).then(SeekTarget(10_000, True)) == SeekTarget(20_000, True)
    assert SeekTarget(10_000).then(SeekTarget(-20_000, True)) == SeekTarget(0)
    assert SeekTarget(10_000, True).then(SeekTarget(5_000)) == SeekTarget(5_000)


def test_absolute_target_cannot_be_negative():
    with pytest.raises(ValueError):
        SeekTarget(-1)


targets = st.builds(SeekTarget, st.integers(0, MAX_MS), st.just(False)) | st.builds(
    SeekTarget, st.integers(-MAX_MS, MAX_MS), st.just(True)
)


@given(targets)
def test_to_text_round_trips(target):
    assert parse_timecode(target.to_text()) == target


@given(st.integers(0, MAX_MS // 1000))
def test_clock_and_compact_round_trip_whole_seconds(seconds):
    ms = seconds * 1000
    assert parse_timecode(format_clock(ms)) == SeekTarget(ms)
    assert parse_timecode(format_compact(ms)) == SeekTarget(ms)


@given(st.text(max_size=60))
def test_parse_raises_only_command_error(text):
    try:
        parse_timecode(text)
    except CommandError:
        pass
