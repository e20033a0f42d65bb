"""Page preprocessing before Tesseract: small named steps, each switchable and measurable.

Every step takes and returns a grayscale ``numpy.uint8`` page (the seal step takes RGB) and
reports what it found, so ``Page.preprocessing`` records what was done to each page.
Measured effects on the dev scans and real scans are in docs/ocr.md
(``vanban evaluate ocr --steps ...`` re-runs them).

- :func:`colour_ink_regions` / :func:`lift_colour_ink` - red seals and stamps, blue signatures:
  coloured pixels of a region lifted to paper brightness, black text under the seal kept
  (:mod:`vanban.ocr.decide` keeps a region lifted only where it then reads better).
- :func:`skew_profile` / :func:`rotate` - rotation from scanning (up to 15°: a sheet fed askew, a phone photo)
  (``vanban.ocr.decide.deskew_page`` decides whether to straighten).
- :func:`upscale_low_resolution` - photos / low-dpi scans (~70 dpi) enlarged so that body text
  reaches the size Tesseract's models were trained on.
- orientation (90/180/270) is decided with Tesseract's OSD in :mod:`vanban.ocr.engine`; the pipeline
  asks for it only when a page reads badly, so upright pages pay nothing.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

#: A pixel is coloured ink (seal, stamp, pen) when max(R,G,B) - min(R,G,B) exceeds this.
#: Paper, black toner and their JPEG noise stay below 16 on the dev and real scans.
INK_CHROMA = 25
#: Share of (sampled) pixels that must be clearly coloured (chroma > 40) before the step acts.
INK_MIN_SHARE = 0.0002


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """Luminance of an RGB page (a grayscale page is returned as is)."""
    if rgb.ndim == 2:
        return rgb
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


#: Leptonica's luminance weights (R, G, B): the gray page Tesseract's recogniser reads when it is
#: handed a colour page.
TESSERACT_GRAY_WEIGHTS = (0.3, 0.5, 0.2)


#: The Tesseract gray moves only pixels within this many pixels of the plain gray's own ink
#: (the edges of its letters) ...
GRAY_EDGE_PX = 2
#: ... and is not used at all when the colour threshold calls more than this share of the page
#: ink away from the gray's letters (a tinted area - a shaded table row, a note box, a yellowed
#: patch - that the colour threshold calls ink as a whole: moving it would black the area out).
GRAY_DISAGREE_SHARE = 0.002


def gray_as_tesseract_reads(rgb: np.ndarray) -> tuple[np.ndarray, dict]:
    """A colour page in gray that Tesseract reads as it reads the colour page itself, and what
    was done (``{"applied": bool, "moved": pixels, "reason": ...}``).

    Handed a colour page, Tesseract finds its ink for page segmentation by an Otsu threshold
    per channel (a pixel is ink when it is dark in any channel whose dark side is under a
    quarter of the page) and recognises lines on the luminance with Leptonica's weights; handed
    a gray page, it thresholds that one channel. On tinted paper the two differ at the edges
    of letters, and the gray page read worse than the colour page. So this is the luminance,
    with the pixels on which the two binarisations disagree at the edges of the gray's own
    letters (within :data:`GRAY_EDGE_PX`) moved just across the gray's threshold. This models
    Tesseract's per-channel rule only in part; where the two disagree away from the letters
    (over :data:`GRAY_DISAGREE_SHARE` of the page: a tinted area the colour rule calls ink)
    the page's plain gray (:func:`to_gray`) is returned unchanged."""
    if rgb.ndim == 2:
        return rgb, {"applied": False, "reason": "gray page"}
    rgb = np.ascontiguousarray(rgb)
    gray = cv2.transform(rgb, np.array([TESSERACT_GRAY_WEIGHTS], dtype=np.float32))
    # Tesseract's rule per channel: its Otsu threshold, used when the dark side is a convincing
    # foreground (under a quarter of the pixels); ink is dark in any channel used.
    lowest_paper = []
    for c in range(3):
        t, dark_share = _otsu(cv2.calcHist([rgb], [c], None, [256], [0, 256]).ravel())
        lowest_paper.append(t + 1 if dark_share < 0.25 else 0)
    if not any(lowest_paper):
        return to_gray(rgb), {"applied": False, "reason": "no channel with a clear threshold"}
    paper = cv2.inRange(rgb, np.array(lowest_paper, np.uint8), np.array([255, 255, 255], np.uint8))
    t, _ = _otsu(cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel())
    gray_paper = cv2.compare(gray, t, cv2.CMP_GT)
    side = 2 * GRAY_EDGE_PX + 1
    near_ink = cv2.dilate(cv2.bitwise_not(gray_paper), np.ones((side, side), np.uint8))
    colour_only_ink = cv2.bitwise_and(cv2.bitwise_not(paper), gray_paper)
    away = cv2.countNonZero(cv2.bitwise_and(colour_only_ink, cv2.bitwise_not(near_ink)))
    if away > GRAY_DISAGREE_SHARE * gray.size:
        return to_gray(rgb), {"applied": False,
                              "reason": "the colour threshold calls an area ink away from the letters",
                      "disagree_share": round(away / gray.size, 4)}
    to_ink = cv2.bitwise_and(colour_only_ink, near_ink)
    to_paper = cv2.bitwise_and(paper, cv2.bitwise_not(gray_paper))
    # ink the gray calls paper: down to its threshold t; paper the gray calls ink: up to t + 1
    out = cv2.min(gray, cv2.bitwise_or(cv2.bitwise_not(to_ink), t))
    out = cv2.max(out, cv2.bitwise_and(to_paper, min(255, t + 1)))
    return out, {"applied": True, "moved": cv2.countNonZero(to_ink) + cv2.countNonZero(to_paper)}


