"""`--set PATH=VALUE` overrides: a path into the scenario (options by name or index), a YAML value."""

from __future__ import annotations

import copy
import re
from typing import Any

from costcalc.errors import InputError, did_you_mean, option_hint
from costcalc.safeparse import parse_yaml
from costcalc.scenario.yamlio import YamlDoc, misread_number
from costcalc.textsafe import clean_name, closing_bracket

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_path(path: str) -> list[str | int]:
    """'options[gpt-oss on H100].hardware.hourly_usd' → ['options', 'gpt-oss on H100', 'hardware', 'hourly_usd'].

    A bracket holding digits is an index; any other bracket is an option name, whose own brackets pair up
    ('options[gpt-oss [L40S]].x': the paths simulate and sensitivity build for such an option were refused), or, where
    they do not, that ends at the ']' followed by '.', '[' or the path's end ('options[A [b] c]].x').
    """
    parts: list[str | int] = []
    rest = path.strip()
    while rest:
        m = _KEY.match(rest)
        if not m:
            raise InputError(f"cannot parse override path {path!r}; use a.b[name].c", param="overrides")
        parts.append(m.group())
        rest = rest[m.end() :]
        while rest.startswith("["):
            close = closing_bracket(rest, 0, followers=".[")
            if close == -1:
                raise InputError(f"cannot parse override path {path!r}: a [ is never closed", param="overrides")
            sel = rest[1:close]
            parts.append(int(sel) if sel.strip().lstrip("-").isdigit() else sel)
            rest = rest[close + 1 :]
        if rest.startswith("."):
            rest = rest[1:]
        elif rest:
            raise InputError(f"cannot parse override path {path!r} near {rest!r}", param="overrides")
    return parts


def split_assignment(text: str) -> tuple[str, str]:
    """'PATH=VALUE' at the first '=' outside the path's brackets: an option named 'a=b' stays in the path, a value
    holding '=' ('engine_args=--max-num-seqs=64') stays whole. Text without '=' is all path."""
    depth = 0
    for i, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(0, depth - 1)
        elif char == "=" and depth == 0:
            return text[:i], text[i + 1 :]
    first = text.find("=")  # an unclosed '[': the path is broken either way, and its error says so
    return (text, "") if first == -1 else (text[:first], text[first + 1 :])


def parse_override(text: str) -> tuple[list[str | int], Any]:
    """'PATH=VALUE' → (path parts, value parsed as YAML: numbers, booleans, lists, strings)."""
    if "=" not in text:
        raise InputError(f"override {text!r} needs PATH=VALUE, e.g. workload.requests_per_day=3e5", param="overrides")
    path, raw = split_assignment(text)
    if not path.strip():
        raise InputError(
            f"override {text!r} names no field; write PATH=VALUE, e.g. workload.requests_per_day=3e5",
            param="overrides",
        )
    if (misread := misread_number(raw)) is not None:  # --set x=0100 read as 64, x=1:30 as 90
        raise InputError(misread, param="overrides", item=text)
    try:
        value = parse_yaml(raw, "overrides") if raw.strip() else ""
    except InputError as exc:
        if not exc.detail.startswith("not valid YAML"):
            raise InputError(f"{path}: {exc.detail}", param="overrides") from None
        value = raw
    if isinstance(value, str):
        value = _number(value)
    return parse_path(path), value


def _number(text: str) -> Any:
    """YAML 1.1 reads 3e5 as a string; a what-if user means the number."""
    try:
        return int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
    except ValueError:
        return text


REFERENCES = ("workload", "hardware")  # keys whose value may be a path to another YAML file

Deferred = dict[tuple[Any, ...], list[tuple[list[str | int], Any, str]]]
SetAt = dict[tuple[Any, ...], str]  # the data path an override set (option names as list indices) → its 'PATH=VALUE'


class _IntoFile(Exception):
    """An override reaches through a file reference; it applies when that file is loaded."""

    def __init__(self, at: tuple[Any, ...], rest: list[str | int]) -> None:
        self.at, self.rest = at, rest


