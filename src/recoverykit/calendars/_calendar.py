"""`BusinessCalendar`: working days and hours in one zone, and the arithmetic on them."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from typing import TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from dateutil.tz import datetime_exists

from recoverykit import _validation as v
from recoverykit._instants import before
from recoverykit.calendars._index import MAX_ORDINAL, Index
from recoverykit.calendars._rules import (
    MONDAY,
    SATURDAY,
    HolidayRules,
    check_year,
    is_collection,
)
from recoverykit.errors import InvalidType, RecoveryKitError, ValidationError

_DAY = 86_400

HolidaySource: TypeAlias = "HolidayRules | Container[date]"

_Interval = tuple[int, int]  # seconds after local midnight, end up to 86400

_AFTER_MAX = "the result would be after 9999-12-31, the last day a date can hold"
_BEFORE_MIN = "the result would be before 0001-01-01, the first day a date can hold"


@contextmanager
def _in_range(path: str, message: str) -> Iterator[None]:
    """Turn Python's "year 10000 is out of range" into our error, with a path."""
    try:
        yield
    except RecoveryKitError:
        raise
    except (OverflowError, ValueError):
        raise ValidationError(path, message) from None


def _is_source(value: object) -> bool:
    # A str is a Container too, but "2026-12-25" in "Christmas" is not a holiday test.
    return isinstance(value, HolidayRules) or (
        isinstance(value, Container) and not isinstance(value, str | bytes)
    )


def _sources(value: Iterable[HolidaySource]) -> tuple[HolidaySource, ...]:
    if not is_collection(value):
        raise InvalidType(
            "BusinessCalendar.holidays_from",
            "expected a list of holiday sources (HolidayRules or containers of dates), got "
            f"{v.type_name(value)}; wrap a single source in a list",
        )
    return tuple(value)


def _zone(value: str | tzinfo) -> tzinfo:
    if isinstance(value, tzinfo):
        try:
            offset = value.utcoffset(datetime(2000, 1, 1))  # noqa: DTZ001 - asking the zone
        except Exception:  # noqa: BLE001 - any tzinfo subclass may fail in its own way
            offset = None
        if not isinstance(offset, timedelta):
            raise ValidationError(
                "BusinessCalendar.tz", f"{value!r} gives no UTC offset; use an IANA zone"
            )
        return value
    if not isinstance(value, str):
        raise InvalidType(
            "BusinessCalendar.tz",
            f"expected an IANA zone name or tzinfo, got {v.type_name(value)}",
        )
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError(
            "BusinessCalendar.tz", f"unknown time zone {value!r} (use an IANA name)"
        ) from None


def _seconds(t: object, path: str, *, end: bool) -> int:
    if not isinstance(t, time):
        raise InvalidType(path, f"expected a time, got {t!r}")
    if t.tzinfo is not None:
        raise ValidationError(path, "working hours are wall-clock times; drop the tzinfo")
    s = t.hour * 3600 + t.minute * 60 + t.second
    return _DAY if end and s == 0 else s


def _check_day(spans: Sequence[_Interval], path: str) -> None:
    for i, (a, b) in enumerate(spans):
        if a >= b:
            raise ValidationError(path, f"interval {i} ends before it starts")
        if i and a < spans[i - 1][1]:
            raise ValidationError(path, f"interval {i} overlaps the one before")


def _is_week(value: tuple[object, ...]) -> bool:
    """Whether ``value`` is the stored form of the hours (given back by `attrs.evolve`)."""
    return len(value) == 7 and all(
        isinstance(day, tuple)
        and all(
            isinstance(span, tuple)
            and len(span) == 2
            and all(type(x) is int and 0 <= x <= _DAY for x in span)
            for span in day
        )
        for day in value
    )


