import pickle
from datetime import datetime, timedelta

import attrs
import pytest

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    FollowUp,
    InvalidEvent,
    InvalidTransition,
    Outcome,
    Owner,
    RecoveryKitError,
    RootCause,
    open_case,
    replay,
)
from recoverykit import events as ev
from recoverykit.model import FollowUpOutcome, FollowUpPurpose, RemedyStatus

from factories import T0, at, complaint, full_history, refund


def responded_case():
    case = open_case(complaint())
    return case.apply(ev.FinalResponseSent(at=at(1), outcome=Outcome.NOT_UPHELD))


class TestFullLifecycle:
    def test_replays_to_expected_state_and_views(self):
        history = full_history()
        case = replay(history)
        assert case.state == "closed"
        assert case.id == "C-1"
        assert case.history == tuple(history)
        assert case.owner == Owner("bea", "complaints")
        assert [a.owner.id for a in case.ownership_history] == ["alex", "bea"]
        assert case.handoffs == 1
        assert case.escalation_level == 1
        assert [(r.remedy.id, r.status) for r in case.remedies] == [
            ("R-1", RemedyStatus.DELIVERED),
            ("R-2", RemedyStatus.DECLINED),
        ]
        r1 = case.remedy("R-1")
        assert r1 is not None
        assert (r1.offered_at, r1.decided_at, r1.delivered_at) == (at(11), at(12), at(13))
        (fu,) = case.follow_ups
        assert fu.is_done
        assert fu.outcome is FollowUpOutcome.CONFIRMED
        assert fu.survey is not None
        assert fu.survey.nps == 9
        assert case.root_causes == (RootCause("RC-1", "Duplicate payment batch"),)
        assert case.acknowledged_at == at(1)
        assert case.responded_at == at(206)
        assert case.final_response is history[-3]
        assert case.resolved_at == at(207)
        assert case.closed_at == at(208)
        assert case.reopen_count == 1
        assert case.updated_at == at(208)
        assert case.received_at == T0
        assert case.is_end

    def test_incremental_apply_equals_replay(self):
        history = full_history()
        case = open_case(history[0].complaint)  # type: ignore[attr-defined]
        for event in history[1:]:
            case = case.apply(event)
        assert case == replay(history)

    def test_states_along_the_way(self):
        history = full_history()
        case = replay(history[:1])
        states = [case.state]
        for event in history[1:]:
            case = case.apply(event)
            states.append(case.state)
        assert states == [
            "received",
            "acknowledged",
            "acknowledged",
            "investigating",
            "awaiting_customer",
            "investigating",
            "investigating",
            "investigating",
            "investigating",
            "responded",
            "responded",
            "responded",
            "closed",
            "investigating",
            "investigating",
            "investigating",
            "investigating",
            "investigating",
            "investigating",
            "responded",
            "resolved",
            "closed",
        ]

    def test_reopening_clears_response_timestamps(self):
        history = full_history()
        case = replay(history[:14])
        assert case.state == "investigating"
        assert (case.responded_at, case.resolved_at, case.closed_at) == (None, None, None)
        assert case.final_response is None
        assert case.reopen_count == 1

    def test_apply_is_pure(self):
        case = open_case(complaint())
        before = attrs.asdict(case, recurse=False)
        case.apply(ev.Acknowledged(at=at(1)))
        assert attrs.asdict(case, recurse=False) == before

    def test_case_is_frozen_and_picklable(self):
        case = replay(full_history())
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            case.state = "received"  # type: ignore[misc]
        assert pickle.loads(pickle.dumps(case)) == case

    def test_repr_is_short_and_has_no_personal_data(self):
        case = replay(full_history())
        assert repr(case) == "<Case 'C-1' state='closed' events=22 owner='bea'>"
        assert "Sam" not in repr(case.complaint)

    def test_allowed_events(self):
        case = open_case(complaint())
        assert ev.Acknowledged in case.allowed_events()
        assert ev.Closed not in case.allowed_events()


