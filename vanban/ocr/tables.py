"""Ruled tables: find the grid, read each cell on its own, emit rows of cells.

Plans and decisions often list their tasks in a ruled table (STT / Nội dung nhiệm vụ / Cơ quan
chủ trì / Cơ quan phối hợp / Thời gian hoàn thành / Sản phẩm). Tesseract's page segmentation
reads such a page line by line across the columns, so a cell's text is interleaved with its
neighbours'. Here, in small steps:

1. :func:`line_masks` - the ruling lines: ink (adaptive threshold) opened with long thin
   horizontal and vertical kernels (OpenCV morphology; text strokes are far shorter).
2. :func:`find_grids` - connected groups of lines that hold at least two rows and two columns of
   lines are tables; their line positions are the grid.
3. :func:`grid_cells` - elementary cells between neighbouring grid lines are joined where the
   wall between them is missing (merged cells: a group heading over all columns, a lead agency
   shared by several rows) - union-find over the grid.
4. :func:`read_cells` - each cell's inside (ruling removed) is cropped; the crops are stacked one
   under the other with white space between them and read in one Tesseract call (``--psm 6``),
   so every cell is read alone (no text of a neighbour can join it) at the cost of one call
   per table instead of one per cell. A cell's lines are joined into its whole text.

:func:`table_block` renders a table for the text output: one line per row, cells separated by
``" | "`` (an empty cell is an empty field, so ``"1 | Xây dựng ... | | Quý IV"`` splits back into
its columns on ``|``); a ``|`` read inside a cell is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..model import Block, Line, Table, TableCell, Word, union_bbox
from . import engine

#: Ruling lines are at least this long (inches): text strokes, even of capitals, are far shorter.
MIN_LINE_IN = 0.25
#: A table is at least this wide (share of the page width): task tables span the text width;
#: the boxed received stamp of real-scans/vpcp-cv3722-2026.pdf (a 2 x 2 grid) is 23% wide.
MIN_WIDTH_SHARE = 0.4
#: A grid at least this share of the page wide AND high, with few cells, is the sheet's own
#: outline (the paper's edge on a larger scan bed or photo, a page border, with a rule or two
#: across it), not a table: printed content keeps margins of 2 cm or more. A table may still
#: fill the page (a long list with narrow margins): it has many cells.
MAX_SHEET_SHARE = 0.9
#: The most cells a page-sized grid has to be taken for the sheet's outline.
MAX_SHEET_CELLS = 6
#: A table holds at least this many horizontal and vertical lines.
MIN_GRID_LINES = 2
#: A wall between two grid cells exists when its ruling covers this share of its length.
WALL_COVER = 0.6
#: The separator of cells in the text rendering of a row.
CELL_SEPARATOR = "|"


@dataclass
class Grid:
    """A table's ruling: x positions of its column lines, y positions of its row lines."""
    xs: list[int]
    ys: list[int]
    bbox: tuple[int, int, int, int]


