import pickle
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from recoverykit import calendars
from recoverykit.calendars import (
    MONDAY,
    SATURDAY,
    SUNDAY,
    BusinessCalendar,
    EasterOffset,
    FixedDate,
    HolidayRules,
    NthWeekday,
    Observance,
    OneOff,
)
from recoverykit.errors import InvalidType, ValidationError

LONDON = ZoneInfo("Europe/London")


def d(text: str) -> date:
    return date.fromisoformat(text)


# Published lists: gov.uk/bank-holidays (England and Wales, Scotland, Northern Ireland) and
# the US Office of Personnel Management's federal holidays pages, 2022-2028.
ENGLAND_AND_WALES = {
    2022: "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27",
    2023: "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26",
    2024: "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26",
    2025: "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    2026: "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28",
    2027: "01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28",
    2028: "01-03 04-14 04-17 05-01 05-29 08-28 12-25 12-26",
}
SCOTLAND = {
    2022: "01-03 01-04 04-15 05-02 06-02 06-03 08-01 09-19 11-30 12-26 12-27",
    2023: "01-02 01-03 04-07 05-01 05-08 05-29 08-07 11-30 12-25 12-26",
    2024: "01-01 01-02 03-29 05-06 05-27 08-05 12-02 12-25 12-26",
    2025: "01-01 01-02 04-18 05-05 05-26 08-04 12-01 12-25 12-26",
    # 15 June 2026: the World Cup bank holiday, by Royal Proclamation of February 2026.
    2026: "01-01 01-02 04-03 05-04 05-25 06-15 08-03 11-30 12-25 12-28",
    2027: "01-01 01-04 03-26 05-03 05-31 08-02 11-30 12-27 12-28",
    2028: "01-03 01-04 04-14 05-01 05-29 08-07 11-30 12-25 12-26",
}
NORTHERN_IRELAND = {
    2022: "01-03 03-17 04-15 04-18 05-02 06-02 06-03 07-12 08-29 09-19 12-26 12-27",
    2023: "01-02 03-17 04-07 04-10 05-01 05-08 05-29 07-12 08-28 12-25 12-26",
    2024: "01-01 03-18 03-29 04-01 05-06 05-27 07-12 08-26 12-25 12-26",
    2025: "01-01 03-17 04-18 04-21 05-05 05-26 07-14 08-25 12-25 12-26",
    2026: "01-01 03-17 04-03 04-06 05-04 05-25 07-13 08-31 12-25 12-28",
    2027: "01-01 03-17 03-26 03-29 05-03 05-31 07-12 08-30 12-27 12-28",
    2028: "01-03 03-17 04-14 04-17 05-01 05-29 07-12 08-28 12-25 12-26",
}
US_FEDERAL = {
    2022: "01-17 02-21 05-30 06-20 07-04 09-05 10-10 11-11 11-24 12-26",
    2023: "01-02 01-16 02-20 05-29 06-19 07-04 09-04 10-09 11-10 11-23 12-25",
    2024: "01-01 01-15 02-19 05-27 06-19 07-04 09-02 10-14 11-11 11-28 12-25",
    2025: "01-01 01-20 02-17 05-26 06-19 07-04 09-01 10-13 11-11 11-27 12-25",
    2026: "01-01 01-19 02-16 05-25 06-19 07-03 09-07 10-12 11-11 11-26 12-25",
    # New Year's Day 2028 is a Saturday: observed on Friday 31 December 2027.
    2027: "01-01 01-18 02-15 05-31 06-18 07-05 09-06 10-11 11-11 11-25 12-24 12-31",
    2028: "01-17 02-21 05-29 06-19 07-04 09-04 10-09 11-10 11-23 12-25",
}


@pytest.mark.parametrize(
    ("factory", "published"),
    [
        (calendars.england_and_wales, ENGLAND_AND_WALES),
        (calendars.scotland, SCOTLAND),
        (calendars.northern_ireland, NORTHERN_IRELAND),
        (calendars.us_federal, US_FEDERAL),
    ],
    ids=["england_and_wales", "scotland", "northern_ireland", "us_federal"],
)
@pytest.mark.parametrize("year", range(2022, 2029))
def test_builtin_calendars_match_published_lists(factory, published, year):
    cal = factory()
    expected = [d(f"{year}-{md}") for md in published[year].split()]
    assert [day for day, _ in cal.holidays(year)] == expected
    for day in expected:
        assert not cal.is_business_day(day)


