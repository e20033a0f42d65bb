"""vanban's command line: thin click wrappers over the library API.

Every command parses options, calls one library function and prints its result; errors are
:class:`vanban.errors.VanbanError` subclasses whose ``exit_code`` becomes the process status
(table in :mod:`vanban.errors`).
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import click

from . import __version__
from .errors import EXIT_INTERRUPTED, VanbanError


def _fail(err: VanbanError) -> None:
    click.echo(f"vanban: error: {err}", err=True)
    sys.exit(err.exit_code)


@contextmanager
def _output_file(out: str, option: str = "-o", newline: str | None = None) -> Iterator[IO[str]]:
    """``out`` open for writing; one that cannot be written is a bad command line (exit 2)."""
    try:
        f = open(out, "w", encoding="utf-8", newline=newline)
    except OSError as err:
        raise click.BadParameter(f"cannot write {out}: {err.strerror or err}",
                                 param_hint=option) from None
    with f:
        yield f


def _write_output(text: str, out: str | None) -> None:
    if out and out != "-":
        with _output_file(out) as f:
            f.write(text)
    else:
        sys.stdout.write(text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")


def _default_jobs() -> int:
    from .pipeline import default_jobs
    return default_jobs()


class VanbanGroup(click.Group):
    """Maps VanbanError to its exit code and Ctrl-C to 130 for every command."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except VanbanError as err:
            _fail(err)
        except KeyboardInterrupt:
            click.echo("vanban: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=VanbanGroup)
@click.version_option(__version__, prog_name="vanban")
def main() -> None:
    """Scanned Vietnamese directives to structured plan records."""


@main.group("evaluate")
def evaluate() -> None:
    """Measure a stage against gold data (CER, syllable accuracy, field F1)."""


# --------------------------------------------------------------------------------------- ocr
@main.command("ocr")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "hocr"]), default="text",
              show_default=True)
@click.option("--jobs", "-j", type=int, default=None, help="Pages OCRed in parallel [default: all cores].")
@click.option("--no-seal-removal", is_flag=True, help="Keep red stamps/seals.")
@click.option("--no-deskew", is_flag=True, help="Do not straighten skewed pages.")
@click.option("--no-orientation", is_flag=True, help="Do not detect 90/180° pages.")
@click.option("--no-upscale", is_flag=True, help="Do not enlarge low-resolution (< 200 dpi) pages.")
@click.option("--force-ocr", is_flag=True, help="OCR PDF pages even when their text layer looks real.")
@click.option("--lang", "-l", default="vie", show_default=True, help="Tesseract language(s).")
def ocr_cmd(inputs, out, fmt, jobs, no_seal_removal, no_deskew, no_orientation, no_upscale,
            force_ocr, lang):
    """OCR scans (PDF, TIFF, PNG, JPEG, or folders of them) into Vietnamese text.

    Inputs that cannot be read (corrupt, encrypted, empty, mistyped, too large) are reported on
    stderr, one line each, and the others are still processed; the exit status is then 3.
    Pages without text (blank pages) give an empty page and a warning, exit status 0.
    """
    from .ocr import OcrOptions, ocr_inputs, render_documents
    options = OcrOptions(jobs=jobs or _default_jobs(), seal_removal=not no_seal_removal,
                         deskew=not no_deskew, orientation=not no_orientation,
                         upscale=not no_upscale, force_ocr=force_ocr, lang=lang)
    docs, errors = ocr_inputs(inputs, options)
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
              "[default: ../shared/dev/scans beside the repository].")
@click.option("--real", "real_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="X.jpg with X_gt.txt (silver) real scans "
              "[default: ../shared/dev/real-scans beside the repository].")
@click.option("--variants", default="vanban", show_default=True,
              help="Comma-separated option sets: vanban, no-seal-removal, no-deskew, no-upscale, "
                   "no-orientation, no-column-reread, no-preprocessing.")
