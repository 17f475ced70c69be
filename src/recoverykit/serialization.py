"""JSON-ready dicts for every recoverykit value, with schema versions and clear errors.

The library owns its cattrs converters (it never touches ``cattrs.global_converter``):
`make_converter()` builds one, `configure_converter(conv)` adds recoverykit's hooks to one you
already have (an orjson or msgpack preconf converter, say). The format:

- datetimes are ISO 8601 with their offset, and the IANA zone in brackets when there is one
  (``2026-03-02T09:30:00+00:00[Europe/London]``, as RFC 9557 does); a naive one is an error;
- money amounts and other decimals are strings; enums are their values; durations are ISO 8601
  (``P0DT3600S``); sets are sorted lists;
- events are tagged by their stable ``event_type`` in a ``type`` field (renaming a class never
  changes stored data); unknown keys are rejected;
- events, event logs and case snapshots carry ``schema_version``; older payloads are upcast.

Loading tries a fast converter first; only when it fails does a second, detailed pass run to
explain every problem, so a bad payload raises one `DeserializationError` listing each
``path: message`` and nothing is half built.
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from recoverykit import events as ev
from recoverykit._codegen import Field as LoaderField
from recoverykit._codegen import Item as DumpItem
from recoverykit._codegen import make_dumper, make_loader
from recoverykit.calendars import (
    BusinessCalendar,
    EasterOffset,
    FixedDate,
    HolidayRules,
    NthWeekday,
    OneOff,
)
from recoverykit.case import Case, replay
from recoverykit.clocks import (
    BusinessDays,
    BusinessHours,
    CalendarDays,
    CloseOfBusinessAfter,
    Months,
    Weeks,
)
from recoverykit.errors import (
    DeserializationError,
    InvalidEvent,
    InvalidTransition,
    RecoveryKitError,
    ValidationError,
)
from recoverykit.complaint_lifecycle import COMPLAINT_LIFECYCLE
from recoverykit.lifecycle import Lifecycle

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
    "to_dict",
]

T = TypeVar("T")

#: The version written today. Version 1 stored `OwnerAssigned.owner` as a bare id string.
SCHEMA_VERSION = 2

_EVENTS: dict[str, type[ev.Event]] = {}
_LIFECYCLES: dict[str, Lifecycle] = {}


def register_event(cls: type[ev.Event]) -> type[ev.Event]:
    """Make an app-defined event class loadable by its ``event_type`` tag (a decorator)."""
    is_attrs = isinstance(cls, type) and attrs.has(cls)
    if not (isinstance(cls, type) and issubclass(cls, ev.Event) and is_attrs):
        raise ValidationError("event", f"expected an attrs Event subclass, got {cls!r}")
    tag = cls.__dict__.get("event_type")
    if not isinstance(tag, str) or tag == ev.Event.event_type:
        raise ValidationError("event_type", f"{cls.__name__} needs its own event_type tag")
    known = _EVENTS.get(tag)
    same_name = known is not None and (known.__module__, known.__qualname__) == (
        cls.__module__,
        cls.__qualname__,
    )
    if known is not None and known is not cls and not same_name:  # a reload may redefine it
        raise ValidationError(
            "event_type", f"tag {tag!r} is already used by {known.__module__}.{known.__name__}"
        )
    _EVENTS[tag] = cls
    return cls


def register_lifecycle(lifecycle: Lifecycle) -> Lifecycle:
    """Make case snapshots that name ``lifecycle`` loadable (the default one is built in)."""
    _LIFECYCLES[lifecycle.name] = lifecycle
    return lifecycle


for _name in ev.__all__:
    _cls = getattr(ev, _name)
    if isinstance(_cls, type) and _cls is not ev.Event:
        register_event(_cls)
register_lifecycle(COMPLAINT_LIFECYCLE)


class _PayloadError(ValueError):
    """One problem with one value; the path is added by whoever knows it."""


# -- scalar hooks ---------------------------------------------------------------------------

_ZONE_SUFFIX = re.compile(r"^(.*)\[([^\]]+)\]$")
_DURATION = re.compile(r"^(-)?P(\d+)DT(\d+)(?:\.(\d{1,6}))?S$")
_HHMM = re.compile(r"^(\d\d):(\d\d)$")


def _expect(value: object, kind: type | tuple[type, ...], name: str) -> None:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _PayloadError(f"expected {name}, got {_describe(value)}")


def _describe(value: object) -> str:
    if value is None:
        return "null"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) < 40 else text[:37] + '...'}"


def _str(value: object, _: object) -> str:
    if isinstance(value, str):
        return value
    raise _PayloadError(f"expected a string, got {_describe(value)}")


def _int(value: object, _: object) -> int:
    if value.__class__ is int:
        return value
    _expect(value, int, "an integer")
    return value  # type: ignore[return-value]


def _bool(value: object, _: object) -> bool:
    if value.__class__ is bool:
        return value
    raise _PayloadError(f"expected true or false, got {_describe(value)}")


def _decimal(value: object, _: object) -> Decimal:
    _expect(value, str, "a decimal string such as '12.50'")
    try:
        number = Decimal(value)  # type: ignore[arg-type]
    except InvalidOperation:
        raise _PayloadError(f"{value!r} is not a decimal number") from None
    if not number.is_finite():
        raise _PayloadError(f"{value!r} is not a finite number")
    return number


def _unstructure_datetime(value: datetime) -> str:
    text = value.isoformat()
    tz = value.tzinfo
    if tz.__class__ is timezone:  # a fixed offset, UTC included: no zone name to add
        return text
    key = getattr(tz, "key", None)
    return f"{text}[{key}]" if key else text


def _datetime(value: object, _: object) -> datetime:
    if value.__class__ is not str:
        _expect(value, str, "an ISO 8601 datetime string")
    text, zone = str(value), None
    if text.endswith("]"):
        match = _ZONE_SUFFIX.match(text)
        if match:
            text, zone = match.groups()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise _PayloadError(f"{value!r} is not an ISO 8601 datetime") from None
    if parsed.tzinfo is None:
        raise _PayloadError("naive datetime, an offset is required")
    if zone is not None:
        # Keep the exact wall time and fold (a DST-gap time stays as it was written), and
        # pick the fold whose offset is the one in the text.
        tz = _zone(zone)
        wall = parsed.replace(tzinfo=tz, fold=0)
        if wall.utcoffset() != parsed.utcoffset():
            wall = wall.replace(fold=1)
        if wall.utcoffset() != parsed.utcoffset():
            raise _PayloadError(f"{value!r}: the offset does not match the time zone")
        parsed = wall
    return parsed


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _PayloadError(f"unknown time zone {name!r}") from None


def _date(value: object, _: object) -> date:
    _expect(value, str, "an ISO 8601 date string")
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _PayloadError(f"{value!r} is not an ISO 8601 date") from None


def _unstructure_timedelta(value: timedelta) -> str:
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    micro = f".{value.microseconds:06d}" if value.microseconds else ""
    return f"{sign}P{value.days}DT{value.seconds}{micro}S"


def _timedelta(value: object, _: object) -> timedelta:
    _expect(value, str, "an ISO 8601 duration such as 'P0DT3600S'")
    match = _DURATION.match(str(value))
    if not match:
        raise _PayloadError(f"{value!r} is not a duration like 'P1DT3600S'")
    sign, days, seconds, micro = match.groups()
    try:
        delta = timedelta(
            days=int(days), seconds=int(seconds), microseconds=int((micro or "0").ljust(6, "0"))
        )
    except OverflowError:
        raise _PayloadError(f"{value!r} is too long a duration") from None
    return -delta if sign else delta


def _enum_value(member: Enum) -> Any:
    return member.value


_ENUM_VALUES: dict[type[Enum], tuple[dict[Any, Enum], str]] = {}


def _enum(value: object, cls: type[Enum]) -> Enum:
    known = _ENUM_VALUES.get(cls)
    if known is None:
        values = {m.value: m for m in cls}
        known = _ENUM_VALUES[cls] = (values, ", ".join(repr(v) for v in values))
    try:
        return known[0][value]
    except (KeyError, TypeError):
        raise _PayloadError(f"{value!r} is not one of {known[1]}") from None


def _attrs_hook(conv: cattrs.Converter, cls: type) -> Callable[[object, object], Any]:
    structure: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, conv)

    def checked(value: object, _: object) -> Any:
        if not isinstance(value, dict):
            raise _PayloadError(f"expected an object ({cls.__name__}), got {_describe(value)}")
        return structure(value, cls)

    if conv.detailed_validation:
        return checked
    # The generated loader handles the common case; anything else goes to ``checked``.
    return _generated(conv, cls, checked)


def _generated(
    conv: cattrs.Converter, cls: type, slow: Callable[[Any, Any], Any], *extra_keys: str
) -> Callable[[Any, Any], Any]:
    """A generated loader for ``cls`` (see `_codegen`), or ``slow`` where there is none."""
    attrs.resolve_types(cls)
    fields = []
    for a in attrs.fields(cls):
        if not a.init:
            continue
        default = a.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                return slow
            default = default.factory
        fields.append(
            _loader_field(
                conv,
                a.name,
                a.type,
                default=default,
                factory=default is not a.default,
                keyword=a.alias if a.kw_only else None,
            )
        )
    return make_loader(cls, fields, slow, extra_keys=extra_keys)


def _dumper(
    conv: cattrs.Converter, cls: type, tag: str | None = None
) -> Callable[[Any], dict[str, Any]]:
    """A generated unstructure function for ``cls`` writing the same dict as cattrs' one."""
    attrs.resolve_types(cls)
    items = []
    for a in attrs.fields(cls):
        if not a.init:  # as cattrs: a field outside __init__ is derived, not data
            continue
        hook = conv.get_unstructure_hook(a.type)
        kind, plain = "hook", None
        if hook is identity:
            kind = "plain"
        elif hook is _unstructure_datetime:
            kind = "datetime"
        elif hook is _enum_value and isinstance(a.type, type) and issubclass(a.type, StrEnum):
            kind = "enum"
        elif _is_optional(a.type):
            inner = next(t for t in get_args(a.type) if t is not type(None))
            if inner in (str, int, bool) and conv.get_unstructure_hook(inner) is identity:
                kind, plain = "optional_plain", inner
        items.append(DumpItem(a.name, kind, hook, plain, omit_none=a.default is None))
    return make_dumper(cls, items, tag=None if tag is None else ("type", tag))


