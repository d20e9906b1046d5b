"""Render a throughput Estimate (table, JSON) and estimated cases (CSV, JSON); pure, no I/O."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import asdict

from costcalc.analysis.cases import EstimatedCase
from costcalc.bands import ActualRange, BandBasis, basis_words, range_short, range_source
from costcalc.render.escape import csv_cell
from costcalc.report.nearest_runs import NearestRuns
from costcalc.report.result import rounded
from costcalc.throughput.estimate import GAP_FIELDS, Estimate
from costcalc.throughput.serving.engine_args import described_each
from costcalc.throughput.serving.estimated import EstimatedCapacity
from costcalc.throughput.serving.scheduler import describe
from costcalc.words import count

# 1.1: the string "1.1" (1.0 was the integer 1) and `band` (the load class, band and held-out rows behind
# error_band), in the capacity's `serving` too
# 1.2: `requests_waiting` and `waiting_note` (llama.cpp: requests asked for beyond llama-server's unasked slots)
# 1.3: `engine_version` and `engine_args` (the release and the flags read, as --engine-version / --engine-args gave
# them; null when not given); `waiting_note` also for a stated --max-num-seqs
# 1.4: `actual_range.band_basis` (which band and the held-out rows behind it, as the report's schema 1.10 has it)
# 1.5: `tpot_ms`, `output_tokens_per_s_per_user` and `serving.tpot_ms` null for one-token answers (no gap between
# tokens to time; the table says "none: one-token answers"), as the report's tpot_p95_ms is; before, the full load's
# whole-request time (16,267.6 ms) and 0.0 percentiles
# 1.6: `actual_range.architecture`, `architecture_low`, `architecture_high` (the GPU architecture whose held-out
# benchmarks lie mostly on one side of the estimate: throughput/architecture_bias.py) and its source
# `architecture_runs` where only they widened the range
# 1.7: `published_runs` (the published benchmark runs nearest the configuration, at the capacity's load class where
# there is one: exact, summary, levels[], as the report's throughput.published_runs, schema 1.13)
# 1.8: each published_runs level's `other_precision` (as the report's 1.16)
# 1.9: `layout_chosen`, why the estimate runs its layout where it chose one (the load it was chosen at; null on one
# GPU or where the layout was given)
ESTIMATE_SCHEMA_VERSION = "1.9"
# 1.0: the cases under `cases` beside schema_version and kind (before: a bare list of them, unversioned)
# 1.1: each case's `band` (as a single estimate's JSON has it), after its actual_range
# 1.2: each case's `actual_range.band_basis` (as a single estimate's)
# 1.3: each case's actual_range carries architecture, architecture_low, architecture_high (as a single estimate's 1.6)
# 1.4: each case's `published_runs` (as a single estimate's 1.7; its levels' other_precision as 1.8)
CASES_SCHEMA_VERSION = "1.4"

# (field, label, format) rows of the table view.
TABLE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("concurrency", "concurrency (requests in flight)", "{:,.0f}"),
    ("max_concurrency", "max concurrency that fits", "{:,.0f}"),
    ("output_tokens_per_s", "output tokens/s (replica)", "{:,.1f}"),
    ("requests_per_s", "requests/s", "{:,.3f}"),
    ("prefill_tokens_per_s", "input tokens/s (replica)", "{:,.1f}"),
    ("decode_tokens_per_s", "decode-only output tokens/s", "{:,.1f}"),
    ("ttft_ms", "TTFT ms (mean)", "{:,.1f}"),
    ("tpot_ms", "TPOT ms (mean)", "{:,.2f}"),
    ("output_tokens_per_s_per_user", "output tokens/s per user", "{:,.1f}"),
    ("weights_gb", "weights GB", "{:,.1f}"),
    ("kv_cache_gb_per_request", "KV cache GB per request", "{:,.3f}"),
    ("memory_used_gb", "memory used GB", "{:,.1f}"),
    ("memory_total_gb", "memory total GB", "{:,.1f}"),
)


# the rows of Estimate.GAP_FIELDS where an answer has one token (capacity.Targets.met says the same of the SLO); the
# JSON writes null there
ONE_TOKEN = "none: one-token answers"


def _range_text(actual: ActualRange | None) -> str:
    """'0.70x-1.72x', or '0.22x-1.85x (published deepseek-r1 runs)' where they widened the band: actual throughput
    as factors of the estimate, 9 in 10."""
    if actual is None:
        return "unknown"
    said = range_short(actual)
    return f"{said} ({range_source(actual)})" if actual.widened else said


def _range_dict(actual: ActualRange | None) -> object:
    """The range as JSON, its floats at the report's 12 significant digits (1 + 0.8541 is 1.8540999999999999), with
    its band_basis as every JSON's actual_range has it (the `band` object beside it, less its load and label)."""
    return None if actual is None else rounded(asdict(actual))


