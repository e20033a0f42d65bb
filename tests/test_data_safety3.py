"""Data safety and bad input, third audit (2026-12-01): known small defects (part A) and what
a third hostile pass over the CLI found (part B). Each test was written to fail on the code
before its fix; findings that turned out fine are listed in docs/corpus.md, some with a test
that keeps them so."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest


from tests.support.cli import PLAN
from tests.support.cli import one_error_line as _one_error_line
from tests.support.cli import run_cli as _run


def _image_pdf(path: Path) -> Path:
    """A one-page PDF of a blank image (no plan on it), saved under ``path`` (any name)."""
    from PIL import Image
    plain = path.with_name("plain-name.pdf")
    Image.new("RGB", (300, 200), "white").save(plain, "PDF")
    os.replace(plain, path)
    return path


def _odd_name(folder: Path, name: bytes) -> Path:
    """A path in ``folder`` whose name is bytes that are not UTF-8 (an old Windows share)."""
    return Path(os.fsdecode(bytes(folder) + b"/" + name))


# =========================================================================== part A
# ------------------------------------------------------- A1: pdf -o into a missing folder
def test_pdf_into_a_missing_folder_is_refused_like_every_other_output(tmp_path):
    """`vanban pdf a.pdf -o missing/x.pdf` made missing/ (mkdir -p) where `ocr`, `run`,
    `export`... exit 2 ("no such folder") before any work: a mistyped path, or a mount that
    failed, silently got a new folder tree on the wrong disk. Now exit 2, one line, nothing
    made; with several inputs OUT itself is still made when its parent exists."""
    scan = _image_pdf(tmp_path / "a.pdf")
    for out in (tmp_path / "missing" / "x.pdf", tmp_path / "missing" / "deeper" / "x.pdf"):
        result = _run(["pdf", scan, "-o", out])
        assert result.exit_code == 2, result.output
        line = _one_error_line(result.output)
        assert "no such folder" in line, line
        assert not (tmp_path / "missing").exists()
        ocr = _run(["ocr", scan, "-o", out.with_suffix(".txt")])  # the rule it now follows
        assert ocr.exit_code == 2 and "no such folder" in ocr.output
    two = _image_pdf(tmp_path / "b.pdf")
    deep = tmp_path / "nowhere" / "out"
    result = _run(["pdf", scan, two, "-o", deep])
    assert result.exit_code == 2 and "no such folder" in result.output, result.output
    assert not (tmp_path / "nowhere").exists()


def test_batch_pdf_dir_whose_parent_is_missing_is_refused_before_any_work(tmp_path):
    """`batch --pdf-dir /mnt/archive/pdf` with /mnt/archive not mounted made the whole tree
    on the root disk, as `pdf -o` did; now exit 2 before the store is made. A folder whose
    parent exists is accepted (and made when a PDF is written)."""
    text = tmp_path / "a.txt"
    text.write_text(PLAN, encoding="utf-8")
    db = tmp_path / "c.db"
    result = _run(["batch", text, "--db", db, "--pdf-dir", tmp_path / "mnt" / "pdf",
                   "--no-progress"])
    assert result.exit_code == 2, result.output
    assert "no such folder" in _one_error_line(result.output)
    assert not db.exists() and not (tmp_path / "mnt").exists()
    result = _run(["batch", text, "--db", db, "--pdf-dir", tmp_path / "pdf", "--no-progress"])
    assert result.exit_code == 0, result.output


# ------------------------------------------- A2: errors of files deleted since they failed
def test_errors_of_files_gone_from_a_walked_folder_are_cleared_by_the_next_batch(tmp_path):
    """An errors row stayed for ever after its file was deleted: `vanban query --kind error`
    listed inputs the archivist had long removed from the inbox. A batch over that folder
    now removes the rows of files no longer there (said in the summary); a missing file
    named on the command line stays an error (it is one), and a folder not given this time
    keeps its rows."""
    from vanban.corpus import Store
    inbox = tmp_path / "inbox"
    other = tmp_path / "other"
    for folder in (inbox, other):
        folder.mkdir()
        (folder / "junk.txt").write_bytes(b"\x00\x01" * 500)
        (folder / "plan.txt").write_text(PLAN + folder.name, encoding="utf-8")
    odd = _odd_name(inbox, b"\xff-junk.txt")
    odd.write_bytes(b"\x00\x02" * 500)
    named = tmp_path / "named.txt"
    db = tmp_path / "c.db"
    first = _run(["batch", inbox, other, named, "--db", db, "--no-progress"])
    assert first.exit_code == 3, first.output
    with Store(db, readonly=True) as store:
        assert len(store.errors()) == 4  # two junk, the odd-named junk, the missing file
    (inbox / "junk.txt").unlink()
    odd.unlink()
    (other / "junk.txt").unlink()
    summary = tmp_path / "s.json"
    again = _run(["batch", inbox, named, "--db", db, "--no-progress", "--summary-json",
                  summary])
    assert again.exit_code == 3, again.output  # named.txt still missing
    assert "2 errors rows removed" in again.output, again.output
    assert json.loads(summary.read_text(encoding="utf-8"))["errors_cleared"] == 2
    with Store(db, readonly=True) as store:
        left = sorted(e["path"] for e in store.errors())
        assert len(store.document_ids()) == 2  # the documents stay: only errors go
    assert left == sorted([str(named), str(other / "junk.txt")]), left


@pytest.mark.parametrize("where", ["share", "subfolder"])
def test_errors_of_a_folder_found_empty_are_kept(tmp_path, where):
    """`vanban batch share inbox` with share/2024 holding two bad files: two errors rows.
    Next night the share is not mounted (an empty mount point), or only its 2024 subfolder
    is: the batch said "folder holds no file" AND "2 errors rows removed". A folder that
    lists nothing proves nothing about its files: the rows stay."""
    from vanban.corpus import Store
    share, inbox = tmp_path / "share", tmp_path / "inbox"
    year = share / "2024"
    year.mkdir(parents=True)
    inbox.mkdir()
    for name in ("a.txt", "b.txt"):
        (year / name).write_bytes(b"\x00\x01" * 500)
    (inbox / "plan.txt").write_text(PLAN, encoding="utf-8")
    if where == "subfolder":
        (share / "plan.txt").write_text(PLAN + "Bản hai.\n", encoding="utf-8")
    db = tmp_path / "c.db"
    assert _run(["batch", share, inbox, "--db", db, "--no-progress"]).exit_code == 3
    for name in ("a.txt", "b.txt"):  # unmounted: the mount point is an empty folder
        (year / name).unlink()
    if where == "share":
        year.rmdir()
    again = _run(["batch", share, inbox, "--db", db, "--no-progress"])
    assert "errors rows removed" not in again.output, again.output
    if where == "share":
        assert again.exit_code == 3 and "holds no" in again.output, again.output
    with Store(db, readonly=True) as store:
        assert sorted(e["path"] for e in store.errors()) == [str(year / "a.txt"),
                                                              str(year / "b.txt")]


def test_errors_stored_under_a_relative_path_are_kept_from_another_directory(tmp_path,
                                                                               monkeypatch):
    """`(cd A && vanban batch in --db /x/c.db)` stores the failure as `in/bad.txt`;
    `(cd B && vanban batch in --db /x/c.db)` removed it though A/in/bad.txt is still there:
    the relative path was looked up from B. A relative row names a file relative to a
    directory the store does not know: it is kept."""
    from vanban.corpus import Store
    db = tmp_path / "c.db"
    for name in ("A", "B"):
        (tmp_path / name / "in").mkdir(parents=True)
        (tmp_path / name / "in" / "plan.txt").write_text(PLAN + name + "\n", encoding="utf-8")
    (tmp_path / "A" / "in" / "bad.txt").write_bytes(b"\x00\x01" * 500)
    monkeypatch.chdir(tmp_path / "A")
    assert _run(["batch", "in", "--db", db, "--no-progress"]).exit_code == 3
    monkeypatch.chdir(tmp_path / "B")
    again = _run(["batch", "in", "--db", db, "--no-progress"])
    assert again.exit_code == 0, again.output
    assert "errors rows removed" not in again.output, again.output
    with Store(db, readonly=True) as store:
        assert [e["path"] for e in store.errors()] == [os.path.join("in", "bad.txt")]
    assert (tmp_path / "A" / "in" / "bad.txt").exists()


# ---------------------------------------------- A3: a PDF whose name is not UTF-8
def test_an_encrypted_pdf_whose_name_is_not_utf8_is_said_encrypted(tmp_path):
    """A PDF whose name is not UTF-8 went through pikepdf with that name, which its C++ core
    refuses (TypeError): an encrypted one was reported "corrupt or unreadable PDF (_open():
    incompatible function arguments ...)" instead of encrypted. Images with such names
    worked (PIL opens with Python's open, which takes any name)."""
    import pikepdf
    plain = _image_pdf(tmp_path / "plain.pdf")
    locked = _odd_name(tmp_path, b"\xfe-locked.pdf")
    with pikepdf.open(plain) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="u"))
    result = _run(["ocr", locked])
    assert result.exit_code == 3, result.output
    line = _one_error_line(result.output)
    assert "encrypted PDF" in line and "\\xfe-locked.pdf" in line, line


