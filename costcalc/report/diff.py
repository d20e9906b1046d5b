"""Compare two reports (scenario files or saved JSON reports): costs, cheapest, break-even, changed inputs."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from costcalc.errors import InputError
from costcalc.report.json_numbers import ABSENT, NOT_APPLICABLE, with_why
from costcalc.report.result import JSON_SIGNIFICANT_DIGITS, Result

SAME = 10.0 ** (1 - JSON_SIGNIFICANT_DIGITS)  # relative difference below what a JSON report keeps
ENTRY = re.compile(r"\[\d+\]")  # a list entry's index in a flattened path: 'pricing[0].discount'
# `diff -f json`: 1.1 added currency; 1.2 guardrails' actual a number or null (+ actual_is); 2.0 every figure a
# number or null: options' break_even_tokens and payback_months `before` / `after` wrote the string "never" and now
# write null with `before_is` / `after_is` (a value's type changed, so a reader of 1.x must change: a major version);
# 2.1 `variants`: each scenario variant's options' monthly cost before and after
DIFF_SCHEMA_VERSION = "2.1"


@dataclass(frozen=True)
class Side:
    """One side of a diff: its Result, plus the scenario's fields and price rows when read from a scenario."""

    label: str
    report: Result
    scenario_fields: dict[str, Any] | None = None  # flattened 'options[Name].hardware.gpu' → value
    price_values: dict[str, dict[str, Any]] = field(default_factory=dict)  # 'table id' → row fields
    guardrails: tuple[str, ...] = ()
    guardrail_origins: tuple[str, ...] = ()  # where each is written, 's.yaml:61: guardrails[0]' (a scenario side)
    variants: dict[str, Result] | None = None  # a scenario's named variants, costed; None for a saved report


@dataclass(frozen=True)
class OptionChange:
    """One option before and after; `status` is changed, unchanged, added or removed."""

    name: str
    status: str
    kind: str
    monthly_cost_before: float | None
    monthly_cost_after: float | None
    cost_per_million_tokens_before: float | None
    cost_per_million_tokens_after: float | None
    break_even_tokens_before: float | None  # inf: never; None: does not apply
    break_even_tokens_after: float | None
    payback_months_before: float | None
    payback_months_after: float | None

    @property
    def monthly_cost_change(self) -> float | None:
        """HEAD - BASE, USD per month (None for added or removed options)."""
        if self.monthly_cost_before is None or self.monthly_cost_after is None:
            return None
        return self.monthly_cost_after - self.monthly_cost_before

    @property
    def monthly_cost_change_pct(self) -> float | None:
        """Change in percent of BASE (None when BASE is zero or the option is new or gone)."""
        change = self.monthly_cost_change
        if change is None or not self.monthly_cost_before:
            return None
        return change / self.monthly_cost_before * 100


@dataclass(frozen=True)
class VariantChange:
    """One option of one scenario variant before and after: its monthly cost (None where the variant or the option
    is on one side only); `status` as OptionChange's."""

    variant: str
    option: str
    status: str
    monthly_cost_before: float | None
    monthly_cost_after: float | None

    @property
    def monthly_cost_change_pct(self) -> float | None:
        """Change in percent of BASE (None when BASE is zero or absent)."""
        if self.monthly_cost_before is None or self.monthly_cost_after is None or not self.monthly_cost_before:
            return None
        return (self.monthly_cost_after - self.monthly_cost_before) / self.monthly_cost_before * 100


@dataclass(frozen=True)
class InputChange:
    """A scenario field or price row that differs: `what` is 'scenario', 'price' or 'workload'."""

    what: str
    path: str
    before: Any
    after: Any
    source: str | None = None  # the price row's source (HEAD's, else BASE's)
    as_of: str | None = None


