"""The whole pipeline for one input: read (ocr or text) -> normalize -> extract.

``process_path`` is what ``vanban run`` and every ``vanban batch`` worker call, so a record made
on a Dask worker is the record made here.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import sys
import threading
import unicodedata
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple

from .errors import InputFileError, UnsupportedInputError, VanbanError, check_regular_file
from .model import Document, PlanRecord

if TYPE_CHECKING:
    from .ocr import OcrOptions

#: Suffixes read as text (legacy OCR dumps, born-digital text); everything else goes to ocr.
TEXT_SUFFIXES = {".txt", ".text"}


@dataclass
class PipelineOptions:
    """Settings of one pipeline run (``vanban run``, and each document of ``vanban batch``)."""
    jobs: int = 1                 # pages OCRed in parallel within one document
    normalize: bool = True
    restore_mode: str = "auto"    # see vanban.normalize.restore_text
    extract: bool = True
    #: Settings of the ocr stage (its ``jobs`` is this object's); None: the stage's defaults.
    #: A dict of :class:`vanban.ocr.OcrOptions` fields is accepted and turned into one.
    ocr: OcrOptions | None = None
    #: Called once per OCRed page with the number of pages (a progress bar); not for batches.
    progress: Callable[[int], None] | None = None
    #: ``vanban batch --pdf-dir``: also write each input's searchable PDF/A here (vanban.pdfa).
    pdf_dir: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.ocr, dict):
            from .ocr import OcrOptions  # here, not above: importing the ocr stage takes time
            self.ocr = OcrOptions(**self.ocr)

    def ocr_options(self) -> OcrOptions:
        """The ocr stage's settings for this run, with this run's ``jobs``."""
        from .ocr import OcrOptions
        return replace(self.ocr or OcrOptions(), jobs=self.jobs)


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


#: Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
#: Control characters that never occur in a text document (tab, newlines and form feed do).
_BINARY_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
#: Among them the separators (file, group, unit): they stand between words or fields, so
#: they become a space, not nothing ("KH\x1cUBND" is not "KHUBND"); U+001E is also Word's
#: non-breaking hyphen in its plain-text export ("123/KH\x1eUBND"), so it becomes "-".
_SEPARATOR_RE = re.compile(r"[\x1c\x1d\x1f]")
#: Share of such characters above which the input is binary junk, not text.
MAX_CONTROL_SHARE = 0.01
#: Bytes of an 8-bit file compared under each candidate encoding.
_SAMPLE_BYTES = 200_000


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is NUL (Latin and Vietnamese text in
    UTF-16 has a NUL high byte for most characters), else None."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _vietnamese_share(text: str) -> float:
    from .normalize.encodings import _known_share
    from .normalize.restorer import get_restorer
    return _known_share(text, get_restorer().lm.index.__contains__)


def _eight_bit_encoding(data: bytes) -> str:
    """'cp1258' (Windows Vietnamese) or 'latin-1' for an 8-bit file that is not UTF-8.

    latin-1 keeps every byte, so normalize can recognise and map the legacy font encodings
    (TCVN3, VNI); cp1258 (base letters plus combining tone marks) is chosen when it reads as
    more known Vietnamese syllables than the best legacy conversion of the same bytes.
    """
    sample = data[:_SAMPLE_BYTES]
    try:
        as_cp1258 = unicodedata.normalize("NFC", sample.decode("cp1258"))
    except UnicodeDecodeError:
        return "latin-1"  # a byte cp1258 does not define
    from .normalize.encodings import convert_legacy_encoding
    as_legacy, _ = convert_legacy_encoding(sample.decode("latin-1"))
    cp1258_share = _vietnamese_share(as_cp1258)
    return "cp1258" if cp1258_share > max(0.3, _vietnamese_share(as_legacy)) else "latin-1"


#: A line that shows a file is UTF-8: valid UTF-8 with at least this many multi-byte
#: characters (an 8-bit line is almost never valid UTF-8 with even one).
_UTF8_EVIDENCE_CHARS = 2


def _mixed_utf8_lines(data: bytes) -> list[tuple[bytes, bool]] | None:
    """The lines of ``data`` (line ends kept), each with whether it is UTF-8, when the file is
    UTF-8 with some lines in another encoding (a UTF-8 file with lines pasted from a
    Windows-1258 one, two dumps joined): at least one line holds real UTF-8 text and at
    least one is not UTF-8. None otherwise (a file of one encoding)."""
    lines = data.splitlines(keepends=True)
    marked, evidence, other = [], False, False
    for line in lines:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            marked.append((line, False))
            other = True
            continue
        marked.append((line, True))
        if sum(1 for ch in text if ord(ch) > 0x7F) >= _UTF8_EVIDENCE_CHARS:
            evidence = True
    return marked if evidence and other else None


def _unicode_encoding(data: bytes) -> str | None:
    """A BOM's encoding (UTF-8/16/32), UTF-16 without BOM, or UTF-8; None for a file that is
    (at least in part) 8-bit text."""
    found = _marked_encoding(data)
    if found:
        return found
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return None


def _marked_encoding(data: bytes) -> str | None:
    """A BOM's encoding (UTF-8/16/32), or UTF-16 without BOM; None otherwise."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return _utf16_without_bom(data)


