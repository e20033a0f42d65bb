"""The one reader of the training texts: the JSONL.xz corpus of documents and the general
text (one paragraph a line). Every trainer, script and bench that reads them goes through
here, so the dev documents and the held-out slices are left out the same way everywhere."""

from __future__ import annotations

import json
import lzma
from pathlib import Path
from typing import Iterator

from ... import settings

#: The training corpus, ``{"id", "source", "title", "text"}`` per line, in the shared data
#: folder (:func:`vanban.settings.corpus_path`: ``$VANBAN_SHARED``, else ``../shared`` seen
#: from a checkout), read when this module is first imported.
DEFAULT_CORPUS = settings.corpus_path()
#: General-language training text beside the corpus: one paragraph per line, articles one
#: after another.
GENERAL_TEXT_NAME = Path("general") / "viwiki.txt.xz"


def read_documents(path: str | Path = DEFAULT_CORPUS) -> Iterator[dict]:
    """Every document of a JSONL.xz corpus, in file order."""
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for raw in fh:
            yield json.loads(raw)


def read_lines(path: str | Path) -> Iterator[str]:
    """Every line of a UTF-8 text (``.txt`` or ``.txt.xz``), without its line end."""
    opener = lzma.open if Path(path).suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield line.rstrip("\n")


def dev_document_ids(shared: Path | None = None) -> set[str]:
    """Ids of the dev documents (file stems under shared/dev): the corpus holds copies of
    them, which training must leave out so that dev scores measure unseen text."""
    root = Path(shared) if shared else DEFAULT_CORPUS.parent.parent
    ids: set[str] = set()
    dev = root / "dev"
    if dev.is_dir():
        for p in dev.rglob("*"):
            name = p.name.split(".")[0]
            if name.count("-") >= 1 and len(name) > 12:
                ids.add(name)
    return ids