def _unstructurer(conv: cattrs.Converter, cls: type) -> Callable[[Any], dict[str, Any]]:
    """cattrs' unstructure function for ``cls``, leaving out None where None is the default."""
    omitted = {
        a.name: override(omit_if_default=True) for a in attrs.fields(cls) if a.default is None
    }
    fn: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
        cls,
        conv,
        **omitted,  # type: ignore[arg-type]  # per-attribute overrides, typed loosely
    )
    return fn


def _loader_field(
    conv: cattrs.Converter,
    key: str,
    type_: Any,
    *,
    default: Any,
    factory: bool,
    keyword: str | None,
) -> LoaderField:
    hook = conv.get_structure_hook(type_)
    inner, optional = type_, False
    if hook is _optional_str or _is_our_optional(hook):
        inner, optional = next(a for a in get_args(type_) if a is not type(None)), True
        hook = conv.get_structure_hook(inner)
    # Inlined only where the converter's hook is the library's own, so that a hook the user
    # registered on their converter is always the one that runs.
    kind = next((k for known, k in _INLINE if hook is known), "hook")
    members = None
    if hook is _enum and isinstance(inner, type) and issubclass(inner, StrEnum):
        kind, members = "enum", {m.value: m for m in inner}
    return LoaderField(
        key,
        kind,
        hook,
        inner,
        optional=optional,
        members=members,
        has_default=default is not attrs.NOTHING,
        default=None if default is attrs.NOTHING else default,
        factory=factory,
        keyword=keyword,
    )


