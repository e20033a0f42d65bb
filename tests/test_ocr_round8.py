"""Issue 12, round 8: stamps near a letterhead (OCR lines made at test time; each test fails on
the code before this round)."""

from __future__ import annotations

import pytest

from tests.support.ocr_lines import GARBLED_STAMP, HEIGHT, WIDTH
from tests.support.ocr_lines import line as _line
from vanban.model import Word
from vanban.ocr import stamps


_FULL = "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành và địa phương phối hợp triển khai thực hiện"




def _stamp_line(i: int, x: int, y: int) -> list[Word]:
    text, confs = GARBLED_STAMP[i]
    return [Word(w.text, w.bbox, c) for w, c in zip(_line(text, x, y), confs, strict=True)]


def _letterhead(y: int) -> dict:
    return {("h", 0): _line("ỦY BAN NHÂN DÂN", 200, y),
            ("h", 1): _line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1150, y),
            ("h", 2): _line("Độc lập - Tự do - Hạnh phúc", 1300, y + 56)}


@pytest.mark.parametrize("text", ["Thời gian: 20/11/2025 14:30", "Email: vanthu@tinhx.gov.vn",
                                  "Ngày: 20/11/2025"])
def test_a_body_line_above_an_appendixs_letterhead_on_a_later_page_stays(text):
    # A later page: the body ends with a short line (a paragraph's space around it), then an
    # appendix opens with its own letterhead in the page's top half. The letterhead is not the
    # page's header: the page's text begins above it, so nothing above it is a stamp for that.
    lines = {("b", i): _line(_FULL, 240, 300 + 56 * i) for i in range(10)}
    lines[("x", 0)] = _line(text, 240, 300 + 56 * 10 + 40)
    lines.update(_letterhead(1250))
    lines.update({("p", i): _line(_FULL, 240, 1500 + 56 * i) for i in range(8)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found
    assert [w.text for w in kept[("x", 0)]] == text.split()


def test_a_first_pages_stamp_above_its_letterhead_is_still_taken_out():
    # The same letterhead with nothing above it but a garbled signing stamp: the page's header.
    lines = {("s", i): _stamp_line(i, 1400, 60 + 50 * i) for i in range(len(GARBLED_STAMP))}
    lines.update(_letterhead(420))
    lines.update({("b", i): _line(_FULL, 240, 900 + 56 * i) for i in range(12)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["signature-text"]
    assert set(kept) == {k for k in lines if k[0] != "s"}


@pytest.mark.parametrize("gap", [4, 10, 20])
def test_a_garbled_stamp_just_above_the_motto_is_taken_out(gap):
    # The stamp's last line ``gap`` px above the motto: it stacks on the header from above,
    # which a line of the header itself never does with a stamp's several lines.
    n = len(GARBLED_STAMP)
    bottom = 420 - gap
    lines = {("s", i): _stamp_line(i, 1400, bottom - 40 - 50 * (n - 1 - i)) for i in range(n)}
    lines.update(_letterhead(420))
    lines.update({("b", i): _line(_FULL, 240, 900 + 56 * i) for i in range(12)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["signature-text"]
    assert set(kept) == {k for k in lines if k[0] != "s"}


def test_a_line_of_the_header_above_the_issuer_stays():
    # One weak line stacked right on top of the issuer's name is part of the header block.
    lines = {("e", 0): _line("Email: vpub@tinhx.gov.vn", 200, 0)}
    lines.update(_letterhead(50))
    lines.update({("b", i): _line(_FULL, 240, 900 + 56 * i) for i in range(12)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


# --------------------------------------------------------------- review fixes: what stays, what goes
#: Short blocks of body or header text a document may print right above a letterhead, each with
#: one or two lines matching a weak stamp pattern, in the text's print, read with confidence:
#: a contact block over the issuer, an invitation's particulars ending a page before an
#: appendix, a form's number and date over the motto, a paragraph's last lines.
BLOCKS_ABOVE_A_LETTERHEAD = [
    (["Địa chỉ: 12 Trần Phú, TP. Lai Châu", "Email: vpub@laichau.gov.vn"], 200),
    (["Thời gian: 20/11/2025 14:30", "Địa điểm: Hội trường tầng 3"], 240),
    (["Kính gửi: Sở Nội vụ tỉnh Lai Châu", "Thời gian: 20/11/2025 14:30"], 1400),
    (["Mẫu số 01/TB", "Ngày: 20/11/2025"], 1650),
    (["đề nghị liên hệ: Cơ quan: Sở Nội vụ", "Email: snv@laichau.gov.vn."], 240),
    (["Email: vpub@laichau.gov.vn"], 200),
]


@pytest.mark.parametrize("gap", [10, 30, 60, 120])
@pytest.mark.parametrize("block, x", BLOCKS_ABOVE_A_LETTERHEAD)
def test_a_block_of_text_right_above_a_letterhead_stays(block, x, gap):
    # Its place above the header is all such a block shares with a stamp: it reads as well as
    # the text and is printed as large. (Sitting on the letterhead, 10-30 px above it, the old
    # code took two lines out; 60-120 px above it, even one.)
    lines = {("a", i): _line(t, x, 100 + 56 * i) for i, t in enumerate(block)}
    top = 100 + 56 * (len(block) - 1) + 40 + gap
    lines.update(_letterhead(top))
    lines.update({("b", i): _line(_FULL, 240, top + 400 + 56 * i) for i in range(10)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


@pytest.mark.parametrize("banner, height", [
    ("Trang thông tin điện tử tỉnh Lai Châu - bản sao điện tử từ văn bản giấy", 30),
    ("Bản sao điện tử từ văn bản giấy của Văn phòng Ủy ban nhân dân tỉnh Lai Châu", 40),
])
def test_a_banner_above_a_first_pages_letterhead_leaves_it_the_pages_header(banner, height):
    # A running header or a copy's banner across the top of a first page is no body
    # text ending above an appendix: the letterhead below it is still the page's header, and
    # the stamp above the letterhead still goes.
    lines = {("f", 0): _line(banner, 100, 20, height)}
    lines.update({("s", i): _stamp_line(i, 1400, 120 + 50 * i) for i in range(len(GARBLED_STAMP))})
    lines.update(_letterhead(420))
    lines.update({("b", i): _line(_FULL, 240, 900 + 56 * i) for i in range(12)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["signature-text"]
    assert set(kept) == {k for k in lines if k[0] != "s"}


# ------------------------------------------------------- second review: received stamps, banners
@pytest.mark.parametrize("stamp", [
    ["§v ĐẾN", "Số: 125", "Ngày: 20/11/2025", "Chuyển: Phòng KT"],  # "CV" misread (300 dpi)
    ["Số: 125", "Ngày: 20/11/2025", "Chuyển: Phòng KT"],  # its strong line lost
    ["Ngày: 20/11/2025", "Chuyển: Phòng KT"],
])
def test_a_received_stamp_above_the_header_without_its_strong_line_is_taken_out(stamp):
    # A rubber stamp with typed values reads as well as the text (conf 85 here), so it never
    # reads poorly; two of its received entries above the header say stamp.
    lines = {("s", i): _line(t, 200, 60 + 52 * i) for i, t in enumerate(stamp)}
    lines.update(_letterhead(420))
    lines.update({("b", i): _line(_FULL, 240, 900 + 56 * i) for i in range(12)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["received"]
    assert set(kept) == {k for k in lines if k[0] != "s"}


def _later_page(above: dict, letterhead_y: int) -> dict:
    # A later page: the body's last paragraph ends with ONE full line (at 200 px, in the top
    # margin's reach) and whatever ``above`` holds, then an appendix's letterhead.
    lines = {("w", 0): _line(_FULL, 240, 200)}
    lines.update(above)
    lines.update(_letterhead(letterhead_y))
    lines.update({("x", i): _line(_FULL, 240, 760 + 56 * i) for i in range(10)})
    return lines


def test_a_smudged_tail_line_above_an_appendixs_letterhead_stays():
    tail = [Word(w.text, w.bbox, c) for w, c in
            zip(_line("Email: snv@laichau.gov.vn; ĐT: 0213.3876", 240, 256), (55, 70, 50, 72), strict=True)]
    lines = _later_page({("t", 0): tail}, 360)
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


def test_a_blank_form_right_under_an_appendixs_letterhead_stays():
    form = ["Số: ..........", "Ngày: ..........", "Chuyển: .........."]
    lines = _later_page({("f", i): _line(t, 240, 520 + 56 * i) for i, t in enumerate(form)}, 320)
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


def test_words_without_a_confidence_do_not_count_as_unread():
    # A contact line above the letterhead, every word a syllable read at 70, and three words the
    # engine gave no confidence: they are left out of the mean AND of the unread share, so the
    # line reads as text (counted as unread, they made it read "poorly").
    words = _line("Cơ quan: Sở Nội vụ tỉnh Lai Châu (số 12 Trần Phú)", 200, 100)
    words = [Word(w.text, w.bbox, 70.0 if i < 8 else None) for i, w in enumerate(words)]
    lines = {("a", 0): words}
    lines.update(_letterhead(300))
    lines.update({("b", i): _line(_FULL, 240, 800 + 56 * i) for i in range(10)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)
