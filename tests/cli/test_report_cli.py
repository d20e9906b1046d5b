"""`costcalc report` through CliRunner: stdout, stderr and exit code checked separately."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from costcalc.cli import app

TODAY = "2026-09-01"
STALE_API_CSV = (
    "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"
    "acme/old-model,acme,old-model,1.0,4.0,https://example.com/acme-prices,2020-01-01\n"
)


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=input)


@pytest.fixture
def scenario_path(write_yaml, base_scenario: dict) -> Path:
    return write_yaml(base_scenario)


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_success_each_format(scenario_path: Path, fmt: str) -> None:
    result = invoke("report", str(scenario_path), "--format", fmt, "--today", TODAY)
    assert result.exit_code == 0
    assert result.stderr == ""  # explicit prices, busy replicas: nothing to warn about
    assert "Explicit API" in result.stdout and "Rented GPUs" in result.stdout and "Seats" in result.stdout


def test_json_output_is_the_versioned_result(scenario_path: Path) -> None:
    result = invoke("report", str(scenario_path), "-f", "json", "--today", TODAY)
    doc = json.loads(result.stdout)
    assert next(iter(doc)) == "schema_version"
    assert {o["kind"] for o in doc["options"]} == {"api", "self_hosted", "subscription"}
    # hand-checked: the API costs 3,041,666.67 requests × $0.002 = $6,083.33; rented $2,460; seats $5,000
    costs = {o["name"]: o["monthly_cost"] for o in doc["options"]}
    assert costs == pytest.approx({"Explicit API": 6083.333333, "Rented GPUs": 2460.0, "Seats": 5000.0})
    assert doc["cheapest"] == "Rented GPUs"


def test_csv_output_parses(scenario_path: Path) -> None:
    result = invoke("report", str(scenario_path), "-f", "csv", "--today", TODAY)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["option"] for r in rows] == ["Explicit API", "Rented GPUs", "Seats"]


def test_bad_input_one_line_on_stderr_exit_2(write_yaml, base_scenario: dict) -> None:
    base_scenario["workload"]["cached_input_share"] = 1.5
    path = write_yaml(base_scenario)
    result = invoke("report", str(path), "--today", TODAY)
    assert result.exit_code == 2
    assert result.stdout == ""
    line = yaml.safe_dump(base_scenario, sort_keys=False).splitlines().index("  cached_input_share: 1.5") + 1
    assert result.stderr == (
        f"error: {path}:{line}: workload.cached_input_share: Input should be less than or equal to 1 (got 1.5); write 1 or less\n"
    )
    assert "Traceback" not in result.output


def test_output_file_written_only_on_success(scenario_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = invoke("report", str(scenario_path), "-f", "json", "-o", str(out), "--today", TODAY)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["schema_version"]


@pytest.mark.parametrize(
    "breakage",
    [
        {"workload": {"cached_input_share": 1.5}},  # fails while loading
        {"model": "no-such-model"},  # fails while resolving, after loading succeeded
    ],
    ids=["validation", "lookup"],
)
def test_failed_run_leaves_existing_output_untouched(
    write_yaml, base_scenario: dict, tmp_path: Path, breakage: dict
) -> None:
    if "workload" in breakage:
        base_scenario["workload"].update(breakage["workload"])
    else:
        base_scenario["options"][1]["model"] = breakage["model"]
    path = write_yaml(base_scenario)
    out = tmp_path / "report.md"
    out.write_text("previous report\n", encoding="utf-8")
    result = invoke("report", str(path), "-f", "markdown", "-o", str(out), "--today", TODAY)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path}:")
    assert out.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report.md",
        "scenario.yaml",
    ]  # no temp file left


def test_failed_run_does_not_create_output(write_yaml, base_scenario: dict, tmp_path: Path) -> None:
    base_scenario["version"] = 9
    out = tmp_path / "new.json"
    result = invoke("report", str(write_yaml(base_scenario)), "-f", "json", "-o", str(out), "--today", TODAY)
    assert result.exit_code == 2
    assert not out.exists()


def test_output_into_missing_folder_fails_before_work(scenario_path: Path, tmp_path: Path) -> None:
    result = invoke("report", str(scenario_path), "-o", str(tmp_path / "nope" / "r.txt"), "--today", TODAY)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr == f"error: -o: folder {tmp_path / 'nope'} does not exist; create it or choose another -o path\n"
    )


def test_dash_reads_stdin(base_scenario: dict) -> None:
    result = invoke("report", "-", "-f", "json", "--today", TODAY, input=yaml.safe_dump(base_scenario))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["scenario"] == "Hand-checkable scenario"


def test_stdin_errors_name_stdin(base_scenario: dict) -> None:
    base_scenario["workload"]["input_tokns"] = 5
    result = invoke("report", "-", "--today", TODAY, input=yaml.safe_dump(base_scenario, sort_keys=False))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: <stdin>:")
    assert "unknown key 'input_tokns' (did you mean: input_tokens" in result.stderr


def test_set_changes_the_result(scenario_path: Path) -> None:
    # 2× the requests → the API bill doubles: 2 × $6,083.33 = $12,166.67
    result = invoke(
        "report",
        str(scenario_path),
        "-f",
        "json",
        "--today",
        TODAY,
        "--set",
        "workload.requests_per_day=2e5",
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["options"][0]["monthly_cost"] == pytest.approx(12166.666667)


def test_set_repeated(scenario_path: Path) -> None:
    result = invoke(
        "report",
        str(scenario_path),
        "-f",
        "json",
        "--today",
        TODAY,
        "--set",
        "options[Seats].seats=10",
        "--set",
        "options[Seats].usd_per_seat_month=3",
    )
    assert json.loads(result.stdout)["options"][2]["monthly_cost"] == pytest.approx(30.0)


def test_set_wrong_path_gets_did_you_mean(scenario_path: Path) -> None:
    result = invoke("report", str(scenario_path), "--today", TODAY, "--set", "workload.requests_per_dya=5")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: --set workload.requests_per_dya=5: unknown key 'requests_per_dya' in workload"
        " (did you mean: requests_per_day?)\n"
    )


def test_workload_flag(scenario_path: Path, write_yaml) -> None:
    usage = write_yaml(
        {"requests_per_day": 1000, "input_tokens": 1000, "output_tokens": 250, "users": 9},
        "usage.yaml",
    )
    result = invoke("report", str(scenario_path), "-f", "json", "--today", TODAY, "--workload", str(usage))
    assert result.exit_code == 0, result.stderr
    # 1,000/day × 730/24 = 30,416.67 requests × $0.002 = $60.83
    assert json.loads(result.stdout)["options"][0]["monthly_cost"] == pytest.approx(60.833333)


def test_referenced_usage_and_hardware_files(tmp_path: Path, write_yaml, base_scenario: dict, monkeypatch) -> None:
    write_yaml(base_scenario["workload"], "proj/usage.yaml")
    write_yaml(base_scenario["options"][1]["hardware"], "proj/hw/h100.yaml")
    base_scenario["workload"] = "usage.yaml"
    base_scenario["options"][1]["hardware"] = "hw/h100.yaml"
    path = write_yaml(base_scenario, "proj/scenario.yaml")
    monkeypatch.chdir(tmp_path)
    result = invoke("report", "proj/scenario.yaml", "-f", "json", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    costs = {o["name"]: o["monthly_cost"] for o in json.loads(result.stdout)["options"]}
    assert costs["Rented GPUs"] == pytest.approx(2460.0)
    assert path.is_file()


def test_warnings_go_to_stderr(write_yaml, base_scenario: dict, tmp_path: Path) -> None:
    prices = tmp_path / "old-prices.csv"
    prices.write_text(STALE_API_CSV, encoding="utf-8")
    base_scenario["options"][0] = {"name": "Old API", "kind": "api", "model": "acme/old-model"}
    base_scenario["options"][1]["throughput"]["points"][0]["requests_per_s"] = 500.0  # replica ~0.2% used
    path = write_yaml(base_scenario)
    result = invoke("report", str(path), "-f", "json", "--today", TODAY, "--pricing", str(prices))
    assert result.exit_code == 0
    json.loads(result.stdout)  # stdout stays pure JSON
    assert result.stderr.splitlines() == [
        "warning: 1 price older than 60 days: acme/old-model (2020-01-01)",
        "warning: Rented GPUs: replicas are 0.2% utilised on average; the GPUs mostly idle",
    ]


def test_strict_turns_stale_prices_into_an_error(write_yaml, base_scenario: dict, tmp_path: Path) -> None:
    prices = tmp_path / "old-prices.csv"
    prices.write_text(STALE_API_CSV, encoding="utf-8")
    base_scenario["options"][0] = {"name": "Old API", "kind": "api", "model": "acme/old-model"}
    out = tmp_path / "r.json"
    result = invoke(
        "report",
        str(write_yaml(base_scenario)),
        "--strict",
        "--today",
        TODAY,
        "--pricing",
        str(prices),
        "-o",
        str(out),
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: --strict: 1 price older than 60 days: acme/old-model (2020-01-01);"
        " refresh them (costcalc pricing update) or pass --pricing with newer rows\n"
    )
    assert not out.exists()


def test_strict_turns_a_missing_price_into_an_error(write_yaml, base_scenario: dict, tmp_path: Path) -> None:
    # cached_input_share > 0 but the option has no cached-input price: billed at the input price,
    # a warning normally, an error with --strict
    base_scenario["workload"]["cached_input_share"] = 0.5
    base_scenario["options"][0] = {
        "name": "No cache price",
        "kind": "api",
        "prices": {"input_usd_per_mtok": 1.0, "output_usd_per_mtok": 2.0},
    }
    path = str(write_yaml(base_scenario))
    loose = invoke("report", path, "--today", TODAY, "-f", "json")
    assert loose.exit_code == 0
    assert "warning: missing price: No cache price: no cached-input price;" in loose.stderr
    strict = invoke("report", path, "--today", TODAY, "--strict")
    assert strict.exit_code == 2
    assert strict.stderr == (
        "error: --strict: No cache price: no cached-input price; cache reads are billed at the input price;"
        " give the price in the option's prices\n"
    )


def test_today_decides_staleness(write_yaml, base_scenario: dict, tmp_path: Path) -> None:
    prices = tmp_path / "p.csv"
    prices.write_text(STALE_API_CSV, encoding="utf-8")
    base_scenario["options"] = [{"name": "Old API", "kind": "api", "model": "acme/old-model"}]
    path = write_yaml(base_scenario)
    fresh = invoke("report", str(path), "--today", "2020-02-01", "--pricing", str(prices), "-f", "csv")
    assert fresh.exit_code == 0 and fresh.stderr == ""


def test_each_table_keeps_its_own_staleness_limit_unless_the_scenario_sets_one(
    write_yaml, base_scenario: dict, tmp_path: Path
) -> None:
    # pricing/freshness.csv: API rows are stale after 60 days, seat rows after 120
    prices = tmp_path / "api.csv"
    prices.write_text(STALE_API_CSV.replace("2020-01-01", "2026-06-01"), encoding="utf-8")
    seats = tmp_path / "seats.csv"
    seats.write_text(
        "id,provider,plan,monthly_usd_per_seat,source,as_of\nacme/team,acme,Team,25,https://acme.test,2026-06-01\n",
        encoding="utf-8",
    )
    base_scenario["options"][0] = {"name": "Old API", "kind": "api", "model": "acme/old-model"}
    base_scenario["options"][2] = {"name": "Seats", "kind": "subscription", "plan": "acme/team"}
    args = ["--today", "2026-08-15", "--pricing", str(prices), "--pricing", str(seats), "-f", "json"]
    day75 = invoke("report", str(write_yaml(base_scenario)), *args)  # 75 days after both rows' as_of
    assert [line for line in day75.stderr.splitlines() if "older" in line] == [
        "warning: 1 price older than 60 days: acme/old-model (2026-06-01)"
    ]
    base_scenario["stale_after_days"] = 30
    own = invoke("report", str(write_yaml(base_scenario)), *args)
    assert [line for line in own.stderr.splitlines() if "older" in line] == [
        "warning: 2 prices older than 30 days: acme/old-model (2026-06-01), acme/team (2026-06-01)"
    ]
    del base_scenario["stale_after_days"]
    day150 = invoke("report", str(write_yaml(base_scenario)), *args[:1], "2026-10-29", *args[2:])
    assert [line for line in day150.stderr.splitlines() if "older" in line] == [
        "warning: 2 prices older than their table's limit: acme/old-model (2026-06-01) (over 60 days);"
        " acme/team (2026-06-01) (over 120 days)"
    ]


def test_bad_today(scenario_path: Path) -> None:
    result = invoke("report", str(scenario_path), "--today", "tomorrow")
    assert result.exit_code == 2
    assert result.stderr == "error: --today: 'tomorrow' is not a date; write the date as YYYY-MM-DD, e.g. 2026-08-01\n"


def test_unknown_format_is_a_usage_error(scenario_path: Path) -> None:
    result = invoke("report", str(scenario_path), "--format", "yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Invalid value" in result.stderr


def test_variants_are_reported_side_by_side(tmp_path) -> None:
    from typer.testing import CliRunner

    from costcalc.cli import app

    path = tmp_path / "v.yaml"
    path.write_text(
        "version: 1\n"
        "workload: {requests_per_day: 100000, input_tokens: 1000, output_tokens: 200}\n"
        "variants:\n"
        "  traffic x3: {workload.requests_per_day: 300000}\n"
        "options:\n"
        "  - {name: API, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["report", str(path), "-f", "markdown", "--today", "2026-09-01"])
    assert result.exit_code == 0, result.stderr
    # 100,000/day × 730/24 days = 3,041,667 requests; each 1000 in × $1/M + 200 out × $4/M = $0.0018
    # → $5,475/month; three times the traffic → $16,425
    assert "| Option | base | traffic x3 |" in result.stdout
    assert "| API | $5,475 * | $16,425 * |" in result.stdout


def test_markdown_lists_guardrail_results(tmp_path) -> None:
    from typer.testing import CliRunner

    from costcalc.cli import app

    path = tmp_path / "g.yaml"
    path.write_text(
        "version: 1\n"
        "workload: {requests_per_day: 100000, input_tokens: 1000, output_tokens: 200}\n"
        "options:\n"
        "  - {name: API, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}\n",
        encoding="utf-8",
    )
    args = ["report", str(path), "-f", "markdown", "--today", "2026-09-01", "--fail-if", "monthly_cost[API] > 5000"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "**Guardrail**: failed\n" in result.stdout  # one guardrail: not '1 of 1 failed'
    # user text is Markdown-escaped (no links, HTML or mentions from option names); it renders as written
    assert (
        ":x: fail: monthly_cost\\[API\\] is 5,475, breaks the limit by 475 (fail if monthly_cost\\[API\\] > 5000;"
        in result.stdout
    )
    result = CliRunner().invoke(app, [*args, "--fail-if", "monthly_cost[API] > 9000"])
    assert "**Guardrails**: 1 of 2 failed\n" in result.stdout
    result = CliRunner().invoke(app, [*args[:-1], "monthly_cost[API] > 9000"])
    assert result.exit_code == 0 and "**Guardrail**: passed\n" in result.stdout  # not 'all 1 passed'


def _tornado(html: str) -> str:
    start = html.index("<figure id='tornado'>")
    return html[start : html.index("</figure>", start)]


def test_sensitivity_tornado_uses_the_workload_flag(write_yaml, base_scenario: dict) -> None:
    """`report --workload W --sensitivity` draws the tornado of W, not of the scenario's own workload (issue 10)."""
    usage = {**base_scenario["workload"], "requests_per_day": 400_000}
    w = write_yaml(usage, "usage.yaml")
    original = write_yaml(base_scenario, "scenario.yaml")
    inline = write_yaml({**base_scenario, "workload": usage}, "inline.yaml")
    args = ("-f", "html", "--sensitivity", "--today", TODAY)
    flagged = invoke("report", str(original), "--workload", str(w), *args)
    assert flagged.exit_code == 0, flagged.stderr
    expected = _tornado(invoke("report", str(inline), *args).stdout)
    assert _tornado(flagged.stdout) == expected
    assert _tornado(invoke("report", str(original), *args).stdout) != expected


