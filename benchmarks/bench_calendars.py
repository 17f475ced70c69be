"""add_business_days throughput, n=3 and n=400, against the usual alternatives.

All contenders use the same calendar (England and Wales, Monday-Friday, its bank holidays
for 2020-2035) and the same random start dates in 2026-2028, one date per call:

- recoverykit ``BusinessCalendar.add_business_days``;
- ``numpy.busday_offset`` with a prebuilt ``numpy.busdaycalendar`` (roll="backward", the same
  convention), one scalar date per call;
- a dateutil ``rruleset`` of business days (a weekday rule minus holiday ``exdate``s), asked
  for the n-th occurrence after the start with ``xafter`` (it replays from ``dtstart``);
- a naive day-by-day loop over a ``set`` of holidays.

Targets (issue 3): at least as fast as numpy for n=3 and n=400, and n=400 within 2x of n=3.
Run: ``python -m pip install -e ".[bench]" && python benchmarks/bench_calendars.py``.
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta

import numpy as np
from dateutil.rrule import DAILY, FR, MO, TH, TU, WE, rrule, rruleset

from recoverykit import calendars

CAL = calendars.england_and_wales()
HOLIDAYS = sorted(d for year in range(2020, 2036) for d, _ in CAL.holidays(year))
HOLIDAY_SET = frozenset(HOLIDAYS)


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
    rules = rruleset()
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


def ops_per_second(
    fn: Callable[[date, int], date], starts: list[date], n: int, repeat: int
) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for start in starts:
            fn(start, n)
        best = min(best, time.perf_counter() - t0)
    return len(starts) / best


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(20261122)
    starts = [date(2026, 1, 1) + timedelta(days=rng.randrange(3 * 365)) for _ in range(args.calls)]
    contenders: dict[str, Callable[[date, int], date]] = {
        "recoverykit add_business_days": CAL.add_business_days,
        "numpy.busday_offset (one date per call)": make_numpy(),
        "dateutil rruleset": make_rruleset(),
        "naive day-by-day loop": naive,
    }
    # Same answers first: a benchmark of wrong results measures nothing.
    for n in (3, 400):
        for start in starts[:100]:
            answers = {label: fn(start, n) for label, fn in contenders.items()}
            assert len(set(answers.values())) == 1, (start, n, answers)

    CAL.add_business_days(date(2026, 1, 1), 1000)  # warm the holiday cache for every contender
    results: dict[tuple[str, int], float] = {}
    for label, fn in contenders.items():
        # The slow contenders get fewer calls: their rate is what matters.
        sample = starts if label.startswith(("recoverykit", "numpy")) else starts[:200]
        for n in (3, 400):
            results[(label, n)] = ops_per_second(fn, sample, n, args.repeat)

    print(
        f"add_business_days, England and Wales, {args.calls:,} random starts, best of "
        f"{args.repeat}; Python {platform.python_version()}, numpy {np.__version__}"
    )
    ours3, ours400 = (
        results[("recoverykit add_business_days", 3)],
        results[("recoverykit add_business_days", 400)],
    )
    header = ("contender", "n=3 ops/s", "n=400 ops/s", "speedup n=3", "speedup n=400")
    print(f"{header[0]:<42} {header[1]:>12} {header[2]:>12} {header[3]:>12} {header[4]:>14}")
    for label in contenders:
        r3, r400 = results[(label, 3)], results[(label, 400)]
        print(
            f"{label:<42} {r3:>12,.0f} {r400:>12,.0f} {ours3 / r3:>11.2f}x {ours400 / r400:>13.2f}x"
        )
    numpy3 = results[("numpy.busday_offset (one date per call)", 3)]
    numpy400 = results[("numpy.busday_offset (one date per call)", 400)]
    print(
        f"\nrecoverykit vs numpy: {ours3 / numpy3:.2f}x at n=3, {ours400 / numpy400:.2f}x at n=400"
        " (target >= 1x)"
    )
    print(f"recoverykit n=400 takes {ours3 / ours400:.2f}x the time of n=3 (target <= 2x)")
    return {
        "add_business_days: speedup vs numpy, n=3 (target >= 1)": ours3 / numpy3,
        "add_business_days: speedup vs numpy, n=400 (target >= 1)": ours400 / numpy400,
        "add_business_days: n=400 time / n=3 time (target <= 2)": ours3 / ours400,
    }


if __name__ == "__main__":
    main()
