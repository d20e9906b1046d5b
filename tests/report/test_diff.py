"""Diff of two reports: options matched by name, cheapest and break-even changes, changed inputs with sources."""

from __future__ import annotations

import copy
import json
import math

import pytest

from costcalc.analysis.sides import load_side
from costcalc.errors import InputError
from costcalc.render.report_json import render as render_json
from costcalc.report.diff import compare


@pytest.fixture
def sides(base_scenario, write_yaml, today):
    head = copy.deepcopy(base_scenario)
    head["options"][1]["hardware"]["hourly_usd"] = 4.0  # rented: 730 h x $4 + $1,000 labour = $3,920
    head["options"].pop(2)  # seats removed
    head["options"].append(
        {
            "name": "Cheap API",
            "kind": "api",
            "prices": {"input_usd_per_mtok": 0.1, "output_usd_per_mtok": 0.4},
        }
    )
    base = load_side(str(write_yaml(base_scenario, "base.yaml")), today=today)
    after = load_side(str(write_yaml(head, "head.yaml")), today=today)
    return base, after


def test_options_before_after_and_change(sides):
    d = compare(*sides)
    by = {o.name: o for o in d.options}
    assert [o.name for o in d.options] == ["Explicit API", "Rented GPUs", "Cheap API", "Seats"]
    rented = by["Rented GPUs"]
    assert rented.status == "changed"
    assert rented.monthly_cost_before == pytest.approx(2460.0)
    assert rented.monthly_cost_after == pytest.approx(3920.0)
    assert rented.monthly_cost_change == pytest.approx(1460.0)
    assert rented.monthly_cost_change_pct == pytest.approx(1460 / 2460 * 100)
    assert by["Explicit API"].status == "unchanged"
    assert by["Cheap API"].status == "added" and by["Cheap API"].monthly_cost_before is None
    assert by["Seats"].status == "removed" and by["Seats"].monthly_cost_after is None


def test_cheapest_and_break_even_changes(sides):
    d = compare(*sides)
    assert (d.cheapest_before, d.cheapest_after, d.cheapest_changed) == (
        "Rented GPUs",
        "Cheap API",
        True,
    )
    rented = next(o for o in d.options if o.name == "Rented GPUs")
    # before: $2,460 / $0.002 = 1.23M requests x 1,250 tokens. After, versus the $0.0002/request API: a full
    # replica costs $4 x 730 h / 6.57M requests = $0.00044 a request, more than the API, so never
    assert rented.break_even_tokens_before == pytest.approx(1_230_000 * 1250)
    assert rented.break_even_tokens_after == math.inf


def test_changed_inputs_name_the_fields(sides):
    d = compare(*sides)
    paths = {c.path: c for c in d.inputs if c.what == "scenario"}
    assert paths["options[Rented GPUs].hardware.hourly_usd"].before == 2.0
    assert paths["options[Rented GPUs].hardware.hourly_usd"].after == 4.0
    assert (paths["options[Cheap API]"].before, paths["options[Cheap API]"].after) == (
        "absent",
        "present",
    )
    assert (paths["options[Seats]"].before, paths["options[Seats]"].after) == ("present", "absent")
    assert not [p for p in paths if p.startswith(("options[Seats].", "options[Cheap API]."))]


def test_price_rows_show_their_source(base_scenario, write_yaml, today):
    head = copy.deepcopy(base_scenario)
    head["options"][0] = {"name": "Explicit API", "kind": "api", "model": "openai/gpt-5-mini"}
    d = compare(
        load_side(str(write_yaml(base_scenario, "b.yaml")), today=today),
        load_side(str(write_yaml(head, "h.yaml")), today=today),
    )
    price = [c for c in d.inputs if c.what == "price"]
    assert price and price[0].path.startswith("api openai/gpt-5-mini")
    assert price[0].source and price[0].as_of


def test_a_saved_json_report_equals_its_scenario(base_scenario, write_yaml, tmp_path, today):
    from costcalc.api import analyze

    path = write_yaml(base_scenario)
    saved = tmp_path / "base.json"
    saved.write_text(render_json(analyze(str(path), today=today)), encoding="utf-8")
    d = compare(load_side(str(saved)), load_side(str(path), today=today))
    assert all(o.status == "unchanged" for o in d.options)
    assert not d.cheapest_changed


