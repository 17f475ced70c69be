from datetime import UTC, date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    BusinessCalendar,
    Channel,
    Clock,
    Complaint,
    CustomerRef,
    Outcome,
    ValidationError,
    calendars,
    clocks,
    evaluate_clocks,
    regimes,
    replay,
)
from recoverykit import events as ev
from recoverykit.clocks import (
    BusinessDays,
    BusinessHours,
    CalendarDays,
    ClockState,
    CloseOfBusinessAfter,
    DeadlineKind,
    Extension,
    Months,
    Weeks,
)
from recoverykit.errors import InvalidType, UnknownName

LONDON = ZoneInfo("Europe/London")
EW = calendars.england_and_wales()


def case_of(received_at, *events):
    complaint = Complaint(
        id="C-1", customer=CustomerRef("c"), channel=Channel.PHONE, received_at=received_at
    )
    return replay([ev.ComplaintReceived(at=received_at, complaint=complaint), *events])


def status_of(statuses, name):
    return next(s for s in statuses if s.name == name)


def london(*args):
    return datetime(*args, tzinfo=LONDON)


def final(at):
    return ev.FinalResponseSent(at=at, outcome=Outcome.UPHELD, referral_rights_given=True)


class TestFcaDisp:
    def test_received_just_before_christmas(self):
        case = case_of(london(2026, 12, 24, 10))
        st_ = regimes.FCA_DISP.evaluate(case, calendar=EW, now=london(2026, 12, 24, 11))
        summary = status_of(st_, "summary_resolution")
        # Christmas Day, the weekend and the Boxing Day substitute (28th) are not business days.
        assert summary.due_at == london(2026, 12, 31, 17)
        assert summary.status is ClockState.RUNNING
        final_response = status_of(st_, "final_response")
        assert final_response.due_at == london(2027, 2, 19)  # end of 18 February, 8 weeks on
        assert status_of(st_, "ombudsman_referral").status is ClockState.PENDING

    @pytest.mark.parametrize(
        ("option", "due"),
        [(False, london(2026, 12, 31, 17)), (True, london(2027, 1, 4, 17))],
    )
    def test_weekend_receipt_with_and_without_the_next_business_day_option(self, option, due):
        case = case_of(london(2026, 12, 26, 11))  # a Saturday
        regime = regimes.fca_disp(receipt_next_business_day=option)
        (summary, *_) = regime.evaluate(case, calendar=EW, now=london(2026, 12, 26, 12))
        assert summary.due_at == due

    @pytest.mark.parametrize(
        ("option", "due"),
        [(False, london(2026, 7, 6, 17)), (True, london(2026, 7, 7, 17))],
    )
    def test_late_in_the_day_receipt(self, option, due):
        case = case_of(london(2026, 7, 1, 17, 30))  # Wednesday, after close of business
        regime = regimes.fca_disp(receipt_next_business_day=option)
        (summary, *_) = regime.evaluate(case, calendar=EW, now=london(2026, 7, 1, 18))
        assert summary.due_at == due

    def test_scotland_has_its_own_bank_holidays(self):
        case = case_of(london(2026, 7, 31, 12))
        now = london(2026, 7, 31, 13)
        scot = regimes.FCA_DISP.evaluate(case, calendar=calendars.scotland(), now=now)
        eng = regimes.FCA_DISP.evaluate(case, calendar=EW, now=now)
        assert scot[0].due_at == london(2026, 8, 6, 17)  # 3 August is a Scottish holiday
        assert eng[0].due_at == london(2026, 8, 5, 17)

    def test_christmas_and_good_friday_are_never_business_days(self):
        bare = BusinessCalendar("Europe/London")  # no holidays at all
        case = case_of(london(2026, 4, 2, 10))  # the day before Good Friday
        (summary, *_) = regimes.FCA_DISP.evaluate(case, calendar=bare, now=london(2026, 4, 2, 11))
        assert summary.due_at == london(2026, 4, 8, 17)  # Easter Monday counts in this calendar

    def test_met_breached_and_referral_window(self):
        case = case_of(london(2026, 3, 2, 9), final(london(2026, 3, 4, 16)))
        st_ = regimes.FCA_DISP.evaluate(case, calendar=EW, now=london(2026, 3, 10))
        assert status_of(st_, "summary_resolution").status is ClockState.MET
        assert status_of(st_, "final_response").status is ClockState.MET
        referral = status_of(st_, "ombudsman_referral")
        assert referral.status is ClockState.RUNNING
        assert referral.due_at == london(2026, 9, 5)  # end of 4 September, six months on
        later = regimes.FCA_DISP.evaluate(case, calendar=EW, now=london(2026, 9, 6))
        assert status_of(later, "ombudsman_referral").status is ClockState.BREACHED

    def test_late_final_response_is_breached_for_good(self):
        received = london(2026, 1, 5, 10)
        late = final(london(2026, 3, 10, 10))
        case = case_of(received, ev.InvestigationStarted(at=london(2026, 1, 6)), late)
        st_ = regimes.FCA_DISP.evaluate(case, calendar=EW, now=london(2026, 3, 11))
        fr = status_of(st_, "final_response")
        assert fr.status is ClockState.BREACHED
        assert fr.breached_at == london(2026, 3, 3)
        assert fr.met_at == late.at
        assert fr.remaining is None


