"""Flat records: to_records -> from_records gives the same cases back, the XES columns say
what the events say (checked against an oracle that replays each prefix), and bad records
raise library errors that name the record."""

import contextlib
import json
from datetime import UTC, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    CaseDraft,
    DeserializationError,
    Owner,
    RecoveryKitError,
    ValidationError,
    open_case,
    projection,
    replay,
)
from recoverykit import events as ev
from recoverykit import strategies as rks
from recoverykit.errors import InvalidType, UnknownName
from recoverykit.interop import _records
from recoverykit.interop._records import from_records, to_records
from recoverykit.serialization import make_converter, register_event, register_lifecycle

from factories import T0, at, complaint, full_history
from wrong_types import call_with_wrong_types, wrong_values

FIXED = (
    "case:concept:name",
    "concept:name",
    "time:timestamp",
    "org:resource",
    "org:group",
    "recoverykit:seq",
    "recoverykit:state",
    "recoverykit:event",
    "case:lifecycle",
)
SCALARS = (str, int, float, bool, type(None), datetime)

#: Several cases with distinct ids (records are grouped by case id).
case_lists = st.lists(rks.cases(max_size=10), max_size=4, unique_by=lambda c: c.id)


def small_case():
    return replay(
        [
            ev.ComplaintReceived(at=T0, complaint=complaint()),
            ev.Acknowledged(at=at(1), actor="bot"),
            ev.OwnerAssigned(at=at(2), owner=Owner("alex", "billing")),
            ev.InvestigationStarted(at=at(3)),
        ]
    )


# -- worked example -------------------------------------------------------------------------


def test_a_small_case_gives_these_records():
    records = to_records([small_case()])
    assert len(records) == 4
    case_columns = {
        "case:concept:name": "C-1",
        "case:lifecycle": "complaint",
        "case:channel": "email",
        "case:received_at": T0,
        "case:category": "billing",
        "case:severity": "medium",
        "case:claimed_loss.amount": "40.00",
        "case:claimed_loss.currency": "GBP",
        "case:tags": "[]",
        "case:customer.id": "cust-1",
        "case:customer.vulnerable": False,
        "case:customer.contact_allowed": True,
        "case:customer.anonymous": False,
    }
    assert records[2] == {
        **case_columns,
        "concept:name": "owner.assigned",
        "time:timestamp": datetime(2026, 3, 2, 11, 30, tzinfo=UTC),
        "org:resource": "alex",
        "org:group": "billing",
        "recoverykit:seq": 2,
        "recoverykit:state": "acknowledged",
        "recoverykit:event": '{"schema_version":3,"type":"owner.assigned","event_version":2,'
        '"at":"2026-03-02T11:30:00+00:00","owner":{"id":"alex","team":"billing"}}',
        "event:owner.id": "alex",
        "event:owner.team": "billing",
    }
    # The actor is the resource when there is one; before any owner there is no group.
    assert [(r["org:resource"], r["org:group"]) for r in records] == [
        (None, None),
        ("bot", None),
        ("alex", "billing"),
        ("alex", "billing"),
    ]
    assert [r["recoverykit:state"] for r in records] == [
        "received",
        "acknowledged",
        "acknowledged",
        "investigating",
    ]
    # Personal data stays out of the flat columns (it is only in the event's JSON).
    assert not any(k.endswith(("customer.name", "customer.email", "summary")) for k in records[0])
    assert "Sam Patel" in records[0]["recoverykit:event"]


def test_timestamps_are_utc_instants_of_the_events():
    london = ZoneInfo("Europe/London")
    summer = datetime(2026, 7, 1, 9, 0, tzinfo=london)
    case = open_case(complaint(received_at=summer))
    case = case.apply(ev.Acknowledged(at=summer + timedelta(hours=1)))
    stamps = [r["time:timestamp"] for r in to_records([case])]
    assert stamps == [datetime(2026, 7, 1, 8, tzinfo=UTC), datetime(2026, 7, 1, 9, tzinfo=UTC)]
    assert all(s.tzinfo is UTC for s in stamps)
    # The local zone is kept in the payload, so the round trip is exact.
    (back,) = from_records(to_records([case]))
    assert back == case
    assert back.history[1].at.tzinfo == london


