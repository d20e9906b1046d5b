"""A custom GPU that says what it is like is estimated as that catalog GPU's kind with its own figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import costcalc
from costcalc.catalog import get_gpu, get_model, list_gpus
from costcalc.models.options import CustomGpu
from costcalc.resolve.custom_gpu import custom_spec, custom_words
from costcalc.throughput.estimate import estimate

TODAY = dt.date(2026, 11, 26)
FIGURES = (  # every catalog figure a custom_gpu can state
    "memory_gb",
    "memory_bandwidth_gb_s",
    "bf16_tflops",
    "fp8_tflops",
    "fp4_tflops",
    "int8_tops",
    "interconnect_gb_s",
    "sm_count",
    "boost_clock_mhz",
    "tdp_w",
    "idle_w",
)


H100_RATES = {"memory_bandwidth_gb_s": 3350, "bf16_tflops": 989.4, "fp8_tflops": 1978.9}


def twin(gpu_id: str, **changes: Any) -> dict[str, Any]:
    """A custom_gpu mapping with `gpu_id`'s catalog figures, like it, named 'my-gpu', with `changes` applied."""
    gpu = get_gpu(gpu_id)
    figures = {k: getattr(gpu, k) for k in FIGURES if getattr(gpu, k) is not None}
    return {"name": "my-gpu", "like": gpu_id, **figures, **changes}


def spec(mapping: dict[str, Any]) -> Any:
    return custom_spec(CustomGpu(**mapping), "options[X].hardware.custom_gpu")


def scenario(custom: dict[str, Any], precision: str | None = None, **option: Any) -> dict[str, Any]:
    """An API and two rented options of qwen3-32b, on the catalog's h100-sxm-80gb and on `custom`, under a TTFT SLO."""
    model = {"model": "qwen3-32b"} | ({"precision": precision} if precision else {}) | option
    return {
        "version": 1,
        "workload": {
            "requests_per_day": 100_000,
            "input_tokens": 1000,
            "output_tokens": 200,
            "slo": {"ttft_p95_ms": 2000},
        },
        "options": [
            {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 2}},
            {
                "name": "Catalog",
                "kind": "self_hosted",
                **model,
                "hardware": {"gpu": custom.get("like", "h100-sxm-80gb"), "acquisition": "rent", "hourly_usd": 2.0},
            },
            {
                "name": "Custom",
                "kind": "self_hosted",
                **model,
                "hardware": {"custom_gpu": custom, "acquisition": "rent", "hourly_usd": 2.0},
            },
        ],
    }


@pytest.mark.parametrize(
    ("gpu_id", "model", "precision", "engine", "gpus"),
    [
        ("h100-sxm-80gb", "qwen3-32b", "bf16", "vllm", 1),
        ("h100-sxm-80gb", "llama-3.3-70b", "fp8", "trtllm", 2),
        ("h100-sxm-80gb", "llama-3.1-8b", "q4_k_m", "llamacpp", 1),  # SM count and clock: llama.cpp's limits
        ("a100-sxm-80gb", "llama-3.1-8b", "bf16", "vllm", 1),  # FlashAttention's and the matmul's measured shares
        ("mi300x-192gb", "gpt-oss-120b", "mxfp4", "vllm", 1),  # gfx942's fitted factors
        ("rtx-4090-24gb", "qwen3-8b", "fp8", "sglang", 2),  # workstation class, PCIe layouts, best-shape matmul
        ("apple-m3-max", "qwen3-8b", "q4_k_m", "mlx", 1),  # Apple: no TFLOPS, no architecture
    ],
)
def test_a_custom_gpu_with_a_catalog_gpus_figures_like_it_estimates_what_it_does(
    gpu_id: str, model: str, precision: str, engine: str, gpus: int
) -> None:
    # on main every engine refused a custom GPU ('not estimated on a custom GPU ...'): it had no vendor
    kwargs: dict[str, Any] = dict(
        gpu_count=gpus, precision=precision, engine=engine, input_tokens=8000, output_tokens=300, server=True
    )
    catalog = estimate(get_gpu(gpu_id), get_model(model), **kwargs)
    custom = estimate(spec(twin(gpu_id)), get_model(model), **kwargs)
    assert catalog.fits and custom.gpu == "my-gpu"
    assert dataclasses.replace(custom, gpu=gpu_id) == catalog