@click.option("--no-raw", is_flag=True, help="Skip the raw `tesseract` baseline.")
@click.option("--jobs", "-j", type=int, default=None, help="Pages in parallel [default: all cores].")
@click.option("--json", "as_json", is_flag=True, help="Print the full per-page report as JSON.")
def evaluate_ocr_cmd(scans_dir, real_dir, variants, no_raw, jobs, as_json):
    """CER (NFC, whitespace folded) of vanban vs raw Tesseract on dev scans and real scans."""
    from .ocr.evaluate import DEFAULT_REAL, DEFAULT_SCANS, VARIANTS, evaluate_sets, format_report
    names = [v.strip() for v in variants.split(",") if v.strip()]
    unknown = [v for v in names if v not in VARIANTS]
    if unknown:
        raise click.BadParameter(f"unknown variant(s): {', '.join(unknown)}", param_hint="--variants")
    results = evaluate_sets(scans_dir, real_dir, names, jobs=jobs or _default_jobs(),
                            include_raw=not no_raw)
    if not results:
        click.echo(f"vanban: no evaluation data under {scans_dir or DEFAULT_SCANS} or "
                   f"{real_dir or DEFAULT_REAL} (skipped)", err=True)
        return
    if as_json:
        click.echo(json.dumps({title: report for title, (_, report) in results.items()},
                              ensure_ascii=False, indent=1))
        return
    for title, (pages, report) in results.items():
        click.echo(format_report(f"{title} ({pages} pages)", report) + "\n")


# ------------------------------------------------------------------------------------- run
@main.command("run")
@click.argument("input_path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("-o", "--output", "out", type=click.Path(), help="Write the record here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["json", "markdown", "text"]), default="json",
              show_default=True, help="json: the plan record; markdown: a review rendering; "
              "text: the normalised text only.")
@click.option("--jobs", "-j", type=int, default=None, help="Pages OCRed in parallel [default: all cores].")
@click.option("--mode", type=click.Choice(["auto", "stripped", "legacy", "ocr", "off"]),
              default="auto", show_default=True, help="Diacritic restoration mode.")
def run_cmd(input_path, out, fmt, jobs, mode):
    """Run the whole pipeline (ocr -> normalize -> extract) on one scan, PDF or text file."""
    from .pipeline import PipelineOptions, mode_options, process_path
    options = PipelineOptions(jobs=jobs or _default_jobs(), extract=fmt != "text",
                              **mode_options(mode))
    result = process_path(input_path, options)
    if fmt == "text":
        _write_output(result.document.text, out)
    elif fmt == "markdown":
        from .extract import render_markdown
        _write_output(render_markdown(result.record), out)
    else:
        _write_output(json.dumps(result.record.to_dict(), ensure_ascii=False, indent=2), out)


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


