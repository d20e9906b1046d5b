"""Capacity of the estimator's configurations under the SLO: step times from the estimator, then the search."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.serving.capacity import Targets
from costcalc.throughput.serving.estimated import estimated_capacity, estimated_lowest_load


def capacity(**targets: float | None):
    return estimated_capacity(
        get_gpu("h100-sxm-80gb"),
        get_model("llama-3.1-8b"),
        input_tokens=(1000.0, 4000.0),
        shares=(0.8, 0.2),
        output_tokens=200,
        targets=Targets(**targets),
    )


def test_estimated_capacity_meets_its_targets_below_full_load():
    cap = capacity(ttft_p95_ms=500, min_output_tokens_per_s_per_user=40)
    s = cap.serving
    assert s is not None and s.meets_slo and s.at is not None
    assert s.requests_per_s <= cap.full_load.requests_per_s
    assert s.at.ttft_ms.p95 <= 500 and s.at.tpot_ms.p95 <= 1000 / 40
    assert cap.at_capacity is not None and cap.error_band == cap.at_capacity.error_band


def test_tighter_targets_never_raise_capacity():
    loose = capacity(min_output_tokens_per_s_per_user=30).serving
    tight = capacity(min_output_tokens_per_s_per_user=60).serving
    assert loose is not None and tight is not None
    assert tight.requests_per_s < loose.requests_per_s


def test_estimated_capacity_is_cached_per_configuration():
    assert capacity(ttft_p95_ms=700) is capacity(ttft_p95_ms=700)


def test_a_configuration_that_does_not_fit_has_no_serving_capacity():
    cap = estimated_capacity(
        get_gpu("l4-24gb"),
        get_model("llama-3.3-70b"),
        precision="bf16",
        input_tokens=(1000.0,),
        shares=(1.0,),
        output_tokens=100,
        targets=Targets(ttft_p95_ms=1000),
    )
    assert not cap.full_load.fits and cap.serving is None


def test_targets_state_the_percentile_they_check():
    t = Targets(ttft_p95_ms=1500, min_output_tokens_per_s_per_user=25)
    assert t.tpot_p95_ms == pytest.approx(40.0) and t.given and not Targets().given


@pytest.mark.parametrize("targets", [{"ttft_p95_ms": 5}, {"ttft_p95_ms": 700}, {}], ids=["never", "met", "none"])
def test_the_lowest_load_run_is_the_capacity_searchs_first(targets: dict[str, float]) -> None:
    args = {
        "input_tokens": (1000.0, 4000.0),
        "shares": (0.8, 0.2),
        "output_tokens": 200,
        "targets": Targets(**targets),
    }
    gpu, model = get_gpu("h100-sxm-80gb"), get_model("llama-3.1-8b")
    first = estimated_lowest_load(gpu, model, **args)
    serving = estimated_capacity(gpu, model, **args).serving
    assert serving is not None
    if not targets:
        assert first is None and serving.at is None
        return
    assert first is not None and (not first.missed) == serving.meets_slo and first.reason == serving.reason
    assert estimated_lowest_load(gpu, model, **args) is first  # cached: the capacity search started from it


def test_a_one_token_answers_capacity_is_banded_by_the_requests_it_serves_at_once():
    """qa15 finding 1: a classifier (one output token) never decodes, so counting only decoding sequences read its
    server as idle (0.0 in flight) and quoted the single-stream band at 27 requests/s. Requests in prefill are in
    flight too."""
    cap = estimated_capacity(
        get_gpu("h100-sxm-80gb"),
        get_model("llama-3.1-8b"),
        input_tokens=(1000.0,),
        shares=(1.0,),
        output_tokens=1,
        targets=Targets(ttft_p95_ms=1500),
    )
    s = cap.serving
    assert s is not None and s.at is not None
    # admitted requests, fewer than Little's law's count of every request in the server (those queued too): a
    # one-token request leaves with its first token, so its time in the server is its TTFT
    assert 1 < s.at.mean_in_flight < s.requests_per_s * s.at.ttft_ms.p99 / 1000
    assert cap.banded.band_scenario == "server" and cap.banded.concurrency > 1
