"""Batch processing: find inputs, run the pipeline on each (in processes or on a Dask cluster),
store every record as it arrives.

The unit of work is :func:`process_file`: a plain function of a path (or a file's bytes) that
returns plain data (a :class:`DocumentResult` or a :class:`DocumentFailure`), so it runs the
same in this process, in a process-pool worker and on a Dask worker on another machine (both
through :mod:`vanban.executors`). Only the batch's own process writes to the store, one
transaction per document: a run killed at any moment loses at most the documents in flight, and
a re-run skips every document whose content hash is already stored.

Exit codes of a batch (:attr:`BatchSummary.exit_code`, the process status of ``vanban batch``):
0 every input stored (or already there); 3 at least one input failed (listed in the ``errors``
table, the others were stored) or an input folder held no input (:data:`NO_INPUT_IN_FOLDER`;
with no input at all :class:`InputFileError` is raised before the store is opened); 4 inputs
failed because a required program/model is missing;
6 the database could not be opened or written; 130 interrupted.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import re
import socket
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterable, Iterator

from ..errors import (ExitCode, InputFileError, InputTooLargeForMemoryError,
                      MissingDependencyError, VanbanError, check_regular_file, one_line,
                      utf8_text)
from ..executors import Executor, TaskTimeout, WorkerCrash, make_executor
from ..folders import (FoundInputs, UnlistedFolder, empty_folder_reason, is_folder, linked_folder_warning,
                       unlisted_reason, walk_folder)
from ..model import file_sha256
from ..outputs import (MKSTEMP_RANDOM, check_output, check_output_folder, content_name,
                       fitting_stem, name_max, picked_up_in_folder, plain_name,
                       remove_abandoned_temporaries)
from ..pipeline import PipelineOptions, default_jobs, preload, process_path
from .store import Store


# ------------------------------------------------------------------------------- discovery
#: Seconds one document may take by default in ``vanban batch`` (``--timeout``): far above any
#: real document (a 300-page scan is minutes), so that only a hang is stopped.
DEFAULT_TIMEOUT_S = 3600

#: Why a folder given to a batch gave it nothing to do (as `vanban ocr` says of its folders).
NO_INPUT_IN_FOLDER = empty_folder_reason("PDF, TIFF, PNG, JPEG or .txt")


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Input files under ``paths``: directories are walked recursively (hidden entries skipped,
    only the names :func:`vanban.outputs.picked_up_in_folder` takes), files are taken as given
    whatever their suffix (a mislabelled file then ends up in the errors table instead of
    unseen). Sorted, without repeats.

    A path that does not exist is kept too: the batch records it as an error row like any
    other bad input, and the others go on."""
    return find_inputs(paths)[0]


def find_inputs(paths: Iterable[str | Path]) -> FoundInputs:
    """:func:`discover`'s files, and what else one walk of each folder among ``paths`` found
    (:class:`FoundInputs`)."""
    found: dict[str, Path] = {}
    empty: list[Path] = []
    linked: list[Path] = []
    unlisted: list[UnlistedFolder] = []

    def keep(f: Path) -> None:
        # realpath, not resolve(): a symlink loop in the folder must become an error row of
        # its own, not abort the walk (RuntimeError). One file reached by several paths (a
        # symlink beside its target) is one input, named by the file itself rather than a
        # link to it, whatever order the folder lists them in.
        key = os.path.realpath(f)
        kept = found.get(key)
        if kept is None or (os.path.islink(kept) and not os.path.islink(f)):
            found[key] = f

    for p in paths:
        p = Path(p)
        if is_folder(p):  # not one whose parent cannot be entered: a file that fails alone
            walk = walk_folder(p, picked_up_in_folder)
            for f in walk.files:
                keep(f)
            linked.extend(walk.linked_folders)
            unlisted.extend(walk.unlisted_folders)
            if walk.holds_nothing:
                empty.append(p)
        else:
            keep(p)
    return FoundInputs(sorted(found.values(), key=lambda f: str(f)), empty, linked, unlisted)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- worker
