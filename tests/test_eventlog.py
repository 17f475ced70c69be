"""Event logs in: worked examples, a property that no row is ever lost, and the real log."""

import csv
import math
import pickle
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import Channel, Complaint, CustomerRef, Outcome, Owner
from recoverykit import events as ev
from recoverykit.errors import InvalidType, RecoveryKitError, UnknownName, ValidationError
from recoverykit.interop import eventlog
from recoverykit.interop.eventlog import (
    XES,
    Columns,
    Deviation,
    DeviationError,
    DeviationKind,
    EventLogImport,
    LogRow,
    RowError,
    default_complaint,
    read_events,
)

from wrong_types import call_with_wrong_types, public_callables, wrong_values

VOLVO = (
    Path(__file__).parent.parent
    / "examples"
    / "data"
    / "bpic2013_problems"
    / "bpic2013_closed_problems.csv"
)
K = DeviationKind


def row(case, activity, at, resource=None, group=None, **extra):
    out = {"case:concept:name": case, "concept:name": activity, "time:timestamp": at}
    if resource is not None:
        out["org:resource"] = resource
    if group is not None:
        out["org:group"] = group
    return out | extra


def close(case, row):
    """Completed: a final response, then closing (a state-aware mapping, as users write)."""
    if case.state == "closed":
        return ev.Closed(at=row.at, actor=row.resource)
    return [
        ev.FinalResponseSent(at=row.at, actor=row.resource, outcome=Outcome.NOT_UPHELD),
        ev.Closed(at=row.at, actor=row.resource),
    ]


ACTIVITIES = {
    "queued": ev.ActivityRecorded,
    "open": ev.Acknowledged,
    "work": ev.InvestigationStarted,
    "wait": ev.InformationRequested,
    "close": close,
    "cancel": ev.Withdrawn,
    "noise": lambda case, row: [],
}


def types(case):
    return [type(e).__name__ for e in case.history]


# -- worked examples ------------------------------------------------------------------------


def test_a_small_log_worked_by_hand():
    rows = [
        row("A", "open", "2026-03-02T09:00:00+00:00", "ann", "desk"),
        row("B", "open", "2026-03-02T10:00:00+01:00", "bob", "desk"),  # 09:00Z, same instant
        row("A", "close", "2026-03-04T12:00:00+00:00", "cy", "back office"),
        row("A", "work", "2026-03-03T09:00:00+00:00", "ann", "desk"),  # earlier: sorted in
        row("B", "teleport", "2026-03-02T11:00:00+01:00", "bob", "desk"),
        row("", "open", "2026-03-02T09:00:00+00:00"),
        row("B", "work", "2026-03-02 11:30:00", "bob", "desk"),  # naive, no tz=
        row("A", "work", "2026-03-05T09:00:00+00:00", "cy", "back office"),  # after closing
    ]
    got = read_events(rows, activities=ACTIVITIES)
    a, b = got.cases
    assert (a.id, b.id) == ("A", "B")
    assert types(a) == [
        "ComplaintReceived",
        "OwnerAssigned",
        "Acknowledged",
        "InvestigationStarted",
        "OwnerAssigned",
        "FinalResponseSent",
        "Closed",
    ]
    assert a.received_at == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert a.owner == Owner("cy", team="back office")
    assert a.handoffs == 1
    assert a.state == "closed"
    assert types(b) == ["ComplaintReceived", "OwnerAssigned", "Acknowledged"]
    assert b.history[2].actor == "bob"
    assert got.case_rows == ((1, 4, 3), (2,))
    assert got.event_rows == ((None, 1, 1, 4, 3, 3, 3), (None, 2, 2))
    assert got.errors == (
        RowError(6, "no case id in column 'case:concept:name'; expected text or an integer"),
    )
    assert [(d.row_number, d.case_id, d.kind) for d in got.deviations] == [
        (5, "B", K.UNKNOWN_ACTIVITY),
        (7, "B", K.NAIVE_TIMESTAMP),
        (8, "A", K.INVALID_TRANSITION),
    ]
    refused = got.deviations[2]
    assert (refused.state, refused.event) == ("closed", "InvestigationStarted")
    assert got.rows == 8
    assert got.rows_in_histories == 4
    assert got.events_in_histories == 10
    assert got.rows == got.rows_in_histories + len(got.deviations) + len(got.errors)
    assert got.deviations_by_kind()[K.UNKNOWN_ACTIVITY] == 1
    assert sum(got.deviations_by_kind().values()) == 3


