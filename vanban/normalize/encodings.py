"""Legacy Vietnamese encodings: TCVN3 (TCVN 5712:1993, the "ABC" fonts), VNI, VIQR.

Old files in these encodings reach vanban as text decoded byte for byte (latin-1, or cp1252
by a Windows tool), so "Việt Nam" arrives as "ViÖt Nam" (TCVN3) or "Vieät Nam" (VNI), or as
the 7-bit VIQR "Vie^.t Nam". :func:`convert_legacy_encoding` detects which one (if any) by
checking that the conversion turns unknown words into known Vietnamese syllables, and converts.
The tables follow the standards (TCVN 5712:1993 upper half, as in glibc's TCVN5712-1; VNI
Windows; VIQR, RFC 1456).
"""

from __future__ import annotations

import re
import unicodedata

# ------------------------------------------------------------------------------ TCVN3
#: TCVN 5712:1993 code points 0x80..0xFF (0xB0-0xB4 are combining tone marks).
_TCVN_UPPER_HALF = (
    "00c0 1ea2 00c3 00c1 1ea0 1eb6 1eac 00c8 1eba 1ebc 00c9 1eb8 1ec6 00cc 1ec8 0128 "
    "00cd 1eca 00d2 1ece 00d5 00d3 1ecc 1ed8 1edc 1ede 1ee0 1eda 1ee2 00d9 1ee6 0168 "
    "00a0 0102 00c2 00ca 00d4 01a0 01af 0110 0103 00e2 00ea 00f4 01a1 01b0 0111 1eb0 "
    "0300 0309 0303 0301 0323 00e0 1ea3 00e3 00e1 1ea1 1eb2 1eb1 1eb3 1eb5 1eaf 1eb4 "
    "1eae 1ea6 1ea8 1eaa 1ea4 1ec0 1eb7 1ea7 1ea9 1eab 1ea5 1ead 00e8 1ec2 1ebb 1ebd "
    "00e9 1eb9 1ec1 1ec3 1ec5 1ebf 1ec7 00ec 1ec9 1ec4 1ebe 1ed2 0129 00ed 1ecb 00f2 "
    "1ed4 1ecf 00f5 00f3 1ecd 1ed3 1ed5 1ed7 1ed1 1ed9 1edd 1edf 1ee1 1edb 1ee3 00f9 "
    "1ed6 1ee7 0169 00fa 1ee5 1eeb 1eed 1eef 1ee9 1ef1 1ef3 1ef7 1ef9 00fd 1ef5 1ed0"
).split()
TCVN3_TABLE: dict[str, str] = {}
for _byte, _cp in zip(range(0x80, 0x100), _TCVN_UPPER_HALF):
    if _byte == 0xA0:
        continue
    _uni = chr(int(_cp, 16))
    TCVN3_TABLE[chr(_byte)] = _uni                       # decoded as latin-1
    try:
        _w = bytes([_byte]).decode("cp1252")             # decoded as cp1252
        TCVN3_TABLE.setdefault(_w, _uni)
    except UnicodeDecodeError:
        pass
_TCVN3_TRANS = str.maketrans(TCVN3_TABLE)

# ------------------------------------------------------------------------------ VNI
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
#: VNI mark bytes (as latin-1 characters, lower- and upper-case forms) -> combining marks.
_VNI_MARKS = {
    "ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK,
    "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}
_VNI_MARKS.update({k.upper(): v for k, v in list(_VNI_MARKS.items())})
#: VNI letters that stand alone.
_VNI_LETTERS = {"ñ": "đ", "ô": "ơ", "ö": "ư", "ì": "ì", "í": "í", "æ": "ỉ", "ò": "ị",
                "ó": "ĩ", "î": "ỵ"}
_VNI_LETTERS.update({k.upper(): v.upper() for k, v in list(_VNI_LETTERS.items())})
_VNI_PAIR = re.compile("([aeiouyAEIOUYôöÔÖ])([" + "".join(_VNI_MARKS) + "])")
_VNI_SINGLE = re.compile("[" + "".join(_VNI_LETTERS) + "]")


def _vni_pair(m: re.Match) -> str:
    base = _VNI_LETTERS.get(m.group(1), m.group(1))
    marks = _VNI_MARKS[m.group(2)]
    # A breve only goes on a, a circumflex on a/e/o.
    low = base.lower()
    if (_BREVE in marks and low != "a") or (_CIRC in marks and low not in "aeo"):
        return m.group(0)
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", base) + marks)


def vni_to_unicode(text: str) -> str:
    """VNI (Windows) text, read as latin-1, to Unicode."""
    text = _VNI_PAIR.sub(_vni_pair, text)
    return _VNI_SINGLE.sub(lambda m: _VNI_LETTERS[m.group(0)], text)


_ASCII_WORD = re.compile(r"\S+")


def _tcvn3_word_case(m: re.Match) -> str:
    # TCVN3 has no code for most capital letters with a tone: all-caps words ("KÕ HO¹CH",
    # typed in a .VnTimeH font) use the small-letter codes. Their ASCII letters tell.
    word = m.group(0)
    ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
    if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters) and \
            sum(c.isalpha() for c in word) > 1 and any(c.islower() for c in word):
        return word.upper()
    return word


