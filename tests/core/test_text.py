"""Human formatting of bitrates, sizes and progress."""

from __future__ import annotations

import pytest

from plextui.core.text import human_bitrate, human_size, progress_bar


@pytest.mark.parametrize(
    ("kbps", "text"),
    [(20_000, "20 Mbps"), (1_500, "1.5 Mbps"), (700, "700 kbps"), (999.6, "1 Mbps"), (None, "")],
)
def test_human_bitrate(kbps, text):
    assert human_bitrate(kbps) == text


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (512, "512 B"),
        (1_400, "1.4 kB"),
        (1_400_000_000, "1.4 GB"),
        (25_000_000_000, "25 GB"),
        (5 * 10**12, "5 TB"),
        (None, ""),
    ],
)
def test_human_size(size, text):
    assert human_size(size) == text


@pytest.mark.parametrize(
    ("fraction", "bar"), [(0.0, "░░░░"), (0.5, "██░░"), (1.0, "████"), (7.0, "████"), (-1, "░░░░")]
)
def test_progress_bar(fraction, bar):
    assert progress_bar(fraction, width=4) == bar
