"""`--pricing-lock` on every command that prices a scenario: the lock's rows are the prices, nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer

from costcalc.cli import app
from tests.support.cli import invoke

PRICES = (
    "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"
    "acme/locked-model,acme,locked-model,1.5,6.0,https://example.com/acme-prices,2026-11-01\n"
)
SCENARIO = """\
version: 1
workload: {requests_per_day: 100000, input_tokens: 1000, output_tokens: 250, growth_per_month: 0.02}
options:
  - {name: Locked API, kind: api, model: acme/locked-model}
  - name: Rented GPUs
    kind: self_hosted
    model: llama-3.1-8b
    hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.0}
    throughput: {points: [{input_tokens: 1000, output_tokens: 250, requests_per_s: 5.0, concurrency: 32}]}
"""


@pytest.fixture
def locked(tmp_path: Path) -> tuple[str, str]:
    """(scenario, lock): a scenario whose API price exists only in a user file, and the lock made with that file."""
    (tmp_path / "prices.csv").write_text(PRICES, encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    lock = tmp_path / "lock.json"
    code, _, err = invoke("pricing", "lock", str(scenario), "--pricing", str(tmp_path / "prices.csv"), "-o", str(lock))
    assert code == 0, err
    return str(scenario), str(lock)


def _commands(scenario: str, out: Path) -> dict[str, list[str]]:
    return {
        "report": ["report", scenario, "-f", "json"],
        "diff": ["diff", scenario, scenario, "-f", "json"],
        "chart": ["chart", scenario, "-o", str(out / "c.svg")],
        "sweep": ["sweep", scenario, "--vary", "workload.requests_per_day=50000,200000", "-f", "json"],
        "simulate": ["simulate", scenario, "-n", "200", "--seed", "1", "-f", "json"],
        "sensitivity": ["sensitivity", scenario, "--input", "workload.requests_per_day", "-f", "json"],
    }


@pytest.mark.parametrize("command", ["report", "diff", "chart", "sweep", "simulate", "sensitivity"])
def test_the_lock_prices_every_command(locked: tuple[str, str], tmp_path: Path, command: str) -> None:
    scenario, lock = locked
    args = _commands(scenario, tmp_path)[command]
    code, _, err = invoke(*args)
    assert code == 2 and "acme/locked-model" in err  # without the lock the price is unknown
    code, out, err = invoke(*args, "--pricing-lock", lock)
    assert code == 0, err
    if command == "report":
        api = next(o for o in json.loads(out)["options"] if o["name"] == "Locked API")
        # 3.04M requests × (1,000 × $1.5 + 250 × $6) per 1M tokens = $9,125 a month
        assert api["monthly_cost"] == pytest.approx(100000 * 730 / 24 * (1000 * 1.5 + 250 * 6) / 1e6)


def test_every_command_that_takes_prices_takes_a_lock() -> None:
    root = typer.main.get_command(app)
    found = []

    def walk(group: object, path: str) -> None:
        for name, command in getattr(group, "commands", {}).items():
            if hasattr(command, "commands"):
                walk(command, f"{path}{name} ")
                continue
            options = {o for p in command.params for o in p.opts}
            if "--pricing" in options and f"{path}{name}" not in ("pricing list", "pricing show", "pricing lock"):
                found.append(f"{path}{name}")
                assert "--pricing-lock" in options, f"costcalc {path}{name} takes --pricing but not --pricing-lock"

    walk(root, "")
    assert {"report", "diff", "chart", "sweep", "simulate", "sensitivity"} <= set(found)


def test_the_lock_says_the_command_that_uses_it(tmp_path: Path) -> None:
    """'use: costcalc report --pricing-lock lock.json' left out the scenario, so the command pasted from it failed
    ('Missing argument SCENARIO'); a path with a space is quoted as the shell needs it."""
    scenario = tmp_path / "my scenario.yaml"
    scenario.write_text(SCENARIO.replace("acme/locked-model", "openai/gpt-6-luna"), encoding="utf-8")
    lock = tmp_path / "lock.json"
    code, _, err = invoke("pricing", "lock", str(scenario), "-o", str(lock), "--today", "2026-12-05")
    assert code == 0, err
    assert err.strip().endswith(f"; use: `costcalc report '{scenario}' --pricing-lock {lock}`"), err


def test_a_row_missing_from_the_lock_is_said_so(locked: tuple[str, str], tmp_path: Path) -> None:
    """A lock written for one scenario, used on another (ci's --pricing-lock covers every scenario): 'unknown api
    price id 'openai/gpt-6-luna'; `costcalc pricing list --kind api` lists them', and the list does show it."""
    _, lock = locked
    other = tmp_path / "other.yaml"
    other.write_text(SCENARIO.replace("acme/locked-model", "openai/gpt-6-luna"), encoding="utf-8")
    code, _, err = invoke("report", str(other), "--pricing-lock", lock, "--today", "2026-12-05")
    assert code == 2
    assert err == (
        f"error: {other}:4: options[Locked API].model: api price id 'openai/gpt-6-luna' is not in the pricing lock "
        f"{lock}, which holds the rows of the scenario it was written for; write it for this one: costcalc pricing "
        f"lock SCENARIO -o {lock}"
    )


def test_a_lock_holding_a_price_change_reproduces_the_report(tmp_path: Path) -> None:
    """qa24: the lock read its rows one at a time and each api row dropped the earlier rows of its series, so a lock
    holding a price change inside the horizon priced every month at the new price: $2 a month where the report it
    was written from said $1 (gemini-3.7-flash, doubling on 2027-01-01: $1,825 against $912.50), exit 0, with a
    warning that no earlier row was known."""
    prices = tmp_path / "prices.csv"
    prices.write_text(
        "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,valid_from,valid_until,source,as_of\n"
        "acme/changing,acme,changing,1,4,,2026-12-31,https://example.com/acme-prices,2026-11-01\n"
        "acme/changing@2027-01-01,acme,changing,2,8,2027-01-01,,https://example.com/acme-prices,2026-11-01\n",
        encoding="utf-8",
    )
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO.replace("acme/locked-model", "acme/changing"), encoding="utf-8")
    lock = tmp_path / "lock.json"
    today = ("--today", "2026-12-05")
    code, _, err = invoke("pricing", "lock", str(scenario), "--pricing", str(prices), "-o", str(lock), *today)
    assert code == 0, err
    assert [r["id"] for r in json.loads(lock.read_text(encoding="utf-8"))["rows"]] == [
        "acme/changing",
        "acme/changing@2027-01-01",
    ]
    code, with_files, err = invoke("report", str(scenario), "--pricing", str(prices), "-f", "json", *today)
    assert code == 0, err
    code, with_lock, err = invoke("report", str(scenario), "--pricing-lock", str(lock), "-f", "json", *today)
    assert (code, err) == (0, "")
    costs = [{o["name"]: o["monthly_cost"] for o in json.loads(out)["options"]} for out in (with_files, with_lock)]
    # 3.04M requests × (1,000 × $1 + 250 × $4) per 1M tokens = $6,083.33 in December, at the old price
    assert costs[0] == costs[1] and costs[1]["Locked API"] == pytest.approx(100000 * 730 / 24 * 2000 / 1e6)
    assert json.loads(with_files)["options"] == json.loads(with_lock)["options"]