# -- collections: strict about lists, errors per index --------------------------------------


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
            raise _PayloadError(f"expected a list, got {_describe(value)}")
        if fixed and len(value) != len(args):
            raise _PayloadError(f"expected a list of {len(args)} items, got {len(value)}")
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
            raise _PayloadError(f"expected a list, got {_describe(value)}")
        if not hooks:  # looked up on first use: the item type may still be being configured
            hooks.append(conv.get_structure_hook(item_type))
        item = hooks[0]
        return build([item(v, item_type) for v in value])

    return structure


def _set_unstructurer(conv: cattrs.Converter) -> Callable[[frozenset[Any]], list[Any]]:
    def unstructure(value: frozenset[Any]) -> list[Any]:
        return sorted((conv.unstructure(v) for v in value), key=str)

    return unstructure


# -- tagged unions --------------------------------------------------------------------------

_RULE_TAGS: dict[str, type] = {
    "fixed_date": FixedDate,
    "nth_weekday": NthWeekday,
    "easter_offset": EasterOffset,
    "one_off": OneOff,
}
_TARGET_TAGS: dict[str, type] = {
    "business_days": BusinessDays,
    "close_of_business_after": CloseOfBusinessAfter,
    "calendar_days": CalendarDays,
    "weeks": Weeks,
    "months": Months,
    "business_hours": BusinessHours,
}


def _tagged(
    conv: cattrs.Converter, tags: Mapping[str, type], what: str
) -> tuple[Callable[[Any], dict[str, Any]], Callable[[object, object], Any]]:
    names = {cls: tag for tag, cls in tags.items()}
    plain: dict[type, Callable[[Any], dict[str, Any]]] = {
        cls: _unstructurer(conv, cls) for cls in tags.values()
    }

    def unstructure(value: Any) -> dict[str, Any]:
        return {"type": names[type(value)], **plain[type(value)](value)}

    def structure(value: object, _: object) -> Any:
        return _structure_tagged(conv, value, tags, what)

    return unstructure, structure


def _structure_tagged(
    conv: cattrs.Converter, value: object, tags: Mapping[str, type], what: str
) -> Any:
    _expect(value, dict, f"an object with a 'type' ({what})")
    body = dict(value)  # type: ignore[call-overload]
    tag = body.pop("type", None)
    cls = tags.get(tag) if isinstance(tag, str) else None
    if cls is None:
        problem = _PayloadError(
            f"unknown {what} type {tag!r}" if tag is not None else f"missing the {what} type"
        )
        problem.__notes__ = [AttributeValidationNote("type", "type", str)]
        raise ClassValidationError(f"While structuring a {what}", [problem], object)
    return conv.structure(body, cls)


