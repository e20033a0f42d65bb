"""Items of a plan: purposes, requirements, objectives (with targets), tasks (with lead,
partners, timeframe), implementation items and duties, document references."""

from __future__ import annotations

import re
from contextvars import ContextVar
from functools import lru_cache

from ..model import Duty, Reference, Target, Task
from .agencies import (agency_spans, dedupe, gazetteer_spans, head_starts, is_bare_head, is_definite_name, is_label,
                       normalize_agency, only_agencies, opens_member_list, split_agencies, tokenize,
                       unpaired_inner_word)
from .entities import annotate
from .layout import Para
from .structure import Node, _label_excluded, is_regulation_article
from .text import (ASSIGNING_OPENING, clean, first_sentence, fold, is_syllable, key, load_patterns, opens_with,
                   strip_end_mark)


def ref_list(paras: list[Para]) -> list[dict]:
    return [r for p in paras for r in p.refs]


# --------------------------------------------------------------------------------- list items
def leaf_items(node: Node) -> list[tuple[str, list[Para], Node]]:
    """(text, paragraphs, group node) of the leaf items under ``node``.

    A heading's unmarked paragraphs are items; a marked paragraph without sub-items is an item
    together with the unmarked paragraphs that continue it; a node with sub-items is a group.
    """
    out: list[tuple[str, list[Para], Node]] = []
    if node.excluded:
        return out
    if node.para is None or node.is_heading:
        for group in _ordinal_groups(node.paras):
            out.append((" ".join(p.body for p in group), group, node))
    for c in node.children:
        if c.excluded:
            continue
        if c.children:
            out.extend(leaf_items(c))
        elif c.is_heading and c.paras:
            out.extend(leaf_items(c))
        else:
            paras = [c.para] + c.paras
            text = " ".join([c.body] + [p.body for p in c.paras])
            out.append((text, paras, c))
    return out


def _ordinal_groups(paras: list[Para]) -> list[list[Para]]:
    """Paragraphs as items: one each, except that once paragraphs are labelled with ordinals
    ("Thứ nhất, ...", "Thứ năm, ..."), the unlabelled ones that follow continue the item before."""
    ordinals = tuple(load_patterns("headings")["ordinal_labels"])
    groups: list[list[Para]] = []
    labelled = False
    for p in paras:
        is_ordinal = key(p.body).startswith(ordinals)
        if labelled and not is_ordinal and groups:
            groups[-1].append(p)
        else:
            groups.append([p])
        labelled = labelled or is_ordinal
    return groups


def group_heading(node: Node) -> str | None:
    """The nearest heading at or above ``node`` (an objective's group: "Đến năm 2030")."""
    n = node
    while n is not None and n.style != "root":
        if n.para is not None and n.is_heading:
            return item_text(n.body)
        n = n.parent
    return None


def item_text(text: str) -> str:
    return strip_end_mark(clean(text))


def strip_role_label(text: str) -> str:
    """Drop a sub-heading written inline before the item ("Mục đích: Xác định ..." ->
    "Xác định ..."); labels are data (``inline_role_labels`` in headings.json)."""
    head, sep, rest = text.partition(":")
    if not sep or len(head) > 30 or not rest.strip():
        return text
    if key(head) in load_patterns("headings")["inline_role_labels"]:
        rest = rest.strip()
        return rest[:1].upper() + rest[1:]
    return text


# --------------------------------------------------------------------------------- objectives
_YEAR_IN = re.compile(r"\b(?:nam|den)\s+(\d{4})\b")


def _number(text: str) -> float | int | None:
    """Vietnamese number: "3.000" -> 3000 (thousands dots), "1,7" -> 1.7 (decimal comma)."""
    t = text
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", t):
        t = t.replace(".", "")
    elif re.fullmatch(r"\d+,\d+", t):
        t = t.replace(",", ".")
    try:
        v = float(t)
    except ValueError:
        return None
    return int(v) if v.is_integer() else v


def find_year(text: str) -> int | None:
    f = fold(text).lower()
    years = [int(y) for y in _YEAR_IN.findall(f) if 1990 <= int(y) <= 2100]
    return years[-1] if years else None


def parse_targets(text: str, default_year: int | None) -> list[Target]:
    """Committed quantities of an objective: percentages, rates and counts with their unit.

    Candidates are the PERCENT / RATE / QUANTITY entities of :func:`.entities.annotate`;
    numbers after words such as "từ" (a baseline), "top" (a rank) or "Chỉ tiêu" (a label),
    years, dates and document numbers are not targets.
    """
    pats = load_patterns("quantities")
    stops = set(pats["unit_stop_words"])
    before_stops = [fold(w) for w in pats["non_target_before"]]
    year = find_year(text) or default_year
    out: list[Target] = []
    for label, span, start, _end in annotate(text, ("PERCENT", "RATE", "QUANTITY")):
        raw = re.match(r"\d+(?:[.,]\d+)*", span).group()
        num_end = start + len(raw)
        pre = fold(text[max(0, start - 14):start]).lower().rstrip()
        if any(pre.endswith(b) for b in before_stops):
            continue
        value = _number(raw)
        if value is None:
            continue
        if label == "PERCENT":
            out.append(Target(value=value, unit="%", year=year, text=span))
            continue
        if isinstance(value, int) and 1900 <= value <= 2100:
            continue
        rest = text[num_end:]
        words = []
        if label == "RATE":
            unit_head = rest.split()[0] if rest.split() else ""
            words.append(unit_head)
            limit = 4
        else:
            limit = pats["count_max_unit_words"]
        tail = rest.split()[1:] if label == "RATE" else rest.split()
        for k, w in enumerate(tail[: limit + 1]):
            core = w.strip(",.;:()")
            if not core or not core.isalpha():
                break
            # the head noun's first syllable always counts ("150 sản phẩm"); later words stop
            # at function words and verbs ("20 mô hình | sản xuất")
            if (k > 0 or label == "RATE") and (core.lower() in stops or fold(core.lower()) in stops):
                break
            words.append(core)
            if w != core or len(words) > limit:
                break
        words = words[: limit + (1 if label == "RATE" else 0)]
        if label == "QUANTITY" and (not words or words[0].lower() in ("tháng", "ngày", "năm", "quý")):
            continue
        unit = " ".join(words)
        out.append(Target(value=value, unit=unit, year=year, text=f"{raw} {unit}".strip()))
    return out


def heading_year(node: Node | None) -> int | None:
    while node is not None and node.style != "root":
        if node.para is not None and node.is_heading:
            y = find_year(node.body)
            if y:
                return y
        node = node.parent
    return None


# ----------------------------------------------------------------------------------- tasks
#: a sentence (or a clause after ":") that starts with a capital
_SENTENCE_START = re.compile(r"(?<=[.:])\s+(?=[A-ZĐÀ-Ỹ])")
#: "Thời hạn hoàn thành: …", "thời gian quan trắc từ tháng 3 …": a time label; before a ":" its
#: words name the work's doing (headings.json time_label_words), not a term ("Thời hạn thuê đất: 50 năm")
_TIME_LABEL_WORDS = "|".join(map(re.escape, load_patterns("headings")["time_label_words"]))
_LABEL = re.compile(r"^(?:(?:don vi|co quan|to chuc)\s+)?"
                    rf"(chu tri|thuc hien|phoi hop|thoi (?:gian|han)(?:\s+(?:{_TIME_LABEL_WORDS}))?)\s*:\s*",
                    re.I)
_TIME_CLAUSE = re.compile(rf"(?:^|[;.]\s+|^[-+]\s*)thoi (?:gian|han)(?:(?:\s+(?:{_TIME_LABEL_WORDS}))?\s*:\s*"
                          r"|(?:\s+[a-z]+){0,2}?\s+(?=(?:tu|vao|trong|den|truoc|sau|nam|quy|thang|hang|thuong)\b))")


def leading_agencies(text: str) -> list[str]:
    """Agency names at the start of ``text`` (separated by , ; và), as written."""
    text = text.strip()
    if len(text) > 700:
        # enumerations of agencies are short; the rest of a long sentence is prose
        text = text[:text.rfind(" ", 0, 700)]
    text = re.sub(r"^(?:Đề nghị|Giao|De nghi)\s+", "", text)
    text = re.sub(r"['‘’`|]\s*(?=[A-ZĐÀ-Ỹ])", "", text)  # stray OCR marks before a name
    out = []
    pos = 0
    for s, e in agency_spans(text):
        gap = text[pos:s]
        plural = re.search(r"(?:^|\s)((?:các|những)\s+)$", gap, re.I)
        if plural:
            # "các phòng, ban có liên quan", "các bệnh viện": a plural before a head it is no
            # part of is part of the name
            s, gap = pos + plural.start(1), gap[:plural.start(1)]
        if gap.strip(" ,;") and fold(gap).strip(" ,;").lower() not in ("va", "voi"):
            break
        out.extend(split_agencies(text[s:e]))
        pos = e
    return out


def _agency_heading(body: str) -> list[str]:
    mr = re.match(r"(?:Trách nhiệm của|Nhiệm vụ của)\s+([^:()]{3,80}?)\s*(?:\([^()]*\))?\s*:?$", body.strip())
    if mr and not agency_spans(mr.group(1)):
        return [mr.group(1).strip()]  # "Trách nhiệm của đối tượng thực hiện kiểm kê:" names its actor
    mg = re.match(r"([^()]{3,120}?)\s*\((?:bao )?gồm\s[^()]+\)\s*:?$", body.strip())
    if mg and head_starts(mg.group(1))[1].keys() & {0, 1} and not re.search(r"[.;]", mg.group(1)):
        # "Các cơ quan tham mưu quản lý ngành, lĩnh vực (gồm các Sở: …)": a group named with its members
        return [mg.group(1).strip()]
    t = body.strip().rstrip(":").strip()
    t = re.sub(r"^(?:Trách nhiệm của|Nhiệm vụ của)\s+", "", t)
    t = re.sub(r"\s*\(.*?\)\s*$", "", t)
    t = re.sub(r"^(?:Đề nghị|De nghi)\s+", "", t)
    tokens, starts = head_starts(t)
    if not tokens or 0 not in starts:
        return []
    spans = agency_spans(t)
    if not spans or spans[0][0] != 0:
        return []
    covered = sum(e - s for s, e in spans)
    rest = t[spans[-1][1]:].strip(" ,;")
    if covered < 0.8 * len(t.replace(" ", "")) - 5 or rest[:1].islower() and is_bare_head(t[slice(*spans[-1])]):
        # heading text is not just agency names ("Sở Y tế tổ chức ...", "Quy mô:": a label whose
        # first word reads as a head)
        if rest and not re.fullmatch(r"(?:và|,|;|\s)*", rest):
            return []
    return leading_agencies(t)


def _duty_label(body: str) -> list[str]:
    """"Sở Tư pháp: Phối hợp với …", "Văn phòng UBND tỉnh: Căn cứ …": an item that opens with
    agency names only and a colon states those agencies' duty; they are its lead (the duty may
    open with any verb). A label ("Cơ quan chủ trì:") or a topic ("Kinh phí:") names no agency."""
    m = re.match(r"([^:;.()]{3,120}?)\s*:\s+(?=\S)", body.strip())
    if not m or _LABEL.match(fold(m.group(0)).lower()):
        return []
    return _agency_heading(m.group(1))


def _verb_follows(text: str, name: str, verbs: list[str], skip: str = "") -> bool:
    """``name``, found in ``text``, is followed by one of ``verbs`` (keys, headings.json
    subject_ends or opening_subject_verbs): the subject, then its verb ("Bộ Y tế chỉ đạo …").
    ``skip``: characters passed over before the verb."""
    at = text.find(name)
    if at < 0:
        return False
    rest = key(text[at + len(name):at + len(name) + 60]).strip(skip)
    return opens_with(rest, verbs)


