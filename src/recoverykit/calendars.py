"""Business calendars: which days and hours count, and deadline arithmetic on them.

A `BusinessCalendar` is an immutable value: a time zone, working hours per weekday (several
intervals a day allow a lunch break) and holiday sources. Holiday sources are `HolidayRules`
(fixed dates, nth weekdays, Easter offsets, one-off dates, substitute days, cancellations)
or any ``Container[date]``, such as ``holidays.country_holidays("GB")``.

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
start and its second for an end.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import accumulate, pairwise
from typing import Any, ClassVar, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from dateutil.easter import easter
from dateutil.tz import datetime_exists

from recoverykit import _validation as v
from recoverykit.errors import ValidationError

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
    "HolidayRules",
    "NthWeekday",
    "Observance",
    "OneOff",
    "england_and_wales",
    "northern_ireland",
    "scotland",
    "us_federal",
]

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
_DAY = 86_400


class Observance(enum.StrEnum):
    """What happens when a holiday falls on a day that is not a working day."""

    NONE = "none"
    """Nothing: the holiday is lost (it is not a working day anyway)."""
    NEXT_WORKING_DAY = "next_working_day"
    """UK substitute days: the next working day that is not already a holiday, so when
    Christmas and Boxing Day both fall on a weekend they move to Monday and Tuesday."""
    NEAREST_WEEKDAY = "nearest_weekday"
    """US federal (5 U.S.C. 6103(b)): Saturday moves to Friday, Sunday to Monday."""


def _years(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        v.fail(instance, attribute, f"expected a year (int) or None, got {type(value).__name__}")


class HolidayRule:  # SHIM
    pass


@attrs.frozen
class FixedDate:
    """The same day every year, e.g. Christmas Day on 25 December."""

    tag: ClassVar[str] = "fixed_date"

    name: str = attrs.field(validator=v.text())
    month: int = attrs.field(validator=v.int_between(1, 12))
    day: int = attrs.field(validator=v.int_between(1, 31))
    observance: Observance = attrs.field(default=Observance.NONE, validator=v.member_of(Observance))
    since: int | None = attrs.field(default=None, validator=_years, kw_only=True)
    until: int | None = attrs.field(default=None, validator=_years, kw_only=True)

    def __attrs_post_init__(self) -> None:
        try:
            date(2000, self.month, self.day)  # a leap year, so 29 February is allowed
        except ValueError:
            raise ValidationError(
                "FixedDate.day", f"{self.month}/{self.day} is not a day of the year"
            ) from None

    def on(self, year: int) -> date | None:
        if not _in_years(self, year):
            return None
        try:
            return date(year, self.month, self.day)
        except ValueError:  # 29 February in a common year
            return None


@attrs.frozen
class NthWeekday:
    """The n-th given weekday of a month; ``n=-1`` is the last one (US Memorial Day)."""

    tag: ClassVar[str] = "nth_weekday"

    name: str = attrs.field(validator=v.text())
    month: int = attrs.field(validator=v.int_between(1, 12))
    weekday: int = attrs.field(validator=v.int_between(0, 6))
    n: int = attrs.field(validator=v.int_between(-5, 5))
    observance: Observance = attrs.field(default=Observance.NONE, validator=v.member_of(Observance))
    since: int | None = attrs.field(default=None, validator=_years, kw_only=True)
    until: int | None = attrs.field(default=None, validator=_years, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.n == 0:
            raise ValidationError("NthWeekday.n", "0 is not an occurrence; use 1..5 or -1..-5")

    def on(self, year: int) -> date | None:
        if not _in_years(self, year):
            return None
        if self.n > 0:
            first = date(year, self.month, 1)
            day = first + timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.n - 1))
        else:
            nxt = date(year + self.month // 12, self.month % 12 + 1, 1)
            last = nxt - timedelta(days=1)
            day = last - timedelta(days=(last.weekday() - self.weekday) % 7 + 7 * (-self.n - 1))
        return day if day.month == self.month else None


@attrs.frozen
class EasterOffset:
    """A day relative to Western Easter Sunday: Good Friday is -2, Easter Monday +1."""

    tag: ClassVar[str] = "easter_offset"

    name: str = attrs.field(validator=v.text())
    days: int = attrs.field(validator=v.int_between(-100, 100))
    observance: Observance = attrs.field(default=Observance.NONE, validator=v.member_of(Observance))
    since: int | None = attrs.field(default=None, validator=_years, kw_only=True)
    until: int | None = attrs.field(default=None, validator=_years, kw_only=True)

    def on(self, year: int) -> date | None:
        if not _in_years(self, year):
            return None
        return easter(year) + timedelta(days=self.days)


@attrs.frozen
class OneOff:
    """A holiday that happens once (a royal wedding, a jubilee, a state funeral)."""

    tag: ClassVar[str] = "one_off"

    name: str = attrs.field(validator=v.text())
    day: date = attrs.field(validator=v.instance_of(date))
    observance: Observance = attrs.field(default=Observance.NONE, validator=v.member_of(Observance))

    def on(self, year: int) -> date | None:
        return self.day if self.day.year == year else None


Rule: TypeAlias = FixedDate | NthWeekday | EasterOffset | OneOff
_RULE_TYPES = (FixedDate, NthWeekday, EasterOffset, OneOff)


def _in_years(rule: FixedDate | NthWeekday | EasterOffset, year: int) -> bool:
    return (rule.since is None or year >= rule.since) and (rule.until is None or year <= rule.until)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


def _dates(value: Iterable[date]) -> frozenset[date]:
    return frozenset(value)


@attrs.frozen
class HolidayRules:
    """A set of holiday rules, applied together so that substitute days do not collide.

    ``cancelled`` removes dates a rule would give (the 2022 spring bank holiday moved from
    30 May to 2 June for the Platinum Jubilee: cancel the one, add the other as a `OneOff`).
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_rules)
    cancelled: frozenset[date] = attrs.field(default=frozenset(), converter=_dates)

    def __attrs_post_init__(self) -> None:
        for i, rule in enumerate(self.rules):
            if not isinstance(rule, _RULE_TYPES):
                raise ValidationError(
                    f"HolidayRules.rules[{i}]",
                    "expected FixedDate, NthWeekday, EasterOffset or OneOff, "
                    f"got {type(rule).__name__}",
                )

    def observed(self, year: int, working_weekdays: frozenset[int]) -> list[tuple[date, str]]:
        """The holidays observed in ``year``, substitute days included, sorted by date."""
        raw: list[tuple[date, Rule]] = []
        for y in (year - 1, year, year + 1):  # observance can cross a year end
            for rule in self.rules:
                day = rule.on(y)
                if day is not None and day not in self.cancelled:
                    raw.append((day, rule))
        taken = {day for day, _ in raw if day.weekday() in working_weekdays}
        out: list[tuple[date, str]] = []
        for day, rule in raw:
            observed, name = day, rule.name
            if day.weekday() not in working_weekdays and rule.observance is not Observance.NONE:
                observed = _substitute(day, rule.observance, working_weekdays, taken)
                taken.add(observed)
                name = f"{rule.name} (substitute day)"
            if observed.year == year:
                out.append((observed, name))
        return sorted(out)


