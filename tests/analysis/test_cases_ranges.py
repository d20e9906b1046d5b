"""`estimate --cases` gives each row the actual range `estimate` gives the same configuration (bands.range_for, one
path): in the CSV as low/high factors and their source, in the JSON as the single estimate's `actual_range`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from costcalc.cli import app

CASES = """id,gpu,gpu_count,model,precision,engine,input_tokens,output_tokens,concurrency,metric
a,h100-sxm-80gb,1,llama-3.1-8b,fp16,vllm,512,128,16,output_tokens_per_s
b,no-such-gpu,1,llama-3.1-8b,fp16,vllm,512,128,16,output_tokens_per_s
c,h200-sxm-141gb,8,deepseek-r1,fp8,vllm,1000,1000,,output_tokens_per_s
d,h100-sxm-80gb,1,llama-3.1-8b,fp16,sglang,512,128,1,tpot_ms
"""


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, ["estimate", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _single(row: dict[str, str]) -> dict[str, object]:
    """The `actual_range` of `costcalc estimate` with the row's flags."""
    flags = ["--gpu", row["gpu"], "--gpus", row["gpu_count"], "--model", row["model"], "--precision", row["precision"]]
    flags += ["--engine", row["engine"], "--input-tokens", row["input_tokens"], "--output-tokens", row["output_tokens"]]
    flags += ["--concurrency", row["concurrency"]] if row["concurrency"] else []
    found: dict[str, object] = json.loads(_run(*flags, "--format", "json"))["actual_range"]
    return found


def test_each_case_carries_the_range_estimate_gives_its_configuration(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(CASES, encoding="utf-8")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(_run("--cases", str(path))))}
    items = {i["id"]: i for i in json.loads(_run("--cases", str(path), "--format", "json"))["cases"]}
    for name in ("a", "c", "d"):
        want = _single(rows[name])
        assert items[name]["actual_range"] == want, name
        got = rows[name]
        assert (float(got["actual_over_estimate_low"]), float(got["actual_over_estimate_high"])) == (
            want["low"],
            want["high"],
        )
        assert got["actual_range_source"] == want["source"]
    # deepseek-r1's range reaches past the band to its published runs; the 8B model's is the band's
    assert rows["c"]["actual_range_source"] == "published_runs" and rows["a"]["actual_range_source"] == "held_out_band"
    assert (
        rows["a"]["actual_over_estimate_high"] != rows["d"]["actual_over_estimate_high"]
    )  # vllm server vs sglang single band
    # a row with no estimate has no range
    assert (
        rows["b"]["estimate"] == ""
        and rows["b"]["actual_over_estimate_low"] == ""
        and rows["b"]["actual_range_source"] == ""
    )
    assert items["b"]["actual_range"] is None


SERVED = """id,gpu,gpu_count,model,precision,engine,input_tokens,output_tokens,concurrency,metric,protocol,engine_args
slots,rtx-4090-24gb,1,llama-3.1-8b,q4_k_m,llamacpp,500,200,8,output_tokens_per_s,closed_loop,
np8,rtx-4090-24gb,1,llama-3.1-8b,q4_k_m,llamacpp,500,200,8,output_tokens_per_s,closed_loop,-np 8
np8_at4,rtx-4090-24gb,1,llama-3.1-8b,q4_k_m,llamacpp,500,200,4,output_tokens_per_s,closed_loop,-np 8
batched,rtx-4090-24gb,1,llama-3.1-8b,q4_k_m,llamacpp,500,200,8,output_tokens_per_s,,
"""


def test_a_served_row_is_classed_by_the_server_it_reaches(tmp_path: Path) -> None:
    """A closed-loop row of llama-server is classed as `estimate` classes the same server: 8 clients on the 4 unasked
    slots, or on -np 8, are its full load (the simulation runs 4, or 8); 4 on -np 8 a fixed load. Before, a served
    row was classed as if all its clients decoded at once and -np was not read ('server', 'server', 'offline'); an
    in-process row (llama-batched-bench -npl 8) still runs its 8 at once ('server')."""
    path = tmp_path / "cases.csv"
    path.write_text(SERVED, encoding="utf-8")
    items = {i["id"]: i for i in json.loads(_run("--cases", str(path), "--format", "json"))["cases"]}
    llama = ["--gpu", "rtx-4090-24gb", "--model", "llama-3.1-8b", "--precision", "q4_k_m", "--engine", "llamacpp"]
    llama += ["--input-tokens", "500", "--output-tokens", "200", "--format", "json"]
    for name, flags in (
        ("slots", ["--concurrency", "8"]),
        ("np8", ["--concurrency", "8", "--engine-args", "-np 8"]),
        ("np8_at4", ["--concurrency", "4", "--engine-args", "-np 8"]),
    ):
        single = json.loads(_run(*llama, *flags))["band"]
        assert items[name]["band"]["scenario"] == single["scenario"], name
    assert [items[n]["band"]["scenario"] for n in ("slots", "np8", "np8_at4", "batched")] == [
        "offline",
        "offline",
        "server",
        "server",
    ]
