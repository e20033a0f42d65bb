"""Reading inputs: PDF, TIFF, PNG and JPEG files (and folders of them) into page sources.

Every check that can fail happens in :func:`open_input`, before any page is OCRed, so a bad file
fails with one clear :class:`vanban.errors.InputFileError` and the other inputs go on.
The file type comes from the first bytes, never from the name alone (a text file named .pdf is
rejected as such).
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

import cv2
import numpy as np
from PIL import Image, ImageOps

from ..errors import (EncryptedPdfError, ImageTooLargeError, InputFileError,
                      UnsupportedInputError, check_regular_file, pikepdf_source)
from ..folders import (FoundInputs, empty_folder_reason, is_folder, linked_folder_warning,
                       picked_up, unlisted_reason, walk_folder)
from ..model import Block, Line, Page, Word
from .textcheck import looks_vietnamese

SUFFIXES = {".pdf": "pdf", ".tif": "tiff", ".tiff": "tiff", ".png": "png", ".jpg": "jpeg",
            ".jpeg": "jpeg"}
#: Largest page image vanban decodes (pixels). An A4 page at 600 dpi is 35 Mpx; anything far
#: above is a decompression bomb or not a page.
MAX_PIXELS = 120_000_000
#: PDF pages are rendered at the resolution of their scan image, within these bounds.
MIN_RENDER_DPI, MAX_RENDER_DPI, DEFAULT_RENDER_DPI = 300, 400, 300
#: A page whose largest image covers this share of it is a scan. Its text layer is the page's
#: text (an OCR layer) unless it is a few lines in one band: fewer words than OVERLAY_MAX_WORDS,
#: all within OVERLAY_MAX_SPAN of the page height, is what e-signing software lays over a scan.
SCAN_PAGE_SHARE, OVERLAY_MAX_WORDS, OVERLAY_MAX_SPAN = 0.8, 60, 0.3
#: Text-layer pages with at least this many vector path objects (a table's rules) are rendered
#: small, at RULING_DPI, to look for ruled tables.
MIN_RULING_PATHS, RULING_DPI = 4, 100


@dataclass
class PageSource:
    """One page to read: either an image loader (OCR) or a ready page from a trusted text layer."""
    number: int
    load: Callable[[], Image.Image] | None = None
    #: The same page as ``load`` gives it, as a uint8 array (H x W x 3 RGB, or H x W grey):
    #: what OCR reads, made without PIL's copies where the file allows it.
    pixels: Callable[[], np.ndarray] | None = None
    dpi: float | None = None
    text_page: Page | None = None
    #: True when ``load`` and ``pixels`` must run on the thread that opened the file (pdfium is
    #: not thread-safe).
    load_on_main_thread: bool = False
    #: Facts found while opening (e.g. a text layer rejected as garbled).
    notes: dict = field(default_factory=dict)
    #: A text-layer page with vector ruling: draws a small grayscale render (RULING_DPI, an
    #: array) in which the ocr stage looks for ruled tables (their cells then hold the text
    #: layer's words), or gives None for a page without enough paths. Called when the page's
    #: turn comes, on the thread that opened the file (pdfium), not while inputs are checked.
    ruling: Callable[[], np.ndarray | None] | None = None
    #: What ``ruling`` drew, once drawn.
    ruling_image: np.ndarray | None = None


def sniff_type(path: Path) -> str:
    """'pdf' | 'png' | 'jpeg' | 'tiff' from the file's first bytes; raises InputFileError."""
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except IsADirectoryError:
        raise UnsupportedInputError("is a folder", str(path)) from None
    except OSError as err:
        raise InputFileError(f"cannot read: {err.strerror}", str(path)) from None
    if not head:
        raise InputFileError("empty file (0 bytes)", str(path))
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if b"%PDF-" in head:  # PDF readers accept junk before the header
        return "pdf"
    claimed = SUFFIXES.get(path.suffix.lower())
    textual = all(b >= 32 or b in b"\t\r\n\f" for b in head[:512])
    what = "text" if textual else "binary data"
    if claimed:
        raise UnsupportedInputError(f"not a {claimed.upper()} file (it holds {what})", str(path))
    raise UnsupportedInputError(f"unsupported file type ({what}); vanban reads PDF, TIFF, PNG "
                                "and JPEG", str(path))