class TestRules:
    """Every rule of DESIGN.md section 3, broken once, with its error type and message."""

    def test_no_event_earlier_than_the_previous(self):
        case = open_case(complaint()).apply(ev.Acknowledged(at=at(2)))
        with pytest.raises(InvalidEvent, match=r"is earlier than the previous event") as info:
            case.apply(ev.InvestigationStarted(at=at(1)))
        assert isinstance(info.value.event, ev.InvestigationStarted)

    def test_same_instant_is_allowed(self):
        case = open_case(complaint()).apply(ev.Acknowledged(at=T0))
        assert case.state == "acknowledged"

    def test_earlier_in_another_zone_is_still_earlier(self):
        from datetime import timezone

        case = open_case(complaint()).apply(ev.Acknowledged(at=at(2)))
        plus_one = timezone(timedelta(hours=1))
        # 11:00+01:00 is 10:00 UTC, before 11:30 UTC.
        with pytest.raises(InvalidEvent, match="earlier"):
            case.apply(ev.InvestigationStarted(at=at(0.5).astimezone(plus_one)))

    @pytest.mark.parametrize(
        ("event", "status"),
        [
            (ev.RemedyAccepted(at=at(2), remedy_id="nope"), "accepted"),
            (ev.RemedyDeclined(at=at(2), remedy_id="nope"), "declined"),
            (ev.RemedyDelivered(at=at(2), remedy_id="nope"), "delivered"),
        ],
    )
    def test_no_remedy_step_without_an_offer(self, event, status):
        case = open_case(complaint()).apply(ev.RemedyOffered(at=at(1), remedy=refund()))
        with pytest.raises(InvalidEvent) as info:
            case.apply(event)
        assert str(info.value) == (
            f"{type(event).__name__}: remedy 'nope' was never offered (offered remedies: 'R-1')"
        )
        assert status  # the parametrized step names the status it would have set

    def test_no_remedy_offered_twice_with_one_id(self):
        case = open_case(complaint()).apply(ev.RemedyOffered(at=at(1), remedy=refund()))
        with pytest.raises(InvalidEvent, match="remedy id 'R-1' was already offered"):
            case.apply(ev.RemedyOffered(at=at(2), remedy=refund()))

    def test_declined_remedy_cannot_be_delivered(self):
        case = (
            open_case(complaint())
            .apply(ev.RemedyOffered(at=at(1), remedy=refund()))
            .apply(ev.RemedyDeclined(at=at(2), remedy_id="R-1"))
        )
        with pytest.raises(InvalidEvent) as info:
            case.apply(ev.RemedyDelivered(at=at(3), remedy_id="R-1"))
        assert info.value.reason == "remedy 'R-1' is declined, it must be accepted or offered"

    def test_accepted_remedy_cannot_be_accepted_again(self):
        case = (
            open_case(complaint())
            .apply(ev.RemedyOffered(at=at(1), remedy=refund()))
            .apply(ev.RemedyAccepted(at=at(2), remedy_id="R-1"))
        )
        with pytest.raises(InvalidEvent, match="'R-1' is accepted, it must be offered"):
            case.apply(ev.RemedyAccepted(at=at(3), remedy_id="R-1"))

    def test_no_close_while_an_accepted_remedy_is_undelivered(self):
        case = (
            responded_case()
            .apply(ev.RemedyOffered(at=at(2), remedy=refund()))
            .apply(ev.RemedyAccepted(at=at(3), remedy_id="R-1"))
        )
        with pytest.raises(InvalidEvent) as info:
            case.apply(ev.Closed(at=at(4)))
        assert str(info.value) == (
            "Closed: accepted remedy 'R-1' has not been delivered; record RemedyDelivered "
            "(or RemedyDeclined) before closing"
        )
        delivered = case.apply(ev.RemedyDelivered(at=at(4), remedy_id="R-1"))
        assert delivered.apply(ev.Closed(at=at(5))).state == "closed"

    def test_offered_but_never_accepted_remedy_does_not_block_closing(self):
        case = responded_case().apply(ev.RemedyOffered(at=at(2), remedy=refund()))
        assert case.apply(ev.Closed(at=at(3))).state == "closed"

    @pytest.mark.parametrize("state_events", [[], [ev.InvestigationStarted(at=at(1))]])
    def test_no_close_before_a_final_response_or_withdrawal(self, state_events):
        case = open_case(complaint())
        for e in state_events:
            case = case.apply(e)
        with pytest.raises(InvalidTransition) as info:
            case.apply(ev.Closed(at=at(2)))
        err = info.value
        assert err.state == case.state
        assert err.sources == ("responded", "resolved", "closed", "withdrawn")
        assert "Closed" not in err.allowed
        assert str(err).startswith(
            f"Closed is not allowed in state {case.state!r} "
            "(it is allowed in: responded, resolved, closed, withdrawn); events allowed in"
        )

    def test_withdrawal_allows_closing(self):
        case = open_case(complaint()).apply(ev.Withdrawn(at=at(1), reason="sorted it myself"))
        assert case.apply(ev.Closed(at=at(2))).state == "closed"

    @pytest.mark.parametrize(
        "event",
        [
            ev.RemedyOffered(at=at(9), remedy=refund()),
            ev.FinalResponseSent(at=at(9), outcome=Outcome.UPHELD),
            ev.InvestigationStarted(at=at(9)),
            ev.OwnerAssigned(at=at(9), owner=Owner("zed")),
            ev.Withdrawn(at=at(9)),
            ev.InformationRequested(at=at(9)),
        ],
    )
    def test_after_closed_only_reopening_or_referral_move_the_case(self, event):
        case = responded_case().apply(ev.Closed(at=at(2)))
        with pytest.raises(InvalidTransition) as info:
            case.apply(event)
        assert info.value.state == "closed"
        assert "Reopened" in info.value.allowed
        assert "ReferredToOmbudsman" in info.value.allowed

    def test_closed_case_can_be_reopened_or_referred(self):
        case = responded_case().apply(ev.Closed(at=at(2)))
        assert case.apply(ev.Reopened(at=at(3))).state == "investigating"
        referred = case.apply(ev.ReferredToOmbudsman(at=at(3), body="Financial Ombudsman"))
        assert referred.state == "referred"

    def test_closed_case_still_takes_bookkeeping(self):
        case = responded_case().apply(ev.Closed(at=at(2)))
        fu = FollowUp("F-9", FollowUpPurpose.CHANGE_NOTIFICATION, at(30), root_cause_id="RC-1")
        case = case.apply(ev.RootCauseLinked(at=at(3), root_cause=RootCause("RC-1", "Bug")))
        case = case.apply(ev.FollowUpScheduled(at=at(4), follow_up=fu))
        assert case.state == "closed"
        assert case.follow_up("F-9") is not None

    def test_referred_is_final(self):
        case = responded_case().apply(ev.ReferredToOmbudsman(at=at(2), body="FOS"))
        assert COMPLAINT_LIFECYCLE.is_final("referred")
        for event in (ev.Reopened(at=at(3)), ev.Closed(at=at(3))):
            with pytest.raises(InvalidTransition):
                case.apply(event)
        # An ombudsman-ordered remedy can still be recorded.
        case = case.apply(ev.RemedyOffered(at=at(3), remedy=refund()))
        assert case.state == "referred"

    def test_current_owner_assigned_again_is_kept_and_counted_once(self):
        case = open_case(complaint()).apply(ev.OwnerAssigned(at=at(1), owner=Owner("alex")))
        again = case.apply(ev.OwnerAssigned(at=at(2), owner=Owner("alex")))
        assert len(again.history) == 3
        assert again.ownership_history == case.ownership_history
        assert again.handoffs == 0
        # A change of team is a different owner: a hand-off.
        moved = again.apply(ev.OwnerAssigned(at=at(3), owner=Owner("alex", "ops")))
        assert moved.handoffs == 1

    def test_first_assignment_is_not_a_handoff(self):
        case = open_case(complaint()).apply(ev.OwnerAssigned(at=at(1), owner=Owner("alex")))
        assert case.handoffs == 0
        case = case.apply(ev.OwnerAssigned(at=at(2), owner=Owner("bea")))
        case = case.apply(ev.OwnerAssigned(at=at(3), owner=Owner("alex")))
        assert case.handoffs == 2

    def test_follow_up_rules(self):
        fu = FollowUp("F-1", FollowUpPurpose.SATISFACTION_SURVEY, at(10))
        case = responded_case().apply(ev.FollowUpScheduled(at=at(2), follow_up=fu))
        with pytest.raises(InvalidEvent, match="'F-1' is already scheduled"):
            case.apply(ev.FollowUpScheduled(at=at(3), follow_up=fu))
        with pytest.raises(InvalidEvent, match=r"'F-2' was never scheduled \(scheduled: 'F-1'\)"):
            case.apply(
                ev.FollowUpCompleted(
                    at=at(3), follow_up_id="F-2", outcome=FollowUpOutcome.CONFIRMED
                )
            )
        done = case.apply(
            ev.FollowUpCompleted(at=at(3), follow_up_id="F-1", outcome=FollowUpOutcome.NO_RESPONSE)
        )
        with pytest.raises(InvalidEvent, match="'F-1' is already completed"):
            done.apply(
                ev.FollowUpCompleted(
                    at=at(4), follow_up_id="F-1", outcome=FollowUpOutcome.CONFIRMED
                )
            )

    def test_an_automatic_escalation_trigger_fires_once(self):
        case = open_case(complaint()).apply(ev.Escalated(at=at(1), reason="x", trigger="t:1"))
        with pytest.raises(InvalidEvent, match="already escalated for trigger 't:1'"):
            case.apply(ev.Escalated(at=at(2), reason="x", trigger="t:1"))
        assert case.apply(ev.Escalated(at=at(2), reason="manual")).escalation_level == 2

    def test_root_cause_linked_again_counts_once(self):
        rc = RootCause("RC-1", "Bug")
        case = open_case(complaint()).apply(ev.RootCauseLinked(at=at(1), root_cause=rc))
        again = case.apply(ev.RootCauseLinked(at=at(2), root_cause=rc))
        assert again.root_causes == (rc,)
        assert len(again.history) == 3

    def test_root_cause_id_cannot_name_a_different_cause(self):
        rc = RootCause("RC-1", "Bug")
        case = open_case(complaint()).apply(ev.RootCauseLinked(at=at(1), root_cause=rc))
        with pytest.raises(InvalidEvent, match="root cause 'RC-1' is already linked as"):
            case.apply(ev.RootCauseLinked(at=at(2), root_cause=RootCause("RC-1", "Other")))

    def test_case_linked_again_counts_once(self):
        case = open_case(complaint()).apply(ev.CaseLinked(at=at(1), other_case_id="C-9"))
        assert case.apply(ev.CaseLinked(at=at(2), other_case_id="C-9")).linked_cases == ("C-9",)

    def test_non_event_is_rejected(self):
        with pytest.raises(InvalidEvent, match="expected an Event, got str"):
            open_case(complaint()).apply("closed")  # type: ignore[arg-type]

    def test_second_complaint_received_is_rejected(self):
        case = open_case(complaint())
        with pytest.raises(InvalidTransition, match="ComplaintReceived is not allowed"):
            case.apply(ev.ComplaintReceived(at=at(1), complaint=complaint()))


