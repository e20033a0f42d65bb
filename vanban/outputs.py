"""Writing an output file without ever destroying the store or an input.

Every command that writes a file (``-o``, ``--summary-json``) goes through :func:`check_output`
before any work is done, then writes through :func:`atomic_output`:

- the output must not be the corpus database (or its ``-wal``/``-shm``/``-journal`` files) nor
  any input of the call: compared as resolved paths *and* as the same file on disk
  (``os.path.samefile``: symlinks and hard links included);
- nor an existing SQLite database, or its side files (a corpus no ``--db`` of the call
  names: ``vanban restore a.txt -o corpus.db`` would replace the corpus);
- its folder must exist and be writable, and it must not be a folder itself;
- the text is written to a temporary file in the same folder and renamed over the target only
  when complete, so a failed write (disk full, Ctrl-C) leaves the old file (or none), never a
  truncated one. A target that is not a regular file (``/dev/stdout``, ``/dev/null``, a pipe)
  is written directly, since it cannot be renamed over.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import time
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import OutputError, OutputWriteError

#: Files SQLite keeps beside a database; writing over one of them corrupts the database.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")

#: Suffixes a walk of an input folder picks up (``vanban.corpus.batch.discover``); an output
#: with one of them inside an input folder would be read back as a document.
FOLDER_INPUT_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt"})


def picked_up_in_folder(relative: Path) -> bool:
    """Whether a walk of a folder takes the file at ``relative`` (to that folder) as an input:
    no hidden component and an input suffix."""
    from .folders import picked_up
    return picked_up(relative, FOLDER_INPUT_SUFFIXES)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return False


def _protected(inputs: Iterable[str | Path | None], store: str | Path | None) -> list[tuple[Path, str]]:
    out: list[tuple[Path, str]] = []
    for p in inputs:
        if p is not None and str(p) != "-":
            out.append((Path(p), "an input of this command"))
    if store is not None:
        out.append((Path(store), "the corpus database"))
        for suffix in SQLITE_SIDE_FILES:
            out.append((Path(str(store) + suffix), "a file of the corpus database"))
    return out


def _input_folders(inputs: Iterable[str | Path | None]) -> list[Path]:
    """The resolved folders among ``inputs`` (a command reads the files inside them)."""
    return [Path(os.path.realpath(p)) for p in inputs
            if p is not None and str(p) != "-" and os.path.isdir(p)]


def check_output_folder(folder: str | Path | None, *, inputs: Iterable[str | Path | None] = (),
                        option: str, here: bool = True) -> None:
    """Raise :class:`OutputError` (exit 2) for an output *folder* that is, or lies inside, an
    input folder: its files would be read back as new inputs by the next run (a batch would
    store every searchable PDF it wrote as one more document); or, when it is written on this
    machine (``here``; not a Dask cluster's folder), whose parent folder does not exist (the
    folder itself is made, its parents are not: :func:`check_output_parent`)."""
    if folder is None:
        return
    real = Path(os.path.realpath(folder))
    for given in _input_folders(inputs):
        if real.is_relative_to(given):
            raise OutputError(f"{option} is inside the input folder {given}: a later run would "
                              "read its files as new inputs; choose a folder outside the inputs",
                              str(folder))
    if real.exists() and not real.is_dir():
        raise OutputError(f"{option} is a file, not a folder", str(folder))
    if here:
        check_output_parent(folder, option=option)


def check_output_parent(out: str | Path, *, option: str) -> None:
    """Raise :class:`OutputError` (exit 2) for an output (a file, or a folder a command makes)
    whose folder does not exist: as for every ``-o``, a mistyped path or a mount that failed
    is said before any work, not silently made (``mkdir -p``) on the wrong disk."""
    real = Path(os.path.realpath(out))
    if not real.exists() and not real.parent.is_dir():
        raise OutputError(f"{option}: no such folder {real.parent}", str(out))


#: The first bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def has_sqlite_header(path: str | Path) -> bool:
    """Whether the file at ``path`` starts with :data:`SQLITE_HEADER` (a SQLite 3 database).
    Raises ``OSError`` when it cannot be read; a file shorter than the header is not one."""
    with open(path, "rb") as f:
        return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _sqlite_database_at(target: Path) -> Path | None:
    """The SQLite database that writing ``target`` would destroy: ``target`` itself when it
    is one, or the database whose ``-wal``/``-shm``/``-journal`` file it is; else None."""
    candidates = [target]
    for suffix in SQLITE_SIDE_FILES:
        if target.name.endswith(suffix) and len(target.name) > len(suffix):
            candidates.append(target.with_name(target.name[:-len(suffix)]))
    for path in candidates:
        try:
            if path.is_file() and has_sqlite_header(path):
                return path
        except OSError:
            continue
    return None


def is_stdout(out: str | Path | None) -> bool:
    return out is None or str(out) == "-"


def check_output(out: str | Path | None, *, inputs: Iterable[str | Path | None] = (),
                 store: str | Path | None = None, option: str = "-o",
                 database: bool = False) -> None:
    """Raise :class:`OutputError` (exit 2) unless ``out`` can be written without harm.

    ``inputs``: every file (or folder) the command reads; ``store``: the corpus database.
    An existing SQLite database (or one of its side files) is never an output, whatever the
    command (a corpus named by no ``--db`` of this call), unless ``database``: ``out`` is
    the store a batch writes into.
    Called before any work, so a bad output path costs nothing (no OCR run for nothing).
    """
    if is_stdout(out):
        return
    inputs = list(inputs)
    target = Path(out)
    real = Path(os.path.realpath(target))
    for path, what in _protected(inputs, store):
        if real == Path(os.path.realpath(path)) or _same_file(target, path):
            raise OutputError(f"{option} would overwrite {what} ({path}); choose another "
                              "output file", str(out))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        blocking = next((p for p in real.parents if p.exists() and not p.is_dir()), real.parent)
        raise OutputError(f"{option}: is a file, not a folder: {blocking}", str(out)) from None
    except OSError as err:
        raise OutputError(f"{option}: cannot use this output: {err.strerror or err}",
                          str(out)) from None
    if st is None or stat.S_ISREG(st.st_mode):
        # A file a walk of an input folder takes is one of its inputs (when it exists) or
        # would be read as a new document by the next run (when it does not yet). Other
        # files there (the store, a .json summary) are not read, so they may live there.
        for folder in _input_folders(inputs):
            if real.is_relative_to(folder) and picked_up_in_folder(real.relative_to(folder)):
                what = ("overwrite an input inside" if st is not None
                        else "be read back as a new document from")
                raise OutputError(f"{option} would {what} the input folder {folder}; choose "
                                  "another output file", str(out))
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{option} is a folder; give a file name", str(out))
    existing = None if database else _sqlite_database_at(target)
    if existing is not None:  # a corpus of another call (no --db names it here)
        raise OutputError(f"{option} would overwrite a SQLite database ({existing}), a corpus "
                          "perhaps; choose another output file", str(out))
    if st is not None and not stat.S_ISREG(st.st_mode):
        return  # /dev/null, /dev/stdout, a pipe: written directly
    folder = real.parent
    if not folder.is_dir():
        raise OutputError(f"{option}: no such folder {folder}", str(out))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{option}: folder {folder} is not writable", str(out))
    if st is not None and not os.access(target, os.W_OK):
        raise OutputError(f"{option}: file is not writable", str(out))


#: How a character UTF-8 cannot hold is written to an output file: a lone surrogate (the
#: undecodable bytes of a file name quoted in a record, ``surrogateescape``) as ``\\udcff``,
#: which JSON readers turn back into the same string, instead of the command failing after
#: its work is done.
_UNENCODABLE = "backslashreplace"


#: The longest file name, in bytes, when the folder's file system does not say (NAME_MAX of
#: ext4, XFS, btrfs, tmpfs).
DEFAULT_NAME_MAX = 255
#: Hex digits of the hash of the whole stem that a shortened stem ends with.
_STEM_HASH_CHARS = 12
#: Hex digits of an input's SHA-256 in :func:`content_name`.
CONTENT_HASH_CHARS = 12
#: Stands for the random part of a ``tempfile.mkstemp`` name (8 characters) where the length
#: of a temporary name is counted.
MKSTEMP_RANDOM = "XXXXXXXX"


def name_max(folder: str | Path) -> int:
    """The longest file name, in bytes, that ``folder``'s file system takes."""
    try:
        value = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # no such folder yet, or no pathconf
        return DEFAULT_NAME_MAX
    return value if 0 < value < DEFAULT_NAME_MAX else DEFAULT_NAME_MAX


