"""`vanban pdf` loads the restore/extract models and the PDF writers on a thread while it OCRs
(vanban.pipeline.preload_in_background): the same output as loading each when first used, and
a load that fails says so as it did before (same line, same exit code). Real Tesseract."""

from __future__ import annotations

import subprocess
import threading

import pikepdf
import pytest
from click.testing import CliRunner

from tests.support import synth
from vanban import pdfa
from vanban.cli import main
from vanban.pipeline import PipelineOptions, preload_in_background

DPI = 200
LINES = ["KẾ HOẠCH", "Đẩy mạnh công tác tuyên truyền, phổ biến pháp luật",
         "đến cán bộ, công chức và người dân trên địa bàn tỉnh."]


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    path = tmp_path_factory.mktemp("scan") / "trang.pdf"
    image = synth.render_lines(LINES, width_px=1654, dpi=DPI, font_pt=13)
    synth.save_pdf([image], path, dpi=DPI, quality=85)
    return path


def _text_and_record(pdf_path) -> tuple[str, bytes | None]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"],
                          capture_output=True, text=True, check=True).stdout
    with pikepdf.open(pdf_path) as pdf:
        spec = pdf.attachments.get("record.json")
        return text, spec.get_file().read_bytes() if spec is not None else None


def test_steps_run_in_order_and_a_failing_one_raises_nothing():
    done: list[str] = []

    def boom():
        done.append("boom")
        raise RuntimeError("a model that cannot load")

    thread = preload_in_background(PipelineOptions(normalize=False, extract=False),
                                   extra=(boom, lambda: done.append("next")))
    assert isinstance(thread, threading.Thread) and not thread.daemon
    thread.join(timeout=60)
    assert not thread.is_alive() and done == ["boom", "next"]


def test_background_loading_writes_the_same_pdf(scan, tmp_path, monkeypatch):
    outputs = {}
    for background in (False, True):
        monkeypatch.setattr(pdfa, "BACKGROUND_LOADING", background)
        out = tmp_path / f"out-{background}.pdf"
        run = CliRunner().invoke(main, ["pdf", str(scan), "-o", str(out), "-j", "2"])
        assert run.exit_code == 0, run.output
        outputs[background] = _text_and_record(out)
    assert "tuyên truyền" in outputs[True][0] and outputs[True][1]
    assert outputs[True] == outputs[False]


def test_a_model_that_fails_to_load_reports_as_without_the_thread(scan, tmp_path, monkeypatch):
    from vanban.normalize import restorer
    broken = tmp_path / "vi_syllable_lm.npz"
    broken.write_bytes(b"not a model")
    monkeypatch.setattr(restorer, "DEFAULT_MODEL", broken)
    monkeypatch.setattr(restorer, "_default", None)  # loaded by an earlier test: load again
    results = {}
    for background in (False, True):
        monkeypatch.setattr(pdfa, "BACKGROUND_LOADING", background)
        out = tmp_path / f"out-{background}.pdf"
        run = CliRunner().invoke(main, ["pdf", str(scan), "-o", str(out)])
        errors = [ln for ln in run.stderr.splitlines() if ln.startswith("vanban: error:")]
        assert "Traceback" not in run.output and len(errors) == 1, run.output
        assert not out.exists()
        results[background] = (run.exit_code, errors[0].replace(str(out), "OUT"))
    assert results[True] == results[False]
    # a damaged model is a missing dependency (exit 4, the file named), not an internal error
    assert results[True][0] == 4 and "language model cannot be read" in results[True][1]
    assert str(broken) in results[True][1]