def _opening_subject(body: str) -> list[str]:
    """"Các sở, ban, ngành; UBND các huyện tiếp tục tổ chức …", "Thủ trưởng các sở …; Chủ tịch
    UBND các huyện có trách nhiệm: …": a plan item that opens with capitalised addressees
    followed by their verb (headings.json subject_ends) charges them. An item opening with its
    work ("Tổ chức tập huấn …") has no addressee before a verb and names none."""
    if not body[:1].isupper():
        return []
    names = directive_subject(body, False)
    if not names:
        return []
    last = names[-1]
    at = body.find(last)
    final_verb = any(key(last).endswith(" " + v) for v in load_patterns("headings")["name_final_verbs"])
    members = ":" in last  # "Chủ tịch UBND các tỉnh: Đắk Lắk, Khánh Hòa": a group and its members
    if at < 0 or len(body[:at + len(last)].split()) > 45 or not (
            final_verb or members or any(e == at + len(last) for _, e in agency_spans(body[:at + len(last) + 1]))):
        return []  # the subject ends where a name ends ("Sở X lập thủ tục …" is no longer name;
        # "Cục Quản lý hoạt động xây dựng tổ chức …" ends in a name-final verb directive_subject kept)
    if any(is_bare_head(n) and len(n.split()) == 1 for n in names):
        return []  # "Đoàn kiểm tra liên ngành kiểm tra …": a head alone is no complete name
    speech = load_patterns("headings")["speech_verbs"]
    if any(re.search(r"(?:^| )" + v + r"(?: |$)", key(n)) for n in names for v in speech):
        return []  # "Chủ tịch UBND tỉnh phát biểu chỉ đạo": the body speaks, it is charged nothing
    # a directive verb after it, not any subject end ("Chủ tịch UBND tỉnh phát biểu chỉ đạo")
    after = body[len(last) + 1:] if body.startswith(last + " ") else ""
    if after.startswith("sẽ "):
        # "Sở Tài chính sẽ bố trí kinh phí …": a plan's body and the work it will do, as a letter reads it
        after = after[3:]
        body = f"{last} {after}"
    if len(names) == 1 and after[:1].islower() and is_definite_name(last) \
            and after.split(" ", 1)[0] not in _NAME_GOES_ON + _NO_DIRECTIVE_AFTER \
            and not opens_with(key(after[:40]), load_patterns("headings")["subject_ends"]):
        # "Sở Y tế chăm lo …", "Sở Tài chính lập thủ tục …": a particular body and a verb the lists
        # do not know; the verbs they know keep their say ("Thủ tướng Chính phủ ban hành Quyết
        # định …" is background, "ban hành" no directive verb)
        return names
    return names if _verb_follows(body, last, load_patterns("headings")["opening_subject_verbs"], " ,") else []


def _group_clause_subjects(sentence: str) -> list[str]:
    """"…; các tổ chức thành viên của Mặt trận tăng cường …": a clause after ";" that opens with
    a plural group of bodies ("các", "những") and its directive verb charges that group, as a
    capitalised body opening a sentence does (_opening_subject)."""
    out = []
    for m in re.finditer(r";\s+(?=(?:các|những)\s)", sentence):
        clause = sentence[m.end():]
        names = _opening_subject(clause[:1].upper() + clause[1:])
        out.extend([names[0][:1].lower() + names[0][1:]] + names[1:] if names else [])
    return out


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=\.)\s+(?=[A-ZĐÀ-Ỹ])", text)


def _past_clause_opener(text: str) -> int:
    """Where the main clause starts in ``text`` that opens with an adverbial lead-in
    (headings.json clause_openers) and ends with the clause's subject: after the comma that is
    followed by agency names only, up to the end ("Trên cơ sở đề nghị của Sở X, Sở Y "); 0 when
    ``text`` opens with no lead-in or no such comma is found."""
    t = text.rstrip(" ,")
    if not t.lstrip()[:40].lower().startswith(tuple(load_patterns("headings")["clause_openers"])):
        return 0
    for m in re.finditer(r",\s+(?=[A-ZĐÀ-Ỹ])", t):
        spans = agency_spans(t[m.end():])
        if spans and spans[0][0] == 0 and spans[-1][1] == len(t) - m.end():
            return m.end()
    return 0


def _lead_in_subject(text: str) -> list[str]:
    """The body opening ``text``, or its main clause when it opens with an adverbial lead-in
    naming the circumstance (headings.json clause_openers: "Trên cơ sở đề nghị của Sở X, Sở Y
    thẩm định …" gives Sở Y)."""
    lead_ins = tuple(load_patterns("headings")["clause_openers"])
    t = text.strip()
    if t[:40].lower().startswith(lead_ins) and "," in t:
        # the main clause starts after the comma that is followed by a capitalised body
        for m in re.finditer(r",\s+(?=[A-ZĐÀ-Ỹ])", t[:300]):
            names = _opening_subject(t[m.end():])
            if names:
                return names
    return _opening_subject(t)


def _enumeration_runs_on(head: str, tail: str) -> bool:
    """"... gồm Sở Nội vụ, Sở Tài chính. Sở Tư pháp, Sở ...": a period between two agency names
    of one comma enumeration is a typo for a comma, not a sentence end."""
    if head.rstrip().endswith(("...", "…")) and tail.lstrip()[:1].islower():
        return True  # "“làm ngày, làm đêm”... để hoàn thành": an ellipsis inside the sentence
    before = head.rstrip(" .")
    if "," not in before[-120:]:
        return False
    last = before.rsplit(",", 1)[-1].strip()
    nxt = tail.split(",", 1)
    if len(nxt) < 2 or len(last.split()) > 8 or len(nxt[0].split()) > 8:
        return False
    spans_last = agency_spans(last)
    ok_last = bool(spans_last) and spans_last[-1][1] >= len(last) - 1
    return ok_last and bool(_agency_heading(nxt[0].strip()))


def _label_agencies(value: str) -> list[str]:
    """Agencies of a "Cơ quan chủ trì:" value: names with a known head, else the value itself
    when it is a short capitalised name ("Thư viện tỉnh") and no sentence."""
    names = leading_agencies(value)
    if names:
        return names
    v = strip_end_mark(value).strip(" .,:;")
    words = v.split()
    if v[:1].isupper() and 2 <= len(words) <= 8 and all(is_syllable(w) for w in words) and not is_label(v) \
            and not re.search(r"\b(?:chu tri|phoi hop|thuc hien)\b", fold(v).lower()):
        return [v]
    return []


def _after_phoi_hop(text: str, start: int) -> list[str]:
    rest = text[start:]
    rest = re.sub(r"^\s*(?:chặt chẽ\s+)?(?:với|cùng|chat che voi|voi|cung)?\s*", "", rest)
    # "phối hợp cụ thể với …", "phối hợp thường xuyên, chặt chẽ với …": a few manner words
    # before "với" (lower-case words only: no name is skipped)
    rest = re.sub(r"^(?:[a-zđà-ỹ]+,?\s+){1,4}?với\s+(?=\S)", "", rest)
    return leading_agencies(rest)


_LABEL_INSIDE = re.compile(
    r"(?<=[.;])\s+(?=(?:(?:don vi|co quan)\s+)?"
    rf"(?:chu tri|thuc hien|phoi hop|thoi gian(?:\s+(?:{_TIME_LABEL_WORDS}))?)\s*:)",
    re.I)


