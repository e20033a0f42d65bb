"""Calling the CLI in-process for the data-safety tests, and reading its one-line errors."""

from click.testing import CliRunner

from vanban.cli import main

#: A plan's first lines: enough for extract to find its kind and title.
PLAN = "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG\nKẾ HOẠCH\nPhát triển thư viện tỉnh Hà Giang\n"


def run_cli(args, **kwargs):
    """``vanban ARGS`` through click's runner (paths may be given as Path objects)."""
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def one_error_line(output: str) -> str:
    """The command's only output line, which must be vanban's one-line error, no traceback."""
    lines = [line for line in output.strip().splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith("vanban: error: "), output
    assert "Traceback" not in output
    return lines[0]
