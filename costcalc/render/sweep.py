"""Sweep results as a terminal table (a who-wins matrix for two inputs), CSV, JSON or Parquet; no I/O."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from costcalc.analysis.layouts import LAYOUT_COLUMN
from costcalc.render.escape import rich_markup, terminal
from costcalc.render.numbers import money, rounded, tokens
from costcalc.report.money_words import money_apart
from costcalc.throughput.load_cycle import LAYOUT_WORDS

MAX_TABLE_ROWS = 60  # a terminal shows a sample of longer sweeps; CSV/JSON/Parquet hold every row
MAX_MATRIX_ROWS = 25
MAX_MATRIX_COLUMNS = 10
COLOURS = ("green", "cyan", "magenta", "yellow", "blue", "red", "bright_green", "bright_cyan")


SCALES = ((1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "k"))  # (from, unit, suffix): '31.62k', '1M', '2.5B'


def _value(x: Any) -> str:
    """A varied input's value in a few characters: '0.25', '1,500', '31.62k', '1M' (never '1e+04')."""
    if isinstance(x, float):
        if math.isnan(x):
            return "-"
        for start, unit, suffix in SCALES:
            if abs(x) >= start:
                return f"{x / unit:,.4g}{suffix}"
        return f"{x:,.4g}"
    if isinstance(x, int) and not isinstance(x, bool):
        return _value(float(x))
    return str(x)


def _picks(count: int, limit: int) -> list[int]:
    if count <= limit:
        return list(range(count))
    return sorted({round(i * (count - 1) / (limit - 1)) for i in range(limit)})


def _e(text: Any) -> str:
    """User text (paths, option names) shown literally: never rich markup, no control characters."""
    return rich_markup(text)


def render_table(frame: Any, *, width: int = 120, color: bool = False) -> str:
    """Text for a terminal: a matrix of the cheapest option for two varied inputs, else a table of rows."""
    from rich.console import Console

    buf = io.StringIO()
    console = Console(
        file=buf, width=width, force_terminal=color, color_system="auto" if color else None, highlight=False
    )
    vary = list(frame.attrs.get("vary", []))
    options = list(frame.attrs.get("options", []))
    if "variant" in frame.columns and not vary:  # the variants alone: one table, a row per variant ('by variant')
        vary = ["variant"]
    groups = (
        [(None, frame)]
        if "variant" not in frame.columns or vary == ["variant"]
        else [(name, frame[frame["variant"] == name]) for name in frame["variant"].cat.categories]
    )
    for name, part in groups:
        if name is not None:
            console.print(f"[bold]Variant: {_e(name)}[/bold]")
        if len(vary) == 2:
            _matrix(console, part, vary, options)
        else:
            _rows(console, part, vary, options)
    return buf.getvalue()


