"""genai-prices models → dated price periods in costcalc's columns (history, tiers, variants, windows).

Works on the data in genai-prices' JSON shape (`prices/new_data/v2/data.json`); `normalize` turns the
package's data.py, read by `pyliteral`, into that shape. The rules replicate the package's own
resolution (`ModelInfo.get_prices`): the last active conditional price wins, else the first;
variants are tried first to last and the first active one wins for each price key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from costcalc.errors import PricingError
from costcalc.pricing.build.pyliteral import TYPE_KEY
from costcalc.pricing.windows import DAY_NAMES, MINUTES_PER_DAY, Windows

# genai-prices price key → costcalc column stem (per 1M tokens)
PRICE_KEYS = {
    "input_mtok": "input",
    "cache_read_mtok": "cached_input",
    "output_mtok": "output",
    "cache_write_1h_mtok": "cache_write_1h",
}
CACHE_WRITE_KEY = "cache_write_mtok"
# The lifetime of a provider's default cache write, where it is not Anthropic's 5 minutes
CACHE_WRITE_COLUMN = {"openai": "cache_write_30m"}
# Request contexts of the variants costcalc has columns for; the first context a model prices wins
VARIANT_TIERS: dict[str, tuple[dict[str, str], ...]] = {
    "batch": ({"processing": "batch"},),
    "flex": ({"service_tier": "flex"},),
    "priority": ({"service_tier": "priority"}, {"service_tier": "fast"}),
}
_URL = re.compile(r"https?://[^\s,;)'\"]+")
EARLIEST = dt.date(1970, 1, 1)  # the day a period with no start date and no later change is evaluated on


@dataclass(frozen=True)
class Period:
    """The prices in force from valid_from to valid_until (inclusive; None = open)."""

    valid_from: dt.date | None
    valid_until: dt.date | None
    values: dict[str, Any]  # costcalc column → value
    notes: tuple[str, ...] = ()


@dataclass
class ModelFacts:
    """What one genai-prices model states, ready to become rows."""

    provider_id: str
    model_id: str
    periods: list[Period] = field(default_factory=list)
    context_window: int | None = None
    reference_url: str | None = None
    deprecated: bool = False
    dropped_history_before: dt.date | None = None


def normalize(node: Any) -> Any:
    """data.py objects read by pyliteral → the JSON shape (clauses keyed by kind, ISO dates, floats)."""
    if isinstance(node, list):
        return [normalize(item) for item in node]
    if isinstance(node, Decimal):
        return float(node)
    if isinstance(node, (dt.date, dt.time)) and not isinstance(node, dt.datetime):
        if isinstance(node, dt.time):
            return node.replace(tzinfo=None).isoformat() + "Z"
        return node.isoformat()
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == TYPE_KEY:
            continue
        out[key.rstrip("_") if key in ("or_", "and_") else key] = normalize(value)
    return out


def provider(providers: list[dict[str, Any]], provider_id: str) -> dict[str, Any] | None:
    """The provider entry with this id."""
    return next((p for p in providers if p.get("id") == provider_id), None)


def matches(clause: dict[str, Any], ref: str) -> bool:
    """genai-prices' match logic on a lower-cased model reference."""
    ref = ref.lower()
    if "or" in clause:
        return any(matches(c, ref) for c in clause["or"])
    if "and" in clause:
        return all(matches(c, ref) for c in clause["and"])
    if "equals" in clause:
        return ref == str(clause["equals"]).lower()
    if "starts_with" in clause:
        return ref.startswith(str(clause["starts_with"]).lower())
    if "ends_with" in clause:
        return ref.endswith(str(clause["ends_with"]).lower())
    if "contains" in clause:
        return str(clause["contains"]).lower() in ref
    if "regex" in clause:
        return re.search(str(clause["regex"]), ref) is not None
    raise PricingError(f"unknown genai-prices match clause {sorted(clause)}; update the build")


def find_model(provider_entry: dict[str, Any], ref: str) -> dict[str, Any] | None:
    """The model a reference resolves to: the entry with that id, else the first whose match clause fits."""
    models: list[dict[str, Any]] = provider_entry.get("models") or []
    exact = next((m for m in models if m.get("id") == ref), None)
    if exact is not None:
        return exact
    return next((m for m in models if matches(m.get("match") or {}, ref)), None)


