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
    """The shares of the line height used for poppler's thresholds (font size, word box) are
    those of the renderer's font."""
    from ocrmypdf.font.font_provider import BuiltinFontProvider

    from vanban import ocrmypdf_plugin
    font = BuiltinFontProvider().get_font("NotoSans-Regular")
    ascent, descent, _upem = font.get_font_metrics()
    a, d = ascent / _upem, abs(descent) / _upem
    share = a / (a + d)
    assert ocrmypdf_plugin.FONT_SHARE_OF_LINE == pytest.approx(share, abs=0.005)
    # poppler's word box (ascent and descent from the baseline the renderer sets)
    assert ocrmypdf_plugin.POPPLER_BOX_ABOVE == pytest.approx(d / (a + d) + a * share - 1,
                                                              abs=0.005)
    assert ocrmypdf_plugin.POPPLER_BOX_BELOW == pytest.approx(d * share - d / (a + d),
                                                              abs=0.005)


# --------------------------------------------------------- the text layer without the pipeline
LINES = ["Kế hoạch số 12/KH-UBND ngày 3 tháng 2 năm 2026",
         "Đẩy mạnh công tác tuyên truyền, phổ biến pháp luật",
         "đến cán bộ, công chức và người dân trên địa bàn tỉnh."]


def _word_boxes(pdf: Path) -> list[tuple]:
    import re
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html)]


def _images(pdf_path: Path) -> list[bytes]:
    import pikepdf
    with pikepdf.open(pdf_path) as pdf:
        return [image.read_raw_bytes() for page in pdf.pages
                for _, image in sorted(page.obj.Resources.get("/XObject", {}).items())
                if image.get("/Subtype") == "/Image"]


def test_direct_text_layer_is_the_pipelines(tmp_path, monkeypatch):
    """A scanned PDF's text layer is OCRmyPDF's renderer drawn straight onto the input's
    pages (no OCRmyPDF pipeline, no rewritten copy): the same text in both orders, the same
    word boxes (within 0.1 pt), the input's page images, qpdf-clean, PDF/A-3b."""
    from tests.support import synth
    from vanban import pdfa
    from vanban.pipeline import PipelineOptions, process_path
    scan = tmp_path / "scan.pdf"
    page = synth.render_lines(LINES, width_px=1654, dpi=200, font_pt=13)
    synth.save_pdf([page], scan, dpi=200, quality=85)
    result = process_path(scan, PipelineOptions(jobs=1))

    direct = tmp_path / "direct.pdf"
    called = []
    real = pdfa.text_layer_pdf
    monkeypatch.setattr(pdfa, "text_layer_pdf", lambda *a, **k: called.append(1) or real(*a, **k))
    report = make_pdf(scan, direct, PdfOptions(jobs=1), result=result)
    assert not called and report.pdfa == "PDF/A-3B"

    monkeypatch.setattr(pdfa, "DIRECT_TEXT_LAYER", False)
    piped = tmp_path / "pipeline.pdf"
    assert make_pdf(scan, piped, PdfOptions(jobs=1), result=result).pdfa == "PDF/A-3B"
    assert called  # this one went through OCRmyPDF's pipeline

    for args in ((), ("-raw",)):
        assert _pdftotext(direct, *args) == _pdftotext(piped, *args)
    assert "Đẩy mạnh công tác tuyên truyền" in " ".join(_pdftotext(direct).split())
    a, b = _word_boxes(direct), _word_boxes(piped)
    assert [w[4] for w in a] == [w[4] for w in b] and a
    assert max(abs(x - y) for p, q in zip(a, b) for x, y in zip(p[:4], q[:4])) < 0.1
    assert _images(direct) == _images(scan)
    assert subprocess.run(["qpdf", "--check", str(direct)], capture_output=True).returncode == 0


def test_direct_text_layer_skips_rotated_pages(tmp_path):
    """A page turned by /Rotate is left to OCRmyPDF's pipeline, which maps it."""
    import pikepdf

    from tests.support import synth
    from vanban import pdfa
    from vanban.model import Document, Page
    scan = tmp_path / "scan.pdf"
    synth.save_pdf([synth.render_lines(LINES[:1], width_px=800, dpi=100, font_pt=13)], scan,
                   dpi=100, quality=85)
    doc = Document(source=str(scan), pages=[Page(number=1, width=800, height=100, dpi=100.0)])
    with pikepdf.open(scan) as pdf:
        assert pdfa.direct_layer_fits(pdf, doc)
        pdf.pages[0].obj.Rotate = 90
        assert not pdfa.direct_layer_fits(pdf, doc)


