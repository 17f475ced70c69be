"""Small builders shared by the tests."""

from datetime import UTC, datetime, timedelta

from recoverykit import (
    Channel,
    Complaint,
    CustomerRef,
    FollowUp,
    Money,
    Outcome,
    Owner,
    Remedy,
    RemedyKind,
    RootCause,
    Survey,
)
from recoverykit import events as ev
from recoverykit.model import FollowUpOutcome, FollowUpPurpose

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def complaint(id: str = "C-1", **kw: object) -> Complaint:
    fields: dict[str, object] = {
        "id": id,
        "customer": CustomerRef("cust-1", name="Sam Patel", email="sam@example.com"),
        "channel": Channel.EMAIL,
        "received_at": T0,
        "summary": "Charged twice",
        "category": "billing",
        "claimed_loss": Money("40.00", "GBP"),
    }
    fields.update(kw)
    return Complaint(**fields)  # type: ignore[arg-type]


def refund(id: str = "R-1", amount: str = "40.00") -> Remedy:
    return Remedy(id, RemedyKind.REFUND, value=Money(amount, "GBP"))


def full_history() -> list[ev.Event]:
    """Every default event type, in a valid order, ending closed after one reopening."""
    return [
        ev.ComplaintReceived(at=T0, complaint=complaint()),
        ev.Acknowledged(at=at(1), actor="bot"),
        ev.OwnerAssigned(at=at(2), owner=Owner("alex", "billing")),
        ev.InvestigationStarted(at=at(3)),
        ev.InformationRequested(at=at(4), details="statement"),
        ev.InformationReceived(at=at(10)),
        ev.RemedyOffered(at=at(11), remedy=refund()),
        ev.RemedyAccepted(at=at(12), remedy_id="R-1"),
        ev.RemedyDelivered(at=at(13), remedy_id="R-1"),
        ev.FinalResponseSent(
            at=at(14),
            outcome=Outcome.UPHELD,
            apology=True,
            explanation=True,
            referral_rights_given=True,
        ),
        ev.FollowUpScheduled(
            at=at(14),
            follow_up=FollowUp("F-1", FollowUpPurpose.RESOLUTION_CHECK, at(14 + 72)),
        ),
        ev.FollowUpCompleted(
            at=at(90),
            follow_up_id="F-1",
            outcome=FollowUpOutcome.CONFIRMED,
            survey=Survey(nps=9, csat=5, ces=6),
        ),
        ev.Closed(at=at(91)),
        ev.Reopened(at=at(200), reason="charged again"),
        ev.OwnerAssigned(at=at(201), owner=Owner("bea", "complaints")),
        ev.Escalated(at=at(202), reason="repeat failure"),
        ev.RootCauseLinked(at=at(203), root_cause=RootCause("RC-1", "Duplicate payment batch")),
        ev.RemedyOffered(at=at(204), remedy=Remedy("R-2", RemedyKind.APOLOGY)),
        ev.RemedyDeclined(at=at(205), remedy_id="R-2"),
        ev.FinalResponseSent(at=at(206), outcome=Outcome.UPHELD, apology=True),
        ev.ResolutionAccepted(at=at(207)),
        ev.Closed(at=at(208)),
    ]
