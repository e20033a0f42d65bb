"""Batch processing end to end: the real pipeline, real processes, real SQLite, real Dask.

Inputs are small plan texts (tests/fixtures/corpus) and bad files made at test time.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vanban.corpus import BatchSummary, Store, discover, process_file, run_batch
from vanban.corpus.batch import DocumentFailure, DocumentResult
from vanban.corpus.batch import Progress

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"
PLAN_TEXTS = sorted(FIXTURES.glob("*.txt"))


def copy_plans(dest: Path, variants: int = 1, limit: int | None = None) -> list[Path]:
    """The fixture plans under ``dest``; with variants > 1 each plan is written several times
    with a distinct last line, so each copy is a different document (content hash)."""
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for plan in PLAN_TEXTS[:limit]:
        text = plan.read_text(encoding="utf-8")
        for v in range(variants):
            target = dest / (f"{plan.stem}-{v}.txt" if variants > 1 else plan.name)
            target.write_text(text if v == 0 else f"{text}\nBản sao số {v}.\n", encoding="utf-8")
            out.append(target)
    return out


def make_bad_files(dest: Path) -> dict[str, Path]:
    """A corrupt PDF, an encrypted PDF, an empty file, binary junk named .png and .txt."""
    import pikepdf
    dest.mkdir(parents=True, exist_ok=True)
    files = {name: dest / name for name in
             ("corrupt.pdf", "encrypted.pdf", "empty.pdf", "junk.png", "junk.txt")}
    files["corrupt.pdf"].write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n"
                                     b"endobj\nxref\n0 3\ntrailer\n<<>>\n%%EO")
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.save(files["encrypted.pdf"],
             encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret", R=6))
    files["empty.pdf"].write_bytes(b"")
    junk = bytes((i * 131 + 7) % 256 for i in range(4096))
    files["junk.png"].write_bytes(junk)
    files["junk.txt"].write_bytes(b"\x00\x01\x02" + junk)
    return files


def corpus_content(db: Path) -> dict:
    """Everything a batch stored, minus what differs between two runs by nature
    (timestamps, timings, attempt counts), in a canonical order."""
    volatile = {"added_at", "processing_seconds", "failed_at", "attempts", "detail"}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    out = {}
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_index_%' "
        "AND name NOT LIKE 'sqlite_%'")]
    for table in sorted(tables):
        rows = []
        for row in conn.execute(f'SELECT * FROM "{table}"'):
            d = {k: row[k] for k in row.keys() if k not in volatile}
            if table == "records":
                d["record_json"] = _strip_timings(json.loads(d["record_json"]))
            rows.append(json.dumps(d, sort_keys=True, ensure_ascii=False))
        out[table] = sorted(rows)
    conn.close()
    return out


def _strip_timings(obj):
    if isinstance(obj, dict):
        return {k: _strip_timings(v) for k, v in obj.items()
                if not any(w in k.lower() for w in ("timing", "seconds", "elapsed", "created"))}
    if isinstance(obj, list):
        return [_strip_timings(v) for v in obj]
    return obj


def assert_whole_documents(db: Path) -> None:
    """No half-stored document: every documents row has its record and text, and back."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    docs = {r[0] for r in conn.execute("SELECT id FROM documents")}
    assert docs == {r[0] for r in conn.execute("SELECT document_id FROM records")}
    assert docs == {r[0] for r in conn.execute("SELECT document_id FROM texts")}
    for table in ("sections", "objectives", "tasks", "search_index"):
        assert {r[0] for r in conn.execute(f"SELECT DISTINCT document_id FROM {table}")} <= docs
    conn.close()


