"""The case: the immutable aggregate a complaint's events fold into.

``replay(events)`` equals folding `Case.apply` over the events after the first. Each
`Case.apply` checks the event against the lifecycle and the case's rules, then returns a
new case whose derived views (owner, remedies, timestamps, ...) are updated for that one
event, so reading a view never rescans the history. How an event changes the views is its
projection, registered with `projection` (the built-in ones are in `_projections`); an app's
own views are read from `Case.views`.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import attrs

from recoverykit import _projections  # noqa: F401 - registers the built-in projections
from recoverykit import events as ev
from recoverykit._draft import (
    NO_VIEWS,
    PROJECTION_ATTR,
    Assignment,
    BasedDraft,
    CaseDraft,
    FollowUpRecord,
    RemedyRecord,
    Views,
    find,
    projection,
)
from recoverykit._history import History, history_of
from recoverykit._instants import before
from recoverykit.complaint_lifecycle import COMPLAINT_LIFECYCLE
from recoverykit.errors import InvalidEvent, InvalidTransition, InvalidType
from recoverykit.lifecycle import Lifecycle
from recoverykit.model import Complaint, Owner, RootCause

__all__ = [
    "Assignment",
    "Case",
    "CaseDraft",
    "FollowUpRecord",
    "RemedyRecord",
    "Views",
    "open_case",
    "projection",
    "replay",
]


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
    _log: History = attrs.field(alias="history", converter=history_of)
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
    views: Views = NO_VIEWS
    """The app's own views, kept by the projections it registered (`projection`)."""

    def __repr__(self) -> str:
        owner = self.owner.id if self.owner else None
        return f"<Case {self.id!r} state={self.state!r} events={len(self._log)} owner={owner!r}>"

    @property
    def history(self) -> tuple[ev.Event, ...]:
        """Every event of the case, oldest first (the first is its `ComplaintReceived`)."""
        return self._log.as_tuple()

    @property
    def id(self) -> str:
        return self.complaint.id

    @property
    def received_at(self) -> datetime:
        return self.complaint.received_at

    @property
    def updated_at(self) -> datetime:
        """When the latest event happened."""
        return self._log[-1].at

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
        return find(self.remedies, remedy_id, lambda r: r.remedy.id)

    def follow_up(self, follow_up_id: str) -> FollowUpRecord | None:
        return find(self.follow_ups, follow_up_id, lambda f: f.follow_up.id)

    def apply(self, event: ev.Event) -> Case:
        """Return the case after ``event``; ``self`` is unchanged.

        Raises:
            InvalidTransition: the lifecycle does not allow the event in this state.
            InvalidEvent: the event breaks a rule: it is earlier than the previous event,
                names an unknown remedy or follow-up, or a guard refused it.
        """
        draft = _draft_of(self)
        _step(draft, event)
        return _freeze(draft)


def open_case(
    complaint: Complaint,
    *,
    lifecycle: Lifecycle = COMPLAINT_LIFECYCLE,
    actor: str | None = None,
) -> Case:
    """Start a case with a `ComplaintReceived` event at ``complaint.received_at``.

    Raises:
        InvalidType: ``complaint`` is not a `Complaint` or ``lifecycle`` not a `Lifecycle`.
    """
    if not isinstance(complaint, Complaint):
        raise InvalidType(
            "open_case.complaint", f"expected a Complaint, got {type(complaint).__name__}"
        )
    _check_lifecycle(lifecycle, "open_case.lifecycle")
    return _open(
        ev.ComplaintReceived(at=complaint.received_at, actor=actor, complaint=complaint), lifecycle
    )