def _split_statements(text: str) -> list[str]:
    f = fold(text).lower()
    cuts = [m.end() for m in _LABEL_INSIDE.finditer(f)]
    if not cuts:
        return [text]
    bounds = [0] + cuts + [len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def task_agencies(node: Node, heading_agencies: list[str],
                  paras: list[Para] | None = None) -> tuple[list[str], list[str], str | None]:
    """lead, partners, timeframe from a task's own statements (and its sub-items; ``paras``:
    those of its paragraphs that belong to it, all of them by default)."""
    lead: list[str] = list(heading_agencies)
    partners: list[str] = []
    times: list[str] = []
    pending_lead = False
    statements = []
    for p in node.all_paras() if paras is None else paras:
        body = p.body if p is not node.para else node.body
        # OCR may drop a line's bullet and merge "Cơ quan thực hiện: ..." into the sentence before
        for k, part in enumerate(_split_statements(body)):
            statements.append((part, p.style if k == 0 else None))
    for stmt, style in statements:
        f = fold(stmt).lower()
        if f.startswith("giao ") and stmt is not statements[0][0]:
            # "b) Giao Thanh tra thành phố tổ chức ...": a sub-item assigning the work
            lead.extend(directive_subject(stmt, False) or leading_agencies(stmt[5:]))
        elif f.startswith("chi dao ") and stmt is not statements[0][0]:
            # "b) Chỉ đạo Bảo hiểm xã hội Việt Nam chi trả ...": a named body the lead directs is
            # charged too (its own units, "chỉ đạo các đơn vị trực thuộc", are not named bodies)
            lead.extend(n for n in directive_subject(stmt[8:].lstrip(), False)
                        if n[:1].isupper() and not is_bare_head(n) and not key(n).startswith(("cac ", "nhung ")))
        if pending_lead and style in ("plus", "dot"):
            lead.extend(leading_agencies(stmt))
        elif style not in ("plus", "dot"):
            pending_lead = False
        for mt in _TIME_CLAUSE.finditer(f):
            value = re.split(r";|\.\s", stmt[mt.end():])[0]
            times.append(strip_end_mark(value).rstrip(". "))
        m = _LABEL.match(f)
        if m:
            label = m.group(1)
            value = stmt[m.end():].strip()
            if label.startswith("thoi "):
                continue
            if not value:
                pending_lead = label != "phoi hop"  # "Cơ quan thực hiện:" with the agencies as sub-items
                continue
            current = label
            for part in re.split(r";", value):
                part = part.strip()
                # "Cơ quan chủ trì: X; cơ quan phối hợp: Y" — a second label inside the value
                mi = _LABEL.match(fold(part).lower())
                if mi:
                    current, part = mi.group(1), part[mi.end():].strip()
                if current.startswith("thoi "):
                    continue
                (partners if current == "phoi hop" else lead).extend(_label_agencies(part))
            if label == "phoi hop":
                continue
            # prose inside the value ("Sở Y tế chủ trì, phối hợp với ...")
            stmt = value
            f = fold(stmt).lower()
        for mc in re.finditer(r"chu tri", f):
            seg_start = max(f.rfind(ch, 0, mc.start()) for ch in ".;:")
            seg = stmt[seg_start + 1:mc.start()]
            seg_f = f[seg_start + 1:mc.start()]
            if not seg.strip(" ,-"):
                continue
            past = _past_clause_opener(seg)
            if past:
                # "Trên cơ sở đề nghị của UBND quận, huyện, Sở Xây dựng chủ trì": the body after
                # the adverbial lead-in, not the one it names
                seg, seg_f = seg[past:], seg_f[past:]
            # the agency closest before "chủ trì" in this clause
            names = []
            for s, e in agency_spans(seg):
                if not seg[e:].strip(" ,"):
                    first = re.sub(r"^(?:Đề nghị|Giao)\s+", "", seg[s:e])
                    names = split_agencies(first)
            if not names:
                spans = agency_spans(seg)
                if spans and not seg_f[spans[-1][1]:].strip(" ,"):
                    names = split_agencies(seg[spans[-1][0]:spans[-1][1]])
            if names and re.search(r"\b(?:vai tro|la)\s*$", key(seg[:seg.rfind(names[0])]) + " "):
                names = []  # "phát huy vai trò cơ quan Thường trực chủ trì": a role, not another body
            names = [n for n in names if not (len(n.split()) == 1 and n[:1].isupper() and is_bare_head(n))]
            # "các đề án Bộ chủ trì": a bare head names no body
            lead.extend(names)
        for mp in re.finditer(r"phoi hop", f):
            if f[max(0, mp.start() - 7):mp.start()].strip().endswith(("su", "trong")):
                continue
            partners.extend(_after_phoi_hop(stmt, mp.end()))
    # "Bộ trưởng Bộ Tài chính" and "Bộ Tài chính" (from "... chủ trì"): one addressee
    lead = merge_titled(lead)
    lead_keys = {key(a) for a in lead}
    partners = dedupe([a for a in partners if a and key(a) not in lead_keys])
    times = dedupe(times)
    return lead, partners, ("; ".join(times) if times else None)


def item_path(node: Node) -> str:
    """Roman and arabic numbers of an item joined: "III.2.3"."""
    nums = []
    n = node
    while n is not None and n.style != "root":
        if n.style in ("roman", "part"):
            nums.append(n.num)
        elif n.style.startswith("arabic") or n.style == "paren":
            if not nums or not (nums[-1] + ".").startswith(n.num + ".") or "." not in nums[-1]:
                nums.append(n.num)
        n = n.parent
    return ".".join(reversed(nums))


def _task_paren(n: Node) -> bool:
    """"(1)", "(2)" items that are the tasks of a work heading ("2. Về nhiệm vụ trọng tâm từ nay
    đến tháng 6/2027" > "(1) Tích cực, chủ động ..."), not the contents of one task."""
    parent = n.parent
    if not (n.style == "paren" and parent is not None and parent.style.startswith("arabic")):
        return False
    if parent.is_heading and re.search(r"\b(?:nhiem vu|giai phap)\b", key(parent.body)):
        return True
    # "2. Chủ tịch UBND các tỉnh … trong đó: (1) Tập trung kêu gọi … (2) Chủ động rà soát …": each
    # one opens with a directive verb (headings.json opening_subject_verbs), each a piece of work;
    # "(1) Số hộ dân có nhà bị sập …", "(1) Bộ Tài chính giải quyết …" are the item's contents
    verbs = load_patterns("headings")["opening_subject_verbs"]
    sibs = [c for c in parent.children if c.style == "paren"]
    if any(re.search(r"\bđã\b|\bđược\s+\d", c.body) for c in sibs) or re.search(
            r"\b(?:bao cao|ket qua)\b[^:]*\bnhu sau\s*:?\s*$", key(parent.para.text if parent.para else parent.body)):
        return False  # "2. Sở X báo cáo tình hình như sau: (1) Tổ chức kiểm tra được 120 cơ sở": work done, reported
    return len(sibs) >= 2 and all(any(key(c.body).startswith(v + " ") for v in verbs) for c in sibs)


#: verbs used as nouns in the object of a name's function ("Ban Quản lý dự án đầu tư xây dựng …")
_OBJECT_PHRASE_KEYS = [key(w) for w in load_patterns("agencies")["object_phrases"]]
#: a decision's article ("Điều 2. Quyết định này có hiệu lực …") opening a paragraph
_ARTICLE_OPENING = re.compile(r"Điều\s+\d+\s*[.:]")


def _before_next_article(paras: list, own) -> list:
    """An item's paragraphs up to the decision's next article: "b) Sở Tài chính bố trí kinh phí. |
    Điều 2. Quyết định này có hiệu lực … | Điều 3. …" (the articles after Điều 1's terms hang
    under its last term where nothing closes it)."""
    at = next((k for k, p in enumerate(paras) if k and p is not own and _ARTICLE_OPENING.match(p.text)
               and not _CITES_ON.search(paras[k - 1].text)), None)
    return paras if at is None else paras[:at]


#: a paragraph that runs on into an article it cites, not the decision's next one ("… quy định
#: tại | Điều 4. Quy chế …"): it ends on a citing word
_CITES_ON = re.compile(r"\b(?:tại|theo|của|và|hoặc|khoản\s+\d+|điểm\s+\w)\s*$")


def make_task(node: Node, path: str, directive: bool = False) -> Task:
    """A task from its item node; ``directive``: an item of a directive (Chỉ thị, Công điện,
    Thông báo kết luận, Công văn), whose opening addressee is its lead and whose deadline
    phrase ("trước ngày 31/12/2025") its timeframe."""
    paras = _before_next_article(node.all_paras(), node.para)
    if directive:
        at = next((i for i, p in enumerate(paras) if p is not node.para and p.style is None
                   and _closes_letter(p.text)), None)
        paras = paras if at is None else paras[:at]
    body = node.body
    title = body if node.is_heading else first_sentence(body, _enumeration_runs_on)
    mh = re.match(r"([^:;.]{3,90}:)\s+[\"“(]?[A-ZĐÀ-Ỹi]", body)
    # a topic heading that lists several topics ("Về dự án A - B; dự án C: Tỉnh thực hiện …")
    topics = re.match(r"(Về\s[^:.;]{3,160};[^:.]{3,160}:)\s+[\"“(]?[A-ZĐÀ-Ỹ]", body)
    if directive and not node.is_heading and topics and len(topics.group(1).split()) <= 40:
        title = topics.group(1)
    elif directive and not node.is_heading and mh and 2 <= len(mh.group(1).split()) <= 12 \
            and not _LABEL.match(fold(mh.group(1)).lower()) \
            and not opens_member_list(mh.group(1), body[mh.end(1):]):
        title = mh.group(1)  # "Giảm tối đa số trẻ bị bỏ rơi mới: Đây là ...": a heading run on
    if directive and node.is_heading:
        title = _addressee_heading(title)
    article = is_regulation_article(node) and node.is_heading and not node.children and node.paras
    if article:
        # "Điều 6. Nội dung Công an tỉnh có trách nhiệm chủ trì" over its text, no clauses: the
        # article is one task, its text the work (the heading names who does it)
        title = first_sentence(node.paras[0].body, _enumeration_runs_on)
    title = re.sub(r"\s+[-–]$", "", item_text(title))  # "Các đơn vị có TTHC - | Thực hiện …": the bullet's dash
    text = item_text(" ".join(p.body if p is not node.para else body for p in paras))
    heading_agencies = directive_subject(body, node.is_heading) if directive else []
    if not heading_agencies:
        heading_agencies = _agency_heading(body) if node.is_heading else []
    if not heading_agencies and directive and not node.is_heading and title != body \
            and body.startswith(title) and title.endswith(":"):
        # "Về dự án A; dự án B: Sở X chủ động …": the body that opens the text after the topic
        heading_agencies = directive_subject(body[len(title):].strip(), False)
    if not heading_agencies and not node.is_heading:
        heading_agencies = _duty_label(body)
    if not heading_agencies and re.match(r"(?:Đề nghị|Giao)\s", body):
        heading_agencies = directive_subject(body, False) or leading_agencies(body)
    lead, partners, timeframe = task_agencies(node, heading_agencies, paras)
    if directive and timeframe is None:
        timeframe = deadline_of(text)
    if timeframe is None:
        timeframe = period_of(node.body)
    if directive:
        # "... . Giao Thanh tra thành phố tổ chức ...": an assignment inside the item adds its body
        for sent in _SENTENCE_START.split(text)[1:] if ". Giao " in text else []:
            if re.match(r"Giao\s+[A-ZĐÀ-Ỹ]", sent):
                lead = merge_titled(lead + directive_subject(sent, False))
        if re.match(r"Giao\s+[A-ZĐÀ-Ỹ]", body) and not node.is_heading:
            # "Giao Phó Thủ tướng A chỉ đạo …; Phó Thủ tướng B kịp thời chỉ đạo …": an assignment
            # goes on after ";" to the next addressee with its verb
            lead = merge_titled(lead + _clause_addressees(first_sentence(body)))
    if directive:
        # "Cục X (xin) trân trọng đề nghị Quý Cơ quan giúp: …", "… trân trọng thông tin để Quý Cơ quan
        # chủ động …": the sender asks the addressee it names, who leads (not the sender)
        mq = _POLITE_REQUEST.search(text[:_closing_formula_start(text)])
        asked = agency_spans(text[mq.end():mq.end() + 200]) if mq else ()
        if asked and asked[0][0] == 0:
            speaker = text[:mq.start()].rstrip()
            name = (mq.group(2) or "") + text[mq.end():mq.end() + asked[0][1]]
            lead = merge_titled([a for a in lead if not speaker.endswith(a) and "trân trọng" not in a]
                                + split_agencies(name))
    if directive and not lead:
        # an answer's item in which the sender commits itself ("Theo đó, Cục Thuế sẽ cập nhật …",
        # "Cục Thuế ghi nhận … và sẽ bổ sung …"): the record's own issuer leads its work to come
        issuer = DOCUMENT_ISSUER.get()
        if issuer and re.search(r"(?:^|[.;:]\s+|,\s+)" + re.escape(issuer) + r"\s+(?:[^.;]{0,120}?\s)?sẽ\s+\S", text):
            lead = [issuer]
    if directive and not lead and node.is_heading and node.paras:
        # a topic heading ("3.1. Báo cáo định kỳ hàng tháng:") whose paragraph assigns it
        # ("Yêu cầu UBND các xã, phường, các sở, ban, ngành ... báo cáo ...")
        first = node.paras[0].text
        if re.match(r"(?:Yêu cầu|Đề nghị|Giao)\s+\S", first):
            lead = directive_subject(first, False)
    if directive and not lead:
        # "Căn cứ ... Nghị định số 161/2024/NĐ-CP ...; giao Sở Nông nghiệp ... rà soát ...": the
        # assignment inside the item names its lead
        mg = re.search(r"[;:,]\s+giao\s+(?=[A-ZĐÀ-Ỹ])", text)
        if mg:
            lead = directive_subject("Giao " + text[mg.end():], False)
    if node.is_heading and not heading_agencies:
        # "1.1. Hỗ trợ lương thực" > "a) Ủy ban nhân dân các tỉnh tiếp tục …", "b) Bộ Tài chính …":
        # a topic heading's lettered parts charge their addressees, together
        lead = merge_titled(_part_addressees(node, paras) + lead)
    if not directive and not lead and not node.is_heading:
        lead = _opening_subject(body)
    if not directive and not lead:
        # "2.2. Bước 2: Kiểm tra hiện trạng …" > "Ban Chỉ đạo xã tổ chức kiểm tra …": a step
        # whose paragraphs open with the bodies doing it
        # (in a text folded to one line they are the body's later sentences)
        # every sentence of its paragraphs, as written or folded, not only their openings; a
        # background sentence ("Thủ tướng Chính phủ ban hành Quyết định số …") has none of the
        # directive verbs opening_subject_verbs lists
        openings = [s for p in paras if p is not node.para and p.style is None for s in _sentences(p.body)] \
            + _sentences(body)[1:] \
            + [s for p in paras if p is not node.para and p.style == "letter"
               for k, after in enumerate(re.split(r":\s+(?=[A-ZĐÀ-Ỹ])", p.body))
               for s in _sentences(after)[0 if k else 1:]]
        # (a lettered part's later sentences, and its heading run on into its text: "a) Thành
        # lập Ban Chỉ đạo: Ủy ban nhân dân xã thành lập …"; a folded text gives these shapes to
        # "a) …:" and the paragraphs under it)
        lead = merge_titled([a for o in openings for a in _lead_in_subject(o)]
                            + [a for o in openings for a in _group_clause_subjects(o)])
    if not lead:
        # "Thành lập đoàn kiểm tra … (Giao Công an tỉnh tham mưu).": the body assigned in brackets
        mp = re.search(r"\(\s*[Gg]iao\s+(?=[A-ZĐÀ-Ỹ])([^()]{3,200})\)", text)
        if mp:
            lead = directive_subject("Giao " + mp.group(1), False)
    if not lead:
        # "Điều 5. Nội dung Sở X có trách nhiệm chủ trì" > "1. …": the body a regulation's article names
        owner = next((a for a in [node, *_ancestors(node)] if is_regulation_article(a)), None)
        if owner is not None:
            lead = _article_addressee(owner.body)
    if not lead:
        # "Điều 2. Giao Giám đốc Sở X" > "1. Tổ chức chỉ đạo …": the body the article assigns
        article = next((a for a in _ancestors(node) if a.style == "article"), None)
        if article is not None and re.match(r"Giao\s", article.body):
            lead = directive_subject(article.body, True)
    if directive and not lead and not heading_agencies:
        lead = _main_clause_subject(body)
    if directive and not lead:
        lead = intro_lead(node)
    elif directive and len(lead) == 1 and is_bare_head(lead[0]) and not re.match(r"(?:các|những)\s", lead[0], re.I):
        # "2. Doanh nghiệp thực hiện …" under "Sở X đề nghị các doanh nghiệp có hoạt động … như sau:":
        # a bare singular head names back the addressee of the list's intro that has the same head
        # (a plural "Các văn phòng …" is an addressee group as written)
        named = intro_lead(node)
        head = key(lead[0])
        if named and all(re.sub(r"^(?:cac|nhung) ", "", key(a)).startswith(head + " ") for a in named):
            lead = named
    return Task(path=path, title=title, text=text, lead=lead, partners=partners,
                lead_ids=[normalize_agency(a) for a in lead],
                partner_ids=[normalize_agency(a) for a in partners],
                timeframe=timeframe, provenance=ref_list(paras))


#: a name that ends in a bare place level ("uy ban nhan dan tinh"): the issuer without its place
_PLACE_LEVEL_END = re.compile(r" (?:" + "|".join(sorted(  # (agencies.json complete_name_ends, and "TP")
    {key(w) for w in load_patterns("agencies")["complete_name_ends"]} | {"tp"}, key=len, reverse=True)) + r")$")
#: a sender's polite request naming its addressee ("trân trọng đề nghị Quý Cơ quan …", "trân trọng
#: thông tin để Quý Cơ quan …"; "Quý" the honorific kept in the name)
_POLITE_REQUEST = re.compile(r"(?:xin\s+)?(?:trân trọng|kính)\s+(đề nghị|thông (?:tin|báo)\s+để)\s+(Quý\s+)?"
                             r"(?=[A-ZĐÀ-Ỹ])")
#: a letter's closing sentence after its last item ("Sở X trân trọng đề nghị Quý Cơ quan quan tâm,
#: phối hợp thực hiện./."): a polite request in the item's last sentence, its content only words of
#: courtesy (headings.json closing_request_words)
_LAST_SENTENCE = re.compile(r"(?<=[.;:!?])\s+([A-ZĐÀ-Ỹ][^.;:!?]*\.(?:/\.)?)\s*$")
_CLOSING_WORDS = re.compile(r"(?:[\s,]|" + "|".join(
    map(re.escape, sorted(load_patterns("headings")["closing_request_words"], key=len, reverse=True)))
    + r")*\.(?:/\.)?\s*$")


def _closing_formula_start(text: str) -> int:
    """Where a letter's closing formula run on into its last item starts (the text's length for
    none): a last sentence, not the first, whose polite request asks its addressee only to
    "quan tâm, phối hợp thực hiện" (a request that lists its content ends in ":" or names work)."""
    m = _LAST_SENTENCE.search(text)
    mq = _POLITE_REQUEST.search(m.group(1)) if m else None
    if not mq:
        return len(text)
    rest = m.group(1)[mq.end():]
    asked = agency_spans(rest[:200])
    if asked and asked[0][0] == 0:
        rest = rest[asked[0][1]:]
    return m.start(1) if _CLOSING_WORDS.fullmatch(rest) else len(text)


#: the words of a regulation article's heading around the body it charges ("Nội dung Sở X có
#: trách nhiệm chủ trì", "Trách nhiệm của Sở X", "Đề nghị Ủy ban Mặt trận …")
_ARTICLE_OWNER_BEFORE = re.compile(r"^(?:Nội dung|Nhiệm vụ của|Trách nhiệm của|Đề nghị|Giao)\s+", re.I)
_ARTICLE_OWNER_AFTER = re.compile(r"\s+(?:có trách nhiệm|chịu trách nhiệm|thực hiện|chủ trì|phối hợp)"
                                  r"(?:\s+(?:chủ trì|phối hợp|thực hiện))?\s*:?$")


def _article_addressee(heading: str) -> list[str]:
    """The body a regulation's article heading names as doing its clauses ("Nội dung Công an tỉnh
    có trách nhiệm chủ trì", "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Nội dung các cơ
    quan, đơn vị khác có trách nhiệm chủ trì"); none for a topic ("Nội dung phối hợp chung")."""
    t = _ARTICLE_OWNER_AFTER.sub("", _ARTICLE_OWNER_BEFORE.sub("", heading.strip())).strip(" :")
    return split_agencies(t) if t and only_agencies(t) else []


def _part_addressees(node: Node, paras: list[Para]) -> list[str]:
    """The addressees opening the lettered parts of a topic heading: a part that is only an
    addressee ("a) Ủy ban nhân dân các tỉnh, thành phố" over its bullets, "Đề nghị Trung ương Mặt
    trận …"), or one that opens with its addressee and its verb ("b) Bộ Nội vụ rà soát …"); an
    unmarked line right under the heading that names the addressee of all parts ("Ủy ban nhân dân
    các tỉnh, thành phố:", "Bộ Tài chính chỉ đạo Bảo hiểm xã hội Việt Nam:")."""
    ends = load_patterns("headings")["subject_ends"]
    out: list[str] = []
    subs = [p for p in paras if p is not node.para]
    for k, p in enumerate(subs):
        body = p.body.strip()
        if p.style is None and not (k == 0 and body.endswith(":") and len(body.split()) <= 20):
            continue
        if p.style not in (None, "letter", "dash"):
            continue
        bare = _DIRECTIVE_PREFIX.sub("", _ENCOURAGING.sub("", body)).rstrip(":").strip()
        if bare and bare.split()[0].lower() not in _agency_first_words():
            continue
        if only_agencies(bare):
            out.extend(split_agencies(bare))  # the part is its addressee alone
            continue
        if p.style == "dash":
            continue  # ("- Bộ Công Thương" over its "+" items; a dash item's own sentence is its content)
        names = directive_subject(bare, False)
        if names:
            at = bare.find(names[-1])
            after = key(bare[at + len(names[-1]):at + len(names[-1]) + 40]) if at >= 0 else ""
            if _verb_follows(bare, names[-1], ends):
                out.extend(names)
                directed = bare[at + len(names[-1]):].strip()[len("chỉ đạo"):].strip()
                if after.startswith("chi dao ") and body.endswith(":"):
                    # "Bộ Tài chính chỉ đạo Bảo hiểm xã hội Việt Nam:": the body directed, named, too
                    if directed[:1].isupper():
                        out.extend(split_agencies(directed))
                elif after.startswith("chi dao cac "):
                    # "… chỉ đạo các tổng công ty: Cấp nước …, Thoát nước … bố trí …":
                    # a group directed with its members named
                    colon = directed.find(":")
                    if colon > 0 and opens_member_list(directed[:colon + 1], directed[colon + 1:]):
                        out.extend(n for n in directive_subject(directed, False) if ":" in n)
                # "… . Chỉ đạo Tổng công ty X, Tổng công ty Y hỗ trợ …": a later sentence names
                # bodies the addressee directs
                for sent in re.split(r"(?<=[.;])\s+(?=Chỉ đạo\s)", bare)[1:]:
                    out.extend(n for n in directive_subject(sent[len("Chỉ đạo"):].strip(), False)
                               if n[:1].isupper() and not is_bare_head(n))
    return dedupe(out)


#: an encouraging opening ("Khuyến khích các địa phương …"), headings.json encouraging_openings
_ENCOURAGING = re.compile(r"^(?:%s)\s+" % "|".join(map(re.escape, load_patterns("headings")["encouraging_openings"])))


def _clause_addressees(sentence: str) -> list[str]:
    """Addressees opening the clauses after ";" of an assignment, each followed by its verb."""
    ends = load_patterns("headings")["subject_ends"]
    out: list[str] = []
    for clause in re.split(r";\s+", sentence)[1:]:
        if not clause[:1].isupper() or clause.split(" ", 1)[0].lower() not in _agency_first_words():
            continue
        names = directive_subject(clause, False)
        if names and _verb_follows(clause, names[-1], ends):
            out.extend(names)
    return out


def _main_clause_subject(body: str) -> list[str]:
    """"Đối với 355 nhiệm vụ … (danh mục … của Bộ X gửi kèm), các Bộ, cơ quan ngang Bộ khẩn trương
    rà soát …": after an adverbial lead-in (headings.json item_lead_ins) that names no body outside
    brackets, the addressee opening the main clause (after a comma, followed by its verb)."""
    body = body.strip()
    # the first sentence (a ":" opening a group's members, "yêu cầu các Bộ: X; Y …", ends none)
    first = next((body[:m.start()] for m in _SENTENCE_START.finditer(body)
                  if not opens_member_list(body[:m.start()], body[m.start():])), body)
    if not first[:40].lower().startswith(tuple(load_patterns("headings")["item_lead_ins"])):
        return []
    ends = load_patterns("headings")["subject_ends"]
    for m in re.finditer(r",\s+", first):
        head = re.sub(r"\([^()]*\)", "", first[:m.start()])
        if len(head.split()) > 40:
            break
        if any(head[a:a + 1].isupper() for a, _ in agency_spans(head)):
            break  # the lead-in names a body of its own ("Trên cơ sở đề xuất của Sở X, …")
        names = directive_subject(first[m.end():], False)
        if names:
            at = first.find(names[-1], m.end())
            rest = key(first[at + len(names[-1]):at + len(names[-1]) + 40]) if at >= 0 else ""
            if opens_with(rest, ends):
                return names
    return []


def _closes_letter(text: str) -> bool:
    """An unmarked paragraph that closes the whole letter, not its last item ("Trên đây là ...",
    "Ủy ban nhân dân Thành phố yêu cầu các Sở, ngành ... nghiêm túc thực hiện những nội dung
    trên. Giao ...")."""
    pats = load_patterns("headings")
    k = key(text)
    first = re.split(r"(?<=[.;])\s", k, maxsplit=1)[0]
    return k.startswith(tuple(pats["closing_openings"])) or any(p in first for p in pats["closing_phrases"])


_HEADING_RUN_ON = re.compile(r"(?::|\s+[-–])\s+(?=[A-ZĐÀ-Ỹ])")


def _addressee_heading(title: str) -> str:
    """An addressee heading run on into its first statement (text without line breaks): "Vụ Tổ
    chức cán bộ: Tham mưu Lãnh đạo Bộ: ...", "Thủ trưởng các cơ quan ... thuộc Bộ - Nghiên cứu,
    tham mưu ...": the heading ends at the ":" or " - " after the addressee when what follows
    opens with a directive verb (headings.json subject_ends), not inside a name ("Sở Lao động -
    Thương binh và Xã hội")."""
    ends = load_patterns("headings")["subject_ends"]
    for m in _HEADING_RUN_ON.finditer(title):
        head, rest = title[:m.start()], title[m.end():]
        if len(head.split()) > 30:
            break
        f2 = key(" ".join(rest.split()[:3]))
        if 0 in head_starts(head)[1] and opens_with(f2, ends):
            return head + ":" if title[m.start()] == ":" else head
    return title


def sentence_subjects(text: str) -> list[str]:
    """Addressees that open a sentence of ``text`` and are followed by their verb ("Bộ Nông
    nghiệp và Môi trường chủ động phối hợp ...", "Giao Thanh tra thành phố tổ chức ...")."""
    ends = load_patterns("headings")["subject_ends"]
    out: list[str] = []
    openers = _agency_first_words()
    localities = load_patterns("headings")["locality_subjects"]
    for sent in _clauses(text):
        loc = next((w for w in localities if sent.startswith(w + " ")), None)
        if loc:
            rest = key(sent[len(loc):len(loc) + 40])
            if opens_with(rest, ends):
                out.append(loc)  # "Tỉnh cần tập trung …": the province the conclusion speaks to
            continue
        bare = _DIRECTIVE_PREFIX.sub("", sent.strip())
        assigned = bare != sent.strip()  # "giao các Tập đoàn: …": a body in lower case is charged too
        sent = bare
        if sent.split(" ", 1)[0].lower() not in openers:
            continue  # (cheap test before the matcher: no agency opens this sentence)
        names = directive_subject(sent, False)
        if not names or not (sent[:1].isupper() or assigned):
            continue
        last = names[-1]
        at = sent.find(last)
        if at < 0 or len(sent[:at + len(last)].split()) > (20 if ":" in sent[:at + len(last)] else 12):
            continue
        if _verb_follows(sent, last, ends):
            out.extend(names)
    return out


_CLAUSE_START = re.compile(r"(?<=[.:;])\s+(?=\S)")
_SHARED_HEAD_END = re.compile(r"(?:^|\s)[Cc]ác\s+\S+(?:\s+\S+)?:$")


def _clauses(text: str) -> list[str]:
    """The sentences of ``text`` after its first, and the clauses after ":" / ";" in them
    ("Về …: giao Tập đoàn X làm việc …", "…; Bộ Y hướng dẫn …"); a clause that opens with an
    adverbial lead-in naming no body (headings.json clause_openers: "Với vai trò là chủ đầu tư,
    …", "Để xác định …,") is read from its main clause on."""
    lead_ins = tuple(load_patterns("headings")["clause_openers"])
    parts, at = [], 0
    for m in _CLAUSE_START.finditer(text):
        ch = text[m.start() - 1]
        if ch == "." and not text[m.end()].isupper() or _SHARED_HEAD_END.search(text[max(0, m.start() - 60):m.start()]):
            continue  # "các Tập đoàn: A, B …" lists its members
        parts.append(text[at:m.start()])
        at = m.end()
    parts.append(text[at:])
    out: list[str] = []
    for clause in parts[1:]:  # the item's own opening: its addressee is read elsewhere
        c = clause.strip()
        if c[:40].lower().startswith(lead_ins) and "," in c:
            head, main = c.split(",", 1)
            if not any(head[a:a + 1].isupper() for a, _ in agency_spans(head)) and len(head.split()) <= 20:
                c = main.strip()  # ("là chủ đầu tư" names a role, not a body)
        out.append(c)
    return out


@lru_cache(maxsize=1)
def _agency_first_words() -> frozenset[str]:
    """Lower-cased first words of the agency heads and gazetteer names (and "các", "những")."""
    gz = load_patterns("gazetteer")
    names = load_patterns("agencies")["heads"] + gz["names"] + gz["categories"] + \
        load_patterns("agencies").get("capitalised_heads", [])
    words = {n.split()[0].lower() for n in names if n.split()} | {"các", "những"}
    return frozenset(words | {w.replace("ủy", "uỷ") for w in words})


def add_sentence_leads(tasks: list[Task], kind: str | None) -> None:
    """In a conclusion (headings.json conclusion_kinds) an item charges the bodies its sentences
    open with ("Về ...: Bộ Nội vụ nghiên cứu ...") besides its own addressee: add them to lead."""
    if kind not in load_patterns("headings")["conclusion_kinds"]:
        return
    for t in tasks:
        t.lead = merge_titled(t.lead + sentence_subjects(t.text))
        t.lead_ids = [normalize_agency(a) for a in t.lead]


def merge_titled(lead: list[str]) -> list[str]:
    """"Bộ trưởng Bộ Tài chính" and "Bộ Tài chính": one addressee (the longer form)."""
    lead = dedupe([a for a in lead if a])
    return [a for a in lead if not any(b != a and len(key(b)) > len(key(a)) and key(b).endswith(" " + key(a))
                                       for b in lead)]


#: agencies.json function_verbs ("quản lý"), as keys
_FUNCTION_VERB_KEYS = [key(v) for v in load_patterns("agencies")["function_verbs"]]
#: lower-case words after a particular body that go on its subject, not its predicate ("và" another
#: body; "Mặt trận Tổ quốc Việt Nam tại địa phương": its place)
_NAME_GOES_ON = tuple(load_patterns("headings")["name_goes_on_words"])
#: words after a body that report what was or is being done, not what it is charged with
_NO_DIRECTIVE_AFTER = tuple(load_patterns("headings")["no_directive_after"])
_DIRECTIVE_PREFIX = re.compile(r"^(?:Đề nghị|Giao|Yêu cầu|De nghi|Giao cho|Trách nhiệm của|Đối với)\s+", re.I)


def _qualifier_at(words: list[str], i: int) -> int:
    """How many words of a body's function ("tham mưu", "quản lý") start at ``words[i]`` (0: none)."""
    quals = load_patterns("headings")["body_qualifiers"]
    return 2 if i + 1 < len(words) and key(" ".join(words[i:i + 2])) in quals else 0


def _qualifier_list_at(words: list[str], i: int) -> bool:
    """``words[i]`` starts a list of functions after a body noun ("các cơ quan tham mưu, quản lý
    nhà nước"): a qualifier directly after "cơ quan" / "đơn vị" / "tổ chức", followed by a comma
    or by another qualifier. A single one ("các đơn vị tham mưu UBND tỉnh") stays a verb."""
    if i < 2 or key(" ".join(words[i - 2:i])) not in load_patterns("headings")["body_nouns"]:
        return False
    n = _qualifier_at(words, i)
    return bool(n) and (words[i + n - 1].endswith(",") or bool(_qualifier_at(words, i + n)))


def directive_subject(body: str, is_heading: bool) -> list[str]:
    """The addressee a directive item opens with: "Bộ Xây dựng chỉ đạo ..." -> Bộ Xây dựng,
    "Các đơn vị cấp nước ... có trách nhiệm" -> that body, "Chủ tịch Ủy ban nhân dân các tỉnh
    ... :" (a heading) -> the heading. The addressee starts with an agency head and ends at
    the first verb of ``subject_ends`` (headings.json), or is the whole heading."""
    t = _DIRECTIVE_PREFIX.sub("", body.strip())
    if not t:
        return []
    mw = re.match(r"(?:Đối với|Trách nhiệm của)\s+([^:]{3,200}?)\s*(?:\([^()]*\))?\s*:", body.strip())
    if mw and len(mw.group(1).split()) <= 30 and 0 in head_starts(mw.group(1))[1]:
        return [mw.group(1).strip()]  # "Đối với các đơn vị thực hiện dịch vụ, thu gom ... (…):" names one addressee
    tokens, starts = head_starts(t)
    if 0 not in starts and not (1 in starts and key(tokens[0][0]) in ("cac", "nhung")):
        return []  # "Các bệnh viện ..." opens with a head after "Các"
    first = 0 if 0 in starts else 1
    head_words = len(t[:tokens[first + starts[first] - 1][2]].split())
    ends = load_patterns("headings")["subject_ends"]
    words = t.split()
    cut = None
    # an addressee heading ending in ":" may list many bodies ("Bộ trưởng các Bộ: …; Bí thư …
    # và Chủ tịch … theo chức năng, nhiệm vụ:")
    limit = 64 if is_heading and t.rstrip().endswith(":") else 40
    colon = t.find(":", 0, 60)
    if colon > 0 and opens_member_list(t[:colon + 1], t[colon + 1:colon + 60]):
        limit = 64  # "Bộ trưởng các Bộ: Quốc phòng, …, Y tế; Chủ tịch …": groups with their members
    # where the opening name ends when a function word after it is its verb (agency_spans)
    offsets = [m.start() for m in re.finditer(r"\S+", t)]
    # (the names within the words the subject may run to: the rest of a long item is no subject)
    opening = agency_spans(t[:offsets[limit + 2]] if len(offsets) > limit + 2 else t)
    opening_end = opening[0][1] if opening and opening[0][0] <= tokens[first][1] else -1
    # a particular body ("Sở Y tế") ends at the first lower-case word that goes on no name
    definite = opening_end >= 0 and is_definite_name(t[opening[0][0]:opening_end])
    for i in range(max(1, head_words), min(len(words), limit)):
        w = words[i]
        prev = words[i - 1]
        f2 = key(" ".join(words[i:i + 3]))
        if w[:1].islower() and 0 <= opening_end <= offsets[i] and not t[opening_end:offsets[i]].strip() \
                and (opens_with(f2, _FUNCTION_VERB_KEYS) or definite and w.lower() not in _NAME_GOES_ON):
            # "Công an tỉnh | quản lý chặt chẽ …": a body's function word after its complete name;
            # "Sở Y tế | chăm lo …": any verb after a particular body
            cut = i
            break
        if w.lower() in ("trước", "trong", "chậm", "vào", "đến") and _DEADLINE.match(" ".join(words[i:i + 12])):
            cut = i  # "Giao Phó Thủ tướng A trước ngày 15 tháng 11 năm 2025 trực tiếp …": a deadline
            break
        if f2.startswith("trong do ") and prev.endswith(","):
            cut = i  # "Chủ tịch ... đến Lâm Đồng, trong đó trọng tâm là ..."
            break
        if prev.endswith(":") and i > 1 \
                and not opens_member_list(" ".join(words[max(0, i - 8):i]), " ".join(words[i:i + 6])):
            cut = i  # "Giao Sở Xây dựng: (i) Chỉ đạo ..."
            break
        if f2.startswith("nhat la ") and prev.endswith(","):
            cut = i  # "Cấp uỷ, chính quyền địa phương các cấp, nhất là thành phố Hà Nội ..."
            break
        if w in ("-", "–") and i + 1 < len(words) and words[i + 1][:1].isupper() and opens_with(
                key(" ".join(words[i + 1:i + 4])), [e for e in ends if " " in e]):
            cut = i  # "Thủ trưởng các cơ quan … thuộc Bộ - Nghiên cứu, tham mưu …": a bullet after the heading
            break
        if _qualifier_list_at(words, i):
            continue  # "Thủ trưởng các cơ quan tham mưu, quản lý nhà nước": the kind of body, no verb
        if unpaired_inner_word(w, prev) and prev[:1].islower() and only_agencies(" ".join(words[:i])):
            cut = i  # "Cục Hải quan tỉnh | gia tăng …", "UBND các xã | quyền hạn được giao …" ("Cục
            break    # Bản quyền tác giả": a capitalised word's second syllable)
        if prev.endswith(",") and w[:1].islower() and opens_with(
                f2, load_patterns("headings")["predicate_adverbs"]):
            cut = i  # "Cục Thuế các tỉnh nơi có …, khẩn trương triển khai": an adverb opens the predicate
            break
        if not w[:1].islower() or prev.endswith((",", ";")) or key(prev) in ("va", "cac") \
                or (prev[:1].isupper() and key(prev) in ("ban", "to", "hoi")) \
                or (i >= 2 and words[i - 2] in ("Hội", "Ủy", "Uỷ", "Tổ")):
            continue  # an enumeration goes on ("..., tổ chức, cá nhân"); "Ban chỉ đạo" is a name
        if any((f2 == e or f2.startswith(e + " ")) and (" " in e or _end_as_written(w)) for e in ends):
            if offsets[i] < opening_end and any(pk in key(" ".join(words[max(0, i - 3):i + 4]))
                                                for pk in _OBJECT_PHRASE_KEYS):
                continue  # "Ban Quản lý dự án | đầu tư xây dựng | tỉnh": a verb as the name's noun
            if _name_final_at(words, i):
                continue
            cut = i
            break
    if cut is not None:
        subject = " ".join(words[:cut])
    elif t.rstrip().endswith(":") or (is_heading and len(words) <= 16) or (
            is_heading and len(words) <= 40 and not re.search(r"[.!?]\s", t)):
        # "Tiểu ban giúp việc Ban Chỉ đạo 934" heading its own items, or a heading that is a list
        # of addressees and no sentence ("Giao người đứng đầu …; Chủ tịch …"): all of it
        subject = t
    else:
        spans = agency_spans(t)
        subject = t[:spans[0][1]] if spans and spans[0][0] <= tokens[first][1] else ""
    subject = subject.strip().rstrip(":").strip(" ,;")
    named = re.match(r"(.+?)\s*\([^()]*\)$", subject)
    if named and 0 in head_starts(named.group(1))[1]:
        # "Sở Nông nghiệp ... (Cơ quan Thường trực về Phòng, chống thiên tai)": the body's role in
        # brackets is no part of its name ("Nhà đầu tư (Tập đoàn Đèo Cả)" names the body: kept)
        subject = named.group(1)
    role = re.search(r"\s[-–]\s", subject)
    if role and key(subject[role.end():]).startswith(tuple(load_patterns("segment")["apposition_roles"])):
        subject = subject[:role.start()]  # "Bộ Tài chính - Cơ quan Thường trực Ban Chỉ đạo 751": its role
    if not subject or len(subject.split()) > limit:
        return []
    return split_agencies(subject)


def _name_final_at(words: list[str], i: int) -> bool:
    """"Cục Kết cấu hạ tầng xây dựng tham mưu …": a verb that also ends agency names
    (headings.json name_final_verbs) directly followed by another subject end is part of the
    name; the second verb ends the subject."""
    for v in load_patterns("headings")["name_final_verbs"]:
        n = len(v.split())
        if key(" ".join(words[i:i + n])) == v and i + n < len(words) and words[i + n][:1].islower() \
                and words[i + n - 1][-1:].isalpha():  # "xây dựng, ban hành …": two verbs
            # only a directive verb after it ("xây dựng tham mưu"); a noun ("xây dựng báo cáo",
            # "xây dựng hướng dẫn") makes it the predicate of a complete name ("Sở Y tế")
            after = key(" ".join(words[i + n:i + n + 4]))
            return not _complete_name(words[:i]) and opens_with(
                after, load_patterns("headings")["name_final_next_verbs"])
    return False


def _complete_name(words: list[str]) -> bool:
    """"Sở Tài chính", "Ủy ban nhân dân các xã": the words before a name-final verb already make
    a whole known name (the gazetteer) or end a group (headings.json name_complete_ends), so
    the verb is the predicate; "Cục Quản lý hoạt động", "Cục Kinh tế" are no known name."""
    text = " ".join(words)
    n = len(tokenize(text))
    if any(s + k == n for s, k in gazetteer_spans(text).items()):
        return True
    tail = key(" ".join(words[-2:]))
    return any(tail == e or tail.endswith(" " + e) for e in load_patterns("headings")["name_complete_ends"])


def _end_as_written(word: str) -> bool:
    """A one-syllable subject end ("cần", "phải") ends the subject only as written: its key
    also spells other words ("cán bộ" is not "cần")."""
    forms = load_patterns("headings")["subject_end_words"]
    k = key(word)
    return k not in {key(f) for f in forms} or word.lower() in forms or word.lower() == k


_DEADLINE = re.compile(r"\b((?:chậm nhất )?"
                       r"(?:(?:trước|trong) (?:ngày|tháng|năm|quý)|vào ngày|đến hết (?:ngày|tháng|năm|quý)"
                       r"|(?<=chậm nhất )ngày"  # "chậm nhất ngày 25/12/2025" (no "trước")
                       r"|hạn (?:cuối|chót)(?: là)? (?:vào )?ngày) "  # "…, hạn cuối ngày 15 tháng 12 hàng năm"
                       r"(?:[^;,.()]{0,40}?(?:\d{4}|hàng năm|hằng năm)|\d{4}"
                       r"|\d{1,2} tháng \d{1,2}(?! năm)))")  # a yearly date: "trước ngày 20 tháng 6"
#: time words that open a period written in parentheses at an item's end (keys)
_PERIOD_OPENINGS = tuple(w + " " for w in load_patterns("headings")["period_openings"])
_PERIOD_END = re.compile(r"\(((?:[^()]{0,20}\s)?(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?(?:\s+trở đi)?)\)\s*[.;]?\s*$")


_DEADLINE_HOUR = re.compile(r"\b(trước \d{1,2} giờ(?: \d{1,2}(?: phút)?)?,? ngày \d{1,2}(?:/\d{1,2}/\d{4}|"
                            r" tháng \d{1,2} năm \d{4}))")
_DEADLINE_BARE = re.compile(r"\b(?:hoàn thành|xong|báo cáo|gửi)\b[^.;:()]{0,80}?\s(trước \d{1,2}/\d{1,2}/\d{4})")
#: "… tháo gỡ khó khăn xong cuối tháng 12 năm 2025": a part of a month, quarter or year right
#: after a completing verb
_DEADLINE_PART = re.compile(r"\b(?i:hoàn thành|xong)\s+((?:vào\s+)?(?:cuối|đầu|giữa)\s+(?:tháng\s+\d{1,2}(?:\s+năm|/)"
                            r"|quý\s+[IV]{1,3}(?:\s+năm|/)|năm)\s*\d{4})")


def deadline_of(text: str) -> str | None:
    """Deadline phrases of a directive item ("trước ngày 31/12/2025", "(hoàn thành) trong tháng
    11 năm 2025", "chậm nhất trước ngày ...", "trước 17 giờ ngày 27/11/2025", and a date without
    "ngày" after a completing verb, "hoàn thành trước 30/11/2025", a part of a month or year
    after one, "xong cuối tháng 12 năm 2025"), joined with "; " in order."""
    hits = [(m.start(1), m.group(1).strip()) for rx in (_DEADLINE, _DEADLINE_HOUR, _DEADLINE_BARE, _DEADLINE_PART)
            for m in rx.finditer(text)]
    spans = sorted(hits)
    found = dedupe([v for i, (pos, v) in enumerate(spans)
                    if not any(p2 < pos < p2 + len(v2) for p2, v2 in spans[:i])])
    return "; ".join(found) if found else None


_PAREN_END = re.compile(r"\(([^()]{4,80})\)\s*[.;]?\s*$")


def period_of(text: str) -> str | None:
    """A roadmap item's period in parentheses at its end ("... (2025 - 2026).", "... (Quý
    IV/2025 và thường xuyên).", "... (năm 2025 và kiện toàn hằng năm)."): a year with a few words
    before it, or a short phrase that opens with a time word (``headings.json``
    ``period_openings``) and names a year that is no document number's."""
    m = _PERIOD_END.search(text)
    if m:
        return m.group(1).strip()
    m = _PAREN_END.search(text)
    if m is None:
        return None
    value = " ".join(m.group(1).split())
    k = key(value)
    if k.startswith(_PERIOD_OPENINGS) and re.search(r"(?<!\d)(?:19|20)\d\d(?![\d/])", value) \
            and not re.search(r"\bso\b|\d/(?:19|20)\d\d/", k):
        return value
    return None


def directive_leaves(root: Node) -> list[Node]:
    """The items of a directive: arabic leaves everywhere outside purposes / requirements /
    objectives / implementation sections (and outside labelled non-task items)."""
    skip = ("purposes", "requirements", "purposes_requirements", "objectives", "implementation")
    assessing = tuple(load_patterns("headings")["assessment_labels"])
    out = []
    for top in root.children:
        if top.role in skip:
            continue
        for n in [top] + list(top.descendants()):
            if not (n.style.startswith("arabic") or _task_paren(n)) or _label_excluded(n.body):
                continue
            if any(d.style.startswith("arabic") or _task_paren(d) for d in n.descendants()):
                continue
            if n.excluded or any(a.excluded for a in _ancestors(n)):
                continue
            if key(n.body).startswith(assessing) or _agrees(n.body):
                continue  # "1. Về đánh giá tình hình ..." assesses, "1. ... cơ bản nhất trí với Tờ trình" agrees
            if any(key(a.body).startswith(assessing) for a in _ancestors(n) if a.para is not None) \
                    and not _work_intro(n):
                continue  # items of "I. ĐÁNH GIÁ CHUNG" assess, unless introduced as work
            out.append(n)
    return out


def _agrees(body: str) -> bool:
    """The item's first sentence agrees with a report within its first words ("Bộ Chính trị,
    Ban Bí thư cơ bản nhất trí với Tờ trình ..."), or the item approves a proposal and assigns
    nothing ("Chấp thuận đề nghị của Sở X tại Công văn số ...")."""
    opening = " ".join(key(re.split(r"(?<=[.:;])\s", body, maxsplit=1)[0]).split()[:12])
    pats = load_patterns("headings")
    if any(p in opening for p in pats["agreement_phrases"]):
        return True
    lower = " ".join(body.lower().split())
    approves = next((p for p in pats["approval_openings"] if lower.startswith(p + " ")), None)
    return approves is not None and not _assigns(body, len(approves))


_ASSIGNING_VERB = re.compile(r"(?<![\w])(?<!bàn )(?:giao|đề nghị|yêu cầu)\s+(?:cho\s+)?", re.I)


def _assigns(body: str, skip: int) -> bool:
    """Somewhere in ``body`` (past its first ``skip`` characters, the approving words) a clause
    assigns work: "…, giao Sở X chủ trì …" (an assigning verb, then a body), "…; Sở X hướng dẫn
    …" (a clause that opens with a body and its verb). "bàn giao", "giao đất", "đề nghị của Sở X"
    assign nothing."""
    for m in _ASSIGNING_VERB.finditer(body, skip):
        if m.start() == skip + 1:
            continue  # "Chấp thuận đề nghị Sở X …": the proposal approved
        if 0 in head_starts(body[m.end():m.end() + 60])[1]:
            return True
    return any(directive_subject(c, False) for c in re.split(r"(?<=[.;,])\s+", body)[1:])


def _work_intro(node: Node) -> bool:
    """The list ``node`` belongs to is introduced as work ("... cần tập trung thực hiện tốt một
    số nhiệm vụ sau:")."""
    parent = node.parent
    if parent is None or not parent.paras:
        return False
    intro = parent.paras[-1].text.rstrip()
    return intro.endswith(":") and bool(re.search(r"nhiem vu|giai phap|yeu cau|can tap trung", key(intro)))


def intro_lead(node: Node) -> list[str]:
    """The addressee named by the paragraph that introduces a list ("..., thành phố Đà Nẵng cần
    tập trung thực hiện tốt một số nhiệm vụ sau:", "yêu cầu cấp uỷ, ... tập trung thực hiện ...
    sau:"), for its items that name no actor of their own."""
    parent = node.parent
    while parent is not None:
        siblings = parent.children
        first = next((c for c in siblings if c.style == node.style), None)
        intro = None
        if parent.paras and (first is None or not parent.children or parent.paras):
            intro = parent.paras[-1].text
        if intro and intro.rstrip().endswith(":"):
            return _intro_subject(intro)
        if parent.para is not None and parent.body.rstrip().endswith(":") and not parent.paras:
            # "1. Sở Y tế:" heads its own items; a heading run on to its intro (text without line
            # breaks: "I. ĐÁNH GIÁ CHUNG ... thành phố Đà Nẵng cần thực hiện ... sau đây:") names them
            found = _intro_subject(parent.body)
            if found or parent.style in ("roman", "part"):
                return found
            # a topic heading ("1. Yêu cầu chung:") names nobody: the intro above it may
        node, parent = parent, parent.parent
    return []


def _intro_subject(text: str) -> list[str]:
    t = text.rstrip().rstrip(":").strip()
    t = re.split(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ])", t)[-1]  # the sentence that introduces the list
    ends = load_patterns("headings")["subject_ends"]
    m = None
    for m in re.finditer(r"^(?:Yêu cầu|Đề nghị|Giao)\s+|\b(?:yêu cầu|đề nghị|giao)\s+", t):  # noqa: B007
        pass  # the last one; capitalised only where it opens the sentence ("Đề nghị Thường trực
        # Tỉnh ủy ... sau:"), not inside a name ("Sở Giao thông vận tải")
    if m is not None:
        words = t[m.end():].split()
        for i in range(1, min(len(words), 30)):
            f2 = key(" ".join(words[i:i + 3]))
            adverb = opens_with(f2, load_patterns("headings")["predicate_adverbs"])
            if words[i][:1].islower() and (adverb or not words[i - 1].endswith(",") and opens_with(f2, ends)):
                subject = " ".join(words[:i]).strip(" ,;")
                return split_agencies(subject) if subject and len(subject.split()) <= 24 else []
        rest = t[m.end():].strip(" ,;")
        if text.rstrip().endswith(":") and len(rest.split()) <= 24 and 0 in head_starts(rest)[1]:
            # "…, Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, thành phố:": the
            # addressees end the intro, each item opens with their verb
            return split_agencies(rest)
        return []
    if re.search(r",\s+trong đó,?\s+cần\s.*\bsau\b", t):
        # "..., Văn phòng Trung ương Đảng và các văn phòng tỉnh uỷ, thành uỷ cụ thể hoá để tổ chức
        # thực hiện, trong đó, cần tập trung một số nhiệm vụ trọng tâm sau": the body that opens
        # the clause (after a comma, followed by its verb) is the addressee
        clause = t[:t.rfind("trong đó")]
        spans = [(a, b) for a, b in agency_spans(clause)
                 if re.search(r"(?:^|[,;]\s*)$", clause[:a]) and re.match(r"\s+[a-zđà-ỹ]", clause[b:])]
        if spans:
            a, b = spans[-1]
            # "X và các văn phòng tỉnh uỷ, thành uỷ": a plural group keeps its members
            return [p.strip(" ,") for p in re.split(r"\s+và\s+(?=các\s)", clause[a:b]) if p.strip(" ,")]
    mc = re.search(r"(?:^|[,;]\s*)([^,;]{3,80}?)\s+(?:cần|phải)\s.*\bsau\b", t)
    if mc:
        subject = re.sub(r"^(?:để|nhằm)\b.*$", "", mc.group(1).strip(), flags=re.I).strip()
        # an addressee: an agency, or a province / city named as the actor
        if subject and len(subject.split()) <= 10 and (
                0 in head_starts(subject)[1] or re.match(r"(?:thành phố|tỉnh|Thành phố|Tỉnh)\b", subject)):
            return [subject]
    # "Bộ trưởng Bộ X tập trung chỉ đạo các đơn vị thực hiện một số nhiệm vụ sau:": the body
    # opening the intro, followed by its directive verb
    directed = _directed_body(t)
    if directed:
        return directed  # "Chủ tịch UBND tỉnh chỉ đạo Sở Y tế thực hiện …:": the body directed leads
    names = _opening_subject(t)
    # ("Ủy ban nhân dân các xã, phường chỉ đạo như sau:": a group speaking is no director above the items)
    group = any(re.search(r"(?:^|\s)(?:các|những)\s", n, re.I) for n in names)
    if names and not group and re.search(r"\bchỉ đạo\s*(?:như sau|sau đây)?$", t):
        return []  # "Ủy ban nhân dân tỉnh chỉ đạo như sau:": the speaker directs, the items charge others
    if len(names) == 1 and _issuer_self(names[0]):
        return []  # "Ủy ban nhân dân tỉnh chỉ đạo các sở … thực hiện … sau:": the issuer speaking
    return names


