"""UK regimes: the FCA (DISP, payment services) and the Housing Ombudsman."""

from __future__ import annotations

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.calendars import EasterOffset, FixedDate, HolidayRules
from recoverykit.clocks import (
    BusinessDays,
    Clock,
    CloseOfBusinessAfter,
    Extension,
    Months,
    Weeks,
)
from recoverykit.errors import InvalidType
from recoverykit.regimes._regime import Regime

# -- UK Financial Conduct Authority ---------------------------------------------------------

#: FCA Glossary, "business day": not a Saturday or Sunday, Christmas Day, Good Friday or a
#: bank holiday (in the part of the UK concerned).
FCA_CLOSED_DAYS = HolidayRules(
    [FixedDate("Christmas Day", 12, 25), EasterOffset("Good Friday", -2)]
)

_OMBUDSMAN_REFERRAL = Clock(
    name="ombudsman_referral",
    target=Months(6),
    start_on=ev.FinalResponseSent,
    stop_on=ev.ReferredToOmbudsman,
    description=(
        "DISP 2.8.2R: the customer may refer the complaint to the Financial Ombudsman "
        "Service within six months of the final response. This is the customer's window: "
        "'breached' means it has closed, not that the firm failed."
    ),
)


def fca_disp(*, receipt_next_business_day: bool = False) -> Regime:
    """FCA DISP complaint handling (DISP 1.5, 1.6, 2.8).

    Args:
        receipt_next_business_day: Apply the DISP 1.5 guidance that a complaint received on
            a day that is not a business day, or after close of business, may be treated as
            received on the next business day. Off by default: the stricter reading.
    """
    if not isinstance(receipt_next_business_day, bool):
        raise InvalidType(
            "receipt_next_business_day",
            f"expected bool, got {v.type_name(receipt_next_business_day)}",
        )
    return Regime(
        name="FCA DISP",
        reference=(
            "FCA Handbook DISP 1.5.2R (summary resolution by close of business on the third "
            "business day following the day of receipt), DISP 1.6.2R (final response by the "
            "end of eight weeks after receipt), DISP 2.8.2R (six months to refer to the "
            "Financial Ombudsman Service)"
        ),
        closed_days=FCA_CLOSED_DAYS,
        clocks=[
            Clock(
                name="summary_resolution",
                target=CloseOfBusinessAfter(3),
                stop_on=(ev.FinalResponseSent, ev.ResolutionAccepted),
                receipt_next_business_day=receipt_next_business_day,
                description=(
                    "DISP 1.5: resolved by close of business on the third business day after "
                    "the day of receipt, the complaint may be closed with a summary resolution "
                    "communication. 'breached' means the full DISP 1.6 process applies."
                ),
            ),
            Clock(
                name="final_response",
                target=Weeks(8),
                stop_on=ev.FinalResponseSent,
                receipt_next_business_day=receipt_next_business_day,
                description="DISP 1.6.2R: a final response by the end of 8 weeks after receipt.",
            ),
            _OMBUDSMAN_REFERRAL,
        ],
    )


FCA_DISP = fca_disp()

FCA_PAYMENTS = Regime(
    name="FCA payment services and e-money (PSD2/EMD)",
    reference=(
        "FCA Handbook DISP 1.6.2AR: final response within 15 business days of receipt; in "
        "exceptional circumstances a holding reply and a final response within 35 business days"
    ),
    closed_days=FCA_CLOSED_DAYS,
    clocks=[
        Clock(
            name="final_response",
            target=BusinessDays(15),
            stop_on=ev.FinalResponseSent,
            extension=Extension(event=ev.HoldingReplySent, target=BusinessDays(35)),
            description=(
                "DISP 1.6.2AR: 15 business days; a holding reply sent within them (giving the "
                "reasons for the delay) extends the deadline to 35 business days."
            ),
        ),
        _OMBUDSMAN_REFERRAL,
    ],
)


# -- UK Housing Ombudsman Complaint Handling Code ------------------------------------------

HOUSING_OMBUDSMAN = Regime(
    name="Housing Ombudsman Complaint Handling Code",
    reference=(
        "Housing Ombudsman Complaint Handling Code (2024), sections 5 and 6: acknowledge "
        "within 5 working days; stage 1 response within 10 working days of acknowledgement; "
        "stage 2 acknowledged within 5 and answered within 20 working days"
    ),
    clocks=[
        Clock(
            name="acknowledgement",
            target=BusinessDays(5),
            stop_on=(ev.Acknowledged, ev.FinalResponseSent),
            description="Code 5.1: acknowledge stage 1 within 5 working days of receipt.",
        ),
        Clock(
            name="stage_1_response",
            target=BusinessDays(10),
            start_on=ev.Acknowledged,
            stop_on=ev.FinalResponseSent,
            description="Code 5.8: stage 1 response within 10 working days of acknowledgement.",
        ),
        Clock(
            name="stage_2_acknowledgement",
            target=BusinessDays(5),
            start_on=ev.Reopened,
            stop_on=(ev.ReplySent, ev.FinalResponseSent),
            description=(
                "Code 6.1: acknowledge a stage 2 escalation (recorded as Reopened) within 5 "
                "working days (recorded as ReplySent)."
            ),
        ),
        Clock(
            name="stage_2_response",
            target=BusinessDays(20),
            start_on=ev.Reopened,
            stop_on=ev.FinalResponseSent,
            description="Code 6.13: stage 2 response within 20 working days of the escalation.",
        ),
    ],
)
