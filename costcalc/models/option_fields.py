"""The fields every option has: its name, a yearly price change and one-off costs."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from costcalc.models.base import Input
from costcalc.textsafe import MAX_NAME_CHARS

Name = Field(min_length=1, max_length=MAX_NAME_CHARS, description="unique name shown in reports")
MAX_PRICE_CHANGE_PER_YEAR = 10.0  # +1000% a year: beyond it, a typo rather than a forecast


def price_change_field(what: str) -> Any:
    """`price_change_per_year` of an option: above -1 (a price cannot fall by 100% or more)."""
    return Field(
        default=0.0,
        gt=-1,
        le=MAX_PRICE_CHANGE_PER_YEAR,
        description=f"yearly change of {what}, applied month by month over the horizon: -0.3 = 30% cheaper a year on",
    )


class OneOffCost(Input):
    """A one-off cost of an option (setup, migration engineering): cash in its month, amortised in accrual."""

    name: str = Field(min_length=1, max_length=120, description="what it pays for, shown in the assumptions")
    usd: float = Field(gt=0, description="amount, USD")
    month: int = Field(default=1, ge=1, description="month of the horizon it is paid in (1 = now)")
    amortise_months: int | None = Field(
        default=None, ge=1, description="months it is spread over in the accrual view; default: the rest of the horizon"
    )


OneOffs = Field(default=(), description="one-off costs (setup, migration): cash when paid, amortised in accrual")
