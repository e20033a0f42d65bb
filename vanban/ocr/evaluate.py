"""Measure the ocr stage: character error rate against ground truth, vanban vs raw Tesseract.

CER = Levenshtein distance / ground-truth length, on NFC text with all whitespace folded to
single spaces (line breaks and layout do not count, reading order does). Totals are
micro-averaged (summed distances over summed lengths).

Data sets (read-only, outside the repo):
- ``scans``: folders of ``page-NN.jpg`` + ``page-NN.gt.txt`` (../shared/dev/scans)
- ``real``: ``*.jpg`` + ``*_gt.txt`` silver texts (../shared/dev/real-scans)
"""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image
from rapidfuzz.distance import Levenshtein

from ..normalize.fold import nfc_spaces
from . import OcrOptions, ocr_image

#: ../shared/dev beside the repository (read-only evaluation data, never committed).
_SHARED_DEV = Path(__file__).resolve().parents[2].parent / "shared" / "dev"
DEFAULT_SCANS = _SHARED_DEV / "scans"
DEFAULT_REAL = _SHARED_DEV / "real-scans"


def cer(gold: str, system: str) -> tuple[int, int]:
    """(edit distance, gold length) on NFC text with whitespace runs folded to one space."""
    g, s = nfc_spaces(gold), nfc_spaces(system)
    return Levenshtein.distance(g, s), len(g)


@dataclass
class PageCase:
    name: str
    image: Path
    gold: Path


def scan_cases(root: Path) -> list[PageCase]:
    """Dev scan pages: every ``page-NN.jpg`` with its ``page-NN.gt.txt``."""
    return [PageCase(f"{img.parent.name}/{img.stem}", img, img.with_name(img.stem + ".gt.txt"))
            for img in sorted(root.glob("*/page-*.jpg")) if img.with_name(img.stem + ".gt.txt").exists()]


def real_cases(root: Path) -> list[PageCase]:
    """Real scans with silver text: ``X.jpg`` with ``X_gt.txt``."""
    return [PageCase(img.stem, img, img.with_name(img.stem + "_gt.txt"))
            for img in sorted(root.glob("*.jpg")) if img.with_name(img.stem + "_gt.txt").exists()]


def raw_tesseract(image: Path, lang: str = "vie") -> str:
    """Plain ``tesseract IMAGE stdout -l LANG`` (one thread), the baseline."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run(["tesseract", str(image), "stdout", "-l", lang], env=env,
                          capture_output=True, text=True, check=True).stdout


def vanban_text(image: Path, options: OcrOptions) -> str:
    with Image.open(image) as img:
        img.load()
        return ocr_image(img, options).text


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
        text = systems[sysname](case.image)  # type: ignore[operator]
        return sysname, case.name, cer(case.gold.read_text(encoding="utf-8"), text)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(run, tasks))
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
                  include_raw: bool = True) -> dict[str, tuple[int, dict]]:
    """:func:`evaluate` on the dev scans and on the real scans, each where its folder exists
    (defaults: :data:`DEFAULT_SCANS`, :data:`DEFAULT_REAL`): ``{title: (pages, report)}``,
    empty when there is no evaluation data."""
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        raise ValueError(f"unknown variant(s): {', '.join(unknown)}")
    scans_dir, real_dir = scans_dir or DEFAULT_SCANS, real_dir or DEFAULT_REAL
    sets = [("dev scans", scan_cases(scans_dir) if scans_dir.is_dir() else []),
            ("real scans", real_cases(real_dir) if real_dir.is_dir() else [])]
    return {title: (len(cases), evaluate(cases, list(variants), jobs=jobs, include_raw=include_raw))
            for title, cases in sets if cases}


def format_report(title: str, report: dict) -> str:
    """A small Markdown table: system, CER, errors/chars, worst page."""
    lines = [f"### {title}", "", "| system | CER | errors / chars | worst page |", "|---|---|---|---|"]
    for sysname, entry in report.items():
        worst = max(entry["pages"].items(), key=lambda kv: kv[1]) if entry["pages"] else ("-", 0)
        lines.append(f"| {sysname} | {entry['cer'] * 100:.2f}% | {entry['errors']} / {entry['chars']} "
                     f"| {worst[0]} ({worst[1] * 100:.2f}%) |")
    return "\n".join(lines)
