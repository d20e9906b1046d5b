"""The Python API (the facade): load a scenario, analyze it, what-if, estimate throughput. Nothing in the package imports it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.errors import InputError
from costcalc.models import Scenario
from costcalc.pricing.book import PriceBook, Priced
from costcalc.pricing.schema import PriceRow
from costcalc.report.result import Result

if TYPE_CHECKING:  # what-if results; pandas is imported only when used
    import pandas as pd

    from costcalc.analysis.curves import CostCurves
    from costcalc.analysis.simulate import Simulation
    from costcalc.resolve.scenario import ResolvedScenario
    from costcalc.throughput.estimate import Estimate


def load_scenario(
    source: str | Path | dict[str, Any],
    *,
    overrides: Sequence[str] = (),
    workload_file: str | Path | None = None,
) -> Scenario:
    """A validated Scenario from a file path ('-' = stdin), a YAML string, or a dict; `overrides` are PATH=VALUE."""
    from costcalc.scenario.loaders import load_scenario as _load

    if workload_file is not None and not isinstance(workload_file, (str, Path)):
        raise InputError(f"a path to a usage YAML file, not {_kind(workload_file)}", param="workload_file")
    workload = None if workload_file is None else str(workload_file)
    return _load(source, overrides=_texts(overrides, "overrides"), workload_file=workload)


def analyze(
    scenario: Scenario | str | Path | dict[str, Any],
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
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
        pricing_files=_texts(pricing_files, "pricing_files"),
        pricing_lock=pricing_lock,
        prices=_book(prices),
        today=_day(today),
    )


def analyze_with_curves(
    scenario: Scenario | str | Path | dict[str, Any],
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    today: dt.date | str | None = None,
) -> tuple[Result, CostCurves]:
    """`analyze` plus each option's cost-versus-volume curve (costcalc.analysis.curves.CostCurves), resolved once."""
    from costcalc.analysis.run import analyze_with_curves as _analyze_with_curves

    return _analyze_with_curves(
        scenario,
        overrides=_texts(overrides, "overrides"),
        pricing_files=_texts(pricing_files, "pricing_files"),
        pricing_lock=pricing_lock,
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
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    today: dt.date | str | None = None,
) -> PriceBook:
    """The prices a scenario is costed with (see `analyze`), each series at its row valid on `today` (default:
    the wall clock's day)."""
    from costcalc.resolve.book import price_book as _price_book

    return _price_book(
        scenario,
        pricing_files=_texts(pricing_files, "pricing_files"),
        pricing_lock=pricing_lock,
        prices=_book(prices),
        on=_day(today),
    )


def used_prices(scenario: Scenario, book: PriceBook) -> list[tuple[str, Priced[PriceRow]]]:
    """(table, priced row) of every price the scenario's report uses: what a lock file pins."""
    from costcalc.resolve.book import used_prices as _used_prices

    return _used_prices(scenario, book)


def estimate_throughput(
    *,
    gpu: str,
    model: str,
    gpus: int = 1,
    precision: str | None = None,
    engine: str = "vllm",
    input_tokens: int,
    output_tokens: int,
    concurrency: int | None = None,
) -> Estimate:
    """Analytical estimate for catalog ids (see costcalc.throughput.estimate.Estimate); a bad argument raises an
    InputError naming it ('gpus=: must be at least 1, got 0')."""
    from costcalc.throughput.estimate import estimate_ids

    try:
        return estimate_ids(
            gpu,
            model,
            gpu_count=gpus,
            precision=precision,
            engine=engine,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            concurrency=concurrency,
        )
    except InputError as exc:
        if exc.param != "gpu_count":
            raise
        raise type(exc)(exc.detail, param="gpus", mentions=exc.mentions) from None  # this function's name for it


def sweep(
    scenario: Scenario | str | Path | dict[str, Any],
    vary: Sequence[str] = (),
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    variants: bool = True,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | str | None = None,
) -> pd.DataFrame:
    """Grid of every combination of `vary` ('PATH=START:STOP[:STEPS][:log]' or 'PATH=V1,V2'; one string is one
    input): a pandas DataFrame with each option's monthly cost (the scenario's currency a month), the cheapest, the
    savings and break-even (tokens a month) per row (see costcalc.analysis.sweep), priced on `today` as `analyze`
    is."""
    from costcalc.analysis.sweep import sweep as _sweep

    return _sweep(
        scenario,
        _texts(vary, "vary"),
        overrides=_texts(overrides, "overrides"),
        pricing_files=_texts(pricing_files, "pricing_files"),
        pricing_lock=pricing_lock,
        prices=_book(prices),
        variants=variants,
        progress=progress,
        today=_day(today),
    )


