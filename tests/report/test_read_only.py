"""A Result's mappings (cost lines, the timeline's series, fiscal years) refuse changes, as its fields do."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from costcalc.api import analyze
from costcalc.render.report_json import render
from costcalc.report.read_only import REFUSAL, ReadOnlyDict
from costcalc.report.result import Result
from tests.analysis.scenarios import BASE


@pytest.fixture(scope="module")
def result() -> Result:
    return analyze(BASE)


def _mappings(r: Result) -> dict[str, Any]:
    t, fy, o = r.full_timeline, r.fiscal_years[0], r.options[0]
    return {
        "breakdown": o.breakdown,
        "monthly_cost": t.monthly_cost,
        "cumulative_cost": t.cumulative_cost,
        "cumulative_cash": t.cumulative_cash,
        "monthly_cash": t.monthly_cash,
        "timeline capex": t.capex,
        "timeline opex": t.opex,
        "fiscal capex": fy.capex,
        "fiscal opex": fy.opex,
        "fiscal accrual": fy.accrual,
    }


CHANGES: dict[str, Callable[[Any, str], object]] = {
    "set": lambda m, k: m.__setitem__(k, m[k]),
    "delete": lambda m, k: m.__delitem__(k),
    "update": lambda m, k: m.update({k: m[k]}),
    "|=": lambda m, k: m.__ior__({k: m[k]}),
    "pop": lambda m, k: m.pop(k),
    "popitem": lambda m, k: m.popitem(),
    "setdefault": lambda m, k: m.setdefault("new", m[k]),
    "clear": lambda m, k: m.clear(),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_mapping_of_a_result_refuses_every_change(result: Result, change: str) -> None:
    before = render(result)
    for where, mapping in _mappings(result).items():
        key = next(iter(mapping))
        with pytest.raises(TypeError, match=r"^a Result's mappings are read-only \(a Result is frozen\); dict"):
            CHANGES[change](mapping, key)
        assert key in mapping, where
    assert render(result) == before  # to_dict and every renderer show what analyze computed


def test_the_refusal_is_one_line_saying_how_to_change_a_copy() -> None:
    assert "\n" not in REFUSAL
    assert "dict(...) gives a copy to change" in REFUSAL


def test_a_result_read_back_from_its_json_is_read_only_too(result: Result) -> None:
    again = Result.from_dict(json.loads(render(result)))
    for where, mapping in _mappings(again).items():
        assert isinstance(mapping, ReadOnlyDict), where


def test_a_copy_of_a_mapping_can_be_changed_and_the_result_keeps_its_own(result: Result) -> None:
    lines = dict(result.options[0].breakdown)
    first = next(iter(lines))
    lines[first] = -1.0
    assert result.options[0].breakdown[first] != -1.0
    assert type(result.options[0].breakdown.copy()) is dict


def test_pickle_and_deepcopy_give_an_equal_read_only_result(result: Result) -> None:
    for again in (pickle.loads(pickle.dumps(result)), copy.deepcopy(result)):
        assert again == result
        assert render(again) == render(result)
        assert isinstance(again.options[0].breakdown, ReadOnlyDict)


def test_a_read_only_mapping_writes_the_json_a_dict_does(result: Result) -> None:
    breakdown = result.options[0].breakdown
    assert json.dumps(breakdown) == json.dumps(dict(breakdown))
    assert result.to_dict()["options"][0]["breakdown"] == dict(breakdown)
    assert type(result.to_dict()["options"][0]["breakdown"]) is dict
