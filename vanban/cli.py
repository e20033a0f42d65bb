"""vanban's command line: thin click wrappers over the library API.

Every command parses options, calls one library function and prints its result; errors are
:class:`vanban.errors.VanbanError` subclasses whose ``exit_code`` becomes the process status
(:class:`vanban.errors.ExitCode`).
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import click

from . import __version__
from .errors import (ExitCode, InputTooLargeForMemoryError, OutputWriteError, StoreError,
                     VanbanError, one_line)


def _fail(err: VanbanError) -> None:
    click.echo(f"vanban: error: {err}", err=True)  # str(err) is one line (errors.one_line)
    sys.exit(err.exit_code)


def _check_output(out: str | None, *, inputs=(), store=None, option: str = "-o") -> None:
    """Refuse, before any work, an output that is the store or an input, or cannot be written."""
    from .outputs import check_output
    meta = click.get_current_context().meta
    if store is not None:  # named in the one-line error if SQLite fails outside the Store
        meta["vanban_db"] = str(store)
    meta["vanban_inputs"] = list(inputs)  # named in the one-line error if memory runs out
    check_output(out, inputs=inputs, store=store, option=option)


@contextmanager
def _output_file(out: str, option: str = "-o", newline: str | None = None) -> Iterator[IO[str]]:
    """``out`` open for writing, replaced atomically when the block ends (see vanban.outputs)."""
    from .outputs import atomic_output
    with atomic_output(out, newline=newline) as f:
        yield f


def _write_output(text: str, out: str | None) -> None:
    if out and out != "-":
        with _output_file(out) as f:
            f.write(text)
    else:
        sys.stdout.write(text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")


def _progress_bar(enabled: bool | None, desc: str, unit: str, total: int | None = None):
    """A tqdm bar on stderr when it is a terminal (or ``--progress``); None when piped or
    ``--no-progress``, so logs and pipelines stay clean."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True,
                leave=False, unit_scale=unit == "char")


class _PageProgress:
    """A ``progress(total_pages)`` callback for vanban.ocr: a page bar, made at the first page
    (a text input, which has no page to OCR, shows none)."""

    def __init__(self, enabled: bool | None, desc: str):
        import threading
        self.enabled, self.desc, self.bar = enabled, desc, None
        self.lock = threading.Lock()  # pages finish on worker threads

    def __call__(self, total: int) -> None:
        with self.lock:
            if self.bar is None and self.enabled is not False:
                self.bar = _progress_bar(self.enabled, self.desc, "page", total=total)
                self.enabled = self.bar is not None
            if self.bar is not None:
                self.bar.update(1)
                if self.bar.n == self.bar.total:
                    self.bar.refresh()  # the last page is shown, however fast it came

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class LibraryChoice(click.Choice):
    """A :class:`click.Choice` whose values are a library constant (``"module:NAME"``), read
    when the option is first parsed or shown, so that ``vanban --help`` does not load a stage."""

    def __init__(self, constant: str, case_sensitive: bool = True):
        self.constant = constant
        self._values: tuple | None = None
        super().__init__((), case_sensitive)

    @property
    def choices(self) -> tuple:
        if self._values is None:
            import importlib
            module, name = self.constant.split(":")
            self._values = tuple(getattr(importlib.import_module(module), name))
        return self._values

    @choices.setter
    def choices(self, value) -> None:  # click.Choice.__init__ sets the (empty) tuple
        pass


#: Most parallel workers a command accepts: far above any machine's cores, and below what
#: makes the pool itself fail (one thread or process each) instead of running.
MAX_JOBS = 1024
_JOBS = click.IntRange(min=1, max=MAX_JOBS)
#: ``-n``: at least 1, at most what SQLite's LIMIT takes (a 64-bit integer).
_ROWS = click.IntRange(min=1, max=2**63 - 1)

#: The inputs of `ocr`, `pdf` and `batch`: one that cannot be read (permission denied) is
#: that input's failure (exit 3, the others processed, as a missing one), not a bad command
#: line that stops every input (click's default check, exit 2).
_INPUT_PATHS = click.Path(path_type=Path, readable=False)

_RAW_CELLS_OPTION = click.option(
    "--raw-cells", is_flag=True, help="csv: write cells as stored, even those a spreadsheet "
    "would run as a formula (= + - @ first) [default: such a cell gets a leading "
    "apostrophe].")

_PROGRESS_OPTION = click.option("--progress/--no-progress", default=None,
                                help="Progress bar on stderr [default: only on a terminal].")


def _default_jobs() -> int:
    from .pipeline import default_jobs
    return default_jobs()


def _stdout_writes_any_name(errors: str | None = "backslashreplace") -> str | None:
    """Let standard output write a file name that is not UTF-8 (its bytes come from the OS as
    lone surrogates) the way ``-o`` files do (:data:`vanban.outputs._UNENCODABLE`: ``\\udcff``),
    instead of failing after the work is done; returns the setting it replaced."""
    stream = sys.stdout
    before = getattr(stream, "errors", None)
    if errors is None or before is None or not hasattr(stream, "reconfigure"):
        return None
    try:
        stream.reconfigure(errors=errors)
    except (ValueError, OSError, AttributeError):
        return None
    return before


