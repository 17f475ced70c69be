"""The extension path: an app's event with its projection, view, versions and strategy;
registries owned by converters (a saved case keeps its lifecycle; dropped converters go)."""

import gc
import weakref
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import ClassVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    Case,
    CaseDraft,
    Channel,
    Complaint,
    CustomerRef,
    DeserializationError,
    Owner,
    Transition,
    ValidationError,
    open_case,
    projection,
    replay,
)
from recoverykit import events as ev
from recoverykit import serialization as s
from recoverykit import strategies as rks
from recoverykit.errors import InvalidEvent, InvalidType, UnknownName
from recoverykit.serialization._errors import problems
from recoverykit.serialization._registry import state_of

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _reviewer_from_name(payload):
    # Version 1 stored the reviewer's name only; version 2 stores an Owner.
    body = dict(payload)
    name = body.pop("reviewer_name")
    return {**body, "reviewer": {"id": name}}


@attrs.frozen(kw_only=True)
class ReviewRequested(ev.Event):
    event_type: ClassVar[str] = "test.review_requested"
    schema_version: ClassVar[int] = 2
    upcasters: ClassVar = MappingProxyType({1: _reviewer_from_name})
    reviewer: Owner


@attrs.frozen(kw_only=True)
class ReviewDone(ev.Event):
    event_type: ClassVar[str] = "test.review_done"


@projection(ReviewRequested)
def _review_requested(draft: CaseDraft, event: ReviewRequested) -> None:
    if "review" in draft.views and draft.views["review"][1] is None:
        raise InvalidEvent(event, "a review is already open")
    draft.views["review"] = (event.reviewer.id, None)
    draft.views["reviews"] = draft.views.get("reviews", 0) + 1


@projection(ReviewDone)
def _review_done(draft: CaseDraft, event: ReviewDone) -> None:
    reviewer, _ = draft.views["review"]
    draft.views["review"] = (reviewer, event.at)


s.register_event(ReviewRequested)
s.register_event(ReviewDone)
REVIEW = COMPLAINT_LIFECYCLE.derive(
    name="test-review",
    add_states=["review"],
    add_transitions=[
        Transition(ReviewRequested, {"investigating"}, "review"),
        Transition(ReviewRequested, {"review"}),  # stays; the projection refuses it
        Transition(ReviewDone, {"review"}, "investigating"),
    ],
)
s.register_lifecycle(REVIEW)


def _complaint(case_id="C-1"):
    return Complaint(id=case_id, customer=CustomerRef("c"), channel=Channel.EMAIL, received_at=T0)


def _reviewed_case():
    case = open_case(_complaint(), lifecycle=REVIEW)
    for i, event in enumerate(
        [
            ev.InvestigationStarted(at=T0),
            ReviewRequested(at=T0, reviewer=Owner("lee", "legal")),
            ReviewDone(at=T0 + timedelta(days=1)),
            ReviewRequested(at=T0 + timedelta(days=2), reviewer=Owner("kim")),
        ]
    ):
        case = case.apply(event)
        assert len(case.history) == i + 2
    return case


def test_an_app_view_is_kept_event_by_event_and_survives_replay_and_round_trip():
    case = _reviewed_case()
    assert case.views["review"] == ("kim", None)
    assert case.views["reviews"] == 2
    assert replay(case.history, lifecycle=REVIEW) == case
    loaded = s.loads(s.dumps(case), Case)
    assert loaded == case
    assert loaded.views == {"review": ("kim", None), "reviews": 2}
    assert loaded.lifecycle is REVIEW


def test_a_projection_that_refuses_changes_nothing():
    case = _reviewed_case()
    before = replay(case.history, lifecycle=REVIEW)
    again = ReviewRequested(at=T0 + timedelta(days=4), reviewer=Owner("a"))
    with pytest.raises(InvalidEvent, match="a review is already open"):
        case.apply(again)
    with pytest.raises(InvalidEvent) as info:
        replay([*case.history, again], lifecycle=REVIEW)
    assert info.value.index == len(case.history)
    assert case == before
    assert case.views["reviews"] == 2


def test_views_are_read_only_and_a_missing_view_says_which_exist():
    case = _reviewed_case()
    with pytest.raises(UnknownName, match=r"no view 'legal' on this case \(views: 'review'"):
        case.views["legal"]
    with pytest.raises(LookupError):
        case.views["legal"]
    assert case.views.get("legal") is None
    assert "review" in case.views
    assert 5 not in case.views
    with pytest.raises(TypeError):
        case.views["x"] = 1  # type: ignore[index]
    assert open_case(_complaint()).views == {}


