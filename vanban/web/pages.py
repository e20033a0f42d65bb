"""Page images of scanned documents, for the document page's provenance boxes.

A page is addressed only by document id and page number, never by a path: the file read is
one the store lists for that document (``documents.source`` or ``document_files``), and only
when its bytes still hash to the document id (the content the record was made from). Nothing
else on disk can be reached through the web view.

The image is the one the OCR stage saw (:func:`vanban.ocr.inputs.open_input` decides each
page's render DPI; an image file's frame, turned by its EXIF tag), so the record's boxes,
which are in that image's pixels, fall on it. Pages read from a trusted PDF text layer are
rendered at the DPI their boxes were computed at. Images are sent scaled down to
:data:`SERVED_WIDTH` pixels wide; boxes are placed in percent of the page size.
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
from collections import OrderedDict
from pathlib import Path

from PIL import Image

#: Width (pixels) of the page images sent to the browser.
SERVED_WIDTH = 1100
#: File types whose pages can be shown (what vanban's ocr reads).
PAGE_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
#: Rendered pages kept in memory, and documents whose opened files are kept.
CACHE_PAGES = 48
CACHE_DOCUMENTS = 16


class _Opened:
    """One document's file, opened: its page sources and, for a PDF, the pdfium document."""

    def __init__(self, path: Path):
        from ..ocr.inputs import open_input
        self.path = path
        self.sources = open_input(path)
        self.pdf = None
        self._sizes: dict[int, tuple[int, int]] = {}
        if path.suffix.lower() == ".pdf":
            import pypdfium2 as pdfium
            self.pdf = pdfium.PdfDocument(str(path))

    def size(self, number: int) -> tuple[int, int]:
        """The page's size in the record's box pixels, without rendering it when possible."""
        if number not in self._sizes:
            self._sizes[number] = self._size(number)
        return self._sizes[number]

    def _size(self, number: int) -> tuple[int, int]:
        source = self.sources[number - 1]
        if source.text_page is not None and source.text_page.width:
            return source.text_page.width, source.text_page.height
        if self.pdf is not None:
            w, h = self.pdf[number - 1].get_size()
            scale = (source.dpi or 72) / 72
            return math.ceil(w * scale), math.ceil(h * scale)  # what pdfium renders
        return self.render(number).size

    def render(self, number: int) -> Image.Image:
        source = self.sources[number - 1]
        if self.pdf is not None:
            bitmap = self.pdf[number - 1].render(scale=(source.dpi or 72) / 72, grayscale=False)
            return bitmap.to_pil().convert("RGB")
        return source.load()


class PageImages:
    """Finds, checks and renders the page images of stored documents."""

    def __init__(self, files_of, roots: list[Path]):
        """``files_of(document_id)`` lists the stored paths of a document; relative paths are
        tried against each of ``roots`` (the database's folder, the working folder)."""
        self._files_of = files_of
        self._roots = roots
        # pdfium is not thread-safe and requests run on a thread pool: one file use at a time.
        self._lock = threading.RLock()
        self._hashes: dict[tuple[str, int, int], str] = {}
        self._pages: OrderedDict[tuple[str, int], tuple[bytes, tuple[int, int]]] = OrderedDict()
        self._opened: OrderedDict[str, _Opened | None] = OrderedDict()

    def file_for(self, document_id: str) -> Path | None:
        """A file holding exactly this document's content, or None."""
        for stored in self._files_of(document_id):
            candidates = [Path(stored)] if Path(stored).is_absolute() else \
                [root / stored for root in self._roots]
            for path in candidates:
                try:
                    if path.suffix.lower() not in PAGE_SUFFIXES or not path.is_file():
                        continue
                    if self._sha256(path) == document_id:
                        return path
                except OSError:
                    continue
        return None

    def _sha256(self, path: Path) -> str:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        if key not in self._hashes:
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            self._hashes[key] = digest.hexdigest()
        return self._hashes[key]

    def _open(self, document_id: str) -> _Opened | None:
        with self._lock:
            if document_id in self._opened:
                self._opened.move_to_end(document_id)
                return self._opened[document_id]
            path = self.file_for(document_id)
            opened = None
            if path is not None:
                try:
                    opened = _Opened(path)
                except Exception:  # an unreadable file shows no pages; the record stays
                    opened = None
            self._opened[document_id] = opened
            while len(self._opened) > CACHE_DOCUMENTS:
                self._opened.popitem(last=False)
            return opened

    def count(self, document_id: str) -> int:
        opened = self._open(document_id)
        return len(opened.sources) if opened else 0

    def sizes(self, document_id: str) -> list[tuple[int, int]]:
        """(width, height) of each page, in box pixels."""
        opened = self._open(document_id)
        if not opened:
            return []
        with self._lock:
            return [opened.size(n) for n in range(1, len(opened.sources) + 1)]

    def page(self, document_id: str, number: int) -> tuple[bytes, tuple[int, int]] | None:
        """(JPEG bytes, (width, height) of the page in the record's box pixels), or None."""
        key = (document_id, number)
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
                return self._pages[key]
            opened = self._open(document_id)
            if not opened or not 1 <= number <= len(opened.sources):
                return None
            img = opened.render(number)
            size = opened.size(number) if opened.sources[number - 1].text_page else img.size
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        if img.width > SERVED_WIDTH:
            img = img.resize((SERVED_WIDTH, round(img.height * SERVED_WIDTH / img.width)),
                             Image.LANCZOS)
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=82)
        found = (buffer.getvalue(), size)
        with self._lock:
            self._pages[key] = found
            while len(self._pages) > CACHE_PAGES:
                self._pages.popitem(last=False)
        return found
