"""Consumer Duty outcome measures: metrics.outcomes per cohort, metrics.outcome_gap (the
two-proportion z-test) and loops.fix_impact, against figures worked out by hand and against
brute-force oracles written here, independently of the code."""

import math
import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverykit import (
    Channel,
    Complaint,
    CustomerRef,
    Money,
    Outcome,
    Remedy,
    RemedyKind,
    calendars,
    evaluate_clocks,
    loops,
    metrics,
    replay,
)
from recoverykit import events as ev
from recoverykit import strategies as rks
from recoverykit.clocks import BusinessDays, Clock, ClockState, ClockStatus
from recoverykit.errors import InvalidTransition, InvalidType, UnknownName, ValidationError
from recoverykit.loops import FixImpact, RootCauseFixed, fix_impact
from recoverykit.metrics import (
    Cohort,
    GapStatus,
    OutcomeGap,
    OutcomeReport,
    outcome_gap,
    outcomes,
)

from wrong_types import call_with_wrong_types, public_callables

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
NOW = datetime(2026, 6, 1, tzinfo=UTC)
DAY, HOUR = timedelta(days=1), timedelta(hours=1)
EW = calendars.england_and_wales()


def make(cid, customer, received, *steps, category="billing", channel=Channel.EMAIL, tags=()):
    """A case received at ``received``; each step is (hours after receipt, event class,
    fields), in time order."""
    c = Complaint(
        id=cid,
        customer=customer,
        channel=channel,
        received_at=received,
        category=category,
        tags=tags,
    )
    events = [ev.ComplaintReceived(at=received, complaint=c)]
    # In UTC: aware arithmetic in a zone is wall-clock time.
    later = [(received.astimezone(UTC) + h * HOUR).astimezone(received.tzinfo) for h, *_ in steps]
    events += [cls(at=t, **fields) for t, (_, cls, fields) in zip(later, steps, strict=True)]
    return replay(events)


def answered(hours, outcome):
    return (hours, ev.FinalResponseSent, {"outcome": outcome})


def paid(hours, rid, kind, amount, currency):
    """Offered, accepted and delivered within the hour after ``hours``."""
    remedy = Remedy(rid, kind, value=Money(amount, currency))
    return [
        (hours, ev.RemedyOffered, {"remedy": remedy}),
        (hours + 0.25, ev.RemedyAccepted, {"remedy_id": rid}),
        (hours + 0.5, ev.RemedyDelivered, {"remedy_id": rid}),
    ]


def referred(hours):
    return (hours, ev.ReferredToOmbudsman, {"body": "Financial Ombudsman Service"})


ANN = CustomerRef("ann", vulnerable=True)
CAL_V = CustomerRef("cal", vulnerable=True)  # flagged vulnerable on a later complaint
CAL = CustomerRef("cal")
DEE = CustomerRef("dee")
WALK_IN = CustomerRef("walk-in", anonymous=True)

# The worked portfolio. Vulnerable: V1, V2, V3; not vulnerable: N1, N2, N3, N4.
#   V1 ann  day 0   refund 100.00 GBP delivered; upheld at 48h
#   V2 ann  day 30  not upheld at 24h, reopened at 30h, partially upheld at 72h
#   V3 cal  day 60  compensation 50.00 EUR delivered; referred to the ombudsman at 5h
#   N1 cal  day 0   refund 20.00 GBP offered only (not delivered); not upheld at 10h
#   N2 anonymous, day 1   goodwill 10.01 GBP delivered; upheld at 100h; referred at 200h
#   N3 anonymous, day 2   nothing yet
#   N4 dee  day 0   upheld, but only after NOW
V1 = make(
    "V1", ANN, T0, *paid(1, "R1", RemedyKind.REFUND, "100.00", "GBP"), answered(48, Outcome.UPHELD)
)
V2 = make(
    "V2",
    ANN,
    T0 + 30 * DAY,
    answered(24, Outcome.NOT_UPHELD),
    (30, ev.Reopened, {}),
    answered(72, Outcome.PARTIALLY_UPHELD),
)
V3 = make(
    "V3", CAL_V, T0 + 60 * DAY, *paid(1, "R3", RemedyKind.COMPENSATION, "50.00", "EUR"), referred(5)
)
N1 = make(
    "N1",
    CAL,
    T0,
    (1, ev.RemedyOffered, {"remedy": Remedy("R4", RemedyKind.REFUND, value=Money("20.00", "GBP"))}),
    answered(10, Outcome.NOT_UPHELD),
)
N2 = make(
    "N2",
    WALK_IN,
    T0 + DAY,
    *paid(1, "R5", RemedyKind.GOODWILL_GESTURE, "10.01", "GBP"),
    answered(100, Outcome.UPHELD),
    referred(200),
    category="delivery",
)
N3 = make("N3", WALK_IN, T0 + 2 * DAY, category="delivery")
N4 = make(
    "N4", DEE, T0, ((NOW - T0) / HOUR + 24, ev.FinalResponseSent, {"outcome": Outcome.UPHELD})
)
CASES = [V1, V2, V3, N1, N2, N3, N4]


def status(state):
    return ClockStatus(name="final_response", status=state)


