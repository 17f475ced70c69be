"""Explained deadlines: why a clock is due when it is.

`explain_clocks` runs the same evaluation as `evaluate_clocks` and listens to it: every
step that set or moved the deadline (a start, the target's arithmetic, a regulator's
suspension, an extension, a pause, the stop, a breach) and the segments of the current
cycle's time (running, paused in which state, outside working hours, on which holiday,
suspended under which rule). The status it carries is the one `evaluate_clocks` gives.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo

import attrs

from recoverykit import events as ev
from recoverykit._instants import before, elapsed, utc
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks._clock import Clock
from recoverykit.clocks._kinds import BusinessDays, CloseOfBusinessAfter, DeadlineKind
from recoverykit.clocks._run import ClockStatus, _Run, checked_arguments
from recoverykit.clocks._suspension import Suspension, _midnight
from recoverykit.errors import RecoveryKitError, ValidationError


class SegmentKind(enum.StrEnum):
    RUNNING = "running"
    """Working time while the clock runs."""
    OUTSIDE_HOURS = "outside_hours"
    """Outside working hours on a working day."""
    NON_WORKING_DAY = "non_working_day"
    """A weekday the calendar does not work (a weekend)."""
    HOLIDAY = "holiday"
    """A holiday of the calendar (``detail`` names it)."""
    PAUSED = "paused"
    """The case was in a state the clock pauses in (``detail`` names the state)."""
    SUSPENDED = "suspended"
    """A regulator's suspension (``detail`` names it)."""


@attrs.frozen
class Segment:
    """A stretch of the current cycle's time, from ``start`` to ``end`` (exclusive)."""

    start: datetime
    end: datetime
    kind: SegmentKind
    detail: str | None = None


@attrs.frozen
class Step:
    """One thing that set or moved the deadline. ``due_at`` is the deadline after it (None
    for steps that do not change it)."""

    at: datetime | None
    what: str
    text: str
    due_at: datetime | None = None


@attrs.frozen
class Timeline:
    """A clock's status on a case, with the steps and the time that led to it."""

    clock: str
    status: ClockStatus
    steps: tuple[Step, ...]
    segments: tuple[Segment, ...]
    """The current cycle's time from its start to its stop or ``now``: at most the first
    ten years (`DETAILED`) of it, for a clock evaluated decades later."""

    def totals(self) -> dict[SegmentKind, timedelta]:
        """Time spent in each kind of segment in the current cycle."""
        out: dict[SegmentKind, timedelta] = {}
        for s in self.segments:
            out[s.kind] = out.get(s.kind, timedelta(0)) + elapsed(s.start, s.end)
        return out

    def __str__(self) -> str:
        lines = [f"{self.clock}: {self.status.status.value}"]
        lines += [f"  {s.text}" for s in self.steps]
        totals = self.totals()
        if totals:
            lines.append("  time in the current cycle:")
            for kind in SegmentKind:
                if kind in totals:
                    details = sorted({s.detail or "" for s in self.segments if s.kind is kind})
                    named = ", ".join(d for d in details if d)
                    named = f" ({named})" if named else ""
                    lines.append(f"    {kind.value}: {_duration(totals[kind])}{named}")
        return "\n".join(lines)


def _duration(span: timedelta) -> str:
    days, seconds = span.days, span.seconds
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    parts = [f"{days}d"] if days else []
    if hours or minutes or not parts:
        parts.append(f"{hours}h{minutes:02d}")
    return " ".join(parts)


def _counted(start: datetime, n: int, calendar: BusinessCalendar) -> str:
    """The business days a day-counting target counted, and the weekdays it skipped."""
    if not 0 < n <= _LISTED:
        return ""
    day = start.astimezone(calendar.tz).date()
    counted: list[str] = []
    skipped: list[str] = []
    names: dict[date, str] = {}
    years: set[int] = set()
    while len(counted) < n:
        day += timedelta(days=1)
        if calendar.is_business_day(day):
            counted.append(day.strftime("%a %d %b"))
        elif day.weekday() in calendar.working_weekdays:
            if day.year not in years:
                years.add(day.year)
                names.update(calendar.holidays(day.year))
            skipped.append(f"{day:%a %d %b} ({names.get(day, 'holiday')})")
    text = f"; counted {', '.join(counted)}"
    return text + (f"; skipped {', '.join(skipped)}" if skipped else "")


_LISTED = 40  # beyond that, the segments say where the time went