# -- events, cases and calendars ------------------------------------------------------------


def _event_dumpers(
    conv: cattrs.Converter,
) -> tuple[
    Callable[[ev.Event], dict[str, Any]], Callable[[Iterable[ev.Event]], list[dict[str, Any]]]
]:
    """Unstructure one event, or a history, by the event's class (one function per class)."""
    dumpers: dict[type, Callable[[Any], dict[str, Any]]] = {}

    def unstructure(event: ev.Event) -> dict[str, Any]:
        cls = type(event)
        fn = dumpers.get(cls)
        if fn is None:
            fn = dumpers[cls] = _event_unstructurer(conv, cls)
        return fn(event)

    def unstructure_many(events: Iterable[ev.Event]) -> list[dict[str, Any]]:
        get = dumpers.get
        return [(get(e.__class__) or unstructure)(e) for e in events]

    return unstructure, unstructure_many


def _event_loaders(
    conv: cattrs.Converter,
) -> tuple[Callable[[object, object], ev.Event], Callable[[object, object], tuple[ev.Event, ...]]]:
    """Structure one event, or a history, by its ``type`` tag (one function per class)."""
    loaders: dict[type, Callable[[Any, Any], Any]] = {}
    any_event = ev.Event

    def structure(value: object, wanted: object) -> ev.Event:
        if isinstance(value, dict):  # the common case first, in as few steps as possible
            tag = value.get("type")
            cls = _EVENTS.get(tag) if isinstance(tag, str) else None
            if cls is not None and (wanted is any_event or wanted is cls):
                fn = loaders.get(cls)
                if fn is None:
                    fn = loaders[cls] = _event_structurer(conv, cls)
                event: ev.Event = fn(value, cls)
                return event
        raise _not_an_event(value, wanted)

    def structure_many(value: object, _: object) -> tuple[ev.Event, ...]:
        # A history is the longest list in a payload: the dispatch runs inline, and anything
        # unusual goes through ``structure``.
        if value.__class__ is not list:
            return sequence(value, _EVENT_TUPLE)  # type: ignore[no-any-return]
        out = []
        for item in value:
            tag = item.get("type") if item.__class__ is dict else None
            fn = loaders.get(_EVENTS.get(tag)) if tag.__class__ is str else None  # type: ignore[arg-type]
            out.append(structure(item, any_event) if fn is None else fn(item, any_event))
        return tuple(out)

    sequence = _sequence_hook(conv, _EVENT_TUPLE)
    return structure, structure_many


def _not_an_event(value: object, wanted: object) -> Exception:
    if not isinstance(value, dict):
        return _PayloadError(f"expected an event object, got {_describe(value)}")
    tag = value.get("type")
    cls = _EVENTS.get(tag) if isinstance(tag, str) else None
    if cls is None:
        text = f"unknown event type {tag!r}" if tag is not None else "missing event type"
    else:
        text = f"expected a {wanted.event_type!r} event, got {tag!r}"  # type: ignore[attr-defined]
    problem = _PayloadError(text)
    problem.__notes__ = [AttributeValidationNote("type", "type", str)]
    return ClassValidationError("While structuring an event", [problem], ev.Event)


def _event_unstructurer(
    conv: cattrs.Converter, cls: type[ev.Event]
) -> Callable[[ev.Event], dict[str, Any]]:
    if not conv.detailed_validation:
        return _dumper(conv, cls, cls.event_type)
    fn = _unstructurer(conv, cls)

    def unstructure(event: ev.Event) -> dict[str, Any]:
        return {"type": cls.event_type, **fn(event)}

    return unstructure


def _event_structurer(conv: cattrs.Converter, cls: type[ev.Event]) -> Callable[[Any, Any], Any]:
    # Extra keys are checked here ("type" is allowed), so the body is never copied.
    made: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls, conv, _cattrs_forbid_extra_keys=False
    )
    allowed = frozenset({"type", *(a.name for a in attrs.fields(cls) if a.init)})

    def checked(value: dict[str, Any], _: object) -> Any:
        if not allowed.issuperset(value):
            extra = value.keys() - allowed
            raise ClassValidationError(
                "While structuring an event", [ForbiddenExtraKeysError("", cls, extra)], cls
            )
        return made(value, cls)

    if conv.detailed_validation:
        return checked
    return _generated(conv, cls, checked, "type")


def _upcast_event(data: Any, version: int) -> Any:
    """Turn an event payload of an older ``version`` into today's shape."""
    if version < 2 and isinstance(data, dict) and data.get("type") == "owner.assigned":
        owner = data.get("owner")
        if isinstance(owner, str):  # version 1: the owner's id only
            data = {**data, "owner": {"id": owner, "team": None}}
    return data


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _seconds(text: object, *, end: bool) -> time:
    _expect(text, str, "a time 'HH:MM'")
    match = _HHMM.match(str(text))
    hours, minutes = (int(g) for g in match.groups()) if match else (99, 99)
    if end and (hours, minutes) == (24, 0):
        return time(0)
    if hours > 23 or minutes > 59:
        raise _PayloadError(f"{text!r} is not a time 'HH:MM' (24:00 allowed as an end)")
    return time(hours, minutes)