# ------------------------------------------------- a one-line block up left of another block
def _spread(text: str, x0: int, x1: int, top: int, height: int):
    """A line whose words fill x0..x1 (widths by letters, 17 px gaps), as Tesseract boxes it."""
    from vanban.model import Line, Word
    tokens = text.split()
    per_char = (x1 - x0 - 17 * (len(tokens) - 1)) / sum(map(len, tokens))
    words, left = [], float(x0)
    for token in tokens:
        right = left + per_char * len(token)
        words.append(Word(token, (round(left), top, round(right), top + height), 90.0))
        left = right + 17
    return Line(words=words, bbox=(x0, top, x1, top + height))


ISSUER = [("VĂN PHÒNG CHÍNH PHỦ", 314, 969, 278, 57), ("Số: 3722/VPCP-CN", 410, 882, 486, 55),
          ("V/v cơ chế đặc thù xây dựng công trình", 282, 1008, 562, 74),
          ("khẩn cấp đối với Dự án kéo dài tuyến", 302, 990, 611, 75),
          ("Metro Bến Thành - Suối Tiên đến Trung", 277, 1021, 663, 62),
          ("tâm hành chính tỉnh và Cảng hàng không", 271, 1027, 726, 45),
          ("quốc tế Long Thành", 460, 833, 772, 54)]
#: The motto column, with a stamp's number OCRed above it (as on the real letter).
MOTTO = [("TT9I", 2020, 2164, 169, 68), ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1101, 2236, 272, 67),
         ("Độc lập - Tự do - Hạnh phúc", 1309, 2027, 345, 61),
         ("Hà Nội, ngày 28 tháng 4 năm 2026", 1253, 2087, 480, 59)]
TO = [("Kính gửi:", 690, 914, 917, 55)]
RECIPIENTS_TO = [("- Các Bộ: Công an, Tư pháp, Tài chính, Xây dựng,", 930, 2120, 976, 60),
                 ("Nông nghiệp và Môi trường;", 957, 1631, 1047, 71)]
BODY = [("Xét đề nghị của Ủy ban nhân dân tỉnh Đồng Nai tại văn bản số 92/TTr-UBND",
         452, 2227, 1239, 83),
        ("ngày 21 tháng 4 năm 2026 về việc ban hành Quyết định xây dựng công trình khẩn",
         335, 2228, 1310, 85)]


def _letter_page():
    from vanban.model import Block, Page
    blocks = []
    for rows, role in ((ISSUER, "header_left"), (MOTTO, "header_right"), (TO, "body"),
                       (RECIPIENTS_TO, "body"), (BODY, "body")):
        lines = [_spread(text, x0, x1, top, h) for text, x0, x1, top, h in rows]
        blocks.append(Block(lines=lines, bbox=(min(r[1] for r in rows), min(r[3] for r in rows),
                                               max(r[2] for r in rows),
                                               max(r[3] + r[4] for r in rows)), role=role))
    return Page(number=1, blocks=blocks, width=2505, height=3534, dpi=300.0)


def test_one_line_block_up_left_is_read_after_the_header(tmp_path):
    """"Kính gửi:" sits a line above the recipients list, up left of it, under the issuer
    column; its ink and the list's are 4 px apart, but poppler's boxes (1.07 line heights)
    touched, so poppler took them for one row, would not let "Kính gửi:" reach under the
    motto column, and by its rule "left of it and nothing in between" read it before the
    motto. Its line is now low enough that the boxes do not touch."""
    page = _letter_page()
    out = _write(tmp_path, page)
    everything = " ".join(" ".join(r[0] for rows in (ISSUER, MOTTO, TO, RECIPIENTS_TO, BODY)
                                   for r in rows).split())
    # poppler's order is vanban's: the issuer column, the motto column, "Kính gửi:", ...
    assert " ".join(_pdftotext(out).split()) == everything
    assert " ".join(_pdftotext(out, "-raw").split()) == everything
    # still on its words: the centre of "Kính" lies inside vanban's box for it
    import re
    html = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    x0, y0, x1, y1 = map(float, re.search(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Kính</word>',
        html).groups())
    box = page.blocks[2].lines[0].words[0].bbox
    assert box[1] <= (y0 + y1) / 2 * 300 / 72 <= box[3]
    assert box[0] <= (x0 + x1) / 2 * 300 / 72 <= box[2]


