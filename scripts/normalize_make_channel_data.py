#!/usr/bin/env python3
"""Render corpus sentences, OCR them with Tesseract's English model, keep (gold, ocr) pages.

These pairs teach the legacy-OCR channel model (vanban/normalize/channel.py) how an
English-model OCR mangles Vietnamese letters. Only the training corpus is rendered, without
the corpus's copies of the dev documents and without the held-out slice. Deterministic for a
given seed.

    nice -n 10 python scripts/normalize_make_channel_data.py --pages 40 --out "$VANBAN_CACHE/channel"

``--holdout`` renders the held-out corpus slice instead (documents neither the LM nor the
channel learns from): legacy pairs to measure on, never to train on.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vanban import settings  # noqa: E402
from vanban.normalize.training import (DEFAULT_CORPUS, dev_document_ids,  # noqa: E402
                                       holdout_documents, is_holdout_document, read_documents)


def sample_paragraphs(corpus: Path, n: int, seed: int) -> list[str]:
    """``n`` paragraphs of administrative text (tvpl/congbot sources preferred), seeded."""
    rng = random.Random(seed)
    pool: list[str] = []
    dev_ids = dev_document_ids(corpus.parent.parent)  # never render the dev documents
    for doc in read_documents(corpus):
        if doc.get("id") in dev_ids or is_holdout_document(doc):
            continue
        paras = [p.strip() for p in doc["text"].split("\n") if 20 <= len(p.strip()) <= 600]
        keep = 0.6 if doc.get("source") in ("tvpl", "congbot") else 0.01
        pool.extend(p for p in paras if rng.random() < keep)
    rng.shuffle(pool)
    return pool[:n]


def holdout_paragraphs(corpus: Path, seed: int) -> list[str]:
    """The held-out slice's paragraphs (measurement only), seeded order."""
    paras = [p.strip() for _, text in holdout_documents(corpus) for p in text.split("\n")
             if 20 <= len(p.strip()) <= 600]
    random.Random(seed).shuffle(paras)
    return paras


def make_pages(paras: list[str], pages: int, seed: int, out: Path, psm: int = 6,
               first: int = 0) -> None:
    """Render and OCR pages ``first`` .. ``pages - 1`` (the pages before ``first`` are laid
    out but not written, so that two processes can share one seed's pages: --first)."""
    from tests.support.synth import degrade, load_font, render_lines, wrap_text
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    width, dpi = 2480, 300
    margin = width // 12
    it = iter(paras)
    for page in range(pages):
        style = "bold" if page % 7 == 3 else "regular"
        pt = rng.choice([12.5, 13, 13.5, 14])
        font = load_font(pt, dpi, style)
        lines: list[str] = []
        while len(lines) < 42:
            para = next(it)
            if rng.random() < 0.15:
                para = para.upper()
            lines.extend(wrap_text(para, font, width - 2 * margin - 40))
        lines = lines[:42]
        if page < first:
            continue
        img = render_lines(lines, width_px=width, dpi=dpi, font_pt=pt, style=style)
        variant = "degraded" if page % 2 else "clean"
        if variant == "degraded":
            img = degrade(img, seed=seed * 1000 + page)
        stem = out / f"page-{page:03d}.{variant}"
        Path(f"{stem}.gold.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "p.png"
            img.save(path, dpi=(dpi, dpi))
            env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
            txt = subprocess.run(["tesseract", str(path), "-", "-l", "eng", "--psm", str(psm)],
                                 check=True, capture_output=True, text=True, env=env).stdout
        Path(f"{stem}.ocr.txt").write_text(txt, encoding="utf-8")
        print(f"page {page} {variant} done", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=settings.cache_dir("channel"))
    ap.add_argument("--holdout", action="store_true",
                    help="render the held-out corpus slice (pairs to measure on, not to train)")
    ap.add_argument("--psm", type=int, default=6, help="tesseract page segmentation mode")
    ap.add_argument("--first", type=int, default=0,
                    help="skip the pages before this one (the same pages as a whole run: "
                    "split a long run over processes)")
    args = ap.parse_args()
    if args.holdout:
        paras = holdout_paragraphs(args.corpus, args.seed)
    else:
        paras = sample_paragraphs(args.corpus, args.pages * 60, args.seed)
    make_pages(paras, args.pages, args.seed, args.out, args.psm, args.first)


if __name__ == "__main__":
    main()
