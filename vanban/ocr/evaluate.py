"""The ocr stage's metric: character error rate against ground truth.

CER = Levenshtein distance / ground-truth length, on NFC text with all whitespace folded to
single spaces (line breaks and layout do not count, reading order does). Totals are
micro-averaged (summed distances over summed lengths). The data sets it is measured on, and the
raw Tesseract baseline, are run by :mod:`vanban.evaluation.ocr` (``vanban evaluate ocr``).
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from ..text import nfc_spaces


def cer(gold: str, system: str) -> tuple[int, int]:
    """(edit distance, gold length) on NFC text with whitespace runs folded to one space."""
    g, s = nfc_spaces(gold), nfc_spaces(system)
    return Levenshtein.distance(g, s), len(g)
