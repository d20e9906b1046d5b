"""The assumption lines of a self-hosted option's running costs: the people running it and owned hardware's power."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Money = Callable[[float, int | None], str]  # an amount in USD and its decimals (None: money's own) -> report's money


@dataclass(frozen=True)
class LabourLine:
    """The labour a self-hosted option's monthly cost counts: engineer-hours a month times their hourly rate."""

    option: str
    hours_per_month: float
    usd_per_hour: float

    def text(self, money: Money) -> str:
        """'X: labour 8 engineer-hours a month at $110 an hour (as given): $880 a month', or that none is counted."""
        hours, rate = self.hours_per_month, self.usd_per_hour
        given = f"{hours:,g} engineer-hour{'' if hours == 1 else 's'} a month at {money(rate, None)} an hour"
        if hours * rate == 0:
            return (
                f"{self.option}: no labour counted ({given}); set operations.engineer_hours_per_month and"
                " hourly_rate_usd to count the people running it"
            )
        return f"{self.option}: labour {given} (as given): {money(hours * rate, None)} a month"


@dataclass(frozen=True)
class PowerLine:
    """The power owned hardware draws and what it pays for it: the watts each GPU draws idle and at full load, a
    replica's overhead and the electricity price, each with where it came from."""

    option: str
    idle_w: float
    idle_from: str  # as given | the GPU catalog's <id>
    max_w: float
    max_from: str
    overhead_w: float  # a replica's CPUs, fans and NICs (as given)
    usd_per_kwh: float
    kwh_from: str  # as given | data-centre table

    def text(self, money: Money) -> str:
        """'X: power 140 W idle to 700 W at full load a GPU (the GPU catalog's h100-sxm-80gb), electricity $0.1453 per
        kWh (data-centre table)'; energy is this power times PUE and the hours, between idle and full by use."""
        if self.idle_from == self.max_from:
            watts = f"{self.idle_w:,g} W idle to {self.max_w:,g} W at full load a GPU ({self.max_from})"
        else:
            watts = (
                f"{self.idle_w:,g} W idle ({self.idle_from}) to {self.max_w:,g} W at full load a GPU ({self.max_from})"
            )
        overhead = f", plus {self.overhead_w:,g} W a replica (as given)" if self.overhead_w else ""
        price = money(self.usd_per_kwh, price_places(self.usd_per_kwh))
        return f"{self.option}: power {watts}{overhead}, electricity {price} per kWh ({self.kwh_from})"


def price_places(usd: float) -> int:
    """Decimals that show a unit price as its row writes it: $0.12, $0.145, $0.1453 (at most 4); cents from $1."""
    return next((p for p in (2, 3) if round(usd, p) == round(usd, 4)), 4)