def test_pdf_of_a_pdf_whose_name_is_not_utf8_is_written(tmp_path):
    """`vanban pdf` of a PDF so named failed with "internal error (TypeError: _open() ...)"
    (pikepdf opening it by name), and a born-digital one, once opened, with
    "UnicodeEncodeError: surrogates not allowed" (its record.json, whose id is the file's
    stem). Now it is written like any other; record.json holds the name as \\udcfe, which a
    JSON reader turns back into the same name (as -o files do)."""
    import pikepdf

    from tests.test_pdf import _born_digital
    born = _odd_name(tmp_path, b"\xfe-born.pdf")
    _born_digital(born)
    out = tmp_path / "out.pdf"
    result = _run(["pdf", born, "-o", out])
    assert result.exit_code == 0, result.output
    with pikepdf.open(out) as pdf:
        record = json.loads(pdf.attachments["record.json"].get_file().read_bytes())
    assert record["id"] == "\udcfe-born"
    scan = _image_pdf(_odd_name(tmp_path, b"\xff-scan.pdf"))
    result = _run(["pdf", scan, "-o", tmp_path / "scan-out.pdf"])
    assert result.exit_code == 0, result.output
    assert "\\xff-scan.pdf" in result.output and "\\udcff" not in result.output


# ---------------------------------------------------------- A4: code written twice, once
def test_both_temporary_file_cleanups_are_one_helper_with_one_age_rule(tmp_path, monkeypatch):
    """The LM cache's and `batch --pdf-dir`'s removal of temporaries left by a killed writer
    were two copies of one loop (one followed symlinks, the other not); both now call
    vanban.outputs.remove_abandoned_temporaries, with its one age rule, and neither removes
    a link named like a temporary file."""
    from vanban import outputs
    from vanban.corpus import batch
    from vanban.normalize import lm
    assert not hasattr(lm, "_ABANDONED_AFTER_S")  # the LM cache uses the one rule too
    assert not hasattr(batch, "ABANDONED_PDF_AFTER_S")  # no second name for the one rule
    calls = []
    real = outputs.remove_abandoned_temporaries

    def spy(folder, name, older_than_s=outputs.ABANDONED_AFTER_S):
        calls.append(Path(folder))
        return real(folder, name, older_than_s)
    monkeypatch.setattr(batch, "remove_abandoned_temporaries", spy)
    monkeypatch.setattr(lm, "remove_abandoned_temporaries", spy)
    out = tmp_path / "pdf"
    out.mkdir()
    target = tmp_path / "precious.pdf"
    target.write_bytes(b"%PDF keep me")
    old = out / ".scan.k1ll3d_0.pdf.tmp"
    old.write_bytes(b"half")
    link = out / ".scan.l1nk3d_0.pdf.tmp"
    link.symlink_to(target)
    hours_ago = time.time() - 2 * 3600
    for f in (old, target):
        os.utime(f, (hours_ago, hours_ago))
    os.utime(link, (hours_ago, hours_ago), follow_symlinks=False)
    assert batch.remove_abandoned_pdfs(out) == 1
    assert not old.exists() and link.is_symlink() and target.exists()
    copy = tmp_path / "cache" / f"m-{'0' * 32}-{'1' * 8}-v2.bin"
    copy.parent.mkdir()
    lm._remove_abandoned_writes(copy)
    assert calls == [out, copy.parent]
    assert outputs.remove_abandoned_temporaries(tmp_path / "absent", re.compile(".*")) == 0


