"""`costcalc estimate` through CliRunner: single estimate, --cases round trip, exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.cli import app
from costcalc.throughput.holdout import read_holdout
from costcalc.throughput.scoring import band_table

REPO_ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: str):
    """Run the command through the real root app (its error handling prints `error: ...` and exits)."""
    result = CliRunner().invoke(app, ["estimate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr.removesuffix("\n")


BASE = [
    "--gpu",
    "h100-sxm-80gb",
    "--model",
    "llama-3.1-8b",
    "--input-tokens",
    "1000",
    "--output-tokens",
    "200",
]


def test_single_estimate_table():
    code, out, err = invoke(*BASE, "--concurrency", "8")
    assert code == 0, err
    assert "estimated: llama-3.1-8b (bf16) on 1x h100-sxm-80gb, vllm" in out
    assert "output tokens/s (replica)" in out and "TPOT ms" in out
    assert "actual / estimate at 8 in flight (vllm server band: 9 in 10 of " in _labels(out)


def test_the_title_groups_the_lengths_thousands_as_the_table_does() -> None:
    """The title read '1000 in / 200 out' over a table of '18,799.7' input tokens/s; now '1,000 in / 200 out'."""
    code, out, err = invoke(*BASE, "--concurrency", "8")
    assert code == 0, err
    assert "estimated: llama-3.1-8b (bf16) on 1x h100-sxm-80gb, vllm, 1,000 in / 200 out" in out


def _labels(table: str) -> str:
    """The table's label column as one line (a label wraps over several rows at 80 columns)."""
    return " ".join(line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│"))


@pytest.mark.parametrize("columns", [80, 120])
def test_each_band_says_which_load_it_is_for(columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The point at --concurrency 8 quotes the fixed-load band, the capacity under the SLO the full-load one (each is
    chosen by its load, factors.scenario_class); each row names its load, its band and the held-out rows under it,
    as the JSON's `band.label` does (before: '(9 in 10 calibration cases)', and the JSON said neither)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    args = (*BASE, "--concurrency", "8", "--ttft-p95-ms", "1500")
    code, out, err = invoke(*args)
    assert code == 0, err
    body = json.loads(invoke(*args, "--format", "json")[1])
    point, capacity = body["actual_range"], body["serving"]["actual_range"]
    labels = _labels(out)
    rows = {k: v.rows for k, v in band_table(*read_holdout()).items()}
    point_label = f"actual / estimate at 8 in flight (vllm server band: 9 in 10 of {rows['vllm/server']} held-out"
    capacity_label = (
        f"capacity's actual / estimate at full load, {body['max_concurrency']} in flight (vllm offline band: 9 in 10"
        f" of {rows['vllm/offline']} held-out benchmarks)"
    )
    assert point_label in labels and capacity_label in labels
    assert body["band"]["label"] in labels and body["band"]["label"].startswith(point_label)
    assert body["serving"]["band"]["label"] == capacity_label
    values = [line.split("│")[2].strip() for line in out.splitlines() if re.search(r"│ +[\d.]+x-[\d.]+x │", line)]
    assert values == [
        f"{point['low']:.2f}x-{point['high']:.2f}x",
        f"{capacity['low']:.2f}x-{capacity['high']:.2f}x",
    ]


def test_single_estimate_json_is_parseable_and_consistent():
    code, out, _ = invoke(*BASE, "--engine", "trtllm", "--precision", "fp8", "--format", "json")
    assert code == 0
    body = json.loads(out)
    assert body["schema_version"] == "1.9" and body["kind"] == "estimate" and body["fits"] is True
    assert body["concurrency"] == body["max_concurrency"]  # no --concurrency: as many as fit
    assert body["output_tokens_per_s"] == pytest.approx(body["requests_per_s"] * 200)


@pytest.mark.parametrize("flag", ["--ttft-p95-ms", "--min-output-tokens-per-s-per-user"])
@pytest.mark.parametrize("value", ["inf", "nan"])
def test_an_slo_target_must_be_a_finite_number(flag: str, value: str) -> None:
    """'--ttft-p95-ms inf' was taken as a target ('SLO met: TTFT p95 384 ms <= inf ms'); 'nan' was refused as
    'must be > 0', which it is not a case of."""
    code, out, err = invoke(*BASE, flag, value)
    assert (code, out, err) == (2, "", f"error: {flag}: must be a finite number, got {value}")


def test_does_not_fit_exits_2_with_one_line():
    code, out, err = invoke(
        "--gpu",
        "rtx-4090-24gb",
        "--model",
        "llama-3.3-70b",
        "--input-tokens",
        "100",
        "--output-tokens",
        "100",
    )
    assert code == 2 and out == ""
    assert re.match(
        r"error: does not fit: needs 14\d\.\d GB of weights, \d+\.\d GB available on "
        r"1x rtx-4090-24gb; use more GPUs per replica \(--gpus\) or a lower precision \(--precision\)$",
        err,
    )
    assert "\n" not in err


@pytest.mark.parametrize(
    ("args", "remedy"),
    [
        (
            ["--input-tokens", "200000", "--output-tokens", "200"],
            "; shorten the requests (--input-tokens, --output-tokens)",
        ),
        (["--input-tokens", "1000", "--output-tokens", "200", "--engine-args", "--max-model-len 100"], "; raise it"),
        (["--input-tokens", "1000", "--output-tokens", "200", "--gpu", "apple-m3-max"], "(runs on: amd, nvidia)"),
    ],
    ids=["context", "stated-limit", "engine"],
)
def test_a_configuration_that_does_not_fit_names_its_own_fix_once(args: list[str], remedy: str) -> None:
    """qa16 relay 1: 'does not fit: needs 80.6 GB of weights, 75.3 GB available' named no fix; more GPUs or a lower
    precision is the fix only where memory is short: a request longer than the model's context, a stated flag's
    limit or an engine that cannot run the GPU each say their own."""
    code, _, err = invoke("--gpu", "h100-sxm-80gb", "--model", "llama-3.1-8b", *args)
    assert code == 2 and err.startswith("error: does not fit: ") and err.endswith(remedy)
    assert "--gpus" not in err and "\n" not in err


def test_an_uneven_head_split_names_the_flag_that_sets_the_gpu_count() -> None:
    # '--gpus 100' for an 8B model said 'use 1, 2, 4 or 8 GPUs per replica' and named no flag (qa18 finding 19)
    code, out, err = invoke(*BASE, "--gpus", "100")
    assert code == 2 and out == "" and "\n" not in err
    assert err.startswith("error: does not fit: vllm cannot split") and err.endswith(
        "; use 1, 2, 4 or 8 GPUs per replica (--gpus)"
    )


def test_unknown_engine_and_missing_options_exit_2():
    code, _, err = invoke(*BASE, "--engine", "ollama")
    assert code == 2 and "valid: trtllm, vllm, sglang, llamacpp, mlx" in err
    code, _, err = invoke("--gpu", "h100")
    assert code == 2 and "missing --model, --input-tokens, --output-tokens" in err


def test_a_request_of_no_tokens_is_refused():
    """0 prompt and 0 output tokens claimed thousands of requests/s of nothing; one line, exit 2."""
    code, out, err = invoke(
        "--gpu", "h100-sxm-80gb", "--model", "llama-3.1-8b", "--input-tokens", "0", "--output-tokens", "0"
    )
    assert code == 2 and out == ""
    assert "0 prompt and 0 output tokens" in err and len(err.strip().splitlines()) == 1
    # a decode-only request (no prompt) is still a real benchmark shape
    code, _, _ = invoke(
        "--gpu", "h100-sxm-80gb", "--model", "llama-3.1-8b", "--input-tokens", "0", "--output-tokens", "128"
    )
    assert code == 0


CASES = """id,gpu,gpu_count,model,precision,engine,input_tokens,output_tokens,concurrency,scenario,metric,extra
a,h100-sxm-80gb,1,llama-3.1-8b,fp8,trtllm,1000,1000,,offline,output_tokens_per_s,x1
b,no-such-gpu,1,llama-3.1-8b,fp8,trtllm,1000,1000,,offline,output_tokens_per_s,x2
c,h100-sxm-80gb,1,llama-3.1-8b,bf16,vllm,0,128,1,single,tpot_ms,x3
"""


def test_cases_csv_round_trip(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(CASES, encoding="utf-8")
    code, out, err = invoke("--cases", str(path))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    src = list(csv.DictReader(io.StringIO(CASES)))
    assert list(rows[0])[: len(src[0])] == list(src[0])  # input columns first, in order
    for got, want in zip(rows, src, strict=True):
        assert {k: got[k] for k in want} == want  # every input cell unchanged
    assert float(rows[0]["estimate"]) > 0 and rows[0]["reason"] == ""
    assert rows[1]["estimate"] == "" and "unknown GPU id 'no-such-gpu'" in rows[1]["reason"]
    assert 1 < float(rows[2]["estimate"]) < 100  # an 8B model's decode step, in ms


BAD_CASES = """gpu,gpu_count,model,precision,engine,input_tokens,output_tokens,concurrency,metric
h100-sxm-80gb,0,llama-3.1-8b,,vllm,1000,100,,output_tokens_per_s
h100-sxm-80gb,1,llama-3.1-8b,,vllm,10k,100,,output_tokens_per_s
h100-sxm-80gb,1,llama-3.1-8b,,vllm,-5,100,,output_tokens_per_s
h100-sxm-80gb,1,llama-3.1-8b,,vlm,1000,100,,output_tokens_per_s
h100x,1,llama-3.1-8b,,vllm,1000,100,,output_tokens_per_s
h100-sxm-80gb,1,no-such-model,,vllm,1000,100,,output_tokens_per_s
"""


def test_a_bad_case_is_refused_naming_its_column(tmp_path):
    """gpu_count 0 was estimated as 1 GPU; '10k' said "could not convert string to float: '10k'"; the others
    named the estimator's field ('input_tokens/output_tokens: ...'); an unknown GPU or model id named no column."""
    path = tmp_path / "cases.csv"
    path.write_text(BAD_CASES, encoding="utf-8")
    code, out, err = invoke("--cases", str(path))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["estimate"], r["reason"]) for r in rows] == [
        ("", "gpu_count: must be at least 1, got 0"),
        ("", "input_tokens: write a plain number (no units or k/M suffixes), not '10k'"),
        ("", "input_tokens: must be at least 0, got -5"),
        ("", "engine: unknown engine 'vlm' (did you mean: vllm?); valid: trtllm, vllm, sglang, llamacpp, mlx"),
        ("", "gpu: unknown GPU id 'h100x' (did you mean: h100-sxm-80gb?); `costcalc catalog gpus` lists the ids"),
        ("", "model: unknown model id 'no-such-model'; `costcalc catalog models` lists the ids"),
    ]


def test_cases_json_and_output_file(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(CASES, encoding="utf-8")
    dest = tmp_path / "out.json"
    code, out, _ = invoke("--cases", str(path), "--format", "json", "-o", str(dest))
    assert code == 0 and out == ""
    doc = json.loads(dest.read_text(encoding="utf-8"))
    # versioned as the other JSON outputs are (single estimate, report, sweep, sensitivity); it was a bare list
    assert list(doc) == ["schema_version", "kind", "cases"] and doc["kind"] == "estimate_cases"
    # 1.1: each case's `band`; 1.2: its band_basis; 1.3: its architecture; 1.4: its published_runs
    assert doc["schema_version"] == "1.4"
    items = doc["cases"]
    assert [i["id"] for i in items] == ["a", "b", "c"]
    assert items[1]["estimate"] is None and items[1]["reason"]
    assert isinstance(items[0]["estimate"], float)


def test_cases_with_table_format_or_missing_columns_exit_2(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(CASES, encoding="utf-8")
    code, _, err = invoke("--cases", str(path), "--format", "table")
    assert code == 2 and "--format csv" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("gpu,model\nh100,x\n", encoding="utf-8")
    code, _, err = invoke("--cases", str(bad))
    assert code == 2 and f"{bad}:1: missing column(s)" in err


def test_a_case_with_a_layout_it_cannot_take_exits_2_and_writes_nothing(tmp_path):
    path = tmp_path / "cases.csv"
    lines = CASES.splitlines()
    rows = [
        lines[0] + ",layout",
        lines[1] + ",",
        "z,h100-sxm-80gb,2,llama-3.1-8b,bf16,vllm,1000,100,,offline,output_tokens_per_s,x,dp",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    dest = tmp_path / "out.csv"
    code, out, err = invoke("--cases", str(path), "-o", str(dest))
    assert code == 2 and out == "" and not dest.exists()
    assert err == (
        f"error: {path}:3: layout: 'dp' (case z) is no layout: write tp (tensor parallel) or pp (pipeline parallel), or"
        " leave it empty for the one serving more at full load"
    )


@pytest.mark.parametrize("columns", [80, 120])
def test_the_table_fits_the_terminal(columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # the table was drawn 100 characters wide whatever the terminal (at 80 columns every row wrapped)
    monkeypatch.setenv("COLUMNS", str(columns))
    slo = ("--ttft-p95-ms", "1500", "--min-output-tokens-per-s-per-user", "25")
    code, out, err = invoke(*BASE, *slo)
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert any("SLO met" in line for line in lines) and any("capacity under the SLO" in line for line in lines)


def test_single_estimate_json_is_versioned_as_every_json_costcalc_writes():
    """schema_version is a "MAJOR.MINOR" string beside `kind`, as report, recommend and estimate --cases write it
    (it was the integer 1); the major stays 1 and the keys a script read before are all still there."""
    from costcalc.analysis.recommend.result import SCHEMA_VERSION as RECOMMEND
    from costcalc.render.estimate import CASES_SCHEMA_VERSION
    from costcalc.report.result import SCHEMA_VERSION as REPORT

    body = json.loads(invoke(*BASE, "--concurrency", "8", "--format", "json")[1])
    assert re.fullmatch(r"1\.[1-9]\d*", body["schema_version"])
    assert all(re.fullmatch(r"\d+\.\d+", v) for v in (REPORT, RECOMMEND, CASES_SCHEMA_VERSION))
    assert list(body)[:2] == ["schema_version", "kind"] and body["kind"] == "estimate"
    kept = {"fits", "gpu", "model", "engine", "concurrency", "output_tokens_per_s", "error_band", "actual_range"}
    assert kept <= set(body)


def test_single_estimate_json_says_what_load_and_rows_its_band_is_for():
    """Without --concurrency the estimate runs as many requests as fit and quotes the full-load (offline) band:
    the JSON says so with the band entry, its p90 and the held-out rows under it, as the table's label does (the
    label said 'at 6 in flight', the same words as a fixed load of 6, which quotes another band)."""
    code, out, err = invoke(*BASE, "--format", "json")
    assert code == 0, err
    body = json.loads(out)
    rows = {k: v.rows for k, v in band_table(*read_holdout()).items()}
    assert body["band"] == {
        "engine": "vllm",
        "scenario": "offline",
        "concurrency": body["max_concurrency"],
        "applies": "vllm/offline",
        "p90_error": body["error_band"],
        "held_out_rows": rows["vllm/offline"],
        "class_held_out_rows": rows["vllm/offline"],
        "label": f"actual / estimate at full load, {body['max_concurrency']} in flight (vllm offline band: 9 in 10 of"
        f" {rows['vllm/offline']} held-out benchmarks)",
    }
    assert body["band"]["label"] in _labels(invoke(*BASE)[1])
    assert "band_scenario" not in body  # said once, as band.scenario


def test_a_class_without_its_own_band_says_it_quotes_the_overall_band():
    """SGLang one request at a time has too few held-out rows for a band of its own: the overall band applies, and
    both the table and the JSON say so with the class's own count."""
    args = (*BASE, "--engine", "sglang", "--concurrency", "1")
    body = json.loads(invoke(*args, "--format", "json")[1])
    rows = {k: v.rows for k, v in band_table(*read_holdout()).items()}
    band = body["band"]
    assert (band["scenario"], band["applies"]) == ("single", "overall")
    assert (band["held_out_rows"], band["class_held_out_rows"]) == (rows["overall"], rows.get("sglang/single", 0))
    assert (
        f"actual / estimate at 1 in flight (overall band: 9 in 10 of {rows['overall']} held-out benchmarks; "
        f"sglang single has {rows.get('sglang/single', 0)})"
    ) in _labels(invoke(*args)[1])


BAND_CASES = """id,gpu,gpu_count,model,precision,engine,input_tokens,output_tokens,concurrency,metric
fixed,h100-sxm-80gb,1,llama-3.1-8b,,vllm,1000,200,8,output_tokens_per_s
single,h100-sxm-80gb,1,llama-3.1-8b,,sglang,1000,200,1,output_tokens_per_s
full,h100-sxm-80gb,1,llama-3.1-8b,,vllm,1000,200,,output_tokens_per_s
none,no-such-gpu,1,llama-3.1-8b,,vllm,1000,200,8,output_tokens_per_s
"""


def test_each_case_carries_the_band_a_single_estimate_of_its_configuration_shows(tmp_path):
    """`estimate --cases -f json` had `actual_range` but no `band` (the single estimate's JSON has had one since
    schema 1.1): now each case has the same object, read through the same functions, as `estimate -f json` of the
    same GPU, model, engine and concurrency; null where the row has no estimate."""
    path = tmp_path / "cases.csv"
    path.write_text(BAND_CASES, encoding="utf-8")
    code, out, err = invoke("--cases", str(path), "--format", "json")
    assert code == 0, err
    cases = {c["id"]: c for c in json.loads(out)["cases"]}
    for name, extra in (("fixed", ("--concurrency", "8")), ("single", ("--engine", "sglang", "--concurrency", "1"))):
        single = json.loads(invoke(*BASE, *extra, "--format", "json")[1])
        assert cases[name]["band"] == single["band"], name
        assert cases[name]["actual_range"] == single["actual_range"], name
    assert cases["none"]["band"] is None and cases["none"]["estimate"] is None
    assert list(cases["fixed"])[-4:] == ["actual_range", "band", "published_runs", "reason"]  # runs: schema 1.4


def test_a_case_without_a_concurrency_says_it_is_for_full_load(tmp_path):
    """A row without a concurrency runs as many requests as fit: its band is the full-load (offline) one a single
    estimate without --concurrency quotes; its concurrency is the row's (null), so the label names no count."""
    path = tmp_path / "cases.csv"
    path.write_text(BAND_CASES, encoding="utf-8")
    full = {c["id"]: c for c in json.loads(invoke("--cases", str(path), "--format", "json")[1])["cases"]}["full"]
    single = json.loads(invoke(*BASE, "--format", "json")[1])["band"]
    assert full["band"] == {
        **single,
        "concurrency": None,
        "label": single["label"].replace(f", {single['concurrency']} in flight", ""),
    }
    assert full["band"]["label"].startswith("actual / estimate at full load (vllm offline band: 9 in 10 of ")


FULL_LOAD = ["--gpu", "h100-sxm-80gb", "--model", "gpt-oss-120b", "--input-tokens", "1000", "--output-tokens", "200"]


def test_the_full_load_quotes_one_band_however_it_is_asked_for(tmp_path):
    """qa11 finding 5: without --concurrency gpt-oss-120b on an H100 runs 223 in flight (as many as fit) under the
    vllm offline band; --concurrency 223, the same run, quoted the vllm server band in the table and the JSON, and
    so did the Python API and a cases row at 223. Now every one quotes the full-load band, and 222 a fixed load."""
    import costcalc

    full = json.loads(invoke(*FULL_LOAD, "--format", "json")[1])
    n = full["concurrency"]
    assert n == full["max_concurrency"] and full["band"]["scenario"] == "offline"
    api = costcalc.estimate_throughput(
        gpu="h100-sxm-80gb", model="gpt-oss-120b", input_tokens=1000, output_tokens=200, concurrency=n
    )
    assert api.band == full["band"] and api.error_band == full["error_band"]
    for asked in (n, n + 1):
        body = json.loads(invoke(*FULL_LOAD, "--concurrency", str(asked), "--format", "json")[1])
        assert (body["band"], body["actual_range"]) == (full["band"], full["actual_range"]), asked
        assert full["band"]["label"] in _labels(invoke(*FULL_LOAD, "--concurrency", str(asked))[1])
    below = json.loads(invoke(*FULL_LOAD, "--concurrency", str(n - 1), "--format", "json")[1])["band"]
    assert (below["scenario"], below["applies"]) == ("server", "vllm/server")
    path = tmp_path / "cases.csv"
    path.write_text(
        "id,gpu,gpu_count,model,precision,engine,input_tokens,output_tokens,concurrency,metric\n"
        f"at_full,h100-sxm-80gb,1,gpt-oss-120b,,vllm,1000,200,{n},output_tokens_per_s\n",
        encoding="utf-8",
    )
    (case,) = json.loads(invoke("--cases", str(path), "--format", "json")[1])["cases"]
    assert case["band"] == full["band"]


@pytest.mark.parametrize("columns", [80, 120])
def test_an_unmet_slo_says_whether_the_speed_target_holds_at_the_capacity(columns, monkeypatch):
    """'SLO NOT met' gave the reason only ('TTFT p95 89.3 ms > 20 ms even at 2% of full load (...)'), though its
    rows gave TPOT p50/p95/p99 at capacity: it now goes on as the report's capacity line does since measure11 (the
    same words, ServingCapacity.unmet): the capacity it is costed at and every target there, the per-user speed's
    included."""
    monkeypatch.setenv("COLUMNS", str(columns))
    args = (*BASE, "--ttft-p95-ms", "20", "--min-output-tokens-per-s-per-user", "30")
    code, out, err = invoke(*args)
    assert code == 0, err
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("│ SLO NOT met"))
    said = " ".join(line.split("│")[2].strip() for line in lines[start:] if line.startswith("│"))
    summary = json.loads(invoke(*args, "--format", "json")[1])["serving"]["summary"]
    assert summary.endswith(f"cannot meet the SLO: {said}")
    assert "; at that rate TTFT p95 " in said and said.endswith("(the 30 tokens/s per user target holds)")


LLAMA_SERVER = [
    "--gpu",
    "rtx-4090-24gb",
    "--model",
    "llama-3.1-8b",
    "--precision",
    "q4_k_m",
    "--engine",
    "llamacpp",
    "--input-tokens",
    "500",
    "--output-tokens",
    "200",
]


@pytest.mark.parametrize("columns", [80, 120])
def test_llama_server_decodes_its_slots_and_the_rest_of_the_concurrency_waits(columns, monkeypatch):
    """--concurrency 8 on llama.cpp ran 8 sequences at once (the server band), while llama-server started without
    -np decodes at most its 4 unasked slots, as the serving simulation runs it: now 8 runs the slots, which are its
    full load (the run without --concurrency, its band included), and one line says 4 wait and how to run 8. The
    Python API says the same; 4 asked for waits for nothing."""

    monkeypatch.setenv("COLUMNS", str(columns))
    full = json.loads(invoke(*LLAMA_SERVER, "--format", "json")[1])
    asked = json.loads(invoke(*LLAMA_SERVER, "--concurrency", "8", "--format", "json")[1])
    assert full["concurrency"] == 4 < full["max_concurrency"] and full["requests_waiting"] == 0
    assert full["waiting_note"] is None
    waiting = {k: asked.pop(k) for k in ("requests_waiting", "waiting_note")}
    assert asked == {k: v for k, v in full.items() if k not in waiting}  # the full load's numbers and band
    assert waiting["requests_waiting"] == 4 and asked["band"]["scenario"] == "offline"
    note = waiting["waiting_note"]
    assert note.startswith("4 of the 8 requests in flight wait for a slot") and "-np 8" in note
    assert note.endswith("(estimate that with --engine-args '-np 8')")  # the flag, not a --cases row
    code, out, err = invoke(*LLAMA_SERVER, "--concurrency", "8")
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= columns
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("│ requests waiting"))
    said = []
    for line in lines[start:]:
        label, value = line.split("│")[1:3]
        if said and label.strip():
            break
        said.append(value.strip())
    assert " ".join(said) == note
    assert "requests waiting" not in invoke(*LLAMA_SERVER, "--concurrency", "4")[1]
    api = _llama_api(concurrency=8)
    assert (api.concurrency, api.requests_waiting, api.band) == (4, 4, full["band"])


def _llama_api(**stated):
    """costcalc.estimate_throughput of LLAMA_SERVER's configuration with `stated` (concurrency, engine_args, ...)."""
    import costcalc

    return costcalc.estimate_throughput(
        gpu="rtx-4090-24gb",
        model="llama-3.1-8b",
        precision="q4_k_m",
        engine="llamacpp",
        input_tokens=500,
        output_tokens=200,
        **stated,
    )


NP8 = ("--engine-args", "-np 8", "--engine-version", "b7079")


def _one_case(tmp_path: Path, row: str) -> dict:
    """The JSON case `estimate --cases` gives for one row of gpu, gpu_count, model, precision, engine, input_tokens,
    output_tokens, concurrency, metric, engine_version, engine_args."""
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "gpu,gpu_count,model,precision,engine,input_tokens,output_tokens,concurrency,metric,engine_version,engine_args\n"
        f"{row}\n",
        encoding="utf-8",
    )
    code, out, err = invoke("--cases", str(cases), "--format", "json")
    assert code == 0, err
    (case,) = json.loads(out)["cases"]
    return case


def _report_capacity(
    write_yaml, slo: dict[str, float], engine_args: str | None, lengths: tuple[int, int] = (500, 200), **fields
) -> float:
    """The capacity a report costs for the LLAMA_SERVER configuration (or that with `fields` in place of its own)
    stated as a scenario option, for requests of `lengths` (input, output tokens)."""
    import costcalc

    option = {
        "name": "Llama",
        "kind": "self_hosted",
        "model": "llama-3.1-8b",
        "precision": "q4_k_m",
        "engine": "llamacpp",
        "engine_version": "b7079",
        "hardware": {"gpu": "rtx-4090-24gb", "acquisition": "rent", "hourly_usd": 0.5},
    }
    option.update(fields)
    option = {key: value for key, value in option.items() if value is not None}
    if engine_args is not None:
        option["engine_args"] = engine_args
    inp, out = lengths
    data = {
        "version": 1,
        "workload": {"requests_per_day": 20000, "input_tokens": inp, "output_tokens": out, "slo": slo},
        "options": [option],
    }
    result = costcalc.analyze(str(write_yaml(data)), today="2026-12-06")
    t = result.option("Llama").throughput
    assert t is not None and t.basis == "estimated"
    return t.requests_per_s_per_replica


def test_one_server_configuration_gives_one_figure_in_estimate_cases_report_and_the_api(tmp_path, write_yaml):
    """estimate, the Python API and a scenario option could not say how llama-server is started (only a --cases row
    could, through engine_args): a server started with -np 8 was estimated at the 4 unasked slots everywhere but
    there. Now the one configuration, -np 8 on b7079, gives one figure: estimate's full load (8 in flight), the API's,
    a --cases row's and the capacity the report costs without a latency target; with a TTFT p95 target, estimate's
    simulated capacity and the report's. The same without -np is the 4 slots' figure, lower."""

    body = json.loads(invoke(*LLAMA_SERVER, *NP8, "--format", "json")[1])
    assert (body["concurrency"], body["engine_args"], body["engine_version"]) == (8, "-np 8", "b7079")
    assert body["band"]["scenario"] == "offline" and body["requests_waiting"] == 0
    unasked = json.loads(invoke(*LLAMA_SERVER, "--format", "json")[1])
    assert unasked["concurrency"] == 4 and unasked["requests_per_s"] < body["requests_per_s"]
    api = _llama_api(engine_args="-np 8", engine_version="b7079")
    assert (api.requests_per_s, api.concurrency, api.band) == (body["requests_per_s"], 8, body["band"])
    case = _one_case(tmp_path, "rtx-4090-24gb,1,llama-3.1-8b,q4_k_m,llamacpp,500,200,,output_tokens_per_s,b7079,-np 8")
    assert float(case["estimate"]) == pytest.approx(body["output_tokens_per_s"], rel=1e-5)
    assert case["band"]["scenario"] == "offline"
    assert _report_capacity(write_yaml, {}, "-np 8") == body["requests_per_s"]
    assert _report_capacity(write_yaml, {}, None) == unasked["requests_per_s"]
    slo = json.loads(invoke(*LLAMA_SERVER, *NP8, "--ttft-p95-ms", "3000", "--format", "json")[1])["serving"]
    assert _report_capacity(write_yaml, {"ttft_p95_ms": 3000}, "-np 8") == slo["requests_per_s"]
    assert slo["requests_per_s"] > _report_capacity(write_yaml, {"ttft_p95_ms": 3000}, None)


def test_a_stated_gpu_memory_utilization_is_one_figure_in_estimate_cases_report_and_the_api(tmp_path, write_yaml):
    """polish14: `estimate --engine-args '--gpu-memory-utilization 0.5'` was refused ('not a flag the estimator
    reads'). It is vLLM's share of each GPU's memory, the knob the estimator's memory fit has: at 0.5 an H100 holds
    fewer 1,200-token requests than at the default share, and estimate, the API, a --cases row and the report's
    capacity give the same, lower, figure; the serving simulation's capacity under a TTFT target too."""
    share = ("--engine-args", "--gpu-memory-utilization 0.5")
    body = json.loads(invoke(*BASE, *share, "--format", "json")[1])
    default = json.loads(invoke(*BASE, "--format", "json")[1])
    assert body["engine_args"] == "--gpu-memory-utilization 0.5"
    assert body["concurrency"] < default["concurrency"] and body["requests_per_s"] < default["requests_per_s"]
    assert body["memory_used_gb"] < 0.5 * body["memory_total_gb"] < default["memory_used_gb"]
    import costcalc

    api = costcalc.estimate_throughput(
        gpu="h100-sxm-80gb",
        model="llama-3.1-8b",
        input_tokens=1000,
        output_tokens=200,
        engine_args="--gpu-memory-utilization 0.5",
    )
    assert (api.requests_per_s, api.concurrency) == (body["requests_per_s"], body["concurrency"])
    case = _one_case(
        tmp_path, "h100-sxm-80gb,1,llama-3.1-8b,,vllm,1000,200,,output_tokens_per_s,,--gpu-memory-utilization 0.5"
    )
    assert float(case["estimate"]) == pytest.approx(body["output_tokens_per_s"], rel=1e-5)
    vllm = {"precision": None, "engine": "vllm", "engine_version": None}
    vllm["hardware"] = {"gpu": "h100-sxm-80gb", "acquisition": "rent", "hourly_usd": 2.0}
    said = "--gpu-memory-utilization 0.5"
    assert _report_capacity(write_yaml, {}, said, (1000, 200), **vllm) == body["requests_per_s"]
    slo = json.loads(invoke(*BASE, *share, "--ttft-p95-ms", "1000", "--format", "json")[1])["serving"]
    assert _report_capacity(write_yaml, {"ttft_p95_ms": 1000}, said, (1000, 200), **vllm) == slo["requests_per_s"]


@pytest.mark.parametrize("columns", [80, 120])
def test_the_flags_read_are_shown_and_a_stated_limit_says_who_waits(columns, monkeypatch):
    """The table says which flags it read and what each sets; a vLLM server started with --max-num-seqs 64 runs 64 of
    100 asked for (before: the flag could not be given, and 100 ran at once) and says the rest wait, naming the
    flag; the title carries the release."""
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = invoke(*BASE, "--engine-args", "--max-num-seqs 64", "--concurrency", "100")
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= columns
    assert "engine arguments read: --max-num-seqs 64 (sequences at once)" in out.splitlines()
    body = json.loads(invoke(*BASE, "--engine-args", "--max-num-seqs 64", "--concurrency", "100", "-f", "json")[1])
    assert (body["concurrency"], body["requests_waiting"], body["band"]["scenario"]) == (64, 36, "offline")
    assert body["waiting_note"] == (
        "36 of the 100 requests in flight wait: vllm started with --max-num-seqs 64 runs at most 64 at once; to run"
        " 100, start it with --max-num-seqs 100 (estimate that with --engine-args '--max-num-seqs 100')"
    )
    titled = " ".join(line.strip() for line in invoke(*LLAMA_SERVER, *NP8)[1].splitlines()[:2])
    assert titled.startswith("estimated: llama-3.1-8b (q4_k_m) on 1x rtx-4090-24gb, llamacpp b7079, 500 in / 200 out")


@pytest.mark.parametrize("columns", [80, 120])
def test_the_engine_arguments_read_sit_under_the_title_one_flag_unbroken_a_line(columns, monkeypatch):
    """The flags read were the table's first row, right-aligned in a value column of ~38 characters at 80 columns:
    '-np 8 (slots: sequences decoded at' / 'once, -1 auto)', and the title (86 characters) ran past 80 columns. Now
    the title and an 'engine arguments read:' line sit above the table, wrapped between their parts: each flag and
    what it sets stay on one line, as far as the width allows; a table value that wraps reads from the left."""
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = invoke(*LLAMA_SERVER, "--engine-args", "-np 8 -c 16384 -kvu", "--concurrency", "12")
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns
    head = lines[: next(i for i, line in enumerate(lines) if line.startswith("┌"))]
    said = [line.strip().rstrip(",") for line in head]
    for flag in (
        "-np 8 (slots: sequences decoded at once, -1 auto)",
        "-c 16384 (context tokens the slots share or split)",
        "-kvu (one KV cache for all slots)",
    ):
        assert any(flag in line for line in said), (flag, head)
    assert "engine arguments read" not in _labels(out)
    waiting = [line.split("│")[2] for line in lines if line.startswith("│") and "wait" in line.split("│")[2]]
    assert waiting and waiting[0].startswith(" 4 of the 12 requests in flight wait"), waiting  # from the left


def test_a_vllm_release_older_than_the_model_is_refused_on_every_surface():
    """qa13: vLLM 0.6.3 read gpt-oss-20b's capacity at V0's 512-token steps, a server that never existed (gpt-oss
    came with vLLM 0.10.1; no release before 0.8.0 can load a model released after it). estimate and the API refuse
    it, naming --engine-version / engine_version, with the fix; a model that release served still estimates."""
    gpt_oss = ["--gpu", "l40s-48gb", "--model", "gpt-oss-20b", "--input-tokens", "1200", "--output-tokens", "250"]
    said = (
        "vllm 0.6.3 cannot serve gpt-oss-20b: vLLM loads its architecture (GptOssForCausalLM) from 0.10.1 on (vLLM"
        " v0.10.1 release notes, #22327); state the release the server runs (0.10.1 or later) or drop the engine version"
    )
    assert invoke(*gpt_oss, "--engine-version", "0.6.3") == (2, "", f"error: --engine-version: {said}")
    assert invoke(*gpt_oss, "--engine-version", "0.10.1")[0] == 0
    assert invoke(*BASE, "--engine-version", "0.6.3")[0] == 0  # llama-3.1-8b (2024-07-23): 0.6.3 served it
    import costcalc

    with pytest.raises(costcalc.InputError) as info:
        costcalc.estimate_throughput(
            gpu="l40s-48gb", model="gpt-oss-20b", input_tokens=1200, output_tokens=250, engine_version="0.6.3"
        )
    assert str(info.value) == f"engine_version=: {said}"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("--engine-args", "-np 8 --mlock"),
            "error: --engine-args: '--mlock' is not a flag the estimator reads for llamacpp; drop it (it reads"
            " -np/--parallel, -c/--ctx-size, -kvu/--kv-unified, --no-kv-unified, -b/--batch-size,"
            " -ngl/--gpu-layers/--n-gpu-layers, -ctk/--cache-type-k, -ctv/--cache-type-v)",
        ),
        (  # llama-3.1-8b has 32 layers and an output layer: -ngl 20 leaves 13 on the CPU
            ("--engine-args", "-np 8 --n-gpu-layers 20"),
            "error: --engine-args: --n-gpu-layers 20 puts 20 of llama-3.1-8b's 33 offloadable layers (32 and the"
            " output layer) on the GPU and the rest on the CPU: partial offload is not modelled (the estimator runs"
            " every layer on the GPU); use --n-gpu-layers 33 or more (or all)",
        ),
        (("--engine-args", "="), "error: --engine-args: '=' names no flag; drop it"),  # qa14: was exit 70, IndexError
        (
            ("--engine-args", "-np 0"),
            "error: --engine-args: -np needs a slot count of at least 1, or -1 for auto, got 0",
        ),
        (
            ("--engine-version", "7079"),
            "error: --engine-version: write the llamacpp release as a build tag such as b7079 (the tag of the release"
            " it was built from) (got '7079')",
        ),
    ],
)
def test_a_bad_engine_argument_or_release_is_one_line_naming_the_flag(args, said, tmp_path):
    out_file = tmp_path / "e.json"
    code, out, err = invoke(*LLAMA_SERVER, *args, "-o", str(out_file))
    assert (code, out, err) == (2, "", said)
    assert not out_file.exists()


