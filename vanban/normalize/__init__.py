"""normalize stage: correct Vietnamese from stripped, legacy-OCR, vie-OCR or 8-bit-encoded text.

Contract used by the rest of vanban (owned by this folder):
- ``restore_text(text, mode="auto") -> RestoreResult`` (``.text``, ``.changes``)
- ``normalize_document(doc, mode="auto") -> Document``: restores every word in place, keeping
  the original in ``Word.raw``
- ``preload()``: load the models now (before a process pool forks its workers)

Inside: the runtime (``lm``: the model file and its scoring, ``lexicon``, ``decoder``,
``channel``, ``mixture``, ``restorer``, ``encodings``, ``vietnamese``: tokens) and, apart,
``training`` (corpus reader, hold-out policy, Kneser-Ney tables, ``vanban train-lm``), which
the runtime never imports. String helpers every stage shares are in :mod:`vanban.text`.

Modes: ``stripped`` (no diacritics at all), ``legacy`` (English-model OCR with mangled marks),
``ocr`` (Tesseract ``vie`` output or already-correct text: only changes the LM strongly
prefers), ``auto`` (detects which of the three the text is). Before any of them the text is
made NFC, invisible characters are dropped and legacy 8-bit encodings (TCVN3/ABC, VNI, VIQR)
are converted to Unicode.
"""

from __future__ import annotations

from ..text import clean_unicode, normalize_tone_style, set_tone_style, strip_diacritics
from .encodings import convert_legacy_encoding, detect_legacy_encoding
from .restorer import MODES, Change, RestoreResult, Restorer, get_restorer

__all__ = ["MODES", "Change", "RestoreResult", "Restorer", "get_restorer", "restore_text",
           "normalize_document", "detect_mode", "prepare_text", "preload", "strip_diacritics",
           "normalize_tone_style", "set_tone_style", "clean_unicode"]


def preload() -> None:
    """Load the shipped models now: the administrative and the general LM, the legacy-OCR
    channel and the lexicon tables (what the first document would otherwise load). A process
    that forks workers calls it first, so they share the models instead of each loading them.
    The mixture restorer for general-language documents is still built by the first such
    document (most runs never need it)."""
    get_restorer()


def prepare_text(text: str) -> tuple[str, str | None]:
    """(text, encoding): legacy 8-bit encoding converted (the encoding's name, or None) and
    Unicode hygiene done, what :func:`restore_text` and :func:`detect_mode` do first. A caller
    that restores a long text piece by piece prepares it once and passes ``prepared=True``."""
    text, encoding = convert_legacy_encoding(text)
    return clean_unicode(text), encoding


def detect_mode(text: str, *, prepared: bool = False) -> str:
    """Which state the text is in: 'stripped', 'legacy' or 'ocr' (vie OCR or correct).
    ``prepared``: ``text`` comes from :func:`prepare_text` already."""
    if not prepared:
        text, _ = prepare_text(text)
    return get_restorer().detect_mode(text)


def restore_text(text: str, mode: str = "auto", *, tone_style: str | None = None,
                 with_confidence: bool = True, prepared: bool = False) -> RestoreResult:
    """Restore the diacritics of ``text``; the line structure is kept exactly.

    ``mode``: auto | stripped | legacy | ocr. ``tone_style``: None keeps the restorer's output,
    "old" (hòa) or "new" (hoà) moves every tone mark to that style. Returns a
    :class:`RestoreResult` with ``.text`` and ``.changes`` (per changed token: offsets in the
    input after encoding conversion, original, replacement, confidence and alternatives).
    ``prepared``: ``text`` comes from :func:`prepare_text` already (not converted again; the
    result's ``encoding`` is then None).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if prepared:
        prepared, encoding = text, None
    else:
        prepared, encoding = prepare_text(text)
    restorer = get_restorer()
    if not prepared.strip():
        return RestoreResult(prepared, mode if mode != "auto" else "ocr", [], encoding)
    concrete = restorer.detect_mode(prepared) if mode == "auto" else mode
    result = restorer.restore(prepared, concrete, with_confidence=with_confidence)
    result.encoding = encoding
    if tone_style:
        result.text = normalize_tone_style(result.text, tone_style)
    return result


def normalize_document(doc, mode: str = "auto", *, tone_style: str | None = None):
    """Restore every Word of a :class:`vanban.model.Document` in place (original in Word.raw).

    The whole document is decoded as one text (one line per Line, blank line between blocks)
    so the LM sees context across words; a word's text changes only, never the structure.
    """
    lines = []
    for page in doc.pages:
        for block in page.blocks:
            for line in block.lines:
                lines.append(line)
    if not lines:
        return doc
    encoding = detect_legacy_encoding("\n".join(ln.text for ln in lines))
    for line in lines:
        for word in line.words:
            new = convert_legacy_encoding(word.text, encoding)[0] if encoding else word.text
            new = clean_unicode(new)
            if new != word.text:
                word.raw = word.raw if word.raw is not None else word.text
                word.text = new
    return _restore_words(doc, lines, mode, tone_style)


def _born_digital(doc) -> bool:
    """Every page's text came from a file's own text, not from an OCR run of ours."""
    return bool(doc.pages) and all(p.source in ("text", "text-layer") for p in doc.pages)


def _restore_words(doc, lines, mode: str, tone_style: str | None):
    parts: list[str] = []
    spans = []
    pos = 0
    for line in lines:
        for j, word in enumerate(line.words):
            if j:
                parts.append(" ")
                pos += 1
            parts.append(word.text)
            spans.append((word, pos, pos + len(word.text)))
            pos += len(word.text)
        parts.append("\n")
        pos += 1
    text = "".join(parts)
    restorer = get_restorer()
    concrete = restorer.detect_mode(text) if mode == "auto" else mode
    if mode == "auto" and concrete == "ocr" and _born_digital(doc):
        # Well-marked Vietnamese that no OCR of ours produced (a text file, a trusted PDF text
        # layer) is taken as written: the LM would only trade rare right words ("hoa kiểng")
        # for common ones. --mode ocr still corrects such text on request. A requested tone
        # style still applies (below).
        result = RestoreResult(text, "none", [], None)
        doc.meta["normalize"] = {"mode": "none", "requested_mode": mode, "changed_words": 0,
                                 "reason": "born-digital text with Vietnamese diacritics"}
    else:
        result = restorer.restore(text, concrete, with_confidence=False)
        doc.meta["normalize"] = {"mode": concrete, "requested_mode": mode,
                                 "changed_words": len(result.changes)}
    if not result.changes and not tone_style:
        return doc
    # Map changes (input offsets) back to words.
    changes = sorted(result.changes, key=lambda c: c.start)
    ci = 0
    for word, ws, we in spans:
        new_parts = []
        cur = ws
        while ci < len(changes) and changes[ci].start < we:
            ch = changes[ci]
            if ch.start >= ws:
                new_parts.append(text[cur:ch.start])
                new_parts.append(ch.replacement)
                cur = ch.end
            ci += 1
        if new_parts or tone_style:
            new_parts.append(text[cur:we])
            new = "".join(new_parts)
            if tone_style:
                new = normalize_tone_style(new, tone_style)
            if new != word.text:
                if word.raw is None:
                    word.raw = word.text
                word.text = new
    return doc
