"""Searchable PDF/A for archivists: the original page images with vanban's corrected Vietnamese
as an invisible text layer, the plan record as metadata and as an attached ``record.json``.

Steps for one input (each a small named function below):

1. **read** the whole document with the pipeline (ocr -> normalize -> extract), so the text
   layer carries the restored diacritics and the metadata comes from the plan record;
2. **classify** the input: a scan (no text), a PDF with a garbled invisible layer (replaced), a
   born-digital PDF whose own text layer is real (passed through: metadata only), a digitally
   signed PDF;
3. **text layer**: OCRmyPDF's fpdf2 renderer writes one invisible run per word on the word's
   box, from vanban's words (``vanban.ocrmypdf_plugin.page_element``). On a scanned PDF with
   upright pages (:func:`direct_layer_fits`) the renderer is called directly
   (:func:`render_text_layer`) and its pages are grafted under the input's pages
   (:func:`graft_text_layer`); on other inputs (images, a garbled layer to replace, rotated
   or cropped pages), or when the direct path is unavailable or fails (a warning says why),
   OCRmyPDF's pipeline runs with ``vanban.ocrmypdf_plugin`` as its OCR engine. Either way the
   page images stay as they are (no optimisation, no rasterising into the output);
4. **finish**: document metadata and ``record.json`` (PDF/A-3 associated file, relationship
   /Data), then PDF/A declared and validated by ``pikepdf.pdfa`` (no Ghostscript, which would
   re-encode the page images). A file that does not validate is written as plain PDF with a
   warning that says why;
5. **signed input** is never altered. ``signature="keep"`` (default) writes the copy as an
   incremental update appended to the signed bytes (pyHanko), so the signed revision stays
   verifiable; ``signature="invalidate"`` writes a rewritten PDF/A whose metadata and stderr say
   plainly that it carries no valid signature.

Which PDF/A part: 3b by default, because only PDF/A-3 allows a non-PDF/A attachment (the
record as JSON, an "associated file"); ``pdfa_part=2`` gives PDF/A-2b without the attachment.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .errors import (InputFileError, MissingDependencyError, NotADocumentError, OutputError,
                     OutputWriteError, VanbanError, check_regular_file, pikepdf_source)
from .model import Document, PlanRecord, file_sha256
from .outputs import content_name, name_max, plain_name

#: What ``signature=`` accepts: keep (incremental update) or invalidate (rewritten copy).
SIGNATURE_POLICIES = ("keep", "invalidate")

#: ``make_pdfs`` loads the restore and extract models and imports the PDF writers on a thread
#: while the first input is OCRed (docs/pdf.md, "Time and memory"); False: each when first
#: used, as before (what ``bench/pdf_speed.py --ab`` compares against).
BACKGROUND_LOADING = True

#: A scanned PDF whose pages are upright gets its text layer from OCRmyPDF's renderer drawn
#: straight onto its pages (:func:`render_text_layer`); False: through OCRmyPDF's whole
#: pipeline with the plugin as its engine, as other inputs (what ``bench/pdf_speed.py
#: --ab-pipeline`` compares against).
DIRECT_TEXT_LAYER = True

#: Said in the metadata of a rewritten copy of a signed input (and on stderr).
UNSIGNED_COPY_NOTE = ("Searchable copy of a digitally signed PDF: this copy does NOT carry a "
                      "valid digital signature; verify the original file.")


@dataclass
class PdfOptions:
    """Settings of ``vanban pdf`` (and of ``vanban batch --pdf-dir``)."""
    jobs: int = 1                  # pages OCRed in parallel
    restore_mode: str = "auto"     # vanban.normalize mode; "off": raw OCR text
    ocr: dict = field(default_factory=dict)  # vanban.ocr.OcrOptions keyword arguments
    pdfa_part: int = 3             # 3: PDF/A-3b with record.json; 2: PDF/A-2b, no attachment
    signature: str = "keep"        # signed input: keep (incremental update) | invalidate


@dataclass
class PdfReport:
    """What was written for one input."""
    source: str
    output: str
    kind: str                      # scan | redo (garbled layer replaced) | born-digital
    pages: int
    pdfa: str | None               # "PDF/A-3B", or None (plain PDF; see warnings)
    signed: bool = False
    signature: str | None = None   # None | "kept (incremental update)" | "invalidated"
    attached: bool = False         # record.json attached
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


# ------------------------------------------------------------------------------- classify
def is_pdf(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(1024).lstrip().startswith(b"%PDF")


def signature_fields(pdf) -> list[str]:
    """Names of the filled signature fields of an open pikepdf.Pdf (empty: not signed)."""
    form = pdf.Root.get("/AcroForm")
    names = []
    if form is None:
        return names
    stack = list(form.get("/Fields", []))
    while stack:
        fld = stack.pop()
        if fld.get("/FT") == "/Sig" and fld.get("/V") is not None:
            names.append(str(fld.get("/T", "")))
        stack.extend(fld.get("/Kids", []))
    return names


def has_text_operators(pdf) -> bool:
    """Whether any page draws text (a real or an invisible OCR layer)."""
    for page in pdf.pages:
        try:
            for _operands, op in _content_ops(page):
                if str(op) in ("Tj", "TJ", "'", '"'):
                    return True
        except Exception:  # unreadable content: let OCRmyPDF decide
            return True
    return False


def _content_ops(page):
    import pikepdf
    yield from pikepdf.parse_content_stream(page)
    for _, xobj in (page.Resources.get("/XObject") or {}).items():
        if xobj.get("/Subtype") == "/Form":
            yield from pikepdf.parse_content_stream(xobj)


def classify(doc: Document, pdf=None) -> str:
    """scan, redo (a PDF whose invisible layer is garbled) or born-digital (real text)."""
    sources = {p.source for p in doc.pages}
    if sources and sources <= {"text-layer", "text"}:
        return "born-digital"
    if pdf is not None and has_text_operators(pdf):
        return "redo"
    return "scan"


# ------------------------------------------------------------------------------- metadata
def record_metadata(record: PlanRecord | None, doc: Document) -> dict:
    """Title, subject (kind and number), author (issuer), date and keywords from the record."""
    d = (record.document if record else None) or {}
    kind, number = d.get("type"), d.get("number")
    title = d.get("title") or " ".join(x for x in (kind, number) if x) or Path(doc.source).stem
    subject = " ".join(x for x in (kind, f"số {number}" if number else None) if x) or None
    period = d.get("period")
    if isinstance(period, dict):  # {"start": 2025, "end": 2030}
        period = "-".join(str(v) for v in period.values() if v) or None
    keywords = [str(x) for x in (kind, number, d.get("issuer"), d.get("place"), period) if x]
    if d.get("date"):
        keywords.append(str(d["date"])[:4])
    return {"title": " ".join(str(title).split()), "subject": subject,
            "author": d.get("issuer"), "date": d.get("date"), "keywords": keywords}


def _apply_metadata(pdf, meta: dict, note: str | None) -> None:
    import pikepdf
    description = "; ".join(x for x in (meta["subject"], note) if x)
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:title"] = meta["title"]
        if description:
            xmp["dc:description"] = description
        if meta["author"]:
            xmp["dc:creator"] = [meta["author"]]
        if meta["keywords"]:
            xmp["pdf:Keywords"] = "; ".join(meta["keywords"])
            xmp["dc:subject"] = set(meta["keywords"])
        if meta["date"]:
            xmp["dc:date"] = [str(meta["date"])]
        xmp["dc:language"] = ["vi"]
        xmp["pdf:Producer"] = f"vanban {_version()} + OCRmyPDF + pikepdf"
    pdf.Root.Lang = pikepdf.String("vi")


def _attach_record(pdf, record: PlanRecord | None) -> None:
    import pikepdf
    data = json.dumps(record.to_dict() if record else {}, ensure_ascii=False, indent=1)
    now = datetime.now(timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
    spec = pikepdf.AttachedFileSpec(
        pdf, data.encode("utf-8", "backslashreplace"), filename="record.json", mime_type="application/json",
        description="vanban plan record (JSON, schema vanban/schema/plan-record)",
        creation_date=now, mod_date=now, relationship=pikepdf.Name.Data)
    pdf.attachments["record.json"] = spec
    pdf.Root.AF = pikepdf.Array([spec.obj])


def _drop_view_open_action(pdf) -> None:
    """Remove an /OpenAction that only sets the opening view (a page destination or GoTo, as
    PDF writers like fpdf2 add): PDF/A allows it, but pikepdf's allowlist validator does not
    cover it, and the archival copy loses nothing but a zoom level."""
    import pikepdf
    action = pdf.Root.get("/OpenAction")
    if action is None:
        return
    if isinstance(action, pikepdf.Array) or (isinstance(action, pikepdf.Dictionary)
                                             and action.get("/S") == "/GoTo"):
        del pdf.Root["/OpenAction"]


def _version() -> str:
    from . import __version__
    return __version__


def finish_pdf(pdf, output: Path, meta: dict, record: PlanRecord | None, options: PdfOptions,
               note: str | None, report: PdfReport) -> None:
    """Metadata, record.json and PDF/A (validated) on an open pikepdf.Pdf, written to ``output``.

    A document pikepdf's validator does not approve is saved as a plain PDF, with the reason
    among the warnings: a file that claims PDF/A must be PDF/A.
    """
    from pikepdf.pdfa import Flavour, PdfaError
    from pikepdf.pdfa import save as save_pdfa
    _apply_metadata(pdf, meta, note)
    _drop_view_open_action(pdf)
    if options.pdfa_part == 3:
        _attach_record(pdf, record)
        report.attached = True
    flavour = Flavour.PDFA_3B if options.pdfa_part == 3 else Flavour.PDFA_2B
    try:
        save_pdfa(pdf, output, flavour, output_intent="sRGB")
        report.pdfa = f"PDF/A-{flavour.value.upper()}"
    except PdfaError as err:
        findings = getattr(err.report, "findings", []) or []
        first = str(findings[0]) if findings else str(err)
        report.warnings.append(f"not PDF/A (saved as plain PDF): {first.splitlines()[0]}")
        with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:  # claim nothing
            for key in ("pdfaid:part", "pdfaid:conformance", "pdfaid:amd"):
                if key in xmp:
                    del xmp[key]
        pdf.save(output)


#: The modules that write a signed input's incremental update (:func:`incremental_copy`).
INCREMENTAL_WRITERS = ("pyhanko.pdf_utils.incremental_writer", "pyhanko.pdf_utils.embed")
#: The module that saves every other output as PDF/A (:func:`finish_pdf`).
PDFA_WRITERS = ("pikepdf.pdfa",)


def import_pdf_writers(incremental: bool = True, pdfa: bool = True) -> None:
    """Import what writes the output (OCRmyPDF with its fpdf2 renderer and this project's
    plugin, pikepdf; with ``incremental`` pyHanko for a signed input's incremental update,
    with ``pdfa`` pikepdf's PDF/A writer for every other output): about half a second of
    imports that :func:`make_pdfs` does on a thread while the OCR runs."""
    import importlib
    for name in ("pikepdf", *(PDFA_WRITERS if pdfa else ()), "ocrmypdf",
                 "ocrmypdf._pipelines.ocr", "ocrmypdf.font", "ocrmypdf.fpdf_renderer",
                 "vanban.ocrmypdf_plugin", *(INCREMENTAL_WRITERS if incremental else ())):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - missing: reported where it is used
            pass
    try:
        fonts = _text_layer_fonts(_renderer_classes()[1])
        with _RENDER_LOCK:  # OCRmyPDF's search of the system's fonts, not under a render
            fonts.get_all_fonts()
    except Exception:  # noqa: BLE001 - OCRmyPDF missing: reported where it is used
        pass


# ----------------------------------------------------------------------------- text layer
_OCRMYPDF_LOCK = threading.Lock()  # the plugin reads its pages file from the environment


def text_layer_pdf(source: Path, doc: Document, kind: str, work: Path, jobs: int) -> Path:
    """The input with vanban's words as OCRmyPDF's invisible text layer (page images kept)."""
    import logging

    try:
        import ocrmypdf
        from ocrmypdf import exceptions as omp
    except ImportError:
        raise MissingDependencyError("OCRmyPDF is not installed (pip install ocrmypdf; "
                                     "scripts/install.sh does it)", str(source)) from None

    from . import ocrmypdf_plugin
    pages = layer_words(source, doc)
    pages_file = ocrmypdf_plugin.write_pages_file(pages, work / "pages.json")
    out = work / "text-layer.pdf"
    logging.getLogger("ocrmypdf").setLevel(logging.WARNING)
    with _OCRMYPDF_LOCK:
        saved = os.environ.get(ocrmypdf_plugin.PAGES_ENV)
        os.environ[ocrmypdf_plugin.PAGES_ENV] = str(pages_file)
        # OCRmyPDF 17's (disabled) rich progress bar leaves sys.stderr redirected to a buffer.
        streams = sys.stdout, sys.stderr
        try:
            ocrmypdf.ocr(source, out, plugins=["vanban.ocrmypdf_plugin"], output_type="pdf",
                         optimize=0, jobs=max(1, jobs), use_threads=True, progress_bar=False,
                         mode="redo" if kind == "redo" else "default",
                         invalidate_digital_signatures=True, pdf_renderer="fpdf2",
                         image_dpi=300 if doc.pages and not doc.pages[0].dpi else None)
        except omp.MissingDependencyError as err:
            raise MissingDependencyError(f"OCRmyPDF: {err}", str(source)) from None
        except (omp.InputFileError, omp.UnsupportedImageFormatError, omp.DpiError,
                omp.EncryptedPdfError) as err:
            raise InputFileError(f"OCRmyPDF cannot read it: {err}", str(source)) from None
        except omp.ExitCodeException as err:
            raise VanbanError(f"OCRmyPDF failed: {type(err).__name__}: {err}",
                              str(source)) from None
        finally:
            sys.stdout, sys.stderr = streams
            if saved is None:
                os.environ.pop(ocrmypdf_plugin.PAGES_ENV, None)
            else:
                os.environ[ocrmypdf_plugin.PAGES_ENV] = saved
    return out


def layer_words(source: Path, doc: Document) -> Document:
    """The words that go into the text layer: the OCRed pages' words, less those under an
    annotation that draws its own text (:func:`annotation_text_boxes`); a page with a real
    text layer gets no second layer."""
    covered = annotation_text_boxes(source) if is_pdf(source) else {}
    return Document(source=doc.source, pages=[
        _without_words_in(p, covered.get(p.number, [])) if p.source == "ocr"
        else type(p)(number=p.number, width=p.width, height=p.height, dpi=p.dpi,
                     source=p.source)
        for p in doc.pages])


def direct_layer_fits(pdf, doc: Document) -> bool:
    """Whether the text layer can be drawn straight onto this PDF's pages (see
    :func:`render_text_layer`): one vanban page per PDF page, every page upright (no
    /Rotate, no /UserUnit) and showing its whole media box (vanban read the page as
    rendered, i.e. its crop box)."""
    if len(pdf.pages) != len(doc.pages):
        return False
    for page in pdf.pages:
        if int(page.obj.get("/Rotate", 0)) % 360 or "/UserUnit" in page.obj:
            return False
        if [float(v) for v in page.cropbox] != [float(v) for v in page.mediabox]:
            return False
    return True


#: Words laid out at this resolution for the renderer (any will do: the renderer turns
#: pixels back into points with it).
_LAYER_DPI = 300.0
_RENDER_LOCK = threading.Lock()  # one font manager, shared by documents rendered in threads
_FONTS: list = []


#: OCRmyPDF major versions :func:`render_text_layer` was tested with: it relies on internals
#: that are not OCRmyPDF's documented API (the renderer's ``(pageno, ocr_tree, dpi)`` pages,
#: ``MultiFontManager(font_dir)``). Another version gets the text layer through OCRmyPDF's
#: pipeline, with a warning.
DIRECT_LAYER_OCRMYPDF_MAJORS = ("17",)


class DirectLayerUnavailable(Exception):
    """The installed OCRmyPDF cannot draw the direct text layer; the message says why."""


class DirectLayerFailed(Exception):
    """Drawing the direct text layer failed on this input; the message says how."""


def _direct_layer_errors() -> tuple[type[BaseException], ...]:
    """What drawing or grafting the direct text layer can raise on an odd input (pikepdf,
    fpdf2, a bad number): caught, the pipeline writes the layer instead."""
    import pikepdf
    errors: tuple[type[BaseException], ...] = (pikepdf.PdfError, ValueError)
    try:
        from fpdf.errors import FPDFException
        errors += (FPDFException,)
    except ImportError:
        pass
    return errors


def _renderer_classes():
    """OCRmyPDF's fpdf2 renderer and font manager classes, or :class:`DirectLayerUnavailable`
    if the installed OCRmyPDF is not a tested version or lacks them."""
    try:
        import ocrmypdf
    except ImportError as err:
        raise DirectLayerUnavailable(f"OCRmyPDF is not installed ({err})") from None
    version = str(getattr(ocrmypdf, "__version__", "unknown"))
    if version.split(".")[0] not in DIRECT_LAYER_OCRMYPDF_MAJORS:
        raise DirectLayerUnavailable(
            f"OCRmyPDF {version} is not a version it was tested with "
            f"({', '.join(m + '.x' for m in DIRECT_LAYER_OCRMYPDF_MAJORS)})")
    try:
        from ocrmypdf.font import MultiFontManager
        from ocrmypdf.fpdf_renderer import Fpdf2MultiPageRenderer
    except ImportError as err:
        raise DirectLayerUnavailable(f"OCRmyPDF {version} lacks its renderer classes "
                                     f"({err})") from None
    return Fpdf2MultiPageRenderer, MultiFontManager


def render_text_layer(pdf, doc: Document, work: Path) -> Path:
    """vanban's words as OCRmyPDF's invisible text, one page per page of ``pdf`` (an open
    pikepdf.Pdf), written by OCRmyPDF's own fpdf2 renderer from the plugin's page elements
    (:func:`vanban.ocrmypdf_plugin.page_element`) -- what OCRmyPDF's pipeline does with the
    plugin, without the pipeline around it: no option checks running Tesseract and
    Ghostscript, no page analysis, no stand-in rasters, no rewritten copy of the whole
    input. Graft it with :func:`graft_text_layer`.

    Raises :class:`DirectLayerUnavailable` when the installed OCRmyPDF cannot do this
    (version, classes, their signatures) and :class:`DirectLayerFailed` when the renderer
    fails on this input; :func:`make_pdf` then uses OCRmyPDF's pipeline."""
    renderer_class, font_manager_class = _renderer_classes()

    from . import ocrmypdf_plugin
    elements = []
    for index, (page, vpage) in enumerate(zip(pdf.pages, doc.pages)):
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        size = (max(1, round(abs(x1 - x0) * _LAYER_DPI / 72)),
                max(1, round(abs(y1 - y0) * _LAYER_DPI / 72)))
        # 0-based page number, as OCRmyPDF's pipeline passes it to the renderer.
        elements.append((index, ocrmypdf_plugin.page_element(vpage, size, _LAYER_DPI, index),
                         _LAYER_DPI))
    out = work / "text-layer-pages.pdf"
    fonts = _text_layer_fonts(font_manager_class)
    with _RENDER_LOCK:
        try:
            renderer = renderer_class(pages_data=elements, multi_font_manager=fonts,
                                      invisible_text=True)
        except TypeError as err:
            raise DirectLayerUnavailable(f"OCRmyPDF's renderer takes other arguments "
                                         f"({err})") from None
        try:
            renderer.render(out)
        except _direct_layer_errors() as err:
            raise DirectLayerFailed(f"{type(err).__name__}: {err}") from err
    return out


