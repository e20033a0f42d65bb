"""Layout: Tesseract's words -> lines -> blocks with roles, in the reading order of a directive.

Vietnamese administrative documents (Decree 30/2020) have two two-column bands:
- the header at the top of page 1: issuer and "Số: ..." on the left, national motto and
  place/date on the right;
- the closing block: the "Nơi nhận:" list on the left, the signature block on the right.

Tesseract often reads such a band row by row ("UỶ BAN NHÂN DÂN CỘNG HÒA XÃ HỘI ...") or in an
order that mixes the columns. Here lines are first split at column-wide gaps, then rows of lines
side by side reveal a band and its gutter; the band is emitted as its left block, then its right
block. Everything else is single-column body text, read top to bottom.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ..model import Block, Line, Word, union_bbox
from ..text import is_syllable
from .decide import word_reads

_EDGE_PUNCT = ".,;:!?()[]\"'"

_PAGE_NUMBER_RE = re.compile(r"^[-–(\[]?\s*\d{1,3}\s*[-–)\]]?$")
_RECIPIENTS_RE = re.compile(r"^\W*N[ơo]i\s+nh[ậa]n", re.IGNORECASE)
_ADDRESSEE_RE = re.compile(r"^\W*K[íi]nh\s+g[ửu]i", re.IGNORECASE)


@dataclass
class _Ln:
    """A line under analysis: words, box, and the Tesseract paragraph it came from."""
    words: list[Word]
    key: tuple | None = None
    box: tuple[int, int, int, int] = field(init=False)

    def __post_init__(self):
        self.box = union_bbox([w.bbox for w in self.words])  # type: ignore[assignment]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    def to_line(self) -> Line:
        return Line(words=self.words, bbox=self.box)


def _x_overlap(a: tuple | None, b: tuple | None) -> bool:
    """Box b covers over 30% of box a's width."""
    if a is None or b is None:
        return False
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.3 * max(1, a[2] - a[0])


def _core(words: list[Word]) -> tuple[float, float]:
    """A line's median word top and bottom: its text band, without a scribble read into it."""
    return (statistics.median(w.bbox[1] for w in words), statistics.median(w.bbox[3] for w in words))


def _y_overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Band b covers over half of band a's height."""
    return min(a[1], b[1]) - max(a[0], b[0]) > 0.5 * max(1, a[1] - a[0])


def _mean_conf(words: list[Word]) -> float:
    return statistics.fmean([w.conf if w.conf is not None else 100.0 for w in words])


def drop_shadow_lines(lines_in: list[tuple[list[Word], tuple | None]]
                      ) -> list[tuple[list[Word], tuple | None]]:
    """Drop a line read a second time over another line's ink.

    A handwritten initial or a pen stroke over the end of a printed line makes Tesseract find
    a second line at the same height ("thi hành Quyết định này./." and, over it, "Quyết đi
    yÍ. UỀU_"). Two lines of text never share their ink: a line every word of which covers a
    word of another line (over 30% of its width) at that line's height (their median word tops
    and bottoms overlap over half the line's height: a scribble read into a line stretches its
    box, not its median) is a second reading of that ink, and the one Tesseract believes less
    (mean word confidence) is dropped."""
    keep = [True] * len(lines_in)
    # each line's band and confidence once, not once per pair of lines
    bands = [_core(ws) if ws else None for ws, _ in lines_in]
    confs = [_mean_conf(ws) if ws else None for ws, _ in lines_in]
    for i, (ws, _) in enumerate(lines_in):
        if not ws:
            continue
        for j, (other, _) in enumerate(lines_in):
            if i == j or not keep[j] or not other:
                continue
            if _y_overlap(bands[i], bands[j]) \
                    and all(any(_x_overlap(w.bbox, o.bbox) for o in other) for w in ws) \
                    and confs[i] < confs[j]:
                keep[i] = False
                break
    return [item for item, k in zip(lines_in, keep) if k]


_CLOSING_MARK = "./."
#: "./." as read, the second full stop often lost in a pen stroke after it ("này./VRäi__").
#: After a word's last letter: the dotted blanks of a form ("Số: ......./......") are no mark.
_CLOSING_MARK_RE = re.compile(r"(?<=[^\W\d_])\./\.?")


