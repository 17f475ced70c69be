"""Clocks and regimes checked against a lifecycle: every unknown state and event is named.

Issue 12: a `Clock` whose ``pause_in`` names a state the lifecycle does not have was accepted
and silently never paused. The oracles here are literal: the default lifecycle's states and
accepted events are written out, not read from the lifecycle under test.
"""

from datetime import UTC, datetime, timedelta
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    Channel,
    Clock,
    Complaint,
    CustomerRef,
    Transition,
    calendars,
    evaluate_clocks,
    open_case,
    regimes,
)
from recoverykit import events as ev
from recoverykit.clocks import (
    BusinessDays,
    BusinessHours,
    ClockState,
    Extension,
    Weeks,
    check_clocks,
    unknown_names,
)
from recoverykit.errors import InvalidType, Problem, RecoveryKitError, UnknownName
from recoverykit.regimes import (
    Regime,
    asic_rg271,
    eu_adr,
    fca_disp,
    helpdesk_sla,
    reg_e,
    reg_x,
)

from wrong_types import call_with_wrong_types

#: The default lifecycle's states, in order, written out (the oracle).
STATES = (
    "received",
    "acknowledged",
    "investigating",
    "awaiting_customer",
    "responded",
    "resolved",
    "closed",
    "referred",
    "withdrawn",
)
STATE_LIST = ", ".join(STATES)
#: Event types the default lifecycle accepts in some state (ComplaintReceived opens a case).
EVENTS = (
    ev.ComplaintReceived,
    ev.Acknowledged,
    ev.OwnerAssigned,
    ev.Escalated,
    ev.InvestigationStarted,
    ev.InformationRequested,
    ev.InformationReceived,
    ev.ReplySent,
    ev.HoldingReplySent,
    ev.RemedyOffered,
    ev.RemedyAccepted,
    ev.RemedyDeclined,
    ev.RemedyDelivered,
    ev.FinalResponseSent,
    ev.ResolutionAccepted,
    ev.FollowUpScheduled,
    ev.FollowUpCompleted,
    ev.RootCauseLinked,
    ev.CaseLinked,
    ev.Reopened,
    ev.Closed,
    ev.ReferredToOmbudsman,
    ev.Withdrawn,
    ev.ActivityRecorded,
)
BUILT_IN_REGIMES = {
    "FCA_DISP": regimes.FCA_DISP,
    "FCA_DISP next business day": fca_disp(receipt_next_business_day=True),
    "FCA_PAYMENTS": regimes.FCA_PAYMENTS,
    "CFPB": regimes.CFPB,
    "ASIC_RG271": regimes.ASIC_RG271,
    "ASIC_RG271_HARDSHIP": regimes.ASIC_RG271_HARDSHIP,
    "ASIC_RG271_SUPERANNUATION": regimes.ASIC_RG271_SUPERANNUATION,
    "asic_rg271(10)": asic_rg271(10, variant="custom"),
    "CBI_CPC": regimes.CBI_CPC,
    "HOUSING_OMBUDSMAN": regimes.HOUSING_OMBUDSMAN,
    **{
        name: getattr(regimes, name)
        for name in (
            "CBI_CPC_2012",
            "DUAA_COMPLAINTS",
            "EU_ADR",
            "LGSCO",
            "OFCOM_6_WEEKS",
            "OFCOM_8_WEEKS",
            "OFGEM",
            "OFWAT_GSS",
            "PSR_APP_SCAMS",
            "REG_E",
            "REG_X",
            "REG_Z",
        )
    },
    "eu_adr(complex)": eu_adr(complex_dispute=True),
    "reg_e(new account)": reg_e(new_account=True),
    "reg_e(pos or foreign)": reg_e(pos_or_foreign=True),
    "reg_x(payoff)": reg_x(payoff_balance=True),
    "HELPDESK": regimes.HELPDESK,
    "helpdesk_sla(...)": helpdesk_sla(resolution=Weeks(2), warning=None),
}

T0 = datetime(2026, 6, 1, 9, tzinfo=UTC)  # a Monday
EW = calendars.england_and_wales()
CASE = open_case(
    Complaint(id="K-1", customer=CustomerRef("k"), channel=Channel.EMAIL, received_at=T0)
)


@attrs.frozen(kw_only=True)
class LegalReviewStarted(ev.Event):
    event_type: ClassVar[str] = "test.clock_check.legal_review_started"


