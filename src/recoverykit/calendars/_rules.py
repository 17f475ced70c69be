"""Holiday rules: the `HolidayRule` protocol, the built-in rules and `HolidayRules`.

A rule only says on which date(s) it falls in a year and what the holiday is called. What is
common to every rule is done once, by `HolidayRules`, for built-in and app rules alike: the
years a rule applies (``since``/``until``), cancelled dates, and substitute days when a
holiday falls on a day that is not worked (``observance``).
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable
from datetime import MAXYEAR, MINYEAR, date, datetime
from typing import Any, ClassVar, Protocol, TypeGuard, runtime_checkable

import attrs
from dateutil.easter import easter

from recoverykit import _validation as v
from recoverykit.errors import InvalidType, ValidationError

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)


class Observance(enum.StrEnum):
    """What happens when a holiday falls on a day that is not a working day."""

    NONE = "none"
    """Nothing: the holiday is lost (it is not a working day anyway)."""
    NEXT_WORKING_DAY = "next_working_day"
    """UK substitute days: the next working day that is not already a holiday, so when
    Christmas and Boxing Day both fall on a weekend they move to Monday and Tuesday."""
    NEAREST_WEEKDAY = "nearest_weekday"
    """US federal (5 U.S.C. 6103(b)): Saturday moves to Friday, Sunday to Monday."""


@runtime_checkable
class HolidayRule(Protocol):
    """A rule that places a holiday in a year: the one class an app writes for its own.

    An app's rule is a frozen attrs class whose fields are plain values (so a converter can
    save and load it) with a stable ``tag``, a ``name`` and ``dates(year)``. It may also have
    these attributes, which `HolidayRules` then applies exactly as for the built-in rules:

    - ``observance`` (an `Observance`, default ``Observance.NONE``): substitute days;
    - ``since`` and ``until`` (a year or None): the first and last year the rule applies.

    Cancelled dates are `HolidayRules`' business and work for every rule.
    """

    tag: ClassVar[str]
    """Names the rule's class in saved data; never change it once data is stored."""

    @property
    def name(self) -> str:
        """The holiday's name, e.g. ``"Midsummer Eve"``."""

    def dates(self, year: int) -> Iterable[date]:
        """The date(s) the holiday falls on in ``year`` (1..9999), before substitute days.

        Usually one date or none; a date just outside ``year`` is allowed (Easter - 100
        days can fall in December of the year before)."""