def tcvn3_to_unicode(text: str) -> str:
    """TCVN3 (ABC) text, read as latin-1 or cp1252, to Unicode (NFC)."""
    out = unicodedata.normalize("NFC", text.translate(_TCVN3_TRANS))
    return _ASCII_WORD.sub(_tcvn3_word_case, out)


# ------------------------------------------------------------------------------ VIQR
_VIQR_TONES = {"'": _ACUTE, "`": _GRAVE, "?": _HOOK, "~": _TILDE, ".": _DOT}
_VIQR_MODS = {"^": _CIRC, "(": _BREVE, "+": _HORN}
_VIQR_RE = re.compile(r"([aeiouyAEIOUY])([\^(+]?)(['`?~.]?)(?=(.?)(.?))", re.S)
_VIQR_DD = re.compile(r"\b(dd|DD|Dd)")


def _viqr_sub(m: re.Match) -> str:
    base, mod, tone, nxt, nxt2 = m.groups()
    low = base.lower()
    if mod and not ((mod == "^" and low in "aeo") or (mod == "(" and low == "a")
                    or (mod == "+" and low in "ou")):
        return base + mod + tone
    if tone in ".?" and not (nxt.isalpha() or (nxt == " " and nxt2.islower())):
        # Sentence punctuation, not a tone: "la." at the end of a sentence.
        return unicodedata.normalize("NFC", base + _VIQR_MODS.get(mod, "")) + tone
    return unicodedata.normalize("NFC", base + _VIQR_MODS.get(mod, "") + _VIQR_TONES.get(tone, ""))


def viqr_to_unicode(text: str) -> str:
    """VIQR (RFC 1456) text to Unicode; "\\" escapes the next character."""
    text = _VIQR_DD.sub(lambda m: "Đ" if m.group(1)[0] == "D" else "đ", text)
    return _VIQR_RE.sub(_viqr_sub, text)


# ------------------------------------------------------------------------------ detection
CONVERTERS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode, "viqr": viqr_to_unicode}
_TCVN3_HINT = re.compile("[\u0080-\u009fµ¸¶·¹¨©ª«¬®»¼½¾ÆÇÈÉËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßäåæçëîïñö÷øûüþ¡¢£¤¥¦§]")
_VNI_HINT = re.compile("[aeiouyAEIOUYôöÔÖ][øùûõïâáàåãäêéèúüëØÙÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]|[ñÑ]")
_VIQR_HINT = re.compile(r"[aeiouyAEIOUY][\^(+]?['`?~.](?=[a-zA-Z])|[aeouAEOU][\^(+]|\bdd")
_WORD = re.compile(r"[^\W\d_]+")


_EDGE_PUNCT = ".,;:!?()[]\"'“”‘’«»…-"


def _known_share(text: str, known) -> float:
    """Share of whitespace-separated words (edge punctuation stripped) that are known."""
    words = [w.strip(_EDGE_PUNCT) for w in text.split()]
    words = [w for w in words if w and not w.isdigit()]
    if not words:
        return 0.0
    return sum(1 for w in words if known(w.lower())) / len(words)


