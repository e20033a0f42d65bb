"""tests.support.synth: the page renderer used by the tests, the sample and the normalize stage."""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium

from tests.support import synth

PLAN = """ỦY BAN NHÂN DÂN TỈNH HÀ GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 12/KH-UBND Hà Giang, ngày 3 tháng 2 năm 2025
KẾ HOẠCH
Triển khai công tác chuyển đổi số năm 2025
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao nhận thức của cán bộ, công chức về chuyển đổi số.
Nơi nhận: - Bộ Thông tin và Truyền thông; - Lưu: VT. TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn An
"""


def test_liberation_font_has_vietnamese():
    assert synth._has_vietnamese(synth.font_path("regular"))
    assert synth._has_vietnamese(synth.font_path("bolditalic"))


def test_parse_plan_text_splits_header_and_closing():
    doc = synth.parse_plan_text(PLAN)
    assert doc.issuer == ["ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG"]
    assert doc.number == "Số: 12/KH-UBND"
    assert doc.place_date == "Hà Giang, ngày 3 tháng 2 năm 2025"
    assert doc.kind == "KẾ HOẠCH"
    assert doc.title == "Triển khai công tác chuyển đổi số năm 2025"
    assert doc.body[0] == "I. MỤC ĐÍCH, YÊU CẦU"
    assert doc.recipients == ["- Bộ Thông tin và Truyền thông;", "- Lưu: VT."]
    assert doc.signature == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]


def test_render_lines_wraps_and_tags_dpi():
    img = synth.render_lines(["ngắn", "dài " * 80], width_px=800, dpi=150, font_pt=12)
    assert img.mode == "RGB" and img.width == 800
    assert img.info["dpi"] == (150, 150)
    assert img.height > 5 * 12 * 150 / 72  # the long line wrapped onto several lines


def test_compose_pages_ground_truth_order_and_regions():
    doc = synth.parse_plan_text(PLAN)
    pages = synth.compose_pages(doc, dpi=100)
    assert len(pages) == 1
    page = pages[0]
    assert page.image.size == (827, 1169)
    assert page.lines[:6] == ["ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG", "Số: 12/KH-UBND",
                              "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                              "Hà Giang, ngày 3 tháng 2 năm 2025"]
    # closing: recipients first, then the signature lines
    i = page.lines.index("Nơi nhận:")
    assert page.lines[i + 1:] == doc.recipients + doc.signature
    left, right = page.regions["header_left"], page.regions["header_right"]
    assert left[2] < right[0]  # the two header columns do not overlap
    assert page.regions["recipients"][2] < page.regions["signature"][0]
    # the seal is printed, red, over the signature column
    (cx, cy), radius = page.seal
    sig = page.regions["signature"]
    assert sig[0] <= cx <= sig[2] and radius > 0
    arr = np.asarray(page.image).astype(int)[cy - radius:cy + radius, cx - radius:cx + radius]
    assert ((arr[..., 0] - np.maximum(arr[..., 1], arr[..., 2])) > 60).sum() > 200
    assert synth.compose_pages(doc, dpi=100, seal=False)[0].seal is None


def test_paragraphs_flow_onto_numbered_pages():
    doc = synth.parse_plan_text(PLAN)
    doc.body = doc.body + ["- Đoạn văn bản dài để kiểm tra việc ngắt trang. " * 12] * 12
    pages = synth.compose_pages(doc, dpi=72, seal=False)
    assert len(pages) >= 2
    assert pages[1].lines[0] == "2"  # page number first on page 2
    assert "page_number" in pages[1].regions


def test_red_seal_is_red_and_keeps_black_text():
    img = synth.render_lines(["CHỦ TỊCH"], width_px=400, dpi=150, font_pt=20)
    dark_before = (np.asarray(img.convert("L")) < 80).sum()
    sealed = synth.add_red_seal(img, (200, img.height // 2), 60, "ỦY BAN NHÂN DÂN")
    arr = np.asarray(sealed).astype(int)
    red = (arr[..., 0] - np.maximum(arr[..., 1], arr[..., 2])) > 60
    assert red.sum() > 500
    assert (np.asarray(sealed.convert("L")) < 80).sum() >= dark_before * 0.9


def test_degrade_is_deterministic_and_changes_the_page():
    img = synth.render_lines(["Kế hoạch triển khai"], width_px=600, dpi=150, font_pt=14)
    a, b = synth.degrade(img, seed=5), synth.degrade(img, seed=5)
    assert np.array_equal(np.asarray(a), np.asarray(b))
    assert not np.array_equal(np.asarray(a), np.asarray(synth.degrade(img, seed=6)))
    assert not np.array_equal(np.asarray(a), np.asarray(img))
    assert a.info["dpi"] == (150, 150)
    flat = synth.degrade(img, seed=5, rotate=0, blur=0, noise=0, lighting=0, jpeg=None,
                         tint=(255, 255, 255))
    assert np.array_equal(np.asarray(flat), np.asarray(img))


def test_save_pdf_pages_and_size(tmp_path):
    imgs = [synth.render_lines([f"Trang {i}"], width_px=620, dpi=75) for i in (1, 2)]
    out = tmp_path / "x.pdf"
    synth.save_pdf(imgs, out, dpi=75)
    pdf = pdfium.PdfDocument(str(out))
    assert len(pdf) == 2
    w, _ = pdf[0].get_size()
    assert abs(w - 620 / 75 * 72) < 1
