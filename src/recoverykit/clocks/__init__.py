"""SLA and regulatory clocks: when a case must reach a milestone, and whether it did.

A `Clock` is a definition: what starts it, what stops it, in which case states it is paused,
its target, and what restarts it. `evaluate_clocks` reads a case's history once and returns a
`ClockStatus` per clock for a given ``now``: it is a pure function, so evaluating the same
case later never loses paused time.

A clock's target is a `DeadlineKind`: any object with a stable ``tag`` (a class attribute,
used to save it) and a ``due(start, calendar)`` method that gives the exclusive deadline of a
cycle started at ``start``. The built-in kinds, in the calendar's zone:

- `BusinessDays(n)`: the end (midnight) of the n-th business day after the start day;
- `CloseOfBusinessAfter(n)`: close of business on the n-th business day after the start day
  (FCA DISP 1.5's "by close of business on the third business day following the day on
  which it is received");
- `CalendarDays(n)`, `Weeks(n)`, `Months(n)`: the end of the day that many days, weeks or
  months after the start day;
- `BusinessHours(hours, minutes)`: that much working time after the start instant.

An app adds its own kind by writing one such class; the clock needs nothing else.

Paused time counts only working time (business time while the case is in a paused state)
and moves the deadline later by that much working time. A clock that was breached stays
breached, even if the stop event comes later or the clock restarts.
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks._kinds import (
    BusinessDays,
    BusinessHours,
    CalendarDays,
    CloseOfBusinessAfter,
    DeadlineKind,
    Months,
    Weeks,
    _check_kind,
    _day_of,
)
from recoverykit.errors import InvalidType, RecoveryKitError, UnknownName, ValidationError

__all__ = [
    "BusinessDays",
    "BusinessHours",
    "CalendarDays",
    "Clock",
    "ClockState",
    "ClockStatus",
    "CloseOfBusinessAfter",
    "DeadlineKind",
    "Extension",
    "Months",
    "Weeks",
    "evaluate_clocks",
]


if TYPE_CHECKING:
    Target: TypeAlias = DeadlineKind
    """Deprecated alias of `DeadlineKind`."""


def __getattr__(name: str) -> Any:
    # Module attributes that moved: warn, then hand back the new object.
    if name == "Target":
        warnings.warn(
            "recoverykit.clocks.Target is deprecated; use recoverykit.clocks.DeadlineKind",
            DeprecationWarning,
            stacklevel=2,
        )
        return DeadlineKind
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _kind(instance: object, attribute: attrs.Attribute[DeadlineKind], value: object) -> None:
    _check_kind(value, v.path_of(instance, attribute))


_EventTypes: TypeAlias = type[ev.Event] | Iterable[type[ev.Event]]


def _event_types(value: object, path: str) -> tuple[type[ev.Event], ...]:
    """One event type or an iterable of them, as a tuple; errors name ``path``."""
    if isinstance(value, type):
        items: tuple[object, ...] = (value,)
    elif isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidType(
            path, f"expected an Event subclass or an iterable of them, got {v.type_name(value)}"
        )
    else:
        items = tuple(value)
    for i, item in enumerate(items):
        if not (isinstance(item, type) and issubclass(item, ev.Event)):
            raise InvalidType(
                f"{path}[{i}]", f"expected an Event subclass, got {v.type_name(item)}"
            )
    return items  # type: ignore[return-value] # checked item by item above


# One named converter per field, so that an error names the field it is about.
def _stop_on(value: _EventTypes) -> tuple[type[ev.Event], ...]:
    return _event_types(value, "Clock.stop_on")


def _start_on(value: _EventTypes) -> tuple[type[ev.Event], ...]:
    return _event_types(value, "Clock.start_on")


def _restart_on(value: _EventTypes) -> tuple[type[ev.Event], ...]:
    return _event_types(value, "Clock.restart_on")


def _states(names: str | Iterable[str]) -> frozenset[str]:
    value: object = names  # checked below: callers may pass anything
    if isinstance(value, str):
        return frozenset((value,))
    if isinstance(value, bytes) or not isinstance(value, Iterable):
        raise InvalidType(
            "Clock.pause_in", f"expected a state name or names (str), got {v.type_name(value)}"
        )
    states = tuple(value)
    for state in states:
        if not isinstance(state, str):
            raise InvalidType(
                "Clock.pause_in", f"expected state names (str), got {v.type_name(state)} in it"
            )
    return frozenset(states)


def _optional_duration(
    instance: object, attribute: attrs.Attribute[timedelta | None], value: object
) -> None:
    if value is not None and not isinstance(value, timedelta):
        v.fail_type(instance, attribute, f"expected a timedelta or None, got {v.type_name(value)}")
    if value is not None and value < timedelta(0):
        v.fail(instance, attribute, f"expected a non-negative timedelta or None, got {value!r}")


def _event_type(
    instance: object, attribute: attrs.Attribute[type[ev.Event]], value: object
) -> None:
    if not (isinstance(value, type) and issubclass(value, ev.Event)):
        v.fail_type(instance, attribute, f"expected an Event subclass, got {v.type_name(value)}")


def _start_of(day: date, calendar: BusinessCalendar) -> datetime:
    """Midnight at the start of ``day`` in the calendar's zone."""
    return datetime.combine(day, time(0), calendar.tz)


@attrs.frozen(kw_only=True)
class Extension:
    """A longer target that applies once ``event`` happens before the normal deadline (the
    FCA payment-services holding reply: 15 business days become 35)."""

    event: type[ev.Event] = attrs.field(validator=_event_type)
    target: DeadlineKind = attrs.field(validator=_kind)