class _WholeWrites(io.RawIOBase):
    """Standard output's file descriptor, written whole or not at all: a write that stops
    short (the disk filling up, the file size limit of ``ulimit -f`` reached) is retried on
    the rest, which then fails with the reason (ENOSPC, EFBIG). Python's own stdout takes a
    short write of a large block as done and drops the rest: `vanban export > file` then
    ended with exit 0 and a truncated file."""

    def __init__(self, fd: int):
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            n = os.write(self._fd, view[done:])
            if n <= 0:
                raise OSError(errno.EIO, "nothing written")
            done += n
        return done


def _stdout_whole_writes():
    """Make ``sys.stdout`` write through :class:`_WholeWrites`; returns the stream it replaced
    (None when stdout is not the process's file descriptor, as under a test runner)."""
    stream = sys.stdout
    if not isinstance(stream, io.TextIOWrapper):
        return None
    try:
        fd = stream.fileno()
        stream.flush()
    except (OSError, ValueError):
        return None
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(_WholeWrites(fd)), encoding=stream.encoding,
                                  errors=stream.errors, line_buffering=stream.line_buffering)
    return stream


def _restore_stdout(original) -> OSError | None:
    """Put back the stream :func:`_stdout_whole_writes` replaced, after writing out what is
    left in the replacement; the error of that last write, if it failed."""
    if original is None:
        return None
    replaced, sys.stdout = sys.stdout, original
    failed = None
    try:
        replaced.flush()
    except OSError as err:
        failed = err
        _silence_stdout()
    except ValueError:
        pass
    try:
        replaced.detach()  # keeps the descriptor open: it is the process's stdout
    except (OSError, ValueError):
        pass
    return failed


class VanbanGroup(click.Group):
    """One line on stderr and a documented exit code (vanban.errors) for every failure.

    VanbanError -> its exit code; click's usage errors -> one line, exit 2 (BAD_ARGS); a damaged
    or unreadable database met while reading -> exit 6 (STORE); the output (stdout) failing ->
    exit 7 (OUTPUT_WRITE); Ctrl-C -> 130 (INTERRUPTED); anything else is a bug: one line, exit 1
    (INTERNAL_ERROR; ``VANBAN_DEBUG=1`` shows the traceback).
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        previous = _terminate_as_interrupt()
        stdout_errors = _stdout_writes_any_name()
        original_stdout = _stdout_whole_writes()
        exiting = None  # the exit code of a command that ended early (ocr: 3, Ctrl-C: 130)
        try:
            try:
                rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
                sys.stdout.flush()
            except click.exceptions.NoArgsIsHelpError as err:
                err.show()
                sys.exit(err.exit_code)
            except click.UsageError as err:
                hint = f" (see '{err.ctx.command_path} --help')" if err.ctx else ""
                if (isinstance(err, click.NoSuchOption) and err.ctx is not None
                        and err.ctx.command.name == "search"):
                    hint = (f" (a search word starting with '-' goes after '--': "
                            f"vanban search --db DB -- {err.option_name}...)")
                click.echo(f"vanban: error: {one_line(err.format_message())}{hint}", err=True)
                sys.exit(err.exit_code)
            except click.ClickException as err:
                click.echo(f"vanban: error: {one_line(err.format_message())}", err=True)
                sys.exit(err.exit_code)
            except click.exceptions.Abort:
                click.echo("vanban: interrupted", err=True)
                sys.exit(ExitCode.INTERRUPTED)
        except BrokenPipeError:
            # The reader went away (`vanban export ... | head`): stop quietly.
            _silence_stdout()
            sys.exit(0)
        except OSError as err:  # writing standard output failed (disk full, I/O error)
            _silence_stdout()
            _fail(OutputWriteError(f"cannot write: {err.strerror or err}", "standard output"))
        except SystemExit as err:
            exiting = err.code
            raise
        finally:
            _restore_sigterm(previous)  # vanban called from Python (tests) leaves it as found
            unwritten = _restore_stdout(original_stdout)
            _stdout_writes_any_name(stdout_errors)
            if isinstance(unwritten, BrokenPipeError):
                # The reader went away: quietly, as above, but an exit already on its way
                # (3: an input failed; 130: interrupted) is still the one given.
                sys.exit(exiting or 0)
            if unwritten is not None:  # the output of a command that exited early (ocr: 3)
                _fail(OutputWriteError(f"cannot write: {unwritten.strerror or unwritten}",
                                       "standard output"))
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except VanbanError as err:
            _fail(err)
        except KeyboardInterrupt:
            click.echo("vanban: interrupted", err=True)
            sys.exit(ExitCode.INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # the reader went away (`vanban export ... | head`)
            _silence_stdout()
            sys.exit(0)
        except MemoryError:
            if _handles_one_input(ctx):  # a huge input: said as such (exit 3), not as a bug
                _fail(InputTooLargeForMemoryError(_input_of(ctx)))
            # many inputs, or a store: no one input to blame (exit 1, but not "a bug")
            _fail(VanbanError(f"out of memory while running `vanban {ctx.invoked_subcommand}`"
                              ": the machine's memory ran out (free some, or run it where "
                              "there is more)"))
        except sqlite3.Error as err:  # met while reading a damaged database
            db = (ctx.meta.get("vanban_db") or None)
            _fail(StoreError(f"corpus database error: {err}", db))
        except OSError as err:
            if err.filename is None and err.errno in _OUTPUT_ERRNOS:
                raise  # writing standard output failed: handled in main (exit 7)
            _fail(VanbanError(f"internal error (please report it): {err.strerror or err}",
                              str(err.filename) if err.filename else None))
        except Exception as err:
            if os.environ.get("VANBAN_DEBUG"):
                raise
            _fail(VanbanError(f"internal error (please report it; VANBAN_DEBUG=1 shows the "
                              f"traceback): {type(err).__name__}: {err}"))


#: The commands that work on one input (``ocr`` too, given one file).
_ONE_INPUT_COMMANDS = ("run", "extract", "restore")


def _handles_one_input(ctx) -> bool:
    """Whether the command that ran works on one input (out of memory is then that input's)."""
    name = ctx.invoked_subcommand
    inputs = [str(p) for p in ctx.meta.get("vanban_inputs") or ()]
    if name in _ONE_INPUT_COMMANDS:
        return True
    return name == "ocr" and len(inputs) == 1 and not os.path.isdir(inputs[0])


def _input_of(ctx) -> str | None:
    """The one input of the command that ran (``vanban run FILE``), to name in a line."""
    inputs = [str(p) for p in ctx.meta.get("vanban_inputs") or () if str(p) != "-"]
    return inputs[0] if len(inputs) == 1 else None


def _terminate_as_interrupt():
    """SIGTERM (``kill``, a service manager stopping vanban) ends a command as Ctrl-C does:
    one line, exit 130, the store closed cleanly (a batch's last transaction done or rolled
    back, its workers stopped), instead of a silent death. Only in this process: a forked pool
    worker that gets SIGTERM still dies at once."""
    import signal
    main_pid = os.getpid()

    def on_term(signum, frame):
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, on_term)  # the handler it replaces
    except ValueError:  # not the main thread (vanban called from a thread): leave it be
        return None


