"""Validate the emulator's JSON answers against Plex's OpenAPI description.

The description (tests/emulators/data/plex-openapi.yaml) is parsed once per test process.
It requires a few properties that real PMS leaves out; those gaps are listed in PMS_OMITS
and only they are forgiven, so every other mismatch (a missing or mistyped attribute, an
object where an array belongs) fails the test that finds it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC = Path(__file__).parent / "data" / "plex-openapi.yaml"
BASE = "urn:plex-openapi"
# (element, property) the description requires but PMS does not send: embedded streams have
# no `key` (only sidecar subtitles do); a section's shortcut Directories carry only key/title.
PMS_OMITS = {("Stream", "key"), ("Directory", "addedAt"), ("Directory", "type")}


@cache
def _registry() -> Registry:
    spec = yaml.load(SPEC.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    resource = Resource.from_contents(spec, default_specification=DRAFT202012)
    return Registry().with_resource(BASE, resource)


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def response_errors(path: str, body: dict, method: str = "get", status: str = "200") -> list[str]:
    """Every way `body` breaks the JSON schema of `path`'s answer (path as the description
    spells it, e.g. `/library/sections/{sectionId}/all`)."""
    pointer = "/".join(
        _escape(p)
        for p in ("paths", path, method, "responses", status, "content", "application/json")
    )
    validator = Draft202012Validator({"$ref": f"{BASE}#/{pointer}/schema"}, registry=_registry())
    return [
        f"{error.json_path}: {error.message}"
        for error in validator.iter_errors(body)
        if not _pms_omits(error)
    ]


def _pms_omits(error) -> bool:
    if error.validator != "required" or not isinstance(error.instance, dict):
        return False
    element = next((p for p in reversed(error.path) if isinstance(p, str)), "")
    missing = {name for name in error.validator_value if name not in error.instance}
    return all((element, name) in PMS_OMITS for name in missing)