def _year_or_none(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        v.fail_type(
            instance, attribute, f"expected a year (int) or None, got {type(value).__name__}"
        )


def is_collection(value: object) -> TypeGuard[Iterable[Any]]:
    """Whether ``value`` can be a collection of items (a str is iterable, but not that)."""
    return isinstance(value, Iterable) and not isinstance(value, str | bytes)


def check_year(year: object, path: str = "year") -> int:
    """``year`` if it is an int year that a `date` can hold, else a clear error."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidType(path, f"expected a year (int), got {v.type_name(year)}")
    if not MINYEAR <= year <= MAXYEAR:
        raise ValidationError(path, f"{year} is out of range, allowed {MINYEAR}..{MAXYEAR}")
    return year


def _in_years(rule: object, year: int) -> bool:
    since, until = getattr(rule, "since", None), getattr(rule, "until", None)
    return (since is None or year >= since) and (until is None or year <= until)


@attrs.frozen
class FixedDate:
    """The same day every year, e.g. Christmas Day on 25 December."""

    tag: ClassVar[str] = "fixed_date"

    name: str = attrs.field(validator=v.text())
    month: int = attrs.field(validator=v.int_between(1, 12))
    day: int = attrs.field(validator=v.int_between(1, 31))
    observance: Observance = attrs.field(default=Observance.NONE, validator=v.member_of(Observance))
    since: int | None = attrs.field(default=None, validator=_year_or_none, kw_only=True)
    until: int | None = attrs.field(default=None, validator=_year_or_none, kw_only=True)

    def __attrs_post_init__(self) -> None:
        try:
            date(2000, self.month, self.day)  # a leap year, so 29 February is allowed
        except ValueError:
            raise ValidationError(
                "FixedDate.day", f"{self.month}/{self.day} is not a day of the year"
            ) from None

    def dates(self, year: int) -> tuple[date, ...]:
        day = self.on(year)
        return () if day is None else (day,)

    def on(self, year: int) -> date | None:
        """The day in ``year``, or None (outside since..until, or 29 February)."""
        if not _in_years(self, check_year(year)):
            return None
        if self.month == 2 and self.day == 29 and not calendar.isleap(year):
            return None
        return date(year, self.month, self.day)


@attrs.frozen
class NthWeekday:
    """The n-th given weekday of a month; ``n=-1`` is the last one (US Memorial Day)."""

    tag: ClassVar[str] = "nth_weekday"

    name: str = attrs.field(validator=v.text())
    month: int = attrs.field(validator=v.int_between(1, 12))
    weekday: int = attrs.field(validator=v.int_between(0, 6))
    n: int = attrs.field(validator=v.int_between(-5, 5))
    observance: Observance = attrs.field(default=Observance.NONE, validator=v.member_of(Observance))
    since: int | None = attrs.field(default=None, validator=_year_or_none, kw_only=True)
    until: int | None = attrs.field(default=None, validator=_year_or_none, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.n == 0:
            raise ValidationError("NthWeekday.n", "0 is not an occurrence; use 1..5 or -1..-5")

    def dates(self, year: int) -> tuple[date, ...]:
        day = self.on(year)
        return () if day is None else (day,)

    def on(self, year: int) -> date | None:
        """The day in ``year``, or None (outside since..until, or no fifth such weekday)."""
        if not _in_years(self, check_year(year)):
            return None
        # Day-of-month arithmetic, so December 9999 needs no day after it.
        first_weekday, length = calendar.monthrange(year, self.month)
        if self.n > 0:
            dom = 1 + (self.weekday - first_weekday) % 7 + 7 * (self.n - 1)
        else:
            last_weekday = (first_weekday + length - 1) % 7
            dom = length - (last_weekday - self.weekday) % 7 - 7 * (-self.n - 1)
        return date(year, self.month, dom) if 1 <= dom <= length else None


@attrs.frozen
class EasterOffset:
    """A day relative to Western Easter Sunday: Good Friday is -2, Easter Monday +1."""

    tag: ClassVar[str] = "easter_offset"

    name: str = attrs.field(validator=v.text())
    days: int = attrs.field(validator=v.int_between(-100, 100))
    observance: Observance = attrs.field(default=Observance.NONE, validator=v.member_of(Observance))
    since: int | None = attrs.field(default=None, validator=_year_or_none, kw_only=True)
    until: int | None = attrs.field(default=None, validator=_year_or_none, kw_only=True)

    def dates(self, year: int) -> tuple[date, ...]:
        day = self.on(year)
        return () if day is None else (day,)

    def on(self, year: int) -> date | None:
        """Easter Sunday of ``year`` plus ``days`` (None outside since..until, or when that
        day is before 0001-01-01)."""
        if not _in_years(self, check_year(year)):
            return None
        sunday = easter(year).toordinal() + self.days
        return date.fromordinal(sunday) if sunday >= 1 else None


def _day_only(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        v.fail_type(
            instance, attribute, f"expected a date (not a datetime), got {type(value).__name__}"
        )


@attrs.frozen
class OneOff:
    """A holiday that happens once (a royal wedding, a jubilee, a state funeral)."""

    tag: ClassVar[str] = "one_off"

    name: str = attrs.field(validator=v.text())
    day: date = attrs.field(validator=_day_only)
    observance: Observance = attrs.field(default=Observance.NONE, validator=v.member_of(Observance))

    def dates(self, year: int) -> tuple[date, ...]:
        return (self.day,) if self.day.year == check_year(year) else ()

    def on(self, year: int) -> date | None:
        return self.day if self.day.year == check_year(year) else None


def _rules(value: Iterable[HolidayRule]) -> tuple[HolidayRule, ...]:
    if not is_collection(value):
        raise InvalidType(
            "HolidayRules.rules",
            f"expected a list of holiday rules, got {v.type_name(value)} "
            "(wrap a single rule in a list)",
        )
    return tuple(value)


def _dates(value: Iterable[date]) -> frozenset[date]:
    if not is_collection(value):
        raise InvalidType(
            "HolidayRules.cancelled", f"expected a set of dates, got {v.type_name(value)}"
        )
    days = tuple(value)
    for i, day in enumerate(days):
        if isinstance(day, datetime) or not isinstance(day, date):
            raise InvalidType(
                f"HolidayRules.cancelled[{i}]",
                f"expected a date (not a datetime), got {v.type_name(day)}",
            )
    return frozenset(days)


_RULE_NEEDS = (
    "expected a HolidayRule (FixedDate, NthWeekday, EasterOffset, OneOff, or a class with "
    "a `tag`, a `name` and `dates(year)`)"
)


def _check_rule(rule: object, path: str, tags: dict[str, type]) -> None:
    if not isinstance(rule, HolidayRule) or not callable(rule.dates):
        raise InvalidType(path, f"{_RULE_NEEDS}, got {v.type_name(rule)}")
    cls = type(rule)
    tag = getattr(cls, "tag", None)
    if not isinstance(tag, str) or not tag.strip():
        raise InvalidType(f"{path}.tag", f"{cls.__name__}.tag must be a non-empty str class var")
    if tags.setdefault(tag, cls) is not cls:
        raise ValidationError(
            f"{path}.tag", f"{tag!r} is already the tag of {tags[tag].__name__}; tags are unique"
        )
    if not isinstance(rule.name, str):
        raise InvalidType(f"{path}.name", f"expected a str, got {v.type_name(rule.name)}")
    if not rule.name.strip():
        raise ValidationError(f"{path}.name", "must not be empty or blank")
    observance = getattr(rule, "observance", Observance.NONE)
    if not isinstance(observance, Observance):
        raise InvalidType(
            f"{path}.observance", f"expected an Observance, got {v.type_name(observance)}"
        )
    for field in ("since", "until"):
        year = getattr(rule, field, None)
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise InvalidType(
                f"{path}.{field}", f"expected a year or None, got {v.type_name(year)}"
            )


def _placed(rule: HolidayRule, year: int, path: str) -> list[date]:
    """The dates an (app's) rule gives for ``year``, checked: a bad rule fails clearly."""
    got = rule.dates(year)
    if not is_collection(got):
        raise InvalidType(
            path, f"{type(rule).__name__}.dates({year}) must give dates, got {v.type_name(got)}"
        )
    days = list(got)
    for day in days:
        if isinstance(day, datetime) or not isinstance(day, date):
            raise InvalidType(
                path,
                f"{type(rule).__name__}.dates({year}) gave {v.type_name(day)}, "
                "expected dates (not datetimes)",
            )
    return days


def _working(value: object) -> frozenset[int]:
    if not is_collection(value):
        raise InvalidType(
            "working_weekdays", f"expected a set of weekdays 0..6, got {v.type_name(value)}"
        )
    days = tuple(value)
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int):
            raise InvalidType("working_weekdays", f"expected weekdays 0..6, got {v.type_name(day)}")
        if not 0 <= day <= 6:
            raise ValidationError("working_weekdays", f"{day} is not 0 (Monday) .. 6 (Sunday)")
    return frozenset(days)


@attrs.frozen(cache_hash=True)  # a regime's closed days key its calendar cache
class HolidayRules:
    """A set of holiday rules, applied together so that substitute days do not collide.

    ``rules`` holds any `HolidayRule`, built-in or an app's own. ``cancelled`` removes dates
    a rule would give (the 2022 spring bank holiday moved from 30 May to 2 June for the
    Platinum Jubilee: cancel the one, add the other as a `OneOff`).
    """

    rules: tuple[HolidayRule, ...] = attrs.field(converter=_rules)
    cancelled: frozenset[date] = attrs.field(default=frozenset(), converter=_dates)

    def __attrs_post_init__(self) -> None:
        tags: dict[str, type] = {}
        for i, rule in enumerate(self.rules):
            _check_rule(rule, f"HolidayRules.rules[{i}]", tags)

    def observed(self, year: int, working_weekdays: Iterable[int]) -> list[tuple[date, str]]:
        """The holidays observed in ``year``, substitute days included, sorted by date."""
        year = check_year(year)
        working = _working(working_weekdays)
        raw: list[tuple[date, HolidayRule]] = []
        # Observance can cross a year end; years a date cannot hold are skipped (so a
        # Saturday 1 January 10000 is not observed on Friday 31 December 9999).
        for y in range(max(year - 1, MINYEAR), min(year + 1, MAXYEAR) + 1):
            for i, rule in enumerate(self.rules):
                if not _in_years(rule, y):
                    continue
                days = _placed(rule, y, f"HolidayRules.rules[{i}]")
                raw.extend((day, rule) for day in days if day not in self.cancelled)
        taken = {day for day, _ in raw if day.weekday() in working}
        out: list[tuple[date, str]] = []
        for day, placed_by in raw:
            observance = getattr(placed_by, "observance", Observance.NONE)
            if day.weekday() not in working and observance is not Observance.NONE:
                substitute = _substitute(day, observance, working, taken)
                if substitute is None:  # it would be outside the dates a `date` can hold
                    continue
                taken.add(substitute)
                out.append((substitute, f"{placed_by.name} (substitute day)"))
            else:
                out.append((day, placed_by.name))
        return sorted(pair for pair in out if pair[0].year == year)


def _substitute(
    day: date, observance: Observance, working: frozenset[int], taken: set[date]
) -> date | None:
    last = date.max.toordinal()
    o = day.toordinal()
    if observance is Observance.NEAREST_WEEKDAY:
        o += -1 if day.weekday() == SATURDAY else 1
    elif not working:  # no working day to move to
        return None
    else:
        o += 1
        # Ordinal o is weekday (o + 6) % 7; stop at the end of the range rather than overflow.
        while o <= last and ((o + 6) % 7 not in working or date.fromordinal(o) in taken):
            o += 1
    return date.fromordinal(o) if 1 <= o <= last else None
