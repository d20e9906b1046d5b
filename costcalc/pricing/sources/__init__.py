"""Mappers from public price catalogs (LiteLLM, genai-prices, OpenRouter) to ApiPrice rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from costcalc.pricing.schema import ApiPrice
from costcalc.units import TOKENS_PER_MTOK


@dataclass
class Mapped:
    """The rows a catalog maps to, and how many entries were skipped for which reason."""

    rows: list[ApiPrice] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    seen: int = 0  # entries looked at
    _ids: set[str] = field(default_factory=set, repr=False)

    def add(self, values: dict[str, Any]) -> None:
        """Validate one candidate row with ApiPrice; an invalid one is skipped and counted."""
        clean = {k: v for k, v in values.items() if v is not None}
        if clean["id"] in self._ids:
            self.skipped["duplicate id"] += 1
            return
        try:
            row = ApiPrice.model_validate(clean)
        except ValidationError:
            self.skipped["invalid values"] += 1
            return
        self._ids.add(row.id)
        self.rows.append(row)


def per_token_to_mtok(value: Any) -> float | None:
    """USD per token (number or numeric string) → USD per 1M tokens; None when not a number."""
    number = as_number(value)
    if number is None:
        return None
    # 12 significant digits drop binary noise (2.5e-06 * 1e6 = 2.4999999999999996) and keep every
    # digit a catalog states
    return float(f"{number * TOKENS_PER_MTOK:.12g}")


def as_number(value: Any) -> float | None:
    """A finite float from a number or a numeric string; None otherwise (bool is not a number)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if number == number and abs(number) != float("inf") else None


def has_core_price(input_usd: float | None, output_usd: float | None) -> str | None:
    """Why a row is unusable (missing or free input+output, negative sentinel), or None."""
    if input_usd is None or output_usd is None:
        return "missing input/output price"
    if input_usd < 0 or output_usd < 0:
        return "negative price (placeholder)"
    if input_usd == 0 and output_usd == 0:
        return "zero input and output price"
    return None


PER_REQUEST_FEE = "a fee per request (costcalc prices tokens only)"


def per_request_fee(value: Any) -> str | None:
    """Why a row whose catalog entry charges a fee per request is left out (its token prices alone would
    undercount every request: Perplexity's online models, $0.005 a request at $0 input), or None."""
    fee = as_number(value)
    return PER_REQUEST_FEE if fee is not None and fee > 0 else None


def positive_int(value: Any) -> int | None:
    """A positive whole number (context window) or None."""
    number = as_number(value)
    return int(number) if number is not None and number > 0 else None
