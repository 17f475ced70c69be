"""Checks for the arguments of public functions (the attrs validators are in `_validation`).

A public function must fail with a `RecoveryKitError` whatever it is given, and say where:
a value of the wrong type raises `InvalidType` (also a TypeError), a name that is not known
raises `UnknownName` (also a LookupError), any other bad value `ValidationError`. Paths are
argument names (``"cases[3]"``, ``"policy"``), so the message points at the caller's code.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterator
from datetime import timedelta
from typing import Any, TypeVar

import attrs

from recoverykit._validation import path_of, type_name
from recoverykit.errors import InvalidType, UnknownName, ValidationError

T = TypeVar("T")


def require(value: object, expected: type[T], path: str) -> T:
    """``value`` if it is an ``expected``, else `InvalidType` naming ``path``."""
    if not isinstance(value, expected):
        raise InvalidType(path, f"expected {expected.__name__}, got {type_name(value)}")
    return value


def optional(value: object, expected: type[T], path: str) -> T | None:
    """Like `require`, also allowing None."""
    if value is None:
        return None
    if not isinstance(value, expected):
        raise InvalidType(path, f"expected {expected.__name__} or None, got {type_name(value)}")
    return value


def iterate(values: object, path: str, what: str) -> Iterator[Any]:
    """An iterator over ``values``, or `InvalidType` if it is not iterable.

    ``what`` names the items in the message ("Case", "answers").
    """
    if isinstance(values, str | bytes):
        # Iterable, but never what a caller meant: its characters are not items.
        raise InvalidType(path, f"expected an iterable of {what}, got {type_name(values)}")
    try:
        return iter(values)  # type: ignore[call-overload, no-any-return]
    except TypeError:
        raise InvalidType(
            path, f"expected an iterable of {what}, got {type_name(values)}"
        ) from None


def each(values: object, expected: type[T], path: str) -> Iterator[T]:
    """The items of ``values``, each checked to be an ``expected`` as it is reached.

    Lazy on purpose: a portfolio of millions of cases is streamed, never copied. A bad
    item raises `InvalidType` at ``path[i]``.
    """
    items = iterate(values, path, expected.__name__)
    return _checked(items, expected, path)


def _checked(items: Iterator[object], expected: type[T], path: str) -> Iterator[T]:
    for i, item in enumerate(items):
        if not isinstance(item, expected):
            raise InvalidType(
                f"{path}[{i}]", f"expected {expected.__name__}, got {type_name(item)}"
            )
        yield item


E = TypeVar("E", bound=enum.Enum)


def members(values: object, enum_cls: type[E], path: str) -> Iterator[E]:
    """The items of ``values`` as members of ``enum_cls``; values (``"email"``) are looked up.

    A value that is not one raises `UnknownName` at ``path[i]``, another type `InvalidType`.
    """
    for i, item in enumerate(iterate(values, path, enum_cls.__name__)):
        if isinstance(item, enum_cls):
            yield item
            continue
        try:
            yield enum_cls(item)
        except (ValueError, TypeError) as exc:
            allowed = ", ".join(repr(m.value) for m in enum_cls)
            error = UnknownName if isinstance(item, str) else InvalidType
            message = f"expected one of {allowed}, got {type_name(item)}"
            raise error(f"{path}[{i}]", message) from exc


def integer(value: object, path: str, *, minimum: int) -> int:
    """An int (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidType(path, f"expected an int >= {minimum}, got {type_name(value)}")
    if value < minimum:
        raise ValidationError(path, f"{value} is out of range, allowed >= {minimum}")
    return value


def duration(value: object, path: str, *, positive: bool = False) -> timedelta:
    """A `timedelta` that is >= 0 (> 0 when ``positive``)."""
    if not isinstance(value, timedelta):
        raise InvalidType(path, f"expected a timedelta, got {type_name(value)}")
    if value < timedelta(0) or (positive and not value):
        raise ValidationError(path, f"must be {'positive' if positive else '>= 0'}, got {value}")
    return value


def one_of(value: object, names: Collection[str], path: str, *, what: str = "") -> str:
    """``value`` if it is one of ``names``; `UnknownName` if it is another string.

    ``what`` says what the names are ("a complaint attribute to group by").
    """
    listed = ", ".join(names)
    if not isinstance(value, str):
        raise InvalidType(path, f"expected a str ({listed}), got {type_name(value)}")
    if value not in names:
        if what:
            raise UnknownName(path, f"{value!r} is not {what} ({listed})")
        raise UnknownName(path, f"{value!r} is not one of {listed}")
    return value


class StrValues(enum.StrEnum):
    """A string enum whose failed lookups are library errors.

    ``Channel("carrier pigeon")`` raises `UnknownName` listing the values (still a
    ValueError, as the enum protocol expects); ``Channel(5)`` raises `InvalidType`.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        allowed = ", ".join(repr(m.value) for m in cls)
        if not isinstance(value, str):
            raise InvalidType(cls.__name__, f"expected one of {allowed}, got {type_name(value)}")
        raise UnknownName(cls.__name__, f"{value!r} is not one of {allowed}")


# -- attrs validators for the fields of result classes ----------------------------------------


def count(minimum: int = 0) -> Any:
    """An attrs validator: an int (not a bool) >= ``minimum``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        integer(value, path_of(instance, attribute), minimum=minimum)

    return check


def flag(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: a bool."""
    require(value, bool, path_of(instance, attribute))


def optional_flag(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: a bool or None."""
    optional(value, bool, path_of(instance, attribute))