def _restore_sigterm(previous) -> None:
    """Put back the SIGTERM handler :func:`_terminate_as_interrupt` replaced."""
    if previous is None:
        return
    import signal
    try:
        signal.signal(signal.SIGTERM, previous)
    except ValueError:
        pass


#: Errors of a write to standard output (disk full, quota, file too large, I/O error).
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@click.group(cls=VanbanGroup)
@click.version_option(__version__, prog_name="vanban")
def main() -> None:
    """Scanned Vietnamese directives to structured plan records."""


@main.group("evaluate")
def evaluate() -> None:
    """Measure a stage against gold data (CER, syllable accuracy, field F1)."""


# --------------------------------------------------------------------------------------- ocr
@main.command("ocr")
@click.argument("inputs", nargs=-1, required=True, type=_INPUT_PATHS)
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
@click.option("--format", "fmt", type=LibraryChoice("vanban.ocr:FORMATS"), default="text",
              show_default=True)
@click.option("--jobs", "-j", type=_JOBS, default=None,
              help="Pages OCRed in parallel [default: all cores].")
@click.option("--no-seal-removal", is_flag=True, help="Keep red stamps/seals.")
@click.option("--no-deskew", is_flag=True, help="Do not straighten skewed pages.")
@click.option("--no-orientation", is_flag=True, help="Do not detect 90/180° pages.")
@click.option("--no-upscale", is_flag=True, help="Do not enlarge low-resolution (< 200 dpi) pages.")
@click.option("--force-ocr", is_flag=True, help="OCR PDF pages even when their text layer looks real.")
@click.option("--lang", "-l", default="vie", show_default=True, help="Tesseract language(s).")
@click.option("--engine", type=LibraryChoice("vanban.ocr:ENGINES"), default="tesserocr",
              show_default=True, help="How Tesseract runs: kept loaded (tesserocr) or one "
              "`tesseract` process per call (pytesseract). Same text.")
@_PROGRESS_OPTION
def ocr_cmd(inputs, out, fmt, jobs, no_seal_removal, no_deskew, no_orientation, no_upscale,
            force_ocr, lang, engine, progress):
    """OCR scans (PDF, TIFF, PNG, JPEG, or folders of them) into Vietnamese text.

    Inputs that cannot be read (corrupt, encrypted, empty, mistyped, too large) are reported on
    stderr, one line each, and the others are still processed; the exit status is then 3.
    Pages without text (blank pages) give an empty page and a warning, exit status 0.
    """
    _check_output(out, inputs=inputs)
    from .ocr import OcrOptions, ocr_inputs, render_documents
    options = OcrOptions(jobs=jobs or _default_jobs(), seal_removal=not no_seal_removal,
                         deskew=not no_deskew, orientation=not no_orientation,
                         upscale=not no_upscale, force_ocr=force_ocr, lang=lang, engine=engine)
    bar = _PageProgress(progress, "vanban ocr")
    try:
        docs, errors = ocr_inputs(inputs, options, progress=bar)
    finally:
        bar.close()
    for err in errors:
        click.echo(f"vanban: error: {err}", err=True)
    for doc in docs:
        for warning in doc.meta.get("ocr", {}).get("warnings", []):
            click.echo(f"vanban: warning: {doc.source}: {warning}", err=True)
    if docs or not errors:
        _write_output(render_documents(docs, fmt), out)
    if errors:
        sys.exit(max(e.exit_code for e in errors))


@evaluate.command("ocr")
@click.option("--scans", "scans_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folders of page-NN.jpg with page-NN.gt.txt "
              "[default: dev/scans in $VANBAN_SHARED, else ../shared beside the repository].")