def _directed_body(t: str) -> list[str]:
    """The named body right after "chỉ đạo" in a list's intro ("… chỉ đạo Sở Y tế thực hiện các
    nội dung sau", "… chỉ đạo Sở Y tế"), which the items charge; a group in lower case ("chỉ đạo
    các sở, ngành thực hiện …") is none: the speaker's own intro (read by the caller)."""
    m = re.search(r"\bchỉ đạo\s+(?=[A-ZĐÀ-Ỹ])", t)
    if m is None:
        return []
    # "chỉ đạo" as the main verb only: a named body (the subject) ends right before it, perhaps
    # with an adverb between; the noun ("Thực hiện ý kiến chỉ đạo Chủ tịch UBND tỉnh tại …",
    # "theo chỉ đạo của …") names the authority above, never the body the items charge
    before = re.sub(r"(?:\s+(?:tập trung|trực tiếp|thường xuyên|quyết liệt|đã|sẽ))+$", "", t[:m.start()].rstrip())
    if re.search(r"(?:ý kiến|thực hiện|theo|của)$", before, re.I):
        return []
    if not any(b == len(before) for _, b in agency_spans(before)):
        return []
    obj = t[m.end():]
    spans = agency_spans(obj)
    if not spans or spans[0][0] != 0:
        return []
    end = spans[0][1]
    for a, b in spans[1:]:
        if not re.fullmatch(r"[\s,;]*(?:và\s+)?", obj[end:a]):
            break
        end = b
    # the object is followed by its own verb ("… chỉ đạo Sở Y tế thực hiện …") or ends the intro;
    # anything else ("… tại Công điện số …", "Ban Quản lý | dự án …") means the name was not read whole
    rest = key(obj[end:]).strip(" ,:;.")
    verbs = load_patterns("headings")
    if rest and not opens_with(rest, verbs["opening_subject_verbs"] + verbs["subject_ends"]):
        return []
    return split_agencies(obj[:end])


