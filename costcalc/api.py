"""The Python API: load a scenario, analyze it, estimate throughput; the CLI is a thin layer over these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.errors import InputError
from costcalc.models import Scenario
from costcalc.pricing.book import PriceBook
from costcalc.result import Result

if TYPE_CHECKING:  # what-if results; pandas is imported only when used
    import pandas as pd

    from costcalc.analysis.simulate import Simulation


def load_scenario(
    source: str | Path | dict[str, Any],
    *,
    overrides: Sequence[str] = (),
    workload_file: str | None = None,
) -> Scenario:
    """A validated Scenario from a file path ('-' = stdin), a YAML string, or a dict; `overrides` are PATH=VALUE."""
    from costcalc.loaders import load_scenario as _load

    return _load(source, overrides=overrides, workload_file=workload_file)


def analyze(
    scenario: Scenario | str | Path | dict[str, Any],
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    today: dt.date | None = None,
) -> Result:
    """Cost every option of a scenario, with break-even, payback and a monthly timeline.

    Prices: the lock file if given (exactly), else `prices` if given, else the shipped tables +
    the `pricing update` cache + `pricing_files`, with the scenario's own `pricing:` changes on top.
    """
    return _analyze_resolved(
        scenario,
        overrides=overrides,
        pricing_files=pricing_files,
        pricing_lock=pricing_lock,
        prices=prices,
        today=today,
    )[0]


def analyze_with_curves(
    scenario: Scenario | str | Path | dict[str, Any],
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
    today: dt.date | None = None,
) -> tuple[Result, Any]:
    """`analyze` plus each option's cost-versus-volume curve (costcalc.curves.CostCurves), resolved once."""
    from costcalc.curves import cost_curves

    result, resolved, per_usd = _analyze_resolved(
        scenario,
        overrides=overrides,
        pricing_files=pricing_files,
        pricing_lock=pricing_lock,
        prices=prices,
        today=today,
    )
    marks = [b.tokens_per_month for b in result.break_even if b.tokens_per_month is not None]
    return result, cost_curves(resolved, include_tokens_per_month=marks, per_usd=per_usd)


def _analyze_resolved(
    scenario: Scenario | str | Path | dict[str, Any],
    *,
    overrides: Sequence[str],
    pricing_files: Sequence[str],
    pricing_lock: str | None,
    prices: PriceBook | None,
    today: dt.date | None,
) -> tuple[Result, Any, float]:
    """(Result, the resolved scenario it was computed from, units of the report currency per USD)."""
    from costcalc.costing import analyze as _analyze

    if not isinstance(scenario, Scenario) or overrides:
        if isinstance(scenario, Scenario):
            scenario = scenario.model_dump(mode="python", exclude_unset=True)  # type: ignore[assignment]
        scenario = load_scenario(scenario, overrides=overrides)  # type: ignore[arg-type]
    book = price_book(scenario, pricing_files=pricing_files, pricing_lock=pricing_lock, prices=prices)
    currency, per_usd, fx_note = _currency(scenario, book)
    resolved = resolve(scenario, book)
    result = _analyze(resolved, today=today, currency=currency, per_usd=per_usd, fx_note=fx_note)
    return result, resolved, per_usd


def resolve(scenario: Scenario, book: PriceBook) -> Any:
    """The scenario joined with prices, catalogs and throughput; lookup errors point at the scenario's line."""
    from costcalc.resolve import resolve_scenario

    try:
        return resolve_scenario(scenario, book)
    except InputError as exc:
        if exc.file is None and exc.field and not exc.field.startswith("--"):
            file, line = scenario.locate(exc.field)
            if file is not None:
                raise type(exc)(exc.detail, file=file, line=line, field=exc.field) from None
        raise


