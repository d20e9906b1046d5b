"""Guardrail evaluation: parsed guardrails checked against a report or a diff of two reports."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from costcalc.errors import InputError, did_you_mean
from costcalc.models import Scenario
from costcalc.models.guardrails import DIFF_METRICS, OPS, OPTION_METRICS, REPORT_METRICS, Guardrail, parse
from costcalc.report.result import Result


@dataclass(frozen=True)
class Outcome:
    """A checked guardrail: the value found and whether the condition (the failure) holds; `subject` names the
    option a metric written without [option] was read from ('GPT-6 Luna, the cheapest'), empty where it names one."""

    guardrail: Guardrail
    actual: float | str | None
    tripped: bool
    subject: str = ""
    change: tuple[float, float] | None = None  # a diff.* metric's BASE and HEAD values (of its metric without diff.)

    def describe(self) -> str:
        """One line that reads as a pass or a fail of the stated limit, never as a claim of the failure condition, and
        says by how much a limit broke: 'payback_months is 32, within the limit (fail if payback_months > 36; from
        --fail-if)', 'monthly_cost (GPT-6 Luna, the cheapest) is 1,411.45, breaks the limit by 411.45 (fail if
        monthly_cost > 1000; from --fail-if)'."""
        g = self.guardrail
        label = f"{g.label} ({self.subject})" if self.subject else g.label
        state = f"breaks the limit{self._excess()}" if self.tripped else "within the limit"
        return f"{label} {self._value_words()}, {state} (fail if {g.text}; from {g.origin})"

    def _value_words(self) -> str:
        """'is 1,411.45'; a diff's change that has no size says what happened instead of 'is never': 'went from
        1,537,500,000 to never', 'went from never to 1,537,500,000', 'went from 0 to 6,083.33 (up from zero: no
        percent)', 'is 0 (never before and after)'."""
        actual = self.actual
        if self.change is not None and all(math.isinf(v) for v in self.change):  # no change: never both times
            return f"is {format_value(actual)} (never before and after)"
        if self.change is None or not isinstance(actual, float) or not math.isinf(actual):
            return f"is {format_value(actual)}"
        before, after = (format_value(v) for v in self.change)
        if self.guardrail.metric.endswith("_pct"):
            return f"went from {before} to {after} (up from zero: no percent)"
        return f"went from {before} to {after}"

    def _excess(self) -> str:
        """' by 411.45': how far past the limit a tripped numeric guardrail is; empty for == and != and for never."""
        actual, limit = self.actual, self.guardrail.value
        if self.guardrail.op in ("==", "!=") or not isinstance(actual, float) or not isinstance(limit, float):
            return ""
        if math.isinf(actual):
            return ""
        return f" by {format_value(abs(actual - limit))}"


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
    if abs(value) >= 100_000:  # tokens and requests a month: 66,718,386,346, not 66,718,386,346.00
        return f"{value:,.0f}"
    return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}"


# ---------------------------------------------------------------- evaluation over typed Results


def _option_names(result: Result) -> list[str]:
    return [o.name for o in result.options]


def _check_option(g: Guardrail, names: list[str]) -> None:
    if g.option is not None and g.option not in names:
        raise InputError(
            f"guardrail {g.text!r}: no option {g.option!r}{did_you_mean(g.option, names)}; options: {', '.join(names)}",
            field=g.origin,
        )


def option_metric(result: Result, metric: str, option: str | None) -> float | str | None:
    """A metric of one option (or, without an option, of the whole report).

    Without an option: cost metrics are the cheapest option's; break_even_tokens and payback_months are
    the best (smallest) over the options they apply to. None: the metric does not apply.
    """
    if metric == "cheapest":
        return result.cheapest
    if metric == "tokens_per_month":
        return float(result.workload.tokens_per_month)
    if metric == "requests_per_month":
        return float(result.workload.requests_per_month)
    if option is None:
        if metric in ("break_even_tokens", "payback_months"):
            values = [option_metric(result, metric, o) for o in _option_names(result)]
            found = [v for v in values if isinstance(v, float)]
            return min(found) if found else None
        option = result.cheapest
    o = result.option(option)
    if metric == "break_even_tokens":
        be = result.headline_break_even(option)
        if be is None:
            return None
        return math.inf if be.tokens_per_month is None else float(be.tokens_per_month)
    if metric == "payback_months":
        if o.acquisition != "buy":
            return None
        be = result.headline_break_even(option)
        if be is None:
            return None
        return math.inf if be.payback_months is None else float(be.payback_months)
    value = getattr(o, metric)
    return None if value is None else float(value)


def _best(result: Result, metric: str) -> str | None:
    """The option whose value a break_even_tokens or payback_months guardrail without [option] reads (the smallest)."""
    values = {n: option_metric(result, metric, n) for n in _option_names(result)}
    found = {n: v for n, v in values.items() if isinstance(v, float)}
    return min(found, key=lambda n: found[n]) if found else None


