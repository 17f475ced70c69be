"""OCEL 2.0: the dict is JSON, structurally valid (every relationship points at a declared
object, every type is declared with the types its values have, times are ISO 8601 instants),
and a small case gives exactly the log worked out by hand."""

import json
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import COMPLAINT_LIFECYCLE, Owner, RootCause, open_case, replay
from recoverykit import events as ev
from recoverykit import strategies as rks
from recoverykit.errors import ValidationError
from recoverykit.interop import _ocel
from recoverykit.interop._ocel import to_ocel

from factories import T0, at, complaint, full_history, refund
from wrong_types import call_with_wrong_types

TYPES = {"string": str, "integer": int, "float": float, "boolean": bool, "time": str}
case_lists = st.lists(rks.cases(max_size=10), max_size=4, unique_by=lambda c: c.id)


def small_case():
    return replay(
        [
            ev.ComplaintReceived(at=T0, complaint=complaint(tags=("vip",))),
            ev.OwnerAssigned(at=at(1), actor="router", owner=Owner("alex", "billing")),
            ev.RemedyOffered(at=at(2), remedy=refund()),
            ev.OwnerAssigned(at=at(3), owner=Owner("sam", "payments")),
            ev.RemedyAccepted(at=at(4), remedy_id="R-1"),
            ev.RootCauseLinked(at=at(5), root_cause=RootCause("RC-7", "Duplicate charge")),
        ]
    )


