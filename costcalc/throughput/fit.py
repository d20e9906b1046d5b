"""Refit the factors to calibration rows: a coordinate search in log space from the priors."""

from __future__ import annotations

import math
from collections.abc import Sequence

from costcalc.throughput.architecture import SEPARATE_STACK_ARCHITECTURES
from costcalc.throughput.calibration import Lookup, estimate_row, publisher_of, row_protocol
from costcalc.throughput.factors import Factors
from costcalc.throughput.knobs import _Knob, fit_row, knobs
from costcalc.throughput.protocols import CLOSED_LOOPS

# Weight of a row in the fit by the CSV's trust column; unknown trust counts as medium.
TRUST_WEIGHT = {"high": 1.0, "medium": 1.0, "low": 0.5}
# Step multipliers of the coordinate search, one per round (the last repeats).
FIT_STEPS: tuple[float, ...] = (2.0, 1.5, 1.25, 1.1, 1.05, 1.02)


# The fit's stages, in order (knobs._Knob.stage): 1 the engines' and classes' shared factors, with the
# kernel-architecture factors held where they start; 2 the architecture factors alone, every stage-1 factor held.
# Fitted together (session 14's refit), the A100 rows re-split the shared vLLM / TensorRT-LLM efficiencies and
# moved the Hopper rows' held-out estimates (server median 11.3% -> 14.4%); staged, a row whose architecture has no
# fitted factor is estimated exactly as by the stage-1 fit, the fit without architecture factors. Rows of an
# architecture whose engines run another kernel stack (architecture.SEPARATE_STACK_ARCHITECTURES: ROCm) take no part
# in stage 1: the shared factors are those of the fit without them, and they move only their own factors in stage 2.
FIT_STAGES: tuple[int, ...] = (1, 2)


def fit_factors(
    cases: Sequence[dict[str, str]],
    start: Factors,
    lookup: Lookup | None = None,
    *,
    rounds: int = len(FIT_STEPS),
    prior_weight: float = 0.02,
    stages: Sequence[int] = FIT_STAGES,
) -> Factors:
    """Fit the factors stage by stage (FIT_STAGES): each stage's knobs by _search, the earlier stages' held.

    A stage fits only the rows some of its knobs can move (the others' error cannot change), weighed
    against every row's weight as in a joint fit, so the pull toward the priors is the same.
    """
    if lookup is None:
        from costcalc.catalog import get_gpu, get_model

        lookup = (get_gpu, get_model)
    rows = [fit_row(r, lookup) for r in cases]
    weights = [TRUST_WEIGHT.get((r.get("trust") or "").strip(), 1.0) for r in cases]
    # the rows the first stage fits: all but those of another kernel stack's architectures
    shared = [i for i, r in enumerate(rows) if r is None or r.architecture not in SEPARATE_STACK_ARCHITECTURES]
    first = set(shared)
    # a factor that starts at 0 is switched off in `start` and stays off (it cannot move by ratios)
    all_knobs = [k for k in knobs() if k.get(start) > 0]
    priors = {k.name: k.get(start) for k in all_knobs}
    scopes = {
        k.name: [
            i for i, r in enumerate(rows) if r is not None and k.scope(r) and (k.stage != FIT_STAGES[0] or i in first)
        ]
        for k in all_knobs
    }
    # a factor whose rows come from fewer publishers than it asks for is left where it starts
    for k in all_knobs:
        if len({publisher_of(cases[i]) for i in scopes[k.name]}) < k.min_publishers:
            scopes[k.name] = []
    current = start
    for stage in stages:
        staged = [k for k in all_knobs if k.stage == stage]
        # the first stage sees every row but another kernel stack's; a later one only the rows its knobs move
        members = shared if stage == FIT_STAGES[0] else sorted({i for k in staged for i in scopes[k.name]})
        if not members:
            continue
        position = {i: n for n, i in enumerate(members)}
        current = _search(
            [cases[i] for i in members],
            [weights[i] for i in members],
            float(sum(weights[i] for i in shared) if stage == FIT_STAGES[0] else sum(weights)),
            current,
            lookup,
            staged,
            priors,
            {k.name: [position[i] for i in scopes[k.name]] for k in staged},
            rounds=rounds,
            prior_weight=prior_weight,
        )
    return current


