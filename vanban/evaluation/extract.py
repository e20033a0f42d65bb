"""``vanban evaluate extract``: plan records scored against gold records
(:func:`vanban.extract.evaluate.evaluate_records`), the records read from JSON files or made
from texts, page texts, or texts run through normalize first (as ``vanban run`` does).

Gold format: shared/dev/GOLD-FORMAT.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputFileError
from ..extract.evaluate import evaluate_records
from ..model import PAGE_SEPARATOR, Document
from ..pipeline import read_text_file


def read_record(path: Path) -> dict:
    """A gold or system record file; a file that is not a JSON object is an InputFileError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputFileError(f"not a JSON record: {err}", str(path)) from err
    if not isinstance(data, dict):
        raise InputFileError("not a JSON record: the file holds no JSON object", str(path))
    return data


def load_golds(gold_dir: str | Path) -> dict[str, dict]:
    """Gold records ``<id>.json`` of a folder, keyed by their ``id`` (else the file name)."""
    out = {}
    for p in sorted(Path(gold_dir).glob("*.json")):
        g = read_record(p)
        out[g.get("id") or p.stem] = g
    return out


def page_text(folder: Path) -> str:
    """The page texts ``page-*.gt.txt`` (else ``page-*.txt``) of a folder, joined with form feeds."""
    pages = sorted(folder.glob("page-*.gt.txt")) or sorted(folder.glob("page-*.txt"))
    return PAGE_SEPARATOR.join(read_text_file(p) for p in pages)


def evaluate_extract_inputs(gold_dir, records=(), text_dir=None, pages_dir=None,
                            threshold: float = 85.0, extract=None, text_suffix: str = ".txt",
                            pipeline: bool = False, flatten: bool = False) -> dict:
    """Load golds, get records (JSON files/folders, or extracted from texts / page texts), score.

    ``pipeline``: run each text through normalize before extract (what ``vanban run`` does with a
    text file, e.g. legacy English-model OCR dumps). ``flatten``: every text folded to one line
    first (whitespace runs to one space), the shape of web-page copies and database dumps.
    """
    golds = load_golds(gold_dir)
    recs: dict[str, dict] = {}
    if text_dir or pages_dir:
        if pipeline:
            from ..pipeline import process_document

            def extract(doc):
                return process_document(doc).record
        elif extract is None:
            from ..extract import extract_record as extract
        for doc_id in golds:
            if text_dir:
                path = Path(text_dir) / f"{doc_id}{text_suffix}"
                if not path.exists():
                    continue
                text = read_text_file(path)
            else:
                folder = Path(pages_dir) / doc_id
                if not folder.is_dir():
                    continue
                text = page_text(folder)
            if flatten:
                text = " ".join(text.split())
            recs[doc_id] = extract(Document.from_text(text, source=str(doc_id))).to_dict()
        golds = {k: v for k, v in golds.items() if k in recs}
    for r in records:
        paths = sorted(Path(r).glob("*.json")) if Path(r).is_dir() else [Path(r)]
        for p in paths:
            d = read_record(p)
            recs[d.get("id") or p.stem] = d
    if records:
        golds = {k: v for k, v in golds.items() if k in recs}
    return evaluate_records(recs, golds, threshold)
