#!/usr/bin/env python3
"""Speed of `vanban ocr` against the raw `tesseract` CLI, measured in the same run.

Runs on the dev scan pages (dev/scans/*/page-*.jpg under ../shared), each measurement as a
separate process, timed by wall clock:

- raw:        `tesseract PAGE stdout -l vie --psm 3` once per page, one after another,
              OMP_THREAD_LIMIT=1 (the same engine settings vanban uses)
- vanban-j1:  `vanban ocr PAGES... --jobs 1` (all preprocessing on, JSON output; the default
              engine, tesserocr: Tesseract loaded once per worker)
- vanban-j2:  `vanban ocr PAGES... --jobs 2`
- vanban-j1-pytesseract: `vanban ocr PAGES... --jobs 1 --engine pytesseract` (one `tesseract`
              process per Tesseract call: the engine before issue 15), to show what keeping
              Tesseract loaded buys

Also reported: the CPU seconds (user + system) of each run and their ratio vanban-j1 / raw by
round, which other programs on a shared machine disturb far less than wall time.

Targets (issue 15): vanban-j1 / raw <= 0.85; vanban-j1 / vanban-j2 >= 1.8 (on a machine with at
least 2 free cores). Peak RSS is the largest resident set of the vanban process tree.

The contenders run interleaved (raw, j1, j2, ... then again), ``--repeat`` times, so that a
change of load on a shared machine hits every contender. Reported: each contender's fastest
run, the ratios of those, and the ratios within each round (same minute of the same run) with
their median, which a busy machine disturbs least. Per page: raw `tesseract` seconds next to
vanban's own seconds for the page (``preprocessing.seconds`` of the JSON output: reading,
preprocessing, every Tesseract call, layout) of the fastest vanban-j1 run.

- vanban-base (with --baseline DIR): `vanban ocr PAGES... --jobs 1` run from an older source
             tree (``git archive REV vanban | tar -x -C DIR``), interleaved with the others.

The tesserocr engine keeps libtesseract's line images as stored PNG when
``vanban/ocr/libvanban_stored_png.so`` is built (scripts/install.sh; same words, less CPU:
vanban/ocr/stored_png.py); run the bench with ``VANBAN_STORED_PNG=0`` to measure without it.

Usage: python bench/ocr_bench.py [--pages N] [--repeat 1] [--scans DIR] [--json OUT]
       [--baseline DIR] [--no-pytesseract]
Skips (exit 0, with a message) when the scans are absent.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vanban import settings  # noqa: E402


def default_scans() -> Path:
    """dev/scans of the shared data (:func:`vanban.settings.shared_dev_dir`)."""
    return settings.shared_dev_dir() / "scans"


def timed(cmd: list[str], env: dict, cwd: Path | None = None) -> tuple[float, int]:
    """Run ``cmd``; (wall seconds, peak RSS in MiB of it and its waited-for children). Its CPU
    seconds (user + system, every thread and waited-for child) are added to ``CPU[-1]``."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    CPU[-1] += usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0,):
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd[:3])} ...\n{err}")
    return wall, usage.ru_maxrss // 1024


#: CPU seconds of the measurement running now (the last entry), see :func:`timed`.
CPU: list[float] = [0.0]


