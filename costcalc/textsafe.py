"""User text made safe to show and compare: control, zero-width and bidi characters removed, names normalised."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls and DEL, and the format characters that hide or reorder text (zero-width spaces and
# joiners, bidi embeddings, overrides and isolates, the BOM, tag characters), line/paragraph separators
# and lone surrogates.
_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_SPACES = re.compile(r"\s+")
MAX_ERROR_CHARS = 1000  # an error line longer than this is cut (a 5 MB value must not come back whole)
MAX_SHOWN_VALUE_CHARS = 60  # a user value echoed inside a message
MAX_NAME_CHARS = 120  # the longest option name (models.option_fields.Name's max_length): longer is cut in paths


def strip_controls(text: str) -> str:
    """`text` without control, zero-width and bidi characters (tabs and newlines become spaces)."""
    return _CONTROLS.sub(lambda m: " " if m.group() in "\t\n\r" else "", text)


def clean_name(text: str) -> str:
    """A name as costcalc keeps and compares it: NFKC-normalised, no hidden characters, single spaces."""
    return _SPACES.sub(" ", strip_controls(unicodedata.normalize("NFKC", text))).strip()


def one_line(text: str, max_chars: int = MAX_ERROR_CHARS) -> str:
    """A message as one safe terminal line: hidden characters removed, whitespace collapsed, cut to max_chars."""
    line = _SPACES.sub(" ", strip_controls(text)).strip()
    return line if len(line) <= max_chars else line[: max_chars - 1] + "…"


def shown_name(name: str, max_chars: int = MAX_NAME_CHARS) -> str:
    """An option's name as a field path shows it ('options[NAME].kind'): whole, or cut in the middle when it is longer
    than any valid name (a 5,000-character name filled the error line and cut off its fix)."""
    return name if len(name) <= max_chars else _middle_cut(name, max_chars - 1)


def shown(value: object, max_chars: int = MAX_SHOWN_VALUE_CHARS) -> str:
    """repr() of a user value for a message, cut in the middle when long."""
    text = repr(value)
    if len(text) <= max_chars:
        return text
    return f"{_middle_cut(text, max_chars - 3)} ({len(str(value)):,} characters)"


def _middle_cut(text: str, kept_chars: int) -> str:
    """`text` cut in the middle: about `kept_chars` of its start and end kept around '…'."""
    half = kept_chars // 2
    return f"{text[:half]}…{text[-half:]}"


def closing_bracket(text: str, start: int, followers: str = "") -> int:
    """The index of the ']' that closes the '[' at text[start], pairs inside counted ('options[gpt-oss [L40S]].x'
    names 'gpt-oss [L40S]'), or -1 when it is never closed.

    followers: what may come right after the closing ']' (the text's end always may): where the paired ']' is
    followed by anything else, the first later ']' that is followed by one of them closes it instead, so a name whose
    own brackets do not pair ('A [b] c]', 'A [b') can still be named ('options[A [b] c]].x')."""
    depth, paired = 0, -1
    for i in range(start, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                paired = i
                break
    if not followers:
        return paired

    def ends(i: int) -> bool:
        return i + 1 == len(text) or text[i + 1] in followers

    if paired != -1 and ends(paired):
        return paired
    return next(
        (i for i in range(paired + 1 if paired != -1 else start + 1, len(text)) if text[i] == "]" and ends(i)), paired
    )
