"""Vietnamese-text helpers shared by every stage (layer 0: imports nothing of vanban).

- :mod:`.fold`: diacritic folding (length-preserving) and stripping, NFC and Unicode hygiene
- :mod:`.syllable`: the written shape of one Vietnamese syllable
- :mod:`.tone`: tone-mark placement styles (hòa / hoà)
- :mod:`.case`: casing patterns and the repair of OCR casing slips
- :mod:`.roman`: Roman numerals of headings and groups

ocr, normalize, extract and corpus all import these from here, so that no stage reaches up
or sideways for a string helper.
"""

from __future__ import annotations

from .case import apply_case, case_in_context, case_pattern, repair_ocr_case, upper_ratio
from .roman import int_to_roman, roman_to_int
from .fold import clean_unicode, fold_diacritics, nfc_spaces, strip_diacritics
from .syllable import SYLLABLE_RE, VOWELS, is_syllable
from .tone import TONE_MARKS, fix_uy, normalize_tone_style, set_tone_style

__all__ = ["apply_case", "case_in_context", "case_pattern", "repair_ocr_case", "upper_ratio",
           "int_to_roman", "roman_to_int",
           "clean_unicode", "fold_diacritics", "nfc_spaces", "strip_diacritics",
           "SYLLABLE_RE", "VOWELS", "is_syllable",
           "TONE_MARKS", "fix_uy", "normalize_tone_style", "set_tone_style"]
