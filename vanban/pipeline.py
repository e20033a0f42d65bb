"""The whole pipeline for one input: read (ocr or text) -> normalize -> extract.

``process_path`` is what ``vanban run`` and every ``vanban batch`` worker call, so a record made
on a Dask worker is the record made here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputFileError, VanbanError
from .model import Document, PlanRecord, file_sha256

#: Suffixes read as text (legacy OCR dumps, born-digital text); everything else goes to ocr.
TEXT_SUFFIXES = {".txt", ".text"}


@dataclass
class PipelineOptions:
    jobs: int = 1                 # pages OCRed in parallel within one document
    normalize: bool = True
    restore_mode: str = "auto"    # see vanban.normalize.restore_text
    extract: bool = True
    ocr: dict = field(default_factory=dict)  # keyword arguments for vanban.ocr.OcrOptions


@dataclass
class PipelineResult:
    document: Document
    record: PlanRecord | None
    timings: dict


def read_text_file(path: str | Path) -> str:
    """Text input as str: UTF-8 (with or without BOM), else a legacy 8-bit encoding."""
    data = Path(path).read_bytes()
    if not data.strip():
        raise InputFileError("empty text file", str(path))
    if b"\x00" in data[:4096]:
        raise InputFileError("binary data, not text", str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # TCVN3 / VNI files are 8-bit; latin-1 keeps every byte so normalize can map them.
        return data.decode("latin-1")


def load_document(path: str | Path, options: PipelineOptions | None = None) -> Document:
    """OCR a scan/PDF, or wrap a text file, into a Document (no normalisation yet)."""
    options = options or PipelineOptions()
    path = Path(path)
    if path.suffix.lower() in TEXT_SUFFIXES:
        doc = Document.from_text(read_text_file(path), source=str(path))
        doc.sha256 = file_sha256(path)
        return doc
    from .ocr import OcrOptions, ocr_file
    return ocr_file(path, OcrOptions(jobs=options.jobs, **options.ocr))


def process_document(doc: Document, options: PipelineOptions | None = None) -> PipelineResult:
    """Normalize and extract an already loaded Document."""
    options = options or PipelineOptions()
    timings: dict[str, float] = {}
    if options.normalize:
        from .normalize import normalize_document
        t = time.perf_counter()
        doc = normalize_document(doc, mode=options.restore_mode)
        timings["normalize"] = time.perf_counter() - t
    record = None
    if options.extract:
        from .extract import extract_record
        t = time.perf_counter()
        try:
            record = extract_record(doc)
        except VanbanError as err:
            err.path = err.path or doc.source  # say which input it was, in a batch above all
            raise
        timings["extract"] = time.perf_counter() - t
    return PipelineResult(document=doc, record=record, timings=timings)


def process_path(path: str | Path, options: PipelineOptions | None = None) -> PipelineResult:
    """Run every stage on one input file."""
    t = time.perf_counter()
    doc = load_document(path, options)
    load_s = time.perf_counter() - t
    result = process_document(doc, options)
    result.timings = {"load": load_s, **result.timings}
    return result
