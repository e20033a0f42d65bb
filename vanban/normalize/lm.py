"""Syllable n-gram language model: training from the corpus, compact storage, batched scoring.

Tokens are lower-cased syllables (letter runs), ``<num>`` for digit runs, punctuation
characters, and ``<s>`` at the start of every paragraph. Up to 65,533 token types get a 16-bit
id (the rest are ``<unk>``), so an n-gram of up to four ids packs exactly into 64 bits; a
5-gram's key combines a hash of its first four words with the fifth.

Default model: 5-gram (5-grams seen once pruned), interpolated modified Kneser-Ney (three
discounts per order), stored in backoff form: every kept n-gram has -ln P_KN(w | h) and, when
it is also a history, -ln gamma(h), the weight of the next order down. Trained without the
dev documents (the corpus holds copies of them), without a held-out slice of the corpus kept
for validation, and without paragraphs that lost their diacritics (file names such as "Quyet
dinh mo Phien dieu tran.doc" taught the model "co so vat chat"). The older ``stupid backoff``
(Brants et al. 2007) is still available with ``smoothing="sb"``: on the dev plans Kneser-Ney
gives 98.20% against 98.11% stripped accuracy and changes fewer correct syllables (0.09%
against 0.11%).

Measured on the dev plans / the held-out slice (stripped accuracy, before the document
cache of the restorer): one discount, no filter 98.43% / 99.10%; filtering every unmarked
paragraph (English too) 98.49% / 98.91%; with modified discounts 98.50% / 98.98%; filtering
only Vietnamese-shaped unmarked paragraphs (the default) 98.51% / 99.19%. Keeping rare 5-grams
whose estimate beats backing off (``keep_gain``, up to 34.7 MB) did not help (98.49% / 99.17%),
nor did a wider beam much (24: +0.015 points at 1.5x the time).

Storage: each order's table holds sorted 32-bit fingerprints of the n-grams' 64-bit keys
(stored as the gaps between them, see :func:`pack_keys`) and one-byte quantised costs, all in
one ``.npz`` file under ``vanban/data`` (20 MB; the general-language model beside it, see
``normalize.mixture``, 14 MB). Lookups are
vectorised over a whole batch of (history, candidate) pairs at once, through a bucket index
on the top bits of the fingerprints (one or two probes instead of a binary search).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import lzma
import re
import time
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .vietnamese import TOKEN_RE

UNK, BOS, NUM = 0, 1, 2
#: Tokens after which a capital letter says nothing about the word (a sentence starts).
SENTENCE_OPENERS = frozenset(".!?:“\"(-…•*")
SPECIALS = ["<unk>", "<s>", "<num>"]
MAX_VOCAB = 65_535
ID_BITS = 16
ORDER = 5
#: One quantisation step of -ln(prob) in the stored byte.
QUANT = 20.0
#: Quantisation step for Kneser-Ney tables (costs up to ~25 nats fit one byte).
QUANT_KN = 10.0
_FP_MULT = np.uint64(0x9E3779B97F4A7C15)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_MODEL = DATA_DIR / "vi_syllable_lm.npz"
DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "train_corpus.jsonl.xz"
#: The general-language model (Vietnamese Wikipedia), mixed in per document by the restorer.
DEFAULT_GENERAL_MODEL = DATA_DIR / "vi_general_lm.npz"
#: General-language training text: one paragraph per line, articles one after another.
GENERAL_TEXT_NAME = Path("general") / "viwiki.txt.xz"


_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a well-spread 64-bit hash of 64-bit keys."""
    with np.errstate(over="ignore"):
        x = x.astype(np.uint64)
        x = (x ^ (x >> np.uint64(30))) * _MIX1
        x = (x ^ (x >> np.uint64(27))) * _MIX2
        return x ^ (x >> np.uint64(31))


def ngram_keys(cols: list[np.ndarray]) -> np.ndarray:
    """64-bit key of n-grams given as id columns (oldest first). Up to four 16-bit ids pack
    exactly; a fifth word is combined with a hash of the first four."""
    key = cols[0].astype(np.uint64).copy()
    for c in cols[1:4]:
        key = (key << np.uint64(ID_BITS)) | c.astype(np.uint64)
    if len(cols) == 5:
        key = mix64(key) ^ cols[4].astype(np.uint64)
    elif len(cols) > 5:
        raise ValueError("n-gram order above 5 is not supported")
    return key


def fingerprint(keys: np.ndarray) -> np.ndarray:
    """32-bit fingerprint of 64-bit n-gram keys (multiplicative hashing, top 32 bits)."""
    with np.errstate(over="ignore"):
        return ((keys.astype(np.uint64) * _FP_MULT) >> np.uint64(32)).astype(np.uint32)