def render_table(
    e: Estimate,
    serving: EstimatedCapacity | None = None,
    *,
    width: int = 100,
    actual: ActualRange | None = None,
    serving_actual: ActualRange | None = None,
    basis: BandBasis,
    serving_basis: BandBasis | None = None,
    runs: NearestRuns | None = None,
    color: bool = False,
) -> str:
    """A two-column table of one estimate no wider than `width`, titled with its configuration; with `serving`,
    the simulated capacity under the SLO and its latency percentiles below. `actual` and `serving_actual` are the
    actual ranges of the estimate and of the capacity (costcalc/bands.py range_for), `basis` and `serving_basis`
    the bands behind them (throughput/band_basis.py); `runs`, the published runs nearest it, follow the table (on a
    terminal, `color`, their source URLs link whole)."""
    release = "" if e.engine_version is None else f" {e.engine_version}"
    config = [f"estimated: {e.model} ({e.precision}) on {e.gpu_count}x {e.gpu}", f"{e.engine}{release}"]
    head = _wrapped([*config, f"{count(e.input_tokens)} in / {count(e.output_tokens)} out"], width)
    if e.engine_args is not None:  # what each flag read sets (every flag given is one the estimator reads)
        flags = described_each(e.engine, e.engine_args)
        head += _wrapped([f"engine arguments read: {flags[0]}", *flags[1:]], width)
    rows = [
        (label, ONE_TOKEN if e.one_token and name in GAP_FIELDS else fmt.format(getattr(e, name)))
        for name, label, fmt in TABLE_ROWS
    ]
    # the layout, and why where the estimate chose it (the load it was chosen at: estimates at two loads can differ)
    rows.append(("parallelism", e.parallelism if e.layout_chosen is None else f"{e.parallelism}: {e.layout_chosen}"))
    if e.waiting_note is not None:
        rows.append(("requests waiting", e.waiting_note))
    rows.append((band_label("actual / estimate", basis, e.concurrency), _range_text(actual)))
    if not e.meets_slo and e.reason:
        rows.append(("SLO", e.reason))
    if serving is not None and serving.serving is not None:
        assert serving_basis is not None
        rows += _serving_rows(serving, serving_actual, serving_basis)
    ranged = actual if serving is None else serving_actual  # the range of the figure the runs are nearest
    return "\n".join(head) + "\n" + _two_columns(rows, width) + _runs_text(runs, ranged, width, color)


def _runs_text(runs: NearestRuns | None, actual: ActualRange | None, width: int, color: bool = False) -> str:
    """'Published runs: no published run of ...' (or where runs of the configuration disagree with its range `actual`,
    that) and one '- ' line per level (analysis/published_runs.py), wrapped to `width`; '' without them. On a terminal
    (color) each piece of a folded source URL links (OSC 8) to the whole address."""
    if runs is None:
        return ""
    from costcalc.analysis.published_runs import level_lines
    from costcalc.render.layout import linked_note
    from costcalc.report.run_evidence import runs_said

    text = linked_note(f"Published runs: {runs_said(runs, actual)}.", width, color=color, rest="  ")
    for line in level_lines(runs):
        text += linked_note(line, width, color=color, first="- ", rest="  ")
    return text + linked_note(HELD_OUT_NOTE, width, color=color)


# what 'held out' means under the estimate's published runs
HELD_OUT_NOTE = (
    "Held out: the estimate of the fit that did not see the run's source; costcalc catalog benchmarks lists every run."
)


def _wrapped(parts: list[str], width: int) -> list[str]:
    """Parts joined by ', ' in lines no wider than `width`, a line ending only between parts where it can (a part
    longer than a line wraps between its words); lines after the first indented by two spaces."""
    import textwrap

    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] += f", {part}"
        else:
            lines[-1] += ","
            lines.append(f"  {part}")
    out: list[str] = []
    for i, line in enumerate(lines):
        start = "" if i == 0 else "  "
        out += textwrap.wrap(line.strip(), width, initial_indent=start, subsequent_indent="  ", break_on_hyphens=False)
    return out


LABEL_WIDTH = 36  # the label column: its short labels on one line ('TTFT ms p50 / p95 / p99 (simulated)')
_TABLE_FRAME = 7  # a two-column box table's borders (3) and cell padding (4)


