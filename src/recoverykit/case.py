"""The case: the immutable aggregate a complaint's events fold into.

``replay(events)`` equals folding `Case.apply` over the events after the first. Each
`Case.apply` checks the event against the lifecycle and the case's rules, then returns a
new case whose derived views (owner, remedies, timestamps, ...) are updated for that one
event, so reading a view never rescans the history.
"""

from __future__ import annotations

import operator
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
    escalation_triggers: frozenset[str] = frozenset()
    """The ``trigger`` of every automatic escalation so far."""
    remedies: tuple[RemedyRecord, ...] = ()
    follow_ups: tuple[FollowUpRecord, ...] = ()
    root_causes: tuple[RootCause, ...] = ()
    linked_cases: tuple[str, ...] = ()
    acknowledged_at: datetime | None = None
    investigation_started_at: datetime | None = None
    """When an investigation first started (a case answered without one was resolved at
    first contact)."""
    responded_at: datetime | None = None
    """When the current final response was sent."""
    final_response: ev.FinalResponseSent | None = None
    first_responded_at: datetime | None = None
    """When the first final response was sent; kept across reopenings."""
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    withdrawn_at: datetime | None = None
    """When the customer withdrew the complaint, unless it was reopened since."""
    reopen_count: int = 0
    information_requests: int = 0
    """How many times the customer was asked for information (each is a repeat contact)."""

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
        fold = _Fold(self)
        fold.step(event)
        return fold.freeze()


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

    The result equals folding `Case.apply` over the events, but only one `Case` is built,
    at the end: replaying is what apps do most (loading a case from their event store).

    Raises:
        InvalidEvent, InvalidTransition: with ``index`` set to the position of the first
            offending event.
    """
    stream = iter(events)
    first = next(stream, None)
    if not isinstance(first, ev.ComplaintReceived):
        got = "an empty history" if first is None else type(first).__name__
        raise InvalidEvent(first, f"a history must start with ComplaintReceived, got {got}", 0)
    fold = _Fold.opened_by(first, lifecycle)
    step = fold.step
    for index, event in enumerate(stream, 1):
        try:
            step(event)
        except (InvalidEvent, InvalidTransition) as exc:
            raise exc.at_index(index) from None
    return fold.freeze()


# Case's fields are the case's identity, state and history, then the derived views.
_VIEWS = tuple(f.name for f in attrs.fields(Case))[4:]
_VIEW_DEFAULTS = {f.name: f.default for f in attrs.fields(Case)[4:]}
_views_of = operator.attrgetter(*_VIEWS)  # one C call instead of a getattr per view


class _Fold:
    """A case under construction: the mutable twin of `Case`, private to this module.

    Folding events into one mutable record and freezing it once keeps `replay` linear
    and cheap; `Case.apply` copies a case into a fold, steps it, and freezes it, so both
    paths share every rule and projection.
    """

    # No __slots__: a plain instance dict lets a fold be filled in one update() call.

    complaint: Complaint
    lifecycle: Lifecycle
    state: str
    events: list[ev.Event]
    ownership_history: tuple[Assignment, ...]
    handoffs: int
    escalation_level: int
    escalation_triggers: frozenset[str]
    remedies: tuple[RemedyRecord, ...]
    follow_ups: tuple[FollowUpRecord, ...]
    root_causes: tuple[RootCause, ...]
    linked_cases: tuple[str, ...]
    acknowledged_at: datetime | None
    investigation_started_at: datetime | None
    responded_at: datetime | None
    final_response: ev.FinalResponseSent | None
    first_responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    withdrawn_at: datetime | None
    reopen_count: int
    information_requests: int

    def __init__(self, case: Case) -> None:
        self.complaint = case.complaint
        self.lifecycle = case.lifecycle
        self.state = case.state
        self.events = list(case.history)
        self.__dict__.update(zip(_VIEWS, _views_of(case), strict=True))

    @classmethod
    def opened_by(cls, event: ev.ComplaintReceived, lifecycle: Lifecycle) -> _Fold:
        fold = cls.__new__(cls)
        fold.complaint = event.complaint
        fold.lifecycle = lifecycle
        fold.state = lifecycle.initial
        fold.events = [event]
        fold.__dict__.update(_VIEW_DEFAULTS)
        return fold

    def freeze(self) -> Case:
        views = _views_of(self)
        return Case(self.complaint, self.lifecycle, self.state, tuple(self.events), *views)

    @property
    def owner(self) -> Owner | None:
        return self.ownership_history[-1].owner if self.ownership_history else None

    def remedy(self, remedy_id: str) -> RemedyRecord | None:
        return _find(self.remedies, remedy_id, lambda r: r.remedy.id)

    def follow_up(self, follow_up_id: str) -> FollowUpRecord | None:
        return _find(self.follow_ups, follow_up_id, lambda f: f.follow_up.id)

    def step(self, event: ev.Event) -> None:
        """Check ``event`` and fold it in; on error nothing has changed."""
        if not isinstance(event, ev.Event):
            raise InvalidEvent(event, f"expected an Event, got {type(event).__name__}")
        last = self.events[-1].at
        if event.at < last:
            raise InvalidEvent(
                event,
                f"at {event.at.isoformat()} is earlier than the previous event at "
                f"{last.isoformat()}; events must be applied in time order",
            )
        state = self.state
        lifecycle = self.lifecycle
        event_type = type(event)
        transition = lifecycle.transition_for(state, event_type)
        if transition is None:
            raise InvalidTransition(
                state,
                event,
                [e.__name__ for e in lifecycle.allowed_events(state)],
                sorted(lifecycle.sources_of(event_type), key=lifecycle.states.index),
            )
        if transition.guards:
            # Guards see a real Case; building one is the price of a guarded transition only.
            current = self.freeze()
            for guard in transition.guards:
                refusal = guard(current, event)
                if refusal is not None:
                    raise InvalidEvent(event, refusal)
        # Projections check their rules before they assign anything.
        (_PROJECTIONS.get(event_type) or _projection(event_type))(self, event)
        if transition.target is not None:
            self.state = transition.target
        self.events.append(event)


T = TypeVar("T")


# -- projections: how each event updates the derived views ----------------------------------
# A projection checks its rules first and assigns after, so a refused event changes nothing.

_Projection = Callable[[_Fold, Any], None]
_PROJECTIONS: dict[type[ev.Event], _Projection] = {}


def _projects(event_type: type[ev.Event]) -> Callable[[_Projection], _Projection]:
    def register(fn: _Projection) -> _Projection:
        _PROJECTIONS[event_type] = fn
        return fn

    return register


def _projection(event_type: type[ev.Event]) -> _Projection:
    # Subclasses of built-in events follow their parent; app-defined events change no view.
    # Resolved once per type, then cached.
    project = next((_PROJECTIONS[c] for c in event_type.__mro__ if c in _PROJECTIONS), _nothing)
    _PROJECTIONS[event_type] = project
    return project


def _nothing(fold: _Fold, event: ev.Event) -> None:
    del fold, event


def _find(items: tuple[T, ...], key: str, id_of: Callable[[T], str]) -> T | None:
    for item in items:
        if id_of(item) == key:
            return item
    return None


def _replace(items: tuple[T, ...], old: T, new: T) -> tuple[T, ...]:
    return tuple(new if item is old else item for item in items)


@_projects(ev.Acknowledged)
def _acknowledged(fold: _Fold, event: ev.Acknowledged) -> None:
    if fold.acknowledged_at is None:
        fold.acknowledged_at = event.at


@_projects(ev.OwnerAssigned)
def _owner_assigned(fold: _Fold, event: ev.OwnerAssigned) -> None:
    current = fold.owner
    if current is not None and current == event.owner:
        raise InvalidEvent(event, f"owner {event.owner.id!r} already owns the case")
    assignment = Assignment(event.owner, event.at, event.reason)
    fold.ownership_history = (*fold.ownership_history, assignment)
    if current is not None:
        fold.handoffs += 1


@_projects(ev.Escalated)
def _escalated(fold: _Fold, event: ev.Escalated) -> None:
    if event.trigger is not None:
        if event.trigger in fold.escalation_triggers:
            raise InvalidEvent(event, f"already escalated for trigger {event.trigger!r}")
        fold.escalation_triggers = fold.escalation_triggers | {event.trigger}
    fold.escalation_level += 1


@_projects(ev.RemedyOffered)
def _remedy_offered(fold: _Fold, event: ev.RemedyOffered) -> None:
    if fold.remedy(event.remedy.id) is not None:
        raise InvalidEvent(
            event, f"remedy id {event.remedy.id!r} was already offered; use a new id"
        )
    fold.remedies = (*fold.remedies, RemedyRecord(event.remedy, RemedyStatus.OFFERED, event.at))


_UNDECIDED = frozenset({RemedyStatus.OFFERED})
_UNDELIVERED = frozenset({RemedyStatus.OFFERED, RemedyStatus.ACCEPTED})


def _remedy_record(
    fold: _Fold,
    event: ev.RemedyAccepted | ev.RemedyDeclined | ev.RemedyDelivered,
    allowed: frozenset[RemedyStatus],
) -> RemedyRecord:
    record = fold.remedy(event.remedy_id)
    if record is None:
        offered = ", ".join(repr(r.remedy.id) for r in fold.remedies) or "none"
        raise InvalidEvent(
            event, f"remedy {event.remedy_id!r} was never offered (offered remedies: {offered})"
        )
    if record.status not in allowed:
        states = " or ".join(sorted(s.value for s in allowed))
        raise InvalidEvent(
            event, f"remedy {event.remedy_id!r} is {record.status.value}, it must be {states}"
        )
    return record


@_projects(ev.RemedyAccepted)
def _remedy_accepted(fold: _Fold, event: ev.RemedyAccepted) -> None:
    old = _remedy_record(fold, event, _UNDECIDED)
    new = RemedyRecord(old.remedy, RemedyStatus.ACCEPTED, old.offered_at, event.at)
    fold.remedies = _replace(fold.remedies, old, new)


@_projects(ev.RemedyDeclined)
def _remedy_declined(fold: _Fold, event: ev.RemedyDeclined) -> None:
    old = _remedy_record(fold, event, _UNDELIVERED)
    new = RemedyRecord(old.remedy, RemedyStatus.DECLINED, old.offered_at, event.at)
    fold.remedies = _replace(fold.remedies, old, new)


@_projects(ev.RemedyDelivered)
def _remedy_delivered(fold: _Fold, event: ev.RemedyDelivered) -> None:
    old = _remedy_record(fold, event, _UNDELIVERED)
    new = RemedyRecord(old.remedy, RemedyStatus.DELIVERED, old.offered_at, old.decided_at, event.at)
    fold.remedies = _replace(fold.remedies, old, new)


@_projects(ev.FinalResponseSent)
def _final_response(fold: _Fold, event: ev.FinalResponseSent) -> None:
    fold.responded_at = event.at
    fold.final_response = event
    if fold.first_responded_at is None:
        fold.first_responded_at = event.at


@_projects(ev.ResolutionAccepted)
def _resolved(fold: _Fold, event: ev.ResolutionAccepted) -> None:
    fold.resolved_at = event.at


@_projects(ev.Closed)
def _closed(fold: _Fold, event: ev.Closed) -> None:
    fold.closed_at = event.at


@_projects(ev.Reopened)
def _reopened(fold: _Fold, event: ev.Reopened) -> None:
    del event
    fold.reopen_count += 1
    fold.responded_at = fold.final_response = fold.resolved_at = fold.closed_at = None
    fold.withdrawn_at = None


@_projects(ev.InvestigationStarted)
def _investigation_started(fold: _Fold, event: ev.InvestigationStarted) -> None:
    if fold.investigation_started_at is None:
        fold.investigation_started_at = event.at


@_projects(ev.InformationRequested)
def _information_requested(fold: _Fold, event: ev.InformationRequested) -> None:
    del event
    fold.information_requests += 1


@_projects(ev.Withdrawn)
def _withdrawn(fold: _Fold, event: ev.Withdrawn) -> None:
    fold.withdrawn_at = event.at


@_projects(ev.CaseLinked)
def _case_linked(fold: _Fold, event: ev.CaseLinked) -> None:
    if event.other_case_id == fold.complaint.id:
        raise InvalidEvent(event, "a case cannot be linked to itself")
    if event.other_case_id in fold.linked_cases:
        raise InvalidEvent(event, f"case {event.other_case_id!r} is already linked")
    fold.linked_cases = (*fold.linked_cases, event.other_case_id)


@_projects(ev.FollowUpScheduled)
def _follow_up_scheduled(fold: _Fold, event: ev.FollowUpScheduled) -> None:
    if fold.follow_up(event.follow_up.id) is not None:
        raise InvalidEvent(
            event, f"follow-up id {event.follow_up.id!r} is already scheduled; use a new id"
        )
    fold.follow_ups = (*fold.follow_ups, FollowUpRecord(event.follow_up, event.at))


@_projects(ev.FollowUpCompleted)
def _follow_up_completed(fold: _Fold, event: ev.FollowUpCompleted) -> None:
    record = fold.follow_up(event.follow_up_id)
    if record is None:
        known = ", ".join(repr(f.follow_up.id) for f in fold.follow_ups) or "none"
        raise InvalidEvent(
            event, f"follow-up {event.follow_up_id!r} was never scheduled (scheduled: {known})"
        )
    if record.is_done:
        raise InvalidEvent(event, f"follow-up {event.follow_up_id!r} is already completed")
    done = attrs.evolve(record, completed_at=event.at, outcome=event.outcome, survey=event.survey)
    fold.follow_ups = _replace(fold.follow_ups, record, done)


@_projects(ev.RootCauseLinked)
def _root_cause_linked(fold: _Fold, event: ev.RootCauseLinked) -> None:
    if any(rc.id == event.root_cause.id for rc in fold.root_causes):
        raise InvalidEvent(event, f"root cause {event.root_cause.id!r} is already linked")
    fold.root_causes = (*fold.root_causes, event.root_cause)
