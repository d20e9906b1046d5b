"""`pricing update` keeps upstream dates: genai-prices releases from a real 127.0.0.1 index, dated catalogs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import pty
import select
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from costcalc.errors import InputError
from costcalc.pricing import cache
from costcalc.pricing.book import PriceBook
from costcalc.pricing.update import update
from tests.pricing.test_update import FAST, FAST_CONFIG, FIXTURES, run
from tests.support.http_server import Reply, TestServer, serve

UPLOADED = "2026-12-01T10:00:00Z"
# Two series of the shipped selection, the way a newer genai-prices release would carry them
DATA = textwrap.dedent(
    """\
    import datetime
    from decimal import Decimal

    providers: list[Provider] = [
        Provider(id='google', name='Google', api_pattern='x', models=[
            ModelInfo(id='gemini-3.6-flash', match=ClauseStartsWith(starts_with='gemini-3.6-flash'), prices=[
                ConditionalPrice(prices=ModelPrice(input_mtok=Decimal('0.7'), cache_read_mtok=Decimal('0.07'),
                                                   output_mtok=Decimal('3.5'))),
                ConditionalPrice(constraint=StartDateConstraint(start_date=datetime.date(2027, 2, 1)),
                                 prices=ModelPrice(input_mtok=Decimal('1.4'), cache_read_mtok=Decimal('0.14'),
                                                   output_mtok=Decimal('7'))),
            ]),
        ]),
        Provider(id='openai', name='OpenAI', api_pattern='x', models=[
            ModelInfo(id='gpt-6-luna', match=ClauseEquals(equals='gpt-6-luna'),
                      prices=ModelPrice(input_mtok=Decimal('0.08'), cache_read_mtok=Decimal('0.008'),
                                        output_mtok=Decimal('0.4'))),
        ]),
    ]
    """
)


def _wheel(version: str = "0.2.6", data: str = DATA) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(f"genai_prices-{version}.dist-info/METADATA", f"Name: genai-prices\nVersion: {version}\n")
        archive.writestr("genai_prices/data.py", data)
    return buf.getvalue()


def _index(wheel: bytes, *, sha256: str | None = None) -> bytes:
    return json.dumps(
        {
            "info": {"version": "0.2.6"},
            "urls": [
                {
                    "filename": "genai_prices-0.2.6.tar.gz",
                    "packagetype": "sdist",
                    "upload_time_iso_8601": UPLOADED,
                    "url": "../../packages/genai_prices-0.2.6.tar.gz",
                    "digests": {"sha256": "0" * 64},
                },
                {
                    "filename": "genai_prices-0.2.6-py3-none-any.whl",
                    "packagetype": "bdist_wheel",
                    "upload_time_iso_8601": UPLOADED,
                    "url": "../../packages/genai_prices-0.2.6-py3-none-any.whl",
                    "digests": {"sha256": sha256 or hashlib.sha256(wheel).hexdigest()},
                },
            ],
        }
    ).encode()


@pytest.fixture
def server() -> Iterator[TestServer]:
    with serve() as running:
        yield running


@pytest.fixture
def release(server: TestServer) -> str:
    """An index page and the wheel it names; returns the index URL."""
    wheel = _wheel()
    server.route("/packages/genai_prices-0.2.6-py3-none-any.whl", Reply(body=wheel, content_type="application/zip"))
    return server.route("/pypi/genai-prices/json", Reply(body=_index(wheel)))


def test_genai_prices_is_the_default_source_and_rows_keep_the_release_dates(release: str) -> None:
    code, out, err = run("update", "--url", release, "--min-rows", "1", "--format", "json", *FAST)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["source"] == "genai-prices"
    assert report["dated_by"] == "genai-prices 0.2.6, uploaded 2026-12-01"
    rows = {r.id: r for r in cache.load_cached("genai-prices")}
    flash, later = rows["google/gemini-3.6-flash"], rows["google/gemini-3.6-flash@2027-02-01"]
    assert (flash.input_usd_per_mtok, flash.valid_until, flash.as_of) == (
        0.7,
        dt.date(2027, 1, 31),
        dt.date(2026, 12, 1),
    )
    assert (later.input_usd_per_mtok, later.as_of) == (1.4, dt.date(2027, 2, 1))  # its own start date
    assert rows["openai/gpt-6-luna"].source == "https://pypi.org/project/genai-prices/0.2.6/"
    assert {r.as_of for r in rows.values()} <= {dt.date(2026, 12, 1), dt.date(2027, 2, 1)}  # never the fetch day
    # every other genai-prices line of the shipped selection is missing from this small release
    assert report["skipped"]["not in this release"] == report["entries_seen"] - 2


def test_refreshed_rows_replace_the_whole_shipped_series(release: str) -> None:
    assert run("update", "--url", release, "--min-rows", "1", *FAST)[0] == 0
    book = PriceBook.load(on=dt.date(2027, 1, 5))
    flash = book.get("api", "google/gemini-3.6-flash")
    # the shipped 2027-01-01 step is gone with its series: the release's own schedule applies
    assert (flash.row.input_usd_per_mtok, flash.origin) == (0.7, "cache:genai-prices")
    assert [p.row.id for p in book.series("google/gemini-3.6-flash")] == [
        "google/gemini-3.6-flash",
        "google/gemini-3.6-flash@2027-02-01",
    ]


def test_a_wheel_that_does_not_match_the_index_hash_is_refused(server: TestServer) -> None:
    wheel = _wheel()
    server.route("/packages/genai_prices-0.2.6-py3-none-any.whl", Reply(body=wheel, content_type="application/zip"))
    url = server.route("/pypi/genai-prices/json", Reply(body=_index(wheel, sha256="1" * 64)))
    code, _, err = run("update", "--url", url, *FAST)
    assert code == 3 and "does not match the index's sha256" in err
    assert cache.cached_tables() == []


def test_as_of_is_refused_for_a_dated_release(release: str) -> None:
    code, _, err = run("update", "--url", release, "--as-of", "2026-12-05", *FAST)
    # the flag once, where the message says what to do (was "error: --as-of: ... drop --as-of")
    assert code == 2 and err.startswith("error: genai-prices releases carry their own upload date; drop --as-of")
    assert err.count("--as-of") == 1
    with pytest.raises(InputError) as info:  # the Python API's words: as_of=, once
        update(url=release, config=FAST_CONFIG, as_of=dt.date(2026, 12, 5))
    assert str(info.value) == "genai-prices releases carry their own upload date; drop as_of="


def test_a_catalog_without_a_date_needs_as_of(server: TestServer) -> None:
    url = server.route("/l.json", Reply(body=(FIXTURES / "litellm_small.json").read_bytes()))
    code, _, err = run("update", "--source", "litellm", "--url", url, *FAST)
    assert code == 2
    assert "sent no Last-Modified header" in err and "pass --as-of" in err and err.count("--as-of") == 1
    assert cache.cached_tables() == []
    code, _, _ = run("update", "--source", "litellm", "--url", url, "--as-of", "2026-11-30", *FAST)
    assert code == 0
    assert {r.as_of for r in cache.load_cached("litellm")} == {dt.date(2026, 11, 30)}


def _run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run costcalc with stdout and stderr on a pseudo-terminal; everything it wrote."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "costcalc", *args], stdout=follower, stderr=follower, stdin=subprocess.DEVNULL, env=env
    )
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                data = os.read(leader, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=10)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_a_spinner_shows_on_a_terminal_only(server: TestServer, tmp_path: Path) -> None:
    body = (FIXTURES / "litellm_small.json").read_bytes()
    url = server.route("/slow.json", Reply(body=body, delay_s=1.5))
    env = {**os.environ, "COSTCALC_CACHE_DIR": str(tmp_path / "cache"), "TERM": "xterm", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    args = ["pricing", "update", "--source", "litellm", "--url", url, "--as-of", "2026-11-30", "--dry-run"]
    shown = _run_in_terminal(args, env)
    assert "fetching litellm prices" in shown
    piped = subprocess.run([sys.executable, "-m", "costcalc", *args], capture_output=True, text=True, env=env)
    assert piped.returncode == 0
    assert "fetching" not in piped.stderr and "fetching" not in piped.stdout


def test_a_data_json_mirror_maps_the_selection_and_is_dated_by_last_modified(server: TestServer) -> None:
    # genai-prices' own v2 data.json (a subset of the repository's file at 47df840a)
    data = (FIXTURES / "genai_prices_small.json").read_bytes()
    url = server.route("/data.json", Reply(body=data, headers={"Last-Modified": "Fri, 21 Aug 2026 09:00:00 GMT"}))
    code, out, err = run("update", "--url", url, "--min-rows", "1", "--format", "json", *FAST)
    assert (code, err) == (0, "")
    assert json.loads(out)["dated_by"] == "genai-prices data.json, dated by the server's Last-Modified date 2026-08-21"
    rows = {r.id: r for r in cache.load_cached("genai-prices")}
    sonnet = rows["anthropic/claude-sonnet-4-5"]
    # input_mtok {base: 3, tiers: [{start: 200000, price: 6}]}, cache writes 3.75 (5 min) and 6 (1 h)
    assert (sonnet.input_usd_per_mtok, sonnet.long_context_input_usd_per_mtok) == (3.0, 6.0)
    assert (sonnet.output_usd_per_mtok, sonnet.long_context_output_usd_per_mtok) == (15.0, 22.5)
    assert (sonnet.cache_write_5m_usd_per_mtok, sonnet.cache_write_1h_usd_per_mtok) == (3.75, 6.0)
    assert sonnet.source == url and sonnet.as_of == dt.date(2026, 8, 21)
    # gemini-3.6-flash: 0.75 until 2026-12-31, 1.5 from 2027-01-01, dated by its own start
    later = rows["google/gemini-3.6-flash@2027-01-01"]
    assert (rows["google/gemini-3.6-flash"].input_usd_per_mtok, later.input_usd_per_mtok) == (0.75, 1.5)
    assert later.as_of == dt.date(2027, 1, 1)


def test_a_data_json_without_a_date_needs_as_of(server: TestServer) -> None:
    url = server.route("/data.json", Reply(body=(FIXTURES / "genai_prices_small.json").read_bytes()))
    code, _, err = run("update", "--url", url, "--min-rows", "1", *FAST)
    assert code == 2 and "pass --as-of" in err and err.count("--as-of") == 1
    assert run("update", "--url", url, "--min-rows", "1", "--as-of", "2026-08-21", *FAST)[0] == 0
