"""Issue 13 regimes: worked examples with due dates counted by hand from each rule.

Every expected date below was counted on a calendar from the rule's text, not computed by
the code under test; the comments show the counting. ``due`` values are exclusive: the end
of the last day is midnight of the next.
"""

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from recoverykit import (
    BusinessCalendar,
    Channel,
    Complaint,
    CustomerRef,
    Outcome,
    calendars,
    regimes,
    replay,
)
from recoverykit import events as ev
from recoverykit.clocks import BusinessDays, ClockState, ClockStatus
from recoverykit.regimes import Regime

LONDON = ZoneInfo("Europe/London")
DUBLIN = ZoneInfo("Europe/Dublin")
SYDNEY = ZoneInfo("Australia/Sydney")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
EW = calendars.england_and_wales()
US = calendars.us_federal()
DOCS = Path(__file__).resolve().parent.parent / "docs"

MET, RUNNING, BREACHED, PENDING = (
    ClockState.MET,
    ClockState.RUNNING,
    ClockState.BREACHED,
    ClockState.PENDING,
)


def uk(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)  # type: ignore[misc]


def received(at: datetime) -> ev.ComplaintReceived:
    complaint = Complaint(
        id="T-1", customer=CustomerRef("c"), channel=Channel.EMAIL, received_at=at
    )
    return ev.ComplaintReceived(at=at, complaint=complaint)


def final(at: datetime) -> ev.FinalResponseSent:
    return ev.FinalResponseSent(at=at, outcome=Outcome.UPHELD, referral_rights_given=True)


def statuses(
    regime: Regime, events: Sequence[ev.Event], calendar: BusinessCalendar, now: datetime
) -> dict[str, ClockStatus]:
    return {s.name: s for s in regime.evaluate(replay(events), calendar=calendar, now=now)}


def seen(regime, events, calendar, now):
    """``{clock: (status, due_at)}``."""
    return {n: (s.status, s.due_at) for n, s in statuses(regime, events, calendar, now).items()}


# -- every regime cites an instrument and a date; every clock says what it encodes ---------

#: The instrument each regime's reference must name. Adding a regime to `regimes.__all__`
#: without an entry here fails `test_the_table_covers_every_regime`.
INSTRUMENTS = {
    "ASIC_RG271": "Regulatory Guide 271",
    "ASIC_RG271_HARDSHIP": "Regulatory Guide 271",
    "ASIC_RG271_SUPERANNUATION": "Regulatory Guide 271",
    "CBI_CPC": "Consumer Protection Code 2025",
    "CBI_CPC_2012": "Consumer Protection Code 2012",
    "CBI_CPC_2025": "Consumer Protection Code 2025",
    "CFPB": "CFPB Company Portal Manual",
    "DUAA_COMPLAINTS": "Data (Use and Access) Act 2025",
    "EU_ADR": "Directive (EU) 2025/2647",
    "FCA_DISP": "FCA Handbook DISP",
    "FCA_MOTOR_FINANCE": "DISP App 5",
    "FCA_PAYMENTS": "FCA Handbook DISP 1.6.2AR",
    "HOUSING_OMBUDSMAN": "Housing Ombudsman Complaint Handling Code 2024",
    "LGSCO": "LGSCO Complaint Handling Code",
    "OFCOM_6_WEEKS": "Ofcom General Condition C4",
    "OFCOM_8_WEEKS": "Ofcom General Condition C4",
    "OFGEM": "Gas and Electricity (Consumer Complaints Handling Standards) Regulations 2008",
    "OFWAT_GSS": "(SI 2008/594), regulation 7",
    "PSR_APP_SCAMS": "Specific Direction 20",
    "REG_E": "12 CFR 1005.11(c)",
    "REG_X": "12 CFR 1024.35",
    "REG_Z": "12 CFR 1026.13(c)",
}
#: Not a regulator's rule: its reference says so instead.
POLICIES = {"HELPDESK": "not by a regulator"}

REGIME_NAMES = sorted(n for n in regimes.__all__ if isinstance(getattr(regimes, n), regimes.Regime))
FACTORY_VARIANTS = [
    regimes.fca_disp(receipt_next_business_day=True),
    regimes.asic_rg271(10, variant="custom"),
    regimes.eu_adr(complex_dispute=True),
    regimes.reg_e(new_account=True),
    regimes.reg_e(pos_or_foreign=True),
    regimes.reg_x(payoff_balance=True),
    regimes.helpdesk_sla(),
]


