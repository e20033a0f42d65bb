"""Legacy-OCR channel model: how an English-model OCR writes each Vietnamese letter.

``legacy_channel.npz`` (learnt by :mod:`vanban.normalize.training.channel` from rendered
corpus pages OCRed with ``tesseract -l eng``) is an inverted index: an OCR spelling -> the
syllables that come out so, with -ln P(spelling | syllable). It gives the decoder its
candidates in legacy mode.
"""

from __future__ import annotations

import ast
import heapq
import re
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

from .decoder import Slot
from .lm import DATA_DIR, NUM, UNK, ModelFileError
from ..text import strip_diacritics
from .vietnamese import skeleton

DEFAULT_CHANNEL = DATA_DIR / "legacy_channel.npz"

#: Most candidates per OCR spelling.
MAX_CANDIDATES = 16
#: Weight of the channel cost against the LM cost.
CHANNEL_WEIGHT = 0.65
#: Cost of a candidate found only by the diacritic-free skeleton (outside the index).
SKELETON_FALLBACK_COST = 7.0
#: Cost of reading an unmarked token the index does not list as the word it spells
#: (see LegacyChannel.slot). Only words of the skeleton map get it: those the corpus saw at
#: least MIN_CANDIDATE_COUNT times or a word list has; a word seen once (maybe a typo or OCR
#: garbage of the corpus) is not in that map and keeps OWN_WORD_COST.
UNMARKED_OWN_COST = 0.5
#: Extra cost of a candidate reached through a spelling one edit away from the token's (for
#: spellings the index does not hold: "ngu¢i" -> "ngudi" -> người).
EDIT_FALLBACK_COST = 3.0
#: Cost of a candidate whose skeleton is one edit away from the token's ("Thue" -> thực,
#: "B4" -> bộ): manglings the rendered training pages never showed.
SKELETON_EDIT_COST = 9.0
#: How many of those skeletons (the closest first) and syllables of each (the most frequent).
SKELETON_EDIT_LIMIT = 12
SKELETON_EDIT_PER_SKELETON = 3
#: Channel cost of keeping a known word whose spelling the index does not list for it.
OWN_WORD_COST = 4.0
#: Extra cost of a syllable that shares its diacritic-free skeleton with a syllable the
#: index lists for the spelling ("thirc" is listed for thức only; thực, written the same way
#: but for its tone mark, comes in at thức's cost plus this). An English model reads the base
#: letters and the marks of a syllable apart, so a spelling seen for one tone is evidence for
#: the others; the rendered training pages show each spelling for a few syllables only.
SIBLING_COST = 3.0
#: A number of at most this many digits may be a word the English model read as digits
#: ("16" = lộ, "6" = ở, as the rendered training pages show); longer ones stay numbers.
MAX_DIGIT_WORD = 2
#: Extra cost of reading such a number as a word: a number is the rule, the LM must show
#: that a word fits clearly better ("nguy cơ 6 nhiễm" but "Điều 6 của").
DIGIT_WORD_COST = 2.5


#: Candidates read off the letter emissions (LegacyChannel.emission_candidates): the
#: spellings the index lists are the few most likely ones of each syllable, so a rarer
#: reading of one letter ("ttng": ứ written "tt", "ngii": ũ written "ii") finds no syllable
#: there. The search spells the token back, letter by letter, through the emission table.
#: Most -ln P(spelling | syllable) a candidate found so may have:
EMISSION_MAX_COST = 9.0
#: Extra cost of such a candidate (on top of CHANNEL_WEIGHT times its emission cost).
EMISSION_EXTRA_COST = 3.0
#: The most letters the search may assume the OCR dropped.
EMISSION_MAX_DROPS = 1
#: Most candidates it adds per token (the cheapest; each costs the decoder time).
EMISSION_MAX_CANDIDATES = 16
#: Search states explored per token at most (speed bound: the cheapest are explored first).
EMISSION_MAX_STATES = 4000


#: Per letter (letter_emissions, shared by the index build and the search): least
#: P(written | letter) of an emission kept; the most emissions the index build spells each
#: letter with (its beams stay small; the search keeps them all, its aim being the rarer
#: readings the index leaves out: ứ written "tt"); the floors of the letter written as itself
#: and as its bare base letter (every letter comes out so now and then).
EMISSION_MIN_P = 0.004
EMISSIONS_PER_LETTER = 8
OWN_LETTER_FLOOR = 0.02
BASE_LETTER_FLOOR = 0.05
#: Emissions of a letter the training pages never showed: its base letter or itself.
UNSEEN_LETTER_EMISSIONS = {"base": 0.6, "own": 0.3}


