"""Safe YAML reading: plain data, line numbers of every key, duplicates and alias bombs refused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from costcalc import safeparse
from costcalc.errors import InputError
from costcalc.scenario import yamlio
from costcalc.scenario.yamlio import parse, read_text

DOC = """\
version: 1
workload:
  requests_per_day: 1000
  input_tokens: 500
options:
  - name: A
    kind: api
  - name: B
    kind: api
"""


def test_parse_gives_plain_data_and_lines() -> None:
    doc = parse(DOC, "s.yaml")
    assert doc.data == {
        "version": 1,
        "workload": {"requests_per_day": 1000, "input_tokens": 500},
        "options": [{"name": "A", "kind": "api"}, {"name": "B", "kind": "api"}],
    }
    assert doc.origin == "s.yaml"
    assert doc.lines[("version",)] == 1
    assert doc.lines[("workload", "input_tokens")] == 4
    assert doc.lines[("options", 1)] == 8
    assert doc.lines[("options", 1, "kind")] == 9


def test_line_of_falls_back_to_the_deepest_known_parent() -> None:
    doc = parse(DOC, "s.yaml")
    assert doc.line_of(("workload", "output_tokens")) == 2  # missing key → its mapping's line
    assert doc.line_of(("options", 0, "prices", "input_usd_per_mtok")) == 6


def test_safe_loader_refuses_python_tags() -> None:
    with pytest.raises(InputError) as info:
        parse("a: !!python/name:os.system ''\n", "evil.yaml")
    assert info.value.file == "evil.yaml"
    assert info.value.line == 1
    assert info.value.detail == (  # had no fix
        "not a valid value: could not determine a constructor for the tag 'tag:yaml.org,2002:python/name:os.system';"
        " remove the tag !!python/name:os.system: scenario files hold plain values"
    )


def test_python_tag_on_a_list_is_refused_and_runs_nothing() -> None:
    with pytest.raises(InputError, match=r"evil\.yaml:1: tag 'tag:yaml.org,2002:python/object/apply:os.system'"):
        parse("a: !!python/object/apply:os.system ['exit 1']\n", "evil.yaml")


def test_duplicate_key_names_both_lines() -> None:
    with pytest.raises(InputError) as info:
        parse("a: 1\nb:\n  c: 1\n  c: 2\n", "d.yaml")
    assert str(info.value) == (
        "d.yaml:4: b.c: duplicate key 'c' (first on line 3); keep one, YAML would silently drop the other"
    )


def test_duplicate_key_inside_a_list_item() -> None:
    with pytest.raises(InputError) as info:
        parse("options:\n  - name: a\n    name: b\n", "d.yaml")
    assert info.value.line == 3
    assert info.value.field == "options[0].name"


def test_merge_keys_are_expanded_and_explicit_keys_win() -> None:
    doc = parse("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", "m.yaml")
    assert doc.data["other"] == {"x": 1, "y": 3}


def test_small_aliases_are_fine() -> None:
    doc = parse("a: &a [1, 2]\nb: [*a, *a]\n", "a.yaml")
    assert doc.data["b"] == [[1, 2], [1, 2]]


def test_alias_bomb_refused_without_expanding(monkeypatch: pytest.MonkeyPatch) -> None:
    # 10 levels of 10 aliases: 10^10 values if expanded. Refused in well under a second.
    lines = ['l0: &l0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 11):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 10) + "]")
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        parse("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 2.0
    assert "anchors and aliases" in info.value.detail
    assert info.value.line == 6  # l5 is the first level above 200,000 values: 1 + 10 × 111,111 = 1,111,111


def test_alias_limit_is_the_constant(monkeypatch: pytest.MonkeyPatch) -> None:
    # a list of 50 aliases to a 3-item list: 1 + 50 × 4 = 201 nodes (plus the root mapping)
    monkeypatch.setattr(safeparse, "MAX_EXPANDED_NODES", 150)
    text = "a: &a [1, 2, 3]\nb: [" + ",".join(["*a"] * 50) + "]\n"
    with pytest.raises(InputError):
        parse(text, "x.yaml")
    monkeypatch.setattr(safeparse, "MAX_EXPANDED_NODES", 1000)
    assert len(parse(text, "x.yaml").data["b"]) == 50


def test_syntax_error_has_line() -> None:
    with pytest.raises(InputError) as info:
        parse("a: 1\nb: [1, 2\nc: 3\n", "s.yaml")
    assert info.value.file == "s.yaml"
    assert info.value.line == 3
    assert info.value.detail.startswith("not valid YAML: ")


def test_multiple_documents_refused() -> None:
    with pytest.raises(InputError) as info:
        parse("a: 1\n---\nb: 2\n", "multi.yaml")
    assert info.value.detail.startswith("a second YAML document starts here")


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_documents(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse(text, "e.yaml")
    assert str(info.value) == "e.yaml: file is empty; start from `costcalc init`"


def test_non_scalar_keys_refused() -> None:
    with pytest.raises(InputError) as info:
        parse("? [1, 2]\n: x\n", "k.yaml")
    assert info.value.detail == "mapping keys must be plain scalars"


def test_read_text_stdin() -> None:
    assert read_text("-", "a: 1\n") == ("a: 1\n", "<stdin>")


def test_read_text_refuses_big_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.yaml"
    path.write_text("a: 12345678901234567890\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_text(str(path))
    assert info.value.detail == "more than 10 bytes; stopped reading there (is it the right file?)"


def test_read_text_refuses_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("version: 1\nname: café\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_text(str(path))
    assert str(info.value) == (
        f"{path}:2: not UTF-8 text (byte 20, 0xe9, is in another encoding such as Latin-1 or Windows-1252);"
        " save the file as UTF-8 (an editor's 'Save with encoding')"
    )


def test_text_in_another_encoding_is_told_to_be_saved_as_utf8_at_its_line(tmp_path: Path) -> None:
    # A scenario saved by Windows PowerShell's `>` (UTF-16) or a Latin-1 editor was 'not a text file (not UTF-8 at
    # byte 0); give a YAML file': it is a YAML file, and the fix is its encoding, at the line a Latin-1 byte is on.
    utf16 = tmp_path / "ps.yaml"
    utf16.write_bytes("version: 1\n".encode("utf-16"))
    with pytest.raises(InputError) as info:
        read_text(str(utf16))
    assert (
        str(info.value)
        == f"{utf16}: saved as UTF-16 text, not UTF-8; save it as UTF-8 (an editor's 'Save with encoding')"
    )
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes("version: 1\nworkload:\n  requests_per_day: 5\nname: Café\n".encode("cp1252"))
    with pytest.raises(InputError) as info:
        read_text(str(latin))
    assert info.value.line == 4 and "save the file as UTF-8" in info.value.detail
    binary = tmp_path / "image.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff")
    with pytest.raises(InputError) as info:
        read_text(str(binary))
    assert str(info.value) == f"{binary}: not a text file (not UTF-8 at byte 0); give a YAML file"


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system [echo hi]\n",
        "a: !!python/tuple [1, 2]\n",
        "a: !!set {x: null}\n",
    ],
)
def test_tags_on_collections_are_refused(text: str) -> None:
    with pytest.raises(InputError, match=r"t\.yaml:1: tag '.*' is not allowed"):
        parse(text, "t.yaml")


@pytest.mark.parametrize(("second", "line"), [("---\nversion: 1\n", 10), ("...\n---\nx: 1\n", 11)])
def test_a_second_document_is_said_as_one_with_the_fix(second: str, line: int) -> None:
    # was 'not valid YAML: but found another document; check the brackets, quotes and indentation ...'
    with pytest.raises(InputError) as info:
        parse(DOC + second, "s.yaml")
    assert str(info.value) == (
        f"s.yaml:{line}: a second YAML document starts here ('---'), and a file holds one; delete this line and what"
        " follows, or move it to a file of its own"
    )


@pytest.mark.parametrize(
    "text",
    [
        "workload:\n  requests_per_day: 1000\n   input_tokens: 500\n",  # one space too deep
        "name: Plan: B\nworkload: {}\n",  # a colon in a value
    ],
)
def test_mapping_values_here_names_both_likely_causes(text: str) -> None:
    # was 'put a space after each colon and quote values ...': an over-indented key got advice about colons only
    with pytest.raises(InputError) as info:
        parse(text, "s.yaml")
    assert str(info.value).endswith(
        "not valid YAML: mapping values are not allowed here; indent this key as the one above it, and quote a value"
        " that holds ': ' (name: 'Plan: B')"
    )


@pytest.mark.parametrize(
    ("text", "line", "said"),
    [
        (  # the README's own form for variants, NAME: {PATH: VALUE}, with an option's path
            "variants:\n  cheap: {workload.requests_per_day: 3, options[GPU box].hardware.hourly_usd: 1.5}\n",
            2,
            "the [ of options[GPU box].hardware.hourly_usd starts a list; quote the key:"
            " 'options[GPU box].hardware.hourly_usd': 1.5",
        ),
        (
            "guardrails: ['payback_months > 18', monthly_cost[GPU box] > 4000]\n",
            1,
            "the [ of monthly_cost[GPU box] > 4000 starts a list; quote the value: 'monthly_cost[GPU box] > 4000'",
        ),
    ],
)
def test_a_path_with_brackets_inside_braces_is_told_to_be_quoted(text: str, line: int, said: str) -> None:
    """Was 'expected ',' or '}', but got '['; check the brackets, quotes and indentation ...' and, for the guardrail,
    'found character '>' that cannot start any token; quote a value that starts with * & ! @ ...'."""
    with pytest.raises(InputError) as info:
        parse("version: 1\n" + text, "s.yaml")
    assert str(info.value) == f"s.yaml:{line + 1}: not valid YAML: inside {{ }} or [ ], {said}"


def test_quoted_paths_inside_braces_read_as_written() -> None:
    text = "variants:\n  cheap: {'options[GPU box].hardware.hourly_usd': 1.5}\nguardrails: ['monthly_cost[A] > 5']\n"
    assert parse(text, "s.yaml").data == {
        "variants": {"cheap": {"options[GPU box].hardware.hourly_usd": 1.5}},
        "guardrails": ["monthly_cost[A] > 5"],
    }
