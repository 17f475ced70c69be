"""Closing the loop: owners and escalation, follow-ups, root causes across cases, themes.

Complaints are wasted when nobody owns them, when the fix stops at one customer, and when
nobody tells customers what changed. Every function here is pure: it reads cases (and clock
statuses) and returns the events an app should record, or plain values to show. Nothing
reads the wall clock; ``now`` is always an argument.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

import attrs

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks import ClockState, ClockStatus
from recoverykit.errors import ValidationError
from recoverykit.lifecycle import Lifecycle
from recoverykit.model import Channel, Complaint, FollowUp, FollowUpPurpose, Owner, Severity

__all__ = [
    "EscalationPolicy",
    "EscalationRule",
    "FollowUpPolicy",
    "LoopClosure",
    "OverdueFollowUp",
    "RepeatComplainant",
    "RootCauseFixed",
    "RoutingRule",
    "SkipReason",
    "Skipped",
    "Theme",
    "close_the_loop",
    "due_actions",
    "overdue_follow_ups",
    "plan_follow_ups",
    "related_cases",
    "repeat_complainants",
    "route",
    "themes",
]

# -- routing --------------------------------------------------------------------------------


def _frozen(value: Iterable[object]) -> frozenset[object]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class RoutingRule:
    """Send matching complaints to ``owner``. Every criterion given must match; criteria left
    empty match anything."""

    owner: Owner = attrs.field(validator=v.instance_of(Owner))
    channels: frozenset[Channel] = attrs.field(default=frozenset(), converter=_frozen)
    categories: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    min_severity: Severity | None = attrs.field(
        default=None, validator=v.member_of(Severity, optional=True)
    )
    vulnerable: bool | None = None
    """True: only vulnerable customers; False: only others; None: anyone."""

    def matches(self, complaint: Complaint) -> bool:
        return (
            (not self.channels or complaint.channel in self.channels)
            and (not self.categories or complaint.category in self.categories)
            and (self.min_severity is None or complaint.severity.rank >= self.min_severity.rank)
            and (self.vulnerable is None or complaint.customer.vulnerable is self.vulnerable)
        )


def route(complaint: Complaint, rules: Sequence[RoutingRule]) -> Owner | None:
    """The owner of the first rule that matches, in the order given; None if none does.

    Put the most specific rules first (vulnerable customers, critical severity) and a
    catch-all rule last.
    """
    return next((rule.owner for rule in rules if rule.matches(complaint)), None)


# -- escalation -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class EscalationRule:
    """When ``clock`` reaches ``when``, escalate; and hand the case to ``assign_to`` if given.

    A ``warning`` rule also fires when the clock went straight to ``breached``.
    """

    clock: str = attrs.field(validator=v.text())
    when: ClockState = attrs.field()
    assign_to: Owner | None = attrs.field(
        default=None, validator=v.instance_of(Owner, optional=True)
    )
    reason: str | None = None

    @when.validator
    def _check_when(self, attribute: attrs.Attribute[ClockState], value: object) -> None:
        if value not in (ClockState.WARNING, ClockState.BREACHED):
            v.fail(self, attribute, f"expected ClockState.WARNING or BREACHED, got {value!r}")

    def fires_on(self, status: ClockStatus) -> bool:
        if status.name != self.clock:
            return False
        if self.when is ClockState.BREACHED:
            return status.status is ClockState.BREACHED
        return status.status in (ClockState.WARNING, ClockState.BREACHED)


def _rules(value: Iterable[EscalationRule]) -> tuple[EscalationRule, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class EscalationPolicy:
    """Milestone actions on clocks, and who may own a case.

    Args:
        rules: Checked in order; each fires at most once per clock cycle.
        forbid_handback: A case may not go back to someone who owned it before.
        second_stage_needs_new_owner: After the case is reopened (a stage 2 review), it must
            be owned by someone other than whoever owned it when the first final response
            was sent (UK Housing Ombudsman Complaint Handling Code, 6.7).
    """

    rules: tuple[EscalationRule, ...] = attrs.field(default=(), converter=_rules)
    forbid_handback: bool = False
    second_stage_needs_new_owner: bool = False

    def refusal(self, case: Case, owner: Owner) -> str | None:
        """Why ``owner`` may not take the case now, or None if they may."""
        if self.forbid_handback and any(a.owner == owner for a in case.ownership_history[:-1]):
            return f"owner {owner.id!r} owned the case before; hand-backs are not allowed"
        first = case.first_responded_at
        if self.second_stage_needs_new_owner and case.reopen_count and first is not None:
            stage_one = [a.owner for a in case.ownership_history if a.at <= first]
            if stage_one and stage_one[-1] == owner:
                return (
                    f"owner {owner.id!r} gave the stage 1 response; the stage 2 review needs "
                    "someone else"
                )
        return None

    def guard(self, case: Case, event: ev.Event) -> str | None:
        """A lifecycle guard enforcing the ownership rules on `OwnerAssigned`."""
        if isinstance(event, ev.OwnerAssigned):
            return self.refusal(case, event.owner)
        return None

    def apply_to(self, lifecycle: Lifecycle) -> Lifecycle:
        """``lifecycle`` with the ownership rules guarding every `OwnerAssigned`."""
        added = [
            attrs.evolve(t, guards=(*t.guards, self.guard))
            for t in lifecycle.transitions
            if t.event is ev.OwnerAssigned
        ]
        return lifecycle.derive(remove_transitions=[ev.OwnerAssigned], add_transitions=added)


def _trigger(status: ClockStatus, rule: EscalationRule) -> str:
    return f"{status.name}:{rule.when.value}:{status.cycles}"


def due_actions(
    case: Case,
    statuses: Iterable[ClockStatus],
    policy: EscalationPolicy,
    *,
    now: datetime,
) -> tuple[ev.Event, ...]:
    """The escalations (and hand-overs) the policy calls for now.

    Idempotent: an escalation records its trigger (clock, threshold, cycle), and a trigger
    already on the case never fires again, so calling this after recording its result
    returns nothing new. A hand-over the ownership rules forbid is left out; the escalation
    still happens.
    """
    v.require_aware(now, "now")
    actions: list[ev.Event] = []
    seen = set(case.escalation_triggers)
    owner = case.owner
    for status in statuses:
        for rule in policy.rules:
            if not rule.fires_on(status):
                continue
            trigger = _trigger(status, rule)
            if trigger in seen:
                continue
            seen.add(trigger)
            reason = rule.reason or f"{status.name} clock {status.status.value}"
            actions.append(ev.Escalated(at=now, reason=reason, trigger=trigger))
            target = rule.assign_to
            if target is not None and target != owner and policy.refusal(case, target) is None:
                actions.append(ev.OwnerAssigned(at=now, owner=target, reason=reason))
                owner = target
    return tuple(actions)


# -- follow-ups -----------------------------------------------------------------------------


def _days(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        v.fail(
            instance, attribute, f"expected a number of business days >= 0 or None, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class FollowUpPolicy:
    """When to contact customers after the response.

    Each delay is in business days; None turns that follow-up off. Due times are close of
    business on that day. Withdrawn cases and customers who opted out of contact get none.
    """

    resolution_check_after: int | None = attrs.field(default=5, validator=_days)
    """After the final response: is the problem really fixed?"""
    survey_after: int | None = attrs.field(default=1, validator=_days)
    """After closing: how did we do?"""
    change_notification_after: int = attrs.field(default=0, validator=_days)
    """After a root-cause fix: tell the customers whose complaint led to it."""


def _due(calendar: BusinessCalendar, at: datetime, days: int) -> datetime:
    day = calendar.add_business_days(at.astimezone(calendar.tz).date(), days)
    return calendar.close_of_business(day)


def plan_follow_ups(
    case: Case,
    policy: FollowUpPolicy,
    *,
    calendar: BusinessCalendar,
    now: datetime,
) -> tuple[ev.FollowUpScheduled, ...]:
    """The follow-ups to schedule on ``case`` now, never one already scheduled.

    Ids are stable (``"C-1:resolution_check:0"``, the last part counting reopenings), so a
    second call after recording the first call's events returns nothing.
    """
    v.require_aware(now, "now")
    if case.withdrawn_at is not None or not case.complaint.customer.contact_allowed:
        return ()
    wanted: list[tuple[FollowUpPurpose, datetime, int]] = []
    if policy.resolution_check_after is not None and case.responded_at is not None:
        wanted.append(
            (FollowUpPurpose.RESOLUTION_CHECK, case.responded_at, policy.resolution_check_after)
        )
    if policy.survey_after is not None and case.closed_at is not None:
        wanted.append((FollowUpPurpose.SATISFACTION_SURVEY, case.closed_at, policy.survey_after))
    out = []
    for purpose, since, days in wanted:
        fid = f"{case.id}:{purpose.value}:{case.reopen_count}"
        if case.follow_up(fid) is None:
            follow_up = FollowUp(fid, purpose, _due(calendar, since, days))
            out.append(ev.FollowUpScheduled(at=now, follow_up=follow_up))
    return tuple(out)


@attrs.frozen
class OverdueFollowUp:
    case_id: str
    follow_up: FollowUp
    overdue_by: timedelta


def overdue_follow_ups(cases: Iterable[Case], *, now: datetime) -> tuple[OverdueFollowUp, ...]:
    """Scheduled follow-ups not yet completed whose due time has passed, most overdue first."""
    v.require_aware(now, "now")
    found = [
        OverdueFollowUp(case.id, record.follow_up, now - record.follow_up.due_at)
        for case in cases
        for record in case.follow_ups
        if not record.is_done and record.follow_up.due_at < now
    ]
    return tuple(sorted(found, key=lambda o: (-o.overdue_by, o.case_id, o.follow_up.id)))


# -- root causes across cases ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RootCauseFixed:
    """A root cause was fixed: the process change customers should hear about."""

    root_cause_id: str = attrs.field(validator=v.text())
    at: datetime = attrs.field(validator=v.aware)
    change: str = attrs.field(validator=v.text())
    """What changed, in words a customer understands."""


class SkipReason(enum.StrEnum):
    ALREADY_TOLD = "already_told"
    WITHDRAWN = "withdrawn"
    OPTED_OUT = "opted_out"
    """The customer asked not to be contacted."""
    CANNOT_SCHEDULE = "cannot_schedule"
    """The case's lifecycle does not accept a follow-up in its current state."""


