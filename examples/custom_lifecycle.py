"""Your own lifecycle: a mandatory legal review before the final response, drawn as Mermaid.

Run with ``python examples/custom_lifecycle.py``.
"""

from datetime import UTC, datetime, timedelta

import attrs

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    Channel,
    Complaint,
    CustomerRef,
    InvalidTransition,
    Outcome,
    Transition,
    open_case,
)
from recoverykit import events as ev
from recoverykit.serialization import register_event, register_lifecycle


@register_event
@attrs.frozen(kw_only=True)
class LegalReviewStarted(ev.Event):
    event_type = "example.legal_review.started"
    lawyer: str


LEGAL = register_lifecycle(
    COMPLAINT_LIFECYCLE.with_state(
        "legal_review",
        transitions=[
            Transition(LegalReviewStarted, {"investigating"}, "legal_review"),
            Transition(ev.FinalResponseSent, {"legal_review"}, "responded"),
        ],
        stays_like="investigating",
        name="complaint-with-legal-review",
    ).without_transition(ev.FinalResponseSent, {"investigating"})
)


def main() -> None:
    t0 = datetime(2026, 4, 1, 9, tzinfo=UTC)
    case = open_case(
        Complaint(id="L-1", customer=CustomerRef("c"), channel=Channel.LETTER, received_at=t0),
        lifecycle=LEGAL,
    )
    case = case.apply(ev.InvestigationStarted(at=t0 + timedelta(hours=1)))
    try:
        case.apply(ev.FinalResponseSent(at=t0 + timedelta(hours=2), outcome=Outcome.UPHELD))
    except InvalidTransition as exc:
        print(f"refused: {exc.state} -> FinalResponseSent; allowed from: {', '.join(exc.sources)}")
    case = case.apply(LegalReviewStarted(at=t0 + timedelta(hours=3), lawyer="Lee"))
    case = case.apply(
        ev.FinalResponseSent(at=t0 + timedelta(days=2), outcome=Outcome.UPHELD, apology=True)
    )
    print(f"state: {case.state}; history: {[type(e).__name__ for e in case.history]}")
    print()
    print(LEGAL.to_mermaid())


if __name__ == "__main__":
    main()
