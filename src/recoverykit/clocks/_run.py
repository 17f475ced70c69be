"""Evaluating clocks: one pass over a case's history per clock, and the `ClockStatus`."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol

import attrs

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit._instants import before, elapsed
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks import _check
from recoverykit.clocks._clock import Clock, _check_calendar, _deadline
from recoverykit.clocks._kinds import DeadlineKind
from recoverykit.clocks._suspension import Suspension, covers, shifted
from recoverykit.errors import InvalidType, RecoveryKitError, UnknownName, ValidationError


class ClockState(enum.StrEnum):
    PENDING = "pending"
    """Not started: its start event has not happened."""
    RUNNING = "running"
    PAUSED = "paused"
    WARNING = "warning"
    """Running, with no more than the clock's warning threshold left."""
    MET = "met"
    BREACHED = "breached"

    @classmethod
    def _missing_(cls, value: object) -> ClockState:
        known = ", ".join(repr(s.value) for s in cls)
        raise UnknownName("ClockState", f"unknown clock state {value!r}; known: {known}")


@attrs.frozen
class ClockStatus:
    """Where one clock stands at ``now``.

    ``remaining`` is ``due_at - now`` while the clock runs (negative once breached), and
    None when it is pending or stopped. ``paused_for`` is the working time paused in the
    current cycle; it is already added to ``due_at``. ``breached_at`` is when it was first
    breached, in any cycle.
    """

    name: str
    status: ClockState
    started_at: datetime | None = None
    due_at: datetime | None = None
    met_at: datetime | None = None
    paused_for: timedelta = timedelta(0)
    remaining: timedelta | None = None
    breached_at: datetime | None = None
    cycles: int = 0


def checked_arguments(
    case: object, clocks: object, calendar: object, now: object, path: str
) -> tuple[Clock, ...]:
    """The clocks as a tuple, once every argument of an evaluation is checked (and the clocks
    against the case's lifecycle); shared by `evaluate_clocks` and `explain_clocks`."""
    if not isinstance(case, Case):
        raise InvalidType("case", f"expected a Case, got {v.type_name(case)}")
    if isinstance(clocks, str | bytes | Clock) or not isinstance(clocks, Iterable):
        raise InvalidType("clocks", f"expected an iterable of Clock, got {v.type_name(clocks)}")
    _check_calendar(calendar)
    v.require_aware(now, "now")
    checked = tuple(clocks)
    for i, clock in enumerate(checked):
        if not isinstance(clock, Clock):
            raise InvalidType(f"clocks[{i}]", f"expected a Clock, got {v.type_name(clock)}")
    _check.check(checked, case.lifecycle, path, indexed=True)
    return checked


def evaluate_all(
    case: Case,
    clocks: Sequence[Clock] | Iterable[Clock],
    calendar: BusinessCalendar,
    now: datetime,
    path: str,
) -> tuple[ClockStatus, ...]:
    """`evaluate_clocks`, with errors about a clock named ``path[i]`` (``Regime.clocks[i]``)."""
    checked = checked_arguments(case, clocks, calendar, now, path)
    try:
        runs = [_Run(clock, calendar) for clock in checked]
        for run in runs:
            run.begin(case)
        state = _walk(runs, case, now)
        return tuple([run.end(state, now) for run in runs])
    except RecoveryKitError:
        raise
    except (OverflowError, ValueError):  # calendar arithmetic past year 9999
        # Rare: run the clocks one by one to name the one that failed.
        for i, clock in enumerate(checked):
            try:
                _Run(clock, calendar).over(case, now)
            except (OverflowError, ValueError) as failed:
                if isinstance(failed, RecoveryKitError):
                    raise
                raise ValidationError(
                    f"{path}[{i}]",
                    f"clock {clock.name!r} cannot be evaluated at these dates: {failed}",
                ) from failed
        raise  # pragma: no cover - each clock alone fails as they do together


