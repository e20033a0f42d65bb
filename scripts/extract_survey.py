"""Survey of extract on unseen documents: run vanban.extract over the corpus's real 2025
administrative texts (sources tvpl and congbot, the dev documents left out) and tally failure
modes: crashes, header fields missing, headings present in the text without their items,
tasks that say "chủ trì" without a lead, missing signatures.

Usage (from the repository root, ../shared beside it):
    nice -n 10 .venv/bin/python scripts/extract_survey.py [--show CATEGORY|all] [--json OUT]
"""
import collections
import glob
import json
import os
import re
import sys
import time

from vanban import settings
from vanban.extract import extract_record
from vanban.normalize.training import DEFAULT_CORPUS, read_documents
from vanban.text import fold_diacritics as fold

SHARED = settings.shared_dir()
DEV = {os.path.basename(p)[:-4] for p in glob.glob(str(SHARED / "dev" / "plans" / "*.txt"))}

def kind_of(text):
    head = fold("\n".join(text.split("\n")[:25])).upper()
    # a plan anywhere (also the plan attached to a Quyết định ban hành Kế hoạch)
    if re.search(r"^\s*KE HOACH\s*$", fold(text).upper(), re.M) or re.search(r"^\s*KE HOACH\b", head, re.M):
        return "KH"
    for k, pat in (("QD", r"^\s*QUYET DINH\b"), ("CT", r"^\s*CHI THI\b")):
        if re.search(pat, head, re.M) or re.search(pat.replace("^\\s*", r"\bSo\s*:.{0,400}"), head):
            return k
    return None

def heading(text, pat):
    # a heading line: roman/arabic marked or all caps line holding the keyword
    for ln in text.split("\n"):
        f = fold(ln).strip()
        if len(f) > 160:
            continue
        if re.search(pat, f.upper()) and (f.upper() == f or re.match(r"^([IVX]+|\d+|[A-Z])[.)]", f)):
            return True
    return False

def main():
    show = sys.argv[sys.argv.index("--show") + 1] if "--show" in sys.argv else None
    out = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    tallies = {k: collections.Counter() for k in ("KH", "QD", "CT", "OTHER")}
    flagged = collections.defaultdict(list)
    n = 0
    t0 = time.time()
    for d in read_documents(DEFAULT_CORPUS):
        if d["source"] not in ("tvpl", "congbot") or d["id"] in DEV:
            continue
        text = d["text"]
        k = kind_of(text) or "OTHER"
        T = tallies[k]
        T["docs"] += 1
        def flag(cat, T=T, k=k, d=d):  # this document's tallies
            T[cat] += 1
            flagged[(k, cat)].append(d["id"])
        try:
            r = extract_record(text)
        except Exception as e:
            flag("crash:" + type(e).__name__)
            continue
        doc = r.document
        cut = re.search(r"\n(Căn cứ|Thực hiện|Theo đề nghị|Kính gửi)", text[:2500])
        fh = fold(text[:cut.start() if cut else 1200])
        present = {"type": True, "title": True, "issuer": True,
                   "number": bool(re.search(r"\bSo\s*:", fh)),
                   "date": bool(re.search(r"ngay\s+\d+\s+thang\s+\d+\s+nam", fh)),
                   "place": bool(re.search(r"\w,\s*ngay\s+\d+\s+thang", fh))}
        if k == "OTHER":
            n += 1
            continue
        for f in ("type", "number", "issuer", "place", "date", "title"):
            if not doc.get(f):
                flag("missing_" + f + ("" if present[f] else "(absent)"))
        if doc.get("title") and len(doc["title"]) > 400:
            flag("long_title")
        if k == "KH":
            if heading(text, r"MUC DICH|YEU CAU") and not (r.purposes or r.requirements):
                flag("purp_req_heading_no_items")
            if heading(text, r"MUC TIEU") and not r.objectives:
                flag("objectives_heading_no_items")
            if heading(text, r"NHIEM VU|GIAI PHAP") and not r.tasks:
                flag("tasks_heading_no_items")
            if heading(text, r"TO CHUC THUC HIEN") and not r.implementation:
                flag("impl_heading_no_items")
        if any(not t.lead and "chủ trì" in (t.text or "").lower() for t in r.tasks):
            flag("task_chutri_no_lead")
        items = list(r.purposes) + list(r.requirements) + [o.text for o in r.objectives] + \
            [t.text or "" for t in r.tasks] + list(r.implementation)
        if any(len(x) > 3000 for x in items):
            flag("long_item")
        pre = text[:text.find("\nI.")] if "\nI." in text else text[:3000]
        if re.search(r"Căn cứ[^\n]{0,200}số", pre) and not r.legal_bases:
            flag("legal_bases_empty")
        if not r.signature or not r.signature.get("name"):
            flag("signature_missing")
        n += 1
    for k, T in tallies.items():
        print(f"== {k}: " + ", ".join(f"{c}={v}" for c, v in sorted(T.items())))
    print(f"{time.time()-t0:.1f}s")
    if show:
        for (k, cat), ids in flagged.items():
            if cat == show or show == "all":
                print(k, cat, ids[:40])
    if out:
        json.dump({f"{k}|{c}": v for (k, c), v in flagged.items()}, open(out, "w"), indent=1)

main()