@attrs.frozen(kw_only=True)
class ApprovalGiven(ev.Event):
    """An app's event that no lifecycle here accepts."""

    event_type: ClassVar[str] = "test.clock_check.approval_given"


@attrs.frozen(kw_only=True)
class ChaseSent(ev.ReplySent):
    """An app's subclass of an accepted event: accepted wherever its parent is."""

    event_type: ClassVar[str] = "test.clock_check.chase_sent"


#: An app's derived lifecycle: a legal review between investigating and the final response.
LEGAL = COMPLAINT_LIFECYCLE.with_state(
    "legal_review",
    transitions=[
        Transition(LegalReviewStarted, {"investigating"}, "legal_review"),
        Transition(ev.FinalResponseSent, {"legal_review"}, "responded"),
    ],
    stays_like="investigating",
    name="complaint+legal",
)


def with_states(*added, name=None):
    """The default lifecycle with states ``added`` in a chain entered from investigating by
    `LegalReviewStarted` and each left by `InvestigationStarted`."""
    sources = ["investigating", *added]
    return COMPLAINT_LIFECYCLE.derive(
        name=name,
        add_states=added,
        add_transitions=[
            t
            for source, state in zip(sources, added, strict=False)
            for t in (
                Transition(LegalReviewStarted, {source}, state),
                Transition(ev.InvestigationStarted, {state}, "investigating"),
            )
        ],
    )


def clock(name="resolution", **kwargs):
    return Clock(name=name, target=BusinessDays(5), **{"stop_on": ev.FinalResponseSent, **kwargs})


# -- worked examples --------------------------------------------------------------------------


