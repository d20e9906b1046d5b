"""The report as JSON: the versioned Result dict with the guardrail outcomes, stable key order and rounding, no
timestamps."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from costcalc.render.guardrail_json import outcomes_list
from costcalc.render.numbers import rounded
from costcalc.report.guardrails import Outcome
from costcalc.report.result import Result


def dates_where(*, details: bool = False) -> str:
    """Where a JSON report holds the price dates, for its stderr warnings (its own `warnings` are the Result's, read
    back as written)."""
    return "in the report's assumptions"


def render(result: Result, *, include_timeline: bool = True, outcomes: Sequence[Outcome] = ()) -> str:
    """JSON text ending in a newline; `guardrails` (each outcome, as `diff -f json` writes them) before the
    month-by-month timeline, so that a reader finds them without scrolling past it."""
    data: dict[str, Any] = {}
    for key, value in result.to_dict(include_timeline=include_timeline).items():
        if key == "timeline":
            data["guardrails"] = outcomes_list(outcomes)
        data[key] = value
    data.setdefault("guardrails", outcomes_list(outcomes))
    return json.dumps(rounded(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
