"""vanban's command line: thin click wrappers over the library API.

Every command parses options, calls one library function and prints its result; errors are
:class:`vanban.errors.VanbanError` subclasses whose ``exit_code`` becomes the process status
(table in :mod:`vanban.errors`).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_INTERRUPTED, VanbanError


def _fail(err: VanbanError) -> None:
    click.echo(f"vanban: error: {err}", err=True)
    sys.exit(err.exit_code)


def _write_output(text: str, out: str | None) -> None:
    if out and out != "-":
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")


def _default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


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
@click.option("--force-ocr", is_flag=True, help="OCR PDF pages even when their text layer looks real.")
def ocr_cmd(inputs, out, fmt, jobs, no_seal_removal, no_deskew, no_orientation, force_ocr):
    """OCR scans (PDF, TIFF, PNG, JPEG, or folders of them) into Vietnamese text."""
    from .ocr import OcrOptions, ocr_inputs, render_documents
    options = OcrOptions(jobs=jobs or _default_jobs(), seal_removal=not no_seal_removal,
                         deskew=not no_deskew, orientation=not no_orientation,
                         force_ocr=force_ocr)
    docs, errors = ocr_inputs(inputs, options)
    for err in errors:
        click.echo(f"vanban: error: {err}", err=True)
    _write_output(render_documents(docs, fmt), out)
    if errors:
        sys.exit(max(e.exit_code for e in errors))


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
    from .pipeline import PipelineOptions, process_path
    options = PipelineOptions(jobs=jobs or _default_jobs(), normalize=mode != "off",
                              restore_mode=mode if mode != "off" else "auto",
                              extract=fmt != "text")
    result = process_path(input_path, options)
    if fmt == "text":
        _write_output(result.document.text, out)
    elif fmt == "markdown":
        from .extract import render_markdown
        _write_output(render_markdown(result.record), out)
    else:
        _write_output(json.dumps(result.record.to_dict(), ensure_ascii=False, indent=2), out)


if __name__ == "__main__":  # pragma: no cover
    main()
