"""``vanban train-lm``: every shipped normalize model rebuilt from the training texts."""

from __future__ import annotations

import json
import lzma
from pathlib import Path
from typing import Callable

from ...errors import InputFileError
from ..lm import DATA_DIR, DEFAULT_GENERAL_MODEL, DEFAULT_MODEL, ORDER, NgramLM
from .channel import build_channel
from .corpus import DEFAULT_CORPUS, GENERAL_TEXT_NAME
from .train import GENERAL_MIN_COUNTS, iter_general_paragraphs, train_lm


def rebuild_models(corpus: str | Path | None = None, out_dir: str | Path | None = None, *,
                   order: int = ORDER, channel_data: str | Path | None = None,
                   holdout: bool = True, general: str | Path | None | bool = None,
                   progress: Callable[[str], None] | None = None) -> dict:
    """What ``vanban train-lm`` does: train the syllable LM from the corpus into ``out_dir``
    (default: the package's data folder), the general-language LM from ``general`` (default:
    ``general/viwiki.txt.xz`` beside the corpus when it is there; False: none) and, given
    rendered gold/OCR pages (scripts/normalize_make_channel_data.py), the legacy-OCR channel on
    the administrative LM's vocabulary."""
    corpus = Path(corpus or DEFAULT_CORPUS)
    out_dir = Path(out_dir or DATA_DIR)
    if not corpus.is_file():
        raise InputFileError("corpus not found (use --corpus)", str(corpus))
    model = out_dir / DEFAULT_MODEL.name
    try:
        stats = train_lm(corpus, model, order=order, holdout=holdout, progress=progress)
    except (lzma.LZMAError, EOFError, json.JSONDecodeError, KeyError) as err:
        raise InputFileError(f"not a JSONL.xz corpus of {{\"id\", \"text\"}} lines ({err})",
                             str(corpus)) from err
    if general is None:
        general = corpus.parent / GENERAL_TEXT_NAME
        general = general if general.is_file() else False
    if general:
        general = Path(general)
        if not general.is_file():
            raise InputFileError("general text not found (use --general)", str(general))
        try:
            stats["general"] = train_lm(
                general, out_dir / DEFAULT_GENERAL_MODEL.name, order=order,
                min_counts=GENERAL_MIN_COUNTS, lexicon=False, exclude_ids=set(),
                paragraphs=iter_general_paragraphs(general, holdout=holdout), progress=progress)
        except (lzma.LZMAError, EOFError, UnicodeDecodeError) as err:
            raise InputFileError(f"not a UTF-8 text (.txt or .txt.xz) ({err})",
                                 str(general)) from err
    if channel_data:
        stats["channel"] = build_channel(channel_data, NgramLM.load(model),
                                         out_dir / "legacy_channel.npz", progress=progress)
    return stats