def test_an_event_upcasts_its_own_old_payloads():
    old = {
        "schema_version": 3,
        "type": "test.review_requested",
        "at": "2026-03-02T09:30:00+00:00",
        "reviewer_name": "lee",
    }
    assert s.from_dict(old, ev.Event) == ReviewRequested(at=T0, reviewer=Owner("lee"))
    assert s.from_dict({**old, "event_version": 1}, ev.Event).reviewer == Owner("lee")
    new = s.to_dict(ReviewRequested(at=T0, reviewer=Owner("lee")))
    assert new["event_version"] == 2
    assert "event_version" not in s.to_dict(ReviewDone(at=T0))
    with pytest.raises(DeserializationError) as info:
        s.from_dict({**old, "event_version": 3}, ev.Event)
    assert [str(p) for p in info.value.errors] == [
        "event_version: expected a version 1..2, got int 3"
    ]


def test_a_failing_upcaster_is_a_payload_problem():
    bad = {"schema_version": 3, "type": "test.review_requested", "at": "2026-03-02T09:30:00Z"}
    with pytest.raises(DeserializationError) as info:
        s.from_dict(bad, ev.Event)
    (problem,) = info.value.errors
    assert problem.path == "event_version"
    assert problem.message == "the upcaster from version 1 failed: KeyError: 'reviewer_name'"


def test_upcaster_chains_are_checked_when_registered():
    @attrs.frozen(kw_only=True)
    class Gappy(ev.Event):
        event_type: ClassVar[str] = "test.gappy"
        schema_version: ClassVar[int] = 4
        upcasters: ClassVar = MappingProxyType({1: dict, 3: dict})

    with pytest.raises(ValidationError, match=r"steps \[1, 3\] must run without gaps"):
        s.register_event(Gappy, converter=s.make_converter())

    @attrs.frozen(kw_only=True)
    class Recent(ev.Event):
        event_type: ClassVar[str] = "test.recent"
        schema_version: ClassVar[int] = 3
        upcasters: ClassVar = MappingProxyType({2: lambda p: {**p, "note": "x"}})
        note: str

    conv = s.make_converter()
    s.register_event(Recent, converter=conv)
    at = "2026-03-02T09:30:00Z"
    loaded = conv.structure({"type": "test.recent", "event_version": 2, "at": at}, ev.Event)
    assert loaded.note == "x"
    with pytest.raises(Exception) as info:
        conv.structure({"type": "test.recent", "at": at}, ev.Event)
    assert [str(p) for p in problems(info.value)] == [
        "event_version: version 1 of 'test.recent' is older than the oldest Recent can upcast (2)"
    ]


def test_the_owner_upcaster_is_the_event_classes_own():
    assert ev.OwnerAssigned.schema_version == 2
    assert ev.OwnerAssigned.upcasters[1]({"owner": "alex"}) == {"owner": {"id": "alex"}}


# -- bug (a): a case loads onto the lifecycle it was saved with, or saving fails -------------


def test_a_case_on_a_derived_lifecycle_with_its_parents_name_cannot_be_saved():
    strict = COMPLAINT_LIFECYCLE.without_transition(ev.Reopened, {"closed"})
    assert strict.name == COMPLAINT_LIFECYCLE.name
    case = open_case(_complaint(), lifecycle=strict)
    with pytest.raises(ValidationError, match="not the one registered as 'complaint'"):
        s.dumps(case)
    unknown = strict.derive(name="test-never-registered")
    with pytest.raises(UnknownName, match="'test-never-registered' is not registered"):
        s.dumps(open_case(_complaint(), lifecycle=unknown))


def test_a_lifecycle_name_cannot_be_registered_to_another_lifecycle():
    conv = s.make_converter()
    s.register_lifecycle(REVIEW, converter=conv)
    s.register_lifecycle(REVIEW, converter=conv)  # the same one again is fine
    other = REVIEW.without_transition(ev.Withdrawn, {"resolved"})
    with pytest.raises(ValidationError, match="already registered as 'test-review'"):
        s.register_lifecycle(other, converter=conv)


def test_the_guard_of_a_registered_lifecycle_holds_after_a_round_trip():
    def no_withdrawal_after_review(case, event):
        del event
        return "reviewed cases cannot be withdrawn" if "review" in case.views else None

    guarded = REVIEW.with_transition(
        ev.Withdrawn,
        {"investigating"},
        "withdrawn",
        guards=[no_withdrawal_after_review],
        replace=True,
        name="test-guarded",
    )
    conv = s.make_converter()
    s.register_event(ReviewRequested, converter=conv)
    s.register_event(ReviewDone, converter=conv)
    s.register_lifecycle(guarded, converter=conv)
    case = open_case(_complaint(), lifecycle=guarded)
    for event in _reviewed_case().history[1:4]:
        case = case.apply(event)
    loaded = conv.structure(conv.unstructure(case), Case)
    assert loaded.lifecycle is guarded
    with pytest.raises(InvalidEvent, match="cannot be withdrawn"):
        loaded.apply(ev.Withdrawn(at=T0 + timedelta(days=2)))


