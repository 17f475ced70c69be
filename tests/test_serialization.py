"""Serialization: round trips for every public type, a corpus of malformed payloads with
their exact errors, a fuzz test, version-1 fixtures and event logs."""

import contextlib
import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import cattrs.preconf.orjson
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    BusinessCalendar,
    Case,
    Clock,
    ClockStatus,
    Complaint,
    DeserializationError,
    FollowUp,
    Money,
    Owner,
    RecoveryKitError,
    Remedy,
    RootCause,
    Survey,
    ValidationError,
    calendars,
    regimes,
    replay,
    scoring,
)
from recoverykit import events as ev
from recoverykit import serialization as s
from recoverykit import strategies as rks
from recoverykit.clocks import ClockState
from recoverykit.model import FollowUpPurpose
from recoverykit.scoring import (
    DEFAULT_RULESET,
    Band,
    Contribution,
    CustomerContext,
    LoyaltyAssessment,
    RuleSet,
)

from factories import full_history

FIXTURES = Path(__file__).parent / "fixtures"

GOOD_AT = "2026-03-02T09:30:00+00:00"
complaint = {
    "id": "C-1",
    "customer": {
        "id": "c",
        "name": None,
        "email": None,
        "phone": None,
        "vulnerable": False,
        "contact_allowed": True,
    },
    "channel": "email",
    "received_at": GOOD_AT,
    "summary": None,
    "category": None,
    "product": None,
    "severity": "medium",
    "claimed_loss": None,
    "desired_remedy": None,
    "tags": [],
    "external_id": None,
}


def log(*events):
    return {
        "schema_version": 2,
        "kind": "event_log",
        "events": [
            {"type": "complaint.received", "at": GOOD_AT, "actor": None, "complaint": complaint},
            *events,
        ],
    }


def evt(t, **kw):
    return {"type": t, "at": GOOD_AT, "actor": None, **kw}


