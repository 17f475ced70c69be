"""JSON-ready dicts for every recoverykit value, with schema versions and clear errors.

The library owns its cattrs converters (it never touches ``cattrs.global_converter``):
`make_converter()` builds one, `configure_converter(conv)` adds recoverykit's hooks to one you
already have (an orjson or msgpack preconf converter, say). Each converter owns a registry
of the event classes, lifecycles and tagged classes it can load; the convenience functions
(`to_dict`, `from_dict`, `dumps`, `loads`, ...) use default converters built on first
use, and ``register_*`` without ``converter=`` registers with those. The format:

- datetimes are ISO 8601 with their offset, and the IANA zone in brackets when there is one
  (``2026-03-02T09:30:00+00:00[Europe/London]``, as RFC 9557 does); a naive one is an error;
- money amounts and other decimals are strings; enums are their values; durations are ISO 8601
  (``P0DT3600S``); sets are sorted lists; a field whose default is None is left out while
  it is None;
- events are tagged by their stable ``event_type`` in a ``type`` field (renaming a class never
  changes stored data), with ``event_version`` once their class is past version 1; older
  versions are upcast by the class's own ``upcasters``; holiday rules, deadline kinds and
  scoring rules are tagged by their class's ``tag``; unknown keys are rejected;
- events, event logs and case snapshots carry ``schema_version`` (the envelope format).

Loading tries the fast converter first; only when it fails does the detailed one run to
explain every problem, so a bad payload raises one `DeserializationError` listing each
`Problem` (path and message) and nothing is half built.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

import cattrs
from cattrs.fns import identity

from recoverykit import events as ev
from recoverykit.complaint_lifecycle import COMPLAINT_LIFECYCLE
from recoverykit.errors import DeserializationError, InvalidType, Problem
from recoverykit.lifecycle import Lifecycle
from recoverykit.serialization._converters import configure_converter, make_converter
from recoverykit.serialization._envelopes import (
    SCHEMA_VERSION,
    check_version,
    load_event_log,
)
from recoverykit.serialization._errors import problems
from recoverykit.serialization._registry import (
    Registry,
    builtin_registry,
    hook_for,
    state_of,
)

__all__ = [
    "SCHEMA_VERSION",
    "configure_converter",
    "dump_events",
    "dumps",
    "from_dict",
    "load_events",
    "loads",
    "make_converter",
    "register_event",
    "register_lifecycle",
    "register_tagged",
    "to_dict",
]

T = TypeVar("T")
E = TypeVar("E", bound=type[ev.Event])
C = TypeVar("C", bound=type)


class _Defaults:
    """The converters the convenience functions use, sharing one registry: a fast one,
    tried first and built on first use, and a detailed one that explains failures, built
    only when something fails."""

    def __init__(self) -> None:
        self._registry: Registry | None = None
        self._converters: dict[bool, cattrs.Converter] = {}

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = builtin_registry()
        return self._registry

    def converter(self, *, detailed: bool) -> cattrs.Converter:
        found = self._converters.get(detailed)
        if found is None:
            found = self._converters[detailed] = configure_converter(
                cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed),
                registry=self.registry,
            )
        return found

    @property
    def fast(self) -> cattrs.Converter:
        return self._converters.get(False) or self.converter(detailed=False)

    @property
    def detailed(self) -> cattrs.Converter:
        return self.converter(detailed=True)


_DEFAULTS = _Defaults()


def _registry(converter: cattrs.Converter | None) -> Registry:
    if converter is None:
        return _DEFAULTS.registry
    return state_of(converter, "converter").registry


def register_event(cls: E, *, converter: cattrs.Converter | None = None) -> E:
    """Make an app-defined event class loadable by its ``event_type`` tag (a decorator).

    Checks the class: an attrs `Event` subclass with a tag of its own, an int
    ``schema_version`` and ``upcasters`` running without gaps up to it. Registers with
    ``converter``, or with the default converters.

    Raises:
        InvalidType: not an attrs Event subclass, or an upcaster that is not a function.
        ValidationError: no tag of its own, a tag already used by another class, or a gap
            in the upcasters.
    """
    _registry(converter).add_event(cls)
    return cls


def register_lifecycle(
    lifecycle: Lifecycle, *, converter: cattrs.Converter | None = None
) -> Lifecycle:
    """Make case snapshots that name ``lifecycle`` loadable (the default one is built in).

    A case is saved with its lifecycle's name and loaded onto the lifecycle registered
    under that name; saving a case whose lifecycle is not the registered one fails.

    Raises:
        ValidationError: another lifecycle is already registered under that name.
    """
    _registry(converter).add_lifecycle(lifecycle)
    return lifecycle


def register_tagged(cls: C, *, converter: cattrs.Converter | None = None) -> C:
    """Make an app's holiday rule, deadline kind or scoring rule class serializable (a
    decorator): an attrs class with a ``tag`` class attribute, written as ``"type"``.

    Raises:
        InvalidType: not an attrs class with a string ``tag``.
        ValidationError: the tag is already used by another class.
    """
    _registry(converter).add_tagged(cls)
    return cls


def to_dict(obj: object) -> Any:
    """A JSON-ready dict (or list or scalar) for any recoverykit value, event or case.

    Raises:
        InvalidType: ``obj`` is of a type the converter does not know (it would otherwise
            come back unchanged and fail later, in the JSON encoder or the store).
    """
    fast = _DEFAULTS.fast
    if obj is not None and not isinstance(obj, _JSON_SCALARS | list | tuple | dict):
        hook = fast.get_unstructure_hook(type(obj))
        if hook is identity:
            raise InvalidType(
                "to_dict.obj",
                f"a {type(obj).__name__} cannot be serialized; pass a recoverykit value, event, "
                "case, calendar, clock, regime or ruleset (or register its class)",
            )
    data = fast.unstructure(obj)
    if isinstance(obj, ev.Event):
        data = {"schema_version": SCHEMA_VERSION, **data}
    return data


def from_dict(data: object, cls: type[T]) -> T:
    """Build a ``cls`` from ``data``; raises `DeserializationError` listing every problem."""
    given: object = cls
    if not isinstance(given, type) and getattr(given, "__origin__", None) is None:
        raise InvalidType("from_dict.cls", f"expected a class, got {type(cls).__name__}")
    if isinstance(cls, type) and issubclass(cls, ev.Event):
        data = _event_envelope(data)

    def build(conv: cattrs.Converter) -> T:
        built: T = hook_for(conv, state_of(conv), cls)(data, cls)
        return built

    return _fast_then_detailed(build)


def _fast_then_detailed(build: Callable[[cattrs.Converter], T]) -> T:
    """Build with the fast converter; on failure, run the detailed one to explain why."""
    try:
        return build(_DEFAULTS.fast)
    except Exception:  # noqa: BLE001 - any failure is explained by the detailed pass
        try:
            return build(_DEFAULTS.detailed)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one error type
            raise DeserializationError(problems(exc)) from None


def _event_envelope(data: object) -> object:
    if not isinstance(data, dict) or "schema_version" not in data:
        return data
    body = dict(data)
    try:
        check_version(body.pop("schema_version"))
    except Exception as exc:  # noqa: BLE001 - reported with its path
        raise DeserializationError(problems(exc)) from None
    return body


def dumps(obj: object) -> str:
    """``to_dict`` as compact JSON text.

    Raises:
        InvalidType: ``obj`` (or something inside a list or dict given) cannot be serialized.
    """
    data = to_dict(obj)
    try:
        return _ENCODER.encode(data)
    except (TypeError, ValueError) as exc:
        raise InvalidType("dumps.obj", f"cannot be written as JSON: {exc}") from None


_JSON_SCALARS = str | int | float | bool


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


def loads(text: str | bytes, cls: type[T]) -> T:
    """``from_dict`` of JSON text; invalid JSON is a `DeserializationError` too."""
    try:
        data = _DECODER.decode(text.decode() if isinstance(text, bytes) else text)
    except (ValueError, TypeError, RecursionError) as exc:
        raise DeserializationError([Problem("payload", f"invalid JSON: {exc}")]) from None
    return from_dict(data, cls)


def _no_float(text: str) -> Decimal:
    # Kept exact so that a number where a decimal string belongs is reported, not rounded.
    return Decimal(text)


def _no_constant(text: str) -> None:
    raise ValueError(f"{text} is not allowed in JSON")


_DECODER = json.JSONDecoder(parse_float=_no_float, parse_constant=_no_constant)


def dump_events(events: Iterable[ev.Event]) -> dict[str, Any]:
    """An event log payload: ``{"schema_version", "kind": "event_log", "events": [...]}``."""
    fast = _DEFAULTS.fast
    given: object = events
    if isinstance(given, str | bytes | dict) or not isinstance(given, Iterable):
        raise InvalidType(
            "dump_events.events", f"expected an iterable of events, got {type(given).__name__}"
        )
    items = list(given)
    for i, event in enumerate(items):
        if not isinstance(event, ev.Event):
            raise InvalidType(f"events[{i}]", f"expected an Event, got {type(event).__name__}")
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "event_log",
        "events": [fast.unstructure(e, ev.Event) for e in items],
    }


def load_events(
    payload: object, *, check: bool = True, lifecycle: Lifecycle = COMPLAINT_LIFECYCLE
) -> tuple[ev.Event, ...]:
    """The events of an event log payload, upcast to today's shape.

    With ``check`` (the default) the events must also replay on ``lifecycle``; a rule
    break is reported as ``events[i]: ...``.
    """

    def build(conv: cattrs.Converter) -> tuple[ev.Event, ...]:
        return load_event_log(conv, state_of(conv), payload, lifecycle if check else None)

    return _fast_then_detailed(build)
