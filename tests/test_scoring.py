from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    DEFAULT_RULESET,
    Band,
    Channel,
    ClockState,
    ClockStatus,
    Complaint,
    CustomerContext,
    CustomerRef,
    FollowUp,
    FollowUpOutcome,
    FollowUpPurpose,
    Money,
    Outcome,
    Owner,
    Remedy,
    RemedyKind,
    RemedyScope,
    RootCause,
    RuleSet,
    Severity,
    ValidationError,
    replay,
    score,
)
from recoverykit import events as ev

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
NOW = T0 + timedelta(days=120)


def at(hours):
    return T0 + timedelta(hours=hours)


@attrs.frozen
class Spec:
    """The knobs of a generated case; ``events()`` turns them into a valid history."""

    severity: Severity = Severity.MEDIUM
    loss: int | None = 100
    desired: RemedyKind | None = RemedyKind.REFUND
    owners: int = 1
    asks: int = 0
    remedy_kind: RemedyKind | None = None
    remedy_amount: int = 0
    remedy_scope: RemedyScope = RemedyScope.INDIVIDUAL
    deliver: bool = True
    respond_after_hours: int | None = 48
    outcome: Outcome = Outcome.UPHELD
    apology: bool = False
    explanation: bool = False
    reopen: bool = False
    follow_up: FollowUpOutcome | None = None
    root_cause: bool = False
    told_of_fix: bool = False

    def events(self):
        complaint = Complaint(
            id="C-1",
            customer=CustomerRef("c"),
            channel=Channel.EMAIL,
            received_at=T0,
            severity=self.severity,
            claimed_loss=None if self.loss is None else Money(self.loss, "GBP"),
            desired_remedy=self.desired,
        )
        out = [ev.ComplaintReceived(at=T0, complaint=complaint)]
        t = 0.0

        def step():
            nonlocal t
            t += 0.5
            return at(t)

        out.extend(ev.OwnerAssigned(at=step(), owner=Owner(f"o{i}")) for i in range(self.owners))
        out.append(ev.InvestigationStarted(at=step()))
        for _ in range(self.asks):
            out.append(ev.InformationRequested(at=step()))
            out.append(ev.InformationReceived(at=step()))
        if self.root_cause:
            out.append(ev.RootCauseLinked(at=step(), root_cause=RootCause("RC", "bug")))
        if self.remedy_kind is not None:
            value = Money(self.remedy_amount, "GBP") if self.remedy_kind.is_financial else None
            remedy = Remedy("R", self.remedy_kind, scope=self.remedy_scope, value=value)
            out.append(ev.RemedyOffered(at=step(), remedy=remedy))
            out.append(ev.RemedyAccepted(at=step(), remedy_id="R"))
            if self.deliver:
                out.append(ev.RemedyDelivered(at=step(), remedy_id="R"))
        if self.respond_after_hours is not None:
            t = max(t, float(self.respond_after_hours))
            out.append(
                ev.FinalResponseSent(
                    at=step(),
                    outcome=self.outcome,
                    apology=self.apology,
                    explanation=self.explanation,
                )
            )
            if self.follow_up is not None:
                fu = FollowUp("F", FollowUpPurpose.RESOLUTION_CHECK, at(t + 100))
                out.append(ev.FollowUpScheduled(at=step(), follow_up=fu))
                out.append(
                    ev.FollowUpCompleted(at=step(), follow_up_id="F", outcome=self.follow_up)
                )
            if self.told_of_fix and self.root_cause:
                fu = FollowUp(
                    "N", FollowUpPurpose.CHANGE_NOTIFICATION, at(t + 200), root_cause_id="RC"
                )
                out.append(ev.FollowUpScheduled(at=step(), follow_up=fu))
                out.append(
                    ev.FollowUpCompleted(
                        at=step(), follow_up_id="N", outcome=FollowUpOutcome.CONFIRMED
                    )
                )
            if self.reopen:
                out.append(ev.Reopened(at=step()))
        return out

    def case(self):
        return replay(self.events())