def _two_columns(rows: list[tuple[str, str]], width: int) -> str:
    """The rows as a boxed table `width` wide: labels in half of it, at least LABEL_WIDTH (a band's label wraps there),
    values in the rest, right-aligned where they fit on one line (numbers line up) and left-aligned where they wrap,
    so a sentence ('-np 8 (slots: sequences decoded at once, -1 auto)') reads from its start on every line."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    room = max(width - _TABLE_FRAME, 20)
    label_width = max(room // 2, min(LABEL_WIDTH, room - 16))  # half the room, or a short label's width if more
    value_width = room - label_width
    table = Table(show_header=False)
    table.add_column("metric", width=label_width)
    table.add_column("value", width=value_width, justify="right")
    for label, value in rows:
        table.add_row(label, Text(value, justify="left") if len(value) > value_width else value)
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False).print(table)
    return out.getvalue()


CAPACITY_RANGE = "capacity's actual / estimate"  # the capacity's range label, before its load and band


def load_words(scenario: str, concurrency: int | None) -> str:
    """The load a band is for (factors.scenario_class picked the band by it): 'at 8 in flight', or 'at full load,
    6 in flight' where it ran as many requests as fit; a cases row without a concurrency: 'at full load' (as many
    as fit) or 'at server load'."""
    full = "full load" if scenario == "offline" else None
    if concurrency is None:
        return f"at {full or f'{scenario} load'}"
    return f"at {f'{full}, ' if full else ''}{concurrency:,} in flight"


def band_label(what: str, b: BandBasis, concurrency: int | None) -> str:
    """'actual / estimate at 8 in flight (vllm server band: 9 in 10 of 53 held-out benchmarks)': the terminal's
    label of a range, which the JSON's `band.label` repeats (the band's words: bands.basis_words, as report's)."""
    return f"{what} {load_words(b.scenario, concurrency)} ({basis_words(b)})"


def band_dict(b: BandBasis, concurrency: int | None, what: str = "actual / estimate") -> dict[str, object]:
    """The band behind an estimate's range as JSON (a single estimate's, its capacity's and each cases row's): the
    load class that picked it, the concurrency it is for, the entry quoted, its p90 error, the held-out rows under
    it, and the terminal's label."""
    fields = asdict(b)  # engine, scenario, applies, p90_error, held_out_rows, class_held_out_rows
    return {
        **{k: fields.pop(k) for k in ("engine", "scenario")},
        "concurrency": concurrency,
        **fields,
        "label": band_label(what, b, concurrency),
    }


def _serving_rows(cap: EstimatedCapacity, actual: ActualRange | None, basis: BandBasis) -> list[tuple[str, str]]:
    """Rows of the simulated capacity: the rate, its actual range, p50/p95/p99 latencies there, what met the SLO."""
    s = cap.serving
    assert s is not None
    rows = [
        ("capacity under the SLO, requests/s", f"{s.requests_per_s:,.3f}"),
        (band_label(CAPACITY_RANGE, basis, cap.banded.concurrency), _range_text(actual)),
    ]
    if s.at is not None:
        t, p = s.at.ttft_ms, s.at.tpot_ms
        rows += [
            ("TTFT ms p50 / p95 / p99 (simulated)", f"{t.p50:,.0f} / {t.p95:,.0f} / {t.p99:,.0f}"),
            (
                "TPOT ms p50 / p95 / p99 (simulated)",
                ONE_TOKEN if cap.full_load.one_token else f"{p.p50:,.1f} / {p.p95:,.1f} / {p.p99:,.1f}",
            ),
            ("requests in flight (simulated mean)", f"{s.at.mean_in_flight:,.1f}"),
            ("simulated scheduler", describe(s.scheduler)),
        ]
    if s.meets_slo and s.at is not None:
        rows.append(("SLO met", s.targets.met(s.at)))
    elif not s.meets_slo and s.at is not None:
        rows.append(("SLO NOT met", s.unmet()))
    return rows


def serving_dict(cap: EstimatedCapacity, basis: BandBasis, actual: ActualRange | None = None) -> dict[str, object]:
    """The simulated capacity as a JSON-ready dict; `band` is the one behind its range (at the simulated load)."""
    s = cap.serving
    assert s is not None
    at = s.at
    return {
        "requests_per_s": s.requests_per_s,
        "error_band": cap.error_band,
        "actual_range": _range_dict(actual),
        "band": band_dict(basis, cap.banded.concurrency, CAPACITY_RANGE),
        "meets_slo": s.meets_slo,
        "ttft_p95_ms_target": s.targets.ttft_p95_ms,
        "min_output_tokens_per_s_per_user_target": s.targets.min_output_tokens_per_s_per_user,
        "ttft_ms": None if at is None else {k: _json_value(v) for k, v in asdict(at.ttft_ms).items()},
        # null for one-token answers, as the estimate's own tpot_ms: no gap between tokens to time
        "tpot_ms": None
        if at is None or cap.full_load.one_token
        else {k: _json_value(v) for k, v in asdict(at.tpot_ms).items()},
        "mean_requests_in_flight": None if at is None else at.mean_in_flight,
        "summary": s.summary(),
        "reason": s.reason,
    }


