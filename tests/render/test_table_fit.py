"""Every column of a terminal table is shown or named: headers fold at spaces before a column gives way, a cell's
own line breaks are kept, and the columns that still do not fit are said under the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from costcalc.api import analyze
from costcalc.render import report_table
from costcalc.render.layout import Column, dropped, hidden_note, render

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples").glob("*.yaml"))
TODAY = "2026-12-05"


def _header_lines(text: str) -> list[str]:
    """The header lines of the first table in `text`: the lines above its rule."""
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("──"))
    top = rule
    while top > 0 and lines[top - 1].strip():
        top -= 1
    return lines[top:rule]


def test_a_header_folds_before_its_column_gives_way() -> None:
    columns = [
        Column("Option", ["a name", "another"], kind="text"),
        Column("Monthly USD", ["$1,234", "$56"], kind="number"),
        Column("Break-even vs API", ["never", "-"], kind="text", drop=2),
        Column("Cash 36 mo", ["$44,424", "$2,016"], kind="number", drop=1),
    ]
    # whole headers: 7 + 11 + 17 + 10 + 3 gaps of 2 = 51 > 40; folded: 7 + 7 + 10 + 7 + 6 = 37 fits
    assert dropped(columns, 40) == []
    text = render(columns, 40)
    assert _header_lines(text) == [
        "         Monthly  Break-even",
        "Option       USD  vs API      Cash 36 mo",
    ]
    assert max(len(line) for line in text.splitlines()) <= 40
    assert "Cash 36 mo" in render(columns, 60) and "Break-even vs API" in render(columns, 60)  # whole when room


def test_a_number_and_its_unit_fold_together() -> None:
    columns = [Column("Option", ["a name"], kind="text")] + [
        Column(f"Accrual {n} mo", ["$1,440,000"], kind="number", drop=1) for n in (12, 24, 36)
    ]
    header = _header_lines(render(columns, 44))  # 6 + 3 x 10 + 6 = 42 folded; whole, 51
    assert [line.split() for line in header] == [["Accrual"] * 3, ["Option", "12", "mo", "24", "mo", "36", "mo"]]


def test_a_cells_own_line_breaks_are_kept() -> None:
    columns = [
        Column("Option", ["Rented"], kind="text"),
        Column("Sizing", ["1 GPU\nin 12 instances"], kind="text"),
    ]
    lines = render(columns, 200).splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("Rented"))
    assert lines[row].endswith("1 GPU") and lines[row + 1].strip() == "in 12 instances"


def test_the_note_names_every_column_that_gave_way_minor_ones_too() -> None:
    columns = [
        Column("Option", ["a"], kind="text"),
        Column("Sizing", ["8 GPUs, 67.7% used, in 12 instances"], kind="text", drop=2),
        Column("Kind", ["self-hosted"], kind="id", drop=3, minor=True),
    ]
    # Option 6 + Sizing 36 + Kind 11 + 2 gaps = 57
    assert hidden_note(columns, 57) == ""
    assert [c.header for c in dropped(columns, 50)] == ["Kind"]
    assert hidden_note(columns, 50) == "Not shown at 50 columns: Kind; a wider terminal shows it."
    assert (
        hidden_note(columns, 40, "as does X")
        == "Not shown at 40 columns: Sizing, Kind; a wider terminal shows them, as does X."
    )


def test_the_table_itself_says_what_it_left_out() -> None:
    columns = [
        Column("Option", ["a"], kind="text"),
        Column("Sizing", ["8 GPUs, 67.7% used, in 12 instances"], kind="text", drop=2),
        Column("Kind", ["self-hosted"], kind="id", drop=3, minor=True),
    ]
    assert "Not shown" not in render(columns, 57)
    text = render(columns, 40, elsewhere="as does --format json")
    assert max(len(line) for line in text.splitlines()) <= 40
    assert " ".join(text.split()).endswith(
        "Not shown at 40 columns: Sizing, Kind; a wider terminal shows them, as does --format json."
    )


def _shown_or_named(text: str, columns: list[Column]) -> None:
    flat = " ".join(text.split())
    header = " ".join(" ".join(_header_lines(text)).split())
    for column in columns:
        name = " ".join(column.header.split())
        shown = all(word in header.split() for word in name.split())
        named = f"{name}," in flat or f"{name};" in flat
        assert shown or (named and "Not shown at" in flat), f"{name} dropped silently"


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_shows_or_names_each_column(example: Path, width: int) -> None:
    result = analyze(str(example), today=TODAY)
    text = report_table.render(result, width=width, details=True)
    assert max(len(line) for line in text.splitlines()) <= width
    options, money = text.split(f"Money over {result.horizon_months} months")
    _shown_or_named(options, report_table.option_columns(result))
    _shown_or_named(money, report_table.money_columns_of(result))


def test_nightly_batch_keeps_its_sizing_column_at_120_columns() -> None:
    result = analyze(str(next(p for p in EXAMPLES if p.stem == "nightly-batch")), today=TODAY)
    text = report_table.render(result, width=120)
    assert "Sizing" in _header_lines(text)[-1]
    rented = result.option("Rented H100s only at night")
    assert rented.instances == 1
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("Rented H100s only at night"))
    assert lines[row].rstrip().endswith(f"{rented.gpus} GPUs, {rented.utilisation:.1%} used")
    assert lines[row + 1].strip() == "in 1 instance"
