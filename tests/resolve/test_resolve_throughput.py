"""Capacity at the SLO: p95s where they are known, a named warning where another statistic stands in."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import costcalc
from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.serving.capacity import Targets
from costcalc.throughput.serving.estimated import estimated_capacity

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "throughput"
TODAY = dt.date(2026, 11, 26)


def scenario(slo: dict[str, float], throughput: dict[str, Any] | None) -> dict[str, Any]:
    option: dict[str, Any] = {
        "name": "Rented H100",
        "kind": "self_hosted",
        "model": "llama-3.1-8b",
        "hardware": {"gpu": "h100-sxm-80gb", "acquisition": "rent", "hourly_usd": 2.0},
    }
    if throughput is not None:
        option["throughput"] = throughput
    return {
        "version": 1,
        "workload": {"requests_per_day": 100_000, "input_tokens": 1000, "output_tokens": 200, "slo": slo},
        "options": [
            {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 2}},
            option,
        ],
    }


def test_a_benchmark_without_p95_is_checked_against_its_p99_and_says_so(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(scenario({"ttft_p95_ms": 2000}, {"measured": "vllm_old.json"}))
    shutil.copy(FIXTURES / "vllm_old.json", path.parent / "vllm_old.json")  # p99 only, as vLLM saved it
    result = costcalc.analyze(str(path), today=TODAY)
    t = result.option("Rented H100").throughput
    assert t is not None and t.ttft_p95_ms is None  # no p99 relabelled as a p95
    assert any(
        w.startswith("Rented H100: ")
        and w.endswith("vllm_old.json gives no TTFT p95 at the chosen point; the SLO was checked against its p99")
        for w in result.warnings
    ), result.warnings


def test_a_benchmark_level_with_no_request_completed_is_a_report_warning(write_yaml: Callable[..., Path]) -> None:
    # costcalc_measure.json's concurrency-64 level failed every request: the reader's IngestWarning reached stderr
    # as Python prints a warning ('.../throughput/ingest.py:184: IngestWarning: ...' and its source line), and was
    # in no result's warnings
    path = write_yaml(scenario({}, {"measured": "costcalc_measure.json"}))
    shutil.copy(FIXTURES / "costcalc_measure.json", path.parent / "costcalc_measure.json")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = costcalc.analyze(str(path), today=TODAY)
    skipped = [w for w in result.warnings if "skipped" in w]
    assert len(skipped) == 1 and skipped[0].startswith("Rented H100: "), result.warnings
    assert skipped[0].endswith(
        "costcalc_measure.json: skipped a costcalc-measure level at concurrency 64: 0 requests completed, 64 failed,"
        " 0 requests/s"
    )


def test_a_measured_throughput_names_the_tool_and_the_model_its_file_recorded(write_yaml: Callable[..., Path]) -> None:
    # the line read 'throughput measured (.../costcalc_measure.json; concurrency 16)': the file's run of
    # example-org/example-8b (a served name the catalog does not hold, so taken as the option's llama-3.1-8b) was
    # costed without a word of what it had measured, so a reader could not check it against the option
    path = write_yaml(scenario({}, {"measured": ["costcalc_measure.json", "vllm_new.json"]}))
    for name in ("costcalc_measure.json", "vllm_new.json"):
        shutil.copy(FIXTURES / name, path.parent / name)
    two = costcalc.analyze(str(path), today=TODAY).option("Rented H100").throughput
    assert two is not None and two.detail.startswith(
        f"measured ({path.parent / 'costcalc_measure.json'}, {path.parent / 'vllm_new.json'}; chosen point from"
        f" {path.parent / 'vllm_new.json'}: vllm, model example-org/example-8b; concurrency 16)"
    ), two.detail
    path = write_yaml(scenario({}, {"measured": "costcalc_measure.json"}))
    one = costcalc.analyze(str(path), today=TODAY).option("Rented H100").throughput
    assert one is not None and one.detail.startswith(
        f"measured ({path.parent / 'costcalc_measure.json'}: costcalc-measure, model example-org/example-8b;"
        " concurrency "
    ), one.detail
    # its levels' mean lengths, 512/128 and 511.5/127.5, read as one length, not '512/128, 512/128'
    assert "; scaled from 512/128 to 1000/200 tokens in/out" in one.detail, one.detail


def test_a_benchmark_file_of_failed_requests_beside_others_is_a_report_warning(write_yaml: Callable[..., Path]) -> None:
    # a vLLM sweep's failed top level, a file of its own, made the report exit 2
    path = write_yaml(scenario({}, {"measured": ["vllm_new.json", "vllm_all_failed.json"]}))
    for name in ("vllm_new.json", "vllm_all_failed.json"):
        shutil.copy(FIXTURES / name, path.parent / name)
    result = costcalc.analyze(str(path), today=TODAY)
    skipped = [w for w in result.warnings if "vllm_all_failed.json: skipped" in w]
    assert len(skipped) == 1 and skipped[0].startswith("Rented H100: "), result.warnings


def test_a_median_tpot_stands_in_for_the_speed_target_only_with_a_warning(write_yaml: Callable[..., Path]) -> None:
    point = {"input_tokens": 1000, "output_tokens": 200, "concurrency": 16, "requests_per_s": 5.0, "tpot_ms": 20.0}
    result = costcalc.analyze(
        str(write_yaml(scenario({"min_output_tokens_per_s_per_user": 30}, {"points": [point]}))), today=TODAY
    )
    assert "the SLO was checked against its p50" in " ".join(result.warnings)
    point["tpot_p95_ms"] = 30.0
    result = costcalc.analyze(
        str(write_yaml(scenario({"min_output_tokens_per_s_per_user": 30}, {"points": [point]}))), today=TODAY
    )
    t = result.option("Rented H100").throughput
    assert t is not None and t.tpot_p95_ms == 30.0
    assert not any("checked against" in w for w in result.warnings)
    assert "SLO met: 33.3 output tokens/s per user at TPOT p95 >= 30" in t.detail


def test_estimated_capacity_rests_on_simulated_p95s(write_yaml: Callable[..., Path]) -> None:
    slo = {"ttft_p95_ms": 800, "min_output_tokens_per_s_per_user": 40}
    result = costcalc.analyze(str(write_yaml(scenario(slo, None))), today=TODAY)
    t = result.option("Rented H100").throughput
    assert t is not None and t.basis == "estimated" and t.meets_slo
    assert t.ttft_p95_ms is not None and t.ttft_p95_ms <= 800
    assert t.tpot_p95_ms is not None and t.tpot_p95_ms <= 25.0
    # the very figures of the one capacity function, not the estimator's closed-loop means
    cap = estimated_capacity(
        get_gpu("h100-sxm-80gb"),
        get_model("llama-3.1-8b"),
        input_tokens=(1000.0,),
        shares=(1.0,),
        output_tokens=200,
        targets=Targets(800, 40),
    )
    assert cap.serving is not None and cap.serving.at is not None
    assert (t.ttft_p95_ms, t.tpot_p95_ms) == (cap.serving.at.ttft_ms.p95, cap.serving.at.tpot_ms.p95)
    assert t.requests_per_s_per_replica == cap.serving.requests_per_s
    assert "simulated serving" in t.detail and "TTFT p95" in t.detail and "TPOT p95" in t.detail
    line = next(a for a in result.assumptions if a.startswith("Rented H100: throughput"))
    assert "TTFT p95" in line and "<= 800 ms" in line and "(40 tokens/s per user)" in line


def test_without_an_slo_no_latency_is_labelled_a_p95(write_yaml: Callable[..., Path]) -> None:
    result = costcalc.analyze(str(write_yaml(scenario({}, None))), today=TODAY)
    t = result.option("Rented H100").throughput
    assert t is not None and t.ttft_p95_ms is None and t.tpot_p95_ms is None


POINTS = {"points": [{"input_tokens": 1000, "output_tokens": 200, "requests_per_s": 5.0}]}


@pytest.mark.parametrize(
    ("throughput", "basis"),
    [(None, "capacity is the full-load throughput"), (POINTS, "the highest-throughput point")],
    ids=["estimated", "given points"],
)
def test_without_an_slo_the_assumptions_say_no_latency_target_sized_it(
    write_yaml: Callable[..., Path], throughput: dict[str, Any] | None, basis: str
) -> None:
    """examples/nightly-batch.yaml (`slo: {}`) said 'throughput estimated, actual 0.61x-1.63x (vllm, mxfp4, 1x
    h100-sxm-80gb, concurrency 44)': no percentile, and no word that none applies, so a reader could not tell a
    full-load capacity from one sized at a p95 target."""
    result = costcalc.analyze(str(write_yaml(scenario({}, throughput))), today=TODAY)
    line = next(a for a in result.assumptions if a.startswith("Rented H100: throughput"))
    assert line.endswith(f"; no latency target: {basis}"), line


@pytest.mark.parametrize("throughput", [None, POINTS], ids=["estimated", "given points"])
def test_requests_longer_than_the_models_context_are_the_workloads_to_shorten(
    write_yaml: Callable[..., Path], throughput: dict[str, Any] | None
) -> None:
    # was 'options[Rented H100].throughput: 200200 tokens of context exceed llama-3.1-8b's maximum of 131072; use
    # more GPUs per replica or a lower precision' (neither lengthens a context), or with points 'cannot adapt the
    # measured point: ...' with no file, line or field
    data = scenario({}, throughput)
    data["workload"]["input_tokens"] = 200_000
    path = write_yaml(data)
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(str(path), today=TODAY)
    assert str(info.value) == (
        f"{path}:4: workload.input_tokens: requests of 200,200 tokens (200,000 in, 200 out) are longer than llama-3.1-8b"
        " takes (131,072 tokens of context; option 'Rented H100'); shorten them, or self-host a model with a longer"
        " context"
    )
    with pytest.raises(costcalc.InputError) as info:  # set by a what-if: the override is named
        costcalc.analyze(scenario({}, throughput), overrides=["workload.input_tokens=3e5"], today=TODAY)
    assert str(info.value).startswith("overrides='workload.input_tokens=3e5': requests of 300,200 tokens")


def test_a_custom_gpu_without_measured_throughput_says_to_give_it(write_yaml: Callable[..., Path]) -> None:
    # was 'options[Rented H100].throughput: vllm does not run on custom GPUs (runs on: amd, nvidia)', for every engine
    # alike, with no fix; the README offered custom_gpu's TFLOPS as if the estimate read them
    data = scenario({}, None)
    data["options"][1]["hardware"] = {
        "acquisition": "rent",
        "hourly_usd": 2.0,
        "custom_gpu": {"name": "my-gpu", "memory_gb": 96, "memory_bandwidth_gb_s": 3000, "bf16_tflops": 800},
    }
    path = write_yaml(data)
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(str(path), today=TODAY)
    assert str(info.value).endswith(
        "options[Rented H100].throughput: not estimated on a custom GPU that says neither what it is like nor its"
        " vendor; add like: a catalog GPU (e.g. h100-sxm-80gb) or vendor: nvidia, amd or apple, or give"
        " throughput.points or throughput.measured"
    )
    data["options"][1]["throughput"] = {"points": [{"input_tokens": 1000, "output_tokens": 200, "requests_per_s": 2.0}]}
    assert costcalc.analyze(data, today=TODAY).option("Rented H100").throughput.basis == "given"  # type: ignore[union-attr]


def _llama_option(write_yaml: Callable[..., Path], slo: dict[str, Any], stated: dict[str, str]) -> tuple[float, str]:
    """(capacity per replica, the throughput assumption) of the scenario's rented option as llama.cpp serving
    llama-3.1-8b q4_k_m on an RTX 4090, with the engine fields `stated` (engine_version, engine_args)."""
    data = scenario(slo, None)
    data["options"][1] |= {"model": "llama-3.1-8b", "precision": "q4_k_m", "engine": "llamacpp", **stated}
    data["options"][1]["hardware"]["gpu"] = "rtx-4090-24gb"
    result = costcalc.analyze(str(write_yaml(data)), today=TODAY)
    t = result.option("Rented H100").throughput
    assert t is not None and t.basis == "estimated"
    line = next(a for a in result.assumptions if a.startswith("Rented H100: throughput"))
    return t.requests_per_s_per_replica, line


def test_an_option_states_its_engine_release_and_the_capacity_runs_that_release(
    write_yaml: Callable[..., Path],
) -> None:
    """A scenario could not say the engine release, so a llama.cpp option always ran today's 4 slots unasked. Now
    `engine_version: b5540` (before b7079: 1 slot) reaches the serving simulation and its full-load estimate, and the
    assumptions show it where they show the engine; without it, today's release as before."""
    slo = {"ttft_p95_ms": 3000}

    def option_capacity(release: str | None) -> tuple[float, str]:
        return _llama_option(write_yaml, slo, {} if release is None else {"engine_version": release})

    def simulated(release: str | None) -> float:
        cap = estimated_capacity(
            get_gpu("rtx-4090-24gb"),
            get_model("llama-3.1-8b"),
            precision="q4_k_m",
            engine="llamacpp",
            input_tokens=(1000.0,),
            shares=(1.0,),
            output_tokens=200,
            targets=Targets(3000, None),
            engine_version=release,
        )
        assert cap.serving is not None and cap.full_load.concurrency == (1 if release else 4)
        return cap.serving.requests_per_s

    old, old_line = option_capacity("b5540")
    today, today_line = option_capacity(None)
    assert old == simulated("b5540") < today == simulated(None)
    assert "(llamacpp b5540, q4_k_m, 1x rtx-4090-24gb)" in old_line
    assert "2,048 tokens/step and up to 1 sequence, llamacpp b5540's defaults;" in old_line
    assert "(llamacpp, q4_k_m, 1x rtx-4090-24gb)" in today_line
    assert "2,048 tokens/step and up to 4 sequences, llamacpp's defaults;" in today_line


