"""Safe YAML reading with line numbers: duplicate keys and alias bombs refused, every path's line kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from costcalc.errors import InputError
from costcalc.inputs import SCENARIO_MAX_BYTES as MAX_FILE_BYTES
from costcalc.safeparse import check_yaml_characters, check_yaml_shape, yaml_syntax_error

PathKey = tuple[Any, ...]
_PLAIN_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"  # a plain scalar shaped as a date or a date and time


@dataclass
class YamlDoc:
    """Plain Python data of one YAML document, with the line of every mapping key and list item."""

    data: Any
    origin: str
    lines: dict[PathKey, int] = field(default_factory=dict)
    # plain numbers written with a dot before three digits ('1.000', '12.500'): YAML reads a decimal point, where
    # German and other locales write a dot between thousands (scenario/plausibility.dotted_thousands)
    written: dict[PathKey, str] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """Line of the deepest known prefix of `path` (1-based)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def read_text(path: str, stdin_text: str | None = None) -> tuple[str, str]:
    """(text, origin name) of a file path, or of standard input for '-'; at most MAX_FILE_BYTES are read."""
    from costcalc.inputs import read_text as read_bounded
    from costcalc.inputs import size_text

    if path == "-" and stdin_text is not None:
        if len(stdin_text) > MAX_FILE_BYTES:
            raise InputError(f"more than {size_text(MAX_FILE_BYTES)}; stopped reading there", file="<stdin>")
        return stdin_text, "<stdin>"
    text = read_bounded(path, limit=MAX_FILE_BYTES, what="a YAML file")
    return text, "<stdin>" if path == "-" else path


def _yaml_fix(problem: str) -> str:
    """How to fix a YAML syntax error, from the parser's problem text."""
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "undefined alias" in problem or "cannot start any token" in problem:  # '*starred', '@team', '`x`'
        return "quote a value that starts with * & ! @ ` % | or > (name: '@team')"
    if "mapping values are not allowed" in problem:
        # a key indented deeper than its neighbours reads the same to the parser as 'name: Plan: B'
        return "indent this key as the one above it, and quote a value that holds ': ' (name: 'Plan: B')"
    return "check the brackets, quotes and indentation on this line and the one before"


EMPTY_SCENARIO = "start from `costcalc init`"  # what an empty scenario file is told to do
# characters that look like a space and are none to YAML: no-break, figure, narrow no-break, en, em, ideographic
LOOKALIKE_SPACES = {
    "\u00a0": "no-break space",
    "\u2007": "figure space",
    "\u202f": "narrow no-break space",
    "\u2002": "en space",
    "\u2003": "em space",
    "\u3000": "ideographic space",
}
FULLWIDTH_COLON = "\uff1a"
_TIGHT_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w.-]*):(?=[^\s:/])(\S*)")  # 'input_tokens:1000', not 'https://'
_EQUALS = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w.-]*)\s*=\s*(\S.*?)\s*$")  # 'input_tokens = 1000'


def _typing_slip(text: str, line: int | None) -> tuple[str, int] | None:
    """(message, line) for a YAML syntax error that a typing slip up to its line explains better than the parser's
    words: indentation holding a space YAML does not read as one (pasted from a web page or a chat), a full-width
    colon, or a key with no space after its colon ('input_tokens:1000'); None when there is none."""
    if line is None:
        return None
    lines = text.splitlines()[:line]
    for number, content in enumerate(lines, start=1):
        indent = content[: len(content) - len(content.lstrip(" \t" + "".join(LOOKALIKE_SPACES)))]
        odd = next((c for c in indent if c in LOOKALIKE_SPACES), None)
        if odd is not None:
            what = f"a {LOOKALIKE_SPACES[odd]} (U+{ord(odd):04X})"
            slip = f"the indentation holds {what}, which YAML does not read as a space; indent with plain spaces"
            return f"not valid YAML: {slip}", number
    for number in (line, line - 1):
        content = lines[number - 1] if 0 < number <= len(lines) else ""
        if (bracketed := _bracketed_plain(content)) is not None:
            token, value = bracketed
            quoted = f"'{token}': {value}" if value is not None else f"'{token}'"
            slip = (
                f"inside {{ }} or [ ], the [ of {token} starts a list; quote the {'value' if value is None else 'key'}"
            )
            return f"not valid YAML: {slip}: {quoted}", number
        if FULLWIDTH_COLON in content:
            return f"not valid YAML: a full-width colon ({FULLWIDTH_COLON}, U+FF1A); write ':' and a space", number
        for pattern, slip in ((_TIGHT_COLON, "no space after the colon"), (_EQUALS, "'=' where YAML takes ': '")):
            found = pattern.match(content)
            if found is not None:
                key, value = found.groups()
                return f"not valid YAML: {slip}; write '{key}: {value}'", number
    return None


