"""From a Document's lines to paragraphs with list markers and provenance.

Two input shapes: one paragraph per line (born-digital text, dev plans) and one rendered line
per line (OCR: paragraphs wrapped over several lines, page numbers at the top of pages from
page 2). A wrapped paragraph ends at a short line, a blank line or a page's end when the next
line starts a list item; a new one starts at a list marker (I., 1., 1.1., a), -, +).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Document, union_bbox
from .text import (CHAPTER_MARK, clean, fold, is_caps, is_syllable, key, load_patterns, opens_addressee_list,
                   opens_quoted_provision, repair_ocr_case, repair_ocr_heads)

_ROMAN = re.compile(r"^([IVXL]{1,6})\s*[.)]\s*(?=\S)")
_ROMAN_DASH = re.compile(r"^([IVXL]{1,6})\s+[-–]\s+(?=[A-ZĐÀ-Ỹ])")
_ARABIC_MULTI = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(?=\S)")
# OCR: "1," for "1." before a capitalised word; "a}" / "a]" for "a)"
_ARABIC = re.compile(r"^(\d{1,2})\s*(?:[.)]\s*(?=[^\d\s/])|,\s+(?=[A-ZĐÀ-Ỹ][a-zđà-ỹ]))")
_ARABIC_ONE_OCR = re.compile(r"^[l|]\s*[.,]\s+(?=[A-ZĐÀ-Ỹ][a-zđà-ỹ])")  # "l. Mục đích": a misread "1."
_LETTER = re.compile(r"^([a-zđ])\s*[)}\]]\s*(?=\S)|^([a-zđ])\.\s+(?=[A-ZĐÀ-Ỹ])")  # "a)", also "a. Nhận thức …"
_BULLET = re.compile(r"^([-–+•*~])\s*(?=[\"“(]?[A-ZĐÀ-Ỹ0-9]|\S)")
# OCR misreads of roman numerals before an all-caps heading: "H.", "Il.", "IL", "1I.", "|I.",
# "Ill." restored by a word model to "Ils.", "Ii.", "Vv."
_ROMAN_OCR = re.compile(r"^([IVXLHl1|!ÍÌ][IVXLHlivx1|!ÍÌsítj]{0,4})\s*[.,:;]?\s+(?=[A-ZĐÀ-Ỹ]{2,})")
_YEAR_END = re.compile(r"\b(?:19|20)\d\d$")
_YEAR_RANGE_GOES_ON = re.compile(r"^[-–]\s*(?:19|20)\d\d\b")
_PAGE_NUMBER = re.compile(r"^[-–]?\s*\d{1,3}\s*[-–]?$")

#: Words that do not open a sentence after a heading line: a capital on them is an OCR slip.
#: Capitalised names that go on a sentence rather than start one ("... của" / "Thành phố").
_NAME_OPENINGS = {"thành phố", "nhà nước", "trung ương", "tỉnh ủy", "thành ủy", "quốc gia"}
#: Words a heading never ends on: the line breaks inside a sentence.
_OPEN_ENDINGS = {"vào", "về", "theo", "từ", "đến", "trên", "thuộc", "là", "được", "bằng", "giữa"}
_RUN_ON_WORDS = {"và", "của", "cho", "với", "trong", "tại", "để", "các", "những", "hoặc"}

STYLE_RANK = {"part": -1, "roman": 0, "arabic1": 1, "arabic2": 2, "arabic3": 3, "arabic4": 4, "paren": 4.5,
              "letter": 5, "dash": 6, "plus": 7, "dot": 8}
#: "(1)", "(2)": numbered items in parentheses, sub-items one level below the arabic numbering
#: around them (like lettered items: they belong to the task above them)
_ARABIC_PAREN = re.compile(r"^\((\d{1,2})\)\s*(?=[A-ZĐÀ-Ỹ\"“])")


@dataclass
class Para:
    """One paragraph: text (NFC, spaces folded), list marker split off, the lines it came from."""
    text: str
    refs: list[dict] = field(default_factory=list)
    marker: str | None = None   # "I.", "1.", "2.1.", "a)", "-"
    style: str | None = None    # key of STYLE_RANK
    num: str | None = None      # "II", "2.1", "a"
    body: str = ""              # text without the marker
    #: The text before normalize rewrote it (OCR as read), when it differs; headings are
    #: matched on both, so a wrong diacritic restoration does not hide a section's role.
    raw: str | None = None

    @property
    def bbox(self):
        return union_bbox([tuple(r["bbox"]) if r.get("bbox") else None for r in self.refs])


_NUMBERED_LETTER = re.compile(r"\s*\d{1,2}(?:\.\d{1,2})*\.([a-zđ])[.)]\s+(?=\S)")
_VALID_ROMAN = re.compile(r"X{0,2}(?:IX|IV|V?I{0,3})")


def _sentence_case_heading(numeral: str, body: str) -> bool:
    """ "II. Nhiệm vụ và giải pháp": a roman heading written in sentence case (a valid numeral,
    a capitalised short line without closing punctuation)."""
    return bool(_VALID_ROMAN.fullmatch(numeral)) and body[:1].isupper() and 3 <= len(body) <= 120 \
        and body[-1:] not in ".;,…" and not re.match(r"[A-ZĐ]\.", body)


def parse_marker(text: str) -> tuple[str | None, str | None, str | None, str]:
    """(marker, style, number, body) of a paragraph's leading list marker."""
    for rx, _style in ((_ROMAN, "roman"), (_ROMAN_DASH, "roman")):
        m = rx.match(text)
        if m and (len(text) < 12 or is_caps(text[m.end():m.end() + 40], 0.6)
                  or _sentence_case_heading(m.group(1), text[m.end():].strip())):
            return m.group().strip(), "roman", m.group(1), text[m.end():].strip()
    m = _ROMAN_OCR.match(text)
    if m and not m.group(1).isdigit() and re.search(r"[IVXLHl|]", m.group(1)) \
            and is_caps(text[m.end():m.end() + 60], 0.85) and len(text) < 200:
        return m.group().strip(), "roman", m.group(1), text[m.end():].strip()
    m = _NUMBERED_LETTER.match(text)
    if m and len(text) > 8:
        # "4.1.a. Sở Xây dựng nghiên cứu …": the lettered parts of item 4.1, numbered in full
        return m.group().strip(), "letter", m.group(1), text[m.end():].strip()
    m = _ARABIC_MULTI.match(text)
    if m:
        depth = m.group(1).count(".") + 1
        return m.group().strip(), f"arabic{min(depth, 4)}", m.group(1), text[m.end():].strip()
    m = _ARABIC.match(text)
    if m:
        return m.group().strip(), "arabic1", m.group(1), text[m.end():].strip()
    m = _ARABIC_ONE_OCR.match(text)
    if m:
        return m.group().strip(), "arabic1", "1", text[m.end():].strip()
    m = _ARABIC_PAREN.match(text)
    if m and len(text) > 6:
        return m.group().strip(), "paren", m.group(1), text[m.end():].strip()
    m = _LETTER.match(text)
    if m and len(text) > 4:
        return m.group().strip(), "letter", m.group(1) or m.group(2), text[m.end():].strip()
    m = _BULLET.match(text)
    if m and len(text) > 2:
        sym = m.group(1)
        style = {"-": "dash", "–": "dash", "~": "dash", "+": "plus"}.get(sym, "dot")
        return sym, style, sym, text[m.end():].strip()
    return None, None, None, text


