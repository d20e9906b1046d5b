"""The report as CSV: one row per option, numeric columns with units in their names (money in the report's
currency: monthly_cost_usd, or monthly_cost_eur for a scenario in EUR); an estimated option's actual range as
factors of the estimate (actual_over_estimate_low/high) with its source, and the month-1 cost at either end.
The rows are report/option_table's, which Result.options_frame() holds too."""

from __future__ import annotations

import csv
import io

from costcalc.render.escape import csv_cell
from costcalc.report.option_table import TEXT_COLUMNS, option_rows
from costcalc.report.result import Result

DECIMALS = 6


def _num(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{round(value, DECIMALS) + 0.0:.{DECIMALS}f}".rstrip("0").rstrip(".")


def _cell(column: str, value: object) -> str:
    """A cell as the CSV writes it: the user's names escaped, yes/no, numbers at 6 decimals, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return csv_cell(value) if column in TEXT_COLUMNS else value
    assert isinstance(value, (int, float)), (column, value)
    return _num(value)


def dates_where(*, details: bool = False) -> str:
    """The CSV's price_rows cells give each row's date and stale mark, not why it is kept: the command that says."""
    return "`costcalc pricing show ID` shows them"


def render(result: Result) -> str:
    """CSV text with a header row."""
    rows = option_rows(result)  # a scenario has at least one option
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow([_cell(k, v) for k, v in row.items()])
    return out.getvalue()
