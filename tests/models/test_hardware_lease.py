"""A lease without a buy-out refuses the fields only a buy-out reads: they were accepted and changed no figure."""

from __future__ import annotations

from typing import Any

import pytest

import costcalc

LEASE = {"usd_per_month": 500, "term_months": 12}


def scenario(hardware: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 1,
        "workload": {"requests_per_day": 20000, "input_tokens": 1000, "output_tokens": 200},
        "options": [
            {
                "name": "Leased",
                "kind": "self_hosted",
                "model": "gpt-oss-20b",
                "hardware": {"gpu": "l40s-48gb", "acquisition": "lease", **hardware},
                "power": {"idle_w_per_gpu": 30},
            }
        ],
    }


@pytest.mark.parametrize(
    ("given", "name"),
    [({"residual_value_share": 0.3}, "residual_value_share"), ({"useful_life_months": 48}, "useful_life_months")],
)
def test_a_buy_out_field_on_a_lease_without_one_is_refused(given: dict[str, Any], name: str) -> None:
    # both left the lease's monthly cost, cash and NPV as without them ($570.70 a month, $6,848.38 over 12 months)
    with pytest.raises(costcalc.InputError) as info:
        costcalc.load_scenario(scenario({"lease": LEASE, **given}))
    assert str(info.value) == (
        f"<dict>: options[Leased].hardware: {name} is for a lease's buy-out (the hardware owned after its term), and"
        " this lease has none; give lease.buyout_usd, or drop it"
    )


def test_with_a_buy_out_they_are_read() -> None:
    hardware = {"lease": {**LEASE, "buyout_usd": 1000}, "useful_life_months": 48, "residual_value_share": 0.3}
    loaded = costcalc.load_scenario(scenario(hardware))
    assert loaded.options[0].hardware.useful_life_months == 48