def _blank_scan(tmp_path: Path, page) -> Path:
    from PIL import Image
    scan = tmp_path / "scan.pdf"
    Image.new("L", (page.width, page.height), 255).save(scan, "PDF", resolution=300.0)
    return scan


def _make_from_words(scan: Path, page, out: Path):
    from vanban.model import Document
    from vanban.pipeline import PipelineResult
    return make_pdf(scan, out, PdfOptions(jobs=1), result=PipelineResult(
        document=Document(source=str(scan), pages=[page]), record=None, timings={}))


@pytest.fixture
def pipeline_calls(monkeypatch):
    """Every call of OCRmyPDF's pipeline path (``pdfa.text_layer_pdf``), which still runs."""
    from vanban import pdfa
    calls = []
    real = pdfa.text_layer_pdf

    def spy(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)
    monkeypatch.setattr(pdfa, "text_layer_pdf", spy)
    return calls


def _header_pdf_through_the_pipeline(tmp_path: Path, pipeline_calls: list):
    """The header page's PDF made from its words on a blank scan, whose text layer OCRmyPDF's
    pipeline wrote (called once, on that scan): make_pdf's report and the PDF."""
    page = _header_page(right_x=1073)
    scan = _blank_scan(tmp_path, page)
    out = tmp_path / "out.pdf"
    report = _make_from_words(scan, page, out)
    assert pipeline_calls == [scan]
    return report, out


def test_the_installed_ocrmypdf_takes_the_direct_path(tmp_path, pipeline_calls):
    """The version pinned in pyproject.toml is one the direct text layer was tested with: a
    clean install draws it directly (no pipeline run, no warning)."""
    page = _header_page(right_x=1073)
    out = tmp_path / "out.pdf"
    report = _make_from_words(_blank_scan(tmp_path, page), page, out)
    assert pipeline_calls == []
    assert not any("direct text layer" in w for w in report.warnings), report.warnings
    assert report.pdfa == "PDF/A-3B"
    assert " ".join(_pdftotext(out, "-raw").split()) == " ".join(LEFT + RIGHT)


