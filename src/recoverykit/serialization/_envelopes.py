"""Envelopes (case snapshots and event logs, with ``schema_version`` and ``kind``), and
business calendars, whose holiday sources are not plain attrs values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, time
from typing import TYPE_CHECKING, Any

import cattrs
from cattrs.errors import AttributeValidationNote, ClassValidationError, ForbiddenExtraKeysError

from recoverykit import events as ev
from recoverykit.case import Case, replay
from recoverykit.errors import InvalidEvent, InvalidTransition, ValidationError
from recoverykit.lifecycle import Lifecycle
from recoverykit.serialization._errors import at, noted
from recoverykit.serialization._registry import State, hook_for
from recoverykit.serialization._scalars import (
    HHMM,
    PayloadError,
    describe,
    expect,
    load_date,
    load_str,
    load_zone,
)
from recoverykit.serialization._tagged import EVENT_TUPLE

if TYPE_CHECKING:  # imported when a calendar is first saved or loaded
    from recoverykit.calendars import BusinessCalendar, HolidayRules

#: The envelope format written today. 1: `OwnerAssigned.owner` was a bare id string;
#: 2: events tagged and versioned as a whole; 3: each event carries its own
#: ``event_version`` once its class is past version 1 (older envelopes still load).
SCHEMA_VERSION = 3

_ENVELOPE_KEYS = frozenset({"schema_version", "kind"})
_CASE_KEYS = frozenset({"lifecycle", "events"})
_LOG_KEYS = frozenset({"events"})


def check_version(version: object) -> None:
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or not 1 <= version <= SCHEMA_VERSION
    ):
        raise at("schema_version", f"expected a version 1..{SCHEMA_VERSION}, got {version!r}")


def envelope(value: object, kind: str, fields: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"expected a {kind} object, got {describe(value)}")
    body: dict[str, Any] = value
    check_version(body.get("schema_version"))
    if body.get("kind") != kind:
        raise at("kind", f"expected {kind!r}, got {body.get('kind')!r}")
    keys = body.keys()
    if len(keys) != len(fields) + 2 or not keys >= fields:  # fields and the two above
        missing = sorted(fields - keys)
        if missing:
            raise at(missing[0], "required field missing")
        raise at(min(keys - fields - _ENVELOPE_KEYS), "unknown key")
    return body


def structure_events(conv: cattrs.Converter, state: State, value: object) -> tuple[ev.Event, ...]:
    try:
        events: tuple[ev.Event, ...] = hook_for(conv, state, EVENT_TUPLE)(value, EVENT_TUPLE)
    except Exception as exc:  # noqa: BLE001 - re-raised with its place in the payload
        raise noted(exc, "events") from None
    return events


def replayed(events: tuple[ev.Event, ...], lifecycle: Lifecycle) -> Case:
    try:
        return replay(events, lifecycle=lifecycle)
    except (InvalidEvent, InvalidTransition) as exc:
        index = exc.index or 0
        if isinstance(exc, InvalidEvent):
            reason = exc.reason
        else:
            reason = str(InvalidTransition(exc.state, exc.event, exc.allowed, exc.sources))
        raise at(f"events[{index}]", reason) from None


def load_event_log(
    conv: cattrs.Converter, state: State, payload: object, lifecycle: Lifecycle | None
) -> tuple[ev.Event, ...]:
    body = envelope(payload, "event_log", _LOG_KEYS)
    events = structure_events(conv, state, body["events"])
    if lifecycle is not None:
        replayed(events, lifecycle)
    return events


def case_hooks(
    conv: cattrs.Converter, state: State
) -> tuple[Callable[[Case], dict[str, Any]], Callable[[object, object], Case]]:
    registry = state.registry
    dump_history = conv.get_unstructure_hook(EVENT_TUPLE)

    def unstructure(case: Case) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "case",
            "lifecycle": registry.lifecycle_name(case.lifecycle),
            "events": dump_history(case.history),
        }

    def structure(value: object, _: object) -> Case:
        body = envelope(value, "case", _CASE_KEYS)
        try:
            lifecycle = registry.lifecycle(body["lifecycle"])
        except PayloadError as exc:
            raise noted(exc, "lifecycle") from None
        events = structure_events(conv, state, body["events"])
        return replayed(events, lifecycle)

    return unstructure, structure


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _seconds(text: object, *, end: bool) -> time:
    expect(text, str, "a time 'HH:MM'")
    match = HHMM.match(str(text))
    hours, minutes = (int(g) for g in match.groups()) if match else (99, 99)
    if end and (hours, minutes) == (24, 0):
        return time(0)
    if hours > 23 or minutes > 59:
        raise PayloadError(f"{text!r} is not a time 'HH:MM' (24:00 allowed as an end)")
    return time(hours, minutes)


def calendar_hooks(
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
        from recoverykit.calendars import BusinessCalendar

        expect(value, dict, "a calendar object")
        data = dict(value)  # type: ignore[call-overload]
        errors: list[Exception] = []

        def field(name: str, fn: Callable[[Any], Any]) -> Any:
            try:
                return fn(data.pop(name))
            except Exception as exc:  # noqa: BLE001 - collected and reported with the path
                if isinstance(exc, KeyError):
                    exc = PayloadError("required field missing")
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    AttributeValidationNote(name, name, object),
                ]
                errors.append(exc)
                return None

        tz = field("tz", lambda v: load_zone(load_str(v, None)))
        hours = field("hours", _hours_from)
        sources = field("holidays", lambda v: conv.structure(v, tuple[SourcePayload, ...]))
        name = field("name", lambda v: load_str(v, None))
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
    from recoverykit.calendars import HolidayRules

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
    expect(value, dict, "an object of weekday to intervals")
    out: dict[int, list[tuple[time, time]]] = {}
    for day, intervals in value.items():  # type: ignore[attr-defined]
        if day not in {"0", "1", "2", "3", "4", "5", "6"}:
            raise PayloadError(f"weekday {day!r} is not '0' (Monday) .. '6' (Sunday)")
        expect(intervals, list, "a list of [start, end] pairs")
        pairs = []
        for pair in intervals:
            expect(pair, list, "a [start, end] pair")
            if len(pair) != 2:
                raise PayloadError(f"expected a [start, end] pair, got {pair!r}")
            pairs.append((_seconds(pair[0], end=False), _seconds(pair[1], end=True)))
        out[int(day)] = pairs
    return out


class SourcePayload:
    """One loaded holiday source (a plain class: its annotation names a calendars type,
    which is imported only when a calendar is loaded)."""

    __slots__ = ("source",)

    def __init__(self, source: HolidayRules | frozenset[date] | dict[date, str]) -> None:
        self.source = source


def load_source(conv: cattrs.Converter, value: object, _: object) -> SourcePayload:
    expect(value, dict, "a holiday source object")
    body = dict(value)  # type: ignore[call-overload]
    kind = body.pop("type", None)
    if kind == "rules":
        from recoverykit.calendars import HolidayRules

        return SourcePayload(conv.structure(body, HolidayRules))
    if kind == "dates" and set(body) == {"dates"}:
        return SourcePayload(conv.structure(body["dates"], frozenset[date]))
    if kind == "named_dates" and set(body) == {"dates"} and isinstance(body["dates"], dict):
        return SourcePayload(
            {load_date(k, None): load_str(n, None) for k, n in body["dates"].items()}
        )
    raise PayloadError(
        f"unknown holiday source {kind!r} (expected 'rules', 'dates' or 'named_dates')"
    )
