"""Counted nouns for messages: '1 price', '2 prices', never '2 price(s)'."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and the noun in its number: counted(1, 'price') is '1 price', counted(2, 'price') '2 prices'."""
    word = noun if count == 1 else (plural or f"{noun}s")
    return f"{count:,} {word}"
