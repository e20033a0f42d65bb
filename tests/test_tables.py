"""Ruled task tables: the ocr stage reads them cell by cell (vanban.ocr.tables), extract turns
their rows into tasks (vanban.extract.table).

Pages are rendered here (PIL, Liberation Serif from fonts-liberation2): a ruled table with the
columns plans use (STT / Nội dung nhiệm vụ / Cơ quan chủ trì / Cơ quan phối hợp / Thời gian hoàn
thành / Sản phẩm), multi-line cells, group rows spanning the table, a lead agency cell spanning
two rows, portrait and landscape pages, and a table continued over two pages. OCR is real
Tesseract.
"""

from __future__ import annotations

import json
import unicodedata

import numpy as np
import pytest
from click.testing import CliRunner

from vanban.cli import main
from vanban.extract import extract_record
from vanban.extract.table import column_roles
from vanban.model import Document, Page
from vanban.ocr import OcrOptions, ocr_image
from vanban.ocr.tables import find_tables
from tests.support.synth import save_pdf
from tests.support.synth_tables import TASK_HEADER, render_table_page

HEADER = TASK_HEADER
ROWS = [
    ["1", "Xây dựng cơ sở dữ liệu văn bản quy phạm pháp luật của tỉnh", "Sở Tư pháp",
     "Sở Khoa học và Công nghệ; Văn phòng UBND tỉnh", "Quý II năm 2026", "Cơ sở dữ liệu"],
    ["2", "Tổ chức tập huấn kỹ năng số cho cán bộ, công chức cấp xã", "Sở Nội vụ",
     "UBND các huyện, thị xã, thành phố", "Năm 2026", "Báo cáo kết quả"],
    ["3", "Rà soát, đánh giá hiện trạng hạ tầng kỹ thuật thoát nước đô thị", "Sở Xây dựng",
     "Sở Tài chính; Sở Nông nghiệp và Môi trường", "Tháng 6/2026", "Báo cáo đánh giá"],
    ["4", "Nâng cấp hệ thống thông tin giải quyết thủ tục hành chính", "Văn phòng UBND tỉnh",
     "Công an tỉnh", "Hằng năm", "Hệ thống được nâng cấp"],
]
PORTRAIT_WIDTHS = [0.45, 2.3, 1.15, 1.5, 1.05, 0.95]
LANDSCAPE_WIDTHS = [0.5, 3.0, 1.5, 2.0, 1.3, 1.3]


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_column_roles_from_header_words():
    assert column_roles(HEADER) == {0: "number", 1: "content", 2: "lead", 3: "partners",
                                    4: "timeframe", 5: "product"}
    # other wordings of the same columns
    assert column_roles(["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Kết quả"]) == \
        {0: "number", 1: "content", 2: "lead", 3: "partners", 4: "timeframe", 5: "product"}
    # a two-row header joined: "Cơ quan thực hiện" over "Chủ trì" / "Phối hợp"
    assert column_roles(["Cơ quan thực hiện Chủ trì", "Cơ quan thực hiện Phối hợp"]) == {0: "lead", 1: "partners"}
    assert column_roles(["Tiến độ", "Ghi chú"]) == {0: "timeframe", 1: "note"}


def test_every_cell_whole_in_its_row_and_column():
    """Real Tesseract on a rendered ruled table: each cell's text, multi-line cells included,
    comes out whole in its row and column."""
    img, truth = render_table_page(ROWS, PORTRAIT_WIDTHS)
    tables = find_tables(np.asarray(img), 300)
    assert len(tables) == 1
    table = tables[0]
    assert (table.n_rows, table.n_cols) == (len(ROWS) + 1, len(HEADER))
    got = {(c.row, c.col): _nfc(c.text) for c in table.cells}
    assert set(got) == set(truth)
    assert any(" " in t and len(t) > 40 for t in truth.values())  # multi-line cells are in play
    wrong = {rc: (got[rc], _nfc(t)) for rc, t in truth.items() if got[rc] != _nfc(t)}
    assert not wrong


