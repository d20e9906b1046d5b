"""Guardrails: a small parsed language (`METRIC[OPTION] OP VALUE`, no eval) checked against a report or a diff."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
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


@dataclass(frozen=True)
class Outcome:
    """A checked guardrail: the value found and whether the condition (the failure) holds."""

    guardrail: Guardrail
    actual: float | str | None
    tripped: bool

    def describe(self) -> str:
        """One line: 'tripped: monthly_cost[X] > 40000 (actual 41,234.5)'."""
        state = "tripped" if self.tripped else "ok"
        return f"{state}: {self.guardrail.text} (actual {format_value(self.actual)}; from {self.guardrail.origin})"


def format_value(value: float | str | None) -> str:
    """A metric value for messages: numbers with separators, never as 'inf', None as n/a."""
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if math.isinf(value):
        return "never"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}"


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


# ---------------------------------------------------------------- evaluation over report dicts


def _option_names(report: Mapping[str, Any]) -> list[str]:
    return [o["name"] for o in report["options"]]


def _check_option(g: Guardrail, names: list[str]) -> None:
    if g.option is not None and g.option not in names:
        raise InputError(
            f"guardrail {g.text!r}: no option {g.option!r}{did_you_mean(g.option, names)}; options: {', '.join(names)}",
            field=g.origin,
        )


def _best_api(report: Mapping[str, Any]) -> str | None:
    apis = [o for o in report["options"] if o["kind"] == "api"]
    return min(apis, key=lambda o: o["monthly_cost"])["name"] if apis else None


def _headline(report: Mapping[str, Any], option: str) -> Mapping[str, Any] | None:
    best = _best_api(report)
    for b in report["break_even"]:
        if b["option"] == option and b["versus"] == best:
            return b
    return None


def option_metric(report: Mapping[str, Any], metric: str, option: str | None) -> float | str | None:
    """A metric of one option (or, without an option, of the whole report) from a report dict.

    Without an option: cost metrics are the cheapest option's; break_even_tokens and payback_months are
    the best (smallest) over the options they apply to. None: the metric does not apply.
    """
    if metric == "cheapest":
        return report["cheapest"]
    if metric in ("tokens_per_month", "requests_per_month"):
        return float(report["workload"][metric])
    if option is None:
        if metric in ("break_even_tokens", "payback_months"):
            values = [option_metric(report, metric, o) for o in _option_names(report)]
            found = [v for v in values if isinstance(v, float)]
            return min(found) if found else None
        option = report["cheapest"]
    o = next(o for o in report["options"] if o["name"] == option)
    if metric == "break_even_tokens":
        be = _headline(report, option)
        if be is None:
            return None
        return math.inf if be["tokens_per_month"] is None else float(be["tokens_per_month"])
    if metric == "payback_months":
        if o.get("acquisition") != "buy":
            return None
        be = _headline(report, option)
        if be is None:
            return None
        return math.inf if be["payback_months"] is None else float(be["payback_months"])
    value = o.get(metric)
    return None if value is None else float(value)


def _compare(g: Guardrail, actual: float | str | None) -> Outcome:
    if actual is None:
        raise InputError(
            f"guardrail {g.text!r}: {g.label} does not apply here "
            f"({OPTION_METRICS.get(g.metric) or DIFF_METRICS.get(g.metric, g.metric)})",
            field=g.origin,
        )
    return Outcome(g, actual, bool(OPS[g.op](actual, g.value)))


def check_report(guardrails: Sequence[Guardrail], report: Mapping[str, Any]) -> list[Outcome]:
    """Check report guardrails against a report dict (Result.to_dict()); diff.* metrics are an input error."""
    names = _option_names(report)
    out = []
    for g in guardrails:
        if g.is_diff:
            raise InputError(
                f"guardrail {g.text!r}: diff.* metrics apply only to `costcalc diff`",
                field=g.origin,
            )
        _check_option(g, names)
        if g.metric == "cheapest":
            _check_option(Guardrail(g.text, g.metric, str(g.value), g.op, g.value, origin=g.origin), names)
        out.append(_compare(g, option_metric(report, g.metric, g.option)))
    return out


def diff_metric(base: Mapping[str, Any], head: Mapping[str, Any], metric: str, option: str | None) -> float | None:
    """HEAD minus BASE of a metric (percent for *_pct); without an option, of the cheapest option's value."""
    pct = metric.endswith("_pct")
    name = metric[: -len("_pct")] if pct else metric
    before = option_metric(base, name, option)
    after = option_metric(head, name, option)
    if not isinstance(before, float) or not isinstance(after, float):
        return None
    if math.isinf(before) or math.isinf(after):
        return 0.0 if before == after else (math.inf if math.isinf(after) else -math.inf)
    if pct:
        return math.inf if before == 0 and after != 0 else (0.0 if before == 0 else (after - before) / before * 100)
    return after - before


def check_diff(guardrails: Sequence[Guardrail], base: Mapping[str, Any], head: Mapping[str, Any]) -> list[Outcome]:
    """Check guardrails for `costcalc diff`: diff.* metrics compare BASE and HEAD, the others read HEAD."""
    out = []
    both = [n for n in _option_names(head) if n in _option_names(base)]
    for g in guardrails:
        if not g.is_diff:
            out += check_report([g], head)
            continue
        _check_option(g, both)
        out.append(_compare(g, diff_metric(base, head, g.metric, g.option)))
    return out


def metric_help() -> str:
    """Every metric with its meaning, for --help and error messages."""
    lines = [f"{k}[OPTION]: {v}" for k, v in OPTION_METRICS.items()]
    lines += [f"{k}: {v}" for k, v in REPORT_METRICS.items()]
    lines += [f"{DIFF_PREFIX}{k}[OPTION]: {v}" for k, v in DIFF_METRICS.items()]
    return "\n".join(lines)


__all__ = [
    "Guardrail",
    "Outcome",
    "check_diff",
    "check_report",
    "diff_metric",
    "format_value",
    "metric_help",
    "option_metric",
    "parse",
    "parse_all",
]
