"""Issue 11 point 3: each option's capex, monthly opex and horizon totals (cash and accrual) on every surface.

The terminal table, Markdown, HTML and CSV each show the Result's own numbers (parsed back here and compared with the
JSON), and the terminal table shows them by default, fitted to 80, 120 and 200 columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from costcalc.api import analyze
from costcalc.render import ReportFormat, report_table
from costcalc.report.result import Result

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
TODAY = dt.date(2026, 9, 1)
FIELDS = ("capex_upfront", "opex_monthly", "horizon_cash_total", "horizon_accrual_total")


def _scenario(*, buy: bool = True) -> dict[str, Any]:
    data = yaml.safe_load((GOLDEN / "scenario.yaml").read_text(encoding="utf-8"))
    data["horizon_months"] = 30
    data["options"][-1]["billing"] = "annual"  # seats prepaid: cash and accrual differ without hardware too
    if not buy:
        data["options"] = [o for o in data["options"] if o.get("hardware", {}).get("acquisition") != "buy"]
    return data


@pytest.fixture(scope="module")
def result() -> Result:
    return analyze(_scenario(), today=TODAY)


@pytest.fixture(scope="module")
def doc(result: Result) -> dict[str, dict[str, Any]]:
    text = ReportFormat.json.render(result)
    assert isinstance(text, str)
    return {o["name"]: o for o in json.loads(text)["options"]}


def amount(cell: str) -> float:
    """'$280,000 (1 server)' → 280000; '-' or 'leased' → 0 (nothing up front)."""
    if cell.strip() in ("-", "leased"):
        return 0.0
    match = re.match(r"(-?)\$([\d,]+(?:\.\d+)?)", cell.strip())
    assert match, cell
    return float(match[2].replace(",", "")) * (-1 if match[1] else 1)


def test_the_scenario_exercises_every_figure(doc: dict[str, dict[str, Any]]) -> None:
    # a bought server (capex, opex below the monthly cost, accrual below cash) and prepaid seats (cash above accrual)
    server, seats = doc["Owned server"], doc["Team seats"]
    assert server["capex_upfront"] > 0 and server["opex_monthly"] < server["monthly_cost"]
    assert server["horizon_accrual_total"] < server["horizon_cash_total"]
    assert seats["horizon_cash_total"] != pytest.approx(seats["horizon_accrual_total"])


def _table_rows(text: str, names: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The options table's header cells and each option's cells (cells are apart by two spaces or more)."""
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("Option "))
    header = re.split(r"\s{2,}", lines[top].strip())
    rows = {}
    for line in lines[top + 2 :]:
        if not line.strip():
            break
        name = next((n for n in names if line.startswith(n + "  ")), None)
        if name:
            rows[name] = re.split(r"\s{2,}", line.strip())
    assert sorted(rows) == sorted(names), text
    return header, rows


