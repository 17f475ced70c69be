"""Cases as flat records for analysts' tools, and back: `to_records` and `from_records`.

One record per event, a ``dict`` of scalars keyed by the XES names that pandas, polars and
pm4py read (``case:concept:name``, ``concept:name``, ``time:timestamp``, ``org:resource``,
``org:group``), then recoverykit's own columns, the case's attributes (``case:`` prefix) and
the event's details (``event:`` prefix). The ``recoverykit:event`` column holds the event
exactly as `recoverykit.serialization.to_dict` writes it, as JSON text: it is what
`from_records` rebuilds the cases from, so ``from_records(to_records(cases)) == cases``
whatever the other columns went through (a DataFrame, a CSV file, a filter that kept every
row of a case).

Personal data (fields marked personal, such as the customer's name or a withdrawal reason)
is never written to a flat column or to OCEL; it is inside ``recoverykit:event``, because the
round trip must be exact: `recoverykit.redact` the cases first when the records leave the
team.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import cattrs

from recoverykit import _arguments as a
from recoverykit import events as ev
from recoverykit._validation import PERSONAL
from recoverykit.case import Case, replay
from recoverykit.errors import (
    DeserializationError,
    InvalidEvent,
    InvalidTransition,
    InvalidType,
    Problem,
    RecoveryKitError,
    ValidationError,
)
from recoverykit.lifecycle import Lifecycle
from recoverykit.model import Complaint
from recoverykit.serialization import SCHEMA_VERSION, from_dict, to_dict
from recoverykit.serialization._errors import problems
from recoverykit.serialization._registry import state_of

__all__ = ["from_records", "to_records"]

#: The XES columns (IEEE 1849 standard extensions "concept", "time" and "org"), always present.
CASE_ID = "case:concept:name"
ACTIVITY = "concept:name"
TIMESTAMP = "time:timestamp"
RESOURCE = "org:resource"
GROUP = "org:group"
#: recoverykit's columns, always present.
SEQ = "recoverykit:seq"
STATE = "recoverykit:state"
EVENT = "recoverykit:event"
LIFECYCLE = "case:lifecycle"

_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_JSON_ANY = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


# -- shared with _ocel: the case event by event, and details as flat values ----------------


def steps(case: Case) -> Iterator[tuple[int, ev.Event, Case]]:
    """Each event of ``case`` with the case just after it (the views, state and owner then).

    Replays through the public `Case.apply`, so an app's own events and projections give the
    same views here as in the app.
    """
    history = case.history
    current = replay(history[:1], lifecycle=case.lifecycle)
    yield 0, history[0], current
    for index in range(1, len(history)):
        event = history[index]
        current = current.apply(event)
        yield index, event, current


def activity(event: ev.Event) -> str:
    """The activity an event is: its ``event_type`` tag, or an `ActivityRecorded`'s name."""
    if isinstance(event, ev.ActivityRecorded):
        return event.name
    return type(event).event_type


def detail_fields(event: ev.Event) -> Iterator[tuple[str, object]]:
    """The event's own fields worth a column: not ``at``/``actor`` (columns of their own), not
    the complaint (the ``case:`` columns) nor an `ActivityRecorded`'s name (the activity)."""
    for field in attrs.fields(type(event)):
        name = field.name
        if name in {"at", "actor"} or field.metadata.get(PERSONAL):
            continue
        value = getattr(event, name)
        if isinstance(value, Complaint) or (
            name == "name" and isinstance(event, ev.ActivityRecorded)
        ):
            continue
        yield name, value


def flatten(
    value: object, key: str, dump: Callable[[object], object]
) -> Iterator[tuple[str, object]]:
    """``(dotted key, scalar)`` pairs for ``value``: attrs values and mappings are walked
    (``remedy.value.amount``), personal fields and None skipped; decimals become strings
    (exact), enums their values, datetimes stay datetimes; anything else (tuples, dates, an
    app's own types) is its serialized form, as JSON text unless that is a string."""
    if value is None:
        return
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool | int | float | str | datetime):
        yield key, value
    elif isinstance(value, Decimal):
        yield key, str(value)
    elif attrs.has(cls := type(value)):
        for field in attrs.fields(cls):
            if not field.metadata.get(PERSONAL):
                yield from flatten(getattr(value, field.name), f"{key}.{field.name}", dump)
    elif isinstance(value, Mapping):
        for name, item in value.items():
            yield from flatten(item, f"{key}.{name}", dump)
    else:
        yield key, _as_text(value, dump)