def test_without_the_renderer_classes_the_pipeline_writes_the_layer(tmp_path, monkeypatch,
                                                                     pipeline_calls):
    """An OCRmyPDF whose renderer classes moved (they are not its documented API): the text
    layer still comes, through OCRmyPDF's pipeline with the plugin, and a warning says so."""
    import builtins
    real_import = builtins.__import__

    def renderer_moved(name, globals=None, *args, **kwargs):  # only vanban.pdfa's import
        if name == "ocrmypdf.fpdf_renderer" and (globals or {}).get("__name__") == "vanban.pdfa":
            raise ImportError("cannot import name 'Fpdf2MultiPageRenderer'")
        return real_import(name, globals, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", renderer_moved)
    report, out = _header_pdf_through_the_pipeline(tmp_path, pipeline_calls)
    assert any(w.startswith("direct text layer unavailable") and "renderer classes" in w
               for w in report.warnings), report.warnings
    assert report.pdfa == "PDF/A-3B"
    assert " ".join(_pdftotext(out, "-raw").split()) == " ".join(LEFT + RIGHT)


def test_an_untested_ocrmypdf_version_takes_the_pipeline(tmp_path, monkeypatch,
                                                         pipeline_calls):
    import ocrmypdf
    monkeypatch.setattr(ocrmypdf, "__version__", "99.0.0")
    report, _ = _header_pdf_through_the_pipeline(tmp_path, pipeline_calls)
    assert any("OCRmyPDF 99.0.0 is not a version it was tested with" in w
               for w in report.warnings), report.warnings


def test_a_renderer_failure_on_the_input_takes_the_pipeline(tmp_path, monkeypatch,
                                                            pipeline_calls):
    """fpdf2 failing on this input's words: the pipeline writes the layer, with a warning."""
    from fpdf.errors import FPDFException
    from ocrmypdf.fpdf_renderer import Fpdf2MultiPageRenderer

    real_render, calls = Fpdf2MultiPageRenderer.render, []

    def fails_once(self, path):  # vanban's direct call fails, the pipeline's own one works
        calls.append(path)
        if len(calls) == 1:
            raise FPDFException("odd glyph")
        return real_render(self, path)
    monkeypatch.setattr(Fpdf2MultiPageRenderer, "render", fails_once)
    report, out = _header_pdf_through_the_pipeline(tmp_path, pipeline_calls)
    assert any(w.startswith("direct text layer failed: FPDFException: odd glyph")
               for w in report.warnings), report.warnings
    assert " ".join(_pdftotext(out, "-raw").split()) == " ".join(LEFT + RIGHT)


def test_a_bug_in_vanbans_own_layer_code_is_not_hidden_by_the_fallback(tmp_path, monkeypatch,
                                                                       pipeline_calls):
    """Only OCRmyPDF's classes and their construction decide "unavailable": an error of
    vanban's own code is raised, not silently replaced by the pipeline."""
    from vanban import ocrmypdf_plugin

    def broken(*args, **kwargs):
        raise AttributeError("'Word' object has no attribute 'bbox2'")
    monkeypatch.setattr(ocrmypdf_plugin, "page_element", broken)
    page = _header_page(right_x=1073)
    with pytest.raises(AttributeError, match="bbox2"):
        _make_from_words(_blank_scan(tmp_path, page), page, tmp_path / "out.pdf")
    assert pipeline_calls == []


def _small_scan_pdf(path: Path) -> None:
    from tests.support.synth import render_lines, save_pdf
    save_pdf([render_lines(["ỦY BAN NHÂN DÂN TỈNH HÀ GIANG", "KẾ HOẠCH",
                            "Phát triển thư viện"], width_px=1400)], path)


@pytest.mark.parametrize("where", ["render", "graft", "bug"])
def test_batch_stores_the_record_when_the_direct_layer_fails(tmp_path, monkeypatch, where):
    """`vanban batch --pdf-dir`: a failure of the direct text layer (pikepdf, fpdf2, or an
    unforeseen error) costs the PDF at most, never the record (it was INTERNAL_ERROR and the
    record was lost)."""
    import pikepdf
    from ocrmypdf.fpdf_renderer import Fpdf2MultiPageRenderer

    from vanban import pdfa
    from vanban.corpus import Store, run_batch

    def pdf_error(*args, **kwargs):
        raise pikepdf.PdfError("damaged object")
    real_render, calls = Fpdf2MultiPageRenderer.render, []

    def render_fails_once(self, path):  # vanban's direct call, not the pipeline's own one
        calls.append(path)
        if len(calls) == 1:
            raise pikepdf.PdfError("damaged object")
        return real_render(self, path)

    def bug(*args, **kwargs):
        raise RuntimeError("unforeseen")
    if where == "render":  # fails while drawing: the pipeline writes the layer
        monkeypatch.setattr(Fpdf2MultiPageRenderer, "render", render_fails_once)
    elif where == "graft":  # fails grafting onto the input: no PDF, said why
        monkeypatch.setattr(pdfa, "graft_text_layer", pdf_error)
    else:
        monkeypatch.setattr(pdfa, "render_text_layer", bug)
    folder, out = tmp_path / "in", tmp_path / "pdf"
    folder.mkdir()
    _small_scan_pdf(folder / "a.pdf")
    summary = run_batch([folder], tmp_path / "c.db", jobs=1, options={"pdf_dir": str(out)},
                        progress=False)
    assert summary.stored == 1 and summary.failed == 0, summary.text()
    with Store(tmp_path / "c.db", readonly=True) as store:
        [doc] = store.query("document")
        warnings = store.record(doc["document_id"])["warnings"]
    pdf_warnings = [w for w in warnings if w.startswith("pdf: ")]
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    if where == "render":
        assert any("direct text layer failed: PdfError: damaged object" in w
                   for w in pdf_warnings), warnings
        assert written == ["a.pdf"]
        assert "thư viện" in " ".join(_pdftotext(out / "a.pdf").split())
    elif where == "graft":
        assert any(w.startswith("pdf: not written:") and "damaged object" in w
                   for w in pdf_warnings), warnings
        assert written == []
    else:
        assert any(w.startswith("pdf: not written: internal error (RuntimeError: unforeseen")
                   for w in pdf_warnings), warnings
        assert written == []


def _signed_like_a_real_signer(scan: Path, out: Path, stamp: bytes) -> None:
    """``scan`` with a filled signature field as Vietnamese signing software writes it: a
    visible stamp (appearance ``stamp``), the form's default fonts (/DR: Helvetica, a standard
    Type 1 font, not embedded) and ETSI's /ESIC extension marker in the catalog. The
    signature's bytes are not real: only ``--signature invalidate``'s rewrite is tested."""
    import pikepdf
    with pikepdf.open(scan) as pdf:
        helv = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica, Encoding=pikepdf.Name.WinAnsiEncoding))
        resources = (pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=helv)) if b"Tf" in stamp
                     else pikepdf.Dictionary())
        appearance = pdf.make_stream(stamp, Type=pikepdf.Name.XObject,
                                     Subtype=pikepdf.Name.Form, BBox=[0, 0, 200, 60],
                                     Resources=resources)
        value = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Sig, Filter=pikepdf.Name("/Adobe.PPKLite"),
            SubFilter=pikepdf.Name("/ETSI.CAdES.detached"),
            Contents=pikepdf.String(b"\0" * 64), ByteRange=[0, 0, 0, 0]))
        widget = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Sig,
            T=pikepdf.String("Sig1"), V=value, Rect=[350, 100, 550, 160], F=4,
            P=pdf.pages[0].obj, AP=pikepdf.Dictionary(N=appearance)))
        pdf.pages[0].obj.Annots = pikepdf.Array([widget])
        pdf.Root.AcroForm = pikepdf.Dictionary(
            Fields=[widget], SigFlags=3, DA=pikepdf.String("/Helv 0 Tf 0 g"),
            DR=pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=helv)))
        pdf.Root.Extensions = pikepdf.Dictionary(ESIC=pikepdf.Dictionary(
            BaseVersion=pikepdf.Name("/1.7"), ExtensionLevel=2))
        pdf.save(out)


