"""Where the published runs of an estimated option's own configuration disagree with the range it is costed with.

The runs are analysis/published_runs.py's: those of the option's GPU, engine and model (its first level, when exact).
They disagree by the rule throughput/architecture_bias.py holds an architecture to, against the option's range
(bands.ActualRange) instead of the overall median error: their median actual / held-out estimate lies outside that
range, and so many of them lie on the median's side of 1 that chance would put them there less than 1 time in 20 (its
one-sided sign test: 5 of 5, 9 of 10). internal-assistant's Qwen3 32B on rented H100s: 5 of 5 runs of qwen3-32b with
vllm on h100-sxm-80gb below their held-out estimates, median 0.72x, where the vllm server band allows 0.75x-1.33x. The
report's verdict says so after the option's band; `estimate` and recommend in their 'Published runs:' line.
The words say what was measured and correct nothing: in session 20 the lead measured that moving each held-out
estimate by the median of other sources' runs of its configuration makes the held-out error worse (median 15.5% ->
16.7%), though where other sources' runs of a configuration (2 or more) all lay on one side of 1, a new source's run
lay on that side 12 times in 15 (main 4ce2c3d).
"""

from __future__ import annotations

from typing import Literal

from costcalc.bands import ActualRange
from costcalc.report.nearest_runs import NearestRuns
from costcalc.throughput.architecture_bias import SIGN_TEST_P, sign_test_p
from costcalc.words import counted


def beyond_range(found: NearestRuns | None, actual: ActualRange | None) -> Literal["below", "above"] | None:
    """'below' (or 'above') where the runs of the configuration itself lie below (above) the range the option is costed
    with, by the module's rule: their median outside it, and the sign test says their side of 1 is not chance."""
    if found is None or actual is None or not found.exact:
        return None
    level = found.levels[0]
    if level.median is None or level.one_side is None or sign_test_p(level.one_side, level.runs) >= SIGN_TEST_P:
        return None
    return "below" if level.median < actual.low else "above" if level.median > actual.high else None


def beyond_words(found: NearestRuns | None, actual: ActualRange | None) -> str:
    """'5 of 5 published runs of qwen3-32b with vllm on h100-sxm-80gb measured below their held-out estimates
    (median 0.72x, 0.46x-0.80x)' where they disagree with the option's range (beyond_range), else ''."""
    side = beyond_range(found, actual)
    if side is None or found is None:
        return ""
    level = found.levels[0]
    return (
        f"{level.one_side} of {counted(level.runs, 'published run')} of {level.words} measured {side} their held-out"
        f" estimates (median {level.median:.2f}x, {level.low:.2f}x-{level.high:.2f}x)"
    )


def runs_said(found: NearestRuns, actual: ActualRange | None) -> str:
    """What a one-line 'Published runs: ...' says (estimate, recommend): where the configuration's own runs disagree
    with its range, that (beyond_words); else the summary."""
    return beyond_words(found, actual) or found.summary


__all__ = ["beyond_range", "beyond_words", "runs_said"]
