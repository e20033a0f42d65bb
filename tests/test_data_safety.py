"""Outputs never destroy an input, and a batch never loses one of its outputs (audit of
2026-11-30: each test is a defect found by trying the CLI as a hostile user would)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.synth import render_lines, save_pdf
from vanban.cli import main

PLAN = "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG\nKẾ HOẠCH\nPhát triển thư viện tỉnh Hà Giang\n"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _page(path: Path, title: str) -> None:
    """A small one-page scan (PNG, or PDF by suffix) that OCRs in about a second."""
    img = render_lines(["ỦY BAN NHÂN DÂN TỈNH HÀ GIANG", "KẾ HOẠCH", title], width_px=1400)
    if path.suffix == ".pdf":
        save_pdf([img], path)
    else:
        img.save(path)


def test_an_output_inside_an_input_folder_is_not_written_over(tmp_path):
    """`vanban batch in/ --summary-json in/a.txt` replaced the input in/a.txt with the
    summary (only inputs named as such were compared, not the files of an input folder)."""
    folder = tmp_path / "in"
    folder.mkdir()
    text = folder / "a.txt"
    text.write_text(PLAN, encoding="utf-8")
    before = _digest(text)
    for args in (["batch", folder, "--db", tmp_path / "c.db", "--summary-json", text],
                 ["ocr", folder, "-o", text]):
        result = _run(args)
        assert result.exit_code == 2, (args, result.output)
        assert "inside the input folder" in result.output and "Traceback" not in result.output
    assert _digest(text) == before and not (tmp_path / "c.db").exists()
    # a new file in the input folder overwrites nothing: allowed
    result = _run(["batch", folder, "--db", tmp_path / "c.db", "--no-progress",
                   "--summary-json", folder / "summary.json"])
    assert result.exit_code == 0, result.output
    assert _digest(text) == before


def test_pdf_dir_inside_an_input_folder_is_refused(tmp_path):
    """`vanban batch in/ --pdf-dir in/pdf` stored, on each re-run, the PDFs the previous run
    had written as new documents (a new sha256 each time: the corpus grew by duplicates)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(PLAN, encoding="utf-8")
    for pdf_dir in (folder, folder / "pdf"):
        result = _run(["batch", folder, "--db", tmp_path / "c.db", "--pdf-dir", pdf_dir])
        assert result.exit_code == 2, result.output
        assert "--pdf-dir is inside the input folder" in result.output
    assert not (tmp_path / "c.db").exists() and not (folder / "pdf").exists()


def test_pdf_of_an_image_never_replaces_an_input_pdf_of_the_same_name(tmp_path):
    """`vanban pdf x/a.png y/a.pdf -o y/` wrote x/a.png's PDF over the input y/a.pdf before
    reading it (the output was compared only with its own input)."""
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    image, pdf = tmp_path / "x" / "a.png", tmp_path / "y" / "a.pdf"
    _page(image, "Phát triển thư viện")
    _page(pdf, "Chuyển đổi số")
    before = _digest(pdf)
    result = _run(["pdf", image, pdf, "-o", tmp_path / "y"])
    assert result.exit_code == 2, result.output
    assert "would overwrite an input" in result.output and "Traceback" not in result.output
    assert _digest(pdf) == before
    assert sorted(p.name for p in (tmp_path / "y").iterdir()) == ["a.pdf"]  # no work done


