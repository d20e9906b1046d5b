"""The user price cache: where it lives, CSV round trip, meta, atomic replace."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest

from costcalc.errors import PricingError
from costcalc.pricing import cache
from costcalc.pricing.schema import ApiPrice
from costcalc.pricing.tables import read_csv

DAY = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))


def _row(model: str, input_usd: float, output_usd: float, **extra: object) -> ApiPrice:
    return ApiPrice(
        id=f"acme/{model}",
        provider="acme",
        model=model,
        source="https://example.test/prices.json#" + model,
        as_of=DAY,
        input_usd_per_mtok=input_usd,
        output_usd_per_mtok=output_usd,
        **extra,
    )


def test_env_override_wins(tmp_path: Path) -> None:
    assert cache.cache_dir() == tmp_path / "cache"
    assert cache.csv_path("litellm") == tmp_path / "cache" / "pricing" / "litellm.csv"


def test_linux_default_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.CACHE_ENV)
    monkeypatch.setattr(cache.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "costcalc"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "costcalc"


def test_nothing_cached_yet() -> None:
    assert cache.cached_tables() == []
    assert cache.load_cached("litellm") == []
    assert cache.read_meta("litellm") is None


def test_store_round_trips_exact_values_and_writes_meta() -> None:
    rows = [
        _row("a", 2.5, 10.0, cached_input_usd_per_mtok=0.25, notes="tier, with a comma"),
        _row(
            "b",
            0.1 + 0.2,  # 0.30000000000000004 must survive the CSV exactly
            1.1,
            long_context_threshold_tokens=200_000,
            long_context_input_usd_per_mtok=5.0,
            long_context_output_usd_per_mtok=22.5,
        ),
    ]
    meta = cache.store("litellm", "https://example.test/prices.json", rows, DAY)
    assert cache.load_cached("litellm") == rows
    assert read_csv("api", cache.csv_path("litellm")) == rows  # the shipped-table reader accepts it
    on_disk = json.loads(cache.meta_path("litellm").read_text())
    assert on_disk == {
        "source": "litellm",
        "url": "https://example.test/prices.json",
        "fetched_at": "2026-11-01",
        "rows": 2,
        "sha256": hashlib.sha256(cache.csv_path("litellm").read_bytes()).hexdigest(),
    }
    assert cache.read_meta("litellm") == meta
    assert cache.cached_tables() == [cache.csv_path("litellm")]


def test_header_is_the_api_table_columns() -> None:
    cache.store("openrouter", "https://example.test/m", [_row("a", 1.0, 2.0)], DAY)
    header = cache.csv_path("openrouter").read_text().splitlines()[0].split(",")
    assert sorted(header) == sorted(ApiPrice.model_fields)
    assert header == list(cache.API_COLUMNS)


def test_cached_tables_sorted_and_ignore_meta_and_temp_files() -> None:
    cache.store("openrouter", "u", [_row("a", 1.0, 2.0)], DAY)
    cache.store("genai-prices", "u", [_row("a", 1.0, 2.0)], DAY)
    (cache.pricing_cache_dir() / ".litellm.csv.123.tmp").write_text("junk")
    names = [p.name for p in cache.cached_tables()]
    assert names == ["genai-prices.csv", "openrouter.csv"]


def test_failed_replace_keeps_old_file_and_leaves_no_temp(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.store("litellm", "u", [_row("a", 1.0, 2.0)], DAY)
    before = cache.csv_path("litellm").read_bytes()

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PricingError, match="cannot write the cache: Permission denied"):
        cache.store("litellm", "u", [_row("a", 9.0, 9.0)], DAY)
    assert cache.csv_path("litellm").read_bytes() == before
    assert [p.name for p in cache.pricing_cache_dir().iterdir() if p.name.endswith(".tmp")] == []


def test_damaged_cache_file_is_a_pricing_error() -> None:
    cache.pricing_cache_dir().mkdir(parents=True)
    cache.csv_path("litellm").write_text("id,provider,bogus\nx,y,z\n")
    with pytest.raises(PricingError, match="unknown column"):
        cache.load_cached("litellm")


def test_a_damaged_cache_file_stops_a_report_with_how_to_replace_it(tmp_path: Path) -> None:
    from tests.support.cli import invoke

    cache.pricing_cache_dir().mkdir(parents=True)
    damaged = cache.csv_path("litellm")
    damaged.write_bytes(b"")  # a write cut short (a full disk)
    out = tmp_path / "report.md"
    code, stdout, stderr = invoke("report", "examples/startup-chatbot.yaml", "-o", str(out))
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"error: {damaged}:1: a damaged `costcalc pricing update` cache file (empty file); delete it or run"
        " `costcalc pricing update --source litellm`"
    )
    assert not out.exists()


def test_a_damaged_cache_file_of_no_known_source_says_delete_it() -> None:
    from costcalc.pricing.book import PriceBook

    cache.pricing_cache_dir().mkdir(parents=True)
    damaged = cache.pricing_cache_dir() / "mine.csv"
    damaged.write_text("id,provider,bogus\nx,y,z\n")
    with pytest.raises(PricingError) as caught:
        PriceBook.load()
    assert str(caught.value) == (
        f"{damaged}:1: a damaged `costcalc pricing update` cache file (unknown column(s) ['bogus'] for table 'api');"
        " delete it"
    )
