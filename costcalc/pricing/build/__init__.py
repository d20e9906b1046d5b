"""Rebuild pricing/api.csv from the pinned genai-prices and litellm wheels: offline, byte for byte the same.

`python -m costcalc.pricing.build --wheels DIR` after
`pip download --no-deps genai-prices==0.2.5 litellm==1.110.2 -d DIR` (the pins live in pins.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from costcalc.errors import PricingError
from costcalc.pricing.build import crosscheck, genai
from costcalc.pricing.build.assemble import Built, Upstreams, build_choice, built_on, check_hand_row
from costcalc.pricing.build.pins import GENAI_PRICES, LITELLM, Pin
from costcalc.pricing.build.pyliteral import read_assignment
from costcalc.pricing.build.selection import read_selection
from costcalc.pricing.build.wheels import find_wheel, read_data
from costcalc.pricing.cache import rows_to_csv
from costcalc.pricing.schema import ApiPrice
from costcalc.pricing.tables import read_csv

API_MAX_AGE_DAYS = 60  # the freshness rule for API rows, against the table's build date
BUILD_HOW = "python -m costcalc.pricing.build (newest pinned upstream release or hand-checked row)"


@dataclass(frozen=True)
class Inputs:
    """Where a build reads from: the wheels and the build folder (selection, hand rows, previous table)."""

    wheels: Path
    build_dir: Path
    genai_pin: Pin = GENAI_PRICES
    litellm_pin: Pin = LITELLM

    @property
    def selection(self) -> Path:
        return self.build_dir / "selection.csv"

    @property
    def hand_researched(self) -> Path:
        return self.build_dir / "hand-researched.csv"

    @property
    def previous(self) -> Path:
        return self.build_dir / "previous-api.csv"


@dataclass
class Output:
    """What a build produced, as text, before anything is written."""

    rows: list[ApiPrice]
    built_on: dt.date
    api_csv: str
    disagreements_csv: str
    disagreements: list[crosscheck.Disagreement]
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Counts for the terminal: rows per provider, series, disagreements."""
        per = Counter(r.provider for r in self.rows)
        series = len({r.series for r in self.rows})
        parts = ", ".join(f"{p} {n}" for p, n in sorted(per.items()))
        return (
            f"api.csv: {len(self.rows)} rows, {series} series, built on {self.built_on}; {parts}\n"
            f"disagreements over {crosscheck.DISAGREE_ABOVE:.0%}: {len(self.disagreements)}\n"
        )


def load_upstreams(inputs: Inputs) -> Upstreams:
    """Both pinned wheels, opened offline and checked (version, data hash)."""
    genai_bytes = read_data(find_wheel(inputs.wheels, inputs.genai_pin), inputs.genai_pin)
    litellm_bytes = read_data(find_wheel(inputs.wheels, inputs.litellm_pin), inputs.litellm_pin)
    raw = read_assignment(genai_bytes.decode("utf-8"), "providers", inputs.genai_pin.data_file)
    try:
        litellm = json.loads(litellm_bytes)
    except ValueError as exc:
        raise PricingError(f"not JSON: {exc}", file=inputs.litellm_pin.data_file) from None
    return Upstreams(genai.normalize(raw), litellm, inputs.genai_pin, inputs.litellm_pin)


def build(inputs: Inputs) -> Output:
    """Selection + upstreams (+ hand rows) → the table and its cross-checks; raises PricingError to stop."""
    upstreams = load_upstreams(inputs)
    choices = read_selection(inputs.selection)
    hand = _hand_rows(inputs.hand_researched, upstreams)
    on = built_on(upstreams, hand)
    built: list[Built] = [build_choice(choice, upstreams, on) for choice in choices]
    _name_successors(built, {c.litellm: c.id for c in choices if c.litellm})
    rows = [row for item in built for row in item.rows]
    hand_ids = {r.series for r in hand}
    clash = sorted(hand_ids & {c.id for c in choices})
    if clash:
        raise PricingError(f"hand-researched rows duplicate selection lines: {', '.join(clash)}")
    rows.extend(hand)
    _check_unique(rows)
    genai_from = f"genai-prices {inputs.genai_pin.version}"
    litellm_from = f"litellm {inputs.litellm_pin.version}"
    found = crosscheck.between_upstreams(built, genai_from, litellm_from)
    if inputs.previous.is_file():
        previous = [r for r in read_csv("api", inputs.previous) if isinstance(r, ApiPrice)]
        found += crosscheck.against_previous(built, previous, on, "previous table", litellm_from)
    found.sort(key=lambda d: (d.id, d.field, d.other_from))
    warnings = sorted({f"{d.id}: upstreams disagree with no reviewer note" for d in found if "no reviewer" in d.why})
    warnings += [w for item in built for w in item.warnings]
    return Output(rows, on, rows_to_csv(rows), _disagreements_csv(found), found, warnings)


def _name_successors(built: list[Built], series_of_key: dict[str, str]) -> None:
    """A retiring series' newest row names its upstream successor: the series, where this table prices it."""
    for item in built:
        if not item.successor_key or not item.rows:
            continue
        newest = item.rows[-1]
        series = series_of_key.get(item.successor_key)
        if series is not None:
            update: dict[str, object] = {"successor": series}
        else:
            note = f"litellm names {item.successor_key!r} as the successor (not priced in this table)"
            update = {"notes": "; ".join(n for n in (newest.notes, note) if n)}
        item.rows[-1] = newest.model_copy(update=update)


def _hand_rows(path: Path, upstreams: Upstreams) -> list[ApiPrice]:
    if not path.is_file():
        return []
    rows = [r for r in read_csv("api", path) if isinstance(r, ApiPrice)]
    for line, row in enumerate(rows, start=2):
        check_hand_row(row, upstreams, f"{path}:{line}: {row.id}")
    return rows


def _check_unique(rows: list[ApiPrice]) -> None:
    seen: set[str] = set()
    for row in rows:
        if row.id in seen:
            raise PricingError(f"two rows have the id {row.id!r}; give each selection line its own id")
        seen.add(row.id)


def _disagreements_csv(found: list[crosscheck.Disagreement]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(crosscheck.COLUMNS)
    for d in found:
        pct = "" if d.difference_pct is None else f"{d.difference_pct:+.0f}"
        writer.writerow([d.id, d.field, _num(d.kept), d.kept_from, _num(d.other), d.other_from, pct, d.why])
    return buf.getvalue()


def _num(value: float | None) -> str:
    if value is None:
        return ""  # that source has no such tier
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def freshness_csv(current: str, table: str, day: dt.date, max_age_days: int, how: str) -> str:
    """pricing/freshness.csv with one table's line replaced (the others kept as they are)."""
    rows = list(csv.DictReader(io.StringIO(current))) if current.strip() else []
    rows = [r for r in rows if r.get("table") != table]
    rows.append({"table": table, "built_on": day.isoformat(), "max_age_days": str(max_age_days), "how": how})
    rows.sort(key=lambda r: r["table"])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=("table", "built_on", "max_age_days", "how"), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
