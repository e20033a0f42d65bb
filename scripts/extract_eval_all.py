#!/usr/bin/env python3
"""Score every extract evaluation part, as written and flattened, in one process (one table).

    python scripts/extract_eval_all.py [--json OUT] [--records OUT] [PART ...]

PART names a folder of ``eval/extract`` (default: every part there with gold records) or
``plans`` (the 10 dev plans of ``../shared/dev``, skipped when that folder is absent). Each part
is scored as written and with every text folded to one line, as ``vanban evaluate extract
--gold eval/extract/P --from-text eval/extract/P [--flatten]`` does; the table lists the fields
the issue sets bars for. ``--records OUT`` also writes every extracted record (part, flattened
or not, id) to one JSON file, so two runs can be compared record by record.
"""

import argparse
import json
from pathlib import Path

from vanban.evaluation.extract import evaluate_extract_inputs
from vanban.extract import extract_record

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT.parent / "shared" / "dev" / "plans"
COLUMNS = (("header_mean", "hdr"), ("title", "title"), ("purposes", "purp"), ("requirements", "req"),
           ("objectives", "obj"), ("implementation", "impl"), ("tasks", "tasks"),
           ("task_partners", "partn"), ("lead", "lead"), ("timeframe", "time"))


def part_dirs(names):
    base = ROOT / "eval" / "extract"
    if not names:
        names = sorted(p.name for p in base.iterdir() if p.is_dir() and any(p.glob("*.json")))
        names.append("plans")
    out = []
    for n in names:
        if n == "plans":
            if PLANS.is_dir():
                out.append((n, PLANS / "gold", PLANS))
        else:
            out.append((n, base / n, base / n))
    return out


def row(scores):
    f = scores["fields"]
    vals = {"header_mean": scores["header_mean"], "title": scores["header"]["title"],
            "lead": scores["task_lead_accuracy"], "timeframe": scores["task_timeframe_accuracy"]}
    for k in ("purposes", "requirements", "objectives", "implementation", "tasks", "task_partners"):
        vals[k] = f[k]["f1"]
    return vals


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("parts", nargs="*")
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--records", dest="records_out")
    args = ap.parse_args()
    table, records = {}, {}

    def keep(label):
        def extract(doc):
            rec = extract_record(doc)
            records[f"{label} {doc.source}"] = rec.to_dict()
            return rec
        return extract
    print("part".ljust(14) + " ".join(h.rjust(6) for _, h in COLUMNS))
    for name, gold, texts in part_dirs(args.parts):
        for flat in (False, True):
            label = name + (" flat" if flat else "")
            vals = row(evaluate_extract_inputs(gold, text_dir=texts, flatten=flat,
                                                 extract=keep(label)))
            table[label] = vals
            print(label.ljust(14) + " ".join(f"{vals[k]:6.3f}" for k, _ in COLUMNS), flush=True)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(table, indent=1), encoding="utf-8")
    if args.records_out:
        Path(args.records_out).write_text(json.dumps(records, ensure_ascii=False, indent=1),
                                          encoding="utf-8")


if __name__ == "__main__":
    main()