class TestWorkedExamples:
    def test_a_clock_pausing_in_waiting_is_named_with_the_states_allowed(self):
        with pytest.raises(UnknownName) as info:
            clock(pause_in="waiting").check(COMPLAINT_LIFECYCLE)
        assert info.value.path == "Clock.pause_in"
        assert str(info.value) == (
            "Clock.pause_in: clock 'resolution' pauses in 'waiting', which is not a state of "
            f"lifecycle 'complaint'; its states: {STATE_LIST}"
        )
        assert isinstance(info.value, LookupError)

    def test_two_unknown_names_are_both_listed(self):
        clocks = [
            clock("first_reply"),
            clock(pause_in={"waiting", "awaiting_customer", "on_hold"}),
        ]
        with pytest.raises(UnknownName) as info:
            check_clocks(clocks, COMPLAINT_LIFECYCLE)
        assert info.value.path == "clocks"
        assert str(info.value) == (
            "clocks: 2 states or events are not in lifecycle 'complaint':\n"
            "- clocks[1].pause_in: clock 'resolution' pauses in 'on_hold', which is not a "
            "state of lifecycle 'complaint'\n"
            "- clocks[1].pause_in: clock 'resolution' pauses in 'waiting', which is not a "
            "state of lifecycle 'complaint'\n"
            f"states of 'complaint': {STATE_LIST}"
        )

    def test_an_unknown_event_is_named_in_every_field_that_names_events(self):
        odd = Clock(
            name="approval",
            target=Weeks(2),
            start_on=ApprovalGiven,
            stop_on=(ev.FinalResponseSent, ApprovalGiven),
            restart_on=ApprovalGiven,
            extension=Extension(event=ApprovalGiven, target=Weeks(4)),
            pause_in="legal_review",
        )
        found = unknown_names([clock("ok"), odd], COMPLAINT_LIFECYCLE)
        assert [p.path for p in found] == [
            "clocks[1].pause_in",
            "clocks[1].start_on[0]",
            "clocks[1].stop_on[1]",
            "clocks[1].restart_on[0]",
            "clocks[1].extension.event",
        ]
        assert all(isinstance(p, Problem) for p in found)
        assert found[2].message.startswith(
            "clock 'approval' stops on ApprovalGiven, an event lifecycle 'complaint' never "
            "accepts; it accepts (with subclasses): ComplaintReceived, "
        )
        assert found[4].message.startswith("clock 'approval' is extended by ApprovalGiven, ")
        with pytest.raises(UnknownName) as info:
            check_clocks([clock("ok"), odd], COMPLAINT_LIFECYCLE)
        message = str(info.value)
        assert message.startswith(
            "clocks: 5 states or events are not in lifecycle 'complaint':\n"
            "- clocks[1].pause_in: clock 'approval' pauses in 'legal_review', which is not a "
            "state of lifecycle 'complaint'\n"
            "- clocks[1].start_on[0]: clock 'approval' starts on ApprovalGiven, an event "
            "lifecycle 'complaint' never accepts\n"
        )
        tail = message.splitlines()[-2:]
        assert tail[0] == f"states of 'complaint': {STATE_LIST}"
        assert tail[1].startswith("events 'complaint' accepts, with subclasses: ")
        listed = tail[1].split(": ", 1)[1].split(", ")
        assert set(listed) <= {e.__name__ for e in EVENTS}
        assert "ApprovalGiven" not in listed

    def test_unknown_events_alone_list_the_events_not_the_states(self):
        clocks = [clock("a", stop_on=ApprovalGiven), clock("b", start_on=ApprovalGiven)]
        with pytest.raises(UnknownName) as info:
            check_clocks(clocks, COMPLAINT_LIFECYCLE)
        lines = str(info.value).splitlines()
        assert lines[:3] == [
            "clocks: 2 states or events are not in lifecycle 'complaint':",
            "- clocks[0].stop_on[0]: clock 'a' stops on ApprovalGiven, an event lifecycle "
            "'complaint' never accepts",
            "- clocks[1].start_on[0]: clock 'b' starts on ApprovalGiven, an event lifecycle "
            "'complaint' never accepts",
        ]
        assert len(lines) == 4
        assert lines[3].startswith("events 'complaint' accepts, with subclasses: ")

    def test_subclasses_and_parents_of_accepted_events_are_known(self):
        # HoldingReplySent and ChaseSent subclass ReplySent; Event is the parent of all.
        fine = Clock(
            name="updates",
            target=BusinessHours(4),
            start_on=ev.Event,
            stop_on=(ev.HoldingReplySent, ChaseSent),
            extension=Extension(event=ChaseSent, target=BusinessHours(8)),
        )
        fine.check(COMPLAINT_LIFECYCLE)
        assert unknown_names([fine], COMPLAINT_LIFECYCLE) == ()

    def test_the_opening_event_is_known_though_no_transition_names_it(self):
        assert all(t.event is not ev.ComplaintReceived for t in COMPLAINT_LIFECYCLE.transitions)
        clock(start_on=ev.ComplaintReceived).check(COMPLAINT_LIFECYCLE)

    @pytest.mark.parametrize("name", sorted(BUILT_IN_REGIMES))
    def test_every_built_in_regime_fits_the_default_lifecycle(self, name):
        regime = BUILT_IN_REGIMES[name]
        regime.check(COMPLAINT_LIFECYCLE)
        check_clocks(regime.clocks, COMPLAINT_LIFECYCLE)
        assert unknown_names(regime.clocks, COMPLAINT_LIFECYCLE) == ()

    @pytest.mark.parametrize("name", sorted(BUILT_IN_REGIMES))
    def test_every_built_in_regime_fits_a_derived_lifecycle_with_a_state_added(self, name):
        BUILT_IN_REGIMES[name].check(LEGAL)

    def test_a_lifecycle_without_the_waiting_state_fails_the_helpdesk_regime(self):
        no_wait = COMPLAINT_LIFECYCLE.without_state("awaiting_customer", name="no-wait")
        with pytest.raises(UnknownName) as info:
            regimes.HELPDESK.check(no_wait)
        assert info.value.path == "Regime.clocks"
        lines = str(info.value).splitlines()
        assert lines[0] == "Regime.clocks: 5 states or events are not in lifecycle 'no-wait':"
        # Removing the state removed the only transition of InformationRequested too.
        assert lines[1:6] == [
            "- Regime.clocks[0].stop_on[1]: clock 'first_reply' stops on InformationRequested, "
            "an event lifecycle 'no-wait' never accepts",
            "- Regime.clocks[1].stop_on[1]: clock 'next_reply' stops on InformationRequested, "
            "an event lifecycle 'no-wait' never accepts",
            "- Regime.clocks[2].pause_in: clock 'periodic_update' pauses in "
            "'awaiting_customer', which is not a state of lifecycle 'no-wait'",
            "- Regime.clocks[2].stop_on[1]: clock 'periodic_update' stops on "
            "InformationRequested, an event lifecycle 'no-wait' never accepts",
            "- Regime.clocks[3].pause_in: clock 'resolution' pauses in 'awaiting_customer', "
            "which is not a state of lifecycle 'no-wait'",
        ]
        assert lines[6] == (
            "states of 'no-wait': received, acknowledged, investigating, responded, resolved, "
            "closed, referred, withdrawn"
        )
        # Regimes that never pause nor reply fit it.
        regimes.FCA_DISP.check(no_wait)

    def test_one_unknown_name_in_a_regime_has_its_own_path(self):
        regime = Regime(name="R", reference="r", clocks=[clock("a"), clock("b", pause_in="hold")])
        with pytest.raises(UnknownName, match=r"^Regime.clocks\[1\].pause_in: clock 'b' pauses"):
            regime.check(COMPLAINT_LIFECYCLE)