def _corpus_filters(func):
    """The row filters shared by `vanban query` and `vanban export`."""
    options = [
        click.option("--agency", help="Tasks (or documents) naming this agency as lead or partner."),
        click.option("--year", type=int, help="Document year (target rows: the target's due year)."),
        click.option("--province", help="Province of the issuer (diacritics optional)."),
        click.option("--doc-type", help="Kế hoạch, Quyết định, Chỉ thị, ... (diacritics optional)."),
        click.option("--cites", metavar="NUMBER", help="Documents citing this number, e.g. 208/QĐ-TTg."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _console(stream=None):
    from rich.console import Console
    stream = stream or sys.stdout
    tty = stream.isatty()
    # Off a terminal rich would wrap at 80 columns; a wider table is easier to read in a file.
    width = None if tty else int(os.environ.get("COLUMNS", "0") or 0) or 200
    return Console(file=stream, width=width, no_color=not tty,
                   highlight=False, soft_wrap=False)


def _print_rows(rows: list[dict], fmt: str, columns: list[str], table_columns: list[str],
                out: str | None, title: str | None = None) -> None:
    import csv as _csv
    import io
    if fmt == "json":
        _write_output(json.dumps(rows, ensure_ascii=False, indent=2), out)
    elif fmt == "csv":
        buf = io.StringIO()
        writer = _csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
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
                    cells.append(Text("" if value is None else str(value)))
            table.add_row(*cells)
        if out and out != "-":
            with _output_file(out) as f:
                _console(f).print(table)
        else:
            _console().print(table)


@main.command("batch")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Corpus database (SQLite; created if missing).")
@click.option("--jobs", "-j", type=int, default=None,
              help="Documents processed in parallel on this machine [default: all cores].")
@click.option("--scheduler", metavar="tcp://HOST:8786",
              help="Run the per-document work on this Dask scheduler's workers instead.")
@click.option("--shared-paths", is_flag=True,
              help="With --scheduler: workers read the input paths themselves (shared "
              "filesystem) instead of receiving the files' bytes.")
@click.option("--mode", type=click.Choice(["auto", "stripped", "legacy", "ocr", "off"]),
              default="auto", show_default=True, help="Diacritic restoration mode.")
@click.option("--skip-failed", is_flag=True,
              help="Do not retry inputs already in the errors table.")
@click.option("--reprocess", is_flag=True,
              help="Run documents already stored again and replace their records.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar [default: on a terminal; log lines otherwise].")
@click.option("--summary-json", type=click.Path(dir_okay=False),
              help="Also write the summary as JSON here.")
def batch_cmd(inputs, db, jobs, scheduler, shared_paths, mode, skip_failed, reprocess, progress,
              summary_json):
    """Run the pipeline on every PDF, image and .txt under INPUTS and store the records.

    Resumable: documents are keyed by content hash and a re-run skips those already stored.
    Inputs that fail go to the errors table and the batch goes on. Exit status: 0 all stored,
    3 some inputs failed (see `vanban query --kind error`), 4 a required program/model is
    missing, 6 the database cannot be written, 130 interrupted.
    """
    from .corpus.batch import run_batch
    from .pipeline import mode_options
    summary = run_batch(inputs, db, jobs=jobs or _default_jobs(), scheduler=scheduler,
                        options=mode_options(mode), progress=progress,
                        retry_failed=not skip_failed, reprocess=reprocess,
                        send_content=(not shared_paths) if scheduler else False)
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
@click.option("--limit", "-n", type=int, default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
def search_cmd(query, db, kinds, per_document, limit, fmt, out):
    """Full-text search of a corpus, ranked, with snippets ("thu vien" finds "thư viện").

    Words must all occur; "quoted phrase", prefix*, and OR between terms work.
    """
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
                rich_text.append(part, style="bold reverse" if bold else None)
                bold = not bold
            hit["snippet"] = rich_text
            hit["score"] = f"{hit['score']:.2f}"
    shown = ["document_number", "file_name", "kind", "ref", "score", "snippet"]
    if per_document:
        shown = ["document_number", "file_name", "matches", "kind", "ref", "snippet"]
    what = "documents" if per_document else "hits"
    _print_rows(hits, fmt, columns, shown, out,
                title=f"{len(hits)} {what} for {text!r}" if fmt == "table" else None)


@main.command("query")
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(["document", "objective", "target", "task", "reference",
                                           "section", "duty", "item", "error"]),
              default="document", show_default=True, help="What one row is.")
@_corpus_filters
@click.option("--limit", "-n", type=int, default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
def query_cmd(db, kind, agency, year, province, doc_type, cites, limit, fmt, out):
    """Structured query of a corpus: documents, objectives, targets, tasks, ... with filters."""
    from .corpus import COLUMNS, Store
    with Store(db, readonly=True) as store:
        rows = store.query(kind, agency=agency, year=year, province=province, doc_type=doc_type,
                           cites=cites, limit=limit)
    _print_rows(rows, fmt, COLUMNS[kind], _TABLE_COLUMNS[kind], out,
                title=f"{len(rows)} {kind} rows" if fmt == "table" else None)


@main.command("export")
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--kind", type=click.Choice(["document", "objective", "target", "task", "reference",
                                           "section", "duty", "item", "error"]),
              default=None, help="Flat rows of this kind [default: whole records for jsonl, "
              "documents for csv].")
@_corpus_filters
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
def export_cmd(db, fmt, kind, agency, year, province, doc_type, cites, out):
    """Export records (jsonl: one whole plan record per line) or flat tables (stable columns)."""
    from .corpus import Store
    filters = dict(agency=agency, year=year, province=province, doc_type=doc_type, cites=cites)
    with Store(db, readonly=True) as store:
        if out and out != "-":
            with _output_file(out, newline="") as f:
                count = store.export(fmt, kind=kind, out=f, **filters)
            click.echo(f"export: {count} rows written to {out}", err=True)
        else:
            store.export(fmt, kind=kind, out=sys.stdout, **filters)


# --------------------------------------------------------------------------------- extract
@main.command("extract")
@click.argument("input_file", default="-", type=click.Path(allow_dash=True, dir_okay=False, exists=True))
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default="json",
              show_default=True, help="json: the plan record; markdown: a review rendering.")
