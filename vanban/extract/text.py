"""Text helpers shared by the extract modules: diacritic folding, casing, sentences, patterns."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

# fold: a diacritic-free copy with the same length (indices map back), "đ" -> "d"; keys built on
# it match headings and keywords whether or not the diacritics survived OCR.
from ..text import fold_diacritics as fold
# Shared helpers the extract modules take from here (see vanban.text).
from ..text import fix_uy, is_syllable, nfc_spaces, repair_ocr_case, upper_ratio  # noqa: F401
from ..text import int_to_roman, roman_to_int  # noqa: F401  (re-exported: structure, table, segment)

PATTERN_DIR = Path(__file__).parent / "patterns"


@lru_cache(maxsize=None)
def load_patterns(name: str) -> dict:
    """One pattern data file of vanban/extract/patterns/ (JSON)."""
    return json.loads((PATTERN_DIR / f"{name}.json").read_text(encoding="utf-8"))


_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """Lower-case, diacritic-free, punctuation-free, space-folded key."""
    return " ".join(_NON_WORD.sub(" ", fold(text).lower()).split())


def opens_addressee_list(text: str) -> bool:
    """``text`` opens a letter's addressee list ("Kính gửi:", also as OCR or a copy without
    diacritics writes it: "Kinh gui"): the letter's body has begun."""
    return key(text).startswith("kinh gui")


def opens_with(text: str, phrases) -> bool:
    """``text`` (a key) is one of ``phrases`` or opens with one as whole words ("chu tri phoi
    hop" opens with "chu tri", "chu trinh" does not)."""
    return any(text == p or text.startswith(p + " ") for p in phrases)


#: NFC with whitespace folded to single spaces.
clean = nfc_spaces


def is_caps(text: str, threshold: float = 0.85) -> bool:
    return upper_ratio(text) >= threshold


def strip_end_mark(text: str) -> str:
    """Drop the document-end mark ``/.`` (``theo quy định./.`` -> ``theo quy định.``)."""
    text = text.rstrip()
    if text.endswith("./."):
        return text[:-2]
    if text.endswith("/."):
        return text[:-2] + "."
    return text


# A sentence ends at . ! ? followed by a space and a capital (or an opening quote); not after
# short upper-case abbreviations ("TP.", "TM.", "Q.") or single letters.
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ])")
_ABBREV_END = re.compile(r"(?:\b[A-ZĐ]{1,3}|\b[a-zđ]|\bv\.v|\bTS|\bThS|\bPGS|\bGS|\bNxb)\.$")


#: "lần thứ? XIV của Đảng": a roman numeral going on in lower case continues the sentence
#: (an OCR speck read as "?" or "." before it is no sentence end).
_ROMAN_RUN_ON = re.compile(r"[IVXLC]{1,6}\s+[a-zđà-ỹ]")


def first_sentence(text: str, runs_on=None) -> str:
    """The first sentence of a paragraph (the whole text when it has one sentence).

    ``runs_on(head, tail)``: a caller's test that a period is no sentence end (a typo inside
    an enumeration of agencies)."""
    for m in _SENT_END.finditer(text):
        head = text[:m.start()]
        if _ABBREV_END.search(head) or _ROMAN_RUN_ON.match(text, m.end()):
            continue
        if runs_on is not None and runs_on(head, text[m.end():]):
            continue
        if head.count("“") > head.count("”") and "”" in text[m.end():head.rfind("“") + 300]:
            continue  # inside a short quote that closes ("chủ đề “Năm 2026: 1. …; 2. …”")
        return head
    return text


def sentence_case(text: str) -> str:
    """Lower-case an all-caps string, capitalising its first letter."""
    low = text.lower()
    return low[:1].upper() + low[1:] if low else low


@lru_cache(maxsize=1)
def _ocr_head_rules() -> list[tuple[re.Pattern, str]]:
    heads = load_patterns("ocr_heads")["heads"]
    return [(re.compile(r"(?<![\w&@])(?:" + rx + r")(?= [A-ZĐÀ-Ỹ])"), head)
            for head, rx in heads.items()]


