"""ocr stage: PDFs and images in, a :class:`vanban.model.Document` with boxes and confidences out.

Contract used by the rest of vanban (owned by this folder):

- ``OcrOptions(jobs=1, seal_removal=True, deskew=True, orientation=True, force_ocr=False, ...)``
- ``ocr_file(path, options) -> Document`` (raises :class:`vanban.errors.InputFileError` subclasses)
- ``ocr_inputs(paths, options) -> (list[Document], list[VanbanError])``: files and folders, every
  readable input processed even when others fail
- ``render_documents(docs, fmt) -> str`` for fmt in text | json | hocr
- ``ocr_image(image, options) -> Page``: one in-memory page (PIL image), e.g. a synthetic render

Per page: load (PDF pages rendered with pypdfium2 at their scan resolution; a PDF text layer is
used instead when it reads as real Vietnamese) -> preprocessing steps (:mod:`.preprocess`) ->
Tesseract (:mod:`.engine`, through the :class:`~.engine.OcrEngine` that ``OcrOptions.engine``
names) -> layout and reading order (:mod:`.layout`). Pages of all inputs run in parallel on
``jobs`` threads, each driving one single-threaded Tesseract. ``preload(options)`` loads the
engine's model before the first page.
"""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import cv2
import numpy as np
from PIL import Image

from ..errors import InputFileError, VanbanError
from ..executors import make_executor
from ..folders import say_warning
from ..model import Block, Document, Line, Page, Word, file_sha256, union_bbox
from . import closing, decide, engine, fields, layout, preprocess, stamps, tables
from .engine import DEFAULT_ENGINE, ENGINES
from .formats import FORMATS, render_documents
from .inputs import RULING_DPI, PageSource, open_input, scan_inputs

__all__ = ["OcrOptions", "ocr_file", "ocr_inputs", "ocr_image", "render_documents", "FORMATS",
           "ENGINES", "preload"]


@dataclass
class OcrOptions:
    """Settings of the ocr stage (every preprocessing step can be switched off)."""
    jobs: int = 1                 # pages OCRed in parallel
    seal_removal: bool = True     # lift coloured ink (red seals, blue signatures) before OCR
    deskew: bool = True           # straighten pages skewed by more than 0.2°
    orientation: bool = True      # detect 90/180/270° pages (OSD, only for pages that read badly)
    upscale: bool = True          # enlarge low-resolution pages (photos, < 200 dpi)
    force_ocr: bool = False       # OCR PDF pages even when their text layer looks real
    lang: str = "vie"
    psm: int = 3                  # Tesseract page segmentation mode (3: automatic)
    reread_columns: bool = True   # re-OCR weak header/closing column blocks on their own
    tables: bool = True           # read ruled tables cell by cell (vanban.ocr.tables)
    #: A page whose mean word confidence is below this is checked for orientation.
    orientation_conf: float = 60.0
    #: How Tesseract is run (one of :data:`ENGINES`): "tesserocr" keeps it loaded in this
    #: process, "pytesseract" starts the ``tesseract`` program per call. Same words either way.
    engine: str = DEFAULT_ENGINE


def preload(options: OcrOptions | None = None) -> None:
    """Load the OCR engine and its language model now (a worker calls this before its first
    page); raises MissingDependencyError when Tesseract, the language or the engine is missing."""
    options = options or OcrOptions()
    engine.get_engine(options.engine).preload(options.lang)


