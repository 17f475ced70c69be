"""The one way every benchmark here times contenders (issue 15).

- **CPU time** (``time.process_time``), not wall clock: another process on a shared machine
  slows the wall clock of whoever runs at that moment, not the work measured.
- **Interleaved**: every round runs every contender once, in a rotating order, so a slow
  minute of the machine falls on all of them alike.
- **Paired ratios**: each round gives, per contender, its time over the baseline's time *in
  the same round*; the figure is the median of those ratios, with their min-max as the spread.
  A best-of or a mean of separate runs flips between pass and fail from run to run.

A round repeats a contender's work ``number`` times, so that one timing is long enough
(milliseconds) for the clock's resolution not to matter.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Paired:
    """One contender's result against the baseline."""

    name: str
    seconds: float
    """Median CPU seconds of one call of the work (a round's time over ``number``)."""
    ratio: float
    """Median over the rounds of (this contender's time / the baseline's, same round)."""
    low: float
    high: float

    def spread(self) -> str:
        return f"{self.ratio:.2f}x [{self.low:.2f}-{self.high:.2f}]"


def compare(
    contenders: Mapping[str, Callable[[], object]],
    *,
    baseline: str,
    rounds: int = 15,
    number: int = 1,
) -> dict[str, Paired]:
    """Time every contender ``rounds`` times, interleaved, after one warm-up round."""
    names = list(contenders)
    if baseline not in contenders:
        raise ValueError(f"baseline {baseline!r} is not one of {names}")
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(-1, rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            work = contenders[name]
            t0 = time.process_time()
            for _ in range(number):
                work()
            spent = time.process_time() - t0
            if r >= 0:
                times[name].append(spent / number)
    base = times[baseline]
    out = {}
    for name in names:
        ratios = [t / b for t, b in zip(times[name], base, strict=True)]
        seconds = statistics.median(times[name])
        out[name] = Paired(name, seconds, statistics.median(ratios), min(ratios), max(ratios))
    return out


def table(results: Mapping[str, Paired], *, unit: str = "us", title: str = "") -> None:
    """Print the results, one line per contender."""
    scale = {"s": 1.0, "ms": 1e3, "us": 1e6}[unit]
    if title:
        print(title)
    width = max(len(name) for name in results) + 2
    print(f"{'contender':<{width}} {unit:>10} {'vs baseline (median [min-max])':>32}")
    for result in results.values():
        print(f"{result.name:<{width}} {result.seconds * scale:>10.1f} {result.spread():>32}")
