"""The user's cache of refreshed price catalogs: CSV + meta per source, atomic."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from costcalc.errors import PricingError
from costcalc.pricing.schema import ApiPrice

CACHE_ENV = "COSTCALC_CACHE_DIR"
PRICING_SUBDIR = "pricing"
_PROVENANCE = ("valid_from", "valid_until", "source", "as_of", "upstream_entry", "reference_url", "notes")
# pricing/api.csv's column order: the id, the prices, then when they apply and where they come from
API_COLUMNS: tuple[str, ...] = (
    "id",
    *(name for name in ApiPrice.model_fields if name not in ("id", *_PROVENANCE)),
    *_PROVENANCE,
)
CACHE_FILE_MODE = 0o644


@dataclass(frozen=True)
class CacheMeta:
    """What a cached catalog is: where it came from, when, how many rows, and its CSV's sha256."""

    source: str
    url: str
    fetched_at: str  # ISO date of the fetch
    rows: int
    sha256: str


def cache_dir() -> Path:
    """$COSTCALC_CACHE_DIR, else the user cache folder/costcalc (~/.cache/costcalc on Linux)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "costcalc"
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else home / "AppData" / "Local") / "costcalc" / "Cache"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else home / ".cache") / "costcalc"


def pricing_cache_dir() -> Path:
    """<cache>/pricing, where one CSV per source lives."""
    return cache_dir() / PRICING_SUBDIR


def csv_path(source: str) -> Path:
    """<cache>/pricing/<source>.csv"""
    return pricing_cache_dir() / f"{source}.csv"


def meta_path(source: str) -> Path:
    """<cache>/pricing/<source>.meta.json"""
    return pricing_cache_dir() / f"{source}.meta.json"


def cached_tables() -> list[Path]:
    """The cached api-shaped CSVs, sorted by name; the lookup layers them over shipped rows."""
    folder = pricing_cache_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.csv") if p.is_file())


def load_cached(source: str) -> list[ApiPrice]:
    """The rows of one cached source ([] when never fetched); a damaged file raises PricingError."""
    from costcalc.pricing.tables import read_csv

    path = csv_path(source)
    if not path.is_file():
        return []
    return [row for row in read_csv("api", path) if isinstance(row, ApiPrice)]


def read_meta(source: str) -> CacheMeta | None:
    """The meta of one cached source, or None when absent or unreadable."""
    path = meta_path(source)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return CacheMeta(**raw)
    except (OSError, ValueError, TypeError):
        return None


def rows_to_csv(rows: list[ApiPrice]) -> str:
    """Rows → CSV text in pricing/api.csv's shape (all ApiPrice columns, empty cell for None)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=API_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        data = row.model_dump()
        writer.writerow({k: _cell(data[k]) for k in API_COLUMNS})
    return buf.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        text = repr(value)  # the shortest text that reads back to the same float
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def store(source: str, url: str, rows: list[ApiPrice], fetched_on: dt.date) -> CacheMeta:
    """Write <source>.csv and <source>.meta.json, each via a temp file beside it + os.replace."""
    folder = pricing_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PricingError(
            f"cannot create the cache folder: {exc.strerror}; set {CACHE_ENV} to a writable folder",
            file=str(folder),
        ) from None
    data = rows_to_csv(rows).encode("utf-8")
    meta = CacheMeta(
        source=source,
        url=url,
        fetched_at=fetched_on.isoformat(),
        rows=len(rows),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    meta_bytes = (json.dumps(asdict(meta), indent=2, sort_keys=True) + "\n").encode("utf-8")
    _atomic_write(csv_path(source), data)
    _atomic_write(meta_path(source), meta_bytes)
    return meta


def _atomic_write(path: Path, data: bytes) -> None:
    """Temp file beside `path`, fsync, os.replace: readers see the old or the new, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, CACHE_FILE_MODE)  # mkstemp makes 0600; a cache of public prices needs no secrecy
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PricingError(
            f"cannot write the cache: {exc.strerror}; set {CACHE_ENV} to a writable folder",
            file=str(path),
        ) from None