def test_registries_belong_to_their_converter():
    conv = s.make_converter()
    other = s.make_converter()
    s.register_event(ReviewRequested, converter=conv)
    payload = conv.unstructure(ReviewRequested(at=T0, reviewer=Owner("lee")), ev.Event)
    assert conv.structure(payload, ev.Event).reviewer == Owner("lee")
    with pytest.raises(UnknownName, match="not registered with this converter"):
        other.unstructure(ReviewRequested(at=T0, reviewer=Owner("lee")), ev.Event)
    with pytest.raises(InvalidType, match="expected a converter made by make_converter"):
        s.register_event(ReviewDone, converter=object())  # type: ignore[arg-type]


# -- bug (b): converters that are dropped are collected ------------------------------------


def test_dropped_converters_are_collected():
    refs = []
    for _ in range(3):
        conv = s.make_converter(detailed=False)
        s.register_event(ReviewRequested, converter=conv)
        s.register_event(ReviewDone, converter=conv)
        s.register_lifecycle(REVIEW, converter=conv)
        conv.structure(conv.unstructure(_reviewed_case()), Case)
        refs.append(weakref.ref(state_of(conv)))
        del conv
    gc.collect()
    assert [r() for r in refs] == [None, None, None]


# -- strategies ----------------------------------------------------------------------------


def _review_strategy(case, at):
    del case
    return st.builds(ReviewRequested, at=st.just(at), reviewer=st.just(Owner("lee")))


rks.register_event_strategy(ReviewRequested, _review_strategy)


@settings(max_examples=40, deadline=None)
@given(rks.histories(REVIEW, min_size=4, max_size=12))
def test_histories_use_an_apps_registered_strategy(history):
    case = replay(history, lifecycle=REVIEW)
    requested = [e for e in history if isinstance(e, ReviewRequested)]
    assert all(e.reviewer == Owner("lee") for e in requested)
    assert case.views.get("reviews", 0) == len(requested)


def test_strategy_registration_checks_its_arguments():
    with pytest.raises(InvalidType):
        rks.register_event_strategy(int, _review_strategy)  # type: ignore[arg-type]
    with pytest.raises(InvalidType):
        rks.register_event_strategy(ReviewDone, 5)  # type: ignore[arg-type]


def test_projection_checks_its_arguments():
    with pytest.raises(InvalidType):
        projection(int)  # type: ignore[type-var]
    with pytest.raises(InvalidType):
        projection(ReviewDone)(5)  # type: ignore[arg-type]

    def another(draft, event):
        del draft, event

    with pytest.raises(ValidationError, match="already has the projection"):
        projection(ReviewDone)(another)


def test_open_case_and_replay_refuse_wrong_types():
    with pytest.raises(InvalidType, match=r"open_case.complaint: expected a Complaint, got int"):
        open_case(5)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match=r"replay.events: expected an iterable of events"):
        replay(5)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match=r"replay.lifecycle"):
        replay([], lifecycle="complaint")  # type: ignore[arg-type]


# -- lazy loading --------------------------------------------------------------------------

_LAZY = """
import sys
from datetime import datetime, timezone
import recoverykit as rk
assert not [m for m in sys.modules if m.startswith("recoverykit.")], "import is lazy"
from recoverykit.serialization import make_converter
conv = make_converter(detailed=False)
t = datetime(2026, 1, 1, tzinfo=timezone.utc)
case = rk.open_case(rk.Complaint(id="C", customer=rk.CustomerRef("c"),
                                 channel=rk.Channel.EMAIL, received_at=t))
assert rk.loads(rk.dumps(case), rk.Case) == case
assert conv.structure(conv.unstructure(case), rk.Case) == case
heavy = ("recoverykit.calendars", "recoverykit.clocks", "recoverykit.scoring")
print(sorted(m for m in heavy if m in sys.modules))
# The same converters, configured before calendars existed, still save and load them.
from recoverykit.calendars import england_and_wales
from recoverykit.regimes import FCA_DISP
for thing in (england_and_wales(), FCA_DISP):
    assert conv.structure(conv.unstructure(thing), type(thing)) == thing
    assert rk.loads(rk.dumps(thing), type(thing)) == thing
print("ok")
"""


def test_saving_a_case_loads_neither_calendars_nor_clocks_nor_scoring():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _LAZY], check=True, capture_output=True, text=True
    ).stdout
    assert out.split() == ["[]", "ok"]