def letter_emissions(ch: str, table: dict[str, dict[str, float]],
                     most: int | None = EMISSIONS_PER_LETTER) -> list[tuple[str, float]]:
    """How an English model writes the letter ``ch``: (written, P) most likely first, at most
    ``most`` of them (None: all), from the learnt emission ``table``, with the floors and the
    fallback for unseen letters above.
    One function for the index build (training.channel) and the search
    (LegacyChannel.emission_candidates), so both use the same probabilities."""
    em = dict(table.get(ch, {}))
    base = strip_diacritics(ch)
    if not em:
        em = {base: UNSEEN_LETTER_EMISSIONS["base"], ch: UNSEEN_LETTER_EMISSIONS["own"]}
    em[ch] = max(em.get(ch, 0.0), OWN_LETTER_FLOOR)
    em[base] = max(em.get(base, 0.0), BASE_LETTER_FLOOR)
    items = sorted(em.items(), key=lambda kv: -kv[1])
    return [(o, p) for o, p in items if p >= EMISSION_MIN_P][:most]


#: Capitals then digits ("NH4", "NO2", "CO2", "QH15"): a formula or a code. Unless the index
#: lists that spelling, it is kept as written (one edit away it would be a word: "NO2" ->
#: "nơi").
_CODE = re.compile(r"[A-Z]{2,}[0-9]+")


def _has_vowel(word: str) -> bool:
    return any(c in "aeiouy" for c in skeleton(word))


