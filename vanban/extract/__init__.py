"""extract stage: a Document (or text) in, a :class:`vanban.model.PlanRecord` out.

Contract used by the rest of vanban (owned by this folder):
- ``extract_record(doc_or_text) -> PlanRecord``
- ``render_markdown(record) -> str``

The text is read as lines with provenance (page, line, box), wrapped lines are joined into
paragraphs (:mod:`.layout`), the header and closing block are parsed (:mod:`.header`), the
body is nested into a section tree whose sections get roles from their headings
(:mod:`.structure`), and the items of each role are cut out (:mod:`.items`). Keywords,
agency vocabularies and heading rules are data in ``patterns/*.json``.
"""

from __future__ import annotations

import contextvars
import re
from pathlib import Path

from ..errors import NotADocumentError
from ..model import Document, Objective, PlanRecord, Section
from .header import (closing_block, is_stamp_line, issuer_from_authority, find_kind_line, kind_from_number,
                     capitalise_issued_kind, cut_run_on_abstract, parse_header, parse_period, restore_title_case,
                     signature_paragraph, split_kind_title_line)
from .items import (basis_of, directive_leaves, group_heading, heading_year, implementation_items, item_path, item_text,
                    leaf_items, make_task, parse_references, parse_targets, ref_list, strip_role_label,
                    task_leaves)
from .layout import (Para, RawLine, build_paragraphs, document_lines, is_recipients_start, is_wrapped,
                     parse_marker)
from .agencies import canonical_issuer, head_starts
from .render import render_markdown
from .segment import needs_segmenting, packed_front_line, segment, wrapped_run_on
from .structure import Node, assign_roles, build_tree, directive_sections, part_heading
from .table import appendix_tasks, columns_as_rows, document_table_tasks
from .table import flat_table_tasks, is_run_on_row, run_on_row_tasks
from .items import add_sentence_leads
from .items import DOCUMENT_ISSUER, fold_role_items
from .text import ASSIGNING_OPENING, clean, fix_uy, fold, is_caps, key, load_patterns, opens_addressee_list

__all__ = ["extract_record", "render_markdown"]

_DOCUMENT_KEYS = load_patterns("document")
_ADMIN_WORDS = tuple(_DOCUMENT_KEYS["admin_words"])
_BODY_START = tuple(_DOCUMENT_KEYS["body_start"])
_ENACTING_AUTHORITY = tuple(_DOCUMENT_KEYS["enacting_authority"])
#: "(Ban hành kèm theo Quyết định số …)": the note under an attached document's title
_ATTACHED_UNDER = re.compile(r"\((?:Ban hành )?[Kk]èm theo[^()]*\)")


def _caps_paragraph(text: str) -> bool:
    """A caps heading or title of the body (its "(Ban hành kèm theo …)" note aside); such
    paragraphs are short, a long one is read no further."""
    first = text[:40].split()[:2]
    if len(text) > 800 or not first or not all(w.isupper() for w in first):
        return False  # (cheap test first: a caps paragraph opens with caps words)
    return is_caps(_ATTACHED_UNDER.sub("", text))
_ATTACHMENT_NOTE = tuple(_DOCUMENT_KEYS["attachment_note"])
_ATTACHMENT_KINDS = set(_DOCUMENT_KEYS["attachment_kinds"])
#: casing sources for a caps title ("tại" keeps the name off a sentence start, which tells no case)
_REGION_NAMES = [f"tại {r}" for r in _DOCUMENT_KEYS["region_names"]]


#: the sentence after which a letter gives its answer ("Về vấn đề này, Cục Thuế có ý kiến như sau:")
_ANSWER_FOLLOWS = re.compile(r"\b(?:có ý kiến|trả lời|hướng dẫn|thông tin)(?:\s+\S+){0,3}\s+như sau\s*:")
#: a provision of a law quoted before a letter's answer ("- Khoản 1 Điều 8 Nghị quyết số … quy
#: định: “…”", "- Điểm b khoản 2 Điều 79 Luật …"): a basis of the answer, part of the preamble
_PROVISION = re.compile(r"(?:Điểm\s+[a-zđ]\s+)?[Kk]hoản\s+\d{1,2}\s+Điều\s+\d{1,3}\s"
                        r"|Điều\s+\d{1,3}\s+(?=\S+\s+\S*\s*số\s)")


def _attached_plan(appendix: list[Para]) -> tuple[str, list[Para], int] | None:
    """A plan attached after the signature of the decision that enacts it ("QUYẾT ĐỊNH Ban
    hành Kế hoạch ..." then, after "Nơi nhận:" and the signature, "KẾ HOẠCH", its title and
    "(Kèm theo Quyết định số ...)"): (kind, title paragraphs, index where its body starts)."""
    kinds = load_patterns("headings")["document_kinds"]
    for i, p in enumerate(appendix[:6]):
        if not is_caps(p.text, 0.8):
            continue
        words = p.text.split()
        kind_key = next((key(" ".join(words[:n])) for n in (4, 3, 2)
                         if key(" ".join(words[:n])) in _ATTACHMENT_KINDS), None)
        if kind_key is None:
            # "ỦY BAN NHÂN DÂN TỈNH AN BÌNH QUY CHẾ" (a folded text): the attachment's issuer line
            # repeated above its kind
            at, n = next(((a, n) for a in range(2, min(len(words), 12)) for n in (4, 3, 2)
                          if key(" ".join(words[a:a + n])) in _ATTACHMENT_KINDS), (0, 0))
            issuer = " ".join(words[:at])
            if issuer and (key(issuer).startswith(_ENACTING_AUTHORITY) or 0 in head_starts(issuer.title())[1]) \
                    and not any(k in key(issuer).split() for k in ("quyet", "dinh")):
                kind_key = key(" ".join(words[at:at + n]))
                p = Para(" ".join(words[at:]), p.refs)
                words = p.text.split()
        if kind_key is None:
            continue
        title: list[Para] = []
        if key(p.text) != kind_key:      # "KẾ HOẠCH TRIỂN KHAI ..." on one line
            title.append(Para(" ".join(words[len(kind_key.split()):]), p.refs))
        j = i + 1
        # the title is in capitals, or in sentence case when the "(Kèm theo ...)" note follows it
        while j < len(appendix) and len(title) < 6 and (is_caps(appendix[j].text) or any(
                key(q.text).startswith(_ATTACHMENT_NOTE) for q in appendix[j + 1:j + 4])) \
                and not parse_marker(appendix[j].text)[0] and not key(appendix[j].text).startswith(_ATTACHMENT_NOTE):
            title.append(appendix[j])
            j += 1
        noted = j < len(appendix) and key(appendix[j].text).startswith(_ATTACHMENT_NOTE)
        if noted:
            j += 1
        # without the "(Kèm theo ...)" note, the plan's own roman sections must follow soon
        if noted or any(parse_marker(q.text)[1] == "roman" for q in appendix[j:j + 4]):
            return kinds[kind_key], title, j
    return None