def test_an_option_states_its_engine_arguments_and_the_capacity_runs_that_server(
    write_yaml: Callable[..., Path],
) -> None:
    """A scenario option could state the release but not how the server starts: a llama.cpp option always ran the
    release's unasked slots. Now `engine_args: -np 8` reaches the simulation (8 sequences) and its full load, the
    assumptions show the flags beside the engine, and a bad flag set by --set blames the override."""
    slo = {"ttft_p95_ms": 3000}
    eight, eight_line = _llama_option(write_yaml, slo, {"engine_args": "-np 8"})
    four, four_line = _llama_option(write_yaml, slo, {})
    assert eight > four
    assert "(llamacpp -np 8, q4_k_m, 1x rtx-4090-24gb)" in eight_line
    assert "up to 8 sequences, as stated;" in eight_line
    assert "(llamacpp, q4_k_m, 1x rtx-4090-24gb)" in four_line
    assert "2,048 tokens/step and up to 4 sequences, llamacpp's defaults;" in four_line
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(scenario(slo, None), overrides=["options[Rented H100].engine_args=-np 8 -t 8"], today=TODAY)
    assert str(info.value).startswith(
        "overrides='options[Rented H100].engine_args=-np 8 -t 8': '-np' is not a flag the estimator reads for vllm"
    )


