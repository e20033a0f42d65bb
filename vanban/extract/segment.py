"""Documents without line breaks (copies of web pages, some PDF text layers, database dumps):
one long line cut back into the lines a printed document has, before anything else reads it.

A cut is made where the text itself says a new line starts:

- list markers: roman (``II. NỘI DUNG``), arabic at any depth (``2.``, ``3.1.``, ``1.2.1.``),
  letters (``a)``), bullets (``-``, ``+``), ``Điều 3.``; a marker counts after a sentence end
  (``.;:``), after a heading (a caps run, or a short marked line without closing punctuation),
  or when its number continues the numbering already open (``3.`` -> ``3.1.``, ``1.`` -> ``2.``);
- runs of capitals (the kind line ``KẾ HOẠCH``, caps titles and headings, ``QUYẾT ĐỊNH:``, the
  enacting authority): their own line;
- the words that open a header, preamble or closing line (``V/v``, ``Kính gửi:``, ``Căn cứ``,
  ``Nơi nhận:``, ``TM.``, ``KT.``, the place before ``, ngày .. tháng .. năm``), and a role
  label written before its first sentence (``3.1. Mục tiêu tổng quát Nâng cao ...``).

The closing block (recipients through the signer's name) stays together: the header parser
reads it as one line. What follows it (an attached plan, an appendix) is cut again. All word
lists are data (``patterns/segment.json``).
"""

from __future__ import annotations

import bisect
import re

from .agencies import (agency_spans, gazetteer_spans, head_starts, only_agencies, opens_member_list, split_agencies,
                       tokenize)
from .text import (CHAPTER_MARK, close_spaced_letters, fold, is_syllable, key, load_patterns,
                   opens_quoted_provision, roman_to_int)

_PATS = dict(load_patterns("segment"))
_PATS["signer_titles"] = load_patterns("headings")["signer_titles"]
_PATS["inline_labels"] = load_patterns("headings")["inline_role_labels"]
_UP = "A-ZĐÀ-Ỹ"
#: "... năm 2025 CÔNG ĐIỆN TẬP TRUNG ...": a date line run on into the kind and the title.
_DATE_THEN_KIND = re.compile(r"năm\s+\d{4}\s+(?:%s)\s+[%s]"
                             % ("|".join(re.escape(k) for k in _PATS["caps_kinds"]), _UP))
#: a kind line that runs on into its caps title and the preamble ("QUYẾT ĐỊNH VỀ VIỆC … Căn cứ …")
_KIND_THEN_BODY = re.compile(r"(?:%s)\s+[%s]{2,}.*?(?:%s)"
                             % ("|".join(re.escape(k) for k in _PATS["caps_kinds"]), _UP,
                                "|".join(_PATS["preamble_openings"])))
_CAPS_WORD = re.compile(rf"[{_UP}][{_UP}]*")
_TOKEN = re.compile(r"\S+")

#: List markers inside running text (a document on one line), by the style they open, in the
#: order they are collected: the counterparts of layout's line-start markers, but stricter (a
#: space after the marker, and mostly a capital after that), because inside a sentence "1.5",
#: "a)" or "-" are seldom markers.
_INLINE_MARKERS = [(style, re.compile(r"(?<!\S)" + body)) for style, body in (
    ("roman", r"([IVXL]{1,5})\.\s+(?=[\"“(]?\w)"),
    ("arabic", rf"(\d{{1,2}}(?:\.\d{{1,2}}){{1,3}}\.?|\d{{1,2}}[.)])\s+(?=[\"“(]?[{_UP}a-zđà-ỹ])"),
    ("letter", rf"\((\d{{1,2}})\)\s+(?=[\"“]?[{_UP}])"),  # "(1)": sub-items, like lettered ones
    ("letter", r"([a-zđ])\)\s+(?=\S)"),
    ("letter", rf"(\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}\.[a-zđ])\.?\s+(?=[\"“(]?[{_UP}])"),  # "2.1.a. Thành lập …"
    ("letter", rf"([a-zđ])\.\s+(?=[{_UP}])"),  # "a. Nhận thức …" (only after a sentence end or heading)
    ("bullet", rf"([-–+•])\s+(?=[\"“(]?[{_UP}0-9])"),
    # "B. NỘI DUNG, NHIỆM VỤ …": a capital letter numbering the parts above the roman sections,
    # before a caps heading (decided on the caps run after it)
    ("part", rf"([A-HĐ])\.\s+(?=[{_UP}]{{2,}})"),
)]
_PART_LETTERS = "ABCDĐEFGH"
#: person titles (agencies.json list_titles, keys) whose holder a second office may follow
_PERSON_TITLES = tuple(key(t) for t in load_patterns("agencies")["list_titles"])
_ROMAN = re.compile(rf"(?<!\S)([IVXL]{{1,5}})\.\s+(?=[{_UP}\d\"“(])")  # a section's numeral before a capital
_ARTICLE = re.compile(r"(?<!\S)Điều\s+\d{1,3}\s*[.:]\s+")
_CHAPTER = re.compile(rf"(?<!\S){CHAPTER_MARK}\.?\s+(?=[{_UP}]{{2,}})")
_PLACE_DATE = re.compile(r"(?<!\S)((?:(?:[" + _UP + r"][a-zà-ỹđ]*|phố)\.?\s+){0,4}[" + _UP +
                         r"][a-zà-ỹđ]*),\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}")
_TABLE_HEADER = re.compile(r"(?<!\S)(?:STT|TT)\s+"
                           r"(?=.{0,200}(?:CHỦ TRÌ|Chủ trì|chủ trì).{0,80}(?:PHỐI HỢP|Phối hợp|phối hợp))")
_NUMBER_LINE = re.compile(r"(?<!\S)Số\s*:\s*\S+")


def packed_front_line(text: str, index: int) -> bool:
    """A front-matter line that packs several lines of a printed document: a header that runs
    on into its "V/v" abstract and date, or "Kính gửi:" that runs on into the body."""
    if index > 12 or len(text) < 120:
        return False
    if re.search(r"\sV/[vV]\s", text) and re.search(r"ngày\s+\d{1,2}\s+tháng", text):
        return True
    if _DATE_THEN_KIND.search(text) or _KIND_THEN_BODY.match(text):
        return True
    return text.startswith("Kính gửi") and len(text) > 250 and bool(re.search(r"\.\s+[A-ZĐÀ-Ỹ]", text))