specs = st.builds(
    Spec,
    severity=st.sampled_from(list(Severity)),
    loss=st.one_of(st.none(), st.integers(0, 1000)),
    desired=st.one_of(st.none(), st.sampled_from(list(RemedyKind))),
    owners=st.integers(0, 4),
    asks=st.integers(0, 4),
    remedy_kind=st.one_of(st.none(), st.sampled_from(list(RemedyKind))),
    remedy_amount=st.integers(0, 2000),
    remedy_scope=st.sampled_from(list(RemedyScope)),
    deliver=st.booleans(),
    respond_after_hours=st.one_of(st.none(), st.integers(1, 24 * 90)),
    outcome=st.sampled_from(list(Outcome)),
    apology=st.booleans(),
    explanation=st.booleans(),
    reopen=st.booleans(),
    follow_up=st.one_of(st.none(), st.sampled_from(list(FollowUpOutcome))),
    root_cause=st.booleans(),
    told_of_fix=st.booleans(),
)
clock_states = st.lists(
    st.sampled_from([ClockState.MET, ClockState.BREACHED, ClockState.RUNNING, ClockState.PENDING]),
    max_size=3,
)
contexts = st.builds(
    CustomerContext,
    prior_complaints=st.integers(0, 6),
    prior_failed_recovery=st.booleans(),
)


def statuses_of(states):
    return [ClockStatus(name=f"clock{i}", status=s) for i, s in enumerate(states)]


def points(assessment):
    return sum(c.points for c in assessment.contributions)


@given(specs, clock_states, contexts)
def test_score_is_bounded_and_contributions_sum_to_it(spec, states, ctx):
    a = score(spec.case(), statuses=statuses_of(states), context=ctx, now=NOW)
    assert 0 <= a.score <= 100
    assert points(a) == a.score
    assert a.band is DEFAULT_RULESET.band(a.score)
    assert a.score <= a.baseline  # the default ruleset never exceeds the baseline
    assert a.ruleset_version == DEFAULT_RULESET.version
    assert all(c.points and c.reason and c.source for c in a.contributions)


@given(specs, clock_states, contexts)
def test_an_apology_never_lowers_the_score(spec, states, ctx):
    without = score(
        attrs.evolve(spec, apology=False).case(), statuses=statuses_of(states), context=ctx, now=NOW
    )
    with_ = score(
        attrs.evolve(spec, apology=True).case(), statuses=statuses_of(states), context=ctx, now=NOW
    )
    assert with_.score >= without.score


@given(specs, contexts, st.integers(1, 24 * 90), st.integers(1, 24 * 90))
def test_resolving_sooner_never_lowers_the_score(spec, ctx, a, b):
    soon, late = sorted((a, b))
    early = score(attrs.evolve(spec, respond_after_hours=soon).case(), context=ctx, now=NOW)
    later = score(attrs.evolve(spec, respond_after_hours=late).case(), context=ctx, now=NOW)
    assert early.score >= later.score


@given(specs, clock_states, contexts)
def test_delivering_an_accepted_remedy_never_lowers_the_score(spec, states, ctx):
    spec = attrs.evolve(spec, remedy_kind=spec.remedy_kind or RemedyKind.REFUND)
    kept = score(
        attrs.evolve(spec, deliver=False).case(), statuses=statuses_of(states), context=ctx, now=NOW
    )
    done = score(
        attrs.evolve(spec, deliver=True).case(), statuses=statuses_of(states), context=ctx, now=NOW
    )
    assert done.score >= kept.score


@given(specs, clock_states, contexts)
def test_a_reopening_never_raises_the_score(spec, states, ctx):
    spec = attrs.evolve(spec, respond_after_hours=spec.respond_after_hours or 48)
    closed = score(
        attrs.evolve(spec, reopen=False).case(), statuses=statuses_of(states), context=ctx, now=NOW
    )
    reopened = score(
        attrs.evolve(spec, reopen=True).case(), statuses=statuses_of(states), context=ctx, now=NOW
    )
    assert reopened.score <= closed.score