@dataclass
class DocumentResult:
    """One input the pipeline read: what :func:`process_file` returns on success.

    Plain data (the record as :meth:`vanban.model.PlanRecord.to_dict`), so it travels back
    from a process-pool or Dask worker as it is."""
    path: str                   # the input as the batch named it
    sha256: str                 # content hash of its bytes (the document's key)
    record: dict
    text: str                   # the normalised document text
    pages: int
    text_source: str | None     # ocr | text-layer | text, several joined by "+"
    timings: dict[str, float]   # seconds per stage, and "total"
    worker: str                 # host:pid that made it

    ok: ClassVar[bool] = True

    @property
    def seconds(self) -> float:
        return self.timings.get("total", 0.0)

    def to_dict(self) -> dict:
        return {"ok": True, **asdict(self)}


@dataclass
class DocumentFailure:
    """One input that failed: what :func:`process_file` returns for a bad input, and what a
    batch lists in :attr:`BatchSummary.failures` and its errors table."""
    path: str
    sha256: str | None
    error_type: str             # the exception class (InputFileError, WorkerCrash, ...)
    reason: str                 # one line, naming the input as the batch named it
    exit_code: int              # the code `vanban run` would exit with on it (vanban.errors)
    detail: str | None = None   # traceback of an unexpected error (a bug)
    worker: str | None = None

    ok: ClassVar[bool] = False

    def to_dict(self) -> dict:
        """The fields a summary reports (``vanban batch --summary-json``)."""
        return {"path": utf8_text(self.path), "sha256": self.sha256,
                "error_type": self.error_type, "reason": utf8_text(self.reason),
                "exit_code": self.exit_code}


_CHANGED_WHILE_READ = ("the file changed while it was read (still being written?); run the "
                       "batch again when it is complete")


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_file(path: str, options: PipelineOptions | None = None,
                 content: bytes | None = None,
                 sha256: str | None = None) -> DocumentResult | DocumentFailure:
    """Run the whole pipeline on one input; never raises for a bad input.

    ``options``: the pipeline's (default: one page at a time). ``content``: the file's bytes,
    for workers that cannot see ``path`` (they are written to a temporary file with the same
    name; the record and any error still name ``path``). ``sha256``: the content hash when
    the caller knows it already.
    """
    started = time.perf_counter()
    worker = _worker_name()
    tmpdir = None
    local = Path(path)
    try:
        if content is not None:
            tmpdir = tempfile.TemporaryDirectory(prefix="vanban-")
            local = Path(tmpdir.name) / Path(path).name
            local.write_bytes(content)
        try:
            if check_regular_file(local).st_size == 0:
                raise InputFileError("empty file (0 bytes)", str(path))
            if sha256 is None:
                sha256 = file_sha256(local)
            elif content is not None and file_sha256(local) != sha256:
                # The bytes were read after the batch hashed the file (Dask ships them):
                # a file still being written is caught here as it is below for a path.
                raise InputFileError(_CHANGED_WHILE_READ, str(path))
        except OSError as err:  # e.g. a Dask worker that does not see the path
            raise InputFileError(f"cannot read: {err.strerror or err}", str(path)) from err
        opts = options or PipelineOptions(jobs=1)
        result = process_path(local, opts, source=str(path) if content is not None else None)
        if content is None and file_sha256(local) != sha256:
            # A file still being written (a scanner saving into the archive): the record
            # would be keyed by bytes it was not made from, and stored again next run.
            raise InputFileError(_CHANGED_WHILE_READ, str(path))
        if result.record is None:
            raise VanbanError("the pipeline produced no record", str(path))
        record = result.record.to_dict()
        if opts.pdf_dir:
            _write_pdf(local, Path(path), result, opts, record, sha256)
        pages = result.document.pages
        sources = sorted({p.source for p in pages if p.source})
        return DocumentResult(path=str(path), sha256=sha256, record=record,
                              text=result.document.text, pages=len(pages),
                              text_source="+".join(sources) or None,
                              timings={**result.timings, "total": time.perf_counter() - started},
                              worker=worker)
    except VanbanError as err:  # process_path(source=) named the input, not the copy
        return DocumentFailure(path=str(path), sha256=sha256, error_type=type(err).__name__,
                               reason=err.message, exit_code=err.exit_code, worker=worker)
    except MemoryError:  # a huge input: said as such (exit 3), not as a bug
        err = InputTooLargeForMemoryError(str(path))
        return DocumentFailure(path=str(path), sha256=sha256, error_type=type(err).__name__,
                               reason=err.message, exit_code=err.exit_code, worker=worker)
    except Exception as err:  # a bug or an unforeseen input: record it, let the batch go on
        reason = str(err) or type(err).__name__
        if tmpdir is not None:  # name the input, not the worker's temporary copy of its bytes
            reason = reason.replace(str(local), str(path))
        return DocumentFailure(path=str(path), sha256=sha256, error_type=type(err).__name__,
                               reason=reason, exit_code=ExitCode.INTERNAL_ERROR,
                               detail=traceback.format_exc(limit=20), worker=worker)
    finally:
        if tmpdir is not None:
            tmpdir.cleanup()