def _search(
    cases: Sequence[dict[str, str]],
    weights: Sequence[float],
    total_weight: float,
    start: Factors,
    lookup: Lookup,
    stage_knobs: Sequence[_Knob],
    priors: dict[str, float],
    scopes: dict[str, list[int]],
    *,
    rounds: int,
    prior_weight: float,
) -> Factors:
    """Coordinate search in log space minimising the weighted mean |log(estimate/measured)|.

    L1 in log space aims at the median error. A small pull toward the starting (prior) value
    keeps factors that few rows inform (an engine with one row) near physically sensible values.
    A trial value of one factor re-estimates only the rows in that factor's scope; the others
    keep their error. Served rows (bursts, closed loops, rates) are simulated once at the start of
    each round; within the round they move with their steady-state estimate times the ratio the
    simulation gave (the simulation is ~100x slower than the steady-state formula). Each round
    thus starts from the simulated truth, and the errors reported after a fit are simulated.
    """
    measured = [float(r["value"]) for r in cases]
    served = [i for i, r in enumerate(cases) if row_protocol(r).kind != "in_process"]
    steady_rows = {i: _steady_state_row(cases[i]) for i in served}
    # a served row's simulated value over its steady-state estimate, re-anchored every round
    ratio: dict[int, float] = {}

    def estimate_of(i: int, f: Factors) -> float | None:
        if i in ratio:
            quick, _ = estimate_row(steady_rows[i], f, lookup)
            return None if quick is None else quick * ratio[i]
        return estimate_row(cases[i], f, lookup)[0]

    def row_error(i: int, f: Factors) -> float:
        est = estimate_of(i, f)
        if est is None or est <= 0 or not math.isfinite(est):
            return 0.0
        return float(weights[i] * abs(math.log(est / measured[i])))

    def anchor(f: Factors) -> None:
        ratio.clear()
        for i in served:
            sim, _ = estimate_row(cases[i], f, lookup)
            quick, _ = estimate_row(steady_rows[i], f, lookup)
            if sim is not None and quick and math.isfinite(sim / quick):
                ratio[i] = sim / quick

    def penalty(f: Factors) -> float:
        return prior_weight * sum((math.log(k.get(f) / priors[k.name])) ** 2 for k in stage_knobs)

    current = start
    for rnd in range(rounds):
        anchor(current)
        errors = [row_error(i, current) for i in range(len(cases))]
        total = sum(errors)
        best = total / total_weight + penalty(current)
        step = FIT_STEPS[min(rnd, len(FIT_STEPS) - 1)]
        for knob in stage_knobs:
            scope = scopes[knob.name]
            if not scope:
                continue
            value = knob.get(current)
            for mult in (1 / step**2, 1 / step, step, step**2):
                trial_value = min(max(value * mult, knob.low), knob.high)
                if trial_value == value:
                    continue
                trial = knob.set(current, trial_value)
                moved = [row_error(i, trial) for i in scope]
                trial_total = total - sum(errors[i] for i in scope) + sum(moved)
                trial_loss = trial_total / total_weight + penalty(trial)
                if trial_loss < best:
                    best, current, value, total = trial_loss, trial, trial_value, trial_total
                    for i, e in zip(scope, moved, strict=True):
                        errors[i] = e
    return current


def _steady_state_row(row: dict[str, str]) -> dict[str, str]:
    """A served row as the estimator's steady state sees it: the closed loop at its concurrency,
    a burst or rate at as many requests as fit (the fit's fast stand-in between simulations)."""
    closed = row_protocol(row).kind in CLOSED_LOOPS
    return {**row, "protocol": "in_process", "concurrency": row.get("concurrency", "") if closed else ""}
