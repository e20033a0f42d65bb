"""Where vanban finds data it does not ship: one place for every default data path.

No machine path is written here; each default is computed, and an environment variable
overrides it:

- ``VANBAN_SHARED``: the read-only shared data folder (dev sets, training corpus); default
  ``shared`` beside the repository root (``../shared`` seen from a checkout).
- ``VANBAN_CACHE``: derived data kept between runs (e.g. Tesseract outputs of the dev scans);
  default ``$XDG_CACHE_HOME/vanban``, else ``~/.cache/vanban``.

The functions read the environment when called, so a test or a script may set a variable
after vanban was imported.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The source tree holding the ``vanban`` package (a checkout's root).
REPO_ROOT = Path(__file__).resolve().parents[1]

SHARED_ENV = "VANBAN_SHARED"
CACHE_ENV = "VANBAN_CACHE"


def shared_dir() -> Path:
    """The shared data folder: ``$VANBAN_SHARED``, else ``shared`` beside the repository."""
    value = os.environ.get(SHARED_ENV)
    return Path(value).expanduser() if value else REPO_ROOT.parent / "shared"


def shared_dev_dir() -> Path:
    """The dev sets: plans with gold records, scans, legacy OCR, real scans."""
    return shared_dir() / "dev"


def corpus_path() -> Path:
    """The training corpus (``corpus/train_corpus.jsonl.xz`` in the shared folder)."""
    return shared_dir() / "corpus" / "train_corpus.jsonl.xz"


def cache_dir(name: str | None = None) -> Path:
    """vanban's cache folder (``$VANBAN_CACHE``, else the user's cache folder), or its
    subfolder ``name``. Nothing is created here."""
    value = os.environ.get(CACHE_ENV)
    if value:
        root = Path(value).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = (Path(xdg) if xdg else Path.home() / ".cache") / "vanban"
    return root / name if name else root


def eval_dir() -> Path:
    """Evaluation data committed with the project (``eval/`` in the repository)."""
    return REPO_ROOT / "eval"
