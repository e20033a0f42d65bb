"""Vietnamese letters: diacritic stripping, casing, tone placement, tokenisation.

Everything here is pure string work with no model; the decoder and the LM trainer share the
tokeniser so that training and decoding see the same tokens.
"""

from __future__ import annotations

import re
import unicodedata

#: Combining marks used by Vietnamese: the five tones and the three vowel modifiers.
TONE_MARKS = {"\u0300": "grave", "\u0301": "acute", "\u0303": "tilde", "\u0309": "hook",
              "\u0323": "dot"}
MODIFIER_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn

#: Zero-width and other invisible junk that PDF text layers and web copies carry.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

#: One token of text: a run of letters (with combining marks), a run of digits, or one other
#: non-space character. Whitespace is kept outside tokens so that the text can be rebuilt.
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s]|_", re.UNICODE)

#: Tokens of legacy (English-model) OCR text: digits and "@" inside a word stand for mangled
#: letters ("s6" = số, "nu@éc" = nước, "ngu¢i" = người), and so does a "?" or an apostrophe
#: between letters ("thi?c" = thức, "thu'c" = thực).
_LEGACY_CHAR = r"(?:[^\W_]|[@¢©®°§])"
LEGACY_TOKEN_RE = re.compile(rf"{_LEGACY_CHAR}+(?:[?'’]{_LEGACY_CHAR}+)*|[^\w\s]|_", re.UNICODE)

_strip_cache: dict[str, str] = {}


def strip_diacritics(text: str) -> str:
    """Remove every Vietnamese mark and fold đ/Đ to d/D ("Đề án" -> "De an")."""
    out = _strip_cache.get(text)
    if out is not None:
        return out
    decomposed = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    out = out.replace("đ", "d").replace("Đ", "D")
    out = unicodedata.normalize("NFC", out)
    if len(_strip_cache) < 500_000 and len(text) < 40:
        _strip_cache[text] = out
    return out


def skeleton(word: str) -> str:
    """Lower-case diacritic-free form used to look up restoration candidates."""
    return strip_diacritics(word).lower()


def has_diacritics(word: str) -> bool:
    """True when the word carries any Vietnamese mark or đ."""
    return strip_diacritics(word) != word


def case_pattern(word: str) -> str:
    """'upper' (two or more letters, all capitals), 'title', 'lower' or 'mixed'."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "lower"
    if all(c.isupper() for c in letters):
        return "upper" if len(letters) > 1 else "title"
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return "title"
    if all(c.islower() for c in letters):
        return "lower"
    return "mixed"


def apply_case(word: str, pattern: str, original: str | None = None) -> str:
    """Give the lower-case ``word`` the casing ``pattern`` of the original token.

    'mixed' keeps per-position casing of the original where lengths agree ("QD" has no mixed
    case but "TTg" does)."""
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        return word[:1].upper() + word[1:]
    if pattern == "mixed" and original is not None and len(original) == len(word):
        return "".join(c.upper() if o.isupper() else c for c, o in zip(word, original))
    return word


# ----------------------------------------------------------------------- tone placement
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
    """Apply one tone-placement style to every word of ``text``."""
    return TOKEN_RE.sub(lambda m: set_tone_style(m.group(0), style)
                        if m.group(0)[:1].isalpha() else m.group(0), text)


def clean_unicode(text: str) -> str:
    """NFC, invisible characters removed, non-breaking spaces as spaces."""
    text = _INVISIBLE.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return unicodedata.normalize("NFC", text)


def tokenize(text: str, legacy: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, token) for every token of ``text`` (``legacy``: OCR-mangled words whole)."""
    rx = LEGACY_TOKEN_RE if legacy else TOKEN_RE
    return [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]


def is_word(token: str) -> bool:
    """A word token: letters (a syllable, an abbreviation, a foreign word), possibly with the
    digits/symbols of legacy OCR inside."""
    return token[:1].isalpha() or (not token.isdigit() and any(c.isalpha() for c in token))
