"""Batch processing: find inputs, run the pipeline on each (in processes or on a Dask cluster),
store every record as it arrives.

The unit of work is :func:`process_file`: a plain function of a path (or a file's bytes) that
returns a plain dict, so it runs the same in this process, in a ``ProcessPoolExecutor`` worker
and on a Dask worker on another machine. Only the batch's own process writes to the store, one
transaction per document: a run killed at any moment loses at most the documents in flight, and
a re-run skips every document whose content hash is already stored.

Exit codes of a batch (:attr:`BatchSummary.exit_code`, the process status of ``vanban batch``):
0 every input stored (or already there); 3 at least one input failed (listed in the ``errors``
table, the others were stored); 4 inputs failed because a required program/model is missing;
6 the database could not be opened or written; 130 interrupted.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import socket
import sys
import tempfile
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import (EXIT_OK, InputFileError, MissingDependencyError, VanbanError,
                      check_regular_file, one_line)
from ..model import Document, file_sha256
from ..text import strip_diacritics
from ..pipeline import PipelineOptions, default_jobs, process_document, process_path
from .store import Store

#: Suffixes a directory walk picks up (files named on the command line are taken whatever
#: their suffix, so that a mislabelled file ends up in the errors table instead of unseen).
INPUT_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt"})

#: Exit code when some inputs failed (vanban.errors: "at least one input could not be read").
EXIT_SOME_FAILED = InputFileError.exit_code
EXIT_MISSING_DEPENDENCY = MissingDependencyError.exit_code


# ------------------------------------------------------------------------------- discovery
def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Input files under ``paths``: directories are walked recursively (hidden entries skipped,
    only :data:`INPUT_SUFFIXES`), files are taken as given. Sorted, without repeats.

    A path that does not exist is kept too: the batch records it as an error row like any
    other bad input, and the others go on."""
    found: dict[str, Path] = {}
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if not name.startswith(".") and Path(name).suffix.lower() in INPUT_SUFFIXES:
                        f = Path(root) / name
                        found.setdefault(str(f.resolve()), f)
        else:
            found.setdefault(str(p.resolve()) if p.exists() else str(p.absolute()), p)
    return sorted(found.values(), key=lambda f: str(f))


# ---------------------------------------------------------------------------------- worker
def process_file(path: str, options: dict | None = None, content: bytes | None = None,
                 sha256: str | None = None) -> dict:
    """Run the whole pipeline on one input; never raises for a bad input.

    ``options``: keyword arguments of :class:`vanban.pipeline.PipelineOptions`. ``content``:
    the file's bytes, for workers that cannot see ``path`` (they are written to a temporary
    file with the same name). Returns a plain dict: on success ``{"ok": True, "path",
    "sha256", "record" (PlanRecord.to_dict()), "text", "pages", "text_source", "timings",
    "worker"}``, on failure ``{"ok": False, "path", "sha256", "error_type", "reason",
    "exit_code", "detail", "worker"}``.
    """
    started = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    base = {"path": str(path), "sha256": sha256, "worker": worker}
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
            if base["sha256"] is None:
                base["sha256"] = file_sha256(local)
        except OSError as err:  # e.g. a Dask worker that does not see the path
            raise InputFileError(f"cannot read: {err.strerror or err}", str(path)) from err
        opts = PipelineOptions(**(options or {"jobs": 1}))
        result = process_path(local, opts)
        if result.record is None:
            raise VanbanError("the pipeline produced no record", str(path))
        record = result.record.to_dict()
        if content is not None:  # name the original input, not the temporary copy
            _replace_path(record, str(local), str(path))
        if opts.pdf_dir:
            _write_pdf(local, Path(path), result, opts, record, base["sha256"])
        pages = result.document.pages
        sources = sorted({p.source for p in pages if p.source})
        return {**base, "ok": True, "record": record, "text": result.document.text,
                "pages": len(pages), "text_source": "+".join(sources) or None,
                "timings": {**result.timings, "total": time.perf_counter() - started}}
    except VanbanError as err:
        return {**base, "ok": False, "error_type": type(err).__name__,
                "reason": err.message.replace(str(local), str(path)), "exit_code": err.exit_code,
                "detail": None}
    except Exception as err:  # a bug or an unforeseen input: record it, let the batch go on
        return {**base, "ok": False, "error_type": type(err).__name__,
                "reason": (str(err) or type(err).__name__).replace(str(local), str(path)),
                "exit_code": 1, "detail": traceback.format_exc(limit=20)}
    finally:
        if tmpdir is not None:
            tmpdir.cleanup()