CORPUS = [
    # (label, payload or text, cls or "events")
    ("money: amount as float", {"amount": 12.5, "currency": "GBP"}, Money),
    ("money: bad currency", {"amount": "12.50", "currency": "EURO"}, Money),
    ("money: negative", {"amount": "-1", "currency": "GBP"}, Money),
    ("money: not a number", {"amount": "ten", "currency": "GBP"}, Money),
    ("money: NaN", {"amount": "NaN", "currency": "GBP"}, Money),
    ("money: missing currency", {"amount": "1"}, Money),
    ("money: extra key", {"amount": "1", "currency": "GBP", "cents": 100}, Money),
    ("money: not an object", ["1", "GBP"], Money),
    ("money: null", None, Money),
    (
        "survey: nps out of range",
        {"nps": 11, "csat": None, "ces": None, "comment": None, "ratings": []},
        Survey,
    ),
    (
        "survey: csat zero",
        {"nps": None, "csat": 0, "ces": None, "comment": None, "ratings": []},
        Survey,
    ),
    (
        "survey: ces as string",
        {"nps": None, "csat": None, "ces": "7", "comment": None, "ratings": []},
        Survey,
    ),
    (
        "survey: nps as bool",
        {"nps": True, "csat": None, "ces": None, "comment": None, "ratings": []},
        Survey,
    ),
    (
        "survey: rating out of range",
        {"nps": None, "csat": None, "ces": None, "comment": None, "ratings": [["value", 9]]},
        Survey,
    ),
    (
        "complaint: naive received_at",
        {**complaint, "received_at": "2026-03-02T09:30:00"},
        Complaint,
    ),
    ("complaint: not a datetime", {**complaint, "received_at": "yesterday"}, Complaint),
    ("complaint: datetime as number", {**complaint, "received_at": 1700000000}, Complaint),
    ("complaint: unknown channel", {**complaint, "channel": "pigeon"}, Complaint),
    ("complaint: blank id", {**complaint, "id": "  "}, Complaint),
    ("complaint: id as int", {**complaint, "id": 7}, Complaint),
    ("complaint: tags as string", {**complaint, "tags": "vip"}, Complaint),
    ("complaint: tag not a string", {**complaint, "tags": ["vip", 3]}, Complaint),
    (
        "complaint: missing customer",
        {k: v for k, v in complaint.items() if k != "customer"},
        Complaint,
    ),
    (
        "complaint: customer flag as string",
        {**complaint, "customer": {**complaint["customer"], "vulnerable": "yes"}},
        Complaint,
    ),
    (
        "complaint: unknown zone",
        {**complaint, "received_at": GOOD_AT + "[Mars/Olympus]"},
        Complaint,
    ),
    (
        "complaint: two problems",
        {**complaint, "channel": "pigeon", "severity": "extreme"},
        Complaint,
    ),
    (
        "remedy: apology with a value",
        {
            "id": "R",
            "kind": "apology",
            "scope": "individual",
            "value": {"amount": "5", "currency": "GBP"},
            "description": None,
        },
        Remedy,
    ),
    (
        "remedy: nested bad currency",
        {
            "id": "R",
            "kind": "refund",
            "scope": "individual",
            "value": {"amount": "5", "currency": "EURO"},
            "description": None,
        },
        Remedy,
    ),
    (
        "event: unknown type",
        {"schema_version": 2, "type": "complaint.frobbed", "at": GOOD_AT},
        ev.Event,
    ),
    ("event: missing type", {"schema_version": 2, "at": GOOD_AT}, ev.Event),
    ("event: wrong class", {"schema_version": 2, **evt("complaint.closed")}, ev.Acknowledged),
    (
        "event: naive at",
        {"schema_version": 2, **evt("complaint.closed"), "at": "2026-03-02T09:30:00"},
        ev.Event,
    ),
    ("event: future schema", {"schema_version": 9, **evt("complaint.closed")}, ev.Event),
    (
        "event: extra key",
        {"schema_version": 2, **evt("complaint.closed"), "colour": "red"},
        ev.Event,
    ),
    (
        "event: owner missing id",
        {"schema_version": 2, **evt("owner.assigned", owner={"team": "x"}, reason=None)},
        ev.Event,
    ),
    (
        "log: naive datetime in 4th event",
        log(
            evt("complaint.acknowledged"),
            evt("investigation.started"),
            {**evt("complaint.escalated", reason="x", trigger=None), "at": "2026-03-02T10:00:00"},
        ),
        "events",
    ),
    ("log: events not a list", {"schema_version": 2, "kind": "event_log", "events": {}}, "events"),
    ("log: wrong kind", {"schema_version": 2, "kind": "case", "events": []}, "events"),
    ("log: missing version", {"kind": "event_log", "events": []}, "events"),
    ("log: does not replay", log(evt("complaint.closed")), "events"),
    (
        "log: out of order",
        log(
            evt("complaint.acknowledged"),
            {**evt("investigation.started"), "at": "2026-03-01T09:30:00+00:00"},
        ),
        "events",
    ),
    ("log: remedy never offered", log(evt("remedy.accepted", remedy_id="R-9")), "events"),
    (
        "case: unknown lifecycle",
        {"schema_version": 2, "kind": "case", "lifecycle": "nope", "events": []},
        Case,
    ),
    (
        "case: empty history",
        {"schema_version": 2, "kind": "case", "lifecycle": "complaint", "events": []},
        Case,
    ),
    (
        "calendar: unknown zone",
        {"tz": "Mars/Olympus", "hours": {"0": [["09:00", "17:00"]]}, "holidays": [], "name": "x"},
        BusinessCalendar,
    ),
    (
        "calendar: bad hours",
        {"tz": "UTC", "hours": {"7": [["09:00", "17:00"]]}, "holidays": [], "name": "x"},
        BusinessCalendar,
    ),
    (
        "calendar: bad time",
        {"tz": "UTC", "hours": {"0": [["9am", "17:00"]]}, "holidays": [], "name": "x"},
        BusinessCalendar,
    ),
    (
        "calendar: bad holiday source",
        {
            "tz": "UTC",
            "hours": {"0": [["09:00", "17:00"]]},
            "holidays": [{"type": "moon"}],
            "name": "x",
        },
        BusinessCalendar,
    ),
    (
        "calendar: extra key",
        {
            "tz": "UTC",
            "hours": {"0": [["09:00", "17:00"]]},
            "holidays": [],
            "name": "x",
            "colour": 1,
        },
        BusinessCalendar,
    ),
    (
        "clock: unknown target",
        {
            "name": "x",
            "target": {"type": "fortnights", "n": 1},
            "stop_on": ["complaint.closed"],
            "start_on": ["complaint.received"],
            "pause_in": [],
            "restart_on": [],
            "warning": None,
            "extension": None,
            "receipt_next_business_day": False,
            "description": None,
        },
        Clock,
    ),
    (
        "clock: unknown event tag",
        {
            "name": "x",
            "target": {"type": "weeks", "n": 1},
            "stop_on": ["complaint.frobbed"],
            "start_on": ["complaint.received"],
            "pause_in": [],
            "restart_on": [],
            "warning": None,
            "extension": None,
            "receipt_next_business_day": False,
            "description": None,
        },
        Clock,
    ),
    (
        "clock: bad duration",
        {
            "name": "x",
            "target": {"type": "weeks", "n": 1},
            "stop_on": ["complaint.closed"],
            "start_on": ["complaint.received"],
            "pause_in": [],
            "restart_on": [],
            "warning": "1h",
            "extension": None,
            "receipt_next_business_day": False,
            "description": None,
        },
        Clock,
    ),
]
TEXTS = [
    ("text: truncated JSON", '{"amount": "1", "curr', Money),
    ("text: huge number", '{"amount": "1", "currency": "GBP", "x": ' + "9" * 5000 + "}", Money),
    (
        "text: huge exponent",
        '{"nps": 1e999, "csat": null, "ces": null, "comment": null, "ratings": []}',
        Survey,
    ),
    ("text: NaN", '{"nps": NaN}', Survey),
    ("text: not JSON", "hello", Money),
]