class TestFcaPayments:
    received = london(2026, 11, 2, 9)

    def test_fifteen_business_days(self):
        case = case_of(self.received)
        (fr, _) = regimes.FCA_PAYMENTS.evaluate(case, calendar=EW, now=self.received)
        assert fr.due_at == london(2026, 11, 24)

    def test_weekend_receipt_counts_from_the_friday(self):
        case = case_of(london(2026, 12, 19, 14))  # Saturday before Christmas
        (fr, _) = regimes.FCA_PAYMENTS.evaluate(case, calendar=EW, now=london(2026, 12, 19, 15))
        # 15 business days after Friday 18th, skipping 25th, 28th and New Year's Day.
        assert fr.due_at == london(2027, 1, 14)  # the end of Wednesday 13 January

    def test_holding_reply_extends_to_thirty_five(self):
        case = case_of(self.received, ev.HoldingReplySent(at=london(2026, 11, 20, 10)))
        (fr, _) = regimes.FCA_PAYMENTS.evaluate(case, calendar=EW, now=london(2026, 11, 25))
        assert fr.due_at == london(2026, 12, 22)
        assert fr.status is ClockState.RUNNING

    def test_holding_reply_after_the_deadline_does_not_rescue(self):
        case = case_of(self.received, ev.HoldingReplySent(at=london(2026, 11, 25, 10)))
        (fr, _) = regimes.FCA_PAYMENTS.evaluate(case, calendar=EW, now=london(2026, 11, 26))
        assert fr.status is ClockState.BREACHED
        assert fr.breached_at == london(2026, 11, 24)


class TestCfpb:
    ny = ZoneInfo("America/New_York")

    def test_fifteen_and_sixty_calendar_days(self):
        received = datetime(2026, 3, 1, 10, tzinfo=self.ny)  # a Sunday
        case = case_of(received, ev.HoldingReplySent(at=datetime(2026, 3, 13, tzinfo=self.ny)))
        us = calendars.us_federal()
        response, final_ = regimes.CFPB.evaluate(
            case, calendar=us, now=received + timedelta(days=20)
        )
        assert response.status is ClockState.MET
        assert response.due_at == datetime(2026, 3, 17, tzinfo=self.ny)
        assert final_.due_at == datetime(2026, 5, 1, tzinfo=self.ny)
        assert final_.status is ClockState.RUNNING
        assert final_.remaining == datetime(2026, 5, 1, tzinfo=self.ny) - (
            received + timedelta(days=20)
        )


class TestAsic:
    sydney = ZoneInfo("Australia/Sydney")
    cal = BusinessCalendar("Australia/Sydney")

    @pytest.mark.parametrize(
        ("regime", "due_day"),
        [
            (regimes.ASIC_RG271, date(2026, 7, 5)),
            (regimes.ASIC_RG271_HARDSHIP, date(2026, 6, 26)),
            (regimes.ASIC_RG271_SUPERANNUATION, date(2026, 7, 20)),
        ],
    )
    def test_variants(self, regime, due_day):
        received = datetime(2026, 6, 5, 16, tzinfo=self.sydney)  # Friday afternoon
        ack, final_, afca = regime.evaluate(case_of(received), calendar=self.cal, now=received)
        assert ack.due_at == datetime(2026, 6, 9, tzinfo=self.sydney)  # end of Monday
        assert final_.due_at == datetime.combine(due_day + timedelta(days=1), time(0), self.sydney)
        assert afca.status is ClockState.PENDING  # opens at the final IDR response


