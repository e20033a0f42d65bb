"""The hand-annotated evaluation parts stay consistent: each `gold.yaml` is what its `<id>.json` files
say, every hand-typed string stands in the document text, and every text has its record.

Reads only `eval/extract/` (no extractor runs here, so the held-out parts stay unseen by it)."""
import importlib.util
import json
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parent.parent / "eval" / "extract"
PARTS = sorted(p.name for p in EVAL.iterdir() if (p / "gold.yaml").is_file())


def load_annotate():
    spec = importlib.util.spec_from_file_location("annotate", EVAL / "annotate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


annotate = load_annotate()


def test_hand_annotated_parts_are_found():
    assert {"val2", "val3", "val4"} <= set(PARTS)


@pytest.mark.parametrize("part", PARTS)
def test_every_hand_typed_string_occurs_in_its_text(part):
    _, missing = annotate.read_gold(EVAL / part)
    assert missing == []


@pytest.mark.parametrize("part", PARTS)
def test_json_records_are_the_annotation(part):
    records, _ = annotate.read_gold(EVAL / part)
    for rec in records:
        written = (EVAL / part / f"{rec['id']}.json").read_text(encoding="utf-8")
        assert written == annotate.as_json(rec), rec["id"]


@pytest.mark.parametrize("part", PARTS)
def test_every_text_has_one_record(part):
    records, _ = annotate.read_gold(EVAL / part)
    ids = [rec["id"] for rec in records]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(p.stem for p in (EVAL / part).glob("*.txt"))


def test_a_string_missing_from_the_text_is_reported(tmp_path):
    (tmp_path / "doc-1.txt").write_text("Kính gửi: Sở Y tế. 1. Sở Y tế chủ trì rà soát.", encoding="utf-8")
    (tmp_path / "gold.yaml").write_text(
        "ignore_spaces: false\n"
        "records:\n"
        "- id: doc-1\n"
        "  document: {type: Công văn, issuer: Ủy ban nhân dân tỉnh X}\n"
        "  composed: [Ủy ban nhân dân tỉnh X]\n"
        "  tasks:\n"
        "  - {path: '1', title: Sở Y tế chủ trì rà soát., lead: [Sở Y tế], partners: [Sở Tài chính]}\n",
        encoding="utf-8")
    records, missing = annotate.read_gold(tmp_path)
    assert missing == [("doc-1", "Sở Tài chính")]
    assert records[0]["tasks"][0]["lead"] == ["Sở Y tế"]
    assert json.loads(annotate.as_json(records[0]))["document"]["issuer"] == "Ủy ban nhân dân tỉnh X"
