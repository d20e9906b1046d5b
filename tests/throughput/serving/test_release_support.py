"""Which vLLM release can serve a model: the first release that loads its architecture where that is known, else the
release dates (a V0 release and a model that came out after 0.8.0)."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_model
from costcalc.throughput.calibration import CALIBRATION_CSV, read_cases
from costcalc.throughput.serving.release_support import MODEL_ARCHITECTURE, VLLM_FIRST_RELEASE, unserved
from costcalc.throughput.unmodelled import UNMODELLED_CSV


@pytest.mark.parametrize(
    ("model", "version", "refused"),
    [
        # Gemma 3 came out on 2025-03-12, six days before 0.8.0, and no earlier release loads it: the dates let 0.7.3
        # through (session 14's known gap); its architecture's first release refuses it
        ("gemma-3-27b", "0.7.3", "vLLM loads its architecture (Gemma3ForConditionalGeneration) from 0.8.0 on"),
        ("gemma-3-27b", "0.8.0", None),
        # Kimi K2 (2025-07-11) is DeepSeek-V3's architecture, loaded since 0.6.6: the dates refused every V0 release
        ("kimi-k2", "0.7.3", None),
        ("kimi-k2", "0.6.3", "vLLM loads its architecture (DeepseekV3ForCausalLM) from 0.6.6 on"),
        # gpt-oss came with 0.10.1: a V1 release before it never served it either
        ("gpt-oss-20b", "0.10.0", "vLLM loads its architecture (GptOssForCausalLM) from 0.10.1 on"),
        ("gpt-oss-20b", "0.10.1", None),
        # no architecture read: the dates decide, as before
        ("qwen3-8b", "0.7.3", "the model came out on 2025-04-29, after every vLLM release before 0.8.0"),
        ("llama-3.1-8b", "0.6.3", None),
    ],
)
def test_a_vllm_release_serves_a_model_from_its_architectures_first_release(
    model: str, version: str, refused: str | None
) -> None:
    why = unserved("vllm", version, get_model(model))
    if refused is None:
        assert why is None
    else:
        assert why is not None and why.startswith(f"vllm {version} cannot serve {model}: {refused}"), why


def test_other_engines_and_unstated_releases_are_not_checked() -> None:
    assert unserved("sglang", "0.4.0", get_model("gemma-3-27b")) is None
    assert unserved("vllm", None, get_model("gpt-oss-20b")) is None


def test_every_mapped_model_is_in_the_catalog_with_a_sourced_architecture() -> None:
    for model, architecture in MODEL_ARCHITECTURE.items():
        assert get_model(model).id == model
        assert VLLM_FIRST_RELEASE[architecture].source


def test_no_calibration_row_ran_a_release_that_cannot_serve_its_model() -> None:
    rows = [
        r
        for path in (CALIBRATION_CSV, UNMODELLED_CSV)
        for r in read_cases(path)[1]
        if r["engine"] == "vllm" and r["engine_version"]
    ]
    assert rows
    assert [r["case_id"] for r in rows if unserved("vllm", r["engine_version"], get_model(r["model"]))] == []
