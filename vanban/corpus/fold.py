"""Diacritic folding for search: "Thư viện Đồng Tháp" -> "thu vien dong thap".

SQLite's FTS5 ``remove_diacritics`` keeps "đ" (it is a letter of its own in Unicode, not "d" with
a mark), so the corpus folds text itself before indexing and folds every query the same way.

The fold maps each character of NFC text to exactly one character, so an offset in the folded
text is the same offset in the original: search highlights found in the folded index are put
back onto the original, accented text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Letters that have no decomposition but read as a plain Latin letter to a Vietnamese user.
_EXTRA = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o"}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _EXTRA:
        return _EXTRA[ch]
    if ch.isascii():
        return ch.lower()
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    base = base.lower()
    if len(base) == 1:
        return base
    # A lone combining mark folds to nothing and a ligature to several letters; a space / the
    # lower-cased character keeps the one-to-one offset mapping.
    return " " if not base else ch.lower()[:1] or " "


def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese (and other) diacritics, map đ to d.

    The input is NFC-normalised first; the result has the same length as
    ``unicodedata.normalize("NFC", text)``.
    """
    if not text:
        return ""
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFC", text))


def fold_key(text: str | None) -> str:
    """A comparison key for names and document numbers: folded, inner spaces removed.

    ``"208/QĐ-TTg"``, ``"208 / QD-TTG"`` and ``"208/qđ-ttg"`` share the key ``"208/qd-ttg"``.
    """
    return "".join(fold(text).split())
