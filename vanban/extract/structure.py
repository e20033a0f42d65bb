"""The section tree of a directive's body and the role of each section, found by heading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .agencies import head_starts
from .layout import STYLE_RANK, Para, parse_marker
from .text import ASSIGNING_OPENING, CHAPTER_MARK, int_to_roman, is_caps, key, load_patterns, roman_to_int

BULLET_STYLES = ("dash", "plus", "dot")


#: what follows the closing mark "./." of a document's text (an editor's note)
_AFTER_END_MARK = re.compile(r"\./\.\s.*$")


@dataclass
class Node:
    para: Para | None
    style: str
    num: str = ""
    children: list["Node"] = field(default_factory=list)
    paras: list[Para] = field(default_factory=list)   # unmarked paragraphs that follow it
    parent: "Node | None" = None
    role: str = "other"
    scope: str | None = None      # objectives: general / specific
    excluded: bool = False
    part_role: str | None = None  # role of the part ("B. NHIỆM VỤ ...") a roman section sits in

    @property
    def body(self) -> str:
        return self.para.body if self.para else ""

    @property
    def raw_body(self) -> str:
        """The heading as OCR read it (before normalize), marker removed; "" when unchanged."""
        if self.para is None or not self.para.raw:
            return ""
        return parse_marker(self.para.raw)[3]

    @property
    def is_heading(self) -> bool:
        """A heading line (no closing sentence punctuation) or a group intro ending with ':'."""
        body = self.body.strip()
        if not body:
            return True
        body = _AFTER_END_MARK.sub("./.", body)  # ("…./. (Công điện … gửi kèm theo)": a note after the end)
        if body.endswith(":"):
            return True
        return len(body) <= 200 and body[-1] not in ".;!?…" and not body.endswith("./.")

    def descendants(self):
        for c in self.children:
            yield c
            yield from c.descendants()

    def all_paras(self) -> list[Para]:
        """Own paragraph, its unmarked paragraphs and every descendant's, in document order."""
        out = ([self.para] if self.para else []) + list(self.paras)
        for c in self.children:
            out.extend(c.all_paras())
        return sorted(out, key=lambda p: (p.refs[0]["page"], p.refs[0]["line"]) if p.refs else (0, 0))

    def path_numbers(self) -> list[str]:
        nums = []
        node = self
        while node is not None and node.style != "root":
            if node.style == "roman" or node.style.startswith("arabic"):
                nums.append(node.num)
            node = node.parent
        return list(reversed(nums))


def number_romans(paras: list[Para], renumber: bool) -> None:
    """Give unreadable roman markers the next number; with ``renumber`` (OCR input, where
    "II" is often read "I" or "H") number every roman heading in sequence."""
    prev = 0
    romans = [p for p in paras if p.style == "roman"]
    # a misread numeral ("Il.", "Iv.", "H.") shows the text is OCR: then "I." may be a misread "II."
    renumber = renumber or any(not re.fullmatch(r"[IVXL]+", p.num or "") for p in romans)
    for p in romans:
        value = roman_to_int(p.num) if p.num and re.fullmatch(r"[IVXLivxl]+", p.num) else None
        if value is None or value > prev + 3 or (renumber and value != prev + 1 and prev):
            value = prev + 1
        p.num = int_to_roman(value)
        prev = value


_PART_HEADINGS = [re.compile(rx) for rx in load_patterns("headings")["part_headings"]]


def part_heading(text: str) -> tuple[str, str] | None:
    """(number, heading) of a part heading one level above the roman sections ("A. MỤC ĐÍCH,
    YÊU CẦU", "PHẦN I. NHIỆM VỤ", "PHẦN THỨ HAI"): caps, short; None for anything else."""
    if len(text) > 200:
        return None
    for rx in _PART_HEADINGS:
        m = rx.match(text)
        if m and (is_caps(text, 0.85)):
            return m.group(1), text[m.end():].strip()
    return None


_ARTICLE = re.compile(r"Điều\s+(\d{1,2})\s*[.:]\s+")


