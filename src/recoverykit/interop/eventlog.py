"""Event logs in: rows of a process log (XES column names) -> cases, with nothing lost.

Firms keep their complaint history as event logs: CRM audit trails, process-mining exports.
`read_events` takes such rows (any mappings: ``csv.DictReader``, pandas
``to_dict("records")``, polars ``iter_rows(named=True)``), maps each activity to events of
a lifecycle, and builds one case per case id. Real logs do not fit a lifecycle perfectly,
so a row the lifecycle refuses does not stop the import: it becomes a `Deviation` of its
case, and the case goes on. Every input row ends up in exactly one place, and the import
checks it (`EventLogImport`):

- in a case (``case_rows``): its events are in the history (``event_rows`` names the row of
  each event);
- a `Deviation`: the row has a case id but the case did not take it (an unknown activity,
  a timestamp that cannot be placed in time, an event the lifecycle refused, ...;
  `DeviationKind` lists every reason);
- a `RowError`: the row has no usable case id, so there is no case to tell.

`conformance` then says how well the log fits a lifecycle and a set of clocks: the share of
rows taken, the share of cases that replay cleanly, refusals by kind and by (state, event),
and clock breaches per clock. No file I/O here: the caller reads the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any, Literal

from recoverykit import _arguments as a
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks import Clock
from recoverykit.complaint_lifecycle import COMPLAINT_LIFECYCLE
from recoverykit.interop import _conformance, _eventlog_read
from recoverykit.interop._conformance import ConformanceReport
from recoverykit.interop._eventlog_model import (
    XES,
    Columns,
    Deviation,
    DeviationError,
    DeviationKind,
    EventLogImport,
    LogRow,
    RowError,
)
from recoverykit.interop._eventlog_read import ComplaintHook, EventMapping, Mapped
from recoverykit.lifecycle import Lifecycle
from recoverykit.model import Channel, Complaint, CustomerRef

__all__ = [
    "XES",
    "Columns",
    "ComplaintHook",
    "ConformanceReport",
    "Deviation",
    "DeviationError",
    "DeviationKind",
    "EventLogImport",
    "EventMapping",
    "LogRow",
    "Mapped",
    "RowError",
    "conformance",
    "default_complaint",
    "read_events",
]


# Channel.OTHER is added in the same release (issue 12, item 6); until it is on this branch
# the fallback keeps the module importable. Remove the getattr once it is.
_NO_CHANNEL: Channel = getattr(Channel, "OTHER", Channel.WEB_FORM)


def default_complaint(row: LogRow) -> Complaint:
    """The complaint a case is opened with when ``read_events`` is given no ``complaint=``.

    An event log says nothing of the customer or the channel, so nothing is invented: the
    complaint's id and ``external_id`` are the case id, it was received at the time of the
    case's first row, through `Channel.OTHER`, from an anonymous customer of its own (so
    that cases are never taken for repeat complaints of one customer).
    """
    a.require(row, LogRow, "row")
    return Complaint(
        id=row.case_id,
        customer=CustomerRef(f"anonymous:{row.case_id}"),
        channel=_NO_CHANNEL,
        received_at=row.at,
        external_id=row.case_id,
    )


def read_events(
    rows: Iterable[Mapping[Any, Any]],
    *,
    activities: Mapping[str, EventMapping],
    columns: Columns = XES,
    lifecycle: Lifecycle = COMPLAINT_LIFECYCLE,
    tz: str | tzinfo | None = None,
    on_deviation: Literal["record", "raise"] = "record",
    complaint: ComplaintHook = default_complaint,
    otherwise: EventMapping | None = None,
) -> EventLogImport:
    """Read an event log's rows into cases; every row is accounted for.

    Rows are grouped by case id (cases come out in the order of their first row) and
    sorted by instant, file order kept for equal times. Each case opens with
    `ComplaintReceived` at its first row's time, with the complaint ``complaint(row)``
    builds. Then, row by row:

    - ownership: when the row's resource (with its group as team) differs from the case's
      owner, an `OwnerAssigned` comes first (a change of team is a hand-off);
    - the activity: an event class in ``activities`` is built with ``at`` (the row's time)
      and ``actor`` (its resource) (an `ActivityRecorded` also with ``name``, the activity);
      a callable gets the case so far and the `LogRow` and returns an event, several or
      none (``None`` or an empty iterable: the row is taken and gives no event);
    - the row's events are applied together or not at all; a refusal makes the whole row a
      `Deviation` and the case goes on from where it was.

    Args:
        rows: Mappings of column name to value. Timestamps are ISO 8601 text or datetimes;
            case ids are text or integers; an empty cell (``""``, None, NaN) is missing.
        activities: Activity name -> event class or callable. An activity not in it is a
            ``"unknown_activity"`` deviation, unless ``otherwise`` maps it.
        columns: The column names (default: XES, `XES`).
        lifecycle: The lifecycle every case follows.
        tz: The zone of timestamps without an offset (a name or a tzinfo). Without it, such
            a row is a ``"naive_timestamp"`` deviation. An ambiguous local time is taken at
            its first occurrence; a time in a spring-forward gap moves forward by the gap.
            Timestamps are kept with the fixed offset in effect at their instant.
        on_deviation: ``"record"`` (keep going) or ``"raise"``: stop at the first deviation
            found (rows are checked in file order, then cases replayed in order).
        complaint: Builds the complaint of a case from its first row (default
            `default_complaint`). A `RecoveryKitError` it raises makes every row of the
            case a ``"complaint_failed"`` deviation.
        otherwise: The mapping for every activity not in ``activities`` (e.g.
            `ActivityRecorded`, so that no activity is refused for its name).

    Raises:
        InvalidType: an argument of the wrong type; a callable returned something other
            than events, or ``complaint`` something other than a `Complaint`.
        UnknownName: ``tz`` names no known zone, or ``on_deviation`` is neither value.
        ValidationError: an event class in ``activities`` needs values a row does not give
            (e.g. `FinalResponseSent` needs an outcome: map it with a callable).
        DeviationError: with ``on_deviation="raise"``, the first deviation.

    An exception other than a `RecoveryKitError` raised by one of your callables is a bug
    in it and is not caught.
    """
    return _eventlog_read.read(
        rows,
        on_deviation,
        activities=activities,
        columns=columns,
        lifecycle=lifecycle,
        tz=tz,
        complaint=complaint,
        otherwise=otherwise,
    )


def conformance(
    log: EventLogImport | Iterable[Case],
    *,
    lifecycle: Lifecycle | None = None,
    clocks: Iterable[Clock] = (),
    calendar: BusinessCalendar | None = None,
    now: datetime | None = None,
) -> ConformanceReport:
    """How well an imported log, or a set of cases, fits a lifecycle and a set of clocks.

    For an `EventLogImport`, every row counts: those in its deviations and errors were not
    taken. With a ``lifecycle`` (other than the cases' own), each case's history is replayed
    on it, skipping what it refuses, and each refused event counts as a deviation too (with
    no row number when the cases came without rows). ``clocks`` are evaluated on each case
    (as replayed on ``lifecycle``) at ``now`` on ``calendar``.

    Raises:
        InvalidType: an argument (or one of the cases or clocks) of the wrong type.
        ValidationError: ``clocks`` without a ``calendar`` and an aware ``now``.
    """
    return _conformance.check(log, lifecycle=lifecycle, clocks=clocks, calendar=calendar, now=now)
