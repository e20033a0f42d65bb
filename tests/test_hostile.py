"""Hostile inputs through the CLI: for each, the exit code of the documented table
(vanban.errors), exactly one stderr line naming the input, no traceback; and in a call with
several inputs, the good ones still processed. Then the store cases: concurrent batches on a
new database, a database damaged in the middle, another application's SQLite file (unchanged
byte for byte) and a database in a read-only place (still readable, nothing written).

Every bad file is made at test time (tests/test_reliability.py has one test per defect of
issue 9; this is the broad sweep).
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from tests.support import synth
from vanban.cli import main
from vanban.corpus import Store
from tests.support.damage import corrupt_middle, png
from tests.support.synthetic import synthetic_store
from vanban.errors import one_line

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "tests" / "fixtures" / "corpus" / "kh-thu-vien-ha-giang.txt"
#: Exit codes of the table in vanban/errors.py (and README).
USAGE, INPUT, NOT_A_DOCUMENT, STORE, OUTPUT = 2, 3, 5, 6, 7


def cli(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def run_subprocess(args, stdin=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "vanban.cli", *map(str, args)], input=stdin,
                          capture_output=True, timeout=timeout, cwd=ROOT)


def assert_one_line(code: int, exit_code: int, stderr: str, output: str, name: str) -> str:
    assert exit_code == code, (exit_code, stderr)
    assert "Traceback" not in output and "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("vanban: error: ") and name in lines[0], (name, lines)
    return lines[0]


def check(result, code: int, name: str) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return assert_one_line(code, result.exit_code, result.stderr, result.output, name)


# --------------------------------------------------------------------------- bad scans
JUNK = bytes((i * 131 + 7) % 256 for i in range(4096))


def make_bad_scans(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, a word of the expected reason): every file `vanban ocr` must refuse."""
    folder.mkdir(parents=True, exist_ok=True)
    good_page = synth.render_lines(["Bí mật nhà nước"], width_px=600, dpi=75)
    plain_pdf = folder / ".plain.pdf"
    synth.save_pdf([good_page], plain_pdf, dpi=75)
    png_bytes = (folder / ".plain.png")
    good_page.save(png_bytes)
    jpg_bytes = folder / ".plain.jpg"
    good_page.save(jpg_bytes)
    tif_bytes = folder / ".plain.tif"
    good_page.save(tif_bytes)
    files: dict[str, tuple[bytes | None, str]] = {
        "empty.pdf": (b"", "empty"),
        "empty.png": (b"", "empty"),
        "empty.tif": (b"", "empty"),
        "text.pdf": ("Đây không phải là PDF.\n".encode(), "not a PDF"),
        "html.pdf": (b"<!DOCTYPE html><html><body>404</body></html>", "not a PDF"),
        "zip.pdf": (b"PK\x03\x04" + JUNK, "not a PDF"),
        "junk.pdf": (JUNK, "not a PDF"),
        "junk.png": (JUNK, "not a PNG"),
        "junk.jpg": (JUNK, "not a JPEG"),
        "junk.tiff": (JUNK, "not a TIFF"),
        "gif.png": (b"GIF89a" + JUNK[:200], "not a PNG"),
        "notes.docx": (b"PK\x03\x04" + JUNK, "unsupported file type"),
        "image.bmp": (b"BM" + JUNK, "unsupported file type"),
        "plan.txt": ("Kế hoạch số 12/KH-UBND\n".encode(), "unsupported file type"),
        "header-only.pdf": (b"%PDF-1.4\n", "PDF"),
        "corrupt.pdf": (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R" + JUNK, "PDF"),
        "truncated.pdf": (plain_pdf.read_bytes()[:300], "PDF"),
        "truncated.png": (png_bytes.read_bytes()[:200], "cannot decode"),
        "truncated.jpg": (jpg_bytes.read_bytes()[:300], "cannot decode"),
        "truncated.tif": (tif_bytes.read_bytes()[:200], "cannot decode"),
        "png-signature-only.png": (b"\x89PNG\r\n\x1a\n", "cannot decode"),
        "jpeg-soi-only.jpg": (b"\xff\xd8\xff", "cannot decode"),
        "tiff-header-only.tif": (b"II*\x00" + b"\xff" * 8, "cannot decode"),
        "bad-idat.png": (png(200, 100, b"not zlib data at all"), "cannot decode"),
        "bomb.png": (png(60000, 60000, zlib.compress(b"\x00" * 1024)), "Mpx limit"),
        "two\nlines.pdf": (JUNK, "not a PDF"),
        "\x1b[31mred.png": (JUNK, "not a PNG"),
        ("x" * 200) + ".pdf": (JUNK, "not a PDF"),
        "espace é ờ.jpg": (JUNK, "not a JPEG"),
        "missing.pdf": (None, "no such file"),
        "encrypted.pdf": (None, "encrypted PDF"),
        "zero-pages.pdf": (None, "no pages"),
        "fifo.pdf": (None, "FIFO"),
        "fifo.png": (None, "FIFO"),
        "socket.pdf": (None, "socket"),
        "dangling-link.pdf": (None, "no such file"),
        "link-loop.pdf": (None, "cannot read"),
        "empty-folder": (None, "holds no PDF"),
    }
    out: dict[str, tuple[Path, str]] = {}
    for name, (data, reason) in files.items():
        path = folder / name
        if data is not None:
            path.write_bytes(data)
        out[name] = (path, reason)
    with pikepdf.open(plain_pdf) as pdf:
        pdf.save(folder / "encrypted.pdf",
                 encryption=pikepdf.Encryption(user="u-secret", owner="o-secret"))
    pikepdf.new().save(folder / "zero-pages.pdf")
    os.mkfifo(folder / "fifo.pdf")
    os.mkfifo(folder / "fifo.png")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(folder / "socket.pdf"))
    sock.close()
    (folder / "dangling-link.pdf").symlink_to(folder / "gone.pdf")
    (folder / "link-loop.pdf").symlink_to(folder / "link-loop.pdf")
    (folder / "empty-folder").mkdir()
    return out


