"""Changing an input model in place raises one AttributeError line naming the field and the validated way to a
changed copy (it was pydantic's '1 validation error for Scenario / name / Instance is frozen ...' and a URL)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

import costcalc

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml"


@pytest.fixture(scope="module")
def scenario() -> costcalc.Scenario:
    return costcalc.load_scenario(str(EXAMPLE))


def _refusal(change) -> str:
    with pytest.raises(AttributeError) as info:
        change()
    assert isinstance(info.value, FrozenInstanceError)  # what a frozen dataclass raises
    text = str(info.value)
    assert "\n" not in text and "pydantic" not in text and "validation error" not in text
    return text


def test_setting_a_scenario_field_says_how_to_change_a_copy(scenario: costcalc.Scenario) -> None:
    text = _refusal(lambda: setattr(scenario, "horizon_months", 12))
    assert text == (
        "Scenario.horizon_months is read-only (costcalc inputs are frozen); make a changed, validated copy: "
        "costcalc.load_scenario(scenario, overrides=['horizon_months=12'])"
    )
    # the way it names works and validates
    assert costcalc.load_scenario(scenario, overrides=["horizon_months=12"]).horizon_months == 12
    with pytest.raises(costcalc.InputError, match="horizon_months"):
        costcalc.load_scenario(scenario, overrides=["horizon_months=-3"])


def test_a_nested_input_names_its_own_model_and_the_override_path_form(scenario: costcalc.Scenario) -> None:
    text = _refusal(lambda: setattr(scenario.workload, "requests_per_day", 5))
    assert text.startswith("Workload.requests_per_day is read-only (costcalc inputs are frozen); ")
    assert "overrides=['PATH.requests_per_day=5']), PATH as --set writes it (e.g. workload," in text
    assert costcalc.load_scenario(scenario, overrides=["workload.requests_per_day=5"]).workload.requests_per_day == 5


def test_a_value_an_override_would_misread_is_left_to_the_user(scenario: costcalc.Scenario) -> None:
    text = _refusal(lambda: setattr(scenario, "name", "budget: 2027"))
    assert text.endswith("overrides=['name=VALUE'])")


def test_an_unknown_attribute_and_deleting_a_field_are_refused_too(scenario: costcalc.Scenario) -> None:
    assert _refusal(lambda: setattr(scenario, "horizon", 1)).startswith(
        "Scenario has no field 'horizon' (did you mean: horizon_months"
    )
    assert _refusal(lambda: delattr(scenario, "name")).startswith("Scenario.name is read-only")
    assert scenario.name  # unchanged
