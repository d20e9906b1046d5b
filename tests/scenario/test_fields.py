"""A swept or varied path naming no option says which options there are (it said only "no option named 'Nope'")."""

from __future__ import annotations

from typing import Any

import pytest

from costcalc.errors import InputError
from costcalc.scenario.fields import field_info
from costcalc.scenario.loaders import load_scenario


def test_an_unknown_option_lists_the_scenarios_options(base_scenario: dict[str, Any]) -> None:
    scenario = load_scenario(base_scenario)
    with pytest.raises(InputError) as err:
        field_info(scenario, ["options", "Nope", "discount"])
    assert str(err.value) == "no option named 'Nope'; the scenario's options are 'Explicit API', 'Rented GPUs', 'Seats'"


def test_a_near_miss_still_gets_did_you_mean(base_scenario: dict[str, Any]) -> None:
    with pytest.raises(InputError, match=r"no option named 'Explicit APi' \(did you mean: Explicit API\?\)$"):
        field_info(load_scenario(base_scenario), ["options", "Explicit APi", "discount"])