def _calendar_hooks(
    conv: cattrs.Converter,
) -> tuple[Callable[[BusinessCalendar], dict[str, Any]], Callable[[object, object], Any]]:
    def unstructure(cal: BusinessCalendar) -> dict[str, Any]:
        key = getattr(cal.tz, "key", None)
        if key is None and cal.tz is not UTC:
            raise ValidationError(
                "BusinessCalendar.tz", "only zones with an IANA name can be saved"
            )
        sources = [_unstructure_source(conv, source) for source in cal.holidays_from]
        hours = {
            str(day): [[_hhmm(s), _hhmm(e)] for s, e in cal.hours[day]]
            for day in range(7)
            if cal.hours[day]
        }
        return {"tz": key or "UTC", "hours": hours, "holidays": sources, "name": cal.name}

    def structure(value: object, _: object) -> BusinessCalendar:
        _expect(value, dict, "a calendar object")
        data = dict(value)  # type: ignore[call-overload]
        errors: list[Exception] = []

        def field(name: str, fn: Callable[[Any], Any]) -> Any:
            try:
                return fn(data.pop(name))
            except Exception as exc:  # noqa: BLE001 - collected and reported with the path
                if isinstance(exc, KeyError):
                    exc = _PayloadError("required field missing")
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    AttributeValidationNote(name, name, object),
                ]
                errors.append(exc)
                return None

        tz = field("tz", lambda v: _zone(_str(v, None)))
        hours = field("hours", _hours_from)
        sources = field("holidays", lambda v: conv.structure(v, tuple[_SourcePayload, ...]))
        name = field("name", lambda v: _str(v, None))
        if data:
            errors.append(ForbiddenExtraKeysError("", BusinessCalendar, set(data)))
        if errors:
            raise ClassValidationError(
                "While structuring BusinessCalendar", errors, BusinessCalendar
            )
        return BusinessCalendar(
            tz, hours=hours, holidays_from=[s.source for s in sources], name=name
        )

    return unstructure, structure


def _unstructure_source(conv: cattrs.Converter, source: object) -> dict[str, Any]:
    if isinstance(source, HolidayRules):
        return {"type": "rules", **conv.unstructure(source)}
    if isinstance(source, Mapping):
        dates = {d.isoformat(): str(name) for d, name in sorted(source.items())}
        return {"type": "named_dates", "dates": dates}
    if isinstance(source, set | frozenset):
        return {"type": "dates", "dates": sorted(d.isoformat() for d in source)}
    raise ValidationError(
        "BusinessCalendar.holidays_from",
        f"a {type(source).__name__} holiday source cannot be saved; use HolidayRules or a set "
        "of dates",
    )


def _hours_from(value: object) -> dict[int, list[tuple[time, time]]]:
    _expect(value, dict, "an object of weekday to intervals")
    out: dict[int, list[tuple[time, time]]] = {}
    for day, intervals in value.items():  # type: ignore[attr-defined]
        if day not in {"0", "1", "2", "3", "4", "5", "6"}:
            raise _PayloadError(f"weekday {day!r} is not '0' (Monday) .. '6' (Sunday)")
        _expect(intervals, list, "a list of [start, end] pairs")
        pairs = []
        for pair in intervals:
            _expect(pair, list, "a [start, end] pair")
            if len(pair) != 2:
                raise _PayloadError(f"expected a [start, end] pair, got {pair!r}")
            pairs.append((_seconds(pair[0], end=False), _seconds(pair[1], end=True)))
        out[int(day)] = pairs
    return out


@attrs.frozen
class _SourcePayload:
    source: HolidayRules | frozenset[date] | dict[date, str]


def _source(conv: cattrs.Converter, value: object, _: object) -> _SourcePayload:
    _expect(value, dict, "a holiday source object")
    body = dict(value)  # type: ignore[call-overload]
    kind = body.pop("type", None)
    if kind == "rules":
        return _SourcePayload(conv.structure(body, HolidayRules))
    if kind == "dates" and set(body) == {"dates"}:
        return _SourcePayload(conv.structure(body["dates"], frozenset[date]))
    if kind == "named_dates" and set(body) == {"dates"} and isinstance(body["dates"], dict):
        return _SourcePayload({_date(k, None): _str(n, None) for k, n in body["dates"].items()})
    raise _PayloadError(
        f"unknown holiday source {kind!r} (expected 'rules', 'dates' or 'named_dates')"
    )


_CASE_KEYS = frozenset({"lifecycle", "events"})