def test_equal_timestamps_keep_file_order_and_instants_not_wall_times_order_rows():
    rows = [
        row("A", "wait", "2026-03-02T10:00:00+00:00"),
        row("A", "open", "2026-03-02T10:30:00+01:00"),  # 09:30Z: first
        row("A", "work", "2026-03-02T10:00:00+00:00"),  # same instant as row 1: after it
        row("A", "queued", "2026-03-02T11:00:00+01:00"),  # 10:00Z as well
    ]
    got = read_events(rows, activities=ACTIVITIES)
    assert got.case_rows == ((2, 1, 3, 4),)
    (case,) = got.cases
    assert types(case)[1:] == [
        "Acknowledged",
        "InformationRequested",
        "InvestigationStarted",
        "ActivityRecorded",
    ]
    assert case.received_at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_naive_timestamps_are_read_in_tz_with_explicit_dst_rules():
    london = ZoneInfo("Europe/London")
    rows = [
        row("A", "open", "2026-03-29 01:30:00"),  # in the spring gap: moves to 02:30 BST
        row("A", "work", "2026-10-25 01:30:00"),  # ambiguous: the first (BST) occurrence
        row("A", "wait", datetime(2026, 10, 25, 1, 45)),  # a naive datetime value
    ]
    got = read_events(rows, activities=ACTIVITIES, tz="Europe/London")
    (case,) = got.cases
    times = [e.at for e in case.history[1:]]
    assert times == [
        datetime(2026, 3, 29, 2, 30, tzinfo=london),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 45, tzinfo=UTC),
    ]
    assert [e.at.utcoffset() for e in case.history[1:]] == [timedelta(hours=1)] * 3
    same = read_events(rows, activities=ACTIVITIES, tz=london)
    assert same.cases == got.cases


def test_aware_datetime_values_in_a_zone_keep_their_instant_with_a_fixed_offset():
    london = ZoneInfo("Europe/London")
    later = datetime(2026, 10, 25, 1, 10, tzinfo=london, fold=1)  # 01:10 GMT = 01:10Z
    earlier = datetime(2026, 10, 25, 1, 50, tzinfo=london)  # 01:50 BST = 00:50Z
    got = read_events([row("A", "work", later), row("A", "open", earlier)], activities=ACTIVITIES)
    (case,) = got.cases
    assert got.deviations == ()
    # Compared as instants: == between zones is False for a time in the repeated hour.
    assert [e.at.timestamp() for e in case.history[1:]] == [earlier.timestamp(), later.timestamp()]
    assert {e.at.tzinfo.__class__ for e in case.history} == {timezone}


def test_bad_values_are_deviations_of_their_case():
    rows = [
        row("A", "open", "2026-03-02T09:00:00+00:00"),
        row("A", "work", "yesterday"),
        row("A", "work", None),
        row("A", "work", 5),
        row("A", None, "2026-03-02T10:00:00+00:00"),
        row("A", 7, "2026-03-02T10:00:00+00:00"),
        row("A", "work", "2026-03-02T10:00:00+00:00", resource=["x"]),
        row("A", "work", "2026-03-02T11:00:00+00:00", group={"x": 1}, resource="ann"),
        {"case:concept:name": "A", "concept:name": "work"},  # no timestamp column
    ]
    got = read_events(rows, activities=ACTIVITIES)
    assert [(d.row_number, d.kind) for d in got.deviations] == [
        (2, K.BAD_TIMESTAMP),
        (3, K.BAD_TIMESTAMP),
        (4, K.BAD_TIMESTAMP),
        (5, K.BAD_VALUE),
        (6, K.BAD_VALUE),
        (7, K.BAD_VALUE),
        (8, K.BAD_VALUE),
        (9, K.BAD_TIMESTAMP),
    ]
    assert got.deviations[1].message == "time:timestamp: missing"
    assert got.deviations[4].message == "concept:name: the activity is not text: int 7"
    assert got.deviations[5].message == "org:resource: expected text, got list ['x']"
    assert got.case_rows == ((1,),)


