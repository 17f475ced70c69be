"""recoverykit: the domain model of customer-complaint handling.

Import the main names from here; the modules (`recoverykit.events`, `recoverykit.lifecycle`,
...) hold the rest. `recoverykit.strategies` (hypothesis) is never imported here, so that
hypothesis stays an optional extra.
"""

from recoverykit import events
from recoverykit.case import Assignment, Case, FollowUpRecord, RemedyRecord, open_case, replay
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

__all__ = [
    "COMPLAINT_LIFECYCLE",
    "Assignment",
    "Case",
    "Channel",
    "Complaint",
    "CustomerRef",
    "FollowUp",
    "FollowUpOutcome",
    "FollowUpPurpose",
    "FollowUpRecord",
    "Guard",
    "InvalidEvent",
    "InvalidTransition",
    "Lifecycle",
    "LifecycleDefinitionError",
    "Money",
    "Outcome",
    "Owner",
    "RecoveryKitError",
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
    "events",
    "open_case",
    "redact",
    "replay",
]