#: the issuer of the document being read (set by extract_record from its header; None when the
#: header names none), so that an intro's body can be compared with the document's own issuer
DOCUMENT_ISSUER: ContextVar[str | None] = ContextVar("document_issuer", default=None)


def _issuer_self(name: str) -> bool:
    """The issuer of a directive speaking of itself in a list's intro ("Ủy ban nhân dân tỉnh chỉ
    đạo như sau:"): ``name`` is the record's own issuer (DOCUMENT_ISSUER), as written or without
    its place ("UBND tỉnh" in a letter of the "Ủy ban nhân dân tỉnh An Bình"; "Chủ tịch" before
    either is the same speaker). Any other body, a bare lower committee included, is an
    addressee the items charge. With no issuer known: by the name's shape, the province's
    committee (or its chairman) or a BARE committee of a lower level; a lower-level committee
    named by its place ("Ủy ban nhân dân xã Phú Mỹ") or a group ("Ủy ban nhân dân các xã") is
    an addressee."""
    low = name.lower().strip()
    if re.search(r"\b(?:các|những)\b", low):
        return False
    issuer = DOCUMENT_ISSUER.get()
    if issuer:
        own = re.sub(r"^chu tich ", "", normalize_agency(issuer))
        said = re.sub(r"^chu tich ", "", normalize_agency(name))
        return bool(said) and (own == said or own.startswith(said + " ") and _PLACE_LEVEL_END.search(said) is not None)
    committee = r"(?:chủ tịch\s+)?(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+"
    if re.match(committee + r"(?:tỉnh|thành phố|tp)\b", low):
        return True
    return bool(re.fullmatch(committee + r"(?:huyện|quận|thị xã|thị trấn|xã|phường|đặc khu)", low))


