"""Hold-out policy: the parts of the training texts no model is trained on, kept to validate
changes on text that is neither the dev plans nor seen by the model."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .corpus import DEFAULT_CORPUS, dev_document_ids, read_documents, read_lines

#: A held-out slice of the corpus: the provincial/national documents (these sources) of at
#: least HOLDOUT_MIN_CHARS whose id hashes to 0 modulo HOLDOUT_MODULUS (25 documents), each
#: scored on its first HOLDOUT_MAX_CHARS characters (whole paragraphs). Leaving them out of
#: the shipped model costs nothing measurable on the dev plans (98.71% with them, 98.75%
#: without).
HOLDOUT_SOURCES = ("tvpl", "congbot")
HOLDOUT_MODULUS = 12
HOLDOUT_MIN_CHARS = 3000
HOLDOUT_MAX_CHARS = 8000

#: The general text has no article boundaries (articles follow one another, a paragraph a
#: line), so it is held out in blocks of GENERAL_BLOCK_LINES lines (about four articles):
#: the blocks whose number hashes (with GENERAL_HOLDOUT_SEED) to 0 modulo
#: GENERAL_HOLDOUT_MODULUS (about 25 blocks) stay out of training. The evaluation text of a
#: block starts GENERAL_EVAL_SKIP_LINES lines in, so that it belongs to an article whose
#: start is in the block too, and takes whole paragraphs up to GENERAL_EVAL_MAX_CHARS.
GENERAL_BLOCK_LINES = 100
GENERAL_HOLDOUT_MODULUS = 80
GENERAL_HOLDOUT_SEED = "vanban-general-holdout-1"
GENERAL_EVAL_SKIP_LINES = 30
GENERAL_EVAL_MAX_CHARS = 4000


def is_holdout_document(doc: dict) -> bool:
    """True for a corpus document of the held-out validation slice (see HOLDOUT_MODULUS)."""
    if doc.get("source") not in HOLDOUT_SOURCES or len(doc.get("text", "")) < HOLDOUT_MIN_CHARS:
        return False
    digest = hashlib.md5(str(doc.get("id", "")).encode("utf-8")).hexdigest()
    return int(digest, 16) % HOLDOUT_MODULUS == 0


def is_general_holdout_block(block: int) -> bool:
    """True for a held-out block of the general text (see GENERAL_HOLDOUT_MODULUS)."""
    digest = hashlib.md5(f"{GENERAL_HOLDOUT_SEED}:{block}".encode()).hexdigest()
    return int(digest, 16) % GENERAL_HOLDOUT_MODULUS == 0


def _whole_paragraphs(paragraphs: list[str], max_chars: int) -> str:
    """The first paragraphs, whole, up to ``max_chars`` characters (at least one)."""
    kept, size = [], 0
    for para in paragraphs:
        if kept and size + len(para) > max_chars:
            break
        kept.append(para)
        size += len(para) + 1
    return "\n".join(kept)


def holdout_documents(corpus: str | Path = DEFAULT_CORPUS,
                      exclude_ids: set[str] | None = None) -> list[tuple[str, str]]:
    """(id, text) of the held-out slice, each cut to whole paragraphs within
    HOLDOUT_MAX_CHARS; the dev documents (default ``exclude_ids``) are not part of it."""
    if exclude_ids is None:
        exclude_ids = dev_document_ids(Path(corpus).parent.parent)
    return [(doc["id"], _whole_paragraphs(doc["text"].split("\n"), HOLDOUT_MAX_CHARS))
            for doc in read_documents(corpus)
            if doc.get("id") not in exclude_ids and is_holdout_document(doc)]


def general_holdout_documents(path: str | Path) -> list[tuple[str, str]]:
    """(block id, text) of the held-out general evaluation documents (see
    GENERAL_HOLDOUT_MODULUS): whole paragraphs from GENERAL_EVAL_SKIP_LINES lines into each
    held-out block, up to GENERAL_EVAL_MAX_CHARS characters."""
    blocks: dict[int, list[str]] = {}
    for i, line in enumerate(read_lines(path)):
        b = i // GENERAL_BLOCK_LINES
        if is_general_holdout_block(b) and i % GENERAL_BLOCK_LINES >= GENERAL_EVAL_SKIP_LINES \
                and line.strip():
            blocks.setdefault(b, []).append(line)
    return [(f"general-block-{b}", _whole_paragraphs(lines, GENERAL_EVAL_MAX_CHARS))
            for b, lines in sorted(blocks.items())]
