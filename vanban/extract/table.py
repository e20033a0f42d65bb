"""Tasks from an appendix table flattened to text ("STT | NHIỆM VỤ | CHỦ TRÌ | PHỐI HỢP | THỜI GIAN").

Rendered or OCRed tables lose their columns; rows are recovered from their numbering (roman
group rows, arabic task rows), the timeframe from the row's end, and lead / partners from the
agency names that follow the task's last sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Document, Task
from .agencies import (agency_spans, dedupe, gazetteer_spans, head_starts, normalize_agency,
                       only_agencies, split_agencies, tokenize)
from .layout import Para
from .text import clean, fold, int_to_roman, key, load_patterns, opens_with

_GROUP = re.compile(r"(?:^|\s)([IVX]{1,5})[\]|)]?\s+(?=[A-ZĐÀ-Ỹ]{2,}\s)")
# a row starts at its number before a capitalised word ("1 Rà soát"; OCR may cap the whole
# first syllable: "1 RÀ soát")
_ROW = re.compile(r"(?:^|(?<=[\s.]))(\d{1,2})\s+(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ]|[A-ZĐÀ-Ỹ]{2,4}\s+[a-zà-ỹđ])")
_TIME = re.compile(r"\s((?:Thường xuyên|Hằng năm|Hàng năm|Định kỳ|Quý\s+[IV]+(?:/|\s+năm\s+)?\d{0,4}|"
                   r"(?:Năm\s+)?\d{4}(?:\s*[-–]\s*\d{4})?)(?:\s*;\s*[^;]{1,30})?)\s*$")
_PRIMARY = {"sở", "ủy", "uỷ", "ubnd", "ban", "liên", "hiệp", "viện", "doanh", "công", "bộ", "trung", "các", "hội",
            "trường"}


def _split_lead(rest: str, known: list[str]) -> tuple[str, str]:
    low = key(rest)
    best = ""
    for name in known:
        k = key(name)
        if k and low.startswith(k) and len(k) > len(key(best)):
            best = name
    if best:
        # cut after as many words as the known name has
        n = len(best.split())
        words = rest.split()
        return " ".join(words[:n]).strip(" ,;"), " ".join(words[n:])
    tokens, starts = head_starts(rest)
    for i in range(2, len(tokens)):
        if i in starts and tokens[i][0][:1].isupper() and tokens[i][0].lower() in _PRIMARY \
                and tokens[i - 1][0] not in (",", ";") and tokens[i - 1][0].lower() != "và":
            return rest[:tokens[i][1]].strip(" ,;"), rest[tokens[i][1]:]
    return rest.strip(), ""


def appendix_tasks(appendix: list[Para], known_agencies: list[str] | None = None) -> list[Task]:
    """Tasks of an appendix table whose header names CHỦ TRÌ and PHỐI HỢP columns."""
    start = None
    for i, p in enumerate(appendix):
        k = key(p.text)
        if "chu tri" in k and "phoi hop" in k and ("stt" in k or "tt" in k.split()):
            start = i
            break
    if start is None:
        return []
    paras = appendix[start:]
    text = clean(" ".join(p.text for p in paras))
    refs = [r for p in paras for r in p.refs]
    f = fold(text).upper()
    h = re.search(r"TH\S{1,3}\s+GIAN", f)  # "THỜI GIAN", OCR "THÔ! GIAN"
    text = text[h.end():] if h else text
    known = list(known_agencies or [])
    tasks: list[Task] = []
    pieces = _GROUP.split(text)
    # pieces: [pre, 'I', group text, 'II', group text, ...]
    for gi in range(1, len(pieces) - 1, 2):
        group, body = pieces[gi], pieces[gi + 1]
        rows = _ROW.split(body)
        for ri in range(1, len(rows) - 1, 2):
            num, row = rows[ri], clean(rows[ri + 1])
            timeframe = None
            mt = _TIME.search(" " + row)
            if mt:
                timeframe = mt.group(1).strip()
                row = (" " + row)[:mt.start()].strip()
            cut = None
            for m in re.finditer(r"[.;]\s+", row):
                tail = row[m.end():]
                toks, starts = head_starts(tail)
                if 0 in starts and toks[0][0][:1].isupper():
                    cut = m
                    break
            if cut is None:
                title, agencies = row, ""
            else:
                title, agencies = row[:cut.start() + 1], row[cut.end():]
            lead_text, partner_text = _split_lead(agencies, known)
            lead = split_agencies(lead_text) if lead_text else []
            partners = split_agencies(partner_text) if partner_text else []
            tasks.append(Task(path=f"{group}.{num}", title=title.strip(), text=title.strip(), lead=lead,
                              partners=partners, lead_ids=[normalize_agency(a) for a in lead],
                              partner_ids=[normalize_agency(a) for a in partners],
                              timeframe=timeframe, provenance=refs))
    return tasks


# ---------------------------------------------------------------------------------------------
# Ruled task tables kept as tables: the ocr stage's cells (Page.tables, rendered as " | " rows
# in a "table" block) or a text layer's rows written with "|" separators. Header columns are
# recognised by their words (patterns/table_columns.json); rows become tasks.
# ---------------------------------------------------------------------------------------------

_COLUMNS = load_patterns("table_columns")
_COLUMN_NUMBER = re.compile(_COLUMNS["column_number_row"])
_GROUP_MARKER = re.compile(_COLUMNS["group_marker"])
#: A line is a table row when it holds at least this many "|"-separated fields.
MIN_FIELDS = 3


@dataclass
class TableRow:
    """One row of a table: its fields (one per column, "" when empty), where it came from, and
    the columns whose value continues from the row above (a cell spanning rows)."""
    fields: list[str]
    refs: list[dict] = field(default_factory=list)
    continued: set[int] = field(default_factory=set)
    page: int | None = None


@dataclass
class TextTable:
    rows: list[TableRow]
    #: Indexes (into the document's lines) of the lines the table was read from.
    line_indexes: list[int] = field(default_factory=list)
    #: Set by :func:`table_tasks` when the table is (or continues) a task table.
    is_task_table: bool = False


def split_row(text: str) -> list[str]:
    """The fields of a rendered row ("1 | Xây dựng ... | | Quý IV" -> ["1", "Xây dựng ...", "", "Quý IV"])."""
    return [f.strip() for f in text.split("|")]


def column_roles(texts: list[str]) -> dict[int, str]:
    """Column index -> role (number, content, lead, partners, timeframe, product, note) from the
    header texts of the columns, by their words."""
    roles: dict[int, str] = {}
    for i, text in enumerate(texts):
        k = f" {key(text)} "
        for role in _COLUMNS["order"]:
            if any(f" {phrase} " in k for phrase in _COLUMNS["columns"][role]):
                if role not in roles.values():
                    roles[i] = role
                break
    return roles


def _is_task_header(roles: dict[int, str]) -> bool:
    have = set(roles.values())
    return "content" in have and bool(have & {"lead", "timeframe", "partners"})


def _span_map(doc: Document) -> dict[tuple[int, int], set[int]]:
    """(page, line number on the page) of each row line of an OCR table block -> the columns
    whose cell spans down into it from a row above (from Page.tables)."""
    from ..ocr.tables import row_fields
    out: dict[tuple[int, int], set[int]] = {}
    for page in doc.pages:
        tables = iter(page.tables)
        n = 0
        for block in page.blocks:
            if block.role != "table":
                n += len(block.lines)
                continue
            table = next(tables, None)
            shown = [(r, f) for r, f in enumerate(row_fields(table))
                     if any(c is not None and c.text for c in f)] if table else []
            for k, _line in enumerate(block.lines):
                n += 1
                if k >= len(shown):
                    continue
                r, fields = shown[k]
                covered = {c for c, cell in enumerate(fields) if cell is None and any(
                    x.row < r < x.row + x.row_span and x.col <= c < x.col + x.col_span for x in table.cells)}
                if covered:
                    out[(page.number, n)] = covered
    return out


def _table_block_lines(doc: Document) -> set[tuple[int, int]]:
    """(page, line number on the page) of every line of the ocr stage's table blocks."""
    out = set()
    for page in doc.pages:
        n = 0
        for block in page.blocks:
            for _line in block.lines:
                n += 1
                if block.role == "table":
                    out.add((page.number, n))
    return out