def _check_document(lines: list[RawLine]) -> None:
    text = " ".join(ln.text for ln in lines[:120])[:8000]
    words = key(text).split()
    if len(words) < 8:
        raise NotADocumentError("too little text to be an administrative document")
    joined = " " + " ".join(words) + " "
    hits = {w for w in _ADMIN_WORDS if f" {w} " in joined}
    # separator rules and table bars ("-------", "|", "____") are layout, not content
    sample = re.sub(r"([^\w\s])\1{2,}|\|", " ", text[:4000])
    letters = sum(map(str.isalpha, sample))
    if len(hits) < 4 or letters < 0.5 * len(sample.replace(" ", "")):
        raise NotADocumentError("no Vietnamese administrative content found "
                                f"({len(hits)} administrative keywords)")


def news_lead_in(lines: list[RawLine]) -> int:
    """Lines before a document's own header that a web page put there: a news headline and
    summary ("Ngày 26/11/2025, Thủ tướng Chính phủ ban hành Công điện …", the requests retold
    as "- …" items, "Xem thêm Công điện …") before the issuer, the state motto and "Số:". Returns
    how many lines to leave out (0 when the text starts with its header, or when what comes
    before the motto holds a kind line, "Căn cứ", "Kính gửi", a "Số:" line or "Nơi nhận" — a
    document's own text, such as a decision before its attached plan)."""
    motto = next((m for m, ln in enumerate(lines[:80]) if _STATE_MOTTO.search(fold(ln.text))), None)
    if not motto:
        return 0
    start = motto
    if _STATE_MOTTO.match(fold(lines[motto].text).strip()):
        while start > 0 and is_caps(lines[start - 1].text) and len(lines[start - 1].text) < 100:
            start -= 1  # the issuer's lines above the motto
    if start == 0 or not any(re.search(r"\bSo\s*:", fold(ln.text)) for ln in lines[motto:motto + 4]):
        return 0
    kinds = load_patterns("headings")["document_kinds"]
    prose_words = 0
    for ln in lines[:start]:
        k = key(ln.text)
        # (a summary may retell the body's sentences, "Để triển khai …": only the opening of a
        # preamble, an addressee list or a closing block marks a document's own text)
        if (is_caps(ln.text) and k in kinds) or k.startswith(("can cu", "noi nhan")) \
                or opens_addressee_list(ln.text) \
                or re.match(r"\s*So\s*:", fold(ln.text)):
            return 0
        prose_words += sum(1 for w in ln.text.split() if w[:1].islower())
    total = sum(len(ln.text) for ln in lines)
    lead = sum(len(ln.text) for ln in lines[:start])
    return start if prose_words >= 20 and lead < 0.6 * total else 0


_STATE_MOTTO = re.compile(r"C\s*O\s*N\s*G\s+H\s*O\s*A\s+X\s*A\s+H\s*O\s*I\s+C\s*H\s*U\s+N\s*G\s*H\s*I\s*A\s+"
                          r"V\s*I\s*E\s*T\s+N\s*A\s*M", re.I)


def _headerish(t: str) -> bool:
    """A line of the header block: caps, "Số:", the date line or the motto."""
    f = fold(t)
    return bool(is_caps(t) or re.search(r"\bSo\s*:", f) or re.search(r"ngay\s*(?:\d+|…)\s*thang", f)
                or "Doc lap" in f or "Hanh phuc" in f)


