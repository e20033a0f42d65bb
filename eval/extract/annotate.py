"""Check a hand-annotated part's gold records and write them as JSON.

The annotation of a part (`val2/` ... `val5/`) is its `gold.yaml`: the gold records written by hand
from reading each text, every judgment call a comment beside its record or task. A field left out
of a record or task is empty (`[]` or `null`). `ignore_spaces` in the file says whether a string
also counts as found when only spaces differ (texts copied from web pages break words with stray
spaces). A record's `composed` lists the few values the annotator put together from two places of
the text (an issuer whose place name stands elsewhere in the text); they are not looked up, and each
has its comment in `gold.yaml`.

A run checks that every hand-typed string (header fields, legal bases, purposes, requirements,
objective texts, task titles, agency names, timeframes, implementation items, signature) occurs in
the document text (case-insensitive, whitespace folded) and rewrites `<id>.json` beside each
`<id>.txt`. Conventions: `CONVENTIONS.md`.

Usage: `python3 eval/extract/annotate.py eval/extract/val2`.
"""
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

DOCUMENT_FIELDS = ("type", "number", "issuer", "place", "date", "title")


def fold(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip().casefold()


def task(path, title, lead=(), partners=(), timeframe=None):
    return {"path": path, "title": title, "lead": list(lead), "partners": list(partners),
            "timeframe": timeframe}


def record(id, document, legal_bases=(), tasks=(), signature=None, purposes=(),
           requirements=(), objectives=(), implementation=()):
    """A gold record, in the JSON's field order, from one entry of `gold.yaml`."""
    unknown = set(document) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValueError(f"{id}: unknown document fields {sorted(unknown)}")
    return {"id": id, "document": {k: document.get(k) for k in DOCUMENT_FIELDS},
            "legal_bases": list(legal_bases), "purposes": list(purposes),
            "requirements": list(requirements), "objectives": list(objectives),
            "tasks": [task(**t) for t in tasks], "implementation": list(implementation),
            "signature": signature}


def strings_to_check(rec):
    doc = rec["document"]
    yield from (doc[k] for k in ("number", "issuer", "place", "title") if doc[k])
    yield from rec["legal_bases"]
    yield from rec["purposes"]
    yield from rec["requirements"]
    yield from (o["text"] for o in rec["objectives"])
    yield from rec["implementation"]
    for t in rec["tasks"]:
        yield t["title"]
        yield from t["lead"]
        yield from t["partners"]
        if t["timeframe"]:
            yield from t["timeframe"].split("; ")
    if rec["signature"]:
        yield from rec["signature"].values()


def occurs(s, text, ignore_spaces=False):
    """Whether `s` stands in the folded `text`; with `ignore_spaces`, also when only spaces differ."""
    needle = fold(s)
    if needle in text:
        return True
    return ignore_spaces and needle.replace(" ", "") in text.replace(" ", "")


def read_gold(folder: Path):
    """The gold records of `folder/gold.yaml`, and the hand-typed strings of each that do not occur
    in its `folder/<id>.txt` (as `(id, string)` pairs)."""
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))
    ignore_spaces = gold["ignore_spaces"]
    records, missing = [], []
    for entry in gold["records"]:
        entry = dict(entry)
        composed = set(entry.pop("composed", ()))
        rec = record(**entry)
        text = fold((folder / f"{rec['id']}.txt").read_text(encoding="utf-8"))
        missing += [(rec["id"], s) for s in strings_to_check(rec)
                    if s not in composed and not occurs(s, text, ignore_spaces)]
        records.append(rec)
    return records, missing


def as_json(rec) -> str:
    return json.dumps(rec, ensure_ascii=False, indent=1) + "\n"


def write_gold(folder: Path) -> int:
    """Check each record of `folder/gold.yaml` against `folder/<id>.txt`, write `folder/<id>.json`;
    the exit code."""
    records, missing = read_gold(folder)
    for id_, s in missing:
        print(f"{id_}: not in text: {s!r}", file=sys.stderr)
    for rec in records:
        (folder / f"{rec['id']}.json").write_text(as_json(rec), encoding="utf-8")
    print(f"{len(records)} records written, {len(missing)} strings not found")
    return 1 if missing else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(write_gold(Path(sys.argv[1])))
