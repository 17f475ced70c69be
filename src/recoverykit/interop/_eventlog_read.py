"""How `read_events` turns rows into cases: check the arguments, scan, group, sort, fold.

One pass over the rows parses what each row needs (case id, instant, activity, resource,
group) into a plain tuple and files it under its case; then each case's rows are sorted by
instant (a stable sort keeps file order for equal times) and folded into a case on the
engine's mutable draft, the way `replay` does, so a refused event costs an exception and
nothing else. A row is taken whole or not at all: its events (an ownership change, then
what the activity maps to) are applied together, and a refusal of any of them rolls the
draft back to before the row.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone, tzinfo
from typing import Any, Literal, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from dateutil.tz import datetime_exists, resolve_imaginary

from recoverykit import _arguments as a
from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit._frozenmap import FrozenMap
from recoverykit.case import Case, _freeze, _opened_by, _step
from recoverykit.errors import (
    InvalidEvent,
    InvalidTransition,
    InvalidType,
    RecoveryKitError,
    UnknownName,
    ValidationError,
)
from recoverykit.interop._eventlog_model import (
    Columns,
    Deviation,
    DeviationError,
    DeviationKind,
    EventLogImport,
    LogRow,
    RowError,
)
from recoverykit.lifecycle import Lifecycle
from recoverykit.model import Complaint, Owner

#: What a mapping callable returns: one event, several, or none.
Mapped: TypeAlias = ev.Event | Iterable[ev.Event] | None
#: How an activity becomes events: an event class (built with the row's time and resource),
#: or a callable that sees the case so far and the row.
EventMapping: TypeAlias = type[ev.Event] | Callable[[Case, LogRow], Mapped]
ComplaintHook: TypeAlias = Callable[[LogRow], Complaint]

# A scanned row: (at, number, activity, resource, group, transition, row, plan). A tuple, not
# a LogRow, because most rows never need one (only callables and the complaint hook see them).
_Item: TypeAlias = tuple[Any, ...]

_CLASS, _CALL = "class", "callable"
_Plan: TypeAlias = tuple[str, Any]
_OWNER_FIELDS = frozenset({"at", "actor"})


def zone_of(tz: object) -> tzinfo | None:
    if tz is None or isinstance(tz, tzinfo):
        return tz
    if not isinstance(tz, str):
        raise InvalidType(
            "tz", f"expected a time zone name, a tzinfo or None, got {v.type_name(tz)}"
        )
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownName("tz", f"unknown time zone {tz!r}") from None


def plan_of(target: object, path: str) -> _Plan:
    """Check one entry of ``activities`` once, so that a mapping that cannot work fails
    before any row is read, not as thousands of deviations."""
    if isinstance(target, type):
        if not issubclass(target, ev.Event) or not attrs.has(target):
            raise InvalidType(
                path, f"expected an Event subclass or a callable, got the class {target.__name__}"
            )
        named = issubclass(target, ev.ActivityRecorded)
        free = _OWNER_FIELDS | ({"name"} if named else set())
        needed = [
            f.alias
            for f in attrs.fields(target)
            if f.init and f.default is attrs.NOTHING and f.alias not in free
        ]
        if needed:
            raise ValidationError(
                path,
                f"{target.__name__} needs {', '.join(needed)}, which a row does not give; "
                "map the activity to a callable that builds the event",
            )
        return (_CLASS, (target, named))
    if callable(target):
        return (_CALL, target)
    raise InvalidType(path, f"expected an Event subclass or a callable, got {v.type_name(target)}")


def plans_of(activities: object, otherwise: object) -> tuple[dict[str, _Plan], _Plan | None]:
    if not isinstance(activities, Mapping):
        raise InvalidType(
            "activities",
            f"expected a mapping of activity name to event class or callable, "
            f"got {v.type_name(activities)}",
        )
    plans = {}
    for name, target in activities.items():
        if not isinstance(name, str):
            raise InvalidType(
                "activities", f"expected activity names (str), got {v.type_name(name)}"
            )
        plans[name.strip()] = plan_of(target, f"activities[{name!r}]")
    return plans, None if otherwise is None else plan_of(otherwise, "otherwise")


# -- scanning ---------------------------------------------------------------------------------

_OFFSETS: dict[Any, timezone] = {}


def _fixed(at: datetime) -> datetime | None:
    """``at`` with a fixed offset (the one in effect at that instant), None if it has none.

    Fixed offsets make wall-time order the instant order, which the case's time-order rule
    relies on (two times of one zone in the repeated autumn hour would compare wrongly).
    """
    offset = at.utcoffset()
    if offset is None:
        return None
    fixed = _OFFSETS.get(offset)
    if fixed is None:
        fixed = _OFFSETS[offset] = timezone(offset)
    # pandas.Timestamp and other subclasses become a plain datetime.
    return datetime(
        at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond, tzinfo=fixed
    )


def _local(at: datetime, zone: tzinfo) -> datetime:
    # An ambiguous wall time (the repeated autumn hour) is taken at its first occurrence
    # (fold=0); a non-existent one (the spring-forward gap) moves forward by the gap.
    at = at.replace(tzinfo=zone, fold=0)
    return at if datetime_exists(at) else resolve_imaginary(at)


def _parsed(value: object) -> datetime | str:
    """A datetime from a timestamp cell (naive or aware), or why it holds none."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return f"{value!r} is not an ISO 8601 date and time"
    return "missing" if value is None else f"expected a date and time, got {v.type_name(value)}"


