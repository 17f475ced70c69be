"""A stateful test driving random valid and invalid events against the default lifecycle.

After every step: the case equals the replay of its history, every derived view equals a
brute-force recomputation from the history, and history times never go backwards. Each
event is also checked against an oracle that predicts from the history alone whether it
must be accepted, and where it must take the case.

The oracle reads `GOLDEN`, a literal copy of the default lifecycle's table written out by
hand, never the lifecycle under test: a change to the table fails here until it is made
on purpose in both places.
"""

from datetime import timedelta

from hypothesis import event as note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    FollowUp,
    InvalidEvent,
    InvalidTransition,
    Money,
    Outcome,
    Owner,
    Remedy,
    RemedyKind,
    RootCause,
    open_case,
    replay,
)
from recoverykit import events as ev
from recoverykit.model import FollowUpOutcome, FollowUpPurpose, RemedyStatus

from factories import T0, complaint

REMEDY_IDS = st.sampled_from(["R-1", "R-2", "R-3"])
FOLLOW_UP_IDS = st.sampled_from(["F-1", "F-2"])
OWNERS = st.builds(Owner, st.sampled_from(["alex", "bea", "cho"]), st.sampled_from([None, "ops"]))


def remedies():
    kinds = st.sampled_from(list(RemedyKind))
    return st.builds(
        lambda rid, kind, pence: Remedy(
            rid, kind, value=Money(pence, "GBP") if kind.is_financial else None
        ),
        REMEDY_IDS,
        kinds,
        st.integers(0, 10_000),
    )


ACTIVE = ("received", "acknowledged", "investigating", "awaiting_customer", "responded", "resolved")
_STAYS = object()


def _rows(*pairs):
    """``{source: target}`` from ``(sources, target)`` pairs; `_STAYS` keeps the state."""
    return {src: (src if target is _STAYS else target) for srcs, target in pairs for src in srcs}


#: (event class) -> {state it is allowed in: state it leads to}. Written by hand from
#: DESIGN section 3 and the lifecycle docs; absent states refuse the event.
GOLDEN = {
    ev.Acknowledged: _rows(
        (("received",), "acknowledged"),
        (("acknowledged", "investigating", "awaiting_customer", "responded", "resolved"), _STAYS),
    ),
    ev.InvestigationStarted: _rows(
        (
            ("received", "acknowledged", "awaiting_customer", "responded", "resolved"),
            "investigating",
        ),
        (("investigating",), _STAYS),
    ),
    ev.InformationRequested: _rows(
        (("received", "acknowledged", "investigating"), "awaiting_customer"),
        (("awaiting_customer",), _STAYS),
    ),
    ev.InformationReceived: _rows(
        (("awaiting_customer",), "investigating"), (("investigating",), _STAYS)
    ),
    ev.FinalResponseSent: _rows(
        (("received", "acknowledged", "investigating", "awaiting_customer"), "responded"),
        (("responded",), _STAYS),
    ),
    ev.ResolutionAccepted: _rows((("responded",), "resolved"), (("resolved",), _STAYS)),
    ev.Reopened: _rows((("responded", "resolved", "closed", "withdrawn"), "investigating")),
    ev.Closed: _rows((("responded", "resolved", "withdrawn"), "closed"), (("closed",), _STAYS)),
    ev.ReferredToOmbudsman: _rows(((*ACTIVE, "closed"), "referred")),
    ev.Withdrawn: _rows((ACTIVE, "withdrawn"), (("withdrawn",), _STAYS)),
    ev.OwnerAssigned: _rows(((*ACTIVE, "referred"), _STAYS)),
    ev.Escalated: _rows(((*ACTIVE, "referred"), _STAYS)),
    ev.ReplySent: _rows(((*ACTIVE, "referred"), _STAYS)),
    ev.HoldingReplySent: _rows(((*ACTIVE, "referred"), _STAYS)),
    ev.RemedyOffered: _rows(((*ACTIVE, "referred"), _STAYS)),
    ev.RemedyAccepted: _rows(((*ACTIVE, "referred"), _STAYS)),
    ev.RemedyDeclined: _rows(((*ACTIVE, "referred", "withdrawn"), _STAYS)),
    ev.RemedyDelivered: _rows(((*ACTIVE, "referred", "withdrawn"), _STAYS)),
    ev.FollowUpScheduled: _rows(((*ACTIVE, "closed", "referred"), _STAYS)),
    ev.FollowUpCompleted: _rows(((*ACTIVE, "closed", "referred", "withdrawn"), _STAYS)),
    ev.RootCauseLinked: _rows(((*ACTIVE, "closed", "referred", "withdrawn"), _STAYS)),
    ev.CaseLinked: _rows(((*ACTIVE, "closed", "referred", "withdrawn"), _STAYS)),
    ev.ActivityRecorded: _rows(((*ACTIVE, "closed", "withdrawn"), _STAYS)),
}


