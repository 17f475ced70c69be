"""Regulator suspensions, date-switched targets and dated regimes (issue 13, items 3 and 4).

Worked examples are computed by hand from the rule's text; the property's oracle counts
running days one by one, skipping suspended ones, with no calendar arithmetic of the
library.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    Channel,
    Clock,
    Complaint,
    CustomerRef,
    Outcome,
    calendars,
    evaluate_clocks,
    replay,
)
from recoverykit import events as ev
from recoverykit.case import Case
from recoverykit.clocks import CalendarDays, LaterOf, Months, Suspension, SwitchOn, Weeks
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.regimes import (
    COMMISSION_TAG,
    DCA_TAG,
    FCA_DISP,
    FCA_MOTOR_FINANCE,
    LEASING_TAG,
    ChosenBy,
    DatedRegime,
    Regime,
    RegimeVersion,
)

LONDON = ZoneInfo("Europe/London")
EW = calendars.england_and_wales()


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), LONDON)


def case_of(received: datetime, *events: ev.Event, tags: tuple[str, ...] = ()) -> Case:
    complaint = Complaint(
        id="MF-1", customer=CustomerRef("c"), channel=Channel.PHONE, received_at=received, tags=tags
    )
    return replay([ev.ComplaintReceived(at=received, complaint=complaint), *events])


def due_of(regime: Regime, case: Case, name: str, now: datetime) -> datetime | None:
    statuses = regime.evaluate(case, calendar=EW, now=now)
    return next(s for s in statuses if s.name == name).due_at


NOW = london(2026, 6, 10)


class TestDispApp5:
    """FCA DISP App 5 as PS25/18 left it: time not running 11 January 2024 - 31 May 2026."""

    def test_received_before_the_pause(self) -> None:
        # Received Friday 1 December 2023: 8 weeks end on 26 January 2024. The clock ran
        # from 2 to 10 January... 40 days of the 56 were used before 11 January, so 16 are
        # left after 31 May 2026: the end of 16 June 2026.
        case = case_of(london(2023, 12, 1, 10), tags=(DCA_TAG,))
        assert due_of(FCA_DISP, case, "final_response", NOW) == end_of(date(2024, 1, 26))
        assert due_of(FCA_MOTOR_FINANCE, case, "final_response", NOW) == end_of(date(2026, 6, 16))

    def test_received_during_the_pause(self) -> None:
        # Eight full weeks from 1 June 2026: the end of 26 July 2026.
        case = case_of(london(2025, 3, 3, 10), tags=(DCA_TAG,))
        assert due_of(FCA_MOTOR_FINANCE, case, "final_response", NOW) == end_of(date(2026, 7, 26))

    def test_an_untagged_complaint_is_timed_as_under_disp(self) -> None:
        case = case_of(london(2025, 3, 3, 10))
        assert due_of(FCA_MOTOR_FINANCE, case, "final_response", NOW) == end_of(date(2025, 4, 28))

    def test_received_after_the_pause(self) -> None:
        case = case_of(london(2026, 6, 3, 10), tags=(DCA_TAG,))
        assert due_of(FCA_MOTOR_FINANCE, case, "final_response", NOW) == end_of(date(2026, 7, 29))

    def test_non_dca_commission_from_26_october_2024(self) -> None:
        before = case_of(london(2024, 10, 25, 10), tags=(COMMISSION_TAG,))
        inside = case_of(london(2024, 10, 28, 10), tags=(COMMISSION_TAG,))
        assert due_of(FCA_MOTOR_FINANCE, before, "final_response", NOW) == end_of(
            date(2024, 12, 20)
        )
        assert due_of(FCA_MOTOR_FINANCE, inside, "final_response", NOW) == end_of(date(2026, 7, 26))

    def test_leasing_left_the_extension_on_4_december_2025(self) -> None:
        # Eight weeks from 5 December 2025: the end of 29 January 2026.
        case = case_of(london(2025, 1, 6, 10), tags=(LEASING_TAG,))
        assert due_of(FCA_MOTOR_FINANCE, case, "final_response", NOW) == end_of(date(2026, 1, 29))

    def test_referral_window(self) -> None:
        early = ev.FinalResponseSent(at=london(2025, 1, 10, 12), outcome=Outcome.NOT_UPHELD)
        later = ev.FinalResponseSent(at=london(2026, 2, 2, 12), outcome=Outcome.NOT_UPHELD)
        mid = ev.FinalResponseSent(at=london(2025, 6, 2, 12), outcome=Outcome.NOT_UPHELD)
        received = london(2024, 12, 2, 10)
        # 15 months after 10 January 2025 is 10 April 2026: 29 July 2026 is later.
        case = case_of(received, early, tags=(DCA_TAG,))
        assert due_of(FCA_MOTOR_FINANCE, case, "ombudsman_referral", NOW) == end_of(
            date(2026, 7, 29)
        )
        # 15 months after 2 June 2025 is 2 September 2026, later than 29 July 2026.
        case = case_of(received, mid, tags=(DCA_TAG,))
        assert due_of(FCA_MOTOR_FINANCE, case, "ombudsman_referral", NOW) == end_of(
            date(2026, 9, 2)
        )
        # After 29 January 2026: the usual six months.
        case = case_of(received, later, tags=(DCA_TAG,))
        assert due_of(FCA_MOTOR_FINANCE, case, "ombudsman_referral", NOW) == end_of(
            date(2026, 8, 2)
        )

    def test_a_met_clock_is_met_however_late_by_the_old_rule(self) -> None:
        response = ev.FinalResponseSent(at=london(2026, 7, 20, 12), outcome=Outcome.UPHELD)
        case = case_of(london(2025, 3, 3, 10), response, tags=(DCA_TAG,))
        statuses = FCA_MOTOR_FINANCE.evaluate(case, calendar=EW, now=london(2026, 8, 1))
        final = next(s for s in statuses if s.name == "final_response")
        assert final.status.value == "met"


class TestSuspensionValue:
    def test_last_day_before_first_day(self) -> None:
        with pytest.raises(ValidationError, match="Suspension.last_day"):
            Suspension(
                name="x", first_day=date(2025, 2, 1), last_day=date(2025, 1, 1), reference="r"
            )

    def test_received_window_reversed(self) -> None:
        with pytest.raises(ValidationError, match="Suspension.received_to"):
            Suspension(
                name="x",
                first_day=date(2025, 1, 1),
                last_day=date(2025, 2, 1),
                received_from=date(2025, 1, 2),
                received_to=date(2025, 1, 1),
                reference="r",
            )

    @pytest.mark.parametrize("bad", [datetime(2025, 1, 1), "2025-01-01", 5, None])
    def test_days_are_dates(self, bad: object) -> None:
        with pytest.raises(InvalidType, match="Suspension.first_day"):
            Suspension(name="x", first_day=bad, last_day=date(2025, 2, 1), reference="r")  # type: ignore[arg-type]

    def test_tags_and_clock_field(self) -> None:
        with pytest.raises(InvalidType, match=r"Suspension.tags\[0\]"):
            Suspension(
                name="x",
                first_day=date(2025, 1, 1),
                last_day=date(2025, 1, 2),
                tags=[""],
                reference="r",
            )
        with pytest.raises(InvalidType, match=r"Clock.suspensions\[0\]"):
            Clock(name="c", target=Weeks(8), stop_on=ev.FinalResponseSent, suspensions=["x"])  # type: ignore[list-item]
        with pytest.raises(InvalidType, match="Clock.suspensions"):
            Clock(name="c", target=Weeks(8), stop_on=ev.FinalResponseSent, suspensions=5)  # type: ignore[arg-type]

    def test_days(self) -> None:
        s = Suspension(
            name="x", first_day=date(2024, 1, 11), last_day=date(2026, 5, 31), reference="r"
        )
        assert s.days == 872


class TestDateKinds:
    def test_later_of(self) -> None:
        kind = LaterOf(Months(15), date(2026, 7, 29))
        assert kind.due(london(2025, 1, 10, 12), EW) == end_of(date(2026, 7, 29))
        assert kind.due(london(2025, 6, 2, 12), EW) == end_of(date(2026, 9, 2))

    def test_switch_on(self) -> None:
        kind = SwitchOn(date(2026, 4, 8), before=Weeks(8), after=Weeks(6))
        assert kind.due(london(2026, 4, 7, 12), EW) == end_of(date(2026, 6, 2))
        assert kind.due(london(2026, 4, 8, 0, 30), EW) == end_of(date(2026, 5, 20))

    def test_bad_arguments(self) -> None:
        with pytest.raises(InvalidType, match="LaterOf.day"):
            LaterOf(Months(1), "2026-01-01")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="LaterOf.target"):
            LaterOf(5, date(2026, 1, 1))  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="SwitchOn.after"):
            SwitchOn(date(2026, 1, 1), Months(1), "x")  # type: ignore[arg-type]


@given(
    received=st.dates(date(2023, 1, 1), date(2027, 12, 31)),
    first=st.dates(date(2023, 1, 1), date(2027, 12, 31)),
    length=st.integers(0, 400),
    n=st.integers(0, 120),
)
def test_suspended_days_do_not_count(received: date, first: date, length: int, n: int) -> None:
    """Oracle: count the days after the start one by one, skipping suspended ones."""
    last = first + timedelta(days=length)
    suspension = Suspension(name="s", first_day=first, last_day=last, reference="r")
    clock = Clock(
        name="c", target=CalendarDays(n), stop_on=ev.FinalResponseSent, suspensions=[suspension]
    )
    at = datetime.combine(received, time(11), LONDON)
    (status,) = evaluate_clocks(case_of(at), [clock], calendar=EW, now=at)
    day = last if first <= received <= last else received
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        counted += not first <= day <= last
    assert status.due_at == end_of(day)


class TestDatedRegime:
    def regime(self, chosen_by: ChosenBy = ChosenBy.RECEIPT) -> DatedRegime:
        def version(weeks: int) -> Regime:
            clock = Clock(name="adr", target=Weeks(weeks), stop_on=ev.FinalResponseSent)
            return Regime(name=f"{weeks} weeks", clocks=[clock], reference=f"rule {weeks}")

        return DatedRegime(
            name="wait before ADR",
            versions=[
                RegimeVersion(date(2026, 4, 8), version(6)),
                RegimeVersion(date(2011, 7, 22), version(8)),
            ],
            chosen_by=chosen_by,
            on_change="cases received before the change keep eight weeks",
        )

    def test_versions_are_sorted_and_forced_with_as_of(self) -> None:
        regime = self.regime()
        assert [v.effective_from for v in regime.versions] == [date(2011, 7, 22), date(2026, 4, 8)]
        assert regime.as_of(date(2026, 4, 7)).name == "8 weeks"
        assert regime.as_of(date(2026, 4, 8)).name == "6 weeks"
        with pytest.raises(UnknownName, match="no version before 2011-07-22"):
            regime.as_of(date(2011, 7, 21))

    def test_receipt_picks_the_version(self) -> None:
        regime = self.regime()
        old = case_of(london(2026, 4, 7, 23, 30))  # 7 April in London
        new = case_of(london(2026, 4, 8, 0, 30))
        now = london(2026, 5, 1)
        (a,) = regime.evaluate(old, calendar=EW, now=now)
        (b,) = regime.evaluate(new, calendar=EW, now=now)
        assert a.due_at == end_of(date(2026, 6, 2))
        assert b.due_at == end_of(date(2026, 5, 20))

    def test_now_picks_the_version(self) -> None:
        regime = self.regime(ChosenBy.NOW)
        old = case_of(london(2026, 3, 1, 12))
        (before,) = regime.evaluate(old, calendar=EW, now=london(2026, 4, 1))
        (after,) = regime.evaluate(old, calendar=EW, now=london(2026, 4, 9))
        assert before.due_at == end_of(date(2026, 4, 26))
        assert after.due_at == end_of(date(2026, 4, 12))

    def test_bad_versions(self) -> None:
        regime = self.regime()
        with pytest.raises(ValidationError, match="at least one"):
            DatedRegime(name="x", versions=[], on_change="x")
        with pytest.raises(ValidationError, match="two versions take effect on 2011-07-22"):
            DatedRegime(name="x", versions=[regime.versions[0]] * 2, on_change="x")
        with pytest.raises(InvalidType, match=r"DatedRegime.versions\[0\]"):
            DatedRegime(name="x", versions=[FCA_DISP], on_change="x")  # type: ignore[list-item]
        with pytest.raises(UnknownName, match="DatedRegime.chosen_by"):
            DatedRegime(name="x", versions=regime.versions, chosen_by="sent", on_change="x")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="RegimeVersion.effective_from"):
            RegimeVersion(datetime(2026, 1, 1), FCA_DISP)  # type: ignore[arg-type]


def test_a_pause_inside_a_suspension_is_not_counted_twice() -> None:
    """A clock that also pauses while the case waits for the customer: waiting while DISP
    App 5 stops the clock adds nothing; the part of the wait after it ends still counts."""
    from recoverykit.regimes import DISP_APP5_SUSPENSIONS

    clock = Clock(
        name="final_response",
        target=Weeks(8),
        stop_on=ev.FinalResponseSent,
        pause_in="awaiting_customer",
        suspensions=DISP_APP5_SUSPENSIONS,
    )

    def status(case: Case):  # type: ignore[no-untyped-def]
        (s,) = evaluate_clocks(case, [clock], calendar=EW, now=NOW)
        return s

    inside = case_of(
        london(2025, 3, 3, 10),
        ev.InformationRequested(at=london(2025, 4, 1, 10)),
        ev.InformationReceived(at=london(2025, 5, 1, 10)),
        tags=(DCA_TAG,),
    )
    assert status(inside).paused_for == timedelta(0)
    assert status(inside).due_at == end_of(date(2026, 7, 26))
    # Asked on Friday 29 May 2026, answered Tuesday 2 June 10:00: Monday 1 June 09:00-17:00
    # and Tuesday 09:00-10:00 are after the suspension, 9 working hours; the Friday
    # afternoon is inside it. The end of Sunday 26 July + 9 working hours: Monday 27 July
    # 09:00-17:00 (8 hours), then 09:00-10:00 on Tuesday 28 July.
    across = case_of(
        london(2025, 3, 3, 10),
        ev.InformationRequested(at=london(2026, 5, 29, 14)),
        ev.InformationReceived(at=london(2026, 6, 2, 10)),
        tags=(DCA_TAG,),
    )
    assert status(across).paused_for == timedelta(hours=9)
    assert status(across).due_at == london(2026, 7, 28, 10)
