"""Items of a plan: purposes, requirements, objectives (with targets), tasks (with lead,
partners, timeframe), implementation items and duties, document references."""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Duty, Objective, Reference, Target, Task
from .agencies import agency_spans, dedupe, head_starts, normalize_agency, split_agencies
from .layout import Para
from .structure import Node, _label_excluded
from .text import clean, first_sentence, fold, key, load_patterns, strip_end_mark


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
        for p in node.paras:
            out.append((p.body, [p], node))
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
            out.append((text, paras, node))
    return out


def item_text(text: str) -> str:
    return strip_end_mark(clean(text))


# --------------------------------------------------------------------------------- objectives
_NUM = r"\d+(?:[.,]\d+)*"
_QUANTITY = re.compile(rf"(?<![\w/.,])({_NUM})\s*(%|[^\W\d_][\w]*(?:\s+[^\W\d_][\w]*)*)?", re.UNICODE)
_YEAR_IN = re.compile(r"\b(?:nam|den)\s+(\d{4})\b")


def _number(text: str) -> float | int | None:
    t = text
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", t):
        t = t.replace(".", "")
    elif re.fullmatch(r"\d+,\d+", t):
        t = t.replace(",", ".")
    elif re.fullmatch(r"\d+\.\d+", t):
        pass
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
    """Committed quantities of an objective: percentages and counts with their unit."""
    pats = load_patterns("quantities")
    stops = set(pats["unit_stop_words"])
    before_stops = [fold(w) for w in pats["non_target_before"]]
    year = find_year(text) or default_year
    out: list[Target] = []
    for m in re.finditer(rf"(?<![\w/.,])({_NUM})(\s*%)?", text):
        raw = m.group(1)
        pre = fold(text[max(0, m.start() - 14):m.start()]).lower().rstrip()
        after = text[m.end():]
        if re.match(r"\s*/\s*\d", after) and not m.group(2):
            if not re.match(r"\s*/\s*\d{2,3}\.\d{3}", after):
                continue  # a date or a fraction such as 4/100.000 handled below
        if any(pre.endswith(b) for b in before_stops):
            continue
        if re.match(r"[/-]\w", after):
            continue  # document numbers, dates
        value = _number(raw)
        if value is None:
            continue
        if not m.group(2) and isinstance(value, int) and 1900 <= value <= 2100:
            continue
        if m.group(2):
            out.append(Target(value=value, unit="%", year=year, text=text[m.start():m.end()].strip()))
            continue
        words = []
        rest = after.lstrip()
        unit_m = re.match(r"(/\d+(?:\.\d+)*(?:\s+[^\W\d_]\w*){0,4})", rest)
        if unit_m:
            out.append(Target(value=value, unit=unit_m.group(1).strip(), year=year,
                              text=text[m.start():m.end() + len(after) - len(rest) + unit_m.end()]))
            continue
        for w in rest.split()[: pats["count_max_unit_words"] + 1]:
            core = w.strip(",.;:()")
            if not core or core.lower() in stops or fold(core.lower()) in stops or not core.isalpha():
                break
            words.append(core)
            if w != core:
                break
        words = words[: pats["count_max_unit_words"]]
        if not words or words[0][:1].isupper() or words[0].lower() in ("tháng", "ngày", "năm", "lần", "quý"):
            if not (words and words[0].lower() == "lần"):
                continue
        out.append(Target(value=value, unit=" ".join(words), year=year,
                          text=text[m.start():m.end()] + " " + " ".join(words)))
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
_LABEL = re.compile(r"^(?:(?:don vi|co quan|to chuc)\s+)?(chu tri|thuc hien|phoi hop|thoi gian(?:\s+(?:thuc hien|hoan thanh))?)\s*:\s*",
                    re.I)
_TIME_CLAUSE = re.compile(r"(?:^|[;.]\s+|^[-+]\s*)thoi gian(?:\s+[a-z]+){0,2}?\s*(?::\s*|\s+(?=(?:tu|vao|trong|den|truoc|sau|nam|quy|thang|hang|thuong)\b))")


def leading_agencies(text: str) -> list[str]:
    """Agency names at the start of ``text`` (separated by , ; và), as written."""
    text = text.strip()
    if len(text) > 700:
        # enumerations of agencies are short; the rest of a long sentence is prose
        text = text[:text.rfind(" ", 0, 700)]
    text = re.sub(r"^(?:Đề nghị|Giao|De nghi)\s+", "", text)
    out = []
    pos = 0
    for s, e in agency_spans(text):
        gap = text[pos:s]
        if gap.strip(" ,;") and fold(gap).strip(" ,;").lower() not in ("va", "voi"):
            break
        out.extend(split_agencies(text[s:e]))
        pos = e
    return out


