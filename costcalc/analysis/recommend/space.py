"""The search space of `recommend`: which models, GPUs, GPU counts, precisions, engines and offers it pairs.

Every rule reads the catalogs and price tables rather than naming GPUs: an engine runs on a GPU when it
supports the GPU's vendor and suits its class (the estimator's datacenter / workstation / Apple classes);
a precision is the model's native one or a narrower weight format the engine loads, and fp8 or fp4 also
needs the GPU's own fp8 or fp4 tensor math (a TFLOPS figure in the catalog); a replica of several GPUs
needs a scale-up link figure in the catalog and a GPU count that divides the model's attention heads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from costcalc.catalog.specs import CustomGpuSpec, GpuSpec, ModelSpec
from costcalc.models import Hardware
from costcalc.pricing.book import PriceBook
from costcalc.resolve.custom_gpu import missing_rate
from costcalc.throughput.factors import ENGINE_VENDORS, ENGINES, gpu_class
from costcalc.throughput.memory import BITS_PER_WEIGHT, PRECISIONS

MAX_GPUS_PER_REPLICA = 8
SERVING_ENGINES = ("vllm", "sglang", "trtllm")  # batching servers for datacenter GPUs
LOCAL_ENGINES = ("llamacpp", "mlx")  # for consumer cards and Apple machines
# Weight formats each engine loads besides the model's native one (an engine fact, not a GPU fact):
# FP8 and NVFP4 checkpoints and AWQ/GPTQ int4 in the serving engines, GGUF quants in llama.cpp, MLX's own.
ENGINE_FORMATS: dict[str, tuple[str, ...]] = {
    "vllm": ("fp8", "fp4", "int4"),
    "sglang": ("fp8", "fp4", "int4"),
    "trtllm": ("fp8", "fp4", "int4"),
    "llamacpp": ("q8_0", "q4_k_m"),
    "mlx": ("int8", "int4"),
}
# Formats computed in their own tensor-core precision: the GPU must state those TFLOPS in the catalog.
TENSOR_MATH = {"fp8": "fp8_tflops", "fp4": "fp4_tflops"}
BUY_PRICING_TYPE = "purchase"
SCENARIO_PRICING_TYPE = "scenario"  # a custom GPU's price: as the scenario's own option gives it


@dataclass(frozen=True)
class Config:
    """What one replica runs: a replica's capacity depends on these (and the workload) alone."""

    model: ModelSpec
    gpu: GpuSpec
    gpus: int
    precision: str
    engine: str

    @property
    def key(self) -> tuple[str, str, int, str, str]:
        """(model, gpu, gpus, precision, engine) ids: a stable sort key and cache key."""
        return (self.model.id, gpu_key(self.gpu), self.gpus, self.precision, self.engine)


def gpu_key(gpu: GpuSpec) -> str:
    """A catalog GPU's id; a custom GPU's name and a digest of its figures, since the capacity store outlives a
    scenario's edits ('my-gpu#3f2a9c1b0d4e')."""
    if not isinstance(gpu, CustomGpuSpec):
        return gpu.id
    return f"{gpu.id}#{hashlib.sha256(gpu.model_dump_json().encode()).hexdigest()[:12]}"


@dataclass(frozen=True)
class Offer:
    """A price for a GPU: a rental row (rent) or a hardware row (buy); gpu_count GPUs are rented or bought whole.

    Every replica size is carried: an instance or a server holds several replicas (an 8-GPU instance packs eight
    1-GPU replicas, billed whole every hour) or a replica spans several, as the resolver prices them for report.
    """

    id: str
    gpu: str
    gpu_count: int
    acquisition: str  # rent | buy
    provider: str | None  # rental provider; None for bought hardware
    pricing_type: str  # on-demand, spot, reserved-1y, ... or "purchase"; "scenario" (a custom GPU)
    # a custom GPU's offer: the hardware of the scenario's own option (custom_gpu, hourly_usd or price_usd), which a
    # candidate copies with its own GPUs per replica; its id is that option's name
    hardware: Hardware | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Constraints:
    """What the user narrowed the search to (None or empty: no limit)."""

    gpus: tuple[str, ...] = ()  # catalog ids
    max_gpus: int = MAX_GPUS_PER_REPLICA
    acquisition: str | None = None  # rent | buy
    providers: tuple[str, ...] = ()
    engines: tuple[str, ...] = ()
    precisions: tuple[str, ...] = ()

    def given(self) -> dict[str, str]:
        """The constraints in force by their names here (the Python API's: gpus, max_gpus, ...), each with the value
        it was given, for messages (the command line says each as its flag)."""
        given = {
            "gpus": ", ".join(self.gpus),
            "max_gpus": str(self.max_gpus) if self.max_gpus != MAX_GPUS_PER_REPLICA else "",
            "acquisition": self.acquisition or "",
            "providers": ", ".join(self.providers),
            "engines": ", ".join(self.engines),
            "precisions": ", ".join(self.precisions),
        }
        return {k: v for k, v in given.items() if v}

    def removes(self) -> dict[str, str]:
        """`given()` keyed by the command line's flags, as recommend's JSON records them (`search.constraints`)."""
        return {FLAG_OF[name]: value for name, value in self.given().items()}


# each constraint's flag: the keys of recommend's JSON `search.constraints` (its schema), kept as they were
FLAG_OF = {
    "gpus": "--gpu",
    "max_gpus": "--max-gpus",
    "acquisition": "--acquisition",
    "providers": "--provider",
    "engines": "--engine",
    "precisions": "--precision",
}


