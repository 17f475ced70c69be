"""The library's own projections: how each built-in event changes a case's views.

Registered with the same public `recoverykit.projection` an app uses for its own events.
Each checks its rules first and assigns after, so a refused event changes nothing.

Real work repeats steps. A repeat that changes nothing (the current owner assigned again, the
same root cause or case linked again, information requested while already waiting) is kept in
the history by the lifecycle and counted once here: the projection leaves the views alone.
"""

from __future__ import annotations

from typing import TypeVar

import attrs

from recoverykit import events as ev
from recoverykit._draft import Assignment, CaseDraft, FollowUpRecord, RemedyRecord, projection
from recoverykit.errors import InvalidEvent
from recoverykit.model import RemedyStatus

T = TypeVar("T")


def _replace(items: tuple[T, ...], old: T, new: T) -> tuple[T, ...]:
    return tuple(new if item is old else item for item in items)


@projection(ev.Acknowledged)
def _acknowledged(draft: CaseDraft, event: ev.Acknowledged) -> None:
    if draft.acknowledged_at is None:
        draft.acknowledged_at = event.at


@projection(ev.OwnerAssigned)
def _owner_assigned(draft: CaseDraft, event: ev.OwnerAssigned) -> None:
    current = draft.owner
    if current is not None and current == event.owner:
        return  # the current owner again: no new assignment, no hand-off
    assignment = Assignment(event.owner, event.at, event.reason)
    draft.ownership_history = (*draft.ownership_history, assignment)
    if current is not None:
        draft.handoffs += 1


@projection(ev.Escalated)
def _escalated(draft: CaseDraft, event: ev.Escalated) -> None:
    if event.trigger is not None:
        if event.trigger in draft.escalation_triggers:
            raise InvalidEvent(event, f"already escalated for trigger {event.trigger!r}")
        draft.escalation_triggers = draft.escalation_triggers | {event.trigger}
    draft.escalation_level += 1


@projection(ev.RemedyOffered)
def _remedy_offered(draft: CaseDraft, event: ev.RemedyOffered) -> None:
    if draft.remedy(event.remedy.id) is not None:
        raise InvalidEvent(
            event, f"remedy id {event.remedy.id!r} was already offered; use a new id"
        )
    draft.remedies = (*draft.remedies, RemedyRecord(event.remedy, RemedyStatus.OFFERED, event.at))


_UNDECIDED = frozenset({RemedyStatus.OFFERED})
_UNDELIVERED = frozenset({RemedyStatus.OFFERED, RemedyStatus.ACCEPTED})


def _remedy_record(
    draft: CaseDraft,
    event: ev.RemedyAccepted | ev.RemedyDeclined | ev.RemedyDelivered,
    allowed: frozenset[RemedyStatus],
) -> RemedyRecord:
    record = draft.remedy(event.remedy_id)
    if record is None:
        offered = ", ".join(repr(r.remedy.id) for r in draft.remedies) or "none"
        raise InvalidEvent(
            event, f"remedy {event.remedy_id!r} was never offered (offered remedies: {offered})"
        )
    if record.status not in allowed:
        states = " or ".join(sorted(s.value for s in allowed))
        raise InvalidEvent(
            event, f"remedy {event.remedy_id!r} is {record.status.value}, it must be {states}"
        )
    return record


@projection(ev.RemedyAccepted)
def _remedy_accepted(draft: CaseDraft, event: ev.RemedyAccepted) -> None:
    old = _remedy_record(draft, event, _UNDECIDED)
    new = RemedyRecord(old.remedy, RemedyStatus.ACCEPTED, old.offered_at, event.at)
    draft.remedies = _replace(draft.remedies, old, new)


@projection(ev.RemedyDeclined)
def _remedy_declined(draft: CaseDraft, event: ev.RemedyDeclined) -> None:
    old = _remedy_record(draft, event, _UNDELIVERED)
    new = RemedyRecord(old.remedy, RemedyStatus.DECLINED, old.offered_at, event.at)
    draft.remedies = _replace(draft.remedies, old, new)


