"""Header (issuer, số ký hiệu, place, date, kind, title, period) and closing block
(recipients, signature) of a Vietnamese administrative document."""

from __future__ import annotations

import re
from functools import lru_cache

from .agencies import expand_abbreviations, head_starts, only_agencies
from .layout import RawLine
from .text import (clean, close_spaced_letters, fix_uy, fold, is_caps, is_syllable, key, load_patterns,
                   opens_addressee_list, sentence_case)

# OCR-tolerant (English-model OCR: "ngay 26 thang 11 ndm 2025", "S6: 1026/KH-UBND")
# (a copy may space out a two-digit day or month: "ngày 26 tháng 0 6 năm 2018")
_DATE_WORDS = re.compile(r"ng\w{0,2}y\s*(\d\s?\d|\d)\s*th\w{0,3}g\s*(\d\s?\d|\d)\s*n\w{0,2}m\s*(\d{4})", re.I)
_NUMBER = re.compile(r"\b(?:So\s*[:.]?|S[06@&d]\s*[:.])\s*(\d[\w./&-]*(?:\s?[/-]\s?[\w&.-]+)*)", re.I)
_DOC_NUMBER_TAIL = re.compile(r"[.,;:]+$")
# A number or day the ocr stage could not read is "…" ("Số: …/CT-UBND", "ngày … tháng 9 năm 2024")
_NUMBER_MISSING = re.compile(r"\bSo\s*[:.]?\s*…\s*(/\s?[\w&.-]+(?:\s?[/-]\s?[\w&.-]+)*)", re.I)
_DATE_NO_DAY = re.compile(r"ng\w{0,2}y\s*…\s*th\w{0,3}g\s*(\d{1,2})\s*n\w{0,2}m\s*(\d{4})", re.I)
_UNITS = ("thành phố", "tỉnh", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu")


def iso_date(day: str, month: str, year: str) -> str | None:
    d, m, y = (int(x.replace(" ", "")) for x in (day, month, year))
    if not (1 <= d <= 31 and 1 <= m <= 12 and 1900 <= y <= 2100):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def find_kind_line(lines: list[RawLine], limit: int = 25) -> int | None:
    """Index of the line that is the document kind alone ("KẾ HOẠCH", "QUYẾT ĐỊNH")."""
    kinds = load_patterns("headings")["document_kinds"]
    for i, ln in enumerate(lines[:limit]):
        k = key(ln.text)
        if k in kinds and (is_caps(ln.text) or len(k) < 20):
            return i
        if opens_addressee_list(ln.text):
            return None  # a letter's body has begun: a kind line below is an appendix's
    return None


def split_kind_title_line(lines: list[RawLine], limit: int = 25) -> tuple[int, str, str] | None:
    """A caps line that merges the kind and the title ("KẾ HOẠCH TRIỂN KHAI ..."):
    (index, kind, title text)."""
    kinds = load_patterns("headings")["document_kinds"]
    for i, ln in enumerate(lines[:limit]):
        if opens_addressee_list(ln.text):
            return None  # a letter's body has begun (as in find_kind_line)
        if not is_caps(ln.text, 0.9) or "CONG HOA" in fold(ln.text).upper():
            continue
        words = ln.text.split()
        for n in (3, 2):
            if len(words) > n and key(" ".join(words[:n])) in kinds:
                return i, kinds[key(" ".join(words[:n]))], " ".join(words[n:])
    return None


def _issuer_case(text: str) -> str:
    caps = is_caps(clean(text), 0.6)
    text = fix_uy(expand_abbreviations(clean(text)))
    if not caps:
        return text
    low = text.lower()
    folded = fold(low)  # same length: OCR without diacritics ("TINH NGHE AN") matches too
    for unit in _UNITS:
        m = re.search(rf"(^|\s){fold(unit)}\s+(\S.*)$", folded)
        if m:
            head = low[:m.start(2)].strip()
            name = " ".join(w[:1].upper() + w[1:] for w in low[m.start(2):].split())
            if unit == "thành phố" and key(name) == "ho chi minh":
                head = head[: -len("thành phố")] + "Thành phố"
            out = f"{head} {name}"
            return out[:1].upper() + out[1:]
    return sentence_case(low)


_CHILD_HEADS = ("SO ", "BAN ", "PHONG ", "CHI CUC", "CUC ", "TRUNG TAM", "VAN PHONG", "THANH TRA",
                "BO CHI HUY", "CONG AN", "KHO BAC", "BENH VIEN", "TRUONG ", "DAI ", "BAO ")
_MOTTO = re.compile(r"C\s*O\s*N\s*G\s+H\s*O\s*A\s+X\s*A\s+H\s*O\s*I\s+"
                    r"C\s*H\s*U\s+N\s*G\s*H\s*I\s*A\s+V\s*I\s*E\s*T\s+N\s*A\s*M", re.I)
_MOTTO2 = re.compile(r"D[o0]c\s+l\w{1,2}p\s*[-–]?\s*T\w{1,2}\s+do\s*[-–]?\s*H\w{1,2}nh\s+ph\w{1,3}c", re.I)
_RULE = re.compile(r"[-_–—=]{3,}")
_PARTY_MOTTO = re.compile(r"D\s*A\s*N\s*G\s+C\s*O\s*N\s*G\s+S\s*A\s*N\s+V\s*I\s*E\s*T\s+N\s*A\s*M", re.I)


def _stamps() -> list[re.Pattern]:
    """Stamp and e-signature texts (``stamp_texts`` in document.json), matched on folded text."""
    # case-sensitive: "KHẨN" is a stamp, "khó khăn" is not
    return [re.compile(rx) for rx in load_patterns("document")["stamp_texts"]]


def is_stamp_line(text: str) -> bool:
    """A line that is only a stamp ("HỎA TỐC", "CV ĐẾN Số: 12 Ngày: ...", "Ký bởi: ...")."""
    f = fold(text).strip()
    for rx in _stamps():
        m = rx.search(f)
        if m and (m.start() <= 2 or len(f) - (m.end() - m.start()) < 12):
            return True
    return False


def parse_header(header_lines: list[RawLine]) -> dict:
    """Issuer, number, place, date from the lines above the kind line."""
    # "|" is a column bar of a header laid out as a table ("CHÍNH PHỦ ------- | CỘNG HÒA ...");
    # replaced by a space so that positions in ``text`` and ``folded`` stay aligned
    text = "\n".join(close_spaced_letters(ln.text) for ln in header_lines).replace("|", " ")
    text = re.sub(r"(?<=[A-ZĐ0-9]-)\n(?=[A-ZĐ0-9])", "", text)  # "Số: 252/KH-" / "BCĐ": a code cut at its hyphen
    folded = fold(text)
    out: dict = {"issuer": None, "number": None, "place": None, "date": None}
    m_num = _NUMBER.search(folded)
    if m_num:
        number = text[m_num.start(1):m_num.end(1)]
        number = re.sub(r"\s*([/-])\s*", r"\1", number)
        out["number"] = _DOC_NUMBER_TAIL.sub("", number.split()[0]) if number else None
    m_part = None
    if not m_num:
        m_part = _NUMBER_MISSING.search(folded)
        if m_part:  # what is known, flagged: the digits are missing
            out["number"] = "…" + re.sub(r"\s+", "", _DOC_NUMBER_TAIL.sub("", text[m_part.start(1):m_part.end(1)]))
            out["number_digits_missing"] = True
    m_date = _DATE_WORDS.search(folded)
    if not m_date:
        m_date = _DATE_NO_DAY.search(folded)
        if m_date and 1 <= int(m_date.group(1)) <= 12:
            out["date_month"] = f"{int(m_date.group(2)):04d}-{int(m_date.group(1)):02d}"
            out["day_missing"] = True
    if m_date:
        if "day_missing" not in out:
            out["date"] = iso_date(*m_date.groups())
        # the place: what stands before ", ngày" on its line, after the motto and the number
        before = text[:m_date.start()]
        fb = folded[:m_date.start()]
        motto_ends = [m.end() for m in _MOTTO2.finditer(fb)]
        cut = max(before.rfind("\n") + 1,
                  motto_ends[-1] if motto_ends else 0,
                  m_num.end(1) if m_num and m_num.end(1) <= len(before) else 0)
        place = before[cut:].strip(" ,-\n")
        out["place"] = fix_uy(place) or None
    else:
        cut = 0
    # the issuer is what is left of the header above "Số:" once the motto, the place/date and
    # rules are masked (OCR may read the two header columns row by row, interleaving them)
    masked = list(text)
    for rx in (_MOTTO, _MOTTO2, _RULE, _PARTY_MOTTO, *_stamps()):
        for m in rx.finditer(folded):
            masked[m.start():m.end()] = " " * (m.end() - m.start())
    if m_date:
        line_start = text.rfind("\n", 0, m_date.start()) + 1
        place_start = max(line_start, cut) if m_date else line_start
        masked[place_start:m_date.end()] = " " * (m_date.end() - place_start)
    masked_text = "".join(masked)
    # the issuer ends where the number or the date line starts, even when the number was not
    # read as one ("Số 07-KL/VPTW", "S6 1026") or its digits are missing ("Số: …/CT-UBND")
    ends = [m_num.start()] if m_num else [m_part.start()] if m_part else []
    m_so = re.search(r"(?<!\w)S[oốô6][\s:.]", text)
    if m_so:
        ends.append(m_so.start())
    if m_date:
        ends.append(place_start)  # the place before ", ngày ..."
    m_vv = re.search(r"(?<!\w)V/[vV]\b", text)
    if m_vv:
        ends.append(m_vv.start())
    end = min([e for e in ends if e > 0] or [len(text)])
    issuer_text = masked_text[:end]
    issuer_lines = [ln.strip(" -–_") for ln in issuer_text.split("\n") if ln.strip(" -–_")]
    while len(issuer_lines) >= 2 and not is_caps(issuer_lines[0], 0.6) and any(
            is_caps(ln, 0.6) for ln in issuer_lines[1:]) and not _parent_line(issuer_lines[0]):
        # (a parent body written in sentence case, "UBND tỉnh An Bình" over "SỞ TÀI CHÍNH", stays)
        # a stray line in sentence case above the caps header (another document's abstract the
        # copy opens with): no part of the issuer
        issuer_lines.pop(0)
    if len(issuer_lines) >= 2 and fold(issuer_lines[1]).upper().startswith(_CHILD_HEADS):
        # "UBND THÀNH PHỐ ĐÀ NẴNG / SỞ GIÁO DỤC VÀ ĐÀO TẠO": the lower line issues the document
        out["issuer_parent"] = _issuer_case(issuer_lines[0])
        out["issuer"] = " ".join(issuer_lines[1:]).strip(" _-–")  # cased later from the running text
        out["issuer_needs_case"] = True
    elif issuer_lines and fold(" ".join(issuer_lines)).upper().startswith(_CENTRAL_PARTY + " BAN "):
        # "BAN CHẤP HÀNH TRUNG ƯƠNG / BAN TUYÊN GIÁO VÀ DÂN VẬN": a board of the Party's Central
        # Committee, named "Ban … Trung ương"
        joined = " ".join(issuer_lines)
        out["issuer_parent"] = "Ban Chấp hành Trung ương"
        out["issuer"] = joined[len(_CENTRAL_PARTY):].strip(" _-–") + " TRUNG ƯƠNG"
        out["issuer_needs_case"] = True
    elif issuer_lines and (at := _run_on_child(joined := " ".join(issuer_lines))):
        # "UBND THÀNH PHỐ HÀ NỘI SỞ GIÁO DỤC VÀ ĐÀO TẠO" on one line (a flattened copy): the same
        # two bodies, the lower one issues the document
        out["issuer_parent"] = _issuer_case(joined[:at].strip())
        out["issuer"] = joined[at:].strip(" _-–")
        out["issuer_needs_case"] = True
    elif issuer_lines:
        out["issuer"] = _issuer_case(" ".join(issuer_lines)) or None
        # a caps issuer the unit rule did not case ("BAN CHẤP HÀNH TRUNG ƯƠNG"): the running text's
        # casing of it is the name's ("Ban Chấp hành Trung ương Đảng")
        out["issuer_needs_case"] = is_caps(" ".join(issuer_lines), 0.6) and not any(
            re.search(rf"(^|\s){fold(u)}\s", fold(out["issuer"] or "").lower()) for u in _UNITS)
    return out


#: the Party's Central Committee heading a board's header (diacritic-free, upper case)
_CENTRAL_PARTY = "BAN CHAP HANH TRUNG UONG"
_PARENT_HEADS = re.compile(r"^(?:UBND|U[YỶ] BAN NHAN DAN|BO)\s")
#: a short header line that opens with a parent body (folded, upper case): "UBND tỉnh …", "Bộ …",
#: "Tỉnh ủy …" (a longer one is a sentence: another document's abstract)
_PARENT_LINE = re.compile(r"^(?:UBND|UY BAN NHAN DAN|BO|(?:TINH|THANH|DANG) UY)\s(?:\S+\s?){1,7}$")


def _parent_line(line: str) -> bool:
    """A sentence-case line above the caps header that names a parent body and nothing else
    ("UBND tỉnh Hòa Sơn"), not a short sentence that opens like one ("UBND tỉnh công bố kết quả
    thi", "Bố trí kinh phí …": BO folds like Bộ)."""
    return bool(_PARENT_LINE.match(fold(line).upper())) and only_agencies(expand_abbreviations(line))
#: child heads that also spell words of a parent's or a place's name ("ỦY BAN", "QUỐC PHÒNG", Trường Sa,
#: Đại Lộc, Bảo Lộc) are not looked for inside a run-on issuer
_HEADS_IN_NAMES = ("BAN ", "PHONG ", "KHO BAC", "BENH VIEN", "TRUONG ", "DAI ", "BAO ")
_RUN_ON_CHILD = re.compile(r"\s(?:" + "|".join(re.escape(h.strip()) for h in _CHILD_HEADS
                                                 if h not in _HEADS_IN_NAMES) + r")\s")


def _run_on_child(caps: str) -> int | None:
    """Where a subordinate body starts inside an all-caps issuer run on after its parent
    ("UBND THÀNH PHỐ HÀ NỘI | SỞ GIÁO DỤC VÀ ĐÀO TẠO"); None when there is none. Only the
    heads that are never part of a place name are looked for."""
    if not is_caps(caps):
        return None
    f = fold(caps).upper()
    if len(f) != len(caps) or not _PARENT_HEADS.match(f):
        return None
    m = _RUN_ON_CHILD.search(f, 4)
    return m.start() + 1 if m else None


def issuer_from_authority(text: str) -> str | None:
    """The issuing body named by a Quyết định's enacting authority line, for documents whose
    header was lost: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN BÌNH" -> "Ủy ban nhân dân tỉnh An Bình",
    "BỘ TRƯỞNG BỘ Y TẾ" -> "Bộ Y tế", "THỦ TƯỚNG CHÍNH PHỦ" as it is."""
    words = clean(text).split()
    if not words or not is_caps(text) or len(words) > 16:
        return None
    persons = load_patterns("document")["enacting_person"]
    for person in persons:
        n = len(person.split())
        if key(" ".join(words[:n])) == person and len(words) > n:
            words = words[n:]
            break
    return _issuer_case(" ".join(words)) or None


def kind_from_number(number: str | None) -> str | None:
    if not number or "/" not in number:
        return None
    codes = load_patterns("headings")["number_kind_codes"]
    tail = number.split("/", 1)[1]
    code = re.split(r"[-/]", tail)[0]
    if code in codes:
        return codes[code]
    if code.upper() in ("UBND", "SYT", "STC") or "-" in tail:
        return "Công văn"
    return None


_PERIOD = re.compile(r"giai\s+doan\s+(\d{4})\s*[-–]\s*(\d{4})", re.I)
_UNTIL = re.compile(r"den\s+nam\s+(\d{4})", re.I)
_YEAR = re.compile(r"\bnam\s+(\d{4})\b", re.I)


def parse_period(text: str) -> dict | None:
    """The plan's period from its title: "giai đoạn 2026 - 2030", "đến năm 2035", "năm 2026"."""
    f = fold(text)
    m = _PERIOD.search(f)
    if m:
        return {"start": int(m.group(1)), "end": int(m.group(2)), "text": text[m.start():m.end()]}
    m = re.search(r"(\d{4})\s*[-–]\s*(\d{4})", f)
    if m and 1900 < int(m.group(1)) < 2100:
        return {"start": int(m.group(1)), "end": int(m.group(2)), "text": text[m.start():m.end()]}
    m = _UNTIL.search(f)
    if m:
        return {"start": None, "end": int(m.group(1)), "text": text[m.start():m.end()]}
    m = _YEAR.search(f)
    if m:
        y = int(m.group(1))
        return {"start": y, "end": y, "text": text[m.start():m.end()]}
    return None


_PUNCT = "\"“”‘’'()[],.;:!?…-–"


_LIST_MARK = re.compile(r"[-–+•*]|[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*[.)]?|[IVXL]{1,5}\.")


def restore_title_case(title_caps: str, body_texts: list[str], copy_words: bool = False) -> str:
    """Casing of an all-caps title copied from the document's own running text.

    Greedy: at each title word, the longest run of following title words that also occurs in
    the body (case-insensitively, diacritic-free) lends its casing (with ``copy_words`` its
    spelling); words nowhere in the body are lower-cased. The first letter is capitalised.
    """
    words = clean(title_caps).split()
    if not is_caps(title_caps, 0.7) and not copy_words:
        out = clean(title_caps)
        return out[:1].upper() + out[1:]
    body_words: list[str] = []
    sentence_start: list[bool] = []
    # the text before ends inside a sentence (its line wrapped: "… vận hành" / "Hệ thống …"), so
    # the next text's first word is no sentence start and tells its case
    prev_open = False
    for t in body_texts:
        ws = t.split()
        for i, w in enumerate(ws):
            body_words.append(w)
            # after a list marker ("- Lộ trình ...", "a) Đợt ...") a word starts a sentence too
            sentence_start.append((i == 0 and not (prev_open and w[:1].isupper() and not w.isupper()
                                                   and not _LIST_MARK.fullmatch(w)))
                                  or (i > 0 and ws[i - 1][-1:] in ".:;!?")
                                  or (i == 1 and bool(_LIST_MARK.fullmatch(ws[0]))))
        prev_open = bool(ws) and ws[-1][-1:].isalpha() and ws[-1][:1].islower()
    low_body = [w.strip(_PUNCT) for t in body_texts for w in fold(t).lower().split()]
    index: dict[str, list[int]] = {}
    for i, w in enumerate(low_body):
        index.setdefault(w, []).append(i)
    low_title = [fold(w).lower().strip(_PUNCT) for w in words]
    # the longest body run starting at each title word
    # (from the last word back: the run at body position p is one longer than the next word's at p + 1)
    runs: list[tuple[int, int]] = [(0, -1)] * len(words)
    next_lengths: dict[int, int] = {}
    for i in range(len(words) - 1, -1, -1):
        lengths = {p: 1 + next_lengths.get(p + 1, 0) for p in index.get(low_title[i], [])}
        best_len, best_pos = 0, -1
        for p, n in lengths.items():
            if n > best_len:
                best_len, best_pos = n, p
        if not (best_len >= 2 or (best_len == 1 and not words[i].isalpha())):
            best_len = 0
        runs[i] = (best_len, best_pos)
        next_lengths = lengths
    out: list[str] = []
    for j, w in enumerate(words):
        # each word takes its casing from the longest run that covers it: "CỦA BỘ CHÍNH TRỊ" is
        # cased by "..., Bộ Chính trị, Ban Bí thư về" rather than by a shorter "của bộ máy"; a run
        # that puts the word at a sentence's start tells nothing of its case, so any other run wins
        cover = [(not sentence_start[p + j - i], n, -i, p + j - i)
                 for i, (n, p) in enumerate(runs[:j + 1]) if n and i + n > j]
        if not cover:
            core = w.strip(_PUNCT)
            # a code, a roman numeral or an acronym ("CSDL", "TNCN": capitals that spell no
            # syllable) keeps its capitals; a word does not
            keep = _looks_like_code(w) or _ROMAN_NUMERAL.fullmatch(core) \
                or (len(core) >= 2 and core.isalpha() and core.isupper() and not is_syllable(core))
            out.append(w if keep else w.lower())
            continue
        informative, n, *_, q = max(cover)
        if informative and not copy_words and w.isalpha():
            # the other copies of the phrase vote: those matching at least 3/5 of the longest run
            q = _majority_case_position(j, q, max(2, -(-3 * n // 5)), low_title, low_body, body_words,
                                        sentence_start, index)
        src = body_words[q]
        if copy_words:
            # the document's own spelling (OCR may have lost diacritics in the header)
            out.append(src.strip(_PUNCT) if w.strip(_PUNCT) == w else src)
        elif not informative and w.isalpha():
            out.append(w.lower())
        else:
            # keep the title's punctuation, take the body's letters' case
            out.append(_copy_case(w, src))
    out = _lower_unstable_capitals(out, body_texts)
    out = _lower_defined_terms(out, body_texts)
    text = " ".join(out)
    return text[:1].upper() + text[1:]


_DEFINED_TERM = re.compile(r"gọi\s+(?:tắt\s+)?là\s+[\"“]?([A-ZĐÀ-Ỹ][^\s,.;:)”\"]*)(?:\s+([^\s,.;:)”\"]+))?")


def _lower_defined_terms(words: list[str], body_texts: list[str]) -> list[str]:
    """A short name the document defines for itself ("(sau đây gọi tắt là Đợt thi đua)") is
    capitalised in its running text by that convention only: in the title the word is written
    as a common noun ("phát động đợt thi đua …"). A defined name that is a document's
    ("Chương trình", "Kế hoạch", segment.json capitalised_nouns), a body's ("Ban Chỉ đạo") or a
    quoted name ("“Tháng hành động …”") keeps its capital."""
    defined: set[tuple[str, ...]] = set()
    nouns = set(load_patterns("segment")["capitalised_nouns"])
    for t in dict.fromkeys(body_texts):
        for m in _DEFINED_TERM.finditer(t):
            term = " ".join(x for x in m.groups() if x)
            k1 = key(m.group(1))
            k2 = key(term)
            if k1 in nouns or k2 in nouns or 0 in head_starts(term)[1]:
                continue
            if m.group(2) is None or not m.group(2)[:1].islower():
                continue  # "(gọi tắt là Giải)": one word also opens other names ("Giải thưởng");
                # "(gọi tắt là Ngày Pháp luật)": a proper name keeps its capitals
            defined.add((k1, key(m.group(2))))
    if not defined:
        return words
    out = list(words)
    for i, w in enumerate(out[1:-1], start=1):
        core = w.strip(_PUNCT)
        if core[:1].isupper() and not core.isupper() and (key(core), key(out[i + 1].strip(_PUNCT))) in defined \
                and w[:1] not in "\"“'‘(" and not out[i - 1].endswith(("“", "\"")):
            out[i] = w.replace(core, core[:1].lower() + core[1:], 1)
    return out


def capitalise_issued_kind(title: str) -> str:
    """The kind of the document an abstract issues takes a capital: "ban hành kế hoạch kiểm kê"
    → "ban hành Kế hoạch kiểm kê" (the issued document's name, as the abstracts write it)."""
    verbs = load_patterns("document")["issuing_verbs"]
    kinds = sorted(load_patterns("headings")["document_kinds"].values(), key=len, reverse=True)
    rx = re.compile(r"(?<!\w)((?:%s) )(%s)(?!\w)" % ("|".join(map(re.escape, verbs)),
                                                  "|".join(re.escape(k.lower()) for k in kinds)))
    return rx.sub(lambda m: m.group(1) + m.group(2)[:1].upper() + m.group(2)[1:], title)


def cut_run_on_abstract(title: str, document_text: str) -> str:
    """A mixed-case abstract of a text without line breaks runs on into the body's first sentence
    ("... tỉnh Quảng Ngãi Cơn bão số 3 và mưa lũ ... mất tích. Theo ..."): cut it before the first
    capitalised word that starts a lower-case run (not a name's inner word) and that the text
    nowhere else writes after the word before it: a name the abstract holds recurs in the body,
    the seam between the abstract and the body's first word does not."""
    # a sentence's end: a lower-case word's full stop ("mất tích. Theo"), not an abbreviation's ("TP. Hồ")
    sentence_end = any(m.group(1).islower() and len(m.group(1)) > 1
                       for m in re.finditer(r"(\w+)[.!?]\s+\w", title))
    if is_caps(title, 0.7) or not (sentence_end or title.rstrip().endswith(":")):
        return title
    kinds = {fold(k).lower() for k in load_patterns("headings")["document_kinds"].values()}
    words = title.split()
    keys = [fold(w.strip(_PUNCT)).lower() for w in words]
    text_keys = [fold(w.strip(_PUNCT)).lower() for w in document_text.split()]
    pairs: dict[tuple[str, str], int] = {}
    for a, b in zip(text_keys, text_keys[1:]):
        pairs[(a, b)] = pairs.get((a, b), 0) + 1
    for k in range(4, len(words) - 1):
        w, prev, nxt = words[k], words[k - 1], words[k + 1]
        if re.search(r"[.!?:;]$", prev):
            break  # past the first sentence: the body's own sentences are no abstract
        if not (w[:1].isupper() and w[1:2].islower()) or nxt[:1].isupper() or not prev[-1:].isalnum():
            continue
        if f"{keys[k]} {keys[k + 1]}" in kinds:
            continue  # a document's name in the abstract ("ban hành Kế hoạch ...")
        if pairs.get((keys[k - 1], keys[k]), 0) <= 1:
            return " ".join(words[:k])
    return title


def _majority_case_position(j: int, q: int, min_extent: int, low_title: list[str], low_body: list[str],
                            body_words: list[str], sentence_start: list[bool], index: dict) -> int:
    """The body position whose casing title word ``j`` takes: where the body writes the same
    phrase several times ("cơ sở Văn hóa và Thể thao" three times, "cơ sở văn hóa và thể thao"
    once), the casing most of them share; ``q`` (the longest run's) when they split evenly."""
    def extent(p: int) -> int:
        left = 0
        while j - left - 1 >= 0 and p - left - 1 >= 0 and low_body[p - left - 1] == low_title[j - left - 1]:
            left += 1
        right = 0
        while j + right + 1 < len(low_title) and p + right + 1 < len(low_body) \
                and low_body[p + right + 1] == low_title[j + right + 1]:
            right += 1
        return left + right + 1
    upper, lower = [], []
    for p in index.get(low_title[j], []):
        if sentence_start[p] or extent(p) < min_extent:
            continue
        core = body_words[p].strip(_PUNCT)
        (upper if core[:1].isupper() else lower).append(p)
    mine = upper if body_words[q].strip(_PUNCT)[:1].isupper() else lower
    other = lower if mine is upper else upper
    return other[0] if len(other) > len(mine) else q


_ROMAN_NUMERAL = re.compile(r"[IVXLC]{2,}|[IVX]")


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    """A word without its punctuation, diacritics and case."""
    return fold(word.strip(_PUNCT)).lower()


def _lower_unstable_capitals(words: list[str], body_texts: list[str]) -> list[str]:
    """Casing model for the copied title words: a capitalised word is a proper name only when
    the running text capitalises it more than once ("thắng Lợi" read once by OCR loses to
    ten "thắng lợi"; "Chỉ thị", "Chương trình" used as names stay). A defined short name
    ("gọi tắt là Chương trình") keeps its capital: the dev golds capitalise it in the title
    in three documents of four."""
    # only the title's capitalised words are counted
    wanted = {_word_key(w) for w in words[1:] if w.strip(_PUNCT)[:1].isupper() and not w.strip(_PUNCT).isupper()}
    if not wanted:
        return list(words)
    upper: dict[str, int] = {}
    lower: dict[str, int] = {}
    # the same counts for the word next to a given capitalised neighbour ("Trung Bộ", "Bộ Chính"):
    # a name's capital is kept where the body writes it so beside the same word more often than not
    pair_upper: dict[tuple[str, str, int], int] = {}
    pair_lower: dict[tuple[str, str, int], int] = {}
    for t in dict.fromkeys(body_texts):  # the preamble may be passed twice
        ws = t.split()
        for i, w in enumerate(ws[1:], start=1):
            core = w.strip(_PUNCT)
            if not core[:1].isalpha() or ws[i - 1][-1:] in ".:;!?" or core.isupper():
                continue
            k = _word_key(w)
            if k not in wanted:
                continue
            counts, pairs = (upper, pair_upper) if core[:1].isupper() else (lower, pair_lower)
            counts[k] = counts.get(k, 0) + 1
            if ws[i - 1][-1:].isalpha() and ws[i - 1][:1].isupper():
                pair = (_word_key(ws[i - 1]), k, -1)
                pairs[pair] = pairs.get(pair, 0) + 1
            if i + 1 < len(ws) and w[-1:].isalpha() and ws[i + 1][:1].isupper():
                pair = (_word_key(ws[i + 1]), k, 1)
                pairs[pair] = pairs.get(pair, 0) + 1
    out = list(words)
    for i, w in enumerate(out[1:], start=1):
        core = w.strip(_PUNCT)
        if not core[:1].isupper() or core.isupper() or not core.isalpha():
            continue
        k = fold(core).lower()
        if upper.get(k, 0) <= 1 and lower.get(k, 0) >= 3:
            # only a capitalised neighbour counts: a name is a run of capitals ("Nam Trung Bộ"),
            # an OCR capital sits among lower-case words ("thắng Lợi các")
            neighbours = [(fold(out[i - 1].strip(_PUNCT)).lower(), k, -1)] \
                if out[i - 1][-1:].isalpha() and out[i - 1][:1].isupper() else []
            if i + 1 < len(out) and w[-1:].isalpha() and out[i + 1][:1].isupper():
                neighbours.append((fold(out[i + 1].strip(_PUNCT)).lower(), k, 1))
            if any(pair_upper.get(n, 0) > pair_lower.get(n, 0) for n in neighbours):
                continue
            out[i] = w.replace(core, core.lower(), 1)
    return out


def _looks_like_code(word: str) -> bool:
    return bool(re.search(r"\d", word)) and "/" in word


def _copy_case(target: str, source: str) -> str:
    letters = [c for c in source if c.isalpha() or c.isdigit()]
    out = []
    j = 0
    for c in target:
        if (c.isalpha() or c.isdigit()) and j < len(letters):
            src = letters[j]
            out.append(c.upper() if src.isupper() else c.lower())
            j += 1
        else:
            out.append(c.lower() if c.isalpha() else c)
    return "".join(out)


_AUTHORITY = re.compile(r"\b(TM|KT|TL|TUQ|Q|TM\s*/|[KT]/[TML])\s*[./]?\s+(?=[A-ZĐÀ-Ỹ]{2})")
# Vietnamese capitals and small letters as classes (the code-point range À-Ỹ holds both cases)
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x1EFA)) if c.isalpha() and c.isupper())
_LOWER = "a-z" + "".join(c for c in map(chr, range(0xC0, 0x1EFA)) if c.isalpha() and c.islower())
#: a signer's name: capitalised words, the last one maybe an initial ("Trần Văn B")
_NAME = re.compile(rf"((?:[{_UPPER}][{_LOWER}]+)(?:\s+[{_UPPER}][{_LOWER}]+){{0,4}}\s+[{_UPPER}][{_LOWER}]*)\s*$")


