"""UK services: the housing and local government complaint codes, Ofcom, Ofgem, Ofwat and
the Data (Use and Access) Act 2025."""

from __future__ import annotations

from datetime import date

from recoverykit import events as ev
from recoverykit.clocks import (
    BusinessDays,
    CalendarDays,
    Clock,
    Extension,
    Months,
    Weeks,
)
from recoverykit.regimes._regime import Regime
from recoverykit.regimes._versions import ChosenBy, DatedRegime, RegimeVersion

# -- Two-stage complaint codes: Housing Ombudsman and LGSCO ---------------------------------

_STAGE_2_START = (
    "A Clock cannot start on 'the ReplySent after Reopened', so this one counts from the "
    "escalation (Reopened): its deadline is never later than the Code's and is up to 5 working "
    "days earlier. The Code's own date is BusinessDays(20).due(stage_2_acknowledgement.met_at, "
    "calendar)."
)


def _two_stage(code: str, para: dict[str, str]) -> list[Clock]:
    """The clocks of a two-stage code: 5 / 10 (+10) / 5 / 20 (+20) working days."""
    return [
        Clock(
            name="acknowledgement",
            target=BusinessDays(5),
            stop_on=(ev.Acknowledged, ev.FinalResponseSent),
            description=(
                f"{code} {para['ack']}: acknowledge and log a stage 1 complaint within 5 "
                "working days of receipt."
            ),
        ),
        Clock(
            name="stage_1_response",
            target=BusinessDays(10),
            start_on=ev.Acknowledged,
            stop_on=ev.FinalResponseSent,
            extension=Extension(event=ev.HoldingReplySent, target=BusinessDays(20)),
            description=(
                f"{code} {para['s1']}: a full stage 1 response within 10 working days of the "
                f"acknowledgement; {para['s1x']}: an extension (HoldingReplySent, giving the "
                "reasons) of no more than 10 working days, so 20 after the acknowledgement."
            ),
        ),
        Clock(
            name="stage_2_acknowledgement",
            target=BusinessDays(5),
            start_on=ev.Reopened,
            stop_on=(ev.ReplySent, ev.Acknowledged, ev.FinalResponseSent),
            description=(
                f"{code} {para['ack2']}: acknowledge a stage 2 escalation (recorded as "
                "Reopened) within 5 working days (recorded as ReplySent)."
            ),
        ),
        Clock(
            name="stage_2_response",
            target=BusinessDays(20),
            start_on=ev.Reopened,
            stop_on=ev.FinalResponseSent,
            extension=Extension(event=ev.HoldingReplySent, target=BusinessDays(40)),
            description=(
                f"{code}: the stage 2 response within 20 working days of the stage 2 "
                "acknowledgement, extendable by up to 20 (HoldingReplySent, giving the "
                f"reasons). {_STAGE_2_START}"
            ),
        ),
    ]


HOUSING_OMBUDSMAN = Regime(
    name="Housing Ombudsman Complaint Handling Code",
    reference=(
        "Housing Ombudsman Complaint Handling Code 2024, statutory from 1 April 2024 (Social "
        "Housing (Regulation) Act 2023), section 6: acknowledge within 5 working days (6.2); "
        "stage 1 response within 10 working days of acknowledgement (6.3), extension of no "
        "more than 10 (6.4); stage 2 acknowledged within 5 working days (6.11) and answered "
        "within 20 working days of that acknowledgement, extension of no more than 20; the "
        "resident may go to the Ombudsman within 12 months of the stage 2 (final) response"
    ),
    clocks=[
        *_two_stage("Code", {"ack": "6.2", "s1": "6.3", "s1x": "6.4", "ack2": "6.11"}),
        Clock(
            name="ombudsman_referral",
            target=Months(12),
            start_on=ev.FinalResponseSent,
            stop_on=(ev.ReferredToOmbudsman, ev.Reopened),
            restart_on=ev.FinalResponseSent,
            description=(
                "Housing Ombudsman: it cannot investigate once 12 months have passed since the "
                "landlord's stage 2 (final) response. The window opens at each final response; "
                "an escalation (Reopened) meets the stage 1 window and the stage 2 response "
                "opens a new one. The customer's window: 'breached' means it has closed."
            ),
        ),
    ],
)

LGSCO = Regime(
    name="Local Government and Social Care Ombudsman Complaint Handling Code",
    reference=(
        "LGSCO Complaint Handling Code (guidance to councils, not statutory), which the LGSCO "
        "applies in its investigations from 1 April 2026, section 6: acknowledge within 5 "
        "working days (6.2); stage 1 response within 10 working days of acknowledgement "
        "(6.3), extension of no more than 10 without good reason (6.4); stage 2 acknowledged "
        "within 5 and answered within 20 working days of that acknowledgement, extension of "
        "up to 20 (stage 2 figures from councils' published procedures)"
    ),
    clocks=_two_stage("LGSCO Code", {"ack": "6.2", "s1": "6.3", "s1x": "6.4", "ack2": "stage 2"}),
)


# -- Ofcom: General Condition C4 ------------------------------------------------------------


