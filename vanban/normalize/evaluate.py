"""The normalize stage's metric: syllable accuracy of diacritic restoration (and the pyvi peer).

Syllable accuracy = gold word tokens matched exactly by the system (case-insensitive, tone
placement normalised, NFC) / gold word tokens, with the two token sequences aligned by
Levenshtein (so OCR output whose lines or reading order differ is still scored fairly). The
data sets are run by :mod:`vanban.evaluation.restore` (``vanban evaluate restore``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rapidfuzz.distance import Levenshtein

from ..text import clean_unicode, normalize_tone_style
from .vietnamese import tokenize


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