def _agency_heading(body: str) -> list[str]:
    t = body.strip().rstrip(":").strip()
    t = re.sub(r"\s*\(.*?\)\s*$", "", t)
    t = re.sub(r"^(?:Đề nghị|De nghi)\s+", "", t)
    tokens, starts = head_starts(t)
    if not tokens or 0 not in starts:
        return []
    spans = agency_spans(t)
    if not spans or spans[0][0] != 0:
        return []
    covered = sum(e - s for s, e in spans)
    if covered < 0.8 * len(t.replace(" ", "")) - 5:
        # heading text is not just agency names ("Sở Y tế tổ chức ...")
        rest = t[spans[-1][1]:].strip(" ,;")
        if rest and not re.fullmatch(r"(?:và|,|;|\s)*", rest):
            return []
    return leading_agencies(t)


def _after_phoi_hop(text: str, start: int) -> list[str]:
    rest = text[start:]
    rest = re.sub(r"^\s*(?:chặt chẽ\s+)?(?:với|cùng|chat che voi|voi|cung)?\s*", "", rest)
    return leading_agencies(rest)


def task_agencies(node: Node, heading_agencies: list[str]) -> tuple[list[str], list[str], str | None]:
    """lead, partners, timeframe from a task's own statements (and its sub-items)."""
    lead: list[str] = list(heading_agencies)
    partners: list[str] = []
    times: list[str] = []
    pending_lead = False
    for p in node.all_paras():
        stmt = p.body if p is not node.para else node.body
        f = fold(stmt).lower()
        if pending_lead and p.style in ("plus", "dot"):
            lead.extend(leading_agencies(stmt))
        elif p.style not in ("plus", "dot"):
            pending_lead = False
        for mt in _TIME_CLAUSE.finditer(f):
            value = re.split(r";|\.\s", stmt[mt.end():])[0]
            times.append(strip_end_mark(value).rstrip(". "))
        m = _LABEL.match(f)
        if m:
            label = m.group(1)
            value = stmt[m.end():].strip()
            if label.startswith("thoi gian"):
                continue
            if not value:
                pending_lead = label != "phoi hop"  # "Cơ quan thực hiện:" with the agencies as sub-items
                continue
            if label == "phoi hop":
                for part in re.split(r";", value):
                    partners.extend(leading_agencies(part))
                continue
            for part in re.split(r";", value):
                lead.extend(leading_agencies(part))
            # prose inside the value ("Sở Y tế chủ trì, phối hợp với ...")
            stmt = value
            f = fold(stmt).lower()
        for mc in re.finditer(r"chu tri", f):
            seg_start = max(f.rfind(ch, 0, mc.start()) for ch in ".;:")
            seg = stmt[seg_start + 1:mc.start()]
            seg_f = f[seg_start + 1:mc.start()]
            if not seg.strip(" ,-"):
                continue
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
            lead.extend(names)
        for mp in re.finditer(r"phoi hop", f):
            if f[max(0, mp.start() - 7):mp.start()].strip().endswith(("su", "trong")):
                continue
            partners.extend(_after_phoi_hop(stmt, mp.end()))
    lead = dedupe([a for a in lead if a])
    lead_keys = {key(a) for a in lead}
    partners = dedupe([a for a in partners if a and key(a) not in lead_keys])
    times = dedupe(times)
    return lead, partners, ("; ".join(times) if times else None)


def item_path(node: Node) -> str:
    """Roman and arabic numbers of an item joined: "III.2.3"."""
    nums = []
    n = node
    while n is not None and n.style != "root":
        if n.style == "roman":
            nums.append(n.num)
        elif n.style.startswith("arabic"):
            if not nums or not (nums[-1] + ".").startswith(n.num + ".") or "." not in nums[-1]:
                nums.append(n.num)
        n = n.parent
    return ".".join(reversed(nums))


def make_task(node: Node, path: str) -> Task:
    paras = node.all_paras()
    body = node.body
    title = body if node.is_heading else first_sentence(body)
    title = item_text(title)
    text = item_text(" ".join(p.body if p is not node.para else body for p in paras))
    heading_agencies = _agency_heading(body) if node.is_heading else []
    if not heading_agencies and re.match(r"(?:Đề nghị|Giao)\s", body):
        heading_agencies = leading_agencies(body)
    lead, partners, timeframe = task_agencies(node, heading_agencies)
    return Task(path=path, title=title, text=text, lead=lead, partners=partners,
                lead_ids=[normalize_agency(a) for a in lead],
                partner_ids=[normalize_agency(a) for a in partners],
                timeframe=timeframe, provenance=ref_list(paras))