def instant(value: object, zone: tzinfo | None) -> datetime | tuple[DeviationKind, str]:
    """The aware datetime a timestamp cell holds, or why there is none."""
    at = _parsed(value)
    if isinstance(at, str):
        return (DeviationKind.BAD_TIMESTAMP, at)
    try:
        fixed = _fixed(at)
        if fixed is None and zone is not None:
            fixed = _fixed(_local(at, zone))
    except (TypeError, ValueError, OverflowError) as exc:  # NaT, or out of range in the zone
        return (DeviationKind.BAD_TIMESTAMP, f"{value!r} is not a usable date and time ({exc})")
    if fixed is None:
        return (
            DeviationKind.NAIVE_TIMESTAMP,
            f"{at.isoformat()} has no offset; give tz= to read naive times in a zone",
        )
    return fixed


def text_cell(value: object) -> str | Literal[False] | None:
    """The text of a cell; None when empty or missing; False when it is not text."""
    if type(value) is str:
        value = value.strip()
        return value or None
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None  # pandas writes NaN for an empty cell
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return False


class Reader:
    """One import: the arguments, checked once, and what has been found so far."""

    def __init__(
        self,
        *,
        activities: object,
        columns: object,
        lifecycle: object,
        tz: object,
        on_deviation: object,
        complaint: object,
        otherwise: object,
    ) -> None:
        self.columns = a.require(columns, Columns, "columns")
        self.lifecycle = a.require(lifecycle, Lifecycle, "lifecycle")
        self.zone = zone_of(tz)
        self.raising = a.one_of(on_deviation, ("record", "raise"), "on_deviation") == "raise"
        if not callable(complaint):
            raise InvalidType("complaint", f"expected a callable, got {v.type_name(complaint)}")
        self.complaint: ComplaintHook = complaint
        self.plans, self.otherwise = plans_of(activities, otherwise)
        self.errors: list[RowError] = []
        self.deviations: list[Deviation] = []
        self.groups: dict[str, list[_Item]] = {}
        self.owners: dict[tuple[str, str | None], Owner] = {}
        c = self.columns
        self.used = frozenset({c.case, c.activity, c.timestamp, c.resource})

    def deviate(self, deviation: Deviation) -> None:
        if self.raising:
            raise DeviationError(deviation)
        self.deviations.append(deviation)

    def scan(self, rows: object) -> int:
        """File each row under its case, or record why it cannot be; return the row count."""
        if isinstance(rows, Mapping):
            raise InvalidType("rows", "expected an iterable of rows, got one row (a mapping)")
        c = self.columns
        case_col, time_col = c.case, c.timestamp
        zone, groups, parse = self.zone, self.groups, datetime.fromisoformat
        number = 0
        # The common case (a dict of clean text with offsets) is inlined; anything else
        # takes the slow path that says what is wrong.
        for number, row in enumerate(a.iterate(rows, "rows", "rows (mappings)"), 1):
            if type(row) is not dict and not isinstance(row, Mapping):
                message = f"expected a mapping of column to value, got {v.type_name(row)}"
                self.errors.append(RowError(number, message))
                continue
            get = row.get
            case_id = get(case_col)
            case_id = case_id.strip() if type(case_id) is str else text_cell(case_id)
            if not case_id:
                self._unattributed(number, get(case_col), case_id)
                continue
            at: Any = get(time_col)
            try:
                at = parse(at) if type(at) is str else None
            except ValueError:
                at = None
            if at is None or at.tzinfo.__class__ is not timezone:
                at = instant(get(time_col), zone)
                if type(at) is tuple:
                    self.deviate(Deviation(case_id, number, at[0], f"{time_col}: {at[1]}"))
                    continue
            cells = self._cells(row)
            if type(cells) is str:
                self.deviate(Deviation(case_id, number, DeviationKind.BAD_VALUE, cells))
                continue
            plan = self.plans.get(cells[0], self.otherwise)
            if plan is None:
                message = f"{cells[0]!r} is not in activities (map it, or give otherwise=)"
                self.deviate(Deviation(case_id, number, DeviationKind.UNKNOWN_ACTIVITY, message))
                continue
            groups.setdefault(case_id, []).append((at, number, *cells, row, plan))
        return number

    def _unattributed(self, number: int, given: object, case_id: object) -> None:
        what = f"case id {v.type_name(given)}" if case_id is False else "no case id"
        column = self.columns.case
        self.errors.append(
            RowError(number, f"{what} in column {column!r}; expected text or an integer")
        )

    def _cells(self, row: Mapping[Any, Any]) -> str | tuple[Any, ...]:
        """(activity, resource, group, transition), or what is wrong with one of them."""
        c = self.columns
        given = row.get(c.activity)
        name = given.strip() if type(given) is str else None
        if not name:
            if isinstance(given, str):  # a subclass of str
                name = str.strip(given)
            if not name:
                blank = given is None or isinstance(given, str)
                what = "missing" if blank else f"not text: {v.type_name(given)}"
                return f"{c.activity}: the activity is {what}"
        values: list[Any] = [name]
        for column in (c.resource, c.group, c.transition):
            if column is None:
                values.append(None)
                continue
            value = row.get(column)
            value = (value.strip() or None) if type(value) is str else text_cell(value)
            if value is False:
                return f"{column}: expected text, got {v.type_name(row.get(column))}"
            values.append(value)
        return tuple(values)

    # -- folding ------------------------------------------------------------------------------

    def fold(self) -> tuple[list[Case], list[tuple[int, ...]], list[tuple[int | None, ...]]]:
        cases, case_rows, event_rows = [], [], []
        for case_id, items in self.groups.items():
            items.sort(key=_AT)
            folded = self._fold(case_id, items)
            if folded is not None:
                cases.append(folded[0])
                case_rows.append(folded[1])
                event_rows.append(folded[2])
        return cases, case_rows, event_rows

    def _fold(
        self, case_id: str, items: list[_Item]
    ) -> tuple[Case, tuple[int, ...], tuple[int | None, ...]] | None:
        draft = self._open(case_id, items)
        if draft is None:
            return None
        taken: list[int] = []
        sources: list[int | None] = [None]
        for item in items:
            events = self._events(draft, case_id, item)
            if events is None:
                continue
            number = item[1]
            refusal = _apply(draft, events)
            if refusal is not None:
                self.deviate(_refused(case_id, number, *refusal))
                continue
            taken.append(number)
            sources += [number] * len(events)
        return _freeze(draft), tuple(taken), tuple(sources)

    def _open(self, case_id: str, items: list[_Item]) -> Any:
        """The draft of the case, opened with the complaint the hook builds (or None)."""
        try:
            complaint = self.complaint(_log_row(case_id, items[0]))
        except RecoveryKitError as exc:
            for item in items:
                message = f"the case could not be opened: {exc}"
                self.deviate(Deviation(case_id, item[1], DeviationKind.COMPLAINT_FAILED, message))
            return None
        if not isinstance(complaint, Complaint):
            raise InvalidType(
                "complaint", f"expected it to return a Complaint, got {v.type_name(complaint)}"
            )
        received = ev.ComplaintReceived(at=complaint.received_at, complaint=complaint)
        return _opened_by(received, self.lifecycle)

    def _events(self, draft: Any, case_id: str, item: _Item) -> list[ev.Event] | None:
        """The row's events: an owner change, then the activity's; None if it cannot map."""
        at, number, activity, resource, group, _, row, (how, target) = item
        events: list[ev.Event] = []
        if resource is not None:
            history = draft.ownership_history
            if not history or history[-1].owner.id != resource or history[-1].owner.team != group:
                owner = self.owners.get((resource, group))
                if owner is None:  # owners are values: one object per person and team
                    owner = self.owners[resource, group] = Owner(resource, team=group)
                events.append(ev.OwnerAssigned(at=at, owner=owner))
        try:
            if how is _CLASS:
                cls, named = target
                if named:
                    attributes = _attributes(row, self.used)
                    events.append(cls(at=at, actor=resource, name=activity, attributes=attributes))
                else:
                    events.append(cls(at=at, actor=resource))
            else:
                events += _called(target, _freeze(draft), _log_row(case_id, item))
        except (_MappingBug, DeviationError):
            raise
        except RecoveryKitError as exc:
            kind = DeviationKind.MAPPING_FAILED
            self.deviate(Deviation(case_id, number, kind, f"{activity!r}: {exc}"))
            return None
        return events


