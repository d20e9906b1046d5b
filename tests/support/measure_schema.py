"""Check that a document follows the costcalc.measure/1 schema the ingest parser reads."""

from __future__ import annotations

from typing import Any

LATENCY_KEYS = ("mean", "p50", "p90", "p95", "p99")
TOP_KEYS = {
    "schema": str,
    "model": str,
    "base_url": str,
    "input_tokens_requested": int,
    "output_tokens_requested": int,
    "levels": list,
}
LEVEL_KEYS = {
    "requests_completed": int,
    "requests_failed": int,
    "errors": dict,
    "duration_s": float,
    "requests_per_s": float,
    "output_tokens_per_s": float,
}
LATENCY_METRICS = ("ttft_ms", "tpot_ms", "itl_ms", "e2e_ms")


def assert_measure_schema(doc: dict[str, Any]) -> None:
    """Fail with a named key when `doc` does not follow costcalc.measure/1."""
    assert doc["schema"] == "costcalc.measure/1"
    for key, kind in TOP_KEYS.items():
        assert isinstance(doc[key], kind), f"top-level {key}: {doc.get(key)!r}"
    assert doc["levels"], "no levels"
    for level in doc["levels"]:
        for key, kind in LEVEL_KEYS.items():
            assert isinstance(level[key], kind), f"level {key}: {level.get(key)!r}"
        if "request_rate_per_s" in level:  # an open-loop level: a rate, no concurrency
            assert level["concurrency"] is None and level["request_rate_per_s"] > 0, level
            assert doc["arrivals"] == "poisson" and isinstance(doc["seed"], int)
        else:
            assert isinstance(level["concurrency"], int), f"level concurrency: {level.get('concurrency')!r}"
        assert all(isinstance(v, int) and v > 0 for v in level["errors"].values())
        assert sum(level["errors"].values()) == level["requests_failed"]
        for key in ("input_tokens_mean", "output_tokens_mean"):
            assert level[key] is None or isinstance(level[key], float), key
        for metric in LATENCY_METRICS:
            stats = level[metric]
            assert set(stats) == set(LATENCY_KEYS), metric
            known = [stats[k] for k in ("p50", "p90", "p95", "p99")]
            if None not in known:
                assert known == sorted(known), f"{metric} percentiles out of order: {stats}"
                assert known[0] >= 0
