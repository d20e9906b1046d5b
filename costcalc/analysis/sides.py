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
    """A saved JSON report (`report --format json`) or a scenario (YAML, or JSON as `report` reads it), analysed now
    on `prices`. Which one is read from the text, not the name: a report piped in (`report -f json | diff s.yaml -`) or
    saved as head.txt is a report, a scenario written as JSON is a scenario."""
    text = _text(path)
    if text is not None and (data := _report_data(text, path)) is not None:
        return _report_side(data, path)
    from costcalc.analysis.run import evaluate
    from costcalc.report.guardrails import scenario_guardrails
    from costcalc.scenario.loaders import load_scenario

    scenario = load_scenario(path, overrides=overrides, stdin_text=text if path == "-" else None)
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
        variants=_variants(scenario, prices or PriceSource(tuple(pricing_files)), today),
    )


def _variants(scenario: Any, prices: PriceSource, today: dt.date | None) -> dict[str, Any]:
    """Each named variant of the scenario costed on the same prices ({} without variants), as `report` shows them
    side by side: a diff says what a change did to each."""
    if not scenario.variants:
        return {}
    from costcalc.analysis.variants import each_variant
    from costcalc.scenario.loaders import ScenarioSource

    return each_variant(ScenarioSource.load(scenario), prices, today)


def _table_of(row: Any) -> str:
    from costcalc.pricing.schema import TABLES

    return next(name for name, model in TABLES.items() if isinstance(row, model))


def _text(path: str) -> str | None:
    """The text of standard input (read once here; the scenario loader is given it) or of a file; None for a file
    that cannot be read here, whose scenario loader then says why (a name ending .json says it here)."""
    from costcalc.inputs import REPORT_MAX_BYTES, read_text

    if path == "-":
        from costcalc.scenario.yamlio import read_text as read_scenario_text

        return read_scenario_text("-")[0]
    try:
        return read_text(path, limit=REPORT_MAX_BYTES, what="a scenario YAML or a JSON report")
    except InputError:
        if Path(path).suffix.lower() == ".json":
            raise
        return None


def _report_data(text: str, path: str) -> dict[str, Any] | None:
    """The parsed report when `text` is a costcalc JSON report; None for a scenario (YAML, or JSON with `version`).
    A file named .json that is neither is refused with the way to save a report."""
    from costcalc.safeparse import parse_json

    named_json = path != "-" and Path(path).suffix.lower() == ".json"
    if not named_json and not text.lstrip().startswith("{"):
        return None
    try:
        data = parse_json(text, path)
    except json.JSONDecodeError as exc:
        if not named_json:
            return None  # YAML's flow mapping, or broken: the scenario loader says which line
        raise InputError(
            f"not JSON ({exc.msg}); pass a scenario YAML or `report --format json` output",
            file=path,
            line=exc.lineno,
        ) from None
    if isinstance(data, dict) and "schema_version" in data and "options" in data:
        return data
    if not named_json or (isinstance(data, dict) and "version" in data):
        return None  # a scenario, as `report` reads it
    from costcalc.file_kinds import file_kind, said_as

    kind = file_kind(data)  # a benchmark result, a lock, another command's output: named for what it is
    said = (
        "not a costcalc JSON report (no schema_version/options)"
        if kind is None
        else said_as(kind, "a report or a scenario")
    )
    raise InputError(f"{said}; save a report with `costcalc report SCENARIO -f json -o FILE`", file=path)


def _report_side(data: dict[str, Any], path: str) -> Side:
    from costcalc.report.result import Result

    label = "<stdin>" if path == "-" else path
    try:
        report = Result.from_dict(data)  # a schema of another major version is refused there, by its field
    except InputError as exc:
        raise exc.moved(file=label) from None
    return Side(label=label, report=report)


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
