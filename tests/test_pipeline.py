"""End to end: the bundled sample scan through ocr -> normalize -> extract, with real Tesseract.

The sample (samples/ke-hoach-sample.pdf) is a degraded, sealed rendering of a public plan whose
gold record is a test fixture, so the record is scored against that gold, field by field.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.cli import main
from vanban.errors import InputFileError
from vanban.extract.evaluate import evaluate_records
from vanban.model import PlanRecord, file_sha256
from vanban.pipeline import PipelineOptions, mode_options, process_path, text_document
from vanban.schema import validate_record

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "ke-hoach-sample.pdf"
SAMPLE_GOLD = ROOT / "tests" / "fixtures" / "plans" / "gold" / "tnt305-6a406c1f9dfed9c3.json"


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """One CLI run of the sample, shared by the assertions below (OCR is the slow part)."""
    out = tmp_path_factory.mktemp("run") / "record.json"
    result = CliRunner().invoke(main, ["run", str(SAMPLE), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_sample_record_matches_its_gold(sample_run):
    gold = json.loads(SAMPLE_GOLD.read_text(encoding="utf-8"))
    validate_record(sample_run)
    doc = sample_run["document"]
    for key in ("type", "number", "issuer", "place", "date"):
        assert doc[key] == gold["document"][key], key
    assert sample_run["legal_bases"] == gold["legal_bases"]
    assert sample_run["signature"]["name"] == gold["signature"]["name"]
    scores = evaluate_records({"sample": sample_run}, {"sample": gold})
    for field in ("purposes", "requirements", "implementation"):
        assert scores["fields"][field]["f1"] >= 0.9, (field, scores["fields"][field])


@pytest.mark.slow
def test_sample_record_points_back_to_the_scan(sample_run):
    provenance = sample_run["provenance"]
    assert provenance["pages"] == 3
    refs = [ref for refs in sample_run["item_provenance"]["purposes"] for ref in refs]
    assert refs and all(ref["page"] >= 1 and ref["bbox"] for ref in refs)


def test_text_input_goes_through_normalize_and_extract(tmp_path):
    """A stripped (diacritic-free) legacy dump: restored, then extracted."""
    text = (ROOT / "tests" / "fixtures" / "corpus" / "kh-thu-vien-ha-giang.legacy.txt")
    result = process_path(text, PipelineOptions())
    assert isinstance(result.record, PlanRecord)
    assert result.record.document["type"] == "Kế hoạch"
    assert result.record.purposes
    assert "normalize" in result.timings and "extract" in result.timings


def test_restoration_modes_map_onto_pipeline_options():
    assert mode_options("off") == {"normalize": False, "restore_mode": "auto"}
    assert mode_options("legacy") == {"normalize": True, "restore_mode": "legacy"}
    with pytest.raises(ValueError, match="unknown restoration mode"):
        mode_options("of")


def test_text_document_keys_by_file_content_and_reads_legacy_bytes(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + "Kế hoạch\fTrang 2\n".encode("utf-8"))
    doc = text_document(bom)
    assert doc.text == "Kế hoạch\fTrang 2\n" and len(doc.pages) == 2
    assert doc.sha256 == file_sha256(bom) and doc.source == str(bom)
    legacy = tmp_path / "tcvn3.txt"
    legacy.write_bytes(b"K\xd5 ho\xb9ch")  # TCVN3 bytes are not UTF-8: kept byte for byte
    assert text_document(legacy).text == "K\xd5 ho\xb9ch"


@pytest.mark.parametrize("content, reason", [(b" \n\t", "empty text file"),
                                             (b"\x00\x01junk", "binary data, not text")])
def test_bad_text_inputs_fail_with_one_line_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        text_document(path)
    assert str(info.value) == f"{path}: {reason}" and info.value.exit_code == 3
    for command in (["run", str(path)], ["extract", str(path)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 3, (command, result.output)
        assert result.stderr == f"vanban: error: {path}: {reason}\n"


def test_text_that_is_not_a_document_exits_5_naming_the_file(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_text("%%% 123 ### ~~~ 456 @@@\n" * 5, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path), "--mode", "off"])
    assert result.exit_code == 5, result.output
    assert result.stderr.startswith(f"vanban: error: {path}: ") and result.stderr.count("\n") == 1


def test_an_output_path_that_cannot_be_written_is_a_usage_error(tmp_path):
    text = ROOT / "tests" / "fixtures" / "plans" / "tnt305-6a406c1f9dfed9c3.txt"
    out = tmp_path / "no-such-folder" / "record.json"
    result = CliRunner().invoke(main, ["extract", str(text), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"vanban: error: {out}: -o: no such folder {out.parent}\n"
    assert not out.parent.exists()


def test_correct_text_input_is_taken_as_written(tmp_path):
    """Born-digital text with its diacritics is not "corrected" towards commoner words."""
    text = ("KẾ HOẠCH\nPhấn đấu trên 50% diện tích sản xuất nông nghiệp chủ lực (lúa, xoài, "
            "hoa kiểng) ứng dụng công nghệ cao; tăng tốc chuyển đổi số trong nông nghiệp.\n")
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    doc = process_path(path, PipelineOptions(extract=False)).document
    assert doc.text == text
    assert all(w.raw is None for _, line in doc.iter_lines() for w in line.words)
    assert doc.meta["normalize"]["mode"] == "none"
    forced = process_path(path, PipelineOptions(extract=False, restore_mode="ocr")).document
    assert forced.meta["normalize"]["mode"] == "ocr"


def test_correct_text_input_still_gets_a_requested_tone_style():
    from vanban.model import Document
    from vanban.normalize import normalize_document
    doc = Document.from_text("Kế hoạch phát triển văn hóa và thủy lợi của tỉnh\n")
    normalize_document(doc, tone_style="new")
    assert doc.meta["normalize"]["mode"] == "none"
    assert "hoá" in doc.text and "thuỷ" in doc.text


# ------------------------------------------------------------------ options, source, preload
def test_process_path_names_the_given_source_not_the_copy(tmp_path):
    """A batch worker reads a temporary copy of an input: the record and errors name the
    input (``source``), and the record is otherwise the one made from the original."""
    original = ROOT / "tests" / "fixtures" / "corpus" / "kh-thu-vien-ha-giang.txt"
    copy = tmp_path / "copy" / original.name
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())
    direct = process_path(original, PipelineOptions()).record.to_dict()
    named = process_path(copy, PipelineOptions(), source=str(original)).record.to_dict()
    assert named["provenance"]["source"] == str(original)
    assert str(tmp_path) not in json.dumps(named, ensure_ascii=False)
    for rec in (direct, named):
        rec.pop("timings", None)
        rec["provenance"].pop("timings", None)
    assert named == direct
    empty = tmp_path / "copy" / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(InputFileError) as err:
        process_path(empty, PipelineOptions(), source="inbox/empty.txt")
    assert err.value.path == "inbox/empty.txt" and str(tmp_path) not in str(err.value)


def test_pipeline_options_take_typed_ocr_options():
    from vanban.ocr import OcrOptions
    typed = PipelineOptions(jobs=3, ocr=OcrOptions(deskew=False))
    assert typed.ocr_options() == OcrOptions(jobs=3, deskew=False)
    from_dict = PipelineOptions(jobs=2, ocr={"force_ocr": True})  # older callers' dicts
    assert isinstance(from_dict.ocr, OcrOptions) and from_dict.ocr.force_ocr
    assert from_dict.ocr_options().jobs == 2
    assert PipelineOptions().ocr_options() == OcrOptions(jobs=1)
    with pytest.raises(TypeError):
        PipelineOptions(ocr={"no_such_option": 1})


def test_preload_loads_the_models_of_the_stages_it_is_asked_for():
    """In a fresh interpreter: preload() loads the restorer's models and extract's spaCy
    matchers (their slow first use) only for the stages the options run."""
    import subprocess
    import sys
    code = (
        "import sys\n"
        "from vanban import pipeline\n"
        "import vanban.normalize.restorer as r\n"
        "assert r._default is None and 'spacy' not in sys.modules\n"
        "pipeline.preload(pipeline.PipelineOptions(normalize=False, extract=False))\n"
        "assert r._default is None and 'spacy' not in sys.modules\n"
        "pipeline.preload()\n"
        "assert r._default is not None and 'spacy' in sys.modules\n"
        "pipeline.preload()  # a second call finds everything loaded\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