def _substitute(
    day: date, observance: Observance, working: frozenset[int], taken: set[date]
) -> date:
    if observance is Observance.NEAREST_WEEKDAY and day.weekday() == SATURDAY:
        return day - timedelta(days=1)
    if observance is Observance.NEAREST_WEEKDAY:
        return day + timedelta(days=1)
    step = timedelta(days=1)
    observed = day + step
    while observed.weekday() not in working or observed in taken:
        observed += step
    return observed


HolidaySource: TypeAlias = "HolidayRules | Container[date]"


def _sources(value: Iterable[HolidaySource]) -> tuple[HolidaySource, ...]:
    return tuple(value)


_Interval = tuple[int, int]  # seconds after local midnight, end up to 86400


def _zone(value: str | tzinfo) -> tzinfo:
    if isinstance(value, tzinfo):
        return value
    if not isinstance(value, str):
        raise ValidationError(
            "BusinessCalendar.tz", f"expected an IANA zone name or tzinfo, got {value!r}"
        )
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "BusinessCalendar.tz", f"unknown time zone {value!r} (use an IANA name)"
        ) from None


def _seconds(t: time, *, end: bool) -> int:
    if not isinstance(t, time):
        raise ValidationError("BusinessCalendar.hours", f"expected a time, got {t!r}")
    if t.tzinfo is not None:
        raise ValidationError(
            "BusinessCalendar.hours", "working hours are wall-clock times; drop the tzinfo"
        )
    s = t.hour * 3600 + t.minute * 60 + t.second
    return _DAY if end and s == 0 else s


