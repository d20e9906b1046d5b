"""compressed_kv_bytes_per_token: DeepSeek V4's compressed rows grow with the context, its window does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from costcalc.catalog import get_model, read_catalog
from costcalc.catalog.specs import ModelSpec
from costcalc.errors import CatalogError
from costcalc.throughput.memory import FP16_BYTES, kv_cache_gb
from costcalc.units import BYTES_PER_GB

# SGLang's DSV4 cache format: a compressed row is 448 fp8 + 64 bf16 rope values + 8 scale bytes, an
# indexer key 128 fp8 values + one 4-byte scale; CSA layers (ratio 4) keep both, HCA layers (ratio 128) rows only
ROW_BYTES = 448 + 64 * 2 + 8
INDEXER_BYTES = 128 + 4


def _per_token(csa_layers: int, hca_layers: int) -> float:
    return csa_layers * (ROW_BYTES + INDEXER_BYTES) / 4 + hca_layers * ROW_BYTES / 128


@pytest.mark.parametrize(("model_id", "csa", "hca"), [("deepseek-v4-flash", 21, 20), ("deepseek-v4-pro", 30, 31)])
def test_shipped_value_is_the_engine_format_over_the_configs_layer_ratios(model_id: str, csa: int, hca: int) -> None:
    model = get_model(model_id)
    assert csa + hca + (model.layers - csa - hca) == model.layers
    assert model.compressed_kv_bytes_per_token == pytest.approx(_per_token(csa, hca))


def test_deepseek_v4_cache_grows_by_the_compressed_rows_past_its_window() -> None:
    model = get_model("deepseek-v4-flash")
    window = model.sliding_window_tokens
    assert window == 128 and model.sliding_window_layers == model.layers
    # past the window only the compressed rows grow: 3850.25 B a token, not 43 layers x 512 values x 2 B
    grown = kv_cache_gb(model, 65_536 + 1000, FP16_BYTES) - kv_cache_gb(model, 65_536, FP16_BYTES)
    assert grown * BYTES_PER_GB == pytest.approx(1000 * _per_token(21, 20))
    # the window: every layer keeps 128 tokens of the 512-wide latent (448 + 64) at 2 bytes
    at_window = kv_cache_gb(model, window, FP16_BYTES) * BYTES_PER_GB
    assert at_window == pytest.approx(43 * window * 512 * 2 + window * _per_token(21, 20))


def test_a_model_without_the_column_is_unchanged() -> None:
    model = get_model("deepseek-v3")
    assert model.compressed_kv_bytes_per_token is None
    assert kv_cache_gb(model, 1000, FP16_BYTES) * BYTES_PER_GB == pytest.approx(61 * 1000 * 576 * 2)


def test_the_reader_rejects_a_negative_value_naming_the_column(tmp_path: Path) -> None:
    header = (
        "id,name,hf_repo,total_params_b,active_params_b,layers,hidden_size,attention_heads,kv_heads,head_dim,"
        "vocab_size,max_context_tokens,native_precision,compressed_kv_bytes_per_token,source,as_of\n"
    )
    row = "c-1,C One,x/c,8,8,32,4096,32,8,128,32000,8192,bf16,-5,https://e.com,2025-01-01\n"
    path = tmp_path / "models.csv"
    path.write_text(header + row, encoding="utf-8")
    with pytest.raises(CatalogError, match="compressed_kv_bytes_per_token"):
        read_catalog(path, ModelSpec)
