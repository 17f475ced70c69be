"""Closing the loop: routing and owners, escalation, follow-ups, root causes across cases.

Complaints are wasted when nobody owns them, when the fix stops at one customer, and when
nobody tells customers what changed. Every function here is pure: it reads cases (and clock
statuses) and returns the events an app should record, or plain values to show. Nothing
reads the wall clock; ``now`` is always an argument.

Reading a portfolio for patterns (`themes`, `repeat_complainants`, `related_cases`) moved to
`recoverykit.analytics`; importing them from here still works, with a `DeprecationWarning`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs

from recoverykit import _arguments as a
from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit._impact import FixImpact, fix_impact
from recoverykit._instants import before, elapsed, not_after, utc
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks import ClockState, ClockStatus
from recoverykit.errors import ValidationError
from recoverykit.lifecycle import Lifecycle
from recoverykit.model import Channel, Complaint, FollowUp, FollowUpPurpose, Owner, Severity

__all__ = [
    "EscalationPolicy",
    "EscalationRule",
    "FixImpact",
    "FollowUpPolicy",
    "LoopClosure",
    "OverdueFollowUp",
    "RootCauseFixed",
    "RoutingRule",
    "SkipReason",
    "Skipped",
    "close_the_loop",
    "due_actions",
    "fix_impact",
    "overdue_follow_ups",
    "plan_follow_ups",
    "route",
]

# Names that moved to `recoverykit.analytics`; still importable from here, with a warning.
_MOVED = frozenset(
    {"RepeatComplainant", "Theme", "ThemeKey", "related_cases", "repeat_complainants", "themes"}
)


def __getattr__(name: str) -> Any:
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    msg = f"recoverykit.loops.{name} is deprecated; import it from recoverykit.analytics"
    warnings.warn(msg, DeprecationWarning, stacklevel=2)
    from recoverykit import analytics

    return getattr(analytics, name)


# -- routing --------------------------------------------------------------------------------


def _channels(value: Iterable[Channel | str]) -> frozenset[Channel]:
    return frozenset(a.members(value, Channel, "RoutingRule.channels"))


def _categories(value: Iterable[str]) -> frozenset[str]:
    return frozenset(a.each(value, str, "RoutingRule.categories"))


@attrs.frozen(kw_only=True)
class RoutingRule:
    """Send matching complaints to ``owner``. Every criterion given must match; criteria left
    empty match anything."""

    owner: Owner = attrs.field(validator=v.instance_of(Owner))
    channels: frozenset[Channel] = attrs.field(default=frozenset(), converter=_channels)
    """`Channel` members (or their values, ``"email"``)."""
    categories: frozenset[str] = attrs.field(default=frozenset(), converter=_categories)
    min_severity: Severity | None = attrs.field(
        default=None, validator=v.member_of(Severity, optional=True)
    )
    vulnerable: bool | None = attrs.field(default=None, validator=a.optional_flag)
    """True: only vulnerable customers; False: only others; None: anyone."""

    def matches(self, complaint: Complaint) -> bool:
        """Whether every criterion given matches ``complaint``."""
        a.require(complaint, Complaint, "complaint")
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
    a.require(complaint, Complaint, "complaint")
    matching = (r.owner for r in a.each(rules, RoutingRule, "rules") if r.matches(complaint))
    return next(matching, None)


# -- escalation -----------------------------------------------------------------------------


_THRESHOLDS = (ClockState.WARNING, ClockState.BREACHED)


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
    reason: str | None = attrs.field(default=None, validator=v.text(optional=True))

    @when.validator
    def _check_when(self, attribute: attrs.Attribute[ClockState], value: object) -> None:
        # A bare "breached" equals ClockState.BREACHED but is not it: `fires_on` uses `is`.
        if not isinstance(value, ClockState) or value not in _THRESHOLDS:
            fail = v.fail if isinstance(value, ClockState) else v.fail_type
            fail(self, attribute, f"expected ClockState.WARNING or BREACHED, got {value!r}")

    def fires_on(self, status: ClockStatus) -> bool:
        """Whether ``status`` reached this rule's threshold on this rule's clock."""
        a.require(status, ClockStatus, "status")
        if status.name != self.clock:
            return False
        if self.when is ClockState.BREACHED:
            return status.status is ClockState.BREACHED
        return status.status in _THRESHOLDS


def _rules(value: Iterable[EscalationRule]) -> tuple[EscalationRule, ...]:
    return tuple(a.iterate(value, "EscalationPolicy.rules", "EscalationRule"))


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

    rules: tuple[EscalationRule, ...] = attrs.field(
        default=(), converter=_rules, validator=v.tuple_of(EscalationRule)
    )
    forbid_handback: bool = attrs.field(default=False, validator=a.flag)
    second_stage_needs_new_owner: bool = attrs.field(default=False, validator=a.flag)

    def refusal(self, case: Case, owner: Owner) -> str | None:
        """Why ``owner`` may not take the case now, or None if they may."""
        return self._ownership_guard().refusal(case, owner)

    def guard(self, case: Case, event: ev.Event) -> str | None:
        """A lifecycle guard enforcing the ownership rules on `OwnerAssigned`."""
        return self._ownership_guard()(case, event)

    def _ownership_guard(self) -> _OwnershipGuard:
        return _OwnershipGuard(self.forbid_handback, self.second_stage_needs_new_owner)

    def _suffix(self) -> str:
        # The guard depends on these two flags only, so equal names mean equal guards.
        on = {
            "no-hand-back": self.forbid_handback,
            "new-stage-2-owner": self.second_stage_needs_new_owner,
        }
        return "+".join(part for part, flag in on.items() if flag) or "ownership-rules"

    def apply_to(self, lifecycle: Lifecycle, *, name: str | None = None) -> Lifecycle:
        """``lifecycle`` with the ownership rules guarding every `OwnerAssigned`.

        The result refuses events its parent accepts, so it is a different lifecycle and
        gets a name of its own: a case is saved with its lifecycle's name, and a case saved
        on the guarded lifecycle must never load onto the unguarded parent. By default the
        name is the parent's plus the rules that are on: ``"complaint+no-hand-back"``,
        ``"complaint+new-stage-2-owner"``, ``"complaint+no-hand-back+new-stage-2-owner"``,
        or ``"complaint+ownership-rules"`` when neither is. ``name`` chooses another, which
        must differ from the parent's. Lifecycles derived from equal parents by policies
        with the same two ownership flags are equal, whatever their escalation rules.
        Register the result with the serialization layer to load cases saved on it.

        Raises:
            InvalidType: ``lifecycle`` is not a `Lifecycle`, or ``name`` not a str.
            ValidationError: ``name`` is blank or the parent's own name.
        """
        a.require(lifecycle, Lifecycle, "lifecycle")
        if name is None:
            name = f"{lifecycle.name}+{self._suffix()}"
        if not a.require(name, str, "name").strip() or name == lifecycle.name:
            msg = "the guarded lifecycle needs a name of its own: not blank, not the parent's"
            raise ValidationError("name", f"{name!r}: {msg}")
        added = [
            attrs.evolve(t, guards=(*t.guards, self._ownership_guard()))
            for t in lifecycle.transitions
            if t.event is ev.OwnerAssigned
        ]
        return lifecycle.derive(
            name=name, remove_transitions=[ev.OwnerAssigned], add_transitions=added
        )


@attrs.frozen
class _OwnershipGuard:
    """The guard `EscalationPolicy.apply_to` adds: a value, so that lifecycles derived with
    the same rules are equal (a bound method would compare its policy by identity)."""

    forbid_handback: bool
    second_stage_needs_new_owner: bool

    def refusal(self, case: Case, owner: Owner) -> str | None:
        a.require(case, Case, "case")
        a.require(owner, Owner, "owner")
        history = case.ownership_history
        if self.forbid_handback and any(x.owner == owner for x in history[:-1]):
            return f"owner {owner.id!r} owned the case before; hand-backs are not allowed"
        first = case.first_responded_at
        if self.second_stage_needs_new_owner and case.reopen_count and first is not None:
            stage_one = [x.owner for x in history if not_after(x.at, first)]
            if stage_one and stage_one[-1] == owner:
                return (
                    f"owner {owner.id!r} gave the stage 1 response; the stage 2 review needs "
                    "someone else"
                )
        return None

    def __call__(self, case: Case, event: ev.Event) -> str | None:
        a.require(case, Case, "case")
        a.require(event, ev.Event, "event")
        if isinstance(event, ev.OwnerAssigned):
            return self.refusal(case, event.owner)
        return None


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

    Raises:
        InvalidType: an argument (or one of ``statuses``) has the wrong type.
        ValidationError: ``now`` is naive.
    """
    a.require(case, Case, "case")
    a.require(policy, EscalationPolicy, "policy")
    v.require_aware(now, "now")
    actions: list[ev.Event] = []
    seen = set(case.escalation_triggers)
    owner = case.owner
    for status in a.each(statuses, ClockStatus, "statuses"):
        for rule in policy.rules:
            if not rule.fires_on(status):
                continue
            trigger = f"{status.name}:{rule.when.value}:{status.cycles}"
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
    optional = attribute.name != "change_notification_after"
    allowed = "a number of business days >= 0" + (" or None" if optional else "")
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        v.fail_type(instance, attribute, f"expected {allowed}, got {v.type_name(value)}")
    if value < 0:
        v.fail(instance, attribute, f"expected {allowed}, got {value!r}")


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