@given(specs, clock_states, st.sampled_from([ClockState.MET, ClockState.RUNNING]), contexts)
def test_a_breached_clock_never_raises_the_score(spec, states, before, ctx):
    case = spec.case()
    ok = score(case, statuses=statuses_of([*states, before]), context=ctx, now=NOW)
    bad = score(case, statuses=statuses_of([*states, ClockState.BREACHED]), context=ctx, now=NOW)
    assert bad.score <= ok.score


@given(specs, clock_states, st.integers(0, 6))
def test_a_double_deviation_is_always_defecting(spec, states, prior):
    ctx = CustomerContext(prior_complaints=prior, prior_failed_recovery=True)
    assert (
        score(spec.case(), statuses=statuses_of(states), context=ctx, now=NOW).band
        is Band.DEFECTING
    )
    failed_again = attrs.evolve(
        spec, follow_up=FollowUpOutcome.NOT_RESOLVED, respond_after_hours=48
    )
    assert score(failed_again.case(), now=NOW).band is Band.DEFECTING


class TestWorkedExamples:
    def test_a_good_recovery(self):
        spec = Spec(
            severity=Severity.LOW,
            remedy_kind=RemedyKind.REFUND,
            remedy_amount=100,
            apology=True,
            explanation=True,
            respond_after_hours=24,
            follow_up=FollowUpOutcome.CONFIRMED,
        )
        a = score(spec.case(), now=NOW)
        assert [(c.rule, c.points) for c in a.contributions] == [
            ("base_retention", 95),
            ("remedy_adequacy", 6),
            ("apology", 4),
            ("explanation", 3),
            ("named_owner", 3),
            ("follow_up", 2),
            ("baseline_cap", -23),
        ]
        assert (a.score, a.band, a.baseline) == (90, Band.ADVOCATE, 90)

    def test_a_poor_one(self):
        spec = Spec(
            severity=Severity.CRITICAL,
            owners=3,
            asks=2,
            respond_after_hours=24 * 40,
            outcome=Outcome.PARTIALLY_UPHELD,
        )
        statuses = statuses_of([ClockState.BREACHED])
        a = score(
            spec.case(), statuses=statuses, context=CustomerContext(prior_complaints=1), now=NOW
        )
        assert [(c.rule, c.points) for c in a.contributions] == [
            ("base_retention", 54),
            ("missing_apology", -4),
            ("clocks_breached", -5),
            ("handoffs", -4),
            ("repeat_contact", -2),
            ("prior_complaints", -2),
        ]
        assert (a.score, a.band) == (37, Band.DEFECTING)

    @pytest.mark.parametrize(
        ("amount", "points", "reason"),
        [
            (30, 2, "compensation only 30% of the loss"),
            (60, 6, "compensation 60% of the loss"),
            (119, 6, "compensation 119% of the loss"),
            (120, 7, "compensation 120% of the loss"),
            (500, 7, "compensation 500% of the loss"),
        ],
    )
    def test_remedy_breakpoints(self, amount, points, reason):
        spec = Spec(remedy_kind=RemedyKind.REFUND, remedy_amount=amount)
        (c,) = [c for c in score(spec.case(), now=NOW).contributions if c.rule == "remedy_adequacy"]
        assert (c.points, c.reason) == (points, reason)

    def test_mismatched_and_non_financial_remedies(self):
        repair = Spec(remedy_kind=RemedyKind.REPAIR, desired=RemedyKind.REPAIR)
        (c,) = [
            c for c in score(repair.case(), now=NOW).contributions if c.rule == "remedy_adequacy"
        ]
        assert (c.points, c.reason) == (6, "a remedy was delivered")
        wrong = Spec(remedy_kind=RemedyKind.APOLOGY, desired=RemedyKind.REFUND)
        (c,) = [
            c for c in score(wrong.case(), now=NOW).contributions if c.rule == "remedy_adequacy"
        ]
        assert (c.points, c.reason) == (3, "a remedy was delivered, but not the refund asked for")

    def test_compensation_counts_less_after_a_good_process(self):
        spec = Spec(remedy_kind=RemedyKind.REFUND, remedy_amount=100, respond_after_hours=10)
        good = score(spec.case(), statuses=statuses_of([ClockState.MET]), now=NOW)
        (c,) = [c for c in good.contributions if c.rule == "remedy_adequacy"]
        assert c.points == 3
        assert c.reason.endswith("capped: the process was already good")

    def test_going_forward_rules(self):
        spec = Spec(
            root_cause=True,
            told_of_fix=True,
            remedy_kind=RemedyKind.PROCESS_CHANGE,
            remedy_scope=RemedyScope.SYSTEMIC,
            desired=None,
        )
        rules = {c.rule for c in score(spec.case(), now=NOW).contributions}
        assert {"told_of_fix", "systemic_remedy"} <= rules

    def test_unresolved_and_floor(self):
        harsh = attrs.evolve(DEFAULT_RULESET, clock_breached=-100)
        spec = Spec(respond_after_hours=None, severity=Severity.CRITICAL)
        a = score(spec.case(), ruleset=harsh, statuses=statuses_of([ClockState.BREACHED]), now=NOW)
        assert a.score == 0
        assert a.contributions[-1].rule == "floor"
        assert points(a) == 0

    def test_accepted_resolution_counts_as_resolved_even_when_not_upheld(self):
        case = Spec(outcome=Outcome.NOT_UPHELD, respond_after_hours=24 * 30).case()
        base = score(case, now=NOW).contributions[0]
        assert base.reason.startswith("not resolved")
        accepted = case.apply(ev.ResolutionAccepted(at=case.updated_at))
        assert score(accepted, now=NOW).contributions[0].reason.startswith("resolved,")

    def test_context_baseline(self):
        spec = Spec(apology=True, explanation=True, respond_after_hours=10, severity=Severity.LOW)
        a = score(spec.case(), context=CustomerContext(baseline=80), now=NOW)
        assert (a.baseline, a.score) == (80, 80)


