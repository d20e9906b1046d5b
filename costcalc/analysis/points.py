"""Evaluate a scenario at many points: vectorised over inputs the engine takes as arrays, re-resolved per distinct value otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, SupportsFloat

import numpy as np
from numpy.typing import ArrayLike, NDArray

from costcalc.analysis.ahead import resolved_ahead, workers_for
from costcalc.analysis.length_capacity import (
    NOTHING_TO_INTERPOLATE,
    interpolated_along,
    interpolation_note,
    searches_hint,
)
from costcalc.analysis.stacked import stacked
from costcalc.analysis.vectorized import CAPACITY_SCALE, WORKLOAD, Evaluation, Target, evaluate, target_for
from costcalc.bands import ActualRange
from costcalc.engine.arrays import FloatArray, IntArray
from costcalc.engine.costs import ApiCost
from costcalc.engine.options import cheapest_index, most_requests
from costcalc.errors import InputError
from costcalc.models import Scenario
from costcalc.pricing.book import PriceBook
from costcalc.resolve.book import PriceSource
from costcalc.resolve.scenario import ResolvedScenario, resolve_scenario
from costcalc.scenario.fields import field_info, is_int_field
from costcalc.scenario.loaders import ScenarioSource
from costcalc.scenario.overrides import split_assignment
from costcalc.throughput.serving.length_grid import interpolating

if TYPE_CHECKING:
    from costcalc.analysis.sweep_warnings import PointWarnings

CHUNK_ROWS = 25_000  # rows evaluated at once: bounds memory and paces the progress bar (a few updates a second)
HELD_RESOLUTIONS = 1_000  # resolutions of re-resolved points held to be costed at once (analysis/stacked.py)
UNCERTAIN_LABEL = "uncertain input"  # label of sampled inputs in errors (any other label is an API parameter)
JOINT_CHECK = "joint"  # validate the all-low and all-high corners too (sweeps, samples)

Progress = Callable[[int, int], None]
Column = NDArray[Any] | Sequence[Any]  # an input's n values: numbers, or any value for a re-resolved path


@dataclass(frozen=True)
class Plan:
    """How each input path is evaluated: vectorised (its target) or by re-resolving (None)."""

    targets: dict[str, Target | None]

    @property
    def fallback(self) -> list[str]:
        """Paths evaluated by re-resolving the scenario once per distinct value."""
        return [p for p, t in self.targets.items() if t is None]


def plan_inputs(scenario: Scenario, columns: Mapping[str, ArrayLike]) -> Plan:
    """Decide per input path whether the vectorised engine can take it."""
    from costcalc.scenario.overrides import parse_path

    targets: dict[str, Target | None] = {}
    for path, values in columns.items():
        arr = np.asarray(values)
        numeric = arr.dtype.kind in "iuf"
        targets[path] = target_for(parse_path(path), scenario) if numeric else None
    return Plan(targets)


def repriced_monthly(resolved: ResolvedScenario) -> dict[str, bool]:
    """API options with a month-by-month price path → whether a scheduled change of its price row is in it (else
    only the off-peak share moves, with summer time)."""
    return {
        o.name: len(o.prices) > 1
        for o in resolved.options
        if isinstance(o.cost, ApiCost) and o.cost.price_path is not None
    }


def scheduled_table_price(scenario: Scenario, target: Target, repriced: Mapping[str, bool]) -> bool:
    """Whether `target` is a price the scenario leaves to the tables, of an API whose table price is scheduled to
    change: swinging it moves each month's price alike (`report --set` would hold the given price in every month)."""
    name, field = target
    if not repriced.get(name) or not field.startswith("prices."):
        return False
    opt = next((o for o in scenario.options if o.name == name), None)
    given = getattr(opt, "prices", None)
    return given is None or getattr(given, field.removeprefix("prices."), None) is None


def resolve(scenario: Scenario, prices: PriceSource) -> ResolvedScenario:
    """The resolved scenario, lookup errors located in the scenario file."""
    return resolve_scenario(scenario, prices.for_scenario(scenario))