def test_json_side_errors(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not JSON"):
        load_side(str(bad))
    bad.write_text(json.dumps({"a": 1}), encoding="utf-8")
    with pytest.raises(InputError, match="not a costcalc JSON report"):
        load_side(str(bad))
    bad.write_text(json.dumps({"schema_version": "2.0", "options": []}), encoding="utf-8")
    with pytest.raises(InputError, match="schema_version 2.0"):
        load_side(str(bad))


def test_diff_renderers_are_deterministic_and_complete(sides):
    from costcalc.models.guardrails import parse_all
    from costcalc.render import diff_json, diff_markdown, diff_table
    from costcalc.report.guardrails import check_diff

    d = compare(*sides)
    outcomes = check_diff(parse_all(["diff.monthly_cost_pct[Rented GPUs] > 10"]), d.base, d.head)
    md = diff_markdown.render(d, outcomes=outcomes)
    assert md == diff_markdown.render(compare(*sides), outcomes=outcomes)
    assert md.startswith(diff_markdown.MARKER)
    assert "Cheapest option changed: Rented GPUs → Cheap API" in md
    assert "| Rented GPUs | self-hosted | $2,460 | $3,920 | +$1,460 | +59.3% |" in md
    assert "_(removed)_" in md and "_(added)_" in md
    assert md.count("<details>") == 3 and md.count("</details>") == 3
    assert (  # Markdown-escaped: option names are user text
        ":x: fail: diff.monthly_cost_pct\\[Rented GPUs\\] is 59.35, breaks the limit by 49.35"
        " (fail if diff.monthly_cost_pct\\[Rented GPUs\\] > 10; from --fail-if)" in md
    )
    data = json.loads(diff_json.render(d, outcomes=outcomes))
    assert data["cheapest"] == {"before": "Rented GPUs", "after": "Cheap API", "changed": True}
    assert data["guardrails"][0]["tripped"] is True
    text = diff_table.render(d, outcomes=outcomes)
    assert "+$1,460" in text and "is 59.35, breaks the limit by 49.35 (fail if" in text


def test_markdown_comment_matches_the_golden_file(sides):
    import os
    from pathlib import Path

    from costcalc.models.guardrails import parse_all
    from costcalc.render import diff_markdown
    from costcalc.report.guardrails import check_diff

    d = compare(*sides)
    outcomes = check_diff(parse_all(["diff.monthly_cost_pct > 10"]), d.base, d.head)
    text = diff_markdown.render(d, outcomes=outcomes)
    # labels are temporary paths: pin them
    text = text.replace(d.base_label, "base.yaml").replace(d.head_label, "head.yaml")
    golden = Path(__file__).parent.parent / "render" / "golden" / "diff.md"
    if os.environ.get("COSTCALC_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "re-run with COSTCALC_UPDATE_GOLDEN=1 if intended"


def _inputs(base_scenario, write_yaml, today, before: dict, after: dict) -> list[tuple[str, object, object]]:
    """(path, before, after) of every changed scenario field between the base scenario with `before` and `after`."""
    sides = [
        load_side(str(write_yaml({**copy.deepcopy(base_scenario), **extra}, f"{name}.yaml")), today=today)
        for name, extra in (("before", before), ("after", after))
    ]
    return [(c.path, c.before, c.after) for c in compare(*sides).inputs if c.what == "scenario"]


ANTHROPIC = {"provider": "anthropic", "discount": 0.15}
OPENAI = {"provider": "openai", "discount": 0.1}


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        # a list that appears: its entry, not "pricing: [] → (none)"
        ({}, {"pricing": [ANTHROPIC]}, [("pricing[0]", "absent", {"table": "api", **ANTHROPIC})]),
        ({"pricing": [ANTHROPIC]}, {}, [("pricing[0]", {"table": "api", **ANTHROPIC}, "absent")]),
        # grows and shrinks: the entry added or removed
        (
            {"pricing": [ANTHROPIC]},
            {"pricing": [ANTHROPIC, OPENAI]},
            [("pricing[1]", "absent", {"table": "api", **OPENAI})],
        ),
        (
            {"pricing": [ANTHROPIC, OPENAI]},
            {"pricing": [ANTHROPIC]},
            [("pricing[1]", {"table": "api", **OPENAI}, "absent")],
        ),
        # an entry on both sides: field by field
        ({"pricing": [ANTHROPIC]}, {"pricing": [{**ANTHROPIC, "discount": 0.3}]}, [("pricing[0].discount", 0.15, 0.3)]),
        # a list of plain values: the whole list, before and after
        ({}, {"guardrails": ["monthly_cost > 1"]}, [("guardrails", [], ["monthly_cost > 1"])]),
    ],
)
def test_changed_inputs_of_lists_that_appear_grow_or_shrink(base_scenario, write_yaml, today, before, after, expected):
    assert _inputs(base_scenario, write_yaml, today, before, after) == expected


def test_an_added_list_entry_reads_as_one_line(base_scenario, write_yaml, today):
    from costcalc.render import diff_markdown, diff_table

    sides = [
        load_side(str(write_yaml({**copy.deepcopy(base_scenario), **extra}, f"{name}.yaml")), today=today)
        for name, extra in (("a", {}), ("b", {"pricing": [ANTHROPIC]}))
    ]
    d = compare(*sides)
    table = diff_table.render(d, width=120)
    assert "  pricing[0]: absent → {table: api, provider: anthropic, discount: 0.15}\n" in table
    assert "pricing: []" not in table and "(none)" not in table
    assert "| `pricing[0]` | absent | {table: api, provider: anthropic, discount: 0.15} |" in diff_markdown.render(d)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_change_is_the_difference_of_the_before_and_after_cells(base_scenario, write_yaml, today, fmt):
    """$2,460 → $2,473.43 reads '$2,460 | $2,473 | +$13' (qa9: '+$13.43' with cents beside whole dollars)."""
    from costcalc.render import diff_markdown, diff_table

    head = copy.deepcopy(base_scenario)
    head["options"][1]["hardware"]["hourly_usd"] = 2.0184  # 730 h x $2.0184 + $1,000 labour = $2,473.43
    d = compare(
        load_side(str(write_yaml(base_scenario, "b.yaml")), today=today),
        load_side(str(write_yaml(head, "h.yaml")), today=today),
    )
    assert next(o for o in d.options if o.name == "Rented GPUs").monthly_cost_change == pytest.approx(13.432)
    text = diff_table.render(d) if fmt == "table" else diff_markdown.render(d)
    row = next(line for line in text.splitlines() if line.lstrip("|* ").startswith("Rented GPUs") and "$2,460" in line)
    cells = row.replace("|", " ").split()
    assert cells[cells.index("$2,460") :][:4] == ["$2,460", "$2,473", "+$13", "+0.5%"]
    assert "+$13.43" not in text
