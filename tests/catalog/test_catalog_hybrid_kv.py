"""kv_cache_layers: hybrid models cache keys and values only in their attention layers."""

from __future__ import annotations

from pathlib import Path

import pytest

from costcalc.catalog import ModelSpec, get_model, read_catalog
from costcalc.errors import CatalogError
from costcalc.throughput.memory import FP16_BYTES, kv_cache_gb
from costcalc.units import BYTES_PER_GB, BYTES_PER_MB

HEADER = (
    "id,name,hf_repo,total_params_b,active_params_b,layers,hidden_size,attention_heads,"
    "kv_heads,head_dim,vocab_size,max_context_tokens,native_precision,kv_cache_layers,"
    "source,as_of\n"
)


def _row(kv_cache_layers: str) -> str:
    arch = "8,8,32,4096,32,8,128,32000,8192,bf16"
    return f"h-1,H One,x/h,{arch},{kv_cache_layers},https://e.com,2025-01-01\n"


def test_nemotron_nano_kv_bytes_per_token_counts_only_its_attention_layers() -> None:
    model = get_model("nemotron-3-nano-30b-a3b")
    # 6 attention layers x 2 (key, value) x 2 kv_heads x 128 head_dim x 2 bytes (fp16) = 6144 B;
    # counting all 52 layers would give 53248 B. The fixed Mamba state cancels in the difference.
    by_hand_bytes = 6 * 2 * 2 * 128 * 2
    per_token_gb = kv_cache_gb(model, 1001, FP16_BYTES) - kv_cache_gb(model, 1000, FP16_BYTES)
    assert per_token_gb * BYTES_PER_GB == pytest.approx(by_hand_bytes)


def test_nemotron_nano_holds_its_mamba_state_once_per_request() -> None:
    model = get_model("nemotron-3-nano-30b-a3b")
    # 23 Mamba-2 layers x (ssm 64 heads x 64 head_dim x 128 state x 4 B float32 = 2,097,152 B
    # + conv (4 - 1) x (64 x 64 + 2 x 8 groups x 128) x 2 B = 36,864 B) = 49,082,368 B ~ 49.08 MB
    by_hand_state_bytes = 23 * (64 * 64 * 128 * 4 + 3 * (64 * 64 + 2 * 8 * 128) * 2)
    assert model.recurrent_state_mb is not None
    assert model.recurrent_state_mb * BYTES_PER_MB == pytest.approx(by_hand_state_bytes, rel=1e-3)
    assert kv_cache_gb(model, 0, FP16_BYTES) * BYTES_PER_GB == pytest.approx(model.recurrent_state_mb * BYTES_PER_MB)


def test_qwen3_next_kv_grows_with_its_12_full_attention_layers() -> None:
    model = get_model("qwen3-next-80b-a3b")
    # 12 full-attention layers x 2 x 2 kv_heads x 256 head_dim x 2 bytes = 24576 B per token, plus the
    # fixed Gated DeltaNet state of the other 36 layers: 36 x (32 x 128 x 128 + 3 x 8192) x 2 B = 39,518,208 B
    per_token_bytes = 12 * 2 * 2 * 256 * 2
    state_bytes = 36 * (32 * 128 * 128 + 3 * 8192) * 2
    assert model.recurrent_state_mb == pytest.approx(state_bytes / 1e6, abs=0.005)
    grown = kv_cache_gb(model, 2000, FP16_BYTES) - kv_cache_gb(model, 1000, FP16_BYTES)
    assert grown * BYTES_PER_GB == pytest.approx(1000 * per_token_bytes)
    assert kv_cache_gb(model, 1000, FP16_BYTES) * BYTES_PER_GB == pytest.approx(1000 * per_token_bytes + 39.52e6)


def test_dense_model_without_the_field_caches_every_layer() -> None:
    model = get_model("llama-3.1-8b")
    assert model.kv_cache_layers is None
    assert model.attention_layers == model.layers
    # 32 layers x 2 x 8 kv_heads x 128 x 2 bytes = 131072 B per token
    assert kv_cache_gb(model, 1, FP16_BYTES) * BYTES_PER_GB == pytest.approx(32 * 2 * 8 * 128 * 2)


def test_reader_parses_kv_cache_layers(tmp_path: Path) -> None:
    path = tmp_path / "models.csv"
    path.write_text(HEADER + _row("8"), encoding="utf-8")
    (model,) = read_catalog(path, ModelSpec)
    assert model.kv_cache_layers == 8
    assert model.attention_layers == 8


def test_kv_cache_layers_above_layers_names_the_column(tmp_path: Path) -> None:
    path = tmp_path / "models.csv"
    path.write_text(HEADER + _row("33"), encoding="utf-8")
    with pytest.raises(CatalogError, match=r":2: column 14 \(kv_cache_layers\).*exceeds layers 32"):
        read_catalog(path, ModelSpec)
