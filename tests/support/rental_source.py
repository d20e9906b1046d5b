"""A scenario renting its GPU from a one-row price file whose source is a given address (for tests of sources)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HEADER = "id,provider,instance,gpu,gpu_count,usd_per_hour,usd_per_gpu_hour,pricing_type,region,source,source_kind,as_of,notes"


def renting_from(tmp_path: Path, base_scenario: dict[str, Any], source: str) -> tuple[Path, Path]:
    """(scenario path, price file path): the base scenario's second option rents acme/1x-h100, sourced at `source`."""
    prices = tmp_path / "rental.csv"
    prices.write_text(
        f"{HEADER}\nacme/1x-h100,acme,1x-h100,h100-sxm-80gb,1,2.0,2.0,on-demand,,{source},vendor,2026-08-20,\n",
        encoding="utf-8",
    )
    hardware = base_scenario["options"][1]["hardware"]
    del hardware["gpu"], hardware["hourly_usd"]
    hardware["offer"] = "acme/1x-h100"
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(base_scenario), encoding="utf-8")
    return path, prices