def test_a_v0_vllm_release_says_its_defaults_and_one_older_than_the_model_is_refused(
    write_yaml: Callable[..., Path],
) -> None:
    """qa13: gpt-oss-20b at `engine_version: 0.6.3` read 63% more capacity than at today's release, from V0's 512-token
    steps, yet no vLLM release before 0.8.0 can load a model released after it (gpt-oss: vLLM 0.10.1). Such a release
    is refused at the option's engine_version with the fix; llama-3.1-8b, which 0.6.3 served, runs its V0 defaults
    (chunked prefill above 32K context, 512 tokens a step, serving/release_support.py) and the assumption says so."""
    data = scenario({"ttft_p95_ms": 1500}, None)
    data["options"][1] |= {"engine": "vllm", "engine_version": "0.6.3", "precision": "fp8"}
    result = costcalc.analyze(str(write_yaml(data)), today=TODAY)
    line = next(a for a in result.assumptions if a.startswith("Rented H100: throughput"))
    assert "(vllm 0.6.3 with V0 scheduler defaults, fp8, 1x h100-sxm-80gb)" in line
    assert "512 tokens/step and up to 256 sequences, vllm 0.6.3's defaults;" in line
    data["options"][1] |= {"model": "gpt-oss-20b", "precision": "mxfp4"}
    path = write_yaml(data)
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(str(path), today=TODAY)
    line_of_release = 1 + next(i for i, text in enumerate(path.read_text().splitlines()) if "engine_version" in text)
    assert (info.value.field, info.value.line) == ("options[Rented H100].engine_version", line_of_release)
    assert info.value.detail == (
        "vllm 0.6.3 cannot serve gpt-oss-20b: vLLM loads its architecture (GptOssForCausalLM) from 0.10.1 on (vLLM"
        " v0.10.1 release notes, #22327); state the release the server runs (0.10.1 or later) or drop the engine"
        " version"
    )
    data["options"][1]["engine_version"] = "0.10.1"  # gpt-oss's first: today's defaults, no clause
    line = next(a for a in costcalc.analyze(str(write_yaml(data)), today=TODAY).assumptions if "Rented H100" in a)
    assert "(vllm 0.10.1, mxfp4, 1x h100-sxm-80gb)" in line and "V0" not in line


