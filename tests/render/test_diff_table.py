"""The diff on a terminal: a changed input's folded source URL links whole, as the report's sources do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from costcalc.analysis.sides import load_side
from costcalc.render.diff_table import render
from costcalc.render.wrapping import wrap
from costcalc.report.diff import compare

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DAY = dt.date(2026, 12, 7)
COLOCATION = "https://www.datacenterknowledge.com/colocation/power-not-space-the-colocation-battleground-in-2026"


def test_a_changed_inputs_folded_source_url_links_whole_on_a_terminal() -> None:
    # `costcalc diff startup-chatbot.yaml internal-assistant.yaml` at 80 columns folded the colocation row's source
    # after 'colocation/': a terminal that finds addresses in text opened the cut-off first piece; the report's sources
    # link every piece (OSC 8) to the whole address, and now the diff's do too. In a pipe (no color) nothing changes.
    base = load_side(str(EXAMPLES / "startup-chatbot.yaml"), today=DAY)
    head = load_side(str(EXAMPLES / "internal-assistant.yaml"), today=DAY)
    d = compare(base, head)
    (change,) = [c for c in d.inputs if c.source and COLOCATION in c.source]
    plain = render(d, width=80)
    said = f"{change.path}: unused → used ({change.source}, as of {change.as_of})"
    assert "\n".join(wrap(said, 80, first="  ", rest="    ")) in plain
    assert "\x1b" not in plain
    shown = render(d, width=80, color=True)
    assert shown.count(f";{COLOCATION}\x1b") >= 2  # each piece of the folded address links to the whole of it
