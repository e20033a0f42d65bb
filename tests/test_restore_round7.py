"""Round 7 of the restorer (issue 14): the mixture's batched scoring, and the review's
should-fixes of the legacy channel and of ocr mode."""

from __future__ import annotations

import numpy as np
import pytest

from vanban.normalize.lm import BOS, UNK
from vanban.normalize.restorer import get_restorer
from vanban.normalize.vietnamese import tokenize

from tests.test_normalize import SENTENCES

GENERAL_TEXT = ("Nha tho Duc Ba la mot trong nhung cong trinh kien truc noi tieng cua thanh pho, "
                "duoc nguoi Phap xay dung vao cuoi the ky muoi chin. Hang nam co rat nhieu du "
                "khach den tham quan, chup anh va nghe chuong nha tho vang len vao buoi sang.")


def _mixture():
    mixture = get_restorer().mixture
    if mixture is None:
        pytest.skip("no general model shipped")
    return mixture


@pytest.mark.parametrize("weight", [0.2, 0.5, 0.93])
def test_mixture_cost_grid_equals_cost(weight):
    lm = _mixture().with_weight(weight)
    H = lm.order - 1
    text = " ".join(SENTENCES) + " " + get_restorer().restore(GENERAL_TEXT, "stripped").text
    ids = [BOS] + [lm.index.get(t.lower(), UNK) for _, _, t in tokenize(text)]
    padded = np.array([UNK] * H + ids, dtype=np.int64)
    hist = np.stack([padded[i:i + H] for i in range(len(ids))])
    rng = np.random.default_rng(11)
    n_admin = len(lm.admin.vocab)
    # Column 0: the word that follows; then frequent words, words only the general model
    # knows (ids past the administrative vocabulary), <unk> and <s>.
    frequent = rng.choice(np.argsort(-lm.counts)[:300], size=(len(ids), 4))
    general_only = rng.integers(n_admin, len(lm.vocab), size=(len(ids), 2))
    words = np.column_stack([padded[H:], frequent, general_only, np.full(len(ids), UNK),
                             np.full(len(ids), BOS)])
    assert general_only.min() >= n_admin
    hist_odd = hist.copy()
    hist_odd[rng.random(hist.shape) < 0.15] = UNK
    hist_odd[rng.random(hist.shape) < 0.1] = rng.integers(n_admin, len(lm.vocab))
    for h in (hist, hist_odd):
        flat = lm.cost(np.repeat(h, words.shape[1], axis=0), words.reshape(-1))
        grid = lm.cost_grid(h, words)
        assert grid.shape == words.shape and grid.dtype == np.float32
        assert np.array_equal(grid.reshape(-1).view(np.uint32), flat.view(np.uint32))
    # The numbers are real: the word that follows is cheaper than frequent others, mostly.
    grid = lm.cost_grid(hist, words)
    assert (grid[:, 0] < grid[:, 1:5].mean(1)).mean() > 0.5


def test_general_text_is_decoded_by_the_mixture_with_its_grid():
    result = get_restorer().restore(GENERAL_TEXT, "stripped", with_confidence=False)
    assert result.admin_share < 0.5          # the mixture decoded it (its cost_grid)
    assert "Nhà thờ Đức Bà" in result.text and "kiến trúc nổi tiếng" in result.text