#: Why a folder given to ``vanban ocr`` / ``pdf`` gave it nothing to read.
NO_SCAN_IN_FOLDER = empty_folder_reason("PDF, TIFF, PNG or JPEG")


def _is_scan(relative: Path) -> bool:
    return picked_up(relative, SUFFIXES)


def find_scans(paths: list[str | Path]) -> FoundInputs:
    """Files as given, folders walked once by :func:`vanban.folders.walk_folder` (hidden
    folders skipped, links to folders not followed) for their PDF, TIFF, PNG and JPEG files.
    A path that cannot be looked at (its parent folder cannot be entered) is a file: it fails
    alone when read."""
    found = FoundInputs([], [], [], [])
    for p in map(Path, paths):
        if is_folder(p):
            walk = walk_folder(p, _is_scan)
            found.files.extend(walk.files)
            found.unlisted_folders.extend(walk.unlisted_folders)
            found.linked_folders.extend(walk.linked_folders)
            if walk.holds_nothing:
                found.empty_folders.append(p)
        else:
            found.files.append(p)
    return found


class ScanInputs(NamedTuple):
    """What ``vanban ocr`` and ``pdf`` read, from :func:`scan_inputs`."""
    #: The files to read, in the order of the paths (a folder's sorted).
    files: list[Path]
    #: One error per folder that held nothing or could not be listed (exit 3).
    errors: list[InputFileError]
    #: One warning line per link to a folder that was not followed.
    warnings: list[str]


def scan_inputs(paths: list[str | Path]) -> ScanInputs:
    """The files under ``paths`` (:func:`find_scans`), each unlisted or empty folder as an
    :class:`InputFileError` of its own, and the linked folders as warnings."""
    out = ScanInputs([], [], [])
    for given in map(Path, paths):
        found = find_scans([given])
        out.errors.extend(InputFileError(unlisted_reason(folder.reason, "read"), str(folder.path))
                          for folder in found.unlisted_folders)
        out.errors.extend(InputFileError(NO_SCAN_IN_FOLDER, str(folder))
                          for folder in found.empty_folders)
        out.warnings.extend(linked_folder_warning(link, "read") for link in found.linked_folders)
        out.files.extend(found.files)
    return out


def expand_inputs(paths: list[str | Path]) -> list[Path]:
    """Files as given, folders replaced by their supported files (sorted, recursive); see
    :func:`find_scans` for what else the walk found."""
    return find_scans(paths).files


def _check_size(img: Image.Image, path: Path, page: int | None = None) -> None:
    w, h = img.size
    if w * h > MAX_PIXELS:
        where = f"page {page}: " if page else ""
        raise ImageTooLargeError(f"{where}image of {w}x{h} pixels is over the {MAX_PIXELS // 1_000_000} "
                                 "Mpx limit (decompression-bomb protection)", str(path))


def _claimed_size(path: Path) -> tuple[int, int]:
    """Width and height an image file's header claims, read without decoding anything."""
    saved = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None  # header only: Image.open does not decode pixels
        with Image.open(path) as img:
            return img.size
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _open_image(path: Path) -> Image.Image:
    # PIL's own bomb check raises only far above our limit; make it quiet and check ourselves.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            img = Image.open(path)
        except Image.DecompressionBombError:
            w, h = _claimed_size(path)
            raise ImageTooLargeError(f"image of {w}x{h} pixels is over the {MAX_PIXELS // 1_000_000} "
                                     "Mpx limit (decompression-bomb protection)", str(path)) from None
        except Exception as err:  # PIL raises many types for broken files
            raise InputFileError(f"cannot decode image: {err}", str(path)) from None
    _check_size(img, path)
    return img


