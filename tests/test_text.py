"""vanban.text: the Vietnamese-text helpers every stage shares (tone style, casing), and the
layering that keeps them below the stages."""

from __future__ import annotations

import subprocess
import sys

from vanban.text import (apply_case, case_in_context, case_pattern, clean_unicode, fix_uy,
                         normalize_tone_style, repair_ocr_case, set_tone_style, strip_diacritics)


def test_tone_style_moves_only_open_oa_oe_uy():
    assert normalize_tone_style("Thanh Hoà, thuỷ sản, quý, hoè", "old") == \
        "Thanh Hòa, thủy sản, quý, hòe"
    assert normalize_tone_style("Thanh Hòa, thủy sản, quý, hòe", "new") == \
        "Thanh Hoà, thuỷ sản, quý, hoè"
    assert set_tone_style("hoàn", "new") == "hoàn"          # closed syllable: one place only
    assert set_tone_style("HOÀ", "old") == "HÒA"


def test_fix_uy_rewrites_well_formed_pairs_and_leaves_garbled_words():
    assert fix_uy("Uỷ ban tỉnh Thanh Hoá, thuỷ sản, quý") == "Ủy ban tỉnh Thanh Hóa, thủy sản, quý"
    # A word with two tone marks (an OCR slip) is left as read; the per-syllable style
    # keeps one mark only.
    assert fix_uy("hòá") == "hòá"
    assert normalize_tone_style("hòá", "old") == "hóa"


def test_casing_patterns_and_ocr_case_slips():
    assert [case_pattern(w) for w in ("UBND", "Hà", "hà", "TTg", "Đ")] == \
        ["upper", "title", "lower", "mixed", "title"]
    assert apply_case("qđ", "upper") == "QĐ" and apply_case("ttg", "mixed", "TTg") == "TTg"
    # a mixed-case syllable is an OCR slip: upper in a heading, else its first letter's case
    assert case_in_context("công", "cÔng", ["về", "tác"]) == "lower"
    assert case_in_context("công", "CÔng", ["KẾ", "HOẠCH"]) == "upper"
    assert case_in_context("công", "CÔng", ["UBND"]) == "title"      # an acronym is no heading
    assert case_in_context("ttg", "TTg", ["QĐ"]) == "mixed"         # not a syllable: kept
    assert repair_ocr_case("báo cáo về SỞ Nông nghiệp, công tác dân sỐ") == \
        "báo cáo về Sở Nông nghiệp, công tác dân số"


def test_strip_and_clean_unicode():
    assert strip_diacritics("Đề án Thư viện") == "De an Thu vien"
    assert clean_unicode("Vie\u0323\u0302t\u00a0Nam\u200b") == "Việt Nam"


def test_stages_below_normalize_do_not_load_it_and_its_runtime_not_its_trainer():
    code = ("import sys, vanban.text, vanban.ocr, vanban.extract\n"
            "assert not [m for m in sys.modules if m.startswith('vanban.normalize')], 'normalize'\n"
            "import vanban.normalize\n"
            "vanban.normalize.restore_text('Thuc hien')\n"
            "assert 'vanban.normalize.training' not in sys.modules, 'training'\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
