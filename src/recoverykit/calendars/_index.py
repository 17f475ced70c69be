"""The per-calendar cache behind `BusinessCalendar` arithmetic (private).

Holidays and DST days are kept as sorted ordinals with prefix sums, a year at a time, so that
business-day and business-time arithmetic never walks day by day. The cache covers the years
a `date` can hold (1..9999); ordinals outside them have no holidays and no DST days, so the
arithmetic may step past either end and the caller reports the result as out of range.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import accumulate, compress, pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recoverykit.calendars._calendar import BusinessCalendar

MAX_ORDINAL = date.max.toordinal()


class Index:
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
        self.years = Years.EMPTY

    # -- year cache -------------------------------------------------------------------------

    def ensure(self, o1: int, o2: int) -> Years:
        """The cache covering ordinals o1..o2, extended (and swapped in whole) if needed."""
        # Only days a date can hold have holidays: clamp to them (both ways, since the
        # arithmetic may ask about ordinals past either end).
        o1 = min(max(o1, 1), MAX_ORDINAL)
        o2 = min(max(o2, 1), MAX_ORDINAL)
        years = self.years
        if years.lo_o <= o1 and o2 <= years.hi_o:
            return years
        y1 = date.fromordinal(o1).year
        y2 = date.fromordinal(o2).year
        if years.lo_o <= years.hi_o:  # not empty: keep what is covered already
            y1 = min(y1, date.fromordinal(years.lo_o).year)
            y2 = max(y2, date.fromordinal(years.hi_o).year)
        # Built aside and published with one assignment: threads sharing a calendar never
        # see a half-built cache.
        self.years = Years.build(self, y1, y2)
        return self.years

    def is_holiday(self, o: int) -> bool:
        return 1 <= o <= MAX_ORDINAL and o in self.ensure(o, o).holiday_set

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


class Years:
    """Holidays and DST days of a range of years, immutable once built.

    ``hol`` holds the holidays on working weekdays and ``hol_cum`` the running total of their
    nominal working seconds; ``dst`` holds the working days whose UTC offset changes and
    ``dst_cum`` the running total of (real - nominal) seconds on them.
    """

    __slots__ = (
        "by_rank",
        "dst",
        "dst_cum",
        "hi_o",
        "hol",
        "hol_cum",
        "holiday_set",
        "lo_o",
        "rank",
    )
    EMPTY: Years

    def __init__(
        self,
        *,
        lo_o: int,
        hi_o: int,
        hol: list[int],
        hol_cum: list[int],
        dst: list[int],
        dst_cum: list[int],
        working: list[bool] | None = None,
    ) -> None:
        self.lo_o, self.hi_o = lo_o, hi_o
        self.hol, self.hol_cum, self.holiday_set = hol, hol_cum, frozenset(hol)
        self.dst, self.dst_cum = dst, dst_cum
        # Business days numbered over the cached days: rank[i] is how many of days lo_o..lo_o+i
        # are business days, by_rank[k - 1] the day (as lo_o + it) of the k-th. Adding n
        # business days is then two lookups, whatever n (see BusinessCalendar.add_business_days).
        days = hi_o - lo_o + 1
        if working is None or days <= 0:
            self.rank, self.by_rank = array("i"), array("i")
            return
        week = bytes(working[(lo_o + k + 6) % 7] for k in range(7))
        open_days = bytearray(week * (days // 7 + 1))[:days]
        for o in hol:
            open_days[o - lo_o] = 0
        self.rank = array("i", accumulate(open_days))
        self.by_rank = array("i", compress(range(days), open_days))

    @classmethod
    def build(cls, index: Index, y1: int, y2: int) -> Years:
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
            working=[bool(cal.hours[d]) for d in range(7)],
        )


Years.EMPTY = Years(lo_o=1, hi_o=0, hol=[], hol_cum=[0], dst=[], dst_cum=[0])


def _dst_days(zone: tzinfo, year: int) -> list[int]:
    """Ordinals of the local days in ``year`` whose UTC offset changes during the day."""

    def offset(o: int) -> timedelta | None:
        return datetime.combine(date.fromordinal(o), time(0), zone).utcoffset()

    first = date(year, 1, 1).toordinal()
    # Midnight after the year's last day; 9999 has none, so a change during its very last
    # day goes unseen (no zone has one there).
    last = min(date(year, 12, 31).toordinal() + 1, MAX_ORDINAL)
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
