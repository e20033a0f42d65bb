"""Entities of running text found by a spaCy EntityRuler whose patterns are data
(``patterns/entities.json``): dates, document numbers, percentages, rates and counted
quantities. Agency heads are matched in :mod:`.agencies`."""

from __future__ import annotations

import re
from functools import lru_cache

from .text import fold, load_patterns

#: Numbers keep their separators ("3.000", "1,7"); words keep & / . - joins ("208/QĐ-TTg").
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)+(?:/\d+(?:\.\d+)*)?|\w+(?:[&/.-]\w+)*|[^\w\s]", re.UNICODE)


def _fold_pattern(pattern: list[dict]) -> list[dict] | None:
    out, changed = [], False
    for tok in pattern:
        t = dict(tok)
        if isinstance(t.get("LOWER"), str) and fold(t["LOWER"]) != t["LOWER"]:
            t["LOWER"] = fold(t["LOWER"])
            changed = True
        out.append(t)
    return out if changed else None


@lru_cache(maxsize=1)
def _ruler_nlp():
    from .agencies import new_blank_pipeline
    nlp = new_blank_pipeline()
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True})
    pats = []
    for p in load_patterns("entities")["patterns"]:
        pats.append({"label": p["label"], "pattern": p["pattern"]})
        folded = _fold_pattern(p["pattern"])
        if folded:
            pats.append({"label": p["label"], "pattern": folded})
    ruler.add_patterns(pats)
    return nlp


def annotate(text: str, labels: tuple[str, ...] | None = None) -> list[tuple[str, str, int, int]]:
    """(label, text, start char, end char) of the entities in ``text``, in order."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    if not tokens:
        return []
    nlp = _ruler_nlp()  # imports spaCy (agencies.new_blank_pipeline) before the line below
    from spacy.tokens import Doc
    doc = Doc(nlp.vocab, words=[t[0] for t in tokens])
    doc = nlp.get_pipe("entity_ruler")(doc)
    out = []
    for ent in doc.ents:
        if labels and ent.label_ not in labels:
            continue
        s, e = tokens[ent.start][1], tokens[ent.end - 1][2]
        out.append((ent.label_, text[s:e], s, e))
    return out
