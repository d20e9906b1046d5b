"""`costcalc pricing validate [FILE]`: schema, units, dates and duplicates, with file:line errors; the shipped tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from costcalc.cli.pricing_update import register
from costcalc.errors import CostcalcError, PricingError
from costcalc.pricing import cache, freshness
from costcalc.pricing.validate import validate_file

TODAY = dt.date(2026, 11, 26)
API_LIMIT = freshness.shipped_record().max_age_days("api")  # pricing/freshness.csv: 60
HEADER = "id,provider,model,source,as_of,input_usd_per_mtok,output_usd_per_mtok"


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def api_csv(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def run(*args: str) -> tuple[int, str, str]:
    """Invoke like the root main(): a CostcalcError → 'error: ...' on stderr + its exit code."""
    pricing_app = typer.Typer()
    register(pricing_app)
    root = typer.Typer()

    @root.callback()
    def _root() -> None:
        pass

    root.add_typer(pricing_app, name="pricing")
    result = CliRunner().invoke(root, ["pricing", *args])
    if isinstance(result.exception, CostcalcError):
        return result.exception.exit_code, result.stdout, f"error: {result.exception}\n"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_good_csv_summary_counts_rows_newest_and_stale(tmp_path: Path) -> None:
    old = TODAY - dt.timedelta(days=API_LIMIT + 1)
    edge = TODAY - dt.timedelta(days=API_LIMIT)  # exactly at the api table's limit: not stale yet
    path = write(
        tmp_path,
        "mine.csv",
        api_csv(
            f"acme/a,acme,a,https://acme.test/pricing,{old},2.5,10",
            f"acme/b,acme,b,https://acme.test/pricing,{edge},0.5,1.5",
            "acme/c,acme,c,https://acme.test/pricing,2026-11-01,1,4",
        ),
    )
    report = validate_file(path, today=TODAY)
    assert report.table == "api"
    assert report.summary() == "ok: 3 api rows, newest 2026-11-01, 1 stale"
    (stale,) = report.stale
    assert (stale.id, stale.line, stale.age_days, stale.limit_days) == ("acme/a", 2, API_LIMIT + 1, 60)


def test_a_seat_row_has_its_own_tables_limit(tmp_path: Path) -> None:
    head = "id,provider,plan,monthly_usd_per_seat,source,as_of"
    old = TODAY - dt.timedelta(days=100)  # stale for an api row, fresh for a seat row (120 days)
    path = write(tmp_path, "seats.csv", f"{head}\nacme/team,acme,Team,30,https://acme.test,{old}\n")
    report = validate_file(path, today=TODAY)
    assert (report.table, report.stale) == ("seats", ())


def test_cli_prints_summary_on_stdout_and_stale_warnings_on_stderr(tmp_path: Path) -> None:
    today = dt.date.today()
    old = today - dt.timedelta(days=200)
    path = write(
        tmp_path,
        "mine.csv",
        api_csv(
            f"acme/a,acme,a,https://acme.test/pricing,{old},2.5,10",
            f"acme/b,acme,b,https://acme.test/pricing,{today},0.5,1.5",
        ),
    )
    code, out, err = run("validate", path)
    assert code == 0
    assert out == f"ok: 2 api rows, newest {today}, 1 stale\n"
    assert err == (
        f"warning: {path}:2: acme/a as_of {old} is 200 days old (stale after {API_LIMIT}); recheck the source\n"
    )


def test_per_token_price_is_caught_with_the_fix(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.csv",
        api_csv(
            "acme/a,acme,a,https://acme.test,2026-10-01,1,4",
            "acme/b,acme,b,https://acme.test,2026-10-01,2.5e-06,1e-05",
        ),
    )
    code, out, err = run("validate", path)
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}:3: input_usd_per_mtok: 2.5e-06 looks like USD per token; prices are per "
        "1M tokens, so multiply by 1,000,000 (e.g. 2.5e-06 → 2.5)\n"
    )


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.csv",
        api_csv(
            "acme/a,acme,a,https://acme.test,2026-10-01,1,4",
            "acme/a,acme,a,https://acme.test,2026-10-02,1,5",
        ),
    )
    with pytest.raises(PricingError) as err:
        validate_file(path, today=TODAY)
    assert (err.value.line, err.value.field) == (3, "id")
    assert "duplicate id 'acme/a' (first on line 2)" in str(err.value)


def test_bad_date_and_future_date(tmp_path: Path) -> None:
    bad = write(tmp_path, "b.csv", api_csv("acme/a,acme,a,https://acme.test,26/10/2026,1,4"))
    with pytest.raises(PricingError) as err:
        validate_file(bad, today=TODAY)
    assert (err.value.line, err.value.field) == (2, "as_of")
    future = write(tmp_path, "f.csv", api_csv("acme/a,acme,a,https://acme.test,2026-12-01,1,4"))
    with pytest.raises(PricingError, match=r"f.csv:2: as_of: as_of 2026-12-01 is after today \(2026-11-26\)"):
        validate_file(future, today=TODAY)


def test_negative_price_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "n.csv", api_csv("acme/a,acme,a,https://acme.test,2026-10-01,-1,4"))
    with pytest.raises(PricingError) as err:
        validate_file(path, today=TODAY)
    assert (err.value.line, err.value.field) == (2, "input_usd_per_mtok")
    # qa18: said '(got '-1') (table 'api'; fix the value)'; the bound says how, as a scenario's field does
    assert err.value.detail == "Input should be greater than or equal to 0 (got '-1'); write 0 or more"


def test_context_window_in_thousands_is_caught(tmp_path: Path) -> None:
    text = HEADER + ",context_window_tokens\nacme/a,acme,a,https://acme.test,2026-10-01,1,4,128\n"
    with pytest.raises(PricingError, match="128 tokens looks like thousands"):
        validate_file(write(tmp_path, "c.csv", text), today=TODAY)


def test_table_is_detected_from_the_header(tmp_path: Path) -> None:
    rental = (
        "id,provider,instance,gpu,gpu_count,usd_per_hour,usd_per_gpu_hour,source,as_of\n"
        "x/p5,x,p5.48xlarge,h100-sxm-80gb,8,55.04,6.88,https://x.test/pricing,2026-10-01\n"
    )
    report = validate_file(write(tmp_path, "r.csv", rental), today=TODAY)
    assert (report.table, report.rows) == ("rental", 1)


def test_unknown_header_asks_for_table(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "u.csv",
        HEADER + ",price_per_token\nacme/a,acme,a,https://a.test,2026-10-01,1,4,0\n",
    )
    code, _, err = run("validate", path)
    assert code == 2
    assert err == (
        f"error: {path}:1: cannot tell which table this is (closest 'api': unknown column(s) "
        "['price_per_token']); fix the columns or pass --table\n"
    )
    code, _, err = run("validate", path, "--table", "api")
    assert code == 2 and "unknown column(s) ['price_per_token'] for table 'api'" in err


def test_yaml_rows_errors_point_at_the_key_line(tmp_path: Path) -> None:
    text = (
        "# my negotiated prices\n"
        "- id: acme/a\n"
        "  provider: acme\n"
        "  model: a\n"
        "  source: contract 2026-09\n"
        "  as_of: 2026-10-15\n"
        "  input_usd_per_mtok: 2\n"
        "  output_usd_per_mtok: 8\n"
        "- id: acme/b\n"
        "  provider: acme\n"
        "  model: b\n"
        "  source: contract 2026-09\n"
        "  as_of: 2026-10-15\n"
        "  input_usd_per_mtok: 2\n"
        "  output_usd_per_mtok: lots\n"
    )
    with pytest.raises(PricingError) as err:
        validate_file(write(tmp_path, "p.yaml", text), today=TODAY)
    assert (err.value.line, err.value.field) == (15, "output_usd_per_mtok")
    good = text.replace("lots", "8")
    report = validate_file(write(tmp_path, "ok.yaml", good), today=TODAY)
    assert report.summary() == "ok: 2 api rows, newest 2026-10-15, 0 stale"


def test_yaml_unknown_key_and_duplicate(tmp_path: Path) -> None:
    base = (
        "- {id: acme/a, provider: acme, model: a, source: https://a.test, as_of: 2026-10-01, "
        "input_usd_per_mtok: 1, output_usd_per_mtok: 2}\n"
    )
    extra = base.replace("}", ", discount: 0.1}")
    with pytest.raises(PricingError) as err:
        validate_file(write(tmp_path, "x.yaml", base + extra), table="api", today=TODAY)
    assert (err.value.line, err.value.field) == (2, "discount")
    with pytest.raises(PricingError, match=r"d.yaml:2: id: duplicate id 'acme/a' \(first on line 1\)"):
        validate_file(write(tmp_path, "d.yaml", base + base), today=TODAY)


def test_yaml_per_token_value_points_at_its_line(tmp_path: Path) -> None:
    text = (
        "- id: acme/a\n  provider: acme\n  model: a\n  source: https://a.test\n"
        "  as_of: 2026-10-01\n"
        "  input_usd_per_mtok: 0.0000025\n  output_usd_per_mtok: 10\n"
    )
    with pytest.raises(PricingError, match=r"y.yaml:6: input_usd_per_mtok: 2.5e-06 looks like USD per token"):
        validate_file(write(tmp_path, "y.yaml", text), today=TODAY)


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", "- id: a\n  provider: [unclosed\n- id: b\n")
    with pytest.raises(PricingError) as err:
        validate_file(path, today=TODAY)
    assert err.value.line == 3
    assert "not valid YAML" in str(err.value)  # in a scenario's words


def test_yaml_must_be_a_list(tmp_path: Path) -> None:
    with pytest.raises(PricingError, match="expected a YAML list of rows"):
        validate_file(write(tmp_path, "m.yaml", "id: a\nprovider: b\n"), today=TODAY)


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        (
            "s.yaml",
            "version: 1\nworkload: {}\noptions: []\n",
            "this is a scenario, not a price table (`costcalc report` reads and checks it)",
        ),
        (
            "r.json",
            '{"schema_version": "1.11", "workload": {}, "options": []}',
            "this is a costcalc report (schema_version 1.11), not a price table (`costcalc diff` compares saved reports)",
        ),
        (
            "costcalc.lock.json",
            '{"version": 1, "rows": []}',
            "this is a pricing lock, not a price table (give it with --pricing-lock)",
        ),
        (
            "bench.json",
            '{"date": "20260818-021333", "request_throughput": 4.9, "completed": 198}',
            "this is a vLLM bench serve result, not a price table (it goes under a self-hosted option's throughput:",
        ),
    ],
)
def test_another_costcalc_file_is_named_for_what_it_is(tmp_path: Path, name: str, text: str, says: str) -> None:
    """qa18: `costcalc pricing validate scenario.yaml` (there is no `costcalc validate`) said 'expected a YAML list of
    rows'; a report's or a lock's JSON was read as a CSV ("cannot tell which table this is (closest 'seats': unknown
    column(s) ['{']..."). Each now says what the file is and what reads it."""
    with pytest.raises(PricingError) as err:
        validate_file(write(tmp_path, name, text), today=TODAY)
    assert err.value.detail.startswith("expected a YAML list of rows (- {id: ..., provider: ..., ...}); " + says)