def test_batch_pdf_dir_keeps_both_pdfs_of_inputs_with_one_name(tmp_path):
    """Two inputs named a.png in different folders, run at once by two workers: both saw
    `out/a.pdf` free, both wrote it, and one searchable PDF was lost (its record said it was
    written). The name is now claimed with O_EXCL."""
    from vanban.corpus import Store, run_batch
    for folder, title in (("x", "Phát triển thư viện"), ("y", "Chuyển đổi số")):
        (tmp_path / folder).mkdir()
        _page(tmp_path / folder / "a.png", title)
    out = tmp_path / "pdf"
    summary = run_batch([tmp_path / "x", tmp_path / "y"], tmp_path / "c.db", jobs=2,
                        options={"pdf_dir": str(out)}, progress=False)
    assert summary.stored == 2, summary.text()
    pdfs = sorted(out.iterdir())
    assert len(pdfs) == 2, pdfs
    assert {p.name for p in pdfs} >= {"a.pdf"} and any(p.name.startswith("a-") for p in pdfs)
    assert all(p.stat().st_size > 1000 for p in pdfs)
    assert _digest(pdfs[0]) != _digest(pdfs[1])
    with Store(tmp_path / "c.db", readonly=True) as store:
        for doc in store.query("document"):
            record = store.record(doc["document_id"])
            assert not any(w.startswith("pdf: not written") for w in record["warnings"])


