"""The calibration rows whose notes give SGLang's data-parallel attention flags state them in engine_args."""

from __future__ import annotations

import csv

from costcalc.throughput.calibration import CALIBRATION_CSV
from costcalc.throughput.serving.server_args import parse_server_args


def _ranks(text: str, version: str | None) -> int:
    return parse_server_args("sglang", text).attention_ranks(8, version)


def test_calibration_rows_state_the_flags_their_notes_give():
    with open(CALIBRATION_CSV, newline="") as fh:
        rows = {r["case_id"]: r for r in csv.DictReader(fh)}
    for case in ("tp-292", "tp-293", "tp-294", "tp-295", "tp-296"):
        assert "--enable-dp-attention --dp 8" in rows[case]["notes"]
        assert _ranks(rows[case]["engine_args"], rows[case]["engine_version"]) == 8
    # notes with --enable-dp-attention but no --dp: SGLang ran tensor-parallel attention
    for case in ("tp-271", "tp-277", "tp-278", "tp-279", "tp-280"):
        assert "--enable-dp-attention" in rows[case]["engine_args"]
        assert _ranks(rows[case]["engine_args"], rows[case]["engine_version"]) == 1


def test_the_tensorrt_llm_perf_overview_rows_state_the_options_its_llm_options_give():
    """perf-overview.md @03e27c7d: GPT-OSS and DeepSeek R1 run with enable_attention_dp: true (one rank per GPU of a
    DEP column); DeepSeek R1 with an fp8 KV cache, GPT-OSS with fp8 on Blackwell only ('# Hopper: use auto')."""
    with open(CALIBRATION_CSV, newline="") as fh:
        rows = {r["case_id"]: r for r in csv.DictReader(fh)}
    overview = {k: r for k, r in rows.items() if "03e27c7d5ff0c6e89f8328838c0a8e64f1b34f9d" in r["source_url"]}
    assert {"tp-037", "tp-039", "tp-044"} <= set(overview)
    for case in ("tp-037", "tp-044"):  # H100 DEP4 gpt-oss-120b, H200 DEP8 DeepSeek R1
        args = parse_server_args("trtllm", overview[case]["engine_args"])
        assert args.attention_ranks(int(overview[case]["gpu_count"]), None) == int(overview[case]["gpu_count"])
    for case, row in overview.items():
        stated = parse_server_args("trtllm", row["engine_args"]).kv_cache_dtype
        blackwell_gpt_oss = row["model"].startswith("gpt-oss") and row["gpu"].startswith("b200")
        assert stated == ("fp8" if blackwell_gpt_oss or row["model"] == "deepseek-r1" else None), case