def task_leaves(section: Node) -> list[Node]:
    """Arabic-numbered items with no arabic-numbered item below them."""
    out = []
    for n in section.descendants():
        if n.excluded or not n.style.startswith("arabic") or _label_excluded(n.body) or n.role != "tasks":
            continue
        if any(d.style.startswith("arabic") for d in n.descendants()):
            continue
        if any(a.excluded for a in _ancestors(n)):
            continue
        if _conditions(n):
            continue
        out.append(n)
    return out


_CONDITION_OPENINGS = tuple(w + " " for w in load_patterns("headings")["condition_openings"])


def _conditions(n: Node) -> bool:
    """"1. Xác định đối tượng được hỗ trợ" > "1.1. Là người có tên trong danh sách …" / "1.2.
    Đang sinh sống …": items that all open with a copula or a state (headings.json
    condition_openings) state who qualifies, no work; none of them is a task."""
    sibs = [c for c in n.parent.children if c.style == n.style] if n.parent is not None else [n]
    return all(c.body.lower().startswith(_CONDITION_OPENINGS) for c in sibs)  # (as written: "đăng ký" is no "đang")


_ROLE_ITEM = re.compile(r"^(?:[a-zđ]\)\s*)?(?:(?:co quan|don vi)\s+)?(chu tri|phoi hop|thuc hien)"
                        r"(?:\s*,\s*(?:phoi hop|thuc hien)|\s+thuc hien)?\s*(?::\s*|$)")