def _article_section(text: str) -> tuple[str, str] | None:
    """(number, heading) of a decision's article that heads a section of the plan it approves
    ("Điều 2. Tổ chức thực hiện" over its numbered duties) or assigns the numbered duties under
    it to a body ("Điều 2. Giao Giám đốc Sở Giáo dục và Đào tạo"); None for an article that is a
    sentence ("Điều 2. Quyết định này có hiệu lực …") or names no section."""
    m = _ARTICLE.match(text)
    if not m:
        return None
    heading = text[m.end():].strip()
    if heading[-1:] in ".;!?" or len(heading.split()) > 20:
        return None
    if section_role(heading) == "implementation" and len(heading.split()) <= 12:
        return m.group(1), heading
    if _ASSIGNING_ARTICLE.match(heading) and 0 in head_starts(heading[len("Giao "):].strip(" :"))[1]:
        return m.group(1), heading  # "Điều 2. Giao Giám đốc Sở X" over the duties it assigns
    return None


#: an article that assigns the numbered duties under it to a body ("Điều 2. Giao Giám đốc Sở …")
_ASSIGNING_ARTICLE = re.compile(ASSIGNING_OPENING)


#: a regulation's chapter line ("Chương II", "CHƯƠNG II. NỘI DUNG PHỐI HỢP") and article line
#: ("Điều 5. Nội dung Sở X có trách nhiệm chủ trì")
_CHAPTER = re.compile(rf"{CHAPTER_MARK}\b\.?\s*(.*)$")
_REGULATION_ARTICLE = re.compile(r"Điều\s+(\d{1,3})\s*[.:]\s*(.*)$")


def regulation_levels(paras: list[Para]) -> list[Para]:
    """A regulation (a Quy chế enacted by a decision) is written in chapters ("Chương II" over
    its caps title), articles ("Điều 5. <heading>") and clauses ("1. …"): read them as a plan's
    roman, first and second arabic levels, so a clause's path is "II.5.1" and a chapter's
    heading gives its role ("NỘI DUNG PHỐI HỢP": tasks; "TỔ CHỨC THỰC HIỆN": implementation).
    Text with no chapter, or fewer than two articles, is returned as it is (a decision's own
    articles are no plan)."""
    if not any(p.style is None and _CHAPTER.match(p.text) for p in paras) \
            or sum(1 for p in paras if p.style is None and _REGULATION_ARTICLE.match(p.text)) < 2:
        return paras
    out: list[Para] = []
    article = None
    skip = False
    for i, p in enumerate(paras):
        if skip:
            skip = False
            continue
        chapter = _CHAPTER.match(p.text) if p.style is None else None
        clause = _REGULATION_ARTICLE.match(p.text) if p.style is None else None
        if chapter:
            title = chapter.group(2).strip()
            nxt = paras[i + 1] if i + 1 < len(paras) else None
            if not title and nxt is not None and nxt.style is None and is_caps(nxt.text) \
                    and not _REGULATION_ARTICLE.match(nxt.text):
                title, skip = nxt.text, True  # the chapter's caps title on its own line
                p.refs = p.refs + nxt.refs
            p.marker, p.style, p.num, p.body = f"Chương {chapter.group(1)}", "roman", chapter.group(1), title
            article = None
        elif clause:
            heading, text = _article_heading(clause.group(2).strip())
            p.marker, p.style, p.num, p.body = f"Điều {clause.group(1)}.", "arabic1", clause.group(1), heading
            article = clause.group(1)
            if text:
                out.append(p)
                p = Para(text, p.refs, body=text)  # its text run on (a text folded to one line)
        elif article is not None and p.style == "arabic1":
            p.style, p.num = "arabic2", f"{article}.{p.num}"  # a clause of the article
        out.append(p)
    return out


#: words that do not end an article's heading ("Trách nhiệm của | Sở X")
_HEADING_GOES_ON = frozenset({"của", "và", "các", "với", "về", "cho", "tại", "trong", "đối", "những"})


