"""Redress: the money calculations regulated firms do by hand, each result explained.

Every function returns a `Redress` (or a value holding one): the total as `Money` and the
`Line` values that explain it, each naming the published rule it applies; the amount lines
add up to the total exactly, as a score's contributions add up to the score. Money is
`Decimal`, rounded to the penny once, at the end, halves away from zero.

- `simple_interest`, and `fos_interest`: the Financial Ombudsman's 8% simple a year (cases
  referred before 1 January 2026) or Bank Rate plus one percentage point, time-weighted
  over the period (referred on or after it), on a `RateSeries` the caller passes;
- `award_limit`, `within_award_limit`: the Ombudsman's award limits by referral date and
  the date of the act complained about (`FOS_AWARD_LIMITS`);
- `distress_band`: which published band of the Ombudsman's distress-and-inconvenience
  guidance a proposed award falls in (`FOS_DISTRESS_BANDS`); never a computed "right" award;
- `app_reimbursement`: PSR APP scam reimbursement (the cap, the optional excess that never
  applies to a vulnerable consumer, the split between the sending and receiving firms).

Sources, what was verified and what was not: the docs page "Redress and Consumer Duty".
"""

from recoverykit.redress._app import (
    APP_CAP,
    APP_MAX_EXCESS,
    AppReimbursement,
    app_reimbursement,
)
from recoverykit.redress._fos import (
    FOS_AWARD_LIMITS,
    FOS_DISTRESS_BANDS,
    FOS_LIMITS_KNOWN_UNTIL,
    AwardLimit,
    DistressBand,
    award_limit,
    distress_band,
    within_award_limit,
)
from recoverykit.redress._interest import (
    FOS_BASE_RATE_CHANGE,
    RateSeries,
    fos_interest,
    simple_interest,
)
from recoverykit.redress._result import Line, Redress

__all__ = [
    "APP_CAP",
    "APP_MAX_EXCESS",
    "FOS_AWARD_LIMITS",
    "FOS_BASE_RATE_CHANGE",
    "FOS_DISTRESS_BANDS",
    "FOS_LIMITS_KNOWN_UNTIL",
    "AppReimbursement",
    "AwardLimit",
    "DistressBand",
    "Line",
    "RateSeries",
    "Redress",
    "app_reimbursement",
    "award_limit",
    "distress_band",
    "fos_interest",
    "simple_interest",
    "within_award_limit",
]
