"""The Python API: load a scenario, analyze it, estimate throughput; the CLI is a thin layer over these."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Sequence

from costcalc.errors import InputError
from costcalc.models import Scenario
from costcalc.pricing.book import PriceBook
from costcalc.result import Result


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
    prices: PriceBook | None = None,
    today: dt.date | None = None,
) -> Result:
    """Cost every option of a scenario, with break-even, payback and a monthly timeline."""
    from costcalc.analyze import analyze as _analyze
    from costcalc.resolve import resolve_scenario

    if not isinstance(scenario, Scenario) or overrides:
        if isinstance(scenario, Scenario):
            scenario = scenario.model_dump(mode="python", exclude_unset=True)  # type: ignore[assignment]
        scenario = load_scenario(scenario, overrides=overrides)  # type: ignore[arg-type]
    book = prices if prices is not None else PriceBook.load(list(pricing_files))
    try:
        resolved = resolve_scenario(scenario, book)
    except InputError as exc:
        if exc.file is None and exc.field and not exc.field.startswith("--"):
            file, line = scenario.locate(exc.field)
            if file is not None:
                raise type(exc)(exc.detail, file=file, line=line, field=exc.field) from None
        raise
    return _analyze(resolved, today=today)


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
