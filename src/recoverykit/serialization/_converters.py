"""Converters: `make_converter` and `configure_converter`, and the collection hooks.

Laid out like cattrs' preconf modules: a function that adds every recoverykit hook to a
converter (yours, an orjson one, ...) and one that makes a fresh converter. Each converter
gets its own `Registry` (event tags, lifecycles, tagged classes): see `_registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote

from recoverykit import events as ev
from recoverykit.case import Case
from recoverykit.errors import ValidationError
from recoverykit.lifecycle import Lifecycle
from recoverykit.serialization import _envelopes, _tagged
from recoverykit.serialization._builtins import TAGGED_BASES, is_loaded, loaded
from recoverykit.serialization._generated import (
    attrs_hook,
    dumper,
    generated,
    is_optional,
    optional_hook,
    unstructurer,
)
from recoverykit.serialization._registry import Registry, State, attach, builtin_registry
from recoverykit.serialization._scalars import (
    PayloadError,
    describe,
    dump_datetime,
    dump_enum,
    dump_timedelta,
    expect,
    load_attributes,
    load_bool,
    load_date,
    load_datetime,
    load_decimal,
    load_enum,
    load_int,
    load_str,
    load_timedelta,
)


def configure_converter(
    conv: cattrs.Converter, *, registry: Registry | None = None
) -> cattrs.Converter:
    """Add recoverykit's hooks to ``conv`` (and return it). Works on preconf converters.

    The converter gets a registry of its own that knows every built-in event, tagged class
    and the default lifecycle; add yours with ``register_event(cls, converter=conv)`` and
    the other ``register_*`` functions. (``registry`` shares one between converters.)
    """
    given: object = conv
    if not isinstance(given, cattrs.BaseConverter):
        from recoverykit.errors import InvalidType

        raise InvalidType(
            "configure_converter.conv", f"expected a cattrs converter, got {type(conv).__name__}"
        )
    state = State(builtin_registry() if registry is None else registry)
    attach(conv, state)
    detailed = conv.detailed_validation
    # Generic attrs classes first: the specific hooks registered after take precedence.
    conv.register_structure_hook_factory(attrs.has, lambda t: attrs_hook(conv, t))
    conv.register_unstructure_hook_factory(
        attrs.has, (lambda t: unstructurer(conv, t)) if detailed else (lambda t: dumper(conv, t))
    )
    # singledispatch, so that bool beats int and StrEnum beats str for their subclasses.
    for type_, hook in (
        (str, load_str),
        (int, load_int),
        (bool, load_bool),
        (Decimal, load_decimal),
        (datetime, load_datetime),
        (date, load_date),
        (timedelta, load_timedelta),
        (Enum, load_enum),
        (StrEnum, load_enum),
    ):
        conv.register_structure_hook(type_, hook)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(datetime, dump_datetime)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(timedelta, dump_timedelta)
    # Registered on StrEnum too: str comes before Enum in a StrEnum's MRO.
    conv.register_unstructure_hook(Enum, dump_enum)
    conv.register_unstructure_hook(StrEnum, dump_enum)
    conv.register_structure_hook_func(_is_attributes, load_attributes)
    conv.register_unstructure_hook_func(_is_attributes, dict)
    conv.register_structure_hook_factory(_is_sequence, lambda t: _sequence_hook(conv, t))
    conv.register_structure_hook_factory(is_optional, lambda t: optional_hook(conv, t))
    conv.register_unstructure_hook_func(_is_set, _set_unstructurer(conv))
    conv.register_unstructure_hook_func(_is_event_type, _event_type_tag)
    conv.register_structure_hook_factory(_is_event_type, lambda _: _event_type_hook(state))
    _configure_tagged(conv, state)
    _configure_events(conv, state)
    unstructure_cal, structure_cal = _envelopes.calendar_hooks(conv)
    is_calendar = is_loaded("recoverykit.calendars", "BusinessCalendar")
    conv.register_unstructure_hook_func(is_calendar, unstructure_cal)
    conv.register_structure_hook_func(is_calendar, structure_cal)
    conv.register_structure_hook(
        _envelopes.SourcePayload, lambda v, t: _envelopes.load_source(conv, v, t)
    )
    unstructure_case, structure_case = _envelopes.case_hooks(conv, state)
    conv.register_unstructure_hook(Case, unstructure_case)
    conv.register_structure_hook(Case, structure_case)
    conv.register_unstructure_hook(Lifecycle, _refuse_lifecycle)
    conv.register_structure_hook(Lifecycle, _refuse_lifecycle)
    return conv


def make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """A fresh converter with every recoverykit hook and a registry of its own.

    ``detailed=False`` skips cattrs' per-attribute error bookkeeping and loads attrs classes
    with generated functions: faster, and what the convenience functions try first.
    """
    return configure_converter(
        cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    )


def _configure_tagged(conv: cattrs.Converter, state: State) -> None:
    plain = (
        (lambda cls: unstructurer(conv, cls))
        if conv.detailed_validation
        else (lambda cls: dumper(conv, cls))
    )
    for module, name, what in TAGGED_BASES:
        unstructure, structure = _tagged.tagged_hooks(conv, state, plain, what)
        conv.register_structure_hook_func(is_loaded(module, name), structure)

    def tagged(t: Any) -> bool:
        # A value is unstructured by its declared type (a protocol) or by its own class, one
        # that carries a string ``tag`` class attribute.
        if isinstance(getattr(t, "tag", None), str) and attrs.has(t):
            return True
        return any(t is loaded(module, name) for module, name, _ in TAGGED_BASES)

    conv.register_unstructure_hook_func(tagged, unstructure)


def _configure_events(conv: cattrs.Converter, state: State) -> None:
    detailed = conv.detailed_validation

    def plain(cls: type, constants: tuple[tuple[str, Any], ...]) -> _tagged.Dumper:
        if not detailed:
            return dumper(conv, cls, constants)
        fn = unstructurer(conv, cls)
        head = dict(constants)
        return lambda event: {**head, **fn(event)}

    def loader_for(cls: type) -> _tagged.Loader:
        checked = _tagged.checked_event_loader(conv, cls)
        return checked if detailed else generated(conv, cls, checked, "type", "event_version")

    unstructure_event, unstructure_events = _tagged.event_dumpers(state, plain)
    sequence = _sequence_hook(conv, _tagged.EVENT_TUPLE)
    structure_event, structure_events = _tagged.event_loaders(state, loader_for, sequence)
    conv.register_unstructure_hook_func(is_event, unstructure_event)
    conv.register_structure_hook_func(is_event, structure_event)
    conv.register_unstructure_hook_func(lambda t: t == _tagged.EVENT_TUPLE, unstructure_events)
    if not detailed:
        conv.register_structure_hook_func(lambda t: t == _tagged.EVENT_TUPLE, structure_events)


def is_event(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, ev.Event)


def _refuse_lifecycle(*_: object) -> None:
    raise ValidationError(
        "Lifecycle", "a lifecycle holds code (guards): save its name and register_lifecycle()"
    )


# An ActivityRecorded's attributes, as the event annotates them.
_ATTRIBUTES = Mapping[str, ev.AttributeValue]


def _is_attributes(t: Any) -> bool:
    return bool(t == _ATTRIBUTES)


def _is_sequence(t: Any) -> bool:
    return get_origin(t) in (tuple, frozenset)


def _is_set(t: Any) -> bool:
    return t in (frozenset, set) or get_origin(t) in (frozenset, set)


def _is_event_type(t: Any) -> bool:
    return get_origin(t) is type


def _event_type_tag(cls: type[ev.Event]) -> str:
    return cls.event_type


def _event_type_hook(state: State) -> Callable[[object, object], type[ev.Event]]:
    events = state.registry.events

    def structure(value: object, _: object) -> type[ev.Event]:
        expect(value, str, "an event type tag")
        cls = events.get(str(value))
        if cls is None:
            raise PayloadError(f"unknown event type {value!r}")
        return cls

    return structure


def _sequence_hook(conv: cattrs.Converter, type_: Any) -> Callable[[object, object], Any]:
    origin, args = get_origin(type_), get_args(type_)
    fixed = origin is tuple and not (len(args) == 2 and args[1] is Ellipsis)

    hooks: dict[Any, Callable[[Any, Any], Any]] = {}

    def hook(item_type: Any) -> Callable[[Any, Any], Any]:
        # Looked up once per item type, not once per item.
        found = hooks.get(item_type)
        if found is None:
            found = hooks[item_type] = conv.get_structure_hook(item_type)
        return found

    if not (conv.detailed_validation or fixed):
        return _fast_sequence_hook(conv, origin, args[0])

    def structure(value: object, _: object) -> Any:
        if not isinstance(value, list | tuple):
            raise PayloadError(f"expected a list, got {describe(value)}")
        if fixed and len(value) != len(args):
            raise PayloadError(f"expected a list of {len(args)} items, got {len(value)}")
        out, errors = [], []
        for i, item in enumerate(value):
            item_type = args[i] if fixed else args[0]
            try:
                out.append(hook(item_type)(item, item_type))
            except Exception as exc:  # noqa: BLE001 - every problem is reported, with its index
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    IterableValidationNote(f"Structuring {type_} @ index {i}", i, item_type),
                ]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {type_}", errors, type_)
        return frozenset(out) if origin is frozenset else tuple(out)

    return structure


def _fast_sequence_hook(
    conv: cattrs.Converter, origin: type, item_type: Any
) -> Callable[[object, object], Any]:
    # The fast converter stops at the first bad item; the detailed pass lists them all.
    build = frozenset if origin is frozenset else tuple
    hooks: list[Callable[[Any, Any], Any]] = []

    def structure(value: object, _: object) -> Any:
        if not isinstance(value, list | tuple):
            raise PayloadError(f"expected a list, got {describe(value)}")
        if not hooks:  # looked up on first use: the item type may still be being configured
            hooks.append(conv.get_structure_hook(item_type))
        item = hooks[0]
        return build([item(v, item_type) for v in value])

    return structure


def _set_unstructurer(conv: cattrs.Converter) -> Callable[[frozenset[Any]], list[Any]]:
    def unstructure(value: frozenset[Any]) -> list[Any]:
        return sorted((conv.unstructure(v) for v in value), key=str)

    return unstructure