def page_seconds(json_path: Path) -> list[float]:
    """vanban's own seconds per page, from its JSON output (documents in input order)."""
    docs = json.loads(json_path.read_text(encoding="utf-8"))
    docs = docs if isinstance(docs, list) else [docs]
    return [p.get("preprocessing", {}).get("seconds", 0.0) for d in docs for p in d["pages"]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scans", type=Path, default=None)
    ap.add_argument("--pages", type=int, default=0, help="use only the first N pages (0: all)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--baseline", type=Path, help="a source tree holding an older vanban/ package")
    ap.add_argument("--no-pytesseract", action="store_true",
                    help="skip the vanban --engine pytesseract run")
    args = ap.parse_args()

    scans = args.scans or default_scans()
    pages = sorted(scans.glob("*/page-*.jpg")) if scans.is_dir() else []
    if not pages:
        print(f"ocr_bench: no dev scans under {scans}; skipped")
        return 0
    if args.pages:
        pages = pages[:args.pages]
    pages = [page.resolve() for page in pages]  # the baseline runs from another folder
    tesseract = shutil.which("tesseract")
    vanban = shutil.which("vanban", path=str(Path(sys.executable).parent)) or shutil.which("vanban")
    if not tesseract or not vanban:
        print("ocr_bench: tesseract or vanban not found; skipped")
        return 0
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    work = Path(tempfile.mkdtemp(prefix="vanban-ocr-bench-"))
    raw_pages: dict[str, list[float]] = {}
    vanban_pages: dict[str, list[float]] = {}

    def raw(round_no: int) -> tuple[float, int]:
        total, peak, per_page = 0.0, 0, []
        for page in pages:
            wall, rss = timed([tesseract, str(page), "stdout", "-l", "vie", "--psm", "3"], env)
            total += wall
            per_page.append(wall)
            peak = max(peak, rss)
        raw_pages[f"round {round_no}"] = per_page
        return total, peak

    def run_vanban(jobs: int, *extra: str, name: str = ""):
        def run(round_no: int) -> tuple[float, int]:
            out = work / f"{name or jobs}-{round_no}.json"
            found = timed([vanban, "ocr", *map(str, pages), "--jobs", str(jobs), "--format", "json",
                           "-o", str(out), *extra], env)
            vanban_pages[f"{name} round {round_no}"] = page_seconds(out)
            return found
        return run

    runs = {"raw tesseract": raw,
            "vanban --jobs 1": run_vanban(1, name="j1"),
            "vanban --jobs 2": run_vanban(2, name="j2")}
    if not args.no_pytesseract:
        runs["vanban --jobs 1 --engine pytesseract"] = run_vanban(1, "--engine", "pytesseract",
                                                                  name="j1-pytesseract")
    if args.baseline:
        # run from the baseline tree: `python -m` puts the working directory first on the
        # path, so from this checkout it would import this checkout's vanban, not the baseline
        base_env = {**env, "PYTHONPATH": str(args.baseline.resolve())}
        runs["baseline vanban --jobs 1"] = lambda _round: timed(
            [sys.executable, "-m", "vanban.cli", "ocr", *map(str, pages), "--jobs", "1",
             "--format", "json"], base_env, cwd=args.baseline.resolve())
    load_before = os.getloadavg()[0]
    rounds: list[dict[str, float]] = []
    cpu_rounds: list[dict[str, float]] = []
    results: dict[str, dict] = {}
    for round_no in range(max(1, args.repeat)):
        this_round: dict[str, float] = {}
        cpu_round: dict[str, float] = {}
        for name, fn in runs.items():  # interleaved, so a load change hits every contender
            CPU.append(0.0)
            wall, rss = fn(round_no)
            this_round[name] = wall
            cpu_round[name] = CPU[-1]
            best = results.get(name)
            if best is None or wall < best["seconds"]:
                results[name] = {"seconds": round(wall, 2), "peak_rss_mib": rss, "round": round_no}
        rounds.append(this_round)
        cpu_rounds.append(cpu_round)
    shutil.rmtree(work, ignore_errors=True)

    def ratio(a: str, b: str, by_round: bool = False):
        if by_round:
            return [round(r[a] / r[b], 3) for r in rounds]
        return round(results[a]["seconds"] / results[b]["seconds"], 3)

    j1, j2, raw_name = "vanban --jobs 1", "vanban --jobs 2", "raw tesseract"
    summary = {
        "pages": len(pages), "cpus": len(os.sched_getaffinity(0)),
        "load_avg_1m": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "results": results, "rounds": rounds,
        "ratio_vanban_j1_vs_raw": ratio(j1, raw_name),
        "ratio_vanban_j1_vs_raw_by_round": ratio(j1, raw_name, True),
        "speedup_j2_vs_j1": round(1 / ratio(j2, j1), 3),
        "speedup_j2_vs_j1_by_round": [round(1 / r, 3) for r in ratio(j2, j1, True)],
        # CPU seconds: what a busy shared machine disturbs least (a run slowed by other
        # programs waits, it does not compute more); --jobs 1 alone is compared so
        "cpu_rounds": cpu_rounds,
        "cpu_ratio_vanban_j1_vs_raw_by_round": [round(r[j1] / r[raw_name], 3) for r in cpu_rounds],
        "targets": {"ratio_vanban_j1_vs_raw": "<= 0.85", "speedup_j2_vs_j1": ">= 1.8"},
    }
    pt = "vanban --jobs 1 --engine pytesseract"
    if pt in results:
        summary["ratio_vanban_j1_vs_j1_pytesseract"] = ratio(j1, pt)
        summary["ratio_vanban_j1_vs_j1_pytesseract_by_round"] = ratio(j1, pt, True)
    best_j1 = results[j1]["round"]
    summary["per_page"] = [
        {"page": f"{p.parent.name}/{p.name}", "raw_s": round(r, 2), "vanban_j1_s": round(v, 2)}
        for p, r, v in zip(pages, raw_pages[f"round {best_j1}"], vanban_pages[f"j1 round {best_j1}"])]

    print(f"### ocr bench: {len(pages)} dev scan pages, {summary['cpus']} CPUs, load "
          f"{summary['load_avg_1m']['before']} -> {summary['load_avg_1m']['after']}, "
          f"{len(rounds)} round(s)\n")
    print("| run | wall s (fastest) | s/page | peak RSS MiB | every round s |\n|---|---|---|---|---|")
    for name, r in results.items():
        every = ", ".join(f"{x[name]:.1f}" for x in rounds)
        print(f"| {name} | {r['seconds']:.2f} | {r['seconds'] / len(pages):.2f} | "
              f"{r['peak_rss_mib']} | {every} |")

    def show(label: str, best: float, by_round: list[float], target: str) -> None:
        print(f"{label} = {best:.3f} fastest runs; by round {by_round}, "
              f"median {statistics.median(by_round):.3f} (target {target})")

    print()
    show("vanban --jobs 1 / raw tesseract", summary["ratio_vanban_j1_vs_raw"],
         summary["ratio_vanban_j1_vs_raw_by_round"], "<= 0.85")
    cpu_by_round = summary["cpu_ratio_vanban_j1_vs_raw_by_round"]
    print(f"CPU seconds, vanban --jobs 1 / raw tesseract: by round {cpu_by_round}, median "
          f"{statistics.median(cpu_by_round):.3f}, lowest {min(cpu_by_round):.3f} (CPU s by round: "
          + "; ".join(", ".join(f"{k} {v:.1f}" for k, v in r.items()) for r in cpu_rounds) + ")")
    show("speed-up --jobs 2 vs --jobs 1", summary["speedup_j2_vs_j1"],
         summary["speedup_j2_vs_j1_by_round"], ">= 1.8")
    if pt in results:
        show("vanban --jobs 1 / vanban --jobs 1 --engine pytesseract",
             summary["ratio_vanban_j1_vs_j1_pytesseract"],
             summary["ratio_vanban_j1_vs_j1_pytesseract_by_round"], "< 1: the loaded engine is faster")
    if args.baseline:
        base = "baseline vanban --jobs 1"
        summary["ratio_vanban_j1_vs_baseline"] = ratio(j1, base)
        summary["cpu_ratio_vanban_j1_vs_baseline_by_round"] = [round(r[j1] / r[base], 3)
                                                               for r in cpu_rounds]
        summary["cpu_ratio_baseline_vs_raw_by_round"] = [round(r[base] / r[raw_name], 3)
                                                         for r in cpu_rounds]
        print(f"vanban --jobs 1 / baseline vanban --jobs 1 = {summary['ratio_vanban_j1_vs_baseline']:.3f}"
              f" fastest runs; CPU seconds by round "
              f"{summary['cpu_ratio_vanban_j1_vs_baseline_by_round']}; CPU seconds, baseline / "
              f"raw tesseract by round {summary['cpu_ratio_baseline_vs_raw_by_round']}")
    print(f"\nper page (round {best_j1}): raw `tesseract` s vs vanban's own s for the page\n")
    print("| page | raw s | vanban j1 s | ratio |\n|---|---|---|---|")
    for row in summary["per_page"]:
        print(f"| {row['page']} | {row['raw_s']:.2f} | {row['vanban_j1_s']:.2f} | "
              f"{row['vanban_j1_s'] / row['raw_s']:.2f} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