EXPECTED = {
    "money: amount as float": (
        "amount: expected a decimal string such as '12.50', got the number 12.5: write amounts "
        'as strings ("12.5") so that no reader rounds them through a float',
    ),
    "money: bad currency": ("currency: 'EURO' is not an ISO 4217 code (e.g. 'GBP', 'EUR')",),
    "money: negative": ("amount: -1 is negative, amounts must be >= 0",),
    "money: not a number": ("amount: 'ten' is not a decimal number",),
    "money: NaN": ("amount: 'NaN' is not a finite number",),
    "money: missing currency": ("currency: required field missing",),
    "money: extra key": ("cents: unknown key",),
    "money: not an object": ("payload: expected an object (Money), got list ['1', 'GBP']",),
    "money: null": ("payload: expected an object (Money), got null",),
    "survey: nps out of range": ("nps: 11 is out of range, allowed 0..10",),
    "survey: csat zero": ("csat: 0 is out of range, allowed 1..5",),
    "survey: ces as string": ("ces: expected an integer, got str '7'",),
    "survey: nps as bool": ("nps: expected an integer, got bool True",),
    "survey: rating out of range": ("ratings['value']: 9 is not a rating 1..5",),
    "complaint: naive received_at": ("received_at: naive datetime, an offset is required",),
    "complaint: not a datetime": ("received_at: 'yesterday' is not an ISO 8601 datetime",),
    "complaint: datetime as number": (
        "received_at: expected an ISO 8601 datetime string, got int 1700000000",
    ),
    "complaint: unknown channel": (
        "channel: 'pigeon' is not one of 'phone', 'email', 'web_form', "
        "'live_chat', 'social_media', 'review_site', 'in_person', "
        "'letter', 'fax', 'regulator_referral', 'other'",
    ),
    "complaint: blank id": ("id: must not be empty or blank",),
    "complaint: id as int": ("id: expected a string, got int 7",),
    "complaint: tags as string": ("tags: expected a list, got str 'vip'",),
    "complaint: tag not a string": ("tags[1]: expected a string, got int 3",),
    "complaint: missing customer": ("customer: required field missing",),
    "complaint: customer flag as string": (
        "customer.vulnerable: expected true or false, got str 'yes'",
    ),
    "complaint: unknown zone": ("received_at: unknown time zone 'Mars/Olympus'",),
    "complaint: two problems": (
        "channel: 'pigeon' is not one of 'phone', 'email', 'web_form', "
        "'live_chat', 'social_media', 'review_site', 'in_person', "
        "'letter', 'fax', 'regulator_referral', 'other'",
        "severity: 'extreme' is not one of 'low', 'medium', 'high', 'critical'",
    ),
    "remedy: apology with a value": (
        "value: a 'apology' remedy has no money value; only "
        "compensation, credit, goodwill_gesture, refund do",
    ),
    "remedy: nested bad currency": (
        "value.currency: 'EURO' is not an ISO 4217 code (e.g. 'GBP', 'EUR')",
    ),
    "event: unknown type": (
        "type: unknown event type 'complaint.frobbed' (register the event class with "
        "register_event())",
    ),
    "event: missing type": ("type: missing event type",),
    "event: wrong class": (
        "type: expected a 'complaint.acknowledged' event, got 'complaint.closed'",
    ),
    "event: naive at": ("at: naive datetime, an offset is required",),
    "event: future schema": ("schema_version: expected a version 1..3, got 9",),
    "event: extra key": ("colour: unknown key",),
    "event: owner missing id": ("owner.id: required field missing",),
    "log: naive datetime in 4th event": ("events[3].at: naive datetime, an offset is required",),
    "log: events not a list": ("events: expected a list, got dict {}",),
    "log: wrong kind": ("kind: expected 'event_log', got 'case'",),
    "log: missing version": ("schema_version: expected a version 1..3, got None",),
    "log: does not replay": (
        "events[1]: Closed is not allowed in state 'received' (it is allowed "
        "in: responded, resolved, closed, withdrawn); events allowed in 'received': "
        "Acknowledged, InvestigationStarted, InformationRequested, "
        "FinalResponseSent, ReferredToOmbudsman, Withdrawn, OwnerAssigned, "
        "Escalated, ReplySent, RemedyOffered, RemedyAccepted, "
        "RemedyDeclined, RemedyDelivered, FollowUpScheduled, "
        "FollowUpCompleted, RootCauseLinked, CaseLinked, ActivityRecorded",
    ),
    "log: out of order": (
        "events[2]: at 2026-03-01T09:30:00+00:00 is earlier than the previous "
        "event at 2026-03-02T09:30:00+00:00; events must be applied in time "
        "order",
    ),
    "log: remedy never offered": (
        "events[1]: remedy 'R-9' was never offered (offered remedies: none)",
    ),
    "case: unknown lifecycle": (
        "lifecycle: unknown lifecycle 'nope'; register it with register_lifecycle()",
    ),
    "case: empty history": (
        "events[0]: a history must start with ComplaintReceived, got an empty history",
    ),
    "calendar: unknown zone": ("tz: unknown time zone 'Mars/Olympus'",),
    "calendar: bad hours": ("hours: weekday '7' is not '0' (Monday) .. '6' (Sunday)",),
    "calendar: bad time": ("hours: '9am' is not a time 'HH:MM' (24:00 allowed as an end)",),
    "calendar: bad holiday source": (
        "holidays[0]: unknown holiday source 'moon' (expected 'rules', 'dates' or 'named_dates')",
    ),
    "calendar: extra key": ("colour: unknown key",),
    "clock: unknown target": (
        "target.type: unknown deadline kind type 'fortnights'; register its class with "
        "register_tagged()",
    ),
    "clock: unknown event tag": ("stop_on[0]: unknown event type 'complaint.frobbed'",),
    "clock: bad duration": ("warning: '1h' is not a duration like 'P1DT3600S'",),
    "text: truncated JSON": (
        "payload: invalid JSON: Unterminated string starting at: line 1 column 17 (char 16)",
    ),
    "text: huge number": (
        "payload: invalid JSON: Exceeds the limit (4300 digits) for integer "
        "string conversion: value has 5000 digits; use "
        "sys.set_int_max_str_digits() to increase the limit",
    ),
    "text: huge exponent": ("nps: expected an integer, got Decimal Decimal('1E+999')",),
    "text: NaN": ("payload: invalid JSON: NaN is not allowed in JSON",),
    "text: not JSON": ("payload: invalid JSON: Expecting value: line 1 column 1 (char 0)",),
}


