"""Guardrail outcomes as JSON, one shape for `report -f json` and `diff -f json`: a number (or, for `cheapest`, an
option's name) or null, never a word where a number goes; `actual_is` says why `actual` is null."""

from __future__ import annotations

import math
from collections.abc import Sequence

from costcalc.report.guardrails import Outcome

# why `actual` is null: each is compared with the limit as the infinity it stands for
NEVER = "never"  # no break-even / payback (compared as +infinity)
BECAME_NEVER = "became_never"  # diff.*: HEAD never, BASE a value (+infinity)
NO_LONGER_NEVER = "no_longer_never"  # diff.*: BASE never, HEAD a value (-infinity)
UP_FROM_ZERO = "up_from_zero"  # diff.*_pct: BASE zero, HEAD not (+infinity percent)
NOT_APPLICABLE = "not_applicable"  # a metric without [option] that no option has: no value, so it passes


def outcome_dict(outcome: Outcome) -> dict[str, object]:
    """One guardrail outcome: what was checked, where it was written, the limit, the value found and whether it
    broke the limit, with the sentence the terminal prints."""
    g = outcome.guardrail
    actual = outcome.actual
    why: str | None = None
    if isinstance(actual, float) and math.isinf(actual):
        why = _why_infinite(g.metric, g.is_diff, actual > 0)
        actual = None
    elif actual is None:
        why = NOT_APPLICABLE
    return {
        "expression": g.text,
        "origin": g.origin,
        "metric": g.label,
        "option": g.option,
        "read_from": outcome.subject or None,  # without [option]: which option it read ('GPT-6 Luna, the cheapest')
        "operator": g.op,
        "limit": g.value,
        "actual": actual,
        "actual_is": why,
        "tripped": outcome.tripped,
        "message": outcome.describe(),
    }


def outcomes_list(outcomes: Sequence[Outcome]) -> list[dict[str, object]]:
    """Every outcome in the order checked."""
    return [outcome_dict(o) for o in outcomes]


def _why_infinite(metric: str, is_diff: bool, positive: bool) -> str:
    """A report's infinity is a never (break-even, payback); a diff's is a change to or from never, or a percent
    change from zero (report/guardrails.diff_metric)."""
    if not is_diff:
        return NEVER
    if metric.endswith("_pct"):
        return UP_FROM_ZERO
    return BECAME_NEVER if positive else NO_LONGER_NEVER


__all__ = ["outcome_dict", "outcomes_list"]
