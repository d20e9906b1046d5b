"""The typed Result round-trips through its JSON; a 1.0 report (before stale_after_days/missing_prices) still reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from costcalc.analysis.sides import load_side
from costcalc.api import analyze
from costcalc.errors import InputError
from costcalc.render.report_json import render
from costcalc.report.result import Result, rounded
from tests.analysis.scenarios import BASE


@pytest.fixture(scope="module")
def result() -> Result:
    return analyze(BASE)


def test_to_dict_and_back_is_the_same_result(result: Result) -> None:
    assert Result.from_dict(result.to_dict()) == result
    assert Result.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_the_json_text_reads_back_and_writes_the_same_text(result: Result) -> None:
    text = render(result)
    again = Result.from_dict(json.loads(text))
    assert render(again) == text
    assert again == Result.from_dict(rounded(result.to_dict()))


def test_kind_specific_keys_only_where_they_apply(result: Result) -> None:
    options = {o["name"]: o for o in result.to_dict()["options"]}
    assert "replicas" in options["Rented H100"] and "seats" not in options["Rented H100"]
    assert "seats" in options["Seats"] and "replicas" not in options["Seats"]
    assert "replicas" not in options["API A"] and "seats" not in options["API A"]


def test_without_timeline(result: Result) -> None:
    data = result.to_dict(include_timeline=False)
    assert "timeline" not in data
    back = Result.from_dict(data)
    assert back.timeline is None and back.options == result.options


def test_a_schema_1_0_report_still_reads(result: Result) -> None:
    data = result.to_dict()
    data["schema_version"] = "1.0"
    del data["stale_after_days"], data["missing_prices"]
    old = Result.from_dict(data)
    assert old.options == result.options and old.break_even == result.break_even
    assert old.stale_after_days == 120 and old.missing_prices == ()


def test_a_schema_1_1_median_tpot_is_not_read_as_a_p95(result: Result) -> None:
    data = result.to_dict()
    data["schema_version"] = "1.1"
    for option in data["options"]:
        if option.get("throughput"):
            option["throughput"]["tpot_ms"] = 31.0  # 1.1 wrote a median (or a mean) under this key
            del option["throughput"]["tpot_p95_ms"]
    old = Result.from_dict(data)
    assert [o.throughput.tpot_p95_ms for o in old.options if o.throughput] == [None] * sum(
        1 for o in old.options if o.throughput
    )


def test_a_broken_report_is_an_input_error_naming_the_field(result: Result, tmp_path: Path) -> None:
    # Result.from_dict raised pydantic's multi-line ValidationError; `costcalc diff` words the same error with its file
    data = result.to_dict()
    data["options"][0]["monthly_cost"] = "a lot"
    with pytest.raises(InputError) as info:
        Result.from_dict(data)
    assert str(info.value).startswith(
        "Result.from_dict(...): options.0.monthly_cost: not a readable costcalc report: Input should be a valid number"
    ), str(info.value)
    assert str(info.value).endswith("; re-run `costcalc report -f json`") and "\n" not in str(info.value)
    for wrong in (None, {}, []):
        with pytest.raises(InputError):
            Result.from_dict(wrong)
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_side(str(path))
    assert str(info.value).startswith(f"{path}: options.0.monthly_cost: not a readable costcalc report: Input should")


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        # qa22 finding 17: `diff` read each of these, hand-edited, as a report ('Luna $122 -$5.00 -$127.00 -104.1%',
        # 'Cheapest option unchanged: Luna.' with no options, two rows of one name)
        (
            lambda d: d["options"][0].update(monthly_cost=-5),
            "options.0.monthly_cost: not a costcalc report as written: monthly_cost -5 is below 0 (option 'API A')",
        ),
        (
            lambda d: d["options"][1].update(cost_per_million_tokens=-0.5),
            "options.1.cost_per_million_tokens: not a costcalc report as written: cost_per_million_tokens -0.5 is below"
            " 0 (option 'API B')",
        ),
        (lambda d: d.update(options=[]), "options: not a costcalc report as written: it lists no options"),
        (
            lambda d: d["options"][2].update(name="API A"),
            "options.2.name: not a costcalc report as written: option 'API A' is listed twice (options.0 too)",
        ),
        (
            lambda d: d.update(cheapest="Gone"),
            "cheapest: not a costcalc report as written: cheapest 'Gone' is none of its options (API A, API B,",
        ),
        # qa23: `diff` read these too ('6.57B tok/mo -> -3 tok/mo', 'workload.tokens_per_month: 730,000,000 -> -5')
        (
            lambda d: d["break_even"][0].update(tokens_per_month=-3),
            "break_even.0.tokens_per_month: not a costcalc report as written: tokens_per_month -3 is below 0 (Rented"
            " H100 against API A)",
        ),
        (
            lambda d: d["break_even"][3].update(payback_months=-1),
            "break_even.3.payback_months: not a costcalc report as written: payback_months -1 is below 0 (Owned H100",
        ),
        (
            lambda d: d["break_even"][1].update(versus="API C"),
            "break_even.1.versus: not a costcalc report as written: versus 'API C' is none of its options (API A,",
        ),
        (
            lambda d: d["workload"].update(tokens_per_month=-5),
            "workload.tokens_per_month: not a costcalc report as written: tokens_per_month -5 is below 0",
        ),
        (lambda d: d.update(horizon_months=0), "horizon_months: not a costcalc report as written: horizon_months 0 is"),
        (
            lambda d: d["options"][2].update(replicas=-2),
            "options.2.replicas: not a costcalc report as written: replicas -2 is below 0 (option 'Rented H100')",
        ),
        (
            lambda d: d["options"][2].update(monthly_cost_range=[2000.0, 1000.0]),
            "options.2.monthly_cost_range: not a costcalc report as written: monthly_cost_range [2000, 1000] is not a"
            " low and a high cost of 0 or more, low first (option 'Rented H100')",
        ),
        (
            lambda d: d["options"][2]["throughput"].update(
                actual_range={"low": 2.0, "high": 0.5, "source": "held_out_band"}
            ),
            "options.2.throughput.actual_range: not a costcalc report as written: actual_range 2x to 0.5x is not a low"
            " and a high factor above 0, low first (option 'Rented H100')",
        ),
    ],
)
def test_a_report_costcalc_never_writes_is_refused_at_its_field(result: Result, tmp_path: Path, edit, said) -> None:
    data = result.to_dict()
    edit(data)
    with pytest.raises(InputError) as info:
        Result.from_dict(data)
    assert str(info.value).startswith(f"Result.from_dict(...): {said}"), str(info.value)
    assert str(info.value).endswith("; re-run `costcalc report -f json`")
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_side(str(path))
    assert str(info.value).startswith(f"{path}: {said}")


def test_a_report_of_another_schema_major_is_said_as_such(result: Result, tmp_path: Path) -> None:
    # Result.from_dict said 'scenario: not a readable costcalc report: Field required' for a schema 9.0 report (only
    # `costcalc diff` checked the version, in its own copy of the words)
    data = result.to_dict()
    data["schema_version"] = "9.0"
    with pytest.raises(InputError) as info:
        Result.from_dict(data)
    assert str(info.value) == (
        "Result.from_dict(...): schema_version: report schema_version 9.0 is not readable by this costcalc (reads"
        " 1.x); re-run `costcalc report -f json`"
    )
    path = tmp_path / "future.json"
    path.write_text(json.dumps({"schema_version": "2.0", "options": []}), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_side(str(path))
    assert str(info.value).startswith(f"{path}: schema_version: report schema_version 2.0 is not readable")
