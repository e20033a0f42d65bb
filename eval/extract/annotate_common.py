"""What the hand-written annotation scripts (`val2/annotate.py`, `val3/annotate.py`) share.

Each script is the annotation itself: every judgment call is visible there, as a list of gold
records built with `record`, `task`, `header` and `headerless`. Running it calls `write_gold`,
which checks that every hand-typed string (item texts, agency names, timeframes, numbers) occurs
in the document text (case-insensitive, whitespace folded) and rewrites `<id>.json` beside each
`<id>.txt`. Conventions: `CONVENTIONS.md`.
"""
import json
import re
import sys
import unicodedata


def fold(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip().casefold()


def task(path, title, lead=(), partners=(), timeframe=None):
    return {"path": path, "title": title, "lead": list(lead), "partners": list(partners),
            "timeframe": timeframe}


def record(doc_id, document, legal_bases=(), tasks=(), signature=None, purposes=(),
           requirements=(), objectives=(), implementation=()):
    return {"id": doc_id, "document": document, "legal_bases": list(legal_bases),
            "purposes": list(purposes), "requirements": list(requirements),
            "objectives": list(objectives), "tasks": list(tasks),
            "implementation": list(implementation), "signature": signature}


def header(kind, number, issuer, place, date, title):
    """The document block of a text whose header is read (any field may be None)."""
    return {"type": kind, "number": number, "issuer": issuer, "place": place, "date": date, "title": title}


def headerless(kind):
    return header(kind, None, None, None, None, None)


def strings_to_check(rec):
    doc = rec["document"]
    yield from (doc[k] for k in ("number", "issuer", "place", "title") if doc[k])
    yield from rec["legal_bases"]
    for t in rec["tasks"]:
        yield t["title"]
        yield from t["lead"]
        yield from t["partners"]
        if t["timeframe"]:
            yield from t["timeframe"].split("; ")
    if rec["signature"]:
        yield from rec["signature"].values()


def occurs(s, text, ignore_spaces=False):
    """Whether `s` stands in the folded `text`; with `ignore_spaces`, also when only spaces differ
    (texts copied from web pages break words with stray spaces)."""
    needle = fold(s)
    if needle in text:
        return True
    return ignore_spaces and needle.replace(" ", "") in text.replace(" ", "")


def write_gold(records, folder, ignore_spaces=False) -> int:
    """Check each record's strings against `folder/<id>.txt`, write `folder/<id>.json`; the exit code."""
    bad = 0
    for rec in records:
        text = fold((folder / f"{rec['id']}.txt").read_text(encoding="utf-8"))
        for s in strings_to_check(rec):
            if not occurs(s, text, ignore_spaces):
                print(f"{rec['id']}: not in text: {s!r}", file=sys.stderr)
                bad += 1
        out = folder / f"{rec['id']}.json"
        out.write_text(json.dumps(rec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(records)} records written, {bad} strings not found")
    return 1 if bad else 0
