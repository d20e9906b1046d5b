"""Map pydantic/genai-prices data.json (providers → models → $/1M prices) to ApiPrice rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from costcalc.errors import ExternalError
from costcalc.pricing.sources import Mapped, as_number, has_core_price, positive_int

DEFAULT_URL = "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json"

# genai-prices provider id → costcalc provider slug, where they differ
PROVIDER_ALIASES: dict[str, str] = {"x-ai": "xai", "moonshotai": "moonshot"}

# genai-prices price key → costcalc field stem (the tier of input/output/cache_read maps too)
_FIELDS = {
    "input_mtok": "input",
    "output_mtok": "output",
    "cache_read_mtok": "cached_input",
    "cache_write_mtok": "cache_write_5m",
    "cache_write_1h_mtok": "cache_write_1h",
}


def map_catalog(payload: Any, url: str, fetched_on: dt.date) -> Mapped:
    """genai-prices providers → rows; the price set in force on `fetched_on` is used."""
    providers = payload.get("providers") if isinstance(payload, dict) else payload
    if not isinstance(providers, list) or not providers:
        raise ExternalError(f"{url} is not a genai-prices data.json: expected a JSON list of providers")
    out = Mapped()
    for provider_entry in providers:
        if not isinstance(provider_entry, dict) or not isinstance(provider_entry.get("models"), list):
            out.skipped["provider without models"] += 1
            continue
        provider_id = str(provider_entry.get("id", ""))
        provider = PROVIDER_ALIASES.get(provider_id, provider_id)
        for model_entry in provider_entry["models"]:
            out.seen += 1
            if not isinstance(model_entry, dict) or not model_entry.get("id"):
                out.skipped["model without id"] += 1
                continue
            values = _row_prices(model_entry.get("prices"), fetched_on)
            if values is None:
                out.skipped["missing input/output price"] += 1
                continue
            reason = has_core_price(values.get("input_usd_per_mtok"), values.get("output_usd_per_mtok"))
            if reason:
                out.skipped[reason] += 1
                continue
            model = str(model_entry["id"])
            notes = [n for n in (values.pop("notes", None), _cites(provider_entry)) if n]
            out.add(
                {
                    "id": f"{provider}/{model}",
                    "provider": provider,
                    "model": model,
                    "source": f"{url}#{provider_id}/{model}",
                    "as_of": _as_of(model_entry, provider_entry, fetched_on),
                    "context_window_tokens": positive_int(model_entry.get("context_window")),
                    "notes": "; ".join(notes) or None,
                    **values,
                }
            )
    return out


def _cites(provider_entry: dict[str, Any]) -> str | None:
    """The provider's pricing page(s) genai-prices lists, kept as a note."""
    urls = provider_entry.get("pricing_urls")
    if isinstance(urls, list) and urls and all(isinstance(u, str) for u in urls):
        return "genai-prices cites " + " ".join(urls)
    return None


def _as_of(model_entry: dict[str, Any], provider_entry: dict[str, Any], fetched_on: dt.date) -> dt.date:
    """The catalog's own check date (prices_checked / updated) when given, else the fetch date."""
    for holder in (model_entry, provider_entry):
        for key in ("prices_checked", "updated"):
            raw = holder.get(key)
            if isinstance(raw, str):
                try:
                    return dt.date.fromisoformat(raw[:10])
                except ValueError:
                    continue
    return fetched_on


def _row_prices(prices: Any, on: dt.date) -> dict[str, Any] | None:
    """A prices object or a list of constrained price sets → costcalc fields (None: unusable)."""
    if isinstance(prices, dict):
        return _fields(prices)
    if not isinstance(prices, list):
        return None
    sets = [s for s in prices if isinstance(s, dict) and isinstance(s.get("prices"), dict)]
    base = [s for s in sets if not s.get("constraint")]
    dated = []
    timed = []
    for s in sets:
        constraint = s.get("constraint") or {}
        if "start_date" in constraint:
            try:
                start = dt.date.fromisoformat(str(constraint["start_date"])[:10])
            except ValueError:
                continue
            if start <= on:
                dated.append((start, s))
        elif "start_time" in constraint or "end_time" in constraint:
            timed.append(s)
    if dated:
        main = max(dated, key=lambda pair: pair[0])[1]
    elif base:
        main = base[0]
    else:
        return None
    values = _fields(main["prices"])
    if timed and main in base:
        values.update(_off_peak(values, main, timed[0]))
    return values


def _off_peak(values: dict[str, Any], base: dict[str, Any], timed: dict[str, Any]) -> dict[str, Any]:
    """DeepSeek-style hours: the cheaper set is off-peak, the dearer one the list price."""
    other = _fields(timed["prices"])
    base_in, other_in = values.get("input_usd_per_mtok"), other.get("input_usd_per_mtok")
    if base_in is None or other_in is None or base_in == other_in:
        return {}
    window = timed["constraint"]
    start, end = window.get("start_time", "?"), window.get("end_time", "?")
    if other_in > base_in:  # the time window is the standard price; off-peak is the rest of the day
        main, cheap, hours = other, values, f"{end}-{start}"
    else:
        main, cheap, hours = values, other, f"{start}-{end}"
    return {
        **main,
        "off_peak_input_usd_per_mtok": cheap.get("input_usd_per_mtok"),
        "off_peak_cached_input_usd_per_mtok": cheap.get("cached_input_usd_per_mtok"),
        "off_peak_output_usd_per_mtok": cheap.get("output_usd_per_mtok"),
        "notes": f"off-peak hours {hours}",
    }


def _fields(prices: dict[str, Any]) -> dict[str, Any]:
    """One price set: numbers or {base, tiers:[{start, price}]} → base fields + the lowest tier."""
    values: dict[str, Any] = {}
    tiers: dict[str, tuple[int, float]] = {}
    for key, stem in _FIELDS.items():
        raw = prices.get(key)
        if isinstance(raw, dict):
            values[f"{stem}_usd_per_mtok"] = as_number(raw.get("base"))
            lowest = _lowest_tier(raw.get("tiers"))
            if lowest:
                tiers[stem] = lowest
        else:
            values[f"{stem}_usd_per_mtok"] = as_number(raw)
    if "input" in tiers or "output" in tiers:
        start = (tiers.get("input") or tiers["output"])[0]

        def at(stem: str) -> float | None:
            tier = tiers.get(stem)
            return tier[1] if tier and tier[0] == start else values.get(f"{stem}_usd_per_mtok")

        values.update(
            long_context_threshold_tokens=start,
            long_context_input_usd_per_mtok=at("input"),
            long_context_output_usd_per_mtok=at("output"),
            long_context_cached_input_usd_per_mtok=at("cached_input"),
        )
    return values


def _lowest_tier(tiers: Any) -> tuple[int, float] | None:
    """[{start, price}, ...] → (start, price) of the lowest start, or None."""
    if not isinstance(tiers, list):
        return None
    found = []
    for tier in tiers:
        if isinstance(tier, dict):
            start, price = positive_int(tier.get("start")), as_number(tier.get("price"))
            if start and price is not None:
                found.append((start, price))
    return min(found) if found else None