def test_its_report_costs_it_as_the_catalog_gpu_with_the_same_band_and_says_it_is_unmeasured(
    write_yaml: Callable[..., Path],
) -> None:
    result = costcalc.analyze(str(write_yaml(scenario(twin("h100-sxm-80gb")))), today=TODAY)
    catalog, custom = result.option("Catalog").throughput, result.option("Custom").throughput
    assert catalog is not None and custom is not None and custom.basis == "estimated"
    assert custom.requests_per_s_per_replica == catalog.requests_per_s_per_replica
    assert custom.actual_range == catalog.actual_range  # the vllm server band, 0.75x-1.33x
    assert custom.ttft_p95_ms == catalog.ttft_p95_ms
    assert result.option("Custom").monthly_cost == result.option("Catalog").monthly_cost
    assert custom.published_runs is not None and custom.published_runs.summary.startswith(
        "no published run of vllm on my-gpu; nearest: qwen3-32b with vllm on other GPUs, 10 runs"
    )
    line = next(a for a in result.assumptions if a.startswith("gpu my-gpu:"))
    assert line.startswith(
        "gpu my-gpu: custom_gpu in the scenario (memory, bandwidth, TFLOPS, interconnect, SMs, clock and power as"
        " given); like"
        " h100-sxm-80gb: its"
        " vendor nvidia, kernel architecture sm90, form factor datacenter, HBM3 memory and measured kernel shares of"
        " its peak (the GPU catalog's: as of 2026-11-26, https://glennklockwood.com/"
    )
    assert line.endswith("; no published run is of this GPU")


def test_memory_bandwidth_moves_decode_as_a_memory_bound_step_does() -> None:
    # one request decoding llama-3.1-8b at bf16 reads its weights and KV cache every step: the step is a fixed part
    # plus bytes / bandwidth, so each doubling of bandwidth saves half the previous saving: t(1) - t(2) = 2 (t(2) - t(4))
    model = get_model("llama-3.1-8b")
    tpot = {
        k: estimate(
            spec(twin("h100-sxm-80gb", memory_bandwidth_gb_s=3350 * k)),
            model,
            concurrency=1,
            input_tokens=1000,
            output_tokens=200,
        ).tpot_ms
        for k in (1, 2, 4)
    }
    assert tpot[1] > tpot[2] > tpot[4]
    assert tpot[1] - tpot[2] == pytest.approx(2 * (tpot[2] - tpot[4]), rel=1e-9)
    # the same estimator reads the catalog GPU's bandwidth the same way: the custom GPU at 1x is the H100
    assert (
        tpot[1]
        == estimate(get_gpu("h100-sxm-80gb"), model, concurrency=1, input_tokens=1000, output_tokens=200).tpot_ms
    )


def test_a_rate_its_precision_runs_at_that_it_does_not_state_is_one_error_at_its_line(
    write_yaml: Callable[..., Path],
) -> None:
    custom = {"name": "my-gpu", "like": "h100-sxm-80gb", "memory_gb": 80, "memory_bandwidth_gb_s": 3350}
    custom["bf16_tflops"] = 989.4  # no fp8_tflops: H100s have fp8 tensor cores, so the figure is this GPU's to give
    path = write_yaml(scenario(custom, precision="fp8"))
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(str(path), today=TODAY)
    assert str(info.value) == (
        f"{path}:27: options[Custom].hardware.custom_gpu.fp8_tflops: an estimate at fp8 with vllm runs at my-gpu's FP8"
        " TFLOPS; h100-sxm-80gb, which it is like, has that rate: give fp8_tflops (dense FP8 TFLOPS, without"
        " sparsity)"
    )
    # like a GPU without fp8 tensor cores (an A100), fp8 weights are widened to 16-bit math as on it: estimated
    a100 = {"name": "my-gpu", "like": "a100-sxm-80gb", "memory_gb": 80, "memory_bandwidth_gb_s": 2039}
    result = costcalc.analyze(scenario(a100 | {"bf16_tflops": 312}, precision="fp8"), today=TODAY)
    assert result.option("Custom").throughput.basis == "estimated"  # type: ignore[union-attr]


