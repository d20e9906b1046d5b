"""The scenario `recommend --write-scenario` writes: YAML with a comment saying where it came from."""

from __future__ import annotations

from typing import Any

import yaml

from costcalc.textsafe import one_line


def render(doc: dict[str, Any], *, source: str, command: str, dropped: list[str]) -> str:
    """YAML text of a scenario document, under a header naming its source and the command that wrote it."""
    head = [
        f"# Written by `{one_line(command)}`",
        f"# from {one_line(source)}: its APIs and seats, and the top configurations as self_hosted options.",
        "# Run: costcalc report THIS_FILE   (the same numbers as recommend, to the cent, on the same --today)",
    ]
    head += [f"# Left out: {one_line(d)}" for d in dropped]
    body: str = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(head) + "\n" + body
