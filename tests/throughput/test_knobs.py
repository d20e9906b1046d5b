"""The fit re-estimates only the rows in a factor's scope: no row outside it may move with the factor."""

from __future__ import annotations

import math
from dataclasses import fields
from typing import Any

from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.calibration import CALIBRATION_CSV, estimate_row, read_cases
from costcalc.throughput.knobs import fit_row, knobs
from costcalc.throughput.priors import prior_factors

LOOKUP = (get_gpu, get_model)


def _sample() -> list[dict[str, str]]:
    """Every in-process row (cheap) and one simulated row per engine, GPU count and model family."""
    _, rows = read_cases(CALIBRATION_CSV)
    seen: set[tuple[str, str, str]] = set()
    out = []
    for r in rows:
        if r["protocol"] == "in_process":
            out.append(r)
            continue
        key = (r["engine"], r["gpu_count"], r["model"].split("-")[0])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def test_a_factor_moves_no_row_outside_its_scope():
    rows = _sample()
    start = prior_factors()
    base = [estimate_row(r, start, LOOKUP)[0] for r in rows]
    resolved = [fit_row(r, LOOKUP) for r in rows]
    for knob in knobs():
        value = knob.get(start)
        moved = value * 1.5 if value * 1.5 <= knob.high else value / 1.5
        trial = knob.set(start, moved)
        for row, resolved_row, before in zip(rows, resolved, base, strict=True):
            if resolved_row is not None and knob.scope(resolved_row):
                continue
            after = estimate_row(row, trial, LOOKUP)[0]
            same = before == after or (before is not None and after is not None and math.isclose(before, after))
            assert same, f"{knob.name} moved {row['case_id']} outside its scope: {before} -> {after}"


def _changed_fields(before: Any, after: Any, where: str) -> list[tuple[str, Any]]:
    """(path, declared type) of each dataclass field that differs, looking into the dicts of dataclasses."""
    out = []
    for f in fields(after):
        old, new = getattr(before, f.name), getattr(after, f.name)
        if old == new:
            continue
        if isinstance(new, dict):
            for key, value in new.items():
                prior = old[key] if key in old else type(value)()
                out += _changed_fields(prior, value, f"{where}.{f.name}[{key}]")
        else:
            out.append((f"{where}.{f.name}", f.type))
    return out


def test_each_factor_sets_one_float_field():
    """A factor is set by its field's name (knobs._with_field), which mypy cannot check: each names one float."""
    start = prior_factors()
    for knob in knobs():
        moved = knob.low if knob.get(start) != knob.low else knob.high
        changed = _changed_fields(start, knob.set(start, moved), "factors")
        assert [kind for _, kind in changed] == ["float"], f"{knob.name} set {changed}"
