#!/usr/bin/env python3
"""What the ruled-table step (vanban.ocr.tables) costs, as ratios measured in the same process.

- pages without tables (../shared/dev/scans/*/page-*.jpg): the table search
  (``tables.find_tables``: line masks at 150 dpi, grids) against the page's main Tesseract call
  (``engine.recognize``, psm 3) on the same preprocessed page;
- a rendered task-table page (tests.support.synth_tables, landscape, 5 rows): ``ocr_image`` with the
  step on against off (the cost of reading the cells: one stacked psm-6 call plus re-reads).

Usage: python bench/table_bench.py [--pages 6] [--scans DIR]
Skips the first part (with a message) when the scans are absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vanban import settings  # noqa: E402
from vanban.ocr import OcrOptions, engine, ocr_image, tables  # noqa: E402
from tests.support.synth_tables import TASK_HEADER, render_table_page  # noqa: E402

DEFAULT_SCANS = settings.shared_dev_dir() / "scans"
ROWS = [
    ["1", "Xây dựng cơ sở dữ liệu văn bản quy phạm pháp luật của tỉnh", "Sở Tư pháp",
     "Sở Khoa học và Công nghệ; Văn phòng UBND tỉnh", "Quý II năm 2026", "Cơ sở dữ liệu"],
    ["2", "Tổ chức tập huấn kỹ năng số cho cán bộ, công chức cấp xã", "Sở Nội vụ",
     "UBND các huyện, thị xã, thành phố", "Năm 2026", "Báo cáo kết quả"],
] * 2 + [["5", "Rà soát, đánh giá hiện trạng hạ tầng kỹ thuật", "Sở Xây dựng", "Sở Tài chính",
          "Tháng 6/2026", "Báo cáo"]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scans", type=Path, default=DEFAULT_SCANS)
    ap.add_argument("--pages", type=int, default=6)
    args = ap.parse_args()
    pages = sorted(args.scans.glob("*/page-*.jpg"))[: args.pages] if args.scans.is_dir() else []
    if pages:
        search = ocr = 0.0
        found = 0
        for path in pages:
            gray = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            t = time.perf_counter()
            found += len(tables.find_tables(gray, 300))
            search += time.perf_counter() - t
            t = time.perf_counter()
            engine.recognize(gray, 300, "vie", 3)
            ocr += time.perf_counter() - t
        print(f"pages without tables: {len(pages)} dev scan pages, tables found {found}")
        print(f"  table search {search / len(pages):.3f} s/page, Tesseract {ocr / len(pages):.3f} s/page, "
              f"ratio {search / ocr:.3f}")
    else:
        print(f"no dev scans under {args.scans}: first part skipped")
    img, _ = render_table_page(ROWS, [0.5, 3.0, 1.5, 2.0, 1.3, 1.3], landscape=True,
                               above=["PHỤ LỤC"], header=TASK_HEADER)
    t = time.perf_counter()
    ocr_image(img, OcrOptions(tables=False), dpi=300)
    off = time.perf_counter() - t
    t = time.perf_counter()
    page = ocr_image(img, OcrOptions(), dpi=300)
    on = time.perf_counter() - t
    print(f"task-table page: without the step {off:.2f} s, with it {on:.2f} s (ratio {on / off:.2f}); "
          f"{len(page.tables[0].cells) if page.tables else 0} cells read")


if __name__ == "__main__":
    main()