def fitting_stem(stem: str, rest: str, limit: int = DEFAULT_NAME_MAX) -> str:
    """``stem`` as the stem of an output name whose other parts are ``rest`` (``.pdf``,
    ``-<sha>.pdf``, a temporary file's ``..XXXXXXXX.tmp``: their bytes are counted):
    ``stem`` itself when the name fits in ``limit`` bytes, else its start, cut between two
    characters (never between a letter and its accent), then ``~`` and the first 12 hex
    digits of the SHA-256 of the whole stem. An input name may be as long as the file
    system allows, so ``<name>.pdf`` of ``<name>.tif``, or ``<name>-<sha>.pdf``, can be too
    long to create (ENAMETOOLONG). The short stem is the same on every run, and two long
    names with one start (a series of scans named after one long title) keep two stems;
    the bytes counted are the name's on disk (a name that is not UTF-8 included)."""
    whole = os.fsencode(stem)
    rest_bytes = len(os.fsencode(rest))
    if len(whole) + rest_bytes <= limit:
        return stem
    tail = "~" + hashlib.sha256(whole).hexdigest()[:_STEM_HASH_CHARS]
    room = max(0, limit - rest_bytes - len(tail))
    cut = size = 0
    for ch in stem:
        size += len(os.fsencode(ch))
        if size > room:
            break
        cut += 1
    while 0 < cut < len(stem) and unicodedata.combining(stem[cut]):
        cut -= 1  # a decomposed letter is cut before its base, not between it and its mark
    return stem[:cut] + tail