def test_both_sqlite_header_checks_are_one_helper(tmp_path, monkeypatch):
    """`-o` refusing an existing database (outputs._sqlite_database_at) and the store refusing
    a file that is not SQLite (Store._refuse_foreign) each read the header themselves; both
    now ask vanban.outputs.has_sqlite_header."""
    from vanban import outputs
    from vanban.corpus import Store
    from vanban.corpus import store as store_module
    from vanban.errors import StoreError
    seen = []

    def spy(path):
        seen.append(Path(path).name)
        return outputs.SQLITE_HEADER == Path(path).read_bytes()[:16]
    monkeypatch.setattr(outputs, "has_sqlite_header", spy)
    monkeypatch.setattr(store_module, "has_sqlite_header", spy)
    notes = tmp_path / "notes.db"
    notes.write_text("not a database", encoding="utf-8")
    assert outputs._sqlite_database_at(notes) is None
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store(notes)
    assert seen == ["notes.db", "notes.db"]
    assert notes.read_text(encoding="utf-8") == "not a database"


# =========================================================================== part B
# ------------------------------------------------------- CSV cells run as spreadsheet formulas
def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(tmp_path):
    """A file name (scans arrive by mail, their names chosen by the sender) or a text line
    starting with '=' went into `vanban export --format csv` as it was: an analyst opening
    the CSV in Excel or LibreOffice ran `=HYPERLINK(...)` (or worse: DDE). Every text cell
    starting with = + - @ (not a number) now gets a leading apostrophe (a spreadsheet reads
    it as "text"; some show it); `--raw-cells` writes them as stored, for `query` and
    `search --format csv` too, which are guarded alike; JSON lines are never changed. The
    Python API gives programs the values as stored unless asked (`guard_formulas=True`)."""
    import csv
    import io
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "=HYPERLINK(x).txt").write_text(PLAN.replace("Phát triển", "=1+2 Phát triển"),
                                              encoding="utf-8")
    (inbox / "@SUM(1).txt").write_bytes(b"\x00\x01junk" * 50)
    db = tmp_path / "c.db"
    assert _run(["batch", inbox, "--db", db, "--no-progress"]).exit_code == 3

    def cells(result) -> list[dict]:
        assert result.exit_code == 0, result.output
        return list(csv.DictReader(io.StringIO(result.stdout)))
    doc = cells(_run(["export", "--db", db, "--format", "csv"]))[0]
    assert doc["record_id"] == "'=HYPERLINK(x)" and doc["title"].startswith("'=1+2 ")
    assert doc["source"] == str(inbox / "=HYPERLINK(x).txt")  # a path, not a formula
    assert doc["pages"] == "1"
    raw = cells(_run(["export", "--db", db, "--format", "csv", "--raw-cells"]))[0]
    assert raw["record_id"] == "=HYPERLINK(x)"
    line = json.loads(_run(["export", "--db", db, "--format", "jsonl"]).stdout)
    assert line["id"] == "=HYPERLINK(x)"
    out = tmp_path / "errors.csv"
    assert _run(["export", "--db", db, "--format", "csv", "--kind", "error", "-o", out,
                 ]).exit_code == 0
    with open(out, encoding="utf-8", newline="") as f:
        assert next(csv.DictReader(f))["path"] == str(inbox / "@SUM(1).txt")
    query = cells(_run(["query", "--db", db, "--format", "csv"]))[0]
    assert query["title"].startswith("'=1+2 ")
    search = cells(_run(["search", "--db", db, "--format", "csv", "--kind", "title",
                         "phat", "trien"]))
    assert search and all(not row["snippet"].startswith("=") for row in search)
    raw_query = cells(_run(["query", "--db", db, "--format", "csv", "--raw-cells"]))[0]
    assert raw_query["title"].startswith("=1+2 ")
    raw_search = cells(_run(["search", "--db", db, "--format", "csv", "--kind", "title",
                             "--raw-cells", "phat", "trien"]))
    assert raw_search and all(row["title"].startswith("=1+2 ") for row in raw_search)
    from vanban.corpus import Store
    with Store(db, readonly=True) as store:  # a program gets the values as stored
        raw_export = next(csv.DictReader(io.StringIO(store.export("csv"))))
        assert raw_export["record_id"] == "=HYPERLINK(x)"
        guarded = store.export("csv", guard_formulas=True)
        assert next(csv.DictReader(io.StringIO(guarded)))["record_id"] == "'=HYPERLINK(x)"
        assert store.query("document")[0]["title"].startswith("=1+2 ")