@dataclass
class PreparedPage:
    """A page after preprocessing, in the geometry Tesseract reads: the gray page, its DPI, what
    was done (``info``, which becomes ``Page.preprocessing``), the seals found, and the page's
    ink image (darkest channel: coloured pen and stamp ink kept), made only when asked for.

    Every geometry change (:meth:`enlarge`, :meth:`straighten`, :meth:`turn`) is one step that
    moves the gray page, the seal boxes and the ink alike. The ink follows the same steps when
    :meth:`ink` is first called (most pages never need it), from the input pixels, with the
    same OpenCV calls in the same order, so it is the image the eager steps gave.
    """
    gray: np.ndarray
    dpi: float
    info: dict
    pixels: np.ndarray  # the input page (RGB or gray), for the ink
    seals: list = field(default_factory=list)   # boxes of seals (round coloured ink)
    #: per seal, whether its lettering is in the image (vanban.ocr.stamps.seal_boxes)
    seal_in_image: list | None = None
    #: boxes of the coloured ink regions that are not seals (stamps, signatures, pen)
    colour_boxes: list = field(default_factory=list)
    #: the input page (gray) with coloured ink whitened, for the skew search; None without any
    no_colour: np.ndarray | None = None
    _ink_steps: list = field(default_factory=list)
    _ink: np.ndarray | None = None

    def enlarge(self, big: np.ndarray, factor: float) -> None:
        self.gray = big
        self._ink_steps.append(("resize", (big.shape[1], big.shape[0])))
        self.seals = [tuple(round(v * factor) for v in b) for b in self.seals]
        self.colour_boxes = [tuple(round(v * factor) for v in b) for b in self.colour_boxes]

    def straighten(self, straight: np.ndarray, skew_deg: float) -> None:
        self.gray = straight
        self._ink_steps.append(("rotate", -skew_deg))
        size = (straight.shape[1], straight.shape[0])
        self.seals = [preprocess.unrotate_box(b, skew_deg, size) for b in self.seals]
        self.colour_boxes = [preprocess.unrotate_box(b, skew_deg, size) for b in self.colour_boxes]

    def turn(self, turned: np.ndarray, degrees: int) -> None:
        self.gray = turned
        self._ink_steps.append(("quadrant", degrees))
        self.seals = []  # found before the page was turned
        self.colour_boxes = []

    def ink(self) -> np.ndarray:
        if self._ink is None:
            arr = self.pixels
            ink = preprocess.darkest_channel(arr) if arr.ndim == 3 else preprocess.to_gray(arr)
            self._ink = self._follow_steps(ink)
        return self._ink

    def without_colour(self) -> np.ndarray | None:
        """The page with coloured ink whitened, through the steps taken so far (None when the
        page has no coloured ink)."""
        return None if self.no_colour is None else self._follow_steps(self.no_colour)

    def _follow_steps(self, img: np.ndarray) -> np.ndarray:
        for step, value in self._ink_steps:
            if step == "resize":
                img = cv2.resize(img, value, interpolation=cv2.INTER_CUBIC)
            elif step == "rotate":
                img = preprocess.rotate(img, value)
            else:
                img = preprocess.rotate_quadrant(img, value)
        return img


class _InkOnDemand:
    """A page's ink image (:meth:`PreparedPage.ink`) made when first indexed: the colour
    stamps and header fields read crops of it only for some regions and lines, and on most
    pages for none. Its shape is the gray page's (the ink follows the same steps)."""

    def __init__(self, page: PreparedPage):
        self._page = page
        self.shape = page.gray.shape
        self.ndim = len(self.shape)

    def __getitem__(self, key):
        return self._page.ink()[key]

    def __array__(self, dtype=None, copy=None):
        ink = self._page.ink()
        return ink if dtype is None else ink.astype(dtype)


