"""Searchable PDF, round 6: poppler's default reading order of the header columns.

Pages as vanban reads them (300 dpi), words placed by hand (no OCR), written by ``make_pdf``
over a blank page image made here, read back with ``pdftotext`` (poppler's layout analysis).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from vanban.pdfa import PdfOptions, make_pdf

#: The two header columns of a directive: the issuer with the number far under it, the
#: national motto with the place and date on the number's row.
LEFT = ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: 11/CT-UBND"]
RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "Quảng Ngãi, ngày 11 tháng 9 năm 2024"]


def _pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def _line(text: str, x: int, top: int, height: int, char_width: int = 21):
    from vanban.model import Line, Word
    words, left = [], x
    for token in text.split():
        width = char_width * len(token)
        words.append(Word(token, (left, top, left + width, top + height), 90.0))
        left += width + 17
    return Line(words=words, bbox=(x, top, left - 17, top + height))


def _header_page(right_x: int):
    """Both header columns as two vanban blocks; line tops, ink heights and gaps as Tesseract
    reports them on a real Chỉ thị (the number three line pitches under the issuer)."""
    from vanban.model import Block, Page
    left = [_line(t, 431, top, h, 19) for t, top, h in zip(LEFT, (330, 395, 512), (56, 63, 68))]
    right = [_line(t, right_x, top, h, 18)
             for t, top, h in zip(RIGHT, (339, 415, 530), (69, 63, 63))]
    right_end = max(line.bbox[2] for line in right)
    blocks = [Block(lines=left, bbox=(431, 330, 931, 580), role="header_left"),
              Block(lines=right, bbox=(right_x, 339, right_end, 593), role="header_right")]
    return Page(number=1, blocks=blocks, width=2480 if right_end < 2480 else right_end + 100,
                height=3508, dpi=300.0)


def _write(tmp_path: Path, page) -> Path:
    from PIL import Image

    from vanban.model import Document
    from vanban.pipeline import PipelineResult
    scan_png = tmp_path / "header.png"
    Image.new("L", (page.width, page.height), 255).save(scan_png, dpi=(300, 300))
    out = tmp_path / "header.pdf"
    make_pdf(scan_png, out, PdfOptions(jobs=1),
             result=PipelineResult(document=Document(source=str(scan_png), pages=[page]),
                                   record=None, timings={}))
    return out


def test_header_columns_read_column_by_column(tmp_path):
    """The number lies three line pitches under the issuer: with each line's font sized by
    the usual pitch only, poppler made it a block of its own, saw the two columns' four
    blocks as a 2 x 2 table and read the header row by row (issuer, motto, number, date).
    Every gap of a block is now within poppler's reach (baselines 1.5 font sizes apart),
    so each column is one block, read whole."""
    out = _write(tmp_path, _header_page(right_x=1073))
    text = " ".join(_pdftotext(out).split())
    assert " ".join(LEFT + RIGHT) in text, text
    assert " ".join(_pdftotext(out, "-raw").split()) == " ".join(LEFT + RIGHT)


def test_close_header_columns_are_not_glued_into_rows(tmp_path):
    """Columns 54 px apart (as on a Sở letter): a font grown to reach the number would be
    wider than the gap, and poppler pulls words that start within one font size of a block
    into it ("... NHÂN DÂN CỘNG HÒA ..."). The growth stops under the gap."""
    page = _header_page(right_x=785)
    out = _write(tmp_path, page)
    text = " ".join(_pdftotext(out).split())
    assert "NHÂN DÂN CỘNG" not in text and "NGÃI Độc" not in text, text
    for column in (LEFT, RIGHT):
        assert " ".join(column[:2]) in text, text
    # search still finds every line, and the layer's own order is vanban's
    assert " ".join(_pdftotext(out, "-raw").split()) == " ".join(LEFT + RIGHT)


def test_words_of_grown_lines_stay_on_their_boxes(tmp_path):
    """Growing the header's line height keeps each line's vertical centre: every word's box
    in pdftotext -bbox has its centre inside vanban's box for that word."""
    import re
    page = _header_page(right_x=1073)
    out = _write(tmp_path, page)
    html = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    boxes = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html)]
    expected: dict[str, list] = {}
    for block in page.blocks:
        for line in block.lines:
            for word in line.words:
                expected.setdefault(word.text, []).append(word.bbox)
    assert len(boxes) == sum(map(len, expected.values()))
    scale = 72 / 300
    for x0, y0, x1, y1, text in boxes:
        cx, cy = (x0 + x1) / 2 / scale, (y0 + y1) / 2 / scale
        candidates = expected[text]
        assert any(bx0 <= cx <= bx1 and by0 <= cy <= by1
                   for bx0, by0, bx1, by1 in candidates), (text, cx, cy, candidates)


def test_font_share_matches_ocrmypdfs_font():
    """The line height -> font size share used for poppler's thresholds is the renderer's."""
    from ocrmypdf.font.font_provider import BuiltinFontProvider

    from vanban import ocrmypdf_plugin
    font = BuiltinFontProvider().get_font("NotoSans-Regular")
    ascent, descent, _upem = font.get_font_metrics()
    assert ocrmypdf_plugin.FONT_SHARE_OF_LINE == pytest.approx(
        ascent / (ascent + abs(descent)), abs=0.005)