def test_spreadsheet_safe_keeps_numbers_and_plain_text():
    from vanban.corpus import spreadsheet_safe
    assert [spreadsheet_safe(v) for v in ("-5", "+3.2", "-", "- Sở Tài chính", "@x", "a=b",
                                          "\tx", 7, None, "")] == \
        ["-5", "+3.2", "'-", "'- Sở Tài chính", "'@x", "a=b", "'\tx", 7, None, ""]
    # numbers as Vietnamese texts write them (decimal comma, thousands dot, percentages)
    for number in ("-5%", "+3,5%", "-1.234,5", "+100", "-0,5"):
        assert spreadsheet_safe(number) == number
    for formula in ("-5%+A1", "+3,5%*2", "-1+1", "-A1", "+cmd|' /C calc'!A0", "-5 %"):
        assert spreadsheet_safe(formula) == "'" + formula


# ------------------------------------------------ one file reached by several paths in one batch
def test_a_file_and_a_symlink_to_it_are_one_input_named_by_the_file(tmp_path):
    """A folder holding a.txt and sym.txt -> a.txt: the batch kept whichever name the folder
    listed first (os.walk's order, which varies from one file system to another), so the
    store could list only the link and never the file itself. Now the file's own name is
    kept, whatever the order; a hard link is another path of the same content (one
    document, both paths in document_files); a link to a folder is not followed, and said."""
    from vanban.corpus import Store
    from vanban.corpus.batch import find_inputs
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "b.txt").write_text(PLAN, encoding="utf-8")
    for name in ("a-link.txt", "z-link.txt"):  # sorted before and after the file
        (inbox / name).symlink_to("b.txt")
    os.link(inbox / "b.txt", inbox / "hard.txt")
    elsewhere = tmp_path / "year2024"
    elsewhere.mkdir()
    (elsewhere / "c.txt").write_text(PLAN + "Bản hai.\n", encoding="utf-8")
    (inbox / "2024").symlink_to(elsewhere)
    files = find_inputs([inbox, inbox / "z-link.txt", tmp_path / "in" / ".." / "in" / "b.txt"]).files
    assert files == [inbox / "b.txt", inbox / "hard.txt"], files
    db = tmp_path / "c.db"
    result = _run(["batch", inbox, "--db", db, "--no-progress"])
    assert result.exit_code == 0, result.output
    assert f"warning: {inbox / '2024'}: a link to a folder, not followed" in result.output
    with Store(db, readonly=True) as store:
        assert len(store.document_ids()) == 1
        paths = sorted(r[0] for r in store.select("SELECT path FROM document_files"))
    assert paths == [str(inbox / "b.txt"), str(inbox / "hard.txt")], paths