def _prepare(arr: np.ndarray, dpi: float | None, options: OcrOptions) -> PreparedPage:
    """Run the enabled preprocessing steps on a page (uint8 RGB or gray array)."""
    info: dict = {"steps": []}
    page = PreparedPage(gray=preprocess.to_gray(arr), dpi=dpi or 300.0, info=info, pixels=arr)
    no_colour = None  # the page with coloured ink whitened, for the skew search
    if options.seal_removal and arr.ndim == 3 and preprocess.colour_ink_share(arr) >= preprocess.INK_MIN_SHARE:
        # Each coloured region is lifted only where that reads better (vanban.ocr.decide).
        gray = page.gray
        mask, regions = preprocess.colour_ink_regions(arr, page.dpi)
        lifted_regions = []
        if regions:
            lifted = preprocess.lift_colour_ink(arr, mask, gray)
            decide.choose_colour_regions(gray, lifted, regions, page.dpi, options.lang)
            out = gray.copy()
            for region in regions:
                if region["lift"]:
                    x0, y0, x1, y1 = region["box"]
                    out[y0:y1, x0:x1] = lifted[y0:y1, x0:x1]
                    lifted_regions.append(region)
            no_colour = cv2.bitwise_or(gray, mask)  # the mask is 0 or 255: ink pixels made white
            page.no_colour = no_colour
            page.gray = out
            found_seals = stamps.seal_boxes(mask, regions, page.dpi)
            page.seals = [box for box, _ in found_seals]
            page.seal_in_image = [kept for _, kept in found_seals]
            page.colour_boxes = [r["box"] for r in regions[:decide.MAX_REGIONS]
                                 if r["box"] not in page.seals]
        info["seal_removal"] = {"regions": len(regions), "lifted": len(lifted_regions),
                                "applied": bool(lifted_regions)}
        info["colour_regions"] = [{"box": list(r["box"]), "px": r["px"], "lift": r.get("lift", False)}
                                  for r in regions[:decide.MAX_REGIONS]]
        if lifted_regions:
            info["steps"].append("seal_removal")
    if options.upscale:
        big, found = preprocess.upscale_low_resolution(page.gray, dpi)
        if found["applied"]:
            info["steps"].append("upscale")
            info["upscale"] = found
            page.dpi = 300.0 if not dpi else dpi * found["factor"]
            page.enlarge(big, found["factor"])
            no_colour = None
    if options.deskew:
        straight, found = decide.deskew_page(page.gray, estimate_on=no_colour)
        info["skew_deg"] = found["skew_deg"]
        info["skew_peak"] = found["skew_peak"]
        if found["applied"]:
            info["steps"].append("deskew")
            page.straighten(straight, found["skew_deg"])
    if arr.ndim == 3 and options.seal_removal and not info.get("colour_regions") and not info["steps"]:
        # A colour page read as it is (no coloured ink, nothing resampled): Tesseract reads the
        # gray page as it reads the colour page itself.
        page.gray, found = preprocess.gray_as_tesseract_reads(arr)
        info["tesseract_gray"] = found
        if found["applied"]:
            info["steps"].append("tesseract_gray")
    info["rotation"] = 0
    return page


def _mean_conf(words: list[engine.RawWord]) -> float:
    return sum(w.conf for w in words) / len(words) if words else 0.0


#: Column blocks (header, recipients, signature) are re-read alone when a line reads worse.
_COLUMN_ROLES = ("header_left", "header_right", "recipients", "signature")
REREAD_BELOW_CONF = 80.0


def _reread_column_blocks(blocks: list[Block], gray: np.ndarray, scale: float, dpi: float,
                          options: OcrOptions) -> list[str]:
    """Re-OCR weak header/closing column blocks on their own (as one uniform block, psm 6).

    Tesseract's page segmentation sometimes reads the two header columns as one skewed line
    ("Số: 7360/KH-UBND" beside a lower date line) and garbles both; alone, a column reads
    cleanly. The new reading replaces the block when its mean confidence is higher.
    """
    done = []
    for block in blocks:
        if block.role not in _COLUMN_ROLES or not block.bbox or not block.lines:
            continue
        confs = [ln.conf for ln in block.lines if ln.conf is not None]
        if not confs or min(confs) >= REREAD_BELOW_CONF:
            continue
        pad = round(12 * scale)
        x0, y0, x1, y1 = (round(v * scale) for v in block.bbox)
        x0, y0 = max(0, x0 - pad), max(0, y0 - pad)
        x1, y1 = min(gray.shape[1], x1 + pad), min(gray.shape[0], y1 + pad)
        crop = np.ascontiguousarray(gray[y0:y1, x0:x1])
        words = _drop_specks(engine.recognize(crop, dpi, options.lang, psm=6))
        if not words:
            continue
        old = [w.conf for ln in block.lines for w in ln.words if w.conf is not None]
        if _mean_conf(words) <= (sum(old) / len(old) if old else 0):
            continue
        shifted = [engine.RawWord(w.text, (w.bbox[0] + x0, w.bbox[1] + y0, w.bbox[2] + x0, w.bbox[3] + y0),
                                  w.conf, w.key) for w in words]
        by_line: dict[tuple, list[Word]] = {}
        for w in _scale_words(shifted, scale):
            by_line.setdefault(w.key, []).append(Word(w.text, w.bbox, w.conf))
        new_lines = [Line(words=ws, bbox=union_bbox([w.bbox for w in ws]))
                     for ws in by_line.values() if any(c.isalnum() for w in ws for c in w.text)]
        new_lines.sort(key=lambda ln: ln.bbox[1] if ln.bbox else 0)
        block.lines = new_lines
        done.append(block.role)
    return done


