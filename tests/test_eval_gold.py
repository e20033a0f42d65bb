"""The hand-annotated evaluation parts stay consistent: each `gold.yaml` is what its `<id>.json` files
say, every hand-typed string stands in the document text, and every text has its record.

Reads only `eval/extract/` (no extractor runs here, so the held-out parts stay unseen by it)."""
import importlib.util
import json
import re
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parent.parent / "eval" / "extract"
PARTS = sorted(p.name for p in EVAL.iterdir() if (p / "gold.yaml").is_file())
GOLD_PARTS = sorted(p.name for p in EVAL.iterdir() if p.is_dir() and any(p.glob("*.json")))
RECORD_FIELDS = {"id", "document", "legal_bases", "purposes", "requirements", "objectives", "tasks",
                 "implementation", "signature"}


def load_annotate():
    spec = importlib.util.spec_from_file_location("annotate", EVAL / "annotate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


annotate = load_annotate()


def test_hand_annotated_parts_are_found():
    assert {"val2", "val3", "val4", "val5"} <= set(PARTS)


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


def is_text(value):
    return isinstance(value, str) and value.strip() == value and value != ""


def check_gold_shape(rec):
    """The gold format's shape (../shared/dev/GOLD-FORMAT.md): field names and value types."""
    assert set(rec) == RECORD_FIELDS
    doc = rec["document"]
    assert set(doc) == set(annotate.DOCUMENT_FIELDS)
    # A text with no header of its own (a table cut from its document) names no kind; the
    # kind is then null like the number, never guessed.
    assert is_text(doc["type"]) or (doc["type"] is None and doc["number"] is None)
    assert all(doc[k] is None or is_text(doc[k]) for k in annotate.DOCUMENT_FIELDS)
    assert doc["date"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", doc["date"])
    for field in ("legal_bases", "purposes", "requirements", "implementation"):
        assert all(is_text(s) for s in rec[field]), field
    for obj in rec["objectives"]:
        assert set(obj) == {"scope", "text", "targets"} and obj["scope"] in ("general", "specific")
        assert is_text(obj["text"])
        for target in obj["targets"]:
            assert set(target) == {"value", "unit", "year"}
            assert isinstance(target["value"], (int, float)) and isinstance(target["unit"], str)
            assert target["year"] is None or isinstance(target["year"], int)
    paths = [t["path"] for t in rec["tasks"]]
    # Paths are the document's own numbers: only an appendix table may number two rows alike
    # (val6's 624 repeats rows 22 and 37); a repeat in the body is an annotation slip.
    repeated = {p for p in paths if paths.count(p) > 1}
    assert all(p.startswith("PL.") for p in repeated), f"task paths repeat: {sorted(repeated)}"
    for t in rec["tasks"]:
        assert set(t) == {"path", "title", "lead", "partners", "timeframe"}
        assert isinstance(t["path"], str) and is_text(t["title"])
        assert all(is_text(a) for a in t["lead"] + t["partners"])
        assert t["timeframe"] is None or is_text(t["timeframe"])
    sig = rec["signature"]
    assert sig is None or (set(sig) == {"title", "name"} and all(map(is_text, sig.values())))


@pytest.mark.parametrize("part", GOLD_PARTS)
def test_gold_records_have_the_gold_format(part):
    for path in sorted((EVAL / part).glob("*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        assert rec["id"] == path.stem
        check_gold_shape(rec)


def test_a_gold_record_out_of_shape_is_caught():
    rec = annotate.record("doc-1", {"type": "Công văn", "date": "24/11/2025"})
    with pytest.raises(AssertionError):
        check_gold_shape(rec)
    rec["document"]["date"] = "2025-11-24"
    check_gold_shape(rec)
    rec["tasks"] = [annotate.task("1", "Sở Y tế chủ trì rà soát."), annotate.task("1", "Lặp.")]
    with pytest.raises(AssertionError):
        check_gold_shape(rec)


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