def _write_pdf(local: Path, original: Path, result, opts: PipelineOptions, record: dict,
               sha256: str | None) -> None:
    """``--pdf-dir``: the searchable PDF/A of this input from the words just read. A failure
    here costs the PDF only: it becomes a warning of the stored record."""
    from ..pdfa import PdfOptions, make_pdf
    from ..pipeline import TEXT_SUFFIXES
    if original.suffix.lower() in TEXT_SUFFIXES:
        return  # a text dump has no page images to make searchable
    out_dir = Path(opts.pdf_dir)
    target = out_dir / f"{original.stem}.pdf"
    if target.exists():  # another input of the same name (or an earlier run): never overwrite
        target = out_dir / f"{original.stem}-{(sha256 or '')[:12]}.pdf"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            report = make_pdf(local, target, PdfOptions(jobs=opts.jobs, ocr=dict(opts.ocr),
                                                        restore_mode=opts.restore_mode),
                              result=result)
            record["warnings"].extend(f"pdf: {w}" for w in report.warnings)
    except (VanbanError, OSError) as err:
        record["warnings"].append(f"pdf: not written: {err}")


def _replace_path(obj: Any, old: str, new: str) -> Any:
    """Replace the temporary path by the original one inside a record dict (in place)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, str) and v == old:
                obj[k] = new
            else:
                _replace_path(v, old, new)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            if isinstance(v, str) and v == old:
                obj[i] = new
            else:
                _replace_path(v, old, new)
    return obj


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
    failures: list[dict] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if not self.failures:
            return EXIT_OK
        if any(f.get("exit_code") == EXIT_MISSING_DEPENDENCY for f in self.failures):
            return EXIT_MISSING_DEPENDENCY
        return EXIT_SOME_FAILED

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
                "exit_code": self.exit_code, "failures": self.failures}

    def text(self) -> str:
        lines = [f"batch: {self.found} inputs: {self.stored} stored, {self.skipped} already in "
                 f"the corpus, {self.duplicates} duplicate content, {self.failed} failed; "
                 f"{self.pages} pages in {self.seconds:.1f} s ({self.docs_per_minute:.1f} "
                 "documents/min)"]
        for f in self.failures[:20]:
            lines.append(one_line(f"  failed: {f['path']}: {f['error_type']}: {f['reason']}"))
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
              scheduler: Any = None, *, options: dict | None = None,
              progress: bool | None = None, log: Callable[[str], None] | None = None,
              retry_failed: bool = True, reprocess: bool = False,
              send_content: bool | None = None,
              max_in_flight: int | None = None) -> BatchSummary:
    """Process every input under ``paths`` and store the records in the corpus ``db``.

    ``jobs``: worker processes on this machine (default: all cores). ``scheduler``: a Dask
    scheduler address (``"tcp://host:8786"``), a ``distributed.Client`` or a ``LocalCluster``;
    the per-document work then runs on its workers and results are stored as they complete.
    ``options``: :class:`vanban.pipeline.PipelineOptions` keyword arguments (``jobs`` inside a
    document defaults to 1: the documents are the parallel unit). ``retry_failed``: inputs
    in the errors table are tried again (default) or skipped. ``reprocess``: run documents
    already stored again and replace their records (after a pipeline upgrade); a killed
    reprocessing run starts over when re-run. ``send_content``: ship file bytes
    to the workers instead of paths (default: on with a scheduler, whose workers may not see
    this machine's files). ``progress``: bar on/off (default: bar on a terminal, log lines
    otherwise).
    """
    started = time.perf_counter()
    options = {"jobs": 1, **(options or {})}
    files = discover(paths)
    summary = BatchSummary(found=len(files))
    store = Store(db)
    bar = Progress(len(files), bar=progress, log=log)
    try:
        # Fixed at the start, so "skipped" vs "duplicate" does not depend on worker timing.
        stored_before = store.document_ids() if not reprocess else set()
        done_ids = set(stored_before)
        failed_paths = {e["path"] for e in store.errors()} if not retry_failed else set()
        queued: dict[str, Path] = {}
        pending_duplicates: list[tuple[str, Path]] = []  # (sha256, path) of later copies

        def jobs_to_run() -> Iterator[_Job]:
            for f in files:
                if str(f) in failed_paths:
                    summary.skipped += 1
                    bar.update("skipped (failed before)", str(f))
                    continue
                try:
                    if check_regular_file(f).st_size == 0:
                        _record_failure(store, summary, bar, {
                            "path": str(f), "sha256": None, "error_type": "InputFileError",
                            "reason": "empty file (0 bytes)", "exit_code": 3})
                        continue
                    sha = file_sha256(f)
                except InputFileError as err:
                    _record_failure(store, summary, bar, {
                        "path": str(f), "sha256": None, "error_type": type(err).__name__,
                        "reason": err.message, "exit_code": err.exit_code})
                    continue
                except OSError as err:
                    _record_failure(store, summary, bar, {
                        "path": str(f), "sha256": None, "error_type": "InputFileError",
                        "reason": f"cannot read: {err.strerror or err}", "exit_code": 3})
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

        def handle(result: dict) -> None:
            if result.get("ok"):
                stored = store.add(result["record"], sha256=result["sha256"],
                                   text=result.get("text"), source=result["path"],
                                   pages=result.get("pages"), text_source=result.get("text_source"),
                                   processing_seconds=(result.get("timings") or {}).get("total"),
                                   replace=reprocess)
                done_ids.add(result["sha256"])
                summary.pages += result.get("pages") or 0
                summary.worker_seconds += (result.get("timings") or {}).get("total") or 0.0
                if stored:
                    summary.stored += 1
                else:  # another batch stored the same content meanwhile
                    summary.skipped += 1
                bar.update("stored" if stored else "skipped", result["path"],
                           pages=result.get("pages") or 0,
                           seconds=(result.get("timings") or {}).get("total"))
            else:
                _record_failure(store, summary, bar, result)

        if scheduler is not None:
            _run_dask(jobs_to_run(), handle, scheduler, options,
                      send_content=True if send_content is None else send_content,
                      max_in_flight=max_in_flight)
        else:
            _run_local(jobs_to_run(), handle, jobs or default_jobs(), options,
                       send_content=bool(send_content), max_in_flight=max_in_flight,
                       note=bar.note)
        failed_by_sha = {f["sha256"]: f for f in summary.failures if f.get("sha256")}
        for sha, f in pending_duplicates:
            if sha in done_ids:
                store.add_file(sha, str(f))
            elif sha in failed_by_sha:  # a copy of a bad file is a bad file too
                first = failed_by_sha[sha]
                failure = {**first, "path": str(f),
                           "reason": f"{first['reason']} (same content as {first['path']})"}
                store.add_error(str(f), failure["reason"], sha256=sha,
                                error_type=failure["error_type"] or "Error",
                                exit_code=failure["exit_code"] or 1)
                summary.duplicates -= 1
                summary.failed += 1
                summary.failures.append(failure)
    finally:
        bar.close()
        store.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _record_failure(store: Store, summary: BatchSummary, bar: Progress, result: dict) -> None:
    failure = {k: result.get(k) for k in ("path", "sha256", "error_type", "reason", "exit_code")}
    store.add_error(result["path"], result.get("reason") or "unknown error",
                    sha256=result.get("sha256"), error_type=result.get("error_type") or "Error",
                    exit_code=result.get("exit_code") or 1, detail=result.get("detail"))
    summary.failed += 1
    summary.failures.append(failure)
    bar.update("failed", result["path"], reason=f"{failure['error_type']}: {failure['reason']}")


def _die_with_parent(parent_pid: int) -> None:
    """Pool worker initializer: ask Linux to SIGKILL this worker when the batch process dies,
    so a batch killed with ``kill -9`` leaves no orphaned workers behind."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            return
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)


