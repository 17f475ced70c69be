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
- `BusinessHours(hours, minutes)`: that much working time after the start instant;
- `LaterOf(target, day)`: the later of ``target``'s deadline and the end of ``day``;
- `SwitchOn(day, before, after)`: one kind for cycles started before a date, another after.

A clock may carry `Suspension` windows: whole days during which a regulator treats it as
not running, for the cases the suspension selects (FCA DISP App 5). `explain_clocks`
gives each clock's `Timeline`: the steps that set its deadline and how its time was spent.

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

import warnings
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from recoverykit import _validation as v
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks import _check
from recoverykit.clocks._clock import Clock, Extension
from recoverykit.clocks._kinds import (
    BusinessDays,
    BusinessHours,
    CalendarDays,
    CloseOfBusinessAfter,
    DeadlineKind,
    LaterOf,
    Months,
    SwitchOn,
    Weeks,
)
from recoverykit.clocks._run import ClockState, ClockStatus, evaluate_all
from recoverykit.clocks._suspension import Suspension
from recoverykit.clocks._timeline import Segment, SegmentKind, Step, Timeline, explain_clocks
from recoverykit.errors import InvalidType, Problem
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
    "LaterOf",
    "Months",
    "Segment",
    "SegmentKind",
    "Step",
    "Suspension",
    "SwitchOn",
    "Timeline",
    "Weeks",
    "check_clocks",
    "evaluate_clocks",
    "explain_clocks",
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
    return evaluate_all(case, clocks, calendar, now, "clocks")