def find_text_tables(lines: list, doc: Document | None = None) -> list[TextTable]:
    """Tables written as rows of "|"-separated fields among the document's lines (the ocr
    stage's table blocks, or a text layer's tables). A single line without "|" between two
    rows is a row spanning the table (a group heading)."""
    ocr_tables = doc is not None and any(p.tables for p in doc.pages)
    spans = _span_map(doc) if ocr_tables else {}
    in_blocks = _table_block_lines(doc) if ocr_tables else set()
    tables: list[TextTable] = []
    i = 0
    n = len(lines)

    def is_row(j: int) -> bool:
        if j >= n:
            return False
        # a line of an ocr table block is a row even with one field (a group row spanning it)
        return (lines[j].ref.get("page"), lines[j].ref.get("line")) in in_blocks \
            or len(split_row(lines[j].text)) >= MIN_FIELDS

    while i < n:
        if not is_row(i):
            i += 1
            continue
        rows: list[TableRow] = []
        idx: list[int] = []
        while i < n:
            if rows and lines[i].ref.get("page") != rows[-1].page:
                break  # a table continued on the next page is a table of its own there
            if is_row(i):
                ln = lines[i]
                rows.append(TableRow(split_row(ln.text), [ln.ref],
                                     spans.get((ln.ref.get("page"), ln.ref.get("line")), set()),
                                     ln.ref.get("page")))
                idx.append(i)
                i += 1
            elif is_row(i + 1) and len(lines[i].text) <= 160:
                ln = lines[i]
                rows.append(TableRow([ln.text], [ln.ref], set(), ln.ref.get("page")))
                idx.append(i)
                i += 1
            else:
                break
        if len(rows) >= 2:
            tables.append(TextTable(rows=rows, line_indexes=idx))
    return tables


_GROUP_NUMBER = re.compile(r"^(?:[IVXLC]{1,6}|[A-HK-ZĐ])[.)]?$")


