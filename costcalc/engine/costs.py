"""The engine's input of each option kind: what an API, a subscription and a self-hosted option are billed by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from costcalc.engine.api import ApiRates
from costcalc.engine.arrays import FloatArray, Floats
from costcalc.engine.self_hosted import SelfHostedPlan
from costcalc.engine.terms import Lifecycle, Terms


@dataclass(frozen=True)
class ApiCost:
    """An API billed per token at `rates` (month 1's); `price_path` and `terms` move later months' bills."""

    rates: ApiRates
    price_path: FloatArray | None = None  # see PRICE_PATH
    terms: Terms = Terms()
    kind: ClassVar[str] = "api"


@dataclass(frozen=True)
class SeatCost:
    """A subscription: a price per seat-month times the seats, whatever the volume, up to the seats' usage cap."""

    usd_per_seat_month: Floats
    seats: Floats
    price_path: FloatArray | None = None  # see PRICE_PATH
    terms: Terms = Terms()
    prepay_months: int = 1  # 12: billed annually, a year's seats paid up front
    # the most requests a seat may send a month (a plan's numeric usage cap); None: no numeric cap known. The seats
    # carry at most seats x this: the break-even lies at or below it, or is never (costcalc.engine.options)
    cap_requests_per_seat_month: Floats | None = None
    kind: ClassVar[str] = "subscription"


PRICE_PATH = """Each month's bill relative to month 1's at the same volume, one value per month of the horizon
(None: prices stay). Scheduled price changes set it; a yearly price change (terms.price_change_per_year)
multiplies into the same path in costcalc.engine.terms.price_factors, the one place both are applied."""


@dataclass(frozen=True)
class SelfHostedCost:
    """Replicas sized for the peak, billed by `plan` (rented GPU-hours, or owned hardware and its running costs)."""

    plan: SelfHostedPlan
    life: Lifecycle = Lifecycle()
    terms: Terms = Terms()  # its price path moves the rental rate; one-off costs
    kind: ClassVar[str] = "self_hosted"


OptionCost = ApiCost | SeatCost | SelfHostedCost
