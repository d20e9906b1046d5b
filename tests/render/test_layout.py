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


URL = "https://github.com/gpustack/gpustack/blob/7ae332aaf05783e657560ef927c527b156e2536d/docs/performance-lab/a100.md"


def _example_table(color: bool) -> str:
    why = f'trtllm has no mxfp4 kernel on a100-sxm-80gb ("WFP4A16 MoE is unsupported on SM80": {URL}); use vllm'
    cols = [
        Column("Reason", ["does not fit"], "text"),
        Column("Count", ["442"], "number"),
        Column("For example", [why], "text", wrap_at=60),
    ]
    return render(cols, 80, color=color)


def test_a_text_cell_folds_a_url_after_a_slash_and_never_cuts_a_word() -> None:
    """qa17 (recommend's exclusions at 80 and 120 columns): a source's URL in a text cell was folded wherever the
    column ended ('docs/perform' | 'ance-lab', 'gpt-os' | 's-20b') and its pieces carried no link; a text cell now
    breaks as messages do (wrapping.wrap) and links each piece of a URL to the whole address on a terminal."""
    import re

    plain = _example_table(color=False)
    lines = plain.splitlines()
    assert max(map(len, lines)) <= 80
    pieces = [line.split()[-1] for line in lines if "github.com" in line or line.strip().startswith("performance")]
    assert all(p.endswith("/") or p.endswith("a100.md);") for p in pieces), pieces
    assert re.sub(r"\s+", "", "".join(lines)).count(URL) == 1  # the address whole once the folds are joined
    linked = _example_table(color=True)
    assert linked.count("8;id=") >= 2 and linked.count(URL) >= 3  # each piece links to the whole address