def _write_pdf(local: Path, original: Path, result, opts: PipelineOptions, record: dict,
               sha256: str | None) -> None:
    """``--pdf-dir``: the searchable PDF/A of this input from the words just read. A failure
    here costs the PDF only: it becomes a warning of the stored record.

    The PDF is written to a hidden temporary file in the folder and only then given its name
    (:func:`_publish_pdf`), so a batch stopped mid-write (Ctrl-C, ``kill``, a killed worker)
    never leaves an empty or truncated ``<name>.pdf``; the hidden leftover is not an input of a
    later walk of the folder."""
    from ..pdfa import PdfOptions, make_pdf
    from ..pipeline import TEXT_SUFFIXES
    if original.suffix.lower() in TEXT_SUFFIXES:
        return  # a text dump has no page images to make searchable
    out_dir = Path(opts.pdf_dir)
    ocr = {k: v for k, v in asdict(opts.ocr).items() if k != "jobs"} if opts.ocr else {}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        limit = name_max(out_dir)
        short = fitting_stem(original.stem, f"..{MKSTEMP_RANDOM}.pdf.tmp", limit)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{short}.", suffix=".pdf.tmp", dir=out_dir)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            report = make_pdf(local, tmp, PdfOptions(jobs=opts.jobs, ocr=ocr,
                                                     restore_mode=opts.restore_mode),
                              result=result)
            _publish_pdf(tmp, out_dir, original.stem, sha256, limit)
        finally:
            tmp.unlink(missing_ok=True)
        record["warnings"].extend(f"pdf: {w}" for w in report.warnings)
    except (VanbanError, OSError) as err:
        record["warnings"].append(f"pdf: not written: {err}")
    except Exception as err:  # noqa: BLE001 - a bug in the PDF writer still costs the PDF only
        reason = str(err).replace(str(local), str(original)) or "no message"
        record["warnings"].append(f"pdf: not written: internal error "
                                  f"({type(err).__name__}: {reason})")


#: The name ``tempfile.mkstemp(prefix=".<stem>.", suffix=".pdf.tmp")`` gives (8 random
#: characters): only such files are taken for a killed batch's, never a user's own.
_TMP_PDF_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.pdf\.tmp", re.DOTALL)


def remove_abandoned_pdfs(out_dir: str | Path) -> int:
    """Remove the temporary PDFs that batches killed mid-write left in ``out_dir`` (hidden
    ``.<name>.*.pdf.tmp`` files over :data:`vanban.outputs.ABANDONED_AFTER_S` old, left by
    a batch killed mid-write: each as big as a searchable PDF, and never finished by anyone;
    one being written now is minutes old at most); the number removed."""
    return remove_abandoned_temporaries(out_dir, _TMP_PDF_NAME)