def _starts_item(text: str) -> bool:
    marker, style, _, body = parse_marker(text)
    if marker is None:
        return False
    if style in ("dash", "plus", "dot"):
        # "- xã hội" at the start of a wrapped line is a hyphen, not a bullet
        return body[:1].isupper() or body[:1].isdigit() or body[:1] in "\"“("
    return True


def is_recipients_start(text: str) -> bool:
    """ "Nơi nhận:" (also OCR-damaged: "Noi nh@n:", "Nơi nhân:")."""
    k = fold(text[:12]).lower()
    # the first letter is often misread ("4ơi nhận:", "Hoi nhan:")
    return k.startswith("noi nhan") or bool(re.match(r"[a-z0-9|]?[oơ0]i\s*nh\S{0,2}n\s*:", k))


def _heading_then_sentence(prev: str, cur: str) -> bool:
    """A numbered heading line (no closing punctuation) followed by a line that starts a
    sentence: a capitalised word followed by a lower-case one, not a name ("Ủy ban", "Thủ tướng")."""
    if not parse_marker(prev)[0] or prev[-1:] in ".,;:-–(" or parse_marker(prev)[1] in ("dash", "plus", "dot"):
        return False
    words = cur.split()
    if len(words) < 2 or not words[0][:1].isupper() or words[0].isupper():
        return False
    if words[0].lower() in _RUN_ON_WORDS:
        return False  # "Và môi trường, ..." (OCR capital): the heading goes on
    if not words[1][:1].islower():
        return False
    if prev.split()[-1].lower() in _RUN_ON_WORDS | _OPEN_ENDINGS:
        return False  # "... tích hợp vào" / "Hệ thống quốc gia": no heading ends on a preposition
    if " ".join(words[:2]).lower().strip(",;.") in _NAME_OPENINGS:
        return False  # "... dữ liệu quy hoạch" / "Thành phố, tùy ...": a name, the heading goes on
    from .agencies import head_starts, is_bare_head
    _, starts = head_starts(" ".join(words[:3]))
    if 0 in starts:
        return False
    # a body's name wrapped after its head ("… với Sở X, Ban Quản lý" / "Khu kinh tế Y và …"):
    # a capitalised head alone ends no heading
    tail = prev.split()[-3:]
    return not any(tail[-n][:1].isupper() and is_bare_head(" ".join(tail[-n:])) for n in range(1, len(tail) + 1))


