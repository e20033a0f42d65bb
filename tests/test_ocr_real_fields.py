"""Grading of header fields in scripts/eval_real_fields.py (the real scans are not needed)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "eval_real_fields", Path(__file__).resolve().parent.parent / "scripts" / "eval_real_fields.py")
assert _SPEC and _SPEC.loader
fields = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(fields)

GOLD = "Sở Giáo dục và Đào tạo thành phố Đà Nẵng"


def test_issuer_with_its_parent_body_in_the_record_is_right():
    doc = {"issuer": "Sở Giáo dục và Đào tạo", "issuer_parent": "Ủy ban nhân dân thành phố Đà Nẵng"}
    assert fields.grade("issuer", GOLD, doc, []) == "right"


def test_issuer_without_parent_is_incomplete_and_another_parent_is_not_right():
    assert fields.grade("issuer", GOLD, {"issuer": "Sở Giáo dục và Đào tạo"}, []) == "incomplete"
    doc = {"issuer": "Sở Giáo dục và Đào tạo", "issuer_parent": "Ủy ban nhân dân thành phố Hà Nội"}
    assert fields.grade("issuer", GOLD, doc, []) == "incomplete"
    assert fields.grade("issuer", GOLD, {"issuer": "Sở Tư pháp"}, []) == "wrong"


def test_number_without_digits_is_partial_only_when_flagged():
    doc = {"number": "…/CT-UBND"}
    assert fields.grade("number", "11/CT-UBND", doc, ["number: digits missing (handwritten)"]) == "partial"
    assert fields.grade("number", "11/CT-UBND", doc, []) == "wrong"