def _known_title(title: str) -> str:
    """Snap an OCR-damaged signer title ("PHÓ CIHIỦ TỊCH") to the known title it resembles."""
    known = load_patterns("headings")["signer_titles"]
    if not title or title in known or title.startswith(tuple(k + " " for k in known)):
        return title  # (a known title and more: "PHÓ CHỦ TỊCH KIÊM TRƯỞNG BAN …" is read right)
    from rapidfuzz import fuzz, process
    best = process.extractOne(title, known, scorer=fuzz.ratio, score_cutoff=80)
    return best[0] if best else title


#: a signer's title in capitals ("CHỦ TỊCH", "THỦ TƯỚNG", ...; the list is data in headings.json)
_SIGNER_TITLE = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(t) for t in sorted(load_patterns("headings")["signer_titles"], key=len, reverse=True)) + r")(?!\w)")

#: the same titles diacritic-free (folded text keeps the positions of the original)
_SIGNER_TITLE_FOLDED = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(fold(t)) for t in sorted(load_patterns("headings")["signer_titles"], key=len, reverse=True)) + r")(?!\w)")


def signature_paragraph(text: str) -> dict | None:
    """The signature of a document whose closing has no "Nơi nhận:" list: one short paragraph
    "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hoàng Văn A" / "THỦ TƯỚNG Nguyễn Văn B" (authority marks, a known
    signer title, then the name); None for anything else."""
    text = clean(_SIGNED_NOTE.sub(" ", text))
    if len(text) > 140:
        return None
    m = _NAME.search(text)
    if not m or is_caps(m.group(1)):
        return None
    caps = text[:m.start()].strip()
    if not caps or not caps.isupper() or not (_AUTHORITY.match(caps) or _SIGNER_TITLE.match(caps)):
        return None
    sig = parse_signature(caps, m.group(1))
    known = load_patterns("headings")["signer_titles"]
    if sig is None or not ((sig["title"] in known) or (sig["authority"] and _AUTHORITY.match(caps))):
        return None
    return sig


