"""The case: the immutable aggregate a complaint's events fold into.

``replay(events)`` equals folding `Case.apply` over the events after the first. Each
`Case.apply` checks the event against the lifecycle and the case's rules, then returns a
new case whose derived views (owner, remedies, timestamps, ...) are updated for that one
event, so reading a view never rescans the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

import attrs

from recoverykit import events as ev
from recoverykit.errors import InvalidEvent, InvalidTransition
from recoverykit.lifecycle import COMPLAINT_LIFECYCLE, Lifecycle
from recoverykit.model import (
    Complaint,
    FollowUp,
    FollowUpOutcome,
    Owner,
    Remedy,
    RemedyStatus,
    RootCause,
    Survey,
)

__all__ = [
    "Assignment",
    "Case",
    "FollowUpRecord",
    "RemedyRecord",
    "open_case",
    "replay",
]


@attrs.frozen
class Assignment:
    """One entry of a case's ownership history."""

    owner: Owner
    at: datetime
    reason: str | None = None


@attrs.frozen
class RemedyRecord:
    """An offered remedy and where it stands."""

    remedy: Remedy
    status: RemedyStatus
    offered_at: datetime
    decided_at: datetime | None = None
    """When it was accepted or declined."""
    delivered_at: datetime | None = None


@attrs.frozen
class FollowUpRecord:
    """A scheduled follow-up and, once done, its result."""

    follow_up: FollowUp
    scheduled_at: datetime
    completed_at: datetime | None = None
    outcome: FollowUpOutcome | None = None
    survey: Survey | None = None

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


@attrs.frozen(repr=False)
class Case:
    """A complaint case at one point of its history.

    Build one with `open_case` or `replay`, and move it on with `Case.apply`; the
    constructor is what those use and does not check consistency. Timestamps of the
    response, resolution and closure are cleared on reopening; ``reopen_count`` remembers.
    """

    complaint: Complaint
    lifecycle: Lifecycle
    state: str
    history: tuple[ev.Event, ...]
    ownership_history: tuple[Assignment, ...] = ()
    handoffs: int = 0
    """Changes from one owner to another (the first assignment is not a hand-off)."""
    escalation_level: int = 0
    remedies: tuple[RemedyRecord, ...] = ()
    follow_ups: tuple[FollowUpRecord, ...] = ()
    root_causes: tuple[RootCause, ...] = ()
    acknowledged_at: datetime | None = None
    responded_at: datetime | None = None
    """When the current final response was sent."""
    final_response: ev.FinalResponseSent | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    reopen_count: int = 0

    def __repr__(self) -> str:
        owner = self.owner.id if self.owner else None
        return f"<Case {self.id!r} state={self.state!r} events={len(self.history)} owner={owner!r}>"

    @property
    def id(self) -> str:
        return self.complaint.id

    @property
    def received_at(self) -> datetime:
        return self.complaint.received_at

    @property
    def updated_at(self) -> datetime:
        """When the latest event happened."""
        return self.history[-1].at

    @property
    def owner(self) -> Owner | None:
        """The current owner, or None if nobody has been assigned yet."""
        return self.ownership_history[-1].owner if self.ownership_history else None

    @property
    def is_end(self) -> bool:
        """Whether the work on the case is done (it may still be reopened)."""
        return self.state in self.lifecycle.end_states

    def allowed_events(self) -> tuple[type[ev.Event], ...]:
        """The event types the lifecycle accepts in the current state."""
        return self.lifecycle.allowed_events(self.state)

    def remedy(self, remedy_id: str) -> RemedyRecord | None:
        return _find(self.remedies, remedy_id, lambda r: r.remedy.id)

    def follow_up(self, follow_up_id: str) -> FollowUpRecord | None:
        return _find(self.follow_ups, follow_up_id, lambda f: f.follow_up.id)

    def apply(self, event: ev.Event) -> Case:
        """Return the case after ``event``; ``self`` is unchanged.

        Raises:
            InvalidTransition: the lifecycle does not allow the event in this state.
            InvalidEvent: the event breaks a rule: it is earlier than the previous event,
                names an unknown remedy or follow-up, or a guard refused it.
        """
        if not isinstance(event, ev.Event):
            raise InvalidEvent(event, f"expected an Event, got {type(event).__name__}")
        last = self.history[-1].at
        if event.at < last:
            raise InvalidEvent(
                event,
                f"at {event.at.isoformat()} is earlier than the previous event at "
                f"{last.isoformat()}; events must be applied in time order",
            )
        state = self.state
        lifecycle = self.lifecycle
        transition = lifecycle.transition_for(state, type(event))
        if transition is None:
            raise InvalidTransition(
                state,
                event,
                [e.__name__ for e in lifecycle.allowed_events(state)],
                sorted(lifecycle.sources_of(type(event)), key=lifecycle.states.index),
            )
        for guard in transition.guards:
            refusal = guard(self, event)
            if refusal is not None:
                raise InvalidEvent(event, refusal)
        project = _projection(type(event))
        changes = project(self, event) if project is not None else {}
        target = transition.target
        return attrs.evolve(
            self,
            state=state if target is None else target,
            history=(*self.history, event),
            **changes,
        )