def _due(calendar: BusinessCalendar, at: datetime, days: int, path: str) -> datetime:
    try:
        day = calendar.add_business_days(at.astimezone(calendar.tz).date(), days)
        return calendar.close_of_business(day)
    except (OverflowError, ValueError) as exc:
        # Dates end in year 9999: a delay that runs past it has no due time.
        raise ValidationError(
            path, f"{days} business days after {at.isoformat()} is past the last date ({exc})"
        ) from None


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

    Raises:
        InvalidType: an argument has the wrong type.
        ValidationError: ``now`` is naive, or a due time would fall after year 9999.
    """
    a.require(case, Case, "case")
    a.require(policy, FollowUpPolicy, "policy")
    a.require(calendar, BusinessCalendar, "calendar")
    v.require_aware(now, "now")
    if case.withdrawn_at is not None or not case.complaint.customer.contact_allowed:
        return ()
    check, survey = FollowUpPurpose.RESOLUTION_CHECK, FollowUpPurpose.SATISFACTION_SURVEY
    wanted = [
        (check, case.responded_at, policy.resolution_check_after, "resolution_check_after"),
        (survey, case.closed_at, policy.survey_after, "survey_after"),
    ]
    out = []
    for purpose, since, days, field in wanted:
        fid = f"{case.id}:{purpose.value}:{case.reopen_count}"
        if since is not None and days is not None and case.follow_up(fid) is None:
            due = _due(calendar, since, days, f"policy.{field}")
            out.append(ev.FollowUpScheduled(at=now, follow_up=FollowUp(fid, purpose, due)))
    return tuple(out)


@attrs.frozen
class OverdueFollowUp:
    """A follow-up nobody did: on which case, and how late it is."""

    case_id: str = attrs.field(validator=v.text())
    follow_up: FollowUp = attrs.field(validator=v.instance_of(FollowUp))
    overdue_by: timedelta = attrs.field(validator=v.instance_of(timedelta))


def overdue_follow_ups(cases: Iterable[Case], *, now: datetime) -> tuple[OverdueFollowUp, ...]:
    """Scheduled follow-ups not yet completed whose due time has passed, most overdue first.

    Raises:
        InvalidType: ``cases`` (or one of them) or ``now`` has the wrong type.
        ValidationError: ``now`` is naive.
    """
    v.require_aware(now, "now")
    found = [
        OverdueFollowUp(case.id, record.follow_up, elapsed(record.follow_up.due_at, now))
        for case in a.each(cases, Case, "cases")
        for record in case.follow_ups
        if not record.is_done and before(record.follow_up.due_at, now)
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


class SkipReason(a.StrValues):
    ALREADY_TOLD = "already_told"
    WITHDRAWN = "withdrawn"
    OPTED_OUT = "opted_out"
    """The customer asked not to be contacted."""
    CANNOT_SCHEDULE = "cannot_schedule"
    """The case's lifecycle does not accept a follow-up in its current state."""


