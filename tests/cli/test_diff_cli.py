"""`costcalc diff` and `report --fail-if` through CliRunner: stdout, stderr and exit codes apart."""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from costcalc.cli import app

TODAY = "2026-09-01"


def _run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def pair(base_scenario, write_yaml):
    head = copy.deepcopy(base_scenario)
    head["options"][1]["hardware"]["hourly_usd"] = 3.0  # rented: $2,190 + $1,000 = $3,190 (was $2,460)
    return str(write_yaml(base_scenario, "base.yaml")), str(write_yaml(head, "head.yaml"))


def test_diff_table_and_json(pair):
    r = _run("diff", *pair, "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    assert "Rented GPUs" in r.stdout and "+$730" in r.stdout and "+29.7%" in r.stdout
    r = _run("diff", *pair, "-f", "json", "--today", TODAY)
    data = json.loads(r.stdout)
    rented = next(o for o in data["options"] if o["name"] == "Rented GPUs")
    assert rented["monthly_cost"]["change"] == pytest.approx(730.0)


def test_diff_guardrail_trips_exit_1_and_still_writes(pair, tmp_path):
    out = tmp_path / "comment.md"
    r = _run(
        "diff",
        *pair,
        "-f",
        "markdown",
        "-o",
        str(out),
        "--today",
        TODAY,
        "--fail-if",
        "diff.monthly_cost_pct[Rented GPUs] > 10",
        "--fail-if",
        "diff.monthly_cost_pct > 50",
    )
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines() == [
        "guardrail failed: diff.monthly_cost_pct[Rented GPUs] is 29.67, breaks the limit by 19.67"
        " (fail if diff.monthly_cost_pct[Rented GPUs] > 10; from --fail-if)"
    ]
    assert r.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("<!-- costcalc-report -->")


def test_diff_bad_guardrail_is_exit_2(pair):
    r = CliRunner().invoke(app, ["diff", *pair, "--fail-if", "diff.monthly_cost_pct[Nope] > 1", "--today", TODAY])
    assert r.exit_code == 2
    assert "no option 'Nope'; options: Explicit API, Rented GPUs, Seats" in r.stderr
    assert r.stdout == ""


def test_report_fail_if_prints_values_and_writes_the_report(write_yaml, base_scenario, tmp_path):
    path = write_yaml(base_scenario)
    out = tmp_path / "r.json"
    r = _run(
        "report",
        str(path),
        "-f",
        "json",
        "-o",
        str(out),
        "--today",
        TODAY,
        "--fail-if",
        "monthly_cost[Rented GPUs] > 2000",
        "--fail-if",
        "cheapest != Rented GPUs",
    )
    assert r.exit_code == 1
    assert (
        "guardrail failed: monthly_cost[Rented GPUs] is 2,460, breaks the limit by 460"
        " (fail if monthly_cost[Rented GPUs] > 2000; from --fail-if)" in r.stderr
    )
    assert "cheapest" not in r.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["cheapest"] == "Rented GPUs"


def test_report_guardrails_from_the_scenario(write_yaml, base_scenario):
    base_scenario["guardrails"] = ["monthly_cost[Explicit API] > 6000"]
    path = write_yaml(base_scenario)
    r = _run("report", str(path), "-f", "json", "--today", TODAY)
    assert r.exit_code == 1
    assert "from " in r.stderr and "guardrails[0]" in r.stderr and "is 6,083.33, breaks the limit" in r.stderr
    assert json.loads(r.stdout)["options"]


def test_report_without_tripped_guardrails_exits_0(write_yaml, base_scenario):
    r = _run(
        "report",
        str(write_yaml(base_scenario)),
        "-f",
        "markdown",
        "--today",
        TODAY,
        "--fail-if",
        "monthly_cost > 1e6",
    )
    assert r.exit_code == 0 and r.stderr == ""


def test_report_unknown_metric_is_exit_2(write_yaml, base_scenario):
    r = CliRunner().invoke(app, ["report", str(write_yaml(base_scenario)), "--fail-if", "monthy_cost > 1"])
    assert r.exit_code == 2
    assert "unknown metric 'monthy_cost'" in r.stderr and "valid: monthly_cost" in r.stderr
    assert r.stdout == ""


def test_diff_applies_the_scenarios_price_changes_once(write_yaml, tmp_path):
    """HEAD adds a 15% provider discount: diff says -15% on that option and equals `report HEAD` (issue 10)."""
    prices = tmp_path / "prices.csv"
    prices.write_text(
        "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"
        "anthropic/test-claude,anthropic,test-claude,3,15,https://example.com/test-prices,2026-08-01\n",
        encoding="utf-8",
    )
    a = {
        "version": 1,
        "name": "Discount check",
        "workload": {"requests_per_day": 10_000, "input_tokens": 1000, "output_tokens": 200},
        "options": [
            {"name": "Claude", "kind": "api", "model": "anthropic/test-claude"},
            {"name": "Other", "kind": "api", "prices": {"input_usd_per_mtok": 1.0, "output_usd_per_mtok": 2.0}},
        ],
    }
    b = {**copy.deepcopy(a), "pricing": [{"provider": "anthropic", "discount": 0.15}]}
    pa, pb = str(write_yaml(a, "a.yaml")), str(write_yaml(b, "b.yaml"))
    # a: 304,166.67 requests × (1000 × $3 + 200 × $15) / 1M = $1,825/month; b: × 0.85 = $1,551.25
    r = _run("diff", pa, pb, "-f", "json", "--pricing", str(prices), "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    claude = next(o for o in json.loads(r.stdout)["options"] if o["name"] == "Claude")
    assert claude["monthly_cost"]["before"] == pytest.approx(1825.0)
    assert claude["monthly_cost"]["after"] == pytest.approx(1551.25)
    assert claude["monthly_cost"]["change_pct"] == pytest.approx(-15.0)
    report = _run("report", pb, "-f", "json", "--pricing", str(prices), "--today", TODAY)
    cost = next(o for o in json.loads(report.stdout)["options"] if o["name"] == "Claude")["monthly_cost"]
    assert cost == pytest.approx(claude["monthly_cost"]["after"])
    markdown = _run("diff", pa, pb, "-f", "markdown", "--pricing", str(prices), "--today", TODAY).stdout
    assert "| $1,825 | $1,551 | -$274 | -15.0% |" in markdown


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_diff_table_fits_the_width(pair, columns):
    result = CliRunner().invoke(app, ["diff", *pair], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= columns
    assert "…" not in result.stdout and "Rented GPUs" in result.stdout


@pytest.mark.parametrize(
    ("limits", "said"),
    [
        (["diff.monthly_cost_pct[Rented GPUs] > 10"], "**1 guardrail failed.**"),
        (["diff.monthly_cost_pct[Rented GPUs] > 10", "monthly_cost[Rented GPUs] > 3000"], "**2 guardrails failed.**"),
    ],
)
def test_the_markdown_headline_counts_failed_guardrails_in_words(pair, limits, said):
    """qa10: every PR comment read '**1 guardrail(s) failed.**'."""
    args = [a for limit in limits for a in ("--fail-if", limit)]
    r = _run("diff", *pair, "-f", "markdown", "--today", TODAY, *args)
    assert r.exit_code == 1, r.stderr
    assert said in r.stdout and "(s)" not in r.stdout


def test_diff_names_a_scenario_guardrail_by_its_line_as_report_does(base_scenario, write_yaml):
    """report said 'from s.yaml:31: guardrails[0]', diff of the same file 'from s.yaml: guardrails[0]': the PR
    comment of `costcalc ci` (a diff) lost the line a reviewer goes to."""
    head = copy.deepcopy(base_scenario)
    head["guardrails"] = ["monthly_cost[Explicit API] > 6000"]
    base, path = str(write_yaml(base_scenario, "base.yaml")), write_yaml(head, "head.yaml")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "> 6000" in text)
    r = _run("diff", base, str(path), "--today", TODAY)
    assert r.exit_code == 1
    assert f"(fail if monthly_cost[Explicit API] > 6000; from {path}:{line}: guardrails[0])" in r.stderr
    r = _run("report", str(path), "-f", "json", "--today", TODAY)
    assert f"(fail if monthly_cost[Explicit API] > 6000; from {path}:{line}: guardrails[0])" in r.stderr


# ---------------------------------------------------------------- guardrail outcomes in the JSON (qa10 findings 3, 4)


def test_report_json_says_which_guardrail_broke_and_by_how_much(write_yaml, base_scenario):
    """qa10 finding 3: `report -f json --fail-if ...` exited 1 with the reason on stderr only; report.json had no
    guardrails, so a CI job reading it could not tell which budget broke."""
    base_scenario["guardrails"] = ["monthly_cost[Explicit API] > 6000"]
    path = write_yaml(base_scenario)
    r = _run("report", str(path), "-f", "json", "--today", TODAY, "--fail-if", "monthly_cost[Rented GPUs] > 1e6")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["schema_version"] == "1.17"
    broke, held = doc["guardrails"]
    assert broke["expression"] == "monthly_cost[Explicit API] > 6000"
    assert broke["origin"].endswith("guardrails[0]") and str(path) in broke["origin"]
    assert (broke["metric"], broke["option"], broke["operator"], broke["limit"]) == (
        "monthly_cost[Explicit API]",
        "Explicit API",
        ">",
        6000,
    )
    assert broke["actual"] == pytest.approx(6083.33, abs=0.01) and broke["actual_is"] is None and broke["tripped"]
    assert broke["message"] in r.stderr  # the same sentence the job's log shows
    assert held["origin"] == "--fail-if" and held["tripped"] is False and held["actual"] == pytest.approx(2460)
    keys = list(doc)
    assert keys.index("guardrails") == keys.index("timeline") - 1  # not after the month-by-month timeline


def test_report_json_without_guardrails_has_an_empty_list(write_yaml, base_scenario):
    r = _run("report", str(write_yaml(base_scenario)), "-f", "json", "--today", TODAY)
    assert r.exit_code == 0 and json.loads(r.stdout)["guardrails"] == []


def test_a_never_is_null_with_its_reason_in_report_and_diff_json(write_yaml, base_scenario):
    """qa10 finding 4: diff -f json wrote a never as the string "never" (and a change from never as "-never") where
    the report JSON writes null; `actual > limit` on it was a type error. Both now write null and say why."""
    never = copy.deepcopy(base_scenario)
    never["options"][1]["hardware"]["hourly_usd"] = 500.0  # a replica dearer than the API at any volume
    base, head = str(write_yaml(base_scenario, "base.yaml")), str(write_yaml(never, "head.yaml"))
    check = "break_even_tokens[Rented GPUs] > 1T"
    r = _run("report", head, "-f", "json", "--today", TODAY, "--fail-if", check)
    [g] = json.loads(r.stdout)["guardrails"]
    assert (g["actual"], g["actual_is"], g["tripped"]) == (None, "never", True)
    assert r.exit_code == 1
    change = "diff.break_even_tokens[Rented GPUs] > 0"
    outcomes = {}
    for name, (before, after) in {"became": (base, head), "no_longer": (head, base)}.items():
        r = _run("diff", before, after, "-f", "json", "--today", TODAY, "--fail-if", change, "--fail-if", check)
        doc = json.loads(r.stdout)
        assert doc["schema_version"] == "2.1"
        outcomes[name] = doc["guardrails"]
    [d, g] = outcomes["became"]
    assert (d["actual"], d["actual_is"], d["tripped"]) == (None, "became_never", True)
    assert (g["actual"], g["actual_is"]) == (None, "never")  # a HEAD metric reads as the report writes it
    [d, g] = outcomes["no_longer"]
    assert (d["actual"], d["actual_is"], d["tripped"]) == (None, "no_longer_never", False)
    assert isinstance(g["actual"], float) and g["actual_is"] is None


def test_diff_json_writes_every_figure_as_a_number_or_null_with_why(write_yaml, base_scenario):
    """polish10b: diff -f json's options wrote a break-even or payback that never comes as the string "never"; now
    null, with before_is / after_is saying why a figure is null: never, not_applicable (an API's break-even, a rental's
    payback), absent (the option is not on that side). Schema 2.0: a type change."""
    never = copy.deepcopy(base_scenario)
    never["options"][1]["hardware"]["hourly_usd"] = 500.0  # a replica dearer than the API at any volume
    never["options"][2]["name"] = "Team seats"  # Seats removed, Team seats added
    base, head = str(write_yaml(base_scenario, "base.yaml")), str(write_yaml(never, "head.yaml"))
    doc = json.loads(_run("diff", base, head, "-f", "json", "--today", TODAY).stdout)
    assert doc["schema_version"] == "2.1"
    options = {o["name"]: o for o in doc["options"]}

    def pairs(name: str, figure: str) -> tuple[object, ...]:
        f = options[name][figure]
        assert list(f) == ["before", "before_is", "after", "after_is"]
        return f["before"], f["before_is"], f["after"], f["after_is"]

    before, before_is, after, after_is = pairs("Rented GPUs", "break_even_tokens")
    assert isinstance(before, float) and before_is is None and (after, after_is) == (None, "never")
    assert pairs("Rented GPUs", "payback_months") == (None, "not_applicable", None, "not_applicable")
    assert pairs("Explicit API", "break_even_tokens") == (None, "not_applicable", None, "not_applicable")
    assert pairs("Seats", "break_even_tokens")[2:] == (None, "absent")
    assert pairs("Team seats", "break_even_tokens")[:2] == (None, "absent")

    def strings_where_numbers_go(x: object, key: str = "") -> list[str]:
        if isinstance(x, dict):
            return [s for k, v in x.items() for s in strings_where_numbers_go(v, k)]
        if isinstance(x, list):
            return [s for v in x for s in strings_where_numbers_go(v, key)]
        return [f"{key}={x}"] if isinstance(x, str) and key in ("before", "after", "change", "change_pct") else []

    assert strings_where_numbers_go(doc["options"]) == []


def test_report_and_diff_json_write_one_outcome_shape(pair):
    """The same guardrail on the same HEAD reads the same in `report -f json` and `diff -f json`."""
    check = "monthly_cost[Rented GPUs] > 3000"
    report = json.loads(_run("report", pair[1], "-f", "json", "--today", TODAY, "--fail-if", check).stdout)
    diff = json.loads(_run("diff", *pair, "-f", "json", "--today", TODAY, "--fail-if", check).stdout)
    assert report["guardrails"] == diff["guardrails"] and report["guardrails"][0]["tripped"]


def test_a_guardrail_no_option_has_is_null_and_says_why(write_yaml, base_scenario):
    """payback_months without [option] where nothing is bought reads n/a and passes: null, with actual_is saying so."""
    r = _run(
        "report", str(write_yaml(base_scenario)), "-f", "json", "--today", TODAY, "--fail-if", "payback_months > 1"
    )
    assert r.exit_code == 0, r.stderr
    [g] = json.loads(r.stdout)["guardrails"]
    assert (g["actual"], g["actual_is"], g["tripped"]) == (None, "not_applicable", False) and g["read_from"]


@pytest.mark.parametrize("how", ["stdin", "txt", "scenario as json"])
def test_diff_tells_a_report_from_a_scenario_by_its_text_not_its_name(pair, tmp_path, how):
    """`report -f json | costcalc diff base.yaml -`, a report saved as head.txt and a scenario written as JSON (which
    `report` reads) are each read as what they hold: the first two were read as a scenario ("unknown key
    'requests_per_month' ... (+141 more)"), the last as a report ("not a costcalc JSON report")."""
    import yaml

    base, head = pair
    report = _run("report", head, "-f", "json", "--today", TODAY).stdout
    if how == "stdin":
        r = CliRunner().invoke(app, ["diff", base, "-", "--today", TODAY], input=report)
    elif how == "txt":
        (tmp_path / "head.txt").write_text(report, encoding="utf-8")
        r = _run("diff", base, str(tmp_path / "head.txt"), "--today", TODAY)
    else:
        data = yaml.safe_load((tmp_path / "head.yaml").read_text(encoding="utf-8"))
        (tmp_path / "head.json").write_text(json.dumps(data), encoding="utf-8")
        r = _run("diff", base, str(tmp_path / "head.json"), "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    assert "Rented GPUs" in r.stdout and "+$730" in r.stdout and "+29.7%" in r.stdout


def test_a_hand_edited_report_with_a_negative_cost_exits_2_and_writes_nothing(pair, tmp_path):
    # qa22 finding 17: 'Rented GPUs $2,460 -$5.00 ...' was read and diffed
    base, head = pair
    data = json.loads(_run("report", head, "-f", "json", "--today", TODAY).stdout)
    rented = next(i for i, o in enumerate(data["options"]) if o["name"] == "Rented GPUs")
    data["options"][rented]["monthly_cost"] = -5
    edited, out = tmp_path / "edited.json", tmp_path / "diff.md"
    edited.write_text(json.dumps(data), encoding="utf-8")
    r = _run("diff", base, str(edited), "--today", TODAY, "-o", str(out))
    assert r.exit_code == 2 and r.stdout == "" and not out.exists()
    assert r.stderr == (
        f"error: {edited}: options.{rented}.monthly_cost: not a costcalc report as written: monthly_cost -5 is below 0"
        " (option 'Rented GPUs'); re-run `costcalc report -f json`\n"
    )


def test_set_on_diff_says_how_to_diff_a_what_if(pair):
    """`diff base.yaml base.yaml --set x=y` said 'No such option: --set' and no way to compare a what-if."""
    from tests.support.cli import invoke

    code, out, err = invoke("diff", *pair, "--set", "workload.requests_per_day=2000")
    assert (code, out) == (2, "")
    assert err == (
        "error: diff compares the two files as they are, with no --set; for a what-if, cost it and diff the result:"
        " `costcalc report BASE --set PATH=VALUE -f json | costcalc diff BASE -`"
    )
