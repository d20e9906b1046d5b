"""Every estimated capacity names the published runs nearest its configuration (analysis/published_runs.py): the same
GPU, engine and model first, then relaxing one step at a time, each level with its spread against the held-out
estimate and its closest run; where none ran the configuration, a plain 'no published run of ...'. Before, a report
said only the band ('vllm server band: 9 in 10 of 53 held-out benchmarks'): recommend's RTX 5090 with TensorRT-LLM at
25 requests/s had no word that no one had measured TensorRT-LLM on an RTX 5090 (audit19 section 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from costcalc.analysis.published_runs import Configuration, nearest_cell, nearest_runs, published_runs, run_words
from costcalc.api import analyze
from costcalc.catalog import get_gpu
from costcalc.report.nearest_runs import PublishedRun
from costcalc.report.result import Result

ROOT = Path(__file__).resolve().parents[2]
L40S, L4, H100, RTX_5090 = (get_gpu(g) for g in ("l40s-48gb", "l4-24gb", "h100-sxm-80gb", "rtx-5090-32gb"))


def run(case_id: str, gpu: str, model: str, engine: str = "vllm", **kw: object) -> PublishedRun:
    """A hand-made run: measured 100 output tokens/s where the held-out fit estimated 80 (1.25x) unless told."""
    fields: dict[str, object] = {
        "case_id": case_id,
        "gpu": gpu,
        "gpu_count": 1,
        "model": model,
        "precision": "bf16",
        "engine": engine,
        "load_class": "server",
        "input_tokens": 1000,
        "output_tokens": 200,
        "concurrency": "8",
        "metric": "output_tokens_per_s",
        "measured": 100.0,
        "held_out_estimate": 80.0,
        "actual_over_estimate": 1.25,
        "source_url": f"https://example.org/{case_id}",
        "source_date": "2026-01-01",
    }
    return PublishedRun(**{**fields, **kw})


def config(gpu: object = L40S, model: str = "qwen3-8b", engine: str = "vllm", **kw: object) -> Configuration:
    fields: dict[str, object] = {
        "gpu": gpu,
        "gpu_count": 1,
        "model": model,
        "precision": "bf16",
        "engine": engine,
        "load_class": "server",
        "input_tokens": 1000.0,
        "output_tokens": 200.0,
    }
    return Configuration(**{**fields, **kw})  # type: ignore[arg-type]


def test_each_run_counts_at_the_nearest_level_it_meets_and_another_engine_at_none() -> None:
    runs = [
        run("a", "l40s-48gb", "qwen3-8b"),  # 1: this GPU, engine and model
        run("b", "h100-sxm-80gb", "qwen3-8b", actual_over_estimate=0.5),  # 2: this model and engine on another GPU
        run("c", "h100-sxm-80gb", "qwen3-8b", actual_over_estimate=2.0),
        run("d", "l40s-48gb", "llama-3.1-8b"),  # 3: this GPU and engine, another model
        run("e", "l4-24gb", "llama-3.1-8b"),  # 4: another sm89 GPU (L4, as the L40S)
        run("f", "rtx-3090-24gb", "llama-3.1-8b"),  # 5: another GPU with GDDR (or LPDDR) memory
        run("g", "l40s-48gb", "qwen3-8b", engine="trtllm"),  # another engine: no level
    ]
    found = nearest_runs(config(), runs)
    assert found.exact
    assert [(lv.match, lv.runs, lv.closest.case_id) for lv in found.levels] == [
        ("gpu_engine_model", 1, "a"),
        ("model_engine", 2, "b"),
        ("gpu_engine", 1, "d"),
    ]  # the nearest three levels that hold runs
    assert (found.levels[1].low, found.levels[1].high) == (0.5, 2.0)
    assert found.summary == "1 published run of qwen3-8b with vllm on l40s-48gb measured 1.25x its held-out estimate"
    relaxed = nearest_runs(config(), runs[3:])
    assert [lv.match for lv in relaxed.levels] == ["gpu_engine", "architecture_engine", "class_engine"]
    assert relaxed.levels[1].words == "vllm on other sm89 GPUs (l4-24gb)"
    assert relaxed.levels[2].words == "vllm on other GPUs with GDDR or LPDDR memory (rtx-3090-24gb)"


def test_where_nothing_ran_the_configuration_the_summary_says_what_is_missing_and_the_nearest() -> None:
    runs = [run("b", "h100-sxm-80gb", "qwen3-8b"), run("c", "h100-sxm-80gb", "qwen3-8b", actual_over_estimate=0.8)]
    found = nearest_runs(config(), runs)
    assert not found.exact
    assert found.summary == (
        "no published run of vllm on l40s-48gb; nearest: qwen3-8b with vllm on other GPUs,"
        " 2 runs at 0.80x-1.25x their held-out estimates"
    )
    assert found.levels[0].words == "qwen3-8b with vllm on other GPUs (h100-sxm-80gb)"  # the details name them
    other_model = nearest_runs(config(), [run("d", "l40s-48gb", "llama-3.1-8b")])
    assert other_model.summary.startswith("no published run of qwen3-8b with vllm on l40s-48gb; nearest: vllm on")
    nothing = nearest_runs(config(engine="mlx"), runs)
    assert nothing.levels == () and not nothing.exact
    assert nothing.summary == "no published run of mlx on l40s-48gb, nor of mlx on a GPU of its architecture or class"


def test_runs_of_the_model_at_another_precision_only_say_theirs() -> None:
    """internal-assistant's Qwen3 32B option is fp8; the 5 runs of qwen3-32b with vllm on an H100 are all bf16. The
    words said "5 published runs of qwen3-32b with vllm on h100-sxm-80gb" as if they had run its configuration (and
    `catalog benchmarks --precision fp8` said none ran it)."""
    runs = [
        run("a", "l40s-48gb", "qwen3-8b"),
        run("b", "l40s-48gb", "qwen3-8b", actual_over_estimate=0.8),
        run("c", "h100-sxm-80gb", "qwen3-8b", precision="fp16"),  # another GPU: bf16 twice, fp16 once
        run("d", "h100-sxm-80gb", "qwen3-8b"),
        run("e", "h100-sxm-80gb", "qwen3-8b"),
        run("f", "l40s-48gb", "llama-3.1-8b", precision="fp8"),  # another model: its precision says nothing
    ]
    fp8 = nearest_runs(config(precision="fp8"), runs)
    assert [lv.words for lv in fp8.levels] == [
        "qwen3-8b at bf16 with vllm on l40s-48gb",
        "qwen3-8b at bf16 or fp16 with vllm on other GPUs (h100-sxm-80gb)",  # most runs first
        "vllm on l40s-48gb with other models (llama-3.1-8b)",
    ]
    assert (
        fp8.summary
        == "2 published runs of qwen3-8b at bf16 with vllm on l40s-48gb measured 0.80x-1.25x their held-out estimates"
    )
    assert [lv.words for lv in nearest_runs(config(), runs).levels][:2] == [  # bf16: the runs' own
        "qwen3-8b with vllm on l40s-48gb",
        "qwen3-8b with vllm on other GPUs (h100-sxm-80gb)",
    ]
    assert nearest_runs(config(precision="fp16"), runs).levels[1].words.startswith("qwen3-8b with")  # one ran fp16
    elsewhere = nearest_runs(config(precision="fp8"), runs[2:5])  # none on the L40S: the nearest level's words
    assert elsewhere.summary.startswith(
        "no published run of vllm on l40s-48gb; nearest: qwen3-8b at bf16 or fp16 with vllm on other GPUs, 3 runs"
    )


def test_a_level_of_the_models_runs_at_other_precisions_carries_them_for_its_table_cell() -> None:
    """recommend's "Nearest runs" cell said "exact: 2" for an fp8 configuration whose runs are bf16 (qa21 finding 2);
    it says what the level's words say, from the level's other_precision."""
    runs = [
        run("a", "l40s-48gb", "qwen3-8b"),
        run("b", "l40s-48gb", "qwen3-8b", actual_over_estimate=0.8),
        run("c", "h100-sxm-80gb", "qwen3-8b", precision="fp16"),
        run("d", "h100-sxm-80gb", "qwen3-8b"),
        run("e", "h100-sxm-80gb", "qwen3-8b"),
        run("f", "l40s-48gb", "llama-3.1-8b", precision="fp8"),
    ]
    fp8 = nearest_runs(config(precision="fp8"), runs)
    assert [lv.other_precision for lv in fp8.levels] == ["bf16", "bf16 or fp16", None]  # other models': none
    assert nearest_cell(fp8) == "exact at bf16: 2"
    assert nearest_cell(nearest_runs(config(), runs)) == "exact: 2"  # bf16: runs of its own precision
    assert nearest_cell(nearest_runs(config(precision="fp8"), runs[2:5])) == "model+engine at bf16 or fp16: 3"
    assert nearest_cell(nearest_runs(config(precision="fp8"), runs[5:])) == "GPU+engine: 1"


def test_the_same_model_on_another_vendors_gpu_is_not_the_next_level() -> None:
    """`estimate --gpu apple-m3-max --model qwen3-8b --engine llamacpp` said "nearest: qwen3-8b with llamacpp on other
    GPUs, 1 run" (an RTX 3090: CUDA kernels) above 7 llama.cpp runs on other Apple chips (Metal). The same model counts
    at level 2 only on the same vendor's GPUs; on another vendor's, where a later level takes it (the class: an MI300X
    and an H100 both have HBM) or nowhere (Apple chips and the others)."""
    runs = [
        run("cuda", "rtx-3090-24gb", "qwen3-8b", engine="llamacpp"),
        run("metal", "apple-m2-ultra", "llama-3.1-8b", engine="llamacpp"),
        run("h100", "h100-sxm-80gb", "qwen3-8b"),
    ]
    m3 = nearest_runs(config(get_gpu("apple-m3-max"), engine="llamacpp"), runs)
    assert [(lv.match, lv.closest.case_id) for lv in m3.levels] == [("class_engine", "metal")]  # the 3090: none
    assert m3.summary.startswith("no published run of llamacpp on apple-m3-max; nearest: llamacpp on other Apple chips")
    mi300x = nearest_runs(config(get_gpu("mi300x-192gb")), runs)
    assert [(lv.match, lv.closest.case_id) for lv in mi300x.levels] == [("class_engine", "h100")]
    a100 = nearest_runs(config(get_gpu("a100-sxm-80gb")), runs)  # NVIDIA both: the model's level, as before
    assert [(lv.match, lv.closest.case_id) for lv in a100.levels] == [("model_engine", "h100")]


def test_the_closest_run_of_a_level_is_chosen_by_load_class_then_gpus_then_precision_then_lengths_then_date() -> None:
    # each pair differs in one key; the first of each wins on it although every later key favours the second
    cases = [
        (run("x", "l40s-48gb", "m", load_class="server"), run("y", "l40s-48gb", "m", load_class="offline")),
        (run("x", "l40s-48gb", "m", gpu_count=1, input_tokens=9000), run("y", "l40s-48gb", "m", gpu_count=2)),
        (run("x", "l40s-48gb", "m", output_tokens=2000), run("y", "l40s-48gb", "m", precision="fp8")),
        (
            run("x", "l40s-48gb", "m", input_tokens=1100, source_date="2024-01-01"),
            run("y", "l40s-48gb", "m", input_tokens=2000),
        ),
        (run("x", "l40s-48gb", "m", source_date="2026-06-01"), run("y", "l40s-48gb", "m")),
    ]
    for x, y in cases:
        for order in ([x, y], [y, x]):
            assert nearest_runs(config(model="m"), order).levels[0].closest.case_id == "x", (x, y)


def test_a_run_measured_in_two_metrics_is_one_run_read_at_its_output_rate() -> None:
    runs = {r.case_id: r for r in published_runs()}
    # tp-240 (453 output tokens/s) and tp-241 (its TPOT, 8.31 ms) are one gpustack run on one H100
    assert "tp-240" in runs and "tp-241" not in runs
    assert runs["tp-240"].metric == "output_tokens_per_s"


def test_the_audit_example_trtllm_on_an_rtx_5090_says_no_one_measured_it() -> None:
    found = nearest_runs(config(RTX_5090, "gpt-oss-20b", "trtllm", precision="mxfp4", input_tokens=1200.0))
    assert not found.exact
    assert found.summary.startswith("no published run of trtllm on rtx-5090-32gb; nearest: gpt-oss-20b with trtllm")
    assert found.levels[0].match == "model_engine"
    assert any(lv.match == "architecture_engine" and "rtx-pro-6000-96gb" in lv.words for lv in found.levels)


def test_run_words_give_the_measured_figure_the_held_out_estimate_the_source_and_date() -> None:
    said = run_words(run("tp-1", "l4-24gb", "m", measured=116.6, held_out_estimate=115.461, actual_over_estimate=1.01))
    assert said == (
        "tp-1: 1x l4-24gb, bf16, server, 1,000/200 tokens, 8 in flight: 117 output tokens/s measured, 115 estimated"
        " held out (1.01x); 2026-01-01, https://example.org/tp-1"
    )
    assert ", 1,024 in flight: " in run_words(run("tp-2", "b200-sxm-180gb", "m", concurrency="1024"))  # was '1024'


@pytest.fixture(scope="module")
def chatbot() -> Result:
    return analyze(ROOT / "examples/startup-chatbot.yaml", today="2026-12-06")


def test_a_report_carries_the_runs_of_each_estimated_option_and_warns_where_none_ran_it(chatbot: Result) -> None:
    l40s = chatbot.option("gpt-oss-20b on a rented L40S")
    assert l40s.throughput is not None and l40s.throughput.published_runs is not None
    runs = l40s.throughput.published_runs
    assert not runs.exact and runs.summary.startswith("no published run of vllm on l40s-48gb; nearest: gpt-oss-20b")
    assert any(runs.summary[:1].upper() + runs.summary[1:] in line for line in chatbot.verdict)
    lines = [a for a in chatbot.assumptions if a.startswith("gpt-oss-20b on a rented L40S: published runs, ")]
    assert len(lines) == len(runs.levels) and runs.levels[0].closest.source_url in lines[0]
    h100 = chatbot.option("gpt-oss-120b on a rented H100").throughput
    assert h100 is not None and h100.published_runs is not None and h100.published_runs.exact
    # runs of its own configuration exist: the details say them, the verdict keeps to its band (40 lines at 120 columns)
    assert not any(h100.published_runs.summary[1:] in line for line in chatbot.verdict)
    assert any(a.startswith("gpt-oss-120b on a rented H100: published runs, ") for a in chatbot.assumptions)
    assert chatbot.option("GPT-6 Luna").throughput is None


def test_the_runs_round_trip_through_the_json_and_an_older_report_reads_without_them(chatbot: Result) -> None:
    back = Result.from_dict(chatbot.to_dict())
    assert back == chatbot
    old = chatbot.to_dict()
    old["schema_version"] = "1.11"
    for o in old["options"]:
        if o.get("throughput"):
            del o["throughput"]["published_runs"]
    read = Result.from_dict(old).option("gpt-oss-20b on a rented L40S").throughput
    assert read is not None and read.published_runs is None
    before = chatbot.to_dict()  # 1.15: no level said its runs' other precision
    before["schema_version"] = "1.15"
    for o in before["options"]:
        for level in (o.get("throughput") or {}).get("published_runs", {}).get("levels", []):
            del level["other_precision"]
    read = Result.from_dict(before).option("gpt-oss-20b on a rented L40S").throughput
    assert (
        read is not None and read.published_runs is not None and read.published_runs.levels[0].other_precision is None
    )
