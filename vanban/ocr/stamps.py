"""Stamps: what is stamped or overlaid on a page but is not the document's own text.

- digital-signature text boxes ("Ký bởi: ... Cơ quan: ... Thời gian ký: ...", the publishing
  centre's "TRUNG TÂM CÔNG BÁO ... 12.09.2024 07:49:43 +07:00"), usually in a top corner;
- received stamps ("CV ĐẾN Số: ... Ngày: ... Chuyển: ..."), urgency stamps ("HỎA TỐC");
- seals: round coloured ink (their lettering and star read as junk);
- stamps in coloured ink that page segmentation does not read as text lines (a red "HỎA TỐC"
  arrow stamped at 40°, often lifted out of the image with the seals): :func:`read_colour_stamps`
  reads their coloured ink alone, turned upright.

A line whose text matches a pattern of ``vanban/data/ocr/stamps.json`` seeds a stamp; the lines
of the same box (stacked, overlapping horizontally, a narrow group) join it. A group whose lines
match only weak patterns (also written in body text: "Thời gian: 20/11/2025 14:30") must show
more (:func:`_stamp_evidence_holds`: small print, or a place above the document's header with
words Tesseract reads poorly). Low-confidence lines
lying inside a seal are the seal's lettering. Stamps leave the page's lines and are reported as
:class:`vanban.model.Stamp` (kind, box, text).
"""

from __future__ import annotations

import functools
import json
import math
import re
from importlib import resources

import cv2
import numpy as np

from ..model import Stamp, Word, union_bbox
from ..text import fold_diacritics
from . import decide, engine, preprocess


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(resources.files("vanban").joinpath("data/ocr/stamps.json").read_text("utf-8"))


@functools.lru_cache(maxsize=1)
def patterns() -> dict[str, dict[str, list[re.Pattern]]]:
    """``{"strong": {kind: [pattern, ...]}, "weak": {...}}`` from ``data/ocr/stamps.json``."""
    data = _data()
    return {strength: {kind: [re.compile(p, re.I) for p in pats] for kind, pats in data[strength].items()}
            for strength in ("strong", "weak")}


def stamp_evidence(text: str) -> tuple[str | None, bool]:
    """The stamp kind whose pattern matches one line of text (None when none does), and whether
    the pattern is a strong one (a stamp on its own; a weak one is also written in body text)."""
    folded = fold_diacritics(text, lower=True)
    for strength in ("strong", "weak"):
        for kind, pats in patterns()[strength].items():
            if any(p.search(folded) for p in pats):
                return kind, strength == "strong"
    return None, False


@functools.lru_cache(maxsize=1)
def _form_entries() -> list[re.Pattern]:
    return [re.compile(p, re.I) for p in _data()["form-entry"]]


def is_form_entry(text: str) -> bool:
    """Is one line a received stamp's entry as the stamp prints it, left blank or filled in by
    hand ("Ngày....28..4..", "Giờ: ......", "Số:" alone)? A body list writes its values."""
    folded = fold_diacritics(text, lower=True)
    return any(p.search(folded) for p in _form_entries())


def stamp_kind(text: str) -> str | None:
    """The stamp kind whose pattern (strong or weak) matches one line of text, or None."""
    return stamp_evidence(text)[0]