def _hours(
    value: Mapping[int, Sequence[tuple[time, time]]] | tuple[tuple[_Interval, ...], ...],
) -> tuple[tuple[_Interval, ...], ...]:
    if isinstance(value, tuple) and _is_week(value):
        for weekday, day in enumerate(value):
            _check_day(day, f"BusinessCalendar.hours[{weekday}]")
        return value
    if not isinstance(value, Mapping):
        raise InvalidType(
            "BusinessCalendar.hours",
            f"expected a mapping of weekday (0=Monday) to intervals, got {v.type_name(value)}",
        )
    week: list[tuple[_Interval, ...]] = [()] * 7
    for weekday, intervals in value.items():
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValidationError(
                "BusinessCalendar.hours", f"weekday {weekday!r} is not 0 (Monday) .. 6 (Sunday)"
            )
        path = f"BusinessCalendar.hours[{weekday}]"
        if not is_collection(intervals):
            raise InvalidType(
                path, f"expected a list of (start, end) times, got {v.type_name(intervals)}"
            )
        spans: list[_Interval] = []
        for i, pair in enumerate(intervals):
            if not is_collection(pair) or not isinstance(pair, Sequence) or len(pair) != 2:
                raise InvalidType(
                    f"{path}[{i}]", f"expected a (start, end) pair of times, got {pair!r}"
                )
            spans.append(
                (
                    _seconds(pair[0], f"{path}[{i}]", end=False),
                    _seconds(pair[1], f"{path}[{i}]", end=True),
                )
            )
        spans.sort()
        _check_day(spans, path)
        week[weekday] = tuple(spans)
    return tuple(week)


# Read-only: it is every calendar's default, so no app may change it for the others.
NINE_TO_FIVE: Mapping[int, Sequence[tuple[time, time]]] = MappingProxyType(
    {d: ((time(9), time(17)),) for d in range(MONDAY, SATURDAY)}
)