def _group_row(fields: list[str], col: dict[str, int]) -> str | None:
    """The text of a group row ("I. NHIỆM VỤ CHUNG" across the table, or "I | Nhiệm vụ chung"
    with the other cells empty), with its number in front; None for other rows."""
    nonempty = [x for x in fields if x]
    if len(fields) == 1 and nonempty:
        return nonempty[0]
    number = fields[col["number"]] if "number" in col and col["number"] < len(fields) else ""
    content = fields[col["content"]] if "content" in col and col["content"] < len(fields) else ""
    if number and _GROUP_NUMBER.match(number) and len(nonempty) <= 2 and (content or len(nonempty) == 1):
        return f"{number.rstrip('.)')}. {content}".strip()
    if len(nonempty) == 1 and nonempty[0] != content and nonempty[0] != number:
        return nonempty[0]  # the heading sits in another column of a row left open
    return None


def _in_sequence(number: str, last: int | None) -> str:
    """Rows are numbered 1, 2, 3 ...: a row number that breaks the sequence by one misread digit
    ("8" after 2, "2" after 4 — the small `vie` model confuses lone digits) is the next number.
    A new start at 1, a number that differs in more than one digit, and the first number of a
    group (``last`` None: groups restart at 1 or go on) stay as read."""
    digits = re.sub(r"\D", "", number)
    if len(number) <= 3 and not number.isdigit():
        # a row number misread with a letter ("1Ì", "D" for "5"): its digits, or the next one
        if digits:
            number = digits
        elif last is not None:
            return str(last + 1)
    if last is None or not number.isdigit() or int(number) in (last + 1, 1):
        return number
    expected = str(last + 1)
    if len(expected) == len(number) and sum(a != b for a, b in zip(expected, number)) == 1:
        return expected
    return number


def _first_sentence(text: str) -> str:
    """The task cell up to its first full stop (a ";" or ":" before a capital goes on: "… chứng
    thực; Nâng cấp hệ thống …", "… liên thông điện tử: Đăng ký khai sinh …")."""
    m = re.search(r"\.\s+(?=[A-ZĐÀ-Ỹ])", text)
    return text[:m.start() + 1].rstrip(";:") if m and m.start() > 20 else text


def _number(text: str) -> str:
    return text.strip().rstrip(".)")


def table_tasks(tables: list[TextTable]) -> list[Task]:
    """Tasks from task tables: one per row with content, columns -> lead, partners, timeframe,
    product. A table without a header row continues the one before it (same number of columns:
    a table continued over pages); a repeated header row is skipped; a continued table whose
    first row has no number continues the last task (a row cut by the page break)."""
    tasks: list[Task] = []
    roles: dict[int, str] | None = None
    n_cols = 0
    group = ""
    groups = 0
    group_style = "roman"
    auto = 0
    last_number: int | None = 0
    for table in tables:
        rows = table.rows
        found = None
        for h, row in enumerate(rows[:4]):
            r = column_roles(row.fields)
            if len(row.fields) >= MIN_FIELDS and _is_task_header(r):
                found = (h, r)
                break
        if found is not None:
            h, roles = found
            n_cols = len(rows[h].fields)
            body = rows[h + 1:]
            # a second header row ("Chủ trì | Phối hợp" under "Cơ quan thực hiện") refines it
            if body and not _number(body[0].fields[0]).isdigit() and len(body[0].fields) == n_cols:
                lower = column_roles(body[0].fields)
                if lower and not any(re.search(r"\d{4}", f) for f in body[0].fields):
                    roles = {**roles, **lower}
                    body = body[1:]
            starts_new = True
        elif roles is not None and any(len(r.fields) == n_cols for r in rows):
            body = rows
            starts_new = False
        else:
            continue
        table.is_task_table = True
        col = {role: i for i, role in roles.items()}
        prev_fields: list[str] | None = None
        for k, row in enumerate(body):
            f = row.fields
            nonempty = [x for x in f if x]
            if not nonempty:
                continue
            if len(f) >= MIN_FIELDS and all(_COLUMN_NUMBER.match(x) for x in nonempty) and len(nonempty) >= 3:
                continue  # "(1) | (2) | (3) ..." under the header
            if len(f) >= MIN_FIELDS and _is_task_header(column_roles(f)):
                continue  # the header repeated on a new page
            group_text = _group_row(f, col)
            if group_text is not None:
                m = _GROUP_MARKER.match(group_text)
                groups += 1
                # groups are numbered I, II, ... or A, B, ... in order: a group is numbered by
                # its place in the sequence the first group set, so OCR misreads ("1." or "L."
                # for "I.", "H." or "IH." for "II.") and unnumbered groups get their number
                read = m.group(1) if m else None
                if groups == 1:  # the first group is "I." or "A." ("L.", "1." are OCR's "I.")
                    group_style = "letter" if read == "A" else "roman"
                expected = chr(ord("A") + groups - 1) if group_style == "letter" else int_to_roman(groups)
                group = expected
                prev_fields = None
                last_number = None  # a group may restart at 1 or go on: its first number stays
                continue
            if len(f) != n_cols:
                continue
            f = list(f)
            for c in row.continued:  # a cell spanning rows gives its value to each of them
                if prev_fields is not None and c < len(prev_fields) and not f[c]:
                    f[c] = prev_fields[c]
            number = _number(f[col["number"]]) if "number" in col else ""
            content = f[col["content"]]
            if not number and k == 0 and not starts_new and tasks:
                # a row cut by the page break: its rest continues the last task
                last = tasks[-1]
                last.text = clean(f"{last.text} {content}")
                last.title = _first_sentence(last.text)
                _extend_task(last, f, col, row.refs)
                prev_fields = f
                continue
            if not content:
                continue
            if not number:
                auto += 1
                number = str(auto)
            number = _in_sequence(number, last_number)
            last_number = int(number) if number.isdigit() else None
            path = f"{group}.{number}" if group else number
            task = Task(path=path, title=_first_sentence(content), text=content, provenance=list(row.refs))
            _extend_task(task, f, col, [])
            tasks.append(task)
            prev_fields = f
    return tasks