def _text_layer_fonts(font_manager_class):
    """OCRmyPDF's font manager for the renderer, made once per process: the search of the
    system's fonts behind it then runs once, not once per document."""
    with _RENDER_LOCK:
        if not _FONTS:
            import ocrmypdf
            try:
                _FONTS.append(font_manager_class(Path(ocrmypdf.__file__).parent / "data"))
            except TypeError as err:
                raise DirectLayerUnavailable(f"OCRmyPDF's font manager takes other "
                                             f"arguments ({err})") from None
        return _FONTS[0]


def graft_text_layer(pdf, text_pdf) -> None:
    """Draw each page of ``text_pdf`` (from :func:`render_text_layer`) under the matching
    page of ``pdf`` as a Form XObject, scaled to its media box, as OCRmyPDF grafts its text
    layer; the page's own content and images are not touched."""
    import pikepdf
    for page, text_page in zip(pdf.pages, text_pdf.pages):
        contents = text_page.obj.get("/Contents")
        if contents is None:
            continue
        parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        data = b"\n".join(part.read_bytes() for part in parts)
        if not data.strip():
            continue
        tx0, ty0, tx1, ty1 = (float(v) for v in text_page.mediabox)
        form = pdf.make_stream(data)
        form.Type, form.Subtype, form.FormType = pikepdf.Name.XObject, pikepdf.Name.Form, 1
        form.BBox = pikepdf.Array([tx0, ty0, tx1, ty1])
        resources = pikepdf.Dictionary()
        for key in ("/Font", "/ExtGState"):
            found = text_page.obj.get("/Resources", {}).get(key)
            if found is not None:
                resources[key] = pikepdf.Dictionary(
                    {k: pdf.copy_foreign(v) for k, v in found.items()})
        form.Resources = resources
        if "/Resources" not in page.obj:
            page.obj.Resources = pikepdf.Dictionary()
        if "/XObject" not in page.obj.Resources:
            page.obj.Resources.XObject = pikepdf.Dictionary()
        name = pikepdf.Name.random(prefix="VanbanText")
        page.obj.Resources.XObject[name] = form
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        matrix = (f"{(x1 - x0) / ((tx1 - tx0) or 1):.6f} 0 0 {(y1 - y0) / ((ty1 - ty0) or 1):.6f} "
                  f"{x0:.4f} {y0:.4f}")
        # Underneath the page's own content, from the initial graphics state (as OCRmyPDF).
        page.contents_add(pdf.make_stream(f"q {matrix} cm {name} Do Q\n".encode("ascii")),
                          prepend=True)


