"""The report as JSON: the versioned Result dict, stable key order and rounding, no timestamps."""

from __future__ import annotations

import json

from costcalc.render.numbers import rounded
from costcalc.report.result import Result


def render(result: Result, *, include_timeline: bool = True) -> str:
    """JSON text ending in a newline."""
    return (
        json.dumps(
            rounded(result.to_dict(include_timeline=include_timeline)), indent=2, ensure_ascii=False, allow_nan=False
        )
        + "\n"
    )