@click.option("--real", "real_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="X.jpg with X_gt.txt (silver) real scans "
              "[default: dev/real-scans in $VANBAN_SHARED, else ../shared beside the repository].")
@click.option("--transcripts", "transcripts_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Human transcriptions <stem>/page-NN.txt of pages of the scans "
              "in --real [default: eval/real-scans in the repository].")
@click.option("--set", "only", multiple=True, type=LibraryChoice("vanban.evaluation.ocr:SETS"),
              help="Only these data sets (repeatable) [default: every set found].")
@click.option("--pages", "per_page", is_flag=True, help="Also print CER per page, systems side by side.")
@click.option("--variants", default="vanban", show_default=True,
              help="Comma-separated option sets: vanban, no-seal-removal, no-deskew, no-upscale, "
                   "no-orientation, no-column-reread, no-preprocessing.")
@click.option("--no-raw", is_flag=True, help="Skip the raw `tesseract` baseline.")
@click.option("--jobs", "-j", type=_JOBS, default=None, help="Pages in parallel [default: all cores].")
@click.option("--json", "as_json", is_flag=True, help="Print the full per-page report as JSON.")
def evaluate_ocr_cmd(scans_dir, real_dir, transcripts_dir, only, per_page, variants, no_raw, jobs,
                     as_json):
    """CER (NFC, whitespace folded) of vanban vs raw Tesseract on dev scans, real scans with
    silver text and real scan pages with a human transcription."""
    from .evaluation.ocr import (VARIANTS, default_real, default_scans, evaluate_sets,
                                 format_pages, format_report)
    names = [v.strip() for v in variants.split(",") if v.strip()]
    unknown = [v for v in names if v not in VARIANTS]
    if unknown:
        raise click.BadParameter(f"unknown variant(s): {', '.join(unknown)}", param_hint="--variants")
    results = evaluate_sets(scans_dir, real_dir, names, jobs=jobs or _default_jobs(),
                            include_raw=not no_raw, transcripts_dir=transcripts_dir,
                            only=list(only) or None)
    if not results:
        click.echo(f"vanban: no evaluation data under {scans_dir or default_scans()} or "
                   f"{real_dir or default_real()} (skipped)", err=True)
        return
    if as_json:
        click.echo(json.dumps({title: report for title, (_, report) in results.items()},
                              ensure_ascii=False, indent=1))
        return
    for title, (pages, report) in results.items():
        click.echo(format_report(f"{title} ({pages} pages)", report) + "\n")
        if per_page:
            click.echo(format_pages(title, report) + "\n")


# ------------------------------------------------------------------------------------- run
@main.command("run")
@click.argument("input_path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("-o", "--output", "out", type=click.Path(), help="Write the record here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["json", "markdown", "text"]), default="json",
              show_default=True, help="json: the plan record; markdown: a review rendering; "
              "text: the normalised text only.")
@click.option("--jobs", "-j", type=_JOBS, default=None,
              help="Pages OCRed in parallel [default: all cores].")
@click.option("--mode", type=LibraryChoice("vanban.pipeline:RESTORE_MODES"),
              default="auto", show_default=True, help="Diacritic restoration mode.")
@_PROGRESS_OPTION
def run_cmd(input_path, out, fmt, jobs, mode, progress):
    """Run the whole pipeline (ocr -> normalize -> extract) on one scan, PDF or text file."""
    _check_output(out, inputs=[input_path])
    from .pipeline import PipelineOptions, mode_options, process_path
    bar = _PageProgress(progress, "vanban run: ocr")
    options = PipelineOptions(jobs=jobs or _default_jobs(), extract=fmt != "text",
                              progress=bar, **mode_options(mode))
    try:
        result = process_path(input_path, options)
    finally:
        bar.close()
    if fmt == "text":
        _write_output(result.document.text, out)
    elif fmt == "markdown":
        from .extract import render_markdown
        _write_output(render_markdown(result.record), out)
    else:
        _write_output(json.dumps(result.record.to_dict(), ensure_ascii=False, indent=2), out)


# ------------------------------------------------------------------------------------- pdf
@main.command("pdf")
@click.argument("inputs", nargs=-1, required=True, type=_INPUT_PATHS)
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path),
              help="Output PDF for one input; a folder for several (OUT/<name>.pdf).")
@click.option("--jobs", "-j", type=_JOBS, default=None,
              help="Pages OCRed in parallel [default: all cores].")
@click.option("--mode", type=LibraryChoice("vanban.pipeline:RESTORE_MODES"),
              default="auto", show_default=True, help="Diacritic restoration of the text layer.")
@click.option("--pdfa", "pdfa_part", type=click.Choice(["3", "2"]), default="3", show_default=True,
              help="3: PDF/A-3b with record.json attached; 2: PDF/A-2b without attachment.")
@click.option("--signature", type=LibraryChoice("vanban.pdfa:SIGNATURE_POLICIES"), default="keep",
              show_default=True, help="Signed input: keep = incremental update that leaves the "
              "signed revision verifiable; invalidate = rewritten PDF/A without a valid signature.")
