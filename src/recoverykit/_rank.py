"""Exact nearest-rank percentiles in bounded memory.

`portfolio` keeps each response time as microseconds in a C array (8 bytes a case). Sorting
it for a percentile would build a list of Python ints, five times the array. Instead the
k-th smallest value is found by counting into a fixed number of buckets, narrowing to the
bucket that holds rank k, and sorting only once at most ``small`` values remain: the extra
memory is bounded by ``buckets`` and ``small``, whatever the number of cases.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

__all__ = ["MICROSECOND", "kth_smallest", "nearest_rank"]

MICROSECOND = timedelta(microseconds=1)


def kth_smallest(values: Sequence[int], k: int, *, buckets: int = 4096, small: int = 4096) -> int:
    """The ``k``-th smallest of ``values`` (0-based), which must hold more than ``k``."""
    if len(values) <= small:
        return sorted(values)[k]
    lo, hi = min(values), max(values)
    below = 0  # how many values are smaller than lo
    while lo != hi:
        width = -(-(hi - lo + 1) // buckets)
        counts = [0] * buckets
        inside = 0
        for x in values:
            if lo <= x <= hi:
                counts[(x - lo) // width] += 1
                inside += 1
        if inside <= small:
            return sorted([x for x in values if lo <= x <= hi])[k - below]
        for i, count in enumerate(counts):
            if k - below < count:
                lo, hi = lo + i * width, min(lo + (i + 1) * width - 1, hi)
                break
            below += count
    return lo


def nearest_rank(values: Sequence[int], p: int) -> timedelta | None:
    """The nearest-rank ``p``-th percentile of ``values`` (microseconds, in any order) as a
    duration; None when there are none."""
    if not values:
        return None
    return timedelta(
        microseconds=kth_smallest(values, max(math.ceil(p * len(values) / 100) - 1, 0))
    )