MET, BREACHED, RUNNING = (
    status(ClockState.MET),
    status(ClockState.BREACHED),
    status(ClockState.RUNNING),
)
STATUSES = {
    "V1": (MET,),
    "V2": (BREACHED, MET),
    "V3": (),
    "N1": (BREACHED,),
    "N2": (RUNNING,),
    "N3": (),
    "N4": (MET,),
}


class TestWorkedPortfolio:
    def test_vulnerable_cohort(self):
        report = outcomes(CASES, now=NOW, statuses=STATUSES)
        assert report.by == "vulnerable"
        assert report.keys == ("not vulnerable", "vulnerable")
        v = report.cohort("vulnerable")
        # V1 and V2 were answered by NOW; V1 upheld, V2's latest decision partially upheld.
        assert (v.cases, v.responded, v.upheld, v.uphold_rate) == (3, 2, 2, Decimal("100.0"))
        # First final responses after 48h (V1) and 24h (V2): the lower median is 24h.
        assert v.median_time_to_response == timedelta(hours=24)
        assert v.redress == (Money("50.00", "EUR"), Money("100.00", "GBP"))
        # 50.00 / 3 = 16.666.. and 100.00 / 3 = 33.333..
        assert v.redress_per_case == (Money("16.67", "EUR"), Money("33.33", "GBP"))
        assert (v.reopened, v.reopen_rate) == (1, Decimal("33.3"))
        # V1-V2 (ann, 30 days apart) and V3-N1 (cal, 60 days apart, across cohorts).
        assert (v.repeat_contacts, v.repeat_contact_rate) == (3, Decimal("100.0"))
        assert (v.referred, v.referral_rate) == (1, Decimal("33.3"))
        # Timed: V1 (met), V2 (breached); V3 has no clock.
        assert (v.timed, v.breached, v.breach_rate) == (2, 1, Decimal("50.0"))

    def test_not_vulnerable_cohort(self):
        n = outcomes(CASES, now=NOW, statuses=STATUSES).cohort("not vulnerable")
        # N1 and N2 answered; N4's answer comes after NOW.
        assert (n.cases, n.responded, n.upheld, n.uphold_rate) == (4, 2, 1, Decimal("50.0"))
        assert n.median_time_to_response == timedelta(hours=10)  # of 10h and 100h
        # N1's refund was only offered: 10.01 / 4 = 2.5025.
        assert n.redress == (Money("10.01", "GBP"),)
        assert n.redress_per_case == (Money("2.50", "GBP"),)
        assert (n.reopened, n.reopen_rate) == (0, Decimal("0.0"))
        # N1 (cal); N2 and N3 share a placeholder id but are anonymous: never a repeat.
        assert (n.repeat_contacts, n.repeat_contact_rate) == (1, Decimal("25.0"))
        assert (n.referred, n.referral_rate) == (1, Decimal("25.0"))
        # Timed: N1 (breached), N2 (running), N4 (met).
        assert (n.timed, n.breached, n.breach_rate) == (3, 1, Decimal("33.3"))

    def test_repeat_window(self):
        def repeats(window):
            report = outcomes(CASES, now=NOW, repeat_window=window)
            return [(c.key, c.repeat_contacts) for c in report.cohorts]

        # cal's two cases are 60 days apart, ann's 30 days; the window is inclusive.
        assert repeats(timedelta(days=59)) == [("not vulnerable", 0), ("vulnerable", 2)]
        assert repeats(timedelta(days=30)) == [("not vulnerable", 0), ("vulnerable", 2)]
        assert repeats(timedelta(days=30) - timedelta.resolution) == [
            ("not vulnerable", 0),
            ("vulnerable", 0),
        ]
        assert repeats(timedelta(days=60)) == [("not vulnerable", 1), ("vulnerable", 3)]
        # The same case given twice is not a repeat of itself.
        (twice,) = outcomes([V1, V1], now=NOW).cohorts
        assert (twice.cases, twice.repeat_contacts) == (2, 0)

    def test_responses_count_as_of_now(self):
        # Between V2's first answer (not upheld, day 31) and its second (day 33).
        early = T0 + 30 * DAY + 48 * HOUR
        v = outcomes(CASES, now=early).cohort("vulnerable")
        assert (v.responded, v.upheld, v.uphold_rate) == (2, 1, Decimal("50.0"))
        n = outcomes(CASES, now=NOW + 2 * DAY).cohort("not vulnerable")
        assert (n.responded, n.upheld) == (3, 2)  # N4 now answered, upheld, after 2208h
        assert n.median_time_to_response == timedelta(hours=100)  # of 10h, 100h, 2208h

    def test_without_clocks_there_is_no_breach_rate(self):
        for c in outcomes(CASES, now=NOW).cohorts:
            assert (c.timed, c.breached, c.breach_rate) == (0, 0, None)

    def test_other_groupings(self):
        report = outcomes(CASES, now=NOW, by="category")
        assert report.by == "category"
        assert [(c.key, c.cases, c.responded) for c in report.cohorts] == [
            ("billing", 5, 3),
            ("delivery", 2, 1),
        ]

        def flags(case):
            customer = case.complaint.customer
            return [
                name
                for name, on in (("anon", customer.anonymous), ("v", customer.vulnerable))
                if on
            ]

        report = outcomes(CASES, now=NOW, by=flags)
        assert report.by == "TestWorkedPortfolio.test_other_groupings.<locals>.flags"
        assert [(c.key, c.cases) for c in report.cohorts] == [("(none)", 2), ("anon", 2), ("v", 3)]