def test_a_header_in_capitals_says_so(tmp_path: Path) -> None:
    """qa18: 'ID,PROVIDER,MODEL,...' said "cannot tell which table this is (closest 'seats': unknown column(s) ['AS_OF',
    ...]" of names that are right but for their case."""
    path = write(
        tmp_path,
        "caps.csv",
        api_csv("acme/a,acme,a,https://acme.test/pricing,2026-11-01,1,4").replace(HEADER, HEADER.upper()),
    )
    with pytest.raises(PricingError) as err:
        validate_file(path, today=TODAY)
    assert (err.value.line, err.value.detail) == (
        1,
        "the column names are in capitals; write them in lower case, as the tables do (id, provider, ...)",
    )


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nope.csv"))
    assert code == 2
    assert "nope.csv: file not found; check the path" in err


def test_update_cache_file_validates(tmp_path: Path) -> None:
    """What `pricing update` stores is itself a valid api table."""
    from costcalc.pricing.schema import ApiPrice

    row = ApiPrice(
        id="acme/a",
        provider="acme",
        model="a",
        source="https://a.test#a",
        as_of=TODAY,
        input_usd_per_mtok=0.03,
        output_usd_per_mtok=0.13,
    )
    cache.store("openrouter", "https://a.test", [row], TODAY)
    report = validate_file(str(cache.csv_path("openrouter")), today=TODAY)
    assert report.summary() == "ok: 1 api row, newest 2026-11-26, 0 stale"