def detect_text_encoding(data: bytes) -> str:
    """The encoding of a text input's bytes: a BOM's (UTF-8/16/32), UTF-16 without BOM,
    UTF-8, else an 8-bit one (:func:`_eight_bit_encoding`)."""
    return _unicode_encoding(data) or _eight_bit_encoding(data)


#: Line breaks other than "\n": CR LF, CR alone, NEL and the Unicode line/paragraph
#: separators (the vertical tab, a line break in Word's plain-text export, too).
_LINE_BREAK_RE = re.compile("\r\n|[\r\x0b\x85\u2028\u2029]")
#: The same for text read as 8-bit: there U+0085 is byte 0x85 read as latin-1, a letter of
#: the legacy font encodings (TCVN3 "Ặ"), not NEL; U+2028/U+2029 cannot occur.
_EIGHT_BIT_LINE_BREAK_RE = re.compile("\r\n|[\r\x0b]")


def _one_line_break(text: str, unicode: bool) -> str:
    """Every line break of ``text`` as "\n"; ``unicode``: it was decoded from UTF-8/16/32,
    where NEL and U+2028/U+2029 are line breaks, else from an 8-bit encoding."""
    if unicode:
        return _LINE_BREAK_RE.sub("\n", text)
    # Byte 0x85 read as latin-1 is U+0085, which Python also takes for white space
    # (str.split: "ĐẶC" in TCVN3 became the words "Đ" and "C"): it is given as the
    # same byte read as Windows-1252 ("…"), which the legacy tables map alike.
    return _EIGHT_BIT_LINE_BREAK_RE.sub("\n", text).replace("\x85", "\u2026")


class DecodedPart(NamedTuple):
    """A part of a text input, decoded."""
    text: str
    #: Decoded from UTF-8/16/32 (where NEL, U+2028 and U+2029 break lines), not 8-bit.
    unicode: bool


def _decoded_parts(data: bytes, source: str) -> list[DecodedPart]:
    """``data`` decoded, each byte once, as parts: one part for a file of one encoding, one
    per line for a UTF-8 file with lines in an 8-bit encoding (:func:`_mixed_utf8_lines`)."""
    encoding = _marked_encoding(data)
    if encoding is None:
        try:
            return [DecodedPart(data.decode("utf-8"), True)]
        except UnicodeDecodeError:
            pass
        mixed = _mixed_utf8_lines(data)
        if mixed is not None:
            # Each line in its own encoding: the UTF-8 lines as UTF-8, the others as the
            # 8-bit encoding they read best in together (instead of the whole file as 8-bit
            # text, which turned every UTF-8 letter into two garbage characters).
            eight_bit = _eight_bit_encoding(b"".join(line for line, utf8 in mixed if not utf8))
            return [DecodedPart(line.decode("utf-8"), True) if utf8 else
                    DecodedPart(unicodedata.normalize("NFC", line.decode(eight_bit)), False)
                    for line, utf8 in mixed]
        encoding = _eight_bit_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:  # a UTF-16/32 file cut in the middle of a character
        raise UnsupportedInputError(f"not valid {encoding.upper()} text ({err.reason})",
                                    source) from None
    if encoding == "cp1258":
        return [DecodedPart(unicodedata.normalize("NFC", text), False)]
    return [DecodedPart(text, encoding != "latin-1")]


