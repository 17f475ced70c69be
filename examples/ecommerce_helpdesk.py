"""An online shop's helpdesk: SLA clocks that pause while waiting for the customer, a
replacement, a survey follow-up and the loyalty score that explains itself.

Run with ``python examples/ecommerce_helpdesk.py``.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from recoverykit import (
    Channel,
    Complaint,
    CustomerRef,
    Money,
    Outcome,
    Owner,
    Remedy,
    RemedyKind,
    Survey,
    calendars,
    open_case,
    regimes,
    score,
)
from recoverykit import events as ev
from recoverykit.loops import FollowUpPolicy, plan_follow_ups
from recoverykit.model import FollowUpOutcome

LONDON = ZoneInfo("Europe/London")
CALENDAR = calendars.england_and_wales()


def main() -> None:
    t0 = datetime(2026, 6, 5, 15, 0, tzinfo=LONDON)  # a Friday afternoon
    case = open_case(
        Complaint(
            id="SHOP-31",
            customer=CustomerRef("cust-31"),
            channel=Channel.LIVE_CHAT,
            received_at=t0,
            category="delivery",
            claimed_loss=Money("64.00", "GBP"),
            desired_remedy=RemedyKind.REPLACEMENT,
        )
    )
    case = case.apply(
        ev.OwnerAssigned(at=t0 + timedelta(minutes=10), owner=Owner("mia", "support"))
    )
    case = case.apply(
        ev.InformationRequested(at=t0 + timedelta(minutes=30), details="photo of parcel")
    )
    monday = datetime(2026, 6, 8, 11, 0, tzinfo=LONDON)
    case = case.apply(ev.InformationReceived(at=monday))

    print("SLA while the case waited for the customer over the weekend:")
    for s in regimes.HELPDESK.evaluate(case, calendar=CALENDAR, now=monday + timedelta(minutes=5)):
        print(f"  {s.name:<16} {s.status.value:<8} due {s.due_at:%a %H:%M}  paused {s.paused_for}")

    replacement = Remedy("R-1", RemedyKind.REPLACEMENT, description="new parcel, next day")
    for event in [
        ev.ReplySent(at=monday + timedelta(hours=1)),
        ev.RemedyOffered(at=monday + timedelta(hours=1), remedy=replacement),
        ev.RemedyAccepted(at=monday + timedelta(hours=2), remedy_id="R-1"),
        ev.RemedyDelivered(at=monday + timedelta(days=1), remedy_id="R-1"),
        ev.FinalResponseSent(
            at=monday + timedelta(days=1, hours=1),
            outcome=Outcome.UPHELD,
            apology=True,
            explanation=True,
        ),
        ev.Closed(at=monday + timedelta(days=1, hours=2)),
    ]:
        case = case.apply(event)

    closed = monday + timedelta(days=1, hours=3)
    for event in plan_follow_ups(case, FollowUpPolicy(), calendar=CALENDAR, now=closed):
        print(f"scheduled {event.follow_up.purpose.value} due {event.follow_up.due_at:%a %d %b}")
        case = case.apply(event)
    survey = next(f for f in case.follow_ups if f.follow_up.purpose.value == "satisfaction_survey")
    case = case.apply(
        ev.FollowUpCompleted(
            at=survey.follow_up.due_at,
            follow_up_id=survey.follow_up.id,
            outcome=FollowUpOutcome.CONFIRMED,
            survey=Survey(nps=9, csat=5, ces=6),
        )
    )

    statuses = regimes.HELPDESK.evaluate(case, calendar=CALENDAR, now=survey.follow_up.due_at)
    assessment = score(case, statuses=statuses, now=survey.follow_up.due_at)
    print(
        f"\nloyalty: {assessment.score} ({assessment.band.value}), baseline {assessment.baseline}"
    )
    for c in assessment.contributions:
        print(f"  {c.points:>+4}  {c.rule:<16} {c.reason}")


if __name__ == "__main__":
    main()
