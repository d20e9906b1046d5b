"""Linear-layer time: under expert parallelism the step waits for the busiest GPU."""

from __future__ import annotations

import pytest

from costcalc.throughput.linear_time import _busiest_share


def test_expert_parallel_waits_for_the_busiest_gpu():
    assert _busiest_share(1, 8) == 1.0  # one expert copy lands on one GPU
    # 8000 copies over 8 GPUs: 1000 + sqrt(2 * 1000 * ln 8) = 1064.5 -> 13.3%
    assert _busiest_share(8000, 8) == pytest.approx((1000 + (2 * 1000 * 2.0794415) ** 0.5) / 8000, rel=1e-6)
    assert _busiest_share(8000, 1) == 1.0
