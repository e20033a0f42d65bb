"""Diacritic folding for search: "Thư viện Đồng Tháp" -> "thu vien dong thap".

SQLite's FTS5 ``remove_diacritics`` keeps "đ" (it is a letter of its own in Unicode, not "d" with
a mark), so the corpus folds text itself before indexing and folds every query the same way.

The fold (:func:`vanban.text.fold_diacritics`, shared with ocr and extract) maps each
character of NFC text to exactly one character, so an offset in the folded text is the same
offset in the original: search highlights found in the folded index are put back onto the
original, accented text.
"""

from __future__ import annotations

import re
import unicodedata

from ..text import fold_diacritics


def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese (and other) diacritics, map đ to d.

    The input is NFC-normalised first; the result has the same length as
    ``unicodedata.normalize("NFC", text)``.
    """
    if text is None:
        return ""
    if not isinstance(text, str):  # a record from another tool holding a number as 215
        text = str(text)
    return fold_diacritics(unicodedata.normalize("NFC", text), lower=True) if text else ""


def fold_key(text: str | None) -> str:
    """A comparison key for names and document numbers: folded, inner spaces removed.

    ``"208/QĐ-TTg"``, ``"208 / QD-TTG"`` and ``"208/qđ-ttg"`` share the key ``"208/qd-ttg"``.
    """
    return "".join(fold(text).split())


def agency_key(name: str) -> str:
    """A readable key for an agency name that extract gave no id for: its folded words joined
    by hyphens ("Sở Tài chính" -> "so-tai-chinh"), as the store writes it and the web matches it."""
    return "-".join(re.findall(r"\w+", fold(name)))
