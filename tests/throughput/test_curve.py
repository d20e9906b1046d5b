"""Choosing an operating point under an SLO and scaling a measured point to other lengths."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costcalc.errors import ThroughputError
from costcalc.throughput.curve import (
    PREFILL_TOKEN_WEIGHT,
    pick_for_workload,
    pick_operating_point,
    scale_to_lengths,
)
from costcalc.throughput.points import LatencyStats, OperatingPoint


def point(
    concurrency,
    out_tps,
    *,
    ttft_p95=None,
    ttft_p99=None,
    tpot_p50=None,
    tpot_p95=None,
    itl_p50=None,
    rps=None,
    input_tokens=1000.0,
    output_tokens=200.0,
    e2e_p50=None,
):
    """A hand-made point; requests/s defaults to out_tps / output_tokens."""
    return OperatingPoint(
        requests_per_s=rps if rps is not None else out_tps / output_tokens,
        output_tokens_per_s=out_tps,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        concurrency=concurrency,
        ttft_ms=LatencyStats(p50=None, p95=ttft_p95, p99=ttft_p99),
        tpot_ms=LatencyStats(p50=tpot_p50, p95=tpot_p95),
        itl_ms=LatencyStats(p50=itl_p50),
        e2e_ms=LatencyStats(p50=e2e_p50),
        tool="test",
    )


# A concurrency sweep: throughput rises, latency worsens. Per-user speed is 1000 / TPOT p95.
C1 = point(1, 60.0, ttft_p95=100.0, tpot_p50=12.0, tpot_p95=15.0)  # 66.7 tok/s/user
C8 = point(8, 400.0, ttft_p95=400.0, tpot_p50=16.0, tpot_p95=20.0)  # 50 tok/s/user
C32 = point(32, 1100.0, ttft_p95=1400.0, tpot_p50=30.0, tpot_p95=40.0)  # 25 tok/s/user
C64 = point(64, 1500.0, ttft_p95=3000.0, tpot_p50=45.0, tpot_p95=60.0)  # 16.7 tok/s/user
SWEEP = [C1, C8, C32, C64]


def test_picks_highest_throughput_meeting_both_slos():
    result = pick_operating_point(SWEEP, ttft_p95_ms=1500, min_output_tokens_per_s_per_user=20)
    assert result.meets_slo and result.point is C32
    assert [r.point for r in result.rejected] == [C64]
    assert result.rejected[0].reason == "TTFT p95 3,000 ms > 1,500 ms; 16.7 output tokens/s per user at TPOT p95 < 20"
    assert "concurrency 32" in result.reason
    assert result.checks == ("TTFT p95 1,400 ms <= 1,500 ms", "25.0 output tokens/s per user at TPOT p95 >= 20")
    assert result.fallbacks == ()


def test_per_user_speed_is_checked_at_tpot_p95_not_the_median():
    # median TPOT 30 ms would give 33 tokens/s; the p95 of 40 ms gives 25 < 30
    result = pick_operating_point([C8, C32], ttft_p95_ms=None, min_output_tokens_per_s_per_user=30)
    assert result.point is C8
    assert result.rejected[0].reason == "25.0 output tokens/s per user at TPOT p95 < 30"


def test_a_median_tpot_stands_in_for_p95_only_with_its_name():
    median_only = point(16, 900.0, ttft_p95=300.0, tpot_p50=20.0)
    result = pick_operating_point([median_only], ttft_p95_ms=None, min_output_tokens_per_s_per_user=40)
    assert result.meets_slo and result.fallbacks == (("TPOT", "p50"),)
    assert result.checks == ("50.0 output tokens/s per user at TPOT p50 (p95 not reported) >= 40",)


def test_tighter_ttft_slo_moves_the_pick_down():
    result = pick_operating_point(SWEEP, ttft_p95_ms=500, min_output_tokens_per_s_per_user=None)
    assert result.point is C8
    assert [r.point for r in result.rejected] == [C32, C64]


def test_without_slo_the_highest_throughput_wins():
    result = pick_operating_point(SWEEP, ttft_p95_ms=None, min_output_tokens_per_s_per_user=None)
    assert result.meets_slo and result.point is C64 and result.rejected == ()


def test_ttft_p95_falls_back_to_p99_when_p95_not_reported():
    only_p99 = point(16, 900.0, ttft_p99=1600.0, tpot_p50=10.0)  # vLLM saves p99 only by default
    result = pick_operating_point([C8, only_p99], ttft_p95_ms=1500, min_output_tokens_per_s_per_user=None)
    assert result.point is C8
    assert result.rejected[0].reason == "TTFT p99 (p95 not reported) 1,600 ms > 1,500 ms"
    passing = pick_operating_point([only_p99], ttft_p95_ms=2000, min_output_tokens_per_s_per_user=None)
    assert passing.meets_slo and passing.fallbacks == (("TTFT", "p99"),)


def test_per_user_speed_falls_back_to_itl_without_tpot():
    # llmperf: ITL only. 1000 / 40 ms = 25 tokens/s per user.
    llmperf_like = point(16, 900.0, ttft_p95=300.0, itl_p50=40.0)
    assert pick_operating_point([llmperf_like], ttft_p95_ms=None, min_output_tokens_per_s_per_user=25).meets_slo
    assert not pick_operating_point([llmperf_like], ttft_p95_ms=None, min_output_tokens_per_s_per_user=26).meets_slo


def test_unknown_metric_cannot_meet_the_slo():
    no_ttft = point(8, 900.0, tpot_p50=10.0)
    result = pick_operating_point([no_ttft, C1], ttft_p95_ms=1500, min_output_tokens_per_s_per_user=None)
    assert result.point is C1
    assert "TTFT not reported" in result.rejected[0].reason


def test_none_meets_the_slo_returns_the_least_bad_point():
    # Violation ratios for TTFT 50 ms: C1 100/50 = 2, C8 8, C32 28, C64 60 -> C1 is least bad.
    result = pick_operating_point(SWEEP, ttft_p95_ms=50, min_output_tokens_per_s_per_user=None)
    assert not result.meets_slo and result.point is C1
    assert len(result.rejected) == 4
    assert result.reason.startswith("no point meets the SLO; least-bad is concurrency 1: TTFT p95 100 ms > 50 ms")


def test_least_bad_uses_the_worst_of_both_ratios():
    # a: TTFT 2x over, speed fine. b: TTFT 1.5x over, speed 50/40 = 1.25x under -> worst 1.5 < 2.
    a = point(4, 300.0, ttft_p95=200.0, tpot_p50=10.0)
    b = point(8, 500.0, ttft_p95=150.0, tpot_p50=25.0)
    result = pick_operating_point([a, b], ttft_p95_ms=100, min_output_tokens_per_s_per_user=50)
    assert not result.meets_slo and result.point is b


def test_tie_on_throughput_prefers_lower_concurrency():
    low, high = point(8, 500.0, ttft_p95=100.0), point(16, 500.0, ttft_p95=100.0)
    assert pick_operating_point([high, low], ttft_p95_ms=None, min_output_tokens_per_s_per_user=None).point is low


def test_no_points_is_an_error():
    with pytest.raises(ThroughputError, match="no operating points"):
        pick_operating_point([], ttft_p95_ms=None, min_output_tokens_per_s_per_user=None)


# --- scale_to_lengths -------------------------------------------------------------------------

MEASURED = point(
    16,
    400.0,
    rps=2.0,
    ttft_p95=300.0,
    tpot_p50=20.0,
    e2e_p50=8000.0,
    input_tokens=1000.0,
    output_tokens=200.0,
)


def test_same_lengths_change_nothing():
    assert scale_to_lengths(MEASURED, input_tokens=1000, output_tokens=200) == MEASURED


def test_first_order_model_worked_by_hand():
    assert PREFILL_TOKEN_WEIGHT == 0.1  # the arithmetic below uses it
    # measured work per request 0.1*1000 + 200 = 300; new 0.1*1000 + 500 = 600 -> half the req/s
    longer = scale_to_lengths(MEASURED, input_tokens=1000, output_tokens=500)
    assert longer.requests_per_s == pytest.approx(1.0)
    assert longer.output_tokens_per_s == pytest.approx(500.0)  # 1.0 req/s * 500 tokens
    assert longer.e2e_ms.p50 == pytest.approx(16000.0)  # Little's law at concurrency 16: 16 / 1.0 s
    assert longer.ttft_ms.p95 == pytest.approx(300.0)  # same prompt
    assert longer.tpot_ms == MEASURED.tpot_ms
    # 0.1*3000 + 0 ... new 0.1*3000 + 200 = 500 -> 2.0 * 300/500 = 1.2 req/s; TTFT x3 with the prompt
    long_prompt = scale_to_lengths(MEASURED, input_tokens=3000, output_tokens=200)
    assert long_prompt.requests_per_s == pytest.approx(1.2)
    assert long_prompt.output_tokens_per_s == pytest.approx(240.0)
    assert long_prompt.ttft_ms.p95 == pytest.approx(900.0)
    assert (long_prompt.input_tokens, long_prompt.output_tokens) == (3000.0, 200.0)
    assert (long_prompt.concurrency, long_prompt.tool) == (16, "test")


def test_estimator_shape_replaces_the_first_order_model():
    calls = []

    def shape(input_tokens, output_tokens):
        calls.append((input_tokens, output_tokens))
        return 1.0 / (input_tokens + 4 * output_tokens)

    scaled = scale_to_lengths(MEASURED, input_tokens=2000, output_tokens=100, shape=shape)
    # shape(measured) = 1/1800, shape(new) = 1/2400 -> 2.0 * 1800/2400 = 1.5 req/s
    assert scaled.requests_per_s == pytest.approx(1.5)
    assert scaled.output_tokens_per_s == pytest.approx(150.0)
    assert sorted(calls) == [(1000.0, 200.0), (2000, 100)]


@pytest.mark.parametrize(("inp", "out"), [(0, 100), (100, 0), (-5, 10)])
def test_invalid_target_lengths(inp, out):
    with pytest.raises(ThroughputError, match="mean lengths must be positive"):
        scale_to_lengths(MEASURED, input_tokens=inp, output_tokens=out)


def test_bad_shape_values_are_reported():
    with pytest.raises(ThroughputError, match="expected positive values"):
        scale_to_lengths(MEASURED, input_tokens=10, output_tokens=10, shape=lambda i, o: 0.0)


lengths = st.floats(min_value=1.0, max_value=100_000.0, allow_nan=False)


@given(inp=lengths, out=lengths, more=st.floats(min_value=1.01, max_value=10.0))
def test_longer_outputs_never_raise_requests_per_s(inp, out, more):
    base = scale_to_lengths(MEASURED, input_tokens=inp, output_tokens=out)
    longer = scale_to_lengths(MEASURED, input_tokens=inp, output_tokens=out * more)
    assert longer.requests_per_s < base.requests_per_s
    assert longer.output_tokens_per_s >= base.output_tokens_per_s * (1 - 1e-12)


@given(inp=lengths, out=lengths)
def test_littles_law_holds_after_scaling(inp, out):
    scaled = scale_to_lengths(MEASURED, input_tokens=inp, output_tokens=out)
    before = MEASURED.requests_per_s * MEASURED.e2e_ms.p50
    assert scaled.requests_per_s * scaled.e2e_ms.p50 == pytest.approx(before, rel=1e-9)


@given(inp=lengths, out=lengths)
def test_scaling_there_and_back_returns_the_measured_rates(inp, out):
    there = scale_to_lengths(MEASURED, input_tokens=inp, output_tokens=out)
    back = scale_to_lengths(there, input_tokens=1000.0, output_tokens=200.0)
    assert back.requests_per_s == pytest.approx(MEASURED.requests_per_s, rel=1e-9)
    assert (
        dataclasses.replace(
            back,
            requests_per_s=2.0,
            output_tokens_per_s=400.0,
            ttft_ms=MEASURED.ttft_ms,
            e2e_ms=MEASURED.e2e_ms,
        )
        == MEASURED
    )


def test_pick_for_workload_checks_the_slo_at_the_workload_lengths():
    # Measured at 1000-token prompts: TTFT p95 C8 400 ms, C32 1400 ms (both under 1500 ms).
    # At 2000-token prompts TTFT doubles (800, 2800 ms), so C32 no longer qualifies.
    result = pick_for_workload(
        SWEEP,
        input_tokens=2000,
        output_tokens=200,
        ttft_p95_ms=1500,
        min_output_tokens_per_s_per_user=None,
    )
    assert result.meets_slo and result.point.concurrency == 8
    assert result.point.ttft_ms.p95 == pytest.approx(800.0)
    # work per request 0.1*1000+200 = 300 -> 0.1*2000+200 = 400: 400 tok/s * 300/400 = 300 tok/s
    assert result.point.output_tokens_per_s == pytest.approx(300.0)
