"""An option that pays a provider per token: its prices and how its requests are sent."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from costcalc.models.base import Input
from costcalc.models.option_fields import Name, OneOffCost, OneOffs, price_change_field


class ApiPrices(Input):
    """Explicit per-token prices (USD per 1M tokens) instead of, or on top of, a catalog model."""

    input_usd_per_mtok: float | None = Field(default=None, ge=0, description="uncached input, USD per 1M tokens")
    output_usd_per_mtok: float | None = Field(
        default=None, ge=0, description="output (and reasoning), USD per 1M tokens"
    )
    cached_input_usd_per_mtok: float | None = Field(default=None, ge=0, description="cache reads; default: input price")
    cache_write_usd_per_mtok: float | None = Field(default=None, ge=0, description="cache writes; default: input price")
    batch_input_usd_per_mtok: float | None = Field(default=None, ge=0, description="input through the batch API")
    batch_output_usd_per_mtok: float | None = Field(default=None, ge=0, description="output through the batch API")
    long_context_threshold_tokens: int | None = Field(
        default=None, gt=0, description="a request with more input tokens is billed wholly at the long-context rates"
    )
    long_context_input_usd_per_mtok: float | None = Field(default=None, ge=0, description="long-context input rate")
    long_context_cached_input_usd_per_mtok: float | None = Field(
        default=None, ge=0, description="long-context cache-read rate; default: cached price × input tier ratio"
    )
    long_context_output_usd_per_mtok: float | None = Field(default=None, ge=0, description="long-context output rate")
    off_peak_input_usd_per_mtok: float | None = Field(default=None, ge=0, description="off-peak input rate (DeepSeek)")
    off_peak_cached_input_usd_per_mtok: float | None = Field(default=None, ge=0, description="off-peak cache-read rate")
    off_peak_output_usd_per_mtok: float | None = Field(default=None, ge=0, description="off-peak output rate")


class ApiOption(Input):
    """Pay a provider per token."""

    name: str = Name
    kind: Literal["api"] = Field(description="api: pay per token")
    model: str | None = Field(default=None, description="pricing id '<provider>/<model>', e.g. openai/gpt-6-luna")
    prices: ApiPrices | None = Field(default=None, description="explicit prices; override the catalog's")
    batch_share: float = Field(default=0.0, ge=0, le=1, description="share of requests sent through the batch API")
    off_peak_share: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="share of requests in off-peak hours (DeepSeek); default: derived from workload.hourly_profile,"
        " workload.timezone and the provider's peak hours",
    )
    discount: float = Field(default=0.0, ge=0, lt=1, description="negotiated discount on the whole bill, 0.1 = 10%")
    price_change_per_year: float = price_change_field("the per-token prices")
    one_off_costs: tuple[OneOffCost, ...] = OneOffs
    service_tier: Literal["standard", "flex", "priority"] = Field(
        default="standard",
        description="the provider's processing tier: flex (cheaper, slower) or priority (dearer, faster) bill at"
        " the model's tier prices where the price table has them",
    )

    @model_validator(mode="after")
    def _priced(self) -> ApiOption:
        if self.model is None and (
            self.prices is None or self.prices.input_usd_per_mtok is None or self.prices.output_usd_per_mtok is None
        ):
            raise ValueError("give model (a pricing id) or prices with input_usd_per_mtok and output_usd_per_mtok")
        if self.batch_share + (self.off_peak_share or 0.0) > 1 + 1e-9:
            raise ValueError("batch_share + off_peak_share must not exceed 1")
        return self
