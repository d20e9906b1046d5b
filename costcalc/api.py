"""The Python API (the facade): load a scenario, analyze it, what-if, estimate throughput. Nothing in the package imports it."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.errors import InputError
from costcalc.models import Scenario
from costcalc.params import callback as _callback
from costcalc.params import day as _day
from costcalc.params import flag as _flag
from costcalc.params import kind as _kind
from costcalc.params import path as _path
from costcalc.params import texts as _texts
from costcalc.pricing.book import PriceBook, Priced
from costcalc.pricing.schema import PriceRow
from costcalc.report.result import Result

if TYPE_CHECKING:  # what-if results; pandas is imported only when used
    import pandas as pd

    from costcalc.analysis.curves import CostCurves
    from costcalc.analysis.estimate_band import BandedEstimate
    from costcalc.analysis.simulate import Simulation
    from costcalc.catalog.specs import GpuSpec
    from costcalc.resolve.scenario import ResolvedScenario


def load_scenario(
    source: str | Path | dict[str, Any],
    *,
    overrides: Sequence[str] = (),
    workload_file: str | Path | None = None,
) -> Scenario:
    """A validated Scenario from a file path ('-' = stdin), a YAML string, or a dict; `overrides` are PATH=VALUE."""
    from costcalc.scenario.loaders import load_scenario as _load

    workload = _path(workload_file, "workload_file", "a usage YAML file")
    return _load(source, overrides=_texts(overrides, "overrides"), workload_file=workload)


def analyze(
    scenario: Scenario | str | Path | dict[str, Any],
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str | Path] = (),
    pricing_lock: str | Path | None = None,
    prices: PriceBook | None = None,
    today: dt.date | str | None = None,
) -> Result:
    """Cost every option of a scenario, with break-even, payback and a monthly timeline.

    Money in the Result is in its `currency` (USD unless the scenario sets one): monthly figures per month of
    730 hours, `cost_per_million_tokens` per 1M input + output tokens, volumes in tokens or requests per month.
    Prices: the lock file if given (exactly), else `prices` if given, else the shipped tables +
    the `pricing update` cache + `pricing_files`, with the scenario's own `pricing:` changes on top, each as
    valid on `today` (a date or 'YYYY-MM-DD'; default: the wall clock's day). Bad input raises InputError.
    """
    from costcalc.analysis.run import analyze as _analyze

    return _analyze(
        scenario,
        overrides=_texts(overrides, "overrides"),
        pricing_files=_texts(pricing_files, "pricing_files", paths=True),
        pricing_lock=_lock(pricing_lock),
        prices=_book(prices),
        today=_day(today),
    )


def analyze_with_curves(
    scenario: Scenario | str | Path | dict[str, Any],
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str | Path] = (),
    pricing_lock: str | Path | None = None,
    prices: PriceBook | None = None,
    today: dt.date | str | None = None,
) -> tuple[Result, CostCurves]:
    """`analyze` plus each option's cost-versus-volume curve (costcalc.analysis.curves.CostCurves), resolved once."""
    from costcalc.analysis.run import analyze_with_curves as _analyze_with_curves

    return _analyze_with_curves(
        scenario,
        overrides=_texts(overrides, "overrides"),
        pricing_files=_texts(pricing_files, "pricing_files", paths=True),
        pricing_lock=_lock(pricing_lock),
        prices=_book(prices),
        today=_day(today),
    )


def resolve(scenario: Scenario, book: PriceBook) -> ResolvedScenario:
    """The scenario joined with prices, catalogs and throughput; lookup errors point at the scenario's line."""
    from costcalc.resolve.scenario import resolve_scenario

    return resolve_scenario(scenario, book)


def price_book(
    scenario: Scenario,
    *,
    pricing_files: Sequence[str | Path] = (),
    pricing_lock: str | Path | None = None,
    prices: PriceBook | None = None,
    today: dt.date | str | None = None,
) -> PriceBook:
    """The prices a scenario is costed with (see `analyze`), each series at its row valid on `today` (default:
    the wall clock's day)."""
    from costcalc.resolve.book import price_book as _price_book

    return _price_book(
        scenario,
        pricing_files=_texts(pricing_files, "pricing_files", paths=True),
        pricing_lock=_lock(pricing_lock),
        prices=_book(prices),
        on=_day(today),
    )


def used_prices(scenario: Scenario, book: PriceBook) -> list[tuple[str, Priced[PriceRow]]]:
    """(table, priced row) of every price the scenario's report uses: what a lock file pins."""
    from costcalc.resolve.book import used_prices as _used_prices

    return _used_prices(scenario, book)


def estimate_throughput(
    *,
    gpu: str | Mapping[str, Any],
    model: str,
    gpus: int = 1,
    precision: str | None = None,
    engine: str = "vllm",
    input_tokens: int,
    output_tokens: int,
    concurrency: int | None = None,
    engine_version: str | None = None,
    engine_args: str | None = None,
) -> BandedEstimate:
    """Analytical estimate for catalog ids (see costcalc.throughput.estimate.Estimate) with, as `estimate -f json`
    writes them, its `actual_range`, the `band` object behind it and the `published_runs` nearest it (None where it
    does not fit); a bad argument
    raises an InputError naming it ('gpus=: must be at least 1, got 0'). engine_version: the engine release the
    server runs ('b5540', '0.6.3'); engine_args: the flags it starts with, those the estimator reads ('-np 8',
    '--max-num-seqs 64'), as `estimate --engine-version / --engine-args` and a scenario option take them. `gpu`: a
    catalog id, or a GPU the catalog lacks as a mapping of a scenario's custom_gpu keys ({'name': 'my-gpu', 'like':
    'h100-sxm-80gb', 'memory_gb': 141, ...}), checked as `estimate --gpu-spec` checks its file."""
    from costcalc.analysis.estimate_band import banded, estimate_band
    from costcalc.analysis.published_runs import estimate_runs
    from costcalc.render.estimate import band_dict
    from costcalc.throughput import arguments
    from costcalc.throughput.estimate import estimate_ids

    for name, count in (("input_tokens", input_tokens), ("output_tokens", output_tokens), ("concurrency", concurrency)):
        if count is not None:  # whole tokens and requests, as the command line's flags take them; the least: below
            arguments.number(count, name, least=-math.inf, whole=True)
    if not isinstance(gpu, str | Mapping):  # said as its two forms, not only the id's
        raise InputError(f"a catalog GPU id or a mapping of custom_gpu keys, not {type(gpu).__name__}", param="gpu")
    spec = _custom_gpu(gpu, model, precision, engine, engine_args, engine_version) if isinstance(gpu, Mapping) else gpu
    try:
        e = estimate_ids(
            spec,
            model,
            gpu_count=gpus,
            precision=precision,
            engine=engine,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            concurrency=concurrency,
            engine_version=engine_version,
            engine_args=engine_args,
        )
    except InputError as exc:
        if exc.param != "gpu_count":
            raise
        raise type(exc)(exc.detail, param="gpus", mentions=exc.mentions) from None  # this function's name for it
    if not e.fits:
        return banded(e, None, None)
    on = None if isinstance(spec, str) else spec  # a custom GPU: its spec, not a catalog id (estimate_ids took it)
    b = estimate_band(e, gpu=on)
    return banded(e, b.actual, band_dict(b.basis, b.concurrency), estimate_runs(e, gpu=on))


def _custom_gpu(
    gpu: Mapping[str, Any],
    model: str,
    precision: str | None,
    engine: str,
    engine_args: str | None,
    engine_version: str | None,
) -> GpuSpec:
    """estimate_throughput's custom GPU: the mapping checked as a scenario's custom_gpu (errors at gpu.<key>)."""
    from costcalc.catalog import get_model
    from costcalc.resolve.custom_gpu import custom_gpu_of, estimable_spec, stated_kv_cache_dtype
    from costcalc.throughput import arguments
    from costcalc.throughput.estimate import check_engine
    from costcalc.throughput.memory import check_precision

    written = arguments.text(precision, "precision") if precision is not None else None
    prec = check_precision(written if written is not None else get_model(model, param="model").native_precision)
    eng = check_engine(arguments.text(engine, "engine"))
    kv_cache = stated_kv_cache_dtype(eng, engine_args, engine_version)
    source = "estimate_throughput(gpu=...)"
    return estimable_spec(custom_gpu_of(gpu, "gpu"), "gpu", prec, eng, source=source, kv_cache_dtype=kv_cache)


def sweep(
    scenario: Scenario | str | Path | dict[str, Any],
    vary: Sequence[str] = (),
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str | Path] = (),
    pricing_lock: str | Path | None = None,
    prices: PriceBook | None = None,
    variants: bool = True,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | str | None = None,
    interpolate_lengths: bool = False,
    jobs: int | None = None,
) -> pd.DataFrame:
    """Grid of every combination of `vary` ('PATH=START:STOP[:STEPS][:log]' or 'PATH=V1,V2'; one string is one
    input): a pandas DataFrame with each option's monthly cost (the scenario's currency a month), the cheapest, the
    savings and break-even (tokens a month) per row (see costcalc.analysis.sweep), priced on `today` as `analyze`
    is. `interpolate_lengths`: a sweep of one request length, or of the input and output lengths together, reads
    capacity between searches at request lengths 9% apart (much faster; within 2.2% of a search on the examples,
    3.6% for the two together, but a cost near a replica boundary can move by a replica: explore with it, quote
    analyze with overrides; attrs['warnings'] says so). `jobs`: processes for the points that each search a
    replica's capacity (a request length or GPU count varied), worker processes searching ahead of this one: the same
    rows, sooner where CPUs are free (None: the usable CPUs on Linux, at most 8, else 1; 1: this process alone; fewer
    than 2 such points a worker: alone)."""
    from costcalc.analysis.sweep import sweep as _sweep

    return _sweep(
        scenario,
        _texts(vary, "vary"),
        overrides=_texts(overrides, "overrides"),
        pricing_files=_texts(pricing_files, "pricing_files", paths=True),
        pricing_lock=_lock(pricing_lock),
        prices=_book(prices),
        variants=_flag(variants, "variants"),
        progress=_callback(progress, "progress"),
        today=_day(today),
        interpolate_lengths=_flag(interpolate_lengths, "interpolate_lengths"),
        jobs=jobs,
    )


