"""The ocr stage end to end: pages rendered at test time, read by the real Tesseract."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image

from tests.support import synth
from tests.support.damage import png
from vanban.cli import main
from vanban.errors import (EncryptedPdfError, ImageTooLargeError, InputFileError,
                           UnsupportedInputError)
from vanban.model import Document
from vanban.ocr import OcrOptions, ocr_file, ocr_image, ocr_inputs, render_documents
from vanban.text import nfc_spaces
from vanban.ocr.evaluate import cer
from vanban.ocr.textcheck import looks_vietnamese

DPI = 200

#: A short Decree-30 plan (header columns, title, body, closing) to render as a page.
PLAN = (Path(__file__).parent / "fixtures" / "ocr" / "short-plan.txt").read_text(encoding="utf-8")

BODY_LINES = [
    "Kế hoạch triển khai thi hành Luật sửa đổi, bổ sung một số điều",
    "của Luật Tiêu chuẩn và quy chuẩn kỹ thuật trên địa bàn tỉnh.",
    "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành.",
]


def _cer(gold: str, system: str) -> float:
    dist, n = cer(gold, system)
    return dist / n


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def directive():
    """One degraded Decree-30 page (header, body, closing with seal) and its OCR."""
    page = synth.compose_pages(synth.parse_plan_text(PLAN), dpi=DPI, body_pt=13.5, seed=3)[0]
    scan = synth.degrade(page.image, seed=11, rotate=0.8)
    return page, scan, ocr_image(scan, OcrOptions())


@pytest.fixture(scope="module")
def _body_pages():
    imgs = []
    for i in range(2):
        img = synth.render_lines([f"Trang {i + 1}"] + BODY_LINES, width_px=1400, dpi=DPI, font_pt=13)
        imgs.append(synth.degrade(img, seed=i, rotate=0.4, jpeg=80))
    return imgs


@pytest.fixture()
def body_pages(_body_pages):
    """Two small text pages (clean enough to read exactly); fresh copies for every test, as
    PIL keeps a saved image's encoder settings and reuses them in a later multi-page save."""
    return [img.copy() for img in _body_pages]


#: Every kind of unreadable input, by name: the error `ocr_file` raises and words of its message.
BAD_INPUTS = {
    "empty.pdf": (InputFileError, "empty file"),
    "text.pdf": (UnsupportedInputError, "not a PDF file (it holds text)"),
    "corrupt.pdf": (InputFileError, "PDF"),
    "encrypted.pdf": (EncryptedPdfError, "encrypted PDF"),
    "bomb.png": (ImageTooLargeError, "60000x60000"),
}


@pytest.fixture()
def bad_inputs(tmp_path):
    """The files of BAD_INPUTS, by name."""
    files = {name: tmp_path / name for name in BAD_INPUTS}
    files["empty.pdf"].write_bytes(b"")
    files["text.pdf"].write_text("Đây không phải là PDF.\n", encoding="utf-8")
    files["corrupt.pdf"].write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R" + bytes(range(256)) * 4)
    good = tmp_path / "plain.pdf"
    synth.save_pdf([synth.render_lines(["Bí mật"], width_px=600, dpi=75)], good, dpi=75)
    with pikepdf.open(good) as pdf:
        pdf.save(files["encrypted.pdf"], encryption=pikepdf.Encryption(user="u-secret", owner="o-secret"))
    files["bomb.png"].write_bytes(png(60000, 60000, zlib.compress(b"\x00" * 1024)))
    return files


# ------------------------------------------------------------------------- recognition
def test_directive_text_is_read(directive):
    page, _, result = directive
    assert _cer(page.text, result.text) < 0.03
    assert "Tống Thanh Hải" in result.text
    assert result.width == page.image.width and result.height == page.image.height
    assert result.dpi == DPI


def test_header_columns_in_reading_order(directive):
    _, _, result = directive
    roles = [b.role for b in result.blocks]
    assert roles[:2] == ["header_left", "header_right"]
    left, right = result.blocks[0], result.blocks[1]
    assert "LAI CHÂU" in left.text and "7360/KH-UBND" in left.text
    assert "CỘNG HÒA" in right.text and "Lai Châu, ngày 19" in right.text
    assert left.bbox[2] < right.bbox[0]


