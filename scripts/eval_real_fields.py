#!/usr/bin/env python3
"""Header fields from `vanban run` on the transcribed real scans, against the transcriber's reading.

For every ``eval/real-scans/<stem>/fields.json`` whose scan ``<stem>.pdf`` / ``.jpg`` is in the
real-scans folder (default ../shared/dev/real-scans), the whole pipeline runs on the scan and
the record's number, date, issuer and place are graded:

- ``right``: equal (NFC, case, spaces, and old/new tone placement "Uỷ"/"Ủy" ignored); an issuer
  printed under its parent body is right when the record's ``issuer`` plus the locality of its
  ``issuer_parent`` give the transcriber's reading;
- ``partial``: partial and flagged: "…/CT-UBND" with the record's "digits missing" warning and
  the right code; no date but ``date_month`` right with the "day missing" warning;
- ``incomplete``: the issuing unit without the parent the transcriber added (not flagged);
- ``wrong``: anything else (a value that is not the page's, or nothing without a flag).

Usage: python scripts/eval_real_fields.py [--scans DIR] [--ref DIR] [--json OUT] [STEM ...]
Skips (exit 0, with a message) when the scans are absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vanban import settings  # noqa: E402

DEFAULT_SCANS = settings.shared_dev_dir() / "real-scans"
DEFAULT_REF = settings.eval_dir() / "real-scans"

#: old-style tone placement -> new style (both are correct Vietnamese spellings)
_TONE_STYLE = {"uỷ": "ủy", "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
               "uý": "úy", "uỳ": "ùy", "uỹ": "ũy", "uỵ": "ụy"}


#: The head of a parent body's name ("Ủy ban nhân dân thành phố Đà Nẵng" -> its locality).
_PARENT_HEAD = re.compile(r"^\s*(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+", re.IGNORECASE)


def norm(value: str | None) -> str:
    text = unicodedata.normalize("NFC", value or "").lower()
    for old, new in _TONE_STYLE.items():
        text = text.replace(old, new)
    return "".join(text.split())


def grade(field: str, gold, doc: dict, warnings: list[str]) -> str:
    got = doc.get(field)
    if gold is None:
        return "right" if not got else "wrong"
    if norm(got) == norm(gold):
        return "right"
    if field == "issuer" and got and "(header:" in gold:
        # the transcriber's note of the printed header ("(header: CÔNG AN TP ĐÀ NẴNG / PHÒNG ...)")
        printed = gold.split("(header:", 1)[1].rstrip(")").split("/")
        if any(norm(got) == norm(x) for x in printed):
            return "right"
    if field == "issuer" and got and doc.get("issuer_parent"):
        # the record carries the body above the issuer in its own field (schema: issuer_parent,
        # "UBND THÀNH PHỐ ĐÀ NẴNG" above "SỞ GIÁO DỤC VÀ ĐÀO TẠO"); the transcriber wrote the
        # issuer with the parent's locality ("Sở Giáo dục và Đào tạo thành phố Đà Nẵng")
        locality = _PARENT_HEAD.sub("", doc["issuer_parent"])
        if norm(got + " " + locality) == norm(gold):
            return "right"
    if field == "issuer" and got and norm(gold).startswith(norm(got)):
        return "incomplete"  # the issuing unit without its parent ("Sở GD&ĐT" of "... thành phố Đà Nẵng")
    if field == "number" and got and got.startswith("…") \
            and any(w.startswith("number: digits missing") for w in warnings):
        return "partial" if norm(got[1:]) == norm(gold[gold.index("/"):] if "/" in gold else gold) else "wrong"
    if field == "date" and not got and doc.get("date_month") == str(gold)[:7] \
            and any(w.startswith("date: day missing") for w in warnings):
        return "partial"
    return "wrong"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scans", type=Path, default=DEFAULT_SCANS)
    ap.add_argument("--ref", type=Path, default=DEFAULT_REF)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("stems", nargs="*")
    args = ap.parse_args()
    if not args.scans.is_dir():
        print(f"eval_real_fields: no real scans under {args.scans}; skipped")
        return 0
    from vanban.pipeline import PipelineOptions, process_path
    rows = []
    for fields_file in sorted(args.ref.glob("*/fields.json")):
        stem = fields_file.parent.name
        if args.stems and stem not in args.stems:
            continue
        scan = next((args.scans / (stem + s) for s in (".pdf", ".jpg") if (args.scans / (stem + s)).exists()), None)
        if scan is None:
            continue
        gold = json.loads(fields_file.read_text(encoding="utf-8"))
        record = process_path(scan, PipelineOptions(jobs=1)).record
        doc = record.document
        row = {"doc": stem}
        for field in ("number", "date", "issuer", "place"):
            row[field] = {"gold": gold.get(field), "got": doc.get(field),
                          "grade": grade(field, gold.get(field), doc, record.warnings)}
        if doc.get("date_month"):
            row["date"]["date_month"] = doc["date_month"]
        rows.append(row)
        print(f"| {stem} | " + " | ".join(f"{row[f]['grade']}: {row[f]['got']}" for f in
                                          ("number", "date", "issuer", "place")) + " |", flush=True)
    counts = {g: sum(1 for r in rows for f in ("number", "date", "issuer", "place") if r[f]["grade"] == g)
              for g in ("right", "partial", "incomplete", "wrong")}
    print(f"{len(rows)} documents: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "counts": counts}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
