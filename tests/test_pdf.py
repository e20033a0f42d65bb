"""vanban pdf end to end: a Decree-30 page rendered at test time, read by the real Tesseract,
written as searchable PDF/A, and checked with poppler (pdftotext, pdfsig), qpdf, pikepdf and
pyHanko.

PDF/A: veraPDF is not on Debian, so conformance is checked with pikepdf's own PDF/A validator
(pikepdf.pdfa.check, an allowlist validator) plus the identification in XMP (pdfaid:part and
pdfaid:conformance) and the OutputIntent, not with veraPDF.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from click.testing import CliRunner

from tests.support import synth
from vanban.cli import main
from vanban.errors import InputFileError
from vanban.ocr.evaluate import cer
from vanban.pdfa import UNSIGNED_COPY_NOTE, PdfOptions, make_pdf
from vanban.pipeline import PipelineOptions, process_path

DPI = 200
PHRASE = "Đẩy mạnh công tác tuyên truyền"

PLAN = """ỦY BAN NHÂN DÂN TỈNH LAI CHÂU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 7360/KH-UBND Lai Châu, ngày 19 tháng 11 năm 2025
KẾ HOẠCH
TRIỂN KHAI THI HÀNH LUẬT TIÊU CHUẨN VÀ QUY CHUẨN KỸ THUẬT
I. MỤC ĐÍCH, YÊU CẦU
- Đẩy mạnh công tác tuyên truyền, phổ biến Luật đến cán bộ, công chức và người dân trên địa bàn tỉnh.
- Bảo đảm sự chỉ đạo thống nhất của Ủy ban nhân dân tỉnh; sự phối hợp chặt chẽ, thường xuyên, có hiệu quả giữa các sở, ngành, Ủy ban nhân dân các xã, phường.
Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị, địa phương nghiêm túc triển khai thực hiện./.
Nơi nhận: - Bộ Khoa học và Công nghệ; - Các sở, ngành; - Lưu: VT. TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Tống Thanh Hải
"""


#: Page 2 of the scan fixture: text that is not on page 1, and no PHRASE.
SECOND_PAGE = ["2", "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành liên quan",
               "hướng dẫn thực hiện Luật trên địa bàn tỉnh trong năm 2026."]


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def _image_streams(pdf_path: Path) -> list[bytes]:
    """Raw (still encoded) bytes of every image XObject drawn on each page, in page order."""
    out = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for _, image in sorted(page.obj.Resources.get("/XObject", {}).items()):
                if image.get("/Subtype") == "/Image":
                    out.append(image.read_raw_bytes())
    return out


def _render(pdf_path: Path, index: int = 0) -> np.ndarray:
    import pypdfium2
    doc = pypdfium2.PdfDocument(str(pdf_path))
    try:
        return np.asarray(doc[index].render(scale=DPI / 72).to_pil().convert("RGB"))
    finally:
        doc.close()


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def page():
    return synth.compose_pages(synth.parse_plan_text(PLAN), dpi=DPI, body_pt=13.5, seed=3)[0]


@pytest.fixture(scope="module")
def scan(tmp_path_factory, page):
    """A one-page scanner PDF (a JPEG per page) and the pipeline's reading of it."""
    path = tmp_path_factory.mktemp("scan") / "ke-hoach.pdf"
    second = synth.render_lines(SECOND_PAGE, width_px=1654, dpi=DPI, font_pt=13)
    synth.save_pdf([page.image, second], path, dpi=DPI, quality=85)
    result = process_path(path, PipelineOptions(jobs=2))
    return path, result


@pytest.fixture(scope="module")
def searchable(tmp_path_factory, scan):
    path, result = scan
    before = _sha(path)
    out = tmp_path_factory.mktemp("out") / "ke-hoach.pdfa.pdf"
    report = make_pdf(path, out, PdfOptions(jobs=2), result=result)
    assert _sha(path) == before  # the input is never written
    return out, report


