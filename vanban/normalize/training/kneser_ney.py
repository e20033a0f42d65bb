"""Interpolated modified Kneser-Ney tables for the syllable LM, in backoff form, and the
packing of their fingerprint tables into the model file (read back by
:func:`vanban.normalize.lm.unpack_keys`)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..lm import BOS, ID_BITS, QUANT_KN, UNK, fingerprint, ngram_keys


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


def kn_tables(seq: np.ndarray, order: int, min_counts: tuple[int, ...], vocab_size: int,
              say: Callable[[str], None]) -> tuple[dict[str, np.ndarray], dict]:
    """Interpolated modified Kneser-Ney (three discounts per order, Chen & Goodman) in backoff
    form, over the token stream ``seq`` (ids below ``vocab_size``; ``<s>`` opens every
    paragraph; ``min_counts[n-1]`` prunes n-grams seen fewer times).

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
        ds = _modified_discounts(a)
        d = np.where(a <= 1, ds[0], np.where(a <= 2, ds[1], ds[2]))
        dtxt = "/".join(f"{x:.3f}" for x in ds)
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
    # Which n-grams stay, top order first: those seen often enough, and every context of a
    # kept longer n-gram (it carries the backoff weight that n-gram's order needs). A context whose longer n-grams
    # were all pruned goes too: it would only hold a weight no lookup reads.
    kept: dict[int, np.ndarray] = {}
    for n in range(order, 1, -1):
        keep = raw[n] >= min_counts[n - 1]
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