class TestCbi:
    dublin = ZoneInfo("Europe/Dublin")
    cal = BusinessCalendar(
        "Europe/Dublin",
        holidays_from=[frozenset({date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)})],
    )

    def test_acknowledgement_over_christmas_and_periodic_updates(self):
        received = datetime(2026, 12, 23, 15, tzinfo=self.dublin)
        case = case_of(received)
        ack, update, final_ = regimes.CBI_CPC.evaluate(case, calendar=self.cal, now=received)
        assert ack.due_at == datetime(2027, 1, 5, tzinfo=self.dublin)  # end of 4 January
        first_update_due = update.due_at
        case = case.apply(ev.ReplySent(at=datetime(2027, 1, 15, tzinfo=self.dublin)))
        _, update, _ = regimes.CBI_CPC.evaluate(
            case, calendar=self.cal, now=datetime(2027, 1, 16, tzinfo=self.dublin)
        )
        assert update.cycles == 2
        assert update.started_at == datetime(2027, 1, 15, tzinfo=self.dublin)
        assert update.due_at > first_update_due
        assert update.status is ClockState.RUNNING
        assert final_.due_at == datetime.combine(
            self.cal.add_business_days(date(2026, 12, 23), 40) + timedelta(days=1),
            time(0),
            self.dublin,
        )


class TestHousingOmbudsman:
    def test_stages(self):
        received = london(2026, 5, 1, 16, 55)  # Friday before the early May bank holiday
        case = case_of(
            received,
            ev.Acknowledged(at=london(2026, 5, 6, 10)),
            final(london(2026, 5, 19, 12)),
            ev.Reopened(at=london(2026, 6, 10, 9), reason="stage 2"),
        )
        st_ = regimes.HOUSING_OMBUDSMAN.evaluate(case, calendar=EW, now=london(2026, 6, 11))
        assert status_of(st_, "acknowledgement").due_at == london(2026, 5, 12)
        assert status_of(st_, "acknowledgement").status is ClockState.MET
        stage1 = status_of(st_, "stage_1_response")
        assert (stage1.due_at, stage1.status) == (london(2026, 5, 21), ClockState.MET)
        assert status_of(st_, "stage_2_acknowledgement").due_at == london(2026, 6, 18)
        assert status_of(st_, "stage_2_response").due_at == london(2026, 7, 9)


class TestHelpdesk:
    def test_paused_across_a_weekend(self):
        received = london(2026, 6, 5, 15)  # Friday
        case = case_of(
            received,
            ev.InformationRequested(at=london(2026, 6, 5, 16)),
            ev.InformationReceived(at=london(2026, 6, 8, 11)),
        )
        st_ = regimes.HELPDESK.evaluate(case, calendar=EW, now=london(2026, 6, 8, 12))
        resolution = status_of(st_, "resolution")
        # Paused Friday 16:00-17:00 and Monday 09:00-11:00: three working hours, not the weekend.
        assert resolution.paused_for == timedelta(hours=3)
        assert resolution.due_at == london(2026, 6, 15, 12)
        assert status_of(st_, "first_reply").status is ClockState.MET
        next_reply = status_of(st_, "next_reply")
        assert next_reply.due_at == london(2026, 6, 8, 15)
        assert next_reply.status is ClockState.RUNNING

    def test_paused_status_and_warning(self):
        received = london(2026, 6, 1, 9)
        waiting = case_of(received, ev.InformationRequested(at=london(2026, 6, 1, 9, 30)))
        st_ = regimes.HELPDESK.evaluate(waiting, calendar=EW, now=london(2026, 6, 2, 10))
        assert status_of(st_, "resolution").status is ClockState.PAUSED
        quiet = case_of(received)
        st_ = regimes.HELPDESK.evaluate(quiet, calendar=EW, now=london(2026, 6, 1, 9, 10))
        assert status_of(st_, "first_reply").status is ClockState.WARNING
        st_ = regimes.HELPDESK.evaluate(quiet, calendar=EW, now=london(2026, 6, 1, 10, 30))
        assert status_of(st_, "first_reply").status is ClockState.BREACHED

    def test_resolution_restarts_on_reopening_but_remembers_a_breach(self):
        received = london(2026, 6, 1, 9)
        case = case_of(
            received,
            final(london(2026, 6, 12, 9)),  # after the 5 business days: breached
            ev.Reopened(at=london(2026, 6, 20, 9)),
        )
        st_ = regimes.HELPDESK.evaluate(case, calendar=EW, now=london(2026, 6, 22))
        resolution = status_of(st_, "resolution")
        assert resolution.cycles == 2
        assert resolution.started_at == london(2026, 6, 20, 9)
        assert resolution.status is ClockState.BREACHED
        assert resolution.breached_at == london(2026, 6, 9)

    def test_evaluation_as_of_an_earlier_time_ignores_later_events(self):
        case = case_of(london(2026, 6, 1, 9), final(london(2026, 6, 2, 9)))
        st_ = regimes.HELPDESK.evaluate(case, calendar=EW, now=london(2026, 6, 1, 12))
        assert status_of(st_, "resolution").status is ClockState.RUNNING


