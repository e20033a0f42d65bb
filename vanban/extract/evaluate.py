"""Compare plan records with gold records (../shared/dev/GOLD-FORMAT.md).

Per field precision / recall / F1 with items matched one-to-one by fuzzy text similarity
(rapidfuzz ``ratio`` on NFC, space-folded text, best pairs first, above a threshold); header
fields and the signature exact; lead agency accuracy, partners F1 and timeframe accuracy over
the matched tasks; objective scope accuracy and target F1 (value + year) over the matched
objectives. Micro-averaged over documents. The gold folders are read and the records made by
:mod:`vanban.evaluation.extract` (``vanban evaluate extract``).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from .agencies import normalize_agency
from .text import clean

HEADER_FIELDS = ("type", "number", "issuer", "place", "date", "title")
LIST_FIELDS = ("purposes", "requirements", "implementation")


def _norm(text) -> str:
    return clean(text or "")


def match_items(gold: list[str], pred: list[str], threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one matches (gold index, pred index, score), best scores first."""
    pairs = []
    pred_norm = [_norm(p) for p in pred]
    for i, g in enumerate(gold):
        gn = _norm(g)
        for j, pn in enumerate(pred_norm):
            s = fuzz.ratio(gn, pn)
            if s >= threshold:
                pairs.append((s, i, j))
    pairs.sort(reverse=True)
    used_g, used_p, out = set(), set(), []
    for s, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j, s))
    return out


class Counts:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int, n_pred: int, n_gold: int):
        self.tp += tp
        self.fp += n_pred - tp
        self.fn += n_gold - tp

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def _agency_set(names) -> set[str]:
    return {normalize_agency(n) for n in names or []}


def evaluate_records(records: dict[str, dict], golds: dict[str, dict], threshold: float = 85.0) -> dict:
    """Scores of ``records`` (id -> record dict) against ``golds`` (id -> gold dict)."""
    counts = {f: Counts() for f in ("legal_bases", *LIST_FIELDS, "objectives", "tasks",
                                    "task_partners", "objective_targets")}
    header_ok = {f: 0 for f in HEADER_FIELDS}
    header_n = 0
    lead_ok = lead_n = time_ok = scope_ok = scope_n = sig_ok = sig_n = 0
    per_doc = {}
    for doc_id, gold in sorted(golds.items()):
        rec = records.get(doc_id) or {}
        doc_scores = {}

        def matched(field: str, g: list[str], r: list[str]) -> list[tuple[int, int, float]]:
            """Match one field's items, count them, note them for the document."""
            m = match_items(g, r, threshold)
            counts[field].add(len(m), len(r), len(g))
            doc_scores[field] = (len(m), len(r), len(g))  # noqa: B023 (called in this loop turn)
            return m

        header_n += 1
        gd, rd = gold.get("document") or {}, rec.get("document") or {}
        wrong = []
        for f in HEADER_FIELDS:
            if _norm(gd.get(f)) == _norm(rd.get(f)):
                header_ok[f] += 1
            else:
                wrong.append(f)
        doc_scores["header_wrong"] = wrong
        g_lb, r_lb = gold.get("legal_bases") or [], rec.get("legal_bases") or []
        counts["legal_bases"].add(len(set(g_lb) & set(r_lb)), len(set(r_lb)), len(set(g_lb)))
        for f in LIST_FIELDS:
            matched(f, gold.get(f) or [], rec.get(f) or [])
        g_obj, r_obj = gold.get("objectives") or [], rec.get("objectives") or []
        for i, j, _ in matched("objectives", [o["text"] for o in g_obj], [o["text"] for o in r_obj]):
            scope_n += 1
            scope_ok += g_obj[i].get("scope") == r_obj[j].get("scope")
            gt = {(float(t["value"]), t.get("year")) for t in g_obj[i].get("targets") or []}
            rt = {(float(t["value"]), t.get("year")) for t in r_obj[j].get("targets") or []}
            counts["objective_targets"].add(len(gt & rt), len(rt), len(gt))
        g_t, r_t = gold.get("tasks") or [], rec.get("tasks") or []
        for i, j, _ in matched("tasks", [t["title"] for t in g_t], [t["title"] for t in r_t]):
            lead_n += 1
            lead_ok += _agency_set(g_t[i].get("lead")) == _agency_set(r_t[j].get("lead"))
            gp, rp = _agency_set(g_t[i].get("partners")), _agency_set(r_t[j].get("partners"))
            counts["task_partners"].add(len(gp & rp), len(rp), len(gp))
            time_ok += _norm(g_t[i].get("timeframe")) == _norm(r_t[j].get("timeframe"))
        gs, rs = gold.get("signature") or {}, rec.get("signature") or {}
        if gs:
            sig_n += 1
            sig_ok += _norm(gs.get("title")) == _norm(rs.get("title")) and \
                _norm(gs.get("name")) == _norm(rs.get("name"))
        per_doc[doc_id] = doc_scores
    header = {f: round(header_ok[f] / header_n, 4) if header_n else None for f in HEADER_FIELDS}
    return {
        "documents": len(golds),
        "threshold": threshold,
        "header": header,
        "header_mean": round(sum(header.values()) / len(header), 4) if header_n else None,
        "fields": {f: c.as_dict() for f, c in counts.items()},
        "task_lead_accuracy": round(lead_ok / lead_n, 4) if lead_n else None,
        "task_timeframe_accuracy": round(time_ok / lead_n, 4) if lead_n else None,
        "objective_scope_accuracy": round(scope_ok / scope_n, 4) if scope_n else None,
        "signature_accuracy": round(sig_ok / sig_n, 4) if sig_n else None,
        "per_document": per_doc,
    }


def format_report(scores: dict) -> str:
    """A plain-text table of the scores."""
    lines = [f"documents: {scores['documents']}  (items matched at fuzz.ratio >= {scores['threshold']})", "",
             "header field       accuracy"]
    for f, v in scores["header"].items():
        lines.append(f"  {f:<16} {v:.3f}")
    lines.append(f"  {'mean':<16} {scores['header_mean']:.3f}")
    lines += ["", "field              precision  recall     f1     tp   fp   fn"]
    for f, d in scores["fields"].items():
        lines.append(f"  {f:<16} {d['precision']:>9.3f} {d['recall']:>7.3f} {d['f1']:>6.3f} "
                     f"{d['tp']:>6} {d['fp']:>4} {d['fn']:>4}")
    lines.append("")
    for k in ("task_lead_accuracy", "task_timeframe_accuracy", "objective_scope_accuracy",
              "signature_accuracy"):
        v = scores[k]
        lines.append(f"{k}: {v:.3f}" if v is not None else f"{k}: n/a")
    return "\n".join(lines)