class TestEvaluation:
    def test_evaluate_clocks_refuses_a_clock_that_would_never_pause(self):
        with pytest.raises(UnknownName) as info:
            evaluate_clocks(CASE, [clock(pause_in="waiting")], calendar=EW, now=T0)
        assert str(info.value) == (
            "clocks[0].pause_in: clock 'resolution' pauses in 'waiting', which is not a state "
            f"of lifecycle 'complaint'; its states: {STATE_LIST}"
        )

    def test_regime_evaluate_names_the_regime_clocks(self):
        regime = Regime(name="R", reference="r", clocks=[clock(stop_on=ApprovalGiven)])
        with pytest.raises(UnknownName, match=r"^Regime.clocks\[0\].stop_on\[0\]: clock "):
            regime.evaluate(CASE, calendar=EW, now=T0)

    def test_a_clock_pauses_in_a_state_of_a_derived_lifecycle(self):
        review = clock(pause_in="legal_review")
        case = open_case(CASE.complaint, lifecycle=LEGAL)
        case = case.apply(ev.InvestigationStarted(at=T0 + timedelta(hours=1)))
        case = case.apply(LegalReviewStarted(at=T0 + timedelta(hours=2)))
        (status,) = evaluate_clocks(case, [review], calendar=EW, now=T0 + timedelta(hours=5))
        assert status.status is ClockState.PAUSED
        assert status.paused_for == timedelta(hours=3)
        # The same clock on a case of the default lifecycle is refused, not silently unpaused.
        with pytest.raises(UnknownName, match="'legal_review', which is not a state"):
            evaluate_clocks(CASE, [review], calendar=EW, now=T0)

    def test_what_was_found_to_fit_one_lifecycle_says_nothing_of_another(self):
        review = (clock(pause_in="legal_review"),)
        case = open_case(CASE.complaint, lifecycle=LEGAL)
        for _ in range(2):  # the second time from what was remembered
            evaluate_clocks(case, review, calendar=EW, now=T0)
            with pytest.raises(UnknownName):
                evaluate_clocks(CASE, review, calendar=EW, now=T0)
            with pytest.raises(UnknownName):
                evaluate_clocks(CASE, list(review), calendar=EW, now=T0)

    def test_many_clocks_against_one_lifecycle_are_each_checked(self):
        # Many clocks against one lifecycle: each is checked, none is lost.
        lc = with_states("hold", name="many")
        for i in range(1100):
            check_clocks([clock(f"c{i}", pause_in="hold")], lc)
        with pytest.raises(UnknownName, match="'elsewhere'"):
            clock(pause_in="elsewhere").check(lc)
        clock(pause_in="hold").check(lc)

    def test_a_lifecycle_built_again_is_checked_again(self):
        # Many short-lived lifecycles (ids may be reused) never share what was found.
        for i in range(80):
            if i % 2:
                lc = with_states(f"s{i}")
                clock(pause_in=f"s{i}").check(lc)
            else:
                lc = COMPLAINT_LIFECYCLE.derive(name=f"c{i}")
            with pytest.raises(UnknownName, match=f"'s{i + 1}'"):
                clock(pause_in=f"s{i + 1}").check(lc)


# -- properties -----------------------------------------------------------------------------

state_names = st.text(st.characters(codec="ascii", categories=["L", "N", "P"]), min_size=1)


@given(st.sets(st.sampled_from(STATES)))
def test_any_set_of_real_states_passes(pause_in):
    clock(pause_in=pause_in).check(COMPLAINT_LIFECYCLE)


@given(st.sets(st.sampled_from(STATES)), st.sets(state_names, min_size=1))
def test_every_name_not_a_state_fails_and_is_named(real, made_up):
    unknown = made_up - set(STATES)
    c = clock(pause_in=real | made_up)
    found = unknown_names([c], COMPLAINT_LIFECYCLE)
    assert [p.path for p in found] == ["clocks[0].pause_in"] * len(unknown)
    assert [p.message.split(", which")[0] for p in found] == [
        f"clock 'resolution' pauses in {n!r}" for n in sorted(unknown)
    ]
    if not unknown:
        c.check(COMPLAINT_LIFECYCLE)
        return
    with pytest.raises(UnknownName) as info:
        evaluate_clocks(CASE, [c], calendar=EW, now=T0)
    for name in unknown:
        assert f"pauses in {name!r}, which is not a state" in str(info.value)
    assert str(info.value).count("\n- ") == (len(unknown) if len(unknown) > 1 else 0)