def _split_front(lines: list[RawLine], wrapped: bool):
    """(header lines, kind, title lines, index where the body starts)."""
    kinds = load_patterns("headings")["document_kinds"]
    kind_i = find_kind_line(lines)
    if kind_i is not None:
        kind = kinds[key(lines[kind_i].text)]
        header = lines[:kind_i]
        j = kind_i + 1
        title: list[RawLine] = []
        while j < len(lines) and len(title) < 10:
            t = lines[j].text
            k = key(t)
            marker = parse_marker(t)
            if (k.startswith(_BODY_START) and not is_caps(t)) or marker[1] == "roman" or part_heading(t):
                break
            if title and is_caps(t) and (k.startswith(("chu tich", "uy ban nhan dan")) or (
                    k.startswith(_ENACTING_AUTHORITY) and j + 1 < len(lines)
                    and key(lines[j + 1].text).startswith(_BODY_START))):
                # the enacting authority line between the title and "Căn cứ" (a wrapped title
                # line may start with "THỦ TƯỚNG ...": those need "Căn cứ" right after them)
                break
            if title and is_caps(t) and j + 1 < len(lines) and key(lines[j + 1].text) == "dien" \
                    and not k.startswith(_ENACTING_AUTHORITY):
                break  # "BỘ XÂY DỰNG" / "điện:": a Công điện's sender, then its addressees (an
                # enacting authority, "THỦ TƯỚNG CHÍNH PHỦ", is cut off the title further on)
            if title:
                if lines[j].blank_before and not (is_caps(t) and is_caps(title[-1].text)):
                    # a blank line ends the abstract: what follows is the body's first paragraph
                    # (a caps title's lines may stand apart on a scan)
                    break
                prev_caps = is_caps(title[-1].text)
                if prev_caps != is_caps(t):
                    break
                if not prev_caps and not wrapped:
                    break
                if not prev_caps and len(title[-1].text) < 55 and not t[:1].islower():
                    # a short line ends a wrapped paragraph, unless the next one runs on in lower case
                    break
            title.append(lines[j])
            j += 1
            if not wrapped and not is_caps(t):
                break
        return header, kind, title, j
    merged = split_kind_title_line(lines)
    if merged is not None:
        i, kind, first_title = merged
        title = [RawLine(first_title, lines[i].ref)]
        j = i + 1
        while j < len(lines) and is_caps(lines[j].text) and not parse_marker(lines[j].text)[0] \
                and not key(lines[j].text).startswith(("chu tich", "uy ban nhan dan")) and len(title) < 8:
            title.append(lines[j])
            j += 1
        return lines[:i], kind, title, j
    # no kind line (công văn, fragments): header-ish lines at the top
    header, title = [], []
    j = 0
    end = 0
    while j < min(len(lines), 16):
        t = lines[j].text
        headerish = _headerish(t)
        # the abstract: "V/v …", or "Về …" between the header's lines ("Số: …" / "Về hướng dẫn …" /
        # the place and date) or right before "Kính gửi"
        abstract = re.match(r"V/[vV]\b", t) or header and re.match(r"Về\s+\S", t) and j + 1 < len(lines) \
            and (_headerish(lines[j + 1].text) or opens_addressee_list(lines[j + 1].text))
        if abstract:
            title.append(lines[j])
            j += 1
            # the abstract runs on over the lines of its block: up to a blank line, a header line
            # (caps, "Số:", the date, the motto) or the body's first words
            while j < len(lines) and len(title) < 8 and not lines[j].blank_before \
                    and not _headerish(lines[j].text) and not key(lines[j].text).startswith(_BODY_START) \
                    and not opens_addressee_list(lines[j].text) and not parse_marker(lines[j].text)[0]:
                title.append(lines[j])
                j += 1
            end = j
            continue
        if key(t).startswith(_BODY_START) or parse_marker(t)[0]:
            break
        if headerish:
            header.append(lines[j])
            end = j + 1
        elif header or title:
            break
        j += 1
    if not header and not title:
        return [], None, [], 0
    if not any(re.search(r"ngay\s*(?:\d+|…)\s*thang", fold(ln.text)) for ln in header):
        # OCR reading order may put "Kính gửi:" before the right column's motto and date
        for k in range(end, min(len(lines), end + 6)):
            f = fold(lines[k].text)
            if re.search(r"ngay\s*(?:\d+|…)\s*thang\s*\d+\s*nam", f) and len(lines[k].text) < 80:
                header.extend(ln for ln in lines[end:k + 1] if is_caps(ln.text) or "Hanh phuc" in fold(ln.text)
                              or ln is lines[k])
                end = k + 1
                break
    return header, None, title, end


def _addressees(lines: list[RawLine], body_i: int, document: dict) -> int:
    """Consume a "Kính gửi:" block (công văn, tờ trình): its addressees go to
    ``document["addressees"]``; returns where the body starts."""
    seen = any(opens_addressee_list(ln.text) for ln in lines[max(0, body_i - 6):body_i])
    out: list[str] = []
    out_ends: list[str] = [";"]
    if body_i + 1 < len(lines) and is_caps(lines[body_i].text) and key(lines[body_i + 1].text) == "dien" \
            and lines[body_i + 1].text.rstrip().endswith(":"):
        body_i += 1  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH / điện:": the sender's line, then the addressees
    if body_i < len(lines) and len(lines[body_i].text) < 40 and lines[body_i].text.rstrip().endswith(":") \
            and key(lines[body_i].text).split()[-1:] == ["dien"]:
        seen = True  # "THỦ TƯỚNG CHÍNH PHỦ điện:" then the addressees of a Công điện
        body_i += 1
    if body_i < len(lines) and opens_addressee_list(lines[body_i].text):
        seen = True
        rest = lines[body_i].text.split(":", 1)[1] if ":" in lines[body_i].text else ""
        out.extend(x.strip(" -;.") for x in re.split(r";", rest) if x.strip(" -;."))
        body_i += 1
    if seen:
        while body_i < len(lines):
            t = lines[body_i].text.rstrip()
            style = parse_marker(t)[1]
            bullet = style in ("dash", "plus", "dot")
            # unmarked addressee lines (list dashes lost) continue a list that ends in ";"
            listed = style is None and len(t) < 90 and not key(t).startswith(_BODY_START) \
                and (not out or t[-1:] in ";.") and (not out or out_ends[-1] == ";")
            # a line that opens with an agency head names an addressee of its own ("Sở Công Thương," /
            # "Sở Xây dựng,"), a list written with commas
            own_body = style is None and out and out_ends[-1] == "," and len(t) < 90 and t[-1:] in ";.," \
                and not key(t).startswith(_BODY_START) and 0 in head_starts(t)[1]
            listed = listed or own_body
            if style is None and out and out_ends[-1] == "," and len(t) < 120 and t[-1:] in ";.," \
                    and not key(t).startswith(_BODY_START) and not own_body:
                # "- Các Bộ: Công an, Tư pháp," / "Nông nghiệp và Môi trường;": a wrapped addressee
                out[-1] = f"{out[-1]}, {t.strip(' ;.,')}"
                out_ends[-1] = t[-1:]
                body_i += 1
                continue
            if len(t) >= 300 or t[-1:] not in ";.," or not (bullet or listed):
                break
            out.append(parse_marker(t)[3].strip(" ;.,"))
            out_ends.append(t[-1:])
            body_i += 1
    if out:
        document["addressees"] = out
    return body_i


#: a table row run on as text: its bare row number, then its first cell
_TABLE_ROW = re.compile(r"\d{1,3}\s+[A-ZĐÀ-Ỹ][a-zđà-ỹ]")
#: where a decision's preamble ends: "QUYẾT ĐỊNH:" / "QUYẾT NGHỊ:" or its first article
_ENACTING_CLAUSE = re.compile(r"\s*(?:(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|Quyết định|Quyết nghị)\s*:|Điều\s+1\s*[.:])")


def _record_id(doc: Document) -> str:
    src = doc.source or ""
    if src and not src.startswith("<") and src != "-":
        p = Path(src)
        return p.parent.name if p.stem.startswith("page-") else p.stem
    return (doc.sha256 or "")[:16] or "record"


