"""conformance(): fitness, deviations by kind and (state, event), clock breaches per clock."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given

from recoverykit import COMPLAINT_LIFECYCLE, BusinessCalendar, Clock, replay
from recoverykit import events as ev
from recoverykit.clocks import CalendarDays
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.interop.eventlog import (
    ConformanceReport,
    DeviationKind,
    conformance,
    read_events,
)
from recoverykit.metrics import ClockRate
from test_eventlog import ACTIVITIES, logs, row

K = DeviationKind
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
CALENDAR = BusinessCalendar("UTC")
ACK_2_DAYS = Clock(name="ack", target=CalendarDays(2), stop_on=[ev.Acknowledged])
CLOSE_5_DAYS = Clock(name="close", target=CalendarDays(5), stop_on=[ev.Closed])


def at(days, hours=0):
    return (T0 + timedelta(days=days, hours=hours)).isoformat()


LOG = [
    row("A", "open", at(0), "ann"),
    row("A", "close", at(1), "ann"),
    row("B", "work", at(0), "bob"),
    row("B", "cancel", at(2), "bob"),
    row("B", "work", at(3), "bob"),  # work on a withdrawn complaint: refused
    row("B", "teleport", at(4)),
    row("C", "open", "03/02/2026"),  # unparseable: C never opens
    row(None, "open", at(0)),
]


def test_a_small_log_worked_by_hand():
    log = read_events(LOG, activities=ACTIVITIES)
    report = conformance(
        log, clocks=[ACK_2_DAYS, CLOSE_5_DAYS], calendar=CALENDAR, now=T0 + timedelta(days=10)
    )
    assert report == ConformanceReport(
        events=8,
        events_accepted=4,
        cases=3,
        cases_clean=1,
        unattributed=1,
        deviations=3,
        by_kind=(("bad_timestamp", 1), ("invalid_transition", 1), ("unknown_activity", 1)),
        by_transition=(("withdrawn", "InvestigationStarted", 1),),
        clocks=(ClockRate("ack", 1, 1, 0), ClockRate("close", 1, 1, 0)),
    )
    assert report.fitness == Decimal("50.0")
    assert report.case_fitness == Decimal("33.3")


def test_cases_without_rows_are_checked_event_by_event_on_another_lifecycle():
    strict = COMPLAINT_LIFECYCLE.without_transition(ev.InvestigationStarted, {"investigating"})
    log = read_events(
        [row("A", "work", at(0)), row("A", "work", at(1)), row("A", "work", at(2))],
        activities=ACTIVITIES,
    )
    (case,) = log.cases
    assert conformance([case]) == ConformanceReport(3, 3, 1, 1, 0, 0, (), ())
    report = conformance([case], lifecycle=strict)
    assert (report.events, report.events_accepted, report.cases_clean) == (3, 1, 0)
    assert report.by_transition == (("investigating", "InvestigationStarted", 2),)
    # The same check on the import names the rows.
    on_import = conformance(log, lifecycle=strict)
    assert (on_import.events, on_import.events_accepted) == (3, 1)
    assert on_import.deviations == 2
    assert conformance(log, lifecycle=COMPLAINT_LIFECYCLE) == conformance(log)


def test_a_rows_events_are_rechecked_together():
    # An owner change and the activity come from one row: a refusal of either drops both.
    strict = COMPLAINT_LIFECYCLE.without_transition(ev.OwnerAssigned, {"investigating"})
    log = read_events(
        [row("A", "work", at(0), "ann"), row("A", "work", at(1), "bob")], activities=ACTIVITIES
    )
    assert log.event_rows == ((None, 1, 1, 2, 2),)
    report = conformance(log, lifecycle=strict)
    assert (report.events, report.events_accepted, report.deviations) == (2, 1, 1)
    assert report.by_transition == (("investigating", "OwnerAssigned", 1),)


def test_empty_inputs_have_no_rates():
    report = conformance([])
    assert report == ConformanceReport(0, 0, 0, 0, 0, 0, (), ())
    assert report.fitness is None
    assert report.case_fitness is None


def test_bad_arguments():
    with pytest.raises(ValidationError, match="clocks: clocks need a calendar and now="):
        conformance([], clocks=[ACK_2_DAYS], now=T0)
    with pytest.raises(ValidationError, match="clocks need a calendar and now="):
        conformance([], clocks=[ACK_2_DAYS], calendar=CALENDAR)
    with pytest.raises(ValidationError, match="now: naive datetime"):
        conformance([], now=datetime(2026, 1, 1))
    with pytest.raises(InvalidType, match=r"log\[0\]: expected Case, got int 5"):
        conformance([5])
    with pytest.raises(InvalidType, match=r"clocks\[0\]: expected Clock"):
        conformance([], clocks=["ack"])
    with pytest.raises(InvalidType, match="lifecycle: expected Lifecycle"):
        conformance([], lifecycle="complaint")
    with pytest.raises(InvalidType, match="ConformanceReport.by_kind: expected tuple"):
        ConformanceReport(0, 0, 0, 0, 0, 0, [], ())


def test_a_clock_naming_a_state_the_lifecycle_lacks_is_refused_before_any_case():
    waiting = Clock(name="wait", target=CalendarDays(2), stop_on=[ev.Closed], pause_in={"waiting"})
    with pytest.raises(
        UnknownName, match=r"clocks\[0\]\.pause_in: clock 'wait' pauses in 'waiting'"
    ):
        conformance([], lifecycle=COMPLAINT_LIFECYCLE, clocks=[waiting], calendar=CALENDAR, now=T0)


@given(rows=logs())
def test_on_its_own_lifecycle_an_import_scores_what_it_took(rows):
    log = read_events(rows, activities=ACTIVITIES, tz="UTC")
    report = conformance(log)
    assert report.events == len(rows)
    assert report.events_accepted == log.rows_in_histories
    assert report.unattributed == len(log.errors)
    assert report.deviations == len(log.deviations)
    assert dict(report.by_kind) == dict(Counter(d.kind.value for d in log.deviations))
    ids = {c.id for c in log.cases} | {d.case_id for d in log.deviations}
    assert report.cases == len(ids)
    assert report.cases_clean == len(ids - {d.case_id for d in log.deviations})
    refusals = [d for d in log.deviations if d.kind in (K.INVALID_TRANSITION, K.INVALID_EVENT)]
    assert sum(n for _, _, n in report.by_transition) == len(refusals)
    # Cases replayed from their histories fit perfectly: every event was accepted once.
    again = conformance([replay(c.history) for c in log.cases])
    assert again.events == again.events_accepted == sum(len(c.history) - 1 for c in log.cases)