def open_case(
    complaint: Complaint,
    *,
    lifecycle: Lifecycle = COMPLAINT_LIFECYCLE,
    actor: str | None = None,
) -> Case:
    """Start a case with a `ComplaintReceived` event at ``complaint.received_at``."""
    return _open(
        ev.ComplaintReceived(at=complaint.received_at, actor=actor, complaint=complaint), lifecycle
    )


def _open(event: ev.ComplaintReceived, lifecycle: Lifecycle) -> Case:
    return Case(
        complaint=event.complaint, lifecycle=lifecycle, state=lifecycle.initial, history=(event,)
    )


def replay(events: Iterable[ev.Event], *, lifecycle: Lifecycle = COMPLAINT_LIFECYCLE) -> Case:
    """Rebuild a case from its whole history.

    Raises:
        InvalidEvent, InvalidTransition: with ``index`` set to the position of the first
            offending event.
    """
    stream = iter(events)
    first = next(stream, None)
    if not isinstance(first, ev.ComplaintReceived):
        got = "an empty history" if first is None else type(first).__name__
        raise InvalidEvent(first, f"a history must start with ComplaintReceived, got {got}", 0)
    case = _open(first, lifecycle)
    for index, event in enumerate(stream, 1):
        try:
            case = case.apply(event)
        except (InvalidEvent, InvalidTransition) as exc:
            raise exc.at_index(index) from None
    return case


T = TypeVar("T")


# -- projections: how each event updates the derived views ----------------------------------

Changes = dict[str, Any]
_Projection = Callable[[Case, Any], Changes]
_PROJECTIONS: dict[type[ev.Event], _Projection] = {}


def _projects(event_type: type[ev.Event]) -> Callable[[_Projection], _Projection]:
    def register(fn: _Projection) -> _Projection:
        _PROJECTIONS[event_type] = fn
        return fn

    return register


def _projection(event_type: type[ev.Event]) -> _Projection | None:
    project = _PROJECTIONS.get(event_type)
    if project is None:
        # Subclasses of built-in events (and app-defined events) resolve once, then cached.
        project = next((_PROJECTIONS[c] for c in event_type.__mro__ if c in _PROJECTIONS), None)
        if project is not None:
            _PROJECTIONS[event_type] = project
    return project


def _find(items: tuple[T, ...], key: str, id_of: Callable[[T], str]) -> T | None:
    return next((item for item in items if id_of(item) == key), None)


def _replace(items: tuple[T, ...], old: T, new: T) -> tuple[T, ...]:
    return tuple(new if item is old else item for item in items)


@_projects(ev.Acknowledged)
def _acknowledged(case: Case, event: ev.Acknowledged) -> Changes:
    return {} if case.acknowledged_at else {"acknowledged_at": event.at}


@_projects(ev.OwnerAssigned)
def _owner_assigned(case: Case, event: ev.OwnerAssigned) -> Changes:
    current = case.owner
    if current == event.owner:
        raise InvalidEvent(event, f"owner {event.owner.id!r} already owns the case")
    return {
        "ownership_history": (
            *case.ownership_history,
            Assignment(event.owner, event.at, event.reason),
        ),
        "handoffs": case.handoffs + (current is not None),
    }


@_projects(ev.Escalated)
def _escalated(case: Case, event: ev.Escalated) -> Changes:
    del event
    return {"escalation_level": case.escalation_level + 1}


@_projects(ev.RemedyOffered)
def _remedy_offered(case: Case, event: ev.RemedyOffered) -> Changes:
    if case.remedy(event.remedy.id) is not None:
        raise InvalidEvent(
            event, f"remedy id {event.remedy.id!r} was already offered; use a new id"
        )
    record = RemedyRecord(event.remedy, RemedyStatus.OFFERED, event.at)
    return {"remedies": (*case.remedies, record)}