def test_golden_table_is_the_default_lifecycle():
    """Every (state, event) pair: allowed exactly where GOLDEN says, leading where it says."""
    for event_type, rows in GOLDEN.items():
        for state in COMPLAINT_LIFECYCLE.states:
            transition = COMPLAINT_LIFECYCLE.transition_for(state, event_type)
            got = None if transition is None else transition.target_from(state)
            assert got == rows.get(state), (event_type.__name__, state)
    assert sorted(COMPLAINT_LIFECYCLE.states) == sorted(
        {*ACTIVE, "closed", "referred", "withdrawn"}
    )


def event_builders():
    """Strategies of functions ``at -> event`` for every default event type."""
    return st.one_of(
        st.just(lambda t: ev.Acknowledged(at=t)),
        OWNERS.map(lambda o: lambda t: ev.OwnerAssigned(at=t, owner=o)),
        st.sampled_from([None, "x:warning:1", "x:breached:1"]).map(
            lambda trig: lambda t: ev.Escalated(at=t, reason="slow", trigger=trig)
        ),
        st.sampled_from(["C-1", "C-2", "C-3"]).map(
            lambda other: lambda t: ev.CaseLinked(at=t, other_case_id=other)
        ),
        st.just(lambda t: ev.InvestigationStarted(at=t)),
        st.just(lambda t: ev.InformationRequested(at=t)),
        st.just(lambda t: ev.InformationReceived(at=t)),
        remedies().map(lambda r: lambda t: ev.RemedyOffered(at=t, remedy=r)),
        REMEDY_IDS.map(lambda i: lambda t: ev.RemedyAccepted(at=t, remedy_id=i)),
        REMEDY_IDS.map(lambda i: lambda t: ev.RemedyDeclined(at=t, remedy_id=i)),
        REMEDY_IDS.map(lambda i: lambda t: ev.RemedyDelivered(at=t, remedy_id=i)),
        st.sampled_from(list(Outcome)).map(
            lambda o: lambda t: ev.FinalResponseSent(at=t, outcome=o, apology=True)
        ),
        st.just(lambda t: ev.ResolutionAccepted(at=t)),
        FOLLOW_UP_IDS.map(
            lambda i: (
                lambda t: ev.FollowUpScheduled(
                    at=t,
                    follow_up=FollowUp(i, FollowUpPurpose.RESOLUTION_CHECK, t + timedelta(days=7)),
                )
            )
        ),
        FOLLOW_UP_IDS.map(
            lambda i: (
                lambda t: ev.FollowUpCompleted(
                    at=t, follow_up_id=i, outcome=FollowUpOutcome.CONFIRMED
                )
            )
        ),
        st.tuples(st.sampled_from(["RC-1", "RC-2"]), st.sampled_from(["cause", "other"])).map(
            lambda p: lambda t: ev.RootCauseLinked(at=t, root_cause=RootCause(p[0], p[1]))
        ),
        st.sampled_from(["Queued", "Unmatched"]).map(
            lambda n: lambda t: ev.ActivityRecorded(at=t, name=n, attributes={"team": "A2"})
        ),
        st.just(lambda t: ev.Reopened(at=t)),
        st.just(lambda t: ev.Closed(at=t)),
        st.just(lambda t: ev.ReferredToOmbudsman(at=t, body="FOS")),
        st.just(lambda t: ev.Withdrawn(at=t)),
        st.just(lambda t: ev.ReplySent(at=t)),
        st.just(lambda t: ev.HoldingReplySent(at=t)),
    )


