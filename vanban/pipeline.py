"""The whole pipeline for one input: read (ocr or text) -> normalize -> extract.

``process_path`` is what ``vanban run`` and every ``vanban batch`` worker call, so a record made
on a Dask worker is the record made here.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputFileError, VanbanError
from .model import Document, PlanRecord

#: Suffixes read as text (legacy OCR dumps, born-digital text); everything else goes to ocr.
TEXT_SUFFIXES = {".txt", ".text"}


@dataclass
class PipelineOptions:
    """Settings of one pipeline run (``vanban run``, and each document of ``vanban batch``)."""
    jobs: int = 1                 # pages OCRed in parallel within one document
    normalize: bool = True
    restore_mode: str = "auto"    # see vanban.normalize.restore_text
    extract: bool = True
    ocr: dict = field(default_factory=dict)  # keyword arguments for vanban.ocr.OcrOptions
    #: ``vanban batch --pdf-dir``: also write each input's searchable PDF/A here (vanban.pdfa).
    pdf_dir: str | None = None


#: Restoration modes as the CLI spells them: a normalize mode, or "off" (no normalize stage).
RESTORE_MODES = ("auto", "stripped", "legacy", "ocr", "off")


def mode_options(mode: str) -> dict:
    """The :class:`PipelineOptions` fields for a restoration ``mode`` of :data:`RESTORE_MODES`."""
    if mode not in RESTORE_MODES:
        raise ValueError(f"unknown restoration mode {mode!r}; one of {', '.join(RESTORE_MODES)}")
    return {"normalize": mode != "off", "restore_mode": mode if mode != "off" else "auto"}


def default_jobs() -> int:
    """The CPUs this process may run on (the default number of parallel pages/documents)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


@dataclass
class PipelineResult:
    """The Document (normalised in place), its record (None without extract), stage seconds."""
    document: Document
    record: PlanRecord | None
    timings: dict


def decode_text(data: bytes) -> str:
    """Bytes of a text input as str: UTF-8 (with or without BOM), else a legacy 8-bit encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # TCVN3 / VNI files are 8-bit; latin-1 keeps every byte so normalize can map them.
        return data.decode("latin-1")


def _text_bytes(path: str | Path) -> bytes:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputFileError(f"cannot read: {err.strerror or err}", str(path)) from err
    if not data.strip():
        raise InputFileError("empty text file", str(path))
    if b"\x00" in data[:4096]:
        raise InputFileError("binary data, not text", str(path))
    return data


def read_text_file(path: str | Path) -> str:
    """Text input as str (see :func:`decode_text`); an empty or binary file is an InputFileError."""
    return decode_text(_text_bytes(path))


def text_document(source: str | Path) -> Document:
    """A text file, or standard input for ``"-"``, wrapped into a Document (no normalisation).

    A file's ``sha256`` is its content hash (as for every other input); stdin is read as it is.
    """
    if str(source) == "-":
        return Document.from_text(sys.stdin.read(), source="-")
    data = _text_bytes(source)
    doc = Document.from_text(decode_text(data), source=str(source))
    doc.sha256 = hashlib.sha256(data).hexdigest()  # = model.file_sha256, without reading again
    return doc


def load_document(path: str | Path, options: PipelineOptions | None = None) -> Document:
    """OCR a scan/PDF, or wrap a text file, into a Document (no normalisation yet)."""
    options = options or PipelineOptions()
    path = Path(path)
    if path.suffix.lower() in TEXT_SUFFIXES:
        return text_document(path)
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
