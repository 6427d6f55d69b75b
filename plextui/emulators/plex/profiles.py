"""The kinds of real player the emulator plays: what each says it is and can do.

Names, products, versions and capabilities are those real players send in GDM answers,
`/resources` and the server's `/clients` (../shared/reference/plex-api.md §2.10, §3.2, and
recorded Plexamp answers): a Plexamp plays music only and advertises no navigation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    """What a kind of real player says it is and can do (GDM, /resources, /clients)."""

    name: str
    kind: str  # the one timeline type it plays: video or music
    product: str
    platform: str
    device_class: str
    version: str
    capabilities: str
    controllable: str
    protocol_version: str = "3"

    @property
    def music_app(self) -> bool:
        return self.product == "Plexamp"


VIDEO_CONTROLS = (
    "playPause,stop,volume,shuffle,repeat,seekTo,skipPrevious,skipNext,stepBack,stepForward,"
    "audioStream,subtitleStream"
)
# Plexamp as real ones announce and poll: music only, no navigation; its timeline
# controls are those of the recorded Plexamp answers (../shared/reference §3.2).
PLEXAMP = dict(
    product="Plexamp",
    platform="Linux",
    device_class="speaker",
    version="4.11.5",
    capabilities="timeline,playback,playqueues,playqueues-creation",
    controllable="volume,repeat,skipPrevious,seekTo,stepBack,stepForward,stop,playPause,"
    "shuffle,skipNext",
    protocol_version="1",
)
PROFILES = (
    Profile(
        "Living Room TV",
        "video",
        "Plex HTPC",
        "Linux",
        "pc",
        "1.33.2.3525-140e01eb",
        "timeline,playback,navigation,playqueues",
        VIDEO_CONTROLS,
    ),
    Profile("Kitchen Plexamp", "music", **PLEXAMP),
    Profile(
        "Study Chromecast",
        "video",
        "Plex for Android (TV)",
        "Android",
        "stb",
        "8.8.2.21525",
        "timeline,playback,mirror,playqueues,provider-playback",  # as recorded: no navigation
        VIDEO_CONTROLS,
    ),
    Profile("Garage Speaker", "music", **PLEXAMP),
)
