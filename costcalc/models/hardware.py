"""What a self-hosted replica runs on, and whether it is rented, bought or leased."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from costcalc.models.base import Input
from costcalc.models.custom_gpu import CustomGpu
from costcalc.models.option_fields import price_change_field

OWNED_ONLY = (  # keys of bought or leased hardware, refused on a rental
    "price_usd",
    "gpus_per_server",
    "purchase_unit",
    "lease",
    "useful_life_months",
    "at_end_of_life",
    "residual_value_share",
    "cost_of_capital_per_year",
    "site",
)
BUY_ONLY = ("price_usd", "cost_of_capital_per_year")
RENT_ONLY = (
    "hourly_usd",
    "gpus_per_instance",
    "scaling",
    "commitment_months",
    "upfront_share",
    "price_change_per_year",
)


class Lease(Input):
    """Leased hardware: a monthly payment per purchase unit (server, or GPU), a term, and an optional buy-out."""

    usd_per_month: float = Field(gt=0, description="payment per server a month (purchase_unit: gpu, per GPU)")
    term_months: int = Field(gt=0, description="lease term; at its end the lease is renewed, ended or bought out")
    buyout_usd: float | None = Field(
        default=None,
        ge=0,
        description="buy-out per server (or GPU) at the term's end; the hardware is then owned to the end of its"
        " useful life. Default: no buy-out, the lease is renewed (at_end_of_life: replace) or ended (retire)",
    )


class Hardware(Input):
    """What one replica runs on, and whether it is rented by the hour, bought, or leased."""

    gpu: str | None = Field(default=None, description="catalog GPU id, e.g. h100-sxm-80gb")
    custom_gpu: CustomGpu | None = Field(
        default=None,
        description="a GPU spec not in the catalog; estimated where it says what it is like (like or vendor), else give"
        " throughput points or measured",
    )
    gpus_per_replica: int = Field(
        default=1, ge=1, le=64, description="GPUs serving one model copy (tensor or pipeline parallel)"
    )
    min_replicas: int = Field(default=1, ge=0, description="replicas kept even when idle")
    acquisition: Literal["rent", "buy", "lease"] = Field(
        description="rent by the hour, buy and depreciate, or lease for a monthly payment"
    )
    offer: str | None = Field(default=None, description="catalog rental offer (rent) or purchase price id (buy, lease)")
    hourly_usd: float | None = Field(default=None, gt=0, description="rent: USD per GPU-hour")
    gpus_per_instance: int | None = Field(
        default=None,
        ge=1,
        description="rent: GPUs one rented instance holds, billed whole every hour (replicas are packed into"
        " instances); default: the offer's (8 for an 8-GPU instance, 1 where single GPUs are rented), else 1",
    )
    scaling: Literal["always_on", "follow_profile"] = Field(
        default="always_on", description="rent: keep peak replicas 730 h a month, or follow workload.hourly_profile"
    )
    commitment_months: int | None = Field(
        default=None,
        ge=0,
        description="rent: 0 = on demand; 12 or 36 = a committed term, its replicas paid every hour of it, used or"
        " not; default: the offer's (reserved-1y: 12, reserved-3y: 36), else 0",
    )
    upfront_share: float = Field(
        default=0.0, ge=0, le=1, description="rent with a commitment: share of the term's cost paid at its start"
    )
    price_change_per_year: float = price_change_field("the hourly rental rate (committed: from each new term)")
    price_usd: float | None = Field(
        default=None,
        gt=0,
        description="buy: price of one server of gpus_per_server GPUs (default: one replica's GPUs); with"
        " purchase_unit: gpu each GPU costs its share",
    )
    gpus_per_server: int | None = Field(
        default=None,
        ge=1,
        description="buy, lease: GPUs one server holds; default: the offer's (8 for an HGX server, 1 for a card),"
        " else gpus_per_replica",
    )
    purchase_unit: Literal["server", "gpu"] | None = Field(
        default=None,
        description="buy, lease: whole servers (3 GPUs of an 8-GPU server buy one server), or single GPUs;"
        " default server (gpu for an offer of one card; an offer of a workstation is bought whole, as a server is)",
    )
    lease: Lease | None = Field(default=None, description="lease: payment, term and buy-out")
    useful_life_months: int | None = Field(
        default=None, gt=0, description="buy (and a lease's buy-out): straight-line depreciation period"
    )
    at_end_of_life: Literal["replace", "retire"] | None = Field(
        default=None,
        description="buy, lease: at the end of its life (a lease: its term) the hardware is replaced (bought or"
        " leased again; default) or retired (the option stops serving)",
    )
    residual_value_share: float = Field(
        default=0.0,
        ge=0,
        lt=1,
        description="buy: resale value at end of life, share of price (a lease: of the buy-out)",
    )
    cost_of_capital_per_year: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="buy: annual interest rate, 0.08 = 8%; default the scenario's discount rate",
    )
    site: Literal["datacenter", "colocation", "office"] | None = Field(
        default=None,
        description="buy, lease: where it runs; datacenter and colocation take the data-centre table's PUE and"
        " colocation fee, an office PUE 1 and no fee; default datacenter for server GPUs, office for"
        " workstation cards and Apple machines",
    )

    @field_validator(*OWNED_ONLY)
    @classmethod
    def _owned_only(cls, value: Any, info: ValidationInfo) -> Any:
        acquisition = info.data.get("acquisition")
        if value is None or value == 0 or acquisition is None:
            return value
        if acquisition == "rent":
            raise ValueError(f"{info.field_name} is for bought or leased hardware (acquisition: buy or lease)")
        if info.field_name == "lease" and acquisition != "lease":
            raise ValueError("lease is for acquisition: lease")
        if info.field_name in BUY_ONLY and acquisition != "buy":
            raise ValueError(f"{info.field_name} is for acquisition: buy; a lease is priced by lease.usd_per_month")
        return value

    @field_validator(*RENT_ONLY)
    @classmethod
    def _rent_only(cls, value: Any, info: ValidationInfo) -> Any:
        acquisition = info.data.get("acquisition")
        if acquisition in (None, "rent") or value in (None, 0, "always_on"):
            return value
        if info.field_name == "scaling":
            raise ValueError("scaling: follow_profile is for rented GPUs; owned hardware is always there")
        if info.field_name == "price_change_per_year":
            raise ValueError("price_change_per_year is for rented GPUs; bought or leased hardware is priced once")
        raise ValueError(f"{info.field_name} is for acquisition: rent")

    @model_validator(mode="after")
    def _consistent(self) -> Hardware:
        if (self.gpu is None) == (self.custom_gpu is None) and self.offer is None:
            raise ValueError("give gpu (a catalog id) or custom_gpu (a spec), or an offer")
        if self.gpu is not None and self.custom_gpu is not None:
            raise ValueError("give gpu or custom_gpu, not both")
        if self.acquisition == "rent":
            if self.hourly_usd is None and self.offer is None:
                raise ValueError("rent needs hourly_usd (per GPU-hour) or an offer id from the rental table")
            if self.upfront_share and not self.commitment_months:
                raise ValueError("upfront_share is for a committed rental; set commitment_months (12 or 36)")
            if self.commitment_months and self.scaling != "always_on":
                raise ValueError("a commitment pays for its replicas every hour; use scaling: always_on")
        elif self.acquisition == "buy":
            if self.price_usd is None and self.offer is None:
                raise ValueError("buy needs price_usd (per server) or an offer id from the hardware table")
        elif self.lease is None:
            raise ValueError("acquisition: lease needs lease: {usd_per_month, term_months}")
        elif self.lease.buyout_usd is None:  # both were read only for a buy-out: without one they changed nothing
            given = [k for k in ("useful_life_months", "residual_value_share") if getattr(self, k)]
            if given:
                raise ValueError(
                    f"{given[0]} is for a lease's buy-out (the hardware owned after its term), and this lease has"
                    " none; give lease.buyout_usd, or drop it"
                )
        return self
