"""The factors a refit fits: how each is read and set, its bounds, and which calibration rows it can move."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.errors import CostcalcError
from costcalc.throughput.architecture import (
    FITTED_ARCHITECTURE_FACTORS,
    FITTED_ARCHITECTURES,
    MIN_ARCHITECTURE_PUBLISHERS,
    gpu_architecture,
)
from costcalc.throughput.calibration import Lookup, int_cell
from costcalc.throughput.factors import ENGINES, ClassFactors, Factors, gpu_class

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


@dataclass(frozen=True)
class FitRow:
    """A calibration row resolved once for fitting: what a factor's scope is decided on."""

    row: dict[str, str]
    gpu: GpuSpec
    model: ModelSpec
    engine: str
    gpu_class: str
    gpu_count: int
    precision: str
    architecture: str | None = None


def fit_row(row: dict[str, str], lookup: Lookup) -> FitRow | None:
    """The row resolved, or None when it names no known GPU or model (it never has an estimate)."""
    try:
        gpu, model = lookup[0](row["gpu"]), lookup[1](row["model"])
        count = int_cell(row, "gpu_count") or 1
    except (CostcalcError, ValueError):
        return None
    return FitRow(
        row=row,
        gpu=gpu,
        model=model,
        engine=(row.get("engine") or "").strip() or "vllm",
        gpu_class=gpu_class(gpu),
        gpu_count=count,
        architecture=gpu_architecture(gpu),
        precision=(row.get("precision") or "").strip() or model.native_precision,
    )


def _everywhere(_: FitRow) -> bool:
    return True


@dataclass(frozen=True)
class _Knob:
    """One fitted factor: how to read and write it, its bounds, and which rows it can move.

    scope(row) is False only where the factor cannot change the row's estimate (another engine's
    factor, a GPU class the row is not in, communication on one GPU): the fit skips those rows.
    min_publishers: the fit leaves the factor where it starts unless its rows come from at least this many
    publishers (calibration.publisher_of: a GitHub owner, a web host) among the rows it fits.
    stage: the fit stage that moves it (fit.FIT_STAGES: the architecture factors come second, the rest held).
    """

    name: str
    get: Callable[[Factors], float]
    set: Callable[[Factors, float], Factors]
    low: float
    high: float
    scope: Callable[[FitRow], bool] = _everywhere
    min_publishers: int = 0
    stage: int = 1


_Dataclass = TypeVar("_Dataclass", bound="DataclassInstance")


def _with_field(obj: _Dataclass, name: str, value: float) -> _Dataclass:
    """`obj` with the float field a knob names set to `value` (dataclasses.replace; unknown names raise TypeError).

    A knob addresses its factor by the field's name, a string known only at run time, so the
    field's type is not checked statically: every knob names a float field.
    """
    return replace(obj, **{name: value})


def _field(obj: DataclassInstance, name: str) -> float:
    """The float field a knob names (getattr is typed Any; test_each_factor_sets_one_float_field checks the type)."""
    value: float = getattr(obj, name)
    return value


def _engine_knob(
    engine: str, attr: str, low: float, high: float, scope: Callable[[FitRow], bool] = _everywhere
) -> _Knob:
    def get(f: Factors) -> float:
        return _field(f.engines[engine], attr)

    def set_(f: Factors, v: float) -> Factors:
        engines = dict(f.engines)
        engines[engine] = _with_field(engines[engine], attr, v)
        return replace(f, engines=engines)

    return _Knob(f"{engine}.{attr}", get, set_, low, high, lambda r: r.engine == engine and scope(r))


def _class_factors_field(
    field: str, key: str, attr: str
) -> tuple[Callable[[Factors], float], Callable[[Factors, float], Factors]]:
    """Read and set one multiplier of the ClassFactors Factors.<field> holds under key (1.0 where none is set)."""

    def get(f: Factors) -> float:
        return _field(getattr(f, field).get(key, ClassFactors()), attr)

    def set_(f: Factors, v: float) -> Factors:
        held: dict[str, ClassFactors] = dict(getattr(f, field))
        held[key] = _with_field(held.get(key, ClassFactors()), attr, v)
        changed: Factors = replace(f, **{field: held})  # type: ignore[arg-type]  # field names a mapping, not a float
        return changed

    return get, set_