def layer_only_pdf(pdf, text_layer: Path, out: Path) -> Path:
    """A PDF of blank pages of ``pdf``'s sizes carrying only the grafted text layer: what
    :func:`incremental_copy` imports, without a rewritten copy of the page images."""
    import pikepdf
    try:
        with pikepdf.new() as layer, pikepdf.open(text_layer) as text_pdf:
            for page in pdf.pages:
                layer.pages.append(pikepdf.Page(pikepdf.Dictionary(
                    Type=pikepdf.Name.Page, Resources=pikepdf.Dictionary(),
                    MediaBox=pikepdf.Array([float(v) for v in page.mediabox]))))
            graft_text_layer(layer, text_pdf)
            layer.save(out)
    except _direct_layer_errors() as err:
        raise DirectLayerFailed(f"{type(err).__name__}: {err}") from err
    return out


def annotation_text_boxes(source: Path) -> dict[int, list[tuple[float, float, float, float]]]:
    """Per page (1-based), the boxes of annotations that draw their own text, as fractions of
    the page (x0, y0, x1, y1 from the top left): a signature stamp ("Ký bởi: ..."), a typed
    note. Viewers and pdftotext already read that text, and the page render vanban OCRed
    showed it too; a second, OCRed copy under it would only garble search and extraction."""
    import pikepdf
    found: dict[int, list] = {}
    with pikepdf_source(source) as src, pikepdf.open(src) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            if int(page.obj.get("/Rotate", 0)) % 360:
                continue  # rotated pages: their annotation geometry is not mapped here
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            w, h = (x1 - x0) or 1, (y1 - y0) or 1
            for annot in page.obj.get("/Annots", []) or []:
                appearance = (annot.get("/AP") or {}).get("/N")
                if appearance is None or not isinstance(appearance, pikepdf.Stream) \
                        or not _draws_text(appearance):
                    continue
                ax0, ay0, ax1, ay1 = (float(v) for v in annot.Rect)
                found.setdefault(number, []).append(
                    ((min(ax0, ax1) - x0) / w, (y1 - max(ay0, ay1)) / h,
                     (max(ax0, ax1) - x0) / w, (y1 - min(ay0, ay1)) / h))
    return found


