"""extract, issue 13 round 6: failure classes (signer blocks, titles, ...) each shown on a small
made-up text of the same shape (not the evaluation texts)."""

from __future__ import annotations

import pytest

from vanban.extract.header import parse_signature
from tests.support.records import valid_record


def _letter(closing: str, after: str = "") -> str:
    return (
        "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 41/UBND-KT\nAn Bình, ngày 03 tháng 3 năm 2025\n"
        "V/v rà soát hồ sơ đất đai tồn đọng\n"
        "Kính gửi: Các sở, ban, ngành thuộc tỉnh.\n"
        "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành thực hiện các nội dung sau:\n"
        "1. Rà soát hồ sơ đất đai tồn đọng trên địa bàn, báo cáo trước ngày 30/3/2025.\n"
        "2. Sở Tài chính tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, KT.\n" + closing + after
    )


# ------------------------------------------------------------- signer blocks
@pytest.mark.parametrize("caps, title", [
    # the signer's own title is the last known title of the block, whatever came before it
    ("K/T GIÁM ĐỐC PHÓ GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("TM. HỘI ĐỒNG NHÂN DÂN CHỦ TỊCH", "CHỦ TỊCH"),
    ("TUQ. CHỦ TỊCH VIỆN TRƯỞNG", "VIỆN TRƯỞNG"),
    ("TL. BỘ TRƯỞNG KT. CỤC TRƯỞNG PHÓ CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),
    ("TM. ỦY BAN NHÂN DÂN BỘ TRƯỞNG", "BỘ TRƯỞNG"),
])
def test_signer_title_is_the_last_title_of_the_block(caps, title):
    assert parse_signature(caps, "Đỗ Minh Tâm")["title"] == title


@pytest.mark.parametrize("flatten", [False, True])
def test_signature_block_as_separate_lines(flatten):
    sig = valid_record(_letter("K/T GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nĐỗ Minh Tâm\n"), flatten).signature
    assert (sig["title"], sig["name"]) == ("PHÓ GIÁM ĐỐC", "Đỗ Minh Tâm")


@pytest.mark.parametrize("block, title", [
    # authority marks and a title's qualifier between two titles keep the block together
    ("TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG PHÓ CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
    ("KT. TRƯỞNG BAN PHÓ TRƯỞNG BAN THƯỜNG TRỰC PHÓ GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
])
def test_run_on_signature_block_with_marks_between_titles(block, title):
    sig = valid_record(_letter(block + " Đỗ Minh Tâm"), flatten=True).signature
    assert (sig["title"], sig["name"]) == (title, "Đỗ Minh Tâm")


@pytest.mark.parametrize("after, name", [
    # a sentence opening after the name ("Công văn số …") is no part of it
    (" Công văn số 12/UBND-KT ngày 01/02/2025 của Ủy ban nhân dân tỉnh.", "Đỗ Minh Tâm"),
    # a footnote's lower-case text after a three-word name leaves the name whole
    (" trong đó: 5 hồ sơ đã giải quyết.", "Đỗ Minh Tâm"),
    # a list of places after the name: the first place is no part of it
    (" Sơn La, Lào Cai, Yên Bái.", "Đỗ Minh Tâm"),
])
def test_run_on_signer_name_ends_before_what_follows(after, name):
    sig = valid_record(_letter("KT. CHỦ TỊCH PHÓ CHỦ TỊCH Đỗ Minh Tâm", after), flatten=True).signature
    assert (sig["title"], sig["name"]) == ("PHÓ CHỦ TỊCH", name)