def test_sensitivity_tornado_in_html_says_what_self_hosting_saves(write_yaml, base_scenario: dict) -> None:
    r = invoke("report", str(write_yaml(base_scenario)), "-f", "html", "--sensitivity", "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    figure = _tornado(r.stdout)
    assert "base: self-hosting " in figure and ("saves $" in figure or " more<" in figure)
    assert "options[" not in figure.split("<figcaption>")[0].replace("data-input=", "")  # labels in words


def test_strict_names_pricing_update_only_when_it_can_refresh_a_stale_row(
    write_yaml, base_scenario: dict, tmp_path: Path
) -> None:
    """`pricing update` refreshes API prices only: a stale rental row's fix is --pricing with a newer row."""
    prices = tmp_path / "old-rental.csv"
    prices.write_text(
        "id,provider,instance,gpu,gpu_count,usd_per_hour,usd_per_gpu_hour,pricing_type,source,as_of\n"
        "acme/1x-h100/on-demand,acme,1x-h100,h100-sxm-80gb,1,2.0,2.0,on-demand,https://acme.example/pricing,2020-01-01\n",
        encoding="utf-8",
    )
    base_scenario["options"][1]["hardware"] = {"offer": "acme/1x-h100/on-demand", "acquisition": "rent"}
    result = invoke("report", str(write_yaml(base_scenario)), "--strict", "--today", TODAY, "--pricing", str(prices))
    assert result.exit_code == 2, result.stderr
    assert "acme/1x-h100/on-demand (2020-01-01)" in result.stderr
    assert "pricing update" not in result.stderr and "pass --pricing with newer rows" in result.stderr


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--no-chart",), "--no-chart: the cost chart is drawn only with --details: add --details, or drop --no-chart"),
        (
            ("--details", "--format", "json"),
            "--details: only the terminal table takes it; --format json already carries all it can, so drop --details",
        ),
        (
            ("--no-chart", "--format", "markdown"),
            "--no-chart: only the terminal table takes it; --format markdown already carries all it can, so drop"
            " --no-chart",
        ),
    ],
    ids=["no-chart-alone", "details-json", "no-chart-markdown"],
)
def test_a_flag_that_would_change_nothing_is_refused(scenario_path: Path, args, error: str) -> None:
    # these were accepted and ignored: the output was byte for byte the same with or without them
    result = invoke("report", str(scenario_path), "--today", TODAY, *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"error: {error}\n"
