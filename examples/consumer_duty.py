"""Consumer Duty outcome measures and redress: real CFPB complaints, then a root-cause fix.

Run with ``python examples/consumer_duty.py``. Three questions the FCA found firms weak at
answering (its December 2024 review of complaints and root-cause analysis):

1. Do some groups of customers get worse outcomes? The CFPB extracts in examples/data/cfpb
   tag complaints from older Americans (62 and over) and servicemembers; `metrics.outcomes`
   compares them with everyone else, and `metrics.outcome_gap` says whether a difference is
   more than chance (a two-proportion z-test, never run on too few cases).
2. Did fixing a root cause work? A generated portfolio of billing complaints before and
   after a fix of the billing system on 1 March 2026: `loops.fix_impact`.
3. What redress is owed? For one upheld complaint, the Financial Ombudsman's interest on the
   refund, explained line by line (`redress.fos_interest`).
"""

import csv
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from recoverykit import (
    Case,
    Channel,
    Complaint,
    CustomerRef,
    Money,
    redress,
    replay,
)
from recoverykit import events as ev
from recoverykit.interop.cfpb import cases_from_cfpb
from recoverykit.loops import RootCauseFixed, fix_impact
from recoverykit.metrics import outcome_gap, outcomes

DATA = Path(__file__).parent / "data" / "cfpb"


def cfpb_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            cases += cases_from_cfpb(csv.DictReader(fh)).cases
    return cases


def group(case: Case) -> str:
    tags = case.complaint.tags
    if "cfpb_tag:older_american" in tags:
        return "older american"
    if "cfpb_tag:servicemember" in tags:
        return "servicemember"
    return "others"


def cohorts() -> None:
    cases = cfpb_cases()
    now = datetime(2016, 1, 1, tzinfo=UTC)
    report = outcomes(cases, by=group, now=now)
    print(f"{'cohort':<16} {'cases':>6} {'responded':>9} {'upheld':>7} {'uphold rate':>11}")
    for cohort in report.cohorts:
        print(
            f"{cohort.key:<16} {cohort.cases:>6} {cohort.responded:>9} {cohort.upheld:>7} "
            f"{cohort.uphold_rate:>10}%"
        )
    for other in ("older american", "servicemember"):
        gap = outcome_gap(report, "uphold_rate", other, "others")
        print(gap)


def billing_portfolio() -> tuple[list[Case], RootCauseFixed]:
    """Billing complaints, September 2025 to July 2026: about 20 a month, 8 after the fix."""
    rng = random.Random(14)  # noqa: S311 - a reproducible example, not a secret
    cases = []
    start = datetime(2025, 9, 1, 9, tzinfo=UTC)
    fixed_at = datetime(2026, 3, 1, 9, tzinfo=UTC)
    day = start
    n = 0
    while day < datetime(2026, 8, 1, tzinfo=UTC):
        per_day = 20 / 30 if day < fixed_at else 8 / 30
        if rng.random() < per_day:
            n += 1
            complaint = Complaint(
                id=f"B-{n}",
                customer=CustomerRef(f"cust-{rng.randrange(400)}"),
                channel=Channel.EMAIL,
                received_at=day,
                category="billing",
            )
            cases.append(replay([ev.ComplaintReceived(at=day, complaint=complaint)]))
        day += timedelta(days=1)
    fixed = RootCauseFixed(
        root_cause_id="RC-7",
        at=fixed_at,
        change="Direct debits are no longer taken twice after a plan change",
    )
    return cases, fixed


def fix() -> None:
    cases, fixed = billing_portfolio()
    impact = fix_impact(
        cases, fixed, theme="billing", now=datetime(2026, 8, 1, tzinfo=UTC), window=timedelta(90)
    )
    print(impact)


def interest() -> None:
    bank_rate = redress.RateSeries(
        name="Bank Rate",
        changes=[(date(2024, 8, 1), "5"), (date(2024, 11, 7), "4.75"), (date(2025, 2, 6), "4.5")],
        source="Bank of England, Bank Rate history (IUMABEDR)",
    )
    award = redress.fos_interest(
        Money("10000", "GBP"),
        start=date(2024, 9, 1),
        end=date(2025, 3, 1),
        referred_on=date(2026, 2, 1),
        bank_rate=bank_rate,
    )
    print(award)


def main() -> None:
    print("-- outcomes by cohort (CFPB, 2013 and 2015 extracts)")
    cohorts()
    print("-- did the fix work?")
    fix()
    print("-- interest on a 10,000 GBP refund, Financial Ombudsman method from 2026")
    interest()


if __name__ == "__main__":
    main()
