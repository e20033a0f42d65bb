"""Syllable n-gram language model at run time: the model file, batched scoring.

Tokens are lower-cased syllables (letter runs), ``<num>`` for digit runs, punctuation
characters, and ``<s>`` at the start of every paragraph. Up to 65,533 token types get a 16-bit
id (the rest are ``<unk>``), so an n-gram of up to four ids packs exactly into 64 bits; a
5-gram's key combines a hash of its first four words with the fifth.

The model is interpolated modified Kneser-Ney (built by :mod:`vanban.normalize.training`),
stored in backoff form: every kept n-gram has -ln P_KN(w | h) and, when it is also a history,
-ln gamma(h), the weight of the next order down.

Storage: each order's table holds sorted 32-bit fingerprints of the n-grams' 64-bit keys
(stored as the gaps between them, see :func:`unpack_keys`) and one-byte quantised costs, all
in one ``.npz`` file under ``vanban/data`` (20 MB; the general-language model beside it, see
``normalize.mixture``, 14 MB). Lookups are vectorised over a whole batch of (history,
candidate) pairs at once, through a bucket index on the top bits of the fingerprints (one or
two probes instead of a binary search).

Loading: the ``.npz`` files are compressed and their key tables delta-packed, and the bucket
index is built at load (most of the restorer's start-up). The first load therefore also writes an
uncompressed copy of the ready tables into vanban's cache (``$VANBAN_CACHE/lm``, see
:mod:`vanban.settings`), named after the model file's content (the CRC-32 and size of every
member the zip's directory lists, read without decompressing); later loads map that copy into
memory (``mmap``, read-only) instead: the pages are shared by every process using the model.
The copy is written to a temporary file and renamed into place, so two processes making it at
once each leave a whole file; an unwritable cache folder or a damaged copy only means the
``.npz`` is read as before. See docs/normalize.md for the measured times.
"""

from __future__ import annotations

import functools
import hashlib
import json
import mmap
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import MissingDependencyError
from ..outputs import remove_abandoned_temporaries
from ..settings import cache_dir

UNK, BOS, NUM = 0, 1, 2
#: Tokens after which a capital letter says nothing about the word (a sentence starts).
SENTENCE_OPENERS = frozenset(".!?:“\"(-…•*")
SPECIALS = ["<unk>", "<s>", "<num>"]
MAX_VOCAB = 65_535
ID_BITS = 16
ORDER = 5
#: Quantisation step of the stored one-byte costs (costs up to ~25 nats fit one byte).
QUANT_KN = 10.0
_FP_MULT = np.uint64(0x9E3779B97F4A7C15)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_MODEL = DATA_DIR / "vi_syllable_lm.npz"
#: The general-language model (Vietnamese Wikipedia), mixed in per document by the restorer.
DEFAULT_GENERAL_MODEL = DATA_DIR / "vi_general_lm.npz"

#: Layout version of the cached copy of a model (part of its file name): raise it whenever what
#: :func:`write_cached_copy` stores changes, so that no older copy is read.
CACHE_FORMAT = 2
#: First and last bytes of a cached copy (the last ones say it was written to the end).
_CACHE_MAGIC = b"vanban-lm-cache\n"
#: A cached copy's checksum reads one word in this many bytes (one per memory page).
_CHECK_STRIDE = 4096
#: Arrays in a cached copy start at multiples of this (aligned loads).
_CACHE_ALIGN = 64

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


def unpack_keys(z, n: int) -> np.ndarray:
    """The order-n fingerprint table of a model file (packed by
    :func:`vanban.normalize.training.kneser_ney.pack_keys`, or plain in files written before)."""
    if f"keys{n}" in z.files:
        return z[f"keys{n}"]
    gaps = z[f"gaps{n}"].astype(np.uint32)
    gaps[z[f"wide_at{n}"].astype(np.int64)] += z[f"wide_hi{n}"].astype(np.uint32) << np.uint32(16)
    return np.cumsum(gaps, dtype=np.uint32)


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


class ModelFileError(MissingDependencyError, ValueError):
    """A model file this code cannot use: missing, unreadable, damaged or of an old format
    (one line and exit 4, as for a missing Tesseract language)."""


