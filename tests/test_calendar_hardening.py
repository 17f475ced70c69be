"""Wrong types and the ends of the date range: only clear RecoveryKitErrors, with a path."""

import contextlib
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import calendars
from recoverykit.calendars import (
    MONDAY,
    BusinessCalendar,
    EasterOffset,
    FixedDate,
    HolidayRules,
    NthWeekday,
    Observance,
    OneOff,
)
from recoverykit.errors import InvalidType, RecoveryKitError, ValidationError

EW = calendars.england_and_wales()
RULES = HolidayRules([FixedDate("Christmas Day", 12, 25, Observance.NEXT_WORKING_DAY)])


class TestHolidayRules:
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            ((5,), r"HolidayRules.rules: expected a list of holiday rules, got int 5"),
            (("Christmas",), r"HolidayRules.rules: expected a list of holiday rules, got str"),
            ((FixedDate("x", 1, 1),), r"HolidayRules.rules: .*wrap a single rule in a list"),
            ((["x"],), r"HolidayRules.rules\[0\]: expected a HolidayRule .*got str 'x'"),
            (([FixedDate("x", 1, 1), 5],), r"HolidayRules.rules\[1\]: expected a HolidayRule"),
            (([], 5), r"HolidayRules.cancelled: expected a set of dates, got int 5"),
            (([], ["2026-01-01"]), r"HolidayRules.cancelled\[0\]: expected a date"),
            (([], [datetime(2026, 1, 1)]), r"HolidayRules.cancelled\[0\]: .*not a datetime"),
        ],
    )
    def test_wrong_types(self, args, message):
        with pytest.raises(InvalidType, match=message):
            HolidayRules(*args)

    @pytest.mark.parametrize(
        ("year", "weekdays", "error", "message"),
        [
            ("2026", range(5), InvalidType, r"year: expected a year \(int\), got str '2026'"),
            (10_000, range(5), ValidationError, r"year: 10000 is out of range, allowed 1..9999"),
            (2026, 5, InvalidType, r"working_weekdays: expected a set of weekdays"),
            (2026, ["1"], InvalidType, r"working_weekdays: expected weekdays 0..6, got str"),
            (2026, [7], ValidationError, r"working_weekdays: 7 is not 0 \(Monday\)"),
        ],
    )
    def test_observed_arguments(self, year, weekdays, error, message):
        with pytest.raises(error, match=message):
            RULES.observed(year, weekdays)

    @pytest.mark.parametrize("rule", [FixedDate("x", 1, 1), NthWeekday("x", 1, MONDAY, 1)])
    @pytest.mark.parametrize("year", ["2026", 2026.0, True, None])
    def test_rule_years_must_be_ints(self, rule, year):
        with pytest.raises(InvalidType, match="year: expected a year"):
            rule.on(year)
        with pytest.raises(InvalidType, match="year: expected a year"):
            rule.dates(year)

    def test_rule_fields(self):
        with pytest.raises(InvalidType, match=r"OneOff.day: expected a date \(not a datetime\)"):
            OneOff("x", datetime(2026, 1, 1))  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="FixedDate.since: expected a year"):
            FixedDate("x", 1, 1, since=2020.0)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="EasterOffset.days: expected int"):
            EasterOffset("x", "1")  # type: ignore[arg-type]


