"""Redress arithmetic (issue 14): worked examples to the penny, worked out by hand from the
published methods, and properties with oracles that do not call the code under test."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import redress
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.model import Money
from recoverykit.redress import (
    APP_CAP,
    AwardLimit,
    RateSeries,
    app_reimbursement,
    award_limit,
    distress_band,
    fos_interest,
    simple_interest,
    within_award_limit,
)

GBP = "GBP"


def gbp(amount: str | int) -> Money:
    return Money(Decimal(amount), GBP)


# A Bank Rate series for the examples (announcement dates and rates of 2024-2025).
BANK_RATE = RateSeries(
    name="Bank Rate (test)",
    changes=[
        (date(2023, 8, 3), "5.25"),
        (date(2024, 8, 1), "5"),
        (date(2024, 11, 7), "4.75"),
        (date(2025, 2, 6), "4.5"),
    ],
    source="Bank of England MPC announcements",
)


class TestWorkedExamples:
    def test_eight_percent_simple(self) -> None:
        # 1,000 x 8% x 100 / 365 = 21.9178... -> 21.92
        result = simple_interest(gbp(1000), rate=8, start=date(2025, 1, 1), end=date(2025, 4, 11))
        assert result.total == gbp("21.92")
        assert "100 days" in result.lines[0].label
        assert "/365" in result.lines[0].label

    def test_366_is_a_stated_choice(self) -> None:
        # 1,000 x 8% x 100 / 366 = 21.857... -> 21.86
        result = simple_interest(
            gbp(1000), rate=8, start=date(2025, 1, 1), end=date(2025, 4, 11), days_in_year=366
        )
        assert result.total == gbp("21.86")

    def test_fos_before_2026_is_8_percent(self) -> None:
        # 2,500 x 8% x 365 / 365 = 200.00
        result = fos_interest(
            gbp(2500), start=date(2024, 3, 1), end=date(2025, 3, 1), referred_on=date(2025, 12, 31)
        )
        assert result.total == gbp("200.00")
        assert "before 1 January 2026" in result.lines[-1].rule

    def test_fos_from_2026_is_bank_rate_plus_one_time_weighted(self) -> None:
        # 1 September 2024 to 1 March 2025: 67 days at 5% + 1, 91 at 4.75% + 1, 23 at 4.5% + 1.
        # (6 x 67 + 5.75 x 91 + 5.5 x 23) = 1,051.75 percent-days; 10,000 x 1,051.75 / 100 /
        # 365 = 288.150... -> 288.15; the average rate is 1,051.75 / 181 = 5.8108%.
        result = fos_interest(
            gbp(10000),
            start=date(2024, 9, 1),
            end=date(2025, 3, 1),
            referred_on=date(2026, 2, 1),
            bank_rate=BANK_RATE,
        )
        assert result.total == gbp("288.15")
        assert [line.label for line in result.lines[:3]] == [
            "2024-09-01 to 2024-11-07: 67 days at Bank Rate 5% + 1 = 6%",
            "2024-11-07 to 2025-02-06: 91 days at Bank Rate 4.75% + 1 = 5.75%",
            "2025-02-06 to 2025-03-01: 23 days at Bank Rate 4.5% + 1 = 5.5%",
        ]
        assert "average 5.8108%" in result.lines[3].label

    def test_fos_from_2026_needs_the_series(self) -> None:
        with pytest.raises(ValidationError, match="bank_rate: .*needs the Bank Rate series"):
            fos_interest(
                gbp(1), start=date(2025, 1, 1), end=date(2025, 2, 1), referred_on=date(2026, 1, 1)
            )

    def test_app_cap_excess_and_split(self) -> None:
        # 100,000 claimed, 100 excess: 99,900, capped at 85,000; 42,500 each.
        result = app_reimbursement(gbp(100000), vulnerable=False, excess=gbp(100))
        assert result.total == gbp(85000)
        assert (result.sending_firm, result.receiving_firm) == (gbp(42500), gbp(42500))
        # 1,000 claimed, 100 excess: 900; 450 each.
        small = app_reimbursement(gbp(1000), vulnerable=False, excess=gbp(100))
        assert small.total == gbp(900)
        assert (small.sending_firm, small.receiving_firm) == (gbp(450), gbp(450))

    def test_no_excess_for_a_vulnerable_consumer(self) -> None:
        result = app_reimbursement(gbp(1000), vulnerable=True, excess=gbp(100))
        assert result.total == gbp(1000)
        assert "5.17" in str(result)

    def test_receiving_firm_deduction_sr1_5_13(self) -> None:
        # No excess levied: the receiving firm may deduct 50 from its 500: 450 and 550.
        result = app_reimbursement(gbp(1000), vulnerable=False, receiving_deducts=True)
        assert (result.sending_firm, result.receiving_firm) == (gbp(550), gbp(450))
        vulnerable = app_reimbursement(gbp(1000), vulnerable=True, receiving_deducts=True)
        assert (vulnerable.sending_firm, vulnerable.receiving_firm) == (gbp(500), gbp(500))

    def test_odd_penny(self) -> None:
        result = app_reimbursement(gbp("100.01"), vulnerable=False)
        assert (result.sending_firm, result.receiving_firm) == (gbp("50.01"), gbp("50.00"))

    def test_award_limits(self) -> None:
        assert award_limit(referred_on=date(2025, 6, 1), act_on=date(2020, 1, 1)).later_acts == (
            gbp(445000)
        )
        row = award_limit(referred_on=date(2024, 6, 1), act_on=date(2018, 1, 1))
        assert row.earlier_acts == gbp(195000)
        assert award_limit(referred_on=date(2021, 6, 1), act_on=date(2020, 1, 1)).later_acts == (
            gbp(355000)
        )
        capped = within_award_limit(
            gbp(500000), referred_on=date(2025, 6, 1), act_on=date(2020, 1, 1)
        )
        assert capped.total == gbp(445000)
        assert capped.lines[1].amount == Decimal(-55000)

    def test_unchecked_limits_are_refused_not_guessed(self) -> None:
        with pytest.raises(UnknownName, match="from 2026-04-01"):
            award_limit(referred_on=date(2026, 4, 1), act_on=date(2020, 1, 1))
        with pytest.raises(UnknownName, match="acts before 2019-04-01"):
            award_limit(referred_on=date(2025, 6, 1), act_on=date(2018, 1, 1))
        mine = AwardLimit(date(2026, 4, 1), gbp(460000), gbp(205000), "my checked figure")
        assert award_limit(
            referred_on=date(2026, 5, 1), act_on=date(2020, 1, 1), limits=[mine]
        ).later_acts == gbp(460000)

    def test_distress_bands_never_compute_an_award(self) -> None:
        band = distress_band(gbp(2000))
        assert band is not None
        assert "sustained distress" in band.description
        assert distress_band(gbp(50)) is redress.FOS_DISTRESS_BANDS[0]
        assert distress_band(gbp(300)) is None  # between the bands shipped


class TestBadInput:
    def test_float_rate_is_refused_with_a_hint(self) -> None:
        with pytest.raises(InvalidType, match="use a string"):
            simple_interest(gbp(1), rate=8.0, start=date(2025, 1, 1), end=date(2025, 1, 2))  # type: ignore[arg-type]

    def test_end_before_start(self) -> None:
        with pytest.raises(ValidationError, match="end: 2025-01-01 is before start 2025-01-02"):
            simple_interest(gbp(1), rate=8, start=date(2025, 1, 2), end=date(2025, 1, 1))

    def test_excess_above_the_maximum(self) -> None:
        with pytest.raises(ValidationError, match="above the maximum excess"):
            app_reimbursement(gbp(1000), vulnerable=False, excess=gbp(101))

    def test_series_starts_after_the_loss(self) -> None:
        with pytest.raises(UnknownName, match="starts on 2023-08-03"):
            fos_interest(
                gbp(1),
                start=date(2023, 1, 1),
                end=date(2024, 1, 1),
                referred_on=date(2026, 1, 1),
                bank_rate=BANK_RATE,
            )

    @pytest.mark.parametrize(
        ("call", "path"),
        [
            (
                lambda: simple_interest(5, rate=8, start=date(2025, 1, 1), end=date(2025, 1, 2)),
                "principal",
            ),  # type: ignore[arg-type]
            (
                lambda: simple_interest(gbp(1), rate=8, start="2025-01-01", end=date(2025, 1, 2)),
                "start",
            ),  # type: ignore[arg-type]
            (lambda: app_reimbursement(gbp(1), vulnerable="no"), "vulnerable"),  # type: ignore[arg-type]
            (
                lambda: RateSeries(name="x", changes=[("2025-01-01", 1)], source="s"),
                r"changes\[0\]\[0\]",
            ),  # type: ignore[list-item]
            (lambda: distress_band(gbp(1), bands=[5]), r"bands\[0\]"),  # type: ignore[list-item]
        ],
    )
    def test_wrong_types_name_their_path(self, call, path) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(InvalidType, match=path):
            call()


# -- properties ---------------------------------------------------------------------------

AMOUNTS = st.decimals(min_value=0, max_value=10**7, places=2)
RATES = st.decimals(min_value=0, max_value=30, places=3)
DAYS = st.dates(date(2000, 1, 1), date(2040, 1, 1))


def oracle(principal: Decimal, rate: Decimal, days: int) -> Decimal:
    return (principal * rate * days / 36500).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(AMOUNTS, RATES, RATES, DAYS, st.integers(0, 4000), st.integers(0, 4000))
def test_interest_never_decreases_with_time_or_rate(
    principal: Decimal, r1: Decimal, r2: Decimal, start: date, d1: int, d2: int
) -> None:
    money = gbp(str(principal))
    low, high = sorted((r1, r2))
    short, long = sorted((d1, d2))

    def interest(rate: Decimal, days: int) -> Decimal:
        return simple_interest(
            money, rate=rate, start=start, end=start + timedelta(days=days)
        ).total.amount

    assert interest(low, long) <= interest(high, long)
    assert interest(high, short) <= interest(high, long)
    assert interest(high, long) == oracle(principal, high, long)
    assert interest(high, 0) == 0


@given(
    AMOUNTS,
    st.dates(date(2023, 8, 3), date(2030, 1, 1)),
    st.integers(0, 2000),
    st.lists(st.tuples(st.dates(date(2023, 8, 4), date(2032, 1, 1)), RATES), max_size=6),
)
def test_time_weighted_equals_day_by_day(
    principal: Decimal, start: date, days: int, changes: list[tuple[date, Decimal]]
) -> None:
    """Oracle: add up each day's (rate + 1)% / 365, then round once."""
    series = RateSeries(
        name="s", changes=dict([(date(2023, 8, 3), Decimal(5)), *changes]).items(), source="t"
    )
    end = start + timedelta(days=days)
    got = fos_interest(
        gbp(str(principal)), start=start, end=end, referred_on=date(2026, 1, 1), bank_rate=series
    )
    table = sorted(series.changes)
    total = Decimal(0)
    for k in range(days):
        day = start + timedelta(days=k)
        rate = next(r for d, r in reversed(table) if d <= day)
        total += principal * (rate + 1) / 100 / 365
    assert got.total.amount == total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert sum(line.amount for line in got.lines if line.amount is not None) == got.total.amount


