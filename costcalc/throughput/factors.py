"""The estimator's efficiency factors: per engine and per GPU class, read from factors.json."""

from __future__ import annotations

import functools
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from costcalc.band_words import OVERALL_BAND
from costcalc.catalog.specs import GpuSpec
from costcalc.throughput.architecture import ARCHITECTURE_PROVENANCE, gpu_architecture

FACTORS_JSON = Path(__file__).with_name("factors.json")
ENGINES: tuple[str, ...] = ("trtllm", "vllm", "sglang", "llamacpp", "mlx")
# A GPU's class is what its memory is (gpu_class): HBM (datacenter), GDDR or LPDDR (workstation), Apple silicon.
GPU_CLASSES: tuple[str, ...] = ("datacenter", "workstation", "apple")
GPU_CLASS_WORDS = {
    "datacenter": "GPUs with HBM",
    "workstation": "GPUs with GDDR or LPDDR memory",
    "apple": "Apple chips",
}
# A link at least this fast (NVLink / Infinity Fabric) is a scale-up link; below it, PCIe. Where a custom GPU states
# no memory type, its link stands for it: every catalog GPU with a scale-up link has HBM (tested).
SCALE_UP_LINK_MIN_GB_S = 200.0
# Vendors an engine runs on (TensorRT-LLM is CUDA only; MLX is Apple only).
ENGINE_VENDORS: dict[str, frozenset[str]] = {
    "trtllm": frozenset({"nvidia"}),
    "vllm": frozenset({"nvidia", "amd"}),
    "sglang": frozenset({"nvidia", "amd"}),
    "llamacpp": frozenset({"nvidia", "amd", "apple"}),
    "mlx": frozenset({"apple"}),
}


# vLLM picks its scheduler defaults by device: max_num_seqs 1024 (max_num_batched_tokens 8192 for
# the API server) on GPUs with at least 70 GiB that are not A100s, 256 (2048) elsewhere
# (EngineArgs.get_batch_defaults in vllm/engine/arg_utils.py, vllm-project/vllm@99d7eb5d).
LARGE_BATCH_MIN_MEMORY_GIB = 70.0
SMALL_BATCH_GPU_NAMES: tuple[str, ...] = ("a100",)


def engine_max_batch(ef: EngineFactors, gpu: GpuSpec) -> int:
    """Most sequences the engine's scheduler runs at once by default on this GPU."""
    if ef.max_batch_small_gpu is None:
        return ef.max_batch
    # catalog memory_gb is the vendor's stated figure, which is GiB (80 GB H100 = 80 GiB)
    named = (gpu.measured_as or gpu.id).lower()  # a custom GPU: the catalog GPU it is like
    small = gpu.memory_gb < LARGE_BATCH_MIN_MEMORY_GIB or any(name in named for name in SMALL_BATCH_GPU_NAMES)
    return ef.max_batch_small_gpu if small else ef.max_batch


def gpu_class(gpu: GpuSpec) -> str:
    """'apple' (Apple silicon), 'datacenter' (HBM memory) or 'workstation' (GDDR or LPDDR): the class whose fitted
    factors it takes. The fitted datacenter rows are all HBM parts, the workstation rows GDDR cards and LPDDR DGX Spark;
    an H100 PCIe card is an HBM part (its link, PCIe, decides its layouts, not its class). A custom GPU stating no
    memory type (nor like): by its link (a scale-up link: HBM, as on every catalog GPU with one)."""
    if gpu.vendor.lower() == "apple":
        return "apple"
    if gpu.memory_type is None:
        linked = gpu.interconnect_gb_s is not None and gpu.interconnect_gb_s >= SCALE_UP_LINK_MIN_GB_S
        return "datacenter" if linked else "workstation"
    return "datacenter" if gpu.memory_type.startswith("HBM") else "workstation"


