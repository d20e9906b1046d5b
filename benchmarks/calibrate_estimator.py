"""Refit the throughput estimator's factors on published results and print the error table.

    .venv/bin/python benchmarks/calibrate_estimator.py [CSV] [--no-fit] [--dry-run] [--cv]
        [--verbose] [--workers N] [--cv-only TEXT ...]

CSV defaults to the calibration set that ships with the package,
costcalc/throughput/calibration_data.csv. Without --no-fit it refits from the priors in
costcalc/throughput/priors.py and writes costcalc/throughput/factors.json (unless
--dry-run). --cv adds leave-one-source-out errors: each source's rows are estimated with factors
fitted on the other sources only. Writing the factors always runs that cross-validation: the
shipped error bands are its p90s over the output-rate rows, overall and per engine and scenario
class with enough rows (what to expect on unseen GPUs/models), not the in-sample errors; the
held-out estimates themselves are written to costcalc/throughput/calibration_holdout.csv so a
test can check the bands against them. The same writing run scores the unmodelled runs
(costcalc/throughput/calibration_unmodelled.csv, kept out of the fit) into unmodelled.json, the
warning an estimate of their architecture carries. --cv-only TEXT (repeatable) holds out only the sources
whose URL contains TEXT and prints their errors, writing nothing: a few minutes instead of the
whole cross-validation, for checking a change against the sources it targets. tests/throughput/test_calibration_refit.py checks that
the shipped factors equal a refit of the shipped data.

Each row is predicted the way its benchmark measured it (its protocol column): served bursts,
closed loops and rates, and queued in-process runs, through the serving simulation
(costcalc/throughput/protocols.py); fixed-batch in-process benchmarks through the estimator's
steady-state formula. Tables break the errors down by scenario class, engine, hardware class,
protocol and metric.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from costcalc.catalog import get_gpu
from costcalc.throughput.calibration import CALIBRATION_CSV, estimate_row, read_cases, row_metric
from costcalc.throughput.factors import FACTORS_JSON, gpu_class, load_factors, save_factors
from costcalc.throughput.fit import fit_factors
from costcalc.throughput.holdout import leave_one_source_out, write_holdout
from costcalc.throughput.priors import prior_factors
from costcalc.throughput.scoring import band_table, error_table, with_error_bands
from costcalc.throughput.unmodelled import read_unmodelled, save_gaps, score_gaps

# What "single-stream decode" means in the error tables: one request at a time, an output rate.
SINGLE_DECODE_METRICS = ("output_tokens_per_s", "decode_tokens_per_s", "tpot_ms")
# The groups every error table is broken down by (hardware is the GPU's class, from the catalog).
GROUPS = ("scenario", "engine", "hardware", "protocol", "metric")


def _with_hardware(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows with a 'hardware' column (datacenter, workstation, apple) for the tables."""
    return [{**r, "hardware": gpu_class(get_gpu(r["gpu"]))} for r in rows]


def _print_table(title: str, table) -> None:
    print(f"\n{title}")
    print(f"{'group':<28}{'rows':>6}{'median':>9}{'p90':>9}")
    for name, s in table.items():
        print(f"{name:<28}{s.rows:>6}{s.median:>9.1%}{s.p90:>9.1%}")


