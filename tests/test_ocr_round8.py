"""Issue 12, round 8: stamps near a letterhead (OCR lines made at test time; each test fails on
the code before this round)."""

from __future__ import annotations

import pytest

from vanban.model import Word
from vanban.ocr import stamps

WIDTH, HEIGHT = 2480, 3508  # an A4 page at 300 dpi

_FULL = "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành và địa phương phối hợp triển khai thực hiện"


def _line(text: str, x: int, y: int, height: int = 40, conf: float = 85.0) -> list[Word]:
    """One OCR line of ``text`` at (x, y): words of ``height`` px, letters ~0.55 of it wide."""
    out, step = [], max(1, int(0.55 * height))
    for word in text.split():
        out.append(Word(word, (x, y, x + step * len(word), y + height), conf))
        x += step * (len(word) + 1)
    return out


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
    stamp = ["'TRƯNG TÂM CÔNG BẢO.", "VÀ TIN HỌC", "bth@tinhxgov.vn", "ù 012035 dỗ:17:04 101:00"]
    lines = {("s", i): _line(t, 1400, 60 + 50 * i) for i, t in enumerate(stamp)}
    lines.update(_letterhead(420))
    lines.update({("b", i): _line(_FULL, 240, 900 + 56 * i) for i in range(12)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["signature-text"]
    assert set(kept) == {k for k in lines if k[0] != "s"}


@pytest.mark.parametrize("gap", [4, 10, 20])
def test_a_garbled_stamp_just_above_the_motto_is_taken_out(gap):
    # The stamp's last line ``gap`` px above the motto: it stacks on the header from above,
    # which a line of the header itself never does with a stamp's several lines.
    stamp = ["'TRƯNG TÂM CÔNG BẢO.", "VÀ TIN HỌC", "bth@tinhxgov.vn", "ù 012035 dỗ:17:04 101:00"]
    bottom = 420 - gap
    lines = {("s", i): _line(t, 1400, bottom - 40 - 50 * (len(stamp) - 1 - i)) for i, t in enumerate(stamp)}
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
