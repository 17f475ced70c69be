import attrs
import pytest

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    InvalidEvent,
    InvalidTransition,
    Lifecycle,
    Outcome,
    Transition,
    ValidationError,
    open_case,
    replay,
)
from recoverykit import events as ev
from recoverykit.complaint_lifecycle import ACTIVE
from recoverykit.errors import InvalidType, LifecycleDefinitionError

from factories import at, complaint


def tiny(**kw):
    fields = {
        "name": "tiny",
        "states": ("open", "done"),
        "initial": "open",
        "end_states": {"done"},
        "transitions": [Transition(ev.Closed, {"open"}, "done")],
    }
    fields.update(kw)
    return Lifecycle(**fields)


class TestDefault:
    def test_shape(self):
        lc = COMPLAINT_LIFECYCLE
        assert lc.states == (
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
        assert lc.initial == "received"
        assert lc.end_states == {"closed", "referred", "withdrawn"}
        assert lc.final_states == {"referred"}
        assert lc.is_end("closed")
        assert not lc.is_final("closed")

    def test_every_default_event_is_handled_somewhere(self):
        handled = {t.event for t in COMPLAINT_LIFECYCLE.transitions}
        every = {
            cls
            for name in ev.__all__
            if isinstance(cls := getattr(ev, name), type) and cls is not ev.Event
        }
        # HoldingReplySent follows ReplySent's transition, as a subclass.
        assert every - handled == {ev.ComplaintReceived, ev.HoldingReplySent}

    def test_allowed_events_in_order(self):
        assert COMPLAINT_LIFECYCLE.allowed_events("closed") == (
            ev.Reopened,
            ev.Closed,
            ev.ReferredToOmbudsman,
            ev.FollowUpScheduled,
            ev.FollowUpCompleted,
            ev.RootCauseLinked,
            ev.CaseLinked,
            ev.ActivityRecorded,
        )

    def test_allowed_events_unknown_state(self):
        with pytest.raises(ValidationError, match="unknown state 'limbo'; known: received"):
            COMPLAINT_LIFECYCLE.allowed_events("limbo")

    def test_sources_of(self):
        assert COMPLAINT_LIFECYCLE.sources_of(ev.ResolutionAccepted) == {"responded", "resolved"}

    def test_subclassed_event_follows_its_parent(self):
        @attrs.frozen(kw_only=True)
        class ChatAcknowledged(ev.Acknowledged):
            event_type = "chat.acknowledged"

        case = open_case(complaint()).apply(ChatAcknowledged(at=at(1)))
        assert case.state == "acknowledged"
        assert case.acknowledged_at == at(1)

    def test_repr(self):
        assert repr(COMPLAINT_LIFECYCLE) == "<Lifecycle 'complaint': 9 states, 30 transitions>"

    def test_is_hashable_and_comparable(self):
        again = COMPLAINT_LIFECYCLE.derive()
        assert again == COMPLAINT_LIFECYCLE
        assert hash(again) == hash(COMPLAINT_LIFECYCLE)


class TestValidation:
    def test_reports_every_problem_at_once(self):
        with pytest.raises(LifecycleDefinitionError) as info:
            Lifecycle(
                name="broken",
                states=("a", "b", "a", " "),
                initial="x",
                end_states={"z"},
                final_states={"b", "q"},
                transitions=[
                    Transition(ev.Closed, {"a", "nowhere"}, "elsewhere"),
                    Transition(ev.Closed, {"a"}, "b"),
                    Transition(ev.Reopened, (), "a"),
                    Transition(ev.Reopened, {"b"}, "a"),
                ],
            )
        assert info.value.problems == (
            "duplicate states: a",
            "state ' ' is not a non-blank string",
            "initial state 'x' is not one of the states",
            "end state 'z' is not one of the states",
            "final state 'q' is not one of the states",
            "final state 'b' must also be an end state",
            "transition 0 (Closed): unknown source state 'nowhere'",
            "transition 0 (Closed): unknown target state 'elsewhere'",
            "transition 1 (Closed): Closed in state 'a' is already handled by transition 0",
            "transition 2 (Reopened): has no source states",
            "transition 3 (Reopened): leaves final state 'b' for 'a'",
        )
        assert str(info.value).startswith("invalid lifecycle (11 problems):\n- duplicate states")

    def test_wrong_types_are_refused_where_they_are_given(self):
        with pytest.raises(InvalidType, match=r"^Transition.event: expected an Event subclass"):
            Transition(str, {"a"})  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^Transition.sources\[0\]: expected a state"):
            Transition(ev.Closed, [5])  # type: ignore[list-item]
        with pytest.raises(InvalidType, match=r"^Transition.guards\[0\]: expected a function"):
            Transition(ev.Closed, {"a"}, guards=[5])  # type: ignore[list-item]
        with pytest.raises(
            InvalidType, match=r"^Lifecycle.transitions\[0\]: expected a Transition"
        ):
            Lifecycle(name="x", states=["a"], initial="a", end_states="a", transitions=[5])  # type: ignore[list-item]
        with pytest.raises(InvalidType, match=r"^Lifecycle.name: expected str"):
            Lifecycle(name=5, states=["a"], initial="a", end_states="a", transitions=[])  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^remove_transitions\[0\]"):
            COMPLAINT_LIFECYCLE.derive(remove_transitions=[5])  # type: ignore[list-item]

    def test_no_states_and_no_end(self):
        with pytest.raises(LifecycleDefinitionError) as info:
            Lifecycle(name="empty", states=(), initial="a", end_states=(), transitions=())
        assert info.value.problems == (
            "a lifecycle needs at least one state",
            "initial state 'a' is not one of the states",
            "no end state: a case could never be done",
        )

    def test_unreachable_and_dead_end_states(self):
        with pytest.raises(LifecycleDefinitionError) as info:
            tiny(
                states=("open", "done", "orphan", "trap"),
                transitions=[
                    Transition(ev.Closed, {"open"}, "done"),
                    Transition(ev.Escalated, {"open"}, "trap"),
                    Transition(ev.Reopened, {"orphan"}, "open"),
                ],
            )
        assert info.value.problems == (
            "state 'orphan' cannot be reached from 'open'",
            "no end state can be reached from state 'trap'",
        )

    def test_a_bare_string_is_one_state_not_letters(self):
        lc = tiny(transitions=[Transition(ev.Closed, "open", "done")])
        assert lc.transitions[0].sources == {"open"}


class TestDerivation:
    def test_custom_legal_review(self):
        @attrs.frozen(kw_only=True)
        class LegalReviewStarted(ev.Event):
            event_type = "legal_review.started"

        lc = COMPLAINT_LIFECYCLE.with_state(
            "legal_review",
            transitions=[
                Transition(LegalReviewStarted, {"investigating"}, "legal_review"),
                Transition(ev.FinalResponseSent, {"legal_review"}, "responded"),
            ],
            stays_like="investigating",
            name="complaint+legal",
        ).without_transition(ev.FinalResponseSent, {"investigating"})
        assert lc.name == "complaint+legal"
        assert "legal_review" in lc.states
        assert ev.RemedyOffered in lc.allowed_events("legal_review")
        case = open_case(complaint(), lifecycle=lc)
        case = case.apply(ev.InvestigationStarted(at=at(1)))
        with pytest.raises(InvalidTransition):
            case.apply(ev.FinalResponseSent(at=at(2), outcome=Outcome.UPHELD))
        case = case.apply(LegalReviewStarted(at=at(2)))
        assert case.state == "legal_review"
        case = case.apply(ev.FinalResponseSent(at=at(3), outcome=Outcome.UPHELD))
        assert case.state == "responded"
        assert replay(case.history, lifecycle=lc) == case
        assert "investigating --> legal_review : LegalReviewStarted" in lc.to_mermaid()
        assert "legal_review --> responded : FinalResponseSent" in lc.to_mermaid()

    def test_without_state_drops_its_transitions(self):
        lc = COMPLAINT_LIFECYCLE.without_state("referred")
        assert "referred" not in lc.states
        assert lc.final_states == frozenset()
        assert all(t.event is not ev.ReferredToOmbudsman for t in lc.transitions)
        assert all("referred" not in t.sources for t in lc.transitions)

    def test_cannot_remove_initial_state(self):
        with pytest.raises(LifecycleDefinitionError, match="cannot remove the initial state"):
            COMPLAINT_LIFECYCLE.without_state("received")

    def test_removing_a_needed_state_reports_the_consequence(self):
        with pytest.raises(LifecycleDefinitionError) as info:
            COMPLAINT_LIFECYCLE.without_state("responded")
        assert info.value.problems == ("state 'resolved' cannot be reached from 'received'",)
        assert str(info.value).startswith("invalid lifecycle (1 problem):\n")

    def test_with_transition_and_guard(self):
        def needs_owner(case, event):
            return None if case.owner else "assign an owner before acknowledging"

        lc = COMPLAINT_LIFECYCLE.with_transition(
            ev.Acknowledged, {"received"}, "acknowledged", guards=[needs_owner], replace=True
        )
        assert len(lc.transitions) == len(COMPLAINT_LIFECYCLE.transitions)
        with pytest.raises(InvalidEvent, match="assign an owner before acknowledging"):
            open_case(complaint(), lifecycle=lc).apply(ev.Acknowledged(at=at(1)))

    def test_acknowledged_at_keeps_the_first_acknowledgement(self):
        case = open_case(complaint())
        case = case.apply(ev.Acknowledged(at=at(1))).apply(ev.Acknowledged(at=at(2)))
        assert case.acknowledged_at == at(1)

    def test_investigation_started_at_keeps_the_first(self):
        case = open_case(complaint())
        case = case.apply(ev.InvestigationStarted(at=at(1))).apply(
            ev.InvestigationStarted(at=at(2))
        )
        assert case.investigation_started_at == at(1)

    def test_conflicting_transition_is_reported(self):
        with pytest.raises(LifecycleDefinitionError, match="already handled by transition 0"):
            COMPLAINT_LIFECYCLE.with_transition(ev.Acknowledged, {"received"}, "investigating")

    def test_new_state_without_way_in_is_reported(self):
        with pytest.raises(LifecycleDefinitionError) as info:
            COMPLAINT_LIFECYCLE.with_state("limbo")
        assert "state 'limbo' cannot be reached from 'received'" in info.value.problems

    def test_stays_like_unknown_state(self):
        with pytest.raises(ValidationError, match="unknown state 'nope'"):
            COMPLAINT_LIFECYCLE.with_state("x", stays_like="nope")

    def test_with_end_and_final_state(self):
        lc = COMPLAINT_LIFECYCLE.with_state(
            "archived",
            transitions=[Transition(ev.Escalated, {"closed"}, "archived")],
            end=True,
            final=True,
        )
        assert lc.is_final("archived")
        assert lc.is_end("archived")

    def test_derive_keeps_original_untouched(self):
        before = COMPLAINT_LIFECYCLE.transitions
        COMPLAINT_LIFECYCLE.without_transition(ev.Closed, {"withdrawn"})
        assert COMPLAINT_LIFECYCLE.transitions == before


class TestMermaid:
    def test_tiny(self):
        lc = tiny(
            transitions=[
                Transition(ev.Closed, {"open"}, "done"),
                Transition(ev.Withdrawn, {"open"}, "done"),
                Transition(ev.Escalated, {"open"}),
            ]
        )
        assert lc.to_mermaid() == (
            "stateDiagram-v2\n"
            "    [*] --> open\n"
            "    open --> done : Closed, Withdrawn\n"
            "    done --> [*]\n"
        )
        assert "    open --> open : Escalated\n" in lc.to_mermaid(include_stays=True)

    def test_default_has_every_moving_transition(self):
        text = COMPLAINT_LIFECYCLE.to_mermaid()
        moving = sum(
            1
            for t in COMPLAINT_LIFECYCLE.transitions
            for s in t.sources
            if t.target not in (None, s)
        )
        edges = [ln for ln in text.splitlines() if "-->" in ln and "[*]" not in ln]
        labels = sum(len(ln.split(" : ")[1].split(", ")) for ln in edges)
        assert labels == moving
        assert all(s in text for s in COMPLAINT_LIFECYCLE.states)


def test_active_states_are_not_end_states():
    assert not set(ACTIVE) & COMPLAINT_LIFECYCLE.end_states
