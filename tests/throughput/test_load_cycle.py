"""The parallel layout of a multi-GPU replica, on any link: chosen at the server's own full load, or within the targets."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.estimate import estimate
from costcalc.throughput.serving.server_args import parse_server_args


@pytest.mark.parametrize("engine,args", [("trtllm", "--max_batch_size 16"), ("vllm", "--max-num-seqs 16")])
def test_more_pcie_gpus_under_a_batch_limit_never_serve_less(engine: str, args: str) -> None:
    """qa15 finding 2: with --max_batch_size 16, 8 RTX 4090s took pipeline parallel (chosen at the 200+ requests that fit
    in memory, where it wins) and then ran 16 at once at a third of 4 GPUs' requests/s (0.12 vs 0.35). The layout is
    now chosen at the 16 the server runs, so the larger replica serves at least as much."""
    gpu, model = get_gpu("rtx-4090-24gb"), get_model("llama-3.3-70b")

    def rate(n: int) -> float:
        e = estimate(
            gpu,
            model,
            gpu_count=n,
            precision="fp8",
            engine=engine,
            input_tokens=500,
            output_tokens=1500,
            server_args=parse_server_args(engine, args),
        )
        assert e.fits and e.concurrency == 16
        return e.requests_per_s

    assert rate(8) >= rate(4)


@pytest.mark.parametrize(
    "gpu_name,model_name,precision,gpus,input_tokens,output_tokens",
    [
        ("rtx-4090-24gb", "qwen3-32b", "fp8", 2, 8000, 1),
        ("rtx-4090-24gb", "qwen3-32b", "fp8", 2, 8000, 2),
        ("h100-sxm-80gb", "llama-3.1-8b", "bf16", 1, 30000, 4),
        ("l40s-48gb", "llama-3.1-8b", "fp8", 1, 2000, 200),
    ],
)
def test_a_requests_mean_time_to_first_token_fits_inside_its_stay(
    gpu_name: str, model_name: str, precision: str, gpus: int, input_tokens: int, output_tokens: int
) -> None:
    """qa15: 2 RTX 4090s serving 8,000-token prompts with one-token answers read a full-load TTFT of 111 s while 3
    requests in flight at 0.43 requests/s stay 7 s each (Little's law): the M/D/1 queue behind other prompts grew
    without the closed loop's bound, at most the other in-flight prompts ahead. The first token comes within the stay."""
    e = estimate(
        get_gpu(gpu_name),
        get_model(model_name),
        gpu_count=gpus,
        precision=precision,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
    )
    assert e.fits and e.concurrency > 1
    stay_ms = e.concurrency / e.requests_per_s * 1000
    assert e.ttft_ms <= stay_ms * (1 + 1e-9)  # equal at one output token: the stay ends at the first token


def test_the_same_card_on_a_scale_up_link_serves_at_least_what_it_does_on_pcie_under_an_slo() -> None:
    """On main a card with a scale-up link was costed tensor parallel only, while the same card on PCIe could take
    pipeline parallel where that serves more within the targets: an H100 with the H200's memory, llama-3.3-70b fp8 on 2
    GPUs at 2,000/400 tokens under a 3 s TTFT p95, served 3.91 requests/s a replica on NVLink and 4.09 on PCIe (qa21b
    finding 10's scenario). Every multi-GPU replica now takes either layout; the link prices the communication."""
    import datetime as dt

    import costcalc

    h200_like = {
        "like": "h100-sxm-80gb",
        "memory_gb": 141,
        "memory_bandwidth_gb_s": 4800,
        "bf16_tflops": 989.4,
        "fp8_tflops": 1978.9,
        "int8_tops": 1978.9,
    }

    def option(name: str, **link: float) -> dict[str, object]:
        gpu = {"name": name.lower()} | h200_like | link
        hardware = {"custom_gpu": gpu, "gpus_per_replica": 2, "acquisition": "rent", "hourly_usd": 3.5}
        return {"name": name, "kind": "self_hosted", "model": "llama-3.3-70b", "precision": "fp8", "hardware": hardware}

    workload = {"requests_per_day": 200_000, "input_tokens": 2000, "output_tokens": 400, "slo": {"ttft_p95_ms": 3000}}
    api = {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 0.6, "output_usd_per_mtok": 2.4}}
    options = [api, option("NVLink"), option("PCIe", interconnect_gb_s=64)]
    result = costcalc.analyze({"version": 1, "workload": workload, "options": options}, today=dt.date(2026, 12, 7))
    rate = {name: result.option(name).throughput.requests_per_s_per_replica for name in ("NVLink", "PCIe")}  # type: ignore[union-attr]
    assert rate["NVLink"] >= rate["PCIe"]


def test_every_multi_gpu_replica_takes_either_layout_and_full_load_takes_the_one_serving_more() -> None:
    from costcalc.throughput.load_cycle import layouts

    h100, rtx = get_gpu("h100-sxm-80gb"), get_gpu("rtx-4090-24gb")
    assert layouts(h100, 2) == layouts(rtx, 2) == ("tp", "pp") and layouts(h100, 1) == ("single",)
    # with no target to choose within, the full-load estimate takes the layout serving more on NVLink too (it took
    # tensor parallel there whatever served more): llama-3.1-8b on 8 H200s at 1,000/200, 15,784 output tokens/s
    # tensor parallel vs 24,027 pipeline parallel at stop 37
    run = {"gpu_count": 8, "precision": "bf16", "engine": "vllm", "input_tokens": 1000, "output_tokens": 200}
    h200, model = get_gpu("h200-sxm-141gb"), get_model("llama-3.1-8b")
    each = {m: estimate(h200, model, **run, parallelism=m).output_tokens_per_s for m in ("tp", "pp")}  # type: ignore[arg-type]
    chosen = estimate(h200, model, **run)  # type: ignore[arg-type]
    assert chosen.output_tokens_per_s == max(each.values()) and chosen.parallelism == max(each, key=each.__getitem__)


