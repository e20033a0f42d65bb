"""Diacritics away, and Unicode hygiene.

:func:`fold_diacritics` is length-preserving, shared by ocr, extract (keys, heading and keyword
matching) and corpus (the folded full-text index): "Thư viện Đồng Tháp" -> "Thu vien Dong
Thap". Every character maps to exactly one character, so an offset in the folded text is the
same offset in the original: a match found in the folded copy is put back onto the accented
text. :func:`strip_diacritics` is the other kind (the restorer's skeletons, evaluation): it
removes marks outright and may shorten decomposed text.
"""

from __future__ import annotations

import re
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


_strip_cache: dict[str, str] = {}


def strip_diacritics(text: str) -> str:
    """Remove every Vietnamese mark and fold đ/Đ to d/D ("Đề án" -> "De an")."""
    out = _strip_cache.get(text)
    if out is not None:
        return out
    decomposed = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    out = out.replace("đ", "d").replace("Đ", "D")
    out = unicodedata.normalize("NFC", out)
    if len(_strip_cache) < 500_000 and len(text) < 40:
        _strip_cache[text] = out
    return out


#: Zero-width and other invisible junk that PDF text layers and web copies carry.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def clean_unicode(text: str) -> str:
    """NFC, invisible characters removed, non-breaking spaces as spaces."""
    text = _INVISIBLE.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return unicodedata.normalize("NFC", text)
