"""normalize at training time: everything that builds the model files the runtime loads.

- :mod:`.corpus`: the one reader of the training texts (JSONL.xz corpus, general text) and
  the dev documents they must leave out
- :mod:`.holdout`: the hold-out policy (corpus documents and general-text blocks no model
  is trained on) and the evaluation documents it yields
- :mod:`.train`: which paragraphs the LM learns from, vocabulary, case statistics, model file
- :mod:`.kneser_ney`: the interpolated modified Kneser-Ney tables and their packing
- :mod:`.channel`: the legacy-OCR channel learnt from rendered, OCRed pages
- :mod:`.rebuild`: ``vanban train-lm``

The runtime (``normalize.lm``, ``decoder``, ``restorer``, ...) never imports this package.
"""

from __future__ import annotations

from .channel import build_channel
from .corpus import DEFAULT_CORPUS, GENERAL_TEXT_NAME, dev_document_ids, read_documents, read_lines
from .holdout import (general_holdout_documents, holdout_documents, is_general_holdout_block,
                      is_holdout_document)
from .kneser_ney import pack_keys
from .rebuild import rebuild_models
from .train import iter_corpus_paragraphs, iter_general_paragraphs, looks_unmarked, train_lm

__all__ = ["build_channel", "DEFAULT_CORPUS", "GENERAL_TEXT_NAME", "dev_document_ids",
           "read_documents", "read_lines", "general_holdout_documents", "holdout_documents",
           "is_general_holdout_block", "is_holdout_document", "pack_keys", "rebuild_models",
           "iter_corpus_paragraphs", "iter_general_paragraphs", "looks_unmarked", "train_lm"]