def test_page_with_table_reading_order_and_json():
    """ocr_image: text above, the table's rows (cells joined by " | ") in place, text below;
    the table's words are not read again across the columns; Page.tables round-trips."""
    rows = ["I. NHIỆM VỤ CHUNG"] + ROWS[:2] + ["II. NHIỆM VỤ CỤ THỂ"] + ROWS[2:3]
    img, truth = render_table_page(rows, LANDSCAPE_WIDTHS, landscape=True,
                                   above=["PHỤ LỤC", "Danh mục nhiệm vụ triển khai Kế hoạch"],
                                   below=["Ghi chú: các cơ quan báo cáo kết quả trước ngày 15/12."])
    page = ocr_image(img, OcrOptions(), dpi=300)
    lines = page.text.split("\n")
    assert lines[0] == "PHỤ LỤC"
    assert lines[2] == " | ".join(HEADER)
    assert lines[3] == "I. NHIỆM VỤ CHUNG"
    assert lines[4] == " | ".join(ROWS[0])
    assert lines[6] == "II. NHIỆM VỤ CỤ THỂ"
    assert lines[7] == " | ".join(ROWS[2])
    assert lines[8].startswith("Ghi chú")
    assert page.text.count("Sở Tư pháp") == 1
    [table] = page.tables
    group = next(c for c in table.cells if c.text == "I. NHIỆM VỤ CHUNG")
    assert (group.row, group.col, group.col_span) == (1, 0, len(HEADER))
    # boxes on the page, cells inside the table
    assert all(table.bbox[0] <= c.bbox[0] < c.bbox[2] <= table.bbox[2] + 1 for c in table.cells)
    again = Page.from_dict(json.loads(json.dumps(page.to_dict())))
    assert again.tables == page.tables and again.text == page.text


def test_cell_spanning_two_rows_gives_both_tasks_its_lead(tmp_path):
    rows = [ROWS[0], ["2", ROWS[1][1], None, ROWS[1][3], ROWS[1][4], ROWS[1][5]]]
    img, _ = render_table_page(rows, LANDSCAPE_WIDTHS, landscape=True, above=["PHỤ LỤC"])
    page = ocr_image(img, OcrOptions(), dpi=300)
    lead = next(c for c in page.tables[0].cells if c.text == "Sở Tư pháp")
    assert lead.row_span == 2
    record = extract_record(Document(source="<page>", pages=[page]))
    assert [t.lead for t in record.tasks] == [["Sở Tư pháp"], ["Sở Tư pháp"]]
    assert record.tasks[1].partners == ["UBND các huyện, thị xã, thành phố"]


def test_vanban_run_table_continued_over_pages(tmp_path):
    """Two landscape pages: the header only on the first, a row cut by the page break, a group
    row on the second page; rows become tasks with lead, partners, timeframe and product."""
    page1, _ = render_table_page(["I. NHIỆM VỤ CHUNG"] + ROWS[:2], LANDSCAPE_WIDTHS, landscape=True,
                                 above=["PHỤ LỤC", "Danh mục nhiệm vụ triển khai Kế hoạch số 12/KH-UBND"])
    cut = ["", "và các văn bản hướng dẫn thi hành", "", "Sở Thông tin và Truyền thông", "", ""]
    page2, _ = render_table_page([cut, "II. NHIỆM VỤ CỤ THỂ"] + ROWS[2:], LANDSCAPE_WIDTHS,
                                 landscape=True, header=None)
    pdf = tmp_path / "phu-luc.pdf"
    save_pdf([page1, page2], pdf, 300)
    result = CliRunner().invoke(main, ["run", str(pdf)])
    assert result.exit_code == 0, result.output
    tasks = json.loads(result.output)["tasks"]
    assert [t["path"] for t in tasks] == ["I.1", "I.2", "II.3", "II.4"]
    first, second, third, fourth = tasks
    assert first["lead"] == ["Sở Tư pháp"]
    assert first["partners"] == ["Sở Khoa học và Công nghệ", "Văn phòng UBND tỉnh"]
    assert first["timeframe"] == "Quý II năm 2026" and first["product"] == "Cơ sở dữ liệu"
    assert second["text"].endswith("cấp xã và các văn bản hướng dẫn thi hành")
    assert second["partners"] == ["UBND các huyện, thị xã, thành phố", "Sở Thông tin và Truyền thông"]
    assert {r["page"] for r in second["provenance"]} == {1, 2}
    assert third["lead"] == ["Sở Xây dựng"] and third["timeframe"] == "Tháng 6/2026"
    assert fourth["lead"] == ["Văn phòng UBND tỉnh"] and fourth["timeframe"] == "Hằng năm"


@pytest.mark.slow
def test_landscape_table_scanned_sideways():
    """A landscape table page scanned in portrait (turned by 90°) is turned back and read."""
    img, _ = render_table_page(ROWS[:2], LANDSCAPE_WIDTHS, landscape=True, above=["PHỤ LỤC"])
    page = ocr_image(img.rotate(90, expand=True), OcrOptions(), dpi=300)
    assert page.preprocessing["rotation"] in (90, 270)
    assert " | ".join(ROWS[1]) in page.text.split("\n")


# The opening (kind, title, purpose) and the closing section of the two plans below: they differ
# only in how the header and the task table are laid out.
PLAN_OPENING = """KẾ HOẠCH
Chuyển đổi số năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao hiệu quả quản lý nhà nước trên môi trường số.
"""
PLAN_CLOSING = """III. TỔ CHỨC THỰC HIỆN
1. Các sở, ngành triển khai thực hiện Kế hoạch này.
"""

