"""Tables fitted to a width: columns dropped by priority, names wrapped at spaces, ids and numbers never split."""

from __future__ import annotations

import pytest

from costcalc.render.layout import Column, fit, render

IDS = ["coreweave/rtx-pro-6000-blackwell-8x/on-demand/north-america", "aws/g5.12xlarge/on-demand/us-east-1"]


def _columns() -> list[Column]:
    return [
        Column("id", IDS, kind="id"),
        Column("gpu", ["rtx-pro-6000-blackwell", "a10g-24gb"], kind="id", drop=3),
        Column("$/GPU-h", ["1.418", "11.06"], kind="number"),
        Column("region", ["north-america", "us-east-1"], kind="id", drop=5),
        Column("as of", ["2026-09-20", "2026-08-26"], kind="id", drop=1),
    ]


@pytest.mark.parametrize("width", [80, 120, 200])
def test_fits_the_width_and_keeps_every_id_whole(width: int) -> None:
    text = render(_columns(), width)
    assert max(len(line) for line in text.splitlines()) <= width
    for row_id in IDS:
        assert any(row_id in line for line in text.splitlines())


def test_drops_the_highest_priority_number_first() -> None:
    assert [c.header for c in fit(_columns(), 200)] == ["id", "gpu", "$/GPU-h", "region", "as of"]
    assert [c.header for c in fit(_columns(), 110)] == ["id", "gpu", "$/GPU-h", "as of"]  # region (5) went first
    assert [c.header for c in fit(_columns(), 80)] == ["id", "$/GPU-h", "as of"]
    assert [c.header for c in fit(_columns(), 70)] == ["id", "$/GPU-h"]
    assert fit(_columns(), 60) is None  # the id and the price alone need 68


def test_too_narrow_for_the_columns_that_stay_stacks_rows() -> None:
    text = render(_columns(), 60)
    lines = text.splitlines()
    assert lines[0] == IDS[0]
    assert "  $/GPU-h: 1.418" in lines
    assert max(len(line) for line in lines if line not in IDS) <= 60


def test_names_wrap_at_spaces_never_to_a_shared_prefix() -> None:
    names = ["gpt-oss-120b on 2 rented H100s with a long suffix", "gpt-oss-120b on owned H200s with a long suffix"]
    columns = [Column("Option", names, kind="text"), Column("Monthly", ["$1,234", "$5,678"], kind="number")]
    text = render(columns, 40)
    assert "…" not in text
    words = text.split()
    for name in names:
        for word in name.split():
            assert word in words  # every word whole
    assert text.splitlines()[2].startswith("gpt-oss-120b on 2 rented")
