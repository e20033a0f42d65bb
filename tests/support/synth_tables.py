"""Ruled tables rendered for tests and measurements (vanban.ocr.tables, vanban.extract.table).

Like :mod:`tests.support.synth`, it needs Debian's ``fonts-liberation2`` for the Vietnamese letters.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from .synth import load_font, wrap_text

#: The columns plans use for their task tables.
TASK_HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
               "Sản phẩm"]


def render_table_page(rows, widths_in, dpi=300, pt=12, landscape=False, above=(), below=(),
                      header=TASK_HEADER):
    """A page with text lines above, a ruled table, text lines below.

    ``rows``: lists of cell texts; a str is a row spanning the whole table (a group heading);
    a cell ``None`` is covered by the cell above it (that cell spans both rows).
    Returns the image and the truth: {(row, col): text} for every cell that starts there.
    """
    page_w, page_h = (11.69, 8.27) if landscape else (8.27, 11.69)
    img = Image.new("L", (round(page_w * dpi), round(page_h * dpi)), 255)
    draw = ImageDraw.Draw(img)
    font, bold = load_font(pt, dpi), load_font(pt, dpi, "bold")
    line_h, pad, width = round(pt / 72 * dpi * 1.25), round(0.06 * dpi), max(2, dpi // 150)
    x0, y = round(0.7 * dpi), round(0.8 * dpi)
    for text in above:
        draw.text((x0, y), text, font=font, fill=0)
        y += line_h
    y += line_h
    xs = [x0]
    for w in widths_in:
        xs.append(xs[-1] + round(w * dpi))
    all_rows = ([header] if header else []) + list(rows)
    heights, wrapped_rows = [], []
    for k, cells in enumerate(all_rows):
        f = bold if (header and k == 0) or isinstance(cells, str) else font
        if isinstance(cells, str):
            wrapped = [wrap_text(cells, f, xs[-1] - xs[0] - 2 * pad)]
        else:
            wrapped = [wrap_text(t, f, xs[i + 1] - xs[i] - 2 * pad) if t else []
                       for i, t in enumerate(cells)]
        wrapped_rows.append((wrapped, f))
        heights.append(max(1, max(len(w) for w in wrapped)) * line_h + 2 * pad)
    ys = [y]
    for h in heights:
        ys.append(ys[-1] + h)
    truth = {}
    for r, (cells, (wrapped, f)) in enumerate(zip(all_rows, wrapped_rows)):
        spans = [(xs[0], xs[-1])] if isinstance(cells, str) else [(xs[i], xs[i + 1]) for i in range(len(cells))]
        for c, ((a, _b), lines) in enumerate(zip(spans, wrapped)):
            for j, text in enumerate(lines):
                draw.text((a + pad, ys[r] + pad + j * line_h), text, font=f, fill=0)
            if lines:
                truth[(r, c)] = " ".join(lines)
    for r in range(len(all_rows) + 1):  # horizontal lines, open under a cell that spans down
        below_cells = all_rows[r] if r < len(all_rows) else None
        for c in range(len(xs) - 1):
            if isinstance(below_cells, list) and below_cells[c] is None:
                continue
            draw.line([(xs[c], ys[r]), (xs[c + 1], ys[r])], fill=0, width=width)
    for r, cells in enumerate(all_rows):  # vertical lines, inner ones left out of group rows
        for k, x in enumerate(xs):
            if isinstance(cells, str) and 0 < k < len(xs) - 1:
                continue
            draw.line([(x, ys[r]), (x, ys[r + 1])], fill=0, width=width)
    y = ys[-1] + line_h
    for text in below:
        draw.text((x0, y), text, font=font, fill=0)
        y += line_h
    return img, truth
