"""The word lists of ``vanban/data/lexicon`` at training time (see :mod:`vanban.normalize.lexicon`
for what they do): read, given to the LM as extra training lines, and turned into the pair
tables ``train_lm`` stores in the model file, so that loading a model parses no list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import numpy as np

from ...text import normalize_tone_style
from ..lm import DATA_DIR, ngram_keys

LEXICON_DIR = DATA_DIR / "lexicon"
WORDS_FILE = LEXICON_DIR / "words.txt"
PLACES_FILE = LEXICON_DIR / "places.txt"

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
