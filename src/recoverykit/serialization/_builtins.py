"""The library's own tagged classes, and the protocol types that are loaded by tag."""

from __future__ import annotations

from typing import Any


def builtin_tagged() -> tuple[type, ...]:
    """Every built-in holiday rule, deadline kind and scoring rule."""
    from recoverykit import calendars, clocks, scoring

    return (
        calendars.FixedDate,
        calendars.NthWeekday,
        calendars.EasterOffset,
        calendars.OneOff,
        clocks.BusinessDays,
        clocks.CloseOfBusinessAfter,
        clocks.CalendarDays,
        clocks.Weeks,
        clocks.Months,
        clocks.BusinessHours,
        *scoring.BUILTIN_RULES,
    )


def tagged_bases() -> dict[Any, str]:
    """The protocols whose values are written with a ``type`` tag, and what to call them."""
    from recoverykit import calendars, clocks, scoring

    return {
        calendars.HolidayRule: "holiday rule",
        clocks.DeadlineKind: "deadline kind",
        scoring.ScoringRule: "scoring rule",
    }