def _called(target: Callable[[Case, LogRow], Mapped], case: Case, row: LogRow) -> list[ev.Event]:
    """The events a mapping callable returned, checked."""
    result = target(case, row)
    if result is None:
        return []
    if isinstance(result, ev.Event):
        return [result]
    path = f"activities[{row.activity!r}]"
    if isinstance(result, str | bytes | Mapping) or not isinstance(result, Iterable):
        raise _returned(path, result)
    events = list(result)
    for event in events:
        if not isinstance(event, ev.Event):
            raise _returned(path, event)
    return events


class _MappingBug(InvalidType):
    """A callable returned something other than events: a bug, raised, not a deviation."""


def _returned(path: str, value: object) -> _MappingBug:
    return _MappingBug(path, f"expected the callable to return events, got {v.type_name(value)}")


def _attributes(row: Mapping[Any, Any], used: frozenset[str | None]) -> FrozenMap[Any]:
    """The row's other columns, for an `ActivityRecorded`: JSON scalars as they are, an
    empty or non-finite number as None, anything else as its text.

    Built as the event's own `FrozenMap` (which the event keeps without checking it again):
    the values are made JSON scalars here.
    """
    out: dict[str, Any] = {k: value for k, value in row.items() if k not in used}
    for key, value in out.items():
        if type(key) is not str or (value is not None and type(value) not in _SCALARS):
            return FrozenMap(_scalars(out))
    return FrozenMap(out)


