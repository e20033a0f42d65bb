#!/usr/bin/env python3
"""Robustness of vanban's OCR on real pages re-scanned synthetically, against raw Tesseract.

The transcribed real pages (``eval/real-scans``, images in ../shared/dev/real-scans) have been
tuned on; new scans differ from them in ways an archive's scans differ from one another: a page
fed askew, turned, scanned at a lower resolution, in grey, saved as a poor JPEG, on yellowed
paper under uneven light. Each variant below is made from the page image vanban reads, and both
vanban (``ocr_image``, all steps on) and raw ``tesseract IMAGE stdout -l vie`` read the SAME
variant image (a lossless PNG with its DPI tag for Tesseract). CER against the page's
transcription (:func:`vanban.ocr.evaluate.cer`), micro-averaged over the pages.

Variants: ``original``; ``rot+3`` ... ``rot-12`` (rotated counter-clockwise by the angle, the
page grown to hold it, white fill); ``turn90`` / ``turn180`` (the page turned, as a sheet fed
sideways or upside down); ``dpi200`` / ``dpi150`` (downscaled from the scan resolution, area
interpolation); ``grey``; ``jpeg30`` (JPEG quality 30); ``yellowed`` (paper tinted yellow,
type faded by 20%, light falling off by 35% from a corner).

Usage: python bench/ocr_robustness.py [--pages a/p1,b/p2] [--variants rot+7,turn90]
       [--jobs 1] [--json OUT] [--raw-from EARLIER.json]
``--raw-from``: take raw Tesseract's numbers from an earlier ``--json`` output (they do not
depend on vanban's code), so that only vanban is run again after a change.
Skips (exit 0, with a message) when the scans or the transcriptions are absent.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vanban.evaluation.ocr import _page_image, default_real, default_transcripts, transcribed_cases  # noqa: E402
from vanban.executors import make_executor  # noqa: E402
from vanban.ocr import OcrOptions, ocr_image  # noqa: E402
from vanban.ocr.evaluate import cer  # noqa: E402

#: One page of each transcribed document that is no handwritten form (a mix of clean print,
#: seals and signature stamps, a 1999 typewritten page, a bilevel scan, a school notice).
DEFAULT_PAGES = ("qng-ct11-2024/p2", "qng-ct16-2021/p1", "qng-tb660-2024/p1", "qng-ttr09-2025/p3",
                 "qng-cv299-2025/p1", "caobang-qd157-1999/p1", "2/p2", "vpcp-cv3722-2026/p1")

VARIANTS = ("original", "rot+3", "rot-3", "rot+7", "rot-7", "rot+12", "rot-12", "turn90", "turn180",
            "dpi200", "dpi150", "grey", "jpeg30", "yellowed")


def make_variant(img: Image.Image, dpi: float | None, name: str) -> tuple[Image.Image, float]:
    """The page ``img`` (at ``dpi``, 300 when unknown) re-scanned as variant ``name``."""
    dpi = dpi or 300.0
    rgb = img.convert("RGB")
    if name == "original":
        return rgb, dpi
    if name.startswith("rot"):
        return rgb.rotate(float(name[3:]), resample=Image.BILINEAR, expand=True, fillcolor="white"), dpi
    if name.startswith("turn"):
        return rgb.rotate(-int(name[4:]), expand=True), dpi  # clockwise, as a sheet fed turned
    if name.startswith("dpi"):
        target = float(name[3:])
        if target >= dpi:
            return rgb, dpi
        f = target / dpi
        arr = cv2.resize(np.asarray(rgb), (round(rgb.width * f), round(rgb.height * f)),
                         interpolation=cv2.INTER_AREA)
        return Image.fromarray(arr), target
    if name == "grey":
        return rgb.convert("L"), dpi
    if name == "jpeg30":
        buf = io.BytesIO()
        rgb.save(buf, "JPEG", quality=30)
        buf.seek(0)
        return Image.open(buf).convert("RGB"), dpi
    if name == "yellowed":
        arr = np.asarray(rgb, dtype=np.float32)
        arr = 255.0 - (255.0 - arr) * 0.8  # faded type
        arr = arr * (np.array([246, 234, 196], np.float32) / 255.0)  # yellowed paper
        h, w = arr.shape[:2]
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        dist = np.hypot(xx / w, yy / h) / math.sqrt(2)  # light falls off from the top-left
        arr = arr * (1.0 - 0.35 * dist)[..., None]
        return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), dpi
    raise ValueError(f"unknown variant {name}")


def raw_text(img: Image.Image, dpi: float) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="vanban-robust-") as tmp:
        path = Path(tmp) / "page.png"
        img.save(path, dpi=(dpi, dpi))
        return subprocess.run(["tesseract", str(path), "stdout", "-l", "vie"], env=env,
                              capture_output=True, text=True, check=True).stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", default=",".join(DEFAULT_PAGES))
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--raw-from", type=Path)
    args = ap.parse_args()
    real, transcripts = default_real(), default_transcripts()
    if not real.is_dir() or not transcripts.is_dir():
        print(f"skipped: no real scans ({real}) or transcriptions ({transcripts})")
        return 0
    wanted = args.pages.split(",")
    cases = [c for c in transcribed_cases(real, transcripts) if c.name in wanted]
    variants = args.variants.split(",")
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown or not cases:
        print(f"unknown variant(s) {unknown}" if unknown else "no page found", file=sys.stderr)
        return 2
    earlier = json.loads(args.raw_from.read_text()) if args.raw_from else {}
    pages = {c.name: _page_image(c) for c in cases}
    golds = {c.name: c.gold.read_text(encoding="utf-8") for c in cases}

    def run(task: tuple[str, str, str]) -> tuple[str, str, str, tuple[int, int], float]:
        system, page, variant = task
        img, dpi = make_variant(*pages[page], variant)
        t0 = time.perf_counter()
        text = raw_text(img, dpi) if system == "raw" else ocr_image(img, OcrOptions(), dpi=dpi).text
        return system, page, variant, cer(golds[page], text), time.perf_counter() - t0

    tasks = [(s, c.name, v) for v in variants for c in cases for s in ("raw", "vanban")
             if not (s == "raw" and f"raw|{c.name}|{v}" in earlier)]
    results = {k: v for k, v in earlier.items() if k.startswith("raw|")}
    with make_executor("thread", max(1, args.jobs)) as pool:
        for system, page, variant, (dist, length), secs in pool.map(run, tasks):
            results[f"{system}|{page}|{variant}"] = [dist, length, round(secs, 2)]
            print(f"{variant:9} {page:24} {system:6} {dist / max(1, length) * 100:6.2f}%  {secs:5.1f}s",
                  file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(f"{len(cases)} pages: {', '.join(c.name for c in cases)}\n")
    print("| variant | raw tesseract | vanban | pages vanban > raw | vanban s/page |")
    print("|---|---|---|---|---|")
    for v in variants:
        tot = {"raw": [0, 0], "vanban": [0, 0]}
        worse, secs = [], 0.0
        for c in cases:
            r, b = results[f"raw|{c.name}|{v}"], results[f"vanban|{c.name}|{v}"]
            for key, entry in (("raw", r), ("vanban", b)):
                tot[key][0] += entry[0]
                tot[key][1] += entry[1]
            secs += b[2]
            if b[0] > r[0]:
                worse.append(f"{c.name} ({b[0]} vs {r[0]})")
        print(f"| {v} | {tot['raw'][0] / max(1, tot['raw'][1]) * 100:.2f}% "
              f"| {tot['vanban'][0] / max(1, tot['vanban'][1]) * 100:.2f}% "
              f"| {len(worse)}{': ' + ', '.join(worse) if worse else ''} | {secs / len(cases):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
