"""SLA and regulatory clocks: when a case must reach a milestone, and whether it did.

A `Clock` is a definition: what starts it, what stops it, in which case states it is paused,
its target, and what restarts it. `evaluate_clocks` reads a case's history once and returns a
`ClockStatus` per clock for a given ``now``: it is a pure function, so evaluating the same
case later never loses paused time.

Deadlines are exclusive bounds expressed as aware datetimes in the calendar's zone:

- `BusinessDays(n)`: the end (midnight) of the n-th business day after the start day;
- `CloseOfBusinessAfter(n)`: close of business on the n-th business day after the start day
  (FCA DISP 1.5's "by close of business on the third business day following the day on
  which it is received");
- `CalendarDays(n)`, `Weeks(n)`, `Months(n)`: the end of the day that many days, weeks or
  months after the start day;
- `BusinessHours(hours, minutes)`: that much working time after the start instant.

Paused time counts only working time (business time while the case is in a paused state)
and moves the deadline later by that much working time. A clock that was breached stays
breached, even if the stop event comes later or the clock restarts.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import ClassVar, TypeAlias

import attrs
from dateutil.relativedelta import relativedelta

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.errors import ValidationError

__all__ = [
    "BusinessDays",
    "BusinessHours",
    "CalendarDays",
    "Clock",
    "ClockState",
    "ClockStatus",
    "CloseOfBusinessAfter",
    "Months",
    "Target",
    "Weeks",
    "evaluate_clocks",
]


def _count(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        v.fail(instance, attribute, f"expected int, got {type(value).__name__}")
    if value < 0:
        v.fail(instance, attribute, f"{value} is negative, must be >= 0")


@attrs.frozen
class BusinessDays:
    """The end of the n-th business day after the day the clock starts."""

    tag: ClassVar[str] = "business_days"

    n: int = attrs.field(validator=_count)


@attrs.frozen
class CloseOfBusinessAfter:
    """Close of business on the n-th business day after the day the clock starts."""

    tag: ClassVar[str] = "close_of_business_after"

    n: int = attrs.field(validator=_count)


@attrs.frozen
class CalendarDays:
    """The end of the n-th calendar day after the day the clock starts."""

    tag: ClassVar[str] = "calendar_days"

    n: int = attrs.field(validator=_count)


@attrs.frozen
class Weeks:
    """The end of the day n weeks after the day the clock starts."""

    tag: ClassVar[str] = "weeks"

    n: int = attrs.field(validator=_count)


@attrs.frozen
class Months:
    """The end of the day n calendar months after the day the clock starts (31 January plus
    one month is 28 or 29 February)."""

    tag: ClassVar[str] = "months"

    n: int = attrs.field(validator=_count)


@attrs.frozen
class BusinessHours:
    """An amount of working time after the instant the clock starts."""

    tag: ClassVar[str] = "business_hours"

    hours: int = attrs.field(validator=_count)
    minutes: int = attrs.field(default=0, validator=_count)

    @property
    def duration(self) -> timedelta:
        return timedelta(hours=self.hours, minutes=self.minutes)


DeadlineKind = object  # SHIM
Target: TypeAlias = (
    BusinessDays | CloseOfBusinessAfter | CalendarDays | Weeks | Months | BusinessHours
)
_TARGETS = (BusinessDays, CloseOfBusinessAfter, CalendarDays, Weeks, Months, BusinessHours)


def _target(instance: object, attribute: attrs.Attribute[Target], value: object) -> None:
    if not isinstance(value, _TARGETS):
        names = ", ".join(t.__name__ for t in _TARGETS)
        v.fail(instance, attribute, f"expected one of {names}, got {type(value).__name__}")


def _event_types(value: type[ev.Event] | Iterable[type[ev.Event]]) -> tuple[type[ev.Event], ...]:
    items = (value,) if isinstance(value, type) else tuple(value)
    for i, item in enumerate(items):
        if not (isinstance(item, type) and issubclass(item, ev.Event)):
            raise ValidationError(f"Clock.events[{i}]", f"expected an Event subclass, got {item!r}")
    return items


def _states(value: str | Iterable[str]) -> frozenset[str]:
    return frozenset((value,) if isinstance(value, str) else value)


def _optional_duration(
    instance: object, attribute: attrs.Attribute[timedelta | None], value: object
) -> None:
    if value is not None and (not isinstance(value, timedelta) or value < timedelta(0)):
        v.fail(instance, attribute, f"expected a non-negative timedelta or None, got {value!r}")


@attrs.frozen(kw_only=True)
class Extension:
    """A longer target that applies once ``event`` happens before the normal deadline (the
    FCA payment-services holding reply: 15 business days become 35)."""

    event: type[ev.Event]
    target: Target = attrs.field(validator=_target)


@attrs.frozen(kw_only=True)
class Clock:
    """One deadline to track on a case.

    Args:
        name: Stable identifier (``"final_response"``).
        target: When the deadline falls, relative to the start.
        stop_on: Event types that meet the clock.
        start_on: Event types that start it; default the complaint's receipt.
        pause_in: Case states during which the clock is paused.
        restart_on: Event types that start a new cycle once the current one is met (each
            customer reply for a "next reply" clock; `Reopened` for a resolution clock). An
            event that both stops and restarts the clock (a periodic update) does both.
        warning: Status turns ``warning`` when no more than this remains.
        extension: A longer target unlocked by an event before the deadline.
        receipt_next_business_day: Treat a start on a non-business day, or after close of
            business, as a start on the next business day (FCA DISP 1.5 guidance).
        description: The rule the clock encodes, for people.
    """

    name: str = attrs.field(validator=v.text())
    target: Target = attrs.field(validator=_target)
    stop_on: tuple[type[ev.Event], ...] = attrs.field(converter=_event_types)
    start_on: tuple[type[ev.Event], ...] = attrs.field(
        default=(ev.ComplaintReceived,), converter=_event_types
    )
    pause_in: frozenset[str] = attrs.field(default=frozenset(), converter=_states)
    restart_on: tuple[type[ev.Event], ...] = attrs.field(default=(), converter=_event_types)
    warning: timedelta | None = attrs.field(default=None, validator=_optional_duration)
    extension: Extension | None = None
    receipt_next_business_day: bool = attrs.field(default=False, validator=v.instance_of(bool))
    description: str | None = None

    def due_from(
        self, started_at: datetime, calendar: BusinessCalendar, target: Target
    ) -> datetime:
        """The deadline of a cycle started at ``started_at``, before any pause."""
        if isinstance(target, BusinessHours):
            return calendar.add_business_hours(started_at, target.duration)
        day = started_at.astimezone(calendar.tz).date()
        if self.receipt_next_business_day and (
            not calendar.is_business_day(day) or started_at >= calendar.close_of_business(day)
        ):
            day = calendar.add_business_days(day, 1)
        if isinstance(target, CloseOfBusinessAfter):
            return calendar.close_of_business(calendar.add_business_days(day, target.n))
        if isinstance(target, BusinessDays):
            return _end_of(calendar.add_business_days(day, target.n), calendar)
        if isinstance(target, CalendarDays):
            return _end_of(day + timedelta(days=target.n), calendar)
        if isinstance(target, Weeks):
            return _end_of(day + timedelta(weeks=target.n), calendar)
        return _end_of(day + relativedelta(months=target.n), calendar)


def _end_of(day: date, calendar: BusinessCalendar) -> datetime:
    """Midnight at the end of ``day`` in the calendar's zone."""
    return datetime.combine(day + timedelta(days=1), time(0), calendar.tz)