@pytest.mark.parametrize("width", [80, 120, 200])
def test_the_default_terminal_table_shows_capex_and_cash_from_the_result(
    result: Result, doc: dict[str, dict[str, Any]], width: int
) -> None:
    text = report_table.render(result, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    header, rows = _table_rows(text, list(doc))
    shown = {"Capex": "capex_upfront", "Opex/mo": "opex_monthly", "Cash 30 mo": "horizon_cash_total"}
    shown["Accrual 30 mo"] = "horizon_accrual_total"
    assert "Capex" in header and "Cash 30 mo" in header  # the two a lead reads first stay at 80 columns
    if width >= 120:
        assert "Opex/mo" in header
    if width >= 200:
        assert "Accrual 30 mo" in header
    for name, cells in rows.items():
        for title, key in shown.items():
            if title in header:
                assert amount(cells[header.index(title)]) == pytest.approx(doc[name][key], abs=0.5), (name, title)


def test_the_cost_per_million_tokens_stays_at_80_columns_where_opex_gives_way(
    result: Result, doc: dict[str, dict[str, Any]]
) -> None:
    # a lead compares options per 1M tokens; opex a month is in the capex bullet below the table
    text = report_table.render(result, width=80)
    header, rows = _table_rows(text, list(doc))
    per_million = next(i for i, cell in enumerate(header) if cell.endswith("tok"))
    assert "USD/1M" in text.split("Option ")[0] + header[per_million], text
    assert "Opex/mo" not in header and "Opex/mo" in text.split("Not shown at 80 columns:")[1], text
    for name, cells in rows.items():
        assert amount(cells[per_million]) == pytest.approx(doc[name]["cost_per_million_tokens"], abs=0.005), name


def test_columns_that_tell_nothing_are_left_out() -> None:
    data = _scenario(buy=False)
    data["options"] = data["options"][:-1]  # no seats either: nothing bought or prepaid
    result = analyze(data, today=TODAY)
    header, _ = _table_rows(report_table.render(result, width=200), [o.name for o in result.options])
    assert "Cash 30 mo" in header  # growth makes the horizon's cash more than 30 months of today's bill
    assert not {"Capex", "Opex/mo", "Accrual 30 mo"} & set(header), header  # nothing bought or prepaid


def test_prepaid_seats_show_accrual_without_capex() -> None:
    result = analyze(_scenario(buy=False), today=TODAY)
    header, rows = _table_rows(report_table.render(result, width=200), [o.name for o in result.options])
    assert "Capex" not in header and "Opex/mo" not in header
    seats = result.option("Team seats")
    cells = rows["Team seats"]
    assert amount(cells[header.index("Cash 30 mo")]) == pytest.approx(seats.horizon_cash_total, abs=0.5)
    assert amount(cells[header.index("Accrual 30 mo")]) == pytest.approx(seats.horizon_accrual_total, abs=0.5)


def test_a_leased_server_reads_leased_under_capex() -> None:
    data = _scenario()
    server = next(o for o in data["options"] if o["name"] == "Owned server")
    server["hardware"] = {
        "gpu": "h100-sxm-80gb",
        "gpus_per_replica": 8,
        "acquisition": "lease",
        "lease": {"usd_per_month": 9000, "term_months": 30},
    }
    result = analyze(data, today=TODAY)
    header, rows = _table_rows(report_table.render(result, width=120), [o.name for o in result.options])
    assert rows["Owned server"][header.index("Capex")] == "leased"
    assert {rows[o.name][header.index("Capex")] for o in result.options if o.name != "Owned server"} == {"-"}


def test_markdown_carries_each_options_money(result: Result, doc: dict[str, dict[str, Any]]) -> None:
    text = ReportFormat.markdown.render(result)
    assert isinstance(text, str)
    block = text.split("**Money over 30 months**", 1)[1].split("\n\n", 2)[1]
    # GitHub shows &nbsp; as a space that does not break: read the cells as rendered
    rendered = html.unescape(block).replace("\xa0", " ")
    lines = [[c.strip().strip("*") for c in line.strip("|").split("|")] for line in rendered.splitlines()]
    _check_money_table(lines[0], lines[2:], doc)


class _Tables(HTMLParser):
    """Every <table>'s rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_html_carries_each_options_money(result: Result, doc: dict[str, dict[str, Any]]) -> None:
    text = ReportFormat.html.render(result)
    assert isinstance(text, str)
    parser = _Tables()
    parser.feed(text)
    table = next(t for t in parser.tables if t and "Cash 30 mo" in t[0])
    _check_money_table(table[0], table[1:], doc)


def _check_money_table(header: list[str], rows: list[list[str]], doc: dict[str, dict[str, Any]]) -> None:
    columns = {"Capex": "capex_upfront", "Opex/mo": "opex_monthly", "Cash 30 mo": "horizon_cash_total"}
    columns["Accrual 30 mo"] = "horizon_accrual_total"
    assert set(columns) <= set(header), header
    assert sorted(row[0] for row in rows) == sorted(doc)
    for row in rows:
        for title, key in columns.items():
            assert amount(row[header.index(title)]) == pytest.approx(doc[row[0]][key], abs=0.5), (row[0], title)


def test_csv_carries_each_options_money(result: Result, doc: dict[str, dict[str, Any]]) -> None:
    text = ReportFormat.csv.render(result)
    assert isinstance(text, str)
    rows = {r["option"]: r for r in csv.DictReader(io.StringIO(text))}
    assert sorted(rows) == sorted(doc)
    for name, option in doc.items():
        for key in FIELDS:
            assert float(rows[name][f"{key}_usd"]) == pytest.approx(option[key], rel=1e-6, abs=1e-6), (name, key)
