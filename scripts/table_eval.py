"""Cell-level accuracy of the ocr stage's ruled-table reading, and the tasks extract makes of it.

Each table of tests/fixtures/tables/*.json (cells transcribed from a real document) is rendered
as ruled pages (landscape unless the fixture says ``"landscape": false``)
(tests.support.synth_tables; the header only on the first page, a group per page, the funding
column spanning the rows of its group), optionally degraded like a scan
(tests.support.synth.degrade), read by vanban's ocr stage page by page, and compared cell by cell:

- structure: the table found with the right number of rows and columns;
- cells whole: a cell's text equal to the transcription (NFC, whitespace folded) in its row and
  column; CER over all cells (edit distance / reference characters);
- tasks: `extract_record` on the OCRed pages, against the tasks the transcription gives (lead and
  partners split as extract splits agency lists, timeframe as written).

    python scripts/table_eval.py                 # 300 and 200 dpi, clean and degraded
    python scripts/table_eval.py --dpi 200 --seeds 1 2 3
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vanban.extract import extract_record  # noqa: E402
from vanban.extract.agencies import split_agencies  # noqa: E402
from vanban.model import Document  # noqa: E402
from vanban.ocr import OcrOptions, ocr_image  # noqa: E402
from tests.support.synth import degrade  # noqa: E402
from tests.support.synth_tables import render_table_page  # noqa: E402


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def expected_tasks(fixture: dict) -> list[dict]:
    out = []
    group = ""
    for page in fixture["pages"]:
        for row in page:
            if isinstance(row, str):
                group = row.split(".")[0]
                continue
            col = {name: k for k, name in enumerate(fixture["header"])}
            lead = next(k for name, k in col.items() if "chủ trì" in name)
            partners = next(k for name, k in col.items() if "phối hợp" in name)
            when = next(k for name, k in col.items() if name.startswith("Thời"))
            out.append({"path": f"{group}.{row[0]}", "lead": split_agencies(row[lead]),
                        "partners": split_agencies(row[partners]) if row[partners] else [],
                        "timeframe": row[when]})
    return out


def run(fixture: dict, dpi: int, seed: int | None) -> dict:
    pages, truths = [], []
    for k, rows in enumerate(fixture["pages"]):
        img, truth = render_table_page(rows, fixture["widths_in"], dpi=dpi, pt=11,
                                       landscape=fixture.get("landscape", True),
                                       header=fixture["header"] if k == 0 else None,
                                       above=["PHỤ LỤC", "Danh mục nhiệm vụ"] if k == 0 else ())
        img.info["dpi"] = (dpi, dpi)
        if seed is not None:
            img = degrade(img, seed=seed + k)
        pages.append(img)
        truths.append(truth)
    stats = {"cells": 0, "whole": 0, "chars": 0, "errors": 0, "structure_ok": 0, "pages": len(pages),
             "misread": []}
    ocr_pages = []
    t0 = time.perf_counter()
    for number, (img, truth) in enumerate(zip(pages, truths), start=1):
        page = ocr_image(img, OcrOptions(), number=number, dpi=dpi)
        ocr_pages.append(page)
        table = page.tables[0] if page.tables else None
        n_rows = max(r for r, _ in truth) + 1
        if table is not None and table.n_rows == n_rows and table.n_cols == len(fixture["header"]):
            stats["structure_ok"] += 1
        got = {(c.row, c.col): norm(c.text) for c in table.cells} if table else {}
        for rc, ref in truth.items():
            ref, hyp = norm(ref), got.get(rc, "")
            stats["cells"] += 1
            stats["chars"] += len(ref)
            d = Levenshtein.distance(ref, hyp)
            stats["errors"] += d
            if d == 0:
                stats["whole"] += 1
            else:
                stats["misread"].append((number, rc, ref, hyp))
    stats["ocr_seconds"] = round(time.perf_counter() - t0, 1)
    record = extract_record(Document(source="<table-eval>", pages=ocr_pages))
    want = expected_tasks(fixture)
    got_tasks = {t.path: t for t in record.tasks}
    stats["tasks_expected"] = len(want)
    stats["paths"] = ([w["path"] for w in want], [t.path for t in record.tasks])
    stats["tasks_found"] = sum(1 for w in want if w["path"] in got_tasks)
    stats["tasks_extra"] = len(record.tasks) - stats["tasks_found"]
    stats["lead_right"] = sum(1 for w in want if w["path"] in got_tasks and got_tasks[w["path"]].lead == w["lead"])
    stats["partners_right"] = sum(1 for w in want if w["path"] in got_tasks
                                  and got_tasks[w["path"]].partners == w["partners"])
    stats["timeframe_right"] = sum(1 for w in want if w["path"] in got_tasks
                                   and got_tasks[w["path"]].timeframe == w["timeframe"])
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, nargs="+", default=[300, 200])
    parser.add_argument("--seeds", type=int, nargs="*", default=[1], help="degradation seeds")
    parser.add_argument("--no-clean", action="store_true", help="only degraded renders")
    parser.add_argument("--show", action="store_true", help="print every misread cell")
    args = parser.parse_args()
    fixtures = sorted((ROOT / "tests" / "fixtures" / "tables").glob("*.json"))
    print("| table | dpi | render | structure | cells whole | cell CER | tasks found | lead | partners "
          "| timeframe | ocr s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for path in fixtures:
        fixture = json.loads(path.read_text(encoding="utf-8"))
        for dpi in args.dpi:
            for seed in ([] if args.no_clean else [None]) + list(args.seeds):
                s = run(fixture, dpi, seed)
                n = s["tasks_expected"]
                print(f"| {path.stem} | {dpi} | {'clean' if seed is None else f'degraded (seed {seed})'} | "
                      f"{s['structure_ok']}/{s['pages']} pages | {s['whole']}/{s['cells']} "
                      f"({100 * s['whole'] / s['cells']:.1f}%) | {100 * s['errors'] / max(1, s['chars']):.2f}% | "
                      f"{s['tasks_found']}/{n} (+{s['tasks_extra']}) | {s['lead_right']}/{n} | "
                      f"{s['partners_right']}/{n} | {s['timeframe_right']}/{n} | {s['ocr_seconds']} |")
                if args.show:
                    if s["paths"][0] != s["paths"][1]:
                        print(f"    task paths: expected {s['paths'][0]}, got {s['paths'][1]}")
                    for number, rc, ref, hyp in s["misread"]:
                        print(f"    page {number} cell {rc}: {ref!r} -> {hyp!r}")


if __name__ == "__main__":
    main()