class ClockState(enum.StrEnum):
    PENDING = "pending"
    """Not started: its start event has not happened."""
    RUNNING = "running"
    PAUSED = "paused"
    WARNING = "warning"
    """Running, with no more than the clock's warning threshold left."""
    MET = "met"
    BREACHED = "breached"


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


def evaluate_clocks(
    case: Case,
    clocks: Sequence[Clock] | Iterable[Clock],
    *,
    calendar: BusinessCalendar,
    now: datetime,
) -> tuple[ClockStatus, ...]:
    """The status of each clock on ``case`` at ``now``, in the order given.

    Events after ``now`` are ignored, so the same history can be evaluated "as of" any time.

    Raises:
        ValidationError: ``now`` is naive, or ``clocks`` holds something other than a Clock.
    """
    v.require_aware(now, "now")
    result = []
    for i, clock in enumerate(clocks):
        if not isinstance(clock, Clock):
            raise ValidationError(f"clocks[{i}]", f"expected a Clock, got {type(clock).__name__}")
        result.append(_Run(clock, calendar).over(case, now))
    return tuple(result)


class _Run:
    """One pass over a case's history for one clock."""

    def __init__(self, clock: Clock, calendar: BusinessCalendar) -> None:
        self.clock = clock
        self.calendar = calendar
        self.started_at: datetime | None = None
        self.nominal_due: datetime | None = None
        self.target: Target = clock.target
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
        return self.calendar.add_business_hours(self.nominal_due, self.paused_until(at))

    def paused_until(self, at: datetime) -> timedelta:
        if self.pause_from is None:
            return self.paused
        return self.paused + self.calendar.business_time_between(self.pause_from, at)

    def over(self, case: Case, now: datetime) -> ClockStatus:
        clock = self.clock
        lifecycle = case.lifecycle
        state = lifecycle.initial
        for event in case.history:
            if event.at > now:
                break
            self.advance_to(event.at)
            transition = lifecycle.transition_for(state, type(event))
            if transition is not None:  # the opening event has none: it is the initial state
                state = transition.target_from(state)
            self.on_event(event)
            self.set_paused(state in clock.pause_in, event.at)
        self.advance_to(now)
        return self.status(now, paused=state in clock.pause_in)

    def on_event(self, event: ev.Event) -> None:
        clock = self.clock
        if self.running and isinstance(event, clock.stop_on):
            self.met_at = event.at
            self.close_pause(event.at)
        elif (
            self.started_at is not None
            and self.met_at is None
            and clock.extension is not None
            and isinstance(event, clock.extension.event)
        ):
            self.target = clock.extension.target
            self.nominal_due = clock.due_from(self.started_at, self.calendar, self.target)
        if self.running:
            return
        starts = clock.start_on if self.started_at is None else clock.restart_on
        if isinstance(event, starts):
            self.started_at = event.at
            self.target = clock.target
            self.nominal_due = clock.due_from(event.at, self.calendar, self.target)
            self.met_at = None
            self.paused = timedelta(0)
            self.pause_from = None
            self.cycles += 1

    def set_paused(self, paused: bool, at: datetime) -> None:
        if paused and self.running and self.pause_from is None:
            self.pause_from = at
        elif not paused:
            self.close_pause(at)

    def close_pause(self, at: datetime) -> None:
        if self.pause_from is not None:
            self.paused += self.calendar.business_time_between(self.pause_from, at)
            self.pause_from = None

    def advance_to(self, at: datetime) -> None:
        """Note a breach if the running clock's deadline passed before ``at``."""
        if not self.running or self.breached_at is not None:
            return
        # While paused the deadline moves with the working time that passes, so a pause
        # still open at ``at`` is counted up to ``at``.
        due = self.due(at)
        if due is not None and at > due:
            self.breached_at = due

    def status(self, now: datetime, *, paused: bool) -> ClockStatus:
        clock = self.clock
        due = self.due(now)
        if self.started_at is None or due is None:
            return ClockStatus(clock.name, ClockState.PENDING)
        paused_for = self.paused_until(now)
        # A late stop was already noted as a breach when its event was reached.
        met_at = self.met_at
        remaining = None if met_at is not None else due - now
        if self.breached_at is not None:
            state = ClockState.BREACHED
        elif met_at is not None:
            state = ClockState.MET
        elif paused:
            state = ClockState.PAUSED
        elif clock.warning is not None and due - now <= clock.warning:
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