def sensitivity(
    scenario: Scenario | str | Path | dict[str, Any],
    *,
    delta: float | str = 0.2,
    inputs: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    today: dt.date | str | None = None,
) -> pd.DataFrame:
    """Tornado table (pandas DataFrame): each numeric input swung ±delta, ranked by its effect on the monthly
    savings of the best self-hosted option vs the best API (see costcalc.analysis.sensitivity), priced on `today`
    as `analyze` is."""
    from costcalc.analysis.sensitivity import sensitivity as _sensitivity

    return _sensitivity(
        scenario,
        delta=delta,
        inputs=None if inputs is None else _texts(inputs, "inputs", empty=False),
        overrides=_texts(overrides, "overrides"),
        pricing_files=_texts(pricing_files, "pricing_files"),
        pricing_lock=pricing_lock,
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
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | str | None = None,
) -> Simulation:
    """Monte Carlo over the scenario's `{dist: ...}` inputs and the throughput estimate's error band: a
    Simulation with DataFrames (samples, summary, break_even, inputs) and probabilities, priced on `today` as
    `analyze` is."""
    from costcalc.analysis.simulate import simulate as _simulate

    return _simulate(
        scenario,
        samples=samples,
        seed=seed,
        throughput_band=throughput_band,
        overrides=_texts(overrides, "overrides"),
        pricing_files=_texts(pricing_files, "pricing_files"),
        pricing_lock=pricing_lock,
        prices=_book(prices),
        progress=progress,
        today=_day(today),
    )


# what each list-of-strings parameter holds, for the error that a list of something else gets
_TEXT_EXAMPLES = {
    "overrides": "['workload.requests_per_day=5000']",
    "pricing_files": "['prices.csv']",
    "vary": "['workload.requests_per_day=1000,2000'] or ['workload.requests_per_day=1e3:1e6:20:log']",
    "inputs": "['workload.requests_per_day'] (None: every numeric input)",
}


def _texts(value: str | Sequence[str], param: str, *, empty: bool = True) -> tuple[str, ...]:
    """A sequence of strings as a tuple; one string is one item (never its characters). Anything else (a number, a
    dict, a list holding numbers; an empty list where `empty` is False) is an InputError naming `param`."""
    example = _TEXT_EXAMPLES[param]
    items = (value,) if isinstance(value, str) else value
    if isinstance(items, (bytes, dict)) or not isinstance(items, Iterable):
        raise InputError(f"a list of strings such as {example}, not {_kind(value)}", param=param)
    texts = tuple(items)
    for item in texts:
        if not isinstance(item, str):
            raise InputError(f"a list of strings such as {example}; it holds {_kind(item)}", param=param)
    if not texts and not empty:
        raise InputError(f"the list is empty; give e.g. {_TEXT_EXAMPLES[param]}", param=param)
    return texts


def _book(prices: PriceBook | None) -> PriceBook | None:
    """`prices` when it is a PriceBook (or None), else an InputError naming it."""
    if prices is not None and not isinstance(prices, PriceBook):
        raise InputError(f"a costcalc.PriceBook (or None for the shipped prices), not {_kind(prices)}", param="prices")
    return prices


def _kind(value: object) -> str:
    """'int 5', "str '5'", 'dict': what was passed, short."""
    name = type(value).__name__
    return f"{name} {value!r}" if isinstance(value, (int, float, str)) and len(repr(value)) <= 40 else name


def _day(today: dt.date | str | None) -> dt.date | None:
    """`today` as a date: a datetime.date, a datetime (its date) or 'YYYY-MM-DD'; an InputError otherwise."""
    if today is None:
        return None
    if isinstance(today, dt.datetime):
        return today.date()
    if isinstance(today, dt.date):
        return today
    if isinstance(today, str):
        try:
            return dt.date.fromisoformat(today)
        except ValueError:
            raise InputError(f"{today!r} is not a date; use YYYY-MM-DD", param="today") from None
    raise InputError(f"a date (datetime.date or 'YYYY-MM-DD'), not {type(today).__name__}", param="today")
