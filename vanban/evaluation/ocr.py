"""``vanban evaluate ocr``: CER (:func:`vanban.ocr.evaluate.cer`) of vanban vs raw Tesseract on
the OCR data sets.

Data sets (read-only, outside the repo; the shared folder is :func:`vanban.settings.shared_dir`):
- ``scans``: folders of ``page-NN.jpg`` + ``page-NN.gt.txt`` (shared/dev/scans)
- ``real``: ``*.jpg`` + ``*_gt.txt`` silver texts (shared/dev/real-scans)
- ``transcribed``: real scan pages (PDF page N, or a JPEG) with a human transcription in
  ``eval/real-scans/<stem>/page-NN.txt`` (committed with the project, see its README); the
  scans themselves stay in shared/dev/real-scans. Each page is rendered as vanban renders it,
  and raw Tesseract reads the SAME page image.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from .. import settings
from ..executors import make_executor
from ..ocr import OcrOptions, ocr_image
from ..ocr.evaluate import cer
from ..ocr.inputs import open_input


#: The data sets, as ``only`` of :func:`evaluate_sets` names them.
SETS = ("dev", "real", "transcribed")


def default_scans() -> Path:
    """Dev scan pages with ground truth (read-only shared data, never committed)."""
    return settings.shared_dev_dir() / "scans"


def default_real() -> Path:
    """Real scans, with silver text for some (read-only shared data)."""
    return settings.shared_dev_dir() / "real-scans"


def default_transcripts() -> Path:
    """Human transcriptions of real scan pages (evaluation data committed with the project)."""
    return settings.eval_dir() / "real-scans"


@dataclass
class PageCase:
    name: str
    image: Path
    gold: Path
    #: Page of a PDF (1-based); None for an image file read as it is.
    page: int | None = None


def scan_cases(root: Path) -> list[PageCase]:
    """Dev scan pages: every ``page-NN.jpg`` with its ``page-NN.gt.txt``."""
    return [PageCase(f"{img.parent.name}/{img.stem}", img, img.with_name(img.stem + ".gt.txt"))
            for img in sorted(root.glob("*/page-*.jpg")) if img.with_name(img.stem + ".gt.txt").exists()]


def real_cases(root: Path) -> list[PageCase]:
    """Real scans with silver text: ``X.jpg`` with ``X_gt.txt``."""
    return [PageCase(img.stem, img, img.with_name(img.stem + "_gt.txt"))
            for img in sorted(root.glob("*.jpg")) if img.with_name(img.stem + "_gt.txt").exists()]


def transcribed_cases(scans: Path, transcripts: Path) -> list[PageCase]:
    """Pages with a human transcription: ``transcripts/<stem>/page-NN.txt`` for the scan
    ``scans/<stem>.pdf`` (page NN) or ``scans/<stem>.jpg`` (NN = 01). Transcriptions whose scan
    is absent are skipped."""
    cases = []
    for folder in sorted(p for p in transcripts.iterdir() if p.is_dir()):
        for suffix in (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"):
            scan = scans / (folder.name + suffix)
            if scan.exists():
                break
        else:
            continue
        for gold in sorted(folder.glob("page-[0-9]*.txt")):
            if gold.name.count(".") != 1:  # page-NN.stamps.txt
                continue
            number = int(gold.stem.split("-")[1])
            cases.append(PageCase(f"{folder.name}/p{number}", scan, gold,
                                  number if suffix == ".pdf" else None))
    return cases


_PDFIUM_LOCK = threading.Lock()


def _page_image(case: PageCase) -> tuple[Image.Image, float | None]:
    """The page image as vanban reads it (a PDF page rendered at its scan resolution)."""
    if case.page is None:
        with Image.open(case.image) as img:
            img.load()
            tag = img.info.get("dpi")
            return img.copy(), (float(tag[0]) if tag and float(tag[0]) >= 100 else None)
    # pdfium is not thread-safe, not even across documents, and pages are evaluated on a pool
    with _PDFIUM_LOCK:
        source = next(s for s in open_input(case.image, force_ocr=True) if s.number == case.page)
        assert source.load is not None
        return source.load(), source.dpi


def raw_tesseract(case: PageCase | Path, lang: str = "vie") -> str:
    """Plain ``tesseract IMAGE stdout -l LANG`` (one thread), the baseline; a PDF page is
    rendered first (the same image vanban reads), handed over as a lossless PNG."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    if isinstance(case, Path) or case.page is None:
        image = case if isinstance(case, Path) else case.image
        return subprocess.run(["tesseract", str(image), "stdout", "-l", lang], env=env,
                              capture_output=True, text=True, check=True).stdout
    img, dpi = _page_image(case)
    with tempfile.TemporaryDirectory(prefix="vanban-eval-") as tmp:
        path = Path(tmp) / "page.png"
        img.save(path, dpi=(dpi, dpi) if dpi else None)
        return subprocess.run(["tesseract", str(path), "stdout", "-l", lang], env=env,
                              capture_output=True, text=True, check=True).stdout


