"""The library's own tagged classes, and the protocol types that are loaded by tag."""

from __future__ import annotations

import sys
from collections.abc import Callable
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
        clocks.LaterOf,
        clocks.SwitchOn,
        *scoring.BUILTIN_RULES,
    )


#: The protocols whose values are written with a ``type`` tag: their module, name, and
#: what to call them in messages.
TAGGED_BASES = (
    ("recoverykit.calendars", "HolidayRule", "holiday rule"),
    ("recoverykit.clocks", "DeadlineKind", "deadline kind"),
    ("recoverykit.scoring", "ScoringRule", "scoring rule"),
)


def loaded(module: str, name: str) -> Any:
    """``module.name`` if the module is already imported, else None.

    Hooks for calendars, clocks and scoring match their types through this, so that
    configuring a converter imports none of them: a type of a module that is not imported
    yet cannot be the one asked for.
    """
    found = sys.modules.get(module)
    return None if found is None else getattr(found, name, None)


def is_loaded(module: str, name: str) -> Callable[[Any], bool]:
    def matches(t: Any) -> bool:
        base = loaded(module, name)
        return base is not None and bool(t == base)

    return matches
