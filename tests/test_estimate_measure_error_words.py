"""`estimate` and `measure` name a bad argument in each layer's words: the Python API by its parameter
(`input_tokens=`), the command line by the flag the user typed (`--input-tokens`); a number flag given '10k' says
how to write it. Before, the CLI said the estimator's field (`input_tokens/output_tokens:`) and the API said flags
(`--requests`)."""

from __future__ import annotations

import re
from typing import Any

import pytest

import costcalc
from costcalc.errors import InputError
from costcalc.throughput.loadgen.target import Target
from costcalc.throughput.measure import MeasureConfig
from tests.support.cli import invoke

FLAG = re.compile(r"(?<![\w-])--[a-z]")
GOOD: dict[str, Any] = {"gpu": "h100-sxm-80gb", "model": "gpt-oss-20b", "input_tokens": 100, "output_tokens": 100}
GOOD_FLAGS = ("--gpu", "h100-sxm-80gb", "--model", "gpt-oss-20b", "--input-tokens", "100", "--output-tokens", "100")

# (what is wrong, the API's arguments over GOOD, its message's start, the CLI's flags after GOOD_FLAGS, its start)
ESTIMATE: list[tuple[str, dict[str, Any], str, tuple[str, ...], str]] = [
    ("gpu", {"gpu": "h100x"}, "gpu=: unknown GPU id 'h100x'", ("--gpu", "h100x"), "--gpu: unknown GPU id 'h100x'"),
    (
        "model",
        {"model": "gpt-oss-21b"},
        "model=: unknown model id 'gpt-oss-21b'",
        ("--model", "gpt-oss-21b"),
        "--model: unknown model id 'gpt-oss-21b'",
    ),
    ("gpus", {"gpus": 0}, "gpus=: must be at least 1, got 0", ("--gpus", "0"), "--gpus: must be at least 1, got 0"),
    (
        "input_tokens",
        {"input_tokens": -5},
        "input_tokens=: must be at least 0, got -5",
        ("--input-tokens", "-5"),
        "--input-tokens: must be at least 0, got -5",
    ),
    (
        "no tokens",
        {"input_tokens": 0, "output_tokens": 0},
        "output_tokens=: a request of 0 prompt and 0 output tokens does no work",
        ("--input-tokens", "0", "--output-tokens", "0"),
        "--output-tokens: a request of 0 prompt and 0 output tokens does no work",
    ),
    (
        "concurrency",
        {"concurrency": 0},
        "concurrency=: must be at least 1, got 0",
        ("--concurrency", "0"),
        "--concurrency: must be at least 1, got 0",
    ),
    (
        "precision",
        {"precision": "fp-8"},
        "precision=: unknown precision 'fp-8' (did you mean: fp8",
        ("--precision", "fp-8"),
        "--precision: unknown precision 'fp-8' (did you mean: fp8",
    ),
    (
        "engine",
        {"engine": "vlm"},
        "engine=: unknown engine 'vlm' (did you mean: vllm?)",
        ("--engine", "vlm"),
        "--engine: unknown engine 'vlm' (did you mean: vllm?)",
    ),
]


@pytest.mark.parametrize(("case", "kwargs", "api", "flags", "cli"), ESTIMATE, ids=[c[0] for c in ESTIMATE])
def test_estimate_names_the_parameter_in_the_api_and_the_flag_on_the_command_line(
    case: str, kwargs: dict[str, Any], api: str, flags: tuple[str, ...], cli: str
) -> None:
    with pytest.raises(InputError) as info:
        costcalc.estimate_throughput(**{**GOOD, **kwargs})
    assert str(info.value).startswith(api) and not FLAG.search(str(info.value)), str(info.value)
    code, out, err = invoke("estimate", *GOOD_FLAGS, *flags)  # a later flag wins over GOOD_FLAGS' own
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {cli}") and "\n" not in err, err


@pytest.mark.parametrize(
    ("flag", "value", "says"),
    [
        ("--input-tokens", "10k", "(got '10k'); write a plain number: did you mean 10000?"),
        ("--input-tokens", "1.5M", "(got '1.5M'); write a plain number: did you mean 1500000?"),
        ("--output-tokens", "1.5", "(got '1.5'); write a whole number"),
        ("--ttft-p95-ms", "1.5s", "(got '1.5s'); write a plain number: did you mean 1500?"),
        (
            "--concurrency",
            "lots",
            "(got 'lots'); write a plain number (no units or suffixes; the unit is in the flag's",
        ),
    ],
)
def test_a_number_flag_given_a_suffix_says_how_to_write_it(flag: str, value: str, says: str) -> None:
    code, out, err = invoke("estimate", *GOOD_FLAGS, flag, value)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {flag}: ") and says in err and "\n" not in err, err


