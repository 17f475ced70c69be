"""Business calendars: which days and hours count, and deadline arithmetic on them.

A `BusinessCalendar` is an immutable value: a time zone, working hours per weekday (several
intervals a day allow a lunch break) and holiday sources. Holiday sources are `HolidayRules`
or any ``Container[date]``, such as ``holidays.country_holidays("GB")``. `HolidayRules` holds
rules: the built-in `FixedDate`, `NthWeekday`, `EasterOffset` and `OneOff`, or an app's own
class implementing `HolidayRule` (Sweden's Midsummer Eve, "the Friday between 19 and 25
June"); substitute days, year ranges and cancellations work the same for all of them.

Arithmetic never walks day by day: whole weeks are counted by arithmetic and holidays by
bisection over a per-year cache, so adding 400 business days costs about what adding 3 does.

Conventions, chosen to match `numpy.busday_offset(..., roll="backward")`:

- ``business_days_between(a, b)`` counts business days in ``(a, b]`` (negative if b < a);
- ``add_business_days(start, n)`` is the business day ``d`` with
  ``business_days_between(start, d) == n``; a start that is not a business day counts as the
  business day before it, so Saturday + 1 is Monday and Saturday + 0 is Friday.

Working hours are wall-clock times in the calendar's zone; business time is real elapsed
time inside them, so no hour is lost or gained across a DST change. A boundary that does not
exist (in a spring-forward gap) is moved forward by the gap, as `dateutil.tz.resolve_imaginary`
does; an ambiguous one (in the repeated autumn hour) is taken at its first occurrence for a
start and its second for an end. Results that a `date` cannot hold (after 9999-12-31, before
0001-01-01) raise `ValidationError`.

The package is laid out by concept: `_rules` (holiday rules), `_calendar` (the calendar and
its arithmetic, with the cache in `_index`) and `_builtin` (the built-in calendars).
"""

from __future__ import annotations

import warnings
from typing import Any

from recoverykit.calendars._builtin import (
    england_and_wales,
    northern_ireland,
    scotland,
    us_federal,
)
from recoverykit.calendars._calendar import NINE_TO_FIVE, BusinessCalendar, HolidaySource
from recoverykit.calendars._rules import (
    FRIDAY,
    MONDAY,
    SATURDAY,
    SUNDAY,
    THURSDAY,
    TUESDAY,
    WEDNESDAY,
    EasterOffset,
    FixedDate,
    HolidayRule,
    HolidayRules,
    NthWeekday,
    Observance,
    OneOff,
)

__all__ = [
    "FRIDAY",
    "MONDAY",
    "NINE_TO_FIVE",
    "SATURDAY",
    "SUNDAY",
    "THURSDAY",
    "TUESDAY",
    "WEDNESDAY",
    "BusinessCalendar",
    "EasterOffset",
    "FixedDate",
    "HolidayRule",
    "HolidayRules",
    "HolidaySource",
    "NthWeekday",
    "Observance",
    "OneOff",
    "england_and_wales",
    "northern_ireland",
    "scotland",
    "us_federal",
]


def __getattr__(name: str) -> Any:
    # `Rule` was the closed union FixedDate | NthWeekday | EasterOffset | OneOff.
    if name == "Rule":
        warnings.warn(
            "recoverykit.calendars.Rule is deprecated; use recoverykit.calendars.HolidayRule",
            DeprecationWarning,
            stacklevel=2,
        )
        return HolidayRule
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
