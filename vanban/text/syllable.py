"""The written shape of one Vietnamese syllable, shared by ocr (is a PDF text layer real
Vietnamese?) and extract (is an all-caps word a syllable or an abbreviation?)."""

from __future__ import annotations

import re

#: Vowels that may form a syllable nucleus, plain and with each of the five tones.
VOWELS = ("aăâeêioôơuưy"
          "àằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ")

#: Optional onset, one to three vowels, optional coda (lower case, NFC).
SYLLABLE_RE = re.compile(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[{VOWELS}]{{1,3}}"
    r"(?:ng|nh|ch|[cmnpt])?")


def is_syllable(word: str) -> bool:
    """``word`` has the shape of one Vietnamese syllable (onset, vowels, coda), any case."""
    return SYLLABLE_RE.fullmatch(word.lower()) is not None
