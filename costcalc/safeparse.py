"""JSON and YAML parsing that refuses what would hang or crash: deep nesting, alias bombs, NaN, huge numbers.

Every limit is checked while reading, before a structure is built: a YAML document's events are
counted (values, values after alias expansion, nesting depth) by the C parser where PyYAML has
it, so a 5 MB file of 500,000 values is refused in a fraction of a second.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from costcalc.errors import InputError

MAX_DEPTH = 64  # nesting levels; a scenario has about 6
MAX_NODES = 50_000  # values written in one document; a scenario has hundreds
MAX_EXPANDED_NODES = 200_000  # values after aliases are expanded ("billion laughs" has billions)
MAX_INT_DIGITS = 400  # a longer integer is beyond any float (1.8e308) and costs time to convert

# Characters YAML 1.1 does not allow in a stream (C0/C1 controls other than tab and newlines, DEL,
# surrogates, U+FFFE/FFFF): found first so the error can name their line.
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LONG_INT = re.compile(r"[-+]?[0-9][0-9_]{" + str(MAX_INT_DIGITS) + ",}")


def check_yaml_characters(text: str, origin: str, error: type[InputError] = InputError) -> None:
    """Refuse control characters (NUL, ESC, ...) with their line, before a YAML reader sees them."""
    bad = _NOT_YAML.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise error(
            f"control character U+{ord(bad.group()):04X} is not allowed in YAML; remove it",
            file=origin,
            line=line,
        )


def _line(event: yaml.Event) -> int | None:
    """The 1-based line an event starts on (the parser always marks it)."""
    return _mark_line(event.start_mark)


def _mark_line(mark: Any) -> int | None:
    """The 1-based line of a parser mark (an event's start, an error's problem), None without one."""
    return None if mark is None else mark.line + 1


def check_yaml_shape(text: str, origin: str, error: type[InputError] = InputError) -> None:
    """Count a YAML stream's values, their expansion through aliases and their depth; refuse past the limits.

    Syntax errors are left to the reader that follows (it words them better): counting stops there.
    """
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    sizes: dict[str | None, int] = {}  # anchor → values in the anchored node, expanded
    stack: list[list[Any]] = []  # open collections: [expanded count, anchor]
    nodes = expanded = 0
    try:
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.AliasEvent):
                size = sizes.get(event.anchor)
                if size is None:
                    if any(frame[1] == event.anchor for frame in stack):
                        raise error(
                            f"alias *{event.anchor} refers to a value that contains it (a recursive structure);"
                            " write the values out instead",
                            file=origin,
                            line=_line(event),
                        )
                    return  # an undefined alias: the reader reports it
                expanded += size
                if stack:
                    stack[-1][0] += size
            elif isinstance(event, yaml.ScalarEvent):
                nodes += 1
                expanded += 1
                if stack:
                    stack[-1][0] += 1
                if event.anchor:
                    sizes[event.anchor] = 1
                if len(event.value) > MAX_INT_DIGITS and _LONG_INT.fullmatch(event.value):
                    raise error(
                        f"a number with {len(event.value):,} digits; numbers here have at most a few dozen",
                        file=origin,
                        line=_line(event),
                    )
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                nodes += 1
                expanded += 1
                stack.append([1, event.anchor])
                if len(stack) > MAX_DEPTH:
                    raise error(
                        f"nested more than {MAX_DEPTH} levels deep; a scenario needs a handful",
                        file=origin,
                        line=_line(event),
                    )
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                size, anchor = stack.pop()
                if anchor:
                    sizes[anchor] = size
                if stack:
                    stack[-1][0] += size
            if nodes > MAX_NODES:
                raise error(
                    f"more than {MAX_NODES:,} values; a scenario holds hundreds (is it the right file?)",
                    file=origin,
                    line=_line(event),
                )
            if expanded > MAX_EXPANDED_NODES:
                raise error(
                    f"document expands to more than {MAX_EXPANDED_NODES} values through anchors and aliases;"
                    " refusing it (write the values out instead)",
                    file=origin,
                    line=_line(event),
                )
    except yaml.YAMLError as exc:
        # libyaml stops past its own 1,000 levels before this count sees them deep; the reader that follows would
        # recurse into them (RecursionError, an internal error): the same refusal as past MAX_DEPTH
        if "nesting depth" in str(exc):
            raise error(
                f"nested more than {MAX_DEPTH} levels deep; a scenario needs a handful",
                file=origin,
                line=_mark_line(getattr(exc, "problem_mark", None)),
            ) from None
        return
    finally:
        loader.dispose()


def parse_yaml(text: str, origin: str, error: type[InputError] = InputError) -> Any:
    """Plain data of one YAML document, within the limits above; syntax errors name the line."""
    check_yaml_characters(text, origin, error)
    check_yaml_shape(text, origin, error)
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, origin, error) from None
    except yaml.YAMLError as exc:
        raise error(f"not valid YAML: {type(exc).__name__}", file=origin) from None
    except (ValueError, RecursionError, OverflowError) as exc:
        raise error(f"not a usable value: {type(exc).__name__}", file=origin) from None


def parse_yaml_documents(text: str, origin: str, error: type[InputError] = InputError) -> list[Any]:
    """Plain data of each YAML document in `text` ('---' between them), within parse_yaml's limits."""
    check_yaml_characters(text, origin, error)
    check_yaml_shape(text, origin, error)
    try:
        return list(yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))  # noqa: S506
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, origin, error) from None
    except (yaml.YAMLError, ValueError, RecursionError, OverflowError) as exc:
        raise error(f"not valid YAML: {type(exc).__name__}", file=origin) from None


