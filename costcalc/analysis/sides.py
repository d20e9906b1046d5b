"""The two sides of a diff: each a scenario analysed now, or a saved JSON report, read into a Side."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from costcalc.errors import InputError
from costcalc.report.diff import Side
from costcalc.resolve.book import PriceSource


def load_side(
    path: str,
    *,
    pricing_files: Sequence[str] = (),
    overrides: Sequence[str] = (),
    today: dt.date | None = None,
    prices: PriceSource | None = None,
) -> Side:
    """A saved JSON report (`report --format json`) or a scenario YAML file, analysed now on `prices`."""
    p = Path(path)
    if path != "-" and p.suffix.lower() == ".json":
        return _json_side(p)
    from costcalc.analysis.run import evaluate
    from costcalc.report.guardrails import scenario_guardrails
    from costcalc.scenario.loaders import load_scenario

    scenario = load_scenario(path, overrides=overrides)
    done = evaluate(scenario, prices or PriceSource(tuple(pricing_files)), today=today)
    values: dict[str, dict[str, Any]] = {}
    for opt in done.resolved.options:
        for priced in opt.prices:
            row = priced.row.model_dump(mode="json")
            values[f"{_table_of(priced.row)} {row['id']}"] = {**row, "origin": priced.origin}
    return Side(
        label=path,
        report=done.result,
        scenario_fields=_flatten(scenario.model_dump(mode="json")),
        price_values=values,
        guardrails=scenario.guardrails,
        guardrail_origins=tuple(g.origin for g in scenario_guardrails(scenario, path)),
    )


def _table_of(row: Any) -> str:
    from costcalc.pricing.schema import TABLES

    return next(name for name, model in TABLES.items() if isinstance(row, model))


def _json_side(path: Path) -> Side:
    from costcalc.inputs import REPORT_MAX_BYTES, read_text
    from costcalc.safeparse import parse_json

    text = read_text(str(path), limit=REPORT_MAX_BYTES, what="a scenario YAML or a JSON report")
    try:
        data = parse_json(text, str(path))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not JSON ({exc.msg}); pass a scenario YAML or `report --format json` output",
            file=str(path),
            line=exc.lineno,
        ) from None
    if not isinstance(data, dict) or "options" not in data or "schema_version" not in data:
        raise InputError(
            "not a costcalc JSON report (no schema_version/options); save one with "
            "`costcalc report SCENARIO -f json -o FILE`",
            file=str(path),
        )
    from costcalc.report.result import Result

    try:
        report = Result.from_dict(data)  # a schema of another major version is refused there, by its field
    except InputError as exc:
        raise exc.moved(file=str(path)) from None
    return Side(label=str(path), report=report)


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts/lists → {'a.b[0]': v}; options keyed by name so reordering is no change."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
        for v in value:
            out.update(_flatten({k: x for k, x in v.items() if k != "name"}, f"{prefix}[{v['name']}]"))
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            out[prefix] = value
        else:
            for i, v in enumerate(value):
                out.update(_flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


__all__ = ["load_side"]