def _otsu(hist: np.ndarray) -> tuple[int, float]:
    """Otsu's threshold of a 256-bin histogram as Tesseract computes it (the first ``t`` that
    maximises the between-class variance; ink is ``<= t``) and the share of pixels ``<= t``."""
    hist = hist.astype(np.float64)
    total = hist.sum()
    levels = np.arange(256, dtype=np.float64)
    omega0 = np.cumsum(hist)[:-1]
    mu_t = np.cumsum(hist * levels)[:-1]
    omega1 = total - omega0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (((hist * levels).sum() - mu_t) / omega1 - mu_t / omega0) ** 2 * omega0 * omega1
    between[(omega0 == 0) | (omega1 == 0)] = -1.0
    t = int(np.argmax(between))
    return t, float(omega0[t] / total) if total else 0.0


def darkest_channel(rgb: np.ndarray) -> np.ndarray:
    """Per pixel, the darkest of R, G, B: coloured pen and stamp ink as dark as toner.
    (OpenCV's per-channel minimum: the same values as ``rgb.min(axis=2)``, several times faster.)"""
    r, g, b = cv2.split(np.ascontiguousarray(rgb))
    return cv2.min(cv2.min(r, g), b)


def _chroma(rgb: np.ndarray) -> np.ndarray:
    return _planes_chroma(*cv2.split(np.ascontiguousarray(rgb)))


