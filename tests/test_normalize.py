"""normalize stage: diacritic restoration, legacy encodings, Unicode hygiene, CLI.

Uses only the model shipped in vanban/data (no ../shared)."""

from __future__ import annotations

import json
import lzma
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.cli import main
from vanban.model import Document
from vanban.normalize import (detect_mode, normalize_document, normalize_tone_style,
                              restore_text, set_tone_style, strip_diacritics)
from vanban.normalize.encodings import (convert_legacy_encoding, detect_legacy_encoding,
                                        unicode_to_tcvn3, unicode_to_viqr, unicode_to_vni)
from vanban.normalize.evaluate import syllable_score, word_tokens

# Sentences written for these tests (administrative Vietnamese, not taken from any dev file).
SENTENCES = [
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện công tác phòng chống thiên tai năm 2026.",
    "Các sở, ban, ngành và Ủy ban nhân dân các huyện có trách nhiệm tổ chức triển khai thực hiện.",
    "Giao Sở Tài chính chủ trì, phối hợp với các cơ quan liên quan tham mưu bố trí kinh phí.",
    "Tăng cường công tác tuyên truyền, phổ biến giáo dục pháp luật cho người dân trên địa bàn.",
    "Nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức trong các cơ quan nhà nước.",
    "Định kỳ hằng năm báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh trước ngày 15 tháng 12.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị kịp thời phản ánh.",
    "Đẩy mạnh ứng dụng công nghệ thông tin và chuyển đổi số trong hoạt động của cơ quan.",
]


# A corpus the LM trains on: the sentences above, forty times over.
SENTENCE_DOCS = [{"id": str(i), "source": "t", "title": "", "text": "\n".join(SENTENCES)} for i in range(40)]