@dataclass(frozen=True)
class EngineFactors:
    """How close one serving engine gets to the hardware's limits, and its memory habits."""

    bandwidth_efficiency: float  # share of peak memory bandwidth a decode step achieves
    compute_efficiency: float  # share of peak dense tensor FLOPS prefill achieves
    step_overhead_ms: float  # fixed time per forward step (scheduling, launches, sampling)
    memory_utilization: float  # share of GPU memory the engine may use (vLLM 0.9 default)
    runtime_overhead_gb: float  # per GPU: activations, CUDA graphs, workspace
    max_batch: int  # most sequences the scheduler runs at once (engine default)
    request_overhead_ms: float = 0.0  # per request before the first token: HTTP, tokenising, queue
    # the default on GPUs below LARGE_BATCH_MIN_MEMORY_GIB (and A100s) where it differs (vLLM)
    max_batch_small_gpu: int | None = None
    # host time per sequence per forward step (scheduling, input preparation, sampling, output
    # processing), in series with the GPU's work: it grows with the batch, unlike step_overhead_ms
    sequence_overhead_us: float = 0.0
    # GEMMs on weights in a format the GPU's tensor cores lack (fp8 before Ada/Hopper, fp4 before
    # Blackwell) run at this share of the engine's efficiency per missing halving of precision
    # (Hopper lacks one level for fp4, Ampere two), unless the engine dequantises by design
    emulated_format_efficiency: float = 1.0
    # Per-SM limits of the engine's own CUDA kernels on NVIDIA parts whose SM count the catalog
    # sources (sm_bound.sm_bound_bandwidth_gb_s / sm_bound_flops); 0 = not modelled. Decode's
    # mat-vec kernels are latency-bound: each SM sustains what it keeps in flight over the memory
    # latency (Little's law), in GB/s. Quantised GEMMs (llama.cpp's MMQ) issue FLOPs per SM per clock.
    sm_bandwidth_gb_s: float = 0.0
    sm_flops_per_clock: float = 0.0


@dataclass(frozen=True)
class ClassFactors:
    """Multipliers on the engine's efficiencies for a GPU class (datacenter is 1, 1)."""

    bandwidth: float = 1.0
    compute: float = 1.0


@dataclass(frozen=True)
class Factors:
    """Every fitted or assumed constant of the estimator, with the error it showed when fitted."""

    engines: dict[str, EngineFactors]
    classes: dict[str, ClassFactors]
    comm_latency_us: float  # one all-reduce's fixed latency between tensor-parallel GPUs
    moe_compute_efficiency: float = 1.0  # routed-expert GEMMs relative to dense GEMMs
    moe_bandwidth_efficiency: float = 1.0  # routed-expert weight reads relative to dense reads (llama.cpp: 1, ggml_moe)
    comm_bandwidth_efficiency: float = 1.0  # achieved share of the link's stated bandwidth
    # GEMMs on 4-bit tensor cores (NVFP4, MXFP4 on Blackwell) relative to the engine's efficiency
    # at 8/16 bit: activations are quantised to fp4 on the fly and block scales applied per tile.
    fp4_compute_efficiency: float = 1.0
    # fixed time per mixture-of-experts layer per forward step (routing, top-k, token permutation
    # and its inverse, the grouped GEMM's launch): grows with depth, not with the batch
    moe_layer_overhead_us: float = 0.0
    # Engine-specific class multipliers on top of `classes`, keyed "engine/class"
    # (llama.cpp's kernels, for one, are tuned for consumer GPUs rather than datacenter parts).
    engine_classes: dict[str, ClassFactors] = field(default_factory=dict)
    # Multipliers for a GPU's kernel architecture (architecture.gpu_architecture: 'sm80', 'gfx942'), relative to
    # architecture.REFERENCE_ARCHITECTURE: the same engine's kernels reach a different share of each generation's
    # peak (FlashAttention-2 reaches 50-73% of an A100's peak, 35% of an H100's: arXiv:2307.08691, arXiv:2407.08608).
    # Fitted; an architecture absent here is 1, 1.
    architectures: dict[str, ClassFactors] = field(default_factory=dict)
    # p90 factor error (scoring.factor_error, a fraction) of the last calibration's leave-one-source-out predictions:
    # "overall", and "engine/scenario" for each class with enough rows (see error_band)
    error_bands: dict[str, float] = field(default_factory=dict)
    fitted_on: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict in a stable key order, floats to 4 significant digits."""
        return _rounded_top(
            {
                "schema_version": 1,
                "fitted_on": self.fitted_on,
                "comm_latency_us": self.comm_latency_us,
                "moe_compute_efficiency": self.moe_compute_efficiency,
                "moe_bandwidth_efficiency": self.moe_bandwidth_efficiency,
                "comm_bandwidth_efficiency": self.comm_bandwidth_efficiency,
                "fp4_compute_efficiency": self.fp4_compute_efficiency,
                "moe_layer_overhead_us": self.moe_layer_overhead_us,
                "engines": {k: asdict(v) for k, v in self.engines.items()},
                "classes": {k: asdict(v) for k, v in self.classes.items()},
                "engine_classes": {k: asdict(v) for k, v in self.engine_classes.items()},
                "architectures": {k: asdict(v) for k, v in sorted(self.architectures.items())},
                "provenance": {"architectures": ARCHITECTURE_PROVENANCE},
                "error_bands": dict(self.error_bands),
            }
        )

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Factors:
        """Inverse of to_dict."""
        return cls(
            engines={k: EngineFactors(**v) for k, v in raw["engines"].items()},
            classes={k: ClassFactors(**v) for k, v in raw["classes"].items()},
            comm_latency_us=float(raw["comm_latency_us"]),
            moe_compute_efficiency=float(raw.get("moe_compute_efficiency", 1.0)),
            moe_bandwidth_efficiency=float(raw.get("moe_bandwidth_efficiency", 1.0)),
            comm_bandwidth_efficiency=float(raw.get("comm_bandwidth_efficiency", 1.0)),
            fp4_compute_efficiency=float(raw.get("fp4_compute_efficiency", 1.0)),
            moe_layer_overhead_us=float(raw.get("moe_layer_overhead_us", 0.0)),
            engine_classes={k: ClassFactors(**v) for k, v in raw.get("engine_classes", {}).items()},
            architectures={k: ClassFactors(**v) for k, v in raw.get("architectures", {}).items()},
            error_bands={k: float(v) for k, v in raw.get("error_bands", {}).items()},
            fitted_on=str(raw.get("fitted_on", "")),
        )


def _rounded_top(raw: dict[str, object]) -> dict[str, Any]:
    """_rounded of a top-level dict, typed as the dict it is."""
    return {k: _rounded(v) for k, v in raw.items()}


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return float(f"{value:.4g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def class_factors(f: Factors, engine: str, gpu: GpuSpec) -> ClassFactors:
    """Bandwidth and compute multipliers of a GPU's class and kernel architecture, for one engine."""
    cls = gpu_class(gpu)
    parts = (
        f.classes.get(cls, ClassFactors()),
        f.engine_classes.get(f"{engine}/{cls}", ClassFactors()),
        f.architectures.get(gpu_architecture(gpu) or "", ClassFactors()),
    )
    return ClassFactors(bandwidth=math.prod(p.bandwidth for p in parts), compute=math.prod(p.compute for p in parts))


