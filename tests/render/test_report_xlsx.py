"""The budget workbook: its sheets open in openpyxl and pandas, and every number equals the JSON report's."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.api import analyze
from costcalc.cli import app
from costcalc.render import ReportFormat
from costcalc.render.report_xlsx import SHEETS

openpyxl = pytest.importorskip("openpyxl")
pd = pytest.importorskip("pandas")

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
TODAY = dt.date(2026, 9, 1)


@pytest.fixture(scope="module")
def report() -> tuple[bytes, dict]:
    import yaml

    data = yaml.safe_load((GOLDEN / "scenario.yaml").read_text(encoding="utf-8"))
    data["horizon_months"] = 30
    data["fiscal_year_start_month"] = 4
    data["discount_rate_per_year"] = 0.08
    data["options"][-1]["billing"] = "annual"  # seats prepaid each year
    data["options"][3]["hardware"]["useful_life_months"] = 12  # replaced in months 13 and 25
    del data["options"][3]["power"]["pue"]  # the data-centre table's: a dated source in the Assumptions sheet
    result = analyze(data, today=TODAY)
    workbook = ReportFormat.xlsx.render(result)
    assert isinstance(workbook, bytes)
    return workbook, json.loads(ReportFormat.json.render(result))


def test_sheets_open_in_openpyxl_and_pandas(report: tuple[bytes, dict]) -> None:
    workbook, _ = report
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    assert tuple(book.sheetnames) == SHEETS
    frames = pd.read_excel(io.BytesIO(workbook), sheet_name=None)
    assert tuple(frames) == SHEETS


def test_options_sheet_equals_the_json(report: tuple[bytes, dict]) -> None:
    workbook, data = report
    frame = pd.read_excel(io.BytesIO(workbook), sheet_name="Options").set_index("Option")
    columns = {
        "Monthly cost": "monthly_cost",
        "Capex up front": "capex_upfront",
        "Prepaid up front": "prepaid_upfront",
        "Opex per month": "opex_monthly",
        "Cash over the horizon": "horizon_cash_total",
        "Accrual over the horizon": "horizon_accrual_total",
        "Terminal value": "terminal_value",
        "NPV": "npv",
    }
    for option in data["options"]:
        row = frame.loc[option["name"]]
        for title, key in columns.items():
            assert row[title] == pytest.approx(option[key], rel=1e-9), (option["name"], key)
    owned = next(b for b in data["break_even"] if b["option"] == "Owned server" and b["versus"] == "Cheap API")
    assert frame.loc["Owned server", "Payback note"] == owned["payback_reason"]
    assert frame.loc["Owned server", "Servers"] == 1


def test_options_sheet_names_the_price_rows_behind_each_option(report: tuple[bytes, dict]) -> None:
    """qa17 (session 17): the CSV named the price rows behind an option's figures, with their dates and sources, and
    the workbook's Options sheet did not. Each option's cells list the JSON's prices[] in order; empty where none."""
    workbook, data = report
    frame = pd.read_excel(io.BytesIO(workbook), sheet_name="Options").set_index("Option")
    assert any(option["prices"] for option in data["options"])  # the fixture prices one option from a table
    for option in data["options"]:
        rows = "; ".join(
            f"{p['table']} {p['id']} (as of {p['as_of']}{', stale' if p['stale'] else ''})" for p in option["prices"]
        )
        sources = " | ".join(p["source"] for p in option["prices"])
        row = frame.loc[option["name"]]
        assert (row["Price rows"] if isinstance(row["Price rows"], str) else "") == rows, option["name"]
        assert (row["Price sources"] if isinstance(row["Price sources"], str) else "") == sources, option["name"]


def test_timeline_and_fiscal_years_equal_the_json(report: tuple[bytes, dict]) -> None:
    workbook, data = report
    timeline = pd.read_excel(io.BytesIO(workbook), sheet_name="Timeline")
    t = data["timeline"]
    assert list(timeline["Month"]) == t["months"]
    assert timeline["Calendar month"].iloc[0] == pd.Timestamp("2026-09-01")
    assert timeline["Calendar month"].iloc[12] == pd.Timestamp("2027-09-01")
    for name in t["monthly_cost"]:
        for measure, key in (
            ("accrual", "monthly_cost"),
            ("cash", "monthly_cash"),
            ("capex", "capex"),
            ("opex", "opex"),
        ):
            assert list(timeline[f"{name}: {measure}"]) == pytest.approx(t[key][name], rel=1e-9), (name, measure)
    assert [m for m, c in zip(t["months"], timeline["Owned server: capex"]) if c > 0] == [1, 13, 25]
    years = pd.read_excel(io.BytesIO(workbook), sheet_name="Fiscal years")
    # from September 2026 with years starting in April: FY2027 holds Sep-Mar (7 months), then 12, 11 months
    assert list(dict.fromkeys(years["Fiscal year"])) == ["FY2027", "FY2028", "FY2029"]
    for year in data["fiscal_years"]:
        rows = years[years["Fiscal year"] == year["label"]].set_index("Option")
        assert set(rows["Months"]) == {year["months"]}
        for name in year["capex"]:
            assert rows.loc[name, "CapEx"] == pytest.approx(year["capex"][name], rel=1e-9, abs=1e-9)
            assert rows.loc[name, "OpEx"] == pytest.approx(year["opex"][name], rel=1e-9, abs=1e-9)
            assert rows.loc[name, "Accrual"] == pytest.approx(year["accrual"][name], rel=1e-9, abs=1e-9)


def test_numbers_are_numbers_with_formats_and_dates_are_dates(report: tuple[bytes, dict]) -> None:
    workbook, _ = report
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    options = book["Options"]
    headers = [c.value for c in options[1]]
    money = options.cell(row=2, column=headers.index("Cash over the horizon") + 1)
    assert money.data_type == "n" and isinstance(money.value, float) and money.number_format == "#,##0.00"
    irr = options.cell(row=5, column=headers.index("IRR per year") + 1)  # Owned server: a share, formatted as one
    assert irr.number_format == "0.0%"
    month = book["Timeline"].cell(row=2, column=2)
    assert month.is_date and month.number_format == "mmm yyyy"
    for row in book["Fiscal years"].iter_rows(min_row=2, min_col=5, max_col=8):
        assert all(c.data_type == "n" for c in row)
    sources = book["Assumptions"]
    header_row = next(r for r in sources.iter_rows() if r[0].value == "Table")[0].row
    as_of = [r[2] for r in sources.iter_rows(min_row=header_row + 1) if r[0].value]
    assert as_of and all(c.is_date and c.number_format == "yyyy-mm-dd" for c in as_of)


def test_cli_writes_the_workbook_and_refuses_without_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOLDEN)
    out = tmp_path / "report.xlsx"
    result = CliRunner().invoke(app, ["report", "scenario.yaml", "-o", str(out), "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.stderr
    assert openpyxl.load_workbook(out).sheetnames == list(SHEETS)
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if the extra were not installed
    missing = tmp_path / "missing.xlsx"
    result = CliRunner().invoke(app, ["report", "scenario.yaml", "-o", str(missing), "--today", TODAY.isoformat()])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: xlsx output needs openpyxl: pip install 'openpyxl>=3.1', or use --format csv\n"  # once, not led by it
    )
    assert not missing.exists()
