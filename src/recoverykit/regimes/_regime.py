"""The `Regime` class: a named set of clocks and the rule they encode."""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import datetime

import attrs

from recoverykit import _validation as v
from recoverykit.calendars import BusinessCalendar, HolidayRules
from recoverykit.case import Case
from recoverykit.clocks import Clock, ClockStatus, Timeline
from recoverykit.clocks import _check as _clock_check
from recoverykit.clocks._clock import _check_calendar
from recoverykit.clocks._run import evaluate_all
from recoverykit.clocks._timeline import explain_all
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.lifecycle import Lifecycle


def _clocks(value: Iterable[Clock]) -> tuple[Clock, ...]:
    if isinstance(value, str | bytes | Clock) or not isinstance(value, Iterable):
        raise InvalidType(
            "Regime.clocks", f"expected an iterable of Clock, got {v.type_name(value)}"
        )
    clocks = tuple(value)
    for i, clock in enumerate(clocks):
        if not isinstance(clock, Clock):
            raise InvalidType(f"Regime.clocks[{i}]", f"expected a Clock, got {v.type_name(clock)}")
    return clocks


def _closed_days(
    instance: object, attribute: attrs.Attribute[HolidayRules | None], value: object
) -> None:
    # The same holiday sources a calendar accepts; a string is a container, not of dates.
    if value is not None and (
        isinstance(value, str | bytes) or not isinstance(value, HolidayRules | Container)
    ):
        v.fail_type(
            instance,
            attribute,
            f"expected HolidayRules, a Container of dates or None, got {v.type_name(value)}",
        )


@attrs.frozen(kw_only=True)
class Regime:
    """A named set of clocks and the rule they encode.

    ``closed_days`` are non-business days the rule itself adds to any calendar (FCA:
    Christmas Day and Good Friday, in every part of the UK).
    """

    name: str = attrs.field(validator=v.text())
    clocks: tuple[Clock, ...] = attrs.field(converter=_clocks)
    reference: str = attrs.field(validator=v.text())
    closed_days: HolidayRules | None = attrs.field(default=None, validator=_closed_days)

    def __attrs_post_init__(self) -> None:
        names = [c.name for c in self.clocks]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValidationError("Regime.clocks", f"duplicate clock names: {', '.join(dupes)}")

    def clock(self, name: str) -> Clock:
        """The clock called ``name``.

        Raises:
            InvalidType: ``name`` is not a string.
            UnknownName: the regime has no such clock (the message lists the known ones).
        """
        if not isinstance(name, str):
            raise InvalidType("name", f"expected a clock name (str), got {v.type_name(name)}")
        for c in self.clocks:
            if c.name == name:
                return c
        known = ", ".join(c.name for c in self.clocks)
        raise UnknownName("name", f"no clock {name!r} in {self.name}; known: {known}")

    def calendar_for(self, calendar: BusinessCalendar) -> BusinessCalendar:
        """``calendar`` with the regime's own non-business days added."""
        _check_calendar(calendar)
        return calendar if self.closed_days is None else calendar.union(self.closed_days)

    def evaluate(
        self, case: Case, *, calendar: BusinessCalendar, now: datetime
    ) -> tuple[ClockStatus, ...]:
        """Evaluate every clock of the regime on ``case`` at ``now``.

        Raises:
            InvalidType: an argument of the wrong type.
            UnknownName: a clock names a state or event type that ``case.lifecycle`` does not
                have (every one is listed, as by `check`).
            ValidationError: ``now`` is naive.
        """
        return evaluate_all(case, self.clocks, self.calendar_for(calendar), now, "Regime.clocks")

    def explain(
        self, case: Case, *, calendar: BusinessCalendar, now: datetime
    ) -> tuple[Timeline, ...]:
        """Every clock's `Timeline` on ``case`` at ``now``: its status (as `evaluate`
        gives it) and why it is due when it is.

        Raises:
            The same errors as `evaluate`.
        """
        return explain_all(case, self.clocks, self.calendar_for(calendar), now, "Regime.clocks")

    def check(self, lifecycle: Lifecycle) -> None:
        """Check that every state and event type the regime's clocks name is in ``lifecycle``.

        Every clock of the regime is checked (see `recoverykit.clocks.Clock.check` for what
        is known). Call it where the app pairs the regime with its own (derived) lifecycle.

        Raises:
            InvalidType: ``lifecycle`` is not a `Lifecycle`.
            UnknownName: one or more unknown names. With one, its path is where it is
                (``Regime.clocks[3].pause_in``); with several, the path is ``Regime.clocks``
                and the message lists each with its path.
        """
        lifecycle = _clock_check.lifecycle_arg(lifecycle)
        _clock_check.check(self.clocks, lifecycle, "Regime.clocks", indexed=True)