@given(AMOUNTS, st.booleans(), st.none() | st.decimals(0, 100, places=2), st.booleans())
def test_app_rules(claim: Decimal, vulnerable: bool, excess: Decimal | None, deducts: bool) -> None:
    result = app_reimbursement(
        gbp(str(claim)),
        vulnerable=vulnerable,
        excess=None if excess is None else gbp(str(excess)),
        receiving_deducts=deducts,
    )
    assert result.total.amount <= APP_CAP.amount
    if vulnerable:
        assert result.total.amount == min(claim, APP_CAP.amount)
    else:
        assert result.total.amount == min(max(claim - (excess or 0), Decimal(0)), APP_CAP.amount)
    assert result.sending_firm.amount + result.receiving_firm.amount == result.total.amount
    assert sum(line.amount for line in result.redress.lines if line.amount is not None) == (
        result.total.amount
    )


# -- wrong types, everywhere: only library errors escape -------------------------------------

from wrong_types import call_with_wrong_types, public_callables  # noqa: E402

_SERIES = BANK_RATE
REDRESS_CALLS = {
    "simple_interest": (
        simple_interest,
        {"principal": gbp(100), "rate": "8", "start": date(2025, 1, 1), "end": date(2025, 2, 1)},
    ),
    "fos_interest": (
        fos_interest,
        {
            "principal": gbp(100),
            "start": date(2024, 1, 1),
            "end": date(2025, 1, 1),
            "referred_on": date(2026, 1, 1),
            "bank_rate": _SERIES,
        },
    ),
    "RateSeries": (
        RateSeries,
        {"name": "n", "changes": [(date(2020, 1, 1), "1")], "source": "s"},
    ),
    "RateSeries.rate_on": (_SERIES.rate_on, {"day": date(2025, 1, 1)}),
    "RateSeries.segments": (
        _SERIES.segments,
        {"start": date(2024, 1, 1), "end": date(2025, 1, 1)},
    ),
    "app_reimbursement": (
        app_reimbursement,
        {
            "claim": gbp(1000),
            "vulnerable": False,
            "excess": gbp(50),
            "cap": APP_CAP,
            "receiving_deducts": True,
        },
    ),
    "award_limit": (
        award_limit,
        {"referred_on": date(2024, 6, 1), "act_on": date(2020, 1, 1), "limits": None},
    ),
    "within_award_limit": (
        within_award_limit,
        {"award": gbp(1000), "referred_on": date(2024, 6, 1), "act_on": date(2020, 1, 1)},
    ),
    "distress_band": (distress_band, {"award": gbp(10), "bands": None}),
    "AwardLimit": (
        AwardLimit,
        {
            "referred_from": date(2020, 1, 1),
            "later_acts": gbp(1),
            "earlier_acts": gbp(1),
            "source": "s",
        },
    ),
    "DistressBand": (
        redress.DistressBand,
        {"low": Decimal(1), "high": Decimal(2), "description": "d", "source": "s"},
    ),
    "Line": (redress.Line, {"label": "l", "amount": Decimal(1), "rule": "r"}),
    "Redress": (
        redress.Redress,
        {"total": gbp(1), "lines": (redress.Line("l", Decimal(1), "r"),)},
    ),
    "AppReimbursement": (
        redress.AppReimbursement,
        {
            "redress": redress.Redress(gbp(0), ()),
            "sending_firm": gbp(0),
            "receiving_firm": gbp(0),
        },
    ),
}


def test_every_public_redress_callable_is_fed_wrong_types() -> None:
    assert public_callables(redress) <= {name.split(".")[0] for name in REDRESS_CALLS}


@pytest.mark.parametrize("name", sorted(REDRESS_CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name: str, data: st.DataObject) -> None:
    target, valid = REDRESS_CALLS[name]
    call_with_wrong_types(data, target, valid)
