"""Bought hardware's idle watts above its full-load watts are refused at the value given (qa24: idle_w_per_gpu 800 on
an L40S, 350 W at full load, was costed at 800 W idle: energy $126 a month instead of $16, unsaid)."""

from __future__ import annotations

import pytest

from costcalc.errors import InputError
from costcalc.scenario.loaders import load_scenario

SCENARIO = {
    "version": 1,
    "workload": {"requests_per_day": 40000, "input_tokens": 1200, "output_tokens": 250},
    "options": [
        {
            "name": "Owned",
            "kind": "self_hosted",
            "model": "gpt-oss-20b",
            "hardware": {"gpu": "l40s-48gb", "acquisition": "buy", "price_usd": 9000, "useful_life_months": 36},
        }
    ],
}


def _analyze(power: dict[str, float], gpu: str = "l40s-48gb") -> None:
    import costcalc

    option = SCENARIO["options"][0]
    hardware = {**option["hardware"], "gpu": gpu}
    scenario = {**SCENARIO, "options": [{**option, "power": power, "hardware": hardware}]}
    costcalc.analyze(load_scenario(scenario), today="2026-12-05")


@pytest.mark.parametrize(
    ("power", "field", "said"),
    [
        (
            {"idle_w_per_gpu": 800},
            "options[Owned].power.idle_w_per_gpu",
            "idle 800 W a GPU is above its full load, 350 W",
        ),
        ({"idle_w_per_gpu": 80, "max_w_per_gpu": 50}, "options[Owned].power.idle_w_per_gpu", "idle 80 W"),
        ({"idle_w_per_gpu": 80, "max_w_per_gpu": 60}, "options[Owned].power.idle_w_per_gpu", "full load, 60 W"),
    ],
)
def test_idle_above_full_load_is_refused_at_the_value_given(power: dict[str, float], field: str, said: str) -> None:
    with pytest.raises(InputError) as info:
        _analyze(power)
    assert info.value.field == field and said in info.value.detail
    assert info.value.detail.endswith(
        "a GPU draws less idle than at full load: check the two (a server's own watts go in power.server_overhead_w)"
    )


def test_a_full_load_below_the_catalogs_idle_names_the_full_load() -> None:
    with pytest.raises(InputError) as info:
        _analyze({"max_w_per_gpu": 5}, gpu="h100-sxm-80gb")  # the catalog's H100 idles above 5 W
    assert info.value.field == "options[Owned].power.max_w_per_gpu"


def test_idle_at_or_under_full_load_is_costed() -> None:
    _analyze({"idle_w_per_gpu": 80})
    _analyze({"idle_w_per_gpu": 350, "max_w_per_gpu": 350})


def test_a_server_offer_states_its_whole_systems_power() -> None:
    """qa24: a bought DGX B200 (hardware.csv: 14,300 W for the system, CPUs, switches and fans beside 8 B200s) was
    powered and hosted at the B200's 1,000 W TDP a GPU, 8 kW a server: 6.3 kW out of energy and hosting, unsaid."""
    import costcalc

    option = {
        "name": "DGX",
        "kind": "self_hosted",
        "model": "llama-3.3-70b",
        "hardware": {"offer": "nvidia-dgx-b200", "acquisition": "buy", "gpus_per_replica": 8},
        "power": {"idle_w_per_gpu": 150},
    }
    scenario = {**SCENARIO, "options": [option]}
    resolved = costcalc.analyze(load_scenario(scenario), today="2026-12-05")
    line = next(a for a in resolved.assumptions if "W at full load" in a)
    assert "to 1,787.5 W at full load a GPU (the offer nvidia-dgx-b200: 14,300 W a server)" in line
    given = {**option, "power": {"idle_w_per_gpu": 150, "max_w_per_gpu": 1000}}
    as_given = costcalc.analyze(load_scenario({**SCENARIO, "options": [given]}), today="2026-12-05")
    hosting, hosting_given = (r.options[0].breakdown["hosting"] for r in (resolved, as_given))
    assert hosting == pytest.approx(hosting_given * 14300 / 8000)  # hosting is paid per kW of full-load power
