"""Report's plausibility warnings at a sweep's points: each kind said once, with the points it covers."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from costcalc.analysis.costing import priced_refs
from costcalc.analysis.fewer_gpus import fewer_gpus_line
from costcalc.analysis.fleet_size import Fleet, fleet, fleet_size_line, too_large
from costcalc.analysis.vectorized import WORKLOAD, Evaluation, Target
from costcalc.analysis.warnings import STALE_SHOWN_BY, slo_missed_line, stale_line, unseated, unseated_line
from costcalc.engine.arrays import FloatArray, IntArray
from costcalc.engine.costs import SeatCost, SelfHostedCost
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.scenario import ResolvedApi, ResolvedScenario, past_context, priced_row
from costcalc.scenario.plausibility import (
    HORIZON_GROWTH_MULTIPLE,
    compounding_line,
    dotted_thousands,
    horizon_multiple,
    steep_growth,
    steep_growth_line,
)

MAX_VALUES_LISTED = 4  # a swept input of words (a GPU id, a model) lists this many of the values a warning covers


@dataclass
class _Kind:
    line: str  # report's line at the point where the kind is strongest (the largest fleet, the steepest growth)
    score: float
    covered: NDArray[np.bool_]  # over every point of the sweep (runs of variants one after another)


class PointWarnings:
    """Where each of report's plausibility warnings would fire over a sweep's points: growth_per_month a percentage
    was likely written for, growth compounding past a thousandfold by the horizon's end (scenario/plausibility), a
    fleet past the largest AI cluster in its busiest month (fleet_size), a replica that half its GPUs would beat
    (fewer_gpus), no operating point meeting the SLO, a count written '1.000', prices past their age limit, and a seat
    plan of fewer seats than users (warnings.unseated).
    Each kind's predicate and line are report's own functions, called with the points' values; evaluate_points
    calls group() once per resolution and chunk() per block of rows.
    """

    def __init__(self, total: int, varied: Sequence[str] = (), today: dt.date | None = None) -> None:
        self.total = total
        self.today = today or dt.date.today()  # the day prices are looked up for: their age is counted to it
        self.varied = set(varied)  # the swept paths: a count the file wrote '1.000' is not said where the sweep sets it
        self.offset = 0  # where the run (the base or a variant) being evaluated starts among the points
        self.kinds: dict[str, _Kind] = {}

    def _add(self, kind: str, rows: IntArray, scores: FloatArray, line_at: str | Callable[[int], str | None]) -> None:
        """The kind fires at `rows` (indices within the run); `line_at(j)` is report's line at rows[j] (called here,
        before the caller's loop moves on)."""
        if len(rows) == 0:
            return
        j = int(np.argmax(scores))
        found = self.kinds.setdefault(kind, _Kind("", -math.inf, np.zeros(self.total, dtype=bool)))
        if float(scores[j]) > found.score and (line := line_at if isinstance(line_at, str) else line_at(j)) is not None:
            found.line, found.score = line, float(scores[j])
        found.covered[self.offset + rows] = True

    def group(self, resolved: ResolvedScenario, rows: IntArray) -> None:
        """The warnings one resolution holds at every row it costs: prices past their age limit, no operating point
        meeting the SLO, a replica of half the GPUs serving more (the serving simulation's, once per configuration),
        a count written '1.000'."""
        sc = resolved.scenario
        flat = np.zeros(len(rows))
        refs = [r for opt in resolved.options for r in priced_refs(opt.prices, self.today, sc.stale_after_days)]
        if (stale := stale_line(refs, sc.stale_after_days, STALE_SHOWN_BY)) is not None:  # report's line, sweep's hint
            self._add("stale", rows, flat, stale)
        for said in dotted_thousands(resolved.scenario):  # a count the file wrote '1.000', unless the sweep sets it
            if (shown := said.split(":", 1)[0]) not in self.varied:
                self._add(f"thousands[{shown}]", rows, flat, said)
        for opt in resolved.options:
            if isinstance(opt, ResolvedApi):  # prompts past its context window, as resolved for these rows
                for said in opt.warnings:
                    self._add(f"context[{opt.name}]", rows, flat, said)
            if not isinstance(opt, ResolvedSelfHosted):
                continue
            if not opt.throughput.meets_slo:
                self._add(f"slo[{opt.name}]", rows, flat, slo_missed_line(opt))
            if (line := fewer_gpus_line(resolved, opt)) is not None:
                self._add(f"fewer_gpus[{opt.name}]", rows, flat, line)

    def chunk(self, resolved: ResolvedScenario, ev: Evaluation, values: Mapping[Target, Any], rows: IntArray) -> None:
        """The warnings that move with the points' values: growth (a swept workload.growth_per_month, else the
        scenario's), each seat option's seats against the users, and each self-hosted option's fleet in its busiest
        month, sized by the points' own costs."""
        n = len(rows)
        wl = resolved.workload
        growth = np.broadcast_to(
            np.asarray(values.get((WORKLOAD, "growth_per_month"), wl.growth_per_month), float), (n,)
        )
        horizon = resolved.scenario.horizon_months
        steep = np.flatnonzero(steep_growth(growth))
        self._add("growth_steep", rows[steep], growth[steep], lambda j: steep_growth_line(float(growth[steep[j]])))
        multiple = horizon_multiple(growth, horizon)
        big = np.flatnonzero(multiple > HORIZON_GROWTH_MULTIPLE)
        self._add(
            "growth_compounds", rows[big], multiple[big], lambda j: compounding_line(float(growth[big[j]]), horizon)
        )
        users = values.get((WORKLOAD, "users"), wl.users)
        for name, seat in ev.costs.items():
            if isinstance(seat, SeatCost) and users is not None:  # fewer seats than users, at the points it is
                people = np.broadcast_to(np.asarray(users, float), (n,))
                seats = np.broadcast_to(np.asarray(seat.seats, float), (n,))
                short = np.flatnonzero(unseated(seats, people))
                self._add(
                    f"unseated[{name}]",
                    rows[short],
                    (people - seats)[short],
                    partial(_unseated_line, name, seats, people, ev.tokens_per_month, short),
                )
        prompts = np.broadcast_to(np.asarray(values.get((WORKLOAD, "input_tokens"), wl.mean_input_tokens), float), (n,))
        for api in (opt for opt in resolved.options if isinstance(opt, ResolvedApi)):  # report's line, at its points
            row = priced_row(api)
            window = np.inf if row is None or row.context_window_tokens is None else row.context_window_tokens
            past = np.flatnonzero(prompts > window)
            self._add(
                f"context[{api.name}]", rows[past], prompts[past], partial(_context_line, api.name, row, prompts, past)
            )
        for opt in resolved.options:
            cost = ev.costs.get(opt.name)
            if not isinstance(opt, ResolvedSelfHosted) or not isinstance(cost, SelfHostedCost) or ev.request is None:
                continue
            found = fleet(opt, ev.request, ev.requests_per_month, growth, horizon, cost)
            gpus = np.broadcast_to(found.gpus, (n,))
            over = np.flatnonzero(too_large(gpus))
            self._add(
                f"fleet[{opt.name}]",
                rows[over],
                gpus[over],
                partial(_fleet_line, opt, found, over, growth),
            )

    def lines(self, columns: Mapping[str, Any], n: int, runs: Sequence[str | None]) -> list[str]:
        """Each kind's line once, with the points it covers: '... (at 3 of 11 points: workload.growth_per_month 2.5
        to 5)', or '(at every point)'; `columns` are the swept inputs' n values, `runs` the variant of each run."""
        return [f"{k.line} ({_coverage(np.flatnonzero(k.covered), columns, n, runs)})" for k in self.kinds.values()]