class TestCohortValues:
    def test_redress_per_case_rounds_half_to_even(self):
        def per_case(amount, cases):
            cohort = attrs.evolve(
                outcomes([N3], now=NOW).cohorts[0], cases=cases, redress=(Money(amount, "GBP"),)
            )
            return cohort.redress_per_case[0].amount

        assert per_case("0.05", 2) == Decimal("0.02")  # 0.025: half to even
        assert per_case("0.07", 2) == Decimal("0.04")  # 0.035
        assert per_case("0.050001", 2) == Decimal("0.03")  # just over half: up
        assert per_case("1", 3) == Decimal("0.33")
        assert per_case("12345678901234567890.10", 1) == Decimal("12345678901234567890.10")
        empty = attrs.evolve(outcomes([N3], now=NOW).cohorts[0], cases=0, redress=())
        assert empty.redress_per_case == ()

    def test_currencies_are_never_added(self):
        usd = make("U", DEE, T0, *paid(1, "R", RemedyKind.REFUND, "5.00", "USD"))
        gbp = make("G", DEE, T0, *paid(1, "R", RemedyKind.REFUND, "5.00", "GBP"))
        (cohort,) = outcomes([usd, gbp], now=NOW).cohorts
        assert cohort.redress == (Money("5.00", "GBP"), Money("5.00", "USD"))
        assert cohort.redress_per_case == (Money("2.50", "GBP"), Money("2.50", "USD"))

    def test_redress_too_large_to_add(self):
        huge = [
            make(f"H{i}", DEE, T0, *paid(1, "R", RemedyKind.REFUND, "9E+999999", "GBP"))
            for i in range(2)
        ]
        with pytest.raises(ValidationError, match="too large to add"):
            outcomes(huge, now=NOW)

    def test_inconsistent_counts_are_refused(self):
        cohort = outcomes(CASES, now=NOW).cohort("vulnerable")
        with pytest.raises(ValidationError, match=r"Cohort.upheld: 3 is more than responded \(2\)"):
            attrs.evolve(cohort, upheld=3)
        with pytest.raises(ValidationError, match=r"Cohort.breached: 1 is more than timed \(0\)"):
            attrs.evolve(cohort, breached=1)
        with pytest.raises(ValidationError, match="Cohort.median_time_to_response"):
            attrs.evolve(cohort, median_time_to_response=None)
        with pytest.raises(ValidationError, match="one total per currency"):
            attrs.evolve(cohort, redress=(Money(1, "GBP"), Money(2, "GBP")))
        with pytest.raises(ValidationError, match="each cohort key once"):
            OutcomeReport((cohort, cohort), "x", NOW)

    def test_time_to_response_is_measured_in_instants(self):
        london = ZoneInfo("Europe/London")
        received = datetime(2026, 3, 28, 12, tzinfo=london)  # GMT; BST starts on the 29th
        case = make("Z", DEE, received, answered(23, Outcome.UPHELD))
        assert case.first_responded_at == datetime(2026, 3, 29, 12, tzinfo=london)
        (cohort,) = outcomes([case], now=NOW).cohorts
        assert cohort.median_time_to_response == timedelta(hours=23)


class TestStatuses:
    def test_given_as_a_callable(self):
        by_mapping = outcomes(CASES, now=NOW, statuses=STATUSES)
        by_callable = outcomes(CASES, now=NOW, statuses=lambda case: STATUSES[case.id])
        assert by_callable == by_mapping

    def test_evaluated_from_clocks(self):
        clock = Clock(name="reply", target=BusinessDays(2), stop_on=(ev.FinalResponseSent,))
        given = {c.id: evaluate_clocks(c, [clock], calendar=EW, now=NOW) for c in CASES}
        evaluated = outcomes(CASES, now=NOW, clocks=[clock], calendar=EW)
        assert evaluated == outcomes(CASES, now=NOW, statuses=given)
        # Due at the end of the second business day after receipt (England and Wales):
        # V1 Mon 2 March, due end of Wed 4, answered Wed 09:00: met. V2 Wed 1 April, due
        # end of Tue 7 (Good Friday 3 April is a holiday), answered Thu 2: met. V3 Fri 1
        # May, due end of Wed 6 (4 May is a bank holiday), never answered: breached. N1
        # answered the same day: met. N2 Tue 3 March, due end of Thu 5, answered Sat 7:
        # breached. N3 (due end of Fri 6 March) and N4 (end of Wed 4) unanswered: breached.
        assert [(c.key, c.timed, c.breached) for c in evaluated.cohorts] == [
            ("not vulnerable", 4, 3),
            ("vulnerable", 3, 1),
        ]

    def test_wrong_statuses(self):
        with pytest.raises(InvalidType, match=r"statuses\(cases\[0\]\): expected a sequence"):
            outcomes(CASES, now=NOW, statuses=lambda case: "met")
        with pytest.raises(InvalidType, match=r"statuses\(cases\[0\]\)\[0\]: expected ClockStatus"):
            outcomes(CASES, now=NOW, statuses=lambda case: ["met"])
        with pytest.raises(InvalidType, match="a callable from a case to its clock statuses"):
            outcomes(CASES, now=NOW, statuses=5)
        with pytest.raises(UnknownName, match="no clock statuses for case 'N4'"):
            outcomes(CASES, now=NOW, statuses={k: s for k, s in STATUSES.items() if k != "N4"})
        clock = Clock(name="reply", target=BusinessDays(2), stop_on=(ev.FinalResponseSent,))
        for statuses in (STATUSES, lambda case: ()):
            with pytest.raises(ValidationError, match="not both"):
                outcomes(CASES, now=NOW, statuses=statuses, clocks=[clock], calendar=EW)
        with pytest.raises(ValidationError, match="clocks need a calendar"):
            outcomes(CASES, now=NOW, clocks=[clock])


