"""Regimes and clocks against wrong-typed input: only RecoveryKitError, with real paths."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import ClassVar
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    BusinessCalendar,
    Channel,
    Clock,
    ClockStatus,
    Complaint,
    CustomerRef,
    RecoveryKitError,
    calendars,
    clocks,
    evaluate_clocks,
    open_case,
    regimes,
)
from recoverykit import events as ev
from recoverykit.clocks import (
    BusinessDays,
    BusinessHours,
    CalendarDays,
    ClockState,
    CloseOfBusinessAfter,
    Extension,
    Months,
    Weeks,
    check_clocks,
    unknown_names,
)
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.regimes import (
    Regime,
    asic_rg271,
    eu_adr,
    fca_disp,
    helpdesk_sla,
    reg_e,
    reg_x,
)

LONDON = ZoneInfo("Europe/London")
EW = calendars.england_and_wales()
NOW = datetime(2026, 6, 1, 12, tzinfo=LONDON)
CASE = open_case(
    Complaint(
        id="C-1",
        customer=CustomerRef("c"),
        channel=Channel.PHONE,
        received_at=datetime(2026, 6, 1, 9, tzinfo=LONDON),
    )
)
CLOCK = Clock(name="final_response", target=Weeks(8), stop_on=ev.FinalResponseSent)


class TestRegimeWrongTypes:
    @pytest.mark.parametrize(
        ("kwargs", "path"),
        [
            ({"clocks": [5]}, r"Regime.clocks\[0\]"),
            ({"clocks": [CLOCK, "x"]}, r"Regime.clocks\[1\]"),
            ({"clocks": 5}, r"Regime.clocks"),
            ({"clocks": CLOCK}, r"Regime.clocks"),
            ({"name": 5}, r"Regime.name"),
            ({"reference": None}, r"Regime.reference"),
            ({"closed_days": 5}, r"Regime.closed_days"),
            ({"closed_days": "25 December"}, r"Regime.closed_days"),
        ],
    )
    def test_regime(self, kwargs, path):
        args = {"name": "x", "reference": "y", "clocks": [CLOCK], **kwargs}
        with pytest.raises(InvalidType, match=rf"^{path}: expected"):
            Regime(**args)

    def test_closed_days_may_be_any_container_of_dates(self):
        regime = Regime(name="x", reference="y", clocks=[CLOCK], closed_days={date(2026, 6, 2)})
        assert not regime.calendar_for(EW).is_business_day(date(2026, 6, 2))

    @pytest.mark.parametrize(
        ("kwargs", "path"),
        [
            ({"case": "C-1"}, "case"),
            ({"calendar": 5}, "calendar"),
            ({"calendar": None}, "calendar"),
            ({"now": "2026-06-01"}, "now"),
        ],
    )
    def test_evaluate(self, kwargs, path):
        args = {"case": CASE, "calendar": EW, "now": NOW, **kwargs}
        with pytest.raises(InvalidType, match=rf"^{path}: expected"):
            regimes.FCA_DISP.evaluate(**args)

    def test_lookup(self):
        with pytest.raises(UnknownName, match=r"^name: no clock 'nope' in FCA DISP; known: summ"):
            regimes.FCA_DISP.clock("nope")
        with pytest.raises(InvalidType, match=r"^name: expected a clock name \(str\), got int"):
            regimes.FCA_DISP.clock(5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^calendar: expected a BusinessCalendar"):
            regimes.FCA_DISP.calendar_for("Europe/London")  # type: ignore[arg-type]

    def test_factories(self):
        with pytest.raises(InvalidType, match=r"^receipt_next_business_day: expected bool"):
            fca_disp(receipt_next_business_day="yes")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^days: expected int >= 0, got str '30'"):
            asic_rg271("30")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"^days: -1 is negative"):
            asic_rg271(-1)
        with pytest.raises(InvalidType, match=r"^variant: expected a non-empty str"):
            asic_rg271(30, variant=5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^complex_dispute: expected bool, got str"):
            eu_adr(complex_dispute="yes")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^new_account: expected bool, got int"):
            reg_e(new_account=1)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^pos_or_foreign: expected bool, got NoneType"):
            reg_e(pos_or_foreign=None)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^payoff_balance: expected bool, got str"):
            reg_x(payoff_balance="no")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^resolution: expected one of BusinessDays"):
            helpdesk_sla(resolution=5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"^warning: expected a timedelta or None"):
            helpdesk_sla(warning=60)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"^warning: expected a non-negative"):
            helpdesk_sla(warning=timedelta(hours=-1))

    def test_factories_take_any_deadline_kind(self):
        @attrs.frozen
        class EndOfNextMonth:
            tag: ClassVar[str] = "test.end_of_next_month"

            def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
                return Months(1).due(start, calendar)

        regime = helpdesk_sla(resolution=EndOfNextMonth())
        resolution = regime.evaluate(CASE, calendar=EW, now=NOW)[-1]
        assert resolution.due_at == datetime(2026, 7, 2, tzinfo=LONDON)  # end of 1 July


# -- a fuzz of every public constructor and function of clocks and regimes ------------------


@attrs.frozen
class _TaglessKind:
    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        return start


@attrs.frozen
class _JunkDueKind:
    tag: ClassVar[str] = "test.junk_due"
    result: object = None

    def due(self, start: datetime, calendar: BusinessCalendar) -> object:
        return self.result


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**30), 10**30),
    st.floats(),
    st.complex_numbers(),
    st.decimals(),
    st.just(Decimal("NaN")),
    st.text(max_size=6),
    st.binary(max_size=6),
    st.dates(),
    st.datetimes(),  # naive
    st.datetimes(timezones=st.timezones()),  # aware, any year
    st.timedeltas(),
    st.sampled_from(
        [object(), int, str, type, object, ev.Event, ev.Closed, Clock, Weeks, ClockState.MET]
    ),
    st.sampled_from([EW, CASE, CLOCK, Weeks(1), BusinessHours(0), regimes.FCA_DISP]),
    st.builds(_TaglessKind),
    st.builds(_JunkDueKind, st.one_of(st.none(), st.integers(), st.datetimes())),
)
JUNK = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=3),
    st.tuples(_SCALARS),
    st.frozensets(st.one_of(st.integers(), st.text(max_size=3)), max_size=3),
    st.dictionaries(st.text(max_size=3), _SCALARS, max_size=2),
    st.iterables(_SCALARS, max_size=3),
)

#: Every public constructor and function of `clocks` and `regimes`, with valid arguments.
CALLS = {
    "BusinessDays": (BusinessDays, {"n": 3}),
    "CloseOfBusinessAfter": (CloseOfBusinessAfter, {"n": 3}),
    "CalendarDays": (CalendarDays, {"n": 3}),
    "Weeks": (Weeks, {"n": 3}),
    "Months": (Months, {"n": 3}),
    "BusinessHours": (BusinessHours, {"hours": 3, "minutes": 30}),
    "Extension": (Extension, {"event": ev.HoldingReplySent, "target": BusinessDays(35)}),
    "Clock": (
        Clock,
        {
            "name": "x",
            "target": Weeks(1),
            "stop_on": ev.FinalResponseSent,
            "start_on": ev.ComplaintReceived,
            "pause_in": "awaiting_customer",
            "restart_on": (ev.Reopened,),
            "warning": timedelta(hours=1),
            "extension": Extension(event=ev.HoldingReplySent, target=Weeks(2)),
            "receipt_next_business_day": True,
            "description": "why",
        },
    ),
    "Clock.due_from": (
        CLOCK.due_from,
        {"started_at": NOW, "calendar": EW, "target": BusinessHours(3)},
    ),
    "Clock.check": (CLOCK.check, {"lifecycle": COMPLAINT_LIFECYCLE}),
    "check_clocks": (check_clocks, {"clocks": [CLOCK], "lifecycle": COMPLAINT_LIFECYCLE}),
    "unknown_names": (unknown_names, {"clocks": [CLOCK], "lifecycle": COMPLAINT_LIFECYCLE}),
    "ClockState": (ClockState, {"value": "met"}),
    "ClockStatus": (ClockStatus, {"name": "x", "status": ClockState.MET}),
    "evaluate_clocks": (
        evaluate_clocks,
        {"case": CASE, "clocks": [CLOCK], "calendar": EW, "now": NOW},
    ),
    "Regime": (
        Regime,
        {"name": "x", "reference": "y", "clocks": [CLOCK], "closed_days": None},
    ),
    "Regime.clock": (regimes.FCA_DISP.clock, {"name": "final_response"}),
    "Regime.calendar_for": (regimes.FCA_DISP.calendar_for, {"calendar": EW}),
    "Regime.check": (regimes.HELPDESK.check, {"lifecycle": COMPLAINT_LIFECYCLE}),
    "Regime.evaluate": (regimes.FCA_DISP.evaluate, {"case": CASE, "calendar": EW, "now": NOW}),
    "Regime.explain": (regimes.FCA_DISP.explain, {"case": CASE, "calendar": EW, "now": NOW}),
    "explain_clocks": (
        clocks.explain_clocks,
        {"case": CASE, "clocks": [CLOCK], "calendar": EW, "now": NOW},
    ),
    "Suspension": (
        clocks.Suspension,
        {
            "name": "s",
            "first_day": date(2026, 1, 1),
            "last_day": date(2026, 2, 1),
            "received_from": date(2025, 1, 1),
            "received_to": date(2026, 2, 1),
            "tags": ["t"],
            "reference": "r",
        },
    ),
    "LaterOf": (clocks.LaterOf, {"target": Weeks(1), "day": date(2026, 7, 29)}),
    "SwitchOn": (
        clocks.SwitchOn,
        {"day": date(2026, 1, 30), "before": Weeks(1), "after": Weeks(2)},
    ),
    "RegimeVersion": (
        regimes.RegimeVersion,
        {"effective_from": date(2026, 1, 1), "regime": regimes.FCA_DISP},
    ),
    "DatedRegime": (
        regimes.DatedRegime,
        {
            "name": "d",
            "versions": [regimes.RegimeVersion(date(2020, 1, 1), regimes.FCA_DISP)],
            "chosen_by": "now",
            "on_change": "o",
        },
    ),
    "DatedRegime.as_of": (regimes.OFCOM.as_of, {"day": date(2026, 5, 1)}),
    "DatedRegime.version_for": (
        regimes.OFCOM.version_for,
        {"case": CASE, "calendar": EW, "now": NOW},
    ),
    "DatedRegime.evaluate": (regimes.OFCOM.evaluate, {"case": CASE, "calendar": EW, "now": NOW}),
    "DatedRegime.explain": (regimes.OFCOM.explain, {"case": CASE, "calendar": EW, "now": NOW}),
    "DatedRegime.check": (regimes.OFCOM.check, {"lifecycle": COMPLAINT_LIFECYCLE}),
    "fca_disp": (fca_disp, {"receipt_next_business_day": True}),
    "asic_rg271": (asic_rg271, {"days": 21, "variant": "hardship"}),
    "eu_adr": (eu_adr, {"complex_dispute": True}),
    "reg_e": (reg_e, {"new_account": True, "pos_or_foreign": True}),
    "reg_x": (reg_x, {"payoff_balance": True}),
    "helpdesk_sla": (
        helpdesk_sla,
        {
            "first_reply": BusinessHours(1),
            "next_reply": BusinessHours(4),
            "periodic_update": BusinessDays(2),
            "resolution": BusinessDays(5),
            "warning": None,
        },
    ),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_call_works_with_valid_arguments(name):
    fn, kwargs = CALLS[name]
    fn(**kwargs)


def _call(fn, args):
    try:
        result = fn(**args)
        if isinstance(result, Clock | Regime):  # a clock that was built must also evaluate
            clocks = result.clocks if isinstance(result, Regime) else [result]
            evaluate_clocks(CASE, clocks, calendar=EW, now=NOW)
    except RecoveryKitError:
        pass


@pytest.mark.parametrize(
    ("name", "arg"), [(name, arg) for name in sorted(CALLS) for arg in sorted(CALLS[name][1])]
)
@given(value=JUNK)
def test_a_wrong_typed_argument_raises_only_recoverykit_errors(name, arg, value):
    fn, kwargs = CALLS[name]
    _call(fn, {**kwargs, arg: value})


@pytest.mark.parametrize("name", sorted(CALLS))
@given(data=st.data())
def test_wrong_typed_arguments_together_raise_only_recoverykit_errors(name, data):
    fn, kwargs = CALLS[name]
    wrong = data.draw(st.sets(st.sampled_from(sorted(kwargs)), min_size=1), label="wrong")
    _call(fn, {**kwargs, **{k: data.draw(JUNK, label=k) for k in sorted(wrong)}})