def _publish_pdf(tmp: Path, out_dir: Path, stem: str, sha256: str | None, limit: int) -> Path:
    """Give the finished PDF ``tmp`` its name: ``out_dir/<stem>.pdf``, else, when another input
    of the same name (or an earlier run) has it, ``<stem>-<sha256[:12]>.pdf``; a stem too
    long for a name of ``limit`` bytes is shortened (:func:`vanban.outputs.plain_name`,
    :func:`vanban.outputs.content_name`).

    The first name is taken with a hard link, which fails when the name exists, so two workers
    finishing inputs of one name at once never overwrite each other's PDF. The second name
    belongs to this content alone (its hash is never cut): a PDF an earlier run wrote there
    for the same input (a ``--reprocess``, a retried failure) is replaced."""
    first = out_dir / plain_name(stem, ".pdf", limit)
    try:
        os.link(tmp, first)
        return first
    except OSError:  # the name is taken (FileExistsError), or no hard links on this file system
        pass
    own = out_dir / content_name(stem, sha256 or "", ".pdf", limit)
    os.replace(tmp, own)
    return own


# --------------------------------------------------------------------------------- summary
@dataclass
class BatchSummary:
    """What a batch did. ``exit_code`` follows the table in this module's docstring."""
    found: int = 0
    stored: int = 0          # new documents written by this run
    skipped: int = 0         # content already in the corpus before this run
    duplicates: int = 0      # same content as another input of this run
    failed: int = 0
    pages: int = 0
    seconds: float = 0.0
    #: Sum of the per-document pipeline times reported by the workers.
    worker_seconds: float = 0.0
    failures: list[DocumentFailure] = field(default_factory=list)
    #: errors rows removed because their file is gone from a folder this run walked
    errors_cleared: int = 0

    @property
    def exit_code(self) -> int:
        if not self.failures:
            return ExitCode.OK
        if any(f.exit_code == ExitCode.MISSING_DEPENDENCY for f in self.failures):
            return ExitCode.MISSING_DEPENDENCY
        return ExitCode.INPUT_FILE

    @property
    def docs_per_minute(self) -> float:
        done = self.stored + self.failed
        return 60.0 * done / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {"found": self.found, "stored": self.stored, "skipped": self.skipped,
                "duplicates": self.duplicates, "failed": self.failed, "pages": self.pages,
                "seconds": round(self.seconds, 3),
                "worker_seconds": round(self.worker_seconds, 3),
                "docs_per_minute": round(self.docs_per_minute, 2),
                "exit_code": self.exit_code, "errors_cleared": self.errors_cleared,
                "failures": [f.to_dict() for f in self.failures]}

    def text(self) -> str:
        lines = [f"batch: {self.found} inputs: {self.stored} stored, {self.skipped} already in "
                 f"the corpus, {self.duplicates} duplicate content, {self.failed} failed; "
                 f"{self.pages} pages in {self.seconds:.1f} s ({self.docs_per_minute:.1f} "
                 "documents/min)"]
        if self.errors_cleared:
            lines.append(f"  {self.errors_cleared} errors rows removed: their files are no "
                         "longer in the folders walked")
        for f in self.failures[:20]:
            lines.append(one_line(f"  failed: {f.path}: {f.error_type}: {f.reason}"))
        if len(self.failures) > 20:
            lines.append(f"  ... and {len(self.failures) - 20} more (see the errors table)")
        return "\n".join(lines)


