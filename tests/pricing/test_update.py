"""`costcalc pricing update` end to end against a real 127.0.0.1 server, per source shape."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from costcalc.cli.pricing_update import register
from costcalc.errors import CostcalcError, ExternalError
from costcalc.pricing import cache
from costcalc.pricing.fetch import FetchConfig
from costcalc.pricing.schema import ApiPrice
from costcalc.pricing.sources import litellm
from costcalc.pricing.update import diff_rows, update
from costcalc.render.pricing_diff import render_table
from tests.support.http_server import Reply, TestServer, serve


@pytest.fixture
def server() -> Iterator[TestServer]:
    """A real HTTP server on 127.0.0.1:<free port> for this test."""
    with serve() as running:
        yield running


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pricing"
FAST = ["--timeout", "2", "--backoff", "0.01"]
CHECKED = dt.date(2026, 11, 26)
LAST_MODIFIED = {"Last-Modified": "Thu, 26 Nov 2026 08:00:00 GMT"}
FAST_CONFIG = FetchConfig(connect_timeout_s=2, read_timeout_s=2, backoff_base_s=0.01)


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))


def _app() -> typer.Typer:
    pricing_app = typer.Typer()
    register(pricing_app)
    root = typer.Typer()

    @root.callback()
    def _root() -> None:
        pass

    root.add_typer(pricing_app, name="pricing")
    return root


def run(*args: str) -> tuple[int, str, str]:
    """Invoke like the root main(): a CostcalcError → 'error: ...' on stderr + its exit code."""
    result = CliRunner().invoke(_app(), ["pricing", *args])
    if isinstance(result.exception, CostcalcError):
        from costcalc.cli.errors import FLAGS  # as the root main() words a parameter: by its flag

        return result.exception.exit_code, result.stdout, f"error: {result.exception.reworded(FLAGS)}\n"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def body(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def by_id(source: str) -> dict[str, ApiPrice]:
    return {r.id: r for r in cache.load_cached(source)}


def snapshot(source: str) -> tuple[bytes, bytes]:
    return cache.csv_path(source).read_bytes(), cache.meta_path(source).read_bytes()


# --- happy paths, one per source, with numbers worked from the fixture by hand -------------------


def test_litellm_maps_per_token_prices_tiers_cache_and_batch(server: TestServer) -> None:
    url = server.route(
        "/litellm.json", Reply(headers=LAST_MODIFIED, body=(FIXTURES / "litellm_small.json").read_bytes())
    )
    code, out, err = run("update", "--source", "litellm", "--url", url, "--format", "json", *FAST)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["rows"] == 33
    # 36 entries besides sample_spec: an embedding model, a Bedrock model, and deepseek-chat twice
    assert report["skipped"] == {"duplicate id": 1, "not a chat model": 1, "provider not mapped": 1}
    assert report["written"] is True
    rows = by_id("litellm")
    assert len(rows) == 33
    gemini = rows["google/gemini-2.5-pro"]
    # input_cost_per_token 1.25e-06 → 1.25 $/MTok; *_above_200k_tokens → threshold 200000
    assert (gemini.provider, gemini.model) == ("google", "gemini-2.5-pro")
    assert gemini.input_usd_per_mtok == 1.25
    assert gemini.output_usd_per_mtok == 10.0
    assert gemini.cached_input_usd_per_mtok == 0.125
    assert gemini.long_context_threshold_tokens == 200_000
    assert gemini.long_context_input_usd_per_mtok == 2.5  # 2.5e-06
    assert gemini.long_context_output_usd_per_mtok == 15.0  # 1.5e-05
    assert (gemini.batch_input_usd_per_mtok, gemini.flex_output_usd_per_mtok) == (0.625, 5.0)
    assert gemini.context_window_tokens == 1_048_576
    assert gemini.source == f"{url}#gemini/gemini-2.5-pro"
    assert gemini.as_of == CHECKED  # the server's Last-Modified date, not the download day
    sonnet = rows["anthropic/claude-sonnet-4-5"]
    # cache_read 3e-07 → 0.3; cache_creation 3.75e-06 → 3.75; cache_creation_..._above_1hr 6e-06 → 6
    assert (sonnet.input_usd_per_mtok, sonnet.output_usd_per_mtok) == (3.0, 15.0)
    assert sonnet.cached_input_usd_per_mtok == 0.3
    assert sonnet.cache_write_5m_usd_per_mtok == 3.75
    assert sonnet.cache_write_1h_usd_per_mtok == 6.0
    assert sonnet.long_context_threshold_tokens is None
    assert sonnet.notes == "LiteLLM cites https://platform.claude.com/docs/en/about-claude/pricing"
    assert rows["openai/gpt-5.4"].long_context_threshold_tokens == 272_000
    assert "fireworks/accounts/fireworks/models/deepseek-r1" in rows
    assert cache.read_meta("litellm").rows == 33


def test_openrouter_maps_price_strings_and_overrides(server: TestServer) -> None:
    url = server.route(
        "/api/v1/models", Reply(headers=LAST_MODIFIED, body=(FIXTURES / "openrouter_small.json").read_bytes())
    )
    code, out, _ = run("update", "--source", "openrouter", "--url", url, "--format", "json", *FAST)
    assert code == 0
    report = json.loads(out)
    # openrouter/auto-beta has "-1" prices; two ':free' models cost 0 and 0
    assert report["skipped"] == {
        "negative price (placeholder)": 1,
        "zero input and output price": 2,
    }
    assert report["rows"] == 31
    rows = by_id("openrouter")
    opus = rows["openrouter/anthropic/claude-opus-4"]
    # "0.000015" → 15, "0.000075" → 75, cache read "0.0000015" → 1.5, write "0.00001875" → 18.75
    assert (opus.provider, opus.model) == ("openrouter", "anthropic/claude-opus-4")
    assert (opus.input_usd_per_mtok, opus.output_usd_per_mtok) == (15.0, 75.0)
    assert (opus.cached_input_usd_per_mtok, opus.cache_write_5m_usd_per_mtok) == (1.5, 18.75)
    assert opus.cache_write_1h_usd_per_mtok == 30.0
    assert opus.source == url
    qwen = rows["openrouter/qwen/qwen3.7-flash"]
    # overrides at min_prompt_tokens 32000 and 256000: the lowest, 32000, is the tier
    assert qwen.long_context_threshold_tokens == 32_000
    assert (qwen.input_usd_per_mtok, qwen.long_context_input_usd_per_mtok) == (0.03, 0.1)
    assert (qwen.output_usd_per_mtok, qwen.long_context_output_usd_per_mtok) == (0.13, 0.4)


# --- the diff ------------------------------------------------------------------------------------


def test_second_update_reports_moved_added_and_removed(server: TestServer) -> None:
    first = load("litellm_small.json")
    url = server.route("/l.json", Reply(headers=LAST_MODIFIED, body=body(first)))
    assert run("update", "--source", "litellm", "--url", url, *FAST)[0] == 0

    second = copy.deepcopy(first)
    second["gpt-4o"]["input_cost_per_token"] = 3e-06  # was 2.5e-06: 2.5 → 3.0 $/MTok, +20 %
    del second["o3"]
    second["gpt-4o-clone"] = dict(first["gpt-4o"])
    server.route("/l.json", Reply(headers=LAST_MODIFIED, body=body(second)))
    code, out, _ = run("update", "--source", "litellm", "--url", url, "--format", "json", *FAST)
    assert code == 0
    report = json.loads(out)
    assert [r["id"] for r in report["added"]] == ["openai/gpt-4o-clone"]
    assert [r["id"] for r in report["removed"]] == ["openai/o3"]
    assert report["changed"] == [
        {
            "id": "openai/gpt-4o",
            "source": f"{url}#gpt-4o",
            "as_of": CHECKED.isoformat(),
            "fields": [
                {
                    "field": "input_usd_per_mtok",
                    "old": 2.5,
                    "new": 3.0,
                    "change_pct": pytest.approx(20.0),
                }
            ],
        }
    ]
    assert report["unchanged"] == 31
    assert by_id("litellm")["openai/gpt-4o"].input_usd_per_mtok == 3.0

    table = run("update", "--source", "litellm", "--url", url, "--dry-run", *FAST)[1]
    assert "0 added, 0 removed, 0 changed, 33 unchanged" in table
    assert "dry run: the cache was not changed" in table


def test_table_view_names_source_url_date_and_change(server: TestServer) -> None:
    first = load("litellm_small.json")
    url = server.route("/l.json", Reply(headers=LAST_MODIFIED, body=body(first)))
    run("update", "--source", "litellm", "--url", url, *FAST)
    first["gpt-4o"]["output_cost_per_token"] = 5e-06  # 10 → 5 $/MTok: -50 %
    server.route("/l.json", Reply(headers=LAST_MODIFIED, body=body(first)))
    code, out, _ = run("update", "--source", "litellm", "--url", url, *FAST)
    assert code == 0
    assert out.startswith(f"litellm: 33 rows from {url} (fetched {dt.date.today().isoformat()})")
    assert "rows dated from litellm, dated by the server's Last-Modified date 2026-11-26" in out
    line = next(ln for ln in out.splitlines() if "openai/gpt-4o " in ln)
    assert "output_usd_per_mtok" in line and "-50.0%" in line and "#gpt-4o" in line
    assert f"stored in {cache.csv_path('litellm')}" in out


def test_dry_run_writes_nothing(server: TestServer) -> None:
    url = server.route("/l.json", Reply(headers=LAST_MODIFIED, body=(FIXTURES / "litellm_small.json").read_bytes()))
    code, out, _ = run("update", "--source", "litellm", "--url", url, "--dry-run", "--format", "json", *FAST)
    assert code == 0
    assert json.loads(out)["written"] is False
    assert len(json.loads(out)["added"]) == 33
    assert cache.cached_tables() == []


def test_diff_rows_percent_is_relative_to_old() -> None:
    def row(price: float) -> ApiPrice:
        return ApiPrice(
            id="a/b",
            provider="a",
            model="b",
            source="https://x",
            as_of=dt.date(2026, 1, 1),
            input_usd_per_mtok=price,
            output_usd_per_mtok=1.0,
        )

    (change,) = diff_rows([row(4.0)], [row(3.0)]).changed
    assert change.fields[0].change_pct == pytest.approx(-25.0)  # (3 - 4) / 4


# --- failures leave the previous cache untouched and exit 3 -------------------------------------


@pytest.fixture
def cached_litellm(server: TestServer) -> tuple[bytes, bytes]:
    """A good LiteLLM cache written by a successful update; returns its bytes (CSV, meta)."""
    url = server.route("/good.json", Reply(headers=LAST_MODIFIED, body=(FIXTURES / "litellm_small.json").read_bytes()))
    assert run("update", "--source", "litellm", "--url", url, *FAST)[0] == 0
    return snapshot("litellm")


def test_500_then_success_retries(server: TestServer, cached_litellm: tuple[bytes, bytes]) -> None:
    data = load("litellm_small.json")
    data["gpt-4o"]["input_cost_per_token"] = 5e-06
    url = server.route("/flaky.json", Reply(status=500), Reply(headers=LAST_MODIFIED, body=body(data)))
    code, _, err = run("update", "--source", "litellm", "--url", url, *FAST)
    assert (code, err) == (0, "")
    assert server.hits("/flaky.json") == 2
    assert by_id("litellm")["openai/gpt-4o"].input_usd_per_mtok == 5.0


def test_500_always_exits_3_and_keeps_cache(server: TestServer, cached_litellm: tuple[bytes, bytes]) -> None:
    url = server.route("/down.json", Reply(status=500, body=b"Internal Server Error"))
    code, out, err = run("update", "--source", "litellm", "--url", url, "--tries", "3", *FAST)
    assert (code, out) == (3, "")
    assert err == f"error: HTTP 500 from {url} (gave up after 3 tries; try again later or use --url)\n"
    assert server.hits("/down.json") == 3
    assert snapshot("litellm") == cached_litellm


def test_timeout_exits_3_and_keeps_cache(server: TestServer, cached_litellm: tuple[bytes, bytes]) -> None:
    url = server.route("/slow.json", Reply(headers=LAST_MODIFIED, body=b"{}", delay_s=2.0))
    code, _, err = run("update", "--source", "litellm", "--url", url, "--timeout", "0.2", "--tries", "1")
    assert code == 3
    assert "timed out reading" in err and "after 0.2 s" in err
    assert snapshot("litellm") == cached_litellm


def test_truncated_json_exits_3_and_keeps_cache(server: TestServer, cached_litellm: tuple[bytes, bytes]) -> None:
    whole = (FIXTURES / "litellm_small.json").read_bytes()
    url = server.route("/t.json", Reply(headers=LAST_MODIFIED, body=whole[: len(whole) * 2 // 3]))
    code, _, err = run("update", "--source", "litellm", "--url", url, *FAST)
    assert code == 3
    assert err.startswith(f"error: truncated JSON from {url}")
    assert snapshot("litellm") == cached_litellm


def test_connection_cut_mid_body_exits_3_and_keeps_cache(
    server: TestServer, cached_litellm: tuple[bytes, bytes]
) -> None:
    whole = (FIXTURES / "litellm_small.json").read_bytes()
    url = server.route("/cut.json", Reply(headers=LAST_MODIFIED, body=whole, cut_after_bytes=1000))
    code, _, err = run("update", "--source", "litellm", "--url", url, *FAST)
    assert code == 3 and "cut off before the end" in err
    assert snapshot("litellm") == cached_litellm


def test_html_page_exits_3_and_keeps_cache(server: TestServer, cached_litellm: tuple[bytes, bytes]) -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>GitHub</title></head><body>blob view</body></html>"
    url = server.route("/blob", Reply(headers=LAST_MODIFIED, body=page, content_type="text/html; charset=utf-8"))
    code, _, err = run("update", "--source", "litellm", "--url", url, *FAST)
    assert code == 3
    assert "expected JSON, got HTML (is the URL right?)" in err
    assert snapshot("litellm") == cached_litellm


def test_half_the_rows_missing_is_refused(server: TestServer, cached_litellm: tuple[bytes, bytes]) -> None:
    data = load("litellm_small.json")
    keep = list(data)[:15]  # sample_spec + 14 entries → 13 rows, under half of the 33 cached
    url = server.route("/half.json", Reply(headers=LAST_MODIFIED, body=body({k: data[k] for k in keep})))
    code, _, err = run("update", "--source", "litellm", "--url", url, *FAST)
    assert code == 3
    assert "under 50% of the 33 cached" in err and "cache was kept" in err
    assert snapshot("litellm") == cached_litellm


def test_first_fetch_needs_a_minimum_of_rows(server: TestServer) -> None:
    data = load("openrouter_small.json")
    data["data"] = data["data"][:10]
    url = server.route("/few", Reply(headers=LAST_MODIFIED, body=body(data)))
    code, _, err = run("update", "--source", "openrouter", "--url", url, *FAST)
    assert code == 3
    assert "fewer than the minimum 20" in err
    assert cache.cached_tables() == []
    assert run("update", "--source", "openrouter", "--url", url, "--min-rows", "5", *FAST)[0] == 0


def test_entries_missing_price_fields_are_skipped_and_counted(server: TestServer) -> None:
    data = load("openrouter_small.json")
    dropped = []
    for model in data["data"][5:9]:
        del model["pricing"]["completion"]
        dropped.append(model["id"])
    del data["data"][9]["pricing"]
    url = server.route("/m", Reply(headers=LAST_MODIFIED, body=body(data)))
    code, out, _ = run("update", "--source", "openrouter", "--url", url, "--format", "json", *FAST)
    assert code == 0
    report = json.loads(out)
    assert report["skipped"]["missing input/output price"] == 5
    assert report["rows"] == 31 - 5
    assert not {f"openrouter/{m}" for m in dropped} & set(by_id("openrouter"))


def test_wrong_shape_for_the_source_exits_3(server: TestServer) -> None:
    url = server.route("/m", Reply(headers=LAST_MODIFIED, body=(FIXTURES / "openrouter_small.json").read_bytes()))
    code, _, err = run("update", "--source", "litellm", "--url", url, *FAST)
    assert code == 3
    assert "maps to 0 litellm rows" in err and "check the URL and --source" in err


def test_size_limit_exits_3(server: TestServer, cached_litellm: tuple[bytes, bytes]) -> None:
    url = server.route("/big.json", Reply(headers=LAST_MODIFIED, body=(FIXTURES / "litellm_small.json").read_bytes()))
    code, _, err = run("update", "--source", "litellm", "--url", url, "--max-mb", "0.01", *FAST)
    assert code == 3 and "larger than the 0.01 MB limit" in err
    assert snapshot("litellm") == cached_litellm


def test_damaged_cache_is_replaced_with_a_warning(server: TestServer) -> None:
    cache.pricing_cache_dir().mkdir(parents=True)
    cache.csv_path("litellm").write_text("id,provider,nonsense\n")
    url = server.route("/l.json", Reply(headers=LAST_MODIFIED, body=(FIXTURES / "litellm_small.json").read_bytes()))
    code, _, err = run("update", "--source", "litellm", "--url", url, *FAST)
    assert code == 0
    assert err.startswith("warning: the cached litellm table is damaged and will be replaced")
    assert len(by_id("litellm")) == 33


def test_library_raises_external_error_not_system_exit(server: TestServer) -> None:
    url = server.route("/x", Reply(status=503))
    with pytest.raises(ExternalError):
        update("litellm", url, config=FAST_CONFIG, as_of=CHECKED)


def test_render_table_is_pure_text(server: TestServer) -> None:
    url = server.route("/l.json", Reply(headers=LAST_MODIFIED, body=(FIXTURES / "litellm_small.json").read_bytes()))
    result = update("litellm", url, config=FAST_CONFIG, dry_run=True, today=dt.date(2026, 11, 26))
    text = render_table(result)
    assert "\x1b[" not in text  # no terminal colour codes
    assert "against 0 cached rows: 33 added, 0 removed, 0 changed, 0 unchanged" in text


def test_litellm_structured_tiers_map_to_base_and_long_context() -> None:
    # dashscope/qwen-flash as LiteLLM 1.110.2 ships it: no top-level prices, two ranges
    entry = {
        "litellm_provider": "dashscope",
        "max_input_tokens": 997952,
        "mode": "chat",
        "tiered_pricing": [
            {
                "input_cost_per_token": 2.5e-07,
                "output_cost_per_token": 2e-06,
                "range": [256000.0, 1e6],
            },
            {"input_cost_per_token": 5e-08, "output_cost_per_token": 4e-07, "range": [0, 256000.0]},
        ],
    }
    mapped = litellm.map_catalog({"dashscope/qwen-flash": entry}, "https://m.test/p.json", dt.date(2026, 1, 1))
    (row,) = mapped.rows
    assert (row.id, row.provider, row.model) == ("alibaba/qwen-flash", "alibaba", "qwen-flash")
    # range [0, 256000): 5e-08 → 0.05, 4e-07 → 0.4; from 256000: 2.5e-07 → 0.25, 2e-06 → 2
    assert (row.input_usd_per_mtok, row.output_usd_per_mtok) == (0.05, 0.4)
    assert row.long_context_threshold_tokens == 256_000
    assert (row.long_context_input_usd_per_mtok, row.long_context_output_usd_per_mtok) == (
        0.25,
        2.0,
    )


def test_a_catalog_row_with_a_fee_per_request_is_left_out_and_counted() -> None:
    # Perplexity's online models as LiteLLM 1.110.2 and OpenRouter (May 2025) list them: $0.005 a request beside
    # token prices; stored as token prices alone, a 1,000 + 250-token request cost $0.00007 instead of $0.00507
    from costcalc.pricing.sources import PER_REQUEST_FEE, openrouter

    online = {
        "litellm_provider": "perplexity",
        "mode": "chat",
        "input_cost_per_request": 0.005,
        "input_cost_per_token": 0,
        "output_cost_per_token": 2.8e-07,
    }
    chat = {
        "litellm_provider": "perplexity",
        "mode": "chat",
        "input_cost_per_token": 7e-08,
        "output_cost_per_token": 2.8e-07,
    }
    mapped = litellm.map_catalog(
        {"perplexity/sonar-small-online": online, "perplexity/sonar-small-chat": chat}, "https://m.test/p.json", CHECKED
    )
    assert [row.id for row in mapped.rows] == ["perplexity/sonar-small-chat"]
    assert mapped.skipped == {PER_REQUEST_FEE: 1}

    def model(name: str, request: str) -> dict[str, Any]:
        return {"id": name, "pricing": {"prompt": "0.000001", "completion": "0.000001", "request": request}}

    payload = {"data": [model("perplexity/sonar", "0.005"), model("meta-llama/llama-3.1-8b-instruct", "0")]}
    mapped = openrouter.map_catalog(payload, "https://m.test/models", CHECKED)
    assert [row.model for row in mapped.rows] == ["meta-llama/llama-3.1-8b-instruct"]
    assert mapped.skipped == {PER_REQUEST_FEE: 1}
