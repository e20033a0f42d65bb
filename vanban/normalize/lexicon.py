"""Lexicon evidence that the corpus is thin on: compound words and place names.

The training corpus is 94% legal codification. Words that provincial plans use all the time
are rare in it or missing: "sôi nổi" (5 times), "bứt phá" (once), "hoa kiểng". The names of
communes are missing too: "Hoằng" appears twice, so "Hoằng Đạt" came out as "Hoàng Đạt".
Two word lists in ``vanban/data/lexicon`` fill the gap. Both are rebuilt by
``scripts/normalize_make_lexicon.py`` from MIT-licensed PyPI packages.

- ``words.txt``: Vietnamese words of two or more syllables (pyvi's dictionary).
- ``places.txt``: the administrative units with their parents, before and after the 2025
  reorganisation ("xã Hoằng Đạt, huyện Hoằng Hóa, tỉnh Thanh Hóa").

They act in three ways:

1. The place lines and the lower-case words are extra training text for the LM, each once
   (``normalize.training.lexicon``, read by ``train_lm``). This puts their syllables in the
   vocabulary ("ngao" is not in the corpus) and gives their n-grams and, for the places, the
   capitalisation of their syllables.
2. While decoding, two adjacent candidates that form a dictionary word get
   :data:`WORD_BONUS` nats (:class:`PairBonus`).
3. Two adjacent candidates that form part of a place name get :data:`NAME_BONUS`, but only
   where both input tokens are capitalised. A capital is what marks a name in the text.
   A provincial document names its own communes: when the text names one province more than
   any other (:func:`detect_province`, on diacritic-free text, so it works before
   restoration), the names of that province's units get :data:`LOCAL_NAME_BONUS` more.
   "Hoằng Châu" (Thanh Hóa) then wins over "Hoàng Châu" (elsewhere) in a Thanh Hóa plan.

A syllable of either list is also a restoration candidate even when the corpus saw it only
once (see ``Restorer``).

``train_lm`` stores the pair tables over its vocabulary in the model file
(``normalize.training.lexicon.lexicon_tables``), so loading parses no list; after editing a
list, rebuild the model (``vanban train-lm``). Measured (stripped text, unseen by the model): dev plans 98.75% ->
99.08%, held-out corpus slice 99.37% -> 99.45%; correct text changed 0.071% -> 0.030%.
Known cost: a rare word whose reading is a common one stays hard ("nuôi ngao" -> "ngạo",
"ngạo" being the frequent word of the two), and person names are not in the lists.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

import numpy as np

from ..text import fold_diacritics
from .lm import ngram_keys

#: Nats a pair of adjacent candidates gains when it is a dictionary word (any case).
#: Tuned on the held-out corpus slice and the dev plans (stripped text).
WORD_BONUS = 1.5
#: Nats a pair gains when it is part of a place name and both tokens are capitalised.
NAME_BONUS = 3.0
#: Extra nats for a place-name pair of the document's own province.
LOCAL_NAME_BONUS = 3.0


def _folded(name: str) -> str:
    return " ".join(fold_diacritics(name, lower=True).split())


_PROVINCE_TYPES = r"(?:tinh|thanh pho|tp\.?)"


@lru_cache(maxsize=8)
def _province_pattern(provinces: tuple[str, ...]) -> tuple[re.Pattern, dict[str, list[str]]]:
    by_fold: dict[str, list[str]] = {}
    for p in provinces:
        by_fold.setdefault(_folded(p), []).append(p)
    pattern = re.compile(r"\b%s\s+(%s)\b" % (_PROVINCE_TYPES, "|".join(
        re.escape(f) for f in sorted(by_fold, key=len, reverse=True))))
    return pattern, by_fold


def detect_province(text: str, provinces: Iterable[str]) -> str | None:
    """The province a document names most often after "tỉnh"/"thành phố" (its issuer, its
    subject), on diacritic-free lower-case text, so it also works on stripped or legacy text
    before restoration. None when no province is named, on a tie, or when the folded name
    is two provinces'."""
    provinces = tuple(provinces)
    if not provinces:
        return None
    pattern, by_fold = _province_pattern(provinces)
    folded = " ".join(fold_diacritics(text, lower=True).split())
    counts = Counter(m.group(1) for m in pattern.finditer(folded))
    if not counts:
        return None
    ranked = counts.most_common(2)
    best, n = ranked[0]
    if (len(ranked) > 1 and ranked[1][1] == n) or len(by_fold[best]) > 1:
        return None
    return by_fold[best][0]


#: Bits of a pair's code in :class:`PairBonus`'s merged table.
_WORD, _NAME, _LOCAL = 1, 2, 4


class PairBonus:
    """Bonus (in nats, to subtract from LM costs) for adjacent candidate pairs.

    One sorted table of pair keys (``lm.ngram_keys`` of the two ids) with a code per key saying
    whether the pair is a dictionary word, a place name, or a name of the document's own
    province: one binary search per pair, whatever the lists."""

    def __init__(self, tables: dict[str, np.ndarray], province: str | None = None):
        self.tables = tables
        self.province = province
        self.provinces = str(tables["lex_provinces"][()]).split("\n") \
            if str(tables["lex_provinces"][()]) else []
        parts = [(tables["lex_word_pairs"], _WORD), (tables["lex_name_pairs"], _NAME)]
        if province is not None:
            i = self.provinces.index(province)
            a, b = tables["lex_local_offsets"][i:i + 2]
            parts.append((tables["lex_local_pairs"][a:b], _LOCAL))
        keys = np.concatenate([k for k, _ in parts]).astype(np.uint64)
        codes = np.concatenate([np.full(len(k), c, np.uint8) for k, c in parts])
        self.keys, inverse = np.unique(keys, return_inverse=True)
        self.codes = np.zeros(len(self.keys), np.uint8)
        np.bitwise_or.at(self.codes, inverse.reshape(-1), codes)
        # code -> bonus without / with capitals on both sides
        self._plain = np.array([WORD_BONUS if c & _WORD else 0.0 for c in range(8)], np.float32)
        self._capital = np.array([max(WORD_BONUS if c & _WORD else 0.0,
                                      (NAME_BONUS if c & _NAME else 0.0)
                                      + (LOCAL_NAME_BONUS if c & _LOCAL else 0.0))
                                  for c in range(8)], np.float32)
        self._for_province: dict[str, PairBonus] = {}

    def for_text(self, text: str) -> "PairBonus":
        """These bonuses plus the local-name bonus of the province ``text`` names most (self
        when it names none)."""
        province = detect_province(text, self.provinces)
        if province is None or province == self.province:
            return self
        found = self._for_province.get(province)
        if found is None:
            found = self._for_province[province] = PairBonus(self.tables, province)
        return found

    def bonus(self, left: np.ndarray, right: np.ndarray, capitalised: np.ndarray) -> np.ndarray:
        """left, right: LM ids of adjacent candidates; capitalised: both input tokens start
        with a capital. Returns float32 bonuses, same shape."""
        if not len(self.keys):
            return np.zeros(left.shape, np.float32)
        keys = ngram_keys([left, right])
        pos = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        code = np.where(self.keys[pos] == keys, self.codes[pos], 0)
        return np.where(capitalised, self._capital[code], self._plain[code])