def _article_heading(body: str) -> tuple[str, str]:
    """An article's heading and the text run on after it in a text folded to one line ("Nội dung
    Công an tỉnh có trách nhiệm chủ trì | Nắm tình hình, …"; "Trách nhiệm của Sở X | Sở X là
    cơ quan thường trực …"): the heading ends before the first capitalised word that follows a
    lower-case word (no preposition) and opens no body's name, or repeats one the heading holds.
    A heading alone (its own line, no sentence mark) is returned whole."""
    if not re.search(r"[.;:]\s", body + " ") or len(body.split()) <= 3:
        return body, ""
    words = body.split()
    for i in range(2, min(len(words), 25)):
        prev, w = words[i - 1], words[i]
        if re.search(r"[.;:,]$", prev) and not prev.endswith(","):
            break  # a sentence mark before any cut: no heading to split off
        if not (w[:1].isupper() and prev[:1].islower() and prev.lower() not in _HEADING_GOES_ON
                and prev[-1:].isalpha()):
            continue
        head, rest = " ".join(words[:i]), " ".join(words[i:])
        if 0 in head_starts(rest)[1] and not any(head.lower().endswith(" " + " ".join(words[i:i + n]).lower())
                                                 for n in range(2, 8) if i + n <= len(words)):
            continue  # a name inside the heading ("Nội dung | Công an tỉnh có trách nhiệm …")
        return head, rest
    return body, ""


def is_regulation_article(node: Node) -> bool:
    """``node`` is an article of a regulation read by ``regulation_levels``."""
    return node.para is not None and (node.para.marker or "").startswith("Điều ") and node.style == "arabic1"


def build_tree(paras: list[Para], renumber_roman: bool = False, join_broken: bool = True) -> Node:
    """Nest paragraphs by marker style: a style already open closes back to it (sibling);
    a structural style (roman/arabic/letter) closes every deeper one; bullets nest."""
    paras = regulation_levels(paras)
    number_romans(paras, renumber_roman)
    root = Node(None, "root")
    stack = [root]
    for p in paras:
        part = part_heading(p.text) if p.style is None else None
        article = _article_section(p.text) if p.style is None and part is None else None
        if part is not None:
            p.marker, p.style, p.num, p.body = p.text[:len(p.text) - len(part[1])].strip(), "part", part[0], part[1]
            del stack[1:]
        elif article is not None:
            p.marker, p.style, p.num, p.body = p.text[:len(p.text) - len(article[1])].strip(), "article", *article
            del stack[1:]
        elif p.style is None:
            if len(stack) > 1 and stack[1].style == "article" and _ARTICLE.match(p.text):
                del stack[1:]  # the next article ("Điều 3. Quyết định này có hiệu lực …") closes it
            stack[-1].paras.append(p)
            continue
        elif p.style == "roman":
            # roman sections sit inside an open part ("B. NHIỆM VỤ" > "I. ...")
            del stack[2 if len(stack) > 1 and stack[1].style == "part" else 1:]
        else:
            pos = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].style == p.style), None)
            if pos is not None:
                del stack[pos:]
            elif p.style not in BULLET_STYLES:
                rank = STYLE_RANK[p.style]
                while len(stack) > 1 and STYLE_RANK.get(stack[-1].style, -1) >= rank:
                    stack.pop()
        node = Node(p, p.style, num=p.num or "", parent=stack[-1])
        stack[-1].children.append(node)
        stack.append(node)
    if join_broken:  # (not for re-segmented text: its headings were cut where they end)
        _join_broken_headings(root)
    _splice_parts(root)
    return root


def _splice_parts(root: Node) -> None:
    """A part that holds roman sections gives way to them (they are the top sections, their
    paths stay "II.3"); they keep the part's role for headings that name none. A part
    without roman sections is itself a top section."""
    out: list[Node] = []
    for c in root.children:
        if c.style == "part" and any(x.style == "roman" for x in c.children):
            role = section_role(c.body)
            for x in c.children:
                x.parent = root
                x.part_role = role
                out.append(x)
        else:
            out.append(c)
    root.children = out


