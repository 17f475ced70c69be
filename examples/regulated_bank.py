"""A UK bank under the FCA's complaint rules (DISP): deadlines, escalation, final response,
and, for each clock, why it is due when it is.

Run with ``python examples/regulated_bank.py``.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import attrs

from recoverykit import (
    Case,
    Channel,
    Complaint,
    CustomerRef,
    Money,
    Outcome,
    Owner,
    Remedy,
    RemedyKind,
    calendars,
    open_case,
    regimes,
)
from recoverykit import events as ev
from recoverykit.clocks import ClockState
from recoverykit.loops import EscalationPolicy, EscalationRule, RoutingRule, due_actions, route

LONDON = ZoneInfo("Europe/London")
CALENDAR = calendars.scotland()  # the bank's complaints team is in Edinburgh
ROUTING = [
    RoutingRule(owner=Owner("vulnerable-customers", "care"), vulnerable=True),
    RoutingRule(owner=Owner("cards-team", "cards"), categories={"cards"}),
]
POLICY = EscalationPolicy(
    rules=[
        EscalationRule(
            clock="final_response", when=ClockState.WARNING, assign_to=Owner("team-lead", "cards")
        ),
        EscalationRule(
            clock="final_response",
            when=ClockState.BREACHED,
            assign_to=Owner("complaints-manager", "complaints"),
        ),
    ],
    forbid_handback=True,
)
# The regime's clocks are values: warn two weeks before the eight-week deadline.
FCA = attrs.evolve(
    regimes.FCA_DISP,
    clocks=[
        attrs.evolve(c, warning=timedelta(weeks=2)) if c.name == "final_response" else c
        for c in regimes.FCA_DISP.clocks
    ],
)


def show(case: Case, now: datetime) -> None:
    print(
        f"-- {now:%a %d %b %Y %H:%M}: {case.state}, owner {case.owner.id if case.owner else None}"
    )
    for s in FCA.evaluate(case, calendar=CALENDAR, now=now):
        due = f"{s.due_at:%a %d %b %Y %H:%M}" if s.due_at else "-"
        print(f"   {s.name:<20} {s.status.value:<9} due {due}")


def main() -> None:
    received = datetime(2026, 12, 23, 16, 40, tzinfo=LONDON)
    complaint = Complaint(
        id="BANK-7",
        customer=CustomerRef("cust-7"),
        channel=Channel.PHONE,
        received_at=received,
        category="cards",
        claimed_loss=Money("120.00", "GBP"),
        desired_remedy=RemedyKind.REFUND,
    )
    case = open_case(complaint)
    case = case.apply(ev.OwnerAssigned(at=received, owner=route(complaint, ROUTING)))
    case = case.apply(ev.Acknowledged(at=received + timedelta(minutes=5)))
    show(case, received + timedelta(hours=1))

    # Six and a half weeks later nobody has answered: the policy escalates, once.
    later = received + timedelta(weeks=6, days=4)
    statuses = FCA.evaluate(case, calendar=CALENDAR, now=later)
    for action in due_actions(case, statuses, POLICY, now=later):
        print(f"   action: {type(action).__name__} {getattr(action, 'owner', '') or action.reason}")
        case = case.apply(action)
    print(f"   asked again: {due_actions(case, statuses, POLICY, now=later)} (nothing twice)")
    show(case, later)

    refund = Remedy("R-1", RemedyKind.REFUND, value=Money("120.00", "GBP"))
    answered = later + timedelta(days=2)
    for event in [
        ev.RemedyOffered(at=answered, remedy=refund),
        ev.RemedyAccepted(at=answered + timedelta(hours=1), remedy_id="R-1"),
        ev.RemedyDelivered(at=answered + timedelta(hours=3), remedy_id="R-1"),
        ev.FinalResponseSent(
            at=answered + timedelta(hours=4),
            outcome=Outcome.UPHELD,
            apology=True,
            explanation=True,
            referral_rights_given=True,
        ),
    ]:
        case = case.apply(event)
    show(case, answered + timedelta(days=1))
    print(f"   referral rights given: {case.final_response.referral_rights_given}")

    # Why each clock is due when it is: the steps that set its deadline and how its time
    # was spent (Edinburgh's Christmas and New Year holidays, the FCA's own Christmas Day).
    print("-- why")
    for timeline in FCA.explain(case, calendar=CALENDAR, now=answered + timedelta(days=1)):
        print(timeline)


if __name__ == "__main__":
    main()
