"""The published benchmarks behind the estimator's error bands: each held-out row of the shipped leave-one-source-out
file with its configuration, measured figure, held-out estimate, error, and source, so 'vllm server band: 9 in 10 of
53 held-out benchmarks' can be read row by row."""

from __future__ import annotations

from dataclasses import dataclass

from costcalc.band_words import OVERALL_BAND
from costcalc.errors import InputError, did_you_mean
from costcalc.throughput.calibration import row_metric, shipped_rows
from costcalc.throughput.factors import band_key, error_band_key, load_factors
from costcalc.throughput.holdout import read_holdout
from costcalc.throughput.scoring import BAND_METRICS, ErrorStats, band_table, factor_error


@dataclass(frozen=True)
class Benchmark:
    """One held-out calibration row: what ran, what it measured, what the fit without its source estimated."""

    case_id: str
    engine: str
    load_class: str  # the row's scenario: single, server or offline
    gpu: str
    gpu_count: int
    model: str
    precision: str
    input_tokens: int
    output_tokens: int
    concurrency: str  # '' = as many as fit
    metric: str
    measured: float
    held_out_estimate: float
    source_url: str
    source_date: str

    @property
    def error(self) -> float:
        """(held-out estimate - measured) / measured: positive where the estimate was high."""
        return (self.held_out_estimate - self.measured) / self.measured

    @property
    def actual_over_estimate(self) -> float:
        """Actual throughput as a factor of the estimate, as a band's range reads it (a time per token the other way
        up): 0.5 where the benchmark served half the estimated rate."""
        if self.metric == "tpot_ms":
            return self.held_out_estimate / self.measured
        return self.measured / self.held_out_estimate

    @property
    def factor_error(self) -> float:
        """The error the band is the p90 of (scoring.factor_error): 1.0 for 0.5x or 2x the estimate."""
        return factor_error(self.held_out_estimate, self.measured)


@dataclass(frozen=True)
class BenchmarkSet:
    """The held-out rows of a band, and the band they give (error_bands' choice for an engine and class)."""

    rows: tuple[Benchmark, ...]
    stats: ErrorStats | None  # the rows' error (rows, median, p90), band_table's figures
    key: str  # 'vllm/server', or 'overall' without a filter
    quoted: str  # the band an estimate of this engine and class quotes: `key`, or 'overall' below 20 rows
    quoted_p90: float | None  # that band's p90, as factors.json carries it
    gpu: str | None = None  # the catalog GPU the rows were narrowed to (--gpu), None: any
    model: str | None = None  # likewise the model (--model)
    precision: str | None = None  # likewise the precision (--precision)

    @property
    def narrowed(self) -> bool:
        """True where a GPU, model or precision keeps only part of a band's rows (their p90 is no band's)."""
        return any(v is not None for v in (self.gpu, self.model, self.precision))


def band_benchmarks(
    engine: str | None = None,
    load_class: str | None = None,
    *,
    gpu: str | None = None,
    model: str | None = None,
    precision: str | None = None,
) -> BenchmarkSet:
    """Every held-out row an error band counts (output-rate metrics with an estimate), of `engine` and `load_class`
    where given, with the band_table statistics those rows give and the band an estimate quotes for them; `gpu`,
    `model` (catalog ids or aliases: 'h100') and `precision` keep the rows of one configuration (the published runs
    analysis/published_runs.py names), their statistics those rows' own. An unknown id is an InputError naming its
    option with the nearest ids."""
    from costcalc.catalog import get_gpu, get_model

    cases, estimates = read_holdout()
    engines = sorted({r["engine"] for r in cases})
    if engine is not None and engine not in engines:
        raise InputError(
            f"no held-out benchmarks of engine {engine!r}{did_you_mean(engine, engines)}; engines: {', '.join(engines)}",
            field="--engine",
        )
    try:
        gpu = None if gpu is None else get_gpu(gpu).id
    except InputError as e:
        raise e.moved(field="--gpu") from None
    try:
        model = None if model is None else get_model(model).id
    except InputError as e:
        raise e.moved(field="--model") from None
    data = shipped_rows()
    if precision is not None:
        precisions = sorted({data[r["case_id"]]["precision"] for r in cases})
        if precision.lower() not in precisions:
            raise InputError(
                f"no held-out benchmarks at precision {precision!r}{did_you_mean(precision.lower(), precisions)};"
                f" precisions: {', '.join(precisions)}",
                field="--precision",
            )
        precision = precision.lower()
    wanted = {"gpu": gpu, "model": model, "precision": precision}
    picked: list[tuple[dict[str, str], float]] = []
    for row, est in zip(cases, estimates, strict=True):
        if est is None or row_metric(row) not in BAND_METRICS:
            continue
        if (engine and row["engine"] != engine) or (load_class and row["scenario"] != load_class):
            continue
        if any(value is not None and data[row["case_id"]][field] != value for field, value in wanted.items()):
            continue
        picked.append((row, est))
    rows = tuple(_benchmark(row, est, data[row["case_id"]]) for row, est in picked)
    key = band_key(engine, load_class) if engine and load_class else OVERALL_BAND
    stats = band_table([r for r, _ in picked], [e for _, e in picked]).get(OVERALL_BAND)  # the picked rows, all
    factors = load_factors()
    quoted = error_band_key(factors, engine, load_class) if engine and load_class else OVERALL_BAND
    return BenchmarkSet(rows, stats, key, quoted, factors.error_bands.get(quoted), gpu, model, precision)


def _benchmark(held: dict[str, str], estimate: float, row: dict[str, str]) -> Benchmark:
    return Benchmark(
        case_id=held["case_id"],
        engine=held["engine"],
        load_class=held["scenario"],
        gpu=row["gpu"],
        gpu_count=int(row["gpu_count"] or 1),
        model=row["model"],
        precision=row["precision"],
        input_tokens=int(float(row["input_tokens"] or 0)),
        output_tokens=int(float(row["output_tokens"] or 0)),
        concurrency=row["concurrency"],
        metric=row_metric(held),
        measured=float(held["value"]),
        held_out_estimate=estimate,
        source_url=row["source_url"],
        source_date=row["source_date"],
    )