class TestArguments:
    def test_unknown_grouping_lists_every_name(self):
        with pytest.raises(UnknownName, match="'vulnerability' is not a key to group by") as e:
            outcomes(CASES, now=NOW, by="vulnerability")
        assert "tags, team, vulnerable, or a callable" in e.value.message
        with pytest.raises(InvalidType, match="by: expected a str .*vulnerable"):
            outcomes(CASES, now=NOW, by=5)
        with pytest.raises(InvalidType, match=r"by\(cases\[0\]\): expected a str"):
            outcomes(CASES, now=NOW, by=lambda case: 5)

    def test_other_arguments(self):
        with pytest.raises(ValidationError, match="now: naive datetime"):
            outcomes(CASES, now=datetime(2026, 6, 1))
        with pytest.raises(ValidationError, match="repeat_window: must be >= 0"):
            outcomes(CASES, now=NOW, repeat_window=-DAY)
        with pytest.raises(InvalidType, match=r"cases\[1\]: expected Case"):
            outcomes([V1, "V2"], now=NOW)
        with pytest.raises(
            UnknownName,
            match=r"key: 'x' is not a cohort of the report \(cohorts: 'not vulnerable', 'vul",
        ):
            outcomes(CASES, now=NOW).cohort("x")

    def test_no_cases(self):
        report = outcomes([], now=NOW)
        assert (report.cohorts, report.by, report.now) == ((), "vulnerable", NOW)


# -- the gap between two cohorts ------------------------------------------------------------


def gap(x1, n1, x2, n2, **kw):
    return OutcomeGap(
        metric="uphold_rate", a="a", b="b", a_count=x1, a_size=n1, b_count=x2, b_size=n2, **kw
    )