# -------------------------------------------------------------------------------- progress
class Progress:
    """A tqdm bar (documents, with pages and rate) on a terminal, plain log lines otherwise."""

    def __init__(self, total: int, stream=None, bar: bool | None = None,
                 log: Callable[[str], None] | None = None):
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.pages = 0
        self.failed = 0
        self.started = time.perf_counter()
        if bar is None:
            bar = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.log = log or (lambda line: print(line, file=self.stream, flush=True))
        self.bar = None
        if bar:
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="doc", file=self.stream, dynamic_ncols=True,
                            desc="vanban batch", smoothing=0.1)

    def update(self, status: str, path: str, pages: int = 0, seconds: float | None = None,
               reason: str | None = None) -> None:
        self.done += 1
        self.pages += pages
        if status == "failed":
            self.failed += 1
        elapsed = time.perf_counter() - self.started
        if self.bar is not None:
            rate = f"{60 * self.pages / elapsed:.1f}" if elapsed else "-"
            self.bar.set_postfix_str(f"{self.pages} pages, {rate} pages/min, "
                                     f"{self.failed} failed", refresh=False)
            self.bar.update(1)
            if status == "failed":
                self.bar.write(one_line(f"failed: {path}: {reason}"), file=self.stream)
            return
        detail = ""
        if status == "stored":
            detail = f" ({pages} pages, {seconds:.1f} s)" if seconds is not None else ""
        elif status == "failed":
            detail = f": {reason}"
        self.log(one_line(f"[{self.done}/{self.total}] {status} {path}{detail}"))

    def note(self, message: str) -> None:
        """A line that is not about one input (a warning), above the bar if there is one."""
        if self.bar is not None:
            self.bar.write(message, file=self.stream)
        else:
            self.log(message)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# ----------------------------------------------------------------------------------- batch
@dataclass
class _Job:
    path: Path
    sha256: str