def test_rows_like_pandas_gives_them():
    nan = math.nan
    rows = [
        {"id": 17, "what": "open", "when": datetime(2026, 3, 2, 9, tzinfo=UTC), "who": nan},
        {"id": 17, "what": "work", "when": datetime(2026, 3, 2, 10, tzinfo=UTC), "who": "ann"},
        {"id": nan, "what": "work", "when": datetime(2026, 3, 2, 10, tzinfo=UTC), "who": "x"},
        {"id": True, "what": "work", "when": datetime(2026, 3, 2, 10, tzinfo=UTC)},
    ]
    columns = Columns(case="id", activity="what", timestamp="when", resource="who", group=None)
    got = read_events(rows, activities=ACTIVITIES, columns=columns)
    (case,) = got.cases
    assert case.id == "17"
    assert types(case) == [
        "ComplaintReceived",
        "Acknowledged",
        "OwnerAssigned",
        "InvestigationStarted",
    ]
    assert case.owner == Owner("ann")
    assert [e.row_number for e in got.errors] == [3, 4]
    assert got.errors[1].message.startswith("case id bool True in column 'id'")


def test_a_change_of_team_alone_is_a_hand_off():
    rows = [
        row("A", "open", "2026-03-02T09:00:00+00:00", "ann", "desk"),
        row("A", "work", "2026-03-02T10:00:00+00:00", "ann", "desk"),
        row("A", "work", "2026-03-02T11:00:00+00:00", "ann", "back office"),
        row("A", "work", "2026-03-02T12:00:00+00:00"),  # no resource: the owner stays
    ]
    (case,) = read_events(rows, activities=ACTIVITIES).cases
    assert [a.owner for a in case.ownership_history] == [
        Owner("ann", team="desk"),
        Owner("ann", team="back office"),
    ]
    assert case.handoffs == 1


def test_a_row_is_taken_whole_or_not_at_all():
    def offer_then_close(case, row):
        # The remedy is accepted but never delivered: the guard refuses the close, and the
        # offer and acceptance before it are rolled back with it.
        return [
            ev.RemedyOffered(at=row.at, remedy=_remedy()),
            ev.RemedyAccepted(at=row.at, remedy_id="R"),
            ev.FinalResponseSent(at=row.at, outcome=Outcome.UPHELD),
            ev.Closed(at=row.at),
        ]

    rows = [
        row("A", "open", "2026-03-02T09:00:00+00:00", "ann"),
        row("A", "settle", "2026-03-02T10:00:00+00:00", "bob"),
        row("A", "work", "2026-03-02T11:00:00+00:00", "ann"),
    ]
    got = read_events(rows, activities={**ACTIVITIES, "settle": offer_then_close})
    (case,) = got.cases
    assert types(case) == [
        "ComplaintReceived",
        "OwnerAssigned",
        "Acknowledged",
        "InvestigationStarted",
    ]
    assert case.remedies == ()
    assert case.owner == Owner("ann")
    assert case.handoffs == 0
    (refused,) = got.deviations
    assert (refused.row_number, refused.kind, refused.state, refused.event) == (
        2,
        K.INVALID_EVENT,
        "responded",
        "Closed",
    )
    assert "has not been delivered" in refused.message


def _remedy():
    from recoverykit import Remedy, RemedyKind

    return Remedy("R", RemedyKind.REFUND)


def test_rows_mapped_to_no_event_are_taken_and_accounted_once():
    rows = [
        row("A", "open", "2026-03-02T09:00:00+00:00"),
        row("A", "noise", "2026-03-02T10:00:00+00:00"),
        row("A", "noise", "2026-03-02T11:00:00+00:00", "ann"),  # the owner change still counts
        row("A", "none", "2026-03-02T12:00:00+00:00"),
    ]
    got = read_events(rows, activities={**ACTIVITIES, "none": lambda case, row: None})
    assert got.case_rows == ((1, 2, 3, 4),)
    assert got.event_rows == ((None, 1, 3),)
    assert got.rows_in_histories == 4
    assert got.events_in_histories == 3