class TestOutcomeGap:
    def test_published_example(self):
        # 45 of 100 against 30 of 100. Pooled p = 75 / 200 = 0.375;
        # SE = sqrt(0.375 * 0.625 * (1/100 + 1/100)) = sqrt(0.0046875) = 0.0684653;
        # z = (0.45 - 0.30) / 0.0684653 = 2.19089; two-sided p = 2 * (1 - Phi(2.19089))
        # = 2 * 0.01423 = 0.0285 (Phi from a five-place table).
        g = gap(45, 100, 30, 100)
        assert g.z == pytest.approx(2.19089, abs=1e-5)
        assert g.p_value == pytest.approx(0.0285, abs=5e-5)
        assert (g.status, g.difference, g.a_rate, g.b_rate) == (
            GapStatus.GAP,
            Decimal("15.0"),
            Decimal("45.0"),
            Decimal("30.0"),
        )
        assert g.test == "two-sided two-proportion z-test (pooled)"
        assert g.status == "gap"
        # The other way round: the same p-value, z negated, a negative difference.
        h = gap(30, 100, 45, 100)
        assert (h.z, h.p_value, h.difference) == (-g.z, g.p_value, Decimal("-15.0"))
        # At alpha 0.01 the same figures are no evidence of a gap.
        assert gap(45, 100, 30, 100, alpha=0.01).status == "no evidence of a gap"

    def test_second_example(self):
        # 20 of 50 against 15 of 50: p = 35 / 100 = 0.35; SE = sqrt(0.35 * 0.65 * 0.04)
        # = sqrt(0.0091) = 0.0953939; z = 0.10 / 0.0953939 = 1.04828; p = 2 * (1 -
        # Phi(1.04828)) = 2 * 0.14725 = 0.2945 (Phi from a five-place table, interpolated):
        # no evidence of a gap.
        g = gap(20, 50, 15, 50)
        assert g.z == pytest.approx(1.04828, abs=1e-5)
        assert g.p_value == pytest.approx(0.2945, abs=5e-5)
        assert g.status is GapStatus.NO_EVIDENCE

    def test_too_few(self):
        g = gap(29, 29, 0, 1000)
        assert (g.status, g.z, g.p_value) == (GapStatus.TOO_FEW, None, None)
        assert g.difference == Decimal("100.0")  # still shown, never tested
        assert gap(29, 29, 0, 1000, min_size=29).status is GapStatus.GAP
        assert gap(0, 0, 0, 50).difference is None

    def test_no_difference_at_all(self):
        for x in (0, 40):
            g = gap(x, 40, x * 2, 80)
            assert (g.z, g.p_value, g.status) == (0.0, 1.0, GapStatus.NO_EVIDENCE)

    def test_from_a_report(self):
        report = outcomes(CASES, now=NOW, statuses=STATUSES)
        g = outcome_gap(report, "repeat_contact_rate", "vulnerable", "not vulnerable", min_size=3)
        assert (g.a_count, g.a_size, g.b_count, g.b_size) == (3, 3, 1, 4)
        # Pooled 4 / 7; SE = sqrt(4/7 * 3/7 * (1/3 + 1/4)) = sqrt(0.142857) = 0.377964;
        # z = (1 - 0.25) / 0.377964 = 1.98431; p = 2 * (1 - Phi(1.98431)) = 2 * 0.02361
        # = 0.0472.
        assert g.z == pytest.approx(1.98431, abs=1e-5)
        assert g.p_value == pytest.approx(0.0472, abs=5e-5)
        assert g.status is GapStatus.GAP
        assert (
            outcome_gap(report, "repeat_contact_rate", "vulnerable", "not vulnerable").status
            == "too few"
        )
        expected = {
            "uphold_rate": (2, 2, 1, 2),
            "reopen_rate": (1, 3, 0, 4),
            "referral_rate": (1, 3, 1, 4),
            "breach_rate": (1, 2, 1, 3),
        }
        for metric, counts in expected.items():
            g = outcome_gap(report, metric, "vulnerable", "not vulnerable")
            assert (g.a_count, g.a_size, g.b_count, g.b_size) == counts, metric

    def test_wrong_names(self):
        report = outcomes(CASES, now=NOW)
        with pytest.raises(UnknownName, match="metric: 'nps' is not a rate to compare") as e:
            outcome_gap(report, "nps", "vulnerable", "not vulnerable")
        assert (
            "breach_rate, referral_rate, reopen_rate, repeat_contact_rate, uphold_rate"
            in e.value.message
        )
        with pytest.raises(
            UnknownName, match=r"b: 'others' is not a cohort .*'not vulnerable', 'vulnerable'"
        ):
            outcome_gap(report, "reopen_rate", "vulnerable", "others")
        with pytest.raises(ValidationError, match="b: compare two different cohorts"):
            outcome_gap(report, "reopen_rate", "vulnerable", "vulnerable")
        with pytest.raises(ValidationError, match="alpha: 1.5 is out of range"):
            outcome_gap(report, "reopen_rate", "vulnerable", "not vulnerable", alpha=1.5)
        with pytest.raises(InvalidType, match="alpha: expected a float"):
            outcome_gap(
                report, "reopen_rate", "vulnerable", "not vulnerable", alpha=Decimal("0.05")
            )
        with pytest.raises(ValidationError, match="min_size: 0 is out of range"):
            outcome_gap(report, "reopen_rate", "vulnerable", "not vulnerable", min_size=0)
        with pytest.raises(
            ValidationError, match=r"OutcomeGap.a_count: 5 is more than a_size \(4\)"
        ):
            gap(5, 4, 0, 4)

    @given(
        x1=st.integers(0, 500),
        extra1=st.integers(0, 500),
        x2=st.integers(0, 500),
        extra2=st.integers(0, 500),
        min_size=st.integers(1, 600),
        alpha=st.floats(0.001, 0.2),
    )
    def test_never_a_gap_below_min_size_and_p_matches_the_normal_tail(
        self, x1, extra1, x2, extra2, min_size, alpha
    ):
        n1, n2 = x1 + extra1, x2 + extra2
        g = gap(x1, n1, x2, n2, min_size=min_size, alpha=alpha)
        if min(n1, n2) < min_size:
            assert (g.status, g.z, g.p_value) == (GapStatus.TOO_FEW, None, None)
            return
        # Oracle: the same statistic, its tail from statistics.NormalDist (not math.erfc).
        p1, p2, pooled = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
        se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        if se == 0:
            assert (g.z, g.p_value, g.status) == (0.0, 1.0, GapStatus.NO_EVIDENCE)
            return
        z = (p1 - p2) / se
        p = 2 * (1 - statistics.NormalDist().cdf(abs(z)))
        assert g.z == pytest.approx(z)
        assert g.p_value == pytest.approx(p, abs=1e-9)
        assert 0 <= g.p_value <= 1
        if abs(g.p_value - alpha) > 1e-9:
            assert (g.status is GapStatus.GAP) == (p < alpha)


# -- cohort figures against a brute-force oracle --------------------------------------------

POOL = [("p1", False), ("p2", False), ("p3", False), ("anon", True)]


@st.composite
def portfolios(draw):
    """Random cases whose customers come from a small pool (anonymous ones included)."""
    histories = draw(st.lists(rks.histories(max_size=10), max_size=8))
    cases = []
    for i, events in enumerate(histories):
        name, anonymous = draw(st.sampled_from(POOL))
        customer = CustomerRef(name, vulnerable=draw(st.booleans()), anonymous=anonymous)
        first = events[0]
        complaint = attrs.evolve(first.complaint, id=f"K{i}", customer=customer)
        case = replay([attrs.evolve(first, complaint=complaint), *events[1:]])
        if draw(st.booleans()):  # paid redress is rare in random histories: add some
            case = _pay(case, draw(rks.money(currencies=["GBP", "EUR"], max_amount=Decimal(500))))
        cases.append(case)
    return cases


