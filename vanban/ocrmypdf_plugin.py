"""vanban as an OCRmyPDF OCR engine: Tesseract ``vie`` after vanban's preprocessing and layout,
with the normalize stage's corrected words, as the invisible text layer of OCRmyPDF's output.

Two ways in:

- ``ocrmypdf --plugin vanban.ocrmypdf_plugin in.pdf out.pdf``: OCRmyPDF rasterises each page and
  calls :meth:`VanbanOcrEngine.generate_ocr`; vanban OCRs that image (``vanban.ocr.ocr_image``)
  and restores diacritics page by page (``vanban.normalize``).
- ``vanban pdf`` (:mod:`vanban.pdfa`): the whole document is read, normalised and extracted
  first (the language model sees every page; the plan record gives the metadata), and the
  plugin only hands each page's finished words to OCRmyPDF. The words travel as a JSON file
  named by ``VANBAN_OCRMYPDF_PAGES`` (an environment variable, so OCRmyPDF's worker processes
  see it too).

Either way OCRmyPDF keeps the page images as they are and writes its own text layer (the fpdf2
renderer: one invisible text run per word, stretched to the word's box).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ocrmypdf import hookimpl
from ocrmypdf.hocrtransform import BoundingBox, OcrClass, OcrElement
from ocrmypdf.pluginspec import OcrEngine, OrientationConfidence
from PIL import Image

#: Environment variable naming a JSON file of pre-computed pages (see :func:`write_pages_file`).
PAGES_ENV = "VANBAN_OCRMYPDF_PAGES"


def write_pages_file(doc, path: str | Path) -> Path:
    """Write a normalised :class:`vanban.model.Document`'s pages for the plugin to hand out."""
    path = Path(path)
    path.write_text(json.dumps([p.to_dict() for p in doc.pages], ensure_ascii=False),
                    encoding="utf-8")
    return path


_PAGES_CACHE: dict[str, list[dict]] = {}


def _precomputed_page(page_number: int) -> dict | None:
    name = os.environ.get(PAGES_ENV)
    if not name:
        return None
    if name not in _PAGES_CACHE:
        _PAGES_CACHE[name] = json.loads(Path(name).read_text(encoding="utf-8"))
    pages = _PAGES_CACHE[name]
    return pages[page_number] if 0 <= page_number < len(pages) else None


def page_element(page, size: tuple[int, int], dpi: float, page_number: int) -> OcrElement:
    """A vanban :class:`~vanban.model.Page` as OCRmyPDF's page element for an image of ``size``.

    vanban's boxes index the page as vanban read it (``page.width`` x ``page.height``); OCRmyPDF
    may rasterise at another resolution, so boxes are scaled to its image. Blocks become
    paragraphs in vanban's reading order, so text extraction follows the document's order.
    """
    width, height = size
    turn = int((page.preprocessing or {}).get("rotation") or 0) % 360
    upright_w, upright_h = page.width or width, page.height or height
    # vanban reports a page it turned upright (orientation step) in the turned page's pixels;
    # the raster here is the page as stored, so boxes are turned back and lines carry the angle.
    page_w, page_h = (upright_h, upright_w) if turn in (90, 270) else (upright_w, upright_h)
    sx = width / page_w
    sy = height / page_h
    root = OcrElement(ocr_class=OcrClass.PAGE, bbox=BoundingBox(0, 0, width, height),
                      dpi=float(dpi), page_number=page_number)
    for block in page.blocks:
        par = OcrElement(ocr_class=OcrClass.PARAGRAPH, language="vie")
        for line in block.lines:
            words = [w for w in line.words if w.text and w.bbox]
            if not words:
                continue
            line_el = OcrElement(ocr_class=OcrClass.LINE, language="vie",
                                 textangle=float(turn) if turn else None)
            for w in words:
                x0, y0, x1, y1 = _turn_back(w.bbox, turn, upright_w, upright_h)
                box = BoundingBox(max(0.0, x0 * sx), max(0.0, y0 * sy),
                                  min(float(width), max(x1, x0 + 1) * sx),
                                  min(float(height), max(y1, y0 + 1) * sy))
                line_el.children.append(OcrElement(
                    ocr_class=OcrClass.WORD, bbox=box, text=w.text,
                    confidence=None if w.conf is None else max(0.0, min(1.0, w.conf / 100))))
            if turn:
                _keep_word_gaps(line_el.children)
            xs = [c.bbox for c in line_el.children]
            line_el.bbox = BoundingBox(min(b.left for b in xs), min(b.top for b in xs),
                                       max(b.right for b in xs), max(b.bottom for b in xs))
            par.children.append(line_el)
        if par.children:
            root.children.append(par)
    inks = [[line.bbox for line in par.children] for par in root.children]
    if not turn:
        for par, cap in zip(root.children, _column_caps(inks)):
            _even_line_heights(par.children, cap)
        _clear_rows_beside(root.children, inks)
        for par in root.children:
            for line_el in par.children:  # gaps judged against the final font size
                _keep_word_gaps(line_el.children, line_el.bbox.bottom - line_el.bbox.top)
    for par in root.children:
        bs = [c.bbox for c in par.children]
        par.bbox = BoundingBox(min(b.left for b in bs), min(b.top for b in bs),
                               max(b.right for b in bs), max(b.bottom for b in bs))
    return root


