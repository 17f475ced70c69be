"""themes() and close_the_loop() over 10,000 and 100,000 cases: both must be linear.

Prints the time per call at each size and the ratio of the 100k time to the 10k time
(target, issue 4: under 12x; 10x is perfectly linear): CPU time, the two sizes interleaved,
median of the per-round ratios with their min-max (``_paired.py``).
Run: ``python benchmarks/bench_loops.py``.
"""

from __future__ import annotations

import argparse
import platform
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from _paired import compare, table
from recoverykit import Channel, Complaint, CustomerRef, Outcome, RootCause, calendars, replay
from recoverykit import events as ev
from recoverykit.analytics import themes
from recoverykit.loops import RootCauseFixed, close_the_loop

NOW = datetime(2026, 11, 1, tzinfo=UTC)
CAUSES = [RootCause(f"RC-{i}", f"cause {i}") for i in range(20)]
CATEGORIES = ["billing", "delivery", "product", "service", "fraud", "access", "fees", "app"]
CAL = calendars.england_and_wales()


def portfolio(n: int, seed: int = 7):
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        received = NOW - timedelta(minutes=rng.randrange(120 * 24 * 60))
        complaint = Complaint(
            id=f"C-{i}",
            customer=CustomerRef(f"cust-{rng.randrange(n // 2 + 1)}"),
            channel=rng.choice(list(Channel)),
            received_at=received,
            category=rng.choice(CATEGORIES),
        )
        events = [
            ev.ComplaintReceived(at=received, complaint=complaint),
            ev.RootCauseLinked(at=received, root_cause=rng.choice(CAUSES)),
            ev.FinalResponseSent(at=received + timedelta(days=1), outcome=Outcome.UPHELD),
        ]
        if rng.random() < 0.7:
            events.append(ev.Closed(at=received + timedelta(days=2)))
        cases.append(replay(events))
    return cases


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    small, large = portfolio(10_000), portfolio(100_000)
    fix = RootCauseFixed(root_cause_id="RC-3", at=NOW, change="fixed")
    tasks: dict[str, Callable[[list], object]] = {
        "themes(by='category')": lambda cases: themes(cases, now=NOW),
        "themes(by='root_cause')": lambda cases: themes(cases, by="root_cause", now=NOW),
        "close_the_loop": lambda cases: close_the_loop(fix, cases, calendar=CAL, now=NOW),
    }
    print(f"Python {platform.python_version()}; CPU time, {args.rounds} interleaved rounds")
    results = {}
    for label, task in tasks.items():
        paired = compare(
            {"10k": lambda task=task: task(small), "100k": lambda task=task: task(large)},
            baseline="10k",
            rounds=args.rounds,
        )
        table(paired, unit="ms", title=f"\n{label}")
        results[f"{label}: 100k/10k time (target < 12)"] = paired["100k"].ratio
    print("\ntarget: 100k/10k under 12x (10x is linear)")
    return results


if __name__ == "__main__":
    main()