def run_batch(paths: Iterable[str | Path], db: str | Path, jobs: int | None = None,
              scheduler: Any = None, *, options: PipelineOptions | dict | None = None,
              progress: bool | None = None, log: Callable[[str], None] | None = None,
              retry_failed: bool = True, reprocess: bool = False,
              send_content: bool | None = None,
              max_in_flight: int | None = None,
              task_timeout: float | None = None) -> BatchSummary:
    """Process every input under ``paths`` and store the records in the corpus ``db``.

    ``jobs``: worker processes on this machine (default: all cores). ``scheduler``: a Dask
    scheduler address (``"tcp://host:8786"``), a ``distributed.Client`` or a ``LocalCluster``;
    the per-document work then runs on its workers and results are stored as they complete.
    ``options``: the :class:`vanban.pipeline.PipelineOptions` of every document (or a dict of
    its fields; ``jobs`` inside a document defaults to 1: the documents are the parallel
    unit). ``retry_failed``: inputs in the errors table are tried again (default) or skipped
    (unless their content changed since they failed).
    ``reprocess``: run documents already stored again and replace their records (after a
    pipeline upgrade); a killed reprocessing run starts over when re-run. ``send_content``:
    ship file bytes to the workers instead of paths (default: on with a scheduler, whose
    workers may not see this machine's files). ``progress``: bar on/off (default: bar on a
    terminal, log lines otherwise). ``max_in_flight``: documents submitted at a time
    (default: twice the workers). ``task_timeout``: seconds one document may take in a local
    worker before it is stopped and recorded as failed (:class:`vanban.executors.TaskTimeout`,
    exit 3; default: no limit; the CLI's ``--timeout`` is :data:`DEFAULT_TIMEOUT_S`); not
    with a scheduler, whose tasks Dask cannot stop.
    """
    started = time.perf_counter()
    if not isinstance(options, PipelineOptions):
        options = PipelineOptions(**{"jobs": 1, **(options or {})})
    paths = list(paths)
    # Before any work: the store must not be an input, and PDFs written inside an input folder
    # would come back as new documents on the next run (OutputError, exit 2).
    check_output(db, inputs=paths, option="--db", database=True)
    check_output_folder(options.pdf_dir, inputs=paths, option="--pdf-dir",
                        here=scheduler is None)
    files, empty_folders, linked, unlisted = find_inputs(paths)
    # An empty or unlisted folder is one input found (and failed): each with its own reason.
    folder_failures = sorted(
        [DocumentFailure(str(folder), None, "InputFileError", NO_INPUT_IN_FOLDER,
                         ExitCode.INPUT_FILE) for folder in empty_folders]
        + [DocumentFailure(str(folder.path), None, "InputFileError",
                           unlisted_reason(folder.reason, "batched"), ExitCode.INPUT_FILE)
           for folder in unlisted], key=lambda failure: failure.path)
    if not files and folder_failures:
        # Nothing to do is a failed run (exit 3, as `vanban ocr` on an empty folder), said
        # before the store is opened: no store file is made for it. Every folder but the last
        # is said here, the last is the error raised, so each has its own line and reason.
        for failure in folder_failures[:-1]:
            (log or _say)(one_line(f"vanban: error: {failure.path}: {failure.reason}"))
        raise InputFileError(folder_failures[-1].reason, folder_failures[-1].path)
    # An empty or unlisted folder is one input found (and failed), so the counts add up.
    summary = BatchSummary(found=len(files) + len(empty_folders) + len(unlisted))
    if options.pdf_dir:
        remove_abandoned_pdfs(options.pdf_dir)
    # A cluster is reached before the store is opened: a scheduler that cannot be reached
    # (exit 1, one line) leaves no new store file behind.
    cluster = make_executor("dask", scheduler=scheduler) if scheduler is not None else None
    try:
        store = Store(db)
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    bar = Progress(len(files), bar=progress, log=log)
    for link in linked:
        bar.note(one_line(linked_folder_warning(link, "batch")))
    for failure in folder_failures:  # a summary failure, not an errors row: no document
        summary.failed += 1
        summary.failures.append(failure)
        bar.note(one_line(f"failed: {failure.path}: {failure.reason}"))
    try:
        # Fixed at the start, so "skipped" vs "duplicate" does not depend on worker timing.
        summary.errors_cleared = store.remove_errors(_errors_of_gone_files(store, paths, files))
        stored_before = store.document_ids() if not reprocess else set()
        done_ids = set(stored_before)
        # --skip-failed: path -> the content hash that failed (None: it could not be read)
        failed_paths = ({e["path"]: e["sha256"] for e in store.errors()} if not retry_failed
                        else {})
        queued: dict[str, Path] = {}
        pending_duplicates: list[tuple[str, Path]] = []  # (sha256, path) of later copies

        def unreadable(f: Path, err: Exception) -> DocumentFailure:
            if isinstance(err, InputFileError):
                return DocumentFailure(str(f), None, type(err).__name__, err.message,
                                       err.exit_code)
            return DocumentFailure(str(f), None, "InputFileError",
                                   f"cannot read: {getattr(err, 'strerror', None) or err}",
                                   ExitCode.INPUT_FILE)

        def jobs_to_run() -> Iterator[_Job]:
            for f in files:
                name = utf8_text(str(f))
                if name in failed_paths and _still_what_failed(f, failed_paths[name]):
                    summary.skipped += 1
                    bar.update("skipped (failed before)", str(f))
                    continue
                try:
                    if check_regular_file(f).st_size == 0:
                        _record_failure(store, summary, bar, DocumentFailure(
                            str(f), None, "InputFileError", "empty file (0 bytes)",
                            ExitCode.INPUT_FILE))
                        continue
                    sha = file_sha256(f)
                except (InputFileError, OSError) as err:
                    _record_failure(store, summary, bar, unreadable(f, err))
                    continue
                if sha in stored_before:
                    store.add_file(sha, str(f))
                    summary.skipped += 1
                    bar.update("skipped", str(f))
                elif sha in queued:
                    summary.duplicates += 1
                    pending_duplicates.append((sha, f))
                    bar.update("duplicate", str(f))
                else:
                    queued[sha] = f
                    yield _Job(f, sha)

        def handle(result: DocumentResult | DocumentFailure) -> None:
            if not result.ok:
                _record_failure(store, summary, bar, result)
                return
            try:
                stored = store.add(result.record, sha256=result.sha256, text=result.text,
                                   source=result.path, pages=result.pages,
                                   text_source=result.text_source,
                                   processing_seconds=result.timings.get("total"),
                                   replace=reprocess)
            except VanbanError:
                raise  # the database itself (StoreError): no later document could be stored
            except Exception as err:  # a record this store cannot take (a bug): that one only
                _record_failure(store, summary, bar, DocumentFailure(
                    result.path, result.sha256, type(err).__name__,
                    f"the record could not be stored: {err}", ExitCode.INTERNAL_ERROR,
                    detail=traceback.format_exc(limit=20), worker=result.worker))
                return
            store.check_in_place()  # removed or moved over meanwhile: saved, and stop
            done_ids.add(result.sha256)
            summary.pages += result.pages
            summary.worker_seconds += result.seconds
            if stored:
                summary.stored += 1
            else:  # another batch stored the same content meanwhile
                summary.skipped += 1
            bar.update("stored" if stored else "skipped", result.path, pages=result.pages,
                       seconds=result.timings.get("total"))

        if cluster is not None:
            _run_jobs(jobs_to_run(), handle, options, kind="dask", executor=cluster,
                      send_content=True if send_content is None else send_content,
                      max_in_flight=max_in_flight)
        else:
            _run_jobs(jobs_to_run(), handle, options, kind="process",
                      workers=jobs or default_jobs(), send_content=bool(send_content),
                      max_in_flight=max_in_flight, note=bar.note, task_timeout=task_timeout)
        failed_by_sha = {f.sha256: f for f in summary.failures if f.sha256}
        for sha, f in pending_duplicates:
            if sha in done_ids:
                store.add_file(sha, str(f))
            elif sha in failed_by_sha:  # a copy of a bad file is a bad file too
                first = failed_by_sha[sha]
                failure = replace(first, path=str(f), detail=None,
                                  reason=f"{first.reason} (same content as {first.path})")
                store.add_error(failure.path, failure.reason, sha256=sha,
                                error_type=failure.error_type or "Error",
                                exit_code=failure.exit_code or ExitCode.INTERNAL_ERROR)
                summary.duplicates -= 1
                summary.failed += 1
                summary.failures.append(failure)
        store.check_in_place()  # removed after the last document: said (exit 6), not exit 0
    finally:
        bar.close()
        store.close()
        if cluster is not None:
            cluster.close()  # a second close does nothing
    summary.seconds = time.perf_counter() - started
    return summary