def _ofcom(weeks: int, reference: str) -> Regime:
    return Regime(
        name=f"Ofcom GC C4: ADR after {weeks} weeks",
        reference=reference,
        clocks=[
            Clock(
                name="final_response",
                target=Weeks(weeks),
                stop_on=(ev.FinalResponseSent, ev.ReferredToOmbudsman),
                description=(
                    f"Ofcom General Condition C4: a complaint not resolved {weeks} weeks after "
                    "it was first raised may go to ADR, and an ADR letter is due (Ofcom's rules "
                    "require one at 8 weeks). Met by a final response (a resolution, or "
                    "deadlock with an ADR letter); 'breached' means the customer may now go to "
                    "ADR."
                ),
            ),
        ],
    )


OFCOM_8_WEEKS = _ofcom(
    8,
    "Ofcom General Condition C4 (C4.2 Approved Complaints Code, C4.3 ADR membership), the "
    "rule before 8 April 2026: a customer may take a complaint to ADR 8 weeks after raising "
    "it, or earlier at deadlock (Ofcom's 2008 ADR review cut 12 weeks to 8)",
)
OFCOM_6_WEEKS = _ofcom(
    6,
    "Ofcom General Condition C4 (C4.2 Approved Complaints Code, C4.3 ADR membership) as "
    "changed by Ofcom's statement 'Review of ADR in the telecoms sector' (8 July 2025), in "
    "force from 8 April 2026 (Ofcom says 'April 2026'; the day is from secondary sources): "
    "ADR 6 weeks after the complaint was raised, or earlier at deadlock",
)

#: Ofcom's wait before ADR as a rule that changed by date: eight weeks for a complaint raised
#: before 8 April 2026, six weeks from then (chosen by the day the complaint was raised).
OFCOM = DatedRegime(
    name="Ofcom: wait before ADR",
    versions=[
        RegimeVersion(date.min, OFCOM_8_WEEKS),
        RegimeVersion(date(2026, 4, 8), OFCOM_6_WEEKS),
    ],
    chosen_by=ChosenBy.RECEIPT,
    on_change=(
        "A complaint raised before 8 April 2026 keeps eight weeks; one raised on or after it "
        "has six. Ofcom's statement does not say how complaints already open are treated: "
        "this is our reading, and ChosenBy.NOW gives the other one."
    ),
)


# -- Ofgem and the Energy Ombudsman ---------------------------------------------------------

OFGEM = Regime(
    name="Ofgem complaints handling and the Energy Ombudsman",
    reference=(
        "Gas and Electricity (Consumer Complaints Handling Standards) Regulations 2008 and the "
        "Energy Ombudsman terms of reference (the time limits for complaints that began on or "
        "after 1 October 2015): the supplier has up to 8 weeks to resolve a complaint or "
        "reach deadlock; the customer may then go to the Energy Ombudsman, within 12 months "
        "of the deadlock letter"
    ),
    clocks=[
        Clock(
            name="final_response",
            target=Weeks(8),
            stop_on=(ev.FinalResponseSent, ev.ReferredToOmbudsman),
            description=(
                "Energy Ombudsman: the company has up to eight weeks to resolve the complaint; "
                "met by a final response (a resolution or a deadlock letter); 'breached' means "
                "the customer may now go to the Energy Ombudsman (an eight-week letter is due)."
            ),
        ),
        Clock(
            name="ombudsman_referral",
            target=Months(12),
            start_on=ev.FinalResponseSent,
            stop_on=ev.ReferredToOmbudsman,
            description=(
                "Energy Ombudsman: 12 months from the deadlock letter (FinalResponseSent) to "
                "bring the complaint. The customer's window: 'breached' means it has closed."
            ),
        ),
    ],
)


# -- Ofwat: Guaranteed Standards Scheme -----------------------------------------------------

OFWAT_GSS = Regime(
    name="Ofwat Guaranteed Standards Scheme: written complaints",
    reference=(
        "Water Supply and Sewerage Services (Customer Service Standards) Regulations 2008 "
        "(SI 2008/594), regulation 7, in force 1 April 2008, as amended by SI 2025/662 (made 9 "
        "June 2025): a substantive reply to a written complaint within 10 working days, the "
        "first day being the day after receipt"
    ),
    clocks=[
        Clock(
            name="substantive_reply",
            target=BusinessDays(10),
            stop_on=ev.FinalResponseSent,
            description=(
                "SI 2008/594 reg 7(2)(a), 7(3): a substantive reply (recorded as "
                "FinalResponseSent) within 10 working days, counted from the day after receipt."
            ),
        ),
    ],
)


# -- Data (Use and Access) Act 2025: complaints to controllers ------------------------------

DUAA_COMPLAINTS = Regime(
    name="Data protection complaints to controllers (DPA 2018 s.164A)",
    reference=(
        "Data (Use and Access) Act 2025 s.103, inserting Data Protection Act 2018 s.164A(3), "
        "in force from 19 June 2026 (SI 2026/82 reg 3): acknowledge receipt within the period "
        "of 30 days beginning when the complaint is received; respond without undue delay"
    ),
    clocks=[
        Clock(
            name="acknowledgement",
            target=CalendarDays(29),
            stop_on=(ev.Acknowledged, ev.FinalResponseSent),
            description=(
                "DPA 2018 s.164A(3): acknowledge within the 30 days beginning when the complaint "
                "is received. The day of receipt is day 1, so the last day is 29 days after it "
                "(CalendarDays(29))."
            ),
        ),
    ],
)