def needs_segmenting(lines: list[str]) -> bool:
    """True for a text whose lines are far longer than printed paragraphs (a flattened copy)."""
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        return False
    total = sum(len(ln) for ln in lines)
    return total >= 300 and (len(lines) <= 3 or total / len(lines) > 1200)


_INLINE_ITEM = re.compile(r"[.:;]\s+(?:\d{1,2}\.|[IVX]{1,4}\.|[a-zđ]\)|\(\d{1,2}\)|[-–+•])\s+[A-ZĐ]")
_LINE_ITEM = re.compile(r"\s*(?:\d{1,2}\.|[IVX]{1,4}\.|[a-zđ]\)|\(\d{1,2}\)|[-–+•])\s")


def wrapped_run_on(lines: list[str]) -> bool:
    """True for a run-on text hard-wrapped at a page width (a web page printed to PDF, then read
    back): its list items start inside the lines ("… trước ngày 30/11. 2. Bộ Tài chính …"),
    hardly ever at a line's start, so its lines must be joined and cut again."""
    lines = [ln for ln in lines if ln.strip()]
    if len(lines) < 8 or sum(len(ln) <= 130 for ln in lines) < 0.7 * len(lines):
        return False  # (paragraph lines, not a page width's)
    inline = sum(len(_INLINE_ITEM.findall(ln)) for ln in lines)
    at_start = sum(1 for ln in lines if _LINE_ITEM.match(ln))
    return inline >= 3 and at_start < inline


def _is_caps_word(tok: str) -> bool:
    core = tok.strip("\"“”'(),.;:!?")
    if len(core) < 1 or not core[0].isalpha():
        return False
    return core.isupper() and len(core) >= 2 and not re.fullmatch(r"[IVXL]+", core) and is_syllable(core)


def _caps_runs(text: str) -> list[tuple[int, int]]:
    """Spans of two or more consecutive caps syllables (abbreviations such as UBND are not
    syllables and do not start a run; a run may carry them, "-" and numbers inside)."""
    toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    runs = []
    i = 0
    while i < len(toks):
        if not _is_caps_word(toks[i][0]):
            i += 1
            continue
        j = i
        syll = 0
        last = i
        while j < len(toks):
            t = toks[j][0]
            core = t.strip("\"“”'(),.;:!?")
            if _is_caps_word(t) or (j > i and len(core) == 1 and core.isupper() and is_syllable(core)):
                syll += 1
                last = j
            elif core.isupper() and len(core) >= 2 or re.fullmatch(r"(?:19|20)\d\d|\d[\w-]*/[\w/-]+", core):
                last = j  # UBND, a year, a document number inside a caps title
            elif core in ("-", "–", "&") or re.fullmatch(r"[\d/.\-]+", core or "-"):
                pass
            else:
                break
            if t.endswith((".", ":")) and not re.fullmatch(r"[IVXL]+\.|[A-ZĐ]{1,3}\.", t):
                j += 1
                break
            j += 1
        if syll >= 2:
            runs.append((toks[i][1], toks[last][2]))
        i = max(j, i + 1)
    return runs


def segment(text: str) -> list[str]:
    """The lines of a flattened document, in order; their concatenation (with spaces) is
    ``text`` with whitespace folded."""
    text = " ".join(text.split())
    if not text:
        return []
    cut = text.find(" ", 1500)
    head = text[:cut] if cut > 0 else text
    if sum(1 for w in head.split() if len(w) == 1 and w.isalpha() and not is_syllable(w)) >= 3:
        # a header copied with letters spaced out ("ỦY B AN NHÂN D Â N …"): its words closed
        # first, or its caps runs are cut at every stray letter
        text = close_spaced_letters(head) + text[len(head):]
    closing = _closing_span(text)
    if closing is None:
        m = re.search(r"(?<!\S)Nơi nhận\s*:", text)
        if m and len(text) - m.start() <= 600:
            # recipients with no signer known after them, at the end: the closing line
            return _segment_body(text[:m.start()]) + [text[m.start():].strip()]
        return _segment_body(text)
    a, b = closing
    out = _segment_body(text[:a]) + [text[a:b].strip()]
    if b < len(text):
        out += _segment_body(text[b:])
    return out


#: the preamble that follows a Quyết định's (Nghị quyết's) enacting body
_PREAMBLE_AFTER = re.compile(r"\s*(?:%s)" % "|".join(_PATS["preamble_openings"]))
#: openings of the enacting body's caps line (document.json enacting_authority, diacritic-free)
_ENACTING = tuple(load_patterns("document")["enacting_authority"])

_YEAR = re.compile(r"(?:19|20)\d\d")

#: places a run-on copy may list after a signer's name (diacritic-free)
_PLACE_KEYS = {key(p) for p in _PATS["place_names"]}
#: a capitalised word and its lower-case next word that open a sentence ("Công văn", "Chủ trì")
_SENTENCE_PAIRS = set(_PATS["sentence_openings"]) | set(_PATS["capitalised_nouns"])

#: an authority mark of a signature block ("KT.", "TL.", "TM.", "K/T", "TUQ.")
_AUTHORITY_MARK = re.compile(r"(?:TM|KT|TL|TUQ|Q|[KT]/[TML])\.?")