def _rows(console: Any, frame: Any, vary: list[str], options: list[str]) -> None:
    """One line per swept point that fits the console: options by letter (a legend under it); on a narrow terminal
    the options that are never the cheapest nor the best self-hosted in the rows shown give way first."""
    from costcalc.render.layout import Column, fit, render

    currency = frame.attrs.get("currency", "USD")
    letters = _letters(options)
    has_self = "best_self_hosted" in frame.columns
    picks = _picks(len(frame), MAX_TABLE_ROWS)
    rows = frame.iloc[picks].to_dict(orient="records")
    leading = {str(r["cheapest"]) for r in rows} | ({str(r["best_self_hosted"]) for r in rows} if has_self else set())
    columns = []
    for path in vary:
        if path == "variant":  # the scenario's variants by name: words, left-aligned
            cells = [terminal(r[path]) for r in rows]
            columns.append(Column("Variant", cells, kind="text", wrap_at=28))
            continue
        cells = [_value(r[path]) for r in rows]
        columns.append(Column(_header(_short(path), max(map(len, cells), default=0)), cells, kind="number"))
    for n in options:
        columns.append(
            Column(
                letters[n],
                [money(r[f"monthly_cost[{n}]"], currency) for r in rows],
                kind="number",
                drop=0 if n in leading else 1,
                name=f"{letters[n]} ({n})",
            )
        )
        if (layout := LAYOUT_COLUMN.format(n)) in frame.columns:  # its GPUs or layout vary: kept over the ranges
            cells = [_layout_parts(r[layout])[0] for r in rows]
            columns.append(Column(f"{letters[n]}\nlayout", cells, kind="text", drop=2, name=f"{letters[n]} layout"))
        if f"monthly_cost_low[{n}]" in frame.columns:  # estimated: its cost at either end of its actual range
            cells = [_cost_range(r[f"monthly_cost_low[{n}]"], r[f"monthly_cost_high[{n}]"], currency) for r in rows]
            columns.append(Column(f"{letters[n]}\nrange", cells, kind="number", drop=3, name=f"{letters[n]} range"))
    columns.append(Column("Cheapest", [letters[str(r["cheapest"])] for r in rows], kind="id"))
    if has_self:
        cells = []
        for r in rows:
            best = str(r["best_self_hosted"])
            be = r.get(f"break_even_tokens_per_month[{best}]", float("nan"))
            cells.append(f"{letters.get(best, _e(best))} " + ("never" if math.isnan(be) else tokens(be)))
        columns.append(Column("Break-even tok/mo", cells, kind="text"))
    width = console.width
    kept = fit(columns, width)
    shown = [n for n in options if any(c.header == letters[n] for c in kept or columns)]
    title = (
        f"Monthly cost per option ({currency}) by {', '.join(vary)}; the cheapest option, and the break-even of the"
        " best self-hosted option vs the best API"
    )
    elsewhere = "as do --format csv and json"
    body = render(columns, width, elsewhere=elsewhere) if kept is not None else _packed(columns, len(vary), width)
    console.out(_wrapped(title, width), body, sep="\n", end="", highlight=False)
    console.out("\n".join(_legend([f"{letters[n]} = {n}" for n in shown], width)), highlight=False)
    if ranged := _range_words(frame, options, letters):
        console.out(_wrapped(ranged, width), highlight=False)
    for n in options:  # a layout column shown: the words after its layout, as the report's throughput line has them
        if any(c.name == f"{letters[n]} layout" for c in kept or ()):
            basis = _layout_basis([_layout_parts(r[LAYOUT_COLUMN.format(n)]) for r in rows])
            console.out(_wrapped(f"{letters[n]} layout: {basis}.", width), highlight=False)
    if len(picks) < len(frame):
        console.print(f"showing {len(picks)} of {len(frame):,} rows; --format csv, json or parquet has them all")


def _layout_parts(words: Any) -> tuple[str, str]:
    """A replica's layout in the report's words, split: ('tensor parallel', 'the layout chosen as serving more within
    the SLO'), ('pipeline parallel', 'as stated'), ('one GPU', ''); ('-', '') where the option has none (not estimated)."""
    if not isinstance(words, str):
        return "-", ""
    for layout in LAYOUT_WORDS.values():
        if words.startswith(layout):
            return layout, words[len(layout) :].lstrip(", ")
    return words, ""


def _layout_basis(parts: list[tuple[str, str]]) -> str:
    """Where the layouts shown come from: 'the layout chosen as serving more within the SLO at every point of more
    than one GPU', or each basis with its count of points ('as stated at 2 points; ... at 1 point')."""
    counts: dict[str, int] = {}
    for _, basis in parts:
        if basis:
            counts[basis] = counts.get(basis, 0) + 1
    if len(counts) == 1:
        return f"{next(iter(counts))} at every point of more than one GPU"
    return "; ".join(f"{basis} at {k} point{'' if k == 1 else 's'}" for basis, k in counts.items()) or "one GPU"


def _cost_range(low: float, high: float, currency: str) -> str:
    """'$6,730-$12,900': an estimated option's monthly cost at either end of its actual range, spelled as its cost
    beside it; one amount where both ends are the same (a replica floor the range does not move); '-' where it has
    none."""
    if math.isnan(low) or math.isnan(high):
        return "-"
    if low == high:
        return money(low, currency)
    return "-".join(money_apart(low, high, currency))


