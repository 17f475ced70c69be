"""recoverykit: the domain model of customer-complaint handling.

The names a newcomer needs are here; the namespaces (`recoverykit.events`,
`recoverykit.clocks`, `recoverykit.scoring`, ...) hold the rest. Nothing is imported until
it is first used, so ``import recoverykit`` is cheap: an app that only reads cases never
builds a serialization converter. `recoverykit.strategies` (hypothesis) is never imported
here, so that hypothesis stays an optional extra.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0.dev0"

if TYPE_CHECKING:
    from recoverykit import (
        analytics,
        calendars,
        clocks,
        errors,
        events,
        interop,
        lifecycle,
        loops,
        metrics,
        model,
        redress,
        regimes,
        scoring,
        serialization,
    )
    from recoverykit.calendars import BusinessCalendar
    from recoverykit.case import Case, CaseDraft, open_case, projection, replay
    from recoverykit.clocks import Clock, ClockStatus, evaluate_clocks
    from recoverykit.complaint_lifecycle import COMPLAINT_LIFECYCLE
    from recoverykit.errors import (
        DeserializationError,
        InvalidEvent,
        InvalidTransition,
        RecoveryKitError,
        ValidationError,
    )
    from recoverykit.lifecycle import Lifecycle, Transition
    from recoverykit.model import (
        Channel,
        Complaint,
        CustomerRef,
        FollowUp,
        Money,
        Outcome,
        Owner,
        Remedy,
        RemedyKind,
        RootCause,
        Severity,
        Survey,
        redact,
    )
    from recoverykit.regimes import Regime
    from recoverykit.scoring import score
    from recoverykit.serialization import dumps, from_dict, loads, to_dict

# Where each top-level name lives; imported on first use (PEP 562).
_HOME = {
    "BusinessCalendar": "calendars",
    "COMPLAINT_LIFECYCLE": "complaint_lifecycle",
    "Case": "case",
    "CaseDraft": "case",
    "Channel": "model",
    "Clock": "clocks",
    "ClockStatus": "clocks",
    "Complaint": "model",
    "CustomerRef": "model",
    "DeserializationError": "errors",
    "FollowUp": "model",
    "InvalidEvent": "errors",
    "InvalidTransition": "errors",
    "Lifecycle": "lifecycle",
    "Money": "model",
    "Outcome": "model",
    "Owner": "model",
    "RecoveryKitError": "errors",
    "Regime": "regimes",
    "Remedy": "model",
    "RemedyKind": "model",
    "RootCause": "model",
    "Severity": "model",
    "Survey": "model",
    "Transition": "lifecycle",
    "ValidationError": "errors",
    "dumps": "serialization",
    "evaluate_clocks": "clocks",
    "from_dict": "serialization",
    "loads": "serialization",
    "open_case": "case",
    "projection": "case",
    "redact": "model",
    "replay": "case",
    "score": "scoring",
    "to_dict": "serialization",
}

_NAMESPACES = frozenset(
    {
        "analytics",
        "calendars",
        "clocks",
        "errors",
        "events",
        "interop",
        "lifecycle",
        "loops",
        "metrics",
        "model",
        "redress",
        "regimes",
        "scoring",
        "serialization",
    }
)

# Names that were at the top level in 0.1.0.dev0 and now live only in their namespace.
# They still work, with a DeprecationWarning naming the new place.
_DEPRECATED = {
    "Assignment": "case",
    "Band": "scoring",
    "BusinessDays": "clocks",
    "BusinessHours": "clocks",
    "CalendarDays": "clocks",
    "ClockState": "clocks",
    "CloseOfBusinessAfter": "clocks",
    "Contribution": "scoring",
    "CustomerContext": "scoring",
    "DEFAULT_RULESET": "scoring",
    "EscalationPolicy": "loops",
    "EscalationRule": "loops",
    "Extension": "clocks",
    "FollowUpOutcome": "model",
    "FollowUpPolicy": "loops",
    "FollowUpPurpose": "model",
    "FollowUpRecord": "case",
    "Guard": "lifecycle",
    "HolidayRules": "calendars",
    "LifecycleDefinitionError": "errors",
    "LoopClosure": "loops",
    "LoyaltyAssessment": "scoring",
    "Months": "clocks",
    "PortfolioReport": "metrics",
    "RemedyRecord": "case",
    "RemedyScope": "model",
    "RemedyStatus": "model",
    "RootCauseFixed": "loops",
    "RoutingRule": "loops",
    "RuleSet": "scoring",
    "Theme": "analytics",
    "Weeks": "clocks",
    "calibrate": "metrics",
    "ces": "metrics",
    "close_the_loop": "loops",
    "csat": "metrics",
    "dimensions": "metrics",
    "due_actions": "loops",
    "nps": "metrics",
    "overdue_follow_ups": "loops",
    "plan_follow_ups": "loops",
    "portfolio": "metrics",
    "related_cases": "analytics",
    "repeat_complainants": "analytics",
    "route": "loops",
    "themes": "analytics",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is not None:
        value = getattr(importlib.import_module(f"recoverykit.{home}"), name)
    elif name in _NAMESPACES:
        value = importlib.import_module(f"recoverykit.{name}")
    elif name in _DEPRECATED:
        import warnings

        where = f"recoverykit.{_DEPRECATED[name]}"
        warnings.warn(
            f"recoverykit.{name} is deprecated; import it from {where}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(where), name)
    else:
        raise AttributeError(f"module 'recoverykit' has no attribute {name!r}")
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "COMPLAINT_LIFECYCLE",
    "BusinessCalendar",
    "Case",
    "CaseDraft",
    "Channel",
    "Clock",
    "ClockStatus",
    "Complaint",
    "CustomerRef",
    "DeserializationError",
    "FollowUp",
    "InvalidEvent",
    "InvalidTransition",
    "Lifecycle",
    "Money",
    "Outcome",
    "Owner",
    "RecoveryKitError",
    "Regime",
    "Remedy",
    "RemedyKind",
    "RootCause",
    "Severity",
    "Survey",
    "Transition",
    "ValidationError",
    "__version__",
    "analytics",
    "calendars",
    "clocks",
    "dumps",
    "errors",
    "evaluate_clocks",
    "events",
    "from_dict",
    "interop",
    "lifecycle",
    "loads",
    "loops",
    "metrics",
    "model",
    "open_case",
    "projection",
    "redact",
    "redress",
    "regimes",
    "replay",
    "score",
    "scoring",
    "serialization",
    "to_dict",
]