def line_masks(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Masks (uint8 0/255) of the horizontal and of the vertical ruling lines of a page."""
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                31, 15)
    length = max(20, round(MIN_LINE_IN * dpi))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    # close small breaks of scanned lines (toner gaps, a line crossing a word)
    gap = max(3, round(dpi / 100))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3 * gap, 1)))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3 * gap)))
    return horizontal, vertical


def _positions(profile: np.ndarray, min_run: int) -> list[int]:
    """Centres of runs of consecutive indices where ``profile`` >= ``min_run``."""
    on = np.flatnonzero(profile >= min_run)
    if not len(on):
        return []
    out, start, prev = [], on[0], on[0]
    for i in on[1:]:
        if i > prev + 2:
            out.append((start + prev) // 2)
            start = i
        prev = i
    out.append((start + prev) // 2)
    return [int(v) for v in out]


def _merge_close(values: list[int], tolerance: int) -> list[int]:
    out: list[int] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            out[-1] = (out[-1] + v) // 2
        else:
            out.append(v)
    return out


def find_grids(horizontal: np.ndarray, vertical: np.ndarray, dpi: float) -> list[Grid]:
    """Tables: groups of crossing ruling lines with at least two row and two column lines."""
    length = max(20, round(MIN_LINE_IN * dpi))
    both = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    grids = []
    tol = max(4, round(dpi / 40))
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < 2 * length or h < length:
            continue
        hs = horizontal[y:y + h, x:x + w] > 0
        vs = vertical[y:y + h, x:x + w] > 0
        ys = _merge_close([y + v for v in _positions(hs.sum(axis=1), length)], tol)
        xs = _merge_close([x + v for v in _positions(vs.sum(axis=0), length // 2)], tol)
        # an open table (no outer side walls) is closed by its horizontal lines' ends
        if xs and xs[0] - x > tol:
            xs.insert(0, x)
        if xs and x + w - 1 - xs[-1] > tol:
            xs.append(x + w - 1)
        if len(ys) < MIN_GRID_LINES or len(xs) < MIN_GRID_LINES or (len(ys) - 1) * (len(xs) - 1) < 2:
            continue
        if w < MIN_WIDTH_SHARE * horizontal.shape[1]:
            continue  # a boxed stamp ("ĐẾN Giờ: ... Ngày: ...") or a form field, not a table
        if w >= MAX_SHEET_SHARE * horizontal.shape[1] and h >= MAX_SHEET_SHARE * horizontal.shape[0] \
                and (len(ys) - 1) * (len(xs) - 1) <= MAX_SHEET_CELLS:
            continue  # the sheet's edge seen on a larger scan, not a table
        grids.append(Grid(xs=[int(v) for v in xs], ys=[int(v) for v in ys],
                          bbox=(int(x), int(y), int(x + w), int(y + h))))
    grids.sort(key=lambda g: g.bbox[1])
    return grids


def _covered(mask: np.ndarray, x0: int, x1: int, y0: int, y1: int, axis: int) -> float:
    """Share of a wall segment's length that holds ruling (any pixel across its thickness)."""
    band = mask[max(0, y0):max(y0 + 1, y1), max(0, x0):max(x0 + 1, x1)] > 0
    if band.size == 0:
        return 0.0
    return float(band.any(axis=axis).mean())


def grid_cells(grid: Grid, horizontal: np.ndarray, vertical: np.ndarray, dpi: float
               ) -> list[tuple[int, int, int, int, tuple[int, int, int, int]]]:
    """Cells of a grid, merged cells joined: (row, col, row_span, col_span, box)."""
    xs, ys = grid.xs, grid.ys
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    t = max(3, round(dpi / 60))  # half the band a scanned line may wander in
    for r in range(nr):
        for c in range(nc):
            inset_y = (ys[r + 1] - ys[r]) // 6
            inset_x = (xs[c + 1] - xs[c]) // 6
            if c + 1 < nc and _covered(vertical, xs[c + 1] - t, xs[c + 1] + t + 1,
                                       ys[r] + inset_y, ys[r + 1] - inset_y, axis=1) < WALL_COVER:
                union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and _covered(horizontal, xs[c] + inset_x, xs[c + 1] - inset_x,
                                       ys[r + 1] - t, ys[r + 1] + t + 1, axis=0) < WALL_COVER:
                union(r * nc + c, (r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0, r1 = min(r for r, _ in members), max(r for r, _ in members)
        c0, c1 = min(c for _, c in members), max(c for _, c in members)
        cells.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    cells.sort(key=lambda cell: (cell[0], cell[1]))
    return cells


def _cell_crop(gray: np.ndarray, ruling: np.ndarray, box: tuple[int, int, int, int], dpi: float
               ) -> np.ndarray | None:
    """The inside of a cell with its ruling whitened; None when it holds no ink."""
    x0, y0, x1, y1 = box
    inset = max(3, round(dpi / 75))
    x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    crop = gray[y0:y1, x0:x1].copy()
    # paper to white: the crops are stacked on a white sheet, and the edge of a greyer crop
    # (uneven lighting, tinted paper) would read as letters ("Ỉ", "|")
    paper = float(np.percentile(crop, 90))
    if 0 < paper < 250:
        crop = cv2.convertScaleAbs(crop, alpha=255.0 / paper)
    crop[ruling[y0:y1, x0:x1] > 0] = 255
    dark = crop < 128
    if dark.sum() < max(12, (dpi / 100) ** 2 * 6):  # a speck or two is no text
        return None
    return crop


def _read_sheet(batch: list[tuple[int, np.ndarray]], gap: int, dpi: float, lang: str,
                texts: dict[int, list[engine.RawWord]]) -> None:
    """Stack cell crops on one white sheet, read it once (psm 6), give each crop its words."""
    width = max(crop.shape[1] for _, crop in batch) + 2 * gap
    height = sum(crop.shape[0] for _, crop in batch) + gap * (len(batch) + 1)
    sheet = np.full((height, width), 255, np.uint8)
    spans = []
    y = gap
    for i, crop in batch:
        h, w = crop.shape
        sheet[y:y + h, gap:gap + w] = crop
        spans.append((i, y, y + h))
        y += h + gap
    for word in engine.recognize(sheet, dpi, lang, psm=6):
        cy = (word.bbox[1] + word.bbox[3]) / 2
        for i, top, bottom in spans:
            if top - gap / 2 <= cy < bottom + gap / 2:
                texts[i].append(word)
                break


def read_cells(gray: np.ndarray, cells, ruling: np.ndarray, dpi: float, lang: str
               ) -> list[TableCell]:
    """OCR every cell alone: crops stacked with white space between them, one psm-6 call."""
    crops = []
    for *_, box in cells:
        crops.append(_cell_crop(gray, ruling, box, dpi))
    present = [(i, crop) for i, crop in enumerate(crops) if crop is not None]
    texts: dict[int, list[engine.RawWord]] = {i: [] for i in range(len(cells))}
    gap = max(30, round(dpi / 5))
    batch: list[tuple[int, np.ndarray]] = []
    height = gap
    for item in present + [None]:  # sheets of at most MAX_SHEET_PX (Tesseract's image limit)
        if item is not None and (not batch or height + item[1].shape[0] + gap <= MAX_SHEET_PX):
            batch.append(item)
            height += item[1].shape[0] + gap
            continue
        if batch:
            _read_sheet(batch, gap, dpi, lang, texts)
        batch, height = ([item], gap + item[1].shape[0] + gap) if item is not None else ([], gap)
    for i, crop in present:
        weak = not texts[i] or min(w.conf for w in texts[i]) < REREAD_BELOW_CONF
        if weak:
            again = _reread_short(crop, dpi, lang) if _one_line(crop, dpi) else _reread_block(crop, dpi, lang)
            # better read: more confident, and no word lost (Tesseract can read a cell worse
            # alone and be sure of it: "Năm 2025 - 2026" -> "2050 2025-")
            if again and (not texts[i] or (_mean(again) > _mean(texts[i]) and len(again) >= len(texts[i]))):
                texts[i] = again
    out = []
    for i, (r, c, rs, cs, box) in enumerate(cells):
        words = [w for w in texts[i] if w.text.strip(CELL_SEPARATOR + "¦")]
        words = [w for w in words if w.conf >= 30 or any(ch.isalnum() for ch in w.text)]
        # Tesseract's order within a cell: its lines top to bottom, words left to right
        text = " ".join(w.text.replace(CELL_SEPARATOR, "") for w in words).strip()
        conf = sum(w.conf for w in words) / len(words) if words else None
        out.append(TableCell(text=text, bbox=box, row=r, col=c, row_span=rs, col_span=cs,
                             conf=round(conf, 1) if conf is not None else None))
    return out


#: Ruling is looked for on a copy of the page reduced to about this resolution (lines stay
#: several pixels thick; the search then costs ~0.04 s on an A4 page instead of ~0.25 s).
SEARCH_DPI = 150


#: A cell read with a word under this confidence is read again alone.
REREAD_BELOW_CONF = 60
#: Height of one sheet of stacked cells (Tesseract refuses images over 32767 px high).
MAX_SHEET_PX = 20000


def _mean(words: list[engine.RawWord]) -> float:
    return sum(w.conf for w in words) / len(words) if words else 0.0


def _one_line(crop: np.ndarray, dpi: float) -> bool:
    """Whether a cell's ink is one short line (a number "3", "Năm 2026"): such cells are what a
    block read (psm 6) of the stacked crops misses or misreads ("3" as "°")."""
    rows = np.flatnonzero((crop < 128).any(axis=1))
    if not len(rows) or rows[-1] - rows[0] >= 0.3 * dpi:
        return False
    # two short lines ("Năm 2025 -" / "2026") leave a band of blank rows between them
    return not (np.diff(rows) > max(3, dpi / 50)).any()


def _reread_block(crop: np.ndarray, dpi: float, lang: str) -> list[engine.RawWord]:
    """Read a weak multi-line cell alone (psm 6), framed with white."""
    pad = max(10, round(dpi / 15))
    framed = cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    return [w for w in engine.recognize(framed, dpi, lang, psm=6) if any(ch.isalnum() for ch in w.text)]


def _reread_short(crop: np.ndarray, dpi: float, lang: str) -> list[engine.RawWord]:
    """Read a one-line cell alone, tightly framed: as a line (psm 7), then as one character."""
    ys, xs = np.nonzero(crop < 128)
    pad = max(10, round(dpi / 15))
    tight = crop[max(0, ys.min() - 2):ys.max() + 3, max(0, xs.min() - 2):xs.max() + 3]
    framed = cv2.copyMakeBorder(tight, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    best: list[engine.RawWord] = []
    for psm in (7, 10):
        words = [w for w in engine.recognize(framed, dpi, lang, psm=psm) if any(ch.isalnum() for ch in w.text)]
        if words and _mean(words) > _mean(best):
            best = words
        if best and _mean(best) >= REREAD_BELOW_CONF:
            break
    return best


def find_tables(gray: np.ndarray, dpi: float, lang: str = "vie") -> list[Table]:
    """Every ruled table of a (preprocessed, grayscale) page, read cell by cell."""
    factor = max(1, int(dpi // SEARCH_DPI))
    small = gray if factor == 1 else cv2.resize(gray, (gray.shape[1] // factor, gray.shape[0] // factor),
                                                interpolation=cv2.INTER_AREA)
    sdpi = dpi / factor
    horizontal, vertical = line_masks(small, sdpi)
    if not cv2.countNonZero(vertical) or not cv2.countNonZero(horizontal):
        return []  # no ruling at all: the common page pays only the masks
    grids = find_grids(horizontal, vertical, sdpi)
    if not grids:
        return []
    ruling = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    if factor > 1:
        ruling = cv2.resize(ruling, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    tables = []
    for grid in grids:
        cells = [(r, c, rs, cs, tuple(v * factor for v in box))
                 for r, c, rs, cs, box in grid_cells(grid, horizontal, vertical, sdpi)]
        read = read_cells(gray, cells, ruling, dpi, lang)
        if not any(cell.text for cell in read):
            continue  # a frame or a form without text is no table to read
        tables.append(Table(cells=read, bbox=tuple(v * factor for v in grid.bbox),
                            n_rows=len(grid.ys) - 1, n_cols=len(grid.xs) - 1))
    return tables


def tables_from_words(ruling_gray: np.ndarray, ruling_dpi: float, scale: float,
                      words: list[Word]) -> list[Table]:
    """Ruled tables of a born-digital page: the grid from a small render of the page (its vector
    ruling), each cell's text from the text layer's words whose centre lies in it (in the text
    layer's order). ``scale``: page pixels per pixel of ``ruling_gray``."""
    horizontal, vertical = line_masks(ruling_gray, ruling_dpi)
    if not cv2.countNonZero(vertical) or not cv2.countNonZero(horizontal):
        return []
    out = []
    for grid in find_grids(horizontal, vertical, ruling_dpi):
        cells = [(r, c, rs, cs, tuple(round(v * scale) for v in box))
                 for r, c, rs, cs, box in grid_cells(grid, horizontal, vertical, ruling_dpi)]
        texts: list[list[str]] = [[] for _ in cells]
        for word in words:
            if not word.bbox:
                continue
            cx, cy = (word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2
            for k, (_r, _c, _rs, _cs, (x0, y0, x1, y1)) in enumerate(cells):
                if x0 <= cx < x1 and y0 <= cy < y1:
                    texts[k].append(word.text)
                    break
        read = [TableCell(text=" ".join(t).replace(f" {CELL_SEPARATOR} ", " ").strip(), bbox=box, row=r, col=c,
                          row_span=rs, col_span=cs) for (r, c, rs, cs, box), t in zip(cells, texts)]
        if any(cell.text for cell in read):
            out.append(Table(cells=read, bbox=tuple(round(v * scale) for v in grid.bbox),
                             n_rows=len(grid.ys) - 1, n_cols=len(grid.xs) - 1))
    return out


def text_layer_tables(page, ruling_image, ruling_dpi: float, lines: list[tuple[list[Word], object]]
                      ) -> list[tuple[list[Word], object]]:
    """Set ``page.tables`` from a born-digital page's ruling (``ruling_image``, a small render)
    and its text-layer words; returns the lines without the words the tables took."""
    if not page.dpi:
        return lines
    page.tables = tables_from_words(np.asarray(ruling_image), ruling_dpi, page.dpi / ruling_dpi,
                                    [w for words, _ in lines for w in words])
    if not page.tables:
        return lines
    kept = [([w for w in words if not w.bbox or not inside(w.bbox, page.tables)], k) for words, k in lines]
    return [(words, k) for words, k in kept if words]


def inside(box: tuple[int, int, int, int], tables: list[Table]) -> bool:
    """Whether a word box's centre lies inside one of the tables."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(t.bbox[0] <= cx <= t.bbox[2] and t.bbox[1] <= cy <= t.bbox[3] for t in tables if t.bbox)


def row_fields(table: Table) -> list[list[TableCell | None]]:
    """Each grid row as one field per column it shows, aligned with the grid's columns.

    A cell spanning columns gives its field and then an empty one (None) per further column;
    a cell spanning rows gives empty fields in the rows below its top. A cell spanning every
    column (a group heading "I. NHIỆM VỤ CHUNG") is its row's only field.
    """
    grid: dict[tuple[int, int], TableCell] = {}
    for cell in table.cells:
        for r in range(cell.row, cell.row + cell.row_span):
            for c in range(cell.col, cell.col + cell.col_span):
                grid[(r, c)] = cell
    out = []
    for r in range(table.n_rows):
        fields: list[TableCell | None] = []
        c = 0
        while c < table.n_cols:
            cell = grid.get((r, c))
            if cell is None:
                fields.append(None)
                c += 1
                continue
            if cell.col_span == table.n_cols:
                fields = [cell] if cell.row == r else []
                break
            fields.append(cell if cell.row == r else None)
            fields.extend([None] * (cell.col_span - 1))
            c += cell.col_span
        out.append(fields)
    return out


def table_block(table: Table) -> Block:
    """The table as a block of the text output: one line per row, fields separated by " | "
    (see :func:`row_fields`); a row with no text at all is left out."""
    lines = []
    for fields in row_fields(table):
        if not any(f is not None and f.text for f in fields):
            continue
        words: list[Word] = []
        row_box = union_bbox([f.bbox for f in fields if f is not None])
        for k, cell in enumerate(fields):
            if k:
                box = cell.bbox if cell is not None and cell.bbox else row_box
                words.append(Word(CELL_SEPARATOR, (box[0], box[1], box[0] + 1, box[3]) if box else None, None))
            if cell is not None:
                words.extend(Word(t, cell.bbox, cell.conf) for t in cell.text.split())
        lines.append(Line(words=words, bbox=row_box))
    return Block(lines=lines, bbox=table.bbox, role="table")


def place_table_blocks(blocks: list[Block], tables: list[Table]) -> list[Block]:
    """Insert each table's block among the page's blocks by its height on the page (reading
    order: the table comes after the text above it and before the text below it)."""
    out = list(blocks)
    for table in tables:
        top = table.bbox[1] if table.bbox else 0
        at = next((i for i, b in enumerate(out) if b.bbox and b.role in ("body", "table")
                   and b.bbox[1] > top), None)
        if at is None:  # below every body block: before the closing blocks and page number
            at = next((i for i, b in enumerate(out) if b.role in ("recipients", "signature")
                       or (b.role == "page_number" and b.bbox and b.bbox[1] > top)), len(out))
        out.insert(at, table_block(table))
    return out


def map_table_boxes(tables: list[Table], map_blocks) -> None:
    """Map the tables' boxes with the page's box mapper (``map_blocks(list[Block])``, which
    maps word boxes back through deskew and upscaling)."""
    for table in tables:
        carriers = [Word("", c.bbox) for c in table.cells if c.bbox]
        frame = Word("", table.bbox) if table.bbox else None
        probe = Block(lines=[Line(words=carriers + ([frame] if frame else []))])
        map_blocks([probe])
        it = iter(carriers)
        for cell in table.cells:
            if cell.bbox:
                cell.bbox = next(it).bbox
        if frame:
            table.bbox = frame.bbox