def test_a_request_longer_than_the_server_takes_is_refused_by_its_flag():
    """--max-model-len and llama-server's -c are limits of the server as started: a request beyond them does not fit,
    and the reason names the flag to raise."""
    code, _, err = invoke(*BASE, "--engine-args", "--max-model-len 1024")
    assert code == 2 and err.endswith(
        "requests of 1,200 tokens (prompt + output) exceed --max-model-len 1,024; raise it"
    )
    code, _, err = invoke(*LLAMA_SERVER, "--engine-args", "-np 8 -c 4096")
    assert code == 2 and err.endswith(
        "do not fit llama-server's 512-token slot context (4,096 tokens of context split between 8 slots); raise"
        " -c/--ctx-size"
    )


def test_a_pasted_tensor_parallel_size_is_read_where_it_agrees_with_gpus():
    """The lead (21:27): `--engine-args '-tp 2 --max-num-seqs 64'` (a real vLLM command's flags) was refused for -tp;
    now it is read where it agrees with --gpus and said under the title, refused naming both numbers where not."""
    args = [*BASE, "--gpus", "2", "--engine-args", "-tp 2 --max-num-seqs 64", "--concurrency", "100"]
    code, out, err = invoke(*args)
    assert code == 0, err
    assert "engine arguments read: -tp 2 (GPUs the model is split over, the replica's)," in out.splitlines()
    agreed = json.loads(invoke(*args, "-f", "json")[1])
    plain = json.loads(
        invoke(*BASE, "--gpus", "2", "--engine-args", "--max-num-seqs 64", "--concurrency", "100", "-f", "json")[1]
    )
    assert (agreed["output_tokens_per_s"], agreed["concurrency"]) == (plain["output_tokens_per_s"], 64)
    code, out, err = invoke(*BASE, "--engine-args", "--tensor-parallel-size 8")
    assert (code, out) == (2, "") and err == (
        "error: --engine-args: --tensor-parallel-size 8 splits the model over 8 GPUs but the replica has 1 (--gpus, or"
        " the option's hardware.gpus_per_replica); make them agree, or drop --tensor-parallel-size"
    )