def _role_item_agencies(node: Node) -> tuple[list[str], list[str]] | None:
    """lead and partners of a sibling item that only names who does its section's work ("2. Cơ
    quan chủ trì, phối hợp" > "a) Cơ quan chủ trì" > "- Sở X." …, "2. Chủ trì thực hiện: Sở X");
    None for any other item."""
    m = _ROLE_ITEM.match(fold(node.body).lower())
    if not m:
        return None
    lead: list[str] = []
    partners: list[str] = []
    mode = "phoi hop" if m.group(1) == "phoi hop" else "chu tri"
    for p in node.all_paras():
        text = p.body if p is not node.para else node.body
        mr = _ROLE_ITEM.match(fold(text).lower())
        if mr:
            mode = "phoi hop" if mr.group(1) == "phoi hop" else "chu tri"
            text = text[mr.end():]
        if not text.strip():
            continue
        # under a role label a line is a list of names, whole ("Ban Chỉ đạo quốc gia" is one body
        # though its words after a head are no known name part; "Các quân khu; các tỉnh": a
        # capitalised line's later parts too); a sentence is read for them
        listed = text.strip(" -–+•")[:1].isupper()
        for part in re.split(r";", strip_end_mark(text.strip()).rstrip(". ")):
            part = part.strip()
            names = split_agencies(part) if listed and len(part.split()) <= 16 \
                and not re.search(r"\b(?:chu tri|phoi hop)\b", fold(part).lower()) else _label_agencies(part)
            (partners if mode == "phoi hop" else lead).extend(names)
    return lead, partners