@pytest.mark.parametrize(("label", "payload", "cls"), CORPUS, ids=[c[0] for c in CORPUS])
def test_malformed_payloads(label, payload, cls):
    def load(data):
        return s.load_events(data) if cls == "events" else s.from_dict(data, cls)

    with pytest.raises(DeserializationError) as info:
        load(payload)
    assert tuple(map(str, info.value.errors)) == EXPECTED[label]


@pytest.mark.parametrize(("label", "text", "cls"), TEXTS, ids=[t[0] for t in TEXTS])
def test_malformed_json_text(label, text, cls):
    with pytest.raises(DeserializationError) as info:
        s.loads(text, cls)
    assert tuple(map(str, info.value.errors)) == EXPECTED[label]


def test_corpus_is_large_enough():
    assert len(CORPUS) + len(TEXTS) >= 40


def test_error_is_a_recoverykit_error_and_a_value_error():
    with pytest.raises(DeserializationError) as info:
        s.from_dict({"amount": 1.5, "currency": 5}, Money)
    assert isinstance(info.value, RecoveryKitError)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith("invalid payload (2 problems):\n- amount: ")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
TARGETS = [Money, Survey, Complaint, ev.Event, Case, BusinessCalendar, Clock, Remedy, RuleSet]


@given(JSON, st.sampled_from(TARGETS))
def test_random_json_only_ever_raises_deserialization_error(data, cls):
    with contextlib.suppress(DeserializationError):
        s.loads(json.dumps(data), cls)