#: A small made-up plan for :func:`_preload_pipeline`: it has the parts (header, legal basis,
#: objectives with targets, tasks with lead and partner agencies) whose first use loads a model
#: or builds a matcher in normalize and extract.
_WARM_UP_PLAN = """\
ỦY BAN NHÂN DÂN TỈNH BẮC KẠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc \
Số: 12/KH-UBND Bắc Kạn, ngày 3 tháng 3 năm 2025
KẾ HOẠCH
NÂNG CAO CHẤT LƯỢNG DỊCH VỤ CÔNG TRỰC TUYẾN TRÊN ĐỊA BÀN TỈNH GIAI ĐOẠN 2025 - 2030
Căn cứ Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ;
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao hiệu quả giải quyết thủ tục hành chính cho người dân và doanh nghiệp.
2. Yêu cầu
- Bảo đảm sự phối hợp chặt chẽ giữa các sở, ngành và địa phương.
II. MỤC TIÊU
1. Mục tiêu chung
Xây dựng chính quyền số phục vụ người dân.
2. Mục tiêu cụ thể
- Đến năm 2027, 80% hồ sơ thủ tục hành chính được xử lý trực tuyến.
III. NHIỆM VỤ, GIẢI PHÁP
1. Hoàn thiện cơ sở dữ liệu dùng chung
Cơ quan chủ trì: Sở Khoa học và Công nghệ; cơ quan phối hợp: Sở Tài chính. \
Thời gian thực hiện: năm 2025.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ chủ trì, theo dõi, đôn đốc việc thực hiện Kế hoạch này./.
Nơi nhận: - Như trên; - Lưu: VT. KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn An
"""


