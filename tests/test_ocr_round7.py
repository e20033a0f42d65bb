"""Issue 12, round 7: body lines that look like stamps stay in the text, and the skew is the
text lines', not the slant of pen strokes across a form (pages and lines made at test time)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image, ImageDraw

from tests.support import synth
from tests.support.ocr_lines import GARBLED_STAMP, HEIGHT, WIDTH
from tests.support.ocr_lines import line as _line
from vanban.model import Word
from vanban.ocr import OcrOptions, decide, ocr_image, preprocess, stamps
from vanban.ocr.evaluate import cer




#: Body lines with dates, times, e-mail addresses and words of signing and receiving stamps:
#: each is ordinary text of a directive, an invitation or a form, and must stay in the text.
BODY_LINES_LIKE_STAMPS = [
    "Thời gian: 20/11/2025 14:30",
    "- Thời gian: 14 giờ 30, ngày 20/11/2025 (thứ Năm).",
    "Bắt đầu 20/11/2025 08:00, kết thúc 22/11/2025 17:00.",
    "Thời gian ký kết hợp đồng: 20/11/2025",
    "Ngày ký: 20/11/2025",
    "Ngày: 20/11/2025",
    "Giờ: 14:30",
    "Email: vanthu@tinhx.gov.vn",
    "Cơ quan: Sở Tài chính tỉnh X",
    "Chuyển: Văn phòng Ủy ban nhân dân tỉnh",
    "- Văn bản điện tử đã ký số;",
    "- Chữ ký số chuyên dùng Chính phủ;",
    "đến số 15/KH-UBND ngày 12/3/2025 của",
    "Văn bản được ký bởi Chủ tịch",
    "họp lúc 07:00",
]

_FULL = "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành và địa phương phối hợp triển khai thực hiện"


@pytest.mark.parametrize("text", BODY_LINES_LIKE_STAMPS)
def test_a_body_line_that_looks_like_a_stamp_stays_in_the_text(text):
    # The line on its own between two paragraphs (a line's height of space above and below
    # it, so that it joins no wide line), in the text's print.
    lines = {("b", 0): _line(_FULL, 240, 1400), ("b", 1): _line(text, 240, 1480),
             ("b", 2): _line(_FULL, 240, 1560)}
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found
    assert [w.text for w in kept[("b", 1)]] == text.split()


def test_a_body_list_of_such_lines_stays_in_the_text():
    # Short lines stacked on one another (a list, an invitation's particulars) in body print:
    # a stamp grows through the lines stacked on its seed, so no seed may come from a weak match.
    body = ["Kính mời đại biểu dự hội nghị tổng kết công tác năm 2025 của Ủy ban nhân dân tỉnh."]
    body += BODY_LINES_LIKE_STAMPS[:2] + ["- Địa điểm: Hội trường Ủy ban nhân dân tỉnh."]
    body += BODY_LINES_LIKE_STAMPS[2:5] + ["- Thành phần: như danh sách kèm theo."]
    body += BODY_LINES_LIKE_STAMPS[5:9]
    lines = {("b", i): _line(t, 240, 1000 + 56 * i) for i, t in enumerate(body)}
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


def _body(y0: int, n: int = 12) -> dict:
    return {("b", i): _line(_FULL, 240, y0 + 56 * i) for i in range(n)}


@pytest.mark.parametrize("height", [20, 40])
def test_a_signing_stamp_is_still_taken_out(height):
    # "Ký bởi:" and a signing time with its zone say stamp on their own, in any print; the
    # stamp's other lines join them. The document's header and body stay.
    stamp = ["Ký bởi: Ủy ban nhân dân tỉnh X", "Email: vanthu@tinhx.gov.vn", "Cơ quan: Tỉnh X",
             "Thời gian ký: 20.11.2025 14:30:05 +07:00"]
    lines = {("s", i): _line(t, 1560, 60 + int(1.3 * height) * i, height) for i, t in enumerate(stamp)}
    lines[("h", 0)] = _line("ỦY BAN NHÂN DÂN", 200, 400)
    lines[("h", 1)] = _line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1150, 400)
    lines.update(_body(900))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["signature-text"]
    assert found[0].text.splitlines() == stamp
    assert set(kept) == {k for k in lines if k[0] != "s"}


def test_a_signing_stamp_with_no_strong_line_is_taken_out_by_its_small_print():
    # Read at low resolution, the stamp keeps only lines a body may also hold (a date and time,
    # an e-mail address): its small print (half the text's height) says stamp.
    stamp = ["Ủy ban nhân dân tỉnh X", "vanthu@tinhxgov.vn", "20/11/2025 14:30:05"]
    lines = {("s", i): _line(t, 1560, 60 + 26 * i, 20) for i, t in enumerate(stamp)}
    lines.update(_body(900))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["signature-text"]
    assert not any(k[0] == "s" for k in kept)


def _header(y: int = 420) -> dict:
    return {("h", 0): _line("ỦY BAN NHÂN DÂN", 200, y),
            ("h", 1): _line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1150, y)}


@pytest.mark.parametrize("top", [20, 110, 160])
def test_a_garbled_stamp_above_the_header_is_taken_out(top):
    # At 150 dpi a signing stamp's 6-pt print reads as glyphs as tall as the text's, and only its
    # e-mail line still matches a (weak) pattern: it lies above the document's header, and
    # Tesseract is unsure of a third of its words (word confidences as measured on qng-tb660 p1
    # at 150 dpi).
    lines = {("s", i): [Word(w.text, w.bbox, c) for w, c in zip(_line(t, 1400, top + 50 * i), confs)]
             for i, (t, confs) in enumerate(GARBLED_STAMP)}
    lines.update(_header())
    lines.update(_body(900))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["signature-text"]
    assert set(kept) == {k for k in lines if k[0] != "s"}


def test_a_body_line_at_the_top_of_a_later_page_stays():
    # A page's text starts below its top margin (~7% of the page): the first line of page 2.
    lines = {("b", 0): _line("Email: vanthu@tinhx.gov.vn", 240, int(0.06 * HEIGHT))}
    lines.update(_body(int(0.06 * HEIGHT) + 120))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


@pytest.mark.parametrize("first", [
    ["Ngày: 20/11/2025"], ["- Giờ: 14:30"], ["- Email: sotc@tinhx.gov.vn;"],
    ["- Email: sotc@tinhx.gov.vn;", "- Điện thoại: 0255.3822.123;", "- Địa chỉ: số 52 Hùng Vương."],
])
def test_the_first_lines_of_a_tightly_cropped_later_page_stay(first):
    # Cropped close to its text, a later page's first body lines lie in the top 2% of the page,
    # where a first page has its stamps; a page without a header has no stamp above it.
    lines = {("x", i): _line(t, 240, 60 + 56 * i) for i, t in enumerate(first)}
    lines.update(_body(60 + 56 * len(first) + 30))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


def test_the_issuers_lines_under_its_name_stay():
    # "ỦY BAN NHÂN DÂN / TỈNH X" with the office's e-mail address beside them at the very top:
    # lines stacked on the document's own header are no stamp.
    lines = {("h", 0): _line("ỦY BAN NHÂN DÂN", 200, 50), ("h", 1): _line("TỈNH QUẢNG NGÃI", 220, 100),
             ("h", 2): _line("Số: 12/KH-UBND", 240, 160), ("e", 0): _line("Email: vpub@quangngai.gov.vn", 200, 40)}
    lines.update(_body(900))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


def test_a_recipients_list_in_small_print_stays():
    received = ["Nơi nhận:", "- Như trên;", "- Cổng TTĐT tỉnh (congbao@quangngai.gov.vn);",
                "- VPUB: CVP, PCVP;", "- Lưu: VT, KT."]
    lines = {("n", i): _line(t, 200, 2600 + 40 * i, 28) for i, t in enumerate(received)}
    lines.update(_body(900))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


@pytest.mark.parametrize("stamp", [
    ["CV ĐẾN", "Số: 1234", "Ngày: 20/11/2025", "Chuyển: Phòng KT"],
    ["CỔNG THÔNG TIN ĐIỆN TỬ", "ĐẾN Giờ......", "Ngày..28..4..2026..."],  # the entries left blank
    ["CỔNG THÔNG TIN ĐIỆN TỬ", "ĐẾN", "Ngày:..28..4..2026"],
])
def test_a_received_stamp_is_still_taken_out(stamp):
    lines = {("s", i): _line(t, 200, 60 + 52 * i) for i, t in enumerate(stamp)}
    lines.update(_header())
    lines.update(_body(900))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["received"]
    assert not any(k[0] == "s" for k in kept)


@pytest.mark.parametrize("stamp", [
    ["CÔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "ĐẾN", "Ngày..25..|4..!2Q26...."],
    ["ÔONG THÒNG TIN ĐIỆNTỪ CHÍNH PHÙ", "lđi", "DEN", "Ngày..J#.|4..!2Q26..."],
    ["CÔNG THÔNG TIN ĐIỆN TỬ", "Giờ......", "Ngày..28..4..2026..."],  # its "ĐẾN" lost
    ["GÔNG THÒNG TIN ĐIỆN TỪ CHÍNH PHÙ", "ĐẾN Gi......", "Ngày..25.|..!2Q26.."],
    ["CV DEN", "Số: ......", "Ngày: 28/4/2026", "Chuyển:"],
    ["GÔNG THÔNG TTN ĐIỆN TỬ CHÍNH PHỦ", "€...............«c-", "ĐẾN", "Ngày:.2Š.|..|2O26..."],
])
def test_a_received_stamp_beside_the_header_without_its_strong_line_is_taken_out(stamp):
    # vpcp p1 re-scanned at 200 dpi, as a JPEG, in grey or yellowed: the received stamp below
    # the date line, in print as large as the text's, its "ĐẾN Giờ" garbled; its entries as the
    # stamp prints them (dot leaders, no value) say stamp.
    lines = {("s", i): _line(t, 1400, 560 + 52 * i, 44) for i, t in enumerate(stamp)}
    lines.update(_header())
    lines.update(_body(1100))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["received"]
    assert set(kept) == {k for k in lines if k[0] != "s"}


@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize("items, y", [
    (["Ngày: 20/11/2025", "Giờ: 14:30", "Chuyển: Văn phòng UBND tỉnh"], 560),
    (["Ngày: 20/11/2025", "Giờ: 08:00", "Ngày: 21/11/2025", "Giờ: 14:00"], 560),
    (["Ngày: .........", "Giờ: .........", "Địa điểm: ........."], 2000),  # a form to fill in
])
def test_a_list_under_the_header_or_low_on_the_page_stays(items, y, header):
    # Values written out, on a first page just below its header; a form's blank entries in the
    # lower half of a page.
    lines = {("x", i): _line(t, 1400, y + 56 * i) for i, t in enumerate(items)}
    if header:
        lines.update(_header())
    lines.update(_body(1100))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


def test_a_page_with_a_time_in_its_body_keeps_it_and_loses_its_stamp():
    # End to end with Tesseract: the signing stamp (7 pt, top right) leaves the text and is
    # reported; the body line "Thời gian: 20/11/2025 14:30" stays.
    dpi = 300
    body = ["Ủy ban nhân dân tỉnh tổ chức hội nghị sơ kết công tác chuyển đổi số như sau:", "",
            "Thời gian: 20/11/2025 14:30", "",
            "Đề nghị các sở, ban, ngành cử đại diện lãnh đạo tham dự đúng thành phần."]
    stamp = synth.render_lines(["Ký bởi: Ủy ban nhân dân tỉnh X", "Cơ quan: Tỉnh X",
                                "Thời gian ký: 20.11.2025 14:30:05 +07:00"], 760, dpi, 7, margin_px=12)
    page = Image.new("RGB", (WIDTH, 1500), "white")
    page.paste(stamp, (WIDTH - 880, 60))
    page.paste(synth.render_lines(body, WIDTH, dpi, 13), (0, 400))
    page.info["dpi"] = (dpi, dpi)
    read = ocr_image(page, OcrOptions())
    assert "Thời gian: 20/11/2025 14:30" in read.text
    assert "Ký bởi" not in read.text and "+07:00" not in read.text
    assert [s.kind for s in read.stamps] == ["signature-text"]
    assert "Thời gian ký" in read.stamps[0].text


# ------------------------------------------------------------------------------ skew
DPI = 200
BODY = synth.PLAN_BODY_LINES[:6]


def _form_with_strokes(slant: float, lean: float = 0.0) -> Image.Image:
    """A form: upright text, then a blank struck through by 14 parallel pen strokes at ``slant``
    degrees (black ink, as a greyscale scan shows a pen); the whole sheet leaning by ``lean``."""
    text = synth.render_lines(BODY, 1700, DPI, 12)
    img = Image.new("RGB", (1700, 2300), "white")
    img.paste(text, (0, 0))
    draw = ImageDraw.Draw(img)
    a = math.radians(slant)
    for k in range(14):
        x0, y0 = 250, text.height + 300 + 40 * k
        draw.line([(x0, y0), (x0 + 1100 * math.cos(a), y0 - 1100 * math.sin(a))], fill=(35, 35, 35), width=4)
    if lean:
        img = img.rotate(lean, resample=Image.BILINEAR, expand=True, fillcolor="white")
    img.info["dpi"] = (DPI, DPI)
    return img


@pytest.mark.parametrize("slant", [8.0, 10.0, 12.0, -10.0])
def test_pen_strokes_across_a_form_do_not_tilt_the_page(slant):
    # The strokes' projection peak at their slant is sharper than the text lines' at 0°: the
    # whole ink leans by the slant, its text does not.
    gray = preprocess.to_gray(np.asarray(_form_with_strokes(slant)))
    assert abs(preprocess.skew_profile(gray)[0] - slant) <= 0.2  # what the strokes say
    out, found = decide.deskew_page(gray)
    assert abs(found["skew_deg"]) <= 0.2 and not found["applied"] and out is gray
    assert abs(found["strokes_ignored"] - slant) <= 0.2


def test_a_leaning_form_with_pen_strokes_is_straightened_by_its_text():
    gray = preprocess.to_gray(np.asarray(_form_with_strokes(10.0, lean=3.0)))
    _, found = decide.deskew_page(gray)
    assert found["applied"] and abs(found["skew_deg"] - 3.0) <= 0.2


def test_a_page_without_strokes_keeps_its_whole_inks_estimate():
    # No stroke or image component: nothing to leave out, the estimate is the whole ink's.
    img = synth.render_lines(BODY, 1700, DPI, 12).rotate(4, resample=Image.BILINEAR, expand=True,
                                                        fillcolor="white")
    gray = preprocess.to_gray(np.asarray(img))
    binary, _ = preprocess._ink_binary(gray)
    assert preprocess.without_strokes(binary) is None
    _, found = decide.deskew_page(gray)
    assert "strokes_ignored" not in found and abs(found["skew_deg"] - 4.0) <= 0.2


def test_a_form_with_pen_strokes_reads_as_well_as_without_them():
    def _cer(text: str) -> float:
        dist, length = cer("\n".join(BODY), text)
        return dist / length

    plain = ocr_image(_form_with_strokes(0.0).crop((0, 0, 1700, 700)), OcrOptions())
    struck = ocr_image(_form_with_strokes(10.0), OcrOptions())
    assert "deskew" not in struck.preprocessing["steps"]
    assert _cer(struck.text) <= _cer(plain.text) + 0.01


# ------------------------------------------------------------------------------ colour page in gray
def _yellowed(img: Image.Image) -> np.ndarray:
    """Paper tinted yellow, type faded, light falling off towards a corner (as an old sheet)."""
    arr = np.asarray(img.convert("RGB")).astype(np.float32)
    arr = 255 - (255 - arr) * 0.8
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    light = 1.0 - 0.3 * (xx / w + yy / h) / 2
    tint = np.array([1.0, 0.93, 0.72], np.float32)
    return np.clip(arr * tint * light[..., None], 0, 255).astype(np.uint8)


def test_a_colour_page_in_gray_thresholds_as_tesseract_thresholds_the_colour_page():
    # Tesseract's ink on a colour page: dark in any channel under its own Otsu threshold. The
    # gray page vanban hands it must give the same ink under the gray's single Otsu threshold.
    import cv2
    rgb = _yellowed(synth.render_lines(BODY, 1700, DPI, 12))
    gray, found = preprocess.gray_as_tesseract_reads(rgb)
    assert found["applied"]
    colour_ink = np.zeros(gray.shape, bool)
    for channel in cv2.split(rgb):
        t, _ = cv2.threshold(channel, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        if (channel <= t).mean() < 0.25:
            colour_ink |= channel <= t
    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    assert ((gray <= t) == colour_ink).mean() >= 0.999
    plain = preprocess.to_gray(rgb)
    tp, _ = cv2.threshold(plain, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    assert ((plain <= tp) != colour_ink).sum() > 10 * ((gray <= t) != colour_ink).sum()
    # away from the letters' edges it is the luminance Tesseract's recogniser reads
    lum = cv2.transform(rgb, np.array([preprocess.TESSERACT_GRAY_WEIGHTS], dtype=np.float32))
    assert (gray == lum).mean() >= 0.98


def test_a_page_without_coloured_ink_is_read_from_the_tesseract_gray(monkeypatch):
    calls = []
    real = preprocess.gray_as_tesseract_reads
    monkeypatch.setattr(preprocess, "gray_as_tesseract_reads", lambda rgb: calls.append(1) or real(rgb))
    img = Image.fromarray(_yellowed(synth.render_lines(BODY[:3], 1700, DPI, 12)))
    img.info["dpi"] = (DPI, DPI)
    page = ocr_image(img, OcrOptions())
    assert calls and "Nghị quyết" in page.text
    assert "tesseract_gray" in page.preprocessing["steps"]
    calls.clear()
    ocr_image(img, OcrOptions(seal_removal=False))  # coloured ink unknown: the plain luminance
    assert not calls


@pytest.mark.parametrize("tint", [(200, 200, 160), (210, 210, 150)])
def test_a_tinted_band_is_not_blacked_out_by_the_tesseract_gray(tint):
    # A pale tinted area (a shaded table row, a note box): the colour threshold calls the whole
    # area ink. The gray must not turn it into a black band: the step is skipped, and the page
    # reads no worse than from the plain luminance.
    import cv2
    from vanban.ocr.evaluate import cer
    arr = np.asarray(synth.render_lines(BODY * 4, 1700, DPI, 12)).astype(np.float32)
    h = arr.shape[0]
    band = slice(int(0.35 * h), int(0.45 * h))
    arr[band] *= np.array(tint, np.float32) / 255
    rgb = np.clip(arr, 0, 255).astype(np.uint8)
    gray, found = preprocess.gray_as_tesseract_reads(rgb)
    assert not found["applied"]
    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    assert (gray[band] <= t).mean() < 0.3
    img = Image.fromarray(rgb)
    img.info["dpi"] = (DPI, DPI)
    page = ocr_image(img, OcrOptions())
    assert "tesseract_gray" not in page.preprocessing["steps"]
    errors, n = cer("\n".join(BODY * 4), page.text)
    plain = ocr_image(img, OcrOptions(seal_removal=False))
    plain_errors, _ = cer("\n".join(BODY * 4), plain.text)
    assert errors <= plain_errors + 0.005 * n


@pytest.mark.parametrize("items", [
    ["Ngày: 20/11/2025", "Giờ: 14:30", "Địa điểm: Hội trường", "Chuyển: Văn phòng UBND tỉnh"],
    ["Ngày: 20/11/2025", "Giờ: 08:00", "Ngày: 21/11/2025", "Giờ: 14:00"],
])
def test_a_list_of_dates_and_times_in_the_body_stays(items):
    # A meeting notice's particulars or a schedule in body print: lines a received stamp also
    # holds ("Ngày: ...", "Giờ: ...", "Chuyển: ..."), and body text.
    lines = {("x", i): _line(t, 240, 1700 + 56 * i) for i, t in enumerate(items)}
    lines.update(_body(900))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


def test_a_sparse_signature_page_measures_text_height_on_its_body_lines():
    # Two body lines, a long "Nơi nhận" list in small print and a signing stamp read without a
    # strong line: the small lines outnumber the body's, but the text's height is the body's.
    lines = {("b", i): _line(_FULL, 240, 300 + 56 * i) for i in range(2)}
    received = ["Nơi nhận:", "- Như trên;", "- TT Tỉnh ủy, TT HĐND tỉnh;", "- CT, các PCT UBND tỉnh;",
                "- Các sở, ban, ngành;", "- UBND các huyện, thị xã;", "- VPUB: CVP, PCVP;", "- Lưu: VT, KT."]
    lines.update({("n", i): _line(t, 200, 700 + 40 * i, 28) for i, t in enumerate(received)})
    stamp = ["Ủy ban nhân dân tỉnh X", "vanthu@tinhxgov.vn", "20/11/2025 14:30:05"]
    lines.update({("s", i): _line(t, 1560, 1200 + 34 * i, 26) for i, t in enumerate(stamp)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["signature-text"]
    assert set(kept) == {k for k in lines if k[0] != "s"}


@pytest.mark.parametrize("text", ["ký bởi Chủ tịch UBND tỉnh.", "xử lý công văn đến."])
def test_a_paragraphs_last_line_with_stamp_words_stays(text):
    lines = _body(900)
    lines[("x", 0)] = _line(text, 240, 900 + 56 * 12)
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


def test_a_table_cell_with_a_lone_den_stays():
    cell = ["Từ tháng 1", "đến", "tháng 6/2025"]
    lines = {("t", i): _line(t, 1800, 1700 + 56 * i) for i, t in enumerate(cell)}
    lines.update(_body(900))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


@pytest.mark.parametrize("height", [20, 40])
def test_an_urgency_mark_alone_is_still_taken_out(height):
    lines = {("u", 0): _line("HỎA TỐC", 240, 2000, height)}
    lines.update(_body(900))
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["urgency"] and ("u", 0) not in kept


def test_a_text_only_estimate_at_the_edge_of_the_range_does_not_win(monkeypatch):
    # Without its strokes the ink may have no peak inside the search range: its estimate at the
    # edge is no text lines' angle, and the whole ink's stands.
    peak = 2 * decide.MIN_SKEW_PEAK
    monkeypatch.setattr(preprocess, "skew_evidence",
                        lambda gray, deg: ((1.0, peak, False), (decide.SKEW_SEARCH_DEG, peak, True)))
    gray = np.full((400, 400), 255, np.uint8)
    _, found = decide.deskew_page(gray)
    assert found["skew_deg"] == 1.0 and "strokes_ignored" not in found


def _titled_first_page() -> dict:
    """A Tờ trình's first page: header, title, "Kính gửi" (a wide line), and its body."""
    lines = {("t", 0): _line("Số: 12/TTr-UBND", 200, 480), ("t", 1): _line("An Bình, ngày 5 tháng 5 năm 2025", 1300, 480),
             ("t", 2): _line("TỜ TRÌNH", 1100, 640),
             ("t", 3): _line("Về việc đề nghị phê duyệt danh sách đăng ký tham gia chương trình năm 2025", 250, 720),
             ("t", 4): _line("Kính gửi: Hội đồng nhân dân tỉnh An Bình khóa X kỳ họp thứ mười lăm năm 2025", 250, 800)}
    lines.update(_header())
    lines.update(_body(1400, 6))
    return lines


