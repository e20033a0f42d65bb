"""Page images of scanned documents, for the document page's provenance boxes.

A page is addressed only by document id and page number, never by a path: the file read is
one the store lists for that document (``documents.source`` or ``document_files``), and only
when its bytes still hash to the document id (the content the record was made from). Nothing
else on disk can be reached through the web view.

The image is the one the OCR stage saw (:func:`vanban.ocr.inputs.open_input`: a PDF page
rendered at the same DPI, an image file's frame), so the record's boxes, which are in that
image's pixels, fall on it. It is served scaled down to :data:`SERVED_WIDTH` pixels wide;
boxes are placed in percent of the page size.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from pathlib import Path

from PIL import Image

#: Width (pixels) of the page images sent to the browser.
SERVED_WIDTH = 1100
#: File types whose pages can be shown (what vanban's ocr reads).
PAGE_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
#: Rendered pages kept in memory.
CACHE_PAGES = 48


class PageImages:
    """Finds, checks and renders the page images of stored documents."""

    def __init__(self, files_of, roots: list[Path]):
        """``files_of(document_id)`` lists the stored paths of a document; relative paths are
        tried against each of ``roots`` (the database's folder, the working folder)."""
        self._files_of = files_of
        self._roots = roots
        self._lock = threading.Lock()
        # pdfium is not thread-safe and requests run on a thread pool: one render at a time.
        self._render_lock = threading.Lock()
        self._hashes: dict[tuple[str, int, int], str] = {}
        self._cache: OrderedDict[tuple[str, int], tuple[bytes, tuple[int, int]]] = OrderedDict()
        self._sources: dict[str, tuple[Path, list] | None] = {}

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

    def _page_sources(self, document_id: str) -> list:
        with self._lock:
            if document_id not in self._sources:
                path = self.file_for(document_id)
                sources = None
                if path is not None:
                    from ..ocr.inputs import open_input
                    try:
                        sources = (path, open_input(path))
                    except Exception:  # an unreadable file shows no pages; the record stays
                        sources = None
                self._sources[document_id] = sources
            found = self._sources[document_id]
        return found[1] if found else []

    def count(self, document_id: str) -> int:
        return len(self._page_sources(document_id))

    def page(self, document_id: str, number: int) -> tuple[bytes, tuple[int, int]] | None:
        """(JPEG bytes, (width, height) of the page in the record's box pixels), or None."""
        key = (document_id, number)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        sources = self._page_sources(document_id)
        if not 1 <= number <= len(sources):
            return None
        with self._render_lock:
            img = sources[number - 1].load()
        size = img.size
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        if img.width > SERVED_WIDTH:
            img = img.resize((SERVED_WIDTH, round(img.height * SERVED_WIDTH / img.width)),
                             Image.LANCZOS)
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=82)
        found = (buffer.getvalue(), size)
        with self._lock:
            self._cache[key] = found
            while len(self._cache) > CACHE_PAGES:
                self._cache.popitem(last=False)
        return found

    def sizes(self, document_id: str) -> list[tuple[int, int]]:
        """(width, height) of each page, in box pixels."""
        out = []
        for n in range(1, self.count(document_id) + 1):
            found = self.page(document_id, n)
            if found:
                out.append(found[1])
        return out
