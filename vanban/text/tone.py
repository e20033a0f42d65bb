"""Tone-mark placement: the traditional style (hòa, hòe, thủy) and the reform style (hoà, hoè,
thuỷ). Only open syllables ending in oa/oe/uy differ between the two."""

from __future__ import annotations

import re
import unicodedata

#: Combining marks used by Vietnamese: the five tones and the three vowel modifiers.
TONE_MARKS = {"\u0300": "grave", "\u0301": "acute", "\u0303": "tilde", "\u0309": "hook",
              "\u0323": "dot"}

#: A run of letters (with their combining marks; also other non-decimal alphanumerics such as
#: "²"): the unit a tone style applies to when it starts with a letter.
_LETTERS = re.compile(r"[^\W\d_]+")


def _split_marks(syllable: str) -> tuple[str, str | None]:
    """(syllable without its tone mark, the tone combining mark or None); NFC in and out."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = None
    kept = []
    for ch in decomposed:
        if ch in TONE_MARKS:
            tone = ch
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


_STYLE_PAIR = re.compile(r"(?:^|[^aeiouy])(oa|oe|uy)$")


def set_tone_style(syllable: str, style: str = "new") -> str:
    """Move the tone mark of one syllable to the ``style`` position.

    ``old`` (traditional): hòa, hòe, thủy; ``new`` (orthography of the 1980s reform): hoà,
    hoè, thuỷ. Only open syllables ending in oa/oe/uy differ between the styles ("qu" and
    "gi" start a consonant cluster: "quý" stays); every other word is returned unchanged."""
    base, tone = _split_marks(syllable)
    if tone is None:
        return syllable
    low = base.lower()
    m = _STYLE_PAIR.search(low)
    if not m or (m.group(1) == "uy" and low.endswith("quy")):
        return syllable
    first = m.start(1)
    pos = first + 1 if style == "new" else first
    marked = unicodedata.normalize("NFC", base[pos] + tone)
    return base[:pos] + marked + base[pos + 1:]


def normalize_tone_style(text: str, style: str = "old") -> str:
    """Apply one tone-placement style to every word of ``text`` (each syllable is re-marked
    whole: a garbled word with two tone marks keeps only its last)."""
    return _LETTERS.sub(lambda m: set_tone_style(m.group(0), style)
                        if m.group(0)[:1].isalpha() else m.group(0), text)


def _tone_pairs() -> dict[str, str]:
    """``á`` -> ``ó`` style pairs: the tone mark of a second vowel moved to the first."""
    pairs = {}
    for tone in "\u0301\u0300\u0309\u0303\u0323":
        for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
            for f, sc in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                pairs[f + unicodedata.normalize("NFC", sc + tone)] = \
                    unicodedata.normalize("NFC", f + tone) + sc
    return pairs


_TONE_PAIRS = _tone_pairs()
_OPEN_TONED = re.compile(r"(?<![qQ])(" + "|".join(_TONE_PAIRS) + r")(?!\w)")


def fix_uy(text: str) -> str:
    """The traditional style for the reform-style pairs of a text, as the gold records write
    them: ``Uỷ`` -> ``Ủy``, ``Thanh Hoá`` -> ``Thanh Hóa``, ``thuỷ`` -> ``thủy`` (not ``quý``).

    Unlike ``normalize_tone_style(text, "old")`` it rewrites only a well-formed reform-style
    pair (tone on the second vowel, normal casing) at a word's end and leaves every other
    letter as OCR wrote it: extract applies it to fields cut from OCR text, where a garbled
    word ("hòá") must stay as read."""
    return _OPEN_TONED.sub(lambda m: _TONE_PAIRS[m.group(1)], text)