def _preload_pipeline(options: dict, note: Callable[[str], None]) -> None:
    """Load the pipeline's models in this process before the pool forks its workers, so each
    worker inherits them (copy-on-write) instead of loading them again (seconds per worker)."""
    if multiprocessing.get_start_method(allow_none=False) != "fork":
        return
    try:
        for text in (_WARM_UP_PLAN, strip_diacritics(_WARM_UP_PLAN)):
            process_document(Document.from_text(text, source="<warm-up>"),
                             PipelineOptions(**options))
    except Exception as err:
        # Not fatal: each worker then loads the models itself, and a stage that is really
        # broken fails (and is recorded) on every document. Said, so a bug is not hidden.
        note(f"warning: model preloading failed ({type(err).__name__}: {err}); "
             "workers load the models themselves")


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent,
                               initargs=(os.getpid(),))


def _submit_args(job: _Job, options: dict, send_content: bool) -> tuple:
    content = job.path.read_bytes() if send_content else None
    return (str(job.path), options, content, job.sha256)


def _run_local(jobs_iter: Iterator[_Job], handle: Callable[[dict], None], workers: int,
               options: dict, *, send_content: bool, max_in_flight: int | None,
               note: Callable[[str], None] = lambda message: None) -> None:
    """Run the jobs in a process pool, at most ``max_in_flight`` submitted at a time (so that
    a kill loses little and memory stays flat); a worker that dies (segfault, OOM) breaks the
    pool: the documents it held are retried one at a time in a fresh pool, and one that kills
    its worker again is recorded as an error."""
    limit = max_in_flight or workers * 2
    suspects: list[_Job] = []
    first = next(jobs_iter, None)
    if first is None:  # nothing to run: no pool, no model loading
        return
    jobs_iter = itertools.chain([first], jobs_iter)
    _preload_pipeline(options, note)
    pool = _new_pool(workers)
    try:
        pending: dict = {}
        exhausted = False
        while True:
            broken = False
            while not exhausted and not broken and len(pending) < limit:
                job = next(jobs_iter, None)
                if job is None:
                    exhausted = True
                    break
                try:
                    fut = pool.submit(process_file, *_submit_args(job, options, send_content))
                except BrokenProcessPool:
                    # a worker died before its result was collected: this job never ran
                    suspects.append(job)
                    broken = True
                    break
                pending[fut] = job
            if not pending and not broken:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED) if pending else (set(), set())
            for fut in done:
                job = pending.pop(fut)
                try:
                    handle(fut.result())
                except BrokenProcessPool:
                    suspects.append(job)
                    broken = True
            if broken:
                suspects.extend(pending.values())
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _new_pool(workers)
        for job in suspects:  # one at a time, so a crash is pinned on the right document
            with _new_pool(1) as single:
                try:
                    handle(single.submit(process_file,
                                         *_submit_args(job, options, send_content)).result())
                except BrokenProcessPool:
                    handle({"ok": False, "path": str(job.path), "sha256": job.sha256,
                            "error_type": "WorkerCrash", "exit_code": 1,
                            "reason": "the worker process died while processing this input "
                                      "(crash or out of memory)"})
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(jobs_iter: Iterator[_Job], handle: Callable[[dict], None], scheduler: Any,
              options: dict, *, send_content: bool, max_in_flight: int | None) -> None:
    """Run the jobs on a Dask distributed cluster, storing each result as it completes."""
    from distributed import Client, as_completed

    own_client = False
    if isinstance(scheduler, Client):
        client = scheduler
    else:
        address = getattr(scheduler, "scheduler_address", scheduler)  # a LocalCluster
        try:
            client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise VanbanError(f"cannot reach the Dask scheduler at {address}: {err}") from err
        own_client = True
    try:
        threads = sum((client.nthreads() or {}).values()) or 1
        limit = max_in_flight or threads * 2
        keys: dict[str, _Job] = {}

        def submit(job: _Job):
            # pure=False: a re-run must really re-run, not fetch a cached result by key
            fut = client.submit(process_file, *_submit_args(job, options, send_content),
                                pure=False, key=f"vanban-{job.sha256[:16]}-{len(keys)}")
            keys[fut.key] = job
            return fut

        queue = as_completed()
        for job in jobs_iter:
            queue.add(submit(job))
            if queue.count() >= limit:
                break
        for fut in queue:
            job = keys.pop(fut.key)
            try:
                result = fut.result()
            except Exception as err:  # KilledWorker (a crash on every retry) and the like
                result = {"ok": False, "path": str(job.path), "sha256": job.sha256,
                          "error_type": type(err).__name__, "exit_code": 1,
                          "reason": f"the Dask task failed: {err}"}
            fut.release()
            handle(result)
            nxt = next(jobs_iter, None)
            if nxt is not None:
                queue.add(submit(nxt))
    finally:
        if own_client:
            client.close()
