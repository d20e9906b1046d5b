"""A corpus of bad scenario files and the exact one-line error each gets (exit 2, nothing on stdout)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.cli import app
from costcalc.errors import InputError

BAD = Path(__file__).resolve().parent.parent / "fixtures" / "bad"
TODAY = "2026-09-01"

CORPUS = [
    (
        "unknown_key.yaml",
        (
            "error: unknown_key.yaml:4: workload.input_tokns: unknown key 'input_tokns'"
            " (did you mean: input_tokens, output_tokens, reasoning_tokens?)"
        ),
    ),
    (
        "unknown_option_key.yaml",
        (
            "error: unknown_option_key.yaml:10: options[Rented].hardware.hourly_rate: unknown key 'hourly_rate'"
            " (did you mean: hourly_usd?)"
        ),
    ),
    (
        "wrong_type.yaml",
        (
            "error: wrong_type.yaml:3: workload.requests_per_day: Input should be a valid number,"
            " unable to parse string as a number (got 'lots'); write a plain number (no units or suffixes; the unit is"
            " in the field's name)"
        ),
    ),
    (
        "number_with_suffix.yaml",
        (
            "error: number_with_suffix.yaml:3: workload.requests_per_day: Input should be a valid number,"
            " unable to parse string as a number (got '40k'); write a plain number: did you mean 40000?"
        ),
    ),
    (  # qa18: in braces the comma ended the entry: 'workload.12: Keys should be strings (got 12)'-like words
        "decimal_comma_in_braces.yaml",
        "error: decimal_comma_in_braces.yaml:2: workload.peak_to_average: peak_to_average: 1,5 reads as two entries,"
        " for in { } a comma ends one; write 1.5 (a decimal point)",
    ),
    # qa18: YAML 1.1 read both as other numbers, silently: 0100000 as the octal 32,768 (a third of the volume), 1:30 as
    # 90 (base 60)
    (
        "leading_zero.yaml",
        "error: leading_zero.yaml:3: workload.requests_per_day: YAML reads 0100000 as an octal number (32,768) for its"
        " leading 0; write 100000",
    ),
    (
        "colon_number.yaml",
        "error: colon_number.yaml:6: workload.slo.ttft_p95_ms: YAML reads 1:30 as a base-60 number (1:30 is 90); write"
        " the number itself, or quote it if it is text",
    ),
    (  # qa18: a decimal comma was read as a thousands separator: 'did you mean 15?', ten times the value
        "decimal_comma.yaml",
        (
            "error: decimal_comma.yaml:6: workload.peak_to_average: Input should be a valid number, unable to parse"
            " string as a number (got '1,5'); write a plain number: did you mean 1.5?"
        ),
    ),
    (
        "percent_as_text.yaml",
        (
            "error: percent_as_text.yaml:6: workload.growth_per_month: Input should be a valid number,"
            " unable to parse string as a number (got '8%'); write a plain number: did you mean 0.08?"
        ),
    ),
    (
        "seconds_in_ms_field.yaml",
        (
            "error: seconds_in_ms_field.yaml:6: workload.slo.ttft_p95_ms: Input should be a valid number,"
            " unable to parse string as a number (got '1.5s'); write a plain number: did you mean 1500?"
        ),
    ),
    (
        "negative_price.yaml",
        (
            "error: negative_price.yaml:7: options[API].prices.input_usd_per_mtok:"
            " Input should be greater than or equal to 0 (got -1); write 0 or more"
        ),
    ),
    (
        "share_out_of_range.yaml",
        "error: share_out_of_range.yaml:6: workload.cached_input_share: Input should be less than or equal to 1 (got 1.5); write 1 or less",
    ),
    (
        "unknown_api_model.yaml",
        (
            "error: unknown_api_model.yaml:6: options[Mini].model: unknown api price id 'openai/gpt-5-minii'"
            " (did you mean: openai/gpt-5-mini, openai/gpt-5.4-mini, openai/gpt-4o-mini?);"
            " `costcalc pricing list --kind api` lists them"
        ),
    ),
    (
        "unknown_gpu.yaml",
        (
            "error: unknown_gpu.yaml:8: options[Rented].hardware.gpu: unknown GPU id 'h100-sxm-80g'"
            " (did you mean: h100-sxm-80gb, a100-sxm-80gb, a100-sxm-40gb?); `costcalc catalog gpus` lists the ids"
        ),
    ),
    (
        "unknown_model.yaml",
        (
            "error: unknown_model.yaml:6: options[Rented].model: unknown model id 'llama-3.1-8c'"
            " (did you mean: llama-3.1-8b, llama-3.1-70b, llama-3.1-405b?); `costcalc catalog models` lists the ids"
        ),
    ),
    (
        "unknown_seat_plan.yaml",
        (
            "error: unknown_seat_plan.yaml:6: options[Seats].plan: unknown seats price id 'openai/chatgpt-busines'"
            " (did you mean: openai/chatgpt-business, openai/chatgpt-business-premium, openai/chatgpt-plus?);"
            " `costcalc pricing list --kind seat` lists them"
        ),
    ),
    (
        "unknown_kind.yaml",
        "error: unknown_kind.yaml:5: options[API].kind: kind 'apii' is not one of api, subscription, self_hosted"
        " (did you mean: api?)",
    ),
    (
        "kind_seats.yaml",
        "error: kind_seats.yaml:5: options[Team plan].kind: kind 'seats' is not one of api, subscription,"
        " self_hosted (did you mean: subscription?)",
    ),
    (
        "share_as_percent.yaml",
        "error: share_as_percent.yaml:2: workload.cached_input_share: Input should be less than or equal to 1"
        " (got 60); shares are fractions (0.6 = 60%): did you mean 0.6?",
    ),
    (
        "missing_required.yaml",
        "error: missing_required.yaml:2: workload.output_tokens: missing required field; add it",
    ),
    ("empty.yaml", "error: empty.yaml: file is empty; start from `costcalc init`"),
    ("binary.yaml", "error: binary.yaml: not a text file (not UTF-8 at byte 0); give a YAML file"),
    (
        "syntax_error.yaml",
        "error: syntax_error.yaml:5: not valid YAML: expected ',' or ']', but got ':'; check the brackets, quotes and"
        " indentation on this line and the one before",
    ),
    # qa18: typing slips the parser words as 'could not find expected ':'' or 'mapping values are not allowed here'
    # ('check the brackets, quotes and indentation'); a no-break space pasted from a web page or a chat is invisible
    (
        "no_space_after_colon.yaml",
        "error: no_space_after_colon.yaml:4: not valid YAML: no space after the colon; write 'input_tokens: 500'",
    ),
    (
        "equals_sign.yaml",
        "error: equals_sign.yaml:3: not valid YAML: '=' where YAML takes ': '; write 'requests_per_day: 1000'",
    ),
    (
        "nbsp_indent.yaml",
        "error: nbsp_indent.yaml:4: not valid YAML: the indentation holds a no-break space (U+00A0), which YAML does"
        " not read as a space; indent with plain spaces",
    ),
    (
        "value_starting_with_at.yaml",
        "error: value_starting_with_at.yaml:2: not valid YAML: found character '@' that cannot start any token; quote"
        " a value that starts with * & ! @ ` % | or > (name: '@team')",
    ),
    (  # a forgotten '- ' was told to 'keep one' of the keys
        "item_without_dash.yaml",
        "error: item_without_dash.yaml:7: options[0].name: duplicate key 'name' (first on line 4); if this line starts"
        " another item of options, begin it with '- '; else keep one, YAML would silently drop the other",
    ),
    (
        "tab_indent.yaml",
        "error: tab_indent.yaml:4: not valid YAML: found character '\\t' that cannot start any token; indent with"
        " spaces, not tabs",
    ),
    (
        "unknown_precision.yaml",
        "error: unknown_precision.yaml:7: options[Rented].precision: unknown precision 'fp-8' (did you mean: fp8, fp4,"
        " fp16?); valid: bf16, fp16, fp8, int8, fp4, mxfp4, int4, q8_0, q4_0, q4_k_m",
    ),
    (
        "misspelt_choice.yaml",
        "error: misspelt_choice.yaml:7: options[Rented].engine: Input should be 'vllm', 'sglang', 'trtllm', 'llamacpp'"
        " or 'mlx' (got 'vlm') (did you mean: vllm?) (+1 more)",
    ),
    (
        "engine_args_unread.yaml",
        "error: engine_args_unread.yaml:8: options[Rented].engine_args: '--swap-space' is not a flag the estimator"
        " reads for vllm; drop it (it reads --max-num-seqs, --max-num-batched-tokens, --max-model-len,"
        " --num-gpu-blocks-override, --block-size, --enable-chunked-prefill, --no-enable-chunked-prefill,"
        " --num-scheduler-steps/--num-scheduler-step, --quantization/-q, --kv-cache-dtype,"
        " --tensor-parallel-size/-tp, --pipeline-parallel-size/-pp, --gpu-memory-utilization)",
    ),
    (  # llama-server's -ngl below the model's layers keeps part of it on the CPU, which the estimator does not model
        "engine_args_partial_offload.yaml",
        "error: engine_args_partial_offload.yaml:9: options[Rented].engine_args: -ngl 20 puts 20 of llama-3.1-8b's 33"
        " offloadable layers (32 and the output layer) on the GPU and the rest on the CPU: partial offload is not"
        " modelled (the estimator runs every layer on the GPU); use -ngl 33 or more (or all)",
    ),
    (  # a flag that changes the server's speed in a way the estimator has no figure for says so
        "engine_args_not_modelled.yaml",
        "error: engine_args_not_modelled.yaml:8: options[Rented].engine_args: --enforce-eager changes the server's"
        " speed in a way the estimator does not model: it runs every step without CUDA graphs, slower by an amount"
        " the estimator has no figure for (its step times are fitted on servers that capture them); drop it to"
        " estimate the server without it",
    ),
    (
        "engine_args_malformed.yaml",
        "error: engine_args_malformed.yaml:9: options[Rented].engine_args: -np needs a whole number, got 'eight'",
    ),
    (
        "engine_args_v0_flag.yaml",
        "error: engine_args_v0_flag.yaml:8: options[Rented].engine_args: --num-scheduler-steps is read only for a vLLM"
        " release before 0.8.0 (the V0 engine's flag; the estimator's V1 scheduler does not take it); state such a"
        " release as the engine version (0.6.3, for example) or drop --num-scheduler-steps",
    ),
    (
        "engine_release_untagged.yaml",
        "error: engine_release_untagged.yaml:9: options[Rented].engine_version: write the llamacpp release as a build"
        " tag such as b7079 (the tag of the release it was built from) (got '5540')",
    ),
    (  # a bare build number: the tag's form at once (was "put the text in quotes, e.g. '7079'", then the tag's)
        "engine_release_bare_number.yaml",
        "error: engine_release_bare_number.yaml:9: options[Rented].engine_version: write the llamacpp release as a"
        " build tag such as b7079 (got 7079)",
    ),
    (
        "engine_release_unread.yaml",
        "error: engine_release_unread.yaml:8: options[Rented].engine_version: the estimator reads no release of"
        " trtllm; drop engine_version (got '1.0.0')",
    ),
    (
        "engine_release_vllm_word.yaml",
        "error: engine_release_vllm_word.yaml:8: options[Rented].engine_version: write the vllm release as a release"
        " number such as 0.6.3 (got 'latest')",
    ),
    (  # the tensor-parallel size of a pasted server command disagrees with the replica's GPUs
        "engine_args_tp_mismatch.yaml",
        "error: engine_args_tp_mismatch.yaml:8: options[Rented].engine_args: --tensor-parallel-size 8 splits the model"
        " over 8 GPUs but the replica has 2 (--gpus, or the option's hardware.gpus_per_replica); make them agree, or"
        " drop --tensor-parallel-size",
    ),
    (  # was 'no operating points to choose from; pass at least one benchmark result', naming no file, line or field
        "measured_empty_list.yaml",
        "error: measured_empty_list.yaml:8: options[Rented].throughput: measured: the list is empty; name at least one"
        " benchmark result file",
    ),
    (  # was 'no operating points to choose from; pass at least one benchmark result', naming no file, line or field
        "throughput_estimate_false_alone.yaml",
        "error: throughput_estimate_false_alone.yaml:8: options[Rented].throughput: estimate: false and nothing"
        " measured; give points or measured, or estimate: true",
    ),
    (  # a V0 vLLM release came out before the model: it never served it (was a capacity 63% above today's release's)
        "engine_release_before_model.yaml",
        "error: engine_release_before_model.yaml:8: options[Rented].engine_version: vllm 0.6.3 cannot serve"
        " gpt-oss-20b: vLLM loads its architecture (GptOssForCausalLM) from 0.10.1 on (vLLM v0.10.1 release notes,"
        " #22327); state the release the server runs (0.10.1 or later) or drop the engine version",
    ),
    (
        "unknown_currency.yaml",
        "error: unknown_currency.yaml:2: currency: no shipped exchange rate for EURO; give currency: {code: EURO,"
        " per_usd: ..., as_of: ..., source: ...}",
    ),
    (  # qa18: was 'no shipped exchange rate for usd; give currency: {code: usd, ...}', which the code's pattern refuses
        "currency_in_lower_case.yaml",
        "error: currency_in_lower_case.yaml:2: currency: write the ISO 4217 code in capitals: USD (got 'usd')",
    ),
    # qa18: a date written another way got pydantic's words and no fix ('Input should be a valid date or datetime,
    # invalid character in year'; 'Datetimes provided to dates should have zero time - e.g. be exact dates'), and a
    # day the calendar lacks, which YAML itself refuses, 'not a usable value (ValueError)' with no field
    (
        "date_us_format.yaml",
        "error: date_us_format.yaml:2: currency.as_of: not a date (got '08/13/2026'); write the date as YYYY-MM-DD:"
        " did you mean 2026-08-13?",
    ),
    (
        "date_ambiguous.yaml",
        "error: date_ambiguous.yaml:2: currency.as_of: not a date (got '12/01/2026'); write the date as YYYY-MM-DD:"
        " 2026-12-01 or 2026-01-12?",
    ),
    (
        "date_with_time.yaml",
        "error: date_with_time.yaml:4: pricing[0].as_of: not a date (got 2026-08-01 09:30:00, a date and a time);"
        " write the date as YYYY-MM-DD: did you mean 2026-08-01?",
    ),
    (
        "date_no_such_day.yaml",
        "error: date_no_such_day.yaml:5: currency.as_of: no such day: '2026-02-30' (YAML reads it as a date); check"
        " the month and the day, or quote it if it is text",
    ),
    (
        "currency_without_date.yaml",
        "error: currency_without_date.yaml:2: currency.as_of: missing required field; add it (+1 more)",
    ),
    (
        "workload_as_list.yaml",
        "error: workload_as_list.yaml:2: workload: expected a mapping of 'key: value' lines, got a list; remove the"
        " '- ' before its keys",
    ),
    (
        "options_as_mapping.yaml",
        "error: options_as_mapping.yaml:3: options: expected a list of '- ' items, got a mapping; start each item"
        " with '- '",
    ),
    ("no_options.yaml", "error: no_options.yaml:3: options: the list is empty; add at least 1 item"),
    (
        "not_a_mapping.yaml",
        "error: not_a_mapping.yaml:1: a scenario must be a mapping with version, workload and options",
    ),
    (
        "duplicate_keys.yaml",
        (
            "error: duplicate_keys.yaml:6: workload.input_tokens: duplicate key 'input_tokens' (first on line 4);"
            " keep one, YAML would silently drop the other"
        ),
    ),
    (
        "duplicate_option_names.yaml",
        "error: duplicate_option_names.yaml:7: options[1].name: duplicate option name 'API' (also options[0]);"
        " give each option its own name",
    ),
    (
        "billion_laughs.yaml",
        (
            "error: billion_laughs.yaml:6: document expands to more than 200000 values through anchors and aliases;"
            " refusing it (write the values out instead)"
        ),
    ),
    (
        "unsupported_version.yaml",
        "error: unsupported_version.yaml:1: version: unsupported version; this costcalc reads version 1 (got 2)",
    ),
    (
        "both_volumes.yaml",
        "error: both_volumes.yaml:2: workload: give exactly one of requests_per_day or tokens_per_month; both are set"
        " (to override or sweep the volume, change the one the scenario gives)",
    ),
    (
        "does_not_fit.yaml",
        (
            "error: does_not_fit.yaml:4: options[Too big].throughput: needs 811.7 GB of weights,"
            " 21.2 GB available on 1x l4-24gb; use more GPUs per replica or a lower precision"
        ),
    ),
    (
        "commitment_longer_than_horizon.yaml",
        (
            "error: commitment_longer_than_horizon.yaml:15: options[Reserved].hardware.commitment_months: a 36-month"
            " commitment is longer than the 24-month horizon; lengthen horizon_months or commit for a shorter term"
        ),
    ),
    (
        "lease_without_term.yaml",
        "error: lease_without_term.yaml:13: options[Leased].hardware.lease.term_months: missing required field; add it",
    ),
    (
        "price_change_below_minus_100.yaml",
        (
            "error: price_change_below_minus_100.yaml:7: options[API].price_change_per_year:"
            " Input should be greater than -1 (got -1.2); write a number above -1"
        ),
    ),
    (
        "end_of_life_on_rental.yaml",
        (
            "error: end_of_life_on_rental.yaml:14: options[Rented].hardware.at_end_of_life: at_end_of_life is for"
            " bought or leased hardware (acquisition: buy or lease) (got 'retire')"
        ),
    ),
    (
        "one_off_past_horizon.yaml",
        (
            "error: one_off_past_horizon.yaml:8: options[API].one_off_costs[0].month: month 13 is past the 12-month"
            " horizon; pay it within the horizon"
        ),
    ),
]


@pytest.fixture
def in_bad(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the corpus folder, so messages carry the short file names."""
    monkeypatch.chdir(BAD)
    return BAD