def extract_record(doc_or_text: Document | str) -> PlanRecord:
    """Extract the plan record of one document (a :class:`Document` or plain text).

    Raises :class:`vanban.errors.NotADocumentError` when the text holds no Vietnamese
    administrative content. Documents that are not plans give a record with what they have.
    """
    # (in a context of its own: the document's issuer, known to the item reader while it reads
    # this document, is gone after it)
    return contextvars.copy_context().run(_extract_record, doc_or_text)


def _extract_record(doc_or_text: Document | str) -> PlanRecord:
    doc = Document.from_text(columns_as_rows(doc_or_text)) if isinstance(doc_or_text, str) else doc_or_text
    lines = document_lines(doc)
    _check_document(lines)
    # task tables (the ocr stage's table blocks, "|" rows of a text layer) are read as tables
    table_tasks, table_lines = document_table_tasks(lines, doc)
    lines = [ln for i, ln in enumerate(lines) if i not in table_lines] if table_lines else lines
    # stamps ("HỎA TỐC", "CV ĐẾN Số ... Ngày ...", "Ký bởi: ...") are neither issuer nor title
    lines = [ln for i, ln in enumerate(lines)
             if not ((i < 20 or len(ln.text) < 80) and is_stamp_line(ln.text))] or lines
    flattened = needs_segmenting([ln.text for ln in lines])
    if flattened and 1 < len(lines) <= 3 and len({ln.ref.get("page") for ln in lines}) == 1:
        # a dump of two or three long lines (a stray break in a one-line copy, often right after
        # "… điện:" or the header): one line, cut as a whole (the addressee list ends at its
        # first full stop only when its opening is on the same line)
        lines = [RawLine(" ".join(ln.text for ln in lines), dict(lines[0].ref), raw=None)]
    if not flattened and wrapped_run_on([ln.text for ln in lines]):
        # a run-on copy hard-wrapped at a page width: joined back (per page) and cut as flattened
        pages: dict = {}
        for ln in lines:
            pages.setdefault(ln.ref.get("page"), []).append(ln)
        lines = [RawLine(" ".join(ln.text for ln in group), dict(group[0].ref), raw=None)
                 for group in pages.values()]
        flattened = True
    # a header run on into its abstract, "Kính gửi:" run on into the body (front lines only)
    packed = {i for i, ln in enumerate(lines) if packed_front_line(ln.text, i)}
    if flattened or packed:
        # no line breaks (a web copy, a dump), or packed front lines: cut back into lines at
        # markers and headings
        lines = [RawLine(piece, dict(ln.ref), raw=None) for i, ln in enumerate(lines)
                 for piece in (segment(ln.text) if i in packed or (flattened and len(ln.text) > 300)
                               else [ln.text])]
    wrapped = False if flattened else is_wrapped(lines)
    lead_in = news_lead_in(lines)
    if lead_in:
        lines = lines[lead_in:]  # a web copy's news summary before the document's own header
    header_lines, kind, title_lines, body_i = _split_front(lines, wrapped)
    record = PlanRecord(id=_record_id(doc))
    if lead_in:
        record.warnings.append(f"a news lead-in before the header left out ({lead_in} lines)")
    hdr = parse_header(header_lines)
    document = record.document
    needs_case = hdr.pop("issuer_needs_case", False)
    if hdr.pop("number_digits_missing", False):
        record.warnings.append("number: digits missing (handwritten or stamped, unreadable)")
    if hdr.pop("day_missing", False):
        record.warnings.append("date: day missing (handwritten or stamped, unreadable); "
                               "month in document.date_month")
    document.update(hdr)
    document["type"] = kind or kind_from_number(hdr.get("number"))
    if not document.get("issuer") and not header_lines and body_i < len(lines) \
            and key(lines[body_i].text).startswith(_ENACTING_AUTHORITY) and is_caps(lines[body_i].text):
        # no header (lost in the source): the enacting authority line names the issuing body
        document["issuer"] = issuer_from_authority(lines[body_i].text)
    body_i = _addressees(lines, body_i, document)
    paras = build_paragraphs(lines[body_i:], wrapped)
    all_paras = paras

    # closing block: "Nơi nhận:" list, signature, then appendices / footnotes
    close_i = next((i for i, p in enumerate(paras) if is_recipients_start(p.text)), None)
    appendix: list[Para] = []
    if close_i is not None:
        closing = paras[close_i:]
        recipients, signature, used = closing_block([p.text for p in closing])
        record.recipients = recipients
        record.signature = signature
        appendix = closing[used:]
        if signature is not None:
            signature["provenance"] = ref_list(closing[:used])
        paras = paras[:close_i]
    else:
        # no "Nơi nhận:" list: a signature paragraph alone ends the body (what follows is an
        # attachment or appendix)
        for i, p in enumerate(paras):
            signature = signature_paragraph(p.text) if len(p.text) <= 140 else None
            if signature is not None:
                signature["provenance"] = ref_list([p])
                record.signature = signature
                appendix = paras[i + 1:]
                paras = paras[:i]
                break
    body_paras = paras

    ocr_input = any(p.source == "ocr" for p in doc.pages)
    root = build_tree(body_paras, renumber_roman=ocr_input, join_broken=not flattened)
    assign_roles(root)
    # a preamble written as a bulleted list ("- Căn cứ Quyết định số ...;") is preamble, not a section
    while root.children and root.children[0].style in ("dash", "plus", "dot") \
            and (basis_of(root.children[0].body) or _PROVISION.match(root.children[0].body)) \
            and not root.children[0].children:
        node = root.children.pop(0)
        root.paras.extend([node.para] + node.paras)
    preamble = root.paras
    own_paras = body_paras
    attached = _attached_plan(appendix) \
        if not any(c.style in ("roman", "part") for c in root.children) else None
    if attached is not None:
        # the decision's articles (Điều 1, 2, ...) hold no sections: the plan is the attachment;
        # the header, preamble and signature stay the decision's
        att_kind, att_title, start = attached
        plan_paras = appendix[start:]
        end = next((i for i, p in enumerate(plan_paras) if is_recipients_start(p.text)), len(plan_paras))
        plan_root = build_tree(plan_paras[:end], renumber_roman=ocr_input, join_broken=not flattened)
        assign_roles(plan_root)
        if plan_root.children:
            root, appendix = plan_root, plan_paras[end:]
            document["attachment"] = {"type": att_kind,
                                      "title": clean(" ".join(p.text for p in att_title)) or None,
                                      "provenance": ref_list(att_title)}
            own_paras = body_paras  # (the decision's own text: its title's casing source)
            body_paras = body_paras + plan_paras[:end]

    # title (sentence case, casing from the running text) and period
    if title_lines:
        raw_title = clean(" ".join(ln.text for ln in title_lines))
        if not kind and re.match(r"V/[vV]\b", raw_title):
            document["title_is_vv"] = True
            # no kind line and a "V/v" abstract: a Công văn, whatever its number's code says
            # ("5330/CT-CS" of a Cục Thuế, where CT names the office, not a Chỉ thị)
            document["type"] = "Công văn"
        raw_title = re.sub(r"^(?:V/[vV]|Về việc)\s*[:.]?\s*", "", raw_title) if not kind else \
            re.sub(r"^V/[vV]\s*[:.]?\s*", "", raw_title)
        if flattened:
            abstract = cut_run_on_abstract(raw_title, " ".join(ln.text for ln in lines))
            intro = raw_title[len(abstract):].strip() if raw_title.startswith(abstract) else ""
            if intro:
                # the body's first paragraph the abstract ran on into is preamble: its bases count
                preamble = [Para(intro, [ln.ref for ln in title_lines], body=intro)] + list(preamble)
            raw_title = abstract
        # the enacting authority run on to the title ("... CỦA ĐẢNG THỦ TƯỚNG CHÍNH PHỦ điện:")
        for phrase in load_patterns("segment")["enacting_caps"]:
            pos = raw_title.rfind(phrase)
            if pos > 0 and len(raw_title[pos:].split()) <= 12:
                raw_title = raw_title[:pos].rstrip()
                break
        # (and a folded bullet's dash: "… CÁC CẤP -" / "- Căn cứ …")
        raw_title = re.sub(r"\s+[-–]$", "", raw_title.rstrip(" .;")).rstrip(" .;")
        # the header's own names lend their casing too ("... TỈNH NGHỆ AN" when the body,
        # garbled by OCR, never repeats the place)
        names = [f"của {document[k]}" for k in ("issuer", "issuer_parent") if document.get(k)
                 and not needs_case] + ([f"tại {document['place']}"] if document.get("place") else []) \
            + _REGION_NAMES  # (regions are proper names the body may never repeat: "... TẠI KHU VỰC TRUNG BỘ")
        # caps headings of the body ("PHẦN II. NHIỆM VỤ NĂM 2025", an attached plan's caps title
        # with its "(Ban hành kèm theo …)" note run on) lend no casing
        document["title"] = restore_title_case(raw_title, [p.text for p in list(preamble) + own_paras[:25]
                                                           if not _caps_paragraph(p.text)] + names)
        document["title"] = capitalise_issued_kind(document["title"])
        document["title_provenance"] = ref_list([Para("", [ln.ref for ln in title_lines])])
        document["period"] = parse_period(document["title"])
    if document.get("attachment", {}).get("title"):
        document["attachment"]["title"] = restore_title_case(
            document["attachment"]["title"], [p.text for p in body_paras[-60:]] + [p.text for p in preamble])
    if needs_case and document.get("issuer"):
        # (the body, else the recipients and what follows the signature, write the issuer's name)
        document["issuer"] = fix_uy(restore_title_case(document["issuer"], [p.text for p in body_paras[:40]]
                                                       + [p.text for p in all_paras[-20:]], copy_words=True))
    document["issuer"] = canonical_issuer(document.get("issuer"), document.get("number"))
    DOCUMENT_ISSUER.set(document.get("issuer"))
    if header_lines:
        document["header_provenance"] = [ln.ref for ln in header_lines]

    # legal bases and references
    own = hdr.get("number")
    seen: set[str] = set()
    # (the preamble ends at "QUYẾT ĐỊNH:" / the first article: what an article cites, "Thay thế
    # Quyết định số …", is no basis)
    # (nor does a table run on as text: "1 Chủ trì … Bộ X 31/10/2025 Đã hoàn thành", a row's bare
    # number, ends the preamble; the numbers its columns cite are results, not bases)
    enacted = next((i for i, p in enumerate(preamble) if _ENACTING_CLAUSE.match(p.text)
                    or _TABLE_ROW.match(p.text) and is_run_on_row(p.text)), len(preamble))
    # a letter that answers without numbered items: its answer follows "… có ý kiến như sau:",
    # and what the answer cites is no basis of the letter
    answers = document.get("type") == "Công văn" and not any(
        c.style.startswith("arabic") or c.style in ("roman", "part") for c in root.children)
    answered = False  # (past the answer's opening: references, no bases)
    for p in preamble[:enacted]:
        basis = basis_of(p.text)
        said = _ANSWER_FOLLOWS.search(p.text) if answers and not answered else None
        before = {r.number for r in parse_references(p.text[:said.end()], basis, p.refs)} if said else None
        for ref in parse_references(p.text, basis, p.refs):
            record.references.append(ref)
            if ref.number not in seen and ref.number != own and not answered \
                    and (before is None or ref.number in before):
                seen.add(ref.number)
                record.legal_bases.append(ref.number)
        answered = answered or said is not None
    for node in root.descendants():
        for p in ([node.para] if node.para else []) + node.paras:
            record.references.extend(parse_references(p.body, None, p.refs))

    # (a letter without a kind line is a Công văn: _identity_from_note settles that below)
    if (document.get("type") or ("Công văn" if document.get("addressees") or document.get("title_is_vv")
                                 else None)) in load_patterns("headings")["directive_kinds"]:
        directive_sections(root)
    # sections and items
    prov = record.item_provenance
    tasks_elsewhere = False  # a task section without task items: the tasks are in a table
    for top in root.children:
        role = top.role
        if role in ("purposes", "requirements", "purposes_requirements"):
            for text, its_paras, group in leaf_items(top):
                if group.role == "other":
                    continue
                if group.role == "objectives":
                    # goals nested in the purposes section ("I. MỤC ĐÍCH, YÊU CẦU" > "3. Mục tiêu")
                    text = strip_role_label(item_text(text))
                    record.objectives.append(Objective(
                        scope="general" if group.scope == "general" else "specific", text=text,
                        targets=parse_targets(text, heading_year(group)), group=group_heading(group),
                        provenance=ref_list(its_paras)))
                    continue
                field = "requirements" if group.role == "requirements" else "purposes"
                getattr(record, field).append(strip_role_label(item_text(text)))
                prov.setdefault(field, []).append(ref_list(its_paras))
        elif role == "objectives":
            for text, its_paras, group in leaf_items(top):
                text = strip_role_label(item_text(text))
                default_year = heading_year(group)
                scope = "general" if group.scope == "general" else "specific"
                record.objectives.append(Objective(
                    scope=scope, text=text, targets=parse_targets(text, default_year),
                    group=group_heading(group),
                    provenance=ref_list(its_paras)))
        elif role == "tasks":
            for goals in (n for n in top.descendants() if n.role == "objectives" and n.parent.role == "tasks"):
                for text, its_paras, group in leaf_items(goals):
                    text = strip_role_label(item_text(text))
                    record.objectives.append(Objective(
                        scope="general" if group.scope == "general" else "specific", text=text,
                        targets=parse_targets(text, heading_year(group)), group=group_heading(group),
                        provenance=ref_list(its_paras)))
            leaves = task_leaves(top)
            if not leaves and top.style.startswith("arabic") and not top.excluded \
                    and document.get("type") == "Quyết định":
                # a decision that approves a plan with its terms in Điều 1 ("Điều 1. Phê duyệt … với
                # những nội dung chủ yếu sau: … 5. Nội dung nhiệm vụ: a) …"): a numbered task term
                # with no numbered item below it is one task, its lettered parts its text
                leaves = [top]
            tasks_elsewhere = tasks_elsewhere or not leaves
            record.tasks.extend(fold_role_items(leaves, [make_task(leaf, item_path(leaf)) for leaf in leaves]))
        elif role == "implementation":
            items, provs, duties = implementation_items(top)
            record.implementation.extend(items)
            prov.setdefault("implementation", []).extend(provs)
            record.duties.extend(duties)
    # (an attached plan's own note, "(Ban hành kèm theo Quyết định số …)", names a decision whose header was lost)
    _identity_from_note(document, record, (appendix or body_paras) + all_paras)
    directive = document.get("type") in load_patterns("headings")["directive_kinds"]
    if directive:
        # a directive's numbered items assign the work wherever they sit (Chỉ thị, Công điện,
        # Thông báo kết luận, Công văn): its addressees lead
        record.tasks = [make_task(leaf, item_path(leaf), directive=True) for leaf in directive_leaves(root)]
        if not record.tasks and not any(c.style.startswith("arabic") or c.style in ("roman", "part")
                                        for c in root.children):
            # no numbered item (bullets may follow: "... Cụ thể: - ... - ..."): one request
            record.tasks = _unnumbered_directive(root)
    add_sentence_leads(record.tasks, document.get("type"))
    # a Tờ trình proposes, a Báo cáo reports: neither assigns work
    assigns_work = document.get("type") not in load_patterns("headings")["non_task_kinds"]
    if not assigns_work:
        record.tasks = []
        tasks_elsewhere = False
    if not record.tasks and assigns_work and not any(c.style.startswith("arabic") or c.style in ("roman", "part")
                                                     for c in root.children):
        # a decision with no plan: its article that charges a named body ("Điều 2. Giao Thuế thành
        # phố Hà Nội căn cứ … để hướng dẫn …") is one task
        record.tasks.extend(_assigning_articles(body_paras))
    listed = _appendix_list_tasks(appendix, ocr_input, directive)
    if listed:
        # "PHỤ LỤC" with numbered tasks and "Đơn vị chủ trì: ..." / "Đơn vị phối hợp: ..." labels
        record.tasks.extend(listed)
    record.tasks.extend(table_tasks)
    fallback: list = []
    if (not record.tasks or tasks_elsewhere) and not table_tasks and assigns_work:
        # tasks in an appendix table (after the signature, or in the body when the closing
        # block was not recognised)
        known = [d.agency for d in record.duties if d.agency] + [a for t in record.tasks for a in t.lead]
        fallback = appendix_tasks(appendix or body_paras, known)
        record.tasks.extend(fallback)
    if not table_tasks and not fallback and assigns_work:
        # a task table in the appendix whose cells run on as text (web copies, dumps)
        # (after the signature, or at the end of an attached plan)
        record.tasks.extend(flat_table_tasks(appendix) or flat_table_tasks(body_paras))
    if not record.tasks and assigns_work:
        # a task table with no header row, its rows run on as text ("1 Chủ trì … Bộ X 31/10/2025 …")
        record.tasks.extend(run_on_row_tasks(all_paras))

    record.sections = _sections(root)
    record.provenance = {
        "source": doc.source, "sha256": doc.sha256, "pages": len(doc.pages),
        "input_shape": "flattened" if flattened else "wrapped-lines" if wrapped else "paragraph-lines",
        "page_sources": sorted({p.source for p in doc.pages}),
        "stages": sorted(doc.meta.keys()) if doc.meta else [],
    }
    if not document["type"]:
        record.warnings.append("document kind not found")
    if not root.children:
        record.warnings.append("no numbered sections: not a plan, header and references only")
    return record