def _draws_text(stream, depth: int = 0) -> bool:
    import pikepdf
    try:
        if any(str(op) in ("Tj", "TJ", "'", '"') for _, op in pikepdf.parse_content_stream(stream)):
            return True
    except Exception:
        return False
    if depth < 3:  # appearance streams often draw nested forms (/FRM, /n2)
        for _, xobj in (stream.get("/Resources", {}).get("/XObject") or {}).items():
            if xobj.get("/Subtype") == "/Form" and _draws_text(xobj, depth + 1):
                return True
    return False


def _without_words_in(page, boxes: list):
    """A copy of ``page`` without the words whose centre lies in one of ``boxes`` (fractions)."""
    from .model import Page
    page = Page.from_dict(page.to_dict())
    if not boxes or not page.width or not page.height:
        return page
    for block in page.blocks:
        for line in block.lines:
            kept = []
            for w in line.words:
                cx = (w.bbox[0] + w.bbox[2]) / 2 / page.width if w.bbox else -1
                cy = (w.bbox[1] + w.bbox[3]) / 2 / page.height if w.bbox else -1
                if not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
                    kept.append(w)
            line.words = kept
    return page


# ------------------------------------------------------------------------------ signed input
def incremental_copy(source: Path, layered: Path | None, output: Path, meta: dict,
                     record: PlanRecord | None, note: str) -> None:
    """Append the text layer, metadata and record.json to the signed bytes (pyHanko).

    The signed revision stays byte for byte at the start of the output, so a validator still
    verifies its signature and reports what the update added. ``layered``: a PDF whose
    per-page text-layer Form XObjects are imported -- the blank pages of
    :func:`layer_only_pdf` (direct text layer) or OCRmyPDF's rewritten copy (its pipeline);
    None: metadata only.
    """
    try:
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.embed import EmbeddedFileObject, FileSpec, embed_file
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.pdf_utils.reader import PdfFileReader
    except ImportError:
        raise MissingDependencyError("pyHanko is not installed (pip install pyhanko), needed "
                                     "for --signature keep; or use --signature invalidate",
                                     str(source)) from None

    out = io.BytesIO(source.read_bytes())
    writer = IncrementalPdfFileWriter(out, strict=False)
    if layered is not None:
        other = PdfFileReader(io.BytesIO(layered.read_bytes()), strict=False)
        for index, page in enumerate(_walk_pages(other.root["/Pages"])):
            found = _text_layer_form(page)
            if found is None:
                continue
            form, matrix = found
            form_ref = writer.add_object(writer.import_object(form))
            name = generic.NameObject("/VanbanText")
            resources = generic.DictionaryObject({generic.NameObject("/XObject"):
                                                  generic.DictionaryObject({name: form_ref})})
            stream = generic.StreamObject(
                stream_data=f"q {matrix} cm /VanbanText Do Q".encode("ascii"))
            # Underneath the page's own content, from the initial graphics state (as OCRmyPDF).
            writer.add_stream_to_page(index, writer.add_object(stream), resources=resources,
                                      prepend=True)
    info = generic.DictionaryObject()
    try:
        info.update(writer.trailer["/Info"].get_object())
    except KeyError:
        pass
    values = {"/Title": meta["title"], "/Author": meta["author"],
              "/Subject": "; ".join(x for x in (meta["subject"], note) if x),
              "/Keywords": "; ".join(meta["keywords"]),
              "/Producer": f"vanban {_version()} + OCRmyPDF + pyHanko (incremental update)"}
    for key, value in values.items():
        if value:
            info[generic.NameObject(key)] = generic.TextStringObject(value)
    writer.set_info(writer.add_object(info))
    payload = json.dumps(record.to_dict() if record else {}, ensure_ascii=False,
                         indent=1).encode("utf-8")
    embed_file(writer, FileSpec(
        file_spec_string="record.json", file_name="record.json",
        embedded_data=EmbeddedFileObject.from_file_data(writer, payload,
                                                        mime_type="application/json"),
        description="vanban plan record (JSON)", af_relationship=generic.NameObject("/Data")))
    writer.write_in_place()
    tmp = output.with_name(output.name + ".part")
    tmp.write_bytes(out.getvalue())
    os.replace(tmp, output)