@given(st.text(max_size=40), st.sampled_from(TARGETS))
def test_random_text_only_ever_raises_deserialization_error(text, cls):
    with contextlib.suppress(DeserializationError):
        s.loads(text, cls)


@given(st.sampled_from(full_history()), st.data())
def test_damaged_event_payloads_only_raise_deserialization_error(event, data):
    payload = s.to_dict(event)
    key = data.draw(st.sampled_from(sorted(payload)))
    payload[key] = data.draw(JSON)
    with contextlib.suppress(DeserializationError):
        s.from_dict(payload, ev.Event)


# -- round trips ----------------------------------------------------------------------------

ORJSON = s.configure_converter(cattrs.preconf.orjson.make_converter(forbid_extra_keys=True))


def round_trips(obj):
    cls = type(obj)
    assert s.from_dict(s.to_dict(obj), cls) == obj
    assert s.loads(s.dumps(obj), cls) == obj
    raw = orjson.dumps(ORJSON.unstructure(obj))
    assert ORJSON.structure(orjson.loads(raw), cls) == obj
    # The fast converter's generated functions write and read exactly what cattrs' do.
    data = s._DEFAULTS.detailed.unstructure(obj)
    assert json.dumps(s._DEFAULTS.fast.unstructure(obj)) == json.dumps(data)  # keys in one order
    assert s._DEFAULTS.fast.structure(data, cls) == s._DEFAULTS.detailed.structure(data, cls) == obj


