"""How a throughput estimate's error band reads: the range of actual throughput it allows, in one wording.

The band b is the p90 of the factor error max(estimate / actual, actual / estimate) - 1 over held-out benchmarks
(throughput/holdout.py, scoring.factor_error; a time per token counts as the rate it gives). Every command reads it as
one range of actual throughput: estimate / (1 + b) to estimate x (1 + b), which holds 9 in 10 of those benchmarks by
construction, the 5th and 95th percentiles of the lognormal that `simulate` samples (median 1, sigma ln(1 + b) /
1.645). Until session 19 b was the p90 of |estimate - actual| / actual, read the same way: a TPOT row half its
estimate (a rate 2x) counted 0.5, and an underestimate by 1.6x 0.38, so only 45 of the 53 vllm server rows lay in the
0.61x-1.63x it gave (audit19). Reading the band as |error| up to b instead would allow any capacity once b reaches
100% (an underestimate's relative error never does), and a report would cost the option at one replica however much it
serves.
Written as "±108%", a band above 100% reads as a possibly negative throughput, so every command and format
states the factor range instead: "0.48x to 2.08x the estimate", "0.48x-2.08x".

Where published runs that cover the configuration measured what the estimator does not model yet
(throughput/unmodelled.json: DeepSeek-R1 at 0.22x-0.71x of its estimate on every engine; gpt-oss-20b's 1000-request
bursts on SGLang and TensorRT-LLM only for those engines at full load; Llama 3.1 405B at FP8 with vLLM only on gfx942
GPUs, where dstack ran Meta's FP8 checkpoint: unmodelled.gap_for), the band alone would hide
them, so the range an option is costed and simulated with (ActualRange, resolved once per configuration by range_for)
spans both: from the lower of the two low ends to the higher of the two high ends, and says which it came from.
Likewise where the held-out benchmarks of the GPU's architecture lie mostly on one side of the estimate
(throughput/architecture_bias.py: MI300X's gfx942, 0.27x-1.39x, median 0.67x), the range spans theirs too.

Which band it is and how many held-out benchmarks it rests on (band_words.BandBasis, counted by
throughput/band_basis.py) travel with the range, and every surface says them in band_words.basis_words' words:
'vllm server band: 9 in 10 of 53 held-out benchmarks', or 'overall band: 9 in 10 of 334 held-out benchmarks; llamacpp
offline has 14' where the class has too few rows for a band of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from costcalc.band_words import SHARE_WITHIN_OF_TEN as SHARE_WITHIN_OF_TEN
from costcalc.band_words import BandBasis as BandBasis
from costcalc.band_words import basis_words as basis_words

if TYPE_CHECKING:
    from costcalc.catalog.specs import GpuSpec, ModelSpec
    from costcalc.throughput.architecture_bias import ArchitectureBias
    from costcalc.throughput.unmodelled import UnmodelledGap

# held_out_band: both ends the band's; published_runs: published runs of the model's architecture moved an end;
# architecture_runs: only the held-out benchmarks of the GPU's architecture did
RangeSource = Literal["held_out_band", "published_runs", "architecture_runs"]


@dataclass(frozen=True)
class ActualRange:
    """Actual throughput as factors of the estimate, 9 times in 10, and where its ends come from.

    `source` is "held_out_band" when both ends are the band's (leave-one-source-out p90), "published_runs" when
    published runs of the architecture reach past the band at either end (`published_*`: their 5th/95th
    percentiles of actual / estimate, present whenever such runs exist, even inside the band), "architecture_runs"
    when only the held-out benchmarks of the GPU's architecture do (`architecture*`: their 5th/95th percentiles,
    present wherever that architecture's benchmarks are biased: architecture_bias.py).
    """

    low: float
    high: float
    source: RangeSource
    band: float | None = None  # the held-out p90 factor error it starts from
    published_model: str | None = None  # the catalog model the published runs measured
    published_low: float | None = None
    published_high: float | None = None
    band_basis: BandBasis | None = None  # which band `band` is and the held-out rows behind it (None: not known)
    architecture: str | None = None  # the GPU's kernel architecture whose held-out benchmarks are biased ('gfx942')
    architecture_low: float | None = None
    architecture_high: float | None = None

    @property
    def widened(self) -> bool:
        """True where published runs or the architecture's held-out benchmarks moved an end past the band's."""
        return self.source != "held_out_band"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ActualRange:
        """The range back from asdict (a stored recommend basis)."""
        basis = d.get("band_basis")
        return cls(**{**d, "band_basis": None if basis is None else BandBasis(**basis)})


def widened_range(
    band: float | None,
    published: UnmodelledGap | None,
    basis: BandBasis | None = None,
    architecture: ArchitectureBias | None = None,
) -> ActualRange | None:
    """The band's range, widened to the published runs' and to the GPU architecture's held-out benchmarks' where they
    reach past it; None with none of them. `basis`: the band's class and held-out rows, carried for the words."""
    if not band and published is None and architecture is None:
        return None
    low, high = actual_range(band) if band else (1.0, 1.0)
    lowest, highest = low, high
    if published is not None:
        lowest, highest = min(lowest, published.low), max(highest, published.high)
    source: RangeSource = "published_runs" if (lowest, highest) != (low, high) else "held_out_band"
    if architecture is not None:
        widest = min(lowest, architecture.low), max(highest, architecture.high)
        if widest != (lowest, highest) and source == "held_out_band":
            source = "architecture_runs"
        lowest, highest = widest
    return ActualRange(
        lowest,
        highest,
        source,
        band or None,
        None if published is None else published.model,
        None if published is None else published.low,
        None if published is None else published.high,
        basis if band else None,
        None if architecture is None else architecture.architecture,
        None if architecture is None else architecture.low,
        None if architecture is None else architecture.high,
    )