def _extend_task(task: Task, fields: list[str], col: dict[str, int], refs: list[dict]) -> None:
    """Fill (or continue) a task's lead, partners, timeframe and product from its row's cells."""
    def cell(role: str) -> str:
        return fields[col[role]].strip() if role in col and col[role] < len(fields) else ""

    lead, partners = cell("lead"), cell("partners")
    if lead:
        names = split_agencies(lead)
        task.lead.extend(names)
        task.lead_ids.extend(normalize_agency(a) for a in names)
    if partners:
        names = split_agencies(partners)
        task.partners.extend(names)
        task.partner_ids.extend(normalize_agency(a) for a in names)
    if cell("timeframe"):
        task.timeframe = clean(f"{task.timeframe or ''} {cell('timeframe')}")
    if cell("product"):
        task.product = clean(f"{task.product or ''} {cell('product')}")
    task.provenance.extend(refs)


def document_table_tasks(lines: list, doc: Document | None = None) -> tuple[list[Task], set[int]]:
    """Tasks of a document's task tables, and the indexes of the lines those tables hold (to be
    read as table rows only, not as paragraphs). Tables that are not task tables (a header laid
    out as a table) keep their lines."""
    tables = find_text_tables(lines, doc)
    if not tables:
        return [], set()
    tasks = table_tasks(tables)
    used = {i for t in tables if t.is_task_table for i in t.line_indexes}
    return tasks, used


# ---------------------------------------------------------------------------------------------
# Plain text whose table columns are only aligned (``pdftotext -layout``) or tab-separated:
# rewritten as "|" rows before the text becomes a Document (which keeps words, not columns).
# ---------------------------------------------------------------------------------------------

_WORD = re.compile(r"\S+")
_ROW_NUMBER = re.compile(r"^\d{1,3}[.)]?$")


def _groups(line: str) -> list[tuple[int, int, str]]:
    """Word runs of a laid-out line split at gaps of two or more spaces: (start, end, text)."""
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]


def columns_as_rows(text: str) -> str:
    """Rewrite task tables laid out in columns (``pdftotext -layout``) or with tabs as rows of
    ``" | "``-separated fields, one line per row, so that extract reads them as tables.

    Tab lines (two tabs or more) become rows as they are. A laid-out table starts at a line
    whose column heads name a task table (``patterns/table_columns.json``); its column borders
    are the character positions blank in every line of the table left of each head (a cell's
    text may run up to one space before the next column); words go to the column their first
    character lies in; a row starts where the number column holds a number (otherwise after a
    blank line), and the lines of a wrapped cell join. A group row ("I. NHIỆM VỤ CHUNG") stays a
    line of its own; the table ends at the page break or at a line that is not laid out in its
    columns. Text without such a table is returned unchanged.
    """
    if "\t" not in text and "   " not in text:
        return text
    lines = text.split("\n")
    lines = [" | ".join(x.strip() for x in ln.split("\t")) if ln.count("\t") >= 2 else ln for ln in lines]
    out: list[str] = []
    i = 0
    while i < len(lines):
        found = _layout_table(lines, i)
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        rows, end = found
        out.extend(rows)
        i = end
    return "\n".join(out)


def _layout_table(lines: list[str], i: int) -> tuple[list[str], int] | None:
    head = _groups(lines[i])
    if len(head) < MIN_FIELDS or "\f" in lines[i]:
        return None
    roles = column_roles([g[2] for g in head])
    if not _is_task_header(roles):
        return None

    def laid_out(line: str) -> bool:
        g = _groups(line)
        return len(g) >= 2 or (len(g) == 1 and g[0][0] > head[1][0] - 2)

    def group_row(j: int) -> bool:
        """"I. NHIỆM VỤ CHUNG" (or "I.   NHIỆM VỤ CHUNG" across the number and content
        columns) followed by a row laid out in columns."""
        g = _groups(lines[j])
        if not g or len(g) > 2 or g[0][0] > head[1][0] or "\f" in lines[j]:
            return False
        if not _GROUP_MARKER.match(" ".join(x[2] for x in g)):
            return False
        nxt = next((ln for ln in lines[j + 1:j + 4] if ln.strip()), "")
        return len(_groups(nxt)) >= 2 and not _GROUP_MARKER.match(nxt.strip())

    end = i + 1
    while end < len(lines):
        line = lines[end]
        if "\f" in line:
            break
        if not line.strip():
            end += 1
            continue
        if group_row(end) or laid_out(line):
            end += 1
            continue
        break
    while end > i + 1 and not lines[end - 1].strip():
        end -= 1
    block = [lines[j] for j in range(i, end) if lines[j].strip() and not group_row(j)]
    width = max(len(ln) for ln in block)
    blank = [all(p >= len(ln) or ln[p] == " " for ln in block) for p in range(width + 1)]
    borders = []
    for k in range(1, len(head)):
        lo, hi = head[k - 1][1], head[k][0]
        gutter = [p for p in range(lo, hi) if blank[p]]
        borders.append(gutter[-1] if gutter else hi)

    def split(line: str) -> list[str]:
        cols = [[] for _ in range(len(head))]
        for m in _WORD.finditer(line):
            k = sum(1 for b in borders if b <= m.start())
            cols[k].append(m.group())
        return [" ".join(c) for c in cols]

    number_col = next((k for k, r in roles.items() if r == "number"), None)
    header = split(lines[i])
    rows: list[list[str]] = []
    after_blank = False
    in_header = True
    for j in range(i + 1, end):
        line = lines[j]
        if not line.strip():
            after_blank = True
            in_header = False
            continue
        if group_row(j):
            rows.append([" ".join(x[2] for x in _groups(line))])
            in_header = False
            after_blank = False
            continue
        fields = split(line)
        starts_row = (number_col is not None and _ROW_NUMBER.match(fields[number_col])) or \
            (number_col is None and after_blank)
        if in_header and not starts_row:
            header = [f"{a} {b}".strip() for a, b in zip(header, fields)]
        elif starts_row or not rows or len(rows[-1]) == 1:
            rows.append(fields)
            in_header = False
        else:
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], fields)]
        after_blank = False
    return [" | ".join(header)] + [r[0] if len(r) == 1 else " | ".join(r) for r in rows], end


