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
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Literal

import attrs

from recoverykit import _arguments as a
from recoverykit import _validation as v
from recoverykit.case import Case

__all__ = [
    "RepeatComplainant",
    "Theme",
    "ThemeKey",
    "related_cases",
    "repeat_complainants",
    "themes",
]

# -- themes ---------------------------------------------------------------------------------

#: What `themes` can count cases by.
ThemeKey = Literal["category", "product", "channel", "root_cause"]

_KEYS: dict[str, Callable[[Case], Iterable[str]]] = {
    "category": lambda c: () if c.complaint.category is None else (c.complaint.category,),
    "product": lambda c: () if c.complaint.product is None else (c.complaint.product,),
    "channel": lambda c: (c.complaint.channel.value,),
    "root_cause": lambda c: {rc.id for rc in c.root_causes},
}


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
    by: ThemeKey = "category",
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
    dated by receipt. Themes are returned flagged first, then by latest count and key; the
    result does not depend on the order of ``cases``. One pass, linear in the cases.

    Raises:
        InvalidType: an argument (or one of ``cases``) has the wrong type.
        UnknownName: ``by`` is not one of ``category``, ``product``, ``channel``,
            ``root_cause``.
        ValidationError: ``now`` is naive, ``window`` is not positive, or one of
            ``baseline_windows``, ``min_count``, ``ratio`` is below 1.
    """
    v.require_aware(now, "now")
    key_of = _KEYS[a.one_of(by, _KEYS, "by")]
    a.duration(window, "window", positive=True)
    a.integer(baseline_windows, "baseline_windows", minimum=1)
    a.integer(min_count, "min_count", minimum=1)
    a.integer(ratio, "ratio", minimum=1)
    latest: dict[str, int] = defaultdict(int)
    base: dict[str, int] = defaultdict(int)
    for case in a.each(cases, Case, "cases"):
        age = now - case.complaint.received_at
        if age <= timedelta(0):
            continue
        slot = (age - timedelta.resolution) // window  # 0 is the latest window
        if slot > baseline_windows:
            continue
        counts = latest if slot == 0 else base
        for key in key_of(case):
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

    Raises:
        InvalidType: an argument (or one of ``cases``) has the wrong type.
        ValidationError: ``window`` is negative or ``min_cases`` is below 2.
    """
    a.duration(window, "window")
    a.integer(min_cases, "min_cases", minimum=2)
    by_customer: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for case in a.each(cases, Case, "cases"):
        by_customer[case.complaint.customer.id].append((case.complaint.received_at, case.id))
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
    complaint is not handled twice.

    Raises:
        InvalidType: an argument (or one of ``cases``) has the wrong type.
        ValidationError: ``window`` is negative.
    """
    a.require(case, Case, "case")
    a.duration(window, "window")
    customer = case.complaint.customer.id
    found = [
        other
        for other in a.each(cases, Case, "cases")
        if other.id != case.id
        and other.complaint.customer.id == customer
        and not other.is_end
        and abs(other.complaint.received_at - case.complaint.received_at) <= window
    ]
    return tuple(sorted(found, key=lambda c: (c.complaint.received_at, c.id)))
