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
   (:func:`lexicon_training_lines`, read by ``train_lm``). This puts their syllables in the
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
(:func:`lexicon_tables`), so loading parses no list; after editing a list, rebuild the model
(``vanban train-lm``). Measured (stripped text, unseen by the model): dev plans 98.75% ->
99.08%, held-out corpus slice 99.37% -> 99.45%; correct text changed 0.071% -> 0.030%.
Known cost: a rare word whose reading is a common one stays hard ("nuôi ngao" -> "ngạo",
"ngạo" being the frequent word of the two), and person names are not in the lists.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

from ..text import fold_diacritics, normalize_tone_style
from .lm import ngram_keys

LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicon"
WORDS_FILE = LEXICON_DIR / "words.txt"
PLACES_FILE = LEXICON_DIR / "places.txt"

#: Nats a pair of adjacent candidates gains when it is a dictionary word (any case).
#: Tuned on the held-out corpus slice and the dev plans (stripped text).
WORD_BONUS = 1.5
#: Nats a pair gains when it is part of a place name and both tokens are capitalised.
NAME_BONUS = 3.0
#: Extra nats for a place-name pair of the document's own province.
LOCAL_NAME_BONUS = 3.0
#: Words that say which kind of unit a name is; they are not part of the name.
UNIT_TYPES = ("thành phố", "thị trấn", "thị xã", "tỉnh", "huyện", "quận", "xã", "phường",
              "đặc khu")
_UNIT_TYPE = re.compile(r"^(?:%s)\s+" % "|".join(UNIT_TYPES))
_SYLLABLE = re.compile(r"\w+")


def _entries(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]


def place_lines(path: Path = PLACES_FILE) -> list[str]:
    """The lines of the place list, as training text for the LM."""
    return _entries(path)


def lexicon_training_lines() -> list[str]:
    """The place lines and the lower-case dictionary words (proper names in the dictionary
    are left out: the place list covers places better)."""
    return place_lines() + [w for w in compound_words() if w == w.lower()]


def place_names(path: Path = PLACES_FILE) -> set[str]:
    """Every unit's name without its type word: "Hoằng Đạt", "Bà Rịa", "Vũng Tàu"."""
    return set().union(*names_by_province(path).values())


def _unit_name(part: str) -> list[str]:
    name = _UNIT_TYPE.sub("", part.strip())
    return [piece.strip() for piece in name.split(" - ") if piece.strip()]


def names_by_province(path: Path = PLACES_FILE) -> dict[str, set[str]]:
    """Province name -> the names of its units (itself, its districts, wards and communes),
    before and after the 2025 reorganisation."""
    out: dict[str, set[str]] = {}
    for line in _entries(path):
        parts = line.split(",")
        province = " ".join(_unit_name(parts[-1]))
        names = out.setdefault(province, set())
        for part in parts:
            names.update(_unit_name(part))
    return out


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


def compound_words(path: Path = WORDS_FILE) -> list[str]:
    return _entries(path)


def _pair_keys(phrases: Iterable[str], index: dict[str, int]) -> np.ndarray:
    """Sorted keys (``lm.ngram_keys``) of the adjacent syllable pairs of phrases, in
    both tone styles (hòa / hoà), for the syllables the LM knows."""
    spellings: dict[str, list[int]] = {}     # syllable -> LM ids of its tone-style variants

    def ids_of(syll: str) -> list[int]:
        found = spellings.get(syll)
        if found is None:
            variants = {syll, normalize_tone_style(syll, "old"), normalize_tone_style(syll, "new")}
            found = spellings[syll] = [index[v] for v in variants if v in index]
        return found

    left: list[int] = []
    right: list[int] = []
    for phrase in phrases:
        sylls = _SYLLABLE.findall(phrase.lower())
        for a, b in zip(sylls, sylls[1:]):
            for i in ids_of(a):
                for j in ids_of(b):
                    left.append(i)
                    right.append(j)
    return np.unique(ngram_keys([np.array(left, np.int64), np.array(right, np.int64)]))


def lexicon_tables(index: dict[str, int]) -> dict[str, np.ndarray]:
    """The lexicon as arrays over an LM vocabulary, stored in the model file by ``train_lm``
    (so that loading a model parses no word list): sorted pair keys of the dictionary words
    and of the place names, the provinces with the pair keys of their own names, and the ids
    of every listed syllable."""
    by_province = names_by_province()
    provinces = sorted(by_province)
    local = [_pair_keys(by_province[p], index) for p in provinces]
    words = compound_words()
    places = set().union(*by_province.values())
    sylls = {s for phrase in [*words, *places] for s in _SYLLABLE.findall(phrase.lower())}
    return {
        "lex_word_pairs": _pair_keys(words, index),
        "lex_name_pairs": _pair_keys(places, index),
        "lex_provinces": np.array("\n".join(provinces)),
        "lex_local_pairs": np.concatenate(local) if local else np.zeros(0, np.uint64),
        "lex_local_offsets": np.cumsum([0] + [len(k) for k in local]).astype(np.int64),
        "lex_syllables": np.array(sorted(index[s] for s in sylls if s in index), dtype=np.int32),
    }


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