# ---------------------------------------------------------------------------------------------
# Task tables whose cells were joined into running text (web copies, text dumps): "STT Nhiệm vụ
# Cơ quan chủ trì Cơ quan phối hợp Thời gian 1 Rà soát ... Sở Tài chính Các sở, ngành Quý IV/2025
# 2 ...". The header names the columns in order; rows and groups are found by their numbering in
# sequence; in a row, the agency columns' cells start at capitalised agency heads (see
# patterns/table_columns.json "flat_table").
# ---------------------------------------------------------------------------------------------

_FLAT = _COLUMNS["flat_table"]
_FLAT_TIME = re.compile(_FLAT["timeframe_value"])
_FLAT_MARK = re.compile(r"(?<!\S)([IVX]{1,5}|\d{1,2})\.?\s+(?=[A-ZĐÀ-Ỹ\"“(])")
_AGENCY_ROLES = ("head", "lead", "partners")


def _flat_header_roles(header: str) -> list[str]:
    """The column roles a header names, in the order it names them ("STT Nhiệm vụ Cơ quan chủ
    trì ..." -> number, content, lead, ...)."""
    words = key(header).split()
    phrases = sorted(((tuple(p.split()), role) for role, ps in _COLUMNS["columns"].items() for p in ps),
                     key=lambda x: -len(x[0]))
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(words):
        for ph, role in phrases:
            if tuple(words[i:i + len(ph)]) == ph:
                if role not in (r for _, r in found):
                    found.append((i, role))
                i += len(ph)
                break
        else:
            i += 1
    return [r for _, r in sorted(found)]


def _flat_rows(body: str) -> list[tuple[str, str, str]]:
    """(group, number, row text) of the rows of a flat table body, found by their numbering in
    sequence (1, 2, 3 ...; groups I, II, III ... each restarting at 1 or going on)."""
    marks = []
    next_group, last = 1, 0
    for m in _FLAT_MARK.finditer(body):
        tok = m.group(1)
        if tok == int_to_roman(next_group) and (next_group > 1 or not marks):
            marks.append(("group", tok, m))
            next_group += 1
            continue
        if tok.isdigit() and (int(tok) == last + 1 or (int(tok) == 1 and marks and marks[-1][0] == "group")) \
                and str(int(tok)) == tok:
            marks.append(("row", tok, m))
            last = int(tok)
    rows = []
    group = ""
    for k, (kind, tok, m) in enumerate(marks):
        end = marks[k + 1][2].start() if k + 1 < len(marks) else len(body)
        if kind == "group":
            group = tok
            continue
        rows.append((group, tok, body[m.end():end].strip()))
    return rows


def _is_person_title(text: str) -> bool:
    k = key(text)
    return opens_with(k, _FLAT["person_titles"])


def _cell_starts(row: str) -> list[int]:
    """Character offsets in ``row`` where a cell of an agency column may start."""
    tokens, starts = head_starts(row)
    gz = gazetteer_spans(row)
    inside = {j for a, n in gz.items() for j in range(a + 1, a + n)}
    cell_heads = [tuple(h.split()) for h in _FLAT["cell_heads"]]
    objects = set(_FLAT["object_words"])
    out = []
    for i, (tok, a, _b) in enumerate(tokens):
        if not (tok[:1].isupper() or tok.isupper()) or i in inside:
            continue
        low = [t[0].lower() for t in tokens[i:i + 3]]
        plural = tok in ("Các", "Những") and i + 1 in starts
        if i not in starts and not plural and not any(tuple(low[:len(h)]) == h for h in cell_heads):
            continue
        rest = key(row[a:a + 40])
        if opens_with(rest, _FLAT["not_agency_starts"]):
            continue
        p = i - 1
        if p >= 2 and tokens[p][0] == ")" and tokens[p - 2][0] == "(":
            p -= 3  # "(2) Cục trưởng ...": an enumerator inside a cell is transparent
        if p >= 0:
            prev = tokens[p][0]
            if prev in (",", ";", ":", "(", "-", "–", "/", "&", "các", "những", "Các", "Những") \
                    or prev.lower() in objects:
                continue
            if any(key(" ".join(t[0] for t in tokens[q:p + 1])) in _FLAT["person_titles"]
                   for q in range(max(0, p - 2), p + 1)):
                continue  # "Giám đốc Trung tâm ...": the body after a person's title is the same cell
        out.append(a)
    return out


