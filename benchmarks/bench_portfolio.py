"""portfolio() over 10,000 and 100,000 generated cases: one pass, linear.

With the FCA DISP clocks evaluated and every case scored, as an app's monthly report would.
Prints the CPU time at each size and the 100k/10k ratio (10x is perfectly linear; the median
and 90th percentile need one sort of the response times, O(n log n) on a small part of the
work), and the memory the call needs beyond the cases themselves: the peak that
``tracemalloc`` sees during the call, per case (the percentiles' store is 16 bytes a case;
the sort at the end briefly makes a list of the response times).
Against a **hand-written loop** (issue 15): the same clocks (`evaluate_clocks`) and the
same scoring (`score`) per case, and the report's figures tallied by hand in plain
Counters and lists (states, channels, categories, per-clock met/breached, responded,
first-contact resolutions, reopened, hand-offs, ping-pong, delivered remedy value,
follow-ups, root-cause links, closed loops, bands, breach counts, median and 90th
percentile times, in calendar and business time), for the total and per channel. The script
checks that both give the same figures. Timing: ``_paired.py`` on 2,000 cases. Target: at
most 1.5x.
Run: ``python benchmarks/bench_portfolio.py``.
"""

from __future__ import annotations

import argparse
import math
import platform
import time
import tracemalloc
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from _paired import compare, table
from bench_loops import NOW
from bench_loops import portfolio as make_cases
from recoverykit import Case, calendars, regimes
from recoverykit._instants import elapsed, not_after
from recoverykit.clocks import ClockState, evaluate_clocks
from recoverykit.metrics import portfolio
from recoverykit.model import FollowUpPurpose, RemedyStatus
from recoverykit.scoring import Band, score

REGIME = regimes.FCA_DISP
CALENDAR = REGIME.calendar_for(calendars.england_and_wales())


class Tally:
    def __init__(self) -> None:
        self.n = 0
        self.states: Counter[str] = Counter()
        self.channels: Counter[str] = Counter()
        self.categories: Counter[str] = Counter()
        self.clocks: dict[str, Counter[ClockState]] = defaultdict(Counter)
        self.responded = self.fcr = self.reopened = self.handoffs = self.ping_pong = 0
        self.timed = self.breached = self.scheduled = self.done = self.linked = self.loop = 0
        self.times: list[timedelta] = []
        self.business: list[timedelta] = []
        self.money: dict[str, Decimal] = defaultdict(Decimal)
        self.bands: Counter[str] = Counter()

    def add(self, case: Case, statuses: Any, band: str, time: Any, business: Any) -> None:
        self.n += 1
        complaint = case.complaint
        self.states[case.state] += 1
        self.channels[complaint.channel.value] += 1
        self.categories[complaint.category or "(none)"] += 1
        if statuses:
            self.timed += 1
            self.breached += any(s.status is ClockState.BREACHED for s in statuses)
            for s in statuses:
                self.clocks[s.name][s.status] += 1
        if time is not None:
            self.responded += 1
            self.fcr += case.investigation_started_at is None and case.handoffs == 0
            self.times.append(time)
            self.business.append(business)
        self.reopened += case.reopen_count > 0
        self.handoffs += case.handoffs
        teams = [a.owner.team for a in case.ownership_history if a.owner.team is not None]
        runs = [t for i, t in enumerate(teams) if i == 0 or teams[i - 1] != t]
        self.ping_pong += len(runs) != len(set(runs))
        for r in case.remedies:
            if r.status is RemedyStatus.DELIVERED and r.remedy.value is not None:
                self.money[r.remedy.value.currency] += r.remedy.value.amount
        self.scheduled += len(case.follow_ups)
        self.done += sum(f.is_done for f in case.follow_ups)
        if case.root_causes:
            self.linked += 1
            self.loop += any(
                f.is_done and f.follow_up.purpose is FollowUpPurpose.CHANGE_NOTIFICATION
                for f in case.follow_ups
            )
        self.bands[band] += 1

    def figures(self) -> dict[str, Any]:
        def rank(values: list[timedelta], p: int) -> timedelta | None:
            ordered = sorted(values)
            return ordered[max(math.ceil(p * len(ordered) / 100) - 1, 0)] if ordered else None

        return {
            "cases": self.n,
            "by_state": sorted(self.states.items()),
            "clocks": sorted(
                (name, c[ClockState.MET], c[ClockState.BREACHED]) for name, c in self.clocks.items()
            ),
            "responded": self.responded,
            "fcr": self.fcr,
            "median": rank(self.times, 50),
            "p90": rank(self.times, 90),
            "business_median": rank(self.business, 50),
            "business_p90": rank(self.business, 90),
            "money": sorted(self.money.items()),
            "bands": [(b.value, self.bands[b.value]) for b in Band],
            "breached": self.breached,
            "ping_pong": self.ping_pong,
        }


def hand(cases: list[Case]) -> tuple[Tally, dict[str, Tally]]:
    total, groups = Tally(), defaultdict(Tally)
    for case in cases:
        statuses = evaluate_clocks(case, REGIME.clocks, calendar=CALENDAR, now=NOW)
        band = score(case, statuses=statuses, now=NOW).band.value
        first = case.first_responded_at
        time = business = None
        if first is not None and not_after(first, NOW):
            time = elapsed(case.received_at, first)
            business = CALENDAR.business_time_between(case.received_at, first)
        total.add(case, statuses, band, time, business)
        groups[case.complaint.channel.value].add(case, statuses, band, time, business)
    return total, groups


def figures_of(report: Any) -> dict[str, Any]:
    return {
        "cases": report.cases,
        "by_state": list(report.by_state),
        "clocks": [(c.clock, c.met, c.breached) for c in report.clocks],
        "responded": report.responded,
        "fcr": report.first_contact_resolutions,
        "median": report.median_time_to_response,
        "p90": report.p90_time_to_response,
        "business_median": report.median_business_time_to_response,
        "business_p90": report.p90_business_time_to_response,
        "money": list(report.remedy_value),
        "bands": list(report.bands),
        "breached": report.breached,
        "ping_pong": report.ping_pong,
    }


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    calendar = CALENDAR
    clocks = REGIME.clocks
    few = make_cases(2_000)
    report = portfolio(few, clocks=clocks, calendar=calendar, now=NOW, by="channel")
    total, groups = hand(few)
    assert figures_of(report) == total.figures()
    assert [(k, figures_of(g)) for k, g in report.groups] == [
        (k, groups[k].figures()) for k in sorted(groups)
    ]
    paired = compare(
        {
            "hand-written loop": lambda: hand(few),
            "portfolio(by='channel')": lambda: portfolio(
                few, clocks=clocks, calendar=calendar, now=NOW, by="channel"
            ),
        },
        baseline="hand-written loop",
        rounds=args.rounds,
    )
    table(paired, unit="ms", title="2,000 cases, FCA DISP clocks and scores, by channel")
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
        "portfolio: time / hand-written loop (target <= 1.5)": paired[
            "portfolio(by='channel')"
        ].ratio,
        "portfolio: 100k/10k time (linear is 10)": ratio,
        "portfolio: peak memory growth, bytes a case": growth,
    }


if __name__ == "__main__":
    main()
