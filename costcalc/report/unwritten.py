"""What a read report holds that costcalc never writes: `Result.from_dict` (and so `diff`) refuses it at its field."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from costcalc.report.result import Result


def unwritten(result: Result) -> tuple[str, str] | None:
    """The first thing in a read Result that costcalc never writes, as (field, why): no options, an option's name
    given twice, a `cheapest` that names none of them, a negative monthly cost or cost per 1M tokens (qa22 finding 17:
    `diff` read each of them, hand-edited, as a report); a negative count, volume, break-even or payback, a cost
    range whose low end is above its high end, a break-even between options the report does not list, a horizon
    under a month (qa23: `diff` showed '6.57B tok/mo -> -3 tok/mo' and 'workload.tokens_per_month: 730,000,000 ->
    -5')."""
    if not result.options:
        return "options", "it lists no options"
    if result.horizon_months < 1:
        return "horizon_months", f"horizon_months {result.horizon_months} is under 1 month"
    for field in _WORKLOAD_COUNTS:
        if (value := getattr(result.workload, field)) is not None and value < 0:
            return f"workload.{field}", f"{field} {value:g} is below 0"
    first: dict[str, int] = {}
    for i, option in enumerate(result.options):
        if option.name in first:
            return f"options.{i}.name", f"option {option.name!r} is listed twice (options.{first[option.name]} too)"
        first[option.name] = i
        for field in _OPTION_FIGURES:
            if (value := getattr(option, field)) is not None and value < 0:
                return f"options.{i}.{field}", f"{field} {value:g} is below 0 (option {option.name!r})"
        for field in ("monthly_cost_range", "monthly_cost_at_runs"):
            ends = getattr(option, field)
            if ends is not None and not 0 <= ends[0] <= ends[1]:
                return (
                    f"options.{i}.{field}",
                    f"{field} [{ends[0]:g}, {ends[1]:g}] is not a low and a high cost of 0 or more, low first"
                    f" (option {option.name!r})",
                )
        actual = option.throughput.actual_range if option.throughput is not None else None
        if actual is not None and not 0 < actual.low <= actual.high:
            return (
                f"options.{i}.throughput.actual_range",
                f"actual_range {actual.low:g}x to {actual.high:g}x is not a low and a high factor above 0, low first"
                f" (option {option.name!r})",
            )
    if result.cheapest not in first:
        return "cheapest", f"cheapest {result.cheapest!r} is none of its options ({', '.join(first)})"
    for j, be in enumerate(result.break_even):
        for field in ("option", "versus"):
            if (name := getattr(be, field)) not in first:
                return f"break_even.{j}.{field}", f"{field} {name!r} is none of its options ({', '.join(first)})"
        for field in ("tokens_per_month", "requests_per_month", "payback_months"):
            if (value := getattr(be, field)) is not None and value < 0:
                return f"break_even.{j}.{field}", f"{field} {value:g} is below 0 ({be.option} against {be.versus})"
    return None


# figures a report never writes below 0 (None where they do not apply)
_WORKLOAD_COUNTS = ("requests_per_month", "input_tokens_per_month", "output_tokens_per_month", "tokens_per_month")
_OPTION_FIGURES = ("monthly_cost", "cost_per_million_tokens", "replicas", "gpus", "seats", "utilisation")