def _print_cv_subset(rows: list[dict[str, str]], held_out: list[float | None]) -> None:
    """The held-out errors of the sources --cv-only named: a table and every row."""
    pairs = [(r, e) for r, e in zip(rows, held_out, strict=True) if e is not None]
    subset = [r for r, _ in pairs]
    _print_table(
        f"leave-one-source-out on the {len(subset)} rows of the named sources",
        error_table(_with_hardware(subset), [e for _, e in pairs], by=GROUPS),
    )
    print(f"\n{'case':<8}{'gpu':<18}{'model':<28}{'metric (as scored)':<22}{'meas':>10}{'held-out':>11}{'err':>8}")
    for r, e in pairs:
        v = float(r["value"])
        print(
            f"{r.get('case_id', ''):<8}{r['gpu']:<18}{r['model']:<28}{row_metric(r):<22}"
            f"{v:>10.4g}{e:>11.6g}{(e - v) / v:>+8.0%}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=CALIBRATION_CSV)
    parser.add_argument("--no-fit", action="store_true", help="score the shipped factors only")
    parser.add_argument("--dry-run", action="store_true", help="fit and print, write nothing")
    parser.add_argument("--cv", action="store_true", help="add leave-one-source-out errors")
    parser.add_argument("--verbose", action="store_true", help="print every row")
    parser.add_argument("--workers", type=int, default=2, help="processes for the cross-validation fits")
    parser.add_argument(
        "--cv-only",
        action="append",
        metavar="TEXT",
        help="hold out only the sources whose URL contains TEXT (repeatable; writes nothing)",
    )
    args = parser.parse_args()

    _, cases = read_cases(args.csv)
    usable, skipped = [], []
    for row in cases:
        value, reason = estimate_row(row, prior_factors())
        (usable if value is not None else skipped).append((row, reason))
    for row, reason in skipped:
        print(f"skipped {row.get('case_id', '?')}: {reason}", file=sys.stderr)
    rows = [r for r, _ in usable]

    factors = load_factors() if args.no_fit else fit_factors(rows, prior_factors())
    estimates = [estimate_row(r, factors)[0] for r in rows]
    table = error_table(_with_hardware(rows), estimates, by=GROUPS)
    _print_table(f"absolute % error on {len(rows)} rows ({len(skipped)} skipped) of {args.csv.name}", table)
    decode = [
        (r, e)
        for r, e in zip(rows, estimates, strict=True)
        if r["scenario"] == "single" and r["metric"] in SINGLE_DECODE_METRICS
    ]
    _print_table(
        "single-stream decode (scenario single, output or decode tokens/s, tpot_ms)",
        {k: v for k, v in error_table([r for r, _ in decode], [e for _, e in decode], by=()).items()},
    )
    if args.verbose:
        print(
            f"\n{'case':<8}{'gpu':<18}{'model':<28}{'eng':<9}{'metric (as scored)':<22}"
            f"{'meas':>10}{'est':>10}{'err':>8}"
        )
        for r, e in zip(rows, estimates, strict=True):
            v = float(r["value"])
            err = "" if e is None else f"{(e - v) / v:+.0%}"
            est = "" if e is None else f"{e:.4g}"
            print(
                f"{r.get('case_id', ''):<8}{r['gpu']:<18}{r['model']:<28}{r['engine']:<9}"
                f"{row_metric(r):<22}{v:>10.4g}{est:>10}{err:>8}"
            )
    writes = not args.no_fit and not args.dry_run and not args.cv_only
    cv_table = bands_from = None
    if args.cv_only:
        _print_cv_subset(rows, leave_one_source_out(rows, workers=args.workers, sources=args.cv_only))
    elif args.cv or writes:
        held_out = leave_one_source_out(rows, workers=args.workers)
        cv_table = error_table(_with_hardware(rows), held_out, by=GROUPS)
        bands_from = band_table(rows, held_out)
        _print_table("leave-one-source-out (each source predicted by a fit without it)", cv_table)
        cv_decode = [
            (r, e)
            for r, e in zip(rows, held_out, strict=True)
            if r["scenario"] == "single" and r["metric"] in SINGLE_DECODE_METRICS
        ]
        _print_table(
            "leave-one-source-out, single-stream decode",
            error_table([r for r, _ in cv_decode], [e for _, e in cv_decode], by=()),
        )
        _print_table("leave-one-source-out, output-rate rows by engine/scenario (bands)", bands_from)
        if args.verbose:
            print(f"\n{'case':<8}{'held-out est':>14}{'err':>8}")
            for r, e in zip(rows, held_out, strict=True):
                v = float(r["value"])
                err = "" if e is None else f"{(e - v) / v:+.0%}"
                print(f"{r.get('case_id', ''):<8}{'' if e is None else f'{e:.4g}':>14}{err:>8}")
    print("\nfactors:")
    for name, ef in factors.engines.items():
        print(
            f"  {name:<9} bandwidth {ef.bandwidth_efficiency:.3f}"
            f"  compute {ef.compute_efficiency:.3f}"
            f"  step overhead {ef.step_overhead_ms:.3f} ms"
            f"  per sequence {ef.sequence_overhead_us:.1f} us"
            f"  emulated formats x{ef.emulated_format_efficiency:.3f}/level"
        )
        if ef.sm_bandwidth_gb_s or ef.sm_flops_per_clock:
            print(
                f"  {'':<9} per SM: {ef.sm_bandwidth_gb_s:.2f} GB/s (mat-vec),"
                f" {ef.sm_flops_per_clock:.0f} FLOP/clock (quantised GEMM)"
            )
    for name, cf in factors.classes.items():
        print(f"  class {name:<12} bandwidth x{cf.bandwidth:.3f}  compute x{cf.compute:.3f}")
    for key, cf in factors.engine_classes.items():
        print(f"  {key:<20} bandwidth x{cf.bandwidth:.3f}  compute x{cf.compute:.3f}")
    for key, cf in sorted(factors.architectures.items()):
        print(f"  architecture {key:<7} bandwidth x{cf.bandwidth:.3f}  compute x{cf.compute:.3f}")
    print(
        f"  MoE expert GEMM efficiency x{factors.moe_compute_efficiency:.3f}, "
        f"expert weight reads x{factors.moe_bandwidth_efficiency:.3f}"
    )
    print(
        f"  all-reduce latency {factors.comm_latency_us:.1f} us, "
        f"link efficiency {factors.comm_bandwidth_efficiency:.3f}"
    )
    print(f"  fp4 tensor-core GEMM efficiency x{factors.fp4_compute_efficiency:.3f}")
    print(f"  MoE layer overhead {factors.moe_layer_overhead_us:.1f} us per layer per step")
    if bands_from is not None:
        bands = with_error_bands(factors, bands_from, fitted_on=args.csv.name).error_bands
        print("  error bands (leave-one-source-out p90): " + ", ".join(f"{k} ±{v:.0%}" for k, v in bands.items()))
    if writes:
        assert bands_from is not None
        shipped = with_error_bands(factors, bands_from, fitted_on=args.csv.name)
        save_factors(shipped, FACTORS_JSON)
        write_holdout(rows, held_out)
        # Score with the factors as saved (rounded), so the file equals a scoring with the shipped factors.json.
        save_gaps(score_gaps(read_unmodelled(), load_factors(FACTORS_JSON)))
        print(f"\nwrote {FACTORS_JSON.relative_to(REPO)}, the held-out estimates and the unmodelled runs' scores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
