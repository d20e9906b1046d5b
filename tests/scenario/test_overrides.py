"""`--set PATH=VALUE`: path syntax, YAML values, options by name or index, and hints for wrong paths."""

from __future__ import annotations

import pytest

from costcalc.errors import InputError
from costcalc.scenario.loaders import load_scenario
from costcalc.scenario.overrides import parse_override, parse_path


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("workload.requests_per_day", ["workload", "requests_per_day"]),
        (
            "options[gpt-oss on H100].hardware.hourly_usd",
            ["options", "gpt-oss on H100", "hardware", "hourly_usd"],
        ),
        ("options[0].name", ["options", 0, "name"]),
        ("options[-1].discount", ["options", -1, "discount"]),
        ("horizon_months", ["horizon_months"]),
    ],
)
def test_parse_path(text: str, parts: list) -> None:
    assert parse_path(text) == parts


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a=3e5", 300000.0),  # YAML 1.1 reads 3e5 as a string; a what-if means the number
        ("a=42", 42),
        ("a=0.25", 0.25),
        ("a=true", True),
        ("a=[1, 2]", [1, 2]),
        ("a={x: 1}", {"x": 1}),
        ("a=hello world", "hello world"),
        ("a=x=y", "x=y"),  # only the first '=' splits
        ("a=", ""),
        ("a=[1,", "[1,"),  # not YAML: kept as text
    ],
)
def test_parse_override_values(text: str, value: object) -> None:
    assert parse_override(text) == (["a"], value)


def test_override_sets_values(base_scenario: dict) -> None:
    sc = load_scenario(
        base_scenario,
        overrides=[
            "workload.requests_per_day=3e5",
            "options[Rented GPUs].hardware.hourly_usd=2.75",
            "options[0].discount=0.1",
            "options[-1].seats=7",
            "name=What if",
        ],
    )
    assert sc.workload.requests_per_day == 300_000
    assert sc.options[1].hardware.hourly_usd == 2.75
    assert sc.options[0].discount == 0.1
    assert sc.options[2].seats == 7
    assert sc.name == "What if"


def test_later_override_wins(base_scenario: dict) -> None:
    sc = load_scenario(base_scenario, overrides=["workload.input_tokens=10", "workload.input_tokens=20"])
    assert sc.workload.input_tokens == 20