@projection(ev.RemedyDelivered)
def _remedy_delivered(draft: CaseDraft, event: ev.RemedyDelivered) -> None:
    old = _remedy_record(draft, event, _UNDELIVERED)
    new = RemedyRecord(old.remedy, RemedyStatus.DELIVERED, old.offered_at, old.decided_at, event.at)
    draft.remedies = _replace(draft.remedies, old, new)


@projection(ev.FinalResponseSent)
def _final_response(draft: CaseDraft, event: ev.FinalResponseSent) -> None:
    draft.responded_at = event.at
    draft.final_response = event
    if draft.first_responded_at is None:
        draft.first_responded_at = event.at


@projection(ev.ResolutionAccepted)
def _resolved(draft: CaseDraft, event: ev.ResolutionAccepted) -> None:
    if draft.resolved_at is None:  # accepted again: the first acceptance stands
        draft.resolved_at = event.at


@projection(ev.Closed)
def _closed(draft: CaseDraft, event: ev.Closed) -> None:
    if draft.closed_at is None:  # closed again: it was closed at the first one
        draft.closed_at = event.at


def _reopen(draft: CaseDraft) -> None:
    draft.reopen_count += 1
    draft.responded_at = draft.final_response = draft.resolved_at = draft.closed_at = None
    draft.withdrawn_at = None


@projection(ev.Reopened)
def _reopened(draft: CaseDraft, event: ev.Reopened) -> None:
    del event
    _reopen(draft)


@projection(ev.InvestigationStarted)
def _investigation_started(draft: CaseDraft, event: ev.InvestigationStarted) -> None:
    if draft.responded_at is not None:  # work restarts after a final response: a reopen
        _reopen(draft)
    if draft.investigation_started_at is None:
        draft.investigation_started_at = event.at


@projection(ev.InformationRequested)
def _information_requested(draft: CaseDraft, event: ev.InformationRequested) -> None:
    del event
    if draft.state != "awaiting_customer":  # asked again while waiting: the same request
        draft.information_requests += 1


@projection(ev.Withdrawn)
def _withdrawn(draft: CaseDraft, event: ev.Withdrawn) -> None:
    if draft.withdrawn_at is None:
        draft.withdrawn_at = event.at


@projection(ev.CaseLinked)
def _case_linked(draft: CaseDraft, event: ev.CaseLinked) -> None:
    if event.other_case_id == draft.complaint.id:
        raise InvalidEvent(event, "a case cannot be linked to itself")
    if event.other_case_id in draft.linked_cases:
        return  # linked again: one link
    draft.linked_cases = (*draft.linked_cases, event.other_case_id)


@projection(ev.FollowUpScheduled)
def _follow_up_scheduled(draft: CaseDraft, event: ev.FollowUpScheduled) -> None:
    if draft.follow_up(event.follow_up.id) is not None:
        raise InvalidEvent(
            event, f"follow-up id {event.follow_up.id!r} is already scheduled; use a new id"
        )
    draft.follow_ups = (*draft.follow_ups, FollowUpRecord(event.follow_up, event.at))


@projection(ev.FollowUpCompleted)
def _follow_up_completed(draft: CaseDraft, event: ev.FollowUpCompleted) -> None:
    record = draft.follow_up(event.follow_up_id)
    if record is None:
        known = ", ".join(repr(f.follow_up.id) for f in draft.follow_ups) or "none"
        raise InvalidEvent(
            event, f"follow-up {event.follow_up_id!r} was never scheduled (scheduled: {known})"
        )
    if record.is_done:
        raise InvalidEvent(event, f"follow-up {event.follow_up_id!r} is already completed")
    done = attrs.evolve(record, completed_at=event.at, outcome=event.outcome, survey=event.survey)
    draft.follow_ups = _replace(draft.follow_ups, record, done)


@projection(ev.RootCauseLinked)
def _root_cause_linked(draft: CaseDraft, event: ev.RootCauseLinked) -> None:
    for linked in draft.root_causes:
        if linked.id != event.root_cause.id:
            continue
        if linked == event.root_cause:
            return  # the same root cause again: one link
        raise InvalidEvent(
            event,
            f"root cause {event.root_cause.id!r} is already linked as {linked!r}; a root "
            "cause id names one cause (link a new id for a different cause)",
        )
    draft.root_causes = (*draft.root_causes, event.root_cause)