def test_without_like_or_vendor_it_is_refused_with_the_fix(write_yaml: Callable[..., Path]) -> None:
    custom = {"name": "my-gpu", "memory_gb": 96, "memory_bandwidth_gb_s": 3000, "bf16_tflops": 800}
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(str(write_yaml(scenario(custom))), today=TODAY)
    assert str(info.value).endswith(
        "options[Custom].throughput: not estimated on a custom GPU that says neither what it is like nor its vendor;"
        " add like: a catalog GPU (e.g. h100-sxm-80gb) or vendor: nvidia, amd or apple, or give throughput.points or"
        " throughput.measured"
    )
    stated = costcalc.analyze(scenario(custom | {"vendor": "nvidia", "interconnect_gb_s": 450}), today=TODAY)
    runs = stated.option("Custom").throughput.published_runs  # type: ignore[union-attr]
    assert runs is not None and runs.summary.startswith("no published run of vllm on my-gpu; nearest:")
    assert "sm90" not in " ".join(level.words for level in runs.levels)  # no architecture stated: no such level
    line = next(a for a in stated.assumptions if a.startswith("gpu my-gpu:"))
    assert line == (
        "gpu my-gpu: custom_gpu in the scenario (memory, bandwidth, TFLOPS and interconnect as given, vendor"
        " nvidia as given); like no catalog GPU: no measured kernel shares of its peak, no kernel architecture's"
        " fitted factors or held-out benchmarks, no memory_type: costed as one of the GPUs with HBM, by its 450 GB/s"
        " link"
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"like": "h100-sxm-96gb"}, "like", "unknown GPU id 'h100-sxm-96gb'"),
        (
            {"vendor": "amd"},
            "vendor",
            "h100-sxm-80gb, which it is like, is nvidia; drop vendor, or name a catalog GPU of amd",
        ),
        (
            {"architecture": "sm100"},
            "architecture",
            "h100-sxm-80gb, which it is like, runs sm90's kernels, not sm100's; drop architecture, or name like:"
            " b200-sxm-180gb",
        ),
        ({"like": None, "architecture": "sm99"}, "architecture", "unknown kernel architecture 'sm99'; one of gfx942"),
        ({"like": None, "architecture": "gfx942", "vendor": "nvidia"}, "vendor", "gfx942 is an amd architecture"),
    ],
)
def test_what_it_is_like_must_be_known_and_agree(changes: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(costcalc.InputError) as info:
        spec(twin("h100-sxm-80gb", **changes))
    assert info.value.field == f"options[X].hardware.custom_gpu.{field}"
    assert info.value.detail.startswith(words)


def test_it_takes_like_s_link_and_class_unless_it_states_its_own() -> None:
    from costcalc.throughput.allreduce import pcie_only  # the link: what tensor parallel's all-reduces cost
    from costcalc.throughput.factors import gpu_class

    minimal = {"name": "my-gpu", "like": "h100-sxm-80gb", "memory_gb": 96, "memory_bandwidth_gb_s": 4000}
    taken = spec(minimal)
    assert (taken.interconnect_gb_s, gpu_class(taken), pcie_only(taken)) == (450, "datacenter", False)
    assert taken.taken == ("vendor", "architecture", "form_factor", "memory_type", "interconnect_gb_s", "formats")
    # a PCIe card of the same chip, in the HBM parts' class (the memory is the like's)
    pcie = spec(minimal | {"interconnect_gb_s": 64})
    assert (pcie.memory_type, gpu_class(pcie), pcie_only(pcie)) == ("HBM3", "datacenter", True)
    gddr = spec(minimal | {"memory_type": "GDDR7"})  # its own memory: its class; the like's link
    assert (gpu_class(gddr), "memory_type" in gddr.taken, pcie_only(gddr)) == ("workstation", False, False)


def test_an_h100_with_the_h200s_memory_estimates_the_h200_at_bf16_and_its_own_fp8_matmul_share() -> None:
    # the catalog's h200-sxm-141gb is the H100's die with 141 GB at 4,800 GB/s; the README quotes these figures
    h200 = get_gpu("h200-sxm-141gb")
    custom = spec(
        {"name": "h100-141gb", "like": "h100-sxm-80gb", "memory_gb": 141, "memory_bandwidth_gb_s": 4800}
        | {"bf16_tflops": h200.bf16_tflops, "fp8_tflops": h200.fp8_tflops}
    )
    model = get_model("llama-3.3-70b")
    run: dict[str, Any] = dict(gpu_count=2, input_tokens=2000, output_tokens=400)
    bf16 = estimate(custom, model, precision="bf16", **run)
    assert dataclasses.replace(bf16, gpu="h200-sxm-141gb") == estimate(h200, model, precision="bf16", **run)
    assert round(bf16.output_tokens_per_s) == 937
    fp8, catalog_fp8 = estimate(custom, model, precision="fp8", **run), estimate(h200, model, precision="fp8", **run)
    # matmul.MAMF_FP8_TFLOPS: the H100 reaches 1402.6 of 1979 FP8 TFLOPS, the H200 1453.4: its prefill is the H100's
    assert (round(fp8.output_tokens_per_s), round(catalog_fp8.output_tokens_per_s)) == (1695, 1732)


@pytest.mark.parametrize("gpu_id", [g.id for g in list_gpus() if g.interconnect_gb_s is None])
def test_its_words_say_only_what_a_like_gpu_without_a_link_or_a_measured_kernel_gives(gpu_id: str) -> None:
    # on main custom_words formatted like's interconnect unasked: TypeError (an internal error in the report and in
    # estimate --gpu-spec) for a custom GPU like a10g, the Apple chips or dgx-spark; and it claimed measured kernel
    # shares of a GPU none of whose kernels is measured
    words = custom_words(spec(twin(gpu_id)))
    assert words is not None and "interconnect" not in words
    assert f"like {gpu_id}: its vendor " in words
    assert f"; no kernel of {gpu_id} is measured, so no measured share scales its peaks; no published" in words
    assert "measured kernel shares" not in words


def test_its_words_claim_measured_kernel_shares_only_where_the_estimate_applies_some() -> None:
    assert "and measured kernel shares of its peak (the GPU catalog's" in str(
        custom_words(spec(twin("a100-pcie-80gb")))
    )
    assert "no kernel of l40s-48gb is measured" in str(custom_words(spec(twin("l40s-48gb"))))
    # the RTX 4090's best-shape matmul share is read only at its own bf16 peak (matmul.matmul_share_vs_reference)
    assert "measured kernel shares" in str(custom_words(spec(twin("rtx-4090-24gb"))))
    assert "no kernel of rtx-4090-24gb is measured" in str(custom_words(spec(twin("rtx-4090-24gb", bf16_tflops=200))))


@pytest.mark.parametrize(
    ("name", "said"),
    [("h100-sxm-80gb", "a catalog GPU's id"), ("H100", "what the catalog calls h100-sxm-80gb"), ("B200", None)],
)
def test_an_estimated_custom_gpu_named_as_a_catalog_gpu_is_refused_at_its_name(name: str, said: str | None) -> None:
    # on main it was estimated under the catalog GPU's name: 'no published run of vllm on h100-sxm-80gb', of a card
    # with other figures than the catalog's h100-sxm-80gb, whose runs there are
    mapping = twin("h100-sxm-80gb", name=name, memory_gb=96)
    with pytest.raises(costcalc.InputError) as info:
        spec(mapping)
    said = said or "what the catalog calls b200-sxm-180gb"
    assert info.value.field == "options[X].hardware.custom_gpu.name"
    assert info.value.detail.startswith(f"{name!r} is {said}: its estimate would read as that GPU's; name the custom")
    # a custom GPU whose throughput is given is not estimated under its name: its name stays the user's
    given = {k: v for k, v in mapping.items() if k != "like"}
    assert spec(given).id == name


@pytest.mark.parametrize(
    ("gpu_id", "unstated", "model", "precision", "engine", "gpus"),
    [
        # block-scaled FP8 (DeepSeek-R1's own checkpoint) runs at the FP8 rate on GPUs with FP4 tensor cores
        ("b200-sxm-180gb", ("fp4_tflops",), "deepseek-r1", "fp8", "vllm", 8),
        # TensorRT-LLM's MXFP4 MoE kernel is missing only on GPUs without fp8 tensor cores (kernel_support)
        ("h100-sxm-80gb", ("fp8_tflops", "int8_tops"), "gpt-oss-120b", "mxfp4", "trtllm", 1),
    ],
)
def test_it_takes_its_like_gpus_tensor_formats_where_it_leaves_their_rate_unstated(
    gpu_id: str, unstated: tuple[str, ...], model: str, precision: str, engine: str, gpus: int
) -> None:
    # on main the formats came from its own figures: the B200 twin without fp4_tflops ran DeepSeek-R1's block-scaled
    # FP8 at the bf16 rate, as a Hopper GPU does (5,242 against 7,184 output tokens/s); the H100 twin without
    # fp8_tflops was refused ('trtllm has no mxfp4 kernel on my-gpu, a GPU without fp8 tensor cores')
    figures = {k: v for k, v in twin(gpu_id).items() if k not in unstated}
    kwargs: dict[str, Any] = dict(
        gpu_count=gpus, precision=precision, engine=engine, input_tokens=2000, output_tokens=300
    )
    custom = estimate(spec(figures), get_model(model), **kwargs)
    assert custom.fits, custom.reason
    assert dataclasses.replace(custom, gpu=gpu_id) == estimate(get_gpu(gpu_id), get_model(model), **kwargs)
    taken = {"fp4_tflops": "FP4 tensor cores", "fp8_tflops": "FP8 and INT8 tensor cores"}[unstated[0]]
    assert f", {taken} and measured kernel shares" in str(custom_words(spec(figures)))  # the line says it took them


def test_a_catalog_gpu_has_the_tensor_formats_whose_rates_it_states() -> None:
    for gpu in list_gpus():
        for rate in ("fp8_tflops", "fp4_tflops", "int8_tops"):
            assert gpu.has_tensor(rate) == bool(getattr(gpu, rate)), (gpu.id, rate)


def test_its_vendor_and_architecture_are_read_case_aside_as_an_engine_is() -> None:
    # on main 'vendor: NVIDIA' was refused ("Input should be 'nvidia', 'amd' or 'apple'") and 'architecture: SM90'
    # was an unknown architecture, where 'engine: TRTLLM' is read as trtllm
    stated = spec({"name": "my-gpu", "vendor": " NVIDIA", "architecture": "SM90", "memory_gb": 96} | H100_RATES)
    assert (stated.vendor, stated.architecture) == ("nvidia", "sm90")
    assert spec(twin("h100-sxm-80gb", architecture="Sm90")).architecture == "sm90"  # agrees with its like GPU's


@pytest.mark.parametrize(
    ("missing", "words"),
    [
        ("idle_w", "states no idle_w; add idle_w to it (W idle with a model loaded: nvidia-smi shows it), or set"),
        ("tdp_w", "states no tdp_w; add tdp_w to it (board power at full load, W), or set power.max_w_per_gpu"),
    ],
)
def test_bought_its_missing_power_is_asked_of_its_custom_gpu_at_its_line(
    write_yaml: Callable[..., Path], missing: str, words: str
) -> None:
    # on main: 'the catalog has no idle power for my-gpu; set power.idle_w_per_gpu', at the option's line
    custom = {k: v for k, v in twin("h100-sxm-80gb").items() if k != missing}
    data = scenario(custom)
    data["options"][2]["hardware"] = {"custom_gpu": custom, "acquisition": "buy", "price_usd": 30000}
    path = write_yaml(data)
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(str(path), today=TODAY)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.strip() == "custom_gpu:")
    assert str(info.value).startswith(f"{path}:{line}: options[Custom].hardware.custom_gpu: custom_gpu my-gpu {words}")


