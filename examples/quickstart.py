"""Quickstart: one complaint walked through its whole lifecycle.

Run it with ``python examples/quickstart.py``. Every step is a domain event; the case is
rebuilt from them, and its state and views are printed as it goes.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

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
    Severity,
    Survey,
    open_case,
    replay,
)
from recoverykit import events as ev
from recoverykit.model import FollowUpOutcome, FollowUpPurpose

RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def at(hours: float) -> datetime:
    return RECEIVED + timedelta(hours=hours)


def main() -> None:
    complaint = Complaint(
        id="C-1001",
        customer=CustomerRef("cust-42", name="Sam Patel", email="sam@example.com"),
        channel=Channel.LIVE_CHAT,
        received_at=RECEIVED,
        summary="Charged twice for my March order",
        category="billing",
        severity=Severity.HIGH,
        claimed_loss=Money("49.99", "GBP"),
        desired_remedy=RemedyKind.REFUND,
    )
    refund = Remedy("R-1", RemedyKind.REFUND, value=Money(Decimal("49.99"), "GBP"))
    check = FollowUp("F-1", FollowUpPurpose.RESOLUTION_CHECK, due_at=at(24 * 7))
    steps: list[ev.Event] = [
        ev.Acknowledged(at=at(0.5), actor="chatbot"),
        ev.OwnerAssigned(at=at(1), owner=Owner("alex", team="billing")),
        ev.InvestigationStarted(at=at(2), actor="alex"),
        ev.InformationRequested(at=at(3), actor="alex", details="bank statement"),
        ev.InformationReceived(at=at(20)),
        ev.RemedyOffered(at=at(22), actor="alex", remedy=refund),
        ev.RemedyAccepted(at=at(23), remedy_id="R-1"),
        ev.RemedyDelivered(at=at(30), actor="payments", remedy_id="R-1"),
        ev.FinalResponseSent(
            at=at(31),
            actor="alex",
            outcome=Outcome.UPHELD,
            apology=True,
            explanation=True,
            referral_rights_given=True,
        ),
        ev.FollowUpScheduled(at=at(31), follow_up=check),
        ev.FollowUpCompleted(
            at=at(24 * 7),
            follow_up_id="F-1",
            outcome=FollowUpOutcome.CONFIRMED,
            survey=Survey(nps=9, csat=5),
        ),
        ev.Closed(at=at(24 * 7 + 1), actor="alex"),
    ]

    case = open_case(complaint)
    print(f"{case.complaint.received_at:%Y-%m-%d %H:%M}  {'ComplaintReceived':<20} -> {case.state}")
    for event in steps:
        case = case.apply(event)
        print(f"{event.at:%Y-%m-%d %H:%M}  {type(event).__name__:<20} -> {case.state}")

    print()
    print(case)
    print("owner:", case.owner)
    print("remedies:", [(r.remedy.id, r.status.value) for r in case.remedies])
    print("follow-ups:", [(f.follow_up.id, str(f.outcome)) for f in case.follow_ups])
    print("closed at:", case.closed_at)
    print("replays to the same case:", replay(case.history) == case)


if __name__ == "__main__":
    main()