def _as_text(value: object, dump: Callable[[object], object]) -> str:
    try:
        data = dump(value)
    except RecoveryKitError:
        return str(value)
    if isinstance(data, str):
        return data
    return _JSON_ANY.encode(data)


def dumper(converter: cattrs.Converter | None) -> Callable[[object], object]:
    """How values without a flat form are serialized: with ``converter`` or `to_dict`."""
    return to_dict if converter is None else converter.unstructure


def check_converter(converter: object, where: str) -> cattrs.Converter | None:
    if converter is None:
        return None
    state_of(converter, where)  # raises InvalidType unless made by make/configure_converter
    return converter  # type: ignore[return-value]


def unique_cases(cases: object, where: str) -> Iterator[tuple[int, Case]]:
    """The cases, each checked to be a `Case` whose id no earlier case has."""
    seen: dict[str, int] = {}
    for index, case in enumerate(a.each(cases, Case, where)):
        first = seen.setdefault(case.id, index)
        if first != index:
            raise ValidationError(
                f"{where}[{index}]",
                f"case id {case.id!r} is also the id of {where}[{first}]; events are grouped "
                "by case id, so each case needs its own",
            )
        yield index, case


# -- to_records -----------------------------------------------------------------------------


def to_records(
    cases: Iterable[Case], *, converter: cattrs.Converter | None = None
) -> list[dict[str, object]]:
    """One flat record per event of ``cases``, in case order then history order.

    Each record is a ``dict`` of scalars (str, int, float, bool, None, and aware datetimes
    in UTC), ready for ``pandas.DataFrame(records)``, ``polars.from_dicts(records,
    infer_schema_length=None)`` or pm4py. Its keys:

    - ``case:concept:name`` (the case id), ``concept:name`` (the activity: the event's
      ``event_type`` tag, or an `ActivityRecorded`'s ``name``), ``time:timestamp`` (the event's
      instant in UTC: one time zone makes one datetime column that sorts and subtracts; the
      local zone is kept in ``recoverykit:event``), ``org:resource`` (the event's actor, or
      else the case's owner after the event), ``org:group`` (that owner's team);
    - ``recoverykit:seq`` (the event's position in the history, from 0), ``recoverykit:state``
      (the state after the event), ``recoverykit:event`` (the event as JSON text, exactly as
      `recoverykit.serialization.to_dict` writes it);
    - ``case:lifecycle`` (the name the case's lifecycle is registered under) and the
      complaint's other attributes: ``case:channel``, ``case:severity``, ``case:category``,
      ``case:product``, ``case:customer.id``, ``case:claimed_loss.amount``, ...;
    - ``event:<field>`` for the event's own details (``event:outcome``,
      ``event:remedy.kind``, ``event:attributes.<name>`` for an `ActivityRecorded`).

    The columns above the last two groups are in every record (None where there is no
    value); ``case:`` and ``event:`` columns are left out where the value is None. Personal
    fields are only in ``recoverykit:event``.

    Args:
        cases: The cases, each with an id of its own.
        converter: The converter an app registered its own events and lifecycles with
            (`recoverykit.serialization.make_converter`); the default converters otherwise.

    Raises:
        InvalidType: ``cases`` is not an iterable of `Case`, or ``converter`` not one made by
            ``make_converter``/``configure_converter``.
        ValidationError: two cases have the same id.
        UnknownName: a case's lifecycle or an event class is not registered with the
            converter (it could not be loaded again), at ``cases[i]. ...``.

    .. versionadded:: 0.1
    """
    conv = check_converter(converter, "to_records.converter")
    dump = dumper(conv)
    out: list[dict[str, object]] = []
    for index, case in unique_cases(cases, "cases"):
        try:
            payload = to_dict(case) if conv is None else conv.unstructure(case)
        except ValidationError as exc:
            raise type(exc)(f"cases[{index}].{exc.path}", exc.message) from None
        version = payload["schema_version"]
        columns: dict[str, object] = {LIFECYCLE: payload["lifecycle"]}
        complaint = case.complaint
        for field in attrs.fields(type(complaint)):
            if field.name != "id" and not field.metadata.get(PERSONAL):
                pairs = flatten(getattr(complaint, field.name), field.name, dump)
                columns.update((f"case:{k}", v) for k, v in _utc(pairs))
        for (seq, event, after), data in zip(steps(case), payload["events"], strict=True):
            owner = after.owner
            record: dict[str, object] = {
                CASE_ID: case.id,
                ACTIVITY: activity(event),
                TIMESTAMP: event.at.astimezone(UTC),
                RESOURCE: event.actor if event.actor is not None else owner and owner.id,
                GROUP: owner and owner.team,
                SEQ: seq,
                STATE: after.state,
                EVENT: _JSON.encode({"schema_version": version, **data}),
            }
            record.update(columns)
            for name, value in detail_fields(event):
                record.update((f"event:{k}", v) for k, v in _utc(flatten(value, name, dump)))
            out.append(record)
    return out