def detect_legacy_encoding(text: str, known=None) -> str | None:
    """'tcvn3', 'vni', 'viqr' or None (already Unicode).

    ``known(word) -> bool`` tells a valid syllable (default: the shipped LM vocabulary)."""
    sample = text[:20000]
    hints = {"tcvn3": len(_TCVN3_HINT.findall(sample)), "vni": len(_VNI_HINT.findall(sample)),
             "viqr": len(_VIQR_HINT.findall(sample))}
    words = max(1, len(_WORD.findall(sample)))
    candidates = [enc for enc, n in hints.items() if n >= max(2, 0.05 * words)]
    if not candidates:
        return None
    if known is None:
        from .restorer import get_restorer
        index = get_restorer().lm.index
        known = index.__contains__
    base = _known_share(sample, known)
    best, best_share = None, base + 0.15
    for enc in candidates:
        share = _known_share(CONVERTERS[enc](sample), known)
        if share > best_share:
            best, best_share = enc, share
    return best


def convert_legacy_encoding(text: str, encoding: str | None = "detect") -> tuple[str, str | None]:
    """(Unicode text, encoding converted from or None). ``encoding``: 'detect' (default),
    a name from :data:`CONVERTERS`, or None for no conversion."""
    if encoding == "detect":
        encoding = detect_legacy_encoding(text)
    if not encoding:
        return text, None
    return CONVERTERS[encoding](text), encoding


# ------------------------------------------------------------------------------ encoders
_TONE_OF = {_GRAVE: "ø", _ACUTE: "ù", _HOOK: "û", _TILDE: "õ", _DOT: "ï"}
_CIRC_TONE = {"": "â", _ACUTE: "á", _GRAVE: "à", _HOOK: "å", _TILDE: "ã", _DOT: "ä"}
_BREVE_TONE = {"": "ê", _ACUTE: "é", _GRAVE: "è", _HOOK: "ú", _TILDE: "ü", _DOT: "ë"}
_VNI_SINGLE_OUT = {"đ": "ñ", "ì": "ì", "í": "í", "ỉ": "æ", "ị": "ò", "ĩ": "ó", "ỵ": "î"}


def _vni_char(ch: str) -> str:
    low = ch.lower()
    upper = ch != low
    if low in _VNI_SINGLE_OUT:
        out = _VNI_SINGLE_OUT[low]
        return out.upper() if upper else out
    d = unicodedata.normalize("NFD", low)
    base, marks = d[0], d[1:]
    if not marks or base not in "aeiouy":
        return ch
    tone = next((m for m in marks if m in _TONE_OF), "")
    if _HORN in marks:
        head = "ô" if base == "o" else "ö"
        tail = _TONE_OF.get(tone, "")
    elif _CIRC in marks:
        head, tail = base, _CIRC_TONE[tone]
    elif _BREVE in marks:
        head, tail = base, _BREVE_TONE[tone]
    else:
        head, tail = base, _TONE_OF.get(tone, "")
    out = head + tail
    return out.upper() if upper else out


def unicode_to_vni(text: str) -> str:
    """Unicode to VNI (as latin-1 characters): for tests and round trips."""
    return "".join(_vni_char(c) for c in unicodedata.normalize("NFC", text))


_TCVN3_OUT = {v: k for k, v in TCVN3_TABLE.items() if 0x80 <= ord(k) < 0x100}


def unicode_to_tcvn3(text: str) -> str:
    """Unicode to TCVN3 (as latin-1 characters); capitals without a code use the small
    letter's code, as text typed in the all-caps .VnTimeH fonts does."""
    return "".join(_TCVN3_OUT.get(c, _TCVN3_OUT.get(c.lower(), c))
                   for c in unicodedata.normalize("NFC", text))


_VIQR_TONE_OUT = {v: k for k, v in _VIQR_TONES.items()}
_VIQR_MOD_OUT = {v: k for k, v in _VIQR_MODS.items()}


def unicode_to_viqr(text: str) -> str:
    """Unicode to VIQR (7-bit)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            out.append("dd" if ch == "đ" else "DD")
            continue
        d = unicodedata.normalize("NFD", ch)
        mods = "".join(_VIQR_MOD_OUT.get(m, "") for m in d[1:])
        tones = "".join(_VIQR_TONE_OUT.get(m, "") for m in d[1:])
        out.append(d[0] + mods + tones if len(d) > 1 else ch)
    return "".join(out)
