"""NgramLM.cost_grid (the decoder's per-step scoring: every candidate after every beam
history) gives exactly the numbers of NgramLM.cost on the flattened pairs: the restorer's
output must not move when the faster path is taken."""

from __future__ import annotations

import numpy as np
import pytest

from vanban.normalize.lm import BOS, UNK, NgramLM
from vanban.normalize.restorer import get_restorer
from vanban.normalize.vietnamese import tokenize

from tests.test_lm_cache import _tiny_model
from tests.test_normalize import SENTENCES


def _same(lm: NgramLM, hist: np.ndarray, words: np.ndarray) -> None:
    flat = lm.cost(np.repeat(hist, words.shape[1], axis=0), words.reshape(-1))
    grid = lm.cost_grid(hist, words)
    assert grid.shape == words.shape and grid.dtype == np.float32
    # Bit for bit, not approximately.
    assert np.array_equal(grid.reshape(-1).view(np.uint32), flat.view(np.uint32))


def test_cost_grid_equals_cost_on_the_shipped_model():
    lm = get_restorer().lm
    ids = [BOS] + [lm.token_id(t.lower()) for s in SENTENCES for _, _, t in tokenize(s)]
    H = lm.order - 1
    padded = np.array([UNK] * H + ids, dtype=np.int64)
    hist = np.stack([padded[i:i + H] for i in range(len(ids))])
    following = padded[H:]
    rng = np.random.default_rng(7)
    # Column 0: the word that follows (the stored 5-grams and 4-grams are hit); the others:
    # frequent words, <unk>, <s> (backing off to every order).
    others = rng.choice(np.argsort(-lm.counts)[:300], size=(len(ids), 6))
    words = np.column_stack([following, others, np.full(len(ids), UNK), np.full(len(ids), BOS)])
    hist_unk = hist.copy()
    hist_unk[rng.random(hist.shape) < 0.15] = UNK
    for h in (hist, hist_unk):
        _same(lm, h, words)
    assert (lm.cost_grid(hist, words)[:, 0] < lm.cost_grid(hist, words)[:, 1:7].mean(1)).mean() > 0.5


@pytest.mark.parametrize("order", [2, 3])
def test_cost_grid_equals_cost_on_a_lower_order_model(tmp_path, order):
    lm = NgramLM.load(_tiny_model(tmp_path / "m.npz", seed=3, order=order), cache=False)
    rng = np.random.default_rng(order)
    hist = rng.integers(0, len(lm.vocab), size=(200, order - 1))
    words = rng.integers(0, len(lm.vocab), size=(200, 5))
    _same(lm, hist, words)
    # One history column more than the model uses: its oldest word is ignored.
    _same(lm, rng.integers(0, len(lm.vocab), size=(50, order)), words[:50])
