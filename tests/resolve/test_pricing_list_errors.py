"""A scenario's `pricing:` change that cannot apply names the file, its line and the field, and says how to fix it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc import api
from costcalc.cli import app
from costcalc.errors import InputError

SCENARIO = """\
version: 1
workload: {requests_per_day: 1000, input_tokens: 500, output_tokens: 100}
pricing:
  - {table: api, provider: openai, discount: 0.1}
  - {CHANGE}
options:
  - {name: Mini, kind: api, model: openai/gpt-5-mini}
"""
TODAY = dt.date(2026, 12, 5)


def _write(tmp_path: Path, change: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.replace("{CHANGE}", change), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # a discount on a misspelt id: was 'pricing[1]: provider: Field required', with no file or line
        (
            "{id: openai/gpt-5-minii, discount: 0.2}",
            "s.yaml:5: pricing[1].id: no api row 'openai/gpt-5-minii' (did you mean: openai/gpt-5-mini,",
        ),
        # a new row short of fields: says which, where they go
        (
            "{id: acme/model-x, prices: {input_usd_per_mtok: 0.1}}",
            "s.yaml:5: pricing[1].id: no api row 'acme/model-x'; to add it as a new row, also give prices.provider,"
            " prices.model, prices.output_usd_per_mtok, source, as_of",
        ),
        # qa18: a price the row refuses was pydantic's words under 'pricing[1]:' ('pricing[1]: input_usd_per_mtok:
        # Input should be a valid number, unable to parse string as a number', no value, no fix; 'input_price: Extra
        # inputs are not permitted'); now its key's path and the words a scenario's own field gets
        (
            "{id: openai/gpt-5-mini, prices: {input_usd_per_mtok: $0.2}}",
            "s.yaml:5: pricing[1].prices.input_usd_per_mtok: Input should be a valid number, unable to parse string as"
            " a number (got '$0.2'); write a plain number: did you mean 0.2?",
        ),
        (
            "{id: openai/gpt-5-mini, prices: {input_price: 0.2}}",
            "s.yaml:5: pricing[1].prices.input_price: unknown key 'input_price' (did you mean: input_usd_per_mtok?)",
        ),
        (
            "{id: openai/gpt-5-mini, prices: {output_usd_per_mtok: -2}}",
            "s.yaml:5: pricing[1].prices.output_usd_per_mtok: Input should be greater than or equal to 0 (got -2);"
            " write 0 or more",
        ),
        # an unknown provider: was 'pricing[1].provider: no api rows ...' with no file or line
        (
            "{table: api, provider: opnai, discount: 0.2}",
            "s.yaml:5: pricing[1].provider: no api rows of provider 'opnai' (did you mean: openai",
        ),
    ],
)
def test_a_pricing_change_that_cannot_apply_names_its_line(tmp_path: Path, change: str, message: str) -> None:
    path = _write(tmp_path, change)
    with pytest.raises(InputError) as info:
        api.analyze(str(path), today=TODAY)
    assert str(info.value).startswith(f"{tmp_path}/{message}")


def test_the_command_line_says_it_in_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "{table: seats, id: openai/chatgpt-busines, discount: 0.2}")
    result = CliRunner().invoke(app, ["report", str(path), "--today", "2026-12-05"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {path}:5: pricing[1].id: no seats row 'openai/chatgpt-busines' (did you mean:"
        " openai/chatgpt-business, openai/chatgpt-business-premium, openai/chatgpt-plus?); a discount applies to a"
        " row the tables hold: check the id (`costcalc pricing list --kind seat` lists them)\n"
    )


def test_a_pricing_change_set_on_the_command_line_names_the_flag(tmp_path: Path) -> None:
    path = _write(tmp_path, "{table: api, provider: openai, discount: 0.2}")
    with pytest.raises(InputError) as info:
        api.analyze(str(path), overrides=['pricing[1]={"id":"openai/gpt-5-minii","discount":0.2}'], today=TODAY)
    assert str(info.value).startswith(
        """overrides='pricing[1]={"id":"openai/gpt-5-minii","discount":0.2}': no api row 'openai/gpt-5-minii'"""
    )