# Worked out by hand: the case's attributes from receipt and its state over time; the
# remedy's status offered then accepted; the hand-off from alex (billing) to sam (payments)
# seen on event 3 as "previous owner"/"previous team"; no personal data (no customer name,
# no summary, no remedy description).
EXPECTED = {
    "objectTypes": [
        {
            "name": "case",
            "attributes": [
                {"name": "channel", "type": "string"},
                {"name": "received_at", "type": "time"},
                {"name": "category", "type": "string"},
                {"name": "severity", "type": "string"},
                {"name": "claimed_loss.amount", "type": "string"},
                {"name": "claimed_loss.currency", "type": "string"},
                {"name": "tags", "type": "string"},
                {"name": "lifecycle", "type": "string"},
                {"name": "state", "type": "string"},
            ],
        },
        {
            "name": "customer",
            "attributes": [
                {"name": "vulnerable", "type": "boolean"},
                {"name": "contact_allowed", "type": "boolean"},
                {"name": "anonymous", "type": "boolean"},
            ],
        },
        {"name": "owner", "attributes": []},
        {"name": "team", "attributes": []},
        {
            "name": "remedy",
            "attributes": [
                {"name": "kind", "type": "string"},
                {"name": "scope", "type": "string"},
                {"name": "value.amount", "type": "string"},
                {"name": "value.currency", "type": "string"},
                {"name": "status", "type": "string"},
            ],
        },
        {"name": "root cause", "attributes": [{"name": "title", "type": "string"}]},
    ],
    "eventTypes": [
        {"name": "complaint.received", "attributes": [{"name": "state", "type": "string"}]},
        {
            "name": "owner.assigned",
            "attributes": [
                {"name": "actor", "type": "string"},
                {"name": "state", "type": "string"},
            ],
        },
        {"name": "remedy.offered", "attributes": [{"name": "state", "type": "string"}]},
        {"name": "remedy.accepted", "attributes": [{"name": "state", "type": "string"}]},
        {"name": "root_cause.linked", "attributes": [{"name": "state", "type": "string"}]},
    ],
    "objects": [
        {
            "id": "case:C-1",
            "type": "case",
            "attributes": [
                {"name": "channel", "time": "2026-03-02T09:30:00Z", "value": "email"},
                {
                    "name": "received_at",
                    "time": "2026-03-02T09:30:00Z",
                    "value": "2026-03-02T09:30:00Z",
                },
                {"name": "category", "time": "2026-03-02T09:30:00Z", "value": "billing"},
                {"name": "severity", "time": "2026-03-02T09:30:00Z", "value": "medium"},
                {"name": "claimed_loss.amount", "time": "2026-03-02T09:30:00Z", "value": "40.00"},
                {"name": "claimed_loss.currency", "time": "2026-03-02T09:30:00Z", "value": "GBP"},
                {"name": "tags", "time": "2026-03-02T09:30:00Z", "value": '["vip"]'},
                {"name": "lifecycle", "time": "2026-03-02T09:30:00Z", "value": "complaint"},
                {"name": "state", "time": "2026-03-02T09:30:00Z", "value": "received"},
            ],
            "relationships": [
                {"objectId": "customer:cust-1", "qualifier": "complainant"},
                {"objectId": "owner:alex", "qualifier": "handled by"},
                {"objectId": "remedy:C-1:R-1", "qualifier": "remedy"},
                {"objectId": "owner:sam", "qualifier": "handled by"},
                {"objectId": "root cause:RC-7", "qualifier": "root cause"},
            ],
        },
        {
            "id": "customer:cust-1",
            "type": "customer",
            "attributes": [
                {"name": "vulnerable", "time": "2026-03-02T09:30:00Z", "value": False},
                {"name": "contact_allowed", "time": "2026-03-02T09:30:00Z", "value": True},
                {"name": "anonymous", "time": "2026-03-02T09:30:00Z", "value": False},
            ],
            "relationships": [],
        },
        {
            "id": "owner:alex",
            "type": "owner",
            "attributes": [],
            "relationships": [{"objectId": "team:billing", "qualifier": "member of"}],
        },
        {"id": "team:billing", "type": "team", "attributes": [], "relationships": []},
        {
            "id": "remedy:C-1:R-1",
            "type": "remedy",
            "attributes": [
                {"name": "kind", "time": "2026-03-02T11:30:00Z", "value": "refund"},
                {"name": "scope", "time": "2026-03-02T11:30:00Z", "value": "individual"},
                {"name": "value.amount", "time": "2026-03-02T11:30:00Z", "value": "40.00"},
                {"name": "value.currency", "time": "2026-03-02T11:30:00Z", "value": "GBP"},
                {"name": "status", "time": "2026-03-02T11:30:00Z", "value": "offered"},
                {"name": "status", "time": "2026-03-02T13:30:00Z", "value": "accepted"},
            ],
            "relationships": [],
        },
        {
            "id": "owner:sam",
            "type": "owner",
            "attributes": [],
            "relationships": [{"objectId": "team:payments", "qualifier": "member of"}],
        },
        {"id": "team:payments", "type": "team", "attributes": [], "relationships": []},
        {
            "id": "root cause:RC-7",
            "type": "root cause",
            "attributes": [
                {"name": "title", "time": "2026-03-02T14:30:00Z", "value": "Duplicate charge"}
            ],
            "relationships": [],
        },
    ],
    "events": [
        {
            "id": "C-1:0",
            "type": "complaint.received",
            "time": "2026-03-02T09:30:00Z",
            "attributes": [{"name": "state", "value": "received"}],
            "relationships": [
                {"objectId": "case:C-1", "qualifier": "case"},
                {"objectId": "customer:cust-1", "qualifier": "customer"},
            ],
        },
        {
            "id": "C-1:1",
            "type": "owner.assigned",
            "time": "2026-03-02T10:30:00Z",
            "attributes": [
                {"name": "actor", "value": "router"},
                {"name": "state", "value": "received"},
            ],
            "relationships": [
                {"objectId": "case:C-1", "qualifier": "case"},
                {"objectId": "owner:alex", "qualifier": "owner"},
                {"objectId": "team:billing", "qualifier": "team"},
            ],
        },
        {
            "id": "C-1:2",
            "type": "remedy.offered",
            "time": "2026-03-02T11:30:00Z",
            "attributes": [{"name": "state", "value": "received"}],
            "relationships": [
                {"objectId": "case:C-1", "qualifier": "case"},
                {"objectId": "owner:alex", "qualifier": "owner"},
                {"objectId": "team:billing", "qualifier": "team"},
                {"objectId": "remedy:C-1:R-1", "qualifier": "remedy"},
            ],
        },
        {
            "id": "C-1:3",
            "type": "owner.assigned",
            "time": "2026-03-02T12:30:00Z",
            "attributes": [{"name": "state", "value": "received"}],
            "relationships": [
                {"objectId": "case:C-1", "qualifier": "case"},
                {"objectId": "owner:sam", "qualifier": "owner"},
                {"objectId": "team:payments", "qualifier": "team"},
                {"objectId": "owner:alex", "qualifier": "previous owner"},
                {"objectId": "team:billing", "qualifier": "previous team"},
            ],
        },
        {
            "id": "C-1:4",
            "type": "remedy.accepted",
            "time": "2026-03-02T13:30:00Z",
            "attributes": [{"name": "state", "value": "received"}],
            "relationships": [
                {"objectId": "case:C-1", "qualifier": "case"},
                {"objectId": "owner:sam", "qualifier": "owner"},
                {"objectId": "team:payments", "qualifier": "team"},
                {"objectId": "remedy:C-1:R-1", "qualifier": "remedy"},
            ],
        },
        {
            "id": "C-1:5",
            "type": "root_cause.linked",
            "time": "2026-03-02T14:30:00Z",
            "attributes": [{"name": "state", "value": "received"}],
            "relationships": [
                {"objectId": "case:C-1", "qualifier": "case"},
                {"objectId": "owner:sam", "qualifier": "owner"},
                {"objectId": "team:payments", "qualifier": "team"},
                {"objectId": "root cause:RC-7", "qualifier": "root cause"},
            ],
        },
    ],
}


