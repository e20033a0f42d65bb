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
from vanban.extract.evaluate import evaluate_records
from vanban.model import PlanRecord
from vanban.pipeline import PipelineOptions, process_path
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