@click.option("--force-ocr", is_flag=True, help="OCR PDF pages even when their text layer looks real.")
@click.option("--no-seal-removal", is_flag=True, help="Keep red stamps/seals when reading.")
@_PROGRESS_OPTION
def pdf_cmd(inputs, out, jobs, mode, pdfa_part, signature, force_ocr, no_seal_removal, progress):
    """Searchable PDF/A of scans: the original page images, vanban's corrected Vietnamese as an
    invisible text layer, the plan record as metadata and as attached record.json.

    Born-digital PDFs with a real text layer get the metadata only; a garbled invisible layer
    is replaced. A signed input is never changed. Exit status as for `vanban ocr`.
    """
    from .outputs import check_output_parent
    # As every -o: a missing folder is refused before any work (exit 2), not made; a folder
    # OUT for several inputs is made when its parent exists.
    check_output_parent(out, option="-o")
    from .pdfa import PdfOptions, make_pdfs
    options = PdfOptions(jobs=jobs or _default_jobs(), restore_mode=mode,
                         pdfa_part=int(pdfa_part), signature=signature,
                         ocr={"force_ocr": force_ocr, "seal_removal": not no_seal_removal})
    # a line per document on a terminal (or --progress); quiet when piped, as the other commands
    show = sys.stderr.isatty() if progress is None else progress
    reports, errors = make_pdfs(list(inputs), out, options,
                                progress=(lambda m: click.echo(f"vanban: pdf: {m}", err=True))
                                if show else None)
    for report in reports:
        for warning in report.warnings:
            click.echo(one_line(f"vanban: warning: {report.source}: {warning}"), err=True)
    for err in errors:
        click.echo(f"vanban: error: {err}", err=True)
    if errors:
        sys.exit(max(e.exit_code for e in errors))


# ---------------------------------------------------------------------------------- corpus
#: Columns shown by `vanban query --format table` (json/csv carry every column of the kind).
_TABLE_COLUMNS = {
    "document": ["number", "doc_type", "province", "date", "title", "n_objectives", "n_tasks"],
    "objective": ["document_number", "seq", "scope", "text", "n_targets"],
    "target": ["document_number", "value", "unit", "year", "objective_text"],
    "task": ["document_number", "path", "title", "lead", "partners", "timeframe"],
    "reference": ["document_number", "number", "kind", "date", "issuer"],
    "section": ["document_number", "path", "heading", "role"],
    "duty": ["document_number", "agency", "text"],
    "item": ["document_number", "kind", "seq", "text"],
    "error": ["path", "error_type", "reason"],
}


#: Longest filter value accepted (an agency name or a province is far shorter; a huge value
#: would only make SQLite's LIKE fail).
MAX_FILTER_CHARS = 500


def _bounded_text(ctx, param, value):
    if value is not None and len(value) > MAX_FILTER_CHARS:
        raise click.BadParameter(f"{len(value)} characters; at most {MAX_FILTER_CHARS}")
    return value