def extract_cmd(input_file, out, fmt):
    """Extract the plan record from a document's text (FILE, or - for stdin)."""
    from .extract import extract_record, render_markdown
    from .pipeline import text_document
    record = extract_record(text_document(input_file))
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
def evaluate_extract_cmd(records, gold_dir, text_dir, text_suffix, pages_dir, threshold, as_json,
                         pipeline):
    """Per-field precision / recall / F1 of plan records against gold records."""
    from .extract.evaluate import evaluate_extract_inputs, format_report
    scores = evaluate_extract_inputs(gold_dir, records=records, text_dir=text_dir,
                                     pages_dir=pages_dir, threshold=threshold,
                                     text_suffix=text_suffix, pipeline=pipeline)
    click.echo(json.dumps(scores, ensure_ascii=False, indent=2) if as_json else format_report(scores))


# ------------------------------------------------------------------------------- restore
def _read_text_input(source: str) -> str:
    """Text of FILE or stdin ('-'); 8-bit legacy files (TCVN3/VNI) are read byte for byte."""
    from .errors import InputFileError
    from .pipeline import decode_text
    if source == "-":
        return decode_text(sys.stdin.buffer.read())
    path = Path(source)
    if not path.is_file():
        raise InputFileError("no such file", source)
    try:
        return decode_text(path.read_bytes())
    except OSError as err:
        raise InputFileError(f"cannot read: {err.strerror or err}", source) from err


@main.command("restore")
@click.argument("source", default="-", required=False)
@click.option("--mode", type=click.Choice(["auto", "stripped", "legacy", "ocr"]), default="auto",
              show_default=True, help="stripped: no diacritics; legacy: English-model OCR; "
              "ocr: Tesseract vie output or correct text (conservative); auto: detect.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: the text plus every change with its confidence "
              "and alternatives.")
@click.option("--tone-style", type=click.Choice(["old", "new"]), default=None,
              help="Put tone marks in one style: old (hòa, thủy) or new (hoà, thuỷ).")
@click.option("-o", "--output", "out", type=click.Path(), help="Write here instead of stdout.")
def restore_cmd(source, mode, fmt, tone_style, out):
    """Restore Vietnamese diacritics in FILE (or stdin): same lines, corrected words."""
    from .normalize import restore_text
    result = restore_text(_read_text_input(source), mode, tone_style=tone_style,
                          with_confidence=fmt == "json")
    if fmt == "json":
        _write_output(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), out)
    elif out and out != "-":
        with _output_file(out, newline="") as f:  # the input's line structure, byte for byte
            f.write(result.text)
    else:
        sys.stdout.write(result.text)


@main.command("train-lm")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="JSONL.xz corpus [default: ../shared/corpus/train_corpus.jsonl.xz].")
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
    from .normalize.lm import rebuild_models
    stats = rebuild_models(corpus, out_dir, order=order, channel_data=channel_data,
                           holdout=not keep_holdout, general=False if no_general else general,
                           progress=lambda m: click.echo(m, err=True))
    click.echo(json.dumps(stats, indent=2))


@evaluate.command("restore")
@click.option("--shared", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The shared data folder [default: ../shared].")
@click.option("--set", "sets", multiple=True,
              type=click.Choice(["stripped", "legacy", "unchanged", "vie-ocr", "holdout",
                                 "general"]),
              help="Which evaluations to run [default: all]; holdout: the corpus documents "
              "train-lm leaves out; general: the Wikipedia blocks train-lm leaves out.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path),
              default=Path("/work/cache/vie-ocr"), show_default=True,
              help="Where Tesseract vie outputs of the dev scans are cached.")
@click.option("--no-pyvi", is_flag=True, help="Skip the pyvi baseline.")
@click.option("--json", "as_json", is_flag=True, help="Rows as JSON instead of a table.")
def evaluate_restore_cmd(shared, sets, cache, no_pyvi, as_json):
    """Syllable accuracy of diacritic restoration on the dev sets (stripped, legacy, vie OCR)."""
    from .normalize.evaluate import SHARED, evaluate_restore, format_table
    rows = evaluate_restore(shared or SHARED, sets=tuple(sets) or ("stripped", "legacy",
                            "unchanged", "vie-ocr", "holdout", "general"), cache=cache, with_pyvi=not no_pyvi,
                            progress=lambda m: click.echo(m, err=True))
    click.echo(json.dumps(rows, ensure_ascii=False, indent=2) if as_json else format_table(rows))


if __name__ == "__main__":  # pragma: no cover
    main()