@given(
    st.lists(st.sampled_from(EVENTS), min_size=1, max_size=4),
    st.lists(st.sampled_from(EVENTS), min_size=1, max_size=4),
    st.lists(st.sampled_from([*EVENTS, ApprovalGiven, ChaseSent, ev.Event]), max_size=4),
)
def test_an_event_is_unknown_exactly_when_no_accepted_event_is_related(start, stop, restart):
    c = clock(start_on=start, stop_on=stop, restart_on=restart)
    found = unknown_names([c], COMPLAINT_LIFECYCLE)
    expected = [f"clocks[0].restart_on[{i}]" for i, e in enumerate(restart) if e is ApprovalGiven]
    assert [p.path for p in found] == expected


@given(
    st.lists(state_names.filter(lambda s: s not in STATES), min_size=1, max_size=3, unique=True),
    st.data(),
)
def test_a_derived_lifecycle_knows_its_added_states_and_the_default_does_not(added, data):
    lc = with_states(*added)
    pause_in = data.draw(st.sets(st.sampled_from([*STATES, *added]), min_size=1))
    c = clock(pause_in=pause_in)
    c.check(lc)
    outside = sorted(pause_in - set(STATES))
    found = unknown_names([c], COMPLAINT_LIFECYCLE)
    assert [p.message.split(", which")[0] for p in found] == [
        f"clock 'resolution' pauses in {n!r}" for n in outside
    ]


@given(st.lists(st.sampled_from(sorted(BUILT_IN_REGIMES)), min_size=1, max_size=3, unique=True))
def test_evaluate_raises_exactly_when_unknown_names_finds_something(names):
    no_wait = COMPLAINT_LIFECYCLE.without_state("awaiting_customer")
    case = open_case(CASE.complaint, lifecycle=no_wait)
    clocks = [c for n in names for c in BUILT_IN_REGIMES[n].clocks]
    found = unknown_names(clocks, no_wait)
    try:
        evaluate_clocks(case, clocks, calendar=EW, now=T0)
    except UnknownName as exc:
        assert found
        assert exc.path == (found[0].path if len(found) == 1 else "clocks")
    else:
        assert not found


# -- wrong types ------------------------------------------------------------------------------

CALLS = {
    "Clock.check": (clock().check, {"lifecycle": COMPLAINT_LIFECYCLE}),
    "check_clocks": (check_clocks, {"clocks": [clock()], "lifecycle": COMPLAINT_LIFECYCLE}),
    "unknown_names": (unknown_names, {"clocks": [clock()], "lifecycle": COMPLAINT_LIFECYCLE}),
    "Regime.check": (regimes.HELPDESK.check, {"lifecycle": COMPLAINT_LIFECYCLE}),
}


class TestWrongTypes:
    @pytest.mark.parametrize("name", sorted(CALLS))
    def test_lifecycle_must_be_a_lifecycle(self, name):
        fn, kwargs = CALLS[name]
        with pytest.raises(InvalidType, match=r"^lifecycle: expected a Lifecycle, got str"):
            fn(**{**kwargs, "lifecycle": "complaint"})

    @pytest.mark.parametrize("fn", [check_clocks, unknown_names])
    @pytest.mark.parametrize(
        ("clocks", "path"),
        [
            (5, "clocks"),
            ("resolution", "clocks"),
            (clock(), "clocks"),
            ([clock(), 5], r"clocks\[1\]"),
        ],
    )
    def test_clocks_must_be_clocks(self, fn, clocks, path):
        with pytest.raises(InvalidType, match=rf"^{path}: expected"):
            fn(clocks, COMPLAINT_LIFECYCLE)

    @pytest.mark.parametrize("name", sorted(CALLS))
    @given(data=st.data())
    def test_only_recoverykit_errors(self, name, data):
        fn, kwargs = CALLS[name]
        call_with_wrong_types(data, fn, kwargs)


def test_errors_are_recoverykit_errors():
    with pytest.raises(RecoveryKitError):
        check_clocks([clock(pause_in="nowhere")], COMPLAINT_LIFECYCLE)