@pytest.mark.parametrize("engine", ["vllm", "sglang"])
def test_an_fp4_card_is_estimated_at_fp4_without_an_fp8_rate_it_does_not_run_at(engine: str) -> None:
    # on main 'gpu.fp8_tflops: an estimate at fp4 with vllm runs at x's FP8 TFLOPS': with FP4 cores and a 16-bit KV
    # cache nothing of it runs at FP8; TensorRT-LLM's FP8 KV cache does, so there the rate is still asked for
    fp4_card = {k: v for k, v in twin("b200-sxm-180gb").items() if k not in ("fp8_tflops", "int8_tops")}
    kwargs: dict[str, Any] = dict(model="qwen3-8b", precision="fp4", input_tokens=1000, output_tokens=200)
    custom = costcalc.estimate_throughput(gpu=fp4_card, engine=engine, **kwargs)
    catalog = costcalc.estimate_throughput(gpu="b200-sxm-180gb", engine=engine, **kwargs)
    assert custom.output_tokens_per_s == catalog.output_tokens_per_s
    with pytest.raises(costcalc.InputError) as info:
        costcalc.estimate_throughput(gpu=fp4_card, engine="trtllm", **kwargs)
    assert str(info.value).startswith("gpu.fp8_tflops: an estimate at fp4 with trtllm runs at my-gpu's FP8 TFLOPS;")


