"""Text helpers shared by the extract modules: diacritic folding, casing, sentences, patterns."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# fold: a diacritic-free copy with the same length (indices map back), "đ" -> "d"; keys built on
# it match headings and keywords whether or not the diacritics survived OCR.
from ..normalize.fold import fold_diacritics as fold
from ..normalize.fold import nfc_spaces
from ..normalize.syllable import is_syllable

PATTERN_DIR = Path(__file__).parent / "patterns"


@lru_cache(maxsize=None)
def load_patterns(name: str) -> dict:
    """One pattern data file of vanban/extract/patterns/ (JSON)."""
    return json.loads((PATTERN_DIR / f"{name}.json").read_text(encoding="utf-8"))


_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """Lower-case, diacritic-free, punctuation-free, space-folded key."""
    return " ".join(_NON_WORD.sub(" ", fold(text).lower()).split())


#: NFC with whitespace folded to single spaces.
clean = nfc_spaces


def _tone_pairs() -> dict[str, str]:
    """``á`` -> ``ó`` style pairs: the tone mark of a second vowel moved to the first."""
    pairs = {}
    for tone in "\u0301\u0300\u0309\u0303\u0323":
        for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
            for f, sc in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                pairs[f + unicodedata.normalize("NFC", sc + tone)] = \
                    unicodedata.normalize("NFC", f + tone) + sc
    return pairs


_TONE_PAIRS = _tone_pairs()
_OPEN_TONED = re.compile(r"(?<![qQ])(" + "|".join(_TONE_PAIRS) + r")(?!\w)")


def fix_uy(text: str) -> str:
    """Tone placement of open oa/oe/uy syllables to the form the gold records use:
    ``Uỷ`` -> ``Ủy``, ``Thanh Hoá`` -> ``Thanh Hóa``, ``thuỷ`` -> ``thủy`` (not ``quý``)."""
    return _OPEN_TONED.sub(lambda m: _TONE_PAIRS[m.group(1)], text)


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


#: "lần thứ? XIV của Đảng": a roman numeral going on in lower case continues the sentence
#: (an OCR speck read as "?" or "." before it is no sentence end).
_ROMAN_RUN_ON = re.compile(r"[IVXLC]{1,6}\s+[a-zđà-ỹ]")


def first_sentence(text: str, runs_on=None) -> str:
    """The first sentence of a paragraph (the whole text when it has one sentence).

    ``runs_on(head, tail)``: a caller's test that a period is no sentence end (a typo inside
    an enumeration of agencies)."""
    for m in _SENT_END.finditer(text):
        head = text[:m.start()]
        if _ABBREV_END.search(head) or _ROMAN_RUN_ON.match(text, m.end()):
            continue
        if runs_on is not None and runs_on(head, text[m.end():]):
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


_WORD = re.compile(r"[^\W\d_]+")
_ACCENTED = re.compile(r"[^\x00-\x7FđĐ]")
#: Every casing slip repaired below shows an accented capital ("SỞ", "cÔng", "CẦn"): a cheap gate.
_UPPER_ACCENTED = re.compile("[" + "".join(
    c for c in map(chr, range(0xC0, 0x1F00)) if c.isupper() and c != "Đ" and c.isalpha()) + "]")


def _is_caps_word(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def repair_ocr_case(line: str) -> str:
    """Undo casing slips of OCR and diacritic restoration inside running text.

    The restorer itself now gives mixed-case syllables their context's case
    (``vanban.normalize.restorer._case_for``); this stays for text that did not go through it
    (``--mode off``, a text layer) and for the lone all-caps syllables below.

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


@lru_cache(maxsize=1)
def _ocr_head_rules() -> list[tuple[re.Pattern, str]]:
    heads = load_patterns("ocr_heads")["heads"]
    return [(re.compile(r"(?<![\w&@])(?:" + rx + r")(?= [A-ZĐÀ-Ỹ])"), head)
            for head, rx in heads.items()]


def repair_ocr_heads(line: str) -> str:
    """Agency head words mangled by an English OCR model (``S& Nội vụ`` -> ``Sở Nội vụ``);
    the misreadings are data (patterns/ocr_heads.json)."""
    if "S" not in line and "B" not in line:
        return line
    for rx, head in _ocr_head_rules():
        line = rx.sub(head, line)
    return line
