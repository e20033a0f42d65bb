"""`vanban pdf` against `vanban ocr` on the same input: wall time ratio, same run.

Both commands run as fresh processes (what a user types, imports and model loading included),
alternately (ocr, pdf, ocr, pdf, ...) so that the machine's load falls on both alike; the
ratio is median(pdf) / median(ocr). ``--stages`` adds, in this process after preloading the
models, where `vanban pdf`'s time goes: OCR, restore, extract, the text layer (OCRmyPDF + the
plugin), finishing (metadata, record, PDF/A or the incremental update).

``--ab`` adds a third command to each round, `vanban pdf` with the models loaded when first
used instead of on a thread during the OCR (``vanban.pdfa.BACKGROUND_LOADING = False``), and
its ratio to `vanban ocr` the same way; ``--ab-pipeline`` one with the text layer written
through OCRmyPDF's whole pipeline instead of its renderer alone
(``vanban.pdfa.DIRECT_TEXT_LAYER = False``). ``--other-tree DIR`` adds `vanban pdf` of another
checkout (``git archive REV | tar -x -C DIR``; run with ``PYTHONPATH=DIR``), e.g. the commit
before a change, to compare two versions within one run.

    nice python bench/pdf_speed.py ../shared/dev/real-scans/qng-ct11-2024.pdf --jobs 2 \
        --repeat 3 [--stages] [--ab] [--ab-pipeline] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def vanban_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "vanban.cli", *args]


#: `vanban pdf` without loading on a thread (the CLI, one module setting changed first).
_NO_BACKGROUND = ("import sys; import vanban.pdfa; vanban.pdfa.BACKGROUND_LOADING = False; "
                  "from vanban.cli import main; sys.argv[0] = 'vanban'; main()")
#: `vanban pdf` with the text layer through OCRmyPDF's pipeline (the plugin as its engine).
_PIPELINE_LAYER = ("import sys; import vanban.pdfa; vanban.pdfa.DIRECT_TEXT_LAYER = False; "
                   "from vanban.cli import main; sys.argv[0] = 'vanban'; main()")


def vanban_command_no_background(*args: str) -> list[str]:
    return [sys.executable, "-c", _NO_BACKGROUND, *args]


def vanban_command_pipeline_layer(*args: str) -> list[str]:
    return [sys.executable, "-c", _PIPELINE_LAYER, *args]


def timed(cmd: list[str], env: dict | None = None,
          cwd: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        err = proc.stderr.read().decode("utf-8", "replace").strip().splitlines()[-1:]
        raise SystemExit(f"{' '.join(cmd[2:])}: exit {proc.returncode}: {err}")
    proc.stderr.close()
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def stages(src: Path, out: Path, jobs: int) -> dict:
    """Seconds of each step of `vanban pdf` in this process, models preloaded."""
    from vanban import pdfa
    from vanban.pipeline import PipelineOptions, load_document, preload, process_document
    timings: dict[str, float] = {}
    t = time.perf_counter()
    preload(PipelineOptions(jobs=jobs))
    timings["preload (models, Tesseract)"] = time.perf_counter() - t
    t = time.perf_counter()
    doc = load_document(src, PipelineOptions(jobs=jobs))
    timings["ocr"] = time.perf_counter() - t
    result = process_document(doc, PipelineOptions(jobs=jobs))
    timings["restore"] = result.timings.get("normalize", 0.0)
    timings["extract"] = result.timings.get("extract", 0.0)
    spent = {"text layer": 0.0}
    wrapped = {}

    def timed_step(name):
        real = getattr(pdfa, name)
        wrapped[name] = real

        def step(*a, **k):
            t0 = time.perf_counter()
            try:
                return real(*a, **k)
            finally:
                spent["text layer"] += time.perf_counter() - t0
        return step
    # the text layer: OCRmyPDF's pipeline with the plugin, or its renderer alone (direct)
    for name in ("text_layer_pdf", "render_text_layer"):
        setattr(pdfa, name, timed_step(name))
    try:
        t = time.perf_counter()
        pdfa.make_pdf(src, out, pdfa.PdfOptions(jobs=jobs), result=result)
        total = time.perf_counter() - t
    finally:
        for name, real in wrapped.items():
            setattr(pdfa, name, real)
    timings["text layer (OCRmyPDF renderer + plugin)"] = spent["text layer"]
    timings["finish (graft, metadata, record, PDF/A or update)"] = total - spent["text layer"]
    return {k: round(v, 2) for k, v in timings.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", type=Path,
                    help="one or several inputs (several: one process for all, as a user would)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--stages", action="store_true")
    ap.add_argument("--ab", action="store_true",
                    help="also time `vanban pdf` without loading on a thread")
    ap.add_argument("--ab-pipeline", action="store_true",
                    help="also time `vanban pdf` with the text layer through OCRmyPDF's pipeline")
    ap.add_argument("--other-tree", type=Path,
                    help="also time `vanban pdf` of the vanban source tree in this folder")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    runs: dict[str, list[tuple[float, float, float]]] = {"ocr": [], "pdf": []}
    if args.ab:
        runs["pdf (no background loading)"] = []
    if args.ab_pipeline:
        runs["pdf (OCRmyPDF pipeline)"] = []
    other_env = None
    if args.other_tree:
        runs["pdf (other tree)"] = []
        other_env = {**os.environ, "PYTHONPATH": str(args.other_tree.resolve())}
    with tempfile.TemporaryDirectory(prefix="vanban-pdf-speed-") as tmp:
        names = [str(p) for p in args.inputs]
        ocr_cmd = vanban_command("ocr", *names, "-o", f"{tmp}/out.txt", "-j", str(args.jobs))
        pdf_out = f"{tmp}/out.pdf" if len(names) == 1 else f"{tmp}/pdfs"
        pdf_cmd = vanban_command("pdf", *names, "-o", pdf_out, "-j", str(args.jobs))
        commands = [("ocr", ocr_cmd), ("pdf", pdf_cmd)]
        if args.ab:
            commands.append(("pdf (no background loading)", vanban_command_no_background(
                "pdf", *names, "-o", pdf_out, "-j", str(args.jobs))))
        if args.ab_pipeline:
            commands.append(("pdf (OCRmyPDF pipeline)", vanban_command_pipeline_layer(
                "pdf", *names, "-o", pdf_out, "-j", str(args.jobs))))
        if args.other_tree:
            commands.append(("pdf (other tree)", vanban_command(
                "pdf", *[str(Path(n).resolve()) for n in names], "-o", pdf_out,
                "-j", str(args.jobs))))
        for i in range(args.repeat):
            for name, cmd in commands:
                if name == "pdf (other tree)":  # its folder first on sys.path (python -m)
                    runs[name].append(timed(cmd, other_env, args.other_tree.resolve()))
                else:
                    runs[name].append(timed(cmd))
                print(json.dumps({"run": i + 1, "command": f"vanban {name}",
                                  "seconds": round(runs[name][-1][0], 2),
                                  "peak_rss_MiB": round(runs[name][-1][1]),
                                  "cpu_s": round(runs[name][-1][2], 2)}), flush=True)
        report = {"inputs": names, "jobs": args.jobs, "repeat": args.repeat,
                  "ocr_s": [round(r[0], 2) for r in runs["ocr"]],
                  "pdf_s": [round(r[0], 2) for r in runs["pdf"]],
                  "pdf/ocr (median)": round(statistics.median(r[0] for r in runs["pdf"])
                                            / statistics.median(r[0] for r in runs["ocr"]), 3),
                  "pdf/ocr (per pair)": [round(p[0] / o[0], 3)
                                         for p, o in zip(runs["pdf"], runs["ocr"])],
                  "peak_rss_MiB": {k: round(max(r[1] for r in v)) for k, v in runs.items()},
                  "cpu_s (median)": {k: round(statistics.median(r[2] for r in v), 2)
                                     for k, v in runs.items()}}
        for name in ("pdf (no background loading)", "pdf (OCRmyPDF pipeline)",
                     "pdf (other tree)"):
            if name in runs:
                report[f"{name}/ocr (median)"] = round(
                    statistics.median(r[0] for r in runs[name])
                    / statistics.median(r[0] for r in runs["ocr"]), 3)
                report[f"{name}/ocr (per pair)"] = [
                    round(p[0] / o[0], 3) for p, o in zip(runs[name], runs["ocr"])]
                report[f"{name} s"] = [round(r[0], 2) for r in runs[name]]
        if args.stages:
            report["stages_s"] = {str(p): stages(p, Path(tmp) / f"stages-{p.stem}.pdf", args.jobs)
                                  for p in args.inputs}
    print(json.dumps(report, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
