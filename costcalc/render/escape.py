"""User text escaped for each output: a terminal, CSV (no spreadsheet formulas), Markdown (no markup, no
mentions), XML/HTML/SVG (well-formed). Names are already NFKC and free of hidden characters (models);
these cover every other string a file or a catalog can carry (ids, notes, paths, verdict sentences)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from costcalc.textsafe import strip_controls

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# [ ] escaped: no link or image can form; < before what could start a tag; _ where it could emphasise
_MARKDOWN = re.compile(r"[\\*\[\]|~&]|<(?=[A-Za-z/!?])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# a web address: an autolink's text is literal, and `|` (a table cell's end), quotes, backslashes and backticks end it
_URL = re.compile(r"(https?://)[^\s<>`\\|\"']+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@(?=\w)")  # a mention starts a word; user@host is no mention
# GitHub links '#12' (and 'GH-12') in a comment to issue or pull request 12 of the repository: 'Plan #2' would too
_ISSUE_REF = re.compile(r"(?<![\w&])(#|GH-)(?=\d)", re.IGNORECASE)
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
WORD_JOINER = "\u2060"  # invisible; stops `@name` from becoming a mention and `#12` from linking to an issue


def terminal(text: object) -> str:
    """Text for a terminal: no escape sequences, no hidden characters (rich markup is not parsed by callers)."""
    return strip_controls(str(text))


def rich_markup(text: object) -> str:
    """Text to place inside a rich markup string: controls removed, `[` escaped so it is never a tag."""
    from rich.markup import escape

    return escape(strip_controls(str(text)))


def csv_cell(text: object) -> str:
    """A CSV text cell a spreadsheet shows as text: a leading =, +, -, @ (a formula) gets a ' before it."""
    cell = strip_controls(str(text))
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def markdown(text: object, names: Iterable[str] = ()) -> str:
    """Inline Markdown that shows `text` as written: punctuation that makes links, images, HTML, emphasis
    or tables is backslash-escaped, and `@name` cannot mention anyone. A web address is written as an autolink
    (`<https://…?a=1&b=2>`), whose text Markdown takes literally: a backslash escape inside a bare address would end
    up in the link (`\\&` became `%5C&`), breaking it. Backticks pass, as costcalc's own sentences mark commands and
    keys with them ('`costcalc measure`'); user text in the sentence, `names` (a scenario's or an option's name),
    gets its backticks escaped too, so that a name never makes code. A whole piece of user text: `user_markdown`."""
    clean = strip_controls(str(text))
    ticked = sorted({n for n in names if "`" in n}, key=len, reverse=True)  # the others escape alike either way
    if not ticked:
        return _markdown(clean)
    out, at = [], 0
    for match in re.finditer("|".join(re.escape(n) for n in ticked), clean):
        out += [_markdown(clean[at : match.start()]), _markdown(match.group(), code=True)]
        at = match.end()
    out.append(_markdown(clean[at:]))
    return "".join(out)


def user_markdown(text: object) -> str:
    """Inline Markdown that shows a piece of user text (a name, a file name, a guardrail as written) as written:
    as `markdown`, and its backticks escaped, so that it never makes code."""
    return _markdown(strip_controls(str(text)), code=True)


def _markdown(clean: str, code: bool = False) -> str:
    """`markdown` of text already free of controls; `code`: backticks escaped too."""
    out, at = [], 0
    for match in _URL.finditer(clean):
        url = _url_end(match.group())
        if len(url) > len(match.group(1)):  # a scheme and something after it
            out += [_inline(clean[at : match.start()], code), f"<{url}>"]
            at = match.start() + len(url)
    out.append(_inline(clean[at:], code))
    return "".join(out)


def web_addresses(text: str) -> list[tuple[int, int]]:
    """Where each web address in `text` starts and ends (the sentence's punctuation after it left out), as
    `markdown` links them."""
    out = []
    for match in _URL.finditer(text):
        url = _url_end(match.group())
        if len(url) > len(match.group(1)):
            out.append((match.start(), match.start() + len(url)))
    return out


def _inline(text: str, code: bool = False) -> str:
    """Text with Markdown's punctuation escaped (with `code`, backticks too) and no mentions."""
    escaped = _MARKDOWN.sub(lambda m: "\\" + m.group(), text)
    return no_mentions(escaped.replace("`", "\\`") if code else escaped)


def _url_end(url: str) -> str:
    """The address without the punctuation that ends the sentence around it (GitHub's rule): a trailing . , : ; ! ?
    * _ ~ and a closing bracket that opens nowhere in the address ('(from https://a.b/c)')."""
    while url:
        if url[-1] in ".,:;!?*_~":
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            return url
    return url


def no_mentions(text: str) -> str:
    """`text` with every `@name` that would start a mention, and every `#12` / `GH-12` that GitHub would link to an
    issue, broken by an invisible word joiner; an @ or # inside a word (user@host, a price id's model@2026-10-14, an
    escaped entity &#39;) stays as written, so it can be copied."""
    return _ISSUE_REF.sub(lambda m: m.group(1) + WORD_JOINER, _MENTION.sub("@" + WORD_JOINER, text))


def xml(text: object, quote: bool = True) -> str:
    """Text for HTML, SVG or any XML: characters XML forbids removed, markup characters escaped."""
    return html.escape(_NOT_XML.sub("", strip_controls(str(text))), quote=quote)


_TAG = re.compile(r"(<[^>]*>)")
_SPACES = re.compile(r"(\s+)")
# a 320 px phone column holds about 35 characters of the HTML report's 14 px text: a longer word (an address, a
# path) is left to break where it must
WHOLE_WORD_CHARS = 35


def kept_whole(escaped: str) -> str:
    """Escaped HTML with each word that has a hyphen ('--details', 'gpt-oss-120b', 'lambda/1x-h100-sxm/on-demand,')
    in a <span class='nb'>, which the page's CSS keeps on one line (white-space: nowrap): a browser breaks a line
    after a hyphen, and on a phone '--details' read '--' over 'details'. A web address and a word longer than
    WHOLE_WORD_CHARS are left to break where they must; tags are left as they are."""

    def whole(word: str) -> bool:
        return "-" in word and "://" not in word and len(html.unescape(word)) <= WHOLE_WORD_CHARS

    def words(text: str) -> str:
        return "".join(f"<span class='nb'>{w}</span>" if whole(w) else w for w in _SPACES.split(text))

    return "".join(piece if piece.startswith("<") else words(piece) for piece in _TAG.split(escaped))


def xml_prose(text: object) -> str:
    """`xml(text)` for a sentence shown in HTML: its flags and hyphenated ids kept whole (kept_whole)."""
    return kept_whole(xml(text))


def csv_frame(frame: object) -> object:
    """A pandas DataFrame whose column names and text cells are `csv_cell`-safe (categories renamed once)."""
    import pandas as pd

    out = frame.copy()  # type: ignore[attr-defined]
    out.columns = [csv_cell(c) for c in out.columns]
    for name in out.columns:
        series = out[name]
        if isinstance(series.dtype, pd.CategoricalDtype):
            out[name] = series.cat.rename_categories([csv_cell(c) for c in series.cat.categories])
        elif series.dtype == object:
            out[name] = series.map(lambda v: csv_cell(v) if isinstance(v, str) else v)
    return out
