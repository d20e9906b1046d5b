"""Loading scenarios: sources (path, string, dict, stdin), referenced usage and hardware files, error locations."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from costcalc.errors import InputError
from costcalc.models import Hardware, Scenario, Workload
from costcalc.scenario.loaders import load_scenario
from costcalc.scenario.references import load_hardware, load_workload

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "throughput"

USAGE = """\
# usage profile, units in the names
requests_per_day: 2000
input_tokens: 800
output_tokens: 200
"""

H100 = """\
gpu: h100-sxm-80gb
gpus_per_replica: 2
acquisition: rent
hourly_usd: 3.0
"""


def scenario_with_refs(workload: Any = "usage.yaml", hardware: Any = "hw/h100.yaml") -> dict[str, Any]:
    return {
        "version": 1,
        "workload": workload,
        "options": [
            {
                "name": "API",
                "kind": "api",
                "prices": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 4},
            },
            {
                "name": "Rented",
                "kind": "self_hosted",
                "model": "llama-3.1-8b",
                "hardware": hardware,
            },
        ],
    }


def test_load_from_path(write_yaml, base_scenario: dict) -> None:
    sc = load_scenario(write_yaml(base_scenario))
    assert isinstance(sc, Scenario)
    assert [o.name for o in sc.options] == ["Explicit API", "Rented GPUs", "Seats"]
    assert isinstance(sc.workload, Workload) and sc.workload.requests_per_day == 100_000


def test_load_from_yaml_string_and_dict_agree(base_scenario: dict, write_yaml) -> None:
    text = yaml.safe_dump(base_scenario, sort_keys=False)
    from_text = load_scenario(text)
    from_dict = load_scenario(base_scenario)
    from_path = load_scenario(str(write_yaml(base_scenario)))
    assert from_text.model_dump() == from_dict.model_dump() == from_path.model_dump()


def test_load_from_stdin(base_scenario: dict) -> None:
    sc = load_scenario("-", stdin_text=yaml.safe_dump(base_scenario))
    assert sc.locate("workload.input_tokens")[0] == "<stdin>"


def test_dict_source_is_not_modified(base_scenario: dict) -> None:
    before = yaml.safe_dump(base_scenario)
    load_scenario(base_scenario, overrides=["workload.input_tokens=5"])
    assert yaml.safe_dump(base_scenario) == before


def test_referenced_files_resolve_against_the_scenarios_folder(
    tmp_path: Path, write_yaml, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_yaml(USAGE, "project/usage.yaml")
    write_yaml(H100, "project/hw/h100.yaml")
    path = write_yaml(scenario_with_refs(), "project/scenario.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # not the scenario's folder
    sc = load_scenario(str(path))
    assert sc.workload == Workload(requests_per_day=2000, input_tokens=800, output_tokens=200)
    rented = sc.options[1]
    assert rented.hardware == Hardware(gpu="h100-sxm-80gb", gpus_per_replica=2, acquisition="rent", hourly_usd=3.0)


def test_workload_flag_replaces_workload_relative_to_cwd(
    tmp_path: Path, write_yaml, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_yaml(H100, "project/hw/h100.yaml")
    path = write_yaml(
        scenario_with_refs(workload={"requests_per_day": 1, "input_tokens": 1, "output_tokens": 1}),
        "project/s.yaml",
    )
    write_yaml(USAGE.replace("2000", "7000"), "here/peak.yaml")
    monkeypatch.chdir(tmp_path / "here")
    sc = load_scenario(str(path), workload_file="peak.yaml")
    assert sc.workload.requests_per_day == 7000


def test_error_in_hardware_file_names_that_file(write_yaml) -> None:
    write_yaml(USAGE, "p/usage.yaml")
    hw = write_yaml(H100.replace("hourly_usd: 3.0", "hourly_usd: -3.0"), "p/hw/h100.yaml")
    path = write_yaml(scenario_with_refs(), "p/s.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert str(info.value) == f"{hw}:4: hourly_usd: Input should be greater than 0 (got -3.0); write a number above 0"


def test_missing_referenced_file(write_yaml) -> None:
    # the error named only the missing file ('.../p/usage.yaml: file not found'), not where the scenario names it
    path = write_yaml(scenario_with_refs(), "p/s.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert str(info.value) == (
        f"{path}:2: workload: 'usage.yaml': file not found (a relative path starts at the scenario's folder);"
        " check the path"
    )


@pytest.mark.parametrize(
    ("written", "fix"),
    [
        ("$HOME/usage.yaml", "environment variables are not expanded in a scenario: write the path itself"),
        ("%USERPROFILE%/usage.yaml", "environment variables are not expanded in a scenario: write the path itself"),
        ("https://example.com/usage.yaml", "a web address is not fetched: download the file and name its path"),
    ],
)
def test_a_reference_that_is_a_variable_or_a_web_address_says_why_it_is_not_found(
    write_yaml, written: str, fix: str
) -> None:
    """qa18: each said 'file not found (...); check the path', and the path was as the user meant it."""
    path = write_yaml(scenario_with_refs(workload=written), "p/s.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert str(info.value) == (
        f"{path}:2: workload: {written!r}: file not found (a relative path starts at the scenario's folder); {fix}"
    )


@pytest.mark.skipif(os.sep != "/", reason="a backslash separates folders on Windows")
@pytest.mark.parametrize(
    ("written", "fix"),
    [
        (
            "usage\\peak.yaml",
            "a backslash separates no folders on this system: write usage/peak.yaml (/ works on Windows too)",
        ),
        (
            "usage\\gone.yaml",
            "a backslash separates no folders on this system: write usage/gone.yaml (/ works on Windows too) and check"
            " the path",
        ),
        (
            "C:\\Users\\me\\usage.yaml",
            "a Windows drive path cannot be read on this system: keep the file in the scenario's folder and name it"
            " from there, with / (it works on Windows too)",
        ),
    ],
)
def test_a_windows_path_says_to_write_it_with_slashes(write_yaml, written: str, fix: str) -> None:
    """qa24: a scenario written on Windows (`workload: usage\\peak.yaml`), run in CI on Linux, said 'file not found
    (...); check the path' beside usage/peak.yaml."""
    write_yaml(USAGE, "p/usage/peak.yaml")
    path = write_yaml(scenario_with_refs(workload=written), "p/s.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert str(info.value) == (
        f"{path}:2: workload: {written!r}: file not found (a relative path starts at the scenario's folder); {fix}"
    )