def test_holiday_names():
    names = dict(calendars.england_and_wales().holidays(2027))
    assert names[d("2027-12-27")] == "Christmas Day (substitute day)"
    assert names[d("2027-12-28")] == "Boxing Day (substitute day)"
    assert names[d("2027-03-26")] == "Good Friday"
    assert dict(calendars.england_and_wales().holidays(2023))[d("2023-05-08")] == (
        "Bank holiday for the coronation of King Charles III"
    )


def test_one_offs_and_cancellations_in_earlier_years():
    ew = calendars.england_and_wales()
    days = {day for day, _ in ew.holidays(2012)}
    assert {d("2012-06-04"), d("2012-06-05")} <= days
    assert d("2012-05-28") not in days
    assert d("2011-04-29") in {day for day, _ in ew.holidays(2011)}
    assert d("2020-05-08") in {day for day, _ in ew.holidays(2020)}
    assert d("2020-05-04") not in {day for day, _ in ew.holidays(2020)}


def test_1995_ve_day_bank_holiday_by_region():
    # England, Wales and Northern Ireland moved the early May bank holiday to 8 May 1995;
    # Scotland kept 1 May and had 8 May as well (HC Deb 2 March 1995 vol 255 c709W).
    for cal in (calendars.england_and_wales(), calendars.northern_ireland()):
        may = [day for day, _ in cal.holidays(1995) if day.month == 5]
        assert may == [d("1995-05-08"), d("1995-05-29")]
    may = [day for day, _ in calendars.scotland().holidays(1995) if day.month == 5]
    assert may == [d("1995-05-01"), d("1995-05-08"), d("1995-05-29")]


class TestRules:
    def test_nth_and_last_weekday(self):
        assert NthWeekday("x", 5, MONDAY, -1).on(2026) == d("2026-05-25")
        assert NthWeekday("x", 12, MONDAY, -1).on(2026) == d("2026-12-28")
        assert NthWeekday("x", 11, 3, 4).on(2026) == d("2026-11-26")
        assert NthWeekday("x", 2, MONDAY, 5).on(2026) is None  # no fifth Monday

    def test_fixed_date_years_and_leap_day(self):
        rule = FixedDate("leap", 2, 29, since=2020, until=2030)
        assert rule.on(2024) == d("2024-02-29")
        assert rule.on(2025) is None
        assert rule.on(2031) is None
        with pytest.raises(ValidationError, match="2/30 is not a day of the year"):
            FixedDate("x", 2, 30)

    def test_rules_outside_their_years(self):
        assert NthWeekday("x", 1, MONDAY, 3, since=1986).on(1985) is None
        assert EasterOffset("x", 1, until=2000).on(2001) is None

    def test_easter_offsets(self):
        assert EasterOffset("Good Friday", -2).on(2026) == d("2026-04-03")
        assert EasterOffset("Whit Monday", 50).on(2026) == d("2026-05-25")

    def test_bad_rules(self):
        with pytest.raises(ValidationError, match="0 is not an occurrence"):
            NthWeekday("x", 1, MONDAY, 0)
        with pytest.raises(
            ValidationError, match=r"HolidayRules.rules\[0\]: expected a HolidayRule"
        ):
            HolidayRules(["Christmas"])  # type: ignore[list-item]
        with pytest.raises(ValidationError, match="expected a year"):
            FixedDate("x", 1, 1, since="2020")  # type: ignore[arg-type]

    def test_substitute_skips_days_already_taken(self):
        # A one-off on Monday pushes a Sunday holiday's substitute to Tuesday.
        rules = HolidayRules(
            [
                FixedDate("Sunday thing", 3, 1, Observance.NEXT_WORKING_DAY),
                OneOff("x", d("2026-03-02")),
            ]
        )
        cal = BusinessCalendar("UTC", holidays_from=[rules])
        assert [day for day, _ in cal.holidays(2026)] == [d("2026-03-02"), d("2026-03-03")]


