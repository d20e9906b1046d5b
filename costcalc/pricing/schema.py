"""Row models of the price tables (one pydantic model per table, prices per 1M tokens or per hour)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from costcalc.limits import price_problem
from costcalc.models.base import wants_number
from costcalc.textsafe import clean_name

NonNeg = Field(default=None, ge=0)
MAX_CELL_CHARS = 4096


class _Row(BaseModel):
    """Common to every priced row: an id, a source that states the number, and its as-of date."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, str_max_length=MAX_CELL_CHARS)

    id: str = Field(min_length=1)
    source: str = Field(min_length=4, description="URL or document that states the number")
    as_of: dt.date = Field(description="date the source states (or was read) for this number")
    notes: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _no_booleans(cls, value: object, info: ValidationInfo) -> object:
        """true/false is not a price (a JSON lock row or YAML file could hold one)."""
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and wants_number(field.annotation):
            raise ValueError("expected a number, got true/false")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _plausible(cls, value: object, info: ValidationInfo) -> object:
        """The bounds of costcalc.limits: shared by shipped tables, user files, locks and `pricing update`."""
        if isinstance(value, (int, float)) and not isinstance(value, bool) and info.field_name:
            problem = price_problem(info.field_name, float(value) if abs(value) < 1e300 else math.inf)
            if problem:
                raise ValueError(problem)
        elif isinstance(value, str) and info.field_name in ("id", "provider", "model") and clean_name(value) != value:
            raise ValueError("contains control, zero-width or bidi characters (or is not NFKC-normal); remove them")
        return value