class TestClockDefinitions:
    def test_validation(self):
        with pytest.raises(ValidationError, match="expected one of BusinessDays"):
            Clock(name="x", target=5, stop_on=ev.Closed)  # type: ignore[arg-type]
        with pytest.raises(
            ValidationError, match=r"Clock.stop_on\[0\]: expected an Event subclass"
        ):
            Clock(name="x", target=Weeks(1), stop_on=["closed"])  # type: ignore[list-item]
        with pytest.raises(ValidationError, match="-1 is negative"):
            BusinessDays(-1)
        with pytest.raises(ValidationError, match=r"CalendarDays.n: expected int >= 0, got float"):
            CalendarDays(1.5)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="non-negative timedelta"):
            Clock(name="x", target=Weeks(1), stop_on=ev.Closed, warning=timedelta(hours=-1))

    def test_evaluate_rejects_bad_input(self):
        case = case_of(london(2026, 6, 1, 9))
        with pytest.raises(ValidationError, match="now: naive datetime"):
            evaluate_clocks(case, [], calendar=EW, now=datetime(2026, 6, 1))
        with pytest.raises(ValidationError, match=r"clocks\[0\]: expected a Clock, got str"):
            evaluate_clocks(case, ["final_response"], calendar=EW, now=london(2026, 6, 1))

    def test_regime_lookup_and_duplicates(self):
        assert regimes.FCA_DISP.clock("final_response").target == Weeks(8)
        with pytest.raises(ValidationError, match="no clock 'nope' in FCA DISP; known: summary"):
            regimes.FCA_DISP.clock("nope")
        clock = regimes.FCA_DISP.clocks[0]
        with pytest.raises(ValidationError, match="duplicate clock names: summary_resolution"):
            regimes.Regime(name="x", reference="y", clocks=[clock, clock])

    def test_months_clamp_to_month_end(self):
        clock = Clock(name="m", target=Months(1), stop_on=ev.Closed)
        case = case_of(datetime(2027, 1, 31, 10, tzinfo=UTC))
        (s,) = evaluate_clocks(
            case, [clock], calendar=BusinessCalendar("UTC"), now=case.received_at
        )
        assert s.due_at == datetime(2027, 3, 1, tzinfo=UTC)  # end of 28 February

    def test_extension_target_and_hours(self):
        clock = Clock(
            name="x",
            target=BusinessHours(2, 30),
            stop_on=ev.FinalResponseSent,
            extension=Extension(event=ev.HoldingReplySent, target=CloseOfBusinessAfter(1)),
        )
        start = london(2026, 6, 1, 9)
        (s,) = evaluate_clocks(case_of(start), [clock], calendar=EW, now=start)
        assert s.due_at == london(2026, 6, 1, 11, 30)
        extended = case_of(start, ev.HoldingReplySent(at=london(2026, 6, 1, 10)))
        (s,) = evaluate_clocks(extended, [clock], calendar=EW, now=london(2026, 6, 1, 12))
        assert s.due_at == london(2026, 6, 2, 17)


# -- properties of pausing ------------------------------------------------------------------

RESOLUTION = Clock(
    name="resolution",
    target=BusinessDays(3),
    stop_on=ev.FinalResponseSent,
    pause_in="awaiting_customer",
)
UNPAUSED = Clock(name="resolution", target=BusinessDays(3), stop_on=ev.FinalResponseSent)
HOURLY = Clock(
    name="reply",
    target=BusinessHours(6),
    stop_on=ev.FinalResponseSent,
    pause_in="awaiting_customer",
)
HOURLY_UNPAUSED = Clock(name="reply", target=BusinessHours(6), stop_on=ev.FinalResponseSent)

OFFSETS = st.integers(0, 14 * 24 * 60)