def decode_text(data: bytes, source: str = "-", line_breaks: bool = False) -> str:
    """Bytes of a text input as str, in the encoding :func:`detect_text_encoding` finds (a
    UTF-8 file with some 8-bit lines: each line in its own). ``line_breaks``: every line
    break as "\n" (CR alone, CR LF, and in text decoded from UTF-8/16/32 NEL and U+2028 /
    U+2029 too); else the line ends are kept as they are.

    Raises :class:`UnsupportedInputError` for binary junk (control characters, NUL bytes
    outside UTF-16): junk decoded as latin-1 would otherwise go on as garbage text.
    """
    parts = _decoded_parts(data, source)
    text = parts[0].text if len(parts) == 1 else "".join(part.text for part in parts)
    if not text.strip():  # a byte-order mark alone, or UTF-16 spaces: empty like a 0-byte file
        raise InputFileError("empty text (no character but a byte-order mark or white space)",
                             source)
    probe = text[:100_000]
    if probe and len(_BINARY_RE.findall(probe)) > MAX_CONTROL_SHARE * len(probe):
        raise UnsupportedInputError("binary data, not text", source)
    if line_breaks:
        text = "".join(_one_line_break(part.text, part.unicode) for part in parts)
    # The few control characters left (a NUL of a bad copy, a terminal's escape sequence)
    # are no text of the document: kept, they went into titles, the store, CSV cells, and
    # to an analyst's terminal, where an escape sequence acts.
    text = _SEPARATOR_RE.sub(" ", text).replace("\x1e", "-")
    return _BINARY_RE.sub("", text)


def _text_bytes(path: str | Path) -> bytes:
    check_regular_file(path)  # before opening: a FIFO would block forever
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputFileError(f"cannot read: {err.strerror or err}", str(path)) from err
    if not data.strip():
        raise InputFileError("empty text file", str(path))
    return data


def read_stdin_bytes(source: str = "-") -> bytes:
    """Standard input as bytes; empty input is an InputFileError (exit 3)."""
    name = "standard input" if source == "-" else source
    if sys.stdin is None:  # started with its standard input closed (`<&-`, some daemons)
        raise InputFileError("no standard input (it is closed); give a file instead", name)
    try:
        data = sys.stdin.buffer.read()
    except OSError as err:  # a terminal gone (EIO), a descriptor that cannot be read
        raise InputFileError(f"cannot read: {err.strerror or err}", name) from None
    if not data.strip():
        raise InputFileError("empty input", name)
    return data


def read_text_file(path: str | Path) -> str:
    """Text input as str (see :func:`decode_text`); an empty or binary file is an InputFileError."""
    return decode_text(_text_bytes(path), str(path))


def read_text_source(source: str | Path, line_breaks: bool = False) -> tuple[str, bytes]:
    """(text, bytes) of a text FILE or of standard input for ``"-"`` (see :func:`decode_text`,
    which ``line_breaks`` is given to)."""
    if str(source) == "-":
        data = read_stdin_bytes()
        return decode_text(data, "standard input", line_breaks), data
    data = _text_bytes(source)
    return decode_text(data, str(source), line_breaks), data


def text_document(source: str | Path) -> Document:
    """A text file, or standard input for ``"-"``, wrapped into a Document (no normalisation).

    Its ``sha256`` is the content hash of the bytes read (as for every other input).
    """
    from .extract.table import columns_as_rows  # tables laid out in columns -> "|" rows
    # Every line break as "\n": a file of old Mac line ends (CR alone) or Unicode line
    # separators was one long line (no title, no sections found); `restore` keeps them.
    text, data = read_text_source(source, line_breaks=True)
    doc = Document.from_text(columns_as_rows(text), source=str(source))
    doc.sha256 = hashlib.sha256(data).hexdigest()  # = model.file_sha256, without reading again
    return doc


def load_document(path: str | Path, options: PipelineOptions | None = None) -> Document:
    """OCR a scan/PDF, or wrap a text file, into a Document (no normalisation yet)."""
    options = options or PipelineOptions()
    path = Path(path)
    if path.suffix.lower() in TEXT_SUFFIXES:
        return text_document(path)
    from .ocr import ocr_inputs
    docs, errors = ocr_inputs([path], options.ocr_options(), progress=options.progress)
    if errors:
        raise errors[0]
    if not docs:
        raise InputFileError("no readable input", str(path))
    return docs[0]


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


def process_path(path: str | Path, options: PipelineOptions | None = None, *,
                 source: str | None = None) -> PipelineResult:
    """Run every stage on one input file.

    ``source``: the name the input goes by when ``path`` is a copy of it (a batch worker that
    received the file's bytes reads a temporary copy): the record's provenance and any error
    name ``source``, never the copy. Default: ``path``.
    """
    t = time.perf_counter()
    try:
        doc = load_document(path, options)
        if source is not None:
            doc.source = source
        load_s = time.perf_counter() - t
        result = process_document(doc, options)
    except VanbanError as err:  # pages may be read lazily, inside process_document too
        if source is not None:
            _rename_in_error(err, str(path), source)
        raise
    result.timings = {"load": load_s, **result.timings}
    return result


