"""Tesseract behind one interface: words with boxes and confidences, and orientation (OSD).

:class:`OcrEngine` is what the ocr stage asks of an OCR engine (OCRmyPDF's ``OcrEngine`` plugin
idea, reduced to what vanban needs). Two implementations, chosen by ``OcrOptions.engine``
(:data:`ENGINES`):

- ``"tesserocr"`` (:class:`TesserocrEngine`, the default): libtesseract in this process through
  tesserocr; each loaded model (a ``TessBaseAPI``) is kept and reused, one per thread that is
  reading at the same moment, so a page costs its recognition only, not a process start and a
  model load per Tesseract call (a page makes several: re-reads of columns, fields, tables).
- ``"pytesseract"`` (:class:`PytesseractEngine`, the portable fallback and the design's
  original choice): one ``tesseract`` process per call; the page is handed over as an
  uncompressed PGM file (writing it costs a few milliseconds, where PNG compression, pytesseract's
  default for in-memory images, costs a few hundred per 300-dpi page).

Both give the same words: they run the same libtesseract (scripts/install.sh builds tesserocr
against Debian's ``libtesseract``, whose ``tesseract`` CLI pytesseract calls), on the same
pixels, with the same settings, and their TSV output is read by one parser
(:func:`words_from_tsv`, which keeps pytesseract's reading: confidences truncated to integers).
tests/test_ocr_engine.py checks it.

Tesseract runs with one OpenMP thread (``OMP_THREAD_LIMIT=1``, or ``VANBAN_TESSERACT_THREADS``):
vanban runs pages in parallel instead, which scales better than Tesseract's own threads. For
tesserocr the variable is set before libtesseract (and its OpenMP runtime) is loaded.

The module-level :func:`recognize` and :func:`detect_orientation` are the one call site of the
ocr stage's steps (page, column re-reads, fields, tables, seal decisions); they use the engine
made active for the page being read (:func:`use`, set by ``ocr_image`` from its options).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from ..errors import MissingDependencyError

#: The engines, as ``OcrOptions.engine`` and ``vanban ocr --engine`` spell them; the first is
#: the default.
ENGINES = ("tesserocr", "pytesseract")
DEFAULT_ENGINE = ENGINES[0]


@dataclass
class RawWord:
    text: str
    bbox: tuple[int, int, int, int]
    conf: float
    #: Tesseract's (block, paragraph, line) numbers: which line the word belongs to.
    key: tuple[int, int, int]


class EngineError(RuntimeError):
    """Tesseract failed on an image (not a missing program or language: those raise
    :class:`vanban.errors.MissingDependencyError`)."""


def _env_single_thread() -> None:
    # pytesseract starts tesseract with this process's environment; libgomp reads it when
    # libtesseract is loaded.
    os.environ["OMP_THREAD_LIMIT"] = os.environ.get("VANBAN_TESSERACT_THREADS", "1")


#: glibc malloc settings made by :func:`keep_freed_page_memory`: blocks up to this size come
#: from the heap (not a fresh mmap per block), and the heap's free top is handed back to the
#: system only beyond this size.
MALLOC_MMAP_THRESHOLD = 32 << 20
MALLOC_TRIM_THRESHOLD = 256 << 20
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt parameter numbers (malloc.h)
#: The environment variables with which a user sets glibc's malloc (then left alone), and
#: vanban's own switch (``VANBAN_MALLOC_TUNING=0``: leave the allocator as it is).
_MALLOC_ENV = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
               "GLIBC_TUNABLES")
_malloc_tuned: bool | None = None


def keep_freed_page_memory() -> bool:
    """Let glibc's malloc reuse the memory of freed page images instead of returning it to
    the system and faulting it in again (once per process; True when set).

    A page passes through a dozen full-page buffers (the decoded scan, its grey copy, masks,
    the deskewed page, Tesseract's own copies), each freed when the next step is done. With
    glibc's defaults a freed block at the top of the heap beyond 128 KiB is handed back and
    the next page's buffer is faulted in anew, page by page, zeroed by the kernel: system
    time spent on every page (measured in docs/ocr.md, "Speed, round 7"). Kept, the next page
    reuses them; the peak resident memory stays about the same, since every page needs the
    same buffers again.

    Only glibc on Linux (the ``mallopt`` call; other C libraries and systems are left alone),
    and not when the user set glibc's malloc through its environment variables or
    ``VANBAN_MALLOC_TUNING=0``.
    """
    global _malloc_tuned
    if _malloc_tuned is None:
        _malloc_tuned = False
        if sys.platform.startswith("linux") and os.environ.get(
                "VANBAN_MALLOC_TUNING", "1") != "0" and not any(k in os.environ for k in _MALLOC_ENV):
            try:
                import ctypes
                libc = ctypes.CDLL(None)  # Windows: TypeError (no "main program" library)
                libc.gnu_get_libc_version  # noqa: B018 - glibc only: musl's mallopt does nothing
                mallopt = libc.mallopt
            except (OSError, AttributeError, TypeError):
                return False
            _malloc_tuned = bool(mallopt(_M_TRIM_THRESHOLD, MALLOC_TRIM_THRESHOLD)
                                 and mallopt(_M_MMAP_THRESHOLD, MALLOC_MMAP_THRESHOLD))
    return _malloc_tuned


#: Columns of Tesseract's TSV output (``tesseract IMAGE out tsv``, ``TessBaseAPI::GetTSVText``).
TSV_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top",
               "width", "height", "conf", "text")


def words_from_tsv(tsv: str) -> list[RawWord]:
    """The words of Tesseract's TSV output (with or without its header line), in its order.

    Read as pytesseract's ``image_to_data`` reads it (numbers through ``int(float(x))``, so a
    confidence of 96.37 is 96; the last row's empty text restored), so that both engines give
    the same words; rows without text or with a negative confidence (page, block, paragraph and
    line rows) are dropped.
    """
    rows = [row.split("\t") for row in tsv.strip().split("\n")]
    if rows and rows[0][0] == TSV_COLUMNS[0]:
        rows.pop(0)
    words = []
    for row in rows:
        if len(row) < len(TSV_COLUMNS) - 1:
            continue
        values = dict(zip(TSV_COLUMNS, row + [""] * (len(TSV_COLUMNS) - len(row))))
        text = values["text"].strip()
        try:
            conf = float(int(float(values["conf"])))
            x, y, w, h = (int(float(values[k])) for k in ("left", "top", "width", "height"))
            key = tuple(int(float(values[k])) for k in ("block_num", "par_num", "line_num"))
        except ValueError:
            continue
        if not text or conf < 0:
            continue
        words.append(RawWord(text, (x, y, x + w, y + h), conf, key))  # type: ignore[arg-type]
    return words


#: OSD is run on a page halved when larger than this (pixels, either side): it needs letters,
#: not detail, and runs 3x faster.
OSD_MAX_SIDE = 2400


class OcrEngine(ABC):
    """What the ocr stage asks of an OCR engine.

    Implementations give the TSV of one recognition (:meth:`_tsv`) and one OSD
    (:meth:`_orientation`); the checks, the halving of large pages for OSD and the reading of
    the TSV are shared here, so that every engine is used the same way.
    """
    #: The engine's name in :data:`ENGINES`.
    name: str = ""

    @abstractmethod
    def version(self) -> str:
        """Tesseract's version ("5.3.0"); raises MissingDependencyError when it is missing."""

    @abstractmethod
    def languages(self) -> set[str]:
        """The installed Tesseract languages ("vie", "eng", "osd", ...)."""

    def check_language(self, lang: str) -> None:
        """Raise MissingDependencyError unless every language of ``lang`` ("vie+eng") is installed."""
        self.version()
        have = self.languages()
        missing = [x for x in lang.split("+") if x not in have]
        if missing:
            raise MissingDependencyError(f"Tesseract language(s) {', '.join(missing)} not installed "
                                         f"(apt install tesseract-ocr-{missing[0]})")

    def preload(self, lang: str = "vie") -> None:
        """Load what reading ``lang`` needs now rather than at the first page (nothing to load
        for engines that start Tesseract per call beyond the checks)."""
        self.check_language(lang)

    def recognize(self, gray: np.ndarray, dpi: float, lang: str = "vie", psm: int = 3,
                  variables: Mapping[str, str] | None = None) -> list[RawWord]:
        """OCR one grayscale (uint8) image; the words Tesseract found, in its order.

        ``variables``: Tesseract parameters for this call only (``{"tessedit_char_whitelist":
        "0123456789"}``, as ``-c name=value`` would set them).
        """
        if gray.ndim != 2 or gray.dtype != np.uint8 or gray.size == 0:
            raise EngineError(f"not a grayscale page image: {gray.dtype} {gray.shape}")
        return words_from_tsv(self._tsv(np.ascontiguousarray(gray), round(dpi), lang, psm,
                                        dict(variables or {})))

    def detect_orientation(self, gray: np.ndarray, dpi: float) -> tuple[int, float] | None:
        """Tesseract OSD: (clockwise rotation that makes the page upright, confidence), or None
        when the page has too little text to decide."""
        h, w = gray.shape
        if max(h, w) > OSD_MAX_SIDE:
            gray = cv2.resize(gray, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
            dpi = dpi / 2
        return self._orientation(np.ascontiguousarray(gray), round(dpi))

    @abstractmethod
    def _tsv(self, gray: np.ndarray, dpi: int, lang: str, psm: int,
             variables: dict[str, str]) -> str:
        """Tesseract's TSV output for ``gray`` read at ``dpi`` with page segmentation ``psm``."""

    @abstractmethod
    def _orientation(self, gray: np.ndarray, dpi: int) -> tuple[int, float] | None:
        """(rotate, confidence) as ``tesseract --psm 0`` reports them, or None."""


class _PageFile:
    """The page as a temporary PGM file, removed afterwards."""

    def __init__(self, gray: np.ndarray):
        self.gray = gray

    def __enter__(self) -> str:
        fd, self.path = tempfile.mkstemp(suffix=".pgm", prefix="vanban-")
        os.close(fd)
        if not cv2.imwrite(self.path, self.gray):
            raise OSError(f"cannot write {self.path}")
        return self.path

    def __exit__(self, *exc) -> None:
        try:
            os.unlink(self.path)
        except OSError:
            pass


_OSD_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_OSD_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")


class PytesseractEngine(OcrEngine):
    """The ``tesseract`` program, one process per call, through pytesseract."""
    name = "pytesseract"

    def __init__(self) -> None:
        import pytesseract
        self._pt = pytesseract
        self._version: str | None = None
        self._languages: set[str] | None = None

    def version(self) -> str:
        if self._version is None:
            try:
                self._version = str(self._pt.get_tesseract_version())
            except self._pt.TesseractNotFoundError:
                raise MissingDependencyError("tesseract is not installed (apt install tesseract-ocr "
                                             "tesseract-ocr-vie)") from None
        return self._version

    def languages(self) -> set[str]:
        if self._languages is None:
            self._languages = set(self._pt.get_languages(config=""))
        return self._languages

    def _tsv(self, gray: np.ndarray, dpi: int, lang: str, psm: int,
             variables: dict[str, str]) -> str:
        _env_single_thread()
        config = f"--dpi {dpi} --psm {psm}" + "".join(f" -c {k}={v}" for k, v in variables.items())
        with _PageFile(gray) as path:
            try:
                return self._pt.image_to_data(path, lang=lang, config=config,
                                              output_type=self._pt.Output.STRING)
            except self._pt.TesseractNotFoundError:
                raise MissingDependencyError("tesseract is not installed") from None
            except self._pt.TesseractError as err:
                if "Failed loading language" in str(err):
                    raise MissingDependencyError(f"Tesseract language {lang!r} not installed") from None
                raise EngineError(f"tesseract failed: {err}".splitlines()[0]) from None

    def _orientation(self, gray: np.ndarray, dpi: int) -> tuple[int, float] | None:
        _env_single_thread()
        with _PageFile(gray) as path:
            try:
                out = self._pt.image_to_osd(path, config=f"--dpi {dpi} --psm 0")
            except self._pt.TesseractError:
                return None  # too little text to decide
        rot, conf = _OSD_ROTATE.search(out), _OSD_CONF.search(out)
        if not rot:
            return None
        return int(rot.group(1)), float(conf.group(1)) if conf else 0.0


@functools.lru_cache(maxsize=1)
def tessdata_dir() -> str | None:
    """Where the installed Tesseract keeps its models: ``TESSDATA_PREFIX`` when set, else the
    folder the ``tesseract`` program itself reports (``--list-langs``), else None (libtesseract's
    compiled-in default)."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    exe = shutil.which("tesseract")
    if exe:
        try:
            out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True,
                                 timeout=60).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        found = re.search(r'"([^"]+)"', out)
        if found and os.path.isdir(found.group(1)):
            return found.group(1)
    return None


#: An OSD "orient_deg" (how far the page is turned) as the clockwise rotation that makes it
#: upright, as ``tesseract --psm 0`` reports it (Tesseract's ``OrientationIdToValue``).
_ROTATE_FOR_ORIENT = {0: 0, 90: 270, 180: 180, 270: 90}


class TesserocrEngine(OcrEngine):
    """libtesseract in this process (tesserocr), loaded models kept and reused.

    A ``TessBaseAPI`` serves one call at a time: a call takes an idle one for its language
    (loading a new one only when every loaded one is busy: at most one per thread reading at
    once) and gives it back. A process forked from this one starts with none (models are not
    shared across a fork).
    """
    name = "tesserocr"

    def __init__(self) -> None:
        _env_single_thread()
        # before libtesseract is loaded: its word images then stay uncompressed PNG (same
        # words, less CPU; vanban.ocr.stored_png)
        from . import stored_png
        self.stored_png = stored_png.load()
        try:
            import tesserocr
        except ImportError:
            raise MissingDependencyError(
                "tesserocr is not installed (bash scripts/install.sh, or use the pytesseract "
                "engine: --engine pytesseract)") from None
        self._tr = tesserocr
        self._lock = threading.Lock()
        self._idle: dict[str, list] = {}
        # libtesseract's own tessdata when it holds models (tesserocr built against the system's
        # libtesseract), else where the `tesseract` program keeps them
        default_path, found = tesserocr.get_languages()
        self._path = (os.environ.get("TESSDATA_PREFIX") or (default_path if found else None)
                      or tessdata_dir() or default_path)
        self._languages: set[str] | None = None
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._idle = {}

    def version(self) -> str:
        return self._tr.PyTessBaseAPI.Version().split("-")[0]

    def languages(self) -> set[str]:
        if self._languages is None:
            self._languages = set(self._tr.get_languages(self._path)[1])
        return self._languages

    def preload(self, lang: str = "vie") -> None:
        self.check_language(lang)
        with self._api(lang):
            pass

    @contextlib.contextmanager
    def _api(self, lang: str, psm: int = 3) -> Iterator:
        with self._lock:
            idle = self._idle.setdefault(lang, [])
            api = idle.pop() if idle else None
        if api is None:
            try:
                api = self._tr.PyTessBaseAPI(path=self._path, lang=lang)
            except RuntimeError:
                self.check_language(lang)
                raise MissingDependencyError(f"Tesseract language {lang!r} cannot be loaded "
                                             f"from {self._path}") from None
        try:
            api.SetPageSegMode(psm)
            yield api
        finally:
            api.Clear()
            with self._lock:
                self._idle.setdefault(lang, []).append(api)

    def _tsv(self, gray: np.ndarray, dpi: int, lang: str, psm: int,
             variables: dict[str, str]) -> str:
        with self._api(lang, psm) as api:
            before = {k: api.GetVariableAsString(k) for k in variables}
            try:
                for key, value in {"user_defined_dpi": str(dpi), **variables}.items():
                    if not api.SetVariable(key, value):
                        raise EngineError(f"unknown Tesseract parameter {key!r}")
                api.SetImageBytes(gray.tobytes(), gray.shape[1], gray.shape[0], 1, gray.shape[1])
                try:
                    return api.GetTSVText(0)
                except RuntimeError as err:
                    raise EngineError(f"tesseract failed: {err}") from None
            finally:
                for key, value in before.items():
                    api.SetVariable(key, value or "")

    def _orientation(self, gray: np.ndarray, dpi: int) -> tuple[int, float] | None:
        with self._api("osd", self._tr.PSM.OSD_ONLY) as api:
            api.SetVariable("user_defined_dpi", str(dpi))
            api.SetImageBytes(gray.tobytes(), gray.shape[1], gray.shape[0], 1, gray.shape[1])
            found = api.DetectOrientationScript()
        if not found:
            return None  # too little text to decide
        # as the CLI prints it ("%.2f"), so that both engines compare the same number
        return _ROTATE_FOR_ORIENT[found["orient_deg"]], float(f"{found['orient_conf']:.2f}")


_ENGINE_CLASSES: dict[str, type[OcrEngine]] = {"tesserocr": TesserocrEngine,
                                               "pytesseract": PytesseractEngine}
_engines: dict[str, OcrEngine] = {}
_engines_lock = threading.Lock()


def _new_engines_lock() -> None:
    global _engines_lock
    _engines_lock = threading.Lock()  # a fork taken while another thread held it


os.register_at_fork(after_in_child=_new_engines_lock)


def get_engine(name: str | None = None) -> OcrEngine:
    """The engine called ``name`` (one of :data:`ENGINES`; None: :data:`DEFAULT_ENGINE`), made
    once per process. Raises MissingDependencyError when its library is not installed."""
    name = name or DEFAULT_ENGINE
    if name not in _ENGINE_CLASSES:
        raise ValueError(f"unknown OCR engine {name!r}; one of {', '.join(ENGINES)}")
    with _engines_lock:
        if name not in _engines:
            keep_freed_page_memory()
            _engines[name] = _ENGINE_CLASSES[name]()
        return _engines[name]


_active: contextvars.ContextVar[OcrEngine | None] = contextvars.ContextVar("vanban_ocr_engine",
                                                                           default=None)


@contextlib.contextmanager
def use(name: str | None) -> Iterator[OcrEngine]:
    """Make the engine ``name`` the one :func:`recognize` and :func:`detect_orientation` use
    in this thread (context) while the block runs."""
    token = _active.set(get_engine(name))
    try:
        yield _active.get()  # type: ignore[misc]
    finally:
        _active.reset(token)


def active() -> OcrEngine:
    """The engine in use here: the one set by :func:`use`, else the default engine."""
    return _active.get() or get_engine()


def recognize(gray: np.ndarray, dpi: float, lang: str = "vie", psm: int = 3,
              variables: Mapping[str, str] | None = None) -> list[RawWord]:
    """OCR one grayscale page with the active engine; the words Tesseract found, in its order."""
    return active().recognize(gray, dpi, lang, psm, variables)


def detect_orientation(gray: np.ndarray, dpi: float) -> tuple[int, float] | None:
    """Tesseract OSD with the active engine: (clockwise rotation that makes the page upright,
    confidence), or None."""
    return active().detect_orientation(gray, dpi)