def _cell_end(text: str) -> int:
    """Where the last agency cell of a row ends: at a timeframe value, or where the product cell
    begins (a capitalised word after an acronym, or one of cell_end_words)."""
    end = len(text)
    t = _FLAT_TIME.search(text)
    if t:
        end = t.start()
    spans = agency_spans(text[:end])
    if spans and spans[0][0] == 0 and text[spans[0][1]:end].strip()[:1].isupper():
        end = spans[0][1]  # "Các cơ quan, đơn vị liên quan | Cổng dịch vụ công được nâng cấp"
    tokens = tokenize(text[:end])
    for a, n in sorted(gazetteer_spans(text[:end]).items()):
        # a known body ends where a capitalised word follows it ("Sở Nội vụ | Lớp tập huấn ...")
        if (a == 0 or tokens[a - 1][0] in (",", ";", "và")) and a + n < len(tokens) \
                and tokens[a + n][0][:1].isupper():
            return tokens[a + n][1]
    for i in range(1, len(tokens)):
        tok, a, _ = tokens[i]
        if not tok[:1].isupper() or tok.isupper():
            continue
        prev = tokens[i - 1][0]
        rest = key(text[a:a + 30])
        if prev in (",", ";", "và", ":", "("):
            continue
        if (prev.isupper() and len(prev) >= 3 and prev.isalpha()) or \
                opens_with(rest, _FLAT["cell_end_words"]) or prev == ".":
            return a
    return end


def _assign_cells(row: str, cells_at: list[int], limit: int, agency_cols: list[str],
                  repeat: bool) -> tuple[list[str], list[str]]:
    """Lead and partner cells of a row from the offsets where its agency cells start: cells that
    name a person's title fill the head column, the lead column repeats as many bodies, then one
    partners cell; ``repeat``: the cells of merged sub-rows follow in the same order."""
    cells = []
    for k, s in enumerate(cells_at):
        e = cells_at[k + 1] if k + 1 < len(cells_at) else limit
        cells.append(row[s:e])
    lead_cells: list[str] = []
    partner_cells: list[str] = []
    i = 0
    last = None
    while i < len(cells):
        n_head = 0
        if "head" in agency_cols:
            while i + n_head < len(cells) and _is_person_title(cells[i + n_head]):
                n_head += 1
            i += n_head
        n_lead = max(1, n_head)
        lead_cells += cells[i:i + n_lead]
        i += n_lead
        last = (lead_cells, len(lead_cells) - 1)
        if "partners" in agency_cols and i < len(cells):
            partner_cells.append(cells[i])
            last = (partner_cells, len(partner_cells) - 1)
            i += 1
        if not repeat:
            break
    if last is not None and last[1] >= 0:
        cell = last[0][last[1]]
        last[0][last[1]] = cell[:_cell_end(cell)]
    return [c.strip(" .;,") for c in lead_cells], [c.strip(" .;,") for c in partner_cells]


def _source_cell_end(row: str) -> int:
    """Where the cell of a "source" column before the content ends ("Hà Tĩnh, Nghệ An | Đề nghị
    điều chỉnh …", "Nghệ An - | Ban hành …"): at the first capitalised word followed by a lower-case
    one that is no part of a place name; 0 when the row does not open that way."""
    inner = set(_FLAT["source_inner_words"])
    words = list(re.finditer(r"\S+", row))
    for i, w in enumerate(words[:12]):
        tok = w.group(0)
        if tok in ("-", "–") or tok.strip(",") in inner:
            continue
        if not tok[:1].isupper():
            return 0
        nxt = words[i + 1].group(0) if i + 1 < len(words) else ""
        if nxt[:1].islower() and nxt.strip(",") not in inner:
            return w.start() if i else 0
    return 0