@given(
    rks.complaints(),
    rks.owners(),
    rks.money(),
    rks.remedies(),
    rks.surveys(),
    rks.events(),
)
def test_values_and_events_round_trip(complaint, owner, money, remedy, survey, event):
    for value in (complaint, owner, money, remedy, survey, event):
        round_trips(value)


@given(rks.cases(max_size=15))
def test_cases_round_trip_via_their_history(case):
    round_trips(case)
    payload = s.to_dict(case)
    assert payload["schema_version"] == s.SCHEMA_VERSION
    assert payload["lifecycle"] == "complaint"


@given(rks.calendars(), rks.clocks())
def test_calendars_and_clocks_round_trip(calendar, clock):
    round_trips(calendar)
    round_trips(clock)


@pytest.mark.parametrize(
    "value",
    [
        *(
            value
            for name in regimes.__all__
            if name.isupper()
            and isinstance(value := getattr(regimes, name), regimes.Regime | regimes.DatedRegime)
        ),
        regimes.DatedRegime(
            name="FCA DISP, dated",
            versions=[
                regimes.RegimeVersion(date(2011, 1, 1), regimes.FCA_DISP),
                regimes.RegimeVersion(date(2024, 1, 11), regimes.FCA_MOTOR_FINANCE),
            ],
            chosen_by="now",
            on_change="every open case",
        ),
        calendars.england_and_wales(),
        calendars.us_federal(),
        BusinessCalendar("Europe/Paris", holidays_from=[{date(2026, 7, 14): "Fete nationale"}]),
        DEFAULT_RULESET,
        attrs.evolve(DEFAULT_RULESET.replace(scoring.Apology(points=9)), version="mine"),
        CustomerContext(prior_complaints=2, baseline=70),
        FollowUp("F", FollowUpPurpose.RESOLUTION_CHECK, datetime(2026, 1, 1, tzinfo=UTC)),
        RootCause("RC-1", "Batch ran twice", "billing"),
        ClockStatus(
            "x",
            ClockState.RUNNING,
            started_at=datetime(2026, 1, 1, tzinfo=UTC),
            paused_for=timedelta(hours=3, microseconds=5),
            remaining=-timedelta(days=2),
        ),
        LoyaltyAssessment(50, Band.AT_RISK, 90, (Contribution("r", 50, "why", "src"),), "v"),
    ],
    ids=lambda v: type(v).__name__,
)
def test_fixed_values_round_trip(value):
    round_trips(value)


def test_datetime_format_keeps_offset_and_zone():
    london = ZoneInfo("Europe/London")
    t = datetime(2026, 10, 25, 1, 30, tzinfo=london, fold=1)  # the second 01:30
    payload = s.to_dict(ev.Closed(at=t))
    assert payload["at"] == "2026-10-25T01:30:00+00:00[Europe/London]"
    back = s.from_dict(payload, ev.Event)
    assert back.at == t
    assert back.at.utcoffset() == timedelta(0)
    assert back.at.tzinfo == london
    fixed = s.to_dict(ev.Closed(at=datetime(2026, 1, 1, 9, tzinfo=UTC)))
    assert fixed["at"] == "2026-01-01T09:00:00+00:00"


def test_money_is_a_decimal_string_and_enums_are_values():
    payload = s.to_dict(full_history()[6].remedy)
    assert payload["value"] == {"amount": "40.00", "currency": "GBP"}
    assert payload["kind"] == "refund"
    assert type(payload["kind"]) is str


def test_event_tags_are_stable_not_class_names():
    payload = s.to_dict(ev.ReferredToOmbudsman(at=datetime(2026, 1, 1, tzinfo=UTC), body="FOS"))
    assert payload["type"] == "complaint.referred"
    assert payload["schema_version"] == s.SCHEMA_VERSION


