"""Guardrail outcomes as JSON, one shape for `report -f json` and `diff -f json`: a number (or, for `cheapest`, an
option's name) or null, never a word where a number goes; `actual_is` says why `actual` is null
(report/json_numbers, as diff's and simulate's figures say it)."""

from __future__ import annotations

from collections.abc import Sequence

from costcalc.report.guardrails import Outcome
from costcalc.report.json_numbers import BECAME_NEVER, NO_LONGER_NEVER, NOT_APPLICABLE, UP_FROM_ZERO, number


def outcome_dict(outcome: Outcome) -> dict[str, object]:
    """One guardrail outcome: what was checked, where it was written, the limit, the value found and whether it
    broke the limit, with the sentence the terminal prints. A metric without [option] that no option has reads
    null, `not_applicable`; an infinity reads null and what it stands for (report/guardrails.diff_metric)."""
    g = outcome.guardrail
    actual: object
    if isinstance(outcome.actual, str):  # cheapest: an option's name
        actual, why = outcome.actual, None
    elif not g.is_diff:
        actual, why = number(outcome.actual, missing=NOT_APPLICABLE)
    elif g.metric.endswith("_pct"):
        actual, why = number(outcome.actual, infinite=UP_FROM_ZERO, missing=NOT_APPLICABLE)
    else:
        actual, why = number(
            outcome.actual, infinite=BECAME_NEVER, minus_infinite=NO_LONGER_NEVER, missing=NOT_APPLICABLE
        )
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


__all__ = ["outcome_dict", "outcomes_list"]
