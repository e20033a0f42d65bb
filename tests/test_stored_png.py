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


def _build_or_fail(out: Path) -> Path:
    """The library built at ``out``; a failed build fails the test with one clear line (a C
    compiler is a declared system dependency: scripts/install.sh installs g++)."""
    try:
        return stored_png.build(out)
    except RuntimeError as err:
        if "no C compiler" in str(err):
            pytest.fail("needs a C compiler (scripts/install.sh installs g++): no cc, gcc or "
                        "clang found", pytrace=False)
        pytest.fail(f"the stored PNG library did not build: {err}", pytrace=False)


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    # built here, not taken from the package folder: the test needs no install step
    return _build_or_fail(tmp_path_factory.mktemp("lib") / "libvanban_stored_png.so")


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


def test_no_compiler_fails_with_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.delenv("CC", raising=False)
    monkeypatch.setattr(stored_png.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="needs a C compiler"):
        _build_or_fail(tmp_path / "lib.so")


_LOAD = ("import json, sys\n"
         "{before}\n"
         "from vanban.ocr import stored_png\n"
         "print(json.dumps([stored_png.load(), stored_png.refused]))\n")


def _load(library: Path, before: str = "", pythonpath: Path | None = None) -> list:
    env = {**os.environ, "VANBAN_STORED_PNG": "1", "VANBAN_STORED_PNG_LIBRARY": str(library)}
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), str(ROOT)])
    done = subprocess.run([sys.executable, "-c", _LOAD.format(before=before)],
                          capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_not_loaded_once_tesserocr_is_imported(library):
    # libtesseract is then bound already: loading would do nothing, so it says False
    assert _load(library) == [True, None]
    loaded, why = _load(library, before="import tesserocr")
    assert not loaded and "already imported" in why


def _fake_tesserocr(site: Path, extension: Path | None = None) -> Path:
    package = site / "tesserocr"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    if extension:
        (package / "tesserocr.cpython-fake.so").write_bytes(extension.read_bytes())
    return site


def test_not_loaded_under_a_wheel_that_bundles_its_libraries(library, tmp_path):
    # a PyPI wheel (auditwheel) keeps its libtesseract and leptonica in tesserocr.libs/
    site = _fake_tesserocr(tmp_path / "wheel")
    (site / "tesserocr.libs").mkdir()
    (site / "tesserocr.libs" / "libtesseract-9721d5b3.so.5.5.4").write_bytes(b"")
    loaded, why = _load(library, pythonpath=site)
    assert not loaded and "bundles its own libraries" in why


def test_not_loaded_when_tesserocr_links_another_tesseract_or_leptonica(library, tmp_path):
    compiler = next(c for c in ("cc", "gcc", "clang") if stored_png.shutil.which(c))

    def shared(name: str, *needs: str) -> Path:
        src = tmp_path / "x.c"
        src.write_text("int vanban_fake(void) { return 0; }\n")
        out = tmp_path / name
        subprocess.run([compiler, "-shared", "-fPIC", f"-Wl,-soname,{name}", "-o", str(out),
                        str(src), f"-L{tmp_path}", "-Wl,--no-as-needed", *needs], check=True)
        return out

    shared("libtesseract-9721d5b3.so.5")
    (tmp_path / "libother.so").symlink_to(tmp_path / "libtesseract-9721d5b3.so.5")
    site = _fake_tesserocr(tmp_path / "mangled", shared("ext1.so", "-lother"))
    loaded, why = _load(library, pythonpath=site)
    assert not loaded and "links its own libtesseract" in why

    shared("libleptonica.so.6")
    (tmp_path / "libleptonica.so").symlink_to(tmp_path / "libleptonica.so.6")
    site = _fake_tesserocr(tmp_path / "other-lept", shared("ext2.so", "-lleptonica"))
    loaded, why = _load(library, pythonpath=site)
    assert not loaded and "libleptonica.so.6" in why
