"""Portfolio KPIs: the report, the per-case rules it counts by, and the one-pass tally.

The public names are re-exported by `recoverykit.metrics`, where they are documented.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from recoverykit import _arguments as a
from recoverykit import _validation as v
from recoverykit._grouping import KeyFunction, keys_for
from recoverykit._instants import elapsed, not_after
from recoverykit._rank import MICROSECOND, nearest_rank
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Assignment, Case
from recoverykit.clocks import Clock, ClockState, ClockStatus, evaluate_clocks
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.model import FollowUpPurpose, RemedyStatus
from recoverykit.scoring import Band, RuleSet, score

TENTH = Decimal("0.1")


def pct(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to one decimal, None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(TENTH, rounding=ROUND_HALF_EVEN)


def _duration(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    a.optional(value, timedelta, v.path_of(instance, attribute))


@attrs.frozen
class ClockRate:
    """How often one clock was met, among the cases where it has been decided."""

    clock: str = attrs.field(validator=v.text())
    met: int = attrs.field(validator=a.count())
    breached: int = attrs.field(validator=a.count())
    undecided: int = attrs.field(validator=a.count())
    """Still running, paused or not started."""

    @property
    def rate(self) -> Decimal | None:
        return pct(self.met, self.met + self.breached)


@attrs.frozen
class PortfolioReport:
    """KPIs over a set of cases. Rates are percentages with their counts beside them.

    Times to final response use the first final response and the nearest-rank percentile;
    ``business_*`` figures are present only when a calendar was given.

    **First-contact resolution** (``first_contact_resolutions``) counts, among the
    ``responded`` cases (a first final response at or before ``now``), those for which the
    ``first_contact`` rule given to `portfolio` holds; by default
    `resolved_at_first_contact`: no investigation was ever started and the case was never
    handed off, so the first person who took the complaint answered it.

    **Ping-pong** (``ping_pong``) counts the cases handed back to a team that already had
    them (`ping_ponged`): A -> B -> A, not A -> A -> B.

    **Breaches** (``breached``) counts the cases with at least one breached clock, among the
    ``timed`` cases (those with at least one clock status); ``breach_rate`` is their share.

    .. versionchanged:: Unreleased
       ``handoffs``, ``ping_pong``, ``timed`` and ``breached`` (with ``breach_rate`` and
       ``ping_pong_rate``), after ``groups`` so that positional construction still works.
    """

    cases: int = attrs.field(validator=a.count())
    by_state: tuple[tuple[str, int], ...] = attrs.field(validator=v.tuple_of(tuple))
    by_channel: tuple[tuple[str, int], ...] = attrs.field(validator=v.tuple_of(tuple))
    by_category: tuple[tuple[str, int], ...] = attrs.field(validator=v.tuple_of(tuple))
    clocks: tuple[ClockRate, ...] = attrs.field(validator=v.tuple_of(ClockRate))
    responded: int = attrs.field(validator=a.count())
    first_contact_resolutions: int = attrs.field(validator=a.count())
    reopened: int = attrs.field(validator=a.count())
    median_time_to_response: timedelta | None = attrs.field(validator=_duration)
    p90_time_to_response: timedelta | None = attrs.field(validator=_duration)
    median_business_time_to_response: timedelta | None = attrs.field(validator=_duration)
    p90_business_time_to_response: timedelta | None = attrs.field(validator=_duration)
    remedy_value: tuple[tuple[str, Decimal], ...] = attrs.field(validator=v.tuple_of(tuple))
    """Delivered remedy value per currency, never summed across currencies."""
    follow_ups_scheduled: int = attrs.field(validator=a.count())
    follow_ups_done: int = attrs.field(validator=a.count())
    linked_to_root_cause: int = attrs.field(validator=a.count())
    loop_closed: int = attrs.field(validator=a.count())
    """Cases linked to a root cause whose customer completed a change notification."""
    bands: tuple[tuple[str, int], ...] = attrs.field(validator=v.tuple_of(tuple))
    groups: tuple[tuple[str, PortfolioReport], ...] = attrs.field(
        default=(), validator=v.tuple_of(tuple)
    )
    """One (key, sub-report) pair per key of ``by``, sorted by key."""
    handoffs: int = attrs.field(default=0, validator=a.count())
    """Hand-offs between owners, summed over the cases (`Case.handoffs`)."""
    ping_pong: int = attrs.field(default=0, validator=a.count())
    """Cases handed back to a team that already had them (`ping_ponged`)."""
    timed: int = attrs.field(default=0, validator=a.count())
    """Cases with at least one clock status."""
    breached: int = attrs.field(default=0, validator=a.count())
    """Cases with at least one breached clock."""

    @property
    def first_contact_resolution_rate(self) -> Decimal | None:
        return pct(self.first_contact_resolutions, self.responded)

    @property
    def reopen_rate(self) -> Decimal | None:
        return pct(self.reopened, self.cases)

    @property
    def follow_up_completion_rate(self) -> Decimal | None:
        return pct(self.follow_ups_done, self.follow_ups_scheduled)

    @property
    def loop_closed_rate(self) -> Decimal | None:
        return pct(self.loop_closed, self.linked_to_root_cause)

    @property
    def ping_pong_rate(self) -> Decimal | None:
        """Share of the cases that ping-ponged between teams; None without cases."""
        return pct(self.ping_pong, self.cases)

    @property
    def breach_rate(self) -> Decimal | None:
        """Share of the timed cases with a breached clock; None when no case had a clock."""
        return pct(self.breached, self.timed)


# -- the per-case rules ---------------------------------------------------------------------


def resolved_at_first_contact(case: Case) -> bool:
    """Whether the case was resolved at first contact: the default rule of `portfolio`.

    True when the case has a final response, no investigation was ever started and it was
    never handed off: the first person who took the complaint answered it. Replace it with
    ``portfolio(..., first_contact=...)`` when your data records first contact otherwise
    (a "solved on call" flag, a response within the same day).

    Raises:
        InvalidType: ``case`` is not a `Case`.

    .. versionadded:: Unreleased
    """
    a.require(case, Case, "case")
    return (
        case.first_responded_at is not None
        and case.investigation_started_at is None
        and case.handoffs == 0
    )


def ping_ponged(case: Case) -> bool:
    """Whether the case was handed back to a team that already had it.

    The teams of the case's successive owners (`Case.ownership_history`), leaving out
    owners without a team and counting a team followed by itself once, form a sequence
    such as A, B, A. The case ping-ponged when a team comes back after another one:
    A -> B -> A and A -> B -> C -> B do; A -> A -> B and A -> (no team) -> A do not.

    Raises:
        InvalidType: ``case`` is not a `Case`.

    .. versionadded:: Unreleased
    """
    a.require(case, Case, "case")
    return _ping_pong(case.ownership_history)


def _ping_pong(history: Sequence[Assignment]) -> bool:
    if len(history) < 3:  # a return needs a first team, another, and the first again
        return False
    seen: set[str] = set()
    last = None
    for assignment in history:
        team = assignment.owner.team
        if team is None or team == last:
            continue
        if team in seen:
            return True
        seen.add(team)
        last = team
    return False


# -- the tally ------------------------------------------------------------------------------


class _Facts:
    """What one case adds to every tally it is counted in, worked out once."""

    __slots__ = ("band", "breached", "business", "case", "fcr", "ping_pong", "statuses", "time")

    def __init__(
        self,
        case: Case,
        *,
        statuses: Sequence[ClockStatus],
        band: Band,
        calendar: BusinessCalendar | None,
        now: datetime,
        first_contact: Callable[[Case], bool],
        index: int,
    ) -> None:
        self.case = case
        self.statuses = statuses
        self.band = band.value
        self.breached = bool(statuses) and any(s.status is ClockState.BREACHED for s in statuses)
        self.ping_pong = _ping_pong(case.ownership_history)
        self.time: timedelta | None = None
        self.business: timedelta | None = None
        self.fcr = False
        first = case.first_responded_at
        if first is not None and not_after(first, now):
            received = case.complaint.received_at
            self.time = elapsed(received, first)
            if calendar is not None:
                self.business = calendar.business_time_between(received, first)
            if first_contact is resolved_at_first_contact:  # its rule, without the call
                self.fcr = case.investigation_started_at is None and case.handoffs == 0
                return
            fcr: object = first_contact(case)
            if fcr.__class__ is not bool:
                raise InvalidType(
                    f"first_contact(cases[{index}])", f"expected a bool, got {v.type_name(fcr)}"
                )
            self.fcr = fcr is True


class _Tally:
    """Everything the report needs, gathered case by case in one pass."""

    def __init__(self) -> None:
        self.cases = 0
        self.states: Counter[str] = Counter()
        self.channels: Counter[str] = Counter()
        self.categories: Counter[str] = Counter()
        self.clock_counts: dict[str, Counter[ClockState]] = defaultdict(Counter)
        self.responded = self.fcr = self.reopened = 0
        # Exact percentiles from 8 bytes a case (microseconds in a C array), not a
        # timedelta object (48 bytes and a pointer) per case per list.
        self.times = array("q")
        self.business = array("q")
        self.money: dict[str, Decimal] = defaultdict(Decimal)
        self.scheduled = self.done = self.linked = self.closed_loop = 0
        self.bands: Counter[str] = Counter()
        self.handoffs = self.ping_pong = self.timed = self.breached = 0

    def add(self, facts: _Facts) -> None:
        case = facts.case
        self.cases += 1
        c = case.complaint
        self.states[case.state] += 1
        self.channels[c.channel.value] += 1
        self.categories[c.category or "(none)"] += 1
        if facts.statuses:
            self.timed += 1
            self.breached += facts.breached
            for s in facts.statuses:
                self.clock_counts[s.name][s.status] += 1
        if facts.time is not None:
            self.responded += 1
            self.fcr += facts.fcr
            self.times.append(facts.time // MICROSECOND)
            if facts.business is not None:
                self.business.append(facts.business // MICROSECOND)
        self.reopened += case.reopen_count > 0
        self.handoffs += case.handoffs
        self.ping_pong += facts.ping_pong
        for r in case.remedies:
            if r.status is RemedyStatus.DELIVERED and r.remedy.value is not None:
                self.money[r.remedy.value.currency] += r.remedy.value.amount
        self.scheduled += len(case.follow_ups)
        self.done += sum(f.is_done for f in case.follow_ups)
        if case.root_causes:
            self.linked += 1
            self.closed_loop += any(
                f.is_done and f.follow_up.purpose is FollowUpPurpose.CHANGE_NOTIFICATION
                for f in case.follow_ups
            )
        self.bands[facts.band] += 1

    def report(self, groups: tuple[tuple[str, PortfolioReport], ...] = ()) -> PortfolioReport:
        times, business = self.times, self.business
        has_business = bool(business)
        clocks = tuple(
            ClockRate(
                name,
                counts[ClockState.MET],
                counts[ClockState.BREACHED],
                counts.total() - counts[ClockState.MET] - counts[ClockState.BREACHED],
            )
            for name, counts in sorted(self.clock_counts.items())
        )
        return PortfolioReport(
            cases=self.cases,
            by_state=tuple(sorted(self.states.items())),
            by_channel=tuple(sorted(self.channels.items())),
            by_category=tuple(sorted(self.categories.items())),
            clocks=clocks,
            responded=self.responded,
            first_contact_resolutions=self.fcr,
            reopened=self.reopened,
            median_time_to_response=nearest_rank(times, 50),
            p90_time_to_response=nearest_rank(times, 90),
            median_business_time_to_response=nearest_rank(business, 50) if has_business else None,
            p90_business_time_to_response=nearest_rank(business, 90) if has_business else None,
            remedy_value=tuple(sorted(self.money.items())),
            follow_ups_scheduled=self.scheduled,
            follow_ups_done=self.done,
            linked_to_root_cause=self.linked,
            loop_closed=self.closed_loop,
            bands=tuple((b.value, self.bands[b.value]) for b in Band),
            groups=groups,
            handoffs=self.handoffs,
            ping_pong=self.ping_pong,
            timed=self.timed,
            breached=self.breached,
        )


# -- where the clock statuses come from -----------------------------------------------------

StatusSource = Callable[[Case, int], Sequence[ClockStatus]]


def status_source(
    clocks: object, statuses: object, calendar: BusinessCalendar | None, now: datetime
) -> StatusSource | None:
    """How `portfolio` gets a case's clock statuses: given, or evaluated from clocks; None
    when no case has any."""
    if statuses is not None:
        if clocks is not None:
            raise ValidationError(
                "statuses", "give clocks (to evaluate) or statuses (already evaluated), not both"
            )
        if not isinstance(statuses, Mapping):
            raise InvalidType(
                "statuses",
                f"expected a mapping of case id to clock statuses, or None, "
                f"got {v.type_name(statuses)}",
            )
        return _given(statuses)
    if clocks is None:
        return None
    if calendar is None:
        raise ValidationError("calendar", "clocks need a calendar to be evaluated")
    if callable(clocks):
        return _chosen(clocks, calendar, now)
    fixed = tuple(a.each(clocks, Clock, "clocks"))
    if not fixed:
        return None
    return lambda case, _i: evaluate_clocks(case, fixed, calendar=calendar, now=now)


def _given(statuses: Mapping[object, object]) -> StatusSource:
    def source(case: Case, i: int) -> Sequence[ClockStatus]:
        try:
            found = statuses[case.id]
        except KeyError:
            raise UnknownName(
                "statuses",
                f"no clock statuses for case {case.id!r} (cases[{i}]); give them for every "
                f"case, an empty tuple for a case without clocks",
            ) from None
        return checked_statuses(found, f"statuses[{case.id!r}]")

    return source


def checked_statuses(found: object, path: str) -> Sequence[ClockStatus]:
    """``found`` if it is a sequence of `ClockStatus`, else `InvalidType` at ``path``."""
    if found.__class__ is not tuple and (
        isinstance(found, str | bytes) or not isinstance(found, Sequence)
    ):
        raise InvalidType(path, f"expected a sequence of ClockStatus, got {v.type_name(found)}")
    for j, status in enumerate(found):
        if status.__class__ is not ClockStatus and not isinstance(status, ClockStatus):
            raise InvalidType(f"{path}[{j}]", f"expected ClockStatus, got {v.type_name(status)}")
    return found


def _chosen(
    clocks: Callable[[Case], Iterable[Clock]], calendar: BusinessCalendar, now: datetime
) -> StatusSource:
    def source(case: Case, i: int) -> Sequence[ClockStatus]:
        chosen = tuple(a.each(clocks(case), Clock, f"clocks(cases[{i}])"))
        return evaluate_clocks(case, chosen, calendar=calendar, now=now) if chosen else ()

    return source


# -- the pass -------------------------------------------------------------------------------

_NO_KEY = ("(none)",)


def run(
    cases: Iterable[Case],
    *,
    clocks: Iterable[Clock] | Callable[[Case], Iterable[Clock]] | None,
    calendar: BusinessCalendar | None,
    now: datetime,
    by: str | KeyFunction | None,
    ruleset: RuleSet,
    statuses: Mapping[str, Sequence[ClockStatus]] | None,
    first_contact: Callable[[Case], bool],
) -> PortfolioReport:
    """`metrics.portfolio`, once its documentation is read."""
    v.require_aware(now, "now")
    a.optional(calendar, BusinessCalendar, "calendar")
    a.require(ruleset, RuleSet, "ruleset")
    if not callable(first_contact):
        raise InvalidType(
            "first_contact",
            f"expected a callable from a case to bool, got {v.type_name(first_contact)}",
        )
    source = status_source(clocks, statuses, calendar, now)
    keys = None if by is None else keys_for(by)
    total = _Tally()
    parts: dict[str, _Tally] = defaultdict(_Tally)
    for i, case in enumerate(a.each(cases, Case, "cases")):
        found = source(case, i) if source is not None else ()
        band = score(case, ruleset=ruleset, statuses=found, now=now).band
        facts = _Facts(
            case,
            statuses=found,
            band=band,
            calendar=calendar,
            now=now,
            first_contact=first_contact,
            index=i,
        )
        total.add(facts)
        if keys is not None:
            for key in keys(case, i) or _NO_KEY:
                parts[key].add(facts)
    groups = tuple((name, parts[name].report()) for name in sorted(parts))
    return total.report(groups)
