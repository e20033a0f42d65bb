"""The header's handwritten or stamped fields: the number after "Số:" and the day of the date.

The printed form leaves a gap ("Số:      /CT-UBND", "ngày      tháng 9 năm 2024") that is
filled by hand or with a numbering stamp, often in blue or red ink. Tesseract reads it as "#4",
"Jÿ" or nothing. Here the gap's box is read again on its own: digits only, one line (psm 7)
and one word (psm 8), on the page's ink image (darkest channel, so coloured pen ink is as dark
as toner). A confident all-digit reading replaces the field; otherwise the field becomes "…"
(the digits are missing: the rest of the number and the date stay) and ``Page.preprocessing
["fields"]`` says so (a gap without ink, in a draft, stays as printed: status "blank"), so that
later stages can flag it instead of carrying junk.
"""

from __future__ import annotations

import re

import numpy as np

from ..model import Block, Word
from ..text import fold_diacritics
from . import engine

_SO = re.compile(r"^s[o0ố]\s*[:.]?", re.I)
_NGAY = re.compile(r"^ng[aà]y", re.I)
_THANG = re.compile(r"^th[aá]ng$", re.I)
_YEAR_SEGMENT = re.compile(r"/\s*(19|20)\d\d\s*$")
_CODE_START = re.compile(r"/+\s*(?=[A-ZĐ])")
_DIGITS = {"tessedit_char_whitelist": "0123456789"}
#: A field reading is kept from this confidence up.
FIELD_CONF = 88.0
MISSING = "…"
#: Digits read in the main pass are trusted from this confidence up (handwriting reads lower).
PRINTED_CONF = 85.0
#: ... and from this one up when the second read finds nothing better and the digits are set
#: against the code ("157/QĐ-NĐ-UB" in a typewriter face reads at 41); digits apart from the code
#: fill a gap by hand ("44 /CT-UBND" for a handwritten "11" at 62) and need the second read.
TYPED_CONF = 40.0


def _fold(text: str) -> str:
    return fold_diacritics(text, lower=True)


def _read_digits(ink: np.ndarray, box: tuple[int, int, int, int], dpi: float, lang: str,
                 line_h: int) -> tuple[str, float] | None:
    """Digits in ``box``, kept only when one-line and one-word readings agree, both are
    confident, and their count fits the width of the ink (a digit is ~0.4-0.8 line heights
    wide): a partial reading of "27" as "2" is refused, not returned."""
    x0, y0, x1, y1 = box
    h, w = ink.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    crop = np.ascontiguousarray(ink[y0:y1, x0:x1])
    readings = []
    for psm in (7, 8):
        words = engine.recognize(crop, dpi, lang, psm=psm, variables=_DIGITS)
        text = "".join(w.text for w in words)
        if not words or not text.isdigit():
            return None
        readings.append((text, min(w.conf for w in words)))
    if readings[0][0] != readings[1][0] or min(c for _, c in readings) < FIELD_CONF:
        return None
    text = readings[0][0]
    cols = np.nonzero((crop < 128).any(axis=0))[0]
    span = (cols[-1] - cols[0] + 1) if len(cols) else 0
    if not 0.3 * line_h * len(text) <= span <= 0.8 * line_h * len(text) + 0.2 * line_h:
        return None
    return text, min(c for _, c in readings)


