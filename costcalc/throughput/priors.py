"""Where every refit starts and what it is pulled toward: physically plausible factors, stated once."""

from __future__ import annotations

from dataclasses import dataclass, replace

from costcalc.throughput.factors import Factors

# Where a refit starts, and what it is pulled toward: physically plausible values, stated once.
# sequence_overhead_us starts at 10 us of host time per sequence per step for every engine (no
# source gives it; the fit moves it) and emulated_format_efficiency at 1 (no penalty), so only the
# data can lower them. moe_layer_overhead_us starts at 20 us per MoE layer per step (a handful of
# routing and permutation kernels of a few microseconds each).
# fp4_compute_efficiency starts at 1 (no penalty) so only the data can lower it.
# max_batch, memory_utilization and runtime_overhead_gb are engine defaults and are not fitted
# (vLLM's max_batch is 1024 on GPUs of 70 GiB or more except A100s, else 256: factors.py):
# vLLM and SGLang reserve ~0.9 of GPU memory (gpu_memory_utilization / mem_fraction_static),
# TensorRT-LLM gives 0.9 of free memory to its KV cache, llama.cpp maps all layers to the GPU,
# and macOS lets the GPU wire about 0.75-0.8 of unified memory. request_overhead_ms (not fitted)
# is the gap between a served TTFT and its compute, read per engine from the one page that ran
# vLLM and SGLang with the same client, prompts and GPU: GPUStack's Qwen3-8B latency page
# (gpustack/gpustack docs/performance-lab/qwen3-8b/h100-latency.md @1dbc3b81; one H100 SXM,
# `vllm bench serve` with 100 ShareGPT prompts of ~233 tokens). vLLM v0.11.0 at one client: a mean
# TTFT of 59 ms where the prefill itself takes ~12 ms (45 ms). SGLang v0.5.3.post3 (the page's
# engine comparison, its default server at 4 clients): a mean TTFT of 27.70 ms where the prefill
# and the wait for the running step take ~12 ms (15 ms). In-process benchmarks (trtllm-bench,
# llama-bench, mlx_lm) have none. TensorRT-LLM keeps none: its served rows come from two front
# ends, trtllm-serve on that page (51.61 ms at 4 clients) and NIM (tp-412: ~12 ms at one client).
# The two overheads read off that page (see above and SOURCED_OVERHEADS below).
VLLM_REQUEST_OVERHEAD_MS = 45.0
SGLANG_REQUEST_OVERHEAD_MS = 15.0
PRIOR_FACTORS: dict[str, object] = {
    "comm_latency_us": 10.0,
    "moe_layer_overhead_us": 20.0,
    "moe_compute_efficiency": 0.5,
    "moe_bandwidth_efficiency": 1.0,
    "comm_bandwidth_efficiency": 0.8,
    "fp4_compute_efficiency": 1.0,
    "engine_classes": {"llamacpp/datacenter": {"bandwidth": 1.0, "compute": 1.0}},
    "engines": {
        "trtllm": {
            "bandwidth_efficiency": 0.8,
            "compute_efficiency": 0.6,
            "step_overhead_ms": 0.3,
            "memory_utilization": 0.9,
            "runtime_overhead_gb": 2.0,
            "max_batch": 2048,
            "sequence_overhead_us": 10.0,
        },
        "vllm": {
            "request_overhead_ms": VLLM_REQUEST_OVERHEAD_MS,
            "bandwidth_efficiency": 0.75,
            "compute_efficiency": 0.5,
            "step_overhead_ms": 0.5,
            "memory_utilization": 0.9,
            "runtime_overhead_gb": 2.0,
            "max_batch": 1024,
            "max_batch_small_gpu": 256,
            "sequence_overhead_us": 10.0,
        },
        "sglang": {
            "request_overhead_ms": SGLANG_REQUEST_OVERHEAD_MS,
            "bandwidth_efficiency": 0.75,
            "compute_efficiency": 0.5,
            "step_overhead_ms": 0.5,
            "memory_utilization": 0.88,
            "runtime_overhead_gb": 2.0,
            "max_batch": 1024,
            "sequence_overhead_us": 10.0,
        },
        "llamacpp": {
            "bandwidth_efficiency": 0.7,
            "compute_efficiency": 0.4,
            "step_overhead_ms": 1.0,
            "memory_utilization": 0.95,
            "runtime_overhead_gb": 0.5,
            "max_batch": 64,
            "sequence_overhead_us": 10.0,
            # order-of-magnitude starts of the per-SM limits (sm_bound.SM_BOUND_ENGINES): 8 GB/s per SM
            # is ~4 KiB in flight per SM over ~0.5 us of DRAM latency; 512 FLOP per SM per clock is a
            # quarter of an Ampere GA102 SM's dense int8 MMA rate (284 TOPS / 82 SMs / 1.695 GHz)
            "sm_bandwidth_gb_s": 8.0,
            "sm_flops_per_clock": 512.0,
        },
        "mlx": {
            "bandwidth_efficiency": 0.7,
            "compute_efficiency": 0.4,
            "step_overhead_ms": 1.0,
            "memory_utilization": 0.8,
            "runtime_overhead_gb": 0.5,
            "max_batch": 32,
            "sequence_overhead_us": 10.0,
        },
    },
    "classes": {
        "datacenter": {"bandwidth": 1.0, "compute": 1.0},
        "workstation": {"bandwidth": 1.0, "compute": 1.0},
        "apple": {"bandwidth": 1.0, "compute": 1.0},
    },
}


# The calibration source (calibration.source_of) the request overheads above are read from.
REQUEST_OVERHEAD_SOURCE = (
    "https://github.com/gpustack/gpustack/blob/1dbc3b8130da92d31539404545a1aff5c3992f8c"
    "/docs/performance-lab/qwen3-8b/h100-latency.md"
)


@dataclass(frozen=True)
class SourcedOverhead:
    """An engine's request overhead read off one calibration source's rows, and its value without that source."""

    engine: str
    source: str
    without_ms: float


# A fit that holds the source out (holdout.leave_one_source_out) must not know what was read from it: it starts from
# what the estimator had without that page. SGLang's overhead was vLLM's ("assumed alike"). vLLM's own 45 ms has no
# value without the page (nothing else gives it), so the page's vLLM rows are held out knowing it: a leak kept and
# stated (with 0 ms instead, that fold's four vLLM TTFT rows, tp-439/441/444/446, go from -5..-14% to about -80%).
SOURCED_OVERHEADS: tuple[SourcedOverhead, ...] = (
    SourcedOverhead("sglang", REQUEST_OVERHEAD_SOURCE, without_ms=VLLM_REQUEST_OVERHEAD_MS),
)


def prior_factors(without: str | None = None) -> Factors:
    """The starting point of every refit, so a refit does not depend on the last one.

    without: the calibration source a fit leaves out; an overhead read off that source takes its value without it.
    """
    priors = Factors.from_dict({**PRIOR_FACTORS, "fitted_on": "priors"})
    engines = dict(priors.engines)
    for so in SOURCED_OVERHEADS:
        if so.source == without:
            engines[so.engine] = replace(engines[so.engine], request_overhead_ms=so.without_ms)
    return replace(priors, engines=engines)
