"""Text helpers shared by the extract modules: diacritic folding, casing, sentences, patterns."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

PATTERN_DIR = Path(__file__).parent / "patterns"


@lru_cache(maxsize=None)
def load_patterns(name: str) -> dict:
    """One pattern data file of vanban/extract/patterns/ (JSON)."""
    return json.loads((PATTERN_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _fold_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii():
            table[cp] = base
    return table


_FOLD_TABLE = _fold_table()


def fold(text: str) -> str:
    """Diacritic-free copy of ``text`` with the same length (so indices map back), ``đ`` -> ``d``.

    Keys built on it match headings and keywords whether or not the diacritics survived OCR.
    """
    return text.translate(_FOLD_TABLE)


_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """Lower-case, diacritic-free, punctuation-free, space-folded key."""
    return " ".join(_NON_WORD.sub(" ", fold(text).lower()).split())


def clean(text: str) -> str:
    """NFC with whitespace folded to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fix_uy(text: str) -> str:
    """Old-style tone placement ``Uỷ``/``UỶ`` to the form the gold records use (``Ủy``)."""
    return text.replace("Uỷ", "Ủy").replace("uỷ", "ủy").replace("UỶ", "ỦY").replace("hoá", "hóa") \
        if ("ỷ" in text or "Ỷ" in text or "hoá" in text) else text


_UPPER_RATIO_MIN_LETTERS = 4


def upper_ratio(text: str) -> float:
    """Share of letters that are upper case (1.0 for an all-caps heading)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < _UPPER_RATIO_MIN_LETTERS:
        return 0.0
    return sum(1 for c in letters if c.isupper()) / len(letters)


def is_caps(text: str, threshold: float = 0.85) -> bool:
    return upper_ratio(text) >= threshold


def strip_end_mark(text: str) -> str:
    """Drop the document-end mark ``/.`` (``theo quy định./.`` -> ``theo quy định.``)."""
    text = text.rstrip()
    if text.endswith("./."):
        return text[:-2]
    if text.endswith("/."):
        return text[:-2] + "."
    return text


# A sentence ends at . ! ? followed by a space and a capital (or an opening quote); not after
# short upper-case abbreviations ("TP.", "TM.", "Q.") or single letters.
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ])")
_ABBREV_END = re.compile(r"(?:\b[A-ZĐ]{1,3}|\b[a-zđ]|\bv\.v|\bTS|\bThS|\bPGS|\bGS|\bNxb)\.$")


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (the whole text when it has one sentence)."""
    for m in _SENT_END.finditer(text):
        head = text[:m.start()]
        if _ABBREV_END.search(head):
            continue
        return head
    return text


def sentence_case(text: str) -> str:
    """Lower-case an all-caps string, capitalising its first letter."""
    low = text.lower()
    return low[:1].upper() + low[1:] if low else low


ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(roman: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(roman.upper()):
        v = ROMAN_VALUES.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total