def price_book(
    scenario: Scenario,
    *,
    pricing_files: Sequence[str] = (),
    pricing_lock: str | None = None,
    prices: PriceBook | None = None,
) -> PriceBook:
    """The prices a scenario is costed with (see `analyze`)."""
    from costcalc.pricing.book import apply_overrides, load_lock

    if pricing_lock is not None:
        return load_lock(pricing_lock)  # the lock already holds the scenario's own price changes
    if prices is not None:
        book = prices
    else:
        book = PriceBook.load(list(pricing_files))
    return apply_overrides(book, scenario.pricing) if scenario.pricing else book


def used_prices(scenario: Scenario, book: PriceBook) -> list[tuple[str, Any]]:
    """(table, priced row) of every price the scenario's report uses: what a lock file pins."""
    from costcalc.pricing.schema import TABLES

    resolved = resolve(scenario, book)
    out = []
    for opt in resolved.options:
        for p in opt.prices:
            table = next(name for name, model in TABLES.items() if isinstance(p.row, model))
            out.append((table, p))
    code = scenario.currency if isinstance(scenario.currency, str) else None
    if code and code != "USD":
        out.append(("fx", _fx_row(code, book)))
    return out


def _fx_row(code: str, book: PriceBook) -> Any:
    from costcalc.errors import PricingError

    for p in book.rows("fx"):
        if p.row.currency == code:
            return p
    raise PricingError(
        f"no shipped exchange rate for {code}; give currency: {{code: {code}, per_usd: ..., as_of: ..., source: ...}}",
        field="currency",
    )


def _currency(scenario: Scenario, book: PriceBook) -> tuple[str, float, str | None]:
    """(code, units per USD, an assumption line naming the rate's date and source)."""
    c = scenario.currency
    if isinstance(c, str):
        if c == "USD":
            return "USD", 1.0, None
        row = _fx_row(c, book).row
        code, rate, as_of, source = c, row.per_usd, row.as_of, row.source
    else:
        code, rate, as_of, source = c.code, c.per_usd, c.as_of, c.source
    return code, rate, f"Money in {code} at {rate:g} per USD, as of {as_of.isoformat()}, {source}."


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
):  # type: ignore[no-untyped-def]
    """Analytical estimate for catalog ids (see costcalc.throughput.estimate.Estimate)."""
    from costcalc.catalog import get_gpu, get_model
    from costcalc.throughput.estimate import estimate

    return estimate(
        get_gpu(gpu),
        get_model(model),
        gpu_count=gpus,
        precision=precision,
        engine=engine,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        concurrency=concurrency,
    )


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
) -> pd.DataFrame:
    """Grid of every combination of `vary` ('PATH=START:STOP[:STEPS][:log]' or 'PATH=V1,V2'): a pandas DataFrame
    with each option's monthly cost, the cheapest, the savings and break-even per row (see costcalc.analysis.sweep)."""
    from costcalc.analysis.sweep import sweep as _sweep

    return _sweep(
        scenario,
        vary,
        overrides=overrides,
        pricing_files=pricing_files,
        pricing_lock=pricing_lock,
        prices=prices,
        variants=variants,
        progress=progress,
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
) -> pd.DataFrame:
    """Tornado table (pandas DataFrame): each numeric input swung ±delta, ranked by its effect on the monthly
    savings of the best self-hosted option vs the best API (see costcalc.analysis.sensitivity)."""
    from costcalc.analysis.sensitivity import sensitivity as _sensitivity

    return _sensitivity(
        scenario,
        delta=delta,
        inputs=inputs,
        overrides=overrides,
        pricing_files=pricing_files,
        pricing_lock=pricing_lock,
        prices=prices,
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
) -> Simulation:
    """Monte Carlo over the scenario's `{dist: ...}` inputs and the throughput estimate's error band: a
    Simulation with DataFrames (samples, summary, break_even, inputs) and probabilities."""
    from costcalc.analysis.simulate import simulate as _simulate

    return _simulate(
        scenario,
        samples=samples,
        seed=seed,
        throughput_band=throughput_band,
        overrides=overrides,
        pricing_files=pricing_files,
        pricing_lock=pricing_lock,
        prices=prices,
        progress=progress,
    )
