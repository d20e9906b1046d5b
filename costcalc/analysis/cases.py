"""`estimate --cases`: every row of a cases CSV estimated, with the actual range its configuration's estimate allows.

The value comes from the calibration's own row estimator (throughput/calibration.py); the range from the one place a
band is chosen (throughput/factors.error_band: the row's engine and scenario class) and the one place it becomes a
range (bands.range_for), as `costcalc estimate` reads them for the same GPU, model, engine and concurrency.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from costcalc.bands import ActualRange, range_for
from costcalc.errors import CostcalcError


@dataclass(frozen=True)
class EstimatedCase:
    """One row back (its cells, `estimate` and `reason`) and the actual range of its estimate (None without one)."""

    row: dict[str, str]
    actual: ActualRange | None


def estimate_cases(rows: Iterable[dict[str, str]]) -> list[EstimatedCase]:
    """Every row estimated, in order, each with its range."""
    from costcalc.throughput.calibration import estimate_cases as estimated

    return [EstimatedCase(row, case_range(row) if row.get("estimate") else None) for row in estimated(rows)]


def case_range(row: dict[str, str]) -> ActualRange | None:
    """Actual throughput as factors of the row's estimate, 9 in 10: the band of its engine and scenario class (the
    row's `scenario` when it names one, else its concurrency's, as `estimate --concurrency` picks), widened where
    published runs of its model measured past it; None when the row names no known model."""
    from costcalc.catalog import get_model
    from costcalc.throughput.calibration import SCENARIOS, int_cell
    from costcalc.throughput.factors import error_band, load_factors, scenario_class

    engine = (row.get("engine") or "").strip() or "vllm"
    scenario = (row.get("scenario") or "").strip()
    if scenario not in SCENARIOS:
        scenario = scenario_class(int_cell(row, "concurrency", optional=True))  # parsed already: it has an estimate
    try:
        model = get_model((row.get("model") or "").strip())
    except CostcalcError:
        return None
    return range_for(error_band(load_factors(), engine, scenario), model)