def sensitivity(
    scenario: Scenario | str | Path | dict[str, Any],
    *,
    delta: float | str = 0.2,
    inputs: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str | Path] = (),
    pricing_lock: str | Path | None = None,
    prices: PriceBook | None = None,
    today: dt.date | str | None = None,
) -> pd.DataFrame:
    """Tornado table (pandas DataFrame): each numeric input swung ±delta, ranked by its effect on what self-hosting
    saves accrued over the whole horizon (the best API option's horizon total minus the best self-hosted option's;
    without both kinds, the cheapest option's horizon total: `attrs['metric']` says which, `attrs['base_metric']`
    its value), as `costcalc sensitivity` ranks them (see costcalc.analysis.sensitivity), priced on `today` as
    `analyze` is."""
    from costcalc.analysis.sensitivity import sensitivity as _sensitivity

    return _sensitivity(
        scenario,
        delta=delta,
        inputs=None if inputs is None else _texts(inputs, "inputs", empty=False),
        overrides=_texts(overrides, "overrides"),
        pricing_files=_texts(pricing_files, "pricing_files", paths=True),
        pricing_lock=_lock(pricing_lock),
        prices=_book(prices),
        today=_day(today),
    )


def simulate(
    scenario: Scenario | str | Path | dict[str, Any],
    *,
    samples: int = 10_000,
    seed: int | None = None,
    throughput_band: bool = True,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str | Path] = (),
    pricing_lock: str | Path | None = None,
    prices: PriceBook | None = None,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | str | None = None,
    interpolate_lengths: bool = False,
) -> Simulation:
    """Monte Carlo over the scenario's `{dist: ...}` inputs and the throughput estimate's error band: a
    Simulation with DataFrames (samples, summary, break_even, inputs) and probabilities, priced on `today` as
    `analyze` is. `interpolate_lengths`: a sampled request length, or sampled input and output lengths, read
    capacity between searches at request lengths 9% apart (much faster; within 2.2% of a search on the examples,
    3.6% for the two together, but a cost near a replica boundary can move by a replica: explore with it; a note
    says so)."""
    from costcalc.analysis.simulate import simulate as _simulate

    return _simulate(
        scenario,
        samples=samples,
        seed=seed,
        throughput_band=_flag(throughput_band, "throughput_band"),
        overrides=_texts(overrides, "overrides"),
        pricing_files=_texts(pricing_files, "pricing_files", paths=True),
        pricing_lock=_lock(pricing_lock),
        prices=_book(prices),
        progress=_callback(progress, "progress"),
        today=_day(today),
        interpolate_lengths=_flag(interpolate_lengths, "interpolate_lengths"),
    )


def _lock(pricing_lock: str | Path | None) -> str | None:
    """The lock file's path (a str or a pathlib.Path), or None; anything else is an InputError naming it."""
    return _path(pricing_lock, "pricing_lock", "a lock file written by `costcalc pricing lock`")


def _book(prices: PriceBook | None) -> PriceBook | None:
    """`prices` when it is a PriceBook (or None), else an InputError naming it."""
    if prices is not None and not isinstance(prices, PriceBook):
        raise InputError(f"a costcalc.PriceBook (or None for the shipped prices), not {_kind(prices)}", param="prices")
    return prices
