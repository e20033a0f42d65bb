"""Issue 9 (hostile probe), defects 2-10, each reproduced in small form.

Defect 1 (an output over the store or an input) is tested in tests/test_outputs.py; the matrix of
40+ bad inputs through the CLI and the store cases are in tests/test_hostile.py.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image

from tests.support import synth
from vanban.cli import main
from vanban.corpus import Store
from vanban.corpus.batch import run_batch
from tests.support.damage import corrupt_middle
from tests.support.synthetic import concurrent_writers, synthetic_record, synthetic_store, synthetic_text
from vanban.errors import UsageError
from vanban.extract import extract_record, render_markdown
from vanban.ocr.inputs import open_input, page_image
from vanban.pipeline import decode_text, detect_text_encoding, restore_stream, text_pieces

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "tests" / "fixtures" / "corpus" / "kh-thu-vien-ha-giang.txt"
FUNDING_PLAN = ROOT / "tests" / "fixtures" / "plans" / "tnt305-6a406c1f9dfed9c3.txt"
TONES = "\u0300\u0301\u0303\u0309\u0323"


def cli(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def one_error_line(result, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("vanban: error: "), lines
    return lines[0]


def to_cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: letters cp1258 has whole, tones as combining marks."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)


def run_subprocess(args, stdin=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "vanban.cli", *map(str, args)], input=stdin,
                          capture_output=True, timeout=timeout, cwd=ROOT)


# ------------------------------------------------------------ 2. bit depth, at input
def _text_page() -> Image.Image:
    return synth.render_lines(["ỦY BAN NHÂN DÂN TỈNH HÀ GIANG", "KẾ HOẠCH thư viện 2025"],
                              width_px=900, dpi=150, font_pt=14).convert("L")


def test_16_bit_greyscale_png_and_tiff_are_scaled_not_clipped(tmp_path):
    gray8 = np.asarray(_text_page())
    deep = (gray8.astype(np.uint16) * 257)  # the same page at 16 bits
    for name in ("page16.png", "page16.tif"):
        path = tmp_path / name
        Image.fromarray(deep).save(path)
        assert Image.open(path).mode.startswith("I")
        loaded = np.asarray(open_input(path)[0].load())
        assert loaded.dtype == np.uint8 and loaded.shape == gray8.shape
        assert np.abs(loaded.astype(int) - gray8).max() <= 1  # before: ink clipped to white
        assert loaded.min() < 64


def test_12_bit_data_in_a_16_bit_file_keeps_its_contrast():
    gray8 = np.asarray(_text_page()).astype(np.uint16)
    img = Image.fromarray(gray8 * 16)  # white = 4080: 12-bit scanner data
    out = np.asarray(page_image(img))
    assert out.max() >= 250 and out.min() < 64


def test_transparency_palette_cmyk_and_bilevel_become_plain_pages():
    page = _text_page()
    ink = np.asarray(page) < 128
    rgba = np.zeros(ink.shape + (4,), np.uint8)
    rgba[ink] = (0, 0, 0, 255)  # black ink on a transparent (0,0,0,0) background
    flat = np.asarray(page_image(Image.fromarray(rgba, "RGBA")).convert("L"))
    assert flat[~ink].min() == 255 and flat[ink].max() == 0  # before: an all-black page
    la = Image.fromarray(rgba, "RGBA").convert("LA")
    assert page_image(la).mode == "L" and np.asarray(page_image(la))[~ink].min() == 255
    pal = Image.fromarray(rgba, "RGBA").convert("P")
    pal.info["transparency"] = 0
    assert page_image(pal).mode == "RGB"
    cmyk = page.convert("RGB").convert("CMYK")
    assert page_image(cmyk).mode == "RGB"
    assert np.abs(np.asarray(page_image(cmyk).convert("L")).astype(int)
                  - np.asarray(page)).max() <= 2
    bilevel = page.convert("1")
    assert page_image(bilevel).mode == "L"


def test_16_bit_scan_ocrs_like_the_8_bit_one(tmp_path):
    page = _text_page()
    Image.fromarray(np.asarray(page).astype(np.uint16) * 257).save(tmp_path / "deep.png")
    page.save(tmp_path / "plain.png")
    texts = {}
    for name in ("deep.png", "plain.png"):
        result = cli("ocr", tmp_path / name, "-j", "1")
        assert result.exit_code == 0, result.output
        texts[name] = result.stdout
    assert "KẾ HOẠCH" in texts["plain.png"]
    assert texts["deep.png"] == texts["plain.png"]


# ------------------------------------------------------------------- 3. text encodings
def test_cp1258_text_is_decoded_not_garbled(tmp_path):
    text = PLAN.read_text(encoding="utf-8")
    data = to_cp1258(text)
    assert detect_text_encoding(data) == "cp1258"
    assert decode_text(data) == unicodedata.normalize("NFC", text)
    path = tmp_path / "cp1258.txt"
    path.write_bytes(data)
    restored = cli("restore", path)
    assert restored.exit_code == 0
    assert "Độc lập - Tự do" in restored.stdout and "Ðôòc" not in restored.stdout
    record = cli("run", path, "--mode", "off")
    assert record.exit_code == 0 and '"215/KH-UBND"' in record.stdout


@pytest.mark.parametrize("legacy", ["tcvn3", "vni"])
def test_legacy_font_encodings_still_reach_normalize_byte_for_byte(tmp_path, legacy):
    from vanban.normalize.encodings import unicode_to_tcvn3, unicode_to_vni
    text = PLAN.read_text(encoding="utf-8")
    convert = unicode_to_tcvn3 if legacy == "tcvn3" else unicode_to_vni
    data = convert(text).encode("latin-1")
    assert detect_text_encoding(data) == "latin-1"  # normalize recognises and maps it
    path = tmp_path / f"{legacy}.txt"
    path.write_bytes(data)
    result = cli("restore", path)
    assert result.exit_code == 0 and "Độc lập - Tự do" in result.stdout


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32",
                                      "utf-8-sig"])
def test_utf16_32_and_boms_are_decoded(tmp_path, encoding):
    text = PLAN.read_text(encoding="utf-8")
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    assert decode_text(path.read_bytes()) == text
    for args in (["extract", path], ["restore", path]):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)  # before: "binary" / garbled
        assert "Hà Giang" in result.stdout


def test_binary_junk_on_stdin_is_refused_like_a_file():
    junk = bytes((i * 131 + 7) % 256 for i in range(4096))
    for command in ("restore", "extract"):
        line = one_error_line(cli(command, "-", input=junk), 3)
        assert "standard input: binary data, not text" in line


# ------------------------------------------------ 4. tracebacks become one-line errors
@pytest.mark.parametrize("kind", ["binary", "cp1258", "utf-16"])
def test_extract_from_stdin_any_encoding(kind):
    text = PLAN.read_text(encoding="utf-8")
    data = {"binary": b"\x00\x01\x02" * 500, "cp1258": to_cp1258(text),
            "utf-16": text.encode("utf-16")}[kind]
    result = cli("extract", "-", input=data)
    if kind == "binary":
        one_error_line(result, 3)
    else:
        assert result.exit_code == 0 and '"215/KH-UBND"' in result.stdout


@pytest.fixture
def db(tmp_path) -> Path:
    return synthetic_store(tmp_path / "corpus.db", range(40))


def test_corrupted_database_is_one_line_for_reading_commands(db):
    corrupt_middle(db)
    for args in (["export", "--db", db], ["search", "--db", db, "tang cuong"],
                 ["query", "--db", db, "--kind", "task"]):
        line = one_error_line(cli(*args), 6)
        assert str(db) in line, line


def test_huge_year_and_filter_values_are_usage_errors(db):
    line = one_error_line(cli("query", "--db", db, "--year", "99999999999999999999"), 2)
    assert "--year" in line
    line = one_error_line(cli("query", "--db", db, "--agency", "a" * 50_000), 2)
    assert "--agency" in line and "50000 characters" in line


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_stdout_full_is_exit_7_one_line(db):
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "vanban.cli", "export", "--db", str(db)],
                              stdout=full, stderr=subprocess.PIPE, timeout=60, cwd=ROOT)
    assert proc.returncode == 7
    lines = proc.stderr.decode().splitlines()
    assert lines == ["vanban: error: standard output: cannot write: No space left on device"]


def test_ocr_of_a_pipe_is_refused_not_a_traceback(tmp_path):
    pdf = tmp_path / "x.pdf"
    synth.save_pdf([synth.render_lines(["Bí mật"], width_px=600, dpi=75)], pdf, dpi=75)
    proc = run_subprocess(["ocr", "/dev/stdin"], stdin=pdf.read_bytes())
    assert proc.returncode == 3, proc.stderr
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and "/dev/stdin" in lines[0] and "not a regular file" in lines[0]


# ------------------------------------------------------------------------ 5. store safety
def foreign_db(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.executemany("INSERT INTO customers (name) VALUES (?)", [("An",), ("Bình",)])
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_foreign_sqlite_file_is_refused_untouched(tmp_path):
    other = tmp_path / "app.db"
    before = foreign_db(other)
    mtime = other.stat().st_mtime_ns
    result = cli("batch", PLAN, "--db", other, "--no-progress")
    line = one_error_line(result, 6)
    assert "not a vanban corpus database" in line
    assert other.read_bytes() == before and other.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]  # no -wal/-shm either
    for args in (["search", "--db", other, "x"], ["query", "--db", other]):
        one_error_line(cli(*args), 6)
    assert other.read_bytes() == before


def test_batch_into_a_damaged_database_refuses_to_write(db):
    corrupt_middle(db)
    before = db.read_bytes()
    line = one_error_line(cli("batch", PLAN, "--db", db, "--no-progress"), 6)
    assert "damaged corpus database" in line
    assert db.read_bytes() == before


def test_two_writers_on_a_new_database_both_succeed_ten_times(tmp_path):
    """Two writer processes started at once on a database that does not exist yet: both
    succeed (before: "database is locked" about one time in four)."""
    for attempt in range(10):
        db = tmp_path / f"new-{attempt}.db"
        assert concurrent_writers(db, [range(0, 5), range(100, 105)]) == ["ok", "ok"], attempt
        with Store(db, readonly=True) as store:
            assert store.stats()["documents"] == 10


def test_concurrent_batches_on_a_new_database_add_up(tmp_path):
    import multiprocessing
    inputs = []
    for src in sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.txt")):
        if ".legacy." not in src.name:
            inputs.append(tmp_path / src.name)
            inputs[-1].write_bytes(src.read_bytes())
    db = tmp_path / "corpus.db"
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()

    def one_batch():
        summary = run_batch(inputs, db, jobs=1, progress=False, log=lambda line: None)
        queue.put(summary.to_dict())

    procs = [ctx.Process(target=one_batch) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    summaries = [queue.get(timeout=5) for _ in procs]
    for s in summaries:
        assert s["exit_code"] == 0, s
        assert s["stored"] + s["skipped"] + s["duplicates"] + s["failed"] == s["found"], s
    assert sum(s["stored"] for s in summaries) == len(inputs)
    with Store(db, readonly=True) as store:
        assert store.stats()["documents"] == len(inputs)


def test_reading_commands_write_nothing_to_the_database(db):
    with Store(db):  # a batch's last close leaves the file in rollback mode
        pass
    before, mtime = db.read_bytes(), db.stat().st_mtime_ns
    for args in (["search", "--db", db, "tang cuong"], ["query", "--db", db],
                 ["export", "--db", db]):
        assert cli(*args).exit_code == 0
    assert db.read_bytes() == before and db.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]  # no -wal, no -shm


# ----------------------------------------------------------------- 6. batch resilience
def test_missing_path_is_an_error_row_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "plan.txt"
    good.write_bytes(PLAN.read_bytes())
    db = tmp_path / "corpus.db"
    result = cli("batch", good, tmp_path / "nonexistent.pdf", "--db", db, "--no-progress")
    assert result.exit_code == 3, result.output
    with Store(db, readonly=True) as store:
        assert store.stats()["documents"] == 1
        errors = store.errors()
    assert [Path(e["path"]).name for e in errors] == ["nonexistent.pdf"]
    assert errors[0]["reason"] == "no such file or directory"


def test_zero_page_pdf_after_an_encrypted_one_is_not_called_encrypted(tmp_path):
    enc, zero = tmp_path / "a-encrypted.pdf", tmp_path / "b-zero.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(enc, encryption=pikepdf.Encryption(owner="o", user="u"))
    pikepdf.new().save(zero)
    db = tmp_path / "corpus.db"
    summary = run_batch([enc, zero], db, jobs=1, progress=False, log=lambda line: None)
    reasons = {Path(f.path).name: (f.error_type, f.reason) for f in summary.failures}
    assert reasons["a-encrypted.pdf"][0] == "EncryptedPdfError"
    assert reasons["b-zero.pdf"] == ("InputFileError", "PDF has no pages")
    with Store(db, readonly=True) as store:
        stored = {Path(e["path"]).name: e["reason"] for e in store.errors()}
    assert stored["b-zero.pdf"] == "PDF has no pages"


# ------------------------------------------------------------------ 7. hangs and cost
@pytest.mark.parametrize("command,name", [("ocr", "x.pdf"), ("run", "x.pdf"), ("run", "x.txt"),
                                          ("extract", "x.txt"), ("restore", "x.txt")])
def test_a_fifo_is_refused_not_waited_on(tmp_path, command, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    proc = run_subprocess([command, fifo], timeout=60)  # before: blocked forever
    assert proc.returncode == 3, proc.stderr
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and str(fifo) in lines[0] and "FIFO" in lines[0]


def test_fifo_in_a_batch_is_an_error_row(tmp_path):
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    summary = run_batch([fifo], tmp_path / "c.db", jobs=1, progress=False, log=lambda line: None)
    assert summary.failed == 1 and "FIFO" in summary.failures[0].reason


def test_search_query_length_is_bounded(db):
    from vanban.corpus import fts_query
    with pytest.raises(UsageError):
        fts_query(" ".join(["chuyen"] * 15_000))
    with pytest.raises(UsageError):
        fts_query(" ".join(f"w{i}" for i in range(65)))
    assert fts_query(" ".join(f"w{i}" for i in range(64)))
    line = one_error_line(cli("search", "--db", db, *(["chuyen"] * 15_000)), 2)
    assert "at most" in line


def test_long_text_is_restored_in_pieces_that_join_exactly():
    text = "\n".join(PLAN.read_text(encoding="utf-8").splitlines() * 30) + "\n"
    pieces = list(text_pieces(text, 2000))
    assert "".join(p for _, p in pieces) == text and len(pieces) > 10
    assert all(p.endswith("\n") for _, p in pieces[:-1])  # cut at line ends
    stripped = synth_stripped(text)
    streamed = list(restore_stream(stripped, "stripped", chunk_chars=5000,
                                   with_confidence=True))
    assert len(streamed) > 5
    joined = "".join(r.text for _, r in streamed)
    assert joined.count("\n") == stripped.count("\n")
    assert "thư viện" in joined
    for _, result in streamed:  # change offsets point into the whole text
        for change in result.changes[:3]:
            assert stripped[change.start:change.end] == change.original
    whole = list(restore_stream(stripped[:4000], "stripped"))  # short: restored whole
    assert len(whole) == 1


def synth_stripped(text: str) -> str:
    from vanban.normalize import strip_diacritics
    return strip_diacritics(text)


# ------------------------------------------------------------------- 8. small but real
def test_ocr_output_folder_is_checked_before_ocr(tmp_path, monkeypatch):
    import vanban.ocr
    page = tmp_path / "page.png"
    _text_page().save(page)

    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran before the output path was checked")
    monkeypatch.setattr(vanban.ocr, "ocr_inputs", no_ocr)
    line = one_error_line(cli("ocr", page, "-o", tmp_path / "nonexistent" / "x"), 2)
    assert "no such folder" in line


def test_like_wildcards_in_filters_are_literal(tmp_path):
    db = tmp_path / "c.db"
    rec = synthetic_record(1)
    with Store(db) as store:
        store.add(rec, text=synthetic_text(rec), sha256="1" * 64)
        assert store.query("task", agency="Sở")  # a real name matches
        assert store.query("task", agency="%") == []
        assert store.query("task", agency="_") == []
        assert store.query("document", province="%") == []


def test_limit_zero_is_rejected_for_search_and_query(db):
    for args in (["search", "--db", db, "-n", "0", "tang"], ["query", "--db", db, "-n", "0"]):
        line = one_error_line(cli(*args), 2)
        assert "--limit" in line


def test_newline_in_a_file_name_stays_on_one_line(tmp_path):
    bad = tmp_path / "two\nlines.pdf"
    bad.write_bytes(b"not a pdf at all")
    line = one_error_line(cli("ocr", bad), 3)
    assert "two\\nlines.pdf" in line


def test_search_word_starting_with_dash(db):
    line = one_error_line(cli("search", "--db", db, "-chuyen"), 2)
    assert "after '--'" in line
    assert cli("search", "--db", db, "--", "-chuyen").exit_code == 0


# --------------------------------------------------------------------------- 9. progress
def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path):
    quiet = cli("restore", PLAN)  # CliRunner's stderr is not a terminal
    assert quiet.exit_code == 0 and quiet.stderr == ""
    shown = cli("restore", PLAN, "--progress", "-o", tmp_path / "out.txt")
    assert shown.exit_code == 0 and "vanban restore" in shown.stderr
    page = tmp_path / "page.png"
    _text_page().save(page)
    ocr = cli("ocr", page, "--progress", "-j", "1")
    assert ocr.exit_code == 0 and "vanban ocr" in ocr.stderr and "1/1" in ocr.stderr


# ----------------------------------------------------------------- 10. markdown review
def test_markdown_renders_funding_task_content_and_every_field():
    record = extract_record(FUNDING_PLAN.read_text(encoding="utf-8"))
    md = render_markdown(record)
    assert "## Funding" in md and "KINH PHÍ BẢO ĐẢM" in md
    for task in record.tasks:
        if task.text:
            assert task.text.strip()[:60] in md
    for duty in record.duties:
        assert duty.text[:60] in md
    for section in record.sections:
        assert section.heading[:60] in md
    assert "## Provenance" in md and record.provenance.get("sha256", "")[:16] in md


def test_markdown_renders_a_field_it_does_not_know():
    record = extract_record(PLAN.read_text(encoding="utf-8"))
    data = record.to_dict()
    from vanban.model import PlanRecord
    rebuilt = PlanRecord.from_dict(data)
    rebuilt.__dict__["funding"] = [{"source": "ngân sách tỉnh", "amount": "2 tỷ đồng"}]
    original_to_dict = rebuilt.to_dict

    class WithFunding(type(rebuilt)):
        def to_dict(self):
            return {**original_to_dict(), "funding": rebuilt.__dict__["funding"]}
    rebuilt.__class__ = WithFunding
    md = render_markdown(rebuilt)
    assert "## Funding" in md and "ngân sách tỉnh" in md and "2 tỷ đồng" in md
