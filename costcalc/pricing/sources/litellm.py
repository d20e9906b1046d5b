"""Map LiteLLM's model_prices_and_context_window.json (USD per token) to ApiPrice rows."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from costcalc.errors import ExternalError
from costcalc.pricing.sources import (
    Mapped,
    as_number,
    has_core_price,
    per_request_fee,
    per_token_to_mtok,
    positive_int,
)

DEFAULT_URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"

# litellm_provider → costcalc provider slug; providers not listed (bedrock, azure, vertex_ai-*, ...)
# are skipped: their prices are regional or duplicate a first-party row.
PROVIDERS: dict[str, str] = {
    "openai": "openai",
    "anthropic": "anthropic",
    "gemini": "google",
    "xai": "xai",
    "mistral": "mistral",
    "deepseek": "deepseek",
    "together_ai": "together",
    "fireworks_ai": "fireworks",
    "groq": "groq",
    "deepinfra": "deepinfra",
    "cerebras": "cerebras",
    "openrouter": "openrouter",
    "perplexity": "perplexity",
    "moonshot": "moonshot",
    "sambanova": "sambanova",
    "nebius": "nebius",
    "novita": "novita",
    "hyperbolic": "hyperbolic",
    "dashscope": "alibaba",  # Alibaba Cloud Model Studio (Qwen); prices in `tiered_pricing`
}

_TIER_KEY = re.compile(r"^(input_cost_per_token|output_cost_per_token)_above_(\d+)k_tokens$")
TOKENS_PER_K = 1000


def map_catalog(payload: Any, url: str, as_of: dt.date) -> Mapped:
    """LiteLLM's price map → rows (chat models of the providers above), skipped entries counted."""
    if not isinstance(payload, dict) or not payload:
        raise ExternalError(f"{url} is not a LiteLLM price map: expected a JSON object keyed by model id")
    out = Mapped()
    for key, entry in payload.items():
        if key == "sample_spec":
            continue
        out.seen += 1
        if not isinstance(entry, dict):
            out.skipped["not an object"] += 1
            continue
        if entry.get("mode") != "chat":
            out.skipped["not a chat model"] += 1
            continue
        provider = PROVIDERS.get(str(entry.get("litellm_provider")))
        if provider is None:
            out.skipped["provider not mapped"] += 1
            continue
        values = entry_prices(entry)
        reason = has_core_price(values["input_usd_per_mtok"], values["output_usd_per_mtok"]) or per_request_fee(
            entry.get("input_cost_per_request")
        )
        if reason:
            out.skipped[reason] += 1
            continue
        model = _model_name(key, str(entry["litellm_provider"]))
        out.add(
            {
                "id": f"{provider}/{model}",
                "provider": provider,
                "model": model,
                "source": f"{url}#{key}",
                "as_of": as_of,
                "context_window_tokens": positive_int(entry.get("max_input_tokens")),
                "notes": _cites(entry),
                **values,
            }
        )
    return out


def _cites(entry: dict[str, Any]) -> str | None:
    """LiteLLM's own `source` for an entry (the provider's pricing page), kept as a note."""
    cited = entry.get("source")
    return f"LiteLLM cites {cited}" if isinstance(cited, str) and cited.startswith("http") else None


def _model_name(key: str, litellm_provider: str) -> str:
    """'gemini/gemini-2.5-pro' → 'gemini-2.5-pro'; keys without the prefix stay as they are."""
    prefix = f"{litellm_provider}/"
    return key[len(prefix) :] if key.startswith(prefix) else key


