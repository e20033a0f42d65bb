"""E-signed born-digital PDFs: the number and the date drawn inside signature-widget appearances
belong to the page's text layer, in their place (as poppler shows them).

The PDF is made here: a page whose own text says "Số:      /KH-UBND" and "Hà Nội, ngày   tháng
năm 2026" (pdfium text objects with an embedded Liberation font), and signature widgets (pikepdf)
whose appearance streams draw "173" and "28" / "4" into those blanks, as the signing software does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from PIL import ImageFont

from vanban.cli import main
from vanban.ocr import OcrOptions, ocr_file
from tests.support.pdf_text import TextPdf
from tests.support.synth import font_path

PAGE_W, PAGE_H = 595, 842


def _text_pdf(path: Path, items: list[tuple[float, float, float, str]]) -> None:
    """One A4 page with real text: items (x pt, y pt from the top, size pt, text)."""
    pdf = TextPdf(PAGE_W, PAGE_H)
    for x, y, size, text in items:
        pdf.text(x, y, size, text)
    pdf.save(path)


BODY = [
    (60, 70, 12, "ỦY BAN NHÂN DÂN"), (330, 70, 12, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (70, 86, 12, "THÀNH PHỐ HÀ NỘI"), (365, 86, 12, "Độc lập - Tự do - Hạnh phúc"),
    (62, 120, 12, "Số:            /KH-UBND"), None,
    (270, 170, 13, "KẾ HOẠCH"),
    (150, 188, 12, "Triển khai công tác chuyển đổi số năm 2026"),
    (70, 230, 12, "I. MỤC ĐÍCH, YÊU CẦU"),
    (70, 250, 12, "1. Mục đích"),
    (70, 270, 12, "- Nâng cao hiệu quả quản lý nhà nước trên môi trường số."),
    (70, 290, 12, "2. Yêu cầu"),
    (70, 310, 12, "- Bảo đảm tiến độ và chất lượng các nhiệm vụ được giao."),
    (70, 340, 12, "II. NHIỆM VỤ"),
    (70, 360, 12, "1. Xây dựng cơ sở dữ liệu văn bản của Thành phố."),
    (70, 380, 12, "Cơ quan chủ trì: Sở Khoa học và Công nghệ."),
]
DATE_X, DATE_LINE = 320, "Hà Nội, ngày          tháng          năm 2026"
BODY[5] = (DATE_X, 120, 12, DATE_LINE)


def _x_after(prefix: str, x0: float = DATE_X) -> float:
    """Where ``prefix`` of the date line ends (PDF points), from the font's advance widths."""
    return x0 + ImageFont.truetype(str(font_path()), 12).getlength(prefix)


# What the signing software fills in: the number, the day and the month, each in its blank.
NUMBER_AT = (84, 120, 12, "173")
DAY_AT = (_x_after("Hà Nội, ngày ") + 6, 120, 12, "28")
MONTH_AT = (_x_after("Hà Nội, ngày          tháng ") + 8, 120, 12, "4")


def _add_widget(pdf: pikepdf.Pdf, overlay: Path, rect: tuple[float, float, float, float], name: str) -> None:
    """A signature widget on page 1 whose appearance stream is ``overlay``'s page content,
    clipped to ``rect`` (PDF points, origin bottom-left)."""
    with pikepdf.open(overlay) as src:
        form = pikepdf.Page(src.pages[0]).as_form_xobject()
        form.BBox = pikepdf.Array(list(rect))
        appearance = pdf.copy_foreign(form)
    widget = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Sig,
        T=pikepdf.String(name), F=132, Rect=pikepdf.Array(list(rect)),
        AP=pikepdf.Dictionary(N=appearance), P=pdf.pages[0].obj))
    page = pdf.pages[0]
    if "/Annots" not in page.obj:
        page.obj.Annots = pdf.make_indirect(pikepdf.Array())
    page.obj.Annots.append(widget)
    if "/AcroForm" not in pdf.Root:
        pdf.Root.AcroForm = pdf.make_indirect(pikepdf.Dictionary(Fields=pikepdf.Array(), SigFlags=3))
    pdf.Root.AcroForm.Fields.append(widget)


@pytest.fixture(scope="module")
def esigned_pdf(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("esigned")
    base, out = tmp / "base.pdf", tmp / "esigned.pdf"
    _text_pdf(base, BODY)
    number, date = tmp / "number.pdf", tmp / "date.pdf"
    _text_pdf(number, [NUMBER_AT])
    _text_pdf(date, [DAY_AT, MONTH_AT])
    line_bottom, line_top = PAGE_H - 126, PAGE_H - 108
    with pikepdf.open(base) as pdf:
        _add_widget(pdf, number, (82, line_bottom, 112, line_top), "Signature1")
        _add_widget(pdf, date, (DAY_AT[0] - 4, line_bottom, MONTH_AT[0] + 12, line_top), "Signature2")
        pdf.save(out)
    return out


def test_fixture_hides_the_fields_from_the_page_text(esigned_pdf):
    """The premise: pdfium's plain text layer of the page lacks the widget text."""
    pdf = pdfium.PdfDocument(str(esigned_pdf))
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert "/KH-UBND" in text and "173" not in text and "28" not in text


def test_widget_text_joins_the_header_lines(esigned_pdf):
    doc = ocr_file(esigned_pdf, OcrOptions())
    page = doc.pages[0]
    assert page.source == "text-layer"
    assert page.preprocessing["annotation_words"] == 3
    lines = [ln.text for ln in page.lines]
    assert "Số: 173/KH-UBND" in lines
    assert "Hà Nội, ngày 28 tháng 4 năm 2026" in lines
    # the filled-in words keep boxes on the page, inside their widgets
    number = next(w for ln in page.lines for w in ln.words if w.text.startswith("173"))
    scale = page.dpi / 72
    assert number.bbox[0] == pytest.approx(84 * scale, abs=4 * scale)
    # in reading order: the number line comes before the kind line
    assert lines.index("Số: 173/KH-UBND") < lines.index("KẾ HOẠCH")


def test_vanban_run_reads_number_and_date_from_widgets(esigned_pdf):
    result = CliRunner().invoke(main, ["run", str(esigned_pdf)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["document"]["type"] == "Kế hoạch"
    assert record["document"]["number"] == "173/KH-UBND"
    assert record["document"]["date"] == "2026-04-28"
    assert record["document"]["place"] == "Hà Nội"


def test_pdf_without_annotations_unchanged(tmp_path):
    """A plain text PDF reads as before (no annotation step, no note)."""
    plain = tmp_path / "plain.pdf"
    _text_pdf(plain, BODY)
    page = ocr_file(plain, OcrOptions()).pages[0]
    assert "annotation_words" not in page.preprocessing
    text = page.text
    assert "/KH-UBND" in text and "173" not in text and " 28 " not in text