def _closing_span(text: str) -> tuple[int, int] | None:
    """Start and end of the closing block: "Nơi nhận:" (or a TM./KT. signature) through the
    signer's name."""
    f = fold(text)
    m = re.search(r"\bNoi nhan\s*:", f)
    sig = re.search(r"(?<!\S)(?:TM|KT|TL|TUQ|Q|[KT]/[TML])\.?\s+[A-ZĐ]{2,}", text)
    starts = [x.start() for x in (m, sig) if x]
    if not starts:
        return None
    start = min(starts)
    titles = sorted(_PATS["signer_titles"], key=len, reverse=True)
    # the first signature after the recipients' "Lưu: ..." (an attached plan may follow it)
    lu = re.search(r"\bLưu\s*:", text[start:start + 3000]) or \
        re.search(r"[-–]\s*Lưu\s+(?=[A-ZĐ])", text[start:start + 3000])  # "- Lưu Văn phòng …" (no colon)
    from_pos = start + (lu.end() if lu else 0)
    rx = re.compile(r"(?<!\S)(?:" + "|".join(re.escape(t) for t in titles) + r")(?!\S)")
    found = list(rx.finditer(text, from_pos, min(len(text), from_pos + 400)))
    if found:
        # consecutive titles ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH"): the last one of the first run
        best = found[0].end()
        # (what stands between two titles may be an authority mark or a title's qualifier in
        # capitals: "TL. BỘ TRƯỞNG KT. CHÁNH VĂN PHÒNG PHÓ CHÁNH VĂN PHÒNG", "PHÓ TRƯỞNG BAN
        # THƯỜNG TRỰC PHÓ THỦ TƯỚNG")
        for mt in found[1:]:
            gap = text[best:mt.start()].split()
            if mt.start() - best > 3 and not (len(gap) <= 4 and all(
                    _AUTHORITY_MARK.fullmatch(w) or (w.isupper() and len(w.strip(",.")) > 1) for w in gap)):
                break
            best = mt.end()
    else:
        # no personal title: the authority alone above the name ("T/M BỘ CHÍNH TRỊ Trần Cẩm Tú")
        auth = re.compile(r"(?<!\S)(?:T/M|TM|KT|TL|TUQ)\.?\s+(?:[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ,]*\s+)*[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ]+(?=\s)")
        ma = auth.search(text, from_pos, min(len(text), from_pos + 400))
        if ma is None or not all(_is_caps_word(w) or w.strip(",").isupper() for w in ma.group().split()[1:]):
            return None
        best = ma.end()
    # the name: up to five capitalised words ("Phạm Minh Chính"), not the caps kind after it
    end = best
    n = 0
    words = list(re.finditer(r"\S+", text[best:best + 120]))
    name_ends = [best]  # end of the name after each of its words
    for k, mw in enumerate(words):
        w = mw.group()
        if not (w[:1].isupper() and w[1:].isalpha() and w[1:].islower()) or n == 5:
            if n >= 3 and w[:1].isupper() and w.endswith(","):
                # a list of places follows ("Nguyễn Văn A Lâm Đồng, Bắc Ninh, …"): the place it
                # opens with is no part of the name
                last = key(words[k - 1].group())
                if f"{last} {key(w)}" in _PLACE_KEYS:
                    name_ends.pop()
            break
        nxt = words[k + 1].group() if k + 1 < len(words) else ""
        if n >= 2 and nxt[:1].islower() and (n >= 3 or key(f"{w} {nxt}") in _SENTENCE_PAIRS):
            break  # "Phạm Minh Chính | Thông báo ...": a sentence starts after the name
        n += 1
        name_ends.append(best + mw.end())
    end = name_ends[-1]
    if text[end:end + 4].strip().startswith("/"):
        end = text.find(" ", end + 1) if text.find(" ", end + 1) > 0 else len(text)
    return start, end


def _place_start(text: str, m: re.Match) -> int:
    """Where the date line's place starts: after a leading unit ("Thành phố") that completes an
    abstract run on into it ("... trên địa bàn Thành phố Hà Nội, ngày ...")."""
    start = m.start(1)
    if not re.search(r"(?<!\S)(?:%s)\s*$" % "|".join(map(re.escape, _PATS["complement_ends"])), text[:start]):
        return start
    for unit in _PATS["place_units"]:
        if m.group(1).startswith(unit + " "):
            return start + len(unit) + 1
    return start


