"""prefill_active_params_b: a model whose prompt tokens run only part of the stack a generated token runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from costcalc.catalog import get_model, read_catalog
from costcalc.catalog.specs import ModelSpec
from costcalc.errors import CatalogError
from costcalc.throughput.memory import split_params

HEADER = (
    "id,name,hf_repo,total_params_b,active_params_b,prefill_active_params_b,layers,hidden_size,attention_heads,"
    "kv_heads,head_dim,vocab_size,max_context_tokens,native_precision,source,as_of\n"
)


def _read(tmp_path: Path, prefill: str) -> ModelSpec:
    path = tmp_path / "models.csv"
    row = f"p-1,P One,x/p,8,8,{prefill},32,4096,32,8,128,32000,8192,bf16,https://e.com,2025-01-01\n"
    path.write_text(HEADER + row, encoding="utf-8")
    (model,) = read_catalog(path, ModelSpec)
    return model


def test_an_empty_cell_means_prefill_runs_what_decode_runs(tmp_path: Path) -> None:
    model = _read(tmp_path, "")
    assert model.prefill_active_params_b is None
    assert model.prefill_share == 1.0


def test_a_prompt_token_running_half_the_parameters_has_a_half_share(tmp_path: Path) -> None:
    assert _read(tmp_path, "4").prefill_share == pytest.approx(0.5)


@pytest.mark.parametrize("bad", ["9", "0", "-1"])
def test_the_reader_rejects_a_prefill_count_above_decode_or_not_positive(tmp_path: Path, bad: str) -> None:
    with pytest.raises(CatalogError, match="prefill_active_params_b"):
        _read(tmp_path, bad)


def test_every_other_shipped_model_runs_the_same_parameters_in_both_phases() -> None:
    from costcalc.catalog import list_models

    per_phase = {m.id for m in list_models() if m.prefill_active_params_b is not None}
    assert per_phase == {"deepseek-v4.1-flash"}


def test_deepseek_v4_1_flash_activates_8b_per_prompt_token_and_16b_per_generated_token() -> None:
    model = get_model("deepseek-v4.1-flash")
    assert (model.active_params_b, model.prefill_active_params_b) == (16, 8)
    assert model.prefill_share == pytest.approx(0.5)
    # the card's 552B backbone (the 196B Engram tables stay out) split by the estimator gives one routed
    # expert the config's shape: 40 layers x 3 matrices x hidden 5120 x moe_intermediate_size 2304
    expert_b = split_params(model).expert_b
    assert expert_b == pytest.approx(40 * 3 * 5120 * 2304 / 1e9, rel=0.01)
    # the card's global KV cache: 890 bytes a token (FP4 main KV, CSA2 shared across layers)
    assert model.compressed_kv_bytes_per_token == 890