def task_leaves(section: Node) -> list[Node]:
    """Arabic-numbered items with no arabic-numbered item below them."""
    out = []
    for n in section.descendants():
        if n.excluded or not n.style.startswith("arabic") or _label_excluded(n.body):
            continue
        if any(d.style.startswith("arabic") for d in n.descendants()):
            continue
        if any(a.excluded for a in _ancestors(n)):
            continue
        out.append(n)
    return out


def _ancestors(n: Node):
    p = n.parent
    while p is not None:
        yield p
        p = p.parent


# ------------------------------------------------------------------------- implementation
def implementation_items(section: Node) -> tuple[list[str], list[list[dict]], list[Duty]]:
    items, provs, duties = [], [], []
    for c in section.children:
        if not c.style.startswith("arabic"):
            continue
        first = item_text(c.body if c.is_heading else first_sentence(c.body))
        items.append(first)
        paras = c.all_paras()
        provs.append(ref_list([c.para]))
        agencies = _agency_heading(c.body) if c.is_heading else []
        if not agencies:
            head = c.body.split(":", 1)[0] if ":" in c.body[:120] else ""
            agencies = _agency_heading(head) if head else []
        if not agencies:
            m = re.match(r"^(?:Giao\s+)?(.{3,120}?)\s+(?:chủ trì|có trách nhiệm|chịu trách nhiệm)", c.body)
            if m:
                agencies = leading_agencies(m.group(1))
        text = item_text(" ".join(p.body for p in paras))
        for a in agencies or [None]:
            duties.append(Duty(agency=a or "", agency_id=normalize_agency(a) if a else None,
                               text=text, path=item_path(c), provenance=ref_list(paras)))
    return items, provs, duties


# ------------------------------------------------------------------------------ references
_CODE = r"[A-ZĐ][\wĐđ&]*"
DOC_NUMBER = re.compile(
    rf"(?<![\w/])(\d{{1,5}}[a-z]?(?:/\d{{4}})?(?:\s?[/-]\s?{_CODE}){{1,4}})(?![\w])")
_DATE_NUM = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_DATE_WORDS = re.compile(r"(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})", re.I)


def clean_number(raw: str) -> str:
    return re.sub(r"\s*([/-])\s*", r"\1", raw)


def doc_numbers(text: str) -> list[tuple[str, int, int]]:
    """Document numbers (số ký hiệu) in ``text`` with their spans; each has a '/' and letters."""
    out = []
    for m in DOC_NUMBER.finditer(text):
        raw = m.group(1)
        if "/" not in raw:
            continue
        out.append((clean_number(raw), m.start(1), m.end(1)))
    return out


def _iso(d, mth, y):
    from .header import iso_date
    return iso_date(d, mth, y)


@lru_cache(maxsize=1)
def _kind_keys() -> list[tuple[str, str]]:
    kinds = sorted(load_patterns("references")["kinds"], key=len, reverse=True)
    return [(k, fold(k).lower()) for k in kinds]


def parse_references(text: str, basis: str | None, refs: list[dict]) -> list[Reference]:
    """Every cited document of a paragraph: kind, number, date, issuer."""
    pats = load_patterns("references")
    kind_keys = _kind_keys()
    out = []
    numbers = doc_numbers(text)
    if not numbers:
        return out
    f = fold(text).lower()
    for number, s, e in numbers:
        before = f[max(0, s - 40):s]
        kind = None
        best = -1
        for k, kf in kind_keys:
            pos = before.rfind(kf)
            if pos > best and re.fullmatch(r"\s*(?:so\s*)?(?:[\w\s]{0,14})?", before[pos + len(kf):] or ""):
                best, kind = pos, k
        after = text[e:e + 160]
        fa = f[e:e + 160]
        date = None
        m = re.match(r"\s*,?\s*ngay\s+", fa)
        if m:
            md = _DATE_NUM.match(fa[m.end():]) or _DATE_WORDS.match(fa[m.end():])
            if md:
                date = _iso(*md.groups())
                issuer_from = m.end() + md.end()
            else:
                issuer_from = m.end()
        else:
            issuer_from = 0
        issuer = None
        mi = re.match(r"\s*,?\s*(?:cua|giua)\s+", fa[issuer_from:])
        if mi:
            start = issuer_from + mi.end()
            seg = after[start:]
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
