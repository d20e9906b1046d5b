"""Each layer names an argument in its own words: the Python API by its parameter (`vary=`, `overrides='…'`), the
command line by its flag (`--vary`, `--set …`). The API's errors named flags a notebook user has no way to pass."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import costcalc
from costcalc.errors import InputError
from tests.support.cli import invoke

FLAG = re.compile(r"(?<![\w-])--[a-z]")
ROOT = Path(__file__).resolve().parent.parent

# (what is wrong, the API call, its message's start, the CLI's arguments after the scenario, the CLI's start)
CASES: list[tuple[str, Any, str, tuple[str, ...], str]] = [
    (
        "override",
        lambda s: costcalc.analyze(s, overrides=["workload.requests_per_dya=5"]),
        "overrides='workload.requests_per_dya=5': unknown key 'requests_per_dya' in workload",
        ("report", "--set", "workload.requests_per_dya=5"),
        "--set workload.requests_per_dya=5: unknown key 'requests_per_dya' in workload",
    ),
    (
        "vary-syntax",
        lambda s: costcalc.sweep(s, "workload.requests_per_day"),
        "vary=: 'workload.requests_per_day' needs PATH=START:STOP[:STEPS][:log] or PATH=V1,V2,...",
        ("sweep", "--vary", "workload.requests_per_day"),
        "--vary: 'workload.requests_per_day' needs PATH=START:STOP[:STEPS][:log] or PATH=V1,V2,...",
    ),
    (
        "vary-value",
        lambda s: costcalc.sweep(s, "workload.users=10.5,20"),
        "vary='workload.users': this field takes whole numbers",
        ("sweep", "--vary", "workload.users=10.5,20"),
        "--vary workload.users: this field takes whole numbers",
    ),
    (
        "vary-path",
        lambda s: costcalc.sweep(s, "workload.requests_per_dya=1,2"),
        "vary='workload.requests_per_dya': unknown key 'requests_per_dya' in workload",
        ("sweep", "--vary", "workload.requests_per_dya=1,2"),
        "--vary workload.requests_per_dya: unknown key 'requests_per_dya' in workload",
    ),
    (  # with no --vary and no variants the table said "Monthly cost per option (USD) by ; ..." for one point
        "nothing-to-sweep",
        lambda s: costcalc.sweep(s, []),
        "nothing to sweep: give vary= with an input and its values",  # was "vary=: nothing ... give vary= ..."
        ("sweep",),
        "nothing to sweep: give --vary with an input and its values",
    ),
    (
        "samples",
        lambda s: costcalc.simulate(s, samples=0),
        "samples=: samples must be between 1 and",
        ("simulate", "--samples", "0"),
        "--samples: samples must be between 1 and",
    ),
    (
        "delta",
        lambda s: costcalc.sensitivity(s, delta=2),
        "delta=: delta 2 must be above 0 and below 1",
        ("sensitivity", "--delta", "2"),
        "--delta: delta 2 must be above 0 and below 1",
    ),
    (
        "inputs",
        lambda s: costcalc.sensitivity(s, inputs=["zzz.qqq"]),
        "inputs=: 'zzz.qqq' is not a numeric input of this scenario; sensitivity without inputs= lists them",
        ("sensitivity", "--input", "zzz.qqq"),
        "--input: 'zzz.qqq' is not a numeric input of this scenario; sensitivity without --input lists them",
    ),
]


@pytest.fixture
def scenario(tmp_path: Path, base_scenario: dict[str, Any]) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(base_scenario), encoding="utf-8")
    return path


@pytest.mark.parametrize(("case", "call", "api", "args", "cli"), CASES, ids=[c[0] for c in CASES])
def test_the_api_names_its_parameter_and_the_cli_its_flag(
    scenario: Path, today: Any, case: str, call: Any, api: str, args: tuple[str, ...], cli: str
) -> None:
    with pytest.raises(InputError) as info:
        call(str(scenario))
    assert str(info.value).startswith(api), str(info.value)
    assert not FLAG.search(str(info.value)), str(info.value)
    command, *rest = args
    code, out, err = invoke(command, str(scenario), *rest, "--today", today.isoformat())
    assert code == 2 and out == ""
    assert err.startswith(f"error: {cli}"), err


def test_a_memory_refusal_says_how_each_layer_raises_the_budget(
    scenario: Path, today: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COSTCALC_MAX_MEMORY_MB", "1")
    with pytest.raises(InputError) as info:
        costcalc.sweep(str(scenario), ["workload.requests_per_day=1e3:1e6:400", "workload.input_tokens=100:2000:400"])
    message = str(info.value)
    assert message.startswith("vary=: a sweep of 160,000") and message.endswith("(or raise $COSTCALC_MAX_MEMORY_MB)")
    code, out, err = invoke(
        "sweep",
        str(scenario),
        "--vary",
        "workload.requests_per_day=1e3:1e6:400",
        "--vary",
        "workload.input_tokens=100:2000:400",
        "--today",
        today.isoformat(),
    )
    assert code == 2 and err.startswith("error: --vary: a sweep of 160,000")
    assert err.rstrip().endswith("(or raise --max-memory-mb / $COSTCALC_MAX_MEMORY_MB)")


def test_recommend_names_its_arguments_as_the_api_does(base_scenario: dict[str, Any], today: Any) -> None:
    from costcalc.analysis.recommend.request import Request
    from costcalc.analysis.recommend.run import recommend
    from costcalc.analysis.recommend.space import Constraints
    from costcalc.resolve.book import PriceSource
    from costcalc.scenario.loaders import load_scenario

    scenario = load_scenario(base_scenario)
    for request, message in (
        (Request(top=0), "top=: must be at least 1"),
        (Request(limits=Constraints(acquisition="lease")), "acquisition=: rent or buy, not 'lease'"),
        (Request(limits=Constraints(engines=("vlm",))), "engines=: unknown engine 'vlm' (did you mean: vllm?)"),
        (Request(models=("gpt-oss-2b",)), "models=: unknown model id 'gpt-oss-2b'"),
        (  # the constraints that leave nothing are named as they were passed, not as --gpu/--acquisition
            Request(limits=Constraints(gpus=("l4-24gb",), acquisition="buy")),
            "gpus=l4-24gb acquisition=buy leave no priced configuration of",  # was "gpus=: gpus=l4-24gb ..."
        ),
    ):
        with pytest.raises(InputError) as info:
            recommend(scenario, PriceSource(), request, today=today, cache=None)
        assert str(info.value).startswith(message) and not FLAG.search(str(info.value)), str(info.value)


@pytest.mark.parametrize(
    ("message", "mentions", "cli"),
    [
        (
            "pass as_of= with the date, or use source=genai-prices",
            ("as_of", "source"),
            "pass --as-of with the date, or use --source genai-prices",
        ),
        ("price it on an earlier day (today=), or", ("today",), "price it on an earlier day (--today), or"),
        ("try again later or use url=)", ("url",), "try again later or use --url)"),
        ("or use format=csv", ("format",), "or use --format csv"),
    ],
)
def test_a_mentioned_parameter_reads_as_its_flag_on_the_command_line(
    message: str, mentions: tuple[str, ...], cli: str
) -> None:
    from costcalc.cli.errors import FLAGS
    from costcalc.errors import ExternalError

    for error in (InputError(message, mentions=mentions), ExternalError(message, mentions=mentions)):
        assert str(error) == message  # the API's words
        assert str(error.reworded(FLAGS)) == cli
        assert error.reworded(FLAGS).exit_code == error.exit_code


def test_a_message_that_names_its_parameter_is_not_led_by_it_too(
    base_scenario: dict[str, Any], today: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'models=: ... e.g. models=gpt-oss-120b' and 'format=: ... or use format=csv' said the parameter twice; the
    message names it once, where it says what to pass (InputError(named=True), as measure's and recommend's do)."""
    from costcalc.analysis.recommend.request import Request
    from costcalc.analysis.recommend.run import recommend
    from costcalc.render.report_xlsx import render as render_xlsx
    from costcalc.render.sweep import render_parquet
    from costcalc.resolve.book import PriceSource

    base_scenario["options"] = [o for o in base_scenario["options"] if o["kind"] != "self_hosted"]
    path = tmp_path / "no-self-hosted.yaml"
    path.write_text(yaml.safe_dump(base_scenario), encoding="utf-8")
    with pytest.raises(InputError) as info:
        recommend(costcalc.load_scenario(str(path)), PriceSource(), Request(), today=today, cache=None)
    assert str(info.value).startswith("the scenario has no self_hosted option to take a model from; give the")
    assert str(info.value).count("models=") == 1, str(info.value)
    code, out, err = invoke("recommend", str(path), "--today", today.isoformat())
    assert (code, out) == (2, "") and err.startswith("error: the scenario has no self_hosted option"), err
    assert err.count("--model") == 1 and "e.g. --model gpt-oss-120b" in err, err

    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if the extra were not installed
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    for render, message in (
        (render_xlsx, "xlsx output needs openpyxl: pip install 'openpyxl>=3.1', or use format=csv"),
        (render_parquet, "parquet output needs pyarrow; pip install pyarrow, or use format=csv"),
    ):
        with pytest.raises(InputError) as info:
            render(None)
        assert str(info.value) == message  # was "format=: " + message


def test_no_message_naming_its_own_parameter_is_led_by_it_too() -> None:
    """Every raise whose text says `P=` for its own param=P is named=True, so no `P=: ... P=` (`--flag: ... --flag`)
    can come back in a new message."""
    found = []
    for path in sorted((ROOT / "costcalc").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            param, text = keywords.get("param"), node.args[0]
            if not isinstance(param, ast.Constant) or not isinstance(param.value, str):
                continue
            literal = "".join(
                part.value for part in ast.walk(text) if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if f"{param.value}=" in literal and "named" not in keywords:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
