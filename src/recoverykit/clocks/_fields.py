"""Field converters and validators of `Clock` and `Extension`: each error names its field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TypeAlias

import attrs

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.clocks._kinds import DeadlineKind, _check_kind
from recoverykit.errors import InvalidType


def _kind(instance: object, attribute: attrs.Attribute[DeadlineKind], value: object) -> None:
    _check_kind(value, v.path_of(instance, attribute))


_EventTypes: TypeAlias = type[ev.Event] | Iterable[type[ev.Event]]


def _event_types(value: object, path: str) -> tuple[type[ev.Event], ...]:
    """One event type or an iterable of them, as a tuple; errors name ``path``."""
    if isinstance(value, type):
        items: tuple[object, ...] = (value,)
    elif isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidType(
            path, f"expected an Event subclass or an iterable of them, got {v.type_name(value)}"
        )
    else:
        items = tuple(value)
    for i, item in enumerate(items):
        if not (isinstance(item, type) and issubclass(item, ev.Event)):
            raise InvalidType(
                f"{path}[{i}]", f"expected an Event subclass, got {v.type_name(item)}"
            )
    return items  # type: ignore[return-value] # checked item by item above


# One named converter per field, so that an error names the field it is about.
def _stop_on(value: _EventTypes) -> tuple[type[ev.Event], ...]:
    return _event_types(value, "Clock.stop_on")


def _start_on(value: _EventTypes) -> tuple[type[ev.Event], ...]:
    return _event_types(value, "Clock.start_on")


def _restart_on(value: _EventTypes) -> tuple[type[ev.Event], ...]:
    return _event_types(value, "Clock.restart_on")


def _states(names: str | Iterable[str]) -> frozenset[str]:
    value: object = names  # checked below: callers may pass anything
    if isinstance(value, str):
        return frozenset((value,))
    if isinstance(value, bytes) or not isinstance(value, Iterable):
        raise InvalidType(
            "Clock.pause_in", f"expected a state name or names (str), got {v.type_name(value)}"
        )
    states = tuple(value)
    for state in states:
        if not isinstance(state, str):
            raise InvalidType(
                "Clock.pause_in", f"expected state names (str), got {v.type_name(state)} in it"
            )
    return frozenset(states)


def _optional_duration(
    instance: object, attribute: attrs.Attribute[timedelta | None], value: object
) -> None:
    if value is not None and not isinstance(value, timedelta):
        v.fail_type(instance, attribute, f"expected a timedelta or None, got {v.type_name(value)}")
    if value is not None and value < timedelta(0):
        v.fail(instance, attribute, f"expected a non-negative timedelta or None, got {value!r}")


def _event_type(
    instance: object, attribute: attrs.Attribute[type[ev.Event]], value: object
) -> None:
    if not (isinstance(value, type) and issubclass(value, ev.Event)):
        v.fail_type(instance, attribute, f"expected an Event subclass, got {v.type_name(value)}")