def _join_broken_headings(node: Node) -> None:
    """A numbered heading broken over two lines: the second line is a short unmarked
    paragraph without closing punctuation, and marked sub-items follow it."""
    for c in node.children:
        _join_broken_headings(c)
    if node.para is None or not node.paras:
        return
    body = node.para.body.rstrip()
    nxt = node.paras[0]
    if (body and body[-1] not in ".;:!?" and nxt.text[-1:] not in ".;!?" and len(nxt.text) < 100
            and len(body) < 200 and (node.children or len(node.paras) > 1)
            and node.style not in BULLET_STYLES
            and not (nxt.text.endswith(":") and not body.isupper() and _opens_with_agency(nxt.text))):
        # (a line naming a body and ending in ":" under a sentence-case heading is the line that
        # opens its items, "1.2. Hỗ trợ về nhà ở" / "Ủy ban nhân dân các tỉnh:", not the heading's end)
        node.para.body = f"{body} {nxt.text}"
        node.para.text = f"{node.para.text} {nxt.text}"
        node.para.refs = node.para.refs + nxt.refs
        node.paras.pop(0)


def _opens_with_agency(text: str) -> bool:
    return text[:1].isupper() and 0 in head_starts(text)[1]


def _has(heading_key: str, phrase: str) -> bool:
    if phrase in heading_key:
        return True
    if len(phrase) >= 7 and len(heading_key) >= len(phrase):
        return fuzz.partial_ratio(phrase, heading_key, score_cutoff=85) > 0
    return False


def _prefix(heading_key: str, phrase: str) -> bool:
    """``heading_key`` starts with ``phrase``, allowing an OCR slip or two."""
    head = heading_key[:len(phrase)]
    return head == phrase or (len(phrase) >= 7 and fuzz.ratio(head, phrase) >= 85)


def section_role(heading: str) -> str:
    """Role of a top-level section from its heading (diacritic-free, fuzzy)."""
    pats = load_patterns("headings")
    k = key(heading)
    if any(k.startswith(p) for p in pats["status_prefixes"]):
        return "other"
    if any(k.startswith(p) for p in pats["implementation_prefixes"]):
        return "implementation"
    for rule in pats["roles"]:
        if rule["role"] == "requirements" and not _requirements_noun(heading, k):
            continue  # "Yêu cầu các sở, ngành khẩn trương ...": the verb, not a requirements section
        if "all" in rule and all(_has(k, p) for p in rule["all"]):
            return rule["role"]
        if "any" in rule and any(_has(k, p) for p in rule["any"]):
            return rule["role"]
    if "to chuc thuc hien" in k:
        return "implementation"
    return "other"


def _requirements_noun(heading: str, k: str) -> bool:
    """"YÊU CẦU" names a section (the noun) in a caps heading or near a heading's end ("2. Yêu
    cầu", "Một số yêu cầu"); at the start of a sentence it is the verb ("Yêu cầu Giám đốc các sở
    ... triển khai ...")."""
    words = k.split()
    at = next((i for i in range(len(words) - 1) if words[i:i + 2] == ["yeu", "cau"]), None)
    return at is None or is_caps(heading) or len(words) - (at + 2) <= 2


def _label_excluded(body: str) -> bool:
    k = key(body)
    return any(k == lab or k.startswith(lab + " ") for lab in load_patterns("headings")["excluded_item_labels"])


def _nested_objectives(k: str, pats: dict) -> bool:
    """A sub-heading that names goals or targets ("Mục tiêu", "Mục tiêu tổng quát", "Các chỉ
    tiêu cụ thể đến năm 2030"), matched on its diacritic-free key."""
    k = re.sub(r"^cac\s+", "", k)
    return any(_prefix(k, p) for p in pats["objective_subsections"])


def assign_roles(root: Node) -> None:
    """Set role (and objective scope) on every node, top-down."""
    pats = load_patterns("headings")
    for top in root.children:
        role = "other"
        if top.is_heading or top.style in ("roman", "part"):
            role = section_role(top.body)
            if role == "other" and top.raw_body:
                role = section_role(top.raw_body)
        if role == "other" and top.part_role:
            role = top.part_role
        if top.style == "article" and _ASSIGNING_ARTICLE.match(top.body):
            role = "tasks"  # its numbered items are the duties it assigns
        _assign(top, role, None, pats)


