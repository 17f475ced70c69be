import pickle
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    Channel,
    ClockStatus,
    Complaint,
    CustomerRef,
    FollowUp,
    InvalidEvent,
    Outcome,
    Owner,
    RootCause,
    Severity,
    ValidationError,
    analytics,
    calendars,
    loops,
    open_case,
    replay,
)
from recoverykit import events as ev
from recoverykit.clocks import ClockState
from recoverykit.errors import InvalidType, UnknownName
from recoverykit.loops import (
    EscalationPolicy,
    EscalationRule,
    FollowUpPolicy,
    LoopClosure,
    OverdueFollowUp,
    RootCauseFixed,
    RoutingRule,
    Skipped,
    SkipReason,
    close_the_loop,
    due_actions,
    overdue_follow_ups,
    plan_follow_ups,
    route,
)
from recoverykit.model import FollowUpOutcome, FollowUpPurpose

from wrong_types import call_with_wrong_types, public_callables

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


def linked(cid, customer, *more, contact=True, anonymous=False, **kw):
    c = Complaint(
        id=cid,
        customer=CustomerRef(customer, contact_allowed=contact, anonymous=anonymous),
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


# -- derived lifecycles have names of their own ---------------------------------------------


class TestApplyToNames:
    def test_default_names_say_which_rules_are_on(self):
        names = [
            EscalationPolicy(forbid_handback=True).apply_to(COMPLAINT_LIFECYCLE).name,
            EscalationPolicy(second_stage_needs_new_owner=True).apply_to(COMPLAINT_LIFECYCLE).name,
            EscalationPolicy(forbid_handback=True, second_stage_needs_new_owner=True)
            .apply_to(COMPLAINT_LIFECYCLE)
            .name,
            EscalationPolicy().apply_to(COMPLAINT_LIFECYCLE).name,
        ]
        assert names == [
            "complaint+no-hand-back",
            "complaint+new-stage-2-owner",
            "complaint+no-hand-back+new-stage-2-owner",
            "complaint+ownership-rules",
        ]

    def test_the_same_ownership_rules_give_equal_lifecycles(self):
        with_rules = EscalationPolicy(rules=[ESCALATION], forbid_handback=True)
        without = EscalationPolicy(forbid_handback=True)
        assert with_rules.apply_to(COMPLAINT_LIFECYCLE) == without.apply_to(COMPLAINT_LIFECYCLE)
        assert without.apply_to(COMPLAINT_LIFECYCLE) != EscalationPolicy(
            second_stage_needs_new_owner=True
        ).apply_to(COMPLAINT_LIFECYCLE, name="complaint+no-hand-back")

    def test_an_explicit_name(self):
        policy = EscalationPolicy(forbid_handback=True)
        assert policy.apply_to(COMPLAINT_LIFECYCLE, name="strict").name == "strict"
        own = "needs a name of its own: not blank, not the parent's"
        with pytest.raises(
            ValidationError, match=f"name: 'complaint': the guarded lifecycle {own}"
        ):
            policy.apply_to(COMPLAINT_LIFECYCLE, name="complaint")
        with pytest.raises(ValidationError, match=f"name: ' ': the guarded lifecycle {own}"):
            policy.apply_to(COMPLAINT_LIFECYCLE, name=" ")
        with pytest.raises(InvalidType, match="name: expected str, got int 5"):
            policy.apply_to(COMPLAINT_LIFECYCLE, name=5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="lifecycle: expected Lifecycle, got str"):
            policy.apply_to("complaint")  # type: ignore[arg-type]

    def test_a_case_records_the_guarded_lifecycle_by_its_own_name(self):
        strict = EscalationPolicy(forbid_handback=True).apply_to(COMPLAINT_LIFECYCLE)
        case = open_case(complaint(), lifecycle=strict)
        assert case.lifecycle.name == "complaint+no-hand-back" != COMPLAINT_LIFECYCLE.name
        # A case crosses process boundaries (Dask, Spark) with its guards.
        copy = pickle.loads(pickle.dumps(case.apply(ev.OwnerAssigned(at=at(1), owner=AGENT))))
        assert copy.lifecycle == strict
        copy = copy.apply(ev.OwnerAssigned(at=at(2), owner=LEAD))
        with pytest.raises(InvalidEvent, match="hand-backs are not allowed"):
            copy.apply(ev.OwnerAssigned(at=at(3), owner=AGENT))
        # Applying the policy to its own result nests the names: still never the parent's.
        assert EscalationPolicy(forbid_handback=True).apply_to(strict).name == (
            "complaint+no-hand-back+no-hand-back"
        )


# -- wrong types ----------------------------------------------------------------------------

RULE = RoutingRule(owner=LEAD, categories={"billing"})
ESCALATION = EscalationRule(clock="final_response", when=ClockState.WARNING, assign_to=LEAD)
POLICY = EscalationPolicy(rules=[ESCALATION], forbid_handback=True)
RESPONDED = case_with(
    ev.RootCauseLinked(at=at(1), root_cause=BUG), final(at(2)), ev.Closed(at=at(3))
)

LOOPS_CALLS = {
    "RoutingRule": (
        RoutingRule,
        {
            "owner": LEAD,
            "channels": [Channel.EMAIL, "phone"],
            "categories": ["billing"],
            "min_severity": Severity.LOW,
            "vulnerable": False,
        },
    ),
    "RoutingRule.matches": (RULE.matches, {"complaint": complaint()}),
    "route": (route, {"complaint": complaint(), "rules": [RULE]}),
    "EscalationRule": (
        EscalationRule,
        {"clock": "final_response", "when": ClockState.WARNING, "assign_to": LEAD, "reason": "r"},
    ),
    "EscalationRule.fires_on": (ESCALATION.fires_on, {"status": status()}),
    "EscalationPolicy": (
        EscalationPolicy,
        {"rules": [ESCALATION], "forbid_handback": True, "second_stage_needs_new_owner": True},
    ),
    "EscalationPolicy.refusal": (POLICY.refusal, {"case": RESPONDED, "owner": AGENT}),
    "EscalationPolicy.guard": (
        POLICY.guard,
        {"case": RESPONDED, "event": ev.OwnerAssigned(at=at(4), owner=AGENT)},
    ),
    "EscalationPolicy.apply_to": (
        POLICY.apply_to,
        {"lifecycle": COMPLAINT_LIFECYCLE, "name": "strict"},
    ),
    "due_actions": (
        due_actions,
        {"case": RESPONDED, "statuses": [status()], "policy": POLICY, "now": at(5)},
    ),
    "FollowUpPolicy": (
        FollowUpPolicy,
        {"resolution_check_after": 5, "survey_after": 1, "change_notification_after": 0},
    ),
    "plan_follow_ups": (
        plan_follow_ups,
        {"case": RESPONDED, "policy": FollowUpPolicy(), "calendar": EW, "now": at(5)},
    ),
    "OverdueFollowUp": (
        OverdueFollowUp,
        {
            "case_id": "C-1",
            "follow_up": FollowUp("F", FollowUpPurpose.RESOLUTION_CHECK, at(1)),
            "overdue_by": timedelta(hours=1),
        },
    ),
    "overdue_follow_ups": (overdue_follow_ups, {"cases": [RESPONDED], "now": at(5)}),
    "RootCauseFixed": (
        RootCauseFixed,
        {"root_cause_id": "RC-1", "at": at(10), "change": "Payments run once"},
    ),
    "SkipReason": (SkipReason, {"value": "withdrawn"}),
    "Skipped": (Skipped, {"case_id": "C-1", "reason": SkipReason.WITHDRAWN}),
    "LoopClosure": (
        LoopClosure,
        {
            "fix": FIX,
            "scheduled": (),
            "skipped": (Skipped("C-1", SkipReason.WITHDRAWN),),
            "customers_affected": 1,
            "customers_told": 0,
        },
    ),
    "close_the_loop": (
        close_the_loop,
        {
            "fix": FIX,
            "cases": [RESPONDED],
            "calendar": EW,
            "now": at(101),
            "policy": FollowUpPolicy(),
        },
    ),
}


def test_every_public_loops_callable_is_fed_wrong_types():
    elsewhere = {"FixImpact", "fix_impact"}  # fed wrong types in test_outcomes
    assert public_callables(loops) <= {name.split(".")[0] for name in LOOPS_CALLS} | elsewhere


@pytest.mark.parametrize("name", sorted(LOOPS_CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = LOOPS_CALLS[name]
    call_with_wrong_types(data, target, valid)


class TestWrongTypes:
    def test_routing(self):
        with pytest.raises(InvalidType, match="RoutingRule.channels: expected an iterable"):
            RoutingRule(owner=LEAD, channels=5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="RoutingRule.channels: .*got str 'email'"):
            RoutingRule(owner=LEAD, channels="email")  # type: ignore[arg-type]
        with pytest.raises(
            UnknownName,
            match=r"RoutingRule.channels\[0\]: expected one of 'phone'.*got str 'pigeon'",
        ):
            RoutingRule(owner=LEAD, channels=["pigeon"])  # type: ignore[list-item]
        with pytest.raises(
            InvalidType, match=r"RoutingRule.categories\[0\]: expected str, got int 5"
        ):
            RoutingRule(owner=LEAD, categories=[5])  # type: ignore[list-item]
        with pytest.raises(InvalidType, match="RoutingRule.vulnerable: expected bool or None"):
            RoutingRule(owner=LEAD, vulnerable="yes")  # type: ignore[arg-type]
        assert RoutingRule(owner=LEAD, channels=["email"]).channels == {Channel.EMAIL}
        with pytest.raises(InvalidType, match="complaint: expected Complaint, got Case"):
            route(case_with(), [RULE])  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"rules\[1\]: expected RoutingRule, got int 5"):
            route(complaint(category="x"), [RULE, 5])  # type: ignore[list-item]

    def test_escalation(self):
        with pytest.raises(InvalidType, match="EscalationRule.when: expected ClockState"):
            EscalationRule(clock="x", when="warning")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="EscalationPolicy.rules: expected an iterable"):
            EscalationPolicy(rules=5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"EscalationPolicy.rules\[0\]: expected Escal"):
            EscalationPolicy(rules=[5])  # type: ignore[list-item]
        with pytest.raises(InvalidType, match="EscalationPolicy.forbid_handback: expected bool"):
            EscalationPolicy(forbid_handback=1)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"statuses\[0\]: expected ClockStatus"):
            due_actions(case_with(), [None], POLICY, now=at(1))  # type: ignore[list-item]
        with pytest.raises(InvalidType, match="policy: expected EscalationPolicy"):
            due_actions(case_with(), [], None, now=at(1))  # type: ignore[arg-type]

    def test_follow_ups_and_the_loop(self):
        with pytest.raises(InvalidType, match="FollowUpPolicy.survey_after: expected a number"):
            FollowUpPolicy(survey_after="1")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="change_notification_after: .*>= 0, got NoneType"):
            FollowUpPolicy(change_notification_after=None)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="calendar: expected BusinessCalendar, got str"):
            plan_follow_ups(RESPONDED, FollowUpPolicy(), calendar="EW", now=at(5))  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"cases\[0\]: expected Case, got Complaint"):
            overdue_follow_ups([complaint()], now=at(5))  # type: ignore[list-item]
        with pytest.raises(InvalidType, match="fix: expected RootCauseFixed, got str 'RC-1'"):
            close_the_loop("RC-1", [], calendar=EW, now=at(1))  # type: ignore[arg-type]

    def test_a_delay_past_year_9999_is_a_validation_error(self):
        far = FollowUpPolicy(resolution_check_after=10**9)
        with pytest.raises(ValidationError, match="policy.resolution_check_after: 1000000000"):
            plan_follow_ups(RESPONDED, far, calendar=EW, now=at(5))


def test_moved_names_still_import_from_loops_with_a_warning():
    for name in ("themes", "repeat_complainants", "related_cases", "Theme", "RepeatComplainant"):
        message = f"recoverykit.loops.{name} is deprecated; import it from recoverykit.analytics"
        with pytest.warns(DeprecationWarning, match=message):
            moved = getattr(loops, name)
        assert moved is getattr(analytics, name)
    with pytest.warns(DeprecationWarning, match="recoverykit.loops.themes is deprecated"):
        from recoverykit.loops import themes as old_themes
    assert old_themes is analytics.themes
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        loops.nothing  # noqa: B018


def test_anonymous_customers_are_counted_one_per_case():
    cases = [
        linked("C-1", "walk-in", anonymous=True),
        linked("C-2", "walk-in", anonymous=True),
        linked("C-3", "a"),
        linked("C-4", "a"),
    ]
    result = close_the_loop(FIX, cases, calendar=EW, now=at(101))
    assert (result.customers_affected, result.customers_told) == (3, 3)
