"""The OCR engines (vanban.ocr.engine): tesserocr (default, Tesseract kept loaded) and pytesseract
(one process per call) give the same words on the same page, through the real Tesseract."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from vanban.errors import MissingDependencyError
from vanban.ocr import ENGINES, OcrOptions, ocr_image, ocr_inputs, preload
from vanban.ocr import engine as ocr_engine
from vanban.ocr.engine import EngineError, get_engine, words_from_tsv

DPI = 200
FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")

LINES = [
    "ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TỈNH QUẢNG NGÃI                       Độc lập - Tự do - Hạnh phúc",
    "Số: 157/KH-UBND                   Quảng Ngãi, ngày 12 tháng 9 năm 2024",
    "",
    "KẾ HOẠCH",
    "Triển khai thi hành Luật sửa đổi, bổ sung một số điều của Luật",
    "Tiêu chuẩn và Quy chuẩn kỹ thuật trên địa bàn tỉnh",
    "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành,",
    "Ủy ban nhân dân các huyện, thị xã, thành phố tổ chức thực hiện.",
]


def _font(pt: float) -> ImageFont.FreeTypeFont:
    path = FONT if FONT.exists() else Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    return ImageFont.truetype(str(path), round(pt * DPI / 72))


def _render(lines: list[str], width: int = 1600, pt: float = 12.5) -> Image.Image:
    font = _font(pt)
    step = round(pt * DPI / 72 * 1.6)
    img = Image.new("L", (width, 120 + step * len(lines)), 255)
    draw = ImageDraw.Draw(img)
    for i, text in enumerate(lines):
        draw.text((90, 60 + i * step), text, fill=0, font=font)
    return img


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return np.asarray(_render(LINES))


@pytest.fixture(scope="module")
def engines():
    return [get_engine(name) for name in ENGINES]


def test_engine_names_and_default():
    assert ENGINES[0] == "tesserocr" == OcrOptions().engine
    assert {get_engine(name).name for name in ENGINES} == set(ENGINES)
    assert get_engine("tesserocr") is get_engine(None)  # one engine per process
    with pytest.raises(ValueError, match="unknown OCR engine"):
        get_engine("ocropus")


def test_both_engines_run_the_same_tesseract(engines):
    versions = {e.name: e.version() for e in engines}
    assert len(set(versions.values())) == 1, versions
    assert {"vie", "osd"} <= engines[0].languages() == engines[1].languages()


@pytest.mark.parametrize("psm", [3, 6])
def test_same_words_boxes_and_confidences(engines, page, psm):
    tesserocr_words, pytesseract_words = (e.recognize(page, DPI, "vie", psm) for e in engines)
    text = " ".join(w.text for w in tesserocr_words)
    assert "Quảng Ngãi" in text and "Công nghệ" in text  # it really read the page
    assert tesserocr_words == pytesseract_words


def test_variables_apply_to_one_call_only(engines):
    number = np.asarray(_render(["Số 4521"], width=500, pt=16))
    for e in engines:
        digits = e.recognize(number, DPI, "vie", psm=7,
                             variables={"tessedit_char_whitelist": "0123456789"})
        assert "".join(w.text for w in digits).endswith("4521")
        assert all(w.text.isdigit() for w in digits)
        again = e.recognize(number, DPI, "vie", psm=7)  # the whitelist is gone
        assert any("S" in w.text for w in again)
    with pytest.raises(EngineError, match="unknown Tesseract parameter"):
        get_engine("tesserocr").recognize(number, DPI, "vie", psm=7, variables={"no_such_knob": "1"})


def test_same_orientation(engines, page):
    turned = np.ascontiguousarray(np.rot90(page))  # 90° counter-clockwise
    found = [e.detect_orientation(turned, DPI) for e in engines]
    assert found[0] == found[1]
    assert found[0] is not None and found[0][0] == 90
    blank = np.full((400, 600), 255, np.uint8)
    assert [e.detect_orientation(blank, DPI) for e in engines] == [None, None]


def test_same_page_through_the_whole_ocr_stage(page):
    img = Image.fromarray(page)
    pages = [ocr_image(img, OcrOptions(engine=name), dpi=DPI) for name in ENGINES]
    assert pages[0].text == pages[1].text
    assert "Triển khai thi hành" in pages[0].text
    words = [[(w.text, w.bbox, w.conf) for b in p.blocks for ln in b.lines for w in ln.words]
             for p in pages]
    assert words[0] == words[1]


def test_threads_share_loaded_models_without_mixing_pages(page):
    tess = get_engine("tesserocr")
    other = np.asarray(_render(LINES[5:] + LINES[:5]))
    expected = {0: tess.recognize(page, DPI), 1: tess.recognize(other, DPI)}
    with ThreadPoolExecutor(max_workers=3) as pool:
        got = list(pool.map(lambda i: (i % 2, tess.recognize([page, other][i % 2], DPI)), range(6)))
    assert all(words == expected[k] for k, words in got)


def test_rejects_what_is_not_a_gray_page(engines):
    for e in engines:
        with pytest.raises(EngineError):
            e.recognize(np.zeros((0, 10), np.uint8), DPI)
        with pytest.raises(EngineError):
            e.recognize(np.zeros((10, 10, 3), np.uint8), DPI)


@pytest.mark.parametrize("name", ENGINES)
def test_missing_language_is_a_missing_dependency(name):
    with pytest.raises(MissingDependencyError, match="xxx"):
        get_engine(name).check_language("vie+xxx")
    with pytest.raises(MissingDependencyError):
        preload(OcrOptions(engine=name, lang="xxx"))


def test_ocr_inputs_records_the_engine_and_its_tesseract(tmp_path, page):
    path = tmp_path / "page.png"
    Image.fromarray(page).save(path, dpi=(DPI, DPI))
    preload(OcrOptions(engine="pytesseract"))
    docs, errors = ocr_inputs([path], OcrOptions(engine="pytesseract", tables=False))
    assert not errors
    meta = docs[0].meta["ocr"]
    assert meta["options"]["engine"] == "pytesseract"
    assert meta["engine"] == f"tesseract {get_engine('pytesseract').version()}"


def test_the_active_engine_is_the_pages_one(page):
    assert ocr_engine.active() is get_engine("tesserocr")
    with ocr_engine.use("pytesseract") as used:
        assert ocr_engine.active() is used is get_engine("pytesseract")
    assert ocr_engine.active() is get_engine("tesserocr")


def test_tsv_read_as_pytesseract_reads_it():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "1\t1\t0\t0\t0\t0\t0\t0\t800\t600\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.372345\tSở\n"
           "5\t1\t1\t1\t1\t2\t45\t20\t50\t12\t0.5\t  \n"
           "5\t1\t2\t1\t3\t1\t10\t60\t40\t12\t88.9\tngành,\n"
           "4\t1\t2\t1\t4\t0\t10\t80\t40\t12\t-1\t\n")
    words = words_from_tsv(tsv)
    assert [(w.text, w.bbox, w.conf, w.key) for w in words] == [
        ("Sở", (10, 20, 40, 32), 96.0, (1, 1, 1)), ("ngành,", (10, 60, 50, 72), 88.0, (2, 1, 3))]
    assert words_from_tsv(tsv.split("\n", 1)[1]) == words  # GetTSVText: no header line
    assert words_from_tsv("") == []


def test_cli_engine_option(tmp_path, page):
    from click.testing import CliRunner

    from vanban.cli import main
    path = tmp_path / "page.png"
    Image.fromarray(page).save(path, dpi=(DPI, DPI))
    texts = {}
    for name in ENGINES:
        result = CliRunner().invoke(main, ["ocr", str(path), "--engine", name, "--jobs", "1"])
        assert result.exit_code == 0, result.output
        texts[name] = result.output
    assert texts["tesserocr"] == texts["pytesseract"] and "Quảng Ngãi" in texts["tesserocr"]
    bad = CliRunner().invoke(main, ["ocr", str(path), "--engine", "ocropus"])
    assert bad.exit_code == 2


def _read_in_worker(gray: np.ndarray) -> list:
    return get_engine("tesserocr").recognize(gray, DPI)


def test_forked_worker_loads_its_own_model(page):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    tess = get_engine("tesserocr")
    tess.preload()  # loaded in the parent before the fork, as pipeline.preload() does
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert pool.submit(_read_in_worker, page).result() == tess.recognize(page, DPI)


# ------------------------------------------------------------------ allocator settings
def _tuned_in_fresh_process(**env: str) -> str:
    import os
    import subprocess
    import sys

    from vanban.ocr.engine import _MALLOC_ENV
    code = ("from vanban.ocr import engine; engine.get_engine('pytesseract'); "
            "print(engine.keep_freed_page_memory())")
    clean = {k: v for k, v in os.environ.items()
             if k not in ("VANBAN_MALLOC_TUNING", *_MALLOC_ENV)}
    done = subprocess.run([sys.executable, "-c", code], env={**clean, **env},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_freed_page_memory_is_kept_on_glibc_unless_the_user_says_otherwise():
    import platform
    if platform.libc_ver()[0] != "glibc":
        assert _tuned_in_fresh_process() == "False"  # other C libraries are left alone
        return
    assert _tuned_in_fresh_process() == "True"
    assert _tuned_in_fresh_process(VANBAN_MALLOC_TUNING="0") == "False"
    assert _tuned_in_fresh_process(MALLOC_TRIM_THRESHOLD_="131072") == "False"


@pytest.mark.parametrize("platform", ["win32", "linux"])
def test_allocator_setting_is_false_not_a_traceback_where_ctypes_has_no_main_program(
        monkeypatch, platform):
    """On Windows ``ctypes.CDLL(None)`` raises TypeError: the setting is skipped off Linux, and
    a TypeError there is caught like a missing symbol."""
    import ctypes
    import sys

    from vanban.ocr import engine

    def no_main_program(*args, **kwargs):
        raise TypeError("LoadLibrary() argument 1 must be str, not None")

    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(ctypes, "CDLL", no_main_program)
    monkeypatch.setattr(engine, "_malloc_tuned", None)
    for name in ("VANBAN_MALLOC_TUNING", *engine._MALLOC_ENV):
        monkeypatch.delenv(name, raising=False)
    assert engine.keep_freed_page_memory() is False
