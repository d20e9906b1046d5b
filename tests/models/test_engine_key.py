"""An engine is read as written, case and surrounding spaces aside, the same in a scenario, `estimate` and recommend."""

from __future__ import annotations

import pytest

from costcalc.errors import InputError
from costcalc.models.options import SelfHostedOption
from costcalc.throughput.estimate import check_engine


@pytest.mark.parametrize("written", ["TRTLLM", " trtllm ", "TrtLlm"])
def test_a_scenario_engine_is_read_as_estimate_reads_it(written: str) -> None:
    # `engine: TRTLLM` was refused ("Input should be 'vllm', ... (got 'TRTLLM')") where `estimate --engine TRTLLM` and
    # `precision: FP8` were taken
    option = SelfHostedOption.model_validate(
        {"name": "x", "kind": "self_hosted", "model": "qwen3-32b", "engine": written, "hardware": "hw.yaml"}
    )
    assert option.engine == check_engine(written) == "trtllm"


def test_a_release_is_checked_against_the_engine_as_read() -> None:
    # the release check reads the normalised engine: a llama.cpp build as a bare number is refused for LLAMACPP too
    with pytest.raises(InputError, match="write the llamacpp release as a build tag such as b7079"):
        SelfHostedOption.model_validate(
            {
                "name": "x",
                "kind": "self_hosted",
                "model": "qwen3-8b",
                "engine": "LLAMACPP",
                "engine_version": 7079,
                "hardware": "hw.yaml",
            }
        )