@dataclass
class RawLine:
    text: str
    ref: dict
    blank_before: bool = False
    page_start: bool = False
    raw: str | None = None  # the line before normalize (Word.raw), when it differs
    #: For scans: the line starts right of the page's text margin (a first-line indent).
    indented: bool | None = None


def _looks_like_page_number(line, page) -> bool:
    """A misread page number: a mark of at most 3 characters, narrow, alone at the top."""
    text = line.text.strip()
    if len(text) > 3 or parse_marker(text)[0]:
        return False
    if line.bbox and page.width:
        x0, _, x1, _ = line.bbox
        return (x1 - x0) < 0.05 * page.width and abs((x0 + x1) / 2 - page.width / 2) < 0.15 * page.width
    return not any(c.isalpha() for c in text[1:])


_DOC_NUMBER_TOKEN = re.compile(r"[(\[]?[\w&.-]*/[\w&/.-]*[)\].,;:]*")


def _keeps_raw(word) -> bool:
    """A document number as OCR read it ("CTr/TU", "30-TB/TGV"): a word model that restores
    diacritics has no business rewriting it ("ct/TU", "TB/TỪ"), so the raw form wins."""
    raw = word.raw
    return bool(raw and raw.isascii() and _DOC_NUMBER_TOKEN.fullmatch(raw)
                and sum(c.isupper() for c in raw) >= 2 and fold(word.text) != raw)


def _line_text(line) -> str:
    if not any(w.raw is not None for w in line.words):
        return line.text
    return " ".join(_merge_raw(w.text, w.raw) if _keeps_raw(w) else w.text for w in line.words)


