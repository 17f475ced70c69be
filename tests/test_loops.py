from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    Channel,
    ClockState,
    ClockStatus,
    Complaint,
    CustomerRef,
    EscalationPolicy,
    EscalationRule,
    FollowUp,
    FollowUpOutcome,
    FollowUpPolicy,
    FollowUpPurpose,
    InvalidEvent,
    Outcome,
    Owner,
    RootCause,
    RootCauseFixed,
    RoutingRule,
    Severity,
    ValidationError,
    calendars,
    close_the_loop,
    due_actions,
    open_case,
    overdue_follow_ups,
    plan_follow_ups,
    replay,
    route,
)
from recoverykit import events as ev
from recoverykit.loops import SkipReason

LONDON = ZoneInfo("Europe/London")
EW = calendars.england_and_wales()
T0 = datetime(2026, 6, 1, 9, tzinfo=LONDON)
LEAD = Owner("lead", "complaints")
MANAGER = Owner("manager", "complaints")
AGENT = Owner("agent", "billing")
BUG = RootCause("RC-1", "Duplicate payment batch")


def at(hours):
    return T0 + timedelta(hours=hours)


def complaint(cid="C-1", customer="cust-1", **kw):
    fields = {
        "id": cid,
        "customer": CustomerRef(customer),
        "channel": Channel.EMAIL,
        "received_at": T0,
        "category": "billing",
    }
    fields.update(kw)
    return Complaint(**fields)


def case_with(*events, **kw):
    c = complaint(**kw)
    return replay([ev.ComplaintReceived(at=c.received_at, complaint=c), *events])


def final(t):
    return ev.FinalResponseSent(at=t, outcome=Outcome.UPHELD, apology=True)


def status(name="final_response", state=ClockState.WARNING, cycles=1):
    return ClockStatus(name=name, status=state, started_at=T0, cycles=cycles)


class TestRouting:
    rules = (
        RoutingRule(owner=Owner("care"), vulnerable=True),
        RoutingRule(owner=Owner("exec"), min_severity=Severity.CRITICAL),
        RoutingRule(owner=Owner("social"), channels={Channel.SOCIAL_MEDIA, Channel.REVIEW_SITE}),
        RoutingRule(owner=Owner("billing"), categories={"billing"}),
    )

    def test_first_match_wins(self):
        social = complaint(channel=Channel.SOCIAL_MEDIA)
        assert route(social, self.rules) == Owner("social")
        assert route(complaint(severity=Severity.CRITICAL), self.rules) == Owner("exec")
        care = Complaint(
            id="C-9",
            customer=CustomerRef("x", vulnerable=True),
            channel=Channel.PHONE,
            received_at=T0,
            severity=Severity.CRITICAL,
        )
        assert route(care, self.rules) == Owner("care")
        assert route(complaint(), self.rules) == Owner("billing")
        assert route(complaint(category="delivery"), self.rules) is None


