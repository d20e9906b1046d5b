"""One word per option kind in every rendering: the terminal table, the HTML report and the diff's Markdown (qa12:
'self-hosted' / 'seats' in the terminal, 'self-hosted' / 'subscription' in HTML, 'self_hosted' / 'subscription' in
the pull-request comment, for the same options)."""

from __future__ import annotations

import re
from pathlib import Path

from costcalc.render.report_cells import KINDS
from tests.analysis.scenarios import BASE
from tests.support.cli import invoke


def test_every_rendering_names_a_kind_with_the_one_word(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    base = tmp_path / "base.yaml"
    base.write_text(BASE)
    head = tmp_path / "head.yaml"
    head.write_text(BASE.replace("requests_per_day: 200000", "requests_per_day: 300000"))
    words = {"API A": KINDS["api"], "Rented H100": KINDS["self_hosted"], "Seats": KINDS["subscription"]}
    monkeypatch.setenv("COLUMNS", "400")  # wide enough for the Kind column
    code, table, err = invoke("report", str(base), "--today", "2026-12-05")
    assert code == 0, err
    code, html, err = invoke("report", str(base), "--today", "2026-12-05", "-f", "html")
    assert code == 0, err
    code, md, err = invoke("diff", str(base), str(head), "--today", "2026-12-05", "-f", "markdown")
    assert code == 0, err
    for name, word in words.items():
        row = next(line for line in table.splitlines() if line.startswith(name))
        assert row.rstrip().endswith(f"  {word}"), row
        cell = re.search(rf"data-option='{re.escape(name)}'>.*?data-label='Kind'>(?:<span class='nb'>)?([^<]*)<", html)
        assert cell is not None and cell.group(1) == word, name
        rows = [x.split("|") for x in md.splitlines() if x.startswith("|")]
        kinds = [r[2].strip() for r in rows if re.sub(r"\*\*|_\(\w+\)_", "", r[1]).strip() == name]
        assert kinds == [word, word], (name, kinds)  # the changes table and 'Options now (HEAD)'
