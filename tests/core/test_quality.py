"""Quality ladder and decisions as tables: media × profile → decision and URL params."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plextui.core.models import MediaInfo
from plextui.core.quality import (
    AUTO,
    LADDER,
    ORIGINAL,
    PROFILES,
    QualityLimits,
    auto_ladder,
    available_profiles,
    decide,
    profile,
    quality_name,
)
from plextui.errors import StreamError

FHD = MediaInfo(
    video_codec="h264", audio_codec="aac", container="mp4", height=1080, bitrate_kbps=8_000
)
UHD = MediaInfo(
    video_codec="hevc", audio_codec="aac", container="mkv", height=2160, bitrate_kbps=40_000
)
DTS_AVI = MediaInfo(
    video_codec="h264", audio_codec="dts", container="avi", height=720, bitrate_kbps=3_000
)
MPEG2 = MediaInfo(
    video_codec="mpeg2video",
    audio_codec="ac3",
    container="mpegts",
    resolution="sd",
    bitrate_kbps=5_000,
)
FLAC = MediaInfo(audio_codec="flac", container="flac", bitrate_kbps=900)
WMA = MediaInfo(audio_codec="wmapro", container="asf", bitrate_kbps=192)
DEFAULT = QualityLimits()
P = PROFILES


@pytest.mark.parametrize(
    ("media", "chosen", "kind", "resolution", "bitrate"),
    [
        (FHD, ORIGINAL, "directplay", None, None),
        (FHD, P["1080p"], "directplay", None, None),
        (FHD, P["1080p-10"], "directplay", None, None),
        (FHD, P["720p"], "transcode", "1280x720", 4_000),
        (FHD, P["480p"], "transcode", "854x480", 1_500),
        (FHD, P["360p"], "transcode", "640x360", 700),
        (FHD, AUTO, "directplay", None, None),
        (UHD, ORIGINAL, "transcode", "1920x1080", 20_000),
        (UHD, P["1080p-10"], "transcode", "1920x1080", 10_000),
        (UHD, AUTO, "transcode", "1920x1080", 20_000),
        (DTS_AVI, ORIGINAL, "directstream", "1920x1080", None),  # the limits still cap it
        (DTS_AVI, P["720p"], "directstream", "1280x720", 4_000),
        (DTS_AVI, P["480p"], "transcode", "854x480", 1_500),
        (MPEG2, ORIGINAL, "transcode", "854x480", 5_000),
        (MPEG2, P["360p"], "transcode", "640x360", 700),
        (FLAC, P["360p"], "directplay", None, None),
        (WMA, ORIGINAL, "transcode", None, None),
    ],
)
def test_decision_table(media, chosen, kind, resolution, bitrate):
    decision = decide(media, chosen, DEFAULT)
    assert decision.kind == kind
    assert decision.params.get("videoResolution") == resolution
    assert decision.params.get("maxVideoBitrate") == bitrate
    assert decision.params["directPlay"] == (1 if kind == "directplay" else 0)
    assert decision.params["directStream"] == (0 if kind == "transcode" else 1)


def test_transcode_params_for_plexapi():
    decision = decide(FHD, P["720p"], DEFAULT)
    assert decision.params == {
        "directPlay": 0,
        "directStream": 0,
        "protocol": "hls",
        "maxVideoBitrate": 4_000,
        "videoResolution": "1280x720",
        "videoQuality": 100,
        "X-Plex-Client-Profile-Extra": "add-transcode-target(type=videoProfile"
        "&context=streaming&protocol=hls&container=mpegts&videoCodec=h264&audioCodec=aac)",
    }
    assert decision.reason == "1080p is above 720p; 8 Mbps is above 4 Mbps"
    assert (decision.height, decision.bitrate_kbps) == (720, 4_000)


def test_preferred_codec_reaches_the_transcoder():
    decision = decide(UHD, P["720p"], QualityLimits(preferred_codec="hevc"))
    assert "videoCodec=hevc" in decision.params["X-Plex-Client-Profile-Extra"]


def test_direct_play_off_means_direct_stream():
    decision = decide(FHD, ORIGINAL, QualityLimits(direct_play=False))
    assert (decision.kind, decision.reason) == ("directstream", "direct play is off")


def test_bitrate_limit_caps_original():
    decision = decide(FHD, ORIGINAL, QualityLimits(max_bitrate_kbps=5_000))
    assert decision.kind == "transcode"
    assert decision.params["maxVideoBitrate"] == 4_000  # the best rung under 5 Mbps
    assert decision.params["videoResolution"] == "1280x720"


def test_client_codecs_decide():
    decision = decide(FHD, ORIGINAL, DEFAULT, client_codecs=("hevc", "aac"))
    assert decision.kind == "transcode"
    assert decision.reason == "video codec h264 is not supported"


@pytest.mark.parametrize(
    ("media", "limits", "message"),
    [
        (UHD, QualityLimits(transcoding=False), "2160p is above 1080p; 40 Mbps is above 20 Mbps"),
        (MPEG2, QualityLimits(transcoding=False), "video codec mpeg2video is not supported"),
        (
            DTS_AVI,
            QualityLimits(transcoding=False, direct_stream=False),
            "audio codec dts is not supported; container avi is not supported; "
            "direct stream is off",
        ),
        (
            FHD,
            QualityLimits(transcoding=False, direct_stream=False, direct_play=False),
            "direct play is off; direct stream is off",
        ),
    ],
)
def test_transcoding_off_refuses_with_the_reason(media, limits, message):
    with pytest.raises(StreamError) as caught:
        decide(media, ORIGINAL, limits)
    assert str(caught.value) == "transcoding is off and this file cannot play as is: " + message


def test_music_is_direct_play_unless_undecodable():
    assert decide(FLAC, P["360p"], QualityLimits(direct_play=False)).kind == "directplay"
    with pytest.raises(StreamError) as caught:
        decide(WMA, ORIGINAL, QualityLimits(transcoding=False))
    assert str(caught.value) == (
        "transcoding is off and this track cannot play as is: audio codec wmapro is not supported"
    )


@pytest.mark.parametrize(
    ("limits", "names"),
    [
        (DEFAULT, ["original", "1080p", "1080p-10", "720p", "480p", "360p", "auto"]),
        (QualityLimits(max_quality="720p"), ["original", "720p", "480p", "360p", "auto"]),
        (
            QualityLimits(max_bitrate_kbps=12_000),
            ["original", "1080p-10", "720p", "480p", "360p", "auto"],
        ),
        (QualityLimits(max_bitrate_kbps=500), ["original", "auto"]),
        (QualityLimits(max_quality="original", max_bitrate_kbps=0), [p.name for p in LADDER]),
    ],
)
def test_available_profiles(limits, names):
    assert [p.name for p in available_profiles(limits)] == names
    assert [p.name for p in auto_ladder(limits)] == names[1:-1]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("1080p", "1080p"),
        ("1080P-20", "1080p"),
        ("1080p 10 Mbps", "1080p-10"),
        ("720", "720p"),
        ("480p 1.5 Mbps", "480p"),
        ("Direct", "original"),
        ("4k", None),
    ],
)
def test_quality_names(text, name):
    assert quality_name(text) == name


def test_profile_lookup_error():
    assert profile("720p").label == "720p 4 Mbps"
    with pytest.raises(StreamError, match="^unknown quality '4k'; use original, 1080p, "):
        profile("4k")


heights = st.none() | st.sampled_from([240, 360, 480, 576, 720, 800, 1080, 1440, 2160, 4320])
codecs = st.sampled_from(["h264", "hevc", "mpeg2video", "vc1", "av1"])
media = st.builds(
    MediaInfo,
    video_codec=codecs,
    audio_codec=st.none() | st.sampled_from(["aac", "dts", "ac3", "opus"]),
    container=st.none() | st.sampled_from(["mp4", "mkv", "avi", "mpegts"]),
    height=heights,
    bitrate_kbps=st.none() | st.integers(100, 200_000),
)
limits = st.builds(
    QualityLimits,
    transcoding=st.booleans(),
    max_quality=st.sampled_from(["original", "1080p", "720p", "480p"]),
    max_bitrate_kbps=st.none() | st.integers(300, 50_000),
    direct_play=st.booleans(),
    direct_stream=st.booleans(),
)


@given(media, st.sampled_from(LADDER), limits)
def test_decision_never_exceeds_limits(item, chosen, rules):
    try:
        decision = decide(item, chosen, rules)
    except StreamError:
        assert not rules.transcoding
        return
    height = int(str(decision.params.get("videoResolution", "0x0")).split("x")[1]) or None
    delivered_height = height if decision.kind == "transcode" else item.video_height
    delivered_bitrate = decision.bitrate_kbps
    for value, cap in (
        (delivered_height, rules.max_height),
        (delivered_bitrate, rules.max_bitrate_kbps),
    ):
        assert value is None or cap is None or value <= cap
    if decision.kind == "directplay":
        assert rules.direct_play
    if decision.kind == "directstream":
        assert rules.direct_stream
    if decision.kind == "transcode":
        assert rules.transcoding
