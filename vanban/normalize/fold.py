"""Length-preserving diacritic folding, shared by extract (keys, heading and keyword matching)
and corpus (the folded full-text index): "Thư viện Đồng Tháp" -> "Thu vien Dong Thap".

Every character maps to exactly one character, so an offset in the folded text is the same
offset in the original: a match found in the folded copy is put back onto the accented text.
(:func:`vanban.normalize.vietnamese.strip_diacritics` is the other kind: it removes marks
outright and may shorten decomposed text.)
"""

from __future__ import annotations

import unicodedata

#: Letters that have no decomposition but read as a plain Latin letter to a Vietnamese user.
_EXTRA = {"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O"}


def _fold_char(ch: str) -> str:
    """One character without its marks, case kept; always exactly one character."""
    if ch in _EXTRA:
        return _EXTRA[ch]
    if ch.isascii():
        return ch
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    if len(base) == 1:
        return base
    # A lone combining mark folds to nothing and a ligature to several letters: a space / the
    # character itself keeps the one-to-one offset mapping.
    return ch if base else " "


class _FoldTable(dict):
    """A ``str.translate`` table filled on first sight of each code point."""

    def __init__(self, lower: bool):
        super().__init__()
        self.lower = lower

    def __missing__(self, codepoint: int) -> str:
        out = _fold_char(chr(codepoint))
        if self.lower:
            # One character still: only U+0130 "İ" lowers to two, and it has folded to "I".
            out = out.lower()
        self[codepoint] = out
        return out


_KEEP_CASE = _FoldTable(lower=False)
_LOWER = _FoldTable(lower=True)


def fold_diacritics(text: str, lower: bool = False) -> str:
    """``text`` without diacritics, ``đ``/``Đ`` as ``d``/``D``, the same length as ``text``.

    ``lower``: also lower-case each character (still one character each). The text is not
    NFC-normalised here: callers that may get decomposed text normalise first.
    """
    return text.translate(_LOWER if lower else _KEEP_CASE)


def nfc_spaces(text: str) -> str:
    """NFC, every whitespace run folded to one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())
