"""Break-even: the volume above which self-hosting stays cheaper than an API, and payback on a growth path."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from costcalc.engine.arrays import (
    BoolArray,
    FloatArray,
    Floats,
    IntArray,
    divide,
    floats,
    replaced,
    with_trailing_axis,
)
from costcalc.engine.self_hosted import (
    CEIL_TOLERANCE,
    SelfHostedPlan,
    follow_profile_bill_ceiling,
    full_use_cost_per_request,
    min_steps,
    requests_per_month_per_replica,
    requests_per_month_per_step,
    self_hosted_bill,
    self_hosted_monthly,
    self_hosted_sizing,
    step_intervals,
    step_tolerance_volume,
    total,
)
from costcalc.units import SECONDS_PER_MONTH

BLOCK_POINTS = 1 << 14  # points solved at once: the (points × candidate steps) temporaries stay in cache
REASONS = (  # indexed by the case _solve reports
    "a fully used replica costs more per token than the API",
    "self-hosting is cheaper at every volume",
    "self-hosting stays cheaper from the next replica step",
    "self-hosting stays cheaper above this volume",
)
NEVER, ALWAYS, NEXT_STEP, ROOT = range(len(REASONS))


@dataclass(frozen=True)
class BreakEven:
    """Requests per month from which self-hosting costs at most the API, at every higher volume.

    requests_per_month is None when self-hosting never stays cheaper; `reason` says why.
    """

    requests_per_month: float | None
    reason: str
    full_use_usd_per_request: float
    api_usd_per_request: float


def break_even_volume(
    plan: SelfHostedPlan,
    api_usd_per_request: float,
    *,
    peak_factor: float,
    hourly_factors: tuple[float, ...],
) -> BreakEven:
    """Smallest volume V* with self_hosted(V) <= api(V) for every V >= V* (not the first crossing).

    Self-hosted cost is a step function (whole replicas) plus, for owned GPUs, energy that rises
    with utilisation; the API bill is linear. Between two replica steps both are linear, so the
    difference is checked just after each step and solved exactly inside the last interval where
    it is positive. Past a bound derived from the full-use cost per request no step can be positive.
    """
    volume, case, m_full = solve_break_even(plan, api_usd_per_request, peak_factor, hourly_factors)
    found = float(volume) if case != NEVER else None
    return BreakEven(found, REASONS[int(case)], float(m_full), float(api_usd_per_request))


def break_even_volumes(
    plan: SelfHostedPlan,
    api_usd_per_request: Floats,
    *,
    peak_factor: Floats,
    hourly_factors: tuple[float, ...],
) -> FloatArray:
    """break_even_volume at every point the array inputs broadcast to (plan fields, API price, peak); NaN = never."""
    volume, case, _ = solve_break_even(plan, api_usd_per_request, peak_factor, hourly_factors)
    return np.where(case == NEVER, np.nan, volume)


def solve_break_even(
    plan: SelfHostedPlan, api_usd_per_request: Floats, peak_factor: Floats, hourly_factors: tuple[float, ...]
) -> tuple[FloatArray, IntArray, FloatArray]:
    """(volume, case: index of REASONS, full-use USD per request) at every point the array inputs broadcast to."""
    a = floats(api_usd_per_request)
    peak = floats(peak_factor)
    varied = {k: v for k, v in _numeric_fields(plan).items() if isinstance(v, np.ndarray)}
    shape = np.broadcast_shapes(a.shape, peak.shape, *(v.shape for v in varied.values()))
    if all(v.size > 0 and v.min() == v.max() for v in [a, peak, *varied.values()]):  # one problem: solve it once
        one = replaced(plan, {k: v.flat[0] for k, v in varied.items()})
        solved = _solve(one, np.asarray(a.flat[0]), peak.flat[0], hourly_factors)
        return tuple(np.full(shape, x) for x in solved)  # type: ignore[return-value]

    def flat(v: FloatArray) -> FloatArray:
        return np.broadcast_to(v, shape).reshape(-1)

    size = math.prod(shape)
    volume, case, full_use = np.empty(size), np.empty(size, dtype=np.int64), np.empty(size)
    for lo in range(0, size, BLOCK_POINTS):
        sl = slice(lo, lo + BLOCK_POINTS)
        block = replaced(plan, {k: flat(v)[sl] for k, v in varied.items()})
        volume[sl], case[sl], full_use[sl] = _solve(block, flat(a)[sl], flat(peak)[sl], hourly_factors)
    return volume.reshape(shape), case.reshape(shape), full_use.reshape(shape)


def _numeric_fields(plan: SelfHostedPlan) -> dict[str, Floats]:
    return {f.name: getattr(plan, f.name) for f in dataclasses.fields(plan) if f.name not in ("acquisition", "scaling")}


def _cost(plan: SelfHostedPlan, volume: Floats, peak: Floats, hourly: tuple[float, ...]) -> FloatArray:
    return total(self_hosted_monthly(plan, volume, peak_factor=peak, hourly_factors=hourly))


def _solve(
    plan: SelfHostedPlan, a: FloatArray, peak: Floats, hourly: tuple[float, ...]
) -> tuple[FloatArray, IntArray, Floats]:
    """Break-even volume, its case (index of REASONS) and the full-use USD per request, broadcast over the inputs.

    Intervals of fixed sizing run between the volumes where sizing adds a step: a replica, or a purchase block
    of them, at the peak for always-on plans (_last_dear_interval), in any hour for follow_profile ones, checked
    up to two replicas past `bound` (_last_dear_interval_by_scan).
    """
    m_full = full_use_cost_per_request(plan, peak, hourly)
    never = m_full >= a
    per = requests_per_month_per_step(plan, peak)
    floor_steps = min_steps(plan)
    one_replica_month = _cost(plan, per * np.maximum(floor_steps, 1), peak, hourly)
    # self(V) <= m_full*V + labour + (min steps + 2) step-months: no positive difference past `bound`
    slack = one_replica_month * (floor_steps + 2) + plan.labour_usd_per_month
    gap = np.where(never, 1.0, a - m_full)
    bound = np.where(never, np.inf, slack / gap)
    find = _last_dear_interval_by_scan if plan.scaling == "follow_profile" else _last_dear_interval
    lo, hi, bill_lo, bill_hi, any_dear = find(plan, a, peak, hourly, bound, gap)
    with np.errstate(divide="ignore", invalid="ignore"):  # where no start is dearer: not read
        slope = (bill_hi - bill_lo) / (hi - lo)  # the bill's, inside the interval (0 for rented GPUs)
        root = (bill_lo - slope * lo) / (a - slope)  # where its line meets the API's
    # dearer at the interval's end only beyond rounding: an exact tie there is the root (the same volume)
    dear_at_end = bill_hi - a * hi > TIE_TOLERANCE * np.maximum(bill_hi, a * hi)
    volume = np.where(any_dear, np.where(dear_at_end, hi, root), 0.0)
    case = np.where(never, NEVER, np.where(any_dear, np.where(dear_at_end, NEXT_STEP, ROOT), ALWAYS))
    return volume, case, m_full


def _last_dear_interval(
    plan: SelfHostedPlan, a: FloatArray, peak: Floats, hourly: tuple[float, ...], bound: FloatArray, gap: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, BoolArray]:
    """Always-on plans: the last interval whose start is dearer than the API, in closed form.

    Interval j is where demand needs j steps (a replica, or a purchase block of them): sizing rounds up
    CEIL_TOLERANCE of a replica past a whole step, so it runs from (j − 1)·per + t to j·per + t (t: that
    tolerance's volume; interval 0 from 0 to t), with max(min steps, j) steps. Inside it the bill is affine
    (constant for rented GPUs; energy linear in volume for owned ones) and read at its quarters (_ends),
    never at an end, where the step count depends on rounding. Its excess over the API just after the
    start falls by gap·per a step from j0 = max(min steps, 1) up, and by (API − the bill's slope)·per a step
    below j0, where the step count stays at the minimum: so from the excess at j0 the last positive j is
    found by formula, and only it and the one below (at an exact tie the formula lands on the tie) are
    evaluated with the bill itself. Returns (start, end, bill just after the start, bill at the end, any dearer).
    """
    per = requests_per_month_per_step(plan, peak)
    tol = step_tolerance_volume(plan, peak)
    grid = with_trailing_axis(plan)  # candidate intervals j on a trailing axis
    per_j, tol_j, peak_j = (np.expand_dims(x, -1) for x in (per, tol, peak))

    def edge(j: FloatArray) -> FloatArray:  # where interval j ends and j + 1 starts
        return floats(j * per_j + tol_j)

    def interval(j: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        starts, ends = np.maximum(edge(j - 1), 0.0), edge(j)
        at_start, at_end = _ends(
            _cost(grid, starts + (ends - starts) / 4, peak_j, hourly),
            _cost(grid, starts + 3 * (ends - starts) / 4, peak_j, hourly),
        )
        return starts, ends, at_start, at_end

    def first(x: FloatArray) -> FloatArray:
        return x[..., 0]

    j0 = np.maximum(min_steps(plan), 1)
    start0, end0, bill0, bill_end0 = (first(x) for x in interval(np.expand_dims(j0, -1)))
    excess0 = bill0 - a * start0
    slope_in_step = (bill_end0 - bill0) / (end0 - start0)  # the energy's: a step more or less sees no other change
    above = j0 + np.floor(excess0 / (per * gap))  # right where excess0 > 0
    below = j0 + np.floor(excess0 / (per * np.maximum(a - slope_in_step, gap)))  # right where excess0 <= 0
    cands = np.maximum(np.stack(np.broadcast_arrays(above - 1, above, below - 1, below), axis=-1), 0.0)
    starts, ends, at_start, at_end = interval(cands)
    api_at_start = np.expand_dims(a, -1) * starts
    # dearer by more than rounding: at an exact tie self-hosting costs no more than the API
    dear = at_start - api_at_start > TIE_TOLERANCE * np.maximum(at_start, api_at_start)
    last = np.expand_dims(np.argmax(np.where(dear, cands, -1.0), axis=-1), -1)

    def pick(x: FloatArray) -> FloatArray:
        return first(np.take_along_axis(x, last, axis=-1))

    return pick(starts), pick(ends), pick(at_start), pick(at_end), np.any(dear, axis=-1)


def _last_dear_interval_by_scan(
    plan: SelfHostedPlan, a: FloatArray, peak: Floats, hourly: tuple[float, ...], bound: FloatArray, gap: FloatArray
) -> tuple[FloatArray, ...]:
    """follow_profile's hourly steps: every step up to two replicas past the dear window's end is checked.

    Steps scale with capacity: in replica-months of capacity (x = volume / (capacity × seconds per month))
    they sit at (k + CEIL_TOLERANCE) / f for every hour's factor f, the same for every point with the same min_replicas
    and purchase block.
    So their sizing is computed once (self_hosted_sizing at unit capacity) and every point prices it
    with its own plan (self_hosted_bill), all points at once, in blocks of about STEP_CELLS cells.
    A point with more than MAX_TABLE_STEPS steps to check is scanned on its own (_scan), from the top down.
    """
    fields = _numeric_fields(plan)
    shape = np.broadcast_shapes(*(np.shape(v) for v in (*fields.values(), a, peak, bound)))
    size = math.prod(shape)

    def flat(v: Floats) -> FloatArray:
        return np.broadcast_to(floats(v), shape).ravel()

    unit = flat(plan.capacity_requests_per_s) * SECONDS_PER_MONTH  # requests per month of one x
    x_end = flat(_dear_window_end(plan, a * plan.capacity_requests_per_s * SECONDS_PER_MONTH, hourly))
    x_max = (np.minimum(flat(bound), x_end * unit) + 2 * flat(requests_per_month_per_replica(plan, peak))) / unit
    min_r, block_r = flat(plan.min_replicas), flat(plan.replica_block)
    points = replaced(plan, {k: flat(v) for k, v in fields.items() if np.ndim(v) > 0})
    a_flat = flat(a)
    found = np.zeros((5, size))  # start, end, bill after the start, at the end, any start dearer
    factors = floats([f for f in hourly if f > 0])
    for m, b in np.unique(np.stack([min_r, block_r], axis=1)[np.isfinite(x_max)], axis=0):
        rows = np.nonzero(np.isfinite(x_max) & (min_r == m) & (block_r == b))[0]
        steps, covered = _unit_steps(factors, float(x_max[rows].max()), MAX_TABLE_STEPS)
        counts = np.searchsorted(steps, x_max[rows])  # steps below x_max (two replicas past the last to check)
        beyond = x_max[rows] > covered
        for i in rows[beyond]:
            one = replaced(plan, {k: flat(v)[i] for k, v in fields.items()})
            found[:, i] = _scan(one, a_flat[i], flat(peak)[i], x_max[i] * unit[i], hourly)
        rows, counts = rows[~beyond], counts[~beyond]
        if rows.size == 0 or steps.size == 0:
            continue
        scalars = {k: np.asarray(v).flat[0] for k, v in fields.items()}
        scalars.update(capacity_requests_per_s=1.0 / SECONDS_PER_MONTH, min_replicas=float(m), replica_block=float(b))
        unit_plan = replaced(plan, scalars)
        starts = np.concatenate([[0.0], steps[:-1]])
        quarter = self_hosted_sizing(unit_plan, starts + (steps - starts) / 4, 1.0, hourly)
        three_quarters = self_hosted_sizing(unit_plan, starts + 3 * (steps - starts) / 4, 1.0, hourly)
        order = np.argsort(counts)
        lo = 0
        while lo < order.size:
            width = int(counts[order[lo]])
            hi = lo + 1
            while hi < order.size and (hi - lo + 1) * int(counts[order[hi]]) <= STEP_CELLS:
                hi += 1
            block = rows[order[lo:hi]]
            width = int(counts[order[hi - 1]])
            found[:, block] = _dear_in_table(
                replaced(points, {k: v[block, None] for k, v in vars(points).items() if np.ndim(v) > 0}),
                a_flat[block] * unit[block],
                starts[:width],
                steps[:width],
                {k: v[:width] for k, v in quarter.items()},
                {k: v[:width] for k, v in three_quarters.items()},
                counts[order[lo:hi]],
            )
            found[:2, block] *= unit[block]
            lo = hi
    return tuple(v.reshape(shape) for v in found)


MAX_TABLE_STEPS = 1 << 18  # steps shared by the points of one table; a point needing more is scanned alone
STEP_CELLS = 1 << 18  # points × steps priced at once (a few MB per temporary)
TIE_TOLERANCE = 1e-12  # a difference this small relative to the bill is a tie, not a dearer start


def _unit_steps(factors: FloatArray, upto: float, limit: int) -> tuple[FloatArray, float]:
    """Sorted distinct steps (k + CEIL_TOLERANCE) / f (k = 0, 1, ...: as replicas_for rounds) over the hourly
    factors in (0, upto], or in a shorter range
    (about `limit` steps); returns the steps and the end of the range they cover completely."""
    if factors.size == 0:
        return np.array([]), np.inf
    upto = min(upto, limit / factors.sum())
    per_factor = [(np.arange(math.floor(upto * f - CEIL_TOLERANCE) + 1) + CEIL_TOLERANCE) / f for f in factors]
    steps = np.unique(np.concatenate(per_factor))
    return steps[steps <= upto], upto


def _dear_in_table(
    plan: SelfHostedPlan,
    a_per_x: FloatArray,
    starts: FloatArray,
    ends: FloatArray,
    quarter: dict[str, FloatArray],
    three_quarters: dict[str, FloatArray],
    counts: IntArray,
) -> FloatArray:
    """Per point (rows of the plan's fields), the last step among its first `counts` whose start is dearer than the API.

    Sizing is constant inside a step and the bill affine, so the bills just after a start and at the end
    come from the bills a quarter and three quarters in (_ends). Returns rows (start, end in x units, the
    bill after the start, the one at the end, any dearer), as _scan does.
    """
    cells = (counts.size, ends.size)
    at_start, bill_end = _ends(
        np.broadcast_to(total(self_hosted_bill(plan, **quarter)), cells),
        np.broadcast_to(total(self_hosted_bill(plan, **three_quarters)), cells),
    )
    after_start = at_start - a_per_x[:, None] * starts
    api_at_start = a_per_x[:, None] * starts
    # dearer by more than rounding: at an exact tie self-hosting costs no more than the API
    dear = (after_start > TIE_TOLERANCE * np.maximum(at_start, api_at_start)) & (np.arange(ends.size) < counts[:, None])
    any_dear = dear.any(axis=1)
    last = ends.size - 1 - np.argmax(dear[:, ::-1], axis=1)  # where none is dearer: the last, and not read
    pick = np.arange(last.size)
    return np.where(
        any_dear,
        np.stack(
            [
                starts[last],
                ends[last],
                at_start[pick, last],
                bill_end[pick, last],
                np.ones(last.size),
            ]
        ),
        0.0,
    )


def _dear_window_end(plan: SelfHostedPlan, a_per_x: FloatArray, hourly: tuple[float, ...]) -> FloatArray:
    """x (replica-months of capacity) above which no step start is dearer than the API: where the bill's
    ceiling high0 + high1·x meets the API's a·x (inf where the API is no dearer per request than high1)."""
    high0, high1 = follow_profile_bill_ceiling(plan, hourly)
    return np.where(a_per_x > high1, divide(high0, a_per_x - high1, fill=np.inf), np.inf) * (1 + WINDOW_MARGIN)


WINDOW_MARGIN = 1e-6  # relative: rounding in the ceiling never hides a dearer step past the window's end
SCAN_STEPS = (1 << 12, 1 << 20)  # steps one scan prices first, and at most (doubling from the top down)
NONE_DEARER = (0.0,) * 5  # what a scan finds when no start is dearer: only its last entry (0: none) is read


def _scan(plan: SelfHostedPlan, a: float, peak: float, upto: float, hourly: tuple[float, ...]) -> tuple[float, ...]:
    """One row of _last_dear_interval_by_scan: the last interval ending by `upto` whose start is dearer than the API.

    Intervals are priced from the top down, SCAN_STEPS[0] at first and twice as many each time (at most
    SCAN_STEPS[1]), until one is dearer or 0 is reached. Each bill is read inside its interval (_ends), as in the table.
    """
    steps_per_volume = sum(f for f in hourly if f > 0) / (float(plan.capacity_requests_per_s) * SECONDS_PER_MONTH)
    steps = SCAN_STEPS[0]
    while True:
        starts, ends = step_intervals(plan, peak, hourly, upto, max(0.0, upto - steps / steps_per_volume))
        at_start, at_end = _ends(
            _cost(plan, starts + (ends - starts) / 4, peak, hourly),
            _cost(plan, starts + 3 * (ends - starts) / 4, peak, hourly),
        )
        diff_start = at_start - a * starts
        dear = np.nonzero(diff_start > TIE_TOLERANCE * np.maximum(at_start, a * starts))[0]
        if dear.size:
            i = int(dear[-1])
            return (starts[i], ends[i], at_start[i], at_end[i], 1.0)
        if starts.size == 0 or starts[0] <= 0:
            return NONE_DEARER
        upto = float(starts[0]) * (1 + 1e-9)  # the intervals below (and a few just priced again, none dearer)
        steps = min(2 * steps, SCAN_STEPS[1])


def _ends(quarter: FloatArray, three_quarters: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The bill just after a step's start and at its end, from the bills a quarter and three quarters in.

    Inside a step the sizing is fixed and the bill affine in volume; only points inside are evaluated, never
    a step's ends, where the replica count depends on rounding.
    """
    half_step = (three_quarters - quarter) / 2  # exactly 0 where the bill is constant in the step
    return quarter - half_step, three_quarters + half_step