def entry_prices(entry: dict[str, Any]) -> dict[str, Any]:
    """One entry's per-token fields → per-1M columns, including the lowest long-context tier."""
    values: dict[str, Any] = {
        "input_usd_per_mtok": per_token_to_mtok(entry.get("input_cost_per_token")),
        "output_usd_per_mtok": per_token_to_mtok(entry.get("output_cost_per_token")),
        "cached_input_usd_per_mtok": per_token_to_mtok(entry.get("cache_read_input_token_cost")),
        "cache_write_5m_usd_per_mtok": per_token_to_mtok(entry.get("cache_creation_input_token_cost")),
        "cache_write_1h_usd_per_mtok": per_token_to_mtok(entry.get("cache_creation_input_token_cost_above_1hr")),
        "batch_input_usd_per_mtok": per_token_to_mtok(entry.get("input_cost_per_token_batches")),
        "batch_output_usd_per_mtok": per_token_to_mtok(entry.get("output_cost_per_token_batches")),
        "flex_input_usd_per_mtok": per_token_to_mtok(entry.get("input_cost_per_token_flex")),
        "flex_output_usd_per_mtok": per_token_to_mtok(entry.get("output_cost_per_token_flex")),
        "flex_cached_input_usd_per_mtok": per_token_to_mtok(entry.get("cache_read_input_token_cost_flex")),
        "priority_input_usd_per_mtok": per_token_to_mtok(entry.get("input_cost_per_token_priority")),
        "priority_output_usd_per_mtok": per_token_to_mtok(entry.get("output_cost_per_token_priority")),
        "priority_cached_input_usd_per_mtok": per_token_to_mtok(entry.get("cache_read_input_token_cost_priority")),
    }
    values.update(_tier_from_suffixes(entry, values))
    if values["input_usd_per_mtok"] is None and isinstance(entry.get("tiered_pricing"), list):
        values.update(_tier_from_ranges(entry["tiered_pricing"]))
    return values


def _tier_from_suffixes(entry: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """`*_above_Nk_tokens` fields → the lowest threshold N*1000 and its rates."""
    thresholds = sorted(
        {int(m.group(2)) for k in entry if (m := _TIER_KEY.match(k)) and as_number(entry[k]) is not None}
    )
    if not thresholds:
        return {}
    n = thresholds[0]
    suffix = f"_above_{n}k_tokens"
    tier_in = per_token_to_mtok(entry.get(f"input_cost_per_token{suffix}"))
    tier_out = per_token_to_mtok(entry.get(f"output_cost_per_token{suffix}"))
    return {
        "long_context_threshold_tokens": n * TOKENS_PER_K,
        # a rate with no tier of its own stays at its base price above the threshold
        "long_context_input_usd_per_mtok": tier_in if tier_in is not None else base["input_usd_per_mtok"],
        "long_context_output_usd_per_mtok": tier_out if tier_out is not None else base["output_usd_per_mtok"],
        "long_context_cached_input_usd_per_mtok": per_token_to_mtok(entry.get(f"cache_read_input_token_cost{suffix}")),
    }


def _tier_from_ranges(tiers: list[Any]) -> dict[str, Any]:
    """`tiered_pricing` [{range:[lo,hi], input_cost_per_token, ...}] → base + first tier."""
    ranges = sorted(
        (t for t in tiers if isinstance(t, dict) and isinstance(t.get("range"), list) and t["range"]),
        key=lambda t: as_number(t["range"][0]) or 0.0,
    )
    if not ranges or (as_number(ranges[0]["range"][0]) or 0.0) != 0.0:
        return {}
    first = ranges[0]
    out: dict[str, Any] = {
        "input_usd_per_mtok": per_token_to_mtok(first.get("input_cost_per_token")),
        "output_usd_per_mtok": per_token_to_mtok(first.get("output_cost_per_token")),
    }
    if len(ranges) > 1:
        second = ranges[1]
        start = positive_int(second["range"][0])
        tier_in = per_token_to_mtok(second.get("input_cost_per_token"))
        tier_out = per_token_to_mtok(second.get("output_cost_per_token"))
        if start and tier_in is not None and tier_out is not None:
            out.update(
                long_context_threshold_tokens=start,
                long_context_input_usd_per_mtok=tier_in,
                long_context_output_usd_per_mtok=tier_out,
            )
    return out