class TestCalendarArguments:
    @pytest.mark.parametrize("year", ["2024", 2024.0, True, None, date(2024, 1, 1)])
    def test_holidays_of_a_non_int_year(self, year):
        with pytest.raises(InvalidType, match=r"^year: expected a year \(int\), got"):
            EW.holidays(year)

    @pytest.mark.parametrize("year", [0, -1, 10_000])
    def test_holidays_of_a_year_out_of_range(self, year):
        with pytest.raises(ValidationError, match=f"year: {year} is out of range, allowed 1..9999"):
            EW.holidays(year)

    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"tz": 5}, InvalidType, r"BusinessCalendar.tz: expected an IANA zone name"),
            ({"tz": None}, InvalidType, r"BusinessCalendar.tz: expected an IANA zone name"),
            ({"tz": tzinfo()}, ValidationError, r"BusinessCalendar.tz: .* gives no UTC offset"),
            ({"tz": ""}, ValidationError, r"BusinessCalendar.tz: unknown time zone ''"),
            ({"tz": "UTC", "name": 5}, InvalidType, r"BusinessCalendar.name: expected str"),
            ({"tz": "UTC", "hours": 5}, InvalidType, r"BusinessCalendar.hours: expected a mapping"),
            ({"tz": "UTC", "hours": ((1, 2),)}, InvalidType, r"hours: expected a mapping"),
            ({"tz": "UTC", "hours": {0: 5}}, InvalidType, r"hours\[0\]: expected a list of"),
            ({"tz": "UTC", "hours": {0: "9-5"}}, InvalidType, r"hours\[0\]: expected a list of"),
            ({"tz": "UTC", "hours": {0: [5]}}, InvalidType, r"hours\[0\]\[0\]: expected a .start"),
            (
                {"tz": "UTC", "hours": {0: [(time(9),)]}},
                InvalidType,
                r"hours\[0\]\[0\]: expected a \(start, end\) pair of times",
            ),
            (
                {"tz": "UTC", "hours": {0: [(time(9), time(12), time(17))]}},
                InvalidType,
                r"hours\[0\]\[0\]: expected a \(start, end\) pair",
            ),
            (
                {"tz": "UTC", "hours": {0: [(time(9), "17:00")]}},
                InvalidType,
                r"hours\[0\]\[0\]: expected a time, got '17:00'",
            ),
            ({"tz": "UTC", "hours": {"0": []}}, ValidationError, r"weekday '0' is not 0"),
            (
                {"tz": "UTC", "holidays_from": 5},
                InvalidType,
                r"BusinessCalendar.holidays_from: expected a list of holiday sources",
            ),
            (
                {"tz": "UTC", "holidays_from": RULES},
                InvalidType,
                r"holidays_from: .*wrap a single source in a list",
            ),
            (
                {"tz": "UTC", "holidays_from": "2026-12-25"},
                InvalidType,
                r"holidays_from: expected a list of holiday sources",
            ),
            (
                {"tz": "UTC", "holidays_from": ["2026-12-25"]},
                InvalidType,
                r"holidays_from\[0\]: expected HolidayRules or a Container of dates, got str",
            ),
        ],
    )
    def test_bad_constructor_arguments(self, kwargs, error, message):
        with pytest.raises(error, match=message):
            BusinessCalendar(**kwargs)

    def test_stored_hours_are_checked_too(self):
        # The tuple form is what attrs.evolve gives back; a hand-made one is checked.
        with pytest.raises(ValidationError, match=r"hours\[0\]: interval 0 ends before"):
            BusinessCalendar("UTC", hours=(((100, 50),), (), (), (), (), (), ()))
        cal = EW.union(frozenset({date(2026, 7, 1)}))
        assert cal.hours == EW.hours

    def test_default_hours_cannot_be_changed(self):
        with pytest.raises(TypeError):
            calendars.NINE_TO_FIVE[5] = ((time(9), time(17)),)  # type: ignore[index]

    def test_method_arguments(self):
        with pytest.raises(InvalidType, match=r"others\[1\]: expected a BusinessCalendar"):
            EW.union(frozenset(), 5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"others\[0\]: expected a BusinessCalendar"):
            EW.union("2026-07-01")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"BusinessCalendar.hours: expected a mapping"):
            EW.with_hours(5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^start: expected a date"):
            EW.business_days_between("2026-01-01", date(2026, 1, 2))  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^end: expected a date"):
            EW.business_days_between(date(2026, 1, 1), None)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^start: expected a date"):
            EW.add_business_days(datetime(2026, 1, 1, tzinfo=UTC), 1)
        with pytest.raises(InvalidType, match=r"^day: expected a date"):
            EW.next_business_day("2026-01-01")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^day: expected a date"):
            EW.close_of_business(5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^amount: expected a timedelta, got int 3600"):
            EW.add_business_hours(datetime(2026, 1, 1, tzinfo=UTC), 3600)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^start: expected an aware datetime"):
            EW.add_business_hours(date(2026, 1, 1), timedelta(1))  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^end: expected an aware datetime"):
            EW.business_time_between(datetime(2026, 1, 1, tzinfo=UTC), 5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^BusinessCalendar.tz: expected an IANA"):
            calendars.us_federal(5)  # type: ignore[arg-type]


UTC_ROUND_THE_CLOCK = BusinessCalendar("UTC", hours={d: [(time(0), time(0))] for d in range(7)})
LATE_SHIFT = BusinessCalendar("UTC", hours={d: [(time(18), time(0))] for d in range(7)})
KIRITIMATI = BusinessCalendar("Pacific/Kiritimati")  # UTC+14
NEW_YORK = ZoneInfo("America/New_York")


class TestEndsOfTheDateRange:
    @pytest.mark.parametrize(
        ("start", "n", "message"),
        [
            (date(9999, 12, 30), 5, "the result would be after 9999-12-31"),
            (date(9999, 12, 31), 1, "the result would be after 9999-12-31"),
            # Weekdays alone would end on the 30th; the Christmas substitute days push it out.
            (date(9999, 12, 24), 4, "the result would be after 9999-12-31"),
            (date(2026, 1, 1), 10**12, "the result would be after 9999-12-31"),
            (date(1, 1, 1), -1, "the result would be before 0001-01-01"),
            (date(1, 1, 5), -5, "the result would be before 0001-01-01"),
            (date(2026, 1, 1), -(10**12), "the result would be before 0001-01-01"),
        ],
    )
    def test_add_business_days(self, start, n, message):
        with pytest.raises(ValidationError, match=f"^n: {message}"):
            EW.add_business_days(start, n)

    def test_the_last_and_first_days_still_work(self):
        # Christmas Day 9999 is a Saturday: the substitute days are 27 and 28 December.
        assert EW.add_business_days(date(9999, 12, 24), 3) == date(9999, 12, 31)
        assert EW.add_business_days(date(9999, 12, 31), 0) == date(9999, 12, 31)
        assert EW.add_business_days(date(1, 1, 9), -5) == date(1, 1, 2)  # 1 January: a holiday
        with pytest.raises(ValidationError, match="^n: the result would be before 0001-01-01"):
            EW.add_business_days(date(1, 1, 9), -6)
        assert EW.is_business_day(date.max)
        assert EW.holidays(9999)[-1] == (date(9999, 12, 28), "Boxing Day (substitute day)")
        assert EW.business_days_between(date(9999, 12, 24), date.max) == 3
        assert UTC_ROUND_THE_CLOCK.business_days_between(date.min, date.max) == (
            date.max.toordinal() - 1
        )

    def test_next_business_day_at_the_end(self):
        weekdays = BusinessCalendar("UTC", hours={MONDAY: [(time(9), time(17))]})
        with pytest.raises(ValidationError, match="^day: the result would be after 9999-12-31"):
            weekdays.next_business_day(date(9999, 12, 31))

    @pytest.mark.parametrize(
        ("start", "amount"),
        [
            (datetime(9999, 12, 31, 12, tzinfo=UTC), timedelta(hours=8)),
            (datetime(9999, 12, 30, 16, tzinfo=UTC), timedelta(hours=9, seconds=1)),
            (datetime(2026, 1, 1, tzinfo=UTC), timedelta.max),
            (datetime(2026, 1, 1, tzinfo=UTC), timedelta(days=3_000_000)),
        ],
    )
    def test_add_business_hours_past_9999(self, start, amount):
        with pytest.raises(ValidationError, match="^amount: the result would be after 9999-12-31"):
            EW.add_business_hours(start, amount)

    def test_add_business_hours_up_to_the_end(self):
        start = datetime(9999, 12, 30, 16, tzinfo=UTC)
        assert EW.add_business_hours(start, timedelta(hours=9)) == datetime(
            9999, 12, 31, 17, tzinfo=UTC
        )
        # A working day that ends at midnight on 31 December 9999 cannot be placed at all.
        last = datetime(9999, 12, 31, 23, tzinfo=UTC)
        with pytest.raises(ValidationError, match="^start: .* too close to the ends"):
            UTC_ROUND_THE_CLOCK.add_business_hours(last, timedelta(minutes=30))

    def test_instants_too_close_to_the_ends(self):
        # 20:00 in New York on the last day is 01:00 UTC on 1 January 10000.
        late = datetime(9999, 12, 31, 20, tzinfo=NEW_YORK)
        with pytest.raises(ValidationError, match="^start: .* too close to the ends"):
            EW.add_business_hours(late, timedelta(hours=1))
        with pytest.raises(ValidationError, match="^end: .* too close to the ends"):
            EW.business_time_between(datetime(2026, 1, 1, tzinfo=UTC), late)
        with pytest.raises(ValidationError, match="^start: .* too close to the ends"):
            EW.business_time_between(late, datetime(2026, 1, 1, tzinfo=UTC))
        # 09:00 on 1 January 1 in UTC+14 is still 31 December of year 0 in UTC.
        early = datetime(1, 1, 1, 0, tzinfo=UTC)
        with pytest.raises(ValidationError, match="^start: .* too close to the ends"):
            KIRITIMATI.business_time_between(early, datetime(1, 1, 9, tzinfo=UTC))

    def test_close_of_business_on_the_last_day(self):
        with pytest.raises(ValidationError, match="^day: close of business on 9999-12-31"):
            LATE_SHIFT.close_of_business(date(9999, 12, 31))
        assert EW.close_of_business(date(9999, 12, 31)) == datetime(9999, 12, 31, 17, tzinfo=UTC)


# -- every public callable, fed values of any type ----------------------------------------------

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(allow_nan=False),
    st.text(max_size=6),
    st.binary(max_size=3),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
    st.times(),
    st.timedeltas(),
    st.sampled_from(list(Observance)),
    st.lists(st.integers(-2, 9), max_size=3),
    st.tuples(st.integers(), st.integers()),
    st.frozensets(st.dates(), max_size=2),
    st.dictionaries(st.integers(-1, 8), st.lists(st.times(), max_size=2), max_size=2),
    st.just(object()),
    st.just(tzinfo()),
    st.just(RULES),
    st.just(FixedDate("x", 1, 1)),
    st.just(EW),
    st.just(Decimal("1.5")),
)
NAMES = st.text(max_size=4)
YEARS = st.integers(-5, 10_010)
DAYS = st.dates()
AWARE = st.datetimes(timezones=st.timezones())
HOURS = st.dictionaries(
    st.integers(0, 6), st.lists(st.tuples(st.times(), st.times()), max_size=2), max_size=3
)

# name: (callable, a strategy of a valid value for each argument)
TARGETS = {
    "FixedDate": (FixedDate, [NAMES, st.integers(1, 12), st.integers(1, 31)]),
    "NthWeekday": (NthWeekday, [NAMES, st.integers(1, 12), st.integers(0, 6), st.integers(-5, 5)]),
    "EasterOffset": (EasterOffset, [NAMES, st.integers(-100, 100), st.just(Observance.NONE)]),
    "OneOff": (OneOff, [NAMES, DAYS, st.sampled_from(list(Observance))]),
    "FixedDate.on": (FixedDate("x", 2, 29).on, [YEARS]),
    "NthWeekday.dates": (NthWeekday("x", 12, MONDAY, -1).dates, [YEARS]),
    "EasterOffset.dates": (EasterOffset("x", -100).dates, [YEARS]),
    "OneOff.on": (OneOff("x", date(2026, 1, 1)).on, [YEARS]),
    "HolidayRules": (HolidayRules, [st.lists(st.just(FixedDate("x", 1, 1))), st.just(())]),
    "HolidayRules.observed": (RULES.observed, [YEARS, st.just(range(5))]),
    "BusinessCalendar": (
        lambda tz, hours, sources, name: BusinessCalendar(
            tz, hours=hours, holidays_from=sources, name=name
        ).holidays(2026),
        [st.sampled_from(["UTC", "Europe/London"]), HOURS, st.just([RULES]), NAMES],
    ),
    "holidays": (EW.holidays, [YEARS]),
    "is_holiday": (EW.is_holiday, [DAYS]),
    "is_business_day": (EW.is_business_day, [DAYS]),
    "business_days_between": (EW.business_days_between, [DAYS, DAYS]),
    "add_business_days": (EW.add_business_days, [DAYS, st.integers()]),
    "next_business_day": (EW.next_business_day, [DAYS]),
    "close_of_business": (EW.close_of_business, [DAYS]),
    "business_time_between": (EW.business_time_between, [AWARE, AWARE]),
    "add_business_hours": (EW.add_business_hours, [AWARE, st.timedeltas(min_value=timedelta(0))]),
    "union": (EW.union, [st.just(RULES), st.just(frozenset())]),
    "with_hours": (EW.with_hours, [HOURS]),
    "us_federal": (calendars.us_federal, [st.sampled_from(["UTC", "America/Chicago"])]),
}


@pytest.mark.parametrize("name", sorted(TARGETS))
@given(data=st.data())
def test_only_recoverykit_errors_escape(name, data):
    function, valid = TARGETS[name]
    args = [data.draw(st.one_of(strategy, ANYTHING)) for strategy in valid]
    with contextlib.suppress(RecoveryKitError):  # anything else fails the test
        function(*args)