def _render_page(path: Path):
    import numpy as np
    import pypdfium2
    doc = pypdfium2.PdfDocument(str(path))
    doc.init_forms()  # else pdfium leaves the signed file's widget (its stamp) undrawn
    try:
        return np.asarray(doc[0].render(scale=0.25).to_pil().convert("L"))
    finally:
        doc.close()


def _invalidated_copy(tmp_path: Path, stamp: bytes):
    """A header page signed like a real signer with the appearance ``stamp``, then its copy
    made with ``--signature invalidate``: the signed file, the copy and make_pdf's report."""
    from vanban.model import Document
    from vanban.pipeline import PipelineResult
    page = _header_page(right_x=1073)
    signed = tmp_path / "signed.pdf"
    _signed_like_a_real_signer(_blank_scan(tmp_path, page), signed, stamp)
    out = tmp_path / "copy.pdf"
    report = make_pdf(signed, out, PdfOptions(jobs=1, signature="invalidate"),
                      result=PipelineResult(document=Document(source=str(signed), pages=[page]),
                                            record=None, timings={}))
    return signed, out, report


def test_invalidated_real_signed_scan_is_pdfa(tmp_path):
    """Real signed scans (qng-ct11, ...) came out of `--signature invalidate` as plain PDF:
    flattening the stamp copied the form's non-embedded Helvetica into the page ("Type 1
    font has no /FontDescriptor"), and the catalog kept ETSI's /ESIC extension. Both go with
    the signatures; the page still looks as the signed one."""
    import numpy as np
    import pikepdf

    from vanban.pdfa import signature_fields
    signed, out, report = _invalidated_copy(tmp_path, b"0 0 1 rg 0 0 200 60 re f")
    assert report.signature == "invalidated"
    assert report.pdfa == "PDF/A-3B", report.warnings
    with pikepdf.open(out) as pdf:
        assert signature_fields(pdf) == [] and "/Extensions" not in pdf.Root
        from pikepdf.pdfa import check
        assert check(pdf, "3b").verdict == "pass"
    assert " ".join(_pdftotext(out, "-raw").split()) == " ".join(LEFT + RIGHT)
    assert np.array_equal(_render_page(out), _render_page(signed))  # the stamp is still there


def test_invalidated_copy_whose_stamp_uses_a_non_embedded_font_says_not_pdfa(tmp_path):
    """A stamp that really draws its text in a non-embedded font cannot be PDF/A without
    embedding a font (not done: Ghostscript would re-encode the page images): plain PDF, and
    the warning says why."""
    import pikepdf

    _, out, report = _invalidated_copy(tmp_path, b"BT /Helv 12 Tf 10 20 Td (Ky boi) Tj ET")
    assert report.pdfa is None
    assert any(w.startswith("not PDF/A (saved as plain PDF):") and "/FontDescriptor" in w
               for w in report.warnings), report.warnings
    with pikepdf.open(out) as pdf:
        assert "pdfaid:part" not in pdf.open_metadata()