def _context_line(name: str, row: Any, prompts: FloatArray, past: IntArray, j: int) -> str:
    """Report's line for an API option's prompts past its context window, at the j-th point past it."""
    return past_context(name, row, float(prompts[past[j]]))


def _fleet_line(opt: ResolvedSelfHosted, found: Fleet, over: IntArray, growth: FloatArray, j: int) -> str | None:
    return fleet_size_line(opt, found, int(over[j]), float(growth[over[j]]))


def _unseated_line(name: str, seats: FloatArray, users: FloatArray, tokens: FloatArray, short: IntArray, j: int) -> str:
    at = int(short[j])
    return unseated_line(name, round(float(seats[at])), round(float(users[at])), float(tokens[at]))


def _coverage(found: IntArray, columns: Mapping[str, Any], n: int, runs: Sequence[str | None]) -> str:
    total = n * len(runs)
    if len(found) == total:
        return "at every point" if total > 1 else "at the point"
    parts = []
    if len(runs) > 1:
        parts.append(f"variant {_listed([runs[i] for i in np.unique(found // n)])}")
    for path, values in columns.items():
        parts.append(f"{path} {_values(np.asarray(values)[found % n])}")
    return f"at {len(found):,} of {total:,} points: {'; '.join(parts)}"


def _values(values: NDArray[Any]) -> str:
    """'2.5 to 5', '1,000,000', or the distinct words: 'h100-sxm-80gb, l40s-48gb'."""
    if values.dtype.kind in "iuf":
        low, high = float(values.min()), float(values.max())
        return _number(low) if low == high else f"{_number(low)} to {_number(high)}"
    return _listed(list(dict.fromkeys(values.tolist())))


def _number(x: float) -> str:
    return f"{x:,.0f}" if x.is_integer() and abs(x) < 1e15 else f"{x:.4g}"


def _listed(values: Sequence[Any]) -> str:
    shown = ", ".join(str(v) for v in values[:MAX_VALUES_LISTED])
    more = len(values) - MAX_VALUES_LISTED
    return shown if more <= 0 else f"{shown} and {more} more"
