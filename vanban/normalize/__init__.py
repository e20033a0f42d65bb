"""normalize stage: correct Vietnamese from stripped, legacy-OCR, vie-OCR or 8-bit-encoded text.

Contract used by the rest of vanban (owned by this folder):
- ``restore_text(text, mode="auto") -> RestoreResult`` (``.text``, ``.changes``)
- ``normalize_document(doc, mode="auto") -> Document``: restores every word in place, keeping
  the original in ``Word.raw``
"""
