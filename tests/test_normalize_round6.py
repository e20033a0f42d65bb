"""normalize, round 6 (issue 14): correct general text stays as written, legacy OCR errors.

Made-up sentences; uses only the models shipped in vanban/data (no ../shared)."""

from __future__ import annotations

from vanban.normalize import restore_text
from vanban.normalize.vietnamese import is_well_formed, rhyme, tone_of


# ----------------------------------------------------------------------------- helpers
def test_well_formed_syllables_follow_the_tone_rules_of_their_coda():
    assert is_well_formed("pắn") and is_well_formed("thực") and is_well_formed("trum")
    assert not is_well_formed("thưc")      # a stop coda takes only sắc or nặng
    assert not is_well_formed("cac")
    assert not is_well_formed("colò")      # two syllables
    assert tone_of("người") == "huyen" and tone_of("an") is None


def test_rhyme_is_the_syllable_without_its_onset():
    assert rhyme("pắn") == "ắn"
    assert rhyme("người") == "ười"
    assert rhyme("nghiệp") == "iệp"
    assert rhyme("ăn") == "ăn"


# ----------------------------------------------------------------------------- correct text
def _changes(text: str) -> list[tuple[str, str]]:
    return [(c.original, c.replacement) for c in restore_text(text, "ocr").changes]


def test_foreign_words_with_marks_are_kept():
    text = ("Năm 1992, thủ tướng Pierre Bérégovoy gặp vận động viên trượt tuyết Zeno Colò ở "
            "thành phố México.")
    assert _changes(text) == []


def test_an_unknown_word_spelt_like_vietnamese_is_kept():
    # "pắn": a word the models never saw, with marks where Vietnamese puts them.
    text = ("Người dân tộc Tày thường mặc áo pắn khi làm việc trên nương, còn trong ngày hội "
            "thì mặc áo dài.")
    assert _changes(text) == []


def test_a_name_inside_a_sentence_of_general_text_is_kept():
    text = ("Năm 783, Chu Tỉ chiếm kinh thành, tự xưng là Đại Tấn hoàng đế và đổi niên hiệu. "
            "Quân triều đình bao vây thành trong nhiều tháng, nhà vua phải chạy khỏi kinh đô.")
    result = restore_text(text, "ocr")
    assert result.admin_share < 0.5          # a general-language text: the mixture decoded it
    assert result.changes == []


def test_misspelt_marks_are_still_fixed():
    # "nguời": its rhyme is no rhyme of Vietnamese; "thưc": level tone before a stop coda.
    text = "Ủy ban nhân dân tỉnh giao các sở, ngành phối hợp với nguời dân thưc hiên kế hoạch."
    assert restore_text(text, "ocr").text == (
        "Ủy ban nhân dân tỉnh giao các sở, ngành phối hợp với người dân thực hiện kế hoạch.")


# ----------------------------------------------------------------------------- legacy OCR
# A made-up report with many numbers, OCRed the way an English model reads Vietnamese.
_TARGETS = " ".join(f"Chi tiéu {i}: dat {10 + i}% vao nam {2020 + i}, giam {i + 3} diém so "
                    f"voi nam {2010 + i}." for i in range(1, 25))


def test_a_digit_read_for_a_word_is_not_pulled_back_by_the_numbers_of_the_document():
    # "6" for "ở": the document cache pooled every number of the text as one word.
    text = (_TARGETS + "\nNhiéu truong hop bao luc dudc phat hién 6 mirc chua bi xir ly. "
            "Hoc sinh hoc tap 6 cac truong su pham.")
    out = restore_text(text, "legacy").text
    assert "phát hiện ở mức" in out and "học tập ở các trường" in out
    assert "Chỉ tiêu 6: đạt 16% vào năm 2026" in out      # numbers stay numbers


def test_formulas_and_codes_in_capitals_stay_as_written():
    text = ("Ham luong NH4 va NO2 trong nudc ao nudi tom dudc quan trac hang thang; khi CO2 "
            "tang cao phai bao cao.")
    out = restore_text(text, "legacy").text
    assert "NH4 và NO2" in out and "CO2 tăng" in out


def test_an_unmarked_word_the_channel_never_saw_is_read_as_itself():
    # "ngao" (clam): no rendered training page showed the spelling, and the word is rare.
    out = restore_text("Vung nudi ngao tai xa Hoang Phu; mau ngao dugc lay vao thang 6 hang "
                       "nam.", "legacy").text
    assert out.startswith("Vùng nuôi ngao tại xã") and "mẫu ngao được lấy" in out


def test_a_lone_at_sign_between_words_is_read_as_o():
    out = restore_text("Nguoi lao déng di lam viéc @ nwéc ngoai theo hgp déng. Lién hé: "
                       "vanban@tinh.gov.vn hoac so 5 @ 10.", "legacy").text
    assert "làm việc ở nước ngoài" in out
    assert "vanban@tinh.gov.vn" in out and "5 @ 10" in out     # addresses, symbols stay


def test_vowel_sequences_vietnamese_does_not_write_are_no_rhyme():
    from vanban.normalize.vietnamese import has_vietnamese_vowels
    assert has_vietnamese_vowels("người") and has_vietnamese_vowels("khuya")
    assert has_vietnamese_vowels("quyết") and has_vietnamese_vowels("hươu")
    assert not has_vietnamese_vowels("ciia") and not has_vietnamese_vowels("ee")


def test_an_at_sign_between_two_numbers_stays_a_symbol():
    # mid-sentence, with numbers on both sides, "@" is the symbol, never a word ("12 o 34")
    out = restore_text("12 @ 34 . 5", "legacy").text
    assert out == "12 @ 34 . 5"
