"""Price files beside a pricing lock are refused: the lock's rows were all a report priced with, and the files were
never read (an api price of $50 / $100 per 1M tokens in a --pricing file left the option at the lock's $121.67)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

import costcalc
from costcalc.cli import app

SCENARIO = """\
version: 1
workload: {requests_per_day: 20000, input_tokens: 1000, output_tokens: 200}
options:
  - {name: Luna, kind: api, model: openai/gpt-6-luna}
"""
FILE = "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"
FILE += "openai/gpt-6-luna,openai,gpt-6-luna,50,100,https://example.com/quote,2026-11-01\n"
SAID = (
    "not read beside a pricing lock, which holds exactly the prices it was written with; write the lock with these"
    " files (`costcalc pricing lock SCENARIO --pricing FILE -o LOCK`) and give the lock alone"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    scenario, prices, lock = tmp_path / "s.yaml", tmp_path / "quote.csv", tmp_path / "lock.json"
    scenario.write_text(SCENARIO, encoding="utf-8")
    prices.write_text(FILE, encoding="utf-8")
    ran = CliRunner().invoke(app, ["pricing", "lock", str(scenario), "-o", str(lock), "--today", "2026-12-05"])
    assert ran.exit_code == 0, ran.output
    return scenario, prices, lock


@pytest.mark.parametrize("command", [["report"], ["sweep", "--vary", "workload.requests_per_day=1,2"]])
def test_a_price_file_beside_a_lock_is_refused(files: tuple[Path, Path, Path], command: list[str]) -> None:
    scenario, prices, lock = files
    args = [command[0], str(scenario), *command[1:], "--pricing", str(prices), "--pricing-lock", str(lock)]
    ran = CliRunner().invoke(app, [*args, "--today", "2026-12-05"])
    assert (ran.exit_code, ran.stderr) == (2, f"error: --pricing: {SAID}\n")


def test_the_python_api_says_it_of_its_argument(files: tuple[Path, Path, Path]) -> None:
    scenario, prices, lock = files
    with pytest.raises(costcalc.InputError) as info:
        costcalc.analyze(str(scenario), pricing_files=[str(prices)], pricing_lock=str(lock), today=dt.date(2026, 12, 5))
    assert str(info.value) == f"pricing_files=: {SAID}"
    alone = costcalc.analyze(str(scenario), pricing_lock=str(lock), today=dt.date(2026, 12, 5))
    assert alone.option("Luna").monthly_cost == pytest.approx(121.6666666667)


def test_a_pricing_list_changed_since_the_lock_was_written_is_refused(files: tuple[Path, Path, Path]) -> None:
    """A discount added to the scenario after its lock was written was priced without, unsaid: $121.67 with the lock,
    $60.83 without it."""
    scenario, _, lock = files
    scenario.write_text(SCENARIO + "pricing: [{provider: openai, discount: 0.5}]\n", encoding="utf-8")
    ran = CliRunner().invoke(app, ["report", str(scenario), "--pricing-lock", str(lock), "--today", "2026-12-05"])
    assert (ran.exit_code, ran.stderr) == (
        2,
        f"error: {scenario}:5: pricing: not the list the pricing lock {lock} was written with, whose rows hold that"
        " list's changes, so this one's would not be priced; write the lock again: costcalc pricing lock SCENARIO -o"
        f" {lock}\n",
    )
    again = CliRunner().invoke(app, ["pricing", "lock", str(scenario), "-o", str(lock), "--today", "2026-12-05"])
    assert again.exit_code == 0, again.output
    priced = costcalc.analyze(str(scenario), pricing_lock=str(lock), today=dt.date(2026, 12, 5))
    assert priced.option("Luna").monthly_cost == pytest.approx(121.6666666667 / 2)


def test_a_lock_written_before_it_kept_the_list_is_read_as_before(files: tuple[Path, Path, Path]) -> None:
    import json

    scenario, _, lock = files
    doc = json.loads(lock.read_text(encoding="utf-8"))
    assert doc.pop("scenario_pricing") == []
    lock.write_text(json.dumps(doc), encoding="utf-8")
    scenario.write_text(SCENARIO + "pricing: [{provider: openai, discount: 0.5}]\n", encoding="utf-8")
    priced = costcalc.analyze(str(scenario), pricing_lock=str(lock), today=dt.date(2026, 12, 5))
    assert priced.option("Luna").monthly_cost == pytest.approx(121.6666666667)  # the lock's rows, as before
