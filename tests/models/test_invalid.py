"""A model built directly in Python (`costcalc.Scenario(...)`, `Workload(...)`) refuses bad data with the one-line
InputError a scenario file gets, from the same code (models.invalid); it raised pydantic's multi-line
ValidationError ('1 validation error for Scenario ... For further information visit https://errors.pydantic.dev')."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

import costcalc
from costcalc.models import ApiOption, Slo, Workload

# (what is wrong, the change to the base scenario's data, the message after its origin)
SCENARIOS: list[tuple[str, dict[str, Any], str]] = [
    ("range", {"horizon_months": -3}, "horizon_months: Input should be greater than or equal to 1 (got -3)"),
    ("typo", {"horizn_months": 3}, "horizn_months: unknown key 'horizn_months' (did you mean: horizon_months"),
    ("missing", {"version": None}, "version: missing required field; add it"),
    ("empty list", {"options": []}, "options: the list is empty; add at least 1 item"),
    ("nested", {"workload": {"requests_per_day": "40k"}}, "workload.requests_per_day: Input should be a valid number"),
    ("kind", {"options": [{"name": "Seats", "kind": "seats"}]}, "options[Seats].kind: kind 'seats' is not one of"),
    # a list where one number belongs said 'Input should be a valid number' with no value and no fix
    (
        "list",
        {"workload": {"requests_per_day": [1, 2]}},
        "workload.requests_per_day: expected one number, got a list; write a single number",
    ),  # fmt: skip
    # a fraction where a count belongs: '... got a number with a fractional part (got 2.5)', no fix
    (
        "fraction",
        {"horizon_months": 2.5},
        "horizon_months: Input should be a valid integer, got a number with a"
        " fractional part (got 2.5); write a whole number",
    ),  # fmt: skip
]


# refusals pydantic words with no way to fix them (qa14's crash hunt: 'version: Input should be a valid integer' for
# `version:` left empty, 'Input should be greater than or equal to 1 (got 0)', the currency code's regular expression)
FIXES = [
    ("horizon_months=null", "expected a number, got nothing; write a number"),
    ("horizon_months=0", "Input should be greater than or equal to 1 (got 0); write 1 or more"),
    ("horizon_months=1000", "Input should be less than or equal to 240 (got 1000); write 240 or less"),
    ("workload.input_tokens=-5", "Input should be greater than 0 (got -5); write a number above 0"),
    ("workload.growth_per_month=-0.9", "Input should be greater than or equal to -0.5 (got -0.9); write -0.5 or more"),
    ("workload.requests_per_day={a: 1}", "expected one number, got a mapping; write a single number"),
    ("workload.requests_per_day=nan", "Input should be a finite number (got nan); write a plain number"),
    (
        "workload.requests_per_day={dist: normal, mean: 1000, sd: 10}",
        "expected one number, got a mapping; write a single number (a {dist: ...} distribution is written in the"
        " scenario file)",
    ),
    (
        "workload.users=true",
        "expected a number, got true (YAML reads true/false, yes/no and on/off as booleans); write a number",
    ),
    ("name=''", "String should have at least 1 character (got ''); it is empty: write the text"),
    ("name=" + "n" * 300, "characters)); shorten it to 200 characters or fewer"),
    # had no hint: the did-you-mean compared 'API' with the lower-case kinds
    ("options[0].kind=API", "kind 'API' is not one of api, subscription, self_hosted (did you mean: api?)"),
    # was 'Tuple should have at least 24 items after validation, not 23' (and 'at most 24 ..., not 25')
    (
        "workload.hourly_profile=[" + ",".join(["1"] * 23) + "]",
        ": 23 items given; give at least 24",
    ),
    (
        "workload.hourly_profile=[" + ",".join(["1"] * 25) + "]",
        ": 25 items given; give at most 24",
    ),
    (  # was accepted: every figure doubled and still labelled USD
        "currency={code: USD, per_usd: 2, as_of: 2026-12-01, source: ECB}",
        "USD is the price tables' own currency, at 1 per USD (got per_usd 2); for another currency give its"
        " code, e.g. EUR, or drop currency: to report in USD",
    ),
    (
        "currency={code: eur, per_usd: 0.9, as_of: 2026-12-01, source: ECB}",
        "currency.code: String should match pattern '^[A-Z]{3}$' (got 'eur'); write the ISO 4217 code in capitals,"
        " e.g. EUR",
    ),
]


@pytest.mark.parametrize(("override", "message"), FIXES, ids=[f[0][:40] for f in FIXES])
def test_a_refused_value_says_how_to_write_it(base_scenario: dict[str, Any], override: str, message: str) -> None:
    with pytest.raises(costcalc.InputError) as err:
        costcalc.load_scenario(base_scenario, overrides=[override])
    assert str(err.value).endswith(message), str(err.value)


@pytest.mark.parametrize(("case", "change", "message"), SCENARIOS, ids=[c[0] for c in SCENARIOS])
def test_a_scenario_built_directly_says_what_load_scenario_says(
    base_scenario: dict[str, Any], case: str, change: dict[str, Any], message: str
) -> None:
    data = {k: v for k, v in {**base_scenario, **change}.items() if v is not None}
    with pytest.raises(costcalc.InputError) as loaded:
        costcalc.load_scenario(data)
    with pytest.raises(costcalc.InputError) as built:
        costcalc.Scenario(**data)
    assert str(loaded.value) == f"<dict>: {loaded.value.field}: {loaded.value.detail}"  # file:line stays the file's
    assert str(built.value) == str(loaded.value).replace("<dict>", "Scenario(...)", 1)
    assert str(built.value).startswith(f"Scenario(...): {message}"), str(built.value)
    assert "\n" not in str(built.value) and "pydantic" not in str(built.value)


@pytest.mark.parametrize(
    ("model", "kwargs", "message"),
    [
        (Workload, {"requests_per_day": "40k"}, "Workload(...): requests_per_day: Input should be a valid number"),
        (Workload, {"requests_per_day": -1}, "Workload(...): requests_per_day: Input should be greater than"),
        (Slo, {"ttft_p95_ms": "1.5s"}, "Slo(...): ttft_p95_ms: Input should be a valid number"),
        (ApiOption, {"name": "x", "kind": "api", "modle": "openai/gpt-6-luna"}, "ApiOption(...): modle: unknown key"),
    ],
)
def test_every_input_model_built_directly_names_its_field(model: Any, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(costcalc.InputError) as info:
        model(**kwargs)
    assert str(info.value).startswith(message), str(info.value)
    assert "\n" not in str(info.value)


def test_a_number_written_with_a_suffix_gets_the_same_hint_in_python(base_scenario: dict[str, Any]) -> None:
    with pytest.raises(costcalc.InputError) as info:
        Workload(**{**base_scenario["workload"], "requests_per_day": "40k"})
    assert str(info.value).endswith("did you mean 40000?"), str(info.value)


def test_good_data_builds_the_same_scenario_either_way(base_scenario: dict[str, Any]) -> None:
    assert costcalc.Scenario(**base_scenario).model_dump() == costcalc.load_scenario(base_scenario).model_dump()


def test_a_scenario_built_directly_naming_a_usage_file_is_read_as_load_scenario_reads_it(
    base_scenario: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: Any
) -> None:
    # analyze() took the Scenario as it was and failed inside with AssertionError('usage files are loaded by the loader')
    monkeypatch.chdir(tmp_path)
    (tmp_path / "usage.yaml").write_text(yaml.safe_dump(base_scenario["workload"]), encoding="utf-8")
    data = {**base_scenario, "workload": "usage.yaml"}
    built = costcalc.analyze(costcalc.Scenario(**data), today=today)
    assert built.to_dict() == costcalc.analyze(data, today=today).to_dict()
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(costcalc.Scenario(**{**data, "workload": "missing.yaml"}), today=today)
    assert str(info.value) == (  # qa8: the reference's field is named too, as a file's is (with its line)
        "<scenario>: workload: 'missing.yaml': file not found (a relative path starts at the working folder);"
        " check the path"
    )


def test_pydantics_own_constructors_word_a_refusal_the_same_way(base_scenario: dict[str, Any]) -> None:
    # Scenario.model_validate / model_validate_json raised pydantic's multi-line ValidationError
    bad = {**base_scenario, "horizon_months": 0}
    with pytest.raises(costcalc.InputError) as info:
        costcalc.Scenario.model_validate(bad)
    assert (
        str(info.value)
        == "Scenario.model_validate(...): horizon_months: Input should be greater than or equal to 1 (got 0); write 1 or more"
    )
    with pytest.raises(costcalc.InputError) as info:
        costcalc.Scenario.model_validate_json(json.dumps({**base_scenario, "horizn_months": 3}))
    assert str(info.value).startswith("Scenario.model_validate_json(...): horizn_months: unknown key 'horizn_months'")
    with pytest.raises(costcalc.InputError) as info:
        costcalc.Scenario.model_validate_json("{")
    assert str(info.value).startswith("Scenario.model_validate_json(...): Invalid JSON: EOF while parsing")
    good = costcalc.Scenario.model_validate_json(json.dumps(base_scenario))
    assert good.model_dump() == costcalc.Scenario.model_validate(base_scenario).model_dump()


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (pd.NA, "pandas' missing value <NA> (an empty cell?)"),
        (pd.NaT, "pandas' missing value NaT (an empty cell?)"),
        (np.array([1000, 2000]), "a numpy ndarray of 2 values"),
        (dt.date(2026, 1, 1), "a value of type date ('2026-01-01')"),
    ],
)
def test_a_python_value_that_is_no_number_is_named_with_its_fix(
    base_scenario: dict[str, Any], value: Any, said: str
) -> None:
    # a notebook's scenario dict filled from a DataFrame row with an empty cell said 'workload.requests_per_day: Input
    # should be a valid number': neither what it got nor how to fix it
    base_scenario["workload"]["requests_per_day"] = value
    with pytest.raises(costcalc.InputError) as info:
        costcalc.load_scenario(base_scenario)
    assert str(info.value) == f"<dict>: workload.requests_per_day: expected a number, got {said}; write a single number"


def test_a_numpy_boolean_where_a_number_belongs_is_refused_as_pythons_is(base_scenario: dict[str, Any]) -> None:
    # np.True_ (a DataFrame's boolean cell) was costed as the number 1: cached_input_share 100%, silently
    base_scenario["workload"]["cached_input_share"] = np.bool_(True)
    with pytest.raises(costcalc.InputError) as info:
        costcalc.load_scenario(base_scenario)
    assert str(info.value).startswith("<dict>: workload.cached_input_share: expected a number, got true")