def test_without_like_or_memory_type_its_words_say_the_class_its_link_puts_it_in() -> None:
    # the class follows the memory (factors.gpu_class); a custom GPU stating neither like nor memory_type is classed by
    # its link, and the line says so (the workstation class's fitted factors; 'nearest: vllm on other GPUs with GDDR
    # or LPDDR memory')
    from costcalc.throughput.factors import gpu_class

    unlinked = spec({"name": "my-gpu", "vendor": "nvidia", "memory_gb": 96} | H100_RATES)
    assert gpu_class(unlinked) == "workstation"
    assert str(custom_words(unlinked)).endswith(
        "; like no catalog GPU: no measured kernel shares of its peak, no kernel architecture's fitted factors or"
        " held-out benchmarks, no memory_type or interconnect_gb_s: costed as one of the GPUs with GDDR or LPDDR"
        " memory"
    )
    linked = spec({"name": "my-gpu", "vendor": "nvidia", "memory_gb": 96, "interconnect_gb_s": 450} | H100_RATES)
    assert gpu_class(linked) == "datacenter"
    assert str(custom_words(linked)).endswith(
        ", no memory_type: costed as one of the GPUs with HBM, by its 450 GB/s link"
    )
    hbm = spec({"name": "my-gpu", "vendor": "nvidia", "memory_gb": 96, "memory_type": "hbm3"} | H100_RATES)
    assert (hbm.memory_type, gpu_class(hbm)) == ("HBM3", "datacenter")  # stated (case aside): no class words
    assert str(custom_words(hbm)) == (
        "custom_gpu in the scenario (memory, memory type, bandwidth and TFLOPS as given, vendor nvidia as given); like"
        " no catalog GPU: no measured kernel shares of its peak, no kernel architecture's fitted factors or held-out"
        " benchmarks"
    )