def _rename_in_error(err: VanbanError, old: str, new: str) -> None:
    """An error about the copy ``old`` made to name the input ``new``."""
    if err.path == old:
        err.path = new
    err.message = err.message.replace(old, new)
    err.args = (err.message, *err.args[1:])


def preload(options: PipelineOptions | None = None) -> None:
    """Load the models and pattern tables of the stages ``options`` runs, in this process, now:
    normalize's and extract's, then the ocr engine with its language model (as ``options.ocr``
    says).

    Called before a process pool forks its workers (they inherit what is loaded,
    copy-on-write, instead of each loading it again: seconds per worker), and by anything
    that wants its first document to take no longer than the others. Idempotent. Raises what a
    stage raises (:class:`~vanban.errors.MissingDependencyError` for a missing program/model).
    """
    options = options or PipelineOptions()
    from . import ocr
    for step in _text_stage_preloads(options):
        step()
    ocr.preload(options.ocr_options())


def _text_stage_preloads(options: PipelineOptions) -> list[Callable[[], object]]:
    """The ``preload`` of each stage after the OCR that ``options`` runs (normalize, extract)."""
    from . import extract, normalize
    return [stage.preload for stage, runs in ((normalize, options.normalize),
                                              (extract, options.extract)) if runs]


def preload_in_background(options: PipelineOptions | None = None,
                          extra: tuple[Callable[[], object], ...] = ()) -> threading.Thread:
    """Start loading normalize's and extract's models (as ``options`` says), then ``extra``
    (more loading steps, e.g. imports), on a thread, and return it (started). A caller that
    OCRs meanwhile hides the loading behind the OCR; it joins the thread before it restores
    (so no table is built twice).

    Nothing is raised from the thread: a step that fails leaves its stage unloaded, and the
    stage loads again when the document reaches it, raising what it raises without the
    thread (same message, same exit code). Not a daemon: a process ending early waits
    for the loading to end instead of stopping it halfway through an import."""
    options = options or PipelineOptions()

    def load() -> None:
        for step in (*_text_stage_preloads(options), *extra):
            try:
                step()
            except Exception:  # noqa: BLE001 - raised again, by the stage, where it is used
                pass

    thread = threading.Thread(target=load, name="vanban-preload")
    thread.start()
    return thread


# --------------------------------------------------------------------------- long texts
#: Characters restored in one piece by :func:`restore_stream`. A text up to this size is
#: restored whole (as :func:`vanban.normalize.restore_text` does); a longer one piece by piece,
#: so memory stays bounded whatever the input size (the restorer's lattice grows with it).
RESTORE_CHUNK_CHARS = 200_000


def text_pieces(text: str, size: int = RESTORE_CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering ``text`` exactly, cut at paragraph ends (a blank line) where
    one is in the second half of the window, else at a line end, else at a space."""
    start, n = 0, len(text)
    while start < n:
        if n - start <= size:
            yield start, text[start:]
            return
        end, low = start + size, start + size // 2
        cut = text.rfind("\n\n", low, end)
        if cut >= 0:
            cut += 2
        else:
            cut = text.rfind("\n", low, end)
            cut = cut + 1 if cut >= 0 else text.rfind(" ", low, end) + 1 or end
        yield start, text[start:cut]
        start = cut


def restore_stream(text: str, mode: str = "auto", *, tone_style: str | None = None,
                   with_confidence: bool = False, chunk_chars: int = RESTORE_CHUNK_CHARS):
    """Restore a text of any size piece by piece: yields ``(piece_length, RestoreResult)`` in
    order; the results' texts joined are the restored text, their change offsets are in the
    whole text. The legacy encoding and (for ``auto``) the mode are detected once, on the
    start of the text, so every piece is restored the same way."""
    from .normalize import detect_mode, prepare_text, restore_text
    if len(text) <= chunk_chars:
        yield len(text), restore_text(text, mode, tone_style=tone_style,
                                      with_confidence=with_confidence)
        return
    # Prepared once (encoding, Unicode hygiene): the mode test and every piece take it as is.
    text, encoding = prepare_text(text)
    if mode == "auto":
        mode = detect_mode(text[:chunk_chars], prepared=True)
    for offset, piece in text_pieces(text, chunk_chars):
        result = restore_text(piece, mode, tone_style=tone_style,
                              with_confidence=with_confidence, prepared=True)
        result.encoding = encoding
        for change in result.changes:
            change.start += offset
            change.end += offset
        yield len(piece), result
