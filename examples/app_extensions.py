"""An app extends recoverykit through the same public mechanisms the library uses itself.

A Swedish insurer's complaints desk adds:

1. its own event, `LegalReviewRequested`, with a view kept on the case and an upcaster from
   the event's version 1 payload (which stored the reviewer's name only);
2. a Swedish calendar with Midsummer Eve ("the Friday between 19 and 25 June") as a holiday
   rule of its own;
3. "10 working days from acknowledgement" as a deadline kind of its own;
4. a scoring rule of its own: a legal review costs trust unless it ends quickly.

Then the case goes through `dumps`/`loads` and comes back equal, its view intact.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import attrs

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    BusinessCalendar,
    Case,
    CaseDraft,
    Channel,
    Clock,
    Complaint,
    CustomerRef,
    Outcome,
    Owner,
    dumps,
    evaluate_clocks,
    from_dict,
    loads,
    open_case,
    projection,
    score,
)
from recoverykit import events as ev
from recoverykit.calendars import EasterOffset, FixedDate, HolidayRules
from recoverykit.scoring import DEFAULT_RULESET, Contribution, ScoringState
from recoverykit.serialization import register_event, register_lifecycle, register_tagged

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# -- 1. an event of the app's own: one class, one projection, registered once -------------


def _reviewer_from_name(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 stored ``reviewer_name``; version 2 stores the reviewer as an `Owner`."""
    body = dict(payload)
    name = body.pop("reviewer_name")
    return {**body, "reviewer": {"id": name, "team": "legal"}}


@register_event
@attrs.frozen(kw_only=True)
class LegalReviewRequested(ev.Event):
    """The case went to the legal team before the firm answers."""

    event_type: ClassVar[str] = "acme.legal_review_requested"
    schema_version: ClassVar[int] = 2
    upcasters: ClassVar = MappingProxyType({1: _reviewer_from_name})
    reviewer: Owner


@projection(LegalReviewRequested)
def _legal_review(draft: CaseDraft, event: LegalReviewRequested) -> None:
    draft.views["legal_review"] = (event.reviewer.id, event.at)


# Legal review happens while investigating; the case stays in its state.
LIFECYCLE = register_lifecycle(
    COMPLAINT_LIFECYCLE.with_transition(
        LegalReviewRequested, {"investigating"}, name="acme-complaint"
    )
)

# -- 2. a holiday rule of the app's own ----------------------------------------------------


@register_tagged
@attrs.frozen
class FridayBetween:
    """The Friday between two days of a month (Swedish Midsummer Eve: 19-25 June)."""

    tag: ClassVar[str] = "acme.friday_between"
    name: str
    month: int
    first_day: int

    def dates(self, year: int) -> Iterable[date]:
        first = date(year, self.month, self.first_day)
        return [first + timedelta(days=(4 - first.weekday()) % 7)]


SWEDEN = BusinessCalendar(
    STOCKHOLM,
    name="Sweden (simplified)",
    holidays_from=[
        HolidayRules(
            [
                FixedDate("New Year's Day", 1, 1),
                EasterOffset("Good Friday", -2),
                EasterOffset("Easter Monday", 1),
                FixedDate("National Day", 6, 6),
                FridayBetween("Midsummer Eve", 6, 19),
                FixedDate("Christmas Eve", 12, 24),
                FixedDate("Christmas Day", 12, 25),
            ]
        )
    ],
)

# -- 3. a deadline kind of the app's own ---------------------------------------------------


@register_tagged
@attrs.frozen
class WorkingDays:
    """Close of business on the n-th working day after the day the clock starts."""

    tag: ClassVar[str] = "acme.working_days"
    n: int

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        day = start.astimezone(calendar.tz).date()
        return calendar.close_of_business(calendar.add_business_days(day, self.n))


ANSWER_CLOCK = Clock(
    name="answer",
    target=WorkingDays(10),
    start_on=ev.Acknowledged,
    stop_on=ev.FinalResponseSent,
    description="Answer within 10 working days of the acknowledgement (acme policy)",
)

# -- 4. a scoring rule of the app's own ------------------------------------------------------


@register_tagged
@attrs.frozen
class SlowLegalReview:
    """A legal review that holds the answer up for more than a week costs trust."""

    tag: ClassVar[str] = "acme.slow_legal_review"
    name: str = "slow_legal_review"
    source: str = "acme complaints review 2026 (an internal judgement)"
    points: int = -4
    after: timedelta = timedelta(days=7)

    def contribute(self, state: ScoringState) -> Contribution | None:
        review = state.case.views.get("legal_review")
        answered = state.case.responded_at
        if review is None or answered is None or answered - review[1] <= self.after:
            return None
        return Contribution(self.name, self.points, "a long legal review", self.source)


RULESET = attrs.evolve(
    DEFAULT_RULESET.with_rule(SlowLegalReview(), after="clocks_breached"), version="acme-1"
)


def main() -> None:
    received = datetime(2026, 6, 15, 10, 0, tzinfo=STOCKHOLM)
    complaint = Complaint(
        id="SE-1", customer=CustomerRef("kund-7"), channel=Channel.EMAIL, received_at=received
    )
    case = open_case(complaint, lifecycle=LIFECYCLE)
    for event in [
        ev.Acknowledged(at=received + timedelta(hours=2)),
        ev.InvestigationStarted(at=received + timedelta(hours=3)),
        LegalReviewRequested(at=received + timedelta(days=1), reviewer=Owner("ingrid", "legal")),
        ev.FinalResponseSent(at=received + timedelta(days=11), outcome=Outcome.UPHELD),
    ]:
        case = case.apply(event)

    print("Midsummer Eve 2026:", dict(SWEDEN.holidays(2026)).get(date(2026, 6, 19)))
    print("legal review view:", case.views["legal_review"][0])
    (answer,) = evaluate_clocks(
        case, [ANSWER_CLOCK], calendar=SWEDEN, now=received + timedelta(days=20)
    )
    print("answer due:", answer.due_at.isoformat(), "->", answer.status.value)
    assessment = score(case, ruleset=RULESET, now=received + timedelta(days=20))
    print("score:", assessment.score, [c.rule for c in assessment.contributions][-3:])

    # An old stored payload of the app's event (version 1) loads through its upcaster.
    old = {
        "schema_version": 2,
        "type": "acme.legal_review_requested",
        "at": "2026-06-16T10:00:00+02:00",
        "reviewer_name": "ingrid",
    }
    print("upcast from version 1:", from_dict(old, ev.Event).reviewer)

    again = loads(dumps(case), Case)
    print(
        "case round trip equal:", again == case, "| same lifecycle:", again.lifecycle is LIFECYCLE
    )
    print("view after the round trip:", again.views["legal_review"][0])
    same = [loads(dumps(thing), type(thing)) == thing for thing in (SWEDEN, ANSWER_CLOCK, RULESET)]
    print("calendar, clock and ruleset round trip equal:", same)


if __name__ == "__main__":
    main()