class TestReplay:
    def test_error_names_the_event_index(self):
        history = full_history()
        broken = [*history[:5], ev.Closed(at=at(5)), *history[5:]]
        with pytest.raises(InvalidTransition) as info:
            replay(broken)
        assert info.value.index == 5
        assert str(info.value).startswith(
            "event 5 (Closed) is not allowed in state 'awaiting_customer'"
        )

    def test_out_of_order_history_names_the_index(self):
        history = full_history()
        history[3], history[4] = history[4], history[3]
        with pytest.raises(InvalidEvent) as info:
            replay(history)
        assert info.value.index == 4
        assert str(info.value).startswith("event 4 (InvestigationStarted): at ")

    def test_history_must_start_with_complaint_received(self):
        with pytest.raises(InvalidEvent) as info:
            replay(full_history()[1:])
        assert info.value.index == 0
        assert info.value.reason == "a history must start with ComplaintReceived, got Acknowledged"

    def test_empty_history(self):
        with pytest.raises(InvalidEvent, match="got an empty history"):
            replay([])

    def test_errors_share_a_base_and_a_builtin(self):
        with pytest.raises(RecoveryKitError):
            replay([])
        with pytest.raises(ValueError, match="empty history"):
            replay([])

    def test_errors_pickle(self):
        try:
            replay([*full_history()[:2], ev.Closed(at=at(1))])
        except InvalidTransition as exc:
            copy = pickle.loads(pickle.dumps(exc))
            assert str(copy) == str(exc)
            assert copy.index == 2
        else:  # pragma: no cover
            pytest.fail("replay accepted an invalid history")

    def test_replay_accepts_any_iterable(self):
        assert replay(iter(full_history())) == replay(full_history())


