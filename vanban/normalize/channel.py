"""Legacy-OCR channel model: how an English-model OCR writes each Vietnamese letter.

Learnt from pages of corpus text rendered and OCRed with ``tesseract -l eng``
(``scripts/normalize_make_channel_data.py``): OCR and gold lines are aligned, then words, then
letters (a letter may become nothing, one or two characters: "ư" -> "w", "ữ" -> "tt"). The
per-letter emission probabilities P(written | letter), letter case kept ("Đ" -> "P" but
"đ" -> "d"), give for every known syllable its most likely OCR spellings; the inverted index
(spelling -> syllables with -ln P(spelling | syllable)) ships as ``legacy_channel.npz`` and
gives the decoder its candidates in legacy mode.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

from .decoder import Slot
from .lm import DATA_DIR, UNK
from ..text import strip_diacritics
from .vietnamese import LEGACY_TOKEN_RE, is_word, skeleton

DEFAULT_CHANNEL = DATA_DIR / "legacy_channel.npz"

#: Most candidates per OCR spelling, and the variants kept per syllable and casing.
MAX_CANDIDATES = 16
VARIANTS_PER_SYLLABLE = 30
#: Weight of the channel cost against the LM cost.
CHANNEL_WEIGHT = 1.0
#: Cost of a candidate found only by the diacritic-free skeleton (outside the index).
SKELETON_FALLBACK_COST = 7.0
#: Extra cost of a candidate reached through a spelling one edit away from the token's (for
#: spellings the index does not hold: "ngu¢i" -> "ngudi" -> người).
EDIT_FALLBACK_COST = 3.0
#: Cost of a candidate whose skeleton is one edit away from the token's ("Thue" -> thực,
#: "B4" -> bộ): manglings the rendered training pages never showed.
SKELETON_EDIT_COST = 9.0
#: Channel cost of keeping a known word whose spelling the index does not list for it.
OWN_WORD_COST = 4.0
#: Also look one edit away when the index knows the spelling (slower, see the bench).
NEAR_ALWAYS = False


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


def _emissions_for(ch: str, table: dict[str, dict[str, float]]) -> list[tuple[str, float]]:
    """Emission list for one letter, with a fallback for letters the data never showed."""
    em = dict(table.get(ch, {}))
    base = strip_diacritics(ch)
    if not em:
        em = {base: 0.6, ch: 0.3}
    # Every letter may come out as itself or as its bare base letter now and then.
    em[ch] = max(em.get(ch, 0.0), 0.02)
    em[base] = max(em.get(base, 0.0), 0.05)
    items = sorted(em.items(), key=lambda kv: -kv[1])
    items = [(o, p) for o, p in items if p >= 0.004][:8]
    return items


def spellings(syllable: str, table: dict, k: int = VARIANTS_PER_SYLLABLE,
              min_logp: float = -11.0) -> list[tuple[str, float]]:
    """The ``k`` most likely OCR spellings of ``syllable`` with -ln P."""
    beams = [(0.0, "")]
    for ch in syllable:
        ems = _emissions_for(ch, table)
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


# ----------------------------------------------------------------------------- decoding
def _has_vowel(word: str) -> bool:
    return any(c in "aeiouy" for c in skeleton(word))


class LegacyChannel:
    """Candidate syllables (with channel costs) for a token of legacy OCR text."""

    def __init__(self, keys: np.ndarray, offsets: np.ndarray, ids: np.ndarray, costs: np.ndarray):
        self.keys = keys
        self.offsets = offsets
        self.ids = ids
        self.costs = costs.astype(np.float32) / 16.0
        self._cache: dict[str, tuple[list[int], list[float]]] = {}
        self._by_first: dict[str, list[str]] | None = None
        self._skeletons: list[str] | None = None

    @classmethod
    def load(cls, path: str | Path = DEFAULT_CHANNEL, lm=None) -> "LegacyChannel":
        """Load the index; syllables are mapped to ``lm``'s ids (unknown ones dropped)."""
        with np.load(path, allow_pickle=False) as z:
            syllables = str(z["syllables"][()]).split("\n")
            to_lm = np.array([lm.index.get(w, UNK) if lm is not None else UNK
                              for w in syllables], dtype=np.int64)
            ids = to_lm[z["ids"].astype(np.int64)]
            return cls(z["keys"], z["offsets"], ids, z["costs"])

    def lookup(self, spelling: str) -> tuple[list[int], list[float]]:
        hit = self._cache.get(spelling)
        if hit is not None:
            return hit
        pos = int(np.searchsorted(self.keys, spelling))
        if pos < len(self.keys) and self.keys[pos] == spelling:
            a, b = int(self.offsets[pos]), int(self.offsets[pos + 1])
            ids = self.ids[a:b]
            keep = ids != UNK
            hit = (ids[keep].tolist(), self.costs[a:b][keep].tolist())
        else:
            hit = ([], [])
        if len(self._cache) < 200_000:
            self._cache[spelling] = hit
        return hit

    def near(self, spelling: str) -> tuple[list[int], list[float]]:
        """Candidates through index spellings one edit away (same first letter)."""
        from rapidfuzz import process
        if self._by_first is None:
            groups: dict[str, list[str]] = defaultdict(list)
            for k in self.keys.tolist():
                groups[k[:1].lower()].append(k)
            self._by_first = dict(groups)
        pool = self._by_first.get(spelling[:1].lower(), [])
        best: dict[int, float] = {}
        for key, dist, _ in process.extract(spelling, pool, scorer=Levenshtein.distance,
                                            score_cutoff=1, limit=25):
            ids, costs = self.lookup(key)
            for i, c in zip(ids, costs):
                c = c + EDIT_FALLBACK_COST * dist
                if c < best.get(i, 99.0):
                    best[i] = c
        items = sorted(best.items(), key=lambda kv: kv[1])[:MAX_CANDIDATES]
        return [i for i, _ in items], [c for _, c in items]

    def skeleton_neighbours(self, restorer, low: str) -> list[int]:
        """The most frequent syllables of each skeleton one edit away from ``low``'s."""
        from rapidfuzz import process
        key = ("#", low)
        hit = self._cache.get(key)  # type: ignore[arg-type]
        if hit is not None:
            return hit[0]
        if self._skeletons is None:
            self._skeletons = list(restorer.skel_map)
        out: list[int] = []
        for sk, _, _ in process.extract(skeleton(low), self._skeletons, scorer=Levenshtein.distance,
                                        score_cutoff=1, limit=12):
            out.extend(restorer.skel_map[sk][:3])
        self._cache[key] = (out, [])  # type: ignore[index]
        return out

    def slot(self, restorer, tok: str, ti: int) -> Slot:
        """Candidates for one legacy word token (first: the token unchanged)."""
        lm = restorer.lm
        low = tok.lower()
        own = lm.index.get(low, UNK) if low.isalpha() else UNK
        ids, costs = self.lookup(tok)
        if not ids and tok != low:
            ids, costs = self.lookup(low)
        if len(tok) > 1 and own == UNK and (not ids or NEAR_ALWAYS):
            # Not a known word: also try the syllables of spellings one edit away; the
            # index alone misses rarer manglings ("cic" = các next to "cac").
            key = ("~", tok)
            hit = self._cache.get(key)  # type: ignore[arg-type]
            if hit is None:
                hit = self.near(tok)
                self._cache[key] = hit  # type: ignore[index]
            ids, costs = list(ids) + hit[0], list(costs) + hit[1]
        cand: dict[int, float] = {}
        n_obs = len(tok)
        for i, c in zip(ids, costs):
            # A candidate two or more letters longer than the token needs several dropped
            # letters: OCR rarely does that, the LM would happily invent ("X" -> "XII").
            if len(lm.vocab[i]) - n_obs >= 2:
                continue
            # An abbreviation (no vowel: "tp", "qđ") only stands for its own letters ("QD").
            if not _has_vowel(lm.vocab[i]) and skeleton(lm.vocab[i]) != skeleton(low):
                continue
            cand[i] = min(cand.get(i, 99.0), CHANNEL_WEIGHT * c)
        if low.isalpha():
            for i in restorer.skel_map.get(skeleton(low), []):
                if i not in cand:
                    cand[i] = SKELETON_FALLBACK_COST
        if SKELETON_EDIT_COST and len(low) > 1:
            for i in self.skeleton_neighbours(restorer, low):
                # the abbreviation rule above holds here too: "CTPH" is not "CTVPH"
                if i not in cand and _has_vowel(lm.vocab[i]):
                    cand[i] = SKELETON_EDIT_COST
        if not cand:
            return Slot([own], [0.0], [low], ti)
        out_ids, out_costs, strs = [], [], []
        if own == UNK or own not in cand:
            # The token as written: a known word costs what an unseen spelling costs; an
            # unknown one is kept only when nothing else fits.
            out_ids.append(own)
            out_costs.append(OWN_WORD_COST if own != UNK else 0.0)
            strs.append(low)
        for i, c in sorted(cand.items(), key=lambda kv: kv[1])[:MAX_CANDIDATES]:
            out_ids.append(i)
            out_costs.append(c)
            strs.append(lm.vocab[i])
        return Slot(out_ids, out_costs, strs, ti)


def load_default_channel(lm) -> LegacyChannel | None:
    """The shipped channel model for ``lm``, or None when it has not been built."""
    if DEFAULT_CHANNEL.exists():
        return LegacyChannel.load(DEFAULT_CHANNEL, lm)
    return None
