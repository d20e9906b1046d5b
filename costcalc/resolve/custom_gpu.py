"""A scenario's custom_gpu as the estimator reads it: its own figures, and the kind of the catalog GPU it is like."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from costcalc.catalog import get_gpu
from costcalc.catalog.specs import CustomGpuSpec, GpuSpec
from costcalc.errors import InputError
from costcalc.models.invalid import first_refusal
from costcalc.models.options import CustomGpu
from costcalc.throughput.architecture import ARCHITECTURES, gpu_architecture
from costcalc.throughput.factors import GPU_CLASS_WORDS, gpu_class
from costcalc.throughput.flash_attention import FLASH_ATTENTION_BF16_TFLOPS
from costcalc.throughput.matmul import MAMF_BF16_BEST_SHAPE_TFLOPS, MAMF_BF16_TFLOPS, MAMF_FP8_TFLOPS
from costcalc.throughput.memory import FP8_BYTES, kv_bytes_per_value
from costcalc.throughput.tensor_tflops import SIXTEEN_BIT_MATH_ENGINES

SOURCE = "custom_gpu in the scenario"
# A kernel architecture's vendor, by the prefix of its name (NVIDIA's compute capability sm*, AMD's LLVM target gfx*).
ARCHITECTURE_VENDORS = {"sm": "nvidia", "gfx": "amd"}
# The tensor rates a precision's weight math runs at beyond the bf16 rate every estimate uses (attention at a 16-bit
# KV cache, prefill of 16-bit weights): tensor_tflops.peak_tflops' order, the GPU's own rate first (fp4's fp8: where it
# has no FP4 tensor cores, or its attention runs on an FP8 KV cache, as TensorRT-LLM's does; missing_rate).
PRECISION_RATES: dict[str, tuple[str, ...]] = {
    "fp8": ("fp8_tflops",),
    "int8": ("int8_tops",),
    "fp4": ("fp4_tflops", "fp8_tflops"),
    "mxfp4": ("fp4_tflops",),
}
FORMAT_NAMES = {"fp8_tflops": "FP8", "fp4_tflops": "FP4", "int8_tops": "INT8"}  # a tensor rate's format
RATE_WORDS = {
    "bf16_tflops": "dense BF16 TFLOPS",
    "fp8_tflops": "dense FP8 TFLOPS",
    "fp4_tflops": "dense FP4 TFLOPS",
    "int8_tops": "dense INT8 TOPS",
}


def custom_spec(c: CustomGpu, field: str, source: str = SOURCE) -> CustomGpuSpec:
    """The custom GPU as a spec: its own memory, bandwidth, rates, SMs and power; its vendor, kernel architecture,
    link and form factor `like`'s (a catalog GPU) unless stated, or as stated (vendor, architecture). `field`: where
    the custom_gpu mapping is ('options[X].hardware.custom_gpu'; '' in a GPU spec file of its own), for the errors;
    `source`: where its figures are written, as the report says it."""
    own = dict(
        id=c.name,
        name=c.name,
        memory_gb=c.memory_gb,
        memory_bandwidth_gb_s=c.memory_bandwidth_gb_s,
        bf16_tflops=c.bf16_tflops,
        fp8_tflops=c.fp8_tflops,
        fp4_tflops=c.fp4_tflops,
        int8_tops=c.int8_tops,
        sm_count=c.sm_count,
        boost_clock_mhz=c.boost_clock_mhz,
        tdp_w=c.tdp_w,
        idle_w=c.idle_w,
        source=source,
        as_of=dt.date(1970, 1, 1),
    )
    if c.like is not None or c.vendor is not None or c.architecture is not None:
        _check_own_name(c.name, field)  # estimated: its runs and band are said under its name
    if c.like is None:
        vendor = _stated_vendor(c, field)
        return CustomGpuSpec(
            **own,
            vendor=vendor,
            architecture=c.architecture,
            interconnect_gb_s=c.interconnect_gb_s,
            memory_type=c.memory_type,
        )
    try:
        like = get_gpu(c.like)
    except InputError as exc:
        raise exc.moved(field=_at(field, "like")) from None
    arch = gpu_architecture(like)
    if c.vendor is not None and c.vendor != like.vendor.lower():
        raise InputError(
            f"{like.id}, which it is like, is {like.vendor}; drop vendor, or name a catalog GPU of {c.vendor} in like",
            field=_at(field, "vendor"),
        )
    if c.architecture is not None and c.architecture != arch:
        others = sorted(g for g, a in ARCHITECTURES.items() if a == c.architecture)
        fix = f"like: {others[0]}" if others else "a like GPU of that architecture"
        raise InputError(
            f"{like.id}, which it is like, runs {arch or 'no listed architecture'}'s kernels, not"
            f" {c.architecture}'s; drop architecture, or name {fix}",
            field=_at(field, "architecture"),
        )
    link = c.interconnect_gb_s if c.interconnect_gb_s is not None else like.interconnect_gb_s
    taken = ("vendor",) + (("architecture",) if arch else ()) + (("form_factor",) if like.form_factor else ())
    taken += ("memory_type",) if c.memory_type is None and like.memory_type is not None else ()
    taken += ("interconnect_gb_s",) if c.interconnect_gb_s is None and like.interconnect_gb_s is not None else ()
    formats = tuple(k for k in RATE_WORDS if k != "bf16_tflops" and getattr(like, k) is not None)
    taken += ("formats",) if any(getattr(c, k) is None for k in formats) else ()  # a format whose rate it leaves out
    return CustomGpuSpec(
        **own,
        vendor=like.vendor,
        architecture=arch,
        interconnect_gb_s=link,
        form_factor=like.form_factor,
        memory_type=c.memory_type or like.memory_type,
        like=like.id,
        taken=taken,
        formats=formats,
    )


def custom_gpu_of(data: Mapping[str, Any], field: str) -> CustomGpu:
    """A custom_gpu mapping given in Python (the API's estimate_throughput(gpu={...})) as a CustomGpu; its first
    refusal is one InputError at `field`.<key>."""
    try:
        stated: CustomGpu = CustomGpu.__pydantic_validator__.validate_python(dict(data))  # Input.model_validate
        return stated  # words its own errors without the field's place
    except ValidationError as exc:
        error, _ = first_refusal(exc, CustomGpu, data)
        raise InputError(error.detail, field=_at(field, error.field or "")) from None


def estimable_spec(
    c: CustomGpu,
    field: str,
    precision: str,
    engine: str,
    source: str = SOURCE,
    kv_cache_dtype: str | None = None,
) -> CustomGpuSpec:
    """custom_spec, refused where the estimator cannot take it at `precision` with `engine` (and the KV cache dtype its
    engine arguments state): neither like nor vendor (at like), or a rate its math runs at not stated (at that key;
    missing_rate). `estimate --gpu-spec` and the API."""
    gpu = custom_spec(c, field, source)
    if gpu.vendor == "custom":
        raise InputError(
            "a custom GPU is estimated where it says what it is like; add like: a catalog GPU (e.g. h100-sxm-80gb), or"
            " vendor: nvidia, amd or apple",
            field=_at(field, "like"),
        )
    missing = missing_rate(gpu, precision, engine, kv_cache_dtype)
    if missing is not None:
        raise InputError(missing[1], field=_at(field, missing[0]))
    return gpu


def stated_kv_cache_dtype(engine: str, engine_args: str | None, engine_version: str | None) -> str | None:
    """The KV cache dtype `engine_args` state (--kv-cache-dtype fp8), which sets the rate attention runs at; None where
    they state none, or are refused (the estimate says why, at engine_args)."""
    from costcalc.throughput.serving.engine_args import engine_arguments

    try:
        stated = engine_arguments(engine, engine_args, engine_version)
    except InputError:
        return None
    return None if stated is None else stated.server.kv_cache_dtype


def _check_own_name(name: str, field: str) -> None:
    """Refuse an estimated custom GPU's name that is a catalog GPU's id or alias: 'no published run of vllm on
    h100-sxm-80gb' would then read as the catalog GPU's, of which there are."""
    try:
        clash = get_gpu(name)
    except InputError:
        return
    said = "a catalog GPU's id" if clash.id == name.strip().lower() else f"what the catalog calls {clash.id}"
    raise InputError(
        f"{name!r} is {said}: its estimate would read as that GPU's; name the custom GPU apart (e.g."
        f" {clash.id}-custom), or use the catalog GPU itself if it is that card",
        field=_at(field, "name"),
    )


def _at(field: str, key: str) -> str:
    """The error's field of `key` under the mapping at `field` ('' : the key alone)."""
    return f"{field}.{key}" if field else key


def _stated_vendor(c: CustomGpu, field: str) -> str:
    """Without like: the stated vendor, else the one its stated architecture implies, else 'custom' (not estimated)."""
    if c.architecture is None:
        return c.vendor or "custom"
    known = sorted(set(ARCHITECTURES.values()))
    if c.architecture not in known:
        raise InputError(
            f"unknown kernel architecture {c.architecture!r}; one of {', '.join(known)}, or like: a catalog GPU",
            field=_at(field, "architecture"),
        )
    implied = next(v for prefix, v in ARCHITECTURE_VENDORS.items() if c.architecture.startswith(prefix))
    if c.vendor is not None and c.vendor != implied:
        raise InputError(
            f"{c.architecture} is an {implied} architecture, not {c.vendor}'s; fix vendor or architecture",
            field=_at(field, "vendor"),
        )
    return implied


def missing_rate(
    gpu: GpuSpec, precision: str, engine: str, kv_cache_dtype: str | None = None
) -> tuple[str, str] | None:
    """(key, why) of the tensor rate an estimate at `precision` with `engine` runs at that a custom GPU does not state,
    where its `like` GPU has that rate (or it has no like: nothing says it lacks those tensor cores); None: it states
    every rate it needs, or is a catalog GPU. A like GPU without the rate (an A100 has no fp8) runs that math as on it.
    kv_cache_dtype: as its engine arguments state it; an FP8 KV cache runs attention at the FP8 rate
    (tensor_tflops.attention_tflops), whatever the weights' precision."""
    if not isinstance(gpu, CustomGpuSpec) or gpu.vendor == "custom":
        return None
    if gpu.like is None and gpu.vendor.lower() == "apple":  # Apple states no tensor rate: estimated, as the catalog's
        return None  # Apple chips are, from its bandwidth (tensor_tflops.FLOPS_PER_BYTE_WHEN_UNKNOWN) unless given
    sixteen_bit = engine in SIXTEEN_BIT_MATH_ENGINES
    needed = ("bf16_tflops",) + (() if sixteen_bit else PRECISION_RATES.get(precision, ()))
    fp8_cache = not sixteen_bit and kv_bytes_per_value(precision, engine, kv_cache_dtype) <= FP8_BYTES
    if precision == "fp4" and gpu.has_tensor("fp4_tflops") and not fp8_cache:
        needed = tuple(k for k in needed if k != "fp8_tflops")  # its FP4 cores run the GEMMs; no FP8 KV cache
    attention = fp8_cache and "fp8_tflops" not in needed
    needed += ("fp8_tflops",) if attention else ()  # only its attention runs at FP8: the cache's dtype
    like = None if gpu.like is None else get_gpu(gpu.like)
    for key in needed:
        if getattr(gpu, key) is not None or (like is not None and getattr(like, key) is None):
            continue
        rate = RATE_WORDS[key]
        if like is not None:
            why = f"{like.id}, which it is like, has that rate: give {key} ({rate}, without sparsity)"
        else:
            why = f"give {key} ({rate}, without sparsity), or like: a catalog GPU without those tensor cores"
        runs = f"and an {kv_cache_dtype} KV cache runs attention at" if attention and key == "fp8_tflops" else "runs at"
        return key, f"an estimate at {precision} with {engine} {runs} {gpu.id}'s {rate.removeprefix('dense ')}; {why}"
    return None


def custom_words(gpu: GpuSpec) -> str | None:
    """Where a custom GPU's figures come from, for the report's assumption line; None for a catalog GPU."""
    if not isinstance(gpu, CustomGpuSpec):
        return None
    own = _own_words(gpu)
    if gpu.like is None:
        stated = [f"vendor {gpu.vendor}"] if gpu.vendor != "custom" else []
        stated += [f"kernel architecture {gpu.architecture}"] if gpu.architecture else []
        apple = gpu.vendor.lower() == "apple"  # no Apple chip has a kernel architecture or measured shares either
        unfitted = (
            "" if gpu.architecture or apple else ", no kernel architecture's fitted factors or held-out benchmarks"
        )
        unfitted += "" if gpu.memory_type or apple else f", {_class_by_link(gpu)}"
        lacks = (
            f"; like no catalog GPU: no measured kernel shares of its peak{unfitted}" if stated and not apple else ""
        )
        return f"{gpu.source} ({own}{''.join(', ' + s for s in stated)}{' as given' if stated else ''}){lacks}"
    like = get_gpu(gpu.like)
    kind = [_KIND_WORDS[k](gpu) for k in gpu.taken]  # only what it took: a like GPU without a link gives none
    measured = measured_kernels(gpu)
    kind += ["measured kernel shares of its peak"] if measured else []
    taken = ", ".join(kind[:-1]) + f" and {kind[-1]}" if len(kind) > 1 else kind[0]
    unmeasured = "" if measured else f"; no kernel of {like.id} is measured, so no measured share scales its peaks"
    return (
        f"{gpu.source} ({own}); like {like.id}: its {taken} (the GPU catalog's: as of {like.as_of.isoformat()},"
        f" {like.source}){unmeasured}; no published run is of this GPU"
    )


def _class_by_link(gpu: CustomGpuSpec) -> str:
    """Its class where it states no memory type (nor like), taken from its link (factors.gpu_class)."""
    cls = GPU_CLASS_WORDS[gpu_class(gpu)]
    if gpu.interconnect_gb_s is None:
        return f"no memory_type or interconnect_gb_s: costed as one of the {cls}"
    return f"no memory_type: costed as one of the {cls}, by its {gpu.interconnect_gb_s:g} GB/s link"


def _own_words(gpu: CustomGpuSpec) -> str:
    """'memory, bandwidth, TFLOPS and power as given': the figures of its own it states."""
    own = ["memory"] + (["memory type"] if gpu.memory_type and "memory_type" not in gpu.taken else []) + ["bandwidth"]
    own += ["TFLOPS"] if any(getattr(gpu, k) is not None for k in RATE_WORDS) else []
    own += ["interconnect"] if gpu.interconnect_gb_s is not None and "interconnect_gb_s" not in gpu.taken else []
    own += ["SMs"] if gpu.sm_count is not None else []
    own += ["clock"] if gpu.boost_clock_mhz is not None else []
    own += ["power"] if gpu.tdp_w is not None or gpu.idle_w is not None else []
    return f"{', '.join(own[:-1])} and {own[-1]} as given"


_KIND_WORDS: dict[str, Callable[[CustomGpuSpec], str]] = {
    "vendor": lambda g: f"vendor {g.vendor}",
    "architecture": lambda g: f"kernel architecture {g.architecture}",
    "form_factor": lambda g: f"form factor {g.form_factor}",
    "memory_type": lambda g: f"{g.memory_type} memory",
    "interconnect_gb_s": lambda g: f"interconnect {g.interconnect_gb_s:g} GB/s",
    "formats": lambda g: " and ".join(FORMAT_NAMES[k] for k in g.formats if getattr(g, k) is None) + " tensor cores",
}


def measured_kernels(gpu: GpuSpec) -> bool:
    """True where a measured kernel share of peak applies to `gpu` through the catalog GPU it is measured as: a
    matmul table's row (the best-shape table only at that GPU's own bf16 peak, as matmul reads it) or FlashAttention's."""
    key = gpu.measured_as
    if key is None:
        return False
    best = MAMF_BF16_BEST_SHAPE_TFLOPS.get(key)
    return (
        key in MAMF_BF16_TFLOPS
        or key in MAMF_FP8_TFLOPS
        or key in FLASH_ATTENTION_BF16_TFLOPS
        or (best is not None and gpu.bf16_tflops == best[1])
    )