def _write_corpus(path: Path, docs) -> Path:
    """Write `docs` as the corpus file format (xz-compressed JSON lines) at `path`."""
    with lzma.open(path, "wt", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path


def _accuracy(hyp: str, gold: str) -> float:
    return syllable_score(hyp, gold).accuracy


# ----------------------------------------------------------------------------- stripped
def test_stripped_round_trip_restores_sentences():
    gold = "\n".join(SENTENCES)
    stripped = strip_diacritics(gold)
    assert stripped != gold
    result = restore_text(stripped, "stripped")
    assert result.text.count("\n") == gold.count("\n")
    assert _accuracy(result.text, gold) >= 0.97
    # The most common phrases come back exactly.
    assert "Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện" in result.text
    assert "cán bộ, công chức, viên chức" in result.text


def test_auto_detects_stripped_and_changes_carry_confidence():
    text = strip_diacritics(SENTENCES[0])
    assert detect_mode(text) == "stripped"
    result = restore_text(text)
    assert result.mode == "stripped"
    assert result.changes
    for ch in result.changes:
        assert 0.0 <= ch.confidence <= 1.0
        assert text[ch.start:ch.end] == ch.original
        assert strip_diacritics(ch.replacement).lower() == ch.original.lower()
        for alt, p in ch.alternatives:
            assert alt != ch.replacement and 0.0 <= p <= 1.0


def test_all_caps_heading_and_title_case():
    assert restore_text("I. MUC DICH, YEU CAU", "stripped").text == "I. MỤC ĐÍCH, YÊU CẦU"
    assert restore_text("II. TO CHUC THUC HIEN", "stripped").text == "II. TỔ CHỨC THỰC HIỆN"
    out = restore_text("Uy ban nhan dan tinh Son La", "stripped").text
    assert out == "Ủy ban nhân dân tỉnh Sơn La"


def test_codes_and_numbers_are_kept_and_qd_gets_its_d():
    text = ("Can cu Quyet dinh so 208/QD-TTg ngay 27/01/2014 va Chi thi so 11-CT/TW, "
            "Thong tu so 12/2020/TT-BGDDT; tong kinh phi 1.250.000.000 dong (2,5%).")
    out = restore_text(text, "stripped").text
    assert "208/QĐ-TTg" in out
    assert "11-CT/TW" in out
    assert "27/01/2014" in out and "1.250.000.000" in out and "(2,5%)" in out
    assert "TT-BGDĐT" in out
    assert out.startswith("Căn cứ Quyết định số")


def test_abbreviations_in_codes_gain_no_letters_in_legacy_mode():
    """An abbreviation stands for its own letters: no edit may turn "CTPH" into "CTVPH"."""
    text = "Thue hién Chwong trinh phdi hop céng tac sé 122/CTPH-BVHTTDL ngay 15/01/2016"
    out = restore_text(text, "legacy").text
    assert "122/CTPH-BVHTTDL" in out
    assert out.startswith("Thực hiện Chương trình phối hợp công tác số")


def test_unknown_tokens_are_never_invented():
    text = "Lien he email abc.xyz@example.com hoac website www.example.org, ma QR9X7."
    out = restore_text(text, "stripped").text
    for kept in ("abc", "xyz", "example", "com", "www", "org", "QR9X7"):
        assert kept in out
    assert out.startswith("Liên hệ email")


def test_mixed_scripts_are_untouched():
    text = "Hop tac voi 中国 va Россия trong linh vuc AI 🚀 (Artificial Intelligence)."
    out = restore_text(text, "stripped").text
    for kept in ("中国", "Россия", "🚀", "AI", "(Artificial"):
        assert kept in out
    assert out.startswith("Hợp tác với")


def test_empty_and_whitespace_input():
    assert restore_text("").text == ""
    assert restore_text("   \n\n  ").text == "   \n\n  "
    assert restore_text("", "legacy").changes == []


def test_huge_input_keeps_every_line():
    lines = [strip_diacritics(SENTENCES[i % len(SENTENCES)]) for i in range(3000)]
    text = "\n".join(lines)
    result = restore_text(text, "stripped", with_confidence=False)
    out_lines = result.text.split("\n")
    assert len(out_lines) == len(lines)
    assert out_lines[0] == SENTENCES[0] or _accuracy(out_lines[0], SENTENCES[0]) > 0.9
    assert _accuracy(result.text, "\n".join(SENTENCES[i % len(SENTENCES)] for i in range(3000))) > 0.97


def test_line_structure_and_spacing_kept():
    text = "  Dieu 1.  Pham vi dieu chinh\n\n\tDieu 2. Doi tuong ap dung  \n\fTrang 2"
    out = restore_text(text, "stripped").text
    assert strip_diacritics(out) == text
    assert out.split("\n")[0].startswith("  Điều 1.  Phạm vi điều chỉnh")


# ----------------------------------------------------------------------------- ocr mode
def test_correct_text_is_left_alone():
    text = "\n".join(SENTENCES)
    assert detect_mode(text) == "ocr"
    result = restore_text(text)
    changed = len(result.changes) / len(word_tokens(text))
    assert changed <= 0.02
    assert restore_text(text, "ocr").text.count("\n") == text.count("\n")


def test_ocr_mode_fixes_an_impossible_mark():
    # "thưc" and "hiên" are not Vietnamese syllables; the rest is right.
    out = restore_text("Ủy ban nhân dân tỉnh tổ chức thưc hiên Kế hoạch này.", "ocr").text
    assert out == "Ủy ban nhân dân tỉnh tổ chức thực hiện Kế hoạch này."


# ----------------------------------------------------------------------------- legacy OCR
def test_legacy_english_ocr_is_restored():
    text = ("Thue hién Pé an “Pay manh cac hoat dong hoc tap sudt doi trong cac\n"
            "Thu vién, Bao tang, Nha van hoa\n"
            "Can ctr Quyét dinh sé 208/QD- TTg ngay 27/01/2014 cia Thu tuéng Chinh phu")
    gold = ("Thực hiện Đề án “Đẩy mạnh các hoạt động học tập suốt đời trong các\n"
            "Thư viện, Bảo tàng, Nhà văn hóa\n"
            "Căn cứ Quyết định số 208/QĐ- TTg ngày 27/01/2014 của Thủ tướng Chính phủ")
    assert detect_mode(text) == "legacy"
    out = restore_text(text).text
    assert out.count("\n") == 2
    assert _accuracy(out, gold) >= 0.85
    assert "Quyết định" in out and "27/01/2014" in out and "Chính phủ" in out


# ----------------------------------------------------------------------------- encodings
ENC_TEXT = ("Việt Nam: Ủy ban nhân dân tỉnh Sơn La ban hành Kế hoạch thực hiện Đề án đẩy mạnh "
            "học tập suốt đời. Người dân đồng ý, ưu tiên phát triển kinh tế - xã hội.")


@pytest.mark.parametrize("name,encode", [("tcvn3", unicode_to_tcvn3), ("vni", unicode_to_vni),
                                         ("viqr", unicode_to_viqr)])
def test_legacy_encodings_round_trip(name, encode):
    encoded = encode(ENC_TEXT)
    assert encoded != ENC_TEXT
    assert detect_legacy_encoding(encoded) == name
    converted, enc = convert_legacy_encoding(encoded)
    assert enc == name
    assert converted == ENC_TEXT
    result = restore_text(encoded)
    assert result.encoding == name
    assert result.text == ENC_TEXT


def test_tcvn3_bytes_read_as_latin1_and_all_caps():
    raw = unicode_to_tcvn3("KẾ HOẠCH THỰC HIỆN").encode("latin-1").decode("latin-1")
    converted, enc = convert_legacy_encoding(raw + " " + unicode_to_tcvn3(ENC_TEXT))
    assert enc == "tcvn3"
    assert converted.startswith("KẾ HOẠCH THỰC HIỆN")


def test_unicode_text_is_not_taken_for_a_legacy_encoding():
    assert detect_legacy_encoding(ENC_TEXT) is None
    assert detect_legacy_encoding("Café à la crème, naïve façade.") is None


# ----------------------------------------------------------------------------- hygiene
def test_nfc_and_zero_width_junk():
    decomposed = unicodedata.normalize("NFD", "Việt Nam")
    out = restore_text("Vi\u200bệt\u00ad Nam " + decomposed, "ocr").text
    assert out == "Việt Nam Việt Nam"
    assert unicodedata.is_normalized("NFC", out)


def test_tone_placement_styles():
    assert set_tone_style("hoà", "old") == "hòa"
    assert set_tone_style("hòa", "new") == "hoà"
    assert set_tone_style("thủy", "new") == "thuỷ"
    assert set_tone_style("Quý", "new") == "Quý"       # qu: the u is not a vowel here
    assert set_tone_style("người", "new") == "người"
    assert set_tone_style("hoàng", "new") == "hoàng"   # closed syllable: same in both styles
    assert normalize_tone_style("Hoà bình, thuỷ lợi", "old") == "Hòa bình, thủy lợi"
    assert normalize_tone_style("Café, naïve", "new") == "Café, naïve"   # foreign words stay
    assert restore_text("Hoa binh va thuy loi", "stripped", tone_style="new").text.startswith("Hoà bình")


# ----------------------------------------------------------------------------- document
def test_normalize_document_keeps_structure_and_raw():
    doc = Document.from_text("KE HOACH\nThuc hien cong tac phong chong thien tai\n\fTrang 2")
    before = [[w.text for w in ln.words] for p in doc.pages for b in p.blocks for ln in b.lines]
    normalize_document(doc, mode="stripped")
    after = [[w.text for w in ln.words] for p in doc.pages for b in p.blocks for ln in b.lines]
    assert [len(x) for x in before] == [len(x) for x in after]
    assert after[0] == ["KẾ", "HOẠCH"]
    words = doc.pages[0].blocks[0].lines[1].words
    assert words[0].text == "Thực" and words[0].raw == "Thuc"
    assert doc.meta["normalize"]["mode"] == "stripped"
    assert len(doc.pages) == 2


def test_normalize_document_converts_a_tcvn3_text_file():
    doc = Document.from_text(unicode_to_tcvn3(ENC_TEXT) + "\n" + unicode_to_tcvn3(SENTENCES[1]))
    normalize_document(doc)
    lines = doc.pages[0].blocks[0].lines
    assert lines[0].text == ENC_TEXT
    assert lines[1].text == SENTENCES[1]
    assert all(w.raw is not None for w in lines[0].words if w.text != w.raw and w.raw)


# ----------------------------------------------------------------------------- CLI
def test_cli_restore_text_and_json(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["restore", "-"], input="Thuc hien De an\nMUC DICH\n")
    assert res.exit_code == 0, res.output
    assert res.output == "Thực hiện Đề án\nMỤC ĐÍCH\n"
    src = tmp_path / "in.txt"
    src.write_bytes(unicode_to_tcvn3(ENC_TEXT).encode("latin-1"))
    res = runner.invoke(main, ["restore", str(src), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["text"] == ENC_TEXT and data["encoding"] == "tcvn3"
    res = runner.invoke(main, ["restore", str(tmp_path / "missing.txt")])
    assert res.exit_code != 0


def test_train_lm_command_builds_a_loadable_model(tmp_path):
    corpus = _write_corpus(tmp_path / "c.jsonl.xz", SENTENCE_DOCS)
    res = CliRunner().invoke(main, ["train-lm", "--corpus", str(corpus), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    from vanban.normalize import Restorer
    from vanban.normalize.lm import NgramLM
    lm = NgramLM.load(tmp_path / "vi_syllable_lm.npz")
    restorer = Restorer(lm)
    out = restorer.restore(strip_diacritics(SENTENCES[2]), "stripped").text
    assert out == SENTENCES[2]
    # The word lists are trained on and stored with the model: a place name the corpus
    # never wrote is in the vocabulary, and the pair tables cover the model's own ids.
    assert "hoằng" in lm.index and lm.lexicon is not None
    key = lm.index["hoằng"] << 16 | lm.index["đạt"]
    assert key in set(lm.lexicon["lex_name_pairs"].tolist())


def test_cli_evaluate_restore_on_a_small_shared_tree(tmp_path):
    plans = tmp_path / "dev" / "plans"
    plans.mkdir(parents=True)
    (plans / "a.txt").write_text("\n".join(SENTENCES[:4]), encoding="utf-8")
    legacy = tmp_path / "dev" / "legacy"
    legacy.mkdir()
    (legacy / "a.gold.txt").write_text("Thực hiện Đề án của Bộ Chính trị\n", encoding="utf-8")
    (legacy / "a.clean.eng.txt").write_text("Thuc hién Dé an cua B6 Chinh tri\n", encoding="utf-8")
    (legacy / "a.degraded.eng.txt").write_text("Thuc hién Pé an ctia B6 Chinh tri\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["evaluate", "restore", "--shared", str(tmp_path), "--set",
                                    "stripped", "--set", "legacy", "--set", "unchanged",
                                    "--no-pyvi", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output[res.output.index("["):])
    by = {(r["set"], r["system"]): r for r in rows}
    assert by[("stripped plans", "vanban stripped")]["accuracy"] >= 95.0
    assert by[("legacy clean", "vanban legacy")]["accuracy"] > by[("legacy clean", "input as is")]["accuracy"]


# ----------------------------------------------------------------------------- document cache
def test_document_cache_pulls_a_weak_slot_towards_the_documents_choice():
    from vanban.normalize.decoder import Segment, Slot
    from vanban.normalize.restorer import Restorer

    # Ids: 10 "huyện", 20/21 two readings of one skeleton, 30 "hóa". The document chose 21
    # next to the same neighbours three times; the last slot's first pass chose 20.
    def slot(ids):
        return Slot(list(ids), [0.0] * len(ids), [str(i) for i in ids])

    segments = [Segment([slot([10]), slot([20, 21]), slot([30])]) for _ in range(4)]
    chosen = [[0, 1, 0], [0, 1, 0], [0, 1, 0], [0, 0, 0]]
    flagged = Restorer._apply_document_cache(segments, chosen)
    assert flagged == [(3, 1)]
    last = segments[3].slots[1].costs
    assert last[1] < last[0]          # the document's reading is now cheaper
    first = segments[0].slots[1].costs
    assert first[1] < first[0]        # and it stays the cheaper one where it was chosen
    # Slots with one candidate are left alone.
    assert segments[0].slots[0].costs == [0.0]


def test_document_cache_keeps_a_repeated_phrase_consistent():
    text = strip_diacritics("\n".join(SENTENCES * 3))
    out = restore_text(text, "stripped", with_confidence=False).text
    assert out.count("\n") == text.count("\n")
    assert _accuracy(out, "\n".join(SENTENCES * 3)) >= 0.97


def test_list_markers_follow_the_vietnamese_alphabet():
    text = "c) Lap ke hoach;\nd) To chuc thuc hien;\nd) Bao cao ket qua;\ne) Tong ket."
    out = restore_text(text, "stripped").text.split("\n")
    assert out[1].startswith("d) ")
    assert out[2].startswith("đ) ")
    assert out[3].startswith("e) ")


def test_a_lone_capital_opening_a_sentence_is_restored():
    out = restore_text("O cap tinh, Uy ban nhan dan tinh chi dao.", "stripped").text
    assert out.startswith("Ở cấp tỉnh")
    # Initials and labels stay as written.
    assert restore_text("Nhom A va nhom B.", "stripped").text == "Nhóm A và nhóm B."


# ----------------------------------------------------------------------------- LM training data
def test_unmarked_paragraphs_are_told_from_foreign_ones():
    from vanban.normalize.training import looks_unmarked
    assert looks_unmarked("Quyet dinh mo Phien dieu tran.doc")
    assert looks_unmarked(strip_diacritics(SENTENCES[1]))
    assert not looks_unmarked(SENTENCES[1])
    assert not looks_unmarked("National technical regulation on environmental treatment products")
    assert not looks_unmarked("Mau so 02")          # too short to judge


def test_holdout_slice_is_deterministic_and_left_out_of_training(tmp_path):
    from vanban.normalize.training import holdout_documents, is_holdout_document, iter_corpus_paragraphs
    docs = [{"id": f"doc-{i:04d}", "source": "tvpl", "title": "",
             "text": f"Văn bản số {i}.\n" + "\n".join(SENTENCES * 8)} for i in range(60)]
    held = [d["id"] for d in docs if is_holdout_document(d)]
    assert 0 < len(held) < 20
    assert held == [d["id"] for d in docs if is_holdout_document(dict(d))]
    assert not is_holdout_document({**docs[0], "source": "phapdien"})
    corpus = _write_corpus(tmp_path / "c.jsonl.xz", docs)
    got = holdout_documents(corpus, exclude_ids=set())
    assert [i for i, _ in got] == held
    assert all(len(t) <= 8000 for _, t in got)
    trained = {p for p in iter_corpus_paragraphs(corpus) if p.startswith("Văn bản số")}
    assert len(trained) == len(docs) - len(held)


def test_inner_capitals_of_a_syllable_are_an_ocr_case_slip():
    running = restore_text("vé viéc thuc hién cOng tac CAn thiét theo 208/QD-TTg", "legacy").text
    assert "công tác Cần thiết" in running
    assert "208/QĐ-TTg" in running  # a code keeps its mixed case
    heading = restore_text("THUC HIEN CHi THI SO 27/CT-TTG NGAY 15 THANG 8", "legacy").text
    assert heading.startswith("THỰC HIỆN CHỈ THỊ SỐ")
    dated = restore_text("S6: 165/KH-UBND CGn Tho, ngay 21 thang 11 nam 2025", "legacy").text
    assert "Cần Thơ, ngày 21" in dated  # an acronym beside it is no caps run


# ----------------------------------------------------------------------------- lexicon
def test_dictionary_words_the_corpus_lacks_are_restored():
    # "sôi nổi", "khơi dậy", "bứt phá": rare in the legal corpus, common in plans.
    gold = "Phong trào thi đua sôi nổi, khơi dậy tinh thần đoàn kết, quyết tâm bứt phá."
    assert restore_text(strip_diacritics(gold), "stripped").text == gold


def test_place_names_follow_the_documents_province():
    # "Kim Thanh" is a commune of Ninh Bình, "Kim Thành" a district of Hải Dương: the same
    # letters restore to the name of the province the document is about.
    for gold in ("Ủy ban nhân dân tỉnh Ninh Bình giao Ủy ban nhân dân xã Kim Thanh báo cáo.",
                 "Ủy ban nhân dân tỉnh Hải Dương giao Ủy ban nhân dân huyện Kim Thành báo cáo."):
        assert restore_text(strip_diacritics(gold), "stripped").text == gold


def test_detect_province_on_text_without_diacritics():
    from vanban.normalize.lexicon import detect_province
    provinces = ["Thanh Hóa", "Nghệ An", "Hà Nội"]
    text = "UY BAN NHAN DAN TINH THANH HOA\nSo: 12/KH-UBND Thanh Hoa, ngay 3 thang 4 nam 2025\n" \
           "Giao So Tai chinh tinh Thanh Hoa phoi hop voi tinh Nghe An."
    assert detect_province(text, provinces) == "Thanh Hóa"
    assert detect_province("Ủy ban nhân dân thành phố Hà Nội", provinces) == "Hà Nội"
    assert detect_province("tỉnh Thanh Hóa và tỉnh Nghệ An", provinces) is None     # a tie
    assert detect_province("Bộ Tài chính hướng dẫn", provinces) is None


def test_pair_bonus_words_anywhere_names_only_between_capitals():
    import numpy as np
    from vanban.normalize import lexicon
    from vanban.normalize.lexicon import PairBonus
    # Ids: 1-2 a dictionary word, 3-4 a place name, 5-6 a name of the document's province.
    tables = {"lex_word_pairs": np.array([1 << 16 | 2]), "lex_name_pairs": np.array([3 << 16 | 4]),
              "lex_provinces": np.array("Nghệ An\nThanh Hóa"),
              "lex_local_pairs": np.array([3 << 16 | 4, 5 << 16 | 6]),
              "lex_local_offsets": np.array([0, 0, 2]), "lex_syllables": np.array([1, 2])}
    plain = PairBonus(tables)
    left, right = np.array([1, 3, 5, 2]), np.array([2, 4, 6, 1])
    caps, lower = np.ones(4, bool), np.zeros(4, bool)
    assert plain.bonus(left, right, lower).tolist() == [lexicon.WORD_BONUS, 0, 0, 0]
    assert plain.bonus(left, right, caps).tolist() == [lexicon.WORD_BONUS, lexicon.NAME_BONUS,
                                                        0, 0]
    local = plain.for_text("Ủy ban nhân dân tỉnh Thanh Hóa")
    assert local.province == "Thanh Hóa" and plain.for_text("không tỉnh nào") is plain
    assert local.bonus(left, right, caps).tolist() == [
        lexicon.WORD_BONUS, lexicon.NAME_BONUS + lexicon.LOCAL_NAME_BONUS,
        lexicon.LOCAL_NAME_BONUS, 0]
    assert local.bonus(left, right, lower).tolist() == [lexicon.WORD_BONUS, 0, 0, 0]


def test_shipped_lexicon_lists_are_readable_and_in_the_model():
    from vanban.normalize.training.lexicon import compound_words, names_by_province, place_lines
    from vanban.normalize.restorer import get_restorer
    assert "sôi nổi" in compound_words()
    assert "xã Hoằng Đạt, huyện Hoằng Hóa, tỉnh Thanh Hóa" in place_lines()
    by_province = names_by_province()
    assert len(by_province) == 63 and "Hoằng Đạt" in by_province["Thanh Hóa"]
    lm = get_restorer().lm
    assert lm.lexicon is not None and len(lm.lexicon["lex_word_pairs"]) > 10_000
    assert "hoằng" in lm.index


# ----------------------------------------------------------------------------- general model
# Sentences of general Vietnamese written for these tests (history, culture, sport).
GENERAL_SENTENCES = [
    "Ngôi chùa cổ được xây dựng từ thế kỷ mười một bên bờ sông Hồng.",
    "Đội bóng giành chiến thắng sau hiệp phụ trước hàng nghìn cổ động viên.",
    "Nhà thơ để lại nhiều bài thơ nổi tiếng viết về quê hương và mẹ.",
    "Loài chim này sống thành đàn trong rừng rậm và ăn hạt cây.",
    "Bộ phim kể về tuổi thơ của hai anh em trong một làng chài nghèo.",
]


def test_packed_fingerprint_tables_round_trip(tmp_path):
    import numpy as np

    from vanban.normalize.lm import unpack_keys
    from vanban.normalize.training import pack_keys
    rng = np.random.default_rng(5)
    keys = np.unique(rng.integers(0, 2**32, 5000, dtype=np.uint64).astype(np.uint32))
    keys = np.unique(np.r_[keys, np.uint32(2**32 - 1), np.uint32(0)])   # wide gaps, ends
    np.savez_compressed(tmp_path / "k.npz", **pack_keys(3, keys))
    with np.load(tmp_path / "k.npz") as z:
        assert np.array_equal(unpack_keys(z, 3), keys)


def test_admin_share_follows_the_model_that_explains_the_text():
    import numpy as np

    from vanban.normalize.mixture import admin_share
    admin_text = admin_share(np.full(200, 2.0), np.full(200, 6.0))
    general_text = admin_share(np.full(200, 7.0), np.full(200, 3.0))
    half = admin_share(np.r_[np.full(100, 2.0), np.full(100, 9.0)],
                       np.r_[np.full(100, 9.0), np.full(100, 2.0)])
    assert admin_text > 0.95 and general_text < 0.1 and 0.4 < half < 0.6
    assert admin_share(np.zeros(0), np.zeros(0)) == 1.0


def test_general_holdout_blocks_are_deterministic_and_left_out(tmp_path):
    from vanban.normalize.training import (general_holdout_documents, is_general_holdout_block,
                                           iter_general_paragraphs)
    from vanban.normalize.training.holdout import GENERAL_BLOCK_LINES
    lines = [f"Dòng {i} của bài viết về lịch sử và văn hóa." for i in range(GENERAL_BLOCK_LINES * 300)]
    path = tmp_path / "g.txt.xz"
    with lzma.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    held = [b for b in range(300) if is_general_holdout_block(b)]
    assert 0 < len(held) < 20
    trained = {p for p in iter_general_paragraphs(path)}
    assert len(trained) == len(lines) - GENERAL_BLOCK_LINES * len(held)
    docs = general_holdout_documents(path)
    assert [d for d, _ in docs] == [f"general-block-{b}" for b in held]
    assert not any(p in trained for _, text in docs for p in text.split("\n"))


def test_train_lm_builds_a_general_model_mixed_in_for_general_text(tmp_path):
    corpus = _write_corpus(tmp_path / "c.jsonl.xz", SENTENCE_DOCS)
    general = tmp_path / "general.txt"
    general.write_text("\n".join(GENERAL_SENTENCES * 40) + "\n", encoding="utf-8")
    out = tmp_path / "models"
    res = CliRunner().invoke(main, ["train-lm", "--corpus", str(corpus), "--out", str(out),
                                    "--general", str(general)])
    assert res.exit_code == 0, res.output
    from vanban.normalize.restorer import get_restorer
    restorer = get_restorer(out / "vi_syllable_lm.npz", out / "vi_general_lm.npz")
    assert restorer.mixed is not None
    # Administrative text stays with the administrative model; general text is decoded by
    # the mixture, which knows its words.
    for gold in (SENTENCES[2], " ".join(GENERAL_SENTENCES[1:4])):
        assert restorer.restore(strip_diacritics(gold), "stripped").text == gold
    admin = restorer.restore(strip_diacritics(" ".join(SENTENCES[3:6])), "stripped")
    assert admin.admin_share >= 0.5 and admin.text == " ".join(SENTENCES[3:6])
    general_doc = restorer.restore(strip_diacritics(" ".join(GENERAL_SENTENCES)), "stripped")
    assert general_doc.admin_share < 0.5 and general_doc.text == " ".join(GENERAL_SENTENCES)
