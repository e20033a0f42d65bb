"""Tesseract, through pytesseract: words with boxes and confidences, and orientation (OSD).

The page is handed to Tesseract as an uncompressed PGM file: writing it costs a few
milliseconds, where PNG compression (pytesseract's default for in-memory images) costs a few
hundred per 300-dpi page. Tesseract runs with one OpenMP thread (``OMP_THREAD_LIMIT=1``): vanban
runs pages in parallel instead, which scales better than Tesseract's own threads.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from dataclasses import dataclass

import cv2
import numpy as np
import pytesseract

from ..errors import MissingDependencyError


@dataclass
class RawWord:
    text: str
    bbox: tuple[int, int, int, int]
    conf: float
    #: Tesseract's (block, paragraph, line) numbers: which line the word belongs to.
    key: tuple[int, int, int]


def _env_single_thread() -> None:
    # pytesseract starts tesseract with this process's environment.
    os.environ["OMP_THREAD_LIMIT"] = os.environ.get("VANBAN_TESSERACT_THREADS", "1")


@functools.lru_cache(maxsize=1)
def tesseract_version() -> str:
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError:
        raise MissingDependencyError("tesseract is not installed (apt install tesseract-ocr "
                                     "tesseract-ocr-vie)") from None


@functools.lru_cache(maxsize=4)
def check_language(lang: str) -> None:
    """Raise MissingDependencyError unless every language of ``lang`` ("vie+eng") is installed."""
    tesseract_version()
    have = set(pytesseract.get_languages(config=""))
    missing = [x for x in lang.split("+") if x not in have]
    if missing:
        raise MissingDependencyError(f"Tesseract language(s) {', '.join(missing)} not installed "
                                     f"(apt install tesseract-ocr-{missing[0]})")


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


def recognize(gray: np.ndarray, dpi: float, lang: str = "vie", psm: int = 3,
              config: str = "") -> list[RawWord]:
    """OCR one grayscale page; the words Tesseract found, in its order."""
    _env_single_thread()
    with _PageFile(gray) as path:
        try:
            data = pytesseract.image_to_data(
                path, lang=lang, config=f"--dpi {round(dpi)} --psm {psm} {config}".strip(),
                output_type=pytesseract.Output.DICT)
        except pytesseract.TesseractNotFoundError:
            raise MissingDependencyError("tesseract is not installed") from None
        except pytesseract.TesseractError as err:
            if "Failed loading language" in str(err):
                raise MissingDependencyError(f"Tesseract language {lang!r} not installed") from None
            raise
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        words.append(RawWord(text, (x, y, x + w, y + h), conf,
                             (data["block_num"][i], data["par_num"][i], data["line_num"][i])))
    return words


_OSD_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_OSD_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")


def detect_orientation(gray: np.ndarray, dpi: float) -> tuple[int, float] | None:
    """Tesseract OSD: (clockwise rotation that makes the page upright, confidence), or None.

    The page is halved first when large: OSD needs letters, not detail, and runs 3x faster.
    """
    _env_single_thread()
    h, w = gray.shape
    if max(h, w) > 2400:
        gray = cv2.resize(gray, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
        dpi = dpi / 2
    with _PageFile(gray) as path:
        try:
            out = pytesseract.image_to_osd(path, config=f"--dpi {round(dpi)} --psm 0")
        except pytesseract.TesseractError:
            return None  # too little text to decide
    rot, conf = _OSD_ROTATE.search(out), _OSD_CONF.search(out)
    if not rot:
        return None
    return int(rot.group(1)), float(conf.group(1)) if conf else 0.0
