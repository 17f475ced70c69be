"""Interest on redress: simple interest, dated rate series, and the Financial Ombudsman's
two methods (8% simple; Bank Rate plus one percentage point from 2026)."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import attrs

from recoverykit import _validation as v
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.model import Money
from recoverykit.redress._result import Line, Redress, day_of, money_of, rate_of, to_penny

_HUNDRED = Decimal(100)


def _year(value: object) -> Decimal:
    if value not in (365, 366) or isinstance(value, bool):
        raise ValidationError("days_in_year", f"expected 365 or 366, got {value!r}")
    return Decimal(value)


def _span(start: object, end: object) -> tuple[date, date, int]:
    first, last = day_of(start, "start"), day_of(end, "end")
    days = (last - first).days
    if days < 0:
        raise ValidationError("end", f"{last} is before start {first}; expected a later day")
    return first, last, days


def simple_interest(
    principal: Money,
    *,
    rate: Decimal | int | str,
    start: date,
    end: date,
    rule: str = "simple interest",
    days_in_year: int = 365,
) -> Redress:
    """Simple interest on ``principal`` at ``rate`` percent a year from ``start`` to ``end``.

    The day count is stated, not assumed: actual days from ``start`` (counted) to ``end``
    (not counted) over ``days_in_year`` (365 by default, in leap years too; 366 is the other
    choice). The Financial Ombudsman's "8% simple a year" does not state its divisor in any
    text we could find; 365 is the usual reading, and each line says which was used. The
    result is rounded to the penny once, halves away from zero.

    Raises:
        InvalidType: an argument of the wrong type (a float rate is refused: use a string).
        ValidationError: ``end`` is before ``start``, or the rate is negative or not finite.
    """
    money = money_of(principal, "principal")
    percent = rate_of(rate, "rate")
    if percent < 0:
        raise ValidationError("rate", f"{percent} is negative; expected a rate of 0 or more")
    year = _year(days_in_year)
    first, last, days = _span(start, end)
    interest = to_penny(money.amount * percent / _HUNDRED * days / year)
    label = f"{percent}% a year on {money.amount:,.2f} for {days} days ({first} to {last}), /{year}"
    return Redress(Money(interest, money.currency), (Line(label, interest, rule),))


def _changes(value: Iterable[tuple[date, Decimal | int | str]]) -> tuple[tuple[date, Decimal], ...]:
    given: object = value
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidType(
            "RateSeries.changes",
            f"expected an iterable of (date, rate) pairs, got {v.type_name(given)}",
        )
    out: dict[date, Decimal] = {}
    for i, item in enumerate(given):
        if not isinstance(item, tuple) or len(item) != 2:
            raise InvalidType(
                f"RateSeries.changes[{i}]", f"expected a (date, rate) pair, got {v.type_name(item)}"
            )
        day = day_of(item[0], f"RateSeries.changes[{i}][0]")
        rate = rate_of(item[1], f"RateSeries.changes[{i}][1]")
        if day in out:
            raise ValidationError(f"RateSeries.changes[{i}]", f"two rates from {day}")
        out[day] = rate
    if not out:
        raise ValidationError("RateSeries.changes", "expected at least one (date, rate) pair")
    return tuple(sorted(out.items()))


@attrs.frozen
class RateSeries:
    """A dated series of rates: each ``(day, percent a year)`` applies from that day until
    the next change. The caller passes the series and names its ``source``."""

    name: str = attrs.field(validator=v.text())
    changes: tuple[tuple[date, Decimal], ...] = attrs.field(converter=_changes)
    source: str = attrs.field(validator=v.text())

    def rate_on(self, day: date) -> Decimal:
        """The rate in force on ``day``.

        Raises:
            UnknownName: ``day`` is before the first change (the series does not know it).
        """
        day = day_of(day, "day")
        days = [d for d, _ in self.changes]
        i = bisect.bisect_right(days, day) - 1
        if i < 0:
            raise UnknownName("day", f"{self.name} starts on {days[0]}; got {day}")
        return self.changes[i][1]

    def segments(self, start: date, end: date) -> tuple[tuple[date, date, Decimal], ...]:
        """``(from, to, rate)`` for each stretch of ``start`` to ``end`` with one rate."""
        first, last, _ = _span(start, end)
        self.rate_on(first)  # the series must know the first day
        cuts = [d for d, _ in self.changes if first < d < last]
        bounds = [first, *cuts, last]
        return tuple((a, b, self.rate_on(a)) for a, b in itertools.pairwise(bounds) if a < b)


#: The Financial Ombudsman's deprivation interest from 1 January 2026 (cases referred on or
#: after that day): Bank Rate plus one percentage point.
FOS_BASE_RATE_CHANGE = date(2026, 1, 1)
_FOS_8 = "Financial Ombudsman Service: 8% simple a year (cases referred before 1 January 2026)"
_FOS_BR = (
    "Financial Ombudsman Service: Bank of England base rate plus 1 percentage point, simple, "
    "time-weighted over the period (cases referred on or after 1 January 2026)"
)


def fos_interest(
    principal: Money,
    *,
    start: date,
    end: date,
    referred_on: date,
    bank_rate: RateSeries | None = None,
    days_in_year: int = 365,
) -> Redress:
    """The Financial Ombudsman Service's interest on money a customer was deprived of, from
    ``start`` (the day of loss) to ``end`` (the day of settlement).

    For a case referred to the Ombudsman before 1 January 2026: 8% simple a year. For one
    referred on or after it: the Bank of England's base rate plus one percentage point,
    simple, time-weighted over the period: each stretch at one Bank Rate earns
    ``(rate + 1)% x days / 365``; the lines show each stretch, the total is rounded once.

    ``bank_rate`` is the dated Bank Rate series to use, needed for a case referred on or
    after 1 January 2026. recoverykit ships none: the Bank of England's own record could not
    be checked when this was written, and a rate table that silently goes stale would give
    wrong redress. Load it from the Bank's database (series IUMABEDR) and pass it.

    Raises:
        InvalidType: an argument of the wrong type.
        ValidationError: ``end`` is before ``start``.
        UnknownName: ``start`` is before the first day ``bank_rate`` knows.
    """
    money = money_of(principal, "principal")
    referred = day_of(referred_on, "referred_on")
    year = _year(days_in_year)
    if referred < FOS_BASE_RATE_CHANGE:
        return simple_interest(
            money, rate=8, start=start, end=end, rule=_FOS_8, days_in_year=days_in_year
        )
    series = bank_rate
    if series is None:
        raise ValidationError(
            "bank_rate",
            f"a case referred on {referred} (on or after {FOS_BASE_RATE_CHANGE}) needs the "
            "Bank Rate series: pass bank_rate=RateSeries(...)",
        )
    if not isinstance(series, RateSeries):
        raise InvalidType("bank_rate", f"expected a RateSeries, got {v.type_name(series)}")
    first, last, days = _span(start, end)
    lines: list[Line] = []
    exact = Decimal(0)
    weighted = Decimal(0)
    for a, b, rate in series.segments(first, last):
        n = (b - a).days
        weighted += (rate + 1) * n
        exact += money.amount * (rate + 1) / _HUNDRED * n / year
        label = f"{a} to {b}: {n} days at Bank Rate {rate}% + 1 = {rate + 1}%"
        lines.append(Line(label, None, series.source))
    interest = to_penny(exact)
    average = (weighted / days).quantize(Decimal("0.0001")) if days else Decimal(0)
    label = f"on {money.amount:,.2f} for {days} days, average {average}% a year, /{year}"
    lines.append(Line(label, interest, _FOS_BR))
    return Redress(Money(interest, money.currency), tuple(lines))