def test_a_vendor_apple_chip_is_estimated_from_its_bandwidth_as_the_catalogs_apple_chips_are() -> None:
    # on main 'bf16_tflops: an estimate at q4_k_m with llamacpp runs at my-gpu's BF16 TFLOPS; give bf16_tflops',
    # which Apple does not publish: the catalog's Apple chips state none and are estimated from their bandwidth
    m3_max = get_gpu("apple-m3-max")
    chip = {"name": "my-mac", "vendor": "apple", "memory_gb": 128, "memory_bandwidth_gb_s": 400}
    kwargs: dict[str, Any] = dict(model="qwen3-8b", precision="q4_k_m", engine="llamacpp", input_tokens=1000)
    custom = costcalc.estimate_throughput(gpu=chip, output_tokens=200, **kwargs)
    assert (
        custom.output_tokens_per_s
        == costcalc.estimate_throughput(gpu=m3_max.id, output_tokens=200, **kwargs).output_tokens_per_s
    )
    # its line claims no figure it does not give, nor lacks what no Apple chip has
    assert (
        custom_words(spec(chip)) == "custom_gpu in the scenario (memory and bandwidth as given, vendor apple as given)"
    )


def test_an_offer_priced_for_another_gpu_than_the_one_it_is_like_is_refused_at_the_offer(
    write_yaml: Callable[..., Path],
) -> None:
    # on main a custom GPU like b300-sxm-268gb was rented at Lambda's H100 price without a word
    b300 = twin("b300-sxm-268gb")
    data = scenario(b300)
    data["options"][2]["hardware"] = {
        "custom_gpu": b300,
        "offer": "lambda/1x-h100-sxm/on-demand",
        "acquisition": "rent",
    }
    path = write_yaml(data)
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(str(path), today=TODAY)
    assert info.value.field == "options[Custom].hardware.offer"
    assert info.value.detail == (
        "the offer is priced for h100-sxm-80gb, but custom_gpu my-gpu is like b300-sxm-268gb; pick an offer of that"
        " GPU, or price it yourself (hourly_usd to rent, price_usd to buy)"
    )
    # like the offer's GPU (a variant of the card the offer rents), its price is taken
    h100 = twin("h100-sxm-80gb", memory_gb=96)
    data["options"][2]["hardware"] = {
        "custom_gpu": h100,
        "offer": "lambda/1x-h100-sxm/on-demand",
        "acquisition": "rent",
    }
    assert costcalc.analyze(data, today=TODAY).option("Custom").monthly_cost > 0