def test_header_only_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PricingError, match=r"e.csv: no rows in this api file"):
        validate_file(write(tmp_path, "e.csv", HEADER + "\n"), today=TODAY)


def test_without_a_file_the_shipped_tables_are_checked_against_their_build_dates() -> None:
    code, out, _ = run("validate")
    assert code == 0
    lines = out.replace("\n  ", " ").splitlines()  # a line wrapped to the terminal continues indented
    assert [line.split(":")[1].strip() for line in lines] == sorted(freshness.shipped_record().builds)
    assert lines[0].startswith("ok: api: ") and "none older than 60 days" in lines[0]


def test_a_shipped_table_that_lags_its_build_date_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    record = freshness.shipped_record()
    late = freshness.Build("api", record.builds["api"].built_on + dt.timedelta(days=400), 60, "test")
    broken = freshness.Record({**record.builds, "api": late}, record.exceptions)
    monkeypatch.setattr(freshness, "shipped_record", lambda: broken)
    code, _, err = run("validate")
    assert code == 2
    assert err.startswith("error: api:") and "freshness-exceptions.csv" in err and "more)" in err


def test_yaml_syntax_is_said_as_a_scenarios_is(tmp_path: Path) -> None:
    # was 'YAML syntax: but found another document; fix the indentation or quoting'
    path = tmp_path / "mine.yaml"
    path.write_text("- {id: a}\n---\n- {id: b}\n", encoding="utf-8")
    with pytest.raises(PricingError) as info:
        validate_file(str(path))
    assert str(info.value) == (
        f"{path}:2: a second YAML document starts here ('---'), and a file holds one; delete this line and what"
        " follows, or move it to a file of its own"
    )
    path.write_text("- {id: a\n", encoding="utf-8")
    with pytest.raises(PricingError) as info:
        validate_file(str(path))
    assert str(info.value).startswith(f"{path}:2: not valid YAML: ")