def model_facts(provider_entry: dict[str, Any], model: dict[str, Any], row: str) -> ModelFacts:
    """All periods of one model's prices; `row` names the shipped row in errors."""
    facts = ModelFacts(
        provider_id=str(provider_entry["id"]),
        model_id=str(model["id"]),
        context_window=model.get("context_window"),
        reference_url=_reference_url(model, provider_entry),
        deprecated=bool(model.get("deprecated")),
    )
    starts = sorted(_start_dates(model))
    timed = _has_window(model.get("prices"))
    if timed and starts:
        # A genai-prices constraint is a date or a daily window, never both, so its windows apply
        # to every date; they are only right from the latest dated change on (upstream issue #582).
        facts.dropped_history_before = starts[-1]
        starts = starts[-1:]
    boundaries: list[dt.date | None] = [None, *starts] if not timed or not starts else list(starts)
    periods: list[Period] = []
    for i, start in enumerate(boundaries):
        end = boundaries[i + 1] if i + 1 < len(boundaries) else None
        day = start or (end - dt.timedelta(days=1) if end else EARLIEST)
        values, notes = _period_values(model, provider_entry, day, row)
        until = end - dt.timedelta(days=1) if end else None
        if periods and periods[-1].values == values and periods[-1].notes == notes:
            periods[-1] = Period(periods[-1].valid_from, until, values, notes)
        else:
            periods.append(Period(start, until, values, notes))
    facts.periods = periods
    return facts


def _start_dates(model: dict[str, Any]) -> set[dt.date]:
    out = set()
    entries = model.get("prices")
    if not isinstance(entries, list):
        entries = []
    for entry in [*entries, *(model.get("price_variants") or [])]:
        start = (entry.get("constraint") or {}).get("start_date")
        if start:
            out.add(dt.date.fromisoformat(str(start)[:10]))
    return out


def _has_window(prices: Any) -> bool:
    return isinstance(prices, list) and any("start_time" in (p.get("constraint") or {}) for p in prices)


def _minutes(text: str) -> int:
    """'01:00:00Z' → 60 (minutes after midnight UTC)."""
    clean = str(text).rstrip("Z").split("+")[0]
    hours, minutes = clean.split(":")[:2]
    return int(hours) * 60 + int(minutes)


def _active(constraint: dict[str, Any] | None, day: dt.date, minute: int) -> bool:
    if not constraint:
        return True
    if "start_date" in constraint:
        return day >= dt.date.fromisoformat(str(constraint["start_date"])[:10])
    start, end = _minutes(constraint["start_time"]), _minutes(constraint["end_time"])
    if end < start:
        return minute >= start or minute < end
    return start <= minute < end


def standard_prices(model: dict[str, Any], day: dt.date, minute: int) -> dict[str, Any]:
    """The standard price set at a UTC day and minute: the last active conditional price, else the first."""
    prices = model.get("prices")
    if isinstance(prices, dict):
        return prices
    if not isinstance(prices, list) or not prices:
        return {}
    for entry in reversed(prices):
        if _active(entry.get("constraint"), day, minute):
            return entry.get("prices") or {}
    return prices[0].get("prices") or {}


def variant_overrides(model: dict[str, Any], context: dict[str, str], day: dt.date, minute: int) -> dict[str, Any]:
    """Price keys the model's variants set for a request context: first active variant wins per key."""
    out: dict[str, Any] = {}
    for variant in model.get("price_variants") or []:
        if not _active(variant.get("constraint"), day, minute):
            continue
        if not all(context.get(k) == v for k, v in (variant.get("when") or {}).items()):
            continue
        for key, price in (variant.get("prices") or {}).items():
            if price is not None:
                out.setdefault(key, price)
    return out


def _window_minutes(model: dict[str, Any]) -> list[int]:
    """Minutes after midnight where some daily window opens or closes (0 always included)."""
    found = {0}
    prices = model.get("prices")
    if not isinstance(prices, list):
        prices = []
    for entry in [*prices, *(model.get("price_variants") or [])]:
        constraint = entry.get("constraint") or {}
        if "start_time" in constraint:
            found.update({_minutes(constraint["start_time"]), _minutes(constraint["end_time"])})
    return sorted(found)


