"""Tasks from an appendix table flattened to text ("STT | NHIỆM VỤ | CHỦ TRÌ | PHỐI HỢP | THỜI GIAN").

Rendered or OCRed tables lose their columns; rows are recovered from their numbering (roman
group rows, arabic task rows), the timeframe from the row's end, and lead / partners from the
agency names that follow the task's last sentence.
"""

from __future__ import annotations

import re

from ..model import Task
from .agencies import head_starts, normalize_agency, split_agencies
from .layout import Para
from .text import clean, fold, key

_GROUP = re.compile(r"(?:^|\s)([IVX]{1,5})[\]|)]?\s+(?=[A-ZĐÀ-Ỹ]{2,}\s)")
# a row starts at its number before a capitalised word ("1 Rà soát"; OCR may cap the whole
# first syllable: "1 RÀ soát")
_ROW = re.compile(r"(?:^|(?<=[\s.]))(\d{1,2})\s+(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ]|[A-ZĐÀ-Ỹ]{2,4}\s+[a-zà-ỹđ])")
_TIME = re.compile(r"\s((?:Thường xuyên|Hằng năm|Hàng năm|Định kỳ|Quý\s+[IV]+(?:/|\s+năm\s+)?\d{0,4}|"
                   r"(?:Năm\s+)?\d{4}(?:\s*[-–]\s*\d{4})?)(?:\s*;\s*[^;]{1,30})?)\s*$")
_PRIMARY = {"sở", "ủy", "uỷ", "ubnd", "ban", "liên", "hiệp", "viện", "doanh", "công", "bộ", "trung", "các", "hội", "trường"}


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