def pack_keys(n: int, keys: np.ndarray) -> dict[str, np.ndarray]:
    """A sorted fingerprint table as the gaps between neighbours: the low 16 bits of every gap
    and, for the rare gaps of 2**16 or more, their position and high bits. The gaps of a
    table of millions of fingerprints are small, so the file holds about 1.7 bytes per key
    instead of 3.2 for the fingerprints themselves (compressed)."""
    gaps = np.diff(keys.astype(np.uint32), prepend=np.uint32(0))
    wide = np.flatnonzero(gaps >> np.uint32(16))
    return {f"gaps{n}": (gaps & np.uint32(0xFFFF)).astype(np.uint16),
            f"wide_at{n}": wide.astype(np.uint32),
            f"wide_hi{n}": (gaps[wide] >> np.uint32(16)).astype(np.uint16)}


def unpack_keys(z, n: int) -> np.ndarray:
    """The order-n fingerprint table of a model file (packed by :func:`pack_keys`, or plain
    in files written before)."""
    if f"keys{n}" in z.files:
        return z[f"keys{n}"]
    gaps = z[f"gaps{n}"].astype(np.uint32)
    gaps[z[f"wide_at{n}"].astype(np.int64)] += z[f"wide_hi{n}"].astype(np.uint32) << np.uint32(16)
    return np.cumsum(gaps, dtype=np.uint32)


def lm_token_strings(line: str) -> list[str]:
    """The LM's token strings for one line of text (lower-cased)."""
    return TOKEN_RE.findall(line.lower())


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


#: Count multipliers per corpus source (e.g. {"tvpl": 4} to favour the provincial documents
#: over the law codification). Measured on the dev plans with Kneser-Ney: no gain (98.19% vs
#: 98.20% stripped accuracy), so the default leaves the counts as they are.
SOURCE_WEIGHTS: dict[str, int] = {}


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


#: A held-out slice of the corpus, set aside from training to validate changes on
#: administrative documents that are neither the dev plans nor seen by the model: the
#: provincial/national documents (these sources) of at least HOLDOUT_MIN_CHARS whose id
#: hashes to 0 modulo HOLDOUT_MODULUS (25 documents), each scored on its first
#: HOLDOUT_MAX_CHARS characters (whole paragraphs). Leaving them out of the shipped model
#: costs nothing measurable on the dev plans (98.71% with them, 98.75% without).
HOLDOUT_SOURCES = ("tvpl", "congbot")
HOLDOUT_MODULUS = 12
HOLDOUT_MIN_CHARS = 3000
HOLDOUT_MAX_CHARS = 8000


def is_holdout_document(doc: dict) -> bool:
    """True for a corpus document of the held-out validation slice (see HOLDOUT_MODULUS)."""
    if doc.get("source") not in HOLDOUT_SOURCES or len(doc.get("text", "")) < HOLDOUT_MIN_CHARS:
        return False
    digest = hashlib.md5(str(doc.get("id", "")).encode("utf-8")).hexdigest()
    return int(digest, 16) % HOLDOUT_MODULUS == 0


def holdout_documents(corpus: str | Path = DEFAULT_CORPUS,
                      exclude_ids: set[str] | None = None) -> list[tuple[str, str]]:
    """(id, text) of the held-out slice, each cut to whole paragraphs within
    HOLDOUT_MAX_CHARS; the dev documents (default ``exclude_ids``) are not part of it."""
    if exclude_ids is None:
        exclude_ids = dev_document_ids(Path(corpus).parent.parent)
    out = []
    with lzma.open(corpus, "rt", encoding="utf-8") as fh:
        for raw in fh:
            doc = json.loads(raw)
            if doc.get("id") in exclude_ids or not is_holdout_document(doc):
                continue
            kept, size = [], 0
            for para in doc["text"].split("\n"):
                if kept and size + len(para) > HOLDOUT_MAX_CHARS:
                    break
                kept.append(para)
                size += len(para) + 1
            out.append((doc["id"], "\n".join(kept)))
    return out


#: The general text has no article boundaries (articles follow one another, a paragraph a
#: line), so it is held out in blocks of GENERAL_BLOCK_LINES lines (about four articles):
#: the blocks whose number hashes (with GENERAL_HOLDOUT_SEED) to 0 modulo
#: GENERAL_HOLDOUT_MODULUS (about 25 blocks) stay out of training. The evaluation text of a
#: block starts GENERAL_EVAL_SKIP_LINES lines in, so that it belongs to an article whose
#: start is in the block too, and takes whole paragraphs up to GENERAL_EVAL_MAX_CHARS.
GENERAL_BLOCK_LINES = 100
#: Pruning of the general model (n-grams seen fewer times per order are dropped), for size.
GENERAL_MIN_COUNTS = (1, 1, 2, 2, 2)
GENERAL_HOLDOUT_MODULUS = 80
GENERAL_HOLDOUT_SEED = "vanban-general-holdout-1"
GENERAL_EVAL_SKIP_LINES = 30
GENERAL_EVAL_MAX_CHARS = 4000


