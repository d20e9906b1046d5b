"""The capacity store: entries round-trip exactly, a damaged file is ignored, the key names the code's fingerprint."""

from __future__ import annotations

from pathlib import Path

from costcalc.analysis.recommend.store import CapacityStore, fingerprint
from costcalc.bands import ActualRange
from costcalc.resolve.throughput import ThroughputBasis

BASIS = ThroughputBasis(
    kind="estimated",
    requests_per_s=1.2345678901234567,
    output_tokens_per_s=246.9,
    concurrency=7.5,
    ttft_p95_ms=812.3,
    tpot_p95_ms=39.9,
    meets_slo=True,
    detail="estimated, actual 0.91x-1.11x (...)",
    error_band=0.1,
    warnings=("a",),
    actual_range=ActualRange(0.22, 1.1, "published_runs", 0.1, "deepseek-r1", 0.22, 0.7139),
)
KEY = ("gpt-oss-20b", "l40s-48gb", 1, "mxfp4", "vllm")


def test_round_trip_is_exact(tmp_path: Path) -> None:
    store = CapacityStore(tmp_path, {"shape": 1})
    assert store.get(KEY) is None
    store.put(KEY, BASIS)
    store.save()
    again = CapacityStore(tmp_path, {"shape": 1})
    assert again.get(KEY) == BASIS  # floats exactly, warnings as a tuple, the actual range as itself
    assert CapacityStore(tmp_path, {"shape": 2}).get(KEY) is None  # another workload shape: another file
    assert fingerprint()[:16] in again.path.name


def test_damaged_store_is_recomputed_not_trusted(tmp_path: Path) -> None:
    store = CapacityStore(tmp_path, {"shape": 1})
    store.put(KEY, BASIS)
    store.save()
    store.path.write_text("{not json", encoding="utf-8")
    assert CapacityStore(tmp_path, {"shape": 1}).get(KEY) is None


def test_no_folder_means_no_store() -> None:
    store = CapacityStore(None, {"shape": 1})
    store.put(KEY, BASIS)
    store.save()  # nothing written, no error
    assert store.path is None
