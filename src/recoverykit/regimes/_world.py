"""Regimes outside the UK: the US CFPB, Australia (ASIC RG 271), Ireland (CBI)."""

from __future__ import annotations

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.clocks import (
    BusinessDays,
    CalendarDays,
    Clock,
)
from recoverykit.errors import InvalidType, ValidationError
from recoverykit.regimes._regime import Regime

# -- US Consumer Financial Protection Bureau ------------------------------------------------

CFPB = Regime(
    name="CFPB company response",
    reference=(
        "CFPB complaint process: companies respond within 15 calendar days; a company that "
        "cannot close the complaint in 15 days responds 'in progress' and gives a final "
        "response within 60 calendar days"
    ),
    clocks=[
        Clock(
            name="company_response",
            target=CalendarDays(15),
            stop_on=(ev.FinalResponseSent, ev.HoldingReplySent),
            description="15 calendar days for a response (a final one, or 'in progress').",
        ),
        Clock(
            name="final_response",
            target=CalendarDays(60),
            stop_on=ev.FinalResponseSent,
            description="60 calendar days for the final response.",
        ),
    ],
)


# -- Australia: ASIC Regulatory Guide 271 ---------------------------------------------------


def asic_rg271(days: int = 30, *, variant: str = "standard") -> Regime:
    """ASIC RG 271 internal dispute resolution timeframes.

    Args:
        days: The final-response period in calendar days: 30 (standard complaints), 21
            (default notices and hardship, RG 271.66) or 45 (superannuation, RG 271.63).
        variant: A label for the name.
    """
    if isinstance(days, bool) or not isinstance(days, int):
        raise InvalidType("days", f"expected int >= 0, got {v.type_name(days)}")
    if days < 0:
        raise ValidationError("days", f"{days} is negative, must be >= 0")
    if not isinstance(variant, str) or not variant.strip():
        raise InvalidType("variant", f"expected a non-empty str, got {v.type_name(variant)}")
    return Regime(
        name=f"ASIC RG 271 ({variant})",
        reference=(
            "ASIC Regulatory Guide 271: acknowledge within 24 hours or one business day "
            "(RG 271.54); IDR response within 30 calendar days, 21 for default notices and "
            "hardship, 45 for superannuation trustees (RG 271.58-271.66)"
        ),
        clocks=[
            Clock(
                name="acknowledgement",
                target=BusinessDays(1),
                stop_on=(ev.Acknowledged, ev.FinalResponseSent),
                description="Acknowledge within one business day (RG 271.54).",
            ),
            Clock(
                name="final_response",
                target=CalendarDays(days),
                stop_on=ev.FinalResponseSent,
                description=f"IDR response within {days} calendar days.",
            ),
        ],
    )


ASIC_RG271 = asic_rg271(30)
ASIC_RG271_HARDSHIP = asic_rg271(21, variant="default notice and hardship")
ASIC_RG271_SUPERANNUATION = asic_rg271(45, variant="superannuation")


# -- Ireland: Central Bank Consumer Protection Code -----------------------------------------

CBI_CPC = Regime(
    name="Central Bank of Ireland Consumer Protection Code",
    reference=(
        "Consumer Protection Code 2012, provision 10.9: acknowledge within 5 business days, "
        "update at intervals of no more than 20 business days, resolve within 40 business days"
    ),
    clocks=[
        Clock(
            name="acknowledgement",
            target=BusinessDays(5),
            stop_on=(ev.Acknowledged, ev.FinalResponseSent),
            description="CPC 10.9(b): written acknowledgement within 5 business days.",
        ),
        Clock(
            name="periodic_update",
            target=BusinessDays(20),
            stop_on=(ev.ReplySent, ev.FinalResponseSent),
            restart_on=ev.ReplySent,
            description="CPC 10.9(d): a regular update at least every 20 business days.",
        ),
        Clock(
            name="final_response",
            target=BusinessDays(40),
            stop_on=ev.FinalResponseSent,
            description="CPC 10.9(e): resolve within 40 business days.",
        ),
    ],
)
