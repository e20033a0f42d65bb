"""Per-page preprocessing decisions (vanban.ocr.decide) on pages rendered at test time."""

from __future__ import annotations

import cv2
import numpy as np

from tests.support import synth
from vanban.ocr import decide, preprocess


def _text_page(deg: float) -> np.ndarray:
    lines = [f"Ủy ban nhân dân tỉnh ban hành kế hoạch thực hiện nhiệm vụ năm 2025, mục {i}"
             for i in range(25)]
    img = synth.render_lines(lines, 1700, 200, 12)
    return preprocess.to_gray(np.asarray(img.rotate(deg, expand=True, fillcolor="white")))


def test_a_skewed_text_page_is_straightened():
    gray = _text_page(1.5)
    out, found = decide.deskew_page(gray)
    assert found["applied"] and abs(found["skew_deg"] - 1.5) <= 0.1
    assert abs(preprocess.estimate_skew(out)) <= 0.1


def test_strokes_outside_the_search_range_are_not_applied():
    # Strokes at 20° (no text lines; a filled-in form's pen strokes do the same) are outside the
    # ±15° search: the profile has no sharp peak inside it (or its best is the range's edge),
    # which measures nothing, so the page is left as it is.
    gray = np.full((1400, 1700), 255, np.uint8)
    slope = np.tan(np.radians(20))
    for y0 in range(-600, 2000, 90):
        cv2.line(gray, (0, y0), (1700, int(y0 - 1700 * slope)), 0, 3)
    out, found = decide.deskew_page(gray)
    assert found["skew_peak"] < decide.MIN_SKEW_PEAK or found["reason"] == "no peak inside the search range"
    assert not found["applied"] and out is gray
