"""Text wrapped to a terminal's width at spaces, never inside an id or a number; a URL longer than a line is folded
after its slashes (the full URL stays in JSON, Markdown and HTML)."""

from __future__ import annotations

import re
import textwrap
import unicodedata

# A terminal shows an East Asian wide or full-width character (CJK, in an option's name) in two columns: each is
# followed by this filler while the lines are measured, so that a line's length is the columns it fills.
_WIDE_FILL = "\uffff"  # a noncharacter: no text holds it
# A count and the word after it stay on one line ('(1 server)', '2,000 seats', '36 months', '93.3M tokens'): the space
# between them is this while the lines are broken, so a line never ends in '(1' with 'server)' under it.
_KEPT_SPACE = "\x1f"  # one column, as the space it stands for; no break for textwrap; no text shown holds it
# a whole count and any word ('2,000 seats'), or a token volume and its unit ('93.3M tokens'); not a decimal and a
# word, which is a name's version more often than a quantity ('Claude Sonnet 5.5 with ...' keeps breaking before 'with')
_COUNT_THEN_WORD = re.compile(r"(?<!\S)(\(?\d[\d,]*|\(?\d[\d,]*(?:\.\d+)?[kMBT](?= tok)) (?=([A-Za-z]\S*))")
# a command or a name quoted in backticks ('`costcalc pricing show ID`') stays on one line where it fits one: a command
# broken over two lines pastes as two
_QUOTED = re.compile(r"`[^`\n]+`")


def wrap(text: str, width: int, *, first: str = "", rest: str = "") -> list[str]:
    """Lines of at most `width` terminal columns, broken at spaces (never inside a hyphenated id or a number, nor between
    a count and the word after it: '(1 server)', nor inside a backtick quote that fits a line: '`costcalc pricing show
    ID`'); a word longer than a line (a source's URL) is folded onto continuation lines after a '/' or at another URL
    separator."""
    room = width - max(len(first), len(rest))  # a pair or a quote too long for any line breaks as before
    kept = _QUOTED.sub(lambda m: m.group(0).replace(" ", _KEPT_SPACE) if len(m.group(0)) <= room else m.group(0), text)
    kept = _COUNT_THEN_WORD.sub(
        lambda m: m.group(1) + (_KEPT_SPACE if len(m.group(1)) + 1 + len(m.group(2)) <= room else " "), kept
    )
    lines = _wrap_columns(_widened(kept), width, first=_widened(first), rest=_widened(rest))
    return [line.replace(_WIDE_FILL, "").replace(_KEPT_SPACE, " ") for line in lines]


def _widened(text: str) -> str:
    """`text` with a filler after each character a terminal shows two columns wide."""
    if text.isascii():
        return text
    return "".join(c + _WIDE_FILL if unicodedata.east_asian_width(c) in "WF" else c for c in text)


def _wrap_columns(text: str, width: int, *, first: str, rest: str) -> list[str]:
    """wrap's lines of a widened text, whose length is its columns."""
    lines = textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]
    out: list[str] = []
    for line in _separators_joined(lines, rest):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        head, _, word = line.rpartition(" ")  # textwrap left a word too long for any line alone, or after a bullet
        lead = head + " " if head.strip() else indent
        pieces = fold(word, max(width - len(lead), 1), max(width - len(rest), 1))
        out.append(lead + pieces[0])
        out += [rest + piece for piece in pieces[1:]]
    return out


def _separators_joined(lines: list[str], rest: str) -> list[str]:
    """textwrap's lines with a separator it left alone between two words too long to share a line (the ';' between
    two source URLs) put before the next line's word, as a shorter word after it is: '; https://...'."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.strip() == SOURCE_SEPARATOR and out and i + 1 < len(lines):
            lines[i + 1] = f"{rest}{SOURCE_SEPARATOR} {lines[i + 1].lstrip()}"
            continue
        out.append(line)
    return out


SOURCE_SEPARATOR = ";"  # between a row's sources ('https://a ; https://b')
URL_BREAKS_AFTER = "/-_.,;&"  # a URL may break after these (a slash first) ...
URL_BREAKS_BEFORE = "@?#="  # ... or before these


def fold(word: str, first: int, rest: int) -> list[str]:
    """`word` in pieces of at most `first`, then `rest`, characters, each ending where a URL reads naturally broken:
    after the last '/' that fits (not inside '://'), else after '-', '_', '.', ..., or before '@', '?', '#', '=';
    else at the limit. Joined, the pieces are the word."""
    pieces: list[str] = []
    room = first
    while len(word) > room:
        window = word[: room + 1]  # a break before the character at `room` is still a piece of `room`
        cut = 0
        for chars, after in ((URL_BREAKS_AFTER[:1], True), (URL_BREAKS_AFTER[1:], True), (URL_BREAKS_BEFORE, False)):
            spots = [i + 1 if after else i for i, c in enumerate(window) if c in chars]
            spots = [i for i in spots if 0 < i <= room and word[i - 1 : i + 1] != "//" and word[i - 2 : i] != ":/"]
            if spots:
                cut = max(spots)
                break
        cut = cut or room
        if cut > 1 and word[cut : cut + 1] == _WIDE_FILL:  # a wide character's two columns stay on one line
            cut -= 1
        pieces.append(word[:cut])
        word, room = word[cut:], rest
    return pieces + [word]


def linked(text: str, width: int, *, first: str = "", rest: str = "") -> list[list[tuple[str, str | None]]]:
    """`wrap`'s lines, each as pieces of (text, the web address it belongs to or None): a URL folded over several
    lines is the same address on each, so a terminal can link every piece to the whole address."""
    from costcalc.render.escape import web_addresses

    lines = wrap(text, width, first=first, rest=rest)
    owner: list[str | None] = [None] * len(text)  # the address each character of `text` belongs to
    for start, end in web_addresses(text):
        owner[start:end] = [text[start:end]] * (end - start)
    out: list[list[tuple[str, str | None]]] = []
    at = 0
    for i, line in enumerate(lines):
        lead = first if i == 0 else rest
        pieces: list[tuple[str, str | None]] = [(lead, None)] if lead else []
        for ch in line[len(lead) :]:
            while at < len(text) and text[at] != ch and text[at].isspace():
                at += 1  # the spaces a line break took
            if at >= len(text) or (text[at] != ch and not (ch == " " and text[at].isspace())):
                return [[(line, None)] for line in lines]  # the lines do not follow the text: no links
            url = owner[at] if not ch.isspace() else None
            if pieces and pieces[-1][1] == url:
                pieces[-1] = (pieces[-1][0] + ch, url)
            else:
                pieces.append((ch, url))
            at += 1
        out.append(pieces)
    return out
