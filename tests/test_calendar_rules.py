"""Holiday rules as an extension point: an app's own rule works like a built-in one."""

import pickle
import typing
from datetime import date, datetime, timedelta
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import calendars
from recoverykit.calendars import (
    FRIDAY,
    MONDAY,
    BusinessCalendar,
    EasterOffset,
    FixedDate,
    HolidayRule,
    HolidayRules,
    NthWeekday,
    Observance,
    OneOff,
)
from recoverykit.errors import InvalidType, ValidationError


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- an app's rules, written as an app would --------------------------------------------------


@attrs.frozen
class MidsummerEve:
    """Sweden's Midsummer Eve: the Friday between 19 and 25 June."""

    tag: ClassVar[str] = "se_midsummer_eve"
    name: str = "Midsummer Eve"

    def dates(self, year: int) -> tuple[date, ...]:
        june_19 = date(year, 6, 19)
        return (june_19 + timedelta(days=(FRIDAY - june_19.weekday()) % 7),)


@attrs.frozen
class DayOfYear:
    """The n-th day of the year, with the optional members HolidayRules applies."""

    tag: ClassVar[str] = "test_day_of_year"
    name: str
    day: int
    observance: Observance = Observance.NONE
    since: int | None = attrs.field(default=None, kw_only=True)
    until: int | None = attrs.field(default=None, kw_only=True)

    def dates(self, year: int) -> tuple[date, ...]:
        return (date.fromordinal(date(year, 1, 1).toordinal() + self.day - 1),)


def sweden() -> BusinessCalendar:
    """Sweden-like: Monday to Friday, no substitute days, Midsummer Eve by the app's rule."""
    rules = HolidayRules(
        [
            FixedDate("New Year's Day", 1, 1),
            FixedDate("Epiphany", 1, 6),
            EasterOffset("Good Friday", -2),
            EasterOffset("Easter Monday", 1),
            FixedDate("May Day", 5, 1),
            EasterOffset("Ascension Day", 39),
            FixedDate("National Day", 6, 6, since=2005),
            MidsummerEve(),
            FixedDate("Christmas Eve", 12, 24),
            FixedDate("Christmas Day", 12, 25),
            FixedDate("Boxing Day", 12, 26),
            FixedDate("New Year's Eve", 12, 31),
        ]
    )
    return BusinessCalendar("Europe/Stockholm", holidays_from=[rules], name="Sweden")


SWEDEN = sweden()


class TestMidsummerEve:
    def test_is_a_holiday_rule(self):
        assert isinstance(MidsummerEve(), HolidayRule)

    @pytest.mark.parametrize(
        ("year", "expected"),
        [(2026, "2026-06-19"), (2027, "2027-06-25"), (2028, "2028-06-23"), (2024, "2024-06-21")],
    )
    def test_worked_examples(self, year, expected):
        assert MidsummerEve().dates(year) == (d(expected),)
        assert dict(SWEDEN.holidays(year))[d(expected)] == "Midsummer Eve"
        assert not SWEDEN.is_business_day(d(expected))

    def test_swedish_year(self):
        days = [f"{day:%m-%d}" for day, _ in SWEDEN.holidays(2026)]
        assert days == [
            "01-01", "01-06", "04-03", "04-06", "05-01", "05-14",
            "06-06", "06-19", "12-24", "12-25", "12-26", "12-31",
        ]  # fmt: skip

    def test_arithmetic_steps_over_it(self):
        assert SWEDEN.add_business_days(d("2026-06-18"), 1) == d("2026-06-22")
        assert SWEDEN.add_business_days(d("2026-06-22"), -1) == d("2026-06-18")
        # June 2026 has 22 weekdays; National Day is a Saturday, Midsummer Eve a Friday.
        assert SWEDEN.business_days_between(d("2026-05-31"), d("2026-06-30")) == 21

    @given(st.integers(1, 9999))
    def test_always_a_friday_between_19_and_25_june(self, year):
        (day,) = MidsummerEve().dates(year)
        assert day.weekday() == FRIDAY
        assert (day.month, day.year) == (6, year)
        assert 19 <= day.day <= 25

    @given(st.integers(1900, 2200))
    def test_the_calendar_never_works_on_it(self, year):
        fridays = [day for day, name in SWEDEN.holidays(year) if name == "Midsummer Eve"]
        assert len(fridays) == 1
        assert not SWEDEN.is_business_day(fridays[0])
        # The working day before it counts one business day to the Monday after.
        thursday = fridays[0] - timedelta(days=1)
        assert SWEDEN.add_business_days(thursday, 1) == fridays[0] + timedelta(days=3)

    def test_pickles_with_the_calendar(self):
        cal = pickle.loads(pickle.dumps(SWEDEN))
        assert cal == SWEDEN
        assert cal.holidays(2027) == SWEDEN.holidays(2027)


