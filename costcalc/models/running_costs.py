"""What owned hardware costs to run beside itself: power, hosting, and the people who operate it."""

from __future__ import annotations

from pydantic import Field

from costcalc.models.base import Input


class Power(Input):
    """Electricity of owned hardware: watts between idle and full load, facility overhead, price."""

    idle_w_per_gpu: float | None = Field(default=None, ge=0, description="default: catalog idle watts")
    max_w_per_gpu: float | None = Field(default=None, gt=0, description="default: catalog TDP")
    server_overhead_w: float = Field(default=0.0, ge=0, description="CPU, fans, NICs per replica, watts")
    pue: float | None = Field(
        default=None, ge=1, le=3, description="power usage effectiveness; default from table (an office: 1)"
    )
    electricity_usd_per_kwh: float | None = Field(default=None, ge=0, description="default from table")


class Hosting(Input):
    """Where owned hardware lives: colocation per kW of provisioned power, or a flat monthly fee."""

    usd_per_kw_month: float | None = Field(
        default=None, ge=0, description="colocation per kW of provisioned power; default from table (an office: 0)"
    )
    flat_usd_per_month: float | None = Field(default=None, ge=0, description="a flat hosting fee per month")


class Operations(Input):
    """People running the service."""

    engineer_hours_per_month: float = Field(default=0.0, ge=0, description="people-hours running the service")
    hourly_rate_usd: float = Field(default=0.0, ge=0, description="loaded cost of one engineer-hour, USD")
