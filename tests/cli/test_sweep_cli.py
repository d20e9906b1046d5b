"""`costcalc sweep` through CliRunner: table, matrix, CSV/JSON round trip, -o, parquet, exit codes."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import pytest

from costcalc.api import analyze
from costcalc.cli.sweep import SweepFormat
from costcalc.render.numbers import money, tokens
from tests.analysis.scenarios import BASE, RENT
from tests.support import cli


def invoke(*args: str) -> tuple[int, str, str]:
    return cli.invoke("sweep", *args)


@pytest.fixture()
def scenario(tmp_path: Path) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(BASE)
    return str(path)


def test_one_input_table(scenario: str) -> None:
    code, out, err = invoke(scenario, "--vary", f"{RENT}.hardware.hourly_usd=1:4:4")
    assert code == 0, err
    assert "hardware.hourly_" in out and "Rented H100" in out and "Cheapest" in out
    assert "Break-even tok/mo" in out and err == ""


def test_two_inputs_render_a_who_wins_matrix(scenario: str) -> None:
    code, out, _ = invoke(
        scenario,
        "--vary",
        "workload.requests_per_day=1e4:1e6:5:log",
        "--vary",
        f"{RENT}.hardware.hourly_usd=1:4:3",
    )
    assert code == 0
    assert "Cheapest option by workload.requests_per_day (rows)" in out
    assert "A = API A" in out and "C = Rented H100" in out


def test_csv_rows_equal_analyze(scenario: str) -> None:
    code, out, _ = invoke(scenario, "--vary", "workload.requests_per_day=5e4,5e5", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2
    for row in rows:
        result = analyze(scenario, overrides=[f"workload.requests_per_day={row['workload.requests_per_day']}"])
        for o in result.options:  # the CSV rounds money to the cent
            cell = row[f"monthly_cost[{o.name}]"]
            assert len(cell.split(".")[1]) == 2 and float(cell) == pytest.approx(o.monthly_cost, abs=0.005)
        assert row["cheapest"] == result.cheapest


def test_json_with_set_and_output_file(scenario: str, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = invoke(
        scenario,
        "--vary",
        f"{RENT}.hardware.hourly_usd=2,3",
        "--set",
        "workload.users=10",
        "--format",
        "json",
        "-o",
        str(target),
    )
    assert code == 0 and out == ""
    body = json.loads(target.read_text())
    assert body["kind"] == "sweep" and body["vary"] == [f"{RENT}.hardware.hourly_usd"]
    assert [r["monthly_cost[Seats]"] for r in body["rows"]] == [250.0, 250.0]  # 10 users × $25


def test_json_break_even_nulls_say_never_in_a_sibling() -> None:
    """`sweep -f json` wrote a never break-even as a bare null: each break_even_tokens_per_month[OPTION] now has
    break_even_tokens_per_month_is[OPTION] after it, 'never' beside a null and null beside a number, as diff's and
    simulate's figures do (report/json_numbers); schema 1.2 (a new key)."""
    example = Path(__file__).resolve().parents[2] / "examples" / "internal-assistant.yaml"
    code, out, err = invoke(
        str(example), "--vary", "workload.requests_per_day=1000,24000", "--today", "2026-12-06", "--format", "json"
    )
    assert code == 0, err
    body = json.loads(out)
    assert body["schema_version"] == "1.6"
    seen = set()
    for row in body["rows"]:
        keys = list(row)
        for i, key in enumerate(keys):
            if key.startswith("break_even_tokens_per_month["):
                why = key.replace("break_even_tokens_per_month[", "break_even_tokens_per_month_is[", 1)
                assert keys[i + 1] == why
                assert (row[key] is None, row[why]) in ((True, "never"), (False, None)), (key, row[key], row[why])
                seen.add(row[why])
    assert seen == {"never", None}  # the example has both: owned H100s never break even