def repair_ocr_heads(line: str) -> str:
    """Agency head words mangled by an English OCR model (``S& Nội vụ`` -> ``Sở Nội vụ``);
    the misreadings are data (patterns/ocr_heads.json)."""
    if "S" not in line and "B" not in line:
        return line
    for rx, head in _ocr_head_rules():
        line = rx.sub(head, line)
    return line


_SPACED_WORD = re.compile(r"\S+")
LONE_LETTER = re.compile(r"(?<!\S)[^\W\d_](?!\S)")


def close_spaced_letters(line: str, min_stray: int = 1) -> str:
    """A header copied with stray spaces inside its words ("ỦY B AN NHÂN D Â N T HÀNH P HỐ",
    "T hành phố Hồ Chí M inh"): the line's letter runs are regrouped so that as few pieces as
    possible are no syllable ("B AN" -> "BAN", "C H Í M I NH" -> "CHÍ MINH"), joining as little
    as that needs ("Ngu y ễn" stays: each part spells a word). ``min_stray``: how many lone
    letters that spell nothing the line needs before it is read as spaced out (running text
    names "Tổ B", "mẫu số B": one such letter there is a label, no split word)."""
    if sum(not is_syllable(t) for t in LONE_LETTER.findall(line)) < min_stray:
        return line  # (a spaced-out copy leaves letters that spell nothing standing alone)
    toks = _SPACED_WORD.findall(line)
    n = len(toks)
    # best[i]: (pieces that are no syllable, -pieces) for toks[i:], and the length of its first piece
    best: list[tuple[tuple[int, int], int]] = [((0, 0), 0)] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        for k in range(1, 5):
            if i + k > n:
                break
            parts = toks[i:i + k]
            # (the last part may carry the punctuation after the word: "M inh,")
            if k > 1 and not all(p.isalpha() and len(p) <= 4 for p in parts[:-1] + [parts[-1].rstrip(",.;:")]):
                break
            joined = "".join(parts)
            core = joined.rstrip(",.;:")
            if k > 1 and not (core.isupper() or core[1:].islower()):
                continue
            bad = int(core.isalpha() and not is_syllable(core))
            if k > 1 and bad:
                continue  # a join must spell a syllable ("ĐẮK LẮK" stays two words)
            (rest_bad, rest_pieces), _ = best[i + k]
            options.append(((bad + rest_bad, rest_pieces - 1), k))
        best[i] = min(options)
    out: list[str] = []
    i = 0
    while i < n:
        k = best[i][1]
        out.append("".join(toks[i:i + k]))
        i += k
    return " ".join(out)


#: the opening of a quoted provision ("“Điều 8. …", "“Khoản 2 …", "“1. …", "“a) …")
_PROVISION_OPENING = re.compile(r"(?:(?:Điều|Khoản|Điểm|Mục|Chương|Phần)\s+[\dIVXLC]+|\d+(?:\.\d+)*\.\s|[a-zđ]\)\s)")
#: a provision named right before its quoted text ("Nội dung tại Điều 1. “Bãi bỏ …")
_PROVISION_BEFORE = re.compile(r"(?:Điều|Khoản|Điểm|Mục)\s+[\dIVXLC]+[a-zđ]?\s*[.:]?\s*$")


def opens_quoted_provision(before: str, quoted: str) -> bool:
    """Whether a “ opens a provision quoted from a law, given the text ``before`` it and the
    text ``quoted`` after it: it opens as one ("“Điều 8. …", "“1. …"), after a colon ("… quy
    định: “…") or after the provision it quotes ("… tại Điều 1. “Bãi bỏ …"), not a slogan or
    a name ("phong trào “Toàn dân …")."""
    return bool(_PROVISION_OPENING.match(quoted.lstrip()) or before.rstrip().endswith(":")
                or _PROVISION_BEFORE.search(before))


#: a regulation's chapter mark ("Chương II", "CHƯƠNG IV"), its roman numeral group 1: one pattern
#: for the folded-text cuts (segment), the line breaks (layout) and the levels (structure)
CHAPTER_MARK = r"(?:Chương|CHƯƠNG)\s+([IVXL]{1,6})"
#: an article or sentence that assigns work to a named body ("Giao Sở X …"): the decision's
#: assigning article (structure) and its one-sentence form (extract_record)
ASSIGNING_OPENING = r"Giao\s+(?=[A-ZĐÀ-Ỹ])"