def cut_after_closing_mark(words: list[Word]) -> list[Word]:
    """The text's closing mark "./." ends the body: what Tesseract glued to it (a handwritten
    initial read as "này./VRäi__") is cut off when it is no word that reads."""
    out = []
    for w in words:
        mark = _CLOSING_MARK_RE.search(w.text)
        tail = w.text[mark.end():] if mark else ""
        if mark and tail and not word_reads(tail, w.conf if w.conf is not None else 100.0):
            w = Word(w.text[:mark.start()] + _CLOSING_MARK, w.bbox, w.conf, w.raw)
        out.append(w)
    return out


def split_at_gaps(words: list[Word], key: tuple | None, min_gap: float) -> list[_Ln]:
    """Cut one recognised line wherever two words are further apart than ``min_gap`` px.

    Words far above or below the line (a page number Tesseract attached to a body line) become
    lines of their own.
    """
    cys = sorted((w.bbox[1] + w.bbox[3]) / 2 for w in words)
    hs = sorted(w.bbox[3] - w.bbox[1] for w in words)
    mid, h = cys[len(cys) // 2], max(1, hs[len(hs) // 2])
    outliers = [w for w in words if abs((w.bbox[1] + w.bbox[3]) / 2 - mid) > h]
    if outliers and len(outliers) < len(words):
        inliers = [w for w in words if w not in outliers]
        return split_at_gaps(inliers, key, min_gap) + [_Ln([w], key) for w in outliers]
    words = sorted(words, key=lambda w: w.bbox[0])
    parts: list[list[Word]] = [[words[0]]]
    for prev, word in zip(words, words[1:]):
        if word.bbox[0] - prev.bbox[2] > min_gap:
            parts.append([word])
        else:
            parts[-1].append(word)
    return [_Ln(p, key) for p in parts]


def _rows(lines: list[_Ln]) -> list[list[_Ln]]:
    """Group lines that sit side by side (vertical overlap over half the smaller height)."""
    rows: list[list[_Ln]] = []
    for ln in sorted(lines, key=lambda l: l.cy):
        if rows:
            row = rows[-1]
            top = min(l.box[1] for l in row)
            bottom = max(l.box[3] for l in row)
            overlap = min(bottom, ln.box[3]) - max(top, ln.box[1])
            if overlap > 0.5 * min(ln.height, bottom - top):
                row.append(ln)
                continue
        rows.append([ln])
    for row in rows:
        row.sort(key=lambda l: l.box[0])
    return rows


#: A line piece of at most 2 words, every one under this confidence, is taken for noise.
NOISE_CONF = 40.0


def _noise(ln: _Ln, line_h: float) -> bool:
    confs = [w.conf for w in ln.words]
    if not confs or any(c is None for c in confs):
        return False  # text-layer words have no confidence: keep them
    tiny = ln.height < 0.3 * line_h and (ln.box[2] - ln.box[0]) < 0.3 * line_h  # a speck
    if tiny:
        return True
    # A weak word that still spells a syllable of 3+ letters ("QUYET" of a heading) is text.
    spelled = all(len(w.text) >= 3 and is_syllable(w.text.strip(_EDGE_PUNCT)) for w in ln.words)
    return len(confs) <= 2 and all(c < NOISE_CONF for c in confs) and not spelled


#: Words in the left margin under this confidence are margin notes or specks.
MARGIN_CONF = 60.0


def _column_left(starts: list[int], page_width: int) -> float:
    """The text column's left edge: the leftmost start that several full-width lines share.

    Not their median: on a page of short paragraphs most full-width lines are first lines,
    indented, and the median is the indent; a wrapped line's first word then sits "left of
    the column" and a weak one was dropped ("Ngãi" of "... tỉnh Quảng / Ngãi từ năm học").
    A lone line starting further left (a margin speck read into it) is not shared."""
    starts = sorted(starts)
    tol = 0.01 * page_width
    need = max(2, round(0.2 * len(starts)))
    for k, start in enumerate(starts):
        near = [s for s in starts[k:] if s - start <= tol]
        if len(near) >= need:
            return near[-1]
    return statistics.median(starts)


#: List marks a line may hang left of the text column.
_LIST_MARKS = frozenset("-–—+•*·")


#: A list or section label standing out in the margin of a hanging-indent list: "b)", "đ)",
#: "IV.", "2.1.", "(3)". Letters of the Vietnamese alphabet only (no f, j, w, z: "z)" is junk).
_LIST_LABEL = re.compile(r"^\(?(?:[IVXLC]+|[a-eg-ik-vxyđ]|\d{1,2}(?:\.\d{1,2})*)[.)]?\)?$")


def _margin_junk(word: Word) -> bool:
    """A word that is no text (no syllable, number or code: "_", ":..", "z)") even when
    Tesseract is fairly sure of it; a list mark or label is text."""
    text = word.text
    if all(c in _LIST_MARKS for c in text) or (_LIST_LABEL.match(text) and not text.isalpha()):
        return False
    return not word_reads(text, word.conf or 0.0)


def _trim_left_margin(lines: list[_Ln], page_width: int) -> list[_Ln]:
    """Drop weak or junk words left of the text column (handwritten margin notes, punch-hole
    specks read into the start of a body line: "t§ Trời mẹ", "ằ CÁ Ko luật", "_ dẻ phái"). The column's left edge
    is where the full-width lines start (:func:`_column_left`); text never starts left of it
    at low confidence (a header line that does reads well)."""
    wide = [ln.box[0] for ln in lines if ln.box[2] - ln.box[0] > 0.5 * page_width]
    if len(wide) < 5:
        return lines
    left = _column_left(wide, page_width)
    out = []
    for ln in lines:
        words = sorted(ln.words, key=lambda w: w.bbox[0])
        k = 0
        while k < len(words) and words[k].bbox[2] <= left and words[k].conf is not None \
                and (words[k].conf < MARGIN_CONF or _margin_junk(words[k])):
            k += 1
        if k == 0:
            out.append(ln)
        elif k < len(words):
            out.append(_Ln(words[k:], ln.key))
    return out


def _para(key: tuple | None) -> tuple | None:
    """(block, paragraph) of a Tesseract (block, paragraph, line) key."""
    return key[:2] if key else None


def _block(lines: list[_Ln], role: str) -> Block:
    lines = sorted(lines, key=lambda l: (l.box[1], l.box[0]))
    return Block(lines=[l.to_line() for l in lines], bbox=union_bbox([l.box for l in lines]), role=role)


def build_blocks(lines_in: list[tuple[list[Word], tuple | None]], page_width: int,
                 page_height: int, page_number: int = 1) -> list[Block]:
    """Lines (their words and an optional source paragraph key) -> blocks in reading order.

    Roles: ``page_number`` (a lone number in the top or bottom margin), ``header_left`` /
    ``header_right`` (a two-column band before any body text on the page), ``recipients`` /
    ``signature`` (a two-column band after body text, or lone right-hand lines at the end),
    ``body`` (the rest; a new block per source paragraph or after a blank gap).
    """
    lines_in = drop_shadow_lines([(cut_after_closing_mark(ws), k) for ws, k in lines_in if ws])
    if not lines_in:
        return []
    heights = [union_bbox([w.bbox for w in ws])[3] - union_bbox([w.bbox for w in ws])[1]
               for ws, _ in lines_in]
    line_h = statistics.median(heights) or 1
    # Word gaps in justified lines stay under one line height; the gutter between header
    # columns can be as narrow as ~1.2 (../shared/dev/real-scans/1.pdf).
    col_gap = max(1.2 * line_h, 0.02 * page_width)
    lines: list[_Ln] = []
    for ws, key in lines_in:
        lines.extend(split_at_gaps(ws, key, col_gap))
    # A line piece without a letter or digit is dust or seal residue, not text; so is a short
    # piece Tesseract itself hardly believes (seal lettering read as "/jlb", "lo").
    lines = [ln for ln in lines if any(c.isalnum() for c in ln.text) and not _noise(ln, line_h)]
    lines = _trim_left_margin(lines, page_width)
    if not lines:
        return []
    rows = _rows(lines)

    # Page number: a lone short number in the top or bottom 8% of the page.
    items: list[tuple[float, list[Block]]] = []  # (y, blocks) emitted in y order
    for edge in (0, -1):
        if rows and len(rows[edge]) == 1 and _PAGE_NUMBER_RE.match(rows[edge][0].text):
            ln = rows[edge][0]
            if ln.box[3] < 0.08 * page_height or ln.box[1] > 0.92 * page_height:
                items.append((ln.box[1], [_block([ln], "page_number")]))
                rows.pop(edge)
    tol = 0.5 * line_h
    wide = [(l.box[0] + l.box[2]) / 2 for l in lines if l.box[2] - l.box[0] > 0.5 * page_width]
    text_centre = statistics.median(wide) if wide else page_width / 2
    used = [False] * len(rows)

    def side(ln: _Ln, row: list[_Ln], lo: float, hi: float) -> str:
        """'left' | 'right' of a band whose seed row leaves [lo, hi] free, or 'cross'."""
        if len(row) == 1 and abs((ln.box[0] + ln.box[2]) / 2 - text_centre) < 0.05 * page_width:
            return "cross"  # a centred heading ("KẾ HOẠCH") spans the page, not a column
        if ln.box[2] <= hi - tol:
            return "left"
        if ln.box[0] >= lo + tol:
            return "right"
        return "cross"

    def split_on_gutter(j: int, lo: float, hi: float) -> None:
        """Cut lines of row j at a wide word gap that lines up with the band's gutter [lo, hi]
        (narrow header gutters: "UBND THÀNH PHỐ ĐÀ NẴNG  CỘNG HOÀ ..." read as one line).
        The gap must stand out: over half a line height and twice the line's median gap."""
        new_row, changed = [], False
        for ln in rows[j]:
            ws = sorted(ln.words, key=lambda w: w.bbox[0])
            # Gaps between real words: a speck read as "_" or "-" in the gutter does not bridge it.
            real = [k for k, w in enumerate(ws) if any(c.isalnum() for c in w.text)]
            gaps = [ws[b].bbox[0] - ws[a].bbox[2] for a, b in zip(real, real[1:])]
            if side(ln, rows[j], lo, hi) == "cross" and gaps:
                typical = statistics.median(gaps)
                for ka, kb in zip(real, real[1:]):
                    a, b = ws[ka].bbox, ws[kb].bbox
                    gap = b[0] - a[2]
                    if a[2] <= hi and b[0] >= lo and gap > max(0.5 * line_h, 2 * typical):
                        new_row += [_Ln(ws[:ka + 1], ln.key), _Ln(ws[kb:], ln.key)]
                        changed = True
                        break
                else:
                    new_row.append(ln)
            else:
                new_row.append(ln)
        if changed:
            rows[j] = sorted(new_row, key=lambda l: l.box[0])

    def row_sides(j: int, lo: float, hi: float, split: bool = False) -> list[str] | None:
        sides = [side(l, rows[j], lo, hi) for l in rows[j]]
        if "cross" in sides and split:
            split_on_gutter(j, lo, hi)
            sides = [side(l, rows[j], lo, hi) for l in rows[j]]
        return None if "cross" in sides else sides

    # Bands: start at a row with a column gap, grow up/down through rows that stay on their side.
    i = 0
    while i < len(rows):
        seed = rows[i]
        gaps = [(b.box[0] - a.box[2], a.box[2], b.box[0]) for a, b in zip(seed, seed[1:])]
        gaps = [g for g in gaps if g[0] > col_gap]
        if used[i] or not gaps:
            i += 1
            continue
        _, lo, hi = max(gaps)
        if row_sides(i, lo, hi) is None:
            i += 1
            continue
        start = end = i
        # up: only for a band at the top of the page (nothing above crosses the gutter)
        first = max([j + 1 for j in range(i) if used[j]], default=0)
        if all(row_sides(j, lo, hi, split=True) is not None for j in range(first, i)):
            start = first
        # down: through rows that stay in their columns, less than 6 line heights apart (the
        # signer's name sits 3-4 lines under the title, room for the signature and seal)
        while end + 1 < len(rows) and row_sides(end + 1, lo, hi) is not None:
            gap = min(l.box[1] for l in rows[end + 1]) - max(l.box[3] for l in rows[end])
            if gap > 6 * line_h or any(_ADDRESSEE_RE.match(l.text) for l in rows[end + 1]):
                break  # "Kính gửi:" opens the addressees, after the header
            end += 1
        if start == end:  # one row alone is a line with a wide gap, not a two-column band
            i += 1
            continue
        left: list[_Ln] = []
        right: list[_Ln] = []
        labelled = 0
        for j in range(start, end + 1):
            for ln, sd in zip(rows[j], row_sides(j, lo, hi) or []):
                (left if sd == "left" else right).append(ln)
            labelled += any(sd == "left" and ln.text.rstrip().endswith(":")
                            for ln, sd in zip(rows[j], row_sides(j, lo, hi) or []))
        if labelled >= max(2, 0.5 * (end - start + 1)):
            # Labels and their values ("+ Phía Đông giáp:   Lô đất số 16"): one list read
            # row by row, not two columns.
            i = end + 1
            continue
        band = left + right
        body_above = any(not used[j] for j in range(start))
        top = min(l.box[1] for l in band)
        is_header = (not body_above or (page_number == 1 and top < 0.2 * page_height)) \
            and not any(_RECIPIENTS_RE.match(l.text) for l in left)
        roles = ("header_left", "header_right") if is_header else ("recipients", "signature")
        if not is_header:
            # The signer's title often stands a line above the first "Nơi nhận" row ("TL. CHỦ
            # TỊCH" over "CHÁNH VĂN PHÒNG"); when "Nơi nhận:" was not read beside it, the title
            # is a lone right-hand row just above the band: it belongs to the signature.
            while start > 0 and not used[start - 1] and \
                    all(l.box[0] >= lo + tol for l in rows[start - 1]) and \
                    min(l.box[1] for l in rows[start]) - max(l.box[3] for l in rows[start - 1]) < line_h:
                start -= 1
                right = list(rows[start]) + right
                band = left + right
        if is_header:
            # header lines carry no list dashes: a lone leading "-" is a speck ("- SỞ GIÁO DỤC")
            for ln in left + right:
                if len(ln.words) > 1 and not any(c.isalnum() for c in ln.words[0].text):
                    ln.words = ln.words[1:]
                    ln.box = union_bbox([w.bbox for w in ln.words])  # type: ignore[assignment]
        blocks = []
        if left:
            blocks.append(_block(left, roles[0]))
        if right:
            blocks.append(_block(right, roles[1]))
        items.append((min(l.box[1] for l in band), blocks))
        for j in range(start, end + 1):
            used[j] = True
        i = end + 1

    # Trailing lines on the right half after the last full-width line: a signature block alone.
    rest = [j for j in range(len(rows)) if not used[j]]
    if rest and not any(b.role == "signature" for _, bs in items for b in bs):
        centre = page_width / 2
        tail: list[int] = []
        for j in reversed(rest):
            if all(l.box[0] > centre for l in rows[j]):
                tail.append(j)
            else:
                break
        if tail and len(tail) < len(rest):
            sig = [l for j in tail for l in rows[j]]
            items.append((min(l.box[1] for l in sig), [_block(sig, "signature")]))
            for j in tail:
                used[j] = True

    # Body: the remaining rows top to bottom; a new block per source paragraph or after a gap.
    current: list[_Ln] = []
    prev_bottom = None

    def close():
        if current:
            items.append((current[0].box[1], [_block(list(current), "body")]))
            current.clear()

    for j, row in enumerate(rows):
        if used[j]:
            close()
            prev_bottom = None
            continue
        # Pieces of one body row (a line cut at a blank left for a handwritten number, or
        # around a seal) are one line, read left to right: apart, each piece sorted by its own
        # top and could change blocks, and "Xét Tờ trình số  /TTr-UBND ngày  tháng năm 2025
        # của Ủy ban" came out with its tail first.
        ln = row[0] if len(row) == 1 else _Ln([w for piece in row for w in piece.words], row[0].key)
        if current and (_para(ln.key) != _para(current[-1].key) or
                        (prev_bottom is not None and ln.box[1] - prev_bottom > 1.2 * line_h)):
            close()
        current.append(ln)
        prev_bottom = max(l.box[3] for l in row)
    close()
    items.sort(key=lambda it: it[0])
    return _drop_closing_pen_marks([b for _, blocks in items for b in blocks])


#: Below this confidence a word that is no text at the end of a closing line is a pen mark.
PEN_MARK_CONF = 20.0


#: Punctuation of a recipients line ("(b/c);", "VT-NĐ."): not a sign of a pen mark.
_LIST_PUNCT = set(".,;:()/-&")


def _mostly_symbols(text: str) -> bool:
    """More signs (beyond a list's punctuation) than letters and digits: no word ("Ì-*“”";
    not "VP", not "(b/c);")."""
    signs = sum(not c.isalnum() and c not in _LIST_PUNCT for c in text)
    return signs > sum(c.isalnum() for c in text)


def _drop_closing_pen_marks(blocks: list[Block]) -> list[Block]:
    """Drop what the clerk wrote after a closing line (a copy count after "- Lưu VT-NĐ" read
    as "Ì-*“”"): trailing words of a recipients or signature line that are more signs than
    letters and that Tesseract hardly believes."""
    for block in blocks:
        if block.role not in ("recipients", "signature"):
            continue
        for line in block.lines:
            words = list(line.words)
            while len(words) > 1 and words[-1].conf is not None and words[-1].conf < PEN_MARK_CONF \
                    and _mostly_symbols(words[-1].text):
                words.pop()
            if len(words) < len(line.words):
                line.words = words
                line.bbox = union_bbox([w.bbox for w in words])
        block.bbox = union_bbox([ln.bbox for ln in block.lines if ln.bbox])
    return blocks
