"""Evidence-based preprocessing: a step is applied to a page region only when it reads better.

Real scans differ from the pages the steps were tuned on: a faded seal over text, blue-pen
digits, yellowed paper whose type has colour too. Lifting coloured ink helps where a seal hides
text and hurts where the "coloured ink" is the text. So each coloured region is read twice,
as it is and with its ink lifted, and the lifted version is kept only where it reads better.

"Reads better" is :func:`read_score`: characters of confident, well-formed words (Vietnamese
syllables, numbers, codes) minus characters of everything else (seal lettering, signature
strokes read as "Jsi]yn", specks).
"""

from __future__ import annotations

import re

import numpy as np

from ..text import is_syllable
from . import engine, preprocess

_LETTERS = re.compile(r"[^\W\d_]+")
_CODE = re.compile(r"^[\W]*[\dA-ZĐ][\w./&-]*[\W]*$")
#: Words under this confidence count as noise in :func:`read_score`.
CONFIDENT = 60.0


def word_reads(text: str, conf: float) -> bool:
    """A confident word that is Vietnamese (every letter run a syllable) or a number/code."""
    if conf < CONFIDENT:
        return False
    runs = _LETTERS.findall(text)
    if not runs:
        return any(c.isdigit() for c in text)
    if all(is_syllable(r) or is_syllable(r.lower()) for r in runs):
        return True
    return bool(_CODE.match(text)) and text.upper() == text and any(c.isdigit() or c == "/" for c in text)


def read_score(words: list[engine.RawWord]) -> float:
    """Characters of words that read (:func:`word_reads`) minus characters of those that do not."""
    score = 0.0
    for w in words:
        n = len(w.text)
        score += n if word_reads(w.text, w.conf) else -n
    return score


def _crop(img: np.ndarray, box: tuple[int, int, int, int], pad: int) -> np.ndarray:
    x0, y0, x1, y1 = box
    h, w = img.shape[:2]
    return np.ascontiguousarray(img[max(0, y0 - pad):min(h, y1 + pad), max(0, x0 - pad):min(w, x1 + pad)])


#: At most this many coloured regions (largest first) are tested on one page.
MAX_REGIONS = 6


def choose_colour_regions(plain: np.ndarray, lifted: np.ndarray, regions: list[dict], dpi: float,
                          lang: str) -> list[dict]:
    """For each coloured region: read it as it is and with its ink lifted (``plain`` vs
    ``lifted`` gray pages, psm 6); ``region["lift"]`` says whether lifting read better
    (``region["score"]``: both scores). A region where neither reads anything is lifted
    (a seal or signature alone: lifting leaves nothing to misread)."""
    pad = max(4, int(dpi / 15))
    for region in regions[:MAX_REGIONS]:
        a = engine.recognize(_crop(plain, region["box"], pad), dpi, lang, psm=6)
        b = engine.recognize(_crop(lifted, region["box"], pad), dpi, lang, psm=6)
        sa, sb = read_score(a), read_score(b)
        region["score"] = (sa, sb)
        region["lift"] = sb > sa or (sb == sa and sb <= 0)
    for region in regions[MAX_REGIONS:]:
        region["lift"] = False
    return regions


#: Skew search range of :func:`deskew_page` (degrees either way): sheets fed askew and phone
#: photos lean 5-10°, and a page rarely leans more without being turned (orientation).
SKEW_SEARCH_DEG = 15.0
#: A skew is applied only when the projection profile has a peak at least this sharp
#: (``preprocess.skew_profile``'s ``peak``): text lines give a narrow peak, a page without
#: them a flat curve near 1 (the values measured on real pages are in docs/ocr.md, *deskew*).
MIN_SKEW_PEAK = 1.1
#: The ink's skew and its text's (strokes and images left out) agree within this (degrees), or
#: the text's is taken: where they agree the page keeps the whole ink's estimate.
STROKES_DISAGREE_DEG = 1.0


def deskew_page(gray: np.ndarray, estimate_on: np.ndarray | None = None,
                min_deg: float = 0.2) -> tuple[np.ndarray, dict]:
    """Straighten a page skewed by ``min_deg`` or more (a smaller angle gains nothing and costs a
    resample), rotating only when the skew search found a peak inside its range.

    ``estimate_on``: the same page with coloured ink whitened, when there is any: seals and
    signature images are not text lines and can pull the projection search far off.

    The projection-profile search sharpens towards one angle on a page of text lines. On a page
    without them (strokes of one slant, a blank page, a photo) there is no such peak: the
    sharpness keeps growing to the end of the range, or the curve is flat. An angle at the edge
    of the range, or one whose peak is no sharper than the curve a degree away, is reported,
    not applied.

    The angle is the text lines': parallel pen strokes across a form (a blank struck through, a
    box hatched) give a projection peak of their own at their slant, often sharper than the
    text's. Where the ink without its strokes and images
    (:func:`vanban.ocr.preprocess.without_strokes`) has a sharp peak of its own and leans
    otherwise, by more than :data:`STROKES_DISAGREE_DEG`, that angle and its evidence are the
    page's (``found["strokes_ignored"]``: the angle the strokes gave). Without text lines of
    its own (a sheet fed sideways, whose ruled table's lines are the only ones across it) the
    whole ink's estimate stands."""
    ink, text = preprocess.skew_evidence(gray if estimate_on is None else estimate_on, SKEW_SEARCH_DEG)
    angle, peak, at_edge = ink
    strokes = {}
    if text is not None and text[1] >= MIN_SKEW_PEAK and not text[2] and \
            abs(text[0] - angle) > STROKES_DISAGREE_DEG:
        strokes = {"strokes_ignored": angle}
        angle, peak, at_edge = text
    found = {"skew_deg": angle, "skew_peak": peak, **strokes}
    if at_edge:
        return gray, {**found, "applied": False, "reason": "no peak inside the search range"}
    if peak < MIN_SKEW_PEAK:
        return gray, {**found, "applied": False, "reason": "no sharp peak (no text lines)"}
    if abs(angle) < min_deg:
        return gray, {**found, "applied": False}
    return preprocess.rotate(gray, -angle), {**found, "applied": True}