TEXT_PLAN = """ỦY BAN NHÂN DÂN TỈNH AN GIANG
Số: 12/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
An Giang, ngày 5 tháng 3 năm 2026
""" + PLAN_OPENING + """2. Yêu cầu
- Bảo đảm tiến độ và chất lượng các nhiệm vụ.
II. NHIỆM VỤ
Các nhiệm vụ cụ thể tại Phụ lục kèm theo.
TT | Nhiệm vụ | Cơ quan thực hiện | | Thời hạn | Kết quả
 | | Chủ trì | Phối hợp | |
(1) | (2) | (3) | (4) | (5) | (6)
A. CẤP TỈNH
1 | Xây dựng kho dữ liệu dùng chung | Sở Khoa học và Công nghệ | Các sở, ban, ngành | Quý III/2026 | Kho dữ liệu
2 | Số hóa hồ sơ lưu trữ lịch sử | Sở Nội vụ | Sở Tài chính, Sở Tư pháp | Năm 2026 | Dữ liệu số hóa
\f2
TT | Nhiệm vụ | Cơ quan thực hiện | | Thời hạn | Kết quả
 | | Chủ trì | Phối hợp | |
B. CẤP XÃ
1 | Rà soát thủ tục hành chính cấp xã | Ủy ban nhân dân các xã, phường | Công an tỉnh | Thường xuyên | Báo cáo
""" + PLAN_CLOSING


def test_text_layer_pipe_table_becomes_tasks():
    """A text layer's table written with "|": a two-row header, a column-number row, group rows
    and the header repeated on the next page; the rest of the plan is read as before."""
    record = extract_record(TEXT_PLAN)
    assert [t.path for t in record.tasks] == ["A.1", "A.2", "B.1"]
    a1, a2, b1 = record.tasks
    assert a1.title == "Xây dựng kho dữ liệu dùng chung"
    assert a1.lead == ["Sở Khoa học và Công nghệ"] and a1.partners == ["Các sở, ban, ngành"]
    assert a1.timeframe == "Quý III/2026" and a1.product == "Kho dữ liệu"
    assert a2.partners == ["Sở Tài chính", "Sở Tư pháp"]
    assert b1.lead == ["Ủy ban nhân dân các xã, phường"] and b1.timeframe == "Thường xuyên"
    assert b1.provenance[0]["page"] == 2
    assert record.purposes == ["Nâng cao hiệu quả quản lý nhà nước trên môi trường số."]
    assert record.document["number"] == "12/KH-UBND"
    # the table's rows are not read as paragraphs of section II or III
    assert not any("|" in x for x in record.implementation + record.requirements)


def test_header_laid_out_as_a_table_is_no_task_table():
    text = ("ỦY BAN NHÂN DÂN TỈNH AN GIANG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM | \n"
            "Số: 7/KH-UBND | Độc lập - Tự do - Hạnh phúc | \n"
            "An Giang, ngày 5 tháng 3 năm 2026 | | \n"
            "KẾ HOẠCH\nThí điểm\nI. MỤC ĐÍCH\n1. Mục đích\n- Thí điểm mô hình mới.\n")
    record = extract_record(text)
    assert record.tasks == []


def _born_digital_table_pdf(path, header, rows, widths_pt, x0=40, y0=120, row_h=(28, 40), size=9):
    """A landscape born-digital page: a title, then a table drawn with vector rules (pdfium path
    objects) and real text (text objects, an embedded Liberation font), cells wrapped to their
    column by PIL's advance widths. Returns the text of each cell as laid out."""
    from PIL import ImageFont

    from tests.support.pdf_text import TextPdf
    from tests.support.synth import font_path

    pdf = TextPdf(842, 595)
    measure = ImageFont.truetype(str(font_path()), size)

    def text(x, y, s):
        pdf.text(x, y, size, s)

    rule = pdf.rule

    def wrap(s, width):
        lines, cur = [], ""
        for word in s.split():
            trial = f"{cur} {word}".strip()
            if cur and measure.getlength(trial) > width:
                lines.append(cur)
                cur = word
            else:
                cur = trial
        return lines + ([cur] if cur else [])

    text(x0, 60, "PHỤ LỤC")
    text(x0, 75, "Danh mục nhiệm vụ (Kèm theo Kế hoạch số 12/KH-UBND)")
    xs = [x0]
    for w in widths_pt:
        xs.append(xs[-1] + w)
    y = y0
    ys = [y]
    for cells in [header] + rows:
        wrapped = [wrap(c, xs[i + 1] - xs[i] - 6) for i, c in enumerate(cells)]
        h = max(len(w) for w in wrapped) * (size + 3) + 8
        for i, lines in enumerate(wrapped):
            for k, ln in enumerate(lines):
                text(xs[i] + 3, y + 4 + (k + 1) * (size + 3) - 3, ln)
        y += h
        ys.append(y)
    for yy in ys:
        rule(xs[0], yy, xs[-1], yy)
    for xx in xs:
        rule(xx, ys[0], xx, ys[-1])
    pdf.save(path)