def test_a_stated_layout_is_the_one_estimated_and_one_it_cannot_run_exits_2() -> None:
    """layout23b: `--gpus 8 --engine-args '-tp 8'` on H200s printed 'engine arguments read: -tp 8' and costed pipeline
    parallel (24,501 output tokens/s) at full load; -pp was refused as unread. Each is now the layout estimated, the
    table saying it is the stated one; sizes that cannot run on the GPUs exit 2 with one line and the fix."""
    h200 = ["--gpu", "h200-sxm-141gb", "--gpus", "8", *BASE[2:]]
    for stated, layout in (("-tp 8", "tp"), ("-pp 8", "pp")):
        code, out, err = invoke(*h200, "--engine-args", stated, "-f", "json")
        assert code == 0, err
        said = json.loads(out)
        assert said["parallelism"] == layout and said["layout_chosen"].endswith(
            f"as the engine arguments state ({stated})"
        )
    code, out, err = invoke(*h200, "--engine-args", "-tp 4 -pp 2")
    assert (code, out) == (2, "") and err == (
        "error: --engine-args: -tp 4 -pp 2 mixes tensor and pipeline parallel (4 x 2 GPUs), which the estimator does"
        " not model; state the tensor-parallel size 8 alone (tensor parallel over all 8) or the pipeline-parallel size"
        " 8 alone"
    )