def is_general_holdout_block(block: int) -> bool:
    """True for a held-out block of the general text (see GENERAL_HOLDOUT_MODULUS)."""
    digest = hashlib.md5(f"{GENERAL_HOLDOUT_SEED}:{block}".encode()).hexdigest()
    return int(digest, 16) % GENERAL_HOLDOUT_MODULUS == 0


def _general_lines(path: Path) -> Iterable[str]:
    opener = lzma.open if Path(path).suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield line.rstrip("\n")


def iter_general_paragraphs(path: str | Path, *, holdout: bool = True,
                            drop_unmarked: bool = True) -> Iterable[tuple[str, int]]:
    """(paragraph, 1) for every non-empty line of the general text (``.txt`` or ``.txt.xz``),
    without the held-out blocks (``holdout``) and the paragraphs that lost their marks."""
    for i, line in enumerate(_general_lines(Path(path))):
        if holdout and is_general_holdout_block(i // GENERAL_BLOCK_LINES):
            continue
        if line.strip() and not (drop_unmarked and looks_unmarked(line)):
            yield line, 1


def general_holdout_documents(path: str | Path) -> list[tuple[str, str]]:
    """(block id, text) of the held-out general evaluation documents (see
    GENERAL_HOLDOUT_MODULUS): whole paragraphs from GENERAL_EVAL_SKIP_LINES lines into each
    held-out block, up to GENERAL_EVAL_MAX_CHARS characters."""
    blocks: dict[int, list[str]] = {}
    for i, line in enumerate(_general_lines(Path(path))):
        b = i // GENERAL_BLOCK_LINES
        if is_general_holdout_block(b) and i % GENERAL_BLOCK_LINES >= GENERAL_EVAL_SKIP_LINES \
                and line.strip():
            blocks.setdefault(b, []).append(line)
    out = []
    for b, lines in sorted(blocks.items()):
        kept, size = [], 0
        for para in lines:
            if kept and size + len(para) > GENERAL_EVAL_MAX_CHARS:
                break
            kept.append(para)
            size += len(para) + 1
        out.append((f"general-block-{b}", "\n".join(kept)))
    return out


def iter_corpus_paragraphs(path: Path, exclude_ids: set[str] | frozenset = frozenset(),
                           weights: dict[str, int] | None = None,
                           drop_unmarked: bool = True,
                           holdout: bool = True) -> Iterable[tuple[str, int]]:
    """(paragraph, weight) for every non-empty line of the JSONL.xz training corpus
    (``drop_unmarked``: without the paragraphs :func:`looks_unmarked` flags; ``holdout``:
    without the held-out documents, see :func:`is_holdout_document`)."""
    weights = SOURCE_WEIGHTS if weights is None else weights
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for raw in fh:
            doc = json.loads(raw)
            if doc.get("id") in exclude_ids or (holdout and is_holdout_document(doc)):
                continue
            w = int(weights.get(doc.get("source", ""), 1))
            for para in doc.get("text", "").split("\n"):
                if para.strip() and not (drop_unmarked and looks_unmarked(para)):
                    yield para, w


def _history_columns(hist: np.ndarray, rows: np.ndarray, n_hist: int,
                     k: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """The last ``k`` history words of ``rows``, oldest first, and which rows know them all."""
    known = np.ones(rows.size, dtype=bool)
    cols = []
    for j in range(k, 0, -1):
        col = hist[rows, n_hist - j]
        known &= col != UNK
        cols.append(col)
    return known, cols


@dataclass
class NgramLM:
    """A loaded model: vocabulary, unigram scores and per-order key/score tables."""
    vocab: list[str]
    index: dict[str, int]
    counts: np.ndarray          # unigram counts per id
    unigram: np.ndarray         # -ln p(w) as float32
    keys: list[np.ndarray]      # keys[n] for order n (index 0, 1 unused)
    scores: list[np.ndarray]    # quantised -ln S, uint8
    alpha: float = 0.4
    order: int = ORDER
    smoothing: str = "sb"
    bows: list[np.ndarray] | None = None     # Kneser-Ney: quantised -ln gamma per n-gram
    bow1: np.ndarray | None = None            # Kneser-Ney: -ln gamma per unigram
    #: -ln P(written with a capital | word, inside a sentence), and of lower case; None for
    #: models trained without case statistics.
    title_cost: np.ndarray | None = None
    lower_cost: np.ndarray | None = None
    #: normalize.lexicon's tables over this vocabulary (``lex_*`` arrays); None for models
    #: trained without the word lists.
    lexicon: dict[str, np.ndarray] | None = None

    @classmethod
    def load(cls, path: str | Path = DEFAULT_MODEL) -> "NgramLM":
        """Load a model written by :func:`train_lm`."""
        with np.load(path, allow_pickle=False) as z:
            vocab = str(z["vocab"][()]).split("\n")
            counts = z["counts"].astype(np.int64)
            meta = json.loads(str(z["meta"][()]))
            order = int(meta["order"])
            smoothing = meta.get("smoothing", "sb")
            keys: list[np.ndarray] = [np.zeros(0, np.uint32)] * 2
            scores: list[np.ndarray] = [np.zeros(0, np.uint8)] * 2
            bows: list[np.ndarray] = [np.zeros(0, np.uint8)] * 2
            for n in range(2, order + 1):
                keys.append(unpack_keys(z, n))
                scores.append(z[f"scores{n}"])
                if smoothing == "kn":
                    bows.append(z[f"bows{n}"])
            if smoothing == "kn":
                unigram = z["unigram_cost"].astype(np.float32)
                bow1 = z["bow1"].astype(np.float32)
            title_cost = lower_cost = None
            lexicon = {k: z[k] for k in z.files if k.startswith("lex_")} or None
            if "title_counts" in z.files:
                title = z["title_counts"].astype(np.float64)
                inside = z["inside_counts"].astype(np.float64)
                p_title = (title + 0.5) / (inside + 1.0)
                title_cost = (-np.log(p_title)).astype(np.float32)
                lower_cost = (-np.log1p(-p_title)).astype(np.float32)
        if smoothing != "kn":
            total = counts.sum()
            unigram = (-np.log(np.maximum(counts, 1) / total)).astype(np.float32)
            bow1 = None
        unigram[UNK] = max(float(unigram.max()), 20.0)
        return cls(vocab=vocab, index={w: i for i, w in enumerate(vocab)}, counts=counts,
                   unigram=unigram, keys=keys, scores=scores, alpha=float(meta.get("alpha", 0.4)),
                   order=order, smoothing=smoothing,
                   bows=bows if smoothing == "kn" else None, bow1=bow1,
                   title_cost=title_cost, lower_cost=lower_cost, lexicon=lexicon)

    def token_id(self, token: str) -> int:
        """Id of one lower-cased LM token string (digits -> <num>)."""
        if token.isdigit():
            return NUM
        return self.index.get(token, UNK)

    def __post_init__(self) -> None:
        # Bucket index over each sorted fingerprint table: the top bits of a fingerprint give
        # the slice of the table to scan (one or two entries on average), which replaces a
        # ~21-step binary search (a cache miss per step) by one or two probes.
        self._shift: list[int] = [0] * len(self.keys)
        self._starts: list[np.ndarray] = [np.zeros(1, np.int64)] * len(self.keys)
        for n in range(2, len(self.keys)):
            table = self.keys[n]
            bits = max(1, int(np.ceil(np.log2(max(2, len(table))))))
            shift = 32 - bits
            self._shift[n] = shift
            # The table is sorted: a bucket starts where the counts of the ones before end.
            sizes = np.bincount(table >> np.uint32(shift), minlength=2 ** bits)
            self._starts[n] = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int32)

    def _find(self, n: int, probe: np.ndarray) -> np.ndarray:
        """Index of each fingerprint in the order-n table, -1 where absent."""
        table = self.keys[n]
        bucket = (probe >> np.uint32(self._shift[n])).astype(np.int64)
        cur = self._starts[n][bucket]
        end = self._starts[n][bucket + 1]
        pos = np.full(len(probe), -1, dtype=np.int64)
        idx = np.arange(len(probe))
        while idx.size:
            live = cur < end
            idx, cur, end = idx[live], cur[live], end[live]
            if not idx.size:
                break
            found = table[cur]
            want = probe[idx]
            eq = found == want
            pos[idx[eq]] = cur[eq]
            # Keys are sorted inside a bucket: stop once past the wanted one.
            go = found < want
            idx, cur, end = idx[go], cur[go] + 1, end[go]
        return pos

    def cost(self, history: np.ndarray, words: np.ndarray) -> np.ndarray:
        """-ln S(word | history) for a batch.

        history: (N, order-1) ids, most recent last; words: (N,) ids. Returns float32 (N,).
        """
        if self.smoothing == "kn":
            return self._cost_kn(np.asarray(history), np.asarray(words))
        words = np.asarray(words)
        hist = np.asarray(history)
        n_hist = hist.shape[1]
        backoff = float(-np.log(self.alpha))
        out = self.unigram[words.astype(np.int64)].astype(np.float32) + backoff * (self.order - 1)
        # Rows still looking for an n-gram; a row leaves once found or once its history has
        # <unk> (then no longer n-gram can exist, shorter ones are tried).
        todo = np.flatnonzero(words != UNK)
        w64 = words.astype(np.uint64)
        h64 = hist.astype(np.uint64)
        for n in range(min(self.order, n_hist + 1), 1, -1):
            if not todo.size:
                break
            k = n - 1
            ok, cols = _history_columns(h64, todo, n_hist, k)
            cols.append(w64[todo])
            key = ngram_keys(cols)
            rows = todo[ok]
            if not rows.size:
                continue
            pos = self._find(n, fingerprint(key[ok]))
            hit = pos >= 0
            out[rows[hit]] = (self.scores[n][pos[hit]].astype(np.float32) / QUANT
                              + backoff * (self.order - n))
            done = np.zeros(words.shape[0], dtype=bool)
            done[rows[hit]] = True
            todo = todo[~done[todo]]
        return out


def _cost_kn(self, hist: np.ndarray, words: np.ndarray) -> np.ndarray:
    """-ln P_KN(word | history) in backoff form (see :func:`_kn_tables`)."""
    n_rows = words.shape[0]
    n_hist = hist.shape[1]
    acc = np.zeros(n_rows, dtype=np.float32)
    out = np.empty(n_rows, dtype=np.float32)
    todo = np.arange(n_rows)
    w64 = words.astype(np.uint64)
    h64 = hist.astype(np.uint64)
    unk_w = words == UNK
    for n in range(min(self.order, n_hist + 1), 1, -1):
        if not todo.size:
            break
        k = n - 1
        known, cols = _history_columns(h64, todo, n_hist, k)
        ok = known & ~unk_w[todo]
        rows = todo[ok]
        if rows.size:
            key = ngram_keys([c[ok] for c in cols] + [w64[rows]])
            pos = self._find(n, fingerprint(key))
            hit = pos >= 0
            out[rows[hit]] = acc[rows[hit]] + self.scores[n][pos[hit]].astype(np.float32) / QUANT_KN
            done = np.zeros(n_rows, dtype=bool)
            done[rows[hit]] = True
            todo = todo[~done[todo]]
        if not todo.size:
            break
        # Back off: add gamma of the context (the last n-1 history words) where it is known.
        if k >= 2:
            ok, cols = _history_columns(h64, todo, n_hist, k)
            rows = todo[ok]
            if rows.size:
                pos = self._find(k, fingerprint(ngram_keys([c[ok] for c in cols])))
                hit = pos >= 0
                acc[rows[hit]] += self.bows[k][pos[hit]].astype(np.float32) / QUANT_KN
        else:
            last = hist[todo, n_hist - 1].astype(np.int64)
            acc[todo] += np.where(last != UNK, self.bow1[last], 0.0).astype(np.float32)
    out[todo] = acc[todo] + self.unigram[words[todo].astype(np.int64)]
    return out


NgramLM._cost_kn = _cost_kn  # type: ignore[attr-defined]


def _ngram_occurrences(seq: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The key of every n-gram of the token stream, and which of them count: none holding
    <unk>, none with <s> after its first word (those would cross paragraphs)."""
    m = len(seq) - n + 1
    key = ngram_keys([seq[j:j + m] for j in range(n)])
    valid = np.ones(m, dtype=bool)
    for j in range(1, n):
        valid &= seq[j:j + m] != BOS
    for j in range(n):
        valid &= seq[j:j + m] != UNK
    return key, valid


def _kn_tables(seq: np.ndarray, order: int, min_counts: tuple[int, ...], vocab_size: int,
               say: Callable[[str], None], modified: bool = True,
               keep_gain: float | None = None) -> tuple[dict[str, np.ndarray], dict]:
    """Interpolated Kneser-Ney (one discount per order, D = n1 / (n1 + 2 n2)) in backoff form.

    Every kept n-gram stores -ln P_KN(w | h) (already interpolated with the lower orders);
    every n-gram that is also a context stores -ln gamma(h), the weight an unseen
    continuation of h gets on the next order down. Lower orders use continuation counts
    (the number of distinct words seen before the n-gram)."""
    if order > 5:
        raise ValueError("Kneser-Ney tables support orders up to 5")
    uniq: dict[int, np.ndarray] = {}
    raw: dict[int, np.ndarray] = {}
    # Exact keys of each n-gram's history and of its suffix (the n-gram minus its first word).
    # Up to 4-grams they are bit fields of the key; a 5-gram's key is hashed, so they are
    # taken from the n-gram's first occurrence in the token stream.
    ctx_keys: dict[int, np.ndarray] = {}
    suf_keys: dict[int, np.ndarray] = {}
    for n in range(1, order + 1):
        key, valid = _ngram_occurrences(seq, n)
        if n <= 4:
            uniq[n], raw[n] = np.unique(key[valid], return_counts=True)
            ctx_keys[n] = uniq[n] >> np.uint64(ID_BITS)
            suf_keys[n] = uniq[n] & np.uint64((1 << (ID_BITS * (n - 1))) - 1)
        else:
            where = np.flatnonzero(valid)
            uniq[n], first, raw[n] = np.unique(key[where], return_index=True, return_counts=True)
            at = where[first]
            ctx_keys[n] = ngram_keys([seq[at + j] for j in range(n - 1)])
            suf_keys[n] = ngram_keys([seq[at + j] for j in range(1, n)])
            del where, first, at
        del key, valid
        say(f"order {n}: {len(uniq[n]):,} distinct")
    # Adjusted counts: continuation counts below the top order.
    adj: dict[int, np.ndarray] = {order: raw[order].astype(np.float64)}
    for n in range(1, order):
        suffix = suf_keys[n + 1]
        sk, scnt = np.unique(suffix, return_counts=True)
        a = raw[n].astype(np.float64)
        pos = np.minimum(np.searchsorted(sk, uniq[n]), len(sk) - 1)
        has = sk[pos] == uniq[n]
        a[has] = scnt[pos[has]]
        adj[n] = a
    prob: dict[int, np.ndarray] = {}
    gain: dict[int, np.ndarray] = {}
    bow: dict[int, np.ndarray] = {n: np.ones(len(uniq[n])) for n in range(1, order + 1)}
    # Unigrams: continuation counts interpolated with a uniform distribution.
    a1 = np.zeros(vocab_size)
    a1[uniq[1].astype(np.int64)] = adj[1]
    a1[BOS] = 0
    a1[UNK] = 0
    d1 = _discount(adj[1])
    total = a1.sum()
    seen = (a1 > 0).sum()
    p1 = np.maximum(a1 - d1, 0) / total + d1 * seen / total / vocab_size
    prob[1] = p1[uniq[1].astype(np.int64)]
    unigram_cost = -np.log(np.maximum(p1, 1e-12))
    for n in range(2, order + 1):
        a = adj[n]
        ctx = ctx_keys[n]
        cu, inv = np.unique(ctx, return_inverse=True)
        asum = np.bincount(inv, weights=a)
        if modified:
            ds = _modified_discounts(a)
            d = np.where(a <= 1, ds[0], np.where(a <= 2, ds[1], ds[2]))
            dtxt = "/".join(f"{x:.3f}" for x in ds)
        else:
            d = np.full(len(a), _discount(a))
            dtxt = f"{d[0]:.3f}" if len(d) else "-"
        # gamma(h): the mass the discounts took from h's continuations.
        gamma = np.bincount(inv, weights=d) / asum
        # Lower-order probability of the suffix (n-1)-gram.
        suffix = suf_keys[n]
        if n == 2:
            lower = p1[suffix.astype(np.int64)]
        else:
            pos = np.minimum(np.searchsorted(uniq[n - 1], suffix), len(uniq[n - 1]) - 1)
            lower = np.where(uniq[n - 1][pos] == suffix, prob[n - 1][pos], 1e-9)
        prob[n] = np.maximum(a - d, 0) / asum[inv] + gamma[inv] * lower
        # How much the n-gram's own estimate beats backing off (nats): what pruning loses.
        gain[n] = np.log(prob[n]) - np.log(gamma[inv] * lower)
        # gamma(h) lives on the (n-1)-gram h.
        if n == 2:
            bow[1] = np.ones(len(uniq[1]))
            pos = np.searchsorted(uniq[1], cu)
            ok = (pos < len(uniq[1]))
            pos = np.minimum(pos, len(uniq[1]) - 1)
            ok &= uniq[1][pos] == cu
            bow[1][pos[ok]] = gamma[ok]
        else:
            pos = np.minimum(np.searchsorted(uniq[n - 1], cu), len(uniq[n - 1]) - 1)
            ok = uniq[n - 1][pos] == cu
            bow[n - 1][pos[ok]] = gamma[ok]
        say(f"order {n}: discount {dtxt}")
    tables: dict[str, np.ndarray] = {}
    stats: dict = {}
    uni_bow = np.ones(vocab_size)
    uni_bow[uniq[1].astype(np.int64)] = bow[1]
    tables["unigram_cost"] = unigram_cost.astype(np.float32)
    tables["bow1"] = (-np.log(uni_bow)).astype(np.float32)
    # Which n-grams stay, top order first: those seen often enough (or, with keep_gain,
    # whose own estimate beats backing off), and every context of a kept longer n-gram (it
    # carries the backoff weight that n-gram's order needs). A context whose longer n-grams
    # were all pruned goes too: it would only hold a weight no lookup reads.
    kept: dict[int, np.ndarray] = {}
    for n in range(order, 1, -1):
        keep = raw[n] >= min_counts[n - 1]
        if keep_gain is not None:
            # Rare n-grams stay when backing off would misjudge them by a factor > e^keep_gain.
            keep |= gain[n] > keep_gain
        if n < order:
            keep |= np.isin(uniq[n], ctx_keys[n + 1][kept[n + 1]])
        kept[n] = keep
    for n in range(2, order + 1):
        keep = kept[n]
        probe = fingerprint(uniq[n][keep])
        q = np.clip(np.round(-np.log(prob[n][keep]) * QUANT_KN), 0, 255).astype(np.uint8)
        qb = np.clip(np.round(-np.log(bow[n][keep]) * QUANT_KN), 0, 255).astype(np.uint8)
        o = np.argsort(probe, kind="stable")
        probe, q, qb = probe[o], q[o], qb[o]
        first = np.ones(len(probe), dtype=bool)
        first[1:] = probe[1:] != probe[:-1]
        tables[f"keys{n}"] = probe[first]
        tables[f"scores{n}"] = q[first]
        tables[f"bows{n}"] = qb[first]
        stats[f"{n}-grams"] = int(first.sum())
        say(f"order {n}: kept {int(first.sum()):,}")
    return tables, stats


def _modified_discounts(counts: np.ndarray) -> tuple[float, float, float]:
    """Chen & Goodman's modified Kneser-Ney discounts D1, D2, D3+ from the counts of counts."""
    n = [float((counts == k).sum()) for k in (1, 2, 3, 4)]
    if min(n) <= 0:
        d = _discount(counts)
        return d, d, d
    y = n[0] / (n[0] + 2 * n[1])
    d1 = 1 - 2 * y * n[1] / n[0]
    d2 = 2 - 3 * y * n[2] / n[1]
    d3 = 3 - 4 * y * n[3] / n[2]
    return (min(max(d1, 0.05), 0.95), min(max(d2, 0.05), 1.9), min(max(d3, 0.05), 2.9))


def _discount(counts: np.ndarray) -> float:
    n1 = float((counts == 1).sum())
    n2 = float((counts == 2).sum())
    if n1 <= 0 or n2 <= 0:
        return 0.5
    return min(0.95, max(0.1, n1 / (n1 + 2 * n2)))


def train_lm(corpus: str | Path = DEFAULT_CORPUS, out: str | Path = DEFAULT_MODEL, *,
             order: int = ORDER, min_counts: tuple[int, ...] = (1, 1, 1, 1, 2),
             max_chars: int | None = None, alpha: float = 0.4,
             discount: float = 0.0, smoothing: str = "kn",
             exclude_ids: set[str] | None = None, weights: dict[str, int] | None = None,
             modified_kn: bool = True, drop_unmarked: bool = True,
             keep_gain: float | None = None, holdout: bool = True,
             lexicon: bool = True, progress: Callable[[str], None] | None = None,
             paragraphs: Iterable[tuple[str, int]] | None = None) -> dict:
    """Build the syllable n-gram model from the JSONL.xz corpus and write it to ``out``.

    ``paragraphs``: (text, weight) pairs to train on instead of the corpus's (the general
    model: :func:`iter_general_paragraphs`); ``corpus`` then only names the source.

    ``min_counts[n-1]`` prunes n-grams seen fewer times; ``keep_gain`` (nats) also keeps the
    rarer ones whose own estimate beats backing off by more than that; ``weights`` multiplies
    the counts of a source's documents (default :data:`SOURCE_WEIGHTS`). ``exclude_ids``:
    corpus document ids left out (default: the dev documents found next to the corpus, see
    :func:`dev_document_ids`); ``holdout``: also leave out the held-out validation slice
    (:func:`is_holdout_document`). ``modified_kn``: three discounts per order (Chen & Goodman)
    instead of one; ``drop_unmarked``: skip paragraphs that lost their diacritics
    (:func:`looks_unmarked`); ``lexicon``: also train on the word lists of
    ``normalize.lexicon`` (:func:`~vanban.normalize.lexicon.lexicon_training_lines`): each
    place line ("xã Hoằng Đạt, huyện Hoằng Hóa, tỉnh Thanh Hóa") and each lower-case
    dictionary word ("sôi nổi") once, for the names and words the corpus lacks. Returns
    statistics (sizes, timings).
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
        paragraphs = iter_corpus_paragraphs(Path(corpus), exclude_ids, weights,
                                            drop_unmarked=drop_unmarked, holdout=holdout)
    if lexicon:
        # Each word-list line is a paragraph of its own, <s> first. (Starting them with
        # <unk> instead, so that no n-gram ties them to a paragraph start, measured worse:
        # 99.03% / 99.43% against 99.08% / 99.45% on the dev plans / held-out slice.)
        from .lexicon import lexicon_training_lines
        paragraphs = itertools.chain(paragraphs, ((line, 1) for line in lexicon_training_lines()))
    for para, weight in paragraphs:
        toks = TOKEN_RE.findall(para)
        para_ids = array("I", [BOS])
        para_flags = array("B", [0])
        prev = ""
        for raw_tok in toks:
            t = raw_tok.lower()
            i = index.get(t)
            if i is None:
                i = index[t] = len(index)
            para_ids.append(i)
            flag = 0
            if raw_tok[:1].isalpha() and prev and prev not in SENTENCE_OPENERS \
                    and not prev.isdigit() and not (len(raw_tok) > 1 and raw_tok.isupper()):
                flag = 2 if raw_tok[0].isupper() else 1
            para_flags.append(flag)
            prev = raw_tok
        for _ in range(weight):
            ids.extend(para_ids)
            case_flags.extend(para_flags)
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
    for j, s in enumerate(SPECIALS):
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

    tables: dict[str, np.ndarray] = {}
    prev_keys = None
    prev_counts = None
    stats = {"tokens": int(len(seq)), "vocab": len(vocab)}
    kn_range = range(0)
    if smoothing == "kn":
        tables, more = _kn_tables(seq, order, min_counts, len(vocab), say, modified=modified_kn,
                                  keep_gain=keep_gain)
        stats.update(more)
    else:
        kn_range = range(1, order + 1)
    for n in kn_range:
        m = len(seq) - n + 1
        key, valid = _ngram_occurrences(seq, n)
        if n <= 4:
            uniq, cnt = np.unique(key[valid], return_counts=True)
            hist = uniq >> np.uint64(ID_BITS)
        else:
            uniq, first_at, cnt = np.unique(key[valid], return_index=True, return_counts=True)
            hist = ngram_keys([seq[j:j + m] for j in range(n - 1)])[valid][first_at]
        if n == 1:
            prev_keys, prev_counts = uniq, cnt
            continue
        pos = np.searchsorted(prev_keys, hist)
        hcount = prev_counts[np.minimum(pos, len(prev_keys) - 1)]
        sel = cnt >= min_counts[n - 1]
        disc = discount if n >= 3 else 0.0
        cost = -np.log((cnt - disc) / np.maximum(hcount, cnt))
        q = np.clip(np.round(cost * QUANT), 0, 255).astype(np.uint8)
        k_sel, q_sel = uniq[sel], q[sel]
        probe = fingerprint(k_sel)
        o = np.argsort(probe, kind="stable")
        probe, q_sel = probe[o], q_sel[o]
        del key, valid
        # Fingerprint collisions: keep the first of each.
        first = np.ones(len(probe), dtype=bool)
        first[1:] = probe[1:] != probe[:-1]
        tables[f"keys{n}"] = probe[first]
        tables[f"scores{n}"] = q_sel[first]
        stats[f"{n}-grams"] = int(first.sum())
        say(f"order {n}: {len(uniq):,} distinct, kept {int(first.sum()):,}")
        prev_keys, prev_counts = uniq, cnt
    meta = {"order": order, "alpha": alpha, "smoothing": smoothing, "min_counts": list(min_counts[:order]),
            "modified_kn": modified_kn, "drop_unmarked": drop_unmarked, "keep_gain": keep_gain,
            "lexicon": lexicon,
            "holdout_left_out": holdout,
            "id_bits": ID_BITS, "quant": QUANT, "tokens": int(len(seq)),
            "corpus": Path(corpus).name, "excluded_docs": len(exclude_ids)}
    if lexicon:
        from .lexicon import lexicon_tables
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


def rebuild_models(corpus: str | Path | None = None, out_dir: str | Path | None = None, *,
                   order: int = 5, channel_data: str | Path | None = None, holdout: bool = True,
                   general: str | Path | None | bool = None,
                   progress: Callable[[str], None] | None = None) -> dict:
    """What ``vanban train-lm`` does: train the syllable LM from the corpus into ``out_dir``
    (default: the package's data folder), the general-language LM from ``general`` (default:
    ``general/viwiki.txt.xz`` beside the corpus when it is there; False: none) and, given
    rendered gold/OCR pages (scripts/normalize_make_channel_data.py), the legacy-OCR channel on
    the administrative LM's vocabulary."""
    from ..errors import InputFileError
    corpus = Path(corpus or DEFAULT_CORPUS)
    out_dir = Path(out_dir or DATA_DIR)
    if not corpus.is_file():
        raise InputFileError("corpus not found (use --corpus)", str(corpus))
    model = out_dir / "vi_syllable_lm.npz"
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
        from .channel import build_channel
        stats["channel"] = build_channel(channel_data, NgramLM.load(model),
                                         out_dir / "legacy_channel.npz", progress=progress)
    return stats
