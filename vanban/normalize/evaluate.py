"""Evaluation of diacritic restoration: syllable accuracy on the dev sets.

Syllable accuracy = gold word tokens matched exactly by the system (case-insensitive, tone
placement normalised, NFC) / gold word tokens, with the two token sequences aligned by
Levenshtein (so OCR output whose lines or reading order differ is still scored fairly).
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rapidfuzz.distance import Levenshtein

from .training import GENERAL_TEXT_NAME, general_holdout_documents, holdout_documents
from ..text import clean_unicode, normalize_tone_style, strip_diacritics
from .vietnamese import tokenize

SHARED = Path(__file__).resolve().parents[3] / "shared"


def word_tokens(text: str) -> list[str]:
    """Word tokens for scoring: letters only, lower-cased, NFC, one tone style."""
    text = normalize_tone_style(clean_unicode(text), "old").lower()
    return [t for _, _, t in tokenize(text) if t[:1].isalpha()]


@dataclass
class Score:
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def add(self, other: "Score") -> None:
        self.correct += other.correct
        self.total += other.total


def syllable_score(hyp: str, gold: str) -> Score:
    """Aligned exact-match count of gold word tokens."""
    h, g = word_tokens(hyp), word_tokens(gold)
    if len(h) == len(g) and sum(a == b for a, b in zip(h, g)) >= 0.5 * len(g):
        return Score(sum(a == b for a, b in zip(h, g)), len(g))
    vocab: dict[str, int] = {}
    hi = [vocab.setdefault(t, len(vocab)) for t in h]
    gi = [vocab.setdefault(t, len(vocab)) for t in g]
    ops = Levenshtein.opcodes(hi, gi)
    correct = sum(op.dest_end - op.dest_start for op in ops if op.tag == "equal")
    return Score(correct, len(g))


def changed_rate(before: str, after: str) -> Score:
    """Word tokens changed: Score(changed, total) (aligned like :func:`syllable_score`)."""
    s = syllable_score(after, before)
    return Score(s.total - s.correct, s.total)


def _restore(mode: str) -> Callable[[str], str]:
    from . import restore_text
    return lambda text: restore_text(text, mode, with_confidence=False).text


def _pyvi() -> Callable[[str], str] | None:
    try:
        from pyvi import ViUtils
    except ImportError:
        return None

    def accents(piece: str) -> str:
        # pyvi raises on some characters (KeyError in its reverse mapping): retry in smaller
        # pieces so that one odd character costs only its own few words.
        try:
            return ViUtils.add_accents(piece)
        except Exception:
            words = piece.split(" ")
            if len(words) == 1:
                return piece
            mid = len(words) // 2
            return accents(" ".join(words[:mid])) + " " + accents(" ".join(words[mid:]))

    def run(text: str) -> str:
        return "\n".join(accents(line) if line.strip() else line for line in text.split("\n"))
    return run


def evaluate_restore(shared: Path = SHARED, *, sets: tuple[str, ...] = ("stripped", "legacy",
                     "unchanged", "vie-ocr", "holdout", "general"), cache: Path = Path("/work/cache/vie-ocr"),
                     with_pyvi: bool = True, progress: Callable[[str], None] | None = None
                     ) -> list[dict]:
    """Rows of the evaluation table: set, system, correct, total, accuracy, seconds."""
    say = progress or (lambda m: None)
    rows: list[dict] = []

    def row(set_name: str, system: str, score: Score, secs: float, **extra) -> None:
        r = {"set": set_name, "system": system, "correct": score.correct, "total": score.total,
             "accuracy": round(100 * score.accuracy, 3), "seconds": round(secs, 2), **extra}
        rows.append(r)
        say(f"{set_name:24s} {system:22s} {r['accuracy']:7.3f}%  ({score.correct}/{score.total})")

    def stripped_row(set_name: str, system: str, fn: Callable[[str], str], golds) -> None:
        """Syllable accuracy of ``fn`` restoring each gold text stripped of its diacritics."""
        total, t = Score(), time.perf_counter()
        for gold in golds:
            total.add(syllable_score(fn(strip_diacritics(gold)), gold))
        row(set_name, system, total, time.perf_counter() - t)

    def changed_row(what: str, system: str, mode: str, golds) -> None:
        """Share of syllables of correct text that restoring in ``mode`` changes."""
        changed, t = Score(), time.perf_counter()
        fn = _restore(mode)
        for gold in golds:
            changed.add(changed_rate(gold, fn(gold)))
        rows.append({"set": f"correct {what} (changed)", "system": system,
                     "correct": changed.correct, "total": changed.total,
                     "accuracy": round(100 * changed.accuracy, 3),
                     "seconds": round(time.perf_counter() - t, 2)})
        say(f"{'correct ' + what + ' changed':24s} {system:22s} "
            f"{100 * changed.accuracy:7.3f}% changed")

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
        # Corpus documents the shipped model leaves out (training.is_holdout_document): a
        # check that changes help beyond the dev plans.
        docs = [text for _, text in holdout_documents(corpus)]
        stripped_row("stripped held-out docs", "vanban stripped", _restore("stripped"), docs)
        changed_row("held-out docs", "vanban ocr", "ocr", docs)
    general = shared / "corpus" / GENERAL_TEXT_NAME
    if "general" in sets and general.is_file():
        # General-language text (Wikipedia blocks train-lm leaves out, see
        # training.general_holdout_documents).
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
                total, t = Score(), time.perf_counter()
                for f in files:
                    gold = f.with_name(f.name.replace(f".{variant}.eng.txt", ".gold.txt"))
                    total.add(syllable_score(fn(f.read_text(encoding="utf-8")),
                                             gold.read_text(encoding="utf-8")))
                row(f"legacy {variant}", name, total, time.perf_counter() - t)
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
            total, t = Score(), time.perf_counter()
            for hyp, gold in pairs:
                total.add(syllable_score(fn(hyp), gold))
            row("vie OCR scans", name, total, time.perf_counter() - t,
                errors=total.total - total.correct)
    return rows


def format_table(rows: list[dict]) -> str:
    """Markdown table of :func:`evaluate_restore` rows."""
    out = ["| set | system | syllable accuracy | correct / total | seconds |",
           "|---|---|---:|---:|---:|"]
    for r in rows:
        acc = f"{r['accuracy']:.2f}%"
        if r["set"].startswith("correct"):
            acc = f"{r['accuracy']:.3f}% changed"
        out.append(f"| {r['set']} | {r['system']} | {acc} | {r['correct']} / {r['total']} | "
                   f"{r['seconds']} |")
    return "\n".join(out)