def _has_ink(ink: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box
    crop = ink[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    return crop.size > 0 and float((crop < 128).mean()) > 0.01


def _prefix_end(word: Word, n_chars: int) -> int:
    """x where the first ``n_chars`` characters of ``word`` end (proportional estimate)."""
    x0, _, x1, _ = word.bbox
    return x0 + round((x1 - x0) * min(1.0, n_chars / max(1, len(word.text))))


_FUSED_DATE = re.compile(r"^(ng[aà]y)(.+?)(th[aá]ng)$", re.I)
_FUSED_MONTH = re.compile(r"^(.+?)(th[aá]ng)$", re.I)
_VV = re.compile(r"^V[ÀAÁ/|lI1íi][vVy]?\.?$")


def _split_fused_date(line) -> None:
    """"ngày4Dtháng" (a handwritten day read into its neighbours) -> "ngày", "4D", "tháng";
    "ngày 3‡-tháng" (the day read into "tháng" alone) -> "ngày", "3‡-", "tháng"."""
    out = []
    for w in line.words:
        m = _FUSED_DATE.match(w.text)
        if m and w.bbox:
            x0, y0, x1, y1 = w.bbox
            n = len(w.text)
            cuts = [x0 + round((x1 - x0) * k / n) for k in (m.end(1), m.end(2))]
            out += [Word(m.group(1), (x0, y0, cuts[0], y1), w.conf),
                    Word(m.group(2), (cuts[0], y0, cuts[1], y1), w.conf),
                    Word(m.group(3), (cuts[1], y0, x1, y1), w.conf)]
            continue
        m = _FUSED_MONTH.match(w.text)
        if m and w.bbox and out and _NGAY.match(_fold(out[-1].text)):
            x0, y0, x1, y1 = w.bbox
            cut = x0 + round((x1 - x0) * m.end(1) / len(w.text))
            out += [Word(m.group(1), (x0, y0, cut, y1), w.conf), Word(m.group(2), (cut, y0, x1, y1), w.conf)]
            continue
        out.append(w)
    line.words = out


def _fix_vv(line, block: Block) -> None:
    """The subject line of a công văn starts with "V/v" (về việc), often read "VÀ" or "V/V":
    in the left header column, under the number, followed by lower-case words."""
    if block.role != "header_left" or len(line.words) < 2 or not _VV.match(line.words[0].text):
        return
    if not line.words[1].text[:1].islower():
        return
    above = [ln for ln in block.lines if ln.bbox and line.bbox and ln.bbox[3] <= line.bbox[1] + 5]
    if any(ln.words and _SO.match(_fold(ln.words[0].text)) for ln in above):
        first = line.words[0]
        line.words[0] = Word("V/v", first.bbox, first.conf)


def _join_number_pieces(block: Block) -> None:
    """"Số:" and "/CT-UBND" cut into two lines at a wide blank gap (the number not filled in)
    become one line again."""
    for line in list(block.lines):
        if not line.words or not line.bbox or not _SO.match(_fold(line.words[0].text)) \
                or any("/" in w.text for w in line.words):
            continue
        cy, h = (line.bbox[1] + line.bbox[3]) / 2, line.bbox[3] - line.bbox[1]
        for other in block.lines:
            if other is line or not other.bbox or not other.words:
                continue
            if abs((other.bbox[1] + other.bbox[3]) / 2 - cy) < 0.5 * h and other.bbox[0] > line.bbox[2] \
                    and "/" in other.words[0].text:
                line.words = line.words + other.words
                line.bbox = (line.bbox[0], min(line.bbox[1], other.bbox[1]), other.bbox[2],
                             max(line.bbox[3], other.bbox[3]))
                block.lines.remove(other)
                break


def reread_fields(blocks: list[Block], ink: np.ndarray, dpi: float, lang: str) -> dict:
    """Re-read the number and day fields of the header blocks in place; what was found."""
    found: dict = {}
    for block in blocks:
        if block.role not in ("header_left", "header_right"):
            continue
        _join_number_pieces(block)
        for line in block.lines:
            _split_fused_date(line)
            _fix_vv(line, block)
        for line in block.lines:
            words = line.words
            if not words or not line.bbox:
                continue
            _, ly0, _, ly1 = line.bbox
            pad = round(0.35 * (ly1 - ly0))
            first = _fold(words[0].text)
            if "number" not in found and _SO.match(first):
                slash = next((i for i, w in enumerate(words) if _CODE_START.search(w.text)),
                             next((i for i, w in enumerate(words) if "/" in w.text), None))
                if slash is None:
                    continue
                head = _SO.match(first).group(0)
                # the code starts at the slash before its letters ("//KH-UBND": a pen stroke
                # read as "/" stays in the gap)
                joined, starts = "", []
                for w in words[:slash + 1]:
                    starts.append(len(joined))
                    joined += w.text + " "
                joined = joined.rstrip()
                m = _CODE_START.search(joined, len(words[0].text[:len(head)]))
                cut = m.start() if m else joined.index("/")
                tail = "/" + joined[m.end():] if m else joined[cut:]
                year = _YEAR_SEGMENT.search(joined[:cut])
                if year and year.start() >= len(head):  # "Số: /2025/NQ-HĐND": the year is the code's
                    tail = joined[year.start():cut].replace(" ", "") + tail
                    cut = year.start()
                written = joined[len(head):cut].replace(" ", "")
                confs = [w.conf for w in words[:slash + 1] if w.conf is not None]
                if written.isdigit() and min(confs, default=100) >= PRINTED_CONF:
                    found["number"] = {"status": "printed", "text": written}
                    continue

                def x_at(i: int, starts=starts, words=words) -> int:
                    k = max(j for j, st in enumerate(starts) if st <= i)
                    return _prefix_end(words[k], i - starts[k])

                x0, x1 = x_at(len(head)), x_at(cut)
                box = (x0, ly0 - pad, x1, ly1 + pad)
                if not written and not _has_ink(ink, box):
                    found["number"] = {"status": "blank"}  # left blank (a draft): as printed
                    continue
                got = _read_digits(ink, box, dpi, lang, ly1 - ly0) if _has_ink(ink, box) else None
                if got and len(got[0]) < sum(c.isalnum() for c in written):
                    got = None  # fewer digits than marks in the gap: a partial reading
                if got and written.isdigit() and got[0] != written:
                    got = None  # two readings of the same digits disagree: neither is trusted
                fused = cut > 0 and joined[cut - 1] != " "  # "157/QĐ": typeset with its code
                if got is None and fused and written.isdigit() and min(confs, default=100) >= TYPED_CONF:
                    # weakly read digits (a typewriter face) with nothing better: kept as read
                    found["number"] = {"status": "printed", "text": written}
                    continue
                head_word = Word(words[0].text[:len(head)] or "Số:", words[0].bbox, words[0].conf)
                if got:
                    number = Word(got[0] + tail, (x0, ly0, words[slash].bbox[2], ly1), got[1])
                    found["number"] = {"status": "reread", "text": got[0], "conf": got[1]}
                else:
                    number = Word(MISSING + tail, (x0, ly0, words[slash].bbox[2], ly1), None)
                    found["number"] = {"status": "digits missing", "read": written or None}
                line.words = [head_word, number] + words[slash + 1:]
            elif "day" not in found:
                k = next((i for i, w in enumerate(words) if _NGAY.match(_fold(w.text))), None)
                if k is None:
                    continue
                t = next((i for i in range(k + 1, min(len(words), k + 4))
                          if _THANG.match(_fold(words[i].text))), None)
                if t is None:
                    continue
                tail = words[k].text[4:]
                written = (tail + "".join(w.text for w in words[k + 1:t])).strip()
                confs = [w.conf for w in words[k:t] if w.conf is not None]
                if written.isdigit() and 1 <= int(written) <= 31 and min(confs, default=100) >= PRINTED_CONF:
                    found["day"] = {"status": "printed", "text": written}
                    continue
                x0 = _prefix_end(words[k], 4)
                box = (x0, ly0 - pad, words[t].bbox[0], ly1 + pad)
                if not written and not _has_ink(ink, box):
                    found["day"] = {"status": "blank"}
                    continue
                got = _read_digits(ink, box, dpi, lang, ly1 - ly0) if _has_ink(ink, box) else None
                if got and (not 1 <= int(got[0]) <= 31 or len(got[0]) < sum(c.isalnum() for c in written)
                            or (written.isdigit() and got[0] != written)):
                    got = None  # a partial reading, or two readings that disagree
                ngay = Word(words[k].text[:4], words[k].bbox, words[k].conf)
                if got:
                    day = Word(got[0], (x0, ly0, words[t].bbox[0], ly1), got[1])
                    found["day"] = {"status": "reread", "text": got[0], "conf": got[1]}
                else:
                    day = Word(MISSING, (x0, ly0, words[t].bbox[0], ly1), None)
                    found["day"] = {"status": "digits missing", "read": written or None}
                line.words = words[:k] + [ngay, day] + words[t:]
    return found