class TestCalendarValue:
    def test_unknown_zone(self):
        with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
            BusinessCalendar("Mars/Olympus")
        with pytest.raises(ValidationError, match="expected an IANA zone name or tzinfo"):
            BusinessCalendar(3)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("hours", "message"),
        [
            ({}, "there is no working day in the week"),
            ({7: [(time(9), time(17))]}, "weekday 7 is not 0"),
            ({0: [(time(17), time(9))]}, r"hours\[0\]: interval 0 ends before it starts"),
            ({0: [(time(9), time(13)), (time(12), time(17))]}, "interval 1 overlaps"),
            ({0: [(time(9, tzinfo=UTC), time(17))]}, "wall-clock times; drop the tzinfo"),
            ({0: [("09:00", time(17))]}, "expected a time, got '09:00'"),
            ([(time(9), time(17))], "expected a mapping of weekday"),
        ],
    )
    def test_bad_hours(self, hours, message):
        with pytest.raises(ValidationError, match=message):
            BusinessCalendar("UTC", hours=hours)

    def test_bad_holiday_source(self):
        with pytest.raises(ValidationError, match=r"holidays_from\[0\]: expected HolidayRules"):
            BusinessCalendar("UTC", holidays_from=[42])  # type: ignore[list-item]

    def test_container_sources_plug_in(self):
        named = {d("2026-07-01"): "Company day"}
        plain = frozenset({d("2026-07-02")})
        cal = BusinessCalendar("UTC", holidays_from=[named, plain])
        assert cal.holidays(2026) == [
            (d("2026-07-01"), "Company day"),
            (d("2026-07-02"), "holiday"),
        ]
        assert cal.add_business_days(d("2026-06-30"), 1) == d("2026-07-03")

    def test_union(self):
        ew = calendars.england_and_wales()
        both = ew.union(calendars.scotland(), frozenset({d("2026-07-01")}))
        days = {day for day, _ in both.holidays(2026)}
        assert {d("2026-04-06"), d("2026-08-03"), d("2026-11-30"), d("2026-07-01")} <= days
        assert both.tz == ew.tz
        assert ew.holidays(2026) == calendars.england_and_wales().holidays(2026)  # unchanged

    def test_same_holiday_from_two_sources_is_listed_once(self):
        both = calendars.england_and_wales().union(calendars.scotland())
        names = dict(both.holidays(2026))
        assert names[d("2026-12-25")] == "Christmas Day"
        with_extra = both.union(HolidayRules([OneOff("Staff day", d("2026-12-25"))]))
        assert dict(with_extra.holidays(2026))[d("2026-12-25")] == "Christmas Day; Staff day"

    def test_value_semantics(self):
        assert calendars.england_and_wales() == calendars.england_and_wales()
        assert calendars.england_and_wales() != calendars.scotland()
        cal = calendars.scotland()
        cal.is_business_day(d("2026-01-01"))  # fills the cache
        copy = pickle.loads(pickle.dumps(cal))
        assert copy == cal
        assert copy.holidays(2026) == cal.holidays(2026)
        assert repr(cal) == "<BusinessCalendar 'Scotland' Europe/London>"
        assert cal.working_weekdays == frozenset(range(5))

    def test_with_hours_and_is_holiday(self):
        ew = calendars.england_and_wales()
        weekend_shop = ew.with_hours({SATURDAY: [(time(10), time(16))]})
        assert weekend_shop.is_business_day(d("2026-06-06"))
        assert not weekend_shop.is_business_day(d("2026-06-08"))
        assert ew.is_holiday(d("2026-12-28"))
        assert not ew.is_holiday(d("2026-12-26"))  # a Saturday: not a working day, not listed

    def test_dates_not_datetimes(self):
        ew = calendars.england_and_wales()
        with pytest.raises(ValidationError, match="expected a date .not a datetime., got datetime"):
            ew.is_business_day(datetime(2026, 1, 1, tzinfo=UTC))
        with pytest.raises(ValidationError, match="expected an int number of days"):
            ew.add_business_days(d("2026-01-01"), 1.5)  # type: ignore[arg-type]


