"""A Result (or one of its parts) built by hand with a wrong, missing or unknown field raises one TypeError line naming
it and where a Result comes from (was pydantic's multi-line ValidationError; an unknown field was dropped silently);
setting a field raises one AttributeError line. Reading a report back (from_dict) still ignores a newer writer's keys."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from costcalc.api import analyze
from costcalc.report.result import OptionResult, Result
from tests.analysis.scenarios import BASE

MADE_BY = "a Result comes from costcalc.analyze(scenario), or Result.from_dict(a saved report's JSON)"


@pytest.fixture(scope="module")
def result() -> Result:
    return analyze(BASE)


def _refusal(build) -> str:
    with pytest.raises(TypeError) as info:
        build()
    text = str(info.value)
    assert "\n" not in text and "errors.pydantic.dev" not in text and text.endswith(MADE_BY)
    return text


def test_a_wrong_value_names_its_field(result: Result) -> None:
    data = result.to_dict()
    assert (
        _refusal(lambda: Result(**{**data, "currency": 5}))
        == f"Result(...): currency: Input should be a valid string (got 5); {MADE_BY}"
    )
    first = data["options"][0]
    bad = {**data, "options": [{**first, "monthly_cost": "abc"}, *data["options"][1:]]}
    assert _refusal(lambda: Result(**bad)).startswith(f"Result(...): options[{first['name']}].monthly_cost: ")


def test_missing_fields_name_the_first_and_count_the_rest() -> None:
    assert _refusal(Result).startswith("Result(...): scenario: missing required field; add it (+")


def test_an_unknown_field_is_refused_with_the_nearest_name(result: Result) -> None:
    data = result.to_dict()
    assert _refusal(lambda: Result(**{**data, "curency": "EUR"})) == (
        f"Result(...): curency: unknown field (did you mean: currency?); {MADE_BY}"
    )
    option = data["options"][0]
    assert _refusal(lambda: OptionResult(**{**option, "monthly_cost_usd": 1.0})).startswith(
        "OptionResult(...): monthly_cost_usd: unknown field (did you mean: monthly_cost"
    )


def test_a_good_result_built_by_hand_and_a_newer_report_read_back_are_unchanged(result: Result) -> None:
    data = result.to_dict()
    assert Result(**data) == result
    assert Result.from_dict({**data, "added_by_a_newer_writer": 1}) == result


def test_setting_a_field_is_one_attribute_error_line(result: Result) -> None:
    with pytest.raises(FrozenInstanceError, match=r"^Result\.currency is read-only \(a Result is frozen\); "):
        result.currency = "EUR"  # type: ignore[misc]
    with pytest.raises(AttributeError, match=r"^OptionResult\.monthly_cost is read-only"):
        result.options[0].monthly_cost = 0.0  # type: ignore[misc]
