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
    # a new input-named file in the folder would be read back as a document by the next run
    result = _run(["ocr", folder, "-o", folder / "new.txt"])
    assert result.exit_code == 2 and "read back as a new document" in result.output
    assert not (folder / "new.txt").exists()
    # the store and a summary in the input folder are not inputs: allowed, and again on the
    # next run (a resume), when both exist
    for _ in range(2):
        result = _run(["batch", folder, "--db", folder / "c.db", "--no-progress",
                       "--summary-json", folder / "summary.json"])
        assert result.exit_code == 0, result.output
    assert _digest(text) == before
    from vanban.corpus import Store
    with Store(folder / "c.db", readonly=True) as store:
        assert len(store.document_ids()) == 1


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
    written). The first name is now taken with a hard link, which fails when it exists."""
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
    import subprocess

    from tests.test_corpus_batch import (assert_whole_documents, copy_plans, corpus_content,
                                         start_batch_stored)
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
    from tests.support.signals import sigint_ignored
    with sigint_ignored():  # as in `pytest &` from a script: the batch must still get Ctrl-C
        proc = start_batch_stored(inputs, db, jobs=2, stored=2, stderr=subprocess.PIPE)
    try:
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
        assert "is not in the range 1<=x<=1024" in result.output
    assert not (tmp_path / "c.db").exists()


def test_a_searchable_pdf_has_its_name_only_once_complete(tmp_path, monkeypatch):
    """`--pdf-dir` created `<name>.pdf` empty to claim the name, then wrote the PDF: a batch
    stopped meanwhile (its workers terminated, no clean-up) left the empty `<name>.pdf` for
    good, and the re-run wrote `<name>-<sha>.pdf` beside it. The PDF is now written under a
    hidden name and linked to its name when complete; a re-run of the same input replaces
    its own `<name>-<sha>.pdf` instead of adding one more."""
    import vanban.pdfa
    from vanban.corpus import process_file
    from vanban.model import file_sha256
    image, out = tmp_path / "a.png", tmp_path / "pdf"
    _page(image, "Phát triển thư viện")
    real_make_pdf = vanban.pdfa.make_pdf
    seen_while_writing = []

    def make_pdf(source, target, *args, **kwargs):
        seen_while_writing.append(sorted(p.name for p in out.iterdir()
                                         if not p.name.startswith(".")))
        return real_make_pdf(source, target, *args, **kwargs)

    monkeypatch.setattr(vanban.pdfa, "make_pdf", make_pdf)
    from vanban.pipeline import PipelineOptions
    options = PipelineOptions(jobs=1, pdf_dir=str(out))
    sha = file_sha256(image)
    for _ in range(3):
        done = process_file(str(image), options, sha256=sha)
        assert done.ok and not any("not written" in w for w in done.record["warnings"])
    assert seen_while_writing == [[], ["a.pdf"], sorted(["a.pdf", f"a-{sha[:12]}.pdf"])]
    assert sorted(p.name for p in out.iterdir()) == sorted(["a.pdf", f"a-{sha[:12]}.pdf"])
    assert all(p.stat().st_size > 1000 for p in out.iterdir())


def test_bytes_shipped_to_a_worker_are_checked_against_the_batch_hash(tmp_path):
    """With `send_content` (Dask's default) the worker got bytes read after the batch hashed
    the file, and stored them under the stale hash; only a worker reading the path checked."""
    from vanban.corpus import process_file
    from vanban.model import file_sha256
    text = tmp_path / "a.txt"
    text.write_text(PLAN, encoding="utf-8")
    stale = file_sha256(text)
    failure = process_file(str(text), content=(PLAN + "Năm 2025.\n").encode(), sha256=stale)
    assert not failure.ok and "changed while it was read" in failure.reason
    assert failure.path == str(text)
    assert process_file(str(text), content=text.read_bytes(), sha256=stale).ok


def test_a_record_holding_its_number_as_a_number_is_stored(tmp_path):
    """`Store.add` of a record from another tool whose `document.number` is 215 (not a string)
    raised TypeError in the number key; it is stored as before the key existed."""
    from vanban.corpus import Store
    record = {"document": {"number": 215, "type": "Kế hoạch", "title": "Thư viện"},
              "references": [{"number": 7}], "tasks": [], "warnings": []}
    with Store(tmp_path / "c.db") as store:
        assert store.add(record, sha256="0" * 64) is True
        assert store.record("0" * 64)["document"]["number"] == 215


def test_the_cli_leaves_the_sigterm_handler_as_it_found_it():
    """`main()` (standalone) turns SIGTERM into an interrupt for the command's run; a program
    or test calling it kept that handler for the rest of its life."""
    import signal
    before = signal.getsignal(signal.SIGTERM)
    result = _run(["--help"])
    assert result.exit_code == 0
    assert signal.getsignal(signal.SIGTERM) is before