def _class_knob(cls: str, attr: str) -> _Knob:
    get, set_ = _class_factors_field("classes", cls, attr)
    return _Knob(f"class.{cls}.{attr}", get, set_, 0.25, 4.0, lambda r: r.gpu_class == cls)


def _engine_class_knob(key: str, attr: str) -> _Knob:
    get, set_ = _class_factors_field("engine_classes", key, attr)
    engine, cls = key.split("/")
    return _Knob(f"{key}.{attr}", get, set_, 0.1, 4.0, lambda r: r.engine == engine and r.gpu_class == cls)


def _architecture_knob(arch: str, attr: str) -> _Knob:
    get, set_ = _class_factors_field("architectures", arch, attr)
    return _Knob(
        f"architecture.{arch}.{attr}",
        get,
        set_,
        0.25,
        4.0,
        lambda r: r.architecture == arch,
        min_publishers=MIN_ARCHITECTURE_PUBLISHERS,
        stage=2,
    )


def _global_knob(name: str, low: float, high: float, scope: Callable[[FitRow], bool] = _everywhere) -> _Knob:
    return _Knob(name, lambda f: getattr(f, name), lambda f, v: _with_field(f, name, v), low, high, scope)


def _multi_gpu(r: FitRow) -> bool:
    return r.gpu_count > 1


def _moe(r: FitRow) -> bool:
    from costcalc.throughput.memory import is_moe

    return is_moe(r.model)


def _fp4_cores(r: FitRow) -> bool:
    from costcalc.throughput.tensor_tflops import runs_on_fp4_tensor_cores

    return runs_on_fp4_tensor_cores(r.gpu, r.precision, r.engine)


def _emulated(r: FitRow) -> bool:
    from costcalc.throughput.tensor_tflops import emulated_levels

    return emulated_levels(r.gpu, r.precision, r.engine) > 0


def _sm_bandwidth_bound(r: FitRow) -> bool:
    from costcalc.throughput.sm_bound import SM_BOUND_ENGINES

    return r.engine in SM_BOUND_ENGINES and r.gpu.vendor.lower() == "nvidia" and r.gpu.sm_count is not None


def _sm_flops_bound(r: FitRow) -> bool:
    from costcalc.throughput import memory as mem

    quantised = mem.BITS_PER_WEIGHT.get(r.precision, mem.SIXTEEN_BIT) < mem.SIXTEEN_BIT
    return _sm_bandwidth_bound(r) and r.gpu.boost_clock_mhz is not None and quantised


def knobs() -> list[_Knob]:
    """The factors the calibration fits (datacenter class and the reference architecture are fixed at 1)."""
    out: list[_Knob] = []
    for e in ENGINES:
        out.append(_engine_knob(e, "bandwidth_efficiency", 0.2, 1.0))
        out.append(_engine_knob(e, "compute_efficiency", 0.05, 1.0))
        out.append(_engine_knob(e, "step_overhead_ms", 0.02, 30.0))
        out.append(_engine_knob(e, "sequence_overhead_us", 0.5, 500.0))
        out.append(_engine_knob(e, "emulated_format_efficiency", 0.05, 1.0, _emulated))
    for cls in ("workstation", "apple"):
        out.append(_class_knob(cls, "bandwidth"))
        out.append(_class_knob(cls, "compute"))
    out.append(_engine_class_knob("llamacpp/datacenter", "compute"))
    for arch in FITTED_ARCHITECTURES:
        for attr in FITTED_ARCHITECTURE_FACTORS:
            out.append(_architecture_knob(arch, attr))
    out.append(_engine_knob("llamacpp", "sm_bandwidth_gb_s", 1.0, 64.0, _sm_bandwidth_bound))
    out.append(_engine_knob("llamacpp", "sm_flops_per_clock", 32.0, 8192.0, _sm_flops_bound))
    out.append(_global_knob("comm_bandwidth_efficiency", 0.2, 1.0, _multi_gpu))
    out.append(_global_knob("fp4_compute_efficiency", 0.2, 1.0, _fp4_cores))
    out.append(_global_knob("moe_bandwidth_efficiency", 0.2, 1.0, _moe))
    out.append(_global_knob("moe_compute_efficiency", 0.05, 1.0, _moe))
    out.append(_global_knob("comm_latency_us", 1.0, 200.0, _multi_gpu))
    out.append(_global_knob("moe_layer_overhead_us", 1.0, 2000.0, _moe))
    return out