def later_by(start: datetime, minutes: int) -> datetime:
    """``minutes`` of real time after ``start`` (not wall time: clock changes count)."""
    return (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(start.tzinfo)


@given(
    start=st.datetimes(datetime(2024, 1, 1), datetime(2028, 12, 31), timezones=st.just(LONDON)),
    a=OFFSETS,
    b=OFFSETS,
    now_after=OFFSETS,
    clocks=st.sampled_from([(RESOLUTION, UNPAUSED), (HOURLY, HOURLY_UNPAUSED)]),
)
def test_pausing_never_shortens_a_deadline(start, a, b, now_after, clocks):
    paused_clock, plain_clock = clocks
    t1 = later_by(start, min(a, b))
    t2 = later_by(start, max(a, b))
    case = case_of(start, ev.InformationRequested(at=t1), ev.InformationReceived(at=t2))
    now = later_by(t2, now_after)
    (paused,) = evaluate_clocks(case, [paused_clock], calendar=EW, now=now)
    (plain,) = evaluate_clocks(case, [plain_clock], calendar=EW, now=now)
    assert paused.due_at >= plain.due_at
    working = EW.business_time_between(t1, t2)
    assert paused.paused_for == working
    if working == timedelta(0):
        assert paused == plain
    if plain.status is not ClockState.BREACHED:
        assert paused.status is not ClockState.BREACHED


@given(
    start=st.datetimes(datetime(2024, 1, 1), datetime(2028, 12, 31), timezones=st.just(LONDON)),
    later=st.lists(OFFSETS, min_size=1, max_size=4),
)
def test_a_breach_is_never_undone_by_evaluating_later(start, later):
    case = case_of(start, final(later_by(start, max(later))))
    times = sorted((later_by(start, m) for m in later), key=lambda t: t.astimezone(UTC))
    seen_breach = False
    for now in times:
        (s,) = evaluate_clocks(case, [HOURLY], calendar=EW, now=now)
        if seen_breach:
            assert s.status is ClockState.BREACHED
        seen_breach = seen_breach or s.status is ClockState.BREACHED


# -- deadline kinds: the protocol, an app's own kind, the receipt option ---------------------


@attrs.frozen
class CloseOfBusinessOnWorkingDay:
    """An app's kind, written as an app would: "within 10 working days of acknowledgement",
    read as close of business on the 10th working day after the day the clock starts."""

    tag: ClassVar[str] = "acme.close_of_business_on_working_day"
    n: int = 10

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        day = start.astimezone(calendar.tz).date()
        return calendar.close_of_business(calendar.add_business_days(day, self.n))


STAGE_1 = Clock(
    name="stage_1_response",
    target=CloseOfBusinessOnWorkingDay(10),
    start_on=ev.Acknowledged,
    stop_on=ev.FinalResponseSent,
    pause_in="awaiting_customer",
)


class TestDeadlineKinds:
    def test_built_in_kinds_implement_the_protocol_with_their_stored_tags(self):
        kinds = {
            BusinessDays(1): "business_days",
            CloseOfBusinessAfter(1): "close_of_business_after",
            CalendarDays(1): "calendar_days",
            Weeks(1): "weeks",
            Months(1): "months",
            BusinessHours(1): "business_hours",
        }
        for kind, tag in kinds.items():
            assert isinstance(kind, DeadlineKind)
            assert type(kind).tag == kind.tag == tag
            # The tag is a class attribute, not a field: payloads and equality ignore it.
            assert "tag" not in attrs.fields_dict(type(kind))
        assert isinstance(CloseOfBusinessOnWorkingDay(), DeadlineKind)

    def test_target_is_a_deprecated_alias(self):
        with pytest.warns(DeprecationWarning, match="use recoverykit.clocks.DeadlineKind"):
            from recoverykit.clocks import Target
        assert Target is DeadlineKind
        with pytest.raises(AttributeError, match="no attribute 'Fortnights'"):
            clocks.Fortnights  # noqa: B018

    def test_ten_working_days_from_acknowledgement(self):
        # Received Tuesday 19 May 2026, acknowledged Thursday 21 May. The spring bank holiday
        # (Monday 25 May) does not count: 22, 26, 27, 28, 29 May, 1-5 June are the ten
        # working days, so the response is due by close of business on Friday 5 June.
        received = london(2026, 5, 19, 9)
        case = case_of(received)
        (s,) = evaluate_clocks(case, [STAGE_1], calendar=EW, now=london(2026, 5, 20))
        assert s.status is ClockState.PENDING
        case = case.apply(ev.Acknowledged(at=london(2026, 5, 21, 10)))
        (s,) = evaluate_clocks(case, [STAGE_1], calendar=EW, now=london(2026, 5, 21, 11))
        assert (s.status, s.started_at) == (ClockState.RUNNING, london(2026, 5, 21, 10))
        assert s.due_at == london(2026, 6, 5, 17)
        assert s.due_at.isoformat() == "2026-06-05T17:00:00+01:00"
        (late,) = evaluate_clocks(case, [STAGE_1], calendar=EW, now=london(2026, 6, 8))
        assert (late.status, late.breached_at) == (ClockState.BREACHED, london(2026, 6, 5, 17))
        answered = case.apply(final(london(2026, 6, 5, 16, 30)))
        (met,) = evaluate_clocks(answered, [STAGE_1], calendar=EW, now=london(2026, 6, 8))
        assert (met.status, met.met_at) == (ClockState.MET, london(2026, 6, 5, 16, 30))

    def test_a_custom_kind_pauses_and_extends_like_a_built_in_one(self):
        clock = attrs.evolve(
            STAGE_1,
            extension=Extension(event=ev.HoldingReplySent, target=CloseOfBusinessOnWorkingDay(20)),
        )
        case = case_of(
            london(2026, 5, 19, 9),
            ev.Acknowledged(at=london(2026, 5, 21, 10)),
            ev.InformationRequested(at=london(2026, 5, 22, 15)),
            ev.InformationReceived(at=london(2026, 5, 26, 11)),  # 2 + 2 working hours
        )
        (s,) = evaluate_clocks(case, [clock], calendar=EW, now=london(2026, 5, 27))
        assert s.paused_for == timedelta(hours=4)
        assert s.due_at == london(2026, 6, 8, 13)  # 17:00 on 5 June, plus four working hours
        held = case.apply(ev.HoldingReplySent(at=london(2026, 5, 28, 9)))
        (s,) = evaluate_clocks(held, [clock], calendar=EW, now=london(2026, 5, 28, 10))
        assert s.due_at == london(2026, 6, 22, 13)  # the 20th working day, 19 June, + 4 h

    def test_the_receipt_option_moves_the_start_for_any_kind(self):
        clock = Clock(
            name="x",
            target=CloseOfBusinessOnWorkingDay(1),
            stop_on=ev.FinalResponseSent,
            receipt_next_business_day=True,
        )
        saturday = london(2026, 12, 26, 11)
        # Without the option the Saturday counts as Thursday 24th (Christmas and the Boxing
        # Day substitute are holidays): one working day on is Tuesday 29th. With it, the
        # complaint is received on Tuesday 29th, and one working day on is Wednesday 30th.
        assert attrs.evolve(clock, receipt_next_business_day=False).due_from(
            saturday, EW, clock.target
        ) == london(2026, 12, 29, 17)
        assert clock.due_from(saturday, EW, clock.target) == london(2026, 12, 30, 17)

    def test_a_kind_must_be_an_instance_with_a_string_tag_and_an_aware_due(self):
        @attrs.frozen
        class NoTag:
            def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
                return start

        @attrs.frozen
        class NumberTag:
            tag: ClassVar[object] = 5

            def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
                return start

        @attrs.frozen
        class Naive:
            tag: ClassVar[str] = "naive"

            def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
                return start.replace(tzinfo=None)

        with pytest.raises(InvalidType, match=r"^Clock.target: expected one of BusinessDays"):
            Clock(name="x", target=NoTag(), stop_on=ev.Closed)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"got type"):
            Clock(name="x", target=BusinessDays, stop_on=ev.Closed)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"NumberTag.tag must be a non-empty str"):
            Clock(name="x", target=NumberTag(), stop_on=ev.Closed)
        clock = Clock(name="x", target=Naive(), stop_on=ev.Closed)
        with pytest.raises(InvalidType, match=r"^Naive.due: expected an aware datetime"):
            evaluate_clocks(case_of(london(2026, 6, 1, 9)), [clock], calendar=EW, now=NOW)

    def test_a_library_error_from_a_kind_names_the_clock_target(self):
        @attrs.frozen
        class CloseOfBusinessSameDay:
            tag: ClassVar[str] = "test.same_day"

            def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
                return calendar.close_of_business(start.astimezone(calendar.tz).date())

        clock = Clock(name="x", target=CloseOfBusinessSameDay(), stop_on=ev.Closed)
        saturday = london(2026, 6, 6, 10)
        with pytest.raises(ValidationError) as info:
            evaluate_clocks(case_of(saturday), [clock], calendar=EW, now=saturday)
        assert info.value.path == "Clock.target"
        assert info.value.message.endswith(
            "cannot be computed: 2026-06-06 is not a business day in 'England and Wales'"
        )
        assert isinstance(info.value.__cause__, ValidationError)

    def test_a_deadline_past_year_9999_is_a_validation_error(self):
        clock = Clock(name="x", target=CalendarDays(10**7), stop_on=ev.Closed)
        with pytest.raises(ValidationError, match=r"^Clock.target: CalendarDays\(n=10000000\)"):
            evaluate_clocks(case_of(london(2026, 6, 1, 9)), [clock], calendar=EW, now=NOW)
        # Due at the very end of 9999 (in UTC), then paused: the calendar places the pause
        # (7 working hours) on 31 December 9999 itself.
        utc = BusinessCalendar("UTC")
        received = datetime(9999, 12, 20, 10, tzinfo=UTC)
        clock = Clock(
            name="x", target=CalendarDays(10), stop_on=ev.Closed, pause_in="awaiting_customer"
        )
        case = case_of(received, ev.InformationRequested(at=received + timedelta(hours=1)))
        (status,) = evaluate_clocks(case, [clock], calendar=utc, now=received + timedelta(days=1))
        assert status.due_at == datetime(9999, 12, 31, 16, tzinfo=UTC)
        assert status.paused_for == timedelta(hours=7)


