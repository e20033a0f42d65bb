"""Real-scan behaviour of the ocr stage on pages rendered at test time: stamps kept out of the
text and reported, reading order of the header and closing columns, a handwritten number
field flagged instead of read as junk, colour-ink lifting only where it reads better."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from tests.support import synth
from vanban.cli import main
from vanban.model import Page, Stamp
from vanban.ocr import OcrOptions, ocr_image, render_documents
from vanban.ocr import engine
from vanban.ocr.evaluate import cer
from vanban.ocr.layout import build_blocks
from vanban.text import fold_diacritics
from vanban.model import Document, Word

DPI = 200

#: A short Decree-30 plan (header columns, title, body, closing) to render as a page.
PLAN = (Path(__file__).parent / "fixtures" / "ocr" / "short-plan.txt").read_text(encoding="utf-8")

SIGNATURE_STAMP = ["Ký bởi: Ủy ban nhân dân tỉnh Lai Châu", "Cơ quan: Tỉnh Lai Châu",
                   "Thời gian ký: 19/11/2025 10:14:21"]
RECEIVED_STAMP = ["CV ĐẾN", "Số: 125", "Ngày: 20/11/2025", "Chuyển: Phòng KT"]


def _stamp_box(lines: list[str], colour: tuple[int, int, int], width_px: int) -> Image.Image:
    """A small framed text box, as a signing tool or a received stamp prints it."""
    img = synth.render_lines(lines, width_px=width_px, dpi=DPI, font_pt=8, margin_px=12)
    px = img.load()
    for y in range(img.height):  # black text -> the stamp's ink colour
        for x in range(img.width):
            if px[x, y][0] < 128:
                px[x, y] = colour
    ImageDraw.Draw(img).rectangle((1, 1, img.width - 2, img.height - 2), outline=colour, width=3)
    return img


@pytest.fixture(scope="module")
def stamped():
    """A Decree-30 page with a digital-signature text box in the top-right corner and a
    received stamp in the top-left corner, both above the header; and its OCR."""
    synth_page = synth.compose_pages(synth.parse_plan_text(PLAN), dpi=DPI, body_pt=13.5, seed=3)[0]
    page = synth_page.image.copy()
    top = min(box[1] for role, box in synth_page.regions.items() if role.startswith("header"))
    # room above the header: shift the page down by the stamps' height
    sig = _stamp_box(SIGNATURE_STAMP, (20, 40, 170), 560)
    rec = _stamp_box(RECEIVED_STAMP, (25, 25, 25), 300)
    room = max(sig.height, rec.height) + 30 - top
    if room > 0:
        shifted = Image.new("RGB", page.size, "white")
        shifted.paste(page.crop((0, 0, page.width, page.height - room)), (0, room))
        page = shifted
    page.paste(sig, (page.width - sig.width - 40, 15))
    page.paste(rec, (60, 15))
    scan = synth.degrade(page, seed=5, rotate=0.3)
    return synth_page, scan, ocr_image(scan, OcrOptions())


def test_stamps_are_kept_out_of_the_text_and_reported(stamped):
    _, scan, page = stamped
    text = page.text
    for gone in ("Ký bởi", "Thời gian ký", "CV ĐẾN", "Chuyển"):
        assert gone not in text
    kinds = {s.kind for s in page.stamps}
    assert {"signature-text", "received"} <= kinds
    sig = next(s for s in page.stamps if s.kind == "signature-text")
    assert "Thời gian ký" in sig.text and "19/11/2025" in sig.text
    assert sig.bbox[0] > scan.width / 2 and sig.bbox[3] < scan.height * 0.15  # top-right corner
    rec = next(s for s in page.stamps if s.kind == "received")
    assert rec.bbox[2] < scan.width / 2 and "125" in rec.text
    # the header is still read, first, and whole
    assert page.blocks[0].role == "header_left" and "ỦY BAN NHÂN DÂN" in page.blocks[0].text
    assert "7360/KH-UBND" in text


def test_reading_order_header_columns_then_body_then_closing_columns(stamped):
    _, _, page = stamped
    text = page.text
    order = ["ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU", "Số: 7360/KH-UBND", "CỘNG HÒA XÃ HỘI",
             "Độc lập", "Lai Châu, ngày 19", "KẾ HOẠCH", "MỤC ĐÍCH", "nghiêm túc",
             "Nơi nhận", "Lưu", "TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Tống Thanh Hải"]
    at = [text.find(s) for s in order]
    assert all(i >= 0 for i in at), dict(zip(order, at))
    assert at == sorted(at), dict(zip(order, at))
    roles = [b.role for b in page.blocks]
    assert roles.index("header_left") < roles.index("header_right") < roles.index("body")
    assert roles.index("recipients") < roles.index("signature")


def test_stamps_travel_in_json_and_hocr(stamped):
    _, _, page = stamped
    doc = Document(source="x.png", pages=[page])
    data = json.loads(render_documents([doc], "json"))
    assert {s["kind"] for s in data["pages"][0]["stamps"]} >= {"signature-text", "received"}
    back = Page.from_dict(data["pages"][0])
    assert [s.to_dict() for s in back.stamps] == [s.to_dict() for s in page.stamps]
    hocr = render_documents([doc], "hocr")
    assert 'class="ocr_float"' in hocr and "x_stamp signature-text" in hocr


def test_stamp_round_trip_and_pages_without_stamps_unchanged():
    page = Page(number=1, stamps=[Stamp("seal", (1, 2, 30, 40), "", None),
                                  Stamp("urgency", (5, 5, 50, 20), "HỎA TỐC", 88.0)])
    assert Page.from_dict(json.loads(json.dumps(page.to_dict()))).stamps == page.stamps
    assert "stamps" not in Page(number=1).to_dict()


def _scribble(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], seed: int) -> None:
    """Pen strokes in the number gap: loops and hooks, not printed digits."""
    rng = random.Random(seed)
    x0, y0, x1, y1 = box
    pts = []
    for k in range(9):
        t = k / 8
        pts.append((x0 + t * (x1 - x0) + rng.uniform(-6, 6),
                    (y0 + y1) / 2 + (y1 - y0) * 0.45 * (1 if k % 2 else -1) * rng.uniform(0.5, 1)))
    draw.line(pts, fill=(30, 30, 45), width=3, joint="curve")


def test_handwritten_number_gives_a_flagged_partial_number_not_junk():
    doc = synth.parse_plan_text(PLAN.replace("Số: 7360/KH-UBND", "Số:            /KH-UBND"))
    page = synth.compose_pages(doc, dpi=DPI, body_pt=13.5, seed=3)[0].image.copy()
    words = engine.recognize(np.asarray(page.convert("L")), DPI)
    so = next(w for w in words if w.text.startswith("Số"))
    code = next(w for w in words if "/KH-UBND" in w.text)
    _scribble(ImageDraw.Draw(page), (so.bbox[2] + 8, so.bbox[1] - 4, code.bbox[0] - 6, so.bbox[3] + 4), 7)
    result = ocr_image(page, OcrOptions())
    number_line = next(ln.text for ln in result.lines if "/KH-UBND" in ln.text)
    assert number_line == "Số: …/KH-UBND", number_line
    assert result.preprocessing["fields"]["number"]["status"] == "digits missing"


def test_colour_ink_lifting_is_skipped_where_it_hurts():
    """A line printed in dark blue ink is text: lifting coloured ink would erase it, so the
    page keeps it (and reads it); a red seal beside the text is still lifted."""
    lines = ["Ủy ban nhân dân tỉnh yêu cầu các sở, ngành triển khai thực hiện.",
             "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành.",
             "Thường xuyên kiểm tra, đôn đốc, hướng dẫn các cơ quan, đơn vị."]
    img = synth.render_lines(lines, width_px=1500, dpi=DPI, font_pt=13)
    px = img.load()
    h3 = img.height // 3
    for y in range(h3, 2 * h3):  # the middle line in blue ballpoint ink
        for x in range(img.width):
            if px[x, y][0] < 160:
                px[x, y] = (30, 60, 170)
    page = ocr_image(img, OcrOptions())
    assert cer("\n".join(lines), page.text)[0] <= 3, page.text
    regions = page.preprocessing["colour_regions"]
    assert regions and not any(r["lift"] for r in regions)
    assert "seal_removal" not in page.preprocessing["steps"]


def test_label_value_rows_read_row_by_row():
    """'+ Phía Đông giáp:   Lô đất số 16' rows at the top of a page are a list, not header columns."""
    def line(text, x0, y0):
        words, x = [], x0
        for t in text.split():
            words.append(Word(t, (x, y0, x + 22 * len(t), y0 + 40), 95.0))
            x += 22 * len(t) + 18
        return words
    rows = [("+ Phía Đông giáp:", "Lô đất số 16"), ("+ Phía Tây giáp:", "Đường nội bộ"),
            ("+ Phía Nam giáp:", "Ta luy")]
    lines = []
    for k, (label, value) in enumerate(rows):
        lines += [(line(label, 300, 200 + 60 * k), None), (line(value, 1000, 200 + 60 * k), None)]
    lines.append((line("Điều 2: Ủy ban nhân dân thị xã có nhiệm vụ giải phóng mặt bằng", 300, 420), None))
    blocks = build_blocks(lines, 2400, 3400, page_number=2)
    text = "\n".join(b.text for b in blocks)
    assert text.index("Lô đất số 16") < text.index("+ Phía Tây giáp:") < text.index("Đường nội bộ")
    assert all(b.role == "body" for b in blocks)


def test_evaluate_ocr_on_transcribed_pdf_pages(tmp_path):
    """`vanban evaluate ocr --set transcribed`: page N of a PDF against <stem>/page-NN.txt,
    raw tesseract and vanban side by side per page."""
    lines = ["Trang hai của văn bản", "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở."]
    imgs = [synth.render_lines(["Trang một"], width_px=1200, dpi=DPI),
            synth.render_lines(lines, width_px=1200, dpi=DPI)]
    scans = tmp_path / "scans"
    scans.mkdir()
    synth.save_pdf(imgs, scans / "doc.pdf", dpi=DPI)
    ref = tmp_path / "ref" / "doc"
    ref.mkdir(parents=True)
    (ref / "page-02.txt").write_text("\n".join(lines), encoding="utf-8")
    (ref / "page-02.stamps.txt").write_text("seal\t\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "ocr", "--real", str(scans), "--transcripts",
                                       str(tmp_path / "ref"), "--set", "transcribed", "--pages",
                                       "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "transcribed real scans (1 pages)" in result.output
    row = next(ln for ln in result.output.splitlines() if ln.startswith("| doc/p2 |"))
    raw, vanban = (float(c.strip().rstrip("%")) for c in row.strip("|").split("|")[1:3])
    assert vanban <= 2.0 and raw < 50


def test_header_with_missing_digits_is_partial_and_flagged():
    """The ocr stage's "…" for an unreadable handwritten number and day: extract keeps what is
    known (code, month and year, place, issuer) and flags the rest, never junk."""
    from vanban.extract import extract_record
    record = extract_record("\n".join([
        "ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: …/CT-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Quảng Ngãi, ngày … tháng 9 năm 2024", "CHỈ THỊ",
        "Về việc tăng cường các biện pháp đảm bảo an toàn công trình cầu",
        "Cơn bão số 3 và mưa lũ sau bão vừa qua đã gây thiệt hại rất lớn về người, tài sản."]))
    doc = record.document
    assert doc["number"] == "…/CT-UBND" and doc["date"] is None and doc["date_month"] == "2024-09"
    assert doc["issuer"] == "Ủy ban nhân dân tỉnh Quảng Ngãi" and doc["place"] == "Quảng Ngãi"
    assert any(w.startswith("number: digits missing") for w in record.warnings)
    assert any(w.startswith("date: day missing") for w in record.warnings)


def test_body_line_with_blank_fields_reads_left_to_right_on_a_rendered_page():
    """A Tờ trình line with blanks left for the handwritten number and day ("Xét Tờ trình số
    ....../TTr-UBND ngày ... tháng ... năm 2025 của Ủy ban"), its tail a few pixels higher as
    on a scan: the pieces Tesseract finds are one line, read left to right."""
    body = ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 của Quốc hội;",
            "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015 của Quốc hội;",
            "Căn cứ Nghị định số 34/2016/NĐ-CP ngày 14 tháng 5 năm 2016 của Chính phủ quy định chi tiết;"]
    top = synth.render_lines(body, width_px=1654, dpi=DPI, font_pt=13)
    tail = synth.render_lines(["nhân dân tỉnh về việc đề nghị ban hành Nghị quyết bãi bỏ các nghị quyết",
                               "của Hội đồng nhân dân tỉnh Quảng Ngãi và các văn bản có liên quan."],
                              width_px=1654, dpi=DPI, font_pt=13)
    margin, step = 1654 // 12, 48
    page = Image.new("RGB", (1654, top.height + tail.height), "white")
    page.paste(top.crop((0, 0, 1654, top.height - margin)), (0, 0))
    page.paste(tail.crop((0, margin, 1654, tail.height)), (0, top.height - margin + step))
    draw = ImageDraw.Draw(page)
    font = synth.load_font(13, DPI)
    y = top.height - margin + 4
    for x, dy, piece in ((margin, 0, "Xét Tờ trình số"), (margin + 520, -3, "/TTr-UBND ngày"),
                         (margin + 980, -7, "tháng năm 2025 của Ủy ban")):
        draw.text((x, y + dy), piece, font=font, fill=synth.INK)
    page.info["dpi"] = (DPI, DPI)
    text = ocr_image(page, OcrOptions()).text
    line = next(ln for ln in text.splitlines() if "Xét" in ln)
    assert "TTr-UBND" in line and "2025" in line, text
    assert line.index("Xét") < line.index("TTr-UBND") < line.index("2025")
    assert text.index("2025 của Ủy ban") < text.index("nhân dân tỉnh về việc")


def test_red_urgency_stamp_stamped_askew_is_reported_not_read_into_the_text():
    """A red framed "HỎA TỐC" stamped at 35° below the closing: its colour is lifted out of
    the page, and its lettering, read alone and turned upright, reports it as a stamp."""
    synth_page = synth.compose_pages(synth.parse_plan_text(PLAN), dpi=DPI, body_pt=13.5, seed=3)[0]
    page = synth_page.image.copy()
    stamp = synth.render_lines(["HỎA TỐC"], width_px=330, dpi=DPI, font_pt=20, margin_px=14)
    red = (210, 30, 35)
    ink = np.asarray(stamp.convert("L")) < 128
    stamp = Image.fromarray(np.where(ink[..., None], np.array(red, np.uint8), np.uint8(255)))
    ImageDraw.Draw(stamp).rectangle((1, 1, stamp.width - 2, stamp.height - 2), outline=red, width=4)
    tilted = stamp.rotate(35, expand=True, fillcolor="white")
    below_closing = max(box[3] for box in synth_page.regions.values()) + 150
    page.paste(tilted, (200, below_closing),
               Image.fromarray((np.asarray(tilted.convert("L")) < 250).astype(np.uint8) * 255))
    result = ocr_image(synth.degrade(page, seed=5, rotate=0.3), OcrOptions())
    urgent = [s for s in result.stamps if s.kind == "urgency"]
    assert len(urgent) == 1 and fold_diacritics(urgent[0].text, lower=True) == "hoa toc"
    x0, y0, _, _ = urgent[0].bbox
    assert abs(x0 - 200) < 40 and abs(y0 - below_closing) < 40
    assert "hoa toc" not in fold_diacritics(result.text, lower=True)
    assert "Tống Thanh Hải" in result.text


def test_recipients_list_without_its_heading_gets_it_read_again():
    """Tesseract dropped "Nơi nhận:" above the list (beside the signer's title): the strip above
    the list is read alone and the heading put back; a strip holding other text is left."""
    from vanban.model import Block
    from vanban.ocr import closing

    img = synth.render_lines(["Nơi nhận:", "- Như trên;", "- PCT UBND tỉnh;", "- Lưu: VT, TTHC."],
                             width_px=700, dpi=300, font_pt=12)
    page = ocr_image(img, OcrOptions())
    lines = [ln for b in page.blocks for ln in b.lines]
    assert lines[0].text.startswith("Nơi nhận")
    gray = np.asarray(img.convert("L"))

    def listed(rest):
        return [Block(lines=list(rest), bbox=None, role="recipients")]

    blocks = listed(lines[1:])
    blocks[0].bbox = (min(ln.bbox[0] for ln in lines[1:]), lines[1].bbox[1],
                      max(ln.bbox[2] for ln in lines[1:]), lines[-1].bbox[3])
    assert closing.read_missing_recipients_heading(blocks, gray, 300, "vie")
    assert blocks[0].lines[0].text == "Nơi nhận:" and blocks[0].lines[1].text == "- Như trên;"
    # the first list item is no heading: the line above it is, and it is left as it is
    others = listed(lines[2:])
    others[0].bbox = (lines[2].bbox[0], lines[2].bbox[1], lines[2].bbox[2], lines[-1].bbox[3])
    assert not closing.read_missing_recipients_heading(others, gray, 300, "vie")
    assert others[0].lines[0].text.startswith("- PCT")


def test_signer_name_below_the_signature_space_is_read_again():
    """A seal and a scribble over the signature space made Tesseract drop the signer's name:
    a signature block of titles only (capitals) has the column below it read again and the
    name appended; a block that has its name is left alone."""
    from vanban.model import Block
    from vanban.ocr import closing

    img = synth.render_lines(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "", "", "", "Nguyễn Văn Hùng"],
                             width_px=900, dpi=300, font_pt=13, style="bold")
    draw = ImageDraw.Draw(img)
    _scribble(draw, (260, 330, 640, 470), seed=3)  # the signature between titles and name
    page = ocr_image(img, OcrOptions())
    lines = [ln for b in page.blocks for ln in b.lines]
    assert [ln.text for ln in lines[:2]] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    gray = np.asarray(img.convert("L"))

    def signature(rest):
        return [Block(lines=list(rest), role="signature",
                      bbox=(min(ln.bbox[0] for ln in rest), rest[0].bbox[1],
                            max(ln.bbox[2] for ln in rest), rest[-1].bbox[3]))]

    titles = signature(lines[:2])
    assert closing.read_missing_signer(titles, gray, 300, "vie")
    assert titles[0].text == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn Hùng"
    assert titles[0].bbox[3] > lines[1].bbox[3] + 200
    named = signature(lines[:2] + [ln for ln in lines[2:] if "Hùng" in ln.text])
    assert len(named[0].lines) == 3
    assert not closing.read_missing_signer(named, gray, 300, "vie")
    assert len(named[0].lines) == 3


@pytest.mark.parametrize("degrees", [0, 40, 90])
def test_a_red_stamp_is_read_at_any_angle(degrees):
    """The lettering was turned upright on a sheet of the crop's own proportions: a stamp
    stamped sideways (about 90°) lost its letters off the sheet's edge and was never read."""
    from vanban.ocr import preprocess, stamps
    stamp = synth.render_lines(["HỎA TỐC"], width_px=420, dpi=DPI, font_pt=20, margin_px=14)
    ink = np.asarray(stamp.convert("L")) < 128
    red = np.where(ink[..., None], np.array((210, 30, 30), np.uint8), np.uint8(255))
    tilted = Image.fromarray(red).rotate(degrees, expand=True, fillcolor="white")
    page = Image.new("RGB", (1200, 1200), "white")
    page.paste(tilted, (300, 300))
    arr = np.asarray(page)
    box = (300, 300, 300 + tilted.width, 300 + tilted.height)
    found = stamps.read_colour_stamps([box], preprocess.to_gray(arr),
                                      preprocess.darkest_channel(arr), DPI, "vie", [])
    assert [s.kind for s in found] == ["urgency"]
    assert fold_diacritics(found[0].text, lower=True) == "hoa toc"