def _flat_row_task(group: str, number: str, row: str, roles: list[str], refs: list[dict]) -> Task | None:
    agency_cols = [r for r in roles if r in _AGENCY_ROLES]
    if "content" not in roles or "lead" not in agency_cols:
        return None
    if "source" in roles and roles.index("source") < roles.index("content"):
        row = row[_source_cell_end(row):]
    starts = [s for s in _cell_starts(row) if len(row[:s].split()) >= 3]
    if not starts:
        return None
    first = starts[0]
    dotted = next((s for s in starts if row[:s].rstrip().endswith(".")), None)
    tm = _FLAT_TIME.search(row, first)
    if dotted is not None and dotted > first and (tm is None or dotted < tm.start()):
        first = dotted
    if roles[-1] == "lead" and "timeframe" not in roles:
        # the lead column is the last: its cell is the list of bodies that ends the row
        # ("… đặc biệt khó khăn | Bộ Tài chính"), not a body the request names inside its text
        first = next((s for s in starts if only_agencies(row[s:].strip(" .;,"))), first)
    content = re.sub(r"\s*\(\d{1,2}\)$", "", row[:first].strip())
    # the timeframe column right after the agency columns ends them (and rows merged into this
    # one repeat lead and partners before it); otherwise the agencies end at the product cell
    time_next = "timeframe" in roles and \
        roles.index("timeframe") == max(roles.index(r) for r in agency_cols) + 1
    tm = _FLAT_TIME.search(row, first)
    limit = tm.start() if time_next and tm else len(row)
    lead_cells, partner_cells = _assign_cells(row, [s for s in starts if first <= s < limit], limit,
                                              agency_cols, repeat=time_next)
    rest = row[limit:] if time_next else row[first:]
    if time_next:
        # merged sub-rows after the timeframe: "... sau sự cố. Sở Khoa học và Công nghệ Sở Tài chính"
        time_end = tm.end() if tm else limit
        last_column = roles[-1] == "timeframe"
        for s in [s for s in starts if s > limit and (row[:s].rstrip().endswith(".") or (
                last_column and not row[time_end:s].strip()))][:1]:
            # (a sub-row starts after a sentence end, or right after the time when it is the last column)
            t2 = _FLAT_TIME.search(row, s)
            end2 = t2.start() if t2 else len(row)
            more_lead, more_partners = _assign_cells(row, [x for x in starts if s <= x < end2], end2,
                                                     agency_cols, repeat=False)
            lead_cells += more_lead
            partner_cells += more_partners
    title = _first_sentence(content)
    lead = dedupe([a for c in lead_cells for a in split_agencies(c)])
    partners = dedupe([a for c in partner_cells for a in split_agencies(c)])
    timeframe = None
    if "timeframe" in roles:
        m = _FLAT_TIME.match(rest.strip()) if time_next else None
        if m:
            timeframe = m.group(0)
        else:
            found = list(_FLAT_TIME.finditer(rest))
            if found:
                timeframe = rest[found[-1].start():].strip(" .")
                if len(timeframe) > 80:
                    timeframe = found[-1].group(0)
    path = f"PL.{group}.{number}" if group else f"PL.{number}"
    return Task(path=path, title=title, text=content, lead=lead, partners=partners,
                lead_ids=[normalize_agency(a) for a in lead],
                partner_ids=[normalize_agency(a) for a in partners],
                timeframe=timeframe, provenance=list(refs))


def flat_table_tasks(paras: list[Para]) -> list[Task]:
    """Tasks of a task table whose cells run on as text: the header ("STT" / "TT" and column
    words naming a content and a lead column) gives the column order, the row numbers in sequence
    cut the rows, and each row's agency cells give lead and partners."""
    start = None
    for i, p in enumerate(paras):
        if "TT" not in p.text:
            continue  # (cheap test: no "STT" / "TT" column)
        k = key(p.text)
        # the header row opens its paragraph, or follows the appendix title ("PHỤ LỤC ... STT")
        if any(w in k for w in _FLAT["header_lead_words"]) \
                and (re.match(r"s?tt\b", k) or re.search(r"\bphu luc\b.*\bs?tt\b", k)):
            start = i
            break
    if start is None:
        return []
    text = clean(" ".join(p.text for p in paras[start:]))
    refs = [r for p in paras[start:] for r in p.refs]
    h = re.search(r"(?<!\S)S?TT\s+", text)
    if not h:
        return []
    first = _FLAT_MARK.search(text, h.end())
    while first and first.group(1) not in ("1", "I"):
        first = _FLAT_MARK.search(text, first.end())
    if not first:
        return []
    roles = _flat_header_roles(text[h.start():first.start()])
    if "content" not in roles or "lead" not in roles:
        return []
    tasks = []
    for group, number, row in _flat_rows(text[first.start():]):
        task = _flat_row_task(group, number, row, roles, refs)
        if task is not None:
            tasks.append(task)
    return tasks


#: a row's deadline cell in a table run on as text
_ROW_DEADLINE = re.compile(r"(?<!\S)(\d{1,2}/\d{1,2}/\d{4}|[Nn]hiệm vụ thường xuyên|[Tt]hường xuyên"
                           r"|[Qq]uý\s+[IV]{1,3}/\d{4}|[Tt]háng\s+\d{1,2}/\d{4})(?!\S)")
_ROW_START = re.compile(r"(?:^|(?<=\s))(\d{1,3})\s+(?=[A-ZĐÀ-Ỹ0-9])")


_RUN_ON = load_patterns("table_columns")["run_on_rows"]


def is_run_on_row(text: str) -> bool:
    """"1 Chủ trì … Bộ X 31/10/2025 Đã hoàn thành": a row of a progress table run on as text (a
    deadline, then a status), not a paragraph that opens with a count ("15 Sở, ngành đã …")."""
    dl = _ROW_DEADLINE.search(text)
    return dl is not None and _status_cell(text[dl.end():])


def _status_cell(after: str) -> bool:
    """The text after a row's deadline opens or ends with a status ("Hoàn thành", "Đã trình. Đã
    hoàn thành"): a status word anywhere in it ("… để hoàn thành trước …") is no status cell."""
    words = key(after).strip(" .;,").split()
    for st in _RUN_ON["status"]:
        n = len(st.split())
        if " ".join(words[:n]) == st or " ".join(words[-n:]) == st:
            return True
    return False


def _row_header_before(text: str, first_cell: str) -> bool:
    """A header row ("STT Tên văn bản Cơ quan ban hành Ngày ban hành") written right before row 1."""
    at = text.find(first_cell)
    before = key(text[max(0, at - 120):at])
    return any(re.search(r"(?:^|\s)" + h + r"(?:\s|$)", before) for h in _RUN_ON["header"])


