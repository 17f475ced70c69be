"""Hooks for scalars: strict about types, exact about formats, one message per problem."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class PayloadError(ValueError):
    """One problem with one value; the path is added by whoever knows it (see `_errors`)."""


# -- scalar hooks ---------------------------------------------------------------------------

_ZONE_SUFFIX = re.compile(r"^(.*)\[([^\]]+)\]$")
_DURATION = re.compile(r"^(-)?P(\d+)DT(\d+)(?:\.(\d{1,6}))?S$")
HHMM = re.compile(r"^(\d\d):(\d\d)$")


def expect(value: object, kind: type | tuple[type, ...], name: str) -> None:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise PayloadError(f"expected {name}, got {describe(value)}")


def describe(value: object) -> str:
    if value is None:
        return "null"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) < 40 else text[:37] + '...'}"


def load_str(value: object, _: object) -> str:
    if isinstance(value, str):
        return value
    raise PayloadError(f"expected a string, got {describe(value)}")


def load_int(value: object, _: object) -> int:
    if value.__class__ is int:
        return value
    expect(value, int, "an integer")
    return value  # type: ignore[return-value]


_JSON_SCALARS = (str, int, float, bool, type(None))


def load_attributes(value: object, _: object) -> dict[str, Any]:
    """An `ActivityRecorded` event's attributes: an object of JSON scalars."""
    expect(value, dict, "an object of names to values")
    loaded: dict[str, Any] = {}
    for key, raw in value.items():  # type: ignore[attr-defined]
        # `loads` reads JSON numbers as Decimal; attribute numbers were written from floats.
        item = float(raw) if isinstance(raw, Decimal) and raw.is_finite() else raw
        if not isinstance(item, _JSON_SCALARS):
            raise PayloadError(
                f"attribute {key!r}: expected a string, number, true, false or null, "
                f"got {describe(item)}"
            )
        loaded[key] = item
    return loaded


def load_bool(value: object, _: object) -> bool:
    if value.__class__ is bool:
        return value
    raise PayloadError(f"expected true or false, got {describe(value)}")


def load_decimal(value: object, _: object) -> Decimal:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        # `loads` reads a JSON number as a Decimal: say it was a number, and why not.
        raise PayloadError(
            f"expected a decimal string such as '12.50', got the number {value}: write "
            f'amounts as strings ("{value}") so that no reader rounds them through a float'
        )
    expect(value, str, "a decimal string such as '12.50'")
    try:
        number = Decimal(value)  # type: ignore[arg-type]
    except InvalidOperation:
        raise PayloadError(f"{value!r} is not a decimal number") from None
    if not number.is_finite():
        raise PayloadError(f"{value!r} is not a finite number")
    return number


def dump_datetime(value: datetime) -> str:
    text = value.isoformat()
    tz = value.tzinfo
    if tz.__class__ is timezone:  # a fixed offset, UTC included: no zone name to add
        return text
    key = getattr(tz, "key", None)
    return f"{text}[{key}]" if key else text


def load_datetime(value: object, _: object) -> datetime:
    if value.__class__ is not str:
        expect(value, str, "an ISO 8601 datetime string")
    text, zone = str(value), None
    if text.endswith("]"):
        match = _ZONE_SUFFIX.match(text)
        if match:
            text, zone = match.groups()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise PayloadError(f"{value!r} is not an ISO 8601 datetime") from None
    if parsed.tzinfo is None:
        raise PayloadError("naive datetime, an offset is required")
    if zone is not None:
        # Keep the exact wall time and fold (a DST-gap time stays as it was written), and
        # pick the fold whose offset is the one in the text.
        tz = load_zone(zone)
        wall = parsed.replace(tzinfo=tz, fold=0)
        if wall.utcoffset() != parsed.utcoffset():
            wall = wall.replace(fold=1)
        if wall.utcoffset() != parsed.utcoffset():
            raise PayloadError(f"{value!r}: the offset does not match the time zone")
        parsed = wall
    return parsed


def load_zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PayloadError(f"unknown time zone {name!r}") from None


def load_date(value: object, _: object) -> date:
    expect(value, str, "an ISO 8601 date string")
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PayloadError(f"{value!r} is not an ISO 8601 date") from None


def dump_timedelta(value: timedelta) -> str:
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    micro = f".{value.microseconds:06d}" if value.microseconds else ""
    return f"{sign}P{value.days}DT{value.seconds}{micro}S"


def load_timedelta(value: object, _: object) -> timedelta:
    expect(value, str, "an ISO 8601 duration such as 'P0DT3600S'")
    match = _DURATION.match(str(value))
    if not match:
        raise PayloadError(f"{value!r} is not a duration like 'P1DT3600S'")
    sign, days, seconds, micro = match.groups()
    try:
        delta = timedelta(
            days=int(days), seconds=int(seconds), microseconds=int((micro or "0").ljust(6, "0"))
        )
    except OverflowError:
        raise PayloadError(f"{value!r} is too long a duration") from None
    return -delta if sign else delta


def dump_enum(member: Enum) -> Any:
    return member.value


def load_enum(value: object, cls: type[Enum]) -> Enum:
    try:
        return cls._value2member_map_[value]
    except (KeyError, TypeError):
        allowed = ", ".join(repr(m.value) for m in cls)
        raise PayloadError(f"{value!r} is not one of {allowed}") from None