def _range_words(frame: Any, options: list[str], letters: dict[str, str], where: str = "each range column") -> str:
    """'Estimated throughput, actual over estimate 9 times in 10: E 0.53x-1.88x (held-out band); each range column
    costs a point at either end, as report's cost range does.' ('' when no option's throughput is estimated)."""
    from costcalc.bands import range_short, range_source

    said = []
    for n in options:
        found = frame.attrs.get("actual_ranges", {}).get(n) or []
        if len(found) == 1:
            said.append(f"{letters[n]} {range_short(found[0])} ({range_source(found[0])})")
        elif found:
            said.append(f"{letters[n]} {', '.join(range_short(r) for r in found)} (by point)")
    if not said:
        return ""
    return (
        f"Estimated throughput, actual over estimate 9 times in 10: {', '.join(said)}; {where} costs a point at"
        " either end, as report's cost range does."
    )


def _short(path: str) -> str:
    """A varied input's column header: its last key ('hourly_usd'); the title names the whole path."""
    return path.rsplit(".", 1)[-1] if "]" not in path.rsplit(".", 1)[-1] else path


def _header(name: str, cells_width: int) -> str:
    """A varied input's header in words, in lines no wider than its values or its longest word ('requests' /
    'per day' over '31.62k'), so a table of three or more inputs still fits 80 columns (the title names the path)."""
    import textwrap

    words = name.replace("_", " ").split()
    return "\n".join(textwrap.wrap(" ".join(words), width=max([cells_width, *map(len, words)])))


def _wrapped(text: str, width: int) -> str:
    """`text` as lines no wider than `width`, broken at spaces, with no trailing blanks; user text made safe."""
    import textwrap

    return "\n".join(textwrap.wrap(terminal(text), width=width, break_long_words=False, break_on_hyphens=False))


def _legend(entries: list[str], width: int, indent: str = "", styled: list[str] | None = None) -> list[str]:
    """'A = name' entries two spaces apart, lines broken between entries (an entry wider than `width` wraps alone);
    `styled` gives each entry's text to print (rich markup) where it stays whole, widths counted on `entries`."""
    lines: list[str] = []
    used = 0
    for i, entry in enumerate(entries):
        whole = _wrapped(entry, width - len(indent))
        text = styled[i] if styled is not None and "\n" not in whole else whole
        if lines and "\n" not in whole and used + 2 + len(whole) <= width:
            lines[-1] += "  " + text
            used += 2 + len(whole)
        else:
            lines += [indent + line for line in text.split("\n")]
            used = len(indent) + len(whole.split("\n")[-1])
    return lines


def _packed(columns: list[Any], inputs: int, width: int) -> str:
    """Each point in a few lines when even one line per point is too wide (many varied inputs on a narrow terminal):
    its inputs, then every option's cost, the cheapest and the break-even, packed two spaces apart."""
    lines = []
    for r in range(len(columns[0].cells)):
        lines += _legend([f"{' '.join(c.header.split())}: {c.cells[r]}" for c in columns[:inputs]], width)
        lines += _legend([f"{' '.join(c.header.split())} {c.cells[r]}" for c in columns[inputs:]], width, "  ")
    return "\n".join(lines) + "\n"


def _letters(options: list[str]) -> dict[str, str]:
    """A, B, C, ... per option in the scenario's order (the legend under a sweep's table or matrix)."""
    return {name: chr(ord("A") + i) if i < 26 else str(i) for i, name in enumerate(options)}