# ---------------------------------------------------------------- .txt inputs of every shape
def _cp1258(text: str) -> bytes:
    from tests.test_reliability import to_cp1258
    return to_cp1258(text)


def test_a_utf8_text_with_lines_in_windows_1258_is_read_line_by_line(tmp_path):
    """A UTF-8 text with a few lines pasted from a Windows-1258 file was decoded as 8-bit text
    as a whole: every UTF-8 letter became two garbage characters and the document was
    refused ("no Vietnamese administrative content found", exit 5). Each line is now read
    in its own encoding. A file of one encoding reads as before."""
    from vanban.pipeline import decode_text
    extra = "Mục tiêu phát triển thư viện\n"
    data = PLAN.encode("utf-8") + _cp1258(extra) + "Thêm dòng nữa\n".encode("utf-8")
    assert decode_text(data) == PLAN + extra + "Thêm dòng nữa\n"
    assert decode_text(_cp1258(PLAN + extra)) == PLAN + extra
    assert decode_text((PLAN + extra).encode("utf-8")) == PLAN + extra
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    result = _run(["extract", path])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["document"]["title"] == "Phát triển thư viện tỉnh Hà Giang"


@pytest.mark.parametrize("newline", ["\r", "\u2028", "\x85"])
def test_a_text_with_old_mac_or_unicode_line_breaks_keeps_its_lines(tmp_path, newline):
    """A .txt with CR alone between lines (old Mac, some scanner software) or Unicode line
    separators was read as one long line: no kind, no title, nothing found. `restore` keeps
    the line ends as they were (it writes the input's lines back byte for byte)."""
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.replace("\n", newline).encode("utf-8"))
    result = _run(["extract", path])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["document"]["type"] == "Kế hoạch", record["document"]
    assert record["document"]["title"] == "Phát triển thư viện tỉnh Hà Giang"
    restored = _run(["restore", path, "--mode", "ocr"])
    assert restored.exit_code == 0 and restored.stdout.count(newline) == 3