def _segment_body(text: str) -> list[str]:
    table = _TABLE_HEADER.search(text)
    if table:
        # a task table flattened to text ("STT NHIỆM VỤ CHỦ TRÌ PHỐI HỢP THỜI GIAN 1 ..."): its
        # rows are read by the table reader from one paragraph
        return _segment_body(text[:table.start()]) + [text[table.start():].strip()]
    cuts: dict[int, str] = {}   # position -> reason (cut before the position)
    f = fold(text)
    # header and preamble openings
    for rx in _PATS["header_openings"]:
        for m in re.finditer(rx, text):
            cuts.setdefault(m.start(), "opening")
    first_section = _ROMAN.search(text)
    body_from = first_section.start() if first_section else len(text)
    for rx in _PATS["preamble_openings"]:
        for m in re.finditer(rx, text[:body_from]):
            cuts.setdefault(m.start(), "opening")
    for m in re.finditer(r"(?:(?<!\S)Kính gửi|(?<=[A-ZĐÀ-Ỹ]\s)điện)\s*:", text):
        # the addressee list ends at its first full stop ("- Viện ... Việt Nam. Thủ tướng ..."),
        # also a Công điện's ("THỦ TƯỚNG CHÍNH PHỦ điện: - Bộ trưởng …; - Chủ tịch …. Ngày …")
        me = re.search(rf"[.]\s+(?=[\"“(]?[{_UP}])", text[m.end():m.end() + 2500])
        if me:
            cuts.setdefault(m.end() + me.end(), "addressees_end")
        sender = _sender_opening(text[m.end():m.end() + (me.start() if me else 600)])
        if sender:
            cuts.setdefault(m.end() + sender, "opening")
    for rx in _PATS["paragraph_openings"]:
        for m in re.finditer(rx, text):
            cuts.setdefault(m.start(), "opening")
    for m in _NUMBER_LINE.finditer(text[:3000]):
        cuts.setdefault(m.end(), "number_end")
    for m in _PLACE_DATE.finditer(text):
        cuts.setdefault(_place_start(text, m), "date")
        cuts.setdefault(m.end(), "date_end")
    runs = _caps_runs(text)
    for a, b in runs:
        cuts.setdefault(a, "caps")
        cuts.setdefault(b, "caps_end")
    # the enacting authority at the end of a caps title ("... CỦA ĐẢNG THỦ TƯỚNG CHÍNH PHỦ điện:")
    # (also the issuer the header names before "CỘNG HÒA …" when a "điện:" follows the run:
    # "… TẠI KHU VỰC TRUNG BỘ BỘ XÂY DỰNG điện:")
    issuer = re.search(rf"(?:^|\s)((?:[{_UP}]+\s+){{1,8}}?)(?:-+\s+|\|\s+)?CỘNG HÒA XÃ HỘI", text[:3000])
    issuer_caps = issuer.group(1).strip() if issuer else ""
    for a, b in runs:
        sender = [issuer_caps] if len(issuer_caps.split()) >= 2 and re.match(r"\s*điện\s*:", text[b:b + 12]) else []
        for phrase in _PATS["enacting_caps"] + sender:
            pos = text.find(phrase, a + 1, b)
            if pos > a and len(text[pos:b].split()) <= 12:
                cuts.setdefault(pos, "caps")
                break
    # the enacting body alone between a caps title and the preamble ("... SÁNG - XANH - ĐẸP CHÍNH
    # PHỦ Căn cứ ..."): its own line ("... CỦA CHÍNH PHỦ" is the title's complement)
    for a, b in runs:
        if not _PREAMBLE_AFTER.match(text, b):
            continue
        toks = list(re.finditer(r"\S+", text[a:b]))
        for k in range(max(1, len(toks) - 12), len(toks)):
            tail = fold(text[a + toks[k].start():b]).lower()
            if tail.startswith(_ENACTING) and key(toks[k - 1].group()) not in _PATS["governing_words"]:
                cuts.setdefault(a + toks[k].start(), "caps")
                break
    # a kind that opens a caps run is a line of its own ("KẾ HOẠCH" / "TRIỂN KHAI ...")
    run_starts = {a for a, _ in runs}
    kinds = "|".join(re.escape(k) for k in sorted(_PATS["caps_kinds"], key=len, reverse=True))
    for m in re.finditer(rf"(?<!\S)(?:{kinds})(?=\s|:|$)", text):
        if m.start() in run_starts or m.start() == 0:
            cuts[m.start()] = "caps"
            cuts.setdefault(m.end(), "caps_end")
    for m in re.finditer(r"\((?:Kèm theo|Ban hành kèm theo)[^)]{0,300}\)", text):
        cuts[m.start()] = "note"
        cuts.setdefault(m.end(), "note_end")
    for m in _ARTICLE.finditer(text):
        cuts[m.start()] = "article"
    for m in _CHAPTER.finditer(text):
        cuts[m.start()] = "article"  # "… Chương II NỘI DUNG PHỐI HỢP Điều 4. …": a regulation's chapter
    # list markers, decided left to right (continuity of numbering)
    markers = []
    for style, rx in _INLINE_MARKERS:
        for m in rx.finditer(text):
            markers.append((m.start(), m.end(), style, m.group(1)))
    markers.sort()
    last_roman = 0
    last_part = 0
    open_numbers: list[list[int]] = []
    seg_start = 0
    caps_ends = {p for p, r in cuts.items() if r in ("caps_end",)}
    ordered = sorted(cuts)  # cut positions so far, kept sorted (markers add to them)
    for start, end, style, num in markers:
        # the text since the last cut: is it a short heading (no closing punctuation)?
        k = bisect.bisect_left(ordered, start)
        prev = max(ordered[k - 1] if k else 0, seg_start)
        before = text[prev:start].rstrip()
        after_stop = before[-1:] in ".;:!?" or before.endswith((".”", ";”", ".)", ":”")) or not before
        heading_before = (start in cuts and cuts[start] != "opening") or any(
            abs(start - p) <= 1 for p in caps_ends) or (
            len(before) <= 100 and ":" not in before and before[-1:] not in ",-–+" and _starts_marked(before))
        ok = False
        if style == "roman":
            value = roman_to_int(num)
            after = text[end:end + 40]
            caps_after = bool(re.match(rf"[\"“(]?[{_UP}]{{2,}}", after)) or bool(
                _CAPS_WORD.fullmatch(after.split()[0]) if after.split() else False) or (
                sum(_is_caps_word(w) for w in after.split()[:3]) >= 2)  # "II. nội DUNG …" (an OCR casing slip)
            # the next numeral (a document may start at II.); a caps heading may skip one
            upper_first = bool(re.match(rf"[\"“(]?[{_UP}\d]", after))
            if value and (value == last_roman + 1 or (caps_after and last_roman <= value <= last_roman + 2)) \
                    and (caps_after or after_stop or heading_before) and (caps_after or upper_first):
                ok = True
                last_roman = value
                open_numbers = []
        elif style == "arabic":
            parts = [int(x) for x in num.rstrip(".)").split(".")]
            if any(p == 0 for p in parts) or (len(parts) == 1 and _looks_like_quantity(text, start, end, num)):
                continue
            continues = _continues(open_numbers, parts)
            upper = bool(re.match(rf"[\"“(]?[{_UP}]", text[end:end + 2]))
            if (after_stop or heading_before) and (upper or continues) \
                    and (continues or len(parts) == 1 or not open_numbers):
                ok = True
            elif continues and upper:
                ok = True
            if ok:
                open_numbers = _open(open_numbers, parts)
        elif style == "letter":
            ok = after_stop or heading_before or (
                # "1. Ra quân làm sạch môi trường … thu gom rác thải a) Sở Y tế …": a long heading's
                # first lettered part
                num.startswith("a") and len(before) <= 300 and _starts_marked(before)
                and bool(re.match(rf"[\"“(]?[{_UP}]", text[end:end + 2])))
        elif style == "part":
            # the next part's letter before a caps heading of two words or more, after a
            # sentence end or a heading ("A." also after a title that ends without a stop)
            # (Vietnamese lettering may or may not use "Đ" and "F")
            value = _PART_LETTERS.index(num) + 1
            skipped = _PART_LETTERS[last_part:value - 1]
            head = text[end:end + 60].split()[:3]
            ok = value > last_part and all(c in "ĐF" for c in skipped) \
                and (after_stop or heading_before or value == 1) and sum(_is_caps_word(w) for w in head) >= 2
            if ok:
                last_part = value
        else:  # bullet
            ok = after_stop or (heading_before and not re.match(r"[-–+•]", before))
            if not ok and num in "-–" and len(before) <= 300 and _starts_marked(before) and (
                    " ".join(key(text[end:end + 30]).split()[:2]) in _PATS["sentence_openings"]
                    or not _ends_in_name(before)):
                # a long marked heading, then "- Triển khai …": its first bullet (not a name going
                # on over a dash: "Tập đoàn Công nghiệp - Năng lượng …")
                ok = True
            if ok and num in "-–" and _compound_dash(text, start):
                continue
        if ok:
            if start not in cuts:
                bisect.insort(ordered, start)
            cuts[start] = style
            seg_start = start
    for pos in [p for p, r in cuts.items() if r == "roman"]:
        # "II. nội DUNG THỰC HIỆN": a heading's caps run that an OCR casing slip broke after its
        # first word is still the heading
        mw = re.match(r"\S+\s+\S+\s+", text[pos:])
        if mw and cuts.get(pos + mw.end()) == "caps":
            del cuts[pos + mw.end()]
    # a role label written before its first sentence: "3.1. Mục tiêu tổng quát Nâng cao ..."
    labels = sorted(_PATS["inline_labels"] + _PATS["section_named_labels"] + _PATS["role_labels"],
                    key=len, reverse=True)
    section_at = 0      # where the current roman section starts
    prev_label = ""     # the label the previous marked segment opened with
    for pos in sorted(cuts):
        m = re.match(r"(?:\S+\s+)", text[pos:])
        if cuts[pos] == "roman":
            section_at, prev_label = pos, ""
        if not m or cuts[pos] not in ("roman", "arabic", "letter"):
            continue
        body_at = pos + m.end()
        fk = f[body_at:body_at + 60].lower()
        for lab in labels:
            nxt_word = text[body_at + len(lab) + 1:body_at + len(lab) + 30].split()[:1]
            if fk.startswith(lab + " ") and nxt_word and nxt_word[0][:1].isupper() and not nxt_word[0].isupper():
                # a label is expected where its section's heading names it ("I. MỤC ĐÍCH, YÊU CẦU")
                # or a sibling label came just before ("1. Mục đích … 2. Yêu cầu Các sở …")
                expected = prev_label != "" or lab in f[section_at:min(section_at + 80, pos)].lower() \
                    or lab in _PATS["role_labels"]  # (a role label is followed by the names it labels)
                if not expected and lab in _PATS["section_named_labels"]:
                    break  # "1. Nhiệm vụ Sở X …" under a section that names no such label
                if not expected and 0 in head_starts(text[body_at + len(lab) + 1:body_at + len(lab) + 60])[1]:
                    break  # "2. Yêu cầu Sở Xây dựng rà soát …": the verb and its addressee
                cuts.setdefault(body_at + len(lab) + 1, "label_end")
                prev_label = lab
                break
        else:
            prev_label = ""
    # a heading line followed by its first sentence: "3. Sở Khoa học và Công nghệ Chủ trì, ...",
    # "1. Nguy cơ ô nhiễm môi trường Ghi nhận ..."
    ordered = sorted(cuts)
    for k, pos in enumerate(ordered):
        if cuts[pos] not in ("roman", "arabic", "letter", "bullet"):
            continue
        nxt = ordered[k + 1] if k + 1 < len(ordered) else len(text)
        mv = re.match(rf"\S+\s+(?:Về|Đối với|Trách nhiệm của|Nhiệm vụ của)\s[^:.;]{{3,400}}?:\s+(?=[\"“]?[{_UP}])",
                      text[pos:nxt])
        if mv and not opens_member_list(mv.group().rstrip(), text[pos + mv.end():nxt]):
            # "1. Về tăng trưởng kinh tế: Tỉnh cần ...": a topic heading, then its first sentence
            # (not "… (…), yêu cầu các Bộ: Xây dựng; Công Thương …": a group and its members)
            cuts.setdefault(pos + mv.end(), "heading_end")
            continue
        cut = _heading_end(text[pos:nxt])
        if cut:
            cuts.setdefault(pos + cut, "heading_end")
            # the unmarked paragraphs under a heading are items: in a flattened text their
            # boundaries are the sentence ends
            # (a target may open with its figure: "… toàn tỉnh. 100% hợp tác xã …")
            for ms in re.finditer(rf"[.!?]\s+(?=[{_UP}]|\d[\d.,]*\s?%)", text[pos + cut:nxt]):
                cuts.setdefault(pos + cut + ms.end(), "sentence")
    for qa, qb in _quoted_spans(text):
        # a passage quoted from a law ("… có quy định: “Điều 8. … 1. … a) …”") holds no item of the letter
        if _quotes_a_provision(text, qa, qb, cuts):
            for pos in [p for p in cuts if qa < p < qb]:
                del cuts[pos]
        else:
            # a slogan or title that closes within its item ("phong trào “Thi đua yêu nước - Hướng
            # tới …”", "chủ đề “Năm 2026: 1. …; 2. …”"): its dashes and numbers are not the letter's
            for pos in _cuts_inside_short_quote(text, qa, qb, cuts):
                del cuts[pos]
    points = sorted(p for p in cuts if 0 < p < len(text)) + [len(text)]
    out = []
    prev = 0
    for p in points:
        piece = text[prev:p].strip()
        if piece:
            out.append(piece)
        prev = p
    return _agency_colon_headings(_merge_fragments(out))


