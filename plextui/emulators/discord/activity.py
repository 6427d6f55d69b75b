"""SET_ACTIVITY validation with Discord's Joi-style messages (reference §1.5, §1.7).

Real Discord nests each failure as `child "activity" fails because [child "x" fails because [...]]`;
pypresence strips the brackets and capitalises it into `ServerError`. Wording for the upper string
limit and for buttons follows the same Joi style and is a guess where the reference says so.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTIVITY_TYPES = (0, 2, 3, 5)
STATUS_DISPLAY_TYPES = (0, 1, 2)
TEXT_FIELDS = ("state", "details", "name")
ASSET_TEXT_FIELDS = ("large_text", "small_text")


@dataclass(frozen=True)
class ActivityLimits:
    """The constraints of §1.7; tests can loosen or tighten them one by one."""

    text_min: int = 2
    text_max: int = 128
    max_buttons: int = 2
    label_max: int = 32
    url_max: int = 512


class Invalid(Exception):
    """A Joi message, built inside out as the failure climbs the activity tree."""

    def within(self, key: str) -> Invalid:
        return Invalid(f'child "{key}" fails because [{self}]')

    def at(self, key: str, position: int) -> Invalid:
        return Invalid(f'"{key}" at position {position} fails because [{self}]')


def activity_error(activity: dict, limits: ActivityLimits) -> str | None:
    """None when Discord would accept the activity, else the ERROR reply's message."""
    try:
        _check_activity(activity, limits)
    except Invalid as failure:
        return str(failure.within("activity"))
    return None


def _check_activity(activity: dict, limits: ActivityLimits) -> None:
    if not isinstance(activity, dict):
        raise Invalid('"activity" must be an object')
    _check_member(activity, "type", ACTIVITY_TYPES)
    _check_member(activity, "status_display_type", STATUS_DISPLAY_TYPES)
    for key in TEXT_FIELDS:
        _nested(activity, key, lambda value, key=key: _text(key, value, limits))
    _nested(activity, "assets", lambda assets: _assets(assets, limits))
    _nested(activity, "timestamps", _timestamps)
    _nested(activity, "party", _party)
    _nested(activity, "buttons", lambda buttons: _buttons(buttons, limits))


def _nested(container: dict, key: str, check) -> None:
    if container.get(key) is None:
        return
    try:
        check(container[key])
    except Invalid as failure:
        raise failure.within(key) from None


def _check_member(activity: dict, key: str, allowed: tuple[int, ...]) -> None:
    value = activity.get(key)
    if value is not None and (type(value) is not int or value not in allowed):
        listed = ", ".join(map(str, allowed))
        raise Invalid(f'"{key}" must be one of [{listed}]').within(key)


def _text(key: str, value: object, limits: ActivityLimits) -> None:
    if not isinstance(value, str):
        raise Invalid(f'"{key}" must be a string')
    if value == "":
        raise Invalid(f'"{key}" is not allowed to be empty')
    if len(value) < limits.text_min:
        raise Invalid(f'"{key}" length must be at least {limits.text_min} characters long')
    if len(value) > limits.text_max:
        raise Invalid(
            f'"{key}" length must be less than or equal to {limits.text_max} characters long'
        )


def _assets(assets: object, limits: ActivityLimits) -> None:
    if not isinstance(assets, dict):
        raise Invalid('"assets" must be an object')
    for key in ASSET_TEXT_FIELDS:
        _nested(assets, key, lambda value, key=key: _text(key, value, limits))


def _timestamps(timestamps: object) -> None:
    """Seconds or milliseconds are both accepted (Discord's clients see both in the wild)."""
    if not isinstance(timestamps, dict):
        raise Invalid('"timestamps" must be an object')
    for key in ("start", "end"):
        value = timestamps.get(key)
        if value is not None and (type(value) is not int or value < 0):
            raise Invalid(f'"{key}" must be a positive integer').within(key)


def _party(party: object) -> None:
    if not isinstance(party, dict):
        raise Invalid('"party" must be an object')
    size = party.get("size")
    if size is None:
        return
    if not isinstance(size, list) or len(size) != 2:
        raise Invalid('"size" must contain 2 items').within("size")
    for position, value in enumerate(size):
        if type(value) is not int or value < 1:
            failure = Invalid(f'"{position}" must be larger than or equal to 1')
            raise failure.at("size", position).within("size")


def _buttons(buttons: object, limits: ActivityLimits) -> None:
    if not isinstance(buttons, list):
        raise Invalid('"buttons" must be an array')
    if not buttons:
        raise Invalid('"buttons" must contain at least 1 items')
    if len(buttons) > limits.max_buttons:
        raise Invalid(f'"buttons" must contain less than or equal to {limits.max_buttons} items')
    for position, button in enumerate(buttons):
        try:
            _button(button, limits)
        except Invalid as failure:
            raise failure.at("buttons", position) from None


def _button(button: object, limits: ActivityLimits) -> None:
    if not isinstance(button, dict):
        raise Invalid('"value" must be an object')
    for key, most in (("label", limits.label_max), ("url", limits.url_max)):
        value = button.get(key)
        if value is None:
            raise Invalid(f'"{key}" is required').within(key)
        if not isinstance(value, str) or not 1 <= len(value) <= most:
            message = f'"{key}" length must be less than or equal to {most} characters long'
            if isinstance(value, str) and not value:
                message = f'"{key}" is not allowed to be empty'
            raise Invalid(message).within(key)