def golden_states(history):
    """The state before each event of ``history`` (after the first), from GOLDEN alone."""
    state, before = "received", []
    for e in history[1:]:
        before.append(state)
        state = GOLDEN[type(e)][state]
    return before, state


def brute_force_views(history):
    """Recompute every view by rescanning the whole history (the slow, obvious way)."""
    before, _ = golden_states(history)
    steps = list(zip(before, history[1:], strict=True))
    owners = []
    for e in history:
        if isinstance(e, ev.OwnerAssigned) and (not owners or owners[-1] != e.owner):
            owners.append(e.owner)
    remedies = {}
    for e in history:
        if isinstance(e, ev.RemedyOffered):
            remedies[e.remedy.id] = RemedyStatus.OFFERED
        elif isinstance(e, ev.RemedyAccepted):
            remedies[e.remedy_id] = RemedyStatus.ACCEPTED
        elif isinstance(e, ev.RemedyDeclined):
            remedies[e.remedy_id] = RemedyStatus.DECLINED
        elif isinstance(e, ev.RemedyDelivered):
            remedies[e.remedy_id] = RemedyStatus.DELIVERED
    scheduled = [e.follow_up.id for e in history if isinstance(e, ev.FollowUpScheduled)]
    completed = {e.follow_up_id for e in history if isinstance(e, ev.FollowUpCompleted)}
    # A reopen: Reopened, or the investigation started again after a final response.
    reopens = [
        i + 1
        for i, (state, e) in enumerate(steps)
        if isinstance(e, ev.Reopened)
        or (isinstance(e, ev.InvestigationStarted) and state in ("responded", "resolved"))
    ]
    since = reopens[-1] if reopens else 0

    def after_reopen(cls, pick):
        hits = [e.at for e in history[since:] if isinstance(e, cls)]
        return pick(hits) if hits else None

    def first(hits):
        return hits[0]

    def last(hits):
        return hits[-1]

    def unique(items):
        return list(dict.fromkeys(items))

    acks = [e.at for e in history if isinstance(e, ev.Acknowledged)]
    finals = [e.at for e in history if isinstance(e, ev.FinalResponseSent)]
    return {
        "owner": owners[-1] if owners else None,
        "handoffs": max(len(owners) - 1, 0),
        "escalation_level": sum(isinstance(e, ev.Escalated) for e in history),
        "remedies": remedies,
        "follow_ups": [(i, i in completed) for i in scheduled],
        "root_causes": unique(
            e.root_cause.id for e in history if isinstance(e, ev.RootCauseLinked)
        ),
        "acknowledged_at": acks[0] if acks else None,
        "responded_at": after_reopen(ev.FinalResponseSent, last),
        "resolved_at": after_reopen(ev.ResolutionAccepted, first),
        "closed_at": after_reopen(ev.Closed, first),
        "reopen_count": len(reopens),
        "first_responded_at": finals[0] if finals else None,
        "withdrawn_at": after_reopen(ev.Withdrawn, first),
        "escalation_triggers": {
            e.trigger for e in history if isinstance(e, ev.Escalated) and e.trigger
        },
        "linked_cases": unique(e.other_case_id for e in history if isinstance(e, ev.CaseLinked)),
        "information_requests": sum(
            isinstance(e, ev.InformationRequested) and state != "awaiting_customer"
            for state, e in steps
        ),
        "investigation_started_at": next(
            (e.at for e in history if isinstance(e, ev.InvestigationStarted)), None
        ),
    }