def _sender_opening(addressees: str) -> int:
    """Where a letter's first sentence starts inside the addressee list it runs on from
    ("Kính gửi: Thuế thành phố Hồ Chí Minh | Cục Thuế nhận được Công văn số …"): the body
    named right before "nhận được" (the sender acknowledging what it received), or "Trả lời
    công văn …" (the reply's opening); 0 for none."""
    reply = re.search(r"\s(?:Trả lời|Phúc đáp)\s+(?:công văn|văn bản|đơn|câu hỏi|thư)\b", addressees, re.I)
    if reply and addressees[:reply.start()].strip(" :-"):
        return reply.start() + 1  # "Kính gửi: Công ty X | Trả lời công văn số …"
    mr = re.search(r"\s(?:đã\s+)?nhận được\s", addressees)
    if not mr:
        return 0
    tokens, starts = head_starts(addressees[:mr.start()])
    # the last capitalised head at most six words before the verb opens the sender's name ("… Hồ
    # Chí Minh | Cục Thuế", "… (Địa chỉ: …) | Cục Hải quan"); the addressee comes before it
    def one_name(k: int) -> bool:  # capitalised words and their second syllables ("Sở Y tế")
        return all(t[0][:1].isupper() or tokens[i - 1][0][:1].isupper() for i, t in enumerate(tokens) if i > k)

    heads = [k for k in starts if tokens[k][0][:1].isupper() and len(tokens) - k <= 6 and k > 0 and one_name(k)]
    if not heads:
        return 0
    start = tokens[min(heads)][1]
    return start if addressees[:start].strip(" :-") else 0


_ARTICLE_QUOTE_SPAN = 4000   # a quoted article ("“Điều 8. …”") may run long
_OTHER_QUOTE_SPAN = 1200     # any other quote that holds items: a clause or two