class TestEscalation:
    policy = EscalationPolicy(
        rules=[
            EscalationRule(clock="final_response", when=ClockState.WARNING, assign_to=LEAD),
            EscalationRule(clock="final_response", when=ClockState.BREACHED, assign_to=MANAGER),
        ]
    )

    def test_warning_escalates_and_hands_over(self):
        case = case_with(ev.OwnerAssigned(at=at(1), owner=AGENT))
        actions = due_actions(case, [status()], self.policy, now=at(5))
        assert actions == (
            ev.Escalated(
                at=at(5), reason="final_response clock warning", trigger="final_response:warning:1"
            ),
            ev.OwnerAssigned(at=at(5), owner=LEAD, reason="final_response clock warning"),
        )

    def test_idempotent_once_recorded(self):
        case = case_with(ev.OwnerAssigned(at=at(1), owner=AGENT))
        for event in due_actions(case, [status()], self.policy, now=at(5)):
            case = case.apply(event)
        assert due_actions(case, [status()], self.policy, now=at(6)) == ()
        assert case.escalation_level == 1
        assert case.owner == LEAD

    def test_straight_to_breach_fires_both_once(self):
        case = case_with()
        actions = due_actions(case, [status(state=ClockState.BREACHED)], self.policy, now=at(9))
        assert [type(a).__name__ for a in actions] == [
            "Escalated",
            "OwnerAssigned",
            "Escalated",
            "OwnerAssigned",
        ]
        for event in actions:
            case = case.apply(event)
        assert case.owner == MANAGER
        assert case.escalation_level == 2
        assert due_actions(case, [status(state=ClockState.BREACHED)], self.policy, now=at(10)) == ()

    def test_a_new_cycle_can_escalate_again(self):
        case = case_with()
        for event in due_actions(case, [status()], self.policy, now=at(5)):
            case = case.apply(event)
        again = due_actions(case, [status(cycles=2)], self.policy, now=at(6))
        assert again[0].trigger == "final_response:warning:2"

    def test_other_clocks_and_states_do_nothing(self):
        case = case_with()
        assert due_actions(case, [status(name="summary_resolution")], self.policy, now=at(1)) == ()
        assert due_actions(case, [status(state=ClockState.RUNNING)], self.policy, now=at(1)) == ()

    def test_forbidden_handback_is_left_out(self):
        policy = EscalationPolicy(rules=self.policy.rules, forbid_handback=True)
        case = case_with(
            ev.OwnerAssigned(at=at(1), owner=LEAD), ev.OwnerAssigned(at=at(2), owner=AGENT)
        )
        actions = due_actions(case, [status()], policy, now=at(5))
        assert [type(a) for a in actions] == [ev.Escalated]

    def test_rule_validation(self):
        with pytest.raises(ValidationError, match="expected ClockState.WARNING or BREACHED"):
            EscalationRule(clock="x", when=ClockState.MET)
        with pytest.raises(ValidationError, match="now: naive"):
            due_actions(case_with(), [], self.policy, now=datetime(2026, 1, 1))

    def test_guards_in_a_lifecycle(self):
        policy = EscalationPolicy(forbid_handback=True, second_stage_needs_new_owner=True)
        lifecycle = policy.apply_to(COMPLAINT_LIFECYCLE)
        case = open_case(complaint(), lifecycle=lifecycle)
        case = case.apply(ev.OwnerAssigned(at=at(1), owner=AGENT))
        case = case.apply(ev.OwnerAssigned(at=at(2), owner=LEAD))
        with pytest.raises(InvalidEvent, match="'agent' owned the case before; hand-backs"):
            case.apply(ev.OwnerAssigned(at=at(3), owner=AGENT))
        case = case.apply(final(at(4))).apply(ev.Reopened(at=at(5)))
        lenient = EscalationPolicy(second_stage_needs_new_owner=True)
        assert lenient.refusal(case, LEAD) == (
            "owner 'lead' gave the stage 1 response; the stage 2 review needs someone else"
        )
        assert lenient.refusal(case, MANAGER) is None
        case = case.apply(ev.OwnerAssigned(at=at(6), owner=MANAGER))
        assert case.handoffs == 2
        assert policy.guard(case, ev.Escalated(at=at(7), reason="x")) is None


