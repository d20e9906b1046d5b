"""Shared text pieces of the diff renderers: signed money and percent, 'never', guardrail lines."""

from __future__ import annotations

import math
from collections.abc import Sequence

from costcalc.render.numbers import money, money_change, tokens
from costcalc.report.diff import Diff, OptionChange, VariantChange
from costcalc.report.guardrails import Outcome
from costcalc.words import counted


def signed_money(amount: float | None, currency: str = "USD") -> str:
    """+$1,234 / -$12.30 / $0 (€ for EUR, ...); '-' when not applicable."""
    if amount is None:
        return "-"
    if amount == 0:
        return money(0, currency).removesuffix(".00")
    return ("+" if amount > 0 else "-") + money(abs(amount), currency)


def change_money(o: OptionChange, currency: str = "USD") -> str:
    """An option's monthly change as the difference of its Before and After cells ('+$13' between $12,647 and
    $12,660); an option on one side only: its signed change."""
    if o.monthly_cost_before is None or o.monthly_cost_after is None:
        return signed_money(o.monthly_cost_change, currency)
    return money_change(o.monthly_cost_before, o.monthly_cost_after, currency)


def signed_pct(pct: float | None) -> str:
    """+12.3% / -4.0%; '-' when not applicable."""
    if pct is None:
        return "-"
    if math.isinf(pct):
        return "new cost"
    return f"{pct:+.1f}%"


def maybe_money(amount: float | None, currency: str = "USD") -> str:
    """money, or '-' when the option is absent on that side."""
    return "-" if amount is None else money(amount, currency)


def volume(tokens_per_month: float | None) -> str:
    """Break-even volume: '10.8B tok/mo', 'never' or '-'."""
    if tokens_per_month is None:
        return "-"
    if math.isinf(tokens_per_month):
        return "never"
    return f"{tokens(tokens_per_month)} tok/mo"


def month(m: float | None) -> str:
    """Payback: 'month 14', 'never' or '-'."""
    if m is None:
        return "-"
    if math.isinf(m):
        return "never"
    return f"month {m:.0f}"


def transition(before: str, after: str) -> str:
    """'a → b', or just 'a' when unchanged."""
    return before if before == after else f"{before} → {after}"


def summary_line(diff: Diff) -> str:
    """One sentence: cheapest before/after and its monthly cost change."""
    b = next((o for o in diff.options if o.name == diff.cheapest_before), None)
    a = next((o for o in diff.options if o.name == diff.cheapest_after), None)
    before = b.monthly_cost_before if b else None
    after = a.monthly_cost_after if a else None
    change = ""
    if before is not None and after is not None:
        pct = (after - before) / before * 100 if before else None
        cur = diff.head.currency
        change = f" ({maybe_money(before, cur)} → {maybe_money(after, cur)}/month, {signed_pct(pct)})"
    if diff.cheapest_changed:
        return f"Cheapest option changed: {diff.cheapest_before} → {diff.cheapest_after}{change}."
    return f"Cheapest option unchanged: {diff.cheapest_after}{change}."


def status_word(o: OptionChange) -> str:
    """'added', 'removed', 'unchanged' or ''."""
    return "" if o.status == "changed" else o.status


def guardrail_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """One line per guardrail, tripped ones first-class."""
    return [o.describe() for o in outcomes]


def value_text(value: object) -> str:
    """An input value for the changed-inputs list: a number with its thousands grouped, whole or not."""
    if value is None:
        return "(none)"
    if isinstance(value, dict):  # a list entry that only one side has: its fields
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.6g}"
    if isinstance(value, int) and not isinstance(value, bool):  # 'users: 2,000' as 'requests_per_day: 24,000'
        return f"{value:,}"
    return str(value)


GUARDRAILS_ON_BASE = "checked on the scenario as written; its variants are what-ifs"


def shown_variants(diff: Diff) -> list[VariantChange]:
    """The variants' options whose cost moved, or that are on one side only (those unchanged are counted instead)."""
    return [v for v in diff.variants if v.status != "unchanged"]


def variants_unchanged_line(diff: Diff) -> str:
    """'costs unchanged in 2 variants: small, big' for the variants none of whose options moved; '' when none."""
    moved = {v.variant for v in shown_variants(diff)}
    still = list(dict.fromkeys(v.variant for v in diff.variants if v.variant not in moved))
    if not still:
        return ""
    return f"costs unchanged in {counted(len(still), 'variant')}: {', '.join(still)}"
