"""Deadline kinds: the `DeadlineKind` protocol and the built-in kinds.

A kind turns the start of a clock cycle into its (exclusive) deadline on a business
calendar. An app adds a kind with one class: a ``tag`` class attribute (how it is saved;
register the class with `recoverykit.serialization.register_tagged`) and a ``due`` method.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import ClassVar, Protocol, runtime_checkable

import attrs
from dateutil.relativedelta import relativedelta

from recoverykit import _validation as v
from recoverykit.calendars import BusinessCalendar
from recoverykit.errors import InvalidType


@runtime_checkable
class DeadlineKind(Protocol):
    """What a clock's target is: one small class computes the deadline.

    An app adds a kind ("10 working days from acknowledgement", "the last business day of the
    next month") by writing a class with:

    - ``tag``: a class attribute, a stable non-empty string that names the kind in saved
      data. Keep it when the class is renamed; prefix an app's own tags (``"acme.…"``).
    - ``due(start, calendar)``: the deadline of a cycle that started at the aware instant
      ``start``, as an aware datetime. The deadline is exclusive: the clock is breached once
      time passes it. Pauses and extensions are the clock's business, not the kind's.

    Make it a frozen attrs class with plain-typed fields, as the built-in kinds are: then it
    compares, hashes, pickles, and a converter can save and load it by its tag.

    It replaces the closed union ``Target``, which remains as a deprecated alias.
    """

    tag: ClassVar[str]

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        """The exclusive deadline of a cycle started at ``start`` (before any pause)."""
        ...


def _count(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        v.fail_type(instance, attribute, f"expected int >= 0, got {v.type_name(value)}")
    if value < 0:
        v.fail(instance, attribute, f"{value} is negative, must be >= 0")


def _day_of(start: datetime, calendar: BusinessCalendar) -> date:
    """The local day of ``start`` in the calendar's zone."""
    return start.astimezone(calendar.tz).date()


def _end_of(day: date, calendar: BusinessCalendar) -> datetime:
    """Midnight at the end of ``day`` in the calendar's zone."""
    return datetime.combine(day + timedelta(days=1), time(0), calendar.tz)


@attrs.frozen
class BusinessDays:
    """The end of the n-th business day after the day the clock starts."""

    tag: ClassVar[str] = "business_days"
    n: int = attrs.field(validator=_count)

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        return _end_of(calendar.add_business_days(_day_of(start, calendar), self.n), calendar)


@attrs.frozen
class CloseOfBusinessAfter:
    """Close of business on the n-th business day after the day the clock starts."""

    tag: ClassVar[str] = "close_of_business_after"
    n: int = attrs.field(validator=_count)

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        day = calendar.add_business_days(_day_of(start, calendar), self.n)
        return calendar.close_of_business(day)


@attrs.frozen
class CalendarDays:
    """The end of the n-th calendar day after the day the clock starts."""

    tag: ClassVar[str] = "calendar_days"
    n: int = attrs.field(validator=_count)

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        return _end_of(_day_of(start, calendar) + timedelta(days=self.n), calendar)


@attrs.frozen
class Weeks:
    """The end of the day n weeks after the day the clock starts."""

    tag: ClassVar[str] = "weeks"
    n: int = attrs.field(validator=_count)

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        return _end_of(_day_of(start, calendar) + timedelta(weeks=self.n), calendar)


@attrs.frozen
class Months:
    """The end of the day n calendar months after the day the clock starts (31 January plus
    one month is 28 or 29 February)."""

    tag: ClassVar[str] = "months"
    n: int = attrs.field(validator=_count)

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        return _end_of(_day_of(start, calendar) + relativedelta(months=self.n), calendar)


@attrs.frozen
class BusinessHours:
    """An amount of working time after the instant the clock starts."""

    tag: ClassVar[str] = "business_hours"
    hours: int = attrs.field(validator=_count)
    minutes: int = attrs.field(default=0, validator=_count)

    @property
    def duration(self) -> timedelta:
        return timedelta(hours=self.hours, minutes=self.minutes)

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        return calendar.add_business_hours(start, self.duration)


_BUILT_IN = (BusinessDays, CloseOfBusinessAfter, CalendarDays, Weeks, Months, BusinessHours)


def _check_kind(value: object, path: str) -> DeadlineKind:
    """``value`` if it is a deadline kind (an instance, not a class), else `InvalidType`."""
    kind_tag = getattr(type(value), "tag", None)
    if (
        isinstance(value, type)
        or not isinstance(value, DeadlineKind)
        or not callable(getattr(value, "due", None))
    ):
        names = ", ".join(k.__name__ for k in _BUILT_IN)
        raise InvalidType(
            path, f"expected one of {names} or another DeadlineKind, got {v.type_name(value)}"
        )
    if not isinstance(kind_tag, str) or not kind_tag.strip():
        raise InvalidType(
            path,
            f"{type(value).__name__}.tag must be a non-empty str class attribute, "
            f"got {v.type_name(kind_tag)}",
        )
    return value


@attrs.frozen
class LaterOf:
    """The later of ``target``'s deadline and the end of ``day`` (in the calendar's zone).

    For rules that give "the later of 15 months after the final response or 29 July 2026"
    (FCA DISP App 5's referral window for motor-finance complaints).
    """

    tag: ClassVar[str] = "later_of"
    target: DeadlineKind = attrs.field()
    day: date = attrs.field()

    def __attrs_post_init__(self) -> None:
        _check_kind(self.target, "LaterOf.target")
        if isinstance(self.day, datetime) or not isinstance(self.day, date):
            raise InvalidType("LaterOf.day", f"expected a date, got {v.type_name(self.day)}")

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        due = self.target.due(start, calendar)
        floor = _end_of(self.day, calendar)
        return floor if due.astimezone(UTC) < floor.astimezone(UTC) else due


@attrs.frozen
class SwitchOn:
    """``before`` for cycles that start before ``day``, ``after`` for the rest (the day in
    the calendar's zone): a target the law changed on a date.

    The FCA's referral window for motor-finance complaints is "the later of 15 months or
    29 July 2026" for final responses sent up to 29 January 2026 and six months after.
    """

    tag: ClassVar[str] = "switch_on"
    day: date = attrs.field()
    before: DeadlineKind = attrs.field()
    after: DeadlineKind = attrs.field()

    def __attrs_post_init__(self) -> None:
        if isinstance(self.day, datetime) or not isinstance(self.day, date):
            raise InvalidType("SwitchOn.day", f"expected a date, got {v.type_name(self.day)}")
        _check_kind(self.before, "SwitchOn.before")
        _check_kind(self.after, "SwitchOn.after")

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        kind = self.before if _day_of(start, calendar) < self.day else self.after
        return kind.due(start, calendar)
