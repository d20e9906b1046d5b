"""The search space reads the catalogs: engines by GPU class, precisions by engine and tensor math, GPU counts."""

from __future__ import annotations

import datetime as dt

from costcalc.analysis.recommend.space import (
    Constraints,
    build_space,
    engines_for,
    gpu_counts,
    offers,
    precisions_for,
    priced_gpus,
)
from costcalc.catalog import get_gpu, get_model, list_gpus
from costcalc.pricing.book import PriceBook


def book() -> PriceBook:
    return PriceBook.load(use_cache=False, on=dt.date(2026, 12, 5))


def test_engines_suit_the_gpu_class_and_vendor() -> None:
    assert engines_for(get_gpu("h100-sxm-80gb")) == ("vllm", "sglang", "trtllm")  # datacenter: serving engines
    assert engines_for(get_gpu("mi300x-192gb")) == ("vllm", "sglang")  # no TensorRT-LLM on AMD
    assert engines_for(get_gpu("apple-m3-ultra")) == ("llamacpp", "mlx")  # Apple: local engines
    assert set(engines_for(get_gpu("rtx-4090-24gb"))) == {"vllm", "sglang", "trtllm", "llamacpp"}  # GDDR card
    assert engines_for(get_gpu("h100-pcie-80gb")) == ("vllm", "sglang", "trtllm")  # HBM on PCIe: a server part


def test_precisions_come_from_the_catalogs_tensor_math() -> None:
    llama = get_model("llama-3.3-70b")  # bf16 native
    assert precisions_for(llama, get_gpu("h100-sxm-80gb"), "vllm") == ("bf16", "fp8", "int4")  # no fp4 TFLOPS
    assert precisions_for(llama, get_gpu("b200-sxm-180gb"), "vllm") == ("bf16", "fp8", "fp4", "int4")
    assert precisions_for(llama, get_gpu("a100-sxm-80gb"), "vllm") == ("bf16", "int4")  # no fp8 TFLOPS
    assert precisions_for(llama, get_gpu("rtx-4090-24gb"), "llamacpp") == ("bf16", "q8_0", "q4_k_m")
    # a model shipped at 4 bits has no narrower format to try
    assert precisions_for(get_model("gpt-oss-120b"), get_gpu("b200-sxm-180gb"), "vllm") == ("mxfp4",)


def test_gpu_counts_divide_the_heads_and_need_a_link() -> None:
    assert gpu_counts(get_model("gpt-oss-120b"), get_gpu("h100-sxm-80gb")) == (1, 2, 4, 8)  # 64 heads
    assert gpu_counts(get_model("gemma-3-27b"), get_gpu("h100-sxm-80gb")) == (1, 2, 4, 8)
    assert gpu_counts(get_model("gpt-oss-120b"), get_gpu("h100-sxm-80gb"), 3) == (1, 2)
    assert gpu_counts(get_model("gpt-oss-120b"), get_gpu("apple-m3-ultra")) == (1,)  # no scale-up link in the catalog


def test_every_replica_size_is_offered_every_instance_and_server() -> None:
    # an 8-GPU instance packs 1-GPU replicas (billed whole, as report bills it): 1x configurations get the 8x offers
    space = build_space(
        [get_model("gpt-oss-20b")], [get_gpu("l40s-48gb")], book(), Constraints(providers=("coreweave",))
    )
    one = next(c for c in space.configs if c.gpus == 1)
    assert [o.id for o in space.offers_of[one.key]] == ["coreweave/l40s-8x/on-demand/north-america"]


def test_priced_gpus_are_those_with_a_rental_or_purchase_row() -> None:
    b = book()
    ids = {g.id for g in priced_gpus(b, list_gpus())}
    assert "h100-sxm-80gb" in ids and "apple-m3-ultra" in ids  # rented; bought (hardware table)
    assert "rtx-3060-12gb" not in ids  # in the catalog, no price
    found = offers(b, ["apple-m3-ultra"])["apple-m3-ultra"]
    assert found and all(o.acquisition == "buy" and o.provider is None for o in found)


def test_constraints_narrow_the_space() -> None:
    b = book()
    gpus = priced_gpus(b, list_gpus())
    model = [get_model("gpt-oss-20b")]
    full = build_space(model, gpus, b)
    narrow = build_space(model, gpus, b, Constraints(gpus=("l40s-48gb",), engines=("vllm",), max_gpus=2))
    assert {(c.gpu.id, c.engine) for c in narrow.configs} == {("l40s-48gb", "vllm")}
    assert {c.gpus for c in narrow.configs} == {1, 2}
    assert 0 < narrow.candidates < full.candidates
    rented = build_space(model, gpus, b, Constraints(acquisition="rent", providers=("runpod",)))
    assert all(o.provider == "runpod" for v in rented.offers_of.values() for o in v)
    bought = build_space(model, gpus, b, Constraints(acquisition="buy"))
    assert all(o.acquisition == "buy" for v in bought.offers_of.values() for o in v)
