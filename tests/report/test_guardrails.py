"""Guardrails: the mini-language parses without eval, names are checked, values come from the report."""

from __future__ import annotations

import math

import pytest

from costcalc.api import analyze
from costcalc.errors import InputError
from costcalc.models.guardrails import parse, parse_all
from costcalc.report.guardrails import check_diff, check_report, diff_metric, format_value


@pytest.fixture
def report(base_scenario, today):
    # API $6,083.33, rented $2,460, seats $5,000 a month (see tests/test_curves.py for the arithmetic)
    return analyze(base_scenario, today=today)


def test_parse_reads_metric_option_operator_and_value():
    g = parse("monthly_cost[Self-hosted H100] > 40000")
    assert (g.metric, g.option, g.op, g.value, g.is_diff) == (
        "monthly_cost",
        "Self-hosted H100",
        ">",
        40000.0,
        False,
    )
    assert parse("payback_months >= 18").option is None
    assert parse("cheapest != Self-hosted H100").value == "Self-hosted H100"
    d = parse("diff.monthly_cost_pct > 10%")
    assert (d.metric, d.is_diff, d.value) == ("monthly_cost_pct", True, 10.0)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("break_even_tokens < 1.5B", 1.5e9),
        ("monthly_cost <= $40,000", 40000.0),
        ("replicas[X] == 2", 2.0),
        ("utilisation[X] < .25", 0.25),
        ("tokens_per_month > 2e9", 2e9),
        ("monthly_cost > 12k", 12000.0),
        # qa18: a decimal comma was dropped as a thousands separator: 'utilisation < 0,5' read 5, '1,5' read 15
        ("utilisation < 0,5", 0.5),
        ("monthly_cost > 1,5", 1.5),
        ("monthly_cost > 40 000", 40000.0),  # a space grouping thousands was 'not a number'
        ("monthly_cost > $1.234,5", 1234.5),
    ],
)
def test_numbers_with_separators_and_suffixes(text, value):
    assert parse(text).value == value


def test_a_percent_limit_is_read_as_its_metric_counts():
    # qa23: 'utilisation[X] > 50%' read 50 against a 0..1 share, so it never tripped, unsaid (a CI budget check that
    # could not fail); a % limit on money or months meant nothing and was read as the bare number
    assert parse("utilisation[X] > 50%").value == 0.5
    assert parse("utilisation < 2.5 %").value == 0.025
    assert parse("diff.cost_per_million_tokens_pct > 10%").value == 10.0  # a *_pct metric is in percent
    with pytest.raises(InputError) as info:
        parse("monthly_cost[X] > 10%")
    assert str(info.value) == (
        "--fail-if: guardrail 'monthly_cost[X] > 10%': monthly_cost is no percent or share, so a % limit has no"
        " meaning for it; drop the % (a % limit is for utilisation, 50% = 0.5, and diff.*_pct)"
    )
    with pytest.raises(InputError, match="drop the %; for a change in percent write diff.monthly_cost_pct "):
        parse("diff.monthly_cost > 5%")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("montly_cost > 5", "unknown metric 'montly_cost' (did you mean: monthly_cost"),
        ("monthly_cost > lots", "'lots' is not a number"),
        ("monthly_cost 5", "cannot read it"),
        ("cheapest > 3", "cheapest compares with == or !="),
        ("__import__('os').system('x') > 1", "cannot read it"),
        ("diff.replicas > 1", "unknown metric 'replicas'"),
        ("cheapest[X] == Y", "takes no [option]"),
    ],
)
def test_bad_expressions_are_input_errors(text, needle):
    with pytest.raises(InputError) as err:
        parse(text)
    assert needle in str(err.value)
    assert err.value.exit_code == 2


def test_unknown_metric_lists_the_valid_names():
    with pytest.raises(InputError) as err:
        parse("cost > 5")
    assert "valid: monthly_cost, cost_per_million_tokens" in str(err.value)


def test_values_come_from_the_report(report):
    out = check_report(
        parse_all(
            [
                "monthly_cost[Rented GPUs] > 2000",
                "monthly_cost[Rented GPUs] > 3000",
                "cheapest != Rented GPUs",
                "monthly_cost < 2500",
            ]
        ),
        report,
    )
    assert [o.tripped for o in out] == [True, False, False, True]
    assert out[0].actual == pytest.approx(2460.0)
    assert out[3].actual == pytest.approx(2460.0)  # without an option: the cheapest option's
    assert out[0].describe() == (
        "monthly_cost[Rented GPUs] is 2,460, breaks the limit by 460 (fail if monthly_cost[Rented GPUs] > 2000; from --fail-if)"
    )
    assert out[1].describe() == (
        "monthly_cost[Rented GPUs] is 2,460, within the limit (fail if monthly_cost[Rented GPUs] > 3000; from --fail-if)"
    )


