#!/usr/bin/env python3
"""Speed of `vanban ocr` against the raw `tesseract` CLI, measured in the same run.

Runs on the dev scan pages (../shared/dev/scans/*/page-*.jpg), each measurement as a separate
process, timed by wall clock:

- raw:       `tesseract PAGE stdout -l vie --psm 3` once per page, one after another,
             OMP_THREAD_LIMIT=1 (the same engine settings vanban uses)
- vanban-j1: `vanban ocr PAGES... --jobs 1` (all preprocessing on, JSON output)
- vanban-j2: `vanban ocr PAGES... --jobs 2`

Targets (issue 2): vanban-j1 / raw <= 1.05; vanban-j1 / vanban-j2 >= 1.8 (on a machine with at
least 2 free cores). Peak RSS is the largest resident set of the vanban process tree.
Each measurement is repeated (--repeat) and the fastest run kept.

- vanban-base (with --baseline DIR): `vanban ocr PAGES... --jobs 1` run from an older source
             tree (``git archive REV vanban | tar -x -C DIR``), interleaved with the others:
             what the steps added since REV cost (target of issue 12: <= 1.15)

Usage: python bench/ocr_bench.py [--pages N] [--repeat 1] [--scans DIR] [--json OUT] [--baseline DIR]
Skips (exit 0, with a message) when the scans are absent.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCANS = ROOT.parent / "shared" / "dev" / "scans"


def timed(cmd: list[str], env: dict) -> tuple[float, int]:
    """Run ``cmd``; (wall seconds, peak RSS in MiB of it and its waited-for children)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0,):
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd[:3])} ...\n{err}")
    return wall, usage.ru_maxrss // 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scans", type=Path, default=DEFAULT_SCANS)
    ap.add_argument("--pages", type=int, default=0, help="use only the first N pages (0: all)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--baseline", type=Path, help="a source tree holding an older vanban/ package")
    args = ap.parse_args()

    pages = sorted(args.scans.glob("*/page-*.jpg")) if args.scans.is_dir() else []
    if not pages:
        print(f"ocr_bench: no dev scans under {args.scans}; skipped")
        return 0
    if args.pages:
        pages = pages[:args.pages]
    tesseract = shutil.which("tesseract")
    vanban = shutil.which("vanban", path=str(Path(sys.executable).parent)) or shutil.which("vanban")
    if not tesseract or not vanban:
        print("ocr_bench: tesseract or vanban not found; skipped")
        return 0
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def raw() -> tuple[float, int]:
        total, peak = 0.0, 0
        for page in pages:
            wall, rss = timed([tesseract, str(page), "stdout", "-l", "vie", "--psm", "3"], env)
            total += wall
            peak = max(peak, rss)
        return total, peak

    def run_vanban(jobs: int):
        return lambda: timed([vanban, "ocr", *map(str, pages), "--jobs", str(jobs),
                              "--format", "json"], env)

    runs = {"raw tesseract": raw, "vanban --jobs 1": run_vanban(1), "vanban --jobs 2": run_vanban(2)}
    if args.baseline:
        base_env = {**env, "PYTHONPATH": str(args.baseline.resolve())}
        runs["baseline vanban --jobs 1"] = lambda: timed(
            [sys.executable, "-m", "vanban.cli", "ocr", *map(str, pages), "--jobs", "1",
             "--format", "json"], base_env)
    results: dict[str, dict] = {}
    for _ in range(max(1, args.repeat)):
        for name, fn in runs.items():  # interleaved, so a load change hits every contender
            wall, rss = fn()
            best = results.get(name)
            if best is None or wall < best["seconds"]:
                results[name] = {"seconds": round(wall, 2), "peak_rss_mib": rss}
    raw_s = results["raw tesseract"]["seconds"]
    j1, j2 = results["vanban --jobs 1"]["seconds"], results["vanban --jobs 2"]["seconds"]
    summary = {
        "pages": len(pages), "cpus": len(os.sched_getaffinity(0)),
        "load_avg_1m": round(os.getloadavg()[0], 2), "results": results,
        "ratio_vanban_j1_vs_raw": round(j1 / raw_s, 3), "speedup_j2_vs_j1": round(j1 / j2, 3),
        "targets": {"ratio_vanban_j1_vs_raw": "<= 1.05", "speedup_j2_vs_j1": ">= 1.8"},
    }
    print(f"### ocr bench: {len(pages)} dev scan pages, {summary['cpus']} CPUs, "
          f"load {summary['load_avg_1m']}\n")
    print("| run | wall s | s/page | peak RSS MiB |\n|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['seconds']:.2f} | {r['seconds'] / len(pages):.2f} | {r['peak_rss_mib']} |")
    print(f"\nvanban --jobs 1 / raw tesseract = {summary['ratio_vanban_j1_vs_raw']:.3f} (target <= 1.05)")
    print(f"speed-up --jobs 2 vs --jobs 1 = {summary['speedup_j2_vs_j1']:.2f}x (target >= 1.8)")
    if args.baseline:
        summary["ratio_vanban_j1_vs_baseline"] = round(j1 / results["baseline vanban --jobs 1"]["seconds"], 3)
        print(f"vanban --jobs 1 / baseline vanban --jobs 1 = {summary['ratio_vanban_j1_vs_baseline']:.3f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