#: Modes PIL gives deep greyscale images (16-bit PNG/TIFF, 32-bit int, float).
_DEEP_GRAY_MODES = {"I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
_ALPHA_MODES = {"LA", "La", "PA", "RGBA", "RGBa"}


def _deep_gray_to_8bit(frame: Image.Image) -> Image.Image:
    """16-bit (or 32-bit, float) greyscale scaled into 0-255 by its bit depth.

    PIL's ``convert("L")`` clips every value above 255 to white, so a 16-bit page (white
    65535, ink a few thousand) came out a blank white page. The depth is the smallest number
    of bits holding the brightest pixel (12-bit scanner data is common), floats in 0-1 are
    taken as they are.
    """
    arr = np.asarray(frame).astype(np.float64)
    top = float(arr.max()) if arr.size else 0.0
    if frame.mode == "F" and top <= 1.0:
        scale = 1.0
    elif top <= 255:
        scale = 255.0
    else:
        scale = float(2 ** int(np.ceil(np.log2(top + 1))) - 1)
    out = np.clip(np.rint(arr * (255.0 / scale)), 0, 255).astype(np.uint8)
    return Image.fromarray(out, mode="L")


def page_image(frame: Image.Image) -> Image.Image:
    """A decoded frame as an 8-bit page: ``L`` for greyscale and bilevel, ``RGB`` otherwise.

    Done once, at input, so that every later step sees one of two modes: deep greyscale is
    scaled (not clipped), transparency is laid on white (a transparent background would
    otherwise read as black), palette and CMYK become RGB.
    """
    mode = frame.mode
    if mode in ("L", "RGB"):
        return frame.copy()
    if mode == "1":
        return frame.convert("L")
    if mode in _DEEP_GRAY_MODES:
        return _deep_gray_to_8bit(frame)
    if mode == "P":
        frame = frame.convert("RGBA" if "transparency" in frame.info else "RGB")
        if frame.mode == "RGB":
            return frame
    elif mode in ("L", "LA") and "transparency" in frame.info:
        frame = frame.convert("LA")
    if frame.mode in _ALPHA_MODES:
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(white, rgba)
        return flat.convert("L" if mode in ("LA", "La") else "RGB")
    return frame.convert("RGB")  # CMYK, YCbCr, LAB, HSV


def _image_dpi(img: Image.Image) -> float | None:
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    # 72/96 dpi are "no idea" defaults of cameras and editors, not a scan resolution.
    return value if value and value >= 100 else None


def _image_sources(path: Path) -> list[PageSource]:
    # PIL warns (on stderr) about oddities it gets past, e.g. corrupt EXIF: not the user's
    # business when the page decodes, and an error of ours when it does not.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return _image_sources_quietly(path)


def _image_sources_quietly(path: Path) -> list[PageSource]:
    img = _open_image(path)
    n_frames = getattr(img, "n_frames", 1)
    direct = n_frames == 1 and _decodes_directly(img)
    sources = []
    for index in range(n_frames):
        img.seek(index)
        _check_size(img, path, index + 1 if n_frames > 1 else None)

        def load(index=index) -> Image.Image:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                warnings.simplefilter("ignore", UserWarning)  # e.g. corrupt EXIF
                frame = Image.open(path)
                frame.seek(index)
                dpi = frame.info.get("dpi")
                try:
                    frame.load()
                except Exception as err:
                    raise InputFileError(f"cannot decode image: {err}", str(path)) from None
                out = page_image(frame)
                # Phone photos store "rotate me" in EXIF instead of turning the pixels.
                out = ImageOps.exif_transpose(out) if frame.getexif().get(0x0112, 1) != 1 else out
                if dpi:
                    out.info["dpi"] = dpi
                return out

        def pixels(load=load, size=img.size, gray=img.mode == "L") -> np.ndarray:
            if direct:
                found = _decode_directly(path, size, gray)
                if found is not None:
                    return found
            return np.asarray(load())

        sources.append(PageSource(number=index + 1, load=load, pixels=pixels, dpi=_image_dpi(img)))
    # Decode the first frame now so a truncated file fails here, before any OCR; the pages
    # are decoded again when their turn comes (so that many inputs do not fill the memory).
    # A single-frame JPEG whose markers run whole to its end (jpeg_markers_complete: not cut
    # short, no marker damaged in) is not decoded here: its one decode is the page's, and what
    # a decode could still find (an error in a table's contents) fails that decode with the
    # same one-line InputFileError. Any other JPEG is checked at 1/8 of its size: every byte
    # of it is still decoded (a truncated or corrupt file fails the same way), at a fraction
    # of the cost. A JPEG larger than its pixels could ever need (jpeg_scan_bound) is also
    # checked that way: the marker scan is a Python loop over its FF bytes, and a file padded
    # with them would make it slow; the 1/8 decode's cost follows the pixel count instead.
    try:
        img.seek(0)
        if (img.format == "JPEG" and n_frames == 1 and path.stat().st_size <= jpeg_scan_bound(img)
                and jpeg_markers_complete(path)):
            return sources
        if img.format == "JPEG":
            img.draft(None, (max(1, img.size[0] // 8), max(1, img.size[1] // 8)))
        img.load()
    except Exception as err:  # PIL raises many types for broken files
        raise InputFileError(f"cannot decode image: {err}", str(path)) from None
    finally:
        img.close()  # a multi-page TIFF keeps its file open until closed
    return sources


#: A run of FF bytes (fill before a JPEG marker).
_JPEG_FILL = re.compile(rb"\xff+")
#: JPEG marker codes that stand alone (no length follows): TEM, RST0-7, SOI, EOI.
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8), 0xD8, 0xD9}


#: Bytes a JPEG may hold beyond its raw pixels and still have its markers scanned: room for
#: tables, EXIF, ICC profiles and thumbnails.
JPEG_SCAN_SLACK = 1 << 20


def jpeg_scan_bound(img: Image.Image) -> int:
    """The largest file size whose markers :func:`open_input` scans: the image's raw pixel
    bytes (width x height x components, more than any JPEG of it compresses to) plus
    :data:`JPEG_SCAN_SLACK`. A larger file is padded with something, and is decoded at 1/8
    instead."""
    width, height = img.size
    return width * height * max(1, len(img.getbands())) + JPEG_SCAN_SLACK


def jpeg_markers_complete(path: Path) -> bool:
    """Whether a JPEG file's markers run whole from its start to its end-of-image marker: a
    start (FF D8), segments whose lengths land each on the next marker, one frame header
    (SOFn) before the first scan, each scan's compressed data ending at a marker, and FF D9.

    A file cut short anywhere fails this, and so does a marker found where no marker fits
    (bytes damaged into one). Bytes after the end are left alone, as decoders leave them.
    What this does not read is the compressed data itself and the tables' contents; any
    answer but True makes the caller decode the file as before.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return False
    n = len(data)
    if not data.startswith(b"\xff\xd8"):
        return False
    pos, frames = 2, 0
    while pos < n:
        if data[pos] != 0xFF:
            return False
        pos = _JPEG_FILL.match(data, pos).end()  # type: ignore[union-attr]  # fill bytes
        if pos >= n:
            return False
        code = data[pos]
        pos += 1
        if code == 0xD9:
            return frames == 1
        if code in _JPEG_STANDALONE or code == 0x00 or pos + 2 > n:
            return False
        length = int.from_bytes(data[pos:pos + 2], "big")
        if length < 2 or pos + length > n:
            return False
        if 0xC0 <= code <= 0xCF and code not in (0xC4, 0xC8, 0xCC):  # a frame header
            frames += 1
            if frames > 1:
                return False
        pos += length
        if code == 0xDA:  # a scan: its compressed data runs to the next marker
            if not frames:
                return False
            pos = _jpeg_next_marker(data, pos)
            if pos < 0:
                return False
    return False


def _jpeg_next_marker(data: bytes, pos: int) -> int:
    """Where the next marker (its FF fill) starts in compressed data from ``pos``, or -1: an FF
    run followed by a code that is neither a stuffed 00 nor a restart marker (D0-D7). Linear
    in the data, whatever its runs of FF."""
    while True:
        start = data.find(b"\xff", pos)
        if start < 0:
            return -1
        end = _JPEG_FILL.match(data, start).end()  # type: ignore[union-attr]
        if end >= len(data):
            return -1
        if data[end] != 0x00 and not 0xD0 <= data[end] <= 0xD7:
            return start
        pos = end + 1


def _decodes_directly(img: Image.Image) -> bool:
    """Whether OpenCV's decoder gives this file's page pixel for pixel as PIL and
    :func:`page_image` do: an 8-bit RGB or grey JPEG or PNG, without transparency, that EXIF
    does not ask to turn (both decode through libjpeg / libpng; tests/test_ocr_inputs.py
    compares them)."""
    try:
        turned = img.getexif().get(0x0112, 1) != 1
    except Exception:  # a corrupt EXIF block: PIL's path copes with it
        return False
    return (img.format in ("JPEG", "PNG") and img.mode in ("RGB", "L")
            and "transparency" not in img.info and not turned)


def _decode_directly(path: Path, size: tuple[int, int], gray: bool) -> np.ndarray | None:
    """The page decoded by OpenCV straight into an array (no PIL image and its copies), or None
    when that does not give the size and kind PIL saw (then PIL decodes it)."""
    try:
        data = np.fromfile(path, dtype=np.uint8)
        colour = _IMREAD_RGB if _IMREAD_RGB is not None else cv2.IMREAD_COLOR
        arr = cv2.imdecode(data, cv2.IMREAD_IGNORE_ORIENTATION | (cv2.IMREAD_GRAYSCALE if gray else colour))
    except (OSError, cv2.error):
        return None
    if arr is None or arr.dtype != np.uint8 or arr.shape[:2] != (size[1], size[0]):
        return None
    return arr if gray or _IMREAD_RGB is not None else cv2.cvtColor(arr, cv2.COLOR_BGR2RGB)


#: OpenCV >= 4.10 decodes straight to RGB (libjpeg's own RGB output: no channel swap after).
_IMREAD_RGB = getattr(cv2, "IMREAD_COLOR_RGB", None)


def _scan_image(page) -> tuple[float, float] | None:
    """(pixels per inch, page area share) of the largest image on a PDF page (the scan)."""
    import pypdfium2.raw as pdfium_c
    from pypdfium2 import PdfiumError
    best = None
    width_pt, height_pt = page.get_size()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            px_w, px_h = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
        except PdfiumError:  # an image pdfium cannot size or place tells nothing of the DPI
            continue
        width_in = (right - left) / 72
        if width_in > 1 and (best is None or px_w * px_h > best[0]):
            share = (right - left) * (top - bottom) / max(1.0, width_pt * height_pt)
            best = (px_w * px_h, px_w / width_in, share)
    return (best[1], best[2]) if best else None


def _overlay_only(lines: list[Line], height_px: float) -> bool:
    """A text layer that is no page's text: a few words in one band of a scanned page (the
    signing software's "Ký bởi: ... Thời gian ký: ..." boxes, a stamp) rather than text
    running down the page, as an OCR layer or a born-digital page has."""
    boxes = [ln.bbox for ln in lines if ln.bbox]
    if not boxes:
        return True
    words = sum(len(ln.words) for ln in lines)
    span = max(b[3] for b in boxes) - min(b[1] for b in boxes)
    return words < OVERLAY_MAX_WORDS and span < OVERLAY_MAX_SPAN * height_px


def _layer_lines(textpage, scale: float, height_pt: float,
                 skip: Callable[[str, tuple], bool] | None = None) -> list[Line]:
    """Lines of words (boxes in page pixels at ``scale`` px/pt) from a pdfium text page.

    ``skip(char, pdf_box)`` true leaves that character out and ends the word it would join.
    """
    lines: list[Line] = []
    words: list[Word] = []
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []

    def flush_word():
        if chars:
            x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
            y0, y1 = min(b[1] for b in boxes), max(b[3] for b in boxes)
            words.append(Word("".join(chars), (round(x0), round(y0), round(x1), round(y1)), None))
            chars.clear()
            boxes.clear()

    def flush_line():
        flush_word()
        if words:
            lines.append(Line(words=list(words), bbox=_union([w.bbox for w in words])))
            words.clear()

    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        if ch in ("\r", "\n"):
            flush_line()
            continue
        if not ch.strip():
            flush_word()
            continue
        box = textpage.get_charbox(i)
        if skip is not None and skip(ch, box):
            flush_word()
            continue
        left, bottom, right, top = box
        chars.append(ch)
        boxes.append((left * scale, (height_pt - top) * scale, right * scale, (height_pt - bottom) * scale))
    flush_line()
    return lines


def _lines_page(lines: list[Line], annotation_lines: list[Line], number: int,
                page_size_pt: tuple[float, float], dpi: float) -> Page:
    """A text-layer Page from its lines, with the annotations' text merged in by position."""
    scale = dpi / 72
    width_pt, height_pt = page_size_pt
    if annotation_lines:
        lines = merge_annotation_lines(lines, annotation_lines)
    return Page(number=number, blocks=[Block(lines=lines, bbox=_union([ln.bbox for ln in lines]))] if lines else [],
                width=round(width_pt * scale), height=round(height_pt * scale), dpi=dpi,
                source="text-layer")


def _v_overlap(a, b) -> float:
    """Vertical overlap of two boxes as a share of the smaller height."""
    inter = min(a[3], b[3]) - max(a[1], b[1])
    return inter / max(1, min(a[3] - a[1], b[3] - b[1]))


def merge_annotation_lines(lines: list[Line], annotation_lines: list[Line]) -> list[Line]:
    """Put words drawn by annotation appearances into the page's lines, where poppler shows them.

    The signing software draws the number ("173") and the day/month of the date into blanks of
    the page's own lines ("Số:      /KH-UBND", "ngày   tháng   năm 2026"): a word whose box sits
    on a line (vertical overlap over half its height) joins that line in x order; a number
    filled in just before a "/CODE" of the same line becomes one token with it ("173/KH-UBND").
    Words on no line form lines of their own, placed by their height on the page.
    """
    lines = [Line(words=list(ln.words), bbox=ln.bbox) for ln in lines]
    loose: list[Word] = []
    for aline in annotation_lines:
        for word in aline.words:
            best, best_ov = None, 0.5
            for ln in lines:
                if ln.bbox is None:
                    continue
                ov = _v_overlap(word.bbox, ln.bbox)
                if ov > best_ov:
                    best, best_ov = ln, ov
            if best is None:
                loose.append(word)
                continue
            best.words = sorted(best.words + [word], key=lambda w: w.bbox[0] if w.bbox else 0)
            best.bbox = _union([w.bbox for w in best.words])
    for ln in lines:
        ln.words = _join_filled_number(ln.words)
    if loose:
        rows: list[list[Word]] = []
        for word in sorted(loose, key=lambda w: (w.bbox[1], w.bbox[0])):
            if rows and _v_overlap(word.bbox, _union([w.bbox for w in rows[-1]])) > 0.5:
                rows[-1].append(word)
            else:
                rows.append([word])
        for row in rows:
            row.sort(key=lambda w: w.bbox[0])
            new = Line(words=row, bbox=_union([w.bbox for w in row]))
            at = next((i for i, ln in enumerate(lines) if ln.bbox and ln.bbox[1] > new.bbox[1]), len(lines))
            lines.insert(at, new)
    return lines


_FILLED_NUMBER = re.compile(r"^\d{1,6}$")
_NUMBER_CODE = re.compile(r"^/[A-ZĐ]")


def _join_filled_number(words: list[Word]) -> list[Word]:
    """"173" + "/KH-UBND" (a number filled into the blank before the code) -> "173/KH-UBND"."""
    out: list[Word] = []
    for word in words:
        prev = out[-1] if out else None
        if prev is not None and _FILLED_NUMBER.match(prev.text) and _NUMBER_CODE.match(word.text):
            out[-1] = Word(prev.text + word.text, _union([prev.bbox, word.bbox]), None)
            continue
        out.append(word)
    return out


def annotation_text_lines(pdf, index: int, scale: float, height_pt: float) -> list[Line]:
    """Text drawn by the annotation appearances of page ``index`` (signature widgets), as lines.

    pdfium's text layer leaves annotations out, while poppler (``pdftotext``) and viewers show
    their appearance streams. The page is flattened in memory (pdfium ``FPDFPage_Flatten``, the
    appearances become page content, nested form XObjects included) and the characters the
    flattened page has beyond the original ones are the annotations' text. ``pdf`` is changed
    in memory: pass a copy that is not used for rendering.
    """
    import pypdfium2.raw as pdfium_c
    page = pdf[index]
    if pdfium_c.FPDFPage_GetAnnotCount(page.raw) <= 0:
        return []
    before: dict[tuple, int] = {}
    textpage = page.get_textpage()
    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        if ch.strip():
            k = (ch, *(round(v, 1) for v in textpage.get_charbox(i)))
            before[k] = before.get(k, 0) + 1
    textpage.close()
    if pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY) != pdfium_c.FLATTEN_SUCCESS:
        return []
    page.close()

    def on_page_before(ch: str, box: tuple) -> bool:
        k = (ch, *(round(v, 1) for v in box))
        if before.get(k):
            before[k] -= 1
            return True  # page text between annotation characters ends their word
        return False

    flat = pdf[index].get_textpage()
    lines = _layer_lines(flat, scale, height_pt, skip=on_page_before)
    flat.close()
    return lines


def _union(boxes):
    boxes = [b for b in boxes if b]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _pdf_open_error(path: Path, pdfium_message: str) -> InputFileError:
    """Why pdfium could not open ``path``, asked of pikepdf: pdfium's error code is a
    process-wide "last error", which a previous file (an encrypted one) can leave behind, so
    a later 0-page PDF was reported as encrypted."""
    import pikepdf
    reason = pdfium_message.rstrip(".")
    try:
        with pikepdf_source(path) as src, pikepdf.open(src) as pdf:
            pages = len(pdf.pages)
    except pikepdf.PasswordError:
        return EncryptedPdfError("encrypted PDF (needs a password); decrypt it first, e.g. "
                                 "qpdf --decrypt --password=... in.pdf out.pdf", str(path))
    except Exception as err:  # pikepdf cannot read it either
        reason = str(err).splitlines()[0] if str(err) else reason
        return InputFileError(f"corrupt or unreadable PDF ({reason})", str(path))
    if pages == 0:
        return InputFileError("PDF has no pages", str(path))
    return InputFileError(f"corrupt or unreadable PDF ({reason})", str(path))


def _pdf_sources(path: Path, force_ocr: bool) -> list[PageSource]:
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        raise _pdf_open_error(path, str(err)) from None
    if len(pdf) == 0:
        raise InputFileError("PDF has no pages", str(path))
    # Signature widgets carry the signing stamps ("Ký bởi: ...", the signer's seal image): the
    # page is rendered with them, as poppler and PDF viewers show it; layout reports them as stamps.
    try:
        pdf.init_forms()
    except pdfium.PdfiumError:
        pass
    import pypdfium2.raw as pdfium_c
    flattened = None
    sources = []
    for index in range(len(pdf)):
        try:
            page = pdf[index]
            width_pt, height_pt = page.get_size()
        except pdfium.PdfiumError as err:
            raise InputFileError(f"corrupt PDF: page {index + 1}: {err}", str(path)) from None
        scan = _scan_image(page)
        native = scan[0] if scan else None
        dpi = DEFAULT_RENDER_DPI if native is None else min(MAX_RENDER_DPI, max(MIN_RENDER_DPI, round(native)))
        if width_pt * height_pt * (dpi / 72) ** 2 > MAX_PIXELS:
            raise ImageTooLargeError(f"page {index + 1} is {width_pt:.0f}x{height_pt:.0f} pt, too large "
                                     "to render", str(path))
        source = PageSource(number=index + 1, dpi=dpi)
        if native:
            source.notes["scan_dpi"] = round(native)
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        base_lines = _layer_lines(textpage, dpi / 72, height_pt) if text.strip() else []
        textpage.close()
        # Signature widgets draw the number and the date into blanks of the page's lines. Their
        # text is read from a second copy of the document, flattened in memory, so that the
        # pages OCR renders stay as the file draws them.
        annotation_lines: list[Line] = []
        if pdfium_c.FPDFPage_GetAnnotCount(page.raw) > 0:
            if flattened is None:
                flattened = pdfium.PdfDocument(str(path))
            annotation_lines = annotation_text_lines(flattened, index, dpi / 72, height_pt)
        if annotation_lines:
            source.notes["annotation_words"] = sum(len(ln.words) for ln in annotation_lines)
            text = text + "\n" + "\n".join(ln.text for ln in annotation_lines)
        if text.strip():
            real = looks_vietnamese(text)
            overlay = bool(scan and scan[1] >= SCAN_PAGE_SHARE
                           and _overlay_only(base_lines + annotation_lines, height_pt * dpi / 72))
            source.notes["text_layer"] = (
                "signature/stamp text over a scan, page OCRed" if overlay
                else "trusted" if real and not force_ocr
                else "ignored (--force-ocr)" if real else "garbled, ignored")
            if real and not force_ocr and not overlay:
                source.text_page = _lines_page(base_lines, annotation_lines, index + 1,
                                               (width_pt, height_pt), dpi)
                source.ruling = functools.partial(_ruling_render, pdf, index)
                sources.append(source)
                continue

        def load(index=index, dpi=dpi) -> Image.Image:
            # pdfium is not thread-safe: this runs on the thread that drives the pool.
            bitmap = pdf[index].render(scale=dpi / 72, grayscale=False)
            img = bitmap.to_pil().convert("RGB")
            img.info["dpi"] = (dpi, dpi)
            return img

        def pixels(index=index, dpi=dpi) -> np.ndarray:
            # the same render as ``load``, its BGR(x) buffer turned RGB in one step
            bitmap = pdf[index].render(scale=dpi / 72, grayscale=False)
            return _bitmap_rgb(bitmap)

        source.load = load
        source.pixels = pixels
        source.load_on_main_thread = True
        sources.append(source)
    return sources


def _bitmap_rgb(bitmap) -> np.ndarray:
    """A pdfium bitmap as an RGB array: ``to_pil().convert("RGB")``'s pixels without the two
    PIL images (alpha, where the format has it, dropped as PIL's convert drops it)."""
    arr = bitmap.to_numpy()
    mode = bitmap.mode  # PIL's raw mode of the buffer: "BGR", "BGRX", "BGRA", "RGBX", "RGBA", "L"
    if mode == "BGR":
        return cv2.cvtColor(arr, cv2.COLOR_BGR2RGB)
    if mode == "RGB":
        return np.array(arr)
    if mode in ("BGRX", "BGRA"):
        return cv2.cvtColor(arr, cv2.COLOR_BGRA2RGB)
    if mode in ("RGBX", "RGBA"):
        return cv2.cvtColor(arr, cv2.COLOR_RGBA2RGB)
    return np.asarray(bitmap.to_pil().convert("RGB"))


def _ruling_render(pdf, index: int) -> np.ndarray | None:
    """A small grayscale render of a page drawn with enough vector paths to hold a table."""
    import pypdfium2.raw as pdfium_c
    page = pdf[index]
    paths = 0
    for _obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        paths += 1
        if paths >= MIN_RULING_PATHS:
            return np.array(page.render(scale=RULING_DPI / 72, grayscale=True).to_numpy())
    return None


def open_input(path: str | Path, force_ocr: bool = False) -> list[PageSource]:
    """Validate one input file and list its pages; raises InputFileError subclasses."""
    path = Path(path)
    check_regular_file(path)  # before opening: a FIFO named x.pdf would block forever
    kind = sniff_type(path)
    if kind == "pdf":
        return _pdf_sources(path, force_ocr)
    return _image_sources(path)