def parse_signature(caps_text: str, name: str | None) -> dict | None:
    """Signer's title (the line above the name), authority ("KT. CHỦ TỊCH") and name."""
    caps_text = clean(caps_text)
    if not caps_text and not name:
        return None
    # the title block is upper case: stop at the first word that is not (recipients, noise)
    words = caps_text.split()
    keep = []
    for w in words:
        if any(c.isalpha() for c in w) and not w.isupper():
            break
        keep.append(w)
    caps_text = " ".join(keep)
    parts = _AUTHORITY.split(caps_text)
    authority = None
    title = caps_text
    if len(parts) > 1:
        # parts: [before, 'TM', chunk, 'KT', chunk, ...]
        chunks = [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]
        last_mark, last_chunk = chunks[-1]
        title = last_chunk.strip()
        # the signer's own title is the last known title of the block ("K/T CHÁNH VĂN PHÒNG PHÓ
        # CHÁNH VĂN PHÒNG", "TM. CHÍNH PHỦ THỦ TƯỚNG"); what precedes it is whom they sign for
        # (matched diacritic-free: OCR without diacritics reads "PHO CHU TICH")
        # a title after "KIÊM" is the same signer's second office ("PHÓ CHỦ TỊCH KIÊM TRƯỞNG BAN
        # CHỈ ĐẠO"): it stays with the title before it
        own = [m.start() for m in _SIGNER_TITLE_FOLDED.finditer(fold(title))
               if not fold(title)[:m.start()].rstrip().endswith("KIEM")]
        pho = fold(title).rfind("PHO ")
        pos = own[-1] if own and own[-1] > 0 else (pho if last_mark == "KT" and pho > 0 else 0)
        if pos > 0:
            authority = f"{last_mark}. {title[:pos].strip()}"
            title = title[pos:]
    title = " ".join(re.sub(r"[^\w\s.]", "", title).split())  # seal and OCR specks
    title = _known_title(title)
    if title and len(parts) > 1 and authority is None and chunks[-1][0].replace(" ", "") in ("T/M", "TM/") \
            and title not in load_patterns("headings")["signer_titles"]:
        # a party committee signs "T/M BỘ CHÍNH TRỊ" above the name, with no title of the signer's
        # own: that line is the title (a state body writes "TM." and its title line under it)
        title = f"T/M {title}"
    elif title and len(parts) > 1 and authority is None and title not in load_patterns("headings")["signer_titles"] \
            and title.startswith(("ỦY BAN", "UỶ BAN", "HỘI ĐỒNG", "BAN ", "SỞ ")):
        # "TM. ỦY BAN NHÂN DÂN" and the title line lost (seal over it): a body is no title
        authority, title = f"{chunks[-1][0]}. {title}", ""
    elif title and len(parts) > 1 and authority is None and chunks[-1][0] == "KT":
        # "KT. CHỦ TỊCH" signs for the chairman: the signer's own title line was not read
        authority, title = f"KT. {title}", ""

    return {"title": fix_uy(title) or None, "name": name, "authority": fix_uy(authority) if authority else None}


