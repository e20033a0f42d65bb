#!/usr/bin/env python3
"""Write what the restorer makes of every evaluation text into a folder, one file per text
and mode, so that two versions of the code can be compared byte for byte (``cmp``/``diff
-r``): a change meant to be faster only must leave every file as it was.

    nice python scripts/normalize_dump_restore.py --out /tmp/restore-new
    diff -r /tmp/restore-old /tmp/restore-new && echo same

The texts are those of ``vanban evaluate restore``: the dev plans (stripped and correct), the
held-out corpus slice, the held-out Wikipedia blocks, the legacy dev dumps and, where their
Tesseract vie outputs are cached, the dev scans. Each output file holds the restored text and
then every change with its confidence (``--no-confidence`` leaves them out).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vanban import settings  # noqa: E402
from vanban.normalize import restore_text, strip_diacritics  # noqa: E402
from vanban.normalize.training import (GENERAL_TEXT_NAME, general_holdout_documents,  # noqa: E402
                                       holdout_documents)


def texts(shared: Path, sets: set[str]):
    """(name, mode, text) of every evaluation text."""
    plans = sorted((shared / "dev" / "plans").glob("*.txt"))
    for p in plans:
        gold = p.read_text(encoding="utf-8")
        if "stripped" in sets:
            yield f"plans/{p.stem}.stripped", "stripped", strip_diacritics(gold)
        if "unchanged" in sets:
            yield f"plans/{p.stem}.ocr", "ocr", gold
    corpus = shared / "corpus" / "train_corpus.jsonl.xz"
    if "holdout" in sets and corpus.is_file():
        for i, (_, text) in enumerate(holdout_documents(corpus)):
            yield f"holdout/{i:03d}.stripped", "stripped", strip_diacritics(text)
            yield f"holdout/{i:03d}.ocr", "ocr", text
    general = shared / "corpus" / GENERAL_TEXT_NAME
    if "general" in sets and general.is_file():
        for i, (_, text) in enumerate(general_holdout_documents(general)):
            yield f"general/{i:03d}.stripped", "stripped", strip_diacritics(text)
            yield f"general/{i:03d}.ocr", "ocr", text
    if "legacy" in sets:
        for f in sorted((shared / "dev" / "legacy").glob("*.eng.txt")):
            yield f"legacy/{f.stem}", "legacy", f.read_text(encoding="utf-8")
    if "vie-ocr" in sets:
        for f in sorted(settings.cache_dir("vie-ocr").glob("*/page-*.vie.txt")):
            yield f"vie-ocr/{f.parent.name}-{f.stem}", "ocr", f.read_text(encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True, help="a new or empty folder")
    ap.add_argument("--shared", type=Path, default=None)
    ap.add_argument("--set", dest="sets", action="append",
                    choices=["stripped", "unchanged", "holdout", "general", "legacy", "vie-ocr"])
    ap.add_argument("--no-confidence", action="store_true")
    args = ap.parse_args()
    shared = args.shared or settings.shared_dir()
    sets = set(args.sets or ["stripped", "unchanged", "holdout", "general", "legacy", "vie-ocr"])
    if args.out.exists() and any(args.out.iterdir()):
        sys.exit(f"error: {args.out} is not empty")
    n = 0
    for name, mode, text in texts(shared, sets):
        result = restore_text(text, mode, with_confidence=not args.no_confidence)
        path = args.out / f"{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [result.text, "", f"admin_share {result.admin_share!r}"]
        lines += [json.dumps(c.to_dict(), ensure_ascii=False) for c in result.changes]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        n += 1
    print(f"{n} texts written to {args.out}")


if __name__ == "__main__":
    main()
