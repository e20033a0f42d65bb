"""Walking an input folder: the one walk behind ``vanban batch``, ``ocr`` and ``pdf``.

A plain ``os.walk`` (or ``Path.rglob``) passes over a subfolder it may not list (permission
denied, an I/O error) without a word, so its files would be left out of the call and nobody
told. :func:`walk_folder` lists a folder once and gives, together, the files it takes, the
links to folders it does not follow, and the folders it could not list with why; the
commands say each unlisted folder in one line and count it as a failed input (exit 3).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, NamedTuple


class UnlistedFolder(NamedTuple):
    """A folder a walk could not list, and why (the system's words: "Permission denied")."""
    path: Path
    reason: str


class FoundInputs(NamedTuple):
    """What a walk of an input list found (``batch.find_inputs``, ``ocr.inputs.find_scans``)."""
    #: The inputs: files as given, folders replaced by the files they hold.
    files: list[Path]
    #: The folders among the paths that hold no input at all (an empty inbox, a mount that
    #: failed, a wrong path: said, not silently a batch of nothing).
    empty_folders: list[Path]
    #: Links to folders inside them, which the walk does not follow (said as a warning
    #: instead of silently leaving a linked year of scans out).
    linked_folders: list[Path]
    #: The folders (among the paths, or under them) the walk could not list, each with why:
    #: their files are unseen, so each is a failed input (exit 3), not passed over.
    unlisted_folders: list[UnlistedFolder]


@dataclass
class FolderWalk:
    """What one walk of a folder found."""
    #: The files it takes, sorted.
    files: list[Path] = field(default_factory=list)
    #: Links to folders inside it: not followed (a link may lead anywhere, back up the tree
    #: included), so their files are no inputs.
    linked_folders: list[Path] = field(default_factory=list)
    #: The folders (itself included) it could not list: their files are unseen.
    unlisted_folders: list[UnlistedFolder] = field(default_factory=list)

    @property
    def holds_nothing(self) -> bool:
        """No file taken and nothing unseen: a folder that truly holds no input (an empty
        inbox, a failed mount), not one whose only subfolders could not be read."""
        return not self.files and not self.unlisted_folders


def picked_up(relative: Path, suffixes: Iterable[str]) -> bool:
    """Whether a walk takes the file at ``relative`` (to the walked folder): no hidden
    component and one of ``suffixes`` (lower case, compared without case)."""
    return (not any(part.startswith(".") for part in relative.parts)
            and relative.suffix.lower() in suffixes)


def is_folder(path: str | Path) -> bool:
    """Whether ``path`` is a folder that can be seen: ``Path.is_dir`` raises PermissionError
    (Python 3.11) for a path whose parent folder cannot be entered, which stopped a whole call;
    such a path is a file input that fails alone ("cannot read: Permission denied")."""
    return os.path.isdir(path)


def empty_folder_reason(kinds: str) -> str:
    """The one-line reason of a folder that holds no input; ``kinds``: what it would hold."""
    return f"folder holds no {kinds} file"


def linked_folder_warning(link: str | Path, done: str) -> str:
    """The warning of a link to a folder a walk did not follow; ``done``: "batch", "read"."""
    return f"warning: {link}: a link to a folder, not followed; give its target to {done} the files in it"


def say_warning(line: str) -> None:
    """Where ``vanban ocr`` / ``pdf`` put a warning of their inputs by default: stderr, as
    ``vanban: warning: ...`` (``batch`` puts it among its progress lines)."""
    print(f"vanban: {line}", file=sys.stderr, flush=True)


def unlisted_reason(reason: str, done: str) -> str:
    """The one-line reason of an unlisted folder; ``done``: what its files were not
    ("batched", "read")."""
    return f"cannot read the folder ({reason}): its files were not {done}"


def walk_folder(folder: str | Path, takes: Callable[[Path], bool]) -> FolderWalk:
    """Walk ``folder`` once (hidden folders skipped, links to folders not followed); the files
    for which ``takes(path relative to folder)`` is true, the linked folders and the folders
    that could not be listed."""
    folder = Path(folder)
    found = FolderWalk()

    def unlisted(err: OSError) -> None:
        found.unlisted_folders.append(UnlistedFolder(Path(err.filename),
                                                     err.strerror or str(err)))

    for root, dirs, files in os.walk(folder, onerror=unlisted):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.linked_folders.extend(Path(root) / d for d in dirs
                                    if os.path.islink(os.path.join(root, d)))
        for name in files:
            path = Path(root) / name
            if takes(path.relative_to(folder)):
                found.files.append(path)
    found.files.sort()
    return found