NOW = london(2026, 6, 1, 12)
STARTS = st.datetimes(datetime(2024, 1, 1), datetime(2028, 12, 31), timezones=st.just(LONDON))


@given(start=STARTS, n=st.integers(1, 40))
def test_a_custom_kind_agrees_with_the_built_in_arithmetic(start, n):
    due = CloseOfBusinessOnWorkingDay(n).due(start, EW)
    assert due == CloseOfBusinessAfter(n).due(start, EW)
    # Counted by hand, one day at a time: n working days after the start day, and the
    # deadline is the close of the last of them.
    day, counted = start.date(), 0
    while counted < n:
        day += timedelta(days=1)
        counted += EW.is_business_day(day)
    assert due == EW.close_of_business(day) == london(day.year, day.month, day.day, 17)


@given(
    received=STARTS,
    ack_after=OFFSETS,
    pause=st.tuples(OFFSETS, OFFSETS),
    now_after=OFFSETS,
)
def test_a_custom_clock_matches_the_same_clock_on_a_built_in_kind(
    received, ack_after, pause, now_after
):
    ack = later_by(received, ack_after)
    t1, t2 = (later_by(ack, m) for m in sorted(pause))
    case = case_of(
        received,
        ev.Acknowledged(at=ack),
        ev.InformationRequested(at=t1),
        ev.InformationReceived(at=t2),
    )
    built_in = attrs.evolve(STAGE_1, target=CloseOfBusinessAfter(10))
    now = later_by(t2, now_after)
    assert evaluate_clocks(case, [STAGE_1], calendar=EW, now=now) == evaluate_clocks(
        case, [built_in], calendar=EW, now=now
    )


