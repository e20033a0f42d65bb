"""Training the syllable n-gram LM: which paragraphs it learns from, the vocabulary and case
statistics, the Kneser-Ney tables (:mod:`.kneser_ney`), the model file.

Default model: 5-gram (5-grams seen once pruned), interpolated modified Kneser-Ney (three
discounts per order), stored in backoff form. Trained without the dev documents (the corpus
holds copies of them), without a held-out slice of the corpus kept for validation
(:mod:`.holdout`), and without paragraphs that lost their diacritics (file names such as
"Quyet dinh mo Phien dieu tran.doc" taught the model "co so vat chat"). Kneser-Ney measured
better than the stupid backoff of Brants et al. 2007 that came before it (dev plans: 98.20%
against 98.11% stripped accuracy, 0.09% against 0.11% of correct syllables changed).

Measured on the dev plans / the held-out slice (stripped accuracy, before the document
cache of the restorer): one discount, no filter 98.43% / 99.10%; filtering every unmarked
paragraph (English too) 98.49% / 98.91%; with modified discounts 98.50% / 98.98%; filtering
only Vietnamese-shaped unmarked paragraphs (the default) 98.51% / 99.19%. Keeping rare 5-grams
whose estimate beats backing off (up to 34.7 MB) did not help (98.49% / 99.17%), nor did
weighting the provincial documents up (98.19% against 98.20%), nor a wider beam much (24:
+0.015 points at 1.5x the time).
"""

from __future__ import annotations

import itertools
import json
import re
import time
from array import array
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from ..lm import BOS, DEFAULT_MODEL, ID_BITS, MAX_VOCAB, NUM, ORDER, QUANT_KN, SENTENCE_OPENERS, \
    SPECIALS, UNK
from ..vietnamese import TOKEN_RE
from .corpus import DEFAULT_CORPUS, dev_document_ids, read_documents, read_lines
from .holdout import GENERAL_BLOCK_LINES, is_general_holdout_block, is_holdout_document
from .kneser_ney import kn_tables, pack_keys
from .lexicon import lexicon_tables, lexicon_training_lines

#: Pruning of the administrative model: n-grams seen fewer times per order are dropped.
MIN_COUNTS = (1, 1, 1, 1, 2)
#: Pruning of the general model, for size.
GENERAL_MIN_COUNTS = (1, 1, 2, 2, 2)

#: Paragraphs of at least this many words in which fewer than MIN_MARKED_SHARE of the words
#: carry a Vietnamese mark are left out of training: they are file names, English or text
#: that lost its diacritics ("Quyet dinh mo Phien dieu tran.doc"), and teach the model that
#: unmarked syllables ("co so vat chat") are Vietnamese. Ordinary Vietnamese prose has about
#: three marked words in four.
UNMARKED_MIN_WORDS = 5
MIN_MARKED_SHARE = 0.25

#: The shape of a Vietnamese syllable without marks (onset, one to three vowels, coda):
#: "tran", "nghien", "quyet" fit it; "regulation", "aquaculture", "docx" do not.
_SYLLABLE_SHAPE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
                             r"[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")
#: ... and a paragraph counts as Vietnamese that lost its marks (not as a foreign language,
#: whose words the model must keep knowing unmarked) when this share of its words fits it.
MIN_SHAPED_SHARE = 0.8


def looks_unmarked(para: str) -> bool:
    """True for a paragraph of several Vietnamese-shaped words (almost) free of marks."""
    words = [t for t in TOKEN_RE.findall(para) if t[:1].isalpha()]
    if len(words) < UNMARKED_MIN_WORDS:
        return False
    marked = sum(1 for t in words if not t.isascii())
    if marked >= MIN_MARKED_SHARE * len(words):
        return False
    shaped = sum(1 for t in words if _SYLLABLE_SHAPE.fullmatch(t.lower()))
    return shaped >= MIN_SHAPED_SHARE * len(words)