def _walk_pages(node) -> list:
    """The page dictionaries under a /Pages node (pyHanko objects), in order."""
    out, stack = [], [node]
    while stack:
        obj = stack.pop().get_object()
        if "/Kids" in obj:
            stack.extend(reversed(list(obj["/Kids"])))
        else:
            out.append(obj)
    return out


def _text_layer_form(page):
    """OCRmyPDF's text-layer Form XObject on a page and the matrix it is drawn with."""
    import re
    contents = page.get("/Contents")
    if contents is None:
        return None
    contents = contents.get_object()
    parts = list(contents) if isinstance(contents, list) else [contents]
    text = b"\n".join(p.get_object().data for p in parts).decode("latin-1")
    xobjects = page.get("/Resources", {}).get_object().get("/XObject")
    if xobjects is None:
        return None
    xobjects = xobjects.get_object()
    for name in xobjects:
        form = xobjects[name].get_object()
        if form.get("/Subtype") != "/Form":
            continue
        m = re.search(r"((?:[-\d.]+\s+){6})cm\s+" + re.escape(str(name)) + r"\s+Do", text)
        return form, (" ".join(m.group(1).split()) if m else "1 0 0 1 0 0")
    return None


# ---------------------------------------------------------------------------------- public
def make_pdf(source: str | Path, output: str | Path, options: PdfOptions | None = None,
             result=None, loading: threading.Thread | None = None) -> PdfReport:
    """Write the searchable PDF/A of one input to ``output``; see the module docstring.

    ``result``: a :class:`vanban.pipeline.PipelineResult` of this input already computed (as
    ``vanban batch`` has); otherwise the pipeline runs here. Never writes over the input.
    ``loading``: models being loaded on a thread
    (:func:`vanban.pipeline.preload_in_background`), waited for after the OCR.
    """
    import pikepdf

    options = options or PdfOptions()
    if options.signature not in SIGNATURE_POLICIES:
        raise ValueError(f"signature must be one of {SIGNATURE_POLICIES}")
    source, output = Path(source), Path(output)
    if output.exists() and output.resolve() == source.resolve():
        raise InputFileError("the output would overwrite the input", str(source))
    from .pipeline import TEXT_SUFFIXES
    if source.suffix.lower() in TEXT_SUFFIXES:
        raise InputFileError("a text file has no page images; vanban pdf needs a scan "
                             "(PDF, TIFF, PNG, JPEG)", str(source))
    warn = None
    if result is None:
        from .pipeline import PipelineOptions, load_document, mode_options, process_document
        popts = PipelineOptions(jobs=options.jobs, ocr=dict(options.ocr),
                                **mode_options(options.restore_mode))
        doc: Document = load_document(source, popts)
        if loading is not None:
            loading.join()
        try:
            result = process_document(doc, popts)
            doc, record = result.document, result.record
        except NotADocumentError as err:  # a scan that is no plan still gets its PDF
            record = None  # (the words were normalised in place before extract refused)
            warn = f"no plan record ({err.message})"
    else:
        doc, record = result.document, result.record
    meta = record_metadata(record, doc)
    before = file_sha256(source)
    pdf_in = is_pdf(source)
    signed_fields: list[str] = []
    kind = "scan"
    if pdf_in:
        with pikepdf_source(source) as src, pikepdf.open(src) as pdf:
            signed_fields = signature_fields(pdf)
            kind = classify(doc, pdf)
    report = PdfReport(source=str(source), output=str(output), kind=kind, pages=len(doc.pages),
                       pdfa=None, signed=bool(signed_fields))
    if warn:
        report.warnings.append(warn)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vanban-pdf-") as tmp:
        work = Path(tmp)
        layered, text_layer = None, None
        if kind == "scan" and pdf_in and DIRECT_TEXT_LAYER:
            with pikepdf_source(source) as src, pikepdf.open(src) as pdf:
                if direct_layer_fits(pdf, doc):
                    try:
                        text_layer = render_text_layer(pdf, layer_words(source, doc), work)
                        if signed_fields and options.signature == "keep":
                            layered = layer_only_pdf(pdf, text_layer, work / "layer-only.pdf")
                    except (DirectLayerUnavailable, DirectLayerFailed) as err:
                        # OCRmyPDF's pipeline below writes the same layer, slower.
                        text_layer, layered = None, None
                        how = ("unavailable" if isinstance(err, DirectLayerUnavailable)
                               else "failed")
                        report.warnings.append(f"direct text layer {how}: {err}; written "
                                               "through OCRmyPDF's pipeline instead")
        if kind != "born-digital" and text_layer is None:
            layered = text_layer_pdf(source, doc, kind, work, options.jobs)
        if signed_fields and options.signature == "keep":
            incremental_copy(source, layered, output, meta, record,
                             note="Searchable copy: vanban text layer and record.json added as "
                                  "an incremental update; the signed revision is unchanged.")
            report.signature = "kept (incremental update)"
            report.attached = True
            report.warnings.append("signed input: written as an incremental update (the "
                                   "signed revision stays verifiable); not re-declared PDF/A")
        else:
            note = None
            if signed_fields:
                note = UNSIGNED_COPY_NOTE
                report.signature = "invalidated"
                report.warnings.append("signed input: " + UNSIGNED_COPY_NOTE)
            base = layered if layered is not None else source
            with pikepdf_source(base) as src, pikepdf.open(src) as pdf:
                if text_layer is not None:  # drawn straight onto the input's pages
                    try:
                        with pikepdf.open(text_layer) as text_pdf:
                            graft_text_layer(pdf, text_pdf)
                    except _direct_layer_errors() as err:
                        raise VanbanError(f"the text layer could not be added to the pages "
                                          f"({type(err).__name__}: {err})",
                                          str(source)) from err
                if signed_fields:
                    _drop_signatures(pdf)
                if kind == "redo":  # the fonts of the stripped layer (not embedded: not PDF/A)
                    pdf.remove_unreferenced_resources()
                part = work / "final.pdf"
                finish_pdf(pdf, part, meta, record, options, note, report)
            shutil.move(str(part), output)
    if file_sha256(source) != before:  # never: every write above goes elsewhere
        raise VanbanError("the input changed while it was read", str(source))
    return report


