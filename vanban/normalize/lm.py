"""Syllable n-gram language model: training from the corpus, compact storage, batched scoring.

Tokens are lower-cased syllables (letter runs), ``<num>`` for digit runs, punctuation
characters, and ``<s>`` at the start of every paragraph. Up to 65,533 token types get a 16-bit
id (the rest are ``<unk>``), so an n-gram of up to four ids packs exactly into 64 bits.

Scoring is stupid backoff (Brants et al. 2007): ``S(w|h) = c(hw)/c(h)`` when the n-gram was
seen, otherwise ``alpha * S(w|h')`` with the shorter history. Each order's table stores sorted
32-bit keys (bigrams exactly; longer n-grams as 32-bit fingerprints of their 64-bit key) and
the quantised ``-ln S`` as one byte, in one ``.npz`` file under ``vanban/data``. Lookups are
``np.searchsorted`` over a whole batch of (history, candidate) pairs at once.
"""

from __future__ import annotations

import json
import lzma
import time
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .vietnamese import TOKEN_RE

UNK, BOS, NUM = 0, 1, 2
SPECIALS = ["<unk>", "<s>", "<num>"]
MAX_VOCAB = 65_535
ID_BITS = 16
ORDER = 4
#: One quantisation step of -ln(prob) in the stored byte.
QUANT = 20.0
_FP_MULT = np.uint64(0x9E3779B97F4A7C15)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_MODEL = DATA_DIR / "vi_syllable_lm.npz"
DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "train_corpus.jsonl.xz"


def fingerprint(keys: np.ndarray) -> np.ndarray:
    """32-bit fingerprint of 64-bit n-gram keys (multiplicative hashing, top 32 bits)."""
    with np.errstate(over="ignore"):
        return ((keys.astype(np.uint64) * _FP_MULT) >> np.uint64(32)).astype(np.uint32)


def lm_token_strings(line: str) -> list[str]:
    """The LM's token strings for one line of text (lower-cased)."""
    return TOKEN_RE.findall(line.lower())


def iter_corpus_paragraphs(path: Path) -> Iterable[str]:
    """Every paragraph (non-empty line) of the JSONL.xz training corpus."""
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for raw in fh:
            doc = json.loads(raw)
            for para in doc.get("text", "").split("\n"):
                if para.strip():
                    yield para


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

    @classmethod
    def load(cls, path: str | Path = DEFAULT_MODEL) -> "NgramLM":
        """Load a model written by :func:`train_lm`."""
        with np.load(path, allow_pickle=False) as z:
            vocab = str(z["vocab"][()]).split("\n")
            counts = z["counts"].astype(np.int64)
            meta = json.loads(str(z["meta"][()]))
            order = int(meta["order"])
            keys: list[np.ndarray] = [np.zeros(0, np.uint32)] * 2
            scores: list[np.ndarray] = [np.zeros(0, np.uint8)] * 2
            for n in range(2, order + 1):
                keys.append(z[f"keys{n}"])
                scores.append(z[f"scores{n}"])
        total = counts.sum()
        unigram = (-np.log(np.maximum(counts, 1) / total)).astype(np.float32)
        unigram[UNK] = max(float(unigram.max()), 20.0)
        return cls(vocab=vocab, index={w: i for i, w in enumerate(vocab)}, counts=counts,
                   unigram=unigram, keys=keys, scores=scores, alpha=float(meta.get("alpha", 0.4)),
                   order=order)

    def token_id(self, token: str) -> int:
        """Id of one lower-cased LM token string (digits -> <num>)."""
        if token.isdigit():
            return NUM
        return self.index.get(token, UNK)

    def cost(self, history: np.ndarray, words: np.ndarray) -> np.ndarray:
        """-ln S(word | history) for a batch.

        history: (N, order-1) ids, most recent last; words: (N,) ids. Returns float32 (N,).
        """
        words = words.astype(np.uint64)
        hist = history.astype(np.uint64)
        n_hist = hist.shape[1]
        result = self.unigram[words.astype(np.int64)].astype(np.float32)
        backoff = -np.log(self.alpha)
        found = np.zeros(len(words), dtype=bool)
        out = np.empty(len(words), dtype=np.float32)
        # Highest order first; an n-gram found at order n fixes the score.
        for n in range(self.order, 1, -1):
            k = n - 1  # history words used
            if k > n_hist:
                continue
            key = words.copy()
            for j in range(1, k + 1):
                key |= hist[:, n_hist - j] << np.uint64(ID_BITS * j)
            table = self.keys[n]
            probe = key.astype(np.uint32) if n == 2 else fingerprint(key)
            pos = np.searchsorted(table, probe)
            pos = np.minimum(pos, len(table) - 1)
            hit = (table[pos] == probe) & ~found
            # Histories containing <unk> are not real n-grams.
            for j in range(1, k + 1):
                hit &= hist[:, n_hist - j] != UNK
            hit &= words != UNK
            penalty = backoff * (self.order - n)
            out[hit] = self.scores[n][pos[hit]].astype(np.float32) / QUANT + penalty
            found |= hit
        rest = ~found
        out[rest] = result[rest] + backoff * (self.order - 1)
        return out