def _corpus_filters(func):
    """The row filters shared by `vanban query` and `vanban export`."""
    options = [
        click.option("--agency", callback=_bounded_text,
                     help="Tasks naming this agency as lead or partner (documents: also in an "
                     "implementation duty); abbreviations such as 'Sở VHTTDL' work."),
        click.option("--year", type=click.IntRange(1, 9999),
                     help="Document year (target rows: the target's due year)."),
        click.option("--province", callback=_bounded_text,
                     help="Province of the issuer, the whole name (diacritics, case and spacing "
                     "optional: 'dong thap')."),
        click.option("--doc-type", callback=_bounded_text,
                     help="Kế hoạch, Quyết định, Chỉ thị, ... the whole kind (diacritics optional)."),
        click.option("--cites", metavar="NUMBER", callback=_bounded_text,
                     help="Documents citing this number, e.g. 208/QĐ-TTg."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


#: Control characters other than newline and tab: stored text (an old store, a PDF's text
#: layer) may hold them, and in a table on a terminal an escape sequence would act.
_CONTROL_IN_CELL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _shown(text: str) -> str:
    """``text`` for a table cell: control characters written ``\\xNN``, not sent as they are."""
    return _CONTROL_IN_CELL_RE.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def _console(stream=None):
    from rich.console import Console

    class _QuietOnBrokenPipe(Console):
        """rich ends the process with exit 1 when the reader goes away (``| head``); here it
        raises BrokenPipeError instead, which :class:`VanbanGroup` ends with exit 0, quietly,
        like every other command's output."""

        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    stream = stream or sys.stdout
    tty = stream.isatty()
    # Off a terminal rich would wrap at 80 columns; a wider table is easier to read in a file.
    width = None if tty else int(os.environ.get("COLUMNS", "0") or 0) or 200
    return _QuietOnBrokenPipe(file=stream, width=width, no_color=not tty,
                              highlight=False, soft_wrap=False)


def _print_rows(rows: list[dict], fmt: str, columns: list[str], table_columns: list[str],
                out: str | None, title: str | None = None, raw_cells: bool = False) -> None:
    import csv as _csv
    if fmt == "json":
        _write_output(json.dumps(rows, ensure_ascii=False, indent=2), out)
    elif fmt == "csv":
        buf = io.StringIO()
        writer = _csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        from .corpus import spreadsheet_safe_row  # no formula runs when the CSV is opened
        writer.writerows(rows if raw_cells else (spreadsheet_safe_row(row) for row in rows))
        _write_output(buf.getvalue(), out)
    else:
        from rich.table import Table
        from rich.text import Text
        table = Table(title=title, show_lines=False)
        for col in table_columns:
            table.add_column(col, overflow="fold",
                             max_width=70 if col in ("text", "title", "snippet", "objective_text",
                                                     "reason", "heading") else 40)
        for row in rows:
            cells = []
            for col in table_columns:
                value = row.get(col)
                if isinstance(value, Text):
                    cells.append(value)
                else:
                    cells.append(Text(_shown("" if value is None else str(value))))
            table.add_row(*cells)
        if out and out != "-":
            with _output_file(out) as f:
                _console(f).print(table)
        else:
            _console().print(table)


@main.command("batch")
@click.argument("inputs", nargs=-1, required=True, type=_INPUT_PATHS)
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Corpus database (SQLite; created if missing).")
@click.option("--jobs", "-j", type=_JOBS, default=None,
              help="Documents processed in parallel on this machine [default: all cores].")
@click.option("--scheduler", metavar="tcp://HOST:8786",
              help="Run the per-document work on this Dask scheduler's workers instead.")
@click.option("--shared-paths", is_flag=True,
              help="With --scheduler: workers read the input paths themselves (shared "
              "filesystem) instead of receiving the files' bytes.")
@click.option("--mode", type=LibraryChoice("vanban.pipeline:RESTORE_MODES"),
              default="auto", show_default=True, help="Diacritic restoration mode.")
@click.option("--skip-failed", is_flag=True,
              help="Do not retry inputs already in the errors table (one whose content "
              "changed since it failed is new, and processed).")
@click.option("--reprocess", is_flag=True,
              help="Run documents already stored again and replace their records.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar [default: on a terminal; log lines otherwise].")
@click.option("--summary-json", type=click.Path(dir_okay=False),
              help="Also write the summary as JSON here.")
@click.option("--pdf-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write each document's searchable PDF/A here (as `vanban pdf`; with "
              "--scheduler a folder the workers can write).")
@click.option("--timeout", "timeout_s", type=click.IntRange(0, 10**7), default=None,
              metavar="SECONDS", help="Stop a document still running after this long and "
              "record it as failed; 0: no limit; refused with --scheduler [default: 3600].")
def batch_cmd(inputs, db, jobs, scheduler, shared_paths, mode, skip_failed, reprocess, progress,
              summary_json, pdf_dir, timeout_s):
    """Run the pipeline on every PDF, image and .txt under INPUTS and store the records.

    Resumable: documents are keyed by content hash and a re-run skips those already stored.
    Inputs that fail go to the errors table and the batch goes on. Exit status: 0 all stored,
    3 some inputs failed (see `vanban query --kind error`), 4 a required program/model is
    missing, 6 the database cannot be written, 130 interrupted.
    """
    if scheduler and timeout_s:  # said, not silently ignored: Dask cannot stop a task
        raise click.UsageError("--timeout: not with --scheduler (a task running on a Dask "
                               "worker cannot be stopped)")
    _check_output(summary_json, inputs=inputs, store=db, option="--summary-json")
    from .corpus.batch import DEFAULT_TIMEOUT_S, run_batch
    from .pipeline import mode_options
    if timeout_s is None:
        timeout_s = DEFAULT_TIMEOUT_S
    summary = run_batch(inputs, db, jobs=jobs or _default_jobs(), scheduler=scheduler,
                        options={**mode_options(mode),
                                 **({"pdf_dir": str(pdf_dir)} if pdf_dir else {})},
                        progress=progress,
                        retry_failed=not skip_failed, reprocess=reprocess,
                        send_content=(not shared_paths) if scheduler else False,
                        task_timeout=timeout_s or None)
    click.echo(summary.text(), err=True)
    if summary_json:
        with _output_file(summary_json, "--summary-json") as f:
            f.write(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    sys.exit(summary.exit_code)


@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["title", "objective", "task", "purpose", "requirement",
                                 "implementation", "duty", "section", "reference", "text"]),
              help="Search only these units (repeatable).")
@click.option("--documents", "per_document", is_flag=True,
              help="One row per document (its best match) with the number of matches.")
@click.option("--limit", "-n", type=_ROWS, default=20, show_default=True,
              help="Most hits shown (at least 1).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
@_RAW_CELLS_OPTION
def search_cmd(query, db, kinds, per_document, limit, fmt, out, raw_cells):
    """Full-text search of a corpus, ranked, with snippets ("thu vien" finds "thư viện").

    Words must all occur; "quoted phrase", prefix*, and OR between terms work. At most 2,000
    characters and 64 terms. A word starting with '-' goes after '--':
    vanban search --db corpus.db -- -chuyen
    """
    _check_output(out, store=db)
    from .corpus import Store
    text = " ".join(query)
    # On a terminal the matches are shown in reverse video; elsewhere they are [bracketed].
    styled = fmt == "table" and not (out and out != "-") and sys.stdout.isatty()
    with Store(db, readonly=True) as store:
        hits = store.search(text, kind=list(kinds) or None, limit=limit,
                            per_document=per_document,
                            mark=("\x02", "\x03") if styled else ("[", "]"))
    columns = ["document_number", "kind", "ref", "score", "snippet", "document_id", "title",
               "file_name"] + (["matches"] if per_document else [])
    if fmt == "table":
        from rich.text import Text
        for hit in hits:
            rich_text = Text()
            bold = False
            parts = hit["snippet"].replace("\x03", "\x02").split("\x02") if styled \
                else [hit["snippet"]]
            for part in parts:
                rich_text.append(_shown(part), style="bold reverse" if bold else None)
                bold = not bold
            hit["snippet"] = rich_text
            hit["score"] = f"{hit['score']:.2f}"
    shown = ["document_number", "file_name", "kind", "ref", "score", "snippet"]
    if per_document:
        shown = ["document_number", "file_name", "matches", "kind", "ref", "snippet"]
    what = "documents" if per_document else "hits"
    _print_rows(hits, fmt, columns, shown, out,
                title=f"{len(hits)} {what} for {text!r}" if fmt == "table" else None,
                raw_cells=raw_cells)


@main.command("query")
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", type=LibraryChoice("vanban.corpus:KINDS"),
              default="document", show_default=True, help="What one row is.")
@_corpus_filters
@click.option("--limit", "-n", type=_ROWS, default=None,
              help="Most rows shown (at least 1) [default: all].")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
@_RAW_CELLS_OPTION
def query_cmd(db, kind, agency, year, province, doc_type, cites, limit, fmt, out, raw_cells):
    """Structured query of a corpus: documents, objectives, targets, tasks, ... with filters."""
    _check_output(out, store=db)
    from .corpus import COLUMNS, Store
    with Store(db, readonly=True) as store:
        rows = store.query(kind, agency=agency, year=year, province=province, doc_type=doc_type,
                           cites=cites, limit=limit)
    _print_rows(rows, fmt, COLUMNS[kind], _TABLE_COLUMNS[kind], out,
                title=f"{len(rows)} {kind} rows" if fmt == "table" else None,
                raw_cells=raw_cells)


@main.command("export")
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--kind", type=LibraryChoice("vanban.corpus:KINDS"),
              default=None, help="Flat rows of this kind [default: whole records for jsonl, "
              "documents for csv].")