def _drop_signatures(pdf) -> None:
    """Remove the signatures of a rewritten copy: they cannot verify on new bytes. The
    signature widgets' appearances (the "Ký bởi ..." stamp) are flattened into the page
    first, so the page looks as the original; then the signature fields go, with what only
    they needed (fonts of the form left unused, the PAdES extension marker)."""
    import pikepdf
    form = pdf.Root.get("/AcroForm")
    if form is None:
        return
    pdf.flatten_annotations("all")
    for page in pdf.pages:  # widgets flattening left: invisible ones (no appearance)
        annots = page.obj.get("/Annots")
        if annots is not None:
            page.obj.Annots = pikepdf.Array([
                a for a in annots if a.get("/FT") != "/Sig"
                and (a.get("/Parent") is None or a.Parent.get("/FT") != "/Sig")])
    form = pdf.Root.get("/AcroForm")  # flattening may have removed the form already
    if form is not None:
        fields = [f for f in form.get("/Fields", []) if f.get("/FT") != "/Sig"]
        if fields:
            form.Fields = pikepdf.Array(fields)
            if "/SigFlags" in form:
                del form["/SigFlags"]
        else:
            del pdf.Root["/AcroForm"]
    if "/Perms" in pdf.Root:
        del pdf.Root["/Perms"]
    # Flattening copies the form's default fonts (/DR: Helvetica, ZapfDingbats, standard Type 1
    # fonts never embedded) into each stamp's resources although the stamp does not use them;
    # PDF/A refuses a non-embedded font, used or not.
    pdf.remove_unreferenced_resources()
    # ETSI's extension marker (/ESIC) announces the PAdES signatures removed above; PDF/A
    # allows no developer extension but Adobe's.
    extensions = pdf.Root.get("/Extensions")
    if extensions is not None and "/ESIC" in extensions:
        del extensions["/ESIC"]
        if not extensions.keys():
            del pdf.Root["/Extensions"]