def _walk(runs: list[_Run], case: Case, now: datetime) -> str:
    """One pass over the history up to ``now`` for all ``runs`` (a case's clocks); the
    lifecycle is asked once an event. Returns the case's state at ``now``."""
    lifecycle = case.lifecycle
    state = lifecycle.initial
    for event in case.history:
        at = event.at
        if before(now, at):
            break
        transition = lifecycle.transition_for(state, type(event))
        if transition is not None:  # the opening event has none: it is the initial state
            state = transition.target_from(state)
        for run in runs:
            if run.started_at is not None and run.met_at is None and run.breached_at is None:
                run.advance_to(at)
            if isinstance(event, run.watched):  # an event the clock ignores changes nothing
                run.on_event(event)
            if run.pause_in:  # a clock that never pauses has no pause to open or close
                run.state = state
                run.set_paused(state in run.pause_in, at)
    return state


_TICK = timedelta(microseconds=1)


def _first_day(suspension: Suspension) -> date:
    return suspension.first_day


class Recorder(Protocol):
    """What `explain_clocks` hears from a run (see `recoverykit.clocks._timeline`)."""

    def started(self, event: ev.Event, cycle: int, target: DeadlineKind) -> None: ...
    def computed(self, start: datetime, target: DeadlineKind, due: datetime) -> None: ...
    def suspended(
        self, suspension: Suspension, window: tuple[datetime, datetime], how: str, due: datetime
    ) -> None: ...
    def extended(self, event: ev.Event, target: DeadlineKind) -> None: ...
    def paused(self, start: datetime, end: datetime, state: str, working: timedelta) -> None: ...
    def met(self, event: ev.Event) -> None: ...
    def breached(self, due: datetime) -> None: ...