def _json_value(v: object) -> object:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def estimate_dict(e: Estimate, basis: BandBasis, actual: ActualRange | None = None) -> dict[str, object]:
    """The estimate as a JSON-ready dict (infinite latencies of a non-fit become null); after `error_band` its
    `actual_range` (the band widened to published runs where they measured less: costcalc/bands.py) and `band`
    (the load class that picked it and the held-out rows behind it; band_scenario is its `scenario`); last the requests
    waiting for the server's limit, the line saying so, and the engine release and arguments read."""
    body: dict[str, object] = {}
    for k, v in asdict(e).items():
        if k == "band_scenario":
            continue
        body[k] = None if e.one_token and k in GAP_FIELDS else _json_value(v)  # one token: no gap to time
        if k == "error_band":
            body["actual_range"] = _range_dict(actual)
            body["band"] = band_dict(basis, e.concurrency)
    return {"schema_version": ESTIMATE_SCHEMA_VERSION, "kind": "estimate", **body}


def render_json(
    e: Estimate,
    serving: EstimatedCapacity | None = None,
    *,
    actual: ActualRange | None = None,
    serving_actual: ActualRange | None = None,
    basis: BandBasis,
    serving_basis: BandBasis | None = None,
    runs: NearestRuns | None = None,
) -> str:
    """One estimate as indented JSON, keys in field order; `serving` adds the simulated capacity; `actual` and
    `serving_actual` their actual ranges, `basis` and `serving_basis` the bands behind them; `runs` the published runs
    nearest it (`published_runs`, last)."""
    body = estimate_dict(e, basis, actual)
    if serving is not None and serving.serving is not None:
        assert serving_basis is not None
        body["serving"] = serving_dict(serving, serving_basis, serving_actual)
    body["published_runs"] = None if runs is None else rounded(runs.model_dump(mode="json"))
    return json.dumps(body, indent=2, allow_nan=False) + "\n"


CASE_RANGE_COLUMNS = ("actual_over_estimate_low", "actual_over_estimate_high", "actual_range_source")  # as report CSV
CASE_RUNS_COLUMNS = ("published_runs_exact", "published_runs")  # as report CSV


def render_cases_csv(header: Sequence[str], cases: Sequence[EstimatedCase]) -> str:
    """Cases back as CSV: the input columns in their order, then `estimate`, its actual range (low and high factors
    of the estimate, and where they come from: costcalc/bands.py), the published runs nearest it (whether one ran its
    GPU, engine and model, yes / no, and in words, as report -f csv says them) and `reason`."""
    from costcalc.report.run_evidence import runs_said

    added = ("estimate", *CASE_RANGE_COLUMNS, *CASE_RUNS_COLUMNS, "reason")
    columns = list(header) + [c for c in added if c not in header]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for case in cases:
        row: dict[str, object] = {k: csv_cell(v) if isinstance(v, str) else v for k, v in case.row.items()}
        r = case.actual
        row.update(zip(CASE_RANGE_COLUMNS, ("", "", "") if r is None else _range_cells(r), strict=True))
        runs = case.runs
        said = ("", "") if runs is None else ("yes" if runs.exact else "no", csv_cell(runs_said(runs, r)))
        row.update(zip(CASE_RUNS_COLUMNS, said, strict=True))
        writer.writerow(row)
    return out.getvalue()


def _range_cells(r: ActualRange) -> tuple[str, str, str]:
    """The range's low and high factors (at the report's 12 significant digits) and its source."""
    return f"{r.low:.12g}", f"{r.high:.12g}", r.source


def render_cases_json(header: Sequence[str], cases: Sequence[EstimatedCase]) -> str:
    """{'schema_version', 'kind': 'estimate_cases', 'cases': [...]}, as every JSON costcalc writes is versioned: each
    case an object in column order; `estimate` a number or null, `actual_range` and `band` as a single estimate's
    JSON has them (null without an estimate; `band.concurrency` the row's, null for as many as fit), and
    `published_runs` as a single estimate's."""
    columns = list(header) + [c for c in ("estimate", "reason") if c not in header]
    items = []
    for case in cases:
        row = case.row
        item: dict[str, object] = {c: row.get(c, "") for c in columns}
        item["estimate"] = float(row["estimate"]) if row.get("estimate") else None
        item.pop("reason", None)  # after the range
        item["actual_range"] = _range_dict(case.actual)
        item["band"] = None if case.band is None else band_dict(case.band.basis, case.band.concurrency)
        item["published_runs"] = None if case.runs is None else rounded(case.runs.model_dump(mode="json"))
        item["reason"] = row.get("reason") or None
        items.append(item)
    doc = {"schema_version": CASES_SCHEMA_VERSION, "kind": "estimate_cases", "cases": items}
    return json.dumps(doc, indent=2, allow_nan=False) + "\n"
