"""A serving engine as written in a scenario, `estimate` or `recommend`: its key and the release forms read."""

from __future__ import annotations

import re

# engine_version as the estimator reads it (throughput/serving: llamacpp_slots' build tags, scheduler.parse_version's
# releases): the pattern and the example its error gives. A release is a version as Python packages number them (PEP
# 440: 0.6.3, 0.20, 0.19.1rc1.dev339, 0.4.2.post4, 0.20.1+transformers-5.8.1), so a typo ('0.2O.0', read as 0.2 with
# the V0 engine's defaults) is refused rather than read by its leading digits.
_RELEASE = (
    r"v?\d+(\.\d+)+((a|b|rc)\d+)?(\.?post\d+)?(\.?dev\d+)?(\+[0-9A-Za-z]+([.\-_][0-9A-Za-z]+)*)?",
    "a release number such as 0.6.3",
)
ENGINE_RELEASES: dict[str, tuple[str, str]] = {
    "llamacpp": (r"b\d+", "a build tag such as b7079 (the tag of the release it was built from)"),
    "vllm": _RELEASE,
    "sglang": _RELEASE,
}


def engine_key(written: str) -> str:
    """An engine as written, case and surrounding spaces aside: ' TRTLLM ' is 'trtllm'. The one normalisation of a
    scenario option's engine, `estimate --engine` and recommend's --engine."""
    return written.strip().lower()


def check_release(engine: str, value: str) -> None:
    """ValueError unless `value` is a release of `engine` in the form the estimator reads (ENGINE_RELEASES): the one
    check of an engine_version, a scenario option's and the estimate's."""
    form = ENGINE_RELEASES.get(engine)
    if form is None:
        raise ValueError(f"the estimator reads no release of {engine}; drop engine_version")
    pattern, example = form
    if re.fullmatch(pattern, value) is None:
        raise ValueError(f"write the {engine} release as {example}")
