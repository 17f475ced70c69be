import statistics
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    Channel,
    Complaint,
    CustomerRef,
    FollowUp,
    Money,
    Outcome,
    Owner,
    Remedy,
    RemedyKind,
    RootCause,
    Severity,
    Survey,
    ValidationError,
    calendars,
    metrics,
    regimes,
    replay,
    score,
)
from recoverykit import events as ev
from recoverykit.clocks import ClockState
from recoverykit.errors import InvalidType, UnknownName
from recoverykit.metrics import calibrate, ces, csat, dimensions, nps, portfolio
from recoverykit.model import FollowUpOutcome, FollowUpPurpose
from recoverykit.scoring import DEFAULT_RULESET, Band

from wrong_types import call_with_wrong_types, public_callables

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
NOW = datetime(2026, 9, 1, tzinfo=UTC)


class TestSurveyMetrics:
    def test_nps_hand_computed(self):
        r = nps([10, 9, 8, 7, 6, 0, None, 9, None, 3])
        # 3 promoters, 2 passives, 3 detractors of 8 answers: (3 - 3) / 8 = 0
        assert (r.promoters, r.passives, r.detractors, r.answered, r.missing) == (3, 2, 3, 8, 2)
        assert r.score == Decimal("0.0")
        assert nps([10, 10, 9, 0]).score == Decimal("50.0")
        assert nps([9, 9, 8]).score == Decimal("66.7")

    def test_nps_extremes_and_empty(self):
        assert nps([9, 10, 10]).score == Decimal("100.0")
        assert nps([0, 6, 3]).score == Decimal("-100.0")
        empty = nps([])
        assert (empty.score, empty.answered, empty.missing) == (None, 0, 0)
        only_missing = nps([None, None])
        assert (only_missing.score, only_missing.missing) == (None, 2)

    def test_csat_and_ces(self):
        r = csat([5, 4, 3, 1, None])
        assert (r.percent, r.satisfied, r.answered, r.missing) == (Decimal("50.0"), 2, 4, 1)
        assert csat([5, 5]).percent == Decimal("100.0")
        assert csat([1, 2]).percent == Decimal("0.0")
        assert csat([]).percent is None
        c = ces([7, 5, 2, None])
        assert (c.mean, c.easy, c.answered, c.missing) == (Decimal("4.7"), 2, 3, 1)
        assert ces([None]).mean is None

    @pytest.mark.parametrize(
        ("fn", "answers", "message"),
        [
            (nps, [11], r"scores\[0\]: 11 is out of range, allowed 0..10"),
            (nps, [5, -1], r"scores\[1\]: -1 is out of range"),
            (csat, [0], r"scores\[0\]: 0 is out of range, allowed 1..5"),
            (ces, [8], r"scores\[0\]: 8 is out of range, allowed 1..7"),
            (nps, [7.5], r"scores\[0\]: expected an int 0..10 or None, got float 7.5"),
            (csat, [True], r"scores\[0\]: expected an int 1..5 or None, got bool True"),
        ],
    )
    def test_out_of_range_is_an_error(self, fn, answers, message):
        with pytest.raises(ValidationError, match=message):
            fn(answers)

    @given(st.lists(st.one_of(st.none(), st.integers(0, 10)), max_size=50))
    def test_nps_matches_its_definition(self, answers):
        r = nps(answers)
        given_ = [a for a in answers if a is not None]
        assert r.missing == len(answers) - len(given_)
        if given_:
            exact = Decimal(sum(a >= 9 for a in given_) - sum(a <= 6 for a in given_)) * 100
            assert abs(r.score - exact / len(given_)) <= Decimal("0.05")
            assert Decimal(-100) <= r.score <= Decimal(100)

    def test_dimensions_weakest_first(self):
        surveys = [
            Survey(ratings={"communication": 5, "value for money": 2}),
            Survey(ratings={"communication": 4, "value for money": 1, "reliability": 3}),
            Survey(nps=9),
        ]
        found = dimensions(surveys)
        assert [(d.dimension, d.mean, d.answered, d.low) for d in found] == [
            ("value for money", Decimal("1.5"), 2, 2),
            ("reliability", Decimal("3.0"), 1, 0),
            ("communication", Decimal("4.5"), 2, 0),
        ]
        assert surveys[0].rating("communication") == 5
        assert surveys[2].rating("communication") is None