@dataclass
class NgramLM:
    """A loaded model: vocabulary, unigram costs and per-order fingerprint/cost tables."""
    vocab: list[str]
    index: dict[str, int]
    counts: np.ndarray          # unigram counts per id
    unigram: np.ndarray         # -ln P(w) as float32
    keys: list[np.ndarray]      # keys[n]: sorted fingerprints of order n (index 0, 1 unused)
    scores: list[np.ndarray]    # quantised -ln P_KN(w | h) per n-gram, uint8
    bows: list[np.ndarray]      # quantised -ln gamma(h) per n-gram, uint8
    bow1: np.ndarray            # -ln gamma per unigram, float32
    order: int = ORDER
    #: -ln P(written with a capital | word, inside a sentence), and of lower case; None for
    #: models trained without case statistics.
    title_cost: np.ndarray | None = None
    lower_cost: np.ndarray | None = None
    #: normalize.lexicon's tables over this vocabulary (``lex_*`` arrays); None for models
    #: trained without the word lists.
    lexicon: dict[str, np.ndarray] | None = None

    #: The bucket index of each order's table (see ``__post_init__``): built from ``keys``
    #: unless given, as a cached copy gives it.
    bucket_shift: list[int] | None = field(default=None, repr=False)
    bucket_starts: list[np.ndarray] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, path: str | Path = DEFAULT_MODEL, *, cache: bool | None = None) -> "NgramLM":
        """Load a model written by :func:`vanban.normalize.training.train_lm`.

        ``cache``: map the cached uncompressed copy of this very file when there is one, and
        write it when there is none (see the module docstring); the model is the same either
        way. Without a usable cache folder the ``.npz`` is read, as with ``cache=False``.
        Default (None): cache the shipped models (files in ``vanban/data``), not a model
        trained elsewhere (a test's, an experiment's), which would only fill the cache."""
        path = Path(path)
        if cache is None:
            cache = path.resolve().parent == DATA_DIR.resolve()
        copy = cached_copy_path(path) if cache else None
        if copy is not None:
            lm = read_cached_copy(copy)
            if lm is not None:
                _remove_abandoned_writes(copy)
                return lm
        lm = cls.load_npz(path)
        if copy is not None:
            write_cached_copy(lm, copy)
        return lm

    @classmethod
    def load_npz(cls, path: str | Path) -> "NgramLM":
        """Load the model file itself (no cache): decompress, unpack the key tables, build
        the bucket index. Raises :class:`ModelFileError` for a file it cannot use."""
        try:
            return cls._read_npz(path)
        except ModelFileError:
            raise
        except (OSError, EOFError, zipfile.BadZipFile, ValueError, KeyError) as err:
            raise ModelFileError(f"language model cannot be read ({type(err).__name__}: {err}); "
                                 "reinstall vanban or rebuild it: vanban train-lm",
                                 str(path)) from None

    @classmethod
    def _read_npz(cls, path: str | Path) -> "NgramLM":
        with np.load(path, allow_pickle=False) as z:
            vocab = str(z["vocab"][()]).split("\n")
            counts = z["counts"].astype(np.int64)
            meta = json.loads(str(z["meta"][()]))
            if meta.get("smoothing") != "kn":
                raise ModelFileError("not a Kneser-Ney model (rebuild it: vanban train-lm)",
                                     str(path))
            order = int(meta["order"])
            keys: list[np.ndarray] = [np.zeros(0, np.uint32)] * 2
            scores: list[np.ndarray] = [np.zeros(0, np.uint8)] * 2
            bows: list[np.ndarray] = [np.zeros(0, np.uint8)] * 2
            for n in range(2, order + 1):
                keys.append(unpack_keys(z, n))
                scores.append(z[f"scores{n}"])
                bows.append(z[f"bows{n}"])
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
        unigram[UNK] = max(float(unigram.max()), 20.0)
        return cls(vocab=vocab, index={w: i for i, w in enumerate(vocab)}, counts=counts,
                   unigram=unigram, keys=keys, scores=scores, bows=bows, bow1=bow1,
                   order=order, title_cost=title_cost, lower_cost=lower_cost, lexicon=lexicon)

    def token_id(self, token: str) -> int:
        """Id of one lower-cased LM token string (digits -> <num>)."""
        if token.isdigit():
            return NUM
        return self.index.get(token, UNK)

    def __post_init__(self) -> None:
        # Bucket index over each sorted fingerprint table: the top bits of a fingerprint give
        # the slice of the table to scan (one or two entries on average), which replaces a
        # ~21-step binary search (a cache miss per step) by one or two probes.
        if self.bucket_shift is not None and self.bucket_starts is not None:
            self._shift, self._starts = list(self.bucket_shift), list(self.bucket_starts)
            return
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
        self.bucket_shift, self.bucket_starts = self._shift, self._starts

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
        """-ln P_KN(word | history) for a batch, in backoff form: the longest stored n-gram's
        cost plus the backoff weights of the longer contexts it was reached through.

        history: (N, order-1) ids, most recent last; words: (N,) ids. Returns float32 (N,).
        """
        hist = np.asarray(history)
        words = np.asarray(words)
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
                found = self.scores[n][pos[hit]].astype(np.float32) / QUANT_KN
                out[rows[hit]] = acc[rows[hit]] + found
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


    def cost_grid(self, history: np.ndarray, words: np.ndarray) -> np.ndarray:
        """:meth:`cost` of every word of row i of ``words`` after history row i: history
        (M, order-1) ids, words (M, K) ids; returns float32 (M, K), the very numbers
        :meth:`cost` gives for the flattened pairs. A beam step scores many candidates after
        each history: the history's packed keys, which of its contexts are known and the
        backoff weights it collects on the way down are computed once per history row, not
        once per candidate."""
        hist = np.asarray(history)
        words = np.asarray(words)
        n_hist_rows, n_cand = words.shape
        n_hist = hist.shape[1]
        top = min(self.order, n_hist + 1)
        h64 = hist.astype(np.uint64)
        # ctx[k]: key of the last k history words (oldest first), known[k]: none is <unk>.
        ctx: dict[int, np.ndarray] = {}
        known: dict[int, np.ndarray] = {}
        for k in range(1, min(top - 1, 4) + 1):
            col = h64[:, n_hist - k]
            if k == 1:
                ctx[k], known[k] = col.copy(), col != UNK
            else:
                ctx[k] = (col << np.uint64(ID_BITS * (k - 1))) | ctx[k - 1]
                known[k] = known[k - 1] & (col != UNK)
        mixed4 = mix64(ctx[4]) if 4 in ctx else None   # a 5-gram's key: hash of its history
        # before[n]: the backoff weights a word reaches order n with (summed in float32 in
        # the order cost() adds them, so the sums are the same numbers).
        acc = np.zeros(n_hist_rows, dtype=np.float32)
        before: dict[int, np.ndarray] = {}
        for n in range(top, 1, -1):
            before[n] = acc.copy()
            k = n - 1
            if k >= 2:
                rows = np.flatnonzero(known[k])
                if rows.size:
                    pos = self._find(k, fingerprint(ctx[k][rows]))
                    hit = pos >= 0
                    acc[rows[hit]] += self.bows[k][pos[hit]].astype(np.float32) / QUANT_KN
            else:
                last = hist[:, n_hist - 1].astype(np.int64)
                acc += np.where(last != UNK, self.bow1[last], 0.0).astype(np.float32)
        flat_words = words.reshape(-1)
        w64 = flat_words.astype(np.uint64)
        owner = np.repeat(np.arange(n_hist_rows), n_cand)
        out = np.empty(flat_words.shape[0], dtype=np.float32)
        todo = np.flatnonzero(flat_words != UNK)
        done = np.zeros(flat_words.shape[0], dtype=bool)
        for n in range(top, 1, -1):
            if not todo.size:
                break
            k = n - 1
            rows = todo[known[k][owner[todo]]]
            if not rows.size:
                continue
            hrow = owner[rows]
            if k == 4:
                key = mixed4[hrow] ^ w64[rows]
            else:
                key = (ctx[k][hrow] << np.uint64(ID_BITS)) | w64[rows]
            pos = self._find(n, fingerprint(key))
            hit = pos >= 0
            rows_hit = rows[hit]
            out[rows_hit] = before[n][owner[rows_hit]] + \
                self.scores[n][pos[hit]].astype(np.float32) / QUANT_KN
            done[rows_hit] = True
            todo = todo[~done[todo]]
        rest = np.flatnonzero(~done)
        out[rest] = acc[owner[rest]] + self.unigram[flat_words[rest].astype(np.int64)]
        return out.reshape(n_hist_rows, n_cand)