_ASSIGNING_SENTENCE = re.compile(rf"Điều\s+\d{{1,3}}\s*[.:]\s+({ASSIGNING_OPENING}[^:]*[.;]/?\.?)\s*$")


def _assigning_articles(paras: list[Para]) -> list:
    """A decision's articles that are one sentence charging a named body with work ("Điều 2. Giao
    Sở X căn cứ … tổ chức …."): one task each, led by that body, its path the article's number
    ("2"), or "" when there is one such article (the record's one task, as the gold reads it); an
    article that designates ("Giao X là cơ quan thường trực …") assigns no work. An article over
    numbered duties ("Điều 2. Giao Giám đốc Sở X:") is read with its items elsewhere."""
    from .items import directive_subject, make_task
    out = []
    for p in paras:
        m = _ASSIGNING_SENTENCE.match(p.text)
        if not m:
            continue
        text = re.sub(r"\s*\./\.$", ".", m.group(1))
        lead = directive_subject(text, False)
        if not lead or _DESIGNATION.match(text[text.find(lead[0]) + len(lead[0]):] if lead[0] in text else ""):
            continue  # "Giao Văn phòng UBND tỉnh là cơ quan thường trực …": a designation, no work
        number = re.match(r"Điều\s+(\d{1,3})", p.text).group(1)
        task = make_task(Node(Para(text=text, refs=p.refs, body=text), "directive"), number, directive=True)
        out.append(task)
    if len(out) == 1:
        out[0].path = ""  # one such article: the record's one task, no list numeral (as the gold reads it)
    return out