def test_calendar_payload_is_readable():
    cal = BusinessCalendar("Europe/London", hours={0: [(time(9), time(12)), (time(13), time(0))]})
    payload = s.to_dict(cal)
    assert payload["hours"] == {"0": [["09:00", "12:00"], ["13:00", "24:00"]]}
    assert s.from_dict(payload, BusinessCalendar) == cal


def test_unsavable_things_say_so():
    with pytest.raises(ValidationError, match="a lifecycle holds code"):
        s.to_dict(COMPLAINT_LIFECYCLE)

    class Odd:
        def __contains__(self, item):
            return False

    with pytest.raises(ValidationError, match="a Odd holiday source cannot be saved"):
        s.to_dict(BusinessCalendar("UTC", holidays_from=[Odd()]))


# -- versions, logs, registries -------------------------------------------------------------


def test_version_1_fixtures_load_through_the_upcaster():
    # Version 1 stored only the owner's id: the team is unknown after upcasting.
    expected = tuple(
        attrs.evolve(e, owner=Owner(e.owner.id)) if isinstance(e, ev.OwnerAssigned) else e
        for e in full_history()
    )
    log = json.loads((FIXTURES / "v1" / "event_log.json").read_text())
    assert s.load_events(log) == expected
    case = s.from_dict(json.loads((FIXTURES / "v1" / "case.json").read_text()), Case)
    assert case == replay(expected)
    owner = s.from_dict(json.loads((FIXTURES / "v1" / "owner_assigned.json").read_text()), ev.Event)
    assert owner.owner == Owner("alex")


def test_event_log_round_trip_and_checks():
    history = full_history()
    payload = s.dump_events(history)
    assert payload["kind"] == "event_log"
    assert s.load_events(json.loads(json.dumps(payload))) == tuple(history)
    broken = s.dump_events([*history[:3], ev.Closed(at=history[2].at)])
    with pytest.raises(DeserializationError, match=r"events\[3\]: Closed is not allowed"):
        s.load_events(broken)
    assert len(s.load_events(broken, check=False)) == 4


def test_custom_events_and_lifecycles_register():
    @s.register_event
    @attrs.frozen(kw_only=True)
    class LegalReviewStarted(ev.Event):
        event_type = "test.legal_review.started"
        lawyer: str

    lc = s.register_lifecycle(
        COMPLAINT_LIFECYCLE.with_state(
            "legal_review",
            transitions=[
                attrs.evolve(
                    COMPLAINT_LIFECYCLE.transitions[0],
                    event=LegalReviewStarted,
                    sources=frozenset({"investigating"}),
                    target="legal_review",
                ),
                attrs.evolve(
                    COMPLAINT_LIFECYCLE.transitions[0],
                    event=ev.FinalResponseSent,
                    sources=frozenset({"legal_review"}),
                    target="responded",
                ),
            ],
            name="test-legal",
        )
    )
    history = full_history()[:4]
    case = replay(history, lifecycle=lc).apply(LegalReviewStarted(at=history[-1].at, lawyer="Lee"))
    assert s.loads(s.dumps(case), Case) == case
    with pytest.raises(ValidationError, match="already used by"):

        @s.register_event
        @attrs.frozen(kw_only=True)
        class Clash(ev.Event):
            event_type = "complaint.closed"

    with pytest.raises(ValidationError, match="needs its own event_type tag"):

        @s.register_event
        @attrs.frozen(kw_only=True)
        class Untagged(ev.Event):
            pass

    with pytest.raises(ValidationError, match="expected an attrs Event subclass"):
        s.register_event(str)  # type: ignore[arg-type]


def test_make_converter_is_fresh_and_detailed_by_default():
    a, b = s.make_converter(), s.make_converter()
    assert a is not b
    assert a.detailed_validation
    assert not s.make_converter(detailed=False).detailed_validation
