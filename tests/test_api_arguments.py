"""The Python API takes arguments as a notebook writes them: a date as 'YYYY-MM-DD', one override or --vary as a
plain string; anything else it cannot use is an InputError that says what it wants, never a TypeError from inside
or an error about the first character of a string."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import costcalc
from costcalc.errors import InputError, PricingError


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
        ("05/12/2026", "today=: '05/12/2026' is not a date; write the date as YYYY-MM-DD: 2026-05-12 or 2026-12-05?"),
        (20261205, "today=: a date (datetime.date or 'YYYY-MM-DD'), not int"),
        (
            dt.date(9999, 12, 31),
            "today=: 9999-12-31 is too far ahead: a report's months (up to 240) must end by the year 9999; give a day"
            " up to 9979-12-31",
        ),
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
    with pytest.raises(KeyError) as err:  # an index where a name belongs: TypeError from inside difflib before
        result.option(0)  # type: ignore[arg-type]
    assert err.value.args[0] == "no option 0; options: Explicit API, Rented GPUs, Seats"
    # a costcalc error too, printed as its one line: `except costcalc.CostcalcError` caught it not, and a KeyError
    # prints in quotes ("'no option ...'" in a notebook's traceback)
    with pytest.raises(costcalc.InputError) as caught:
        result.option("Nope")
    assert str(caught.value) == "no option 'Nope'; options: Explicit API, Rented GPUs, Seats"


# (the call, its exact message): each raised TypeError/AttributeError from inside costcalc (or numpy) before
WRONG_TYPES: list[tuple[str, Any, str]] = [
    (
        "overrides=5",
        lambda s, day: costcalc.analyze(s, overrides=5, today=day),
        "overrides=: a list of strings such as ['workload.requests_per_day=5000'], not int 5",
    ),
    (
        "overrides=[5]",
        lambda s, day: costcalc.analyze(s, overrides=[5], today=day),
        "overrides=: a list of strings such as ['workload.requests_per_day=5000']; it holds int 5",
    ),
    (
        "overrides={...}",
        lambda s, day: costcalc.analyze(s, overrides={"workload.requests_per_day": 5}, today=day),
        "overrides=: a list of strings such as ['workload.requests_per_day=5000'], not dict",
    ),
    (
        "vary=[1000, 2000]",
        lambda s, day: costcalc.sweep(s, [1000, 2000], today=day),
        "vary=: a list of strings such as ['workload.requests_per_day=1000,2000'] or"
        " ['workload.requests_per_day=1e3:1e6:20:log']; it holds int 1000",
    ),
    (
        "pricing_files=[None]",
        lambda s, day: costcalc.analyze(s, pricing_files=[None], today=day),
        "pricing_files=: a list of strings such as ['prices.csv']; it holds NoneType",
    ),
    (
        "inputs=[]",
        lambda s, day: costcalc.sensitivity(s, inputs=[], today=day),
        "inputs=: the list is empty; give e.g. ['workload.requests_per_day'] (None: every numeric input)",
    ),
    (
        "prices={...}",
        lambda s, day: costcalc.analyze(s, prices={"h100": 2.0}, today=day),
        "prices=: a costcalc.PriceBook (or None for the shipped prices), not dict",
    ),
    (
        "delta=None",
        lambda s, day: costcalc.sensitivity(s, delta=None, today=day),
        "delta=: a share such as 0.2 or '20%', not NoneType",
    ),
    (
        "samples=10.5",
        lambda s, day: costcalc.simulate(s, samples=10.5, today=day),
        "samples=: a whole number of samples, not float 10.5",
    ),
    (
        "samples='100'",
        lambda s, day: costcalc.simulate(s, samples="100", today=day),
        "samples=: a whole number of samples, not str '100'",
    ),
    (
        "workload_file=5",
        lambda s, day: costcalc.load_scenario(s, workload_file=5),
        "workload_file=: a path to a usage YAML file, not int 5",
    ),
    (
        "seed='x'",
        lambda s, day: costcalc.simulate(s, samples=10, seed="x", today=day),
        "seed=: a whole number (or None), not str 'x'",
    ),
    # found by the session-8 walkthrough of costcalc.__all__: a TypeError from os.lstat or a progress call, or a
    # wrong answer taken silently ('no' is true; 2.5 requests in flight; a string's characters as files)
    (
        "pricing_lock=5",
        lambda s, day: costcalc.analyze(s, pricing_lock=5, today=day),
        "pricing_lock=: a path to a lock file written by `costcalc pricing lock`, not int 5",
    ),
    (
        "progress=5 (sweep)",
        lambda s, day: costcalc.sweep(s, ["workload.requests_per_day=1,2"], progress=5, today=day),
        "progress=: a function f(done, total) (or None), not int 5",
    ),
    (
        "progress='x' (simulate)",
        lambda s, day: costcalc.simulate(s, samples=10, progress="x", today=day),
        "progress=: a function f(done, total) (or None), not str 'x'",
    ),
    (
        "variants='no'",
        lambda s, day: costcalc.sweep(s, ["workload.requests_per_day=1,2"], variants="no", today=day),
        "variants=: True or False, not str 'no'",
    ),
    (
        "throughput_band='no'",
        lambda s, day: costcalc.simulate(s, samples=10, throughput_band="no", today=day),
        "throughput_band=: True or False, not str 'no'",
    ),
    (
        "concurrency=2.5",
        lambda s, day: costcalc.estimate_throughput(**ESTIMATE, concurrency=2.5),
        "concurrency=: must be a whole number, got 2.5",
    ),
    (
        "output_tokens=0.5",
        lambda s, day: costcalc.estimate_throughput(**{**ESTIMATE, "output_tokens": 0.5}),
        "output_tokens=: must be a whole number, got 0.5",
    ),
    (
        "PriceBook.load(None)",
        lambda s, day: costcalc.PriceBook.load(None),
        "user_files=: a list of strings such as ['prices.csv'], not NoneType",
    ),
    (
        "PriceBook.load(on=5)",
        lambda s, day: costcalc.PriceBook.load(on=5),
        "on=: a date (datetime.date or 'YYYY-MM-DD'), not int",
    ),
    (
        "PriceBook.load(use_cache='no')",
        lambda s, day: costcalc.PriceBook.load(use_cache="no"),
        "use_cache=: True or False, not str 'no'",
    ),
]
ESTIMATE: dict[str, Any] = {"gpu": "h100-sxm-80gb", "model": "gpt-oss-20b", "input_tokens": 1000, "output_tokens": 200}


@pytest.mark.parametrize(("case", "call", "message"), WRONG_TYPES, ids=[c[0] for c in WRONG_TYPES])
def test_an_argument_of_the_wrong_type_is_an_input_error_naming_it(
    base_scenario: dict[str, Any], today: dt.date, case: str, call: Any, message: str
) -> None:
    with pytest.raises(InputError) as err:
        call(base_scenario, today)
    assert str(err.value) == message


def test_a_one_line_yaml_string_is_told_it_needs_a_line_break() -> None:
    """load_scenario('version: 1') is read as a path: 'file not found' alone sent the user looking for a file."""
    with pytest.raises(InputError) as err:
        costcalc.load_scenario("{version: 1, workload: {requests_per_day: 5}}")
    assert str(err.value).endswith(
        "file not found; check the path; a YAML string is read as one only when it holds a line break (end it with"
        " '\\n')"
    )
    with pytest.raises(InputError) as err:  # a path that is simply missing keeps the plain message
        costcalc.load_scenario("missing/scenario.yaml")
    assert str(err.value) == "missing/scenario.yaml: file not found; check the path"


def test_a_path_is_taken_as_a_pathlib_path_or_one_string(
    base_scenario: dict[str, Any], today: dt.date, tmp_path: Path
) -> None:
    """PriceBook.load('prices.csv') read each character as a file ('p: file not found'); a pathlib.Path in
    pricing_files= was refused; pricing_lock= takes one as load_scenario's workload_file= does."""
    with pytest.raises(PricingError) as err:
        costcalc.PriceBook.load("missing.csv")
    assert str(err.value) == "missing.csv: file not found; check the path"
    prices = tmp_path / "prices.csv"
    prices.write_text(
        "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"
        "acme/m,acme,m,1.5,6,https://example.com/prices,2026-08-01\n",
        encoding="utf-8",
    )
    assert costcalc.PriceBook.load(prices).get("api", "acme/m").row.input_usd_per_mtok == 1.5
    assert costcalc.PriceBook.load([prices], on="2026-12-05").on == dt.date(2026, 12, 5)
    base_scenario["options"][0] = {"name": "Acme", "kind": "api", "model": "acme/m"}
    result = costcalc.analyze(base_scenario, pricing_files=[prices], today=today)
    assert result.option("Acme").monthly_cost > 0
    with pytest.raises(PricingError) as err:
        costcalc.analyze(base_scenario, pricing_lock=tmp_path / "missing.lock", today=today)
    assert str(err.value).startswith(f"{tmp_path / 'missing.lock'}: lock file not found")