def test_a_symlink_loop_in_a_folder_is_an_error_row_and_the_batch_goes_on(tmp_path):
    """A folder holding a link to itself (`ln -s self.txt self.txt`) made `vanban batch`
    abort with "internal error: RuntimeError: Symlink loop" (exit 1) before storing anything."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(PLAN, encoding="utf-8")
    (folder / "self.txt").symlink_to("self.txt")
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    (folder / "sub" / "up").symlink_to("..")  # a folder loop: not followed
    result = _run(["batch", folder, "--db", tmp_path / "c.db", "--no-progress"])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert "self.txt: InputFileError: cannot read: Too many levels of symbolic links" \
        in result.output
    assert "1 stored" in result.output and "2 failed" in result.output


@pytest.mark.parametrize("how", ["sigterm", "ctrl-c"])
def test_a_stopped_batch_says_one_line_and_resumes(tmp_path, how):
    """`kill PID` (SIGTERM, as a service manager stops a job) killed the batch silently: no
    line on stderr, exit -15, the database left in WAL mode with its -wal/-shm files. On
    Ctrl-C (SIGINT to the whole job, as a terminal sends it) a busy worker could print
    "Process ForkProcess-2:" and its traceback before the batch stopped it (a race: seen by
    hand, not on every run); workers now leave SIGINT to the batch. Both end with one line,
    exit 130, the store closed; a re-run finishes the corpus without a duplicate or a lost
    document."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from tests.test_corpus_batch import assert_whole_documents, copy_plans, corpus_content
    from vanban.corpus import Store, run_batch
    inputs = tmp_path / "in"
    plans = copy_plans(inputs, variants=4)
    if how == "ctrl-c":  # a scan first: a worker is busy OCRing it when Ctrl-C comes
        import shutil
        shutil.copy(Path(__file__).parents[1] / "samples" / "ke-hoach-sample.pdf",
                    inputs / "0-scan.pdf")
        plans.append(inputs / "0-scan.pdf")
    reference_db = tmp_path / "reference.db"
    run_batch([inputs], reference_db, jobs=1, progress=False, log=lambda line: None)

    db = tmp_path / "term.db"
    proc = subprocess.Popen([sys.executable, "-m", "vanban.cli", "batch", str(inputs), "--db",
                             str(db), "--jobs", "2", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None and stored < 2:
            try:
                conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                conn.close()
            except sqlite3.Error:
                stored = 0
            time.sleep(0.02)
        assert proc.poll() is None, "the batch ended before it could be stopped"
        if how == "sigterm":
            os.kill(proc.pid, signal.SIGTERM)  # the batch process only, as `kill PID` would
        else:
            os.killpg(proc.pid, signal.SIGINT)  # every process of the job, as a terminal does
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    lines = err.decode().strip().splitlines()
    assert proc.returncode == 130, lines
    assert lines[-1] == "vanban: interrupted" and "Traceback" not in err.decode()
    assert all(line.startswith("[") for line in lines[:-1]), lines  # progress lines only
    assert not Path(f"{db}-wal").exists()  # closed: back in rollback-journal mode
    assert_whole_documents(db)
    with Store(db) as store:
        kept = len(store.document_ids())
    assert 2 <= kept <= len(plans)
    resumed = run_batch([inputs], db, jobs=1, progress=False, log=lambda line: None)
    assert resumed.skipped == kept and resumed.stored == len(plans) - kept
    assert corpus_content(db) == corpus_content(reference_db)


def test_a_text_of_a_byte_order_mark_alone_is_empty_input(tmp_path):
    """A UTF-16 file holding only its BOM (or UTF-16 spaces) passed the empty-file check on
    bytes: `vanban restore` printed nothing and exited 0 (silent empty output)."""
    cases = {"bom16.txt": b"\xff\xfe", "spaces16.txt": b"\xff\xfe \x00\n\x00",
             "bom8.txt": b"\xef\xbb\xbf"}
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        for command in ("restore", "extract", "run"):
            result = _run([command, path])
            assert result.exit_code == 3, (name, command, result.output)
            assert result.output.strip().endswith(
                "empty text (no character but a byte-order mark or white space)")
    result = CliRunner().invoke(main, ["restore", "-"], input=b"\xff\xfe")
    assert result.exit_code == 3 and "standard input: empty text" in result.output


def test_a_scheduler_that_is_not_an_address_is_a_usage_error(tmp_path):
    """`--scheduler notaurl` was an "internal error (please report it)", exit 1."""
    text = tmp_path / "a.txt"
    text.write_text(PLAN, encoding="utf-8")
    result = _run(["batch", text, "--db", tmp_path / "c.db", "--scheduler", "notaurl"])
    assert result.exit_code == 2, result.output
    assert "not a Dask scheduler address: 'notaurl'" in result.output
    assert "internal error" not in result.output


def test_pdf_to_a_full_disk_is_exit_7_one_line(tmp_path):
    """`vanban pdf scan.png -o /dev/full` said "internal error (OSError: [Errno 28] No space
    left on device); please report it", exit 1: a full disk is the documented exit 7."""
    image = tmp_path / "a.png"
    _page(image, "Phát triển thư viện")
    result = _run(["pdf", image, "-o", "/dev/full"])
    assert result.exit_code == 7, result.output
    assert result.output.strip() == "vanban: error: /dev/full: cannot write: No space left on device"


def test_a_file_that_changes_while_it_is_read_is_not_stored_under_a_stale_key(tmp_path):
    """The batch hashes a file, then a worker reads it: a file still being written (a scanner
    saving into the archive) was stored under the hash of bytes the record was not made from,
    and stored a second time by the next run. The worker now checks the hash after reading."""
    from vanban.corpus import Store, process_file, run_batch
    from vanban.model import file_sha256
    text = tmp_path / "a.txt"
    text.write_text(PLAN, encoding="utf-8")
    stale = file_sha256(text)
    text.write_text(PLAN + "Thời gian thực hiện: năm 2025.\n", encoding="utf-8")
    failure = process_file(str(text), sha256=stale)
    assert not failure.ok and failure.error_type == "InputFileError"
    assert "changed while it was read" in failure.reason and failure.exit_code == 3
    done = process_file(str(text), sha256=file_sha256(text))
    assert done.ok and done.sha256 == file_sha256(text)
    summary = run_batch([text], tmp_path / "c.db", jobs=1, progress=False)
    assert summary.stored == 1
    with Store(tmp_path / "c.db", readonly=True) as store:
        assert store.document_ids() == {file_sha256(text)}


def test_jobs_below_one_is_a_usage_error(tmp_path):
    """`--jobs -3` ran silently with one worker, `--jobs 0` with all cores."""
    text = tmp_path / "a.txt"
    text.write_text(PLAN, encoding="utf-8")
    for args in (["batch", text, "--db", tmp_path / "c.db", "--jobs", "-3"],
                 ["run", text, "-j", "0"], ["ocr", text, "--jobs", "0"],
                 ["pdf", text, "-o", tmp_path / "a.pdf", "-j", "-1"]):
        result = _run(args)
        assert result.exit_code == 2, (args, result.output)
        assert "is not in the range x>=1" in result.output
    assert not (tmp_path / "c.db").exists()