def _hours(
    value: Mapping[int, Sequence[tuple[time, time]]] | tuple[tuple[_Interval, ...], ...],
) -> tuple[tuple[_Interval, ...], ...]:
    if isinstance(value, tuple):
        return value
    if not isinstance(value, Mapping):
        raise ValidationError(
            "BusinessCalendar.hours", "expected a mapping of weekday (0=Monday) to intervals"
        )
    week: list[tuple[_Interval, ...]] = [()] * 7
    for weekday, intervals in value.items():
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValidationError(
                "BusinessCalendar.hours", f"weekday {weekday!r} is not 0 (Monday) .. 6 (Sunday)"
            )
        spans = sorted((_seconds(a, end=False), _seconds(b, end=True)) for a, b in intervals)
        for i, (a, b) in enumerate(spans):
            if a >= b:
                raise ValidationError(
                    f"BusinessCalendar.hours[{weekday}]", f"interval {i} ends before it starts"
                )
            if i and a < spans[i - 1][1]:
                raise ValidationError(
                    f"BusinessCalendar.hours[{weekday}]", f"interval {i} overlaps the one before"
                )
        week[weekday] = tuple(spans)
    return tuple(week)


NINE_TO_FIVE: Mapping[int, Sequence[tuple[time, time]]] = {
    d: ((time(9), time(17)),) for d in range(MONDAY, SATURDAY)
}