class TestWhatHolidayRulesAppliesToEveryRule:
    def test_substitute_days(self):
        # Day 256 of 2026 is Sunday 13 September: observed on Monday.
        rules = HolidayRules([DayOfYear("Programmers' Day", 256, Observance.NEXT_WORKING_DAY)])
        assert rules.observed(2026, range(5)) == [
            (d("2026-09-14"), "Programmers' Day (substitute day)")
        ]

    def test_substitute_skips_days_other_rules_take(self):
        rules = HolidayRules(
            [
                DayOfYear("Programmers' Day", 256, Observance.NEXT_WORKING_DAY),
                OneOff("Company day", d("2026-09-14")),
            ]
        )
        assert [day for day, _ in rules.observed(2026, range(5))] == [
            d("2026-09-14"),
            d("2026-09-15"),
        ]

    def test_nearest_weekday(self):
        rules = HolidayRules([DayOfYear("x", 256, Observance.NEAREST_WEEKDAY)])
        assert rules.observed(2026, range(5)) == [(d("2026-09-14"), "x (substitute day)")]

    def test_since_and_until(self):
        rules = HolidayRules([DayOfYear("x", 1, since=2027, until=2028)])
        assert [rules.observed(y, range(7)) != [] for y in (2026, 2027, 2028, 2029)] == [
            False,
            True,
            True,
            False,
        ]

    def test_cancelled(self):
        rules = HolidayRules([MidsummerEve()], cancelled={d("2026-06-19")})
        assert rules.observed(2026, range(5)) == []
        assert rules.observed(2027, range(5)) == [(d("2027-06-25"), "Midsummer Eve")]

    def test_a_date_in_the_year_before(self):
        # Easter 2026 is 5 April; 100 days earlier is 26 December 2025.
        rule = EasterOffset("x", -100)
        assert rule.on(2026) == d("2025-12-26")
        assert (d("2025-12-26"), "x") in HolidayRules([rule]).observed(2025, range(5))


class TestBuiltinRules:
    def test_tags_are_the_stored_ones(self):
        assert [cls.tag for cls in (FixedDate, NthWeekday, EasterOffset, OneOff)] == [
            "fixed_date",
            "nth_weekday",
            "easter_offset",
            "one_off",
        ]

    def test_fields_stay_plain(self):
        # The serialization layer structures rules from these fields; the tag is no field.
        names = {
            cls: [f.name for f in attrs.fields(cls)]
            for cls in (FixedDate, NthWeekday, EasterOffset, OneOff, HolidayRules)
        }
        assert names == {
            FixedDate: ["name", "month", "day", "observance", "since", "until"],
            NthWeekday: ["name", "month", "weekday", "n", "observance", "since", "until"],
            EasterOffset: ["name", "days", "observance", "since", "until"],
            OneOff: ["name", "day", "observance"],
            HolidayRules: ["rules", "cancelled"],
        }

    def test_holiday_rules_hold_any_holiday_rule(self):
        # The serialization layer structures `rules` through the protocol, by tag.
        assert typing.get_type_hints(HolidayRules)["rules"] == tuple[HolidayRule, ...]

    @pytest.mark.parametrize(
        "rule",
        [
            FixedDate("x", 2, 29, since=2020),
            NthWeekday("x", 5, MONDAY, -1),
            EasterOffset("x", -2),
            OneOff("x", date(2026, 1, 2)),
        ],
    )
    @given(year=st.integers(1, 9999))
    def test_dates_agree_with_on(self, rule, year):
        assert isinstance(rule, HolidayRule)
        day = rule.on(year)
        assert rule.dates(year) == (() if day is None else (day,))

    def test_ends_of_the_date_range(self):
        assert NthWeekday("x", 12, MONDAY, -1).on(9999) == d("9999-12-27")
        assert NthWeekday("x", 12, MONDAY, 5).on(9999) is None
        assert EasterOffset("x", -100).on(1) is None  # before 0001-01-01
        assert FixedDate("x", 12, 31, Observance.NEXT_WORKING_DAY).on(9999) == d("9999-12-31")
        # A Friday 31 December 9999 that is not worked has no day to move to.
        rules = HolidayRules([FixedDate("x", 12, 31, Observance.NEXT_WORKING_DAY)])
        assert rules.observed(9999, [0, 1, 2, 3]) == []
        assert rules.observed(2027, []) == []  # no working day to move a holiday to
        us = calendars.us_federal()
        assert us.holidays(9999)[-1] == (d("9999-12-24"), "Christmas Day (substitute day)")
        assert us.holidays(1)[0] == (d("0001-01-01"), "New Year's Day")


