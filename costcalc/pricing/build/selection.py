"""pricing/build/selection.csv: which upstream entry becomes which api.csv row, one line per row series."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from costcalc.errors import PricingError

COLUMNS = ("id", "genai_prices", "litellm", "primary", "open_weight_model", "peak_days", "note")
UPSTREAMS = ("genai-prices", "litellm")
PEAK_DAYS = ("daily", "mon-fri")


@dataclass(frozen=True)
class Choice:
    """One shipped price series and where its numbers come from."""

    id: str  # '<provider>/<model>': costcalc's id, the provider's API model name
    genai_prices: str | None  # '<genai provider id>/<model reference>'
    litellm: str | None  # a key of litellm's price map
    primary: str  # the upstream whose numbers are shipped
    open_weight_model: str | None
    peak_days: str | None  # the days upstream's daily peak windows apply, where its data cannot say
    note: str | None  # why a non-default choice, and how a disagreement was resolved
    line: int

    @property
    def provider(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def model(self) -> str:
        return self.id.split("/", 1)[1]


def read_selection(path: Path) -> list[Choice]:
    """Every line of the selection file, checked: known columns, an upstream per line, no duplicate id."""
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise PricingError(f"columns must be {','.join(COLUMNS)}", file=str(path), line=1)
            raw = list(reader)
    except OSError as exc:
        raise PricingError(f"cannot read: {exc.strerror}", file=str(path)) from None
    out: list[Choice] = []
    seen: dict[str, int] = {}
    for offset, row in enumerate(raw):
        line = offset + 2
        values = {k: (v or "").strip() or None for k, v in row.items()}
        row_id = values["id"] or ""
        if row_id.count("/") < 1 or row_id != row_id.lower() or " " in row_id:
            raise PricingError("id must be '<provider>/<model>' in lower case", file=str(path), line=line, field="id")
        if row_id in seen:
            raise PricingError(f"duplicate id (first on line {seen[row_id]})", file=str(path), line=line, field="id")
        seen[row_id] = line
        if not values["genai_prices"] and not values["litellm"]:
            raise PricingError("name a genai_prices or a litellm entry", file=str(path), line=line, field="id")
        primary = values["primary"] or ("genai-prices" if values["genai_prices"] else "litellm")
        column = primary.replace("-", "_")
        if primary not in UPSTREAMS or not values.get(column):
            raise PricingError(
                f"primary must be one of {UPSTREAMS} with its entry filled in",
                file=str(path),
                line=line,
                field="primary",
            )
        if values["genai_prices"] and "/" not in values["genai_prices"]:
            raise PricingError("write '<genai provider id>/<model>'", file=str(path), line=line, field="genai_prices")
        if values["peak_days"] is not None and values["peak_days"] not in PEAK_DAYS:
            raise PricingError(f"peak_days must be one of {PEAK_DAYS}", file=str(path), line=line, field="peak_days")
        out.append(
            Choice(
                id=row_id,
                genai_prices=values["genai_prices"],
                litellm=values["litellm"],
                primary=primary,
                open_weight_model=values["open_weight_model"],
                peak_days=values["peak_days"],
                note=values["note"],
                line=line,
            )
        )
    return out