def _matrix(console: Any, frame: Any, vary: list[str], options: list[str]) -> None:
    """The cheapest option at each pair of values, and its monthly cost; under it, where that option rests on an
    estimated throughput, its cost at either end of the actual range (as a one-input sweep's range column). As many
    columns as fit the console whole (evenly spaced; a line under the matrix says how many of how many)."""
    from rich.table import Table

    currency = frame.attrs.get("currency", "USD")
    rows_key, cols_key = vary
    row_values = list(dict.fromkeys(frame[rows_key].tolist()))
    col_values = list(dict.fromkeys(frame[cols_key].tolist()))
    letters = _letters(options)
    colour = {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(options)}
    rsel = [row_values[i] for i in _picks(len(row_values), MAX_MATRIX_ROWS)]
    cells: dict[tuple[Any, Any], tuple[str, str, str]] = {}  # (option, its cost, its cost range or '-')
    ends = [c for n in options for c in (f"monthly_cost_low[{n}]", f"monthly_cost_high[{n}]") if c in frame.columns]
    wanted = [rows_key, cols_key, "cheapest", *[f"monthly_cost[{n}]" for n in options], *ends]
    for record in frame.loc[frame[rows_key].isin(rsel), wanted].to_dict(orient="records"):  # the rows shown only
        name = str(record["cheapest"])
        low, high = (
            record.get(f"monthly_cost_low[{name}]", math.nan),
            record.get(f"monthly_cost_high[{name}]", math.nan),
        )
        cost = money(record[f"monthly_cost[{name}]"], currency)
        cells[(record[rows_key], record[cols_key])] = (name, cost, _cost_range(low, high, currency))
    ranged = any(spread != "-" for _, _, spread in cells.values())
    corner = f"{_short(rows_key)} \\ {_short(cols_key)}"
    corner_width = max([len(_value(r)) for r in rsel] + [len(w) for w in corner.split()])
    cell_width = max(
        [len(letters[n]) + 1 + len(cost) for n, cost, _ in cells.values()]
        + [len(spread) for _, _, spread in cells.values() if spread != "-"]
        + [len(_value(c)) for c in col_values]
    )
    room = (console.width - 1 - (corner_width + 3)) // (cell_width + 3)  # each column: its cells, 2 of padding, 1 rule
    csel = [col_values[i] for i in _picks(len(col_values), max(1, min(MAX_MATRIX_COLUMNS, room)))]
    width = console.width
    title = f"Cheapest option by {rows_key} (rows) and {cols_key} (columns); cell: option and its monthly cost" + (
        ", under it its cost at either end of its actual range where it rests on an estimate" if ranged else ""
    )
    console.out(_wrapped(title, width), highlight=False)
    table = Table(header_style="bold")
    table.add_column(_e(corner), justify="right", overflow="fold", min_width=corner_width)
    for c in csel:
        table.add_column(_value(c), justify="right", no_wrap=True, min_width=cell_width)
    for r in rsel:
        row = []
        for c in csel:
            name, cost, spread = cells[(r, c)]
            cell = f"[{colour[name]}]{letters[name]}[/{colour[name]}] {cost}"
            row.append(cell if spread == "-" else f"{cell}\n{spread}")
        table.add_row(_value(r), *row)
    console.print(table)
    styled = [f"[{colour[n]}]{letters[n]}[/{colour[n]}] = {_e(n)}" for n in options]
    for line in _legend([f"{letters[n]} = {n}" for n in options], width, styled=styled):
        console.print(line, soft_wrap=True)
    if words := _range_words(frame, options, letters, "each cell's range" if ranged else "--format csv or json"):
        console.out(_wrapped(words, width), highlight=False)
    if laid := [letters[n] for n in options if LAYOUT_COLUMN.format(n) in frame.columns]:
        what = f"The layout of {' and '.join(laid)} at each point (tensor or pipeline parallel, stated or chosen)"
        console.out(_wrapped(f"{what} is in --format csv and json (layout[OPTION]).", width), highlight=False)
    if len(rsel) < len(row_values) or len(csel) < len(col_values):
        more = "; a wider terminal shows more columns" if len(csel) < min(MAX_MATRIX_COLUMNS, len(col_values)) else ""
        shown = f"showing {len(rsel)}×{len(csel)} of {len(row_values)}×{len(col_values)} points{more}"
        console.out(_wrapped(f"{shown}; --format csv, json or parquet has them all", width), highlight=False)


def render_csv(frame: Any, *, progress: Callable[[int, int], None] | None = None) -> str:
    """Every row, rounded (full precision stays in the engine; parquet and JSON keep more): money to the cent,
    token and request counts to whole numbers, the varied inputs to 6 significant digits; NaN (never) empty."""
    from costcalc.render.csv_table import frame_csv

    return frame_csv(frame, csv_rule, progress=progress)


MONEY_COLUMNS = ("monthly_cost[", "monthly_cost_low[", "monthly_cost_high[", "self_hosted_savings")
BREAK_EVEN_COLUMN = "break_even_tokens_per_month["  # NaN: never
COUNT_COLUMNS = ("requests_per_month", "tokens_per_month", BREAK_EVEN_COLUMN)


