"""Cross-checks of a build: the two upstreams against each other, and the new table against the previous."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from costcalc.pricing.build.assemble import Built
from costcalc.pricing.schema import ApiPrice

DISAGREE_ABOVE = 0.25  # a relative difference larger than this is listed
COMPARED = (
    "input_usd_per_mtok",
    "cached_input_usd_per_mtok",
    "output_usd_per_mtok",
    "cache_write_5m_usd_per_mtok",
    "cache_write_30m_usd_per_mtok",
    "cache_write_1h_usd_per_mtok",
    "batch_input_usd_per_mtok",
    "batch_output_usd_per_mtok",
    "flex_input_usd_per_mtok",
    "flex_output_usd_per_mtok",
    "priority_input_usd_per_mtok",
    "priority_output_usd_per_mtok",
    "long_context_threshold_tokens",
    "long_context_input_usd_per_mtok",
    "long_context_cached_input_usd_per_mtok",
    "long_context_output_usd_per_mtok",
    "off_peak_input_usd_per_mtok",
    "off_peak_cached_input_usd_per_mtok",
    "off_peak_output_usd_per_mtok",
)
COLUMNS = ("id", "field", "kept", "kept_from", "other", "other_from", "difference_pct", "why")
# A tier one upstream has and the other lacks changes the bill of the requests it covers; listed with an
# empty side. (Batch/flex/priority gaps are not: the build takes litellm's where genai-prices has none.)
PRESENCE_COMPARED = ("long_context_threshold_tokens",)


@dataclass(frozen=True)
class Disagreement:
    """One field of one row where two sources differ by more than DISAGREE_ABOVE."""

    id: str
    field: str
    kept: float | None  # None: the kept source has no such tier
    kept_from: str
    other: float | None  # None: the other source has no such tier
    other_from: str
    why: str

    @property
    def difference_pct(self) -> float | None:
        """(other - kept) / kept × 100; the other source relative to the shipped value (None: one side lacks it)."""
        if self.kept is None or self.other is None:
            return None
        if self.kept == 0:
            return float("inf")
        return (self.other - self.kept) / self.kept * 100.0


def differs(kept: float, other: float) -> bool:
    """More than DISAGREE_ABOVE apart, relative to the kept value."""
    if kept == other:
        return False
    if kept == 0:
        return True
    return abs(other - kept) / abs(kept) > DISAGREE_ABOVE


def current_row(rows: list[ApiPrice], on: dt.date) -> ApiPrice:
    """The row valid on a date, else the latest one."""
    return next((r for r in rows if r.valid_on(on)), rows[-1])


def between_upstreams(built: list[Built], genai_from: str, litellm_from: str) -> list[Disagreement]:
    """Where genai-prices and litellm both price a field of a shipped row on the build date and differ."""
    out = []
    for item in built:
        if item.genai_now is None or item.litellm_now is None:
            continue
        primary_is_genai = item.choice.primary == "genai-prices"
        kept_values, other_values = (
            (item.genai_now, item.litellm_now) if primary_is_genai else (item.litellm_now, item.genai_now)
        )
        kept_from, other_from = (genai_from, litellm_from) if primary_is_genai else (litellm_from, genai_from)
        why = item.choice.note or f"{kept_from} is the primary upstream (no reviewer note yet)"
        for name in COMPARED:
            kept, other = kept_values.get(name), other_values.get(name)
            if kept is None or other is None or not differs(float(kept), float(other)):
                continue
            out.append(Disagreement(item.choice.id, name, float(kept), kept_from, float(other), other_from, why))
        for name in PRESENCE_COMPARED:
            kept, other = kept_values.get(name), other_values.get(name)
            if (kept is None) != (other is None):
                out.append(Disagreement(item.choice.id, name, _maybe(kept), kept_from, _maybe(other), other_from, why))
    return out


def _maybe(value: Any) -> float | None:
    return None if value is None else float(value)


def against_previous(
    built: list[Built], previous: list[ApiPrice], on: dt.date, previous_from: str, litellm_from: str = "litellm"
) -> list[Disagreement]:
    """Where the new row valid on the build date differs from the previous table's row of that id."""
    old: dict[str, list[ApiPrice]] = {}
    for row in previous:
        old.setdefault(row.series, []).append(row)
    out = []
    for item in built:
        if item.choice.id not in old or not item.rows:
            continue
        new = current_row(item.rows, on)
        was = current_row(old[item.choice.id], on)
        for name in COMPARED:
            kept, other = getattr(new, name), getattr(was, name)
            if kept is None or other is None or not differs(float(kept), float(other)):
                continue
            why = (
                f"previous value ({was.as_of}, {_short(was.source)}) replaced by the pinned upstream"
                f"{'; ' + item.choice.note if item.choice.note else ''}"
            )
            release = new.source.rstrip("/").rsplit("/", 2)
            kept_from = litellm_from if name in item.from_litellm else f"{release[-2]} {release[-1]}"
            out.append(
                Disagreement(
                    item.choice.id,
                    name,
                    float(kept),
                    kept_from,
                    float(other),
                    previous_from,
                    why,
                )
            )
    return out


def _short(source: str) -> str:
    """The first word of a source (its URL or repo@commit), for a one-line reason."""
    first = source.split()[0]
    return first if len(first) <= 80 else first[:77] + "..."
