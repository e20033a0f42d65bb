#!/usr/bin/env python3
"""Show where extracted records differ from the gold records (for error analysis).

    python scripts/extract_diff.py GOLD_DIR text DIR [SUFFIX]     # <id><SUFFIX> texts (default .txt)
    python scripts/extract_diff.py GOLD_DIR pages DIR             # <id>/page-*.gt.txt joined by \\f
    python scripts/extract_diff.py GOLD_DIR records DIR           # <id>.json records (vanban run -o)
    python scripts/extract_diff.py GOLD_DIR documents DIR         # <id>.json Documents (to_dict), re-extracted

``--flatten`` (anywhere) folds each text to one line first, as ``vanban evaluate extract --flatten``.
"""

import json
import sys
from pathlib import Path

from vanban.extract import extract_record
from vanban.evaluation.extract import page_text as _page_text
from vanban.extract.evaluate import _agency_set, match_items
from vanban.model import Document


def main() -> None:
    argv = [a for a in sys.argv if a != "--flatten"]
    flatten = len(argv) != len(sys.argv)
    gold_dir, mode, src = argv[1], argv[2], Path(argv[3])
    suffix = argv[4] if len(argv) > 4 else ".txt"
    for gp in sorted(Path(gold_dir).glob("*.json")):
        g = json.loads(gp.read_text(encoding="utf-8"))
        doc_id = g["id"]
        if mode in ("records", "documents"):
            path = src / f"{doc_id}.json"
            if not path.exists():
                continue
            data = json.loads(path.read_text(encoding="utf-8"))
            r = data if mode == "records" else extract_record(Document.from_dict(data)).to_dict()
            text = None
        elif mode == "pages":
            if not (src / doc_id).is_dir():
                continue
            text = _page_text(src / doc_id)
        else:
            path = src / f"{doc_id}{suffix}"
            if not path.exists():
                continue
            text = path.read_text(encoding="utf-8")
        if text is not None:
            if flatten:
                text = " ".join(text.split())
            r = extract_record(Document.from_text(text, source=doc_id)).to_dict()
        print("==", doc_id)
        for f in ("type", "number", "issuer", "place", "date", "title"):
            if g["document"].get(f) != r["document"].get(f):
                print(f"  {f}: gold={g['document'].get(f)!r}\n  {' ' * len(f)}  got ={r['document'].get(f)!r}")
        if set(g["legal_bases"]) != set(r["legal_bases"]):
            print("  legal_bases", g["legal_bases"], r["legal_bases"])
        for f in ("purposes", "requirements", "implementation"):
            m = match_items(g[f], r[f], 85)
            mg, mr = {a for a, _, _ in m}, {b for _, b, _ in m}
            for i, x in enumerate(g[f]):
                if i not in mg:
                    print(f"  FN {f}: {x[:110]}")
            for i, x in enumerate(r[f]):
                if i not in mr:
                    print(f"  FP {f}: {x[:110]}")
        for f, k in (("objectives", "text"), ("tasks", "title")):
            gi, ri = g[f], r[f]
            m = match_items([x[k] for x in gi], [x[k] for x in ri], 85)
            mg, mr = {a for a, _, _ in m}, {b for _, b, _ in m}
            for i, x in enumerate(gi):
                if i not in mg:
                    print(f"  FN {f}: {x.get('path', '')} {x[k][:110]}")
            for i, x in enumerate(ri):
                if i not in mr:
                    print(f"  FP {f}: {x.get('path', '')} {x[k][:110]}")
            if f == "tasks":
                for a, b, _ in m:
                    G, R = gi[a], ri[b]
                    if _agency_set(G["lead"]) != _agency_set(R["lead"]) or \
                            _agency_set(G["partners"]) != _agency_set(R["partners"]) or \
                            G["timeframe"] != R["timeframe"]:
                        print(f"  task {G['path']}: lead {G['lead']} / {R['lead']}\n"
                              f"     partners {G['partners']} / {R['partners']}\n"
                              f"     time {G['timeframe']!r} / {R['timeframe']!r}")
            if f == "objectives":
                for a, b, _ in m:
                    gt = [(t["value"], t["unit"], t["year"]) for t in gi[a]["targets"]]
                    rt = [(t["value"], t["unit"], t["year"]) for t in ri[b]["targets"]]
                    if {(float(v), y) for v, _, y in gt} != {(float(v), y) for v, _, y in rt}:
                        print(f"  targets {gi[a]['text'][:60]}\n     gold {gt}\n     got  {rt}")
        if (g.get("signature") or {}) != {k: (r.get("signature") or {}).get(k) for k in ("title", "name")}:
            print("  signature", g.get("signature"), r.get("signature"))


if __name__ == "__main__":
    main()
