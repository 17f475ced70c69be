"""`Case.apply`, one event at a time, against a hand-written frozen fold doing the same work.

How apps receive events: one at a time, each giving a new immutable case (issue 15).

- **hand fold**: a frozen, slotted attrs record with the same 25 fields as `Case` and the
  same rules for the events used here: the event type checked, time order by instant
  (`recoverykit._instants.before`, as a careful hand-writer would compare zoned datetimes),
  the transition looked up in a dict built from the default lifecycle's table, the one guard
  (no accepted remedy left undelivered at closing), the remedy rules (offered once, accepted
  while offered, delivered while offered or accepted) and every view the events change; the
  new record is built positionally from the old one's fields. No registry, no extension
  points: what an app would write by hand for this lifecycle alone.
- **Case.apply**: the public method.

Workloads:

- **lifecycle**: the bench_replay 10-event lifecycle, applied event by event from the
  received case (nine applies per case, one in nine guarded).
- **grown case**: 500 `ActivityRecorded` applied one by one (each to the case the previous
  apply returned) to a case that already has 10 events, and to one that has 1,000 (received,
  acknowledged, investigation started, then activities): the cost of an apply must not depend
  on the length of the history. The activities change no view, so any difference is the
  history itself. (Each round starts again from the same case, whose shared history the
  previous round extended: its first apply copies the history once, as any apply to an
  older case does; that is one copy in 500 applies.)

Targets: Case.apply at most 1.3x the hand fold on the lifecycle; the 1,000-event apply at most
1.2x the 10-event one. CPU time, interleaved, median of paired ratios (``_paired``).
Run: ``python benchmarks/bench_apply.py [--rounds 15]``.
"""

from __future__ import annotations

import argparse
import operator
import platform
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from _lifecycle import full_lifecycle
from _paired import compare, table
from recoverykit import (
    COMPLAINT_LIFECYCLE,
    Case,
    Channel,
    Complaint,
    CustomerRef,
    Money,
    replay,
)
from recoverykit import events as ev
from recoverykit._instants import before
from recoverykit.case import Assignment, RemedyRecord
from recoverykit.model import RemedyStatus

FIELDS = [
    "complaint",
    "state",
    "history",
    "ownership_history",
    "handoffs",
    "escalation_level",
    "escalation_triggers",
    "remedies",
    "follow_ups",
    "root_causes",
    "linked_cases",
    "acknowledged_at",
    "investigation_started_at",
    "responded_at",
    "final_response",
    "first_responded_at",
    "resolved_at",
    "closed_at",
    "withdrawn_at",
    "reopen_count",
    "information_requests",
    "views",
]
assert len(FIELDS) == len(attrs.fields(Case)) - 1  # every Case field but the lifecycle


@attrs.frozen
class Hand:
    complaint: Complaint
    state: str
    history: tuple[ev.Event, ...]
    ownership_history: tuple[Assignment, ...] = ()
    handoffs: int = 0
    escalation_level: int = 0
    escalation_triggers: frozenset[str] = frozenset()
    remedies: tuple[RemedyRecord, ...] = ()
    follow_ups: tuple[Any, ...] = ()
    root_causes: tuple[Any, ...] = ()
    linked_cases: tuple[str, ...] = ()
    acknowledged_at: datetime | None = None
    investigation_started_at: datetime | None = None
    responded_at: datetime | None = None
    final_response: ev.FinalResponseSent | None = None
    first_responded_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    withdrawn_at: datetime | None = None
    reopen_count: int = 0
    information_requests: int = 0
    views: Any = None


assert [f.name for f in attrs.fields(Hand)] == FIELDS
I = {name: i for i, name in enumerate(FIELDS)}  # noqa: E741
VALUES = operator.attrgetter(*FIELDS)
TABLE = {
    (source, t.event): (t.target, t.guards)
    for t in COMPLAINT_LIFECYCLE.transitions
    for source in t.sources
}