def _quotes_a_provision(text: str, qa: int, qb: int, cuts: dict) -> bool:
    """Whether the quote ``text[qa:qb]`` is a provision quoted from a law, whose markers are none
    of the document's: it opens as one ("“Điều 8. …", "“1. …"), after a colon ("… quy định:
    “…") or after the provision it quotes ("… tại Điều 1. “Bãi bỏ …"); it is no longer than a
    clause or two (an article may run long); and none of its numbers goes on the document's own
    list (an unclosed “ paired with a later item's ” swallows the items between: "1. …
    phong trào “Toàn dân … 2. Sở Nội vụ … 3. … “Mùa hè xanh” …")."""
    article = bool(re.match(r"“\s*Điều\s+\d", text[qa:]))
    if qb - qa > (_ARTICLE_QUOTE_SPAN if article else _OTHER_QUOTE_SPAN):
        return False
    if not opens_quoted_provision(text[max(0, qa - 40):qa], text[qa + 1:qa + 40]):
        return False
    own = [p for p in cuts if p < qa and cuts[p] == "arabic"]
    last = re.match(r"(\d+)\.", text[max(own):]) if own else None
    if last:
        goes_on = re.compile(rf"{int(last.group(1)) + 1}\.\s")
        if any(cuts[p] == "arabic" and goes_on.match(text, p) for p in cuts if qa < p < qb):
            return False
    return True


_SHORT_QUOTE_SPAN = 300   # a slogan, a title or a theme: a line or two