@attrs.frozen(kw_only=True)
class Clock:
    """One deadline to track on a case.

    Args:
        name: Stable identifier (``"final_response"``).
        target: When the deadline falls, relative to the start: any `DeadlineKind`.
        stop_on: Event types that meet the clock.
        start_on: Event types that start it; default the complaint's receipt.
        pause_in: Case states during which the clock is paused.
        restart_on: Event types that start a new cycle once the current one is met (each
            customer reply for a "next reply" clock; `Reopened` for a resolution clock). An
            event that both stops and restarts the clock (a periodic update) does both.
        warning: Status turns ``warning`` when no more than this remains.
        extension: A longer target unlocked by an event before the deadline.
        receipt_next_business_day: Treat a start on a non-business day, or after close of
            business, as a start at the beginning (midnight) of the next business day (FCA
            DISP 1.5 guidance). Applied before the target is asked, so it works for any kind.
        description: The rule the clock encodes, for people.
    """

    name: str = attrs.field(validator=v.text())
    target: DeadlineKind = attrs.field(validator=_kind)
    stop_on: tuple[type[ev.Event], ...] = attrs.field(converter=_stop_on)
    start_on: tuple[type[ev.Event], ...] = attrs.field(
        default=(ev.ComplaintReceived,), converter=_start_on
    )
    pause_in: frozenset[str] = attrs.field(default=frozenset(), converter=_states)
    restart_on: tuple[type[ev.Event], ...] = attrs.field(default=(), converter=_restart_on)
    warning: timedelta | None = attrs.field(default=None, validator=_optional_duration)
    extension: Extension | None = attrs.field(
        default=None, validator=v.instance_of(Extension, optional=True)
    )
    receipt_next_business_day: bool = attrs.field(default=False, validator=v.instance_of(bool))
    description: str | None = attrs.field(default=None, validator=v.instance_of(str, optional=True))

    def due_from(
        self, started_at: datetime, calendar: BusinessCalendar, target: DeadlineKind
    ) -> datetime:
        """The deadline of a cycle started at ``started_at``, before any pause.

        Raises:
            InvalidType: an argument of the wrong type, or ``target.due`` returned something
                other than an aware datetime.
            ValidationError: the deadline falls outside the dates Python can represent.
        """
        v.require_aware(started_at, "started_at")
        _check_calendar(calendar)
        _check_kind(target, "target")
        return _deadline(self, started_at, calendar, target)


def _deadline(
    clock: Clock, started_at: datetime, calendar: BusinessCalendar, target: DeadlineKind
) -> datetime:
    """`Clock.due_from` without checking its arguments (they were checked once)."""
    start = started_at
    try:
        if clock.receipt_next_business_day:
            # Applied before the kind is asked, so every kind (an app's too) sees the start
            # the rule says: the beginning of the next business day.
            day = _day_of(started_at, calendar)
            if not calendar.is_business_day(day) or started_at >= calendar.close_of_business(day):
                start = _start_of(calendar.add_business_days(day, 1), calendar)
        due = target.due(start, calendar)
    except InvalidType:
        raise
    except ValidationError as exc:  # the calendar's own range error: say which clock target
        raise ValidationError(
            "Clock.target", f"{target!r} from {start.isoformat()} cannot be computed: {exc.message}"
        ) from exc
    except RecoveryKitError:
        raise
    except (OverflowError, ValueError) as exc:  # past year 9999, or before year 1
        raise ValidationError(
            "Clock.target", f"{target!r} from {start.isoformat()} cannot be computed: {exc}"
        ) from exc
    if not isinstance(due, datetime) or due.utcoffset() is None:
        raise InvalidType(
            f"{type(target).__name__}.due", f"expected an aware datetime, got {v.type_name(due)}"
        )
    return due


def _check_calendar(calendar: object, path: str = "calendar") -> None:
    if not isinstance(calendar, BusinessCalendar):
        raise InvalidType(path, f"expected a BusinessCalendar, got {v.type_name(calendar)}")


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
        InvalidType: an argument of the wrong type (``clocks`` holding something other than
            a Clock, ``calendar`` not a `BusinessCalendar`, ``now`` not a datetime).
        ValidationError: ``now`` is naive, or a deadline falls outside the dates Python can
            represent.
    """
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
    return tuple(_evaluate(clock, i, case, calendar, now) for i, clock in enumerate(checked))


def _evaluate(
    clock: Clock, i: int, case: Case, calendar: BusinessCalendar, now: datetime
) -> ClockStatus:
    try:
        return _Run(clock, calendar).over(case, now)
    except RecoveryKitError:
        raise
    except (OverflowError, ValueError) as exc:  # calendar arithmetic past year 9999
        raise ValidationError(
            f"clocks[{i}]", f"clock {clock.name!r} cannot be evaluated at these dates: {exc}"
        ) from exc


class _Run:
    """One pass over a case's history for one clock."""

    def __init__(self, clock: Clock, calendar: BusinessCalendar) -> None:
        self.clock = clock
        self.calendar = calendar
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
            self.nominal_due = _deadline(clock, self.started_at, self.calendar, self.target)
        if self.running:
            return
        starts = clock.start_on if self.started_at is None else clock.restart_on
        if isinstance(event, starts):
            self.started_at = event.at
            self.target = clock.target
            self.nominal_due = _deadline(clock, event.at, self.calendar, self.target)
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
