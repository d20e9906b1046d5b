"""The guardrail language: `METRIC[OPTION] OP VALUE` parsed (no eval); its metric names and operators."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from costcalc.errors import InputError, did_you_mean
from costcalc.textsafe import clean_name, closing_bracket, shown
from costcalc.written_numbers import read_written

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

MAX_GUARDRAIL_CHARS = 500  # a guardrail is one short condition; longer text is refused before parsing
_METRIC = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")  # one greedy run: linear, nothing to backtrack
OPERATORS = (">=", "<=", "==", "!=", ">", "<")  # two-character ones first
_NUMBER_CHARS = frozenset("0123456789.eE+-")
_SEPARATORS = frozenset(",_ \u00a0\u202f")  # thousands (and a decimal comma), as costcalc.written_numbers reads them


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
        f"guardrail {shown(text)}: {why}; write METRIC[OPTION] OP VALUE, e.g. 'monthly_cost[My option] > 40000'",
        field=origin,
    )


def _split(text: str, origin: str) -> tuple[str, str | None, str, str]:
    """(metric, option, operator, value text) of METRIC[OPTION] OP VALUE, read left to right in one pass."""
    if len(text) > MAX_GUARDRAIL_CHARS:
        raise _syntax_error(text, f"longer than {MAX_GUARDRAIL_CHARS} characters", origin)
    body = text.strip()
    m = _METRIC.match(body)
    if m is None:
        raise _syntax_error(text, "cannot read it", origin)
    metric, pos = m.group(), m.end()
    while pos < len(body) and body[pos].isspace():
        pos += 1
    option = None
    if body.startswith("[", pos):
        # an option's own brackets pair up (monthly_cost[gpt-oss [L40S]]), else the name ends at the ']' an operator
        # or a space follows (monthly_cost[A [b] c]] > 1)
        close = closing_bracket(body, pos, followers=" \t" + "".join({o[0] for o in OPERATORS}))
        if close == -1:
            raise _syntax_error(text, "the option name has no closing ]", origin)
        option = clean_name(body[pos + 1 : close])
        if not option:
            raise _syntax_error(text, "the option name between [ ] is empty", origin)
        pos = close + 1
        while pos < len(body) and body[pos].isspace():
            pos += 1
    op = next((o for o in OPERATORS if body.startswith(o, pos)), None)
    if op is None:
        raise _syntax_error(text, "cannot read it", origin)
    raw = body[pos + len(op) :].strip()
    if not raw:
        raise _syntax_error(text, "no value after the operator", origin)
    return metric, option, op, raw


def _number(raw: str) -> float | None:
    """'40000', '$40,000', '40 000', '1.5M', '20%', '2e6', '0,5' (a decimal comma: 0.5) → a finite float; None when it
    is not a number. Separators read as written_numbers reads them: '1,5' was 15 and '0,5' 5."""
    body = raw.removeprefix("$").strip()
    suffix = body[-1] if body and body[-1] in SUFFIXES else ""
    body = body[: len(body) - len(suffix)].rstrip()
    if not body or len(body) > 40 or not set(body) <= _NUMBER_CHARS | _SEPARATORS:
        return None
    written = read_written(body)
    if written is None or written[1] or not math.isfinite(written[0]):  # '1e5x': a word left after the digits
        return None
    return written[0] * SUFFIXES.get(suffix, 1.0)


def parse(text: str, *, origin: str = "--fail-if") -> Guardrail:
    """Parse one expression; syntax and metric names are checked here, option names against a report later.

    The grammar is read in one left-to-right pass (no backtracking regex), after a length cap.
    """
    metric, option, op, raw = _split(text, origin)
    is_diff = metric.startswith(DIFF_PREFIX)
    if is_diff:
        metric = metric[len(DIFF_PREFIX) :]
        known = DIFF_METRICS
    else:
        known = {**OPTION_METRICS, **REPORT_METRICS}
    if metric not in known:
        names = ", ".join((DIFF_PREFIX if is_diff else "") + k for k in known)
        raise InputError(
            f"guardrail {shown(text)}: unknown metric {shown(metric)}{did_you_mean(metric, list(known))}; valid: {names}",
            field=origin,
        )
    if metric in REPORT_METRICS and option is not None:
        raise _syntax_error(text, f"{metric} is a whole-report metric and takes no [option]", origin)
    value: float | str
    if metric == "cheapest":
        if op not in ("==", "!="):
            raise _syntax_error(text, "cheapest compares with == or != and an option name", origin)
        value = clean_name(raw.strip("'\""))
    else:
        number = _number(raw)
        if number is None:
            raise _syntax_error(text, f"{shown(raw)} is not a number", origin)
        value = _percent(number, metric, is_diff, text, origin) if raw.endswith("%") else number
    return Guardrail(
        text=text.strip(),
        metric=metric,
        option=option,
        op=op,
        value=value,
        is_diff=is_diff,
        origin=origin,
    )


SHARE_METRICS = frozenset({"utilisation"})  # a share 0..1: '50%' is 0.5


def _percent(number: float, metric: str, is_diff: bool, text: str, origin: str) -> float:
    """A limit written with %: a share metric's 0.5 for '50%', a diff's *_pct metric's 50 (it is in percent); else an
    InputError. qa23: 'utilisation[X] > 50%' compared a 0..1 share with 50, so it never tripped."""
    if is_diff and metric.endswith("_pct"):
        return number
    if not is_diff and metric in SHARE_METRICS:
        return number / 100
    pct = f"{DIFF_PREFIX}{metric}_pct" if is_diff and f"{metric}_pct" in DIFF_METRICS else None
    instead = f"; for a change in percent write {pct}" if pct else ""
    raise InputError(
        f"guardrail {shown(text)}: {DIFF_PREFIX if is_diff else ''}{metric} is no percent or share, so a % limit"
        f" has no meaning for it; drop the %{instead} (a % limit is for utilisation, 50% = 0.5, and {DIFF_PREFIX}*_pct)",
        field=origin,
    )


ENV_ORIGIN = "$COSTCALC_FAIL_IF"  # where `costcalc ci` reads guardrails from besides --fail-if


def parse_all(
    cli: Sequence[str] = (),
    scenario: Sequence[str] = (),
    *,
    scenario_origin: str = "guardrails",
    env: Sequence[str] = (),
) -> list[Guardrail]:
    """The scenario's guardrails, the command line's, then those `costcalc ci` read from $COSTCALC_FAIL_IF (`env`,
    named by that origin), each parsed."""
    out = [parse(t, origin=f"{scenario_origin}[{i}]") for i, t in enumerate(scenario)]
    out += [parse(t) for t in cli]
    out += [parse(t, origin=ENV_ORIGIN) for t in env]
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
    "ENV_ORIGIN",
    "OPS",
    "OPTION_METRICS",
    "REPORT_METRICS",
    "Guardrail",
    "metric_help",
    "parse",
    "parse_all",
]