def test_a_replica_its_engine_arguments_leave_unable_to_serve_is_their_fault_not_the_gpus(
    write_yaml: Callable[..., Path],
) -> None:
    """qa15: an option whose own engine arguments made its replica unable to serve was blamed on its throughput, at
    the option's first line, with the remedy for too little hardware: 'options[Rented H100].throughput: requests of
    1,200 tokens (prompt + output) exceed --max-model-len 100; raise it; use more GPUs per replica or a lower
    precision' (neither lengthens --max-model-len), and a `--set` of them named the file's line, not the --set. Where
    the replica fits without them, the error is at the option's engine_args (their line, or the override that set
    them) with one remedy."""
    data = scenario({"ttft_p95_ms": 3000}, None)
    data["options"][1]["engine_args"] = "--max-model-len 100"
    path = write_yaml(data)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "engine_args" in text)
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(str(path), today=TODAY)
    assert str(info.value) == (
        f"{path}:{line}: options[Rented H100].engine_args: requests of 1,200 tokens (prompt + output) exceed"
        " --max-model-len 100; raise it"
    )
    share = "options[Rented H100].engine_args=--gpu-memory-utilization 0.15"
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(scenario({}, None), overrides=[share], today=TODAY)
    said = str(info.value)
    assert said.startswith(f"overrides='{share}': needs 16.1 GB of weights, ")
    # the refusal names the stated share with its own remedy (polish15), so no second remedy follows
    assert said.endswith("available on 1x h100-sxm-80gb at --gpu-memory-utilization 0.15; raise it or drop it")
    data = scenario({}, None)  # too big whatever the flags: the hardware's remedy, at the throughput, as before
    data["options"][1] |= {"model": "llama-3.3-70b", "engine_args": "--max-num-seqs 8"}
    path = write_yaml(data)
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(str(path), today=TODAY)
    assert str(info.value).endswith("; use more GPUs per replica or a lower precision")
    assert ": options[Rented H100].throughput: needs " in str(info.value)


