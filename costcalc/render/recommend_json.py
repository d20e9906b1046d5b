"""`recommend` as JSON: the versioned Recommendation dict, stable key order and rounding, no timestamps."""

from __future__ import annotations

import json

from costcalc.analysis.recommend.result import Recommendation


def render(rec: Recommendation) -> str:
    """JSON text ending in a newline."""
    return json.dumps(rec.to_dict(), indent=2, ensure_ascii=False) + "\n"
