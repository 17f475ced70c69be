"""add_business_days, n=3 and n=400, against the usual alternatives (issues 3 and 15).

All contenders use the same calendar (England and Wales, Monday-Friday, its bank holidays
for 2020-2035) and the same random start dates in 2026-2028, one date per call:

- recoverykit ``BusinessCalendar.add_business_days``;
- ``numpy.busday_offset`` with a prebuilt ``numpy.busdaycalendar`` (roll="backward", the same
  convention), one scalar date per call;
- a hand loop, day by day over a ``set`` of holidays, with its one-day ``timedelta``
  hoisted out of the loop (what a careful hand-writer does), and the same loop building the
  ``timedelta`` at every step (for information: the naive version);
- a dateutil ``rruleset`` of business days (a weekday rule minus holiday ``exdate``s,
  ``cache=True``), asked for the n-th occurrence after the start with ``xafter``; for
  information, on fewer starts (it is two orders of magnitude slower).

Timing: ``_paired.py`` (CPU time, contenders interleaved, median of per-round ratios with
their min-max). Targets: at least as fast as numpy at n=3 and n=400 (issue 3); at least 0.8x
the hoisted hand loop's speed at n=3, and flat in n: n=400 within 2x of n=3 (issue 15).
Run: ``python -m pip install -e ".[bench]" && python benchmarks/bench_calendars.py``.
"""

from __future__ import annotations

import argparse
import platform
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

import numpy as np
from dateutil.rrule import DAILY, FR, MO, TH, TU, WE, rrule, rruleset

from _paired import compare, table
from recoverykit import calendars

CAL = calendars.england_and_wales()
HOLIDAYS = sorted(d for year in range(2020, 2036) for d, _ in CAL.holidays(year))
HOLIDAY_SET = frozenset(HOLIDAYS)


ONE_DAY = timedelta(days=1)


def hoisted(start: date, n: int) -> date:
    day = start
    one = ONE_DAY
    holidays = HOLIDAY_SET
    while day.weekday() >= 5 or day in holidays:  # roll backward
        day -= one
    while n:
        day += one
        if day.weekday() < 5 and day not in holidays:
            n -= 1
    return day


def naive(start: date, n: int) -> date:
    day = start
    while day.weekday() >= 5 or day in HOLIDAY_SET:  # roll backward
        day -= timedelta(days=1)
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in HOLIDAY_SET:
            n -= 1
    return day


def make_rruleset() -> Callable[[date, int], date]:
    rules = rruleset(cache=True)
    rules.rrule(rrule(DAILY, byweekday=(MO, TU, WE, TH, FR), dtstart=datetime(2019, 12, 1)))
    for holiday in HOLIDAYS:
        rules.exdate(datetime.combine(holiday, datetime.min.time()))

    def add(start: date, n: int) -> date:
        moment = datetime.combine(start, datetime.min.time())
        if not (moment.weekday() < 5 and start not in HOLIDAY_SET):
            moment = rules.before(moment)
        *_, last = rules.xafter(moment, count=n)
        return last.date()

    return add


def make_numpy() -> Callable[[date, int], date]:
    busdaycal = np.busdaycalendar(weekmask="1111100", holidays=HOLIDAYS)

    def add(start: date, n: int) -> date:
        return np.busday_offset(start, n, roll="backward", busdaycal=busdaycal).astype(date)

    return add


def over(fn: Callable[[date, int], date], starts: list[date], n: int) -> Callable[[], object]:
    return lambda: [fn(start, n) for start in starts]


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    rng = random.Random(20261122)
    starts = [date(2026, 1, 1) + timedelta(days=rng.randrange(3 * 365)) for _ in range(args.calls)]
    contenders: dict[str, Callable[[date, int], date]] = {
        "hand loop, timedelta hoisted": hoisted,
        "recoverykit add_business_days": CAL.add_business_days,
        "numpy.busday_offset (one date per call)": make_numpy(),
        "hand loop, timedelta per step": naive,
    }
    rules = make_rruleset()
    # Same answers first: a benchmark of wrong results measures nothing.
    for n in (3, 400):
        for start in starts[:100]:
            answers = {label: fn(start, n) for label, fn in contenders.items()}
            answers["dateutil"] = rules(start, n)
            assert len(set(answers.values())) == 1, (start, n, answers)

    CAL.add_business_days(date(2026, 1, 1), 1000)  # warm the holiday cache for every contender
    print(
        f"add_business_days, England and Wales, {args.calls:,} random starts, {args.rounds} "
        f"rounds; Python {platform.python_version()}, numpy {np.__version__}"
    )
    results = {}
    for n in (3, 400):
        results[n] = compare(
            {label: over(fn, starts, n) for label, fn in contenders.items()},
            baseline="hand loop, timedelta hoisted",
            rounds=args.rounds,
        )
        table(results[n], unit="ms", title=f"\nn={n}: {args.calls:,} calls")
    few = starts[:100]
    slow = compare(
        {"hoisted, 100 calls": over(hoisted, few, 3), "dateutil, 100 calls": over(rules, few, 3)},
        baseline="hoisted, 100 calls",
        rounds=3,
    )
    table(slow, unit="ms", title="\nn=3, for information")
    flat = compare(
        {
            "n=3": over(CAL.add_business_days, starts, 3),
            "n=400": over(CAL.add_business_days, starts, 400),
        },
        baseline="n=3",
        rounds=args.rounds,
    )
    table(flat, unit="ms", title="\nrecoverykit, n=400 against n=3")
    ours = "recoverykit add_business_days"
    numpy = "numpy.busday_offset (one date per call)"
    return {
        "add_business_days: speed vs hoisted hand loop, n=3 (target >= 0.8)": 1
        / results[3][ours].ratio,
        "add_business_days: speed vs numpy, n=3 (target >= 1)": results[3][numpy].ratio
        / results[3][ours].ratio,
        "add_business_days: speed vs numpy, n=400 (target >= 1)": results[400][numpy].ratio
        / results[400][ours].ratio,
        "add_business_days: n=400 time / n=3 time (target <= 2)": flat["n=400"].ratio,
    }


if __name__ == "__main__":
    for label, value in main().items():
        print(f"{label}: {value:.2f}")