def _merge_raw(text: str, raw: str) -> str:
    """The raw token, with the restored letters where they only add diacritics (D -> Đ)."""
    if len(text) == len(raw):
        return "".join(t if fold(t) == r else r for t, r in zip(text, raw))
    return raw


def _is_ocr_noise(text: str) -> bool:
    """A short line with no word in it (a misread page number "fs)", a stamp speck): dropped,
    and the paragraph around it runs on. Lone list letters ("b)") are kept."""
    if len(text) > 5 or re.fullmatch(r"[a-hđ]\)|\d+", text):
        return False
    words = re.findall(r"[^\W\d_]+", text)
    return not any(len(w) >= 2 and is_syllable(w) for w in words) and not re.fullmatch(r"[IVXL]+\.?", text)


def document_lines(doc: Document) -> list[RawLine]:
    """Non-empty lines in reading order with provenance; page-number lines dropped."""
    out: list[RawLine] = []
    next_page_number = 2
    for page in doc.pages:
        first = True
        blank = False
        page_break = False
        for i, line in enumerate(page.lines, start=1):
            text = repair_ocr_heads(repair_ocr_case(clean(_line_text(line))))
            if not text:
                blank = True
                continue
            if first and page.number > 1 and (_PAGE_NUMBER.match(text) or _looks_like_page_number(line, page)):
                first = False
                next_page_number = page.number + 1
                continue
            if (text.isdigit() and next_page_number <= int(text) <= next_page_number + 3) \
                    or _is_ocr_noise(text):
                # OCR text without form feeds: the page number sits alone between two lines;
                # what follows starts a page (a paragraph may run on), not a paragraph
                next_page_number = int(text) + 1 if text.isdigit() else next_page_number
                first = True
                page_break = True
                continue
            ref = {"page": page.number, "line": i,
                   "bbox": list(line.bbox) if line.bbox else None}
            raw = None
            if any(w.raw is not None for w in line.words):
                raw = clean(" ".join(w.raw if w.raw is not None else w.text for w in line.words))
                raw = raw if raw != text else None
            out.append(RawLine(text, ref, blank_before=blank and not page_break, page_start=first, raw=raw))
            first = False
            blank = False
            page_break = False
        _mark_indents([ln for ln in out if ln.ref["page"] == page.number])
    return out