def _planes_chroma(r: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    return cv2.subtract(cv2.max(cv2.max(r, g), b), cv2.min(cv2.min(r, g), b))


def colour_ink_share(rgb: np.ndarray, stride: int = 4) -> float:
    """Share of (sampled) pixels that are clearly coloured ink."""
    if rgb.ndim == 2:
        return 0.0
    return float((_chroma(rgb[::stride, ::stride]) > 40).mean())


#: Coloured ink regions of fewer pixels than this (at 300 dpi) are specks, not seals or pens.
MIN_REGION_PX = 400
#: A region both wider and taller than this share of the page is tinted paper or a photo, not ink.
MAX_REGION_SHARE = 0.5


def colour_ink_regions(rgb: np.ndarray, dpi: float = 300.0) -> tuple[np.ndarray, list[dict]]:
    """Coloured ink (seals, stamps, pen) as a mask and as regions ``{"box", "px"}`` (page pixels).

    Chroma is measured after white-balancing the page on its paper colour. Mask pixels are
    grouped into regions by a closing of ~2 mm (a seal's ring and star, a signature's strokes).
    """
    # White-balance on the paper first: on yellowed archive paper (median chroma ~20) black
    # type is yellowish too, and only ink of another hue (blue pen, red seal) stays coloured.
    paper_rgb = np.percentile(rgb[::8, ::8].reshape(-1, 3), 90, axis=0)
    table = _scale_table([255.0 / max(1.0, float(v)) for v in paper_rgb])
    # Each plane through its own table: the values of a three-channel ``cv2.LUT`` and a split,
    # but OpenCV's single-channel lookup is the fast one, and the split is needed for the
    # chroma anyway (docs/ocr.md, "Speed, round 8").
    chroma = _planes_chroma(*(cv2.LUT(plane, np.ascontiguousarray(table[:, :, c]))
                              for c, plane in enumerate(cv2.split(np.ascontiguousarray(rgb)))))
    mask = cv2.compare(chroma, INK_CHROMA, cv2.CMP_GT)
    h, w = mask.shape
    k = max(3, int(round(dpi / 12)))  # ~2 mm
    closed = close_near_ink(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    # Components are labelled within the box of the closed ink only, cut at even rows and
    # columns: OpenCV labels in 2x2 blocks in raster order, so the labels come in the order the
    # whole page gives them (the order equal-sized regions keep below).
    bx, by, bbw, bbh = cv2.boundingRect(closed)
    ox, oy = bx - bx % 2, by - by % 2
    n, labels, stats, _ = (cv2.connectedComponentsWithStats(closed[oy:by + bbh, ox:bx + bbw], connectivity=8)
                           if bbw and bbh else (1, None, None, None))
    min_px = MIN_REGION_PX * (dpi / 300.0) ** 2
    regions = []
    for i in range(1, n):
        lx, ly, bw, bh, _ = stats[i]
        x, y = lx + ox, ly + oy
        if bw > MAX_REGION_SHARE * w and bh > MAX_REGION_SHARE * h:
            continue
        own = (labels[ly:ly + bh, lx:lx + bw] == i).astype(np.uint8) * 255
        px = int(cv2.countNonZero(mask[y:y + bh, x:x + bw] & own))
        if px >= min_px:
            regions.append({"box": (int(x), int(y), int(x + bw), int(y + bh)), "px": px})
    regions.sort(key=lambda r: -r["px"])
    return mask, regions


def _scale_table(alphas: list[float]) -> np.ndarray:
    """A per-channel lookup table (1 x 256 x channels) giving, for every byte value, what
    ``cv2.convertScaleAbs(channel, alpha=alphas[c])`` gives: one ``cv2.LUT`` pass over the page
    instead of a split, three scalings and a merge. Each entry is taken from a long run of its
    value, so OpenCV scales it on its vectorised path, the one a page goes through."""
    ramp = np.repeat(np.arange(256, dtype=np.uint8), 64).reshape(256, 64)
    return np.stack([cv2.convertScaleAbs(ramp, alpha=a)[:, 32] for a in alphas], axis=1
                    ).reshape(1, 256, len(alphas))


def close_near_ink(mask: np.ndarray, kernel: np.ndarray, tile: int = 32) -> np.ndarray:
    """``cv2.morphologyEx(mask, MORPH_CLOSE, kernel)``, computed only where it can be non-zero.

    A closing is non-zero only within twice the kernel's radius of a mask pixel, and there it
    depends on the mask within that reach alone. So the ink is grouped (tiles of ``tile`` pixels
    holding mask pixels, joined when near), each group's box is closed on a window reaching
    twice as far around it, and the box grown by the reach is kept: the same pixels as the whole
    page's closing (tests/test_ocr_inputs.py compares them) at the cost of the ink's area.
    """
    reach = 2 * (max(kernel.shape) // 2) + 2  # >= twice the kernel's radius
    h, w = mask.shape
    out = np.zeros_like(mask)
    th, tw = -(-h // tile), -(-w // tile)
    padded = np.zeros((th * tile, tw * tile), np.uint8)
    padded[:h, :w] = mask
    tiles = padded.reshape(th, tile, tw, tile).max(axis=(1, 3))
    if not tiles.any():
        return out
    join = 2 * (-(-reach // tile)) + 1  # tiles closer than two reaches form one group
    grouped = cv2.dilate(tiles, np.ones((join, join), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]  # holds the group's ink tiles (and the joining margin)
        a, b, c, d = y * tile, min(h, (y + bh) * tile), x * tile, min(w, (x + bw) * tile)
        y0, y1, x0, x1 = max(0, a - 2 * reach), min(h, b + 2 * reach), max(0, c - 2 * reach), min(w, d + 2 * reach)
        closed = cv2.morphologyEx(mask[y0:y1, x0:x1], cv2.MORPH_CLOSE, kernel)
        oy0, oy1, ox0, ox1 = max(0, a - reach), min(h, b + reach), max(0, c - reach), min(w, d + reach)
        out[oy0:oy1, ox0:ox1] = closed[oy0 - y0:oy1 - y0, ox0 - x0:ox1 - x0]
    return out


def lift_colour_ink(rgb: np.ndarray, mask: np.ndarray, gray: np.ndarray | None = None) -> np.ndarray:
    """Grayscale page where the ``mask`` pixels (coloured ink) are lifted towards paper through
    their brightest channel; black text under the ink stays darker than paper. ``gray``: the
    page's :func:`to_gray`, when the caller has it already."""
    gray = to_gray(rgb) if gray is None else gray
    if not mask.any():
        return gray
    # Only the ink pixels change, so only they are computed (in raster order, the order in
    # which the whole-page arrays list them: the same percentile, the same values).
    # (OpenCV lists them in that order too, several times faster than ``np.flatnonzero``.)
    xy = cv2.findNonZero(mask).reshape(-1, 2)
    at = xy[:, 1].astype(np.intp) * mask.shape[1] + xy[:, 0]
    brightest = np.ascontiguousarray(rgb).reshape(-1, 3)[at].max(axis=1)
    paper = float(np.percentile(gray[::8, ::8], 90))
    ink_v = float(np.percentile(brightest, 90))
    out = np.array(gray, order="C")
    out.reshape(-1)[at] = _scale_table([paper / max(ink_v, 1.0)])[0, :, 0][brightest]
    return out


def _ink_binary(gray: np.ndarray, max_side: int = 1200) -> tuple[np.ndarray, float]:
    """Dark pixels (255) of a downscaled copy (for skew estimation), and the scale."""
    h, w = gray.shape
    scale = min(1.0, max_side / max(h, w))
    small = cv2.resize(gray, (max(1, int(w * scale)), max(1, int(h * scale))),
                       interpolation=cv2.INTER_AREA) if scale < 1 else gray
    _, binary = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary, scale


def _points(binary: np.ndarray, max_points: int = 60000) -> np.ndarray:
    ys, xs = np.nonzero(binary)
    if len(xs) > max_points:
        pick = np.random.default_rng(0).choice(len(xs), max_points, replace=False)
        xs, ys = xs[pick], ys[pick]
    return np.stack([xs, ys], axis=1).astype(np.float32)


def _ink_points(gray: np.ndarray, max_side: int = 1200, max_points: int = 60000) -> tuple[np.ndarray, float]:
    """Coordinates of dark pixels on a downscaled copy (for skew estimation), and the scale."""
    binary, scale = _ink_binary(gray, max_side)
    return _points(binary, max_points), scale


#: A component at least this many letter heights long is a stroke (a pen line, a rule) when
#: thinner than :data:`STROKE_THICKNESS` letter heights ...
STROKE_LENGTH = 4.0
STROKE_THICKNESS = 0.3
#: ... and one taller than this many letter heights is no text either (a signature, a seal,
#: a logo, strokes slanting across several lines).
NON_TEXT_HEIGHT = 3.0
#: Strokes and images under this share of the ink cannot outweigh the text lines' projection
#: peak (the shares measured are in docs/ocr.md, Round 7): below it the ink is taken as it is.
STROKE_SHARE = 0.1


def without_strokes(binary: np.ndarray) -> np.ndarray | None:
    """``binary`` ink (255) without its strokes and images: components long and thin (a pen
    line drawn across a form, a rule) or taller than a few letters (a signature, a seal). The
    letter height is the median height of the components. None when they are under
    :data:`STROKE_SHARE` of the ink (nothing worth taking out)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if n < 3:
        return None
    w = stats[1:, cv2.CC_STAT_WIDTH].astype(np.float64)
    h = stats[1:, cv2.CC_STAT_HEIGHT].astype(np.float64)
    area = stats[1:, cv2.CC_STAT_AREA].astype(np.float64)
    marks = area >= 6  # letters, not dots and accents
    if marks.sum() < 20:
        return None
    letter_h = float(np.median(h[marks]))
    thickness = area / np.hypot(w, h)  # a stroke's area is its length times its width
    drop = ((np.maximum(w, h) >= STROKE_LENGTH * letter_h) & (thickness < STROKE_THICKNESS * letter_h)) \
        | (h > NON_TEXT_HEIGHT * letter_h)
    if area[drop].sum() < STROKE_SHARE * area.sum():
        return None
    keep = np.concatenate([[False], ~drop])
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def skew_evidence(gray: np.ndarray, max_deg: float = 15.0
                  ) -> tuple[tuple[float, float, bool], tuple[float, float, bool] | None]:
    """:func:`skew_profile` of all the ink, and of the ink without strokes and images
    (:func:`without_strokes`; None when the page has none). Parallel pen strokes across a
    form make a projection peak of their own at their slant."""
    binary, _ = _ink_binary(gray)
    text = without_strokes(binary)
    return _profile(_points(binary), max_deg), (_profile(_points(text), max_deg) if text is not None
                                                else None)


def skew_profile(gray: np.ndarray, max_deg: float = 15.0) -> tuple[float, float, bool]:
    """Skew of the text lines in degrees (positive: counter-clockwise) by projection profiles,
    with the evidence for it: ``(angle, peak, at_edge)``.

    Text lines give the sharpest horizontal projection when the page is straight: the angle
    whose profile has the largest energy (sum of squared bin counts) wins. The search is coarse
    to fine: 0.5° steps over ±``max_deg`` on a sample of the ink, then 0.25° and 0.05° steps
    around the best on all of it. ``peak``: the best coarse energy over the largest one more
    than 1° away from it (text lines give a narrow peak; a blank page or a photo a flat curve,
    near 1). ``at_edge``: the best coarse angle is the range's
    end, so the curve was still rising there (no measurement of a skew inside the range).
    """
    pts, _ = _ink_points(gray)
    return _profile(pts, max_deg)


def _profile(pts: np.ndarray, max_deg: float) -> tuple[float, float, bool]:
    if len(pts) < 200:
        return 0.0, 1.0, False
    xs, ys = pts[:, 0], pts[:, 1]
    # y after rotating the page by -deg, shifted so that no point falls below bin 0 (a clip
    # there piled the top-right ink of every negative angle into one bin, and the search ran
    # to the negative end of its range on straight pages).
    offset = float(xs.max())
    bins = int(ys.max()) + 2 * int(offset) + 4

    def energy(deg: float, x: np.ndarray = xs, y: np.ndarray = ys) -> float:
        a = math.radians(deg)
        proj = y * math.cos(a) + x * math.sin(a) + offset
        hist = np.bincount(np.clip(proj, 0, bins - 1).astype(np.int32), minlength=bins)
        return float(np.dot(hist, hist))

    sample = slice(None, None, max(1, len(xs) // 15000))  # every k-th point: spread over the page
    coarse = np.arange(-max_deg, max_deg + 1e-6, 0.5)
    curve = np.array([energy(d, xs[sample], ys[sample]) for d in coarse])
    i = int(curve.argmax())
    far = np.abs(coarse - coarse[i]) > 1.0
    peak = float(curve[i] / curve[far].max()) if far.any() and curve[far].max() > 0 else 1.0
    at_edge = i in (0, len(coarse) - 1)
    best = max(np.arange(coarse[i] - 0.5, coarse[i] + 0.5 + 1e-6, 0.25), key=energy)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-6, 0.05)
    return round(float(max(fine, key=energy)), 2), round(peak, 3), at_edge


def estimate_skew(gray: np.ndarray, max_deg: float = 15.0) -> float:
    """Skew of the text lines in degrees (positive: counter-clockwise); :func:`skew_profile`."""
    return skew_profile(gray, max_deg)[0]


def rotate(gray: np.ndarray, deg: float, fill: int | None = None) -> np.ndarray:
    """Rotate a page by ``deg`` degrees counter-clockwise about its centre (same size)."""
    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    if fill is None:
        fill = int(np.percentile(gray[::8, ::8], 90))  # paper colour
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=fill)


def unrotate_box(box: tuple[int, int, int, int], deg: float, size: tuple[int, int]
                 ) -> tuple[int, int, int, int]:
    """Box found on a page rotated by :func:`rotate` (``deg``, page ``size`` w x h) mapped back
    onto the unrotated page (the bounding box of its four corners)."""
    w, h = size
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -deg, 1.0)  # inverse of rotate(deg)
    x0, y0, x1, y1 = box
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64) @ m.T
    # Every coordinate is kept on the page: a box at a page edge can map partly (or wholly)
    # outside it, and a crop must never be inverted or wrap around.
    x0, x1 = (min(w, max(0, v)) for v in (int(pts[:, 0].min()), int(round(pts[:, 0].max()))))
    y0, y1 = (min(h, max(0, v)) for v in (int(pts[:, 1].min()), int(round(pts[:, 1].max()))))
    return x0, y0, x1, y1


def rotate_quadrant(gray: np.ndarray, degrees: int) -> np.ndarray:
    """Rotate by a multiple of 90° clockwise (OSD's "Rotate" answer)."""
    k = (degrees // 90) % 4
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(gray, codes[k]) if k else gray


def text_height_px(gray: np.ndarray) -> float | None:
    """Median height of letter-sized dark connected components (≈ x-height to cap height)."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if n < 30:
        return None
    hs = stats[1:, cv2.CC_STAT_HEIGHT]
    ws = stats[1:, cv2.CC_STAT_WIDTH]
    keep = (hs >= 3) & (hs <= gray.shape[0] // 10) & (ws <= hs * 4)
    if keep.sum() < 30:
        return None
    return float(np.median(hs[keep]))


#: Median letter height (px) low-resolution pages are enlarged to. 13-14 pt text at 300 dpi
#: measures 29 px; on the ~70-dpi real photos (8 px) targets of 14-20 px read best (CER 5.6-5.8%,
#: against 6.2% at 26 px and 6.9% at 32 px), so 20 px (~200 dpi) it is.
TARGET_TEXT_HEIGHT = 20.0
#: Pages whose letters are shorter than this (below ~150 dpi) get enlarged.
MIN_TEXT_HEIGHT = 14.0


def upscale_low_resolution(gray: np.ndarray, dpi: float | None, max_factor: float = 4.0
                           ) -> tuple[np.ndarray, dict]:
    """Enlarge low-resolution pages (photos, 70-150 dpi scans) so letters are ~20 px high.

    Pages with a declared resolution of 200 dpi or more are left alone; otherwise the letter
    height measured from connected components decides (file DPI tags of photos are not to be
    trusted).
    """
    if dpi and dpi >= 200:
        return gray, {"applied": False, "reason": f"{dpi:.0f} dpi"}
    height = text_height_px(gray)
    if height is None or height >= MIN_TEXT_HEIGHT:
        return gray, {"applied": False, "text_height_px": height}
    factor = min(max_factor, TARGET_TEXT_HEIGHT / height)
    h, w = gray.shape
    big = cv2.resize(gray, (round(w * factor), round(h * factor)), interpolation=cv2.INTER_CUBIC)
    return big, {"applied": True, "text_height_px": height, "factor": round(factor, 2)}