def iter_corpus_paragraphs(path: str | Path, exclude_ids: set[str] | frozenset = frozenset(),
                           drop_unmarked: bool = True, holdout: bool = True) -> Iterator[str]:
    """Every non-empty paragraph (line) of the JSONL.xz training corpus, without the
    documents of ``exclude_ids``, the held-out documents (``holdout``, see
    :func:`~.holdout.is_holdout_document`) and the paragraphs :func:`looks_unmarked` flags
    (``drop_unmarked``)."""
    for doc in read_documents(path):
        if doc.get("id") in exclude_ids or (holdout and is_holdout_document(doc)):
            continue
        for para in doc.get("text", "").split("\n"):
            if para.strip() and not (drop_unmarked and looks_unmarked(para)):
                yield para


def iter_general_paragraphs(path: str | Path, *, holdout: bool = True,
                            drop_unmarked: bool = True) -> Iterator[str]:
    """Every non-empty line of the general text (``.txt`` or ``.txt.xz``), without the
    held-out blocks (``holdout``) and the paragraphs that lost their marks."""
    for i, line in enumerate(read_lines(path)):
        if holdout and is_general_holdout_block(i // GENERAL_BLOCK_LINES):
            continue
        if line.strip() and not (drop_unmarked and looks_unmarked(line)):
            yield line


def train_lm(corpus: str | Path = DEFAULT_CORPUS, out: str | Path = DEFAULT_MODEL, *,
             order: int = ORDER, min_counts: tuple[int, ...] = MIN_COUNTS,
             max_chars: int | None = None, exclude_ids: set[str] | None = None,
             drop_unmarked: bool = True, holdout: bool = True, lexicon: bool = True,
             progress: Callable[[str], None] | None = None,
             paragraphs: Iterable[str] | None = None) -> dict:
    """Build the syllable n-gram model from the JSONL.xz corpus and write it to ``out``.

    ``paragraphs``: the texts to train on instead of the corpus's (the general model:
    :func:`iter_general_paragraphs`); ``corpus`` then only names the source.

    ``min_counts[n-1]`` prunes n-grams seen fewer times. ``exclude_ids``: corpus document
    ids left out (default: the dev documents found next to the corpus, see
    :func:`~.corpus.dev_document_ids`); ``holdout``: also leave out the held-out validation
    slice; ``drop_unmarked``: skip paragraphs that lost their diacritics
    (:func:`looks_unmarked`); ``lexicon``: also train on the word lists of
    ``vanban/data/lexicon`` (:func:`~.lexicon.lexicon_training_lines`): each
    place line ("xã Hoằng Đạt, huyện Hoằng Hóa, tỉnh Thanh Hóa") and each lower-case
    dictionary word ("sôi nổi") once, for the names and words the corpus lacks.
    ``max_chars``: stop reading after about that many characters (quick trial models).
    Returns statistics (sizes, timings).
    """
    if exclude_ids is None:
        exclude_ids = dev_document_ids(Path(corpus).parent.parent)
    say = progress or (lambda msg: None)
    t0 = time.perf_counter()
    ids = array("I")
    index: dict[str, int] = {s: i for i, s in enumerate(SPECIALS)}
    chars = 0
    # Case statistics: how often each word is written with a capital inside a sentence
    # (names: "Lộc", "Hoằng") among the times it stands inside a sentence at all.
    case_flags = array("B")   # 0: not counted, 1: mid-sentence lower-case, 2: mid-sentence Title
    if paragraphs is None:
        paragraphs = iter_corpus_paragraphs(corpus, exclude_ids, drop_unmarked=drop_unmarked,
                                            holdout=holdout)
    if lexicon:
        # Each word-list line is a paragraph of its own, <s> first. (Starting them with
        # <unk> instead, so that no n-gram ties them to a paragraph start, measured worse:
        # 99.03% / 99.43% against 99.08% / 99.45% on the dev plans / held-out slice.)
        paragraphs = itertools.chain(paragraphs, lexicon_training_lines())
    for para in paragraphs:
        toks = TOKEN_RE.findall(para)
        ids.append(BOS)
        case_flags.append(0)
        prev = ""
        for raw_tok in toks:
            t = raw_tok.lower()
            i = index.get(t)
            if i is None:
                i = index[t] = len(index)
            ids.append(i)
            flag = 0
            if raw_tok[:1].isalpha() and prev and prev not in SENTENCE_OPENERS \
                    and not prev.isdigit() and not (len(raw_tok) > 1 and raw_tok.isupper()):
                flag = 2 if raw_tok[0].isupper() else 1
            case_flags.append(flag)
            prev = raw_tok
        chars += len(para)
        if max_chars and chars >= max_chars:
            break
    say(f"read {chars:,} chars, {len(ids):,} tokens, {len(index):,} types "
        f"in {time.perf_counter() - t0:.0f}s")
    raw = np.frombuffer(ids, dtype=np.uint32).astype(np.int64)
    strings = [""] * len(index)
    for s, i in index.items():
        strings[i] = s
    # Digit runs all become <num>; then keep the most frequent types.
    remap = np.arange(len(strings), dtype=np.int64)
    for i, s in enumerate(strings):
        if s.isdigit():
            remap[i] = NUM
    raw = remap[raw]
    counts = np.bincount(raw, minlength=len(strings))
    order_ids = [i for i in np.argsort(-counts, kind="stable") if i >= len(SPECIALS) and counts[i] > 0]
    keep = order_ids[: MAX_VOCAB - len(SPECIALS)]
    new_id = np.full(len(strings), UNK, dtype=np.int64)
    for j in range(len(SPECIALS)):
        new_id[j] = j
    for j, old in enumerate(keep):
        new_id[old] = j + len(SPECIALS)
    seq = new_id[raw].astype(np.uint64)
    vocab = SPECIALS + [strings[i] for i in keep]
    uni_counts = np.bincount(seq.astype(np.int64), minlength=len(vocab)).astype(np.int64)
    flags = np.frombuffer(case_flags, dtype=np.uint8)
    seq_i = seq.astype(np.int64)
    title_counts = np.bincount(seq_i[flags == 2], minlength=len(vocab))
    inside_counts = np.bincount(seq_i[flags > 0], minlength=len(vocab))
    del flags, case_flags
    del raw, ids
    say(f"vocab {len(vocab):,}; counting n-grams")

    stats = {"tokens": int(len(seq)), "vocab": len(vocab)}
    tables, more = kn_tables(seq, order, min_counts, len(vocab), say)
    stats.update(more)
    meta = {"order": order, "smoothing": "kn", "min_counts": list(min_counts[:order]),
            "modified_kn": True, "drop_unmarked": drop_unmarked, "lexicon": lexicon,
            "holdout_left_out": holdout,
            "id_bits": ID_BITS, "quant": QUANT_KN, "tokens": int(len(seq)),
            "corpus": Path(corpus).name, "excluded_docs": len(exclude_ids)}
    if lexicon:
        tables.update(lexicon_tables({w: i for i, w in enumerate(vocab)}))
    for n in range(2, order + 1):
        if f"keys{n}" in tables:
            tables.update(pack_keys(n, tables.pop(f"keys{n}")))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, vocab=np.array("\n".join(vocab)), counts=uni_counts.astype(np.uint32),
                        title_counts=title_counts.astype(np.uint32),
                        inside_counts=inside_counts.astype(np.uint32),
                        meta=np.array(json.dumps(meta)), **tables)
    stats["bytes"] = out.stat().st_size
    stats["seconds"] = round(time.perf_counter() - t0, 1)
    say(f"wrote {out} ({stats['bytes'] / 1e6:.1f} MB) in {stats['seconds']}s")
    return stats
