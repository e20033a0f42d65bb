"""The closing block when Tesseract's page segmentation skipped the signature column.

A seal (black on a bilevel scan, or a colour seal left in place because lifting it read worse)
and a signature scribble make Tesseract take the whole signature column for an image: the page
then ends with the "Nơi nhận:" list and the signer is lost ("KT. BỘ TRƯỞNG, CHỦ NHIỆM / PHÓ CHỦ
NHIỆM / Phạm Mạnh Cường" of a 200-dpi công văn). When a page has a recipients list and no
signature block, the area beside the list (right half) is read again on its own (psm 6), and
the words that read (:func:`vanban.ocr.decide.word_reads`) become the ``signature`` block.

The signer's name, printed below the space left for the signature, is lost the same way when
the seal and the scribble fill that space (a 1999 Quyết định: "T/M UBND TỈNH / K/T CHỦ TỊCH /
PHÓ CHỦ TỊCH" and no "Ngôn Nghiệp"): a signature block of capitals only (the titles) has the
column below it read again on its own (:func:`read_missing_signer`).
"""

from __future__ import annotations


import numpy as np

from ..model import Block, Line, Word, union_bbox
from . import decide, engine
from .layout import _RECIPIENTS_RE


def _read_region(gray: np.ndarray, box: tuple[int, int, int, int], dpi: float, lang: str,
                 psm: int) -> list[tuple[tuple, Word]]:
    """Read the ``box`` (x0, y0, x1, y1) of ``gray`` alone: its words with their boxes shifted
    back onto the page, each with the key of the line Tesseract put it in."""
    x0, y0, x1, y1 = box
    words = engine.recognize(np.ascontiguousarray(gray[y0:y1, x0:x1]), dpi, lang, psm=psm)
    return [(wd.key, Word(wd.text, (wd.bbox[0] + x0, wd.bbox[1] + y0, wd.bbox[2] + x0, wd.bbox[3] + y0),
                          wd.conf)) for wd in words]


def _by_line(read: list[tuple[tuple, Word]]) -> dict[tuple, list[Word]]:
    lines: dict[tuple, list[Word]] = {}
    for key, word in read:
        lines.setdefault(key, []).append(word)
    return lines


def read_missing_signature(blocks: list[Block], gray: np.ndarray, dpi: float, lang: str) -> bool:
    """Append a ``signature`` block read beside the recipients list when there is none."""
    if any(b.role == "signature" for b in blocks):
        return False
    start = None
    for block in blocks:
        for k, line in enumerate(block.lines):
            if _RECIPIENTS_RE.match(line.text) and line.bbox:
                start = (block, k)
    if start is None:
        return False
    block, k = start
    boxes = [ln.bbox for ln in block.lines[k:] if ln.bbox]
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    right = max(b[2] for b in boxes)
    h, w = gray.shape
    line_h = max(1, int(np.median([b[3] - b[1] for b in boxes])))
    x0 = max(right + line_h, w // 2)
    y0, y1 = max(0, top - line_h), min(h, bottom + 8 * line_h)
    if x0 >= w - 4 * line_h or y1 - y0 < 2 * line_h:
        return False
    lines = _by_line([(key, wd) for key, wd in _read_region(gray, (x0, y0, w, y1), dpi, lang, 6)
                      if decide.word_reads(wd.text, wd.conf)])
    # a line of one short word is a fragment of the seal or the scribble, not the signer
    kept = [Line(words=ws, bbox=union_bbox([x.bbox for x in ws])) for ws in lines.values()
            if len(ws) >= 2 or len(ws[0].text) >= 4]
    if not kept:
        return False
    kept.sort(key=lambda ln: ln.bbox[1])
    blocks.append(Block(lines=kept, bbox=union_bbox([ln.bbox for ln in kept]), role="signature"))
    return True


def read_missing_recipients_heading(blocks: list[Block], gray: np.ndarray, dpi: float,
                                    lang: str) -> bool:
    """Read "Nơi nhận:" again above a recipients list that starts without it.

    The list always opens with its italic bold heading; Tesseract sometimes drops that one
    line (beside the signer's title, over a seal's edge), and the list then starts at "- Như
    trên;". The strip one line above the list, as wide as the list, is read alone as one
    line (psm 7) and kept only when it is the heading."""
    done = False
    for block in blocks:
        if block.role != "recipients" or not block.lines or not block.lines[0].bbox or \
                _RECIPIENTS_RE.match(block.lines[0].text) or not block.bbox:
            continue
        first = block.lines[0].bbox
        line_h = first[3] - first[1]
        h, w = gray.shape
        x0, x1 = max(0, block.bbox[0] - line_h), min(w, block.bbox[2])
        y0, y1 = max(0, first[1] - 2 * line_h), max(0, first[1] + line_h // 6)
        if y1 - y0 < line_h:
            continue
        heading = [wd for _, wd in _read_region(gray, (x0, y0, x1, y1), dpi, lang, 7)]
        text = " ".join(wd.text for wd in heading)
        if not heading or not _RECIPIENTS_RE.match(text) or len(heading) > 3:
            continue
        block.lines.insert(0, Line(words=heading, bbox=union_bbox([x.bbox for x in heading])))
        block.bbox = union_bbox([ln.bbox for ln in block.lines if ln.bbox])
        done = True
    return done


def _has_lower(text: str) -> bool:
    return any(c.islower() for c in text)


def read_missing_signer(blocks: list[Block], gray: np.ndarray, dpi: float, lang: str) -> bool:
    """Append the signer's name below a signature block that has only its titles.

    The titles ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") are capitals and the name below the signature
    is not ("Ngôn Nghiệp"), so a block without a lower-case letter lost its name. The column
    under it, as wide as the block and a line height more each side, down ten line heights,
    is read alone (psm 6); a line of two or more words that all read, capitalised and in
    lower case (a name, not the seal's capital lettering), is the name."""
    sig = [b for b in blocks if b.role == "signature" and b.bbox and b.lines]
    if not sig:
        return False
    block = sig[-1]
    boxes = [ln.bbox for ln in block.lines if ln.bbox]
    if not boxes or any(_has_lower(ln.text) for ln in block.lines):
        return False
    h, w = gray.shape
    line_h = max(1, int(np.median([b[3] - b[1] for b in boxes])))
    x0, x1 = max(0, block.bbox[0] - line_h), min(w, block.bbox[2] + line_h)
    y0 = block.bbox[3] + line_h // 2
    y1 = min(h, y0 + 10 * line_h)
    if y1 - y0 < 2 * line_h or x1 - x0 < 2 * line_h:
        return False
    lines = _by_line(_read_region(gray, (x0, y0, x1, y1), dpi, lang, 6))
    names = [ws for ws in lines.values()
             if len(ws) >= 2 and all(decide.word_reads(x.text, x.conf or 0.0) for x in ws)
             and ws[0].text[:1].isupper() and _has_lower(" ".join(x.text for x in ws))]
    if not names:
        return False
    for ws in sorted(names, key=lambda ws: min(x.bbox[1] for x in ws)):
        block.lines.append(Line(words=ws, bbox=union_bbox([x.bbox for x in ws])))
    block.bbox = union_bbox([ln.bbox for ln in block.lines if ln.bbox])
    return True