def test_a_memory_type_outside_the_list_is_one_line_at_its_key() -> None:
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(scenario(twin("h100-sxm-80gb", memory_type="HBM4")), today=TODAY)
    assert info.value.field == "options[Custom].hardware.custom_gpu.memory_type"
    assert info.value.detail.startswith(
        "Input should be 'HBM2', 'HBM2e', 'HBM3', 'HBM3e', 'GDDR6', 'GDDR6X', 'GDDR7', 'LPDDR5X' or 'unified' (got"
        " 'HBM4')"
    )


def test_an_fp8_kv_cache_asks_for_the_fp8_rate_its_attention_runs_at() -> None:
    # on main `--kv-cache-dtype fp8` on an H100 twin without fp8_tflops ran attention at its bf16 rate unsaid: qwen3-32b
    # bf16 8000/300 estimated 113.5 output tokens/s (TTFT 1,784 ms) where the H100 estimates 116.5 (1,658 ms); a missing
    # rate the estimate runs at is asked for, as a missing rate of its weights' precision is (qa21b finding 17)
    from costcalc.api import estimate_throughput

    without = {k: v for k, v in twin("h100-sxm-80gb").items() if k != "fp8_tflops"}
    run = {"model": "qwen3-32b", "precision": "bf16", "input_tokens": 8000, "output_tokens": 300}
    fp8_cache = {"engine_args": "--kv-cache-dtype fp8"}
    with pytest.raises(costcalc.InputError) as info:
        estimate_throughput(gpu=without, **run, **fp8_cache)
    assert info.value.field == "gpu.fp8_tflops"
    assert info.value.detail == (
        "an estimate at bf16 with vllm and an fp8 KV cache runs attention at my-gpu's FP8 TFLOPS; h100-sxm-80gb, which"
        " it is like, has that rate: give fp8_tflops (dense FP8 TFLOPS, without sparsity)"
    )
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(scenario(without, precision="bf16", **fp8_cache), today=TODAY)
    assert info.value.field == "options[Custom].hardware.custom_gpu.fp8_tflops"
    # a 16-bit cache needs no FP8 rate; stated, the rate gives what the catalog GPU does
    assert estimate_throughput(gpu=without, **run).output_tokens_per_s > 0
    stated = estimate_throughput(gpu=twin("h100-sxm-80gb"), **run, **fp8_cache)
    catalog = estimate_throughput(gpu="h100-sxm-80gb", **run, **fp8_cache)
    assert stated.output_tokens_per_s == catalog.output_tokens_per_s
    # like a GPU without FP8 tensor cores the cache's attention runs as on it (an A100 widens it to 16 bit)
    a100 = {k: v for k, v in twin("a100-sxm-80gb").items() if k != "fp8_tflops"}
    assert estimate_throughput(gpu=a100, **run, **fp8_cache).output_tokens_per_s > 0
