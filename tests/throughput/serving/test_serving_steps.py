"""Step-time tables: they reproduce the timing functions they were built from."""

from __future__ import annotations

import pytest

from costcalc.throughput.serving.steps import batch_grid, measured, tabulate


def decode(batch: int, context: float) -> float:
    """A decode step linear in batch and in batch * context (KV reads), as the estimator's is."""
    return 0.008 + 0.0002 * batch + 1e-8 * batch * context


def prefill(tokens: float) -> tuple[float, float]:
    """(latency alone, cost batched): quadratic attention, a fixed 15 ms when the prompt runs alone."""
    cost = 1e-5 * tokens + 1e-10 * tokens**2
    return (0.015 + cost if tokens > 0 else 0.0), cost


def test_tables_reproduce_the_timing_functions():
    t = tabulate(
        decode_step_s=decode, prefill_s=prefill, max_batch=300, max_prompt_tokens=50_000, max_context_tokens=60_000
    )
    assert t.max_batch == 300
    for batch in (1, 2, 7, 100, 299, 300):
        for context in (0.0, 1000.0, 55_000.0):
            assert t.decode(batch, context) == pytest.approx(decode(batch, context), rel=1e-9)
    for tokens in (1, 512, 8192, 50_000):
        assert t.prefill_cost(tokens) == pytest.approx(prefill(tokens)[1], rel=0.005)
        assert t.prefill_alone(tokens) == pytest.approx(0.015, rel=1e-6)
    # a chunk of positions [a, b) costs P(b) - P(a): later chunks attend to more context
    assert t.prefill_cost(8192) - t.prefill_cost(0) < t.prefill_cost(50_000) - t.prefill_cost(50_000 - 8192)


def test_batch_grid_keeps_small_batches_and_the_top():
    grid = batch_grid(1024)
    assert {1, 2, 3, 4, 6, 8} <= set(grid) and grid[-1] == 1024 and len(grid) < 40
    assert list(batch_grid(1)) == [1]


def test_measured_tables_are_linear_in_between_and_flat_past_the_end():
    t = measured(decode_s_by_batch={1: 0.010, 5: 0.014}, prefill_s_per_token=0.0002, prefill_fixed_s=0.03)
    assert t.decode(3, 0) == pytest.approx(0.012) and t.max_batch == 5
    assert t.prefill_cost(1000) == pytest.approx(0.2) and t.prefill_alone(1000) == pytest.approx(0.03)
    with pytest.raises(ValueError, match="batch sizes >= 1"):
        measured(decode_s_by_batch={}, prefill_s_per_token=0.0, prefill_fixed_s=0.0)


def test_per_token_tables_are_the_interpolated_values_bit_for_bit():
    t = tabulate(
        decode_step_s=decode, prefill_s=prefill, max_batch=8, max_prompt_tokens=50_000, max_context_tokens=60_000
    )
    cost, alone = t.prefill_tables(60_000)  # past the grid's end too (extrapolated)
    assert len(cost) == len(alone) == 60_001
    assert cost == [t.prefill_cost(n) for n in range(60_001)]
    assert alone == [t.prefill_alone(n) for n in range(60_001)]
