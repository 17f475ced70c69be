"""recoverykit: the domain model of customer-complaint handling.

Import the main names from here; the modules (`recoverykit.events`, `recoverykit.lifecycle`,
...) hold the rest. `recoverykit.strategies` (hypothesis) is never imported here, so that
hypothesis stays an optional extra.
"""

from recoverykit import calendars, events, regimes
from recoverykit.calendars import BusinessCalendar, HolidayRules
from recoverykit.case import Assignment, Case, FollowUpRecord, RemedyRecord, open_case, replay
from recoverykit.clocks import (
    BusinessDays,
    BusinessHours,
    CalendarDays,
    Clock,
    ClockState,
    ClockStatus,
    CloseOfBusinessAfter,
    Extension,
    Months,
    Weeks,
    evaluate_clocks,
)
from recoverykit.errors import (
    InvalidEvent,
    InvalidTransition,
    LifecycleDefinitionError,
    RecoveryKitError,
    ValidationError,
)
from recoverykit.lifecycle import COMPLAINT_LIFECYCLE, Guard, Lifecycle, Transition
from recoverykit.model import (
    Channel,
    Complaint,
    CustomerRef,
    FollowUp,
    FollowUpOutcome,
    FollowUpPurpose,
    Money,
    Outcome,
    Owner,
    Remedy,
    RemedyKind,
    RemedyScope,
    RemedyStatus,
    RootCause,
    Severity,
    Survey,
    redact,
)
from recoverykit.regimes import Regime

__all__ = [
    "COMPLAINT_LIFECYCLE",
    "Assignment",
    "BusinessCalendar",
    "BusinessDays",
    "BusinessHours",
    "CalendarDays",
    "Case",
    "Channel",
    "Clock",
    "ClockState",
    "ClockStatus",
    "CloseOfBusinessAfter",
    "Complaint",
    "CustomerRef",
    "Extension",
    "FollowUp",
    "FollowUpOutcome",
    "FollowUpPurpose",
    "FollowUpRecord",
    "Guard",
    "HolidayRules",
    "InvalidEvent",
    "InvalidTransition",
    "Lifecycle",
    "LifecycleDefinitionError",
    "Money",
    "Months",
    "Outcome",
    "Owner",
    "RecoveryKitError",
    "Regime",
    "Remedy",
    "RemedyKind",
    "RemedyRecord",
    "RemedyScope",
    "RemedyStatus",
    "RootCause",
    "Severity",
    "Survey",
    "Transition",
    "ValidationError",
    "Weeks",
    "calendars",
    "evaluate_clocks",
    "events",
    "open_case",
    "redact",
    "regimes",
    "replay",
]
