"""The normalize stage's metric: syllable accuracy of diacritic restoration (and the pyvi peer).

Syllable accuracy = gold word tokens matched exactly by the system (case-insensitive, tone
placement normalised, NFC) / gold word tokens, with the two token sequences aligned by
Levenshtein (so OCR output whose lines or reading order differ is still scored fairly). The
data sets are run by :mod:`vanban.evaluation.restore` (``vanban evaluate restore``).

A second figure, :func:`syllable_score_moved`, also counts the blocks the OCR read in another
order than the gold text (the two-column header of a directive read row by row): after the
alignment, runs of at least :data:`MIN_MOVED_RUN` consecutive gold tokens that the alignment
left unmatched and that appear, consecutively, among the system's unmatched tokens are matched
by greedy string tiling (longest run first); and it always aligns by Levenshtein (the first
figure compares texts of the same length token by token, for speed, when half of the tokens
match so). A wrong word in place can never be credited this
way: its neighbours are already matched, and a credited token needs two unmatched neighbours
that equal the gold's too. What it cannot tell from a real move: a block deleted in one place
while an identical block was inserted elsewhere (a boilerplate line read twice) is scored as
read in another order, since insertions are never charged. The restorer itself neither
inserts nor deletes word tokens, so its errors are not hidden so. Both figures are reported
side by side (docs/normalize.md).
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


#: Shortest run of tokens :func:`syllable_score_moved` credits as a block read out of order.
MIN_MOVED_RUN = 3


def _aligned(h: list[str], g: list[str], positional: bool = True) -> tuple[list[bool], list[bool]]:
    """Which tokens of ``h`` and of ``g`` the Levenshtein alignment matches (``positional``:
    token by token instead when both have the same length and half of them match so)."""
    hm, gm = [False] * len(h), [False] * len(g)
    if positional and len(h) == len(g) and sum(a == b for a, b in zip(h, g)) >= 0.5 * len(g):
        for i, (a, b) in enumerate(zip(h, g)):
            hm[i] = gm[i] = a == b
        return hm, gm
    vocab: dict[str, int] = {}
    hi = [vocab.setdefault(t, len(vocab)) for t in h]
    gi = [vocab.setdefault(t, len(vocab)) for t in g]
    for op in Levenshtein.opcodes(hi, gi):
        if op.tag == "equal":
            for k in range(op.src_end - op.src_start):
                hm[op.src_start + k] = gm[op.dest_start + k] = True
    return hm, gm


def _unmatched_runs(matched: list[bool], min_len: int) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, m in enumerate(matched + [True]):
        if not m and start is None:
            start = i
        elif m and start is not None:
            if i - start >= min_len:
                runs.append((start, i))
            start = None
    return runs


def _maximal_matches(h: list[str], g: list[str], hm: list[bool], gm: list[bool],
                     min_len: int) -> list[tuple[int, int, int]]:
    """Every common run of unmatched hyp and gold tokens, at least ``min_len`` long and
    extended as far as it goes both ways: (length, hyp start, gold start). Found through an
    index of the gold's unmatched ``min_len``-grams (Karp-Rabin style), so near-linear in the
    text length rather than quadratic."""
    grams: dict[tuple[str, ...], list[int]] = {}
    free = 0
    for j in range(len(g)):
        free = free + 1 if not gm[j] else 0
        if free >= min_len:
            grams.setdefault(tuple(g[j - min_len + 1:j + 1]), []).append(j - min_len + 1)
    found = []
    free = 0
    for i in range(len(h)):
        free = free + 1 if not hm[i] else 0
        if free < min_len:
            continue
        hs = i - min_len + 1
        for gs in grams.get(tuple(h[hs:i + 1]), ()):
            if hs and gs and not hm[hs - 1] and not gm[gs - 1] and h[hs - 1] == g[gs - 1]:
                continue                      # not left-maximal: found from further left
            n = min_len
            while hs + n < len(h) and gs + n < len(g) and not hm[hs + n] and not gm[gs + n] \
                    and h[hs + n] == g[gs + n]:
                n += 1
            found.append((n, hs, gs))
    return found


def _tile_moved_blocks(h: list[str], g: list[str], hm: list[bool], gm: list[bool],
                       min_len: int) -> int:
    """Greedy string tiling of the unmatched tokens: mark the longest common run of unmatched
    hyp and gold tokens (at least ``min_len``) as matched, again until none is left (ties:
    the first in the hyp, then in the gold); the number of gold tokens so matched. Each pass
    marks the maximal matches longest first while none of them overlaps one marked before
    (those are then the longest left); at the first overlap it looks again."""
    gained = 0
    while True:
        matches = sorted(_maximal_matches(h, g, hm, gm, min_len), key=lambda m: (-m[0], m[1], m[2]))
        if not matches:
            return gained
        for n, hs, gs in matches:
            if any(hm[hs:hs + n]) or any(gm[gs:gs + n]):
                break
            for k in range(n):
                hm[hs + k] = gm[gs + k] = True
            gained += n


def syllable_score(hyp: str, gold: str) -> Score:
    """Aligned exact-match count of gold word tokens."""
    h, g = word_tokens(hyp), word_tokens(gold)
    return Score(sum(_aligned(h, g)[1]), len(g))


def syllable_scores(hyp: str, gold: str, min_run: int = MIN_MOVED_RUN) -> tuple[Score, Score]:
    """(:func:`syllable_score`, :func:`syllable_score_moved`) with one alignment."""
    h, g = word_tokens(hyp), word_tokens(gold)
    aligned = sum(_aligned(h, g)[1])
    # The second figure always aligns by Levenshtein: the first one's token-by-token shortcut
    # for texts of equal length counts everything between a dropped and an extra word wrong.
    hm, gm = _aligned(h, g, positional=False)
    moved = sum(gm) + _tile_moved_blocks(h, g, hm, gm, min_run)
    return Score(aligned, len(g)), Score(max(aligned, moved), len(g))


def syllable_score_moved(hyp: str, gold: str, min_run: int = MIN_MOVED_RUN) -> Score:
    """:func:`syllable_score` plus the gold tokens of blocks read in another order: unmatched
    runs of at least ``min_run`` tokens found, in the same order, among the unmatched tokens
    of ``hyp`` (greedy string tiling). Never lower than :func:`syllable_score`."""
    return syllable_scores(hyp, gold, min_run)[1]


def changed_rate(before: str, after: str) -> Score:
    """Word tokens changed: Score(changed, total) (aligned like :func:`syllable_score`)."""
    s = syllable_score(after, before)
    return Score(s.total - s.correct, s.total)


def changed_rates(before: str, after: str) -> tuple[Score, Score]:
    """:func:`changed_rate` by both figures of :func:`syllable_scores`."""
    return tuple(Score(s.total - s.correct, s.total)  # type: ignore[return-value]
                 for s in syllable_scores(after, before))


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