#: Smallest gap kept between two words of a line, as a share of the line's height. Text
#: extractors (poppler's pdftotext, and viewers built on it) start a new word only where the
#: gap between glyphs is over about 0.1 em, and ignore the space character itself; Tesseract's
#: tight boxes of "các đơn" can nearly touch, which glued them ("cácđơn").
MIN_WORD_GAP = 0.2


def _keep_word_gaps(words: list[OcrElement], line_height: float | None = None) -> None:
    """Pull a word's right edge back where the next word starts closer than MIN_WORD_GAP
    (of the line's height as the renderer will size its font, else of the words' heights)."""
    for word, nxt in zip(words, words[1:]):
        a, b = word.bbox, nxt.bbox
        if a is None or b is None or b.left < a.left:  # not left to right: a turned line
            continue
        gap = MIN_WORD_GAP * (line_height or max(a.bottom - a.top, b.bottom - b.top))
        if b.left - a.right < gap:
            right = max(a.left + 0.5 * (a.right - a.left), b.left - gap)
            word.bbox = BoundingBox(a.left, a.top, min(a.right, right), a.bottom)


#: A block's lines are at least this share of its widest line pitch high (see
#: :func:`_even_line_heights`).
LINE_PITCH_HEIGHT = 0.9
#: ... but at most this many times their median ink height: a block whose lines lie far
#: apart (a signature block: title, then the name under the signature) is read as separate
#: lines anyway, and a font much taller than the ink would glue its words in text extraction
#: (word gaps are judged relative to the font size) and highlight far beyond the words.
MAX_LINE_GROWTH = 2.0


#: The renderer's font size is this share of a line's height (NotoSans-Regular: ascent
#: over ascent + descent; see ``tests/test_pdf_round6.py``).
FONT_SHARE_OF_LINE = 0.785
#: A line height at which poppler still joins two lines this far apart (baseline distance
#: at most 1.5 font sizes), with 3% to spare.
CHAIN_PITCH_HEIGHT = 1.03 / (1.5 * FONT_SHARE_OF_LINE)


