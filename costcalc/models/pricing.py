"""Scenario-level price changes: a provider-wide discount, exact prices for one row, a reporting currency."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from costcalc.models.base import Input

Table = Literal["api", "seats", "rental", "hardware", "datacenter"]


class PriceOverride(Input):
    """Layer a negotiated price over the shipped tables: a discount on a provider, or exact values for one id."""

    table: Table = Field(default="api", description="which price table the change applies to")
    provider: str | None = Field(default=None, description="apply `discount` to every row of this provider")
    id: str | None = Field(default=None, description="the row to change (or add, with every required field)")
    discount: float | None = Field(default=None, ge=0, lt=1, description="0.2 = 20% off every price of the rows")
    prices: dict[str, float | str | int | None] | None = Field(
        default=None, description="exact field values, e.g. {input_usd_per_mtok: 0.2}"
    )
    source: str | None = Field(default=None, description="where the negotiated price is written (contract, quote)")
    as_of: dt.date | None = Field(default=None, description="date of that source")

    @model_validator(mode="after")
    def _what(self) -> PriceOverride:
        if (self.provider is None) == (self.id is None):
            raise ValueError("give provider (with discount) or id (with prices or discount)")
        if self.discount is None and not self.prices:
            raise ValueError("give discount or prices")
        return self


class Currency(Input):
    """Report in another currency at a dated rate."""

    code: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR")
    per_usd: float = Field(gt=0, description="units of this currency per 1 USD")
    as_of: dt.date = Field(description="date of the rate")
    source: str = Field(min_length=2, description="where the rate is published, e.g. ECB or a URL")

    @model_validator(mode="after")
    def _not_usd_at_another_rate(self) -> Currency:
        # code USD at per_usd 2 doubled every figure and still labelled it USD
        if self.code == "USD" and self.per_usd != 1:
            raise ValueError(
                f"USD is the price tables' own currency, at 1 per USD (got per_usd {self.per_usd:g}); for another"
                " currency give its code, e.g. EUR, or drop currency: to report in USD"
            )
        return self