#: what follows the body an article names when it designates, not charges: a role and nothing more
#: ("Giao X là/làm cơ quan thường trực của Ban Chỉ đạo."); a role then ", có trách nhiệm …",
#: "; <work> …" or a deadline charges it with work
_DESIGNATION = re.compile(r"\s*(?:là|làm)\s(?![^,;]*\b(?:trước ngày|hằng năm|định kỳ|năm \d{4}))[^,;]*\.?\s*$")


#: what an answer asks when it only points the asker to the law ("Đề nghị Công ty căn cứ quy định
#: tại Điều 61 Luật … và thực tế hoạt động của Công ty để thực hiện.")
_REFERRAL = re.compile(r"(?:căn cứ|nghiên cứu)\s+(?:các\s+)?(?:quy định|hướng dẫn)\b[^.]*?"
                       r"(?:để\s+)?thực hiện(?:\s+theo\s+(?:đúng\s+)?quy định(?:\s+của pháp luật)?)?\s*[.;]?$"
                       r"|thực hiện theo\s+(?:đúng\s+)?(?:các\s+)?(?:quy định|hướng dẫn)\b[^.;]*[.;]?$")


def _refers_to_the_law(text: str, lead: list[str]) -> bool:
    """The request only refers its addressee to the provisions that answer it, then "to act":
    no work is assigned (the answer itself)."""
    first = re.split(r"(?<=\.)\s+(?=[A-ZĐÀ-Ỹ])", text, maxsplit=1)[0]
    at = first.find(lead[-1]) + len(lead[-1]) if lead and lead[-1] in first else -1
    return at > 0 and bool(_REFERRAL.match(first[at:].strip()))