def apply_overrides(
    doc: YamlDoc, overrides: list[str] | tuple[str, ...] | Any, set_at: SetAt | None = None
) -> tuple[dict[str, Any], Deferred]:
    """A deep copy of the document's data with every override applied in order.

    Overrides that reach into a referenced file (`workload: usage.yaml`) are returned by the data
    path of the reference, to be applied when that file is loaded. `set_at`, when given, receives the
    data path each override set, so a bad value is blamed on the override and not on the file's line.
    """
    data = copy.deepcopy(doc.data)
    deferred: Deferred = {}
    for text in overrides:
        parts, value = parse_override(text)
        try:
            at = set_path(data, parts, value, text)
        except _IntoFile as into:
            deferred.setdefault(into.at, []).append((into.rest, value, text))
            if set_at is not None:  # a bad value found later blames the flag, not the referenced file's line
                set_at[(*into.at, *into.rest)] = text
            continue
        if set_at is not None:
            set_at[at] = text
    return data, deferred


def set_path(data: Any, parts: list[str | int], value: Any, label: str, root: Any = None) -> tuple[Any, ...]:
    """Set `value` at `parts` inside `data`, creating mappings for new keys; bad paths get a hint. Returns the data
    path it set (an option's name as its list index)."""
    from costcalc.models import Scenario
    from costcalc.models.invalid import model_in

    node: Any = data
    model: Any = Scenario if root is None else root
    trail: list[Any] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            idx = _list_index(node, part, label)
            if last:
                node[idx] = value
                return (*trail, idx)
            node = node[idx]
            trail.append(idx)
            model = model_in(model, node) if model is not None else None
            continue
        if not isinstance(node, dict):
            raise InputError(
                f"{_shown(parts[:i])} is a value, not a mapping; cannot set {part!r}", param="overrides", item=label
            )
        fields = _fields(model)
        if fields and part not in fields:
            hint = did_you_mean(str(part), sorted(fields)) or f"; valid keys: {', '.join(sorted(fields))}"
            raise InputError(
                f"unknown key {part!r} in {_shown(parts[:i]) or 'the scenario'}{hint}", param="overrides", item=label
            )
        if last:
            node[part] = value
            return (*trail, part)
        if isinstance(node.get(part), str) and part in REFERENCES:
            raise _IntoFile((*trail, part), list(parts[i + 1 :]))
        if (part not in node or node[part] is None) and isinstance(parts[i + 1], int):
            raise InputError(  # was 'expected a list of '- ' items, got a mapping; start each item with '- '' (YAML's fix)
                f"{_shown(parts[: i + 1])} is not in the scenario, so it has no item [{parts[i + 1]}]; set the whole"
                f" list: {_shown(parts[: i + 1])}=[...]",
                param="overrides",
                item=label,
            )
        if part not in node or node[part] is None:
            node[part] = {}
        annotation = getattr(model, "model_fields", {})[part].annotation if fields else None
        node = node[part]
        trail.append(part)
        model = model_in(annotation, node) if isinstance(node, dict) and annotation is not None else annotation
    raise InputError(
        f"{label!r} names no field; write PATH=VALUE, e.g. workload.requests_per_day=3e5", param="overrides"
    )


def _list_index(items: list[Any], sel: str | int, label: str) -> int:
    if isinstance(sel, int):
        if -len(items) <= sel < len(items):
            return sel % len(items)
        raise InputError(f"index {sel} out of range (0..{len(items) - 1})", param="overrides", item=label)
    names = [o.get("name") for o in items if isinstance(o, dict)]
    wanted = clean_name(
        sel
    )  # as the scenario keeps names: 'Lüna' typed composed finds 'Lüna' written decomposed (qa24)
    for idx, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("name"), str) and clean_name(item["name"]) == wanted:
            return idx
    hint = option_hint(sel, [n for n in names if isinstance(n, str)])
    raise InputError(f"no option named {sel!r}{hint}", param="overrides", item=label)


def _fields(model: Any) -> set[str]:
    return set(getattr(model, "model_fields", {}) or {})


def _shown(parts: list[str | int]) -> str:
    out = ""
    for i, p in enumerate(parts):
        if i > 0 and parts[i - 1] == "options":
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out