@pytest.mark.parametrize("where", ["hardware", "measured"])
def test_a_reference_to_a_folder_or_nothing_names_the_scenarios_line(write_yaml, where: str) -> None:
    data = scenario_with_refs(workload={"requests_per_day": 1, "input_tokens": 1, "output_tokens": 1})
    write_yaml(H100, "p/hw/h100.yaml")
    field = "options[Rented].hardware"
    if where == "measured":
        data["options"][1]["throughput"] = {"measured": "hw"}
        field = "options[Rented].throughput.measured"
    else:
        data["options"][1]["hardware"] = "hw"
    path = write_yaml(data, "p/s.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert info.value.file == str(path) and info.value.line is not None
    assert info.value.field == field
    assert info.value.detail == "'hw' is a folder; name a file in it"


def test_measured_throughput_paths_become_absolute(write_yaml) -> None:
    data = scenario_with_refs(
        workload={"requests_per_day": 1, "input_tokens": 1, "output_tokens": 1},
        hardware={"gpu": "h100-sxm-80gb", "acquisition": "rent", "hourly_usd": 2.0},
    )
    data["options"][1]["throughput"] = {"measured": ["bench/a.json", "/abs/b.json"]}
    path = write_yaml(data, "p/s.yaml")
    write_yaml("{}", "p/bench/a.json")
    with pytest.raises(InputError, match="'/abs/b.json': file not found; check the path"):
        load_scenario(str(path), allow_outside=True)
    data["options"][1]["throughput"] = {"measured": ["bench/a.json", str(write_yaml("{}", "elsewhere/b.json"))]}
    path = write_yaml(data, "p/s.yaml")
    sc = load_scenario(str(path), allow_outside=True)
    assert sc.options[1].throughput.measured == (
        str(path.parent / "bench" / "a.json"),
        str(path.parent.parent / "elsewhere" / "b.json"),
    )


def test_references_stay_in_the_scenario_folder_unless_allowed(write_yaml) -> None:
    data = scenario_with_refs(
        workload={"requests_per_day": 1, "input_tokens": 1, "output_tokens": 1},
        hardware={"gpu": "h100-sxm-80gb", "acquisition": "rent", "hourly_usd": 2.0},
    )
    data["options"][1]["throughput"] = {"measured": ["bench/a.json", "/abs/b.json"]}
    path = write_yaml(data, "p/s.yaml")
    write_yaml("{}", "p/bench/a.json")
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert info.value.field == "options[Rented].throughput.measured"
    assert "'/abs/b.json' is outside the scenario's folder" in info.value.detail
    assert info.value.line is not None


def test_load_workload_and_hardware_directly(write_yaml) -> None:
    assert load_workload(str(write_yaml(USAGE, "u.yaml"))).input_tokens == 800
    assert load_hardware(str(write_yaml(H100, "h.yaml"))).gpus_per_replica == 2


def test_locate_maps_fields_to_lines(write_yaml) -> None:
    path = write_yaml(
        """\
        version: 1
        workload:
          requests_per_day: 1000
          input_tokens: 500
          output_tokens: 100
        options:
          - name: Mini
            kind: api
            prices:
              input_usd_per_mtok: 1
              output_usd_per_mtok: 4
        """
    )
    sc = load_scenario(str(path))
    assert sc.locate("options[Mini].prices.output_usd_per_mtok") == (str(path), 11)
    assert sc.locate("options[Mini].model") == (str(path), 7)  # not in the file: the option's line
    assert sc.locate("workload") == (str(path), 2)
    assert sc.locate(None) == (str(path), None)


def test_first_error_prefers_unknown_key_over_the_missing_one_it_causes(write_yaml) -> None:
    # 'output_tokns' makes output_tokens missing too; the useful message is the misspelling.
    path = write_yaml(
        """\
        version: 1
        workload:
          requests_per_day: 1000
          input_tokens: 500
          output_tokns: 100
        options:
          - {name: A, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}
        """
    )
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert str(info.value) == (
        f"{path}:5: workload.output_tokns: unknown key 'output_tokns'"
        " (did you mean: output_tokens, input_tokens, reasoning_tokens?) (+1 more)"
    )


def test_unknown_key_far_from_any_name_lists_allowed_keys(write_yaml, base_scenario: dict) -> None:
    base_scenario["options"][2]["zzz"] = 1
    with pytest.raises(InputError) as info:
        load_scenario(str(write_yaml(base_scenario)))
    assert info.value.field == "options[Seats].zzz"
    assert info.value.detail == (
        "unknown key 'zzz'; allowed keys: billing, cap_requests_per_user_per_month, kind, name, one_off_costs, plan,"
        " price_change_per_year, seats, usd_per_seat_month"
    )


ANCHORED = """\
version: 1
x-defaults: &hw {gpu: l40s-48gb, acquisition: rent, hourly_usd: 1.5}
workload: {requests_per_day: 40000, input_tokens: 1200, output_tokens: 250}
options:
  - {name: A, kind: self_hosted, model: gpt-oss-20b, hardware: *hw}
"""


@pytest.mark.parametrize("key", ["x-defaults", ".defaults"])
def test_a_block_kept_aside_for_anchors_says_where_a_scenario_keeps_them(write_yaml, key: str) -> None:
    """qa24: docker compose's `x-common: &common` (GitLab CI's `.defaults`) listed the allowed keys only."""
    with pytest.raises(InputError) as info:
        load_scenario(str(write_yaml(ANCHORED.replace("x-defaults", key))))
    assert (info.value.line, info.value.detail) == (
        2,
        f"unknown key {key!r}; a scenario keeps no block aside for YAML anchors: put the anchor where its values are"
        " first written (`hardware: &hw {...}`) and merge it into the others (`hardware: {<<: *hw, hourly_usd: 2}`)",
    )
    fixed = "version: 1\n" + ANCHORED.split("\n", 2)[2].replace(
        "hardware: *hw", "hardware: &hw {gpu: l40s-48gb, acquisition: rent, hourly_usd: 1.5}"
    )
    fixed += "  - {name: B, kind: self_hosted, model: gpt-oss-20b, hardware: {<<: *hw, hourly_usd: 2}}\n"
    options = load_scenario(str(write_yaml(fixed))).options
    assert [o.hardware.hourly_usd for o in options] == [1.5, 2]  # the fix it names reads


def test_model_validator_errors_are_located(write_yaml, base_scenario: dict) -> None:
    # batch_share + off_peak_share > 1 is checked by the option's validator: located at the option
    base_scenario["options"][0].update(batch_share=0.7, off_peak_share=0.5)
    path = write_yaml(base_scenario)
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert info.value.field == "options[Explicit API]"
    assert info.value.detail == "batch_share + off_peak_share must not exceed 1"
    assert (
        info.value.line == yaml.safe_dump(base_scenario, sort_keys=False).splitlines().index("- name: Explicit API") + 1
    )


def test_scenario_models_are_frozen(base_scenario: dict) -> None:
    sc = load_scenario(base_scenario)
    with pytest.raises(AttributeError, match=r"^Scenario\.name is read-only"):  # frozen (models/base.py)
        sc.name = "changed"  # type: ignore[misc]


def test_unknown_key_hint_uses_the_model_of_that_list_item(write_yaml, base_scenario: dict) -> None:
    # options[0] is an api option; the typo is in options[1] (self-hosted) → Hardware's keys, not ApiOption's
    base_scenario["options"][1]["hardware"]["hourly_rate"] = 2.0
    with pytest.raises(InputError) as info:
        load_scenario(str(write_yaml(base_scenario)))
    assert info.value.field == "options[Rented GPUs].hardware.hourly_rate"
    assert info.value.detail == "unknown key 'hourly_rate' (did you mean: hourly_usd?)"


def test_an_empty_referenced_file_is_told_what_to_hold(write_yaml) -> None:
    # it was told 'file is empty; start from `costcalc init`', which writes a scenario, not a hardware file
    write_yaml(USAGE, "p/usage.yaml")
    hw = write_yaml("", "p/hw/h100.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(write_yaml(scenario_with_refs(), "p/s.yaml")))
    assert str(info.value) == (
        f"{hw}: file is empty; write the hardware's keys, as a self-hosted option's hardware: section holds them"
    )


def test_a_scenario_given_as_the_workload_file_is_named_as_one(write_yaml) -> None:
    # it read "version: unknown key 'version' (did you mean: users?) (+5 more)"
    other = write_yaml(scenario_with_refs(workload=yaml.safe_load(USAGE), hardware=yaml.safe_load(H100)), "other.yaml")
    path = write_yaml(scenario_with_refs(), "p/s.yaml")
    write_yaml(H100, "p/hw/h100.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(path), workload_file=str(other))
    assert str(info.value) == (
        f"{other}: this is a scenario, not a workload file; name a file holding only the workload's keys, as a"
        " scenario's workload: section holds them"
    )


def test_a_section_copied_with_its_heading_is_told_to_drop_it(write_yaml) -> None:
    # it read "workload: unknown key 'workload'; allowed keys: cache_write_share, ..." (and likewise for hardware)
    write_yaml("workload:\n" + textwrap.indent(USAGE, "  "), "p/usage.yaml")
    write_yaml("# an H100 node\nhardware:\n" + textwrap.indent(H100, "  "), "p/hw/h100.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(write_yaml(scenario_with_refs(), "p/s.yaml")))
    assert str(info.value).endswith(
        "usage.yaml:1: its keys sit under 'workload:', but a workload file holds the workload's keys, as a scenario's"
        " workload: section holds them; delete the 'workload:' line and unindent the rest"
    )
    write_yaml(USAGE, "p/usage.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(write_yaml(scenario_with_refs(), "p/s.yaml")))
    assert str(info.value).endswith(
        "h100.yaml:2: its keys sit under 'hardware:', but a hardware file holds the hardware's keys, as a self-hosted"
        " option's hardware: section holds them; delete the 'hardware:' line and unindent the rest"
    )


def test_an_empty_throughput_mapping_is_the_estimate_as_leaving_it_out_is() -> None:
    """`throughput: {}` (a newcomer emptying the example's mapping) failed with 'no operating points to choose from;
    pass at least one benchmark result', naming no file, line or field; the field says the estimate is the default."""
    text = (
        "version: 1\nworkload: {requests_per_day: 1000, input_tokens: 500, output_tokens: 100}\noptions:\n"
        "  - {name: Rented, kind: self_hosted, model: gpt-oss-20b,\n"
        "     hardware: {gpu: l40s-48gb, acquisition: rent, hourly_usd: 1.5}, throughput: {}}\n"
    )
    option = load_scenario(text).options[0]
    assert option.throughput is not None and option.throughput.estimate


_BENCHMARK_USE = (
    "(it goes under a self-hosted option's throughput: {measured: FILE}; `costcalc ingest` shows its points)"
)


def _fixture(name: str) -> dict[str, Any]:
    """A benchmark result file of tests/fixtures/throughput, parsed."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (
            {"schema_version": "1.16", "scenario": "S", "options": [], "cheapest": "A"},
            "a costcalc report (schema_version 1.16), not a scenario (`costcalc diff` compares saved reports)",
        ),
        (
            {"schema_version": "2.0", "kind": "ingest", "points": []},
            "costcalc ingest's output (schema_version 2.0: the points it read), not a scenario (give the benchmark"
            " files it read)",
        ),
        (
            {"schema_version": "1.2", "kind": "sweep", "rows": []},
            "a costcalc sweep output (schema_version 1.2), not a scenario",
        ),
        (
            {"schema": "costcalc.measure/1", "levels": []},
            f"a result of `costcalc measure` (schema costcalc.measure/1), not a scenario {_BENCHMARK_USE}",
        ),
        (_fixture("vllm_new.json"), f"a vLLM bench serve result, not a scenario {_BENCHMARK_USE}"),
        (_fixture("llmperf_c8_summary.json"), f"an llmperf summary, not a scenario {_BENCHMARK_USE}"),
        (_fixture("guidellm_new.json"), f"a GuideLLM report, not a scenario {_BENCHMARK_USE}"),
        (_fixture("aiperf_records.json"), f"a genai-perf/AIPerf export, not a scenario {_BENCHMARK_USE}"),
        (
            {"version": 1, "scenario_pricing": [], "rows": []},
            "a pricing lock, not a scenario (give it with --pricing-lock)",
        ),
    ],
)
def test_a_file_costcalc_wrote_or_reads_is_said_to_be_no_scenario(tmp_path: Path, written: dict, said: str) -> None:
    # qa23: a saved JSON report given to `report` read "r.json:8: workload.requests_per_month: unknown key
    # 'requests_per_month' (did you mean: ...) (+70 more)"; qa24: a vLLM result read "date: unknown key 'date' (did you
    # mean: name?) (+52 more)", a pricing lock "scenario_pricing: unknown key 'scenario_pricing' (did you mean: pricing?)"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(written), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert str(info.value) == f"{path}:1: {said}"