def _subject(g: Guardrail, base: Result | None, head: Result) -> str:
    """Which option a guardrail without [option] was read from, in words; empty when it names one or reads the
    report as a whole (cheapest, tokens_per_month, requests_per_month)."""
    if g.option is not None or g.metric in REPORT_METRICS:
        return ""
    name = g.metric.removesuffix("_pct") if g.is_diff else g.metric
    soonest = name in ("break_even_tokens", "payback_months")
    role = "the soonest" if soonest else "the cheapest"

    def which(result: Result) -> str | None:
        return _best(result, name) if soonest else result.cheapest

    after = which(head)
    before = which(base) if base is not None else after
    if after is None or before is None:  # no option has it: the guardrail reads n/a and passes (_compare)
        return _NONE_HAVE.get(name, "")
    if soonest and option_metric(head, name, after) == math.inf:  # the smallest is never: so is every option's
        return "never for any option"
    if before != after:
        return f"{role}: {before} before, {after} after"
    return f"{after}, {role}"


_NONE_HAVE = {  # why a guardrail without [option] reads no value at all
    "break_even_tokens": "no option breaks even against an API here",
    "payback_months": "no option buys hardware here",
}


def _compare(
    g: Guardrail, actual: float | str | None, subject: str = "", change: tuple[float, float] | None = None
) -> Outcome:
    """The outcome; a metric without [option] that the report does not have (payback_months where nothing is
    bought, replicas where an API is the cheapest) reads n/a and passes, as no value breaks a limit: a repository's
    shared guardrails (ci's $COSTCALC_FAIL_IF) hold for every scenario. Named with [option], it is an input error."""
    if actual is None and g.option is None and g.metric not in REPORT_METRICS:
        return Outcome(g, None, False, subject.replace(", the cheapest", ", the cheapest, has none") or "none here")
    if actual is None:
        raise InputError(
            f"guardrail {g.text!r}: {g.label} does not apply here "
            f"({OPTION_METRICS.get(g.metric) or DIFF_METRICS.get(g.metric, g.metric)})",
            field=g.origin,
        )
    if isinstance(actual, float) and math.isnan(actual):  # NaN > 500 is false: never let it pass silently
        raise InputError(f"guardrail {g.text!r}: {g.label} is not a number; check the inputs", field=g.origin)
    return Outcome(g, actual, bool(OPS[g.op](actual, g.value)), subject, change)


def scenario_guardrails(scenario: Scenario, label: str) -> list[Guardrail]:
    """The scenario's own guardrails, each with where it is written ('s.yaml:7: guardrails[1]', or the `--set` that
    wrote it), so that an error checking it against the report (an option it names that the scenario lacks) points
    at its line; `label` names the scenario where it has no file (stdin)."""
    out = []
    for i, text in enumerate(scenario.guardrails):
        field = f"guardrails[{i}]"
        typed = scenario.set_by(field)
        file, line = scenario.locate(field)
        if typed is not None:
            origin = f"--set {typed}"
        elif file is not None and line is not None:
            origin = f"{file}:{line}: {field}"
        else:
            origin = f"{file or label}: {field}"
        out.append(parse(text, origin=origin))
    return out


def check_report(guardrails: Sequence[Guardrail], report: Result) -> list[Outcome]:
    """Check report guardrails against a Result; diff.* metrics are an input error."""
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
        out.append(_compare(g, option_metric(report, g.metric, g.option), _subject(g, None, report)))
    return out


def diff_values(base: Result, head: Result, metric: str, option: str | None) -> tuple[float, float] | None:
    """BASE's and HEAD's values of a diff.* metric's metric (monthly_cost for diff.monthly_cost_pct), or None where
    either has none."""
    name = metric.removesuffix("_pct")
    before, after = option_metric(base, name, option), option_metric(head, name, option)
    return (before, after) if isinstance(before, float) and isinstance(after, float) else None


def diff_metric(base: Result, head: Result, metric: str, option: str | None) -> float | None:
    """HEAD minus BASE of a metric (percent for *_pct); without an option, of the cheapest option's value."""
    pct = metric.endswith("_pct")
    values = diff_values(base, head, metric, option)
    if values is None:
        return None
    before, after = values
    if math.isinf(before) or math.isinf(after):
        return 0.0 if before == after else (math.inf if math.isinf(after) else -math.inf)
    if pct:
        return math.inf if before == 0 and after != 0 else (0.0 if before == 0 else (after - before) / before * 100)
    return after - before


def check_diff(guardrails: Sequence[Guardrail], base: Result, head: Result) -> list[Outcome]:
    """Check guardrails for `costcalc diff`: diff.* metrics compare BASE and HEAD, the others read HEAD."""
    out = []
    both = [n for n in _option_names(head) if n in _option_names(base)]
    for g in guardrails:
        if not g.is_diff:
            out += check_report([g], head)
            continue
        _check_option(g, both)
        change = diff_values(base, head, g.metric, g.option)
        out.append(_compare(g, diff_metric(base, head, g.metric, g.option), _subject(g, base, head), change))
    return out


__all__ = [
    "Guardrail",
    "Outcome",
    "check_diff",
    "check_report",
    "diff_metric",
    "diff_values",
    "format_value",
    "option_metric",
    "scenario_guardrails",
]