def repeated_top_key(text: str) -> tuple[str, int, int] | None:
    """(key, first line, its line again) where a YAML mapping's top level names a key twice (a reader keeps the
    last: two files appended without '---' between them), else None; None too for text that is no YAML mapping."""
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    first: dict[str, int] = {}
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in first:
                return key.value, first[key.value], key.start_mark.line + 1
            first[key.value] = key.start_mark.line + 1
    return None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _bounded_int(digits: str) -> int:
    if len(digits) > MAX_INT_DIGITS:
        raise ValueError(f"an integer with {len(digits):,} digits")
    return int(digits)


def parse_json(text: str, origin: str, error: type[InputError] = InputError, *, allow_nan: bool = False) -> Any:
    """json.loads refusing NaN/Infinity (unless `allow_nan`: a benchmark tool's own statistics, read as floats),
    nesting past the interpreter's limit and integers of thousands of digits."""
    try:
        return json.loads(text, parse_constant=float if allow_nan else _no_constant, parse_int=_bounded_int)
    except json.JSONDecodeError:
        raise  # the caller words syntax errors for its own file kind
    except RecursionError:
        raise error("JSON nested too deeply to read; is it the right file?", file=origin) from None
    except ValueError as exc:  # NaN/Infinity, or an integer of hundreds of digits
        raise error(f"not usable JSON: {exc}", file=origin) from None


def parse_json_documents(
    text: str, origin: str, error: type[InputError] = InputError, *, allow_nan: bool = False
) -> list[Any]:
    """Every JSON document in `text`, one after another (JSON lines, or indented documents appended with `cat`), read
    as parse_json reads one; a JSONDecodeError (positioned in `text`) where one is broken."""
    decoder = json.JSONDecoder(parse_constant=float if allow_nan else _no_constant, parse_int=_bounded_int)
    documents: list[Any] = []
    at = _between(text, 0)
    try:
        while at < len(text):
            document, end = decoder.raw_decode(text, at)
            documents.append(document)
            at = _between(text, end)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise error("JSON nested too deeply to read; is it the right file?", file=origin) from None
    except ValueError as exc:
        raise error(f"not usable JSON: {exc}", file=origin) from None
    return documents


_BETWEEN_DOCUMENTS = re.compile("[\\s\ufeff]*")


def _between(text: str, at: int) -> int:
    """Where the next document starts after `at`: past white space and byte-order marks (each file a Windows tool
    wrote starts with one, and `cat a.json b.json` puts the second between the documents; qa24)."""
    match = _BETWEEN_DOCUMENTS.match(text, at)
    return at if match is None else match.end()


SECOND_DOCUMENT = (
    "a second YAML document starts here ('---'), and a file holds one; delete this line and what follows, or move"
    " it to a file of its own"
)


def yaml_syntax_error(exc: Exception, fix: str) -> tuple[str, int | None]:
    """(message, 1-based line) of a YAML parser's error: its problem and `fix`; a second document ('---') in a file
    of one is said as such (the parser's own words, 'but found another document', read as half a sentence)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or "syntax error"
    if "another document" in problem:
        return SECOND_DOCUMENT, line
    return f"not valid YAML: {problem}; {fix}", line


def _syntax_error(exc: yaml.MarkedYAMLError, origin: str, error: type[InputError]) -> InputError:
    """A YAML syntax error as one line at the line it names."""
    mark = exc.problem_mark or exc.context_mark
    return error(
        f"not valid YAML: {exc.problem or exc.context or 'syntax error'}",
        file=origin,
        line=mark.line + 1 if mark else None,
    )
