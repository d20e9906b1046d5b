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
    flight too. (A TTFT target that binds below the full load: at 1,500 ms the refit of 2026-12-07 serves the full
    load within it, which is banded offline.)"""
    cap = estimated_capacity(
        get_gpu("h100-sxm-80gb"),
        get_model("llama-3.1-8b"),
        input_tokens=(1000.0,),
        shares=(1.0,),
        output_tokens=1,
        targets=Targets(ttft_p95_ms=1000),
    )
    s = cap.serving
    assert s is not None and s.at is not None
    # admitted requests, fewer than Little's law's count of every request in the server (those queued too): a
    # one-token request leaves with its first token, so its time in the server is its TTFT
    assert 1 < s.at.mean_in_flight < s.requests_per_s * s.at.ttft_ms.p99 / 1000
    assert cap.banded.band_scenario == "server" and cap.banded.concurrency > 1


def _pcie(gpus: int, model: str, precision: str, engine: str, lengths: tuple[int, int], **targets: float):
    return estimated_capacity(
        get_gpu("rtx-4090-24gb"),
        get_model(model),
        gpu_count=gpus,
        precision=precision,
        engine=engine,
        input_tokens=(float(lengths[0]),),
        shares=(1.0,),
        output_tokens=lengths[1],
        targets=Targets(**targets),
    )


# qa15's GPU-count pairs whose larger replica served less under an SLO: the layout was chosen for full-load
# throughput (pipeline parallel at 4 GPUs: 0.0297 requests/s against 2 GPUs' tensor parallel 0.13; llama.cpp on 8
# GPUs tensor parallel 0.0226 against 4 GPUs' pipeline parallel 0.0417)
PCIE_PAIRS = [
    (2, 4, ("qwen3-32b", "fp8", "vllm", (8000, 1)), {"ttft_p95_ms": 5000}),
    (
        4,
        8,
        ("llama-3.1-8b", "q4_k_m", "llamacpp", (30000, 300)),
        {"ttft_p95_ms": 1500, "min_output_tokens_per_s_per_user": 20},
    ),
]


@pytest.mark.parametrize(("fewer", "more", "config", "targets"), PCIE_PAIRS, ids=["vllm-ttft", "llamacpp-unmet"])
def test_more_pcie_gpus_under_an_slo_serve_no_less(
    fewer: int, more: int, config: tuple[str, str, str, tuple[int, int]], targets: dict[str, float]
) -> None:
    small, large = _pcie(fewer, *config, **targets).serving, _pcie(more, *config, **targets).serving
    assert small is not None and large is not None
    assert large.requests_per_s >= small.requests_per_s


@pytest.mark.parametrize(("fewer", "more", "config", "targets"), PCIE_PAIRS, ids=["vllm-ttft", "llamacpp-unmet"])
def test_a_pcie_replica_under_an_slo_takes_the_layout_serving_the_most(
    fewer: int, more: int, config: tuple[str, str, str, tuple[int, int]], targets: dict[str, float]
) -> None:
    """Each layout's replica searched on its own: the capacity is the best of them (meeting the SLO first), and every
    figure of the configuration (full load, the estimate banded at capacity, the lowest-load run) is at that layout."""
    from costcalc.throughput.serving.capacity import search_capacity
    from costcalc.throughput.serving.replica import build_replica

    model, precision, engine, (inp, out) = config
    cap = _pcie(more, *config, **targets)
    found = {}
    for layout in ("tp", "pp"):
        replica = build_replica(
            get_gpu("rtx-4090-24gb"),
            get_model(model),
            gpu_count=more,
            precision=precision,
            engine=engine,
            input_tokens=inp,
            output_tokens=out,
            max_prompt_tokens=inp,
            max_context_tokens=inp + out,
            min_context_tokens=inp + out,
            parallelism=layout,
        )
        assert replica.scheduler is not None and replica.steps is not None
        searched = search_capacity(
            replica.steps,
            replica.scheduler,
            input_tokens=(float(inp),),
            shares=(1.0,),
            output_tokens=out,
            targets=Targets(**targets),
            full_load_requests_per_s=replica.full_load.requests_per_s,
        )
        found[layout] = (searched.meets_slo, searched.requests_per_s)
    assert cap.serving is not None
    best = max(found, key=lambda layout: found[layout])
    assert cap.full_load.parallelism == best
    assert (cap.serving.meets_slo, cap.serving.requests_per_s) == pytest.approx(found[best])
    assert cap.at_capacity is None or cap.at_capacity.parallelism == best
    first = estimated_lowest_load(
        get_gpu("rtx-4090-24gb"),
        get_model(model),
        gpu_count=more,
        precision=precision,
        engine=engine,
        input_tokens=(float(inp),),
        shares=(1.0,),
        output_tokens=out,
        targets=Targets(**targets),
    )
    # one run tells whether the capacity meets the targets at any layout (recommend's miss check)
    assert first is not None and (not first.missed) == cap.serving.meets_slo


def test_without_a_target_the_layout_is_the_one_serving_more_at_full_load() -> None:
    cap = _pcie(4, "qwen3-32b", "fp8", "vllm", (8000, 1))
    assert cap.full_load.parallelism == "pp" and cap.serving is not None and cap.serving.at is None


def test_a_layout_the_gpus_cannot_take_is_refused() -> None:
    from costcalc.errors import InputError
    from costcalc.throughput.estimate import estimate

    with pytest.raises(InputError, match=r"a replica of 1x h100-sxm-80gb takes the layout single, not 'pp'"):
        estimate(
            get_gpu("h100-sxm-80gb"), get_model("llama-3.1-8b"), input_tokens=100, output_tokens=10, parallelism="pp"
        )
