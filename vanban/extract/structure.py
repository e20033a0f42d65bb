"""The section tree of a directive's body and the role of each section, found by heading."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .layout import STYLE_RANK, Para
from .text import fold, key, load_patterns

BULLET_STYLES = ("dash", "plus", "dot")


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

    @property
    def body(self) -> str:
        return self.para.body if self.para else ""

    @property
    def is_heading(self) -> bool:
        """A heading line (no closing sentence punctuation) or a group intro ending with ':'."""
        body = self.body.strip()
        if not body:
            return True
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


def build_tree(paras: list[Para]) -> Node:
    """Nest paragraphs by marker style: a style already open closes back to it (sibling);
    a structural style (roman/arabic/letter) closes every deeper one; bullets nest."""
    root = Node(None, "root")
    stack = [root]
    for p in paras:
        if p.style is None:
            stack[-1].paras.append(p)
            continue
        if p.style == "roman":
            del stack[1:]
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
    _join_broken_headings(root)
    return root


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
            and node.style not in BULLET_STYLES):
        node.para.body = f"{body} {nxt.text}"
        node.para.text = f"{node.para.text} {nxt.text}"
        node.para.refs = node.para.refs + nxt.refs
        node.paras.pop(0)


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
        if "all" in rule and all(_has(k, p) for p in rule["all"]):
            return rule["role"]
        if "any" in rule and any(_has(k, p) for p in rule["any"]):
            return rule["role"]
    if "to chuc thuc hien" in k:
        return "implementation"
    return "other"


def _label_excluded(body: str) -> bool:
    k = key(body)
    return any(k == lab or k.startswith(lab + " ") for lab in load_patterns("headings")["excluded_item_labels"])


def assign_roles(root: Node) -> None:
    """Set role (and objective scope) on every node, top-down."""
    pats = load_patterns("headings")
    for top in root.children:
        role = section_role(top.body) if top.is_heading or top.style == "roman" else "other"
        _assign(top, role, None, pats)
    for p in root.paras:
        pass


def _assign(node: Node, role: str, scope: str | None, pats: dict) -> None:
    node.role = role
    k = key(node.body)
    if node.para is not None and node.is_heading and node.style != "roman":
        if role in ("purposes_requirements", "purposes", "requirements") and node.parent \
                and node.parent.role in ("purposes_requirements", "purposes", "requirements"):
            if _prefix(k, "muc dich"):
                node.role = role = "purposes"
            elif _prefix(k, "yeu cau"):
                node.role = role = "requirements"
        if role == "objectives":
            if any(_prefix(k, g) for g in pats["general_objective"]):
                scope = "general"
            elif any(_prefix(k, g) for g in pats["specific_objective"]):
                scope = "specific"
        if role == "tasks" and _label_excluded(node.body):
            node.excluded = True
    node.scope = scope
    if role == "objectives" and node.style == "roman" or (role == "objectives" and node.parent and node.parent.style == "root"):
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
