"""Sweeps: `PATH=START:STOP[:STEPS][:log]` grids of every combination, each row every option's cost, the cheapest and break-even."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

from costcalc.analysis.ahead import checked_jobs
from costcalc.analysis.budget import SWEEP_BYTES_PER_POINT, MemoryBudget
from costcalc.analysis.layouts import PointLayouts
from costcalc.analysis.points import Column, Points, Progress, cheapest_of, evaluate_points, load_book
from costcalc.errors import InputError
from costcalc.models import SelfHostedOption
from costcalc.pricing.book import PriceBook
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import BASE_VARIANT, ScenarioSource

if TYPE_CHECKING:
    import pandas as pd

    from costcalc.analysis.run import ScenarioInput

DEFAULT_STEPS = 11
MAX_POINTS = 50_000_000  # rows of one sweep (memory bound, about 1 KB per row at most)


@dataclass(frozen=True)
class Spaced:
    """START..STOP in STEPS values, linear or log-spaced, built only when used: a sweep's size (and its
    memory estimate) is checked before any column exists."""

    start: float
    stop: float
    steps: int
    log: bool = False

    def __len__(self) -> int:
        return self.steps

    def __array__(self, dtype: DTypeLike | None = None, copy: bool | None = None) -> NDArray[Any]:
        if self.steps == 1:
            values = np.array([self.start])
        else:
            values = (np.geomspace if self.log else np.linspace)(self.start, self.stop, self.steps)
            whole = np.round(values)  # 1:64:7:log is 1, 2, 4, 8, ..., not 7.999999999999999 (a count's refusal)
            values = np.where(np.isclose(values, whole, rtol=1e-12, atol=0.0), whole, values)
        return values if dtype is None else values.astype(dtype)

    def __iter__(self) -> Iterator[float]:
        return iter(np.asarray(self).tolist())


@dataclass(frozen=True)
class Vary:
    """One swept input: a --set path and the values it takes."""

    path: str
    values: tuple[Any, ...] | NDArray[Any] | Spaced

    @property
    def size(self) -> int:
        """Number of values."""
        return len(self.values)


def parse_vary(text: str) -> Vary:
    """'PATH=START:STOP[:STEPS][:log]' (inclusive, linear or log-spaced) or 'PATH=V1,V2,...' (any values)."""
    from costcalc.scenario.overrides import _number, parse_path, split_assignment

    if "=" not in text:
        raise InputError(f"{text!r} needs PATH=START:STOP[:STEPS][:log] or PATH=V1,V2,...", param="vary")
    path, spec = split_assignment(text)
    path = path.strip()
    try:
        parse_path(path)
    except InputError as exc:
        raise InputError(exc.detail, param="vary") from None
    spec = spec.strip()
    if ":" not in spec:
        pieces = [v.strip() for v in spec.split(",")]
        if not any(pieces):
            raise InputError(f"{text!r}: no values after '='", param="vary")
        if pieces[-1] == "" and len(pieces) > 1:
            pieces = pieces[:-1]  # a trailing comma, as in a list written by hand
        empty = [i for i, v in enumerate(pieces, start=1) if not v]
        if empty:
            raise InputError(
                f"{text!r}: value {empty[0]} of {len(pieces)} is empty; write one value between each two commas",
                param="vary",
            )
        values = tuple(_number(v) for v in pieces)
        # a value given twice (1000,1000 or 1000,1e3) gave two identical rows, as equal range ends did (qa22 finding 19)
        first: dict[Any, int] = {}
        for i, v in enumerate(values, start=1):
            first.setdefault(v, i)
        if len(first) < len(values):
            again = next(i for i, v in enumerate(values, start=1) if first[v] != i)
            raise InputError(
                f"{text!r}: value {again} of {len(pieces)} ({pieces[again - 1]}) is value {first[values[again - 1]]}"
                f" again: it would give the same row twice; give each value once:"
                f" {path}={','.join(pieces[i - 1] for i in first.values())}",
                param="vary",
            )
        return Vary(path, values)
    parts = [p.strip() for p in spec.split(":")]
    log = parts[-1].lower() == "log"
    if log:
        parts = parts[:-1]
    if len(parts) not in (2, 3):
        raise InputError(f"{text!r}: use START:STOP[:STEPS][:log], e.g. {path}=1e4:1e6:20:log", param="vary")
    try:
        start, stop = float(parts[0]), float(parts[1])
        steps_value = float(parts[2]) if len(parts) == 3 else DEFAULT_STEPS
    except ValueError:
        raise InputError(f"{text!r}: START, STOP and STEPS must be numbers", param="vary") from None
    if not 1 <= steps_value <= MAX_POINTS or not (math.isfinite(start) and math.isfinite(stop)):
        raise InputError(f"{text!r}: STEPS must be 1 to {MAX_POINTS:,} and START, STOP finite numbers", param="vary")
    if not float(steps_value).is_integer():
        raise InputError(f"{text!r}: STEPS is a count of points; give a whole number, not {parts[2]}", param="vary")
    steps = int(steps_value)
    if log and (start <= 0 or stop <= 0):
        raise InputError(f"{text!r}: a log sweep needs START and STOP above 0", param="vary")
    # qa22 finding 19: one step swept START alone (STOP dropped unsaid); equal ends gave STEPS identical rows
    if steps == 1 and start != stop:
        raise InputError(
            f"{text!r}: 1 step gives START alone and leaves out STOP; give 2 or more STEPS, or one value:"
            f" {path}={parts[0]}",
            param="vary",
        )
    if steps > 1 and start == stop:
        raise InputError(
            f"{text!r}: START and STOP are equal, so its {steps:,} points are one value; give a STOP other than"
            f" START, or one value: {path}={parts[0]}",
            param="vary",
        )
    return Vary(path, Spaced(start, stop, steps, log))


def grid(varies: Sequence[Vary]) -> tuple[dict[str, NDArray[Any]], int]:
    """Every combination (first --vary outermost) as columns of equal length."""
    sizes = [v.size for v in varies]
    n = int(np.prod(sizes)) if sizes else 1
    if n > MAX_POINTS:
        raise InputError(
            f"the sweep has {n:,} points; the limit is {MAX_POINTS:,}; use fewer steps",
            param="vary",
        )
    columns: dict[str, NDArray[Any]] = {}
    for i, v in enumerate(varies):
        if v.path in columns:
            raise InputError(f"{v.path} is varied twice; give each path once", param="vary")
        inner = int(np.prod(sizes[i + 1 :])) if i + 1 < len(sizes) else 1
        outer = int(np.prod(sizes[:i])) if i else 1
        arr = np.asarray(v.values)
        if arr.dtype.kind not in "iuf":
            arr = np.asarray(list(v.values), dtype=object)
        columns[v.path] = np.tile(np.repeat(arr, inner), outer)
    return columns, n


def sweep(
    scenario: ScenarioInput,
    vary: Sequence[str | Vary] = (),
    *,
    overrides: Sequence[str] = (),
    pricing_files: Sequence[str] = (),
    prices: PriceBook | PriceSource | None = None,
    pricing_lock: str | None = None,
    variants: bool = True,
    progress: Progress | None = None,
    memory_budget: MemoryBudget | None = None,
    today: dt.date | None = None,
    interpolate_lengths: bool = False,
    notice: Callable[[str], None] | None = None,
    jobs: int | None = None,
) -> pd.DataFrame:
    """A pandas DataFrame: one row per combination (× variant), each option's monthly cost, the cheapest, break-even.

    Money is in the scenario's currency (attrs['currency']). Columns: [variant], each varied path,
    requests_per_month, tokens_per_month, `monthly_cost[OPTION]`..., `monthly_cost_low[OPTION]` and
    `monthly_cost_high[OPTION]` for each option whose throughput is estimated (its cost at either end of the actual
    range its estimate allows, as report's monthly_cost_range; the ranges in attrs['actual_ranges']),
    cheapest, best_api, best_self_hosted, self_hosted_savings (best API − best self-hosted, per month),
    `break_even_tokens_per_month[OPTION]` for self-hosted and seat options vs the cheapest API (NaN: never),
    `layout[OPTION]` where a self-hosted option's GPUs a replica or its layout differ between points (report's words:
    'tensor parallel, the layout chosen as serving more within the SLO', 'one GPU'; None where not estimated).
    attrs['warnings']: a line for each variant setting a varied input replaces, then each plausibility warning
    report would give at some of the points (growth, a fleet past the largest AI cluster, a replica half its GPUs would
    beat, no point meeting the SLO), once per kind with the points it covers (`sweep` prints them on stderr; JSON
    holds them too).
    A sweep whose estimated memory exceeds `memory_budget` (default 2 GB) is refused before it runs.
    Prices are those valid on `today` (`--today`; default the wall clock's day), as `report --today` uses.
    `interpolate_lengths` (`--interpolate-lengths`): a sweep of one request length reads capacity under the SLO
    between searches at the grid's lengths (analysis/length_capacity.py), said in attrs['warnings']; not asked, where
    it would spare many searches, `notice` (the CLI's stderr) gets a line saying so before the sweep starts.
    `jobs` (`--jobs`): processes resolving points that re-resolve (a request length, a GPU: a capacity search each),
    this one and worker processes searching ahead of it; the same rows, sooner where there are CPUs to spare. None:
    the usable CPUs, at most 8 (Linux; 1 elsewhere); 1: this process alone; fewer than 2 points a worker: alone.
    """
    import pandas as pd

    workers = checked_jobs(jobs)
    source = ScenarioSource.load(scenario, overrides=overrides)
    book = load_book(pricing_files, prices, pricing_lock, today)
    varies = [v if isinstance(v, Vary) else parse_vary(v) for v in vary]
    runs: list[tuple[str | None, ScenarioSource]] = [(None, source)]
    if variants and source.variants:
        runs = [(BASE_VARIANT, source)]
        runs += [(name, source.with_settings(dict(settings))) for name, settings in source.variants]
    if not varies and len(runs) == 1:  # a grid of one point: the report, without its words
        raise InputError(
            "nothing to sweep: give vary= with an input and its values (e.g. workload.requests_per_day=1000,2000),"
            " or name variants: in the scenario; `report` costs the scenario as it is",
            param="vary",
            mentions=("vary",),
            named=True,
        )
    points = math.prod(v.size for v in varies) * len(runs)  # checked before a single column is built
    options = source.build().options
    ranged = sum(isinstance(o, SelfHostedOption) for o in options)  # at most this many have a cost range
    (memory_budget or MemoryBudget()).check("a sweep", points, len(options) + 2 * ranged, SWEEP_BYTES_PER_POINT, "vary")
    columns, n = grid(varies)
    total = n * len(runs)
    frames: list[pd.DataFrame] = []
    notes: list[str] = []  # asked to interpolate lengths: where it did, each run's (variants alike: once)
    said = PointLayouts(total, [v.path for v in varies], book.today)  # report's warnings, each replica's layout
    for i, (name, src) in enumerate(runs):
        step = (lambda done, _n, off=i * n: progress(off + done, total)) if progress is not None else None
        said.offset = i * n
        try:
            pts = evaluate_points(
                src,
                columns,
                n,
                book=book,
                progress=step,
                range_ends=True,
                warnings=said,
                interpolate_lengths=interpolate_lengths,
                notice=notice if i == 0 else None,  # once, before the first run
                jobs=workers,
            )
        except InputError as exc:
            if name in (None, BASE_VARIANT) or exc.param == "vary":
                raise
            raise source.variant_error(name, exc) from None
        frame = points_frame(pts, columns)
        if pts.capacity_note is not None and pts.capacity_note not in notes:
            notes.append(pts.capacity_note)
        if name is not None:  # one category list for every variant, so the column stays categorical when joined
            codes = np.full(n, len(frames), dtype=np.int32)
            variant_names = pd.Index([v for v, _ in runs if v is not None])  # every run is named here
            variant = pd.Categorical.from_codes(codes, categories=variant_names)
            frame.insert(0, "variant", pd.Series(variant, index=frame.index))
        frames.append(frame)
    out = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    for column, layouts in said.columns().items():  # where a replica's GPUs or layout differ between points
        out[column] = pd.Categorical(layouts)
    out.attrs["vary"] = [v.path for v in varies]
    out.attrs["options"] = list(pts.option_names)
    out.attrs["kinds"] = dict(zip(pts.option_names, pts.kinds))
    out.attrs["currency"] = pts.currency
    out.attrs["actual_ranges"] = {k: list(v) for k, v in pts.actual_ranges.items()}
    out.attrs["warnings"] = [
        *shadowed_settings(source.variants if variants else (), [v.path for v in varies]),
        *horizon_only([v.path for v in varies]),
        *said.lines(columns, n, [name for name, _ in runs]),
        *notes,
    ]
    return out


HORIZON_ONLY = ("horizon_months", "workload.growth_per_month", "discount_rate_per_year", "fiscal_year_start_month")


def horizon_only(varied: Sequence[str]) -> list[str]:
    """One line per varied input that moves no figure a sweep shows (month 1's costs, break-even by volume): growth,
    the horizon, yearly price changes, one-off costs and the discount rate act over the horizon only, so their rows
    would all read the same, as if the input did not matter."""
    return [
        f"{path} changes no figure a sweep shows (month 1's costs and the break-even volume); it acts over the"
        f" horizon: `costcalc sensitivity --input {path}` swings it, `costcalc report --set {path}=VALUE` gives the"
        " horizon's cash and accrual"
        for path in varied
        if path in HORIZON_ONLY or path.endswith(".price_change_per_year") or ".one_off_costs" in path
    ]


def shadowed_settings(variants: Sequence[tuple[str, Sequence[tuple[str, Any]]]], varied: Sequence[str]) -> list[str]:
    """One line per variant setting that a varied input replaces: the sweep sets every point's value, so a variant
    that sets the same input is costed at the swept values (its rows would repeat the base's, unexplained)."""
    swept = set(varied)
    return [
        f"variant '{name}' sets {path}: {value}, which the sweep varies; its rows take the swept values instead"
        for name, settings in variants
        for path, value in settings
        if path in swept
    ]


def points_frame(pts: Points, columns: Mapping[str, Column]) -> pd.DataFrame:
    """Points → the sweep's DataFrame (string columns are categoricals, cheap at millions of rows)."""
    import pandas as pd

    names = pd.Index(pts.option_names)
    data: dict[str, Any] = {p: v for p, v in columns.items()}
    data["requests_per_month"] = pts.requests_per_month
    data["tokens_per_month"] = pts.tokens_per_month
    for k in names:
        data[f"monthly_cost[{k}]"] = pts.monthly[k]
    for k, (low, high) in (pts.monthly_range or {}).items():  # an estimated option at either end of its range
        data[f"monthly_cost_low[{k}]"], data[f"monthly_cost_high[{k}]"] = low, high
    stack = np.stack([pts.monthly[k] for k in names])
    data["cheapest"] = pd.Categorical.from_codes(cheapest_of(pts, stack), categories=names)
    apis = [i for i, kind in enumerate(pts.kinds) if kind == "api"]
    selfs = [i for i, kind in enumerate(pts.kinds) if kind == "self_hosted"]
    if apis:
        data["best_api"] = pd.Categorical.from_codes(np.asarray(apis)[np.argmin(stack[apis], axis=0)], categories=names)
    if selfs:
        data["best_self_hosted"] = pd.Categorical.from_codes(
            np.asarray(selfs)[np.argmin(stack[selfs], axis=0)], categories=names
        )
    if apis and selfs:
        data["self_hosted_savings"] = stack[apis].min(axis=0) - stack[selfs].min(axis=0)
    for k, v in pts.break_even_requests.items():
        data[f"break_even_tokens_per_month[{k}]"] = v * pts.tokens_per_request
    return pd.DataFrame(data)