def test_the_table_covers_every_regime():
    assert sorted({**INSTRUMENTS, **POLICIES}) == REGIME_NAMES


@pytest.mark.parametrize("name", REGIME_NAMES)
def test_every_regime_names_its_instrument_and_a_date(name):
    reference = getattr(regimes, name).reference
    assert reference.strip()
    if name in POLICIES:
        assert POLICIES[name] in reference
        return
    assert INSTRUMENTS[name] in reference
    assert re.search(r"\b(19|20)\d\d\b", reference), f"{name}: no year in {reference!r}"


@pytest.mark.parametrize(
    "regime",
    [*(getattr(regimes, n) for n in REGIME_NAMES), *FACTORY_VARIANTS],
    ids=lambda r: r.name,
)
def test_every_clock_has_a_description(regime):
    assert regime.reference.strip()
    for clock in regime.clocks:
        assert clock.description, f"{regime.name}.{clock.name}"
        assert clock.description.strip(), f"{regime.name}.{clock.name}"


@pytest.mark.parametrize("name", regimes.__all__)
def test_every_public_name_is_in_the_api_reference(name):
    api = (DOCS / "api" / "regimes.md").read_text(encoding="utf-8")
    value = getattr(regimes, name)
    if callable(value):  # Regime and the factories: automodule documents them from __all__
        assert value.__doc__
    else:
        assert f".. py:data:: {name}\n" in api