def check_values(
    source: ScenarioSource,
    book: PriceSource,
    columns: Mapping[str, ArrayLike],
    plan: Plan,
    *,
    joint: bool,
    label: str,
) -> None:
    """Validate vectorised inputs like the file: whole numbers where required, and the extremes built and resolved."""
    base = source.build()
    vector = {p: np.asarray(columns[p], dtype=float) for p, t in plan.targets.items() if t is not None}
    from costcalc.scenario.overrides import parse_path

    for path, arr in vector.items():
        if not np.all(np.isfinite(arr)):
            raise _at(label, path, "values must be finite numbers")
        if is_int_field(field_info(base, parse_path(path))) and not np.all(arr == np.round(arr)):
            raise _at(label, path, "this field takes whole numbers; choose values that are integers")
    for path in [p for p in vector if p.endswith(CAPACITY_SCALE)]:
        if not np.all(vector.pop(path) > 0):
            raise _at(label, path, "a capacity scale must be above 0")
    corners: list[dict[str, Any]] = []
    for path, arr in vector.items():
        corners += [{path: _num(arr.min())}, {path: _num(arr.max())}]
    if joint and len(vector) > 1:
        corners += [
            {p: _num(a.min()) for p, a in vector.items()},
            {p: _num(a.max()) for p, a in vector.items()},
        ]
    for settings in corners:
        try:
            resolve(source.build(settings), book)
        except InputError as exc:
            shown = ", ".join(f"{p}={v:g}" for p, v in settings.items())
            raise _relabel(exc, shown, label, settings) from None


def _at(label: str, path: str | None, detail: str, kind: type[InputError] = InputError) -> InputError:
    """An error about `path` (None: the argument as a whole): the API parameter `label` ('vary') with the path as
    its item, or the field '<label> <path>' for sampled inputs."""
    if label == UNCERTAIN_LABEL:
        return kind(detail, field=f"{label} {path}" if path else label)
    return kind(detail, param=label, item=path)


def _relabel(exc: InputError, shown: str, label: str, settings: Mapping[str, Any]) -> InputError:
    """The same error, naming the what-if argument (vary, ...) instead of overrides, and the point it failed at; a
    value the what-if set is its fault, not the file's line it replaced. An override the user typed (--set, the API's
    overrides=) stays named as theirs."""
    if exc.param == "overrides" and exc.item is not None:
        path = split_assignment(exc.item)[0]
        return _at(label, path, exc.detail, type(exc)) if path in settings else exc
    hint = "; narrow the distribution or give it min:/max:" if label == UNCERTAIN_LABEL else ""
    detail = f"{exc.detail} (at {shown}){hint}" if shown else f"{exc.detail}{hint}"  # no point: the scenario as is
    if exc.field is not None and exc.field in settings and label != UNCERTAIN_LABEL:  # a distribution is the file's
        return _at(label, exc.field, detail, type(exc))
    if exc.field is None:
        return _at(label, None, detail, type(exc)).moved(file=exc.file, line=exc.line)
    return exc.moved(detail, file=exc.file, line=exc.line, field=exc.field)


def _num(x: SupportsFloat) -> float | int:
    v = float(x)
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


@dataclass
class Points:
    """Evaluation of n points, merged over resolution groups; arrays of shape (n,)."""

    option_names: tuple[str, ...]
    kinds: tuple[str, ...]
    requests_per_month: FloatArray
    tokens_per_month: FloatArray
    monthly: dict[str, FloatArray]  # money in `currency`
    break_even_requests: dict[str, FloatArray]
    cumulative: dict[str, FloatArray] | None
    tokens_per_request: FloatArray
    currency: str = "USD"  # money arrays are in this currency (converted from USD at the scenario's rate)
    # with range_ends: each estimated option's monthly cost at the high and the low end of the actual range its
    # estimate allows (low cost first: its capacity x the range's high factor), NaN where a point's option has none
    monthly_range: dict[str, tuple[FloatArray, FloatArray]] | None = None
    actual_ranges: dict[str, list[ActualRange]] = field(default_factory=dict)  # each option's, as its points resolve
    capacity_note: str | None = None  # asked to interpolate lengths: where it did (analysis/length_capacity.py)
    # requests a month each option may serve at each point: seats x their numeric usage cap, inf for the others
    # (engine/options.most_requests); the cheapest at a point is one that carries its requests (cheapest_index)
    most_requests: dict[str, FloatArray] = field(default_factory=dict)


def cheapest_of(pts: Points, monthly: FloatArray) -> IntArray:
    """Per point, the option (row of `monthly`, in pts.option_names' order) report would call the cheapest: the
    cheapest that carries the point's requests, seats over their numeric usage cap only where nothing else does."""
    most = np.stack([pts.most_requests.get(k, np.full(monthly.shape[1], np.inf)) for k in pts.option_names])
    return cheapest_index(monthly, most, pts.requests_per_month)