def hand_apply(record: Hand, event: ev.Event) -> Hand:  # noqa: C901, PLR0912
    if not isinstance(event, ev.Event):
        raise TypeError(event)
    if before(event.at, record.history[-1].at):
        raise ValueError("earlier than the previous event")
    entry = TABLE.get((record.state, type(event)))
    if entry is None:
        raise ValueError("not allowed in this state")
    target, guards = entry
    values = list(VALUES(record))
    kind = type(event)
    if kind is ev.Acknowledged:
        if values[I["acknowledged_at"]] is None:
            values[I["acknowledged_at"]] = event.at
    elif kind is ev.OwnerAssigned:
        owners = values[I["ownership_history"]]
        if not owners or owners[-1].owner != event.owner:
            values[I["ownership_history"]] = (*owners, Assignment(event.owner, event.at))
            if owners:
                values[I["handoffs"]] += 1
    elif kind is ev.InvestigationStarted:
        if values[I["investigation_started_at"]] is None:
            values[I["investigation_started_at"]] = event.at
    elif kind is ev.RemedyOffered:
        remedies = values[I["remedies"]]
        if any(r.remedy.id == event.remedy.id for r in remedies):
            raise ValueError("offered twice")
        new = RemedyRecord(event.remedy, RemedyStatus.OFFERED, event.at)
        values[I["remedies"]] = (*remedies, new)
    elif kind is ev.RemedyAccepted or kind is ev.RemedyDelivered:
        remedies = values[I["remedies"]]
        old = next((r for r in remedies if r.remedy.id == event.remedy_id), None)
        if old is None:
            raise ValueError("never offered")
        if kind is ev.RemedyAccepted:
            if old.status is not RemedyStatus.OFFERED:
                raise ValueError("not offered")
            new = RemedyRecord(old.remedy, RemedyStatus.ACCEPTED, old.offered_at, event.at)
        else:
            if old.status not in (RemedyStatus.OFFERED, RemedyStatus.ACCEPTED):
                raise ValueError("not deliverable")
            new = RemedyRecord(
                old.remedy, RemedyStatus.DELIVERED, old.offered_at, old.decided_at, event.at
            )
        values[I["remedies"]] = tuple(new if r is old else r for r in remedies)
    elif kind is ev.FinalResponseSent:
        values[I["responded_at"]] = event.at
        values[I["final_response"]] = event
        if values[I["first_responded_at"]] is None:
            values[I["first_responded_at"]] = event.at
    elif kind is ev.ResolutionAccepted:
        if values[I["resolved_at"]] is None:
            values[I["resolved_at"]] = event.at
    elif kind is ev.Closed:
        if guards and any(r.status is RemedyStatus.ACCEPTED for r in values[I["remedies"]]):
            raise ValueError("an accepted remedy is undelivered")
        if values[I["closed_at"]] is None:
            values[I["closed_at"]] = event.at
    elif kind is not ev.ActivityRecorded:
        raise NotImplementedError(kind)
    if target is not None:
        values[I["state"]] = target
    values[I["history"]] = (*record.history, event)
    return Hand(*values)


def complaint(i: int) -> Complaint:
    at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC) + timedelta(minutes=i)
    customer = CustomerRef(f"c-{i}")
    return Complaint(id=f"C-{i}", customer=customer, channel=Channel.EMAIL, received_at=at)


def grown(size: int) -> tuple[Case, Hand, list[ev.Event]]:
    """A case of ``size`` events (and its hand twin), and 500 more events for it."""
    c = complaint(0)
    t = c.received_at
    events: list[ev.Event] = [
        ev.ComplaintReceived(at=t, complaint=c),
        ev.Acknowledged(at=t + timedelta(minutes=1)),
        ev.InvestigationStarted(at=t + timedelta(minutes=2)),
    ]
    while len(events) < size:
        events.append(ev.ActivityRecorded(at=t + timedelta(minutes=len(events)), name="note"))
    case = replay(events)
    record = Hand(c, "received", (events[0],))
    for event in events[1:]:
        record = hand_apply(record, event)
    assert record.state == case.state == "investigating"
    later = t + timedelta(days=30)
    more = [ev.ActivityRecorded(at=later + timedelta(minutes=i), name="note") for i in range(500)]
    return case, record, more


def chain(case: Any, apply: Any, events: list[ev.Event]) -> object:
    for event in events:
        case = apply(case, event)
    return case


def same_answers(starts: list[tuple[Case, Hand, list[ev.Event]]]) -> None:
    """Every view the hand fold keeps equals the case's, after every event."""
    for start, first, rest in starts:
        case, record = start, first
        for event in rest:
            case, record = case.apply(event), hand_apply(record, event)
            for name in FIELDS[:-1]:
                assert getattr(case, name) == getattr(record, name), name


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    histories = [full_lifecycle(complaint(i), Money("10", "GBP")) for i in range(200)]
    starts = [(replay(h[:1]), Hand(h[0].complaint, "received", (h[0],)), h[1:]) for h in histories]

    apply = Case.apply

    def ours() -> object:
        return [chain(case, apply, rest) for case, _, rest in starts]

    def hand() -> object:
        return [chain(record, hand_apply, rest) for _, record, rest in starts]

    same_answers(starts[:3])

    small, hand_small, more = grown(10)
    large, hand_large, _ = grown(1000)
    lifecycle = compare(
        {"hand fold": hand, "Case.apply": ours}, baseline="hand fold", rounds=args.rounds
    )
    growth = compare(
        {
            "Case.apply from 10 events": lambda: chain(small, apply, more),
            "Case.apply from 1,000 events": lambda: chain(large, apply, more),
            "hand fold from 10 events": lambda: chain(hand_small, hand_apply, more),
            "hand fold from 1,000 events": lambda: chain(hand_large, hand_apply, more),
        },
        baseline="Case.apply from 10 events",
        rounds=args.rounds,
    )
    print(f"Python {platform.python_version()}, {platform.machine()}; {args.rounds} rounds")
    table(lifecycle, unit="ms", title="\n200 cases x 9 applies (the 10-event lifecycle)")
    table(growth, unit="ms", title="\n500 more events, one by one, on a grown case")
    return {
        "apply: Case.apply / same-rules hand fold (target <= 1.3)": lifecycle["Case.apply"].ratio,
        "apply: 1,000-event case / 10-event case (target <= 1.2)": growth[
            "Case.apply from 1,000 events"
        ].ratio,
    }


if __name__ == "__main__":
    main()