def _utc(pairs: Iterable[tuple[str, object]]) -> Iterator[tuple[str, object]]:
    for key, value in pairs:
        yield key, value.astimezone(UTC) if isinstance(value, datetime) else value


# -- from_records ---------------------------------------------------------------------------


def from_records(
    records: Iterable[Mapping[str, object]],
    *,
    converter: cattrs.Converter | None = None,
    lifecycle: Lifecycle | None = None,
) -> tuple[Case, ...]:
    """The cases that `to_records` wrote, rebuilt from their ``recoverykit:event`` column.

    Records are grouped by ``case:concept:name`` (cases come back in the order their first
    record appears) and ordered by ``recoverykit:seq`` within a case, so rows may come back
    in any order (a sorted or shuffled DataFrame's ``to_dict("records")``); other columns are
    ignored, so adding columns does no harm. The events are loaded with `from_dict` (older
    payloads are upcast) and replayed, so every rule of the lifecycle is checked again.

    Args:
        records: Mappings with at least ``case:concept:name``, ``recoverykit:seq`` and
            ``recoverykit:event`` (and ``case:lifecycle`` unless ``lifecycle`` is given).
        converter: The converter an app registered its own events and lifecycles with.
        lifecycle: Replay every case on this lifecycle instead of the one named in
            ``case:lifecycle`` (for a lifecycle that is not registered).

    Raises:
        InvalidType: ``records`` is not an iterable of mappings, a column has the wrong type,
            or ``converter``/``lifecycle`` is not one.
        ValidationError: a required column is missing or empty, a case's ``recoverykit:seq``
            values are not 0, 1, 2, ... (a record lost or repeated), or a case id does not
            match the complaint of its events; the path names the record
            (``records[12]["recoverykit:seq"]``).
        DeserializationError: an event cannot be loaded, or the history breaks a rule of
            the lifecycle; each problem's path names the record
            (``records[12]["recoverykit:event"].remedy_id``).
    """
    conv = check_converter(converter, "from_records.converter")
    if lifecycle is not None:
        a.require(lifecycle, Lifecycle, "from_records.lifecycle")
    groups: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
    names: dict[str, tuple[int, str]] = {}
    for index, record in enumerate(a.iterate(records, "records", "records (mappings)")):
        where = f"records[{index}]"
        if not isinstance(record, Mapping):
            raise InvalidType(where, f"expected a mapping (a record), got {_type(record)}")
        case_id = _text(record, CASE_ID, where)
        groups.setdefault(case_id, []).append((_seq(record, where), index, _event(record, where)))
        if lifecycle is None:
            name = _text(record, LIFECYCLE, where)
            first = names.setdefault(case_id, (index, name))
            if first[1] != name:
                raise ValidationError(
                    f"{where}[{LIFECYCLE!r}]",
                    f"{name!r} differs from {first[1]!r} in records[{first[0]}]; a case has "
                    "one lifecycle",
                )
    return tuple(
        _case(case_id, rows, conv, lifecycle, names.get(case_id))
        for case_id, rows in groups.items()
    )


def _type(value: object) -> str:
    return type(value).__name__


def _column(record: Mapping[str, object], key: str, where: str) -> object:
    if key not in record:
        raise ValidationError(f"{where}[{key!r}]", "required column missing")
    return record[key]


def _text(record: Mapping[str, object], key: str, where: str) -> str:
    value = _column(record, key, where)
    if not isinstance(value, str):
        raise InvalidType(f"{where}[{key!r}]", f"expected str, got {_type(value)}")
    if not value.strip():
        raise ValidationError(f"{where}[{key!r}]", "must not be empty or blank")
    return value


