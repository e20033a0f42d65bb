"""What a command loads before its work: modules it does not use are not imported (process
start is part of what `vanban ocr` and `vanban pdf` cost, bench/ocr_bench.py and
bench/pdf_speed.py), and what is imported another way behaves the same.

Each check runs in a fresh interpreter, whose ``sys.modules`` holds only what it imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from vanban import pdfa


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; "
                          "print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_the_ocr_command_loads_no_process_pool():
    loaded = _modules_after("import vanban.cli, vanban.ocr\n"
                            "from vanban.executors import make_executor\n"
                            "make_executor('thread', 2).close()")
    assert "vanban.ocr" in loaded
    assert not {"multiprocessing", "concurrent.futures.process"} & loaded


def test_a_process_pool_still_runs_and_breaks_as_before():
    from vanban.executors import make_executor
    with make_executor("process", 1) as ex:
        assert ex.map(abs, [-1, -2]) == [1, 2]
        from concurrent.futures.process import BrokenProcessPool
        assert ex._broken_errors == (BrokenProcessPool,)
    assert make_executor("thread", 1)._broken_errors == ()


def test_spacy_loads_without_its_commands():
    loaded = _modules_after(
        "from vanban.extract.entities import annotate\n"
        "assert annotate('Số 12/KH-UBND ngày 3 tháng 4 năm 2024')")
    assert "spacy" in loaded and "spacy.matcher" in loaded
    assert not {m for m in loaded if m == "spacy.cli" or m.startswith("spacy.cli.")}
    assert not {"typer", "requests", "weasel", "jinja2"} & loaded


def test_spacy_commands_still_import_after_it():
    code = ("from vanban.extract.spacy_load import load_spacy\n"
            "spacy = load_spacy()\n"
            "import spacy.cli\n"
            "from spacy.cli.info import info\n"
            "assert spacy.info.__module__ == 'vanban.extract.spacy_load'\n"
            "assert callable(spacy.cli.download) and callable(info)\n")
    assert "spacy.cli.download" in _modules_after(code)


def test_spacy_cli_is_an_attribute_after_it_as_after_a_plain_import():
    # the notebook idiom: `import spacy; spacy.cli.download(...)`, without `import spacy.cli`
    code = ("from vanban.extract.spacy_load import load_spacy\n"
            "load_spacy()\n"
            "import spacy\n"
            "assert 'spacy.cli' not in __import__('sys').modules\n"
            "assert callable(spacy.cli.download)\n"
            "try:\n"
            "    spacy.no_such_name\n"
            "except AttributeError as err:\n"
            "    assert 'no_such_name' in str(err)\n"
            "else:\n"
            "    raise AssertionError('spacy.no_such_name exists')\n")
    assert "spacy.cli.download" in _modules_after(code)


def test_spacy_is_imported_the_plain_way_when_the_placeholders_fail():
    # a spaCy whose package needs more of its CLI than the placeholders give: simulated by
    # an import of one of its modules that fails once
    code = (
        "import importlib.abc, sys\n"
        "class FailOnce(importlib.abc.MetaPathFinder):\n"
        "    failed = False\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'spacy.vocab' and not FailOnce.failed:\n"
        "            FailOnce.failed = True\n"
        "            raise ImportError('simulated')\n"
        "        return None\n"
        "sys.meta_path.insert(0, FailOnce())\n"
        "from vanban.extract.spacy_load import load_spacy\n"
        "spacy = load_spacy()\n"
        "assert FailOnce.failed\n"
        "assert len(spacy.blank('xx')('một hai ba')) == 3\n")
    loaded = _modules_after(code)
    assert "spacy.cli" in loaded  # the plain import, CLI and all


def _pdf(path: Path, signed: bool) -> Path:
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        if signed:
            value = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Sig))
            field = pdf.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Sig,
                                                         T=pikepdf.String("Sig1"), V=value))
            pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field])
        pdf.save(path)
    return path


def test_only_the_writers_the_inputs_need_are_loaded_ahead(tmp_path):
    plain = _pdf(tmp_path / "plain.pdf", signed=False)
    signed = _pdf(tmp_path / "signed.pdf", signed=True)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really")
    image = tmp_path / "page.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    keep, invalidate = pdfa.PdfOptions(), pdfa.PdfOptions(signature="invalidate")
    # (incremental update by pyHanko, PDF/A by pikepdf)
    assert pdfa._writers_needed([plain, broken, image], keep) == (False, True)
    assert pdfa._writers_needed([signed], keep) == (True, False)
    assert pdfa._writers_needed([signed, plain], keep) == (True, True)
    assert pdfa._writers_needed([signed], invalidate) == (False, True)
    assert pdfa._writers_needed([plain] * (pdfa.SIGNATURE_PEEK + 1), keep) == (True, True)


@pytest.mark.parametrize("where", ["named", "in a folder", "stdin"])
def test_a_fifo_is_not_opened_to_look_for_a_signature(tmp_path, where):
    # opening a FIFO blocks until a writer comes: it is refused by `vanban pdf` as before, and
    # a hang fails here (timeout) instead of blocking the suite
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(tmp_path / "pipe.pdf")
    os.mkfifo(folder / "b.pdf")
    given = {"named": tmp_path / "pipe.pdf", "in a folder": folder, "stdin": "/dev/stdin"}[where]
    # stdin: a pipe with no writer's end closed (this process keeps it open)
    read_end, write_end = os.pipe()
    try:
        done = subprocess.run([sys.executable, "-m", "vanban.cli", "pdf", str(given), "-o",
                               str(tmp_path / "out")], stdin=read_end, capture_output=True,
                              text=True, timeout=60)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert done.returncode == 3, done.stderr
    assert "FIFO" in done.stderr and "not a regular file" in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("incremental,finished", [(False, True), (True, False)])
def test_the_pdf_writers_import_what_they_are_asked_for(incremental, finished):
    loaded = _modules_after(f"from vanban.pdfa import import_pdf_writers\n"
                            f"import_pdf_writers(incremental={incremental}, pdfa={finished})")
    assert "ocrmypdf.fpdf_renderer" in loaded
    assert ("pikepdf.pdfa" in loaded) == finished
    assert ("pyhanko.pdf_utils.incremental_writer" in loaded) == incremental
