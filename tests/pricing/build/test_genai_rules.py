"""Each mapping rule from genai-prices to api.csv rows, on the small upstream the tests write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from costcalc.errors import PricingError
from costcalc.pricing.build import build
from costcalc.pricing.schema import ApiPrice
from tests.pricing.build.upstream import GENAI_DATA, LITELLM_DATA, write_upstreams


@pytest.fixture
def rows(tmp_path: Path) -> dict[str, ApiPrice]:
    return {r.id: r for r in build(write_upstreams(tmp_path)).rows}


def test_a_start_date_splits_the_series_into_dated_rows(rows: dict[str, ApiPrice]) -> None:
    # flash: 0.75/3.75 until 2026-12-31, 1.5/7.5 from 2027-01-01; the batch variant starts 2026-10-14
    first, batch, later = rows["google/flash"], rows["google/flash@2026-10-14"], rows["google/flash@2027-01-01"]
    assert (first.valid_from, first.valid_until) == (None, dt.date(2026, 10, 13))
    assert (first.input_usd_per_mtok, first.batch_input_usd_per_mtok) == (0.75, None)
    assert (batch.valid_from, batch.valid_until) == (dt.date(2026, 10, 14), dt.date(2026, 12, 31))
    assert (batch.input_usd_per_mtok, batch.batch_input_usd_per_mtok, batch.batch_output_usd_per_mtok) == (
        0.75,
        0.375,
        1.875,
    )
    # both batch variants are active in 2027: the first listed wins, as in genai-prices
    assert (later.input_usd_per_mtok, later.cached_input_usd_per_mtok, later.output_usd_per_mtok) == (1.5, 0.15, 7.5)
    assert (later.batch_input_usd_per_mtok, later.valid_until) == (0.75, None)


def test_as_of_is_the_release_upload_date_or_a_later_start(rows: dict[str, ApiPrice]) -> None:
    assert rows["google/flash"].as_of == dt.date(2026, 11, 19)
    # started before the release; it also carries litellm's flex and priority tiers, so it is dated by the
    # newer release of the two (litellm 9.9.2, 2026-11-20)
    assert rows["google/flash@2026-10-14"].as_of == dt.date(2026, 11, 20)
    assert rows["google/flash@2027-01-01"].as_of == dt.date(2027, 1, 1)  # scheduled after it


def test_provenance_names_package_version_entry_and_reference(rows: dict[str, ApiPrice]) -> None:
    flash = rows["google/flash"]
    assert flash.source == "https://pypi.org/project/genai-prices/9.9.1/"
    assert flash.upstream_entry == "genai_prices/data.py provider 'google' model 'flash'"
    assert flash.reference_url == "https://ai.google.dev/pricing#flash"  # the comment's link wins
    assert rows["openai/big"].reference_url == "https://developers.openai.com/api/docs/pricing"  # else the provider's
    assert flash.context_window_tokens == 1000000


def test_tiers_become_long_context_columns(rows: dict[str, ApiPrice]) -> None:
    big = rows["openai/big"]
    assert (big.input_usd_per_mtok, big.cached_input_usd_per_mtok, big.output_usd_per_mtok) == (8, 0.4, 40)
    assert big.long_context_threshold_tokens == 272000
    assert (big.long_context_input_usd_per_mtok, big.long_context_cached_input_usd_per_mtok) == (16, 0.8)
    assert big.long_context_output_usd_per_mtok == 60


def test_priority_falls_back_to_the_fast_tier_and_other_tiers_are_noted(rows: dict[str, ApiPrice]) -> None:
    big = rows["openai/big"]
    assert (big.priority_input_usd_per_mtok, big.priority_output_usd_per_mtok) == (16, 80)
    assert big.priority_cached_input_usd_per_mtok == 0.4  # the fast variant names no cache-read price: standard's
    assert "service_tier=ultrafast (not modelled)" in (big.notes or "")


def test_cache_writes_map_to_the_provider_lifetime(rows: dict[str, ApiPrice]) -> None:
    big, claude = rows["openai/big"], rows["anthropic/claude-x"]
    assert (big.cache_write_30m_usd_per_mtok, big.cache_write_5m_usd_per_mtok) == (10, None)
    assert (claude.cache_write_5m_usd_per_mtok, claude.cache_write_1h_usd_per_mtok) == (10, 16)


def test_an_alias_resolves_through_the_upstream_match_clause(rows: dict[str, ApiPrice]) -> None:
    small = rows["mistral/mistral-small-2506"]
    assert (small.input_usd_per_mtok, small.output_usd_per_mtok) == (0.1, 0.3)
    assert small.upstream_entry == "genai_prices/data.py provider 'mistral' model 'mistral-small-3.2-24b-instruct'"


def test_daily_windows_become_peak_hours_and_off_peak_prices(rows: dict[str, ApiPrice]) -> None:
    old = rows["deepseek/ds-old"]  # the constrained window is the dearer standard price
    assert old.peak_hours_utc == "daily 00:30-16:30"
    assert (old.input_usd_per_mtok, old.off_peak_input_usd_per_mtok) == (0.27, 0.135)
    assert (old.output_usd_per_mtok, old.off_peak_output_usd_per_mtok) == (1.1, 0.55)


def test_windows_drop_undatable_history_and_take_the_selection_days(rows: dict[str, ApiPrice]) -> None:
    pro = [r for r in rows.values() if r.series == "deepseek/ds-pro"]
    assert [r.id for r in pro] == ["deepseek/ds-pro@2026-08-17"]
    (row,) = pro
    assert row.peak_hours_utc == "mon-fri 01:00-04:00 06:00-10:00"
    assert (row.input_usd_per_mtok, row.off_peak_input_usd_per_mtok) == (1.32, 0.66)
    assert "earlier prices not shipped" in (row.notes or "")
    assert row.reference_url == "https://api-docs.deepseek.com/quick_start/pricing"  # not upstream's issue link


def test_litellm_rows_convert_per_token_prices_and_keep_their_source(rows: dict[str, ApiPrice]) -> None:
    row = rows["deepinfra/open-model"]
    assert (row.input_usd_per_mtok, row.cached_input_usd_per_mtok, row.output_usd_per_mtok) == (0.037, 0.01, 0.17)
    assert row.source == "https://pypi.org/project/litellm/9.9.2/"
    assert row.as_of == dt.date(2026, 11, 20)
    assert row.upstream_entry == "litellm/model_prices_and_context_window_backup.json key 'deepinfra/org/Open-Model'"
    assert row.reference_url == "https://deepinfra.com/pricing"
    assert row.open_weight_model == "open-model"
    assert "deprecation on 2027-03-01" in (row.notes or "")


def test_tiers_with_different_thresholds_stop_the_build(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    (inputs.selection).write_text(
        "id,genai_prices,litellm,primary,open_weight_model,peak_days,note\nopenai/split,openai/split,,,,,\n"
    )
    with pytest.raises(PricingError, match=r"openai/split: genai-prices tiers start at \[128000, 200000\]"):
        build(inputs)


def test_three_daily_price_levels_stop_the_build(tmp_path: Path) -> None:
    peak = "input_mtok=Decimal('1.32'), output_mtok=Decimal('3.96')"
    head, tail = GENAI_DATA.rsplit(peak, 1)  # the second peak window gets a third price level
    inputs = write_upstreams(tmp_path, genai_data=head + peak.replace("1.32", "2") + tail)
    with pytest.raises(PricingError, match="deepseek/ds-pro: genai-prices gives 3 daily price levels"):
        build(inputs)


def test_a_retirement_ends_the_series_and_names_the_successor_upstream_gives(tmp_path: Path) -> None:
    retiring = {
        "deprecation_date": "2026-12-20",
        "deprecation_source": "https://ai.google.dev/gemini-api/docs/deprecations",
        "successor_model": "big",
    }
    data = {**LITELLM_DATA, "gemini/flash": {**LITELLM_DATA["gemini/flash"], **retiring}}
    rows = {r.id: r for r in build(write_upstreams(tmp_path, litellm_data=data)).rows}
    flash = sorted((r for r in rows.values() if r.series == "google/flash"), key=lambda r: r.valid_from or dt.date.min)
    # the 2027 price would start after the retirement: gone; the series' last row runs to the day before
    assert [r.id for r in flash] == ["google/flash", "google/flash@2026-10-14"]
    assert flash[-1].valid_until == dt.date(2026, 12, 19)
    assert flash[-1].successor == "openai/big"  # litellm's key 'big' is that selection line's
    assert "deprecation on 2026-12-20 (https://ai.google.dev/gemini-api/docs/deprecations)" in (flash[-1].notes or "")
    assert flash[0].successor is None


def test_a_successor_the_table_does_not_price_is_named_in_the_notes(tmp_path: Path) -> None:
    data = {**LITELLM_DATA, "big": {**LITELLM_DATA["big"], "deprecation_date": "2027-06-01", "successor_model": "huge"}}
    rows = {r.id: r for r in build(write_upstreams(tmp_path, litellm_data=data)).rows}
    big = rows["openai/big"]
    assert (big.valid_until, big.successor) == (dt.date(2027, 5, 31), None)
    assert "litellm names 'huge' as the successor (not priced in this table)" in (big.notes or "")