def run_report(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["report", *args, "--today", TODAY])


@pytest.mark.parametrize(("name", "expected"), CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_input_exact_message(in_bad: Path, name: str, expected: str) -> None:
    result = run_report(name)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == expected + "\n"
    assert "Traceback" not in result.output


def test_corpus_is_complete() -> None:
    # every fixture in the folder is exercised (usage_with_error.yaml through usage_reference.yaml)
    covered = {name for name, _ in CORPUS} | {"usage_reference.yaml", "usage_with_error.yaml"}
    assert {p.name for p in BAD.glob("*.yaml")} == covered


def test_error_in_referenced_usage_file_names_that_file(in_bad: Path) -> None:
    # usage_reference.yaml says `workload: usage_with_error.yaml`; the mistake is on line 4 of THAT file.
    result = run_report("usage_reference.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {os.path.relpath(BAD / 'usage_with_error.yaml')}:4: output_tokns: unknown key 'output_tokns'"
        " (did you mean: output_tokens, input_tokens, reasoning_tokens?) (+1 more)\n"
    )


def test_billion_laughs_is_refused_fast(in_bad: Path) -> None:
    # 9^9 = 387M strings if expanded; the size check counts nodes without expanding. A guard, not a benchmark.
    start = time.perf_counter()
    result = run_report("billion_laughs.yaml")
    assert result.exit_code == 2
    assert time.perf_counter() - start < 3.0


def test_python_api_raises_input_error_with_location(in_bad: Path) -> None:
    from costcalc.api import load_scenario

    with pytest.raises(InputError) as info:
        load_scenario("negative_price.yaml")
    err = info.value
    assert (err.file, err.line, err.field) == (
        "negative_price.yaml",
        7,
        "options[API].prices.input_usd_per_mtok",
    )


def test_missing_file(in_bad: Path) -> None:
    result = run_report("no_such_file.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: no_such_file.yaml: file not found; check the path\n"


def test_a_very_long_workload_path_keeps_its_fix_in_the_error(tmp_path: Path) -> None:
    # a 5,000-character `workload:` echoed whole filled the 1,000-character error line and cut off '; check the path'
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "version: 1\nworkload: " + "x" * 5000 + "\noptions:\n"
        "  - {name: A, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}\n"
    )
    result = run_report(str(scenario))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {scenario}:2: workload: 'xxxxxxxxxx")
    assert result.stderr.endswith(
        "xxxx' (5,000 characters): file not found (a relative path starts at the scenario's folder); check the path\n"
    )
    assert len(result.stderr) < len(str(scenario)) + 200


@pytest.mark.parametrize(
    ("option", "says"),
    [
        # a 5,000-character option name was echoed whole in the field path (options[NAME].name): the 1,000-character
        # line was cut before the message and its fix; a 5,000-character kind the same
        (
            "{name: " + "n" * 5000 + ", kind: api, model: openai/gpt-6-luna}",
            "].name: String should have at most 120 characters (got 'nnnnnnnnnnnnnnnnnnnnnnnnnnn…nnnnnnnnnnnnnnnnnnnnnnnnnnn'"
            " (5,000 characters)); shorten it to 120 characters or fewer\n",
        ),
        (
            "{name: A, kind: " + "k" * 5000 + "}",
            "options[A].kind: kind 'kkkkkkkkkkkkkkkkkkkkkkkkkkk…kkkkkkkkkkkkkkkkkkkkkkkkkkk' (5,000 characters) is not one of"
            " api, subscription, self_hosted\n",
        ),
    ],
)
def test_a_very_long_option_name_or_kind_keeps_the_errors_message(tmp_path: Path, option: str, says: str) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "version: 1\nworkload: {requests_per_day: 1000, input_tokens: 500, output_tokens: 100}\noptions:\n"
        f"  - {option}\n"
    )
    result = run_report(str(scenario))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {scenario}:4: options[")
    assert result.stderr.endswith(says)
    assert len(result.stderr) < len(str(scenario)) + 400


def test_nesting_past_libyamls_own_limit_is_refused_not_a_crash(tmp_path: Path) -> None:
    # 1,001 nested '[': libyaml stops at 1,000 levels before the depth count sees them, and the reader that followed
    # recursed (exit 70, 'internal error (RecursionError)'; the API raised RecursionError)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("version: 1\nname: " + "[" * 1001 + "]" * 1001 + "\n")
    result = run_report(str(scenario))
    assert result.exit_code == 2
    assert result.stderr == f"error: {scenario}:2: nested more than 64 levels deep; a scenario needs a handful\n"
    with pytest.raises(InputError, match="nested more than 64 levels deep"):
        from costcalc.api import load_scenario

        load_scenario(scenario.read_text())


def test_folder_instead_of_file(tmp_path: Path) -> None:
    result = run_report(str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path}: is a folder; give a YAML file\n"


UNQUOTED = """\
version: 1
name: NAME
workload: {requests_per_day: 1000, input_tokens: 500, output_tokens: 100, growth_per_month: GROWTH}
options:
  - {name: A, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}, discount: DISCOUNT}
"""


@pytest.mark.parametrize(
    ("name", "growth", "discount", "says"),
    [
        # text YAML reads as something else: was 'Input should be a valid string (got False)', no fix
        (
            "No",
            0,
            0,
            "2: name: Input should be a valid string (got False); YAML reads yes/no, on/off and true/false"
            " as booleans: put the text in quotes, e.g. 'No'",
        ),
        (
            "2027",
            0,
            0,
            "2: name: Input should be a valid string (got 2027); YAML reads 2027 as a number: put the text"
            " in quotes, e.g. '2027'",
        ),
        (
            "2026-12-06",
            0,
            0,
            "2: name: Input should be a valid string; YAML reads 2026-12-06 as a date: put the text"
            " in quotes, e.g. '2026-12-06'",
        ),
        ("", 0, 0, "2: name: Input should be a valid string; it is empty: write the text after the colon"),
        # percentages where fractions belong: was 'Input should be less than 1 (got 15)', no fix
        (
            "X",
            0,
            15,
            "5: options[A].discount: Input should be less than 1 (got 15); shares are fractions (0.6 = 60%):"
            " did you mean 0.15?",
        ),
        (
            "X",
            8,
            0,
            "3: workload.growth_per_month: Input should be less than or equal to 5 (got 8); shares are"
            " fractions (0.6 = 60%): did you mean 0.08?",
        ),
    ],
)
def test_a_value_yaml_reads_otherwise_gets_the_fix(
    tmp_path: Path, name: str, growth: int, discount: int, says: str
) -> None:
    path = tmp_path / "s.yaml"
    text = UNQUOTED.replace("NAME", name).replace("GROWTH", str(growth)).replace("DISCOUNT", str(discount))
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(path), "--today", TODAY])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {path}:{says}\n"
