"""Tokenisation and restoration keys of Vietnamese text, for the LM and the decoder.

Pure string work with no model; the decoder and the LM trainer share the tokeniser so that
training and decoding see the same tokens. The helpers every stage shares (stripping and
folding marks, tone style, casing) live in :mod:`vanban.text`.
"""

from __future__ import annotations

import re

from ..text import strip_diacritics

#: One token of text: a run of letters (with combining marks), a run of digits, or one other
#: non-space character. Whitespace is kept outside tokens so that the text can be rebuilt.
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s]|_", re.UNICODE)

#: Tokens of legacy (English-model) OCR text: digits and "@" inside a word stand for mangled
#: letters ("s6" = số, "nu@éc" = nước, "ngu¢i" = người), and so does a "?" or an apostrophe
#: between letters ("thi?c" = thức, "thu'c" = thực).
_LEGACY_CHAR = r"(?:[^\W_]|[@¢©®°§])"
LEGACY_TOKEN_RE = re.compile(rf"{_LEGACY_CHAR}+(?:[?'’]{_LEGACY_CHAR}+)*|[^\w\s]|_", re.UNICODE)


def skeleton(word: str) -> str:
    """Lower-case diacritic-free form used to look up restoration candidates."""
    return strip_diacritics(word).lower()


def has_diacritics(word: str) -> bool:
    """True when the word carries any Vietnamese mark or đ."""
    return strip_diacritics(word) != word


def tokenize(text: str, legacy: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, token) for every token of ``text`` (``legacy``: OCR-mangled words whole)."""
    rx = LEGACY_TOKEN_RE if legacy else TOKEN_RE
    return [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]


def is_word(token: str) -> bool:
    """A word token: letters (a syllable, an abbreviation, a foreign word), possibly with the
    digits/symbols of legacy OCR inside."""
    return token[:1].isalpha() or (not token.isdigit() and any(c.isalpha() for c in token))
