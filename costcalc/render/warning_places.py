"""The report's warnings as a format words them: the stale-price line says where that format shows the price dates."""

from __future__ import annotations

from collections.abc import Sequence

from costcalc.analysis.warnings import STALE_KEPT


def placed(warnings: Sequence[str], where: str | None) -> tuple[str, ...]:
    """`warnings` with ' (WHERE)' after the stale-price line's closing 'the price dates say why each is kept'; as they
    are where `where` is None (a format that shows no price dates says nothing of them, the Result's JSON is as
    analysed). The Result's own line names no place: a terminal flag in a browser or a pull-request comment misleads."""
    if where is None:
        return tuple(warnings)
    return tuple(f"{w} ({where})" if w.endswith(STALE_KEPT) else w for w in warnings)
