"""FCA DISP App 5: motor-finance commission complaints.

From 11 January 2024 the FCA paused the eight-week final-response deadline for complaints
about discretionary commission arrangements (DCAs) in motor finance, extended it (PS24/11),
widened it to other commission complaints received from 26 October 2024 (PS24/18), and
ended it on 31 May 2026 (PS25/18), when firms have up to eight weeks to respond. Leasing
complaints left the extension earlier: final responses were due from 5 December 2025. The
customer's window to refer to the Financial Ombudsman is the later of 15 months after the
final response and 29 July 2026, for final responses sent up to 29 January 2026; six months
after that.

Which complaints are in scope is the firm's judgement (a DCA, other commission, leasing);
the app records it as a complaint tag, and the suspensions select cases by tag and by the
day the complaint was received, in the calendar's zone.
"""

from __future__ import annotations

from datetime import date

import attrs

from recoverykit import events as ev
from recoverykit.clocks import Clock, LaterOf, Months, Suspension, SwitchOn
from recoverykit.regimes._regime import Regime
from recoverykit.regimes._uk_finance import FCA_DISP

#: The complaint tags the DISP App 5 suspensions select.
DCA_TAG = "motor-finance-dca"
COMMISSION_TAG = "motor-finance-commission"
LEASING_TAG = "motor-finance-leasing"

_RULE = "FCA Handbook DISP App 5.2 (PS24/1, PS24/11, PS24/18, PS25/18)"

DISP_APP5_SUSPENSIONS = (
    Suspension(
        name="disp_app5_dca",
        first_day=date(2024, 1, 11),
        last_day=date(2026, 5, 31),
        received_from=date(2023, 11, 17),
        received_to=date(2026, 5, 31),
        tags={DCA_TAG},
        reference=(
            f"{_RULE}: for a relevant motor finance DCA complaint received from 17 November "
            "2023, 'time is to be treated as not running for the period beginning with "
            "11 January 2024 and ending with 31 May 2026' (PS25/18, in force 5 December 2025)"
        ),
    ),
    Suspension(
        name="disp_app5_commission",
        first_day=date(2024, 10, 26),
        last_day=date(2026, 5, 31),
        received_from=date(2024, 10, 26),
        received_to=date(2026, 5, 31),
        tags={COMMISSION_TAG},
        reference=(
            f"{_RULE}: non-DCA commission complaints received on or after 26 October 2024 "
            "(PS24/18, in force 20 December 2024), extended to 31 May 2026 (PS25/18)"
        ),
    ),
    Suspension(
        name="disp_app5_leasing",
        first_day=date(2024, 10, 26),
        last_day=date(2025, 12, 4),
        received_from=date(2024, 10, 26),
        received_to=date(2025, 12, 4),
        tags={LEASING_TAG},
        reference=(
            f"{_RULE}: commission complaints about regulated motor leasing, in the PS24/18 "
            "extension until 4 December 2025; final responses due from 5 December 2025 "
            "(PS25/18)"
        ),
    ),
)

_REFERRAL = Clock(
    name="ombudsman_referral",
    target=SwitchOn(
        day=date(2026, 1, 30),
        before=LaterOf(Months(15), date(2026, 7, 29)),
        after=Months(6),
    ),
    start_on=ev.FinalResponseSent,
    stop_on=ev.ReferredToOmbudsman,
    description=(
        "DISP App 5 modifying DISP 2.8.2R: for a final response sent up to 29 January 2026, "
        "the later of 15 months after it and 29 July 2026; six months for one sent later. "
        "The customer's window: 'breached' means it has closed."
    ),
)


def _with_app5(clock: Clock) -> Clock:
    if clock.name == "final_response":
        return attrs.evolve(
            clock,
            suspensions=DISP_APP5_SUSPENSIONS,
            description=(
                "DISP 1.6.2R: a final response by the end of 8 weeks after receipt, with time "
                "treated as not running under DISP App 5 for tagged motor-finance complaints."
            ),
        )
    if clock.name == "ombudsman_referral":
        return _REFERRAL
    return clock


#: FCA DISP for a motor-finance firm: DISP App 5's suspensions on the final response
#: (tagged complaints only; others are timed as under `FCA_DISP`) and its referral window.
FCA_MOTOR_FINANCE = Regime(
    name="FCA DISP with DISP App 5 (motor finance commission complaints)",
    reference=(
        f"{FCA_DISP.reference}; modified for motor finance commission complaints by {_RULE}"
    ),
    closed_days=FCA_DISP.closed_days,
    clocks=[_with_app5(c) for c in FCA_DISP.clocks],
)
