"""Data safety and bad input, second audit (2026-11-30): each test is a defect found by using
the CLI as a hostile user would (or a guarantee checked that had no test), written to fail on
the code before its fix."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest


from tests.support.cli import PLAN
from tests.support.cli import one_error_line as _one_error_line
from tests.support.cli import run_cli as _run


# ------------------------------------------------------------------ batch with no inputs
def test_a_batch_with_no_input_is_exit_3_like_ocr_and_creates_no_store(tmp_path):
    """`vanban batch empty/ --db c.db` exited 0 (and made an empty c.db) where `vanban ocr
    empty/` exits 3: a cron job batching an inbox whose mount had failed reported success.
    Now one line and exit 3, and no store file is created by a run that had nothing to do."""
    empty = tmp_path / "empty"
    empty.mkdir()
    unread = tmp_path / "notes"
    unread.mkdir()
    (unread / "readme.md").write_text("not an input", encoding="utf-8")
    (unread / ".hidden.pdf").write_bytes(b"%PDF-1.4")
    for folder in (empty, unread):
        db = tmp_path / f"{folder.name}.db"
        result = _run(["batch", folder, "--db", db, "--no-progress"])
        assert result.exit_code == 3, result.output
        line = _one_error_line(result.output)
        assert line.endswith("folder holds no PDF, TIFF, PNG, JPEG or .txt file"), line
        assert str(folder) in line
        assert not db.exists()
        ocr = _run(["ocr", folder])
        assert ocr.exit_code == 3, ocr.output


def test_an_empty_folder_among_good_inputs_is_reported_and_the_rest_stored(tmp_path):
    """`vanban batch empty/ good/` said nothing of empty/ (a wrong path went unseen); now it
    is one failure line of the summary (exit 3, as `vanban ocr` exits), not an errors row
    (a folder is no document), and the good inputs are stored."""
    from vanban.corpus import Store
    empty = tmp_path / "empty"
    empty.mkdir()
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text(PLAN, encoding="utf-8")
    db = tmp_path / "c.db"
    result = _run(["batch", empty, good, "--db", db, "--no-progress"])
    assert result.exit_code == 3, result.output
    assert "1 stored" in result.output and "1 failed" in result.output
    assert f"failed: {empty}: InputFileError: folder holds no PDF" in result.output
    # stored + skipped + duplicates + failed = found (the folder was not counted as found)
    assert "batch: 2 inputs: 1 stored," in result.output, result.output
    with Store(db, readonly=True) as store:
        assert len(store.document_ids()) == 1 and store.errors() == []


# ----------------------------------------------------------------------------- serve
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("case,code", [("missing", 6), ("not sqlite", 6), ("folder", 2)])
def test_serve_on_a_bad_store_fails_before_saying_it_listens(tmp_path, case, code):
    """`vanban serve --db missing.db` printed "vanban serve: http://127.0.0.1:8001/" and only
    then the store error: a user (or a supervisor's log) saw a server announced that never
    listened. Now the store is opened first: one line, exit 6 (2 for a folder: click's
    check of --db), nothing announced."""
    db = tmp_path / "c.db"
    if case == "not sqlite":
        db.write_bytes(b"just some text, not a database\n" * 10)
    elif case == "folder":
        db.mkdir()
    result = _run(["serve", "--db", db, "--port", _free_port()])
    assert result.exit_code == code, result.output
    line = _one_error_line(result.output)
    assert "http://" not in result.output and str(db) in line


# ------------------------------------------------------------------------ scheduler
def test_an_unreachable_scheduler_creates_no_store(tmp_path, monkeypatch):
    """`vanban batch in/ --db new.db --scheduler tcp://127.0.0.1:9` (nothing listening)
    failed with one line but left an empty new.db behind: the store was created before the
    scheduler was reached. Now the cluster is reached first and nothing is created."""
    pytest.importorskip("distributed")
    from vanban import executors
    monkeypatch.setattr(executors, "DASK_CONNECT_TIMEOUT_S", 1.0)
    text = tmp_path / "a.txt"
    text.write_text(PLAN, encoding="utf-8")
    db = tmp_path / "new.db"
    result = _run(["batch", text, "--db", db, "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1, result.output  # documented: docs/corpus.md
    line = _one_error_line(result.output)
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in line
    assert not db.exists() and not Path(f"{db}-wal").exists()
    assert sorted(os.listdir(tmp_path)) == ["a.txt"]


# ------------------------------------------------------------------- the LM cache copy
def test_a_cached_lm_copy_damaged_in_the_middle_is_not_used(tmp_path, monkeypatch):
    """The cached copy of a model ($VANBAN_CACHE/lm) was trusted when its first and last
    bytes were right: bytes changed in the middle (a bad block, a copy made over it in place)
    were mapped as the model's tables, and restoration silently used wrong scores. Now its
    length and a checksum of its data are checked at every load; a damaged copy is written
    again from the .npz."""
    import numpy as np

    from tests.test_lm_cache import _same_model, _tiny_model
    from vanban.normalize.lm import NgramLM, cached_copy_path
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    path = _tiny_model(tmp_path / "m.npz", seed=11)
    good = NgramLM.load(path, cache=False)
    NgramLM.load(path, cache=True)
    copy = cached_copy_path(path)
    data = bytearray(copy.read_bytes())
    at = bytes(data).index(good.keys[2].tobytes())   # the bigram keys, mid-file
    assert at + 4096 < len(data) - 24                # a bad 4 KiB block of the data
    data[at:at + 4096] = bytes(255 - b for b in data[at:at + 4096])
    copy.write_bytes(bytes(data))
    lm = NgramLM.load(path, cache=True)
    _same_model(good, lm)
    assert copy.read_bytes() != bytes(data)  # written again
    mapped = NgramLM.load(path, cache=True)
    assert not mapped.keys[2].flags.writeable and np.array_equal(mapped.keys[2], good.keys[2])
    for extra in (b"\0" * 64, b""):          # grown, or cut by a word: the length tells
        whole = copy.read_bytes()
        copy.write_bytes(whole + extra if extra else whole[:-8 - 16] + whole[-16:])
        _same_model(good, NgramLM.load(path, cache=True))


def test_a_killed_writers_leftover_goes_even_when_a_good_copy_exists(tmp_path, monkeypatch):
    """A writer killed halfway leaves a hidden .tmp beside the copy; it was removed only when
    a copy was written, and a good copy is never written again: the leftover (as big as the
    model, tens of MB) stayed in the cache for ever. Now a load that maps the copy removes
    it too (once it is old enough not to be a write in progress)."""
    from tests.test_lm_cache import _tiny_model
    from vanban.normalize.lm import NgramLM, cached_copy_path
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    path = _tiny_model(tmp_path / "m.npz", seed=12)
    NgramLM.load(path, cache=True)              # the good copy
    copy = cached_copy_path(path)
    abandoned = copy.parent / f".{copy.name}.k1ll3d.tmp"
    in_progress = copy.parent / f".{copy.name}.wr1t1ng.tmp"
    for f in (abandoned, in_progress):
        f.write_bytes(b"half a copy")
    hours_ago = os.stat(abandoned).st_mtime - 2 * 3600
    os.utime(abandoned, (hours_ago, hours_ago))
    before = copy.stat().st_mtime_ns
    NgramLM.load(path, cache=True)              # maps the good copy, writes nothing
    assert copy.stat().st_mtime_ns == before
    assert not abandoned.exists() and in_progress.exists()


# ------------------------------------------------------------ outputs over a database
def _make_store(path: Path) -> str:
    from vanban.corpus import Store
    text = path.parent / "plan.txt"
    text.write_text(PLAN, encoding="utf-8")
    result = _run(["batch", text, "--db", path, "--no-progress"])
    assert result.exit_code == 0, result.output
    with Store(path, readonly=True) as store:
        assert len(store.document_ids()) == 1
    return _digest(path)


def _digest(path: Path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", ["restore", "run", "extract", "ocr", "export", "query",
                                     "search"])
def test_an_output_over_a_corpus_database_not_named_by_db_is_refused(tmp_path, command):
    """`vanban restore plan.txt -o corpus.db` (a slip of the tab key) replaced the whole
    corpus with the restored text, exit 0: only the --db of the same call was protected.
    Now every -o that is an existing SQLite database (or its -wal/-shm/-journal file) is
    refused before any work, exit 2, whatever the command; the database is untouched."""
    db = tmp_path / "corpus.db"
    before = _make_store(db)
    other = tmp_path / "other.db"
    _make_store(other)
    inputs = {"restore": [tmp_path / "plan.txt"], "run": [tmp_path / "plan.txt"],
              "extract": [tmp_path / "plan.txt"], "ocr": [tmp_path / "plan.txt"],
              "export": ["--db", other], "query": ["--db", other],
              "search": ["--db", other, "thu"]}[command]
    for target in (db, Path(f"{db}-journal")):
        if target.name.endswith("-journal"):
            target.write_bytes(b"")  # a hot journal beside the database
        result = _run([command, *inputs, "-o", target])
        assert result.exit_code == 2, (target, result.output)
        line = _one_error_line(result.output)
        assert "would overwrite a SQLite database" in line, line
    assert _digest(db) == before



# ----------------------------------------------------------- read-only store with a log
def _killed_writer_store(folder: Path) -> Path:
    """A store whose last document is only in its -wal file: the writer died (os._exit) before
    closing, as a `kill -9` leaves it. One document checkpointed, one in the log."""
    import subprocess
    import sys
    folder.mkdir()
    (folder / "a.txt").write_text(PLAN, encoding="utf-8")
    (folder / "b.txt").write_text(PLAN.replace("thư viện", "du lịch"), encoding="utf-8")
    script = (
        "import os, sys\n"
        "from vanban.corpus import Store, run_batch\n"
        "from vanban.corpus.batch import process_file\n"
        "run_batch([sys.argv[1] + '/a.txt'], sys.argv[1] + '/c.db', jobs=1, progress=False,\n"
        "          log=lambda line: None)\n"
        "store = Store(sys.argv[1] + '/c.db')\n"
        "r = process_file(sys.argv[1] + '/b.txt')\n"
        "store.add(r.record, sha256=r.sha256, text=r.text, source='b.txt')\n"
        "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", script, str(folder)], check=True, timeout=120)
    db = folder / "c.db"
    assert Path(f"{db}-wal").stat().st_size > 0
    return db


def test_a_read_only_store_whose_log_cannot_be_read_is_refused_not_half_read(tmp_path):
    """A store left by a killed batch (its last documents only in c.db-wal), copied without
    its -shm to a read-only place (a backup, an archive mount): `vanban query/export/search`
    fell back to SQLite's immutable mode, which ignores the -wal, and answered without those
    documents, exit 0 (silent loss in every export). Now one line, exit 6; with the -shm, or
    once writable, every document is read. (Where no folder can be made read-only, as root
    without mount namespaces, a -shm that cannot be made, a link to a folder that does not
    exist, is the same case for SQLite, and is always checked.)"""
    import subprocess
    import sys

    from tests.test_hostile import ROOT, _readonly_runner
    db = _killed_writer_store(tmp_path / "store")
    shm = Path(f"{db}-shm")
    shm.unlink()
    queries = (["query", "--db", db, "--format", "csv"], ["export", "--db", db],
               ["search", "--db", db, "thu vien"])

    def refused(run):
        for args in queries:
            proc = run([sys.executable, "-m", "vanban.cli", *map(str, args)])
            assert proc.returncode == 6, (args, proc.stdout, proc.stderr)
            err = proc.stderr.decode()
            assert err.count("\n") == 1 and "write-ahead log c.db-wal holds changes" in err
            assert not proc.stdout.strip()

    shm.symlink_to(tmp_path / "no-such-folder" / "shm")  # cannot be made, as read-only
    try:
        refused(lambda cmd: subprocess.run(cmd, capture_output=True, timeout=120, cwd=ROOT))
    finally:
        shm.unlink()
    run = _readonly_runner(db.parent)
    try:
        if run is not None:  # None: root without mount namespaces (checked above with -shm)
            assert run(["sh", "-c", f"touch {db.parent / 'probe'}"]).returncode != 0
            refused(run)
    finally:
        os.chmod(db.parent, 0o755)
    result = _run(["query", "--db", db, "--format", "csv"])  # writable again: both read
    assert result.exit_code == 0 and len(result.output.strip().splitlines()) == 3


# ------------------------------------------------------- export while a batch writes
def test_an_export_is_one_snapshot_while_another_process_writes(tmp_path, monkeypatch):
    """`vanban export --year 2025` listed the matching documents, then read each record in
    a statement of its own: a document replaced or removed by a writer in between came out
    as a line `null` (or as a record that no longer matched). The export now reads in one
    read transaction: a snapshot of the store as it was when it began (WAL mode, as while a
    batch runs: the writer is not blocked)."""
    import io

    from vanban.corpus import Store
    from vanban.corpus.store.query import StoreQuery
    db = tmp_path / "c.db"
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"{PLAN}Bản số {name}.\n", encoding="utf-8")
    assert _run(["batch", tmp_path / "a.txt", tmp_path / "b.txt", "--db", db,
                 "--no-progress"]).exit_code == 0
    writer = Store(db)  # a batch running: the file in WAL mode, a writer connection open
    ids = sorted(writer.document_ids())
    listed = StoreQuery.iter_rows

    def list_then_a_writer_removes(self, kind, **filters):
        rows = list(listed(self, kind, **filters))
        writer.remove(ids[0])  # committed by the other connection meanwhile
        return iter(rows)

    monkeypatch.setattr(StoreQuery, "iter_rows", list_then_a_writer_removes)
    try:
        with Store(db, readonly=True) as reader:
            out = io.StringIO()
            count = reader.export("jsonl", out=out, doc_type="Kế hoạch")
    finally:
        writer.close()
        monkeypatch.undo()
    lines = out.getvalue().splitlines()
    assert "null" not in lines and count == len(lines) == 2, lines  # as when it began
    with Store(db, readonly=True) as reader:
        assert len(reader.export("jsonl", doc_type="Kế hoạch").splitlines()) == 1


# ------------------------------------------------------------- names that are not UTF-8
def test_a_file_name_that_is_not_utf8_is_stored_not_a_crash(tmp_path):
    """A folder holding a file whose name is not UTF-8 (copied from an old Windows share:
    b'\\xff\\xfe-plan.txt'): `vanban batch` stopped at it with "internal error ...
    UnicodeEncodeError: surrogates not allowed", exit 1, and every document after it was
    never stored; `vanban extract/run -o out.json` of it failed the same way after doing the
    work. Now the name is stored with its bad bytes written \\xff (one form in the store, the
    progress lines and the summary), a re-run with --skip-failed recognises it, and -o files
    hold it as \\udcff, which a JSON reader turns back into the same name."""
    import json

    from vanban.corpus import Store
    folder = tmp_path / "in"
    folder.mkdir()
    odd = os.fsdecode(bytes(folder) + b"/\xff\xfe-plan.txt")
    Path(odd).write_text(PLAN, encoding="utf-8")
    Path(os.fsdecode(bytes(folder) + b"/\xfe-junk.txt")).write_bytes(b"\x00\x01" * 500)
    (folder / "z-plan.txt").write_text(PLAN + "Bản hai.\n", encoding="utf-8")
    db = tmp_path / "c.db"
    result = _run(["batch", folder, "--db", db, "--no-progress",
                   "--summary-json", tmp_path / "s.json"])
    assert result.exit_code == 3, result.output  # the junk one failed; both plans stored
    assert "internal error" not in result.output and "\\xff\\xfe-plan.txt" in result.output
    with Store(db, readonly=True) as store:
        assert len(store.document_ids()) == 2
        assert [e["path"] for e in store.errors()] == [f"{folder}/\\xfe-junk.txt"]
        sources = {r["source"] for r in store.query("document")}
    assert f"{folder}/\\xff\\xfe-plan.txt" in sources
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert summary["failures"][0]["path"] == f"{folder}/\\xfe-junk.txt"
    again = _run(["batch", folder, "--db", db, "--no-progress", "--skip-failed"])
    assert again.exit_code == 0 and "skipped (failed before)" in again.output, again.output
    for command in ("extract", "run"):
        out = tmp_path / f"{command}.json"
        result = _run([command, odd, "-o", out])
        assert result.exit_code == 0, result.output
        assert json.loads(out.read_text(encoding="utf-8"))["id"] == "\udcff\udcfe-plan"


# ------------------------------------------------------ two batches on one old store
def test_two_cli_batches_on_an_old_store_with_overlapping_inputs(tmp_path):
    """Two `vanban batch` processes started at once on a store of schema version 1 (the
    first to open it migrates it while the other waits), with overlapping inputs and the
    same content under a third name: both exit 0 without "database is locked", every
    document is stored once, every path is kept, the old documents are still there."""
    import shutil
    import subprocess
    import sys

    from tests.test_corpus_batch import copy_plans
    from tests.test_corpus_store import _version_1_store
    from vanban.corpus import Store
    db = tmp_path / "old.db"
    _version_1_store(db)
    with Store(db, readonly=True) as store:
        old_ids = store.document_ids()
        assert store.schema_version == 1 and old_ids
    plans = copy_plans(tmp_path / "plans", variants=3, limit=2)       # 6 documents
    twin = tmp_path / "plans" / "twin-of-first.txt"
    shutil.copy(plans[0], twin)
    first, second = plans[:4], plans[2:] + [twin]
    cmd = [sys.executable, "-m", "vanban.cli", "batch", "--db", str(db), "--jobs", "1",
           "--no-progress"]
    procs = [subprocess.Popen(cmd + [str(p) for p in inputs], stderr=subprocess.PIPE,
                              stdout=subprocess.DEVNULL) for inputs in (first, second)]
    results = [(p.wait(timeout=600), p.stderr.read().decode()) for p in procs]
    for code, stderr in results:
        assert code == 0, stderr
        assert "locked" not in stderr and "Traceback" not in stderr
    with Store(db, readonly=True) as store:
        assert store.schema_version == 3
        ids = store.document_ids()
        assert old_ids <= ids and len(ids - old_ids) == len(plans)
        paths = {r["path"] for r in store.select("SELECT path FROM document_files")}
        assert {str(p) for p in plans + [twin]} <= paths
        assert store.errors() == []
        rows = store.select("SELECT document_id, count(*) AS n FROM records GROUP BY 1")
        assert all(r["n"] == 1 for r in rows)


# ------------------------------------------------- a writer stopped half-way (journal)
def test_reading_commands_never_show_a_transaction_that_was_not_committed(tmp_path):
    """A writer killed half-way through a transaction in rollback-journal mode (a store
    migration when vanban opens an old store, or any SQLite tool) leaves a hot c.db-journal
    and uncommitted pages in c.db. `vanban query/export/search` could not open it with
    mode=ro, fell back to immutable=1, which ignores the journal, and printed the pages of
    the transaction that never happened (a title 'UNCOMMITTED', exit 0). Now one line,
    exit 6, nothing read; the next batch (a writer) rolls the journal back, and then every
    reading command shows the committed store."""
    import subprocess
    import sys
    db = tmp_path / "c.db"
    _make_store(db)
    script = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('PRAGMA cache_size=10')\n"   # pages spill into c.db before COMMIT
        "conn.execute('BEGIN IMMEDIATE')\n"
        "conn.execute(\"UPDATE documents SET title = 'UNCOMMITTED'\")\n"
        "conn.execute(\"UPDATE search_index SET text = 'UNCOMMITTED'\")\n"
        "conn.execute('CREATE TABLE filler(x)')\n"
        "for _ in range(3000):\n"
        "    conn.execute('INSERT INTO filler VALUES (?)', ('x' * 500,))\n"
        "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", script, str(db)], check=True, timeout=120)
    assert Path(f"{db}-journal").stat().st_size > 0 and b"UNCOMMITTED" in db.read_bytes()
    for args in (["query", "--db", db, "--format", "csv"], ["export", "--db", db],
                 ["search", "--db", db, "uncommitted"]):
        result = _run(args)
        assert result.exit_code == 6, (args, result.output)
        line = _one_error_line(result.output)
        assert "rollback journal c.db-journal says a write is in progress" in line
    assert Path(f"{db}-journal").exists()  # reading wrote nothing
    (tmp_path / "more.txt").write_text(PLAN + "Thêm.\n", encoding="utf-8")
    assert _run(["batch", tmp_path / "more.txt", "--db", db, "--no-progress"]).exit_code == 0
    result = _run(["query", "--db", db, "--format", "csv"])
    assert result.exit_code == 0 and "UNCOMMITTED" not in result.output
    assert len(result.output.strip().splitlines()) == 3


# ------------------------------------------------------------- a read-only store
def test_a_batch_into_a_read_only_store_says_so_and_touches_nothing(tmp_path):
    """A store in a read-only place (a read-only bind mount as root; a chmod 555 folder
    otherwise), and a --db whose parent is a file: one line, exit 2, before any work, the
    store byte for byte as it was; reading it still works. (The parent-is-a-file case said
    "no such folder" of a path that exists.)"""
    import sys

    from tests.test_hostile import _readonly_runner
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "c.db"
    before = _make_store(db)
    more = tmp_path / "more.txt"
    more.write_text(PLAN + "Thêm.\n", encoding="utf-8")
    result = _run(["batch", more, "--db", more / "c.db"])  # its parent is a file
    assert result.exit_code == 2
    line = _one_error_line(result.output)
    assert line.endswith(f"--db: is a file, not a folder: {more}"), line
    run = _readonly_runner(folder)
    if run is None:
        pytest.skip("root without mount namespaces (typical Docker CI): no way to make a "
                    "folder read-only for root here")
    try:
        for target in (db, folder / "new.db"):
            proc = run([sys.executable, "-m", "vanban.cli", "batch", str(more), "--db",
                        str(target), "--no-progress"])
            err = proc.stderr.decode()
            assert proc.returncode == 2, err
            assert err.count("\n") == 1 and f"folder {folder} is not writable" in err
        proc = run([sys.executable, "-m", "vanban.cli", "query", "--db", str(db)])
        assert proc.returncode == 0 and proc.stdout.strip(), proc.stderr.decode()
    finally:
        os.chmod(folder, 0o755)
    assert _digest(db) == before and sorted(os.listdir(folder)) == ["c.db", "plan.txt"]


# -------------------------------------------------- an input gone between list and read
def test_an_input_that_disappears_after_the_listing_is_an_error_row(tmp_path, monkeypatch):
    """A file removed after the batch listed its folder (a scanner's inbox being tidied)
    is one errors row ("no such file or directory"), the others are stored, exit 3, no
    traceback; once it is gone for good, the next run no longer fails."""
    from vanban.corpus import Store
    from vanban.corpus import batch as batch_mod
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(f"{PLAN}Bản {name}.\n", encoding="utf-8")
    listed = batch_mod.find_inputs

    def list_then_remove(paths):
        found = listed(paths)
        (folder / "b.txt").unlink()
        return found

    monkeypatch.setattr(batch_mod, "find_inputs", list_then_remove)
    db = tmp_path / "c.db"
    result = _run(["batch", folder, "--db", db, "--no-progress"])
    assert result.exit_code == 3 and "Traceback" not in result.output, result.output
    with Store(db, readonly=True) as store:
        assert len(store.document_ids()) == 2
        errors = store.errors()
    assert [(e["path"], e["reason"]) for e in errors] == [(str(folder / "b.txt"),
                                                           "no such file or directory")]
    monkeypatch.undo()
    again = _run(["batch", folder, "--db", db, "--no-progress"])
    assert again.exit_code == 0 and "2 already in the corpus" in again.output


# ------------------------------------------------------ kill -9 with twins, two workers
def test_a_batch_killed_with_twins_in_flight_resumes_to_the_same_corpus(tmp_path):
    """`kill -9` of a real `vanban batch --jobs 2` mid-run, over inputs holding the same
    content under several names (the twins' paths are written at the end of a run): the
    re-run stores every missing document once, records every twin's path, and the store is
    row for row the one an uninterrupted run makes."""
    import shutil
    import signal
    import subprocess
    import sys

    from tests.test_corpus_batch import (assert_whole_documents, copy_plans, corpus_content,
                                         start_batch_stored)
    inputs = tmp_path / "in"
    plans = copy_plans(inputs, variants=4, limit=2)
    for i, plan in enumerate(plans[:3]):
        shutil.copy(plan, inputs / f"zz-twin-{i}.txt")
    reference = tmp_path / "reference.db"
    cmd = [sys.executable, "-m", "vanban.cli", "batch", str(inputs), "--jobs", "2",
           "--no-progress", "--db"]
    assert subprocess.run(cmd + [str(reference)], capture_output=True,
                          timeout=600).returncode == 0
    db = tmp_path / "killed.db"
    proc = start_batch_stored(inputs, db, jobs=2, stored=2)
    try:
        assert proc.poll() is None, "the batch ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert_whole_documents(db)
    resumed = subprocess.run(cmd + [str(db)], capture_output=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert corpus_content(db) == corpus_content(reference)


# ------------------------------------------------------------- an input too big for memory
def test_an_input_too_large_for_memory_is_exit_3_not_a_bug(tmp_path, monkeypatch):
    """A 270 MB text file under `ulimit -v 3000000` (measured by hand): `vanban run` said
    "internal error (please report it) MemoryError", exit 1, and `vanban batch` stored it
    as an internal error with a traceback. Running out of memory on one input is that input
    being too large for the machine: now one line naming it, exit 3 (the batch goes on).
    Here the pipeline raises MemoryError as it did there (a real limit in a test would be
    flaky: the interpreter's own size varies)."""
    import vanban.corpus.batch as batch_mod
    import vanban.pipeline as pipeline_mod
    from vanban.corpus import Store
    big = tmp_path / "big.txt"
    big.write_text(PLAN + "Rất dài.\n", encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(PLAN, encoding="utf-8")
    real = pipeline_mod.process_path

    def out_of_memory_on_big(path, *args, **kwargs):
        if Path(path).name == "big.txt":
            raise MemoryError
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline_mod, "process_path", out_of_memory_on_big)
    monkeypatch.setattr(batch_mod, "process_path", out_of_memory_on_big)
    result = _run(["run", big])
    assert result.exit_code == 3, result.output
    line = _one_error_line(result.output)
    assert line == (f"vanban: error: {big}: out of memory while processing this input: too "
                    "large for the memory of this machine (split it, or run it where there "
                    "is more)")
    failure = batch_mod.process_file(str(big))
    assert (failure.ok, failure.exit_code, failure.detail) == (False, 3, None)
    db = tmp_path / "c.db"
    summary = batch_mod.run_batch([big, small], db, jobs=1, progress=False,
                                  log=lambda line: None)
    assert (summary.stored, summary.failed, summary.exit_code) == (1, 1, 3)
    with Store(db, readonly=True) as store:
        [error] = store.errors()
    assert error["error_type"] == "InputTooLargeForMemoryError" and error["exit_code"] == 3


def test_out_of_memory_outside_one_input_is_not_blamed_on_an_input(tmp_path, monkeypatch):
    """Every MemoryError was "out of memory while processing this input", exit 3, even in
    `vanban export` (no input at all). That line is now only for a command on one input;
    elsewhere one line saying the machine's memory ran out, exit 1, not called a bug."""
    from vanban.corpus.store.query import StoreQuery
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    db = tmp_path / "c.db"
    assert _run(["batch", tmp_path / "a.txt", "--db", db, "--no-progress"]).exit_code == 0

    def out_of_memory(self, *args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(StoreQuery, "export", out_of_memory)
    result = _run(["export", "--db", db])
    assert result.exit_code == 1, result.output
    line = _one_error_line(result.output)
    assert line.startswith("vanban: error: out of memory while running `vanban export`"), line
    assert "this input" not in line and "report" not in line


# ------------------------------------- bytes shipped to workers, file gone before sending
def test_a_file_gone_before_its_bytes_are_shipped_fails_alone(tmp_path, monkeypatch):
    """With the files' bytes shipped to the workers (the default with --scheduler), a file
    removed after the batch hashed it and before its bytes were read for sending raised
    FileNotFoundError out of the batch: "internal error", exit 1, every document not yet
    stored was never stored. Now that input alone fails (an errors row) and the others are
    stored."""
    from vanban.corpus import Store
    from vanban.corpus import batch as batch_mod
    names = ("a", "b", "c")
    for name in names:
        (tmp_path / f"{name}.txt").write_text(f"{PLAN}Bản {name}.\n", encoding="utf-8")
    hashed = batch_mod.file_sha256

    def hash_then_remove_b(path):
        digest = hashed(path)
        if Path(path).name == "b.txt":
            Path(path).unlink()
        return digest

    monkeypatch.setattr(batch_mod, "file_sha256", hash_then_remove_b)
    db = tmp_path / "c.db"
    summary = batch_mod.run_batch([tmp_path / f"{n}.txt" for n in names], db, jobs=1,
                                  progress=False, log=lambda line: None, send_content=True)
    assert (summary.stored, summary.failed, summary.exit_code) == (2, 1, 3)
    with Store(db, readonly=True) as store:
        assert len(store.document_ids()) == 2
        [error] = store.errors()
    assert error["path"] == str(tmp_path / "b.txt") and error["exit_code"] == 3
    assert "no such file" in error["reason"].lower()


# ------------------------------------------------------ a record the store cannot take
HUGE_TARGETS = """ỦY BAN NHÂN DÂN TỈNH HÀ GIANG
Số: 12/KH-UBND
KẾ HOẠCH
Phát triển du lịch tỉnh Hà Giang năm 2025
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Phát triển du lịch bền vững.
II. MỤC TIÊU
1. Mục tiêu cụ thể
- Phấn đấu đến năm 2025 đón 99999999999999999999999 lượt khách du lịch.
III. NHIỆM VỤ
1. Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức các hoạt động quảng bá trong năm 2025.
"""


def test_a_number_beyond_64_bits_does_not_stop_the_batch(tmp_path):
    """A plan whose target reads "99999999999999999999999 lượt khách" (an OCR run of 9s):
    extract makes it an int, and SQLite's INTEGER is 64 bits: `vanban batch` stopped with
    "internal error ... OverflowError: Python int too large to convert to SQLite INTEGER",
    exit 1, and every document after it was never stored. Now the value is kept as its
    digits (the record keeps it exactly) and the batch goes on."""
    from vanban.corpus import Store
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-huge.txt").write_text(HUGE_TARGETS, encoding="utf-8")
    (folder / "b-plan.txt").write_text(PLAN, encoding="utf-8")
    db = tmp_path / "c.db"
    result = _run(["batch", folder, "--db", db, "--no-progress"])
    assert result.exit_code == 0, result.output
    with Store(db, readonly=True) as store:
        assert len(store.document_ids()) == 2
    record = {"id": "x", "document": {"type": "Kế hoạch"}, "objectives": [
        {"text": "đón 10^23 lượt khách", "targets": [{"value": 10**23, "unit": "lượt"}]}]}
    with Store(tmp_path / "d.db") as store:
        assert store.add(record, sha256="f" * 64)
        assert store.record("f" * 64)["objectives"][0]["targets"][0]["value"] == 10**23


def test_a_record_the_store_cannot_take_fails_alone(tmp_path, monkeypatch):
    """Whatever else in one record the writer chokes on (a bug, not the database): that
    document is an errors row (exit 1's code, with the traceback in `detail`), and the
    batch stores the others instead of stopping."""
    from vanban.corpus import Store
    from vanban.corpus import batch as batch_mod
    from vanban.corpus.store import write as write_mod
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"{PLAN}Bản {name}.\n", encoding="utf-8")
    real = write_mod.StoreWriter.add

    def choke_on_b(self, record, **kwargs):
        if kwargs.get("source", "").endswith("b.txt"):
            raise TypeError("a shape this store does not know")
        return real(self, record, **kwargs)

    monkeypatch.setattr(write_mod.StoreWriter, "add", choke_on_b)
    db = tmp_path / "c.db"
    summary = batch_mod.run_batch([tmp_path / f"{n}.txt" for n in "abc"], db, jobs=1,
                                  progress=False, log=lambda line: None)
    assert (summary.stored, summary.failed) == (2, 1)
    with Store(db, readonly=True) as store:
        [error] = store.select("SELECT * FROM errors")
    assert error["path"].endswith("b.txt") and error["error_type"] == "TypeError"
    assert error["reason"] == "the record could not be stored: a shape this store does not know"
    assert "Traceback" in error["detail"]


# ------------------------------------------------------------- numbers too big to use
@pytest.mark.parametrize("command,args,option", [
    ("search", ["thu", "-n", "99999999999999999999999"], "--limit"),
    ("query", ["-n", "99999999999999999999999"], "--limit"),
    ("batch", ["--jobs", "99999999999999999999"], "--jobs"),
    ("ocr", ["--jobs", "100000"], "--jobs"),
])
def test_a_count_too_big_to_use_is_a_usage_error(tmp_path, command, args, option):
    """`vanban search -n 99999999999999999999999` was "internal error ... OverflowError"
    (exit 1), `vanban query -n ...` blamed the database ("the file may be damaged", exit
    6), `vanban batch --jobs 99999999999999999999` was an internal error too: now each is
    a bad value, exit 2, one line naming the option and its range."""
    db = tmp_path / "c.db"
    _make_store(db)
    inputs = {"search": ["--db", db], "query": ["--db", db],
              "batch": [tmp_path / "plan.txt", "--db", tmp_path / "new.db"],
              "ocr": [tmp_path / "plan.txt"]}[command]
    result = _run([command, *inputs, *args])
    assert result.exit_code == 2, result.output
    line = _one_error_line(result.output)
    assert option in line and "is not in the range 1<=x<=" in line
    assert not (tmp_path / "new.db").exists()


# --------------------------------------------------- the store removed under a batch
def _batch_stopped_by_a_removed_store(folder, db) -> str:
    """`vanban batch` of ``folder`` into ``db`` (one job), which stops with exit 6 and one error
    line, saying the store was removed or replaced under it: that line."""
    result = _run(["batch", folder, "--db", db, "--jobs", "1", "--no-progress"])
    assert result.exit_code == 6, result.output
    err = [line for line in result.output.splitlines() if line.startswith("vanban: error")]
    assert len(err) == 1 and "removed or replaced while this batch wrote to it" in err[0]
    return err[0]


@pytest.mark.parametrize("how", ["removed", "moved over"])
def test_a_store_removed_under_a_running_batch_loses_nothing(tmp_path, monkeypatch, how):
    """`rm corpus.db` (a cleanup job) or `mv other.db corpus.db` while a batch writes:
    SQLite went on writing into the file it had opened, which no one can open again; the
    batch reported every document stored, exit 0, and the whole corpus, this run included,
    was gone. Now the batch notices at the next document, saves what that file holds beside
    the path (VACUUM INTO ...recovered-...db), and stops: one line, exit 6."""
    from vanban.corpus import Store
    from vanban.corpus.store import write as write_mod
    folder = tmp_path / "in"
    folder.mkdir()
    for name in "abcd":
        (folder / f"{name}.txt").write_text(f"{PLAN}Bản {name}.\n", encoding="utf-8")
    db = tmp_path / "corpus.db"
    real = write_mod.StoreWriter.add
    calls = []

    def add_then_lose_the_file(self, record, **kwargs):
        stored = real(self, record, **kwargs)
        calls.append(kwargs.get("source"))
        if len(calls) == 2:
            db.unlink()
            if how == "moved over":
                other = tmp_path / "other.db"
                Store(other).close()
                other.rename(db)
        return stored

    monkeypatch.setattr(write_mod.StoreWriter, "add", add_then_lose_the_file)
    err = _batch_stopped_by_a_removed_store(folder, db)
    [saved] = tmp_path.glob("corpus.db.recovered-*.db")
    assert str(saved) in err
    monkeypatch.undo()
    with Store(saved, readonly=True) as store:
        assert len(store.document_ids()) == 2
    if how == "moved over":
        with Store(db, readonly=True) as store:
            assert store.document_ids() == set()  # the file moved there was not written


def test_a_store_removed_after_the_last_document_is_not_exit_0(tmp_path, monkeypatch):
    """The removed-store check ran after each document only: a store removed after the last
    one (here while the batch recorded a later copy of a stored file) went unseen, exit 0.
    The batch now checks once more before it closes."""
    from vanban.corpus.store import write as write_mod
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(f"{PLAN}Bản a.\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"{PLAN}Bản a.\n", encoding="utf-8")  # same content
    db = tmp_path / "corpus.db"
    real = write_mod.StoreWriter.add_file

    def add_file_then_remove_the_store(self, *args, **kwargs):
        done = real(self, *args, **kwargs)
        db.unlink(missing_ok=True)
        return done

    monkeypatch.setattr(write_mod.StoreWriter, "add_file", add_file_then_remove_the_store)
    _batch_stopped_by_a_removed_store(folder, db)
    assert list(tmp_path.glob("corpus.db.recovered-*.db"))


# ------------------------------------------------- PDFs left half-written by a killed batch
def test_a_killed_batchs_half_written_pdfs_are_removed_by_the_next_run(tmp_path):
    """`vanban batch --pdf-dir out/` killed mid-write (kill -9) leaves a hidden
    out/.<name>.XXXX.pdf.tmp, as big as the PDF; no later run removed it, so every killed
    run left one more for ever. The next batch with that --pdf-dir now removes those over an
    hour old (a fresh one may be another batch's PDF being written) and nothing else."""
    out = tmp_path / "pdf"
    out.mkdir()
    abandoned = out / ".scan.k1ll3d_0.pdf.tmp"  # mkstemp's name: 8 random characters
    fresh = out / ".scan.wr1t1ng0.pdf.tmp"
    kept = [out / "scan.pdf", out / ".notes.txt", out / "x.pdf.tmp", out / ".mine.pdf.tmp",
            out / ".scan.NOT-RANDOM.pdf.tmp"]  # not mkstemp's: a user's own, kept
    for f in (abandoned, fresh, *kept):
        f.write_bytes(b"%PDF-1.7 half")
    for f in (abandoned, *kept):
        hours_ago = f.stat().st_mtime - 2 * 3600
        os.utime(f, (hours_ago, hours_ago))
    text = tmp_path / "a.txt"
    text.write_text(PLAN, encoding="utf-8")
    result = _run(["batch", text, "--db", tmp_path / "c.db", "--pdf-dir", out,
                   "--no-progress"])
    assert result.exit_code == 0, result.output
    assert not abandoned.exists() and fresh.exists() and all(f.exists() for f in kept)


# ----------------------------------------------------------------- an input that hangs
def _hang_on_b(path, options=None, content=None, sha256=None):
    """process_file, except that b.txt never finishes (a pathological input)."""
    import time

    from vanban.corpus import batch as batch_mod
    if Path(path).name == "b.txt":
        time.sleep(300)
    return batch_mod._real_process_file(path, options, content, sha256)


def test_an_input_that_hangs_is_stopped_and_recorded(tmp_path, monkeypatch):
    """An input on which the pipeline never finishes (a page that sends Tesseract or a
    regular expression into a loop) held its worker for ever: the batch never ended, never
    said which input it was, and a re-run hung on it again. A document still running after
    `--timeout` seconds (default 3600) now has its worker stopped, is retried alone (so the
    timeout lands on the slow input, not on a neighbour) and is an errors row (TaskTimeout,
    exit 3); the others are stored."""
    import time

    from vanban.corpus import Store
    from vanban.corpus import batch as batch_mod
    for name in "abc":
        (tmp_path / f"{name}.txt").write_text(f"{PLAN}Bản {name}.\n", encoding="utf-8")
    monkeypatch.setattr(batch_mod, "_real_process_file", batch_mod.process_file,
                        raising=False)
    monkeypatch.setattr(batch_mod, "process_file", _hang_on_b)
    db = tmp_path / "c.db"
    started = time.monotonic()
    summary = batch_mod.run_batch([tmp_path / f"{n}.txt" for n in "abc"], db, jobs=2,
                                  progress=False, log=lambda line: None, task_timeout=3)
    assert time.monotonic() - started < 120
    assert (summary.stored, summary.failed, summary.exit_code) == (2, 1, 3)
    with Store(db, readonly=True) as store:
        [error] = store.errors()
    assert error["path"] == str(tmp_path / "b.txt") and error["error_type"] == "TaskTimeout"
    assert error["reason"].startswith("still running after 3 s")


def test_the_executor_stops_only_the_item_that_is_slow_alone(tmp_path):
    import time

    from vanban.executors import ProcessExecutor, TaskTimeout
    from tests.test_executors import crash_once_then_hang
    started = time.monotonic()
    with ProcessExecutor(2, task_timeout=2) as ex:
        done = {d.item[0]: d for d in ex.imap_unordered(
            crash_once_then_hang, [(n, str(tmp_path)) for n in range(5)])}
    assert time.monotonic() - started < 60
    assert {n: d.value for n, d in done.items() if d.ok} == {0: 0, 2: 2, 3: 3, 4: 4}
    assert isinstance(done[1].error, TaskTimeout)


def test_an_export_to_a_slow_reader_does_not_keep_a_batch_from_opening_the_store(tmp_path):
    """`vanban export | slow-consumer` read the whole export in one read transaction: with no
    batch running the store is in rollback-journal mode, so that transaction held a shared
    lock for as long as the consumer took, and a batch opening the store (its switch to WAL
    needs the file alone) waited its 60 s and failed "database is locked". Now the export
    holds a snapshot only in WAL mode; otherwise it never keeps a statement open while the
    reader of its output is slow, and a batch opens at once."""
    import threading
    import time

    from vanban.corpus import Store
    from vanban.corpus.batch import run_batch
    inputs = []
    for name in "abcd":
        path = tmp_path / f"{name}.txt"
        path.write_text(f"{PLAN}Bản số {name}.\n", encoding="utf-8")
        inputs.append(path)
    db = tmp_path / "c.db"
    summary = run_batch(inputs, db, jobs=1, progress=False)
    assert summary.stored == 4

    writing = threading.Event()

    class SlowReader:
        lines: list[str] = []

        def write(self, text):
            writing.set()
            time.sleep(3)
            self.lines.append(text)
            return len(text)

    out = SlowReader()
    result = {}

    def export():
        with Store(db, readonly=True) as reader:
            result["count"] = reader.export("jsonl", out=out)

    thread = threading.Thread(target=export)
    thread.start()
    try:
        assert writing.wait(60)
        t0 = time.monotonic()
        with Store(db, timeout=2) as batch:  # raises "database is locked" when blocked
            assert len(batch.document_ids()) == 4
        assert time.monotonic() - t0 < 2
    finally:
        thread.join(120)
    lines = "".join(out.lines).splitlines()
    assert result["count"] == len(lines) == 4 and "null" not in lines


def test_an_export_without_a_snapshot_skips_a_document_removed_after_listing(tmp_path,
                                                                             monkeypatch):
    """In rollback-journal mode (no batch running) the export holds no snapshot: a document
    listed and then removed before its record is read is left out, never a line `null`."""
    from vanban.corpus import Store
    from vanban.corpus.store.query import StoreQuery
    (tmp_path / "a.txt").write_text(f"{PLAN}Bản số a.\n", encoding="utf-8")
    db = tmp_path / "c.db"
    assert _run(["batch", tmp_path / "a.txt", "--db", db, "--no-progress"]).exit_code == 0
    listed = StoreQuery._record_ids
    monkeypatch.setattr(StoreQuery, "_record_ids",
                        lambda self: listed(self) + ["removed-meanwhile"])
    with Store(db, readonly=True) as reader:
        assert reader.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        lines = reader.export("jsonl").splitlines()
    assert lines and "null" not in lines and len(lines) == 1


def test_a_file_name_that_is_not_utf8_is_printed_to_stdout_not_a_crash(tmp_path):
    """`vanban run $'x\\xff.txt'` printing its record to a strict UTF-8 stdout failed after the
    work with "internal error ... surrogates not allowed", exit 1, where `-o out.json`
    wrote it. Standard output now writes the name as `-o` does (``\\udcff``)."""
    import subprocess
    import sys
    name = os.fsdecode(b"x\xff.txt")
    (tmp_path / name).write_text(PLAN, encoding="utf-8")
    env = dict(os.environ, PYTHONIOENCODING="utf-8:strict")
    proc = subprocess.run([sys.executable, "-m", "vanban.cli", "run", name], cwd=tmp_path,
                          env=env, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert b'"x\\udcff"' in proc.stdout
    assert not proc.stderr.strip()


def test_a_timeout_with_a_scheduler_is_refused_not_ignored(tmp_path):
    """`vanban batch --scheduler ... --timeout 60` ignored the timeout silently (a Dask task
    cannot be stopped); now it is refused before any work: one line, exit 2."""
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    db = tmp_path / "c.db"
    result = _run(["batch", tmp_path / "a.txt", "--db", db, "--scheduler",
                   "tcp://127.0.0.1:9", "--timeout", "60", "--no-progress"])
    assert result.exit_code == 2, result.output
    line = _one_error_line(result.output)
    assert "--timeout: not with --scheduler" in line and not db.exists()
