"""Reading a portfolio for patterns: rising themes, customers who keep coming back, and the
same customer complaining on several channels at once.

These functions only read cases and return plain values to show; they record nothing. Acting
on what they find (linking cases, fixing a root cause and telling customers) is the work of
`recoverykit.loops`. Nothing reads the wall clock; ``now`` is always an argument.

These names used to live in `recoverykit.loops`; importing them from there still works,
with a `DeprecationWarning`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Literal

import attrs

from recoverykit import _arguments as a
from recoverykit import _validation as v
from recoverykit._grouping import KeyFunction, keys_for
from recoverykit._instants import elapsed, utc
from recoverykit.case import Case
from recoverykit.errors import ValidationError

__all__ = [
    "MAX_WINDOWS",
    "RepeatComplainant",
    "Theme",
    "ThemeKey",
    "ThemeSeries",
    "related_cases",
    "repeat_complainants",
    "theme_series",
    "themes",
]

# -- themes ---------------------------------------------------------------------------------

#: What `themes` and `theme_series` count cases by, besides a callable (`KeyFunction`).
ThemeKey = Literal[
    "category",
    "channel",
    "desired_remedy",
    "owner",
    "product",
    "root_cause",
    "severity",
    "tags",
    "team",
]


@attrs.frozen
class Theme:
    """How often one theme came up in the latest window, against its own baseline.

    ``baseline_total`` counts the ``baseline_windows`` windows before the latest one; the
    flagging rule compares integers, ``baseline`` is only for display.
    """

    key: str = attrs.field(validator=v.text())
    latest: int = attrs.field(validator=a.count())
    baseline_total: int = attrs.field(validator=a.count())
    baseline_windows: int = attrs.field(validator=a.count(1))
    flagged: bool = attrs.field(validator=a.flag)

    @property
    def baseline(self) -> float:
        """The mean count per baseline window."""
        return self.baseline_total / self.baseline_windows


def themes(
    cases: Iterable[Case],
    *,
    by: ThemeKey | KeyFunction = "category",
    window: timedelta = timedelta(days=30),
    now: datetime,
    baseline_windows: int = 3,
    min_count: int = 5,
    ratio: int = 2,
) -> tuple[Theme, ...]:
    """Count cases per theme in the latest window and flag the ones that rose sharply.

    The latest window is ``[now - window, now)``; the baseline is the ``baseline_windows``
    windows before it. A theme is flagged when its latest count is at least ``min_count``
    and at least ``ratio`` times its baseline mean (``latest * baseline_windows >= ratio *
    baseline_total``, in integers): "billing complaints doubled this month". Cases are
    dated by receipt, compared as instants. Themes are returned flagged first, then by
    latest count and key; the result does not depend on the order of ``cases``. One pass,
    linear in the cases.

    ``by`` takes the keys `metrics.portfolio` groups by: ``"category"``, ``"channel"``,
    ``"desired_remedy"``, ``"owner"`` and ``"team"`` (the current owner's), ``"product"``,
    ``"root_cause"``, ``"severity"``, ``"tags"`` (a case counts once under each tag or root
    cause), or a callable from a case to a key or an iterable of keys. A case with no key
    (no category, no owner, ...) counts under no theme.

    Raises:
        InvalidType: an argument (or one of ``cases``, or a result of ``by``) has the
            wrong type.
        UnknownName: ``by`` is a str that is not one of the keys above.
        ValidationError: ``now`` is naive, ``window`` is not positive, or one of
            ``baseline_windows``, ``min_count``, ``ratio`` is below 1.

    .. versionchanged:: Unreleased
       ``by`` takes desired_remedy, owner, team, severity, tags or a callable.
    """
    v.require_aware(now, "now")
    key_of = keys_for(by)
    a.duration(window, "window", positive=True)
    a.integer(baseline_windows, "baseline_windows", minimum=1)
    a.integer(min_count, "min_count", minimum=1)
    a.integer(ratio, "ratio", minimum=1)
    latest: dict[str, int] = defaultdict(int)
    base: dict[str, int] = defaultdict(int)
    # In UTC: two datetimes sharing a zone subtract as wall times, not as instants.
    end = now.astimezone(UTC)
    for i, case in enumerate(a.each(cases, Case, "cases")):
        age = end - case.complaint.received_at.astimezone(UTC)
        if age <= timedelta(0):
            continue
        slot = (age - timedelta.resolution) // window  # 0 is the latest window
        if slot > baseline_windows:
            continue
        counts = latest if slot == 0 else base
        for key in key_of(case, i):
            counts[key] += 1
    found = [
        Theme(
            key,
            latest.get(key, 0),
            base.get(key, 0),
            baseline_windows,
            flagged=latest.get(key, 0) >= min_count
            and latest.get(key, 0) * baseline_windows >= ratio * base.get(key, 0),
        )
        for key in latest.keys() | base.keys()
    ]
    return tuple(sorted(found, key=lambda t: (not t.flagged, -t.latest, t.key)))


@attrs.frozen
class ThemeSeries:
    """How many cases one theme had in each window of a `theme_series`.

    ``starts[k]`` is the instant window ``k`` starts (shown in the time zone of the
    ``start`` given to `theme_series`) and ``counts[k]`` the cases received in it.

    .. versionadded:: Unreleased
    """

    key: str = attrs.field(validator=v.text())
    starts: tuple[datetime, ...] = attrs.field(validator=v.tuple_of(datetime))
    counts: tuple[int, ...] = attrs.field(validator=v.tuple_of(int))

    def __attrs_post_init__(self) -> None:
        if len(self.starts) != len(self.counts):
            raise ValidationError(
                "ThemeSeries.counts",
                f"{len(self.counts)} counts for {len(self.starts)} window starts",
            )
        for k, n in enumerate(self.counts):
            if isinstance(n, bool) or n < 0:
                raise ValidationError(f"ThemeSeries.counts[{k}]", f"{n!r} is not a count >= 0")

    @property
    def total(self) -> int:
        """The cases over every window."""
        return sum(self.counts)


#: The most windows `theme_series` makes: more is a mistake (a window of seconds over
#: years), not a chart.
MAX_WINDOWS = 100_000


def theme_series(
    cases: Iterable[Case],
    *,
    by: ThemeKey | KeyFunction = "category",
    window: timedelta = timedelta(days=30),
    start: datetime,
    now: datetime,
) -> tuple[ThemeSeries, ...]:
    """Cases per theme in each window from ``start`` to ``now``: themes as a time series.

    Window ``k`` is ``[start + k * window, start + (k + 1) * window)`` in instants (a
    daylight-saving change does not stretch or shrink a window); the last one ends at
    ``now`` if ``now`` comes first. A case counts in the window of its receipt; cases
    received before ``start``, or at or after ``now``, are left out. ``by`` is what
    `themes` counts by; a case with no key counts under no theme. Every series has one
    count per window (zeros included); the series come largest total first, then by key,
    and do not depend on the order of ``cases``. One pass, linear in the cases.

    Raises:
        InvalidType: an argument (or one of ``cases``, or a result of ``by``) has the
            wrong type.
        UnknownName: ``by`` is a str that is not a key `themes` knows.
        ValidationError: ``start`` or ``now`` is naive, ``now`` is not after ``start``,
            ``window`` is not positive, or there would be more than `MAX_WINDOWS` windows.

    .. versionadded:: Unreleased
    """
    v.require_aware(start, "start")
    v.require_aware(now, "now")
    key_of = keys_for(by)
    a.duration(window, "window", positive=True)
    first, end = start.astimezone(UTC), now.astimezone(UTC)
    if end <= first:
        raise ValidationError("now", f"must be after start ({start.isoformat()})")
    n = -((first - end) // window)  # ceil((end - first) / window), in integers
    if n > MAX_WINDOWS:
        raise ValidationError(
            "window", f"{window} makes {n} windows from start to now, allowed {MAX_WINDOWS}"
        )
    counts: dict[str, list[int]] = {}
    for i, case in enumerate(a.each(cases, Case, "cases")):
        received = case.complaint.received_at.astimezone(UTC)
        if not first <= received < end:
            continue
        k = (received - first) // window
        for key in key_of(case, i):
            row = counts.get(key)
            if row is None:
                row = counts[key] = [0] * n
            row[k] += 1
    zone = start.tzinfo
    starts = tuple((first + k * window).astimezone(zone) for k in range(n))
    found = [ThemeSeries(key, starts, tuple(row)) for key, row in counts.items()]
    return tuple(sorted(found, key=lambda s: (-s.total, s.key)))


# -- repeat complainants --------------------------------------------------------------------


@attrs.frozen
class RepeatComplainant:
    """One customer who kept complaining, and the cases that show it."""

    customer_id: str = attrs.field(validator=v.text())
    case_ids: tuple[str, ...] = attrs.field(validator=v.tuple_of(str))
    """The customer's cases that came within ``window`` of another one, by receipt."""


def repeat_complainants(
    cases: Iterable[Case], *, window: timedelta, min_cases: int = 2
) -> tuple[RepeatComplainant, ...]:
    """Customers who complained at least ``min_cases`` times with gaps of at most
    ``window`` between consecutive complaints, sorted by customer id.

    Anonymous customers (`CustomerRef.anonymous`) are left out: nothing says two of their
    cases came from the same person, whatever placeholder id they share. Receipts are
    ordered and their gaps measured as instants.

    Raises:
        InvalidType: an argument (or one of ``cases``) has the wrong type.
        ValidationError: ``window`` is negative or ``min_cases`` is below 2.
    """
    a.duration(window, "window")
    a.integer(min_cases, "min_cases", minimum=2)
    by_customer: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for case in a.each(cases, Case, "cases"):
        customer = case.complaint.customer.known_id
        if customer is not None:
            by_customer[customer].append((utc(case.complaint.received_at), case.id))
    out = []
    for customer in sorted(by_customer):
        received = sorted(by_customer[customer])
        run = best = (0, 1)  # [start, end) indexes into ``received``
        for i in range(1, len(received)):
            close = received[i][0] - received[i - 1][0] <= window
            run = (run[0], i + 1) if close else (i, i + 1)
            if run[1] - run[0] > best[1] - best[0]:
                best = run
        if best[1] - best[0] >= min_cases:
            ids = tuple(cid for _, cid in received[best[0] : best[1]])
            out.append(RepeatComplainant(customer, ids))
    return tuple(out)


# -- the same customer on several channels --------------------------------------------------


def related_cases(case: Case, cases: Iterable[Case], *, window: timedelta) -> tuple[Case, ...]:
    """The same customer's other cases, still open, received within ``window`` of this one
    (any channel), sorted by receipt: candidates to link with `CaseLinked`, so one
    complaint is not handled twice. An anonymous customer (`CustomerRef.anonymous`) has
    none: placeholder ids say nothing about who complained.

    Raises:
        InvalidType: an argument (or one of ``cases``) has the wrong type.
        ValidationError: ``window`` is negative.
    """
    a.require(case, Case, "case")
    a.duration(window, "window")
    customer = case.complaint.customer.known_id
    found = [
        other
        for other in a.each(cases, Case, "cases")
        if customer is not None
        and other.id != case.id
        and other.complaint.customer.known_id == customer
        and not other.is_end
        and abs(elapsed(case.complaint.received_at, other.complaint.received_at)) <= window
    ]
    return tuple(sorted(found, key=lambda c: (utc(c.complaint.received_at), c.id)))