def test_a_one_token_answer_has_no_time_per_output_token_in_the_table() -> None:
    """qa15 relay 6: with one output token the table read 'TPOT ms (mean) 16,267.59', 'output tokens/s per user 0.1'
    and the simulated 'TPOT ms p50 / p95 / p99 0.0 / 0.0 / 0.0', where the SLO row says there is no time per output
    token; those rows now say so. Two tokens keep their figures."""
    one = ["--gpu", "h100-sxm-80gb", "--model", "llama-3.1-8b", "--input-tokens", "1000", "--ttft-p95-ms", "1500"]
    code, out, _ = invoke(*one, "--output-tokens", "1", "--min-output-tokens-per-s-per-user", "20")
    assert code == 0
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in out.splitlines() if line.count("│") == 3}
    assert rows["TPOT ms (mean)"] == rows["output tokens/s per user"] == "none: one-token answers"
    assert rows["TPOT ms p50 / p95 / p99 (simulated)"] == "none: one-token answers"
    code, out, _ = invoke(*one, "--output-tokens", "2")
    assert code == 0 and "none: one-token answers" not in out


def test_a_one_token_answers_json_has_no_time_per_output_token() -> None:
    """polish15's leftover: the table says "none: one-token answers" while `-f json` kept tpot_ms 16,267.6 (the whole
    request's time at full load), output_tokens_per_s_per_user 0.06 and a simulated TPOT of 0.0 at every percentile;
    they are null, the JSON's word for a figure that does not apply (the report's tpot_p95_ms likewise)."""
    one = ["--gpu", "h100-sxm-80gb", "--model", "llama-3.1-8b", "--input-tokens", "1000", "--ttft-p95-ms", "1500"]
    code, out, err = invoke(*one, "--output-tokens", "1", "--min-output-tokens-per-s-per-user", "20", "-f", "json")
    assert code == 0, err
    body = json.loads(out)
    assert body["tpot_ms"] is None and body["output_tokens_per_s_per_user"] is None
    assert body["serving"]["tpot_ms"] is None and body["serving"]["ttft_ms"]["p95"] > 0
    assert body["ttft_ms"] > 0 and body["requests_per_s"] > 0  # the figures a one-token answer has are kept
    code, out, err = invoke(*one, "--output-tokens", "2", "-f", "json")
    assert code == 0, err
    two = json.loads(out)
    assert two["tpot_ms"] > 0 and two["output_tokens_per_s_per_user"] > 0 and two["serving"]["tpot_ms"]["p95"] > 0