@_corpus_filters
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
@_RAW_CELLS_OPTION
def export_cmd(db, fmt, kind, agency, year, province, doc_type, cites, out, raw_cells):
    """Export records (jsonl: one whole plan record per line) or flat tables (stable columns)."""
    _check_output(out, store=db)
    from .corpus import Store
    filters = dict(agency=agency, year=year, province=province, doc_type=doc_type, cites=cites,
                   guard_formulas=not raw_cells)
    with Store(db, readonly=True) as store:
        if out and out != "-":
            with _output_file(out, newline="") as f:
                count = store.export(fmt, kind=kind, out=f, **filters)
            click.echo(f"export: {count} rows written to {out}", err=True)
        else:
            store.export(fmt, kind=kind, out=sys.stdout, **filters)


@main.command("serve")
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The corpus database (opened read-only).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default is reachable from this machine only).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option("--root", "roots", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder that relative scan paths in the store are resolved against "
              "[default: the database's folder, then the working folder].")
def serve_cmd(db, host, port, roots):
    """A read-only web view of the corpus (search, documents with their page boxes) and a JSON
    API; see docs/web.md."""
    import socket
    from .web import serve
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as err:
            raise click.BadParameter(f"cannot listen on {host}:{port}: {err.strerror}",
                                     param_hint="--host/--port") from None
    click.get_current_context().meta["vanban_db"] = str(db)
    serve(db, host=host, port=port, roots=list(roots) or None,
          ready=lambda: click.echo(f"vanban serve: http://{host}:{port}/ (read-only: {db})",
                                   err=True))


# --------------------------------------------------------------------------------- extract
@main.command("extract")
@click.argument("input_file", default="-", type=click.Path(allow_dash=True, dir_okay=False, exists=True))
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default="json",
              show_default=True, help="json: the plan record; markdown: a review rendering.")
def extract_cmd(input_file, out, fmt):
    """Extract the plan record from a document's text (FILE, or - for stdin)."""
    _check_output(out, inputs=[input_file])
    from .extract import extract_record, render_markdown
    from .pipeline import text_document
    try:
        record = extract_record(text_document(input_file))
    except VanbanError as err:  # say which input it was
        err.path = err.path or ("standard input" if input_file == "-" else input_file)
        raise
    if fmt == "markdown":
        _write_output(render_markdown(record), out)
    else:
        _write_output(json.dumps(record.to_dict(), ensure_ascii=False, indent=2), out)


@evaluate.command("extract")
@click.argument("records", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--gold", "gold_dir", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder of gold records <id>.json.")
@click.option("--from-text", "text_dir", type=click.Path(exists=True, file_okay=False),
              help="Extract records from <id>.txt files in this folder instead of reading RECORDS.")
@click.option("--text-suffix", default=".txt", show_default=True,
              help="File name ending of the texts read by --from-text (e.g. .gold.txt).")
@click.option("--from-pages", "pages_dir", type=click.Path(exists=True, file_okay=False),
              help="Extract from <id>/page-*.gt.txt (or *.txt) in this folder, pages joined with form feeds.")
@click.option("--threshold", type=float, default=85.0, show_default=True,
              help="Minimum fuzz.ratio (0-100) for an item to match a gold item.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--normalize", "pipeline", is_flag=True,
              help="Run the normalize stage on each text before extract (as `vanban run` does).")
@click.option("--flatten", is_flag=True,
              help="Fold every text to one line first (no line breaks, as web copies and dumps come).")
