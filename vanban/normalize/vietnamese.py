"""Tokenisation and restoration keys of Vietnamese text, for the LM and the decoder.

Pure string work with no model; the decoder and the LM trainer share the tokeniser so that
training and decoding see the same tokens. The helpers every stage shares (stripping and
folding marks, tone style, casing) live in :mod:`vanban.text`.
"""

from __future__ import annotations

import re
import unicodedata

from ..text import is_syllable, strip_diacritics

#: One token of text: a run of letters (with combining marks), a run of digits, or one other
#: non-space character. Whitespace is kept outside tokens so that the text can be rebuilt.
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s]|_", re.UNICODE)

#: Tokens of legacy (English-model) OCR text: digits and "@" inside a word stand for mangled
#: letters ("s6" = số, "nu@éc" = nước, "ngu¢i" = người), and so does a "?" or an apostrophe
#: between letters ("thi?c" = thức, "thu'c" = thực).
_LEGACY_CHAR = r"(?:[^\W_]|[@¢©®°§])"
LEGACY_TOKEN_RE = re.compile(rf"{_LEGACY_CHAR}+(?:[?'’]{_LEGACY_CHAR}+)*|[^\w\s]|_", re.UNICODE)


def skeleton(word: str) -> str:
    """Lower-case diacritic-free form used to look up restoration candidates."""
    return strip_diacritics(word).lower()


def has_diacritics(word: str) -> bool:
    """True when the word carries any Vietnamese mark or đ."""
    return strip_diacritics(word) != word


def tokenize(text: str, legacy: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, token) for every token of ``text`` (``legacy``: OCR-mangled words whole)."""
    rx = LEGACY_TOKEN_RE if legacy else TOKEN_RE
    return [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]


def is_word(token: str) -> bool:
    """A word token: letters (a syllable, an abbreviation, a foreign word), possibly with the
    digits/symbols of legacy OCR inside."""
    return token[:1].isalpha() or (not token.isdigit() and any(c.isalpha() for c in token))


#: Combining tone marks (huyền, sắc, ngã, hỏi, nặng) in NFD.
_TONE_MARKS = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi",
               "\u0323": "nang"}
#: Codas after which only the sắc and nặng tones occur (checked syllables: "các", "học").
_STOP_CODA = re.compile(r"(?:ch|[cpt])$")


def tone_of(syllable: str) -> str | None:
    """The tone mark a written syllable carries (None: level tone); two marks: "mixed"."""
    tones = {_TONE_MARKS[c] for c in unicodedata.normalize("NFD", syllable) if c in _TONE_MARKS}
    if len(tones) > 1:
        return "mixed"
    return tones.pop() if tones else None


def is_well_formed(word: str) -> bool:
    """``word`` has the shape of one Vietnamese syllable and a tone its coda allows (one
    tone mark; a stop coda -c, -ch, -p, -t only with sắc or nặng): "pắn" is, "thưc" is not."""
    if not is_syllable(word):
        return False
    tone = tone_of(word)
    if tone == "mixed":
        return False
    return not _STOP_CODA.search(skeleton(word)) or tone in ("sac", "nang")


#: The onset of a written syllable (the rest is its rhyme: vowels, tone and coda).
_ONSET = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])(?=.)")


def rhyme(syllable: str) -> str:
    """The syllable without its onset, marks kept: "pắn" -> "ắn", "người" -> "ười"."""
    low = syllable.lower()
    m = _ONSET.match(low)
    return low[m.end():] if m else low


#: The vowel sequences of Vietnamese syllables, without marks ("iia", "ee" are none).
VOWEL_CLUSTERS = frozenset(
    "a e i o u y ai ao au ay eo eu ia ie iu oa oe oi oo ua ue ui uo uu uy ieu oai oao oay "
    "oeo uay uoi uou uya uye uyu ye yeu".split())
_VOWEL_RUN = re.compile(r"[aeiouy]+")


def has_vietnamese_vowels(word: str) -> bool:
    """The vowels of ``word``'s rhyme, marks dropped, are a sequence Vietnamese writes."""
    m = _VOWEL_RUN.search(skeleton(rhyme(word)))
    return m is not None and m.group(0) in VOWEL_CLUSTERS