class TestFollowUps:
    policy = FollowUpPolicy(resolution_check_after=5, survey_after=1)

    def test_resolution_check_then_survey(self):
        case = case_with(final(at(2)))
        (check,) = plan_follow_ups(case, self.policy, calendar=EW, now=at(3))
        assert check.follow_up == FollowUp(
            "C-1:resolution_check:0",
            FollowUpPurpose.RESOLUTION_CHECK,
            datetime(2026, 6, 8, 17, tzinfo=LONDON),
        )
        case = case.apply(check).apply(ev.Closed(at=at(4)))
        (survey,) = plan_follow_ups(case, self.policy, calendar=EW, now=at(5))
        assert survey.follow_up.purpose is FollowUpPurpose.SATISFACTION_SURVEY
        assert survey.follow_up.due_at == datetime(2026, 6, 2, 17, tzinfo=LONDON)
        case = case.apply(survey)
        assert plan_follow_ups(case, self.policy, calendar=EW, now=at(6)) == ()

    def test_reopening_gets_a_new_check(self):
        case = case_with(final(at(2)))
        case = case.apply(plan_follow_ups(case, self.policy, calendar=EW, now=at(3))[0])
        case = case.apply(ev.Reopened(at=at(10))).apply(final(at(20)))
        (check,) = plan_follow_ups(case, self.policy, calendar=EW, now=at(21))
        assert check.follow_up.id == "C-1:resolution_check:1"

    def test_none_for_withdrawn_or_opted_out(self):
        withdrawn = case_with(final(at(1)), ev.Withdrawn(at=at(2)))
        assert plan_follow_ups(withdrawn, self.policy, calendar=EW, now=at(3)) == ()
        opted_out = replay(
            [
                ev.ComplaintReceived(
                    at=T0,
                    complaint=Complaint(
                        id="C-2",
                        customer=CustomerRef("c", contact_allowed=False),
                        channel=Channel.PHONE,
                        received_at=T0,
                    ),
                ),
                final(at(1)),
            ]
        )
        assert plan_follow_ups(opted_out, self.policy, calendar=EW, now=at(3)) == ()

    def test_policy_can_turn_off_each(self):
        off = FollowUpPolicy(resolution_check_after=None, survey_after=None)
        case = case_with(final(at(1)), ev.Closed(at=at(2)))
        assert plan_follow_ups(case, off, calendar=EW, now=at(3)) == ()
        with pytest.raises(ValidationError, match="expected a number of business days"):
            FollowUpPolicy(survey_after=-1)

    def test_overdue(self):
        case = case_with(final(at(2)))
        case = case.apply(plan_follow_ups(case, self.policy, calendar=EW, now=at(3))[0])
        assert overdue_follow_ups([case], now=datetime(2026, 6, 8, 16, tzinfo=LONDON)) == ()
        (late,) = overdue_follow_ups([case], now=datetime(2026, 6, 9, 17, tzinfo=LONDON))
        assert (late.case_id, late.overdue_by) == ("C-1", timedelta(days=1))
        done = case.apply(
            ev.FollowUpCompleted(
                at=datetime(2026, 6, 9, 18, tzinfo=LONDON),
                follow_up_id="C-1:resolution_check:0",
                outcome=FollowUpOutcome.CONFIRMED,
            )
        )
        assert overdue_follow_ups([done], now=datetime(2026, 6, 10, tzinfo=LONDON)) == ()


FIX = RootCauseFixed(root_cause_id="RC-1", at=at(100), change="Payments now run once a night")


def linked(cid, customer, *more, contact=True, **kw):
    c = Complaint(
        id=cid,
        customer=CustomerRef(customer, contact_allowed=contact),
        channel=kw.pop("channel", Channel.EMAIL),
        received_at=T0,
        category="billing",
    )
    events = [
        ev.ComplaintReceived(at=T0, complaint=c),
        ev.RootCauseLinked(at=at(1), root_cause=BUG),
    ]
    return replay([*events, *more])


