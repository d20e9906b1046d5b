"""The report as a workbook for a budget: Summary, Options, Timeline, Fiscal years, Assumptions (openpyxl, bytes).

Every figure is the Result's, stored as a number (or a date) with a number format, never as text; the
timeline's calendar months count from the report day's month. Needs openpyxl: `pip install 'openpyxl>=3.1'` (pyproject's xlsx extra).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from costcalc.errors import InputError
from costcalc.render.warning_places import placed
from costcalc.report.option_table import option_range, price_refs
from costcalc.report.result import OptionResult, Result

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SHEETS = ("Summary", "Options", "Timeline", "Fiscal years", "Assumptions")
SOURCES_SHEET = SHEETS[-1]  # each price row's date, stale mark and source, under the assumptions
MONEY = "#,##0.00"
SHARE = "0.0%"
MONTHS = "0.00"
FACTOR = '0.00"x"'  # actual throughput as a factor of the estimate: 0.22x
COUNT = "#,##0"
DATE = "yyyy-mm-dd"
MONTH = "mmm yyyy"
INSTALL_HINT = "xlsx output needs openpyxl: pip install 'openpyxl>=3.1', or use format=csv"

# Options sheet: (header, what it reads from an option and its headline break-even, number format)
OPTION_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("Option", "name", None),
    ("Kind", "kind", None),
    ("Acquisition", "acquisition", None),
    ("Monthly cost", "monthly_cost", MONEY),
    ("Cost per 1M tokens", "cost_per_million_tokens", "#,##0.0000"),
    ("Monthly cost, range from", "range.cost_low", MONEY),  # at the high end of actual throughput
    ("Monthly cost, range to", "range.cost_high", MONEY),
    ("Actual / estimate, from", "range.low", FACTOR),
    ("Actual / estimate, to", "range.high", FACTOR),
    ("Range source", "range.source", None),  # held_out_band | published_runs | architecture_runs
    ("Capex up front", "capex_upfront", MONEY),
    ("Prepaid up front", "prepaid_upfront", MONEY),
    ("Opex per month", "opex_monthly", MONEY),
    ("Cash over the horizon", "horizon_cash_total", MONEY),
    ("Accrual over the horizon", "horizon_accrual_total", MONEY),
    ("Terminal value", "terminal_value", MONEY),
    ("NPV", "npv", MONEY),
    ("Servers", "servers", COUNT),
    ("Workstations", "workstations", COUNT),
    ("Instances", "instances", COUNT),
    ("Replicas", "replicas", COUNT),
    ("GPUs", "gpus", COUNT),
    ("Utilisation", "utilisation", SHARE),
    ("Site", "site", None),
    ("Useful life, months", "useful_life_months", COUNT),
    ("At end of life", "at_end_of_life", None),
    ("Seats", "seats", COUNT),
    ("Break-even versus", "be.versus", None),
    ("Break-even tokens per month", "be.tokens_per_month", COUNT),
    ("Payback month", "be.payback_months", COUNT),
    ("Payback, months", "be.payback_months_exact", MONTHS),
    ("Discounted payback, months", "be.discounted_payback_months", MONTHS),
    ("IRR per year", "be.irr_per_year", SHARE),
    ("Payback note", "be.payback_reason", None),
    ("Price rows", "refs.rows", None),  # the price rows behind the figures, with their dates (report -f csv's prices)
    ("Price sources", "refs.sources", None),
)
TIMELINE_MEASURES = (("accrual", "monthly_cost"), ("cash", "monthly_cash"), ("capex", "capex"), ("opex", "opex"))


def render(result: Result) -> bytes:
    """The workbook's bytes."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise InputError(INSTALL_HINT, param="format", mentions=("format",), named=True) from None
    book = Workbook()
    book.remove(book.active)
    _summary(book.create_sheet("Summary"), result)
    _options(book.create_sheet("Options"), result)
    _timeline(book.create_sheet("Timeline"), result)
    _fiscal_years(book.create_sheet("Fiscal years"), result)
    _assumptions(book.create_sheet(SOURCES_SHEET), result)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _month_start(result: Result, month: int) -> dt.date | None:
    """Calendar month (its first day) of timeline month `month` (1 = the report day's month)."""
    if result.start_month is None:
        return None
    year, first = (int(x) for x in result.start_month.split("-"))
    index = first - 1 + month - 1
    return dt.date(year + index // 12, index % 12 + 1, 1)


def _header(sheet: Worksheet, titles: Sequence[str], row: int = 1) -> None:
    from openpyxl.styles import Font

    for col, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=col, value=title)
        cell.font = Font(bold=True)