def _bracketed_plain(content: str) -> tuple[str, str | None] | None:
    """(token, its value where it is a key, else None) of the first unquoted key or value inside a flow collection ({ } or [ ]) that holds a [ after a
    word character, 'options[GPU box].hardware.hourly_usd' of `cheap: {options[GPU box].hardware.hourly_usd: 1}` or
    'monthly_cost[X] > 5' of `guardrails: [monthly_cost[X] > 5]`, where YAML starts a list; None where there is none."""
    depth, quote, start = 0, "", None
    for i, char in enumerate(content):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"" and (i == 0 or content[i - 1] in " {[,"):
            quote = char
        elif char == "#" and (i == 0 or content[i - 1] == " "):
            return None
        elif char in "{[" and (i == 0 or not (content[i - 1].isalnum() or content[i - 1] in "_.-")):
            depth, start = depth + 1, None
        elif char in "}],":
            start = None
            depth -= char != ","
        elif depth and start is None and not char.isspace() and char != ":":
            start = i
        elif depth and start is not None and char == "[" and (content[i - 1].isalnum() or content[i - 1] in "_.-"):
            return _token_from(content, start)
    return None


def _token_from(content: str, start: int) -> tuple[str, str | None]:
    """The plain token that starts at `start` inside a flow collection, its own [ ] kept: up to a ',' or the
    collection's closing bracket (a value: (token, None)), or a ': ' (a key: (token, the value after it))."""
    inner = 0
    for i in range(start, len(content)):
        char = content[i]
        if char == "[":
            inner += 1
        elif char == "]" and inner:
            inner -= 1
        elif inner == 0 and char == ":" and content[i + 1 : i + 2] in ("", " "):
            return content[start:i].strip(), re.split(r"[,}]", content[i + 1 :], maxsplit=1)[0].strip() or "..."
        elif inner == 0 and char in ",}]":
            return content[start:i].strip(), None
    return content[start:].strip(), None


def parse(text: str, origin: str, *, if_empty: str = EMPTY_SCENARIO) -> YamlDoc:
    """Parse one YAML document safely into plain data with line numbers (`if_empty`: the fix an empty file is told).

    Control characters, nesting past MAX_DEPTH, more than MAX_NODES values and alias bombs are
    refused before the document is built (costcalc.safeparse counts them while reading).
    """
    check_yaml_characters(text, origin)
    check_yaml_shape(text, origin)
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {type(exc).__name__}", file=origin) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        message, line = yaml_syntax_error(exc, _yaml_fix(exc.problem or exc.context or ""))
        message, line = _typing_slip(text, line) or (message, line)
        raise InputError(message, file=origin, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", file=origin) from None
    finally:
        loader.dispose()
    if node is None:
        raise InputError(f"file is empty; {if_empty}", file=origin)
    doc = YamlDoc(data=None, origin=origin)
    doc.data = _build(node, (), doc, SafeScalars())
    return doc


class SafeScalars(yaml.SafeLoader):  # type: ignore[misc, unused-ignore]  # Any without types-PyYAML
    """Turns scalar nodes into Python values with YAML 1.1 safe rules (no stream needed)."""

    def __init__(self) -> None:  # noqa: D107 - no stream: only construct_object is used
        yaml.constructor.SafeConstructor.__init__(self)


def _build(node: yaml.Node, path: PathKey, doc: YamlDoc, scalars: SafeScalars) -> Any:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        _check_yaml11_number(node, path, doc)
        if node.style is None and node.tag == FLOAT_TAG and DOTTED_THOUSANDS.fullmatch(node.value.strip()):
            doc.written[path] = node.value.strip()
        try:
            return scalars.construct_object(node)
        except yaml.constructor.ConstructorError as exc:
            raise InputError(  # a tag (!!python/..., !env NAME) that safe YAML does not build: say what to do
                f"not a valid value: {exc.problem}; remove the tag {shown_tag(node.tag)}: scenario files hold plain"
                " values",
                file=doc.origin,
                line=node.start_mark.line + 1,
            ) from None
        except (ValueError, OverflowError) as exc:  # e.g. an integer past Python's digit limit
            message = f"not a usable value ({type(exc).__name__})"
            if node.tag == TIMESTAMP_TAG:  # YAML reads 2026-02-30 as a date, and the calendar has no such day
                message = f"no such day: {node.value!r} (YAML reads it as a date); check the month and the day"
                message += ", or quote it if it is text"
            line = node.start_mark.line + 1
            raise InputError(message, file=doc.origin, line=line, field=_dotted(path) or None) from None
    if node.tag not in _PLAIN_COLLECTION_TAGS and not isinstance(node, yaml.ScalarNode):
        raise InputError(
            f"tag {node.tag!r} is not allowed; scenario files hold plain mappings, lists and values",
            file=doc.origin,
            line=node.start_mark.line + 1,
        )
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), doc, scalars) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        merged: dict[Any, Any] = {}
        _check_decimal_comma(node, path, doc)
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged.update(_merge_source(value_node, path, doc, scalars))
                continue
            key = _build(key_node, (*path, "<key>"), doc, scalars)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise InputError(
                    "mapping keys must be plain scalars", file=doc.origin, line=key_node.start_mark.line + 1
                )
            line = key_node.start_mark.line + 1
            if key in first_line:
                fix = "keep one, YAML would silently drop the other"
                if path and isinstance(path[-1], int):  # an item of a list: its next item may lack its '- '
                    fix = f"if this line starts another item of {_dotted(path[:-1])}, begin it with '- '; else {fix}"
                raise InputError(
                    f"duplicate key {key!r} (first on line {first_line[key]}); {fix}",
                    file=doc.origin,
                    line=line,
                    field=_dotted((*path, key)),
                )
            first_line[key] = line
            doc.lines[(*path, key)] = line
            out[key] = _build(value_node, (*path, key), doc, scalars)
        doc.lines.pop((*path, "<key>"), None)
        for key, value in merged.items():
            out.setdefault(key, value)
        return out
    raise InputError(f"unsupported YAML node {node.tag}", file=doc.origin, line=node.start_mark.line + 1)