#: Errors of writing an output (disk full, quota, file too large, I/O error, read-only disk).
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


def output_path_for(source: Path, out: Path, several: bool) -> Path:
    """``out`` itself for one input; ``out/<stem>.pdf`` for several (the stem shortened by
    :func:`vanban.outputs.fitting_stem` when that name would be too long for the folder)."""
    return out / plain_name(source.stem, ".pdf", name_max(out)) if several else out


#: :func:`_writers_needed` opens at most this many inputs to look for a signature.
SIGNATURE_PEEK = 16


def _writers_needed(files: list[Path], options: PdfOptions) -> tuple[bool, bool]:
    """Which writers the outputs of ``files`` need, as (incremental, PDF/A): a signed PDF kept
    signed (``signature="keep"``) is written as an incremental update by pyHanko, every other
    input is saved as PDF/A by pikepdf. Each import costs 0.07-0.16 CPU s; the loading thread
    does only the ones needed, and a writer not loaded ahead is imported where it is used.
    More inputs than :data:`SIGNATURE_PEEK` are not all opened: both are loaded then. An
    input that cannot be opened here counts as unsigned (its error comes from
    :func:`make_pdf`)."""
    if len(files) > SIGNATURE_PEEK:
        return True, True
    incremental = finished = False
    for path in files:
        signed = options.signature == "keep" and _is_signed_pdf(path)
        incremental, finished = incremental or signed, finished or not signed
    return incremental, finished