def make_case(i, rng_state):
    """A deterministic variety of cases for the portfolio tests."""
    channel = list(Channel)[i % len(Channel)]
    category = ["billing", "delivery", None][i % 3]
    received = T0 + timedelta(hours=7 * i)
    complaint = Complaint(
        id=f"C-{i}",
        customer=CustomerRef(f"c{i % 5}"),
        channel=channel,
        received_at=received,
        category=category,
        severity=list(Severity)[i % 4],
        claimed_loss=Money(10 * i, "GBP"),
    )
    out = [ev.ComplaintReceived(at=received, complaint=complaint)]

    def at(h):
        return received + timedelta(hours=h)

    if rng_state % 2:
        out.append(ev.OwnerAssigned(at=at(1), owner=Owner("a")))
    if rng_state % 3 == 0:
        out.append(ev.InvestigationStarted(at=at(2)))
    if rng_state % 4 == 1:
        out.append(ev.OwnerAssigned(at=at(3), owner=Owner("b")))
    if i % 5 == 0:
        out.append(ev.RootCauseLinked(at=at(4), root_cause=RootCause("RC", "bug")))
    currency = "EUR" if i % 7 == 0 else "GBP"
    kind = RemedyKind.REFUND if i % 2 else RemedyKind.APOLOGY
    value = Money(i, currency) if kind.is_financial else None
    out.append(ev.RemedyOffered(at=at(5), remedy=Remedy("R", kind, value=value)))
    out.append(ev.RemedyDelivered(at=at(6), remedy_id="R"))
    if i % 6 != 5:
        out.append(
            ev.FinalResponseSent(
                at=at(10 + 13 * (i % 9)), outcome=Outcome.UPHELD, apology=i % 2 == 0
            )
        )
        t = 10 + 13 * (i % 9)
        if i % 3 == 0:
            purpose = (
                FollowUpPurpose.CHANGE_NOTIFICATION
                if i % 5 == 0
                else FollowUpPurpose.SATISFACTION_SURVEY
            )
            out.append(
                ev.FollowUpScheduled(at=at(t + 1), follow_up=FollowUp("F", purpose, at(t + 50)))
            )
            if i % 2 == 0:
                out.append(
                    ev.FollowUpCompleted(
                        at=at(t + 2), follow_up_id="F", outcome=FollowUpOutcome.CONFIRMED
                    )
                )
        if i % 4 == 0:
            out.append(ev.Reopened(at=at(t + 3)))
        elif i % 4 == 1:
            out.append(ev.Closed(at=at(t + 3)))
    return replay(out)


CASES = [make_case(i, (i * 7919) % 13) for i in range(60)]
EW = calendars.england_and_wales()