@pytest.mark.parametrize("name", [n for n in REGIME_NAMES if n != "HELPDESK"])
def test_every_regime_has_a_section_in_the_regimes_page(name):
    headings = [
        line
        for line in (DOCS / "regimes.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("### ")
    ]
    assert any(f"`{name}`" in h for h in headings)


# -- UK: FCA ---------------------------------------------------------------------------------


class TestFcaCorrections:
    def test_cites_disp_1_5_1r_and_says_the_next_business_day_guidance_is_deleted(self):
        reference = regimes.FCA_DISP.reference
        assert "DISP 1.5.1R" in reference
        assert "1.5.2" not in reference
        assert "DISP 1.5.1R" in (regimes.FCA_DISP.clock("summary_resolution").description or "")
        assert "deleted" in (regimes.fca_disp.__doc__ or "")

    def test_a_saturday_complaint_with_and_without_the_option(self):
        # Saturday 4 July 2026. The day of receipt counts as Friday 3 July (the business day
        # before it): the third business day after it is Wednesday 8 July. With the option
        # the complaint is received at the start of Monday 6 July: Thursday 9 July.
        events = [received(uk(2026, 7, 4, 11))]
        strict = seen(regimes.FCA_DISP, events, EW, uk(2026, 7, 4, 12))
        lenient = seen(
            regimes.fca_disp(receipt_next_business_day=True), events, EW, uk(2026, 7, 4, 12)
        )
        assert strict["summary_resolution"] == (RUNNING, uk(2026, 7, 8, 17))
        assert lenient["summary_resolution"] == (RUNNING, uk(2026, 7, 9, 17))


# -- UK: PSR APP scams -----------------------------------------------------------------------


class TestPsrAppScams:
    claim = received(uk(2026, 12, 21, 10))  # Monday

    def test_five_business_days_over_christmas(self):
        # 22 (1), 23 (2), 24 (3), 25 and 28 holidays, 29 (4), 30 (5): end of Wed 30 December.
        got = seen(regimes.PSR_APP_SCAMS, [self.claim], EW, self.claim.at)
        assert got == {"reimbursement": (RUNNING, uk(2026, 12, 31))}

    def test_stopping_the_clock_moves_the_deadline_to_35_business_days(self):
        # 31 Dec (6), 1 Jan holiday, 4-8 Jan (7-11), 11-15 (12-16), 18-22 (17-21),
        # 25-29 (22-26), 1-5 Feb (27-31), 8-11 Feb (32-35): end of Thursday 11 February 2027.
        stopped = ev.HoldingReplySent(at=uk(2026, 12, 23, 9))
        decided = final(uk(2027, 2, 3, 15))
        got = seen(regimes.PSR_APP_SCAMS, [self.claim, stopped, decided], EW, uk(2027, 2, 4))
        assert got == {"reimbursement": (MET, uk(2027, 2, 12))}

    def test_a_decision_after_five_business_days_without_stopping_the_clock_is_late(self):
        events = [self.claim, final(uk(2027, 1, 4, 10))]
        (s,) = regimes.PSR_APP_SCAMS.evaluate(replay(events), calendar=EW, now=uk(2027, 1, 5))
        assert (s.status, s.breached_at) == (BREACHED, uk(2026, 12, 31))

    def test_the_13_month_window_is_in_the_reference_not_a_clock(self):
        assert "13 months" in regimes.PSR_APP_SCAMS.reference
        assert [c.name for c in regimes.PSR_APP_SCAMS.clocks] == ["reimbursement"]


# -- UK: housing and local government --------------------------------------------------------


class TestHousingOmbudsman:
    events = (
        received(uk(2026, 3, 2, 9)),  # Monday
        ev.Acknowledged(at=uk(2026, 3, 4, 12)),
        final(uk(2026, 3, 19, 10)),  # stage 1, a day late
        ev.Reopened(at=uk(2026, 4, 10, 9), reason="stage 2"),  # Friday
        ev.ReplySent(at=uk(2026, 4, 17, 16)),  # the stage 2 acknowledgement, 5th working day
        ev.HoldingReplySent(at=uk(2026, 5, 5, 10)),  # stage 2 extension
        final(uk(2026, 6, 8, 11)),  # stage 2 response
    )

    def test_paragraph_numbers_are_the_2024_codes(self):
        descriptions = " ".join(c.description or "" for c in regimes.HOUSING_OMBUDSMAN.clocks)
        for para in ("6.2", "6.3", "6.4", "6.11"):
            assert f"Code {para}" in descriptions or f"{para}:" in descriptions
        assert "Code 5." not in descriptions

    def test_both_stages_with_extensions_and_the_referral_window(self):
        got = seen(regimes.HOUSING_OMBUDSMAN, self.events, EW, uk(2026, 6, 9))
        assert got == {
            # 3, 4, 5, 6, 9 March: end of Monday 9 March.
            "acknowledgement": (MET, uk(2026, 3, 10)),
            # 10 working days after Wed 4 March: 5, 6, 9-13, 16, 17, 18: end of Wed 18 March.
            "stage_1_response": (BREACHED, uk(2026, 3, 19)),
            # 13-17 April: end of Friday 17 April.
            "stage_2_acknowledgement": (MET, uk(2026, 4, 18)),
            # 40 working days after Fri 10 April (extended), skipping 4 and 25 May: 13 April
            # (1) ... 11 May (20), 12 May (21) ... 22 May (29), 26 May (30) ... 9 June (40).
            "stage_2_response": (MET, uk(2026, 6, 10)),
            # 12 months after the stage 2 response of 8 June 2026.
            "ombudsman_referral": (RUNNING, uk(2027, 6, 9)),
        }
        assert (
            statuses(regimes.HOUSING_OMBUDSMAN, self.events, EW, uk(2026, 6, 9))[
                "ombudsman_referral"
            ].cycles
            == 2
        )

    def test_without_the_extension_stage_2_is_due_20_working_days_after_the_escalation(self):
        # 13-17 Apr (1-5), 20-24 (6-10), 27-30 Apr and 1 May (11-15), 4 May holiday,
        # 5-8 May (16-19), 11 May (20): end of Monday 11 May.
        got = seen(regimes.HOUSING_OMBUDSMAN, self.events[:5], EW, uk(2026, 4, 20))
        assert got["stage_2_response"] == (RUNNING, uk(2026, 5, 12))

    def test_the_clock_is_never_later_than_the_codes_own_date(self):
        # The Code: 20 working days after the acknowledgement of Fri 17 April: 20-24 Apr (1-5),
        # 27 Apr-1 May (6-10), 5-8 May (11-14), 11-15 May (15-19), 18 May (20): end of 18 May.
        ack = statuses(regimes.HOUSING_OMBUDSMAN, self.events[:5], EW, uk(2026, 4, 20))[
            "stage_2_acknowledgement"
        ]
        assert ack.met_at is not None
        codes = BusinessDays(20).due(ack.met_at, EW)
        assert codes == uk(2026, 5, 19)
        assert uk(2026, 5, 12) <= codes  # the clock's date, 3 working days earlier

    def test_the_referral_window_after_stage_1_closes_when_the_resident_escalates(self):
        after_stage_1 = seen(regimes.HOUSING_OMBUDSMAN, self.events[:3], EW, uk(2026, 4, 1))
        assert after_stage_1["ombudsman_referral"] == (RUNNING, uk(2027, 3, 20))
        escalated = statuses(regimes.HOUSING_OMBUDSMAN, self.events[:4], EW, uk(2026, 4, 11))
        assert escalated["ombudsman_referral"].status is MET
        assert escalated["ombudsman_referral"].met_at == uk(2026, 4, 10, 9)


class TestLgsco:
    def test_stage_1_with_an_extension_over_the_summer_bank_holiday(self):
        events = [
            received(uk(2026, 8, 17, 10)),  # Monday
            ev.Acknowledged(at=uk(2026, 8, 18, 9)),
            ev.HoldingReplySent(at=uk(2026, 8, 27, 9)),
        ]
        got = seen(regimes.LGSCO, events, EW, uk(2026, 8, 28))
        assert got == {
            # 18, 19, 20, 21, 24 August: end of Monday 24 August.
            "acknowledgement": (MET, uk(2026, 8, 25)),
            # 20 working days after Tue 18 Aug, 31 Aug a holiday: 19-21 (1-3), 24-28 (4-8),
            # 1-4 Sep (9-12), 7-11 (13-17), 14-16 (18-20): end of Wednesday 16 September.
            "stage_1_response": (RUNNING, uk(2026, 9, 17)),
            "stage_2_acknowledgement": (PENDING, None),
            "stage_2_response": (PENDING, None),
        }

    def test_cites_the_lgsco_code_and_its_start_in_investigations(self):
        assert "1 April 2026" in regimes.LGSCO.reference
        assert "not statutory" in regimes.LGSCO.reference


# -- UK: Ofcom, Ofgem, Ofwat, DUAA -----------------------------------------------------------


class TestOfcom:
    events = (received(uk(2026, 3, 1, 20)), final(uk(2026, 4, 20, 10)))  # Sunday 1 March

    def test_six_and_eight_weeks(self):
        # 1 March + 42 days = 12 April; + 56 days = 26 April.
        six = statuses(regimes.OFCOM_6_WEEKS, self.events, EW, uk(2026, 4, 21))
        eight = statuses(regimes.OFCOM_8_WEEKS, self.events, EW, uk(2026, 4, 21))
        assert (six["final_response"].status, six["final_response"].due_at) == (
            BREACHED,
            uk(2026, 4, 13),
        )
        assert six["final_response"].breached_at == uk(2026, 4, 13)
        assert (eight["final_response"].status, eight["final_response"].due_at) == (
            MET,
            uk(2026, 4, 27),
        )

    def test_the_references_carry_the_dates(self):
        assert "8 April 2026" in regimes.OFCOM_6_WEEKS.reference
        assert "8 July 2025" in regimes.OFCOM_6_WEEKS.reference
        assert "before 8 April 2026" in regimes.OFCOM_8_WEEKS.reference


class TestOfgem:
    def test_eight_weeks_then_twelve_months_from_the_deadlock_letter(self):
        complaint = received(uk(2026, 9, 30, 14))  # Wednesday
        # 30 September + 56 days = 25 November.
        late = seen(regimes.OFGEM, [complaint], EW, uk(2026, 12, 1))
        assert late["final_response"] == (BREACHED, uk(2026, 11, 26))
        deadlock = final(uk(2026, 12, 2, 10))
        got = seen(regimes.OFGEM, [complaint, deadlock], EW, uk(2026, 12, 3))
        assert got["ombudsman_referral"] == (RUNNING, uk(2027, 12, 3))
        referred = ev.ReferredToOmbudsman(at=uk(2027, 1, 10, 10), body="Energy Ombudsman")
        got = seen(regimes.OFGEM, [complaint, deadlock, referred], EW, uk(2027, 1, 11))
        assert got["ombudsman_referral"] == (MET, uk(2027, 12, 3))


class TestOfwat:
    @pytest.mark.parametrize(
        "at",
        [uk(2026, 5, 29, 16), uk(2026, 5, 30, 10)],  # Friday, Saturday
        ids=["friday", "saturday"],
    )
    def test_ten_working_days_from_the_day_after_receipt(self, at):
        # The first day of the period is the day after receipt; the first working day is
        # Monday 1 June either way: 1-5 June (1-5), 8-12 June (6-10): end of Friday 12 June.
        got = seen(regimes.OFWAT_GSS, [received(at)], EW, at)
        assert got == {"substantive_reply": (RUNNING, uk(2026, 6, 13))}


class TestDuaa:
    @pytest.mark.parametrize(
        ("at", "due"),
        [
            # Day 1 is 30 June; day 30 is 29 July.
            (uk(2026, 6, 30, 23, 30), uk(2026, 7, 30)),
            # Day 1 is 31 December; day 30 is 29 January 2027.
            (uk(2026, 12, 31, 9), uk(2027, 1, 30)),
        ],
    )
    def test_thirty_days_beginning_on_the_day_of_receipt(self, at, due):
        got = seen(regimes.DUAA_COMPLAINTS, [received(at)], EW, at)
        assert got == {"acknowledgement": (RUNNING, due)}

    def test_an_acknowledgement_on_day_29_meets_it(self):
        events = [received(uk(2026, 12, 31, 9)), ev.Acknowledged(at=uk(2027, 1, 28, 12))]
        got = seen(regimes.DUAA_COMPLAINTS, events, EW, uk(2027, 2, 1))
        assert got == {"acknowledgement": (MET, uk(2027, 1, 30))}

    def test_the_reference_gives_the_commencement(self):
        assert "19 June 2026" in regimes.DUAA_COMPLAINTS.reference


# -- Ireland ---------------------------------------------------------------------------------


class TestCbi:
    cal = BusinessCalendar(
        "Europe/Dublin",
        holidays_from=[{date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)}],
    )

    def test_cbi_cpc_means_the_2025_code_and_the_2012_one_stays(self):
        assert regimes.CBI_CPC is regimes.CBI_CPC_2025
        assert "24 March 2026" in regimes.CBI_CPC_2025.reference
        assert "not verified" in regimes.CBI_CPC_2025.reference
        assert "10.9" in regimes.CBI_CPC_2012.reference
        assert [c.target for c in regimes.CBI_CPC_2012.clocks] == [
            c.target for c in regimes.CBI_CPC_2025.clocks
        ]

    @pytest.mark.parametrize("regime", [regimes.CBI_CPC_2012, regimes.CBI_CPC_2025])
    def test_five_twenty_forty_business_days_over_christmas(self, regime):
        at = datetime(2026, 12, 14, 10, tzinfo=DUBLIN)  # Monday

        def end_of(*ymd: int) -> datetime:
            return datetime(*ymd, tzinfo=DUBLIN)  # type: ignore[misc]

        got = seen(regime, [received(at)], self.cal, at)
        assert got == {
            # 15-18, 21 December: end of Monday 21 December.
            "acknowledgement": (RUNNING, end_of(2026, 12, 22)),
            # 22-24 Dec (6-8), 29-31 (9-11), 4-8 Jan (12-16), 11-14 Jan (17-20).
            "periodic_update": (RUNNING, end_of(2027, 1, 15)),
            # 15 Jan (21), 18-22 (22-26), 25-29 (27-31), 1-5 Feb (32-36), 8-11 Feb (37-40).
            "final_response": (RUNNING, end_of(2027, 2, 12)),
        }