@attrs.frozen
class Skipped:
    case_id: str
    reason: SkipReason


@attrs.frozen
class LoopClosure:
    """What `close_the_loop` decided.

    ``scheduled`` maps each case id to the `FollowUpScheduled` event to record on it.
    Counts are of distinct customers: ``customers_affected`` had a linked case;
    ``customers_told`` have been or are now being told (at least one of their cases).
    """

    fix: RootCauseFixed
    scheduled: tuple[tuple[str, ev.FollowUpScheduled], ...]
    skipped: tuple[Skipped, ...]
    customers_affected: int
    customers_told: int


def close_the_loop(
    fix: RootCauseFixed,
    cases: Iterable[Case],
    *,
    calendar: BusinessCalendar,
    now: datetime,
    policy: FollowUpPolicy | None = None,
) -> LoopClosure:
    """Schedule a change notification on every case linked to the fixed root cause.

    Skips (and says why) cases whose customer was already told of this fix, withdrawn
    cases, customers who opted out of contact, and cases whose lifecycle state does not
    accept a follow-up. Cases not linked to the root cause are not affected and not listed.
    The result does not depend on the order of ``cases``.
    """
    v.require_aware(now, "now")
    if not isinstance(fix, RootCauseFixed):
        raise ValidationError("fix", f"expected RootCauseFixed, got {type(fix).__name__}")
    policy = policy or FollowUpPolicy()
    due = _due(calendar, max(now, fix.at), policy.change_notification_after)
    scheduled: list[tuple[str, ev.FollowUpScheduled]] = []
    skipped: list[Skipped] = []
    affected: set[str] = set()
    told: set[str] = set()
    # Only linked cases are sorted (by id, so the result ignores input order): the cost
    # stays linear in the portfolio.
    linked = [c for c in cases if any(rc.id == fix.root_cause_id for rc in c.root_causes)]
    for case in sorted(linked, key=lambda c: c.id):
        customer = case.complaint.customer.id
        affected.add(customer)
        fid = f"{case.id}:change_notification:{fix.root_cause_id}"
        reason = _skip_reason(case, fid)
        if reason is SkipReason.ALREADY_TOLD:
            told.add(customer)
        if reason is not None:
            skipped.append(Skipped(case.id, reason))
            continue
        follow_up = FollowUp(
            fid, FollowUpPurpose.CHANGE_NOTIFICATION, due, root_cause_id=fix.root_cause_id
        )
        scheduled.append((case.id, ev.FollowUpScheduled(at=now, follow_up=follow_up)))
        told.add(customer)
    return LoopClosure(fix, tuple(scheduled), tuple(skipped), len(affected), len(told))