def _due_before_kinds(clock, started_at, calendar, target):
    """`Clock.due_from` as it was when targets were a closed union: the oracle."""
    if isinstance(target, BusinessHours):
        return calendar.add_business_hours(started_at, target.duration)
    day = started_at.astimezone(calendar.tz).date()
    if clock.receipt_next_business_day and (
        not calendar.is_business_day(day) or started_at >= calendar.close_of_business(day)
    ):
        day = calendar.add_business_days(day, 1)
    end_of = lambda d: datetime.combine(d + timedelta(days=1), time(0), calendar.tz)  # noqa: E731
    if isinstance(target, CloseOfBusinessAfter):
        return calendar.close_of_business(calendar.add_business_days(day, target.n))
    if isinstance(target, BusinessDays):
        return end_of(calendar.add_business_days(day, target.n))
    if isinstance(target, CalendarDays):
        return end_of(day + timedelta(days=target.n))
    if isinstance(target, Weeks):
        return end_of(day + timedelta(weeks=target.n))
    return end_of(day + relativedelta(months=target.n))


ZONES = st.sampled_from(
    [LONDON, ZoneInfo("America/New_York"), ZoneInfo("Australia/Sydney"), ZoneInfo("Asia/Tokyo")]
)


@given(
    start=st.datetimes(datetime(2024, 1, 1), datetime(2028, 12, 31), timezones=ZONES),
    target=st.one_of(
        st.builds(BusinessDays, st.integers(0, 60)),
        st.builds(CloseOfBusinessAfter, st.integers(0, 60)),
        st.builds(CalendarDays, st.integers(0, 60)),
        st.builds(Weeks, st.integers(0, 12)),
        st.builds(Months, st.integers(0, 12)),
        st.builds(BusinessHours, st.integers(0, 100), st.integers(0, 59)),
    ),
    option=st.booleans(),
    calendar=st.sampled_from([EW, calendars.scotland(), calendars.us_federal()]),
)
def test_built_in_kinds_keep_their_deadlines(start, target, option, calendar):
    clock = Clock(name="x", target=target, stop_on=ev.Closed, receipt_next_business_day=option)
    due = clock.due_from(start, calendar, target)
    if option and target == BusinessHours(0):
        # The one change: with the option, a zero-hour target starting out of hours is due
        # at the start of the next business day, not at the moment of receipt.
        day = start.astimezone(calendar.tz).date()
        assert due >= start
        assert calendar.business_time_between(start, due) == timedelta(0)
        assert due.astimezone(calendar.tz).date() in (day, calendar.add_business_days(day, 1))
    else:
        assert due == _due_before_kinds(clock, start, calendar, target)


# -- wrong types: every error a RecoveryKitError that names the real field -------------------