# -- Australia -------------------------------------------------------------------------------


def test_afca_referral_runs_two_years_from_the_final_idr_response():
    events = [
        received(datetime(2026, 7, 1, 10, tzinfo=SYDNEY)),
        final(datetime(2026, 7, 31, 10, tzinfo=SYDNEY)),
    ]
    cal = BusinessCalendar("Australia/Sydney")
    got = seen(regimes.ASIC_RG271, events, cal, datetime(2026, 8, 1, tzinfo=SYDNEY))
    assert got["afca_referral"] == (RUNNING, datetime(2028, 8, 1, tzinfo=SYDNEY))
    referred = ev.ReferredToOmbudsman(at=datetime(2027, 9, 1, tzinfo=SYDNEY), body="AFCA")
    got = seen(regimes.ASIC_RG271, [*events, referred], cal, datetime(2027, 9, 2, tzinfo=SYDNEY))
    assert got["afca_referral"] == (MET, datetime(2028, 8, 1, tzinfo=SYDNEY))


# -- United States ---------------------------------------------------------------------------


class TestCfpb:
    def test_the_reference_says_portal_expectations_not_statute(self):
        assert "not a statute or regulation" in regimes.CFPB.reference
        assert "sending the complaint to the company" in regimes.CFPB.reference

    def test_fifteen_and_sixty_calendar_days_across_the_end_of_summer_time(self):
        # Friday 30 October 2026 + 15 = 14 November; + 60 = 29 December.
        got = seen(regimes.CFPB, [received(ny(2026, 10, 30, 12))], US, ny(2026, 11, 20))
        assert got == {
            "company_response": (BREACHED, ny(2026, 11, 15)),
            "final_response": (RUNNING, ny(2026, 12, 30)),
        }


