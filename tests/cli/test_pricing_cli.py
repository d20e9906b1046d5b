"""`costcalc pricing list|show` over the shipped tables and a user's --pricing file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.cli import app

ACME_CSV = (
    "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"
    "acme/test-model,acme,test-model,1.5,6.0,https://example.com/acme-prices,2026-08-01\n"
)


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    path = tmp_path / "acme.csv"
    path.write_text(ACME_CSV, encoding="utf-8")
    return path


def test_list_user_rows_json(acme: Path) -> None:
    result = invoke("pricing", "list", "--provider", "acme", "--format", "json", "--pricing", str(acme))
    assert result.exit_code == 0
    assert result.stderr == ""
    rows = json.loads(result.stdout)["rows"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["table"], row["id"], row["input_usd_per_mtok"], row["output_usd_per_mtok"]) == (
        "api",
        "acme/test-model",
        1.5,
        6.0,
    )
    assert row["as_of"] == "2026-08-01"
    assert row["source"] == "https://example.com/acme-prices"
    assert row["origin"] == f"override:{acme}"


def test_list_csv_and_table(acme: Path) -> None:
    as_csv = invoke("pricing", "list", "--provider", "acme", "-f", "csv", "--pricing", str(acme))
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["id"] for r in rows] == ["acme/test-model"]
    table = invoke("pricing", "list", "--provider", "acme", "--pricing", str(acme))
    assert table.exit_code == 0
    assert "acme/test-model" in table.stdout


def test_list_by_kind_only_has_that_table() -> None:
    result = invoke("pricing", "list", "--kind", "seat", "-f", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)["rows"]
    assert rows and {r["table"] for r in rows} == {"seats"}
    # every shipped row says where its number comes from and when
    assert all(r["source"] and r["as_of"] for r in rows)


def test_user_row_overrides_a_shipped_row(tmp_path: Path) -> None:
    shipped = json.loads(invoke("pricing", "list", "--kind", "api", "-f", "json").stdout)["rows"][0]
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"
        f"{shipped['id']},{shipped['provider']},{shipped['model']},123,456,https://example.com/negotiated,2026-08-01\n",
        encoding="utf-8",
    )
    rows = json.loads(invoke("pricing", "list", "--kind", "api", "-f", "json", "--pricing", str(path)).stdout)["rows"]
    mine = [r for r in rows if r["id"] == shipped["id"]]
    assert len(mine) == 1
    assert (mine[0]["input_usd_per_mtok"], mine[0]["origin"]) == (123.0, f"override:{path}")


def test_show_one_row(acme: Path) -> None:
    result = invoke("pricing", "show", "acme/test-model", "--pricing", str(acme), "--today", "2026-09-01")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "table: api",
        "id: acme/test-model",
        "source: https://example.com/acme-prices",
        "as_of: 2026-08-01",
        "provider: acme",
        "model: test-model",
        "input_usd_per_mtok: 1.5",
        "output_usd_per_mtok: 6.0",
        f"origin: override:{acme}",
    ]


def test_show_unknown_id_lists_closest(acme: Path) -> None:
    result = invoke("pricing", "show", "acme/test-modl", "--pricing", str(acme))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: no price row 'acme/test-modl' (did you mean: acme/test-model?); `costcalc pricing list` lists ids\n"
    )


def test_bad_user_price_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(ACME_CSV.replace(",1.5,", ",-1.5,"), encoding="utf-8")
    result = invoke("pricing", "list", "--pricing", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path}:2: input_usd_per_mtok: ")
    assert len(result.stderr.splitlines()) == 1


def test_unknown_kind_is_a_usage_error() -> None:
    result = invoke("pricing", "list", "--kind", "nope")
    assert result.exit_code == 2
    assert result.stdout == ""


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_list_table_fits_the_terminal_and_shows_every_id_whole(columns: int) -> None:
    result = CliRunner().invoke(app, ["pricing", "list"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    ids = [row["id"] for row in json.loads(invoke("pricing", "list", "-f", "json").stdout)["rows"]]
    firsts = {line.split()[0] for line in lines if line.strip()}
    assert set(ids) <= firsts  # each id starts a line, unsplit
    api_header = lines[1].split()  # the line under "api (N rows)"
    assert (columns >= 120) == ("cached" in api_header)  # optional columns only where they fit ...
    assert (columns >= 120) != ("Not shown at 80 columns: cached," in " ".join(result.stdout.split()))  # ... else named


def test_show_json_and_output_file(tmp_path: Path) -> None:
    doc = json.loads(invoke("pricing", "show", "openai/gpt-5-mini", "-f", "json").stdout)
    shown = doc["row"]
    assert shown["table"] == "api" and shown["origin"] == "shipped"
    assert shown["id"].split("@")[0] == "openai/gpt-5-mini"  # the series' row valid today
    assert shown["source"] and shown["as_of"]
    target = tmp_path / "row.json"
    result = invoke("pricing", "show", "openai/gpt-5-mini", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text()) == doc


def test_pricing_list_shows_todays_api_rows_and_history_on_request() -> None:
    today = json.loads(invoke("pricing", "list", "--kind", "api", "--provider", "google", "-f", "json").stdout)["rows"]
    every = json.loads(
        invoke("pricing", "list", "--kind", "api", "--provider", "google", "--history", "-f", "json").stdout
    )["rows"]
    ids = {r["id"] for r in today}
    assert "google/gemini-3.6-flash@2027-01-01" not in ids and "google/gemini-3.6-flash" not in ids
    assert {"google/gemini-3.6-flash", "google/gemini-3.6-flash@2027-01-01"} <= {r["id"] for r in every}
    assert len({r["id"].split("@")[0] for r in today}) == len(today)  # one row per series


def test_pricing_show_of_a_series_is_the_row_valid_today_and_a_dated_id_pins_one() -> None:
    import datetime as dt

    shown = invoke("pricing", "show", "google/gemini-3.6-flash").stdout
    expected = "google/gemini-3.6-flash@2026-10-14" if dt.date.today() <= dt.date(2026, 12, 31) else "@2027-01-01"
    assert expected in shown.splitlines()[1]
    pinned = invoke("pricing", "show", "google/gemini-3.6-flash@2027-01-01").stdout
    assert "input_usd_per_mtok: 1.5" in pinned


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--provider", "openaii"], "error: --provider: no provider 'openaii' (did you mean: openai?)\n"),
        (
            ["--kind", "api", "--provider", "lambda"],
            "error: --provider: 'lambda' has no api rows; it has rental rows (--kind rental)\n",
        ),
    ],
)
def test_a_provider_with_no_rows_is_an_error_not_a_blank(args: list[str], said: str) -> None:
    # a typo'd provider printed nothing and exited 0: the reader could not tell it from 'no prices'
    result = invoke("pricing", "list", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", said)


def test_an_empty_kind_says_so_on_stderr() -> None:
    # no exchange rates ship: the table was blank with exit 0 and no word
    from costcalc.pricing.tables import shipped

    if shipped("fx"):
        pytest.skip("exchange rates ship now; no kind is empty")
    result = invoke("pricing", "list", "--kind", "fx", "-f", "json")
    assert (result.exit_code, json.loads(result.stdout)["rows"]) == (0, [])
    assert result.stderr == "note: no fx price rows match; add your own with --pricing FILE\n"


def test_pricing_json_is_versioned_as_every_json_costcalc_writes() -> None:
    """qa10 finding 6: `pricing list -f json` printed a bare list and `pricing show -f json` the row's object, with no
    schema_version, though the README says every JSON costcalc writes is versioned."""
    listed = json.loads(invoke("pricing", "list", "--kind", "seat", "-f", "json").stdout)
    assert list(listed) == ["schema_version", "kind", "rows"]
    assert (listed["schema_version"], listed["kind"]) == ("2.0", "pricing_list") and listed["rows"]
    shown = json.loads(invoke("pricing", "show", "openai/gpt-5-mini", "-f", "json").stdout)
    assert list(shown) == ["schema_version", "kind", "row"]
    assert (shown["schema_version"], shown["kind"]) == ("2.0", "pricing_row")
    row = shown["row"]
    listed_rows = json.loads(invoke("pricing", "list", "--kind", "api", "-f", "json").stdout)["rows"]
    assert row == next(r for r in listed_rows if r["id"] == row["id"])  # show writes a row as list does


def test_show_says_a_row_is_stale_on_the_day_as_a_report_does(acme: Path) -> None:
    """`costcalc pricing show hgx-h100-8gpu-server-2026` printed 'as_of: 2026-05-04' and nothing more, while a report
    on the same day says '...; older than 120 days, kept: <reason>' and warns: the command a report's assumptions
    send the reader to ('`costcalc pricing show ID` prints the whole row') did not say the row was stale."""
    result = invoke("pricing", "show", "hgx-h100-8gpu-server-2026", "--today", "2026-12-07")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "stale: older than 120 days on 2026-12-07 (the hardware table's limit); kept: integrator-quote range" in text
    result = invoke("pricing", "show", "openai/gpt-6-luna", "--today", "2027-01-20")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "stale: older than 60 days on 2027-01-20 (the api table's limit)"
    result = invoke("pricing", "show", "openai/gpt-6-luna", "--today", "2026-12-07")
    assert result.exit_code == 0 and "stale" not in result.stdout
    result = invoke("pricing", "show", "acme/test-model", "--pricing", str(acme), "--today", "2026-12-07")
    assert result.stdout.splitlines()[-1] == "stale: older than 60 days on 2026-12-07 (the api table's limit)"


def test_list_stars_the_rows_stale_on_the_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """`pricing list --kind hardware` showed 15 rows older than the table's 120 days on 2026-12-07 with their dates
    alone, though a report on that day calls each stale; now each such date is starred and a line says what the star
    means (fresh rows, and a table with none, unchanged)."""
    monkeypatch.setenv("COLUMNS", "80")
    result = invoke("pricing", "list", "--kind", "hardware", "--today", "2026-12-07")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(line.endswith("2026-05-04*") for line in lines)  # hgx-h100-8gpu-server-2026
    assert any(line.endswith("2026-09-19") for line in lines)  # nvidia-rtx-pro-6000-blackwell, 79 days old
    assert " ".join(result.stdout.split()).endswith(
        "* older than 120 days on 2026-12-07 (the hardware table's limit, 15 of 16 rows); `costcalc pricing show ID`"
        " says why a shipped one is kept."
    )
    assert max(map(len, lines)) <= 80
    result = invoke("pricing", "list", "--kind", "rental", "--provider", "lambda", "--today", "2026-12-07")
    assert result.exit_code == 0 and "*" not in result.stdout
