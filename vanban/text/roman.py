"""Roman numerals of headings and groups ("II.", "khóa XV")."""

from __future__ import annotations

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def int_to_roman(n: int) -> str:
    """``14`` -> ``XIV`` (group and section numerals)."""
    out = ""
    for v, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                   (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += sym
            n -= v
    return out


def roman_to_int(roman: str) -> int | None:
    """``XIV`` -> ``14``; None when a letter is no Roman digit (I V X L C)."""
    total, prev = 0, 0
    for ch in reversed(roman.upper()):
        v = ROMAN_VALUES.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total
