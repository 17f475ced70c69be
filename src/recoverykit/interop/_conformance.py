"""`conformance`: how well a log, or a set of cases, fits a lifecycle and its clocks.

Process-mining conformance checking replays a log on a model and counts what does not fit
(token replay's "fitness"). Here the model is a recoverykit lifecycle, and the deadlines
that matter to a regulator are checked on the same replay: a case can fit the process and
still breach the 8-week final response rule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from recoverykit import _arguments as a
from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case, _freeze, _opened_by
from recoverykit.clocks import Clock, ClockState, check_clocks, evaluate_clocks
from recoverykit.errors import ValidationError
from recoverykit.interop._eventlog_model import Deviation, DeviationKind, EventLogImport
from recoverykit.interop._eventlog_read import _apply, _refused
from recoverykit.lifecycle import Lifecycle
from recoverykit.metrics import ClockRate

_TENTH = Decimal("0.1")


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(_TENTH, rounding=ROUND_HALF_EVEN)


def _pairs(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    path = v.path_of(instance, attribute)
    for i, item in enumerate(a.require(value, tuple, path)):
        a.require(item, tuple, f"{path}[{i}]")


@attrs.frozen
class ConformanceReport:
    """How well a log fits a lifecycle and its clocks: counts, with rates beside them.

    For an import, each input row counts once, whatever it mapped to; for cases given
    without rows, each event after the opening `ComplaintReceived` counts once.
    """

    events: int = attrs.field(validator=a.count())
    """Rows of the log (or events of the histories, for cases)."""
    events_accepted: int = attrs.field(validator=a.count())
    """Of those, taken into a case history by the lifecycle."""
    cases: int = attrs.field(validator=a.count())
    """Distinct case ids, including cases none of whose rows could be taken."""
    cases_clean: int = attrs.field(validator=a.count())
    """Cases without any deviation: they replay cleanly."""
    unattributed: int = attrs.field(validator=a.count())
    """Rows with no usable case id (an import's errors), counted in ``events``."""
    deviations: int = attrs.field(validator=a.count())
    by_kind: tuple[tuple[str, int], ...] = attrs.field(validator=_pairs)
    """(kind, deviations) for each kind found, most frequent first."""
    by_transition: tuple[tuple[str, str, int], ...] = attrs.field(validator=_pairs)
    """(state, event class, refusals) for the lifecycle's refusals, most frequent first."""
    clocks: tuple[ClockRate, ...] = attrs.field(default=(), validator=v.tuple_of(ClockRate))
    """Per clock, in the order given: met, breached and undecided cases."""

    @property
    def fitness(self) -> Decimal | None:
        """Percentage of events (rows) accepted."""
        return _pct(self.events_accepted, self.events)

    @property
    def case_fitness(self) -> Decimal | None:
        """Percentage of cases that replay cleanly."""
        return _pct(self.cases_clean, self.cases)


class _Check:
    def __init__(self, lifecycle: Lifecycle | None) -> None:
        self.lifecycle = lifecycle
        self.same: dict[int, bool] = {}
        self.deviations: list[Deviation] = []
        self.refused_rows: set[int] = set()
        self.refused_events = 0

    def recheck(self, case: Case, sources: tuple[int | None, ...] | None) -> Case:
        """``case`` replayed on the checked lifecycle, each refused row (or event) skipped."""
        lifecycle = self.lifecycle
        if lifecycle is None or self._same(case.lifecycle):
            return case
        history = case.history
        first = history[0]
        assert isinstance(first, ev.ComplaintReceived)  # noqa: S101 - every case opens so
        draft = _opened_by(first, lifecycle)
        numbers = sources if sources is not None else (None,) * len(history)
        start = 1
        while start < len(history):
            end = start + 1
            row = numbers[start]
            while row is not None and end < len(history) and numbers[end] == row:
                end += 1  # a row's events are taken together, as the import took them
            refusal = _apply(draft, list(history[start:end]))
            if refusal is not None:
                self.deviations.append(_refused(case.id, row, *refusal))
                if row is None:
                    self.refused_events += end - start
                else:
                    self.refused_rows.add(row)
            start = end
        return _freeze(draft)

    def _same(self, other: Lifecycle) -> bool:
        known = self.same.get(id(other))
        if known is None:
            known = self.same[id(other)] = other is self.lifecycle or other == self.lifecycle
        return known


def check(
    log: object,
    *,
    lifecycle: object,
    clocks: object,
    calendar: object,
    now: object,
) -> ConformanceReport:
    checked = _Check(a.optional(lifecycle, Lifecycle, "lifecycle"))
    clock_list = tuple(a.each(clocks, Clock, "clocks"))
    a.optional(calendar, BusinessCalendar, "calendar")
    if now is not None:
        v.require_aware(now, "now")
    if clock_list and (calendar is None or now is None):
        raise ValidationError("clocks", "clocks need a calendar and now= to be evaluated")
    if clock_list and checked.lifecycle is not None:
        # One error naming every unknown state or event, before any case is replayed.
        check_clocks(clock_list, checked.lifecycle)
    imported = log if isinstance(log, EventLogImport) else None
    cases = imported.cases if imported else tuple(a.each(log, Case, "log"))
    sources = imported.event_rows if imported else (None,) * len(cases)
    counts: dict[str, Counter[ClockState]] = defaultdict(Counter)
    for case, numbers in zip(cases, sources, strict=True):
        replayed = checked.recheck(case, numbers)
        if clock_list:
            assert isinstance(calendar, BusinessCalendar)  # noqa: S101 - checked above
            assert isinstance(now, datetime)  # noqa: S101
            for status in evaluate_clocks(replayed, clock_list, calendar=calendar, now=now):
                counts[status.name][status.status] += 1
    deviations = [*(imported.deviations if imported else ()), *checked.deviations]
    if imported:
        events = imported.rows
        accepted = imported.rows_in_histories - len(checked.refused_rows)
        unattributed = len(imported.errors)
    else:
        events = sum(len(c.history) - 1 for c in cases)
        accepted = events - checked.refused_events
        unattributed = 0
    case_ids = {c.id for c in cases} | {d.case_id for d in deviations}
    deviant = {d.case_id for d in deviations}
    kinds = Counter(d.kind.value for d in deviations)
    pairs = Counter(
        (d.state, d.event)
        for d in deviations
        if d.kind in (DeviationKind.INVALID_TRANSITION, DeviationKind.INVALID_EVENT)
    )
    return ConformanceReport(
        events=events,
        events_accepted=accepted,
        cases=len(case_ids),
        cases_clean=len(case_ids - deviant),
        unattributed=unattributed,
        deviations=len(deviations),
        by_kind=tuple(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_transition=tuple(
            (str(s), str(e), n)
            for (s, e), n in sorted(pairs.items(), key=lambda kv: (-kv[1], str(kv[0])))
        ),
        clocks=tuple(_rate(clock.name, counts[clock.name]) for clock in _unique(clock_list)),
    )


def _unique(clocks: Iterable[Clock]) -> list[Clock]:
    seen: dict[str, Clock] = {}
    for clock in clocks:
        seen.setdefault(clock.name, clock)
    return list(seen.values())


def _rate(name: str, counts: Counter[ClockState]) -> ClockRate:
    met, breached = counts[ClockState.MET], counts[ClockState.BREACHED]
    return ClockRate(name, met, breached, counts.total() - met - breached)