def vanban_text(case: PageCase | Path, options: OcrOptions) -> str:
    if isinstance(case, Path):
        case = PageCase(case.name, case, case)
    img, dpi = _page_image(case)
    return ocr_image(img, options, dpi=dpi).text


#: Named option sets for the ablation: each preprocessing step off in turn.
VARIANTS = {
    "vanban": {},
    "no-seal-removal": {"seal_removal": False},
    "no-deskew": {"deskew": False},
    "no-upscale": {"upscale": False},
    "no-orientation": {"orientation": False},
    "no-column-reread": {"reread_columns": False},
    "no-preprocessing": {"seal_removal": False, "deskew": False, "upscale": False,
                         "orientation": False, "reread_columns": False},
}


def evaluate(cases: list[PageCase], variants: list[str], jobs: int = 1,
             include_raw: bool = True) -> dict:
    """CER per page and in total for raw Tesseract and each named vanban variant."""
    systems: dict[str, object] = {}
    if include_raw:
        systems["tesseract"] = raw_tesseract
    for name in variants:
        opts = replace(OcrOptions(jobs=1), **VARIANTS[name])
        systems[name] = (lambda o: (lambda img: vanban_text(img, o)))(opts)
    tasks = [(sysname, case) for sysname in systems for case in cases]

    def run(task):
        sysname, case = task
        text = systems[sysname](case)  # type: ignore[operator]
        return sysname, case.name, cer(case.gold.read_text(encoding="utf-8"), text)

    with make_executor("thread", max(1, jobs)) as pool:
        results = pool.map(run, tasks)
    report: dict = {}
    for sysname, page, (dist, length) in results:
        entry = report.setdefault(sysname, {"pages": {}, "errors": 0, "chars": 0})
        entry["pages"][page] = round(dist / max(1, length), 5)
        entry["errors"] += dist
        entry["chars"] += length
    for entry in report.values():
        entry["cer"] = round(entry["errors"] / max(1, entry["chars"]), 5)
    return report


def evaluate_sets(scans_dir: Path | None = None, real_dir: Path | None = None,
                  variants: list[str] = ("vanban",), jobs: int = 1,
                  include_raw: bool = True, transcripts_dir: Path | None = None,
                  only: list[str] | None = None) -> dict[str, tuple[int, dict]]:
    """:func:`evaluate` on the dev scans, the real scans with silver text and the real scan
    pages with a human transcription, each where its folder exists (defaults:
    :func:`default_scans`, :func:`default_real`, :func:`default_transcripts`):
    ``{title: (pages, report)}``, empty when there is no evaluation data. ``only`` keeps the
    sets whose title starts with one of its entries ("dev", "real", "transcribed")."""
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        raise ValueError(f"unknown variant(s): {', '.join(unknown)}")
    scans_dir, real_dir = scans_dir or default_scans(), real_dir or default_real()
    transcripts_dir = transcripts_dir or default_transcripts()
    sets = [("dev scans", scan_cases(scans_dir) if scans_dir.is_dir() else []),
            ("real scans (silver)", real_cases(real_dir) if real_dir.is_dir() else []),
            ("transcribed real scans", transcribed_cases(real_dir, transcripts_dir)
             if real_dir.is_dir() and transcripts_dir.is_dir() else [])]
    if only:
        sets = [(t, c) for t, c in sets if any(t.split()[0].startswith(o) for o in only)]
    return {title: (len(cases), evaluate(cases, list(variants), jobs=jobs, include_raw=include_raw))
            for title, cases in sets if cases}


def format_pages(title: str, report: dict) -> str:
    """Per page, raw Tesseract's CER beside each vanban variant's (Markdown)."""
    names = list(report)
    pages = list(next(iter(report.values()))["pages"]) if report else []
    lines = [f"### {title}: per page", "", "| page | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    for page in pages:
        lines.append(f"| {page} | " + " | ".join(f"{report[n]['pages'][page] * 100:.2f}%"
                                                  for n in names) + " |")
    lines.append("| **total** | " + " | ".join(f"**{report[n]['cer'] * 100:.2f}%**" for n in names) + " |")
    return "\n".join(lines)


def format_report(title: str, report: dict) -> str:
    """A small Markdown table: system, CER, errors/chars, worst page."""
    lines = [f"### {title}", "", "| system | CER | errors / chars | worst page |", "|---|---|---|---|"]
    for sysname, entry in report.items():
        worst = max(entry["pages"].items(), key=lambda kv: kv[1]) if entry["pages"] else ("-", 0)
        lines.append(f"| {sysname} | {entry['cer'] * 100:.2f}% | {entry['errors']} / {entry['chars']} "
                     f"| {worst[0]} ({worst[1] * 100:.2f}%) |")
    return "\n".join(lines)
