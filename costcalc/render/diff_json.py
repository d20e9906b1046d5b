"""The diff as JSON: stable key order and rounding, guardrail outcomes included, no timestamps."""

from __future__ import annotations

import json
from collections.abc import Sequence

from costcalc.render.guardrail_json import outcomes_list
from costcalc.render.numbers import rounded
from costcalc.report.diff import Diff
from costcalc.report.guardrails import Outcome


def render(diff: Diff, *, outcomes: Sequence[Outcome] = ()) -> str:
    """JSON text ending in a newline."""
    data = diff.to_dict()
    data["guardrails"] = outcomes_list(outcomes)
    return json.dumps(rounded(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
