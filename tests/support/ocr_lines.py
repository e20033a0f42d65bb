"""OCR lines made at test time for the stamp tests (no rendering, no Tesseract): words with boxes
and confidences laid out on an A4 page at 300 dpi."""

from __future__ import annotations

from vanban.model import Word

WIDTH, HEIGHT = 2480, 3508  # an A4 page at 300 dpi

#: A publishing centre's signing stamp read from a 150-dpi scan (qng-tb660 p1): its 6-pt print
#: garbled into glyphs as tall as the text's, only its e-mail line matching a (weak) pattern,
#: and Tesseract unsure of a third of its words (each line's word confidences as measured there;
#: mean 64).
GARBLED_STAMP = [("'TRƯNG TÂM CÔNG BẢO.", (68, 96, 96, 66)), ("VÀ TIN HỌC", (93, 80, 96)),
                 ("bth@tinhxgov.vn", (40,)), ("ù 012035 dỗ:17:04 101:00", (30, 73, 0, 32))]


def line(text: str, x: int, y: int, height: int = 40, conf: float = 85.0) -> list[Word]:
    """One OCR line of ``text`` at (x, y): words of ``height`` px, letters ~0.55 of it wide."""
    out, step = [], max(1, int(0.55 * height))
    for word in text.split():
        out.append(Word(word, (x, y, x + step * len(word), y + height), conf))
        x += step * (len(word) + 1)
    return out
