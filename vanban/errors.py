"""Exception types, each mapped to a documented process exit code (as OCRmyPDF does).

| code | meaning |
|---|---|
| 0 | success |
| 1 | unexpected internal error (a bug: please report it) |
| 2 | bad command line (click's usage errors) |
| 3 | at least one input could not be read (corrupt, encrypted, empty, junk, too large); the others were processed |
| 4 | a required external program or model is missing (tesseract, a language, the LM) |
| 5 | the input was read but is not a document vanban can use (garbage, wrong language) |
| 6 | the corpus database could not be opened or written |
| 130 | interrupted (Ctrl-C) |
"""

from __future__ import annotations


class VanbanError(Exception):
    """Base class of every error vanban reports to a user."""
    exit_code = 1

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:  # one line, with the file it concerns
        return f"{self.path}: {self.message}" if self.path else self.message


class InputFileError(VanbanError):
    """The input cannot be read: corrupt, encrypted, empty, not the type its name says, too big."""
    exit_code = 3


class EncryptedPdfError(InputFileError):
    """A PDF that needs a password."""


class UnsupportedInputError(InputFileError):
    """A file type vanban does not read, or binary junk."""


class ImageTooLargeError(InputFileError):
    """An image above the pixel limit (decompression-bomb protection)."""


class MissingDependencyError(VanbanError):
    exit_code = 4


class NotADocumentError(VanbanError):
    """Readable, but nothing in it looks like Vietnamese administrative text."""
    exit_code = 5


class StoreError(VanbanError):
    exit_code = 6


EXIT_OK = 0
EXIT_INTERRUPTED = 130