def _mark_indents(lines: list[RawLine]) -> None:
    """Flag lines whose left edge sits an indent right of the page's text margin (boxes only)."""
    boxes = [ln.ref["bbox"] for ln in lines if ln.ref.get("bbox")]
    if len(boxes) < 5:
        return
    lefts = sorted(b[0] for b in boxes)
    margin = lefts[len(lefts) // 10]
    span = max(b[2] for b in boxes) - margin
    if span <= 0:
        return
    for ln in lines:
        b = ln.ref.get("bbox")
        if b:
            offset = (b[0] - margin) / span
            # a first-line indent (~1 cm of ~16 cm), not a centred or right-column line
            ln.indented = 0.035 <= offset <= 0.15


def is_wrapped(lines: list[RawLine]) -> bool:
    """True for OCR-shaped text (rendered lines), False for one paragraph per line."""
    lengths = sorted(len(ln.text) for ln in lines)
    if len(lengths) < 8:
        return False
    p90 = lengths[int(len(lengths) * 0.9)]
    return p90 < 115


#: A document code cut at a line end after its hyphen ("122/CTPH-BVHTTDL-" / "BGDĐT, ngày"):
#: an upper-case letter or digit glued to the hyphen, and the next line going on in capitals.
_CODE_CUT = re.compile(r"[A-ZĐ0-9]-$")
_CODE_GOES_ON = re.compile(r"^[A-ZĐ0-9]")


def _join_wrapped(lines: list[str]) -> str:
    """Wrapped lines as one paragraph: a space between lines, except inside a document code
    cut at its hyphen. (Words hyphenated at a line end are rare in Vietnamese, which is
    monosyllabic, so any other hyphen is kept as written.)"""
    out = ""
    for line in lines:
        line = line.strip()
        if out and not (_CODE_CUT.search(out) and _CODE_GOES_ON.match(line)):
            out += " "
        out += line
    return out


def _cut_mid_phrase(line: str) -> bool:
    """A (short, indented first) line that ends where no sentence or heading can: on "số"
    (its number follows), a preposition or conjunction, or a list's next head ("..., Bộ")."""
    words = line.rstrip().split()
    if not words or line.rstrip()[-1:] in ".;:!?)\"”":
        return False
    last = words[-1].lower()
    return last in _RUN_ON_WORDS | _OPEN_ENDINGS | {"số"} or (
        last in ("bộ", "sở", "ban", "cục", "ủy", "uỷ") and len(words) > 1 and words[-2].endswith(","))


_ARTICLE_START = re.compile(r"Điều\s+\d{1,3}\s*[.:](?:\s|$)")
#: "Chương I" / "Chương II" over its caps title: a regulation's chapter opens a paragraph
_CHAPTER_START = re.compile(rf"{CHAPTER_MARK}\b\.?\s*$")
_ATTACHMENT_NOTE = tuple(load_patterns("document")["attachment_note"])
_ATTACHMENT_KINDS = frozenset(load_patterns("document")["attachment_kinds"])


def _attachment_front_break(prev: str, cur: str) -> bool:
    """Lines of an attached document's front that are paragraphs of their own: its kind alone
    in capitals under a repeated issuer line ("ỦY BAN NHÂN DÂN TỈNH AN BÌNH" / "QUY CHẾ"), the
    "(Ban hành kèm theo …)" note under a title in sentence case, and what follows that note
    ("Chương I")."""
    if is_caps(cur) and key(cur) in _ATTACHMENT_KINDS:
        return True
    if cur.startswith("(") and key(cur).startswith(_ATTACHMENT_NOTE):
        return True
    return prev.startswith("(") and prev.rstrip().endswith(")") and key(prev).startswith(_ATTACHMENT_NOTE)


def build_paragraphs(lines: list[RawLine], wrapped: bool | None = None) -> list[Para]:
    """Join wrapped lines into paragraphs and split off list markers."""
    if wrapped is None:
        wrapped = is_wrapped(lines)
    paras: list[Para] = []
    if not lines:
        return paras
    if not wrapped:
        groups = [[ln] for ln in lines]
    else:
        lengths = sorted(len(ln.text) for ln in lines)
        full = lengths[int(len(lengths) * 0.9)]
        short = 0.8 * full
        groups = [[lines[0]]]
        for prev, cur in zip(lines, lines[1:]):
            both_caps = is_caps(prev.text) and is_caps(cur.text)
            new = (
                _starts_item(cur.text)
                or cur.blank_before
                or (len(prev.text) < short and not both_caps)
                or is_caps(prev.text) != is_caps(cur.text)
                or bool(cur.indented)
                or fold(cur.text).lower().startswith("can cu ") or opens_addressee_list(cur.text)
                or bool(_ARTICLE_START.match(cur.text))  # "Điều 2. …": an article opens a paragraph
                or bool(_CHAPTER_START.match(cur.text)) or _attachment_front_break(prev.text, cur.text)
                or is_recipients_start(cur.text)
                or prev.text.endswith("/.")
                # (not a full-width "1. Sở Tư pháp: phối hợp ... thực hiện Luật" / "Bảo vệ ...":
                # an item with an inline label whose sentence goes on)
                or (_heading_then_sentence(prev.text, cur.text)
                    and (len(prev.text) < 0.9 * full or not re.search(r":\s", prev.text)))
            )
            if new and cur.page_start and not _starts_item(cur.text) and not cur.blank_before \
                    and len(prev.text) >= short and not cur.text[:1].isupper():
                new = False  # a paragraph running on to the next page
            if new and cur.text[:1].islower() and prev.text[-1:] not in ".;:!?" \
                    and not _starts_item(cur.text) and len(prev.text) >= short:
                new = False  # a sentence running on past a page break (no form feed in the dump)
            if new and not _starts_item(cur.text) and not cur.blank_before and not both_caps \
                    and is_caps(prev.text) == is_caps(cur.text) and _cut_mid_phrase(prev.text):
                new = False  # "... Nghị định số" / "161/2024/NĐ-CP ...": a line cut mid-phrase goes on
            if new and _YEAR_END.search(prev.text) and _YEAR_RANGE_GOES_ON.match(cur.text) \
                    and not cur.blank_before:
                new = False  # "giai đoạn 2021" / "- 2030": a year range cut at its dash
            if new and _CODE_CUT.search(prev.text.rstrip()) and _CODE_GOES_ON.match(cur.text) \
                    and not cur.blank_before:
                new = False  # a document code cut at its hyphen goes on on the next line
            if new:
                groups.append([cur])
            else:
                groups[-1].append(cur)
    for group in groups:
        text = _join_wrapped([ln.text for ln in group])
        raw = _join_wrapped([ln.raw or ln.text for ln in group]) \
            if any(ln.raw for ln in group) else None
        text = clean(text)
        marker, style, num, body = parse_marker(text)
        if style in ("dash", "plus", "dot") and not (body[:1].isupper() or body[:1].isdigit()
                                                   or body[:1] in "\"“("):
            marker = style = num = None
            body = text
        paras.append(Para(text=text, refs=[ln.ref for ln in group], marker=marker, style=style,
                          num=num, body=body, raw=clean(raw) if raw else None))
    return _join_quoted_provisions(paras)


#: the most paragraphs a quoted provision runs over ("“Điều 6. … | 1. … | a) … | b) …”")
_QUOTE_PARAS = 12


def _join_quoted_provisions(paras: list[Para]) -> list[Para]:
    """A provision quoted from a law over several lines ("… quy định: “Điều 6. … | 1. Trừ … |
    a) … | b) ….”") is one paragraph: its markers are the law's, none of the document's (as
    a folded text reads it, segment._quotes_a_provision). Not a quote left open whose lines go on
    the document's own numbering ("1. … phong trào “Toàn dân … | 2. Sở Nội vụ …")."""
    out: list[Para] = []
    k = 0
    while k < len(paras):
        p = paras[k]
        qa = p.text.rfind("“")
        end = None
        if qa >= 0 and "”" not in p.text[qa:] and opens_quoted_provision(p.text[:qa], p.text[qa + 1:]):
            end = next((m for m in range(k + 1, min(len(paras), k + 1 + _QUOTE_PARAS))
                        if "”" in paras[m].text or "“" in paras[m].text), None)
            if end is not None and "”" not in paras[end].text.split("“")[0]:
                end = None  # a new quote opens before this one closes
        if end is not None and not _goes_on_own_list(out, paras[k + 1:end + 1]):
            group = paras[k:end + 1]
            text = " ".join(g.text for g in group)
            raws = [g.raw or g.text for g in group]
            out.append(Para(text=text, refs=[r for g in group for r in g.refs], marker=p.marker, style=p.style,
                            num=p.num, body=" ".join([p.body] + [g.text for g in group[1:]]),
                            raw=" ".join(raws) if any(g.raw for g in group) else None))
            k = end + 1
            continue
        out.append(p)
        k += 1
    return out


def _goes_on_own_list(before: list[Para], inside: list[Para]) -> bool:
    """Whether a numbered paragraph of ``inside`` goes on the last numbered one ``before``."""
    last = next((p for p in reversed(before) if p.style == "arabic" and p.num and p.num.isdigit()), None)
    return last is not None and any(p.style == "arabic" and p.num == str(int(last.num) + 1) for p in inside)
