"""Regimes outside the UK, the US and the EU rules: Australia (ASIC RG 271) and Ireland (CBI)."""

from __future__ import annotations

from datetime import date

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.clocks import (
    BusinessDays,
    CalendarDays,
    Clock,
    Months,
)
from recoverykit.errors import InvalidType, ValidationError
from recoverykit.regimes._regime import Regime
from recoverykit.regimes._versions import ChosenBy, DatedRegime, RegimeVersion

# -- Australia: ASIC Regulatory Guide 271 ---------------------------------------------------

_AFCA_REFERRAL = Clock(
    name="afca_referral",
    target=Months(24),
    start_on=ev.FinalResponseSent,
    stop_on=ev.ReferredToOmbudsman,
    description=(
        "AFCA Rules B.4 (time limits): a complaint must reach AFCA within 2 years of the "
        "firm's final IDR response (figure from a member firm's page, not the Rules' text; "
        "the 6-year limit from awareness of the loss is not modelled). The customer's window: "
        "'breached' means it has closed."
    ),
)


def asic_rg271(days: int = 30, *, variant: str = "standard") -> Regime:
    """ASIC RG 271 internal dispute resolution timeframes, and AFCA's referral window.

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
            "ASIC Regulatory Guide 271, for complaints received on or after 5 October 2021: "
            "acknowledge within 24 hours or one business day (RG 271.54); IDR response within "
            "30 calendar days, 21 for default notices and hardship, 45 for superannuation "
            "trustees (RG 271.58-271.66); AFCA Rules B.4: 2 years from the IDR response to go "
            "to AFCA"
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
            _AFCA_REFERRAL,
        ],
    )


ASIC_RG271 = asic_rg271(30)
ASIC_RG271_HARDSHIP = asic_rg271(21, variant="default notice and hardship")
ASIC_RG271_SUPERANNUATION = asic_rg271(45, variant="superannuation")


# -- Ireland: Central Bank Consumer Protection Code -----------------------------------------


def _cbi(name: str, reference: str, cite: str) -> Regime:
    """The CPC complaint clocks; ``cite`` holds ``{x}`` for the 10.9 sub-provision letter."""
    return Regime(
        name=name,
        reference=reference,
        clocks=[
            Clock(
                name="acknowledgement",
                target=BusinessDays(5),
                stop_on=(ev.Acknowledged, ev.FinalResponseSent),
                description=cite.format(x="b")
                + ": written acknowledgement within 5 business days.",
            ),
            Clock(
                name="periodic_update",
                target=BusinessDays(20),
                stop_on=(ev.ReplySent, ev.FinalResponseSent),
                restart_on=ev.ReplySent,
                description=cite.format(x="d")
                + ": a regular update at least every 20 business days.",
            ),
            Clock(
                name="final_response",
                target=BusinessDays(40),
                stop_on=ev.FinalResponseSent,
                description=cite.format(x="e") + ": resolve within 40 business days.",
            ),
        ],
    )


CBI_CPC_2012 = _cbi(
    "Central Bank of Ireland Consumer Protection Code 2012",
    "Consumer Protection Code 2012, provision 10.9, replaced by the CPC 2025 from 24 March "
    "2026: acknowledge within 5 business days, update at intervals of no more than 20 business "
    "days, resolve within 40 business days",
    "CPC 2012 10.9({x})",
)
CBI_CPC_2025 = _cbi(
    "Central Bank of Ireland Consumer Protection Code 2025",
    "Consumer Protection Code 2025 (Central Bank (Supervision and Enforcement) Act 2013 "
    "(Section 48) (Consumer Protection) Regulations 2025), applying from 24 March 2026: "
    "acknowledge within 5 business days, update at least every 20, resolve within 40; these "
    "figures are carried from CPC 2012 provision 10.9 and not verified against the 2025 text",
    "CPC 2025 (figure carried from CPC 2012 10.9({x}), not verified in the 2025 text)",
)
CBI_CPC = CBI_CPC_2025

#: The Consumer Protection Code by date: the 2012 Code for a complaint received before
#: 24 March 2026, the 2025 Code from then (the same periods; the references differ).
CBI_CPC_DATED = DatedRegime(
    name="Central Bank of Ireland Consumer Protection Code",
    versions=[
        RegimeVersion(date.min, CBI_CPC_2012),
        RegimeVersion(date(2026, 3, 24), CBI_CPC_2025),
    ],
    chosen_by=ChosenBy.RECEIPT,
    on_change=(
        "A complaint received before 24 March 2026 is timed under the 2012 Code, one received "
        "from then under the 2025 Code; the periods are the same, so an open case's deadlines "
        "do not move."
    ),
)