def _case_hooks(
    conv: cattrs.Converter, events: Callable[[Iterable[ev.Event]], list[dict[str, Any]]]
) -> tuple[Callable[[Case], dict[str, Any]], Callable[[object, object], Case]]:
    def unstructure(case: Case) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "case",
            "lifecycle": case.lifecycle.name,
            "events": events(case.history),
        }

    def structure(value: object, _: object) -> Case:
        body = _envelope(value, "case", _CASE_KEYS)
        name = body["lifecycle"]
        lifecycle = _LIFECYCLES.get(name) if isinstance(name, str) else None
        if lifecycle is None:
            raise _at(
                "lifecycle", f"unknown lifecycle {name!r}; register it with register_lifecycle()"
            )
        events = _structure_events(conv, body["events"], body["schema_version"])
        return _replayed(events, lifecycle)

    return unstructure, structure


def _envelope(value: object, kind: str, fields: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _PayloadError(f"expected a {kind} object, got {_describe(value)}")
    body: dict[str, Any] = value
    version = body.get("schema_version")
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or not 1 <= version <= SCHEMA_VERSION
    ):
        raise _at("schema_version", f"expected a version 1..{SCHEMA_VERSION}, got {version!r}")
    if body.get("kind") != kind:
        raise _at("kind", f"expected {kind!r}, got {body.get('kind')!r}")
    keys = body.keys()
    if len(keys) != len(fields) + 2 or not keys >= fields:  # fields and the two above
        missing = sorted(fields - keys)
        if missing:
            raise _at(missing[0], "required field missing")
        raise _at(min(keys - fields - _ENVELOPE_KEYS), "unknown key")
    return body


_ENVELOPE_KEYS = frozenset({"schema_version", "kind"})
_EVENT_TUPLE = tuple[ev.Event, ...]


def _at(name: str, message: str) -> ClassValidationError:
    problem = _PayloadError(message)
    problem.__notes__ = [AttributeValidationNote(name, name, object)]
    return ClassValidationError("While structuring a payload", [problem], object)


def _structure_events(conv: cattrs.Converter, value: object, version: int) -> tuple[ev.Event, ...]:
    if version < SCHEMA_VERSION and isinstance(value, list):
        value = [_upcast_event(item, version) for item in value]
    try:
        events: tuple[ev.Event, ...] = _hook(conv, _EVENT_TUPLE)(value, _EVENT_TUPLE)
    except Exception as exc:  # noqa: BLE001 - re-raised with its place in the payload
        exc.__notes__ = [
            *getattr(exc, "__notes__", []),
            AttributeValidationNote("events", "events", object),
        ]
        raise ClassValidationError("While structuring events", [exc], object) from None
    return events


def _replayed(events: tuple[ev.Event, ...], lifecycle: Lifecycle) -> Case:
    try:
        return replay(events, lifecycle=lifecycle)
    except (InvalidEvent, InvalidTransition) as exc:
        index = exc.index or 0
        if isinstance(exc, InvalidEvent):
            reason = exc.reason
        else:
            reason = str(InvalidTransition(exc.state, exc.event, exc.allowed, exc.sources))
        raise _at(f"events[{index}]", reason) from None


# -- the converter --------------------------------------------------------------------------


def configure_converter(conv: cattrs.Converter) -> cattrs.Converter:
    """Add recoverykit's hooks to ``conv`` (and return it). Works on preconf converters."""
    # Generic attrs classes first: the specific hooks registered after take precedence.
    conv.register_structure_hook_factory(attrs.has, lambda t: _attrs_hook(conv, t))
    conv.register_unstructure_hook_factory(
        attrs.has,
        (lambda t: _unstructurer(conv, t))
        if conv.detailed_validation
        else (lambda t: _dumper(conv, t)),
    )
    # singledispatch, so that bool beats int and StrEnum beats str for their subclasses.
    for type_, hook in (
        (str, _str),
        (int, _int),
        (bool, _bool),
        (Decimal, _decimal),
        (datetime, _datetime),
        (date, _date),
        (timedelta, _timedelta),
        (Enum, _enum),
        (StrEnum, _enum),
    ):
        conv.register_structure_hook(type_, hook)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(datetime, _unstructure_datetime)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(timedelta, _unstructure_timedelta)
    # Registered on StrEnum too: str comes before Enum in a StrEnum's MRO.
    conv.register_unstructure_hook(Enum, _enum_value)
    conv.register_unstructure_hook(StrEnum, _enum_value)
    conv.register_structure_hook_factory(_is_sequence, lambda t: _sequence_hook(conv, t))
    conv.register_structure_hook_factory(_is_optional, lambda t: _optional_hook(conv, t))
    conv.register_unstructure_hook_func(_is_set, _set_unstructurer(conv))
    conv.register_unstructure_hook_func(_is_event_type, _event_type_tag)
    conv.register_structure_hook_factory(_is_event_type, lambda _: _event_type_hook)
    for tags, what, union in (
        (_RULE_TAGS, "holiday rule", _RuleUnion),
        (_TARGET_TAGS, "clock target", _TargetUnion),
    ):
        unstructure, structure = _tagged(conv, tags, what)
        for cls in tags.values():
            conv.register_unstructure_hook(cls, unstructure)
        conv.register_structure_hook(union, structure)
    unstructure_event, unstructure_events = _event_dumpers(conv)
    structure_event, structure_events = _event_loaders(conv)
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, ev.Event), unstructure_event
    )
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, ev.Event), structure_event
    )
    if not conv.detailed_validation:
        conv.register_structure_hook_func(lambda t: t == _EVENT_TUPLE, structure_events)
    unstructure_cal, structure_cal = _calendar_hooks(conv)
    conv.register_unstructure_hook(BusinessCalendar, unstructure_cal)
    conv.register_structure_hook(BusinessCalendar, structure_cal)
    conv.register_structure_hook(_SourcePayload, lambda v, t: _source(conv, v, t))
    unstructure_case, structure_case = _case_hooks(conv, unstructure_events)
    conv.register_unstructure_hook(Case, unstructure_case)
    conv.register_structure_hook(Case, structure_case)
    conv.register_unstructure_hook(Lifecycle, _refuse_lifecycle)
    conv.register_structure_hook(Lifecycle, _refuse_lifecycle)
    return conv


