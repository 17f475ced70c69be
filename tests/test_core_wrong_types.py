"""Wrong-typed input to the core modules (events, case, lifecycle, serialization, the top
level) raises only `RecoveryKitError` subclasses. The other modules have the same test in
their own test file; together they cover every public constructor and function."""

import inspect
from datetime import datetime, timedelta
from decimal import Decimal

import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import recoverykit
from recoverykit import (
    COMPLAINT_LIFECYCLE,
    Case,
    Lifecycle,
    Owner,
    Transition,
    complaint_lifecycle,
    lifecycle,
    open_case,
    projection,
    replay,
    serialization,
)
from recoverykit import case as case_module
from recoverykit import events as ev
from recoverykit import strategies as rks
from recoverykit.complaint_lifecycle import no_undelivered_remedies
from recoverykit.model import (
    FollowUp,
    FollowUpOutcome,
    FollowUpPurpose,
    Outcome,
    Remedy,
    RemedyKind,
    RootCause,
    Survey,
)

from factories import T0, complaint, full_history
from wrong_types import call_with_wrong_types, public_callables

CASE = replay(full_history())
FOLLOW_UP = FollowUp("F-1", FollowUpPurpose.RESOLUTION_CHECK, T0 + timedelta(days=1))
EVENT_ARGS = {
    "ComplaintReceived": {"complaint": complaint()},
    "OwnerAssigned": {"owner": Owner("o"), "reason": "r"},
    "Escalated": {"reason": "r", "trigger": "t"},
    "InformationRequested": {"details": "d"},
    "CaseLinked": {"other_case_id": "C-2", "relation": "duplicate"},
    "ActivityRecorded": {"name": "Queued", "attributes": {"org:group": "A2", "n": 1}},
    "RemedyOffered": {"remedy": Remedy("R", RemedyKind.REFUND)},
    "RemedyAccepted": {"remedy_id": "R"},
    "RemedyDeclined": {"remedy_id": "R", "reason": "r"},
    "RemedyDelivered": {"remedy_id": "R"},
    "FinalResponseSent": {
        "outcome": Outcome.UPHELD,
        "apology": True,
        "explanation": True,
        "referral_rights_given": True,
    },
    "FollowUpScheduled": {"follow_up": FOLLOW_UP},
    "FollowUpCompleted": {
        "follow_up_id": "F-1",
        "outcome": FollowUpOutcome.CONFIRMED,
        "survey": Survey(nps=9),
    },
    "RootCauseLinked": {"root_cause": RootCause("RC", "d", "billing")},
    "Reopened": {"reason": "r"},
    "ReferredToOmbudsman": {"body": "FOS", "reference": "x"},
    "Withdrawn": {"reason": "r"},
}


def _event_calls():
    calls = {}
    for name in ev.__all__:
        cls = getattr(ev, name)
        if inspect.isclass(cls) and issubclass(cls, ev.Event):
            calls[f"events.{name}"] = (cls, {"at": T0, "actor": "a", **EVENT_ARGS.get(name, {})})
    return calls


