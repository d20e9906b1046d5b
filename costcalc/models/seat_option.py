"""An option that pays per seat a month, and the usage cap that bounds what its seats carry."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from costcalc.models.base import Input
from costcalc.models.option_fields import Name, OneOffCost, OneOffs, price_change_field


class SubscriptionOption(Input):
    """Pay per seat per month (ChatGPT Business, Claude Team, Copilot, ...)."""

    name: str = Name
    kind: Literal["subscription"] = Field(description="subscription: pay per seat")
    plan: str | None = Field(default=None, description="seat plan id '<provider>/<plan>', e.g. openai/chatgpt-business")
    usd_per_seat_month: float | None = Field(default=None, ge=0, description="explicit seat price per month")
    seats: int | None = Field(default=None, gt=0, description="seats bought; default workload.users")
    billing: Literal["monthly", "annual"] | None = Field(
        default=None, description="monthly or annual; default the plan's annual price when published, else monthly"
    )
    cap_requests_per_user_per_month: float | None = Field(
        default=None,
        gt=0,
        description="requests a seat may send a month; default the plan's published numeric cap. Seats stay as"
        " bought while usage grows: above seats x cap they carry no more, so a break-even beyond that is never, and"
        " seats held below today's volume are not the cheapest while another option may carry it",
    )
    price_change_per_year: float = price_change_field("the seat price (annual billing: from each renewal)")
    one_off_costs: tuple[OneOffCost, ...] = OneOffs

    @model_validator(mode="after")
    def _priced(self) -> SubscriptionOption:
        if self.plan is None and self.usd_per_seat_month is None:
            raise ValueError("give plan (a seat plan id) or usd_per_seat_month")
        return self