def test_born_digital_pdf_table_from_text_layer_and_rules(tmp_path):
    """A born-digital PDF's ruled table: the grid from its vector rules, each cell's text from
    the text layer (no OCR); the rows become tasks through `vanban run`."""
    pdf = tmp_path / "phu-luc.pdf"
    _born_digital_table_pdf(pdf, HEADER, ROWS, [30, 250, 110, 150, 90, 100])
    from vanban.ocr import ocr_file
    page = ocr_file(pdf, OcrOptions()).pages[0]
    assert page.source == "text-layer"
    [table] = page.tables
    assert (table.n_rows, table.n_cols) == (len(ROWS) + 1, len(HEADER))
    got = {(c.row, c.col): c.text for c in table.cells}
    for r, row in enumerate([HEADER] + ROWS):
        for c, text in enumerate(row):
            assert got[(r, c)] == text
    lines = page.text.split("\n")
    assert lines[:2] == ["PHỤ LỤC", "Danh mục nhiệm vụ (Kèm theo Kế hoạch số 12/KH-UBND)"]
    assert lines[2] == " | ".join(HEADER) and lines[3] == " | ".join(ROWS[0])
    result = CliRunner().invoke(main, ["run", str(pdf)])
    assert result.exit_code == 0, result.output
    tasks = json.loads(result.output)["tasks"]
    assert [t["path"] for t in tasks] == ["1", "2", "3", "4"]
    assert tasks[2]["lead"] == ["Sở Xây dựng"]
    assert tasks[2]["partners"] == ["Sở Tài chính", "Sở Nông nghiệp và Môi trường"]
    assert tasks[3]["timeframe"] == "Hằng năm" and tasks[3]["product"] == "Hệ thống được nâng cấp"


LAYOUT_PLAN = """ỦY BAN NHÂN DÂN TỈNH AN GIANG          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 12/KH-UBND                              Độc lập - Tự do - Hạnh phúc
                                        An Giang, ngày 5 tháng 3 năm 2026
""" + PLAN_OPENING + """II. NHIỆM VỤ
Các nhiệm vụ cụ thể như sau:

 TT   Nhiệm vụ                        Cơ quan          Cơ quan phối hợp    Thời hạn
                                      chủ trì

 I.   NHIỆM VỤ CHUNG
 1    Xây dựng kho dữ liệu dùng       Sở Khoa học và   Các sở, ban, ngành  Quý III/2026
      chung của tỉnh                  Công nghệ
 2    Số hóa hồ sơ lưu trữ lịch sử    Sở Nội vụ        Sở Tài chính, Sở Tư Năm 2026
                                                       pháp

""" + PLAN_CLOSING


def test_layout_columns_table_becomes_tasks():
    """A table whose columns are only aligned with spaces (as `pdftotext -layout` writes it):
    a head wrapped over two lines, cells wrapped over two lines, a cell running up to one space
    before the next column."""
    record = extract_record(LAYOUT_PLAN)
    assert [t.path for t in record.tasks] == ["I.1", "I.2"]
    first, second = record.tasks
    assert first.text == "Xây dựng kho dữ liệu dùng chung của tỉnh"
    assert first.lead == ["Sở Khoa học và Công nghệ"] and first.partners == ["Các sở, ban, ngành"]
    assert first.timeframe == "Quý III/2026"
    assert second.partners == ["Sở Tài chính", "Sở Tư pháp"] and second.timeframe == "Năm 2026"
    assert record.purposes == ["Nâng cao hiệu quả quản lý nhà nước trên môi trường số."]


def test_pdftotext_layout_of_a_born_digital_table(tmp_path):
    """`pdftotext -layout` of a born-digital table, read by `vanban extract` from a text file."""
    import shutil
    import subprocess
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils, scripts/install.sh) is needed")
    pdf, txt = tmp_path / "t.pdf", tmp_path / "t.txt"
    _born_digital_table_pdf(pdf, HEADER, ROWS, [30, 250, 110, 150, 90, 100])
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                            check=True).stdout
    assert "Văn phòng Quý II" in layout  # a cell runs up to one space before the next column
    txt.write_text(layout, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(txt)])
    assert result.exit_code == 0, result.output
    tasks = json.loads(result.output)["tasks"]
    assert [t["lead"] for t in tasks] == [[r[2]] for r in ROWS]
    assert tasks[0]["partners"] == ["Sở Khoa học và Công nghệ", "Văn phòng UBND tỉnh"]
    assert [t["timeframe"] for t in tasks] == [r[4] for r in ROWS]
    assert [t["product"] for t in tasks] == [r[5] for r in ROWS]