class TestDayArithmetic:
    ew = calendars.england_and_wales()

    @pytest.mark.parametrize(
        ("start", "n", "expected"),
        [
            ("2026-12-24", 3, "2026-12-31"),  # Christmas, weekend and Boxing Day substitute
            ("2026-12-24", 0, "2026-12-24"),
            ("2026-12-26", 0, "2026-12-24"),  # a Saturday counts as the business day before
            ("2026-12-26", 1, "2026-12-29"),
            ("2026-12-29", -2, "2026-12-23"),
            ("2026-12-29", -1, "2026-12-24"),  # steps back over two holidays in a row
            ("2026-12-27", -1, "2026-12-23"),
            ("2026-04-02", 1, "2026-04-07"),  # Good Friday and Easter Monday
            ("2026-01-02", 400, "2027-08-03"),
        ],
    )
    def test_worked_examples(self, start, n, expected):
        assert self.ew.add_business_days(d(start), n) == d(expected)
        assert self.ew.business_days_between(d(start), d(expected)) == n

    def test_next_business_day(self):
        assert self.ew.next_business_day(d("2026-12-25")) == d("2026-12-29")
        assert self.ew.next_business_day(d("2026-12-24")) == d("2026-12-24")

    def test_counting_a_year(self):
        assert self.ew.business_days_between(d("2025-12-31"), d("2026-12-31")) == 253
        assert self.ew.business_days_between(d("2026-12-31"), d("2025-12-31")) == -253

    def test_close_of_business(self):
        cob = self.ew.close_of_business(d("2026-07-01"))
        assert cob == datetime(2026, 7, 1, 17, tzinfo=LONDON)
        assert cob.utcoffset() == timedelta(hours=1)
        with pytest.raises(ValidationError, match="2026-12-25 is not a business day"):
            self.ew.close_of_business(d("2026-12-25"))


WEEKMASKS = st.lists(st.booleans(), min_size=7, max_size=7).filter(any)
DATES = st.dates(date(2000, 1, 1), date(2040, 12, 31))


@st.composite
def calendars_with_holidays(draw):
    mask = draw(WEEKMASKS)
    holidays = draw(st.frozensets(DATES, max_size=80))
    hours = {i: [(time(9), time(17))] for i, on in enumerate(mask) if on}
    return BusinessCalendar("UTC", hours=hours, holidays_from=[holidays]), mask, holidays


class TestDayProperties:
    @given(calendars_with_holidays(), DATES, st.integers(-600, 600))
    def test_agrees_with_numpy_busday_offset(self, drawn, start, n):
        cal, mask, holidays = drawn
        expected = np.busday_offset(
            np.datetime64(start, "D"),
            n,
            roll="backward",
            weekmask=[int(b) for b in mask],
            holidays=sorted(holidays),
        )
        assert cal.add_business_days(start, n) == expected.astype(date)

    @given(calendars_with_holidays(), DATES, st.integers(-600, 600), DATES)
    def test_a_warm_cache_agrees_with_numpy(self, drawn, start, n, other):
        """Once the years are cached, adding reads their numbering of business days (a
        different path from the first call's arithmetic)."""
        cal, mask, holidays = drawn
        cal.add_business_days(other, 0)
        first = cal.add_business_days(start, n)  # builds (or extends) the cached years
        expected = np.busday_offset(
            np.datetime64(start, "D"),
            n,
            roll="backward",
            weekmask=[int(b) for b in mask],
            holidays=sorted(holidays),
        )
        assert cal.add_business_days(start, n) == first == expected.astype(date)

    @given(calendars_with_holidays(), DATES, st.integers(-600, 600))
    def test_between_inverts_add(self, drawn, start, n):
        cal = drawn[0]
        end = cal.add_business_days(start, n)
        assert cal.business_days_between(start, end) == n
        assert cal.is_business_day(end)

    @given(calendars_with_holidays(), DATES, st.integers(-300, 300), st.integers(-300, 300))
    def test_adding_is_monotonic(self, drawn, start, m, n):
        cal = drawn[0]
        assume(m != n)
        lo, hi = sorted((m, n))
        assert cal.add_business_days(start, lo) < cal.add_business_days(start, hi)

    @given(calendars_with_holidays(), DATES, DATES, DATES)
    def test_between_is_additive(self, drawn, a, b, c):
        cal = drawn[0]
        total = cal.business_days_between(a, c)
        assert total == cal.business_days_between(a, b) + cal.business_days_between(b, c)


