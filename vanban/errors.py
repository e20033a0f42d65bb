"""Exception types, each mapped to a documented process exit code (as OCRmyPDF does).

:class:`ExitCode` lists every process exit status with its meaning; each exception type
carries its code as ``exit_code``, which the CLI turns into the process status.
"""

from __future__ import annotations

import enum
import os
import re
import stat
from contextlib import contextmanager
from typing import BinaryIO, Iterator


class ExitCode(enum.IntEnum):
    """The process exit status of each outcome."""
    #: success
    OK = 0
    #: unexpected internal error (a bug: please report it)
    INTERNAL_ERROR = 1
    #: bad command line: an unknown option, a bad value, or an output (``-o``) that is the
    #: database, any existing SQLite database or an input of the call, or cannot be written
    #: there (checked before any work)
    BAD_ARGS = 2
    #: at least one input could not be read (corrupt, encrypted, empty, junk, too large), or
    #: a folder given holds no input file; the others were processed
    INPUT_FILE = 3
    #: a required external program or model is missing (tesseract, a language, the LM)
    MISSING_DEPENDENCY = 4
    #: the input was read but is not a document vanban can use (garbage, wrong language)
    NOT_A_DOCUMENT = 5
    #: the corpus database could not be opened or written (missing, damaged, not vanban's,
    #: locked too long)
    STORE = 6
    #: the output file could not be written (disk full, I/O error); the previous file, if any,
    #: is left as it was
    OUTPUT_WRITE = 7
    #: interrupted (Ctrl-C, or SIGTERM: `kill PID`)
    INTERRUPTED = 130


#: Control characters (a newline in a file name above all) that would break a one-line message.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def utf8_text(text: str) -> str:
    """``text`` as UTF-8 can hold it (SQLite, a JSON file, a terminal). A file name that is
    not UTF-8 comes from the OS with its bytes as lone surrogates (``surrogateescape``),
    which UTF-8 refuses: they are written ``\\xff``, any other lone surrogate ``\\udxxx``,
    so that the name is stored and shown instead of the command stopping on it."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def pikepdf_input(path) -> "str | os.PathLike | BinaryIO":
    """What to give ``pikepdf.open`` for the file at ``path``: the path itself, or, when its
    name is not UTF-8 (bytes from an old Windows share, seen as lone surrogates), the file
    opened for reading: pikepdf hands a path's name to its C++ core as UTF-8 and fails on
    such a name with a ``TypeError`` (a good PDF said to be "corrupt or unreadable"), where an
    open file has no name to convert. Python's own ``open`` takes any name."""
    name = os.fspath(path)
    if isinstance(name, bytes) or name.isascii():
        return path
    try:
        name.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return open(name, "rb")  # noqa: SIM115 - pikepdf reads it; see pikepdf_source


@contextmanager
def pikepdf_source(path) -> "Iterator[str | os.PathLike | BinaryIO]":
    """:func:`pikepdf_input` as a context: the file it may open is closed on leaving it,
    not whenever the garbage collector gets to it (an open descriptor per PDF of a long
    batch, and a file Windows cannot delete meanwhile). Use as
    ``with pikepdf_source(p) as src, pikepdf.open(src) as pdf: ...``."""
    source = pikepdf_input(path)
    try:
        yield source
    finally:
        if hasattr(source, "close"):
            source.close()


def one_line(text: str) -> str:
    """``text`` with control characters escaped (``\\n``, ``\\x1b``), so a message stays on
    one line whatever the file name it quotes."""
    def esc(m: re.Match) -> str:
        ch = m.group(0)
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\x{ord(ch):02x}"
                                                           if ord(ch) < 256 else f"\\u{ord(ch):04x}")
    return _CONTROL_RE.sub(esc, utf8_text(str(text)))


class VanbanError(Exception):
    """Base class of every error vanban reports to a user."""
    exit_code = ExitCode.INTERNAL_ERROR

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:  # one line, with the file it concerns
        return one_line(f"{self.path}: {self.message}" if self.path else self.message)


class InputFileError(VanbanError):
    """The input cannot be read: corrupt, encrypted, empty, not the type its name says, too big."""
    exit_code = ExitCode.INPUT_FILE


class EncryptedPdfError(InputFileError):
    """A PDF that needs a password."""


class UnsupportedInputError(InputFileError):
    """A file type vanban does not read, or binary junk."""


class NotARegularFileError(UnsupportedInputError):
    """A FIFO, device or socket: opening or reading it could block forever."""


def check_regular_file(path) -> os.stat_result:
    """``os.stat`` of an input that must be a regular file (checked before it is opened, since
    opening a FIFO blocks until a writer comes); raises :class:`InputFileError` otherwise."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputFileError("no such file or directory", str(path)) from None
    except OSError as err:
        raise InputFileError(f"cannot read: {err.strerror or err}", str(path)) from None
    if stat.S_ISDIR(st.st_mode):
        raise UnsupportedInputError("is a folder, not a file", str(path))
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else
                "a socket" if stat.S_ISSOCK(st.st_mode) else
                "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                "not a regular file")
        raise NotARegularFileError(f"{kind}, not a regular file; save the data to a file first",
                                   str(path))
    return st


class ImageTooLargeError(InputFileError):
    """An image above the pixel limit (decompression-bomb protection)."""


class InputTooLargeForMemoryError(InputFileError):
    """The machine ran out of memory on this input (``MemoryError``): too large for it."""

    def __init__(self, path: str | None = None):
        super().__init__("out of memory while processing this input: too large for the memory "
                         "of this machine (split it, or run it where there is more)", path)


class MissingDependencyError(VanbanError):
    exit_code = ExitCode.MISSING_DEPENDENCY


class NotADocumentError(VanbanError):
    """Readable, but nothing in it looks like Vietnamese administrative text."""
    exit_code = ExitCode.NOT_A_DOCUMENT


class StoreError(VanbanError):
    """The corpus database cannot be opened, read or written."""
    exit_code = ExitCode.STORE


class UsageError(VanbanError):
    """A bad command line found by vanban itself (a filter too long, a query too long)."""
    exit_code = ExitCode.BAD_ARGS


class OutputError(UsageError):
    """An output path that would overwrite the database or an input, or cannot be written."""


class OutputWriteError(VanbanError):
    """Writing the output failed part-way (disk full, I/O error); nothing was replaced."""
    exit_code = ExitCode.OUTPUT_WRITE


#: Names kept for callers that import them.
EXIT_OK = ExitCode.OK
EXIT_INTERRUPTED = ExitCode.INTERRUPTED