_TIME_ITEM = re.compile(r"thoi gian(?:\s+thuc hien)?\s*:\s*")


def _time_item_value(node: Node) -> str | None:
    """The time a "Thời gian thực hiện: …" item gives, or None when ``node`` is no such item."""
    m = _TIME_ITEM.match(fold(node.body).lower())
    value = node.body[m.end():].strip() if m else ""
    return value or None


def _is_time_item(node: Node) -> bool:
    return _time_item_value(node) is not None


def _named_agencies(roles: tuple[list[str], list[str]]) -> bool:
    """A role item's names include a recognised agency ("Các quân khu" in a list led by "Bộ
    Quốc phòng" goes with it): "Thực hiện: Theo Kế hoạch số 12" or "Phối hợp thực hiện: Kiểm
    tra liên ngành …" name none and are tasks of their own."""
    return any(0 in head_starts(n)[1] for n in roles[0] + roles[1])


def fold_role_items(leaves: list[Node], tasks: list[Task]) -> list[Task]:
    """"1. Nội dung, biện pháp" / "2. Cơ quan chủ trì, phối hợp: …" / "3. Thời gian thực hiện:
    …": items that name who does and when the work of the content item before them are no tasks
    of their own; their agencies and time go to the content item (lead, partners, timeframe)."""
    role_items: dict[int, tuple[list[str], list[str]] | None] = {}

    def roles_of(node: Node):  # each item's roles read once
        if id(node) not in role_items:
            role_items[id(node)] = _role_item_agencies(node)
        return role_items[id(node)]

    out: list[Task] = []
    content: dict[int, tuple[Node, Task]] = {}  # parent node id -> its last content item so far
    for leaf, task in zip(leaves, tasks):
        roles = roles_of(leaf)
        parent = id(leaf.parent)
        if roles is not None and not _named_agencies(roles):
            roles = None  # a role label over no recognised agency: a task as written
        if roles is None:
            out.append(task)
            if not _is_time_item(leaf):
                content[parent] = (leaf, task)  # the owner of the role items right after it
            continue
        if parent not in content:
            out.append(task)  # no content item before it: keep it as written
            continue
        owner_leaf, owner = content[parent]
        # the named lead is the plan's own assignment: it stands for what the content's prose
        # was read to say; the named partners join those the measures name ("phối hợp với …")
        if roles[0]:
            owner.lead = merge_titled(roles[0])
            owner.lead_ids = [normalize_agency(a) for a in owner.lead]
        # an item naming only partners keeps the lead read from the content; a lead is never
        # also a partner
        keys = {key(a) for a in owner.lead}
        owner.partners = dedupe([a for a in roles[1] + owner.partners if key(a) not in keys])
        owner.partner_ids = [normalize_agency(a) for a in owner.partners]
        owner.provenance = owner.provenance + task.provenance
    _closing_time_to_section(leaves, tasks, roles_of)
    for leaf, task in zip(leaves, tasks):
        if task.timeframe is not None or leaf.parent is None or _is_time_item(leaf) \
                or roles_of(leaf) is not None:
            continue
        sibs = leaf.parent.children
        k = next((j for j, sib in enumerate(sibs) if sib is leaf), None)
        for sib in sibs[k + 1:] if k is not None else []:
            # the time item right after the content item (past its role items), not any
            value = _time_item_value(sib)
            if value is not None:
                task.timeframe = strip_end_mark(value).rstrip(". ")
                break
            if roles_of(sib) is None:
                break
    return out


def _closing_time_to_section(leaves: list[Node], tasks: list[Task], roles_of) -> None:
    """"1. Tổ chức hội chợ …" / "2. Mở lớp bồi dưỡng …" / "3. Thời gian thực hiện: Năm 2025.": a
    time item that closes a section of several content items (no role item, no other time item
    among them), none of which states a time of its own, gives each of them its time. A section
    whose items state times of their own keeps them (the closing time is then the whole
    plan's period), and a role item between them keeps the time to the item right before it."""
    task_of = {id(leaf): task for leaf, task in zip(leaves, tasks)}
    parents = {id(leaf.parent): leaf.parent for leaf in leaves if leaf.parent is not None}
    for parent in parents.values():
        sibs = parent.children
        if len(sibs) < 3:
            continue
        value = _time_item_value(sibs[-1])
        content = sibs[:-1]
        if value is None or any(_is_time_item(c) or roles_of(c) is not None for c in content):
            continue
        owned = [task_of[id(n)] for c in content for n in [c, *c.descendants()] if id(n) in task_of]
        if len(owned) < 2 or len(owned) != sum(1 for c in content if id(c) in task_of) \
                or any(t.timeframe is not None for t in owned):
            continue  # (every content item a task of its own, none with a time)
        for task in owned:
            task.timeframe = strip_end_mark(value).rstrip(". ")


def _ancestors(n: Node):
    p = n.parent
    while p is not None:
        yield p
        p = p.parent


# ------------------------------------------------------------------------- implementation
def _agency_run_on(text: str) -> str:
    """An agency heading run on into its first statement with no punctuation between (a line
    break lost): "Sở Khoa học và Công nghệ Chủ trì, phối hợp …" -> the heading (a capitalised
    sentence-opening verb of segment.json follows the name). "Sở Tài chính: Tham mưu …" is one
    sentence as written."""
    words = text.split()
    openings = load_patterns("segment")["sentence_openings"]
    for i in range(2, min(len(words) - 1, 25)):
        if words[i][:1].isupper() and not words[i - 1].endswith((",", ";", ":", ".")) \
                and key(f"{words[i]} {words[i + 1]}") in openings \
                and not any(is_bare_head(" ".join(words[max(0, i - n):i])) for n in (1, 2, 3)):
            # (after a bare head the capitalised words name the body: "Viện Nghiên cứu phát triển")
            head = " ".join(words[:i])
            spans = agency_spans(head)
            if spans and spans[0][0] == 0 and spans[-1][1] >= len(head) - 1:
                return head
            break
    return text


def implementation_items(section: Node) -> tuple[list[str], list[list[dict]], list[Duty]]:
    items, provs, duties = [], [], []
    # (a numbered term of a decision's Điều 1, "3. Tổ chức thực hiện", lists its duties lettered)
    lettered = section.style.startswith("arabic") and not any(c.style.startswith("arabic") for c in section.children)
    for c in section.children:
        if not (c.style.startswith("arabic") or lettered and c.style == "letter"):
            continue
        first = item_text(_agency_run_on(c.body if c.is_heading else first_sentence(c.body)))
        items.append(first)
        paras = _before_next_article(c.all_paras(), c.para)
        provs.append(ref_list([c.para]))
        agencies = _agency_heading(c.body) if c.is_heading else []
        if not agencies:
            head = c.body.split(":", 1)[0] if ":" in c.body[:120] else ""
            agencies = _agency_heading(head) if head else []
        if not agencies:
            m = re.match(r"^(?:Giao\s+)?(.{3,120}?)\s+(?:chủ trì|có trách nhiệm|chịu trách nhiệm)", c.body)
            if m:
                agencies = leading_agencies(m.group(1))
        if not agencies:
            # "Giao Sở Tài chính làm đầu mối, bố trí …", "Giao Văn phòng … là cơ quan đầu mối về …"
            m = re.match(rf"^{ASSIGNING_OPENING}(.{{3,120}}?)\s+(?:là|làm)\s", c.body)
            if m:
                agencies = leading_agencies(m.group(1))
        if not agencies:
            agencies = _opening_subject(c.body)  # "b) Sở Tài chính bố trí kinh phí …", "4. Các sở, … xây dựng …"
        text = item_text(" ".join(p.body for p in paras))
        path = f"{item_path(section)}.{c.num}" if lettered else item_path(c)
        for a in agencies or [None]:
            duties.append(Duty(agency=a or "", agency_id=normalize_agency(a) if a else None,
                               text=text, path=path, provenance=ref_list(paras)))
    return items, provs, duties


# ------------------------------------------------------------------------------ references
def clean_number(raw: str) -> str:
    """Stray spaces dropped (``10- CTr/TU``); letters of the codes unaccented except Đ: codes
    are ASCII plus Đ, so a tone mark there is a restorer's slip (``02-TT/TỰ`` -> ``02-TT/TU``)."""
    number = re.sub(r"\s*([/-])\s*", r"\1", raw)
    return "".join(c if c in "Đđ" else fold(c) for c in number)


def _iso(d, mth, y):
    from .header import iso_date
    return iso_date(d, mth, y)


@lru_cache(maxsize=1)
def _kind_keys() -> list[tuple[str, str]]:
    kinds = sorted(load_patterns("references")["kinds"], key=len, reverse=True)
    return [(k, fold(k).lower()) for k in kinds]


_MAYBE_NUMBER = re.compile(r"\d\s?[/-]\s?[A-ZĐ]|\d/\d{4}/")


def parse_references(text: str, basis: str | None, refs: list[dict]) -> list[Reference]:
    """Every cited document of a paragraph: kind, number, date, issuer.

    Numbers and dates are DOC_NUMBER / DATE entities of :func:`.entities.annotate`; the kind
    is the document kind written just before the number, the issuer the "của ..." phrase after
    it (or after its date).
    """
    candidates = [m.start() for m in _MAYBE_NUMBER.finditer(text)]
    if not candidates:
        return []
    pats = load_patterns("references")
    kind_keys = _kind_keys()
    # run the EntityRuler only on windows around candidate numbers (long paragraphs are slow)
    windows: list[list[int]] = []
    for c in candidates:
        a, b = max(0, c - 20), min(len(text), c + 80)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    ents = []
    for a, b in windows:
        a = text.rfind(" ", 0, a) + 1 if a else 0
        b = text.find(" ", b) if text.find(" ", b) > 0 else len(text)
        ents.extend((lab, span, a + s0, a + e0) for lab, span, s0, e0 in
                    annotate(text[a:b], ("DOC_NUMBER", "DATE")))
    f = fold(text).lower()
    out = []
    for idx, (label, span, s, e) in enumerate(ents):
        if label != "DOC_NUMBER":
            continue
        number = clean_number(span)
        before = f[max(0, s - 40):s]
        kind = None
        best = (-1, 0)
        for k, kf in kind_keys:  # the kind written closest before the number, longest first
            pos = before.rfind(kf)
            if pos < 0 or not re.fullmatch(r"\s*(?:so\s*)?(?:[\w\s]{0,14})?", before[pos + len(kf):] or ""):
                continue
            rank = (pos + len(kf), len(kf))
            if rank > best:
                best, kind = rank, k
        date = None
        issuer_from = e
        if idx + 1 < len(ents) and ents[idx + 1][0] == "DATE" and not text[e:ents[idx + 1][2]].strip(" ,"):
            d, mth, y = re.findall(r"\d+", ents[idx + 1][1])[:3]
            date = _iso(d, mth, y)
            issuer_from = ents[idx + 1][3]
        issuer = None
        mi = re.match(r"\s*,?\s*(?:cua|giua)\s+", f[issuer_from:issuer_from + 20])
        if mi:
            seg = text[issuer_from + mi.end():issuer_from + mi.end() + 160]
            cut = len(seg)
            for stop in pats["issuer_stops"]:
                p = seg.find(stop)
                if 0 < p < cut:
                    cut = p
            issuer = seg[:cut].strip() or None
        out.append(Reference(number=number, kind=kind, date=date, issuer=issuer,
                             text=clean(text), basis=basis, provenance=refs))
    return out


def basis_of(text: str) -> str | None:
    f = key(text)
    for prefix, label in load_patterns("references")["basis_prefixes"].items():
        if f.startswith(prefix):
            return label
    return None