def _is_signed_pdf(path: Path) -> bool:
    """Whether ``path`` is a PDF with a filled signature field (False when it cannot be read,
    or is not a regular file: a FIFO, /dev/stdin, is not opened, since that blocks until a
    writer comes; :func:`make_pdf` reports it)."""
    try:
        check_regular_file(path)  # stat only, before any open
        if not is_pdf(path):
            return False
        import pikepdf
        with pikepdf_source(path) as src, pikepdf.open(src) as pdf:
            return bool(signature_fields(pdf))
    except Exception:  # noqa: BLE001 - a bad input fails in make_pdf, with its message
        return False


def make_pdfs(inputs: list[str | Path], out: str | Path, options: PdfOptions | None = None,
              progress: Callable[[str], None] | None = None,
              warn: Callable[[str], None] | None = None
              ) -> tuple[list[PdfReport], list[VanbanError]]:
    """``vanban pdf``: every input (files, folders) to a searchable PDF; bad inputs do not stop
    the others. One input and ``out`` not an existing folder: ``out`` is the file.
    ``warn(line)``: each warning about the inputs (a link to a folder; default: stderr)."""
    from .folders import is_folder, say_warning
    from .ocr.inputs import scan_inputs
    options = options or PdfOptions()
    out = Path(out)
    found = scan_inputs(inputs)
    files: list[Path] = found.files
    errors: list[VanbanError] = list(found.errors)
    for line in found.warnings:
        (warn or say_warning)(line)
    several = len(files) > 1 or out.is_dir() or any(is_folder(i) for i in inputs)
    try:
        (out if several else out.parent).mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"-o: cannot make the folder: {err.strerror or err}", str(out)) from None
    targets: list[Path] = []
    to_write: list[Path] = []  # the inputs that got an output name
    for f in files:
        target = output_path_for(f, out, several)
        if target in targets:  # two inputs with one stem: never overwrite an earlier output
            try:  # named by its content: a FIFO would block the hash for ever
                check_regular_file(f)
                digest = file_sha256(f)
            except InputFileError as err:
                errors.append(err)
                continue
            except OSError as err:  # permission denied: that input's failure, not the call's
                errors.append(InputFileError(f"cannot read: {err.strerror or err}", str(f)))
                continue
            target = target.with_name(content_name(f.stem, digest, ".pdf", name_max(out)))
        to_write.append(f)
        targets.append(target)
    # Before any work: no output may be one of the inputs (x/a.png -> OUT/a.pdf when
    # OUT/a.pdf is itself an input would destroy it before it is read), even one that failed.
    from .outputs import check_output
    for target in targets:
        check_output(target, inputs=files, option="-o")
    files = to_write
    reports = []
    loading = None
    if files and BACKGROUND_LOADING:
        from .pipeline import PipelineOptions, mode_options, preload_in_background
        incremental, finished = _writers_needed(files, options)
        loading = preload_in_background(PipelineOptions(**mode_options(options.restore_mode)),
                                        extra=(lambda: import_pdf_writers(incremental, finished),))
    for n, (f, target) in enumerate(zip(files, targets), start=1):
        try:
            report = make_pdf(f, target, options, loading=loading)
        except Exception as err:  # a bad input, or a bug: one line each, the others go on
            if isinstance(err, VanbanError):
                err.path = err.path or str(f)
            elif isinstance(err, OSError) and err.errno in _WRITE_ERRNOS:
                err = OutputWriteError(f"cannot write: {err.strerror or err}", str(target))
            else:
                err = VanbanError(f"internal error ({type(err).__name__}: {err}); please "
                                  "report it", str(f))
            errors.append(err)
            if progress:
                progress(f"[{n}/{len(files)}] {f}: failed")
            continue
        reports.append(report)
        if progress:
            progress(f"[{n}/{len(files)}] {f} -> {target} ({report.kind}, {report.pages} pages, "
                     f"{report.pdfa or 'plain PDF'})")
    if loading is not None:  # every input failed before its OCR ended: the loading is not
        loading.join()       # left running behind the caller
    return reports, errors