def csv_rule(column: str) -> str:
    """How the sweep's CSV writes a numeric column: 'money' (cents), 'count' (whole) or 'number' (6 digits)."""
    if column.startswith(MONEY_COLUMNS):
        return "money"
    if column.startswith(COUNT_COLUMNS):
        return "count"
    return "number"


def render_json(frame: Any) -> str:
    """{'schema_version', 'kind': 'sweep', 'vary', 'options', 'currency', 'actual_ranges', 'warnings', 'rows': [...]}; NaN as null, stable rounding; each
    break_even_tokens_per_month[OPTION] with its break_even_tokens_per_month_is[OPTION] ('never' beside a null,
    report/json_numbers)."""
    from costcalc.report.json_numbers import NEVER, number, why_key

    siblings = {k: why_key(k) for k in frame.columns if str(k).startswith(BREAK_EVEN_COLUMN)}  # one key per column
    rows = []
    for rec in frame.to_dict(orient="records"):
        row: dict[str, Any] = {}
        for k, v in rec.items():
            why = siblings.get(k)
            if why is None:
                row[k] = None if isinstance(v, float) and math.isnan(v) else v
            else:
                row[k], row[why] = number(v, missing=NEVER)
        rows.append(row)
    doc = {
        # 1.1: rows carry monthly_cost_low[OPTION] and monthly_cost_high[OPTION] for an estimated option (its cost at
        # either end of the actual range its estimate allows), and actual_ranges gives each option's range(s)
        # 1.2: each break_even_tokens_per_month[OPTION] has its break_even_tokens_per_month_is[OPTION]: 'never' where
        # it is null (report/json_numbers), null beside a number
        # 1.3: each actual range carries its band_basis (which band and the held-out rows behind it, as report's)
        # 1.4: each actual range's architecture, architecture_low, architecture_high (source architecture_runs)
        # 1.5: warnings: what standard error says (a variant's setting the sweep replaces; report's plausibility
        # warnings once per kind, with the points each covers)
        # 1.6: rows carry layout[OPTION] where a self-hosted option's GPUs a replica or its layout differ between the
        # points: the report's words ('tensor parallel, the layout chosen as serving more within the SLO', 'one GPU')
        "schema_version": "1.6",
        "kind": "sweep",
        "vary": list(frame.attrs.get("vary", [])),
        "options": list(frame.attrs.get("options", [])),
        "currency": frame.attrs.get("currency", "USD"),
        "actual_ranges": {k: [asdict(r) for r in v] for k, v in frame.attrs.get("actual_ranges", {}).items()},
        "warnings": list(frame.attrs.get("warnings", [])),
        "rows": rows,
    }
    return json.dumps(rounded(doc), indent=2, ensure_ascii=False, default=str, allow_nan=False) + "\n"


def render_parquet(frame: Any) -> bytes:
    """Parquet bytes (needs pyarrow: `pip install pyarrow`)."""
    from costcalc.errors import InputError

    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InputError(
            "parquet output needs pyarrow; pip install pyarrow, or use format=csv",
            param="format",
            mentions=("format",),
            named=True,
        ) from None
    buf = io.BytesIO()
    plain = frame.copy()
    plain.attrs = {}
    plain.to_parquet(buf, index=False)
    return buf.getvalue()


# Peak memory each output format adds per row (bytes: fixed, per option), measured by
# benchmarks/bench_memory_budget.py and rounded up; the analysis' own share is in analysis/budget.py. JSON's per
# option: sweep 1.2's break-even `_is` beside every self-hosted option's break-even; measured 2026-12-06 with all
# options but one self-hosted (the most break-even columns; 100,000 points, 3 and 20 options: 466 and 1,989 MB added,
# 939 bytes a point per option; 500 was short of that case before 1.2 too: 1,653 MB at 20 options, estimate 1,331).
RENDER_BYTES_PER_POINT = {"table": (0.0, 0.0), "csv": (500.0, 60.0), "json": (3000.0, 1000.0), "parquet": (150.0, 50.0)}


def render_bytes_per_point(format_name: str) -> tuple[float, float]:
    """What rendering one sweep row in this format costs in peak memory (fixed, per option)."""
    return RENDER_BYTES_PER_POINT.get(format_name, (0.0, 0.0))
