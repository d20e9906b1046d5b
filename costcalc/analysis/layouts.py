"""Each self-hosted replica's layout at a sweep's points, in the report's words (its ThroughputBasis.layout)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from costcalc.analysis.sweep_warnings import PointWarnings
from costcalc.engine.arrays import IntArray
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.scenario import ResolvedScenario

LAYOUT_COLUMN = "layout[{}]"  # a sweep's column of an option's layout at each point


class PointLayouts(PointWarnings):
    """A sweep's warnings (PointWarnings), and the layout each self-hosted option's replica was costed at, point by
    point: the words its estimate's throughput line says ('tensor parallel, the layout chosen as serving more within
    the SLO', 'pipeline parallel as stated', 'one GPU'), read where evaluate_points resolves each group of points."""

    def __init__(self, total: int, varied: Sequence[str] = (), today: dt.date | None = None) -> None:
        super().__init__(total, varied, today)
        self.layouts: dict[str, list[str | None]] = {}
        self.gpus: dict[str, set[float]] = {}

    def group(self, resolved: ResolvedScenario, rows: IntArray) -> None:
        """Report's warnings at these rows, and each option's layout there."""
        super().group(resolved, rows)
        for opt in resolved.options:
            if not isinstance(opt, ResolvedSelfHosted) or opt.throughput.layout is None:
                continue
            said = self.layouts.setdefault(opt.name, [None] * self.total)
            for row in rows:
                said[self.offset + int(row)] = opt.throughput.layout
            self.gpus.setdefault(opt.name, set()).add(float(np.max(opt.plan.gpus_per_replica)))  # one count a plan

    def columns(self) -> dict[str, list[str | None]]:
        """`layout[OPTION]` over every point, for each option whose replica's GPU count or layout differs between the
        points and takes more than one GPU at some (a layout fixed throughout is the report's to say)."""
        return {
            LAYOUT_COLUMN.format(name): said
            for name, said in self.layouts.items()
            if max(self.gpus[name]) > 1 and (len(self.gpus[name]) > 1 or len(set(said) - {None}) > 1)
        }