INT_TAG, FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_OCTAL = re.compile(r"[-+]?0[0-7_]+")  # YAML 1.1: a leading 0 makes an octal number (0100 is 64)
DOTTED_THOUSANDS = re.compile(r"[+]?[0-9]{1,3}\.[0-9]{3}")  # 1.000 or 12.500: a decimal, or 1000 and 12500 in German
_BASE_60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")  # YAML 1.1: 1:30 is 90


def _check_yaml11_number(node: yaml.ScalarNode, path: PathKey, doc: YamlDoc) -> None:
    """Refuse a plain number that YAML 1.1 reads other than as written: `requests_per_day: 0100000` was taken as the
    octal 32768 and `input_tokens: 1:30` as 90 (base 60), silently; a leading zero that changes nothing (007) passes."""
    if node.style is not None or node.tag not in (INT_TAG, FLOAT_TAG):
        return
    fix = misread_number(node.value)
    if fix is not None:
        raise InputError(fix, file=doc.origin, line=node.start_mark.line + 1, field=_dotted(path) or None)


def misread_number(text: str) -> str | None:
    """Why a plain scalar YAML 1.1 reads as a number other than the one written is refused, and what to write: an
    octal for a leading 0 (0100 is 64), base 60 for a colon (1:30 is 90); None for any other text."""
    digits = text.strip().replace("_", "")
    if _OCTAL.fullmatch(text.strip()) and int(digits, 8) != int(digits):
        return (
            f"YAML reads {text.strip()} as an octal number ({int(digits, 8):,}) for its leading 0; write {int(digits)}"
        )
    if _BASE_60.fullmatch(text.strip()):
        return (
            f"YAML reads {text.strip()} as a base-60 number (1:30 is 90); write the number itself, or quote it if it is"
            " text"
        )
    return None


def _check_decimal_comma(node: yaml.MappingNode, path: PathKey, doc: YamlDoc) -> None:
    """Refuse `{electricity_usd_per_kwh: 0,12}`: in braces a comma ends an entry, so YAML reads 0 and a second key 12
    with no value (pydantic then said 'power.12: Keys should be strings (got 12)')."""
    if not node.flow_style:
        return
    pairs = node.value
    for (key, value), (digits, empty) in zip(pairs, pairs[1:], strict=False):
        number = value.tag in (INT_TAG, FLOAT_TAG) and value.style is None and isinstance(value, yaml.ScalarNode)
        fraction = digits.tag == INT_TAG and digits.style is None and digits.value.isdigit()
        if number and fraction and empty.tag == "tag:yaml.org,2002:null" and empty.value == "":
            meant = f"{value.value}.{digits.value}"
            raise InputError(
                f"{key.value}: {value.value},{digits.value} reads as two entries, for in {{ }} a comma ends one; write"
                f" {meant} (a decimal point)",
                file=doc.origin,
                line=value.start_mark.line + 1,
                field=_dotted((*path, key.value)),
            )


def _merge_source(node: yaml.Node, path: PathKey, doc: YamlDoc, scalars: SafeScalars) -> dict[Any, Any]:
    sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
    merged: dict[Any, Any] = {}
    for src in reversed(sources):
        value = _build(src, path, doc, scalars)
        if not isinstance(value, dict):
            raise InputError("'<<' merges need a mapping", file=doc.origin, line=src.start_mark.line + 1)
        merged.update(value)
    return merged


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def shown_tag(tag: str) -> str:
    """A tag as it was written: 'tag:yaml.org,2002:python/name:os.system' as '!!python/name:os.system'."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
