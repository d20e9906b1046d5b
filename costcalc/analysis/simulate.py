"""Monte Carlo over the scenario's uncertain inputs (`{dist: ...}`) and the throughput estimate's error band."""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from costcalc.analysis.budget import MAX_SAMPLES, SIMULATE_BYTES_PER_SAMPLE, MemoryBudget
from costcalc.analysis.points import (
    RUNS_COSTED,
    UNCERTAIN_LABEL,
    Points,
    Progress,
    actual_ranges,
    capacity_warnings,
    cheapest_of,
    evaluate_points,
    load_book,
    resolve,
    runs_beyond,
)
from costcalc.analysis.sensitivity import label
from costcalc.analysis.vectorized import CAPACITY_SCALE
from costcalc.analysis.warnings import unseated_lines, unseated_sample_lines
from costcalc.bands import ActualRange, range_long
from costcalc.engine.arrays import FloatArray, IntArray
from costcalc.errors import InputError
from costcalc.pricing.book import PriceBook
from costcalc.report.json_numbers import number, with_why
from costcalc.resolve.book import PriceSource
from costcalc.resolve.scenario import ResolvedScenario
from costcalc.scenario.distributions import Distribution, rng_for
from costcalc.scenario.fields import field_info, is_int_field
from costcalc.scenario.loaders import ScenarioSource
from costcalc.scenario.overrides import split_assignment

if TYPE_CHECKING:  # the DataFrames are built on first use; pandas is imported only then
    import pandas as pd

    from costcalc.analysis.run import ScenarioInput

DEFAULT_SAMPLES = 10_000
QUANTILES = (0.10, 0.50, 0.90)
Z90 = 1.6448536269514722  # standard normal 95th percentile: a two-sided interval holding 90% is ±1.645 sd
MIN_CAPACITY_SCALE = 0.05  # a sampled capacity never drops below 5% of the estimate
# `simulate -f json`: 1.1 each input's label; 2.0 break_even's tokens_per_month_p10/p50/p90 are a number or null
# with tokens_per_month_pNN_is ("never"), where 1.x wrote the string "never" (a type change: a major version)
SCHEMA_VERSION = "2.0"


@dataclass(frozen=True)
class Simulation:
    """Monte Carlo results: per-sample table, per-option percentiles, probabilities, break-even spread.

    The DataFrames (samples, summary, break_even, inputs) are built on first use, so a run that only
    prints its table never imports pandas.
    """

    summary_rows: tuple[dict[str, Any], ...]  # per option: monthly and horizon cost P10/P50/P90, probability cheapest
    break_even_rows: tuple[dict[str, Any], ...]  # per self-hosted/seat option: P10/P50/P90 (never = inf), P(never)
    input_rows: tuple[dict[str, Any], ...]  # per uncertain input: path, words, distribution, sampled P10/P50/P90
    probability_self_hosting_cheaper: float | None  # month 1, best self-hosted < best API
    probability_self_hosting_cheaper_over_horizon: float | None
    n: int
    seed: int | None
    horizon_months: int
    currency: str = "USD"
    notes: tuple[str, ...] = field(default=())
    sample_columns: dict[str, FloatArray] = field(default_factory=dict, repr=False)
    option_names: tuple[str, ...] = ()
    cheapest_index: IntArray | None = field(default=None, repr=False)

    @cached_property
    def samples(self) -> pd.DataFrame:
        """DataFrame, one row per sample: the sampled inputs, each option's monthly and horizon cost, the cheapest, break-even."""
        import pandas as pd

        data: dict[str, Any] = dict(self.sample_columns)
        if self.cheapest_index is not None:
            data["cheapest"] = pd.Categorical.from_codes(self.cheapest_index, categories=pd.Index(self.option_names))
        return pd.DataFrame(data)

    @cached_property
    def summary(self) -> pd.DataFrame:
        """DataFrame per option: monthly_cost_p10/p50/p90, cumulative_cost_p10/p50/p90, probability_cheapest."""
        import pandas as pd

        return pd.DataFrame(list(self.summary_rows), columns=list(SUMMARY_COLUMNS))

    @cached_property
    def break_even(self) -> pd.DataFrame:
        """DataFrame per self-hosted or seat option: break-even tokens/month P10/P50/P90 over all samples (never = +inf) and the share that never breaks even."""
        import pandas as pd

        return pd.DataFrame(list(self.break_even_rows), columns=list(BREAK_EVEN_COLUMNS))

    @cached_property
    def inputs(self) -> pd.DataFrame:
        """DataFrame per uncertain input: its path, its name in words (as sensitivity names it), its distribution and
        the sampled P10/P50/P90."""
        import pandas as pd

        return pd.DataFrame(list(self.input_rows), columns=list(INPUT_COLUMNS))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict in a stable key order (no per-sample rows)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "simulation",
            "samples": self.n,
            "seed": self.seed,
            "horizon_months": self.horizon_months,
            "currency": self.currency,
            "probability_self_hosting_cheaper": self.probability_self_hosting_cheaper,
            "probability_self_hosting_cheaper_over_horizon": self.probability_self_hosting_cheaper_over_horizon,
            "inputs": _records(self.input_rows),
            "options": _records(self.summary_rows),
            "break_even": [_break_even_record(row) for row in self.break_even_rows],
            "notes": list(self.notes),
        }


