"""The built-in calendars: the UK's three bank-holiday regions and US federal holidays.

Each is computed by rule for any year, with the one-off royal and jubilee changes listed;
apps build their own calendars the same way, from `HolidayRules` and a `BusinessCalendar`.
"""

from __future__ import annotations

from datetime import date, tzinfo

from recoverykit.calendars._calendar import BusinessCalendar
from recoverykit.calendars._rules import (
    MONDAY,
    THURSDAY,
    EasterOffset,
    FixedDate,
    HolidayRule,
    HolidayRules,
    NthWeekday,
    Observance,
    OneOff,
)

_NEXT = Observance.NEXT_WORKING_DAY

_UK_COMMON: tuple[HolidayRule, ...] = (
    FixedDate("New Year's Day", 1, 1, _NEXT),
    EasterOffset("Good Friday", -2),
    NthWeekday("Early May bank holiday", 5, MONDAY, 1, since=1978),
    NthWeekday("Spring bank holiday", 5, MONDAY, -1, since=1971),
    FixedDate("Christmas Day", 12, 25, _NEXT),
    FixedDate("Boxing Day", 12, 26, _NEXT),
)

# One-off UK-wide changes (Banking and Financial Dealings Act 1971 proclamations).
_UK_ONE_OFFS: tuple[HolidayRule, ...] = (
    OneOff("Millennium celebrations", date(1999, 12, 31)),
    OneOff("Spring bank holiday", date(2002, 6, 4)),
    OneOff("Golden Jubilee bank holiday", date(2002, 6, 3)),
    OneOff("Wedding of Prince William and Catherine Middleton", date(2011, 4, 29)),
    OneOff("Spring bank holiday", date(2012, 6, 4)),
    OneOff("Queen's Diamond Jubilee", date(2012, 6, 5)),
    OneOff("Early May bank holiday (VE day)", date(2020, 5, 8)),
    OneOff("Spring bank holiday", date(2022, 6, 2)),
    OneOff("Platinum Jubilee bank holiday", date(2022, 6, 3)),
    OneOff("Bank holiday for the State Funeral of Queen Elizabeth II", date(2022, 9, 19)),
    OneOff("Bank holiday for the coronation of King Charles III", date(2023, 5, 8)),
)
_UK_CANCELLED = frozenset(
    {date(2002, 5, 27), date(2012, 5, 28), date(2020, 5, 4), date(2022, 5, 30)}
)


def england_and_wales() -> BusinessCalendar:
    """Bank and public holidays in England and Wales (gov.uk/bank-holidays), Europe/London,
    Monday-Friday 09:00-17:00."""
    rules = HolidayRules(
        (
            *_UK_COMMON,
            EasterOffset("Easter Monday", 1),
            NthWeekday("Summer bank holiday", 8, MONDAY, -1, since=1971),
            *_UK_ONE_OFFS,
        ),
        cancelled=_UK_CANCELLED,
    )
    return BusinessCalendar("Europe/London", holidays_from=(rules,), name="England and Wales")


def scotland() -> BusinessCalendar:
    """Bank holidays in Scotland: 2 January, the first Monday of August and St Andrew's
    Day instead of Easter Monday and the late-August holiday."""
    rules = HolidayRules(
        (
            *_UK_COMMON,
            FixedDate("2nd January", 1, 2, _NEXT),
            NthWeekday("Summer bank holiday", 8, MONDAY, 1, since=1971),
            FixedDate("St Andrew's Day", 11, 30, _NEXT, since=2007),
            *_UK_ONE_OFFS,
        ),
        cancelled=_UK_CANCELLED,
    )
    return BusinessCalendar("Europe/London", holidays_from=(rules,), name="Scotland")


def northern_ireland() -> BusinessCalendar:
    """Bank holidays in Northern Ireland: England and Wales' plus St Patrick's Day and the
    Battle of the Boyne (Orangemen's Day)."""
    rules = HolidayRules(
        (
            *_UK_COMMON,
            EasterOffset("Easter Monday", 1),
            NthWeekday("Summer bank holiday", 8, MONDAY, -1, since=1971),
            FixedDate("St Patrick's Day", 3, 17, _NEXT),
            FixedDate("Battle of the Boyne (Orangemen's Day)", 7, 12, _NEXT),
            *_UK_ONE_OFFS,
        ),
        cancelled=_UK_CANCELLED,
    )
    return BusinessCalendar("Europe/London", holidays_from=(rules,), name="Northern Ireland")


def us_federal(tz: str | tzinfo = "America/New_York") -> BusinessCalendar:
    """US federal holidays (5 U.S.C. 6103) with the observed-day rules: a Saturday holiday
    is observed on Friday, a Sunday one on Monday (so New Year's Day may be observed on
    31 December of the year before). Inauguration Day (Washington DC area only) is left out."""
    nearest = Observance.NEAREST_WEEKDAY
    rules = HolidayRules(
        (
            FixedDate("New Year's Day", 1, 1, nearest),
            NthWeekday("Birthday of Martin Luther King, Jr.", 1, MONDAY, 3, since=1986),
            NthWeekday("Washington's Birthday", 2, MONDAY, 3, since=1971),
            NthWeekday("Memorial Day", 5, MONDAY, -1, since=1971),
            FixedDate("Juneteenth National Independence Day", 6, 19, nearest, since=2021),
            FixedDate("Independence Day", 7, 4, nearest),
            NthWeekday("Labor Day", 9, MONDAY, 1),
            NthWeekday("Columbus Day", 10, MONDAY, 2, since=1971),
            FixedDate("Veterans Day", 11, 11, nearest, since=1978),
            NthWeekday("Thanksgiving Day", 11, THURSDAY, 4),
            FixedDate("Christmas Day", 12, 25, nearest),
        )
    )
    return BusinessCalendar(tz, holidays_from=(rules,), name="US federal")