class _Run:
    """One pass over a case's history for one clock."""

    def __init__(
        self, clock: Clock, calendar: BusinessCalendar, record: Recorder | None = None
    ) -> None:
        self.clock = clock
        self.calendar = calendar
        extension = () if clock.extension is None else (clock.extension.event,)
        self.watched = (*clock.start_on, *clock.stop_on, *clock.restart_on, *extension)
        self.pause_in = clock.pause_in
        self.record = record  # `explain_clocks` listens; evaluation passes None
        self.suspensions: list[tuple[Suspension, tuple[datetime, datetime]]] = []
        self.state = ""
        self.pause_state = ""
        self.started_at: datetime | None = None
        self.nominal_due: datetime | None = None
        self.target: DeadlineKind = clock.target
        self.met_at: datetime | None = None
        self.paused = timedelta(0)
        self.pause_from: datetime | None = None
        self.breached_at: datetime | None = None
        self.cycles = 0

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.met_at is None

    def due(self, at: datetime) -> datetime | None:
        """The deadline as it stands at ``at``, counting a pause still open then."""
        if self.nominal_due is None:
            return None
        if self.pause_from is None and not self.paused:  # never paused: as computed
            return self.nominal_due
        try:
            return self.calendar.add_business_hours(self.nominal_due, self.paused_until(at))
        except InvalidType:
            raise
        except ValidationError as exc:  # the calendar's range error: say it was the pause
            raise ValidationError(
                "Clock.pause_in", f"the paused deadline cannot be computed: {exc.message}"
            ) from exc
        except RecoveryKitError:
            raise
        except (OverflowError, ValueError) as exc:  # a pause pushed it past year 9999
            raise ValidationError(
                "Clock.pause_in", f"the paused deadline falls after year 9999: {exc}"
            ) from exc

    def paused_until(self, at: datetime) -> timedelta:
        if self.pause_from is None:
            return self.paused
        return self.paused + self.paused_between(self.pause_from, at)

    def paused_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time paused from ``start`` to ``end``, less what a suspension already
        stops: a rule that says time is not running is not added to twice."""
        working = self.calendar.business_time_between(start, end)
        for _, (window_start, window_end) in self.suspensions:
            lo = start if before(window_start, start) else window_start
            hi = end if before(end, window_end) else window_end
            if before(lo, hi):
                working -= self.calendar.business_time_between(lo, hi)
        return max(working, timedelta(0))

    def over(self, case: Case, now: datetime) -> ClockStatus:
        """This clock alone over the case (`evaluate_all` walks all of a case's clocks at
        once, with the same steps)."""
        self.begin(case)
        return self.end(_walk([self], case, now), now)

    def begin(self, case: Case) -> None:
        clock = self.clock
        if clock.suspensions:
            calendar = self.calendar
            self.suspensions = [
                (s, s.window(calendar))
                for s in sorted(clock.suspensions, key=_first_day)
                if s.selects(case, calendar)
            ]

    def end(self, state: str, now: datetime) -> ClockStatus:
        self.advance_to(now)
        return self.status(now, paused=state in self.clock.pause_in)

    def deadline(self, start: datetime, target: DeadlineKind) -> datetime:
        """The deadline of a cycle from ``start`` under ``target``, after any suspension."""
        calendar = self.calendar
        due = _deadline(self.clock, start, calendar, target)
        if self.record is not None:
            self.record.computed(start, target, due)
        for suspension, window in self.suspensions:
            how = covers(window, start, due)
            if how == "across":
                due = shifted(due, suspension.days, calendar)
            elif how == "inside":
                # As if started at the end of the last suspended day.
                due = _deadline(self.clock, window[1] - _TICK, calendar, target)
            if how is not None and self.record is not None:
                self.record.suspended(suspension, window, how, due)
        return due

    def on_event(self, event: ev.Event) -> None:
        clock = self.clock
        if self.started_at is not None and self.met_at is None:  # running
            if not isinstance(event, clock.stop_on):
                extension = clock.extension
                if extension is not None and isinstance(event, extension.event):
                    self.target = extension.target
                    if self.record is not None:
                        self.record.extended(event, self.target)
                    self.nominal_due = self.deadline(self.started_at, self.target)
                return
            self.met_at = event.at
            self.close_pause(event.at)
            if self.record is not None:
                self.record.met(event)
        # Not running: never started, or met (perhaps by this very event).
        starts = clock.start_on if self.started_at is None else clock.restart_on
        if starts and isinstance(event, starts):
            self.started_at = event.at
            self.target = clock.target
            if self.record is not None:
                self.record.started(event, self.cycles + 1, clock.target)
            self.nominal_due = self.deadline(event.at, self.target)
            self.met_at = None
            self.paused = timedelta(0)
            self.pause_from = None
            self.cycles += 1

    def set_paused(self, paused: bool, at: datetime) -> None:
        if paused and self.running and self.pause_from is None:
            self.pause_from = at
            self.pause_state = self.state
        elif not paused:
            self.close_pause(at)

    def close_pause(self, at: datetime) -> None:
        if self.pause_from is not None:
            working = self.paused_between(self.pause_from, at)
            self.paused += working
            if self.record is not None:
                self.record.paused(self.pause_from, at, self.pause_state, working)
            self.pause_from = None

    def advance_to(self, at: datetime) -> None:
        """Note a breach if the running clock's deadline passed before ``at``."""
        if not self.running or self.breached_at is not None:
            return
        # While paused the deadline moves with the working time that passes, so a pause
        # still open at ``at`` is counted up to ``at``.
        due = self.nominal_due if self.pause_from is None and not self.paused else self.due(at)
        if due is not None and before(due, at):
            self.breached_at = due
            if self.record is not None:
                self.record.breached(due)

    def left(self, now: datetime, due: datetime, real: timedelta) -> timedelta:
        """What is left before ``due``, as the clock's warning measures it."""
        if self.clock.warning_in_working_time:
            return self.calendar.business_time_between(now, due)
        return real

    def status(self, now: datetime, *, paused: bool) -> ClockStatus:
        clock = self.clock
        due = self.due(now)
        if self.started_at is None or due is None:
            return ClockStatus(clock.name, ClockState.PENDING)
        paused_for = self.paused_until(now)
        # A late stop was already noted as a breach when its event was reached.
        met_at = self.met_at
        left = elapsed(now, due)
        remaining = None if met_at is not None else left
        if self.breached_at is not None:
            state = ClockState.BREACHED
        elif met_at is not None:
            state = ClockState.MET
        elif paused:
            state = ClockState.PAUSED
        elif clock.warning is not None and self.left(now, due, left) <= clock.warning:
            state = ClockState.WARNING
        else:
            state = ClockState.RUNNING
        return ClockStatus(
            name=clock.name,
            status=state,
            started_at=self.started_at,
            due_at=due.astimezone(self.calendar.tz),
            met_at=met_at,
            paused_for=paused_for,
            remaining=remaining,
            breached_at=self.breached_at,
            cycles=self.cycles,
        )
