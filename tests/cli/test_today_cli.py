"""`--today` on every command that prices: sweep's base point, sensitivity's base, simulate with zero-width
inputs and `ci`'s reports equal `report --today` to the cent around a scheduled price change (issues 9 and 10)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from costcalc.report.result import Result
from tests.support.cli import invoke

CENT = 0.005
BEFORE, AFTER = "2026-12-05", "2027-01-05"  # google/gemini-3.6-flash doubles on 2027-01-01
FLASH = """\
version: 1
name: flash
horizon_months: 3
workload: {{requests_per_day: {rpd}, input_tokens: 1000, output_tokens: 500}}
options:
  - {{name: Flash, kind: api, model: google/gemini-3.6-flash}}
  - name: Self
    kind: self_hosted
    model: llama-3.1-8b
    hardware: {{gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.0, min_replicas: 1}}
    throughput: {{points: [{{input_tokens: 1000, output_tokens: 500, requests_per_s: 5}}]}}
"""


@pytest.fixture()
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "flash.yaml"
    path.write_text(FLASH.format(rpd=1000), encoding="utf-8")
    return path


def _report(path: Path, day: str) -> Result:
    code, out, err = invoke("report", str(path), "-f", "json", "--today", day)
    assert code == 0, err
    return Result.from_dict(json.loads(out))


def _json(*args: str) -> Any:
    code, out, err = invoke(*args)
    assert code == 0, err
    return json.loads(out)


def test_the_two_days_price_differently(scenario: Path) -> None:
    """The premise: Flash costs twice as much on the later day (so the checks below can tell the days apart)."""
    before, after = _report(scenario, BEFORE), _report(scenario, AFTER)
    assert after.option("Flash").monthly_cost == pytest.approx(2 * before.option("Flash").monthly_cost)


@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_sweep_base_point_is_the_report(scenario: Path, day: str) -> None:
    report = _report(scenario, day)
    swept = _json("sweep", str(scenario), "--vary", "workload.requests_per_day=1000", "-f", "json", "--today", day)
    (row,) = swept["rows"]
    for option in report.options:
        assert abs(row[f"monthly_cost[{option.name}]"] - option.monthly_cost) < CENT, option.name
    other = _report(scenario, AFTER if day == BEFORE else BEFORE)
    assert abs(row["monthly_cost[Flash]"] - other.option("Flash").monthly_cost) > 1


@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_sensitivity_base_is_the_report(scenario: Path, day: str) -> None:
    def savings(report: Result) -> float:  # best API − best self-hosted over the horizon, from the report
        totals = {o.name: sum(report.full_timeline.monthly_cost[o.name]) for o in report.options}
        return totals["Flash"] - totals["Self"]

    tornado = _json("sensitivity", str(scenario), "--input", "workload.requests_per_day", "-f", "json", "--today", day)
    assert tornado["metric"] == "self_hosted_savings_over_horizon"
    assert abs(tornado["base_metric"] - savings(_report(scenario, day))) < CENT * 3
    other = _report(scenario, AFTER if day == BEFORE else BEFORE)
    assert abs(tornado["base_metric"] - savings(other)) > 1


@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_simulate_with_zero_width_inputs_is_the_report(scenario: Path, day: str) -> None:
    text = scenario.read_text(encoding="utf-8").replace(
        "requests_per_day: 1000", "requests_per_day: {dist: uniform, low: 1000, high: 1000}"
    )
    uncertain = scenario.with_name("uncertain.yaml")
    uncertain.write_text(text, encoding="utf-8")
    report = _report(scenario, day)
    sim = _json(
        "simulate", str(uncertain), "-n", "8", "--seed", "1", "--no-throughput-band", "-f", "json", "--today", day
    )
    rows = {o["option"]: o for o in sim["options"]}
    for option in report.options:
        horizon = sum(report.full_timeline.monthly_cost[option.name])
        for q in ("p10", "p50", "p90"):
            assert abs(rows[option.name][f"monthly_cost_{q}"] - option.monthly_cost) < CENT, option.name
            assert abs(rows[option.name][f"cumulative_cost_{q}"] - horizon) < CENT * 3, option.name
    other = _report(scenario, AFTER if day == BEFORE else BEFORE)
    assert abs(rows["Flash"]["monthly_cost_p50"] - other.option("Flash").monthly_cost) > 1


@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_pricing_list_and_show_give_the_rows_a_report_on_today_uses(scenario: Path, day: str) -> None:
    used = _report(scenario, day).option("Flash").prices[0].id  # the Flash row the report priced with
    other = {BEFORE: "google/gemini-3.6-flash@2027-01-01", AFTER: "google/gemini-3.6-flash@2026-10-14"}[day]
    assert used != other
    shown = _json("pricing", "show", "google/gemini-3.6-flash", "-f", "json", "--today", day)["row"]
    assert shown["id"] == used
    listed = {
        r["id"]
        for r in _json("pricing", "list", "--provider", "google", "--kind", "api", "-f", "json", "--today", day)["rows"]
    }
    assert used in listed and other not in listed
    code, out, err = invoke("pricing", "list", "--provider", "google", "--kind", "api", "--today", day)
    assert code == 0, err
    assert used in out and other not in out  # the table, too
    history = _json(
        "pricing", "list", "--provider", "google", "--kind", "api", "-f", "json", "--today", day, "--history"
    )
    assert {used, other} <= {r["id"] for r in history["rows"]}  # --history still lists every dated row


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2027-13-01", "'2027-13-01' is not a date; the calendar has no such day: check the month and the day"),
        ("2027/3/1", "'2027/3/1' is not a date; write the date as YYYY-MM-DD: did you mean 2027-03-01?"),  # qa18
        # past the last day whose 240 months are dates: `report --today 9999-12-31` crashed (exit 70, ValueError
        # 'year 10000 is out of range' in resolve/prices.add_months)
        (
            "9999-12-31",
            "9999-12-31 is too far ahead: a report's months (up to 240) must end by the year 9999; give a day up to"
            " 9979-12-31",
        ),
    ],
)
@pytest.mark.parametrize(
    "command", ["report", "sweep", "sensitivity", "simulate", "ci", "pricing lock", "pricing list", "pricing show"]
)
def test_a_bad_day_is_one_line_and_exit_2(scenario: Path, command: str, tmp_path: Path, day: str, message: str) -> None:
    args = {
        "report": ["report", str(scenario), "-o", str(tmp_path / "lock.json")],
        "sweep": ["sweep", str(scenario), "--vary", "workload.requests_per_day=1000"],
        "sensitivity": ["sensitivity", str(scenario)],
        "simulate": ["simulate", str(scenario), "-n", "2"],
        "ci": ["ci", "main", str(tmp_path / "out"), str(scenario)],
        "pricing lock": ["pricing", "lock", str(scenario), "-o", str(tmp_path / "lock.json")],
        "pricing list": ["pricing", "list", "-o", str(tmp_path / "lock.json")],
        "pricing show": ["pricing", "show", "google/gemini-3.6-flash", "-o", str(tmp_path / "lock.json")],
    }[command]
    code, out, err = invoke(*args, "--today", day)
    assert code == 2 and out == ""
    assert err == f"error: --today: {message}"
    assert not (tmp_path / "out").exists() and not (tmp_path / "lock.json").exists()


def test_pricing_lock_pins_the_rows_valid_on_today(scenario: Path, tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    code, _, err = invoke("pricing", "lock", str(scenario), "-o", str(lock), "--today", AFTER)
    assert code == 0, err
    ids = {row["id"] for row in json.loads(lock.read_text(encoding="utf-8"))["rows"]}
    assert "google/gemini-3.6-flash@2027-01-01" in ids and "google/gemini-3.6-flash@2026-10-14" not in ids
    code, out, err = invoke("report", str(scenario), "-f", "json", "--today", AFTER, "--pricing-lock", str(lock))
    assert code == 0, err
    locked = Result.from_dict(json.loads(out)).option("Flash").monthly_cost
    assert abs(locked - _report(scenario, AFTER).option("Flash").monthly_cost) < CENT


@pytest.mark.slow
def test_ci_reports_and_diffs_price_on_today(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    changed, new = repo / "changed.yaml", repo / "new.yaml"
    changed.write_text(FLASH.format(rpd=1000), encoding="utf-8")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    base = tmp_path / "base.yaml"
    base.write_text(changed.read_text(encoding="utf-8"), encoding="utf-8")
    changed.write_text(FLASH.format(rpd=3000), encoding="utf-8")
    new.write_text(FLASH.format(rpd=2000), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "costcalc", "ci", "main", "out", "changed.yaml", "new.yaml", "--today", AFTER],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    # a new file's section is `report --today DAY -f markdown`, word for word
    for day, same in ((AFTER, True), (BEFORE, False)):
        code, report_md, err = invoke("report", str(new), "-f", "markdown", "--today", day)
        assert code == 0, err
        assert ((repo / "out" / "new.md").read_text(encoding="utf-8") == report_md) is same, day
    # a changed file's diff shows both sides as `report --today DAY` costs them
    from costcalc.render.numbers import money

    before, after = _report(base, AFTER), _report(changed, AFTER)
    diff_md = (repo / "out" / "changed.md").read_text(encoding="utf-8")
    for name in ("Flash", "Self"):
        row = next(line for line in diff_md.splitlines() if line.startswith(f"| {name}") or f"**{name}**" in line)
        shown = f"| {money(before.option(name).monthly_cost)} | {money(after.option(name).monthly_cost)} |"
        assert shown in row, (name, row)
    stale = _report(changed, BEFORE).option("Flash").monthly_cost
    assert money(stale) not in diff_md
    # the HTML report is priced on the same day
    html = (repo / "out" / "new.html").read_text(encoding="utf-8")
    assert money(_report(new, AFTER).option("Flash").monthly_cost) in html


@pytest.mark.parametrize("command", ["chart", "report"])
def test_the_tornado_in_charts_and_html_reports_is_priced_on_today(scenario: Path, command: str) -> None:
    import re

    args = {
        "chart": ["chart", str(scenario), "--kind", "tornado", "-f", "svg"],
        "report": ["report", str(scenario), "-f", "html", "--sensitivity"],
    }[command]
    bases = {}
    for day in (BEFORE, AFTER):
        code, out, err = invoke(*args, "--today", day)
        assert code == 0, err
        (base,) = {float(v) for v in re.findall(r'data-base="([-0-9.e+]+)"', out)}
        tornado = _json(
            "sensitivity", str(scenario), "--input", "workload.requests_per_day", "-f", "json", "--today", day
        )
        assert abs(base - tornado["base_metric"]) < CENT * 3, day
        bases[day] = base
    assert abs(bases[BEFORE] - bases[AFTER]) > 1


@pytest.mark.parametrize(("day", "per_request"), [(BEFORE, 1.0 + 3.75), (AFTER, 1.0 + 7.5)])
def test_a_scenario_price_for_a_series_keeps_the_rest_of_the_row_valid_on_today(
    tmp_path: Path, day: str, per_request: float
) -> None:
    """`pricing: [{id: SERIES, prices: {...}}]` replaces the series by the row valid on --today with those prices,
    so the output price it keeps is that day's (7.50 from 2027-01-01), not the wall clock day's."""
    path = tmp_path / "override.yaml"
    path.write_text(
        "version: 1\nname: override\nhorizon_months: 1\n"
        "workload: {requests_per_day: 1000, input_tokens: 1000000, output_tokens: 1000000}\n"
        "options:\n  - {name: Flash, kind: api, model: google/gemini-3.6-flash}\n"
        "pricing:\n  - {id: google/gemini-3.6-flash, prices: {input_usd_per_mtok: 1.0}}\n",
        encoding="utf-8",
    )
    cost = _report(path, day).option("Flash").monthly_cost
    assert cost / (1000 * 730 / 24) == pytest.approx(per_request)
