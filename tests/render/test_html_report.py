"""The HTML report: well-formed, self-contained (nothing external, no scripts), holds the JSON report's numbers."""

from __future__ import annotations

import copy
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from costcalc.analysis.curves import cost_curves
from costcalc.api import analyze, load_scenario, price_book
from costcalc.render import ReportFormat
from costcalc.render.escape import xml_prose
from costcalc.render.numbers import money, tokens
from costcalc.resolve import resolve_scenario

GOLDEN = Path(__file__).parent / "golden" / "report.html"
VOID = {
    "meta",
    "link",
    "br",
    "hr",
    "img",
    "input",
    "source",
    "col",
    "area",
    "base",
    "wbr",
    "track",
    "embed",
}
SVG_VOID_OK = {"line", "rect", "circle", "polyline", "path"}  # self-closed in SVG


class Strict(HTMLParser):
    """Tracks open elements; records every mismatch, every attribute value and every tag name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        self.ids += [v for k, v in attrs if k == "id"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        if tag not in VOID and tag not in SVG_VOID_OK:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()


def _report(scenario_data, today):
    scenario = load_scenario(scenario_data)
    result = analyze(scenario, today=today)
    resolved = resolve_scenario(scenario, price_book(scenario))
    marks = [b.tokens_per_month for b in result.break_even if b.tokens_per_month]
    curves = cost_curves(resolved, include_tokens_per_month=marks)
    return result, ReportFormat.html.render(result, curves=curves)


@pytest.fixture
def report(base_scenario, today):
    return _report(base_scenario, today)


def test_html_is_well_formed(report):
    _, html = report
    p = Strict()
    p.feed(html)
    p.close()
    assert p.errors == [] and p.stack == []
    assert html.startswith("<!DOCTYPE html>")
    assert {"verdict", "cost-volume", "cumulative", "breakdown"} <= set(p.ids)
    for chunk in re.findall(r"<svg.*?</svg>", html, flags=re.DOTALL):
        ET.fromstring(chunk)  # each chart is well-formed XML


def test_nothing_external_and_no_scripts(report):
    _, html = report
    p = Strict()
    p.feed(html)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(p.tags)
    for name, value in p.attrs:
        assert name not in ("src", "href") or value.startswith("#"), (name, value)
        assert not name.startswith("on"), name  # no event handlers
        assert "url(" not in value
    css = re.search(r"<style>(.*?)</style>", html, flags=re.DOTALL).group(1)
    assert "url(" not in css and "@import" not in css and "http" not in css
    assert 'xmlns="http://www.w3.org/2000/svg"' in html  # a namespace name, not a fetch


def test_html_holds_the_numbers_of_the_json_report(report):
    result, html = report
    data = json.loads(ReportFormat.json.render(result))
    for o in data["options"]:
        assert money(o["monthly_cost"]) in html
        assert money(o["cost_per_million_tokens"]) in html
        cell = re.search(rf"data-option='{re.escape(o['name'])}'>.*?data-usd='([^']+)'", html)
        assert float(cell.group(1)) == pytest.approx(o["monthly_cost"], abs=1e-6)
    for b in data["break_even"]:
        if b["tokens_per_month"] is not None:
            assert tokens(b["tokens_per_month"]) in html
    for line in data["verdict"] + data["assumptions"]:  # escaped, each flag and hyphenated id kept whole
        assert xml_prose(line) in html
    today_line = re.search(r'class="current-volume" data-volume="([^"]+)"', html)
    assert float(today_line.group(1)) == pytest.approx(data["workload"]["tokens_per_month"], rel=1e-11)


def test_html_is_deterministic_and_matches_the_golden_file(base_scenario, today):
    _, first = _report(base_scenario, today)
    _, second = _report(base_scenario, today)
    assert first == second
    if os.environ.get("COSTCALC_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(first, encoding="utf-8")
    assert first == GOLDEN.read_text(encoding="utf-8"), "re-run with COSTCALC_UPDATE_GOLDEN=1 if the change is intended"


def test_cli_writes_one_self_contained_file(base_scenario, write_yaml, tmp_path, today):
    from typer.testing import CliRunner

    from costcalc.cli import app

    out = tmp_path / "report.html"
    r = CliRunner().invoke(
        app,
        [
            "report",
            str(write_yaml(base_scenario)),
            "-f",
            "html",
            "-o",
            str(out),
            "--today",
            today.isoformat(),
        ],
    )
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") == 6  # each chart twice: wide screens and phones and 'class="break-even"' in html


def test_sensitivity_adds_a_tornado(base_scenario, write_yaml, tmp_path, today):
    from typer.testing import CliRunner

    from costcalc.cli import app

    path = str(write_yaml(base_scenario))
    r = CliRunner().invoke(app, ["report", path, "--sensitivity", "--today", today.isoformat()])
    assert r.exit_code == 2 and "add --format html" in r.stderr
    out = tmp_path / "r.html"
    r = CliRunner().invoke(
        app,
        [
            "report",
            path,
            "-f",
            "html",
            "--sensitivity",
            "-o",
            str(out),
            "--today",
            today.isoformat(),
        ],
    )
    assert r.exit_code == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert "id='tornado'" in html and html.count("<svg") == 8  # each chart twice: wide screens and phones
    ET.fromstring(re.findall(r"<svg.*?</svg>", html, flags=re.DOTALL)[-1])


def test_every_figure_of_the_phone_cards_is_labelled(report):
    # Under 600 px a table.options row is a card: each figure cell shows its data-label, the name cell heads it.
    _, html = report
    for table in re.findall(r"<table class='options[^']*'>.*?</table>", html, flags=re.DOTALL):
        body = table.split("<tbody>", 1)[1]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.DOTALL):
            cells = re.findall(r"<td([^>]*)>", row)
            assert "class='name'" in cells[0], row
            assert all("data-label='" in c for c in cells[1:]), row


def test_a_free_options_zero_line_is_said_in_the_caption_and_the_charts_subtitle(base_scenario, today):
    # a $0 option is drawn on a $0 line under the log axis past a break (render/svg/cost_volume.py); the figure's
    # caption said only "both axes logarithmic", which a $0 cannot be on; it now says where $0 is, and only then
    from costcalc.render.chart import document

    free = copy.deepcopy(base_scenario)
    free["options"].append(
        {"name": "Free API", "kind": "api", "prices": {"input_usd_per_mtok": 0, "output_usd_per_mtok": 0}}
    )
    _, html = _report(free, today)
    assert "A cost of $0 (a free option) lies on the $0 line under the axis break." in html
    _, paid = _report(base_scenario, today)
    assert "axis break" not in paid
    scenario = load_scenario(free)
    curves = cost_curves(resolve_scenario(scenario, price_book(scenario)))
    assert "both axes logarithmic; $0 under the axis break)" in document(
        analyze(scenario, today=today), "breakeven", curves=curves
    )