def test_details_of_every_default_event_are_flat_scalars():
    records = to_records([replay(full_history())])
    by_activity = {}
    for record in records:
        by_activity.setdefault(record["concept:name"], record)
    final = by_activity["final_response.sent"]
    assert (final["event:outcome"], final["event:apology"]) == ("upheld", True)
    offered = by_activity["remedy.offered"]
    assert offered["event:remedy.value.amount"] == "40.00"
    assert by_activity["remedy.accepted"]["event:remedy_id"] == "R-1"
    scheduled = by_activity["follow_up.scheduled"]
    assert isinstance(scheduled["event:follow_up.due_at"], datetime)
    assert scheduled["event:follow_up.due_at"].tzinfo is UTC
    for record in records:
        for key, value in record.items():
            assert type(value) in SCALARS, (key, value)


def test_an_activity_recorded_is_its_name_with_its_attributes_flat():
    activity = ev.ActivityRecorded(
        at=at(1),
        name="Queued",
        attributes={
            "org:role": "A2_1",
            "impact": "Medium",
            "n": 3,
            "x": 1.5,
            "ok": True,
            "no": None,
        },
    )
    case = replay([ev.ComplaintReceived(at=T0, complaint=complaint()), activity])
    record = to_records([case])[1]
    assert record["concept:name"] == "Queued"
    assert {k: v for k, v in record.items() if k.startswith("event:")} == {
        "event:attributes.org:role": "A2_1",
        "event:attributes.impact": "Medium",
        "event:attributes.n": 3,
        "event:attributes.x": 1.5,
        "event:attributes.ok": True,
    }
    (back,) = from_records(to_records([case]))
    assert back == case
    assert back.history[1].attributes["no"] is None


# -- properties -----------------------------------------------------------------------------


@given(cases=case_lists, seed=st.randoms(use_true_random=False))
def test_records_give_the_same_cases_back_in_any_row_order(cases, seed):
    records = to_records(cases)
    assert from_records(records) == tuple(cases)
    shuffled = list(records)
    seed.shuffle(shuffled)
    # Cases come back in the order of their first record.
    order = list(dict.fromkeys(r["case:concept:name"] for r in shuffled))
    by_id = {c.id: c for c in cases}
    assert from_records(shuffled) == tuple(by_id[i] for i in order)


@given(cases=case_lists)
def test_every_record_is_flat_and_says_what_its_event_says(cases):
    records = to_records(cases)
    expected = [(case, k, e) for case in cases for k, e in enumerate(case.history)]
    assert len(records) == len(expected)
    for record, (case, k, event) in zip(records, expected, strict=True):
        assert set(FIXED) <= set(record)
        assert all(type(v) in SCALARS for v in record.values())
        assert all(v.tzinfo is UTC for v in record.values() if isinstance(v, datetime))
        # Oracle: the case after the event is the replay of the history up to it.
        after = replay(case.history[: k + 1])
        assert record["case:concept:name"] == case.id
        name = event.name if isinstance(event, ev.ActivityRecorded) else event.event_type
        assert record["concept:name"] == name
        # Instants: a wall time in a DST gap never equals a time in another zone (PEP 495).
        assert record["time:timestamp"].timestamp() == event.at.timestamp()
        assert record["recoverykit:seq"] == k
        assert record["recoverykit:state"] == after.state
        owner = after.ownership_history[-1].owner if after.ownership_history else None
        assert record["org:resource"] == (event.actor or (owner.id if owner else None))
        assert record["org:group"] == (owner.team if owner else None)
        assert json.loads(record["recoverykit:event"])["type"] == event.event_type


@given(
    cases=st.lists(rks.cases(max_size=6), min_size=1, max_size=3, unique_by=lambda c: c.id),
    data=st.data(),
)
def test_a_lost_record_is_an_error_never_a_shorter_case(cases, data):
    records = to_records(cases)
    lost = records.pop(data.draw(st.integers(0, len(records) - 1)))
    case = next(c for c in cases if c.id == lost["case:concept:name"])
    if lost["recoverykit:seq"] == len(case.history) - 1:
        return  # a case's last event: the other records cannot tell that it existed
    with pytest.raises(ValidationError, match="a record is missing"):
        from_records(records)


# -- pandas and polars ----------------------------------------------------------------------


@given(cases=case_lists)
def test_records_survive_a_pandas_dataframe(cases):
    pd = pytest.importorskip("pandas")
    records = to_records(cases)
    frame = pd.DataFrame(records)
    if records:
        assert str(frame["time:timestamp"].dtype).startswith("datetime64")
        frame = frame.sort_values(["time:timestamp", "concept:name"], kind="stable")
    assert from_records(frame.to_dict("records")) == tuple(
        sorted(cases, key=lambda c: list(frame["case:concept:name"]).index(c.id))
    )


