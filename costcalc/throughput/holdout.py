"""Leave-one-source-out estimates of the calibration rows, and the file that records them (the bands' evidence)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from costcalc.throughput.calibration import Lookup, estimate_row, source_of
from costcalc.throughput.fit import FIT_STEPS, fit_factors
from costcalc.throughput.priors import prior_factors

# Each row's leave-one-source-out estimate from the last refit: the shipped bands' evidence.
HOLDOUT_CSV = Path(__file__).with_name("calibration_holdout.csv")


def _held_out(args: tuple[list[dict[str, str]], str, Lookup | None, int]) -> list[tuple[int, float | None]]:
    """Estimates of one source's rows from factors fitted on every other source (a worker's task)."""
    cases, src, lookup, rounds = args
    train = [r for r in cases if source_of(r) != src]
    f_cv = fit_factors(train, prior_factors(without=src), lookup, rounds=rounds)
    return [(i, estimate_row(r, f_cv, lookup)[0]) for i, r in enumerate(cases) if source_of(r) == src]


def leave_one_source_out(
    cases: Sequence[dict[str, str]],
    lookup: Lookup | None = None,
    *,
    rounds: int = len(FIT_STEPS),
    workers: int = 1,
    sources: Sequence[str] | None = None,
) -> list[float | None]:
    """Each row estimated with factors fitted from the priors on every other source's rows.

    The errors of these estimates are what a user should expect on hardware, models and
    benchmarks the calibration has not seen; they set the shipped error bands. Each fold runs the
    shipped fit's rounds (every step of FIT_STEPS, down to 2%): with 4 rounds the last step was 10%,
    and two folds that differ by one source's rows could stop a factor 10% apart. `workers` > 1
    fits the sources in that many processes (the result does not depend on it). `sources`
    holds out only the sources whose URL contains one of those strings (a quick check of a few
    sources while developing); every other row's entry is None.
    """
    held = sorted({source_of(r) for r in cases})
    if sources is not None:
        held = [src for src in held if any(part in src for part in sources)]
    tasks = [(list(cases), src, lookup, rounds) for src in held]
    out: dict[int, float | None] = dict.fromkeys(range(len(cases)))
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(_held_out, tasks):
                out.update(part)
    else:
        for task in tasks:
            out.update(_held_out(task))
    return [out[i] for i in range(len(cases))]


def write_holdout(cases: Sequence[dict[str, str]], estimates: Sequence[float | None], path: Path = HOLDOUT_CSV) -> None:
    """Write case_id, engine, scenario, metric, value and held-out estimate, one row per case."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case_id", "engine", "scenario", "metric", "value", "held_out_estimate"])
        for row, est in zip(cases, estimates, strict=True):
            w.writerow(
                [
                    row["case_id"],
                    row["engine"],
                    row["scenario"],
                    row["metric"],
                    row["value"],
                    "" if est is None else f"{est:.6g}",
                ]
            )


def read_holdout(path: Path = HOLDOUT_CSV) -> tuple[list[dict[str, str]], list[float | None]]:
    """The rows and held-out estimates write_holdout wrote."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return rows, [float(r["held_out_estimate"]) if r["held_out_estimate"] else None for r in rows]