# --------------------------------------------------------------------------- cached copy
def model_fingerprint(path: str | Path) -> str | None:
    """What names a model file's content: a hash of the name, CRC-32 and size of every member
    of the ``.npz`` (read from the zip's directory, nothing decompressed); None when the file
    is no readable zip (then the plain load reports what is wrong with it)."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = sorted((i.filename, i.CRC, i.file_size) for i in zf.infolist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return None
    return hashlib.sha256(json.dumps(members).encode()).hexdigest()[:32]


def cached_copy_path(path: str | Path) -> Path | None:
    """Where the cached copy of the model file ``path`` lives (it may not exist yet)."""
    fingerprint_ = model_fingerprint(path)
    if fingerprint_ is None:
        return None
    return cache_dir("lm") / f"{Path(path).stem}-{fingerprint_}-{_code_hash()}-v{CACHE_FORMAT}.bin"


@functools.cache
def _code_hash() -> str:
    """The copy holds what this module computes at load time (unpacked keys, bucket index, the
    <unk> cost, the case costs): a change of this code makes another copy, not a stale one.
    Read once per process, not once per model loaded."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]


def _cached_arrays(lm: NgramLM) -> dict[str, np.ndarray]:
    """The ready arrays of a loaded model, by the names its cached copy stores them under."""
    arrays = {"vocab": np.frombuffer("\n".join(lm.vocab).encode("utf-8"), np.uint8),
              "counts": lm.counts, "unigram": lm.unigram, "bow1": lm.bow1}
    for n in range(2, len(lm.keys)):
        arrays[f"keys{n}"] = lm.keys[n]
        arrays[f"scores{n}"] = lm.scores[n]
        arrays[f"bows{n}"] = lm.bows[n]
        arrays[f"starts{n}"] = lm._starts[n]
    if lm.title_cost is not None:
        arrays["title_cost"] = lm.title_cost
        arrays["lower_cost"] = lm.lower_cost
    arrays.update(lm.lexicon or {})
    return arrays