def _still_what_failed(path: Path, failed_sha256: str | None) -> bool:
    """Whether the input at ``path`` still holds what failed there (``--skip-failed`` skips
    it then): the same content hash, or, for an input that could not be read at all (no
    hash), still no readable non-empty file. A bad scan replaced by a good one under the
    same name is new content and is processed, not skipped for ever."""
    try:
        if failed_sha256 is None:
            return check_regular_file(path).st_size == 0
        return file_sha256(path) == failed_sha256
    except (InputFileError, OSError):
        return True  # still unreadable: as it failed


def _errors_of_gone_files(store: Store, paths: list, files: list[Path]) -> list[str]:
    """The errors rows (their stored paths) of files inside a folder this run walks that are
    no longer there (deleted, renamed, moved away): an archivist who removed a bad scan from
    the inbox sees its failure go with it on the next batch, instead of forever.

    When in doubt a row is kept. Only a row whose own folder was listed by this run's walk
    and held files now (a share that is not mounted today, or a year's subfolder that is an
    empty mount point, lists nothing: its rows stay); only an absolute stored path (a relative
    one, ``in/bad.pdf``, names a file relative to the directory that batch ran from, which
    may not be today's); only a path that no longer exists. A missing file given by name
    stays an error (it is one), and a folder not given this time is not looked at."""
    folders = [utf8_text(str(Path(p))).rstrip(os.sep) + os.sep for p in paths if is_folder(p)]
    if not folders:
        return []
    found = {utf8_text(str(f)) for f in files}
    # The folders the walk listed files in (a named file's folder was not walked).
    listed = {os.path.dirname(name) for name in found
              if any(name.startswith(folder) for folder in folders)}
    gone = []
    for row in store.errors():
        path = row["path"]
        if (path not in found and os.path.isabs(path) and os.path.dirname(path) in listed
                and not os.path.lexists(path)):
            gone.append(path)
    return gone


