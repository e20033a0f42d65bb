"""vanban.ocr.stored_png: libtesseract's word images kept as stored PNG give the same words
(real Tesseract, in fresh processes: the library must be loaded before libtesseract)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vanban.ocr import stored_png

ROOT = Path(__file__).resolve().parent.parent

#: OCR one rendered Vietnamese page with the tesserocr engine; print its words and whether
#: the library was loaded and used.
_READ_PAGE = """
import json, sys
import numpy as np
from tests.support import synth
from vanban.ocr import engine, stored_png
page = synth.render_lines(["ỦY BAN NHÂN DÂN TỈNH", "Số: 123/KH-UBND",
                           "Đẩy mạnh công tác tuyên truyền, phổ biến pháp luật",
                           "đến cán bộ, công chức và người dân trên địa bàn tỉnh."],
                          width_px=1654, dpi=200, font_pt=13)
ocr = engine.get_engine("tesserocr")
words = ocr.recognize(np.asarray(page.convert("L")), 200)
print(json.dumps({"loaded": ocr.stored_png, "stored": stored_png.stored_count(),
                  "words": [[w.text, list(w.bbox), w.conf, list(w.key)] for w in words]}))
"""


def _read_page(**env: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _READ_PAGE], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **env}, check=True)
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    # built here, not taken from the package folder: the test needs no install step
    return stored_png.build(tmp_path_factory.mktemp("lib") / "libvanban_stored_png.so")


def test_stored_word_images_give_the_same_words(library):
    plain = _read_page(VANBAN_STORED_PNG="0", VANBAN_STORED_PNG_LIBRARY=str(library))
    stored = _read_page(VANBAN_STORED_PNG="1", VANBAN_STORED_PNG_LIBRARY=str(library))
    assert not plain["loaded"] and plain["stored"] == 0
    # every line image Tesseract's recogniser read went through the library
    lines = {tuple(w[3]) for w in stored["words"]}
    assert stored["loaded"] and stored["stored"] >= len(lines) == 4
    assert stored["words"] == plain["words"]
    assert "Đẩy" in [w[0] for w in stored["words"]]


def test_without_the_library_tesseract_runs_as_before(tmp_path):
    missing = _read_page(VANBAN_STORED_PNG_LIBRARY=str(tmp_path / "not-built.so"))
    assert not missing["loaded"] and missing["stored"] == 0 and missing["words"]


def test_a_failed_build_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("CC", "false")  # a "compiler" that fails
    monkeypatch.setattr(stored_png.shutil, "which",
                        lambda name: "/bin/false" if name == "false" else None)
    with pytest.raises(RuntimeError, match="failed"):
        stored_png.build(tmp_path / "lib.so")
    assert not (tmp_path / "lib.so").exists() and not (tmp_path / "lib.so.tmp").exists()
