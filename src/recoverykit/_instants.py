"""Comparing and subtracting datetimes as instants, never as wall times.

Python compares and subtracts two aware datetimes that share a ``tzinfo`` object by their
wall-clock fields alone: in Europe/London, 01:10 in the second (GMT) 01:00-02:00 of an
autumn clock change compares *earlier* than 01:30 in the first (BST), though it happens
40 minutes later, and an hour is lost or gained when subtracting across the change. Every
"earlier", "later" and "how long" in recoverykit goes through these helpers.

A shared fixed offset (``datetime.timezone``) has no such problem, and datetimes with
different ``tzinfo`` objects are already compared as instants by Python; only the remaining
case pays for the conversion to UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

__all__ = ["before", "elapsed", "not_after", "utc"]


def _wall(a: datetime, b: datetime) -> bool:
    """True when Python would compare ``a`` and ``b`` by wall time and that could be wrong."""
    return a.tzinfo is b.tzinfo and a.tzinfo.__class__ is not timezone


def utc(at: datetime) -> datetime:
    """``at`` as a UTC datetime: a sort key that orders by instant."""
    return at.astimezone(UTC)


def before(a: datetime, b: datetime) -> bool:
    """``a`` happens strictly before ``b``."""
    zone = a.tzinfo  # _wall, inlined: this runs once an event on every hot path
    if zone is b.tzinfo and zone.__class__ is not timezone:
        return a.astimezone(UTC) < b.astimezone(UTC)
    return a < b


def not_after(a: datetime, b: datetime) -> bool:
    """``a`` happens at or before ``b``."""
    if _wall(a, b):
        return a.astimezone(UTC) <= b.astimezone(UTC)
    return a <= b


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The time from ``start`` to ``end`` (negative when ``end`` comes first)."""
    if _wall(start, end):
        return end.astimezone(UTC) - start.astimezone(UTC)
    return end - start
