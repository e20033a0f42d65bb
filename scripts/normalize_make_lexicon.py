#!/usr/bin/env python3
"""Rebuild vanban/data/lexicon/{words,places}.txt from two MIT-licensed PyPI packages.

The corpus is mostly legal codification: the words of provincial plans ("sôi nổi", "bứt phá",
"hoa kiểng") and the names of communes ("Hoằng Đạt", "Nga Sơn") are rare or missing in it.
These two lists fill that gap (see vanban/normalize/lexicon.py for how they are used):

- words.txt: the multi-syllable words of pyvi's dictionary (pyvi 0.1.1, models/words.txt,
  MIT, (c) Viet-Trung Tran);
- places.txt: every administrative unit with its parents, before the 2025 reorganisation
  (10,040 wards, communes and towns in 705 districts) and after it (3,321 in 34 provinces),
  from vietnamadminunits 1.0.4 (data/dataset.db, MIT, (c) Tran Ngoc Minh Hieu), one line each:
  "xã Hoằng Đạt, huyện Hoằng Hóa, tỉnh Thanh Hóa".

The wheels are fetched with ``pip download --no-deps`` (nothing is installed) or taken from
--wheels DIR. Usage: python scripts/normalize_make_lexicon.py [--wheels DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"pyvi": "pyvi==0.1.1", "vietnamadminunits": "vietnamadminunits==1.0.4"}
HEADER = ("# {what}\n# Source: {source} (MIT licence; see vanban/data/lexicon/NOTICE).\n"
          "# Rebuilt by scripts/normalize_make_lexicon.py; one entry per line.\n")


def wheel(name: str, wheels: Path) -> Path:
    found = sorted(wheels.glob(f"{name}-*.whl"))
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        "-d", str(wheels), PACKAGES[name]], check=True)
        found = sorted(wheels.glob(f"{name}-*.whl"))
    return found[-1]


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def compound_words(pyvi_wheel: Path) -> list[str]:
    with zipfile.ZipFile(pyvi_wheel) as z:
        text = z.read("pyvi/models/words.txt").decode("utf-8")
    words = {nfc(w) for w in text.splitlines()}
    return sorted(w for w in words if " " in w)


def lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def place_lines(units_wheel: Path, tmp: Path) -> list[str]:
    db = tmp / "dataset.db"
    with zipfile.ZipFile(units_wheel) as z:
        db.write_bytes(z.read("vietnamadminunits/data/dataset.db"))
    con = sqlite3.connect(db)
    lines: set[str] = set()
    for ward, district, province in con.execute(
            "SELECT ward, district, province FROM admin_units_legacy"):
        lines.add(", ".join(lower_first(nfc(p)) for p in (ward, district, province) if p))
    for ward, province in con.execute("SELECT ward, province FROM admin_units"):
        lines.add(", ".join(lower_first(nfc(p)) for p in (ward, province) if p))
    con.close()
    return sorted(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheels", type=Path, default=None, help="folder with the two wheels")
    ap.add_argument("--out", type=Path, default=ROOT / "vanban" / "data" / "lexicon")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheels = args.wheels or Path(tmp)
        words = compound_words(wheel("pyvi", wheels))
        places = place_lines(wheel("vietnamadminunits", wheels), Path(tmp))
    (args.out / "words.txt").write_text(
        HEADER.format(what="Vietnamese words of two or more syllables",
                      source=f"pyvi {PACKAGES['pyvi'].split('==')[1]}, models/words.txt")
        + "\n".join(words) + "\n", encoding="utf-8")
    (args.out / "places.txt").write_text(
        HEADER.format(what="Vietnamese administrative units with their parents, "
                           "before and after the 2025 reorganisation",
                      source=f"vietnamadminunits "
                             f"{PACKAGES['vietnamadminunits'].split('==')[1]}, data/dataset.db")
        + "\n".join(places) + "\n", encoding="utf-8")
    print(f"{len(words)} words, {len(places)} places -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
