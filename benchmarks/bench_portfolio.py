"""portfolio() over 10,000 and 100,000 generated cases: one pass, linear.

With the FCA DISP clocks evaluated and every case scored, as an app's monthly report would.
Prints the time at each size and the 100k/10k ratio (10x is perfectly linear; the median and
90th percentile need one sort of the response times, O(n log n) on a small part of the work).
Run: ``python benchmarks/bench_portfolio.py``.
"""

from __future__ import annotations

import argparse
import platform
import time

from bench_loops import NOW
from bench_loops import portfolio as make_cases
from recoverykit import calendars, regimes
from recoverykit.metrics import portfolio


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    calendar = regimes.FCA_DISP.calendar_for(calendars.england_and_wales())
    clocks = regimes.FCA_DISP.clocks
    timings = {}
    for n in (10_000, 100_000):
        cases = make_cases(n)
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            report = portfolio(cases, clocks=clocks, calendar=calendar, now=NOW, by="channel")
            best = min(best, time.perf_counter() - t0)
        assert report.cases == n
        timings[n] = best
        print(f"portfolio over {n:>7,} cases: {best:7.2f}s ({n / best:,.0f} cases/s)")
    ratio = timings[100_000] / timings[10_000]
    print(f"100k/10k: {ratio:.2f}x (10x is linear); Python {platform.python_version()}")
    return {"portfolio: 100k/10k time (linear is 10)": ratio}


if __name__ == "__main__":
    main()