def test_records_survive_a_polars_dataframe():
    pl = pytest.importorskip("polars")
    cases = [
        replay(full_history()),
        replay(
            [ev.ComplaintReceived(at=T0, complaint=complaint("C-2")), ev.Acknowledged(at=at(1))]
        ),
    ]
    frame = pl.from_dicts(to_records(cases), infer_schema_length=None)
    assert frame.schema["time:timestamp"] == pl.Datetime(time_unit="us", time_zone="UTC")
    assert from_records(frame.iter_rows(named=True)) == tuple(cases)


# -- an app's own event and lifecycle -------------------------------------------------------


@attrs.frozen(kw_only=True)
class LegalReview(ev.Event):
    event_type: ClassVar[str] = "test_records.legal_review"
    reviewer: Owner
    pages: int = 0


@projection(LegalReview)
def _legal_review(draft: CaseDraft, event: LegalReview) -> None:
    draft.views["reviewer"] = event.reviewer.id


LEGAL = COMPLAINT_LIFECYCLE.with_transition(
    LegalReview, {"investigating"}, name="test-records-legal"
)


def app_converter():
    conv = make_converter()
    register_event(LegalReview, converter=conv)
    register_lifecycle(LEGAL, converter=conv)
    return conv


def legal_case():
    history = [
        ev.ComplaintReceived(at=T0, complaint=complaint()),
        ev.InvestigationStarted(at=at(1)),
        LegalReview(at=at(2), reviewer=Owner("ingrid", "legal"), pages=12),
    ]
    return replay(history, lifecycle=LEGAL)


def test_an_apps_events_and_lifecycle_round_trip_with_its_converter():
    conv = app_converter()
    case = legal_case()
    records = to_records([case], converter=conv)
    assert records[2]["concept:name"] == "test_records.legal_review"
    assert records[2]["event:reviewer.id"] == "ingrid"
    assert records[2]["event:pages"] == 12
    assert records[2]["case:lifecycle"] == "test-records-legal"
    (back,) = from_records(records, converter=conv)
    assert back == case
    assert back.views["reviewer"] == "ingrid"


@given(histories=st.lists(rks.histories(LEGAL, max_size=10), max_size=3))
def test_random_histories_of_an_apps_lifecycle_round_trip(histories):
    conv = app_converter()
    cases = list({c.id: c for c in (replay(h, lifecycle=LEGAL) for h in histories)}.values())
    assert from_records(to_records(cases, converter=conv), converter=conv) == tuple(cases)


def test_without_its_converter_an_apps_case_is_refused_with_its_place():
    with pytest.raises(UnknownName, match=r"^cases\[0\]\.Case\.lifecycle: .*register_lifecycle"):
        to_records([legal_case()])


def test_a_lifecycle_given_replaces_the_one_named():
    conv = app_converter()
    records = to_records([legal_case()], converter=conv)
    for record in records:
        record["case:lifecycle"] = "not registered anywhere"
    with pytest.raises(DeserializationError) as info:
        from_records(records, converter=conv)
    assert [p.path for p in info.value.errors] == ["records[0]['case:lifecycle']: lifecycle"]
    assert from_records(records, converter=conv, lifecycle=LEGAL) == (legal_case(),)
    # Replayed on a lifecycle without the app's event: refused, naming the record.
    with pytest.raises(DeserializationError) as info:
        from_records(records, converter=conv, lifecycle=COMPLAINT_LIFECYCLE)
    (problem,) = info.value.errors
    assert problem.path == "records[2]['recoverykit:event']"
    assert "not allowed in state 'investigating'" in problem.message


# -- bad records ----------------------------------------------------------------------------


def good():
    return to_records([small_case()])


def test_a_record_that_is_not_a_mapping():
    records = [*good()[:2], ["case:concept:name", "C-1"]]
    with pytest.raises(InvalidType, match=r"^records\[2\]: expected a mapping"):
        from_records(records)


@pytest.mark.parametrize("column", ["case:concept:name", "recoverykit:seq", "recoverykit:event"])
def test_a_required_column_missing(column):
    records = good()
    del records[3][column]
    with pytest.raises(ValidationError, match=rf"^records\[3\]\['{column}'\]: required column"):
        from_records(records)


