"""Placing labels where they touch nothing (other labels, markers, the edges), and fitting them to a width."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from costcalc.render.svg.canvas import LABEL_GAP, Box
from costcalc.render.text_metrics import ASCENT_EM, DESCENT_EM, text_box, text_width

LABEL_CHARS = 56  # longer labels are cut in the middle (the full text is in each element's <title>)


def _overlaps(a: Box, b: Box, gap: float = LABEL_GAP) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _inside(a: Box, bounds: Box) -> bool:
    return a[0] >= bounds[0] and a[2] <= bounds[2] and a[1] >= bounds[1] and a[3] <= bounds[3]


@dataclass
class Labels:
    """Boxes already taken in a chart (labels, markers); finds a free place for the next label."""

    bounds: Box
    taken: list[Box] = field(default_factory=list)

    def free(self, box: Box) -> bool:
        """True when `box` lies inside the bounds and clear of every taken box."""
        return _inside(box, self.bounds) and not any(_overlaps(box, t) for t in self.taken)

    def place(
        self, text: str, size: float, candidates: Sequence[tuple[float, float, str]]
    ) -> tuple[float, float, str] | None:
        """The first (x, baseline y, anchor) among `candidates` where the text fits; None when none does."""
        for x, y, anchor in candidates:
            box = text_box(x, y, text, size, anchor)
            if self.free(box):
                self.taken.append(box)
                return x, y, anchor
        return None


def around(x: float, y: float, r: float, size: float) -> list[tuple[float, float, str]]:
    """Label positions around a marker of radius r at (x, y): above, below, right, left, then further out."""
    clear = r + 1 + LABEL_GAP + 1  # just outside the marker's box and the gap kept around it
    up, down = y - clear - DESCENT_EM * size, y + clear + ASCENT_EM * size
    side = y + size * 0.35  # baseline that centres the text on the marker
    out = []
    for step in range(8):
        shift = step * (size + 3)
        out += [
            (x, up - shift, "middle"),
            (x, down + shift, "middle"),
            (x + clear, side - shift, "start"),
            (x - clear, side - shift, "end"),
            (x + clear, side + shift, "start"),
            (x - clear, side + shift, "end"),
        ]
    return out


MARKER_R = 6.0


def circle_box(x: float, y: float) -> Box:
    """The box a marker of radius MARKER_R at (x, y) takes, for Labels to keep clear."""
    return (x - MARKER_R - 1, y - MARKER_R - 1, x + MARKER_R + 1, y + MARKER_R + 1)


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """A label cut in the middle to at most `limit` characters ('options[gpt-oss…]hourly_rate_usd')."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 5
    return text[:head] + "…" + text[len(text) - (limit - 1 - head) :]


def fit(text: str, room: float, size: float) -> str:
    """`text`, cut in the middle (shorten) until it is at most `room` px wide at `size`."""
    limit = len(text)
    while limit > 8 and text_width(shorten(text, limit), size) > room:
        limit -= 1
    return shorten(text, limit)


def wrap_label(text: str, room: float, size: float) -> list[str]:
    """`text` on one line when it fits `room` px at `size`, else on two: split after its last ': ' (an option's name,
    then its input: 'gpt-oss-20b on a rented L40S:' / 'throughput against its estimate'), or without one at the last
    word that fits; a line still too wide is cut in the middle (`fit`)."""
    if text_width(text, size) <= room:
        return [text]
    head, colon, tail = text.rpartition(": ")
    if colon and tail:
        lines = [head + ":", tail]
    else:
        words = text.split(" ")
        fits = [i for i in range(1, len(words)) if text_width(" ".join(words[:i]), size) <= room]
        cut = fits[-1] if fits else 1
        lines = [" ".join(words[:cut]), " ".join(words[cut:])]
    return [fit(line, room, size) for line in lines if line]