class TestRegE:
    def test_a_new_account_20_business_days_then_90_days(self):
        notice = received(ny(2026, 12, 1, 10))  # Tuesday
        # 2-4 Dec (1-3), 7-11 (4-8), 14-18 (9-13), 21-24 (14-17), 25 Christmas,
        # 28-30 (18-20): end of Wednesday 30 December.
        first = seen(regimes.reg_e(new_account=True), [notice], US, notice.at)
        assert first == {"investigation": (RUNNING, ny(2026, 12, 31))}
        # Provisional credit: 1 December + 90 days = 1 March 2027.
        credit = ev.HoldingReplySent(at=ny(2026, 12, 29, 15))
        report = final(ny(2027, 2, 15, 10))
        got = seen(regimes.reg_e(new_account=True), [notice, credit, report], US, ny(2027, 2, 16))
        assert got == {"investigation": (MET, ny(2027, 3, 2))}

    def test_provisional_credit_after_ten_business_days_is_late(self):
        # Monday 2 November 2026; Veterans Day (11 Nov) is not a business day: 3-6 (1-4),
        # 9-10 (5-6), 12-13 (7-8), 16-17 (9-10): end of Tuesday 17 November.
        events = [received(ny(2026, 11, 2, 10)), ev.HoldingReplySent(at=ny(2026, 11, 19, 9))]
        (s,) = regimes.REG_E.evaluate(replay(events), calendar=US, now=ny(2026, 11, 20))
        assert (s.status, s.breached_at) == (BREACHED, ny(2026, 11, 18))
        assert s.due_at == ny(2026, 12, 18)  # 2 November + 45 days = 17 December

    def test_point_of_sale_takes_ten_business_days_then_ninety_days(self):
        regime = regimes.reg_e(pos_or_foreign=True)
        notice = received(ny(2026, 11, 2, 10))
        assert seen(regime, [notice], US, notice.at) == {
            "investigation": (RUNNING, ny(2026, 11, 18))
        }
        credit = ev.HoldingReplySent(at=ny(2026, 11, 13, 15))
        # 2 November + 90 days = 31 January 2027.
        got = seen(regime, [notice, credit], US, credit.at)
        assert got == {"investigation": (RUNNING, ny(2027, 2, 1))}