def run_on_row_tasks(paras: list[Para]) -> list[Task]:
    """Tasks of a task table with no header row whose rows run on as text, each row its number,
    the task, the body in charge and its deadline, then what was done ("1 Chủ trì … Bộ Khoa học và
    Công nghệ 31/10/2025 Đã hoàn thành 2 …"; the group lines "Nhiệm vụ giao … chỉ đạo" between
    them): the body is the agency name that ends right before the deadline. Read only when at
    least three rows have that shape (a list of numbered sentences has none), most carry a
    status after their deadline, and no header row comes before row 1 (table_columns.json
    run_on_rows: a list of documents or of figures has none of these)."""
    tasks: list[Task] = []
    # (read as one text: a folded copy's segments cut rows apart at their bullets)
    text = " ".join(p.text for p in paras)
    starts = [m for m in _ROW_START.finditer(text)]
    # a row starts at the line's start or after the previous row's deadline
    rows = []
    pos = 0
    while True:
        m = next((m for m in starts if m.start() >= pos), None)
        if not rows and m is not None and m.start() > 0:
            # the first row is row 1 (after the table's group line)
            m = next((x for x in starts if x.group(1) == "1"), None)
        if m is None:
            break
        dl = _ROW_DEADLINE.search(text, m.end())
        if dl is None:
            break
        # the next row's number follows this one's (give or take a typo: "22, 20, 21"); "42
        # đơn vị", "02 Thông tư" in a result cell are no row numbers
        nxt = next((s for s in starts if s.start() > dl.end()
                    and abs(int(s.group(1)) - int(m.group(1))) <= 3 and s.group(1)[0] != "0"), None)
        rows.append((m.group(1), text[m.end():dl.start()].strip(), dl.group(1),
                     text[dl.end():nxt.start() if nxt is not None else len(text)]))
        if nxt is None:
            break
        pos = nxt.start()
    if rows and _row_header_before(text, rows[0][1]):
        return []  # "STT Tên văn bản … Ngày ban hành 1 …": a table with a header (flat_table's)
    statuses = [_status_cell(after) for *_, after in rows]
    if 2 * sum(statuses) < len(rows):
        return []  # no status after most deadlines: a list of documents or figures, no progress table
    kinds = tuple(k + " " for k in load_patterns("headings")["document_kinds"] if k not in _RUN_ON["verb_kinds"])
    governing = set(load_patterns("segment")["governing_words"]) | {"va", "cac", "nhung"}
    for (num, cell, deadline, _after), status in zip(rows, statuses):
        if key(cell).startswith(kinds) and not status:
            # "1 Thông tư hướng dẫn … Bộ Xây dựng 15/3/2024": a document, its issuer, its date
            # ("1 Đề án chuyển đổi số Sở X 30/6/2025 Đã hoàn thành": a task, its status)
            continue
        spans = agency_spans(cell)
        if not spans or spans[-1][1] < len(cell.rstrip(" .;,")) or spans[-1][0] == 0:
            continue  # no body column before the deadline
        a, b = spans[-1]
        # the body column starts at the last head that no separator joins to the name
        # before it ("… của Thủ tướng Chính phủ | Bộ Khoa học và Công nghệ")
        # (a lower-case word of the task's text before it, not a name's second syllable nor a
        # governing word: "… ngành y tế | Bộ Y tế", not "Tổng Thanh tra | Chính phủ", not "cơ
        # quan thuộc | Chính phủ"; or a whole name before it: "Thủ tướng Chính phủ | Bộ X")
        tokens, heads = head_starts(cell[a:b])
        for k in sorted(heads, reverse=True):
            prev = [t[0] for t in tokens[max(0, k - 2):k]]
            if k < 2 or not tokens[k][0][:1].isupper() or key(prev[-1]) in governing:
                continue
            lower_text = prev[-1].isalpha() and prev[-1].islower() and prev[0].isalpha() and prev[0].islower()
            head_text = cell[a:a + tokens[k][1]].rstrip()
            # ("Văn phòng | Ủy ban nhân dân tỉnh": a head that names its owner after it is no whole name)
            whole_name = prev[-1].isalpha() and len(head_text.split()) >= 2 \
                and key(head_text.split(maxsplit=len(head_text.split()) - 2)[-1]) not in _RUN_ON["owner_heads"] \
                and any(s2 == 0 and e2 == len(head_text) for s2, e2 in agency_spans(head_text))
            if lower_text or whole_name:
                a += tokens[k][1]
                break
        title = cell[:a].strip(" ,;")
        lead = split_agencies(cell[a:b])
        partners: list[str] = []
        mp = re.search(r"(?i:phối hợp)(?:\s+(?:với|cùng))?\s+", title)
        if mp:
            ps = agency_spans(title[mp.end():])
            if ps and ps[0][0] == 0:
                partners = split_agencies(title[mp.end():mp.end() + ps[0][1]])
        tasks.append(Task(path=f"PL.{num}", title=title, text=title, lead=lead, partners=partners,
                          lead_ids=[normalize_agency(x) for x in lead],
                          partner_ids=[normalize_agency(x) for x in partners],
                          timeframe=deadline, provenance=[]))
    return tasks if len(tasks) >= 3 else []