class TestBadAppRules:
    def test_not_a_rule(self):
        class NoTag:
            name = "x"

            def dates(self, year):
                return ()

        with pytest.raises(InvalidType, match=r"HolidayRules.rules\[0\]: expected a HolidayRule"):
            HolidayRules([NoTag()])

    def test_tag_must_be_text(self):
        @attrs.frozen
        class BadTag(MidsummerEve):
            tag: ClassVar[str] = 5  # type: ignore[assignment]

        with pytest.raises(InvalidType, match=r"rules\[0\].tag: BadTag.tag must be"):
            HolidayRules([BadTag()])

    def test_two_classes_with_one_tag(self):
        @attrs.frozen
        class Copy(MidsummerEve):
            pass

        with pytest.raises(ValidationError, match=r"rules\[1\].tag: 'se_midsummer_eve' is already"):
            HolidayRules([MidsummerEve(), Copy()])

    @pytest.mark.parametrize(
        ("rule", "error", "message"),
        [
            (MidsummerEve(name=5), InvalidType, r"rules\[0\].name: expected a str"),  # type: ignore[arg-type]
            (MidsummerEve(name=" "), ValidationError, r"rules\[0\].name: must not be empty"),
            (DayOfYear("x", 1, "none"), InvalidType, r"rules\[0\].observance: expected an Obs"),  # type: ignore[arg-type]
            (DayOfYear("x", 1, since="2020"), InvalidType, r"rules\[0\].since: expected a year"),  # type: ignore[arg-type]
        ],
    )
    def test_bad_members(self, rule, error, message):
        with pytest.raises(error, match=message):
            HolidayRules([rule])

    @pytest.mark.parametrize(
        ("gives", "message"),
        [
            (None, r"must give dates, got NoneType"),
            ("2026-06-19", r"must give dates, got str"),
            ([datetime(2026, 6, 19)], r"gave datetime, expected dates \(not datetimes\)"),
            ([20260619], r"gave int 20260619"),
        ],
    )
    def test_dates_that_are_not_dates(self, gives, message):
        @attrs.frozen
        class Broken:
            tag: ClassVar[str] = "broken"
            name: str = "broken"

            def dates(self, year: int) -> object:
                return gives

        cal = BusinessCalendar("UTC", holidays_from=[HolidayRules([Broken()])])
        # The year before is asked first: a substitute day can cross a year end.
        with pytest.raises(InvalidType, match=r"rules\[0\]: Broken.dates\(2025\) " + message):
            cal.holidays(2026)


def test_rule_is_a_deprecated_alias_of_holiday_rule():
    with pytest.warns(DeprecationWarning, match="use recoverykit.calendars.HolidayRule"):
        assert calendars.Rule is HolidayRule
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = calendars.Nope


def test_all_is_sorted_and_importable():
    assert calendars.__all__ == sorted(calendars.__all__, key=lambda n: (not n.isupper(), n))
    for name in calendars.__all__:
        assert getattr(calendars, name) is not None