def test_callables_see_the_case_so_far_and_the_parsed_row():
    seen = []

    def spy(case, row):
        seen.append((case.state, len(case.history), row))
        return ev.InvestigationStarted(at=row.at)

    rows = [
        row("A", "open", "2026-03-02T09:00:00+00:00"),
        row("A", "spy", " 2026-03-02T10:00:00+00:00 ", " ann ", "desk", x=1),
    ]
    read_events(rows, activities={**ACTIVITIES, "spy": spy})
    ((state, length, got),) = seen
    assert (state, length) == ("acknowledged", 2)
    assert got == LogRow(
        2, "A", "spy", datetime(2026, 3, 2, 10, tzinfo=UTC), "ann", "desk", None, rows[1]
    )
    assert got.values["x"] == 1


def test_activity_recorded_keeps_the_other_columns():
    rows = [
        row(
            "A",
            "queued",
            "2026-03-02T09:00:00+00:00",
            "ann",
            "desk",
            **{
                "lifecycle:transition": "complete",
                "n": 3,
                "f": math.nan,
                "d": datetime(2026, 1, 1),
            },
        )
    ]
    (case,) = read_events(rows, activities=ACTIVITIES).cases
    recorded = case.history[-1]
    assert recorded.name == "queued"
    assert recorded.actor == "ann"
    assert dict(recorded.attributes) == {
        "org:group": "desk",
        "lifecycle:transition": "complete",
        "n": 3,
        "f": None,
        "d": "2026-01-01 00:00:00",
    }


def test_otherwise_maps_every_unknown_activity():
    rows = [row("A", "open", "2026-03-02T09:00:00+00:00"), row("A", "??", "2026-03-02T10:00Z")]
    got = read_events(rows, activities=ACTIVITIES, otherwise=ev.ActivityRecorded)
    assert got.deviations == ()
    assert got.cases[0].history[-1].name == "??"


def test_on_deviation_raise_stops_at_the_first():
    rows = [
        row("A", "open", "2026-03-02T09:00:00+00:00"),
        row("A", "cancel", "2026-03-02T10:00:00+00:00"),
        row("A", "work", "2026-03-02T11:00:00+00:00"),  # refused: withdrawn
        row("B", "teleport", "2026-03-02T11:00:00+00:00"),  # found first: while scanning
    ]
    with pytest.raises(DeviationError) as caught:
        read_events(rows, activities=ACTIVITIES, on_deviation="raise")
    assert caught.value.deviation.row_number == 4
    assert caught.value.deviation.kind is K.UNKNOWN_ACTIVITY
    with pytest.raises(DeviationError, match=r"^row 3 \(case 'A'\): invalid_transition: "):
        read_events(rows[:3], activities=ACTIVITIES, on_deviation="raise")
    assert isinstance(caught.value, RecoveryKitError)
    assert pickle.loads(pickle.dumps(caught.value)).deviation == caught.value.deviation


def test_a_case_that_cannot_be_opened_keeps_every_row_as_a_deviation():
    def strict(row):
        if row.case_id == "B":
            raise ValidationError("complaint", "no customer for B")
        return default_complaint(row)

    rows = [
        row("B", "open", "2026-03-02T09:00:00+00:00"),
        row("A", "open", "2026-03-02T09:00:00+00:00"),
        row("B", "work", "2026-03-02T10:00:00+00:00"),
    ]
    got = read_events(rows, activities=ACTIVITIES, complaint=strict)
    assert [c.id for c in got.cases] == ["A"]
    assert [(d.row_number, d.kind) for d in got.deviations] == [
        (1, K.COMPLAINT_FAILED),
        (3, K.COMPLAINT_FAILED),
    ]
    assert "no customer for B" in got.deviations[0].message


