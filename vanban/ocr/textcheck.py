"""Is a piece of text real Vietnamese? Used to decide whether a PDF text layer can be trusted.

Old scans often carry an invisible OCR layer made by an engine without Vietnamese
("CONG Hcok xA HQI CHiJ NGHiA VIVT NAM"): it exists, it is even roughly in the right place, but
it is garbage. Real Vietnamese text has two easy tells that such layers lack: most words are
well-formed syllables (onset + vowel nucleus + coda, one case pattern), and a good share of them
carry Vietnamese diacritics.
"""

from __future__ import annotations

import re
import unicodedata

from ..text import is_syllable

_TONED = "àằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ"
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_DIACRITIC_CHARS = set("ăâêôơưđ" + _TONED)


def _case_ok(word: str) -> bool:
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def vietnamese_score(text: str) -> dict:
    """Counts behind :func:`looks_vietnamese`: words, syllable share, diacritic share."""
    text = unicodedata.normalize("NFC", text)
    words = _LETTERS_RE.findall(text)
    if not words:
        return {"words": 0, "syllable_share": 0.0, "diacritic_share": 0.0}
    syllables = sum(1 for w in words if _case_ok(w) and is_syllable(w))
    diacritic = sum(1 for w in words if any(c in _DIACRITIC_CHARS for c in w.lower()))
    return {"words": len(words), "syllable_share": syllables / len(words),
            "diacritic_share": diacritic / len(words)}


def looks_vietnamese(text: str, min_words: int = 20) -> bool:
    """True when ``text`` reads as real Vietnamese (not a garbled OCR layer, not another language).

    Requires at least ``min_words`` words, 85% of them well-formed Vietnamese syllables and 30%
    of them with Vietnamese diacritics (running Vietnamese prose has about half).
    """
    s = vietnamese_score(text)
    return s["words"] >= min_words and s["syllable_share"] >= 0.85 and s["diacritic_share"] >= 0.30