class LegacyChannel:
    """Candidate syllables (with channel costs) for a token of legacy OCR text."""

    def __init__(self, keys: np.ndarray, offsets: np.ndarray, ids: np.ndarray, costs: np.ndarray,
                 emissions: dict[str, dict[str, float]] | None = None):
        self.keys = keys
        self.emissions = emissions or {}
        self._inverse: dict[str, list[tuple[str, float]]] | None = None
        self._forms: dict[str, int] | None = None
        self._prefixes: set[str] | None = None
        self.offsets = offsets
        self.ids = ids
        self.costs = costs.astype(np.float32) / 16.0
        self._cache: dict[str, tuple[list[int], list[float]]] = {}
        self._by_first: dict[str, list[str]] | None = None
        self._skeletons: list[str] | None = None

    @classmethod
    def load(cls, path: str | Path = DEFAULT_CHANNEL, lm=None) -> "LegacyChannel":
        """Load the index; syllables are mapped to ``lm``'s ids (unknown ones dropped).
        Raises :class:`vanban.normalize.lm.ModelFileError` for a file it cannot use."""
        try:
            with np.load(path, allow_pickle=False) as z:
                syllables = str(z["syllables"][()]).split("\n")
                to_lm = np.array([lm.index.get(w, UNK) if lm is not None else UNK
                                  for w in syllables], dtype=np.int64)
                ids = to_lm[z["ids"].astype(np.int64)]
                emissions = ast.literal_eval(str(z["emissions"][()])) \
                    if "emissions" in z.files else None
                return cls(z["keys"], z["offsets"], ids, z["costs"], emissions)
        except (OSError, EOFError, zipfile.BadZipFile, ValueError, KeyError, IndexError,
                SyntaxError) as err:
            raise ModelFileError(f"legacy-OCR channel model cannot be read ({type(err).__name__}: "
                                 f"{err}); reinstall vanban or rebuild it", str(path)) from None

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

    def _emission_tables(self, restorer) -> None:
        """The inverse emission table (written string -> letters with -ln P) and the forms
        (lower, Title, UPPER) of the restorer's candidate syllables with their prefixes."""
        forms: dict[str, int] = {}
        vocab = restorer.lm.vocab
        for ids in restorer.skel_map.values():
            for i in ids:
                w = vocab[i]
                for f in (w, w[:1].upper() + w[1:], w.upper()):
                    forms.setdefault(f, i)
        prefixes = {f[:k] for f in forms for k in range(1, len(f) + 1)}
        letters = {c for f in forms for c in f}
        inverse: dict[str, dict[str, float]] = defaultdict(dict)
        for ch in letters:
            for o, p in letter_emissions(ch, self.emissions, most=None):
                if len(o) <= 2:
                    c = -float(np.log(p))
                    if c < inverse[o].get(ch, 99.0):
                        inverse[o][ch] = c
        self._inverse = {o: sorted(d.items(), key=lambda lc: lc[1]) for o, d in inverse.items()}
        self._forms, self._prefixes = forms, prefixes

    def emission_candidates(self, restorer, tok: str) -> list[tuple[int, float]]:
        """Syllables that an English model may have written as ``tok``, by the letter
        emissions, with -ln P(tok | syllable) up to EMISSION_MAX_COST, cheapest first (at most
        EMISSION_MAX_CANDIDATES). Best-first search over the token's pieces of 0-2 characters."""
        key = ("^", tok)
        hit = self._cache.get(key)  # type: ignore[arg-type]
        if hit is not None:
            return hit  # type: ignore[return-value]
        if not self.emissions:
            return []
        if self._inverse is None:
            self._emission_tables(restorer)
        inverse, forms, prefixes = self._inverse, self._forms, self._prefixes
        dropped = inverse.get("", [])
        n = len(tok)
        heap: list[tuple[float, int, str, int]] = [(0.0, 0, "", 0)]
        seen: set[tuple[int, str, int]] = set()
        found: dict[int, float] = {}
        states = 0
        while heap and states < EMISSION_MAX_STATES and len(found) < EMISSION_MAX_CANDIDATES:
            cost, pos, built, drops = heapq.heappop(heap)
            if (pos, built, drops) in seen:
                continue
            seen.add((pos, built, drops))
            states += 1
            if pos == n:
                i = forms.get(built)
                if i is not None and i not in found:
                    found[i] = cost
            for k in (1, 2):
                if pos + k > n:
                    break
                for letter, c in inverse.get(tok[pos:pos + k], ()):
                    if cost + c > EMISSION_MAX_COST:
                        break
                    nb = built + letter
                    if nb in prefixes:
                        heapq.heappush(heap, (cost + c, pos + k, nb, drops))
            if drops < EMISSION_MAX_DROPS and built:
                for letter, c in dropped:
                    if cost + c > EMISSION_MAX_COST:
                        break
                    nb = built + letter
                    if nb in prefixes:
                        heapq.heappush(heap, (cost + c, pos, nb, drops + 1))
        out = sorted(found.items(), key=lambda ic: ic[1])
        if len(self._cache) < 200_000:
            self._cache[key] = out  # type: ignore[index]
        return out

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
                                        score_cutoff=1, limit=int(SKELETON_EDIT_LIMIT)):
            out.extend(restorer.skel_map[sk][:int(SKELETON_EDIT_PER_SKELETON)])
        self._cache[key] = (out, [])  # type: ignore[index]
        return out

    @staticmethod
    def _add_siblings(restorer, cand: dict[int, float]) -> None:
        """Add, in place, the syllables of each candidate's skeleton at its cost plus
        SIBLING_COST (see there)."""
        if not SIBLING_COST:
            return
        vocab = restorer.lm.vocab
        for i, c in list(cand.items()):
            for j in restorer.skel_map.get(skeleton(vocab[i]), []):
                if c + SIBLING_COST < cand.get(j, 99.0):
                    cand[j] = c + SIBLING_COST

    def number_slot(self, restorer, tok: str, ti: int, own: int = NUM) -> Slot:
        """Candidates for a number token of legacy text: the number itself (first) and the
        words the index lists for that spelling, at DIGIT_WORD_COST more. (Also for a lone
        symbol between words, "@" = "ở", with ``own`` its id.)"""
        ids, costs = self.lookup(tok) if len(tok) <= MAX_DIGIT_WORD else ([], [])
        cand: dict[int, float] = {}
        for i, c in zip(ids, costs):
            cand[i] = min(cand.get(i, 99.0), CHANNEL_WEIGHT * c)
        self._add_siblings(restorer, cand)
        slot = Slot([own], [0.0], [tok], ti)
        for i, c in sorted(cand.items(), key=lambda ic: ic[1])[:MAX_CANDIDATES]:
            slot.ids.append(i)
            slot.costs.append(c + DIGIT_WORD_COST)
            slot.strings.append(restorer.lm.vocab[i])
        return slot

    def slot(self, restorer, tok: str, ti: int) -> Slot:
        """Candidates for one legacy word token (first: the token unchanged)."""
        lm = restorer.lm
        low = tok.lower()
        own = lm.index.get(low, UNK) if low.isalpha() else UNK
        ids, costs = self.lookup(tok)
        if not ids and _CODE.fullmatch(tok):
            return Slot([own], [0.0], [low], ti)
        if not ids and tok != low:
            ids, costs = self.lookup(low)
        if len(tok) > 1 and own == UNK and not ids:
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
        self._add_siblings(restorer, cand)
        if len(tok) > 1 and own == UNK:
            # (only for a token that is not itself a word: a known word is read as written
            # far more often than as a rare misreading of another)
            for i, c in self.emission_candidates(restorer, tok):
                if len(lm.vocab[i]) - n_obs >= 2 or not _has_vowel(lm.vocab[i]):
                    continue
                c = CHANNEL_WEIGHT * c + EMISSION_EXTRA_COST
                if c < cand.get(i, 99.0):
                    cand[i] = c
        if low.isalpha():
            # (i == own below only for a word of the skeleton map: seen twice or listed)
            plain_unlisted = not ids and own != UNK and skeleton(low) == low
            for i in restorer.skel_map.get(skeleton(low), []):
                if i not in cand:
                    # An unlisted spelling without marks that is a word ("ngao"): an
                    # English model reads unmarked letters as they are, so the word itself
                    # is the likeliest reading, its marked siblings the fallback.
                    cand[i] = UNMARKED_OWN_COST if plain_unlisted and i == own \
                        else SKELETON_FALLBACK_COST
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