def test_a_tcvn3_text_whose_letters_include_byte_0x85_keeps_its_lines(tmp_path):
    """A TCVN3 .txt is read as latin-1 so normalize can map its bytes; byte 0x85 is TCVN3
    "Ặ", read as U+0085, which the line-break rule above took for NEL: the title
    "Phát triển vùng ĐẶC THÙ ..." became "Phát triển vùng Đ" (and Python's str.split takes
    U+0085 for white space too). In an 8-bit file it is a letter, not a line break (CR,
    CRLF and the vertical tab still are)."""
    from vanban.normalize.encodings import unicode_to_tcvn3
    title = "Phát triển vùng ĐẶC THÙ tỉnh Hà Giang"
    text = (PLAN.replace("Phát triển thư viện tỉnh Hà Giang", title)
            + "I. Mục đích, yêu cầu\n1. Mục đích\nPhát triển thư viện tỉnh, nâng cao văn hóa "
              "đọc của nhân dân.\n2. Yêu cầu\nCác sở, ban, ngành triển khai thực hiện.\n")
    data = unicode_to_tcvn3(text).encode("latin-1")
    assert b"\x85" in data
    for newline in (b"\n", b"\r", b"\r\n"):
        path = tmp_path / "tcvn3.txt"
        path.write_bytes(data.replace(b"\n", newline))
        result = _run(["run", path])
        assert result.exit_code == 0, result.output
        record = json.loads(result.stdout)
        assert record["document"]["type"] == "Kế hoạch", record["document"]
        assert record["document"]["title"] == title, (newline, record["document"])


# ---------------------------------------------------- a full disk under standard output
def _store_of_plans(tmp_path: Path, n: int = 3) -> Path:
    inbox = tmp_path / "plans"
    inbox.mkdir()
    for i in range(n):
        (inbox / f"p{i}.txt").write_text(PLAN + f"Bản {i}. " + "Phát triển thư viện. " * 200
                                         + "\n", encoding="utf-8")
    db = tmp_path / "c.db"
    assert _run(["batch", inbox, "--db", db, "--no-progress"]).exit_code == 0
    return db


def _limited(limit_bytes: int):
    import resource

    def set_limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))
    return set_limit


@pytest.mark.parametrize("args", [["export"], ["export", "--format", "csv", "--raw-cells"],
                                  ["search", "thu", "vien", "--format", "json"]])
def test_stdout_into_a_file_that_cannot_grow_is_exit_7_not_a_truncated_file(tmp_path, args):
    """`vanban export --db c.db > out.jsonl` on a disk that filled up (here: the file size
    limit, `ulimit -f`) ended with exit 0 and a truncated out.jsonl: Python's stdout takes a
    write that stops short for done and drops the rest. Now the rest is tried and the error
    said: exit 7, one line. (With -o it was already exit 7.) A search whose temporary files
    cannot be written said "bad search query": it now blames the disk, not the query."""
    import subprocess
    import sys
    db = _store_of_plans(tmp_path)
    out = tmp_path / "out"
    with open(out, "wb") as f:
        run = subprocess.run([sys.executable, "-m", "vanban.cli", *args[:1], "--db", str(db),
                              *args[1:]], stdout=f, stderr=subprocess.PIPE, text=True,
                             preexec_fn=_limited(1024), timeout=120)
    # exactly 7 for each: the search's rows are sorted in memory, so it is standard output
    # that meets the limit (a search whose own temporary files fail is exit 6: the test
    # test_a_search_the_disk_fails_blames_the_disk_not_the_query below)
    assert run.returncode == 7, (run.returncode, run.stderr)
    line = _one_error_line(run.stderr)
    assert line == "vanban: error: standard output: cannot write: File too large", line
    assert "bad search query" not in line
    full = subprocess.run([sys.executable, "-m", "vanban.cli", *args[:1], "--db", str(db),
                           *args[1:]], capture_output=True, timeout=120)
    assert full.returncode == 0 and len(full.stdout) > 1024 >= out.stat().st_size