class ApiPrice(_Row):
    """Per-token API price of one model at one provider, USD per 1M tokens, valid over a date range."""

    provider: str
    model: str
    open_weight_model: str | None = None  # catalog model id when a hosted open-weight model
    input_usd_per_mtok: float = Field(ge=0)
    output_usd_per_mtok: float = Field(ge=0)
    cached_input_usd_per_mtok: float | None = NonNeg
    cache_write_5m_usd_per_mtok: float | None = NonNeg
    cache_write_30m_usd_per_mtok: float | None = NonNeg  # OpenAI's default cache lifetime
    cache_write_1h_usd_per_mtok: float | None = NonNeg
    batch_input_usd_per_mtok: float | None = NonNeg
    batch_output_usd_per_mtok: float | None = NonNeg
    flex_input_usd_per_mtok: float | None = NonNeg
    flex_output_usd_per_mtok: float | None = NonNeg
    flex_cached_input_usd_per_mtok: float | None = NonNeg
    priority_input_usd_per_mtok: float | None = NonNeg
    priority_output_usd_per_mtok: float | None = NonNeg
    priority_cached_input_usd_per_mtok: float | None = NonNeg
    long_context_threshold_tokens: int | None = Field(default=None, gt=0)
    long_context_input_usd_per_mtok: float | None = NonNeg
    long_context_cached_input_usd_per_mtok: float | None = NonNeg
    long_context_output_usd_per_mtok: float | None = NonNeg
    off_peak_input_usd_per_mtok: float | None = NonNeg
    off_peak_cached_input_usd_per_mtok: float | None = NonNeg
    off_peak_output_usd_per_mtok: float | None = NonNeg
    peak_hours_utc: str | None = Field(
        default=None, description="when the standard price applies, e.g. 'mon-fri 01:00-04:00 06:00-10:00'"
    )
    context_window_tokens: int | None = Field(default=None, gt=0)
    valid_from: dt.date | None = Field(default=None, description="first day this price applies (empty: since ever)")
    valid_until: dt.date | None = Field(
        default=None,
        description="last day this price applies (empty: until changed); on a series' newest row, the last day"
        " the model is offered (it retires the next day)",
    )
    successor: str | None = Field(
        default=None, description="the series upstream names as the replacement once the model retires"
    )
    upstream_entry: str | None = None  # the entry of the upstream data file the row was built from
    reference_url: str | None = None  # the page the upstream itself cites for the price

    @model_validator(mode="after")
    def _tier_complete(self) -> ApiPrice:
        tier = (self.long_context_input_usd_per_mtok, self.long_context_output_usd_per_mtok)
        if (self.long_context_threshold_tokens is None) != all(v is None for v in tier):
            raise ValueError("long_context_threshold_tokens and long_context_input/output_usd_per_mtok go together")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError(f"valid_until {self.valid_until} is before valid_from {self.valid_from}")
        if self.peak_hours_utc is not None:
            if self.off_peak_input_usd_per_mtok is None:
                raise ValueError("peak_hours_utc needs the off_peak_*_usd_per_mtok prices it switches to")
            from costcalc.pricing.windows import parse

            parse(self.peak_hours_utc)
        return self

    @property
    def series(self) -> str:
        """'<provider>/<model>': the key every dated row of one price history shares."""
        return f"{self.provider}/{self.model}"

    def valid_on(self, day: dt.date) -> bool:
        """True when `day` lies within [valid_from, valid_until]."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


SourceKind = Literal["vendor", "vendor-copy", "third-party"]


class _SourcedRow(_Row):
    """A seat, rental, hardware or data-centre row: also says whose number it is.

    `vendor`: read on the seller's (or publishing agency's) own page or API; `vendor-copy`: the
    seller's number as recorded by a dated third-party copy of that page (the copy gives the date);
    `third-party`: a reseller, blog, analyst or survey, used only where the seller publishes no price.
    """

    source_kind: SourceKind | None = None


class SeatPlan(_SourcedRow):
    """A per-seat subscription plan (ChatGPT, Claude, Gemini, Copilot), USD per seat-month."""

    provider: str
    plan: str
    monthly_usd_per_seat: float | None = NonNeg  # billed month to month
    annual_usd_per_seat_month: float | None = NonNeg  # billed yearly, per month equivalent
    min_seats: int | None = Field(default=None, ge=1)
    max_seats: int | None = Field(default=None, ge=1)
    cap_requests_per_user_per_month: float | None = NonNeg  # derived from the published cap
    usage_cap: str | None = None  # the cap as published, in words

    @model_validator(mode="after")
    def _some_price(self) -> SeatPlan:
        if self.monthly_usd_per_seat is None and self.annual_usd_per_seat_month is None:
            raise ValueError("a seat plan needs monthly_usd_per_seat or annual_usd_per_seat_month")
        if self.min_seats is not None and self.max_seats is not None and self.max_seats < self.min_seats:
            # qa24: min 100, max 10 validated, and no seat count could then buy the plan
            raise ValueError(f"max_seats {self.max_seats} is below min_seats {self.min_seats}; check the two columns")
        return self


PricingType = Literal["on-demand", "reserved-1y", "reserved-3y", "spot", "community"]


class GpuRental(_SourcedRow):
    """An hourly GPU rental offer at one cloud, per instance and per GPU-hour."""

    provider: str
    instance: str
    gpu: str  # catalog GPU id
    gpu_count: int = Field(ge=1)
    usd_per_hour: float = Field(gt=0)  # whole instance
    usd_per_gpu_hour: float = Field(gt=0)
    pricing_type: PricingType = "on-demand"
    region: str | None = None

    @model_validator(mode="after")
    def _per_gpu_consistent(self) -> GpuRental:
        derived = self.usd_per_hour / self.gpu_count
        if abs(derived - self.usd_per_gpu_hour) > 0.01 * derived + 0.005:
            raise ValueError(f"usd_per_gpu_hour {self.usd_per_gpu_hour} != usd_per_hour / gpu_count ({derived:.4f})")
        return self


class HardwarePrice(_SourcedRow):
    """A purchase price: one GPU, an 8-GPU server, or a workstation such as a Mac Studio."""

    item: str
    kind: Literal["gpu", "server", "workstation"]
    gpu: str | None = None  # catalog GPU id
    gpu_count: int = Field(default=1, ge=1)  # GPUs one item holds: per server (8 for HGX), 1 for a card
    price_usd: float = Field(gt=0)
    max_power_w: float | None = Field(default=None, gt=0)  # whole item at full load
    idle_power_w: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_card_is_one_gpu(self) -> HardwarePrice:
        if self.kind == "gpu" and self.gpu_count != 1:
            raise ValueError(f"kind gpu is one card, so gpu_count must be 1 (got {self.gpu_count}); use kind server")
        return self


class DatacenterDefault(_SourcedRow):
    """A data-centre default (PUE, electricity, colocation, useful life) with its unit."""

    value: float = Field(ge=0)
    unit: str


class FxRate(_Row):
    """Units of a currency per 1 USD on a date."""

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    per_usd: float = Field(gt=0)


PriceRow = _Row
"""Any table's row: the type a lookup gives before it is narrowed to its table's class."""

TABLES: dict[str, type[_Row]] = {
    "api": ApiPrice,
    "seats": SeatPlan,
    "rental": GpuRental,
    "hardware": HardwarePrice,
    "datacenter": DatacenterDefault,
    "fx": FxRate,
}