@pytest.mark.parametrize(
    ("column", "value", "error", "message"),
    [
        ("case:concept:name", 7, InvalidType, "expected str, got int"),
        ("case:concept:name", " ", ValidationError, "must not be empty"),
        ("recoverykit:seq", 1.0, InvalidType, "expected an int >= 0, got float"),
        ("recoverykit:seq", True, InvalidType, "expected an int >= 0, got bool"),
        ("recoverykit:seq", -1, ValidationError, "-1 is out of range"),
        ("recoverykit:seq", 0, ValidationError, "0 repeats; the records of case 'C-1'"),
        ("recoverykit:seq", 9, ValidationError, "9 skips 3: a record is missing"),
        ("recoverykit:event", 5, InvalidType, "expected an event as JSON text, got int"),
        ("case:lifecycle", None, InvalidType, "expected str, got NoneType"),
        ("case:lifecycle", "other", ValidationError, "'other' differs from 'complaint' in"),
    ],
)
def test_a_bad_column(column, value, error, message):
    records = good()
    records[3][column] = value
    with pytest.raises(error, match=rf"^records\[3\]\['{column}'\]: {message}"):
        from_records(records)


def event_problems(records):
    with pytest.raises(DeserializationError) as info:
        from_records(records)
    return [str(p) for p in info.value.errors]


def test_bad_event_payloads_name_the_record():
    records = good()
    records[2]["recoverykit:event"] = "{not json"
    assert event_problems(records)[0].startswith("records[2]['recoverykit:event']: invalid JSON")
    records = good()
    records[3]["recoverykit:event"] = records[3]["recoverykit:event"].replace("+00:00", "")
    (problem,) = event_problems(records)
    assert problem.startswith("records[3]['recoverykit:event'].at: ")
    records = good()
    data = json.loads(records[1]["recoverykit:event"])
    records[1]["recoverykit:event"] = json.dumps({**data, "colour": "red"})
    assert event_problems(records) == ["records[1]['recoverykit:event'].colour: unknown key"]


def test_a_history_that_breaks_a_rule_names_the_record():
    records = good()
    # Swap the payloads of events 1 and 3: time order is broken at record 2.
    records[1]["recoverykit:event"], records[3]["recoverykit:event"] = (
        records[3]["recoverykit:event"],
        records[1]["recoverykit:event"],
    )
    (problem,) = event_problems(records)
    assert problem.startswith("records[2]['recoverykit:event']: at 2026-03-02T11:30:00+00:00 is")


def test_events_of_one_case_written_with_different_schema_versions():
    records = good()
    data = json.loads(records[2]["recoverykit:event"])
    records[2]["recoverykit:event"] = json.dumps({**data, "schema_version": 2})
    assert event_problems(records) == [
        "records[2]['recoverykit:event'].schema_version: 2 differs from 3 in the case's first "
        "record; the events of a case are written together"
    ]


def test_a_case_id_that_is_not_the_complaints():
    records = good()
    for record in records:
        record["case:concept:name"] = "C-9"
    with pytest.raises(ValidationError, match=r"^records\[0\]\['case:concept:name'\]: is 'C-9'"):
        from_records(records)


def test_two_cases_with_one_id_are_refused():
    with pytest.raises(ValidationError, match=r"^cases\[1\]: case id 'C-1' is also the id of"):
        to_records([small_case(), small_case()])


@given(data=st.data())
def test_corrupted_records_raise_only_library_errors(data):
    records = good()
    index = data.draw(st.integers(0, len(records) - 1))
    column = data.draw(st.sampled_from([*FIXED, "event:owner.id"]))
    records[index][column] = data.draw(wrong_values())
    with contextlib.suppress(RecoveryKitError):
        from_records(records)


# -- wrong types ----------------------------------------------------------------------------

RECORDS_CALLS = {
    "to_records": (to_records, {"cases": [small_case()], "converter": make_converter()}),
    "from_records": (
        from_records,
        {"records": good(), "converter": make_converter(), "lifecycle": COMPLAINT_LIFECYCLE},
    ),
}


def test_every_public_records_callable_is_fed_wrong_types():
    assert set(_records.__all__) <= set(RECORDS_CALLS)


@pytest.mark.parametrize("name", sorted(RECORDS_CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = RECORDS_CALLS[name]
    call_with_wrong_types(data, target, valid)