@pytest.mark.parametrize("items", [
    ["- Ngày: 20/11/2025;", "- Số: ...................;", "- Người nhận: .........."],
    ["Giờ: 8 giờ 00 phút", "Ngày sinh: ..................", "Số điện thoại: ..............."],
    ["Phần I ........ 3", "Số liệu thống kê ........ 5", "Ngày: 12/5/2025 ........ 7"],  # contents
    ["Ngày: ..........", "Giờ: ..........", "Số: ..........", "Chuyển: .........."],  # a form, in body print
])
def test_a_short_list_below_the_title_of_a_first_page_stays(items):
    # In the top half of a first page but below its header band (its title and "Kính gửi"):
    # a body list, a registration form or a table of contents, never a received stamp.
    lines = _titled_first_page()
    lines.update({("x", i): _line(t, 250, 960 + 56 * i) for i, t in enumerate(items)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert not found and set(kept) == set(lines)


def test_a_received_stamp_in_the_header_band_of_a_titled_page_is_taken_out():
    # The same page with a received stamp under the date line (above the title): taken out.
    lines = _titled_first_page()
    stamp = ["CÔNG THÔNG TIN ĐIỆN TỬ", "Giờ......", "Ngày..28..4..2026..."]
    lines.update({("s", i): _line(t, 1500, 570 + 46 * i) for i, t in enumerate(stamp)})
    kept, found = stamps.separate(lines, WIDTH, HEIGHT, [])
    assert [s.kind for s in found] == ["received"]
    assert set(kept) == {k for k in lines if k[0] != "s"}