def is_round(mask: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Does the coloured ink in ``box`` draw a ring (a seal's outline)?"""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if not (0.7 < w / max(1, h) < 1.4):
        return False
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, min(w, h) / 2
    hits = 0
    for k in range(72):
        a = 2 * math.pi * k / 72
        found = False
        for f in np.linspace(0.86, 1.0, 6):
            x = int(cx + f * r * math.cos(a))
            y = int(cy + f * r * math.sin(a))
            if 0 <= y < mask.shape[0] and 0 <= x < mask.shape[1] \
                    and mask[max(0, y - 2):y + 3, max(0, x - 2):x + 3].any():
                found = True
                break
        hits += found
    return hits >= 0.6 * 72


def seal_boxes(mask: np.ndarray, regions: list[dict], dpi: float) -> list[tuple[tuple[int, int, int, int], bool]]:
    """Coloured regions that are seals (round, 0.4-2.2 inches across): (box, still in the
    page image, i.e. not lifted)."""
    out = []
    for region in regions:
        x0, y0, x1, y1 = region["box"]
        size = max(x1 - x0, y1 - y0) / dpi
        if 0.4 <= size <= 2.2 and is_round(mask, region["box"]):
            out.append((region["box"], not region.get("lift", False)))
    return out


def _inside(box, outer, share: float = 0.5) -> bool:
    ix = min(box[2], outer[2]) - max(box[0], outer[0])
    iy = min(box[3], outer[3]) - max(box[1], outer[1])
    area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
    return ix > 0 and iy > 0 and ix * iy >= share * area


#: The document's own header lines, never part of a stamp (folded text).
_HEADER = re.compile(r"cong\s*hoa|doc\s*lap|hanh\s*phuc|^\W*so\s*:?[^/]*/|ngay\s*\S*\s*thang")
#: ... and the issuer in capitals ("ỦY BAN NHÂN DÂN"; a stamp's "Ủy ban nhân dân tỉnh" is not).
_ISSUER_CAPS = re.compile(r"^\W*(uy\s*ban|ubnd)", re.I)


def _mean_conf(words) -> float | None:
    """Mean confidence of the words that have one (``Word`` or ``engine.RawWord``), to one
    decimal; None when none has."""
    confs = [w.conf for w in words if w.conf is not None]
    return round(sum(confs) / len(confs), 1) if confs else None


def _reading(words) -> tuple[float, float] | None:
    """How Tesseract read a group of words: the mean confidence and the share of words that do
    not read (:func:`decide.word_reads`), both over the words that have a confidence; None when
    none has."""
    rated = [w for w in words if w.conf is not None]
    if not rated:
        return None
    unread = sum(not decide.word_reads(w.text, w.conf) for w in rated)
    return _mean_conf(rated), unread / len(rated)


def _fold(words: list[Word]) -> str:
    return fold_diacritics(" ".join(w.text for w in words), lower=True)


#: Tesseract reads garbled print (a seal's lettering, a stamp's small print) under this mean
#: word confidence; the text reads above it.
POOR_READING_CONF = 75.0
#: A line inside a seal is the seal's lettering when it reads poorly and more than this share of
#: its words do not read (text under the seal still reads).
SEAL_UNREAD_SHARE = 0.5
#: A stamp group is at most this share of the page wide (body lines are wider).
MAX_STAMP_WIDTH = 0.45


def _cut_at_gaps(lines: dict[tuple, list[Word]], width: int) -> dict[tuple, list[Word]]:
    out: dict[tuple, list[Word]] = {}
    for key, ws in lines.items():
        ws = sorted(ws, key=lambda w: w.bbox[0])
        gap = max(1.2 * _median_height(ws), 0.02 * width)
        piece = [ws[0]]
        n = 0
        for prev, word in zip(ws, ws[1:]):
            if word.bbox[0] - prev.bbox[2] > gap:
                out[(*key, n)] = piece
                piece, n = [], n + 1
            piece.append(word)
        out[(*key, n)] = piece
    return out


#: A stamp's print is this share of the page's text height or less (a signing stamp's 6-7 pt
#: against 13-14 pt body text).
SMALL_PRINT = 0.75


def _small_print(words: list[Word], text_h: float) -> bool:
    """Is a group's print a stamp's: its median word height at most :data:`SMALL_PRINT` of the
    page's text height ``text_h``?"""
    return text_h > 0 and _median_height(words) <= SMALL_PRINT * text_h


def _median_height(words: list[Word]) -> float:
    hs = sorted(w.bbox[3] - w.bbox[1] for w in words)
    return float(hs[len(hs) // 2]) if hs else 0.0


def _text_height(items: list[tuple], width: int) -> float:
    """The page's text height: the median word height of its body lines (wider than a stamp
    can be), so that a sparse page's small "Nơi nhận" list and stamps do not set it; over all
    lines when none is that wide."""
    body = [w for _, ws, box in items if box[2] - box[0] > MAX_STAMP_WIDTH * width for w in ws]
    return _median_height(body or [w for _, ws, _ in items for w in ws])


#: The header lines that mark where a first page's own text begins: the national motto and the
#: issuer, in capitals (a body's "Hiến pháp nước Cộng hòa ..." is not in capitals).
_HEADER_ANCHOR = re.compile(r"cong\s*hoa\s*xa\s*hoi|doc\s*lap\W*tu\s*do|^\W*(uy\s*ban|ubnd)")
#: ... found in this top share of the page only.
HEADER_ANCHOR_ZONE = 0.5
#: A banner or running header is printed in this top share of the page, above its text.
BANNER_ZONE = 0.05
#: The document's closing list, never part of a stamp.
_RECIPIENTS = re.compile(r"^\W*noi\s*nhan\b")


def _is_header_anchor(words: list[Word]) -> bool:
    """A motto or issuer line in capitals ("CỘNG HÒA XÃ HỘI ...", "ỦY BAN NHÂN DÂN"; the motto's
    "Độc lập - Tự do - Hạnh phúc" in any case)."""
    text = " ".join(w.text for w in words)
    letters = [c for c in text if c.isalpha()]
    upper = letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    folded = fold_diacritics(text, lower=True)
    return bool(_HEADER_ANCHOR.search(folded) and (upper or re.search(r"doc\s*lap", folded)))


def _header_top(items: list[tuple], width: int, height: int, text_h: float) -> float | None:
    """Where the document's header begins on a first page: the top of its highest motto or
    issuer line (in capitals, in the top half of the page); None on a page without one.

    A header opens the page's text: a letterhead below a wide line in the text's print
    (``text_h``; not a header line itself) is an appendix opening in the top half of a later
    page, after the body's last line, not the page's header. A first page's banner or running
    header (:func:`_banner`) is no body line."""
    bottoms = [box[3] for _, ws, box in items
               if box[2] - box[0] > MAX_STAMP_WIDTH * width and not _document_line(ws)
               and not _is_header_anchor(ws) and not _small_print(ws, text_h)
               and not _banner(box, items, height)]
    text_bottom = min(bottoms, default=None)
    tops = [box[1] - 0.5 * (box[3] - box[1]) for _, ws, box in items
            if box[1] <= HEADER_ANCHOR_ZONE * height and _is_header_anchor(ws)
            and (text_bottom is None or box[1] < text_bottom)]
    return min(tops) if tops else None


def _banner(box: tuple, items: list[tuple], height: int) -> bool:
    """Is a wide line (``box``) a banner or running header, not a body line: in the page's top
    margin (:data:`BANNER_ZONE`) and alone there, no line starting within a line height below
    it or above it (a body's paragraph runs on line after line)?"""
    if box[1] > BANNER_ZONE * height:
        return False
    h = box[3] - box[1]
    return not any(b is not box and b[1] < box[3] + h and b[3] > box[1] - h for _, _, b in items)


#: A received stamp's form sits in the header band: no lower than this many text lines below the
#: header's last line, unless it is above the first wide text line.
HEADER_BAND_LINES = 3


def _header_band_bottom(items: list[tuple], document: list[bool], header_top: float | None,
                        width: int, height: int, text_h: float) -> float | None:
    """Where a first page's header band ends: at its first wide text line below the header's
    top (a title, "Kính gửi", the body), or :data:`HEADER_BAND_LINES` text lines below the
    header's last line when that is lower; None on a page without a header."""
    if header_top is None:
        return None
    own = [box[3] for (_, _, box), doc in zip(items, document)
           if doc and header_top <= box[1] < HEADER_ANCHOR_ZONE * height]
    last = max(own, default=header_top) + HEADER_BAND_LINES * text_h
    wide = [box[1] for (_, _, box), doc in zip(items, document)
            if not doc and box[1] > header_top and box[2] - box[0] > MAX_STAMP_WIDTH * width]
    return max(last, min(wide)) if wide else last


def _document_line(words: list[Word]) -> bool:
    """A line of the document's own header or closing ("CỘNG HÒA ...", "Số: .../...",
    "ỦY BAN NHÂN DÂN", "Nơi nhận:")."""
    folded = _fold(words)
    return bool(_HEADER.search(folded) or _RECIPIENTS.search(folded) or
                (_ISSUER_CAPS.match(folded) and " ".join(w.text for w in words).isupper()))


#: A weak-only group above the header is a stamp when Tesseract reads it poorly: mean word
#: confidence under :data:`POOR_READING_CONF` and at least this share of its words that do not
#: read (:func:`decide.word_reads`).
POOR_READING_SHARE = 0.25
#: ... or when this many of its lines are a received stamp's entries ("Ngày: …", "Chuyển: …",
#: "Giờ: …", "Số đến: …"): a rubber stamp reads as well as the text.
RECEIVED_LINES = 2


def _reads_poorly(words: list[Word]) -> bool:
    """Does Tesseract read a group of words as it reads a stamp's garbled small print, not as
    text: a low mean confidence, and a share of words that are no syllable, number or code or
    that it is unsure of? (A contact block or a form's label above the header reads as the
    text does.)"""
    reading = _reading(words)
    return reading is not None and reading[0] < POOR_READING_CONF and reading[1] >= POOR_READING_SHARE


def _stamp_evidence_holds(members: list[int], evidence: list[tuple[str | None, bool]],
                          words: list[Word], text_h: float, header_top: float | None,
                          touches_document: bool, forms: list[bool], band_bottom: float | None) -> bool:
    """Is a group of lines (``members``, indexes into ``evidence``) a stamp? Yes when one of
    its lines matches a strong pattern, unless that line stands alone in the text's print
    below the header. With weak matches only ("Thời gian: 20/11/2025 14:30",
    "Email: ...@...gov.vn" are body lines too) the group must not stack on the document's own
    header or closing lines (``touches_document``: "TỈNH X / Email: ..." under the issuer, a
    "Nơi nhận" list in small print), and is a stamp when it starts above the document's header
    (``header_top``: a stamp above or beside the header, where the signing software draws it
    and where a low-resolution scan garbles its small print into glyphs as tall as the text's)
    and reads poorly (:func:`_reads_poorly`; a contact block, a form's label or a page's last
    lines above an appendix's letterhead read as text) or holds :data:`RECEIVED_LINES` received
    entries (a received stamp read without its "CV ĐẾN": a rubber stamp reads as the text
    does), or when its print is small against
    the page's text height ``text_h`` (signing stamps are printed in 6-8 pt), or when it is a
    received stamp's form (:func:`_received_form`) starting in a first page's header band
    (above ``band_bottom``; a body list lower down holds the same entries). A page without a
    header (a later page) keeps its first lines."""
    top = min(w.bbox[1] for w in words)
    above_header = header_top is not None and top < header_top
    small = _small_print(words, text_h)
    strong = [evidence[i][0] for i in members if evidence[i][1]]
    if strong:
        # one line alone in the text's print is a body line's ending as often ("... ký bởi Chủ
        # tịch.", "xử lý công văn đến."); an urgency mark ("HỎA TỐC") is a whole line of its own
        return len(members) > 1 or small or above_header or "urgency" in strong
    if touches_document:
        return False
    in_band = band_bottom is not None and top < band_bottom
    received = sum(evidence[i][0] == "received" for i in members)
    return (above_header and (_reads_poorly(words) or received >= RECEIVED_LINES)) or small or \
        (in_band and _received_form(members, evidence, forms))


def _received_form(members: list[int], evidence: list[tuple[str | None, bool]], forms: list[bool]) -> bool:
    """A received stamp read without its strong line (its "ĐẾN" garbled, its "Giờ" lost):
    an entry as the stamp prints it (``forms``: "Ngày..28..4..", a dot leader or no value) and
    another received line. The stamp's print is as large as the text's and it sits in the
    header band, below the header's top; a body list writes its values ("Ngày: 20/11/2025")."""
    received = [i for i in members if evidence[i][0] == "received" or forms[i]]
    return any(forms[i] for i in members) and len(received) >= 2


def separate(lines: dict[tuple, list[Word]], width: int, height: int,
             seals: list[tuple[int, int, int, int]], in_image: list[bool] | None = None
             ) -> tuple[dict[tuple, list[Word]], list[Stamp]]:
    """Split OCR lines (key -> words, page pixels) into document lines and stamps;
    ``in_image[i]``: seal ``i`` is still in the page image (not lifted).

    Lines are first cut at column-wide gaps (Tesseract reads a stamp beside the header as part
    of the header's line); the pieces left join again under their line's key."""
    lines = _cut_at_gaps(lines, width)
    items = [(k, ws, union_bbox([w.bbox for w in ws])) for k, ws in lines.items() if ws]
    if not items:
        return lines, []
    stamps: list[Stamp] = []
    drop: set = set()
    # Seal lettering: weak lines inside a seal still in the page image (a lifted seal's
    # lettering is gone: what is read there is the text under it).
    in_image = in_image if in_image is not None else [True] * len(seals)
    for k, ws, box in items:
        for i, seal in enumerate(seals):
            if not in_image[i]:
                continue
            reading = _reading(ws)
            if reading is not None and _inside(box, seal) and reading[0] < POOR_READING_CONF \
                    and reading[1] > SEAL_UNREAD_SHARE:
                drop.add(k)
                break
    for seal in seals:
        stamps.append(Stamp("seal", seal, ""))
    # Text stamps: a line matching a stamp pattern, grown through the lines stacked on it
    # (overlapping horizontally, under a line height apart) while the group stays narrow and
    # does not reach the document's own header lines.
    rest = [(k, ws, box) for k, ws, box in items if k not in drop]
    evidence = [stamp_evidence(" ".join(w.text for w in ws)) for _, ws, _ in rest]
    kinds = [kind for kind, _ in evidence]
    forms = [box[1] < HEADER_ANCHOR_ZONE * height and is_form_entry(" ".join(w.text for w in ws))
             for _, ws, box in rest]
    text_h = _text_height(rest, width)
    header_top = _header_top(rest, width, height, text_h)
    document = [_document_line(ws) for _, ws, _ in rest]
    anchors = [_is_header_anchor(ws) for _, ws, _ in rest]
    band_bottom = _header_band_bottom(rest, document, header_top, width, height, text_h)
    taken = [False] * len(rest)
    for seed in sorted(range(len(rest)), key=lambda i: rest[i][2][1]):
        if taken[seed] or not kinds[seed]:
            continue
        members = [seed]
        box = rest[seed][2]
        grown = True
        touched: list[int] = []  # the document's lines the group stacks on
        while grown:
            grown = False
            for j, (_, _, b) in enumerate(rest):
                if taken[j] or j in members:
                    continue
                vgap = max(box[1], b[1]) - min(box[3], b[3])
                hover = min(box[2], b[2]) - max(box[0], b[0])
                wider = union_bbox([box, b])
                if vgap < 0.8 * (b[3] - b[1]) and hover > 0 and \
                        wider[2] - wider[0] <= MAX_STAMP_WIDTH * width:
                    if document[j] or anchors[j]:
                        touched.append(j)
                        continue
                    members.append(j)
                    box = wider
                    grown = True
        if box[2] - box[0] > MAX_STAMP_WIDTH * width:
            continue  # a wide line is text (a body line may mention "Thời gian ký")
        # A group of lines sitting on the letterhead from above may be a stamp drawn just above
        # it (a header line stacked on the issuer's name or the motto is one line, not a block);
        # as any weak-only group above the header it must read poorly (_stamp_evidence_holds).
        touches_document = any(not (anchors[j] and len(members) > 1 and
                                    rest[j][2][1] >= box[3] - 0.25 * (rest[j][2][3] - rest[j][2][1]))
                               for j in touched)
        words = [w for i in members for w in rest[i][1]]
        if not _stamp_evidence_holds(members, evidence, words, text_h,
                                     header_top, touches_document, forms, band_bottom):
            continue
        for i in members:
            taken[i] = True
        members.sort(key=lambda i: (rest[i][2][1], rest[i][2][0]))
        found = [kinds[i] for i in members if kinds[i]]
        stamps.append(Stamp(max(set(found), key=found.count), box,
                            "\n".join(" ".join(w.text for w in rest[i][1]) for i in members),
                            _mean_conf(words)))
        drop.update(rest[i][0] for i in members)
    # the pieces of a line that are not stamps join again (layout cuts lines its own way)
    kept: dict[tuple, list[Word]] = {}
    for k, ws in lines.items():
        if k not in drop:
            kept.setdefault(k[:-1], []).extend(ws)
    return kept, stamps


#: A coloured region this size (inches, its longer side) may be a stamp worth reading.
STAMP_INCHES = (0.3, 3.0)
#: At most this many coloured regions are read as stamps on one page.
MAX_COLOUR_STAMPS = 4
#: Coloured ink: the page's gray this much brighter than its darkest channel (red ink ~50 on
#: the page as it is, ~200 where it was lifted; black ink ~0).
COLOUR_OVER_INK = 30


def _letters(mask: np.ndarray, dpi: float) -> np.ndarray | None:
    """A stamp's lettering from its ink ``mask`` (a crop of its box): without the stamp's
    frame or arrow (components spanning over 40% of the box) and specks; None when nothing is
    left."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    longest = 0.4 * max(mask.shape)
    min_px = 20 * (dpi / 300.0) ** 2
    keep = np.zeros(n, dtype=bool)
    for i in range(1, n):
        keep[i] = stats[i, cv2.CC_STAT_WIDTH] <= longest and stats[i, cv2.CC_STAT_HEIGHT] <= longest \
            and stats[i, cv2.CC_STAT_AREA] >= min_px
    letters = np.where(keep[labels], 255, 0).astype(np.uint8)
    return letters if cv2.countNonZero(letters) else None


def _read_upright(letters: np.ndarray, box: tuple[int, int, int, int], dpi: float,
                  lang: str) -> Stamp | None:
    """Read a stamp's lettering turned upright along its longer axis (both ways round); a
    :class:`Stamp` when the reading matches an urgency or received pattern, else None."""
    pts = cv2.findNonZero(letters)
    (_, _), (rw, rh), angle = cv2.minAreaRect(pts)
    if rh > rw:
        angle -= 90
    h, w = letters.shape
    # A square sheet as wide as the crop's diagonal: the lettering turned by any angle (a tall
    # stamp stamped sideways turns by about 90°) stays on it.
    side = int(np.ceil(np.hypot(h, w))) + 2
    sheet = np.full((side, side), 255, np.uint8)
    top, left = (side - h) // 2, (side - w) // 2
    sheet[top:top + h, left:left + w] = 255 - letters
    for turn in (angle, angle + 180):
        words = engine.recognize(preprocess.rotate(sheet, turn, fill=255), dpi, lang, psm=6)
        text = " ".join(w.text for w in words)
        kind = stamp_kind(text)
        if kind in ("urgency", "received"):
            return Stamp(kind, tuple(box), text, _mean_conf(words))  # type: ignore[arg-type]
    return None


def read_colour_stamps(regions: list[tuple[int, int, int, int]], gray: np.ndarray, ink: np.ndarray,
                       dpi: float, lang: str, found: list[Stamp]) -> list[Stamp]:
    """Stamps among the coloured ink regions (boxes on ``gray``'s geometry) outside the stamps
    already ``found``.

    A red urgency or received stamp stamped askew is no text line to page segmentation, and
    lifting it with the seals takes it out of the image: nobody reads it. Each region's coloured
    ink (brighter in the gray page than in the darkest channel ``ink``), without its frame
    (:func:`_letters`), is turned upright along its longer axis (both ways round) and read as
    one block; it is a stamp when the reading matches a stamp pattern (``urgency`` "HỎA TỐC",
    ``received`` ...). Signatures and seal residue match none."""
    new: list[Stamp] = []
    for box in regions:
        if len(new) >= MAX_COLOUR_STAMPS:
            break
        side = max(box[2] - box[0], box[3] - box[1]) / dpi
        if not STAMP_INCHES[0] <= side <= STAMP_INCHES[1] or \
                any(s.bbox and _inside(box, s.bbox, 0.3) for s in [*found, *new]):
            continue
        x0, y0, x1, y1 = box
        colour = cv2.compare(cv2.subtract(gray[y0:y1, x0:x1], ink[y0:y1, x0:x1]), COLOUR_OVER_INK,
                             cv2.CMP_GT)
        letters = _letters(colour, dpi)
        stamp = _read_upright(letters, box, dpi, lang) if letters is not None else None
        if stamp:
            new.append(stamp)
    return new
