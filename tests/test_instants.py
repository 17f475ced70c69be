"""Instants, not wall time (issue 13).

Python compares and subtracts two datetimes that share a tzinfo by their wall-clock fields:
in the repeated hour of an autumn clock change, 01:10 the second time round is "earlier"
than 01:30 the first time round, though it happens 40 minutes later. Every "earlier",
"met", "breached", "warning" and "remaining" in recoverykit must mean instants.

The oracle here never uses the helpers under test: an instant is the wall time minus the
UTC offset, as plain naive arithmetic.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    BusinessCalendar,
    Channel,
    Clock,
    Complaint,
    CustomerRef,
    InvalidEvent,
    Outcome,
    calendars,
    evaluate_clocks,
    regimes,
    replay,
)
from recoverykit import events as ev
from recoverykit.clocks import BusinessHours, ClockState, ClockStatus
from recoverykit.strategies import histories

LONDON = ZoneInfo("Europe/London")
ALWAYS = BusinessCalendar(
    "Europe/London", hours={d: [(time(0), time(0))] for d in range(7)}, name="24/7"
)
EW = calendars.england_and_wales()


def instant(at: datetime) -> datetime:
    """The oracle: wall time minus offset, as a naive UTC datetime."""
    offset = at.utcoffset()
    assert offset is not None
    return at.replace(tzinfo=None) - offset


def opened(at: datetime) -> list[ev.Event]:
    complaint = Complaint(
        id="C-1", customer=CustomerRef("c"), channel=Channel.PHONE, received_at=at
    )
    return [ev.ComplaintReceived(at=at, complaint=complaint)]


# In Europe/London on 25 October 2026 the clocks go back at 02:00 BST: 01:00-02:00 happens
# twice, first in BST (fold=0, UTC+1) then in GMT (fold=1, UTC+0).
FIRST_0130 = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)  # 00:30 UTC
SECOND_0110 = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)  # 01:10 UTC


class TestTheRepeatedHour:
    def test_the_oracle_sees_the_order(self) -> None:
        assert instant(FIRST_0130) == datetime(2026, 10, 25, 0, 30)
        assert instant(SECOND_0110) == datetime(2026, 10, 25, 1, 10)
        assert SECOND_0110 < FIRST_0130  # Python, by wall time: the trap

    def test_an_event_40_minutes_later_is_accepted(self) -> None:
        case = replay([*opened(FIRST_0130), ev.Acknowledged(at=SECOND_0110)])
        assert case.state == "acknowledged"

    def test_an_event_40_minutes_earlier_is_refused(self) -> None:
        with pytest.raises(InvalidEvent, match="earlier than the previous event"):
            replay([*opened(SECOND_0110), ev.Acknowledged(at=FIRST_0130)])

    def test_a_response_40_minutes_late_is_a_breach(self) -> None:
        # 24 working hours on a 24/7 calendar from 01:30 BST on the 24th: due 00:30 UTC on
        # the 25th (01:30 BST); the response comes at 01:10 GMT, 40 minutes after that.
        clock = Clock(name="day", target=BusinessHours(24), stop_on=ev.FinalResponseSent)
        received = datetime(2026, 10, 24, 1, 30, tzinfo=LONDON)
        response = ev.FinalResponseSent(at=SECOND_0110, outcome=Outcome.UPHELD)
        case = replay([*opened(received), response])
        (status,) = evaluate_clocks(
            case, [clock], calendar=ALWAYS, now=SECOND_0110 + timedelta(hours=1)
        )
        assert status.due_at is not None
        assert instant(status.due_at) == datetime(2026, 10, 25, 0, 30)
        assert status.status is ClockState.BREACHED
        assert status.breached_at is not None
        assert instant(status.breached_at) == datetime(2026, 10, 25, 0, 30)

    def test_remaining_does_not_depend_on_the_zone_of_now(self) -> None:
        # 72 working hours on a 24/7 calendar from noon BST on Friday 23 October: due at
        # noon GMT on Monday 26 October, which is 73 hours of wall clock but 72 real hours.
        clock = Clock(
            name="three_days",
            target=BusinessHours(72),
            stop_on=ev.FinalResponseSent,
            warning=timedelta(hours=48, minutes=30),
        )
        received = datetime(2026, 10, 23, 12, tzinfo=LONDON)
        case = replay(opened(received))
        now_london = datetime(2026, 10, 24, 12, tzinfo=LONDON)
        now_utc = now_london.astimezone(UTC)
        (in_london,) = evaluate_clocks(case, [clock], calendar=ALWAYS, now=now_london)
        (in_utc,) = evaluate_clocks(case, [clock], calendar=ALWAYS, now=now_utc)
        assert in_london.due_at == datetime(2026, 10, 26, 11, tzinfo=LONDON)
        assert in_london.remaining == in_utc.remaining == timedelta(hours=48)
        assert in_london.status is in_utc.status is ClockState.WARNING


# -- properties -------------------------------------------------------------------------------


@st.composite
def two_times_in_one_zone(draw: st.DrawFn) -> tuple[datetime, datetime]:
    zone = draw(st.timezones())
    times = st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2040, 1, 1),
        timezones=st.just(zone),
    )
    return draw(times), draw(times)


@given(two_times_in_one_zone())
def test_event_order_is_the_order_of_instants(pair: tuple[datetime, datetime]) -> None:
    first, second = pair
    history = [*opened(first), ev.Acknowledged(at=second)]
    if instant(second) >= instant(first):
        assert replay(history).state == "acknowledged"
    else:
        with pytest.raises(InvalidEvent):
            replay(history)


def _as_instants(status: ClockStatus) -> tuple[object, ...]:
    def at(value: datetime | None) -> datetime | None:
        return None if value is None else instant(value)

    return (
        status.name,
        status.status,
        at(status.started_at),
        at(status.due_at),
        at(status.met_at),
        at(status.breached_at),
        status.paused_for,
        status.remaining,
        status.cycles,
    )


def _moved(event: ev.Event, zone: ZoneInfo | datetime) -> ev.Event:
    assert isinstance(zone, ZoneInfo)
    at = event.at.astimezone(zone)
    if isinstance(event, ev.ComplaintReceived):
        return attrs.evolve(event, at=at, complaint=attrs.evolve(event.complaint, received_at=at))
    return attrs.evolve(event, at=at)


CLOCKS = (*regimes.FCA_DISP.clocks, *regimes.HELPDESK.clocks)


@given(
    histories(max_size=10, max_gap=timedelta(hours=20)),
    st.timezones(),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
)
def test_clocks_depend_on_instants_only(
    history: list[ev.Event], zone: ZoneInfo, after: timedelta
) -> None:
    """The same instants written in any zone (the now too) give the same clocks."""
    now = history[-1].at + after
    base = evaluate_clocks(replay(history), CLOCKS, calendar=EW, now=now)
    moved = replay([_moved(e, zone) for e in history])
    again = evaluate_clocks(moved, CLOCKS, calendar=EW, now=now.astimezone(zone))
    assert [_as_instants(s) for s in again] == [_as_instants(s) for s in base]


def test_repeat_complainants_measure_gaps_in_instants() -> None:
    """Two complaints 40 minutes apart in the repeated hour, written in the same zone: with
    a 50-minute window they are a repeat (by wall time the gap looked like -20 minutes and
    they sorted the wrong way round)."""
    from recoverykit.analytics import repeat_complainants

    def case(cid: str, at: datetime) -> object:
        complaint = Complaint(
            id=cid, customer=CustomerRef("same"), channel=Channel.PHONE, received_at=at
        )
        return replay([ev.ComplaintReceived(at=at, complaint=complaint)])

    found = repeat_complainants(
        [case("B", SECOND_0110), case("A", FIRST_0130)], window=timedelta(minutes=50)
    )
    assert [r.case_ids for r in found] == [("A", "B")]


@given(
    histories(max_size=8, max_gap=timedelta(hours=20)),
    st.timezones(),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
)
def test_status_and_remaining_do_not_depend_on_the_zone_of_now(
    history: list[ev.Event], zone: ZoneInfo, after: timedelta
) -> None:
    """Only ``now`` is rewritten: met/breached, warning and ``remaining`` stay the same."""
    case = replay(history)
    now = (history[-1].at + after).astimezone(UTC)
    base = evaluate_clocks(case, CLOCKS, calendar=EW, now=now)
    again = evaluate_clocks(case, CLOCKS, calendar=EW, now=now.astimezone(zone))
    assert [_as_instants(s) for s in again] == [_as_instants(s) for s in base]