def split_recipients(text: str) -> list[str]:
    """Items of a "Nơi nhận:" list."""
    text = re.sub(r"^\s*\S{0,2}[oơ0]i\s+nh\S*\s*:?", "", text, flags=re.I)
    items = re.split(r"(?:^|\s)[-–•+~]\s+", text)
    if len(items) == 1:
        # bullets lost (OCR, one recipient a line): items end with ";"
        items = re.split(r";\s+(?=[A-ZĐÀ-Ỹ])", text)
    # an unclosed "(" at the end is the signature column's "(Đã ký ...)" misread
    items = [re.sub(r"\s*\([^)]*$", "", i) for i in items]
    return [i.strip(" ;,.") for i in items if i.strip(" ;,.")]


_SIGNED_NOTE = re.compile(r"\(\s*[Đđ]ã\s+ký[^)]*\)")
_REC_ITEM = re.compile(r"^\s*[-–•+~]\s*\S|^\s*L[ưu]u\s*:")


def _signature_columns(t: str) -> tuple[str, str, str | None]:
    """Split one row of a two-column closing block (recipients | signature) as OCR reads it row
    by row: (recipients part, signature caps part, signer name or None)."""
    t = _SIGNED_NOTE.sub(" ", t)
    name = None
    m = _NAME.search(t)
    if m and not is_caps(m.group(1)):
        before = t[:m.start()].rstrip()
        from .agencies import head_starts
        _, starts = head_starts(m.group(1))
        last = before.split()[-1] if before else ""
        if (not before or before[-1] in ";.)" or (len(last) >= 2 and last.isupper())) and 0 not in starts \
                and not re.match(r"(?:Lưu|Như|Nơi)\b", m.group(1)):
            name, t = m.group(1), before
    cands = [x.start() for x in _AUTHORITY.finditer(t)]
    for title in load_patterns("headings")["signer_titles"]:
        pos = t.find(title)
        if pos >= 0:
            cands.append(pos)
    caps = ""
    for pos in sorted(cands):
        if is_caps(t[pos:], 0.75):
            t, caps = t[:pos], t[pos:]
            break
    return t.strip(), caps.strip(), name


