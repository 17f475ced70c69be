"""The values of an event-log import: columns, rows, deviations and the import itself.

Kept apart from the reading code so that `recoverykit.interop.eventlog` stays a short public
front and the reader and the conformance check can share these classes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from recoverykit import _arguments as a
from recoverykit import _validation as v
from recoverykit._arguments import StrValues
from recoverykit.case import Case
from recoverykit.errors import RecoveryKitError, ValidationError


def _column(default: str) -> Any:
    return attrs.field(default=default, validator=v.text())


def _optional_column(default: str) -> Any:
    return attrs.field(default=default, validator=v.text(optional=True))


def _row_number(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        a.integer(value, v.path_of(instance, attribute), minimum=1)


@attrs.frozen
class Columns:
    """Which column of a row holds what. The defaults are the XES standard names.

    ``resource``, ``group`` and ``transition`` may be None when the log has no such column.
    Rename the others to read a log with other headers::

        Columns(case="ticket", activity="status", timestamp="changed_at", resource="agent")
    """

    case: str = _column("case:concept:name")
    """The case id (XES ``case:concept:name``)."""
    activity: str = _column("concept:name")
    """The activity name (XES ``concept:name``), looked up in ``activities``."""
    timestamp: str = _column("time:timestamp")
    """When the activity happened (XES ``time:timestamp``)."""
    resource: str | None = _optional_column("org:resource")
    """Who did it (XES ``org:resource``): becomes the case's owner and the event's actor."""
    group: str | None = _optional_column("org:group")
    """The resource's team (XES ``org:group``): the owner's team."""
    transition: str | None = _optional_column("lifecycle:transition")
    """The XES lifecycle transition (``start``, ``complete``), handed to mapping callables."""


#: The XES standard column names (the default of `read_events`).
XES = Columns()


@attrs.frozen(slots=True)
class LogRow:
    """One input row as the importer read it: what a mapping callable and the complaint
    hook see.

    Built by `read_events` from rows it could place in a case (a case id, an aware
    timestamp and an activity); ``values`` is the row itself, for any other column.
    """

    number: int
    """1 for the first row given."""
    case_id: str
    activity: str
    at: datetime
    """The timestamp, aware (with the offset in effect at that instant)."""
    resource: str | None
    group: str | None
    transition: str | None
    values: Mapping[Any, Any] = attrs.field(repr=False, eq=False)
    """The row as given (all its columns)."""


class DeviationKind(StrValues):
    """Why a row is not in a case history. The set is closed: a report can list them all."""

    BAD_TIMESTAMP = "bad_timestamp"
    """The timestamp is missing, not a date and time, or cannot be parsed (ISO 8601)."""
    NAIVE_TIMESTAMP = "naive_timestamp"
    """The timestamp has no offset and no ``tz=`` was given: its instant is unknown."""
    BAD_VALUE = "bad_value"
    """The activity is missing or not text, or the resource or group is not text."""
    UNKNOWN_ACTIVITY = "unknown_activity"
    """The activity is not in ``activities`` (and no ``otherwise=`` mapping was given)."""
    MAPPING_FAILED = "mapping_failed"
    """The activity's event class or callable raised a `RecoveryKitError` for this row."""
    COMPLAINT_FAILED = "complaint_failed"
    """The ``complaint=`` hook raised a `RecoveryKitError`: the case could not be opened, so
    each of its rows is a deviation of this kind."""
    INVALID_TRANSITION = "invalid_transition"
    """The lifecycle does not allow the row's event in the case's state."""
    INVALID_EVENT = "invalid_event"
    """The row's event breaks a rule of the case (time order, a guard, an unknown remedy)."""


@attrs.frozen
class Deviation:
    """A row (or, in a conformance check of cases, an event) that the case did not take.

    ``state`` and ``event`` (the event class name) are set for the lifecycle's refusals
    (`DeviationKind.INVALID_TRANSITION` and `DeviationKind.INVALID_EVENT`), so that
    refusals can be counted by (state, event) pair.
    """

    case_id: str = attrs.field(validator=v.text())
    row_number: int | None = attrs.field(validator=_row_number)
    """The input row (1 for the first); None for an event of a case checked without rows."""
    kind: DeviationKind = attrs.field(validator=v.member_of(DeviationKind))
    message: str = attrs.field(validator=v.text())
    state: str | None = attrs.field(default=None, validator=v.text(optional=True))
    event: str | None = attrs.field(default=None, validator=v.text(optional=True))

    def __str__(self) -> str:
        where = f"row {self.row_number}" if self.row_number is not None else "history"
        return f"{where} (case {self.case_id!r}): {self.kind.value}: {self.message}"