@dataclass(frozen=True)
class Space:
    """The configurations and offers to search, and each configuration's offers."""

    configs: tuple[Config, ...]
    offers_of: dict[tuple[str, str, int, str, str], tuple[Offer, ...]] = field(repr=False)

    @property
    def candidates(self) -> int:
        """Configuration × offer pairs."""
        return sum(len(v) for v in self.offers_of.values())


def engines_for(gpu: GpuSpec) -> tuple[str, ...]:
    """Engines suited to a GPU: serving engines on HBM parts (an H100 PCIe card too), llama.cpp and MLX on Apple, all
    on GDDR and LPDDR parts (factors.gpu_class)."""
    cls = gpu_class(gpu)
    suited = {"datacenter": SERVING_ENGINES, "apple": LOCAL_ENGINES}.get(cls, SERVING_ENGINES + LOCAL_ENGINES)
    return tuple(e for e in suited if gpu.vendor.lower() in ENGINE_VENDORS[e])


def precisions_for(model: ModelSpec, gpu: GpuSpec, engine: str) -> tuple[str, ...]:
    """The model's native precision, and each narrower format the engine loads and the GPU computes in."""
    native = model.native_precision
    out = [native]
    for fmt in ENGINE_FORMATS[engine]:
        if fmt == native or BITS_PER_WEIGHT[fmt] >= BITS_PER_WEIGHT[native]:
            continue
        if fmt in TENSOR_MATH and getattr(gpu, TENSOR_MATH[fmt]) is None:
            continue
        out.append(fmt)
    return tuple(out)


def gpu_counts(model: ModelSpec, gpu: GpuSpec, limit: int = MAX_GPUS_PER_REPLICA) -> tuple[int, ...]:
    """GPUs per replica: 1, and tensor-parallel sizes up to `limit` that split the attention heads evenly
    (only where the catalog gives the GPU a scale-up link)."""
    if gpu.interconnect_gb_s is None:
        return (1,) if limit >= 1 else ()
    return tuple(n for n in range(1, limit + 1) if model.attention_heads % n == 0)


def offers(book: PriceBook, gpu_ids: Iterable[str]) -> dict[str, tuple[Offer, ...]]:
    """Every rental and purchase offer of the given GPUs, by GPU id, in id order."""
    wanted = set(gpu_ids)
    found: dict[str, list[Offer]] = {g: [] for g in wanted}
    for p in book.rows("rental"):
        r = p.row
        if r.gpu in wanted:
            found[r.gpu].append(Offer(r.id, r.gpu, int(r.gpu_count), "rent", r.provider, r.pricing_type))
    for bought in book.rows("hardware"):
        h = bought.row
        if h.gpu in wanted:
            found[h.gpu].append(Offer(h.id, h.gpu, int(h.gpu_count), "buy", None, BUY_PRICING_TYPE))
    return {g: tuple(v) for g, v in found.items()}


def build_space(
    models: Sequence[ModelSpec],
    gpus: Sequence[GpuSpec],
    book: PriceBook,
    limits: Constraints = Constraints(),
    own_offers: Mapping[str, tuple[Offer, ...]] | None = None,
) -> Space:
    """Every configuration of the models on the priced GPUs within `limits`, each with the offers that carry it;
    `own_offers`: the scenario's custom GPUs' prices, by custom GPU name (custom.custom_gpus).

    A configuration with no offer left (no price under the constraints) stays in the space with no offers: it is
    reported as having no price. A custom GPU's configuration whose math runs at a rate it does not state
    (resolve/custom_gpu.missing_rate) is not searched, as `report` refuses it.
    """
    by_gpu = offers(book, (g.id for g in gpus)) | dict(own_offers or {})
    configs: list[Config] = []
    offers_of: dict[tuple[str, str, int, str, str], tuple[Offer, ...]] = {}
    for model in models:
        for gpu in gpus:
            if limits.gpus and gpu.id not in limits.gpus:
                continue
            gpu_offers = [o for o in by_gpu.get(gpu.id, ()) if _allowed(o, limits)]
            for engine in engines_for(gpu):
                if limits.engines and engine not in limits.engines:
                    continue
                for precision in precisions_for(model, gpu, engine):
                    if limits.precisions and precision not in limits.precisions:
                        continue
                    if missing_rate(gpu, precision, engine) is not None:
                        continue
                    for n in gpu_counts(model, gpu, limits.max_gpus):
                        config = Config(model, gpu, n, precision, engine)
                        configs.append(config)
                        offers_of[config.key] = tuple(gpu_offers)
    return Space(tuple(configs), offers_of)


def _allowed(offer: Offer, limits: Constraints) -> bool:
    if limits.acquisition and offer.acquisition != limits.acquisition:
        return False
    return not limits.providers or offer.provider in limits.providers


def priced_gpus(book: PriceBook, catalog: Sequence[GpuSpec]) -> tuple[GpuSpec, ...]:
    """Catalog GPUs with at least one rental offer or purchase price, in catalog order."""
    priced = {p.row.gpu for p in book.rows("rental")} | {p.row.gpu for p in book.rows("hardware")}
    return tuple(g for g in catalog if g.id in priced)


def known_engines() -> tuple[str, ...]:
    """Engine names the estimator knows (for --engine's hint)."""
    return ENGINES


def known_precisions() -> tuple[str, ...]:
    """Precision names the estimator knows (for --precision's hint)."""
    return PRECISIONS
