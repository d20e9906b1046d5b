"""Text boxes of an SVG, from the SVG's own coordinates and render/text_metrics (the widths charts are laid out with)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from costcalc.render.text_metrics import text_box

SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class TextBox:
    """A drawn text and its box (left, top, right, bottom) in the outermost SVG's coordinates."""

    text: str
    box: tuple[float, float, float, float]


def text_boxes(document: str) -> tuple[list[TextBox], tuple[float, float]]:
    """Every visible <text> (not the white halo copies) with its box; and the root's (width, height)."""
    root = ET.fromstring(document)
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    found: list[TextBox] = []
    _walk(root, 0.0, 0.0, found, top=True)
    return found, (width, height)


def _walk(node: ET.Element, dx: float, dy: float, out: list[TextBox], *, top: bool = False) -> None:
    for child in node:
        tag = child.tag.removeprefix(SVG)
        if tag == "svg":
            _walk(child, dx + float(child.get("x", 0)), dy + float(child.get("y", 0)), out)
        elif tag == "g":
            moved = re.match(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", child.get("transform", ""))
            ox, oy = (float(moved.group(1)), float(moved.group(2))) if moved else (0.0, 0.0)
            _walk(child, dx + ox, dy + oy, out)
        elif tag == "text" and "halo" not in (child.get("class") or "").split():
            text = "".join(child.itertext())
            x, y = float(child.get("x")), float(child.get("y"))
            size = float(child.get("font-size"))
            left, top_, right, bottom = text_box(x, y, text, size, child.get("text-anchor", "start"))
            turned = re.match(r"rotate\(-90 ([-\d.]+) ([-\d.]+)\)", child.get("transform", ""))
            if turned:  # a y-axis title: the box turns a quarter about (cx, cy)
                cx, cy = float(turned.group(1)), float(turned.group(2))
                left, top_, right, bottom = (
                    cx + (top_ - cy),
                    cy - (right - cx),
                    cx + (bottom - cy),
                    cy - (left - cx),
                )
            out.append(TextBox(text, (left + dx, top_ + dy, right + dx, bottom + dy)))


def overlapping(boxes: list[TextBox]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap."""
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a.box[0] < b.box[2] and b.box[0] < a.box[2] and a.box[1] < b.box[3] and b.box[1] < a.box[3]:
                pairs.append((a.text, b.text))
    return pairs


def outside(boxes: list[TextBox], width: float, height: float) -> list[str]:
    """Texts that reach past the drawing's edges (would be clipped)."""
    return [t.text for t in boxes if t.box[0] < 0 or t.box[1] < 0 or t.box[2] > width or t.box[3] > height]
