"""Sweeps and overrides: rows equal single analyze() calls, --set equals editing the file, variants, errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from costcalc.analysis.sweep import parse_vary
from costcalc.api import analyze, sweep
from costcalc.errors import InputError
from costcalc.report.result import Result
from tests.analysis.scenarios import BASE, OWNED, RENT


@pytest.fixture()
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(BASE)
    return path


def _check_row(row: dict, result: Result) -> None:
    for o in result.options:
        assert row[f"monthly_cost[{o.name}]"] == pytest.approx(o.monthly_cost, rel=1e-9)
    assert row["cheapest"] == result.cheapest
    for name in ("Rented H100", "Owned H100", "Seats"):
        be = result.headline_break_even(name)
        got = row[f"break_even_tokens_per_month[{name}]"]
        if be.tokens_per_month is None:
            assert math.isnan(got)
        else:
            assert got == pytest.approx(be.tokens_per_month, rel=1e-9)


def test_rows_equal_single_analyze_calls(scenario: Path) -> None:
    frame = sweep(
        scenario,
        [
            "workload.requests_per_day=2e4:2e6:4:log",
            f"{RENT}.hardware.hourly_usd=1.5,2.5,4",
            f"{OWNED}.power.electricity_usd_per_kwh=0.05:0.3:2",
        ],
    )
    assert len(frame) == 4 * 3 * 2
    for row in frame.to_dict(orient="records"):
        sets = [
            f"workload.requests_per_day={row['workload.requests_per_day']!r}",
            f"{RENT}.hardware.hourly_usd={row[f'{RENT}.hardware.hourly_usd']!r}",
            f"{OWNED}.power.electricity_usd_per_kwh={row[f'{OWNED}.power.electricity_usd_per_kwh']!r}",
        ]
        _check_row(row, analyze(scenario, overrides=sets))


def test_inputs_that_change_resolution_are_re_resolved(scenario: Path) -> None:
    """Request lengths and the API discount vary together: lengths re-resolve, the discount is vectorised."""
    frame = sweep(scenario, ["workload.output_tokens=150,600", "options[API B].discount=0:0.3:3"])
    for row in frame.to_dict(orient="records"):
        sets = [
            f"workload.output_tokens={row['workload.output_tokens']}",
            f"options[API B].discount={row['options[API B].discount']!r}",
        ]
        _check_row(row, analyze(scenario, overrides=sets))


def test_non_numeric_values_sweep_by_re_resolving(scenario: Path) -> None:
    frame = sweep(scenario, [f"{RENT}.hardware.acquisition=rent", "options[Seats].usd_per_seat_month=10,40"])
    assert list(frame["options[Seats].usd_per_seat_month"]) == [10, 40]
    assert list(frame["monthly_cost[Seats]"]) == [pytest.approx(10 * 400), pytest.approx(40 * 400)]


def test_override_round_trips_like_editing_the_file(scenario: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.yaml"
    edited.write_text(
        BASE.replace("hourly_usd: 2.49", "hourly_usd: 1.99").replace(
            "requests_per_day: 200000", "requests_per_day: 300000"
        )
    )
    via_set = analyze(scenario, overrides=[f"{RENT}.hardware.hourly_usd=1.99", "workload.requests_per_day=3e5"])
    via_file = analyze(edited)
    a, b = via_set.to_dict(), via_file.to_dict()
    assert a["options"] == b["options"] and a["break_even"] == b["break_even"] and a["timeline"] == b["timeline"]
    swept = sweep(scenario, [f"{RENT}.hardware.hourly_usd=1.99"], overrides=["workload.requests_per_day=3e5"])
    _check_row(swept.iloc[0].to_dict(), via_file)


def test_variants_are_reported_side_by_side(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text(
        BASE + "variants:\n  traffic x3: {workload.requests_per_day: 600000}\n"
        f"  GPU discount: {{'{RENT}.hardware.hourly_usd': 1.74}}\n"
    )
    frame = sweep(path)
    assert list(frame["variant"]) == ["base", "traffic x3", "GPU discount"]
    expected = analyze(BASE, overrides=["workload.requests_per_day=600000"])
    _check_row(frame.iloc[1].to_dict(), expected)
    discount = analyze(BASE, overrides=[f"{RENT}.hardware.hourly_usd=1.74"])
    _check_row(frame.iloc[2].to_dict(), discount)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("a.b=1:3:3", [1.0, 2.0, 3.0]),
        ("a.b=10:1000:3:log", [10.0, 100.0, 1000.0]),
        ("a.b=5:5:1", [5.0]),
        ("options[x y].c=1,2.5,foo", [1, 2.5, "foo"]),
    ],
)
def test_parse_vary(text: str, values: list) -> None:
    got = list(parse_vary(text).values)
    assert got == pytest.approx(values) if all(isinstance(v, float) for v in values) else got == values


@pytest.mark.parametrize(
    ("text", "values"),
    [("a.b=1:64:7:log", [1, 2, 4, 8, 16, 32, 64]), ("a.b=2:162:5:log", [2, 6, 18, 54, 162])],
)
def test_a_log_range_of_whole_numbers_holds_whole_numbers(text: str, values: list) -> None:
    """geomspace gave 7.999999999999999 and 17.999999999999996: `--vary ...min_replicas=1:64:7:log` was refused with
    'this field takes whole numbers; choose values that are integers'."""
    assert list(parse_vary(text).values) == values


@pytest.mark.parametrize("text", ["a.b", "a.b=1:2:3:4:5", "a.b=x:2", "a.b=0:10:3:log", "a.b=1:2:0"])
def test_parse_vary_rejects_bad_specs(text: str) -> None:
    with pytest.raises(InputError):
        parse_vary(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # qa22 finding 19: one step swept START alone, STOP dropped unsaid
        (
            "a.b=1000:100000:1",
            "'a.b=1000:100000:1': 1 step gives START alone and leaves out STOP; give 2 or more STEPS, or one value:"
            " a.b=1000",
        ),
        # equal ends gave STEPS identical rows (11 by default)
        (
            "a.b=1000:1000:5",
            "'a.b=1000:1000:5': START and STOP are equal, so its 5 points are one value; give a STOP other than START,"
            " or one value: a.b=1000",
        ),
        ("a.b=1e3:1e3", "START and STOP are equal, so its 11 points are one value;"),
        ("a.b=2:2:3:log", "START and STOP are equal, so its 3 points are one value;"),
    ],
)
def test_a_range_that_is_one_value_is_refused(text: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_vary(text)
    assert words in str(caught.value) and caught.value.param == "vary"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "a.b=1000,1000",
            "'a.b=1000,1000': value 2 of 2 (1000) is value 1 again: it would give the same row twice;"
            " give each value once: a.b=1000",
        ),
        (
            "a.b=1000,2000,1e3",
            "value 3 of 3 (1e3) is value 1 again: it would give the same row twice; give each value"
            " once: a.b=1000,2000",
        ),
        ("a.b=h100,l40s,h100,", "value 3 of 3 (h100) is value 1 again"),
    ],
)
def test_a_value_listed_twice_is_refused(text: str, words: str) -> None:
    # a repeated value gave two identical rows, as equal range ends did (qa22 finding 19's list form)
    with pytest.raises(InputError) as caught:
        parse_vary(text)
    assert words in str(caught.value) and caught.value.param == "vary"


@pytest.mark.parametrize(("text", "position"), [("a.b=1000,,2000", "value 2 of 3"), ("a.b=,5", "value 1 of 2")])
def test_an_empty_value_in_a_list_is_refused_not_dropped(text: str, position: str) -> None:
    # '1000,,2000' swept two points and said nothing of the missing one (qa18)
    with pytest.raises(InputError, match=f"{position} is empty"):
        parse_vary(text)


@pytest.mark.parametrize(
    ("text", "path", "values"),
    [
        # a value holding '=', as report --set takes it: was split at the last '=' ('cannot parse override path')
        (
            "options[L40S].engine_args=--max-num-seqs=64,--max-num-seqs=128",
            "options[L40S].engine_args",
            ["--max-num-seqs=64", "--max-num-seqs=128"],
        ),
        ("options[a=b].discount=0.1,0.2", "options[a=b].discount", [0.1, 0.2]),  # an option named 'a=b'
    ],
)
def test_the_path_ends_at_the_first_equals_sign_outside_its_brackets(text: str, path: str, values: list) -> None:
    vary = parse_vary(text)
    assert (vary.path, list(vary.values)) == (path, values)


def test_a_path_that_cannot_be_read_is_blamed_on_vary() -> None:
    with pytest.raises(InputError) as caught:
        parse_vary("--today=2026-06-01,2027-01-01")  # was 'error: --set: cannot parse override path'
    assert caught.value.param == "vary"


def test_a_trailing_comma_ends_the_list() -> None:
    assert list(parse_vary("a.b=1,2,").values) == [1, 2]


def test_wrong_path_gets_did_you_mean(scenario: Path) -> None:
    with pytest.raises(InputError, match="did you mean: requests_per_day"):
        sweep(scenario, ["workload.requests_per_dy=1:2"])


def test_values_are_validated_like_the_file(scenario: Path) -> None:
    with pytest.raises(InputError, match="less than or equal to 1") as info:
        sweep(scenario, ["workload.cached_input_share=0.5:1.5"])
    # the varied values are at fault, not the file's line (which holds a good share): vary= names the input
    assert (info.value.param, info.value.item, info.value.line) == ("vary", "workload.cached_input_share", None)
    with pytest.raises(InputError, match="whole numbers"):
        sweep(scenario, [f"{RENT}.hardware.min_replicas=0:1:3"])  # 0, 0.5, 1


def test_large_sweep_is_vectorised(scenario: Path) -> None:
    """200k points in one call; spot rows still equal analyze()."""
    frame = sweep(scenario, [f"{RENT}.hardware.hourly_usd=0.5:6:200000"])
    assert len(frame) == 200_000
    for i in (0, 77_777, 199_999):
        row = frame.iloc[i].to_dict()
        _check_row(
            row,
            analyze(
                scenario,
                overrides=[f"{RENT}.hardware.hourly_usd={row[f'{RENT}.hardware.hourly_usd']!r}"],
            ),
        )
    assert np.all(np.diff(frame["monthly_cost[Rented H100]"]) >= 0)  # dearer GPUs never lower the bill


def test_an_override_the_user_gave_is_named_as_theirs_not_as_a_vary(scenario: Path) -> None:
    """qa15: `costcalc sweep s.yaml --vary workload.requests_per_day=1000,100000 --set
    'options[Self].hardware.offer=lambda/1x-h100-sxm/on-demandX'` said 'error: --vary options[Self].hardware.offer:
    unknown rental price id ...', a --vary the user never wrote; simulate and sensitivity named the --set. An error a
    typed override causes when a point resolves names that override; one a varied value causes still names the vary."""
    typo = f"{RENT}.model=gpt-oss-12b"
    with pytest.raises(InputError) as info:
        sweep(scenario, ["workload.requests_per_day=1000,2000"], overrides=[typo])
    assert (info.value.param, info.value.item) == ("overrides", typo)
    with pytest.raises(InputError) as info:
        sweep(scenario, [f"{RENT}.model=gpt-oss-120b,gpt-oss-12b"])
    assert (info.value.param, info.value.item) == ("vary", f"{RENT}.model")
