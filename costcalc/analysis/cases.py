"""`estimate --cases`: every row of a cases CSV estimated, with the actual range its configuration's estimate allows.

The value comes from the calibration's own row estimator (throughput/calibration.py); the band from the one place a
band is chosen (throughput/factors.error_band: the row's engine and scenario class), its basis from the one place
held-out rows are counted (throughput/band_basis) and its range from the one place it becomes a range
(bands.range_for), as `costcalc estimate` reads them for the same GPU, model, engine and concurrency.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from costcalc.bands import ActualRange, range_for
from costcalc.errors import CostcalcError
from costcalc.report.nearest_runs import NearestRuns
from costcalc.throughput.band_basis import BandBasis, class_basis


@dataclass(frozen=True)
class CaseBand:
    """The band a row's estimate quotes: its basis (engine, load class, entry, held-out rows), the row's concurrency
    (None: as many as fit) and the actual range it gives; for a cases row, the published runs nearest its
    configuration (analysis/published_runs.py, as `costcalc estimate` names them)."""

    basis: BandBasis
    concurrency: int | None
    actual: ActualRange | None
    runs: NearestRuns | None = None


@dataclass(frozen=True)
class EstimatedCase:
    """One row back (its cells, `estimate` and `reason`) and the band of its estimate (None without one)."""

    row: dict[str, str]
    band: CaseBand | None

    @property
    def actual(self) -> ActualRange | None:
        """Actual throughput as factors of the estimate, 9 in 10 (None without an estimate)."""
        return None if self.band is None else self.band.actual

    @property
    def runs(self) -> NearestRuns | None:
        """The published runs nearest the row's configuration (None without an estimate)."""
        return None if self.band is None else self.band.runs


def estimate_cases(rows: Iterable[dict[str, str]]) -> list[EstimatedCase]:
    """Every row estimated, in order, each with its band."""
    from costcalc.throughput.calibration import estimate_cases as estimated

    return [EstimatedCase(row, case_band(row) if row.get("estimate") else None) for row in estimated(rows)]


def case_band(row: dict[str, str]) -> CaseBand | None:
    """The band of the row's engine and scenario class (the row's `scenario` when it names one, else the class
    `estimate` of the row's GPU, model, engine and concurrency picks: a concurrency at or above what fits is the
    full load, as a row without one) and its actual range, widened where published runs of its model or held-out
    benchmarks of its GPU's architecture measured past it; None when the row names no known model or GPU."""
    from costcalc.analysis.published_runs import Configuration, nearest_runs
    from costcalc.catalog import get_gpu, get_model
    from costcalc.throughput.calibration import SCENARIOS, int_cell
    from costcalc.throughput.factors import error_band, load_factors

    engine = (row.get("engine") or "").strip() or "vllm"
    concurrency = int_cell(row, "concurrency", optional=True)  # parsed already: it has an estimate
    try:
        model = get_model((row.get("model") or "").strip())
        gpu = get_gpu((row.get("gpu") or "").strip())
    except CostcalcError:
        return None
    scenario = (row.get("scenario") or "").strip()
    if scenario not in SCENARIOS:
        scenario = _load_class(row, engine, concurrency)
    band = error_band(load_factors(), engine, scenario)
    precision = (row.get("precision") or "").strip() or model.native_precision  # as the row's estimate ran
    actual = range_for(band, model, engine, scenario, gpu, precision)
    lengths = (float(int_cell(row, "input_tokens") or 0), float(int_cell(row, "output_tokens") or 0))
    config = Configuration(gpu, int_cell(row, "gpu_count") or 1, model.id, precision, engine, scenario, *lengths)
    return CaseBand(class_basis(engine, scenario, band), concurrency, actual, nearest_runs(config))


def _load_class(row: dict[str, str], engine: str, concurrency: int | None) -> str:
    """The scenario class `costcalc estimate` gives the row's configuration at its concurrency (its Estimate's
    band_scenario, factors.scenario_class), with the row's engine release and arguments as calibration.estimate_row
    reads them (a stated -np or --max-num-seqs is the server's full load)."""
    from costcalc.catalog import get_gpu, get_model
    from costcalc.throughput.calibration import int_cell, row_protocol
    from costcalc.throughput.estimate import estimate
    from costcalc.throughput.serving.server_args import parse_server_args

    return estimate(
        get_gpu((row.get("gpu") or "").strip(), param="gpu"),
        get_model((row.get("model") or "").strip(), param="model"),
        gpu_count=int_cell(row, "gpu_count") or 1,
        precision=(row.get("precision") or "").strip() or None,
        engine=engine,
        input_tokens=int_cell(row, "input_tokens") or 0,
        output_tokens=int_cell(row, "output_tokens") or 0,
        concurrency=concurrency,
        # an in-process row's concurrency runs at once, as calibration.estimate_row estimates it; a served row's
        # reaches the server, whose limit (llama-server's slots) is its full load, as the simulation runs it
        server=row_protocol(row).kind != "in_process",
        engine_version=(row.get("engine_version") or "").strip() or None,
        server_args=parse_server_args(engine, row.get("engine_args")),
    ).band_scenario