def _put(sheet: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> None:
    cell = sheet.cell(row=row, column=col, value=value)
    if fmt is not None and value is not None and not isinstance(value, str):
        cell.number_format = fmt


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width


def dates_where(*, details: bool = False) -> str:
    """Where the workbook shows the price dates: its last sheet."""
    return f"on the {SOURCES_SHEET} sheet"


def _summary(sheet: Worksheet, result: Result) -> None:
    from openpyxl.styles import Font

    sheet.cell(row=1, column=1, value=result.scenario).font = Font(bold=True, size=14)
    facts: list[tuple[str, Any, str | None]] = [
        ("Currency", result.currency, None),
        ("First month", _month_start(result, 1), MONTH),
        ("Horizon, months", result.horizon_months, COUNT),
        ("Discount rate per year", result.discount_rate_per_year, SHARE),
        ("Fiscal year starts in month", result.fiscal_year_start_month, COUNT),
        ("Tokens per month", result.workload.tokens_per_month, COUNT),
        ("Requests per month", result.workload.requests_per_month, COUNT),
        ("Growth per month", result.workload.growth_per_month, SHARE),
        ("Cheapest now", result.cheapest, None),
        ("Oldest price used", result.pricing_as_of, DATE),
    ]
    row = 3
    for label, value, fmt in facts:
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        _put(sheet, row, 2, value, fmt)
        row += 1
    warnings = placed(result.warnings, dates_where())
    for title, lines in (("Answer", result.headline), ("Details", result.verdict), ("Warnings", warnings)):
        if not lines:
            continue
        row += 1
        sheet.cell(row=row, column=1, value=title).font = Font(bold=True)
        for line in lines:
            row += 1
            sheet.cell(row=row, column=1, value=line)
    _widths(sheet, (30, 24))


def _options(sheet: Worksheet, result: Result) -> None:
    _header(sheet, [title for title, _, _ in OPTION_COLUMNS])
    for row, o in enumerate(result.options, start=2):
        be = result.headline_break_even(o.name)
        for col, (_, key, fmt) in enumerate(OPTION_COLUMNS, start=1):
            if key.startswith("be."):
                value = getattr(be, key[3:]) if be is not None else None
            elif key.startswith("range."):
                value = _range_value(o, key[6:])
            elif key.startswith("refs."):
                value = price_refs(o)[0 if key == "refs.rows" else 1] or None
            else:
                value = getattr(o, key)
            _put(sheet, row, col, value, fmt)
    sheet.freeze_panes = "B2"
    _widths(sheet, [34, 13, 12] + [16] * (len(OPTION_COLUMNS) - 6) + [60, 60, 60])


def _range_value(o: OptionResult, key: str) -> float | str | None:
    """An estimated option's cost range and the actual range it is costed at (costcalc/bands.py); None otherwise."""
    actual = option_range(o)
    if actual is None or o.monthly_cost_range is None:
        return None
    if key.startswith("cost_"):
        return o.monthly_cost_range[0 if key == "cost_low" else 1]
    value: float | str = getattr(actual, key)
    return value


def _timeline(sheet: Worksheet, result: Result) -> None:
    t = result.timeline
    names = [o.name for o in result.options]
    titles = ["Month", "Calendar month", "Requests"] + [f"{n}: {m}" for n in names for m, _ in TIMELINE_MEASURES]
    _header(sheet, titles)
    if t is None:
        return
    for i, month in enumerate(t.months):
        row = i + 2
        _put(sheet, row, 1, month, COUNT)
        _put(sheet, row, 2, _month_start(result, month), MONTH)
        _put(sheet, row, 3, t.requests[i], COUNT)
        col = 4
        for name in names:
            for _, series in TIMELINE_MEASURES:
                values = getattr(t, series).get(name)
                _put(sheet, row, col, values[i] if values else None, MONEY)
                col += 1
    sheet.freeze_panes = "D2"
    _widths(sheet, [8, 15, 14] + [18] * (len(titles) - 3))


def _fiscal_years(sheet: Worksheet, result: Result) -> None:
    _header(sheet, ["Fiscal year", "From", "Months", "Option", "CapEx", "OpEx", "Cash", "Accrual"])
    row = 2
    for year in result.fiscal_years:
        for o in result.options:
            capex, opex = year.capex[o.name], year.opex[o.name]
            _put(sheet, row, 1, year.label)
            _put(sheet, row, 2, _month_start(result, year.first_month), MONTH)
            _put(sheet, row, 3, year.months, COUNT)
            _put(sheet, row, 4, o.name)
            _put(sheet, row, 5, capex, MONEY)
            _put(sheet, row, 6, opex, MONEY)
            _put(sheet, row, 7, capex + opex, MONEY)
            _put(sheet, row, 8, year.accrual[o.name], MONEY)
            row += 1
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:H{max(row - 1, 1)}"
    _widths(sheet, [12, 12, 8, 34, 16, 16, 16, 16])


def _assumptions(sheet: Worksheet, result: Result) -> None:
    from openpyxl.styles import Font

    sheet.cell(row=1, column=1, value=SOURCES_SHEET).font = Font(bold=True)
    row = 2
    for line in result.assumptions:
        sheet.cell(row=row, column=1, value=line)
        row += 1
    row += 1
    _header(sheet, ["Table", "Id", "As of", "Stale", "Origin", "Source"], row=row)
    for p in result.cited_prices:
        row += 1
        for col, value in enumerate((p.table, p.id, p.as_of, "yes" if p.stale else "no", p.origin, p.source), 1):
            _put(sheet, row, col, value, DATE if isinstance(value, dt.date) else None)
    _widths(sheet, [12, 40, 12, 7, 14, 100])