def test_bad_path_exits_2_with_hint_and_writes_nothing(scenario: str, tmp_path: Path) -> None:
    target = tmp_path / "never.csv"
    code, out, err = invoke(scenario, "--vary", "workload.request_per_day=1:2", "-o", str(target))
    assert code == 2 and out == ""
    assert "did you mean: requests_per_day" in err
    assert not target.exists()


@pytest.mark.parametrize("values", ["1000:100000:1", "1000:1000:5"])
def test_a_range_that_is_one_value_exits_2_and_writes_nothing(scenario: str, tmp_path: Path, values: str) -> None:
    # qa22 finding 19: one step gave START alone (STOP dropped unsaid); equal ends gave 5 identical rows
    target = tmp_path / "never.csv"
    code, out, err = invoke(scenario, "--vary", f"workload.requests_per_day={values}", "-o", str(target))
    assert code == 2 and out == "" and not target.exists()
    assert err.startswith(f"error: --vary: 'workload.requests_per_day={values}': ") and len(err.splitlines()) == 1
    assert err.rstrip().endswith("one value: workload.requests_per_day=1000")


def test_a_value_listed_twice_exits_2_and_writes_nothing(scenario: str, tmp_path: Path) -> None:
    # `--vary X=1000,1000` gave two identical rows
    target = tmp_path / "never.csv"
    code, out, err = invoke(scenario, "--vary", "workload.requests_per_day=1000,1000", "-o", str(target))
    assert code == 2 and out == "" and not target.exists()
    assert err.startswith("error: --vary: 'workload.requests_per_day=1000,1000': ") and len(err.splitlines()) == 1
    assert err.rstrip().endswith("give each value once: workload.requests_per_day=1000")


@pytest.mark.parametrize("values", ["0,1000", "1000:-5", "1000..100000"])
def test_a_bad_value_is_blamed_on_vary_not_on_the_files_line(scenario: str, tmp_path: Path, values: str) -> None:
    # the file's own line holds a good volume; pointing at it sent the reader to a value that is fine
    target = tmp_path / "never.csv"
    code, out, err = invoke(scenario, "--vary", f"workload.requests_per_day={values}", "-o", str(target))
    assert code == 2 and out == "" and not target.exists()
    assert err.startswith("error: --vary workload.requests_per_day: ") and len(err.splitlines()) == 1
    assert scenario not in err


def test_parquet_needs_pyarrow_or_writes_a_file(scenario: str, tmp_path: Path) -> None:
    target = tmp_path / "s.parquet"
    code, _, err = invoke(
        scenario,
        "--vary",
        "workload.requests_per_day=1e4:1e5:3",
        "--format",
        "parquet",
        "-o",
        str(target),
    )
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        assert code == 2 and "pip install pyarrow" in err
    else:
        import pandas as pd

        assert code == 0 and len(pd.read_parquet(target)) == 3


def test_every_format_renders(scenario: str) -> None:
    from costcalc.api import sweep

    frame = sweep(scenario, ["workload.requests_per_day=1e4,2e4"])
    for fmt in SweepFormat:
        if fmt is SweepFormat.parquet:
            continue
        assert fmt.render(frame)


@pytest.mark.parametrize("fmt", [f.value for f in SweepFormat])
@pytest.mark.parametrize("vary", [(), ("--vary", "workload.requests_per_day=1e4,2e4")])
def test_variants_sweep_exits_0_in_every_format(tmp_path: Path, fmt: str, vary: tuple[str, ...]) -> None:
    """A scenario with `variants:` sweeps in every format (issue 10: the table crashed with exit 1)."""
    path = tmp_path / "v.yaml"
    variants = (
        f"variants:\n  busy:\n    workload.requests_per_day: 3e5\n  cheap-gpu:\n    '{RENT}.hardware.hourly_usd': 1.5\n"
    )
    path.write_text(BASE + variants)
    target = tmp_path / f"out.{fmt}"
    code, out, err = invoke(str(path), *vary, "-f", fmt, "-o", str(target))
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            assert code == 2 and "pip install pyarrow" in err
            return
    assert code == 0, err
    if fmt == "table" and vary:
        text = target.read_text(encoding="utf-8")
        assert "Variant: base" in text and "Variant: busy" in text and "Variant: cheap-gpu" in text