def test_a_pcie_replica_is_costed_at_the_layout_serving_the_most_within_the_slo_and_says_which(
    write_yaml: Callable[..., Path],
) -> None:
    from costcalc.throughput.load_cycle import LAYOUT_WORDS

    def option(gpus: int) -> dict[str, Any]:
        return {
            "name": f"{gpus} RTX 4090s",
            "kind": "self_hosted",
            "model": "qwen3-32b",
            "precision": "fp8",
            "hardware": {"gpu": "rtx-4090-24gb", "gpus_per_replica": gpus, "acquisition": "rent", "hourly_usd": 0.4},
        }

    workload = {"requests_per_day": 5000, "input_tokens": 8000, "output_tokens": 1, "slo": {"ttft_p95_ms": 5000}}
    path = write_yaml({"version": 1, "workload": workload, "options": [option(2), option(4)]})
    result = costcalc.analyze(str(path), today=TODAY)
    two, four = (result.option(f"{gpus} RTX 4090s").throughput for gpus in (2, 4))
    assert two is not None and four is not None
    assert (
        four.requests_per_s_per_replica >= two.requests_per_s_per_replica
    )  # was 0.0297 against 0.13: pipeline parallel at full load
    cap = estimated_capacity(
        get_gpu("rtx-4090-24gb"),
        get_model("qwen3-32b"),
        gpu_count=4,
        precision="fp8",
        input_tokens=(8000.0,),
        shares=(1.0,),
        output_tokens=1,
        targets=Targets(ttft_p95_ms=5000),
    )
    assert cap.serving is not None and four.requests_per_s_per_replica == cap.serving.requests_per_s
    chosen = f"4x rtx-4090-24gb, {LAYOUT_WORDS[cap.full_load.parallelism]}, the layout chosen as serving more within"
    assert f"{chosen} the SLO)" in four.detail  # chosen, not stated (polish24)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("[]", "the file holds no benchmark result, only an empty list"),
        ('{"results": [', "the JSON ends with brackets or a text still open: the file was cut short"),
        ('{"results": [}', "not valid JSON or YAML"),
    ],
)
def test_a_measured_file_that_cannot_be_read_names_the_scenario_line_that_names_it(
    write_yaml: Callable[..., Path], content: str, says: str
) -> None:
    """qa18: 'bench.json: the file holds no benchmark result, ...' named the benchmark file only, where a file that is
    not found names the scenario's line and field (as every other error of a referenced file does)."""
    path = write_yaml(scenario({}, {"measured": "bench.json"}))
    (path.parent / "bench.json").write_text(content, encoding="utf-8")
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(str(path), today=TODAY)
    message = str(info.value)
    assert message.startswith(f"{path}:") and "options[Rented H100].throughput.measured: " in message, message
    assert f"{path.parent / 'bench.json'}: {says}" in message