class TestTimeArithmetic:
    ew = calendars.england_and_wales()

    def test_friday_afternoon_over_a_dst_weekend(self):
        start = datetime(2026, 3, 27, 16, tzinfo=LONDON)
        due = self.ew.add_business_hours(start, timedelta(hours=3))
        assert due == datetime(2026, 3, 30, 11, tzinfo=LONDON)
        assert self.ew.business_time_between(start, due) == timedelta(hours=3)

    def test_landing_on_the_end_of_a_day(self):
        start = datetime(2026, 1, 5, 9, tzinfo=LONDON)
        assert self.ew.add_business_hours(start, timedelta(hours=8)) == datetime(
            2026, 1, 5, 17, tzinfo=LONDON
        )

    def test_result_keeps_the_start_zone(self):
        start = datetime(2026, 1, 5, 14, tzinfo=UTC)
        assert self.ew.add_business_hours(start, timedelta(hours=4)).tzinfo is UTC

    def test_lunch_break(self):
        cal = BusinessCalendar(
            "Europe/Paris", hours={i: [(time(9), time(12)), (time(14), time(18))] for i in range(5)}
        )
        start = datetime(2026, 6, 1, 11, tzinfo=ZoneInfo("Europe/Paris"))
        assert cal.add_business_hours(start, timedelta(hours=2)) == datetime(
            2026, 6, 1, 15, tzinfo=ZoneInfo("Europe/Paris")
        )

    @pytest.mark.parametrize(
        ("day", "hours"),
        [("2026-03-29", 23), ("2026-10-25", 25), ("2026-06-01", 24)],
    )
    def test_round_the_clock_days_follow_dst(self, day, hours):
        always = BusinessCalendar(
            "Europe/London", hours={i: [(time(0), time(0))] for i in range(7)}
        )
        start = datetime.combine(d(day), time(0), LONDON)
        end = datetime.combine(d(day) + timedelta(days=1), time(0), LONDON)
        assert always.business_time_between(start, end) == timedelta(hours=hours)
        week = always.business_time_between(start - timedelta(days=3), end + timedelta(days=3))
        assert week == timedelta(hours=hours + 6 * 24)

    def test_autumn_day_has_an_extra_hour_to_work(self):
        always = BusinessCalendar(
            "Europe/London", hours={i: [(time(0), time(0))] for i in range(7)}
        )
        start = datetime(2026, 10, 24, 23, tzinfo=LONDON)
        due = always.add_business_hours(start, timedelta(hours=25, minutes=30))
        assert due == datetime(2026, 10, 25, 23, 30, tzinfo=LONDON)

    def test_working_hours_starting_in_the_spring_gap(self):
        cal = BusinessCalendar("Europe/London", hours={6: [(time(1, 30), time(3))]})
        sunday = datetime(2026, 3, 29, tzinfo=LONDON)
        # 01:30 does not exist that day: the interval starts at 02:30 BST (resolve_imaginary).
        assert cal.business_time_between(sunday, sunday + timedelta(days=1)) == timedelta(
            minutes=30
        )

    def test_errors(self):
        with pytest.raises(ValidationError, match="start: naive datetime"):
            self.ew.business_time_between(datetime(2026, 1, 1), datetime(2026, 1, 2, tzinfo=UTC))
        with pytest.raises(ValidationError, match="expected a non-negative timedelta"):
            self.ew.add_business_hours(datetime(2026, 1, 1, tzinfo=UTC), timedelta(hours=-1))

    def test_negative_between(self):
        a = datetime(2026, 1, 5, 10, tzinfo=LONDON)
        b = datetime(2026, 1, 6, 10, tzinfo=LONDON)
        assert self.ew.business_time_between(b, a) == -timedelta(hours=8)

    def test_long_spans_are_exact(self):
        start = datetime(2026, 1, 5, 9, tzinfo=LONDON)
        due = self.ew.add_business_hours(start, timedelta(hours=8 * 400))
        assert due == datetime.combine(
            self.ew.add_business_days(d("2026-01-05"), 399), time(17), LONDON
        )