def test_recipients_apart_from_signature(directive):
    _, _, result = directive
    by_role = {b.role: b for b in result.blocks}
    assert list(by_role)[-2:] == ["recipients", "signature"]
    assert by_role["recipients"].text.startswith("Nơi nhận")
    assert "Bộ Khoa học" in by_role["recipients"].text
    assert "TM. ỦY BAN NHÂN DÂN" in by_role["signature"].text
    assert "Nơi nhận" not in by_role["signature"].text
    assert "TM." not in by_role["recipients"].text


def test_words_have_boxes_and_confidences(directive):
    _, scan, result = directive
    words = [w for ln in result.lines for w in ln.words]
    assert len(words) > 100
    for w in words:
        x0, y0, x1, y1 = w.bbox
        assert 0 <= x0 < x1 <= scan.width and 0 <= y0 < y1 <= scan.height
        assert 0 <= w.conf <= 100
    for ln in result.lines:
        assert ln.bbox[0] <= min(w.bbox[0] for w in ln.words)
    assert result.preprocessing["rotation"] == 0
    assert "deskew" in result.preprocessing["steps"]
    assert "seal_removal" in result.preprocessing["steps"]


def test_seal_removal_helps_under_the_seal():
    """A seal stamped over body text: removing the red ink reads the words under it."""
    img = synth.render_lines(BODY_LINES, width_px=1400, dpi=DPI, font_pt=13)
    sealed = synth.add_red_seal(img, (500, img.height // 2), 150, "ỦY BAN NHÂN DÂN TỈNH")
    gold = "\n".join(BODY_LINES)
    with_removal = _cer(gold, ocr_image(sealed, OcrOptions()).text)
    without = _cer(gold, ocr_image(sealed, OcrOptions(seal_removal=False)).text)
    assert with_removal <= without
    assert with_removal < 0.05


@pytest.mark.parametrize("turn", [180, 90])
def test_turned_page_is_set_upright(body_pages, turn):
    turned = body_pages[0].rotate(turn, expand=True)  # counter-clockwise
    turned.info["dpi"] = (DPI, DPI)
    result = ocr_image(turned, OcrOptions())
    assert result.preprocessing["rotation"] == turn  # clockwise turn that undoes it
    assert _cer("Trang 1\n" + "\n".join(BODY_LINES), result.text) < 0.05
    assert (result.width, result.height) == body_pages[0].size
    assert ocr_image(turned, OcrOptions(orientation=False)).preprocessing["rotation"] == 0


def test_low_resolution_photo_is_upscaled():
    img = synth.render_lines(BODY_LINES, width_px=560, dpi=70, font_pt=13)
    del img.info["dpi"]  # photos carry no usable resolution
    result = ocr_image(img, OcrOptions())
    assert "upscale" in result.preprocessing["steps"]
    plain = ocr_image(img, OcrOptions(upscale=False))
    gold = "\n".join(BODY_LINES)
    assert _cer(gold, result.text) < _cer(gold, plain.text)
    assert result.width == 560  # boxes stay in the input's pixels
    assert max(w.bbox[2] for ln in result.lines for w in ln.words) <= 560


# ------------------------------------------------------------------------ input kinds
def test_multipage_tiff_pdf_png_jpeg_and_folder(tmp_path, body_pages):
    folder = tmp_path / "in"
    folder.mkdir()
    body_pages[0].save(folder / "a.tiff", save_all=True, append_images=[body_pages[1]], dpi=(DPI, DPI))
    synth.save_pdf(body_pages, folder / "b.pdf", dpi=DPI, quality=85)
    body_pages[0].save(folder / "c.png", dpi=(DPI, DPI))
    body_pages[1].save(folder / "d.jpg", quality=90, dpi=(DPI, DPI))
    (folder / "notes.txt").write_text("skipped: not a scan")
    docs, errors = ocr_inputs([folder], OcrOptions(jobs=2))
    assert errors == []
    assert [d.source.rsplit("/", 1)[-1] for d in docs] == ["a.tiff", "b.pdf", "c.png", "d.jpg"]
    assert [len(d.pages) for d in docs] == [2, 2, 1, 1]
    for doc in docs[:2]:
        assert [p.number for p in doc.pages] == [1, 2]
        assert nfc_spaces(doc.pages[0].text).startswith("Trang 1")
        assert nfc_spaces(doc.pages[1].text).startswith("Trang 2")
        assert doc.text.count("\f") == 1
        assert doc.sha256 and len(doc.sha256) == 64
    assert docs[1].pages[0].dpi == 300  # PDF pages render at >= 300 dpi
    assert docs[1].pages[0].preprocessing["scan_dpi"] == DPI
    assert "Sở Khoa học và Công nghệ" in docs[3].text


def _searchable_pdf(tmp_path, img, lang):
    """A scan PDF with an invisible OCR text layer made by Tesseract in ``lang``."""
    import subprocess
    png = tmp_path / f"layer-{lang}.png"
    img.save(png, dpi=(DPI, DPI))
    subprocess.run(["tesseract", str(png), str(tmp_path / f"layer-{lang}"), "-l", lang, "pdf"],
                   check=True, capture_output=True)
    return tmp_path / f"layer-{lang}.pdf"


def test_pdf_text_layer_trusted_only_when_vietnamese(tmp_path, body_pages):
    scan = body_pages[1]
    real_pdf = _searchable_pdf(tmp_path, scan, "vie")
    real = ocr_file(real_pdf)
    assert real.pages[0].source == "text-layer"
    assert real.pages[0].preprocessing["text_layer"] == "trusted"
    assert "Sở Khoa học và Công nghệ" in real.text
    word = real.pages[0].lines[0].words[0]
    assert word.text == "Trang" and word.bbox[0] < word.bbox[2] <= real.pages[0].width
    garbled = ocr_file(_searchable_pdf(tmp_path, scan, "eng"))  # English OCR: no diacritics
    assert garbled.pages[0].source == "ocr"
    assert garbled.pages[0].preprocessing["text_layer"] == "garbled, ignored"
    assert "Sở Khoa học và Công nghệ" in garbled.text
    forced = ocr_file(real_pdf, OcrOptions(force_ocr=True))
    assert forced.pages[0].source == "ocr"


def test_looks_vietnamese():
    assert looks_vietnamese(" ".join(BODY_LINES) * 3)
    assert not looks_vietnamese("UBND THANH PHO DA NANG CONG Hcok xA HQI CHiJ NGHiA VIVT NAM " * 5)
    assert not looks_vietnamese("The quick brown fox jumps over the lazy dog. " * 5)


# ---------------------------------------------------------------------------- formats
def test_formats_text_json_hocr(tmp_path, body_pages):
    path = tmp_path / "two.tiff"
    body_pages[0].save(path, save_all=True, append_images=[body_pages[1]], dpi=(DPI, DPI))
    doc = ocr_file(path)
    text = render_documents([doc], "text")
    assert text.count("\f") == 1 and "Trang 2" in text.split("\f")[1]
    data = json.loads(render_documents([doc], "json"))
    again = Document.from_dict(data)
    assert again.text == doc.text
    assert data["pages"][0]["width"] == body_pages[0].width and data["pages"][0]["dpi"] == DPI
    assert data["meta"]["ocr"]["engine"].startswith("tesseract")
    word = data["pages"][0]["blocks"][0]["lines"][0]["words"][0]
    assert set(word) >= {"text", "bbox", "conf"}
    hocr = render_documents([doc], "hocr")
    root = ET.fromstring(hocr.split("?>", 1)[1].split(">", 1)[1])  # drop XML decl + DOCTYPE
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = root.findall(".//h:div[@class='ocr_page']", ns)
    assert len(pages) == 2 and "scan_res 200 200" in pages[0].get("title")
    hwords = root.findall(".//h:span[@class='ocrx_word']", ns)
    assert len(hwords) == sum(len(ln.words) for p in doc.pages for ln in p.lines)
    assert "x_wconf" in hwords[0].get("title")
    two = json.loads(render_documents([doc, doc], "json"))
    assert isinstance(two, list) and len(two) == 2


# -------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_api(bad_inputs, name):
    error, words = BAD_INPUTS[name]
    with pytest.raises(error) as info:
        ocr_file(bad_inputs[name])
    message = str(info.value)
    assert words in message and "\n" not in message
    assert message.startswith(str(bad_inputs[name]))
    assert info.value.exit_code == 3


def test_blank_page_gives_empty_result(tmp_path):
    path = tmp_path / "blank.png"
    Image.new("RGB", (1654, 2339), "white").save(path, dpi=(DPI, DPI))
    doc = ocr_file(path)
    assert len(doc.pages) == 1 and doc.pages[0].blocks == [] and doc.text == ""
    assert doc.meta["ocr"]["warnings"] == ["page 1: no text found"]


def test_cli_bad_inputs_reported_and_good_ones_processed(tmp_path, bad_inputs, body_pages):
    good = tmp_path / "good.png"
    body_pages[0].save(good, dpi=(DPI, DPI))
    blank = tmp_path / "blank.png"
    Image.new("L", (800, 600), 255).save(blank)
    names = list(BAD_INPUTS)
    args = ["ocr", "-j", "2", str(good), *[str(bad_inputs[n]) for n in names], str(blank)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3
    assert "Sở Khoa học và Công nghệ" in result.stdout
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("vanban: error:")]
    assert len(errors) == len(names)
    for n in names:
        assert sum(str(bad_inputs[n]) in e for e in errors) == 1
    assert "blank.png: page 1: no text found" in result.stderr


def test_cli_formats_and_output_file(tmp_path, body_pages):
    good = tmp_path / "good.png"
    body_pages[1].save(good, dpi=(DPI, DPI))
    out = tmp_path / "out.hocr"
    result = CliRunner().invoke(main, ["ocr", str(good), "--format", "hocr", "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "ocrx_word" in out.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["ocr", str(good), "--format", "json", "--no-deskew",
                                       "--no-seal-removal", "--no-orientation", "--no-upscale"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["meta"]["ocr"]["options"]["deskew"] is False
    assert "Trang 2" in Document.from_dict(data).text


def test_cli_only_bad_input_exit_code(bad_inputs):
    result = CliRunner().invoke(main, ["ocr", str(bad_inputs["text.pdf"])])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.strip() == (f"vanban: error: {bad_inputs['text.pdf']}: "
                                     "not a PDF file (it holds text)")


def test_evaluate_ocr_skips_without_data(tmp_path):
    result = CliRunner().invoke(main, ["evaluate", "ocr", "--scans", str(tmp_path / "none"),
                                       "--real", str(tmp_path / "none")])
    assert result.exit_code == 0
    assert "no evaluation data" in result.stderr


def test_evaluate_ocr_on_rendered_pages(tmp_path, body_pages):
    """The evaluation command on a tiny rendered set laid out like ../shared/dev/scans."""
    doc = tmp_path / "scans" / "doc1"
    doc.mkdir(parents=True)
    body_pages[0].save(doc / "page-01.jpg", quality=90, dpi=(DPI, DPI))
    (doc / "page-01.gt.txt").write_text("Trang 1\n" + "\n".join(BODY_LINES) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "ocr", "--scans", str(tmp_path / "scans"),
                                       "--real", str(tmp_path / "none"), "--json", "-j", "2"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["dev scans"]
    assert set(report) == {"tesseract", "vanban"}
    assert report["vanban"]["cer"] < 0.05
    assert report["vanban"]["chars"] == len(nfc_spaces("Trang 1\n" + "\n".join(BODY_LINES)))


def test_bundled_sample_reads_well():
    """samples/ke-hoach-sample.pdf (the README demo) is small and OCRs close to its source."""
    root = Path(__file__).resolve().parent.parent / "samples"
    pdf = root / "ke-hoach-sample.pdf"
    assert pdf.stat().st_size < 1.5e6
    doc = ocr_file(pdf, OcrOptions(jobs=2))
    gold = (root / "ke-hoach-sample.gt.txt").read_text(encoding="utf-8").split("\f")
    assert len(doc.pages) == len(gold) == 3
    assert _cer("\n".join(gold), doc.text) < 0.02
    assert doc.pages[0].blocks[0].role == "header_left"
    assert [b.role for b in doc.pages[-1].blocks][-2:] == ["recipients", "signature"]


def test_page_number_and_continued_body_on_page_two():
    """Page 2 of a composed directive: the lone page number in the top margin is its own block."""
    doc = synth.parse_plan_text(PLAN)
    doc.body = doc.body[:1] + ["- Các sở, ngành phối hợp triển khai thực hiện kế hoạch này. " * 6] * 9
    pages = synth.compose_pages(doc, dpi=DPI, seal=False)
    assert len(pages) >= 2 and pages[1].lines[0] == "2"
    scan = synth.degrade(pages[1].image, seed=2, rotate=0.5)
    result = ocr_image(scan, OcrOptions(), number=2)
    assert result.blocks[0].role == "page_number" and result.blocks[0].text == "2"
    assert _cer(pages[1].text, result.text) < 0.03


def test_exif_orientation_of_photos_is_applied(tmp_path, body_pages):
    """A phone photo stores its turn in EXIF (Orientation 6); the page is read upright."""
    turned = body_pages[0].rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    path = tmp_path / "photo.jpg"
    turned.save(path, exif=exif, dpi=(DPI, DPI), quality=90)
    doc = ocr_file(path, OcrOptions(orientation=False))
    assert (doc.pages[0].width, doc.pages[0].height) == body_pages[0].size
    assert "Sở Khoa học và Công nghệ" in doc.text


def test_evaluate_ocr_rejects_an_unknown_variant(tmp_path):
    result = CliRunner().invoke(main, ["evaluate", "ocr", "--scans", str(tmp_path),
                                       "--variants", "vanban,no-such-step"])
    assert result.exit_code == 2
    assert "unknown variant(s): no-such-step" in result.output


def _scan_pdf_with_text(tmp_path, name: str, lines: list[tuple[float, float, str]]):
    """A PDF page that is a scanned image with real text laid over it at (x, y) in points."""
    from fpdf import FPDF
    body = ["Ủy ban nhân dân tỉnh yêu cầu các sở, ngành, địa phương triển khai thực hiện."] * 28
    img = synth.render_lines(body, width_px=1650, dpi=200, font_pt=12)
    jpg = tmp_path / f"{name}.jpg"
    img.save(jpg, dpi=(200, 200))
    w_pt, h_pt = (v * 72 / 200 for v in img.size)
    pdf = FPDF(unit="pt", format=(w_pt, h_pt))
    pdf.add_page()
    pdf.image(str(jpg), x=0, y=0, w=w_pt, h=h_pt)
    pdf.add_font("serif", fname=str(synth.font_path()))
    pdf.set_font("serif", size=7)
    for x, y, text in lines:
        pdf.text(x, y, text)
    out = tmp_path / f"{name}.pdf"
    pdf.output(str(out))
    return out


def test_signature_text_over_a_scan_is_not_its_text_layer(tmp_path):
    """E-signing software lays a few lines of real text ("Ký bởi: ...") over a scanned page:
    that is not the page's text, so the page is OCRed (before: the stamp was taken as the whole
    page, and a real Công văn was refused as "no administrative content")."""
    from vanban.ocr.inputs import open_input
    stamp = ["TRUNG TÂM CÔNG BÁO VÀ TIN HỌC", "Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi",
             "Cơ quan: Tỉnh Quảng Ngãi", "Thời gian ký: 15/01/2025 17:10:17 +07:00",
             "Số: 299/UBND-TTHC Quảng Ngãi, ngày 15 tháng 01 năm 2025"]
    signed = _scan_pdf_with_text(tmp_path, "signed", [(300, 15 + 8 * i, t) for i, t in enumerate(stamp)])
    [source] = open_input(signed)
    assert looks_vietnamese(" ".join(stamp))  # real text: only its place tells it apart
    assert source.text_page is None and source.load is not None
    assert "OCRed" in source.notes["text_layer"]
    # an OCR layer running down the same scan is the page's text and is used
    layer = [(40, 30 + 18 * i, "Ủy ban nhân dân tỉnh yêu cầu các sở, ngành, địa phương triển khai thực hiện.")
             for i in range(28)]
    searchable = _scan_pdf_with_text(tmp_path, "searchable", layer)
    [source] = open_input(searchable)
    assert source.text_page is not None and source.notes["text_layer"] == "trusted"


def test_a_skewed_page_with_colour_at_its_edge_reads(tmp_path):
    """A coloured strip at a page edge (binding tape, a scanner's edge) on a page straightened
    by 1.5°: its box mapped through the rotation came out inverted (x0 > x1), and reading it as
    a possible stamp failed the whole page (OpenCV: empty crop)."""
    from PIL import ImageDraw
    from vanban.ocr.preprocess import unrotate_box
    lines = [f"Ủy ban nhân dân tỉnh ban hành kế hoạch năm 2025, mục {i}" for i in range(12)]
    img = synth.render_lines(lines, 2480, 300, 12).rotate(1.5, expand=False, fillcolor="white")
    ImageDraw.Draw(img).rectangle((img.width - 6, 0, img.width, 600), fill=(220, 30, 30))
    page = ocr_image(img, OcrOptions(orientation=False), dpi=300)
    assert "deskew" in page.preprocessing["steps"] and page.preprocessing["colour_regions"]
    assert "mục 11" in page.text
    for deg in (1.5, -1.5):
        for box in [(2474, 0, 2480, 600), (0, 0, 6, 600), (0, 3400, 2480, 3508)]:
            x0, y0, x1, y1 = unrotate_box(box, deg, (2480, 3508))
            assert 0 <= x0 <= x1 <= 2480 and 0 <= y0 <= y1 <= 3508
