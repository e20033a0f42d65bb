"""``vanban evaluate restore``: syllable accuracy (:mod:`vanban.normalize.evaluate`) of
diacritic restoration on the dev sets, the held-out corpus documents and general text.

The shared data folder is :func:`vanban.settings.shared_dir`; Tesseract ``vie`` outputs of the
dev scans are cached under :func:`vanban.settings.cache_dir` (``vie-ocr``).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Callable

from .. import settings
from ..normalize.evaluate import Score, _pyvi, changed_rates, syllable_scores
from ..normalize.training import GENERAL_TEXT_NAME, general_holdout_documents, holdout_documents
from ..normalize import strip_diacritics

#: Every set of the evaluation, in the order they are run.
SETS = ("stripped", "legacy", "unchanged", "vie-ocr", "holdout", "general")


def default_cache() -> Path:
    """Where Tesseract vie outputs of the dev scans are kept between runs."""
    return settings.cache_dir("vie-ocr")


def _restore(mode: str) -> Callable[[str], str]:
    from ..normalize import restore_text
    return lambda text: restore_text(text, mode, with_confidence=False).text


def evaluate_restore(shared: Path | None = None, *, sets: tuple[str, ...] = SETS,
                     cache: Path | None = None, with_pyvi: bool = True,
                     progress: Callable[[str], None] | None = None) -> list[dict]:
    """Rows of the evaluation table: set, system, correct, total, accuracy, seconds.

    ``shared``: the shared data folder [default: :func:`vanban.settings.shared_dir`];
    ``cache``: Tesseract vie outputs of the dev scans [default: :func:`default_cache`].
    """
    shared = Path(shared) if shared else settings.shared_dir()
    cache = Path(cache) if cache else default_cache()
    say = progress or (lambda m: None)
    rows: list[dict] = []

    def row(set_name: str, system: str, score: Score, moved: Score, secs: float,
            **extra) -> None:
        # Two figures on every row: the aligned one, and one aligned by Levenshtein always
        # (never the equal-length shortcut) with blocks read in another order credited
        # (normalize.evaluate.syllable_score_moved): its gain mixes the two effects.
        r = {"set": set_name, "system": system, "correct": score.correct, "total": score.total,
             "accuracy": round(100 * score.accuracy, 3), "correct_moved": moved.correct,
             "accuracy_moved": round(100 * moved.accuracy, 3), "seconds": round(secs, 2),
             **extra}
        rows.append(r)
        say(f"{set_name:24s} {system:22s} {r['accuracy']:7.3f}%  ({score.correct}/{score.total})"
            f"  Levenshtein + moved blocks: {r['accuracy_moved']:7.3f}%")

    def scored(pairs) -> tuple[Score, Score, float]:
        """Both figures of (system output, gold) pairs, and the seconds it took."""
        total, moved, t = Score(), Score(), time.perf_counter()
        for hyp, gold in pairs:
            a, m = syllable_scores(hyp, gold)
            total.add(a)
            moved.add(m)
        return total, moved, time.perf_counter() - t

    def stripped_row(set_name: str, system: str, fn: Callable[[str], str], golds) -> None:
        """Syllable accuracy of ``fn`` restoring each gold text stripped of its diacritics."""
        row(set_name, system, *scored((fn(strip_diacritics(g)), g) for g in golds))

    def changed_row(what: str, system: str, mode: str, golds) -> None:
        """Share of syllables of correct text that restoring in ``mode`` changes."""
        changed, moved, t = Score(), Score(), time.perf_counter()
        fn = _restore(mode)
        for gold in golds:
            a, m = changed_rates(gold, fn(gold))
            changed.add(a)
            moved.add(m)
        rows.append({"set": f"correct {what} (changed)", "system": system,
                     "correct": changed.correct, "total": changed.total,
                     "accuracy": round(100 * changed.accuracy, 3),
                     "correct_moved": moved.correct,
                     "accuracy_moved": round(100 * moved.accuracy, 3),
                     "seconds": round(time.perf_counter() - t, 2)})
        say(f"{'correct ' + what + ' changed':24s} {system:22s} "
            f"{100 * changed.accuracy:7.3f}% changed (Levenshtein + moved blocks: "
            f"{100 * moved.accuracy:.3f}%)")

    plans = sorted((shared / "dev" / "plans").glob("*.txt"))
    if "stripped" in sets and plans:
        systems = [("vanban stripped", _restore("stripped")), ("vanban auto", _restore("auto"))]
        pv = _pyvi() if with_pyvi else None
        if pv:
            systems.append(("pyvi add_accents", pv))
        for name, fn in systems:
            stripped_row("stripped plans", name, fn, (p.read_text(encoding="utf-8") for p in plans))
    if "unchanged" in sets and plans:
        for name, mode in (("vanban ocr", "ocr"), ("vanban auto", "auto")):
            changed_row("plans", name, mode, (p.read_text(encoding="utf-8") for p in plans))
    corpus = shared / "corpus" / "train_corpus.jsonl.xz"
    if "holdout" in sets and corpus.is_file():
        # Corpus documents the shipped model leaves out (lm.is_holdout_document): a check
        # that changes help beyond the dev plans.
        docs = [text for _, text in holdout_documents(corpus)]
        stripped_row("stripped held-out docs", "vanban stripped", _restore("stripped"), docs)
        changed_row("held-out docs", "vanban ocr", "ocr", docs)
    general = shared / "corpus" / GENERAL_TEXT_NAME
    if "general" in sets and general.is_file():
        # General-language text (Wikipedia blocks train-lm leaves out: lm.general_holdout_...).
        docs = [text for _, text in general_holdout_documents(general)]
        systems = [("vanban stripped", _restore("stripped"))]
        pv = _pyvi() if with_pyvi else None
        if pv:
            systems.append(("pyvi add_accents", pv))
        for name, fn in systems:
            stripped_row("stripped general text", name, fn, docs)
        changed_row("general text", "vanban ocr", "ocr", docs)
    legacy_dir = shared / "dev" / "legacy"
    if "legacy" in sets and legacy_dir.is_dir():
        for variant in ("clean", "degraded"):
            files = sorted(legacy_dir.glob(f"*.{variant}.eng.txt"))
            for name, fn in (("input as is", lambda s: s), ("vanban legacy", _restore("legacy")),
                             ("vanban auto", _restore("auto"))):
                golds = (f.with_name(f.name.replace(f".{variant}.eng.txt", ".gold.txt"))
                         for f in files)
                row(f"legacy {variant}", name,
                    *scored((fn(f.read_text(encoding="utf-8")), g.read_text(encoding="utf-8"))
                            for f, g in zip(files, golds)))
    scans = shared / "dev" / "scans"
    if "vie-ocr" in sets and scans.is_dir():
        pairs = []
        for page in sorted(scans.glob("*/page-*.jpg")):
            gt = page.with_name(page.stem + ".gt.txt")
            out = cache / page.parent.name / (page.stem + ".vie.txt")
            if not out.exists():
                out.parent.mkdir(parents=True, exist_ok=True)
                txt = subprocess.run(["tesseract", str(page), "-", "-l", "vie"], check=True,
                                     capture_output=True, text=True).stdout
                out.write_text(txt, encoding="utf-8")
            pairs.append((out.read_text(encoding="utf-8"), gt.read_text(encoding="utf-8")))
        for name, fn in (("vie OCR as is", lambda s: s), ("vanban ocr", _restore("ocr")),
                         ("vanban auto", _restore("auto"))):
            total, moved, secs = scored((fn(hyp), gold) for hyp, gold in pairs)
            row("vie OCR scans", name, total, moved, secs, errors=total.total - total.correct)
    return rows


def format_table(rows: list[dict]) -> str:
    """Markdown table of :func:`evaluate_restore` rows."""
    out = ["| set | system | syllable accuracy | correct / total | Levenshtein + moved blocks | "
           "seconds |", "|---|---|---:|---:|---:|---:|"]
    for r in rows:
        acc, moved = f"{r['accuracy']:.2f}%", f"{r['accuracy_moved']:.2f}%"
        if r["set"].startswith("correct"):
            acc = f"{r['accuracy']:.3f}% changed"
            moved = f"{r['accuracy_moved']:.3f}% changed"
        out.append(f"| {r['set']} | {r['system']} | {acc} | {r['correct']} / {r['total']} | "
                   f"{moved} ({r['correct_moved']}) | {r['seconds']} |")
    return "\n".join(out)