def _unnumbered_directive(root: Node) -> list:
    """A directive without numbered items ("... có ý kiến như sau: Giao các Bộ: ... trước ngày
    10 tháng 5 năm 2026 ..."): its assigning paragraph is one task with path ""."""
    from .agencies import normalize_agency
    from .items import directive_subject, make_task
    for p in root.paras:
        m = re.search(r"(?:^|:\s+)((?:Giao|Đề nghị|Yêu cầu)\s+\S.*)$", p.text)
        if not m or (basis_of(p.text) and m.start(1) == 0):
            continue  # ("Căn cứ ..." itself is no directive; "Xét đề nghị ..., có ý kiến như sau: Giao ..." is)
        text = m.group(1)
        if _refers_to_the_law(text, directive_subject(text, False)):
            continue
        para = Para(text=text, refs=p.refs, body=text)
        return [make_task(Node(para, "directive"), "", directive=True)]
    for p in root.paras:
        # "Nhằm ..., Sở Giáo dục và Đào tạo đề nghị UBND các xã, phường; ... thực hiện ...": the
        # sentence in which the issuer asks a named body is the request
        for sent in _sentences(p.text):
            if basis_of(sent) and sent.startswith(("Căn cứ", "Thực hiện", "Theo")):
                continue
            for m in re.finditer(r"(?:đề nghị|yêu cầu)\s+(?=\S)", sent):
                # the issuer may be unsaid: "Để việc … được triển khai thống nhất, đề nghị bộ, ngành …"
                before = re.search(r",\s+(?:([^,;]{3,80}?)\s)?$", sent[:m.start()])
                if not before or re.search(r"\bđã\b", before.group(1) or ""):
                    continue  # "Bộ Nội vụ đã có Văn bản số ... đề nghị ...": an earlier request reported
                lead = directive_subject("Đề nghị " + sent[m.end():], False)
                if not lead:
                    continue  # "theo đúng yêu cầu của Bộ Chính trị": the noun, no request
                node = Node(Para(text=sent, refs=p.refs, body=sent), "directive")
                task = make_task(node, "", directive=True)
                task.lead = lead
                task.lead_ids = [normalize_agency(a) for a in task.lead]
                return [task]
    return []


def _sentences(text: str) -> list[str]:
    """Sentences: cut after "." / ";" before a capital (a lower-case word after ";" goes on)."""
    out, at = [], 0
    for m in re.finditer(r"(?<=[.;])\s+(?=\S)", text):
        if text[m.end()].isupper():
            out.append(text[at:m.start()])
            at = m.end()
    out.append(text[at:])
    return [s for s in out if s.strip()]


def _appendix_list_tasks(appendix: list[Para], ocr_input: bool, directive: bool) -> list:
    """Tasks listed in an appendix ("PHỤ LỤC" / its title / "(Kèm theo ...)" / "1. Xây dựng ...
    a) Đơn vị chủ trì: ... b) Đơn vị phối hợp: ... c) Thời gian hoàn thành: ..."): the arabic
    leaves of its section tree, paths "PL.1", "PL.2"; a table is left to the table reader."""
    start = next((i for i, p in enumerate(appendix) if key(p.text).startswith("phu luc") and is_caps(p.text, 0.8)),
                 None)
    if start is None:
        return []
    paras = appendix[start + 1:]
    if any(("chu tri" in key(p.text) and "phoi hop" in key(p.text) and len(p.text) < 300) for p in paras[:8]):
        return []  # a table header row ("STT | Nhiệm vụ | Chủ trì | Phối hợp")
    end = next((i for i, p in enumerate(paras) if is_recipients_start(p.text)), len(paras))
    tree = build_tree(paras[:end], renumber_roman=ocr_input)
    assign_roles(tree)
    from .items import make_task
    leaves = [n for n in tree.descendants() if n.style.startswith("arabic")
              and not any(d.style.startswith("arabic") for d in n.descendants())]
    # an appendix of numbered prose or figures is no task list: most items say who leads
    # ("chủ trì") or who works with whom ("phối hợp")
    assigned = [n for n in leaves if re.search(r"chu tri|phoi hop", key(" ".join(p.text for p in n.all_paras())))]
    if not leaves or len(assigned) < 0.5 * len(leaves):
        return []
    return [make_task(n, "PL." + item_path(n), directive=directive) for n in leaves]


