"""Versioned JSON Schemas of vanban's outputs (``plan-record-<version>.json``)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).parent


@lru_cache(maxsize=None)
def record_schema(version: str | None = None) -> dict:
    """The JSON Schema of a plan record (the current version by default)."""
    from ..model import RECORD_SCHEMA_VERSION
    path = SCHEMA_DIR / f"plan-record-{version or RECORD_SCHEMA_VERSION}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def validate_record(record: dict) -> None:
    """Raise ``jsonschema.ValidationError`` when ``record`` (a dict) breaks its schema."""
    import jsonschema
    schema = record_schema(record.get("schema_version"))
    jsonschema.Draft202012Validator(schema).validate(record)