class TestRecoveryParadox:
    spec = Spec(
        severity=Severity.LOW,
        remedy_kind=RemedyKind.REFUND,
        remedy_amount=100,
        apology=True,
        explanation=True,
        respond_after_hours=10,
    )

    def test_off_by_default(self):
        a = score(self.spec.case(), statuses=statuses_of([ClockState.MET]), now=NOW)
        assert a.score == a.baseline

    def test_allowed_only_under_its_conditions_and_capped(self):
        rs = attrs.evolve(DEFAULT_RULESET, recovery_paradox=True)
        met = statuses_of([ClockState.MET])
        a = score(self.spec.case(), ruleset=rs, statuses=met, now=NOW)
        assert a.score == a.baseline + rs.paradox_cap
        assert a.contributions[-1].reason.endswith("recovery-paradox allowance (3)")
        medium = attrs.evolve(self.spec, severity=Severity.MEDIUM)
        assert score(medium.case(), ruleset=rs, statuses=met, now=NOW).score == a.baseline
        no_clocks = score(self.spec.case(), ruleset=rs, now=NOW)
        assert no_clocks.score == a.baseline


class TestRuleSet:
    def test_bands(self):
        rs = DEFAULT_RULESET
        assert [rs.band(s) for s in (100, 85, 84, 65, 64, 40, 39, 0)] == [
            Band.ADVOCATE,
            Band.ADVOCATE,
            Band.LOYAL,
            Band.LOYAL,
            Band.AT_RISK,
            Band.AT_RISK,
            Band.DEFECTING,
            Band.DEFECTING,
        ]

    def test_validation(self):
        with pytest.raises(ValidationError, match="advocate_from > loyal_from > at_risk_from"):
            RuleSet(loyal_from=90)
        with pytest.raises(ValidationError, match="RuleSet.apology: 500 is out of range"):
            RuleSet(apology=500)
        with pytest.raises(ValidationError, match="now: naive"):
            score(Spec().case(), now=datetime(2026, 1, 1))
