"""The stale-price warning says where each format shows the price dates (qa17: every format said '(a terminal shows
them with --details)', also a pull-request comment, a browser page and a workbook, which show the dates themselves)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from costcalc.analysis.warnings import STALE_KEPT
from costcalc.render import ReportFormat, report_html, report_markdown, report_table, report_xlsx
from costcalc.report.result import Result

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def result() -> Result:
    # examples/internal-assistant.yaml buys hgx-h100-8gpu-server-2026 (as of 2026-05-04) and uses the data-centre
    # PUE (2026-01-19): both older than 120 days, kept with a reason in pricing/freshness-exceptions.csv
    from costcalc.api import analyze
    from costcalc.pricing.book import PriceBook

    return analyze(
        ROOT / "examples/internal-assistant.yaml", prices=PriceBook.load(use_cache=False, on=TODAY), today=TODAY
    )


def _stale(lines: tuple[str, ...] | list[str]) -> str:
    return next(line for line in lines if "older than 120 days:" in line)


def test_the_results_own_line_names_no_place(result: Result) -> None:
    assert _stale(result.warnings).endswith(f"; {STALE_KEPT}")


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_each_format_points_to_its_own_dates_and_no_terminal_flag_but_the_table(
    result: Result, fmt: ReportFormat
) -> None:
    line = _stale(fmt.warnings(result))
    assert (fmt is ReportFormat.table) == ("--details" in line)
    assert line.endswith(")") and STALE_KEPT in line


def test_the_terminal_says_add_details_or_where_details_shows_them(result: Result) -> None:
    assert _stale(ReportFormat.table.warnings(result)).endswith(f"{STALE_KEPT} (add --details to see them)")
    with_details = _stale(ReportFormat.table.warnings(result, details=True))
    assert with_details.endswith(f"{STALE_KEPT} (under {report_table.SOURCES_TITLE} above)")
    assert report_table.SOURCES_TITLE in report_table.render(result, details=True)


def test_markdown_and_html_name_the_section_they_fold_the_dates_in(result: Result) -> None:
    md = report_markdown.render(result)
    assert f"{STALE_KEPT} (under {report_markdown.SOURCES_TITLE} below)" in md
    assert f"<summary>{report_markdown.SOURCES_TITLE}</summary>" in md
    assert "--details" not in md
    page = report_html.render(result)
    assert f"{STALE_KEPT} (under {report_html.SOURCES_TITLE} at the end)" in page
    assert f"<summary>{report_html.SOURCES_TITLE}</summary>" in page
    assert "--details" not in page


def test_the_workbook_names_its_sheet_of_dates(result: Result) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(ReportFormat.xlsx.render(result)))
    cells = [str(c.value) for row in book["Summary"].iter_rows() for c in row if c.value is not None]
    assert _stale(cells).endswith(f"{STALE_KEPT} (on the {report_xlsx.SOURCES_SHEET} sheet)")
    assert report_xlsx.SOURCES_SHEET in book.sheetnames
    assert not any("--details" in c for c in cells)


def test_the_json_report_keeps_the_results_warnings(result: Result) -> None:
    import json

    assert json.loads(ReportFormat.json.render(result))["warnings"] == list(result.warnings)


def test_the_cli_stderr_line_is_the_formats(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from costcalc.cli import app

    scenario = str(ROOT / "examples/internal-assistant.yaml")
    for args, where in (
        ([], "(add --details to see them)"),
        (["--details"], f"(under {report_table.SOURCES_TITLE} above)"),
        (["-f", "html", "-o", str(tmp_path / "r.html")], f"(under {report_html.SOURCES_TITLE} at the end)"),
        (["-f", "csv"], "(`costcalc pricing show ID` shows them)"),
    ):
        run = CliRunner().invoke(app, ["report", scenario, "--today", TODAY.isoformat(), *args])
        assert run.exit_code == 0, run.output
        assert f"{STALE_KEPT} {where}" in _stale(run.stderr.splitlines())


def test_the_diff_comment_points_to_its_own_fold(tmp_path: Path) -> None:
    from costcalc.render import diff_markdown
    from tests.support.cli import invoke

    base = (ROOT / "examples/internal-assistant.yaml").read_text(encoding="utf-8")
    head = base.replace("requests_per_day: 24000", "requests_per_day: 30000")
    assert head != base
    (tmp_path / "base.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "head.yaml").write_text(head, encoding="utf-8")
    code, out, err = invoke(
        "diff", str(tmp_path / "base.yaml"), str(tmp_path / "head.yaml"), "-f", "markdown", "--today", TODAY.isoformat()
    )
    assert code == 0, err
    assert f"{STALE_KEPT} (under {diff_markdown.SOURCES_TITLE} below)" in out.split("<details>")[0]
    assert f"<summary>{diff_markdown.SOURCES_TITLE}</summary>" in out and "--details" not in out