def _period_values(
    model: dict[str, Any], provider_entry: dict[str, Any], day: dt.date, row: str
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """costcalc columns of the prices in force on `day`, with notes on what is not modelled."""
    cuts = _window_minutes(model)
    segments = [(start, cuts[i + 1] if i + 1 < len(cuts) else MINUTES_PER_DAY) for i, start in enumerate(cuts)]
    sets: list[dict[str, Any]] = []
    owner: list[int] = []
    for start, _ in segments:
        prices = standard_prices(model, day, start)
        if prices not in sets:
            sets.append(prices)
        owner.append(sets.index(prices))
    if len(sets) > 2:
        raise PricingError(f"{row}: genai-prices gives {len(sets)} daily price levels; costcalc models two")
    notes: list[str] = []
    peak_index = 0
    if len(sets) == 2:
        peak_index = max((0, 1), key=lambda i: _base(sets[i].get("input_mtok")) or 0.0)
    peak = sets[peak_index]
    minute = next(start for (start, _), who in zip(segments, owner) if who == peak_index)
    values = _core(peak, str(provider_entry["id"]), row)
    if len(sets) == 2:
        cheap = _core(sets[1 - peak_index], str(provider_entry["id"]), row)
        spans = _merge([seg for seg, who in zip(segments, owner) if who == peak_index])
        values.update(
            off_peak_input_usd_per_mtok=cheap.get("input_usd_per_mtok"),
            off_peak_cached_input_usd_per_mtok=cheap.get("cached_input_usd_per_mtok"),
            off_peak_output_usd_per_mtok=cheap.get("output_usd_per_mtok"),
            peak_hours_utc=str(Windows(tuple(range(len(DAY_NAMES))), tuple(spans))),
        )
    for tier, contexts in VARIANT_TIERS.items():
        for context in contexts:
            override = variant_overrides(model, context, day, minute)
            if override:
                resolved = {**peak, **override}
                values[f"{tier}_input_usd_per_mtok"] = _base(resolved.get("input_mtok"))
                values[f"{tier}_output_usd_per_mtok"] = _base(resolved.get("output_mtok"))
                if tier != "batch":  # a variant without its own cache-read price keeps the standard one
                    values[f"{tier}_cached_input_usd_per_mtok"] = _base(resolved.get("cache_read_mtok"))
                break
    other = sorted(
        {
            f"{k}={v}"
            for variant in model.get("price_variants") or []
            for k, v in (variant.get("when") or {}).items()
            if not any(variant.get("when") == c for cs in VARIANT_TIERS.values() for c in cs) and variant.get("prices")
        }
    )
    if other:
        notes.append("upstream also prices " + ", ".join(other) + " (not modelled)")
    extra = _higher_tiers(peak)
    if extra:
        notes.append(f"tiers above {extra} input tokens not modelled")
    return {k: v for k, v in values.items() if v is not None}, tuple(notes)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent segments → spans; a span ending at midnight joins one starting at 00:00."""
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and merged[-1][1] == start:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    if len(merged) > 1 and merged[0][0] == 0 and merged[-1][1] == MINUTES_PER_DAY:
        first = merged.pop(0)
        merged[-1][1] = first[1]
    return [(s, e % MINUTES_PER_DAY) for s, e in merged]


def _base(value: Any) -> float | None:
    if isinstance(value, dict):
        return None if value.get("base") is None else float(value["base"])
    return None if value is None else float(value)


def _tiers(value: Any) -> list[tuple[int, float]]:
    if not isinstance(value, dict):
        return []
    return sorted((int(t["start"]), float(t["price"])) for t in value.get("tiers") or [])


def _higher_tiers(prices: dict[str, Any]) -> int | None:
    """The start of a second tier on any key, when there is one (costcalc models one threshold)."""
    seconds = [tiers[1][0] for tiers in (_tiers(v) for v in prices.values()) if len(tiers) > 1]
    return min(seconds) if seconds else None


def _core(prices: dict[str, Any], provider_id: str, row: str) -> dict[str, Any]:
    """One genai-prices price set → costcalc's base, cache and long-context columns."""
    values: dict[str, Any] = {}
    for key, stem in PRICE_KEYS.items():
        values[f"{stem}_usd_per_mtok"] = _base(prices.get(key))
    write = CACHE_WRITE_COLUMN.get(provider_id, "cache_write_5m")
    values[f"{write}_usd_per_mtok"] = _base(prices.get(CACHE_WRITE_KEY))
    tiered = {key: _tiers(prices.get(key)) for key in (*PRICE_KEYS, CACHE_WRITE_KEY)}
    starts = {tiers[0][0] for tiers in tiered.values() if tiers}
    if len(starts) > 1:
        raise PricingError(f"{row}: genai-prices tiers start at {sorted(starts)}; costcalc models one threshold")
    if starts:
        (start,) = starts

        def at(key: str) -> float | None:
            return tiered[key][0][1] if tiered[key] else _base(prices.get(key))

        values.update(
            long_context_threshold_tokens=start,
            long_context_input_usd_per_mtok=at("input_mtok"),
            long_context_cached_input_usd_per_mtok=at("cache_read_mtok"),
            long_context_output_usd_per_mtok=at("output_mtok"),
        )
    return values


def _reference_url(model: dict[str, Any], provider_entry: dict[str, Any]) -> str | None:
    """The first page the model's price comments cite, else the provider's first pricing page."""
    for found in _URL.finditer(str(model.get("price_comments") or "")):
        url = found.group(0).rstrip(".")
        if "github.com/pydantic/genai-prices" not in url:  # the upstream's own issues are not price pages
            return url
    urls = provider_entry.get("pricing_urls") or []
    return str(urls[0]) if urls else None