def _reread_page_number(words: list[engine.RawWord], gray: np.ndarray, dpi: float,
                        options: OcrOptions) -> list[engine.RawWord]:
    """Re-read a page number Tesseract saw but misread ("¬", "°)", "z" with low confidence).

    A lone number centred in the top or bottom margin, read alone among full lines of text, is
    often taken for noise. A small low-confidence token there is OCRed again alone, digits only.
    """
    h, w = gray.shape
    out = []
    for word in words:
        x0, y0, x1, y1 = word.bbox
        in_margin = y1 < 0.08 * h or y0 > 0.92 * h
        centred = abs((x0 + x1) / 2 - w / 2) < 0.06 * w and (x1 - x0) < 0.05 * w
        if in_margin and centred and word.conf < 60 and not word.text.isdigit():
            # A tight crop: with wide blank margins Tesseract finds no text line at all.
            for pad, psm in ((8, 7), (8, 10), (4, 7)):
                crop = np.ascontiguousarray(gray[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad])
                again = engine.recognize(crop, dpi, options.lang, psm=psm,
                                         variables={"tessedit_char_whitelist": "0123456789"})
                if len(again) == 1 and again[0].text.isdigit() and again[0].conf >= 50:
                    word = engine.RawWord(again[0].text, word.bbox, again[0].conf, word.key)
                    break
        out.append(word)
    return out


def _lines_run_vertically(words: list[engine.RawWord]) -> bool:
    """Whether most words of three or more letters are taller than wide: Tesseract found the
    text lines running up or down the page (a sheet scanned sideways), which it reads with
    high confidence and boxes that layout cannot order."""
    long = [w for w in words if sum(c.isalnum() for c in w.text) >= 3]
    tall = sum(1 for w in long if (w.bbox[3] - w.bbox[1]) > (w.bbox[2] - w.bbox[0]))
    return len(long) >= 5 and tall > len(long) / 2


def _drop_specks(words: list[engine.RawWord]) -> list[engine.RawWord]:
    """Drop low-confidence tokens without a letter or digit (specks read as ¬ ` ~ ...)."""
    return [w for w in words if w.conf >= 50 or any(c.isalnum() for c in w.text)]


def _map_boxes(blocks: list[Block], size: tuple[int, int], skew_deg: float, scale: float,
               target: tuple[int, int]) -> None:
    """Map every box from the processed page (deskewed by ``skew_deg``, enlarged by ``scale``)
    back onto the input image of size ``target``; line and block boxes are recomputed."""
    tw, th = target
    for block in blocks:
        for line in block.lines:
            for word in line.words:
                box = word.bbox
                if skew_deg:
                    box = preprocess.unrotate_box(box, -skew_deg, size)
                x0, y0, x1, y1 = (v / scale for v in box)
                word.bbox = (max(0, int(x0)), max(0, int(y0)), min(tw, max(int(x0) + 1, round(x1))),
                             min(th, max(int(y0) + 1, round(y1))))
            line.bbox = union_bbox([w.bbox for w in line.words])
        block.bbox = union_bbox([ln.bbox for ln in block.lines])


def _scale_words(words: list[engine.RawWord], factor: float) -> list[engine.RawWord]:
    if factor == 1:
        return words
    return [engine.RawWord(w.text, tuple(round(v / factor) for v in w.bbox), w.conf, w.key)  # type: ignore[arg-type]
            for w in words]


def ocr_image(img: Image.Image | np.ndarray, options: OcrOptions | None = None, number: int = 1,
              dpi: float | None = None) -> Page:
    """OCR one page image (PIL, RGB or L; or a uint8 array, H x W x 3 RGB or H x W gray) into a
    :class:`Page` with blocks, lines and words.

    ``dpi`` defaults to the image's own DPI tag (a PIL image's). Word boxes are in the pixels of
    ``img`` (mapped back through upscaling and deskewing); a page turned by 90/180/270° reports
    boxes on the turned page, whose size ``Page.width``/``height`` give.
    """
    options = options or OcrOptions()
    arr, dpi = _page_pixels(img, dpi)
    with engine.use(options.engine):
        return _read_page(arr, options, number, dpi)