#: "(Kèm theo Công văn số 6225/BVHTTDL-VP ngày 18/11/2025 của Bộ …)", any kind of headings.json
#: document_kinds ("Hướng dẫn số 40-HD/BTGDVTW, ngày 27/11/2025")
_NOTE = re.compile(r"\(\s*(?:Ban hành\s+)?[Kk]èm theo\s+(%s)\s+số\s*:?\s*"
                   r"(\d[\w./&-]*\w),?\s+ngày\s+(\d{1,2})(?:[/-]|\s+tháng\s+)(\d{1,2})(?:[/-]|\s+năm\s+)(\d{4})"
                   r"(?:\s+của\s+([^)]{3,120}))?\)"
                   % "|".join(sorted(set(load_patterns("headings")["document_kinds"].values()), key=len, reverse=True)))


_SELF_KIND = re.compile(r"\b(Công điện|Chỉ thị|Công văn|Thông báo|Kết luận|Kế hoạch|Quyết định|Tờ trình) này\b")


_PLACE_NAME = r"[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3}"


def _complete_issuer(issuer: str, text: str) -> str:
    """An issuer an appendix note names only in part ("của Ủy ban nhân dân Thành phố", "của Ban
    Chỉ đạo"), completed from the letter's own text: a trailing "Thành phố" / "Tỉnh" by the place
    the letter names most ("trên địa bàn Thành phố Hồ Chí Minh"); a name by the longest form the
    body gives it before a sender's verb ("Ban Chỉ đạo thực hiện sắp xếp … 2 cấp yêu cầu …",
    document.json sender_verbs)."""
    from collections import Counter
    ml = re.search(r"\s(Thành phố|Tỉnh)$", issuer)
    if ml:
        word = ml.group(1)
        places = Counter(m.group(1) for m in re.finditer(
            rf"\b{word}\s+({_PLACE_NAME})" if word == "Thành phố" else rf"\b[Tt]ỉnh\s+({_PLACE_NAME})", text))
        if places:
            return f"{issuer} {places.most_common(1)[0][0]}"
        return issuer
    if len(issuer.split()) > 4:
        return issuer  # a name in part is a head and a word or two ("Ban Chỉ đạo", "Hội đồng")
    verbs = "|".join(re.escape(v) for v in load_patterns("document")["sender_verbs"])
    best = issuer
    for m in re.finditer(rf"{re.escape(issuer)}((?:\s+[^\s.;:()]+){{1,30}}?)\s+(?:{verbs})\b", text):
        more = m.group(1).strip()
        if not more[:1].islower() or re.match(rf"(?:{verbs}|đã|sẽ|đang)\b", more):
            continue  # ("Bộ X yêu cầu Thủ trưởng … được giao": the name was whole)
        if len(issuer) + len(more) + 1 > len(best):
            best = f"{issuer} {more}"
    return best


def _identity_from_note(document: dict, record: PlanRecord, paras: list[Para]) -> None:
    """A document whose header was lost (a copy that starts at "Kính gửi:") is named by its own
    appendix: "(Kèm theo Công văn số 6225/BVHTTDL-VP ngày 18/11/2025 của Bộ ...)"; and a
    document with neither a kind line nor a kind code but a "V/v" abstract or addressees is a
    Công văn."""
    from .header import iso_date
    if not document.get("number"):
        for p in paras:
            m = _NOTE.search(p.text)
            if m:
                kind, number, d, mth, y, issuer = m.groups()
                if document.get("type") in (None, kind):
                    document["type"] = kind
                    document["number"] = number
                    document["date"] = document.get("date") or iso_date(d, mth, y)
                    if issuer and not document.get("issuer"):
                        document["issuer"] = _complete_issuer(clean(issuer).rstrip(" .,"),
                                                              " ".join(p.text for p in paras))
                break
    if not document.get("type"):
        # no kind line (a copy that starts at the addressee list): the text names itself
        # ("... theo dõi, đôn đốc thực hiện Công điện này")
        m = next((m for p in paras for m in [_SELF_KIND.search(p.text)] if m), None)
        if m:
            document["type"] = m.group(1)
    if not document.get("type") and (document.get("addressees") or document.get("title_is_vv")):
        document["type"] = "Công văn"
    document.pop("title_is_vv", None)


def _sections(root: Node) -> list[Section]:
    out = []

    def walk(node: Node, parent_path: str | None, level: int):
        for c in node.children:
            if c.style in ("dash", "plus", "dot"):
                continue
            path = f"{parent_path}.{c.num}" if parent_path and c.style not in ("roman", "part") else c.num
            if c.style.startswith("arabic") and "." in c.num and parent_path:
                path = f"{parent_path.split('.')[0]}.{c.num}"
            out.append(Section(path=path, marker=c.para.marker if c.para else "", heading=item_text(
                c.body if c.is_heading else c.body[:160]), role=_public_role(c.role), level=level,
                parent=parent_path, provenance=ref_list([c.para]) if c.para else []))
            walk(c, path, level + 1)

    walk(root, None, 1)
    return out


def _public_role(role: str) -> str:
    return "purposes" if role == "purposes_requirements" else role


def preload() -> None:
    """Build now what extract otherwise builds on its first document: every pattern file of
    ``patterns/`` and the spaCy pipelines and matchers made from them (agency heads, the
    gazetteer, the entity ruler). Called before worker processes fork, so they share it, and
    before timing documents, so the first one is not charged for it."""
    from . import agencies, entities, items, text
    for path in sorted(text.PATTERN_DIR.glob("*.json")):
        text.load_patterns(path.stem)
    for build in (agencies._nlp, agencies._head_matcher, agencies._gazetteer_matcher,
                  agencies.label_keys, agencies._verb_pairs, agencies._inner_words, agencies._paired_inner_words,
                  entities._ruler_nlp, items._kind_keys, text._ocr_head_rules):
        build()