# ------------------------------------------------------------------------------ discovery
def test_discover_walks_folders_and_keeps_named_files(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for name in ("a/x.PDF", "a/b/y.tiff", "a/b/z.txt", "a/notes.md", ".hidden/h.pdf",
                 "a/.dot.png", "odd.dat"):
        (tmp_path / name).write_bytes(b"x")
    found = discover([tmp_path / "a", tmp_path / "odd.dat", tmp_path / "a" / "b"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/b/y.tiff", "a/b/z.txt", "a/x.PDF", "odd.dat"]
    # a missing path is kept: the batch records it as an error row (issue 9, defect 6)
    assert discover([tmp_path / "missing"]) == [tmp_path / "missing"]


# ------------------------------------------------------------------------- worker function
def test_process_file_returns_typed_plain_data(tmp_path):
    [plan] = copy_plans(tmp_path / "in", limit=1)
    result = process_file(str(plan))
    assert isinstance(result, DocumentResult) and result.ok, result
    as_dict = result.to_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict  # plain data: travels to Dask workers
    assert pickle.loads(pickle.dumps(result)) == result
    assert result.record["document"]["number"]
    assert result.pages >= 1 and result.text and result.seconds > 0
    assert result.record["provenance"]["source"] == str(plan)
    # shipped bytes (a worker that cannot see the path) give the same record, original path
    shipped = process_file("/elsewhere/" + plan.name, content=plan.read_bytes())
    assert shipped.ok and shipped.path == "/elsewhere/" + plan.name
    assert str(tmp_path) not in json.dumps(shipped.record)
    assert shipped.record["provenance"]["source"] == "/elsewhere/" + plan.name
    assert shipped.sha256 == result.sha256
    assert shipped.record["id"] == result.record["id"]
    bad = process_file(str(tmp_path / "missing.txt"))
    assert isinstance(bad, DocumentFailure) and not bad.ok
    assert (bad.error_type, bad.exit_code) == ("InputFileError", 3) and bad.reason
    assert set(bad.to_dict()) == {"path", "sha256", "error_type", "reason", "exit_code"}
    # an error about the shipped copy names the input, not the temporary file
    broken = process_file("/elsewhere/broken.pdf", content=b"%PDF-1.4 cut short")
    assert not broken.ok and (broken.error_type, broken.exit_code) == ("InputFileError", 3)
    assert "/elsewhere/broken.pdf" in broken.reason and "vanban-" not in broken.reason


# ---------------------------------------------------------------------------------- batch
def test_batch_stores_once_skips_on_rerun_and_searches(tmp_path):
    inputs = tmp_path / "in"
    plans = copy_plans(inputs)
    (inputs / "nested").mkdir()
    (inputs / "nested" / "same-content.txt").write_bytes(plans[0].read_bytes())
    db = tmp_path / "corpus.db"
    lines: list[str] = []
    summary = run_batch([inputs], db, jobs=2, progress=False, log=lines.append)
    assert summary.exit_code == 0, summary.failures
    assert (summary.found, summary.stored, summary.duplicates, summary.failed) == \
        (len(plans) + 1, len(plans), 1, 0)
    assert len(lines) == len(plans) + 1 and all(line.startswith("[") for line in lines)
    with Store(db) as store:
        assert store.stats()["documents"] == len(plans)
        files = store.conn.execute("SELECT count(*) FROM document_files").fetchone()[0]
        assert files == len(plans) + 1  # the duplicate path is remembered, not stored again
        # the plan written for these tests is about libraries; its legacy dump lost every mark
        hits = store.search("thu vien")
        assert hits and any("thư viện" in h["text"].lower() for h in hits)
        numbers = {d["number"] for d in store.query()}
        assert "215/KH-UBND" in numbers
    before = corpus_content(db)
    again = run_batch([inputs], db, jobs=2, progress=False, log=lines.append)
    assert (again.stored, again.skipped, again.failed, again.exit_code) == (0, len(plans) + 1, 0, 0)
    assert corpus_content(db) == before
    # --reprocess runs everything again and replaces the records in place
    redone = run_batch([inputs], db, jobs=1, progress=False, log=lambda line: None,
                       reprocess=True)
    assert (redone.stored, redone.duplicates, redone.exit_code) == (len(plans), 1, 0)
    assert corpus_content(db) == before


def test_batch_records_bad_files_and_goes_on(tmp_path):
    inputs = tmp_path / "in"
    plans = copy_plans(inputs, limit=1)
    bad = make_bad_files(inputs / "bad")
    bad["copy-of-corrupt.pdf"] = inputs / "bad" / "copy-of-corrupt.pdf"
    bad["copy-of-corrupt.pdf"].write_bytes(bad["corrupt.pdf"].read_bytes())
    db = tmp_path / "corpus.db"
    summary = run_batch([inputs], db, jobs=2, progress=False, log=lambda line: None)
    assert summary.stored == len(plans) and summary.duplicates == 0
    assert summary.failed == len(bad) and summary.exit_code == 3
    with Store(db) as store:
        errors = {Path(e["path"]).name: e for e in store.errors()}
        assert set(errors) == set(bad)
        for name, err in errors.items():
            assert err["reason"] and err["exit_code"] == 3, (name, err)
        assert errors["empty.pdf"]["reason"] == "empty file (0 bytes)"
        assert {name: err["error_type"] for name, err in errors.items()} == {
            "corrupt.pdf": "InputFileError", "copy-of-corrupt.pdf": "InputFileError",
            "encrypted.pdf": "EncryptedPdfError", "empty.pdf": "InputFileError",
            "junk.png": "UnsupportedInputError", "junk.txt": "UnsupportedInputError"}
        assert errors["encrypted.pdf"]["reason"].startswith("encrypted PDF (needs a password)")
        assert errors["junk.txt"]["reason"] == "binary data, not text"
        # the later of two identical inputs (in path order) fails as a copy of the first
        assert errors["corrupt.pdf"]["reason"] == (errors["copy-of-corrupt.pdf"]["reason"] +
                                                   f" (same content as {bad['copy-of-corrupt.pdf']})")
        assert store.stats()["documents"] == len(plans)
    # skip_failed leaves them alone; the default retries them (and they fail again)
    summary = run_batch([inputs], db, jobs=1, progress=False, log=lambda line: None,
                        retry_failed=False)
    assert (summary.failed, summary.skipped) == (0, len(plans) + len(bad))
    with Store(db) as store:
        assert {e["attempts"] for e in store.errors()} == {1}


def test_cli_batch_search_query_export(tmp_path):
    inputs = tmp_path / "in"
    copy_plans(inputs)
    (inputs / "empty.txt").write_bytes(b"")
    db = tmp_path / "corpus.db"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "vanban.cli", "batch", str(inputs), "--db",
                           str(db), "--jobs", "1", "--summary-json", str(tmp_path / "s.json")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 3, proc.stderr
    assert "1 failed" in proc.stderr and "empty file (0 bytes)" in proc.stderr
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["stored"] == len(PLAN_TEXTS) and summary["exit_code"] == 3

    def vanban(*args: str) -> str:
        run = subprocess.run([sys.executable, "-m", "vanban.cli", *args], capture_output=True,
                             text=True, env=env, timeout=120)
        assert run.returncode == 0, run.stderr
        return run.stdout

    hits = json.loads(vanban("search", "thu vien", "--db", str(db), "--format", "json"))
    assert any("[thư viện]" in h["snippet"].lower() for h in hits)
    table = vanban("search", "thu vien", "--db", str(db), "-n", "3")
    assert "hits for 'thu vien'" in table
    docs = json.loads(vanban("query", "--db", str(db), "--format", "json", "--cites",
                             "208/QĐ-TTg"))
    assert "215/KH-UBND" in {d["number"] for d in docs}
    errors = vanban("query", "--db", str(db), "--kind", "error", "--format", "csv")
    assert errors.splitlines()[0].startswith("path,sha256,error_type,reason")
    assert "empty.txt" in errors
    records = vanban("export", "--db", str(db)).splitlines()
    assert len(records) == len(PLAN_TEXTS)
    assert all(json.loads(r)["document"] for r in records)
    vanban("export", "--db", str(db), "--format", "csv", "--kind", "task", "-o",
           str(tmp_path / "tasks.csv"))
    assert (tmp_path / "tasks.csv").read_text(encoding="utf-8").startswith(
        "document_id,document_number,province,document_year,seq,path,title,lead,partners")


def wait_until_stored(db, proc, count: int, timeout: float = 240) -> int:
    """Poll the store a running batch (``proc``) writes until it holds ``count`` documents (or
    the batch ends, or ``timeout`` s pass); the number it last held."""
    deadline = time.monotonic() + timeout
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None and stored < count:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            stored = 0
        if stored < count:
            time.sleep(0.02)
    return stored


def start_batch_stored(inputs, db, *, jobs: int, stored: int,
                       stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """`vanban batch INPUTS --db DB` started in its own process group (so that a test can stop
    it as a terminal or `kill` would), returned once it has stored ``stored`` documents."""
    from tests.support.signals import ctrl_c_raises
    with ctrl_c_raises():  # SIGINT not ignored in the batch, however pytest was started
        proc = subprocess.Popen([sys.executable, "-m", "vanban.cli", "batch", str(inputs), "--db",
                                 str(db), "--jobs", str(jobs), "--no-progress"],
                                stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
    held = wait_until_stored(db, proc, stored)
    if held < stored:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError(f"the batch stored {held} documents, not {stored}, before it ended "
                             "or the wait ran out: it could not be stopped mid-run")
    return proc


def test_killed_batch_resumes_to_the_same_content(tmp_path):
    """SIGKILL a batch mid-run, run it again: same content as a run never interrupted."""
    inputs = tmp_path / "in"
    plans = copy_plans(inputs, variants=4)
    reference_db = tmp_path / "reference.db"
    summary = run_batch([inputs], reference_db, jobs=1, progress=False, log=lambda line: None)
    assert summary.stored == len(plans) and summary.exit_code == 0

    db = tmp_path / "killed.db"
    proc = start_batch_stored(inputs, db, jobs=1, stored=2)
    try:
        assert proc.poll() is None, "the batch ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)  # the batch process only, as `kill -9 PID` would
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert_whole_documents(db)
    with Store(db) as store:
        kept = len(store.document_ids())
    assert 2 <= kept < len(plans)

    resumed = run_batch([inputs], db, jobs=1, progress=False, log=lambda line: None)
    assert resumed.skipped == kept and resumed.stored == len(plans) - kept
    assert resumed.exit_code == 0
    assert corpus_content(db) == corpus_content(reference_db)


@pytest.mark.slow
def test_dask_local_cluster_batch_matches_local_processes(tmp_path):
    """The --scheduler code path on a real LocalCluster (worker processes), files shipped as
    bytes, gives the same corpus as the local process pool."""
    from distributed import LocalCluster

    inputs = tmp_path / "in"
    copy_plans(inputs)
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "junk.txt").write_bytes(b"\x00\xff" * 100)
    local_db, dask_db = tmp_path / "local.db", tmp_path / "dask.db"
    local = run_batch([inputs], local_db, jobs=2, progress=False, log=lambda line: None)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=40) as cluster:
        remote = run_batch([inputs], dask_db, scheduler=cluster.scheduler_address,
                           progress=False, log=lambda line: None)
    assert (remote.stored, remote.failed, remote.exit_code) == (len(PLAN_TEXTS), 2, 3)
    assert (local.stored, local.failed) == (remote.stored, remote.failed)
    assert corpus_content(dask_db) == corpus_content(local_db)


def _crash_on_poison(path, options=None, content=None, sha256=None):
    """A worker function that dies like a segfaulting OCR library on one input."""
    if Path(path).name.startswith("poison"):
        os.kill(os.getpid(), signal.SIGKILL)
    return process_file(path, options, content, sha256)


def test_a_worker_crash_is_pinned_on_its_document(tmp_path, monkeypatch):
    """A document that kills its worker process breaks the pool; the batch retries the
    documents that were in flight one at a time, records the culprit, stores the rest."""
    import vanban.corpus.batch as batch_module
    inputs = tmp_path / "in"
    plans = copy_plans(inputs)
    (inputs / "poison.txt").write_text("Nội dung bất kỳ\n", encoding="utf-8")
    # the pool forks after this, so its workers run the crashing function
    monkeypatch.setattr(batch_module, "process_file", _crash_on_poison)
    db = tmp_path / "corpus.db"
    summary = run_batch([inputs], db, jobs=2, progress=False, log=lambda line: None)
    assert summary.stored == len(plans) and summary.failed == 1
    [failure] = summary.failures
    assert Path(failure.path).name == "poison.txt"
    assert failure.error_type == "WorkerCrash" and summary.exit_code == 3
    assert_whole_documents(db)


def test_progress_bar_and_log_lines():
    import io
    stream = io.StringIO()
    bar = Progress(3, stream=stream, bar=True)
    bar.update("stored", "a.pdf", pages=4, seconds=1.0)
    bar.update("failed", "b.pdf", reason="InputFileError: empty file (0 bytes)")
    bar.update("skipped", "c.pdf")
    bar.close()
    out = stream.getvalue()
    assert "3/3" in out and "doc" in out and "4 pages" in out and "1 failed" in out
    assert "failed: b.pdf: InputFileError: empty file (0 bytes)" in out
    lines: list[str] = []
    plain = Progress(2, bar=False, log=lines.append)
    plain.update("stored", "a.pdf", pages=4, seconds=1.25)
    plain.update("failed", "b.pdf", reason="EncryptedPdfError: encrypted PDF")
    assert lines == ["[1/2] stored a.pdf (4 pages, 1.2 s)",
                     "[2/2] failed b.pdf: EncryptedPdfError: encrypted PDF"]


def test_summary_exit_codes():
    assert BatchSummary().exit_code == 0
    def failure(code: int) -> DocumentFailure:
        return DocumentFailure("x.pdf", None, "InputFileError", "corrupt", code)

    assert BatchSummary(failures=[failure(3), failure(1)]).exit_code == 3
    assert BatchSummary(failures=[failure(3), failure(4)]).exit_code == 4
    summary = BatchSummary(found=2, stored=1, failed=1, failures=[failure(3)])
    text = summary.text()
    assert "1 stored" in text and "failed: x.pdf: InputFileError: corrupt" in text
    assert summary.to_dict()["failures"] == [{"path": "x.pdf", "sha256": None,
                                              "error_type": "InputFileError",
                                              "reason": "corrupt", "exit_code": 3}]


def test_batch_ocrs_an_image_scan(tmp_path):
    """An image input goes through real Tesseract in a worker; its text is searchable."""
    from tests.support.synth import render_lines
    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = (FIXTURES / "kh-thu-vien-ha-giang.txt").read_text(encoding="utf-8").splitlines()
    page = render_lines([lines[1], lines[2], lines[3]], width_px=2000, font_pt=12)
    page.save(inputs / "scan.png", dpi=(300, 300))
    db = tmp_path / "corpus.db"
    summary = run_batch([inputs], db, jobs=1, progress=False, log=lambda line: None)
    assert (summary.stored, summary.failed, summary.pages) == (1, 0, 1), summary.failures
    with Store(db) as store:
        [doc] = store.query()
        assert doc["text_source"] == "ocr" and doc["pages"] == 1
        hits = store.search("he thong thu vien")
        assert hits and Path(store.query()[0]["source"]).name == "scan.png"


def test_a_failed_model_preload_is_said_and_the_batch_goes_on(tmp_path, monkeypatch):
    import vanban.corpus.batch as batch_module

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    # only the parent's preloading uses this name; the workers run the real pipeline
    monkeypatch.setattr(batch_module, "preload", broken)
    inputs = tmp_path / "in"
    plans = copy_plans(inputs, limit=1)
    lines: list[str] = []
    summary = run_batch([inputs], tmp_path / "corpus.db", jobs=1, progress=False,
                        log=lines.append)
    assert lines[0] == ("warning: model preloading failed (RuntimeError: boom); "
                        "workers load the models themselves")
    assert (summary.stored, summary.failed, summary.exit_code) == (len(plans), 0, 0)


def test_a_missing_program_at_preload_is_left_to_the_inputs_that_need_it(tmp_path, monkeypatch):
    """Tesseract missing: a batch of text inputs (which need no OCR) says nothing about it."""
    import vanban.corpus.batch as batch_module
    from vanban.errors import MissingDependencyError

    def no_tesseract(*args, **kwargs):
        raise MissingDependencyError("tesseract is not installed")

    monkeypatch.setattr(batch_module, "preload", no_tesseract)
    plans = copy_plans(tmp_path / "in", limit=1)
    lines: list[str] = []
    summary = run_batch([tmp_path / "in"], tmp_path / "corpus.db", jobs=1, progress=False,
                        log=lines.append)
    assert not any("preloading" in line for line in lines), lines
    assert (summary.stored, summary.failed, summary.exit_code) == (len(plans), 0, 0)