def _assign(node: Node, role: str, scope: str | None, pats: dict) -> None:
    node.role = role
    k = key(node.body)
    if node.raw_body:
        # match sub-headings on the text as read too (a bad restoration must not hide them)
        k_raw = key(node.raw_body)
        if not any(_prefix(k, p) for p in ("muc dich", "yeu cau", *pats["general_objective"],
                                             *pats["specific_objective"])):
            k = k_raw
    # a heading line, or an inline label ("Mục tiêu chung: Nâng cao ...", "Yêu cầu: ...")
    labelled = node.para is not None and ":" in node.body[:25]
    if node.para is not None and (node.is_heading or labelled) and node.style not in ("roman", "part"):
        if role in ("purposes_requirements", "purposes", "requirements") and node.parent \
                and node.parent.role in ("purposes_requirements", "purposes", "requirements"):
            if _prefix(k, "muc dich"):
                node.role = role = "purposes"
            elif _prefix(k, "yeu cau"):
                node.role = role = "requirements"
            elif any(_prefix(k, o) for o in pats["other_subsections"]):
                node.role = role = "other"  # "II. MỤC ĐÍCH, QUAN ĐIỂM" > "2. Quan điểm"
            elif _nested_objectives(k, pats):
                # "I. MỤC ĐÍCH, YÊU CẦU" > "3. Mục tiêu" / "4. Các chỉ tiêu cụ thể đến năm 2030":
                # goals nested in the purposes section are objectives
                node.role = role = "objectives"
                scope = "general" if any(_prefix(k, g) for g in pats["general_objective"]) else \
                    "specific" if any(g in k for g in pats["specific_objective"]) or "chi tieu" in k else None
        if role == "objectives":
            if any(_prefix(k, g) for g in pats["general_objective"]):
                scope = "general"
            elif any(_prefix(k, g) for g in pats["specific_objective"]):
                scope = "specific"
        if role == "tasks" and _label_excluded(node.body):
            node.excluded = True
    if role == "objectives" and node.para is not None and node.style not in ("roman", "part") \
            and not node.is_heading:
        if any(_prefix(k, g) for g in pats["general_objective"]):
            scope = "general"
        elif any(_prefix(k, g) for g in pats["specific_objective"]):
            scope = "specific"
    if role == "tasks" and node.style.startswith("arabic") and node.is_heading \
            and any(_prefix(k, p) for p in pats["objective_subsections"]):
        # "II. NỘI DUNG" > "1. Mục tiêu phát triển ...": goals inside a work section, not tasks
        node.role = role = "objectives"
        scope = "general" if any(_prefix(k, g) for g in pats["general_objective"]) else None
    node.scope = scope
    if role == "objectives" and node.style in ("roman", "part") \
            or (role == "objectives" and node.parent and node.parent.style == "root"):
        # groups that name neither goals nor targets ("2. Tháng hành động") hold no objectives
        heads = [c for c in node.children if c.style.startswith("arabic")]
        if any("muc tieu" in key(c.body) or "chi tieu" in key(c.body) for c in heads):
            for c in heads:
                ck = key(c.body)
                if "muc tieu" not in ck and "chi tieu" not in ck and "phan dau" not in ck:
                    c.excluded = True
    for c in node.children:
        _assign(c, role, scope, pats)
        if node.excluded:
            c.excluded = True


def directive_sections(root: Node) -> None:
    """In a directive kind (Công văn, Chỉ thị, Công điện, Thông báo kết luận) an arabic-numbered
    item is a request, whatever its words: "1. Yêu cầu chung:" groups requests and "4. Yêu cầu
    Đảng uỷ ... chỉ đạo ..." is one. Only the document's own section headings (roman, part, caps:
    "II. MỘT SỐ YÊU CẦU") open a purposes / requirements section there."""
    pats = load_patterns("headings")
    for top in root.children:
        if top.role in ("purposes", "requirements", "purposes_requirements") \
                and top.style.startswith("arabic") and not is_caps(top.body):
            _assign(top, "other", None, pats)
