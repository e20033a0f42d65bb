"""Beam search over per-token candidates with the syllable n-gram LM (noisy-channel decoding).

Input: segments (lists of :class:`Slot`), each slot holding candidate LM ids, their channel
costs (-ln P(observed | candidate)) and strings. All segments of a batch are decoded in
lock-step, so every step is one vectorised LM lookup over segments x beams x candidates; this
is what makes pure-numpy decoding fast enough (tens of thousands of syllables per second).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .lexicon import PairBonus
from .lm import BOS, UNK, NgramLM

BEAM = 12
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
    capital: bool = False          # the input token starts with a capital (a name, maybe)


@dataclass
class Segment:
    slots: list[Slot] = field(default_factory=list)
    start_history: int = BOS       # the token id before the first slot


def decode(lm: NgramLM, segments: list[Segment], beam: int = BEAM,
           pairs: PairBonus | None = None) -> list[list[int]]:
    """Best candidate index per slot, for every segment. ``pairs``: lexicon bonuses for
    adjacent candidates (words, capitalised place names), subtracted from the LM cost."""
    order = sorted(range(len(segments)), key=lambda i: -len(segments[i].slots))
    results: list[list[int]] = [[] for _ in segments]
    for b0 in range(0, len(order), BATCH):
        chunk = [segments[i] for i in order[b0:b0 + BATCH]]
        best = _decode_batch(lm, chunk, beam, pairs)
        for i, path in zip(order[b0:b0 + BATCH], best):
            results[i] = path
    return results


def _decode_batch(lm: NgramLM, segs: list[Segment], beam: int,
                  pairs: PairBonus | None) -> list[list[int]]:
    S = len(segs)
    lengths = np.array([len(s.slots) for s in segs])
    T = int(lengths.max()) if S else 0
    if T == 0:
        return [[] for _ in segs]
    K = max(len(slot.ids) for s in segs for slot in s.slots)
    ids = np.zeros((S, T, K), dtype=np.int64)
    cc = np.full((S, T, K), np.inf, dtype=np.float32)
    cap = np.zeros((S, T + 1), dtype=bool)        # cap[:, t + 1]: slot t is capitalised
    for si, s in enumerate(segs):
        for ti, slot in enumerate(s.slots):
            n = len(slot.ids)
            ids[si, ti, :n] = slot.ids
            cc[si, ti, :n] = slot.costs
            cap[si, ti + 1] = slot.capital
    H = lm.order - 1
    hist = np.full((S, beam, H), UNK, dtype=np.int64)
    hist[:, :, -1] = np.array([s.start_history for s in segs])[:, None]
    score = np.full((S, beam), np.inf, dtype=np.float32)
    score[:, 0] = 0.0
    bp_beam = np.zeros((T, S, beam), dtype=np.int16)
    bp_cand = np.zeros((T, S, beam), dtype=np.int16)
    grid = getattr(lm, "cost_grid", None)    # NgramLM and MixtureLM have it
    for t in range(T):
        n = int((lengths > t).sum())  # segments sorted by length: the active ones lead
        c = ids[:n, t]                       # (n, K)
        k_used = int((np.isfinite(cc[:n, t])).sum(axis=1).max())
        c = c[:, :k_used]
        ch = cc[:n, t, :k_used]
        # Only beams that exist are expanded.
        b_used = beam if t > 0 else 1
        h = hist[:n, :b_used]                # (n, b, H)
        ww = np.broadcast_to(c[:, None, :], (n, b_used, k_used)).reshape(-1)
        if grid is not None:
            # Every candidate after every beam: the history's part of the lookup once.
            cost = grid(h.reshape(-1, H), ww.reshape(n * b_used, k_used)).reshape(-1)
        else:
            hh = np.broadcast_to(h[:, :, None, :], (n, b_used, k_used, H)).reshape(-1, H)
            cost = lm.cost(hh, ww)
        if pairs is not None:
            both = np.broadcast_to((cap[:n, t] & cap[:n, t + 1])[:, None, None],
                                   (n, b_used, k_used)).reshape(-1)
            left = np.broadcast_to(h[:, :, None, -1], (n, b_used, k_used)).reshape(-1)
            cost = cost - pairs.bonus(left, ww, both)
        cost = cost.reshape(n, b_used, k_used)
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
                     positions: list[tuple[int, int]],
                     pairs: PairBonus | None = None) -> list[np.ndarray]:
    """For (segment, slot) positions: the posterior over that slot's candidates given the
    chosen neighbours (sum of LM costs of every n-gram that covers the slot + channel cost,
    less the lexicon bonuses of the two pairs the slot is in).
    """
    if not positions:
        return []
    H = lm.order - 1
    by_seg: dict[int, list[int]] = {}
    for pi, (si, _) in enumerate(positions):
        by_seg.setdefault(si, []).append(pi)
    pair_pos, pair_slot, pair_cand, pair_chan, pair_seg = [], [], [], [], []
    padded: dict[int, np.ndarray] = {}
    caps: dict[int, np.ndarray] = {}
    for si, pis in by_seg.items():
        seg = segments[si]
        path = [seg.slots[t].ids[chosen[si][t]] for t in range(len(seg.slots))]
        padded[si] = np.array([UNK] * (H - 1) + [seg.start_history] + path, dtype=np.int64)
        caps[si] = np.array([False] * H + [slot.capital for slot in seg.slots])
        for pi in pis:
            ti = positions[pi][1]
            slot = seg.slots[ti]
            n = len(slot.ids)
            pair_pos.extend([pi] * n)
            pair_slot.extend([ti] * n)
            pair_cand.extend(slot.ids)
            pair_chan.extend(slot.costs)
            pair_seg.extend([si] * n)
    pos_a = np.array(pair_pos)
    slot_a = np.array(pair_slot)
    cand_a = np.array(pair_cand, dtype=np.int64)
    seg_a = np.array(pair_seg)
    total = np.array(pair_chan, dtype=np.float64)
    # Windows: the n-grams whose last word is at slot ti + d, d = 0..H.
    hist_rows, word_rows, owner, capital, near = [], [], [], [], []
    for si in by_seg:
        sel = np.flatnonzero(seg_a == si)
        P = padded[si]
        L = len(P) - H
        for d in range(H + 1):
            t = slot_a[sel] + d
            ok = t < L
            rows = sel[ok]
            t = t[ok]
            idx = t[:, None] + np.arange(H + 1)[None, :]     # positions in P: history + word
            grams = P[idx]
            target = (slot_a[rows] + H)[:, None]
            grams = np.where(idx == target, cand_a[rows][:, None], grams)
            hist_rows.append(grams[:, :H])
            word_rows.append(grams[:, H])
            owner.append(rows)
            # Only the pairs (t-1, t) and (t, t+1) hold the candidate.
            near.append(np.full(len(rows), d < 2))
            capital.append(caps[si][t + H - 1] & caps[si][t + H])
    hist_all, word_all = np.concatenate(hist_rows), np.concatenate(word_rows)
    cost = lm.cost(hist_all, word_all)
    if pairs is not None:
        bonus = pairs.bonus(hist_all[:, -1], word_all, np.concatenate(capital))
        cost = cost - np.where(np.concatenate(near), bonus, 0.0)
    total += np.bincount(np.concatenate(owner), weights=cost, minlength=len(total))
    out: list[np.ndarray] = [np.ones(1)] * len(positions)
    starts = np.flatnonzero(np.r_[True, pos_a[1:] != pos_a[:-1]])
    ends = np.r_[starts[1:], len(pos_a)]
    for a, b in zip(starts, ends):
        tot = total[a:b]
        p = np.exp(-(tot - tot.min()))
        out[int(pos_a[a])] = p / p.sum()
    return out
