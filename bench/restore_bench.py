#!/usr/bin/env python3
"""Speed of diacritic restoration on one core, against pyvi in the same run.

    nice -n 10 python bench/restore_bench.py [--shared ../shared] [--repeat 3]

Text: the dev plan texts stripped of diacritics (or the test sentences when ../shared is
absent), and the general-language held-out text (Wikipedia blocks, which the mixture with
the general model restores) when ../shared has it, and the legacy English-model OCR dumps
of the dev plans (``dev/legacy/*.clean.eng.txt``) restored in ``legacy`` mode. Reports syllables/s for vanban (with and
without per-change confidences) and for pyvi's ViUtils.add_accents, the ratios, model load
time (wall and CPU) and peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vanban import settings  # noqa: E402


def _text(shared: Path) -> str:
    from vanban.normalize import strip_diacritics
    plans = sorted((shared / "dev" / "plans").glob("*.txt"))
    if plans:
        return strip_diacritics("\n".join(p.read_text(encoding="utf-8") for p in plans))
    from tests.test_normalize import SENTENCES  # noqa: E402
    return strip_diacritics("\n".join(SENTENCES * 400))


def _general_text(shared: Path) -> list[str] | None:
    """The general-language held-out documents, stripped, one after another."""
    from vanban.normalize import strip_diacritics
    from vanban.normalize.training import GENERAL_TEXT_NAME, general_holdout_documents
    path = shared / "corpus" / GENERAL_TEXT_NAME
    if not path.is_file():
        return None
    # Each document is restored on its own (the mixture weight is per document).
    return [strip_diacritics(t) for _, t in general_holdout_documents(path)]


def _legacy_text(shared: Path) -> list[str] | None:
    """The legacy English-model OCR dumps of the dev plans, each restored on its own."""
    files = sorted((shared / "dev" / "legacy").glob("*.clean.eng.txt"))
    return [f.read_text(encoding="utf-8") for f in files] or None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=settings.shared_dir())
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from vanban.normalize import preload, restore_text
    from vanban.normalize.evaluate import _pyvi, word_tokens
    t, c = time.perf_counter(), time.process_time()
    preload()
    load_s, load_cpu = time.perf_counter() - t, time.process_time() - c
    text = _text(args.shared)
    n_syll = len(word_tokens(text))
    general = _general_text(args.shared)
    legacy = _legacy_text(args.shared)
    rows = []
    # CPU-time speeds too: on a crowded machine wall time swings with the load (the two
    # systems of a ratio run at different moments), CPU time much less.
    cpu: dict[str, float] = {}

    def timed(name, fn, sample=text):
        n = len(word_tokens(sample)) if isinstance(sample, str) else \
            sum(len(word_tokens(d)) for d in sample)
        best, best_cpu = float("inf"), float("inf")
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            fn(sample)
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
        rows.append((name, n / best, best))
        cpu[name] = n / best_cpu

    timed("vanban stripped", lambda s: restore_text(s, "stripped", with_confidence=False))
    timed("vanban stripped + confidences", lambda s: restore_text(s, "stripped"))
    pyvi = _pyvi()
    if pyvi:
        timed("pyvi add_accents", pyvi)
    if general:
        timed("vanban stripped, general text", lambda docs: [
            restore_text(d, "stripped", with_confidence=False) for d in docs], general)
        if pyvi:
            timed("pyvi add_accents, general text", lambda docs: [pyvi(d) for d in docs],
                  general)
    if legacy:
        timed("vanban legacy OCR dumps", lambda docs: [
            restore_text(d, "legacy", with_confidence=False) for d in docs], legacy)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"text: {n_syll:,} syllables; model load {load_s:.2f}s ({load_cpu:.2f}s CPU); "
          f"peak RSS {rss / 1024:.0f} MB (before import {rss0 / 1024:.0f} MB); one core")
    print("| system | syllables/s | seconds | syllables per CPU second |\n|---|---:|---:|---:|")
    for name, sps, secs in rows:
        print(f"| {name} | {sps:,.0f} | {secs:.2f} | {cpu[name]:,.0f} |")
    speed = {name: sps for name, sps, _ in rows}
    if pyvi:
        print(f"vanban / pyvi speed ratio: {rows[0][1] / rows[2][1]:.2f}x "
              f"(CPU time: {cpu['vanban stripped'] / cpu['pyvi add_accents']:.2f}x)")
        if general:
            print(f"general text, vanban / pyvi speed ratio: {rows[3][1] / rows[4][1]:.2f}x")
        if legacy:
            print("legacy OCR dumps, vanban / pyvi (stripped plans) speed ratio: "
                  f"{speed['vanban legacy OCR dumps'] / speed['pyvi add_accents']:.2f}x")


if __name__ == "__main__":
    main()