@pytest.mark.parametrize("gpu", ["h100-sxm-80gb", "h200-sxm-141gb"])
@pytest.mark.parametrize("model,precision,n", [("llama-3.3-70b", "fp8", 4), ("llama-3.1-8b", "bf16", 8)])
def test_the_same_card_on_a_scale_up_link_never_estimates_less_than_on_pcie_at_full_load(
    gpu: str, model: str, precision: str, n: int
) -> None:
    """hw22: at full load (no SLO) a card on NVLink took tensor parallel only while its PCIe twin took the better of the
    two, so the twin out-estimated it in 63 of 72 configurations (llama-3.1-8b on 8 H200s, vllm 1,000/200: 15,784
    output tokens/s on NVLink, 24,027 pipeline parallel on PCIe). Both now take the layout serving more."""
    from costcalc.api import estimate_throughput

    card = get_gpu(gpu)
    twin = {
        "name": f"{gpu}-pcie",
        "like": gpu,
        "memory_gb": card.memory_gb,
        "memory_bandwidth_gb_s": card.memory_bandwidth_gb_s,
        "bf16_tflops": card.bf16_tflops,
        "fp8_tflops": card.fp8_tflops,
        "int8_tops": card.int8_tops,
        "interconnect_gb_s": 64,
    }
    for engine in ("vllm", "trtllm"):
        run = {"model": model, "precision": precision, "gpus": n, "engine": engine}
        for inp, out in ((1000, 200), (8000, 300)):
            nvlink = estimate_throughput(gpu=gpu, **run, input_tokens=inp, output_tokens=out)  # type: ignore[arg-type]
            pcie = estimate_throughput(gpu=twin, **run, input_tokens=inp, output_tokens=out)  # type: ignore[arg-type]
            assert nvlink.output_tokens_per_s >= pcie.output_tokens_per_s, (engine, inp, out, pcie.parallelism)


def test_an_estimate_at_a_concurrency_takes_the_layout_serving_more_at_that_load() -> None:
    """With the full-load layout applied at every concurrency, one user on 8 H200s (llama-3.1-8b, 1,000/200) was
    estimated pipeline parallel once NVLink took either layout: TPOT 5.40 ms and 173 output tokens/s, where tensor
    parallel, which anyone would run for one user, gives 1.89 ms and 463. The layout is chosen at the load run."""
    run = {"gpu_count": 8, "precision": "bf16", "engine": "vllm", "input_tokens": 1000, "output_tokens": 200}
    h200, model = get_gpu("h200-sxm-141gb"), get_model("llama-3.1-8b")
    one = estimate(h200, model, **run, concurrency=1)  # type: ignore[arg-type]
    assert one.parallelism == "tp"
    # and says why, so an estimate at another load that takes the other layout is understood
    assert one.layout_chosen == (
        "tensor parallel, serving more than pipeline parallel at 1 request at once; at full load (1,024 at once)"
        " pipeline parallel serves more"
    )
    assert one.tpot_ms < estimate(h200, model, **run, concurrency=1, parallelism="pp").tpot_ms  # type: ignore[arg-type]
    assert estimate(h200, model, **run).parallelism == "pp"  # type: ignore[arg-type]  # a full server: pipeline


def test_a_layout_the_engine_arguments_state_is_the_one_estimated_and_said_to_be_stated() -> None:
    """layout23b: `estimate --gpus 8 --engine-args "-tp 8"` (llama-3.1-8b on 8 H200s, 1,000/200) printed 'engine
    arguments read: -tp 8' and then costed pipeline parallel at full load (24,501 output tokens/s, where tensor
    parallel gives 16,048). A stated size is the layout estimated, whatever would serve more; unstated, it is chosen."""
    run = {"gpu_count": 8, "precision": "bf16", "engine": "vllm", "input_tokens": 1000, "output_tokens": 200}
    h200, model = get_gpu("h200-sxm-141gb"), get_model("llama-3.1-8b")
    chosen = estimate(h200, model, **run)  # type: ignore[arg-type]
    assert chosen.parallelism == "pp" and chosen.layout_chosen is not None and "serving more" in chosen.layout_chosen
    tp = estimate(h200, model, **run, server_args=parse_server_args("vllm", "-tp 8"))  # type: ignore[arg-type]
    assert tp.parallelism == "tp" and tp.layout_chosen == "tensor parallel, as the engine arguments state (-tp 8)"
    assert tp.output_tokens_per_s == estimate(h200, model, **run, parallelism="tp").output_tokens_per_s  # type: ignore[arg-type]
    pp = estimate(h200, model, **run, concurrency=1, server_args=parse_server_args("vllm", "-pp 8"))  # type: ignore[arg-type]
    assert pp.parallelism == "pp"  # one user: tensor parallel would serve more, but pipeline parallel is stated
