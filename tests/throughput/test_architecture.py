"""Kernel-architecture factors: every catalog GPU has its architecture, the factors scale its rig, and the fit
moves an architecture's factors only where its rows come from two publishers or more."""

from __future__ import annotations

from dataclasses import replace

import pytest

from costcalc.catalog import get_gpu
from costcalc.catalog.lookup import list_gpus
from costcalc.throughput.architecture import ARCHITECTURES, REFERENCE_ARCHITECTURE, gpu_architecture
from costcalc.throughput.calibration import estimate_row, publisher_of
from costcalc.throughput.factors import ClassFactors, Factors
from costcalc.throughput.fit import fit_factors
from costcalc.throughput.knobs import knobs
from costcalc.throughput.rig import make_rig
from tests.throughput.test_calibration import MODELS, _get, row
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def test_every_catalog_gpu_but_apples_has_its_kernel_architecture():
    for gpu in list_gpus():
        arch = gpu_architecture(gpu)
        assert (arch is None) == (gpu.vendor == "apple"), gpu.id
    assert gpu_architecture(get_gpu("a100-sxm-80gb")) == "sm80"
    assert gpu_architecture(get_gpu("h200-sxm-141gb")) == REFERENCE_ARCHITECTURE
    assert gpu_architecture(get_gpu("mi300x-192gb")) == "gfx942"
    assert gpu_architecture(get_gpu("dgx-spark-gb10")) == "sm121"
    assert set(ARCHITECTURES) <= {g.id for g in list_gpus()}


def test_an_architectures_factors_scale_its_gpus_bandwidth_and_compute_only():
    f = factors()
    tuned = replace(f, architectures={"sm80": ClassFactors(bandwidth=1.2, compute=1.5)})
    a100, h100 = gpu_h100(id="a100-sxm-80gb"), gpu_h100(id="h100-sxm-80gb")
    before, after = (
        make_rig(a100, dense_8b(), 1, "bf16", "vllm", f),
        make_rig(a100, dense_8b(), 1, "bf16", "vllm", tuned),
    )
    assert after.bw_gb_s == pytest.approx(before.bw_gb_s * 1.2)
    assert after.flops == pytest.approx(before.flops * 1.5)
    assert after.attention_flops == pytest.approx(before.attention_flops * 1.5)
    assert make_rig(h100, dense_8b(), 1, "bf16", "vllm", tuned) == make_rig(h100, dense_8b(), 1, "bf16", "vllm", f)


def test_a_rows_publisher_is_its_github_owner_or_its_host():
    assert (
        publisher_of({"source_url": "https://github.com/dstackai/benchmarks/blob/85a2/x.csv#L3"}) == "github:dstackai"
    )
    assert publisher_of({"source_url": "https://gist.github.com/BenHamm/7856"}) == "github:benhamm"
    assert publisher_of({"source_url": "https://www.docs.vultr.com/inference-cookbook/x"}) == "docs.vultr.com"


def test_architecture_factors_round_trip_through_json():
    f = replace(factors(), architectures={"gfx942": ClassFactors(bandwidth=0.8, compute=0.9)})
    assert Factors.from_dict(f.to_dict()).architectures == {"gfx942": ClassFactors(bandwidth=0.8, compute=0.9)}
    # factors.json says what they are beside them
    assert f.to_dict()["provenance"]["architectures"].startswith("fitted, not measured")
    assert Factors.from_dict({k: v for k, v in factors().to_dict().items() if k != "architectures"}).architectures == {}


def test_only_the_datacenter_architectures_but_the_reference_are_fitted():
    names = {k.name for k in knobs()}
    assert "architecture.sm80.bandwidth" in names and "architecture.gfx942.compute" in names
    assert not any(n.startswith(f"architecture.{REFERENCE_ARCHITECTURE}.") for n in names)
    # workstation parts (Ada, consumer Ampere / Blackwell, GB10) keep their class factors only
    assert not any(n.startswith(("architecture.sm89.", "architecture.sm86.", "architecture.sm121.")) for n in names)


def _measured_rows(plan, truth_of, lookup) -> list[dict[str, str]]:
    """Single-stream rows of each (gpu, sources, repeats) in plan, their values estimated with truth_of(gpu)."""
    shapes = [("0", "128", "output_tokens_per_s"), ("0", "64", "tpot_ms"), ("300", "300", "output_tokens_per_s")]
    cases = []
    for gpu, sources, repeats in plan:
        for i, (inp, out, metric) in enumerate(shapes * repeats):
            r = row(
                gpu=gpu,
                model="test-8b" if i % 2 else "test-70b",
                precision="bf16" if i % 2 else "fp8",
                input_tokens=inp,
                output_tokens=out,
                concurrency="1",
                scenario="single",
                metric=metric,
                protocol="in_process",
                source_url=sources[i % len(sources)],
            )
            value, _ = estimate_row(r, truth_of(gpu), lookup)
            cases.append({**r, "value": str(value), "trust": "high"})
    return cases


