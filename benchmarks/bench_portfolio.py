"""portfolio() over 10,000 and 100,000 generated cases: one pass, linear.

With the FCA DISP clocks evaluated and every case scored, as an app's monthly report would.
Prints the CPU time at each size and the 100k/10k ratio (10x is perfectly linear; the median
and 90th percentile need one sort of the response times, O(n log n) on a small part of the
work), and the memory the call needs beyond the cases themselves: the peak that
``tracemalloc`` sees during the call, per case (the percentiles' store is 16 bytes a case;
the sort at the end briefly makes a list of the response times).
Run: ``python benchmarks/bench_portfolio.py``.
"""

from __future__ import annotations

import argparse
import platform
import time
import tracemalloc

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
    peaks = {}
    for n in (10_000, 100_000):
        cases = make_cases(n)
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.process_time()
            report = portfolio(cases, clocks=clocks, calendar=calendar, now=NOW, by="channel")
            best = min(best, time.process_time() - t0)
        assert report.cases == n
        timings[n] = best
        tracemalloc.start()
        portfolio(cases, clocks=clocks, calendar=calendar, now=NOW, by="channel")
        peaks[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"portfolio over {n:>7,} cases: {best:7.2f}s CPU ({n / best:,.0f} cases/s); "
            f"peak memory {peaks[n] / 1e6:.1f} MB ({peaks[n] / n:.0f} bytes a case)"
        )
    ratio = timings[100_000] / timings[10_000]
    growth = (peaks[100_000] - peaks[10_000]) / 90_000
    print(f"100k/10k: {ratio:.2f}x (10x is linear); Python {platform.python_version()}")
    print(f"memory growth from 10k to 100k cases: {growth:.0f} bytes a case")
    return {
        "portfolio: 100k/10k time (linear is 10)": ratio,
        "portfolio: peak memory growth, bytes a case": growth,
    }


if __name__ == "__main__":
    main()