def train_lm(corpus: str | Path = DEFAULT_CORPUS, out: str | Path = DEFAULT_MODEL, *,
             order: int = ORDER, min_counts: tuple[int, ...] = (1, 1, 2, 2, 2),
             max_chars: int | None = None, alpha: float = 0.4,
             progress: Callable[[str], None] | None = None) -> dict:
    """Build the syllable n-gram model from the JSONL.xz corpus and write it to ``out``.

    ``min_counts[n-1]`` prunes n-grams seen fewer times. Returns statistics (sizes, timings).
    """
    say = progress or (lambda msg: None)
    t0 = time.perf_counter()
    ids = array("I")
    index: dict[str, int] = {s: i for i, s in enumerate(SPECIALS)}
    chars = 0
    for para in iter_corpus_paragraphs(Path(corpus)):
        toks = lm_token_strings(para)
        ids.append(BOS)
        for t in toks:
            i = index.get(t)
            if i is None:
                i = index[t] = len(index)
            ids.append(i)
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
    del raw, ids
    say(f"vocab {len(vocab):,}; counting n-grams")

    tables: dict[str, np.ndarray] = {}
    prev_keys = None
    prev_counts = None
    stats = {"tokens": int(len(seq)), "vocab": len(vocab)}
    for n in range(1, order + 1):
        m = len(seq) - n + 1
        key = seq[:m].copy()
        for j in range(1, n):
            key = (key << np.uint64(ID_BITS)) | seq[j:j + m]
        # n-grams whose words (other than the first, a history) are <s> cross paragraphs.
        valid = np.ones(m, dtype=bool)
        for j in range(1, n):
            valid &= seq[j:j + m] != BOS
        for j in range(n):
            valid &= seq[j:j + m] != UNK
        uniq, cnt = np.unique(key[valid], return_counts=True)
        if n == 1:
            prev_keys, prev_counts = uniq, cnt
            continue
        hist = uniq >> np.uint64(ID_BITS)
        pos = np.searchsorted(prev_keys, hist)
        hcount = prev_counts[np.minimum(pos, len(prev_keys) - 1)]
        sel = cnt >= min_counts[n - 1]
        cost = -np.log(cnt / np.maximum(hcount, cnt))
        q = np.clip(np.round(cost * QUANT), 0, 255).astype(np.uint8)
        k_sel, q_sel = uniq[sel], q[sel]
        probe = k_sel.astype(np.uint32) if n == 2 else fingerprint(k_sel)
        o = np.argsort(probe, kind="stable")
        probe, q_sel = probe[o], q_sel[o]
        # Fingerprint collisions: keep the first of each.
        first = np.ones(len(probe), dtype=bool)
        first[1:] = probe[1:] != probe[:-1]
        tables[f"keys{n}"] = probe[first]
        tables[f"scores{n}"] = q_sel[first]
        stats[f"{n}-grams"] = int(first.sum())
        say(f"order {n}: {len(uniq):,} distinct, kept {int(first.sum()):,}")
        prev_keys, prev_counts = uniq, cnt
    meta = {"order": order, "alpha": alpha, "min_counts": list(min_counts[:order]),
            "id_bits": ID_BITS, "quant": QUANT, "tokens": int(len(seq)),
            "corpus": Path(corpus).name}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, vocab=np.array("\n".join(vocab)), counts=uni_counts.astype(np.uint32),
                        meta=np.array(json.dumps(meta)), **tables)
    stats["bytes"] = out.stat().st_size
    stats["seconds"] = round(time.perf_counter() - t0, 1)
    say(f"wrote {out} ({stats['bytes'] / 1e6:.1f} MB) in {stats['seconds']}s")
    return stats
