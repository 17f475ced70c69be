"""Closing the loop: complaints from several channels share a root cause; once it is fixed,
every affected customer who can be contacted is told what changed.

Run with ``python examples/root_cause_loop.py``.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from recoverykit import Channel, Complaint, CustomerRef, Outcome, RootCause, calendars, open_case
from recoverykit import events as ev
from recoverykit.analytics import themes
from recoverykit.loops import RootCauseFixed, close_the_loop
from recoverykit.model import FollowUpOutcome

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 9, 1, 9, 0, tzinfo=LONDON)
BUG = RootCause("RC-12", "App logs customers out during payment", "app")
CUSTOMERS = [
    ("ann", Channel.REVIEW_SITE, True),
    ("bo", Channel.SOCIAL_MEDIA, True),
    ("cy", Channel.EMAIL, False),
    ("dee", Channel.PHONE, True),
    ("eli", Channel.LIVE_CHAT, True),
]


def main() -> None:
    cases = []
    for i, (who, channel, contactable) in enumerate(CUSTOMERS):
        at = T0 + timedelta(days=3 * i)
        case = open_case(
            Complaint(
                id=f"C-{i + 1}",
                customer=CustomerRef(who, contact_allowed=contactable),
                channel=channel,
                received_at=at,
                category="app",
            )
        )
        case = case.apply(ev.RootCauseLinked(at=at + timedelta(hours=2), root_cause=BUG))
        case = case.apply(
            ev.FinalResponseSent(
                at=at + timedelta(hours=3), outcome=Outcome.UPHELD, apology=True, explanation=True
            )
        )
        if who == "eli":
            case = case.apply(ev.Withdrawn(at=at + timedelta(hours=4), reason="sorted"))
        cases.append(case)

    for theme in themes(cases, by="root_cause", now=T0 + timedelta(days=20), min_count=3):
        print(
            f"theme {theme.key}: {theme.latest} cases this month (baseline {theme.baseline}), "
            f"flagged={theme.flagged}"
        )

    fix = RootCauseFixed(
        root_cause_id=BUG.id,
        at=T0 + timedelta(days=30),
        change="Payments no longer time out when the app refreshes your login",
    )
    loop = close_the_loop(fix, cases, calendar=calendars.england_and_wales(), now=fix.at)
    print(f"\nfix: {fix.change}")
    print(f"customers affected {loop.customers_affected}, being told {loop.customers_told}")
    for skipped in loop.skipped:
        print(f"  skipped {skipped.case_id}: {skipped.reason.value}")

    by_id = {c.id: c for c in cases}
    for case_id, event in loop.scheduled:
        case = by_id[case_id].apply(event)
        case = case.apply(
            ev.FollowUpCompleted(
                at=event.follow_up.due_at,
                follow_up_id=event.follow_up.id,
                outcome=FollowUpOutcome.CONFIRMED,
            )
        )
        print(
            f"  told {case.complaint.customer.id} ({case.complaint.channel.value}): "
            f"{case.follow_up(event.follow_up.id).outcome.value}"
        )


if __name__ == "__main__":
    main()