RENTAL = (
    "id,provider,instance,gpu,gpu_count,usd_per_hour,usd_per_gpu_hour,pricing_type,region,source,source_kind,as_of\n"
    "acme/1x-h100/on-demand,acme,h100x1,h100-sxm-80gb,1,2.10,2.10,on-demand,eu,https://acme.example,vendor,2026-11-01\n"
)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        # each was '... (table 'rental'; fix the value or remove the column)': a required column cannot go
        (
            ",2.10,2.10,",
            ",$2.10,2.10,",
            "2: usd_per_hour: Input should be a valid number, unable to parse string as a"
            " number (got '$2.10'); write a plain number: did you mean 2.1?",
        ),
        (
            ",2026-11-01\n",
            ",11/01/2026\n",
            "2: as_of: not a date (got '11/01/2026'); write the date as YYYY-MM-DD: 2026-11-01 or 2026-01-11?",
        ),
        (
            ",h100x1,h100-sxm-80gb,1,2.10,2.10,on-demand,eu,https://acme.example,vendor,2026-11-01",
            "",
            "2: source: missing: every rental row gives source; the row has 2 of 12 cells",
        ),
        (
            ",2.10,2.10,",
            ",-2.10,2.10,",
            "2: usd_per_hour: Input should be greater than 0 (got '-2.10'); write a number above 0",
        ),
        # a spreadsheet's semicolon 'CSV': was 'cannot tell which table this is (closest 'seats': unknown column(s)
        # ['id;provider;...']; missing column(s) [...]); fix the columns or pass --table'
        (
            ",",
            ";",
            "1: the columns are separated by semicolons; costcalc reads comma-separated CSV: save it as 'CSV"
            " (comma delimited)' or replace the separators with commas",
        ),
    ],
)
def test_a_bad_cell_is_told_how_to_write_it(tmp_path: Path, old: str, new: str, says: str) -> None:
    path = write(tmp_path, "mine.csv", RENTAL.replace(old, new))
    with pytest.raises(PricingError) as info:
        validate_file(path, today=TODAY)
    assert str(info.value) == f"{path}:{says}"


