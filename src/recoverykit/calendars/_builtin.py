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

# England, Wales and Northern Ireland only: in 1995 the early May bank holiday moved from
# 1 May to 8 May for the 50th anniversary of VE day (Royal Proclamation under the 1971 Act;
# HL Deb 16 December 1993 vol 550 cc135-6WA, HC Deb 2 March 1995 vol 255 c709W).
_EW_NI_ONE_OFFS: tuple[HolidayRule, ...] = (
    # 1995 proclamation (HC Deb 2 March 1995 vol 255 c709W): moved from Monday 1 May.
    OneOff("Early May bank holiday (VE day)", date(1995, 5, 8)),
)
_EW_NI_CANCELLED = _UK_CANCELLED | {
    date(1995, 5, 1),  # 1995 proclamation (HC Deb 2 March 1995 vol 255 c709W): moved to 8 May
}

# Scotland only.
_SCOTLAND_ONE_OFFS: tuple[HolidayRule, ...] = (
    # 1995 proclamation: in Scotland 8 May was an additional bank holiday and 1 May stayed
    # (HC Deb 2 March 1995 vol 255 c709W; HL Deb 16 December 1993 vol 550 cc135-6WA).
    OneOff("Bank holiday for the 50th anniversary of VE day", date(1995, 5, 8)),
    # Royal Proclamation under section 1(3) of the 1971 Act, announced by Buckingham Palace
    # on 4 February 2026 at the First Minister's request.
    OneOff("Bank holiday for Scotland's participation in the FIFA World Cup", date(2026, 6, 15)),
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
            *_EW_NI_ONE_OFFS,
        ),
        cancelled=_EW_NI_CANCELLED,
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
            # St Andrew's Day Bank Holiday (Scotland) Act 2007, Royal Assent 15 January 2007.
            FixedDate("St Andrew's Day", 11, 30, _NEXT, since=2007),
            *_UK_ONE_OFFS,
            *_SCOTLAND_ONE_OFFS,
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
            *_EW_NI_ONE_OFFS,
        ),
        cancelled=_EW_NI_CANCELLED,
    )
    return BusinessCalendar("Europe/London", holidays_from=(rules,), name="Northern Ireland")


def us_federal(tz: str | tzinfo = "America/New_York") -> BusinessCalendar:
    """US federal holidays (5 U.S.C. 6103) with the observed-day rules: a Saturday holiday
    is observed on Friday, a Sunday one on Monday (so New Year's Day may be observed on
    31 December of the year before). Inauguration Day (Washington DC area only) is left out.

    Only the legal public holidays of 5 U.S.C. 6103(a) are here: closures of executive
    departments by executive order (Christmas Eve some years, national days of mourning
    such as 9 January 2025) are not legal public holidays and are left out; add those you
    need with `BusinessCalendar.union` (see "Holiday truth" in the docs)."""
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