@dataclass(frozen=True)
class Diff:
    """Everything `costcalc diff` shows, in a stable order."""

    base_label: str
    head_label: str
    options: tuple[OptionChange, ...]
    cheapest_before: str
    cheapest_after: str
    inputs: tuple[InputChange, ...]
    base: Result
    head: Result
    variants: tuple[VariantChange, ...] = ()  # each variant's options, where a side is a scenario with variants

    @property
    def cheapest_changed(self) -> bool:
        """True when a different option is cheapest now."""
        return self.cheapest_before != self.cheapest_after

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict, stable key order; every figure a number or null, a null break-even or payback with
        `before_is` / `after_is` saying why (report/json_numbers: never, not_applicable, absent)."""

        def figure(o: OptionChange, before: float | None, after: float | None) -> dict[str, Any]:
            return {
                **with_why("before", before, missing=ABSENT if o.status == "added" else NOT_APPLICABLE),
                **with_why("after", after, missing=ABSENT if o.status == "removed" else NOT_APPLICABLE),
            }

        return {
            "schema_version": DIFF_SCHEMA_VERSION,
            "base": self.base_label,
            "head": self.head_label,
            "currency": self.head.currency,
            "cheapest": {
                "before": self.cheapest_before,
                "after": self.cheapest_after,
                "changed": self.cheapest_changed,
            },
            "options": [
                {
                    "name": o.name,
                    "status": o.status,
                    "kind": o.kind,
                    "monthly_cost": {
                        "before": o.monthly_cost_before,
                        "after": o.monthly_cost_after,
                        "change": o.monthly_cost_change,
                        "change_pct": o.monthly_cost_change_pct,
                    },
                    "cost_per_million_tokens": {
                        "before": o.cost_per_million_tokens_before,
                        "after": o.cost_per_million_tokens_after,
                    },
                    "break_even_tokens": figure(o, o.break_even_tokens_before, o.break_even_tokens_after),
                    "payback_months": figure(o, o.payback_months_before, o.payback_months_after),
                }
                for o in self.options
            ],
            "inputs": [
                {
                    "what": c.what,
                    "path": c.path,
                    "before": c.before,
                    "after": c.after,
                    "source": c.source,
                    "as_of": c.as_of,
                }
                for c in self.inputs
            ],
            "variants": [
                {
                    "variant": v.variant,
                    "option": v.option,
                    "status": v.status,
                    "monthly_cost": {
                        "before": v.monthly_cost_before,
                        "after": v.monthly_cost_after,
                        "change_pct": v.monthly_cost_change_pct,
                    },
                }
                for v in self.variants
            ],
        }


# ---------------------------------------------------------------- comparing


def compare(base: Side, head: Side) -> Diff:
    """The diff of two sides: options matched by name (HEAD's order, then removed ones), then changed inputs."""
    from costcalc.report.guardrails import option_metric

    if base.report.currency != head.report.currency:
        raise InputError(
            f"{base.label} is costed in {base.report.currency} and {head.label} in {head.report.currency}; a diff "
            "compares amounts in one currency: give both the same `currency:`"
        )
    b_names, h_names = [o.name for o in base.report.options], [o.name for o in head.report.options]
    names = h_names + [n for n in b_names if n not in h_names]
    changes = []
    for name in names:
        in_base, in_head = name in b_names, name in h_names

        def m(side: Side, present: bool, metric: str, name: str = name) -> float | None:
            if not present:
                return None
            v = option_metric(side.report, metric, name)
            return v if isinstance(v, float) else None

        status = "added" if not in_base else "removed" if not in_head else "changed"
        row = OptionChange(
            name=name,
            status=status,
            kind=(head.report if in_head else base.report).option(name).kind,
            monthly_cost_before=m(base, in_base, "monthly_cost"),
            monthly_cost_after=m(head, in_head, "monthly_cost"),
            cost_per_million_tokens_before=m(base, in_base, "cost_per_million_tokens"),
            cost_per_million_tokens_after=m(head, in_head, "cost_per_million_tokens"),
            break_even_tokens_before=m(base, in_base, "break_even_tokens"),
            break_even_tokens_after=m(head, in_head, "break_even_tokens"),
            payback_months_before=m(base, in_base, "payback_months"),
            payback_months_after=m(head, in_head, "payback_months"),
        )
        if status == "changed" and _same(row):
            row = replace(row, status="unchanged")
        changes.append(row)
    return Diff(
        base_label=base.label,
        head_label=head.label,
        options=tuple(changes),
        cheapest_before=base.report.cheapest,
        cheapest_after=head.report.cheapest,
        inputs=tuple(_input_changes(base, head)),
        base=base.report,
        head=head.report,
        # a saved report holds no variants: with one side a report, none are compared (not each 'added' or 'removed')
        variants=()
        if base.variants is None or head.variants is None
        else _variant_changes(base.variants, head.variants),
    )


def _variant_changes(base: dict[str, Result], head: dict[str, Result]) -> tuple[VariantChange, ...]:
    """Each variant's options' monthly cost before and after (HEAD's variants in order, then removed ones; in each,
    HEAD's options, then removed ones). qa24: a change to a variant alone read '+0.0%, unchanged' in diff and ci."""
    out = []
    for variant in [*head, *(v for v in base if v not in head)]:
        before = {o.name: o.monthly_cost for o in base[variant].options} if variant in base else {}
        after = {o.name: o.monthly_cost for o in head[variant].options} if variant in head else {}
        for option in [*after, *(o for o in before if o not in after)]:
            b, a = before.get(option), after.get(option)
            status = "added" if b is None else "removed" if a is None else "changed"
            if a is not None and b is not None and (a == b or math.isclose(a, b, rel_tol=SAME)):
                status = "unchanged"
            out.append(VariantChange(variant, option, status, b, a))
    return tuple(out)


def _same(o: OptionChange) -> bool:
    """Equal on every figure, to the JSON report's 12 significant digits (a saved report against a scenario)."""
    pairs = [
        (o.monthly_cost_before, o.monthly_cost_after),
        (o.cost_per_million_tokens_before, o.cost_per_million_tokens_after),
        (o.break_even_tokens_before, o.break_even_tokens_after),
        (o.payback_months_before, o.payback_months_after),
    ]
    return all(a == b or (a is not None and b is not None and math.isclose(a, b, rel_tol=SAME)) for a, b in pairs)


def _input_changes(base: Side, head: Side) -> list[InputChange]:
    out: list[InputChange] = []
    if base.scenario_fields is not None and head.scenario_fields is not None:
        b_names, h_names = {o.name for o in base.report.options}, {o.name for o in head.report.options}
        for name in sorted(b_names ^ h_names):  # an added or removed option is one change, not one per field
            out.append(
                InputChange(
                    "scenario",
                    f"options[{name}]",
                    "absent" if name in h_names else "present",
                    "present" if name in h_names else "absent",
                )
            )
        gone = tuple(f"options[{n}]" for n in b_names ^ h_names)
        out += _field_changes(base.scenario_fields, head.scenario_fields, skip=gone)
    else:
        bw, hw = base.report.workload.model_dump(), head.report.workload.model_dump()
        for k in sorted(set(bw) | set(hw)):
            if bw.get(k) != hw.get(k):
                out.append(InputChange("workload", f"workload.{k}", bw.get(k), hw.get(k)))
    out += _price_changes(base, head)
    return out


def _field_changes(before: dict[str, Any], after: dict[str, Any], *, skip: tuple[str, ...]) -> list[InputChange]:
    """Changed scenario fields; a list entry on one side only (a list that appeared, grew or shrank) is one change,
    'absent' on the other side and its fields on this one, and an empty list that gained entries is not a change
    of its own."""
    b_entries, h_entries = _entries(before), _entries(after)
    lone = (b_entries - h_entries) | (h_entries - b_entries)
    out: list[InputChange] = []
    shown: set[str] = set()
    for k in sorted(set(before) | set(after)):
        if k.startswith(skip):
            continue
        entry = next((p for p in _entry_prefixes(k) if p in lone), None)
        if entry is not None:
            if entry not in shown:
                shown.add(entry)
                out.append(
                    InputChange("scenario", entry, _entry(before, entry) or "absent", _entry(after, entry) or "absent")
                )
            continue
        b, h = before.get(k), after.get(k)
        if (b == [] and k not in after and any(e.startswith(f"{k}[") for e in h_entries)) or (
            h == [] and k not in before and any(e.startswith(f"{k}[") for e in b_entries)
        ):
            continue  # [] on one side, entries on the other: the entries say what changed
        if b != h:
            out.append(InputChange("scenario", k, b, h))
    return out


def _entry_prefixes(key: str) -> list[str]:
    """'a[1].b[0].c' → ['a[1]', 'a[1].b[0]']: the list entries a flattened path lies in, outermost first."""
    return [key[: m.end()] for m in ENTRY.finditer(key)]


def _entries(fields: dict[str, Any]) -> set[str]:
    """Every list entry some flattened path of one side lies in."""
    return {p for k in fields for p in _entry_prefixes(k)}


def _entry(fields: dict[str, Any], entry: str) -> dict[str, Any] | None:
    """A list entry's set fields ('discount': 0.15, 'prices.input_usd_per_mtok': 3), or None when it is absent."""
    found = {k[len(entry) :].lstrip("."): v for k, v in fields.items() if k.startswith((f"{entry}.", f"{entry}["))}
    return {k: v for k, v in found.items() if v is not None and v != []} if found else None


def _report_prices(report: Result) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for o in report.options:
        for p in o.prices:
            rows[f"{p.table} {p.id}"] = {"source": p.source, "as_of": p.as_of.isoformat(), "origin": p.origin}
    return rows


def _price_changes(base: Side, head: Side) -> list[InputChange]:
    """Price rows used on either side: values (when both are scenarios), as-of dates, sources, origins."""
    detailed = bool(base.price_values) and bool(head.price_values)
    b = base.price_values if detailed else _report_prices(base.report)
    h = head.price_values if detailed else _report_prices(head.report)
    out = []
    for key in sorted(set(b) | set(h)):
        before, after = b.get(key), h.get(key)
        ref = after or before
        assert ref is not None
        source, as_of = ref.get("source"), ref.get("as_of")
        if before is None or after is None:
            out.append(
                InputChange(
                    "price",
                    key,
                    "unused" if before is None else "used",
                    "used" if before is None else "unused",
                    source,
                    as_of,
                )
            )
            continue
        for k in sorted(set(before) | set(after)):
            if k == "id" or before.get(k) == after.get(k):
                continue
            out.append(InputChange("price", f"{key}.{k}", before.get(k), after.get(k), source, as_of))
    return out


__all__ = ["Diff", "InputChange", "OptionChange", "Side", "compare"]
