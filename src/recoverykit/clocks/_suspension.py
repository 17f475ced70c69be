"""Regulator suspensions: dates during which a clock is treated as not running.

A pause follows the case (it is paused while the case waits for the customer); a
suspension follows the calendar and the rule: the FCA's DISP App 5 says that, for
motor-finance commission complaints received in a period, "time is to be treated as not
running" for the 8-week final response between two dates. Which cases it covers is data
(receipt dates and complaint tags), so a clock that carries it still saves and loads.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import attrs
from dateutil.tz import resolve_imaginary

from recoverykit import _validation as v
from recoverykit._instants import before
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.errors import InvalidType, ValidationError


def _tags(value: str | Iterable[str]) -> frozenset[str]:
    given: object = value
    if isinstance(given, str):
        return frozenset((given,))
    if isinstance(given, bytes) or not isinstance(given, Iterable):
        raise InvalidType("Suspension.tags", f"expected tags (str), got {v.type_name(given)}")
    tags = tuple(given)
    for i, tag in enumerate(tags):
        if not isinstance(tag, str) or not tag.strip():
            raise InvalidType(f"Suspension.tags[{i}]", f"expected a tag (str), got {tag!r}")
    return frozenset(tags)


def _day(instance: object, attribute: attrs.Attribute[date], value: object) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        v.fail_type(instance, attribute, f"expected a date, got {v.type_name(value)}")


def _optional_day(instance: object, attribute: attrs.Attribute[date | None], value: object) -> None:
    if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
        v.fail_type(instance, attribute, f"expected a date or None, got {v.type_name(value)}")


@attrs.frozen(kw_only=True)
class Suspension:
    """Whole days, in the calendar's zone, during which the clock is treated as not running
    for the cases it selects.

    Args:
        name: Stable identifier (``"disp_app5_dca"``).
        first_day: The first day the clock does not run.
        last_day: The last day the clock does not run (inclusive).
        received_from: Only complaints received on or after this day (None: no lower bound).
        received_to: Only complaints received on or before this day (None: no upper bound).
        tags: Only complaints carrying at least one of these tags (empty: every complaint).
        reference: The rule, cited.

    For a cycle that started before ``first_day`` and was still running then, the deadline
    moves later by the number of days suspended (in local days, so the time of day stays).
    A cycle that starts inside the suspension runs as if it had started at the end of
    ``last_day``: a day-based target counts the day after the suspension as its first day.
    A pause of the clock (``Clock.pause_in``) adds nothing for the time it overlaps a
    suspension: that time is already not running.
    """

    name: str = attrs.field(validator=v.text())
    first_day: date = attrs.field(validator=_day)
    last_day: date = attrs.field(validator=_day)
    received_from: date | None = attrs.field(default=None, validator=_optional_day)
    received_to: date | None = attrs.field(default=None, validator=_optional_day)
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=_tags)
    reference: str = attrs.field(validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValidationError(
                "Suspension.last_day",
                f"{self.last_day} is before first_day {self.first_day}; "
                "expected a day on or after it",
            )
        if (
            self.received_from is not None
            and self.received_to is not None
            and self.received_to < self.received_from
        ):
            raise ValidationError(
                "Suspension.received_to",
                f"{self.received_to} is before received_from {self.received_from}",
            )

    @property
    def days(self) -> int:
        """How many days the clock does not run."""
        return (self.last_day - self.first_day).days + 1

    def selects(self, case: Case, calendar: BusinessCalendar) -> bool:
        """Whether the suspension covers ``case`` (its receipt day and tags)."""
        complaint = case.complaint
        if self.tags and self.tags.isdisjoint(complaint.tags):
            return False
        received = complaint.received_at.astimezone(calendar.tz).date()
        if self.received_from is not None and received < self.received_from:
            return False
        return self.received_to is None or received <= self.received_to

    def window(self, calendar: BusinessCalendar) -> tuple[datetime, datetime]:
        """The suspension as instants: midnight starting ``first_day`` to midnight ending
        ``last_day``, in the calendar's zone."""
        end_day = self.last_day + timedelta(days=1)
        return _midnight(self.first_day, calendar), _midnight(end_day, calendar)


def _midnight(day: date, calendar: BusinessCalendar) -> datetime:
    wall = datetime.combine(day, time(0), calendar.tz)
    resolved: datetime = resolve_imaginary(wall)  # a zone that skips midnight
    return resolved


def shifted(due: datetime, days: int, calendar: BusinessCalendar) -> datetime:
    """``due`` moved ``days`` local days later, at the same wall-clock time."""
    local = due.astimezone(calendar.tz)
    moved = (local.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=calendar.tz)
    resolved: datetime = resolve_imaginary(moved)
    return resolved


def covers(window: tuple[datetime, datetime], start: datetime, due: datetime) -> str | None:
    """How a window meets a cycle from ``start`` to ``due``: "inside" (it starts in the
    window), "across" (it was running when the window began), or None."""
    window_start, window_end = window
    if not before(start, window_end) or not before(window_start, due):
        return None
    return "across" if before(start, window_start) else "inside"