def _even_line_heights(lines: list[OcrElement], cap: float = float("inf")) -> None:
    """Give every line of a block one height, each line keeping its vertical centre.

    OCRmyPDF's renderer sizes a line's invisible font by the line's box, i.e. by the ink
    (capitals, stacked Vietnamese diacritics, descenders), so consecutive lines of one
    paragraph got font sizes several percent apart, and the font was smaller than the printed
    one. poppler's layout analysis (pdftotext's default order, viewers built on it) joins a
    line to a block only when its font size is within 5% of the block's and its baseline
    within 1.5 font sizes of the block's last line: each line became a block of its own, and
    side-by-side columns (the "Nơi nhận" list beside the signature) were read row by row,
    interleaved. The height is the block's median ink height, raised to LINE_PITCH_HEIGHT of
    its widest usual line pitch (gaps up to 1.5 times the median pitch: a wrapped item, a
    spacing before) but not beyond MAX_LINE_GROWTH times the ink; poppler then rebuilds
    vanban's blocks and reads each column as a whole."""
    heights = sorted(line.bbox.bottom - line.bbox.top for line in lines)
    ink = size = heights[len(heights) // 2]
    middles = [(line.bbox.top + line.bbox.bottom) / 2 for line in lines]
    pitches = sorted(b - a for a, b in zip(middles, middles[1:]) if b > a)
    if pitches:
        usual = pitches[(len(pitches) - 1) // 2]
        widest = max(p for p in pitches if p <= 1.5 * usual)
        size = max(size, min(LINE_PITCH_HEIGHT * widest, MAX_LINE_GROWTH * ink))
        # Every gap of the block within poppler's reach (baselines at most 1.5 font sizes
        # apart), so that a column whose last line lies further down ("Số: ..." under the
        # issuer's name) stays one block and is read as a column, not as a table's row.
        # ... unless a column beside would then be pulled into this block (``cap``).
        size = max(size, min(CHAIN_PITCH_HEIGHT * pitches[-1], MAX_LINE_GROWTH * ink, cap))
    for line in lines:
        b = line.bbox
        middle = (b.top + b.bottom) / 2
        line.bbox = BoundingBox(b.left, max(0.0, middle - size / 2), b.right, middle + size / 2)


#: poppler pulls a word on a block's lines into the block when it starts within one font
#: size of the block's edge (``minColSpacing2``); a column beside gets at most this share
#: of the gap between them as font size.
COLUMN_GAP_FONT = 0.9


def _column_caps(blocks: list[list[BoundingBox]]) -> list[float]:
    """For each block (its lines' ink boxes), the tallest line height it may grow to so that
    poppler does not pull a block beside it (no horizontal overlap, ink on the same rows)
    into it: poppler adds to a block the words on its rows that start within one font size
    of its edge (``minColSpacing2``), which glued two header columns set close together
    into rows ("UBND ... CỘNG HOÀ ..."). The font stays under COLUMN_GAP_FONT of the gap."""
    boxes = [(min(b.left for b in bs), min(b.top for b in bs), max(b.right for b in bs),
              max(b.bottom for b in bs)) for bs in blocks]
    caps = [float("inf")] * len(blocks)
    for i, (l0, t0, r0, b0) in enumerate(boxes):
        for j, (l1, t1, r1, b1) in enumerate(boxes):
            if i == j:
                continue
            gap_x = max(l1 - r0, l0 - r1)
            if gap_x <= 0:  # one above the other: poppler's blocks of one column
                continue
            if t1 < b0 and t0 < b1:  # side by side on the same rows
                caps[i] = min(caps[i], COLUMN_GAP_FONT * gap_x / FONT_SHARE_OF_LINE)
    return caps


#: poppler's box of a word reaches this share of the renderer's line height above the line's
#: box and below it (the font's ascent and descent against the renderer's baseline).
POPPLER_BOX_ABOVE = 0.054
POPPLER_BOX_BELOW = 0.015
#: A one-line block's line is not made lower than this share of its ink height.
MIN_LINE_SHRINK = 0.7


def _poppler_rows(box: BoundingBox) -> tuple[float, float]:
    h = box.bottom - box.top
    return box.top - POPPLER_BOX_ABOVE * h, box.bottom + POPPLER_BOX_BELOW * h


def _clear_rows_beside(pars: list[OcrElement], inks: list[list[BoundingBox]]) -> None:
    """A one-line block beside another block (no horizontal overlap), on a row of its own,
    gets a line low enough that poppler's box of it does not touch the other block's lines:
    touching boxes are one row to poppler, which then will not let the one-line block's
    column reach under a column further right, and reads it before that column ("Kính gửi:"
    up left of the recipients list, read before the national motto above the list)."""
    extents = [(min(b.left for b in bs), max(b.right for b in bs)) for bs in inks]
    for i, par in enumerate(pars):
        if len(par.children) != 1:
            continue
        line, ink = par.children[0], inks[i][0]
        middle = (ink.top + ink.bottom) / 2
        for j, other in enumerate(pars):
            if j == i or not (extents[j][0] > extents[i][1] or extents[i][0] > extents[j][1]):
                continue
            for other_line, other_ink in zip(other.children, inks[j]):
                if other_ink.top < ink.bottom and ink.top < other_ink.bottom:
                    continue  # the same row: one line to poppler, as on the page
                top, bottom = _poppler_rows(line.bbox)
                o_top, o_bottom = _poppler_rows(other_line.bbox)
                if not (top <= o_bottom and o_top <= bottom):
                    continue
                if o_top > middle:  # the other line lies below
                    room = (o_top - middle) / (0.5 + POPPLER_BOX_BELOW)
                else:
                    room = (middle - o_bottom) / (0.5 + POPPLER_BOX_ABOVE)
                height = 0.98 * room
                if height >= MIN_LINE_SHRINK * (ink.bottom - ink.top):
                    b = line.bbox
                    line.bbox = BoundingBox(b.left, middle - height / 2, b.right,
                                            middle + height / 2)


def _turn_back(box, turn: int, upright_w: int, upright_h: int):
    """A box on the page turned clockwise by ``turn`` degrees, on the page as stored."""
    x0, y0, x1, y1 = box
    if turn == 90:
        return y0, upright_w - x1, y1, upright_w - x0
    if turn == 180:
        return upright_w - x1, upright_h - y1, upright_w - x0, upright_h - y0
    if turn == 270:
        return upright_h - y1, x0, upright_h - y0, x1
    return box


def _ocr_page_image(input_file: Path, page_number: int):
    """Stand-alone use: OCR and normalise one rasterised page with vanban."""
    from .model import Document
    from .normalize import normalize_document
    from .ocr import OcrOptions, ocr_image
    with Image.open(input_file) as img:
        img.load()
        # Boxes must index this image: turning the page would report them on the turned page.
        page = ocr_image(img, OcrOptions(jobs=1, orientation=False), number=page_number + 1)
    doc = normalize_document(Document(source=str(input_file), pages=[page]))
    return doc.pages[0]


class VanbanOcrEngine(OcrEngine):
    """OCRmyPDF engine whose words are vanban's (OCR + diacritic restoration)."""

    @staticmethod
    def version() -> str:
        from . import __version__
        return __version__

    @staticmethod
    def creator_tag(options) -> str:
        from . import __version__
        return f"vanban {__version__} (Tesseract vie + Vietnamese normalisation)"

    def __str__(self) -> str:
        return f"vanban {self.version()}"

    @staticmethod
    def languages(options) -> set[str]:
        return {"vie", "eng"}

    @staticmethod
    def get_orientation(input_file: Path, options) -> OrientationConfidence:
        return OrientationConfidence(angle=0, confidence=0.0)

    @staticmethod
    def get_deskew(input_file: Path, options) -> float:
        return 0.0

    @staticmethod
    def supports_generate_ocr() -> bool:
        return True

    @staticmethod
    def generate_ocr(input_file: Path, options, page_number: int = 0):
        from .model import Page
        with Image.open(input_file) as img:
            size = img.size
            tag = img.info.get("dpi", (300, 300))
            dpi = float(tag[0] if isinstance(tag, tuple) else tag) or 300.0
        given = _precomputed_page(page_number)
        page = Page.from_dict(given) if given is not None else _ocr_page_image(input_file,
                                                                                page_number)
        return page_element(page, size, dpi, page_number), page.text

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options) -> None:
        raise NotImplementedError("vanban's engine gives OCR elements (generate_ocr)")

    @staticmethod
    def generate_pdf(input_file: Path, output_pdf: Path, output_text: Path, options) -> None:
        raise NotImplementedError("vanban's engine needs the fpdf2 renderer (generate_ocr)")


#: Pre-computed words need no page image, only the page's size: OCRmyPDF gets a blank
#: stand-in at this fraction of the resolution it asks for (rendering and encoding a 300-dpi
#: colour page cost about as much as writing its whole text layer).
STAND_IN_SCALE = 8


@hookimpl
def rasterize_pdf_page(input_file, output_file, raster_device, raster_dpi, pageno, page_dpi,
                       rotation, filter_vector, stop_on_soft_error, options, use_cropbox):
    if not os.environ.get(PAGES_ENV):
        return None  # stand-alone use: OCRmyPDF's own rasteriser renders the page to OCR
    import pikepdf
    with pikepdf.open(input_file) as pdf:
        page = pdf.pages[pageno - 1]
        x0, y0, x1, y1 = (float(v) for v in (page.cropbox if use_cropbox else page.mediabox))
    width_in, height_in = abs(x1 - x0) / 72, abs(y1 - y0) / 72
    if (rotation or 0) % 180 == 90:
        width_in, height_in = height_in, width_in
    dpi = page_dpi or raster_dpi
    size = (max(1, round(width_in * raster_dpi.x / STAND_IN_SCALE)),
            max(1, round(height_in * raster_dpi.y / STAND_IN_SCALE)))
    Image.new("1", size, 1).save(output_file, format="PNG",
                                 dpi=(dpi.x / STAND_IN_SCALE, dpi.y / STAND_IN_SCALE))
    return output_file


@hookimpl
def get_ocr_engine(options):
    return VanbanOcrEngine()