def _page_pixels(img: Image.Image | np.ndarray, dpi: float | None) -> tuple[np.ndarray, float | None]:
    """The page as a uint8 RGB or gray array, and its DPI (a PIL image's tag when not given)."""
    if isinstance(img, np.ndarray):
        if img.dtype != np.uint8 or not (img.ndim == 2 or (img.ndim == 3 and img.shape[2] == 3)):
            raise ValueError(f"not a uint8 RGB or gray page: {img.dtype} {img.shape}")
        return img, dpi
    if dpi is None:
        tag = img.info.get("dpi")
        dpi = float(tag[0]) if tag and float(tag[0]) >= 100 else None
    if img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    return np.asarray(img), dpi


def _read_page(arr: np.ndarray, options: OcrOptions, number: int, dpi: float | None) -> Page:
    """:func:`ocr_image` with its engine active."""
    height, width = arr.shape[:2]
    t0 = time.perf_counter()
    prepared = _prepare(arr, dpi, options)
    gray, eff_dpi, info = prepared.gray, prepared.dpi, prepared.info
    scale = gray.shape[1] / width
    words = engine.recognize(gray, eff_dpi, options.lang, options.psm)
    turned_skew = 0.0  # the skew straightened after a turn (boxes are reported on the turned page)
    if options.orientation and (not words or _mean_conf(words) < options.orientation_conf
                                or _lines_run_vertically(words)) and gray.size > 0:
        found = engine.detect_orientation(gray, eff_dpi)
        info["osd"] = list(found) if found else None
        if found and found[0] and found[1] >= 1.0:
            turned = preprocess.rotate_quadrant(gray, found[0])
            straight, skew = turned, None
            if options.deskew:  # a sheet fed sideways leans as often as one fed upright
                # seals and signatures are left out of the search here too
                no_colour = prepared.without_colour()
                straight, skew = decide.deskew_page(
                    turned, estimate_on=None if no_colour is None
                    else preprocess.rotate_quadrant(no_colour, found[0]))
            again = engine.recognize(straight, eff_dpi, options.lang, options.psm)
            # A page read sideways can have confident words (Tesseract reads vertical lines
            # too), but its boxes run up the page and layout cannot order them: a turned
            # reading whose lines run across the page is kept then, whatever its confidence.
            # Either way the turned reading's lines must run across the page.
            if len(again) and not _lines_run_vertically(again) and (
                    _mean_conf(again) > _mean_conf(words) or _lines_run_vertically(words)):
                words, gray = again, straight
                prepared.turn(turned, found[0])
                info["rotation"] = found[0]
                info["steps"].append("orientation")
                if skew is not None and skew["applied"]:
                    prepared.straighten(straight, skew["skew_deg"])
                    info["turned_skew_deg"] = turned_skew = skew["skew_deg"]
                if found[0] in (90, 270):
                    width, height = height, width
                scale = gray.shape[1] / width
    words = _drop_specks(_reread_page_number(words, gray, eff_dpi, options))
    page_tables = tables.find_tables(gray, eff_dpi, options.lang) if options.tables else []
    if page_tables:  # their words are read cell by cell, not across the columns
        words = [w for w in words if not tables.inside(w.bbox, page_tables)]
        info["tables"] = len(page_tables)
    lines: dict[tuple, list[Word]] = {}
    for w in words:
        lines.setdefault(w.key, []).append(Word(w.text, w.bbox, w.conf))
    # A line without a letter or digit is dust, seal residue or a rule, not text.
    lines = {k: ws for k, ws in lines.items() if any(c.isalnum() for w in ws for c in w.text)}
    # Stamps (signature text boxes, received/urgency stamps, seal lettering) leave the text.
    lines, found_stamps = stamps.separate(lines, gray.shape[1], gray.shape[0], prepared.seals,
                                          prepared.seal_in_image)
    regions = [b for b in prepared.colour_boxes if b[2] > b[0] and b[3] > b[1]]
    ink = _InkOnDemand(prepared)  # made only if a stamp or field step reads some of it
    if regions:
        found_stamps += stamps.read_colour_stamps(regions, gray, ink, eff_dpi,  # type: ignore[arg-type]
                                                  options.lang, found_stamps)
    # Layout and re-reads work on the processed page; boxes are mapped back at the end.
    blocks = layout.build_blocks([(ws, k) for k, ws in lines.items()], gray.shape[1],
                                 gray.shape[0], number)
    if options.reread_columns:
        reread = _reread_column_blocks(blocks, gray, 1.0, eff_dpi, options)
        if reread:
            info["reread_blocks"] = reread
    if closing.read_missing_signature(blocks, gray, eff_dpi, options.lang):
        info["signature_reread"] = True
    if closing.read_missing_signer(blocks, gray, eff_dpi, options.lang):
        info["signer_reread"] = True
    if closing.read_missing_recipients_heading(blocks, gray, eff_dpi, options.lang):
        info["recipients_heading_reread"] = True
    if any(b.role.startswith("header") for b in blocks):
        found_fields = fields.reread_fields(blocks, ink, eff_dpi, options.lang)  # type: ignore[arg-type]
        if found_fields:
            info["fields"] = found_fields
    blocks = tables.place_table_blocks(blocks, page_tables)
    # Both straightenings are undone: one before a turn (about the page centre, the size kept)
    # is the same rotation about the turned page's centre, so the two angles add up.
    skew = (info["skew_deg"] if "deskew" in info["steps"] else 0.0) + turned_skew
    _map_boxes(blocks, (gray.shape[1], gray.shape[0]), skew, scale, (width, height))
    tables.map_table_boxes(page_tables, lambda bl: _map_boxes(bl, (gray.shape[1], gray.shape[0]), skew,
                                                              scale, (width, height)))
    for stamp in found_stamps:
        holder = Block(lines=[Line(words=[Word(stamp.text, stamp.bbox)])])
        _map_boxes([holder], (gray.shape[1], gray.shape[0]), skew, scale, (width, height))
        stamp.bbox = holder.bbox
    info["seconds"] = round(time.perf_counter() - t0, 3)
    return Page(number=number, blocks=blocks, width=width, height=height,
                dpi=round(dpi, 1) if dpi else None, source="ocr", preprocessing=info,
                stamps=found_stamps, tables=page_tables)