def test_the_default_complaint_invents_nothing():
    (case,) = read_events([row(" 42 ", "open", "2026-03-02T09:00Z")], activities=ACTIVITIES).cases
    c = case.complaint
    assert (c.id, c.external_id, c.received_at) == ("42", "42", datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert c.customer == CustomerRef("anonymous:42")
    # Channel.OTHER arrives with issue 12 item 6; until it is merged the module falls back.
    assert c.channel == getattr(Channel, "OTHER", Channel.WEB_FORM)


def test_mapping_failures_are_deviations_but_bugs_in_callables_are_raised():
    def bad_event(case, row):
        return ev.FinalResponseSent(at=row.at, outcome="maybe")  # ValidationError: data

    rows = [row("A", "open", "2026-03-02T09:00Z"), row("A", "bad", "2026-03-02T10:00Z")]
    got = read_events(rows, activities={**ACTIVITIES, "bad": bad_event})
    assert [(d.row_number, d.kind) for d in got.deviations] == [(2, K.MAPPING_FAILED)]
    assert got.deviations[0].message.startswith("'bad': FinalResponseSent.outcome: ")
    for returned, named in [(5, "int 5"), ("x", "str 'x'"), ([ev.Closed(at=_T), 1], "int 1")]:
        with pytest.raises(InvalidType, match=rf"activities\['bad'\]: .*got {named}"):
            read_events(rows, activities={**ACTIVITIES, "bad": lambda c, r, x=returned: x})
    with pytest.raises(InvalidType, match="complaint: expected it to return a Complaint"):
        read_events(rows, activities=ACTIVITIES, complaint=lambda r: "C")
    with pytest.raises(ZeroDivisionError):  # the user's own bug: not swallowed
        read_events(rows, activities={**ACTIVITIES, "bad": lambda c, r: 1 / 0})


_T = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_the_arguments_are_checked_before_any_row_is_read():
    with pytest.raises(
        ValidationError, match=r"activities\['x'\]: FinalResponseSent needs outcome"
    ):
        read_events([], activities={"x": ev.FinalResponseSent})
    with pytest.raises(
        InvalidType,
        match=r"activities\['x'\]: expected an Event subclass or a "
        "callable, got the class Complaint",
    ):
        read_events([], activities={"x": Complaint})
    with pytest.raises(InvalidType, match=r"otherwise: expected an Event subclass or a callable"):
        read_events([], activities={}, otherwise=5)
    with pytest.raises(InvalidType, match="activities: expected activity names"):
        read_events([], activities={5: ev.Closed})
    with pytest.raises(InvalidType, match="activities: expected a mapping"):
        read_events([], activities=[("x", ev.Closed)])
    with pytest.raises(InvalidType, match="rows: expected an iterable of rows, got one row"):
        read_events(row("A", "open", "2026-03-02T09:00Z"), activities=ACTIVITIES)
    with pytest.raises(InvalidType, match="rows: expected an iterable of rows"):
        read_events("rows", activities=ACTIVITIES)
    with pytest.raises(UnknownName, match="tz: unknown time zone 'Mars/Olympus'"):
        read_events([], activities=ACTIVITIES, tz="Mars/Olympus")
    with pytest.raises(UnknownName, match="on_deviation: 'ignore' is not one of record, raise"):
        read_events([], activities=ACTIVITIES, on_deviation="ignore")
    with pytest.raises(InvalidType, match="complaint: expected a callable"):
        read_events([], activities=ACTIVITIES, complaint="x")
    with pytest.raises(InvalidType, match="columns: expected Columns"):
        read_events([], activities=ACTIVITIES, columns={"case": "id"})
    with pytest.raises(ValidationError, match="Columns.case: must not be empty"):
        Columns(case=" ")


def test_rows_that_are_not_mappings_are_row_errors():
    got = read_events([None, 5, [("a", 1)]], activities=ACTIVITIES)
    assert [str(e) for e in got.errors] == [
        "row 1: expected a mapping of column to value, got NoneType None",
        "row 2: expected a mapping of column to value, got int 5",
        "row 3: expected a mapping of column to value, got list [('a', 1)]",
    ]
    assert got.rows == 3


def test_an_import_that_loses_a_row_cannot_be_built():
    got = read_events([row("A", "open", "2026-03-02T09:00Z")], activities=ACTIVITIES)
    with pytest.raises(ValidationError, match=r"exactly once: missing \[2\]"):
        EventLogImport(
            got.cases, (), (), rows=2, case_rows=got.case_rows, event_rows=got.event_rows
        )
    with pytest.raises(ValidationError, match=r"exactly once: missing \[\], twice \[1\]"):
        EventLogImport(
            got.cases,
            (RowError(1, "x"),),
            (),
            rows=1,
            case_rows=got.case_rows,
            event_rows=got.event_rows,
        )
    with pytest.raises(ValidationError, match=r"event_rows\[0\]: 1 row numbers for a history of 2"):
        EventLogImport(got.cases, (), (), rows=1, case_rows=got.case_rows, event_rows=((None,),))
    with pytest.raises(ValidationError, match="one entry per case"):
        EventLogImport(got.cases, (), (), rows=1)
    with pytest.raises(ValidationError, match=r"deviations\[0\]: an import's deviation names"):
        EventLogImport((), (), (Deviation("A", None, K.BAD_VALUE, "x"),), rows=0)
    with pytest.raises(ValidationError, match=r"case_rows\[0\]\[0\]: 0 is out of range"):
        EventLogImport(got.cases, (), (), rows=1, case_rows=((0,),), event_rows=got.event_rows)
    assert pickle.loads(pickle.dumps(got)) == got


def test_str_of_deviations_and_errors():
    assert str(Deviation("A", 3, K.BAD_VALUE, "x")) == "row 3 (case 'A'): bad_value: x"
    assert str(Deviation("A", None, K.INVALID_EVENT, "y")) == "history (case 'A'): invalid_event: y"
    assert Columns() == XES
    assert XES.resource == "org:resource"


# -- nothing is ever lost: random logs against an independent oracle -------------------------

_OFFSETS = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))]
_CASES = ["A", "B", "C", 7, " A ", "", None, 1.5, True, ["A"]]
_ACTIVITIES = ["open", "work", "wait", "close", "cancel", "queued", "noise", "???", "", None, 3]
_PEOPLE = ["ann", "bob", None, "", 5, math.nan, ["x"]]
_TEAMS = ["desk", "back office", None, 2.5]
_TZ_NAMES = [None, "Europe/London"]


@st.composite
def timestamps(draw):
    base = datetime(2026, 3, 28, 22) + timedelta(minutes=draw(st.integers(0, 60 * 30)) * 5)
    aware = base.replace(tzinfo=draw(st.sampled_from(_OFFSETS)))
    return draw(
        st.sampled_from(
            [
                aware.isoformat(),
                aware.isoformat(sep=" "),
                aware,
                base.isoformat(),  # naive text
                base,  # naive value
                aware.astimezone(ZoneInfo("Europe/London")),
                "not a time",
                None,
                42,
                base.date(),
            ]
        )
    )


@st.composite
def logs(draw):
    rows = []
    for _ in range(draw(st.integers(0, 25))):
        cells = {
            "case:concept:name": draw(st.sampled_from(_CASES)),
            "concept:name": draw(st.sampled_from(_ACTIVITIES)),
            "time:timestamp": draw(timestamps()),
            "org:resource": draw(st.sampled_from(_PEOPLE)),
            "org:group": draw(st.sampled_from(_TEAMS)),
        }
        for column in draw(st.sets(st.sampled_from(sorted(cells)), max_size=2)):
            del cells[column]  # a missing column
        rows.append(cells)
    if rows:
        for _ in range(draw(st.integers(0, 4))):  # duplicated rows, anywhere
            rows.insert(draw(st.integers(0, len(rows))), dict(draw(st.sampled_from(rows))))
    rows = draw(st.permutations(rows))  # shuffled: out of order
    if draw(st.booleans()):
        rows.insert(draw(st.integers(0, len(rows))), draw(wrong_values()))  # not a row at all
    return rows


def oracle(rows, tz):
    """Where each row must end up, worked out without the importer: 'error', a scan-time
    deviation kind, or 'case' (then the lifecycle decides: history or deviation)."""
    zone = ZoneInfo(tz) if tz else None
    fate, instants = {}, {}
    for n, r in enumerate(rows, 1):
        cid = r.get("case:concept:name") if isinstance(r, dict) else None
        if isinstance(cid, bool) or not (
            isinstance(cid, int) or (isinstance(cid, str) and cid.strip())
        ):
            fate[n] = "error"
            continue
        stamp = r.get("time:timestamp")
        if isinstance(stamp, str):
            try:
                stamp = datetime.fromisoformat(stamp)
            except ValueError:
                fate[n] = K.BAD_TIMESTAMP
                continue
        if not isinstance(stamp, datetime):
            fate[n] = K.BAD_TIMESTAMP
            continue
        if stamp.tzinfo is None:
            if zone is None:
                fate[n] = K.NAIVE_TIMESTAMP
                continue
            stamp = stamp.replace(tzinfo=zone)
        activity = r.get("concept:name")
        cells = [r.get("org:resource"), r.get("org:group")]
        if not (isinstance(activity, str) and activity.strip()) or any(
            isinstance(c, list | bool) or (isinstance(c, float) and not math.isnan(c))
            for c in cells
        ):
            fate[n] = K.BAD_VALUE
        elif activity not in ACTIVITIES:
            fate[n] = K.UNKNOWN_ACTIVITY
        else:
            fate[n] = "case"
            instants[n] = (str(cid).strip(), stamp)
    return fate, instants


@given(rows=logs(), tz=st.sampled_from(_TZ_NAMES))
def test_no_row_is_ever_lost(rows, tz):
    got = read_events(rows, activities=ACTIVITIES, tz=tz)
    fate, instants = oracle(rows, tz)
    # Every row exactly once, counted independently of the import's own check.
    places = Counter(n for taken in got.case_rows for n in taken)
    places.update(d.row_number for d in got.deviations)
    places.update(e.row_number for e in got.errors)
    assert places == Counter(range(1, len(rows) + 1))
    assert got.rows == len(rows)
    # Each row where the oracle says.
    assert {e.row_number for e in got.errors} == {n for n, f in fate.items() if f == "error"}
    scan_kinds = {K.BAD_TIMESTAMP, K.NAIVE_TIMESTAMP, K.BAD_VALUE, K.UNKNOWN_ACTIVITY}
    assert {d.row_number: d.kind for d in got.deviations if d.kind in scan_kinds} == {
        n: f for n, f in fate.items() if f not in ("error", "case")
    }
    later = {d.row_number for d in got.deviations if d.kind not in scan_kinds}
    taken = {n for rows_of in got.case_rows for n in rows_of}
    assert taken | later == set(instants)
    # Cases in order of first appearance, rows taken in instant order, file order for ties.
    first_seen = list(dict.fromkeys(cid for cid, _ in instants.values()))
    assert [c.id for c in got.cases] == first_seen
    for case, rows_of in zip(got.cases, got.case_rows, strict=True):
        assert all(instants[n][0] == case.id for n in rows_of)
        keys = [(instants[n][1].timestamp(), n) for n in rows_of]
        assert keys == sorted(keys)
        first = min((instants[n][1].timestamp(), n) for n in instants if instants[n][0] == case.id)
        assert case.received_at.timestamp() == first[0]
        assert [e.at for e in case.history] == sorted(e.at for e in case.history)


@given(rows=logs())
def test_raise_mode_raises_only_the_first_deviation_or_gives_the_same_import(rows):
    recorded = read_events(rows, activities=ACTIVITIES)
    try:
        raised = read_events(rows, activities=ACTIVITIES, on_deviation="raise")
    except DeviationError as exc:
        assert exc.deviation in recorded.deviations
    else:
        assert recorded.deviations == ()
        assert raised == recorded


# -- wrong types ------------------------------------------------------------------------------

GOOD_ROWS = [row("A", "open", "2026-03-02T09:00Z", "ann"), row("A", "work", "2026-03-02T10:00Z")]
GOOD = read_events(GOOD_ROWS, activities=ACTIVITIES)
LOG_ROW = LogRow(1, "A", "open", _T, None, None, None, GOOD_ROWS[0])

CALLS = {
    "read_events": (
        read_events,
        {
            "rows": GOOD_ROWS,
            "activities": {"open": ev.Acknowledged},
            "columns": XES,
            "tz": "UTC",
            "on_deviation": "record",
            "otherwise": ev.ActivityRecorded,
        },
    ),
    "conformance": (
        eventlog.conformance,
        {"log": GOOD, "now": _T},
    ),
    "default_complaint": (default_complaint, {"row": LOG_ROW}),
    "Columns": (Columns, {"case": "id", "resource": None}),
    "Deviation": (
        Deviation,
        {
            "case_id": "A",
            "row_number": 1,
            "kind": K.BAD_VALUE,
            "message": "x",
            "state": "s",
            "event": "e",
        },
    ),
    "RowError": (RowError, {"row_number": 1, "message": "x"}),
    "EventLogImport": (
        EventLogImport,
        {
            "cases": GOOD.cases,
            "errors": (),
            "deviations": (),
            "rows": 2,
            "case_rows": GOOD.case_rows,
            "event_rows": GOOD.event_rows,
        },
    ),
    "DeviationError": (DeviationError, {"deviation": Deviation("A", 1, K.BAD_VALUE, "x")}),
    "ConformanceReport": (
        eventlog.ConformanceReport,
        {
            "events": 1,
            "events_accepted": 1,
            "cases": 1,
            "cases_clean": 1,
            "unattributed": 0,
            "deviations": 0,
            "by_kind": (("bad_value", 1),),
            "by_transition": (),
            "clocks": (),
        },
    ),
    "LogRow": (
        LogRow,
        {
            "number": 1,
            "case_id": "A",
            "activity": "x",
            "at": _T,
            "resource": None,
            "group": None,
            "transition": None,
            "values": {},
        },
    ),
}


def test_every_public_eventlog_callable_is_fed_wrong_types():
    assert public_callables(eventlog) <= set(CALLS) | {"DeviationKind"}


@pytest.mark.parametrize("name", sorted(CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = CALLS[name]
    call_with_wrong_types(data, target, valid)


@given(data=st.data())
def test_rows_with_wrong_typed_cells_are_accounted_never_a_crash(data):
    bad = dict(GOOD_ROWS[1])
    for column in data.draw(st.sets(st.sampled_from([*sorted(bad), "org:group"]), min_size=1)):
        bad[column] = data.draw(wrong_values(), label=column)
    got = read_events([GOOD_ROWS[0], bad], activities=ACTIVITIES)
    assert got.rows == got.rows_in_histories + len(got.deviations) + len(got.errors) == 2
    assert got.case_rows[0][0] == 1


# -- the real log -------------------------------------------------------------------------------


def volvo_rows():
    with VOLVO.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_volvo_log_is_read_with_nothing_lost():
    rows = volvo_rows()
    assert len(rows) == 6660
    mapping = {
        "Queued-Awaiting Assignment": ev.ActivityRecorded,
        "Accepted-Assigned": ev.ActivityRecorded,
        "Accepted-In Progress": ev.InvestigationStarted,
        "Accepted-Wait": ev.InformationRequested,
        "Completed-Closed": close,
        "Completed-Cancelled": ev.Withdrawn,
        "Unmatched-Unmatched": ev.ActivityRecorded,
    }
    got = read_events(rows, activities=mapping)
    assert len(got.cases) == 1487
    assert got.errors == ()
    assert got.rows == 6660
    assert (got.rows_in_histories, len(got.deviations)) == VOLVO_ACCOUNT
    assert got.rows_in_histories + len(got.deviations) == 6660
    # Every refusal is work done on a case after it was closed or withdrawn (a plain
    # mapping has no Reopened): the lifecycle says so instead of dropping the rows.
    assert Counter((d.kind, d.state, d.event) for d in got.deviations) == {
        (K.INVALID_TRANSITION, "closed", "OwnerAssigned"): 121,
        (K.INVALID_TRANSITION, "closed", "InvestigationStarted"): 77,
        (K.INVALID_TRANSITION, "withdrawn", "OwnerAssigned"): 7,
        (K.INVALID_TRANSITION, "closed", "InformationRequested"): 6,
        (K.INVALID_TRANSITION, "withdrawn", "InvestigationStarted"): 1,
        (K.INVALID_TRANSITION, "withdrawn", "FinalResponseSent"): 1,
    }
    assert len({d.case_id for d in got.deviations}) == 61
    assert sum(c.handoffs for c in got.cases) == 1687
    # Every row of the file is in its own case: the oracle counts rows per case id.
    per_case = Counter(r["case:concept:name"] for r in rows)
    taken = Counter()
    for case, numbers in zip(got.cases, got.case_rows, strict=True):
        taken[case.id] += len(numbers)
    for d in got.deviations:
        taken[d.case_id] += 1
    assert taken == per_case


VOLVO_ACCOUNT = (6447, 213)