def test_override_creates_missing_mappings(base_scenario: dict) -> None:
    # slo is not in the scenario: it is created
    sc = load_scenario(base_scenario, overrides=["workload.slo.ttft_p95_ms=800"])
    assert sc.workload.slo.ttft_p95_ms == 800


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            "workload.requests_per_dya=5",
            (
                "--set workload.requests_per_dya=5: unknown key 'requests_per_dya' in workload"
                " (did you mean: requests_per_day?)"
            ),
        ),
        (
            "options[Explicit APi].discount=0.1",
            "--set options[Explicit APi].discount=0.1: no option named 'Explicit APi' (did you mean: Explicit API?)",
        ),
        (
            "options[Nope].discount=0.1",  # nothing close: said 'no option named 'Nope'' and no way to fix it
            "--set options[Nope].discount=0.1: no option named 'Nope'; the scenario's options are 'Explicit API',"
            " 'Rented GPUs', 'Seats'",
        ),
        ("options[7].discount=0.1", "--set options[7].discount=0.1: index 7 out of range (0..2)"),
        (  # was 'expected a list of '- ' items, got a mapping; start each item with '- '', a fix for a file
            "workload.hourly_profile[3]=5",
            "--set workload.hourly_profile[3]=5: workload.hourly_profile is not in the scenario, so it has no item [3];"
            " set the whole list: workload.hourly_profile=[...]",
        ),
        (
            "workload.requests_per_day",
            "--set: override 'workload.requests_per_day' needs PATH=VALUE, e.g. workload.requests_per_day=3e5",
        ),
        ("work load=1", "--set: cannot parse override path 'work load' near ' load'"),
        (
            "options[Rented GPUs].hardware.hourly_usd.x=1",
            (
                "--set options[Rented GPUs].hardware.hourly_usd.x=1: options[Rented GPUs].hardware.hourly_usd is a value,"
                " not a mapping; cannot set 'x'"
            ),
        ),
        (
            "options[Rented GPUs].hardware.hourly_us=1",
            (
                "--set options[Rented GPUs].hardware.hourly_us=1: unknown key 'hourly_us' in options[Rented GPUs].hardware"
                " (did you mean: hourly_usd?)"
            ),
        ),
        (
            "options[Seats].hardware.gpu=x",
            (
                "--set options[Seats].hardware.gpu=x: unknown key 'hardware' in options[Seats]; valid keys: billing,"
                " cap_requests_per_user_per_month, kind, name, one_off_costs, plan, price_change_per_year, seats,"
                " usd_per_seat_month"
            ),
        ),
    ],
)
def test_wrong_paths_get_hints(base_scenario: dict, override: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        load_scenario(base_scenario, overrides=[override])
    assert str(info.value) == _api(message)
    assert str(info.value.reworded(CLI)) == message


CLI = {"overrides": "--set"}  # as costcalc/cli/errors.py maps the API's parameter to its flag


def _api(message: str) -> str:
    """The command line's '--set PATH=VALUE: ...' in the API's words, "overrides='PATH=VALUE': ..."."""
    field, detail = message.split(": ", 1)
    item = field.removeprefix("--set").strip()
    return f"overrides={item!r}: {detail}" if item else f"overrides=: {detail}"


def test_invalid_override_value_names_the_override_not_the_files_line(write_yaml, base_scenario: dict) -> None:
    """Line 4 holds the file's valid 500: pointing there sent the reader to a value that is fine."""
    path = write_yaml(
        """\
        version: 1
        workload:
          requests_per_day: 1000
          input_tokens: 500
          output_tokens: 100
        options:
          - {name: A, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}
        """
    )
    with pytest.raises(InputError) as info:
        load_scenario(str(path), overrides=["workload.input_tokens=-5"])
    assert str(info.value) == _api(
        "--set workload.input_tokens=-5: Input should be greater than 0 (got -5); write a number above 0"
    )
    with pytest.raises(InputError) as info:  # an option by name; the file's own bad value still names its line
        load_scenario(str(path), overrides=["options[A].prices.output_usd_per_mtok=x", "workload.input_tokens=5"])
    assert str(info.value) == _api(
        "--set options[A].prices.output_usd_per_mtok=x: Input should be a valid number, unable to parse string as a"
        " number (got 'x'); write a plain number (no units or suffixes; the unit is in the field's name)"
    )
    path.write_text(path.read_text().replace("output_tokens: 100", "output_tokens: -100"))
    with pytest.raises(InputError) as info:
        load_scenario(str(path), overrides=["workload.input_tokens=5"])
    assert (
        str(info.value)
        == f"{path}:5: workload.output_tokens: Input should be greater than 0 (got -100); write a number above 0"
    )


@pytest.mark.parametrize("override", ["=5", " =5"])
def test_an_override_without_a_path_is_refused(base_scenario: dict, override: str) -> None:
    # `--set =5` changed nothing and exited 0
    with pytest.raises(InputError) as info:
        load_scenario(base_scenario, overrides=[override])
    assert str(info.value) == (
        f"overrides=: override {override!r} names no field; write PATH=VALUE, e.g. workload.requests_per_day=3e5"
    )


def test_override_reaches_into_a_referenced_usage_file(write_yaml) -> None:
    write_yaml("requests_per_day: 1000\ninput_tokens: 500\noutput_tokens: 100\n", "usage.yaml")
    path = write_yaml(
        """\
        version: 1
        workload: usage.yaml
        options:
          - {name: A, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}
        """
    )
    sc = load_scenario(str(path), overrides=["workload.requests_per_day=5000"])
    assert sc.workload.requests_per_day == 5000


def test_override_reaches_into_a_referenced_hardware_file_and_checks_its_keys(write_yaml) -> None:
    write_yaml("gpu: h100-sxm-80gb\nacquisition: rent\nhourly_usd: 2.0\n", "hw.yaml")
    path = write_yaml(
        """\
        version: 1
        workload: {requests_per_day: 1000, input_tokens: 500, output_tokens: 100}
        options:
          - {name: A, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}
          - {name: B, kind: self_hosted, model: gpt-oss-20b, hardware: hw.yaml}
        """
    )
    sc = load_scenario(str(path), overrides=["options[B].hardware.hourly_usd=1.5"])
    assert sc.options[1].hardware.hourly_usd == 1.5
    with pytest.raises(InputError, match="did you mean: hourly_usd"):
        load_scenario(str(path), overrides=["options[B].hardware.hourly_usdd=1.5"])


@pytest.mark.parametrize(
    ("override", "message"),
    [
        # a value holding the field at fault: the field is named (was 'missing required field; add it' alone)
        ("workload={}", "--set workload={}: workload.output_tokens: missing required field; add it"),
        (
            'workload.slo={"ttft_p95_ms":0}',
            '--set workload.slo={"ttft_p95_ms":0}: workload.slo.ttft_p95_ms: Input should be greater than 0 (got 0); write a number above 0',
        ),
        # a mapping the override created has no line in the file (was blamed on the file's first line)
        ("currency.code=EUR", "--set currency.code=EUR: currency.per_usd: missing required field; add it (+2 more)"),
        # the scenario version is the field's own check: it was blamed on the file's `version:` line, naming no field
        ("version=0", "--set version=0: unsupported version; this costcalc reads version 1 (got 0)"),
        # a changed kind makes the option's own keys wrong (was blamed on the file's prices: line)
        (
            "options[Explicit API].kind=self_hosted",
            "--set options[Explicit API].kind=self_hosted: options[Explicit API].prices: unknown key 'prices'"
            " (did you mean: precision?) (+2 more)",
        ),
    ],
)
@pytest.mark.parametrize("as_file", [True, False])
def test_an_error_an_override_caused_names_the_override_and_the_field(
    write_yaml, base_scenario: dict, override: str, message: str, as_file: bool
) -> None:
    source = str(write_yaml(base_scenario)) if as_file else base_scenario
    with pytest.raises(InputError) as info:
        load_scenario(source, overrides=[override])
    assert str(info.value) == _api(message)


def test_the_files_own_error_beside_an_override_of_the_same_mapping_names_the_files_line(
    write_yaml, base_scenario: dict
) -> None:
    base_scenario["options"][1]["hardware"]["hourly_usd"] = -2
    path = write_yaml(base_scenario)
    with pytest.raises(InputError) as info:
        load_scenario(str(path), overrides=["options[Rented GPUs].hardware.gpu=h200-sxm-141gb"])
    assert str(info.value).startswith(f"{path}:")
    assert "options[Rented GPUs].hardware.hourly_usd: Input should be greater than 0 (got -2)" in str(info.value)


def test_an_override_into_a_mapping_the_file_lacks_and_needs_names_the_file(write_yaml, base_scenario: dict) -> None:
    """qa12 finding 2: `--set workload.growth_per_month=0.05` on a file without `workload:` said '--set
    workload.growth_per_month=0.05: workload.output_tokens: missing required field; add it', as if the override were
    wrong; the file lacks the workload (as it says without the --set), which the override only sets a part of. An
    optional mapping an override creates (currency) still names the override (the test above)."""
    del base_scenario["workload"]
    path = write_yaml(base_scenario)
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert str(info.value) == f"{path}:1: workload: missing required field; add it"
    with pytest.raises(InputError) as info:
        load_scenario(str(path), overrides=["workload.growth_per_month=0.05"])
    assert str(info.value) == (
        f"{path}:1: workload: missing required field; add it (overrides='workload.growth_per_month=0.05' sets only"
        " part of it: workload.output_tokens is missing)"
    )
    assert (info.value.file, info.value.line, info.value.field) == (str(path), 1, "workload")
    flagged = info.value.reworded({"overrides": "--set"})
    assert "add it (--set 'workload.growth_per_month=0.05' sets only part of it:" in str(flagged)


NEGATIVE_HOUR = "[" + ",".join(["-1"] + ["1"] * 23) + "]"


@pytest.mark.parametrize("as_file", [True, False])
def test_an_override_inside_a_mapping_whose_whole_check_it_breaks_is_named(
    write_yaml, base_scenario: dict, as_file: bool
) -> None:
    """qa14 #15: `--set workload.hourly_profile[0]=-1` on internal-assistant said 'internal-assistant.yaml:8: workload:
    hourly_profile needs 24 non-negative values, at least one above 0', the file's line, for a value the file does not
    hold: the check is the whole workload's, above the value the override set. The override is named where the file's
    own mapping passes that check."""
    base_scenario["workload"].pop("peak_to_average", None)
    base_scenario["workload"]["hourly_profile"] = [1] * 24
    source = str(write_yaml(base_scenario)) if as_file else base_scenario
    with pytest.raises(InputError) as info:
        load_scenario(source, overrides=["workload.hourly_profile[0]=-1"])
    assert str(info.value) == _api(
        "--set workload.hourly_profile[0]=-1: hourly_profile needs 24 non-negative values, at least one above 0"
    )
    with pytest.raises(InputError) as info:
        load_scenario(source, overrides=[f"workload.hourly_profile={NEGATIVE_HOUR}"])
    assert str(info.value).startswith(_api(f"--set workload.hourly_profile={NEGATIVE_HOUR}: hourly_profile needs"))


def test_the_files_own_mapping_failing_its_whole_check_keeps_the_files_line(write_yaml, base_scenario: dict) -> None:
    base_scenario["workload"].pop("peak_to_average", None)
    base_scenario["workload"]["hourly_profile"] = [0] * 24
    path = write_yaml(base_scenario)
    with pytest.raises(InputError) as info:
        load_scenario(str(path), overrides=["workload.hourly_profile[0]=0"])
    assert str(info.value).startswith(f"{path}:")
    assert str(info.value).endswith("workload: hourly_profile needs 24 non-negative values, at least one above 0")


def test_a_duplicate_option_name_an_override_made_names_the_override(write_yaml) -> None:
    """qa18: `--set options[0].name=B` (B is the file's second option) was blamed on the file's line of options[1],
    a line the user had not changed; it names the override now, and the other option with its line."""
    path = write_yaml(
        """\
        version: 1
        workload: {requests_per_day: 1000, input_tokens: 500, output_tokens: 100}
        options:
          - {name: A, kind: api, prices: {input_usd_per_mtok: 1, output_usd_per_mtok: 4}}
          - {name: B, kind: api, prices: {input_usd_per_mtok: 2, output_usd_per_mtok: 8}}
        """
    )
    with pytest.raises(InputError) as info:
        load_scenario(str(path), overrides=["options[0].name=B"])
    assert str(info.value) == _api(
        f"--set options[0].name=B: duplicate option name 'B' (also options[1], {path}:5); give each option its own name"
    )
    path.write_text(path.read_text().replace("name: B", "name: A"))  # the file's own duplicate keeps its line
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert (
        str(info.value)
        == f"{path}:5: options[1].name: duplicate option name 'A' (also options[0]); give each option its own name"
    )


@pytest.mark.parametrize(
    ("override", "says"),
    [
        (
            "workload.requests_per_day=0100000",
            "YAML reads 0100000 as an octal number (32,768) for its leading 0; write 100000",
        ),
        ("workload.input_tokens=1:30", "YAML reads 1:30 as a base-60 number (1:30 is 90); write the number itself"),
    ],
)
def test_an_override_yaml_would_read_as_another_number_is_refused(
    base_scenario: dict, override: str, says: str
) -> None:
    """qa18: `--set workload.requests_per_day=0100000` costed 32,768 requests a day, silently (YAML 1.1's octal)."""
    with pytest.raises(InputError) as info:
        load_scenario(base_scenario, overrides=[override])
    assert str(info.value).startswith(f"overrides={override!r}: {says}")


def test_a_leading_zero_that_changes_nothing_is_read(base_scenario: dict) -> None:
    scenario = load_scenario(base_scenario, overrides=["workload.input_tokens=007"])  # octal 7 is 7
    assert scenario.workload.input_tokens == 7


def test_an_option_named_with_an_equals_sign_can_be_set() -> None:
    """`--set 'options[a=b].discount=0.1'` was split at the first '=': 'cannot parse override path options[a'."""
    from costcalc.scenario.overrides import parse_override

    assert parse_override("options[a=b].discount=0.1") == (["options", "a=b", "discount"], 0.1)
    assert parse_override("options[x].engine_args=--max-num-seqs=64") == (
        ["options", "x", "engine_args"],
        "--max-num-seqs=64",
    )


@pytest.mark.parametrize(
    ("override", "detail"),
    [
        ("workload=nope.yaml", "'nope.yaml': file not found (a relative path starts at the scenario's folder)"),
        (
            "options[0].hardware=nope.yaml",
            "'nope.yaml': file not found (a relative path starts at the scenario's folder)",
        ),
        ("workload=sub", "'sub' is a folder; name a file in it"),
    ],
)
def test_a_file_reference_set_by_set_is_blamed_on_the_set(tmp_path, override: str, detail: str) -> None:
    """`--set workload=nope.yaml` was blamed on the scenario's line of `workload:` ('s.yaml:3: workload: ...'), a line
    holding the file's own mapping, which the user did not change."""
    (tmp_path / "sub").mkdir()
    path = tmp_path / "s.yaml"
    path.write_text(
        "version: 1\nname: x\nworkload:\n  requests_per_day: 1000\n  input_tokens: 500\n  output_tokens: 100\n"
        "options:\n  - name: Rented\n    kind: self_hosted\n    model: gpt-oss-20b\n"
        "    hardware: {gpu: l40s-48gb, acquisition: rent, hourly_usd: 1.5}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_scenario(str(path), overrides=[override])
    exc = caught.value
    assert (exc.param, exc.item, exc.file, exc.line) == ("overrides", override, None, None)
    assert exc.detail.startswith(detail)


def test_an_option_is_found_by_its_name_however_its_accents_are_encoded() -> None:
    """qa24: a name written decomposed in the file ('Lu' + U+0308 'na', as macOS file names and some editors write
    it) and typed composed in --set said "no option named 'Lüna' (did you mean: Lüna?)", two names that look alike;
    the guardrail monthly_cost[Lüna] found it, as the scenario keeps names NFKC-normalised."""
    import unicodedata

    written, typed = unicodedata.normalize("NFD", "Lüna"), unicodedata.normalize("NFC", "Lüna")
    assert written != typed
    scenario = {
        "version": 1,
        "workload": {"requests_per_day": 1000, "input_tokens": 100, "output_tokens": 10},
        "options": [{"name": written, "kind": "api", "model": "openai/gpt-6-luna"}],
    }
    sc = load_scenario(scenario, overrides=[f"options[{typed}].discount=0.2"])
    assert sc.options[0].discount == 0.2