@pytest.fixture(scope="module")
def signing(tmp_path_factory):
    """A self-signed certificate and key made now (PEM files) for pyHanko's signer."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "UBND tinh Lai Chau (test)")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("signing")
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return folder / "key.pem", folder / "cert.pem"


@pytest.fixture(scope="module")
def signed_scan(tmp_path_factory, scan, signing):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    path, result = scan
    signer = signers.SimpleSigner.load(str(signing[0]), str(signing[1]))
    out = tmp_path_factory.mktemp("signed") / "ke-hoach-signed.pdf"
    with open(path, "rb") as f:
        signed = signers.sign_pdf(IncrementalPdfFileWriter(f, strict=False),
                                  signers.PdfSignatureMetadata(field_name="Signature1"),
                                  signer=signer)
    out.write_bytes(signed.getvalue())
    return out, result


def _validate_signature(pdf_path: Path, cert_pem: Path):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    with open(pdf_path, "rb") as f:
        reader = PdfFileReader(f, strict=False)
        sig = reader.embedded_signatures[0]
        return validate_pdf_signature(
            sig, ValidationContext(trust_roots=[load_cert_from_pemder(str(cert_pem))]))


# ---------------------------------------------------------------------- text layer (scan)
def test_search_finds_vietnamese_phrase_on_its_page(searchable, page):
    out, report = searchable
    assert report.kind == "scan" and report.pages == 2
    text = _pdftotext(out, "-f", "1", "-l", "1")
    folded = " ".join(text.split())
    assert PHRASE in folded  # what Ctrl+F in a viewer searches: the extracted text
    second = " ".join(_pdftotext(out, "-f", "2", "-l", "2").split())
    assert PHRASE not in second and "hướng dẫn thực hiện Luật" in second  # the right page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in folded
    # The text layer itself (content order, -raw) is vanban's reading order, correct Vietnamese;
    # poppler's default order reads the two header columns row by row.
    raw = _pdftotext(out, "-raw", "-f", "1", "-l", "1")
    dist, n = cer("\n".join(page.lines), raw)
    assert dist / n < 0.03, raw


def test_words_sit_on_their_boxes(searchable, scan):
    out, _ = searchable
    _, result = scan
    page_px = result.document.pages[0]
    with pikepdf.open(out) as pdf:
        pt = float(pdf.pages[0].mediabox[2]) / page_px.width  # vanban's pixels -> points
    boxes: dict[str, list] = {}
    for line in page_px.lines:
        for w in line.words:
            boxes.setdefault(w.text, []).append([v * pt for v in w.bbox])
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                       r'([^<]*)</word>', _pdftotext(out, "-bbox", "-f", "1", "-l", "1"))
    assert len(found) > 50
    inside = 0
    for x0, y0, x1, y1, text in found:
        cx, cy = (float(x0) + float(x1)) / 2, (float(y0) + float(y1)) / 2
        if any(b[0] - 2 <= cx <= b[2] + 2 and b[1] - 2 <= cy <= b[3] + 2
               for b in boxes.get(html.unescape(text), [])):
            inside += 1
    assert inside / len(found) >= 0.95, (inside, len(found))


def test_page_images_are_the_inputs(searchable, scan):
    out, _ = searchable
    src, _ = scan
    assert _image_streams(out) == _image_streams(src)  # same encoded bytes: not re-encoded
    assert np.array_equal(_render(out), _render(src))   # and the page renders the same pixels


def test_pdfa_declared_and_valid(searchable):
    from pikepdf.pdfa import check
    out, report = searchable
    assert report.pdfa == "PDF/A-3B"
    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
        intents = pdf.Root.OutputIntents
        assert intents[0].S == "/GTS_PDFA1" and "/DestOutputProfile" in intents[0]
        assert check(pdf, "3b").verdict == "pass"
    assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0


def test_metadata_and_record_attachment(searchable):
    out, report = searchable
    assert report.attached
    with pikepdf.open(out) as pdf:
        info = pdf.docinfo
        assert "7360/KH-UBND" in str(info.Subject) and "Kế hoạch" in str(info.Subject)
        assert "Lai Châu" in str(info.Author)
        assert "7360/KH-UBND" in str(info.Keywords)
        assert "TIÊU CHUẨN" in str(info.Title).upper()
        assert pdf.open_metadata()["dc:date"]
        spec = pdf.attachments["record.json"]
        record = json.loads(spec.get_file().read_bytes())
        assert record["document"]["number"] == "7360/KH-UBND"
        assert spec.obj.AFRelationship == "/Data"
        assert pdf.Root.AF[0].objgen == spec.obj.objgen


# --------------------------------------------------------------------------- signed input
def test_signed_input_kept_as_incremental_update(signed_scan, signing, tmp_path):
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    src, result = signed_scan
    before = src.read_bytes()
    out = tmp_path / "signed-searchable.pdf"
    report = make_pdf(src, out, PdfOptions(jobs=2, signature="keep"), result=result)
    assert src.read_bytes() == before
    assert report.signed and report.signature == "kept (incremental update)"
    assert out.read_bytes()[:len(before)] == before  # the signed revision, byte for byte
    status = _validate_signature(out, signing[1])
    assert status.intact and status.valid
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION  # update after signing
    assert PHRASE in " ".join(_pdftotext(out).split())
    with pikepdf.open(out) as pdf:
        assert "record.json" in pdf.attachments
    pdfsig = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in pdfsig and "Not total document signed" in pdfsig


def test_signed_input_invalidated_says_so(signed_scan, tmp_path, monkeypatch):
    src, result = signed_scan
    before = _sha(src)
    out = tmp_path / "signed-copy.pdf"
    # The CLI reads the document itself; hand it the fixture's reading to spare a second OCR.
    monkeypatch.setattr("vanban.pipeline.process_path", lambda path, options: result)
    run = CliRunner().invoke(main, ["pdf", str(src), "-o", str(out), "--signature",
                                    "invalidate", "-j", "2"])
    assert run.exit_code == 0, run.output
    assert "does NOT carry a valid digital signature" in run.stderr
    assert _sha(src) == before
    with pikepdf.open(out) as pdf:
        assert UNSIGNED_COPY_NOTE in str(pdf.open_metadata()["dc:description"])
        assert UNSIGNED_COPY_NOTE in str(pdf.docinfo.Subject)
        from vanban.pdfa import signature_fields
        assert signature_fields(pdf) == []  # no signature left that would fail to verify
        assert pdf.open_metadata().get("pdfaid:part") == "3", run.stderr
        from pikepdf.pdfa import check
        assert check(pdf, "3b").verdict == "pass"
    assert np.array_equal(_render(out), _render(src))  # the page looks as the signed one


# ------------------------------------------------------------ born-digital / garbled layer
def _born_digital(path: Path) -> None:
    from fpdf import FPDF
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("LiberationSerif", fname=str(synth.font_path()))
    pdf.set_font("LiberationSerif", size=13)
    for line in PLAN.splitlines():
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def test_born_digital_passed_through_with_metadata(tmp_path):
    src = tmp_path / "born.pdf"
    _born_digital(src)
    before = _sha(src)
    out = tmp_path / "born-out.pdf"
    run = CliRunner().invoke(main, ["pdf", str(src), "-o", str(out), "--progress"])
    assert run.exit_code == 0, run.output
    assert "born-digital" in run.stderr
    assert _sha(src) == before
    assert _pdftotext(out) == _pdftotext(src)  # its own text layer, no second one
    with pikepdf.open(out) as pdf:
        assert "7360/KH-UBND" in str(pdf.docinfo.Subject)
        assert "record.json" in pdf.attachments
        assert pdf.open_metadata()["pdfaid:part"] == "3"  # its fonts are embedded


def test_progress_lines_only_on_request_when_piped(tmp_path):
    src = tmp_path / "born.pdf"
    _born_digital(src)
    quiet = CliRunner().invoke(main, ["pdf", str(src), "-o", str(tmp_path / "a.pdf")])
    assert quiet.exit_code == 0 and "vanban: pdf:" not in quiet.stderr
    shown = CliRunner().invoke(main, ["pdf", str(src), "-o", str(tmp_path / "b.pdf"), "--progress"])
    assert shown.exit_code == 0 and "vanban: pdf: [1/1]" in shown.stderr


def test_garbled_layer_replaced(tmp_path, page):
    from fpdf import FPDF
    from fpdf.enums import TextMode
    jpg = tmp_path / "page.jpg"
    page.image.save(jpg, quality=85, dpi=(DPI, DPI))
    w_pt, h_pt = (v * 72 / DPI for v in page.image.size)
    pdf = FPDF(unit="pt", format=(w_pt, h_pt))
    pdf.add_page()
    pdf.image(str(jpg), x=0, y=0, w=w_pt, h=h_pt)
    pdf.set_font("helvetica", size=12)
    pdf.text_mode = TextMode.INVISIBLE
    for i in range(30):  # an old English-model OCR layer: "CONG Hcok xA HQI CHiJ ..."
        pdf.text(60, 60 + 20 * i, "CONG Hcok xA HQI CHiJ NGHiA VIET NAM Doc lap Tu do Hanh phuc")
    src = tmp_path / "garbled.pdf"
    pdf.output(str(src))
    out = tmp_path / "garbled-out.pdf"
    report = make_pdf(src, out, PdfOptions(jobs=2))
    assert report.kind == "redo"
    text = " ".join(_pdftotext(out).split())
    assert "Hcok" not in text and PHRASE in text
    assert _image_streams(out) == _image_streams(src)


# ------------------------------------------------------------- images, batch, the plugin
def test_batch_pdf_dir_from_jpeg(tmp_path, page):
    jpg = tmp_path / "in" / "trang.jpg"
    jpg.parent.mkdir()
    page.image.save(jpg, quality=85, dpi=(DPI, DPI))
    run = CliRunner().invoke(main, ["batch", str(jpg.parent), "--db", str(tmp_path / "c.db"),
                                    "--pdf-dir", str(tmp_path / "pdf"), "-j", "1",
                                    "--no-progress"])
    assert run.exit_code == 0, run.output
    out = tmp_path / "pdf" / "trang.pdf"
    assert _image_streams(out) == [jpg.read_bytes()]  # the JPEG itself is the page
    assert PHRASE in " ".join(_pdftotext(out).split())
    with pikepdf.open(out) as pdf:
        assert pdf.open_metadata()["pdfaid:part"] == "3"


def test_ocrmypdf_plugin_standalone(tmp_path, scan):
    src, _ = scan
    out = tmp_path / "plugin.pdf"
    run = subprocess.run([sys.executable, "-m", "ocrmypdf", "--plugin", "vanban.ocrmypdf_plugin",
                          "--output-type", "pdf", "-O0", "-j", "1", str(src), str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert PHRASE in " ".join(_pdftotext(out).split())


# ------------------------------------------------------------------------------- bad input
def test_bad_input_one_line_and_exit_3(tmp_path, scan):
    junk = tmp_path / "junk.pdf"
    junk.write_text("not a pdf")
    run = CliRunner().invoke(main, ["pdf", str(junk), "-o", str(tmp_path / "o.pdf")])
    assert run.exit_code == 3
    errors = [ln for ln in run.stderr.splitlines() if ln.startswith("vanban: error:")]
    assert len(errors) == 1 and "junk.pdf" in errors[0]
    assert "Traceback" not in run.output
    src, result = scan
    with pytest.raises(InputFileError):
        make_pdf(src, src, result=result)
    text = tmp_path / "plan.txt"
    text.write_text(PLAN, encoding="utf-8")
    run = CliRunner().invoke(main, ["pdf", str(text), "-o", str(tmp_path / "t.pdf")])
    assert run.exit_code == 3 and "has no page images" in run.stderr
    assert not (tmp_path / "t.pdf").exists()


def test_page_lying_on_its_side_gets_its_words_on_the_ink(tmp_path):
    lines = [PHRASE + ", phổ biến Luật đến cán bộ, công chức và người dân.",
             "Kế hoạch triển khai thi hành Luật sửa đổi, bổ sung một số điều của Luật",
             "Tiêu chuẩn và quy chuẩn kỹ thuật trên địa bàn tỉnh Lai Châu năm 2025.",
             "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành liên quan."] * 3
    upright = synth.render_lines(lines, width_px=1600, dpi=DPI, font_pt=13)
    stored = upright.rotate(90, expand=True)  # scanned sideways: vanban turns it to read it
    src = tmp_path / "sideways.pdf"
    synth.save_pdf([stored], src, dpi=DPI, quality=90)
    out = tmp_path / "sideways-out.pdf"
    make_pdf(src, out, PdfOptions(jobs=2))
    assert PHRASE in " ".join(_pdftotext(out).split())
    ink = np.asarray(stored.convert("L")) < 128
    px = DPI / 72
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">',
                       _pdftotext(out, "-bbox"))
    assert len(found) > 40
    on_ink = tall = 0
    for x0, y0, x1, y1 in found:
        box = ink[int(float(y0) * px):int(float(y1) * px) + 1,
                  int(float(x0) * px):int(float(x1) * px) + 1]
        on_ink += bool(box.size and box.mean() > 0.05)
        tall += (float(y1) - float(y0)) > (float(x1) - float(x0))  # runs up the page
    assert on_ink / len(found) >= 0.9
    assert tall / len(found) >= 0.7


def test_blank_page_still_gets_its_pdf(tmp_path):
    from PIL import Image
    blank = tmp_path / "blank.png"
    Image.new("L", (1240, 1754), 255).save(blank, dpi=(150, 150))
    out = tmp_path / "blank.pdf"
    run = CliRunner().invoke(main, ["pdf", str(blank), "-o", str(out), "-j", "1"])
    assert run.exit_code == 0, run.output
    assert "no plan record" in run.stderr
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 1 and pdf.open_metadata()["pdfaid:part"] == "3"


def test_pdfa_2b_has_no_attachment(tmp_path):
    from pikepdf.pdfa import check
    src = tmp_path / "born.pdf"
    _born_digital(src)
    out = tmp_path / "born-2b.pdf"
    run = CliRunner().invoke(main, ["pdf", str(src), "-o", str(out), "--pdfa", "2"])
    assert run.exit_code == 0, run.output
    with pikepdf.open(out) as pdf:
        assert pdf.open_metadata()["pdfaid:part"] == "2"
        assert len(pdf.attachments) == 0 and "/AF" not in pdf.Root
        assert check(pdf, "2b").verdict == "pass"


# ------------------------------------------------------------------ reading order in pdftotext
#: The closing of a directive: the "Nơi nhận" list on the left, the signature block beside it.
RECIPIENTS = ["Nơi nhận:", "- Như trên;", "- Văn phòng Chính phủ (b/c);", "- TT Tỉnh ủy, TT HĐND tỉnh;",
              "- CT, PCT UBND tỉnh;", "- Các Sở, ban, ngành tỉnh;", "- Lưu: VT, KTN."]
SIGNATURE = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def _closing_page():
    """A page as vanban reads it (300 dpi): the list and the signature as two blocks whose
    lines share rows. Ink heights differ line by line (capitals, stacked diacritics,
    descenders) and the list's gaps are uneven (a wrapped item, a spacing before), as
    Tesseract reports them on real scans."""
    from vanban.model import Block, Line, Page, Word

    def line(text, x, top, height):
        words, left = [], x
        for token in text.split():
            width = 21 * len(token)
            words.append(Word(token, (left, top, left + width, top + height), 90.0))
            left += width + 17
        return Line(words=words, bbox=(x, top, left - 17, top + height))

    tops = [1300, 1352, 1400, 1458, 1506, 1560, 1607]
    heights = [40, 44, 37, 45, 36, 43, 38]
    recipients = [line(t, 380, top, h) for t, top, h in zip(RECIPIENTS, tops, heights)]
    signature = [line(t, 1600, top, h) for t, top, h in zip(SIGNATURE, (1296, 1352), (42, 47))]
    blocks = [Block(lines=recipients, bbox=(380, 1300, 1100, 1645), role="recipients"),
              Block(lines=signature, bbox=(1600, 1296, 2000, 1399), role="signature")]
    return Page(number=1, blocks=blocks, width=2480, height=3508, dpi=300.0)


def test_pdftotext_reads_the_recipients_column_before_the_signature(tmp_path):
    """poppler's layout analysis (pdftotext's default order, viewers' copy) joins lines into a
    block only when their font sizes agree within 5% and their baselines lie within 1.5 font
    sizes; the text layer's font sizes come from the line boxes, so the list must get one size
    big enough for its widest usual gap, or poppler reads the two columns row by row."""
    from PIL import Image

    from vanban.model import Document
    from vanban.pipeline import PipelineResult
    scan_png = tmp_path / "closing.png"
    Image.new("L", (2480, 3508), 255).save(scan_png, dpi=(300, 300))
    doc = Document(source=str(scan_png), pages=[_closing_page()])
    out = tmp_path / "closing.pdf"
    make_pdf(scan_png, out, PdfOptions(jobs=1),
             result=PipelineResult(document=doc, record=None, timings={}))
    text = " ".join(_pdftotext(out).split())
    assert " ".join(RECIPIENTS) in text, text
    assert " ".join(SIGNATURE) in text, text
    # and in the text layer's own order, as written
    assert " ".join(_pdftotext(out, "-raw").split()) == " ".join(RECIPIENTS + SIGNATURE)

