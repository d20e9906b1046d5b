"""Validated input models of a scenario: workload, options (api, subscription, self-hosted), scenario."""

from costcalc.models.options import (
    ApiOption,
    ApiPrices,
    Hardware,
    Hosting,
    Lease,
    OneOffCost,
    Operations,
    Option,
    Power,
    SelfHostedOption,
    SubscriptionOption,
    Throughput,
    ThroughputPoint,
)
from costcalc.models.pricing import Currency, PriceOverride
from costcalc.models.scenario import Scenario
from costcalc.models.workload import LengthBucket, Slo, Workload

__all__ = [
    "ApiOption",
    "ApiPrices",
    "Currency",
    "Hardware",
    "Hosting",
    "Lease",
    "LengthBucket",
    "OneOffCost",
    "Operations",
    "Option",
    "Power",
    "PriceOverride",
    "Scenario",
    "SelfHostedOption",
    "Slo",
    "SubscriptionOption",
    "Throughput",
    "ThroughputPoint",
    "Workload",
]