def test_under_an_slo_every_figure_is_at_the_layout_the_capacity_was_chosen_at() -> None:
    """qa15: 4 RTX 4090s took pipeline parallel, the layout serving more at full load, and under a TTFT target served
    0.0297 requests/s against 2 GPUs' 0.13. The layout is now the one serving the most within the targets, and the
    table's full-load rows are that layout's."""
    from costcalc.catalog import get_gpu, get_model
    from costcalc.throughput.serving.capacity import Targets
    from costcalc.throughput.serving.estimated import estimated_capacity

    pcie = ["--gpu", "rtx-4090-24gb", "--model", "qwen3-32b", "--precision", "fp8", "--input-tokens", "8000"]
    slo = ["--output-tokens", "1", "--ttft-p95-ms", "5000", "-f", "json"]
    bodies = {}
    for gpus in (2, 4):
        code, out, err = invoke(*pcie, *slo, "--gpus", str(gpus))
        assert code == 0, err
        bodies[gpus] = json.loads(out)
    assert bodies[4]["serving"]["requests_per_s"] >= bodies[2]["serving"]["requests_per_s"]
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
    full = cap.full_load
    shown = {k: bodies[4][k] for k in ("parallelism", "requests_per_s", "ttft_ms", "concurrency")}
    assert shown == {
        "parallelism": full.parallelism,
        "requests_per_s": full.requests_per_s,
        "ttft_ms": full.ttft_ms,
        "concurrency": full.concurrency,
    }


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            CASES.replace(",", ";"),
            "the columns are separated by semicolons; costcalc reads comma-separated CSV: save it as 'CSV (comma"
            " delimited)' or replace the separators with commas",
        ),
        (CASES.replace(",", "\t"), "the columns are separated by tabs; costcalc reads comma-separated CSV"),
        ("", "empty file; the first line must be the column names"),
        ("\n\n", "empty file; the first line must be the column names"),
    ],
)
def test_a_cases_csv_a_spreadsheet_saved_its_own_way_says_so(tmp_path, text: str, says: str) -> None:
    """qa18: a cases CSV saved by a spreadsheet in a language with decimal commas (semicolons), or as tab-separated,
    or empty, said 'missing column(s) gpu, gpu_count, model, ...' (every one), as if the header were wrong; pricing
    validate already said what was."""
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    code, out, err = invoke("--cases", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}:1: {says}") and "\n" not in err, err