def _is_sequence(t: Any) -> bool:
    return get_origin(t) in (tuple, frozenset)


def _is_optional(t: Any) -> bool:
    args = get_args(t)
    return len(args) == 2 and type(None) in args and get_origin(t) in (Union, UnionType)


def _optional_str(value: Any, _: Any) -> str | None:
    if value is None or value.__class__ is str:
        return value
    return _str(value, None)


def _optional_hook(conv: cattrs.Converter, t: Any) -> Callable[[Any, Any], Any]:
    inner = next(a for a in get_args(t) if a is not type(None))
    if inner is str and conv.get_structure_hook(str) is _str:
        return _optional_str  # the most common optional field: one call instead of two
    hook = conv.get_structure_hook(inner)  # resolved once, not on every value

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    _OPTIONAL_HOOKS.add(structure)
    return structure


# Our optional hooks (None, or the inner type's hook): generated loaders may inline them.
_OPTIONAL_HOOKS: weakref.WeakSet[Callable[[Any, Any], Any]] = weakref.WeakSet()


def _is_our_optional(hook: Callable[[Any, Any], Any]) -> bool:
    try:
        return hook in _OPTIONAL_HOOKS
    except TypeError:  # a user's hook that cannot be hashed or weakly referenced
        return False


def _is_set(t: Any) -> bool:
    return t in (frozenset, set) or get_origin(t) in (frozenset, set)


def _is_event_type(t: Any) -> bool:
    return get_origin(t) is type


def _event_type_tag(cls: type[ev.Event]) -> str:
    return cls.event_type


def _refuse_lifecycle(*_: object) -> None:
    raise ValidationError(
        "Lifecycle", "a lifecycle holds code (guards): save its name and register_lifecycle()"
    )


def _event_type_hook(value: object, _: object) -> type[ev.Event]:
    _expect(value, str, "an event type tag")
    cls = _EVENTS.get(str(value))
    if cls is None:
        raise _PayloadError(f"unknown event type {value!r}")
    return cls


# The library's scalar hooks and the kind a generated loader checks inline instead.
_INLINE: tuple[tuple[Callable[[Any, Any], Any], str], ...] = (
    (_str, "str"),
    (_bool, "bool"),
    (_int, "int"),
    (_datetime, "datetime"),
    (_decimal, "decimal"),
)

# The union annotations in the classes are resolved to these for structuring.
_RuleUnion = FixedDate | NthWeekday | EasterOffset | OneOff
_TargetUnion = BusinessDays | CloseOfBusinessAfter | CalendarDays | Weeks | Months | BusinessHours


def make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """A fresh converter with every recoverykit hook. ``detailed=False`` skips cattrs'
    per-attribute error bookkeeping: faster, and what the convenience functions try first."""
    return configure_converter(
        cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    )


_FAST = make_converter(detailed=False)
_DETAILED = make_converter(detailed=True)


def to_dict(obj: object) -> Any:
    """A JSON-ready dict (or list or scalar) for any recoverykit value, event or case."""
    data = _FAST.unstructure(obj)
    if isinstance(obj, ev.Event):
        data = {"schema_version": SCHEMA_VERSION, **data}
    return data


def from_dict(data: object, cls: type[T]) -> T:
    """Build a ``cls`` from ``data``; raises `DeserializationError` listing every problem."""
    if isinstance(cls, type) and issubclass(cls, ev.Event):
        data = _event_envelope(data)

    def build(conv: cattrs.Converter) -> T:
        built: T = _hook(conv, cls)(data, cls)
        return built

    return _fast_then_detailed(build)


