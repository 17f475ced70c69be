"""Explained deadlines and the recalculation contract (issue 13, items 5 and 6).

A clock is computed from the events and ``now`` every time, so it can promise what helpdesk
tools fail at (public issues of GLPI, Zammad, Frappe, osTicket): one test per failure shape.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    Channel,
    Clock,
    Complaint,
    CustomerRef,
    calendars,
    evaluate_clocks,
    regimes,
    replay,
)
from recoverykit import events as ev
from recoverykit.calendars import HolidayRules, OneOff
from recoverykit.case import Case
from recoverykit.clocks import (
    BusinessDays,
    BusinessHours,
    ClockState,
    SegmentKind,
    Timeline,
    explain_clocks,
)
from recoverykit.regimes import ChosenBy, DatedRegime, Regime, RegimeVersion
from recoverykit.strategies import histories

LONDON = ZoneInfo("Europe/London")
EW = calendars.england_and_wales()


def utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def case_of(received: datetime, *events: ev.Event) -> Case:
    complaint = Complaint(
        id="C-1", customer=CustomerRef("c"), channel=Channel.EMAIL, received_at=received
    )
    return replay([ev.ComplaintReceived(at=received, complaint=complaint), *events])


WAITING = Clock(
    name="resolution",
    target=BusinessDays(5),
    stop_on=ev.FinalResponseSent,
    pause_in="awaiting_customer",
)


class TestTimeline:
    def test_steps_and_time_of_a_paused_clock(self) -> None:
        # Received Thursday 24 December 2026 at 10:00: 5 business days after that day are
        # 29, 30, 31 December, 4 and 5 January (25, 28 December and 1 January are holidays):
        # due the end of 5 January. Paused 30 December 10:00 - 31 December 12:00: 10 working
        # hours (7 + 3), added to the deadline: 8 on Wednesday 6 January 2027, and the last
        # 2 end at 11:00 on Thursday 7 January.
        case = case_of(
            london(2026, 12, 24, 10),
            ev.InformationRequested(at=london(2026, 12, 30, 10)),
            ev.InformationReceived(at=london(2026, 12, 31, 12)),
        )
        (timeline,) = explain_clocks(case, [WAITING], calendar=EW, now=london(2027, 1, 4, 12))
        assert timeline.status.due_at == london(2027, 1, 7, 11)
        assert [s.what for s in timeline.steps] == ["started", "target", "paused", "now"]
        assert timeline.steps[1].due_at == london(2027, 1, 6)
        # Running: 7 + 8 + 1 + 5 + 3 hours; outside hours: 7 + 16 + 9 + 7 + 9; weekends: 4
        # days; holidays: 25 and 28 December and 1 January; paused: 26 hours. 266 hours in
        # all, 24 December 10:00 to 4 January 12:00.
        assert str(timeline) == (
            "resolution: running\n"
            "  Thu 24 Dec 2026 10:00: ComplaintReceived starts cycle 1 (BusinessDays(n=5))\n"
            "  BusinessDays(n=5) from Thu 24 Dec 2026 10:00: due the end of Tue 05 Jan 2027;"
            " counted Tue 29 Dec, Wed 30 Dec, Thu 31 Dec, Mon 04 Jan, Tue 05 Jan;"
            " skipped Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day (substitute day)),"
            " Fri 01 Jan (New Year's Day)\n"
            "  Wed 30 Dec 2026 10:00 to Thu 31 Dec 2026 12:00: paused in awaiting_customer"
            " (10h00 of working time added)\n"
            "  Mon 04 Jan 2027 12:00: running, due Thu 07 Jan 2027 11:00"
            " (after 10h00 paused), 2d 23h00 left\n"
            "  time in the current cycle:\n"
            "    running: 1d\n"
            "    outside_hours: 2d\n"
            "    non_working_day: 4d\n"
            "    holiday: 3d (Boxing Day (substitute day), Christmas Day, New Year's Day)\n"
            "    paused: 1d 2h00 (awaiting_customer)"
        )

    def test_holidays_and_pauses_are_named(self) -> None:
        case = case_of(
            london(2026, 12, 24, 10),
            ev.InformationRequested(at=london(2026, 12, 30, 10)),
            ev.InformationReceived(at=london(2026, 12, 31, 12)),
        )
        (timeline,) = explain_clocks(case, [WAITING], calendar=EW, now=london(2027, 1, 4, 12))
        holidays = [s for s in timeline.segments if s.kind is SegmentKind.HOLIDAY]
        assert [(s.start.date(), s.detail) for s in holidays] == [
            (date(2026, 12, 25), "Christmas Day"),
            (date(2026, 12, 28), "Boxing Day (substitute day)"),
            (date(2027, 1, 1), "New Year's Day"),
        ]
        paused = [s for s in timeline.segments if s.kind is SegmentKind.PAUSED]
        assert [(s.start, s.end, s.detail) for s in paused] == [
            (london(2026, 12, 30, 10), london(2026, 12, 31, 12), "awaiting_customer")
        ]

    def test_extension_is_a_step(self) -> None:
        case = case_of(london(2026, 3, 2, 10), ev.HoldingReplySent(at=london(2026, 3, 10, 10)))
        (timeline, _) = regimes.FCA_PAYMENTS.explain(case, calendar=EW, now=london(2026, 3, 11))
        assert [s.what for s in timeline.steps] == [
            "started",
            "target",
            "extended",
            "target",
            "now",
        ]
        assert "HoldingReplySent extends the target to BusinessDays(n=35)" in str(timeline)

    def test_breach_is_a_step(self) -> None:
        case = case_of(london(2026, 3, 2, 10))
        (timeline,) = explain_clocks(case, [WAITING], calendar=EW, now=london(2026, 3, 20))
        assert timeline.status.status is ClockState.BREACHED
        assert timeline.steps[-2].what == "breached"
        assert timeline.steps[-2].due_at == london(2026, 3, 10)

    def test_a_pending_clock_has_no_segments(self) -> None:
        case = case_of(london(2026, 3, 2, 10))
        (_, _, referral) = regimes.FCA_DISP.explain(case, calendar=EW, now=london(2026, 3, 3))
        assert referral.status.status is ClockState.PENDING
        assert referral.steps == referral.segments == ()
        assert str(referral) == "ombudsman_referral: pending"


CLOCKS = (*regimes.FCA_DISP.clocks, *regimes.HELPDESK.clocks, WAITING)


@given(
    histories(max_size=8, max_gap=timedelta(hours=30)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
)
def test_a_timeline_explains_the_status_evaluate_gives(
    history: list[ev.Event], after: timedelta
) -> None:
    case = replay(history)
    now = history[-1].at + after
    timelines = explain_clocks(case, CLOCKS, calendar=EW, now=now)
    statuses = evaluate_clocks(case, CLOCKS, calendar=EW, now=now)
    assert tuple(t.status for t in timelines) == statuses
    for timeline in timelines:
        _check_segments(timeline, now)


def _check_segments(timeline: Timeline, now: datetime) -> None:
    """The segments cut the current cycle's time, start to stop (or now), with no gap.

    Compared as instants: ``now`` may be in another zone, and Python never finds two
    datetimes of different zones equal in a repeated hour."""
    status = timeline.status
    if status.started_at is None or not timeline.segments:
        return
    end = status.met_at if status.met_at is not None else now
    segments = timeline.segments
    assert utc(segments[0].start) == utc(status.started_at)
    assert utc(segments[-1].end) == utc(end)
    for a, b in itertools.pairwise(segments):
        assert utc(a.end) == utc(b.start)
        assert utc(a.start) < utc(a.end)
    running = sum(
        (utc(s.end) - utc(s.start) for s in segments if s.kind is SegmentKind.RUNNING),
        timedelta(0),
    )
    paused = sum(
        (
            EW.business_time_between(s.start, s.end)
            for s in segments
            if s.kind is SegmentKind.PAUSED
        ),
        timedelta(0),
    )
    assert running + paused == EW.business_time_between(status.started_at, end)


# -- the recalculation contract: one test per failure shape ----------------------------------


def _paused_case() -> Case:
    return case_of(
        london(2026, 3, 2, 10),
        ev.InformationRequested(at=london(2026, 3, 3, 10)),
        ev.InformationReceived(at=london(2026, 3, 5, 10)),
    )


def test_changing_the_policy_never_loses_paused_time() -> None:
    """GLPI/Zammad: a new SLA on a paused ticket forgets the time already paused."""
    case = _paused_case()
    now = london(2026, 3, 6, 12)
    (old,) = evaluate_clocks(case, [WAITING], calendar=EW, now=now)
    (new,) = evaluate_clocks(
        case, [attrs.evolve(WAITING, target=BusinessDays(10))], calendar=EW, now=now
    )
    assert old.paused_for == new.paused_for == timedelta(hours=16)
    assert new.due_at == london(2026, 3, 18, 17)  # 16 March end + 16 working hours
    assert old.due_at == london(2026, 3, 11, 17)


def test_a_regime_version_change_keeps_paused_time() -> None:
    def version(days: int) -> Regime:
        return Regime(
            name=f"{days} days",
            clocks=[attrs.evolve(WAITING, target=BusinessDays(days))],
            reference=f"rule {days}",
        )

    dated = DatedRegime(
        name="resolution",
        versions=[
            RegimeVersion(date(2020, 1, 1), version(5)),
            RegimeVersion(date(2026, 3, 4), version(10)),
        ],
        chosen_by=ChosenBy.NOW,
        on_change="every open case moves to the new target",
    )
    case = _paused_case()
    (before,) = dated.evaluate(case, calendar=EW, now=london(2026, 3, 3, 12))
    (after,) = dated.evaluate(case, calendar=EW, now=london(2026, 3, 6, 12))
    assert before.paused_for == timedelta(hours=2)  # open pause, counted up to now
    assert after.paused_for == timedelta(hours=16)
    assert after.due_at == london(2026, 3, 18, 17)


def test_changing_the_calendar_recomputes_the_due_date() -> None:
    """Frappe/osTicket: a holiday added after the ticket opened is ignored."""
    case = case_of(london(2026, 3, 2, 10))
    now = london(2026, 3, 3)
    (plain,) = evaluate_clocks(case, [WAITING], calendar=EW, now=now)
    closed = EW.union(HolidayRules([OneOff("Office move", date(2026, 3, 5))]))
    (moved,) = evaluate_clocks(case, [WAITING], calendar=closed, now=now)
    assert plain.due_at == london(2026, 3, 10)
    assert moved.due_at == london(2026, 3, 11)


@given(st.integers(0, 60 * 48))
def test_no_overdue_time_counts_while_paused(minutes: int) -> None:
    """Zammad: the overdue counter runs on while the ticket waits for the customer. While
    paused, the working time left is frozen and the clock is never breached."""
    case = case_of(london(2026, 3, 2, 10), ev.InformationRequested(at=london(2026, 3, 6, 16)))
    at = london(2026, 3, 6, 16) + timedelta(minutes=minutes)
    (status,) = evaluate_clocks(case, [WAITING], calendar=EW, now=at)
    assert status.status is ClockState.PAUSED
    assert status.due_at is not None
    # Friday 16:00 to the end of Monday 9 March: one working hour and eight.
    assert EW.business_time_between(at, status.due_at) == timedelta(hours=9)


def test_a_working_time_warning_starts_in_working_hours() -> None:
    """GLPI: escalations fire at midnight. With the warning in working time, the status turns
    'warning' at 16:00 on the last day (one working hour left), not at midnight."""
    clock = Clock(
        name="reply",
        target=BusinessHours(8),
        stop_on=ev.FinalResponseSent,
        warning=timedelta(hours=1),
        warning_in_working_time=True,
    )
    real = attrs.evolve(clock, warning_in_working_time=False)
    case = case_of(london(2026, 3, 5, 17))  # Thursday after hours: due Friday 17:00

    def state(c: Clock, at: datetime) -> ClockState:
        return evaluate_clocks(case, [c], calendar=EW, now=at)[0].status

    assert state(clock, london(2026, 3, 6, 15, 59)) is ClockState.RUNNING
    assert state(clock, london(2026, 3, 6, 16)) is ClockState.WARNING
    # Measured in real time, the same threshold could only start at 16:00 here too; over a
    # weekend it differs: due Monday 10:00 from Friday 17:00 + 1 working hour.
    weekend = case_of(london(2026, 3, 6, 10))  # due Monday 9 March 10:00
    assert (
        evaluate_clocks(weekend, [clock], calendar=EW, now=london(2026, 3, 6, 16, 59))[0].status
        is ClockState.RUNNING
    )
    assert (
        evaluate_clocks(weekend, [clock], calendar=EW, now=london(2026, 3, 6, 17))[0].status
        is ClockState.WARNING
    )
    assert (
        evaluate_clocks(weekend, [real], calendar=EW, now=london(2026, 3, 9, 8, 59))[0].status
        is ClockState.RUNNING
    )
    assert (
        evaluate_clocks(weekend, [real], calendar=EW, now=london(2026, 3, 9, 9))[0].status
        is ClockState.WARNING
    )


def test_segments_break_down_at_most_ten_years() -> None:
    """A clock explained in the year 9000 does not walk seven thousand years day by day."""
    from recoverykit.clocks._timeline import DETAILED

    case = case_of(london(2026, 3, 2, 10))
    (timeline,) = explain_clocks(case, [WAITING], calendar=EW, now=datetime(9000, 1, 1, tzinfo=UTC))
    assert timeline.status.status is ClockState.BREACHED
    assert utc(timeline.segments[-1].end) == utc(london(2026, 3, 2, 10)) + DETAILED
