"""The guardrail language: `METRIC[OPTION] OP VALUE` parsed (no eval); its metric names and operators."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from costcalc.errors import InputError, did_you_mean

OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}
SUFFIXES = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, "%": 1.0}

# metric → what it is; "never" (no break-even, no payback) counts as +infinity
OPTION_METRICS = {
    "monthly_cost": "monthly cost, USD",
    "cost_per_million_tokens": "USD per 1M tokens",
    "per_user_monthly_cost": "monthly cost per user, USD",
    "replicas": "replicas at the peak (self-hosted)",
    "gpus": "GPUs (self-hosted)",
    "utilisation": "mean utilisation, 0..1 (self-hosted)",
    "break_even_tokens": "tokens/month above which it stays cheaper than the cheapest API (never = inf)",
    "payback_months": "month bought hardware pays back vs the cheapest API (never = inf)",
}
REPORT_METRICS = {
    "cheapest": "name of the cheapest option now (== / != only)",
    "tokens_per_month": "workload tokens per month",
    "requests_per_month": "workload requests per month",
}
DIFF_METRICS = {
    "monthly_cost": "change in monthly cost, USD (HEAD - BASE)",
    "monthly_cost_pct": "change in monthly cost, percent",
    "cost_per_million_tokens": "change in USD per 1M tokens",
    "cost_per_million_tokens_pct": "change in USD per 1M tokens, percent",
    "payback_months": "change in payback month",
    "break_even_tokens": "change in break-even tokens/month",
}
DIFF_PREFIX = "diff."

_EXPR = re.compile(
    r"""^\s*(?P<metric>[A-Za-z_][A-Za-z0-9_.]*)\s*
        (?:\[\s*(?P<option>[^\]]+?)\s*\])?\s*
        (?P<op>>=|<=|==|!=|>|<)\s*
        (?P<value>.+?)\s*$""",
    re.VERBOSE,
)
_NUMBER = re.compile(r"^\$?(?P<num>[-+]?(?:\d[\d_,]*)?\.?\d+(?:[eE][-+]?\d+)?)\s*(?P<suffix>[kKMBT%]?)$")


@dataclass(frozen=True)
class Guardrail:
    """One parsed guardrail: `metric[option] op value`; `origin` says where it was written."""

    text: str
    metric: str  # without the diff. prefix
    option: str | None
    op: str
    value: float | str
    is_diff: bool = False
    origin: str = "--fail-if"

    @property
    def label(self) -> str:
        """The metric as written, e.g. monthly_cost[Self-hosted H100]."""
        prefix = DIFF_PREFIX if self.is_diff else ""
        return f"{prefix}{self.metric}" + (f"[{self.option}]" if self.option else "")


def _syntax_error(text: str, why: str, origin: str) -> InputError:
    return InputError(
        f"guardrail {text!r}: {why}; write METRIC[OPTION] OP VALUE, e.g. 'monthly_cost[My option] > 40000'",
        field=origin,
    )


def parse(text: str, *, origin: str = "--fail-if") -> Guardrail:
    """Parse one expression; syntax and metric names are checked here, option names against a report later."""
    m = _EXPR.match(text)
    if not m:
        raise _syntax_error(text, "cannot read it", origin)
    metric, option, op, raw = m["metric"], m["option"], m["op"], m["value"].strip()
    is_diff = metric.startswith(DIFF_PREFIX)
    if is_diff:
        metric = metric[len(DIFF_PREFIX) :]
        known = DIFF_METRICS
    else:
        known = {**OPTION_METRICS, **REPORT_METRICS}
    if metric not in known:
        names = ", ".join((DIFF_PREFIX if is_diff else "") + k for k in known)
        raise InputError(
            f"guardrail {text!r}: unknown metric {metric!r}{did_you_mean(metric, list(known))}; valid: {names}",
            field=origin,
        )
    if metric in REPORT_METRICS and option is not None:
        raise _syntax_error(text, f"{metric} is a whole-report metric and takes no [option]", origin)
    value: float | str
    if metric == "cheapest":
        if op not in ("==", "!="):
            raise _syntax_error(text, "cheapest compares with == or != and an option name", origin)
        value = raw.strip("'\"")
    else:
        num = _NUMBER.match(raw)
        if not num:
            raise _syntax_error(text, f"{raw!r} is not a number", origin)
        value = float(num["num"].replace(",", "").replace("_", "")) * SUFFIXES.get(num["suffix"], 1.0)
    return Guardrail(
        text=text.strip(),
        metric=metric,
        option=option,
        op=op,
        value=value,
        is_diff=is_diff,
        origin=origin,
    )


def parse_all(
    cli: Sequence[str] = (), scenario: Sequence[str] = (), *, scenario_origin: str = "guardrails"
) -> list[Guardrail]:
    """The scenario's guardrails then the command line's, each parsed."""
    out = [parse(t, origin=f"{scenario_origin}[{i}]") for i, t in enumerate(scenario)]
    out += [parse(t) for t in cli]
    return out


def metric_help() -> str:
    """Every metric with its meaning, for --help and error messages."""
    lines = [f"{k}[OPTION]: {v}" for k, v in OPTION_METRICS.items()]
    lines += [f"{k}: {v}" for k, v in REPORT_METRICS.items()]
    lines += [f"{DIFF_PREFIX}{k}[OPTION]: {v}" for k, v in DIFF_METRICS.items()]
    return "\n".join(lines)


__all__ = [
    "DIFF_METRICS",
    "DIFF_PREFIX",
    "OPS",
    "OPTION_METRICS",
    "REPORT_METRICS",
    "Guardrail",
    "metric_help",
    "parse",
    "parse_all",
]