_HOOKS: dict[tuple[int, Any], Callable[[Any, Any], Any]] = {}


def _hook(conv: cattrs.Converter, cls: Any) -> Callable[[Any, Any], Any]:
    """The converter's structure hook for ``cls``, looked up once."""
    key = (id(conv), cls)
    found = _HOOKS.get(key)
    if found is None:
        found = _HOOKS[key] = conv.get_structure_hook(cls)
    return found


def _fast_then_detailed(build: Callable[[cattrs.Converter], T]) -> T:
    """Build with the fast converter; on failure, run the detailed one to explain why."""
    try:
        return build(_FAST)
    except Exception:  # noqa: BLE001 - any failure is explained by the detailed pass
        try:
            return build(_DETAILED)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one error type
            raise DeserializationError(_messages(exc, "")) from None


def _event_envelope(data: object) -> object:
    if not isinstance(data, dict) or "schema_version" not in data:
        return data
    body = dict(data)
    version = body.pop("schema_version")
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or not 1 <= version <= SCHEMA_VERSION
    ):
        raise DeserializationError(
            [f"schema_version: expected a version 1..{SCHEMA_VERSION}, got {version!r}"]
        )
    return _upcast_event(body, version)


def dumps(obj: object) -> str:
    """``to_dict`` as compact JSON text."""
    return _ENCODER.encode(to_dict(obj))


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


def loads(text: str | bytes, cls: type[T]) -> T:
    """``from_dict`` of JSON text; invalid JSON is a `DeserializationError` too."""
    try:
        data = _DECODER.decode(text.decode() if isinstance(text, bytes) else text)
    except (ValueError, TypeError, RecursionError) as exc:
        raise DeserializationError([f"payload: invalid JSON: {exc}"]) from None
    return from_dict(data, cls)


def _no_float(text: str) -> Decimal:
    # Kept exact so that a number where a decimal string belongs is reported, not rounded.
    return Decimal(text)


def _no_constant(text: str) -> None:
    raise ValueError(f"{text} is not allowed in JSON")


_DECODER = json.JSONDecoder(parse_float=_no_float, parse_constant=_no_constant)


def dump_events(events: Iterable[ev.Event]) -> dict[str, Any]:
    """An event log payload: ``{"schema_version", "kind": "event_log", "events": [...]}``."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "event_log",
        "events": [_FAST.unstructure(e, ev.Event) for e in events],
    }


def load_events(
    payload: object, *, check: bool = True, lifecycle: Lifecycle = COMPLAINT_LIFECYCLE
) -> tuple[ev.Event, ...]:
    """The events of an event log payload, upcast to today's shape.

    With ``check`` (the default) the events must also replay on ``lifecycle``; a rule
    break is reported as ``events[i]: ...``.
    """

    def build(conv: cattrs.Converter) -> tuple[ev.Event, ...]:
        body = _envelope(payload, "event_log", frozenset({"events"}))
        events = _structure_events(conv, body["events"], body["schema_version"])
        if check:
            _replayed(events, lifecycle)
        return events

    return _fast_then_detailed(build)


# -- error messages -------------------------------------------------------------------------


def _join(path: str, part: str) -> str:
    if not part:
        return path
    if part.startswith("["):
        return f"{path}{part}"
    return f"{path}.{part}" if path else part


def _messages(exc: BaseException, path: str) -> list[str]:
    """Flatten cattrs' exception groups into ``path: message`` lines."""
    if not isinstance(exc, BaseExceptionGroup):
        return _leaf(exc, path)
    out: list[str] = []
    for sub in exc.exceptions:
        sub_path = path
        for note in getattr(sub, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                sub_path = _join(path, note.name)
            elif isinstance(note, IterableValidationNote):
                sub_path = _join(path, f"[{note.index}]")
        out.extend(_messages(sub, sub_path))
    return out


def _leaf(exc: BaseException, path: str) -> list[str]:
    where = path or "payload"
    if isinstance(exc, ForbiddenExtraKeysError):
        return [f"{_join(path, key)}: unknown key" for key in sorted(exc.extra_fields)]
    if isinstance(exc, ValidationError):
        # Raised by a class's own validators: "Money.currency" names the field inside it.
        field = exc.path.split(".", 1)[1] if "." in exc.path else ""
        return [f"{_join(path, field) or 'payload'}: {exc.message}"]
    if isinstance(exc, KeyError):
        return [f"{where}: required field missing"]
    if isinstance(exc, DeserializationError):
        return [f"{_join(path, e.split(': ', 1)[0])}: {e.split(': ', 1)[1]}" for e in exc.errors]
    prefix = (
        ""
        if isinstance(exc, RecoveryKitError | ValueError | TypeError)
        else f"{type(exc).__name__}: "
    )
    return [f"{where}: {prefix}{exc}"]