@attrs.frozen(repr=False)
class BusinessCalendar:
    """Working days and hours in one time zone, minus holidays.

    Args:
        tz: An IANA zone name (``"Europe/London"``) or a tzinfo.
        hours: Working intervals per weekday (0 = Monday), as ``(start, end)`` wall-clock
            times; an end of ``time(0)`` means midnight at the end of the day. Weekdays
            without intervals are not working days. Default: Monday-Friday 09:00-17:00.
        holidays_from: A sequence of holiday sources, each `HolidayRules` or any
            ``Container[date]`` (a set, ``holidays.country_holidays("GB")``); a date that
            any source holds is a holiday. Default: none.
        name: For display.
    """

    tz: tzinfo = attrs.field(converter=_zone)
    hours: tuple[tuple[_Interval, ...], ...] = attrs.field(default=NINE_TO_FIVE, converter=_hours)
    holidays_from: tuple[HolidaySource, ...] = attrs.field(default=(), converter=_sources)
    name: str = attrs.field(default="business calendar", validator=v.text())
    _index: Index = attrs.field(init=False, eq=False, hash=False)
    # Calendars made by `union`, by what was added: a regime adds its closed days on every
    # evaluation, and a new calendar would start with a cold year cache each time.
    _unions: dict[tuple[BusinessCalendar | HolidaySource, ...], BusinessCalendar] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        if not any(self.hours):
            raise ValidationError("BusinessCalendar.hours", "there is no working day in the week")
        for i, source in enumerate(self.holidays_from):
            if not _is_source(source):
                raise InvalidType(
                    f"BusinessCalendar.holidays_from[{i}]",
                    f"expected HolidayRules or a Container of dates, got {type(source).__name__}",
                )
        object.__setattr__(self, "_index", Index(self))
        object.__setattr__(self, "_unions", {})

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
        """This calendar with the holidays of ``others`` added (zone and hours stay).

        The same (hashable) ``others`` give the same calendar object back, with the years it
        has already worked out.
        """
        try:
            known = self._unions.get(others)
        except TypeError:  # a source that cannot be hashed (a dict of dates): no reuse
            return self._union(others)
        if known is None:
            known = self._unions[others] = self._union(others)
        return known

    def _union(self, others: tuple[BusinessCalendar | HolidaySource, ...]) -> BusinessCalendar:
        sources = list(self.holidays_from)
        for i, other in enumerate(others):
            if isinstance(other, BusinessCalendar):
                sources.extend(other.holidays_from)
            elif _is_source(other):
                sources.append(other)
            else:
                raise InvalidType(
                    f"others[{i}]",
                    "expected a BusinessCalendar, HolidayRules or a Container of dates, "
                    f"got {v.type_name(other)}",
                )
        return attrs.evolve(self, holidays_from=tuple(sources))

    def with_hours(self, hours: Mapping[int, Sequence[tuple[time, time]]]) -> BusinessCalendar:
        return attrs.evolve(self, hours=hours)

    # -- holidays ---------------------------------------------------------------------------

    def holidays(self, year: int) -> list[tuple[date, str]]:
        """Every holiday observed in ``year`` as (date, name), sorted; weekends included
        only when a source lists them (a one-off on a Saturday)."""
        year = check_year(year)
        found: dict[date, str] = {}
        working = self.working_weekdays
        for source in self.holidays_from:
            if isinstance(source, HolidayRules):
                pairs: Iterable[tuple[date, str]] = source.observed(year, working)
            else:
                pairs = _scan(source, year)
            for day, name in pairs:
                if day not in found:
                    found[day] = name
                elif name not in found[day].split("; "):  # two sources, one holiday: once
                    found[day] = f"{found[day]}; {name}"
        return sorted(found.items())

    def is_holiday(self, day: date) -> bool:
        return self._index.is_holiday(_ordinal(day, "day"))

    def is_business_day(self, day: date) -> bool:
        """A working weekday that is not a holiday."""
        o = _ordinal(day, "day")
        return bool(self.hours[(o + 6) % 7]) and not self._index.is_holiday(o)

    # -- day arithmetic ---------------------------------------------------------------------

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in ``(start, end]``; negative when ``end`` is before ``start``."""
        a, b = _ordinal(start, "start"), _ordinal(end, "end")
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        index = self._index
        return sign * (index.weekdays_upto(b) - index.weekdays_upto(a) - index.holidays_in(a, b))

    def add_business_days(self, start: date, n: int) -> date:
        """The business day ``n`` business days after ``start`` (before it when negative).

        A start that is not a business day counts as the business day before it.

        Raises:
            ValidationError: the result would be outside 0001-01-01..9999-12-31.
        """
        if start.__class__ is date and n.__class__ is int:
            # Within the cached years: two lookups in the numbering of business days.
            years = self._index.years
            i = start.toordinal() - years.lo_o
            if 0 <= i <= years.hi_o - years.lo_o:
                rolled = years.rank[i]  # the start, rolled back, is the rolled-th
                k = rolled + n
                if rolled and 0 < k <= len(years.by_rank):
                    return date.fromordinal(years.by_rank[k - 1] + years.lo_o)
        s = _ordinal(start, "start")
        if isinstance(n, bool) or not isinstance(n, int):
            raise InvalidType("n", f"expected an int number of days, got {type(n).__name__}")
        return self._add_days(s, n, "n")

    def _add_days(self, s: int, n: int, path: str) -> date:
        index = self._index
        # Holidays only push the result further out: if the working weekdays alone leave the
        # range, so does the result (and no cache is built for thousands of years).
        nominal = index.nth_weekday(index.weekdays_upto(s) + n) if n else s
        if n > 0 and nominal > MAX_ORDINAL:
            raise ValidationError(path, _AFTER_MAX)
        if n < 0 and nominal < 1:
            raise ValidationError(path, _BEFORE_MIN)
        o = index.add_days(s, n)
        if o > MAX_ORDINAL:
            raise ValidationError(path, _AFTER_MAX)
        if o < 1:
            raise ValidationError(path, _BEFORE_MIN)
        return date.fromordinal(o)

    def next_business_day(self, day: date) -> date:
        """``day`` itself if it is a business day, else the first business day after it."""
        if self.is_business_day(day):
            return day
        return self._add_days(day.toordinal(), 1, "day")

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
        with _in_range(
            "day", f"close of business on {day.isoformat()} is outside the range of datetimes"
        ):
            return self._instant(day, end, end=True).astimezone(self.tz)

    # -- time arithmetic --------------------------------------------------------------------

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two instants (negative when ``end`` is before ``start``)."""
        v.require_aware(start, "start")
        v.require_aware(end, "end")
        first, last = ("start", start), ("end", end)
        sign = 1
        if before(end, start):
            first, last, sign = last, first, -1
        (pa, a), (pb, b) = first, last
        a, oa = self._locate(a, pa)
        b, ob = self._locate(b, pb)
        if oa == ob:
            seconds = _overlap(self._intervals_at(oa, a, pa), a, b)
        else:
            head = _overlap(self._intervals_at(oa, a, pa), a, None)
            tail = _overlap(self._intervals_at(ob, b, pb), None, b)
            seconds = head + self._index.full_days(oa + 1, ob - 1) + tail
        return sign * timedelta(seconds=seconds)

    def add_business_hours(self, start: datetime, amount: timedelta) -> datetime:
        """The instant when ``amount`` of working time has passed after ``start``.

        Landing exactly on the end of a working interval returns that end (17:00), not the
        start of the next one.

        Raises:
            ValidationError: the result would be after 9999-12-31.
        """
        v.require_aware(start, "start")
        if not isinstance(amount, timedelta):
            raise InvalidType("amount", f"expected a timedelta, got {v.type_name(amount)}")
        if amount < timedelta(0):
            raise ValidationError("amount", f"expected a non-negative timedelta, got {amount!r}")
        left = amount.total_seconds()
        if not left:
            return start
        a, oa = self._locate(start, "start")
        today = self._intervals_at(oa, start, "start")
        index = self._index
        # Whole weeks of nominal time (plus generous DST slack) bound what is left in the
        # range: beyond it, fail at once instead of building a cache up to year 9999.
        years = (MAX_ORDINAL - oa) // 365 + 2
        if left > index.nominal_upto(MAX_ORDINAL) - index.nominal_upto(oa - 1) + years * 4 * 3600:
            raise ValidationError("amount", _AFTER_MAX)
        with _in_range("amount", _AFTER_MAX):
            found, left = _consume(today, a, left)
            if found is None:
                o, left = index.day_reaching(oa + 1, left)
                if o > MAX_ORDINAL:
                    raise ValidationError("amount", _AFTER_MAX)
                found, left = _consume(self._day_intervals(o), None, left)
            if found is None:  # pragma: no cover - day_reaching guarantees enough time
                raise AssertionError("working time ran out on the day chosen to reach it")
            return found.astimezone(start.tzinfo)

    # -- helpers ----------------------------------------------------------------------------

    def _locate(self, instant: datetime, path: str) -> tuple[datetime, int]:
        """``instant`` in UTC and the ordinal of its local day."""
        with _in_range(path, _too_close(instant)):
            utc = instant.astimezone(UTC)
            return utc, utc.astimezone(self.tz).date().toordinal()

    def _intervals_at(
        self, o: int, instant: datetime, path: str
    ) -> list[tuple[datetime, datetime]]:
        """`_day_intervals` of the local day of ``instant`` (at ``path``), range-checked."""
        with _in_range(path, _too_close(instant)):
            return self._day_intervals(o)

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


def _too_close(instant: datetime) -> str:
    return (
        f"{instant.isoformat()} is too close to the ends of the date range "
        "(0001-01-01..9999-12-31) to place its working day"
    )


def _ordinal(day: object, path: str) -> int:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise InvalidType(path, f"expected a date (not a datetime), got {type(day).__name__}")
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