# ------------------------------------------------ --skip-failed and a bad scan replaced
def test_skip_failed_processes_an_input_whose_content_changed_since_it_failed(tmp_path):
    """`batch --skip-failed` skipped every path in the errors table: an archivist who
    replaced a corrupt scan by a good one under the same name (the nightly batch runs with
    --skip-failed) never had it stored: a document lost without a word. Now only an input
    that still holds what failed (the same content hash; or, unread then, still unreadable)
    is skipped."""
    from vanban.corpus import Store
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "scan.txt").write_bytes(b"\x00\x01" * 500)      # the corrupt one
    (inbox / "junk.txt").write_bytes(b"\x00\x02" * 500)      # stays corrupt
    (inbox / "empty.txt").write_bytes(b"")                   # failed unread (no hash)
    (inbox / "blank.txt").write_bytes(b"")                   # stays empty
    db = tmp_path / "c.db"
    assert _run(["batch", inbox, "--db", db, "--no-progress"]).exit_code == 3
    (inbox / "scan.txt").write_text(PLAN, encoding="utf-8")  # the good re-scan, same name
    (inbox / "empty.txt").write_text(PLAN + "Bản hai.\n", encoding="utf-8")
    again = _run(["batch", inbox, "--db", db, "--no-progress", "--skip-failed"])
    assert again.exit_code == 0, again.output
    assert "2 stored" in again.output and again.output.count("skipped (failed before)") == 2
    with Store(db, readonly=True) as store:
        assert len(store.document_ids()) == 2
        assert sorted(e["path"] for e in store.errors()) == [str(inbox / "blank.txt"),
                                                              str(inbox / "junk.txt")]


# --------------------------------------- stray control characters in a text input
def test_stray_control_characters_of_a_text_reach_neither_the_store_nor_a_terminal(tmp_path):
    """A long .txt with a stray NUL (a bad copy) and a terminal escape sequence (below the
    1% share that makes it binary junk) kept them: the title was 'Phát triển thư\\x00
    viện', in the store, the CSV and the JSON, and `vanban query`/`search` sent the raw
    ESC sequence to the analyst's terminal, where it acts (colours, title, worse). The text
    is now read without them; a table escapes any control character a store still holds."""
    from vanban.corpus import Store
    text = (PLAN.replace("thư viện tỉnh", "thư\x00 viện tỉnh") + "I. MỤC TIÊU\n"
            "Phát triển hệ\x1b]0;owned\x07 thống thư viện.\n" + "Nội dung thêm. " * 100 + "\n")
    path = tmp_path / "in" / "plan.txt"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "c.db"
    assert _run(["batch", path.parent, "--db", db, "--no-progress"]).exit_code == 0
    with Store(db, readonly=True) as store:
        [doc] = store.query("document")
        assert doc["title"] == "Phát triển thư viện tỉnh Hà Giang"
        stored = store.select("SELECT text FROM texts")[0][0]
    assert not re.search(r"[\x00\x1b\x07]", stored)
    # a store written before (or a PDF's text layer) may hold them: the table escapes them
    with Store(db) as store:
        store.conn.execute("UPDATE documents SET title = ?", ("A\x1b[2Jb\x00c",))
    for args in (["query", "--db", db], ["search", "--db", db, "thu", "vien"]):
        shown = _run(args)
        assert shown.exit_code == 0, shown.output
        assert not re.search(r"[\x00\x1b\x07]", shown.stdout), repr(shown.stdout)
    assert "A\\x1b[2Jb\\x00c" in _run(["query", "--db", db]).stdout


def test_separator_control_characters_of_a_text_part_words_not_join_them():
    """The stray control characters were deleted, the separators U+001C-U+001F too: two
    words or fields they stood between ran into one ("Số:\x1f123" -> "Số:123" is harmless,
    "KH\x1cUBND" -> "KHUBND" is not). A separator becomes a space; U+001E, Word's
    non-breaking hyphen in its plain-text export, becomes "-" ("123/KH-UBND")."""
    from vanban.pipeline import decode_text
    data = (PLAN + "Nội dung thêm. " * 50 + "\nSố: 123/KH\x1eUBND\n"
            "Sở\x1cTài\x1dchính\x1fvà\x00 Sở Nội vụ\n").encode("utf-8")
    assert decode_text(data).endswith("Số: 123/KH-UBND\nSở Tài chính và Sở Nội vụ\n")


