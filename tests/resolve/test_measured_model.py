"""A benchmark file of another catalog model than the option's is said in the report's warnings."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import costcalc
from costcalc.catalog import get_model
from costcalc.resolve.measured_model import catalog_model

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "throughput"
TODAY = dt.date(2026, 11, 26)


def _scenario_measuring(write_yaml: Callable[..., Path], model_id: str) -> Path:
    """A llama-3.1-8b option sized by vllm_new.json with its model_id changed to `model_id`."""
    path = write_yaml(
        {
            "version": 1,
            "workload": {"requests_per_day": 100_000, "input_tokens": 1000, "output_tokens": 200, "slo": {}},
            "options": [
                {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 2}},
                {
                    "name": "Rented H100",
                    "kind": "self_hosted",
                    "model": "llama-3.1-8b",
                    "hardware": {"gpu": "h100-sxm-80gb", "acquisition": "rent", "hourly_usd": 2.0},
                    "throughput": {"measured": "bench.json"},
                },
            ],
        }
    )
    run = json.loads((FIXTURES / "vllm_new.json").read_text(encoding="utf-8"))
    run["model_id"] = model_id
    (path.parent / "bench.json").write_text(json.dumps(run), encoding="utf-8")
    return path


def test_a_run_of_another_catalog_model_is_a_warning_naming_both(write_yaml: Callable[..., Path]) -> None:
    # the option serves Llama 3.1 8B; the file is a run of Llama 3.3 70B: its capacity sized the option, silently
    path = _scenario_measuring(write_yaml, "meta-llama/Llama-3.3-70B-Instruct")
    result = costcalc.analyze(str(path), today=TODAY)
    said = [w for w in result.warnings if "another model's" in w]
    assert len(said) == 1, result.warnings
    assert said[0].startswith("Rented H100: ") and "bench.json measured meta-llama/Llama-3.3-70B-Instruct" in said[0]
    assert "(llama-3.3-70b), not the option's llama-3.1-8b" in said[0]


@pytest.mark.parametrize(
    "model_id",
    ["meta-llama/Llama-3.1-8B-Instruct", "/models/Llama-3.1-8B-Instruct", "example-org/example-8b", "default"],
)
def test_a_run_of_the_options_model_or_of_a_name_the_catalog_lacks_is_not(
    write_yaml: Callable[..., Path], model_id: str
) -> None:
    result = costcalc.analyze(str(_scenario_measuring(write_yaml, model_id)), today=TODAY)
    assert not [w for w in result.warnings if "another model's" in w], result.warnings


def test_a_local_folder_named_like_the_repo_is_that_model() -> None:
    assert catalog_model("/data/models/Qwen3-8B/") == get_model("qwen3-8b")
    assert catalog_model(r"C:\models\gpt-oss-20b") == get_model("gpt-oss-20b")
    assert catalog_model("my-finetune") is None