def test_a_variant_setting_the_swept_input_is_warned_about(tmp_path: Path) -> None:
    """--vary sets every point's value, so a variant setting the same input printed a 'Variant: busy' table equal to
    the base's, without a word (qa12); now a warning names the variant and the input."""
    path = tmp_path / "v.yaml"
    variants = (
        f"variants:\n  busy:\n    workload.requests_per_day: 3e5\n  cheap-gpu:\n    '{RENT}.hardware.hourly_usd': 1.5\n"
    )
    path.write_text(BASE + variants)
    code, out, err = invoke(str(path), "--vary", "workload.requests_per_day=1e4,2e4", "-f", "csv")
    assert code == 0, err
    assert err.strip() == (
        "warning: variant 'busy' sets workload.requests_per_day: 3e5, which the sweep varies;"
        " its rows take the swept values instead"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["workload.requests_per_day"] for r in rows if r["variant"] == "busy"] == ["10000", "20000"]
    code, _, err = invoke(str(path), "--vary", f"{RENT}.hardware.hourly_usd=1,2", "-f", "csv")
    assert code == 0 and "warning: variant 'cheap-gpu'" in err and "busy" not in err


@pytest.mark.parametrize("columns", [80, 120])
def test_variants_without_vary_are_the_rows_of_one_table(
    tmp_path: Path, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sweeping only a scenario's variants prints one table 'by variant', a row per variant (qa9: a title reading
    'by ;', the varied input's name empty, and one single-row table per variant)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    path = tmp_path / "v.yaml"
    path.write_text(BASE + "variants:\n  busy:\n    workload.requests_per_day: 3e5\n")
    code, out, err = invoke(str(path))
    assert code == 0, err
    lines = out.splitlines()
    assert "by ;" not in out and "Variant:" not in out and "by variant;" in out
    assert sum(line.startswith("Variant ") for line in lines) == 1  # one header
    rows = [line for line in lines if line.split()[:1] in (["base"], ["busy"])]
    assert [r.split()[0] for r in rows] == ["base", "busy"]
    assert max(map(len, lines)) <= columns


@pytest.mark.parametrize("columns", [80, 120])
def test_one_input_table_gives_each_point_one_line_within_the_width(
    scenario: str, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Costs never wrap, fold or get cut: a point's line holds each shown option's whole cost, the cheapest and the
    break-even; options go by letter with a legend (at 80 columns the costs wrapped under the names before)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = invoke(scenario, "--vary", "workload.requests_per_day=1e4:1e6:3:log")
    assert code == 0, err
    lines = out.splitlines()
    assert all(len(line) <= columns for line in lines), [line for line in lines if len(line) > columns]
    code, text, err = invoke(scenario, "--vary", "workload.requests_per_day=1e4:1e6:3:log", "--format", "csv")
    assert code == 0, err
    shown = {"1e+04": "10k", "1e+05": "100k", "1e+06": "1M"}  # values in a few characters
    for value, row in zip(shown, csv.DictReader(io.StringIO(text)), strict=True):
        result = analyze(scenario, overrides=[f"workload.requests_per_day={value}"])
        [line] = [line for line in lines if line.split()[0] == shown[value]]
        cheapest = result.option(result.cheapest)
        assert f"${cheapest.monthly_cost:,.0f}" in line and "…" not in line
        assert tokens(float(row[f"break_even_tokens_per_month[{row['best_self_hosted']}]"])) in line
    assert "C = Rented H100" in out and "Break-even" in out and "tok/mo" in out  # the header may fold


def _point_lines(lines: list[str], values: list[str], headers: list[str]) -> list[str]:
    """A swept point's lines: its one table line, or, where a line per point is too wide, its inputs' line and the
    indented lines under it."""
    packed = "  ".join(f"{h}: {v}" for h, v in zip(headers, values, strict=True))
    for i, line in enumerate(lines):
        if line.split()[: len(values)] == values:
            return [line]
        if line == packed:
            return [line] + list(itertools.takewhile(lambda s: s.startswith("  "), lines[i + 1 :]))
    raise AssertionError(f"no line for {values}")


@pytest.mark.parametrize("columns", [80, 120])
def test_three_inputs_give_each_point_its_own_lines_within_the_width(
    scenario: str, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three varied inputs at 80 columns printed one field per line (the layout's stacked rows, 12 lines a point)
    before: now a point is one line holding its three values, the cheapest option's whole cost and the break-even,
    or, when five options must all stay, its values on one line and its costs packed under it."""
    monkeypatch.setenv("COLUMNS", str(columns))
    vary = ["workload.requests_per_day=1e4,1e6", "workload.output_tokens=100,500", "workload.input_tokens=500,2000"]
    headers = ["requests per day", "output tokens", "input tokens"]
    args = [a for v in vary for a in ("--vary", v)]
    code, out, err = invoke(scenario, *args)
    assert code == 0, err
    lines = out.splitlines()
    assert all(len(line) <= columns for line in lines), [line for line in lines if len(line) > columns]
    code, text, err = invoke(scenario, *args, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 8
    shown = {"10000": "10k", "1000000": "1M", "100": "100", "500": "500", "2000": "2,000"}
    point_lines = 0
    for row in rows:
        block = _point_lines(lines, [shown[row[v.split("=")[0]]] for v in vary], headers)
        point_lines += len(block)
        cheapest = row["cheapest"]
        said = " ".join(block)
        assert money(float(row[f"monthly_cost[{cheapest}]"]), "USD") in said and "…" not in said
        best = row["best_self_hosted"]
        assert tokens(float(row[f"break_even_tokens_per_month[{best}]"])) in said
    assert point_lines <= 3 * len(rows)  # a few lines a point, not one per field
    if columns >= 120:
        assert point_lines == len(rows)


def test_three_inputs_at_80_columns_fit_one_line_a_point_when_few_options_lead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two options (one API, one rented GPU): the three values, both costs, the cheapest and the break-even fit 80."""
    monkeypatch.setenv("COLUMNS", "80")
    path = tmp_path / "two.yaml"
    lines = BASE.splitlines()
    cut = lines.index("  - name: API B")
    keep = lines[:cut] + lines[lines.index("  - name: Rented H100") : lines.index("  - name: Owned H100")]
    path.write_text("\n".join(keep) + "\n")
    vary = ["workload.requests_per_day=1e4,1e6", "workload.output_tokens=100,500", "workload.input_tokens=500,2000"]
    code, out, err = cli.invoke("sweep", str(path), *[a for v in vary for a in ("--vary", v)])
    assert code == 0, err
    body = [line for line in out.splitlines() if line.split()[:1] in (["10k"], ["1M"])]
    assert len(body) == 8 and all(len(line) <= 80 for line in out.splitlines())


def test_varying_the_other_volume_says_to_vary_the_one_the_scenario_gives(tmp_path: Path) -> None:
    # a tokens_per_month scenario swept by requests_per_day said only "give exactly one of ..."
    path = tmp_path / "tokens.yaml"
    path.write_text(BASE.replace("requests_per_day: 200000", "tokens_per_month: 30000000000"))
    code, out, err = invoke(str(path), "--vary", "workload.requests_per_day=1e4,1e5")
    assert code == 2 and out == ""
    assert (
        "both are set (to override or sweep the volume, change the one the scenario gives)" in err and "\n" not in err
    )