def plain_name(stem: str, suffix: str, limit: int = DEFAULT_NAME_MAX) -> str:
    """``<stem><suffix>``, the stem shortened by :func:`fitting_stem` when the name would not
    fit in ``limit`` bytes: an output's first choice of name."""
    return fitting_stem(stem, suffix, limit) + suffix


def content_name(stem: str, sha256: str, suffix: str, limit: int = DEFAULT_NAME_MAX) -> str:
    """``<stem>-<sha256[:12]><suffix>``: the name of an output whose :func:`plain_name`
    another input of the same stem took. It belongs to that content alone (the hash is never
    cut; the stem is, when the name would not fit in ``limit`` bytes)."""
    rest = f"-{sha256[:CONTENT_HASH_CHARS]}{suffix}"
    return fitting_stem(stem, rest, limit) + rest


@contextmanager
def atomic_output(out: str | Path, newline: str | None = None) -> Iterator[IO[str]]:
    """A text file (UTF-8) that replaces ``out`` only once completely written.

    An ``OSError`` while writing (disk full, I/O error) becomes :class:`OutputWriteError`
    (one line, exit 7) and the temporary file is removed; ``out`` is left as it was.
    """
    real = Path(os.path.realpath(out))  # write through a symlink, do not replace the link
    try:
        st = os.stat(real)
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        try:
            with open(real, "w", encoding="utf-8", errors=_UNENCODABLE, newline=newline) as f:
                yield f
        except OSError as err:
            raise OutputWriteError(f"cannot write: {err.strerror or err}", str(out)) from None
        return
    try:
        # the temporary name is longer than a name that may itself be as long as the file
        # system allows
        short = fitting_stem(real.name, f"..{MKSTEMP_RANDOM}.tmp", name_max(real.parent))
        fd, tmp = tempfile.mkstemp(prefix=f".{short}.", suffix=".tmp", dir=real.parent)
    except OSError as err:
        raise OutputWriteError(f"cannot write: {err.strerror or err}", str(out)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors=_UNENCODABLE, newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
        os.replace(tmp, real)
    except OSError as err:
        _unlink(tmp)
        raise OutputWriteError(f"cannot write: {err.strerror or err}", str(out)) from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: A temporary file a writer leaves while it writes (a cached LM copy, a searchable PDF of
#: ``batch --pdf-dir``) this old (seconds) was left by a writer that died (``kill -9``, a
#: power cut); one being written now is minutes old at most.
ABANDONED_AFTER_S = 3600


def remove_abandoned_temporaries(folder: str | Path, name: re.Pattern,
                                 older_than_s: float = ABANDONED_AFTER_S) -> int:
    """Remove the regular files in ``folder`` whose whole name matches ``name`` and whose
    last change is over ``older_than_s`` seconds ago: the temporary files of writers killed
    half-way, which nobody finishes or removes otherwise. Links and folders are never
    touched; a file that cannot be looked at or removed is left. The number removed."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    removed = 0
    now = time.time()
    for entry in entries:
        if not name.fullmatch(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and \
                    now - entry.stat(follow_symlinks=False).st_mtime > older_than_s:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed
