"""The CFPB adapter against the real database extracts in examples/data/cfpb."""

import csv
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import Channel, DeserializationError, Outcome, RemedyKind, ValidationError
from recoverykit import events as ev
from recoverykit.errors import InvalidType, Problem, UnknownName
from recoverykit.interop import cfpb
from recoverykit.interop.cfpb import RowError, case_from_cfpb, cases_from_cfpb

from wrong_types import call_with_wrong_types, public_callables, wrong_values

DATA = Path(__file__).parent.parent / "examples" / "data" / "cfpb"
FILES = {
    "cfpb_complaints_2015q1_part_a.csv": "Company response",
    "cfpb_complaints_2013_fullschema.csv": "company_response_to_consumer",
}


def rows(name):
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def response_of(case):
    """The CFPB response category, read back from the case's events."""
    kinds = {type(e) for e in case.history}
    remedy = case.remedies[0].remedy.kind if case.remedies else None
    if ev.HoldingReplySent in kinds:
        return "In progress"
    if ev.FinalResponseSent not in kinds:
        return "Untimely response"
    if remedy is RemedyKind.COMPENSATION:
        return "Closed with monetary relief"
    if remedy is RemedyKind.REPAIR:
        return "Closed with non-monetary relief"
    if remedy is RemedyKind.GOODWILL_GESTURE:
        return "Closed with relief"
    return "Closed with explanation" if case.final_response.explanation else "Closed"


@pytest.mark.parametrize(("name", "column"), FILES.items())
def test_every_row_maps_and_the_response_counts_match_the_csv(name, column):
    data = rows(name)
    batch = cases_from_cfpb(data)
    assert len(batch.cases) + len(batch.errors) == len(data)
    assert batch.errors == ()
    assert Counter(response_of(c) for c in batch.cases) == Counter(r[column] for r in data)
    ids = {c.complaint.external_id for c in batch.cases}
    assert len(ids) == len(data)


def test_full_schema_row():
    row = rows("cfpb_complaints_2013_fullschema.csv")[0]
    case = case_from_cfpb(row)
    c = case.complaint
    assert c.id == "cfpb-511074"
    assert c.external_id == "511074"
    assert c.channel is Channel.REGULATOR_REFERRAL  # submitted via "Referral"
    assert c.received_at == datetime(2013, 9, 3, tzinfo=ZoneInfo("America/New_York"))
    assert c.product == "Mortgage / Other mortgage"
    assert c.category == "Loan modification,collection,foreclosure"
    assert c.tags == ("cfpb_received:2013-08-30", "timely:yes", "disputed:yes")
    assert case.state == "closed"
    assert case.final_response.outcome is Outcome.NOT_UPHELD


@pytest.mark.parametrize(
    "headers",
    [
        {  # the published CSV
            "Complaint ID": "1",
            "Date received": "3/19/2015",
            "Date sent to company": "3/20/2015",
            "Product": "Credit card",
            "Issue": "Billing disputes",
            "Submitted via": "Web",
            "Company response to consumer": "Closed with monetary relief",
            "Timely response?": "Yes",
            "Consumer disputed?": "No",
        },
        {  # the API
            "complaint_id": "1",
            "date_received": "2015-03-19T12:00:00-05:00",
            "date_sent_to_company": "2015-03-20",
            "product": "Credit card",
            "issue": "Billing disputes",
            "submitted_via": "Web",
            "company_response": "Closed with monetary relief",
            "timely": "Yes",
            "consumer_disputed": "No",
        },
    ],
    ids=["published-csv", "api"],
)
def test_header_variants(headers):
    case = case_from_cfpb(headers, tz="UTC")
    assert case.complaint.channel is Channel.WEB_FORM
    assert case.received_at.date() == date(2015, 3, 20)
    assert case.remedies[0].remedy.kind is RemedyKind.COMPENSATION
    assert case.state == "closed"
    assert "disputed:no" in case.complaint.tags


def test_bad_rows_become_row_errors_and_the_batch_goes_on():
    good = rows("cfpb_complaints_2013_fullschema.csv")[:2]
    bad = {
        "complaint_id": "",
        "date_received": "13/45/2015",
        "date_sent_to_company": "",
        "company_response_to_consumer": "Closed with a shrug",
        "submitted_via": "Carrier pigeon",
        None: ["surplus", "cells"],
    }
    batch = cases_from_cfpb([good[0], bad, good[1], "not a row"])
    assert len(batch.cases) == 2
    first, second = batch.errors
    assert first == RowError(
        2,
        None,
        (
            Problem("complaint_id", "required, missing or empty"),
            Problem("date_sent_to_company", "required, missing or empty"),
            Problem("date_received", "'13/45/2015' is not a date (M/D/YYYY or YYYY-MM-DD)"),
            Problem(
                "company_response",
                "'Closed with a shrug' is not one of closed, closed with explanation, closed "
                "with monetary relief, closed with non-monetary relief, closed with relief, "
                "closed without relief, in progress, untimely response",
            ),
            Problem(
                "submitted_via",
                "'Carrier pigeon' is not one of email, fax, phone, postal mail, referral, web, "
                "web referral",
            ),
        ),
    )
    assert str(first.errors[0]) == "complaint_id: required, missing or empty"
    assert second.row_number == 4
    assert second.errors == (Problem("row", "expected a mapping of column to value, got str"),)


def test_errors_name_the_problem():
    with pytest.raises(DeserializationError, match="company_response: '' is not one of"):
        case_from_cfpb(
            {"complaint_id": "9", "date_received": "1/1/2015", "date_sent_to_company": "1/2/2015"}
        )
    with pytest.raises(UnknownName, match="tz: unknown time zone 'Mars'"):
        case_from_cfpb({}, tz="Mars")
    assert issubclass(UnknownName, ValidationError)


def test_wrong_typed_arguments_are_errors_but_bad_rows_are_row_errors():
    with pytest.raises(InvalidType, match="row: expected a mapping of column to value, got int"):
        case_from_cfpb(5)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="tz: expected a time zone name or a tzinfo, got int 5"):
        case_from_cfpb({}, tz=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="tz: expected a time zone name"):
        cases_from_cfpb([], tz=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="rows: expected an iterable of rows, got one row"):
        cases_from_cfpb({"complaint_id": "1"})  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="rows: expected an iterable of rows .mappings., got int"):
        cases_from_cfpb(5)  # type: ignore[arg-type]
    batch = cases_from_cfpb([None, 5, ["a"]])  # type: ignore[list-item]
    assert [(e.row_number, e.complaint_id) for e in batch.errors] == [
        (1, None),
        (2, None),
        (3, None),
    ]
    assert batch.errors[1].errors == (
        Problem("row", "expected a mapping of column to value, got int"),
    )


# -- wrong types ----------------------------------------------------------------------------

GOOD = rows("cfpb_complaints_2013_fullschema.csv")[0]

CFPB_CALLS = {
    "case_from_cfpb": (case_from_cfpb, {"row": GOOD, "tz": "UTC"}),
    "cases_from_cfpb": (cases_from_cfpb, {"rows": [GOOD, GOOD], "tz": ZoneInfo("UTC")}),
    "RowError": (
        RowError,
        {"row_number": 1, "complaint_id": "9", "errors": (Problem("row", "bad"),)},
    ),
    "CfpbBatch": (
        cfpb.CfpbBatch,
        {"cases": (case_from_cfpb(GOOD),), "errors": (RowError(2, None, ()),)},
    ),
}


def test_every_public_cfpb_callable_is_fed_wrong_types():
    assert public_callables(cfpb) <= set(CFPB_CALLS)


@pytest.mark.parametrize("name", sorted(CFPB_CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = CFPB_CALLS[name]
    call_with_wrong_types(data, target, valid)


@given(data=st.data())
def test_rows_with_wrong_typed_cells_become_row_errors_never_a_crash(data):
    columns = sorted(GOOD)
    bad = dict(GOOD)
    for column in data.draw(st.sets(st.sampled_from(columns), min_size=1), label="columns"):
        bad[column] = data.draw(wrong_values(), label=column)
    try:
        case_from_cfpb(bad)
    except DeserializationError as exc:
        assert exc.errors
        assert all(isinstance(p, Problem) for p in exc.errors)
    batch = cases_from_cfpb([bad, GOOD, data.draw(wrong_values(), label="row")])
    assert len(batch.cases) + len(batch.errors) == 3
    assert GOOD["complaint_id"] in {c.complaint.external_id for c in batch.cases}
