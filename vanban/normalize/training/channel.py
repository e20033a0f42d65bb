"""Learning the legacy-OCR channel (:mod:`vanban.normalize.channel`) from pages of corpus text
rendered and OCRed with ``tesseract -l eng`` (``scripts/normalize_make_channel_data.py``).

OCR and gold lines are aligned, then words, then letters (a letter may become nothing, one or
two characters: "ư" -> "w", "ữ" -> "tt"). The per-letter emission probabilities
P(written | letter), letter case kept ("Đ" -> "P" but "đ" -> "d"), give for every known
syllable its most likely OCR spellings; the inverted index (spelling -> syllables with
-ln P(spelling | syllable)) is written as ``legacy_channel.npz``.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

from ...text import strip_diacritics
from ..channel import DEFAULT_CHANNEL, MAX_CANDIDATES, letter_emissions
from ..vietnamese import LEGACY_TOKEN_RE, is_word, skeleton

#: OCR spellings kept per syllable and casing.
VARIANTS_PER_SYLLABLE = 30


# ----------------------------------------------------------------------------- alignment
def _base(ch: str) -> str:
    return strip_diacritics(ch).lower()


def _sub_cost(t: str, o: str, table: dict | None) -> float:
    if table is not None:
        p = table.get(t, {}).get(o)
        if p:
            return -math.log(p)
        return 9.0 if _base(t) != _base(o) else 5.0
    if t == o:
        return 0.0
    if _base(t) == _base(o):
        return 0.3
    return 1.0


def align_chars(target: str, observed: str, table: dict | None = None) -> list[tuple[str, str]]:
    """Each letter of ``target`` with the (0-2 character) string it became in ``observed``."""
    n, m = len(target), len(observed)
    INF = float("inf")
    cost = [[INF] * (m + 1) for _ in range(n + 1)]
    back: list[list[int]] = [[0] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(1, n + 1):
        t = target[i - 1]
        for j in range(0, m + 1):
            best, arg = cost[i - 1][j] + _sub_cost(t, "", table) + (0 if table else 0.7), 0
            if j >= 1:
                c = cost[i - 1][j - 1] + _sub_cost(t, observed[j - 1], table)
                if c < best:
                    best, arg = c, 1
            if j >= 2:
                o2 = observed[j - 2:j]
                c = cost[i - 1][j - 2] + (_sub_cost(t, o2, table) if table else
                                          min(_sub_cost(t, o2[0], None), _sub_cost(t, o2[1], None)) + 0.7)
                if c < best:
                    best, arg = c, 2
            cost[i][j] = best
            back[i][j] = arg
    if cost[n][m] == INF:
        return []
    out = []
    i, j = n, m
    while i > 0:
        k = back[i][j]
        out.append((target[i - 1], observed[j - k:j]))
        i, j = i - 1, j - k
    if j != 0:
        return []
    return out[::-1]


def _align_seq(a: list[str], b: list[str], sim) -> list[tuple[int, int]]:
    """Monotone alignment of two sequences (pairs of matched indices), DP on 1 - sim."""
    n, m = len(a), len(b)
    skip = 0.75
    cost = np.full((n + 1, m + 1), np.inf)
    cost[0, :] = np.arange(m + 1) * skip
    cost[:, 0] = np.arange(n + 1) * skip
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            opts = (cost[i - 1, j - 1] + (1 - sim(a[i - 1], b[j - 1])),
                    cost[i - 1, j] + skip, cost[i, j - 1] + skip)
            k = int(np.argmin(opts))
            cost[i, j] = opts[k]
            back[i, j] = k
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        k = back[i, j]
        if k == 0:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif k == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _sim(a: str, b: str) -> float:
    return 1.0 - Levenshtein.normalized_distance(skeleton(a), skeleton(b))


def word_pairs(gold: str, ocr: str) -> list[tuple[str, str]]:
    """(gold syllable, OCR spelling) pairs from one gold/OCR page."""
    g_lines = [ln for ln in gold.split("\n") if ln.strip()]
    o_lines = [ln for ln in ocr.split("\n") if ln.strip()]
    out = []
    for gi, oi in _align_seq(g_lines, o_lines, _sim):
        g_chunks, o_chunks = g_lines[gi].split(), o_lines[oi].split()
        if _sim(g_lines[gi], o_lines[oi]) < 0.5:
            continue
        for a, b in _align_seq(g_chunks, o_chunks, _sim):
            gw = [t for t in LEGACY_TOKEN_RE.findall(g_chunks[a]) if is_word(t)]
            ow = [t for t in LEGACY_TOKEN_RE.findall(o_chunks[b]) if is_word(t)]
            if len(gw) == len(ow):
                out.extend(zip(gw, ow))
    return out


# ----------------------------------------------------------------------------- learning
def learn_emissions(pairs: list[tuple[str, str]], iterations: int = 2) -> dict[str, dict[str, float]]:
    """P(written | letter) from aligned word pairs (hard-EM over letter alignments)."""
    table: dict | None = None
    for _ in range(iterations):
        counts: dict[str, Counter] = defaultdict(Counter)
        for t, o in pairs:
            if len(o) > 2 * len(t) + 1:
                continue
            for tc, oc in align_chars(t, o, table):
                counts[tc][oc] += 1
        table = {}
        for tc, cnt in counts.items():
            total = sum(cnt.values()) + 1.0
            table[tc] = {o: c / total for o, c in cnt.items() if c >= 1}
    return table or {}


def spellings(syllable: str, table: dict, k: int = VARIANTS_PER_SYLLABLE,
              min_logp: float = -11.0) -> list[tuple[str, float]]:
    """The ``k`` most likely OCR spellings of ``syllable`` with -ln P."""
    beams = [(0.0, "")]
    for ch in syllable:
        ems = letter_emissions(ch, table)
        nxt = []
        for cost, s in beams:
            for o, p in ems:
                c = cost - math.log(p)
                if -c >= min_logp:
                    nxt.append((c, s + o))
        beams = heapq.nsmallest(k * 3, nxt)
    merged: dict[str, float] = {}
    for c, s in beams:
        if s and (s not in merged or c < merged[s]):
            merged[s] = c
    return sorted(((s, c) for s, c in merged.items()), key=lambda x: x[1])[:k]


def build_channel(pair_dir: str | Path, lm, out: str | Path = DEFAULT_CHANNEL, *,
                  min_count: int = 3, progress=None) -> dict:
    """Learn emissions from ``pair_dir`` (*.gold.txt / *.ocr.txt) and write the index."""
    say = progress or (lambda m: None)
    pairs: list[tuple[str, str]] = []
    for gold in sorted(Path(pair_dir).glob("*.gold.txt")):
        ocr = gold.with_name(gold.name.replace(".gold.txt", ".ocr.txt"))
        if ocr.exists():
            pairs.extend(word_pairs(gold.read_text(encoding="utf-8"), ocr.read_text(encoding="utf-8")))
    say(f"{len(pairs):,} aligned word pairs")
    table = learn_emissions(pairs)
    index: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for i, w in enumerate(lm.vocab):
        if i < 3 or not w.isalpha() or int(lm.counts[i]) < min_count:
            continue
        forms = {w, w[:1].upper() + w[1:]}
        if len(w) > 1:
            forms.add(w.upper())
        for form in forms:
            for s, c in spellings(form, table):
                index[s].append((c, i))
    keys = sorted(index)
    offsets = [0]
    ids, costs = [], []
    # Rank a spelling's syllables by P(spelling | syllable) P(syllable): the index keeps the
    # ones the decoder could plausibly pick ("day" must keep "đẩy", a frequent word).
    prior = -np.log(np.maximum(lm.counts, 1) / max(1, int(lm.counts.sum())))
    for k_ in keys:
        lst = sorted(index[k_], key=lambda ci: ci[0] + prior[ci[1]])
        # Keep one entry per syllable (its cheapest casing), the best ones first.
        seen = set()
        for c, i in lst:
            if i in seen:
                continue
            seen.add(i)
            ids.append(i)
            costs.append(c)
            if len(seen) >= MAX_CANDIDATES:
                break
        offsets.append(len(ids))
    out = Path(out)
    # Syllables are stored as strings (a local table), so the channel stays valid when the
    # LM is retrained and its ids change.
    used = sorted(set(ids))
    local = {i: j for j, i in enumerate(used)}
    np.savez_compressed(out, keys=np.array(keys), offsets=np.array(offsets, dtype=np.int32),
                        syllables=np.array("\n".join(lm.vocab[i] for i in used)),
                        ids=np.array([local[i] for i in ids], dtype=np.uint16),
                        costs=np.round(np.array(costs) * 16).clip(0, 255).astype(np.uint8),
                        emissions=np.array(repr(table)))
    stats = {"pairs": len(pairs), "spellings": len(keys), "entries": len(ids),
             "bytes": out.stat().st_size}
    say(f"channel: {stats}")
    return stats
