"""The full 10-event lifecycle the benchmarks replay and serialize."""

from __future__ import annotations

from datetime import datetime, timedelta

from recoverykit import Complaint, Money, Outcome, Owner, Remedy, RemedyKind
from recoverykit import events as ev


def full_lifecycle(complaint: Complaint, refund: Money) -> list[ev.Event]:
    """Received, acknowledged, owned, investigated, refund offered/accepted/delivered, final
    response, resolution accepted, closed: one event an hour from receipt."""
    start = complaint.received_at

    def at(hours: int) -> datetime:
        return start + timedelta(hours=hours)

    return [
        ev.ComplaintReceived(at=start, complaint=complaint),
        ev.Acknowledged(at=at(1)),
        ev.OwnerAssigned(at=at(2), owner=Owner("alex", "billing")),
        ev.InvestigationStarted(at=at(3)),
        ev.RemedyOffered(at=at(4), remedy=Remedy("R-1", RemedyKind.REFUND, value=refund)),
        ev.RemedyAccepted(at=at(5), remedy_id="R-1"),
        ev.RemedyDelivered(at=at(6), remedy_id="R-1"),
        ev.FinalResponseSent(at=at(7), outcome=Outcome.UPHELD, apology=True),
        ev.ResolutionAccepted(at=at(8)),
        ev.Closed(at=at(9)),
    ]