CALLS = {
    **_event_calls(),
    "case.open_case": (
        open_case,
        {"complaint": complaint(), "lifecycle": COMPLAINT_LIFECYCLE, "actor": "a"},
    ),
    "case.replay": (replay, {"events": full_history(), "lifecycle": COMPLAINT_LIFECYCLE}),
    "case.Case.apply": (open_case(complaint()).apply, {"event": ev.Acknowledged(at=T0)}),
    "case.projection": (projection, {"event_type": ev.Acknowledged}),
    "case.Case.views": (lambda key: CASE.views[key], {"key": "x"}),
    "lifecycle.Transition": (
        Transition,
        {"event": ev.Closed, "sources": {"a"}, "target": "b", "guards": [no_undelivered_remedies]},
    ),
    "lifecycle.Lifecycle": (
        Lifecycle,
        {
            "name": "x",
            "states": ["a", "b"],
            "initial": "a",
            "end_states": {"b"},
            "transitions": [Transition(ev.Closed, {"a"}, "b")],
            "final_states": {"b"},
        },
    ),
    "lifecycle.Lifecycle.derive": (
        COMPLAINT_LIFECYCLE.derive,
        {
            "name": "y",
            "add_states": ["review"],
            "remove_states": ["referred"],
            "add_transitions": [Transition(ev.Escalated, {"investigating"}, "review")],
            "remove_transitions": [ev.Withdrawn],
            "end_states": ["closed", "withdrawn"],
        },
    ),
    "lifecycle.Lifecycle.with_transition": (
        COMPLAINT_LIFECYCLE.with_transition,
        {"event": ev.Escalated, "sources": ["closed"], "target": None, "name": "z"},
    ),
    "lifecycle.Lifecycle.allowed_events": (COMPLAINT_LIFECYCLE.allowed_events, {"state": "closed"}),
    "serialization.from_dict": (
        serialization.from_dict,
        {"data": serialization.to_dict(CASE), "cls": Case},
    ),
    "serialization.loads": (serialization.loads, {"text": serialization.dumps(CASE), "cls": Case}),
    "serialization.load_events": (
        serialization.load_events,
        {"payload": serialization.dump_events(CASE.history), "check": True},
    ),
    "serialization.dump_events": (serialization.dump_events, {"events": CASE.history}),
    "serialization.dumps": (serialization.dumps, {"obj": CASE}),
    "serialization.to_dict": (serialization.to_dict, {"obj": CASE}),
    "serialization.register_event": (
        serialization.register_event,
        {"cls": ev.Acknowledged, "converter": serialization.make_converter()},
    ),
    "serialization.register_lifecycle": (
        serialization.register_lifecycle,
        {"lifecycle": COMPLAINT_LIFECYCLE, "converter": serialization.make_converter()},
    ),
    "serialization.register_tagged": (
        serialization.register_tagged,
        {"cls": recoverykit.clocks.BusinessDays, "converter": serialization.make_converter()},
    ),
    "serialization.configure_converter": (
        serialization.configure_converter,
        {"conv": cattrs.Converter()},
    ),
    "serialization.make_converter": (serialization.make_converter, {"detailed": False}),
    "strategies.histories": (
        rks.histories,
        {
            "lifecycle": COMPLAINT_LIFECYCLE,
            "min_size": 1,
            "max_size": 5,
            "end_states": ["closed"],
            "max_gap": timedelta(days=1),
        },
    ),
    "strategies.cases": (
        rks.cases,
        {"lifecycle": COMPLAINT_LIFECYCLE, "min_size": 1, "max_size": 5},
    ),
    "strategies.money": (rks.money, {"currencies": ["GBP"], "max_amount": Decimal(100)}),
    "strategies.remedies": (rks.remedies, {"currencies": ["GBP"]}),
    "strategies.aware_datetimes": (
        rks.aware_datetimes,
        {"min_value": datetime(2020, 1, 1), "max_value": datetime(2021, 1, 1)},
    ),
    "strategies.register_event_strategy": (
        rks.register_event_strategy,
        {"event_type": ev.Acknowledged, "build": lambda case, at: st.nothing()},
    ),
}


@pytest.mark.parametrize(
    ("module", "prefix"),
    [
        (ev, "events."),
        (case_module, "case."),
        (lifecycle, "lifecycle."),
        (complaint_lifecycle, "complaint_lifecycle."),
        (serialization, "serialization."),
    ],
)
def test_every_public_core_callable_is_fed_wrong_types(module, prefix):
    covered = {name.removeprefix(prefix).split(".")[0] for name in CALLS if name.startswith(prefix)}
    # Record types filled in by the library itself (never built by apps from input).
    built_by_the_library = {"Assignment", "RemedyRecord", "FollowUpRecord", "CaseDraft", "Views"}
    guards = {"no_undelivered_remedies"}  # called by the engine with a case and an event
    assert public_callables(module) - built_by_the_library - guards <= covered


@pytest.mark.parametrize("name", sorted(CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = CALLS[name]
    call_with_wrong_types(data, target, valid)