def _skip_reason(case: Case, follow_up_id: str) -> SkipReason | None:
    if case.follow_up(follow_up_id) is not None:
        return SkipReason.ALREADY_TOLD
    if case.withdrawn_at is not None:
        return SkipReason.WITHDRAWN
    if not case.complaint.customer.contact_allowed:
        return SkipReason.OPTED_OUT
    if case.lifecycle.transition_for(case.state, ev.FollowUpScheduled) is None:
        return SkipReason.CANNOT_SCHEDULE
    return None


# -- themes and repeat complainants ---------------------------------------------------------

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

    key: str
    latest: int
    baseline_total: int
    baseline_windows: int
    flagged: bool

    @property
    def baseline(self) -> float:
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
    """
    v.require_aware(now, "now")
    if by not in _KEYS:
        raise ValidationError("by", f"{by!r} is not one of {', '.join(_KEYS)}")
    if window <= timedelta(0):
        raise ValidationError("window", f"must be positive, got {window}")
    if baseline_windows < 1 or min_count < 1 or ratio < 1:
        raise ValidationError(
            "themes", "baseline_windows, min_count and ratio must each be at least 1"
        )
    key_of = _KEYS[by]
    latest: dict[str, int] = defaultdict(int)
    base: dict[str, int] = defaultdict(int)
    for case in cases:
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


@attrs.frozen
class RepeatComplainant:
    customer_id: str
    case_ids: tuple[str, ...]
    """The customer's cases that came within ``window`` of another one, by receipt."""


def repeat_complainants(
    cases: Iterable[Case], *, window: timedelta, min_cases: int = 2
) -> tuple[RepeatComplainant, ...]:
    """Customers who complained at least ``min_cases`` times with gaps of at most
    ``window`` between consecutive complaints, sorted by customer id."""
    if window < timedelta(0) or min_cases < 2:
        raise ValidationError("repeat_complainants", "window must be >= 0 and min_cases >= 2")
    by_customer: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for case in cases:
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
    complaint is not handled twice."""
    customer = case.complaint.customer.id
    found = [
        other
        for other in cases
        if other.id != case.id
        and other.complaint.customer.id == customer
        and not other.is_end
        and abs(other.complaint.received_at - case.complaint.received_at) <= window
    ]
    return tuple(sorted(found, key=lambda c: (c.complaint.received_at, c.id)))