def _data_start(header_bytes: int) -> int:
    """Offset of the first array in a cached copy whose JSON header has this length."""
    return -(-(len(_CACHE_MAGIC) + 8 + header_bytes) // _CACHE_ALIGN) * _CACHE_ALIGN


def write_cached_copy(lm: NgramLM, copy: Path) -> bool:
    """Write ``lm`` as the uncompressed copy ``copy``: a header (JSON: order, bucket shifts,
    each array's dtype, shape and offset, the data's length), the arrays, the data's checksum
    (:func:`_data_checksum`) and the magic bytes again at the end.
    Written to a temporary file beside it and renamed into place, so a reader never sees
    half a file and two writers at once leave one whole file. False (and nothing left
    behind) when it cannot be written: the cache is an optimisation, never a failure."""
    arrays = {k: v if v.flags.c_contiguous else v.copy() for k, v in _cached_arrays(lm).items()}
    entries, offset = [], 0
    for name, a in arrays.items():
        entries.append({"name": name, "dtype": a.dtype.str, "shape": list(a.shape),
                        "offset": offset, "nbytes": int(a.nbytes)})
        offset += -(-a.nbytes // _CACHE_ALIGN) * _CACHE_ALIGN
    header = {"format": CACHE_FORMAT, "order": lm.order, "shift": list(lm._shift),
              "arrays": entries, "data_bytes": offset}
    head = json.dumps(header).encode()
    start = _data_start(len(head))
    tmp = None
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=copy.parent, prefix=f".{copy.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(_CACHE_MAGIC + len(head).to_bytes(8, "little") + head)
            for entry, a in zip(entries, arrays.values()):
                fh.seek(start + entry["offset"])
                if a.nbytes:
                    fh.write(memoryview(a.reshape(-1).view(np.uint8)))
            fh.seek(start + offset)
            fh.write(bytes(8) + _CACHE_MAGIC)  # the checksum's place, filled below
            fh.flush()
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as written:
                checksum = _data_checksum(written, start, offset)
            fh.seek(start + offset)
            fh.write(checksum.to_bytes(8, "little"))
            fh.flush()
            os.fsync(fh.fileno())  # on disk before it gets its name: no crash leaves a hollow copy
        os.chmod(tmp, 0o644)
        os.replace(tmp, copy)
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False
    _remove_older_copies(copy)
    return True


def _data_checksum(buf, start: int, data_bytes: int) -> int:
    """Checksum of a cached copy's data: the wrapping sum of one 64-bit word in every
    :data:`_CHECK_STRIDE` bytes, and of the last word. A sample, not every byte: it sees a
    page whose sampled word changed (most pages zeroed or filled with other data, as after
    a crash), not bytes changed elsewhere in a page; the exact length and the end magic
    catch a copy cut short or grown. Checking every byte would read the whole copy at each
    load (about 0.1 s for both models, measured: docs/normalize.md), which the mapped copy
    exists to avoid."""
    words = np.frombuffer(buf, np.uint64, count=data_bytes // 8, offset=start)
    if not words.size:
        return 0
    with np.errstate(over="ignore"):
        return int(np.add.reduce(words[::_CHECK_STRIDE // 8], dtype=np.uint64) + words[-1])


def _remove_older_copies(copy: Path) -> None:
    """Remove the copies of earlier versions of the same model file (one copy per model
    name stays; a process that still maps a removed one keeps reading it), and the
    abandoned temporary files of this model (:func:`_remove_abandoned_writes`)."""
    stem = copy.name.rsplit("-", 3)[0]  # <stem>-<model fingerprint>-<code hash>-v<format>.bin
    pattern = re.compile(rf"{re.escape(stem)}-[0-9a-f]{{32}}-[0-9a-f]{{8}}-v\d+\.bin")
    try:
        for other in copy.parent.iterdir():
            if other.name != copy.name and pattern.fullmatch(other.name):
                other.unlink(missing_ok=True)
    except OSError:
        pass
    _remove_abandoned_writes(copy)


def _remove_abandoned_writes(copy: Path) -> None:
    """Remove the temporary files of this model that a writer killed halfway left behind
    (older than :data:`vanban.outputs.ABANDONED_AFTER_S`; one being written now is seconds old). Run after
    a copy is written and after one is mapped: a leftover beside a good copy would otherwise
    stay forever, since a good copy is never written again."""
    stem = copy.name.rsplit("-", 3)[0]
    temporary = re.compile(rf"\.{re.escape(stem)}-[0-9a-f]{{32}}-[0-9a-f]{{8}}-v\d+\.bin\..+\.tmp")
    remove_abandoned_temporaries(copy.parent, temporary)


def read_cached_copy(copy: Path) -> NgramLM | None:
    """The model in the cached copy ``copy``, its tables mapped read-only from the file; None
    when there is no such file or it is not a whole copy of this format (the caller then
    loads the ``.npz`` and writes the copy again)."""
    try:
        with open(copy, "rb") as fh:
            buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # absent, unreadable, or empty (mmap of 0 bytes)
        return None
    try:
        magic = len(_CACHE_MAGIC)
        if buf[:magic] != _CACHE_MAGIC or buf[-magic:] != _CACHE_MAGIC:
            return None
        size = int.from_bytes(buf[magic:magic + 8], "little")
        header = json.loads(bytes(buf[magic + 8:magic + 8 + size]))
        if header.get("format") != CACHE_FORMAT:
            return None
        start = _data_start(size)
        data_bytes = int(header["data_bytes"])
        if len(buf) != start + data_bytes + 8 + magic or data_bytes % 8:
            return None  # cut short, or grown: not the file that was written
        checksum = int.from_bytes(buf[start + data_bytes:start + data_bytes + 8], "little")
        if _data_checksum(buf, start, data_bytes) != checksum:
            return None  # damaged in the middle
        arrays = {}
        for e in header["arrays"]:
            dtype = np.dtype(e["dtype"])
            begin = start + e["offset"]
            if begin + e["nbytes"] > len(buf) - magic or dtype.hasobject:
                return None
            count = e["nbytes"] // dtype.itemsize if dtype.itemsize else 0
            a = (np.frombuffer(buf, dtype, count=count, offset=begin) if count
                 else np.zeros(0, dtype))
            arrays[e["name"]] = a.reshape(tuple(e["shape"]))
        order = int(header["order"])
        vocab = bytes(arrays.pop("vocab")).decode("utf-8").split("\n")
        keys: list[np.ndarray] = [np.zeros(0, np.uint32)] * 2
        scores: list[np.ndarray] = [np.zeros(0, np.uint8)] * 2
        bows: list[np.ndarray] = [np.zeros(0, np.uint8)] * 2
        starts: list[np.ndarray] = [np.zeros(1, np.int64)] * 2
        for n in range(2, order + 1):
            keys.append(arrays[f"keys{n}"])
            scores.append(arrays[f"scores{n}"])
            bows.append(arrays[f"bows{n}"])
            starts.append(arrays[f"starts{n}"])
        lexicon = {k: v for k, v in arrays.items() if k.startswith("lex_")} or None
        return NgramLM(vocab=vocab, index={w: i for i, w in enumerate(vocab)},
                       counts=arrays["counts"], unigram=arrays["unigram"], keys=keys,
                       scores=scores, bows=bows, bow1=arrays["bow1"], order=order,
                       title_cost=arrays.get("title_cost"), lower_cost=arrays.get("lower_cost"),
                       lexicon=lexicon, bucket_shift=[int(x) for x in header["shift"]],
                       bucket_starts=starts)
    except (AttributeError, KeyError, TypeError, ValueError, UnicodeDecodeError):
        return None  # a header of another shape: not a copy this code wrote
