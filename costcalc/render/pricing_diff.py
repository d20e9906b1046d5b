"""Render a `pricing update` result (what changed, source and date) as a table or JSON."""

from __future__ import annotations

import io
import json
from typing import Any

from costcalc.pricing.update import PriceDiff, UpdateResult

MAX_TABLE_ROWS = 40  # longer lists are cut in the table view; the JSON view has everything
TABLE_WIDTH = 120


def render_table(result: UpdateResult) -> str:
    """Human view: header (source, URL, date, counts), then changed, added and removed rows."""
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, width=TABLE_WIDTH, force_terminal=False, color_system=None)
    diff = result.diff
    console.print(f"{result.source}: {result.rows} rows from {result.url} (fetched {result.fetched_on.isoformat()})")
    if result.dated_by:
        console.print(f"rows dated from {result.dated_by}")
    if result.skipped:
        reasons = ", ".join(f"{reason} {count}" for reason, count in result.skipped.items())
        console.print(f"skipped {sum(result.skipped.values())} of {result.seen} entries: {reasons}")
    console.print(
        f"against {result.previous_rows} cached rows: {len(diff.added)} added, "
        f"{len(diff.removed)} removed, {len(diff.changed)} changed, {diff.unchanged} unchanged"
    )
    if diff.changed:
        table = Table(title="price changes", title_justify="left")
        for col in ("id", "field", "old", "new", "change", "source", "as of"):
            table.add_column(col, justify="right" if col in ("old", "new", "change") else "left")
        shown = 0
        for row in diff.changed:
            for change in row.fields:
                if shown < MAX_TABLE_ROWS:
                    table.add_row(
                        row.id,
                        change.field,
                        _num(change.old),
                        _num(change.new),
                        _pct(change.change_pct),
                        _short_source(row.source, result.url),
                        row.as_of.isoformat(),
                    )
                shown += 1
        console.print(table)
        _more(console, shown)
    if diff.added:
        table = Table(title="added", title_justify="left")
        for col in ("id", "input $/MTok", "output $/MTok", "source", "as of"):
            table.add_column(col, justify="right" if "$" in col else "left")
        for row in diff.added[:MAX_TABLE_ROWS]:
            table.add_row(
                row.id,
                _num(row.input_usd_per_mtok),
                _num(row.output_usd_per_mtok),
                _short_source(row.source, result.url),
                row.as_of.isoformat(),
            )
        console.print(table)
        _more(console, len(diff.added))
    if diff.removed:
        names = ", ".join(r.id for r in diff.removed[:MAX_TABLE_ROWS])
        console.print(f"removed: {names}")
        _more(console, len(diff.removed))
    console.print(f"stored in {result.cache_file}" if result.written else "dry run: the cache was not changed")
    return buf.getvalue()


def render_json(result: UpdateResult) -> str:
    """Machine view: everything, keys sorted, prices at full precision."""
    return json.dumps(to_dict(result), indent=2, sort_keys=True) + "\n"


def to_dict(result: UpdateResult) -> dict[str, Any]:
    """The result as plain JSON types."""
    return {
        "source": result.source,
        "url": result.url,
        "fetched_on": result.fetched_on.isoformat(),
        "dated_by": result.dated_by,
        "rows": result.rows,
        "entries_seen": result.seen,
        "skipped": dict(result.skipped),
        "previous_rows": result.previous_rows,
        "written": result.written,
        "cache_file": result.cache_file,
        "warnings": list(result.warnings),
        **_diff_dict(result.diff),
    }


def _diff_dict(diff: PriceDiff) -> dict[str, Any]:
    return {
        "added": [r.model_dump(mode="json", exclude_none=True) for r in diff.added],
        "removed": [{"id": r.id, "source": r.source, "as_of": r.as_of.isoformat()} for r in diff.removed],
        "changed": [
            {
                "id": c.id,
                "source": c.source,
                "as_of": c.as_of.isoformat(),
                "fields": [
                    {"field": f.field, "old": f.old, "new": f.new, "change_pct": f.change_pct} for f in c.fields
                ],
            }
            for c in diff.changed
        ],
        "unchanged": diff.unchanged,
    }


def _num(value: float | int | None) -> str:
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, int) else f"{value:.6g}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1f}%"


def _short_source(source: str, url: str) -> str:
    """'URL#key' → '#key' when URL is the fetched one (in the header), else the whole source."""
    if source == url:
        return "(URL above)"
    return source[len(url) :] if source.startswith(url + "#") else source


def _more(console: Any, total: int) -> None:
    if total > MAX_TABLE_ROWS:
        console.print(f"... and {total - MAX_TABLE_ROWS} more (use --format json for all)")