@attrs.frozen
class RowError:
    """A row that could not be attributed to any case: it is not a mapping, or its case id
    is missing, blank or not text or an integer.

    A row with a case id is never a `RowError`: whatever is wrong with it is a `Deviation`
    of that case, so a case's report shows everything that happened to its rows.
    """

    row_number: int = attrs.field(validator=a.count(1))
    message: str = attrs.field(validator=v.text())

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.message}"


class DeviationError(RecoveryKitError, ValueError):
    """`read_events(..., on_deviation="raise")` met a deviation (the first one found).

    Attributes:
        deviation: The `Deviation`, with its row number, kind and message.
    """

    def __init__(self, deviation: Deviation) -> None:
        self.deviation = a.require(deviation, Deviation, "deviation")
        super().__init__(str(deviation))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.deviation,))


def _row_tuples(*, opening: bool) -> Any:
    """Tuples of row numbers; with ``opening``, each may start with None (no row)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        path = v.path_of(instance, attribute)
        for i, rows in enumerate(a.require(value, tuple, path)):
            numbers = a.require(rows, tuple, f"{path}[{i}]")
            if opening and numbers and numbers[0] is None:
                numbers = numbers[1:]
            # Fast path first: an import holds thousands of these.
            if all(type(n) is int for n in numbers) and (not numbers or min(numbers) >= 1):
                continue
            for j, number in enumerate(numbers, 1 if opening and numbers is not rows else 0):
                a.integer(number, f"{path}[{i}][{j}]", minimum=1)

    return check


@attrs.frozen
class EventLogImport:
    """The cases read from an event log, and every row that did not make it into one.

    Nothing is lost: each input row is in exactly one of ``case_rows`` (taken into that
    case), ``deviations`` (a case did not take it) or ``errors`` (no case to give it to).
    This is checked when the import is built, so ``rows == rows_in_histories +
    len(deviations) + len(errors)`` always holds.

    A row may give several events (an ownership change and the activity's event, or what a
    callable returned) or none (a callable returned nothing): ``event_rows`` names the row of
    every history event, ``case_rows`` the rows each case took.
    """

    cases: tuple[Case, ...] = attrs.field(validator=v.tuple_of(Case))
    errors: tuple[RowError, ...] = attrs.field(validator=v.tuple_of(RowError))
    deviations: tuple[Deviation, ...] = attrs.field(validator=v.tuple_of(Deviation))
    rows: int = attrs.field(default=0, validator=a.count())
    """How many rows were read."""
    case_rows: tuple[tuple[int, ...], ...] = attrs.field(
        default=(), validator=_row_tuples(opening=False)
    )
    """Per case (in the order of ``cases``), the rows it took, in the order applied."""
    event_rows: tuple[tuple[int | None, ...], ...] = attrs.field(
        default=(), validator=_row_tuples(opening=True)
    )
    """Per case, the row of each event of its history (None for the opening
    `ComplaintReceived`, which no row gives)."""

    def __attrs_post_init__(self) -> None:
        if len(self.case_rows) != len(self.cases) or len(self.event_rows) != len(self.cases):
            raise ValidationError(
                "EventLogImport", "case_rows and event_rows need one entry per case"
            )
        for i, (case, numbers) in enumerate(zip(self.cases, self.event_rows, strict=True)):
            if len(numbers) != len(case.history):
                raise ValidationError(
                    f"EventLogImport.event_rows[{i}]",
                    f"{len(numbers)} row numbers for a history of {len(case.history)} events",
                )
        unnumbered = [i for i, d in enumerate(self.deviations) if d.row_number is None]
        if unnumbered:
            raise ValidationError(
                f"EventLogImport.deviations[{unnumbered[0]}]", "an import's deviation names its row"
            )
        accounted = [n for rows in self.case_rows for n in rows]
        accounted += [d.row_number for d in self.deviations if d.row_number is not None]
        accounted += [e.row_number for e in self.errors]
        if len(accounted) != self.rows or set(accounted) != set(range(1, self.rows + 1)):
            seen = Counter(accounted)
            missing = [n for n in range(1, self.rows + 1) if n not in seen]
            twice = sorted(n for n, times in seen.items() if times > 1)
            extra = sorted(n for n in seen if not 1 <= n <= self.rows)
            raise ValidationError(
                "EventLogImport",
                f"every row must be accounted for exactly once: missing {missing[:5]}, "
                f"twice {twice[:5]}, beyond the {self.rows} rows {extra[:5]}",
            )

    @property
    def rows_in_histories(self) -> int:
        """Rows taken into a case (whether they gave one event, several or none)."""
        return sum(map(len, self.case_rows))

    @property
    def events_in_histories(self) -> int:
        """Events of all histories, the opening `ComplaintReceived` of each case included."""
        return sum(len(c.history) for c in self.cases)

    def deviations_by_kind(self) -> dict[DeviationKind, int]:
        """How many deviations of each kind, every kind listed (zeros included)."""
        counts = Counter(d.kind for d in self.deviations)
        return {kind: counts[kind] for kind in DeviationKind}
