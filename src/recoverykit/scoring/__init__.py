"""Explainable loyalty scoring: how the handling of a complaint is likely to affect the
customer's loyalty, and why.

`score` returns a `LoyaltyAssessment`: a score from 0 to 100 read as a predicted retention
percentage, its `Band`, and the `Contribution` of every rule, which sum exactly to the score.
A `RuleSet` is an ordered tuple of rule objects (anything that implements `ScoringRule`),
each holding its own weights and source, plus the settings every rule shares (the baseline
and the `Bands`). Apps add, remove, replace and reorder rules; the arithmetic is
integer-only and the rules run in their order, so the same case always gets the same score.

The default rules follow the research summarised in docs/scoring.md: base retention by
outcome and loss size from TARP (1986); outcome and interactional fairness (Tax, Brown &
Chandrashekaran 1998; Orsingher et al. 2010; Gelbrich & Roschk 2011); compensation best
between 60% and 120% of the loss and no further help past 150% (Gelbrich, Gäthke & Grégoire
2015; Haesevoets et al. 2017), mattering less when the process was all good or all bad (Wirtz
& Mattila 2004); double deviation (Maxham & Netemeyer 2002); and no "recovery paradox" by
default (de Matos et al. 2007; Michel & Meuter 2008).
"""

from __future__ import annotations

from recoverykit.scoring._core import (
    Band,
    Bands,
    Contribution,
    CustomerContext,
    LoyaltyAssessment,
    ScoringRule,
    ScoringState,
)
from recoverykit.scoring._rules import (
    BUILTIN_RULES,
    Apology,
    BaselineCap,
    BaseRetention,
    ClocksBreached,
    ClocksMet,
    DoubleDeviation,
    Explanation,
    FollowedUp,
    Handoffs,
    MissingApology,
    NamedOwner,
    PriorComplaints,
    RemedyAdequacy,
    Reopenings,
    RepeatContact,
    SystemicRemedy,
    ToldOfFix,
)
from recoverykit.scoring._ruleset import DEFAULT_RULESET, RuleSet, score

__all__ = [
    "BUILTIN_RULES",
    "DEFAULT_RULESET",
    "Apology",
    "Band",
    "Bands",
    "BaseRetention",
    "BaselineCap",
    "ClocksBreached",
    "ClocksMet",
    "Contribution",
    "CustomerContext",
    "DoubleDeviation",
    "Explanation",
    "FollowedUp",
    "Handoffs",
    "LoyaltyAssessment",
    "MissingApology",
    "NamedOwner",
    "PriorComplaints",
    "RemedyAdequacy",
    "Reopenings",
    "RepeatContact",
    "RuleSet",
    "ScoringRule",
    "ScoringState",
    "SystemicRemedy",
    "ToldOfFix",
    "score",
]