class TestCloseTheLoop:
    def test_notifies_linked_contactable_cases_and_says_who_was_skipped(self):
        told_before = linked("C-4", "d", final(at(2))).apply(
            ev.FollowUpScheduled(
                at=at(3),
                follow_up=FollowUp(
                    "C-4:change_notification:RC-1",
                    FollowUpPurpose.CHANGE_NOTIFICATION,
                    at(5),
                    root_cause_id="RC-1",
                ),
            )
        )
        cases = [
            linked("C-1", "a", final(at(2)), ev.Closed(at=at(3))),
            linked("C-2", "b", channel=Channel.PHONE),
            linked("C-3", "c", ev.Withdrawn(at=at(2))),
            told_before,
            linked("C-5", "e", contact=False),
            linked("C-6", "a", channel=Channel.SOCIAL_MEDIA),
            case_with(cid="C-7", customer="z"),  # not linked: not affected
        ]
        result = close_the_loop(FIX, cases, calendar=EW, now=at(101))
        assert [cid for cid, _ in result.scheduled] == ["C-1", "C-2", "C-6"]
        assert [(s.case_id, s.reason) for s in result.skipped] == [
            ("C-3", SkipReason.WITHDRAWN),
            ("C-4", SkipReason.ALREADY_TOLD),
            ("C-5", SkipReason.OPTED_OUT),
        ]
        assert (result.customers_affected, result.customers_told) == (
            5,
            3,
        )  # C-1 and C-6 are both customer a
        _, event = result.scheduled[0]
        assert event.follow_up.purpose is FollowUpPurpose.CHANGE_NOTIFICATION
        assert event.follow_up.root_cause_id == "RC-1"
        assert event.follow_up.due_at == datetime(2026, 6, 5, 17, tzinfo=LONDON)

    def test_applying_the_result_then_asking_again_gives_nothing(self):
        cases = [linked("C-1", "a"), linked("C-2", "b")]
        result = close_the_loop(FIX, cases, calendar=EW, now=at(101))
        by_id = dict(result.scheduled)
        cases = [c.apply(by_id[c.id]) for c in cases]
        again = close_the_loop(FIX, cases, calendar=EW, now=at(102))
        assert again.scheduled == ()
        assert {s.reason for s in again.skipped} == {SkipReason.ALREADY_TOLD}
        assert again.customers_told == 2

    def test_referred_state_cannot_take_notifications_in_a_strict_lifecycle(self):
        strict = COMPLAINT_LIFECYCLE.without_transition(ev.FollowUpScheduled, {"referred"})
        c = complaint(cid="C-8")
        case = replay(
            [
                ev.ComplaintReceived(at=T0, complaint=c),
                ev.RootCauseLinked(at=at(1), root_cause=BUG),
                ev.ReferredToOmbudsman(at=at(2), body="FOS"),
            ],
            lifecycle=strict,
        )
        result = close_the_loop(FIX, [case], calendar=EW, now=at(101))
        assert result.skipped[0].reason is SkipReason.CANNOT_SCHEDULE

    def test_bad_fix(self):
        with pytest.raises(ValidationError, match="expected RootCauseFixed"):
            close_the_loop("RC-1", [], calendar=EW, now=at(1))  # type: ignore[arg-type]


@st.composite
def portfolios(draw):
    n = draw(st.integers(0, 25))
    cases = []
    for i in range(n):
        customer = draw(st.sampled_from(["a", "b", "c", "d", "e", "f"]))
        contact = draw(st.booleans())
        is_linked = draw(st.booleans())
        withdrawn = draw(st.booleans())
        told = draw(st.booleans())
        c = Complaint(
            id=f"C-{i}",
            customer=CustomerRef(customer, contact_allowed=contact),
            channel=draw(st.sampled_from(list(Channel))),
            received_at=T0,
        )
        events = [ev.ComplaintReceived(at=T0, complaint=c)]
        if is_linked:
            events.append(ev.RootCauseLinked(at=at(1), root_cause=BUG))
        if told:
            events.append(
                ev.FollowUpScheduled(
                    at=at(2),
                    follow_up=FollowUp(
                        f"C-{i}:change_notification:RC-1",
                        FollowUpPurpose.CHANGE_NOTIFICATION,
                        at(3),
                        root_cause_id="RC-1",
                    ),
                )
            )
        if withdrawn:
            events.append(ev.Withdrawn(at=at(4)))
        cases.append(replay(events))
    return cases


@given(portfolios(), st.randoms())
def test_close_the_loop_notifies_each_eligible_case_exactly_once(cases, rnd):
    result = close_the_loop(FIX, cases, calendar=EW, now=at(101))
    eligible = {
        c.id
        for c in cases
        if c.root_causes
        and c.complaint.customer.contact_allowed
        and c.withdrawn_at is None
        and c.follow_up(f"{c.id}:change_notification:RC-1") is None
    }
    ids = [cid for cid, _ in result.scheduled]
    assert sorted(ids) == sorted(eligible)
    assert len(ids) == len(set(ids))
    linked_ids = {c.id for c in cases if c.root_causes}
    assert set(ids) | {s.case_id for s in result.skipped} == linked_ids
    assert result.customers_told <= result.customers_affected
    shuffled = list(cases)
    rnd.shuffle(shuffled)
    assert close_the_loop(FIX, shuffled, calendar=EW, now=at(101)) == result
