"""Exact percentiles in bounded memory (`recoverykit._rank`), against sorting as the oracle."""

from __future__ import annotations

from array import array
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from recoverykit._rank import kth_smallest, nearest_rank


@given(
    st.lists(st.integers(-(2**62), 2**62), min_size=1, max_size=300),
    st.data(),
    st.integers(2, 8),
    st.integers(0, 10),
)
def test_kth_smallest_is_the_sorted_values_kth(values, data, buckets, small):
    """Few buckets and a tiny sort threshold force several narrowing passes."""
    k = data.draw(st.integers(0, len(values) - 1))
    assert kth_smallest(array("q", values), k, buckets=buckets, small=small) == sorted(values)[k]


@given(st.lists(st.sampled_from([5, 5, 5, 7, -3]), min_size=1, max_size=200), st.data())
def test_kth_smallest_with_many_equal_values(values, data):
    k = data.draw(st.integers(0, len(values) - 1))
    assert kth_smallest(values, k, buckets=2, small=0) == sorted(values)[k]


def test_nearest_rank_worked_example():
    # Nearest rank: the ceil(p * n / 100)-th smallest. n = 10: the median is the 5th, p90
    # the 9th; in microseconds, in any order.
    values = array("q", [10, 1, 9, 2, 8, 3, 7, 4, 6, 5])
    assert nearest_rank(values, 50) == timedelta(microseconds=5)
    assert nearest_rank(values, 90) == timedelta(microseconds=9)
    assert nearest_rank(array("q", [42]), 90) == timedelta(microseconds=42)
    assert nearest_rank(array("q"), 50) is None
