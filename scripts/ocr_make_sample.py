#!/usr/bin/env python3
"""Regenerate the bundled sample scan samples/ke-hoach-sample.pdf (and its page ground truth).

The text is samples/ke-hoach-sample.txt: a public Kế hoạch of Ủy ban nhân dân tỉnh Lai Châu
(No. 7360/KH-UBND, 2025), shortened to fit three pages (sections I-IV kept, some tasks left out),
one paragraph per line with the header and closing run together as in the dev plan texts.

It is laid out in Decree 30/2020 style with tests/support/synth.py, a red seal is printed over the
signature, each page is degraded like a scanner would (small rotation, blur, noise, uneven
light, JPEG re-compression; fixed seeds) and the pages are saved as one PDF of JPEG images.
samples/ke-hoach-sample.gt.txt holds the page texts (form-feed separated) in vanban's reading
order, for checking the OCR.

Usage: python scripts/ocr_make_sample.py [--dpi 300] [--quality 40]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.support, beside vanban in the repository

from tests.support import synth  # noqa: E402
SAMPLES = ROOT / "samples"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--quality", type=int, default=40, help="JPEG quality of the PDF pages")
    ap.add_argument("--seed", type=int, default=7360)
    args = ap.parse_args()
    text = (SAMPLES / "ke-hoach-sample.txt").read_text(encoding="utf-8")
    doc = synth.parse_plan_text(text)
    pages = synth.compose_pages(doc, dpi=args.dpi, body_pt=13.5, seed=args.seed)
    scans = [synth.degrade(p.image, seed=args.seed + p.number, jpeg=None) for p in pages]
    out = SAMPLES / "ke-hoach-sample.pdf"
    synth.save_pdf(scans, out, dpi=args.dpi, quality=args.quality)
    (SAMPLES / "ke-hoach-sample.gt.txt").write_text("\f".join(p.text for p in pages) + "\n",
                                                    encoding="utf-8")
    print(f"{out}: {len(pages)} pages, {out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