def test_output_of_a_command_that_exits_early_is_still_checked(tmp_path):
    """`vanban ocr good.pdf missing.png > /dev/full` exits 3 for the missing input; the text
    of the good one, written out only as the process ended, failed unseen. Now its failure
    is said too: exit 7, since the output is lost."""
    import subprocess
    import sys

    from tests.test_pdf import _born_digital
    born = tmp_path / "born.pdf"
    _born_digital(born)
    with open(os.devnull, "w") as sink:
        ok = subprocess.run([sys.executable, "-m", "vanban.cli", "ocr", str(born),
                             str(tmp_path / "missing.png")], stdout=sink,
                            stderr=subprocess.PIPE, text=True, timeout=120)
    assert ok.returncode == 3, ok.stderr
    with open(tmp_path / "out.txt", "wb") as f:
        full = subprocess.run([sys.executable, "-m", "vanban.cli", "ocr", str(born),
                               str(tmp_path / "missing.png")], stdout=f,
                              stderr=subprocess.PIPE, text=True, timeout=120,
                              preexec_fn=_limited(64))
    assert full.returncode == 7, full.stderr
    assert full.stderr.strip().splitlines()[-1].startswith(
        "vanban: error: standard output: cannot write: File too large"), full.stderr
    assert "Traceback" not in full.stderr


def test_a_search_the_disk_fails_blames_the_disk_not_the_query(tmp_path):
    """SQLite failing under a search for want of room for its temporary files ('disk I/O
    error', a full /tmp) was reported as "bad search query '\"thu vien\"'": the analyst
    rewrote a good query. Now it names the database and the disk; a query SQLite cannot
    parse is still a bad query."""
    import sqlite3

    from vanban.corpus import Store
    from vanban.errors import StoreError
    db = _store_of_plans(tmp_path, n=1)

    class Failing:
        def __init__(self, conn, message):
            self._conn, self._message = conn, message

        def execute(self, sql, *args):
            if "MATCH" in sql:
                raise sqlite3.OperationalError(self._message)
            return self._conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._conn, name)
    with Store(db, readonly=True) as store:
        real = store.conn
        store.conn = Failing(real, "disk I/O error")
        with pytest.raises(StoreError) as err:
            store.search("thu vien")
        assert "bad search query" not in str(err.value)
        assert str(err.value) == f"{db}: cannot search the corpus database: disk I/O error"
        store.conn = Failing(real, 'fts5: syntax error near "("')
        with pytest.raises(StoreError, match="bad search query"):
            store.search("thu vien")
        store.conn = real


def test_the_file_opened_for_pikepdf_is_closed_on_leaving_its_context(tmp_path):
    """`pikepdf_input` returns an open file for a name that is not UTF-8, closed only when
    the garbage collector drops it; `pikepdf_source` closes it on leaving the block, and
    the PDF read through it is whole."""
    import pikepdf
    from vanban.errors import pikepdf_source
    odd = _image_pdf(_odd_name(tmp_path, b"\xff-scan.pdf"))
    with pikepdf_source(odd) as src, pikepdf.open(src) as pdf:
        assert len(pdf.pages) == 1
    assert src.closed
    plain = _image_pdf(tmp_path / "plain.pdf")
    with pikepdf_source(plain) as src:
        assert src == plain  # a UTF-8 name is given as it is: nothing to close


_EARLY_EXIT_PROBE = """
import sys
import click
from vanban.cli import main

@main.command("probe")
@click.argument("how")
def probe(how):
    sys.stdout.write("x" * 100)  # still in stdout's buffer when the command ends
    if how == "interrupt":
        raise KeyboardInterrupt
    sys.exit(int(how))

main()
"""


@pytest.mark.parametrize("how,code", [("3", 3), ("0", 0), ("interrupt", 130)])
def test_a_reader_gone_does_not_hide_an_exit_already_on_its_way(how, code):
    """The output of a command that ended early (an input failed: 3; Ctrl-C: 130) is
    written on the way out; a reader already gone (`vanban ocr a.pdf missing.png | true`)
    turned that exit into 0: a failed run read as a success by a script. The exit given
    stays; a command that ended well still ends with 0 quietly."""
    import subprocess
    import sys
    proc = subprocess.Popen([sys.executable, "-c", _EARLY_EXIT_PROBE, "probe", how],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before anything is written
    assert proc.wait(timeout=120) == code
    err = proc.stderr.read().decode()
    assert "Traceback" not in err and ("interrupted" in err) == (code == 130), err