def range_for(
    band: float | None,
    model: ModelSpec,
    engine: str,
    scenario: str,
    gpu: GpuSpec | None = None,
    precision: str | None = None,
) -> ActualRange | None:
    """The range an estimate of `model` on `gpu` at `precision` with `engine` at load class `scenario` with this band
    allows (the band quoted for that engine and class), with that band's basis: the one place it is resolved (report,
    simulate, recommend and estimate all read it). `gpu` None: no architecture's benchmarks widen it; `gpu` or
    `precision` None: no published runs kept to one GPU architecture and precision do (unmodelled.py's engine_gpu)."""
    from costcalc.throughput.architecture_bias import bias_for
    from costcalc.throughput.band_basis import class_basis
    from costcalc.throughput.unmodelled import gap_for

    arch = None if gpu is None else bias_for(gpu)
    published = gap_for(model, engine, scenario, gpu, precision)
    return widened_range(band, published, class_basis(engine, scenario, band), arch)


def range_warnings(
    model: ModelSpec, gpu: GpuSpec, engine: str, scenario: str, precision: str | None = None
) -> tuple[str, ...]:
    """The warnings that say why range_for widened a range, in one place for every surface: the published runs of the
    model's architecture (unmodelled.gap_warning), then the GPU architecture's held-out benchmarks
    (architecture_bias.bias_warning)."""
    from costcalc.throughput.architecture_bias import bias_warning
    from costcalc.throughput.unmodelled import gap_warning

    published = gap_warning(model, engine, scenario, gpu, precision)
    return tuple(w for w in (published, bias_warning(gpu)) if w is not None)


def actual_range(band: float) -> tuple[float, float]:
    """(low, high) factors on the estimate between which actual throughput lies 9 times in 10."""
    return 1.0 / (1.0 + band), 1.0 + band


def _factor(x: float) -> str:
    """'0.48x', '2.08x'."""
    return f"{x:.2f}x"


def band_short(band: float) -> str:
    """'0.48x-2.08x': actual throughput as factors of the estimate, for a table cell."""
    low, high = actual_range(band)
    return f"{_factor(low)}-{_factor(high)}"