def brute_force(cases, clocks, calendar, now):
    """Every KPI recomputed the slow, obvious way."""
    responded = [c for c in cases if c.first_responded_at is not None]
    times = sorted(c.first_responded_at - c.received_at for c in responded)
    business = sorted(
        calendar.business_time_between(c.received_at, c.first_responded_at) for c in responded
    )
    statuses = {c.id: regimes.FCA_DISP.evaluate(c, calendar=calendar, now=now) for c in cases}
    money = {}
    for c in cases:
        for r in c.remedies:
            if r.remedy.value is not None:
                money[r.remedy.value.currency] = (
                    money.get(r.remedy.value.currency, 0) + r.remedy.value.amount
                )
    linked = [c for c in cases if c.root_causes]
    clock_rates = {}
    for clock in clocks:
        states = [next(s for s in statuses[c.id] if s.name == clock.name).status for c in cases]
        clock_rates[clock.name] = (
            states.count(ClockState.MET),
            states.count(ClockState.BREACHED),
            len(states) - states.count(ClockState.MET) - states.count(ClockState.BREACHED),
        )
    return {
        "cases": len(cases),
        "responded": len(responded),
        "fcr": sum(c.investigation_started_at is None and c.handoffs == 0 for c in responded),
        "reopened": sum(c.reopen_count > 0 for c in cases),
        "median": statistics.median_low(times) if times else None,
        "p90": times[max(-(-len(times) * 9 // 10) - 1, 0)] if times else None,
        "b_median": statistics.median_low(business) if business else None,
        "money": sorted(money.items()),
        "scheduled": sum(len(c.follow_ups) for c in cases),
        "done": sum(f.is_done for c in cases for f in c.follow_ups),
        "linked": len(linked),
        "closed_loop": sum(
            any(
                f.is_done and f.follow_up.purpose is FollowUpPurpose.CHANGE_NOTIFICATION
                for f in c.follow_ups
            )
            for c in linked
        ),
        "bands": {
            b.value: sum(score(c, statuses=statuses[c.id], now=now).band is b for c in cases)
            for b in Band
        },
        "clocks": clock_rates,
        "channels": sorted({c.complaint.channel.value for c in cases}),
        "handoffs": sum(c.handoffs for c in cases),
        "timed": sum(bool(statuses[c.id]) for c in cases),
        "breached": sum(
            any(s.status is ClockState.BREACHED for s in statuses[c.id]) for c in cases
        ),
        "statuses": statuses,
    }


class TestPortfolio:
    def test_matches_a_brute_force_recomputation(self):
        clocks = regimes.FCA_DISP.clocks
        cal = regimes.FCA_DISP.calendar_for(EW)
        report = portfolio(CASES, clocks=clocks, calendar=cal, now=NOW)
        expected = brute_force(CASES, clocks, cal, NOW)
        assert report.cases == expected["cases"]
        assert report.responded == expected["responded"]
        assert report.first_contact_resolutions == expected["fcr"]
        assert report.reopened == expected["reopened"]
        assert report.median_time_to_response == expected["median"]
        assert report.p90_time_to_response == expected["p90"]
        assert report.median_business_time_to_response == expected["b_median"]
        assert list(report.remedy_value) == expected["money"]
        assert report.follow_ups_scheduled == expected["scheduled"]
        assert report.follow_ups_done == expected["done"]
        assert report.linked_to_root_cause == expected["linked"]
        assert report.loop_closed == expected["closed_loop"]
        assert dict(report.bands) == expected["bands"]
        assert {r.clock: (r.met, r.breached, r.undecided) for r in report.clocks} == expected[
            "clocks"
        ]
        assert [name for name, _ in report.by_channel] == expected["channels"]
        assert sum(n for _, n in report.by_state) == len(CASES)
        assert dict(report.by_category)["(none)"] == 20
        assert report.handoffs == expected["handoffs"]
        assert (report.timed, report.breached) == (expected["timed"], expected["breached"])
        # The statuses evaluated once give the same report, clocks not evaluated again.
        given = portfolio(CASES, statuses=expected["statuses"], calendar=cal, now=NOW)
        assert given == report

    def test_rates(self):
        report = portfolio(CASES, now=NOW)
        assert report.reopen_rate == Decimal(report.reopened * 100 / report.cases).quantize(
            Decimal("0.1")
        )
        assert report.first_contact_resolution_rate is not None
        assert report.follow_up_completion_rate == Decimal("50.0")
        assert report.loop_closed_rate is not None
        assert report.clocks == ()
        assert report.median_business_time_to_response is None
        empty = portfolio([], now=NOW)
        assert (empty.cases, empty.reopen_rate, empty.median_time_to_response) == (0, None, None)

    def test_money_is_never_summed_across_currencies(self):
        report = portfolio(CASES, now=NOW)
        assert [currency for currency, _ in report.remedy_value] == ["EUR", "GBP"]

    def test_grouping(self):
        report = portfolio(CASES, now=NOW, by="channel")
        assert sum(g.cases for _, g in report.groups) == report.cases
        email = dict(report.groups)["email"]
        assert email.cases == sum(c.complaint.channel is Channel.EMAIL for c in CASES)
        by_severity = portfolio(CASES, now=NOW, by="severity")
        assert [name for name, _ in by_severity.groups] == ["critical", "high", "low", "medium"]

    def test_errors(self):
        with pytest.raises(ValidationError, match="'colour' is not a key to group by"):
            portfolio(CASES, now=NOW, by="colour")
        with pytest.raises(ValidationError, match="clocks need a calendar"):
            portfolio(CASES, now=NOW, clocks=regimes.FCA_DISP.clocks)
        with pytest.raises(ValidationError, match="now: naive"):
            portfolio(CASES, now=datetime(2026, 1, 1))

    def test_order_does_not_matter(self):
        assert portfolio(list(reversed(CASES)), now=NOW) == portfolio(CASES, now=NOW)


class TestCalibration:
    def test_per_band_observed_rates(self):
        assessments = [score(c, now=NOW) for c in CASES[:12]]
        observed = [True, False, 9, 3, None, True, True, 10, False, None, 8, True]
        rows = calibrate(assessments, observed)
        assert [r.band for r in rows] == list(Band)
        assert sum(r.cases for r in rows) == 12
        assert sum(r.observed for r in rows) == 10
        assert sum(r.positive for r in rows) == 6
        for row in rows:
            members = [a for a in assessments if a.band is row.band]
            if members:
                mean = Decimal(sum(a.score for a in members)) / len(members)
                assert row.mean_predicted == mean.quantize(Decimal("0.1"))
            else:
                assert (row.mean_predicted, row.observed_rate) == (None, None)

    def test_errors(self):
        a = [score(CASES[0], now=NOW)]
        with pytest.raises(ValidationError, match="2 observations for 1 assessments"):
            calibrate(a, [True, False])
        with pytest.raises(ValidationError, match=r"observed\[0\]: expected True/False, an NPS"):
            calibrate(a, [11])


def test_clock_and_calibration_rates():
    from recoverykit.metrics import CalibrationRow, ClockRate

    assert ClockRate("x", met=3, breached=1, undecided=9).rate == Decimal("75.0")
    assert ClockRate("x", met=0, breached=0, undecided=2).rate is None
    row = CalibrationRow(Band.LOYAL, cases=4, observed=4, positive=1, mean_predicted=Decimal(70))
    assert row.observed_rate == Decimal("25.0")


def test_survey_rating_validation():
    with pytest.raises(ValidationError, match=r"Survey.ratings\['value'\]: 6 is not a rating 1..5"):
        Survey(ratings={"value": 6})
    with pytest.raises(ValidationError, match="dimension '' is not a non-blank name"):
        Survey(ratings={"": 3})
    with pytest.raises(ValidationError, match="expected .dimension, rating. pairs or a mapping"):
        Survey(ratings=[3])  # type: ignore[list-item]
    assert Survey(ratings=[("b", 1), ("a", 2)]).ratings == (("a", 2), ("b", 1))


# -- wrong types ----------------------------------------------------------------------------

FEW = CASES[:3]

METRICS_CALLS = {
    "nps": (nps, {"scores": [10, None, 3]}),
    "csat": (csat, {"scores": [5, None, 1]}),
    "ces": (ces, {"scores": [7, None, 1]}),
    "NpsResult": (
        metrics.NpsResult,
        {
            "score": Decimal("0.0"),
            "promoters": 1,
            "passives": 0,
            "detractors": 1,
            "answered": 2,
            "missing": 0,
        },
    ),
    "CsatResult": (
        metrics.CsatResult,
        {"percent": Decimal("50.0"), "satisfied": 1, "answered": 2, "missing": 0},
    ),
    "CesResult": (
        metrics.CesResult,
        {"mean": Decimal("4.0"), "easy": 1, "answered": 2, "missing": 0},
    ),
    "DimensionSummary": (
        metrics.DimensionSummary,
        {"dimension": "value", "mean": Decimal("2.5"), "answered": 2, "low": 1},
    ),
    "dimensions": (dimensions, {"surveys": [Survey(ratings={"a": 2}), Survey()]}),
    "ClockRate": (metrics.ClockRate, {"clock": "x", "met": 1, "breached": 1, "undecided": 0}),
    "PortfolioReport": (
        metrics.PortfolioReport,
        {
            field.name: getattr(portfolio(FEW, now=NOW, by="channel"), field.name)
            for field in attrs.fields(metrics.PortfolioReport)
        },
    ),
    "portfolio": (
        portfolio,
        {
            "cases": FEW,
            "clocks": list(regimes.FCA_DISP.clocks),
            "calendar": EW,
            "now": NOW,
            "by": "category",
            "ruleset": DEFAULT_RULESET,
            "first_contact": metrics.resolved_at_first_contact,
        },
    ),
    "ping_ponged": (metrics.ping_ponged, {"case": FEW[0]}),
    "resolved_at_first_contact": (metrics.resolved_at_first_contact, {"case": FEW[0]}),
    "CalibrationRow": (
        metrics.CalibrationRow,
        {"band": Band.LOYAL, "cases": 2, "observed": 1, "positive": 1, "mean_predicted": None},
    ),
    "calibrate": (
        calibrate,
        {"assessments": [score(c, now=NOW) for c in FEW], "observed": [True, 9, None]},
    ),
}


def test_every_public_metrics_callable_is_fed_wrong_types():
    # The outcome measures are fed wrong types in test_outcomes.
    elsewhere = {"Cohort", "GapStatus", "OutcomeGap", "OutcomeReport", "outcome_gap", "outcomes"}
    assert public_callables(metrics) <= set(METRICS_CALLS) | elsewhere


@pytest.mark.parametrize("name", sorted(METRICS_CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = METRICS_CALLS[name]
    call_with_wrong_types(data, target, valid)


class TestWrongTypes:
    def test_survey_metrics(self):
        with pytest.raises(InvalidType, match="scores: expected an iterable of answers 0..10"):
            nps(5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="scores: .*got str '910'"):
            nps("910")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"surveys\[0\]: expected Survey, got dict"):
            dimensions([{"a": 3}])  # type: ignore[list-item]

    def test_portfolio(self):
        with pytest.raises(UnknownName, match="by: 'colour' is not a key to group by"):
            portfolio(FEW, now=NOW, by="colour")
        with pytest.raises(InvalidType, match=r"by: expected a str \(category, channel"):
            portfolio(FEW, now=NOW, by=["channel"])  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="clocks: expected an iterable of Clock, got int"):
            portfolio(FEW, now=NOW, clocks=5, calendar=EW)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="calendar: expected BusinessCalendar or None"):
            portfolio(FEW, now=NOW, calendar="EW")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="ruleset: expected RuleSet, got NoneType"):
            portfolio(FEW, now=NOW, ruleset=None)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"cases\[1\]: expected Case, got int 5"):
            portfolio([FEW[0], 5], now=NOW)  # type: ignore[list-item]

    def test_calibrate(self):
        assessed = [score(FEW[0], now=NOW)]
        with pytest.raises(InvalidType, match=r"observed\[0\]: expected True/False.*got str"):
            calibrate(assessed, ["yes"])  # type: ignore[list-item]
        with pytest.raises(InvalidType, match=r"assessments\[0\]: expected LoyaltyAssessment"):
            calibrate([FEW[0]], [True])  # type: ignore[list-item]
        with pytest.raises(InvalidType, match="observed: expected an iterable"):
            calibrate(assessed, None)  # type: ignore[arg-type]

    def test_result_classes_check_their_fields(self):
        with pytest.raises(InvalidType, match="ClockRate.met: expected an int >= 0, got str"):
            metrics.ClockRate("x", met="3", breached=1, undecided=0)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="CalibrationRow.band: expected a Band"):
            metrics.CalibrationRow("loyal", 1, 1, 1, None)  # type: ignore[arg-type]