class TestRegZ:
    def test_thirty_and_ninety_days(self):
        notice = received(ny(2026, 1, 31, 10))  # Saturday
        # 31 January + 30 days = 2 March; + 90 days = 1 May (summer time by then).
        got = seen(regimes.REG_Z, [notice], US, notice.at)
        assert got == {
            "acknowledgement": (RUNNING, ny(2026, 3, 3)),
            "resolution": (RUNNING, ny(2026, 5, 2)),
        }
        resolved = final(ny(2026, 2, 20, 10))
        got = seen(regimes.REG_Z, [notice, resolved], US, ny(2026, 2, 21))
        assert {n: s for n, (s, _) in got.items()} == {"acknowledgement": MET, "resolution": MET}


class TestRegX:
    notice = received(ny(2026, 6, 29, 10))  # Monday; 3 July is Independence Day observed

    def test_five_and_thirty_days_excluding_weekends_and_holidays(self):
        got = seen(regimes.REG_X, [self.notice], US, self.notice.at)
        assert got == {
            # 30 Jun (1), 1-2 Jul (2-3), 3 Jul holiday, 6-7 Jul (4-5): end of Tuesday 7 July.
            "acknowledgement": (RUNNING, ny(2026, 7, 8)),
            # 8-10 Jul (6-8), 13-17 (9-13), 20-24 (14-18), 27-31 (19-23), 3-7 Aug (24-28),
            # 10-11 Aug (29-30): end of Tuesday 11 August.
            "response": (RUNNING, ny(2026, 8, 12)),
        }

    def test_the_fifteen_day_extension(self):
        # 12-14 Aug (31-33), 17-21 (34-38), 24-28 (39-43), 31 Aug (44), 1 Sep (45).
        extended = ev.HoldingReplySent(at=ny(2026, 8, 5, 10))
        got = seen(regimes.REG_X, [self.notice, extended], US, ny(2026, 8, 6))
        assert got["response"] == (RUNNING, ny(2026, 9, 2))

    def test_payoff_balance_seven_days_and_no_extension(self):
        # ... 6-7 Jul (4-5), 8-9 Jul (6-7): end of Thursday 9 July.
        extended = ev.HoldingReplySent(at=ny(2026, 7, 1, 10))
        regime = regimes.reg_x(payoff_balance=True)
        got = seen(regime, [self.notice, extended], US, ny(2026, 7, 2))
        assert got["response"] == (RUNNING, ny(2026, 7, 10))