def _text_layer_page(source: PageSource, options: OcrOptions) -> Page:
    page = source.text_page
    assert page is not None
    lines = [(ln.words, None) for b in page.blocks for ln in b.lines]
    if options.tables and source.ruling_image is not None:
        lines = tables.text_layer_tables(page, source.ruling_image, RULING_DPI, lines)
    page.blocks = tables.place_table_blocks(
        layout.build_blocks(lines, page.width or 1, page.height or 1, page.number), page.tables)
    page.preprocessing = {"steps": [], **source.notes}
    return page


class _Job:
    """One input document being OCRed: its pages' futures and the first error."""

    def __init__(self, path: Path, sources: list[PageSource]):
        self.path = path
        self.sources = sources
        self.pages: dict[int, Future | Page] = {}
        self.error: VanbanError | None = None
        self.t0 = time.perf_counter()


def _load_pixels(source: PageSource) -> Image.Image | np.ndarray:
    """The page's pixels as OCR reads them (an array where the source can give one)."""
    if source.pixels is not None:
        return source.pixels()
    assert source.load is not None
    return source.load()


def _run_page(source: PageSource, options: OcrOptions, image: Image.Image | np.ndarray | None,
              path: Path) -> Page:
    if source.text_page is not None:
        return _text_layer_page(source, options)
    if image is None:
        try:
            image = _load_pixels(source)
        except VanbanError:
            raise
        except Exception as err:  # truncated / corrupt image data
            raise InputFileError(f"page {source.number}: cannot decode: {err}", str(path)) from None
    page = ocr_image(image, options, number=source.number, dpi=source.dpi)
    page.preprocessing.update({k: v for k, v in source.notes.items() if not k.startswith("_")})
    return page


def _page_error(err: Exception, number: int, path: Path) -> VanbanError:
    """The one-line error of an input one of whose pages failed (a VanbanError as it is)."""
    if isinstance(err, VanbanError):
        return err
    return VanbanError(f"page {number}: OCR failed: {type(err).__name__}: {err}".splitlines()[0],
                       str(path))