def _check_lifecycle(lifecycle: object, path: str) -> None:
    if not isinstance(lifecycle, Lifecycle):
        raise InvalidType(path, f"expected a Lifecycle, got {type(lifecycle).__name__}")


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
    _check_lifecycle(lifecycle, "replay.lifecycle")
    given: object = events
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidType(
            "replay.events", f"expected an iterable of events, got {type(events).__name__}"
        )
    stream = iter(events)
    first = next(stream, None)
    if not isinstance(first, ev.ComplaintReceived):
        got = "an empty history" if first is None else type(first).__name__
        raise InvalidEvent(first, f"a history must start with ComplaintReceived, got {got}", 0)
    # Instants, not wall times: in the repeated autumn hour two times in one zone can share a
    # wall time and differ by an hour.
    if first.at.timestamp() != first.complaint.received_at.timestamp():
        raise InvalidEvent(
            first,
            f"at {first.at.isoformat()} differs from complaint.received_at "
            f"{first.complaint.received_at.isoformat()}; a case starts when its complaint "
            "was received (clocks start at one, reports count from the other)",
            0,
        )
    draft = _opened_by(first, lifecycle)
    for index, event in enumerate(stream, 1):
        try:
            _step(draft, event)
        except (InvalidEvent, InvalidTransition) as exc:
            raise exc.at_index(index) from None
    return _freeze(draft)


# Case's fields are the case's identity, state and history, then the derived views; the
# app's own views come last.
_VIEWS = tuple(f.name for f in attrs.fields(Case))[4:-1]
_VIEW_DEFAULTS = {f.name: f.default for f in attrs.fields(Case)[4:-1]}
_VIEW_INDEX = {name: i for i, name in enumerate(_VIEWS)}
_views_of = operator.attrgetter(*_VIEWS)  # one C call instead of a getattr per view


def _draft_of(case: Case) -> CaseDraft:
    """A draft that reads its views from ``case`` until a projection assigns them.

    Copying all twenty views into the draft would cost more than the usual event's whole
    projection (which changes one or two): a `BasedDraft` reads the others from its case.
    """
    draft = BasedDraft.__new__(BasedDraft)
    draft.__dict__.update(
        complaint=case.complaint,
        lifecycle=case.lifecycle,
        state=case.state,
        events=case._log,  # noqa: SLF001
        views=dict(case.views) if case.views else {},
        _base=case,
    )
    return draft


def _opened_by(event: ev.ComplaintReceived, lifecycle: Lifecycle) -> CaseDraft:
    draft = CaseDraft.__new__(CaseDraft)
    draft.complaint = event.complaint
    draft.lifecycle = lifecycle
    draft.state = lifecycle.initial
    draft.events = [event]
    draft.__dict__.update(_VIEW_DEFAULTS)
    draft.views = {}
    return draft


def _freeze(draft: CaseDraft) -> Case:
    fields = draft.__dict__
    views = Views(draft.views) if draft.views else NO_VIEWS
    base = fields.get("_base")
    values: Sequence[Any]
    if base is None:
        values = _views_of(draft)
    else:
        changed = list(_views_of(base))
        for name, value in fields.items():  # the views the projection assigned
            index = _VIEW_INDEX.get(name)
            if index is not None:
                changed[index] = value
        values = changed
    # The star fills the fields before views (mypy cannot count them).
    # Case's converter makes the draft's events a History (a replay's list is copied).
    return Case(draft.complaint, draft.lifecycle, draft.state, draft.events, *values, views=views)  # type: ignore[misc]


def _step(draft: CaseDraft, event: ev.Event) -> None:
    """Check ``event`` and fold it in; on error nothing has changed."""
    if not isinstance(event, ev.Event):
        raise InvalidEvent(event, f"expected an Event, got {type(event).__name__}")
    events = draft.events
    last = events[-1].at
    if before(event.at, last):
        raise InvalidEvent(
            event,
            f"at {event.at.isoformat()} is earlier than the previous event at "
            f"{last.isoformat()}; events must be applied in time order",
        )
    state = draft.state
    lifecycle = draft.lifecycle
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
        current = _freeze(draft)
        for guard in transition.guards:
            refusal = guard(current, event)
            if refusal is not None:
                raise InvalidEvent(event, refusal)
    # The projection checks its rules before it assigns anything.
    getattr(event_type, PROJECTION_ATTR)(draft, event)
    if transition.target is not None:
        draft.state = transition.target
    if type(events) is list:  # replay's own list
        events.append(event)
    else:  # Case.apply: the case's shared history grows in O(1)
        draft.events = events.plus(event)  # type: ignore[attr-defined]
