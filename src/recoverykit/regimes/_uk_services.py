"""UK services: the Housing Ombudsman Complaint Handling Code."""

from __future__ import annotations

from recoverykit import events as ev
from recoverykit.clocks import (
    BusinessDays,
    Clock,
    Extension,
    Months,
)
from recoverykit.regimes._regime import Regime

# -- Two-stage complaint codes: the Housing Ombudsman ---------------------------------------

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