def test_unknown_option_is_an_input_error_listing_the_options(report):
    with pytest.raises(InputError) as err:
        check_report([parse("monthly_cost[Rented GPU] > 1")], report)
    assert "no option 'Rented GPU' (did you mean: Rented GPUs?); options: Explicit API, Rented GPUs, Seats" in str(
        err.value
    )
    with pytest.raises(InputError, match="no option 'Nope'"):
        check_report([parse("cheapest == Nope")], report)


def test_break_even_never_counts_as_infinite(base_scenario, today):
    base_scenario["options"][1]["hardware"]["hourly_usd"] = 500.0  # a replica dearer than the API at any volume
    report = analyze(base_scenario, today=today)
    [out] = check_report([parse("break_even_tokens[Rented GPUs] > 1T")], report)
    assert out.tripped and math.isinf(out.actual)
    assert "break_even_tokens[Rented GPUs] is never, breaks the limit" in out.describe()


def test_payback_applies_only_to_bought_hardware(report):
    with pytest.raises(InputError, match="payback_months.*does not apply"):
        check_report([parse("payback_months[Rented GPUs] > 18")], report)


def test_payback_of_bought_hardware(base_scenario, today):
    base_scenario["options"].append(
        {
            "name": "Owned GPUs",
            "kind": "self_hosted",
            "model": "llama-3.1-8b",
            "hardware": {
                "gpu": "h100-sxm-80gb",
                "acquisition": "buy",
                "price_usd": 30000,
                "useful_life_months": 48,
            },
            "throughput": base_scenario["options"][1]["throughput"],
            "power": {"electricity_usd_per_kwh": 0.1, "pue": 1.2},
        }
    )
    result = analyze(base_scenario, today=today)
    be = result.headline_break_even("Owned GPUs")
    [out] = check_report([parse("payback_months > 1")], result)
    expected = math.inf if be.payback_months is None else float(be.payback_months)
    assert out.actual == expected


def test_diff_metrics(report):
    options = list(report.options)
    options[1] = options[1].model_copy(update={"monthly_cost": options[1].monthly_cost * 1.25})
    head = report.model_copy(update={"options": tuple(options)})
    assert diff_metric(report, head, "monthly_cost_pct", "Rented GPUs") == pytest.approx(25.0)
    assert diff_metric(report, head, "monthly_cost", "Rented GPUs") == pytest.approx(615.0)
    out = check_diff(
        parse_all(["diff.monthly_cost_pct[Rented GPUs] > 10", "diff.monthly_cost_pct[Explicit API] > 10"]),
        report,
        head,
    )
    assert [o.tripped for o in out] == [True, False]


def test_diff_metric_in_report_is_an_input_error(report):
    with pytest.raises(InputError, match="only to `costcalc diff`"):
        check_report([parse("diff.monthly_cost_pct > 10")], report)


def test_scenario_guardrails_are_validated_on_load(base_scenario, write_yaml):
    from costcalc.api import load_scenario

    base_scenario["guardrails"] = ["monthly_cost > 1", "monthy_cost > 2"]
    with pytest.raises(InputError) as err:
        load_scenario(str(write_yaml(base_scenario)))
    assert "guardrails" in str(err.value) and "unknown metric 'monthy_cost'" in str(err.value)


