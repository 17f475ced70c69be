"""UK financial services: the FCA (DISP, payment services) and the PSR's APP scam rules."""

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
        "DISP 2.8.2R(1): the customer may refer the complaint to the Financial Ombudsman "
        "Service within six months of the final response (the rule also runs from a summary "
        "resolution communication or redress determination, if recorded as FinalResponseSent). "
        "This is the customer's window: 'breached' means it has closed, not that the firm failed."
    ),
)


def fca_disp(*, receipt_next_business_day: bool = False) -> Regime:
    """FCA DISP complaint handling (DISP 1.5.1R, 1.6.2R, 2.8.2R).

    Args:
        receipt_next_business_day: Treat a complaint received on a day that is not a
            business day, or after close of business, as received at the start of the next
            business day. This was DISP 1.5.3G, which the handbook shows as deleted (it went
            when the three-business-day rule came in on 30 June 2016): today it is a firm's
            own policy choice, not FCA guidance. Off by default: the handbook's text counts
            from the day of receipt.
    """
    if not isinstance(receipt_next_business_day, bool):
        raise InvalidType(
            "receipt_next_business_day",
            f"expected bool, got {v.type_name(receipt_next_business_day)}",
        )
    return Regime(
        name="FCA DISP",
        reference=(
            "FCA Handbook DISP 1.5.1R (summary resolution by close of business on the third "
            "business day following the day of receipt; in force since 30 June 2016), DISP "
            "1.6.2R (final response by the end of eight weeks after receipt; wording as in the "
            "2012 handbook, cross-referenced by DISP 1.6.1R as at 1 June 2026), DISP 2.8.2R(1) "
            "(six months to refer to the Financial Ombudsman Service)"
        ),
        closed_days=FCA_CLOSED_DAYS,
        clocks=[
            Clock(
                name="summary_resolution",
                target=CloseOfBusinessAfter(3),
                stop_on=(ev.FinalResponseSent, ev.ResolutionAccepted),
                receipt_next_business_day=receipt_next_business_day,
                description=(
                    "DISP 1.5.1R: resolved by close of business on the third business day "
                    "following the day of receipt, the complaint may be closed with a summary "
                    "resolution communication. 'breached' means the full DISP 1.6 process "
                    "applies."
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
        "FCA Handbook DISP 1.6.2AR (text as at 1 June 2026): final response within 15 business "
        "days of receipt; in exceptional circumstances a holding response within them and a "
        "final response within 35 business days; DISP 2.8.2R(1) for the Financial Ombudsman "
        "Service"
    ),
    closed_days=FCA_CLOSED_DAYS,
    clocks=[
        Clock(
            name="final_response",
            target=BusinessDays(15),
            stop_on=ev.FinalResponseSent,
            extension=Extension(event=ev.HoldingReplySent, target=BusinessDays(35)),
            description=(
                "DISP 1.6.2AR: 15 business days; a holding response (HoldingReplySent) sent "
                "within them, giving the reasons for the delay, extends the deadline to 35 "
                "business days after receipt."
            ),
        ),
        _OMBUDSMAN_REFERRAL,
    ],
)


# -- UK Payment Systems Regulator: APP scam reimbursement -----------------------------------

PSR_APP_SCAMS = Regime(
    name="PSR APP scam reimbursement",
    reference=(
        "Payment Systems Regulator APP scams reimbursement requirement: Specific Requirement 1 "
        "(on Pay.UK, the Faster Payments reimbursement rules) and Specific Direction 20 (on "
        "sending PSPs), PS23/4, in force from 7 October 2024: reimburse within 5 business "
        "days of the claim; a PSP that stops the clock must still decide within 35 business "
        "days; claims within 13 months of the last payment (an eligibility rule, not a clock)"
    ),
    clocks=[
        Clock(
            name="reimbursement",
            target=BusinessDays(5),
            stop_on=ev.FinalResponseSent,
            extension=Extension(event=ev.HoldingReplySent, target=BusinessDays(35)),
            description=(
                "Reimburse (or decline) within 5 business days of the claim (Pay.UK FPS "
                "reimbursement rules); record the decision as FinalResponseSent. Stopping the "
                "clock (recorded as HoldingReplySent to the consumer) moves the deadline to the "
                "outer limit, 35 business days after the claim; the time the clock was "
                "actually stopped is not tracked."
            ),
        ),
    ],
)