def _seq(record: Mapping[str, object], where: str) -> int:
    value = _column(record, SEQ, where)
    # numpy integers have __index__; floats and bools are refused, not rounded.
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise InvalidType(f"{where}[{SEQ!r}]", f"expected an int >= 0, got {_type(value)}")
    seq = int(value.__index__())
    if seq < 0:
        raise ValidationError(f"{where}[{SEQ!r}]", f"{seq} is out of range, allowed >= 0")
    return seq


def _event(record: Mapping[str, object], where: str) -> dict[str, Any]:
    value = _column(record, EVENT, where)
    path = f"{where}[{EVENT!r}]"
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError) as exc:
            raise DeserializationError([Problem(path, f"invalid JSON: {exc}")]) from None
    if not isinstance(value, dict):
        raise InvalidType(path, f"expected an event as JSON text, got {_type(value)}")
    return value


def _case(
    case_id: str,
    rows: list[tuple[int, int, dict[str, Any]]],
    conv: cattrs.Converter | None,
    lifecycle: Lifecycle | None,
    named: tuple[int, str] | None,
) -> Case:
    rows.sort(key=lambda row: (row[0], row[1]))
    indices = [index for _, index, _ in rows]
    for position, (seq, index, _) in enumerate(rows):
        if seq != position:
            what = "repeats" if seq < position else f"skips {position}: a record is missing"
            raise ValidationError(
                f"records[{index}][{SEQ!r}]",
                f"{seq} {what}; the records of case {case_id!r} must have seq 0, 1, 2, ...",
            )
    events, version = _payloads(rows)
    try:
        if lifecycle is None:
            assert named is not None  # noqa: S101 - read with every first record of a case
            payload = {"schema_version": version, "kind": "case", "lifecycle": named[1]}
            case: Case = _load({**payload, "events": events}, Case, conv)
        else:
            loaded: tuple[ev.Event, ...] = _load(events, tuple[ev.Event, ...], conv)
            case = _replayed(loaded, lifecycle)
    except DeserializationError as exc:
        first = named[0] if named else indices[0]
        raise DeserializationError(_located(p, indices, first) for p in exc.errors) from None
    if case.id != case_id:
        raise ValidationError(
            f"records[{indices[0]}][{CASE_ID!r}]",
            f"is {case_id!r} but the complaint in its {EVENT!r} has id {case.id!r}",
        )
    return case


def _payloads(rows: list[tuple[int, int, dict[str, Any]]]) -> tuple[list[dict[str, Any]], int]:
    """The events without their ``schema_version``, and that version (one per case)."""
    events = []
    version = None
    for _, index, data in rows:
        body = dict(data)
        found = body.pop("schema_version", SCHEMA_VERSION)
        if version is None:
            version = found
        elif found != version:
            raise DeserializationError(
                [
                    Problem(
                        f"records[{index}][{EVENT!r}].schema_version",
                        f"{found!r} differs from {version!r} in the case's first record; the "
                        "events of a case are written together",
                    )
                ]
            )
        events.append(body)
    return events, version  # type: ignore[return-value]


def _load(data: object, cls: Any, conv: cattrs.Converter | None) -> Any:
    """``from_dict`` (or the converter's ``structure``): one `DeserializationError` if bad."""
    if conv is None:
        return from_dict(data, cls)
    try:
        return conv.structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one error type
        raise DeserializationError(problems(exc)) from None


def _replayed(events: tuple[ev.Event, ...], lifecycle: Lifecycle) -> Case:
    try:
        return replay(events, lifecycle=lifecycle)
    except (InvalidEvent, InvalidTransition) as exc:
        if isinstance(exc, InvalidEvent):
            reason = exc.reason
        else:  # the message without "event i (...)": the path says which record
            reason = str(InvalidTransition(exc.state, exc.event, exc.allowed, exc.sources))
        raise DeserializationError([Problem(f"events[{exc.index or 0}]", reason)]) from None


_EVENTS_PATH = re.compile(r"^events\[(\d+)\](.*)$", re.DOTALL)


def _located(problem: Problem, indices: list[int], first: int) -> Problem:
    """``problem`` with a path naming the record (``events[3].at`` -> ``records[17][...]``)."""
    match = _EVENTS_PATH.match(problem.path)
    if match is not None and int(match[1]) < len(indices):
        return Problem(f"records[{indices[int(match[1])]}][{EVENT!r}]{match[2]}", problem.message)
    column = LIFECYCLE if problem.path == "lifecycle" else EVENT
    return Problem(f"records[{first}][{column!r}]: {problem.path}", problem.message)