def evaluate_extract_cmd(records, gold_dir, text_dir, text_suffix, pages_dir, threshold, as_json,
                         pipeline, flatten):
    """Per-field precision / recall / F1 of plan records against gold records."""
    from .evaluation.extract import evaluate_extract_inputs
    from .extract.evaluate import format_report
    scores = evaluate_extract_inputs(gold_dir, records=records, text_dir=text_dir,
                                     pages_dir=pages_dir, threshold=threshold,
                                     text_suffix=text_suffix, pipeline=pipeline, flatten=flatten)
    click.echo(json.dumps(scores, ensure_ascii=False, indent=2) if as_json else format_report(scores))


# ------------------------------------------------------------------------------- restore
@main.command("restore")
@click.argument("source", default="-", required=False)
@click.option("--mode", type=LibraryChoice("vanban.normalize:MODES"), default="auto",
              show_default=True, help="stripped: no diacritics; legacy: English-model OCR; "
              "ocr: Tesseract vie output or correct text (conservative); auto: detect.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: the text plus every change with its confidence "
              "and alternatives.")
@click.option("--tone-style", type=click.Choice(["old", "new"]), default=None,
              help="Put tone marks in one style: old (hòa, thủy) or new (hoà, thuỷ).")
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
@_PROGRESS_OPTION
def restore_cmd(source, mode, fmt, tone_style, out, progress):
    """Restore Vietnamese diacritics in FILE (or stdin): same lines, corrected words.

    A long text is restored piece by piece (paragraphs, about 200,000 characters at a time)
    and written as it goes, so memory stays bounded whatever its size.
    """
    _check_output(out, inputs=[source])
    from .pipeline import read_text_source, restore_stream
    text = read_text_source(source)[0]  # the one text reader: regular, not empty, not binary
    bar = _progress_bar(progress, "vanban restore", "char", total=len(text))
    pieces = restore_stream(text, mode, tone_style=tone_style, with_confidence=fmt == "json")
    try:
        if fmt == "json":
            merged, texts = None, []
            for length, result in pieces:  # pieces joined once at the end, not by +=
                texts.append(result.text)
                if merged is None:
                    merged = result
                else:
                    merged.changes.extend(result.changes)
                if bar is not None:
                    bar.update(length)
            merged.text = "".join(texts)
            _write_output(json.dumps(merged.to_dict(), ensure_ascii=False, indent=2), out)
            return
        del text  # the pieces hold what is still needed

        def write_all(f) -> None:
            for length, result in pieces:
                f.write(result.text)
                if bar is not None:
                    bar.update(length)
        if out and out != "-":
            with _output_file(out, newline="") as f:  # the input's line structure, byte for byte
                write_all(f)
        else:
            write_all(sys.stdout)
    finally:
        if bar is not None:
            bar.close()


@main.command("train-lm")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="JSONL.xz corpus [default: corpus/train_corpus.jsonl.xz in $VANBAN_SHARED, "
              "else ../shared beside the repository].")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the model files [default: the package's vanban/data].")
@click.option("--order", type=int, default=5, show_default=True, help="n-gram order (2-5).")
@click.option("--channel-data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also rebuild the legacy-OCR channel model from rendered gold/OCR pages "
              "(made by scripts/normalize_make_channel_data.py).")
@click.option("--keep-holdout", is_flag=True, help="Train on the held-out corpus documents "
              "too (then `evaluate restore --set holdout` no longer measures unseen text).")
@click.option("--general", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="General-language text for the second model, a paragraph a "
              "line (.txt or .txt.xz) [default: general/viwiki.txt.xz beside the corpus].")
@click.option("--no-general", is_flag=True, help="Build the administrative model only.")
def train_lm_cmd(corpus, out_dir, order, channel_data, keep_holdout, general, no_general):
    """Build the syllable n-gram LMs (administrative and general; optionally the legacy-OCR
    channel) from the corpus."""
    from .normalize.training import rebuild_models
    stats = rebuild_models(corpus, out_dir, order=order, channel_data=channel_data,
                           holdout=not keep_holdout, general=False if no_general else general,
                           progress=lambda m: click.echo(m, err=True))
    click.echo(json.dumps(stats, indent=2))


@evaluate.command("restore")
@click.option("--shared", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The shared data folder [default: $VANBAN_SHARED, else ../shared beside the "
              "repository].")
@click.option("--set", "sets", multiple=True,
              type=LibraryChoice("vanban.evaluation.restore:SETS"),
              help="Which evaluations to run [default: all]; holdout: the corpus documents "
              "train-lm leaves out; general: the Wikipedia blocks train-lm leaves out.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where Tesseract vie outputs of the dev scans are cached [default: vie-ocr "
              "in $VANBAN_CACHE, else in ~/.cache/vanban].")
@click.option("--no-pyvi", is_flag=True, help="Skip the pyvi baseline.")
@click.option("--json", "as_json", is_flag=True, help="Rows as JSON instead of a table.")
def evaluate_restore_cmd(shared, sets, cache, no_pyvi, as_json):
    """Syllable accuracy of diacritic restoration on the dev sets (stripped, legacy, vie OCR)."""
    from .evaluation.restore import SETS, evaluate_restore, format_table
    rows = evaluate_restore(shared, sets=tuple(sets) or SETS, cache=cache, with_pyvi=not no_pyvi,
                            progress=lambda m: click.echo(m, err=True))
    click.echo(json.dumps(rows, ensure_ascii=False, indent=2) if as_json else format_table(rows))


if __name__ == "__main__":  # pragma: no cover
    main()
