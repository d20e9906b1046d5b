"""Catalog specs carry dates and, unlike prices, no age limit: an explicit exemption, said wherever specs are listed
(qa17: 'GPU and model catalog specs carry dates but no age limit or exemption')."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from costcalc.catalog import ages
from costcalc.render import catalog as render

CATALOG_DIR = Path(ages.__file__).parent


def test_every_catalog_file_has_a_stated_exemption() -> None:
    """A new catalog (a servers.csv, say) fails here until it says why its rows set no age limit, or gets one."""
    files = {p.stem for p in CATALOG_DIR.glob("*.csv")}
    assert files == set(ages.NO_AGE_LIMIT)


def test_no_catalog_shares_a_name_with_a_price_table_that_has_a_limit() -> None:
    from costcalc.pricing.freshness import shipped_record

    assert not set(ages.NO_AGE_LIMIT) & set(shipped_record().builds)


@pytest.mark.parametrize("catalog", list(ages.NO_AGE_LIMIT))
def test_every_listing_of_a_catalog_says_it(catalog: str) -> None:
    from costcalc.catalog import list_gpus, list_models

    rows = list_gpus() if catalog == "gpus" else list_models()
    table = getattr(render, f"render_{catalog}_table")(rows, width=400)
    assert ages.age_note(catalog) in table
    doc = json.loads(getattr(render, f"render_{catalog}_json")(rows))
    assert doc["age_limit_days"] is None and doc["age_note"] == ages.age_note(catalog)


def test_the_reports_spec_lines_say_so_and_no_spec_is_ever_stale() -> None:
    """The report cites the GPU and model rows behind an estimate with their dates: each says it is a spec with no age
    limit, and a report dated years later warns of stale prices, never of a spec (rtx-4090-24gb is dated 2022)."""
    from costcalc.api import analyze

    root = Path(__file__).resolve().parents[2]
    result = analyze(root / "examples/internal-assistant.yaml", today=dt.date(2030, 1, 1))
    specs = [a for a in result.assumptions if a.startswith(("gpu ", "model "))]
    assert specs and all(f"({ages.SHORT}), " in line for line in specs)
    assert result.stale_prices and all(p.table not in ages.NO_AGE_LIMIT for p in result.stale_prices)


def test_every_measured_idle_draw_is_named_in_its_rows_notes() -> None:
    """The GPU catalog's note says idle W is a measured reading that the row's notes name and date: hold it."""
    from costcalc.catalog import list_gpus

    measured = [g for g in list_gpus() if g.idle_w is not None]
    assert measured and all("idle_w" in (g.notes or "") for g in measured), [g.id for g in measured]