def band_key(engine: str, scenario: str) -> str:
    """'vllm/offline': the key of an engine and scenario class in Factors.error_bands."""
    return f"{engine}/{scenario}"


def scenario_class(in_flight: int | None, full_load: int | None = None) -> str:
    """The calibration scenario an estimate of `in_flight` requests at once stands for (the one place it is decided).

    full_load: the requests in flight at as many as fit (llama.cpp: as many as llama-server's slots); None, and
    in_flight None, where no count is known (the configuration does not fit, a cases row without one). One request
    at a time is 'single', also where only one fits (every single-stream calibration row runs 1, no offline row
    does); the full load, or None, is 'offline' (the throughput-optimal load: asked for 223 or more in flight where
    223 fit, the estimate is the one asked for none); any other fixed load 'server'.
    """
    if in_flight == 1:
        return "single"
    return "offline" if in_flight is None or in_flight == full_load else "server"


def error_band_key(f: Factors, engine: str, scenario: str) -> str:
    """The Factors.error_bands entry an estimate quotes: its own engine and scenario class's where the
    calibration gave that class a band, else OVERALL_BAND. The one place a band is chosen."""
    own = band_key(engine, scenario)
    return own if own in f.error_bands else OVERALL_BAND


def error_band(f: Factors, engine: str, scenario: str) -> float | None:
    """The p90 error to quote for an estimate: the error_bands entry error_band_key chooses.

    Estimate, report, simulate and the HTML all show the band the Estimate carries, which this
    function set.
    """
    return f.error_bands.get(error_band_key(f, engine, scenario))


def save_factors(factors: Factors, path: Path = FACTORS_JSON) -> None:
    """Write factors as indented JSON."""
    path.write_text(json.dumps(factors.to_dict(), indent=2) + "\n", encoding="utf-8")


@functools.cache
def load_factors(path: Path = FACTORS_JSON) -> Factors:
    """The shipped factors (package data)."""
    return Factors.from_dict(json.loads(path.read_text(encoding="utf-8")))
