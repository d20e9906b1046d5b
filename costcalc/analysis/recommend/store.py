"""A replica's capacity under the SLO kept on disk, per configuration and workload shape, across runs.

The serving simulation takes a third of a second per configuration; a search meets the same configurations
again whenever the workload's lengths and SLO are unchanged (another --top, format or constraint, then
`report --recommend`). Entries are keyed by everything the capacity depends on: the configuration, the
prompt-length buckets, the output tokens and the SLO targets, and a fingerprint of the code and data that
compute it (estimator, serving simulation, factors, catalogs), so a changed estimator never reads an old entry.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from costcalc.bands import ActualRange
from costcalc.resolve.throughput import ThroughputBasis

STORE_SUBDIR = "capacity"
STORE_VERSION = 1
PACKAGE = Path(__file__).resolve().parents[2]  # costcalc/
# What a capacity is computed from, besides the configuration and the workload: every file of these folders.
INPUTS = ("throughput", "catalog", "resolve/throughput.py", "bands.py")


@functools.cache
def fingerprint() -> str:
    """sha256 over the estimator's, the simulation's and the catalogs' files (code, factors, specs)."""
    digest = hashlib.sha256(f"store {STORE_VERSION}".encode())
    for rel in INPUTS:
        path = PACKAGE / rel
        files = sorted(p for p in path.rglob("*") if p.suffix in (".py", ".json", ".csv")) if path.is_dir() else [path]
        for f in files:
            digest.update(str(f.relative_to(PACKAGE)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()


def shape_key(parts: Any) -> str:
    """A short stable hash of the workload shape and SLO (any JSON-ready value)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:24]


class CapacityStore:
    """Capacities of one workload shape: read once, written back atomically when something was added."""

    def __init__(self, folder: Path | None, workload_shape: Any) -> None:
        self.path = (
            None if folder is None else folder / STORE_SUBDIR / f"{fingerprint()[:16]}-{shape_key(workload_shape)}.json"
        )
        doc = self._read()
        self.entries: dict[str, dict[str, Any]] = dict(doc.get("entries", {}))
        self.bounds: dict[str, list[Any]] = dict(doc.get("bounds", {}))
        self.misses: dict[str, str] = {k: v for k, v in doc.get("misses", {}).items() if isinstance(v, str)}
        self.added = 0

    def _read(self) -> dict[str, Any]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            if doc.get("version") != STORE_VERSION or not isinstance(doc.get("entries"), dict):
                return {}
            parts = (doc.get("bounds", {}), doc.get("misses", {}))
            return doc if all(isinstance(p, dict) for p in parts) else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}  # a damaged cache is recomputed, never trusted

    @staticmethod
    def key(config_key: tuple[Any, ...]) -> str:
        """'model|gpu|gpus|precision|engine'."""
        return "|".join(str(p) for p in config_key)

    def get(self, config_key: tuple[Any, ...]) -> ThroughputBasis | None:
        """The stored basis of a configuration, or None."""
        raw = self.entries.get(self.key(config_key))
        if raw is None:
            return None
        try:
            actual = raw.get("actual_range")
            return ThroughputBasis(
                **{
                    **raw,
                    "warnings": tuple(raw.get("warnings", ())),
                    "actual_range": None if actual is None else ActualRange.from_dict(actual),
                }
            )
        except TypeError:
            return None

    def put(self, config_key: tuple[Any, ...], basis: ThroughputBasis) -> None:
        """Remember a configuration's basis (written by save)."""
        self.entries[self.key(config_key)] = asdict(basis)
        self.added += 1

    def get_bound(self, config_key: tuple[Any, ...]) -> tuple[bool, float, str | None] | None:
        """A configuration's stored full-load bound: (fits, requests/s, reason), or None."""
        raw = self.bounds.get(self.key(config_key))
        if not isinstance(raw, list) or len(raw) != 3:
            return None
        return bool(raw[0]), float(raw[1]), raw[2]

    def put_bound(self, config_key: tuple[Any, ...], fits: bool, requests_per_s: float, reason: str | None) -> None:
        """Remember a configuration's full-load bound (written by save)."""
        self.bounds[self.key(config_key)] = [fits, requests_per_s, reason]
        self.added += 1

    def get_miss(self, config_key: tuple[Any, ...]) -> str | None:
        """Why a configuration misses the SLO at every load, if that was found before; else None."""
        return self.misses.get(self.key(config_key))

    def put_miss(self, config_key: tuple[Any, ...], reason: str) -> None:
        """Remember that a configuration misses the SLO at every load, and why (written by save)."""
        self.misses[self.key(config_key)] = reason
        self.added += 1

    def save(self) -> None:
        """Write the store if anything was added; a cache that cannot be written is skipped silently."""
        if self.path is None or not self.added:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            doc = {"version": STORE_VERSION, "entries": self.entries, "bounds": self.bounds, "misses": self.misses}
            text = json.dumps(doc, sort_keys=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".capacity-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, self.path)
        except OSError:
            return