def closing_block(paras_text: list[str]) -> tuple[list[str], dict | None, int]:
    """Recipients, signature and how many closing paragraphs they used (the rest is appendix).

    ``paras_text`` starts with the "Nơi nhận:" paragraph. OCR of the two-column closing block
    row by row ("- Bộ Y tế;  KT. CHỦ TỊCH") is first split back into its two columns.
    """
    # ("KT. CHỦ TỊ CH" spaced out as the header may be; an appendix paragraph is read no further)
    # (a recipient "Tổ B an toàn …" or "mẫu số B ANH" has one lone letter, a spaced-out
    # signature line several: "P HÓ CHỦ T Ị CH"; counted per recipient, a folded copy being one paragraph)
    paras_text = ["".join(close_spaced_letters(piece, 2) for piece in re.split(r"(;\s*)", t)) if len(t) <= 2000
                  else t for t in paras_text]
    rec_parts: list[str] = []
    caps_parts: list[str] = []
    name = None
    region = 0
    for i, t in enumerate(paras_text):
        if i and (len(t) > 160 or re.match(r"(?:PHU LUC|STT\b)", fold(t).upper())):
            break
        if name and not (_REC_ITEM.match(t) or (len(t) < 100 and t.rstrip().endswith(";"))):
            break  # the recipients list and the signature are over: footnotes, appendix
        if caps_parts and is_caps(t) and key(t).startswith(_ATTACHMENT_KINDS):
            break  # "CHỦ TỊCH" / "Trần Văn B" / "QUY CHẾ": the attached document (no name was read)
        rec, caps, nm = _signature_columns(t)
        region = i + 1
        if rec:
            rec_parts.append(rec)
        if caps:
            caps_parts.append(caps)
        if nm:
            name = name or nm
    if caps_parts and (name or len(caps_parts) > 1 or rec_parts[1:]):
        # row-by-row reading (the signature column interleaved): columns restored
        recipients, signature, _ = _closing_block_rows(rec_parts + caps_parts + ([name] if name else []))
        return recipients, signature, region
    return _closing_block_rows(paras_text)