SUMMARY_COLUMNS = (
    "option",
    "kind",
    "monthly_cost_p10",
    "monthly_cost_p50",
    "monthly_cost_p90",
    "cumulative_cost_p10",
    "cumulative_cost_p50",
    "cumulative_cost_p90",
    "probability_cheapest",
)
BREAK_EVEN_COLUMNS = (
    "option",
    "tokens_per_month_p10",
    "tokens_per_month_p50",
    "tokens_per_month_p90",
    "share_never",
)
INPUT_COLUMNS = ("input", "label", "distribution", "p10", "p50", "p90")


def _records(rows: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    """JSON-ready rows: NaN (nothing to report) as null."""
    return [{k: number(v)[0] if isinstance(v, float) else v for k, v in row.items()} for row in rows]


def _break_even_record(row: dict[str, Any]) -> dict[str, Any]:
    """A break-even row for JSON: each percentile a number or null, with `..._is` "never" where the percentile
    falls among samples that never break even (+inf in the DataFrame)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        out.update(with_why(key, value) if key.startswith("tokens_per_month_p") else {key: value})
    return out


def throughput_bands(resolved: ResolvedScenario) -> dict[str, Distribution]:
    """Capacity scale per estimated self-hosted option: the lognormal whose 5th and 95th percentiles are the ends of
    its actual range (costcalc/bands.py): median sqrt(low x high), sigma ln(high / low) / (2 x 1.645).

    For the band b the range is 1/(1 + b) to 1 + b, so the median is 1 and sigma ln(1 + b)/1.645: 90% of actual
    capacities lie above estimate/(1 + b), the capacity the report's cost range ends at. Where published runs of the
    architecture measured less (DeepSeek-R1), the range reaches down to them and the median moves below 1. Never
    negative, so a band above 100% does not pile samples on the clip (a normal of sd band/1.645 did)."""
    return {
        path: Distribution(
            "lognormal",
            {"median": math.sqrt(r.low * r.high), "sigma": math.log(r.high / r.low) / (2 * Z90)},
            MIN_CAPACITY_SCALE,
        )
        for path, r in actual_ranges(resolved).items()
    }


def _range_words(actual: ActualRange) -> str:
    """The note's words for a capacity scale: the band's range as report and estimate write it ('the estimate's band:
    actual 0.58x to 1.73x the estimate (vllm server band: 9 in 10 of 53 held-out benchmarks)'), or the range with its
    sources where published runs widened it."""
    what = "range" if actual.widened else "band"
    return f"the estimate's {what}: actual {range_long(actual)}"


def simulate(
    scenario: ScenarioInput,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = None,
    throughput_band: bool = True,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    prices: PriceBook | PriceSource | None = None,
    pricing_lock: str | None = None,
    progress: Progress | None = None,
    memory_budget: MemoryBudget | None = None,
    today: dt.date | None = None,
    interpolate_lengths: bool = False,
    notice: Callable[[str], None] | None = None,
) -> Simulation:
    """Sample every uncertain input `samples` times (stream per input, reproducible with `seed`) and cost each sample,
    with the prices valid on `today` (`--today`; default the wall clock's day). `interpolate_lengths`
    (`--interpolate-lengths`): a sampled request length reads capacity under the SLO between searches at the grid's
    lengths (analysis/length_capacity.py), said in a note; not asked, where it would spare many searches, `notice`
    (the CLI's stderr) gets a line saying so before the samples are costed."""
    from costcalc.scenario.overrides import parse_path

    if isinstance(samples, bool) or not isinstance(samples, numbers.Integral):
        raise InputError(f"a whole number of samples, not {type(samples).__name__} {samples!r}", param="samples")
    if not 1 <= samples <= MAX_SAMPLES:
        raise InputError(f"samples must be between 1 and {MAX_SAMPLES:,}", param="samples")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
        raise InputError(f"a whole number (or None), not {type(seed).__name__} {seed!r}", param="seed")
    source = ScenarioSource.load(scenario, overrides=overrides)
    book = load_book(pricing_files, prices, pricing_lock, today)
    base = source.build()
    (memory_budget or MemoryBudget()).check(
        "a simulation", samples, len(base.options), SIMULATE_BYTES_PER_SAMPLE, "samples"
    )
    resolved = resolve(base, book)
    overridden = {split_assignment(text)[0].strip() for text in overrides}
    laws: dict[str, Distribution] = {u.path: u.distribution for u in source.uncertain if u.path not in overridden}
    notes: list[str] = []
    ranges: dict[str, ActualRange] = {}
    if throughput_band:
        bands = throughput_bands(resolved)
        laws.update(bands)
        ranges = actual_ranges(resolved)
        beyond = {p: f"; but {w}, outside it ({RUNS_COSTED})" for p, w in runs_beyond(resolved).items()}
        notes += [
            f"{label(p)}, sampled as {d.describe()} from {_range_words(ranges[p])}{beyond.get(p, '')}"
            for p, d in bands.items()
        ]
    notes += capacity_warnings(resolved)  # why a range was widened, in report's words
    notes += unseated_lines(resolved)  # fewer seats than users, as report says it (qa22 finding 18)
    columns: dict[str, FloatArray] = {}
    for path in sorted(laws):
        values = laws[path].sample(rng_for(seed, path), samples)
        info = None if path.endswith(CAPACITY_SCALE) else field_info(base, parse_path(path))
        if is_int_field(info):
            values = np.round(values)
        columns[path] = values
    if not columns:
        notes.append(
            "no uncertain inputs: every sample is the deterministic result; add {dist: ...} in place of a number"
        )
        columns = {}
    pts = evaluate_points(
        source,
        columns,
        samples,
        book=book,
        timeline=True,
        label=UNCERTAIN_LABEL,
        progress=progress,
        interpolate_lengths=interpolate_lengths,
        notice=notice,
    )
    if pts.capacity_note is not None:
        notes.append(pts.capacity_note)
    notes += unseated_sample_lines(resolved, columns)  # the samples short of seats, where seats or users are sampled
    labels = {path: label(path, ranges.get(path)) for path in laws}
    return _summarise(pts, columns, laws, labels, samples, seed, base.horizon_months, notes)


def _q_never(values: FloatArray) -> tuple[float, float, float]:
    """P10/P50/P90 of break-even volumes over every sample, a sample that never breaks even (NaN) counted as +inf."""
    ordered = np.sort(np.where(np.isnan(values), np.inf, values))
    if ordered.size == 0:
        return (np.nan, np.nan, np.nan)
    out = []
    for q in QUANTILES:  # numpy's default (linear) rule, with inf wherever an infinite neighbour has weight
        h = (ordered.size - 1) * q
        lo, hi = int(np.floor(h)), int(np.ceil(h))
        if hi == lo or h == lo:
            out.append(float(ordered[lo]))
        elif np.isinf(ordered[hi]):
            out.append(np.inf)
        else:
            out.append(float(ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo])))
    return out[0], out[1], out[2]


def _q(values: FloatArray) -> tuple[float, float, float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return (np.nan, np.nan, np.nan)
    p10, p50, p90 = np.quantile(finite, QUANTILES)
    return float(p10), float(p50), float(p90)


def _summarise(
    pts: Points,
    columns: dict[str, FloatArray],
    laws: dict[str, Distribution],
    labels: dict[str, str],
    n: int,
    seed: int | None,
    horizon: int,
    notes: list[str],
) -> Simulation:
    names = list(pts.option_names)
    assert pts.cumulative is not None  # simulate evaluates its points with timeline=True
    monthly = np.stack([pts.monthly[k] for k in names])
    cumulative = np.stack([pts.cumulative[k] for k in names])
    cheapest = cheapest_of(pts, monthly)
    rows = []
    for i, (name, kind) in enumerate(zip(names, pts.kinds)):
        m, c = _q(monthly[i]), _q(cumulative[i])
        rows.append(dict(zip(SUMMARY_COLUMNS, (name, kind, *m, *c, float(np.mean(cheapest == i))))))
    apis = [i for i, k in enumerate(pts.kinds) if k == "api"]
    selfs = [i for i, k in enumerate(pts.kinds) if k == "self_hosted"]
    p_month = p_horizon = None
    if apis and selfs:
        p_month = float(np.mean(monthly[selfs].min(axis=0) < monthly[apis].min(axis=0)))
        p_horizon = float(np.mean(cumulative[selfs].min(axis=0) < cumulative[apis].min(axis=0)))
    be_rows = []
    sample_columns: dict[str, FloatArray] = dict(columns)
    for i, name in enumerate(names):
        sample_columns[f"monthly_cost[{name}]"] = monthly[i]
    for i, name in enumerate(names):
        sample_columns[f"cumulative_cost[{name}]"] = cumulative[i]
    for name, req in pts.break_even_requests.items():
        tokens = req * pts.tokens_per_request
        sample_columns[f"break_even_tokens_per_month[{name}]"] = tokens
        be_rows.append(dict(zip(BREAK_EVEN_COLUMNS, (name, *_q_never(tokens), float(np.mean(np.isnan(tokens)))))))
    inputs = [
        dict(zip(INPUT_COLUMNS, (path, labels[path], laws[path].describe(), *_q(columns[path]))))
        for path in sorted(laws)
    ]
    return Simulation(
        summary_rows=tuple(rows),
        break_even_rows=tuple(be_rows),
        input_rows=tuple(inputs),
        probability_self_hosting_cheaper=p_month,
        probability_self_hosting_cheaper_over_horizon=p_horizon,
        n=n,
        seed=seed,
        horizon_months=horizon,
        currency=pts.currency,
        notes=tuple(notes),
        sample_columns=sample_columns,
        option_names=tuple(names),
        cheapest_index=cheapest,
    )
