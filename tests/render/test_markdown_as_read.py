"""The Markdown report and diff as GitHub renders them (CommonMark with tables, as markdown-it parses them, read in
a comment about 760 px wide): every row has its header's cells, a cell of figures breaks between figures and never
inside one ('uncached' over 'input $21.4k', not 'uncached input' over '$21.4k'; '4x2 GPUs' over '3.2% used', not
'4x2' over 'GPUs,'), 'vs cheapest' says one notation, and a money column names its unit."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt  # CommonMark, as GitHub's cmark-gfm parses it (markdown-it-py comes with rich)

import costcalc
from costcalc.render import report_markdown
from costcalc.render.report_cells import versus
from tests.support.cli import invoke

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TODAY = "2026-12-06"  # the examples' prices are all valid on it
PARSER = MarkdownIt("commonmark").enable("table")
NBSP = "\xa0"


def _tables(text: str) -> list[list[list[str]]]:
    """Each rendered table as rows of cells (inner HTML, entities read)."""
    out = []
    for table in re.findall(r"<table>(.*?)</table>", PARSER.render(text), re.DOTALL):
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
        out.append([[html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.DOTALL)] for r in rows])
    return out


def _column(table: list[list[str]], header: str) -> list[str]:
    at = table[0].index(header)
    return [row[at] for row in table[1:]]


@pytest.fixture(scope="module", params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def tables(request: pytest.FixtureRequest) -> list[list[list[str]]]:
    result = costcalc.analyze(costcalc.load_scenario(str(request.param)), today=TODAY)
    return _tables(report_markdown.render(result))


def test_every_row_has_its_headers_cells(tables: list[list[list[str]]]) -> None:
    assert len(tables) == 2  # the options and the money over the horizon
    for table in tables:
        assert {len(row) for row in table} == {len(table[0])}


def test_a_cell_of_figures_breaks_between_figures_never_inside_one(tables: list[list[list[str]]]) -> None:
    # main: 'uncached input $383, output $350' and '4x2 GPUs, 3.2% used' on one line each, broken anywhere
    options = tables[0]
    for cell in _column(options, "Largest costs"):
        for line in cell.split("<br>"):  # each cost line its own line, its amount beside its label's last word
            label, _, amount = line.rpartition(NBSP)
            assert label and re.fullmatch(r"-?\$[\d,.]+k?", amount) and "," not in label, cell
    for cell in _column(options, "Sizing"):
        for part in cell.split("<br>"):  # '1 GPU', '13.0% used', '2,000 seats', 'in 6 instances': each whole
            assert part == "-" or (" " not in part and not part.endswith(",")), cell
            assert not re.search(r"\d+x\d+", part), cell  # main: '4x2 GPUs'; now '8 GPUs', '4 replicas of 2'


def test_a_count_stays_beside_its_unit(tables: list[list[list[str]]]) -> None:
    # main: 'Cash 36' over 'mo' in the header, '$285,000 (1' over 'server)' in the capex cell
    money = tables[1]
    assert [h for h in money[0] if h.startswith(("Cash", "Accrual"))] and all(
        re.fullmatch(rf"(Cash|Accrual) \d+{NBSP}mo", h) for h in money[0] if h.startswith(("Cash", "Accrual"))
    ), money[0]
    for row in money[1:]:
        assert not any(re.search(r"\d (mo|servers?|workstations?|GPUs?)\b", c) for c in row[1:]), row


def test_vs_cheapest_says_a_share_below_twice_the_cheapest_and_a_multiple_from_it(
    tables: list[list[list[str]]],
) -> None:
    # main: '+509%' above '15x' (a share up to 10x): two notations in one column
    for cell in _column(tables[0], "vs cheapest"):
        share = re.fullmatch(r"\+([\d.]+)%", cell)
        assert cell == "cheapest" or (share and float(share.group(1)) < 100) or re.fullmatch(r"[\d,.]+x", cell), cell


@pytest.mark.parametrize(
    ("times", "said"), [(1.004, "+0.4%"), (1.99, "+99%"), (2.0, "2.0x"), (2.84, "2.8x"), (9.96, "10x"), (15.4, "15x")]
)
def test_vs_cheapest_at_its_edges(times: float, said: str) -> None:
    result = costcalc.analyze(costcalc.load_scenario(str(EXAMPLES[0])), today=TODAY)
    best = result.option(result.cheapest)
    other = next(o for o in result.options if o.name != best.name)
    assert versus(result, other.model_copy(update={"monthly_cost": best.monthly_cost * times})) == said


def test_the_diffs_money_columns_name_their_unit(tmp_path: Path) -> None:
    # main: 'Before', 'After', 'Change' over $40,000: a month's cost or the horizon's, in which currency?
    example = ROOT / "examples" / "startup-chatbot.yaml"
    head = tmp_path / "head.yaml"
    head.write_text(example.read_text(encoding="utf-8").replace("requests_per_day: ", "requests_per_day: 2"), "utf-8")
    code, out, err = invoke("diff", str(example), str(head), "--today", TODAY, "-f", "markdown")
    assert code == 0, err
    header = _tables(out)[0][0]
    assert header[2:5] == ["Monthly before (USD)", "Monthly after (USD)", "Change (USD)"]


def test_a_scenario_key_in_the_details_reads_as_code() -> None:
    result = costcalc.analyze(costcalc.load_scenario(str(ROOT / "examples" / "internal-assistant.yaml")), today=TODAY)
    assert "as <code>throughput.measured</code>." in PARSER.render(report_markdown.render(result))