@attrs.frozen
class Skipped:
    """A linked case that `close_the_loop` did not notify, and why."""

    case_id: str = attrs.field(validator=v.text())
    reason: SkipReason = attrs.field(validator=v.member_of(SkipReason))


@attrs.frozen
class LoopClosure:
    """What `close_the_loop` decided.

    ``scheduled`` maps each case id to the `FollowUpScheduled` event to record on it.
    Counts are of distinct customers: ``customers_affected`` had a linked case;
    ``customers_told`` have been or are now being told (at least one of their cases).
    """

    fix: RootCauseFixed = attrs.field(validator=v.instance_of(RootCauseFixed))
    scheduled: tuple[tuple[str, ev.FollowUpScheduled], ...] = attrs.field(
        validator=v.tuple_of(tuple)
    )
    skipped: tuple[Skipped, ...] = attrs.field(validator=v.tuple_of(Skipped))
    customers_affected: int = attrs.field(validator=a.count())
    customers_told: int = attrs.field(validator=a.count())


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

    Raises:
        InvalidType: an argument (or one of ``cases``) has the wrong type.
        ValidationError: ``now`` is naive, or the due time would fall after year 9999.
    """
    a.require(fix, RootCauseFixed, "fix")
    a.require(calendar, BusinessCalendar, "calendar")
    v.require_aware(now, "now")
    policy = FollowUpPolicy() if policy is None else a.require(policy, FollowUpPolicy, "policy")
    days = policy.change_notification_after
    due = _due(calendar, max(now, fix.at, key=utc), days, "policy.change_notification_after")
    scheduled: list[tuple[str, ev.FollowUpScheduled]] = []
    skipped: list[Skipped] = []
    affected: set[tuple[str, str]] = set()
    told: set[tuple[str, str]] = set()
    # Only linked cases are sorted (by id, so the result ignores input order): the cost
    # stays linear in the portfolio.
    linked = [
        c
        for c in a.each(cases, Case, "cases")
        if any(rc.id == fix.root_cause_id for rc in c.root_causes)
    ]
    for case in sorted(linked, key=lambda c: c.id):
        # Anonymous customers count one per case: they are never taken for one person.
        known = case.complaint.customer.known_id
        customer = ("customer", known) if known is not None else ("case", case.id)
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