def _record_failure(store: Store, summary: BatchSummary, bar: Progress,
                    failure: DocumentFailure) -> None:
    store.add_error(failure.path, failure.reason or "unknown error", sha256=failure.sha256,
                    error_type=failure.error_type or "Error",
                    exit_code=failure.exit_code or ExitCode.INTERNAL_ERROR, detail=failure.detail)
    store.check_in_place()
    summary.failed += 1
    summary.failures.append(failure)
    bar.update("failed", failure.path, reason=f"{failure.error_type}: {failure.reason}")


def _preload_pipeline(options: PipelineOptions, note: Callable[[str], None]) -> None:
    """Load the pipeline's models in this process before the pool forks its workers, so each
    worker inherits them (copy-on-write) instead of loading them again (seconds per worker)."""
    if multiprocessing.get_start_method(allow_none=False) != "fork":
        return
    try:
        preload(options)
    except MissingDependencyError:
        # Tesseract (say) missing: each input that needs it fails with that error (exit 4);
        # text inputs need none of it. The workers load what is there themselves.
        return
    except Exception as err:
        # Not fatal: each worker then loads the models itself, and a stage that is really
        # broken fails (and is recorded) on every document. Said, so a bug is not hidden.
        note(f"warning: model preloading failed ({type(err).__name__}: {err}); "
             "workers load the models themselves")


def _submit_args(job: _Job, options: PipelineOptions, send_content: bool) -> tuple:
    content = None
    if send_content:
        try:
            content = job.path.read_bytes()
        except (OSError, MemoryError):
            # Gone, unreadable or too big to hold since it was hashed: the worker is given the
            # path instead and fails on it like on any unreadable input (raising here would
            # stop the whole batch).
            pass
    return (str(job.path), options, content, job.sha256)


def _task_failure(job: _Job, err: BaseException, executor: Executor) -> DocumentFailure:
    """The failure of a job whose task did not return (its worker died, Dask gave up)."""
    if isinstance(err, TaskTimeout):  # a hang on this input: the input's failure, exit 3
        return DocumentFailure(str(job.path), job.sha256, type(err).__name__, str(err),
                               ExitCode.INPUT_FILE)
    reason = str(err) if isinstance(err, WorkerCrash) else f"the {executor.name} task failed: {err}"
    return DocumentFailure(str(job.path), job.sha256, type(err).__name__, reason,
                           ExitCode.INTERNAL_ERROR)


def _run_jobs(jobs_iter: Iterator[_Job], handle: Callable[[DocumentResult | DocumentFailure], None],
              options: PipelineOptions, *, kind: str, workers: int = 1,
              executor: Executor | None = None, send_content: bool, max_in_flight: int | None,
              note: Callable[[str], None] = lambda message: None,
              task_timeout: float | None = None) -> None:
    """Run :func:`process_file` on every job with a :mod:`vanban.executors` executor (a
    process pool here, a Dask cluster with ``scheduler``), at most ``max_in_flight`` submitted
    at a time (a kill loses little, memory stays flat), handling each result as it completes.
    A worker that dies (segfault, OOM) is survived: the executor retries the documents it held
    one at a time and pins the crash on the one that kills its worker again."""
    if kind == "process":
        first = next(jobs_iter, None)
        if first is None:  # nothing to run: no pool, no model loading
            return
        jobs_iter = itertools.chain([first], jobs_iter)
        _preload_pipeline(options, note)  # before the pool forks (it starts at the first job)
    with executor or make_executor(kind, workers, task_timeout=task_timeout) as executor:
        # process_file looked up here, at run time: a test may replace it
        for done in executor.imap_unordered(
                process_file, jobs_iter, args=lambda job: _submit_args(job, options, send_content),
                max_in_flight=max_in_flight, label=lambda job: f"vanban-{job.sha256[:16]}"):
            handle(done.value if done.ok else _task_failure(done.item, done.error, executor))
