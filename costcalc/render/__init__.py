"""Renderers: one module per output format, each `render(result) -> str`, no I/O."""

from __future__ import annotations

import importlib
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from costcalc.report.result import Result


class ReportFormat(str, Enum):
    """Formats of `costcalc report`."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"
    xlsx = "xlsx"  # a workbook for a budget (bytes; needs openpyxl)

    def render(self, result: Result, **options: object) -> str | bytes:
        """Render `result` in this format."""
        module = importlib.import_module(f"costcalc.render.report_{self.value}")
        rendered: str | bytes = module.render(result, **options)
        return rendered

    def warnings(self, result: Result, *, details: bool = False) -> tuple[str, ...]:
        """`result`'s warnings as this format's reader sees them (its document and stderr): the stale-price line says
        where this format shows the price dates (each module's `dates_where`; the table's depends on `details`)."""
        from costcalc.render.warning_places import placed

        module = importlib.import_module(f"costcalc.render.report_{self.value}")
        where: str | None = module.dates_where(details=details)
        return placed(result.warnings, where)

    def render_text(self, result: Result, **options: object) -> str:
        """Render `result` in a text format (every one but xlsx)."""
        rendered = self.render(result, **options)
        if not isinstance(rendered, str):
            raise TypeError(f"the {self.value} format renders bytes, not text")
        return rendered


__all__ = ["ReportFormat"]
