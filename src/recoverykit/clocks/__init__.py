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

A clock names lifecycle states (``pause_in``) and event types (``start_on``, ``stop_on``,
``restart_on``, ``extension.event``) without knowing the lifecycle it will meet.
`check_clocks` (or `Clock.check`) checks them against one and raises one `UnknownName`
listing every state and event it does not have; `evaluate_clocks` checks against the case's
lifecycle, so a clock pausing in a state that does not exist is an error, never a clock that
silently never pauses. `unknown_names` gives the same findings as `Problem` values.

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
from recoverykit._instants import before, elapsed
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks import _check
from recoverykit.clocks._fields import (
    _event_type,
    _kind,
    _optional_duration,
    _restart_on,
    _start_on,
    _states,
    _stop_on,
)
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
from recoverykit.errors import InvalidType, Problem, RecoveryKitError, UnknownName, ValidationError
from recoverykit.lifecycle import Lifecycle

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
    "check_clocks",
    "evaluate_clocks",
    "unknown_names",
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
            business, as a start at the beginning (midnight) of the next business day (a
            firm's policy choice; the FCA guidance that allowed it, DISP 1.5.3G, is shown as
            deleted). Applied before the target is asked, so it works for any kind.
        description: The rule the clock encodes, for people.

    The states and event types it names are checked against a lifecycle by `check` (and by
    `evaluate_clocks`, against the case's), not here: a clock does not know its lifecycle.
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

    def check(self, lifecycle: Lifecycle) -> None:
        """Check that every state and event type the clock names is in ``lifecycle``.

        A state is known if it is one of ``lifecycle.states``. An event type is known if a
        case on the lifecycle can hold such an event: the opening `ComplaintReceived`, an
        event type of one of its transitions or a subclass of one (the lifecycle accepts
        subclasses), or a parent class of one.

        Raises:
            InvalidType: ``lifecycle`` is not a `Lifecycle`.
            UnknownName: one or more unknown names. With one, its path is where it is
                (``Clock.pause_in``, ``Clock.stop_on[1]``, ``Clock.extension.event``); with
                several, the path is ``Clock`` and the message lists each with its path.
        """
        _check.check((self,), _check.lifecycle_arg(lifecycle), "Clock", indexed=False)


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
            if not calendar.is_business_day(day) or not before(
                started_at, calendar.close_of_business(day)
            ):
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


def _clock_tuple(value: object, path: str) -> tuple[Clock, ...]:
    """``value`` as a tuple of clocks, or `InvalidType` naming ``path`` (or the bad item)."""
    if isinstance(value, str | bytes | Clock) or not isinstance(value, Iterable):
        raise InvalidType(path, f"expected an iterable of Clock, got {v.type_name(value)}")
    clocks = tuple(value)
    for i, clock in enumerate(clocks):
        if not isinstance(clock, Clock):
            raise InvalidType(f"{path}[{i}]", f"expected a Clock, got {v.type_name(clock)}")
    return clocks


def unknown_names(
    clocks: Sequence[Clock] | Iterable[Clock], lifecycle: Lifecycle
) -> tuple[Problem, ...]:
    """Every state and event type the ``clocks`` name that ``lifecycle`` does not have.

    One `Problem` per unknown name, in clock order, each with its path (``clocks[2].pause_in``,
    ``clocks[0].stop_on[1]``, ``clocks[1].extension.event``) and a message naming the clock,
    the lifecycle and what it has. Empty when every name is known (see `Clock.check` for
    what "known" means). For a report that goes on; `check_clocks` raises instead.

    Raises:
        InvalidType: ``clocks`` is not an iterable of `Clock`, or ``lifecycle`` not a
            `Lifecycle`.
    """
    checked = _clock_tuple(clocks, "clocks")
    names = _check.names_of(_check.lifecycle_arg(lifecycle))
    return tuple(_check.problems(checked, names, "clocks", indexed=True))


def check_clocks(clocks: Sequence[Clock] | Iterable[Clock], lifecycle: Lifecycle) -> None:
    """Check that every state and event type the ``clocks`` name is in ``lifecycle``.

    Call it where an app pairs its clocks (or a regime's) with its lifecycle, at start-up:
    a derived lifecycle that drops a state a clock pauses in is found there, not when a
    case is evaluated.

    Raises:
        InvalidType: ``clocks`` is not an iterable of `Clock`, or ``lifecycle`` not a
            `Lifecycle`.
        UnknownName: one or more unknown names. With one, its path is where it is
            (``clocks[2].pause_in``); with several, the path is ``clocks`` and the message
            lists each with its path, as `unknown_names` gives them.
    """
    checked = _clock_tuple(clocks, "clocks")
    _check.check(checked, _check.lifecycle_arg(lifecycle), "clocks", indexed=True)


def evaluate_clocks(
    case: Case,
    clocks: Sequence[Clock] | Iterable[Clock],
    *,
    calendar: BusinessCalendar,
    now: datetime,
) -> tuple[ClockStatus, ...]:
    """The status of each clock on ``case`` at ``now``, in the order given.

    Events after ``now`` are ignored, so the same history can be evaluated "as of" any time.
    The clocks are first checked against ``case.lifecycle`` (as by `check_clocks`, which
    costs a few set lookups per clock): a clock that pauses in a state the lifecycle does
    not have would never pause, so it is an error.

    Raises:
        InvalidType: an argument of the wrong type (``clocks`` holding something other than
            a Clock, ``calendar`` not a `BusinessCalendar`, ``now`` not a datetime).
        UnknownName: a clock names a state or event type the case's lifecycle does not have
            (every one is listed; see `check_clocks`).
        ValidationError: ``now`` is naive, or a deadline falls outside the dates Python can
            represent.
    """
    return _evaluate_all(case, clocks, calendar, now, "clocks")


def _evaluate_all(
    case: Case,
    clocks: Sequence[Clock] | Iterable[Clock],
    calendar: BusinessCalendar,
    now: datetime,
    path: str,
) -> tuple[ClockStatus, ...]:
    """`evaluate_clocks`, with errors about a clock named ``path[i]`` (``Regime.clocks[i]``)."""
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
    statuses = []
    for i, clock in enumerate(checked):
        try:
            statuses.append(_Run(clock, calendar).over(case, now))
        except RecoveryKitError:
            raise
        except (OverflowError, ValueError) as exc:  # calendar arithmetic past year 9999
            raise ValidationError(
                f"{path}[{i}]", f"clock {clock.name!r} cannot be evaluated at these dates: {exc}"
            ) from exc
    return tuple(statuses)


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
            if before(now, event.at):
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
        if due is not None and before(due, at):
            self.breached_at = due

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
        elif clock.warning is not None and left <= clock.warning:
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
