"""Price table listings for `costcalc pricing list|show`: table, JSON and CSV text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from costcalc.pricing.book import Priced
from costcalc.pricing.schema import PriceRow
from costcalc.render.escape import csv_cell, terminal
from costcalc.render.layout import Kind
from costcalc.render.numbers import money

ELSEWHERE = "as do --format json and `costcalc pricing show ID`"  # where a column the terminal had no room for is shown

# The table view of each price table: (field, header, kind, drop); drop 0 stays at any width, the highest goes first.
SUMMARY_COLUMNS: dict[str, tuple[tuple[str, str, Kind, int], ...]] = {
    "api": (
        ("id", "id", "id", 0),
        ("input_usd_per_mtok", "in $/M", "number", 0),
        ("cached_input_usd_per_mtok", "cached", "number", 2),
        ("output_usd_per_mtok", "out $/M", "number", 0),
        ("batch_input_usd_per_mtok", "batch in", "number", 3),
        ("long_context_threshold_tokens", "long ctx from", "number", 4),
        ("as_of", "as of", "id", 1),
    ),
    "seats": (
        ("id", "id", "id", 0),
        ("monthly_usd_per_seat", "$/seat/mo", "number", 0),
        ("annual_usd_per_seat_month", "annual", "number", 2),
        ("usage_cap", "usage cap", "text", 3),
        ("as_of", "as of", "id", 1),
    ),
    "rental": (
        ("id", "id", "id", 0),
        ("gpu", "gpu", "id", 3),
        ("gpu_count", "gpus", "number", 2),
        ("usd_per_gpu_hour", "$/GPU-h", "number", 0),
        ("pricing_type", "type", "id", 4),
        ("region", "region", "id", 5),
        ("as_of", "as of", "id", 1),
    ),
    "hardware": (
        ("id", "id", "id", 0),
        ("kind", "kind", "id", 3),
        ("gpu", "gpu", "id", 2),
        ("gpu_count", "gpus", "number", 2),
        ("price_usd", "price $", "number", 0),
        ("as_of", "as of", "id", 1),
    ),
    "datacenter": (
        ("id", "id", "id", 0),
        ("value", "value", "number", 0),
        ("unit", "unit", "text", 2),
        ("as_of", "as of", "id", 1),
    ),
    "fx": (
        ("id", "id", "id", 0),
        ("currency", "currency", "id", 2),
        ("per_usd", "per USD", "number", 0),
        ("as_of", "as of", "id", 1),
    ),
}


# Money columns, in the house money style to a fixed number of decimals each (`pricing show ID` has every digit).
# An API's $/M columns stay as numbers: their rows run from $0.0075 to $75, which no one number of decimals spells.
MONEY_DECIMALS = {
    "usd_per_gpu_hour": 2,
    "monthly_usd_per_seat": 2,
    "annual_usd_per_seat_month": 2,
    "price_usd": 0,
}


def row_dict(p: Priced[PriceRow]) -> dict[str, Any]:
    """All fields of a row plus its origin, JSON-ready."""
    d: dict[str, Any] = p.row.model_dump(mode="json")
    d["origin"] = p.origin
    return d


# 2.0: an object {schema_version, kind, rows} (`pricing show`: {schema_version, kind, row}), as every JSON costcalc
# writes is versioned; before, unversioned: a bare list of rows (`show`: the row's object). A major version: the
# shape changed.
PRICING_SCHEMA_VERSION = "2.0"


def render_json(rows: list[tuple[str, Priced[PriceRow]]]) -> str:
    """{'schema_version', 'kind': 'pricing_list', 'rows': [{table, ...fields, origin}]}, rows sorted as given."""
    doc = {"schema_version": PRICING_SCHEMA_VERSION, "kind": "pricing_list", "rows": [_json_row(t, p) for t, p in rows]}
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_csv(rows: list[tuple[str, Priced[PriceRow]]]) -> str:
    """One CSV with the union of columns; `table` first."""
    cols: list[str] = ["table"]
    for _, p in rows:
        for k in row_dict(p):
            if k not in cols:
                cols.append(k)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for t, p in rows:
        w.writerow({"table": t, **{k: _csv_value(v) for k, v in row_dict(p).items()}})
    return out.getvalue()


def _csv_value(value: object) -> object:
    """A cell of a price CSV: empty for None, text made formula-safe, numbers as they are."""
    if value is None:
        return ""
    return csv_cell(value) if isinstance(value, str) else value


def render_table(rows: list[tuple[str, Priced[PriceRow]]], width: int = 120, on: dt.date | None = None) -> str:
    """One table per price table, its summary columns fitted to `width` (ids whole; `pricing show ID` has the rest);
    an as-of date older than its table's limit on `on` (the report day) is starred, and a line under the table says
    what the star means."""
    from costcalc.render import layout
    from costcalc.render.wrapping import wrap

    tables: list[str] = []
    for t, _ in rows:
        if t not in tables:
            tables.append(t)
    parts = []
    for t in tables:
        priced = [p for x, p in rows if x == t]
        dicts = [row_dict(p) for p in priced]
        stale = [on is not None and _stale_words(t, p, on) is not None for p in priced]
        columns = [
            layout.Column(
                header,
                [
                    _cell(d.get(key), MONEY_DECIMALS.get(key)) + (STALE_MARK if key == "as_of" and old else "")
                    for d, old in zip(dicts, stale, strict=True)
                ],
                kind=kind,
                drop=drop,
            )
            for key, header, kind, drop in SUMMARY_COLUMNS[t]
        ]
        text = layout.render(columns, width, title=f"{t} ({len(dicts)} rows)", elsewhere=ELSEWHERE)
        if any(stale) and on is not None:
            from costcalc.pricing.freshness import stale_limit_days

            note = (
                f"{STALE_MARK} older than {stale_limit_days(t)} days on {on.isoformat()} (the {t} table's limit,"
                f" {sum(stale)} of {len(stale)} rows); `costcalc pricing show ID` says why a shipped one is kept."
            )
            text = text.rstrip("\n") + "\n" + "\n".join(wrap(note, width)) + "\n"
        parts.append(text)
    return "\n".join(parts)


STALE_MARK = "*"  # beside an as-of date older than its table's limit on the listing's day


def _cell(value: object, money_decimals: int | None = None) -> str:
    """A field as table text: blank when unknown, money ('$0.63') to `money_decimals` places when given, other numbers
    to 4 significant digits, no trailing .0."""
    if value is None:
        return ""
    if money_decimals is not None and isinstance(value, int | float):
        return money(value, decimals=money_decimals)
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 or value.is_integer() else f"{value:.4g}"  # `show` has every digit
    return str(value)


def render_show(
    table: str, p: Priced[PriceRow], width: int = 120, on: dt.date | None = None, *, color: bool = False
) -> str:
    """Every field of one row, one per line, wrapped to `width` (a long source URL folded after its slashes, each
    piece linking (OSC 8) to the whole address on a terminal: `color`); where the row is older than its table's limit
    on `on` (the report day), a last line says so, as a report does."""
    from costcalc.render.layout import linked_note

    fields = [("table", table)] + [(k, v) for k, v in row_dict(p).items() if v is not None]
    said = _stale_words(table, p, on) if on is not None else None
    if said is not None:
        fields.append(("stale", said))
    return "".join(linked_note(terminal(f"{k}: {v}"), width, color=color, rest="  ") for k, v in fields)


def _stale_words(table: str, p: Priced[PriceRow], on: dt.date) -> str | None:
    """'older than 120 days on 2026-12-07 (the table's limit); kept: <why>' for a row a report on `on` calls stale
    (its reason where the shipped tables record one), None for a fresh row."""
    from types import SimpleNamespace

    from costcalc.pricing.freshness import kept_reason, stale_limit_days

    limit = stale_limit_days(table)
    if (on - p.row.as_of).days <= limit:
        return None
    reason = kept_reason(SimpleNamespace(table=table, id=p.row.id, origin=p.origin))
    kept = f"; kept: {reason}" if reason else ""
    return f"older than {limit} days on {on.isoformat()} (the {table} table's limit){kept}"


def render_show_json(table: str, p: Priced[PriceRow]) -> str:
    """{'schema_version', 'kind': 'pricing_row', 'row': {table, ...fields, origin}}: every field of the row, nulls kept
    (so keys are stable), as `pricing list -f json` writes each of its rows."""
    doc = {"schema_version": PRICING_SCHEMA_VERSION, "kind": "pricing_row", "row": _json_row(table, p)}
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _json_row(table: str, p: Priced[PriceRow]) -> dict[str, Any]:
    """A row as the JSON writes it: its table first, then every field and its origin."""
    return {"table": table, **row_dict(p)}