def _cuts_inside_short_quote(text: str, qa: int, qb: int, cuts: dict) -> list[int]:
    """The cuts inside a short quote ``text[qa:qb]`` that are none of the document's: all of
    them but its own list's next number, which a quote holds only when its “ is unclosed and
    pairs with a later item's ” ("1. … phong trào “Toàn dân … 2. Sở Nội vụ … “Mùa hè xanh”"):
    such a span holds another “, or its first number goes on the document's list and that number
    does not come again after it (a quote's own list restarts: "“Năm 2026: 1. …; 2. …”")."""
    if qb - qa > _SHORT_QUOTE_SPAN or "“" in text[qa + 1:qb]:
        return []
    inside = sorted(p for p in cuts if qa < p < qb)
    own = [p for p in cuts if p < qa and cuts[p] == "arabic"]
    last = re.match(r"(\d+)\.", text[max(own):]) if own else None
    numbers = [p for p in inside if cuts[p] == "arabic"]
    if last and numbers:
        goes_on = re.compile(rf"{int(last.group(1)) + 1}\.\s")
        again = any(cuts[p] == "arabic" and goes_on.match(text, p) for p in cuts if p >= qb)
        if goes_on.match(text, numbers[0]) and not again:
            return []  # the document's next item runs inside: an unclosed quote, not a title
    return inside


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each passage between typographic quotes “…” (up to 4000 characters)."""
    out = []
    for m in re.finditer("“", text):
        if out and m.start() < out[-1][1]:
            continue
        close = text.find("”", m.end(), m.end() + 4000)
        if close > 0:
            out.append((m.start(), close + 1))
    return out


_IMPLEMENTATION = tuple(load_patterns("headings")["implementation_prefixes"])
_AGENCY_COLON_ALONE = re.compile(r"\d{1,2}\.\s+([^:]{3,120}):")
_AGENCY_COLON_TEXT = re.compile(rf"(\d{{1,2}}\.\s+([^:]{{3,120}}?):)\s+(?=[\"“]?[{_UP}])")


def _agency_colon_headings(lines: list[str]) -> list[str]:
    """"1. Sở Y tế:" alone over its bullets, then "3. Sở Tài chính: Tham mưu …": where a
    section writes an agency heading with a colon on a line of its own, its other agency items
    with a colon are headings too, their text run on (a folded text lost the line break); a
    section whose agency headings have no colon ("4. Sở Nội vụ") writes "3. Sở X: …" inline."""
    out: list[str] = []
    start = 0
    bounds = [k for k, ln in enumerate(lines) if _ROMAN.match(ln)] + [len(lines)]
    for end in bounds:
        section = lines[start:end]
        # (only the agencies of an implementation section: a directive's addressee headings,
        # "1. Chủ tịch UBND các huyện:" over lettered items, say nothing of its other items)
        heading = key(_ROMAN.sub("", section[0], count=1)) if section else ""
        styled = heading.startswith(_IMPLEMENTATION) and any(
            (m := _AGENCY_COLON_ALONE.fullmatch(ln)) and only_agencies(m.group(1)) for ln in section)
        for ln in section:
            m = _AGENCY_COLON_TEXT.match(ln) if styled else None
            if m and only_agencies(m.group(2)) and not opens_member_list(m.group(1), ln[m.end():]):
                out += [m.group(1), ln[m.end():]]
            else:
                out.append(ln)
        start = end
    return out


def _merge_fragments(lines: list[str]) -> list[str]:
    """A piece of punctuation or a lone quote left between two cuts joins the line before."""
    out: list[str] = []
    glue = False
    for ln in lines:
        if out and (glue or not re.search(r"\w", ln)):
            out[-1] = f"{out[-1]} {ln}"
        else:
            out.append(ln)
        glue = bool(_MARKER_ONLY.fullmatch(out[-1]))
    return out


_MARKER_ONLY = re.compile(r"(?:[IVXL]{1,5}\.|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđ]\)|[-–+•]|Điều\s+\d+\s*[.:]"
                          r"|[A-HĐ]\.|PHẦN\s+\S+)")


def _starts_marked(text: str) -> bool:
    return bool(re.match(r"(?:[IVXL]{1,5}\.|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđ]\)|[-–+•])\s",
                         text.strip() + " ")) \
        and text.rstrip()[-1:] not in ".;:!?"


def _ends_in_name(text: str) -> bool:
    """``text`` ends inside or at the end of an agency name."""
    window = text[-200:].rstrip()
    spans = agency_spans(window)
    return bool(spans) and spans[-1][1] >= len(window) - 1


def _continues(open_numbers: list[list[int]], parts: list[int]) -> bool:
    """``parts`` is the next number at some level of the numbering already open, or the first
    child of the deepest open number (``3.`` then ``3.1.``)."""
    if not open_numbers:
        return parts == [1]
    for prefix in reversed(open_numbers):
        if len(parts) == len(prefix) and parts[:-1] == prefix[:-1] and parts[-1] == prefix[-1] + 1:
            return True
        if len(parts) == len(prefix) + 1 and parts[:-1] == prefix and parts[-1] == 1:
            return True
    return len(parts) == 1 and parts[0] == 1


def _open(open_numbers: list[list[int]], parts: list[int]) -> list[list[int]]:
    kept = [p for p in open_numbers if len(p) < len(parts) and parts[:len(p)] == p]
    return kept + [parts]


def _looks_like_quantity(text: str, start: int, end: int, num: str) -> bool:
    """"năm 2025. Các" is no marker (years are 4 digits and never match); "1.000 người" and
    "khoản 2. " or "Điều 3." inside a sentence are not either."""
    if text[max(0, start - 3):start].strip()[-1:] in ".;:!?":
        return False  # "... kinh tế số. 2. Yêu cầu": a sentence ended before the number
    before = key(text[max(0, start - 12):start]).split()
    word = text[max(0, start - 12):start].split()[-1:]
    if word and word[0].isupper() and len(word[0]) > 1:
        return False  # "I. MỤC TIÊU 1. Mục tiêu chung …": a caps heading's last word, no label
    return bool(before) and before[-1] in _PATS["number_labels"]


#: how many links back a chain of names is followed to a dash known to join a compound
_CHAIN_LINKS = 3


def _compound_dash(text: str, pos: int) -> bool:
    """ "Lao động - Thương binh", "chính trị - xã hội", "Độc lập - Tự do": a dash inside a
    compound, not a bullet; also the next link of a chain of places ("Tân Hà - Bình An - Cửa
    khẩu Tây Sơn"): capitalised words before the dash follow a compound dash, at most
    ``_CHAIN_LINKS`` links back (a long dash run is no name)."""
    if _dash_in_name(text, pos):
        return True
    for _ in range(_CHAIN_LINKS):
        pos = _previous_link(text, pos)
        if pos is None:
            return False
        if _dash_in_name(text, pos):
            return True
    return False


def _previous_link(text: str, pos: int) -> int | None:
    """The dash before the dash at ``pos`` when one to three capitalised words lie between them
    and a capitalised word follows ("… Bình An - Cửa khẩu …"), else None."""
    before = text[max(0, pos - 30):pos].split()
    after = text[pos + 1:pos + 40].split()
    if len(before) < 3 or not after or not (after[0][:1].isupper() and after[0].isalpha()):
        return None
    k = next((k for k in (3, 4) if k <= len(before) and before[-k] in ("-", "–")), None)
    if not k or not all(w[:1].isupper() and w.isalpha() for w in before[-k + 1:]):
        return None
    prev_dash = text.rfind(before[-k], 0, pos - len(" ".join(before[-k + 1:])))
    return prev_dash if prev_dash >= 0 else None


def _dash_in_name(text: str, pos: int) -> bool:
    """The dash at ``pos`` joins the two halves of a compound or a name, judged on its two sides."""
    left = key(text[max(0, pos - 20):pos]).split()[-1:]
    right = key(text[pos + 1:pos + 25]).split()[:1]
    if not left or not right or text[:pos].rstrip()[-1:] in ".;:":
        return False  # (a sentence ended before it: "… Việt Nam. - Ban Chỉ đạo …" is a bullet)
    if left[0].isdigit() and right[0].isdigit():
        return True  # "2021 - 2030"
    before = text[max(0, pos - 30):pos].split()
    after = text[pos + 1:pos + 40].split()
    if before and after[1:] and before[-1][:1].isupper() and after[0][:1].isupper() and after[1][:1].isupper() \
            and after[0].isalpha() and not after[0].isupper():
        return True  # "Hòa Bình - Mộc Châu": a place pair
    a = text.rfind(" ", 0, max(0, pos - 60)) + 1
    window = text[a:pos + 60]
    toks = tokenize(window)
    for s, n in gazetteer_spans(window).items():
        if toks[s][1] < pos - a < toks[s + n - 1][2]:
            return True  # inside a known name: "Tập đoàn Công nghiệp - Viễn thông Quân đội"
    if key(text[pos + 1:pos + 40]).startswith(tuple(_PATS["second_offices"])) and ":" not in text[pos + 1:pos + 30]:
        before_key = " " + key(re.split(r"[.;:]", text[max(0, pos - 100):pos])[-1])
        if any(f" {t} " in before_key for t in _PERSON_TITLES):
            return True  # "Bộ trưởng Bộ Tài chính - Phó Trưởng ban …": a person's second office
    if key(text[pos + 1:pos + 40]).startswith(tuple(_PATS["apposition_roles"])) and ":" not in text[pos + 1:pos + 30]:
        body = text[max(0, pos - 60):pos].rstrip()
        spans = agency_spans(body)
        if spans and spans[-1][1] == len(body):
            return True  # "Bộ Tài chính - Cơ quan Thường trực Ban Chỉ đạo": the body's role, no bullet
    pair = f"{left[0]} {right[0]}"
    return pair in _PATS["dash_compounds"]


_ADDRESSEE_LINE = re.compile(r"([^.:;]{3,160}):(?:\s*$|\s+(?:[a-zđ]\)|[-–+•]|\d{1,2}\.)\s)")


def _addressee_line(text: str) -> bool:
    """``text`` opens with a line that names a body and ends in ":" at the end of the segment or
    before the first item of a list ("Ủy ban nhân dân các tỉnh, thành phố: a) …", "Bộ Tài chính
    chỉ đạo Bảo hiểm xã hội Việt Nam: a) …")."""
    m = _ADDRESSEE_LINE.match(text)
    return bool(m) and len(m.group(1).split()) <= 20


def _object_follows(toks: list[tuple[str, int]], k: int) -> bool:
    """The capitalised word at ``toks[k]`` is the object of the words before it: a verb of
    ``object_verbs`` ("chỉ đạo Quân khu 5") or a document noun ("Luật Tổ chức chính quyền …",
    ``capitalised_nouns``), not the start of a sentence."""
    if k < 1 or not toks[k][0][:1].isupper():
        return False
    one = key(toks[k - 1][0])
    two = key(" ".join(t for t, _ in toks[max(0, k - 2):k]))
    three = key(" ".join(t for t, _ in toks[max(0, k - 3):k]))
    # (a verb as written in lower case: "Ban Chỉ đạo" is a name)
    if (k >= 2 and toks[k - 2][0][:1].islower() and two in _PATS["object_verbs"]) or (
            k >= 3 and toks[k - 3][0][:1].islower() and three in _PATS["object_verbs"]):
        return True
    return toks[k - 1][0][:1].isupper() and (one in _PATS["document_nouns"] or (
        toks[k - 2][0][:1].isupper() and two in _PATS["document_nouns"] if k >= 2 else False))


def _heading_end(seg: str) -> int | None:
    """Where the heading of a marked segment ends and its first sentence starts: a capitalised
    word after a lower-case one, within the first words, that opens a sentence (a verb such
    as "Chủ trì", or a capitalised word followed by a lower-case one that is no name)."""
    m = re.match(r"\S+\s+", seg)
    if not m:
        return None
    toks = [(x.group(), x.start()) for x in _TOKEN.finditer(seg)][1:]
    words = [t for t, _ in toks[:30]]
    for k in range(2, 15):
        if len(words) >= 2 * k and words[:k] == words[k:2 * k] and words[0][:1].isupper() \
                and words[k - 1][-1:].isalnum():
            return toks[k][1]  # "Trung tâm X Thành phố Trung tâm X Thành phố chủ trì …": the name again
    # a sentence-opening verb anywhere in the heading part wins over a capitalised word before it
    first_verb = None
    for k, (tok, off) in enumerate(toks[1:64], start=1):
        prev = toks[k - 1][0]
        if prev[-1:] in ".:!?\"”)":
            break
        if _object_follows(toks, k):
            continue  # "… thông qua Luật | Tổ chức chính quyền …": a document's title
        if k >= 18 and not ((prev[:1].islower() or prev.isdigit()) and tok[:1].isupper()):
            continue  # (past the first words of a long heading only a verb after a small word counts)
        if k >= 18 and toks[k - 2][0][:1].isupper() and key(f"{toks[k - 2][0]} {prev}") in _PATS["capitalised_nouns"]:
            continue  # "… và Đề án Phát triển …": the title of a named document goes on
        if (key(prev) in _PATS["name_heads"] and (prev[:1].isupper() or key(prev) in ("ban", "dong"))) \
                or not (prev[:1].isalpha() or _YEAR.fullmatch(prev)) or prev.lower() in _PATS["no_heading_end"]:
            continue  # "Bộ Xây dựng", "Ủy ban Kiểm tra": a name word, not a verb; "... và Phát triển"
            # (a heading may end in a year: "… năm 2025 Đề nghị …")
        nxt = toks[k + 1][0] if k + 1 < len(toks) else ""
        pair = key(f"{tok} {nxt}")
        # after a capitalised word ("... Cần Thơ Chỉ đạo") only a two-word opener counts
        if tok[:1].isupper() and not tok.isupper() and (pair in _PATS["sentence_openings"] or (
                prev[:1].islower() and key(tok) in _PATS["sentence_openings"])):
            first_verb = off
            break
    if first_verb is not None:
        return first_verb
    # the heading's agency named again to open its sentence ("1. Sở Y tế, Sở Nội vụ Sở Y tế chủ trì")
    spans = agency_spans(seg[:300])
    if toks and spans and spans[0][0] <= toks[0][1]:
        first = (split_agencies(seg[spans[0][0]:spans[0][1]]) or [""])[0]
        fk = key(first)
        if len(fk) > 5:
            for k, (tok, off) in enumerate(toks[2:18], start=2):
                prev = toks[k - 1][0]
                if tok[:1].isupper() and prev[-1:] not in ",;:." and key(prev) not in ("va", "voi") \
                        and key(seg[off:off + len(first) + 4]).startswith(fk):
                    return off
    names = None  # agency spans of the segment, found when first needed
    # a bulleted line is rarely a heading: only a short one ("- Thủy sản ...") may end early
    limit = 7 if re.match(r"[-–+•]", seg) else 18
    for k, (tok, off) in enumerate(toks[:limit]):
        if k == 0:
            continue
        prev = toks[k - 1][0]
        if prev in ("-", "–") and k >= 2:
            if tok[:1].isupper() and key(f"{tok} {toks[k + 1][0] if k + 1 < len(toks) else ''}") \
                    not in _PATS["sentence_openings"]:
                continue  # "Sở Lao động – Thương binh", "Công nghiệp - Năng lượng": one name
            prev = toks[k - 2][0]  # "truyền thông - giáo dục": a dash inside the heading
        if prev[-1:] in ".;:!?\"”)" or not prev[:1].isalnum():
            return None  # the heading part is over (or was never there)
        if prev.endswith(",") or prev.lower() in _PATS["no_heading_end"]:
            continue  # "sơ chế, chế biến, xuất khẩu": a list; "Sở Nông nghiệp và | Phát triển": no end
        if _object_follows(toks, k):
            continue  # "… chỉ đạo | Quân khu 5, …": the verb's object, no new sentence
        if len(prev) > 1 and prev[-1:] in "-/":
            continue  # "Chỉ thị số 13/CT- TTg …": a document code cut by a stray space goes on
        if not tok[:1].isupper() or tok.isupper() or not re.match(r"\w", prev):
            continue
        nxt = toks[k + 1][0] if k + 1 < len(toks) else ""
        pair = key(f"{tok} {nxt}")
        if prev[:1].islower() and key(prev) not in _PATS["governing_words"] \
                and 0 in head_starts(seg[off:off + 40])[1] and _addressee_line(seg[off:]) \
                and 0 not in head_starts(seg[toks[0][1]:off])[1]:  # ("Bộ trưởng Bộ X:" is one addressee)
            return off  # "1.2. Hỗ trợ về nhà ở | Ủy ban nhân dân các tỉnh: a) …": the line naming its addressee
        if prev[:1].isupper() or key(prev) in _PATS["name_before"]:
            continue  # "Sở Khoa học", "tỉnh Đắk Lắk": a name goes on
        triple = key(f"{pair} {toks[k + 2][0] if k + 2 < len(toks) else ''}")
        if not nxt[:1].islower() or pair in _PATS["capitalised_nouns"] or key(tok) in _PATS["capitalised_nouns"] \
                or triple in _PATS["capitalised_nouns"]:
            continue  # ("Xây dựng Cổng thông tin quốc gia …": a name of three words)
        _, starts = head_starts(seg[off:off + 40])
        if names is None:
            names = agency_spans(seg[:300])
        if 0 in starts or any(a < off < b and seg[a:a + 1].isupper() for a, b in names):
            continue  # a name starts here, or goes on ("Bộ Chỉ huy Quân sự tỉnh")
        if re.match(r"(?:\S+\s+){0,3}?\S+[.;](?:\s|$)", seg[off:]):
            return None  # "... công bố kết quả Tổng kiểm kê. ...": a short sentence ends here, no heading
        return off
    return None