@pytest.fixture(scope="module")
def bad_scans(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    return make_bad_scans(tmp_path_factory.mktemp("hostile") / "bad")


BAD_SCAN_NAMES = ["empty.pdf", "empty.png", "empty.tif", "text.pdf", "html.pdf", "zip.pdf",
                  "junk.pdf", "junk.png", "junk.jpg", "junk.tiff", "gif.png", "notes.docx",
                  "image.bmp", "plan.txt", "header-only.pdf", "corrupt.pdf", "truncated.pdf",
                  "truncated.png", "truncated.jpg", "truncated.tif", "png-signature-only.png",
                  "jpeg-soi-only.jpg", "tiff-header-only.tif", "bad-idat.png", "bomb.png",
                  "two\nlines.pdf", "\x1b[31mred.png", ("x" * 200) + ".pdf", "espace é ờ.jpg",
                  "missing.pdf", "encrypted.pdf", "zero-pages.pdf", "socket.pdf",
                  "dangling-link.pdf", "link-loop.pdf", "empty-folder"]


@pytest.mark.parametrize("name", BAD_SCAN_NAMES, ids=lambda n: ascii(n)[1:-1][:40])
def test_ocr_refuses_each_bad_scan_in_one_line(bad_scans, name):
    path, reason = bad_scans[name]
    line = check(cli("ocr", path, "-j", "1"), INPUT, one_line(str(path)))
    assert reason in line, line


@pytest.mark.parametrize("name", ["fifo.pdf", "fifo.png"])
def test_ocr_refuses_a_fifo_without_blocking(bad_scans, name):
    path, reason = bad_scans[name]
    proc = run_subprocess(["ocr", path], timeout=60)
    line = assert_one_line(INPUT, proc.returncode, proc.stderr.decode(), proc.stdout.decode(),
                           str(path))
    assert reason in line


def test_ocr_goes_on_with_the_good_input_among_all_the_bad(bad_scans, tmp_path):
    good = tmp_path / "good.png"
    synth.render_lines(["ỦY BAN NHÂN DÂN TỈNH", "KẾ HOẠCH"], width_px=900, dpi=150,
                       font_pt=14).save(good)
    names = ["encrypted.pdf", "zero-pages.pdf"] + [n for n in bad_scans
                                                   if n not in ("encrypted.pdf", "zero-pages.pdf")]
    paths = [bad_scans[n][0] for n in names]
    proc = run_subprocess(["ocr", "-j", "1", *paths[:20], good, *paths[20:]], timeout=300)
    assert proc.returncode == INPUT
    stderr = proc.stderr.decode()
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == len(names), lines
    for name, path in zip(names, paths):
        named = [ln for ln in lines if ln.startswith(f"vanban: error: {one_line(str(path))}: ")]
        assert len(named) == 1 and bad_scans[name][1] in named[0], (name, named)
    assert "KẾ HOẠCH" in proc.stdout.decode()  # the good page was OCRed


# -------------------------------------------------------------------- bad text inputs
NOISE = "%%% 123 ### ~~~ 456 @@@\n" * 5


def make_bad_texts(folder: Path) -> dict[str, tuple[Path, int, str]]:
    """name -> (path, exit code, reason word) for text commands (extract, run, restore)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "binary.txt": (b"\x00\x01\x02" + JUNK, INPUT, "binary data"),
        "junk-no-nul.txt": (bytes(b % 32 for b in JUNK if b % 32 not in (9, 10, 13)) * 2, INPUT,
                            "binary data"),
        "empty.txt": (b"", INPUT, "empty"),
        "spaces.txt": (b"  \n\n\t \n", INPUT, "empty"),
        "utf16-cut.txt": ("Kế hoạch".encode("utf-16") + b"\x00", INPUT, "not valid UTF-16"),
        "noise.txt": (NOISE.encode(), NOT_A_DOCUMENT, ""),
    }
    out = {}
    for name, (data, code, reason) in files.items():
        (folder / name).write_bytes(data)
        out[name] = (folder / name, code, reason)
    os.mkfifo(folder / "fifo.txt")
    out["fifo.txt"] = (folder / "fifo.txt", INPUT, "FIFO")
    out["missing.txt"] = (folder / "missing.txt", INPUT, "no such file")
    return out


@pytest.fixture(scope="module")
def bad_texts(tmp_path_factory):
    return make_bad_texts(tmp_path_factory.mktemp("hostile-text"))


@pytest.mark.parametrize("name", ["binary.txt", "junk-no-nul.txt", "empty.txt", "spaces.txt",
                                  "utf16-cut.txt", "noise.txt"])
def test_extract_refuses_each_bad_text_in_one_line(bad_texts, name):
    path, code, reason = bad_texts[name]
    line = check(cli("extract", path), code, str(path))
    assert reason in line


@pytest.mark.parametrize("name", ["binary.txt", "empty.txt", "utf16-cut.txt", "missing.txt"])
def test_restore_refuses_each_bad_text_in_one_line(bad_texts, name):
    path, code, reason = bad_texts[name]
    line = check(cli("restore", path), code, str(path))
    assert reason in line


@pytest.mark.parametrize("command", ["restore", "extract"])
@pytest.mark.parametrize("data,reason", [(b"", "empty"), (b"\x00\x01" * 300, "binary data"),
                                         (JUNK, "binary data")])
def test_bad_standard_input_in_one_line(command, data, reason):
    line = check(cli(command, "-", input=data), INPUT, "standard input")
    assert reason in line


@pytest.mark.parametrize("command", ["run", "extract", "restore"])
def test_text_commands_refuse_a_fifo_without_blocking(bad_texts, command):
    path, code, reason = bad_texts["fifo.txt"]
    proc = run_subprocess([command, path], timeout=60)
    line = assert_one_line(code, proc.returncode, proc.stderr.decode(), proc.stdout.decode(),
                           str(path))
    assert reason in line


def test_run_on_noise_and_junk(bad_texts, bad_scans):
    check(cli("run", bad_texts["noise.txt"][0], "--mode", "off"), NOT_A_DOCUMENT,
          str(bad_texts["noise.txt"][0]))
    check(cli("run", bad_texts["binary.txt"][0]), INPUT, str(bad_texts["binary.txt"][0]))
    check(cli("run", bad_scans["junk.pdf"][0]), INPUT, str(bad_scans["junk.pdf"][0]))
    check(cli("run", bad_scans["encrypted.pdf"][0]), INPUT, str(bad_scans["encrypted.pdf"][0]))


@pytest.mark.parametrize("args,name", [
    (["run", "/nonexistent/plan.pdf"], "/nonexistent/plan.pdf"),
    (["extract", "/nonexistent/plan.txt"], "/nonexistent/plan.txt"),
    (["extract", "--format", "yaml", "-"], "--format"),
    (["ocr", "--jobs", "many", "x.pdf"], "--jobs"),
    (["no-such-command"], "no-such-command"),
])
def test_bad_command_lines_are_one_line_exit_2(args, name):
    check(cli(*args), USAGE, name)


def test_batch_stores_the_good_and_records_every_bad_input(bad_scans, bad_texts, tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes(PLAN.read_bytes())
    bad = [p for n, (p, _) in bad_scans.items() if n != "empty-folder"]
    bad += [p for n, (p, _, _) in bad_texts.items() if n != "noise.txt"]
    db = tmp_path / "corpus.db"
    summary = tmp_path / "summary.json"
    proc = run_subprocess(["batch", *bad[:10], good, *bad[10:], "--db", db, "--jobs", "1",
                           "--no-progress", "--summary-json", summary], timeout=600)
    stderr = proc.stderr.decode()
    assert proc.returncode == INPUT, stderr
    assert "Traceback" not in stderr
    log = [ln for ln in stderr.splitlines() if ln.startswith("[")]
    for path in bad:
        named = [ln for ln in log if f" {one_line(str(path))}:" in ln or
                 ln.endswith(f" {one_line(str(path))}")]
        # a later copy of a bad file's content is logged as a duplicate, then recorded as an
        # error "(same content as ...)" like the first
        assert len(named) == 1 and ("failed" in named[0] or "duplicate" in named[0]), named
    with Store(db, readonly=True) as store:
        assert store.stats()["documents"] == 1
        assert {e["path"] for e in store.errors()} == {str(p) for p in bad}


# ---------------------------------------------------------------- corpus commands
@pytest.fixture
def db(tmp_path) -> Path:
    return synthetic_store(tmp_path / "corpus.db", range(40))


def foreign_db(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('An')")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("command", [["search", "thu vien"], ["query"], ["export"]])
@pytest.mark.parametrize("case", ["missing", "foreign", "text", "empty", "damaged", "folder"])
def test_reading_commands_on_a_bad_database(db, tmp_path, command, case):
    path = {"missing": tmp_path / "none.db", "foreign": tmp_path / "app.db",
            "text": tmp_path / "notes.db", "empty": tmp_path / "empty.db",
            "damaged": db, "folder": tmp_path / "folder.db"}[case]
    if case == "foreign":
        foreign_db(path)
    elif case == "text":
        path.write_text("not a database\n")
    elif case == "empty":
        path.write_bytes(b"")
    elif case == "damaged":
        corrupt_middle(path)
    elif case == "folder":
        path.mkdir()
    before = path.read_bytes() if path.is_file() else None
    result = cli(command[0], "--db", path, *command[1:])
    check(result, USAGE if case == "folder" else STORE, str(path))
    if before is not None:
        assert path.read_bytes() == before


@pytest.mark.parametrize("args,name", [
    (["query", "--year", "99999999999999999999"], "--year"),
    (["query", "--year", "-5"], "--year"),
    (["query", "--agency", "a" * 50_000], "--agency"),
    (["export", "--province", "b" * 5_000], "--province"),
    (["query", "-n", "0"], "--limit"),
    (["search", "-n", "0", "thu"], "--limit"),
    (["search", "-n", "-3", "thu"], "--limit"),
    (["search", " ".join(["chuyen"] * 15_000)], "search query"),
    (["search", "-chuyen"], "-c"),
    (["query", "--kind", "nothing"], "--kind"),
])
def test_bad_corpus_options_are_one_line_exit_2(db, args, name):
    line = check(cli(args[0], "--db", db, *args[1:]), USAGE, name)
    assert len(line) < 400


@pytest.mark.parametrize("out,code,reason", [
    ("{missing}/x.jsonl", USAGE, "no such folder"),
    ("{db}", USAGE, "would overwrite the corpus database"),
    ("{db}-wal", USAGE, "would overwrite a file of the corpus database"),
    ("{tmp}", USAGE, "is a folder"),
    ("/dev/full", OUTPUT, "No space left"),
])
def test_bad_outputs(db, tmp_path, out, code, reason):
    target = out.format(missing=tmp_path / "missing", db=db, tmp=tmp_path)
    if target == "/dev/full" and not Path(target).exists():
        pytest.skip("needs /dev/full (Linux)")
    before = db.read_bytes()
    line = check(cli("export", "--db", db, "-o", target), code, target)
    assert reason in line
    assert db.read_bytes() == before


# --------------------------------------------------------------------------- store cases
# (two writers on a new database, ten times: tests/test_reliability.py)
def test_concurrent_cli_batches_on_a_new_database(tmp_path):
    inputs = []
    for src in sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.txt")):
        if ".legacy." not in src.name:
            inputs.append(tmp_path / src.name)
            shutil.copy(src, inputs[-1])
    db = tmp_path / "corpus.db"
    cmd = [sys.executable, "-m", "vanban.cli", "batch", *map(str, inputs), "--db", str(db),
           "--jobs", "1", "--no-progress"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
             for _ in range(2)]
    results = [(p.wait(timeout=600), p.stderr.read().decode()) for p in procs]
    for code, stderr in results:
        assert code == 0, stderr
        assert "locked" not in stderr and "Traceback" not in stderr
    with Store(db, readonly=True) as store:
        assert store.stats()["documents"] == len(inputs)
        assert store.errors() == []


def test_damaged_database_refused_for_writing_untouched(db):
    corrupt_middle(db)
    before = db.read_bytes()
    line = check(cli("batch", PLAN, "--db", db, "--no-progress"), STORE, str(db))
    assert "damaged" in line and db.read_bytes() == before


def test_foreign_sqlite_file_unchanged_byte_for_byte(tmp_path):
    other = tmp_path / "app.db"
    before = foreign_db(other)
    line = check(cli("batch", PLAN, "--db", other, "--no-progress"), STORE, str(other))
    assert "not a vanban corpus database" in line
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]


def _readonly_copy(db: Path, wal: bool) -> Path:
    """A copy of ``db`` in a fresh folder, optionally left in WAL mode (as a batch still
    running, or killed, leaves it) with no -shm beside it."""
    folder = Path(tempfile.mkdtemp(prefix="vanban-ro-"))
    copy = folder / "corpus.db"
    shutil.copy(db, copy)
    if wal:
        conn = sqlite3.connect(copy)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.close()
    for side in folder.iterdir():
        if side.name != "corpus.db":
            side.unlink()
    return copy


_RO_MOUNT = ('mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && '
             'exec "$@"')


def _readonly_runner(folder: Path):
    """A function running a command with ``folder`` really read-only, or None.

    Not root: chmod 555 (the kernel enforces it). Root (whom chmod does not stop): a read-only
    bind mount of the folder in a private mount namespace (``unshare -m``), the read-only
    filesystem of the probe, where the machine allows it."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        return lambda cmd: subprocess.run(cmd, capture_output=True, timeout=120, cwd=ROOT)
    if not shutil.which("unshare"):
        return None

    def run(cmd):
        return subprocess.run(["unshare", "-m", "sh", "-c", _RO_MOUNT, "sh", str(folder), *cmd],
                              capture_output=True, timeout=120, cwd=ROOT)
    probe = run(["sh", "-c", f"! touch {folder / 'probe'} 2>/dev/null"])
    return run if probe.returncode == 0 else None


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal-without-shm"])
def test_database_in_a_read_only_place_is_readable(db, wal):
    """Reading commands open the file read-only (mode=ro, or immutable=1 where even the lock
    files cannot be made, as for a WAL file without its -shm): on a read-only filesystem they
    work and write nothing (before: search/query/export failed there)."""
    copy = _readonly_copy(db, wal)
    folder = copy.parent
    before, mtime = copy.read_bytes(), copy.stat().st_mtime_ns
    try:
        run = _readonly_runner(folder)
        if run is None:
            pytest.skip("root without mount namespaces: no way to make a folder read-only here "
                        "(test_reading_commands_write_nothing_to_the_database covers mode=ro)")
        assert run(["sh", "-c", f"touch {folder / 'probe'}"]).returncode != 0  # really read-only
        for args in (["search", "--db", copy, "tang cuong"], ["query", "--db", copy],
                     ["export", "--db", copy, "--format", "csv", "--kind", "task"]):
            proc = run([sys.executable, "-m", "vanban.cli", *map(str, args)])
            assert proc.returncode == 0, (args, proc.stderr.decode())
            assert proc.stdout.strip() and not proc.stderr.strip()
        assert copy.read_bytes() == before and copy.stat().st_mtime_ns == mtime
        assert [p.name for p in folder.iterdir()] == ["corpus.db"]
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize("args", [["export"], ["query", "--kind", "task"],
                                  ["search", "thư", "-n", "5000"]],
                         ids=["export", "query-table", "search-table"])
def test_a_reader_that_stops_early_ends_the_command_quietly(db, args):
    """`vanban query --kind task | head -3`: the rich table (query, search) ended with exit 1
    (rich's own broken-pipe exit) and nothing said; now exit 0 like export. The output here
    is well over a pipe's buffer (64 KiB; COLUMNS=60 makes the search table taller), so the
    command really meets the closed pipe."""
    env = {**os.environ, "COLUMNS": "60"}
    proc = subprocess.Popen([sys.executable, "-m", "vanban.cli", args[0], "--db", str(db),
                             *args[1:]], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT, env=env)
    proc.stdout.read(10)
    proc.stdout.close()  # `| head -c 10`
    assert proc.wait(timeout=120) == 0
    assert proc.stderr.read() == b""