def _when(at: datetime, calendar: BusinessCalendar) -> str:
    return at.astimezone(calendar.tz).strftime("%a %d %b %Y %H:%M")


def _deadline_text(at: datetime, calendar: BusinessCalendar) -> str:
    """A deadline as people say it: midnight is "the end of" the day before."""
    local = at.astimezone(calendar.tz)
    if local.time() == time(0):
        return "the end of " + (local - timedelta(days=1)).strftime("%a %d %b %Y")
    return local.strftime("%a %d %b %Y %H:%M")


class _Listener:
    """Hears a run (the `Recorder` protocol of `_run`) and writes steps."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar = calendar
        self.steps: list[Step] = []
        self.pauses: list[tuple[datetime, datetime, str]] = []
        self.windows: list[tuple[datetime, datetime, str]] = []

    def _step(self, at: datetime | None, what: str, text: str, due: datetime | None) -> None:
        self.steps.append(Step(at, what, text, due))

    def started(self, event: ev.Event, cycle: int, target: DeadlineKind) -> None:
        when = _when(event.at, self.calendar)
        kind = type(event).__name__
        self._step(event.at, "started", f"{when}: {kind} starts cycle {cycle} ({target!r})", None)
        self.pauses.clear()
        self.windows.clear()

    def computed(self, start: datetime, target: DeadlineKind, due: datetime) -> None:
        due_text = _deadline_text(due, self.calendar)
        text = f"{target!r} from {_when(start, self.calendar)}: due {due_text}"
        if isinstance(target, BusinessDays | CloseOfBusinessAfter):
            text += _counted(start, target.n, self.calendar)
        self._step(start, "target", text, due)

    def suspended(
        self, suspension: Suspension, window: tuple[datetime, datetime], how: str, due: datetime
    ) -> None:
        first, last = suspension.first_day, suspension.last_day
        if how == "across":
            text = f"{suspension.name}: {suspension.days} days not running ({first} to {last})"
        else:
            text = f"{suspension.name}: started while not running ({first} to {last}); runs after"
        self._step(None, "suspended", f"{text}: due {_deadline_text(due, self.calendar)}", due)
        self.windows.append((*window, suspension.name))

    def extended(self, event: ev.Event, target: DeadlineKind) -> None:
        when = _when(event.at, self.calendar)
        self._step(
            event.at,
            "extended",
            f"{when}: {type(event).__name__} extends the target to {target!r}",
            None,
        )

    def paused(self, start: datetime, end: datetime, state: str, working: timedelta) -> None:
        text = (
            f"{_when(start, self.calendar)} to {_when(end, self.calendar)}: paused in {state} "
            f"({_duration(working)} of working time added)"
        )
        self._step(end, "paused", text, None)
        self.pauses.append((start, end, state))

    def met(self, event: ev.Event) -> None:
        when = _when(event.at, self.calendar)
        self._step(event.at, "met", f"{when}: {type(event).__name__} stops the clock", None)

    def breached(self, due: datetime) -> None:
        self._step(due, "breached", f"{_when(due, self.calendar)}: breached", due)


def explain_clocks(
    case: Case,
    clocks: Sequence[Clock] | Iterable[Clock],
    *,
    calendar: BusinessCalendar,
    now: datetime,
) -> tuple[Timeline, ...]:
    """Each clock's status on ``case`` at ``now`` (as `evaluate_clocks` gives it) with its
    `Timeline`: the steps that set the deadline and the segments of the current cycle.

    ``str(timeline)`` is the same as readable text.

    Raises:
        The same errors as `evaluate_clocks`.
    """
    return explain_all(case, clocks, calendar, now, "clocks")


def explain_all(
    case: Case,
    clocks: Sequence[Clock] | Iterable[Clock],
    calendar: BusinessCalendar,
    now: datetime,
    path: str,
) -> tuple[Timeline, ...]:
    """`explain_clocks`, with errors about a clock named ``path[i]`` (``Regime.clocks[i]``)."""
    checked = checked_arguments(case, clocks, calendar, now, path)
    out = []
    for i, clock in enumerate(checked):
        listener = _Listener(calendar)
        try:
            status = _Run(clock, calendar, listener).over(case, now)
            if status.due_at is not None:
                listener.steps.append(Step(now, "now", _now_text(status, now, calendar)))
            segments = _segments(status, listener, calendar, now)
        except RecoveryKitError:
            raise
        except (OverflowError, ValueError) as exc:
            raise ValidationError(
                f"{path}[{i}]", f"clock {clock.name!r} cannot be explained at these dates: {exc}"
            ) from exc
        out.append(Timeline(clock.name, status, tuple(listener.steps), segments))
    return tuple(out)


def _now_text(status: ClockStatus, now: datetime, calendar: BusinessCalendar) -> str:
    assert status.due_at is not None  # noqa: S101 - the caller checked
    due = _deadline_text(status.due_at, calendar)
    text = f"{_when(now, calendar)}: {status.status.value}, due {due}"
    if status.paused_for:
        text += f" (after {_duration(status.paused_for)} paused)"
    if status.remaining is not None:
        late = status.remaining < timedelta(0)
        text += f", {_duration(abs(status.remaining))} {'late' if late else 'left'}"
    return text


#: Segments break down at most this much of a cycle: the calendar is walked day by day, and
#: a clock evaluated decades after it started needs no daily account of every year.
DETAILED = timedelta(days=3660)


def _segments(
    status: ClockStatus, listener: _Listener, calendar: BusinessCalendar, now: datetime
) -> tuple[Segment, ...]:
    """The current cycle's time, from its start to its stop (or ``now``), cut into kinds;
    at most `DETAILED` of it."""
    if status.started_at is None:
        return ()
    start = utc(status.started_at)
    end = utc(status.met_at if status.met_at is not None else now)
    if not before(start, end):
        return ()
    if end - start > DETAILED:
        end = start + DETAILED
    marks = [(utc(a), utc(b), SegmentKind.SUSPENDED, name) for a, b, name in listener.windows]
    marks += [(utc(a), utc(b), SegmentKind.PAUSED, state) for a, b, state in listener.pauses]
    pieces: list[Segment] = []
    cursor = start
    for mark_start, mark_end, kind, detail in sorted(marks, key=lambda m: m[0]):
        a, b = max(mark_start, cursor), min(mark_end, end)
        if not a < b:
            continue
        pieces += _calendar_time(cursor, a, calendar)
        pieces.append(_piece(a, b, calendar.tz, kind, detail))
        cursor = b
    pieces += _calendar_time(cursor, end, calendar)
    return tuple(_merged(pieces))


def _calendar_time(start: datetime, end: datetime, calendar: BusinessCalendar) -> list[Segment]:
    """``start`` to ``end`` (UTC) as running, outside-hours, non-working and holiday time."""
    out: list[Segment] = []
    tz = calendar.tz
    day = start.astimezone(tz).date()
    names: dict[date, str] = {}
    years: set[int] = set()
    while True:
        day_start = max(start, _local_midnight(day, calendar))
        day_end = min(end, _local_midnight(day + timedelta(days=1), calendar))
        if not day_start < day_end:
            break
        if day.year not in years:
            years.add(day.year)
            names.update(calendar.holidays(day.year))
        if calendar.is_holiday(day) and day.weekday() in calendar.working_weekdays:
            name = names.get(day, "holiday")
            out.append(_piece(day_start, day_end, tz, SegmentKind.HOLIDAY, name))
        elif not calendar.is_business_day(day):
            out.append(_piece(day_start, day_end, tz, SegmentKind.NON_WORKING_DAY))
        else:
            cursor = day_start
            hours = calendar._day_intervals(day.toordinal())  # noqa: SLF001 - same library
            for work_start, work_end in hours:
                a, b = max(work_start, day_start), min(work_end, day_end)
                if a < b:
                    if cursor < a:
                        out.append(_piece(cursor, a, tz, SegmentKind.OUTSIDE_HOURS))
                    out.append(_piece(a, b, tz, SegmentKind.RUNNING))
                    cursor = b
            if cursor < day_end:
                out.append(_piece(cursor, day_end, tz, SegmentKind.OUTSIDE_HOURS))
        day += timedelta(days=1)
    return out


def _piece(
    start: datetime, end: datetime, tz: tzinfo, kind: SegmentKind, detail: str | None = None
) -> Segment:
    return Segment(start.astimezone(tz), end.astimezone(tz), kind, detail)


def _local_midnight(day: date, calendar: BusinessCalendar) -> datetime:
    return utc(_midnight(day, calendar))


def _merged(pieces: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for piece in pieces:
        last = out[-1] if out else None
        if last and (last.kind, last.detail, last.end) == (piece.kind, piece.detail, piece.start):
            out[-1] = attrs.evolve(out[-1], end=piece.end)
        else:
            out.append(piece)
    return out