def test_a_broken_limit_says_which_option_and_by_how_much(report):
    """A CI job's reader had to subtract ('monthly_cost is 2,460, breaks the limit (fail if monthly_cost > 2000') and
    guess which option a guardrail without [option] read; now the line says both, for reports and diffs."""
    out = check_report(
        parse_all(["monthly_cost > 2000", "utilisation[Rented GPUs] < 0.9", "cheapest == Rented GPUs"]), report
    )
    assert [o.describe() for o in out] == [
        "monthly_cost (Rented GPUs, the cheapest) is 2,460, breaks the limit by 460 (fail if monthly_cost > 2000; "
        "from --fail-if)",
        f"utilisation[Rented GPUs] is {out[1].actual:,.4g}, breaks the limit by {0.9 - out[1].actual:,.4g} (fail if "
        "utilisation[Rented GPUs] < 0.9; from --fail-if)",
        "cheapest is Rented GPUs, breaks the limit (fail if cheapest == Rented GPUs; from --fail-if)",
    ]
    options = list(report.options)
    options[1] = options[1].model_copy(update={"monthly_cost": 7000.0})  # dearer than the API: the cheapest changes
    head = report.model_copy(update={"options": tuple(options), "cheapest": "Seats"})
    [moved] = check_diff(parse_all(["diff.monthly_cost > 1000"]), report, head)
    assert moved.describe() == (
        "diff.monthly_cost (the cheapest: Rented GPUs before, Seats after) is 2,540, breaks the limit by 1,540 "
        "(fail if diff.monthly_cost > 1000; from --fail-if)"
    )
    [within] = check_diff(parse_all(["diff.monthly_cost[Explicit API] > 10"]), report, head)
    assert within.describe() == (
        "diff.monthly_cost[Explicit API] is 0, within the limit (fail if diff.monthly_cost[Explicit API] > 10; "
        "from --fail-if)"
    )


def test_a_metric_no_option_has_reads_n_a_and_passes_unless_an_option_is_named(report):
    """A repository's shared guardrail ('payback_months > 18' in ci's $COSTCALC_FAIL_IF) stopped every scenario
    without bought hardware with exit 2 ('payback_months does not apply here'), said in the PR comment as 'costcalc
    could not read' the scenario; no value breaks a limit, so it passes and says why. Named, it stays an error."""
    out = check_report(parse_all(["payback_months > 18", "break_even_tokens < 1"]), report)
    assert [(o.tripped, o.actual) for o in out] == [(False, None), (False, out[1].actual)]
    assert out[0].describe() == (
        "payback_months (no option buys hardware here) is n/a, within the limit (fail if payback_months > 18; "
        "from --fail-if)"
    )
    api_cheapest = report.model_copy(update={"cheapest": "Explicit API"})
    [replicas] = check_report(parse_all(["replicas > 2"]), api_cheapest)
    assert replicas.describe().startswith("replicas (Explicit API, the cheapest, has none) is n/a, within the limit")
    with pytest.raises(InputError, match="payback_months.*does not apply"):
        check_report([parse("payback_months[Rented GPUs] > 18")], report)
    # a break-even of 66.7B tokens read '66,718,386,346.00': no cents on a count; money below 100,000 keeps them
    assert [format_value(v) for v in (66_718_386_346.3, 1411.45, 0.33756)] == ["66,718,386,346", "1,411.45", "0.3376"]


def test_a_diff_to_or_from_never_says_what_happened(base_scenario, today):
    """polish10b: a break-even going from never to a value read 'is never' (the -infinity of the change, written as
    a report's never); the line now says what happened, both ways, and a percent change from zero says so too."""
    base = analyze(base_scenario, today=today)
    base_scenario["options"][1]["hardware"]["hourly_usd"] = 500.0  # a replica dearer than the API at any volume
    never = analyze(base_scenario, today=today)
    value = format_value(float(base.headline_break_even("Rented GPUs").tokens_per_month))
    check = parse_all(["diff.break_even_tokens[Rented GPUs] > 0"])
    [came] = check_diff(check, never, base)
    assert not came.tripped and came.actual == -math.inf
    assert came.describe().startswith(f"diff.break_even_tokens[Rented GPUs] went from never to {value}, within")
    [went] = check_diff(check, base, never)
    assert went.tripped
    assert went.describe().startswith(f"diff.break_even_tokens[Rented GPUs] went from {value} to never, breaks the")
    assert "is never" not in came.describe() + went.describe()
    [same] = check_diff(check, never, never)
    assert same.describe().startswith("diff.break_even_tokens[Rented GPUs] is 0 (never before and after), within")
    options = list(base.options)
    free = base.model_copy(update={"options": (options[0].model_copy(update={"monthly_cost": 0.0}), *options[1:])})
    [up] = check_diff(parse_all(["diff.monthly_cost_pct[Explicit API] > 10"]), free, base)
    assert up.tripped and up.actual == math.inf
    cost = format_value(options[0].monthly_cost)
    assert up.describe().startswith(
        f"diff.monthly_cost_pct[Explicit API] went from 0 to {cost} (up from zero: no percent), breaks the limit ("
    )