def ocr_inputs(paths: list[str | Path], options: OcrOptions | None = None,
               progress=None, warn: Callable[[str], None] | None = None
               ) -> tuple[list[Document], list[VanbanError]]:
    """OCR files and folders; returns the documents read and the errors of the inputs that failed.

    Every input is validated first (a corrupt, encrypted, empty, mistyped or oversized file
    fails alone with one :class:`~vanban.errors.InputFileError`); pages of all good inputs are
    then OCRed ``options.jobs`` at a time. Documents come back in input order.
    ``progress(total_pages)``, if given, is called once per page done (for a progress bar;
    from a worker thread when ``jobs`` > 1). ``warn(line)`` gets each warning about the
    inputs (a link to a folder not followed; default: stderr).
    """
    options = options or OcrOptions()
    ocr_engine = engine.get_engine(options.engine)
    ocr_engine.check_language(options.lang)
    errors: list[VanbanError] = []
    jobs: list[_Job] = []
    files: list[Path] = []
    found = scan_inputs(paths)
    errors.extend(found.errors)
    for line in found.warnings:
        (warn or say_warning)(line)
    files.extend(found.files)
    for path in files:
        try:
            jobs.append(_Job(path, open_input(path, force_ocr=options.force_ocr)))
        except VanbanError as err:
            errors.append(err)

    total_pages = sum(len(job.sources) for job in jobs)

    def page_done(_=None) -> None:
        if progress is not None:
            progress(total_pages)

    # Pages run on threads: Tesseract (tesserocr releases the GIL) and OpenCV work in parallel.
    executor = make_executor("thread", max(1, options.jobs))
    in_flight: deque[Future] = deque()
    try:
        for job in jobs:
            for source in job.sources:
                if job.error:
                    break
                # PDF pages render here (pdfium is not thread-safe); images decode in the worker.
                image = None
                if options.tables and source.ruling is not None:
                    try:
                        source.ruling_image = source.ruling()
                    except Exception as err:
                        job.error = InputFileError(f"page {source.number}: cannot render: {err}",
                                                   str(job.path))
                        break
                if executor.workers > 1 and source.load is not None and source.load_on_main_thread:
                    try:
                        image = _load_pixels(source)
                    except Exception as err:
                        job.error = InputFileError(f"page {source.number}: cannot render: {err}",
                                                   str(job.path))
                        break
                while len(in_flight) >= 2 * executor.workers:  # bound memory: a few pages ahead
                    in_flight.popleft().exception()  # waits; errors are collected below
                fut = executor.submit(_run_page, source, options, image, job.path)
                fut.add_done_callback(page_done)
                job.pages[source.number] = fut
                in_flight.append(fut)
                if fut.done() and fut.exception() is not None:  # serial: stop at the failed page
                    job.error = _page_error(fut.exception(), source.number, job.path)
        docs: list[Document] = []
        for job in jobs:
            pages = []
            for number in sorted(job.pages):
                item = job.pages[number]
                if isinstance(item, Future):
                    try:
                        item = item.result()
                    except Exception as err:  # a Tesseract failure on one page: report, go on
                        job.error = job.error or _page_error(err, number, job.path)
                        continue
                pages.append(item)
            if job.error:
                errors.append(job.error)
                continue
            warnings = [f"page {p.number}: no text found" for p in pages if not p.text.strip()]
            doc = Document(source=str(job.path), pages=pages, sha256=file_sha256(job.path))
            doc.meta["ocr"] = {
                "engine": f"tesseract {ocr_engine.version()}", "lang": options.lang,
                "psm": options.psm, "options": asdict(options),
                "seconds": round(time.perf_counter() - job.t0, 3), "warnings": warnings}
            docs.append(doc)
    finally:
        executor.close()
    return docs, errors


def ocr_file(path: str | Path, options: OcrOptions | None = None) -> Document:
    """OCR one file (PDF, TIFF, PNG, JPEG) into a Document; raises InputFileError when unreadable."""
    docs, errors = ocr_inputs([path], options)
    if errors:
        raise errors[0]
    if not docs:
        raise InputFileError("no readable input", str(path))
    return docs[0]