AWARE = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2039, 12, 31), timezones=st.timezones()
)


@st.composite
def timed_calendars(draw):
    zone = draw(st.timezones())
    starts = draw(st.sampled_from([time(0), time(1, 30), time(8), time(9)]))
    ends = draw(st.sampled_from([time(0), time(12), time(17), time(23, 30)]))
    assume(ends == time(0) or ends > starts)
    mask = draw(WEEKMASKS)
    holidays = draw(st.frozensets(DATES, max_size=40))
    hours = {i: [(starts, ends)] for i, on in enumerate(mask) if on}
    return BusinessCalendar(zone, hours=hours, holidays_from=[holidays])


class TestTimeProperties:
    @given(timed_calendars(), AWARE, AWARE, AWARE)
    def test_between_is_additive_over_split_points(self, cal, a, b, c):
        a, b, c = sorted((a, b, c))
        whole = cal.business_time_between(a, c)
        assert whole == cal.business_time_between(a, b) + cal.business_time_between(b, c)
        assert whole >= timedelta(0)

    @given(timed_calendars(), AWARE, st.integers(0, 2000 * 3600))
    def test_add_hours_inverts_between(self, cal, start, seconds):
        amount = timedelta(seconds=seconds)
        due = cal.add_business_hours(start, amount)
        assert due >= start
        assert cal.business_time_between(start, due) == amount

    @given(timed_calendars(), AWARE, st.integers(0, 500 * 3600), st.integers(0, 500 * 3600))
    def test_add_hours_is_monotonic(self, cal, start, x, y):
        lo, hi = sorted((x, y))
        assert cal.add_business_hours(start, timedelta(seconds=lo)) <= cal.add_business_hours(
            start, timedelta(seconds=hi)
        )


def test_weekend_constants():
    assert (SATURDAY, SUNDAY) == (5, 6)


def test_threads_sharing_a_fresh_calendar_agree_with_one_thread():
    from concurrent.futures import ThreadPoolExecutor

    starts = [date(1990 + i % 60, 1 + i % 12, 1 + i % 28) for i in range(600)]
    expected = [calendars.england_and_wales().add_business_days(s, 250) for s in starts]
    shared = calendars.england_and_wales()
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda s: shared.add_business_days(s, 250), starts))
    assert got == expected


class TestUnionReuse:
    """`Regime.evaluate` adds its closed days with `union` on every call: the same sources
    give the same calendar back, warm, instead of a new one with a cold year cache."""

    def test_same_sources_same_calendar(self):
        ew = calendars.england_and_wales()
        extra = HolidayRules([OneOff("Office move", d("2026-03-05"))])
        first = ew.union(extra)
        assert ew.union(extra) is first
        assert first.is_holiday(d("2026-03-05"))
        assert not ew.is_holiday(d("2026-03-05"))

    def test_unhashable_sources_still_work(self):
        ew = calendars.england_and_wales()
        mine = {d("2026-03-05"): "Office move"}
        assert ew.union(mine).is_holiday(d("2026-03-05"))
        assert ew.union(mine) == ew.union(mine)

    def test_the_cache_is_not_part_of_the_value(self):
        ew = calendars.england_and_wales()
        ew.union(HolidayRules([]))
        assert ew == calendars.england_and_wales()
        assert pickle.loads(pickle.dumps(ew)) == ew
        with pytest.raises(InvalidType, match=r"others\[0\]"):
            ew.union(5)  # type: ignore[arg-type]