def _pay(case, value):
    """``case`` with a refund of ``value`` offered, accepted and delivered a minute after its
    last event, if its lifecycle state allows that."""
    at = case.history[-1].at.astimezone(UTC) + timedelta(minutes=1)
    steps = [
        ev.RemedyOffered(at=at, remedy=Remedy("PAY", RemedyKind.REFUND, value=value)),
        ev.RemedyAccepted(at=at, remedy_id="PAY"),
        ev.RemedyDelivered(at=at, remedy_id="PAY"),
    ]
    try:
        for step in steps:
            case = case.apply(step)
    except InvalidTransition:
        pass
    return case


def instant(at):
    return at.astimezone(UTC)


def oracle(cases, now, window, statuses):
    """Each cohort's figures, from the events themselves."""
    rows = defaultdict(lambda: defaultdict(int))
    times, money = defaultdict(list), defaultdict(lambda: defaultdict(Decimal))
    for case in cases:
        key = "vulnerable" if case.complaint.customer.vulnerable else "not vulnerable"
        row = rows[key]
        row["cases"] += 1
        received = instant(case.history[0].at)
        answers = [
            e
            for e in case.history
            if isinstance(e, ev.FinalResponseSent) and instant(e.at) <= instant(now)
        ]
        if answers:
            row["responded"] += 1
            row["upheld"] += answers[-1].outcome in {Outcome.UPHELD, Outcome.PARTIALLY_UPHELD}
            times[key].append(instant(answers[0].at) - received)
        offered = {e.remedy.id: e.remedy for e in case.history if isinstance(e, ev.RemedyOffered)}
        for e in case.history:
            if isinstance(e, ev.RemedyDelivered) and offered[e.remedy_id].value is not None:
                value = offered[e.remedy_id].value
                money[key][value.currency] += value.amount
        seen_answer = False
        reopened = False
        for e in case.history:
            if isinstance(e, ev.Reopened) or (
                isinstance(e, ev.InvestigationStarted) and seen_answer
            ):
                reopened = True
            seen_answer = seen_answer or isinstance(e, ev.FinalResponseSent)
        row["reopened"] += reopened
        me = case.complaint.customer
        row["repeat_contacts"] += any(
            other.id != case.id
            and not me.anonymous
            and not other.complaint.customer.anonymous
            and other.complaint.customer.id == me.id
            and abs(instant(other.complaint.received_at) - received) <= window
            for other in cases
        )
        row["referred"] += any(isinstance(e, ev.ReferredToOmbudsman) for e in case.history)
        found = statuses[case.id]
        row["timed"] += bool(found)
        row["breached"] += any(s.status == ClockState.BREACHED for s in found)
    medians = {k: sorted(t)[(len(t) - 1) // 2] if t else None for k, t in times.items()}
    return rows, medians, money


def per_case(amount, n):
    """Half-to-even cents of ``amount / n`` in integers (amounts here have two places)."""
    cents = int(amount * 100)
    q, r = divmod(cents, n)
    if 2 * r > n or (2 * r == n and q % 2):
        q += 1
    return Decimal(q) / 100


@settings(max_examples=60)
@given(
    cases=portfolios(),
    data=st.data(),
    window=st.timedeltas(timedelta(0), timedelta(days=20000)),
)
def test_cohort_figures_equal_a_recount_from_the_events(cases, data, window):
    moments = sorted({instant(e.at) for c in cases for e in c.history}) or [NOW]
    now = data.draw(st.sampled_from(moments)) + data.draw(
        st.sampled_from([-HOUR, timedelta(0), HOUR])
    )
    states = st.sampled_from([MET, BREACHED, RUNNING])
    statuses = {c.id: tuple(data.draw(st.lists(states, max_size=2))) for c in cases}
    report = outcomes(cases, now=now, repeat_window=window, statuses=statuses)
    rows, medians, money = oracle(cases, now, window, statuses)
    assert report.keys == tuple(sorted(rows))
    for cohort in report.cohorts:
        row = rows[cohort.key]
        for name in (
            "cases",
            "responded",
            "upheld",
            "reopened",
            "repeat_contacts",
            "referred",
            "timed",
            "breached",
        ):
            assert getattr(cohort, name) == row[name], name
        assert cohort.median_time_to_response == medians.get(cohort.key)
        assert {m.currency: m.amount for m in cohort.redress} == dict(money[cohort.key])
        assert {m.currency: m.amount for m in cohort.redress_per_case} == {
            c: per_case(total, row["cases"]) for c, total in money[cohort.key].items()
        }
        rates = {
            "uphold_rate": ("upheld", "responded"),
            "reopen_rate": ("reopened", "cases"),
            "repeat_contact_rate": ("repeat_contacts", "cases"),
            "referral_rate": ("referred", "cases"),
            "breach_rate": ("breached", "timed"),
        }
        for rate, (part, whole) in rates.items():
            assert getattr(cohort, rate) == percent(row[part], row[whole]), rate


def percent(part, whole):
    """``part`` in ``whole`` as a percentage, half to even to one place, in integers."""
    if not whole:
        return None
    q, r = divmod(part * 1000, whole)
    if 2 * r > whole or (2 * r == whole and q % 2):
        q += 1
    return Decimal(q) / 10


@given(cases=portfolios())
def test_a_case_counts_under_each_of_its_keys(cases):
    by_tags = outcomes(cases, now=NOW, by="tags")
    assert sum(c.cases for c in by_tags.cohorts) == sum(
        max(len(set(c.complaint.tags)), 1) for c in cases
    )
    by_vulnerability = outcomes(cases, now=NOW)
    assert sum(c.cases for c in by_vulnerability.cohorts) == len(cases)


# -- did the fix work? ----------------------------------------------------------------------

FIXED_AT = datetime(2026, 5, 1, tzinfo=UTC)
FIX = RootCauseFixed(root_cause_id="RC-1", at=FIXED_AT, change="Payments run once a day")


def received_at(cid, at, category="billing"):
    return make(cid, DEE, at, category=category)


# Billing complaints around the fix (window 30 days):
#   before: F-30d (the window's first instant), F-10d, F-1µs       -> 3
#   after:  F (the fix's instant), F+10d                            -> 2
#   outside: F-30d-1µs, F+30d (the after-window's end is excluded)
# Delivery complaints inside the windows never count.
AROUND = [
    received_at("B0", FIXED_AT - 30 * DAY - timedelta.resolution),
    received_at("B1", FIXED_AT - 30 * DAY),
    received_at("B2", FIXED_AT - 10 * DAY),
    received_at("B3", FIXED_AT - timedelta.resolution),
    received_at("A1", FIXED_AT),
    received_at("A2", FIXED_AT + 10 * DAY),
    received_at("A3", FIXED_AT + 30 * DAY),
    received_at("D1", FIXED_AT - DAY, "delivery"),
    received_at("D2", FIXED_AT + DAY, "delivery"),
]


class TestFixImpact:
    def test_complete_window(self):
        impact = fix_impact(AROUND, FIX, theme="billing", now=FIXED_AT + 60 * DAY, window=30 * DAY)
        assert (impact.before, impact.after, impact.complete) == (3, 2, True)
        assert impact.after_observed == 30 * DAY
        # 3 and 2 cases in 30 days; (2 - 3) / 3 = -33.33..%
        assert (impact.before_rate, impact.after_rate, impact.change) == (
            Decimal("3.0"),
            Decimal("2.0"),
            Decimal("-33.3"),
        )
        assert impact.theme == "billing"
        assert str(impact) == (
            "billing: 3 in the 30 days before the fix (3.0 per 30 days), 2 in the 30 days "
            "after it (2.0 per 30 days); change -33.3%"
        )

    def test_partial_window_is_scaled_and_said(self):
        impact = fix_impact(AROUND, FIX, theme="billing", now=FIXED_AT + 15 * DAY, window=30 * DAY)
        # A1 and A2 in the 15 days observed: 2 * 30 / 15 = 4.0 per 30 days, +33.3%.
        assert (impact.after, impact.after_observed, impact.complete) == (2, 15 * DAY, False)
        assert (impact.after_rate, impact.change) == (Decimal("4.0"), Decimal("33.3"))
        assert str(impact) == (
            "billing: 3 in the 30 days before the fix (3.0 per 30 days), 2 in the first 15 of "
            "the 30 days after it (4.0 per 30 days; partial window, rate scaled); change +33.3%"
        )
        # A case received at or after now is not counted, even inside the window.
        early = fix_impact(AROUND, FIX, theme="billing", now=FIXED_AT + 10 * DAY, window=30 * DAY)
        assert (early.after, early.after_rate) == (1, Decimal("3.0"))

    def test_nothing_observed_yet(self):
        impact = fix_impact(AROUND, FIX, theme="billing", now=FIXED_AT, window=30 * DAY)
        assert (impact.after, impact.after_observed, impact.after_rate, impact.change) == (
            0,
            timedelta(0),
            None,
            None,
        )
        assert str(impact).endswith("nothing observed after it yet")
        with pytest.raises(ValidationError, match="now: .* is before the fix"):
            fix_impact(AROUND, FIX, theme="billing", now=FIXED_AT - timedelta.resolution)

    def test_no_case_before(self):
        impact = fix_impact(AROUND, FIX, theme="delivery", now=NOW, window=timedelta(hours=12))
        assert (impact.before, impact.after, impact.before_rate, impact.change) == (
            0,
            0,
            Decimal("0.0"),
            None,
        )

    def test_theme_as_a_callable_and_default_window(self):
        def any_theme(case):
            return True

        impact = fix_impact(AROUND, FIX, theme=any_theme, now=NOW)
        # 90 days each side: every case; 5 before (B0..B3, D1), 4 after (A1..A3, D2) in the
        # 31 days to NOW: 4 * 30 / 31 = 3.87..
        assert (impact.theme, impact.before, impact.after) == (
            "TestFixImpact.test_theme_as_a_callable_and_default_window.<locals>.any_theme",
            5,
            4,
        )
        assert (impact.window, impact.after_observed) == (90 * DAY, 31 * DAY)
        assert (impact.before_rate, impact.after_rate) == (Decimal("1.7"), Decimal("3.9"))
        # (4/31) / (5/90) - 1 = 360/155 - 1 = 1.32258..
        assert impact.change == Decimal("132.3")

    def test_windows_are_instants(self):
        london = ZoneInfo("Europe/London")
        fix = RootCauseFixed(
            root_cause_id="RC-2", at=datetime(2026, 3, 29, 3, tzinfo=london), change="c"
        )
        # 23 hours before 03:00 BST on 29 March is 03:00 GMT on the 28th: the clocks went
        # forward in between. Wall-clock arithmetic would start the window at 04:00.
        cases = [
            received_at("X1", datetime(2026, 3, 28, 3, tzinfo=london)),
            received_at("X2", datetime(2026, 3, 28, 2, 59, tzinfo=london)),
        ]
        impact = fix_impact(cases, fix, theme="billing", now=fix.at, window=timedelta(hours=23))
        assert impact.before == 1

    def test_wrong_arguments(self):
        with pytest.raises(InvalidType, match=r"theme\(cases\[0\]\): expected a bool"):
            fix_impact(AROUND, FIX, theme=lambda case: 1, now=NOW)
        with pytest.raises(InvalidType, match="theme: expected a category"):
            fix_impact(AROUND, FIX, theme=5, now=NOW)
        with pytest.raises(ValidationError, match="theme: a category must not be empty"):
            fix_impact(AROUND, FIX, theme=" ", now=NOW)
        with pytest.raises(ValidationError, match="window: .* outside the dates"):
            fix_impact(AROUND, FIX, theme="billing", now=NOW, window=timedelta.max)
        with pytest.raises(ValidationError, match="window: must be positive"):
            fix_impact(AROUND, FIX, theme="billing", now=NOW, window=timedelta(0))
        with pytest.raises(InvalidType, match="fix: expected RootCauseFixed"):
            fix_impact(AROUND, "RC-1", theme="billing", now=NOW)
        with pytest.raises(ValidationError, match="FixImpact.after_observed"):
            FixImpact(fix=FIX, theme="t", window=DAY, before=0, after=0, after_observed=2 * DAY)

    @given(
        offsets=st.lists(st.integers(-100 * 24, 100 * 24), max_size=30),
        window_hours=st.integers(1, 80 * 24),
        now_hours=st.integers(0, 100 * 24),
    )
    def test_counts_equal_a_recount(self, offsets, window_hours, now_hours):
        cases = [received_at(f"C{i}", FIXED_AT + h * HOUR) for i, h in enumerate(offsets)]
        window = window_hours * HOUR
        impact = fix_impact(
            cases, FIX, theme="billing", now=FIXED_AT + now_hours * HOUR, window=window
        )
        assert impact.before == sum(-window_hours <= h < 0 for h in offsets)
        assert impact.after == sum(0 <= h < min(window_hours, now_hours) for h in offsets)
        assert impact.complete is (now_hours >= window_hours)


# -- wrong types ----------------------------------------------------------------------------

REPORT = outcomes(CASES, now=NOW, statuses=STATUSES)
CLOCK = Clock(name="reply", target=BusinessDays(2), stop_on=(ev.FinalResponseSent,))

CALLS = {
    "outcomes": (
        outcomes,
        {
            "cases": CASES[:4],
            "by": "vulnerable",
            "now": NOW,
            "statuses": STATUSES,
            "repeat_window": timedelta(days=90),
        },
    ),
    "outcomes.clocks": (
        outcomes,
        {
            "cases": CASES[:3],
            "by": lambda case: case.complaint.tags,
            "now": NOW,
            "clocks": [CLOCK],
            "calendar": EW,
        },
    ),
    "outcomes.callable_statuses": (
        outcomes,
        {"cases": CASES[:3], "now": NOW, "statuses": lambda case: STATUSES.get(case.id, ())},
    ),
    "Cohort": (
        Cohort,
        {f.name: getattr(REPORT.cohorts[1], f.name) for f in attrs.fields(Cohort)},
    ),
    "OutcomeReport": (OutcomeReport, {"cohorts": REPORT.cohorts, "by": "vulnerable", "now": NOW}),
    "OutcomeReport.cohort": (REPORT.cohort, {"key": "vulnerable"}),
    "outcome_gap": (
        outcome_gap,
        {
            "report": REPORT,
            "metric": "uphold_rate",
            "a": "vulnerable",
            "b": "not vulnerable",
            "min_size": 1,
            "alpha": 0.05,
        },
    ),
    "OutcomeGap": (
        OutcomeGap,
        {
            "metric": "uphold_rate",
            "a": "x",
            "b": "y",
            "a_count": 45,
            "a_size": 100,
            "b_count": 30,
            "b_size": 100,
            "min_size": 30,
            "alpha": 0.05,
        },
    ),
    "GapStatus": (GapStatus, {"value": "gap"}),
    "fix_impact": (
        fix_impact,
        {"cases": AROUND, "fix": FIX, "theme": "billing", "now": NOW, "window": 30 * DAY},
    ),
    "FixImpact": (
        FixImpact,
        {
            "fix": FIX,
            "theme": "billing",
            "window": DAY,
            "before": 1,
            "after": 2,
            "after_observed": DAY,
        },
    ),
}

NEW_METRICS = {"Cohort", "GapStatus", "OutcomeGap", "OutcomeReport", "outcome_gap", "outcomes"}
NEW_LOOPS = {"FixImpact", "fix_impact"}


def test_every_new_public_callable_is_fed_wrong_types():
    covered = {name.split(".")[0] for name in CALLS}
    assert covered >= NEW_METRICS | NEW_LOOPS
    assert public_callables(metrics) >= NEW_METRICS
    assert public_callables(loops) >= NEW_LOOPS


@pytest.mark.parametrize("name", sorted(CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = CALLS[name]
    call_with_wrong_types(data, target, valid)