def test_a_small_case_gives_this_log():
    assert to_ocel([small_case()]) == EXPECTED


def only_json_types(value):
    if isinstance(value, dict):
        return all(type(k) is str and only_json_types(v) for k, v in value.items())
    if isinstance(value, list):
        return all(only_json_types(v) for v in value)
    if type(value) is float:
        return math.isfinite(value)
    return type(value) in (str, int, bool, type(None))


def aware_instant(text):
    parsed = datetime.fromisoformat(text)
    assert parsed.tzinfo is not None, text
    return parsed


def check_valid(log):
    """The OCEL 2.0 structure, checked without the code under test."""
    assert list(log) == ["objectTypes", "eventTypes", "objects", "events"]
    assert only_json_types(log)
    assert json.loads(json.dumps(log, allow_nan=False)) == log
    object_types = {
        t["name"]: {a["name"]: a["type"] for a in t["attributes"]} for t in log["objectTypes"]
    }
    event_types = {
        t["name"]: {a["name"]: a["type"] for a in t["attributes"]} for t in log["eventTypes"]
    }
    assert len(object_types) == len(log["objectTypes"])
    assert len(event_types) == len(log["eventTypes"])
    assert set(object_types) == {"case", "customer", "owner", "team", "remedy", "root cause"}
    for declared in [*object_types.values(), *event_types.values()]:
        assert set(declared.values()) <= set(TYPES)
    ids = [o["id"] for o in log["objects"]]
    assert len(ids) == len(set(ids))
    for obj in log["objects"]:
        assert set(obj) == {"id", "type", "attributes", "relationships"}
        declared = object_types[obj["type"]]
        for attribute in obj["attributes"]:
            assert set(attribute) == {"name", "time", "value"}
            aware_instant(attribute["time"])
            assert isinstance(attribute["value"], TYPES[declared[attribute["name"]]])
            if declared[attribute["name"]] == "time":
                aware_instant(attribute["value"])
        for relation in obj["relationships"]:
            assert set(relation) == {"objectId", "qualifier"}
            assert relation["objectId"] in ids
            assert relation["qualifier"]
    event_ids = [e["id"] for e in log["events"]]
    assert len(event_ids) == len(set(event_ids))
    for event in log["events"]:
        assert set(event) == {"id", "type", "time", "attributes", "relationships"}
        aware_instant(event["time"])
        declared = event_types[event["type"]]
        for attribute in event["attributes"]:
            assert set(attribute) == {"name", "value"}
            assert isinstance(attribute["value"], TYPES[declared[attribute["name"]]])
        for relation in event["relationships"]:
            assert relation["objectId"] in ids
            assert relation["qualifier"]


