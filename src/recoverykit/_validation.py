"""attrs validators that raise `ValidationError` with a path and what is allowed instead.

attrs' own validators raise bare `TypeError`/`ValueError`; ours name the class and field
so that a user building a `Complaint` from a form sees exactly which input was wrong.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, NoReturn

import attrs

from recoverykit.errors import InvalidType, ValidationError

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

#: attrs metadata key marking a field as personal data (removed by `recoverykit.redact`).
PERSONAL = "recoverykit.personal"


def path_of(instance: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def fail(instance: object, attribute: attrs.Attribute[Any], message: str) -> NoReturn:
    raise ValidationError(path_of(instance, attribute), message)


def fail_type(instance: object, attribute: attrs.Attribute[Any], message: str) -> NoReturn:
    """Like `fail`, for a value of the wrong type: raises `InvalidType` (a TypeError too)."""
    raise InvalidType(path_of(instance, attribute), message)


def type_name(value: object) -> str:
    """How a wrong value is named in a message: its type, and the value when short."""
    text = repr(value)
    name = type(value).__name__
    return f"{name} {text}" if len(text) <= 30 and text != name else name


def require_aware(value: object, path: str) -> None:
    """Raise unless ``value`` is a timezone-aware datetime."""
    if not isinstance(value, datetime):
        raise InvalidType(path, f"expected an aware datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            path, f"naive datetime {value.isoformat()}, an offset or time zone is required"
        )


def aware(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # The common cases first, without building the error path: a fixed offset (UTC
    # included) always has one; other zones are asked.
    if isinstance(value, datetime) and (
        value.tzinfo.__class__ is timezone or value.utcoffset() is not None
    ):
        return
    require_aware(value, path_of(instance, attribute))


def instance_of(expected: type, *, optional: bool = False) -> Validator:
    """Like `attrs.validators.instance_of`, but raising `ValidationError`."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, expected):
            allowed = expected.__name__ + (" or None" if optional else "")
            fail_type(instance, attribute, f"expected {allowed}, got {type(value).__name__}")

    return check


def member_of(enum_cls: type[enum.Enum], *, optional: bool = False) -> Validator:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, enum_cls):
            name = enum_cls.__name__
            member = next((m for m in enum_cls if m.value == value), None)
            if member is not None and isinstance(value, str):  # the value, not the member
                fail(
                    instance,
                    attribute,
                    f"expected a {name}, got the string {value!r}: use "
                    f"{name}.{member.name} (or {name}({value!r}))",
                )
            allowed = ", ".join(repr(m.value) for m in enum_cls)
            fail(instance, attribute, f"expected a {name} ({allowed}), got {value!r}")

    return check


def text(*, optional: bool = False) -> Validator:
    """A non-blank string (or None when optional)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            fail_type(instance, attribute, f"expected str, got {type(value).__name__}")
        elif not value.strip():
            fail(instance, attribute, "must not be empty or blank")

    return check


def int_between(low: int, high: int, *, optional: bool = False) -> Validator:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            fail_type(
                instance, attribute, f"expected int {low}..{high}, got {type(value).__name__}"
            )
        elif not low <= value <= high:
            fail(instance, attribute, f"{value} is out of range, allowed {low}..{high}")

    return check


def decimal_amount(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # Floats are rejected on purpose: 0.1 + 0.2 is not money.
    if not isinstance(value, Decimal):
        fail_type(
            instance,
            attribute,
            f"expected Decimal, got {type(value).__name__} (use Decimal('12.50') or a string)",
        )
    if not value.is_finite():
        fail(instance, attribute, f"{value} is not a finite amount")
    elif value < 0:
        fail(instance, attribute, f"{value} is negative, amounts must be >= 0")


def as_tuple(value: object) -> object:
    """An attrs converter: a list, generator or other iterable as a tuple (a set sorted,
    so that equal sets give equal values); a string, bytes or a mapping is left for the
    validator to refuse by name."""
    if isinstance(value, tuple | str | bytes | Mapping) or not isinstance(value, Iterable):
        return value
    if isinstance(value, set | frozenset):
        try:
            return tuple(sorted(value))
        except TypeError:  # items that do not sort: the validator names them
            return tuple(value)
    return tuple(value)


def tuple_of(expected: type) -> Validator:
    """A tuple whose items are all ``expected``; a wrong item is named by its index."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, str):
            fail_type(
                instance,
                attribute,
                f"expected a tuple of {expected.__name__}, got one str {value!r} "
                "(give a list or tuple of them)",
            )
        if not isinstance(value, tuple):
            fail_type(instance, attribute, f"expected a tuple, got {type(value).__name__}")
        for i, item in enumerate(value):
            if not isinstance(item, expected):
                raise InvalidType(
                    f"{path_of(instance, attribute)}[{i}]",
                    f"expected {expected.__name__}, got {type_name(item)}",
                )

    return check
