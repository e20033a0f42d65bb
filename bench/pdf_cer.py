"""CER of searchable-PDF text layers against human transcriptions, side by side, per page.

For each document: ``vanban pdf`` (its output read back with ``pdftotext``, in poppler's
reading order and with ``-raw``, the order of the text layer itself), the pipeline's own
text (``vanban ocr`` + ``vanban restore``: the words before they go into the PDF), and
``ocrmypdf -l vie --invalidate-digital-signatures`` (read back with ``pdftotext``), each
against ``TRANSCRIPTS/<stem>/page-NN.txt``. CER = edit distance / reference characters after
NFC and whitespace folding (vanban.ocr.evaluate.cer), micro-averaged over pages; reading
order counts. Timings: wall seconds of each run in this process (same machine, same load).

    nice python bench/pdf_cer.py ../shared/dev/real-scans/qng-ct11-2024.pdf ... \
        --transcripts TRANSCRIPTS_DIR --jobs 2 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vanban.ocr.evaluate import cer
from vanban.pdfa import PdfOptions, make_pdf
from vanban.model import Document, PlanRecord
from vanban.pipeline import PipelineOptions, PipelineResult, process_path


def pdftotext_page(pdf: Path, page: int, raw: bool = False) -> str:
    """pdftotext of one page: poppler's own reading order, or (raw) the content-stream order."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []),
                           "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def without_annotations(pdf: Path, out: Path) -> Path:
    """A copy with no annotations: the body text only. The input's own stamps ("Ký bởi: ...",
    the signature widget's text) are annotations that the transcriptions leave out, and every
    searchable copy keeps them."""
    import pikepdf
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
        doc.save(out)
    return out


def cached_result(src: Path, cache: Path | None, jobs: int) -> PipelineResult:
    """The pipeline's result for ``src``: read now, or from ``cache`` (timings then stale)."""
    stored = cache / f"{src.stem}.result.json" if cache else None
    if stored is not None and stored.exists():
        d = json.loads(stored.read_text(encoding="utf-8"))
        return PipelineResult(document=Document.from_dict(d["document"]),
                              record=PlanRecord.from_dict(d["record"]) if d["record"] else None,
                              timings=d["timings"])
    result = process_path(src, PipelineOptions(jobs=jobs))
    if stored is not None:
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(json.dumps({
            "document": result.document.to_dict(), "timings": result.timings,
            "record": result.record.to_dict() if result.record else None},
            ensure_ascii=False), encoding="utf-8")
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--transcripts", type=Path, required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-ocrmypdf", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--cache", type=Path, help="keep each input's pipeline result here (JSON) and "
                    "reuse it: for trying text-layer changes without reading the scans again")
    args = ap.parse_args()
    rows, totals = [], {}
    with tempfile.TemporaryDirectory(prefix="vanban-pdf-cer-") as tmp:
        for src in args.inputs:
            ref_dir = args.transcripts / src.stem
            refs = {int(p.stem.split("-")[1]): p.read_text(encoding="utf-8")
                    for p in sorted(ref_dir.glob("page-[0-9][0-9].txt"))
                    if p.read_text(encoding="utf-8").strip()}  # an empty file: not transcribed
            if not refs:
                print(f"{src}: no transcriptions under {ref_dir}", file=sys.stderr)
                continue
            t = time.perf_counter()
            result = cached_result(src, args.cache, args.jobs)
            t_pipeline = time.perf_counter() - t
            out = Path(tmp) / f"{src.stem}.vanban.pdf"
            t = time.perf_counter()
            make_pdf(src, out, PdfOptions(jobs=args.jobs), result=result)  # same words
            t_pdf = t_pipeline + time.perf_counter() - t
            body = without_annotations(out, Path(tmp) / f"{src.stem}.vanban.body.pdf")
            # (each lambda binds this input's files: the dict is read within this loop turn)
            systems = {"vanban ocr+restore": lambda n, result=result: result.document.pages[n - 1].text,
                       "vanban pdf": lambda n, out=out: pdftotext_page(out, n),
                       "vanban pdf body": lambda n, body=body: pdftotext_page(body, n),
                       "vanban pdf body -raw": lambda n, body=body: pdftotext_page(body, n, raw=True)}
            # vanban pdf = the pipeline run above + writing the PDF from its result.
            timing = {"vanban ocr": result.timings["load"],
                      "vanban ocr+restore+extract": t_pipeline, "vanban pdf": t_pdf,
                      "pdf/ocr": t_pdf / result.timings["load"]}
            if not args.no_ocrmypdf:
                omp = Path(tmp) / f"{src.stem}.ocrmypdf.pdf"
                t = time.perf_counter()
                # As documented by OCRmyPDF: plain first; a PDF with a text layer needs
                # --redo-ocr, and --force-ocr where redo is refused (forms, signatures).
                for extra in ([], ["--redo-ocr"], ["--force-ocr"]):
                    proc = subprocess.run([sys.executable, "-m", "ocrmypdf", "-l", "vie",
                                           "--invalidate-digital-signatures", *extra,
                                           "-j", str(args.jobs), "-q", str(src), str(omp)],
                                          capture_output=True, text=True)
                    if proc.returncode == 0:
                        timing["ocrmypdf flags"] = " ".join(extra) or "(none)"
                        break
                timing["ocrmypdf -l vie"] = time.perf_counter() - t
                if proc.returncode == 0:
                    omp_body = without_annotations(omp, Path(tmp) / f"{src.stem}.omp.body.pdf")
                    systems["ocrmypdf"] = lambda n, omp=omp: pdftotext_page(omp, n)
                    systems["ocrmypdf body"] = lambda n, body=omp_body: pdftotext_page(body, n)
                    systems["ocrmypdf body -raw"] = lambda n, body=omp_body: pdftotext_page(body, n,
                                                                                           raw=True)
                else:
                    print(f"{src}: ocrmypdf exit {proc.returncode}: "
                          f"{proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            for n, ref in refs.items():
                row = {"document": src.stem, "page": n, "ref_chars": None}
                for name, text_of in systems.items():
                    errors, chars = cer(ref, text_of(n))
                    row[name] = round(100 * errors / max(chars, 1), 2)
                    row["ref_chars"] = chars
                    e, c = totals.get(name, (0, 0))
                    totals[name] = (e + errors, c + chars)
                rows.append(row)
            rows.append({"document": src.stem, "seconds": {
                k: round(v, 2) if isinstance(v, float) else v for k, v in timing.items()}})
    summary = {name: round(100 * e / max(c, 1), 2) for name, (e, c) in totals.items()}
    import resource
    rss = {"self_MiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "children_MiB": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    print(json.dumps({"peak_rss": {k: round(v) for k, v in rss.items()}}))
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    print(json.dumps({"micro_cer_percent": summary}, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "summary": summary}, ensure_ascii=False,
                                        indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
