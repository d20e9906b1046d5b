"""Render a `pricing update` result (what changed, source and date) as a table or JSON."""

from __future__ import annotations

import io
import json
from typing import Any

from costcalc.pricing.update import PriceDiff, UpdateResult
from costcalc.render.escape import terminal

MAX_TABLE_ROWS = 40  # longer lists are cut in the table view; the JSON view has everything
ELSEWHERE = "as does --format json"  # where a column the terminal had no room for is shown


def render_table(result: UpdateResult, width: int = 120) -> str:
    """Human view fitted to `width`: header (source, URL, date, counts), then changed, added and removed rows."""
    from rich.console import Console

    from costcalc.render.layout import Column, render

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None, highlight=False)

    def say(text: str) -> None:
        console.print(terminal(text), markup=False, overflow="fold")

    diff = result.diff
    say(f"{result.source}: {result.rows} rows from {result.url} (fetched {result.fetched_on.isoformat()})")
    if result.dated_by:
        say(f"rows dated from {result.dated_by}")
    if result.skipped:
        reasons = ", ".join(f"{reason} {count}" for reason, count in result.skipped.items())
        say(f"skipped {sum(result.skipped.values())} of {result.seen} entries: {reasons}")
    say(
        f"against {result.previous_rows} cached rows: {len(diff.added)} added, "
        f"{len(diff.removed)} removed, {len(diff.changed)} changed, {diff.unchanged} unchanged"
    )
    if diff.changed:
        changes = [(row, change) for row in diff.changed for change in row.fields]
        shown = changes[:MAX_TABLE_ROWS]
        columns = [
            Column("id", [r.id for r, _ in shown], kind="id"),
            Column("field", [c.field for _, c in shown], kind="id", drop=1),
            Column("old", [_num(c.old) for _, c in shown], kind="number"),
            Column("new", [_num(c.new) for _, c in shown], kind="number"),
            Column("change", [_pct(c.change_pct) for _, c in shown], kind="number", drop=2),
            Column("source", [_short_source(r.source, result.url) for r, _ in shown], kind="text", drop=4),
            Column("as of", [r.as_of.isoformat() for r, _ in shown], kind="id", drop=3),
        ]
        buf.write(render(columns, width, title="price changes", elsewhere=ELSEWHERE))
        _more(console, len(changes))
    if diff.added:
        added = diff.added[:MAX_TABLE_ROWS]
        columns = [
            Column("id", [r.id for r in added], kind="id"),
            Column("in $/M", [_num(r.input_usd_per_mtok) for r in added], kind="number"),
            Column("out $/M", [_num(r.output_usd_per_mtok) for r in added], kind="number"),
            Column("source", [_short_source(r.source, result.url) for r in added], kind="text", drop=2),
            Column("as of", [r.as_of.isoformat() for r in added], kind="id", drop=1),
        ]
        buf.write(render(columns, width, title="added", elsewhere=ELSEWHERE))
        _more(console, len(diff.added))
    if diff.removed:
        names = ", ".join(r.id for r in diff.removed[:MAX_TABLE_ROWS])
        say(f"removed: {names}")
        _more(console, len(diff.removed))
    say(f"stored in {result.cache_file}" if result.written else "dry run: the cache was not changed")
    return buf.getvalue()


def render_json(result: UpdateResult) -> str:
    """Machine view: everything, keys sorted, prices at full precision."""
    return json.dumps(to_dict(result), indent=2, sort_keys=True, allow_nan=False) + "\n"


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
        console.print(f"... and {total - MAX_TABLE_ROWS} more (use --format json for all)", markup=False)