POINT = {"input_tokens": 1000, "output_tokens": 200, "requests_per_s": 5, "concurrency": 4}


def test_points_without_the_latency_a_target_needs_say_it_cannot_be_checked(write_yaml: Callable[..., Path]) -> None:
    # the warning said 'no operating point meets the latency SLO' (as if the point were too slow) and the detail
    # 'NO point meets the SLO: no point meets the SLO; least-bad is ...'
    slo = {"ttft_p95_ms": 2000, "min_output_tokens_per_s_per_user": 20}
    path = write_yaml(scenario(slo, {"points": [POINT]}))
    result = costcalc.analyze(str(path), today=TODAY)
    t = result.option("Rented H100").throughput
    assert t is not None and not t.meets_slo
    assert t.detail.endswith(
        "; NO point meets the SLO; least-bad is concurrency 4: TTFT not reported, so the TTFT SLO cannot be checked;"
        " TPOT/ITL not reported, so per-user speed cannot be checked"
    )
    said = (
        "Rented H100: its throughput points give no TTFT or TPOT, so the SLO's latency targets cannot be checked;"
        " costs assume the point as given (add ttft_p95_ms and tpot_p95_ms to each point)"
    )
    assert said in result.warnings and not any("no operating point meets" in w for w in result.warnings)
    grid = costcalc.sweep(str(path), ["workload.requests_per_day=1000,2000"], today=TODAY)
    assert any(w.startswith(said) for w in grid.attrs["warnings"]), grid.attrs["warnings"]


def test_a_benchmark_without_ttft_names_the_file_and_a_point_that_misses_is_a_miss(
    write_yaml: Callable[..., Path],
) -> None:
    path = write_yaml(scenario({"ttft_p95_ms": 2000}, {"measured": "no_ttft.json"}))
    bench = json.loads((FIXTURES / "vllm_new.json").read_text(encoding="utf-8"))
    (path.parent / "no_ttft.json").write_text(json.dumps({k: v for k, v in bench.items() if "ttft" not in k}))
    warned = costcalc.analyze(str(path), today=TODAY).warnings
    assert any(
        w.startswith("Rented H100: its benchmark results (")
        and w.endswith(
            "no_ttft.json) give no TTFT, so the SLO's TTFT target cannot be checked; costs assume the point as given"
            " (measure with a tool that reports it, such as `costcalc measure`)"
        )
        for w in warned
    ), warned
    path = write_yaml(scenario({"ttft_p95_ms": 2000}, {"points": [{**POINT, "ttft_p95_ms": 5000}]}))
    warned = costcalc.analyze(str(path), today=TODAY).warnings
    assert (
        "Rented H100: no operating point meets the latency SLO; costs assume the best available operating point"
        in warned
    )


@pytest.mark.parametrize(
    ("slo", "stated", "layout"),
    [
        # under these targets tensor parallel serves more (6,071 output tokens/s a replica against 6,016): -pp 2 was
        # refused as a flag the estimator does not read, and is now costed as stated
        ({"ttft_p95_ms": 300, "min_output_tokens_per_s_per_user": 30}, "-pp 2", "pipeline parallel"),
        # here pipeline parallel serves more (7,253 against 6,550) and was costed though -tp 2 was stated
        ({"ttft_p95_ms": 1000}, "-tp 2", "tensor parallel"),
    ],
)
def test_an_options_stated_layout_is_the_one_costed_under_an_slo(
    slo: dict[str, float], stated: str, layout: str
) -> None:
    """layout23b: the capacity under an SLO was searched at both layouts of a multi-GPU replica and the one serving
    more was costed, whatever the option's engine_args stated. A stated layout is costed, and not searched over."""
    data = scenario(slo, None)
    data["options"][1]["hardware"]["gpus_per_replica"] = 2
    unstated = costcalc.analyze(data, today=TODAY).option("Rented H100").throughput
    data["options"][1]["engine_args"] = stated
    taken = costcalc.analyze(data, today=TODAY).option("Rented H100").throughput
    assert unstated is not None and taken is not None
    assert f"2x h100-sxm-80gb, {layout}, the layout chosen" not in unstated.detail  # the estimator chose the other
    assert f"(vllm {stated}, bf16, 2x h100-sxm-80gb, {layout} as stated)" in taken.detail
    assert taken.output_tokens_per_s_per_replica < unstated.output_tokens_per_s_per_replica