def band_long(band: float) -> str:
    """'0.48x to 2.08x the estimate in 9 of 10 benchmarks', for a sentence ("actual throughput ...")."""
    low, high = actual_range(band)
    return f"{_factor(low)} to {_factor(high)} the estimate in {SHARE_WITHIN_OF_TEN} of 10 benchmarks"


def range_short(r: ActualRange) -> str:
    """'0.48x-2.08x': the range's factors, for a table cell (the band's wording when it is the band)."""
    return f"{_factor(r.low)}-{_factor(r.high)}"


def _basis(r: ActualRange) -> str:
    """' (vllm server band: 9 in 10 of 53 held-out benchmarks)' where the range knows its band's basis, else ''."""
    return "" if r.band_basis is None or not r.band else f" ({basis_words(r.band_basis)})"


def _reaching(r: ActualRange) -> list[tuple[str, str, float, float]]:
    """The evidence that reaches past the band's ends (all of it without a band), as (kind, name, low, high): the
    published runs of the model's architecture, then the GPU architecture's held-out benchmarks."""
    low, high = actual_range(r.band) if r.band else (1.0, 1.0)
    found: list[tuple[str, str, float, float]] = []
    if r.published_model is not None and r.published_low is not None and r.published_high is not None:
        found.append(("published", r.published_model, r.published_low, r.published_high))
    if r.architecture is not None and r.architecture_low is not None and r.architecture_high is not None:
        found.append(("architecture", r.architecture, r.architecture_low, r.architecture_high))
    return [f for f in found if not r.band or f[2] < low or f[3] > high]


def range_long(r: ActualRange) -> str:
    """The range for a sentence ("actual ..."), with its band's basis, naming its sources when published runs or the
    GPU architecture's held-out benchmarks widened it: '0.58x to 1.73x the estimate (vllm server band: 9 in 10 of 53
    held-out benchmarks)', '0.22x to 1.85x the estimate, from published runs of deepseek-r1 at 0.22x-0.71x and
    held-out benchmarks at 0.54x-1.85x, 9 of 10 each (vllm offline band: 9 in 10 of 82 held-out benchmarks)', '0.27x
    to 1.77x the estimate, from held-out benchmarks on gfx942 at 0.27x-1.39x and held-out benchmarks at
    0.57x-1.77x, 9 of 10 each (vllm server band: ...)'."""
    if not r.widened and r.band:  # the band's own words, with its basis where known
        return (
            band_long(r.band)
            if r.band_basis is None
            else f"{_factor(r.low)} to {_factor(r.high)} the estimate{_basis(r)}"
        )
    said = f"{_factor(r.low)} to {_factor(r.high)} the estimate"
    parts = [
        f"published runs of {name} at {_factor(low)}-{_factor(high)}"
        if kind == "published"
        else f"held-out benchmarks on {name} at {_factor(low)}-{_factor(high)}"
        for kind, name, low, high in _reaching(r)
    ]
    if r.band:
        parts.append(f"held-out benchmarks at {band_short(r.band)}")
    each = " each" if len(parts) > 1 else ""
    return f"{said}, from {' and '.join(parts)}, {SHARE_WITHIN_OF_TEN} of 10{each}{_basis(r)}"


def range_cited(r: ActualRange) -> str:
    """The range's factors and what they rest on, for an assumption line ("actual ..."): '0.58x-1.73x (vllm server
    band: 9 in 10 of 53 held-out benchmarks)', '0.22x-1.85x with published deepseek-r1 runs (vllm offline band:
    ...)'."""
    said = range_short(r)
    if r.widened:
        said += f" with {range_source(r)}"
    return said + _basis(r)


def range_source(r: ActualRange) -> str:
    """Where the range comes from, in a few words: 'held-out band', 'published deepseek-r1 runs', 'held-out gfx942
    benchmarks' (or both, joined by 'and')."""
    if not r.widened:
        return "held-out band"
    words = [
        f"published {name} runs" if kind == "published" else f"held-out {name} benchmarks"
        for kind, name, _, _ in _reaching(r)
    ]
    return " and ".join(words) or "held-out band"
