"""The user's cache of refreshed price catalogs: CSV + meta per source, atomic."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from costcalc.errors import ExternalError, PricingError
from costcalc.pricing.schema import ApiPrice

CACHE_ENV = "COSTCALC_CACHE_DIR"
PRICING_SUBDIR = "pricing"
_PROVENANCE = ("valid_from", "valid_until", "successor", "source", "as_of", "upstream_entry", "reference_url", "notes")
# pricing/api.csv's column order: the id, the prices, then when they apply and where they come from
API_COLUMNS: tuple[str, ...] = (
    "id",
    *(name for name in ApiPrice.model_fields if name not in ("id", *_PROVENANCE)),
    *_PROVENANCE,
)
CACHE_FILE_MODE = 0o644
STORE_SUBDIR = ".store"  # every stored generation: <source>-<sha>.csv and its .meta.json
LOCK_WAIT_S = 120.0  # how long an update waits for another one (each has a download deadline)


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
    """The meta of the CSV in place: beside the generation <source>.csv links to, else <source>.meta.json."""
    table = csv_path(source)
    if table.is_symlink():
        return _meta_of(Path(os.path.realpath(table)))
    return _legacy_meta_path(source)


def _legacy_meta_path(source: str) -> Path:
    return pricing_cache_dir() / f"{source}.meta.json"


def cached_tables() -> list[Path]:
    """The cached api-shaped CSVs, sorted by name; the lookup layers them over shipped rows."""
    folder = pricing_cache_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.csv") if p.is_file())


def load_cached(source: str) -> list[ApiPrice]:
    """The rows of one cached source ([] when never fetched); a damaged file raises PricingError."""
    path = csv_path(source)
    if not path.is_file():
        return []
    return read_table(path)


def read_table(path: Path) -> list[ApiPrice]:
    """The rows of one cached table file; a damaged file raises PricingError."""
    from costcalc.pricing.tables import read_csv

    return [row for row in read_csv("api", path) if isinstance(row, ApiPrice)]


def read_meta(source: str) -> CacheMeta | None:
    """The meta of one cached source, or None when absent, unreadable or not the meta of the CSV in place."""
    path = csv_path(source)
    meta_file = meta_path(source)
    try:
        raw = json.loads(meta_file.read_text(encoding="utf-8"))
        meta = CacheMeta(**raw)
        data = path.read_bytes()
    except (OSError, ValueError, TypeError):
        return None
    return meta if hashlib.sha256(data).hexdigest() == meta.sha256 else None


def _meta_of(stored_csv: Path) -> Path:
    """.store/<source>-<sha>.csv → .store/<source>-<sha>.meta.json"""
    return stored_csv.with_name(stored_csv.name.removesuffix(".csv") + ".meta.json")


_held = threading.local()  # how deep this thread is inside locked(): the lock is taken once


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Hold the pricing cache's lock (across processes) for one update: read the old rows, store the new ones.

    The cache folder itself is locked (flock), so nothing extra is written. Two updates at once take
    turns; waiting longer than LOCK_WAIT_S is an error (exit 3). Re-entrant within a thread.
    """
    depth = getattr(_held, "depth", 0)
    if depth:
        _held.depth = depth + 1
        try:
            yield
        finally:
            _held.depth = depth
        return
    try:
        import fcntl
    except ImportError:  # no flock (Windows): the atomic swap alone keeps each reader's pair whole
        yield
        return
    fd = os.open(_cache_folder(), os.O_RDONLY)
    try:
        waited_until = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > waited_until:
                    raise ExternalError(
                        f"another `costcalc pricing update` has held the cache for {LOCK_WAIT_S:g} s; try again later"
                    ) from None
                time.sleep(0.05)
        _held.depth = 1
        try:
            yield
        finally:
            _held.depth = 0
    finally:
        os.close(fd)  # closing releases the lock


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
    """Write the rows and their meta as one generation, then swap it in with one atomic rename.

    <source>.csv is a link to .store/<source>-<sha>.csv, whose meta sits beside it: replacing the
    link switches data and meta together, so no reader (and no concurrent update) ever pairs one
    fetch's table with another's meta. The previous generation is kept (a reader may have it open).
    """
    folder = _cache_folder()
    data = rows_to_csv(rows).encode("utf-8")
    meta = CacheMeta(
        source=source,
        url=url,
        fetched_at=fetched_on.isoformat(),
        rows=len(rows),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    meta_bytes = (json.dumps(asdict(meta), indent=2, sort_keys=True) + "\n").encode("utf-8")
    stored = folder / STORE_SUBDIR / f"{source}-{meta.sha256[:16]}.csv"
    try:
        stored.parent.mkdir(exist_ok=True)
    except OSError as exc:
        raise _cache_error(exc, stored.parent) from None
    _atomic_write(stored, data)
    _atomic_write(_meta_of(stored), meta_bytes)
    target = csv_path(source)
    previous = Path(os.path.realpath(target)) if target.is_symlink() else None
    link = folder / f".{source}.csv.{os.getpid()}.link"
    try:
        link.unlink(missing_ok=True)
        os.symlink(Path(STORE_SUBDIR) / stored.name, link)
        os.replace(link, target)  # the one swap
    except (OSError, NotImplementedError):  # no symlinks here: data then meta, each atomic, under the lock
        link.unlink(missing_ok=True)
        _atomic_write(target, data)
        _atomic_write(_legacy_meta_path(source), meta_bytes)
        return meta
    _legacy_meta_path(source).unlink(missing_ok=True)  # a meta file from before generations
    _prune(stored.parent, source, keep={stored, previous})
    return meta


def _prune(store_dir: Path, source: str, keep: set[Path | None]) -> None:
    """Remove this source's generations other than `keep` (best effort)."""
    for old in store_dir.glob(f"{source}-*.csv"):
        if old not in keep:
            old.unlink(missing_ok=True)
            _meta_of(old).unlink(missing_ok=True)


def _cache_folder() -> Path:
    """<cache>/pricing, created if needed."""
    folder = pricing_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cache_error(exc, folder) from None
    return folder


def _cache_error(exc: OSError, path: Path) -> PricingError:
    return PricingError(f"cannot write the cache: {exc.strerror}; set {CACHE_ENV} to a writable folder", file=str(path))


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