def evaluate_points(
    source: ScenarioSource,
    columns: Mapping[str, Column],
    n: int,
    *,
    book: PriceSource,
    timeline: bool = False,
    check: str | None = JOINT_CHECK,
    label: str = "vary",
    progress: Progress | None = None,
    extra_targets: Mapping[Target, FloatArray] | None = None,
    range_ends: bool = False,
    warnings: PointWarnings | None = None,
    as_is: Mapping[str, float] | None = None,
    interpolate_lengths: bool = False,
    notice: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> Points:
    """Every option's cost at n points; `columns` maps a --set path to n values (numbers, or any value for re-resolved paths).

    `range_ends` also costs each estimated option at either end of the actual range its estimate allows (as each
    point's configuration resolves it: costcalc/bands.py range_for), its capacity scaled as report's cost range
    scales it. `warnings` collects where report's plausibility warnings fire (analysis/sweep_warnings). `as_is`: each
    path's value in the scenario as it stands (sensitivity's base); a re-resolved point at that value is built without
    setting it: the scenario as written, not with a value written into it (a price set in a file is held in every
    month, a table price follows its row's scheduled changes). `interpolate_lengths`: where the points re-resolve one
    request length alone, capacity under the SLO between the grid's lengths is read from the searches at the grid
    lengths either side (throughput/serving/length_grid.py), and `capacity_note` says so; not asked, where that would
    spare many searches, `notice` gets a line saying so before the points are costed (length_capacity.searches_hint).
    `jobs`: processes resolving re-resolved points, worker processes searching ahead of this one (analysis/ahead.py)."""
    base = source.build()
    plan = plan_inputs(base, columns)
    if check is not None:
        check_values(source, book, columns, plan, joint=check == JOINT_CHECK, label=label)
    groups = _groups(columns, plan.fallback, n, as_is or {})
    code, _, _ = book.currency(base)
    per_usd = np.ones(n)  # each point's exchange rate: a point may set its own (currency.per_usd swept or sampled)
    out: Points | None = None
    done = 0
    if notice is not None and not interpolate_lengths and plan.fallback:
        hint = searches_hint(base, plan.fallback, [columns[path] for path in plan.fallback])
        if hint is not None:
            notice(hint)
    if progress is not None:
        progress(0, n)  # the bar knows its length before the first chunk
    along = interpolated_along(plan.fallback) if interpolate_lengths else None
    interpolated = 0  # distinct values whose resolution read a capacity between two searches

    def cost(resolved: ResolvedScenario, idx: IntArray, targets: Mapping[str, Target | None], count: bool) -> None:
        """Every option's cost at the points `idx`, which `resolved` resolves (`count`: these rows are done)."""
        nonlocal out, done
        for lo in range(0, len(idx), CHUNK_ROWS):
            rows = idx[lo : lo + CHUNK_ROWS]
            values = {t: np.asarray(columns[p], dtype=float)[rows] for p, t in targets.items() if t is not None}
            for t, arr in (extra_targets or {}).items():
                values[t] = np.asarray(arr, dtype=float)[rows]
            ev = evaluate(resolved, values, len(rows), timeline=timeline)
            out = _merge(out, ev, rows, n, resolved.shape.tokens_per_request)
            if warnings is not None:
                warnings.chunk(resolved, ev, values, rows)
            if range_ends:
                _merge_range_ends(out, resolved, values, rows, n)
            done += len(rows) if count else 0
            if progress is not None and count:
                progress(done, n)

    # a simulation's points that re-resolve (a sampled length): resolved first, then costed at once (analysis/stacked)
    held: list[tuple[ResolvedScenario, IntArray, dict[str, Target | None]]] = []
    workers = 0 if along is not None else workers_for(base, len(groups), jobs)  # interpolated: searches shared
    with resolved_ahead(source, book, [settings for settings, _ in groups], workers, warnings) as wait:
        for at, (settings, idx) in enumerate(groups):
            wait(at)  # its capacity searches are here, run by a worker (none: they run as it resolves)
            with interpolating(along) as record:  # the resolution and its warnings are what ask for capacities
                try:
                    scenario = source.build(settings)
                    resolved = resolve(scenario, book)
                except InputError as exc:
                    shown = ", ".join(f"{p}={v}" for p, v in settings.items())
                    raise _relabel(exc, shown, label, settings) from None
                per_usd[idx] = _rate(book, scenario, code, settings, label)
                if warnings is not None:
                    warnings.group(resolved, idx)
            interpolated += record is not None and record.reads > 0
            targets = plan_inputs(scenario, {p: columns[p] for p, t in plan.targets.items() if t is not None}).targets
            for path, t in targets.items():
                if t is None:
                    raise InputError(
                        "cannot vary this together with the other inputs; vary it alone",
                        field=f"{label} {path}",
                    )
            if (
                len(groups) > 1
                and warnings is None
                and not range_ends
                and (WORKLOAD, "tokens_per_month") not in targets.values()
            ):
                held.append((resolved, idx, targets))
                done += len(idx)
                if progress is not None:
                    progress(done, n)
                if len(held) == HELD_RESOLUTIONS:
                    _cost_held(held, cost)
                    held = []
            else:
                cost(resolved, idx, targets, True)
    if held:
        _cost_held(held, cost)
    assert out is not None
    out.currency = code
    if interpolate_lengths:
        out.capacity_note = (
            interpolation_note(plan.fallback, interpolated, len(groups)) if along else NOTHING_TO_INTERPOLATE
        )
    if np.any(per_usd != 1.0):
        for table in (out.monthly, out.cumulative or {}):
            for k in table:
                table[k] = table[k] * per_usd
        if out.monthly_range is not None:
            out.monthly_range = {k: (low * per_usd, high * per_usd) for k, (low, high) in out.monthly_range.items()}
    return out


def _cost_held(
    held: list[tuple[ResolvedScenario, IntArray, dict[str, Target | None]]],
    cost: Callable[[ResolvedScenario, IntArray, Mapping[str, Target | None], bool], None],
) -> None:
    """The held resolutions' points costed at once, stacked (analysis/stacked.py), where they differ only in numbers
    and vary the same inputs; else each group's on its own."""
    rows = np.concatenate([idx for _, idx, _ in held])
    of_row = np.concatenate([np.full(len(idx), g, dtype=np.intp) for g, (_, idx, _) in enumerate(held)])
    order = np.argsort(rows, kind="stable")
    rows, of_row = rows[order], of_row[order]
    resolutions = [resolved for resolved, _, _ in held]
    targets = held[0][2]
    same = all(t == targets for _, _, t in held)
    for lo in range(0, len(rows), CHUNK_ROWS):
        one = stacked(resolutions, of_row[lo : lo + CHUNK_ROWS]) if same else None
        if one is None:
            for resolved, idx, group_targets in held:
                cost(resolved, idx, group_targets, False)
            return
        cost(one, rows[lo : lo + CHUNK_ROWS], targets, False)


def _rate(book: PriceSource, scenario: Scenario, code: str, settings: Mapping[str, Any], label: str) -> float:
    """Units of the report's currency per USD at one group of points; one currency across all of them."""
    own, per_usd, _ = book.currency(scenario)
    if own != code:
        shown = ", ".join(f"{p}={v}" for p, v in settings.items())
        raise _at(
            label,
            next((p for p in settings if p.startswith("currency")), None),
            f"every point is reported in one currency: {code} at the base, {own} at {shown}; vary the rate"
            " (currency.per_usd), not the code",
        )
    return per_usd


def actual_ranges(resolved: ResolvedScenario) -> dict[str, ActualRange]:
    """The actual range of each estimated self-hosted option's capacity, by its capacity-scale path."""
    out: dict[str, ActualRange] = {}
    from costcalc.resolve.hardware import ResolvedSelfHosted

    for opt in resolved.options:
        if isinstance(opt, ResolvedSelfHosted) and opt.throughput.kind == "estimated" and opt.throughput.actual_range:
            out[f"options[{opt.name}].{CAPACITY_SCALE}"] = opt.throughput.actual_range
    return out


RUNS_COSTED = (
    "`costcalc report` says what they would cost"  # after the words of runs_beyond, in simulate and sensitivity
)


def runs_beyond(resolved: ResolvedScenario) -> dict[str, str]:
    """'5 of 5 published runs of ... measured below their held-out estimates (...)' per capacity-scale path, where the
    runs of an estimated option's own configuration lie beyond the actual range simulate samples and sensitivity swings:
    the report's runs (published_runs.option_runs) and its words (report/run_evidence.beyond_words), one path."""
    from costcalc.analysis.published_runs import option_runs
    from costcalc.report.run_evidence import beyond_words
    from costcalc.resolve.hardware import ResolvedSelfHosted

    out: dict[str, str] = {}
    for opt in resolved.options:
        if isinstance(opt, ResolvedSelfHosted) and (
            words := beyond_words(option_runs(opt, resolved), opt.throughput.actual_range)
        ):
            out[f"options[{opt.name}].{CAPACITY_SCALE}"] = words
    return out


def capacity_warnings(resolved: ResolvedScenario) -> list[str]:
    """The warnings on each estimated self-hosted option's capacity, as report gives them (resolve/throughput: the
    published runs the estimator does not reproduce that cover the option), once each."""
    from costcalc.resolve.hardware import ResolvedSelfHosted

    said = (
        w
        for opt in resolved.options
        if isinstance(opt, ResolvedSelfHosted) and opt.throughput.kind == "estimated"
        for w in opt.throughput.warnings
    )
    return list(dict.fromkeys(said))


def _merge_range_ends(
    out: Points, resolved: ResolvedScenario, values: Mapping[Target, FloatArray], rows: IntArray, n: int
) -> None:
    """Each estimated option's monthly cost at the rows with its capacity at the actual range's high and low factor
    (on top of any throughput.scale the point sets), into out.monthly_range (USD until the caller converts)."""
    from costcalc.resolve.hardware import ResolvedSelfHosted

    if out.monthly_range is None:
        out.monthly_range = {}
    for opt in resolved.options:
        if not isinstance(opt, ResolvedSelfHosted) or opt.throughput.kind != "estimated":
            continue
        actual = opt.throughput.actual_range
        if actual is None:
            continue
        if actual not in (seen := out.actual_ranges.setdefault(opt.name, [])):
            seen.append(actual)
        target = (opt.name, CAPACITY_SCALE)
        scale = np.asarray(values[target], dtype=float) if target in values else np.ones(len(rows))
        ends = []
        for factor in (actual.high, actual.low):  # more capacity costs less: the low cost first
            ev = evaluate(resolved, {**values, target: scale * factor}, len(rows), break_even=False)
            ends.append(ev.monthly_usd[opt.name])
        low, high = out.monthly_range.setdefault(opt.name, (np.full(n, np.nan), np.full(n, np.nan)))
        low[rows], high[rows] = ends


def _groups(
    columns: Mapping[str, Column], fallback: Sequence[str], n: int, as_is: Mapping[str, float]
) -> list[tuple[dict[str, Any], IntArray]]:
    if not fallback:
        return [({}, np.arange(n))]
    import pandas as pd

    frame = pd.DataFrame(
        {p: list(columns[p]) if not isinstance(columns[p], np.ndarray) else columns[p] for p in fallback}
    )
    groups = []
    for key, idx in frame.groupby(list(fallback), sort=False).indices.items():
        key = key if isinstance(key, tuple) else (key,)
        settings = {p: _plain(v) for p, v in zip(fallback, key) if p not in as_is or v != as_is[p]}
        groups.append((settings, np.asarray(idx)))
    return groups


def _plain(v: object) -> object:
    item = getattr(v, "item", None)
    v = item() if callable(item) else v
    return int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2**53 else v


def _merge(out: Points | None, ev: Evaluation, rows: IntArray, n: int, tpr: float) -> Points:
    if out is None:

        def blank() -> FloatArray:
            return np.full(n, np.nan)

        out = Points(
            option_names=ev.option_names,
            kinds=ev.kinds,
            requests_per_month=blank(),
            tokens_per_month=blank(),
            monthly={k: blank() for k in ev.monthly_usd},
            break_even_requests={k: blank() for k in ev.break_even_requests},
            cumulative={k: blank() for k in ev.cumulative_usd} if ev.cumulative_usd is not None else None,
            tokens_per_request=blank(),
        )
    if ev.option_names != out.option_names:
        raise InputError(
            "the options differ between points; vary option fields, not the option list",
            param="vary",
        )
    out.requests_per_month[rows] = ev.requests_per_month
    out.tokens_per_month[rows] = ev.tokens_per_month
    out.tokens_per_request[rows] = tpr
    for k, v in ev.monthly_usd.items():
        out.monthly[k][rows] = v
    for k, v in ev.break_even_requests.items():
        out.break_even_requests[k][rows] = v
    if ev.cumulative_usd is not None and out.cumulative is not None:
        for k, v in ev.cumulative_usd.items():
            out.cumulative[k][rows] = v
    for k, cost in ev.costs.items():
        out.most_requests.setdefault(k, np.full(n, np.inf))[rows] = most_requests(cost)
    return out


def load_book(
    pricing_files: Sequence[str] = (),
    prices: PriceBook | PriceSource | None = None,
    pricing_lock: str | None = None,
    today: dt.date | None = None,
) -> PriceSource:
    """Prices as `costcalc.analysis.run.analyze` takes them: a lock file, a given book, or the tables + files
    (a PriceSource as given, so one command loads the tables once), valid on `today` (`--today`; None: the
    source's day, else the wall clock's)."""
    if isinstance(prices, PriceSource):
        return prices.on(today)
    return PriceSource(tuple(pricing_files), pricing_lock, prices, today)
