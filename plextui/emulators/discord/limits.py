"""Message and embed limits of reference §2.4, answered with Discord's own 400 bodies
(`50035 Invalid Form Body` with nested `_errors`, `50006 Cannot send an empty message`)."""

from __future__ import annotations

from typing import Any

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
FIELDS_MAX = 25
EMBED_TEXT_MAX = {"title": 256, "description": 4096}
FIELD_TEXT_MAX = {"name": 256, "value": 1024}
COLOR_MAX = 0xFFFFFF
USERNAME_MAX = 80
SETTABLE_FLAGS = 4 | 4096 | 32768  # SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2
FILE_MAX_BYTES = 10 * 1024 * 1024


def strip_nulls(value: Any) -> Any:
    """discord-webhook sends unset embed fields as null; Discord treats null as absent."""
    if isinstance(value, dict):
        return {key: strip_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [strip_nulls(item) for item in value]
    return value


class FormErrors:
    """Collects failures into Discord's nested `errors` tree."""

    def __init__(self) -> None:
        self.tree: dict = {}

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def too_long(self, path: tuple[str | int, ...], most: int) -> None:
        self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {most} or fewer in length.")

    def body(self) -> dict | None:
        if not self.tree:
            return None
        return {"code": 50035, "errors": self.tree, "message": "Invalid Form Body"}


def message_error(body: dict, uploads: int, *, creating: bool) -> dict | None:
    """None when Discord accepts the message body, else the 400 JSON body to send back."""
    errors = FormErrors()
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        errors.add(("content",), "BASE_TYPE_STRING", "Must be a string.")
    elif content is not None and len(content) > CONTENT_MAX:
        errors.too_long(("content",), CONTENT_MAX)
    embeds = body.get("embeds") or []
    if not isinstance(embeds, list):
        errors.add(("embeds",), "BASE_TYPE_LIST", "Must be an array.")
        embeds = []
    if len(embeds) > EMBEDS_MAX:
        errors.too_long(("embeds",), EMBEDS_MAX)
    for index, embed in enumerate(embeds):
        _check_embed(errors, ("embeds", index), embed)
    if sum(embed_size(embed) for embed in embeds if isinstance(embed, dict)) > EMBED_TOTAL_MAX:
        errors.add(
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )
    _check_username(errors, body.get("username"))
    if errors.body():
        return errors.body()
    empty = not (content or embeds or body.get("components") or body.get("poll") or uploads)
    if creating and empty:
        return {"message": "Cannot send an empty message", "code": 50006}
    return None


def embed_size(embed: dict) -> int:
    """Characters counted toward the 6000 total, without surrounding whitespace."""
    parts = [embed.get("title"), embed.get("description")]
    parts += [(embed.get("footer") or {}).get("text"), (embed.get("author") or {}).get("name")]
    for field in embed.get("fields") or []:
        if isinstance(field, dict):
            parts += [field.get("name"), field.get("value")]
    return sum(len(part.strip()) for part in parts if isinstance(part, str))


def _check_embed(errors: FormErrors, path: tuple, embed: object) -> None:
    if not isinstance(embed, dict):
        errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    for key, most in EMBED_TEXT_MAX.items():
        _check_text(errors, (*path, key), embed.get(key), most)
    _check_text(errors, (*path, "footer", "text"), (embed.get("footer") or {}).get("text"), 2048)
    _check_text(errors, (*path, "author", "name"), (embed.get("author") or {}).get("name"), 256)
    color = embed.get("color")
    if color is not None and (type(color) is not int or not 0 <= color <= COLOR_MAX):
        message = f"int value should be less than or equal to {COLOR_MAX}."
        errors.add((*path, "color"), "NUMBER_TYPE_MAX", message)
    for key in ("image", "thumbnail"):
        url = (embed.get(key) or {}).get("url")
        if url is not None and not str(url).startswith(("http://", "https://", "attachment://")):
            errors.add((*path, key, "url"), "URL_TYPE_INVALID_URL", "Not a well formed URL.")
    fields = embed.get("fields") or []
    if len(fields) > FIELDS_MAX:
        errors.too_long((*path, "fields"), FIELDS_MAX)
    for index, field in enumerate(fields):
        for key, most in FIELD_TEXT_MAX.items():
            value = field.get(key) if isinstance(field, dict) else None
            if value is None or value == "":
                errors.add(
                    (*path, "fields", index, key), "BASE_TYPE_REQUIRED", "This field is required"
                )
            else:
                _check_text(errors, (*path, "fields", index, key), value, most)


def _check_text(errors: FormErrors, path: tuple, value: object, most: int) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        errors.add(path, "BASE_TYPE_STRING", "Must be a string.")
    elif len(value) > most:
        errors.too_long(path, most)


def _check_username(errors: FormErrors, username: object) -> None:
    """Webhook names: 1-80 characters, no "discord" or "clyde" (assumed for the override too)."""
    if username is None:
        return
    if not isinstance(username, str) or not 1 <= len(username) <= USERNAME_MAX:
        message = f"Must be between 1 and {USERNAME_MAX} in length."
        errors.add(("username",), "BASE_TYPE_BAD_LENGTH", message)
        return
    for word in ("discord", "clyde"):
        if word in username.lower():
            message = f'Username cannot contain "{word}"'
            errors.add(("username",), "USERNAME_INVALID_CONTAINS", message)


def normalize_embed(embed: dict) -> dict:
    """What Discord stores: type forced to rich, fields a webhook may not set dropped."""
    kept = {key: value for key, value in embed.items() if key not in ("provider", "video")}
    for key in ("image", "thumbnail"):
        if isinstance(kept.get(key), dict):
            kept[key] = {"url": kept[key].get("url")}
    kept["type"] = "rich"
    return kept
