"""Casing: the pattern of a written word, giving a restored word that pattern, and the repair
of casing slips that OCR and diacritic restoration make inside running text."""

from __future__ import annotations

import re
from typing import Sequence

from .syllable import is_syllable


def case_pattern(word: str) -> str:
    """'upper' (two or more letters, all capitals), 'title', 'lower' or 'mixed'."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "lower"
    if all(c.isupper() for c in letters):
        return "upper" if len(letters) > 1 else "title"
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return "title"
    if all(c.islower() for c in letters):
        return "lower"
    return "mixed"


def apply_case(word: str, pattern: str, original: str | None = None) -> str:
    """Give the lower-case ``word`` the casing ``pattern`` of the original token.

    'mixed' keeps per-position casing of the original where lengths agree ("QD" has no mixed
    case but "TTg" does)."""
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        return word[:1].upper() + word[1:]
    if pattern == "mixed" and original is not None and len(original) == len(word):
        return "".join(c.upper() if o.isupper() else c for c, o in zip(word, original))
    return word


def case_in_context(word: str, written: str, neighbours: Sequence[str]) -> str:
    """The casing pattern a restored ``word`` gets from the token ``written`` it replaces,
    whose neighbouring tokens are ``neighbours``.

    A Vietnamese syllable has no inner capitals, so a mixed-case one ("cOng", "CHi", "HìNH") is
    an OCR case slip, not an acronym like "TTg": inside an all-caps run (a heading) it is upper
    case, elsewhere it keeps only its first letter's case."""
    pattern = case_pattern(written)
    if pattern != "mixed" or not is_syllable(word):
        return pattern
    if any(len(w) > 1 and w.isupper() and is_syllable(w) for w in neighbours):  # not "UBND"
        return "upper"
    return "title" if written[:1].isupper() else "lower"


_UPPER_RATIO_MIN_LETTERS = 4


def upper_ratio(text: str) -> float:
    """Share of letters that are upper case (1.0 for an all-caps heading)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < _UPPER_RATIO_MIN_LETTERS:
        return 0.0
    return sum(1 for c in letters if c.isupper()) / len(letters)


_WORD = re.compile(r"[^\W\d_]+")
_ACCENTED = re.compile(r"[^\x00-\x7FđĐ]")
#: Every casing slip repaired below shows an accented capital ("SỞ", "cÔng", "CẦn"): a cheap gate.
_UPPER_ACCENTED = re.compile("[" + "".join(
    c for c in map(chr, range(0xC0, 0x1F00)) if c.isupper() and c != "Đ" and c.isalpha()) + "]")


def _is_caps_word(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def repair_ocr_case(line: str) -> str:
    """Undo casing slips of OCR and diacritic restoration inside running text.

    The restorer itself gives mixed-case syllables their context's case
    (:func:`case_in_context`); this stays for text that did not go through it (``--mode
    off``, a text layer) and for the lone all-caps syllables below.

    ``cÔng`` -> ``công``, ``CẦn`` -> ``Cần``, and a lone all-caps accented syllable between
    lower-case words (``về SỞ Nông nghiệp``, ``thực hiện LỘ trình``) -> capitalised before a
    capitalised word, else lower case. Acronyms are unaccented (``UBND``, ``HĐND``, ``TTg``) and
    headings are mostly caps, so neither is touched.
    """
    if not _UPPER_ACCENTED.search(line) or upper_ratio(line) >= 0.5 or line == line.upper():
        return line
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(line)]
    out, last = [], 0
    for i, (s, e, w) in enumerate(words):
        new = w
        if _ACCENTED.search(w) and not w.islower():
            if not w.isupper() and w[1:] != w[1:].lower():
                new = w[0] + w[1:].lower() if w[0].isupper() else w.lower()
            elif _is_caps_word(w) and is_syllable(w):
                prev_caps = i > 0 and _is_caps_word(words[i - 1][2])
                next_caps = i + 1 < len(words) and _is_caps_word(words[i + 1][2])
                if not prev_caps and not next_caps:
                    nxt = words[i + 1][2] if i + 1 < len(words) else ""
                    before = line[:s].rstrip()
                    starts = not before or before[-1] in ".:;!?-–(\"“"
                    new = w.capitalize() if (nxt[:1].isupper() or starts) else w.lower()
        out.append(line[last:s])
        out.append(new)
        last = e
    out.append(line[last:])
    return "".join(out)
