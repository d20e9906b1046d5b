"""The published benchmark runs nearest an estimated configuration: has anyone measured this GPU with this engine and
model, and if not, what nearest was measured, and how far the estimator was from it.

The runs are the held-out rows an error band counts (analysis/benchmarks.py: output rates and times per token of
calibration_data.csv, each with the estimate of the fit that did not see its source, calibration_holdout.csv). The rows
of one run (one source, one configuration: an output rate and a TPOT measured together) count as one run, read at its
output rate where it has one.

Ranking rule. A run matches the configuration at the first of these levels it meets, nearest first:
1. the same GPU, engine and model ('gpt-oss-120b with vllm on h100-sxm-80gb');
2. the same model and engine on another GPU of the same vendor, i.e. the same kernel backend (CUDA on NVIDIA, ROCm on
   AMD, Metal on Apple);
3. the same GPU and engine with another model;
4. the same engine on another GPU of the same kernel architecture (throughput/architecture.py: sm89 holds the L40S,
   L4 and RTX 4090);
5. the same engine on another GPU of the same class (throughput/factors.gpu_class: HBM, GDDR or LPDDR memory, Apple
   silicon).
The model comes before the GPU: the same model on another GPU of the backend runs the kernels this estimate rests on
(its weight format, MoE routing, attention), where another model on this GPU shares only the GPU's bandwidth and
compute, which are datasheet figures. On another vendor's GPU the same model runs other kernels (llama.cpp's Metal
kernels on an M3 Max are not its CUDA kernels on an RTX 3090), so such a run counts only where a later level takes it:
the class level where the two GPUs share a class (an MI300X and an H100 both have HBM), none between Apple
chips and the others. A run of another engine matches no level: it says nothing of this engine's kernels and
scheduler.
The nearest three
levels that hold runs are kept, each with its count of runs, the lowest and highest actual / held-out estimate among
them, and its closest run: the first by, in turn, the same load class (a report's capacity is a server's), the same GPU
count, the same precision, the nearest prompt and answer lengths (|ln((in + 1) / (in' + 1))| + |ln((out + 1) / (out' +
1))|), the newest source, the case id. No weights: each key only breaks the ties of the one before.

A level of the configuration's own model whose runs are all at other precisions says theirs ('qwen3-32b at bf16 with
vllm on h100-sxm-80gb' for an fp8 estimate): they count at the level, and the words do not let them pass for runs of
the estimate's own weights.

The summary says which level was met: '8 published runs of gpt-oss-120b with vllm on h100-sxm-80gb measured 0.66x-1.05x
their held-out estimates', or where none ran this configuration, what is missing and the nearest that is not ('no
published run of trtllm on rtx-5090-32gb; nearest: gpt-oss-20b with trtllm on other GPUs, 4 runs at ...'): the warning
an extrapolation deserves. A report's verdict says that warning after the option's band; its details, the sources of
Markdown and HTML, `estimate`, recommend and every JSON say the levels and their closest runs.

Where runs of the configuration itself exist, the verdict says them only where they disagree with the option's
range (report/run_evidence.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from costcalc.catalog.specs import CustomGpuSpec, GpuSpec
from costcalc.report.nearest_runs import NearestRuns, PublishedRun, RunLevel
from costcalc.throughput.architecture import ARCHITECTURES, gpu_architecture
from costcalc.throughput.factors import GPU_CLASS_WORDS, gpu_class
from costcalc.words import counted

if TYPE_CHECKING:
    from costcalc.analysis.benchmarks import Benchmark
    from costcalc.resolve.hardware import ResolvedSelfHosted
    from costcalc.resolve.scenario import ResolvedScenario
    from costcalc.throughput.estimate import Estimate

LEVELS = ("gpu_engine_model", "model_engine", "gpu_engine", "architecture_engine", "class_engine")
LEVELS_KEPT = 3
# each level in a table cell's few words (recommend's "Nearest runs" column)
LEVEL_SHORT = {
    "gpu_engine_model": "exact",
    "model_engine": "model+engine",
    "gpu_engine": "GPU+engine",
    "architecture_engine": "engine+arch.",
    "class_engine": "engine+class",
}
# a run's figure, in this order of preference among the metrics it was measured in
METRIC_ORDER = ("output_tokens_per_s", "decode_tokens_per_s", "tpot_ms")
GPUS_NAMED = 3  # at most this many GPUs named in a level's words
# what a report's published-run lines are, said once under its assumptions
RUNS_NOTE = (
    "Published runs: benchmarks of the estimator's calibration set nearest each estimated option (same GPU, engine and"
    " model first), each measured figure beside the estimate of the fit that did not see its source (held out): costcalc"
    " catalog benchmarks lists them all."
)


@dataclass(frozen=True)
class Configuration:
    """What an estimate ran: the GPU, its count, the model, precision, engine, load class and mean lengths."""

    gpu: GpuSpec
    gpu_count: int
    model: str
    precision: str
    engine: str
    load_class: str  # single, server or offline: the band's class
    input_tokens: float
    output_tokens: float


@functools.cache
def published_runs() -> tuple[PublishedRun, ...]:
    """Every held-out run an error band counts, one per source and configuration (read once a process)."""
    from costcalc.analysis.benchmarks import band_benchmarks  # the calibration tables: only where runs are asked for

    return tuple(
        _run(min(rows, key=lambda b: (METRIC_ORDER.index(b.metric), b.case_id)))
        for rows in runs_of(band_benchmarks().rows).values()
    )


def runs_of(rows: Sequence[Benchmark]) -> dict[tuple[str, ...], list[Benchmark]]:
    """Held-out rows grouped into runs: one source's rows of one configuration, lengths and load (an output rate and
    the TPOT measured with it are one run)."""
    runs: dict[tuple[str, ...], list[Benchmark]] = {}
    for b in rows:
        key = (b.source_url, b.gpu, str(b.gpu_count), b.model, b.precision, b.engine, b.load_class)
        runs.setdefault((*key, str(b.input_tokens), str(b.output_tokens), b.concurrency), []).append(b)
    return runs


def estimate_runs(e: Estimate, load_class: str | None = None, gpu: GpuSpec | None = None) -> NearestRuns:
    """The published runs nearest an Estimate's configuration (`costcalc estimate`), at `load_class` (default: the
    band's class of `e`; a capacity under an SLO: its serving estimate's), on `gpu` (default: the catalog's e.gpu; a
    custom GPU's spec)."""
    from costcalc.catalog import get_gpu

    config = Configuration(
        gpu if gpu is not None else get_gpu(e.gpu),
        e.gpu_count,
        e.model,
        e.precision,
        e.engine,
        load_class or e.band_scenario,
        float(e.input_tokens),
        float(e.output_tokens),
    )
    return nearest_runs(config)


def option_runs(opt: ResolvedSelfHosted, resolved: ResolvedScenario) -> NearestRuns | None:
    """The published runs nearest a scenario's estimated option's configuration at the workload's mean lengths (what
    its report, simulate and recommend name); None unless estimated."""
    t = opt.throughput
    if t.kind != "estimated" or t.engine is None or t.precision is None or t.load_class is None:
        return None
    shape = resolved.shape
    return nearest_runs(
        Configuration(
            opt.gpu,
            int(opt.plan.gpus_per_replica),
            opt.model.id,
            t.precision,
            t.engine,
            t.load_class,
            float(shape.input_tokens),
            float(shape.output_tokens),
        )
    )


def _run(b: Benchmark) -> PublishedRun:
    return PublishedRun(
        case_id=b.case_id,
        gpu=b.gpu,
        gpu_count=b.gpu_count,
        model=b.model,
        precision=b.precision,
        engine=b.engine,
        load_class=b.load_class,
        input_tokens=b.input_tokens,
        output_tokens=b.output_tokens,
        concurrency=b.concurrency,
        metric=b.metric,
        measured=b.measured,
        held_out_estimate=b.held_out_estimate,
        actual_over_estimate=b.actual_over_estimate,
        source_url=b.source_url,
        source_date=b.source_date,
    )


def nearest_runs(config: Configuration, runs: Sequence[PublishedRun] | None = None) -> NearestRuns:
    """The published runs nearest `config` (default: every shipped held-out run), by the module's ranking rule."""
    from costcalc.catalog import get_gpu

    by_level: dict[str, list[PublishedRun]] = {level: [] for level in LEVELS}
    arch, cls = gpu_architecture(config.gpu), gpu_class(config.gpu)
    custom = isinstance(config.gpu, CustomGpuSpec)  # no published run is of a custom GPU, whatever its name
    for run in published_runs() if runs is None else runs:
        if run.engine != config.engine:
            continue
        same_gpu = run.gpu == config.gpu.id and not custom
        same_model = run.model == config.model and get_gpu(run.gpu).vendor.lower() == config.gpu.vendor.lower()
        if same_gpu or same_model:
            level = "gpu_engine_model" if same_gpu and same_model else "model_engine" if same_model else "gpu_engine"
        elif arch is not None and ARCHITECTURES.get(run.gpu) == arch:
            level = "architecture_engine"
        elif gpu_class(get_gpu(run.gpu)) == cls:
            level = "class_engine"
        else:
            continue
        by_level[level].append(run)
    levels = tuple(_level(level, found, config) for level, found in by_level.items() if found)[:LEVELS_KEPT]
    return NearestRuns(
        exact=bool(by_level["gpu_engine_model"]), summary=_summary(config, levels, by_level), levels=levels
    )


def _closeness(run: PublishedRun, config: Configuration) -> tuple[bool, bool, bool, float, int, str]:
    """The closest-run key: same load class, GPU count and precision first, then the nearest lengths, the newest."""
    lengths = abs(math.log((run.input_tokens + 1) / (config.input_tokens + 1))) + abs(
        math.log((run.output_tokens + 1) / (config.output_tokens + 1))
    )
    return (
        run.load_class != config.load_class,
        run.gpu_count != config.gpu_count,
        run.precision != config.precision,
        round(lengths, 9),
        -_day(run.source_date),
        run.case_id,
    )


def _day(date: str) -> int:
    """An ISO source date as a day number (0 where it is not one: oldest)."""
    try:
        return dt.date.fromisoformat(date).toordinal()
    except ValueError:
        return 0


def _level(level: str, runs: list[PublishedRun], config: Configuration) -> RunLevel:
    factors = [r.actual_over_estimate for r in runs]
    median = statistics.median(factors)
    return RunLevel(
        match=level,
        words=_level_words(level, config, runs),
        other_precision=_other_precision(config, runs) or None,
        runs=len(runs),
        low=min(factors),
        high=max(factors),
        closest=min(runs, key=lambda r: _closeness(r, config)),
        median=median,
        one_side=sum(f < 1 for f in factors) if median < 1 else sum(f > 1 for f in factors),
    )


def _level_words(level: str, config: Configuration, runs: Sequence[PublishedRun] = (), *, named: bool = True) -> str:
    """What matched: 'gpt-oss-20b with vllm on l40s-48gb', 'gpt-oss-20b with vllm on other GPUs', followed where `runs`
    are given (and `named`) by the GPUs (or models) they ran: ' (h100-sxm-80gb, a100-sxm-80gb)', most runs first. A
    level of the configuration's model whose runs are all at another precision says theirs: 'qwen3-32b at bf16 with
    vllm on h100-sxm-80gb' for an fp8 estimate (the runs are of the model, not of its fp8 weights)."""
    engine, gpu = config.engine, config.gpu.id
    precision = _other_precision(config, runs)
    model = f"{config.model} at {precision}" if precision else config.model
    other = "models" if level == "gpu_engine" else "GPUs"
    said = {
        "gpu_engine_model": f"{model} with {engine} on {gpu}",
        "model_engine": f"{model} with {engine} on other GPUs",
        "gpu_engine": f"{engine} on {gpu} with other models",
        "architecture_engine": f"{engine} on other {gpu_architecture(config.gpu)} GPUs",
        "class_engine": f"{engine} on other {GPU_CLASS_WORDS[gpu_class(config.gpu)]}",
    }[level]
    if not runs or not named or level == "gpu_engine_model":
        return said
    names = [r.model if other == "models" else r.gpu for r in runs]
    ranked = sorted(set(names), key=lambda n: (-names.count(n), n))
    more = f" and {len(ranked) - GPUS_NAMED} more" if len(ranked) > GPUS_NAMED else ""
    return f"{said} ({', '.join(ranked[:GPUS_NAMED])}{more})"


def _other_precision(config: Configuration, runs: Sequence[PublishedRun]) -> str:
    """'bf16' ('fp8 or bf16', most runs first) where `runs` of the configuration's model ran none at its precision;
    '' where one did, or the runs are of other models. A level's words and its table cell say it (RunLevel's
    other_precision)."""
    ours = [r.precision for r in runs if r.model == config.model]
    if not ours or len(ours) < len(runs) or config.precision in ours:
        return ""
    return " or ".join(sorted(set(ours), key=lambda p: (-ours.count(p), p)))


def spread(level: RunLevel) -> str:
    """'4 runs at 0.31x-1.36x their held-out estimates', '1 run at 0.89x its held-out estimate'."""
    return f"{counted(level.runs, 'run')} at {_factors(level)}"


def _factors(level: RunLevel) -> str:
    """'0.31x-1.36x their held-out estimates', '0.89x its held-out estimate': actual / held-out estimate."""
    if level.runs == 1:
        return f"{level.low:.2f}x its held-out estimate"
    return f"{level.low:.2f}x-{level.high:.2f}x their held-out estimates"


def _summary(config: Configuration, levels: tuple[RunLevel, ...], by_level: dict[str, list[PublishedRun]]) -> str:
    """'9 published runs of ... measured ...' where runs of this GPU, engine and model exist, else what is missing
    and the nearest level's runs."""
    engine, gpu = config.engine, config.gpu.id
    if by_level["gpu_engine_model"]:
        first = levels[0]
        return f"{counted(first.runs, 'published run')} of {first.words} measured {_factors(first)}"
    missing = f"{config.model} with {engine} on {gpu}" if by_level["gpu_engine"] else f"{engine} on {gpu}"
    if not levels:
        return f"no published run of {missing}, nor of {engine} on a GPU of its architecture or class"
    nearest = _level_words(levels[0].match, config, by_level[levels[0].match], named=False)
    return f"no published run of {missing}; nearest: {nearest}, {spread(levels[0])}"


def run_words(run: PublishedRun) -> str:
    """'tp-240: 1x h100-sxm-80gb, mxfp4, server, 229/217 tokens, 4 in flight: 453 output tokens/s measured, 510
    estimated held out (0.89x); 2026-01-06, <url>'."""
    flight = "as many as fit" if not run.concurrency else f"{_count(run.concurrency)} in flight"
    unit = {"output_tokens_per_s": "output tokens/s", "decode_tokens_per_s": "decode tokens/s", "tpot_ms": "ms TPOT"}
    return (
        f"{run.case_id}: {run.gpu_count}x {run.gpu}, {run.precision}, {run.load_class}, {run.input_tokens:,}/"
        f"{run.output_tokens:,} tokens, {flight}: {_number(run.measured)} {unit[run.metric]} measured,"
        f" {_number(run.held_out_estimate)} estimated held out ({run.actual_over_estimate:.2f}x); {run.source_date},"
        f" {run.source_url}"
    )


def _count(text: str) -> str:
    """A count as the lengths beside it are written: '1024' -> '1,024' (as written where it is not a whole number)."""
    return f"{int(text):,}" if text.isdigit() else text


def _number(value: float) -> str:
    """1,443 / 11.7 / 8.31: three significant figures below 100, whole numbers above."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def nearest_cell(found: NearestRuns | None) -> str:
    """'exact: 9', 'model+engine: 4', 'none': what the nearest published runs share with the configuration and how
    many they are, for a table cell; 'exact at bf16: 5' where they are runs of its model at other precisions only (as
    their words say it); '-' without them (not estimated)."""
    if found is None:
        return "-"
    if not found.levels:
        return "none"
    first = found.levels[0]
    precision = f" at {first.other_precision}" if first.other_precision else ""
    return f"{LEVEL_SHORT[first.match]}{precision}: {first.runs}"


def level_lines(found: NearestRuns) -> list[str]:
    """One line per level: what matched, its spread, and its closest run."""
    return [f"{level.words}, {spread(level)}; closest {run_words(level.closest)}" for level in found.levels]


__all__ = [
    "RUNS_NOTE",
    "Configuration",
    "runs_of",
    "estimate_runs",
    "level_lines",
    "nearest_runs",
    "option_runs",
    "published_runs",
    "run_words",
    "spread",
]