def _scalars(row: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if type(key) is not str:
            continue
        if value is None or type(value) in _SCALARS:
            out[key] = value
        elif isinstance(value, float):
            out[key] = float(value) if math.isfinite(value) else None
        elif isinstance(value, str):  # a subclass (a str enum): its plain text
            out[key] = str.__str__(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            out[key] = int(value)
        else:
            out[key] = str(value)
    return out


_SCALARS = frozenset({str, int, bool})  # floats may be NaN: the slow path


_AT = operator.itemgetter(0)  # a stable sort on the instant keeps file order for ties


def _log_row(case_id: str, item: _Item) -> LogRow:
    at, number, activity, resource, group, transition, row, _ = item
    return LogRow(number, case_id, activity, at, resource, group, transition, row)


def _apply(draft: Any, events: list[ev.Event]) -> tuple[str, Exception] | None:
    """Apply all of ``events`` or none; on a refusal, (the state it happened in, the error)."""
    if len(events) == 1:  # one event: _step changes nothing when it refuses
        try:
            _step(draft, events[0])
        except (InvalidTransition, InvalidEvent) as exc:
            return draft.state, exc
        return None
    saved, views, count = dict(draft.__dict__), dict(draft.views), len(draft.events)
    for event in events:
        state = draft.state
        try:
            _step(draft, event)
        except (InvalidTransition, InvalidEvent) as exc:
            draft.__dict__.clear()  # a projection may have added a key
            draft.__dict__.update(saved)
            del draft.events[count:]
            draft.views = views
            return state, exc
    return None


def _refused(case_id: str, number: int | None, state: str, exc: Exception) -> Deviation:
    assert isinstance(exc, InvalidTransition | InvalidEvent)  # noqa: S101
    kind = (
        DeviationKind.INVALID_TRANSITION
        if isinstance(exc, InvalidTransition)
        else DeviationKind.INVALID_EVENT
    )
    return Deviation(case_id, number, kind, str(exc), state, type(exc.event).__name__)


def read(rows: object, on_deviation: object, **kwargs: Any) -> EventLogImport:
    reader = Reader(on_deviation=on_deviation, **kwargs)
    count = reader.scan(rows)
    cases, case_rows, event_rows = reader.fold()
    deviations = sorted(reader.deviations, key=_row_of)
    return EventLogImport(
        tuple(cases),
        tuple(reader.errors),
        tuple(deviations),
        rows=count,
        case_rows=tuple(case_rows),
        event_rows=tuple(event_rows),
    )


def _row_of(deviation: Deviation) -> int:
    return deviation.row_number or 0