def test_a_history_must_start_when_its_complaint_was_received():
    from zoneinfo import ZoneInfo

    c = complaint()
    late = ev.ComplaintReceived(at=c.received_at + timedelta(minutes=5), complaint=c)
    with pytest.raises(InvalidEvent) as info:
        replay([late])
    assert info.value.index == 0
    assert "differs from complaint.received_at" in info.value.reason
    # The same instant in another zone is the same start.
    paris = c.received_at.astimezone(ZoneInfo("Europe/Paris"))
    assert replay([ev.ComplaintReceived(at=paris, complaint=c)]).received_at == c.received_at
    # In the repeated autumn hour, the same wall time an hour apart is not the same start.
    london = ZoneInfo("Europe/London")
    first = datetime(2026, 10, 25, 1, 30, tzinfo=london)
    second = first.replace(fold=1)
    folded = attrs.evolve(c, received_at=first)
    with pytest.raises(InvalidEvent):
        replay([ev.ComplaintReceived(at=second, complaint=folded)])


class TestRealWork:
    """The default lifecycle takes the repeats real logs are full of, and counts them once."""

    def test_a_helpdesk_ticket_as_it_really_happened(self):
        steps = [
            ev.Acknowledged(at=at(1)),
            ev.Acknowledged(at=at(2)),  # a second triage step
            ev.InvestigationStarted(at=at(3)),
            ev.InvestigationStarted(at=at(4)),  # started again while investigating
            ev.InformationRequested(at=at(5)),
            ev.InformationRequested(at=at(6)),  # two waits in a row
            ev.InvestigationStarted(at=at(7)),  # work resumed after waiting
            ev.FinalResponseSent(at=at(8), outcome=Outcome.NOT_UPHELD),
            ev.FinalResponseSent(at=at(9), outcome=Outcome.NOT_UPHELD),  # resolved twice
            ev.InvestigationStarted(at=at(10)),  # work restarted after a resolution
            ev.FinalResponseSent(at=at(11), outcome=Outcome.UPHELD, apology=True),
            ev.Closed(at=at(12)),
            ev.Closed(at=at(13)),  # closed twice
        ]
        states = []
        case = open_case(complaint())
        for step in steps:
            case = case.apply(step)
            states.append(case.state)
        assert states == [
            "acknowledged",
            "acknowledged",
            "investigating",
            "investigating",
            "awaiting_customer",
            "awaiting_customer",
            "investigating",
            "responded",
            "responded",
            "investigating",
            "responded",
            "closed",
            "closed",
        ]
        assert len(case.history) == 1 + len(steps)
        assert case.acknowledged_at == at(1)
        assert case.investigation_started_at == at(3)
        assert case.information_requests == 1
        assert case.reopen_count == 1
        assert case.first_responded_at == at(8)
        assert case.responded_at == at(11)
        assert case.closed_at == at(12)
        assert case == replay(case.history)

    def test_second_final_response_supersedes_the_first(self):
        case = responded_case().apply(
            ev.FinalResponseSent(at=at(2), outcome=Outcome.UPHELD, apology=True)
        )
        assert case.final_response is not None
        assert case.final_response.outcome is Outcome.UPHELD
        assert (case.first_responded_at, case.responded_at) == (at(1), at(2))

    def test_repeated_acceptance_and_withdrawal_keep_the_first_time(self):
        resolved = responded_case().apply(ev.ResolutionAccepted(at=at(2)))
        assert resolved.apply(ev.ResolutionAccepted(at=at(3))).resolved_at == at(2)
        withdrawn = open_case(complaint()).apply(ev.Withdrawn(at=at(1)))
        assert withdrawn.apply(ev.Withdrawn(at=at(2))).withdrawn_at == at(1)

    def test_information_received_while_investigating_stays(self):
        case = open_case(complaint()).apply(ev.InvestigationStarted(at=at(1)))
        assert case.apply(ev.InformationReceived(at=at(2))).state == "investigating"

    @pytest.mark.parametrize(
        "state",
        [s for s in COMPLAINT_LIFECYCLE.states if s not in COMPLAINT_LIFECYCLE.final_states],
    )
    def test_activity_recorded_in_every_state_that_is_not_final(self, state):
        case = reach(state)
        activity = ev.ActivityRecorded(at=at(20), name="Queued", attributes={"org:group": "A2"})
        after = case.apply(activity)
        assert after.state == state
        assert after.history[-1] is activity
        assert attrs.evolve(after, history=case.history) == case

    def test_activity_recorded_is_refused_once_final(self):
        with pytest.raises(InvalidTransition):
            reach("referred").apply(ev.ActivityRecorded(at=at(20), name="Queued"))

    def test_the_rules_that_matter_stay_errors(self):
        with pytest.raises(InvalidEvent, match="earlier than the previous event"):
            responded_case().apply(ev.Acknowledged(at=at(0)))
        with pytest.raises(InvalidEvent, match="never offered"):
            responded_case().apply(ev.RemedyAccepted(at=at(2), remedy_id="R-1"))
        with pytest.raises(InvalidTransition):
            open_case(complaint()).apply(ev.Closed(at=at(1)))
        offered = responded_case().apply(ev.RemedyOffered(at=at(2), remedy=refund()))
        accepted = offered.apply(ev.RemedyAccepted(at=at(3), remedy_id=refund().id))
        with pytest.raises(InvalidEvent, match="has not been delivered"):
            accepted.apply(ev.Closed(at=at(4)))


def reach(state):
    """A case in ``state`` of the default lifecycle, by a short literal path."""
    paths = {
        "received": [],
        "acknowledged": [ev.Acknowledged(at=at(1))],
        "investigating": [ev.InvestigationStarted(at=at(1))],
        "awaiting_customer": [ev.InformationRequested(at=at(1))],
        "responded": [ev.FinalResponseSent(at=at(1), outcome=Outcome.UPHELD)],
        "resolved": [
            ev.FinalResponseSent(at=at(1), outcome=Outcome.UPHELD),
            ev.ResolutionAccepted(at=at(2)),
        ],
        "closed": [ev.FinalResponseSent(at=at(1), outcome=Outcome.UPHELD), ev.Closed(at=at(2))],
        "referred": [ev.ReferredToOmbudsman(at=at(1), body="FOS")],
        "withdrawn": [ev.Withdrawn(at=at(1))],
    }
    case = open_case(complaint())
    for step in paths[state]:
        case = case.apply(step)
    assert case.state == state
    return case