def _planted_cases(a100_sources: list[str], h100_repeats: int = 2) -> list[dict[str, str]]:
    """Rows measured with the A100 (sm80) decoding 1.3x faster than the shared efficiency gives, beside H100 rows
    (the reference architecture; by default twice as many, most of the rows as in the shipped set)."""
    truth = replace(factors(), architectures={"sm80": ClassFactors(bandwidth=1.3)})
    lookup = (
        _get({"gpu-a": gpu_h100(id="a100-sxm-80gb"), "gpu-h": gpu_h100(id="h100-sxm-80gb")}, "GPU"),
        _get(MODELS, "model"),
    )
    plan = (("gpu-h", ["https://h.example/1", "https://g.example/2"], h100_repeats), ("gpu-a", a100_sources, 1))
    return _measured_rows(plan, lambda gpu: truth, lookup), lookup


TWO_PUBLISHERS = ["https://github.com/lab-a/results/blob/x/a.json", "https://b.example/report"]


def test_the_fit_moves_an_architecture_only_with_rows_from_two_publishers():
    two, lookup = _planted_cases(TWO_PUBLISHERS)
    fitted = fit_factors(two, factors(), lookup, rounds=8, prior_weight=0.0)
    assert fitted.architectures["sm80"].bandwidth == pytest.approx(1.3, rel=0.05)
    # two documents of one publisher (one lab's methodology) are one voice: the factor stays 1
    one, lookup = _planted_cases(
        ["https://github.com/lab-a/results/blob/x/a.json", "https://github.com/Lab-A/results/blob/x/b.json"]
    )
    fitted = fit_factors(one, factors(), lookup, rounds=8, prior_weight=0.0)
    assert "sm80" not in fitted.architectures


def _without_architecture_knobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fit as it ran before architecture factors existed: every knob but theirs."""
    shared = [k for k in knobs() if not k.name.startswith("architecture.")]
    monkeypatch.setattr("costcalc.throughput.fit.knobs", lambda: shared)


def test_the_staged_fit_recovers_a_planted_architecture_factor_with_the_shared_factors_at_their_first_stage(
    monkeypatch,
):
    cases, lookup = _planted_cases(TWO_PUBLISHERS)
    staged = fit_factors(cases, factors(), lookup, rounds=8, prior_weight=0.0)
    with monkeypatch.context() as m:
        _without_architecture_knobs(m)
        shared_only = fit_factors(cases, factors(), lookup, rounds=8, prior_weight=0.0)
    assert staged.architectures["sm80"].bandwidth == pytest.approx(1.3, rel=0.05)
    assert replace(staged, architectures={}) == shared_only


def test_rows_of_an_architecture_without_its_own_factor_keep_the_first_stages_estimate(monkeypatch):
    # as many A100 rows as H100 rows: fitted without architecture factors, they pull the shared vLLM efficiency
    # toward the A100; fitted jointly, an sm80 factor would take that pull away and move every H100 estimate
    cases, lookup = _planted_cases(TWO_PUBLISHERS, h100_repeats=1)
    staged = fit_factors(cases, factors(), lookup, rounds=8, prior_weight=0.0)
    with monkeypatch.context() as m:
        _without_architecture_knobs(m)
        shared_only = fit_factors(cases, factors(), lookup, rounds=8, prior_weight=0.0)
    # stage 2 moves the architecture factors and nothing else
    assert replace(staged, architectures={}) == shared_only
    for r in cases:
        if r["gpu"] == "gpu-h":
            assert estimate_row(r, staged, lookup) == estimate_row(r, shared_only, lookup)


def test_a_set_without_a_fitted_architecture_gets_the_shared_fit_unchanged(monkeypatch):
    cases, lookup = _planted_cases(TWO_PUBLISHERS)
    hopper = [r for r in cases if r["gpu"] == "gpu-h"]
    staged = fit_factors(hopper, factors(), lookup, rounds=8)
    _without_architecture_knobs(monkeypatch)
    assert staged == fit_factors(hopper, factors(), lookup, rounds=8)
    assert staged.architectures == {}


def _planted_rocm_cases() -> tuple[list[dict[str, str]], object]:
    """H100 rows at the shared factors beside MI300X rows (gfx942: ROCm) decoding at 0.7x the bandwidth, two publishers."""
    truth = replace(factors(), architectures={"gfx942": ClassFactors(bandwidth=0.7)})
    lookup = (
        _get({"gpu-m": gpu_h100(id="mi300x-192gb", vendor="amd"), "gpu-h": gpu_h100(id="h100-sxm-80gb")}, "GPU"),
        _get(MODELS, "model"),
    )
    plan = (("gpu-h", ["https://h.example/1", "https://g.example/2"], 2), ("gpu-m", TWO_PUBLISHERS, 2))
    return _measured_rows(plan, lambda gpu: factors() if gpu == "gpu-h" else truth, lookup), lookup


def test_rows_of_another_kernel_stack_move_only_their_own_architecture_factors():
    # the MI300X rows (ROCm: hipBLASLt, AITER, RCCL) read 0.7x: fitted in stage 1 they pulled the shared efficiencies
    # down for every NVIDIA GPU; now the shared factors are the fit's without them and gfx942 takes the 0.7
    cases, lookup = _planted_rocm_cases()
    both = fit_factors(cases, factors(), lookup, rounds=8, prior_weight=0.0)
    nvidia = fit_factors([r for r in cases if r["gpu"] == "gpu-h"], factors(), lookup, rounds=8, prior_weight=0.0)
    assert replace(both, architectures={}) == nvidia
    assert both.architectures["gfx942"].bandwidth == pytest.approx(0.7, rel=0.05)
