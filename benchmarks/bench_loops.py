"""themes() and close_the_loop() over 10,000 and 100,000 cases: both must be linear.

Prints the time per call at each size and the ratio of the 100k time to the 10k time
(target, issue 4: under 12x; 10x is perfectly linear).
Run: ``python benchmarks/bench_loops.py``.
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

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


def best_of(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    small, large = portfolio(10_000), portfolio(100_000)
    fix = RootCauseFixed(root_cause_id="RC-3", at=NOW, change="fixed")
    tasks: dict[str, Callable[[list], object]] = {
        "themes(by='category')": lambda cases: themes(cases, now=NOW),
        "themes(by='root_cause')": lambda cases: themes(cases, by="root_cause", now=NOW),
        "close_the_loop": lambda cases: close_the_loop(fix, cases, calendar=CAL, now=NOW),
    }
    print(f"Python {platform.python_version()}, best of {args.repeat}")
    print(f"{'function':<26} {'10k cases':>10} {'100k cases':>11} {'100k/10k':>9}")
    results = {}
    for label, task in tasks.items():
        t_small = best_of(lambda task=task: task(small), args.repeat)
        t_large = best_of(lambda task=task: task(large), args.repeat)
        print(f"{label:<26} {t_small:>9.3f}s {t_large:>10.3f}s {t_large / t_small:>8.2f}x")
        results[f"{label}: 100k/10k time (target < 12)"] = t_large / t_small
    print("\ntarget: 100k/10k under 12x (10x is linear)")
    return results


if __name__ == "__main__":
    main()