@given(cases=case_lists)
def test_random_cases_give_a_valid_log_with_every_event(cases):
    log = to_ocel(cases)
    check_valid(log)
    events = [(c, k, e) for c in cases for k, e in enumerate(c.history)]
    assert len(log["events"]) == len(events)
    for written, (case, k, event) in zip(log["events"], events, strict=True):
        assert written["id"] == f"{case.id}:{k}"
        name = event.name if isinstance(event, ev.ActivityRecorded) else event.event_type
        assert written["type"] == name
        assert aware_instant(written["time"]).timestamp() == event.at.timestamp()
        assert {"objectId": f"case:{case.id}", "qualifier": "case"} in written["relationships"]
        after = replay(case.history[: k + 1])
        state = {a["name"]: a["value"] for a in written["attributes"]}["state"]
        assert state == after.state
    # Every case, its customer, its owners and its remedies are objects.
    ids = {o["id"] for o in log["objects"]}
    for case in cases:
        assert f"case:{case.id}" in ids
        customer = case.complaint.customer
        if customer.anonymous:  # one object per case: never taken for one person
            assert f"customer:{customer.id}:case:{case.id}" in ids
        else:
            assert f"customer:{customer.id}" in ids
        assert {f"owner:{a.owner.id}" for a in case.ownership_history} <= ids
        assert {f"remedy:{case.id}:{r.remedy.id}" for r in case.remedies} <= ids


def test_every_default_event_gives_a_valid_log():
    check_valid(to_ocel([replay(full_history())]))


def test_shared_objects_are_one_object_with_values_in_time_order():
    cause = RootCause("RC-1", "Late courier")
    later = replay(
        [
            ev.ComplaintReceived(at=at(50), complaint=complaint("C-2", received_at=at(50))),
            ev.RootCauseLinked(at=at(51), root_cause=cause),
        ]
    )
    earlier = replay(
        [
            ev.ComplaintReceived(at=T0, complaint=complaint("C-1")),
            ev.RootCauseLinked(at=at(1), root_cause=attrs.evolve(cause, title="Courier")),
            ev.CaseLinked(at=at(2), other_case_id="C-3", relation="duplicate"),
        ]
    )
    log = to_ocel([later, earlier])
    check_valid(log)
    objects = {o["id"]: o for o in log["objects"]}
    # One customer and one root cause for both cases; the title's changes in time order.
    assert [o["type"] for o in log["objects"]].count("customer") == 1
    assert objects["root cause:RC-1"]["attributes"] == [
        {"name": "title", "time": "2026-03-02T10:30:00Z", "value": "Courier"},
        {"name": "title", "time": "2026-03-04T12:30:00Z", "value": "Late courier"},
    ]
    # A linked case that is not in the log is still an object, so the relation points at one.
    assert objects["case:C-3"]["attributes"] == []
    assert {"objectId": "case:C-3", "qualifier": "linked case"} in objects["case:C-1"][
        "relationships"
    ]


def test_object_ids_that_would_collide_are_kept_apart():
    def with_remedy(case_id, remedy_id):
        return replay(
            [
                ev.ComplaintReceived(at=T0, complaint=complaint(case_id)),
                ev.RemedyOffered(at=at(1), remedy=refund(remedy_id)),
            ]
        )

    log = to_ocel([with_remedy("a", "b:c"), with_remedy("a:b", "c")])
    check_valid(log)
    remedies = [o["id"] for o in log["objects"] if o["type"] == "remedy"]
    assert remedies == ["remedy:a:b:c", "remedy:a:b:c#2"]


