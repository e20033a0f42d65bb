"""Beam search over per-token candidates with the syllable n-gram LM (noisy-channel decoding).

Input: segments (lists of :class:`Slot`), each slot holding candidate LM ids, their channel
costs (-ln P(observed | candidate)) and strings. All segments of a batch are decoded in
lock-step, so every step is one vectorised LM lookup over segments x beams x candidates; this
is what makes pure-numpy decoding fast enough (tens of thousands of syllables per second).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .lm import BOS, UNK, NgramLM

BEAM = 8
#: Longest segment decoded in one piece (longer ones are cut; context is lost at the cut).
MAX_SEGMENT = 300
#: Segments decoded together (bounds the memory of the back-pointer arrays).
BATCH = 512


@dataclass
class Slot:
    """One token position: its candidates (first one = keep the token as it is)."""
    ids: list[int]
    costs: list[float]
    strings: list[str]
    token_index: int = -1          # index into the caller's token list (-1: context only)


@dataclass
class Segment:
    slots: list[Slot] = field(default_factory=list)
    start_history: int = BOS       # the token id before the first slot


def decode(lm: NgramLM, segments: list[Segment], beam: int = BEAM) -> list[list[int]]:
    """Best candidate index per slot, for every segment."""
    order = sorted(range(len(segments)), key=lambda i: -len(segments[i].slots))
    results: list[list[int]] = [[] for _ in segments]
    for b0 in range(0, len(order), BATCH):
        chunk = [segments[i] for i in order[b0:b0 + BATCH]]
        best = _decode_batch(lm, chunk, beam)
        for i, path in zip(order[b0:b0 + BATCH], best):
            results[i] = path
    return results


def _decode_batch(lm: NgramLM, segs: list[Segment], beam: int) -> list[list[int]]:
    S = len(segs)
    lengths = np.array([len(s.slots) for s in segs])
    T = int(lengths.max()) if S else 0
    if T == 0:
        return [[] for _ in segs]
    K = max(len(slot.ids) for s in segs for slot in s.slots)
    ids = np.zeros((S, T, K), dtype=np.int64)
    cc = np.full((S, T, K), np.inf, dtype=np.float32)
    for si, s in enumerate(segs):
        for ti, slot in enumerate(s.slots):
            n = len(slot.ids)
            ids[si, ti, :n] = slot.ids
            cc[si, ti, :n] = slot.costs
    H = lm.order - 1
    hist = np.full((S, beam, H), UNK, dtype=np.int64)
    hist[:, :, -1] = np.array([s.start_history for s in segs])[:, None]
    score = np.full((S, beam), np.inf, dtype=np.float32)
    score[:, 0] = 0.0
    bp_beam = np.zeros((T, S, beam), dtype=np.int16)
    bp_cand = np.zeros((T, S, beam), dtype=np.int16)
    for t in range(T):
        n = int((lengths > t).sum())  # segments sorted by length: the active ones lead
        c = ids[:n, t]                       # (n, K)
        k_used = int((np.isfinite(cc[:n, t])).sum(axis=1).max())
        c = c[:, :k_used]
        ch = cc[:n, t, :k_used]
        # Only beams that exist are expanded.
        b_used = beam if t > 0 else 1
        h = hist[:n, :b_used]                # (n, b, H)
        hh = np.broadcast_to(h[:, :, None, :], (n, b_used, k_used, H)).reshape(-1, H)
        ww = np.broadcast_to(c[:, None, :], (n, b_used, k_used)).reshape(-1)
        cost = lm.cost(hh, ww).reshape(n, b_used, k_used)
        total = cost + ch[:, None, :] + score[:n, :b_used, None]
        flat = total.reshape(n, b_used * k_used)
        width = b_used * k_used
        if width > beam:
            idx = np.argpartition(flat, beam - 1, axis=1)[:, :beam]
        else:
            idx = np.broadcast_to(np.arange(width), (n, width))
        new_score = np.full((n, beam), np.inf, dtype=np.float32)
        sel_score = np.take_along_axis(flat, idx, axis=1)
        w = idx.shape[1]
        new_score[:, :w] = sel_score
        pb = idx // k_used
        pk = idx % k_used
        rows = np.arange(n)[:, None]
        new_hist = np.full((n, beam, H), UNK, dtype=np.int64)
        new_hist[:, :w, :-1] = h[rows, pb, 1:]
        new_hist[:, :w, -1] = c[rows, pk]
        hist[:n] = new_hist
        score[:n] = new_score
        bp_beam[t, :n, :w] = pb
        bp_cand[t, :n, :w] = pk
    paths: list[list[int]] = []
    for si in range(S):
        L = int(lengths[si])
        b = int(np.argmin(score[si]))
        path = [0] * L
        for t in range(L - 1, -1, -1):
            path[t] = int(bp_cand[t, si, b])
            b = int(bp_beam[t, si, b])
        paths.append(path)
    return paths


def local_posteriors(lm: NgramLM, segments: list[Segment], chosen: list[list[int]],
                     positions: list[tuple[int, int]]) -> list[np.ndarray]:
    """For (segment, slot) positions: the posterior over that slot's candidates given the
    chosen neighbours (sum of LM costs of every n-gram that covers the slot + channel cost).
    """
    if not positions:
        return []
    H = lm.order - 1
    hist_rows, word_rows, owner = [], [], []
    for pi, (si, ti) in enumerate(positions):
        seg = segments[si]
        ids_path = [seg.slots[t].ids[chosen[si][t]] for t in range(len(seg.slots))]
        context = [UNK] * (H - 1) + [seg.start_history] + ids_path
        off = H  # context index of slot 0
        slot = seg.slots[ti]
        for ki, cand in enumerate(slot.ids):
            seq = list(context)
            seq[off + ti] = cand
            # Every n-gram whose last word is at ti .. ti+H (within the segment).
            for t in range(ti, min(ti + H + 1, len(ids_path))):
                hist_rows.append(seq[off + t - H: off + t])
                word_rows.append(seq[off + t])
                owner.append((pi, ki))
    cost = lm.cost(np.array(hist_rows, dtype=np.int64), np.array(word_rows, dtype=np.int64))
    sums: dict[tuple[int, int], float] = {}
    for (pi, ki), cv in zip(owner, cost):
        sums[(pi, ki)] = sums.get((pi, ki), 0.0) + float(cv)
    out = []
    for pi, (si, ti) in enumerate(positions):
        slot = segments[si].slots[ti]
        tot = np.array([sums[(pi, ki)] + slot.costs[ki] for ki in range(len(slot.ids))])
        p = np.exp(-(tot - tot.min()))
        out.append(p / p.sum())
    return out