def case_views(case):
    return {
        "owner": case.owner,
        "handoffs": case.handoffs,
        "escalation_level": case.escalation_level,
        "remedies": {r.remedy.id: r.status for r in case.remedies},
        "follow_ups": [(f.follow_up.id, f.is_done) for f in case.follow_ups],
        "root_causes": [rc.id for rc in case.root_causes],
        "acknowledged_at": case.acknowledged_at,
        "responded_at": case.responded_at,
        "resolved_at": case.resolved_at,
        "closed_at": case.closed_at,
        "reopen_count": case.reopen_count,
        "first_responded_at": case.first_responded_at,
        "withdrawn_at": case.withdrawn_at,
        "escalation_triggers": set(case.escalation_triggers),
        "linked_cases": list(case.linked_cases),
        "information_requests": case.information_requests,
        "investigation_started_at": case.investigation_started_at,
    }


def expected_refusal(case, event):
    """Why the event must be refused, judged from the history and the lifecycle table."""
    if event.at < case.history[-1].at:
        return InvalidEvent
    if case.state not in GOLDEN[type(event)]:
        return InvalidTransition
    views = brute_force_views(case.history)
    status = views["remedies"]
    rid = getattr(event, "remedy_id", None)
    if isinstance(event, ev.RemedyOffered) and event.remedy.id in status:
        return InvalidEvent
    if isinstance(event, ev.RemedyAccepted) and status.get(rid) is not RemedyStatus.OFFERED:
        return InvalidEvent
    if isinstance(event, ev.RemedyDeclined | ev.RemedyDelivered) and status.get(rid) not in (
        RemedyStatus.OFFERED,
        RemedyStatus.ACCEPTED,
    ):
        return InvalidEvent
    if isinstance(event, ev.Closed) and RemedyStatus.ACCEPTED in status.values():
        return InvalidEvent
    scheduled = dict(views["follow_ups"])
    if isinstance(event, ev.FollowUpScheduled) and event.follow_up.id in scheduled:
        return InvalidEvent
    if isinstance(event, ev.FollowUpCompleted) and scheduled.get(event.follow_up_id) is not False:
        return InvalidEvent
    linked = {
        e.root_cause.id: e.root_cause
        for e in reversed(case.history)
        if isinstance(e, ev.RootCauseLinked)
    }
    if (
        isinstance(event, ev.RootCauseLinked)
        and linked.get(event.root_cause.id, event.root_cause) != event.root_cause
    ):
        return InvalidEvent
    if isinstance(event, ev.Escalated) and event.trigger in views["escalation_triggers"]:
        return InvalidEvent
    if isinstance(event, ev.CaseLinked) and event.other_case_id == case.id:
        return InvalidEvent
    return None


class CaseMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.case = open_case(complaint())
        self.now = T0
        self.accepted = 0
        self.refused = 0

    @rule(minutes=st.integers(0, 60 * 24 * 3))
    def time_passes(self, minutes):
        self.now += timedelta(minutes=minutes)

    @rule(build=event_builders(), back_minutes=st.sampled_from([0, 0, 0, 0, 1, 600]))
    def record(self, build, back_minutes):
        event = build(self.now - timedelta(minutes=back_minutes))
        before = self.case
        refusal = expected_refusal(before, event)
        try:
            after = before.apply(event)
        except (InvalidEvent, InvalidTransition) as exc:
            assert type(exc) is refusal, f"{event!r} refused with {exc!r}, expected {refusal}"
            assert exc.event is event
            self.refused += 1
            return
        assert refusal is None, f"{event!r} accepted in {before.state!r}, expected {refusal}"
        assert after.state == GOLDEN[type(event)][before.state]
        assert after.history == (*before.history, event)
        self.case = after
        self.accepted += 1
        note(f"reached {after.state}")

    @invariant()
    def replay_equals_incremental(self):
        assert replay(self.case.history) == self.case

    @invariant()
    def views_agree_with_history(self):
        assert case_views(self.case) == brute_force_views(self.case.history)

    @invariant()
    def time_never_goes_backwards(self):
        times = [e.at for e in self.case.history]
        assert times == sorted(times)

    @invariant()
    def state_is_what_the_golden_table_says(self):
        assert self.case.state == golden_states(self.case.history)[1]


TestCaseMachine = CaseMachine.TestCase
