"""The JSON report names the catalog rows behind a self-hosted option's power and estimate (analysis/spec_refs.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import costcalc
from costcalc.catalog import get_gpu, get_model

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)


def test_every_self_hosted_option_names_its_gpu_and_model_rows_as_prices_name_theirs() -> None:
    # options[].prices traced every price row with source and as_of, but the GPU catalog row behind an owned option's
    # watts (energy $468 a month in internal-assistant) and every estimate, and the model row behind the estimate,
    # were only in the assumptions' prose: a program reading the JSON could not trace them
    doc = json.loads(
        json.dumps(costcalc.analyze(str(ROOT / "examples/internal-assistant.yaml"), today=TODAY).to_dict())
    )
    for option in doc["options"]:
        if option["kind"] != "self_hosted":
            assert "specs" not in option, option["name"]
            continue
        gpu, model = get_gpu(option["gpu"]), get_model(option["model"])
        assert option["throughput"]["basis"] == "estimated"
        assert option["specs"] == [
            {"catalog": "gpus", "id": gpu.id, "source": gpu.source, "as_of": gpu.as_of.isoformat()},
            {"catalog": "models", "id": model.id, "source": model.source, "as_of": model.as_of.isoformat()},
        ], option["name"]
        said = f"gpu {gpu.id} (the GPU catalog's memory, bandwidth, TFLOPS and power): as of {gpu.as_of.isoformat()}"
        assert any(a.startswith(said) for a in doc["assumptions"])  # the same row the prose cites


def test_a_measured_option_names_its_gpu_only_and_a_custom_gpu_names_none() -> None:
    def option(throughput: dict, hardware: dict) -> dict:
        return {"name": "Own", "kind": "self_hosted", "model": "llama-3.1-8b", "throughput": throughput,
                "hardware": {"acquisition": "rent", "hourly_usd": 2.0, **hardware}}  # fmt: skip

    point = {"input_tokens": 1000, "output_tokens": 200, "concurrency": 16, "requests_per_s": 5.0}
    custom = {
        "name": "my-card",
        "memory_gb": 80,
        "memory_bandwidth_gb_s": 3000,
        "bf16_tflops": 900,
        "like": "h100-sxm-80gb",
    }
    for hardware, want in (({"gpu": "h100-sxm-80gb"}, ["gpus"]), ({"custom_gpu": custom}, [])):
        data = {
            "version": 1,
            "workload": {"requests_per_day": 10_000, "input_tokens": 1000, "output_tokens": 200},
            "options": [option({"points": [point]}, hardware)],
        }
        specs = costcalc.analyze(data, today=TODAY).option("Own").specs
        assert [s.catalog for s in specs] == want, (hardware, specs)
