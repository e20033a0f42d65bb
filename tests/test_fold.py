"""Text helpers the stages share: the length-preserving diacritic fold (extract, corpus), NFC
space folding (extract, ocr evaluation) and the Vietnamese syllable shape (ocr, extract)."""

from __future__ import annotations

import unicodedata

from vanban.corpus import fold as corpus_fold
from vanban.extract.text import clean, fold as extract_fold
from vanban.text import fold_diacritics, is_syllable, nfc_spaces
from vanban.ocr.evaluate import cer

VIETNAMESE = ("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợ"
              "uùúủũụưừứửữựyỳýỷỹỵđ")


def test_every_vietnamese_letter_folds_to_its_base_letter_case_kept():
    folded = fold_diacritics(VIETNAMESE)
    assert folded == "a" * 18 + "e" * 12 + "i" * 6 + "o" * 18 + "u" * 12 + "y" * 6 + "d"
    assert fold_diacritics(VIETNAMESE.upper()) == folded.upper()
    assert fold_diacritics("Thư viện ĐỒNG THÁP") == "Thu vien DONG THAP"
    assert fold_diacritics("Thư viện ĐỒNG THÁP", lower=True) == "thu vien dong thap"


def test_fold_keeps_length_so_offsets_map_back():
    for text in ("Quyết định số 208/QĐ-TTg của Ủy ban", "ǅ ﬁ Łódź ΟΔΟΣ", "x\u0301 e\u0323\u0302"):
        assert len(fold_diacritics(text)) == len(text)
        assert len(fold_diacritics(text, lower=True)) == len(text)
    # a mark that cannot compose becomes a space, not nothing
    assert fold_diacritics("x\u0301") == "x "


def test_extract_and_corpus_fold_the_same_way():
    text = "Sở Văn hóa, Thể thao và Du lịch; QUYẾT ĐỊNH số 208/QĐ-TTg"
    assert extract_fold(text) == "So Van hoa, The thao va Du lich; QUYET DINH so 208/QD-TTg"
    assert corpus_fold(text) == extract_fold(text).lower()
    # corpus normalises to NFC first; extract expects NFC already
    assert corpus_fold(unicodedata.normalize("NFD", text)) == corpus_fold(text)


def test_nfc_spaces_is_the_clean_of_extract_and_the_cer_fold_of_ocr():
    text = " Ke\u0302\u0301 hoạch\n\tsố  12 \f"
    assert nfc_spaces(text) == "Kế hoạch số 12"
    assert clean(text) == nfc_spaces(text)
    # CER compares on the same folding: decomposed marks and whitespace runs are no errors
    assert cer(text, "Kế hoạch số 12") == (0, len("Kế hoạch số 12"))


def test_syllable_shape():
    for word in ("nghiêng", "Quyết", "ĐỊNH", "thư", "viện", "gì", "a", "TRƯỜNG"):
        assert is_syllable(word), word
    for word in ("UBND", "HĐND", "QĐ", "TTg", "str", "nghiêngg", "xyz", "", "ba1"):
        assert not is_syllable(word), word
