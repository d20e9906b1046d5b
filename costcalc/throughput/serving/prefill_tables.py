"""Prefill costs as lists by whole token count, which the event loops read instead of interpolating a step."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable

from costcalc.throughput.serving.steps import StepTimes

TABLE_TOKENS = 1 << 22  # longest prompt whose prefill costs are tabulated per token (32 MB of floats at most)


def lookups(
    steps: StepTimes, prompts: list[int], whole: bool = False
) -> tuple[Callable[[int], float], Callable[[int], float]]:
    """steps.prefill_cost and prefill_alone as list lookups for whole token counts up to the longest prompt
    (the same floats: StepTimes.prefill_tables); the interpolating functions where prompts are not whole or huge.
    whole: every prompt is known to be an int (else each is checked)."""
    tables = whole_tables(steps, prompts, whole)
    if tables is None:
        return steps.prefill_cost, steps.prefill_alone
    return tables[0].__getitem__, tables[1]


def whole_tables(
    steps: StepTimes, prompts: list[int], whole: bool = False
) -> tuple[list[float], Callable[[int], float]] | None:
    """steps.prefill_cost as a list by whole token count up to the longest prompt, and prefill_alone read from its list
    there (the same floats: StepTimes.prefill_tables); None where a prompt is not whole or longer than TABLE_TOKENS.
    whole: every prompt is known to be an int (else each is checked)."""
    top = max(prompts, default=0)
    if not (whole or all(map(isinstance, prompts, itertools.repeat(int)))) or top > TABLE_TOKENS:  # every prompt whole
        return None
    cost_table, alone_table = _tables(steps, top)
    interpolated = steps.prefill_alone

    def alone(tokens: int) -> float:  # several whole prompts in one step can pass the longest one
        return alone_table[tokens] if tokens <= top else interpolated(tokens)

    return cost_table, alone


@functools.lru_cache(maxsize=8)
def _tables(steps: StepTimes, top: int) -> tuple[list[float], list[float]]:
    """The tables once per replica and longest prompt: a capacity search runs the same ones a dozen times."""
    return steps.prefill_tables(top)
