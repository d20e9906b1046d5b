"""Masking secrets in text: every occurrence of a key and of any long piece of it, even split by whitespace."""

from __future__ import annotations

from collections.abc import Iterable

MIN_PIECE_CHARS = 8  # any run of this many characters of a secret counts as the secret
MASK = "***"


def mask(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret, and every piece of one at least MIN_PIECE_CHARS long, replaced by ***.

    Whitespace inside an echoed secret (a line break a server added) does not hide it: matching
    ignores whitespace, and a masked run swallows the whitespace inside it.
    """
    pieces = [p for p in ("".join(s.split()) for s in secrets) if p]
    if not pieces or not text:
        return text
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]  # squeezed position → text position
    squeezed = "".join(text[i] for i in keep)
    hidden = bytearray(len(keep))
    for secret in pieces:
        size = min(len(secret), MIN_PIECE_CHARS)
        for window in {secret[j : j + size] for j in range(len(secret) - size + 1)}:
            start = squeezed.find(window)
            while start != -1:
                hidden[start : start + size] = b"\x01" * size
                start = squeezed.find(window, start + 1)
    if not any(hidden):
        return text
    out: list[str] = []
    k = 0  # index into keep
    i = 0
    while i < len(text):
        if k < len(keep) and keep[k] == i and hidden[k]:
            out.append(MASK)
            while k + 1 < len(keep) and hidden[k + 1]:  # the masked run goes on across whitespace
                k += 1
            i = keep[k] + 1
            k += 1
            continue
        if k < len(keep) and keep[k] == i:
            k += 1
        out.append(text[i])
        i += 1
    return "".join(out)
