"""`Clock`, its `Extension`, and the deadline of one cycle."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import attrs

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit._instants import before
from recoverykit.calendars import BusinessCalendar
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
from recoverykit.clocks._kinds import DeadlineKind, _check_kind, _day_of
from recoverykit.clocks._suspension import Suspension
from recoverykit.errors import InvalidType, RecoveryKitError, ValidationError
from recoverykit.lifecycle import Lifecycle


def _start_of(day: date, calendar: BusinessCalendar) -> datetime:
    """Midnight at the start of ``day`` in the calendar's zone."""
    return datetime.combine(day, time(0), calendar.tz)


def _suspensions(value: Iterable[Suspension]) -> tuple[Suspension, ...]:
    given: object = value
    if isinstance(given, str | bytes | Suspension) or not isinstance(given, Iterable):
        raise InvalidType(
            "Clock.suspensions", f"expected an iterable of Suspension, got {v.type_name(given)}"
        )
    items: tuple[object, ...] = tuple(given)
    for i, item in enumerate(items):
        if not isinstance(item, Suspension):
            raise InvalidType(
                f"Clock.suspensions[{i}]", f"expected a Suspension, got {v.type_name(item)}"
            )
    return items  # type: ignore[return-value] # checked item by item above


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
        warning_in_working_time: Measure the ``warning`` threshold in working time (the
            calendar's hours) instead of real time. Working time only runs in working
            hours, so the warning then starts in working hours, never at midnight.
        extension: A longer target unlocked by an event before the deadline.
        receipt_next_business_day: Treat a start on a non-business day, or after close of
            business, as a start at the beginning (midnight) of the next business day (a
            firm's policy choice; the FCA guidance that allowed it, DISP 1.5.3G, is shown as
            deleted). Applied before the target is asked, so it works for any kind.
        suspensions: Dates during which a rule treats the clock as not running, for the
            cases each `Suspension` selects (FCA DISP App 5 for motor-finance complaints).
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
    warning_in_working_time: bool = attrs.field(default=False, validator=v.instance_of(bool))
    extension: Extension | None = attrs.field(
        default=None, validator=v.instance_of(Extension, optional=True)
    )
    receipt_next_business_day: bool = attrs.field(default=False, validator=v.instance_of(bool))
    suspensions: tuple[Suspension, ...] = attrs.field(default=(), converter=_suspensions)
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