class TestWrongTypes:
    @pytest.mark.parametrize(
        ("kwargs", "path"),
        [
            ({"stop_on": ["x"]}, r"Clock.stop_on\[0\]"),
            ({"stop_on": 5}, r"Clock.stop_on"),
            ({"stop_on": "closed"}, r"Clock.stop_on"),
            ({"start_on": [ev.Closed, 5]}, r"Clock.start_on\[1\]"),
            ({"restart_on": (None,)}, r"Clock.restart_on\[0\]"),
            ({"pause_in": 5}, r"Clock.pause_in"),
            ({"pause_in": ["awaiting_customer", 5]}, r"Clock.pause_in"),
            ({"pause_in": [[1]]}, r"Clock.pause_in"),
            ({"target": 5}, r"Clock.target"),
            ({"name": 5}, r"Clock.name"),
            ({"warning": 5}, r"Clock.warning"),
            ({"extension": 5}, r"Clock.extension"),
            ({"receipt_next_business_day": 1}, r"Clock.receipt_next_business_day"),
            ({"description": 5}, r"Clock.description"),
        ],
    )
    def test_clock(self, kwargs, path):
        args = {"name": "x", "target": Weeks(1), "stop_on": ev.Closed, **kwargs}
        with pytest.raises(InvalidType, match=rf"^{path}: expected"):
            Clock(**args)

    def test_extension_and_kinds(self):
        with pytest.raises(InvalidType, match=r"^Extension.event: expected an Event subclass"):
            Extension(event=5, target=Weeks(1))  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^Extension.event: .* got type"):
            Extension(event=str, target=Weeks(1))  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^Extension.target: expected one of"):
            Extension(event=ev.Closed, target="weeks")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^BusinessHours.minutes: expected int >= 0"):
            BusinessHours(1, "30")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^Weeks.n: expected int >= 0, got bool"):
            Weeks(True)
        with pytest.raises(UnknownName, match=r"^ClockState: unknown clock state 'done'"):
            ClockState("done")

    @pytest.mark.parametrize(
        ("kwargs", "path"),
        [
            ({"case": 5}, "case"),
            ({"clocks": 5}, "clocks"),
            ({"clocks": "final_response"}, "clocks"),
            ({"clocks": [5]}, r"clocks\[0\]"),
            ({"clocks": [RESOLUTION, "x"]}, r"clocks\[1\]"),
            ({"calendar": 5}, "calendar"),
            ({"calendar": "Europe/London"}, "calendar"),
            ({"now": "x"}, "now"),
            ({"now": 5}, "now"),
        ],
    )
    def test_evaluate_clocks(self, kwargs, path):
        args = {"case": case_of(NOW), "clocks": [RESOLUTION], "calendar": EW, "now": NOW}
        with pytest.raises(InvalidType, match=rf"^{path}: expected"):
            evaluate_clocks(**{**args, **kwargs})

    def test_due_from(self):
        with pytest.raises(InvalidType, match=r"^started_at: expected an aware datetime"):
            RESOLUTION.due_from("2026-06-01", EW, Weeks(1))  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^calendar: expected a BusinessCalendar"):
            RESOLUTION.due_from(NOW, None, Weeks(1))  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^target: expected one of"):
            RESOLUTION.due_from(NOW, EW, 5)  # type: ignore[arg-type]


# A calendar of its own: extending a calendar already used for 2026 to year 9999 is slow.
EW_9999 = calendars.england_and_wales()


@given(
    start=st.datetimes(datetime(9999, 10, 1), datetime(9999, 12, 31, 12), timezones=ZONES),
    pause=st.tuples(OFFSETS, OFFSETS),
    now_after=OFFSETS,
    target=st.one_of(
        st.builds(BusinessDays, st.integers(0, 60)),
        st.builds(CloseOfBusinessAfter, st.integers(0, 60)),
        st.builds(CalendarDays, st.integers(0, 90)),
        st.builds(Weeks, st.integers(0, 12)),
        st.builds(Months, st.integers(0, 3)),
        st.builds(BusinessHours, st.integers(0, 400), st.integers(0, 59)),
    ),
    option=st.booleans(),
)
def test_deadlines_near_year_9999_raise_only_validation_errors(
    start, pause, now_after, target, option
):
    clock = Clock(
        name="x",
        target=target,
        stop_on=ev.FinalResponseSent,
        pause_in="awaiting_customer",
        receipt_next_business_day=option,
    )
    # Every instant stays before 9999-12-31 12:00 UTC, which every zone can represent.
    room = max(0, int((datetime(9999, 12, 31, 12, tzinfo=UTC) - start).total_seconds() // 60))
    t1, t2 = (later_by(start, min(m, room)) for m in sorted(pause))
    now = later_by(start, min(max(pause) + now_after, room))
    case = case_of(start, ev.InformationRequested(at=t1), ev.InformationReceived(at=t2))
    try:
        (s,) = evaluate_clocks(case, [clock], calendar=EW_9999, now=now)
    except ValidationError as exc:
        assert exc.path in ("Clock.target", "Clock.pause_in", "clocks[0]")
    else:
        assert s.due_at is not None