@attrs.frozen(repr=False)
class BusinessCalendar:
    """Working days and hours in one time zone, minus holidays.

    Args:
        tz: An IANA zone name (``"Europe/London"``) or a tzinfo.
        hours: Working intervals per weekday (0 = Monday), as ``(start, end)`` wall-clock
            times; an end of ``time(0)`` means midnight at the end of the day. Weekdays
            without intervals are not working days. Default: Monday-Friday 09:00-17:00.
        holidays: `HolidayRules` or any ``Container[date]``; a date that any source holds
            is a holiday.
        name: For display.
    """

    tz: tzinfo = attrs.field(converter=_zone)
    hours: tuple[tuple[_Interval, ...], ...] = attrs.field(default=NINE_TO_FIVE, converter=_hours)
    holidays_from: tuple[HolidaySource, ...] = attrs.field(default=(), converter=_sources)
    name: str = "business calendar"
    _index: _Index = attrs.field(init=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if not any(self.hours):
            raise ValidationError("BusinessCalendar.hours", "there is no working day in the week")
        for i, source in enumerate(self.holidays_from):
            if not isinstance(source, HolidayRules | Container):
                raise ValidationError(
                    f"BusinessCalendar.holidays_from[{i}]",
                    f"expected HolidayRules or a Container of dates, got {type(source).__name__}",
                )
        object.__setattr__(self, "_index", _Index(self))

    def __repr__(self) -> str:
        return f"<BusinessCalendar {self.name!r} {self.zone_name}>"

    @property
    def zone_name(self) -> str:
        """The IANA name of the zone when it has one, else its ``str``."""
        return str(getattr(self.tz, "key", self.tz))

    @property
    def working_weekdays(self) -> frozenset[int]:
        return frozenset(d for d in range(7) if self.hours[d])

    # -- composition ------------------------------------------------------------------------

    def union(self, *others: BusinessCalendar | HolidaySource) -> BusinessCalendar:
        """This calendar with the holidays of ``others`` added (zone and hours stay)."""
        sources = list(self.holidays_from)
        for other in others:
            if isinstance(other, BusinessCalendar):
                sources.extend(other.holidays_from)
            else:
                sources.append(other)
        return attrs.evolve(self, holidays_from=tuple(sources))

    def with_hours(self, hours: Mapping[int, Sequence[tuple[time, time]]]) -> BusinessCalendar:
        return attrs.evolve(self, hours=hours)

    # -- holidays ---------------------------------------------------------------------------

    def holidays(self, year: int) -> list[tuple[date, str]]:
        """Every holiday observed in ``year`` as (date, name), sorted; weekends included
        only when a source lists them (a one-off on a Saturday)."""
        found: dict[date, str] = {}
        working = self.working_weekdays
        for source in self.holidays_from:
            if isinstance(source, HolidayRules):
                pairs: Iterable[tuple[date, str]] = source.observed(year, working)
            else:
                pairs = _scan(source, year)
            for day, name in pairs:
                found[day] = f"{found[day]}; {name}" if day in found else name
        return sorted(found.items())

    def is_holiday(self, day: date) -> bool:
        return self._index.is_holiday(_ordinal(day))

    def is_business_day(self, day: date) -> bool:
        """A working weekday that is not a holiday."""
        o = _ordinal(day)
        return bool(self.hours[(o + 6) % 7]) and not self._index.is_holiday(o)

    # -- day arithmetic ---------------------------------------------------------------------

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in ``(start, end]``; negative when ``end`` is before ``start``."""
        a, b = _ordinal(start), _ordinal(end)
        if b < a:
            return -self.business_days_between(end, start)
        index = self._index
        return index.weekdays_upto(b) - index.weekdays_upto(a) - index.holidays_in(a, b)

    def add_business_days(self, start: date, n: int) -> date:
        """The business day ``n`` business days after ``start`` (before it when negative).

        A start that is not a business day counts as the business day before it.
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise ValidationError("n", f"expected an int number of days, got {type(n).__name__}")
        return date.fromordinal(self._index.add_days(_ordinal(start), n))

    def next_business_day(self, day: date) -> date:
        """``day`` itself if it is a business day, else the first business day after it."""
        return day if self.is_business_day(day) else self.add_business_days(day, 1)

    def close_of_business(self, day: date) -> datetime:
        """The end of the last working interval of ``day``, as an aware datetime.

        Raises:
            ValidationError: ``day`` is not a business day.
        """
        if not self.is_business_day(day):
            raise ValidationError(
                "day", f"{day.isoformat()} is not a business day in {self.name!r}"
            )
        end = self.hours[day.weekday()][-1][1]
        return self._instant(day, end, end=True).astimezone(self.tz)

    # -- time arithmetic --------------------------------------------------------------------

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two instants (negative when ``end`` is before ``start``)."""
        v.require_aware(start, "start")
        v.require_aware(end, "end")
        if end < start:
            return -self.business_time_between(end, start)
        a, b = start.astimezone(UTC), end.astimezone(UTC)
        oa, ob = self._local_ordinal(a), self._local_ordinal(b)
        if oa == ob:
            return timedelta(seconds=_overlap(self._day_intervals(oa), a, b))
        head = _overlap(self._day_intervals(oa), a, None)
        tail = _overlap(self._day_intervals(ob), None, b)
        return timedelta(seconds=head + self._index.full_days(oa + 1, ob - 1) + tail)

    def add_business_hours(self, start: datetime, amount: timedelta) -> datetime:
        """The instant when ``amount`` of working time has passed after ``start``.

        Landing exactly on the end of a working interval returns that end (17:00), not the
        start of the next one.
        """
        v.require_aware(start, "start")
        if not isinstance(amount, timedelta) or amount < timedelta(0):
            raise ValidationError("amount", f"expected a non-negative timedelta, got {amount!r}")
        left = amount.total_seconds()
        if not left:
            return start
        a = start.astimezone(UTC)
        oa = self._local_ordinal(a)
        found, left = _consume(self._day_intervals(oa), a, left)
        if found is None:
            o, left = self._index.day_reaching(oa + 1, left)
            found, left = _consume(self._day_intervals(o), None, left)
        if found is None:  # pragma: no cover - day_reaching guarantees enough time
            raise AssertionError("working time ran out on the day chosen to reach it")
        return found.astimezone(start.tzinfo)

    # -- helpers ----------------------------------------------------------------------------

    def _local_ordinal(self, instant: datetime) -> int:
        return instant.astimezone(self.tz).date().toordinal()

    def _instant(self, day: date, seconds: int, *, end: bool) -> datetime:
        """The UTC instant of a wall-clock time on ``day``, resolving DST explicitly."""
        wall = datetime.combine(day, time(0), self.tz) + timedelta(seconds=seconds)
        if not datetime_exists(wall):
            # In a spring-forward gap: fold=0 maps to the pre-transition offset, which is
            # moving the time forward by the gap, as dateutil.tz.resolve_imaginary does.
            return wall.replace(fold=0).astimezone(UTC)
        return wall.replace(fold=1 if end else 0).astimezone(UTC)

    def _day_intervals(self, o: int) -> list[tuple[datetime, datetime]]:
        """The working intervals of local day ``o`` as UTC instants (none on a holiday)."""
        return [] if self._index.is_holiday(o) else self._hours_of(o)

    def _hours_of(self, o: int) -> list[tuple[datetime, datetime]]:
        day = date.fromordinal(o)
        return [
            (self._instant(day, s, end=False), self._instant(day, e, end=True))
            for s, e in self.hours[day.weekday()]
        ]

    def _exact_seconds(self, o: int) -> int:
        """Real working seconds of local day ``o``, holidays aside (differs on DST days)."""
        return sum(int((b - a).total_seconds()) for a, b in self._hours_of(o))


def _ordinal(day: date) -> int:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise ValidationError("day", f"expected a date (not a datetime), got {type(day).__name__}")
    return day.toordinal()


def _scan(source: Container[date], year: int) -> list[tuple[date, str]]:
    # A bare Container can only answer "is this day in you?": ask once per day, once a year.
    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal()
    days = [date.fromordinal(o) for o in range(first, last + 1)]
    names = source if isinstance(source, Mapping) else None
    return [(d, str(names.get(d, "holiday")) if names else "holiday") for d in days if d in source]


def _overlap(
    intervals: list[tuple[datetime, datetime]], a: datetime | None, b: datetime | None
) -> float:
    total = 0.0
    for s, e in intervals:
        lo = s if a is None or a < s else a
        hi = e if b is None or b > e else b
        if hi > lo:
            total += (hi - lo).total_seconds()
    return total


def _consume(
    intervals: list[tuple[datetime, datetime]], a: datetime | None, left: float
) -> tuple[datetime | None, float]:
    """Walk a day's intervals from ``a``; return the instant ``left`` seconds run out."""
    for s, e in intervals:
        lo = s if a is None or a < s else a
        if e <= lo:
            continue
        span = (e - lo).total_seconds()
        if left <= span:
            return lo + timedelta(seconds=left), 0.0
        left -= span
    return None, left


class _Index:
    """Per-calendar cache: holidays and DST days as sorted ordinals with prefix sums.

    Built a year at a time, on first use of that year; everything else is arithmetic.
    Ordinal 1 (0001-01-01) is a Monday, so ``(o + 6) % 7`` is the weekday of ordinal ``o``.
    """

    __slots__ = (
        "cal",
        "per_week",
        "prefix_days",
        "prefix_secs",
        "secs",
        "slots",
        "weekly_secs",
        "years",
    )

    def __init__(self, cal: BusinessCalendar) -> None:
        self.cal = cal
        # Weekdays in ordinal order: ordinal o has weekday (o + 6) % 7; o % 7 == 1 is Monday.
        working = [bool(cal.hours[d]) for d in range(7)]
        self.secs = [sum(e - s for s, e in cal.hours[d]) for d in range(7)]
        by_rem = [working[(r + 6) % 7] for r in range(7)]  # r = o % 7
        secs_by_rem = [self.secs[(r + 6) % 7] for r in range(7)]
        self.per_week = sum(working)
        self.weekly_secs = sum(self.secs)
        # prefix over r = 1..7 (Mon..Sun), with r = 0 meaning "none yet".
        order = [by_rem[r % 7] for r in range(1, 8)]
        self.prefix_days = [0, *accumulate(order)]
        self.prefix_secs = [0, *accumulate(secs_by_rem[r % 7] for r in range(1, 8))]
        # The k-th working weekday of a week (1-based) is at offset slots[k - 1] (1 = Monday).
        self.slots = [r for r in range(1, 8) if order[r - 1]]
        self.years = _Years.EMPTY

    # -- year cache -------------------------------------------------------------------------

    def ensure(self, o1: int, o2: int) -> _Years:
        """The cache covering ordinals o1..o2, extended (and swapped in whole) if needed."""
        years = self.years
        if years.lo_o <= o1 and o2 <= years.hi_o:
            return years
        y1 = date.fromordinal(max(o1, 1)).year
        y2 = date.fromordinal(min(o2, date.max.toordinal())).year
        if years.lo_o <= years.hi_o:  # not empty: keep what is covered already
            y1 = min(y1, date.fromordinal(years.lo_o).year)
            y2 = max(y2, date.fromordinal(years.hi_o).year)
        # Built aside and published with one assignment: threads sharing a calendar never
        # see a half-built cache.
        self.years = _Years.build(self, y1, y2)
        return self.years

    def is_holiday(self, o: int) -> bool:
        return o in self.ensure(o, o).holiday_set

    def holidays_in(self, a: int, b: int) -> int:
        """Holidays on working weekdays with ordinal in (a, b]."""
        hol = self.ensure(a, b).hol
        return bisect_right(hol, b) - bisect_right(hol, a)

    # -- working weekdays, ignoring holidays ------------------------------------------------

    def weekdays_upto(self, o: int) -> int:
        """Working weekdays with ordinal in [1, o]."""
        q, r = divmod(o, 7)
        return q * self.per_week + self.prefix_days[r]

    def nth_weekday(self, k: int) -> int:
        """The ordinal of the k-th working weekday counted from ordinal 1 (k >= 1)."""
        q, r = divmod(k - 1, self.per_week)
        return q * 7 + self.slots[r]

    # -- business days ----------------------------------------------------------------------

    def add_days(self, s: int, n: int) -> int:
        if n >= 0:
            # The last business day at or before s, then n more: one rule for every start.
            k = self.weekdays_upto(s)
            d = self.nth_weekday(k)
            while self.is_holiday(d):
                k -= 1
                d = self.nth_weekday(k)
            if n == 0:
                return d
            start = d
            k = self.weekdays_upto(start) + n
            d = self.nth_weekday(k)
            extra = self.holidays_in(start, d)
            while extra:
                k += extra
                nxt = self.nth_weekday(k)
                extra = self.holidays_in(d, nxt)
                d = nxt
            return d
        k = self.weekdays_upto(s) + n
        d = self.nth_weekday(k)
        extra = self.holidays_in(d, s)
        while extra:
            k -= extra
            nxt = self.nth_weekday(k)
            extra = self.holidays_in(nxt, d)
            d = nxt
        while self.is_holiday(d):
            k -= 1
            d = self.nth_weekday(k)
        return d

    # -- business time ----------------------------------------------------------------------

    def nominal_upto(self, o: int) -> int:
        """Wall-clock working seconds of the weekdays with ordinal in [1, o]."""
        q, r = divmod(o, 7)
        return q * self.weekly_secs + self.prefix_secs[r]

    def full_days(self, o1: int, o2: int) -> int:
        """Exact working seconds of whole days with ordinal in [o1, o2]."""
        if o2 < o1:
            return 0
        y = self.ensure(o1, o2)
        nominal = self.nominal_upto(o2) - self.nominal_upto(o1 - 1)
        h1, h2 = bisect_left(y.hol, o1), bisect_right(y.hol, o2)
        d1, d2 = bisect_left(y.dst, o1), bisect_right(y.dst, o2)
        return nominal - (y.hol_cum[h2] - y.hol_cum[h1]) + (y.dst_cum[d2] - y.dst_cum[d1])

    def day_reaching(self, o1: int, left: float) -> tuple[int, float]:
        """The first day ``o >= o1`` by whose end ``left`` seconds of work have passed, and
        the seconds still needed on that day."""
        # Guess with whole weeks of nominal time, then correct for holidays and DST days.
        base = self.nominal_upto(o1 - 1)
        o = self._nominal_day(base + left)
        while self.full_days(o1, o) < left:
            deficit = left - self.full_days(o1, o)
            o = max(o + 1, self._nominal_day(self.nominal_upto(o) + deficit))
        while o > o1 and self.full_days(o1, o - 1) >= left:
            o -= 1
        return o, left - self.full_days(o1, o - 1)

    def _nominal_day(self, target: float) -> int:
        """The first ordinal whose cumulative nominal working time reaches ``target``."""
        q, rem = divmod(target, self.weekly_secs)
        q = int(q)
        if rem == 0:
            q -= 1
            rem = self.weekly_secs
        r = next(r for r in range(1, 8) if self.prefix_secs[r] >= rem)
        return q * 7 + r


class _Years:
    """Holidays and DST days of a range of years, immutable once built.

    ``hol`` holds the holidays on working weekdays and ``hol_cum`` the running total of their
    nominal working seconds; ``dst`` holds the working days whose UTC offset changes and
    ``dst_cum`` the running total of (real - nominal) seconds on them.
    """

    __slots__ = ("dst", "dst_cum", "hi_o", "hol", "hol_cum", "holiday_set", "lo_o")
    EMPTY: _Years

    def __init__(
        self,
        *,
        lo_o: int,
        hi_o: int,
        hol: list[int],
        hol_cum: list[int],
        dst: list[int],
        dst_cum: list[int],
    ) -> None:
        self.lo_o, self.hi_o = lo_o, hi_o
        self.hol, self.hol_cum, self.holiday_set = hol, hol_cum, frozenset(hol)
        self.dst, self.dst_cum = dst, dst_cum

    @classmethod
    def build(cls, index: _Index, y1: int, y2: int) -> _Years:
        cal = index.cal
        hol = sorted(
            {
                d.toordinal()
                for year in range(y1, y2 + 1)
                for d, _ in cal.holidays(year)
                if cal.hours[d.weekday()]
            }
        )
        taken = frozenset(hol)
        dst = [
            o
            for year in range(y1, y2 + 1)
            for o in _dst_days(cal.tz, year)
            if cal.hours[(o + 6) % 7] and o not in taken
        ]
        secs = index.secs
        real = [cal._exact_seconds(o) - secs[(o + 6) % 7] for o in dst]  # noqa: SLF001
        return cls(
            lo_o=date(y1, 1, 1).toordinal(),
            hi_o=date(y2, 12, 31).toordinal(),
            hol=hol,
            hol_cum=[0, *accumulate(secs[(o + 6) % 7] for o in hol)],
            dst=dst,
            dst_cum=[0, *accumulate(real)],
        )


_Years.EMPTY = _Years(lo_o=1, hi_o=0, hol=[], hol_cum=[0], dst=[], dst_cum=[0])


def _dst_days(zone: tzinfo, year: int) -> list[int]:
    """Ordinals of the local days in ``year`` whose UTC offset changes during the day."""

    def offset(o: int) -> timedelta | None:
        return datetime.combine(date.fromordinal(o), time(0), zone).utcoffset()

    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal() + 1
    found: list[int] = []
    # Weekly samples, then bisection inside the weeks whose offset changed.
    points = [*range(first, last, 7), last]
    for lo, hi in pairwise(points):
        if offset(lo) == offset(hi):
            continue
        a, b = lo, hi
        while b - a > 1:
            mid = (a + b) // 2
            if offset(mid) == offset(a):
                a = mid
            else:
                b = mid
        found.append(a)  # the offset changes during local day a
    return found


# -- built-in calendars ---------------------------------------------------------------------

_NEXT = Observance.NEXT_WORKING_DAY

_UK_COMMON: tuple[Rule, ...] = (
    FixedDate("New Year's Day", 1, 1, _NEXT),
    EasterOffset("Good Friday", -2),
    NthWeekday("Early May bank holiday", 5, MONDAY, 1, since=1978),
    NthWeekday("Spring bank holiday", 5, MONDAY, -1, since=1971),
    FixedDate("Christmas Day", 12, 25, _NEXT),
    FixedDate("Boxing Day", 12, 26, _NEXT),
)

# One-off UK-wide changes (Banking and Financial Dealings Act 1971 proclamations).
_UK_ONE_OFFS: tuple[Rule, ...] = (
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