@attrs.frozen(kw_only=True)
class Measured(ev.Event):
    event_type: ClassVar[str] = "test_ocel.measured"
    value: int | float | str | bool
    when: datetime | None = None


LIFECYCLE = COMPLAINT_LIFECYCLE.with_transition(Measured, {"received"}, name="test-ocel")


def test_an_attribute_with_mixed_types_is_declared_once_and_its_values_conform():
    def case(case_id, *values):
        c = open_case(complaint(case_id), lifecycle=LIFECYCLE)
        for i, value in enumerate(values):
            c = c.apply(Measured(at=at(i), value=value, when=at(10)))
        return c

    numbers = to_ocel([case("C-1", 1, 2.5)])
    check_valid(numbers)
    (declared,) = [t for t in numbers["eventTypes"] if t["name"] == "test_ocel.measured"]
    assert {"name": "value", "type": "float"} in declared["attributes"]
    assert {"name": "when", "type": "time"} in declared["attributes"]
    values = [a["value"] for e in numbers["events"][1:] for a in e["attributes"]]
    assert values == [
        "received",
        1.0,
        "2026-03-02T19:30:00Z",
        "received",
        2.5,
        "2026-03-02T19:30:00Z",
    ]
    mixed = to_ocel([case("C-1", 1, "high", True, math.inf)])
    check_valid(mixed)
    values = [
        a["value"] for e in mixed["events"][1:] for a in e["attributes"] if a["name"] == "value"
    ]
    assert values == ["1", "high", "true", "inf"]


def test_an_activity_recorded_is_an_event_of_its_own_type():
    def queued(t, impact):
        return ev.ActivityRecorded(at=t, name="Queued", attributes={"impact": impact, "n": None})

    case = replay([ev.ComplaintReceived(at=T0, complaint=complaint()), queued(at(1), "Medium")])
    case = case.apply(queued(at(2), 4))
    log = to_ocel([case])
    check_valid(log)
    assert log["eventTypes"][1] == {
        "name": "Queued",
        "attributes": [
            {"name": "state", "type": "string"},
            {"name": "attributes.impact", "type": "string"},
        ],
    }
    assert [e["attributes"] for e in log["events"][1:]] == [
        [{"name": "state", "value": "received"}, {"name": "attributes.impact", "value": "Medium"}],
        [{"name": "state", "value": "received"}, {"name": "attributes.impact", "value": "4"}],
    ]


def test_times_are_utc_whatever_the_zone():
    plus_two = datetime(2026, 3, 2, 11, 30, tzinfo=UTC).astimezone(timezone(timedelta(hours=2)))
    log = to_ocel([open_case(complaint(received_at=plus_two))])
    assert log["events"][0]["time"] == "2026-03-02T11:30:00Z"


def test_two_cases_with_one_id_are_refused():
    with pytest.raises(ValidationError, match=r"^cases\[1\]: case id 'C-1' is also the id of"):
        to_ocel([small_case(), small_case()])


OCEL_CALLS = {"to_ocel": (to_ocel, {"cases": [small_case()]})}


def test_every_public_ocel_callable_is_fed_wrong_types():
    assert set(_ocel.__all__) <= set(OCEL_CALLS)


@pytest.mark.parametrize("name", sorted(OCEL_CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = OCEL_CALLS[name]
    call_with_wrong_types(data, target, valid)


def test_anonymous_customers_are_one_object_per_case():
    from recoverykit import CustomerRef

    walk_in = CustomerRef("walk-in", anonymous=True)
    cases = [
        open_case(complaint("C-1", customer=walk_in)),
        open_case(complaint("C-2", customer=walk_in)),
        open_case(complaint("C-3")),
        open_case(complaint("C-4")),
    ]
    customers = [o["id"] for o in to_ocel(cases)["objects"] if o["type"] == "customer"]
    assert len(customers) == 3
    assert "customer:cust-1" in customers