def test_validate_checks_a_files_dates_on_the_day_given(tmp_path: Path) -> None:
    # every other pricing command took --today; validate counted ages from the wall clock only, so a CI job that
    # pins its reports' day could not pin this check (was 'No such option: --today')
    path = write(tmp_path, "mine.csv", RENTAL)  # as_of 2026-11-01
    code, out, err = run("validate", path, "--today", "2026-12-05")
    assert (code, out, err) == (0, "ok: 1 rental row, newest 2026-11-01, 0 stale\n", "")
    code, out, err = run("validate", path, "--today", "2027-06-01")
    assert code == 0 and out == "ok: 1 rental row, newest 2026-11-01, 1 stale\n"
    assert err.startswith(f"warning: {path}:2: acme/1x-h100/on-demand as_of 2026-11-01 is 212 days old")
    code, out, err = run("validate", path, "--today", "2026-10-01")
    assert (
        code == 2
        and err
        == f"error: {path}:2: as_of: as_of 2026-11-01 is after today (2026-10-01); use the date the source states\n"
    )
    code, out, err = run("validate", "--today", "2026-10-01")  # the shipped tables have build dates instead
    assert code == 2 and err.startswith("error: --today: the shipped tables are checked against their build dates")


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_the_shipped_tables_summary_fits_the_terminal(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    """qa16: 'ok: hardware: 16 rows built 2026-12-05; 15 older than 120 days, each listed with a reason' was one line
    of 89 columns at COLUMNS=80; it wraps at spaces like every other terminal line."""
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run("validate")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= columns
    assert "each listed with a reason" in out.replace("\n  ", " ")


def test_a_header_with_a_space_after_each_comma_is_read(tmp_path: Path) -> None:
    """qa18: 'id, provider, model, ...' (a hand-written header) said "unknown column(s) [' as_of', ' model', ...]",
    30 names that differ from the table's by their leading space."""
    path = write(
        tmp_path, "mine.csv", api_csv("acme/a,acme,a,https://acme.test/pricing,2026-11-01,1,4").replace(",", ", ", 6)
    )
    assert validate_file(path, today=TODAY).summary() == "ok: 1 api row, newest 2026-11-01, 0 stale"


def test_an_api_row_whose_id_names_another_shipped_series_is_refused(tmp_path: Path) -> None:
    """qa24: a row copied from openai/gpt-6-luna with its provider and model changed took the place of Luna's shipped
    row of that id, its price went to anthropic/claude-x, and a report of Luna stayed at the shipped price, unsaid."""
    head = "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"
    path = write(
        tmp_path, "q.csv", head + "openai/gpt-6-luna,anthropic,claude-x,50,100,https://example.com/q,2026-11-01\n"
    )
    with pytest.raises(PricingError) as err:
        validate_file(path, today=TODAY)
    assert (err.value.line, err.value.field, err.value.detail) == (
        2,
        "id",
        "id 'openai/gpt-6-luna' names the series openai/gpt-6-luna, but the row's provider and model are"
        " anthropic/claude-x; write id anthropic/claude-x, or the provider and model of openai/gpt-6-luna",
    )
    own = write(tmp_path, "own.csv", head + "acme/quote-1,openai,gpt-6-luna,50,100,https://example.com/q,2026-11-01\n")
    assert validate_file(own, today=TODAY).rows == 1  # an id of no shipped series names the row alone, as before


def test_a_seat_plan_whose_maximum_is_below_its_minimum_is_refused(tmp_path: Path) -> None:
    """qa24: min_seats 100 and max_seats 10 validated, and no seat count could then buy the plan."""
    head = "id,provider,plan,monthly_usd_per_seat,annual_usd_per_seat_month,min_seats,max_seats,source,as_of\n"
    path = write(tmp_path, "seats.csv", head + "acme/team,acme,Team,30,25,100,10,https://example.com/p,2026-11-01\n")
    with pytest.raises(PricingError) as err:
        validate_file(path, today=TODAY)
    assert (err.value.line, err.value.detail) == (2, "max_seats 10 is below min_seats 100; check the two columns")


def test_a_key_written_twice_in_a_yaml_row_is_refused(tmp_path: Path) -> None:
    """qa24: 'input_usd_per_mtok: 50' then 'input_usd_per_mtok: 5' in one row validated, priced at the last, unsaid
    (a scenario refuses a key written twice)."""
    text = (
        "- id: openai/gpt-6-luna\n  provider: openai\n  model: gpt-6-luna\n  input_usd_per_mtok: 50\n"
        "  input_usd_per_mtok: 5\n  output_usd_per_mtok: 10\n  source: https://example.com/q\n  as_of: 2026-11-01\n"
    )
    with pytest.raises(PricingError) as err:
        validate_file(write(tmp_path, "quote.yaml", text), today=TODAY)
    assert (err.value.line, err.value.detail) == (
        5,
        "duplicate key 'input_usd_per_mtok' (first on line 4); keep one, YAML would silently drop the other",
    )