def _remedy_step(
    case: Case,
    event: ev.RemedyAccepted | ev.RemedyDeclined | ev.RemedyDelivered,
    allowed: frozenset[RemedyStatus],
    new: Callable[[RemedyRecord], RemedyRecord],
) -> Changes:
    record = case.remedy(event.remedy_id)
    if record is None:
        offered = ", ".join(repr(r.remedy.id) for r in case.remedies) or "none"
        raise InvalidEvent(
            event, f"remedy {event.remedy_id!r} was never offered (offered remedies: {offered})"
        )
    if record.status not in allowed:
        states = " or ".join(sorted(s.value for s in allowed))
        raise InvalidEvent(
            event, f"remedy {event.remedy_id!r} is {record.status.value}, it must be {states}"
        )
    return {"remedies": _replace(case.remedies, record, new(record))}


_UNDECIDED = frozenset({RemedyStatus.OFFERED})
_UNDELIVERED = frozenset({RemedyStatus.OFFERED, RemedyStatus.ACCEPTED})


@_projects(ev.RemedyAccepted)
def _remedy_accepted(case: Case, event: ev.RemedyAccepted) -> Changes:
    return _remedy_step(
        case,
        event,
        _UNDECIDED,
        lambda r: attrs.evolve(r, status=RemedyStatus.ACCEPTED, decided_at=event.at),
    )


@_projects(ev.RemedyDeclined)
def _remedy_declined(case: Case, event: ev.RemedyDeclined) -> Changes:
    return _remedy_step(
        case,
        event,
        _UNDELIVERED,
        lambda r: attrs.evolve(r, status=RemedyStatus.DECLINED, decided_at=event.at),
    )


@_projects(ev.RemedyDelivered)
def _remedy_delivered(case: Case, event: ev.RemedyDelivered) -> Changes:
    return _remedy_step(
        case,
        event,
        _UNDELIVERED,
        lambda r: attrs.evolve(r, status=RemedyStatus.DELIVERED, delivered_at=event.at),
    )


@_projects(ev.FinalResponseSent)
def _final_response(case: Case, event: ev.FinalResponseSent) -> Changes:
    del case
    return {"responded_at": event.at, "final_response": event}


@_projects(ev.ResolutionAccepted)
def _resolved(case: Case, event: ev.ResolutionAccepted) -> Changes:
    del case
    return {"resolved_at": event.at}


@_projects(ev.Closed)
def _closed(case: Case, event: ev.Closed) -> Changes:
    del case
    return {"closed_at": event.at}


@_projects(ev.Reopened)
def _reopened(case: Case, event: ev.Reopened) -> Changes:
    del event
    return {
        "reopen_count": case.reopen_count + 1,
        "responded_at": None,
        "final_response": None,
        "resolved_at": None,
        "closed_at": None,
    }


@_projects(ev.FollowUpScheduled)
def _follow_up_scheduled(case: Case, event: ev.FollowUpScheduled) -> Changes:
    if case.follow_up(event.follow_up.id) is not None:
        raise InvalidEvent(
            event, f"follow-up id {event.follow_up.id!r} is already scheduled; use a new id"
        )
    return {"follow_ups": (*case.follow_ups, FollowUpRecord(event.follow_up, event.at))}


@_projects(ev.FollowUpCompleted)
def _follow_up_completed(case: Case, event: ev.FollowUpCompleted) -> Changes:
    record = case.follow_up(event.follow_up_id)
    if record is None:
        known = ", ".join(repr(f.follow_up.id) for f in case.follow_ups) or "none"
        raise InvalidEvent(
            event, f"follow-up {event.follow_up_id!r} was never scheduled (scheduled: {known})"
        )
    if record.is_done:
        raise InvalidEvent(event, f"follow-up {event.follow_up_id!r} is already completed")
    done = attrs.evolve(record, completed_at=event.at, outcome=event.outcome, survey=event.survey)
    return {"follow_ups": _replace(case.follow_ups, record, done)}


@_projects(ev.RootCauseLinked)
def _root_cause_linked(case: Case, event: ev.RootCauseLinked) -> Changes:
    if any(rc.id == event.root_cause.id for rc in case.root_causes):
        raise InvalidEvent(event, f"root cause {event.root_cause.id!r} is already linked")
    return {"root_causes": (*case.root_causes, event.root_cause)}
