"""The Python API takes arguments as a notebook writes them: a date as 'YYYY-MM-DD', one override or --vary as a
plain string; anything else it cannot use is an InputError that says what it wants, never a TypeError from inside
or an error about the first character of a string."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import costcalc
from costcalc.errors import InputError


def test_today_as_an_iso_string_or_a_datetime_is_that_day(base_scenario: dict[str, Any], today: dt.date) -> None:
    """analyze(today='2026-12-05') raised TypeError: '<=' not supported between 'str' and 'datetime.date'."""
    want = costcalc.analyze(base_scenario, today=today).to_dict()
    assert costcalc.analyze(base_scenario, today=today.isoformat()).to_dict() == want
    assert costcalc.analyze(base_scenario, today=dt.datetime.combine(today, dt.time(13, 5))).to_dict() == want
    grid = costcalc.sweep(base_scenario, ["workload.requests_per_day=1000,2000"], today=today.isoformat())
    assert list(grid["workload.requests_per_day"]) == [1000, 2000]


@pytest.mark.parametrize(
    ("today", "message"),
    [
        ("05/12/2026", "today=: '05/12/2026' is not a date; use YYYY-MM-DD"),
        (20261205, "today=: a date (datetime.date or 'YYYY-MM-DD'), not int"),
    ],
)
def test_a_day_that_is_no_date_is_an_input_error(base_scenario: dict[str, Any], today: object, message: str) -> None:
    with pytest.raises(InputError) as err:
        costcalc.analyze(base_scenario, today=today)  # type: ignore[arg-type]
    assert str(err.value) == message


def test_one_string_is_one_override_or_one_varied_input(base_scenario: dict[str, Any], today: dt.date) -> None:
    """A string where a list belongs was read character by character: "--vary: 'w' needs PATH=START:STOP..."."""
    one = costcalc.analyze(base_scenario, overrides="workload.requests_per_day=5000", today=today)
    assert one.workload.requests_per_month == pytest.approx(5000 * 730 / 24)
    grid = costcalc.sweep(base_scenario, "workload.requests_per_day=1000,2000", today=today)
    assert list(grid["workload.requests_per_day"]) == [1000, 2000]
    sens = costcalc.sensitivity(base_scenario, inputs="workload.requests_per_day", today=today)
    assert list(sens["input"]) == ["workload.requests_per_day"]


@pytest.mark.parametrize("source", [42, [1, 2], None, 3.5])
def test_a_scenario_of_another_type_says_what_a_scenario_is(source: object) -> None:
    """analyze(42) said '42: file not found; check the path'."""
    with pytest.raises(InputError) as err:
        costcalc.analyze(source)  # type: ignore[arg-type]
    assert str(err.value) == (
        f"scenario: a scenario is a file path, a YAML string, a dict or a Scenario, not {type(source).__name__}"
    )


def test_an_unknown_option_name_lists_the_options(base_scenario: dict[str, Any], today: dt.date) -> None:
    """result.option('rented gpus') was a bare KeyError('rented gpus')."""
    result = costcalc.analyze(base_scenario, today=today)
    with pytest.raises(KeyError) as err:
        result.option("rented gpus")
    assert err.value.args[0] == (
        "no option 'rented gpus' (did you mean: Rented GPUs?); options: Explicit API, Rented GPUs, Seats"
    )
