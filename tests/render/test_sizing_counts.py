"""Replica and GPU counts in the sizing cells carry thousands separators, as every other count does (qa18: a 1e-9
requests/s point read '2314814815x2 GPUs, 100.0% used')."""

from __future__ import annotations

from types import SimpleNamespace

from costcalc.render.report_cells import sizing


def _option(replicas: int, gpus: int) -> SimpleNamespace:
    return SimpleNamespace(
        kind="self_hosted", replicas=replicas, gpus=gpus, utilisation=1.0, instances=None, seats=None
    )


def test_counts_are_grouped() -> None:
    assert sizing(_option(2_314_814_815, 4_629_629_630)) == "2,314,814,815x2 GPUs, 100.0% used"  # type: ignore[arg-type]
    assert sizing(_option(1_500, 1_500)) == "1,500 GPUs, 100.0% used"  # type: ignore[arg-type]
    assert sizing(_option(1, 1)) == "1 GPU, 100.0% used"  # type: ignore[arg-type]
