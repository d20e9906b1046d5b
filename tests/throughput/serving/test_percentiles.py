"""A run's latency percentiles: both latencies at once give each one's figures, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.throughput.serving.batching import Percentiles

latency = st.floats(0.0, 1e6, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(latency, latency), min_size=1, max_size=300), st.lists(latency, max_size=5))
def test_both_latencies_at_once_are_each_one_s_percentiles(pairs: list[tuple[float, float]], more: list[float]) -> None:
    a = np.array([x for x, _ in pairs])
    b = np.array([y for _, y in pairs] + more)  # as many values as a (one numpy call), or a few more (one each)
    kept = a.copy(), b.copy()
    assert Percentiles.both(a, b) == (Percentiles.of(a), Percentiles.of(b))
    assert np.array_equal(a, kept[0]) and np.array_equal(b, kept[1])  # the callers' arrays are left as they were
