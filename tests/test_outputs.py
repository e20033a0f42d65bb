"""No output path may ever be the store or an input; outputs are replaced atomically."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.cli import main
from vanban.corpus import Store
from tests.support.synthetic import synthetic_store
from vanban.errors import OutputError, OutputWriteError
from vanban.outputs import atomic_output, check_output


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path) -> Path:
    return synthetic_store(tmp_path / "v.db", range(3))


def _run(args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("how", ["same", "relative", "hardlink", "symlink", "wal"])
def test_export_never_overwrites_the_store(db, tmp_path, monkeypatch, how):
    before = _digest(db)
    out = db
    if how == "relative":
        monkeypatch.chdir(tmp_path)
        out = Path(".") / "sub" / ".." / "v.db"
        (tmp_path / "sub").mkdir()
    elif how == "hardlink":
        out = tmp_path / "hard.db"
        os.link(db, out)
    elif how == "symlink":
        out = tmp_path / "link.db"
        out.symlink_to(db)
    elif how == "wal":
        out = Path(str(db) + "-wal")
    result = _run(["export", "--db", db, "-o", out])
    assert result.exit_code == 2, result.output
    assert "would overwrite" in result.output and "Traceback" not in result.output
    assert db.stat().st_size > 0 and _digest(db) == before
    with Store(db, readonly=True) as store:
        assert len(store.query("document")) == 3


def test_query_search_never_overwrite_the_store(db):
    before = _digest(db)
    for args in (["query", "--db", db, "-o", db], ["search", "--db", db, "-o", db, "thu"]):
        result = _run(args)
        assert result.exit_code == 2 and "would overwrite" in result.output
    assert _digest(db) == before


def test_text_commands_never_overwrite_their_input(tmp_path):
    text = tmp_path / "plan.txt"
    text.write_text("Ủy ban nhân dân tỉnh Hà Giang\nKẾ HOẠCH\nPhát triển thư viện\n",
                    encoding="utf-8")
    before = _digest(text)
    link = tmp_path / "alias.txt"
    os.link(text, link)
    for args in (["restore", text, "-o", text], ["restore", text, "-o", link],
                 ["extract", text, "-o", link], ["run", text, "-o", text],
                 ["ocr", text, "-o", text]):
        result = _run(args)
        assert result.exit_code == 2, (args, result.output)
        assert "would overwrite an input" in result.output
    assert _digest(text) == before


def test_batch_db_or_summary_cannot_be_an_input(tmp_path):
    text = tmp_path / "plan.txt"
    text.write_text("Ủy ban nhân dân tỉnh Hà Giang\nKẾ HOẠCH\n", encoding="utf-8")
    before = _digest(text)
    for args in (["batch", text, "--db", text], ["batch", text, "--db", tmp_path / "v.db",
                                                 "--summary-json", text]):
        result = _run(args)
        assert result.exit_code == 2 and "would overwrite" in result.output
    assert _digest(text) == before and not (tmp_path / "v.db").exists()


def test_output_folder_is_checked_before_any_work(tmp_path):
    with pytest.raises(OutputError, match="no such folder"):
        check_output(tmp_path / "missing" / "x.txt")
    with pytest.raises(OutputError, match="is a folder"):
        check_output(tmp_path)


def test_a_failed_write_leaves_the_old_file_whole(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("old content\n")
    with pytest.raises(RuntimeError):
        with atomic_output(out) as f:
            f.write("half of the new")
            raise RuntimeError("killed half-way")
    assert out.read_text() == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary left behind
    with atomic_output(out) as f:
        f.write("new\n")
    assert out.read_text() == "new\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_disk_full_is_one_line_exit_7(db):
    with pytest.raises(OutputWriteError):
        with atomic_output("/dev/full") as f:
            f.write("x" * 100_000)
    result = _run(["export", "--db", db, "-o", "/dev/full"])
    assert result.exit_code == 7
    assert "No space left" in result.output and "Traceback" not in result.output