# -- European Union --------------------------------------------------------------------------


class TestEuAdr:
    cal = BusinessCalendar(
        "Europe/Berlin",
        holidays_from=[{date(2028, 12, 25), date(2028, 12, 26), date(2029, 1, 1)}],
    )
    complaint = received(datetime(2028, 11, 20, 9, tzinfo=BERLIN))
    request = ev.ReferredToOmbudsman(at=datetime(2028, 12, 1, 10, tzinfo=BERLIN), body="ADR")

    def test_twenty_working_days_from_the_adr_entitys_request(self):
        # Friday 1 December 2028: 4-8 Dec (1-5), 11-15 (6-10), 18-22 (11-15), 25-26 holidays,
        # 27-29 (16-18), 1 Jan holiday, 2-3 Jan 2029 (19-20): end of Wednesday 3 January.
        got = seen(regimes.EU_ADR, [self.complaint, self.request], self.cal, self.request.at)
        assert got == {"reply_to_adr_entity": (RUNNING, datetime(2029, 1, 4, tzinfo=BERLIN))}

    def test_a_reply_before_the_request_does_not_count_and_one_after_meets_it(self):
        early = ev.ReplySent(at=datetime(2028, 11, 24, 9, tzinfo=BERLIN))
        events = [self.complaint, early, self.request]
        got = seen(regimes.EU_ADR, events, self.cal, datetime(2028, 12, 2, tzinfo=BERLIN))
        assert got["reply_to_adr_entity"][0] is RUNNING
        reply = ev.ReplySent(at=datetime(2029, 1, 2, 15, tzinfo=BERLIN))
        got = seen(regimes.EU_ADR, [*events, reply], self.cal, datetime(2029, 1, 5, tzinfo=BERLIN))
        assert got["reply_to_adr_entity"][0] is MET

    def test_complex_disputes_get_30_and_the_reference_gives_the_transposition_date(self):
        # ... 3 Jan (20), 4-5 Jan (21-22), 8-12 (23-27), 15-17 (28-30): end of Wed 17 January.
        regime = regimes.eu_adr(complex_dispute=True)
        got = seen(regime, [self.complaint, self.request], self.cal, self.request.at)
        assert got == {"reply_to_adr_entity": (RUNNING, datetime(2029, 1, 18, tzinfo=BERLIN))}
        assert "20 March 2028" in regimes.EU_ADR.reference
