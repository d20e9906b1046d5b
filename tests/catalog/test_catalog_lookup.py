"""Lookups of the shipped GPU and model catalogs: required ids, aliases, unknown-id errors."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_gpu, get_model, list_gpus, list_models
from costcalc.errors import CatalogError

REQUIRED_GPU_IDS = (
    "h100-sxm-80gb", "h100-nvl-94gb", "h100-pcie-80gb", "h200-sxm-141gb", "b200-sxm-180gb",
    "a100-sxm-80gb", "a100-sxm-40gb", "a100-pcie-80gb", "l40s-48gb", "l4-24gb", "a10g-24gb",
    "rtx-3060-12gb", "rtx-3090-24gb", "rtx-4090-24gb", "rtx-5090-32gb", "rtx-pro-6000-96gb",
    "mi300x-192gb", "mi325x-256gb", "mi355x-288gb", "b300-sxm-268gb", "gb200-186gb", "gb300-288gb",
    "apple-m1-ultra", "apple-m2-ultra", "apple-m3-ultra",
    "apple-m3-max", "apple-m4-max", "dgx-spark-gb10",
)  # fmt: skip
REQUIRED_MODEL_IDS = (
    "deepseek-r1", "deepseek-r1-distill-qwen-14b", "gpt-oss-20b", "gpt-oss-120b", "llama-2-7b",
    "llama-2-70b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "llama-3.2-3b",
    "llama-3.3-70b", "llama-4-scout-17b-16e", "llama-4-maverick-17b-128e", "mixtral-8x7b",
    "nemotron-3-nano-30b-a3b", "nemotron-super-49b", "qwen2.5-7b", "qwen2.5-coder-7b", "qwen3-8b",
    "qwen3-32b", "qwen3-30b-a3b", "qwen3-235b-a22b", "qwq-32b",
)  # fmt: skip


@pytest.mark.parametrize("gpu_id", REQUIRED_GPU_IDS)
def test_every_required_gpu_is_shipped(gpu_id: str) -> None:
    assert get_gpu(gpu_id).id == gpu_id


@pytest.mark.parametrize("model_id", REQUIRED_MODEL_IDS)
def test_every_required_model_is_shipped(model_id: str) -> None:
    assert get_model(model_id).id == model_id


def test_lookup_is_case_insensitive_and_accepts_short_aliases() -> None:
    assert get_gpu("H100-SXM-80GB").id == "h100-sxm-80gb"
    assert get_gpu("H100 SXM 80GB").id == "h100-sxm-80gb"
    assert get_gpu("h200").id == "h200-sxm-141gb"
    assert get_gpu("MI300X").id == "mi300x-192gb"
    assert get_model("Llama-3.1-8B").id == "llama-3.1-8b"


def test_model_lookup_accepts_its_hugging_face_repo() -> None:
    model = get_model("qwen3-8b")
    assert get_model(model.hf_repo).id == "qwen3-8b"
    assert get_model(model.hf_repo.upper()).id == "qwen3-8b"


def test_unknown_gpu_names_the_id_and_suggests_the_closest() -> None:
    with pytest.raises(CatalogError) as info:
        get_gpu("h100-sxm-8gb")
    message = str(info.value)
    assert "'h100-sxm-8gb'" in message
    assert "did you mean: h100-sxm-80gb" in message
    assert info.value.exit_code == 2


def test_unknown_model_names_the_id_and_suggests_the_closest() -> None:
    with pytest.raises(CatalogError) as info:
        get_model("qwen3-33b")
    message = str(info.value)
    assert "unknown model id 'qwen3-33b'" in message
    assert "qwen3-32b" in message


def test_unknown_id_with_nothing_close_still_points_at_the_list() -> None:
    with pytest.raises(CatalogError, match="catalog gpus"):
        get_gpu("zzzzzz")


def test_lists_are_cached_tuples_with_unique_ids() -> None:
    assert list_gpus() is list_gpus()
    assert list_models() is list_models()
    for rows in (list_gpus(), list_models()):
        assert isinstance(rows, tuple)
        ids = [r.id for r in rows]
        assert len(ids) == len(set(ids))
