"""The options a scenario compares: a per-token API, a per-seat subscription, or self-hosting.

Each kind's models live in a module of their own (api_option, seat_option, self_hosted with hardware, custom_gpu,
running_costs and throughput; engines and option_fields shared); they are all importable from here, as before.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from costcalc.models.api_option import ApiOption, ApiPrices
from costcalc.models.custom_gpu import CustomGpu
from costcalc.models.engines import ENGINE_RELEASES, check_release, engine_key
from costcalc.models.hardware import BUY_ONLY, OWNED_ONLY, RENT_ONLY, Hardware, Lease
from costcalc.models.option_fields import MAX_PRICE_CHANGE_PER_YEAR, Name, OneOffCost, OneOffs, price_change_field
from costcalc.models.running_costs import Hosting, Operations, Power
from costcalc.models.seat_option import SubscriptionOption
from costcalc.models.self_hosted import SelfHostedOption
from costcalc.models.throughput import Throughput, ThroughputPoint

Option = Annotated[ApiOption | SubscriptionOption | SelfHostedOption, Field(discriminator="kind")]

__all__ = [
    "ApiOption",
    "ApiPrices",
    "BUY_ONLY",
    "CustomGpu",
    "ENGINE_RELEASES",
    "Hardware",
    "Hosting",
    "Lease",
    "MAX_PRICE_CHANGE_PER_YEAR",
    "Name",
    "OWNED_ONLY",
    "OneOffCost",
    "OneOffs",
    "Operations",
    "Option",
    "Power",
    "RENT_ONLY",
    "SelfHostedOption",
    "SubscriptionOption",
    "Throughput",
    "ThroughputPoint",
    "check_release",
    "engine_key",
    "price_change_field",
]