@pytest.mark.parametrize(
    ("kwargs", "api"),
    [
        ({"input_tokens": "10k"}, "input_tokens=: must be a number, not str '10k'"),
        ({"output_tokens": float("nan")}, "output_tokens=: must be a finite number, got nan"),
        ({"concurrency": float("nan")}, "concurrency=: must be a finite number, got nan"),
        ({"gpus": 1.5}, "gpus=: must be a whole number, got 1.5"),
        ({"gpus": "2"}, "gpus=: must be a number, not str '2'"),
        ({"engine": None}, "engine=: must be a string, not NoneType"),
        ({"gpu": None}, "gpu=: a catalog GPU id or a mapping of custom_gpu keys, not NoneType"),
        ({"gpu": ["h100-sxm-80gb"]}, "gpu=: a catalog GPU id or a mapping of custom_gpu keys, not list"),
    ],
)
def test_a_script_passing_the_wrong_type_gets_an_input_error_not_a_crash_or_nan(
    kwargs: dict[str, Any], api: str
) -> None:
    """Text, None and NaN raised TypeError/AttributeError, or (NaN) returned an estimate of NaN tokens/s."""
    with pytest.raises(InputError) as info:
        costcalc.estimate_throughput(**{**GOOD, **kwargs})
    assert str(info.value) == api or str(info.value).startswith(api), str(info.value)


TARGET = Target(base_url="http://127.0.0.1:9", model="m", input_tokens=8, output_tokens=8)

# (the API's MeasureConfig arguments, its message, the CLI's flags, its message)
MEASURE: list[tuple[dict[str, Any], str, tuple[str, ...], str]] = [
    ({"requests_per_level": 0}, "requests_per_level=: must be >= 1", ("--requests", "0"), "--requests: must be >= 1"),
    (
        {"duration_s_per_level": 0.0},
        "duration_s_per_level=: must be > 0 seconds",
        ("--duration", "0"),
        "--duration: must be > 0 seconds",
    ),
    (
        {"requests_per_level": 3, "duration_s_per_level": 2.0},
        "give requests_per_level= or duration_s_per_level=, not both",  # was "requests_per_level=: give ..."
        ("--requests", "3", "--duration", "2"),
        "give --requests or --duration, not both",  # was "--requests: give --requests ..."
    ),
    (
        {"target": Target(base_url="http://127.0.0.1:9", model="m", input_tokens=0, output_tokens=8)},
        "input_tokens=: token counts must be >= 1",
        ("--input-tokens", "0"),
        "--input-tokens: token counts must be >= 1",
    ),
    (
        {"target": Target(base_url="http://127.0.0.1:9", model="m", input_tokens=8, output_tokens=0)},
        "output_tokens=: token counts must be >= 1",
        ("--output-tokens", "0"),
        "--output-tokens: token counts must be >= 1",
    ),
]


@pytest.mark.parametrize(
    ("kwargs", "api", "flags", "cli"), MEASURE, ids=[c[1].split("=")[0] + "-" + c[2][0] for c in MEASURE]
)
def test_measure_names_the_field_in_the_api_and_the_flag_on_the_command_line(
    kwargs: dict[str, Any], api: str, flags: tuple[str, ...], cli: str
) -> None:
    with pytest.raises(InputError) as info:
        MeasureConfig(**{"target": TARGET, **kwargs})
    assert str(info.value) == api and not FLAG.search(str(info.value)), str(info.value)
    code, out, err = invoke("measure", "--base-url", "http://127.0.0.1:9", "--model", "m", *flags)
    assert (code, out) == (2, "")
    assert err == f"error: {cli}", err


def test_a_message_that_names_its_flags_is_not_led_by_one_of_them_too() -> None:
    """It read "error: --rate: give --concurrency or --rate, not both"."""
    code, out, err = invoke(
        "measure", "--base-url", "http://127.0.0.1:9", "--model", "m", "--concurrency", "2", "--rate", "1"
    )
    assert (code, out, err) == (2, "", "error: give --concurrency or --rate, not both")


def test_a_scenarios_unknown_precision_still_names_its_file_and_line(tmp_path: Any, today: Any) -> None:
    """The estimator's precision check names its parameter now; a scenario's option must still be blamed on its line,
    not on a --precision flag that `report` does not have."""
    path = tmp_path / "s.yaml"
    path.write_text(
        "version: 1\n"
        "workload: {requests_per_day: 1000, input_tokens: 100, output_tokens: 100}\n"
        "options:\n"
        "  - name: a\n"
        "    kind: self_hosted\n"
        "    model: gpt-oss-20b\n"
        "    precision: fp-8\n"
        "    hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.0}\n",
        encoding="utf-8",
    )
    code, _, err = invoke("report", str(path), "--today", today.isoformat())
    assert code == 2
    assert err.startswith(f"error: {path}:7: options[a].precision: unknown precision 'fp-8'"), err


@pytest.mark.parametrize(
    ("flag", "value", "says"),
    [
        ("--duration", "1s", "(got '1s'); write a plain number: did you mean 1?"),
        ("--duration", "2m", "(got '2m'); write a plain number: did you mean 120?"),
        ("--timeout", "500ms", "(got '500ms'); write a plain number: did you mean 0.5?"),
        ("--duration", "a minute", "(got 'a minute'); write a plain number of seconds (no units or suffixes)"),
    ],
)
def test_a_seconds_flag_given_a_unit_says_the_number_of_seconds(flag: str, value: str, says: str) -> None:
    """qa18: `measure --duration 1s` said 'write a plain number (no units or suffixes; the unit is in the flag's
    name)', and --duration names no unit (its metavar, SECONDS, does)."""
    code, out, err = invoke("measure", "--base-url", "http://127.0.0.1:9", "--model", "m", flag, value)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {flag}: ") and says in err and "\n" not in err, err