#: the kinds of a document attached after the signature ("QUY CHẾ", "KẾ HOẠCH"), as keys
_ATTACHMENT_KINDS = tuple(k + " " for k in load_patterns("document")["attachment_kinds"]) \
    + tuple(load_patterns("document")["attachment_kinds"])


def _closing_block_rows(paras_text: list[str]) -> tuple[list[str], dict | None, int]:
    joined_parts: list[str] = []
    used = 0
    name = None
    caps_start = None
    for i, t in enumerate(paras_text):
        if i and (len(t) > 160 or re.match(r"(?:PHU LUC|STT\b)", fold(t).upper())):
            break  # an appendix or a table: the closing block ended (its name was not read)
        if caps_start is not None and i > caps_start[0] and is_caps(t) and key(t).startswith(_ATTACHMENT_KINDS):
            break  # "QUY CHẾ" after a signature whose name was not read: the attached document
        used = i + 1
        if caps_start is None:
            m = _AUTHORITY.search(t)
            m2 = _SIGNER_TITLE.search(t)
            cand = [x.start() for x in (m, m2) if x]
            if cand and (i > 0 or min(cand) > 0):
                caps_start = (len(joined_parts), min(cand))
        joined_parts.append(t)
        if caps_start is not None:
            tail = t if i > caps_start[0] else t[caps_start[1]:]
            mname = _NAME.search(tail)
            if mname and not is_caps(mname.group(1)):
                name = mname.group(1)
                break
    if caps_start is None:
        return split_recipients(" ".join(paras_text[:1])), None, 1
    pi, off = caps_start
    rec_text = " ".join(joined_parts[:pi] + [joined_parts[pi][:off]])
    sig_text = " ".join([joined_parts[pi][off:]] + joined_parts[pi + 1:])
    if name:
        sig_caps = sig_text[: sig_text.rfind(name)]
    else:
        sig_caps = sig_text
    return split_recipients(rec_text), parse_signature(sig_caps, name), used
